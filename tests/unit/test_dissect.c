/* The frame path and dissectors without files: real frames (from the
 * generator, in dissect_frames.inc) give their facts; every prefix of
 * every frame (what a truncated capture holds) is either parsed or
 * counted malformed, never a crash or an over-read (run under ASan);
 * loops that hostile lengths could cause end; the fact and MAC tables
 * keep their bounds; the dissector table dispatches by port first. */
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pcap_int.h"
#include "util.h"

#include "dissect_frames.inc"

/* ---- an evidence sink that keeps rows in memory ---- */
struct row {
	char subject[300], key[64];
	char value[512];
	size_t len;
};
static struct row rows[4096];
static size_t nrows;

static int keep(struct ev_sink *s, const struct evidence *ev)
{
	(void)s;
	if (nrows == sizeof rows / sizeof rows[0])
		return -1;
	struct row *r = &rows[nrows++];
	snprintf(r->subject, sizeof r->subject, "%s", ev->subject);
	snprintf(r->key, sizeof r->key, "%s", ev->key);
	r->len = ev->value_len < sizeof r->value - 1 ? ev->value_len : sizeof r->value - 1;
	memcpy(r->value, ev->value, r->len);
	r->value[r->len] = 0;
	return 0;
}
static struct ev_sink sink = {keep, NULL, NULL, 0};

static const char *fact(const char *subject, const char *key)
{
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].subject, subject) && !strcmp(rows[i].key, key))
			return rows[i].value;
	return NULL;
}

static size_t count(const char *key)
{
	size_t n = 0;
	for (size_t i = 0; i < nrows; i++)
		n += !strcmp(rows[i].key, key);
	return n;
}

static uint64_t malformed(const char *proto)
{
	size_t n;
	const struct dis_stat *s = dis_stats(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s[i].proto, proto))
			return s[i].malformed;
	return 0;
}

static uint64_t parsed(const char *proto)
{
	size_t n;
	const struct dis_stat *s = dis_stats(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s[i].proto, proto))
			return s[i].parsed;
	return 0;
}

static dis_result run(struct fact_sink *fs, const uint8_t *f, size_t n)
{
	return frame_dissect(fs, DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, 1700000000000000LL, "test");
}

#define FRAME(x) {#x, x, sizeof x}
static const struct {
	const char *name;
	const uint8_t *p;
	size_t n;
} frames[] = {
	FRAME(f_lldp), FRAME(f_cdp), FRAME(f_dhcp_discover), FRAME(f_dhcpv6_solicit),
	FRAME(f_snmp_response), FRAME(f_snmpv3_report), FRAME(f_telnet_synack), FRAME(f_telnet_1), FRAME(f_http),
	FRAME(f_tls_1), FRAME(f_tls_2), FRAME(f_arp), FRAME(f_ndp_na),
};

static void test_facts(void)
{
	nrows = 0;
	dis_stats_reset();
	struct fact_sink *fs = fact_sink_new(&sink, 0, 0);
	for (size_t i = 0; i < OS_ARRAY_LEN(frames); i++)
		CHECK_INT(run(fs, frames[i].p, frames[i].n), DIS_OK);
	fact_sink_flush(fs, 0, "test");
	CHECK_STR(fact("mac:00:1e:10:aa:00:01", "lldp.sysname"), "sw-access-01");
	CHECK_STR(fact("mac:00:1e:10:aa:00:01", "lldp.med.serial"), "2102350DLL10K1000123");
	CHECK_STR(fact("mac:00:1e:10:aa:00:01", "lldp.mgmt-addr"), "10.1.1.2");
	CHECK_STR(fact("name:dist-sw-02.example.net", "cdp.platform"), "cisco WS-C3750E-48PD");
	CHECK_STR(fact("name:dist-sw-02.example.net", "sysObjectID"), "1.3.6.1.4.1.9.1.516");
	CHECK_STR(fact("08:60:83:cc:00:03", "dhcp.vendor-class"), "ZTE-F660");
	CHECK_STR(fact("08:60:83:cc:00:03", "dhcp.enterprise"), "3902");
	CHECK_STR(fact("28:6e:d4:ff:00:06", "dhcp.enterprise"), "2011");
	CHECK_STR(fact("10.4.4.4", "sysObjectID"), "1.3.6.1.4.1.2011.2.62.2.9");
	CHECK_STR(fact("10.4.4.4", "entPhysicalModelName.16777216"), "NE40E-X8A");
	CHECK_STR(fact("10.4.4.4", "entPhysicalClass.16777216"), "3");
	CHECK(fact("10.4.4.4", "snmp.engine-id") != NULL);
	CHECK_STR(fact("10.7.7.7", "http.server"), "HUAWEI HG8245H");
	CHECK_STR(fact("10.8.8.8", "tls.subject-cn"), "mx-edge-1.example.net");
	CHECK_STR(fact("00:00:0c:bb:00:02", "ip"), "10.2.2.2");
	CHECK_STR(fact("f8:4a:bf:12:00:07", "ip"), "2001:db8::7");
	/* telnet: the first segment ends in no prompt; the flush writes it */
	CHECK_STR(fact("10.6.6.6", "telnet.banner"), "******************************");
	/* the SNMP community never becomes a fact */
	for (size_t i = 0; i < nrows; i++)
		CHECK(!memmem(rows[i].value, rows[i].len, "s3cr3t", 6) && !strstr(rows[i].subject, "s3cr3t"));
	/* dedup: the same frames again add no rows */
	size_t before = nrows;
	for (size_t i = 0; i < OS_ARRAY_LEN(frames); i++)
		run(fs, frames[i].p, frames[i].n);
	CHECK_INT(nrows, before);
	CHECK(fs->repeats > 0);
	fact_sink_free(fs);
}

/* Every prefix of every frame: parsed or malformed, nothing else. */
static void test_truncation(void)
{
	struct fact_sink *fs = fact_sink_new(&sink, 0, 0);
	for (size_t i = 0; i < OS_ARRAY_LEN(frames); i++)
		for (size_t n = 0; n <= frames[i].n; n++) {
			uint8_t *copy = xmalloc(n ? n : 1);     /* exact size: ASan sees any over-read */
			memcpy(copy, frames[i].p, n);
			nrows = 0;
			dis_result r = run(fs, copy, n);
			CHECK(r == DIS_OK || r == DIS_MALFORMED);
			/* and the snap length said so: never malformed for being cut */
			r = frame_dissect(fs, DLT_EN10MB, copy, (uint32_t)n, (uint32_t)frames[i].n, 0, "t");
			CHECK(r == DIS_OK || r == DIS_MALFORMED);
			free(copy);
		}
	fact_sink_free(fs);
}

static void test_loops(void)
{
	struct fact_sink *fs = fact_sink_new(&sink, 0, 0);
	dis_stats_reset();
	/* SCTP chunk length 0 */
	uint8_t sctp[14 + 20 + 12 + 16];
	memset(sctp, 0, sizeof sctp);
	memcpy(sctp, "\x00\x11\x22\x33\x44\x55\x00\x1e\x10\x00\x00\x01\x08\x00", 14);
	memcpy(sctp + 14, "\x45\x00\x00\x30\x00\x00\x00\x00\x40\x84\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02", 20);
	memcpy(sctp + 34, "\x8e\xfc\x8e\xfc\x00\x00\x00\x01\x00\x00\x00\x00", 12);
	sctp[46] = 0; sctp[47] = 3; sctp[48] = 0; sctp[49] = 0;         /* DATA, length 0 */
	CHECK_INT(run(fs, sctp, sizeof sctp), DIS_MALFORMED);
	CHECK_INT(malformed("sctp"), 1);
	/* CDP TLV length 0 */
	static const uint8_t cdp0[] = {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, 0x00, 0x00, 0x0c, 0xbb, 0x00, 0x02, 0x00, 0x10,
	                               0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00, 0x02, 0xb4, 0x00, 0x00,
	                               0x00, 0x01, 0x00, 0x00};
	CHECK_INT(run(fs, cdp0, sizeof cdp0), DIS_MALFORMED);
	CHECK_INT(malformed("cdp"), 1);
	/* LLDP: a frame of nothing but zero-length TLVs of type 5 after a chassis id */
	uint8_t lldp[14 + 9 + 2 * 300];
	memset(lldp, 0, sizeof lldp);
	memcpy(lldp, "\x01\x80\xc2\x00\x00\x0e\x00\x1e\x10\x00\x00\x01\x88\xcc\x02\x07\x04\x00\x1e\x10\x00\x00\x01", 23);
	for (size_t k = 23; k + 1 < sizeof lldp; k += 2)
		lldp[k] = 5 << 1;
	CHECK_INT(run(fs, lldp, sizeof lldp), DIS_OK);
	/* GRE inside GRE ... beyond the tunnel bound */
	uint8_t deep[64 * 24 + 14];
	size_t off = 0;
	memcpy(deep, "\x00\x11\x22\x33\x44\x55\x00\x1e\x10\x00\x00\x01\x08\x00", 14);
	off = 14;
	for (int k = 0; k < 64; k++) {
		size_t tot = sizeof deep - off;
		static const uint8_t ip[] = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, 47, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
		memcpy(deep + off, ip, 20);
		deep[off + 2] = (uint8_t)(tot >> 8);
		deep[off + 3] = (uint8_t)tot;
		memcpy(deep + off + 20, "\x00\x00\x08\x00", 4);
		off += 24;
	}
	CHECK_INT(run(fs, deep, off), DIS_MALFORMED);
	CHECK(malformed("gre") == 0 || malformed("gre") == 1);
	fact_sink_free(fs);
}

static void test_ip4_text(void)
{
	static const uint8_t a[][4] = {{0, 0, 0, 0}, {255, 255, 255, 255}, {10, 0, 100, 9}, {1, 22, 200, 99}};
	static const char *const want[] = {"0.0.0.0", "255.255.255.255", "10.0.100.9", "1.22.200.99"};
	for (size_t i = 0; i < OS_ARRAY_LEN(a); i++) {
		char *out = xmalloc(16);                /* exact size: ASan sees a write past it */
		ip4_text(a[i], out);
		CHECK_STR(out, want[i]);
		free(out);
	}
}

static void test_bounds(void)
{
	nrows = 0;
	struct fact_sink *fs = fact_sink_new(&sink, 3, 2);
	struct pkt_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.facts = fs;
	for (int i = 0; i < 100; i++)
		CHECK_INT(fact_emit_str(&ctx, SUBJ_IP, "192.0.2.1", "ssh.banner", "SSH-2.0-x"), 0);
	CHECK_INT(nrows, 1);
	CHECK_INT(fact_emit_str(&ctx, SUBJ_IP, "192.0.2.1", "http.server", "a"), 0);
	CHECK_INT(fact_emit_str(&ctx, SUBJ_IP, "192.0.2.2", "http.server", "a"), 0);
	CHECK_INT(fact_emit_str(&ctx, SUBJ_IP, "192.0.2.3", "http.server", "a"), -1);   /* over the bound */
	CHECK_INT(fs->dropped, 1);
	CHECK_INT(nrows, 3);
	/* MACs: at most 2; a third is counted, not kept */
	static const uint8_t m1[6] = {0, 0x1e, 0x10, 0, 0, 1}, m2[6] = {0, 0x1e, 0x10, 0, 0, 2},
	                     m3[6] = {0, 0x1e, 0x10, 0, 0, 3};
	mac_frame(fs, m1, 0);
	mac_frame(fs, m2, 0);
	mac_frame(fs, m3, 0);
	CHECK_INT(fs->macs_dropped, 0);         /* m3 is counted when the next frame comes */
	mac_settle(fs);
	CHECK_INT(fs->nmacs, 2);
	CHECK_INT(fs->macs_dropped, 1);
	fact_sink_free(fs);

	/* a MAC sending from more than MAC_IPS addresses is a router: no links */
	nrows = 0;
	fs = fact_sink_new(&sink, 0, 0);
	uint8_t a[4] = {10, 0, 0, 0};
	for (int i = 1; i <= MAC_IPS + 1; i++) {
		mac_frame(fs, m1, 0);
		a[3] = (uint8_t)i;
		mac_ip(fs, m1, AF_INET, a, 1);
	}
	mac_frame(fs, m2, 0);
	mac_ip(fs, m2, AF_INET, a, 1);
	a[3] = 200;
	mac_ip(fs, m2, AF_INET, a, 0);          /* routed: never its own */
	fact_sink_flush(fs, 0, "t");
	CHECK(fact("00:1e:10:00:00:01", "mac.router") != NULL);
	CHECK_STR(fact("00:1e:10:00:00:01", "mac.frames"), "17");
	CHECK_STR(fact("00:1e:10:00:00:02", "ip"), "10.0.0.17");
	CHECK_STR(fact("00:1e:10:00:00:02", "mac.forwards"), "yes");
	CHECK_INT(count("ip"), 1);
	fact_sink_free(fs);
}

static int hits;
static dis_result never(struct cur *c, const struct pkt_ctx *ctx)
{
	(void)c, (void)ctx;
	hits++;
	return DIS_NOT_MINE;
}

static dis_result takes(struct cur *c, const struct pkt_ctx *ctx)
{
	(void)ctx;
	cur_skip(c, cur_left(c));
	return DIS_OK;
}

static void test_dissector_table(void)
{
	CHECK(app_proto_find("lldp") != NULL);
	CHECK(app_proto_find("tls") != NULL && app_proto_find("tls")->heuristic);
	CHECK(app_proto_find("no-such") == NULL);
	for (size_t i = 0; i < app_nprotos; i++)
		CHECK(app_protos[i].fn && app_protos[i].name);
	/* an SSH banner on a port nobody registered: found by the heuristic */
	nrows = 0;
	dis_stats_reset();
	struct fact_sink *fs = fact_sink_new(&sink, 0, 0);
	struct pkt_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.facts = fs;
	ctx.family = AF_INET;
	strcpy(ctx.src_ip, "192.0.2.9");
	ctx.l4 = IPPROTO_TCP;
	ctx.sport = 2222;
	ctx.dport = 50000;
	struct cur c = cur_make("SSH-2.0-OpenSSH_9.2\r\n", 21);
	CHECK_INT(app_dispatch(&c, &ctx), DIS_OK);
	CHECK_STR(fact("192.0.2.9", "ssh.banner"), "SSH-2.0-OpenSSH_9.2");
	CHECK_INT(parsed("ssh"), 1);
	/* nothing claims random bytes on a random port */
	c = cur_make("\x01\x02\x03", 3);
	CHECK_INT(app_dispatch(&c, &ctx), DIS_NOT_MINE);
	/* a dry run records nothing */
	nrows = 0;
	c = cur_make("SSH-2.0-Other\r\n", 15);
	CHECK_INT(dis_validated(never, &c, &ctx), DIS_NOT_MINE);
	CHECK_INT(hits, 1);
	/* a payload another dissector took is not taken for ours next time */
	c = cur_make("SSH-2.0-Other\r\n", 15);
	CHECK_INT(dis_validated(takes, &c, &ctx), DIS_OK);
	c = cur_make("SSH-2.0-Other\r\n", 15);
	CHECK_INT(dis_validated(takes, &c, &ctx), DIS_OK);      /* remembered */
	c = cur_make("SSH-2.0-Other\r\n", 15);
	CHECK_INT(dis_validated(never, &c, &ctx), DIS_NOT_MINE);
	CHECK_INT(hits, 2);
	fact_sink_free(fs);
}

/* A stateful row (flow hooks): the server's SYN-ACK opens its flow, the
 * payloads go to append, the end flushes; without the opening, nothing. */
static void test_stateful_row(void)
{
	const struct app_proto *telnet = app_proto_find("telnet");
	CHECK(telnet && telnet->flow);
	nrows = 0;
	struct fact_sink *fs = fact_sink_new(&sink, 0, 0);
	struct pkt_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.facts = fs;
	ctx.family = AF_INET;
	memcpy(ctx.src_ip_raw, "\xc0\x00\x02\x07", 4);
	strcpy(ctx.src_ip, "192.0.2.7");
	ctx.l4 = IPPROTO_TCP;
	ctx.sport = 23;
	ctx.dport = 40000;
	/* a session whose start was not seen says nothing */
#define TEXT(s) cur_make(s, sizeof s - 1)
	struct cur c = TEXT("Welcome\r\nlogin:");
	CHECK_INT(app_try(telnet, &c, &ctx), DIS_OK);
	CHECK_INT(nrows, 0);
	/* one that was: the prompt ends the banner (option negotiation out) */
	c = TEXT("\xff\xfb\x01Welcome\r\nlogin: ");
	CHECK_INT(app_session(telnet, &c, &ctx), DIS_OK);
	CHECK_STR(fact("192.0.2.7", "telnet.banner"), "Welcome\r\nlogin:");
	CHECK_INT(fs->nflows, 0);
	/* no prompt: the flow's end writes what it held */
	ctx.dport = 40001;
	c = TEXT("\r\nHello\r\n");
	CHECK_INT(app_session(telnet, &c, &ctx), DIS_OK);
	CHECK_INT(count("telnet.banner"), 2);
	CHECK_INT(fs->nflows, 0);
	/* opened, then the capture ends: the flush hook writes it */
	ctx.dport = 40002;
	app_open(&ctx);
	c = TEXT("Bye");
#undef TEXT
	CHECK_INT(app_try(telnet, &c, &ctx), DIS_OK);
	CHECK_INT(count("telnet.banner"), 2);
	CHECK_INT(fs->nflows, 1);
	fact_sink_flush(fs, 0, "t");
	CHECK_INT(count("telnet.banner"), 3);
	CHECK_INT(fs->nflows, 0);
	fact_sink_free(fs);
}

int main(void)
{
	test_facts();
	test_truncation();
	test_loops();
	test_bounds();
	test_ip4_text();
	test_dissector_table();
	test_stateful_row();
	CHECK_DONE();
}
