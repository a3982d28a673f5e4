/* The CSV renderer: one row per device for spreadsheets (RFC 4180:
 * comma-separated, CRLF line ends, fields quoted when they hold a comma,
 * quote or line break). A cell that begins with = + - @ (or a tab or CR)
 * would be read by a spreadsheet as a formula: such cells get a leading
 * apostrophe (OWASP's CSV injection advice). Control bytes and bytes that
 * are not UTF-8 are written as the text \xNN, as everywhere else. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "util.h"

static const char *const columns[] = {
	"scan", "identity", "address", "addresses", "site", "operator", "domain", "domain_from", "role",
	"function", "vendor", "vendor_name", "name_seen", "group", "group_name", "jurisdiction", "product",
	"model", "firmware", "confidence", "confidence_band", "disputed", "high_risk", "high_risk_reason",
	"findings", "foreign_parts", "evidence", "poll_state", "poll_detail", "name", "brand", "registry_only",
	"possibly", "found",
};

/* One cell into b, escaped; a comma before it unless first. */
void report_csv_cell(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_addc(b, ',');
	if (!s || !*s)
		return;
	struct buf t = {0};
	if (strchr("=+-@\t\r", s[0]))
		buf_addc(&t, '\'');
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t n = p[i] < 0x80 ? 1 : os_utf8_len(p + i, len - i);
		if (p[i] < 0x20 || p[i] == 0x7f || !n) {
			buf_printf(&t, "\\x%02x", p[i]);
			i++;
		} else {
			buf_add(&t, p + i, n);
			i += n;
		}
	}
	if (strpbrk(t.p, ",\"\r\n") || t.p[0] == ' ' || t.p[t.len - 1] == ' ') {
		buf_addc(b, '"');
		for (size_t i = 0; i < t.len; i++) {
			if (t.p[i] == '"')
				buf_addc(b, '"');
			buf_addc(b, t.p[i]);
		}
		buf_addc(b, '"');
	} else
		buf_add(b, t.p, t.len);
	buf_free(&t);
}

static void cell_int(struct buf *b, long long v)
{
	buf_printf(b, ",%lld", v);
}

static void claim_cb(void *ctx, const struct report_claim *c)
{
	struct buf *e = ctx;
	if (e->len)
		buf_adds(e, " | ");
	buf_printf(e, "%s=%s (%s; %s; weight %ld)", c->key ? c->key : "", c->value ? c->value : "",
	           c->basis ? c->basis : "", c->source ? c->source : "", c->weight);
}

struct csv {
	FILE *out;
	struct buf row;
	int64_t scan;
};

static int device_cb(void *ctx, const struct report_device *x)
{
	struct csv *c = ctx;
	const struct device_row *d = x->row;
	struct buf *b = &c->row, tmp = {0};
	buf_reset(b);
	buf_printf(b, "%lld", (long long)c->scan);
	report_csv_cell(b, d->identity, 0);
	report_csv_cell(b, d->address, 0);
	json_t *a = d->addresses ? json_loads(d->addresses, 0, NULL) : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) buf_printf(&tmp, "%s%s", i ? " " : "", json_string_value(v) ? json_string_value(v) : "");
	json_decref(a);
	report_csv_cell(b, tmp.p, 0);
	buf_reset(&tmp);
	report_csv_cell(b, d->site, 0);
	report_csv_cell(b, d->operator_name, 0);
	report_csv_cell(b, d->domain, 0);
	report_csv_cell(b, d->domain_from, 0);
	report_csv_cell(b, d->role, 0);
	report_csv_cell(b, d->function, 0);
	report_csv_cell(b, d->vendor, 0);
	report_csv_cell(b, d->vendor_name, 0);
	report_csv_cell(b, d->name_seen, 0);
	report_csv_cell(b, x->group, 0);
	report_csv_cell(b, x->group_name, 0);
	report_csv_cell(b, d->jurisdiction, 0);
	report_csv_cell(b, d->product, 0);
	report_csv_cell(b, d->model, 0);
	report_csv_cell(b, d->firmware, 0);
	cell_int(b, d->confidence);
	report_csv_cell(b, report_band_name(x->band), 0);
	report_csv_cell(b, d->disputed ? "yes" : "no", 0);
	report_csv_cell(b, x->high_risk ? "yes" : "no", 0);
	report_csv_cell(b, x->high_risk_why, 0);
	for (size_t k = 0; k < x->nfindings; k++)
		buf_printf(&tmp, "%s%s", k ? "; " : "", x->findings[k]);
	report_csv_cell(b, tmp.p, 0);
	buf_reset(&tmp);
	cell_int(b, d->foreign_parts);
	report_claims(x, claim_cb, &tmp);
	report_csv_cell(b, tmp.p, 0);
	/* its address refused our credentials (why, per credential) or failed */
	report_csv_cell(b, x->poll ? x->poll->state : NULL, 0);
	report_csv_cell(b, x->poll ? x->poll->detail : NULL, 0);
	report_csv_cell(b, d->name, 0);
	buf_reset(&tmp);
	report_csv_cell(b, x->brand_name, 0);
	report_csv_cell(b, d->registry_only ? "yes" : "no", 0);
	for (size_t k = 0; k < x->npossibly; k++)
		buf_printf(&tmp, "%s%s", k ? "; " : "", x->possibly[k]);
	report_csv_cell(b, tmp.p, 0);
	buf_free(&tmp);
	/* how a crawl met it (empty: a target, or heard passively) */
	char *found = report_found_text(x);
	report_csv_cell(b, found, 0);
	free(found);
	buf_adds(b, "\r\n");
	fwrite(b->p, 1, b->len, c->out);
	return 0;
}

int report_render_csv(const struct report *r, FILE *out)
{
	struct csv c = {out, {0}, r->scan.id};
	for (size_t i = 0; i < OS_ARRAY_LEN(columns); i++)
		fprintf(out, "%s%s", i ? "," : "", columns[i]);
	fputs("\r\n", out);
	int rc = report_each_device(r, device_cb, &c);
	buf_free(&c.row);
	return rc || ferror(out) ? -1 : 0;
}
