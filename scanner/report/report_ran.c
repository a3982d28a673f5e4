/* The report's radio network section (include/report.h, struct
 * report_ran): base stations and their cells per vendor, per technology
 * and per region, the way published 5G assessments read an operator's
 * RAN ("share of sites", "share of cells").
 *
 * A base station is a device whose function is bts, nodeb, enb or gnb:
 * from an OSS export, from the control plane (S1AP/NGAP), or both (one
 * device). Its technologies, cells, site and region come from the RAN
 * columns attribution stored with its device row (scanner/attrib/attrib.c);
 * a base station only seen on the wire has its function's technology and
 * no cells. The cells an export configures on a controller (UtranCells
 * under an RNC, GsmCells under a BSC) count as cells of the controller's
 * vendor, without a station. A site is the OSS's location (else its label), else the site
 * map's site, else the base station itself; a site with two makers'
 * stations counts for both, so vendors' shares of sites may add up to
 * more than 100%.
 *
 * Cost: one device row at a time; the distinct sites per group and
 * vendor are held (a string each), the rest is counters.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "smap.h"
#include "util.h"

static const char *const bs_functions[] = {"bts", "nodeb", "enb", "gnb", "bsc", "rnc"};
#define N_STATION_FUNCTIONS 4   /* the first four; a controller's cells count, it is no station */
static const char *const tech_names[RAN_NTECH] = {"2g", "3g", "4g", "5g"};

struct gb {                     /* a group being built */
	struct report_ran_group *g;
	struct smap sites;      /* site keys of the group */
	struct smap vidx;       /* vendor id ("" unknown) -> index in g->vendors */
	struct smap vsites;     /* "vendor\nsite" seen */
};

struct rb {
	struct report *r;
	struct gb all, tech[RAN_NTECH];
	struct gb *regions;
	size_t nregions;
	struct smap ridx;       /* region -> index in regions */
	struct smap hr;         /* vendor id -> 1 + high-risk */
};

static int vendor_hr(struct rb *b, const char *vendor)
{
	if (!vendor)
		return 0;
	size_t i = smap_get(&b->hr, vendor, 0, 0);
	if (i != SMAP_NONE)
		return (int)i - 1;
	int v = kb_vendor_find(vendor);
	char why[256];
	int hr = v >= 0 && kb_policy_high_risk(b->r->policy, v, b->r->date, why, sizeof why);
	smap_get(&b->hr, vendor, 1, (size_t)(1 + hr));
	return hr;
}

static void gb_add(struct rb *b, struct gb *x, const struct device_row *d, const char *site, int64_t cells,
                   int station)
{
	struct report_ran_group *g = x->g;
	const char *vid = d->vendor ? d->vendor : "";
	g->stations += station;
	g->cells += cells;
	size_t before = x->sites.n;
	if (station)
		smap_get(&x->sites, site, 1, 0);
	g->sites += x->sites.n > before;
	size_t vi = smap_get(&x->vidx, vid, 0, 0);
	if (vi == SMAP_NONE) {
		g->vendors = xrealloc(g->vendors, (g->nvendors + 1) * sizeof *g->vendors);
		struct report_ran_vendor *v = &g->vendors[g->nvendors];
		memset(v, 0, sizeof *v);
		v->vendor = d->vendor ? xstrdup(d->vendor) : NULL;
		v->vendor_name = xstrdup(d->vendor_name ? d->vendor_name : d->vendor ? d->vendor : "unknown");
		v->high_risk = vendor_hr(b, d->vendor);
		vi = smap_get(&x->vidx, vid, 1, g->nvendors++);
	}
	struct report_ran_vendor *v = &g->vendors[vi];
	v->stations += station;
	v->cells += cells;
	if (!station)
		return;
	char *k = xasprintf("%s\n%s", vid, site);
	before = x->vsites.n;
	smap_get(&x->vsites, k, 1, 0);
	v->sites += x->vsites.n > before;
	free(k);
}

static int by_size(const void *a, const void *b)
{
	const struct report_ran_vendor *x = a, *y = b;
	if (x->cells != y->cells)
		return x->cells > y->cells ? -1 : 1;
	if (x->stations != y->stations)
		return x->stations > y->stations ? -1 : 1;
	return strcmp(x->vendor_name, y->vendor_name);
}

static void gb_done(struct gb *x)
{
	if (x->g->nvendors > 1)
		qsort(x->g->vendors, x->g->nvendors, sizeof *x->g->vendors, by_size);
	smap_free(&x->sites);
	smap_free(&x->vidx);
	smap_free(&x->vsites);
}

static int on_station(void *ctx, const struct device_row *d)
{
	struct rb *b = ctx;
	struct report_ran *R = &b->r->ran;
	int64_t cells[RAN_NTECH] = {0};
	unsigned techs = 0;
	for (int t = 0; t < RAN_NTECH; t++) {
		cells[t] = d->ran_cells[t];
		/* a word of the space-separated list */
		size_t n = strlen(tech_names[t]);
		for (const char *p = d->ran_techs; p && (p = strstr(p, tech_names[t])); p += n)
			if ((p == d->ran_techs || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
				techs |= 1u << t;
	}
	for (int t = 0; !techs && t < RAN_NTECH; t++)
		if (d->function && !strcmp(d->function, bs_functions[t]))
			techs = 1u << t;
	/* a controller (RNC, BSC): the 3G/2G cells configured on it */
	int station = 0;
	for (int k = 0; k < N_STATION_FUNCTIONS; k++)
		station |= d->function && !strcmp(d->function, bs_functions[k]);
	if (!station)
		for (int t = 0; t < RAN_NTECH; t++)
			techs = cells[t] ? techs | 1u << t : techs & ~(1u << t);
	const char *osite = d->ran_site, *oregion = d->ran_region;
	const char *site = osite && *osite ? osite : d->site && *d->site ? d->site : d->identity;
	const char *region = oregion && *oregion ? oregion : d->site && *d->site ? d->site : "";
	int from_oss = d->ran_exports && strcmp(d->ran_exports, "[]") != 0;
	R->from_oss += from_oss && station;
	R->on_wire += from_oss && station && d->addresses && strcmp(d->addresses, "[]");
	R->controller_cells += station ? 0 : cells[0] + cells[1] + cells[2] + cells[3];
	int64_t all_cells = 0;
	for (int t = 0; t < RAN_NTECH; t++)
		all_cells += cells[t];
	if (!station && !all_cells)
		return 0;       /* a controller without cells adds nothing */
	gb_add(b, &b->all, d, site, all_cells, station);
	for (int t = 0; t < RAN_NTECH; t++)
		if (techs & (1u << t))
			gb_add(b, &b->tech[t], d, site, cells[t], station);
	size_t ri = smap_get(&b->ridx, region, 0, 0);
	if (ri == SMAP_NONE) {
		b->regions = xrealloc(b->regions, (b->nregions + 1) * sizeof *b->regions);
		memset(&b->regions[b->nregions], 0, sizeof *b->regions);
		R->regions = xrealloc(R->regions, (R->nregions + 1) * sizeof *R->regions);
		memset(&R->regions[R->nregions], 0, sizeof *R->regions);
		R->regions[R->nregions].key = *region ? xstrdup(region) : NULL;
		ri = smap_get(&b->ridx, region, 1, b->nregions++);
		R->nregions++;
		/* R->regions may have moved: point every builder at its group again */
		for (size_t k = 0; k < b->nregions; k++)
			b->regions[k].g = &R->regions[k];
	}
	gb_add(b, &b->regions[ri], d, site, all_cells, station);
	return 0;
}

static int region_cmp(const void *a, const void *b)
{
	const struct report_ran_group *x = a, *y = b;
	if (x->stations != y->stations)
		return x->stations > y->stations ? -1 : 1;
	if (!x->key || !y->key)
		return !x->key - !y->key;       /* no region last */
	return strcmp(x->key, y->key);
}

int report_ran_build(struct report *r, const struct device_filter *base, char *err, size_t errlen)
{
	struct rb b;
	struct report_ran *R = &r->ran;
	memset(&b, 0, sizeof b);
	memset(R, 0, sizeof *R);
	b.r = r;
	R->all.key = NULL;
	b.all.g = &R->all;
	for (int t = 0; t < RAN_NTECH; t++) {
		R->techs[t].key = xstrdup(tech_names[t]);
		b.tech[t].g = &R->techs[t];
	}
	struct device_filter f = *base;
	f.functions = bs_functions;
	f.nfunctions = OS_ARRAY_LEN(bs_functions);
	f.verdict = DEV_VERDICT_NONE;       /* the RAN columns are the row's */
	f.order = DEV_ORDER_ID;
	int rc = store_each_device_q(r->st, &f, on_station, &b);
	gb_done(&b.all);
	for (int t = 0; t < RAN_NTECH; t++)
		gb_done(&b.tech[t]);
	for (size_t k = 0; k < b.nregions; k++)
		gb_done(&b.regions[k]);
	free(b.regions);
	smap_free(&b.ridx);
	smap_free(&b.hr);
	if (R->nregions > 1)
		qsort(R->regions, R->nregions, sizeof *R->regions, region_cmp);
	if (rc < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(r->st));
		return -1;
	}
	return 0;
}

static void group_free(struct report_ran_group *g)
{
	for (size_t i = 0; i < g->nvendors; i++)
		free(g->vendors[i].vendor), free(g->vendors[i].vendor_name);
	free(g->vendors);
	free(g->key);
}

void report_ran_free(struct report *r)
{
	struct report_ran *R = &r->ran;
	group_free(&R->all);
	for (int t = 0; t < RAN_NTECH; t++)
		group_free(&R->techs[t]);
	for (size_t i = 0; i < R->nregions; i++)
		group_free(&R->regions[i]);
	free(R->regions);
	memset(R, 0, sizeof *R);
}
