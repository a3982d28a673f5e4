/* The JSON renderer: the complete report model, streamed. Field names are
 * a public interface (docs/report-schema.md): add fields, never rename.
 * Device lists are written one device a line. Verdict parts (evidence
 * claims, components) are passed through as stored: SQLite cut them out
 * of the verdict and checked them, and attribution wrote them with
 * jansson, so they are valid JSON with device bytes already escaped. */
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "report.h"

#define SCHEMA "originscan-report/2"

static void counts(struct jw *w, const char *key, const struct report_count *c, size_t n, int64_t total,
                   const char *idname)
{
	jw_arr(w, key);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w, NULL);
		jw_str(w, idname, c[i].key);
		jw_str(w, "name", c[i].label);
		jw_int(w, "devices", c[i].n);
		jw_num(w, "share", report_share(c[i].n, total));
		jw_int(w, "high_risk", c[i].high_risk);
		jw_bool(w, "flagged", c[i].flagged);
		jw_end(w);
	}
	jw_end(w);
}

static void domains(struct jw *w, const struct report_slice *s)
{
	jw_arr(w, "by_domain");
	for (size_t i = 0; i < s->ndomains; i++) {
		const struct report_domain *d = &s->domains[i];
		jw_obj(w, NULL);
		jw_str(w, "domain", d->domain);
		jw_int(w, "devices", d->n);
		jw_int(w, "attributed", d->attributed);
		jw_int(w, "high_risk", d->high_risk);
		jw_num(w, "high_risk_share", report_share(d->high_risk, d->n));
		jw_obj(w, "concentration");
		jw_str(w, "top_group", d->ngroups ? d->groups[0].key : NULL);
		jw_str(w, "top_group_name", d->ngroups ? d->groups[0].label : NULL);
		jw_num(w, "top_share", d->top_share);
		jw_num(w, "hhi", d->hhi);
		jw_arr(w, "groups");
		for (size_t g = 0; g < d->ngroups; g++) {
			jw_obj(w, NULL);
			jw_str(w, "group", d->groups[g].key);
			jw_str(w, "name", d->groups[g].label);
			jw_int(w, "devices", d->groups[g].n);
			jw_num(w, "share", report_share(d->groups[g].n, d->attributed));
			jw_bool(w, "high_risk", d->groups[g].high_risk > 0);
			jw_end(w);
		}
		jw_end(w);
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
}

static void slice(struct jw *w, const struct report_slice *s, const char *idname)
{
	jw_obj(w, NULL);
	jw_str(w, idname, s->key);
	if (!strcmp(idname, "site"))
		jw_str(w, "operator", s->operator_name);
	jw_int(w, "devices", s->n);
	jw_int(w, "attributed", s->attributed);
	jw_int(w, "high_risk", s->high_risk);
	jw_num(w, "high_risk_share", report_share(s->high_risk, s->n));
	domains(w, s);
	jw_end(w);
}

static int identity_cb(void *ctx, const struct report_device *d)
{
	jw_str(ctx, NULL, d->row->identity);
	return 0;
}

/* "disputed: possibly X": makers a policy calls high-risk that only weak
 * or outvoted evidence named */
static void possibly(struct jw *w, const struct report_device *x)
{
	jw_arr(w, "possibly");
	for (size_t i = 0; i < x->npossibly; i++) {
		jw_obj(w, NULL);
		jw_str(w, "vendor_name", x->possibly[i]);
		jw_bool(w, "high_risk_under_policy", x->possibly_here[i]);
		jw_end(w);
	}
	jw_end(w);
}

/* The claims behind a verdict (its typed rows), as "evidence". */
static void evidence(struct jw *w, const struct device_row *d)
{
	jw_arr(w, "evidence");
	for (size_t i = 0; i < d->nclaims; i++) {
		const struct claim_row *c = &d->claims[i];
		jw_obj(w, NULL);
		jw_str(w, "key", c->key);
		jw_str(w, "value", c->value);
		jw_str(w, "source", c->source);
		jw_int(w, "evidence_id", c->evidence_id);
		jw_str(w, "vendor", c->vendor);
		jw_str(w, "name_seen", c->name_seen);
		if (c->product && *c->product)
			jw_str(w, "product", c->product);
		if (c->model && *c->model)
			jw_str(w, "model", c->model);
		if (c->firmware && *c->firmware)
			jw_str(w, "firmware", c->firmware);
		if (c->role && *c->role)
			jw_str(w, "role", c->role);
		if (c->cpe && *c->cpe)
			jw_str(w, "cpe", c->cpe);
		jw_int(w, "weight", c->weight);
		jw_str(w, "basis", c->basis);
		if (c->nic_only)
			jw_bool(w, "nic_only", 1);
		jw_end(w);
	}
	jw_end(w);
}

static int disputed_cb(void *ctx, const struct report_device *x)
{
	struct jw *w = ctx;
	const struct device_row *d = x->row;
	jw_obj(w, NULL);
	jw_str(w, "identity", d->identity);
	jw_str(w, "address", d->address);
	jw_str(w, "vendor", d->vendor);
	jw_str(w, "vendor_name", d->vendor_name);
	jw_int(w, "confidence", d->confidence);
	possibly(w, x);
	evidence(w, d);
	jw_end(w);
	return 0;
}

static void device(struct jw *w, const struct report_device *x)
{
	const struct device_row *d = x->row;
	jw_obj(w, NULL);
	jw_str(w, "identity", d->identity);
	jw_str(w, "name", d->name);
	jw_str(w, "address", d->address);
	jw_raw(w, "addresses", d->addresses, "[]");
	jw_str(w, "site", d->site);
	jw_str(w, "operator", d->operator_name);
	jw_str(w, "domain", d->domain);
	jw_str(w, "domain_from", d->domain_from);
	jw_str(w, "role", d->role);
	jw_str(w, "function", d->function);
	jw_str(w, "vendor", d->vendor);
	jw_str(w, "vendor_name", d->vendor_name);
	jw_bool(w, "registry_only", d->registry_only);
	jw_str(w, "brand", d->brand);
	jw_str(w, "brand_name", x->brand_name);
	jw_str(w, "name_seen", d->name_seen);
	jw_str(w, "group", x->group);
	jw_str(w, "group_name", x->group_name);
	jw_str(w, "jurisdiction", d->jurisdiction);
	jw_str(w, "product", d->product);
	jw_str(w, "model", d->model);
	jw_str(w, "firmware", d->firmware);
	jw_int(w, "confidence", d->confidence);
	jw_str(w, "confidence_band", report_band_name(x->band));
	jw_bool(w, "disputed", d->disputed);
	possibly(w, x);
	jw_bool(w, "high_risk", x->high_risk);
	jw_str(w, "high_risk_reason", x->high_risk_why);
	jw_arr(w, "findings");
	for (size_t i = 0; i < x->nfindings; i++)
		jw_str(w, NULL, x->findings[i]);
	jw_end(w);
	jw_int(w, "foreign_parts", d->foreign_parts);
	if (d->found_via) {
		jw_obj(w, "found");
		jw_str(w, "via", d->found_via);
		jw_int(w, "depth", d->found_depth);
		if (d->found_not_polled)
			jw_str(w, "not_polled", d->found_not_polled);
		jw_end(w);
	} else
		jw_null(w, "found");
	evidence(w, d);
	jw_arr(w, "components");
	for (size_t i = 0; i < d->ncomponents; i++) {
		const struct component_row *c = &d->components[i];
		jw_obj(w, NULL);
		if (c->source)
			jw_str(w, "source", c->source);
		jw_int(w, "index", c->index);
		jw_int(w, "class", c->cls);
		jw_int(w, "contained_in", c->contained_in);
		jw_bool(w, "chassis", c->chassis);
		jw_str(w, "name", c->name);
		jw_str(w, "descr", c->descr);
		jw_str(w, "mfg", c->mfg);
		jw_str(w, "vendor", c->vendor);
		jw_str(w, "model", c->model);
		jw_str(w, "serial", c->serial);
		jw_str(w, "hardware_rev", c->hardware_rev);
		jw_str(w, "firmware_rev", c->firmware_rev);
		jw_str(w, "software_rev", c->software_rev);
		jw_end(w);
	}
	jw_end(w);
	if (x->poll) {
		jw_obj(w, "poll");
		jw_str(w, "state", x->poll->state);
		jw_str(w, "detail", x->poll->detail);
		jw_end(w);
	} else
		jw_null(w, "poll");
	jw_end(w);
}

static int problem_cb(void *ctx, const struct report_target *t)
{
	struct jw *w = ctx;
	jw_obj(w, NULL);
	jw_str(w, "address", t->address);
	jw_str(w, "state", t->state);
	jw_str(w, "detail", t->detail);
	jw_end(w);
	return 0;
}

static int device_cb(void *ctx, const struct report_device *d)
{
	device(ctx, d);
	return 0;
}

static int component_cb(void *ctx, const struct report_component *c)
{
	struct jw *w = ctx;
	jw_obj(w, NULL);
	jw_str(w, "device", c->device->row->identity);
	jw_str(w, "address", c->device->row->address);
	jw_str(w, "device_vendor", c->device->row->vendor);
	jw_str(w, "device_group", c->device->group);
	jw_str(w, "source", c->source);
	jw_int(w, "index", c->index);
	jw_int(w, "class", c->cls);
	jw_str(w, "name", c->name);
	jw_str(w, "descr", c->descr);
	jw_str(w, "mfg", c->mfg);
	jw_str(w, "model", c->model);
	jw_str(w, "serial", c->serial);
	jw_str(w, "vendor", c->vendor);
	jw_str(w, "vendor_name", c->vendor_name);
	jw_str(w, "group", c->group);
	jw_str(w, "group_name", c->group_name);
	jw_str(w, "jurisdiction", c->jurisdiction);
	jw_bool(w, "high_risk", c->high_risk);
	jw_end(w);
	return 0;
}

static int unattributed_cb(void *ctx, const struct report_unattributed *u)
{
	struct jw *w = ctx;
	const struct device_row *d = u->device->row;
	jw_obj(w, NULL);
	jw_str(w, "identity", d->identity);
	jw_str(w, "name", d->name);
	jw_str(w, "address", d->address);
	jw_str(w, "site", d->site);
	jw_str(w, "operator", d->operator_name);
	jw_str(w, "domain", d->domain);
	jw_str(w, "name_seen", d->name_seen);
	jw_arr(w, "seen");
	for (size_t i = 0; i < u->nseen; i++) {
		jw_obj(w, NULL);
		jw_str(w, "subject", u->seen[i].subject);
		jw_str(w, "key", u->seen[i].key);
		jw_str(w, "value", u->seen[i].value);
		jw_str(w, "source", u->seen[i].source);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
	return 0;
}

static void ran_vendors(struct jw *w, const struct report_ran_group *g);

static void ran_group(struct jw *w, const struct report_ran_group *g, const char *key_name)
{
	jw_obj(w, NULL);
	if (key_name)
		jw_str(w, key_name, g->key);
	jw_int(w, "base_stations", g->stations);
	jw_int(w, "sites", g->sites);
	jw_int(w, "cells", g->cells);
	ran_vendors(w, g);
	jw_end(w);
}

static void ran_vendors(struct jw *w, const struct report_ran_group *g)
{
	jw_arr(w, "by_vendor");
	for (size_t i = 0; i < g->nvendors; i++) {
		const struct report_ran_vendor *v = &g->vendors[i];
		jw_obj(w, NULL);
		jw_str(w, "id", v->vendor ? v->vendor : "unknown");
		jw_str(w, "name", v->vendor_name);
		jw_int(w, "base_stations", v->stations);
		jw_num(w, "base_station_share", report_share(v->stations, g->stations));
		jw_int(w, "sites", v->sites);
		jw_num(w, "site_share", report_share(v->sites, g->sites));
		jw_int(w, "cells", v->cells);
		jw_num(w, "cell_share", report_share(v->cells, g->cells));
		jw_bool(w, "flagged", v->high_risk);
		jw_end(w);
	}
	jw_end(w);
}

/* The radio network: the whole, per technology (present ones), per region. */
static void ran(struct jw *w, const struct report_ran *R)
{
	jw_obj(w, "ran");
	jw_int(w, "base_stations", R->all.stations);
	jw_int(w, "sites", R->all.sites);
	jw_int(w, "cells", R->all.cells);
	jw_int(w, "from_oss", R->from_oss);
	jw_int(w, "from_oss_on_wire", R->on_wire);
	jw_int(w, "controller_cells", R->controller_cells);
	ran_vendors(w, &R->all);
	jw_arr(w, "by_technology");
	for (int t = RAN_NTECH - 1; t >= 0; t--)
		if (R->techs[t].stations || R->techs[t].cells)
			ran_group(w, &R->techs[t], "technology");
	jw_end(w);
	jw_arr(w, "by_region");
	for (size_t i = 0; i < R->nregions; i++)
		ran_group(w, &R->regions[i], "region");
	jw_end(w);
	jw_end(w);
}

int report_render_json(const struct report *r, FILE *out)
{
	struct jw w;
	int rc = 0;
	jw_init(&w, out);
	jw_obj(&w, NULL);
	jw_str(&w, "schema", SCHEMA);
	jw_time(&w, "generated", os_now_us());

	jw_obj(&w, "scan");
	jw_int(&w, "id", r->scan.id);
	jw_str(&w, "command", r->scan.command);
	jw_str(&w, "plan", r->scan.plan);
	jw_str(&w, "status", scan_status_name(r->scan.status));
	jw_time(&w, "started", r->scan.started_us);
	jw_time(&w, "ended", r->scan.ended_us);
	jw_str(&w, "note", r->scan.note);
	jw_str(&w, "kb_version", r->scan.kb_version);
	jw_raw(&w, "request", r->scan.request, "null");
	jw_end(&w);
	jw_str(&w, "kb_version", report_kb_version(r));

	jw_obj(&w, "policy");
	jw_str(&w, "id", r->policy->id);
	jw_str(&w, "title", r->policy->title);
	jw_str(&w, "date", r->policy->date);
	jw_arr(&w, "sources");
	for (size_t i = 0; i < r->policy->nsources; i++)
		jw_str(&w, NULL, r->policy->sources[i]);
	jw_end(&w);
	jw_date(&w, "as_of", r->date);
	jw_end(&w);

	jw_obj(&w, "filter");
	jw_arr(&w, "operators");
	for (size_t i = 0; i < r->noperators; i++)
		jw_str(&w, NULL, r->operators[i]);
	jw_end(&w);
	jw_arr(&w, "sites");
	for (size_t i = 0; i < r->nsites; i++)
		jw_str(&w, NULL, r->sites[i]);
	jw_end(&w);
	jw_str(&w, "domain", r->domain);
	jw_end(&w);
	jw_raw(&w, "site_map", r->scan.site_map, "null");

	jw_obj(&w, "summary");
	jw_int(&w, "targets", r->targets);
	jw_int(&w, "answered", r->answered);
	jw_int(&w, "unreachable", r->unreachable);
	jw_int(&w, "refused", r->refused);
	jw_int(&w, "target_errors", r->target_errors);
	jw_int(&w, "devices", r->all.n);
	jw_int(&w, "attributed", r->all.attributed);
	jw_int(&w, "unattributed", r->all.n - r->all.attributed);
	jw_obj(&w, "confidence");
	jw_int(&w, "high", r->band[BAND_HIGH]);
	jw_int(&w, "medium", r->band[BAND_MEDIUM]);
	jw_int(&w, "low", r->band[BAND_LOW]);
	jw_int(&w, "high_from", REPORT_BAND_HIGH);
	jw_int(&w, "medium_from", REPORT_BAND_MEDIUM);
	jw_end(&w);
	jw_int(&w, "high_risk", r->all.high_risk);
	jw_num(&w, "high_risk_share", report_share(r->all.high_risk, r->all.n));
	domains(&w, &r->all);
	counts(&w, "by_vendor", r->by_vendor, r->nvendor, r->all.n, "id");
	counts(&w, "by_group", r->by_group, r->ngroup, r->all.n, "id");
	counts(&w, "by_jurisdiction", r->by_country, r->ncountry, r->all.n, "id");
	jw_obj(&w, "core");
	jw_int(&w, "devices", r->core_n);
	jw_int(&w, "high_risk", r->core_high_risk);
	jw_num(&w, "high_risk_share", report_share(r->core_high_risk, r->core_n));
	jw_arr(&w, "by_function");
	for (size_t i = 0; i < r->ncore; i++) {
		jw_obj(&w, NULL);
		jw_str(&w, "function", r->core[i].key);
		jw_int(&w, "high_risk", r->core[i].high_risk);
		jw_end(&w);
	}
	jw_end(&w);
	jw_arr(&w, "high_risk_devices");
	jw_compact(&w, 1);
	rc |= report_each_core_device(r, identity_cb, &w);
	jw_compact(&w, 0);
	jw_end(&w);
	jw_end(&w);
	jw_obj(&w, "components");
	jw_int(&w, "devices", r->component_devices);
	jw_int(&w, "components", r->components);
	jw_int(&w, "high_risk", r->components_high_risk);
	jw_end(&w);
	jw_end(&w); /* summary */
	ran(&w, &r->ran);

	jw_arr(&w, "by_operator");
	for (size_t i = 0; i < r->noperator; i++)
		slice(&w, &r->by_operator[i], "operator");
	jw_end(&w);
	jw_arr(&w, "by_site");
	for (size_t i = 0; i < r->nsite; i++)
		slice(&w, &r->by_site[i], "site");
	jw_end(&w);

	jw_obj(&w, "policy_evaluation");
	jw_arr(&w, "rules");
	for (size_t i = 0; i < r->nrules; i++) {
		const struct report_rule *rr = &r->rules[i];
		jw_obj(&w, NULL);
		jw_str(&w, "type", report_rule_type(rr->rule));
		jw_str(&w, "scope", rr->rule->scope);
		jw_str(&w, "target", rr->rule->target);
		if (rr->rule->type != KB_PR_EXCLUDE)
			jw_num(&w, "limit", rr->rule->pct / 100.0);
		jw_date(&w, "from", rr->rule->from);
		jw_str(&w, "text", rr->rule->text);
		jw_bool(&w, "in_force", rr->in_force);
		jw_str(&w, "status", report_rule_status(rr));
		jw_int(&w, "devices", rr->devices);
		jw_int(&w, "to_remove", rr->to_remove);
		jw_arr(&w, "by_operator");
		for (size_t k = 0; k < rr->nparts; k++) {
			const struct report_rule_part *p = &rr->parts[k];
			jw_obj(&w, NULL);
			jw_str(&w, "operator", p->operator_name);
			jw_int(&w, "devices", p->n);
			jw_int(&w, rr->rule->type == KB_PR_CAP ? "high_risk" : "top_group_devices", p->count);
			jw_num(&w, "share", p->share);
			if (rr->rule->type == KB_PR_CONCENTRATION) {
				jw_str(&w, "top_group", p->group);
				jw_str(&w, "top_group_name", p->group_name);
			}
			jw_bool(&w, "broken", p->broken);
			jw_int(&w, "to_remove", p->to_remove);
			jw_end(&w);
		}
		jw_end(&w);
		jw_arr(&w, "device_ids");
		jw_compact(&w, 1);
		rc |= report_each_rule_device(r, i, identity_cb, &w);
		jw_compact(&w, 0);
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_arr(&w, "deadlines");
	for (size_t i = 0; i < r->ndeadlines; i++) {
		jw_obj(&w, NULL);
		jw_date(&w, "date", r->deadlines[i].date);
		jw_int(&w, "to_remove", r->deadlines[i].to_remove);
		jw_int(&w, "rules", (int64_t)r->deadlines[i].nrules);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);

	jw_arr(&w, "firmware");
	jw_compact(&w, 1);
	for (size_t i = 0; i < r->nfirmware; i++) {
		const struct report_firmware *f = &r->firmware[i];
		jw_obj(&w, NULL);
		jw_str(&w, "vendor", f->vendor);
		jw_str(&w, "vendor_name", f->vendor_name);
		jw_str(&w, "model", f->model);
		jw_str(&w, "firmware", f->firmware);
		jw_int(&w, "devices", f->n);
		jw_bool(&w, "high_risk", f->high_risk);
		jw_end(&w);
	}
	jw_compact(&w, 0);
	jw_end(&w);

	jw_arr(&w, "trend");
	for (size_t i = 0; i < r->ntrend; i++) {
		const struct report_trend *t = &r->trend[i];
		jw_obj(&w, NULL);
		jw_int(&w, "scan", t->scan_id);
		jw_time(&w, "started", t->started_us);
		jw_int(&w, "devices", t->n);
		jw_int(&w, "high_risk", t->high_risk);
		jw_num(&w, "high_risk_share", report_share(t->high_risk, t->n));
		jw_arr(&w, "by_domain");
		jw_compact(&w, 1);
		for (size_t k = 0; k < t->ndomains; k++) {
			jw_obj(&w, NULL);
			jw_str(&w, "domain", t->domains[k].key);
			jw_int(&w, "devices", t->domains[k].n);
			jw_int(&w, "high_risk", t->domains[k].high_risk);
			jw_num(&w, "high_risk_share", report_share(t->domains[k].high_risk, t->domains[k].n));
			jw_end(&w);
		}
		jw_compact(&w, 0);
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);

	jw_arr(&w, "components");
	jw_compact(&w, 1);
	rc |= report_each_component(r, component_cb, &w);
	jw_compact(&w, 0);
	jw_end(&w);
	jw_arr(&w, "problem_targets");
	jw_compact(&w, 1);
	rc |= report_each_problem_target(r, problem_cb, &w);
	jw_compact(&w, 0);
	jw_end(&w);
	jw_arr(&w, "disputed");
	jw_compact(&w, 1);
	rc |= report_each_disputed(r, disputed_cb, &w);
	jw_compact(&w, 0);
	jw_end(&w);
	jw_arr(&w, "unattributed");
	jw_compact(&w, 1);
	rc |= report_each_unattributed(r, unattributed_cb, &w);
	jw_compact(&w, 0);
	jw_end(&w);
	jw_arr(&w, "devices");
	jw_compact(&w, 1);
	rc |= report_each_device(r, device_cb, &w);
	jw_compact(&w, 0);
	jw_end(&w);
	jw_end(&w);
	jw_done(&w);
	return rc || ferror(out) ? -1 : 0;
}
