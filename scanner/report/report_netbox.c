/* The NetBox export: the CSV files NetBox's bulk import takes (Devices >
 * Import, and the same for each object type), with its column names, in
 * the order they must be imported:
 *
 *   manufacturers.csv    name, slug, description
 *   device-roles.csv     name, slug, color
 *   sites.csv            name, slug, status
 *   device-types.csv     manufacturer, model, slug
 *   devices.csv          name, role, manufacturer, device_type, status, site,
 *                        serial, description, cf_originscan_jurisdiction,
 *                        cf_originscan_high_risk, cf_originscan_confidence,
 *                        cf_originscan_firmware
 *   inventory-items.csv  device, name, manufacturer, part_id, serial,
 *                        discovered, description
 *
 * The custom fields must exist before devices.csv is imported (README,
 * "NetBox"). Cells go through the CSV renderer's report_csv_cell(): quoted
 * as RFC 4180 says, formula cells neutralised, control bytes as \xNN.
 * Fields are cut to NetBox's lengths (device and item names 64, models
 * and manufacturers 100, serials and part ids 50, descriptions 200) on a
 * UTF-8 boundary, so a hostile agent's huge value cannot fail the import.
 *
 * Devices and inventory items are streamed; manufacturers, roles, sites
 * and device types are collected (one entry per distinct one) and
 * written at the end. Devices are named by their address (else their
 * identity), which is unique in a scan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outfile.h"
#include "report.h"
#include "report_int.h"
#include "smap.h"
#include "util.h"

#define NAME_MAX_NB 64
#define MODEL_MAX 100
#define SERIAL_MAX 50
#define DESCR_MAX 200

/* A set of distinct names with their slugs (unique as NetBox wants). */
struct nset {
	struct smap idx;                /* key -> entry */
	struct smap slugs;              /* slug -> entry */
	char **key, **a, **b, **slug;   /* a, b: the columns (b: device types' model) */
	size_t n;
};

/* NetBox slugs: letters, digits, - and _ (at most 100). */
static char *slug_of(struct nset *s, const char *text)
{
	struct buf b = {0};
	for (const unsigned char *p = (const unsigned char *)text; *p && b.len < 90; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
			buf_addc(&b, (char)*p);
		else if (*p >= 'A' && *p <= 'Z')
			buf_addc(&b, (char)(*p - 'A' + 'a'));
		else if (b.len && b.p[b.len - 1] != '-')
			buf_addc(&b, '-');
	}
	while (b.len && b.p[b.len - 1] == '-')
		b.p[--b.len] = 0;
	if (!b.len)
		buf_adds(&b, "x");
	/* two names that make the same slug: the later gets -2, -3 ... */
	size_t base = b.len;
	for (int k = 2; smap_get(&s->slugs, b.p, 0, 0) != SMAP_NONE; k++) {
		b.len = base;
		buf_printf(&b, "-%d", k);
	}
	smap_get(&s->slugs, b.p, 1, s->n);
	return b.p;
}

static void nset_add(struct nset *s, const char *key, const char *a, const char *b, const char *slug_text)
{
	if (smap_get(&s->idx, key, 0, 0) != SMAP_NONE)
		return;
	s->key = xrealloc(s->key, (s->n + 1) * sizeof *s->key);
	s->a = xrealloc(s->a, (s->n + 1) * sizeof *s->a);
	s->b = xrealloc(s->b, (s->n + 1) * sizeof *s->b);
	s->slug = xrealloc(s->slug, (s->n + 1) * sizeof *s->slug);
	s->key[s->n] = xstrdup(key);
	s->a[s->n] = xstrdup(a);
	s->b[s->n] = b ? xstrdup(b) : NULL;
	s->slug[s->n] = slug_of(s, slug_text);
	smap_get(&s->idx, s->key[s->n], 1, s->n);
	s->n++;
}

static void nset_free(struct nset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->key[i]);
		free(s->a[i]);
		free(s->b[i]);
		free(s->slug[i]);
	}
	free(s->key);
	free(s->a);
	free(s->b);
	free(s->slug);
	smap_free(&s->idx);
	smap_free(&s->slugs);
}

struct nb {
	const struct report *r;
	struct outfile dev, inv;
	struct nset mfr, roles, sites, types;
	struct buf row, tmp, items;     /* items: the current device's inventory rows */
	char *serial;                   /* the current device's chassis serial */
	struct smap item_names;         /* the current device's inventory item names */
	const char *dev_name;
};

static void row_end(struct buf *b, FILE *f)
{
	buf_adds(b, "\r\n");
	fwrite(b->p, 1, b->len, f);
	buf_reset(b);
}

static const char *manufacturer_of(struct nb *n, const char *name)
{
	char cut[MODEL_MAX + 1];
	const char *m = report_cut(name && *name ? name : "Unknown", cut, MODEL_MAX);
	nset_add(&n->mfr, m, m, NULL, m);
	return n->mfr.a[smap_get(&n->mfr.idx, m, 0, 0)];
}

static int item_cb(void *ctx, const struct report_component *c)
{
	struct nb *n = ctx;
	/* the chassis is the device; ports, sensors and containers are many
	 * and not inventory unless they carry a part number or a serial (an
	 * optic); modules, power supplies, fans and CPUs are */
	if (c->chassis && c->serial && *c->serial && !n->serial)
		n->serial = xstrdup(c->serial);
	int part = (c->model && *c->model) || (c->serial && *c->serial);
	if (c->chassis || (!part && !(c->cls == 6 || c->cls == 7 || c->cls == 9 || c->cls == 12)))
		return 0;
	char cut[DESCR_MAX + 1], name[NAME_MAX_NB + 16], base[NAME_MAX_NB + 1];
	const char *nm = c->name && *c->name ? c->name : c->model && *c->model ? c->model : c->descr;
	if (!nm || !*nm)
		nm = "component";
	/* room for " #N" within NetBox's 64 */
	snprintf(base, sizeof base, "%s", report_cut(nm, cut, NAME_MAX_NB - 8));
	snprintf(name, sizeof name, "%s", base);
	/* NetBox wants an item's name unique in its device */
	for (int k = 2; smap_get(&n->item_names, name, 0, 0) != SMAP_NONE; k++)
		snprintf(name, sizeof name, "%s #%d", base, k);
	smap_get(&n->item_names, name, 1, 0);
	struct buf *b = &n->items;
	report_csv_cell(b, n->dev_name, 1);
	report_csv_cell(b, name, 0);
	const char *m = c->vendor_name ? c->vendor_name : c->mfg;
	report_csv_cell(b, m && *m ? manufacturer_of(n, m) : NULL, 0);
	report_csv_cell(b, report_cut(c->model, cut, SERIAL_MAX), 0);
	report_csv_cell(b, report_cut(c->serial, cut, SERIAL_MAX), 0);
	report_csv_cell(b, "true", 0);
	report_csv_cell(b, report_cut(c->descr, cut, DESCR_MAX), 0);
	buf_adds(b, "\r\n");
	return 0;
}

static int device_cb(void *ctx, const struct report_device *x)
{
	struct nb *n = ctx;
	const struct device_row *d = x->row;
	char name[NAME_MAX_NB + 1], model[MODEL_MAX + 1], cut[DESCR_MAX + 1], conf[16];
	const char *nm = d->address && *d->address ? d->address : d->identity ? d->identity : "device";
	snprintf(name, sizeof name, "%s", report_cut(nm, cut, NAME_MAX_NB));
	const char *mfr = manufacturer_of(n, d->vendor_name);
	snprintf(model, sizeof model, "%s",
	         report_cut(d->model && *d->model ? d->model : d->product && *d->product ? d->product : "Unknown",
	                    cut, MODEL_MAX));
	buf_reset(&n->tmp);
	buf_printf(&n->tmp, "%s\x1f%s", mfr, model);
	buf_reset(&n->row);
	buf_printf(&n->row, "%s %s", mfr, model);
	nset_add(&n->types, n->tmp.p, mfr, model, n->row.p);
	buf_reset(&n->row);
	const char *role = d->function && *d->function ? d->function : d->role && *d->role ? d->role : "unknown";
	nset_add(&n->roles, role, role, NULL, role);
	char site_cut[MODEL_MAX + 1];
	const char *site = d->site && *d->site ? report_cut(d->site, site_cut, MODEL_MAX) : "unassigned";
	nset_add(&n->sites, site, site, NULL, site);

	/* the components first: the chassis serial is among them */
	n->dev_name = name;
	smap_free(&n->item_names);
	memset(&n->item_names, 0, sizeof n->item_names);
	buf_reset(&n->items);
	free(n->serial);
	n->serial = NULL;
	int rc = report_device_components(n->r, x, 1, item_cb, n);
	struct buf *b = &n->row;
	report_csv_cell(b, name, 1);
	report_csv_cell(b, role, 0);
	report_csv_cell(b, mfr, 0);
	report_csv_cell(b, model, 0);
	report_csv_cell(b, "active", 0);
	report_csv_cell(b, site, 0);
	const char *serial = n->serial;
	if (!serial && d->identity && !strncmp(d->identity, "serial:", 7) && strchr(d->identity + 7, ':'))
		serial = strchr(d->identity + 7, ':') + 1;
	report_csv_cell(b, report_cut(serial, cut, SERIAL_MAX), 0);
	buf_reset(&n->tmp);
	buf_printf(&n->tmp, "originscan %s", d->identity ? d->identity : "");
	report_csv_cell(b, report_cut(n->tmp.p, cut, DESCR_MAX), 0);
	report_csv_cell(b, d->jurisdiction, 0);
	report_csv_cell(b, x->high_risk ? "true" : "false", 0);
	snprintf(conf, sizeof conf, "%d", d->confidence);
	report_csv_cell(b, conf, 0);
	report_csv_cell(b, report_cut(d->firmware, cut, DESCR_MAX), 0);
	row_end(b, n->dev.f);
	fwrite(n->items.p ? n->items.p : "", 1, n->items.len, n->inv.f);
	return rc;
}

static int open_csv(struct outfile *o, const char *dir, const char *file, const char *db, const char *header,
                    char *err, size_t errlen)
{
	char *path = xasprintf("%s/%s", dir, file);
	int rc = outfile_open(o, path, db, err, errlen);
	free(path);
	if (rc == 0)
		fprintf(o->f, "%s\r\n", header);
	return rc;
}

/* Renamed into place only when all went well: a failed export leaves the
 * previous files as they were. */
static int close_csv(struct outfile *o, int rc, char *err, size_t errlen)
{
	if (!o->f)
		return -1;
	if (rc < 0 || ferror(o->f)) {
		outfile_abort(o);
		return -1;
	}
	return outfile_commit(o, err, errlen);
}

/* manufacturers, roles, sites: name, slug, then a constant column */
static int write_set(const char *dir, const char *file, const char *db, const char *header, const struct nset *s,
                     const char *third, char *err, size_t errlen)
{
	struct outfile o;
	if (open_csv(&o, dir, file, db, header, err, errlen) < 0)
		return -1;
	FILE *f = o.f;
	struct buf b = {0};
	for (size_t i = 0; i < s->n; i++) {
		if (s->b[i]) {  /* device types: manufacturer, model, slug */
			report_csv_cell(&b, s->a[i], 1);
			report_csv_cell(&b, s->b[i], 0);
			report_csv_cell(&b, s->slug[i], 0);
		} else {
			report_csv_cell(&b, s->a[i], 1);
			report_csv_cell(&b, s->slug[i], 0);
			report_csv_cell(&b, third, 0);
		}
		row_end(&b, f);
	}
	buf_free(&b);
	int rc = close_csv(&o, 0, err, errlen);
	if (rc < 0 && err && !*err)
		os_seterr(err, errlen, "%s/%s: write failed", dir, file);
	return rc;
}

int report_render_netbox(const struct report *r, const char *dir, const char *db, char *err, size_t errlen)
{
	struct nb n;
	memset(&n, 0, sizeof n);
	n.r = r;
	if (err && errlen)
		*err = 0;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		os_seterr(err, errlen, "-o %s: cannot create the directory (%s)", dir, strerror(errno));
		return -1;
	}
	struct stat sb;
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		os_seterr(err, errlen, "-o %s: not a directory (the netbox format writes several files)", dir);
		return -1;
	}
	int rc = open_csv(&n.dev, dir, "devices.csv", db,
	                  "name,role,manufacturer,device_type,status,site,serial,description,"
	                  "cf_originscan_jurisdiction,cf_originscan_high_risk,cf_originscan_confidence,"
	                  "cf_originscan_firmware",
	                  err, errlen);
	if (rc == 0 && (rc = open_csv(&n.inv, dir, "inventory-items.csv", db,
	                              "device,name,manufacturer,part_id,serial,discovered,description", err,
	                              errlen)) < 0)
		outfile_abort(&n.dev);
	if (rc == 0) {
		rc = report_each_device(r, device_cb, &n);
		if (rc < 0 && err && !*err)
			os_seterr(err, errlen, "reading the devices failed");
		int rd = close_csv(&n.dev, rc, err, errlen);
		int ri = close_csv(&n.inv, rc < 0 || rd < 0 ? -1 : 0, err, errlen);
		rc = rc < 0 || rd < 0 || ri < 0 ? -1 : 0;
	}
	if (rc == 0)
		rc = write_set(dir, "manufacturers.csv", db, "name,slug,description", &n.mfr, "originscan", err,
		               errlen);
	if (rc == 0)
		rc = write_set(dir, "device-roles.csv", db, "name,slug,color", &n.roles, "9e9e9e", err, errlen);
	if (rc == 0)
		rc = write_set(dir, "sites.csv", db, "name,slug,status", &n.sites, "active", err, errlen);
	if (rc == 0)
		rc = write_set(dir, "device-types.csv", db, "manufacturer,model,slug", &n.types, NULL, err, errlen);
	if (rc < 0 && err && !*err)
		os_seterr(err, errlen, "-o %s: write failed", dir);
	nset_free(&n.mfr);
	nset_free(&n.roles);
	nset_free(&n.sites);
	nset_free(&n.types);
	smap_free(&n.item_names);
	buf_free(&n.row);
	buf_free(&n.tmp);
	buf_free(&n.items);
	free(n.serial);
	return rc;
}
