/* The store: scans, raw evidence, per-target outcomes and verdicts.
 *
 * This is the only way into the database: collectors write through the
 * ev_sink a scan hands out, attribution writes verdicts, reports read.
 * Two backends, chosen by the database's name: an SQLite file (the
 * default, embedded) or a PostgreSQL server ("postgresql://..." or
 * "postgres://...", through libpq) that many collectors share. Both keep
 * the same schema version and behave the same above this header
 * (db/store.c holds the logic once; db/README.md).
 *
 * A scan is made of parts: shards of a sweep, the collectors of a scan
 * configuration, sites, imported files. Each part is written by its own
 * process, on any machine, at any time; the scan is complete only when
 * every declared part has completed and the whole scan was attributed.
 * A scan that declares no parts has one, "main".
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
	char *plan;                     /* scan -f's [scan NAME], or NULL */
	int64_t attributed;             /* devices with a vendor */
	char *name;                     /* the name parts join it by, or NULL */
	char *scope;                    /* what it covers: scans compare only within a scope */
	int64_t parts, parts_complete;  /* declared parts, and how many completed */
};
void scan_info_free(struct scan_info *si);

/* Opens the database: an SQLite file path (created and migrated as
 * needed), or a PostgreSQL URI (the schema must exist: store_init; a
 * member of originscan_admin migrates an older one). Refuses a file or
 * database that is not originscan's or whose schema is newer than this
 * program knows, and a URI that carries a password (passwords come from
 * libpq's own sources: ~/.pgpass, PGPASSFILE, PGPASSWORD, a service file).
 * A read-only open (STORE_READ) never creates a database. */
enum { STORE_READ = 1 };
struct store *store_open(const char *spec, char *err, size_t errlen);
struct store *store_open_flags(const char *spec, unsigned flags, char *err, size_t errlen);
/* 1 if spec names a PostgreSQL database. */
int store_spec_is_pg(const char *spec);
/* Creates the schema (and on PostgreSQL the roles originscan_admin,
 * originscan_collector and originscan_reader with their rights) on an
 * empty database, or migrates an older one. Run by the database's owner
 * or a superuser. *created: 1 if it made the schema. */
int store_init(const char *spec, int *created, char *err, size_t errlen);
void store_close(struct store *st);
const char *store_errmsg(const struct store *st);
/* The database as shown to the user (a path, or a URI without secrets). */
const char *store_path(const struct store *st);
int store_is_pg(const struct store *st);

/* ---- scans and their parts ----
 * A scan is declared with its parts, then each part is begun, written
 * and finished by the process that collects it. begin commits a
 * 'running' part at once, so a crash leaves it visibly unfinished; the
 * next open (or, on PostgreSQL, anyone, once the part's connection is
 * gone) marks it interrupted. */
/* Where a part came from, recorded with it. */
struct part_prov {
	const char *site;               /* site it covers, or NULL */
	const char *operator_name;      /* operator whose network it covers, or NULL */
	const char *collector_host;     /* NULL: this host */
	const char *originscan_version; /* NULL: this program's */
	const char *kb_version;
	const char *request_json;       /* what this part was asked, or NULL */
	const char *source_digest;      /* an import's source: a second import of it is refused */
};
struct scan_decl {
	const char *command;            /* "snmp", "scan", "capture", "import" ... */
	const char *request_json;       /* what was asked (no secrets) */
	const char *kb_version;
	const char *plan;               /* scan -f's [scan NAME], or NULL */
	const char *scope;              /* what it covers (NULL: the command and plan) */
	const char *name;               /* separate processes meet by it; NULL: none */
	const char *const *parts;       /* its parts; none: one part, "main" */
	size_t nparts;
	const struct part_prov *prov;   /* store_begin_scan: the part begun */
	const char *site_map_json;      /* the site map attribution places devices with, or NULL */
	int64_t started_us;             /* 0: now (an import keeps its source's date) */
};
/* Creates the scan. With a name already taken, the scan of that name is
 * returned instead (*created = 0) if it declares the same command, scope
 * and parts; anything else is refused with the difference. */
int store_declare_scan(struct store *st, const struct scan_decl *d, int64_t *scan_id, int *created);
int store_find_scan(struct store *st, const char *name, int64_t *scan_id);   /* 0 and *scan_id=0: none */

enum part_start {
	PART_NEW = 0,                   /* a pending part (never started) */
	PART_RESUME,                    /* an interrupted or failed one, keeping what it stored */
	PART_RERUN,                     /* an interrupted or failed one, from scratch */
};
/* Part NAME of the scan becomes 'running' in this process and the part
 * that the sink and the resume point write to. A part that is running
 * elsewhere or complete is refused, as is one that does not fit how. */
int store_begin_part(struct store *st, int64_t scan_id, const char *name, const struct part_prov *prov,
                     enum part_start how, int64_t *part_id);
/* Commits what is pending and records the part's end. *scan_ready = 1
 * when this completed the last part: the caller then attributes the scan
 * and finishes it (store_finish_scan); 2 when every part has now ended
 * but not all completed: the caller attributes what was collected, the
 * scan stays interrupted or failed. Exactly one process sees either. */
int store_finish_part(struct store *st, int64_t part_id, enum scan_status status, const char *note,
                      int *scan_ready);
struct part_info {
	int64_t id, scan_id;
	char *name;
	enum scan_status status;        /* SCAN_RUNNING also for a pending part */
	int pending;                    /* declared, never started */
	int64_t started_us, ended_us;
	char *host, *db_user, *note, *request;
	int64_t pid;
	char *site, *operator_name, *collector_host, *originscan_version, *kb_version, *source_digest;
	int64_t evidence_rows, targets, answered;
};
void part_info_free(struct part_info *pi);
int store_each_part(struct store *st, int64_t scan_id, int (*cb)(void *ctx, const struct part_info *pi),
                    void *ctx);
int store_part_info(struct store *st, int64_t scan_id, const char *name, struct part_info *out);

/* Declares the scan (or joins the one named d->name) and begins its part
 * `part` (NULL: its first or only part) in this process, as
 * store_begin_part. A new scan is committed together with its running
 * part. */
int store_begin_scan(struct store *st, const struct scan_decl *d, const char *part, enum part_start how,
                     int64_t *scan_id);
/* The scan's final status: complete (every part complete and the scan
 * attributed) or failed (attribution failed); a running part of this
 * process is finished with the same status first (and the scan, unless
 * that was its last part, follows from its parts). A running scan
 * belongs to its collectors: only the process that completed its last
 * part may end it, write its verdicts (store_devices_begin) or its site
 * map; anything else is refused with a reason, and a scan that has
 * ended cannot be ended again. */
int store_finish_scan(struct store *st, int64_t scan_id, enum scan_status status,
                      const char *note);
/* The part an import of source digest became, if any: *scan_id (0 when
 * none), its name, its status. */
int store_find_source(struct store *st, const char *digest, int64_t *scan_id, char *part, size_t partlen,
                      enum scan_status *status);
/* A named lock of this session (PostgreSQL: an advisory lock that the
 * server drops with the connection): 1 taken, 0 held by another, -1
 * error. SQLite has none (1): a lock file serves there. */
int store_try_lock_name(struct store *st, const char *name);
/* The part this process writes (begun and not finished), or 0. */
int64_t store_part(const struct store *st);
/* A scan whose parts all completed but that is not complete (its
 * attribution failed, or its attributor died) becomes this process's to
 * attribute and end; anything else is refused with a reason. */
int store_take_scan(struct store *st, int64_t scan_id);
/* The sink collectors write to: the part begun last in this process.
 * Rows are batched into transactions and committed every few thousand
 * rows, every second, or on store_commit(). On PostgreSQL a batch lost
 * with the connection is sent again once the server is back (for up to
 * a minute), and counted once. */
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
/* 1 if any part of the scan stored an outcome for target name (an
 * earlier collector of the scan polled it), 0 if not, -1 on error. */
int store_target_done_in_scan(struct store *st, int64_t scan_id, const char *name);
/* Delete the current part's evidence whose source is one of sources_json
 * (a JSON array of strings): what targets left half-polled by an
 * interruption said, before they are polled again. Commits. */
int store_drop_partial(struct store *st, int64_t scan_id, const char *sources_json);
/* The interrupted or failed part of a scan of one part becomes 'running'
 * again in this process (store_begin_part with PART_RESUME); anything
 * else is refused with a reason. */
int store_reopen_scan(struct store *st, int64_t scan_id);

/* Evidence of a scan in storage order (fastest; no order promised). */
int store_each_evidence_stored(struct store *st, int64_t scan_id,
                               int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id),
                               void *ctx);
/* Evidence of a scan, ordered by subject kind, subject, then insertion. */
int store_each_evidence(struct store *st, int64_t scan_id,
                        int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id),
                        void *ctx);

/* The subjects ("kind", "subject") each part that says where it was
 * collected (a site or an operator) holds evidence about. */
int store_each_part_subject(struct store *st, int64_t scan_id,
                            int (*cb)(void *ctx, int64_t part_id, const char *kind, const char *subject), void *ctx);

struct target_row {
	const char *address, *state, *detail, *credential;
};
int store_each_target(struct store *st, int64_t scan_id,
                      int (*cb)(void *ctx, const struct target_row *t), void *ctx);

/* One piece of evidence's say in a verdict, as stored. */
struct claim_row {
	const char *key, *value, *source, *basis;
	const char *vendor;             /* vendor id it names, or NULL */
	const char *name_seen, *product, *model, *firmware, *role;
	const char *cpe;                /* CPE 2.3 name a rule gave, or NULL */
	int weight;
	int64_t evidence_id;
	int nic_only;
};
/* A component (ENTITY-MIB row) of a device, as stored. */
struct component_row {
	int64_t index, cls, contained_in;
	int chassis;
	const char *name, *descr, *mfg, *vendor, *model, *serial;
	const char *hardware_rev, *firmware_rev, *software_rev;
	const char *source;             /* NULL: ENTITY-MIB; "OSS inventory" */
};

/* A device and its verdict, as attribution decided it. Strings may be
 * NULL when unknown. The claims behind it and its components are typed
 * rows (never a text the store would have to parse). */
struct device_row {
	int64_t id;
	const char *identity;       /* "serial:huawei:2102..", "mac:..", "ip:.." */
	const char *name;           /* what the device calls itself (sysName, LLDP/CDP, DHCP), or NULL */
	const char *address;        /* primary management address */
	const char *addresses;      /* JSON array of every address */
	const char *identifiers;    /* JSON array of every subject merged into it */
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
	int disputed;               /* strong evidence for another maker */
	const char *brand;          /* brand id when another maker made it, or NULL */
	int registry_only;          /* the maker is known only from the registries */
	const char *possibly;       /* high-risk makers weak or outvoted evidence named
	                             * (vendor ids, space-separated), or NULL */
	/* Written by store_put_device; read back when the filter asks for
	 * DEV_VERDICT_PARTS (else nclaims = ncomponents = 0). */
	const struct claim_row *claims;
	size_t nclaims;
	const struct component_row *components;
	size_t ncomponents;
	/* how a crawl met it: the device that stated its address, the depth,
	 * why it was not polled; found_via NULL when no crawl did */
	const char *found_via, *found_not_polled;
	int found_depth;
	const char *decided;        /* what decided the verdict, in words, or NULL */
	const char *chassis_serial; /* the chassis' serial number, or NULL */
	/* A base station (or a controller with cells): ran_techs the
	 * technologies ("2g 3g 4g 5g", space-separated; NULL: nothing of the
	 * RAN), its cells per technology, where it stands and the OSS that
	 * described it, and the exports (JSON array, shown, never queried) */
	const char *ran_techs;
	int64_t ran_cells[4];
	const char *ran_site, *ran_region, *ran_oss_vendor, *ran_exports;
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
	DEV_VERDICT_NONE = 0,       /* the device row only (fast) */
	DEV_VERDICT_PARTS,          /* with its claims and components */
};
enum device_order { DEV_ORDER_ID = 0, DEV_ORDER_IDENTITY };
struct device_filter {
	int64_t scan_id;
	const char *const *operators;   /* only these operators ("" = none set) */
	size_t noperators;
	const char *domain;             /* only this domain ("" = none set) */
	const char *const *sites;       /* only these sites ("" = none set) */
	size_t nsites;
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
 * (device_row.foreign_vendors). Uses f->scan_id, f->operators, f->sites
 * and f->domain. */
int store_foreign_part_counts(struct store *st, const struct device_filter *f,
                              int (*cb)(void *ctx, const char *vendors, int64_t n), void *ctx);
/* Firmware in use: (vendor, model, firmware) with counts, attributed
 * devices only. Uses f->scan_id, f->operators, f->sites, f->domain. */
struct firmware_count {
	const char *vendor, *model, *firmware;
	int64_t n;
};
int store_firmware_counts(struct store *st, const struct device_filter *f,
                          int (*cb)(void *ctx, const struct firmware_count *c), void *ctx);
/* Per complete scan of the same scope as scan_id (oldest first):
 * devices per (domain, vendor). f->operators, f->sites, f->domain used. */
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
/* The complete scan before scan_id with the same scope; 0 if none. */
int store_previous_complete(struct store *st, int64_t scan_id, int64_t *prev);
/* The structure of the database file checked (SQLite's quick_check) when
 * that is cheap: a file of at most max_bytes (PostgreSQL checks its own
 * pages). 0 sound or not checked, -1 damaged (the reason in
 * store_errmsg). Commands that replace stored verdicts call it first. */
int store_verify(struct store *st, int64_t max_bytes);
/* The site map attribution uses for a scan (JSON, see scanner/plan/sitemap.c). */
int store_set_site_map(struct store *st, int64_t scan_id, const char *site_map_json);
/* Deletes every scan but the newest keep complete ones, except running
 * scans and failed/interrupted scans newer than the oldest kept. With
 * dry_run nothing is deleted. *deleted = how many scans (would) go.
 * On PostgreSQL only originscan_admin may. */
int store_prune(struct store *st, int keep, int dry_run,
                int (*cb)(void *ctx, const struct scan_info *si), void *ctx, int64_t *deleted);
#endif
