/* Streaming JSON writer (scanner/jsonw.h). */
#include <math.h>
#include <string.h>

#include "jsonw.h"

void jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof *w);
	w->f = f;
	w->compact = JW_MAX_DEPTH;
}

void jw_done(struct jw *w)
{
	buf_free(&w->b);
}

static void indent(struct jw *w)
{
	if (w->depth >= w->compact)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void put_str(struct jw *w, const char *s, size_t len)
{
	buf_reset(&w->b);
	buf_addc(&w->b, '"');
	buf_json_str(&w->b, s, len);
	buf_addc(&w->b, '"');
	fwrite(w->b.p, 1, w->b.len, w->f);
}

/* Comma, newline and indentation, then "key": when in an object. */
static void lead(struct jw *w, const char *key)
{
	if (w->depth > 0 && w->count[w->depth]++)
		fputc(',', w->f);
	if (w->depth > 0)
		indent(w);
	if (key) {
		put_str(w, key, strlen(key));
		fputs(w->depth >= w->compact ? ":" : ": ", w->f);
	}
}

static void open_c(struct jw *w, const char *key, char c)
{
	lead(w, key);
	fputc(c, w->f);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->count[w->depth] = 0;
	w->close[w->depth] = c == '{' ? '}' : ']';
}

void jw_obj(struct jw *w, const char *key)
{
	open_c(w, key, '{');
}

void jw_arr(struct jw *w, const char *key)
{
	open_c(w, key, '[');
}

void jw_end(struct jw *w)
{
	if (w->depth <= 0)
		return;
	int members = w->depth;
	char c = w->close[members];
	w->depth--;
	if (w->count[members] && members < w->compact)
		indent(w);
	fputc(c, w->f);
	if (!w->depth)
		fputc('\n', w->f);
}

void jw_str(struct jw *w, const char *key, const char *v)
{
	if (!v) {
		jw_null(w, key);
		return;
	}
	jw_strn(w, key, v, strlen(v));
}

void jw_strn(struct jw *w, const char *key, const char *v, size_t len)
{
	lead(w, key);
	put_str(w, v, len);
}

void jw_int(struct jw *w, const char *key, int64_t v)
{
	lead(w, key);
	fprintf(w->f, "%lld", (long long)v);
}

void jw_num(struct jw *w, const char *key, double v)
{
	lead(w, key);
	if (!isfinite(v))
		fputs("null", w->f);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(w->f, "%.0f", v);
	else
		fprintf(w->f, "%.6g", v);
}

void jw_bool(struct jw *w, const char *key, int v)
{
	lead(w, key);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jw *w, const char *key)
{
	lead(w, key);
	fputs("null", w->f);
}

void jw_raw(struct jw *w, const char *key, const char *json, const char *dflt)
{
	lead(w, key);
	fputs(json && *json ? json : dflt, w->f);
}

void jw_compact(struct jw *w, int on)
{
	w->compact = on ? w->depth + 1 : JW_MAX_DEPTH;
}

void jw_date(struct jw *w, const char *key, int date)
{
	if (date <= 0) {
		jw_null(w, key);
		return;
	}
	char t[16];
	snprintf(t, sizeof t, "%04d-%02d-%02d", date / 10000 % 10000, date / 100 % 100, date % 100);
	jw_str(w, key, t);
}

void jw_time(struct jw *w, const char *key, int64_t us)
{
	if (us <= 0) {
		jw_null(w, key);
		return;
	}
	char t[32];
	os_iso_time(us, t, sizeof t);
	jw_str(w, key, t);
}
