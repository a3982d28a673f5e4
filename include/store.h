/* The store: scans, raw evidence, per-target outcomes and verdicts.
 *
 * This is the only way into the database: collectors write through the
 * ev_sink a scan hands out, attribution writes verdicts, reports read.
 * The one backend today is SQLite (db/store_sqlite.c); a second backend
 * implements these functions and nothing above this header changes.
 *
 * All functions return 0 on success and -1 on failure, with a one-line
 * reason in store_errmsg(). Nothing is printed here.
 */
#ifndef OS_STORE_H
#define OS_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "evidence.h"

struct store;

enum scan_status {
	SCAN_RUNNING = 0,
	SCAN_COMPLETE,
	SCAN_FAILED,
	SCAN_INTERRUPTED,
};
const char *scan_status_name(enum scan_status s);
int scan_status_parse(const char *s, enum scan_status *out);

struct scan_info {
	int64_t id;
	int64_t started_us, ended_us;   /* ended 0 while running */
	enum scan_status status;
	char *command;                  /* "snmp", "capture", "scan" ... */
	char *request;                  /* JSON: what was asked (no secrets) */
	char *kb_version;
	char *note;                     /* why failed/interrupted, or NULL */
	char *attrib_kb;                /* knowledge base of the stored verdicts */
	int attrib_as_of;               /* --as-of used for them, 0 = scan date */
	int64_t evidence_rows;
	int64_t devices;
	int64_t targets, answered;
	char *site_map;                 /* JSON site map attribution used, or NULL */
	char *plan;                     /* request's "plan" (scan -f's [scan NAME]), or NULL */
	int64_t attributed;             /* devices with a vendor */
};
void scan_info_free(struct scan_info *si);

/* Opens (creating and migrating as needed) the database at path.
 * Refuses a file that is not an originscan database or whose schema is
 * newer than this program knows. A read-only open (STORE_READ) never
 * creates a database. */
enum { STORE_READ = 1 };
struct store *store_open(const char *path, char *err, size_t errlen);
struct store *store_open_flags(const char *path, unsigned flags, char *err, size_t errlen);
void store_close(struct store *st);
const char *store_errmsg(const struct store *st);
const char *store_path(const struct store *st);

/* Scans. begin commits a 'running' row at once, so a crash leaves the
 * scan visibly unfinished; finish commits what is pending and sets the
 * final status in the same transaction. A running scan belongs to the
 * process that runs it: only that process may finish it, write its
 * verdicts (store_devices_begin) or its site map; anything else is
 * refused with a reason, and a scan that has ended cannot be finished
 * again. */
int store_begin_scan(struct store *st, const char *command, const char *request_json,
                     const char *kb_version, int64_t *scan_id);
int store_finish_scan(struct store *st, int64_t scan_id, enum scan_status status,
                      const char *note);
/* The sink collectors write to. Rows are batched into transactions and
 * committed every few thousand rows or on store_commit(). */
struct ev_sink *store_sink(struct store *st, int64_t scan_id);
int store_commit(struct store *st);

int store_scan_info(struct store *st, int64_t scan_id, struct scan_info *out);
/* Latest scan id (complete_only: latest complete one); *id = 0 if none. */
int store_latest_scan(struct store *st, int complete_only, int64_t *id);
/* Newest first. */
int store_each_scan(struct store *st, int (*cb)(void *ctx, const struct scan_info *si),
                    void *ctx);

/* Resume state of a sweep that visits targets in a fixed order
 * (include/targets.h): every position below done_below has its outcome
 * stored; no position from granted on was ever started. Written in the
 * batch transaction, after the outcomes it covers, so a crash never
 * leaves a point ahead of what is stored. get returns 1 if none. */
int store_set_resume_point(struct store *st, int64_t scan_id, uint64_t done_below, uint64_t granted);
int store_get_resume_point(struct store *st, int64_t scan_id, uint64_t *done_below, uint64_t *granted);
/* 1 if the scan holds an outcome for this address, 0 if not. */
int store_target_done(struct store *st, int64_t scan_id, const char *address);
/* Delete the scan's evidence whose source is one of sources_json (a JSON
 * array of strings): what targets left half-polled by an interruption
 * said, before they are polled again. Commits. */
int store_drop_partial(struct store *st, int64_t scan_id, const char *sources_json);
/* An interrupted or failed scan becomes 'running' again in this process;
 * anything else is refused with a reason. */
int store_reopen_scan(struct store *st, int64_t scan_id);

/* Evidence of a scan in storage order (fastest; no order promised). */
int store_each_evidence_stored(struct store *st, int64_t scan_id,
                               int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id),
                               void *ctx);
/* Evidence of a scan, ordered by subject kind, subject, then insertion. */
int store_each_evidence(struct store *st, int64_t scan_id,
                        int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id),
                        void *ctx);

struct target_row {
	const char *address, *state, *detail, *credential;
};
int store_each_target(struct store *st, int64_t scan_id,
                      int (*cb)(void *ctx, const struct target_row *t), void *ctx);

/* A device and its verdict, as attribution decided it. Strings may be
 * NULL when unknown. verdict_json carries the whole verdict: claims,
 * reasons, the evidence rows behind them, conflicts, components. */
struct device_row {
	int64_t id;
	const char *identity;       /* "serial:huawei:2102..", "mac:..", "ip:.." */
	const char *name;           /* what the device calls itself (sysName, LLDP/CDP, DHCP), or NULL */
	const char *address;        /* primary management address */
	const char *addresses;      /* JSON array of every address */
	const char *vendor;         /* canonical vendor id */
	const char *vendor_name;    /* display name */
	const char *name_seen;      /* maker name as the evidence spelled it */
	const char *grp;            /* group (parent in force) id */
	const char *jurisdiction;   /* ISO country of the vendor's home */
	const char *product, *model, *firmware, *role, *function;
	const char *domain, *site, *operator_name;
	const char *domain_from;    /* "site-map" or "role": where the domain came from */
	int confidence;             /* 0..100 */
	int foreign_parts;          /* components (ENTITY-MIB, LLDP-MED) of another maker group */
	const char *foreign_vendors;/* their vendor ids, space-separated, or NULL */
	const char *brand;          /* brand id when another maker made it, or NULL */
	int registry_only;          /* the maker is known only from the registries */
	const char *possibly;       /* high-risk makers weak or outvoted evidence named
	                             * (vendor ids, space-separated), or NULL */
	const char *verdict_json;
	/* Filled by store_each_device_q() when the filter asks for parts
	 * instead of the whole verdict (JSON text, or NULL): */
	const char *claims_json, *components_json;
	const char *found_json;     /* how a crawl met it: {"via","depth"[,"not_polled"]}, or NULL */
	int disputed;
	int64_t scan_id;            /* store_device_history() only */
};
/* Replace every device of a scan in one transaction (attribution and
 * reattribution both go through here). */
int store_devices_begin(struct store *st, int64_t scan_id);
int store_put_device(struct store *st, int64_t scan_id, const struct device_row *d);
int store_devices_end(struct store *st, int commit);
/* Record which knowledge base (and --as-of) the stored verdicts came from;
 * call inside the devices transaction. */
int store_set_attribution(struct store *st, int64_t scan_id, const char *kb_version, int as_of);
int store_each_device(struct store *st, int64_t scan_id,
                      int (*cb)(void *ctx, const struct device_row *d), void *ctx);

/* ---- reading verdicts for reports and diffs ----
 * A filter selects a scan's devices; every condition is optional and
 * they combine with AND. Values are bound, never spliced into SQL. */
enum device_verdict_cols {
	DEV_VERDICT_NONE = 0,       /* no verdict text (fast) */
	DEV_VERDICT_WHOLE,          /* verdict_json */
	DEV_VERDICT_PARTS,          /* claims_json, components_json, disputed */
};
enum device_order { DEV_ORDER_ID = 0, DEV_ORDER_IDENTITY };
struct device_filter {
	int64_t scan_id;
	const char *const *operators;   /* only these operators ("" = none set) */
	size_t noperators;
	const char *domain;             /* only this domain ("" = none set) */
	const char *const *functions;   /* only these functions */
	size_t nfunctions;
	const char *const *vendors;     /* only these vendor ids */
	size_t nvendors;
	int or_core;                    /* with functions: OR domain = 'core' */
	int attributed;                 /* 1 attributed only, -1 unattributed only */
	int foreign_parts;              /* 1 only devices with parts of another maker */
	int disputed;                   /* 1 only devices whose evidence names another maker too */
	enum device_verdict_cols verdict;
	enum device_order order;
};
int store_each_device_q(struct store *st, const struct device_filter *f,
                        int (*cb)(void *ctx, const struct device_row *d), void *ctx);
/* The same as a cursor, for walking two scans side by side (diffs).
 * store_device_next: 1 a row (valid until the next call), 0 the end, -1
 * an error. */
struct device_cursor;
struct device_cursor *store_device_cursor(struct store *st, const struct device_filter *f);
int store_device_next(struct device_cursor *c, struct device_row *out);
void store_device_cursor_close(struct device_cursor *c);

/* Device counts of a scan grouped by everything a report summary needs;
 * band: 0 unattributed, 1 low (< 50), 2 medium (50-79), 3 high (>= 80). */
struct device_count {
	const char *domain, *site, *operator_name, *vendor, *grp, *jurisdiction, *function;
	int band;
	int64_t n;
};
int store_device_counts(struct store *st, const struct device_filter *f,
                        int (*cb)(void *ctx, const struct device_count *c), void *ctx);
/* Components of another maker: devices per list of their vendors
 * (device_row.foreign_vendors). Uses f->scan_id and f->operators. */
int store_foreign_part_counts(struct store *st, const struct device_filter *f,
                              int (*cb)(void *ctx, const char *vendors, int64_t n), void *ctx);
/* Firmware in use: (vendor, model, firmware) with counts, attributed
 * devices only. Uses f->scan_id and f->operators. */
struct firmware_count {
	const char *vendor, *model, *firmware;
	int64_t n;
};
int store_firmware_counts(struct store *st, const struct device_filter *f,
                          int (*cb)(void *ctx, const struct firmware_count *c), void *ctx);
/* Per complete scan of the same command and plan as scan_id (oldest
 * first): devices per (domain, vendor). Only f->operators is used. */
struct trend_count {
	int64_t scan_id, started_us;
	const char *domain, *vendor;
	int64_t n;
};
int store_trend_counts(struct store *st, int64_t scan_id, const struct device_filter *f,
                       int (*cb)(void *ctx, const struct trend_count *c), void *ctx);
/* Evidence rows about one subject ("ip:192.0.2.1", "mac:...") of a scan. */
int store_each_subject_evidence(struct store *st, int64_t scan_id, const char *subject,
                                int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id),
                                void *ctx);
/* A device across scans, oldest scan first, d->scan_id set: rows whose
 * identity is key (or "ip:"/"mac:"/"chassis:" key) or whose primary
 * address is key; else whose name is key (case aside, or its first label);
 * else one of whose identifiers (every MAC, address, chassis id) or
 * serials (the chassis', its components') is key. A MAC is given in the
 * stored form (lower case, colons). */
int store_device_history(struct store *st, const char *key,
                         int (*cb)(void *ctx, const struct scan_info *si, const struct device_row *d),
                         void *ctx);
/* The complete scan before scan_id with the same command and plan; 0 if none. */
int store_previous_complete(struct store *st, int64_t scan_id, int64_t *prev);
/* The structure of the database file checked (SQLite's quick_check) when
 * that is cheap: a file of at most max_bytes. 0 sound or not checked, -1
 * damaged (the reason in store_errmsg). Commands that replace stored
 * verdicts call it first. */
int store_verify(struct store *st, int64_t max_bytes);
/* The site map attribution uses for a scan (JSON, see scanner/plan/sitemap.c). */
int store_set_site_map(struct store *st, int64_t scan_id, const char *site_map_json);
/* Deletes every scan but the newest keep complete ones, except running
 * scans and failed/interrupted scans newer than the oldest kept. With
 * dry_run nothing is deleted. *deleted = how many scans (would) go. */
int store_prune(struct store *st, int keep, int dry_run,
                int (*cb)(void *ctx, const struct scan_info *si), void *ctx, int64_t *deleted);
#endif
