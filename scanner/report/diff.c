/* Scan diffs (include/diff.h): a merge join of two scans' devices in
 * identity order, then added and removed devices paired by address into
 * replacements, and the renderers (text for cron mail, JSON). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "jsonw.h"
#include "report_int.h"
#include "smap.h"
#include "util.h"

static char *dup0(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void dev_free(struct diff_dev *d)
{
	free(d->identity), free(d->address), free(d->vendor), free(d->vendor_name), free(d->model);
	free(d->firmware), free(d->domain), free(d->site), free(d->operator_name), free(d->name);
}

/* High-risk standing per vendor under the policy on a date, cached. */
struct hrcache {
	struct smap m;
	int *hr;
	size_t n;
	int date;
	const struct kb_policy *p;
};

static int hr_of(struct hrcache *c, const char *vendor)
{
	if (!vendor)
		return 0;
	size_t i = smap_get(&c->m, vendor, 0, 0);
	if (i != SMAP_NONE)
		return c->hr[i];
	int v = kb_vendor_find(vendor);
	c->hr = xrealloc(c->hr, (c->n + 1) * sizeof *c->hr);
	c->hr[c->n] = v >= 0 && kb_policy_high_risk(c->p, v, c->date, NULL, 0);
	smap_get(&c->m, vendor, 1, c->n);
	return c->hr[c->n++];
}

static void dev_copy(struct diff_dev *o, const struct device_row *d, int hr)
{
	o->identity = dup0(d->identity);
	o->address = dup0(d->address);
	o->name = dup0(d->name);
	o->vendor = dup0(d->vendor);
	o->vendor_name = dup0(d->vendor_name);
	o->model = dup0(d->model);
	o->firmware = dup0(d->firmware);
	o->domain = dup0(d->domain);
	o->site = dup0(d->site);
	o->operator_name = dup0(d->operator_name);
	o->confidence = d->confidence;
	o->high_risk = hr;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

struct build {
	struct diff *d;
	struct smap dom;
	size_t capa, capr, capc, capm;
};

static void count_domain(struct build *b, const char *domain, int is_new, int hr)
{
	const char *k = domain ? domain : "unassigned";
	size_t i = smap_get(&b->dom, k, 0, 0);
	struct diff *d = b->d;
	if (i == SMAP_NONE) {
		d->domains = xrealloc(d->domains, (d->ndomains + 1) * sizeof *d->domains);
		memset(&d->domains[d->ndomains], 0, sizeof *d->domains);
		d->domains[d->ndomains].domain = xstrdup(k);
		i = smap_get(&b->dom, k, 1, d->ndomains++);
	}
	struct diff_domain *x = &d->domains[i];
	if (is_new) {
		x->new_n++;
		x->new_hr += hr;
	} else {
		x->old_n++;
		x->old_hr += hr;
	}
}

#define PUSH(arr, n, cap)                                               \
	do {                                                            \
		if ((n) == (cap)) {                                     \
			(cap) = (cap) ? (cap) * 2 : 64;                 \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr)); \
		}                                                       \
	} while (0)

static int check_scan(struct store *st, int64_t id, struct scan_info *si, const char *which, char *err,
                      size_t errlen)
{
	if (store_scan_info(st, id, si) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		return -1;
	}
	if (si->status != SCAN_COMPLETE) {
		char note[300] = "";
		if (si->note)
			snprintf(note, sizeof note, " (%s)", si->note);
		os_seterr(err, errlen,
		          "%s scan %lld is %s%s: its missing devices would look removed; diff compares complete scans "
		          "only (see 'originscan scans', or use --last)",
		          which, (long long)id, scan_status_name(si->status), note);
		return -1;
	}
	return 0;
}

static int pair_replacements(struct diff *d)
{
	/* removed devices by address; an added device at one of them
	 * replaced it (each address pairs once) */
	struct smap at = {0};
	for (size_t i = 0; i < d->nremoved; i++)
		if (d->removed[i].address)
			smap_get(&at, d->removed[i].address, 1, i);
	char *gone_r = xcalloc(d->nremoved ? d->nremoved : 1, 1), *gone_a = xcalloc(d->nadded ? d->nadded : 1, 1);
	size_t cap = 0;
	for (size_t i = 0; i < d->nadded; i++) {
		const char *a = d->added[i].address;
		size_t k = a ? smap_get(&at, a, 0, 0) : SMAP_NONE;
		if (k == SMAP_NONE || gone_r[k])
			continue;
		gone_r[k] = gone_a[i] = 1;
		PUSH(d->replaced, d->nreplaced, cap);
		struct diff_pair *p = &d->replaced[d->nreplaced++];
		p->old = d->removed[k];
		p->new = d->added[i];
		p->changes = 0;
		if (!same(p->old.vendor, p->new.vendor)) {
			p->changes |= DIFF_VENDOR;
			d->replaced_vendor_changed++;
		}
		if (!same(p->old.model, p->new.model))
			p->changes |= DIFF_MODEL;
		if (!same(p->old.firmware, p->new.firmware))
			p->changes |= DIFF_FIRMWARE;
		if (p->old.high_risk != p->new.high_risk)
			p->changes |= DIFF_HIGH_RISK;
	}
	size_t w = 0;
	for (size_t i = 0; i < d->nadded; i++)
		if (!gone_a[i])
			d->added[w++] = d->added[i];
	d->nadded = w;
	w = 0;
	for (size_t i = 0; i < d->nremoved; i++)
		if (!gone_r[i])
			d->removed[w++] = d->removed[i];
	d->nremoved = w;
	free(gone_r);
	free(gone_a);
	smap_free(&at);
	return 0;
}

int diff_build(struct store *st, int64_t old_id, int64_t new_id, const struct diff_opts *o, struct diff *d,
               char *err, size_t errlen)
{
	const char *policy = o ? o->policy : NULL;
	struct build b;
	memset(d, 0, sizeof *d);
	memset(&b, 0, sizeof b);
	b.d = d;
	d->policy = kb_policy_find(policy ? policy : "default");
	if (!d->policy) {
		os_seterr(err, errlen, "unknown policy '%s'", policy);
		return -1;
	}
	if (check_scan(st, old_id, &d->old, "old", err, errlen) < 0 ||
	    check_scan(st, new_id, &d->new, "new", err, errlen) < 0) {
		diff_free(d);
		return -1;
	}
	/* each scan on the date its stored verdicts were made with */
	d->old_date = d->old.attrib_as_of > 0 ? d->old.attrib_as_of : os_date_of_us(d->old.started_us);
	d->new_date = d->new.attrib_as_of > 0 ? d->new.attrib_as_of : os_date_of_us(d->new.started_us);
	const char *ko = d->old.attrib_kb ? d->old.attrib_kb : d->old.kb_version;
	const char *kn = d->new.attrib_kb ? d->new.attrib_kb : d->new.kb_version;
	d->kb_differs = !same(ko, kn);
	/* like with like: the same targets, or the same plan; anything else
	 * would report what one scan did not look at as removed */
	d->scope_differs = !same(d->old.scope, d->new.scope);
	if (d->scope_differs && !(o && o->any_scope)) {
		os_seterr(err, errlen,
		          "scans %lld and %lld cover different things (%s; %s): what only one looked at would show as "
		          "added or removed; compare scans of the same targets or plan, or give --any-scope",
		          (long long)old_id, (long long)new_id, d->old.scope ? d->old.scope : "nothing recorded",
		          d->new.scope ? d->new.scope : "nothing recorded");
		diff_free(d);
		return -1;
	}
	struct hrcache ho = {{0}, NULL, 0, d->old_date, d->policy}, hn = {{0}, NULL, 0, d->new_date, d->policy};

	struct device_filter fo = {.scan_id = old_id, .order = DEV_ORDER_IDENTITY};
	if (o) {
		fo.operators = o->operators;
		fo.noperators = o->noperators;
		fo.sites = o->sites;
		fo.nsites = o->nsites;
		fo.domain = o->domain;
	}
	struct device_filter fn = fo;
	fn.scan_id = new_id;
	struct device_cursor *co = store_device_cursor(st, &fo), *cn = co ? store_device_cursor(st, &fn) : NULL;
	struct device_row ro, rn;
	int ao = 0, an = 0, rc = 0;
	if (!cn) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		store_device_cursor_close(co);
		diff_free(d);
		return -1;
	}
	ao = store_device_next(co, &ro);
	an = store_device_next(cn, &rn);
	while (ao > 0 || an > 0) {
		int cmp = ao <= 0 ? 1 : an <= 0 ? -1 : strcmp(ro.identity, rn.identity);
		if (cmp < 0) {
			int hr = hr_of(&ho, ro.vendor);
			count_domain(&b, ro.domain, 0, hr);
			PUSH(d->removed, d->nremoved, b.capr);
			dev_copy(&d->removed[d->nremoved++], &ro, hr);
			d->gone_high_risk += hr;
			ao = store_device_next(co, &ro);
		} else if (cmp > 0) {
			int hr = hr_of(&hn, rn.vendor);
			count_domain(&b, rn.domain, 1, hr);
			PUSH(d->added, d->nadded, b.capa);
			dev_copy(&d->added[d->nadded++], &rn, hr);
			d->new_high_risk += hr;
			an = store_device_next(cn, &rn);
		} else {
			int h0 = hr_of(&ho, ro.vendor), h1 = hr_of(&hn, rn.vendor);
			count_domain(&b, ro.domain, 0, h0);
			count_domain(&b, rn.domain, 1, h1);
			unsigned ch = 0;
			if (!same(ro.address, rn.address))
				ch |= DIFF_ADDRESS;
			if (!same(ro.firmware, rn.firmware))
				ch |= DIFF_FIRMWARE;
			if (!same(ro.model, rn.model))
				ch |= DIFF_MODEL;
			if (!same(ro.vendor, rn.vendor))
				ch |= DIFF_VENDOR;
			if (h0 != h1)
				ch |= DIFF_HIGH_RISK;
			d->new_high_risk += h1 && !h0;
			d->gone_high_risk += h0 && !h1;
			if (!ch)
				d->unchanged++;
			else {
				struct diff_pair *p;
				if (ch & DIFF_ADDRESS) {
					PUSH(d->moved, d->nmoved, b.capm);
					p = &d->moved[d->nmoved++];
				} else {
					PUSH(d->changed, d->nchanged, b.capc);
					p = &d->changed[d->nchanged++];
				}
				dev_copy(&p->old, &ro, h0);
				dev_copy(&p->new, &rn, h1);
				p->changes = ch;
			}
			ao = store_device_next(co, &ro);
			an = store_device_next(cn, &rn);
		}
	}
	if (ao < 0 || an < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		rc = -1;
	}
	store_device_cursor_close(co);
	store_device_cursor_close(cn);
	smap_free(&ho.m);
	smap_free(&hn.m);
	free(ho.hr);
	free(hn.hr);
	smap_free(&b.dom);
	if (rc < 0) {
		diff_free(d);
		return -1;
	}
	pair_replacements(d);
	if (diff_ran_build(st, d, err, errlen) < 0) {
		diff_free(d);
		return -1;
	}
	return 0;
}

void diff_free(struct diff *d)
{
	for (size_t i = 0; i < d->nadded; i++)
		dev_free(&d->added[i]);
	for (size_t i = 0; i < d->nremoved; i++)
		dev_free(&d->removed[i]);
	struct diff_pair *lists[3] = {d->changed, d->moved, d->replaced};
	size_t ns[3] = {d->nchanged, d->nmoved, d->nreplaced};
	for (int l = 0; l < 3; l++) {
		for (size_t i = 0; i < ns[l]; i++) {
			dev_free(&lists[l][i].old);
			dev_free(&lists[l][i].new);
		}
		free(lists[l]);
	}
	free(d->added);
	free(d->removed);
	for (size_t i = 0; i < d->ndomains; i++)
		free(d->domains[i].domain);
	free(d->domains);
	diff_ran_free(d);
	scan_info_free(&d->old);
	scan_info_free(&d->new);
	memset(d, 0, sizeof *d);
}

int64_t diff_count(const struct diff *d)
{
	return (int64_t)(d->nadded + d->nremoved + d->nchanged + d->nmoved + d->nreplaced);
}

/* ---------- text ---------- */

void diff_tput(FILE *out, const char *s)
{
	os_term_puts(out, s && *s ? s : "-");
}

static void dev_text(FILE *out, const struct diff_dev *x)
{
	diff_tput(out, x->vendor_name ? x->vendor_name : "unknown vendor");
	fputc(' ', out);
	diff_tput(out, x->model);
	fputc(' ', out);
	diff_tput(out, x->firmware);
	fputs(" [", out);
	diff_tput(out, x->domain);
	if (x->site) {
		fputs(", ", out);
		diff_tput(out, x->site);
	}
	fputc(']', out);
	if (x->high_risk)
		fputs(" HIGH-RISK", out);
}

struct section {
	FILE *out;
	size_t limit, n;
	const char *title;
};

static int sec_line(struct section *s)
{
	if (s->n == 0)
		fprintf(s->out, "\n%s\n", s->title);
	s->n++;
	return !s->limit || s->n <= s->limit;
}

static void sec_end(struct section *s)
{
	if (s->limit && s->n > s->limit)
		fprintf(s->out, "  ... and %zu more (--limit 0 or --format json for all)\n", s->n - s->limit);
}

/* address (name): where the box is and what it is called */
static void where(FILE *out, const struct diff_dev *x)
{
	diff_tput(out, x->address ? x->address : x->identity);
	if (x->name) {
		fputs(" (", out);
		diff_tput(out, x->name);
		fputc(')', out);
	}
}

static void line_dev(FILE *out, char mark, const struct diff_dev *x)
{
	fprintf(out, "  %c ", mark);
	where(out, x);
	fputs("  ", out);
	dev_text(out, x);
	fputc('\n', out);
}

static void line_pair(FILE *out, char mark, const struct diff_pair *p, const char *what)
{
	fprintf(out, "  %c ", mark);
	where(out, &p->new);
	fprintf(out, "  %s: ", what);
	dev_text(out, &p->old);
	fputs(" -> ", out);
	dev_text(out, &p->new);
	if (p->changes & DIFF_ADDRESS) {
		fputs(" (was at ", out);
		diff_tput(out, p->old.address);
		fputc(')', out);
	}
	fputc('\n', out);
}

static const char *change_words(unsigned ch, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", ch & DIFF_VENDOR ? "vendor " : "", ch & DIFF_MODEL ? "model " : "",
	         ch & DIFF_FIRMWARE ? "firmware " : "", ch & DIFF_HIGH_RISK ? "high-risk " : "",
	         ch & DIFF_ADDRESS ? "address " : "");
	size_t l = strlen(buf);
	if (l)
		buf[l - 1] = 0;
	return buf;
}

int diff_each_new_high_risk(const struct diff *d,
                            int (*cb)(void *ctx, const struct diff_dev *x, const struct diff_pair *p, const char *how),
                            void *ctx)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < d->nadded; i++)
		if (d->added[i].high_risk)
			rc = cb(ctx, &d->added[i], NULL, "added");
	for (size_t i = 0; !rc && i < d->nreplaced; i++)
		if (d->replaced[i].new.high_risk && !d->replaced[i].old.high_risk)
			rc = cb(ctx, &d->replaced[i].new, &d->replaced[i], "replaced");
	const struct diff_pair *lists[2] = {d->changed, d->moved};
	size_t ns[2] = {d->nchanged, d->nmoved};
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; !rc && i < ns[l]; i++)
			if (lists[l][i].new.high_risk && !lists[l][i].old.high_risk)
				rc = cb(ctx, &lists[l][i].new, &lists[l][i], "now high-risk");
	return rc;
}

static int new_hr_line(void *ctx, const struct diff_dev *x, const struct diff_pair *p, const char *how)
{
	struct section *s = ctx;
	if (sec_line(s)) {
		if (!p)
			line_dev(s->out, '+', x);
		else
			line_pair(s->out, !strcmp(how, "replaced") ? '~' : '*', p, how);
	}
	return 0;
}

int diff_render_text(const struct diff *d, FILE *out, size_t limit)
{
	char t0[32], t1[32], w[80];
	if (!diff_count(d))
		return ferror(out) ? -1 : 0;
	os_iso_time(d->old.started_us, t0, sizeof t0);
	os_iso_time(d->new.started_us, t1, sizeof t1);
	fprintf(out, "originscan diff: scan %lld (%s) -> scan %lld (%s), policy %s\n", (long long)d->old.id, t0,
	        (long long)d->new.id, t1, d->policy->id);
	int64_t add_hr = 0, rem_hr = 0;
	for (size_t i = 0; i < d->nadded; i++)
		add_hr += d->added[i].high_risk;
	for (size_t i = 0; i < d->nremoved; i++)
		rem_hr += d->removed[i].high_risk;
	fprintf(out, "  %zu added (%lld high-risk), %zu removed (%lld high-risk), %zu replaced (%lld by another "
	             "vendor), %zu moved, %zu changed; %lld unchanged\n",
	        d->nadded, (long long)add_hr, d->nremoved, (long long)rem_hr, d->nreplaced,
	        (long long)d->replaced_vendor_changed, d->nmoved, d->nchanged, (long long)d->unchanged);
	fprintf(out, "  new high-risk devices: %lld; high-risk devices gone: %lld\n", (long long)d->new_high_risk,
	        (long long)d->gone_high_risk);
	fputs("  high-risk per domain (old -> new):", out);
	int any = 0;
	for (size_t i = 0; i < d->ndomains; i++) {
		const struct diff_domain *x = &d->domains[i];
		if (x->old_hr == x->new_hr)
			continue;
		fprintf(out, "%s %s %lld -> %lld (%+lld)", any ? ";" : "", x->domain, (long long)x->old_hr,
		        (long long)x->new_hr, (long long)(x->new_hr - x->old_hr));
		any = 1;
	}
	fputs(any ? "\n" : " no change\n", out);
	if (d->kb_differs)
		fputs("  NOTE: the two scans' verdicts come from different knowledge bases; some vendor changes may be\n"
		      "  the knowledge base's. 'originscan reattribute --scan ID' both for a like-for-like diff.\n",
		      out);
	if (d->scope_differs)
		fputs("  NOTE: the two scans cover different targets or plans (--any-scope): devices only one of them\n"
		      "  looked at show as added or removed.\n",
		      out);

	/* most important first: what became high-risk */
	struct section s = {out, limit, 0, "New high-risk devices"};
	diff_each_new_high_risk(d, new_hr_line, &s);
	sec_end(&s);
	const struct diff_pair *lists[2] = {d->changed, d->moved};
	size_t ns[2] = {d->nchanged, d->nmoved};

	s = (struct section){out, limit, 0, "Replaced by another vendor"};
	for (size_t i = 0; i < d->nreplaced; i++)
		if ((d->replaced[i].changes & DIFF_VENDOR) && sec_line(&s))
			line_pair(out, '~', &d->replaced[i], "replaced");
	sec_end(&s);
	s = (struct section){out, limit, 0, "High-risk devices gone (removed or no longer high-risk)"};
	for (size_t i = 0; i < d->nremoved; i++)
		if (d->removed[i].high_risk && sec_line(&s))
			line_dev(out, '-', &d->removed[i]);
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < ns[l]; i++)
			if (!lists[l][i].new.high_risk && lists[l][i].old.high_risk && sec_line(&s))
				line_pair(out, '*', &lists[l][i], "no longer high-risk");
	sec_end(&s);
	s = (struct section){out, limit, 0, "Vendor verdict changed (same device)"};
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < ns[l]; i++)
			if ((lists[l][i].changes & DIFF_VENDOR) && sec_line(&s))
				line_pair(out, '*', &lists[l][i], "vendor");
	sec_end(&s);
	s = (struct section){out, limit, 0, "Added"};
	for (size_t i = 0; i < d->nadded; i++)
		if (!d->added[i].high_risk && sec_line(&s))
			line_dev(out, '+', &d->added[i]);
	sec_end(&s);
	s = (struct section){out, limit, 0, "Removed"};
	for (size_t i = 0; i < d->nremoved; i++)
		if (!d->removed[i].high_risk && sec_line(&s))
			line_dev(out, '-', &d->removed[i]);
	sec_end(&s);
	s = (struct section){out, limit, 0, "Replaced (same vendor)"};
	for (size_t i = 0; i < d->nreplaced; i++)
		if (!(d->replaced[i].changes & DIFF_VENDOR) && sec_line(&s))
			line_pair(out, '~', &d->replaced[i], "replaced");
	sec_end(&s);
	s = (struct section){out, limit, 0, "Moved (same device, new address)"};
	for (size_t i = 0; i < d->nmoved; i++)
		if (sec_line(&s))
			line_pair(out, '>', &d->moved[i], change_words(d->moved[i].changes, w, sizeof w));
	sec_end(&s);
	s = (struct section){out, limit, 0, "Firmware or model changed"};
	for (size_t i = 0; i < d->nchanged; i++)
		if (!(d->changed[i].changes & DIFF_VENDOR) && (d->changed[i].changes & (DIFF_FIRMWARE | DIFF_MODEL)) &&
		    sec_line(&s))
			line_pair(out, '*', &d->changed[i], change_words(d->changed[i].changes, w, sizeof w));
	sec_end(&s);
	diff_ran_render_text(d, out, limit);
	return ferror(out) ? -1 : 0;
}

/* ---------- JSON ---------- */

static void dev_json(struct jw *w, const char *key, const struct diff_dev *x)
{
	jw_obj(w, key);
	jw_str(w, "identity", x->identity);
	jw_str(w, "name", x->name);
	jw_str(w, "address", x->address);
	jw_str(w, "vendor", x->vendor);
	jw_str(w, "vendor_name", x->vendor_name);
	jw_str(w, "model", x->model);
	jw_str(w, "firmware", x->firmware);
	jw_str(w, "domain", x->domain);
	jw_str(w, "site", x->site);
	jw_str(w, "operator", x->operator_name);
	jw_int(w, "confidence", x->confidence);
	jw_bool(w, "high_risk", x->high_risk);
	jw_end(w);
}

static void pairs_json(struct jw *w, const char *key, const struct diff_pair *p, size_t n)
{
	static const char *const names[] = {"address", "firmware", "model", "vendor", "high_risk"};
	jw_arr(w, key);
	jw_compact(w, 1);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w, NULL);
		jw_arr(w, "changes");
		for (size_t k = 0; k < OS_ARRAY_LEN(names); k++)
			if (p[i].changes & (1u << k))
				jw_str(w, NULL, names[k]);
		jw_end(w);
		jw_bool(w, "vendor_changed", (p[i].changes & DIFF_VENDOR) != 0);
		dev_json(w, "old", &p[i].old);
		dev_json(w, "new", &p[i].new);
		jw_end(w);
	}
	jw_compact(w, 0);
	jw_end(w);
}

static void devs_json(struct jw *w, const char *key, const struct diff_dev *x, size_t n)
{
	jw_arr(w, key);
	jw_compact(w, 1);
	for (size_t i = 0; i < n; i++)
		dev_json(w, NULL, &x[i]);
	jw_compact(w, 0);
	jw_end(w);
}

static void scan_json(struct jw *w, const char *key, const struct scan_info *si)
{
	jw_obj(w, key);
	jw_int(w, "id", si->id);
	jw_str(w, "command", si->command);
	jw_str(w, "plan", si->plan);
	jw_str(w, "scope", si->scope);
	jw_str(w, "status", scan_status_name(si->status));
	jw_time(w, "started", si->started_us);
	jw_time(w, "ended", si->ended_us);
	jw_str(w, "kb_version", si->attrib_kb ? si->attrib_kb : si->kb_version);
	jw_int(w, "devices", si->devices);
	jw_end(w);
}

int diff_render_json(const struct diff *d, FILE *out)
{
	struct jw w;
	jw_init(&w, out);
	jw_obj(&w, NULL);
	jw_str(&w, "schema", "originscan-diff/1");
	scan_json(&w, "old", &d->old);
	scan_json(&w, "new", &d->new);
	jw_str(&w, "policy", d->policy->id);
	jw_bool(&w, "kb_differs", d->kb_differs);
	jw_bool(&w, "scope_differs", d->scope_differs);
	jw_obj(&w, "summary");
	jw_int(&w, "differences", diff_count(d));
	jw_int(&w, "added", (int64_t)d->nadded);
	jw_int(&w, "removed", (int64_t)d->nremoved);
	jw_int(&w, "changed", (int64_t)d->nchanged);
	jw_int(&w, "moved", (int64_t)d->nmoved);
	jw_int(&w, "replaced", (int64_t)d->nreplaced);
	jw_int(&w, "replaced_vendor_changed", d->replaced_vendor_changed);
	jw_int(&w, "unchanged", d->unchanged);
	jw_int(&w, "new_high_risk", d->new_high_risk);
	jw_int(&w, "gone_high_risk", d->gone_high_risk);
	jw_end(&w);
	jw_arr(&w, "high_risk_by_domain");
	jw_compact(&w, 1);
	for (size_t i = 0; i < d->ndomains; i++) {
		const struct diff_domain *x = &d->domains[i];
		jw_obj(&w, NULL);
		jw_str(&w, "domain", x->domain);
		jw_int(&w, "old_devices", x->old_n);
		jw_int(&w, "old_high_risk", x->old_hr);
		jw_int(&w, "new_devices", x->new_n);
		jw_int(&w, "new_high_risk", x->new_hr);
		jw_int(&w, "change", x->new_hr - x->old_hr);
		jw_end(&w);
	}
	jw_compact(&w, 0);
	jw_end(&w);
	devs_json(&w, "added", d->added, d->nadded);
	devs_json(&w, "removed", d->removed, d->nremoved);
	pairs_json(&w, "changed", d->changed, d->nchanged);
	pairs_json(&w, "moved", d->moved, d->nmoved);
	pairs_json(&w, "replaced", d->replaced, d->nreplaced);
	diff_ran_render_json(d, &w);
	jw_end(&w);
	jw_done(&w);
	return ferror(out) ? -1 : 0;
}
