/* SNMP seen on the wire (v1, v2c, v3 without privacy): the varbinds of
 * responses (GetResponse / Response, Report) that identify the agent:
 * sysDescr, sysObjectID, sysName and every entPhysical* column, under the
 * same keys the SNMP collector writes (include/mib_names.h), about the
 * responding address; and the SNMPv3 authoritative engine id. The community string is a secret:
 * it is skipped, never recorded. Requests are parsed and counted only.
 *
 * Every read is a BER TLV through cur_ber(): a length past its parent is
 * malformed. On port 161 a broken message is malformed; elsewhere (the
 * heuristic) it is simply not SNMP. No state.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "mib_names.h"
#include "pcap_int.h"

int ber_oid_text(struct cur *oid, char *out, size_t outlen)
{
	size_t w = 0;
	uint64_t arc = 0;
	int first = 1;
	if (!cur_ok(oid) || !cur_left(oid) || !outlen)
		return -1;
	while (cur_left(oid)) {
		uint8_t b = cur_u8(oid);
		if (arc == 0 && b == 0x80)
			return -1;              /* non-minimal encoding */
		arc = arc << 7 | (b & 0x7f);
		if (arc > UINT32_MAX)
			return -1;
		if (b & 0x80) {
			if (!cur_left(oid))
				return -1;      /* the last arc is unfinished */
			continue;
		}
		int n;
		if (first) {
			unsigned x = arc < 80 ? (unsigned)(arc / 40) : 2;
			n = snprintf(out + w, outlen - w, "%u.%llu", x, (unsigned long long)(arc - x * 40u));
			first = 0;
		} else
			n = snprintf(out + w, outlen - w, ".%llu", (unsigned long long)arc);
		if (n < 0 || (size_t)n >= outlen - w)
			return -1;
		w += (size_t)n;
		arc = 0;
	}
	return 0;
}

/* One varbind: the key it maps to, or nothing. */
static void varbind(const struct pkt_ctx *ctx, struct cur *oid, uint8_t vtag, struct cur *val)
{
	static const uint8_t sys[] = {0x2b, 6, 1, 2, 1, 1};             /* 1.3.6.1.2.1.1 */
	static const uint8_t ent[] = {0x2b, 6, 1, 2, 1, 47, 1, 1, 1, 1}; /* entPhysicalEntry */
	char key[64], t[400];
	if (cur_left(oid) == sizeof sys + 2 && cur_starts(oid, sys, sizeof sys)) {
		cur_skip(oid, sizeof sys);
		uint8_t col = cur_u8(oid), inst = cur_u8(oid);
		if (inst != 0)
			return;
		const char *k = col == 1 ? "sysDescr" : col == 2 ? "sysObjectID" : col == 5 ? "sysName" : NULL;
		if (!k)
			return;
		if (col == 2) {
			if (vtag == 0x06 && ber_oid_text(val, t, sizeof t) == 0)
				fact_emit_str(ctx, SUBJ_IP, ctx->src_ip, k, t);
		} else if (vtag == 0x04) {
			size_t n = cur_left(val);
			fact_emit(ctx, SUBJ_IP, ctx->src_ip, k, cur_bytes(val, n), n);
		}
		return;
	}
	if (cur_left(oid) < sizeof ent + 2 || !cur_starts(oid, ent, sizeof ent))
		return;
	cur_skip(oid, sizeof ent);
	uint8_t col = cur_u8(oid);
	uint64_t index = 0;             /* one arc: base-128, high bit = more */
	while (cur_ok(oid) && cur_left(oid) && index <= UINT32_MAX) {
		uint8_t b = cur_u8(oid);
		index = index << 7 | (b & 0x7f);
		if (!(b & 0x80))
			break;
	}
	const char *name = entity_column_name(col);
	if (!name || !cur_ok(oid) || cur_left(oid) || index > UINT32_MAX)
		return;
	snprintf(key, sizeof key, "entPhysical%s.%llu", name, (unsigned long long)index);
	if (vtag == 0x04) {
		size_t n = cur_left(val);
		fact_emit(ctx, SUBJ_IP, ctx->src_ip, key, cur_bytes(val, n), n);
	} else if (vtag == 0x02) {
		int64_t v;
		if (cur_ber_int(val, &v) == 0) {
			snprintf(t, sizeof t, "%lld", (long long)v);
			fact_emit_str(ctx, SUBJ_IP, ctx->src_ip, key, t);
		}
	} else if (vtag == 0x06 && ber_oid_text(val, t, sizeof t) == 0)
		fact_emit_str(ctx, SUBJ_IP, ctx->src_ip, key, t);
}

static int pdu(const struct pkt_ctx *ctx, uint8_t tag, struct cur *p)
{
	uint8_t t;
	struct cur x, list;
	for (int i = 0; i < 3; i++)     /* request id, error status, error index */
		if (cur_ber(p, &t, &x) < 0 || t != 0x02)
			return -1;
	if (cur_ber(p, &t, &list) < 0 || t != 0x30)
		return -1;
	int response = tag == 0xa2 || tag == 0xa8;
	while (cur_left(&list)) {
		struct cur vb, oid, val;
		uint8_t vtag;
		if (cur_ber(&list, &t, &vb) < 0 || t != 0x30 || cur_ber(&vb, &t, &oid) < 0 || t != 0x06 ||
		    cur_ber(&vb, &vtag, &val) < 0)
			return -1;
		if (response && ctx->src_ip[0])
			varbind(ctx, &oid, vtag, &val);
	}
	return 0;
}

static int message(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t t;
	struct cur msg, x;
	int64_t version;
	if (cur_ber(c, &t, &msg) < 0 || t != 0x30 || cur_ber(&msg, &t, &x) < 0 || t != 0x02 ||
	    cur_ber_int(&x, &version) < 0)
		return -1;
	if (version == 0 || version == 1) {
		if (cur_ber(&msg, &t, &x) < 0 || t != 0x04)     /* community: never kept */
			return -1;
		if (cur_ber(&msg, &t, &x) < 0 || (t & 0xe0) != 0xa0)
			return -1;
		if (t == 0xa4)
			return 0;                       /* v1 trap: another layout */
		return pdu(ctx, t, &x);
	}
	if (version != 3)
		return -1;
	struct cur hdr, flags, sec, usm, engine;
	if (cur_ber(&msg, &t, &hdr) < 0 || t != 0x30)
		return -1;
	cur_ber(&hdr, &t, &x);                          /* msgID */
	cur_ber(&hdr, &t, &x);                          /* msgMaxSize */
	if (cur_ber(&hdr, &t, &flags) < 0 || t != 0x04 || cur_left(&flags) != 1)
		return -1;
	uint8_t fl = cur_u8(&flags);
	if (cur_ber(&msg, &t, &sec) < 0 || t != 0x04)
		return -1;
	if (cur_ber(&sec, &t, &usm) == 0 && t == 0x30 && cur_ber(&usm, &t, &engine) == 0 && t == 0x04 &&
	    cur_left(&engine) >= 5 && cur_left(&engine) <= 32 && ctx->sport == 161 && ctx->src_ip[0]) {
		size_t n = cur_left(&engine);
		fact_emit(ctx, SUBJ_IP, ctx->src_ip, "snmp.engine-id", cur_bytes(&engine, n), n);
	}
	if (fl & 2)
		return 0;                               /* encrypted scoped PDU */
	struct cur scoped;
	if (cur_ber(&msg, &t, &scoped) < 0 || t != 0x30)
		return -1;
	cur_ber(&scoped, &t, &x);                       /* contextEngineID */
	cur_ber(&scoped, &t, &x);                       /* contextName */
	if (cur_ber(&scoped, &t, &x) < 0 || (t & 0xe0) != 0xa0)
		return -1;
	return pdu(ctx, t, &x);
}

dis_result dis_snmp(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t b;
	int well_known = ctx->sport == 161 || ctx->dport == 161;
	if (!cur_peek_u8(c, 0, &b) || b != 0x30)
		return well_known ? DIS_MALFORMED : DIS_NOT_MINE;
	if (dis_seen(ctx, "snmp", c))
		return DIS_OK;
	struct pkt_ctx dry = *ctx;
	struct cur c2 = *c, c3 = *c;
	dry.facts = NULL;
	if (message(&c2, &dry) < 0)
		return well_known ? DIS_MALFORMED : DIS_NOT_MINE;
	message(c, ctx);
	dis_remember(ctx, "snmp", &c3);
	return DIS_OK;
}
