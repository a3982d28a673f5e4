/* The report model (include/report.h): aggregates read with GROUP BY
 * queries, the policy evaluated over them, and the device lists streamed
 * from the store while a renderer writes.
 *
 * Cost: the aggregate rows of a scan (one per distinct domain, site,
 * operator, vendor, group, jurisdiction, function and confidence band) are
 * held while the model is built, a few hundred bytes each; a million
 * devices in a few hundred sites make some tens of thousands of them.
 * Device lists cost one device at a time.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "report.h"
#include "report_int.h"
#include "sitemap.h"
#include "smap.h"
#include "util.h"

/* Core network functions (data/README.md's function list): the EU 5G
 * Toolbox's first concern is high-risk suppliers here. A device counts as
 * being in a core function when its function is one of these or its
 * domain is core. */
static const char *const core_functions[] = {"mme", "amf", "smf", "upf", "sgw", "pgw", "hss", "udm", "pcrf",
                                             "pcf", "dra", "ggsn", "sgsn", "msc", "ims"};

static const char *const band_names[BAND__COUNT] = {"none", "low", "medium", "high"};

const char *report_band_name(int band)
{
	return band >= 0 && band < BAND__COUNT ? band_names[band] : "none";
}

double report_share(int64_t a, int64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

void report_date_text(int date, char out[11])
{
	unsigned d = (unsigned)date;
	snprintf(out, 11, "%04u-%02u-%02u", d / 10000 % 10000, d / 100 % 100, d % 100);
}

const char *report_kb_version(const struct report *r)
{
	return r->scan.attrib_kb ? r->scan.attrib_kb : r->scan.kb_version ? r->scan.kb_version : "";
}

const char *report_rule_type(const struct kb_prule *p)
{
	return p->type == KB_PR_EXCLUDE ? "exclude" : p->type == KB_PR_CAP ? "cap" : "concentration";
}

const char *report_rule_status(const struct report_rule *rr)
{
	return !rr->broken ? "met" : rr->in_force ? "broken" : "due";
}

static int is_core_function(const char *f)
{
	for (size_t i = 0; f && i < OS_ARRAY_LEN(core_functions); i++)
		if (!strcmp(f, core_functions[i]))
			return 1;
	return 0;
}

/* ---------- vendors under the policy, cached ---------- */

struct vinfo {
	int v, group;                   /* kb handles, -1 unknown */
	int hr;
	char *why;
};

struct rpriv {
	struct smap vmap;               /* vendor id -> index in vi */
	struct vinfo *vi;
	size_t nvi;
	char **rule_label;              /* "exclude domain core" ... */
	struct device_filter base;
	/* targets that answered but gave no inventory (refused) or failed
	 * (error): few, kept whole; address -> index */
	struct report_target *problem;
	size_t nproblem;
	struct smap pmap;
};

static struct rpriv *P(const struct report *r)
{
	return r->priv;
}

static const struct vinfo *vinfo_get(const struct report *r, const char *id)
{
	struct rpriv *p = P(r);
	if (!id)
		return NULL;
	size_t i = smap_get(&p->vmap, id, 0, 0);
	if (i != SMAP_NONE)
		return &p->vi[i];
	p->vi = xrealloc(p->vi, (p->nvi + 1) * sizeof *p->vi);
	struct vinfo *x = &p->vi[p->nvi];
	char why[512] = "";
	x->v = kb_vendor_find(id);
	x->group = x->v >= 0 ? kb_vendor_group(x->v, r->date) : -1;
	x->hr = x->v >= 0 && kb_policy_high_risk(r->policy, x->v, r->date, why, sizeof why);
	x->why = x->hr ? xstrdup(why) : NULL;
	smap_get(&p->vmap, id, 1, p->nvi);
	return &p->vi[p->nvi++];
}

static const char *group_id(const struct vinfo *vi)
{
	return vi && vi->group >= 0 ? kb_vendor(vi->group)->id : NULL;
}

/* ---------- counts ---------- */

struct counts {
	struct report_count *c;
	size_t n;
	struct smap idx;
};

static struct report_count *count_bump(struct counts *cs, const char *key, const char *label, int64_t n,
                                       int64_t attributed, int64_t hr)
{
	size_t i = smap_get(&cs->idx, key, 0, 0);
	if (i == SMAP_NONE) {
		cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof *cs->c);
		memset(&cs->c[cs->n], 0, sizeof *cs->c);
		cs->c[cs->n].key = xstrdup(key);
		cs->c[cs->n].label = xstrdup(label ? label : key);
		i = smap_get(&cs->idx, key, 1, cs->n++);
	}
	struct report_count *c = &cs->c[i];
	c->n += n;
	c->attributed += attributed;
	c->high_risk += hr;
	return c;
}

static int count_cmp(const void *a, const void *b)
{
	const struct report_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

static struct report_count *counts_done(struct counts *cs, size_t *n)
{
	if (cs->n)
		qsort(cs->c, cs->n, sizeof *cs->c, count_cmp);
	smap_free(&cs->idx);
	*n = cs->n;
	return cs->c;
}

static void counts_free(struct report_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].key);
		free(c[i].label);
	}
	free(c);
}

/* ---------- slices: the whole scan, operators, sites ---------- */

struct slice_b {                        /* a slice being built */
	struct report_slice s;
	struct counts domains;          /* domain -> n/attributed/hr */
	struct counts *groups;          /* per domain (same index): group -> n */
	size_t ngroups_cap;
};

struct slices {
	struct slice_b *s;
	size_t n;
	struct smap idx;
};

static struct slice_b *slice_get(struct slices *ss, const char *key, const char *label, const char *op)
{
	const char *k = key ? key : "";
	size_t i = smap_get(&ss->idx, k, 0, 0);
	if (i != SMAP_NONE)
		return &ss->s[i];
	ss->s = xrealloc(ss->s, (ss->n + 1) * sizeof *ss->s);
	struct slice_b *b = &ss->s[ss->n];
	memset(b, 0, sizeof *b);
	b->s.key = key ? xstrdup(key) : NULL;
	b->s.label = xstrdup(label);
	b->s.operator_name = op ? xstrdup(op) : NULL;
	smap_get(&ss->idx, k, 1, ss->n);
	return &ss->s[ss->n++];
}

static void slice_add(struct slice_b *b, const char *domain, const char *group, const char *group_label,
                      int64_t n, int attributed, int hr)
{
	b->s.n += n;
	b->s.attributed += attributed ? n : 0;
	b->s.high_risk += hr ? n : 0;
	const char *d = domain ? domain : "unassigned";
	size_t before = b->domains.n;
	count_bump(&b->domains, d, d, n, attributed ? n : 0, hr ? n : 0);
	size_t di = smap_get(&b->domains.idx, d, 0, 0);
	if (b->domains.n > before) {
		b->groups = xrealloc(b->groups, b->domains.n * sizeof *b->groups);
		memset(&b->groups[di], 0, sizeof *b->groups);
	}
	if (attributed)
		count_bump(&b->groups[di], group ? group : "unknown", group_label, n, n, hr ? n : 0);
}

/* Sorts, computes concentration and hands the slice over. */
static void slice_done(struct slice_b *b, struct report_slice *out)
{
	size_t nd = b->domains.n;
	struct report_domain *doms = xcalloc(nd ? nd : 1, sizeof *doms);
	for (size_t i = 0; i < nd; i++) {
		struct report_count *c = &b->domains.c[i];
		struct report_domain *d = &doms[i];
		d->domain = xstrdup(c->key);
		d->n = c->n;
		d->attributed = c->attributed;
		d->high_risk = c->high_risk;
		d->groups = counts_done(&b->groups[i], &d->ngroups);
		for (size_t g = 0; g < d->ngroups; g++) {
			double pc = 100.0 * report_share(d->groups[g].n, d->attributed);
			d->hhi += pc * pc;
		}
		d->top_share = d->ngroups ? report_share(d->groups[0].n, d->attributed) : 0;
	}
	smap_free(&b->domains.idx);
	counts_free(b->domains.c, nd);
	free(b->groups);
	/* domains in the fixed order of os_domains, then the rest */
	struct report_domain *sorted = xcalloc(nd ? nd : 1, sizeof *sorted);
	size_t k = 0;
	for (size_t o = 0; o <= os_ndomains; o++)
		for (size_t i = 0; i < nd; i++) {
			int known = domain_valid(doms[i].domain);
			if ((o < os_ndomains && known && !strcmp(doms[i].domain, os_domains[o])) ||
			    (o == os_ndomains && !known))
				sorted[k++] = doms[i];
		}
	free(doms);
	*out = b->s;
	out->domains = sorted;
	out->ndomains = nd;
}

static int slice_cmp(const void *a, const void *b)
{
	const struct report_slice *x = a, *y = b;
	if (!x->key != !y->key)
		return x->key ? -1 : 1;  /* "none named" last */
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->label, y->label);
}

static struct report_slice *slices_done(struct slices *ss, size_t *n)
{
	struct report_slice *out = xcalloc(ss->n ? ss->n : 1, sizeof *out);
	for (size_t i = 0; i < ss->n; i++)
		slice_done(&ss->s[i], &out[i]);
	qsort(out, ss->n, sizeof *out, slice_cmp);
	smap_free(&ss->idx);
	free(ss->s);
	*n = ss->n;
	return out;
}

static void slice_free(struct report_slice *s)
{
	for (size_t i = 0; i < s->ndomains; i++) {
		free(s->domains[i].domain);
		counts_free(s->domains[i].groups, s->domains[i].ngroups);
	}
	free(s->domains);
	free(s->key);
	free(s->label);
	free(s->operator_name);
}

/* ---------- building ---------- */

struct crow {                           /* an aggregate row, kept for the policy */
	char *domain, *operator_name, *function, *group;
	int attributed, hr;
	int64_t n;
};

struct build {
	struct report *r;
	struct slices all, ops, sites;
	struct counts vendor, group, country, core;
	struct crow *rows;
	size_t nrows;
};

static int on_count(void *ctx, const struct device_count *c)
{
	struct build *b = ctx;
	struct report *r = b->r;
	const struct vinfo *vi = vinfo_get(r, c->vendor);
	int attributed = c->vendor != NULL, hr = vi && vi->hr;
	const char *gid = attributed ? group_id(vi) : NULL;
	if (attributed && !gid)
		gid = c->grp ? c->grp : c->vendor;      /* a vendor the knowledge base no longer knows */
	const struct kb_vendor *gv = vi && vi->group >= 0 ? kb_vendor(vi->group) : NULL;
	const char *glabel = gv ? gv->name : gid;
	r->band[c->band >= 0 && c->band < BAND__COUNT ? c->band : 0] += c->n;

	slice_add(slice_get(&b->all, NULL, "all", NULL), c->domain, gid, glabel, c->n, attributed, hr);
	slice_add(slice_get(&b->ops, c->operator_name, c->operator_name ? c->operator_name : "(no operator named)",
	                    NULL),
	          c->domain, gid, glabel, c->n, attributed, hr);
	slice_add(slice_get(&b->sites, c->site, c->site ? c->site : "(no site)", c->operator_name), c->domain, gid,
	          glabel, c->n, attributed, hr);

	const struct kb_vendor *kv = vi && vi->v >= 0 ? kb_vendor(vi->v) : NULL;
	struct report_count *x = count_bump(&b->vendor, c->vendor ? c->vendor : "unknown",
	                                    kv ? kv->name : c->vendor ? c->vendor : "unknown", c->n,
	                                    attributed ? c->n : 0, hr ? c->n : 0);
	x->flagged = hr;
	x = count_bump(&b->group, gid ? gid : "unknown", gid ? glabel : "unknown", c->n, attributed ? c->n : 0,
	               hr ? c->n : 0);
	x->flagged |= hr;
	const char *cc = c->jurisdiction && *c->jurisdiction ? c->jurisdiction : NULL;
	const char *cn = cc ? kb_country_name(cc) : NULL;
	count_bump(&b->country, cc ? cc : "??", cc ? (cn ? cn : cc) : "unknown", c->n, attributed ? c->n : 0,
	           hr ? c->n : 0);

	int in_core = (c->domain && !strcmp(c->domain, "core")) || is_core_function(c->function);
	if (in_core) {
		r->core_n += c->n;
		if (hr) {
			r->core_high_risk += c->n;
			const char *f = c->function && *c->function ? c->function : "(core domain)";
			count_bump(&b->core, f, f, c->n, c->n, c->n);
		}
	}

	b->rows = xrealloc(b->rows, (b->nrows + 1) * sizeof *b->rows);
	struct crow *w = &b->rows[b->nrows++];
	w->domain = c->domain ? xstrdup(c->domain) : NULL;
	w->operator_name = c->operator_name ? xstrdup(c->operator_name) : NULL;
	w->function = c->function ? xstrdup(c->function) : NULL;
	w->group = gid ? xstrdup(gid) : NULL;
	w->attributed = attributed;
	w->hr = hr;
	w->n = c->n;
	return 0;
}

static int on_target(void *ctx, const struct target_row *t)
{
	struct report *r = ctx;
	r->targets++;
	if (!strcmp(t->state, "answered"))
		r->answered++;
	else if (!strcmp(t->state, "unreachable"))
		r->unreachable++;
	else if (!strcmp(t->state, "refused"))
		r->refused++;   /* answered, but accepted none of our credentials */
	else
		r->target_errors++;
	if (strcmp(t->state, "refused") && strcmp(t->state, "error"))
		return 0;
	/* which and why: a credential that stopped working must be seen */
	struct rpriv *p = P(r);
	if (smap_get(&p->pmap, t->address, 0, 0) != SMAP_NONE)
		return 0;
	p->problem = xrealloc(p->problem, (p->nproblem + 1) * sizeof *p->problem);
	struct report_target *x = &p->problem[p->nproblem];
	x->address = xstrdup(t->address);
	x->state = xstrdup(t->state);
	x->detail = t->detail ? xstrdup(t->detail) : NULL;
	smap_get(&p->pmap, t->address, 1, p->nproblem++);
	return 0;
}

int report_each_problem_target(const struct report *r, int (*cb)(void *ctx, const struct report_target *t),
                               void *ctx)
{
	const struct rpriv *p = P(r);
	for (size_t i = 0; i < p->nproblem; i++)
		if (cb(ctx, &p->problem[i]))
			return -1;
	return 0;
}

static int on_firmware(void *ctx, const struct firmware_count *c)
{
	struct report *r = ctx;
	const struct vinfo *vi = vinfo_get(r, c->vendor);
	r->firmware = xrealloc(r->firmware, (r->nfirmware + 1) * sizeof *r->firmware);
	struct report_firmware *f = &r->firmware[r->nfirmware++];
	f->vendor = xstrdup(c->vendor);
	f->vendor_name = xstrdup(vi && vi->v >= 0 ? kb_vendor(vi->v)->name : c->vendor);
	f->model = c->model ? xstrdup(c->model) : NULL;
	f->firmware = c->firmware ? xstrdup(c->firmware) : NULL;
	f->n = c->n;
	f->high_risk = vi && vi->hr;
	return 0;
}

struct trend_b {
	struct report *r;
	struct counts doms;
};

/* Domains in the fixed order of os_domains, the rest after: the same
 * columns scan after scan. */
static int domain_rank(const char *d)
{
	for (size_t i = 0; i < os_ndomains; i++)
		if (!strcmp(d, os_domains[i]))
			return (int)i;
	return (int)os_ndomains;
}

static int domain_cmp(const void *a, const void *b)
{
	const struct report_count *x = a, *y = b;
	int rx = domain_rank(x->key), ry = domain_rank(y->key);
	return rx != ry ? rx - ry : strcmp(x->key, y->key);
}

static void trend_close(struct trend_b *t)
{
	struct report *r = t->r;
	if (!r->ntrend || !t->doms.n)
		return;
	struct report_trend *e = &r->trend[r->ntrend - 1];
	e->domains = counts_done(&t->doms, &e->ndomains);
	if (e->ndomains)
		qsort(e->domains, e->ndomains, sizeof *e->domains, domain_cmp);
	memset(&t->doms, 0, sizeof t->doms);
}

static int on_trend(void *ctx, const struct trend_count *c)
{
	struct trend_b *t = ctx;
	struct report *r = t->r;
	if (!r->ntrend || r->trend[r->ntrend - 1].scan_id != c->scan_id) {
		trend_close(t);
		r->trend = xrealloc(r->trend, (r->ntrend + 1) * sizeof *r->trend);
		struct report_trend *e = &r->trend[r->ntrend++];
		memset(e, 0, sizeof *e);
		e->scan_id = c->scan_id;
		e->started_us = c->started_us;
		/* the report's own scan on the report's date, as its summary */
		e->date = c->scan_id == r->scan.id ? r->date : os_date_of_us(c->started_us);
	}
	struct report_trend *e = &r->trend[r->ntrend - 1];
	/* each scan judged with the ownership in force on its own date */
	int v = c->vendor ? kb_vendor_find(c->vendor) : -1;
	int hr = v >= 0 && kb_policy_high_risk(r->policy, v, e->date, NULL, 0);
	e->n += c->n;
	e->high_risk += hr ? c->n : 0;
	const char *d = c->domain ? c->domain : "unassigned";
	count_bump(&t->doms, d, d, c->n, c->vendor ? c->n : 0, hr ? c->n : 0);
	return 0;
}

/* ---------- the policy, rule by rule ---------- */

static int scope_match(const struct kb_prule *pr, const char *domain, const char *function)
{
	if (!strcmp(pr->scope, "function"))
		return function && !strcmp(function, pr->target);
	return !strcmp(pr->target, "all") || (domain && !strcmp(domain, pr->target));
}

static int same_op(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static struct report_rule_part *part_get(struct report_rule *rr, const char *op)
{
	for (size_t i = 0; i < rr->nparts; i++)
		if (same_op(rr->parts[i].operator_name, op))
			return &rr->parts[i];
	rr->parts = xrealloc(rr->parts, (rr->nparts + 1) * sizeof *rr->parts);
	struct report_rule_part *p = &rr->parts[rr->nparts++];
	memset(p, 0, sizeof *p);
	p->operator_name = op ? xstrdup(op) : NULL;
	return p;
}

static int64_t over_cap(int64_t count, int64_t n, double pct)
{
	/* devices to replace so that count/n <= pct (replacements keep n) */
	int64_t allowed = (int64_t)floor(pct / 100.0 * (double)n + 1e-9);
	return count > allowed ? count - allowed : 0;
}

static void evaluate_rule(struct build *b, struct report_rule *rr)
{
	struct report *r = b->r;
	const struct kb_prule *pr = rr->rule;
	rr->in_force = !pr->from || pr->from <= r->date;
	if (pr->type == KB_PR_EXCLUDE) {
		for (size_t i = 0; i < b->nrows; i++)
			if (b->rows[i].hr && scope_match(pr, b->rows[i].domain, b->rows[i].function))
				rr->devices += b->rows[i].n;
		rr->to_remove = rr->devices;
		rr->broken = rr->devices > 0;
		return;
	}
	if (pr->type == KB_PR_CAP) {
		for (size_t i = 0; i < b->nrows; i++) {
			const struct crow *w = &b->rows[i];
			if (!scope_match(pr, w->domain, w->function))
				continue;
			struct report_rule_part *p = part_get(rr, w->operator_name);
			p->n += w->n;
			p->count += w->hr ? w->n : 0;
		}
		for (size_t i = 0; i < rr->nparts; i++) {
			struct report_rule_part *p = &rr->parts[i];
			p->share = report_share(p->count, p->n);
			p->broken = p->share * 100.0 > pr->pct + 1e-9;
			p->to_remove = p->broken ? over_cap(p->count, p->n, pr->pct) : 0;
			if (p->broken) {
				rr->broken = 1;
				rr->devices += p->count;
				rr->to_remove += p->to_remove;
			}
		}
		return;
	}
	/* concentration: the largest vendor group per operator and domain */
	struct smap gi = {0};
	struct {
		const char *op, *group;
		int64_t n;
	} *g = NULL;
	size_t ng = 0;
	for (size_t i = 0; i < b->nrows; i++) {
		const struct crow *w = &b->rows[i];
		if (!w->attributed || !scope_match(pr, w->domain, w->function))
			continue;
		struct report_rule_part *p = part_get(rr, w->operator_name);
		p->n += w->n;
		char key[512];
		snprintf(key, sizeof key, "%s\x1f%s", w->operator_name ? w->operator_name : "\x1e", w->group ? w->group : "");
		size_t k = smap_get(&gi, key, 0, 0);
		if (k == SMAP_NONE) {
			g = xrealloc(g, (ng + 1) * sizeof *g);
			g[ng].op = w->operator_name;
			g[ng].group = w->group;
			g[ng].n = 0;
			k = smap_get(&gi, key, 1, ng++);
		}
		g[k].n += w->n;
	}
	for (size_t i = 0; i < ng; i++) {
		struct report_rule_part *p = part_get(rr, g[i].op);
		if (g[i].n > p->count || (g[i].n == p->count && p->group && g[i].group && strcmp(g[i].group, p->group) < 0)) {
			p->count = g[i].n;
			free(p->group);
			p->group = g[i].group ? xstrdup(g[i].group) : NULL;
		}
	}
	for (size_t i = 0; i < rr->nparts; i++) {
		struct report_rule_part *p = &rr->parts[i];
		int gv = p->group ? kb_vendor_find(p->group) : -1;
		p->group_name = xstrdup(gv >= 0 ? kb_vendor(gv)->name : p->group ? p->group : "unknown");
		p->share = report_share(p->count, p->n);
		p->broken = p->share * 100.0 > pr->pct + 1e-9;
		p->to_remove = p->broken ? over_cap(p->count, p->n, pr->pct) : 0;
		if (p->broken) {
			rr->broken = 1;
			rr->devices += p->count;
			rr->to_remove += p->to_remove;
		}
	}
	smap_free(&gi);
	free(g);
}

static void evaluate_policy(struct build *b)
{
	struct report *r = b->r;
	const struct kb_policy *pol = r->policy;
	struct rpriv *p = P(r);
	r->nrules = pol->nrules;
	r->rules = xcalloc(pol->nrules ? pol->nrules : 1, sizeof *r->rules);
	p->rule_label = xcalloc(pol->nrules ? pol->nrules : 1, sizeof *p->rule_label);
	for (size_t i = 0; i < pol->nrules; i++) {
		r->rules[i].rule = &pol->rules[i];
		p->rule_label[i] = xasprintf("%s %s", report_rule_type(&pol->rules[i]), pol->rules[i].text);
		evaluate_rule(b, &r->rules[i]);
	}
	/* deadlines: what must go by each date (0 = already in force) */
	for (size_t i = 0; i < r->nrules; i++) {
		const struct report_rule *rr = &r->rules[i];
		if (!rr->broken)
			continue;
		int date = rr->in_force ? 0 : rr->rule->from;
		size_t k;
		for (k = 0; k < r->ndeadlines && r->deadlines[k].date != date; k++)
			;
		if (k == r->ndeadlines) {
			r->deadlines = xrealloc(r->deadlines, (r->ndeadlines + 1) * sizeof *r->deadlines);
			memset(&r->deadlines[k], 0, sizeof *r->deadlines);
			r->deadlines[k].date = date;
			r->ndeadlines++;
		}
		r->deadlines[k].to_remove += rr->to_remove;
		r->deadlines[k].nrules++;
	}
	for (size_t i = 1; i < r->ndeadlines; i++)
		for (size_t k = i; k > 0 && r->deadlines[k - 1].date > r->deadlines[k].date; k--) {
			struct report_deadline t = r->deadlines[k];
			r->deadlines[k] = r->deadlines[k - 1];
			r->deadlines[k - 1] = t;
		}
}

/* Components of another maker, counted from each device's list of their
 * vendors (attribution wrote it) without reading any verdict. */
static int on_parts(void *ctx, const char *vendors, int64_t n)
{
	struct report *r = ctx;
	char *copy = xstrdup(vendors ? vendors : ""), *save = NULL;
	r->component_devices += n;
	for (char *v = strtok_r(copy, " ", &save); v; v = strtok_r(NULL, " ", &save)) {
		const struct vinfo *vi = vinfo_get(r, v);
		r->components += n;
		r->components_high_risk += vi && vi->hr ? n : 0;
	}
	free(copy);
	return 0;
}

int report_build(struct store *st, int64_t scan_id, const struct report_opts *o, struct report *r, char *err,
                 size_t errlen)
{
	static const struct report_opts none;
	struct build b;
	if (!o)
		o = &none;
	memset(r, 0, sizeof *r);
	memset(&b, 0, sizeof b);
	b.r = r;
	r->st = st;
	r->priv = xcalloc(1, sizeof(struct rpriv));
	if (store_scan_info(st, scan_id, &r->scan) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		report_free(r);
		return -1;
	}
	r->policy = kb_policy_find(o->policy ? o->policy : "default");
	if (!r->policy) {
		struct buf names = {0};
		for (size_t i = 0; i < kb_policy_count(); i++)
			buf_printf(&names, "%s%s", i ? ", " : "", kb_policy_at(i)->id);
		os_seterr(err, errlen, "unknown policy '%s' (known: %s)", o->policy ? o->policy : "default",
		          names.p ? names.p : "none");
		buf_free(&names);
		report_free(r);
		return -1;
	}
	/* One date for everything: the stored verdicts' own (reattribute
	 * --as-of) unless another is asked for, so that groups, high-risk
	 * standing and the date printed agree with the devices listed. */
	r->date = o->as_of > 0 ? o->as_of
	          : r->scan.attrib_as_of > 0 ? r->scan.attrib_as_of
	                                      : os_date_of_us(r->scan.started_us);
	r->operators = o->operators;
	r->noperators = o->noperators;
	r->sites = o->sites;
	r->nsites = o->nsites;
	r->domain = o->domain;
	struct device_filter *base = &P(r)->base;
	base->scan_id = scan_id;
	base->operators = o->operators;
	base->noperators = o->noperators;
	base->sites = o->sites;
	base->nsites = o->nsites;
	base->domain = o->domain;

	if (store_each_target(st, scan_id, on_target, r) < 0 || store_device_counts(st, base, on_count, &b) < 0 ||
	    store_firmware_counts(st, base, on_firmware, r) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		goto fail;
	}
	size_t n1;
	struct report_slice *all = slices_done(&b.all, &n1);
	if (n1)
		r->all = all[0];
	else {
		r->all.label = xstrdup("all");
		r->all.domains = xcalloc(1, sizeof *r->all.domains);
	}
	free(all);
	r->by_operator = slices_done(&b.ops, &r->noperator);
	r->by_site = slices_done(&b.sites, &r->nsite);
	r->by_vendor = counts_done(&b.vendor, &r->nvendor);
	r->by_group = counts_done(&b.group, &r->ngroup);
	r->by_country = counts_done(&b.country, &r->ncountry);
	r->core = counts_done(&b.core, &r->ncore);
	/* the high-risk vendors present, for the device queries' filters */
	for (size_t i = 0; i < r->nvendor; i++)
		if (r->by_vendor[i].flagged) {
			r->hr_vendors = xrealloc(r->hr_vendors, (r->nhr_vendors + 1) * sizeof *r->hr_vendors);
			r->hr_vendors[r->nhr_vendors++] = r->by_vendor[i].key;
		}
	evaluate_policy(&b);

	struct trend_b t = {r, {0}};
	if (store_trend_counts(st, scan_id, base, on_trend, &t) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		goto fail;
	}
	trend_close(&t);
	if (store_foreign_part_counts(st, base, on_parts, r) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		goto fail;
	}
	if (report_ran_build(r, base, err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < b.nrows; i++) {
		free(b.rows[i].domain), free(b.rows[i].operator_name), free(b.rows[i].function);
		free(b.rows[i].group);
	}
	free(b.rows);
	return 0;
fail:
	for (size_t i = 0; i < b.nrows; i++) {
		free(b.rows[i].domain), free(b.rows[i].operator_name), free(b.rows[i].function);
		free(b.rows[i].group);
	}
	free(b.rows);
	report_free(r);
	return -1;
}

void report_free(struct report *r)
{
	struct rpriv *p = P(r);
	report_ran_free(r);
	slice_free(&r->all);
	for (size_t i = 0; i < r->noperator; i++)
		slice_free(&r->by_operator[i]);
	free(r->by_operator);
	for (size_t i = 0; i < r->nsite; i++)
		slice_free(&r->by_site[i]);
	free(r->by_site);
	counts_free(r->by_vendor, r->nvendor);
	counts_free(r->by_group, r->ngroup);
	counts_free(r->by_country, r->ncountry);
	counts_free(r->core, r->ncore);
	for (size_t i = 0; i < r->nrules; i++) {
		for (size_t k = 0; k < r->rules[i].nparts; k++) {
			free(r->rules[i].parts[k].operator_name);
			free(r->rules[i].parts[k].group);
			free(r->rules[i].parts[k].group_name);
		}
		free(r->rules[i].parts);
	}
	free(r->rules);
	free(r->deadlines);
	for (size_t i = 0; i < r->nfirmware; i++) {
		free(r->firmware[i].vendor), free(r->firmware[i].vendor_name);
		free(r->firmware[i].model), free(r->firmware[i].firmware);
	}
	free(r->firmware);
	for (size_t i = 0; i < r->ntrend; i++)
		counts_free(r->trend[i].domains, r->trend[i].ndomains);
	free(r->trend);
	free(r->hr_vendors);
	if (p) {
		for (size_t i = 0; i < p->nvi; i++)
			free(p->vi[i].why);
		free(p->vi);
		smap_free(&p->vmap);
		for (size_t i = 0; i < p->nproblem; i++) {
			free((char *)p->problem[i].address), free((char *)p->problem[i].state);
			free((char *)p->problem[i].detail);
		}
		free(p->problem);
		smap_free(&p->pmap);
		for (size_t i = 0; p->rule_label && i < r->nrules; i++)
			free(p->rule_label[i]);
		free(p->rule_label);
		free(p);
	}
	scan_info_free(&r->scan);
	memset(r, 0, sizeof *r);
}

/* ---------- device streams ---------- */

static int band_of(const struct device_row *d)
{
	if (!d->vendor)
		return BAND_NONE;
	return d->confidence >= REPORT_BAND_HIGH ? BAND_HIGH : d->confidence >= REPORT_BAND_MEDIUM ? BAND_MEDIUM : BAND_LOW;
}

/* Does device d (with vendor info vi) break rule i? */
static int breaks(const struct report *r, size_t i, const struct device_row *d, const struct vinfo *vi)
{
	const struct report_rule *rr = &r->rules[i];
	const struct kb_prule *pr = rr->rule;
	if (!rr->broken || !scope_match(pr, d->domain, d->function))
		return 0;
	if (pr->type == KB_PR_EXCLUDE)
		return vi && vi->hr;
	for (size_t k = 0; k < rr->nparts; k++) {
		const struct report_rule_part *p = &rr->parts[k];
		if (!p->broken || !same_op(p->operator_name, d->operator_name))
			continue;
		if (pr->type == KB_PR_CAP)
			return vi && vi->hr;
		const char *g = vi ? group_id(vi) : NULL;
		if (!g && vi)
			g = d->grp ? d->grp : d->vendor;
		return g && p->group && !strcmp(g, p->group);
	}
	return 0;
}

static void fill_device(const struct report *r, const struct device_row *row, struct report_device *d)
{
	const struct vinfo *vi = vinfo_get(r, row->vendor);
	memset(d, 0, sizeof *d);
	d->row = row;
	d->high_risk = vi && vi->hr;
	d->high_risk_why = vi ? vi->why : NULL;
	d->group = vi && vi->group >= 0 ? kb_vendor(vi->group)->id : row->vendor ? row->grp : NULL;
	d->group_name = vi && vi->group >= 0 ? kb_vendor(vi->group)->name : NULL;
	d->band = band_of(row);
	size_t pi = row->address ? smap_get(&P(r)->pmap, row->address, 0, 0) : SMAP_NONE;
	d->poll = pi != SMAP_NONE ? &P(r)->problem[pi] : NULL;
	for (size_t i = 0; i < r->nrules && d->nfindings < OS_ARRAY_LEN(d->findings); i++)
		if (breaks(r, i, row, vi))
			d->findings[d->nfindings++] = P(r)->rule_label[i];
	const struct kb_vendor *b = row->brand ? kb_vendor(kb_vendor_find(row->brand)) : NULL;
	d->brand_name = b ? b->name : row->brand;
	/* "disputed: possibly X": the ids are the store's text, which lives
	 * as long as the row; names come from the knowledge base */
	for (const char *p = row->possibly; p && *p && d->npossibly < OS_ARRAY_LEN(d->possibly);) {
		char id[128];
		size_t n = strcspn(p, " ");
		if (n && n < sizeof id) {
			memcpy(id, p, n);
			id[n] = 0;
			const struct vinfo *pv = vinfo_get(r, id);
			const struct kb_vendor *kv = pv && pv->v >= 0 ? kb_vendor(pv->v) : NULL;
			d->possibly_here[d->npossibly] = pv && pv->hr;
			d->possibly[d->npossibly++] = kv ? kv->name : "(unknown maker)";
		}
		p += n;
		while (*p == ' ')
			p++;
	}
}

struct dev_wrap {
	const struct report *r;
	int (*cb)(void *ctx, const struct report_device *d);
	void *ctx;
	long rule;                      /* >= 0: only devices breaking this rule */
	int hr_only;
};

static int dev_wrap_cb(void *ctx, const struct device_row *row)
{
	struct dev_wrap *w = ctx;
	struct report_device d;
	fill_device(w->r, row, &d);
	if (w->hr_only && !d.high_risk)
		return 0;
	if (w->rule >= 0 && !breaks(w->r, (size_t)w->rule, row, vinfo_get(w->r, row->vendor)))
		return 0;
	return w->cb(w->ctx, &d);
}

int report_each_disputed(const struct report *r, int (*cb)(void *ctx, const struct report_device *d), void *ctx)
{
	struct device_filter f = P(r)->base;
	struct dev_wrap w = {r, cb, ctx, -1, 0};
	f.disputed = 1;
	f.verdict = DEV_VERDICT_PARTS;
	return store_each_device_q(r->st, &f, dev_wrap_cb, &w);
}

int report_each_device(const struct report *r, int (*cb)(void *ctx, const struct report_device *d), void *ctx)
{
	struct device_filter f = P(r)->base;
	struct dev_wrap w = {r, cb, ctx, -1, 0};
	f.verdict = DEV_VERDICT_PARTS;
	return store_each_device_q(r->st, &f, dev_wrap_cb, &w);
}

int report_each_rule_device(const struct report *r, size_t i,
                            int (*cb)(void *ctx, const struct report_device *d), void *ctx)
{
	if (i >= r->nrules || !r->rules[i].broken)
		return 0;
	const struct kb_prule *pr = r->rules[i].rule;
	struct device_filter f = P(r)->base;
	struct dev_wrap w = {r, cb, ctx, (long)i, 0};
	if (!strcmp(pr->scope, "function")) {
		f.functions = &pr->target;
		f.nfunctions = 1;
	} else if (strcmp(pr->target, "all"))
		f.domain = pr->target;
	if (pr->type != KB_PR_CONCENTRATION) {
		if (!r->nhr_vendors)
			return 0;
		f.vendors = r->hr_vendors;
		f.nvendors = r->nhr_vendors;
	} else
		f.attributed = 1;
	return store_each_device_q(r->st, &f, dev_wrap_cb, &w);
}

int report_each_core_device(const struct report *r, int (*cb)(void *ctx, const struct report_device *d),
                            void *ctx)
{
	if (!r->nhr_vendors)
		return 0;
	struct device_filter f = P(r)->base;
	struct dev_wrap w = {r, cb, ctx, -1, 1};
	f.functions = core_functions;
	f.nfunctions = OS_ARRAY_LEN(core_functions);
	f.or_core = 1;
	f.vendors = r->hr_vendors;
	f.nvendors = r->nhr_vendors;
	return store_each_device_q(r->st, &f, dev_wrap_cb, &w);
}

/* ---------- components of another maker ---------- */

struct comp_wrap {
	const struct report *r;
	int (*cb)(void *ctx, const struct report_component *c);
	void *ctx;
};

static void comp_vendor(const struct report *r, const char *vid, struct report_component *c)
{
	const struct vinfo *vi = vinfo_get(r, vid);
	c->vendor = vid;
	c->vendor_name = vi && vi->v >= 0 ? kb_vendor(vi->v)->name : vid;
	c->group = vi ? group_id(vi) : NULL;
	c->group_name = vi && vi->group >= 0 ? kb_vendor(vi->group)->name : NULL;
	c->jurisdiction = vi && vi->v >= 0 ? kb_vendor(vi->v)->country : NULL;
	c->high_risk = vi && vi->hr;
}

/* The components of one device from its ENTITY-MIB rows and LLDP-MED
 * claims: with all, every one (the chassis flagged), else only those of
 * another maker group than the device's. */
static int each_part(const struct report *r, const struct report_device *d, int all,
                     int (*cb)(void *ctx, const struct report_component *c), void *ctx)
{
	const struct device_row *row = d->row;
	const struct vinfo *dv = vinfo_get(r, row->vendor);
	const char *dgroup = dv ? group_id(dv) : NULL;
	int rc;
	for (size_t i = 0; i < row->ncomponents; i++) {
		const struct component_row *e = &row->components[i];
		if (!all && (!e->vendor || e->chassis))
			continue;
		struct report_component c = {0};
		comp_vendor(r, e->vendor, &c);
		c.foreign = e->vendor && !e->chassis && !(c.group && dgroup && !strcmp(c.group, dgroup));
		if (!all && !c.foreign)
			continue;
		c.device = d;
		c.source = e->source ? e->source : "ENTITY-MIB";
		c.chassis = e->chassis;
		c.index = (long)e->index;
		c.cls = (long)e->cls;
		c.name = e->name;
		c.descr = e->descr;
		c.mfg = e->mfg;
		c.model = e->model;
		c.serial = e->serial;
		c.hardware_rev = e->hardware_rev;
		c.firmware_rev = e->firmware_rev;
		c.software_rev = e->software_rev;
		if ((rc = cb(ctx, &c)) != 0)
			return rc;
	}
	for (size_t i = 0; i < row->nclaims; i++) {
		const struct claim_row *e = &row->claims[i];
		if (!e->vendor || !e->key || strncmp(e->key, "lldp.med.", 9))
			continue;
		struct report_component c = {0};
		comp_vendor(r, e->vendor, &c);
		c.foreign = !(c.group && dgroup && !strcmp(c.group, dgroup));
		if (!all && !c.foreign)
			continue;
		c.device = d;
		c.source = "LLDP-MED";
		c.mfg = e->value;
		c.name = e->key;
		if ((rc = cb(ctx, &c)) != 0)
			return rc;
	}
	return 0;
}

static int comp_dev(void *ctx, const struct device_row *row)
{
	struct comp_wrap *w = ctx;
	struct report_device d;
	fill_device(w->r, row, &d);
	return each_part(w->r, &d, 0, w->cb, w->ctx);
}

int report_device_components(const struct report *r, const struct report_device *d, int all,
                             int (*cb)(void *ctx, const struct report_component *c), void *ctx)
{
	return each_part(r, d, all, cb, ctx);
}

int report_each_component(const struct report *r, int (*cb)(void *ctx, const struct report_component *c),
                          void *ctx)
{
	struct device_filter f = P(r)->base;
	struct comp_wrap w = {r, cb, ctx};
	f.foreign_parts = 1;
	f.verdict = DEV_VERDICT_PARTS;
	return store_each_device_q(r->st, &f, comp_dev, &w);
}

/* ---------- the unattributed, with what was seen ---------- */

#define MAX_SEEN 24

struct seen_b {
	struct report_seen seen[MAX_SEEN];
	char *own[MAX_SEEN * 4];
	size_t n, nown;
	const char *subject;
};

static char *shorten(const void *val, size_t len)
{
	char out[208];
	ev_value_text(out, sizeof out, val, len);
	return xstrdup(out);
}

static int on_seen(void *ctx, const struct evidence *ev, int64_t row_id)
{
	struct seen_b *s = ctx;
	(void)row_id;
	if (s->n >= MAX_SEEN)
		return 0;
	/* per-entity and per-interface rows are many and say little here */
	if (!strncmp(ev->key, "entPhysical", 11) && strncmp(ev->key, "entPhysicalMfgName", 18) &&
	    strncmp(ev->key, "entPhysicalModelName", 20) && strncmp(ev->key, "entPhysicalDescr", 16))
		return 0;
	struct report_seen *x = &s->seen[s->n++];
	char *v;
	const struct key_rule *kr = attrib_key_rule(ev->key);
	if (kr && kr->use == KEY_MAC && ev->value_len == 6) {
		v = xmalloc(18);        /* a MAC as six raw bytes: show it as a MAC */
		ev_mac_text(ev->value, v);
	} else
		v = shorten(ev->value, ev->value_len);
	char *src = xasprintf("%s %s", ev->collector ? ev->collector : "?", ev->source ? ev->source : "");
	char *key = xstrdup(ev->key), *subj = xstrdup(s->subject);
	s->own[s->nown++] = v;
	s->own[s->nown++] = src;
	s->own[s->nown++] = key;
	s->own[s->nown++] = subj;
	x->key = key;
	x->value = v;
	x->source = src;
	x->subject = subj;
	return 0;
}

struct unatt_wrap {
	const struct report *r;
	int (*cb)(void *ctx, const struct report_unattributed *u);
	void *ctx;
};

static int unatt_dev(void *ctx, const struct device_row *row)
{
	struct unatt_wrap *w = ctx;
	struct report_device d;
	struct seen_b s;
	memset(&s, 0, sizeof s);
	fill_device(w->r, row, &d);
	/* the device's subjects: its identity when that is a subject (MAC,
	 * chassis id, ...) and its addresses, without reading the verdict */
	int rc = 0;
	json_t *addrs = row->addresses ? json_loads(row->addresses, 0, NULL) : NULL;
	size_t na = json_array_size(addrs);
	for (size_t i = 0; i <= na && !rc && s.n < MAX_SEEN; i++) {
		char subj[300];
		if (i == na) {
			if (!row->identity || !strncmp(row->identity, "serial:", 7) || !strncmp(row->identity, "ip:", 3))
				continue;
			snprintf(subj, sizeof subj, "%s", row->identity);
		} else {
			const char *a = json_string_value(json_array_get(addrs, i));
			if (!a)
				continue;
			snprintf(subj, sizeof subj, "ip:%s", a);
		}
		s.subject = subj;
		if (store_each_subject_evidence(w->r->st, w->r->scan.id, subj, on_seen, &s) < 0)
			rc = -1;
	}
	if (!rc) {
		struct report_unattributed u = {&d, s.seen, s.n};
		rc = w->cb(w->ctx, &u);
	}
	for (size_t k = 0; k < s.nown; k++)
		free(s.own[k]);
	json_decref(addrs);
	return rc;
}

int report_each_unattributed(const struct report *r, int (*cb)(void *ctx, const struct report_unattributed *u),
                             void *ctx)
{
	struct device_filter f = P(r)->base;
	struct unatt_wrap w = {r, cb, ctx};
	f.attributed = -1;
	return store_each_device_q(r->st, &f, unatt_dev, &w);
}

int report_claims(const struct report_device *d, void (*cb)(void *ctx, const struct report_claim *c), void *ctx)
{
	for (size_t i = 0; i < d->row->nclaims; i++) {
		const struct claim_row *e = &d->row->claims[i];
		struct report_claim c = {
			.key = e->key,
			.value = e->value,
			.source = e->source,
			.basis = e->basis,
			.vendor = e->vendor,
			.cpe = e->cpe,
			.weight = e->weight,
			.evidence_id = e->evidence_id,
		};
		cb(ctx, &c);
	}
	return 0;
}

void report_found(const struct report_device *d,
                  void (*cb)(void *ctx, const char *via, long depth, const char *not_polled), void *ctx)
{
	if (d->row->found_via)
		cb(ctx, d->row->found_via, d->row->found_depth, d->row->found_not_polled);
}

static void found_text_cb(void *ctx, const char *via, long depth, const char *not_polled)
{
	char **out = ctx;
	*out = xasprintf("neighbour of %s (depth %ld)%s%s", via, depth, not_polled ? ", seen, not polled: " : "",
	                 not_polled ? not_polled : "");
}

char *report_found_text(const struct report_device *d)
{
	char *t = NULL;
	report_found(d, found_text_cb, &t);
	return t;
}

const char *report_cut(const char *s, char *out, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n <= max)
		return s;
	const unsigned char *p = (const unsigned char *)s;
	n = max;
	while (n && (p[n] & 0xc0) == 0x80)      /* not inside a UTF-8 sequence */
		n--;
	memcpy(out, s, n);
	out[n] = 0;
	return out;
}
