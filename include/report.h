/* Reports: one model built from a scan's verdicts, several renderers.
 *
 * report_build() reads the store once and computes everything a renderer
 * shows; renderers only format (and escape, each for its own format:
 * device strings are hostile). */
#ifndef OS_REPORT_H
#define OS_REPORT_H
#include <stdint.h>
#include <stdio.h>

#include "kb.h"
#include "store.h"

struct report_device {
	char *identity, *address, *addresses;
	char *vendor, *vendor_name, *name_seen, *group, *group_name, *jurisdiction;
	char *product, *model, *firmware, *role, *function, *domain, *site;
	int confidence;
	int high_risk;
	char *high_risk_why;
	char *verdict_json;
};

struct report_count {
	char *key, *label;
	int64_t n, high_risk;
};

struct report {
	struct scan_info scan;
	const struct kb_policy *policy;
	int date;                       /* ownership/policy date used */
	struct report_device *dev;
	size_t ndev;
	int64_t attributed, high_risk;
	int64_t targets, answered, unreachable, target_errors;
	struct report_count *by_vendor, *by_group, *by_country;
	size_t nvendor, ngroup, ncountry;
};

/* as_of = 0: the scan's own date. policy NULL: "default". */
int report_build(struct store *st, int64_t scan_id, const char *policy, int as_of,
                 struct report *out, char *err, size_t errlen);
void report_free(struct report *r);
int report_render_text(const struct report *r, FILE *out);
int report_render_json(const struct report *r, FILE *out);
#endif
