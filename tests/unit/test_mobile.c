/* The mobile control-plane dissectors, message by message: each message
 * is built by the encoders in tests/mobilegen (written from the specs,
 * apart from the dissectors), dissected, and every fact it yields is
 * checked — subject, key and exact value — together with truncated,
 * looping and contradictory variants, which must be refused, never
 * over-read. Then attribution: role facts reach the verdict, and Diameter
 * Vendor-Id 0 maps to no company.
 *
 * Facts go through the collector's own fact sink (collectors/pcap/facts.c)
 * into an ev_sink that keeps them in a list. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "check.h"
#include "dissect.h"
#include "enc.h"
#include "kb.h"
#include "mobile/mobile.h"
#include "pcap_int.h"

/* ---- the fact list: the collector's real fact sink, whose evidence
 * lands here instead of in a store ---- */

struct fact {
	enum subj_kind sk;
	char subject[256], key[64], value[512];
	size_t vlen;
};
static struct fact facts[512];
static size_t nfacts;
static struct fact_sink *sink;

static int collect(struct ev_sink *s, const struct evidence *ev)
{
	(void)s;
	if (nfacts == sizeof facts / sizeof facts[0] || ev->value_len >= sizeof facts[0].value)
		return -1;
	struct fact *f = &facts[nfacts++];
	f->sk = ev->subj_kind;
	snprintf(f->subject, sizeof f->subject, "%s", ev->subject);
	snprintf(f->key, sizeof f->key, "%s", ev->key);
	memcpy(f->value, ev->value, ev->value_len);
	f->value[ev->value_len] = 0;
	f->vlen = ev->value_len;
	return 0;
}

static struct ev_sink evs = {collect, NULL, NULL, 0};

/* A fresh sink: the collector deduplicates, and each check wants to see
 * what one message yields. */
static void reset(void)
{
	if (sink)
		fact_sink_free(sink);
	sink = fact_sink_new(&evs, 4096, 64);
	nfacts = 0;
}

/* How many facts (subject, key, value) there are; subject "name:x" for
 * SUBJ_NAME, else an address. */
static int nfact(const char *subject, const char *key, const char *value)
{
	int n = 0;
	for (size_t i = 0; i < nfacts; i++) {
		char s[300];
		snprintf(s, sizeof s, "%s%s", facts[i].sk == SUBJ_NAME ? "name:" : "", facts[i].subject);
		if (!strcmp(s, subject) && !strcmp(facts[i].key, key) && (!value || !strcmp(facts[i].value, value)))
			n++;
	}
	return n;
}

static int nkey(const char *key)
{
	int n = 0;
	for (size_t i = 0; i < nfacts; i++)
		n += !strcmp(facts[i].key, key);
	return n;
}

static void dump(void)
{
	for (size_t i = 0; i < nfacts; i++)
		fprintf(stderr, "  %s %s %s = %s\n", subj_kind_name(facts[i].sk), facts[i].subject, facts[i].key,
		        facts[i].value);
}

#define FACT(subj, key, value)                                                  \
	do {                                                                    \
		check_count++;                                                  \
		if (nfact(subj, key, value) != 1) {                             \
			check_failures++;                                       \
			fprintf(stderr, "%s:%d: want one fact %s %s = %s, have:\n", __FILE__, __LINE__, subj, \
			        key, value ? value : "*");                     \
			dump();                                                 \
		}                                                               \
	} while (0)

static struct pkt_ctx ctx_of(const char *src, const char *dst, uint8_t l4, uint16_t sport, uint16_t dport,
                             uint32_t ppid)
{
	struct pkt_ctx c;
	memset(&c, 0, sizeof c);
	c.family = strchr(src, ':') ? AF_INET6 : AF_INET;
	snprintf(c.src_ip, sizeof c.src_ip, "%s", src);
	snprintf(c.dst_ip, sizeof c.dst_ip, "%s", dst);
	c.l4 = l4;
	c.sport = sport;
	c.dport = dport;
	c.sctp_ppid = ppid;
	c.source = "test";
	c.facts = NULL;         /* set by run() to the current sink */
	return c;
}

/* Run a dissector over a copy of exactly n bytes on the heap, so that
 * ASan sees any read past the end. */
static dis_result run(app_dissector fn, const uint8_t *p, size_t n, const struct pkt_ctx *ctx)
{
	uint8_t *copy = malloc(n ? n : 1);
	memcpy(copy, p, n);
	struct cur c = cur_make(copy, n);
	struct pkt_ctx x = *ctx;
	x.facts = sink;
	dis_result r = fn(&c, &x);
	free(copy);
	return r;
}

/* Every prefix of a message must be refused or read in part: never a
 * crash or an over-read (ASan), never claimed for another protocol when
 * the port says what it is. */
static void all_prefixes(app_dissector fn, const uint8_t *p, size_t n, const struct pkt_ctx *ctx)
{
	for (size_t k = 0; k < n; k++) {
		reset();
		(void)run(fn, p, k, ctx);
	}
	/* and every single-byte corruption */
	uint8_t *q = malloc(n);
	for (size_t k = 0; k < n; k++) {
		memcpy(q, p, n);
		q[k] ^= 0xff;
		reset();
		(void)run(fn, q, n, ctx);
	}
	free(q);
	reset();
}

static uint8_t m[8192], m2[8192];

/* ---------- Diameter ---------- */

static size_t cer(uint8_t *b, size_t cap, uint32_t vendor, const char *product, const uint32_t *apps,
                  size_t napps, int vsa)
{
	struct dia d;
	dia_begin(&d, b, cap, 257, 1, 0);
	dia_str(&d, 264, "mme01.epc.mnc001.mcc001.3gppnetwork.org");
	dia_str(&d, 296, "epc.mnc001.mcc001.3gppnetwork.org");
	dia_addr(&d, 257, "10.66.1.10");
	dia_addr(&d, 257, "2001:db8:66::10");
	dia_u32(&d, 266, vendor);
	dia_str(&d, 269, product);
	dia_u32(&d, 265, 10415);
	dia_vendor_u32(&d, 1407, 10415, 99);    /* a vendor AVP: skipped */
	for (size_t i = 0; i < napps; i++) {
		if (vsa) {
			dia_group_begin(&d, 260);
			dia_u32(&d, 266, 10415);
			dia_u32(&d, 258, apps[i]);
			dia_group_end(&d);
		} else {
			dia_u32(&d, 258, apps[i]);
		}
	}
	dia_u32(&d, 267, 800);
	return dia_end(&d);
}

static void test_diameter(void)
{
	struct pkt_ctx c = ctx_of("10.66.1.10", "10.66.1.20", IPPROTO_TCP, 40001, 3868, 0);
	static const uint32_t mme_apps[] = {16777251, 16777252};
	size_t n = cer(m, sizeof m, 2011, "HUAWEI USN9810", mme_apps, 2, 1);
	reset();
	CHECK_INT(run(dis_diameter, m, n, &c), DIS_OK);
	FACT("10.66.1.10", "diameter.origin-host", "mme01.epc.mnc001.mcc001.3gppnetwork.org");
	FACT("10.66.1.10", "diameter.origin-realm", "epc.mnc001.mcc001.3gppnetwork.org");
	FACT("10.66.1.10", "diameter.host-ip", "10.66.1.10");
	FACT("10.66.1.10", "diameter.host-ip", "2001:db8:66::10");
	FACT("10.66.1.10", "diameter.vendor-id", "2011");
	FACT("10.66.1.10", "diameter.product-name", "HUAWEI USN9810");
	FACT("10.66.1.10", "diameter.firmware-revision", "800");
	FACT("10.66.1.10", "diameter.supported-vendor-id", "10415");
	FACT("10.66.1.10", "diameter.auth-application-id", "16777251");
	FACT("10.66.1.10", "diameter.auth-application-id", "16777252");
	FACT("10.66.1.10", "diameter.role", "core/mme");
	FACT("name:diameter:mme01.epc.mnc001.mcc001.3gppnetwork.org", "ip", "10.66.1.10");
	/* the Vendor-Id inside Vendor-Specific-Application-Id is 3GPP's, not the maker's */
	CHECK_INT(nfact("10.66.1.10", "diameter.vendor-id", "10415"), 0);
	CHECK_INT(nkey("diameter.vendor-id"), 1);
	CHECK_INT((int)nfacts, 12);

	/* the same CER over SCTP on any port, PPID 46 */
	struct pkt_ctx sc = ctx_of("2001:db8:66::30", "2001:db8:66::31", IPPROTO_SCTP, 5000, 5001, 46);
	static const uint32_t pcrf_apps[] = {16777238, 16777236};
	n = cer(m, sizeof m, 0, "freeDiameter", pcrf_apps, 2, 0);
	reset();
	CHECK_INT(run(dis_diameter, m, n, &sc), DIS_OK);
	FACT("2001:db8:66::30", "diameter.vendor-id", "0");
	FACT("2001:db8:66::30", "diameter.role", "core/pcrf");

	/* roles: HSS, relay agent, and sets that do not decide */
	static const uint32_t hss_apps[] = {16777251, 16777216, 16777217};
	static const uint32_t relay[] = {0xffffffffu};
	static const uint32_t s6a[] = {16777251};
	static const uint32_t mixed[] = {16777251, 16777216, 16777238, 16777236};
	static const struct {
		const uint32_t *apps;
		size_t n;
		const char *role;
	} roles[] = {{hss_apps, 3, "core/hss"}, {relay, 1, "core/dra"}, {s6a, 1, "core"}, {mixed, 4, "core"}};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		n = cer(m, sizeof m, 0, "x", roles[i].apps, roles[i].n, 0);
		reset();
		CHECK_INT(run(dis_diameter, m, n, &c), DIS_OK);
		FACT("10.66.1.10", "diameter.role", roles[i].role);
	}

	/* DWR and DWA in one TCP segment, and the start of a third message */
	struct dia d;
	dia_begin(&d, m, sizeof m, 280, 1, 0);
	dia_str(&d, 264, "a.example");
	dia_str(&d, 296, "example");
	n = dia_end(&d);
	dia_begin(&d, m + n, sizeof m - n, 280, 0, 0);
	dia_u32(&d, 268, 2001);
	dia_str(&d, 264, "b.example");
	dia_str(&d, 296, "example");
	size_t n2 = dia_end(&d);
	memcpy(m + n + n2, m, 12);
	reset();
	CHECK_INT(run(dis_diameter, m, n + n2 + 12, &c), DIS_OK);
	FACT("10.66.1.10", "diameter.origin-host", "a.example");
	FACT("10.66.1.10", "diameter.origin-host", "b.example");
	CHECK_INT(nkey("diameter.role"), 0);    /* watchdogs carry no applications */

	/* a request that a relay may have forwarded: parsed, no facts */
	dia_begin(&d, m, sizeof m, 316, 1, 16777251);
	dia_str(&d, 264, "mme-far-away.example");
	dia_str(&d, 296, "example");
	n = dia_end(&d);
	reset();
	CHECK_INT(run(dis_diameter, m, n, &c), DIS_OK);
	CHECK_INT((int)nfacts, 0);

	/* heuristic: a CER on another port is taken; the same with a broken
	 * AVP, a ULR, or text is not */
	struct pkt_ctx odd = ctx_of("10.66.1.99", "10.66.1.20", IPPROTO_TCP, 20868, 41000, 0);
	n = cer(m, sizeof m, 0, "jDiameter", relay, 1, 0);
	reset();
	CHECK_INT(run(dis_diameter, m, n, &odd), DIS_OK);
	FACT("10.66.1.99", "diameter.product-name", "jDiameter");
	memcpy(m2, m, n);
	m2[20 + 7] = 3;                         /* Origin-Host AVP length 3 < 8 */
	CHECK_INT(run(dis_diameter, m2, n, &odd), DIS_NOT_MINE);
	CHECK_INT(run(dis_diameter, (const uint8_t *)"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, &odd), DIS_NOT_MINE);
	dia_begin(&d, m2, sizeof m2, 316, 1, 16777251);
	dia_str(&d, 264, "x");
	CHECK_INT(run(dis_diameter, m2, dia_end(&d), &odd), DIS_NOT_MINE);
	/* on port 3868: a broken AVP is malformed; over SCTP a bad header too */
	reset();
	CHECK_INT(run(dis_diameter, m2, 8, &sc), DIS_MALFORMED);
	memcpy(m2, m, n);
	m2[20 + 7] = 3;
	CHECK_INT(run(dis_diameter, m2, n, &c), DIS_MALFORMED);
	/* a message cut by the segment: the whole AVPs before the cut count */
	n = cer(m, sizeof m, 2011, "HUAWEI USN9810", mme_apps, 2, 1);
	reset();
	CHECK_INT(run(dis_diameter, m, 100, &c), DIS_OK);
	FACT("10.66.1.10", "diameter.origin-host", "mme01.epc.mnc001.mcc001.3gppnetwork.org");
	CHECK_INT(nkey("diameter.product-name"), 0);
	/* the last AVP's padding missing from the end is tolerated */
	dia_begin(&d, m2, sizeof m2, 280, 1, 0);
	dia_str(&d, 264, "abcde");
	n2 = dia_end(&d);
	reset();
	CHECK_INT(run(dis_diameter, m2, n2 - 3, &sc), DIS_OK);
	FACT("2001:db8:66::30", "diameter.origin-host", "abcde");
	/* a grouped AVP whose inner AVP overruns it */
	dia_begin(&d, m2, sizeof m2, 257, 1, 0);
	dia_group_begin(&d, 260);
	dia_u32(&d, 258, 16777251);
	dia_group_end(&d);
	n2 = dia_end(&d);
	m2[20 + 8 + 7] = 16;                    /* inner length 16 > its group */
	CHECK_INT(run(dis_diameter, m2, n2, &c), DIS_MALFORMED);
	all_prefixes(dis_diameter, m, n, &c);
	all_prefixes(dis_diameter, m, n, &odd);
}

/* ---------- S1AP ---------- */

static void test_s1ap(void)
{
	struct pkt_ctx c = ctx_of("10.66.2.1", "10.66.1.10", IPPROTO_SCTP, 36412, 36412, 18);
	struct enb_id macro = {"001-01", "macro", 123456};
	struct s1_ta tas[2] = {{0x0001, {"001-01", "310-410"}, 2}, {0x00ff, {"001-01"}, 1}};
	size_t n = s1ap_setup_request(m, sizeof m, "DBS3900_LTE_SITE1042", &macro, tas, 2);
	reset();
	CHECK_INT(run(dis_s1ap, m, n, &c), DIS_OK);
	FACT("10.66.2.1", "s1ap.enb-name", "DBS3900_LTE_SITE1042");
	FACT("10.66.2.1", "s1ap.global-enb-id", "001-01:macro:123456");
	FACT("name:enb:001-01:macro:123456", "ip", "10.66.2.1");
	FACT("10.66.2.1", "s1ap.tai", "001-01:0x0001");
	FACT("10.66.2.1", "s1ap.tai", "310-410:0x0001");
	FACT("10.66.2.1", "s1ap.tai", "001-01:0x00ff");
	FACT("10.66.2.1", "s1ap.role", "ran/enb");
	FACT("10.66.1.10", "s1ap.role", "core/mme");
	CHECK_INT((int)nfacts, 8);
	all_prefixes(dis_s1ap, m, n, &c);

	/* the response, from the MME */
	struct pkt_ctx r = ctx_of("10.66.1.10", "10.66.2.1", IPPROTO_SCTP, 36412, 36412, 18);
	const char *plmns[2] = {"001-01", "310-410"};
	uint16_t groups[2] = {0x8001, 0x8002};
	uint8_t codes[1] = {0x01};
	n = s1ap_setup_response(m, sizeof m, "MME01_USN9810", plmns, 2, groups, 2, codes, 1);
	reset();
	CHECK_INT(run(dis_s1ap, m, n, &r), DIS_OK);
	FACT("10.66.1.10", "s1ap.mme-name", "MME01_USN9810");
	FACT("10.66.1.10", "s1ap.served-plmn", "001-01");
	FACT("10.66.1.10", "s1ap.served-plmn", "310-410");
	FACT("10.66.1.10", "s1ap.mme-group-id", "0x8001");
	FACT("10.66.1.10", "s1ap.mme-group-id", "0x8002");
	FACT("10.66.1.10", "s1ap.mme-code", "0x01");
	FACT("10.66.1.10", "s1ap.gummei", "001-01:0x8001:0x01");
	FACT("10.66.1.10", "s1ap.gummei", "001-01:0x8002:0x01");
	FACT("name:mme:001-01:0x8001:0x01", "ip", "10.66.1.10");
	FACT("10.66.1.10", "s1ap.role", "core/mme");
	FACT("10.66.2.1", "s1ap.role", "ran/enb");
	all_prefixes(dis_s1ap, m, n, &r);
	/* the same IEs in an MME Configuration Update: facts, but no GUMMEI
	 * link (an update may announce a GUMMEI taken over from another MME) */
	m[0] = 0x00;
	m[1] = 30;
	reset();
	CHECK_INT(run(dis_s1ap, m, n, &r), DIS_OK);
	FACT("10.66.1.10", "s1ap.mme-name", "MME01_USN9810");
	FACT("10.66.1.10", "s1ap.gummei", "001-01:0x8001:0x01");
	FACT("10.66.1.10", "s1ap.role", "core/mme");
	CHECK_INT(nkey("ip"), 0);

	/* home, short and long macro ids (the last two: extension alternatives) */
	static const struct {
		const char *kind;
		uint32_t id;
		const char *want;
	} ids[] = {{"home", 0x0abcdef, "310-410:home:11259375"},
	           {"long-macro", 0x1abcde, "310-410:long-macro:1752286"},
	           {"short-macro", 0x2abcd, "310-410:short-macro:175053"}};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct enb_id g = {"310-410", ids[i].kind, ids[i].id};
		n = s1ap_setup_request(m, sizeof m, NULL, &g, tas, 1);
		reset();
		CHECK_INT(run(dis_s1ap, m, n, &c), DIS_OK);
		FACT("10.66.2.1", "s1ap.global-enb-id", ids[i].want);
		CHECK_INT(nkey("s1ap.enb-name"), 0);
	}

	/* UE signalling gives the roles of both ends */
	n = s1ap_nas(m, sizeof m, 12, 77);
	reset();
	CHECK_INT(run(dis_s1ap, m, n, &c), DIS_OK);
	FACT("10.66.2.1", "s1ap.role", "ran/enb");
	FACT("10.66.1.10", "s1ap.role", "core/mme");
	CHECK_INT((int)nfacts, 2);
	n = s1ap_nas(m, sizeof m, 9, 77);       /* Initial Context Setup: from the MME */
	reset();
	CHECK_INT(run(dis_s1ap, m, n, &r), DIS_OK);
	FACT("10.66.1.10", "s1ap.role", "core/mme");
	FACT("10.66.2.1", "s1ap.role", "ran/enb");
	n = s1ap_nas(m, sizeof m, 11, 77);      /* NAS transports: parsed, no facts */
	reset();
	CHECK_INT(run(dis_s1ap, m, n, &r), DIS_OK);
	CHECK_INT((int)nfacts, 0);
	all_prefixes(dis_s1ap, m, n, &r);

	/* malformed: padding bits set, an IE count beyond the data, empty */
	static const uint8_t pad[] = {0x01, 0x11, 0x00, 0x03, 0x00, 0x00, 0x00};
	CHECK_INT(run(dis_s1ap, pad, sizeof pad, &c), DIS_MALFORMED);
	static const uint8_t many[] = {0x00, 0x11, 0x00, 0x03, 0x00, 0xff, 0xff};
	CHECK_INT(run(dis_s1ap, many, sizeof many, &c), DIS_MALFORMED);
	CHECK_INT(run(dis_s1ap, pad, 0, &c), DIS_NOT_MINE);
	/* an eNB name whose length runs past its IE */
	static const uint8_t name[] = {0x00, 0x11, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x00, 0x3c, 0x40,
	                               0x03, 0x08, 0x80, 0x41};
	reset();
	CHECK_INT(run(dis_s1ap, name, sizeof name, &c), DIS_MALFORMED);
	CHECK_INT(nkey("s1ap.enb-name"), 0);
}

/* ---------- NGAP and X2AP ---------- */

static void test_ngap(void)
{
	struct pkt_ctx c = ctx_of("10.66.3.1", "10.66.1.40", IPPROTO_SCTP, 38412, 38412, 60);
	struct ran_id gnb = {"208-93", "gnb", 0x1234, 22};
	struct ng_ta ta[2] = {{0x000001, "208-93", {1, 1, 0x010203}}, {0xabcdef, "001-01", {2, 0, 0}}};
	size_t n = ngap_setup_request(m, sizeof m, "gNB-Eurecom-5GNRBox", &gnb, ta, 2);
	reset();
	CHECK_INT(run(dis_ngap, m, n, &c), DIS_OK);
	FACT("10.66.3.1", "ngap.ran-node-name", "gNB-Eurecom-5GNRBox");
	FACT("10.66.3.1", "ngap.global-ran-node-id", "208-93:gnb:4660/22");
	FACT("name:ran:208-93:gnb:4660/22", "ip", "10.66.3.1");
	FACT("10.66.3.1", "ngap.tai", "208-93:0x000001");
	FACT("10.66.3.1", "ngap.tai", "001-01:0xabcdef");
	FACT("10.66.3.1", "ngap.role", "ran/gnb");
	FACT("10.66.1.40", "ngap.role", "core/amf");
	CHECK_INT((int)nfacts, 7);
	all_prefixes(dis_ngap, m, n, &c);

	static const struct {
		struct ran_id id;
		const char *want, *role;
	} ids[] = {{{"208-93", "gnb", 0xffffffffu, 32}, "208-93:gnb:4294967295/32", "ran/gnb"},
	           {{"208-93", "ng-enb-macro", 0xfffff, 0}, "208-93:ng-enb:macro:1048575", "ran/enb"},
	           {{"208-93", "ng-enb-short", 0x2abcd, 0}, "208-93:ng-enb:short-macro:175053", "ran/enb"},
	           {{"208-93", "ng-enb-long", 0x1abcde, 0}, "208-93:ng-enb:long-macro:1752286", "ran/enb"},
	           {{"208-93", "n3iwf", 0xbeef, 0}, "208-93:n3iwf:48879", "core"}};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		n = ngap_setup_request(m, sizeof m, NULL, &ids[i].id, ta, 1);
		reset();
		CHECK_INT(run(dis_ngap, m, n, &c), DIS_OK);
		FACT("10.66.3.1", "ngap.global-ran-node-id", ids[i].want);
		FACT("10.66.3.1", "ngap.role", ids[i].role);
	}

	struct pkt_ctx r = ctx_of("10.66.1.40", "10.66.3.1", IPPROTO_SCTP, 38412, 38412, 60);
	struct guami g[2] = {{"208-93", 0x02, 0x3ff, 0x3f, "amf-backup"}, {"001-01", 0xca, 0x001, 0x01, NULL}};
	struct plmn_support ps[1] = {{"208-93", {{1, 0, 0}, {2, 1, 0x000001}}, 2}};
	n = ngap_setup_response(m, sizeof m, "open5gs-amf0", g, 2, ps, 1);
	reset();
	CHECK_INT(run(dis_ngap, m, n, &r), DIS_OK);
	FACT("10.66.1.40", "ngap.amf-name", "open5gs-amf0");
	FACT("10.66.1.40", "ngap.guami", "208-93:0x02:0x3ff:0x3f");
	FACT("10.66.1.40", "ngap.guami", "001-01:0xca:0x001:0x01");
	FACT("name:amf:208-93:0x02:0x3ff:0x3f", "ip", "10.66.1.40");
	FACT("10.66.1.40", "ngap.backup-amf-name", "amf-backup");
	FACT("10.66.1.40", "ngap.plmn-support", "208-93");
	FACT("10.66.1.40", "ngap.s-nssai", "208-93:1");
	FACT("10.66.1.40", "ngap.s-nssai", "208-93:2:0x000001");
	FACT("10.66.1.40", "ngap.role", "core/amf");
	FACT("10.66.3.1", "ngap.role", "ran");
	CHECK_INT(nkey("ngap.backup-amf-name"), 1);
	all_prefixes(dis_ngap, m, n, &r);
	m[0] = 0x00;                            /* as an AMF Configuration Update */
	m[1] = 0;
	reset();
	CHECK_INT(run(dis_ngap, m, n, &r), DIS_OK);
	FACT("10.66.1.40", "ngap.guami", "208-93:0x02:0x3ff:0x3f");
	FACT("10.66.1.40", "ngap.role", "core/amf");
	CHECK_INT(nkey("ip"), 0);

	n = ngap_nas(m, sizeof m, 15, 5);
	reset();
	CHECK_INT(run(dis_ngap, m, n, &c), DIS_OK);
	FACT("10.66.3.1", "ngap.role", "ran");
	FACT("10.66.1.40", "ngap.role", "core/amf");

	/* X2AP: both ends eNBs; the sender's Global eNB ID */
	struct pkt_ctx x = ctx_of("10.66.2.2", "10.66.2.1", IPPROTO_SCTP, 36422, 36422, 27);
	struct enb_id peer = {"001-01", "macro", 654321};
	n = x2ap_setup(m, sizeof m, 1, &peer);
	reset();
	CHECK_INT(run(dis_x2ap, m, n, &x), DIS_OK);
	FACT("10.66.2.2", "x2ap.global-enb-id", "001-01:macro:654321");
	FACT("10.66.2.2", "x2ap.role", "ran/enb");
	FACT("10.66.2.2", "x2ap.role", "ran");
	FACT("10.66.2.1", "x2ap.role", "ran");
	FACT("name:enb:001-01:macro:654321", "ip", "10.66.2.2");
	all_prefixes(dis_x2ap, m, n, &x);

	/* XnAP: both ends RAN nodes; the sender's Global NG-RAN Node ID */
	struct pkt_ctx xn = ctx_of("10.66.3.2", "10.66.3.1", IPPROTO_SCTP, 38422, 38422, 61);
	static const struct {
		struct ran_id id;
		const char *want, *role;
	} xids[] = {{{"208-93", "gnb", 0x2345678, 28}, "208-93:gnb:36984440/28", "ran/gnb"},
	            {{"208-93", "ng-enb-long", 0x1abcde, 0}, "208-93:ng-enb:long-macro:1752286", "ran/enb"}};
	for (size_t i = 0; i < sizeof xids / sizeof xids[0]; i++) {
		n = xnap_setup(m, sizeof m, (int)i, &xids[i].id);
		reset();
		CHECK_INT(run(dis_xnap, m, n, &xn), DIS_OK);
		FACT("10.66.3.2", "xnap.global-ran-node-id", xids[i].want);
		FACT("10.66.3.2", "xnap.role", xids[i].role);
		FACT("10.66.3.2", "xnap.role", "ran");
		FACT("10.66.3.1", "xnap.role", "ran");
		all_prefixes(dis_xnap, m, n, &xn);
	}
}

/* ---------- GTP and PFCP ---------- */

static void test_gtp_pfcp(void)
{
	struct pkt_ctx c = ctx_of("10.66.1.10", "10.66.1.50", IPPROTO_UDP, 2123, 2123, 0);
	size_t n = gtpv2c_with_fteid(m, sizeof m, 32, 10, "10.66.1.10", 7, 1);
	reset();
	CHECK_INT(run(dis_gtpc, m, n, &c), DIS_OK);
	FACT("10.66.1.10", "gtp.speaks", "gtpv2-c");
	FACT("10.66.1.10", "gtp.recovery", "v2:7");
	FACT("10.66.1.10", "gtp.role", "core/mme");
	FACT("10.66.1.50", "gtp.role", "core/sgw");
	CHECK_INT((int)nfacts, 4);
	all_prefixes(dis_gtpc, m, n, &c);
	static const struct {
		unsigned type, iface;
		const char *src, *dst;
	} fteids[] = {{33, 11, "core/sgw", NULL}, {32, 6, "core/sgw", "core/pgw"}, {33, 7, "core/pgw", NULL},
	              {32, 17, "core/sgsn", "core/sgw"}, {34, 10, "core/mme", "core/sgw"}, {32, 30, "core", NULL}};
	for (size_t i = 0; i < sizeof fteids / sizeof fteids[0]; i++) {
		n = gtpv2c_with_fteid(m, sizeof m, fteids[i].type, fteids[i].iface, "10.66.1.10", 7, 1);
		reset();
		CHECK_INT(run(dis_gtpc, m, n, &c), DIS_OK);
		FACT("10.66.1.10", "gtp.role", fteids[i].src);
		CHECK_INT(nfact("10.66.1.50", "gtp.role", NULL), fteids[i].dst ? 1 : 0);
		if (fteids[i].dst)
			FACT("10.66.1.50", "gtp.role", fteids[i].dst);
	}
	/* piggybacked: an echo response carried after another message */
	n = gtpv2c_echo(m, sizeof m, 1, 3, 3);
	size_t n2 = gtpv2c_echo(m + n, sizeof m - n, 1, 4, 4);
	m[0] |= 0x10;
	reset();
	CHECK_INT(run(dis_gtpc, m, n + n2, &c), DIS_OK);
	FACT("10.66.1.10", "gtp.recovery", "v2:3");
	FACT("10.66.1.10", "gtp.recovery", "v2:4");

	n = gtpv1c_create_pdp(m, sizeof m, 0, 11);
	reset();
	CHECK_INT(run(dis_gtpc, m, n, &c), DIS_OK);
	FACT("10.66.1.10", "gtp.speaks", "gtpv1-c");
	FACT("10.66.1.10", "gtp.recovery", "v1:11");
	FACT("10.66.1.10", "gtp.role", "core/sgsn");
	FACT("10.66.1.50", "gtp.role", "core/ggsn");
	all_prefixes(dis_gtpc, m, n, &c);
	n = gtpv1c_create_pdp(m, sizeof m, 1, 12);
	reset();
	CHECK_INT(run(dis_gtpc, m, n, &c), DIS_OK);
	FACT("10.66.1.10", "gtp.role", "core/ggsn");
	FACT("10.66.1.50", "gtp.role", "core/sgsn");
	n = gtpv1c_echo(m, sizeof m, 1, 42, 9);
	reset();
	CHECK_INT(run(dis_gtpc, m, n, &c), DIS_OK);
	FACT("10.66.1.10", "gtp.recovery", "v1:42");
	FACT("10.66.1.10", "gtp.role", "core");
	/* an extension header of length 0 would loop: refused */
	static const uint8_t ext0[] = {0x34, 0x01, 0x00, 0x08, 0, 0, 0, 0, 0, 1, 0, 0x85, 0x00, 0, 0, 0};
	CHECK_INT(run(dis_gtpc, ext0, sizeof ext0, &c), DIS_MALFORMED);
	static const uint8_t v0[] = {0x00, 0x01, 0x00, 0x00, 0, 0, 0, 0};
	CHECK_INT(run(dis_gtpc, v0, sizeof v0, &c), DIS_MALFORMED);

	struct pkt_ctx u = ctx_of("10.66.2.1", "10.66.1.50", IPPROTO_UDP, 2152, 2152, 0);
	n = gtpu_echo(m, sizeof m, 0, 1);
	reset();
	CHECK_INT(run(dis_gtpu_msg, m, n, &u), DIS_OK);
	FACT("10.66.2.1", "gtp.speaks", "gtp-u");
	CHECK_INT((int)nfacts, 1);
	n = gtpu_gpdu(m, sizeof m, 0x1234, (const uint8_t *)"\x45\x00\x00\x14", 4);
	reset();
	CHECK_INT(run(dis_gtpu_msg, m, n, &u), DIS_OK);
	CHECK_INT((int)nfacts, 0);
	all_prefixes(dis_gtpu_msg, m, n, &u);

	/* PFCP */
	struct pkt_ctx p = ctx_of("10.66.1.90", "10.66.1.91", IPPROTO_UDP, 8805, 8805, 0);
	static const uint8_t cpf[1] = {0x01}, upf[2] = {0x00, 0x11};
	struct pfcp_assoc req = {NULL, "smf1.5gc.mnc093.mcc208.3gppnetwork.org", 3913153445u, NULL, cpf, 0, 1};
	n = pfcp_assoc_setup(m, sizeof m, 0, &req, 1);
	reset();
	CHECK_INT(run(dis_pfcp, m, n, &p), DIS_OK);
	FACT("10.66.1.90", "pfcp.node-id", "smf1.5gc.mnc093.mcc208.3gppnetwork.org");
	FACT("name:pfcp:smf1.5gc.mnc093.mcc208.3gppnetwork.org", "ip", "10.66.1.90");
	FACT("10.66.1.90", "pfcp.recovery-time", "2024-01-02T03:04:05Z");
	FACT("10.66.1.90", "pfcp.cp-features", "01");
	FACT("10.66.1.90", "pfcp.role", "core/smf");
	CHECK_INT((int)nfacts, 5);
	all_prefixes(dis_pfcp, m, n, &p);
	struct pfcp_assoc rsp = {"10.66.1.91", NULL, 3913153500u, upf, NULL, 2, 0};
	n = pfcp_assoc_setup(m, sizeof m, 1, &rsp, 1);
	reset();
	CHECK_INT(run(dis_pfcp, m, n, &p), DIS_OK);
	FACT("10.66.1.90", "pfcp.node-id", "10.66.1.91");
	FACT("10.66.1.90", "pfcp.up-features", "0011");
	FACT("10.66.1.90", "pfcp.role", "core/upf");
	FACT("10.66.1.90", "pfcp.recovery-time", "2024-01-02T03:05:00Z");
	/* era 1: an NTP time with the top bit clear is after 2036 */
	n = pfcp_heartbeat(m, sizeof m, 0, 1000, 3);
	reset();
	CHECK_INT(run(dis_pfcp, m, n, &p), DIS_OK);
	FACT("10.66.1.90", "pfcp.recovery-time", "2036-02-07T06:44:56Z");
	static const struct {
		unsigned type;
		int cp_src;
	} sess[] = {{50, 1}, {51, 0}, {52, 1}, {53, 0}, {54, 1}, {55, 0}, {56, 0}, {57, 1}};
	for (size_t i = 0; i < sizeof sess / sizeof sess[0]; i++) {
		n = pfcp_session(m, sizeof m, sess[i].type, 0x1234, 2);
		reset();
		CHECK_INT(run(dis_pfcp, m, n, &p), DIS_OK);
		FACT("10.66.1.90", "pfcp.role", sess[i].cp_src ? "core/smf" : "core/upf");
		FACT("10.66.1.91", "pfcp.role", sess[i].cp_src ? "core/upf" : "core/smf");
	}
	all_prefixes(dis_pfcp, m, n, &p);
	/* a Node ID FQDN that is not a label sequence is kept as seen */
	static const uint8_t badfqdn[] = {0x20, 0x05, 0x00, 0x0d, 0, 0, 1, 0, 0x00, 0x3c, 0x00, 0x05, 0x02, 0x09, 'a', 'b', 'c'};
	reset();
	CHECK_INT(run(dis_pfcp, badfqdn, sizeof badfqdn, &p), DIS_OK);
	CHECK_INT(nfact("10.66.1.90", "pfcp.node-id", NULL), 1);
	CHECK_INT(nfact("10.66.1.90", "pfcp.node-id", "\x09" "abc"), 1);
	CHECK_INT(nkey("ip"), 0);
}

static void test_plmn(void)
{
	static const struct {
		uint8_t p[3];
		const char *want;
	} t[] = {{{0x00, 0xf1, 0x10}, "001-01"}, {{0x13, 0x40, 0x01}, "310-410"}, {{0x02, 0xf8, 0x39}, "208-93"},
	         {{0xab, 0xf1, 0x10}, "abf110"}, {{0x00, 0x1f, 0x10}, "001f10"}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char out[8];
		mob_plmn(t[i].p, out);
		CHECK_STR(out, t[i].want);
		uint8_t back[3];
		if (i < 3) {
			enc_plmn(t[i].want, back);
			CHECK(!memcmp(back, t[i].p, 3));
		}
	}
}

/* ---------- attribution of the facts ---------- */

static void add(struct verdict *v, const char *key, const char *value)
{
	struct evidence ev = {"pcap", SUBJ_IP, "10.66.1.20", key, value, strlen(value), 0, "file:x"};
	attrib_add_evidence(v, &ev, 1);
}

static void test_attrib(void)
{
	struct verdict v;
	/* Vendor-Id 0 and an open-source product: no company, role core/hss */
	verdict_init(&v);
	add(&v, "diameter.vendor-id", "0");
	add(&v, "diameter.supported-vendor-id", "2011");        /* dictionaries spoken, not the maker */
	add(&v, "diameter.auth-application-id", "16777251");
	add(&v, "diameter.product-name", "freeDiameter");
	add(&v, "diameter.role", "core/hss");
	attrib_decide(&v, 20250101);
	CHECK_INT(v.vendor, -1);
	CHECK_STR(v.role, "core");
	CHECK_STR(v.function, "hss");
	CHECK_STR(v.product, "freeDiameter");
	verdict_free(&v);

	/* a claimed Vendor-Id names the company, weakly: too weakly to call
	 * the node high-risk, so it is a dispute ("possibly Huawei") */
	verdict_init(&v);
	add(&v, "diameter.vendor-id", "2011");
	add(&v, "gtp.role", "core");
	add(&v, "s1ap.role", "core/mme");
	attrib_decide(&v, 20250101);
	CHECK_INT(v.vendor, -1);
	CHECK_INT(v.disputed, 1);
	CHECK_INT((int)v.ndisputes, 1);
	if (v.ndisputes) {
		CHECK_STR(kb_vendor(v.disputes[0].vendor)->id, "huawei");
		CHECK_INT(v.disputes[0].high_risk_capable, 1);
	}
	CHECK_STR(v.role, "core");
	CHECK_STR(v.function, "mme");
	verdict_free(&v);

	/* the eNB: protocol role beats the naming convention's. The name the
	 * operator gave it follows a Huawei model: read, but a name others
	 * chose never makes a node high-risk on its own ("possibly Huawei") */
	verdict_init(&v);
	add(&v, "s1ap.enb-name", "DBS3900_LTE_SITE1042");
	add(&v, "s1ap.role", "ran/enb");
	attrib_decide(&v, 20250101);
	CHECK_INT(v.vendor, -1);
	CHECK(v.ndisputes == 1 && v.disputes[0].high_risk_capable &&
	      !strcmp(kb_vendor(v.disputes[0].vendor)->id, "huawei"));
	CHECK_STR(v.role, "ran");
	CHECK_STR(v.function, "enb");
	verdict_free(&v);
	/* ... with firm evidence beside it (its own description), it is */
	verdict_init(&v);
	add(&v, "s1ap.enb-name", "DBS3900_LTE_SITE1042");
	add(&v, "sysDescr", "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (DBS3900 V100R015C10SPC100)");
	attrib_decide(&v, 20250101);
	CHECK_STR(kb_vendor(v.vendor) ? kb_vendor(v.vendor)->id : "-", "huawei");
	verdict_free(&v);

	/* a vendor's model name left in a Diameter identity: weak, but read */
	verdict_init(&v);
	add(&v, "diameter.origin-host", "mme01-usn9810.epc.mnc001.mcc001.3gppnetwork.org");
	add(&v, "diameter.role", "core");
	attrib_decide(&v, 20250101);
	CHECK_INT(v.vendor, -1);
	CHECK(v.ndisputes == 1 && !strcmp(kb_vendor(v.disputes[0].vendor)->id, "huawei"));
	CHECK_STR(v.function, "mme");
	verdict_free(&v);
	/* ... and an identity that names no model claims nothing */
	verdict_init(&v);
	add(&v, "diameter.origin-host", "hss01.epc.mnc001.mcc001.3gppnetwork.org");
	add(&v, "pfcp.node-id", "10.66.1.91");
	attrib_decide(&v, 20250101);
	CHECK_INT(v.vendor, -1);
	verdict_free(&v);

	/* nonsense in a role fact is ignored, not trusted */
	verdict_init(&v);
	add(&v, "pfcp.role", "core/toaster");
	add(&v, "pfcp.role", "kitchen");
	attrib_decide(&v, 20250101);
	CHECK_STR(v.role, "");
	verdict_free(&v);
}

int main(void)
{
	char err[256];
	if (kb_init(err, sizeof err) < 0) {
		fprintf(stderr, "kb_init: %s\n", err);
		return 1;
	}
	test_plmn();
	test_diameter();
	test_s1ap();
	test_ngap();
	test_gtp_pfcp();
	test_attrib();
	fact_sink_free(sink);
	CHECK_DONE();
}
