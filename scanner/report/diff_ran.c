/* The base station part of a scan diff (include/diff.h): added, removed,
 * swapped (same site, another vendor: a rip-and-replace) and rebuilt
 * (same site and vendor, another identity).
 *
 * Stations are the devices whose function is bts, nodeb, enb or gnb; their
 * site and cells come from the "ran" object of their verdicts (written by
 * attribution from OSS exports). Both scans' stations are read (only
 * theirs, with their verdicts) and held, about 200 bytes each; pairing is
 * by identity first, then by site among the unpaired.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "report_int.h"
#include "smap.h"
#include "util.h"

static const char *const bs_functions[] = {"bts", "nodeb", "enb", "gnb"};

struct bsl {
	struct diff_bs *s;
	size_t n;
	int date;
	const struct kb_policy *p;
};

static char *dup0(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static void bs_free(struct diff_bs *b)
{
	free(b->identity), free(b->site), free(b->region), free(b->vendor), free(b->vendor_name);
	free(b->technologies);
}

static int on_bs(void *ctx, const struct device_row *d)
{
	struct bsl *l = ctx;
	const char *site = d->ran_site, *region = d->ran_region;
	l->s = xrealloc(l->s, (l->n + 1) * sizeof *l->s);
	struct diff_bs *b = &l->s[l->n++];
	memset(b, 0, sizeof *b);
	b->identity = xstrdup(d->identity);
	b->site = dup0(site && *site ? site : d->site);
	b->region = dup0(region && *region ? region : d->site);
	b->vendor = dup0(d->vendor);
	b->vendor_name = dup0(d->vendor_name);
	struct buf t = {0};
	if (d->ran_techs && *d->ran_techs)
		buf_adds(&t, d->ran_techs);
	if (!t.len && d->function)
		buf_adds(&t, !strcmp(d->function, "gnb") ? "5g" : !strcmp(d->function, "enb") ? "4g"
		                                                : !strcmp(d->function, "nodeb") ? "3g"
		                                                                                 : "2g");
	b->technologies = t.p;
	for (int k = 0; k < 4; k++)
		b->cells += d->ran_cells[k];
	int v = d->vendor ? kb_vendor_find(d->vendor) : -1;
	b->high_risk = v >= 0 && kb_policy_high_risk(l->p, v, l->date, NULL, 0);
	return 0;
}

static int load(struct store *st, int64_t scan, struct bsl *l)
{
	struct device_filter f = {.scan_id = scan, .order = DEV_ORDER_IDENTITY, .verdict = DEV_VERDICT_NONE};
	f.functions = bs_functions;
	f.nfunctions = OS_ARRAY_LEN(bs_functions);
	return store_each_device_q(st, &f, on_bs, l);
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* moves *b into the list (the source is left empty) */
static void take(struct diff_bs **arr, size_t *n, struct diff_bs *b)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
	(*arr)[(*n)++] = *b;
	memset(b, 0, sizeof *b);
}

static void take_pair(struct diff_bs_pair **arr, size_t *n, struct diff_bs *o, struct diff_bs *nw)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
	(*arr)[*n].old = *o;
	(*arr)[*n].new = *nw;
	(*n)++;
	memset(o, 0, sizeof *o);
	memset(nw, 0, sizeof *nw);
}

int diff_ran_build(struct store *st, struct diff *d, char *err, size_t errlen)
{
	struct bsl o = {NULL, 0, d->old_date, d->policy}, n = {NULL, 0, d->new_date, d->policy};
	int rc = 0;
	if (load(st, d->old.id, &o) < 0 || load(st, d->new.id, &n) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		rc = -1;
		goto out;
	}
	d->bs_old = (int64_t)o.n;
	d->bs_new = (int64_t)n.n;
	char *paired_o = xcalloc(o.n + 1, 1), *paired_n = xcalloc(n.n + 1, 1);
	/* 1. the same identity: swapped when the vendor changed */
	struct smap by_id = {0};
	for (size_t i = 0; i < o.n; i++)
		smap_get(&by_id, o.s[i].identity, 1, i);
	for (size_t i = 0; i < n.n; i++) {
		size_t k = smap_get(&by_id, n.s[i].identity, 0, 0);
		if (k == SMAP_NONE || paired_o[k])
			continue;
		paired_o[k] = paired_n[i] = 1;
		if (!same(o.s[k].vendor, n.s[i].vendor))
			take_pair(&d->bs_swapped, &d->nbs_swapped, &o.s[k], &n.s[i]);
	}
	smap_free(&by_id);
	/* 2. the unpaired by site: a station gone and another at its site */
	struct smap by_site = {0};
	size_t *next = xmalloc((o.n + 1) * sizeof *next), *head = xmalloc((o.n + 1) * sizeof *head);
	size_t nsites = 0;
	for (size_t i = o.n; i-- > 0;) {
		if (paired_o[i] || !o.s[i].site)
			continue;
		size_t k = smap_get(&by_site, o.s[i].site, 0, 0);
		if (k == SMAP_NONE) {
			k = smap_get(&by_site, o.s[i].site, 1, nsites);
			head[nsites++] = SMAP_NONE;
		}
		next[i] = head[k];
		head[k] = i;
	}
	for (size_t i = 0; i < n.n; i++) {
		if (paired_n[i] || !n.s[i].site)
			continue;
		size_t k = smap_get(&by_site, n.s[i].site, 0, 0);
		if (k == SMAP_NONE || head[k] == SMAP_NONE)
			continue;
		size_t j = head[k];
		head[k] = next[j];
		paired_o[j] = paired_n[i] = 1;
		if (same(o.s[j].vendor, n.s[i].vendor))
			take_pair(&d->bs_rebuilt, &d->nbs_rebuilt, &o.s[j], &n.s[i]);
		else
			take_pair(&d->bs_swapped, &d->nbs_swapped, &o.s[j], &n.s[i]);
	}
	smap_free(&by_site);
	free(next);
	free(head);
	/* 3. the rest: added and removed */
	for (size_t i = 0; i < o.n; i++)
		if (!paired_o[i])
			take(&d->bs_removed, &d->nbs_removed, &o.s[i]);
	for (size_t i = 0; i < n.n; i++)
		if (!paired_n[i])
			take(&d->bs_added, &d->nbs_added, &n.s[i]);
	free(paired_o);
	free(paired_n);
out:
	for (size_t i = 0; i < o.n; i++)
		bs_free(&o.s[i]);
	for (size_t i = 0; i < n.n; i++)
		bs_free(&n.s[i]);
	free(o.s);
	free(n.s);
	return rc;
}

void diff_ran_free(struct diff *d)
{
	for (size_t i = 0; i < d->nbs_added; i++)
		bs_free(&d->bs_added[i]);
	for (size_t i = 0; i < d->nbs_removed; i++)
		bs_free(&d->bs_removed[i]);
	for (size_t i = 0; i < d->nbs_swapped; i++)
		bs_free(&d->bs_swapped[i].old), bs_free(&d->bs_swapped[i].new);
	for (size_t i = 0; i < d->nbs_rebuilt; i++)
		bs_free(&d->bs_rebuilt[i].old), bs_free(&d->bs_rebuilt[i].new);
	free(d->bs_added), free(d->bs_removed), free(d->bs_swapped), free(d->bs_rebuilt);
	d->bs_added = d->bs_removed = NULL;
	d->bs_swapped = d->bs_rebuilt = NULL;
	d->nbs_added = d->nbs_removed = d->nbs_swapped = d->nbs_rebuilt = 0;
}

/* ---------- text ---------- */

static void bs_text(FILE *out, const struct diff_bs *b)
{
	diff_tput(out, b->vendor_name ? b->vendor_name : "unknown vendor");
	fputs(" ", out);
	diff_tput(out, b->technologies);
	fprintf(out, ", %lld cells", (long long)b->cells);
	if (b->high_risk)
		fputs(" HIGH-RISK", out);
}

static void bs_line(FILE *out, char mark, const struct diff_bs *b)
{
	fprintf(out, "  %c ", mark);
	diff_tput(out, b->identity);
	fputs("  [", out);
	diff_tput(out, b->site);
	fputs("]  ", out);
	bs_text(out, b);
	fputc('\n', out);
}

static void pair_line(FILE *out, const struct diff_bs_pair *p)
{
	fputs("  ~ [", out);
	diff_tput(out, p->new.site ? p->new.site : p->old.site);
	fputs("]  ", out);
	bs_text(out, &p->old);
	fputs(" (", out);
	diff_tput(out, p->old.identity);
	fputs(") -> ", out);
	bs_text(out, &p->new);
	fputs(" (", out);
	diff_tput(out, p->new.identity);
	fputs(")\n", out);
}

static int more(FILE *out, size_t i, size_t n, size_t limit)
{
	if (limit && i == limit) {
		fprintf(out, "  ... and %zu more (--limit 0 or --format json for all)\n", n - limit);
		return 1;
	}
	return 0;
}

int diff_ran_render_text(const struct diff *d, FILE *out, size_t limit)
{
	if (!d->nbs_added && !d->nbs_removed && !d->nbs_swapped && !d->nbs_rebuilt)
		return 0;
	fprintf(out, "\nBase stations: %lld -> %lld; %zu added, %zu removed, %zu swapped (same site, another vendor), "
	             "%zu rebuilt (same site and vendor, new identity)\n",
	        (long long)d->bs_old, (long long)d->bs_new, d->nbs_added, d->nbs_removed, d->nbs_swapped, d->nbs_rebuilt);
	for (size_t i = 0; i < d->nbs_swapped && !more(out, i, d->nbs_swapped, limit); i++)
		pair_line(out, &d->bs_swapped[i]);
	for (size_t i = 0; i < d->nbs_added && !more(out, i, d->nbs_added, limit); i++)
		bs_line(out, '+', &d->bs_added[i]);
	for (size_t i = 0; i < d->nbs_removed && !more(out, i, d->nbs_removed, limit); i++)
		bs_line(out, '-', &d->bs_removed[i]);
	for (size_t i = 0; i < d->nbs_rebuilt && !more(out, i, d->nbs_rebuilt, limit); i++)
		pair_line(out, &d->bs_rebuilt[i]);
	return ferror(out) ? -1 : 0;
}

/* ---------- JSON ---------- */

static void bs_json(struct jw *w, const char *key, const struct diff_bs *b)
{
	jw_obj(w, key);
	jw_str(w, "identity", b->identity);
	jw_str(w, "site", b->site);
	jw_str(w, "region", b->region);
	jw_str(w, "vendor", b->vendor);
	jw_str(w, "vendor_name", b->vendor_name);
	jw_str(w, "technologies", b->technologies);
	jw_int(w, "cells", b->cells);
	jw_bool(w, "high_risk", b->high_risk);
	jw_end(w);
}

static void pairs(struct jw *w, const char *key, const struct diff_bs_pair *p, size_t n)
{
	jw_arr(w, key);
	jw_compact(w, 1);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w, NULL);
		bs_json(w, "old", &p[i].old);
		bs_json(w, "new", &p[i].new);
		jw_end(w);
	}
	jw_compact(w, 0);
	jw_end(w);
}

static void stations(struct jw *w, const char *key, const struct diff_bs *b, size_t n)
{
	jw_arr(w, key);
	jw_compact(w, 1);
	for (size_t i = 0; i < n; i++)
		bs_json(w, NULL, &b[i]);
	jw_compact(w, 0);
	jw_end(w);
}

void diff_ran_render_json(const struct diff *d, struct jw *w)
{
	jw_obj(w, "base_stations");
	jw_int(w, "old", d->bs_old);
	jw_int(w, "new", d->bs_new);
	stations(w, "added", d->bs_added, d->nbs_added);
	stations(w, "removed", d->bs_removed, d->nbs_removed);
	pairs(w, "swapped", d->bs_swapped, d->nbs_swapped);
	pairs(w, "rebuilt", d->bs_rebuilt, d->nbs_rebuilt);
	jw_end(w);
}
