/* Streaming JSON writer (include/jsonw.h). */
#include <math.h>
#include <string.h>

#include "jsonw.h"

void jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof *w);
	w->f = f;
	w->compact = JW_MAX_DEPTH;
}

#define FLUSH_AT (64 * 1024)

static void flush(struct jw *w)
{
	if (w->out.len)
		fwrite(w->out.p, 1, w->out.len, w->f);
	buf_reset(&w->out);
}

static void put(struct jw *w, const char *s, size_t n)
{
	buf_add(&w->out, s, n);
	if (w->out.len >= FLUSH_AT)
		flush(w);
}

static void putc_(struct jw *w, char c)
{
	buf_addc(&w->out, c);
}

static void puts_(struct jw *w, const char *s)
{
	put(w, s, strlen(s));
}

void jw_done(struct jw *w)
{
	flush(w);
	buf_free(&w->out);
	buf_free(&w->b);
}

static void indent(struct jw *w)
{
	if (w->depth >= w->compact)
		return;
	putc_(w, '\n');
	for (int i = 0; i < w->depth; i++)
		put(w, "  ", 2);
}

static void put_str(struct jw *w, const char *s, size_t len)
{
	/* most strings are plain ASCII with nothing to escape: write them as
	 * they are, and escape only the others */
	size_t i = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (i < len && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
		i++;
	if (i == len) {
		putc_(w, '"');
		put(w, s, len);
		putc_(w, '"');
		return;
	}
	buf_reset(&w->b);
	buf_addc(&w->b, '"');
	buf_json_str(&w->b, s, len);
	buf_addc(&w->b, '"');
	put(w, w->b.p, w->b.len);
}

/* Comma, newline and indentation, then "key": when in an object. */
static void lead(struct jw *w, const char *key)
{
	if (w->depth > 0 && w->count[w->depth]++)
		putc_(w, ',');
	if (w->depth > 0)
		indent(w);
	if (key) {
		put_str(w, key, strlen(key));
		puts_(w, w->depth >= w->compact ? ":" : ": ");
	}
}

static void open_c(struct jw *w, const char *key, char c)
{
	lead(w, key);
	putc_(w, c);
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
	putc_(w, c);
	if (!w->depth)
		putc_(w, '\n');
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
	char t[24];
	lead(w, key);
	put(w, t, (size_t)snprintf(t, sizeof t, "%lld", (long long)v));
}

void jw_num(struct jw *w, const char *key, double v)
{
	char t[40];
	lead(w, key);
	if (!isfinite(v))
		puts_(w, "null");
	else if (v == floor(v) && fabs(v) < 1e15)
		put(w, t, (size_t)snprintf(t, sizeof t, "%.0f", v));
	else
		put(w, t, (size_t)snprintf(t, sizeof t, "%.6g", v));
}

void jw_bool(struct jw *w, const char *key, int v)
{
	lead(w, key);
	puts_(w, v ? "true" : "false");
}

void jw_null(struct jw *w, const char *key)
{
	lead(w, key);
	puts_(w, "null");
}

void jw_raw(struct jw *w, const char *key, const char *json, const char *dflt)
{
	lead(w, key);
	puts_(w, json && *json ? json : dflt);
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
