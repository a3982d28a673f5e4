/* Scan diffs: two complete scans compared by device identity
 * (../shared/DESIGN.md: vendor + chassis serial, else chassis id or base
 * MAC, else the management address).
 *
 *   added     identity only in the new scan
 *   removed   identity only in the old scan
 *   changed   same identity, same address, other firmware, model, vendor
 *             verdict or high-risk standing
 *   moved     same identity, another address (other changes listed too)
 *   replaced  an address whose old device is gone and where a device of
 *             another identity now answers; says whether the vendor changed
 *
 * diff_build() walks both scans in identity order side by side (two
 * store cursors, a merge join): memory grows with the number of
 * differences (about 300 bytes each), not with the size of the scans.
 * Only complete scans are compared: an interrupted or failed scan's
 * missing devices would look removed.
 */
#ifndef OS_DIFF_H
#define OS_DIFF_H
#include <stdint.h>
#include <stdio.h>

#include "kb.h"
#include "store.h"

enum {
	DIFF_ADDRESS = 1 << 0,
	DIFF_FIRMWARE = 1 << 1,
	DIFF_MODEL = 1 << 2,
	DIFF_VENDOR = 1 << 3,
	DIFF_HIGH_RISK = 1 << 4,        /* high-risk standing changed (vendor or ownership) */
};

struct diff_dev {
	char *identity, *address, *vendor, *vendor_name, *model, *firmware, *domain, *site, *operator_name;
	char *name;                     /* what the device calls itself, or NULL */
	int confidence, high_risk;
};

struct diff_pair {
	struct diff_dev old, new;
	unsigned changes;
};

struct diff_domain {
	char *domain;
	int64_t old_n, old_hr, new_n, new_hr;
};

/* A base station (function bts, nodeb, enb or gnb) as the RAN part of a
 * diff sees it (scanner/report/diff_ran.c). site: the OSS location (else
 * label), else the site map's site, else NULL (the station pairs by
 * identity only). */
struct diff_bs {
	char *identity, *site, *region, *vendor, *vendor_name, *technologies;
	int64_t cells;
	int high_risk;
};
struct diff_bs_pair {
	struct diff_bs old, new;
};

struct diff {
	struct scan_info old, new;
	const struct kb_policy *policy;
	int old_date, new_date;
	struct diff_dev *added, *removed;
	size_t nadded, nremoved;
	struct diff_pair *changed, *moved, *replaced;
	size_t nchanged, nmoved, nreplaced;
	struct diff_domain *domains;
	size_t ndomains;
	int64_t unchanged;
	int64_t new_high_risk;          /* high-risk in new, absent or not high-risk in old */
	int64_t gone_high_risk;         /* high-risk in old, absent or not high-risk in new */
	int64_t replaced_vendor_changed;
	int kb_differs;                 /* verdicts from different knowledge bases */
	int scope_differs;              /* the scans cover different targets or plans (--any-scope) */
	/* Base stations: identity only in one scan, unless a station of the
	 * other scan stood at the same site; swapped: same site (or same
	 * identity), another vendor (a rip-and-replace); rebuilt: same site and
	 * vendor, another identity. Both scans' stations are held while
	 * building (about 200 bytes each). */
	int64_t bs_old, bs_new;
	struct diff_bs *bs_added, *bs_removed;
	size_t nbs_added, nbs_removed;
	struct diff_bs_pair *bs_swapped, *bs_rebuilt;
	size_t nbs_swapped, nbs_rebuilt;
};

/* What a diff compares beyond the two scans. */
struct diff_opts {
	const char *policy;             /* NULL: default */
	const char *const *operators;   /* only these operators' devices */
	size_t noperators;
	const char *const *sites;       /* only these sites' devices */
	size_t nsites;
	const char *domain;             /* only this domain's, or NULL */
	int any_scope;                  /* compare scans of different scopes anyway */
};

/* -1 with err when a scan is missing or not complete (the message names
 * the scan and its status), or when the two cover different things (a
 * sweep of other targets, another plan: its devices would look removed)
 * unless o->any_scope. */
int diff_build(struct store *st, int64_t old_id, int64_t new_id, const struct diff_opts *o, struct diff *d,
               char *err, size_t errlen);
void diff_free(struct diff *d);
int64_t diff_count(const struct diff *d);
/* Text for a mail: summary, then the most important first; limit lines per
 * section (0 = all). Nothing at all when there is no difference. */
int diff_render_text(const struct diff *d, FILE *out, size_t limit);
int diff_render_json(const struct diff *d, FILE *out);
/* The devices that became high-risk, in the text's order: added ones (p
 * NULL, how "added"), and replaced, changed or moved ones whose new side
 * is high-risk and old side was not (p the pair, how "replaced" or "now
 * high-risk"). Stops at the first non-zero return of cb. */
int diff_each_new_high_risk(const struct diff *d,
                            int (*cb)(void *ctx, const struct diff_dev *x, const struct diff_pair *p, const char *how),
                            void *ctx);
/* The summary and each new high-risk device as RFC 5424 messages to the
 * local syslog socket (/dev/log, or $ORIGINSCAN_SYSLOG_SOCKET);
 * scanner/report/diff_syslog.c. -1 with err when it cannot be reached. */
int diff_send_syslog(const struct diff *d, char *err, size_t errlen);
#endif
