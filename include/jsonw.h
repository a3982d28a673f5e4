/* A streaming JSON writer for the report and diff renderers: output is
 * written as it is produced, so a million-device report never exists as
 * one tree in memory. Strings go through buf_json_str (util.h): escapes,
 * and bytes that are not UTF-8 shown as \xNN text. Pretty-printed with two
 * spaces, except below a depth set with jw_compact() (one device a line).
 * Internal to scanner/. */
#ifndef OS_JSONW_H
#define OS_JSONW_H
#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define JW_MAX_DEPTH 32

struct jw {
	FILE *f;
	int depth;
	int count[JW_MAX_DEPTH];        /* elements written at each depth */
	char close[JW_MAX_DEPTH];       /* '}' or ']' for each open container */
	int compact;                    /* depth from which nothing is indented */
	struct buf b;                   /* scratch for escaping */
	struct buf out;                 /* output, written to f in 64 KiB pieces */
};

void jw_init(struct jw *w, FILE *f);
void jw_done(struct jw *w);                     /* writes what is left and frees the buffers */
/* key is NULL inside arrays and at the top. */
void jw_obj(struct jw *w, const char *key);
void jw_arr(struct jw *w, const char *key);
void jw_end(struct jw *w);                      /* closes the innermost object or array */
void jw_str(struct jw *w, const char *key, const char *v);      /* NULL -> null */
void jw_strn(struct jw *w, const char *key, const char *v, size_t len);
void jw_int(struct jw *w, const char *key, int64_t v);
void jw_num(struct jw *w, const char *key, double v);
void jw_bool(struct jw *w, const char *key, int v);
void jw_null(struct jw *w, const char *key);
/* JSON text produced elsewhere (our own stored verdict parts); NULL -> dflt. */
void jw_raw(struct jw *w, const char *key, const char *json, const char *dflt);
/* Elements deeper than the current depth are written on one line. */
void jw_compact(struct jw *w, int on);
/* A date YYYYMMDD as "YYYY-MM-DD" (0 -> null); a time in µs as ISO-8601. */
void jw_date(struct jw *w, const char *key, int date);
void jw_time(struct jw *w, const char *key, int64_t us);
#endif
