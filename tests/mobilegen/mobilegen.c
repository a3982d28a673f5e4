/* mobilegen: writes captures of mobile control-plane traffic.
 *
 *   mobilegen fixtures DIR     DIR/mobile.pcap and DIR/mobile.pcapng: the same
 *                              scripted exchange (every message kind the
 *                              dissectors read, IPv4 and IPv6, SCTP packets
 *                              with several chunks); the integration test
 *                              lists the facts they must yield
 *   mobilegen seeds DIR        one file per message kind under DIR/<protocol>/:
 *                              the fuzz targets' seed corpus
 *   mobilegen bench FILE N     about N packets of a control-plane mix: UE
 *                              signalling over thousands of eNBs/gNBs, Diameter,
 *                              GTP-C, PFCP sessions, echoes, and a few percent
 *                              of setup and capability exchanges
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "enc.h"

static uint8_t m1[8192], m2[8192];
static const int64_t T0 = 1700000000000000LL;

/* ---- the scripted exchange ---- */

/* Vendor-Specific-Application-Id {Vendor-Id 3GPP, Auth-Application-Id app} */
static void vsa_auth(struct dia *d, uint32_t app)
{
	dia_group_begin(d, 260);
	dia_u32(d, 266, 10415);
	dia_u32(d, 258, app);
	dia_group_end(d);
}

static size_t cer_mme(uint8_t *b, size_t cap, int request)
{
	struct dia d;
	dia_begin(&d, b, cap, 257, request, 0);
	dia_str(&d, 264, "mme01.epc.mnc001.mcc001.3gppnetwork.org");
	dia_str(&d, 296, "epc.mnc001.mcc001.3gppnetwork.org");
	dia_addr(&d, 257, "10.66.1.10");
	dia_addr(&d, 257, "2001:db8:66::10");
	dia_u32(&d, 266, 2011);
	dia_str(&d, 269, "HUAWEI USN9810");
	dia_u32(&d, 278, 1700000000);
	dia_u32(&d, 265, 10415);
	dia_u32(&d, 265, 5535);
	vsa_auth(&d, 16777251);
	vsa_auth(&d, 16777252);
	dia_u32(&d, 267, 800);
	return dia_end(&d);
}

static size_t cea_hss(uint8_t *b, size_t cap)
{
	struct dia d;
	dia_begin(&d, b, cap, 257, 0, 0);
	dia_u32(&d, 268, 2001);
	dia_str(&d, 264, "hss01.epc.mnc001.mcc001.3gppnetwork.org");
	dia_str(&d, 296, "epc.mnc001.mcc001.3gppnetwork.org");
	dia_addr(&d, 257, "10.66.1.20");
	dia_u32(&d, 266, 0);
	dia_str(&d, 269, "freeDiameter");
	dia_u32(&d, 265, 10415);
	vsa_auth(&d, 16777251);
	vsa_auth(&d, 16777216);
	dia_u32(&d, 258, 16777217);
	dia_u32(&d, 267, 10201);
	return dia_end(&d);
}

static size_t dw(uint8_t *b, size_t cap, int request, const char *host)
{
	struct dia d;
	dia_begin(&d, b, cap, 280, request, 0);
	dia_str(&d, 264, host);
	dia_str(&d, 296, "epc.mnc001.mcc001.3gppnetwork.org");
	if (!request)
		dia_u32(&d, 268, 2001);
	return dia_end(&d);
}

static size_t cer_pcrf(uint8_t *b, size_t cap)
{
	struct dia d;
	dia_begin(&d, b, cap, 257, 1, 0);
	dia_str(&d, 264, "pcrf1.epc.mnc410.mcc310.3gppnetwork.org");
	dia_str(&d, 296, "epc.mnc410.mcc310.3gppnetwork.org");
	dia_addr(&d, 257, "2001:db8:66::30");
	dia_u32(&d, 266, 193);
	dia_str(&d, 269, "Ericsson SAPC");
	vsa_auth(&d, 16777238);
	vsa_auth(&d, 16777236);
	return dia_end(&d);
}

static size_t cer_dra(uint8_t *b, size_t cap)
{
	struct dia d;
	dia_begin(&d, b, cap, 257, 1, 0);
	dia_str(&d, 264, "dra1.example.net");
	dia_str(&d, 296, "example.net");
	dia_addr(&d, 257, "10.66.1.99");
	dia_u32(&d, 266, 0);
	dia_str(&d, 269, "jDiameter");
	dia_u32(&d, 259, 0xffffffffu);
	dia_u32(&d, 258, 0xffffffffu);
	return dia_end(&d);
}

static void fixtures(struct capw *w)
{
	int64_t t = T0;
	size_t n, n2;

	/* Diameter over TCP 3868, IPv4: MME CER, HSS CEA, watchdogs */
	struct gflow mme_hss = {"10.66.1.10", "10.66.1.20", 40001, 3868, 1000, 0};
	struct gflow hss_mme = {"10.66.1.20", "10.66.1.10", 3868, 40001, 5000, 0};
	n = cer_mme(m1, sizeof m1, 1);
	cap_tcp(w, t += 1000, &mme_hss, m1, n);
	n = cea_hss(m1, sizeof m1);
	cap_tcp(w, t += 1000, &hss_mme, m1, n);
	/* two messages in one segment: DWR then a DWA */
	n = dw(m1, sizeof m1, 1, "mme01.epc.mnc001.mcc001.3gppnetwork.org");
	n2 = dw(m1 + n, sizeof m1 - n, 0, "mme01.epc.mnc001.mcc001.3gppnetwork.org");
	cap_tcp(w, t += 1000, &mme_hss, m1, n + n2);

	/* Diameter over SCTP, IPv6: PCRF CER and a DWR bundled in one packet */
	struct gflow pcrf = {"2001:db8:66::30", "2001:db8:66::31", 3868, 3868, 0, 0};
	n = cer_pcrf(m1, sizeof m1);
	n2 = dw(m2, sizeof m2, 1, "pcrf1.epc.mnc410.mcc310.3gppnetwork.org");
	struct chunk dc[2] = {{m1, n, 46}, {m2, n2, 46}};
	cap_sctp(w, t += 1000, &pcrf, dc, 2);

	/* Diameter on a port that is not Diameter's: found by the heuristic */
	struct gflow dra = {"10.66.1.99", "10.66.1.20", 20868, 41000, 1, 0};
	n = cer_dra(m1, sizeof m1);
	cap_tcp(w, t += 1000, &dra, m1, n);

	/* S1AP, IPv4: S1 Setup Request bundled with an Initial UE Message */
	struct gflow enb_mme = {"10.66.2.1", "10.66.1.10", 36412, 36412, 0, 0};
	struct gflow mme_enb = {"10.66.1.10", "10.66.2.1", 36412, 36412, 0, 0};
	struct enb_id macro = {"001-01", "macro", 123456};
	struct s1_ta tas[2] = {{0x0001, {"001-01", "310-410"}, 2}, {0x00ff, {"001-01"}, 1}};
	n = s1ap_setup_request(m1, sizeof m1, "DBS3900_LTE_SITE1042", &macro, tas, 2);
	n2 = s1ap_nas(m2, sizeof m2, 12, 77);
	struct chunk sc[2] = {{m1, n, 18}, {m2, n2, 18}};
	cap_sctp(w, t += 1000, &enb_mme, sc, 2);
	const char *mplmn[1] = {"001-01"};
	uint16_t groups[1] = {0x8001};
	uint8_t codes[1] = {0x01};
	n = s1ap_setup_response(m1, sizeof m1, "MME01_USN9810", mplmn, 1, groups, 1, codes, 1);
	struct chunk sr[1] = {{m1, n, 18}};
	cap_sctp(w, t += 1000, &mme_enb, sr, 1);

	/* S1AP over IPv6: a home eNB (srsRAN default name), then an eNB with a
	 * long macro id (an extension alternative) sent with PPID 0 */
	struct gflow henb = {"2001:db8:66::2:2", "2001:db8:66::1:10", 36412, 36412, 0, 0};
	struct enb_id home = {"310-410", "home", 0x0abcdef};
	struct s1_ta hta[1] = {{0x1234, {"310-410"}, 1}};
	n = s1ap_setup_request(m1, sizeof m1, "srsenb01", &home, hta, 1);
	struct chunk hc[1] = {{m1, n, 18}};
	cap_sctp(w, t += 1000, &henb, hc, 1);
	struct gflow lenb = {"2001:db8:66::2:3", "2001:db8:66::1:10", 36412, 36412, 0, 0};
	struct enb_id lng = {"001-01", "long-macro", 0x1abcde};
	n = s1ap_setup_request(m1, sizeof m1, NULL, &lng, hta, 1);
	struct chunk lc[1] = {{m1, n, 0}};
	cap_sctp(w, t += 1000, &lenb, lc, 1);

	/* X2AP between two eNBs */
	struct gflow x2 = {"10.66.2.1", "10.66.2.2", 36422, 36422, 0, 0};
	struct gflow x2r = {"10.66.2.2", "10.66.2.1", 36422, 36422, 0, 0};
	n = x2ap_setup(m1, sizeof m1, 0, &macro);
	struct chunk xc[1] = {{m1, n, 27}};
	cap_sctp(w, t += 1000, &x2, xc, 1);
	struct enb_id peer = {"001-01", "macro", 654321};
	n = x2ap_setup(m1, sizeof m1, 1, &peer);
	xc[0].n = n;
	cap_sctp(w, t += 1000, &x2r, xc, 1);

	/* NGAP, IPv4: gNB and AMF */
	struct gflow gnb_amf = {"10.66.3.1", "10.66.1.40", 38412, 38412, 0, 0};
	struct gflow amf_gnb = {"10.66.1.40", "10.66.3.1", 38412, 38412, 0, 0};
	struct ran_id gnb = {"208-93", "gnb", 0x1234, 22};
	struct ng_ta nta[1] = {{0x000001, "208-93", {1, 1, 0x010203}}};
	n = ngap_setup_request(m1, sizeof m1, "gNB-Eurecom-5GNRBox", &gnb, nta, 1);
	struct chunk nc[1] = {{m1, n, 60}};
	cap_sctp(w, t += 1000, &gnb_amf, nc, 1);
	struct guami gm[1] = {{"208-93", 0x02, 0x001, 0x01, "amf-backup"}};
	struct plmn_support ps[1] = {{"208-93", {{1, 0, 0}, {2, 1, 0x000001}}, 2}};
	n = ngap_setup_response(m1, sizeof m1, "open5gs-amf0", gm, 1, ps, 1);
	nc[0].n = n;
	cap_sctp(w, t += 1000, &amf_gnb, nc, 1);
	n = ngap_nas(m1, sizeof m1, 15, 5);
	nc[0].n = n;
	cap_sctp(w, t += 1000, &gnb_amf, nc, 1);

	/* NGAP over IPv6: an ng-eNB with a short macro id */
	struct gflow ngenb = {"2001:db8:66::3:2", "2001:db8:66::1:40", 38412, 38412, 0, 0};
	struct ran_id ne = {"208-93", "ng-enb-short", 0x2abcd, 0};
	struct ng_ta nta2[1] = {{0x0000ff, "208-93", {1, 0, 0}}};
	n = ngap_setup_request(m1, sizeof m1, "ngenb-site-7", &ne, nta2, 1);
	nc[0].n = n;
	cap_sctp(w, t += 1000, &ngenb, nc, 1);

	/* XnAP between two gNBs */
	struct gflow xn = {"10.66.3.1", "10.66.3.2", 38422, 38422, 0, 0};
	struct gflow xnr = {"10.66.3.2", "10.66.3.1", 38422, 38422, 0, 0};
	n = xnap_setup(m1, sizeof m1, 0, &gnb);
	struct chunk xnc[1] = {{m1, n, 61}};
	cap_sctp(w, t += 1000, &xn, xnc, 1);
	struct ran_id gnb2 = {"208-93", "gnb", 0x2345678, 28};
	xnc[0].n = xnap_setup(m1, sizeof m1, 1, &gnb2);
	cap_sctp(w, t += 1000, &xnr, xnc, 1);

	/* GTPv2-C: MME -> SGW Create Session (S11), SGW answers; SGW -> PGW (S5) */
	struct gflow s11 = {"10.66.1.10", "10.66.1.50", 2123, 2123, 0, 0};
	struct gflow s11r = {"10.66.1.50", "10.66.1.10", 2123, 2123, 0, 0};
	struct gflow s5 = {"10.66.1.50", "10.66.1.60", 2123, 2123, 0, 0};
	n = gtpv2c_with_fteid(m1, sizeof m1, 32, 10, "10.66.1.10", 7, 1);
	cap_udp(w, t += 1000, &s11, m1, n);
	n = gtpv2c_with_fteid(m1, sizeof m1, 33, 11, "10.66.1.50", 9, 1);
	cap_udp(w, t += 1000, &s11r, m1, n);
	n = gtpv2c_with_fteid(m1, sizeof m1, 32, 6, "10.66.1.50", 9, 2);
	cap_udp(w, t += 1000, &s5, m1, n);
	struct gflow s5r = {"10.66.1.60", "10.66.1.50", 2123, 2123, 0, 0};
	n = gtpv2c_echo(m1, sizeof m1, 0, 3, 3);
	cap_udp(w, t += 1000, &s5r, m1, n);

	/* GTPv1-C: SGSN -> GGSN Create PDP Context, echo over IPv6 */
	struct gflow gn = {"10.66.1.70", "10.66.1.80", 2123, 2123, 0, 0};
	n = gtpv1c_create_pdp(m1, sizeof m1, 0, 11);
	cap_udp(w, t += 1000, &gn, m1, n);
	struct gflow gn6 = {"2001:db8:66::80", "2001:db8:66::70", 2123, 2123, 0, 0};
	n = gtpv1c_echo(m1, sizeof m1, 1, 42, 9);
	cap_udp(w, t += 1000, &gn6, m1, n);

	/* GTP-U echo between the eNB and the SGW */
	struct gflow s1u = {"10.66.2.1", "10.66.1.50", 2152, 2152, 0, 0};
	n = gtpu_echo(m1, sizeof m1, 0, 1);
	cap_udp(w, t += 1000, &s1u, m1, n);

	/* PFCP: SMF -> UPF association (Node ID FQDN), UPF answers (IPv4 id),
	 * then a session establishment; a heartbeat over IPv6 */
	struct gflow n4 = {"10.66.1.90", "10.66.1.91", 8805, 8805, 0, 0};
	struct gflow n4r = {"10.66.1.91", "10.66.1.90", 8805, 8805, 0, 0};
	static const uint8_t cpf[1] = {0x01}, upf[2] = {0x00, 0x11};
	/* 2024-01-02T03:04:05Z = 1704164645 Unix = 3913153445 NTP */
	struct pfcp_assoc req = {NULL, "smf1.5gc.mnc093.mcc208.3gppnetwork.org", 3913153445u, NULL, cpf, 0, 1};
	struct pfcp_assoc rsp = {"10.66.1.91", NULL, 3913153500u, upf, NULL, 2, 0};
	n = pfcp_assoc_setup(m1, sizeof m1, 0, &req, 1);
	cap_udp(w, t += 1000, &n4, m1, n);
	n = pfcp_assoc_setup(m1, sizeof m1, 1, &rsp, 1);
	cap_udp(w, t += 1000, &n4r, m1, n);
	n = pfcp_session(m1, sizeof m1, 50, 0, 2);
	cap_udp(w, t += 1000, &n4, m1, n);
	struct gflow n46 = {"2001:db8:66::91", "2001:db8:66::90", 8805, 8805, 0, 0};
	n = pfcp_heartbeat(m1, sizeof m1, 0, 3913153500u, 3);
	cap_udp(w, t += 1000, &n46, m1, n);
}

/* ---- seeds for the fuzz targets ---- */

static void seed1(const char *dir, const char *proto, const uint8_t *p, size_t n);

/* Diameter's seeds serve its heuristic-path target as well. */
static void seed(const char *dir, const char *proto, const uint8_t *p, size_t n)
{
	seed1(dir, proto, p, n);
	if (!strcmp(proto, "diameter"))
		seed1(dir, "diameter_heur", p, n);
}

static void seed1(const char *dir, const char *proto, const uint8_t *p, size_t n)
{
	static int k;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, proto);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%s/%03d.bin", dir, proto, k++);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void seeds(const char *dir)
{
	size_t n;
	mkdir(dir, 0755);
	seed(dir, "diameter", m1, cer_mme(m1, sizeof m1, 1));
	seed(dir, "diameter", m1, cea_hss(m1, sizeof m1));
	seed(dir, "diameter", m1, cer_pcrf(m1, sizeof m1));
	seed(dir, "diameter", m1, cer_dra(m1, sizeof m1));
	n = dw(m1, sizeof m1, 1, "a.example");
	n += dw(m1 + n, sizeof m1 - n, 0, "b.example");
	seed(dir, "diameter", m1, n);
	struct enb_id ids[4] = {{"001-01", "macro", 123456}, {"310-410", "home", 0xabcdef},
	                        {"001-01", "short-macro", 0x2abcd}, {"001-01", "long-macro", 0x1abcde}};
	struct s1_ta tas[2] = {{0x0001, {"001-01", "310-410"}, 2}, {0x00ff, {"001-01"}, 1}};
	for (int i = 0; i < 4; i++) {
		seed(dir, "s1ap", m1, s1ap_setup_request(m1, sizeof m1, i ? NULL : "enb-1", &ids[i], tas, 2));
		seed(dir, "x2ap", m1, x2ap_setup(m1, sizeof m1, i & 1, &ids[i]));
	}
	const char *pl[2] = {"001-01", "310-410"};
	uint16_t g[2] = {0x8001, 2};
	uint8_t c[2] = {1, 2};
	seed(dir, "s1ap", m1, s1ap_setup_response(m1, sizeof m1, "mme-1", pl, 2, g, 2, c, 2));
	seed(dir, "s1ap", m1, s1ap_nas(m1, sizeof m1, 12, 7));
	seed(dir, "s1ap", m1, s1ap_nas(m1, sizeof m1, 11, 7));
	struct ran_id rids[5] = {{"208-93", "gnb", 0x1234, 22}, {"208-93", "gnb", 1, 32}, {"208-93", "ng-enb-macro", 5, 0},
	                         {"208-93", "ng-enb-long", 7, 0}, {"208-93", "n3iwf", 9, 0}};
	struct ng_ta nta[2] = {{1, "208-93", {1, 1, 0x010203}}, {2, "001-01", {2, 0, 0}}};
	for (int i = 0; i < 5; i++)
		seed(dir, "ngap", m1, ngap_setup_request(m1, sizeof m1, i ? NULL : "gnb-1", &rids[i], nta, 2));
	struct guami gm[2] = {{"208-93", 2, 1, 1, "backup"}, {"001-01", 3, 0x3ff, 0x3f, NULL}};
	struct plmn_support ps[1] = {{"208-93", {{1, 0, 0}, {2, 1, 1}}, 2}};
	seed(dir, "ngap", m1, ngap_setup_response(m1, sizeof m1, "amf-1", gm, 2, ps, 1));
	seed(dir, "ngap", m1, ngap_nas(m1, sizeof m1, 15, 3));
	for (int i = 0; i < 4; i++)
		seed(dir, "xnap", m1, xnap_setup(m1, sizeof m1, i & 1, &rids[i]));
	seed(dir, "gtpc", m1, gtpv2c_with_fteid(m1, sizeof m1, 32, 10, "10.66.1.10", 7, 1));
	seed(dir, "gtpc", m1, gtpv2c_with_fteid(m1, sizeof m1, 33, 11, "10.66.1.50", 7, 1));
	seed(dir, "gtpc", m1, gtpv2c_echo(m1, sizeof m1, 1, 3, 3));
	seed(dir, "gtpc", m1, gtpv1c_create_pdp(m1, sizeof m1, 0, 11));
	seed(dir, "gtpc", m1, gtpv1c_create_pdp(m1, sizeof m1, 1, 11));
	seed(dir, "gtpc", m1, gtpv1c_echo(m1, sizeof m1, 1, 42, 9));
	seed(dir, "gtpu", m1, gtpu_echo(m1, sizeof m1, 0, 1));
	seed(dir, "gtpu", m1, gtpu_echo(m1, sizeof m1, 1, 1));
	static const uint8_t cpf[1] = {1}, upf[2] = {0, 0x11};
	struct pfcp_assoc req = {NULL, "smf1.example.org", 3913153445u, NULL, cpf, 0, 1};
	struct pfcp_assoc rsp = {"10.66.1.91", NULL, 3913153500u, upf, NULL, 2, 0};
	seed(dir, "pfcp", m1, pfcp_assoc_setup(m1, sizeof m1, 0, &req, 1));
	seed(dir, "pfcp", m1, pfcp_assoc_setup(m1, sizeof m1, 1, &rsp, 1));
	seed(dir, "pfcp", m1, pfcp_heartbeat(m1, sizeof m1, 0, 1000, 3));
	seed(dir, "pfcp", m1, pfcp_session(m1, sizeof m1, 50, 5, 2));
}

/* ---- the benchmark mix ---- */

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void ip_of(char *out, size_t len, int net, uint32_t i)
{
	snprintf(out, len, "10.%d.%u.%u", net, (i >> 8) & 255, i & 255);
}

/* RAN nodes (10.20/16 eNBs, 10.30/16 gNBs) sit at remote sites: their
 * packets reach the capture point through a router (its MAC, TTL 61);
 * the core nodes (10.1/16) are on the captured segment. */
static void bench(struct capw *w, long target)
{
	static const char *const names[] = {"DBS3900_SITE", "ZXSDR_B8200_", "RBS6201_", "MRBTS-", "eNB-", "site"};
	static const char *const products[] = {"HUAWEI USN9810", "ZXUN uMAC", "Flexi NS", "freeDiameter",
	                                       "Ericsson SAPC", "jDiameter"};
	int64_t t = T0;
	long pk = 0;
	char a[32], b[32], name[64];
	size_t n, n2;
	while (pk < target) {
		uint32_t r = rnd() % 1000, node = rnd() % 4000, ue = rnd();
		t += 50;
		if (r < 300) {                  /* S1AP UE signalling, 2 chunks */
			ip_of(a, sizeof a, 20, node);
			ip_of(b, sizeof b, 1, node % 8);
			struct gflow f = {a, b, 36412, 36412, 0, 1};
			n = s1ap_nas(m1, sizeof m1, r < 150 ? 12 : 13, ue);
			n2 = s1ap_nas(m2, sizeof m2, 13, ue + 1);
			struct chunk c[2] = {{m1, n, 18}, {m2, n2, 18}};
			cap_sctp(w, t, &f, c, 2);
		} else if (r < 400) {           /* S1AP downlink */
			ip_of(a, sizeof a, 1, node % 8);
			ip_of(b, sizeof b, 20, node);
			struct gflow f = {a, b, 36412, 36412, 0, 0};
			n = s1ap_nas(m1, sizeof m1, 11, ue);
			struct chunk c[1] = {{m1, n, 18}};
			cap_sctp(w, t, &f, c, 1);
		} else if (r < 520) {           /* NGAP UE signalling */
			ip_of(a, sizeof a, 30, node);
			ip_of(b, sizeof b, 1, 40 + node % 4);
			struct gflow f = {a, b, 38412, 38412, 0, 1};
			n = ngap_nas(m1, sizeof m1, r < 460 ? 15 : 46, ue);
			struct chunk c[1] = {{m1, n, 60}};
			cap_sctp(w, t, &f, c, 1);
		} else if (r < 640) {           /* GTPv2-C sessions and echoes */
			ip_of(a, sizeof a, 1, node % 8);
			ip_of(b, sizeof b, 1, 50 + node % 4);
			struct gflow f = {a, b, 2123, 2123, 0, 0};
			n = r < 620 ? gtpv2c_with_fteid(m1, sizeof m1, r < 600 ? 32 : 34, 10, a, 7, ue & 0xffffff)
			            : gtpv2c_echo(m1, sizeof m1, 0, 7, ue & 0xffffff);
			cap_udp(w, t, &f, m1, n);
		} else if (r < 760) {           /* PFCP sessions */
			ip_of(a, sizeof a, 1, 90 + node % 4);
			ip_of(b, sizeof b, 1, 100 + node % 16);
			struct gflow f = {a, b, 8805, 8805, 0, 0};
			n = pfcp_session(m1, sizeof m1, 50 + (r % 4) * 2, ue, ue & 0xffffff);
			cap_udp(w, t, &f, m1, n);
		} else if (r < 900) {           /* Diameter S6a/Gx requests over SCTP and TCP */
			struct dia d;
			ip_of(a, sizeof a, 1, node % 8);
			ip_of(b, sizeof b, 1, 20 + node % 2);
			dia_begin(&d, m1, sizeof m1, r < 830 ? 316 : 272, 1, r < 830 ? 16777251 : 16777238);
			snprintf(name, sizeof name, "mme%u.epc;%u;%u", node % 8, ue, node);
			dia_str(&d, 263, name);
			dia_str(&d, 264, "mme.epc.mnc001.mcc001.3gppnetwork.org");
			dia_str(&d, 296, "epc.mnc001.mcc001.3gppnetwork.org");
			dia_str(&d, 283, "epc.mnc001.mcc001.3gppnetwork.org");
			dia_str(&d, 1, "001010123456789");
			n = dia_end(&d);
			if (r < 830) {
				struct gflow f = {a, b, 3868, 3868, 0, 0};
				struct chunk c[1] = {{m1, n, 46}};
				cap_sctp(w, t, &f, c, 1);
			} else {
				struct gflow f = {a, b, 40000, 3868, ue, 0};
				cap_tcp(w, t, &f, m1, n);
			}
		} else if (r < 960) {           /* echoes and GTP-U echo */
			ip_of(a, sizeof a, 20, node);
			ip_of(b, sizeof b, 1, 50 + node % 4);
			struct gflow f = {a, b, 2152, 2152, 0, 1};
			n = gtpu_echo(m1, sizeof m1, r & 1, (uint16_t)ue);
			cap_udp(w, t, &f, m1, n);
		} else if (r < 975) {           /* S1 Setup */
			ip_of(a, sizeof a, 20, node);
			ip_of(b, sizeof b, 1, node % 8);
			struct gflow f = {a, b, 36412, 36412, 0, 1};
			struct enb_id g = {"001-01", "macro", node * 16 + 1};
			struct s1_ta ta[1] = {{(uint16_t)(node % 300), {"001-01"}, 1}};
			snprintf(name, sizeof name, "%s%u", names[node % 6], node);
			n = s1ap_setup_request(m1, sizeof m1, name, &g, ta, 1);
			struct chunk c[1] = {{m1, n, 18}};
			cap_sctp(w, t, &f, c, 1);
		} else if (r < 985) {           /* NG Setup */
			ip_of(a, sizeof a, 30, node);
			ip_of(b, sizeof b, 1, 40 + node % 4);
			struct gflow f = {a, b, 38412, 38412, 0, 1};
			struct ran_id g = {"208-93", "gnb", node, 24};
			struct ng_ta ta[1] = {{node % 1000, "208-93", {1, 1, 0x000001}}};
			snprintf(name, sizeof name, "gnb-%u", node);
			n = ngap_setup_request(m1, sizeof m1, name, &g, ta, 1);
			struct chunk c[1] = {{m1, n, 60}};
			cap_sctp(w, t, &f, c, 1);
		} else if (r < 995) {           /* CER */
			struct dia d;
			ip_of(a, sizeof a, 1, node % 64);
			ip_of(b, sizeof b, 1, 20);
			dia_begin(&d, m1, sizeof m1, 257, 1, 0);
			snprintf(name, sizeof name, "node%u.epc.mnc001.mcc001.3gppnetwork.org", node % 64);
			dia_str(&d, 264, name);
			dia_str(&d, 296, "epc.mnc001.mcc001.3gppnetwork.org");
			dia_addr(&d, 257, a);
			dia_u32(&d, 266, node % 3 ? 2011 : 0);
			dia_str(&d, 269, products[node % 6]);
			vsa_auth(&d, 16777251);
			n = dia_end(&d);
			struct gflow f = {a, b, 3868, 3868, 0, 0};
			struct chunk c[1] = {{m1, n, 46}};
			cap_sctp(w, t, &f, c, 1);
		} else {                        /* PFCP association */
			ip_of(a, sizeof a, 1, 100 + node % 16);
			ip_of(b, sizeof b, 1, 90);
			static const uint8_t upf[2] = {0x00, 0x11};
			struct pfcp_assoc as = {a, NULL, 3913153500u + node % 16, upf, NULL, 2, 0};
			struct gflow f = {a, b, 8805, 8805, 0, 0};
			n = pfcp_assoc_setup(m1, sizeof m1, 1, &as, ue & 0xffffff);
			cap_udp(w, t, &f, m1, n);
		}
		pk++;
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fixtures")) {
		static const char *const fmts[2] = {"pcap", "pcapng"};
		for (int i = 0; i < 2; i++) {
			char path[4096];
			snprintf(path, sizeof path, "%s/mobile.%s", argv[2], fmts[i]);
			struct capw *w = capw_open(path, fmts[i]);
			if (!w) {
				perror(path);
				return 1;
			}
			fixtures(w);
			if (capw_close(w)) {
				perror(path);
				return 1;
			}
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "seeds")) {
		seeds(argv[2]);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "bench")) {
		struct capw *w = capw_open(argv[2], "pcap");
		if (!w) {
			perror(argv[2]);
			return 1;
		}
		bench(w, atol(argv[3]));
		return capw_close(w) ? 1 : 0;
	}
	fprintf(stderr, "usage: mobilegen fixtures DIR | mobilegen seeds DIR | mobilegen bench FILE NPACKETS\n");
	return 64;
}
