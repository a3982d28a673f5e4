/* The text renderer: for a terminal or a mail. Device strings go through
 * tput() (os_term_puts), which shows controls, C0 and C1 (an ESC or CSI
 * sequence could repaint the reader's terminal), bidi overrides and bytes
 * that are not UTF-8 as \xNN or \uNNNN. Lists behind a policy rule or a
 * core-function finding show the first LIST_MAX devices; the full device
 * list closes the report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

#define LIST_MAX 20

static void tput(FILE *out, const char *s)
{
	os_term_puts(out, s);
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static double pc(int64_t a, int64_t b)
{
	return 100.0 * report_share(a, b);
}

static void counts(FILE *out, const char *title, const struct report_count *c, size_t n, int64_t total)
{
	fprintf(out, "\n%s\n", title);
	for (size_t i = 0; i < n; i++) {
		fputs("  ", out);
		tput(out, c[i].label);
		int pad = 30 - (int)strlen(c[i].label ? c[i].label : "");
		fprintf(out, "%*s %8lld  %5.1f%%%s\n", pad > 0 ? pad : 1, "", (long long)c[i].n, pc(c[i].n, total),
		        c[i].flagged ? "  HIGH-RISK" : "");
	}
}

/* One group of the RAN section: its vendors with their stations, sites
 * and cells and their shares of the group's sites and cells. */
static void ran_group(FILE *out, const struct report_ran_group *g, const char *indent)
{
	for (size_t i = 0; i < g->nvendors; i++) {
		const struct report_ran_vendor *v = &g->vendors[i];
		fprintf(out, "%s", indent);
		tput(out, v->vendor_name);
		int pad = 26 - (int)strlen(indent) - (int)strlen(v->vendor_name);
		fprintf(out, "%*s %8lld %6lld %6.1f%% %7lld %6.1f%%%s\n", pad > 0 ? pad : 1, "", (long long)v->stations,
		        (long long)v->sites, pc(v->sites, g->sites), (long long)v->cells, pc(v->cells, g->cells),
		        v->high_risk ? "  HIGH-RISK" : "");
	}
}

static void ran_section(FILE *out, const struct report *r)
{
	const struct report_ran *R = &r->ran;
	if (!R->all.stations && !R->all.cells)
		return;
	fprintf(out, "\nRadio network: %lld base stations at %lld sites, %lld cells (%lld from OSS exports, %lld of them "
	             "also seen on the wire)\n",
	        (long long)R->all.stations, (long long)R->all.sites, (long long)R->all.cells, (long long)R->from_oss,
	        (long long)R->on_wire);
	fprintf(out, "  %-24s %8s %6s %7s %7s %7s\n", "vendor", "stations", "sites", "share", "cells", "share");
	ran_group(out, &R->all, "  ");
	fprintf(out, "  by technology\n");
	for (int t = RAN_NTECH - 1; t >= 0; t--) {
		const struct report_ran_group *g = &R->techs[t];
		if (!g->stations && !g->cells)
			continue;
		fprintf(out, "   %c%c: %lld base stations at %lld sites, %lld cells\n", g->key[0], 'G', (long long)g->stations,
		        (long long)g->sites, (long long)g->cells);
		ran_group(out, g, "    ");
	}
	fprintf(out, "  by region\n");
	for (size_t i = 0; i < R->nregions; i++) {
		const struct report_ran_group *g = &R->regions[i];
		fputs("   ", out);
		tput(out, g->key ? g->key : "(no region)");
		fprintf(out, ": %lld base stations at %lld sites, %lld cells\n", (long long)g->stations, (long long)g->sites,
		        (long long)g->cells);
		ran_group(out, g, "    ");
	}
}

static void domains(FILE *out, const struct report_slice *s, const char *indent)
{
	for (size_t i = 0; i < s->ndomains; i++) {
		const struct report_domain *d = &s->domains[i];
		fprintf(out, "%s%-12s %8lld %10lld %6.1f%%", indent, d->domain, (long long)d->n, (long long)d->high_risk,
		        pc(d->high_risk, d->n));
		if (d->ngroups) {
			fputs("   ", out);
			tput(out, d->groups[0].label);
			fprintf(out, " %.1f%%, HHI %.0f", 100.0 * d->top_share, d->hhi);
		}
		fputc('\n', out);
	}
}

struct lst {
	FILE *out;
	int64_t n;
};

static void device_line(FILE *out, const struct report_device *x, const char *lead)
{
	const struct device_row *d = x->row;
	fputs(lead, out);
	tput(out, or_dash(d->address ? d->address : d->identity));
	if (d->name) {
		fputs(" (", out);
		tput(out, d->name);
		fputc(')', out);
	}
	fputs("  ", out);
	tput(out, or_dash(d->vendor_name));
	fputs(" ", out);
	tput(out, or_dash(d->model));
	fputs(" ", out);
	tput(out, or_dash(d->firmware));
	fprintf(out, "  [%s", or_dash(d->domain));
	if (d->site) {
		fputs(", ", out);
		tput(out, d->site);
	}
	if (d->operator_name) {
		fputs(", ", out);
		tput(out, d->operator_name);
	}
	fputs("]\n", out);
}

static int list_cb(void *ctx, const struct report_device *x)
{
	struct lst *l = ctx;
	if (l->n++ < LIST_MAX)
		device_line(l->out, x, "      ");
	return 0;
}

static void list_more(struct lst *l)
{
	if (l->n > LIST_MAX)
		fprintf(l->out, "      ... and %lld more (see the device list or --format json)\n",
		        (long long)(l->n - LIST_MAX));
}

static void claim_cb(void *ctx, const struct report_claim *c)
{
	FILE *out = ctx;
	fprintf(out, "      %3ld %-12s ", c->weight, or_dash(c->vendor));
	tput(out, c->key);
	fputs(" = \"", out);
	tput(out, c->value);
	fputs("\"  from ", out);
	tput(out, c->source);
	fputs("  <- ", out);
	tput(out, c->basis);
	fputc('\n', out);
}

/* "disputed: possibly X": named only by weak or outvoted evidence, so
 * never counted as high-risk */
static void possibly_line(FILE *out, const struct report_device *x)
{
	for (size_t i = 0; i < x->npossibly; i++) {
		fputs("      disputed: possibly ", out);
		tput(out, x->possibly[i]);
		fputs(x->possibly_here[i] ? " (high-risk under this policy; not counted)\n" : "\n", out);
	}
}

static int device_cb(void *ctx, const struct report_device *x)
{
	FILE *out = ctx;
	const struct device_row *d = x->row;
	fprintf(out, "  %s", x->high_risk ? "! " : "  ");
	tput(out, or_dash(d->address ? d->address : d->identity));
	if (d->name) {
		fputs(" (", out);
		tput(out, d->name);
		fputc(')', out);
	}
	fputs("  ", out);
	tput(out, or_dash(d->vendor_name));
	if (d->registry_only)
		fputs(" (registry-only)", out);
	if (x->brand_name) {
		fputs(" (brand ", out);
		tput(out, x->brand_name);
		fputc(')', out);
	}
	if (x->group && d->vendor && strcmp(x->group, d->vendor)) {
		fputs(" (group ", out);
		tput(out, or_dash(x->group_name));
		fputc(')', out);
	}
	fprintf(out, "  [%s]  model ", or_dash(d->jurisdiction));
	tput(out, or_dash(d->model));
	fputs("  firmware ", out);
	tput(out, or_dash(d->firmware));
	fprintf(out, "  role %s  domain %s", or_dash(d->role), or_dash(d->domain));
	if (d->site) {
		fputs("  site ", out);
		tput(out, d->site);
	}
	fprintf(out, "  confidence %d (%s)%s\n", d->confidence, report_band_name(x->band),
	        d->disputed ? " DISPUTED" : "");
	fputs("      identity ", out);
	tput(out, d->identity);
	fputc('\n', out);
	char *found = report_found_text(x);
	if (found) {
		fputs("      found: ", out);
		tput(out, found);
		fputc('\n', out);
		free(found);
	}
	if (x->high_risk_why) {
		fputs("      high-risk: ", out);
		tput(out, x->high_risk_why);
		fputc('\n', out);
	}
	for (size_t i = 0; i < x->nfindings; i++)
		fprintf(out, "      breaks: %s\n", x->findings[i]);
	possibly_line(out, x);
	report_claims(x, claim_cb, out);
	return 0;
}

static int disputed_cb(void *ctx, const struct report_device *x)
{
	FILE *out = ctx;
	const struct device_row *d = x->row;
	fputs("  ", out);
	tput(out, or_dash(d->address ? d->address : d->identity));
	fputs("  ", out);
	tput(out, d->vendor_name ? d->vendor_name : "unknown");
	fprintf(out, "  confidence %d\n", d->confidence);
	possibly_line(out, x);
	report_claims(x, claim_cb, out);
	return 0;
}

static int component_cb(void *ctx, const struct report_component *c)
{
	FILE *out = ctx;
	fprintf(out, "  %s", c->high_risk ? "! " : "  ");
	tput(out, or_dash(c->device->row->address ? c->device->row->address : c->device->row->identity));
	fputs(" (", out);
	tput(out, or_dash(c->device->row->vendor_name));
	fprintf(out, ")  %s ", c->source);
	if (c->index)
		fprintf(out, "#%ld ", c->index);
	tput(out, or_dash(c->name));
	fputs(": ", out);
	tput(out, or_dash(c->vendor_name));
	fputs(" ", out);
	tput(out, or_dash(c->model));
	fputs("  serial ", out);
	tput(out, or_dash(c->serial));
	fprintf(out, "  [%s]\n", or_dash(c->jurisdiction));
	return 0;
}

struct plist {
	FILE *out;
	size_t n;
};

static int problem_cb(void *ctx, const struct report_target *t)
{
	struct plist *l = ctx;
	if (l->n++ >= LIST_MAX)
		return 0;
	fputs("  ", l->out);
	tput(l->out, t->address);
	fprintf(l->out, "  %s: ", t->state);
	tput(l->out, or_dash(t->detail));
	fputc('\n', l->out);
	return 0;
}

static int unattributed_cb(void *ctx, const struct report_unattributed *u)
{
	FILE *out = ctx;
	const struct device_row *d = u->device->row;
	fputs("  ", out);
	tput(out, or_dash(d->address ? d->address : d->identity));
	if (d->name) {
		fputs(" (", out);
		tput(out, d->name);
		fputc(')', out);
	}
	if (d->site) {
		fputs("  site ", out);
		tput(out, d->site);
	}
	fputc('\n', out);
	for (size_t i = 0; i < u->nseen; i++) {
		fputs("      ", out);
		tput(out, u->seen[i].key);
		fputs(" = \"", out);
		tput(out, u->seen[i].value);
		fputs("\"  from ", out);
		tput(out, u->seen[i].source);
		fputc('\n', out);
	}
	if (!u->nseen)
		fputs("      (no evidence rows)\n", out);
	return 0;
}

int report_render_text(const struct report *r, FILE *out)
{
	char t0[32], date[11];
	int rc = 0;
	os_iso_time(r->scan.started_us, t0, sizeof t0);
	report_date_text(r->date, date);
	fprintf(out, "originscan report: scan %lld (%s%s%s, %s), started %s\n", (long long)r->scan.id,
	        r->scan.command, r->scan.plan ? " " : "", r->scan.plan ? r->scan.plan : "",
	        scan_status_name(r->scan.status), t0);
	if (r->scan.status != SCAN_COMPLETE)
		fprintf(out, "WARNING: this scan is %s; its figures are incomplete.\n", scan_status_name(r->scan.status));
	fprintf(out, "policy: %s (%s); ownership as of %s\n", r->policy->id, r->policy->title, date);
	fprintf(out, "knowledge base: %s\n", report_kb_version(r));
	if (r->noperators) {
		fputs("operators: ", out);
		for (size_t i = 0; i < r->noperators; i++) {
			fputs(i ? ", " : "", out);
			tput(out, r->operators[i]);
		}
		fputc('\n', out);
	}
	if (r->nsites) {
		fputs("sites: ", out);
		for (size_t i = 0; i < r->nsites; i++) {
			fputs(i ? ", " : "", out);
			tput(out, r->sites[i]);
		}
		fputc('\n', out);
	}
	if (r->domain) {
		fputs("domain: ", out);
		tput(out, *r->domain ? r->domain : "(none)");
		fputc('\n', out);
	}

	int64_t n = r->all.n;
	fprintf(out, "\nSummary\n");
	if (r->targets)
		fprintf(out, "  targets polled:      %lld (%lld answered, %lld unreachable, %lld refused, %lld errors)\n",
		        (long long)r->targets, (long long)r->answered, (long long)r->unreachable, (long long)r->refused,
		        (long long)r->target_errors);
	fprintf(out, "  devices:             %lld\n", (long long)n);
	fprintf(out, "  attributed:          %lld (%.1f%%): confidence high %lld, medium %lld, low %lld\n",
	        (long long)r->all.attributed, pc(r->all.attributed, n), (long long)r->band[BAND_HIGH],
	        (long long)r->band[BAND_MEDIUM], (long long)r->band[BAND_LOW]);
	fprintf(out, "  unattributed:        %lld\n", (long long)(n - r->all.attributed));
	fprintf(out, "  high-risk vendors:   %lld (%.1f%% of devices) under %s\n", (long long)r->all.high_risk,
	        pc(r->all.high_risk, n), r->policy->id);
	fprintf(out, "  in core functions:   %lld high-risk of %lld devices (%.1f%%)\n", (long long)r->core_high_risk,
	        (long long)r->core_n, pc(r->core_high_risk, r->core_n));
	fprintf(out, "  other makers' parts: %lld components in %lld devices (%lld high-risk)\n",
	        (long long)r->components, (long long)r->component_devices, (long long)r->components_high_risk);

	fprintf(out, "\nBy domain       devices  high-risk  share   largest vendor group, HHI\n");
	domains(out, &r->all, "  ");
	counts(out, "By vendor", r->by_vendor, r->nvendor, n);
	counts(out, "By vendor group (parent in force)", r->by_group, r->ngroup, n);
	fprintf(out, "\nBy jurisdiction\n");
	for (size_t i = 0; i < r->ncountry; i++) {
		fprintf(out, "  %-4s ", r->by_country[i].key);
		tput(out, r->by_country[i].label);
		int pad = 25 - (int)strlen(r->by_country[i].label);
		fprintf(out, "%*s %8lld  %5.1f%%\n", pad > 0 ? pad : 1, "", (long long)r->by_country[i].n,
		        pc(r->by_country[i].n, n));
	}

	ran_section(out, r);

	fprintf(out, "\nHigh-risk vendors in core functions: %lld\n", (long long)r->core_high_risk);
	for (size_t i = 0; i < r->ncore; i++)
		fprintf(out, "  %-16s %8lld\n", r->core[i].key, (long long)r->core[i].high_risk);
	struct lst l = {out, 0};
	rc |= report_each_core_device(r, list_cb, &l);
	list_more(&l);

	fprintf(out, "\nPolicy %s, rule by rule\n", r->policy->id);
	if (!r->nrules)
		fprintf(out, "  (this policy names high-risk vendors only; it has no exclusions, caps or concentration limits)\n");
	for (size_t i = 0; i < r->nrules; i++) {
		const struct report_rule *rr = &r->rules[i];
		char from[11] = "";
		if (rr->rule->from)
			report_date_text(rr->rule->from, from);
		const char *st = report_rule_status(rr);
		if (!strcmp(st, "due"))
			fprintf(out, "  [DUE %s] ", from);
		else
			fprintf(out, "  [%s] ", rr->broken ? "BROKEN" : "met");
		fprintf(out, "%s %s", report_rule_type(rr->rule), rr->rule->text);
		if (rr->broken)
			fprintf(out, ": %lld devices, %lld to remove%s%s\n", (long long)rr->devices, (long long)rr->to_remove,
			        rr->in_force ? "" : " by ", rr->in_force ? "" : from);
		else
			fputc('\n', out);
		for (size_t k = 0; k < rr->nparts; k++) {
			const struct report_rule_part *p = &rr->parts[k];
			fputs("      operator ", out);
			tput(out, p->operator_name ? p->operator_name : "(none named)");
			if (rr->rule->type == KB_PR_CAP)
				fprintf(out, ": %lld high-risk of %lld (%.1f%%, cap %.0f%%)%s\n", (long long)p->count,
				        (long long)p->n, 100.0 * p->share, rr->rule->pct, p->broken ? " OVER" : "");
			else {
				fputs(": ", out);
				tput(out, or_dash(p->group_name));
				fprintf(out, " %lld of %lld attributed (%.1f%%, limit %.0f%%)%s\n", (long long)p->count,
				        (long long)p->n, 100.0 * p->share, rr->rule->pct, p->broken ? " OVER" : "");
			}
		}
		if (rr->broken) {
			struct lst rl = {out, 0};
			rc |= report_each_rule_device(r, i, list_cb, &rl);
			list_more(&rl);
		}
	}
	if (r->ndeadlines) {
		fprintf(out, "\nTo remove, by date (a device may count under several rules)\n");
		for (size_t i = 0; i < r->ndeadlines; i++) {
			char d[11] = "now";
			if (r->deadlines[i].date)
				report_date_text(r->deadlines[i].date, d);
			fprintf(out, "  %-10s %8lld devices (%zu rules)\n", d, (long long)r->deadlines[i].to_remove,
			        r->deadlines[i].nrules);
		}
	}

	if (r->noperator > 1 || (r->noperator == 1 && r->by_operator[0].key)) {
		fprintf(out, "\nBy operator\n");
		for (size_t i = 0; i < r->noperator; i++) {
			const struct report_slice *s = &r->by_operator[i];
			fputs("  ", out);
			tput(out, s->label);
			fprintf(out, ": %lld devices, %lld high-risk (%.1f%%)\n", (long long)s->n, (long long)s->high_risk,
			        pc(s->high_risk, s->n));
			domains(out, s, "    ");
		}
	}
	if (r->nsite > 1 || (r->nsite == 1 && r->by_site[0].key)) {
		fprintf(out, "\nBy site\n");
		for (size_t i = 0; i < r->nsite; i++) {
			const struct report_slice *s = &r->by_site[i];
			fputs("  ", out);
			tput(out, s->label);
			if (s->operator_name) {
				fputs(" (", out);
				tput(out, s->operator_name);
				fputc(')', out);
			}
			fprintf(out, ": %lld devices, %lld high-risk (%.1f%%)\n", (long long)s->n, (long long)s->high_risk,
			        pc(s->high_risk, s->n));
		}
	}

	fprintf(out, "\nTrend over complete scans of this kind (high-risk / devices per domain)\n");
	for (size_t i = 0; i < r->ntrend; i++) {
		const struct report_trend *t = &r->trend[i];
		char d[11];
		report_date_text(t->date, d);
		fprintf(out, "  scan %-5lld %s  %lld/%lld (%.1f%%)", (long long)t->scan_id, d, (long long)t->high_risk,
		        (long long)t->n, pc(t->high_risk, t->n));
		for (size_t k = 0; k < t->ndomains; k++)
			fprintf(out, "  %s %lld/%lld", t->domains[k].key, (long long)t->domains[k].high_risk,
			        (long long)t->domains[k].n);
		fputc('\n', out);
	}
	if (!r->ntrend)
		fprintf(out, "  (no complete scan of this kind yet)\n");

	fprintf(out, "\nFirmware in use\n");
	for (size_t i = 0; i < r->nfirmware; i++) {
		const struct report_firmware *f = &r->firmware[i];
		fprintf(out, "  %s", f->high_risk ? "! " : "  ");
		tput(out, f->vendor_name);
		fputs("  ", out);
		tput(out, or_dash(f->model));
		fputs("  ", out);
		tput(out, or_dash(f->firmware));
		fprintf(out, "  %lld\n", (long long)f->n);
	}

	fprintf(out, "\nComponents of another maker\n");
	if (!r->components)
		fprintf(out, "  (none seen)\n");
	rc |= report_each_component(r, component_cb, out);

	if (r->refused || r->target_errors) {
		/* a credential that stopped working is not a quiet figure */
		fprintf(out, "\nTargets that refused our credentials (%lld) or failed (%lld), and why\n",
		        (long long)r->refused, (long long)r->target_errors);
		struct plist pl = {out, 0};
		rc |= report_each_problem_target(r, problem_cb, &pl);
		if (pl.n > LIST_MAX)
			fprintf(out, "  ... and %zu more (all in --format json or csv)\n", pl.n - LIST_MAX);
	}

	fprintf(out, "\nDisputed devices (evidence names more than one maker)\n");
	rc |= report_each_disputed(r, disputed_cb, out);

	fprintf(out, "\nUnattributed devices (%lld) and what was seen of them\n", (long long)(n - r->all.attributed));
	rc |= report_each_unattributed(r, unattributed_cb, out);

	fprintf(out, "\nDevices\n");
	rc |= report_each_device(r, device_cb, out);
	return rc || ferror(out) ? -1 : 0;
}
