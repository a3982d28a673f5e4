/* The CycloneDX renderer: one CycloneDX 1.6 JSON BOM for a scan, so that
 * supply-chain and vulnerability tooling can read the inventory.
 *
 * Each device is a component of type "device": its maker as manufacturer,
 * its model (else product, else address) as name, its CPE where a
 * fingerprint rule names one, and as nested components its firmware (type
 * "firmware", the version as version) and its parts of another maker
 * (ENTITY-MIB, LLDP-MED). What CycloneDX has no field for (serial,
 * address, jurisdiction, high-risk standing under the report's policy,
 * confidence, domain, the maker's and the brand's names) is a property in
 * the "originscan:" namespace. The verdict stays traceable: the device's
 * evidence.identity lists every claim with its evidence row id (also
 * repeated as originscan:evidence-id properties, the ids of
 * `originscan show` and the JSON report).
 *
 * Written with the streaming JSON writer (jsonw.h): device strings are
 * JSON-escaped there, bytes that are not UTF-8 shown as \xNN text, so the
 * BOM is valid JSON whatever an agent said. tests/cyclonedx/validate.js
 * checks it against the official schema. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "jsonw.h"
#include "report.h"
#include "util.h"

#define NS "originscan:"

static void prop(struct jw *w, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	jw_obj(w, NULL);
	jw_str(w, "name", name);
	jw_str(w, "value", value);
	jw_end(w);
}

static void prop_int(struct jw *w, const char *name, long long v)
{
	char t[32];
	snprintf(t, sizeof t, "%lld", v);
	prop(w, name, t);
}

/* RFC 4122 version 4: the BOM's serial number (unique per BOM). */
static void uuid4(char out[37])
{
	unsigned char u[16];
	if (getrandom(u, sizeof u, 0) != (ssize_t)sizeof u) {
		int64_t t = os_now_us();
		for (size_t i = 0; i < sizeof u; i++)
			u[i] = (unsigned char)(t >> (8 * (i % 8))) ^ (unsigned char)(i * 151);
	}
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
	         u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

struct cdx {
	struct jw *w;
	const struct report *r;
	struct buf ref, tmp;
	char *serial;                   /* the chassis serial, from the components */
	int64_t nparts;
};

/* bom-refs must be unique in the BOM: the device identity is unique in a
 * scan, and parts add their source and index. */
static const char *ref(struct cdx *c, const struct report_device *d, const char *what, long index)
{
	buf_reset(&c->ref);
	buf_printf(&c->ref, "device:%s", d->row->identity ? d->row->identity : "?");
	if (what)
		buf_printf(&c->ref, "/%s", what);
	if (index >= 0)
		buf_printf(&c->ref, ":%ld", index);
	return c->ref.p;
}

static int part_cb(void *ctx, const struct report_component *p)
{
	struct cdx *c = ctx;
	struct jw *w = c->w;
	if (p->chassis) {
		if (p->serial && *p->serial && !c->serial)
			c->serial = xstrdup(p->serial);
		return 0;
	}
	if (!p->foreign)
		return 0;
	c->nparts++;
	jw_obj(w, NULL);
	jw_str(w, "type", "device");
	jw_str(w, "bom-ref", ref(c, p->device, !strcmp(p->source, "LLDP-MED") ? "lldp-med" : "entity",
	                         !strcmp(p->source, "LLDP-MED") ? (long)c->nparts : p->index));
	if (p->vendor_name || p->mfg) {
		jw_obj(w, "manufacturer");
		jw_str(w, "name", p->vendor_name ? p->vendor_name : p->mfg);
		jw_end(w);
	}
	const char *name = p->model && *p->model ? p->model : p->name && *p->name ? p->name : p->descr;
	jw_str(w, "name", name && *name ? name : "component");
	if (p->descr && *p->descr)
		jw_str(w, "description", p->descr);
	jw_arr(w, "properties");
	prop(w, NS "source", p->source);
	if (!strcmp(p->source, "ENTITY-MIB")) {
		prop_int(w, NS "entity-index", p->index);
		prop_int(w, NS "entity-class", p->cls);
	}
	prop(w, NS "name", p->name);
	prop(w, NS "serial", p->serial);
	prop(w, NS "model", p->model);
	prop(w, NS "hardware-rev", p->hardware_rev);
	prop(w, NS "firmware-rev", p->firmware_rev);
	prop(w, NS "software-rev", p->software_rev);
	prop(w, NS "manufacturer-seen", p->mfg);
	prop(w, NS "maker", p->vendor);
	prop(w, NS "maker-name", p->vendor_name);
	prop(w, NS "group", p->group);
	prop(w, NS "group-name", p->group_name);
	prop(w, NS "jurisdiction", p->jurisdiction);
	prop(w, NS "high-risk", p->high_risk ? "true" : "false");
	jw_end(w);
	jw_end(w);
	return 0;
}

struct claims {
	struct jw *w;
	struct buf *tmp;
	int ids_only;
};

/* The CPEs the device's strongest claims name: hardware ("h") for the
 * device, operating system or application ("o", "a") for its firmware;
 * only claims for the device's own maker. */
struct cpes {
	const char *vendor;
	char *hw, *sw;                  /* copies: the claims live only in report_claims() */
	long hw_weight, sw_weight;
};

static void cpe_cb(void *ctx, const struct report_claim *cl)
{
	struct cpes *k = ctx;
	if (!cl->cpe || strncmp(cl->cpe, "cpe:2.3:", 8) || !cl->vendor || !k->vendor || strcmp(cl->vendor, k->vendor))
		return;
	if (cl->cpe[8] == 'h' && cl->weight > k->hw_weight) {
		free(k->hw);
		k->hw = xstrdup(cl->cpe);
		k->hw_weight = cl->weight;
	} else if ((cl->cpe[8] == 'o' || cl->cpe[8] == 'a') && cl->weight > k->sw_weight) {
		free(k->sw);
		k->sw = xstrdup(cl->cpe);
		k->sw_weight = cl->weight;
	}
}

static void claim_cb(void *ctx, const struct report_claim *cl)
{
	struct claims *k = ctx;
	if (k->ids_only) {
		char t[32];
		if (cl->evidence_id > 0) {
			snprintf(t, sizeof t, "%lld", (long long)cl->evidence_id);
			prop(k->w, NS "evidence-id", t);
		}
		return;
	}
	buf_reset(k->tmp);
	if (cl->evidence_id > 0)
		buf_printf(k->tmp, "evidence %lld: ", (long long)cl->evidence_id);
	else    /* made from several rows (a chassis entry of ENTITY-MIB) */
		buf_adds(k->tmp, "evidence (several rows): ");
	buf_printf(k->tmp, "%s = %s (%s; %s; vendor %s; weight %ld)", cl->key ? cl->key : "", cl->value ? cl->value : "", cl->basis ? cl->basis : "",
	           cl->source ? cl->source : "", cl->vendor ? cl->vendor : "none", cl->weight);
	jw_obj(k->w, NULL);
	jw_str(k->w, "technique", "other");
	jw_num(k->w, "confidence", cl->weight < 0 ? 0 : cl->weight > 100 ? 1 : cl->weight / 100.0);
	jw_str(k->w, "value", k->tmp->p);
	jw_end(k->w);
}

static int device_cb(void *ctx, const struct report_device *x)
{
	struct cdx *c = ctx;
	struct jw *w = c->w;
	const struct device_row *d = x->row;
	const char *name = d->model && *d->model       ? d->model
	                   : d->product && *d->product ? d->product
	                   : d->address && *d->address ? d->address
	                                               : d->identity;
	jw_obj(w, NULL);
	jw_str(w, "type", "device");
	jw_str(w, "bom-ref", ref(c, x, NULL, -1));
	if (d->vendor_name) {
		jw_obj(w, "manufacturer");
		jw_str(w, "name", d->vendor_name);
		jw_end(w);
	}
	jw_str(w, "name", name && *name ? name : "device");
	struct cpes cp = {d->vendor, NULL, NULL, -1, -1};
	report_claims(x, cpe_cb, &cp);
	if (cp.hw)
		jw_str(w, "cpe", cp.hw);
	struct claims k = {w, &c->tmp, 0};
	jw_arr(w, "components");
	if (d->firmware && *d->firmware) {
		jw_obj(w, NULL);
		jw_str(w, "type", "firmware");
		jw_str(w, "bom-ref", ref(c, x, "firmware", -1));
		if (d->vendor_name) {
			jw_obj(w, "manufacturer");
			jw_str(w, "name", d->vendor_name);
			jw_end(w);
		}
		jw_str(w, "name", d->product && *d->product ? d->product : "firmware");
		jw_str(w, "version", d->firmware);
		if (cp.sw)
			jw_str(w, "cpe", cp.sw);
		jw_end(w);
	}
	free(c->serial);
	c->serial = NULL;
	c->nparts = 0;
	int rc = report_device_components(c->r, x, 1, part_cb, c);
	jw_end(w);
	jw_obj(w, "evidence");
	jw_arr(w, "identity");
	jw_obj(w, NULL);
	jw_str(w, "field", "name");
	jw_num(w, "confidence", d->confidence / 100.0);
	jw_str(w, "concludedValue", name && *name ? name : "device");
	jw_arr(w, "methods");
	report_claims(x, claim_cb, &k);
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_end(w);
	jw_arr(w, "properties");
	prop(w, NS "identity", d->identity);
	prop(w, NS "address", d->address);
	prop(w, NS "serial", c->serial ? c->serial
	                     : d->identity && !strncmp(d->identity, "serial:", 7) && strchr(d->identity + 7, ':')
	                         ? strchr(d->identity + 7, ':') + 1
	                         : NULL);
	prop(w, NS "model", d->model);
	prop(w, NS "product", d->product);
	prop(w, NS "firmware", d->firmware);
	prop(w, NS "maker", d->vendor);
	prop(w, NS "maker-name", d->vendor_name);
	/* the brand, where it differs from the maker (an HP-branded switch
	 * made by H3C) */
	prop(w, NS "brand-name", x->brand_name);
	prop(w, NS "name-seen", d->name_seen);
	prop(w, NS "group", x->group);
	prop(w, NS "group-name", x->group_name);
	prop(w, NS "jurisdiction", d->jurisdiction);
	prop(w, NS "policy", c->r->policy->id);
	prop(w, NS "high-risk", x->high_risk ? "true" : "false");
	prop(w, NS "high-risk-reason", x->high_risk_why);
	for (size_t i = 0; i < x->nfindings; i++)
		prop(w, NS "finding", x->findings[i]);
	prop_int(w, NS "confidence", d->confidence);
	prop(w, NS "confidence-band", report_band_name(x->band));
	prop(w, NS "disputed", d->disputed ? "true" : "false");
	prop(w, NS "role", d->role);
	prop(w, NS "function", d->function);
	prop(w, NS "domain", d->domain);
	prop(w, NS "site", d->site);
	prop(w, NS "operator", d->operator_name);
	prop_int(w, NS "foreign-parts", d->foreign_parts);
	k.ids_only = 1;
	report_claims(x, claim_cb, &k);
	jw_end(w);
	jw_end(w);
	free(cp.hw);
	free(cp.sw);
	return rc;
}

int report_render_cyclonedx(const struct report *r, FILE *out)
{
	struct jw w;
	char uuid[37], date[11], t[32];
	struct cdx c = {&w, r, {0}, {0}, NULL, 0};
	uuid4(uuid);
	jw_init(&w, out);
	jw_obj(&w, NULL);
	jw_str(&w, "$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
	jw_str(&w, "bomFormat", "CycloneDX");
	jw_str(&w, "specVersion", "1.6");
	buf_printf(&c.tmp, "urn:uuid:%s", uuid);
	jw_str(&w, "serialNumber", c.tmp.p);
	jw_int(&w, "version", 1);
	jw_obj(&w, "metadata");
	jw_time(&w, "timestamp", os_now_us());
	jw_obj(&w, "tools");
	jw_arr(&w, "components");
	jw_obj(&w, NULL);
	jw_str(&w, "type", "application");
	jw_str(&w, "bom-ref", "originscan");
	jw_str(&w, "name", "originscan");
	jw_str(&w, "version", ORIGINSCAN_VERSION);
	jw_end(&w);
	jw_end(&w);
	jw_end(&w);
	jw_arr(&w, "properties");
	prop_int(&w, NS "scan", r->scan.id);
	prop(&w, NS "scan-command", r->scan.command);
	prop(&w, NS "scan-plan", r->scan.plan);
	prop(&w, NS "scan-status", scan_status_name(r->scan.status));
	os_iso_time(r->scan.started_us, t, sizeof t);
	prop(&w, NS "scan-started", t);
	prop(&w, NS "kb-version", report_kb_version(r));
	prop(&w, NS "policy", r->policy->id);
	prop(&w, NS "policy-title", r->policy->title);
	report_date_text(r->date, date);
	prop(&w, NS "as-of", date);
	for (size_t i = 0; i < r->noperators; i++)
		prop(&w, NS "operator-filter", r->operators[i]);
	prop_int(&w, NS "devices", r->all.n);
	prop_int(&w, NS "attributed", r->all.attributed);
	prop_int(&w, NS "high-risk", r->all.high_risk);
	jw_end(&w);
	jw_end(&w);
	jw_arr(&w, "components");
	jw_compact(&w, 1);
	int rc = report_each_device(r, device_cb, &c);
	jw_compact(&w, 0);
	jw_end(&w);
	jw_end(&w);
	jw_done(&w);
	buf_free(&c.ref);
	buf_free(&c.tmp);
	free(c.serial);
	return rc || ferror(out) ? -1 : 0;
}
