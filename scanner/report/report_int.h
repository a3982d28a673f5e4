/* Private to scanner/report/: what several renderers share. */
#ifndef OS_REPORT_INT_H
#define OS_REPORT_INT_H
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
#endif
