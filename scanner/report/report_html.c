/* The HTML renderer: one self-contained page (inline CSS, charts as
 * inline SVG, no script, no external fetch; a Content-Security-Policy
 * forbids both even if something slipped through), readable on a phone
 * (viewport, tables scroll sideways) and printed (print styles, no
 * colours needed to read a figure). Every string from a device or the
 * store goes through esc(): & < > " ' become entities, control bytes and
 * bytes that are not UTF-8 become the text \xNN. */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "util.h"

#define CHART_MAX 12
#define LIST_MAX 50

static void esc(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p);
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		size_t n = c < 0x80 ? 1 : os_utf8_len(p + i, len - i);
		if (c == '&')
			fputs("&amp;", out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\'')
			fputs("&#39;", out);
		else if (c < 0x20 || c == 0x7f || !n) {
			fprintf(out, "\\x%02x", c);
			n = 1;
		} else
			fwrite(p + i, 1, n, out);
		i += n ? n : 1;
	}
}

static void td(FILE *out, const char *s)
{
	fputs("<td>", out);
	if (s && *s)
		esc(out, s);
	else
		fputs("&ndash;", out);
	fputs("</td>", out);
}

static double pc(int64_t a, int64_t b)
{
	return 100.0 * report_share(a, b);
}

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:0 auto;"
	"max-width:1200px;padding:12px;color:#111;background:#fff}"
	"h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid #ccc}"
	"h3{font-size:1em;margin:1em 0 .3em}"
	".meta{color:#444}.warn{background:#fff3cd;border:1px solid #d39e00;padding:6px}"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
	"table{border-collapse:collapse;margin:.3em 0;font-size:.92em}"
	"th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}"
	"th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.hr td{background:#fde8e8}.tag{font-weight:bold;color:#a00}.ok{color:#070;font-weight:bold}"
	".due{color:#a60;font-weight:bold}.ev{font-size:.85em;color:#333;max-width:40em;word-break:break-word}"
	".cards{display:flex;flex-wrap:wrap;gap:8px}.card{border:1px solid #ccc;border-radius:4px;padding:6px 10px;"
	"min-width:9em}.card b{display:block;font-size:1.3em}"
	".charts{display:flex;flex-wrap:wrap;gap:16px}.chart{flex:1 1 340px;max-width:560px}"
	"svg{width:100%;height:auto}svg text{font:13px sans-serif;fill:#111}"
	"@media (max-width:600px){body{font-size:13px;padding:6px}th,td{padding:2px 4px}}"
	"@media print{body{max-width:none;font-size:9pt}.scroll{overflow:visible}h2{break-after:avoid}"
	"tr{break-inside:avoid}tr.hr td{background:none;font-weight:bold}a{color:#000}}";

/* A horizontal bar chart: one bar per row, value as a share 0..1, the
 * label and the figure written beside it (readable without colour). */
struct bar {
	const char *label;
	double share;
	int64_t n;
	int red;
};

static void bar_chart(FILE *out, const char *title, const char *id, const struct bar *b, size_t n,
                      const double *marks)
{
	int rowh = 20, w = 520, lw = 170, bw = 250;
	int h = (int)n * rowh + 10;
	fprintf(out, "<div class=\"chart\"><h3>");
	esc(out, title);
	fprintf(out, "</h3><svg id=\"%s\" role=\"img\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">"
	             "<title>", id, w, h);
	esc(out, title);
	fputs("</title>", out);
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * rowh + 4;
		double s = b[i].share < 0 ? 0 : b[i].share > 1 ? 1 : b[i].share;
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 6, y + 12);
		esc(out, b[i].label);
		fprintf(out, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
		             "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#bbb\"/>",
		        lw, y, s * bw, rowh - 6, b[i].red ? "#c0392b" : "#4a78a8", lw, y, bw, rowh - 6);
		if (marks && marks[i] >= 0)
			fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\" stroke-width=\"2\""
			             " stroke-dasharray=\"3,2\"/>",
			        lw + marks[i] * bw, lw + marks[i] * bw, y - 2, y + rowh - 4);
		fprintf(out, "<text x=\"%d\" y=\"%d\">%.1f%% (%lld)</text>", lw + bw + 6, y + 12, 100.0 * s,
		        (long long)b[i].n);
	}
	fputs("</svg></div>\n", out);
}

static void count_chart(FILE *out, const char *title, const char *id, const struct report_count *c, size_t n,
                        int64_t total)
{
	struct bar b[CHART_MAX + 1];
	size_t k = 0;
	int64_t rest = 0;
	for (size_t i = 0; i < n; i++) {
		if (k < CHART_MAX && (i + 1 < n || n <= CHART_MAX)) {
			b[k].label = c[i].label;
			b[k].share = report_share(c[i].n, total);
			b[k].n = c[i].n;
			b[k].red = c[i].flagged;
			k++;
		} else
			rest += c[i].n;
	}
	if (rest) {
		b[k].label = "others";
		b[k].share = report_share(rest, total);
		b[k].n = rest;
		b[k].red = 0;
		k++;
	}
	bar_chart(out, title, id, b, k, NULL);
}

static void counts_table(FILE *out, const char *what, const struct report_count *c, size_t n, int64_t total)
{
	fprintf(out, "<div class=\"scroll\"><table><tr><th>%s</th><th>devices</th><th>share</th><th>high-risk</th></tr>\n",
	        what);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "<tr%s>", c[i].high_risk ? " class=\"hr\"" : "");
		td(out, c[i].label);
		fprintf(out, "<td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td><td class=\"n\">%lld</td></tr>\n",
		        (long long)c[i].n, pc(c[i].n, total), (long long)c[i].high_risk);
	}
	fputs("</table></div>\n", out);
}

/* The RAN section: one table, a block of rows per group (all, each
 * technology, each region), a vendor per row with its shares. */
static void ran_rows(FILE *out, const struct report_ran_group *g, const char *what)
{
	fprintf(out, "<tr><th>");
	esc(out, what);
	fprintf(out, "</th><th class=\"n\">%lld</th><th class=\"n\">%lld</th><th></th><th class=\"n\">%lld</th><th></th></tr>\n",
	        (long long)g->stations, (long long)g->sites, (long long)g->cells);
	for (size_t i = 0; i < g->nvendors; i++) {
		const struct report_ran_vendor *v = &g->vendors[i];
		fprintf(out, "<tr%s>", v->high_risk ? " class=\"hr\"" : "");
		td(out, v->vendor_name);
		fprintf(out,
		        "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td><td class=\"n\">%lld</td>"
		        "<td class=\"n\">%.1f%%</td></tr>\n",
		        (long long)v->stations, (long long)v->sites, pc(v->sites, g->sites), (long long)v->cells,
		        pc(v->cells, g->cells));
	}
}

static void ran_section(FILE *out, const struct report_ran *R)
{
	static const char *const tn[RAN_NTECH] = {"2G", "3G", "4G", "5G"};
	if (!R->all.stations && !R->all.cells)
		return;
	fprintf(out, "<h2 id=\"ran\">Radio network</h2>\n<p>%lld base stations at %lld sites, %lld cells (%lld from OSS "
	             "exports, %lld of them also seen on the wire).</p>\n",
	        (long long)R->all.stations, (long long)R->all.sites, (long long)R->all.cells, (long long)R->from_oss,
	        (long long)R->on_wire);
	fputs("<div class=\"scroll\"><table><tr><th>vendor</th><th>base stations</th><th>sites</th><th>share of sites</th>"
	      "<th>cells</th><th>share of cells</th></tr>\n",
	      out);
	ran_rows(out, &R->all, "all");
	for (int t = RAN_NTECH - 1; t >= 0; t--)
		if (R->techs[t].stations || R->techs[t].cells)
			ran_rows(out, &R->techs[t], tn[t]);
	for (size_t i = 0; i < R->nregions; i++) {
		char *what = xasprintf("region %s", R->regions[i].key ? R->regions[i].key : "(none)");
		ran_rows(out, &R->regions[i], what);
		free(what);
	}
	fputs("</table></div>\n", out);
}

static void domain_table(FILE *out, const struct report_slice *s)
{
	fputs("<div class=\"scroll\"><table><tr><th>domain</th><th>devices</th><th>attributed</th><th>high-risk</th>"
	      "<th>share</th><th>largest vendor group</th><th>its share</th><th>HHI</th></tr>\n",
	      out);
	for (size_t i = 0; i < s->ndomains; i++) {
		const struct report_domain *d = &s->domains[i];
		fprintf(out, "<tr%s>", d->high_risk ? " class=\"hr\"" : "");
		td(out, d->domain);
		fprintf(out, "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
		             "<td class=\"n\">%.1f%%</td>",
		        (long long)d->n, (long long)d->attributed, (long long)d->high_risk, pc(d->high_risk, d->n));
		td(out, d->ngroups ? d->groups[0].label : NULL);
		fprintf(out, "<td class=\"n\">%.1f%%</td><td class=\"n\">%.0f</td></tr>\n", 100.0 * d->top_share, d->hhi);
	}
	fputs("</table></div>\n", out);
}

struct lst {
	FILE *out;
	int64_t n;
	int full;
};

static const char dev_head[] =
	"<div class=\"scroll\"><table><tr><th>address</th><th>name</th><th>site</th><th>domain</th><th>role</th><th>vendor</th>"
	"<th>group</th><th>jurisdiction</th><th>model</th><th>firmware</th><th>confidence</th>";

static void claim_cb(void *ctx, const struct report_claim *c)
{
	FILE *out = ctx;
	fputs("<div>", out);
	esc(out, c->key);
	fputs(" = &ldquo;", out);
	esc(out, c->value);
	fputs("&rdquo; <i>from</i> ", out);
	esc(out, c->source);
	fputs(" <i>by</i> ", out);
	esc(out, c->basis);
	fprintf(out, " (%ld)</div>", c->weight);
}

static int device_row_cb(void *ctx, const struct report_device *x)
{
	struct lst *l = ctx;
	FILE *out = l->out;
	const struct device_row *d = x->row;
	if (!l->full && l->n >= LIST_MAX) {
		l->n++;
		return 0;
	}
	l->n++;
	fprintf(out, "<tr%s>", x->high_risk ? " class=\"hr\"" : "");
	td(out, d->address ? d->address : d->identity);
	td(out, d->name);
	td(out, d->site);
	td(out, d->domain);
	td(out, d->role);
	fputs("<td>", out);
	esc(out, d->vendor_name ? d->vendor_name : "unknown");
	if (d->registry_only)
		fputs(" <i>(registry-only)</i>", out);
	if (x->brand_name) {
		fputs(" <i>(brand ", out);
		esc(out, x->brand_name);
		fputs(")</i>", out);
	}
	if (x->high_risk)
		fputs(" <span class=\"tag\">HIGH-RISK</span>", out);
	for (size_t i = 0; i < x->npossibly; i++) {
		fputs(" <span class=\"tag\">disputed: possibly ", out);
		esc(out, x->possibly[i]);
		fputs("</span>", out);
	}
	fputs("</td>", out);
	td(out, x->group_name);
	td(out, d->jurisdiction);
	td(out, d->model);
	td(out, d->firmware);
	fprintf(out, "<td class=\"n\">%d (%s)%s</td>", d->confidence, report_band_name(x->band),
	        d->disputed ? " disputed" : "");
	if (l->full) {
		fputs("<td class=\"ev\"><div>identity ", out);
		esc(out, d->identity);
		fputs("</div>", out);
		if (x->high_risk_why) {
			fputs("<div><b>high-risk:</b> ", out);
			esc(out, x->high_risk_why);
			fputs("</div>", out);
		}
		char *found = report_found_text(x);
		if (found) {
			fputs("<div><b>found:</b> ", out);
			esc(out, found);
			fputs("</div>", out);
			free(found);
		}
		for (size_t i = 0; i < x->nfindings; i++) {
			fputs("<div><b>breaks:</b> ", out);
			esc(out, x->findings[i]);
			fputs("</div>", out);
		}
		report_claims(x, claim_cb, out);
		fputs("</td>", out);
	}
	fputs("</tr>\n", out);
	return 0;
}

static void list_end(struct lst *l)
{
	fputs("</table></div>\n", l->out);
	if (!l->full && l->n > LIST_MAX)
		fprintf(l->out, "<p>&hellip; and %lld more: see the device list below.</p>\n", (long long)(l->n - LIST_MAX));
}

static int component_cb(void *ctx, const struct report_component *c)
{
	FILE *out = ctx;
	const struct device_row *d = c->device->row;
	fprintf(out, "<tr%s>", c->high_risk ? " class=\"hr\"" : "");
	td(out, d->address ? d->address : d->identity);
	td(out, d->vendor_name);
	td(out, c->source);
	td(out, c->name);
	td(out, c->descr);
	td(out, c->mfg);
	fputs("<td>", out);
	esc(out, c->vendor_name);
	if (c->high_risk)
		fputs(" <span class=\"tag\">HIGH-RISK</span>", out);
	fputs("</td>", out);
	td(out, c->jurisdiction);
	td(out, c->model);
	td(out, c->serial);
	fputs("</tr>\n", out);
	return 0;
}

static int problem_cb(void *ctx, const struct report_target *t)
{
	FILE *out = ctx;
	fputs("<tr>", out);
	td(out, t->address);
	td(out, t->state);
	td(out, t->detail);
	fputs("</tr>\n", out);
	return 0;
}

static int unattributed_cb(void *ctx, const struct report_unattributed *u)
{
	FILE *out = ctx;
	const struct device_row *d = u->device->row;
	fputs("<tr>", out);
	td(out, d->address ? d->address : d->identity);
	td(out, d->name);
	td(out, d->site);
	fputs("<td class=\"ev\">", out);
	for (size_t i = 0; i < u->nseen; i++) {
		fputs("<div>", out);
		esc(out, u->seen[i].key);
		fputs(" = &ldquo;", out);
		esc(out, u->seen[i].value);
		fputs("&rdquo; <i>from</i> ", out);
		esc(out, u->seen[i].source);
		fputs("</div>", out);
	}
	if (!u->nseen)
		fputs("(no evidence rows)", out);
	fputs("</td></tr>\n", out);
	return 0;
}

static void card(FILE *out, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void card(FILE *out, const char *what, const char *fmt, ...)
{
	va_list ap;
	fprintf(out, "<div class=\"card\"><b>");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fprintf(out, "</b>%s</div>\n", what);
}

int report_render_html(const struct report *r, FILE *out)
{
	char t0[32], date[11];
	int rc = 0;
	int64_t n = r->all.n;
	os_iso_time(r->scan.started_us, t0, sizeof t0);
	report_date_text(r->date, date);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
	      "img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
	      out);
	fprintf(out, "<title>originscan exposure report, scan %lld</title>\n<style>%s</style></head><body>\n",
	        (long long)r->scan.id, css);
	fprintf(out, "<h1>Exposure report: scan %lld</h1>\n<p class=\"meta\">", (long long)r->scan.id);
	esc(out, r->scan.command);
	if (r->scan.plan) {
		fputs(" ", out);
		esc(out, r->scan.plan);
	}
	fprintf(out, ", %s, started %s. Policy <b>", scan_status_name(r->scan.status), t0);
	esc(out, r->policy->id);
	fputs("</b> (", out);
	esc(out, r->policy->title);
	fprintf(out, "), ownership as of %s. Knowledge base ", date);
	esc(out, report_kb_version(r));
	fputs(".", out);
	if (r->noperators) {
		fputs(" Operators: ", out);
		for (size_t i = 0; i < r->noperators; i++) {
			fputs(i ? ", " : "", out);
			esc(out, r->operators[i]);
		}
		fputs(".", out);
	}
	if (r->nsites) {
		fputs(" Sites: ", out);
		for (size_t i = 0; i < r->nsites; i++) {
			fputs(i ? ", " : "", out);
			esc(out, r->sites[i]);
		}
		fputs(".", out);
	}
	if (r->domain) {
		fputs(" Domain: ", out);
		esc(out, *r->domain ? r->domain : "(none)");
		fputs(".", out);
	}
	fputs("</p>\n", out);
	if (r->scan.status != SCAN_COMPLETE)
		fprintf(out, "<p class=\"warn\">This scan is %s: its figures are incomplete.</p>\n",
		        scan_status_name(r->scan.status));

	fputs("<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">\n", out);
	card(out, "devices", "%lld", (long long)n);
	card(out, "attributed", "%lld (%.1f%%)", (long long)r->all.attributed, pc(r->all.attributed, n));
	card(out, "unattributed", "%lld", (long long)(n - r->all.attributed));
	card(out, "high-risk vendors", "%lld (%.1f%%)", (long long)r->all.high_risk, pc(r->all.high_risk, n));
	card(out, "high-risk in core functions", "%lld", (long long)r->core_high_risk);
	card(out, "other makers' components", "%lld", (long long)r->components);
	fputs("</div>\n", out);
	fprintf(out, "<p>Confidence of the attributed: high (&ge;%d) %lld, medium (&ge;%d) %lld, low %lld.",
	        REPORT_BAND_HIGH, (long long)r->band[BAND_HIGH], REPORT_BAND_MEDIUM, (long long)r->band[BAND_MEDIUM],
	        (long long)r->band[BAND_LOW]);
	if (r->targets)
		fprintf(out, " Targets polled: %lld (%lld answered, %lld unreachable, %lld refused credentials, %lld errors).",
		        (long long)r->targets, (long long)r->answered, (long long)r->unreachable, (long long)r->refused,
		        (long long)r->target_errors);
	fputs("</p>\n<div class=\"charts\">\n", out);
	count_chart(out, "Share of devices by vendor", "chart-vendor", r->by_vendor, r->nvendor, n);
	count_chart(out, "Share of devices by jurisdiction", "chart-jurisdiction", r->by_country, r->ncountry, n);
	{
		struct bar b[64];
		double marks[64];
		size_t k = 0;
		for (size_t i = 0; i < r->all.ndomains && k < 64; i++, k++) {
			const struct report_domain *d = &r->all.domains[i];
			b[k].label = d->domain;
			b[k].share = report_share(d->high_risk, d->n);
			b[k].n = d->high_risk;
			b[k].red = d->high_risk > 0;
			marks[k] = -1;
			for (size_t q = 0; q < r->nrules; q++) {
				const struct kb_prule *p = r->rules[q].rule;
				if (p->type == KB_PR_CAP && !strcmp(p->scope, "domain") && !strcmp(p->target, d->domain))
					marks[k] = p->pct / 100.0;
				else if (p->type == KB_PR_EXCLUDE && !strcmp(p->scope, "domain") && !strcmp(p->target, d->domain))
					marks[k] = 0;
			}
		}
		bar_chart(out, "High-risk share per domain (dashed: the policy's cap)", "chart-domain", b, k, marks);
	}
	fputs("</div>\n", out);

	fputs("<h2 id=\"domains\">By domain</h2>\n", out);
	domain_table(out, &r->all);
	fputs("<h2 id=\"vendors\">By vendor</h2>\n", out);
	counts_table(out, "vendor", r->by_vendor, r->nvendor, n);
	fputs("<h2 id=\"groups\">By vendor group (parent in force)</h2>\n", out);
	counts_table(out, "group", r->by_group, r->ngroup, n);
	fputs("<h2 id=\"jurisdictions\">By jurisdiction</h2>\n", out);
	counts_table(out, "jurisdiction", r->by_country, r->ncountry, n);

	ran_section(out, &r->ran);

	fprintf(out, "<h2 id=\"core\">High-risk vendors in core functions</h2>\n<p>%lld of %lld devices in core "
	             "functions (%.1f%%).</p>\n",
	        (long long)r->core_high_risk, (long long)r->core_n, pc(r->core_high_risk, r->core_n));
	if (r->core_high_risk) {
		struct lst l = {out, 0, 0};
		fputs(dev_head, out);
		fputs("</tr>\n", out);
		rc |= report_each_core_device(r, device_row_cb, &l);
		list_end(&l);
	}

	fputs("<h2 id=\"policy\">Policy ", out);
	esc(out, r->policy->id);
	fputs(", rule by rule</h2>\n", out);
	if (!r->nrules)
		fputs("<p>This policy names high-risk vendors only: it sets no exclusion, cap or concentration limit.</p>\n", out);
	for (size_t i = 0; i < r->nrules; i++) {
		const struct report_rule *rr = &r->rules[i];
		const char *st = report_rule_status(rr);
		char from[11] = "";
		if (rr->rule->from)
			report_date_text(rr->rule->from, from);
		fprintf(out, "<h3><span class=\"%s\">%s</span> %s ", !strcmp(st, "met") ? "ok" : !strcmp(st, "due") ? "due" : "tag",
		        !strcmp(st, "met") ? "met" : !strcmp(st, "due") ? "due" : "BROKEN", report_rule_type(rr->rule));
		esc(out, rr->rule->text);
		fputs("</h3>\n", out);
		if (rr->broken)
			fprintf(out, "<p>%lld devices behind it; %lld to remove%s%s.</p>\n", (long long)rr->devices,
			        (long long)rr->to_remove, rr->in_force ? "" : " by ", rr->in_force ? "" : from);
		if (rr->nparts) {
			fputs("<div class=\"scroll\"><table><tr><th>operator</th><th>devices</th><th>counted</th><th>share</th>"
			      "<th>limit</th><th>vendor group</th><th></th></tr>\n",
			      out);
			for (size_t k = 0; k < rr->nparts; k++) {
				const struct report_rule_part *p = &rr->parts[k];
				fprintf(out, "<tr%s>", p->broken ? " class=\"hr\"" : "");
				td(out, p->operator_name ? p->operator_name : "(none named)");
				fprintf(out, "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td>"
				             "<td class=\"n\">%.0f%%</td>",
				        (long long)p->n, (long long)p->count, 100.0 * p->share, rr->rule->pct);
				td(out, p->group_name);
				fprintf(out, "<td>%s</td></tr>\n", p->broken ? "over" : "within");
			}
			fputs("</table></div>\n", out);
		}
		if (rr->broken) {
			struct lst l = {out, 0, 0};
			fputs(dev_head, out);
			fputs("</tr>\n", out);
			rc |= report_each_rule_device(r, i, device_row_cb, &l);
			list_end(&l);
		}
	}
	if (r->ndeadlines) {
		fputs("<h3>To remove, by date</h3>\n<div class=\"scroll\"><table><tr><th>by</th><th>devices</th><th>rules</th></tr>\n",
		      out);
		for (size_t i = 0; i < r->ndeadlines; i++) {
			char d[11] = "now";
			if (r->deadlines[i].date)
				report_date_text(r->deadlines[i].date, d);
			fprintf(out, "<tr><td>%s</td><td class=\"n\">%lld</td><td class=\"n\">%zu</td></tr>\n", d,
			        (long long)r->deadlines[i].to_remove, r->deadlines[i].nrules);
		}
		fputs("</table></div><p>A device may count under several rules.</p>\n", out);
	}

	fputs("<h2 id=\"operators\">By operator</h2>\n", out);
	for (size_t i = 0; i < r->noperator; i++) {
		const struct report_slice *s = &r->by_operator[i];
		fputs("<h3>", out);
		esc(out, s->label);
		fprintf(out, ": %lld devices, %lld high-risk (%.1f%%)</h3>\n", (long long)s->n, (long long)s->high_risk,
		        pc(s->high_risk, s->n));
		domain_table(out, s);
	}
	fputs("<h2 id=\"sites\">By site</h2>\n<div class=\"scroll\"><table><tr><th>site</th><th>operator</th>"
	      "<th>devices</th><th>high-risk</th><th>share</th></tr>\n",
	      out);
	for (size_t i = 0; i < r->nsite; i++) {
		const struct report_slice *s = &r->by_site[i];
		fprintf(out, "<tr%s>", s->high_risk ? " class=\"hr\"" : "");
		td(out, s->label);
		td(out, s->operator_name);
		fprintf(out, "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td></tr>\n",
		        (long long)s->n, (long long)s->high_risk, pc(s->high_risk, s->n));
	}
	fputs("</table></div>\n", out);

	fputs("<h2 id=\"trend\">Trend over complete scans</h2>\n<div class=\"scroll\"><table><tr><th>scan</th><th>date</th>"
	      "<th>devices</th><th>high-risk</th><th>share</th><th>per domain (high-risk / devices)</th></tr>\n",
	      out);
	for (size_t i = 0; i < r->ntrend; i++) {
		const struct report_trend *t = &r->trend[i];
		char d[11];
		report_date_text(t->date, d);
		fprintf(out, "<tr><td class=\"n\">%lld</td><td>%s</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
		             "<td class=\"n\">%.1f%%</td><td>",
		        (long long)t->scan_id, d, (long long)t->n, (long long)t->high_risk, pc(t->high_risk, t->n));
		for (size_t k = 0; k < t->ndomains; k++) {
			esc(out, t->domains[k].key);
			fprintf(out, " %lld/%lld%s", (long long)t->domains[k].high_risk, (long long)t->domains[k].n,
			        k + 1 < t->ndomains ? "; " : "");
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table></div>\n", out);

	fputs("<h2 id=\"firmware\">Firmware in use</h2>\n<div class=\"scroll\"><table><tr><th>vendor</th><th>model</th>"
	      "<th>firmware</th><th>devices</th></tr>\n",
	      out);
	for (size_t i = 0; i < r->nfirmware; i++) {
		const struct report_firmware *f = &r->firmware[i];
		fprintf(out, "<tr%s>", f->high_risk ? " class=\"hr\"" : "");
		td(out, f->vendor_name);
		td(out, f->model);
		td(out, f->firmware);
		fprintf(out, "<td class=\"n\">%lld</td></tr>\n", (long long)f->n);
	}
	fputs("</table></div>\n", out);

	fprintf(out, "<h2 id=\"components\">Components of another maker (%lld)</h2>\n", (long long)r->components);
	fputs("<div class=\"scroll\"><table><tr><th>device</th><th>device vendor</th><th>from</th><th>component</th>"
	      "<th>description</th><th>maker as seen</th><th>maker</th><th>jurisdiction</th><th>model</th><th>serial</th></tr>\n",
	      out);
	rc |= report_each_component(r, component_cb, out);
	fputs("</table></div>\n", out);

	if (r->refused || r->target_errors) {
		fprintf(out, "<h2 id=\"refused\">Targets that refused our credentials (%lld) or failed (%lld), and why</h2>\n",
		        (long long)r->refused, (long long)r->target_errors);
		fputs("<div class=\"scroll\"><table><tr><th>address</th><th>outcome</th><th>why</th></tr>\n", out);
		rc |= report_each_problem_target(r, problem_cb, out);
		fputs("</table></div>\n", out);
	}

	fputs("<h2 id=\"disputed\">Disputed devices (evidence names more than one maker)</h2>\n", out);
	fputs(dev_head, out);
	fputs("<th>evidence that decided</th></tr>\n", out);
	struct lst dl = {out, 0, 1};
	rc |= report_each_disputed(r, device_row_cb, &dl);
	fputs("</table></div>\n", out);

	fprintf(out, "<h2 id=\"unattributed\">Unattributed devices (%lld) and what was seen of them</h2>\n",
	        (long long)(n - r->all.attributed));
	fputs("<div class=\"scroll\"><table><tr><th>address</th><th>name</th><th>site</th><th>seen</th></tr>\n", out);
	rc |= report_each_unattributed(r, unattributed_cb, out);
	fputs("</table></div>\n", out);

	fputs("<h2 id=\"devices\">Devices</h2>\n", out);
	fputs(dev_head, out);
	fputs("<th>evidence that decided</th></tr>\n", out);
	struct lst l = {out, 0, 1};
	rc |= report_each_device(r, device_row_cb, &l);
	fputs("</table></div>\n", out);
	fputs("<p class=\"meta\">Written by originscan. Every figure above is traceable to the evidence listed with "
	      "each device.</p>\n</body></html>\n",
	      out);
	return rc || ferror(out) ? -1 : 0;
}
