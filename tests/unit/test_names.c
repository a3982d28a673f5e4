/* The open world of makers and the name index: registry-only makers (an
 * organisation no vendor stanza describes), product lines with dated
 * owners, the guards against names that name something else, brand and
 * maker apart, and software stacks that name no device. Strings are
 * written for this test across many makers' lines, not taken from the
 * development corpora. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kb.h"
#include "util.h"

static const char *vid(int v)
{
	const struct kb_vendor *kv = kb_vendor(v);
	return kv ? kv->id : "-";
}

/* the maker a sysDescr names through the name index (or a rule) */
static const char *maker(const char *text)
{
	struct kb_extract e;
	if (!kb_classify(KB_SYSDESCR, text, strlen(text), &e))
		return "-";
	return vid(e.vendor);
}

/* the maker a text of this kind names ("-" none) */
static const char *maker_of(int kind, const char *text)
{
	struct kb_extract e;
	if (!kb_classify(kind, text, strlen(text), &e))
		return "-";
	return vid(e.vendor);
}

static const char *group_of(int kind, const char *text, int date)
{
	struct kb_extract e;
	if (!kb_classify(kind, text, strlen(text), &e) || e.vendor < 0)
		return "-";
	int m = e.line >= 0 ? kb_line_maker(e.line, date) : e.vendor;
	return m >= 0 ? vid(kb_vendor_group(m, date)) : "-";
}


static const char *group_on(const char *text, int date)
{
	struct kb_name_hit h;
	if (!kb_names_find(text, strlen(text), 0, &h))
		return "-";
	int m = h.line >= 0 ? kb_line_maker(h.line, date) : h.maker;
	return m >= 0 ? vid(kb_vendor_group(m, date)) : "-";
}

static void test_registry_only(void)
{
	/* a MAC block of a registrant no stanza describes names it, with the
	 * country of its IEEE address (Teltonika is curated; Mobotix's parent
	 * is not: use registrants that only the registries know) */
	uint8_t m[6];
	struct kb_mac_hit hit;
	CHECK_INT(kb_mac_parse("00:90:0b:12:34:56", m), 0);      /* LANNER ELECTRONICS, TW */
	CHECK_INT(kb_mac_lookup(m, &hit), 1);
	CHECK_INT(hit.vendor, -1);
	CHECK(hit.maker >= 0 && kb_vendor_is_registry_only(hit.maker));
	if (hit.maker >= 0) {
		const struct kb_vendor *kv = kb_vendor(hit.maker);
		CHECK_STR(kv->kind, "registry-only");
		CHECK_STR(kv->country, "TW");
		CHECK(!strncmp(kv->id, "reg.", 4));
		/* the id finds it again, as reports look makers up */
		CHECK_INT(kb_vendor_find(kv->id), hit.maker);
		CHECK_INT(kb_vendor_group(hit.maker, 20250101), hit.maker);
		CHECK_INT(kb_vendor_parent(hit.maker, 20250101), -1);
	}
	/* an enterprise number of a registrant only IANA knows */
	int e = kb_pen_maker(35265);                                /* Eltex Enterprise */
	CHECK(kb_vendor_is_registry_only(e));
	CHECK_STR(kb_vendor(e)->country, "RU");
	CHECK_INT(kb_pen_vendor(35265), -1);
	/* a name seen on a device (ENTITY mfgName) finds the registrant */
	CHECK_INT(kb_maker_by_name("Eltex Enterprise Ltd.", 21), e);
	/* no country in any registry, but the name states the place */
	const char *w = "Shanghai Wedone Digital Ltd. CO.";
	int q = kb_maker_by_name(w, strlen(w));
	CHECK(q >= 0 && kb_vendor_is_registry_only(q));
	CHECK_STR(q >= 0 ? kb_vendor(q)->country : "-", "CN");
	CHECK_INT(kb_vendor_find("reg.no-such-organisation-here"), -1);
	/* curated vendors stay what they were */
	CHECK_STR(vid(kb_pen_maker(2011)), "huawei");
	CHECK_INT(kb_vendor_is_registry_only(kb_vendor_find("huawei")), 0);
}

static void test_product_lines(void)
{
	CHECK_STR(maker("ScreenOS 6.3.0r19.0 (Firewall+VPN) SSG-140"), "netscreen");
	CHECK_STR(maker("ProCurve Switch 2810-24G, revision N.11.25"), "hp-networking");
	CHECK_STR(maker("Quidway S3700-28TP-EI"), "huawei");
	CHECK_STR(maker("ZXR10 M6000-8S Plus, software release V5.00.10"), "zte");
	CHECK_STR(maker("RouterOS RB4011iGS+"), "mikrotik");
	CHECK_STR(maker("EdgeOS v2.0.9-hotfix.6.5574651.221230.1020"), "ubiquiti");
	CHECK_STR(maker("TiMOS-B-16.0.R7 both/i386 7210 SAS-M"), "alcatel-lucent");
	CHECK_STR(maker("FortiGate-100F v7.2.5,build1517"), "fortinet");
	CHECK_STR(maker("PowerConnect 6248 Stackable Ethernet Switch"), "dell");
	CHECK_STR(maker("SonicOS Enhanced 6.5.4.9"), "sonicwall");
	CHECK_STR(maker("ZyWALL USG 310"), "zyxel");
	/* a line names its owner on each date */
	CHECK_STR(group_on("FastIron SX 800 Router", 20100601), "brocade");
	CHECK_STR(group_on("FastIron SX 800 Router", 20180601), "arris");
	CHECK_STR(group_on("FastIron SX 800 Router", 20210601), "commscope");
	CHECK_STR(group_on("NetScreen-25 version 5.0.0r9.0", 20030601), "netscreen");
	CHECK_STR(group_on("NetScreen-25 version 5.0.0r9.0", 20050601), "juniper");
	CHECK_STR(group_on("BayStack 470-48T HW:B3 FW:3.0.0.5", 20050101), "nortel");
	CHECK_STR(group_on("BayStack 470-48T HW:B3 FW:3.0.0.5", 20120101), "avaya");
	CHECK_STR(group_on("BayStack 470-48T HW:B3 FW:3.0.0.5", 20240101), "extreme");
	CHECK_STR(group_on("OmniSwitch 6450-24 6.7.2.191.R04", 20120101), "alcatel-lucent");
	CHECK_STR(group_on("OmniSwitch 6450-24 6.7.2.191.R04", 20200101), "china-huaxin");
	CHECK_STR(group_on("Liebert GXT4 UPS", 20150101), "emerson");
	CHECK_STR(group_on("Liebert GXT4 UPS", 20200101), "vertiv");
	/* a prefix of a maker's model scheme */
	CHECK_STR(maker("DS-7608NI-K2/8P network video recorder"), "hikvision");
	CHECK_STR(maker("DH-XVR5108HS-4KL-I3"), "dahua");
	/* one-word prefixes: the word's beginning names the line */
	CHECK_STR(maker("FSP3000R7 Release 17.1.2"), "adva");
	CHECK_STR(maker("ERS-4850GTS-PWR+ (5.9.2.003)"), "nortel-enterprise-data");
	CHECK_STR(maker("ers-4850gts-pwr+"), "-");      /* case: only as the maker writes it */
	/* a product line before its owner existed names nobody */
	struct kb_name_hit h;
	CHECK_INT(kb_names_find("3PAR InServ F400", 17, 0, &h), 1);
	CHECK_INT(kb_line_maker(h.line, 20050101), -1);
	CHECK_STR(vid(kb_line_maker(h.line, 20120101)), "hp");
}

static void test_traps(void)
{
	/* names that name something else than the maker */
	CHECK_STR(maker("Print server compatible with an HP JETDIRECT EX"), "-");
	CHECK_STR(maker("Wireless bridge for Cisco Aironet networks"), "-");
	CHECK_STR(maker("Smart plug, powered by Huawei HiLink"), "-");
	CHECK_STR(maker("SFP module, Juniper compatible, 10GBASE-LR"), "-");
	CHECK_STR(maker("Network media converter, see http://www.apple.com/support/"), "-");
	CHECK_STR(maker("support@hikvision-partner.example"), "-");
	/* ordinary words are names only with a capital */
	CHECK_STR(maker("network camera with digital zoom"), "-");
	CHECK_STR(maker("generic linux device, apple pie edition"), "-");
	CHECK_STR(maker("Apple AirPort Time Capsule"), "apple");
	/* a name inside a longer word is not the name */
	CHECK_STR(maker("Aztech DSL600EU ADSL2+ router"), "-");
	CHECK_STR(maker("Ztemp sensor board rev 3"), "-");
	CHECK_STR(maker("Huaweisoft billing gateway"), "-");
	/* weekdays and other short capitals are not Sun */
	CHECK_STR(maker("build Sun Apr 2 18:48:04 2023 on armv7"), "-");
	/* chip makers and software stacks name a part, not the device */
	CHECK_STR(maker("Broadcom BCM5720 reference board"), "-");
	CHECK_STR(maker("VxWorks 6.9 image, Wind River"), "-");
	/* a short acronym alone is many things besides a maker: it names
	 * one first on a line, after "by"/(c), or before a company word */
	CHECK_STR(maker("OmniBridge APC 2M-14 V2, build 2203"), "-");
	CHECK_STR(maker("Outdoor CPE, APC mode, 5 GHz"), "-");
	CHECK_STR(maker("APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.4.6 PN:apc_hw05_aos_646.bin)"), "apc");
	CHECK_STR(maker("Rack PDU, (c) APC 2019"), "apc");
	/* a login prompt's line is the host's name: a product line there is
	 * what someone called the host; a maker's name is its default one */
	CHECK_STR(maker_of(KB_TELNET_BANNER, "Debian GNU/Linux 12\r\n\r\nCatalyst-core-01 login: "), "-");
	CHECK_STR(maker_of(KB_TELNET_BANNER, "OpenWrt 19.07\r\nProLiant DL380 Gen10 login:"), "-");
	CHECK_STR(maker_of(KB_TELNET_BANNER, "\r\nMikroTik login: "), "mikrotik");
	/* a CA's boilerplate in a certificate's OU is no registrant's claim */
	CHECK_STR(maker_of(KB_TLS_SUBJECT, "CN=*.cams.example.net,OU=Domain Control Validated,OU=PositiveSSL Wildcard"), "-");
	CHECK_STR(maker_of(KB_TLS_SUBJECT, "CN=gw.example.org,OU=Domain Control Validated,OU=EssentialSSL Wildcard"), "-");
	/* the registrant's word glued into a version string */
	struct kb_name_hit h;
	CHECK_INT(kb_names_find("HW:RevL FW:1.0", 14, 0, &h), 0);
}

static void test_strength(void)
{
	struct kb_name_hit h;
	/* the token "Huawei" is unmistakable; a registrant's name is not */
	CHECK_INT(kb_names_find("HUAWEI B535-232 4G router", 25, 0, &h), 1);
	CHECK_STR(vid(h.maker), "huawei");
	CHECK_INT(h.strong, 1);
	CHECK_INT(kb_names_find("Teltonika RUT955 router", 23, 0, &h), 1);
	CHECK_INT(h.strong, 0);
	/* registry names are left out of software headers */
	CHECK_INT(kb_names_find("Mocana Embedded Server", 22, KB_NAMES_NO_REGISTRY, &h), 0);
	CHECK_INT(kb_names_find("ProCurve stack", 14, KB_NAMES_LINES_ONLY, &h), 1);
	CHECK_INT(kb_names_find("Teltonika router", 16, KB_NAMES_LINES_ONLY, &h), 0);
}

static void test_brand(void)
{
	/* an HP-branded switch running H3C's Comware: H3C made it */
	struct kb_extract e;
	const char *s = "HP 5130-24G-4SFP+ EI Switch Software Version 7.1.070, Comware";
	CHECK_INT(kb_classify(KB_LLDP_SYSDESC, s, strlen(s), &e), 1);
	CHECK_STR(vid(e.vendor), "h3c");
	CHECK_STR(vid(e.brand), "hp");
	/* an Avaya-branded Nortel line: the line's owner today, Avaya on the box */
	s = "Avaya Ethernet Routing Switch 4850GTS-PWR+ HW:12 FW:5.8.0.1 SW:v5.9.2.003";
	CHECK_INT(kb_classify(KB_LLDP_SYSDESC, s, strlen(s), &e), 1);
	CHECK_STR(vid(e.vendor), "nortel-enterprise-data");
	CHECK_STR(vid(e.brand), "avaya");
	/* a maker's own line: no separate brand */
	s = "Juniper Networks NetScreen-5GT version 5.4.0r4.0";
	CHECK_INT(kb_classify(KB_LLDP_SYSDESC, s, strlen(s), &e), 1);
	CHECK_INT(e.brand, -1);
}

/* Rules for lines whose owner moved name the owner on the date, as the
 * name index does; new lines across makers' families. */
static void test_moved_lines(void)
{
	const char *ers = "Ethernet Routing Switch 5510-48T  HW:34  FW:6.0.0.6  SW:v6.2.1.000 BN:00 (c) Nortel Networks";
	CHECK_STR(maker_of(KB_SYSDESCR, ers), "nortel-enterprise-data");
	CHECK_STR(group_of(KB_SYSDESCR, ers, 20050101), "nortel");
	CHECK_STR(group_of(KB_SYSDESCR, ers, 20130101), "avaya");
	CHECK_STR(group_of(KB_SYSDESCR, ers, 20240101), "extreme");
	const char *mlx = "Brocade NetIron CES 2024C, IronWare Version V5.6.0fT183 Compiled on Sep 12 2014 at 04:11:22 labeled as V5.6.00f";
	CHECK_STR(group_of(KB_SYSDESCR, mlx, 20140101), "brocade");
	CHECK_STR(group_of(KB_SYSDESCR, mlx, 20240101), "extreme");
	const char *icx = "Brocade Communications Systems, Inc. ICX6450-24P, IronWare Version 08.0.30dT311 Compiled on Nov 9 2016 at 11:38:30 labeled as ICX64S08030d";
	CHECK_STR(group_of(KB_SYSDESCR, icx, 20150101), "brocade");
	CHECK_STR(group_of(KB_SYSDESCR, icx, 20240101), "commscope");
	/* ProCurve is HP's networking, HPE's since the split, not HP Inc's */
	const char *pc = "ProCurve J9086A Switch 2610-24/12PWR, revision R.11.72, ROM R.10.06 (/sw/code/build/nemo(R_ndx))";
	CHECK_STR(group_of(KB_SYSDESCR, "ProCurve J9280A Switch 2510G-48, revision Y.11.16, ROM N.10.02", 20240101), "hpe");
	CHECK_STR(group_of(KB_SYSDESCR, pc, 20240101), "hpe");
	CHECK_STR(group_of(KB_SYSOBJECTID, "1.3.6.1.4.1.11.2.3.7.11.160", 20240101), "hpe");
	/* HPE's businesses were Hewlett-Packard's before the split */
	CHECK_STR(vid(kb_vendor_group(kb_vendor_find("hpe"), 20100101)), "hp");
	CHECK_STR(vid(kb_vendor_group(kb_vendor_find("hpe"), 20200101)), "hpe");
	/* WiNG: Symbol's, Motorola's, Zebra's, then Extreme's */
	CHECK_STR(group_on("RFS6000 Wireless Switch, WiNG 5.5.6.0-011R", 20120101), "motorola-solutions");
	CHECK_STR(group_on("RFS6000 Wireless Switch, WiNG 5.5.6.0-011R", 20150101), "zebra");
	CHECK_STR(group_on("RFS6000 Wireless Switch, WiNG 5.5.6.0-011R", 20200101), "extreme");
	/* Samsung's printers are HP's since 2017 */
	CHECK_STR(group_on("Samsung SCX-4833FD Series; V2.00.01.34", 20150101), "samsung");
	CHECK_STR(group_on("SCX-4833FD Series; V2.00.01.34", 20200101), "hp");
	/* Comware is H3C's whatever box it runs on */
	CHECK_STR(maker_of(KB_SSH_BANNER, "SSH-2.0-Comware-7.1.064"), "h3c");
	/* lines the makers' own naming gives away */
	CHECK_STR(maker("USW-Pro-48-PoE, 6.5.55.14277"), "ubiquiti");
	CHECK_STR(maker("UAP-AC-LR 6.5.28"), "ubiquiti");
	CHECK_STR(maker("optiPoint 420 advance"), "unify");
	CHECK_STR(maker("OpenStage 40 T V3R5.18.0"), "unify");
	CHECK_STR(maker("Evolution 650 Rack"), "eaton");
	CHECK_STR(maker("Foundry Networks BigIron RX-8"), "brocade-ip");
	CHECK_STR(maker("Foundry Mobility Controller"), "foundry");
	CHECK_STR(maker("P-2602HW-D1A"), "zyxel");
	CHECK_STR(maker("RUT955 router, RutOS 7.04"), "teltonika");
	CHECK_STR(maker("EDS-408A-MM-SC managed switch"), "moxa");
	CHECK_STR(maker("SIP-T46S 66.86.0.15"), "yealink");
	CHECK_STR(maker("CRS326-24G-2S+ RouterOS 6.49.7"), "mikrotik");
	CHECK_STR(maker("Eudemon1000E-X firewall"), "huawei");
	CHECK_STR(maker("AP9631 network management card"), "apc");
	CHECK_STR(maker("Acme Packet Net-Net 4500"), "oracle");
}

/* Software publishers' products run on other makers' hardware: they say
 * what runs, never who made the box; generic operating systems alike. */
static void test_software(void)
{
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Oracle-HTTP-Server/1.3.28 (Unix) mod_plsql/9.0.2.0.0"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Oracle Application Server Web Cache 10g"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Oracle Database 12c XML DB"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "IBM_HTTP_Server/8.5.5.20 (Unix)"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "IBM WebSphere Application Server/9.0"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Lotus-Domino"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Microsoft-IIS/10.0"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "HP Web Jetadmin/10.4 (Win32) mod_ssl/2.2.34"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Avaya CMBE/6.3"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Citrix Receiver Web/1.0"), "-");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Logitech Media Server (8.3.1 - 1676361197)"), "-");
	CHECK_STR(maker_of(KB_TLS_SUBJECT, "CN=vcsa01.example.org,OU=VMware vCenter Server,O=VMware\\, Inc.,C=US"), "-");
	CHECK_STR(maker_of(KB_SYSDESCR,
	                   "Hardware: AMD64 Family 23 Model 49 Stepping 0 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 20348 Multiprocessor Free)"), "-");
	CHECK_STR(maker_of(KB_DHCP_VENDOR_CLASS, "MSFT 5.0"), "-");
	CHECK_INT(kb_vendor_names_device(kb_pen_maker(311)), 0);
	CHECK_INT(kb_vendor_names_device(kb_pen_maker(6876)), 0);
	/* the same publishers' hardware lines still name them */
	CHECK_STR(maker("Oracle Exadata X8M-2 database machine"), "oracle");
	CHECK_STR(maker("Citrix NetScaler NS12.1: Build 55.18.nc"), "citrix");
	CHECK_STR(maker_of(KB_HTTP_SERVER, "Oracle-ILOM-Web-Server/1.0"), "sun");
}

/* Registrants that are standards bodies, consortia, schools or public
 * offices make nothing: their numbers name MIBs and projects. */
static void test_bodies(void)
{
	int c = kb_pen_maker(17409);            /* the radio and television standards committee */
	CHECK(c >= 0);
	CHECK_INT(kb_vendor_names_device(c), 0);
	CHECK_STR(kb_vendor_part(c) ? kb_vendor_part(c) : "-", "standards body or institution");
	CHECK_STR(c >= 0 ? kb_vendor(c)->kind : "-", "body");
	CHECK_INT(kb_vendor_names_device(kb_vendor_find("cablelabs")), 0);
	const char *u[] = {"Stanford University", "Broadband Forum", "Ministry of Defence", NULL};
	for (const char **p = u; *p; p++) {
		int m = kb_maker_by_name(*p, strlen(*p));
		if (m >= 0)
			CHECK_INT(kb_vendor_names_device(m), 0);
	}
	/* makers with such words and a legal form stay makers; ordinary
	 * registrants too */
	CHECK_INT(kb_vendor_names_device(kb_pen_maker(35265)), 1);
	CHECK_STR(kb_vendor_part(kb_pen_maker(35265)) ? "part" : "-", "-");
	/* a misspelt registration taken over by a stanza */
	CHECK_STR(vid(kb_pen_maker(11606)), "pbn");
}

int main(void)
{
	char err[512];
	if (kb_init(err, sizeof err) < 0) {
		fprintf(stderr, "kb_init: %s\n", err);
		return 1;
	}
	test_registry_only();
	test_product_lines();
	test_traps();
	test_strength();
	test_brand();
	test_moved_lines();
	test_software();
	test_bodies();
	CHECK_DONE();
}
