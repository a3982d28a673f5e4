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
};
void scan_info_free(struct scan_info *si);

/* Opens (creating and migrating as needed) the database at path.
 * Refuses a file that is not an originscan database or whose schema is
 * newer than this program knows. */
struct store *store_open(const char *path, char *err, size_t errlen);
void store_close(struct store *st);
const char *store_errmsg(const struct store *st);
const char *store_path(const struct store *st);

/* Scans. begin commits a 'running' row at once, so a crash leaves the
 * scan visibly unfinished; finish commits what is pending and sets the
 * final status in the same transaction. */
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
	const char *address;        /* primary management address */
	const char *addresses;      /* JSON array of every address */
	const char *vendor;         /* canonical vendor id */
	const char *vendor_name;    /* display name */
	const char *name_seen;      /* maker name as the evidence spelled it */
	const char *grp;            /* group (parent in force) id */
	const char *jurisdiction;   /* ISO country of the vendor's home */
	const char *product, *model, *firmware, *role, *function;
	const char *domain, *site, *operator_name;
	int confidence;             /* 0..100 */
	const char *verdict_json;
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
#endif
