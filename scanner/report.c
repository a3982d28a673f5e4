/* The report model (report_build) and its text and JSON renderers. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

struct build_ctx {
	struct report *r;
	size_t cap;
};

static int add_device(void *ctx, const struct device_row *d)
{
	struct build_ctx *b = ctx;
	struct report *r = b->r;
	if (r->ndev == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		r->dev = xrealloc(r->dev, b->cap * sizeof *r->dev);
	}
	struct report_device *x = &r->dev[r->ndev++];
	memset(x, 0, sizeof *x);
	x->identity = dup_or_null(d->identity);
	x->address = dup_or_null(d->address);
	x->addresses = dup_or_null(d->addresses);
	x->vendor = dup_or_null(d->vendor);
	x->vendor_name = dup_or_null(d->vendor_name);
	x->name_seen = dup_or_null(d->name_seen);
	x->group = dup_or_null(d->grp);
	x->jurisdiction = dup_or_null(d->jurisdiction);
	x->product = dup_or_null(d->product);
	x->model = dup_or_null(d->model);
	x->firmware = dup_or_null(d->firmware);
	x->role = dup_or_null(d->role);
	x->function = dup_or_null(d->function);
	x->domain = dup_or_null(d->domain);
	x->site = dup_or_null(d->site);
	x->confidence = d->confidence;
	x->verdict_json = dup_or_null(d->verdict_json);
	int g = d->grp ? kb_vendor_find(d->grp) : -1;
	if (g >= 0)
		x->group_name = xstrdup(kb_vendor(g)->name);
	return 0;
}

static int count_targets(void *ctx, const struct target_row *t)
{
	struct report *r = ctx;
	r->targets++;
	if (!strcmp(t->state, "answered"))
		r->answered++;
	else if (!strcmp(t->state, "unreachable"))
		r->unreachable++;
	else
		r->target_errors++;
	return 0;
}

static void bump(struct report_count **arr, size_t *n, const char *key, const char *label, int hr)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*arr)[i].key, key)) {
			(*arr)[i].n++;
			(*arr)[i].high_risk += hr;
			return;
		}
	*arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
	(*arr)[*n].key = xstrdup(key);
	(*arr)[*n].label = xstrdup(label ? label : key);
	(*arr)[*n].n = 1;
	(*arr)[*n].high_risk = hr;
	(*n)++;
}

static int count_cmp(const void *a, const void *b)
{
	const struct report_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

int report_build(struct store *st, int64_t scan_id, const char *policy, int as_of,
                 struct report *r, char *err, size_t errlen)
{
	struct build_ctx b = {r, 0};
	memset(r, 0, sizeof *r);
	if (store_scan_info(st, scan_id, &r->scan) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		return -1;
	}
	r->policy = kb_policy_find(policy ? policy : "default");
	if (!r->policy) {
		struct buf names = {0};
		for (size_t i = 0; i < kb_policy_count(); i++)
			buf_printf(&names, "%s%s", i ? ", " : "", kb_policy_at(i)->id);
		os_seterr(err, errlen, "unknown policy '%s' (known: %s)", policy ? policy : "default",
		          names.p ? names.p : "none");
		buf_free(&names);
		scan_info_free(&r->scan);
		return -1;
	}
	r->date = as_of > 0 ? as_of : os_date_of_us(r->scan.started_us);
	if (store_each_device(st, scan_id, add_device, &b) < 0 ||
	    store_each_target(st, scan_id, count_targets, r) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		report_free(r);
		return -1;
	}
	for (size_t i = 0; i < r->ndev; i++) {
		struct report_device *d = &r->dev[i];
		int v = d->vendor ? kb_vendor_find(d->vendor) : -1;
		char why[512];
		if (v >= 0) {
			r->attributed++;
			d->high_risk = kb_policy_high_risk(r->policy, v, r->date, why, sizeof why);
			if (d->high_risk) {
				d->high_risk_why = xstrdup(why);
				r->high_risk++;
			}
		}
		bump(&r->by_vendor, &r->nvendor, d->vendor ? d->vendor : "unknown",
		     d->vendor_name ? d->vendor_name : "unknown", d->high_risk);
		bump(&r->by_group, &r->ngroup, d->group ? d->group : "unknown",
		     d->group_name ? d->group_name : "unknown", d->high_risk);
		const char *cc = d->jurisdiction ? d->jurisdiction : "??";
		const char *cn = d->jurisdiction ? kb_country_name(d->jurisdiction) : "unknown";
		bump(&r->by_country, &r->ncountry, cc, cn ? cn : cc, d->high_risk);
	}
	qsort(r->by_vendor, r->nvendor, sizeof *r->by_vendor, count_cmp);
	qsort(r->by_group, r->ngroup, sizeof *r->by_group, count_cmp);
	qsort(r->by_country, r->ncountry, sizeof *r->by_country, count_cmp);
	return 0;
}

static void free_counts(struct report_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].key);
		free(c[i].label);
	}
	free(c);
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->ndev; i++) {
		struct report_device *d = &r->dev[i];
		free(d->identity), free(d->address), free(d->addresses), free(d->vendor);
		free(d->vendor_name), free(d->name_seen), free(d->group), free(d->group_name);
		free(d->jurisdiction), free(d->product), free(d->model), free(d->firmware);
		free(d->role), free(d->function), free(d->domain), free(d->site);
		free(d->high_risk_why), free(d->verdict_json);
	}
	free(r->dev);
	free_counts(r->by_vendor, r->nvendor);
	free_counts(r->by_group, r->ngroup);
	free_counts(r->by_country, r->ncountry);
	scan_info_free(&r->scan);
	memset(r, 0, sizeof *r);
}

/* ---------- text ---------- */

/* Terminal-safe: control bytes (ESC sequences could repaint a terminal)
 * and non-UTF-8 are shown as \xNN. */
static void tput(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static double pct(int64_t a, int64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

int report_render_text(const struct report *r, FILE *out)
{
	char t0[32], date[16];
	os_iso_time(r->scan.started_us, t0, sizeof t0);
	snprintf(date, sizeof date, "%04d-%02d-%02d", r->date / 10000, r->date / 100 % 100, r->date % 100);
	fprintf(out, "originscan report: scan %lld (%s, %s), started %s\n", (long long)r->scan.id,
	        r->scan.command, scan_status_name(r->scan.status), t0);
	if (r->scan.status != SCAN_COMPLETE)
		fprintf(out, "WARNING: this scan is %s; its figures are incomplete.\n",
		        scan_status_name(r->scan.status));
	fprintf(out, "policy: %s (%s); ownership as of %s\n", r->policy->id, r->policy->title, date);
	fprintf(out, "knowledge base: %s\n\n",
	        r->scan.attrib_kb ? r->scan.attrib_kb : r->scan.kb_version ? r->scan.kb_version : "?");

	fprintf(out, "Summary\n");
	if (r->targets)
		fprintf(out, "  targets polled:      %lld (%lld answered, %lld unreachable, %lld errors)\n",
		        (long long)r->targets, (long long)r->answered, (long long)r->unreachable,
		        (long long)r->target_errors);
	fprintf(out, "  devices:             %zu\n", r->ndev);
	fprintf(out, "  attributed:          %lld (%.1f%%)\n", (long long)r->attributed,
	        pct(r->attributed, (int64_t)r->ndev));
	fprintf(out, "  unattributed:        %lld\n", (long long)((int64_t)r->ndev - r->attributed));
	fprintf(out, "  high-risk vendors:   %lld (%.1f%% of devices) under %s\n\n", (long long)r->high_risk,
	        pct(r->high_risk, (int64_t)r->ndev), r->policy->id);

	fprintf(out, "By vendor\n");
	for (size_t i = 0; i < r->nvendor; i++) {
		fprintf(out, "  %-28s %6lld  %5.1f%%%s\n", r->by_vendor[i].label, (long long)r->by_vendor[i].n,
		        pct(r->by_vendor[i].n, (int64_t)r->ndev), r->by_vendor[i].high_risk ? "  HIGH-RISK" : "");
	}
	fprintf(out, "\nBy jurisdiction\n");
	for (size_t i = 0; i < r->ncountry; i++)
		fprintf(out, "  %-4s %-23s %6lld  %5.1f%%\n", r->by_country[i].key, r->by_country[i].label,
		        (long long)r->by_country[i].n, pct(r->by_country[i].n, (int64_t)r->ndev));

	fprintf(out, "\nDevices\n");
	for (size_t i = 0; i < r->ndev; i++) {
		const struct report_device *d = &r->dev[i];
		fprintf(out, "  %s", d->high_risk ? "! " : "  ");
		tput(out, or_dash(d->address ? d->address : d->identity));
		fprintf(out, "  %s", or_dash(d->vendor_name));
		if (d->group && d->vendor && strcmp(d->group, d->vendor))
			fprintf(out, " (group %s)", or_dash(d->group_name));
		fprintf(out, "  [%s]  model ", or_dash(d->jurisdiction));
		tput(out, or_dash(d->model));
		fputs("  firmware ", out);
		tput(out, or_dash(d->firmware));
		fprintf(out, "  role %s  confidence %d\n", or_dash(d->role), d->confidence);
		if (d->high_risk_why) {
			fputs("      high-risk: ", out);
			tput(out, d->high_risk_why);
			fputc('\n', out);
		}
		/* the evidence that decided, from the stored verdict */
		json_t *vj = d->verdict_json ? json_loads(d->verdict_json, 0, NULL) : NULL;
		json_t *claims = vj ? json_object_get(vj, "claims") : NULL;
		size_t k;
		json_t *c;
		json_array_foreach(claims, k, c) {
			json_int_t w = json_integer_value(json_object_get(c, "weight"));
			const char *vend = json_string_value(json_object_get(c, "vendor"));
			fprintf(out, "      %-3lld %s ", (long long)w, vend ? vend : "-");
			tput(out, json_string_value(json_object_get(c, "key")));
			fputs(" = \"", out);
			tput(out, json_string_value(json_object_get(c, "value")));
			fputs("\"  <- ", out);
			tput(out, json_string_value(json_object_get(c, "basis")));
			fputc('\n', out);
		}
		json_decref(vj);
	}
	return ferror(out) ? -1 : 0;
}

/* ---------- JSON ---------- */

static json_t *js(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	/* not UTF-8: keep every byte visible */
	struct buf b = {0};
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80)
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "\\x%02x", *p);
	j = json_string(b.p ? b.p : "");
	buf_free(&b);
	return j;
}

static json_t *counts_json(const struct report_count *c, size_t n, int64_t total)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", js(c[i].key));
		json_object_set_new(o, "name", js(c[i].label));
		json_object_set_new(o, "devices", json_integer(c[i].n));
		json_object_set_new(o, "share", json_real(total ? (double)c[i].n / (double)total : 0));
		json_object_set_new(o, "high_risk", json_integer(c[i].high_risk));
		json_array_append_new(a, o);
	}
	return a;
}

int report_render_json(const struct report *r, FILE *out)
{
	char t0[32], t1[32] = "";
	json_t *o = json_object(), *scan = json_object(), *pol = json_object(), *sum = json_object();
	os_iso_time(r->scan.started_us, t0, sizeof t0);
	if (r->scan.ended_us)
		os_iso_time(r->scan.ended_us, t1, sizeof t1);
	json_object_set_new(o, "schema", json_string("originscan-report/1"));
	json_object_set_new(scan, "id", json_integer(r->scan.id));
	json_object_set_new(scan, "command", js(r->scan.command));
	json_object_set_new(scan, "status", js(scan_status_name(r->scan.status)));
	json_object_set_new(scan, "started", js(t0));
	json_object_set_new(scan, "ended", *t1 ? js(t1) : json_null());
	json_object_set_new(scan, "kb_version", js(r->scan.kb_version));
	json_t *req = r->scan.request ? json_loads(r->scan.request, 0, NULL) : NULL;
	json_object_set_new(scan, "request", req ? req : json_null());
	json_object_set_new(o, "scan", scan);
	json_object_set_new(pol, "id", js(r->policy->id));
	json_object_set_new(pol, "title", js(r->policy->title));
	char date[16];
	snprintf(date, sizeof date, "%04d-%02d-%02d", r->date / 10000, r->date / 100 % 100, r->date % 100);
	json_object_set_new(pol, "as_of", js(date));
	json_object_set_new(o, "policy", pol);
	/* the knowledge base the verdicts were computed with */
	json_object_set_new(o, "kb_version", js(r->scan.attrib_kb ? r->scan.attrib_kb : r->scan.kb_version));

	json_object_set_new(sum, "targets", json_integer(r->targets));
	json_object_set_new(sum, "answered", json_integer(r->answered));
	json_object_set_new(sum, "unreachable", json_integer(r->unreachable));
	json_object_set_new(sum, "target_errors", json_integer(r->target_errors));
	json_object_set_new(sum, "devices", json_integer((json_int_t)r->ndev));
	json_object_set_new(sum, "attributed", json_integer(r->attributed));
	json_object_set_new(sum, "unattributed", json_integer((json_int_t)r->ndev - r->attributed));
	json_object_set_new(sum, "high_risk", json_integer(r->high_risk));
	json_object_set_new(sum, "high_risk_share",
	                    json_real(r->ndev ? (double)r->high_risk / (double)r->ndev : 0));
	json_object_set_new(sum, "by_vendor", counts_json(r->by_vendor, r->nvendor, (int64_t)r->ndev));
	json_object_set_new(sum, "by_group", counts_json(r->by_group, r->ngroup, (int64_t)r->ndev));
	json_object_set_new(sum, "by_jurisdiction", counts_json(r->by_country, r->ncountry, (int64_t)r->ndev));
	json_object_set_new(o, "summary", sum);

	json_t *devs = json_array();
	for (size_t i = 0; i < r->ndev; i++) {
		const struct report_device *d = &r->dev[i];
		json_t *j = json_object();
		json_object_set_new(j, "identity", js(d->identity));
		json_object_set_new(j, "address", js(d->address));
		json_t *addrs = d->addresses ? json_loads(d->addresses, 0, NULL) : NULL;
		json_object_set_new(j, "addresses", addrs ? addrs : json_array());
		json_object_set_new(j, "vendor", js(d->vendor));
		json_object_set_new(j, "vendor_name", js(d->vendor_name));
		json_object_set_new(j, "name_seen", js(d->name_seen));
		json_object_set_new(j, "group", js(d->group));
		json_object_set_new(j, "group_name", js(d->group_name));
		json_object_set_new(j, "jurisdiction", js(d->jurisdiction));
		json_object_set_new(j, "product", js(d->product));
		json_object_set_new(j, "model", js(d->model));
		json_object_set_new(j, "firmware", js(d->firmware));
		json_object_set_new(j, "role", js(d->role));
		json_object_set_new(j, "function", js(d->function));
		json_object_set_new(j, "domain", js(d->domain));
		json_object_set_new(j, "site", js(d->site));
		json_object_set_new(j, "confidence", json_integer(d->confidence));
		json_object_set_new(j, "high_risk", json_boolean(d->high_risk));
		json_object_set_new(j, "high_risk_reason", js(d->high_risk_why));
		json_t *vj = d->verdict_json ? json_loads(d->verdict_json, 0, NULL) : NULL;
		json_object_set_new(j, "evidence", vj ? json_incref(json_object_get(vj, "claims")) : json_array());
		json_object_set_new(j, "components", vj ? json_incref(json_object_get(vj, "components")) : json_array());
		json_object_set_new(j, "disputed", vj ? json_incref(json_object_get(vj, "disputed")) : json_false());
		json_decref(vj);
		json_array_append_new(devs, j);
	}
	json_object_set_new(o, "devices", devs);
	int rc = json_dumpf(o, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', out);
	json_decref(o);
	return rc < 0 || ferror(out) ? -1 : 0;
}
