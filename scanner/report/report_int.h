/* Private to scanner/report/: the pieces of the report model built in
 * their own files. */
#ifndef OS_REPORT_INT_H
#define OS_REPORT_INT_H
#include "diff.h"
#include "jsonw.h"
#include "report.h"

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
