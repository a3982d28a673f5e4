/* Private to scanner/report/: the pieces of the report model built in
 * their own files. */
#ifndef OS_REPORT_INT_H
#define OS_REPORT_INT_H
#include "report.h"

/* The RAN section (report_ran.c): r->policy, r->date and r->st set. */
int report_ran_build(struct report *r, const struct device_filter *base, char *err, size_t errlen);
void report_ran_free(struct report *r);
#endif
