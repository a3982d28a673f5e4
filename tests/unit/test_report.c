/* Reports and diffs against scans whose true answer this test knows,
 * built through the store API and attributed by the real attribution:
 * every figure in the model, then the same figures in the text, JSON, CSV
 * and HTML renderings, escaping of hostile device strings in each, the
 * policy rule by rule with deadlines, the trend, and the diff of two
 * scans (added, removed, changed, moved, replaced, high-risk per domain).
 *
 * Scan A (plan "t", complete): 4 devices. Scan B (plan "t", complete):
 * 9 devices in 4 sites of 2 operators. Scan C (plan "t"): interrupted.
 *   B  address    maker      site (domain, operator)      identity
 *   b1 10.1.0.1   Huawei     core-a (core, OpA)           mac
 *   b2 10.1.0.2   Nokia      core-a                       mac
 *   b3 10.2.0.1   Huawei     ran-a (ran, OpA)             mac, as in A
 *   b4 10.2.0.3   Ericsson   ran-a                        mac, at 10.2.0.2 in A (moved)
 *   b5 10.2.0.2   Huawei     ran-a                        mac (new)
 *   b6 10.3.0.1   ZTE        access-b (access, OpB)       mac
 *   b7 10.3.0.2   Cisco      access-b                     chassis serial; a Huawei optic;
 *                                                          firmware 7.3.2 in A, 7.5.2 in B
 *   b8 10.3.0.3   (unknown)  access-b                     hostile strings everywhere
 *   b9 10.5.0.9   Juniper    transport-a (transport, OpB) replaces A's ZTE at that address
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "check.h"
#include "diff.h"
#include "kb.h"
#include "report.h"
#include "sitemap.h"
#include "store.h"
#include "util.h"

static struct ev_sink *sink;
static char dir[] = "/tmp/os7-unit.XXXXXX";

static void ev(const char *ip, const char *key, const char *val)
{
	ev_emit_str(sink, "snmp", SUBJ_IP, ip, key, val, os_now_us(), ip);
}

static void mac(const char *ip, const char *m)
{
	uint8_t b[6];
	kb_mac_parse(m, b);
	ev_emit(sink, "snmp", SUBJ_IP, ip, "ifPhysAddress.1", b, 6, os_now_us(), ip);
}

static void dev(const char *ip, const char *oid, const char *m)
{
	ev(ip, "sysObjectID", oid);
	ev(ip, "sysName", ip);
	if (m)
		mac(ip, m);
}

#define HUAWEI "1.3.6.1.4.1.2011.2.62.2.9"
#define NOKIA "1.3.6.1.4.1.6527.1.3.17"
#define ERICSSON "1.3.6.1.4.1.193.218.2.11"
#define ZTE "1.3.6.1.4.1.3902.3.100.20"
#define CISCO "1.3.6.1.4.1.9.1.1017"
#define JUNIPER "1.3.6.1.4.1.2636.1.1.1.2.25"

static void cisco(const char *fw)
{
	const char *ip = "10.3.0.2";
	dev(ip, CISCO, NULL);
	ev(ip, "entPhysicalClass.1", "3");
	ev(ip, "entPhysicalContainedIn.1", "0");
	ev(ip, "entPhysicalMfgName.1", "Cisco Systems Inc");
	ev(ip, "entPhysicalModelName.1", "ASR-9006");
	ev(ip, "entPhysicalSerialNum.1", "FOX1234ABCD");
	ev(ip, "entPhysicalSoftwareRev.1", fw);
	ev(ip, "entPhysicalClass.2", "10");
	ev(ip, "entPhysicalContainedIn.2", "1");
	ev(ip, "entPhysicalMfgName.2", "HUAWEI TECHNOLOGIES CO.,LTD");
	ev(ip, "entPhysicalModelName.2", "OSX010000");
	ev(ip, "entPhysicalSerialNum.2", "HW0042");
}

static const char *hostile_descr = "<script>alert('pwned')</script> Linux & \"friends\" \x1b[31mred";

static void hostile(void)
{
	const char *ip = "10.3.0.3";
	ev(ip, "sysDescr", hostile_descr);
	ev(ip, "sysName", "=cmd|' /C calc'!A0");
	/* a C1 control as UTF-8 (U+009B: CSI), a right-to-left override; a
	 * raw 8-bit CSI and bytes that are not UTF-8 (a binary value) */
	ev(ip, "sysContact", "\xc2\x9b" "2J \xe2\x80\xae" "gpj.exe end");
	ev(ip, "sysLocation", "\x9b" "31m \xff");
	ev(ip, "entPhysicalClass.1", "3");
	ev(ip, "entPhysicalMfgName.1", "=HYPERLINK(\"http://evil.example/\",\"x\")");
	ev(ip, "entPhysicalModelName.1", "@SUM(1+1)");
	ev(ip, "entPhysicalSoftwareRev.1", "-2+3");
	ev(ip, "entPhysicalSerialNum.1", "<b>SN9</b>");
}

static int64_t scan(struct store *st, const char *map, void (*fill)(void), enum scan_status status)
{
	int64_t id;
	size_t n;
	struct scan_decl d = {.command = "scan", .request_json = "{\"plan\":\"t\"}", .kb_version = kb_version(),
	                      .plan = "t", .site_map_json = map};
	CHECK_INT(store_begin_scan(st, &d, NULL, PART_NEW, &id), 0);
	sink = store_sink(st, id);
	fill();
	enum scan_status s = status;
	CHECK_INT(scan_end(st, id, 0, &s, status == SCAN_COMPLETE ? NULL : "stopped by a signal", &n), 0);
	CHECK_INT(s, status);
	return id;
}

static void fill_a(void)
{
	dev("10.2.0.1", HUAWEI, "30:fb:b8:00:00:01");
	dev("10.2.0.2", ERICSSON, "54:9b:72:00:00:02");
	dev("10.5.0.9", ZTE, "08:60:83:00:00:09");
	cisco("7.3.2");
}

static void fill_b(void)
{
	dev("10.1.0.1", HUAWEI, "30:fb:b8:00:00:11");
	dev("10.1.0.2", NOKIA, "40:55:82:00:00:12");
	dev("10.2.0.1", HUAWEI, "30:fb:b8:00:00:01");
	dev("10.2.0.3", ERICSSON, "54:9b:72:00:00:02");
	dev("10.2.0.2", HUAWEI, "30:fb:b8:00:00:05");
	dev("10.3.0.1", ZTE, "08:60:83:00:00:31");
	cisco("7.5.2");
	hostile();
	dev("10.5.0.9", JUNIPER, "94:f7:ad:00:00:99");
}

static void fill_c(void)
{
	dev("10.2.0.1", HUAWEI, "30:fb:b8:00:00:01");
}

static char *site_map(void)
{
	struct sitemap m;
	char err[200];
	sitemap_init(&m);
	struct {
		const char *id, *net, *dom, *op;
	} s[] = {{"core-a", "10.1.0.0/16", "core", "OpA"},
	         {"ran-a", "10.2.0.0/16", "ran", "OpA"},
	         {"access-b", "10.3.0.0/16", "access", "OpB"},
	         {"transport-a", "10.5.0.0/16", "transport", "OpB"}};
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(sitemap_add_subnet(&m, sitemap_add_site(&m, s[i].id, NULL, s[i].dom, s[i].op), s[i].net, err,
		                             sizeof err),
		          0);
	/* longest prefix wins; the same subnet in two sites is refused */
	CHECK_INT(sitemap_add_subnet(&m, 0, "10.2.0.0/16", err, sizeof err), -1);
	CHECK(strstr(err, "in both site") != NULL);
	CHECK_STR(sitemap_lookup(&m, "10.2.7.7")->id, "ran-a");
	CHECK(sitemap_lookup(&m, "10.9.0.1") == NULL);
	char *j = sitemap_to_json(&m);
	sitemap_free(&m);
	return j;
}

/* ---------- the model ---------- */

static const struct report_domain *domain(const struct report_slice *s, const char *d)
{
	for (size_t i = 0; i < s->ndomains; i++)
		if (!strcmp(s->domains[i].domain, d))
			return &s->domains[i];
	return NULL;
}

static int64_t count_of(const struct report_count *c, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].key, key))
			return c[i].n;
	return -1;
}

static int near(double a, double b)
{
	return a - b < 1e-4 && b - a < 1e-4;
}

struct ids {
	char s[1024];
};

static int collect(void *ctx, const struct report_device *d)
{
	struct ids *x = ctx;
	strncat(x->s, d->row->address, sizeof x->s - strlen(x->s) - 2);
	strcat(x->s, " ");
	return 0;
}

static void model(struct store *st, int64_t b, int64_t a)
{
	struct report r;
	char err[256];
	struct report_opts o = {0};
	CHECK_INT(report_build(st, b, &o, &r, err, sizeof err), 0);
	CHECK_INT(r.all.n, 9);
	CHECK_INT(r.all.attributed, 8);
	CHECK_INT(r.all.high_risk, 4);
	CHECK_INT(r.band[BAND_NONE], 1);
	CHECK_INT(r.band[BAND_HIGH] + r.band[BAND_MEDIUM] + r.band[BAND_LOW], 8);
	const struct report_domain *d = domain(&r.all, "ran");
	CHECK(d && d->n == 3 && d->high_risk == 2 && d->attributed == 3);
	CHECK(d && near(d->top_share, 2.0 / 3) && near(d->hhi, 100.0 * 100 * (4.0 / 9 + 1.0 / 9)));
	CHECK_STR(d ? d->groups[0].key : NULL, "huawei");
	d = domain(&r.all, "core");
	CHECK(d && d->n == 2 && d->high_risk == 1 && near(d->hhi, 5000) && near(d->top_share, 0.5));
	d = domain(&r.all, "access");
	CHECK(d && d->n == 3 && d->attributed == 2 && d->high_risk == 1 && near(d->hhi, 5000));
	d = domain(&r.all, "transport");
	CHECK(d && d->n == 1 && d->high_risk == 0 && near(d->hhi, 10000));
	CHECK_INT(count_of(r.by_vendor, r.nvendor, "huawei"), 3);
	CHECK_INT(count_of(r.by_vendor, r.nvendor, "unknown"), 1);
	CHECK_INT(count_of(r.by_country, r.ncountry, "CN"), 4);
	CHECK_INT(count_of(r.by_country, r.ncountry, "US"), 2);
	CHECK_INT(r.core_n, 2);
	CHECK_INT(r.core_high_risk, 1);
	CHECK_INT(r.component_devices, 1);
	CHECK_INT(r.components, 1);
	CHECK_INT(r.components_high_risk, 1);
	CHECK_INT(r.noperator, 2);
	for (size_t i = 0; i < r.noperator; i++) {
		const struct report_slice *s = &r.by_operator[i];
		if (!strcmp(s->key, "OpA"))
			CHECK(s->n == 5 && s->high_risk == 3);
		else
			CHECK(!strcmp(s->key, "OpB") && s->n == 4 && s->high_risk == 1);
	}
	CHECK_INT(r.nsite, 4);
	/* the trend: complete scans of the same plan only (C is interrupted) */
	CHECK_INT(r.ntrend, 2);
	CHECK(r.ntrend == 2 && r.trend[0].scan_id == a && r.trend[0].n == 4 && r.trend[0].high_risk == 2);
	CHECK(r.ntrend == 2 && r.trend[1].scan_id == b && r.trend[1].n == 9 && r.trend[1].high_risk == 4);
	CHECK_INT(r.nfirmware, 6);
	struct ids core = {""};
	CHECK_INT(report_each_core_device(&r, collect, &core), 0);
	CHECK_STR(core.s, "10.1.0.1 ");
	report_free(&r);

	/* one operator only */
	const char *ops[] = {"OpB"};
	o.operators = ops;
	o.noperators = 1;
	CHECK_INT(report_build(st, b, &o, &r, err, sizeof err), 0);
	CHECK_INT(r.all.n, 4);
	CHECK_INT(r.all.high_risk, 1);
	report_free(&r);
}

static const struct report_rule *rule(const struct report *r, const char *text)
{
	for (size_t i = 0; i < r->nrules; i++)
		if (!strcmp(r->rules[i].rule->text, text))
			return &r->rules[i];
	return NULL;
}

static void policies(struct store *st, int64_t b)
{
	struct report r;
	char err[256];
	struct report_opts o = {.policy = "uk-ncsc"};
	CHECK_INT(report_build(st, b, &o, &r, err, sizeof err), 0);
	const struct report_rule *x = rule(&r, "domain core");
	CHECK(x && x->broken && x->in_force && x->devices == 1 && x->to_remove == 1);
	struct ids got = {""};
	CHECK_INT(report_each_rule_device(&r, (size_t)(x - r.rules), collect, &got), 0);
	CHECK_STR(got.s, "10.1.0.1 ");
	x = rule(&r, "domain mgmt");
	CHECK(x && !x->broken);
	x = rule(&r, "domain ran 35%");
	CHECK(x && x->broken && x->devices == 2 && x->to_remove == 1 && x->nparts == 1);
	CHECK(x && x->nparts == 1 && !strcmp(x->parts[0].operator_name, "OpA") && near(x->parts[0].share, 2.0 / 3));
	got.s[0] = 0;
	CHECK_INT(report_each_rule_device(&r, (size_t)(x - r.rules), collect, &got), 0);
	CHECK_STR(got.s, "10.2.0.1 10.2.0.2 ");
	x = rule(&r, "domain access 35%");
	CHECK(x && !x->broken && x->nparts == 1 && near(x->parts[0].share, 1.0 / 3));
	x = rule(&r, "function gnb from 2027-12-31");
	CHECK(x && !x->broken && !x->in_force);
	CHECK(r.ndeadlines == 1 && r.deadlines[0].date == 0 && r.deadlines[0].to_remove == 2);
	report_free(&r);

	o.policy = "eu-5g-toolbox";
	CHECK_INT(report_build(st, b, &o, &r, err, sizeof err), 0);
	x = rule(&r, "domain ran 50%");
	CHECK(x && x->broken && x->devices == 2 && x->to_remove == 1);
	CHECK(x && x->nparts == 1 && !strcmp(x->parts[0].group, "huawei"));
	x = rule(&r, "domain core 50%");
	CHECK(x && !x->broken);
	report_free(&r);

	/* a policy with dates, read as of a day before they apply */
	o.policy = "de-2024";
	o.as_of = 20250101;
	CHECK_INT(report_build(st, b, &o, &r, err, sizeof err), 0);
	x = rule(&r, "domain core from 2026-12-31");
	CHECK(x && x->broken && !x->in_force && x->devices == 1 && !strcmp(report_rule_status(x), "due"));
	x = rule(&r, "domain mgmt from 2029-12-31");
	CHECK(x && !x->broken);
	CHECK(r.ndeadlines == 1 && r.deadlines[0].date == 20261231 && r.deadlines[0].to_remove == 1);
	CHECK_INT(r.all.high_risk, 4);
	report_free(&r);
	o.as_of = 20270101;     /* and after: in force, broken */
	CHECK_INT(report_build(st, b, &o, &r, err, sizeof err), 0);
	x = rule(&r, "domain core from 2026-12-31");
	CHECK(x && x->broken && x->in_force && !strcmp(report_rule_status(x), "broken"));
	CHECK(r.ndeadlines == 1 && r.deadlines[0].date == 0);
	report_free(&r);
	o.as_of = 0;

	o.policy = "no-such-policy";
	CHECK_INT(report_build(st, b, &o, &r, err, sizeof err), -1);
	CHECK(strstr(err, "unknown policy 'no-such-policy'") != NULL);
}

/* ---------- the renderings ---------- */

static char *render(struct store *st, int64_t b, const char *policy, int (*fn)(const struct report *, FILE *))
{
	struct report r;
	char err[256], *text = NULL;
	size_t len = 0;
	struct report_opts o = {.policy = policy};
	CHECK_INT(report_build(st, b, &o, &r, err, sizeof err), 0);
	FILE *f = open_memstream(&text, &len);
	CHECK_INT(fn(&r, f), 0);
	fclose(f);
	report_free(&r);
	return text;
}

/* The one terminal escaping (buf_term_str) every text output uses. */
static void term_escaping(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"plain ASCII", "plain ASCII"},
		{"caf\xc3\xa9 \xe5\x8d\x8e\xe4\xb8\xba", "caf\xc3\xa9 \xe5\x8d\x8e\xe4\xb8\xba"},     /* printable UTF-8 stays */
		{"\x1b[2J\x07\x7f", "\\x1b[2J\\x07\\x7f"},
		{"\x9b" "2J\x85\x80\x9f", "\\x9b2J\\x85\\x80\\x9f"},                             /* raw C1 bytes */
		{"\xc2\x9b" "2J\xc2\x80\xc2\x9f\xc2\xa0", "\\u009b2J\\u0080\\u009f\xc2\xa0"},       /* C1 as UTF-8; NBSP stays */
		{"a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xe2\x81\xa9" "d\xe2\x80\x8f" "e\xd8\x9c" "f\xe2\x80\xa8" "g",
		 "a\\u202eb\\u2066c\\u2069d\\u200fe\\u061cf\\u2028g"},                          /* bidi, separators */
		{"\xff\xc0\xaf\xed\xa0\x80\xe2\x80", "\\xff\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x80"},   /* invalid UTF-8 */
		{"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
	};
	for (size_t i = 0; i < OS_ARRAY_LEN(cases); i++) {
		struct buf b = {0};
		buf_term_str(&b, cases[i].in, strlen(cases[i].in));
		CHECK_STR(b.p ? b.p : "", cases[i].out);
		buf_free(&b);
	}
}

static void text_format(struct store *st, int64_t b)
{
	char *t = render(st, b, NULL, report_render_text);
	CHECK(strstr(t, "devices:             9\n") != NULL);
	CHECK(strstr(t, "attributed:          8 (88.9%)") != NULL);
	CHECK(strstr(t, "high-risk vendors:   4 (44.4% of devices)") != NULL);
	CHECK(strstr(t, "in core functions:   1 high-risk of 2 devices (50.0%)") != NULL);
	CHECK(strstr(t, "  ran                 3          2   66.7%   Huawei 66.7%, HHI 5556") != NULL);
	CHECK(strstr(t, "4/9 (44.4%)  ran 2/3  core 1/2  transport 0/1  access 1/3") != NULL);  /* the trend */
	/* terminal-safe: the ESC byte is shown, never sent */
	CHECK(strchr(t, 0x1b) == NULL);
	CHECK(strstr(t, "\\x1b[31mred") != NULL);
	/* C1 controls, bidi overrides and invalid UTF-8 as well */
	CHECK(strchr(t, 0x9b) == NULL && strchr(t, 0xff) == NULL && strstr(t, "\xc2\x9b") == NULL &&
	      strstr(t, "\xe2\x80\xae") == NULL);
	CHECK(strstr(t, "\\u009b2J \\u202egpj.exe end") != NULL);
	CHECK(strstr(t, "0x9b33316d20ff") != NULL);        /* binary: as hex */
	free(t);
	t = render(st, b, "uk-ncsc", report_render_text);
	CHECK(strstr(t, "[BROKEN] exclude domain core: 1 devices, 1 to remove") != NULL);
	CHECK(strstr(t, "[BROKEN] cap domain ran 35%: 2 devices, 1 to remove") != NULL);
	CHECK(strstr(t, "operator OpA: 2 high-risk of 3 (66.7%, cap 35%) OVER") != NULL);
	CHECK(strstr(t, "[met] cap domain access 35%") != NULL);
	free(t);
}

static json_t *jget(json_t *o, const char *path)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof buf, "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		o = json_is_array(o) ? json_array_get(o, (size_t)atoi(k)) : json_object_get(o, k);
	return o;
}

static json_t *find(json_t *arr, const char *key, const char *val)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		const char *s = json_string_value(json_object_get(e, key));
		if (s && !strcmp(s, val))
			return e;
	}
	return NULL;
}

static void json_format(struct store *st, int64_t b)
{
	char *t = render(st, b, "uk-ncsc", report_render_json);
	json_error_t je;
	json_t *j = json_loads(t, 0, &je);
	CHECK(j != NULL);
	if (!j) {
		fprintf(stderr, "JSON: %s at %d\n", je.text, je.line);
		free(t);
		return;
	}
	CHECK_STR(json_string_value(jget(j, "schema")), "originscan-report/2");
	CHECK_INT(json_integer_value(jget(j, "summary.devices")), 9);
	CHECK_INT(json_integer_value(jget(j, "summary.attributed")), 8);
	CHECK_INT(json_integer_value(jget(j, "summary.unattributed")), 1);
	CHECK_INT(json_integer_value(jget(j, "summary.high_risk")), 4);
	CHECK(near(json_real_value(jget(j, "summary.high_risk_share")), 4.0 / 9));
	json_t *ran = find(jget(j, "summary.by_domain"), "domain", "ran");
	CHECK(ran && json_integer_value(json_object_get(ran, "high_risk")) == 2);
	CHECK(ran && near(json_number_value(jget(ran, "concentration.hhi")), 5555.56));
	CHECK(ran && near(json_real_value(jget(ran, "concentration.top_share")), 0.666667));
	CHECK_INT(json_integer_value(json_object_get(find(jget(j, "summary.by_vendor"), "id", "huawei"), "devices")), 3);
	CHECK_INT(json_integer_value(json_object_get(find(jget(j, "summary.by_jurisdiction"), "id", "CN"), "devices")), 4);
	CHECK_INT(json_integer_value(jget(j, "summary.core.high_risk")), 1);
	CHECK_STR(json_string_value(jget(j, "summary.core.high_risk_devices.0")), "mac:30:fb:b8:00:00:11");
	CHECK_INT(json_integer_value(jget(j, "summary.components.high_risk")), 1);
	json_t *rule = find(jget(j, "policy_evaluation.rules"), "text", "domain ran 35%");
	CHECK(rule && !strcmp(json_string_value(json_object_get(rule, "status")), "broken"));
	CHECK(rule && json_array_size(json_object_get(rule, "device_ids")) == 2);
	CHECK(rule && json_integer_value(json_object_get(rule, "to_remove")) == 1);
	CHECK_INT(json_array_size(jget(j, "devices")), 9);
	CHECK_INT(json_array_size(jget(j, "trend")), 2);
	CHECK_INT(json_integer_value(jget(j, "trend.1.high_risk")), 4);
	json_t *op = find(jget(j, "by_operator"), "operator", "OpA");
	CHECK(op && json_integer_value(json_object_get(op, "high_risk")) == 3);
	json_t *comp = jget(j, "components.0");
	CHECK_STR(json_string_value(json_object_get(comp, "vendor")), "huawei");
	CHECK_STR(json_string_value(json_object_get(comp, "device_vendor")), "cisco");
	CHECK_STR(json_string_value(json_object_get(comp, "serial")), "HW0042");
	json_t *cis = find(jget(j, "devices"), "address", "10.3.0.2");
	CHECK_STR(json_string_value(json_object_get(cis, "firmware")), "7.5.2");
	CHECK(json_array_size(json_object_get(cis, "evidence")) >= 2);
	CHECK_INT(json_integer_value(json_object_get(cis, "foreign_parts")), 1);
	/* every device string comes back exactly, whatever it held */
	json_t *u = jget(j, "unattributed.0");
	CHECK_STR(json_string_value(json_object_get(u, "address")), "10.3.0.3");
	json_t *seen = find(json_object_get(u, "seen"), "key", "sysDescr");
	CHECK_STR(json_string_value(json_object_get(seen, "value")), hostile_descr);
	json_t *h = find(jget(j, "devices"), "address", "10.3.0.3");
	CHECK_STR(json_string_value(json_object_get(h, "name_seen")), "=HYPERLINK(\"http://evil.example/\",\"x\")");
	json_decref(j);
	free(t);
}

/* A minimal RFC 4180 reader: the cells of each row. */
static int csv_rows(const char *t, char cells[][48][200], int maxrows)
{
	int row = 0, col = 0, q = 0;
	size_t k = 0;
	memset(cells, 0, sizeof(char[48][200]) * (size_t)maxrows);
	for (const char *p = t; *p && row < maxrows; p++) {
		if (q) {
			if (*p == '"' && p[1] == '"')
				cells[row][col][k < 199 ? k++ : k] = '"', p++;
			else if (*p == '"')
				q = 0;
			else if (k < 199)
				cells[row][col][k++] = *p;
		} else if (*p == '"')
			q = 1;
		else if (*p == ',') {
			if (col < 47)
				col++;
			k = 0;
		}
		else if (*p == '\r' && p[1] == '\n')
			row++, col = 0, k = 0, p++;
		else if (k < 199)
			cells[row][col][k++] = *p;
	}
	return row;
}

static void csv_format(struct store *st, int64_t b)
{
	char *t = render(st, b, NULL, report_render_csv);
	static char cells[12][48][200];
	int n = csv_rows(t, cells, 12);
	CHECK_INT(n, 10);
	CHECK_STR(cells[0][1], "identity");
	CHECK_STR(cells[0][22], "high_risk");
	int hr = 0, hostile_row = -1;
	for (int i = 1; i < n; i++) {
		hr += !strcmp(cells[i][22], "yes");
		if (!strcmp(cells[i][2], "10.3.0.3"))
			hostile_row = i;
		/* no cell may start a formula */
		for (int c = 0; c < 48; c++)
			CHECK(!strchr("=+-@", cells[i][c][0]) || !cells[i][c][0]);
	}
	CHECK_INT(hr, 4);
	CHECK(hostile_row > 0);
	if (hostile_row > 0) {
		CHECK_STR(cells[hostile_row][12], "'=HYPERLINK(\"http://evil.example/\",\"x\")");
		CHECK_STR(cells[hostile_row][17], "'@SUM(1+1)");
		CHECK_STR(cells[hostile_row][18], "'-2+3");
	}
	free(t);
}

static void html_format(struct store *st, int64_t b)
{
	char *t = render(st, b, "uk-ncsc", report_render_html);
	CHECK(strstr(t, "<script") == NULL);
	CHECK(strstr(t, "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; Linux &amp; &quot;friends&quot; \\x1b[31mred") != NULL);
	CHECK(strstr(t, "&lt;b&gt;SN9&lt;/b&gt;") != NULL);
	CHECK(strstr(t, "<svg id=\"chart-vendor\"") && strstr(t, "<svg id=\"chart-jurisdiction\"") &&
	      strstr(t, "<svg id=\"chart-domain\""));
	CHECK(strstr(t, "http-equiv=\"Content-Security-Policy\"") != NULL);
	CHECK(strstr(t, "src=\"http") == NULL && strstr(t, "href=\"http") == NULL);
	CHECK(strstr(t, "<b>9</b>devices") != NULL);
	CHECK(strstr(t, "<b>4 (44.4%)</b>high-risk vendors") != NULL);
	CHECK(strstr(t, "66.7% (2)</text>") != NULL);  /* ran's bar in the domain chart */
	free(t);
}

/* ---------- diffs ---------- */

static void diffs(struct store *st, int64_t a, int64_t b, int64_t c)
{
	struct diff d;
	char err[300];
	CHECK_INT(diff_build(st, a, b, NULL, &d, err, sizeof err), 0);
	CHECK_INT(d.nadded, 5);
	CHECK_INT(d.nremoved, 0);
	CHECK_INT(d.nreplaced, 1);
	CHECK_INT(d.replaced_vendor_changed, 1);
	CHECK_INT(d.nmoved, 1);
	CHECK_INT(d.nchanged, 1);
	CHECK_INT(d.unchanged, 1);
	CHECK_INT(d.new_high_risk, 3);
	CHECK_INT(d.gone_high_risk, 1);
	CHECK_INT(diff_count(&d), 8);
	if (d.nreplaced)
		CHECK(!strcmp(d.replaced[0].old.vendor, "zte") && !strcmp(d.replaced[0].new.vendor, "juniper") &&
		      !strcmp(d.replaced[0].new.address, "10.5.0.9"));
	if (d.nmoved)
		CHECK(!strcmp(d.moved[0].old.address, "10.2.0.2") && !strcmp(d.moved[0].new.address, "10.2.0.3"));
	if (d.nchanged)
		CHECK(d.changed[0].changes == DIFF_FIRMWARE && !strcmp(d.changed[0].old.firmware, "7.3.2") &&
		      !strcmp(d.changed[0].new.firmware, "7.5.2"));
	for (size_t i = 0; i < d.ndomains; i++) {
		const struct diff_domain *x = &d.domains[i];
		if (!strcmp(x->domain, "ran"))
			CHECK(x->old_hr == 1 && x->new_hr == 2);
		else if (!strcmp(x->domain, "transport"))
			CHECK(x->old_hr == 1 && x->new_hr == 0);
		else if (!strcmp(x->domain, "core"))
			CHECK(x->old_hr == 0 && x->new_hr == 1);
	}
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	CHECK_INT(diff_render_text(&d, f, 20), 0);
	fclose(f);
	CHECK(strstr(text, "5 added (3 high-risk), 0 removed (0 high-risk), 1 replaced (1 by another vendor), 1 moved, 1 changed") != NULL);
	CHECK(strstr(text, "ran 1 -> 2 (+1)") != NULL);
	/* most important first: new high-risk devices before anything else */
	char *nh = strstr(text, "New high-risk devices"), *rep = strstr(text, "Replaced by another vendor");
	CHECK(nh && rep && nh < rep);
	CHECK(strstr(text, "  ~ 10.5.0.9 (10.5.0.9)  replaced: ZTE") != NULL);       /* address (name) */
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	CHECK_INT(diff_render_json(&d, f), 0);
	fclose(f);
	json_t *j = json_loads(text, 0, NULL);
	CHECK(j != NULL);
	CHECK_INT(json_integer_value(jget(j, "summary.differences")), 8);
	CHECK_INT(json_integer_value(jget(j, "summary.new_high_risk")), 3);
	CHECK(json_is_true(jget(j, "replaced.0.vendor_changed")));
	CHECK_STR(json_string_value(jget(j, "moved.0.changes.0")), "address");
	json_decref(j);
	free(text);
	diff_free(&d);

	/* the same scan: nothing */
	CHECK_INT(diff_build(st, b, b, NULL, &d, err, sizeof err), 0);
	CHECK_INT(diff_count(&d), 0);
	text = NULL;
	f = open_memstream(&text, &len);
	CHECK_INT(diff_render_text(&d, f, 20), 0);
	fclose(f);
	CHECK_INT(len, 0);
	free(text);
	diff_free(&d);

	/* an interrupted scan is refused, never read as removals */
	CHECK_INT(diff_build(st, b, c, NULL, &d, err, sizeof err), -1);
	CHECK(strstr(err, "new scan 3 is interrupted (stopped by a signal): its missing devices would look removed") != NULL);
	int64_t prev = 0;
	CHECK_INT(store_previous_complete(st, b, &prev), 0);
	CHECK_INT(prev, a);
}

int main(int argc, char **argv)
{
	char err[512];
	(void)argc;
	(void)argv;
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char *db = xasprintf("%s/t.db", dir);
	if (kb_init(err, sizeof err) < 0) {
		fprintf(stderr, "kb: %s\n", err);
		return 1;
	}
	struct store *st = store_open(db, err, sizeof err);
	CHECK(st != NULL);
	if (!st) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	char *map = site_map();
	int64_t a = scan(st, map, fill_a, SCAN_COMPLETE);
	int64_t b = scan(st, map, fill_b, SCAN_COMPLETE);
	int64_t c = scan(st, map, fill_c, SCAN_INTERRUPTED);
	model(st, b, a);
	policies(st, b);
	term_escaping();
	text_format(st, b);
	json_format(st, b);
	csv_format(st, b);
	html_format(st, b);
	diffs(st, a, b, c);
	store_close(st);
	free(map);
	char *rm = xasprintf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(rm);
	free(db);
	CHECK_DONE();
}
