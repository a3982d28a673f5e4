/* TLS server certificates, up to TLS 1.2 (in 1.3 the certificate is
 * encrypted): the leaf certificate's subject and issuer (as OpenSSL's
 * one-line form, "C = CN, O = Huawei, CN = x", which the tls-subject
 * rules read) and their organisation and common name, about the server.
 *
 * State: the server->client direction of a flow is reassembled from the
 * segment that starts with a ServerHello, in order only (a gap ends it),
 * into a buffer of at most FLOW_BUF_MAX bytes, at most FLOW_BUFS_MAX flows
 * at once (flow.c); the flow ends at the certificate, a TLS 1.3
 * ServerHello, a ChangeCipherSpec/alert/application record, or the
 * bound. The certificate's DER is parsed by OpenSSL (d2i_X509), which is
 * handed only the bytes the cursor bounded.
 */
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_int.h"
#include "util.h"

static void name_facts(const struct pkt_ctx *ctx, const char *subj, X509_NAME *nm, const char *dn_key,
                       const char *o_key, const char *cn_key)
{
	BIO *b = BIO_new(BIO_s_mem());
	if (!b)
		return;
	unsigned long fl = (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT;
	if (X509_NAME_print_ex(b, nm, 0, fl) >= 0) {
		char *p;
		long n = BIO_get_mem_data(b, &p);
		if (n > 0)
			fact_emit(ctx, SUBJ_IP, subj, dn_key, p, (size_t)n);
	}
	BIO_free(b);
	const int nids[2] = {NID_organizationName, NID_commonName};
	const char *keys[2] = {o_key, cn_key};
	for (int i = 0; i < 2; i++) {
		int idx = X509_NAME_get_index_by_NID(nm, nids[i], -1);
		if (idx < 0)
			continue;
		unsigned char *u = NULL;
		int n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, idx)));
		if (n > 0)
			fact_emit(ctx, SUBJ_IP, subj, keys[i], u, (size_t)n);
		OPENSSL_free(u);
	}
}

static void certificate(const struct pkt_ctx *ctx, const char *subj, struct cur *m)
{
	uint32_t list = cur_be24(m), len = cur_be24(m);
	const uint8_t *der = cur_bytes(m, len);
	if (!cur_ok(m) || !list || !len)
		return;
	tls_cert_facts(ctx, subj, der, len);
}

void tls_cert_facts(const struct pkt_ctx *ctx, const char *subj, const uint8_t *der, size_t len)
{
	/* the same certificate from the same server again: known facts */
	struct cur dc = cur_make(der, len);
	if (dis_seen(ctx, "x509", &dc))
		return;
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (!x) {
		dis_count("x509", DIS_MALFORMED);
		return;
	}
	dis_count("x509", DIS_OK);
	name_facts(ctx, subj, X509_get_subject_name(x), "tls.subject", "tls.subject-o", "tls.subject-cn");
	name_facts(ctx, subj, X509_get_issuer_name(x), "tls.issuer", "tls.issuer-o", "tls.issuer-cn");
	X509_free(x);
	dis_remember(ctx, "x509", &dc);
}

/* Walk what the flow holds: 1 finished, 0 wants more, -1 malformed. */
static int parse(const struct pkt_ctx *ctx, struct flow *f)
{
	struct cur recs = cur_make(f->buf, f->len);
	uint8_t *hs = xmalloc(f->len ? f->len : 1);
	size_t hn = 0;
	int done = 0;
	/* 1. the handshake stream out of the records that are complete */
	while (cur_left(&recs) >= 5) {
		uint8_t type = cur_u8(&recs);
		cur_skip(&recs, 2);
		uint16_t len = cur_be16(&recs);
		if (len > cur_left(&recs))
			break;
		struct cur body = cur_sub(&recs, len);
		if (type != 22) {
			done = 1;       /* ChangeCipherSpec, alert, data: nothing more in clear */
			break;
		}
		memcpy(hs + hn, cur_bytes(&body, len), len);
		hn += len;
	}
	/* 2. its messages */
	struct cur h = cur_make(hs, hn);
	int r = done;
	while (cur_left(&h) >= 4) {
		uint8_t type = cur_u8(&h);
		uint32_t len = cur_be24(&h);
		if (len > cur_left(&h))
			break;
		struct cur m = cur_sub(&h, len);
		if (type == 2) {                /* ServerHello: TLS 1.3 hides the rest */
			cur_skip(&m, 2 + 32);
			uint8_t sid = cur_u8(&m);
			cur_skip(&m, (size_t)sid + 2 + 1);
			uint16_t el = cur_be16(&m);
			struct cur ext = cur_sub(&m, el);
			while (cur_ok(&ext) && cur_left(&ext) >= 4) {
				uint16_t et = cur_be16(&ext), l = cur_be16(&ext);
				struct cur ev = cur_sub(&ext, l);
				uint16_t v = cur_be16(&ev);
				if (cur_ok(&ev) && et == 0x002b && v >= 0x0304)
					r = 1;
			}
		} else if (type == 11) {
			certificate(ctx, f->subject, &m);
			r = 1;
		} else if (type == 14)
			r = 1;                  /* ServerHelloDone without a certificate */
		if (r)
			break;
	}
	free(hs);
	return r;
}

static int is_record(const struct cur *c)
{
	uint8_t t, v, m;
	return cur_peek_u8(c, 0, &t) && cur_peek_u8(c, 1, &v) && cur_peek_u8(c, 2, &m) && t >= 20 &&
	       t <= 23 && v == 3 && m <= 4;
}

/* A handshake record starting with a ServerHello, from an address. */
static int server_hello(const struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t hst;
	return is_record(c) && cur_peek_u8(c, 5, &hst) && hst == 2 && ctx->src_ip[0];
}

/* The payload goes into the flow's buffer, and the buffer is read. */
static dis_result take(struct cur *c, const struct pkt_ctx *ctx, struct flow *f)
{
	struct fact_sink *fs = ctx->facts;
	size_t n = cur_left(c);
	if (flow_append(fs, f, cur_bytes(c, n), n) < 0) {
		flow_close(fs, f);
		return DIS_OK;
	}
	f->next_seq += (uint32_t)n;
	int r = parse(ctx, f);
	if (r) {
		flow_close(fs, f);
		return r < 0 ? DIS_MALFORMED : DIS_OK;
	}
	return DIS_OK;
}

/* Payloads of no tracked flow: a ServerHello starts the server's side. */
dis_result dis_tls(struct cur *c, const struct pkt_ctx *ctx)
{
	if (!server_hello(c, ctx))
		return is_record(c) ? DIS_OK : DIS_NOT_MINE;
	struct flow *f = flow_start(ctx, &tls_flow);
	if (!f)
		return DIS_OK;
	f->next_seq = ctx->tcp_seq;
	return take(c, ctx, f);
}

/* The next segments of a tracked server side, in order. */
static dis_result tls_append(struct cur *c, const struct pkt_ctx *ctx, struct flow *f)
{
	if (server_hello(c, ctx))
		return dis_tls(c, ctx);         /* a new handshake: start over */
	if (ctx->tcp_seq != f->next_seq) {
		if ((int32_t)(ctx->tcp_seq - f->next_seq) < 0)
			return DIS_OK;          /* a retransmission */
		flow_close(ctx->facts, f);      /* a gap: give up */
		return DIS_OK;
	}
	return take(c, ctx, f);
}

/* Nothing is written of a handshake seen only in part. */
const struct app_flow tls_flow = {NULL, tls_append, NULL};
