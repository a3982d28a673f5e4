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
	CHECK_DONE();
}
