/* Private to scanner/report/: what several renderers share, and the
 * pieces of the report model and diff built in their own files. */
#ifndef OS_REPORT_INT_H
#define OS_REPORT_INT_H
#include "diff.h"
#include "jsonw.h"
#include "report.h"
#include "util.h"

/* One CSV cell into b (RFC 4180 quoting; a cell beginning with = + - @,
 * tab or CR gets a leading apostrophe so that a spreadsheet never runs it
 * as a formula; control bytes and bytes that are not UTF-8 as \xNN), with
 * a comma before it unless first. report_csv.c; the NetBox export uses it
 * too. */
void report_csv_cell(struct buf *b, const char *s, int first);

/* A device string cut to at most max bytes on a UTF-8 character boundary
 * (into out, which holds max + 1): for fields other tools bound. */
const char *report_cut(const char *s, char *out, size_t max);

/* The RAN section (report_ran.c): r->policy, r->date and r->st set. */
int report_ran_build(struct report *r, const struct device_filter *base, char *err, size_t errlen);
void report_ran_free(struct report *r);
/* The base station part of a diff (diff_ran.c; diff_build, diff_free and
 * the diff renderers call these). */
int diff_ran_build(struct store *st, struct diff *d, char *err, size_t errlen);
void diff_ran_free(struct diff *d);
int diff_ran_render_text(const struct diff *d, FILE *out, size_t limit);
void diff_ran_render_json(const struct diff *d, struct jw *w);
/* A device string for the diff's text: control bytes as \xNN, "-" when empty. */
void diff_tput(FILE *out, const char *s);
#endif
