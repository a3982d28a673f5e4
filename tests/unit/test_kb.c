/* Knowledge base: MAC parsing and lookup, OIDs and enterprise numbers,
 * name normalisation, ownership over time, policies, and the reviewed
 * list of registry names per vendor (tests/kb/registrants.*). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "check.h"
#include "kb.h"
#include "util.h"

static const char *vid(int v)
{
	const struct kb_vendor *kv = kb_vendor(v);
	return kv ? kv->id : "-";
}

static int mac_vendor(const char *mac, const char **registrant)
{
	uint8_t m[6];
	struct kb_mac_hit hit;
	if (kb_mac_parse(mac, m) < 0)
		return -99;
	int found = kb_mac_lookup(m, &hit);
	if (registrant)
		*registrant = found ? hit.registrant : hit.why_none;
	return found ? hit.vendor : -1;
}

static void test_mac(void)
{
	uint8_t m[6];
	const char *reg;
	CHECK_INT(kb_mac_parse("00:1e:10:aa:bb:cc", m), 0);
	CHECK_INT(m[0] == 0x00 && m[1] == 0x1e && m[5] == 0xcc, 1);
	CHECK_INT(kb_mac_parse("00-1E-10-AA-BB-CC", m), 0);
	CHECK_INT(kb_mac_parse("001e.10aa.bbcc", m), 0);
	CHECK_INT(m[2] == 0x10 && m[4] == 0xbb, 1);
	CHECK_INT(kb_mac_parse("001E10AABBCC", m), 0);
	CHECK_INT(kb_mac_parse("0:1e:10:a:b:c", m), 0);
	CHECK_INT(m[3] == 0x0a, 1);
	CHECK_INT(kb_mac_parse("00:1e:10:aa:bb", m), -1);
	CHECK_INT(kb_mac_parse("00:1e:10:aa:bb:cc:dd", m), -1);
	CHECK_INT(kb_mac_parse("00:1e-10:aa:bb:cc", m), -1);
	CHECK_INT(kb_mac_parse("zz:1e:10:aa:bb:cc", m), -1);
	CHECK_INT(kb_mac_parse("", m), -1);

	/* MA-L: Huawei, ZTE, Cisco, Juniper */
	CHECK_STR(vid(mac_vendor("00:1e:10:12:34:56", &reg)), "huawei");
	CHECK_STR(reg, "HUAWEI TECHNOLOGIES CO.,LTD");
	CHECK_STR(vid(mac_vendor("08:60:83:00:00:01", NULL)), "zte");
	CHECK_STR(vid(mac_vendor("00:00:0c:12:34:56", NULL)), "cisco");
	/* Aztech is not ZTE */
	CHECK(mac_vendor("00:26:75:01:02:03", &reg) != kb_vendor_find("zte"));
	CHECK_STR(reg, "Aztech Electronics Pte Ltd");
	/* Nokia Shanghai Bell is its own maker (CN) in the Nokia group */
	int nsb = mac_vendor("88:b3:62:00:00:01", NULL);
	CHECK_STR(vid(nsb), "nokia-shanghai-bell");
	CHECK_STR(kb_vendor(nsb) ? kb_vendor(nsb)->country : "", "CN");
	CHECK_STR(vid(kb_vendor_group(nsb, 20240101)), "nokia");

	/* 28- and 36-bit assignments win over their IEEE RA block */
	struct kb_mac_hit hit;
	kb_mac_parse("70:b3:d5:f2:f0:01", m);
	CHECK_INT(kb_mac_lookup(m, &hit), 1);
	CHECK_INT(hit.bits, 36);
	CHECK_STR(hit.registrant, "TELEPLATFORMS");
	CHECK_STR(hit.country, "RU");
	kb_mac_parse("74:1a:e0:90:00:01", m);
	CHECK_INT(kb_mac_lookup(m, &hit) == 0 || hit.bits == 28, 1);

	/* no vendor, with the reason */
	CHECK_INT(mac_vendor("02:42:ac:11:00:02", &reg), -1);
	CHECK(strstr(reg, "locally administered") != NULL);
	CHECK_INT(mac_vendor("01:00:5e:00:00:01", &reg), -1);
	CHECK(strstr(reg, "multicast") != NULL);
	CHECK_INT(mac_vendor("ff:ff:ff:ff:ff:ff", &reg), -1);
	CHECK(strstr(reg, "broadcast") != NULL);

	/* A chip maker's MAC names the NIC's maker */
	int intel = kb_vendor_find("intel");
	CHECK(intel >= 0 && kb_vendor_is_chip(intel));
	CHECK(kb_vendor_is_chip(kb_vendor_find("hisilicon")));
	CHECK(!kb_vendor_is_chip(kb_vendor_find("huawei")));
}

static void test_oid(void)
{
	uint32_t arcs[32], pen;
	CHECK_INT(kb_oid_parse("1.3.6.1.4.1.2011.2.23.1", arcs, 32), 10);
	CHECK_INT(kb_oid_parse(".1.3.6.1.4.1.9.1.1017", arcs, 32), 9);
	CHECK_INT(kb_oid_pen(arcs, 9, &pen), 0);
	CHECK_INT(pen, 9);
	CHECK_INT(kb_oid_parse("1.3.6..1", arcs, 32), -1);
	CHECK_INT(kb_oid_parse("1.3.6.1.", arcs, 32), -1);
	CHECK_INT(kb_oid_parse("1.3.x", arcs, 32), -1);
	CHECK_INT(kb_oid_parse("1.3.99999999999", arcs, 32), -1);
	CHECK_INT(kb_oid_parse("1.3.6.1.2.1.1.1.0", arcs, 32), 9);
	CHECK_INT(kb_oid_pen(arcs, 9, &pen), -1);
	CHECK_STR(vid(kb_pen_vendor(2011)), "huawei");
	CHECK_STR(vid(kb_pen_vendor(3902)), "zte");
	CHECK_STR(vid(kb_pen_vendor(9)), "cisco");
	CHECK_STR(vid(kb_pen_vendor(2636)), "juniper");
	CHECK_STR(vid(kb_pen_vendor(193)), "ericsson");
	/* net-snmp and lwIP: software stacks, whose numbers name no maker */
	CHECK_STR(vid(kb_pen_vendor(8072)), "net-snmp");
	CHECK_INT(kb_vendor_names_device(kb_pen_vendor(8072)), 0);
	CHECK_INT(kb_vendor_names_device(kb_pen_maker(26381)), 0);
	CHECK_INT(kb_vendor_names_device(kb_pen_maker(4413)), 0);       /* Broadcom (FASTPATH) */
	CHECK_INT(kb_pen_vendor(0), -1);        /* reserved: no vendor claimed */
	CHECK(kb_pen_name(8072) != NULL);
}

static void test_names(void)
{
	char out[256];
	kb_normalise_name("HUAWEI TECHNOLOGIES CO.,LTD", 27, out, sizeof out);
	CHECK_STR(out, "huawei technologies");
	kb_normalise_name("Nokia Solutions and Networks Oy", 31, out, sizeof out);
	CHECK_STR(out, "nokia solutions and networks");
	kb_normalise_name("TP-LINK TECHNOLOGIES CO.,LTD.", 29, out, sizeof out);
	CHECK_STR(out, "tp link technologies");
	kb_normalise_name("  AS  ", 6, out, sizeof out);
	CHECK_STR(out, "as");
	CHECK_STR(vid(kb_vendor_by_name("Huawei Technologies Co., Ltd.", 29)), "huawei");
	CHECK_STR(vid(kb_vendor_by_name("zte corporation", 15)), "zte");
	CHECK_INT(kb_vendor_by_name("Aztech Electronics Pte Ltd", 26), -1);
	CHECK_INT(kb_vendor_by_name("", 0), -1);
}

static void test_ownership(void)
{
	int h3c = kb_vendor_find("h3c");
	CHECK(h3c >= 0);
	/* Huawei-3Com (2003-2006), 3Com, HP, HPE, then Unisplendour */
	CHECK_STR(vid(kb_vendor_group(h3c, 20050101)), "huawei");
	CHECK_STR(vid(kb_vendor_parent(h3c, 20080101)), "3com");
	CHECK_STR(vid(kb_vendor_parent(h3c, 20120101)), "hp");
	CHECK_STR(vid(kb_vendor_parent(h3c, 20160101)), "hpe");
	CHECK_STR(vid(kb_vendor_parent(h3c, 20200101)), "unisplendour");
	/* the boundary day belongs to the new owner */
	CHECK_STR(vid(kb_vendor_parent(h3c, 20160501)), "unisplendour");
	CHECK_STR(vid(kb_vendor_parent(h3c, 20160430)), "hpe");
	/* Alcatel-Lucent into Nokia */
	int alu = kb_vendor_find("alcatel-lucent");
	CHECK_STR(vid(kb_vendor_group(alu, 20100101)), "alcatel-lucent");
	CHECK_STR(vid(kb_vendor_group(alu, 20200101)), "nokia");
	/* Juniper into HPE (2025-07-02) */
	int jn = kb_vendor_find("juniper");
	CHECK_STR(vid(kb_vendor_group(jn, 20250701)), "juniper");
	CHECK_STR(vid(kb_vendor_group(jn, 20260101)), "hpe");
	/* HiSilicon is Huawei's */
	CHECK_STR(vid(kb_vendor_group(kb_vendor_find("hisilicon"), 20260101)), "huawei");
}

static void test_policy(void)
{
	char why[512];
	const struct kb_policy *p = kb_policy_find("default");
	CHECK(p != NULL);
	if (!p)
		return;
	static const char *const covered[] = {"huawei", "zte", "hytera", "hikvision", "dahua"};
	for (size_t i = 0; i < OS_ARRAY_LEN(covered); i++)
		CHECK_INT(kb_policy_high_risk(p, kb_vendor_find(covered[i]), 20260101, why, sizeof why), 1);
	/* subsidiaries through parent links */
	CHECK_INT(kb_policy_high_risk(p, kb_vendor_find("hisilicon"), 20260101, why, sizeof why), 1);
	CHECK(strstr(why, "Huawei") != NULL);
	/* ownership on the date decides: H3C was Huawei's in 2005 only */
	CHECK_INT(kb_policy_high_risk(p, kb_vendor_find("h3c"), 20050101, why, sizeof why), 1);
	CHECK_INT(kb_policy_high_risk(p, kb_vendor_find("h3c"), 20260101, why, sizeof why), 0);
	CHECK_INT(kb_policy_high_risk(p, kb_vendor_find("cisco"), 20260101, why, sizeof why), 0);
	CHECK_INT(kb_policy_high_risk(p, kb_vendor_find("nokia"), 20260101, why, sizeof why), 0);
	CHECK_INT(kb_policy_high_risk(p, -1, 20260101, why, sizeof why), 0);
	static const char *const shipped[] = {"fcc-covered", "ndaa-889", "eu-5g-toolbox", "uk-ncsc", "de-2024"};
	for (size_t i = 0; i < OS_ARRAY_LEN(shipped); i++)
		CHECK(kb_policy_find(shipped[i]) != NULL);
	/* jurisdiction criteria: a CN-based maker is high-risk under the
	 * EU toolbox's criteria whoever owns it */
	const struct kb_policy *eu = kb_policy_find("eu-5g-toolbox");
	if (eu) {
		CHECK_INT(kb_policy_high_risk(eu, kb_vendor_find("h3c"), 20260101, why, sizeof why), 1);
		CHECK_INT(kb_policy_high_risk(eu, kb_vendor_find("ericsson"), 20260101, why, sizeof why), 0);
	}
}

/* ---- the reviewed registrant list ---- */

struct names {
	char **v;
	size_t n, cap;
};

static void collect(void *ctx, const char *name)
{
	struct names *N = ctx;
	char norm[512];
	int v = kb_vendor_by_name(name, strlen(name));
	if (v < 0)
		return;
	kb_normalise_name(name, strlen(name), norm, sizeof norm);
	char *line = xasprintf("%s\t%s", kb_vendor(v)->id, norm);
	if (N->n == N->cap) {
		N->cap = N->cap ? N->cap * 2 : 1024;
		N->v = xrealloc(N->v, N->cap * sizeof *N->v);
	}
	N->v[N->n++] = line;
}

/* Registrations whose name holds a high-risk maker's name (or one of
 * their brands'): each must be reviewed, either mapped (in the expected
 * list) or refused in registrants.must with a '!' line. */
static const char *const high_risk_words[] = {
	"huawei", "hisilicon", "honor", "xfusion", "zte", "zhongxing", "sanechips", "nubia",
	"hikvision", "ezviz", "hiwatch", "hilook", "dahua", "imou", "lorex", "hytera",
};

struct review {
	const char *must;               /* registrants.must text */
	int unreviewed;
};

static void review_cb(void *ctx, const char *name)
{
	struct review *R = ctx;
	char norm[512], pad[520];
	kb_normalise_name(name, strlen(name), norm, sizeof norm);
	snprintf(pad, sizeof pad, " %s ", norm);
	int hit = 0;
	for (size_t i = 0; i < OS_ARRAY_LEN(high_risk_words) && !hit; i++) {
		char w[64];
		snprintf(w, sizeof w, " %s ", high_risk_words[i]);
		hit = strstr(pad, w) != NULL;
	}
	if (!hit || kb_vendor_by_name(name, strlen(name)) >= 0)
		return;
	/* refused: a "!vendor<TAB>name" line whose name normalises the same */
	for (const char *l = R->must; l && *l;) {
		const char *nl = strchr(l, '\n'), *tab = memchr(l, '\t', nl ? (size_t)(nl - l) : strlen(l));
		if (*l == '!' && tab) {
			char other[512];
			size_t n = nl ? (size_t)(nl - tab - 1) : strlen(tab + 1);
			kb_normalise_name(tab + 1, n, other, sizeof other);
			if (!strcmp(other, norm))
				return;
		}
		l = nl ? nl + 1 : NULL;
	}
	fprintf(stderr, "registration names a high-risk maker but is neither mapped nor refused: %s\n", name);
	R->unreviewed++;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_registrants(const char *dir)
{
	char *path = xasprintf("%s/kb/registrants.expected", dir), err[256];
	size_t len;
	char *text = os_read_file(path, 1 << 24, &len, err, sizeof err);
	CHECK(text != NULL);
	if (!text) {
		free(path);
		return;
	}
	struct names got = {0};
	kb_each_registrant(collect, &got);
	qsort(got.v, got.n, sizeof *got.v, cmpstr);
	/* every name the compiled registry maps must be in the reviewed list
	 * with the same vendor: a new or changed mapping fails until reviewed */
	int missing = 0;
	for (size_t i = 0; i < got.n; i++) {
		if (i && !strcmp(got.v[i], got.v[i - 1]))
			continue;
		char *needle = xasprintf("\n%s\n", got.v[i]);
		char *hay = xasprintf("\n%s", text);
		if (!strstr(hay, needle)) {
			fprintf(stderr, "registry name maps but is not in %s: %s\n", path, got.v[i]);
			missing++;
		}
		free(needle);
		free(hay);
	}
	CHECK_INT(missing, 0);
	/* and every reviewed line that names a compiled registry name still
	 * maps to that vendor */
	int wrong = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (!tab || *line == '#')
			continue;
		*tab = 0;
		int v = kb_vendor_by_name(tab + 1, strlen(tab + 1));
		if (v < 0 || strcmp(kb_vendor(v)->id, line)) {
			fprintf(stderr, "%s: '%s' should map to %s, maps to %s\n", path, tab + 1, line, vid(v));
			wrong++;
		}
	}
	CHECK_INT(wrong, 0);
	for (size_t i = 0; i < got.n; i++)
		free(got.v[i]);
	free(got.v);
	free(text);
	free(path);

	/* registrants.must: corner cases, both ways */
	path = xasprintf("%s/kb/registrants.must", dir);
	text = os_read_file(path, 1 << 20, &len, err, sizeof err);
	CHECK(text != NULL);
	if (!text) {
		free(path);
		return;
	}
	struct review R = {text, 0};
	kb_each_registrant(review_cb, &R);
	CHECK_INT(R.unreviewed, 0);
	int n = 0;
	save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (!tab || *line == '#')
			continue;
		*tab = 0;
		const char *name = tab + 1;
		int neg = line[0] == '!';
		const char *want = line + neg;
		int v = kb_vendor_by_name(name, strlen(name));
		n++;
		if (neg ? (v >= 0 && !strcmp(kb_vendor(v)->id, want)) : (v < 0 || strcmp(kb_vendor(v)->id, want))) {
			fprintf(stderr, "%s: '%s' %s %s (maps to %s)\n", path, name, neg ? "must not map to" : "must map to",
			        want, vid(v));
			check_failures++;
		}
		check_count++;
	}
	CHECK(n >= 60);
	free(text);
	free(path);
}

/* A user file deriving a policy from a shipped one. */
static void test_policy_override(void)
{
	char path[] = "/tmp/originscan-kbtest-XXXXXX", err[512], why[256];
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	static const char text[] =
		"[policy ndaa-without-hytera]\n"
		"base = ndaa-889\n"
		"title = NDAA 889 makers but Hytera, no exclusion dates\n"
		"remove-vendor = hytera\n"
		"remove-rule = exclude domain all from 2020-08-13\n"
		"high-risk-country = RU\n";
	CHECK_INT(write(fd, text, sizeof text - 1), (long)(sizeof text - 1));
	close(fd);
	CHECK_INT(kb_load_file(path, err, sizeof err), 0);
	const struct kb_policy *p = kb_policy_find("ndaa-without-hytera"), *base = kb_policy_find("ndaa-889");
	CHECK(p != NULL && base != NULL);
	if (p && base) {
		CHECK_INT(p->nvendors, base->nvendors - 1);
		CHECK_INT(p->nrules, base->nrules - 1);
		CHECK_INT(kb_policy_high_risk(p, kb_vendor_find("hytera"), 20260101, why, sizeof why), 0);
		CHECK_INT(kb_policy_high_risk(p, kb_vendor_find("huawei"), 20260101, why, sizeof why), 1);
		CHECK_INT(kb_policy_high_risk(base, kb_vendor_find("hytera"), 20260101, why, sizeof why), 1);
		CHECK_STR(p->title, "NDAA 889 makers but Hytera, no exclusion dates");
	}
	/* removing what is not there is an error naming it */
	fd = open(path, O_WRONLY | O_TRUNC);
	static const char bad[] = "[policy x]\nbase = ndaa-889\nremove-vendor = cisco\n";
	CHECK_INT(write(fd, bad, sizeof bad - 1), (long)(sizeof bad - 1));
	close(fd);
	CHECK_INT(kb_load_file(path, err, sizeof err), -1);
	CHECK(strstr(err, "no vendor 'cisco' to remove") != NULL);
	unlink(path);
}

int main(int argc, char **argv)
{
	char err[512];
	if (kb_init(err, sizeof err) < 0) {
		fprintf(stderr, "kb_init: %s\n", err);
		return 1;
	}
	CHECK_INT(kb_note_count(), 0);
	for (size_t i = 0; i < kb_note_count(); i++)
		fprintf(stderr, "note: %s\n", kb_note_at(i));
	CHECK(kb_vendor_count() >= 80);
	test_mac();
	test_oid();
	test_names();
	test_ownership();
	test_policy();
	test_registrants(argc > 1 ? argv[1] : "tests");
	test_policy_override();
	CHECK_DONE();
}
