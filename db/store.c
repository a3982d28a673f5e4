/* include/store.h, once, for both backends (db/db.h: SQLite or
 * PostgreSQL). The schema is in db/schema.c.
 *
 * Durability: a part is committed as 'running' before any evidence; its
 * evidence is committed in batches; its end is recorded after the last
 * batch. A crash therefore leaves a 'running' part, which is found
 * interrupted once its process is gone (SQLite: the pid on this host;
 * PostgreSQL: the part's advisory lock, which the server drops with the
 * connection): nothing half-written ever looks complete. A scan is
 * complete only when every part completed and the scan was attributed.
 *
 * Batches on PostgreSQL survive a lost connection: the rows of the open
 * batch stay queued until it commits; after a reconnect the batch is
 * sent again, unless the part's batch counter (advanced in the batch's
 * own transaction) shows the commit made it before the connection went.
 *
 * Dialects: one SQL text serves both where it can; where SQLite and
 * PostgreSQL differ (planner hints, null-safe comparison, bytea
 * literals) the store picks by db_kind().
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "store.h"
#include "util.h"

#ifndef ORIGINSCAN_VERSION
#define ORIGINSCAN_VERSION "0.1.0"
#endif

#define BATCH_ROWS 5000
#define RECONNECT_WAIT 60.0     /* seconds a collector waits for the server to come back */
#define DEV_ID_BLOCK 4096       /* device ids reserved at a time on PostgreSQL */

struct store {
	struct db *db;
	unsigned flags;
	/* the open batch of the sink */
	unsigned pending;
	double tx_started;
	int resume_set;
	uint64_t resume_done, resume_granted;
	int staged;                     /* PostgreSQL: target rows in the staging table */
	int stage_ready;
	/* the part this process writes */
	int64_t sink_scan, part_id, part_batches;
	int part_locked;
	int64_t held_scan;              /* the scan this process attributes (its last part completed here) */
	struct ev_sink sink;
	/* devices being replaced */
	int64_t dev_scan;
	int64_t *dev_ids;
	size_t ndev_ids, dev_ids_at;
	int64_t next_dev_id;
	/* verdict parts handed out with a device row */
	struct claim_row *claims;
	size_t cap_claims;
	struct component_row *comps;
	size_t cap_comps;
	struct buf strs;
	char *owned_err;
};

#define PG(st) (db_kind((st)->db) == DB_PG)

static void set_err(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(struct store *st, const char *fmt, ...)
{
	char m[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	db_seterr(st->db, "%s", m);
}

static int fail(struct store *st, const char *what)
{
	return db_fail(st->db, what);
}

const char *store_errmsg(const struct store *st)
{
	return st ? db_errmsg(st->db) : "no store";
}

const char *store_path(const struct store *st)
{
	return db_name(st->db);
}

int store_is_pg(const struct store *st)
{
	return PG(st);
}

int store_spec_is_pg(const char *spec)
{
	return db_is_pg_spec(spec);
}

static const char *this_host(void)
{
	static char host[256];
	if (!host[0] && gethostname(host, sizeof host - 1) < 0)
		snprintf(host, sizeof host, "unknown");
	return host;
}

/* One statement run to its end; returns the first column of its first
 * row in *out (if out), 0, or -1. */
static int run1(struct store *st, const char *sql, const char *what, int64_t *out, int n, ...)
{
	struct dbs *s = db_prepare(st->db, sql, 0, what);
	if (!s)
		return -1;
	va_list ap;
	va_start(ap, n);
	for (int i = 1; i <= n; i++)
		db_bind_i64(s, i, va_arg(ap, int64_t));
	va_end(ap);
	int rc = db_step(s);
	if (rc > 0 && out)
		*out = db_col_i64(s, 0);
	while (rc > 0)
		rc = db_step(s);
	db_done(s);
	return rc < 0 ? -1 : 0;
}

/* ---------- transactions of the sink ---------- */

static int rejoin(struct store *st, int *already);

/* After a statement failed outside a batch: if the connection went, get
 * it back (nothing is pending, so nothing is sent again). 0 when it is
 * back, -1 when it was not lost or does not come back. */
static int come_back(struct store *st)
{
	int already;
	if (!db_lost(st->db))
		return -1;
	os_warn("%s: lost the connection to the server; trying again for %.0f s", store_path(st), RECONNECT_WAIT);
	if (db_reconnect(st->db, RECONNECT_WAIT) < 0 || rejoin(st, &already) < 0) {
		fail(st, "connect again");
		return -1;
	}
	os_warn("%s: connected again", store_path(st));
	return 0;
}

static int tx_begin(struct store *st)
{
	if (db_in_tx(st->db))
		return 0;
	/* the server may have gone between two batches */
	if (db_begin(st->db) < 0 && (come_back(st) < 0 || db_begin(st->db) < 0))
		return -1;
	st->pending = 0;
	st->tx_started = os_mono();
	return 0;
}

static int stage_table(struct store *st)
{
	if (!PG(st) || st->stage_ready)
		return 0;
	if (db_exec(st->db,
	            "CREATE TEMP TABLE IF NOT EXISTS os_stage_targets(scan_id bigint, part_id bigint, address text,"
	            " state text, detail text, credential text) ON COMMIT DELETE ROWS",
	            "make the staging table") < 0)
		return -1;
	st->stage_ready = 1;
	return 0;
}

/* What a batch writes last, in its own transaction: the staged target
 * outcomes (PostgreSQL), the resume point, the part's batch counter. */
static int batch_tail(struct store *st, int *already)
{
	*already = 0;
	if (st->staged &&
	    db_exec(st->db,
	            "INSERT INTO targets(scan_id,part_id,address,state,detail,credential)"
	            " SELECT DISTINCT ON (scan_id, part_id, address) scan_id, part_id, address, state, detail, credential"
	            " FROM os_stage_targets ORDER BY scan_id, part_id, address, ctid DESC"
	            " ON CONFLICT (scan_id, part_id, address) DO UPDATE SET state=excluded.state,"
	            " detail=excluded.detail, credential=excluded.credential",
	            "store target outcomes") < 0)
		return -1;
	if (st->resume_set) {
		struct dbs *s = db_prepare(st->db,
		                           "INSERT INTO part_resume(part_id,done_below,granted,updated_us) VALUES(?,?,?,?)"
		                           " ON CONFLICT (part_id) DO UPDATE SET done_below=excluded.done_below,"
		                           " granted=excluded.granted, updated_us=excluded.updated_us",
		                           0, "record the resume point");
		if (!s)
			return -1;
		db_bind_i64(s, 1, st->part_id);
		db_bind_i64(s, 2, (int64_t)st->resume_done);
		db_bind_i64(s, 3, (int64_t)st->resume_granted);
		db_bind_i64(s, 4, os_now_us());
		int rc = db_step(s);
		db_done(s);
		if (rc < 0)
			return -1;
	}
	if (st->part_id) {
		struct dbs *s = db_prepare(st->db, "UPDATE scan_parts SET batches=batches+1 WHERE id=? AND batches=?", 0,
		                           "count the batch");
		if (!s)
			return -1;
		db_bind_i64(s, 1, st->part_id);
		db_bind_i64(s, 2, st->part_batches);
		int rc = db_step(s);
		int64_t n = db_changes(s);
		db_done(s);
		if (rc < 0)
			return -1;
		if (n == 0)
			*already = 1;
	}
	return 0;
}

static void batch_done(struct store *st)
{
	st->pending = 0;
	st->staged = 0;
	st->resume_set = 0;
}

/* After the connection came back: the part is ours again (its lock), and
 * the batch was either committed before the connection went (the counter
 * moved) or is sent again. */
static int rejoin_session(struct store *st, int *already);
static int rejoin(struct store *st, int *already)
{
	*already = 0;
	st->stage_ready = 0;
	/* the batch's rows wait for the new session to be set up for them */
	db_bulk_hold(st->db, 1);
	int rc = rejoin_session(st, already);
	db_bulk_hold(st->db, 0);
	return rc;
}

static int rejoin_session(struct store *st, int *already)
{
	if (st->part_id) {
		int got = db_try_lock(st->db, st->part_id);
		if (got < 0)
			return -1;
		if (!got) {
			set_err(st, "%s: part %lld is now held by another process; stopping", store_path(st),
			        (long long)st->part_id);
			return -1;
		}
		int64_t batches = -1;
		if (run1(st, "SELECT batches FROM scan_parts WHERE id=?", "read the part", &batches, 1, st->part_id) < 0)
			return -1;
		/* someone may have found it orphaned meanwhile: it is ours */
		if (run1(st, "UPDATE scan_parts SET status='running', ended_us=NULL WHERE id=? AND status='interrupted'",
		         "take the part back", NULL, 1, st->part_id) < 0 ||
		    run1(st, "UPDATE scans SET status='running', ended_us=NULL WHERE id=? AND status='interrupted'",
		         "take the scan back", NULL, 1, st->sink_scan) < 0)
			return -1;
		if (batches == st->part_batches + 1)
			*already = 1;
	}
	return stage_table(st);
}

static int commit_batch(struct store *st)
{
	if (!db_in_tx(st->db)) {
		batch_done(st);
		return 0;
	}
	for (int attempt = 0;; attempt++) {
		int already = 0;
		int rc = batch_tail(st, &already);
		if (rc == 0 && already) {
			db_rollback(st->db);
			st->part_batches++;
			batch_done(st);
			return 0;
		}
		if (rc == 0 && db_commit(st->db) == 0) {
			if (st->part_id)
				st->part_batches++;
			batch_done(st);
			return 0;
		}
		if (!db_lost(st->db) || attempt >= 3) {
			char keep[1024];
			snprintf(keep, sizeof keep, "%s", db_errmsg(st->db));
			db_rollback(st->db);
			batch_done(st);
			db_seterr(st->db, "%s", keep);
			return -1;
		}
		os_warn("%s: lost the connection to the server; trying again for %.0f s", store_path(st), RECONNECT_WAIT);
		if (db_reconnect(st->db, RECONNECT_WAIT) < 0 || rejoin(st, &already) < 0) {
			fail(st, "connect again");
			batch_done(st);
			return -1;
		}
		if (already) {
			/* the commit made it before the connection went */
			db_rollback(st->db);
			st->part_batches++;
			batch_done(st);
			return 0;
		}
		if (db_begin(st->db) < 0) {
			batch_done(st);
			return -1;
		}
		os_warn("%s: connected again; sending the batch once more", store_path(st));
	}
}

static int maybe_commit(struct store *st)
{
	if (++st->pending >= BATCH_ROWS || os_mono() - st->tx_started > 1.0)
		return commit_batch(st);
	return 0;
}

int store_commit(struct store *st)
{
	return commit_batch(st);
}

/* ---------- open, init, close ---------- */

static void mark_orphans(struct store *st);
static void release_part(struct store *st);
static int rollback_keep(struct store *st);

struct store *store_open_flags(const char *spec, unsigned flags, char *err, size_t errlen)
{
	struct db *db = db_is_pg_spec(spec) ? db_open_pg(spec, 0, NULL, err, errlen)
	                                    : db_open_sqlite(spec, (flags & STORE_READ) != 0, err, errlen);
	if (!db)
		return NULL;
	struct store *st = xcalloc(1, sizeof *st);
	st->db = db;
	st->flags = flags;
	mark_orphans(st);
	return st;
}

struct store *store_open(const char *spec, char *err, size_t errlen)
{
	return store_open_flags(spec, 0, err, errlen);
}

int store_init(const char *spec, int *created, char *err, size_t errlen)
{
	*created = 0;
	if (db_is_pg_spec(spec)) {
		struct db *db = db_open_pg(spec, 1, created, err, errlen);
		if (!db)
			return -1;
		db_close(db);
		return 0;
	}
	int existed = access(spec, F_OK) == 0;
	struct db *db = db_open_sqlite(spec, 0, err, errlen);
	if (!db)
		return -1;
	*created = !existed;
	db_close(db);
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (db_in_tx(st->db) && commit_batch(st) < 0)
		db_rollback(st->db);
	if (st->part_locked)
		db_unlock(st->db, st->part_id);
	db_close(st->db);
	free(st->dev_ids);
	free(st->claims);
	free(st->comps);
	buf_free(&st->strs);
	free(st);
}

static const char *const status_names[] = {"running", "complete", "failed", "interrupted"};

const char *scan_status_name(enum scan_status s)
{
	return (unsigned)s < OS_ARRAY_LEN(status_names) ? status_names[s] : "?";
}

int scan_status_parse(const char *s, enum scan_status *out)
{
	for (size_t i = 0; i < OS_ARRAY_LEN(status_names); i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum scan_status)i;
			return 0;
		}
	return -1;
}

/* ---------- parts and their scans ---------- */

/* The scan's status from its parts: running while any part runs; else
 * failed or interrupted if one is; else running while one is still to
 * come; all complete: left as it is (the scan's attribution decides).
 * *all_ended: no part runs or is still to come. */
static int refresh_scan2(struct store *st, int64_t scan_id, int *all_complete, int *all_ended);
static int refresh_scan(struct store *st, int64_t scan_id, int *all_complete)
{
	return refresh_scan2(st, scan_id, all_complete, NULL);
}

static int refresh_scan2(struct store *st, int64_t scan_id, int *all_complete, int *all_ended)
{
	struct dbs *s = db_prepare(st->db,
	                           "SELECT count(*),"
	                           " COALESCE(sum(CASE WHEN status='complete' THEN 1 ELSE 0 END),0),"
	                           " COALESCE(sum(CASE WHEN status='running' THEN 1 ELSE 0 END),0),"
	                           " COALESCE(sum(CASE WHEN status='failed' THEN 1 ELSE 0 END),0),"
	                           " COALESCE(sum(CASE WHEN status='interrupted' THEN 1 ELSE 0 END),0)"
	                           " FROM scan_parts WHERE scan_id=?",
	                           0, "read the scan's parts");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	int rc = db_step(s);
	int64_t n = 0, complete = 0, running = 0, failed = 0, interrupted = 0;
	if (rc > 0) {
		n = db_col_i64(s, 0);
		complete = db_col_i64(s, 1);
		running = db_col_i64(s, 2);
		failed = db_col_i64(s, 3);
		interrupted = db_col_i64(s, 4);
	}
	db_done(s);
	if (rc < 0)
		return -1;
	if (all_complete)
		*all_complete = n > 0 && complete == n;
	if (all_ended)
		*all_ended = n > 0 && complete + failed + interrupted == n;
	const char *status = running ? "running" : failed ? "failed" : interrupted ? "interrupted" : "running";
	s = db_prepare(st->db,
	               "UPDATE scans SET status=?,"
	               " ended_us=CASE WHEN ?='running' THEN NULL ELSE COALESCE(ended_us, ?) END"
	               " WHERE id=? AND status<>'complete'",
	               0, "record the scan's status");
	if (!s)
		return -1;
	db_bind_text(s, 1, status);
	db_bind_text(s, 2, status);
	db_bind_i64(s, 3, os_now_us());
	db_bind_i64(s, 4, scan_id);
	rc = db_step(s);
	db_done(s);
	if (rc < 0)
		return -1;
	if (n == 0 || running || complete + failed + interrupted < n)
		return 0;
	/* every part has ended: the counts `scans` shows and attribution
	 * checks what it reads against (a complete scan's are counted again
	 * when it ends) */
	s = db_prepare(st->db,
	               "UPDATE scans SET n_evidence=(SELECT count(*) FROM evidence WHERE scan_id=?1),"
	               " n_targets=(SELECT count(*) FROM targets WHERE scan_id=?1),"
	               " n_answered=(SELECT count(*) FROM targets WHERE scan_id=?1 AND state='answered')"
	               " WHERE id=?1",
	               0, "count the scan's rows");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	rc = db_step(s);
	db_done(s);
	return rc < 0 ? -1 : 0;
}

/* Parts left 'running' by a process that is gone were interrupted
 * (killed, crashed, power lost, the connection cut). SQLite: the pid, on
 * this host. PostgreSQL: the part's advisory lock is free. Whoever may
 * not change the part (a reader) leaves it for someone who may. */
static void mark_orphans(struct store *st)
{
	int64_t ids[64], scans[64];
	int n = 0;
	struct dbs *s = db_prepare(st->db,
	                           PG(st) ? "SELECT id, scan_id, pid FROM scan_parts WHERE status='running'"
	                                  : "SELECT id, scan_id, pid FROM scan_parts WHERE status='running' AND host=?",
	                           0, "look for interrupted parts");
	if (!s)
		return;
	if (!PG(st))
		db_bind_text(s, 1, this_host());
	int rc;
	while ((rc = db_step(s)) > 0 && n < 64) {
		int64_t id = db_col_i64(s, 0), sid = db_col_i64(s, 1);
		pid_t pid = (pid_t)db_col_i64(s, 2);
		if (!PG(st) && pid > 0 && (kill(pid, 0) == 0 || errno == EPERM))
			continue;
		ids[n] = id;
		scans[n++] = sid;
	}
	db_done(s);
	for (int i = 0; i < n; i++) {
		if (PG(st)) {
			int got = db_try_lock(st->db, ids[i]);
			if (got <= 0)
				continue;       /* its process holds it: alive */
		}
		int bad = db_begin(st->db) < 0 ||
		          run1(st,
		               "UPDATE scan_parts SET status='interrupted', ended_us=COALESCE(ended_us, ?),"
		               " note=COALESCE(note, 'the process writing it ended without finishing it')"
		               " WHERE id=? AND status='running'",
		               "mark a part interrupted", NULL, 2, os_now_us(), ids[i]) < 0 ||
		          refresh_scan(st, scans[i], NULL) < 0 || db_commit(st->db) < 0;
		if (bad)
			db_rollback(st->db);
		if (PG(st))
			db_unlock(st->db, ids[i]);
	}
	/* a scan whose parts all completed but whose attribution never
	 * ended: its attributor is gone */
	n = 0;
	s = db_prepare(st->db,
	               "SELECT id, COALESCE(host,''), COALESCE(pid,0) FROM scans WHERE status='running'"
	               " AND NOT EXISTS (SELECT 1 FROM scan_parts p WHERE p.scan_id=scans.id AND p.status<>'complete')",
	               0, "look for unfinished scans");
	if (!s)
		return;
	while ((rc = db_step(s)) > 0 && n < 64) {
		int64_t id = db_col_i64(s, 0);
		pid_t pid = (pid_t)db_col_i64(s, 2);
		if (!PG(st) && (strcmp(db_col_text(s, 1), this_host()) ||
		                (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM))))
			continue;
		scans[n++] = id;
	}
	db_done(s);
	for (int i = 0; i < n; i++) {
		if (PG(st) && db_try_lock(st->db, -scans[i]) <= 0)
			continue;
		run1(st,
		     "UPDATE scans SET status='interrupted', ended_us=COALESCE(ended_us, ?),"
		     " note='its parts completed but its attribution did not: originscan reattribute ends it'"
		     " WHERE id=? AND status='running'",
		     "mark a scan interrupted", NULL, 2, os_now_us(), scans[i]);
		if (PG(st))
			db_unlock(st->db, -scans[i]);
	}
	db_seterr(st->db, "%s", "");
}

int store_find_scan(struct store *st, const char *name, int64_t *scan_id)
{
	*scan_id = 0;
	struct dbs *s = db_prepare(st->db, "SELECT id FROM scans WHERE name=?", 0, "find the scan");
	if (!s)
		return -1;
	db_bind_text(s, 1, name);
	int rc = db_step(s);
	if (rc > 0)
		*scan_id = db_col_i64(s, 0);
	db_done(s);
	return rc < 0 ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The declared parts of an existing scan against a new declaration. */
static int same_parts(struct store *st, int64_t scan_id, const struct scan_decl *d, char *diff, size_t difflen)
{
	static const char *const main_part[] = {"main"};
	const char *const *want = d->nparts ? d->parts : main_part;
	size_t nwant = d->nparts ? d->nparts : 1;
	const char **sorted = xcalloc(nwant, sizeof *sorted);
	memcpy(sorted, want, nwant * sizeof *sorted);
	qsort(sorted, nwant, sizeof *sorted, cmp_str);
	struct dbs *s = db_prepare(st->db, "SELECT name FROM scan_parts WHERE scan_id=? ORDER BY name", 0,
	                           "read the scan's parts");
	if (!s) {
		free(sorted);
		return -1;
	}
	db_bind_i64(s, 1, scan_id);
	struct buf have = {0};
	size_t i = 0;
	int same = 1, rc;
	while ((rc = db_step(s)) > 0) {
		const char *nm = db_col_text(s, 0);
		buf_printf(&have, "%s%s", have.len ? " " : "", nm);
		if (i >= nwant || strcmp(nm, sorted[i]))
			same = 0;
		i++;
	}
	db_done(s);
	if (i != nwant)
		same = 0;
	if (!same)
		snprintf(diff, difflen, "its parts are: %s", have.p ? have.p : "(none)");
	buf_free(&have);
	free(sorted);
	return rc < 0 ? -1 : same;
}

/* ---------- who may write a scan ----------
 * A running scan belongs to its collectors: nothing else may write its
 * verdicts, its site map or its end, or a half-collected scan would look
 * finished. Once its last part completed, it is the scan of the process
 * that completed it (which attributes it): SQLite records that process's
 * host and pid in the scan's row, PostgreSQL has it hold the scan's
 * advisory lock. */
static int hold_scan(struct store *st, int64_t scan_id)
{
	if (PG(st)) {
		int got = st->held_scan == scan_id ? 1 : db_try_lock(st->db, -scan_id);
		if (got <= 0) {
			if (got == 0)
				set_err(st, "scan %lld is being attributed by another process", (long long)scan_id);
			return -1;
		}
	} else {
		struct dbs *s = db_prepare(st->db, "UPDATE scans SET host=?, pid=? WHERE id=?", 0, "hold the scan");
		if (!s)
			return -1;
		db_bind_text(s, 1, this_host());
		db_bind_i64(s, 2, getpid());
		db_bind_i64(s, 3, scan_id);
		int rc = db_step(s);
		db_done(s);
		if (rc < 0)
			return -1;
	}
	st->held_scan = scan_id;
	return 0;
}

static void release_scan(struct store *st, int64_t scan_id)
{
	if (st->held_scan != scan_id)
		return;
	if (PG(st))
		db_unlock(st->db, -scan_id);
	st->held_scan = 0;
}

/* 0 when this process may write the scan (it has ended, or it is this
 * process's), -1 with the reason when not. */
static int scan_writable(struct store *st, int64_t scan_id, const char *what, int must_exist)
{
	struct dbs *s = db_prepare(st->db, "SELECT status, COALESCE(host,''), COALESCE(pid,0) FROM scans WHERE id=?", 0,
	                           "read scan");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	int rc = db_step(s), ret = 0;
	if (rc > 0) {
		const char *status = db_col_text(s, 0), *h = db_col_text(s, 1);
		int64_t pid = db_col_i64(s, 2);
		int mine = PG(st) ? st->held_scan == scan_id : !strcmp(h, this_host()) && pid == getpid();
		if (status && !strcmp(status, "running") && !mine) {
			set_err(st, "scan %lld is still running (%s): %s only when it has ended", (long long)scan_id,
			        PG(st) ? "its collectors are at work" : pid ? "a process on another host" : "waiting for parts",
			        what);
			if (!PG(st) && pid && !strcmp(h, this_host()))
				set_err(st, "scan %lld is still running (process %lld on %s): %s only when it has ended",
				        (long long)scan_id, (long long)pid, h, what);
			ret = -1;
		}
	} else if (rc == 0) {
		if (must_exist) {
			set_err(st, "no scan %lld in %s", (long long)scan_id, store_path(st));
			ret = -1;
		}
	} else
		ret = -1;
	db_done(s);
	return ret;
}

/* Inside a transaction: the scan of d->name if there is one (checked
 * against d), else a new one with its parts pending. */
static int declare_tx(struct store *st, const struct scan_decl *d, int64_t *scan_id, int *created)
{
	static const char *const main_part[] = {"main"};
	const char *const *parts = d->nparts ? d->parts : main_part;
	size_t nparts = d->nparts ? d->nparts : 1;
	char scope[600];
	*scan_id = 0;
	*created = 0;
	if (d->scope)
		snprintf(scope, sizeof scope, "%s", d->scope);
	else
		snprintf(scope, sizeof scope, "%s:%s", d->command, d->plan ? d->plan : "");
	for (size_t i = 0; i < nparts; i++)
		for (size_t j = i + 1; j < nparts; j++)
			if (!strcmp(parts[i], parts[j])) {
				set_err(st, "part '%s' is declared twice", parts[i]);
				return -1;
			}
	struct dbs *s;
	if (d->name) {
		/* two processes declaring the same name meet here in turn */
		if (PG(st)) {
			s = db_prepare(st->db, "SELECT pg_advisory_xact_lock(1330856783, hashtext(?))",
			               0, "wait for the scan name");
			if (!s)
				return -1;
			db_bind_text(s, 1, d->name);
			int lrc = db_step(s);
			db_done(s);
			if (lrc < 0)
				return -1;
		}
		int64_t id = 0;
		s = db_prepare(st->db, "SELECT id, command, scope FROM scans WHERE name=?", 0, "find the scan");
		if (!s)
			return -1;
		db_bind_text(s, 1, d->name);
		int rc = db_step(s);
		char why[700] = "";
		if (rc > 0) {
			/* a process of the same command must cover the same (the
			 * shards of one sweep); parts of other commands join a scan
			 * declared for them */
			id = db_col_i64(s, 0);
			const char *cmd = db_col_text(s, 1), *sc = db_col_text(s, 2);
			if (!strcmp(cmd ? cmd : "", d->command) && strcmp(sc ? sc : "", scope))
				snprintf(why, sizeof why, "it covers something else (%s, not %s)", sc ? sc : "nothing said",
				         scope);
		}
		db_done(s);
		if (rc < 0)
			return -1;
		if (id) {
			if (!why[0] && d->nparts && same_parts(st, id, d, why, sizeof why) < 0)
				return -1;
			if (why[0]) {
				set_err(st, "scan '%s' (%lld) exists and differs: %s", d->name, (long long)id, why);
				return -1;
			}
			*scan_id = id;
			return 0;
		}
	}
	s = db_prepare(st->db,
	               "INSERT INTO scans(started_us,status,command,request,kb_version,host,pid,plan,name,scope,site_map)"
	               " VALUES(?,'running',?,?,?,?,?,?,?,?,?) RETURNING id",
	               0, "record the new scan");
	if (!s)
		return -1;
	db_bind_i64(s, 1, d->started_us ? d->started_us : os_now_us());
	db_bind_text(s, 2, d->command);
	db_bind_text(s, 3, d->request_json ? d->request_json : "{}");
	db_bind_text(s, 4, d->kb_version ? d->kb_version : "");
	db_bind_text(s, 5, this_host());
	db_bind_i64(s, 6, getpid());
	db_bind_text(s, 7, d->plan);
	db_bind_text(s, 8, d->name);
	db_bind_text(s, 9, scope);
	db_bind_text(s, 10, d->site_map_json);
	int rc = db_step(s);
	if (rc > 0)
		*scan_id = db_col_i64(s, 0);
	db_done(s);
	if (rc <= 0)
		return -1;
	for (size_t i = 0; i < nparts; i++) {
		s = db_prepare(st->db, "INSERT INTO scan_parts(scan_id,name,status) VALUES(?,?,'pending')", 0,
		               "declare the scan's parts");
		if (!s)
			return -1;
		db_bind_i64(s, 1, *scan_id);
		db_bind_text(s, 2, parts[i]);
		rc = db_step(s);
		db_done(s);
		if (rc < 0)
			return -1;
	}
	*created = 1;
	return 0;
}

/* Rolls back, keeping the error that made it. */
static int rollback_keep(struct store *st)
{
	char keep[1024];
	snprintf(keep, sizeof keep, "%s", db_errmsg(st->db));
	db_rollback(st->db);
	db_seterr(st->db, "%s", keep);
	return -1;
}

int store_declare_scan(struct store *st, const struct scan_decl *d, int64_t *scan_id, int *created)
{
	int c;
	if (!created)
		created = &c;
	if (commit_batch(st) < 0 || db_begin(st->db) < 0)
		return -1;
	if (declare_tx(st, d, scan_id, created) < 0) {
		*scan_id = 0;
		return rollback_keep(st);
	}
	return db_commit(st->db);
}

static const char *part_status_text(enum scan_status s)
{
	return scan_status_name(s);
}

/* Deletes what a part stored (a re-run), or of it what came from the
 * given sources (targets left half-polled, before a resume). */
static int drop_part_rows(struct store *st, int64_t scan_id, int64_t part_id, const char *sources_json)
{
	if (PG(st)) {
		/* a collector may not delete: a function checks the part is its own */
		struct dbs *s = db_prepare(st->db, "SELECT originscan_drop_part_rows(?, ?)", 0, "drop the part's rows");
		if (!s)
			return -1;
		db_bind_i64(s, 1, part_id);
		db_bind_text(s, 2, sources_json);
		int rc = db_step(s);
		db_done(s);
		return rc < 0 ? -1 : 0;
	}
	/* SQLite: the whole part (store_drop_partial drops by source); the
	 * evidence of a scan from before parts has no part: it is the scan's
	 * only part's */
	(void)sources_json;
	if (run1(st, "DELETE FROM evidence WHERE scan_id=? AND (part_id=? OR part_id IS NULL)", "drop the part's evidence",
	         NULL, 2, scan_id, part_id) < 0 ||
	    run1(st, "DELETE FROM targets WHERE part_id=?", "drop the part's targets", NULL, 1, part_id) < 0 ||
	    run1(st, "DELETE FROM part_resume WHERE part_id=?", "drop the part's resume point", NULL, 1, part_id) < 0)
		return -1;
	return 0;
}

/* Inside a transaction: part NAME of the scan becomes running here. */
static int begin_part_tx(struct store *st, int64_t scan_id, const char *name, const struct part_prov *prov,
                         enum part_start how, int64_t *part_id)
{
	static const struct part_prov none = {0};
	if (!prov)
		prov = &none;
	*part_id = 0;
	int64_t id = 0, pid = 0, batches = 0;
	struct dbs *s = db_prepare(st->db,
	                           PG(st) ? "SELECT id, status, host, pid, batches, note FROM scan_parts"
	                                    " WHERE scan_id=? AND name=? FOR UPDATE"
	                                  : "SELECT id, status, host, pid, batches, note FROM scan_parts"
	                                    " WHERE scan_id=? AND name=?",
	                           0, "find the part");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	db_bind_text(s, 2, name);
	int rc = db_step(s);
	char status[16] = "", host[256] = "", note[600] = "";
	if (rc > 0) {
		id = db_col_i64(s, 0);
		snprintf(status, sizeof status, "%s", db_col_text(s, 1));
		snprintf(host, sizeof host, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "?");
		pid = db_col_i64(s, 3);
		batches = db_col_i64(s, 4);
		snprintf(note, sizeof note, "%s", db_col_text(s, 5) ? db_col_text(s, 5) : "");
	}
	db_done(s);
	if (rc < 0)
		return -1;
	if (!id) {
		struct buf names = {0};
		s = db_prepare(st->db, "SELECT name FROM scan_parts WHERE scan_id=? ORDER BY id", 0, "read the parts");
		if (s) {
			db_bind_i64(s, 1, scan_id);
			while (db_step(s) > 0)
				buf_printf(&names, "%s%s", names.len ? ", " : "", db_col_text(s, 0));
			db_done(s);
		}
		if (names.len)
			set_err(st, "scan %lld has no part '%s' (its parts: %s)", (long long)scan_id, name, names.p);
		else
			set_err(st, "no scan %lld in %s", (long long)scan_id, store_path(st));
		buf_free(&names);
		return -1;
	}
	if (PG(st)) {
		/* the part is ours while this connection lives */
		int got = db_try_lock(st->db, id);
		if (got < 0)
			return -1;
		if (!got) {
			set_err(st, "part '%s' of scan %lld is being written by another process (%s, pid %lld)", name,
			        (long long)scan_id, host, (long long)pid);
			return -1;
		}
		st->part_locked = 1;
		st->part_id = id;
		if (!strcmp(status, "running"))
			snprintf(status, sizeof status, "interrupted");     /* its writer is gone */
	} else if (!strcmp(status, "running")) {
		if (strcmp(host, this_host()) || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno == EPERM) {
			set_err(st, "part '%s' of scan %lld is being written by another process (%s, pid %lld)", name,
			        (long long)scan_id, host, (long long)pid);
			return -1;
		}
		snprintf(status, sizeof status, "interrupted");     /* its process is gone */
	}
	if (!strcmp(status, "complete")) {
		set_err(st, "part '%s' of scan %lld is complete", name, (long long)scan_id);
		return -1;
	}
	if (!strcmp(status, "pending"))
		how = PART_NEW;         /* never started: nothing to keep or drop */
	else if (how == PART_NEW) {
		set_err(st, "part '%s' of scan %lld was started before and did not finish (%s): resume it or run it again",
		        name, (long long)scan_id, status);
		return -1;
	}
	s = db_prepare(st->db,
	               "UPDATE scan_parts SET status='running',"
	               " started_us=CASE WHEN ?=1 THEN started_us ELSE ? END, ended_us=NULL,"
	               " host=?, pid=?, db_user=?, note=?,"
	               " request=COALESCE(?, request), site=COALESCE(?, site), operator=COALESCE(?, operator),"
	               " collector_host=?,"
	               " originscan_version=?, kb_version=COALESCE(?, kb_version), source_digest=?,"
	               " n_evidence=NULL, n_targets=NULL, n_answered=NULL"
	               " WHERE id=?",
	               0, "start the part");
	if (!s)
		return -1;
	const char *user = db_pg_user(st->db);
	char resumed[700];
	snprintf(resumed, sizeof resumed, "resumed after: %s", note[0] ? note : status);
	db_bind_i64(s, 1, how == PART_RESUME);
	db_bind_i64(s, 2, os_now_us());
	db_bind_text(s, 3, this_host());
	db_bind_i64(s, 4, getpid());
	db_bind_text(s, 5, user ? user : getenv("USER"));
	db_bind_text(s, 6, how == PART_RESUME ? resumed : NULL);
	db_bind_text(s, 7, prov->request_json);
	db_bind_text(s, 8, prov->site);
	db_bind_text(s, 9, prov->operator_name);
	db_bind_text(s, 10, prov->collector_host ? prov->collector_host : this_host());
	db_bind_text(s, 11, prov->originscan_version ? prov->originscan_version : ORIGINSCAN_VERSION);
	db_bind_text(s, 12, prov->kb_version);
	db_bind_text(s, 13, prov->source_digest);
	db_bind_i64(s, 14, id);
	rc = db_step(s);
	db_done(s);
	if (rc < 0)
		return -1;
	if (how == PART_RERUN && drop_part_rows(st, scan_id, id, NULL) < 0)
		return -1;
	if (refresh_scan(st, scan_id, NULL) < 0)
		return -1;
	*part_id = id;
	st->part_batches = batches;
	return 0;
}

/* After begin_part_tx's transaction: commit, and the part is the
 * sink's; on failure its lock goes. */
static int begin_part_end(struct store *st, int64_t scan_id, int64_t part_id, int ok)
{
	if (ok && db_commit(st->db) == 0) {
		st->part_id = part_id;
		st->sink_scan = scan_id;
		return stage_table(st);
	}
	if (ok == 0)
		rollback_keep(st);
	if (st->part_locked) {
		db_unlock(st->db, st->part_id);
		st->part_locked = 0;
	}
	st->part_id = 0;
	return -1;
}

static void release_part(struct store *st)
{
	if (st->part_locked) {
		db_unlock(st->db, st->part_id);
		st->part_locked = 0;
	}
	st->part_id = 0;
}

int store_begin_part(struct store *st, int64_t scan_id, const char *name, const struct part_prov *prov,
                     enum part_start how, int64_t *part_id)
{
	*part_id = 0;
	if (commit_batch(st) < 0)
		return -1;
	release_part(st);
	if (db_begin(st->db) < 0)
		return -1;
	int ok = begin_part_tx(st, scan_id, name, prov, how, part_id) == 0;
	return begin_part_end(st, scan_id, *part_id, ok);
}

int store_begin_scan(struct store *st, const struct scan_decl *d, const char *part, enum part_start how,
                     int64_t *scan_id)
{
	int created;
	int64_t part_id = 0;
	*scan_id = 0;
	if (!part && d->nparts > 1) {
		set_err(st, "scan of %zu parts: name the part to begin", d->nparts);
		return -1;
	}
	if (commit_batch(st) < 0)
		return -1;
	release_part(st);
	if (db_begin(st->db) < 0)
		return -1;
	/* a new scan and its running part are committed together: a crash
	 * never leaves a scan with no part running that nobody will start */
	int ok = declare_tx(st, d, scan_id, &created) == 0 &&
	         begin_part_tx(st, *scan_id, part ? part : d->nparts ? d->parts[0] : "main", d->prov, how, &part_id) == 0;
	if (begin_part_end(st, *scan_id, part_id, ok) < 0) {
		*scan_id = 0;
		return -1;
	}
	return 0;
}

int store_finish_part(struct store *st, int64_t part_id, enum scan_status status, const char *note, int *scan_ready)
{
	int ready = 0;
	if (scan_ready)
		*scan_ready = 0;
	if (commit_batch(st) < 0)
		return -1;
	int64_t scan_id = 0;
	if (run1(st, "SELECT scan_id FROM scan_parts WHERE id=?", "find the part", &scan_id, 1, part_id) < 0 &&
	    (come_back(st) < 0 ||
	     run1(st, "SELECT scan_id FROM scan_parts WHERE id=?", "find the part", &scan_id, 1, part_id) < 0))
		return -1;
	if (!scan_id) {
		set_err(st, "no part %lld in %s", (long long)part_id, store_path(st));
		return -1;
	}
	if (db_begin(st->db) < 0)
		return -1;
	/* completions of a scan's parts take turns on the scan's row, so
	 * that exactly one sees the last part complete */
	if (PG(st) && run1(st, "SELECT id FROM scans WHERE id=? FOR UPDATE", "lock the scan", NULL, 1, scan_id) < 0)
		goto fail;
	struct dbs *s = db_prepare(st->db,
	                           "UPDATE scan_parts SET status=?, ended_us=?, note=?,"
	                           " n_evidence=(SELECT count(*) FROM evidence WHERE part_id=?4 OR"
	                           "   (part_id IS NULL AND scan_id=?5 AND NOT EXISTS"
	                           "    (SELECT 1 FROM scan_parts o WHERE o.scan_id=?5 AND o.id<>?4))),"
	                           " n_targets=(SELECT count(*) FROM targets WHERE part_id=?4),"
	                           " n_answered=(SELECT count(*) FROM targets WHERE part_id=?4 AND state='answered')"
	                           " WHERE id=?4",
	                           0, "record the part's end");
	if (!s)
		goto fail;
	db_bind_text(s, 1, part_status_text(status));
	db_bind_i64(s, 2, os_now_us());
	db_bind_text(s, 3, note);
	db_bind_i64(s, 4, part_id);
	db_bind_i64(s, 5, scan_id);
	int rc = db_step(s);
	db_done(s);
	if (rc < 0)
		goto fail;
	int ended = 0;
	if (refresh_scan2(st, scan_id, &ready, &ended) < 0)
		goto fail;
	/* the last part: this process attributes the scan and ends it */
	if (ready && status == SCAN_COMPLETE && hold_scan(st, scan_id) < 0)
		goto fail;
	if (status != SCAN_COMPLETE && note) {
		/* the scan says why it is not complete */
		s = db_prepare(st->db, "UPDATE scans SET note=? WHERE id=? AND status<>'complete'", 0, "record the note");
		if (!s)
			goto fail;
		char *n2 = NULL;
		int64_t nparts = 0;
		if (run1(st, "SELECT count(*) FROM scan_parts WHERE scan_id=?", "count parts", &nparts, 1, scan_id) < 0) {
			db_done(s);
			goto fail;
		}
		if (nparts > 1) {
			char nm[200] = "";
			struct dbs *q = db_prepare(st->db, "SELECT name FROM scan_parts WHERE id=?", 0, "read the part");
			if (q) {
				db_bind_i64(q, 1, part_id);
				if (db_step(q) > 0)
					snprintf(nm, sizeof nm, "%s", db_col_text(q, 0));
				db_done(q);
			}
			n2 = xasprintf("part %s: %s", nm, note);
		}
		db_bind_text(s, 1, n2 ? n2 : note);
		db_bind_i64(s, 2, scan_id);
		rc = db_step(s);
		db_done(s);
		free(n2);
		if (rc < 0)
			goto fail;
	}
	if (db_commit(st->db) < 0) {
		release_scan(st, scan_id);
		return -1;
	}
	if (st->part_id == part_id)
		release_part(st);
	if (scan_ready)
		*scan_ready = ready && status == SCAN_COMPLETE ? 1 : ended ? 2 : 0;
	return 0;
fail:
	rollback_keep(st);
	release_scan(st, scan_id);
	return -1;
}

int store_finish_scan(struct store *st, int64_t scan_id, enum scan_status status, const char *note)
{
	if (st->part_id && st->sink_scan == scan_id) {
		/* this process's part first: the scan follows from its parts */
		int ready = 0;
		if (store_finish_part(st, st->part_id, status, note, &ready) < 0)
			return -1;
		if (!ready)
			return 0;
	}
	if (commit_batch(st) < 0 || db_begin(st->db) < 0)
		return -1;
	if (scan_writable(st, scan_id, "it can be ended by its own collector", 1) < 0)
		return rollback_keep(st);
	if (status == SCAN_COMPLETE) {
		int64_t open = 0;
		if (run1(st, "SELECT count(*) FROM scan_parts WHERE scan_id=? AND status<>'complete'", "read the parts",
		         &open, 1, scan_id) < 0)
			return rollback_keep(st);
		if (open) {
			db_rollback(st->db);
			set_err(st, "scan %lld cannot be complete: %lld of its parts are not", (long long)scan_id,
			        (long long)open);
			return -1;
		}
	}
	/* the counts `scans` and reports show, counted once here rather
	 * than on every reading of a finished scan */
	struct dbs *s = db_prepare(st->db,
	                           "UPDATE scans SET status=?1, ended_us=?2, note=?3,"
	                           " n_evidence=(SELECT count(*) FROM evidence WHERE scan_id=?4),"
	                           " n_targets=(SELECT count(*) FROM targets WHERE scan_id=?4),"
	                           " n_answered=(SELECT count(*) FROM targets WHERE scan_id=?4 AND state='answered')"
	                           " WHERE id=?4 AND status='running'",
	                           0, "record the scan's status");
	if (!s)
		return rollback_keep(st);
	db_bind_text(s, 1, scan_status_name(status));
	db_bind_i64(s, 2, os_now_us());
	db_bind_text(s, 3, note);
	db_bind_i64(s, 4, scan_id);
	int rc = db_step(s);
	int64_t changed = db_changes(s);
	db_done(s);
	if (rc < 0)
		return rollback_keep(st);
	if (changed != 1) {
		db_rollback(st->db);
		set_err(st, "scan %lld is not running: it has already ended", (long long)scan_id);
		return -1;
	}
	if (db_commit(st->db) < 0)
		return -1;
	release_scan(st, scan_id);
	return 0;
}

int store_take_scan(struct store *st, int64_t scan_id)
{
	if (commit_batch(st) < 0 || db_begin(st->db) < 0)
		return -1;
	struct dbs *s = db_prepare(st->db,
	                           "SELECT status, (SELECT count(*) FROM scan_parts p WHERE p.scan_id=scans.id"
	                           " AND p.status<>'complete') FROM scans WHERE id=?",
	                           0, "read the scan");
	if (!s)
		return rollback_keep(st);
	db_bind_i64(s, 1, scan_id);
	int rc = db_step(s);
	char status[16] = "";
	int64_t open = 0;
	if (rc > 0) {
		snprintf(status, sizeof status, "%s", db_col_text(s, 0));
		open = db_col_i64(s, 1);
	}
	db_done(s);
	if (rc <= 0) {
		if (rc == 0)
			set_err(st, "no scan %lld in %s", (long long)scan_id, store_path(st));
		return rollback_keep(st);
	}
	if (open || !strcmp(status, "complete")) {
		db_rollback(st->db);
		set_err(st, "scan %lld %s", (long long)scan_id,
		        open ? "has parts that are not complete: they are run again, not the scan" : "is complete");
		return -1;
	}
	if (!strcmp(status, "running") && scan_writable(st, scan_id, "it can be taken over", 0) < 0)
		return rollback_keep(st);
	if (hold_scan(st, scan_id) < 0 ||
	    run1(st, "UPDATE scans SET status='running', ended_us=NULL WHERE id=?", "take the scan over", NULL, 1,
	         scan_id) < 0) {
		rollback_keep(st);
		release_scan(st, scan_id);
		return -1;
	}
	if (db_commit(st->db) < 0) {
		release_scan(st, scan_id);
		return -1;
	}
	return 0;
}

int store_find_source(struct store *st, const char *digest, int64_t *scan_id, char *part, size_t partlen,
                      enum scan_status *status)
{
	*scan_id = 0;
	struct dbs *s = db_prepare(st->db, "SELECT scan_id, name, status FROM scan_parts WHERE source_digest=?", 0,
	                           "look for an earlier import");
	if (!s)
		return -1;
	db_bind_text(s, 1, digest);
	int rc = db_step(s);
	if (rc > 0) {
		*scan_id = db_col_i64(s, 0);
		snprintf(part, partlen, "%s", db_col_text(s, 1));
		const char *t = db_col_text(s, 2);
		if (!t || scan_status_parse(t, status) < 0)
			*status = SCAN_RUNNING;       /* pending */
	}
	db_done(s);
	return rc < 0 ? -1 : 0;
}

int store_try_lock_name(struct store *st, const char *name)
{
	if (!PG(st))
		return 1;
	struct dbs *s = db_prepare(st->db, "SELECT pg_try_advisory_lock(1330856784, hashtext(?))", 0, "take the lock");
	if (!s)
		return -1;
	db_bind_text(s, 1, name);
	int rc = db_step(s);
	int got = rc > 0 ? (int)db_col_i64(s, 0) : -1;
	db_done(s);
	return got;
}

int64_t store_part(const struct store *st)
{
	return st->part_id;
}

int store_verify(struct store *st, int64_t max_bytes)
{
	return db_sqlite_quick_check(st->db, max_bytes);
}

void part_info_free(struct part_info *pi)
{
	free(pi->name);
	free(pi->host);
	free(pi->db_user);
	free(pi->note);
	free(pi->request);
	free(pi->site);
	free(pi->operator_name);
	free(pi->collector_host);
	free(pi->originscan_version);
	free(pi->kb_version);
	free(pi->source_digest);
	memset(pi, 0, sizeof *pi);
}

static char *col_dup(struct dbs *s, int i)
{
	const char *t = db_col_text(s, i);
	return t ? xstrdup(t) : NULL;
}

#define PART_COLS                                                                                  \
	"SELECT id, scan_id, name, status, COALESCE(started_us,0), COALESCE(ended_us,0), host, db_user," \
	" note, request, COALESCE(pid,0), site, collector_host, originscan_version, kb_version,"       \
	" source_digest, operator,"                                                                   \
	" COALESCE(n_evidence, (SELECT count(*) FROM evidence e WHERE e.part_id=scan_parts.id)),"     \
	" COALESCE(n_targets, (SELECT count(*) FROM targets t WHERE t.part_id=scan_parts.id)),"       \
	" COALESCE(n_answered, (SELECT count(*) FROM targets t WHERE t.part_id=scan_parts.id"         \
	"  AND t.state='answered'))"                                                                  \
	" FROM scan_parts"

static void read_part(struct dbs *s, struct part_info *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_i64(s, 0);
	p->scan_id = db_col_i64(s, 1);
	p->name = col_dup(s, 2);
	const char *status = db_col_text(s, 3);
	p->pending = status && !strcmp(status, "pending");
	if (p->pending)
		p->status = SCAN_RUNNING;
	else if (!status || scan_status_parse(status, &p->status) < 0)
		p->status = SCAN_FAILED;
	p->started_us = db_col_i64(s, 4);
	p->ended_us = db_col_i64(s, 5);
	p->host = col_dup(s, 6);
	p->db_user = col_dup(s, 7);
	p->note = col_dup(s, 8);
	p->request = col_dup(s, 9);
	p->pid = db_col_i64(s, 10);
	p->site = col_dup(s, 11);
	p->collector_host = col_dup(s, 12);
	p->originscan_version = col_dup(s, 13);
	p->kb_version = col_dup(s, 14);
	p->source_digest = col_dup(s, 15);
	p->operator_name = col_dup(s, 16);
	p->evidence_rows = db_col_i64(s, 17);
	p->targets = db_col_i64(s, 18);
	p->answered = db_col_i64(s, 19);
}

int store_each_part(struct store *st, int64_t scan_id, int (*cb)(void *ctx, const struct part_info *pi), void *ctx)
{
	struct dbs *s = db_prepare(st->db, PART_COLS " WHERE scan_id=? ORDER BY id", 0, "read the scan's parts");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	int rc, ret = 0;
	while ((rc = db_step(s)) > 0) {
		struct part_info p;
		read_part(s, &p);
		ret = cb(ctx, &p);
		part_info_free(&p);
		if (ret)
			break;
	}
	db_done(s);
	return ret ? ret : rc < 0 ? -1 : 0;
}

int store_part_info(struct store *st, int64_t scan_id, const char *name, struct part_info *out)
{
	struct dbs *s = db_prepare(st->db, PART_COLS " WHERE scan_id=? AND name=?", 0, "read the part");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	db_bind_text(s, 2, name);
	int rc = db_step(s);
	if (rc > 0)
		read_part(s, out);
	db_done(s);
	if (rc == 0)
		set_err(st, "scan %lld has no part '%s'", (long long)scan_id, name);
	return rc > 0 ? 0 : -1;
}

/* ---------- the sink ---------- */

/* A row the store could not take because the connection went under it
 * (a server restart between the batch's rows): the batch is won back
 * (commit_batch reconnects and sends it again; outside a batch the next
 * BEGIN does), then the row is tried once more. */
static int again_after_loss(struct store *st, int *tries)
{
	if ((*tries)++ || !db_lost(st->db))
		return 0;
	return commit_batch(st) == 0;
}

static int emit_row(struct store *st, const struct evidence *ev);
static int target_row(struct store *st, const char *address, const char *state, const char *detail,
                      const char *credential);

static int sink_emit(struct ev_sink *sk, const struct evidence *ev)
{
	struct store *st = sk->ctx;
	int tries = 0, rc;
	while ((rc = emit_row(st, ev)) < 0 && again_after_loss(st, &tries))
		;
	if (rc < 0)
		return -1;
	sk->emitted++;
	return maybe_commit(st);
}

static int sink_target(struct ev_sink *sk, const char *address, const char *state, const char *detail,
                       const char *credential)
{
	struct store *st = sk->ctx;
	int tries = 0, rc;
	while ((rc = target_row(st, address, state, detail, credential)) < 0 && again_after_loss(st, &tries))
		;
	if (rc < 0)
		return -1;
	return maybe_commit(st);
}

static int emit_row(struct store *st, const struct evidence *ev)
{
	if (tx_begin(st) < 0)
		return -1;
	struct dbs *s = db_prepare(st->db,
	                           "INSERT INTO evidence(scan_id,collector,subject_kind,subject,key,value,seen_us,source,"
	                           "part_id) VALUES(?,?,?,?,?,?,?,?,?)",
	                           DBS_BULK | DBS_REPLAY, "store evidence");
	if (!s)
		return -1;
	db_bind_i64(s, 1, st->sink_scan);
	db_bind_text(s, 2, ev->collector);
	db_bind_text(s, 3, subj_kind_name(ev->subj_kind));
	db_bind_text(s, 4, ev->subject);
	db_bind_text(s, 5, ev->key);
	db_bind_blob(s, 6, ev->value_len ? ev->value : "", ev->value_len);
	db_bind_i64(s, 7, ev->seen_us);
	db_bind_text(s, 8, ev->source);
	if (st->part_id)
		db_bind_i64(s, 9, st->part_id);
	else
		db_bind_null(s, 9);
	int rc = db_step(s);
	db_done(s);
	return rc < 0 ? -1 : 0;
}

static int target_row(struct store *st, const char *address, const char *state, const char *detail,
                      const char *credential)
{
	if (tx_begin(st) < 0)
		return -1;
	struct dbs *s = PG(st) ? db_prepare(st->db,
	                                    "INSERT INTO os_stage_targets(scan_id,part_id,address,state,detail,credential)"
	                                    " VALUES(?,?,?,?,?,?)",
	                                    DBS_BULK | DBS_REPLAY, "store target outcome")
	                       : db_prepare(st->db,
	                                    "INSERT INTO targets(scan_id,part_id,address,state,detail,credential)"
	                                    " VALUES(?,?,?,?,?,?) ON CONFLICT (scan_id, part_id, address) DO UPDATE SET"
	                                    " state=excluded.state, detail=excluded.detail, credential=excluded.credential",
	                                    0, "store target outcome");
	if (!s)
		return -1;
	db_bind_i64(s, 1, st->sink_scan);
	db_bind_i64(s, 2, st->part_id);
	db_bind_text(s, 3, address);
	db_bind_text(s, 4, state);
	db_bind_text(s, 5, detail);
	db_bind_text(s, 6, credential);
	int rc = db_step(s);
	db_done(s);
	if (rc < 0)
		return -1;
	st->staged |= PG(st);
	return 0;
}

struct ev_sink *store_sink(struct store *st, int64_t scan_id)
{
	st->sink.emit = sink_emit;
	st->sink.target = sink_target;
	st->sink.ctx = st;
	st->sink.emitted = 0;
	st->sink_scan = scan_id;
	return &st->sink;
}

/* ---------- resume state of a sweep ---------- */

/* The part a resume call is about: the one this process writes, else
 * the scan's only part. */
static int64_t resume_part(struct store *st, int64_t scan_id)
{
	if (st->part_id && st->sink_scan == scan_id)
		return st->part_id;
	int64_t n = 0, id = 0;
	if (run1(st, "SELECT count(*) FROM scan_parts WHERE scan_id=?", "read the parts", &n, 1, scan_id) < 0)
		return -1;
	if (n != 1) {
		set_err(st, "scan %lld has %lld parts: resume one of them by name", (long long)scan_id, (long long)n);
		return -1;
	}
	if (run1(st, "SELECT id FROM scan_parts WHERE scan_id=?", "read the part", &id, 1, scan_id) < 0)
		return -1;
	return id;
}

int store_set_resume_point(struct store *st, int64_t scan_id, uint64_t done_below, uint64_t granted)
{
	/* written with the batch, after the outcomes it covers: the point is
	 * never committed ahead of what it claims is stored */
	(void)scan_id;
	if (!st->part_id) {
		set_err(st, "no part is being written");
		return -1;
	}
	if (tx_begin(st) < 0)
		return -1;
	st->resume_set = 1;
	st->resume_done = done_below;
	st->resume_granted = granted;
	return 0;
}

int store_get_resume_point(struct store *st, int64_t scan_id, uint64_t *done_below, uint64_t *granted)
{
	int64_t part = resume_part(st, scan_id);
	if (part < 0)
		return -1;
	struct dbs *s = db_prepare(st->db, "SELECT done_below, granted FROM part_resume WHERE part_id=?", 0,
	                           "read the resume point");
	if (!s)
		return -1;
	db_bind_i64(s, 1, part);
	int rc = db_step(s), ret = 1;
	if (rc > 0) {
		*done_below = (uint64_t)db_col_i64(s, 0);
		*granted = (uint64_t)db_col_i64(s, 1);
		ret = 0;
	} else if (rc < 0)
		ret = -1;
	db_done(s);
	return ret;
}

int store_target_done(struct store *st, int64_t scan_id, const char *address)
{
	int64_t part = st->part_id && st->sink_scan == scan_id ? st->part_id : resume_part(st, scan_id);
	if (part < 0)
		return -1;
	struct dbs *s = db_prepare(st->db, "SELECT 1 FROM targets WHERE scan_id=? AND part_id=? AND address=?", 0,
	                           "look up a target");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	db_bind_i64(s, 2, part);
	db_bind_text(s, 3, address);
	int rc = db_step(s);
	db_done(s);
	return rc;
}

int store_target_done_in_scan(struct store *st, int64_t scan_id, const char *name)
{
	struct dbs *s = db_prepare(st->db, "SELECT 1 FROM targets WHERE scan_id=? AND address=?", 0, "look up a target");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	db_bind_text(s, 2, name);
	int rc = db_step(s);
	db_done(s);
	return rc;
}

int store_drop_partial(struct store *st, int64_t scan_id, const char *sources_json)
{
	int64_t part = resume_part(st, scan_id);
	if (part < 0 || commit_batch(st) < 0 || db_begin(st->db) < 0)
		return -1;
	int rc;
	if (PG(st))
		rc = drop_part_rows(st, scan_id, part, sources_json);
	else {
		/* one pass over the scan's evidence, however many sources: the
		 * list travels as a JSON array (SQLite's json_each) */
		struct dbs *s = db_prepare(st->db,
		                           "DELETE FROM evidence WHERE scan_id=? AND (part_id=? OR part_id IS NULL)"
		                           " AND source IN (SELECT value FROM json_each(?))",
		                           0, "remove partial evidence");
		rc = -1;
		if (s) {
			db_bind_i64(s, 1, scan_id);
			db_bind_i64(s, 2, part);
			db_bind_text(s, 3, sources_json);
			rc = db_step(s) < 0 ? -1 : 0;
			db_done(s);
		}
	}
	if (rc < 0) {
		char keep[1024];
		snprintf(keep, sizeof keep, "%s", db_errmsg(st->db));
		db_rollback(st->db);
		db_seterr(st->db, "%s", keep);
		return -1;
	}
	return db_commit(st->db);
}

int store_reopen_scan(struct store *st, int64_t scan_id)
{
	int64_t part = resume_part(st, scan_id), pid;
	if (part < 0)
		return -1;
	char name[256] = "";
	struct dbs *s = db_prepare(st->db, "SELECT name, status FROM scan_parts WHERE id=?", 0, "read the part");
	if (!s)
		return -1;
	db_bind_i64(s, 1, part);
	int rc = db_step(s);
	char status[16] = "";
	if (rc > 0) {
		snprintf(name, sizeof name, "%s", db_col_text(s, 0));
		snprintf(status, sizeof status, "%s", db_col_text(s, 1));
	}
	db_done(s);
	if (rc <= 0)
		return -1;
	if (!strcmp(status, "complete") || !strcmp(status, "pending")) {
		set_err(st, "scan %lld cannot be resumed: only an interrupted or failed scan can", (long long)scan_id);
		return -1;
	}
	return store_begin_part(st, scan_id, name, NULL, PART_RESUME, &pid);
}

/* ---------- scans ---------- */

void scan_info_free(struct scan_info *si)
{
	free(si->command);
	free(si->request);
	free(si->kb_version);
	free(si->note);
	free(si->attrib_kb);
	free(si->site_map);
	free(si->plan);
	free(si->name);
	free(si->scope);
	memset(si, 0, sizeof *si);
}

#define SCAN_COLS                                                                                    \
	"SELECT id, started_us, COALESCE(ended_us,0), status, command, request, kb_version, note,"      \
	" attrib_kb, COALESCE(attrib_as_of,0),"                                                          \
	" COALESCE(n_evidence, (SELECT count(*) FROM evidence e WHERE e.scan_id=scans.id)),"             \
	" (SELECT CAST(COALESCE(sum(n),0) AS BIGINT) FROM device_counts c WHERE c.scan_id=scans.id),"    \
	" COALESCE(n_targets, (SELECT count(*) FROM targets t WHERE t.scan_id=scans.id)),"               \
	" COALESCE(n_answered, (SELECT count(*) FROM targets t WHERE t.scan_id=scans.id"                 \
	"  AND t.state='answered')),"                                                                    \
	" site_map, plan,"                                                                               \
	" (SELECT CAST(COALESCE(sum(n),0) AS BIGINT) FROM device_counts c WHERE c.scan_id=scans.id"      \
	"  AND band>0),"                                                                                 \
	" name, scope,"                                                                                  \
	" (SELECT count(*) FROM scan_parts p WHERE p.scan_id=scans.id),"                                 \
	" (SELECT count(*) FROM scan_parts p WHERE p.scan_id=scans.id AND p.status='complete')"          \
	" FROM scans"

static void read_scan(struct dbs *s, struct scan_info *out)
{
	memset(out, 0, sizeof *out);
	out->id = db_col_i64(s, 0);
	out->started_us = db_col_i64(s, 1);
	out->ended_us = db_col_i64(s, 2);
	const char *status = db_col_text(s, 3);
	if (!status || scan_status_parse(status, &out->status) < 0)
		out->status = SCAN_FAILED;
	out->command = col_dup(s, 4);
	out->request = col_dup(s, 5);
	out->kb_version = col_dup(s, 6);
	out->note = col_dup(s, 7);
	out->attrib_kb = col_dup(s, 8);
	out->attrib_as_of = (int)db_col_i64(s, 9);
	out->evidence_rows = db_col_i64(s, 10);
	out->devices = db_col_i64(s, 11);
	out->targets = db_col_i64(s, 12);
	out->answered = db_col_i64(s, 13);
	out->site_map = col_dup(s, 14);
	out->plan = col_dup(s, 15);
	out->attributed = db_col_i64(s, 16);
	out->name = col_dup(s, 17);
	out->scope = col_dup(s, 18);
	out->parts = db_col_i64(s, 19);
	out->parts_complete = db_col_i64(s, 20);
}

int store_scan_info(struct store *st, int64_t scan_id, struct scan_info *out)
{
	struct dbs *s = db_prepare(st->db, SCAN_COLS " WHERE id=?", 0, "read scan");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	int rc = db_step(s);
	if (rc > 0)
		read_scan(s, out);
	db_done(s);
	if (rc == 0)
		set_err(st, "no scan %lld in %s", (long long)scan_id, store_path(st));
	return rc > 0 ? 0 : -1;
}

int store_latest_scan(struct store *st, int complete_only, int64_t *id)
{
	*id = 0;
	/* by date, then id: an import keeps its site's date */
	return run1(st,
	            complete_only ? "SELECT id FROM scans WHERE status='complete' ORDER BY started_us DESC, id DESC LIMIT 1"
	                          : "SELECT id FROM scans ORDER BY started_us DESC, id DESC LIMIT 1",
	            "find latest scan", id, 0);
}

int store_each_scan(struct store *st, int (*cb)(void *ctx, const struct scan_info *si), void *ctx)
{
	struct dbs *s = db_prepare(st->db, SCAN_COLS " ORDER BY id DESC", 0, "list scans");
	if (!s)
		return -1;
	int rc, ret = 0;
	while ((rc = db_step(s)) > 0) {
		struct scan_info si;
		read_scan(s, &si);
		ret = cb(ctx, &si);
		scan_info_free(&si);
		if (ret)
			break;
	}
	db_done(s);
	return ret ? ret : rc < 0 ? -1 : 0;
}

/* ---------- evidence and targets ---------- */

#define EV_COLS "SELECT id, collector, subject_kind, subject, key, value, seen_us, source FROM evidence"

static void read_ev(struct dbs *s, struct evidence *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->collector = db_col_text(s, 1);
	ev->subj_kind = subj_kind_parse(db_col_text(s, 2));
	ev->subject = db_col_text(s, 3);
	ev->key = db_col_text(s, 4);
	ev->value = db_col_blob(s, 5, &ev->value_len);
	ev->seen_us = db_col_i64(s, 6);
	ev->source = db_col_text(s, 7);
	if (!ev->value)
		ev->value = "";
}

static int each_evidence(struct store *st, int64_t scan_id, int ordered,
                         int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id), void *ctx)
{
	int64_t lo = 0, hi = -1;
	const char *sql;
	if (ordered)
		sql = EV_COLS " WHERE scan_id=? ORDER BY subject_kind, subject, id";
	else if (PG(st))
		sql = EV_COLS " WHERE scan_id=?";
	else {
		/* SQLite: a scan's rows were appended together: read them as a
		 * range of rowids, in storage order, without index lookups */
		struct dbs *r = db_prepare(st->db, "SELECT min(id), max(id) FROM evidence WHERE scan_id=?", 0,
		                           "read evidence");
		if (!r)
			return -1;
		db_bind_i64(r, 1, scan_id);
		if (db_step(r) > 0 && !db_col_null(r, 0)) {
			lo = db_col_i64(r, 0);
			hi = db_col_i64(r, 1);
		}
		db_done(r);
		sql = EV_COLS " WHERE +scan_id=? AND id BETWEEN ? AND ?";
	}
	struct dbs *s = db_prepare(st->db, sql, DBS_STREAM, "read evidence");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	if (!ordered && !PG(st)) {
		db_bind_i64(s, 2, lo);
		db_bind_i64(s, 3, hi);
	}
	int rc, ret = 0;
	while ((rc = db_step(s)) > 0) {
		struct evidence ev;
		read_ev(s, &ev);
		if ((ret = cb(ctx, &ev, db_col_i64(s, 0))) != 0)
			break;
	}
	db_done(s);
	return ret ? ret : rc < 0 ? -1 : 0;
}

int store_each_evidence(struct store *st, int64_t scan_id,
                        int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id), void *ctx)
{
	return each_evidence(st, scan_id, 1, cb, ctx);
}

int store_each_evidence_stored(struct store *st, int64_t scan_id,
                               int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id), void *ctx)
{
	return each_evidence(st, scan_id, 0, cb, ctx);
}

int store_each_subject_evidence(struct store *st, int64_t scan_id, const char *subject,
                                int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id), void *ctx)
{
	const char *colon = strchr(subject, ':');
	if (!colon) {
		set_err(st, "subject '%s' has no kind", subject);
		return -1;
	}
	struct dbs *s = db_prepare(st->db, EV_COLS " WHERE scan_id=? AND subject_kind=? AND subject=? ORDER BY id", 0,
	                           "read evidence");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	db_bind_textn(s, 2, subject, (size_t)(colon - subject));
	db_bind_text(s, 3, colon + 1);
	int rc, ret = 0;
	while ((rc = db_step(s)) > 0) {
		struct evidence ev;
		read_ev(s, &ev);
		if ((ret = cb(ctx, &ev, db_col_i64(s, 0))) != 0)
			break;
	}
	db_done(s);
	return ret ? ret : rc < 0 ? -1 : 0;
}

int store_each_part_subject(struct store *st, int64_t scan_id,
                            int (*cb)(void *ctx, int64_t part_id, const char *kind, const char *subject), void *ctx)
{
	/* only the parts that say where they were collected: for the rest
	 * (the common case) nothing is read */
	struct dbs *s = db_prepare(st->db,
	                           "SELECT DISTINCT e.part_id, e.subject_kind, e.subject FROM evidence e"
	                           " JOIN scan_parts p ON p.id=e.part_id"
	                           " WHERE p.scan_id=? AND (p.site IS NOT NULL OR p.operator IS NOT NULL)"
	                           " AND e.scan_id=p.scan_id",
	                           DBS_STREAM, "read the parts' subjects");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	int rc, ret = 0;
	while ((rc = db_step(s)) > 0)
		if ((ret = cb(ctx, db_col_i64(s, 0), db_col_text(s, 1), db_col_text(s, 2))) != 0)
			break;
	db_done(s);
	return ret ? ret : rc < 0 ? -1 : 0;
}

int store_each_target(struct store *st, int64_t scan_id, int (*cb)(void *ctx, const struct target_row *t), void *ctx)
{
	struct dbs *s = db_prepare(st->db,
	                           "SELECT address, state, detail, credential FROM targets WHERE scan_id=?"
	                           " ORDER BY address, part_id",
	                           DBS_STREAM, "read targets");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	int rc, ret = 0;
	while ((rc = db_step(s)) > 0) {
		struct target_row t = {db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3)};
		if ((ret = cb(ctx, &t)) != 0)
			break;
	}
	db_done(s);
	return ret ? ret : rc < 0 ? -1 : 0;
}

/* ---------- devices: written by attribution ---------- */

static int next_device_id(struct store *st, int64_t *id)
{
	if (!PG(st)) {
		*id = st->next_dev_id++;
		return 0;
	}
	/* ids come from the sequence, a block at a time, so that a device
	 * and its claims go out together by COPY */
	if (st->dev_ids_at == st->ndev_ids) {
		struct dbs *s = db_prepare(st->db,
		                           "SELECT nextval(pg_get_serial_sequence('devices', 'id')) FROM generate_series(1, ?)",
		                           0, "number the devices");
		if (!s)
			return -1;
		db_bind_i64(s, 1, DEV_ID_BLOCK);
		if (!st->dev_ids)
			st->dev_ids = xmalloc(DEV_ID_BLOCK * sizeof *st->dev_ids);
		st->ndev_ids = st->dev_ids_at = 0;
		int rc;
		while ((rc = db_step(s)) > 0 && st->ndev_ids < DEV_ID_BLOCK)
			st->dev_ids[st->ndev_ids++] = db_col_i64(s, 0);
		db_done(s);
		if (rc < 0 || !st->ndev_ids)
			return -1;
	}
	*id = st->dev_ids[st->dev_ids_at++];
	return 0;
}

int store_devices_begin(struct store *st, int64_t scan_id)
{
	/* A running scan's collector holds the write lock while it batches:
	 * say at once that its scan is not ours, without waiting for the
	 * lock; then check again inside the write transaction, where the
	 * scan cannot start running under us before the writes. */
	if (commit_batch(st) < 0 || scan_writable(st, scan_id, "its verdicts can be written", 1) < 0 ||
	    db_begin(st->db) < 0)
		return -1;
	/* checked inside the write transaction: the scan cannot start
	 * running under us between the check and the writes */
	if (scan_writable(st, scan_id, "its verdicts can be written", 1) < 0)
		goto fail;
	st->dev_scan = scan_id;
	st->ndev_ids = st->dev_ids_at = 0;
	/* the scan's earlier verdicts go; a first attribution deletes
	 * nothing (and so needs no right to) */
	int64_t had = 0;
	if (run1(st, "SELECT count(*) FROM devices WHERE scan_id=?", "read devices", &had, 1, scan_id) < 0)
		goto fail;
	if (had) {
		static const char *const sql[] = {
			"DELETE FROM claims WHERE scan_id=?",        "DELETE FROM components WHERE scan_id=?",
			"DELETE FROM device_counts WHERE scan_id=?", "DELETE FROM firmware_counts WHERE scan_id=?",
			"DELETE FROM devices WHERE scan_id=?",
		};
		for (size_t i = 0; i < OS_ARRAY_LEN(sql); i++)
			if (run1(st, sql[i], "reset devices", NULL, 1, scan_id) < 0)
				goto fail;
	}
	if (!PG(st) && run1(st, "SELECT COALESCE(max(id),0)+1 FROM devices", "number the devices", &st->next_dev_id, 0) < 0)
		goto fail;
	return 0;
fail:;
	char keep[1024];
	snprintf(keep, sizeof keep, "%s", db_errmsg(st->db));
	db_rollback(st->db);
	db_seterr(st->db, "%s", keep);
	return -1;
}

static void bind_opt(struct dbs *s, int i, const char *v)
{
	if (v && *v)
		db_bind_text(s, i, v);
	else
		db_bind_null(s, i);
}

int store_put_device(struct store *st, int64_t scan_id, const struct device_row *d)
{
	int64_t id;
	if (next_device_id(st, &id) < 0)
		return -1;
	struct dbs *s = db_prepare(st->db,
	                           "INSERT INTO devices(id,scan_id,identity,address,addresses,vendor,vendor_name,"
	                           "name_seen,grp,jurisdiction,product,model,firmware,role,function,domain,site,"
	                           "operator,confidence,domain_from,foreign_parts,foreign_vendors,disputed,identifiers,"
	                           "brand,registry_only,possibly,found_via,found_depth,found_not_polled,name,decided,"
	                           "chassis_serial,ran_techs,ran_cells_2g,ran_cells_3g,ran_cells_4g,ran_cells_5g,ran_site,"
	                           "ran_region,ran_oss_vendor,ran_exports)"
	                           " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                           DBS_BULK, "store device verdict");
	if (!s)
		return -1;
	db_bind_i64(s, 1, id);
	db_bind_i64(s, 2, scan_id);
	db_bind_text(s, 3, d->identity);
	bind_opt(s, 4, d->address);
	bind_opt(s, 5, d->addresses);
	bind_opt(s, 6, d->vendor);
	bind_opt(s, 7, d->vendor_name);
	bind_opt(s, 8, d->name_seen);
	bind_opt(s, 9, d->grp);
	bind_opt(s, 10, d->jurisdiction);
	bind_opt(s, 11, d->product);
	bind_opt(s, 12, d->model);
	bind_opt(s, 13, d->firmware);
	bind_opt(s, 14, d->role);
	bind_opt(s, 15, d->function);
	bind_opt(s, 16, d->domain);
	bind_opt(s, 17, d->site);
	bind_opt(s, 18, d->operator_name);
	db_bind_i64(s, 19, d->confidence);
	bind_opt(s, 20, d->domain_from);
	db_bind_i64(s, 21, d->foreign_parts);
	bind_opt(s, 22, d->foreign_vendors);
	db_bind_i64(s, 23, d->disputed);
	bind_opt(s, 24, d->identifiers);
	bind_opt(s, 25, d->brand);
	db_bind_i64(s, 26, d->registry_only);
	bind_opt(s, 27, d->possibly);
	bind_opt(s, 28, d->found_via);
	db_bind_i64(s, 29, d->found_depth);
	bind_opt(s, 30, d->found_not_polled);
	bind_opt(s, 31, d->name);
	bind_opt(s, 32, d->decided);
	bind_opt(s, 33, d->chassis_serial);
	bind_opt(s, 34, d->ran_techs);
	for (int t = 0; t < 4; t++)
		db_bind_i64(s, 35 + t, d->ran_cells[t]);
	bind_opt(s, 39, d->ran_site);
	bind_opt(s, 40, d->ran_region);
	bind_opt(s, 41, d->ran_oss_vendor);
	bind_opt(s, 42, d->ran_exports);
	int rc = db_step(s);
	db_done(s);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < d->nclaims; i++) {
		const struct claim_row *c = &d->claims[i];
		s = db_prepare(st->db,
		               "INSERT INTO claims(scan_id,device_id,ord,key,value,source,basis,vendor,name_seen,product,"
		               "model,firmware,role,weight,evidence_id,nic_only,cpe) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		               DBS_BULK, "store the claims of a verdict");
		if (!s)
			return -1;
		db_bind_i64(s, 1, scan_id);
		db_bind_i64(s, 2, id);
		db_bind_i64(s, 3, (int64_t)i);
		db_bind_text(s, 4, c->key);
		db_bind_text(s, 5, c->value);
		db_bind_text(s, 6, c->source);
		db_bind_text(s, 7, c->basis);
		bind_opt(s, 8, c->vendor);
		db_bind_text(s, 9, c->name_seen);
		bind_opt(s, 10, c->product);
		bind_opt(s, 11, c->model);
		bind_opt(s, 12, c->firmware);
		bind_opt(s, 13, c->role);
		db_bind_i64(s, 14, c->weight);
		db_bind_i64(s, 15, c->evidence_id);
		db_bind_i64(s, 16, c->nic_only);
		bind_opt(s, 17, c->cpe);
		rc = db_step(s);
		db_done(s);
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < d->ncomponents; i++) {
		const struct component_row *c = &d->components[i];
		s = db_prepare(st->db,
		               "INSERT INTO components(scan_id,device_id,ord,idx,class,contained_in,chassis,name,descr,mfg,"
		               "vendor,model,serial,hardware_rev,firmware_rev,software_rev,source)"
		               " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		               DBS_BULK, "store the components of a device");
		if (!s)
			return -1;
		db_bind_i64(s, 1, scan_id);
		db_bind_i64(s, 2, id);
		db_bind_i64(s, 3, (int64_t)i);
		db_bind_i64(s, 4, c->index);
		db_bind_i64(s, 5, c->cls);
		db_bind_i64(s, 6, c->contained_in);
		db_bind_i64(s, 7, c->chassis);
		db_bind_text(s, 8, c->name);
		db_bind_text(s, 9, c->descr);
		db_bind_text(s, 10, c->mfg);
		bind_opt(s, 11, c->vendor);
		db_bind_text(s, 12, c->model);
		db_bind_text(s, 13, c->serial);
		db_bind_text(s, 14, c->hardware_rev);
		db_bind_text(s, 15, c->firmware_rev);
		db_bind_text(s, 16, c->software_rev);
		bind_opt(s, 17, c->source);
		rc = db_step(s);
		db_done(s);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int store_set_attribution(struct store *st, int64_t scan_id, const char *kb_version, int as_of)
{
	struct dbs *s = db_prepare(st->db, "UPDATE scans SET attrib_kb=?, attrib_as_of=? WHERE id=?", 0,
	                           "record attribution");
	if (!s)
		return -1;
	db_bind_text(s, 1, kb_version);
	if (as_of > 0)
		db_bind_i64(s, 2, as_of);
	else
		db_bind_null(s, 2);
	db_bind_i64(s, 3, scan_id);
	int rc = db_step(s);
	db_done(s);
	return rc < 0 ? -1 : 0;
}

#define COUNT_DEVICES                                                                                 \
	"SELECT scan_id,domain,site,operator,vendor,grp,jurisdiction,function,"                       \
	" CASE WHEN vendor IS NULL THEN 0 WHEN confidence>=80 THEN 3 WHEN confidence>=50 THEN 2 ELSE 1 END," \
	" count(*) FROM devices"
#define COUNT_FIRMWARE "SELECT scan_id,operator,vendor,model,firmware,count(*) FROM devices WHERE vendor IS NOT NULL"

int store_devices_end(struct store *st, int commit)
{
	if (!commit) {
		db_rollback(st->db);
		return 0;
	}
	/* the scan's counts, in the same transaction as its devices */
	if (run1(st, "INSERT INTO device_counts " COUNT_DEVICES " WHERE scan_id=? GROUP BY 1,2,3,4,5,6,7,8,9",
	         "count devices", NULL, 1, st->dev_scan) < 0 ||
	    run1(st, "INSERT INTO firmware_counts " COUNT_FIRMWARE " AND scan_id=? GROUP BY 1,2,3,4,5", "count firmware",
	         NULL, 1, st->dev_scan) < 0) {
		char keep[1024];
		snprintf(keep, sizeof keep, "%s", db_errmsg(st->db));
		db_rollback(st->db);
		db_seterr(st->db, "%s", keep);
		return -1;
	}
	return db_commit(st->db);
}

/* ---------- reading verdicts: filters, aggregates, history ---------- */

/* A query under construction: SQL text plus its bound values, so that no
 * value from a user or a device is ever spliced into the SQL. */
struct qb {
	struct buf sql;
	const char **txt;       /* NULL entry: the int at the same index */
	int64_t *num;
	size_t n, cap;
};

static void qb_bind(struct qb *q, const char *v, int64_t num)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->txt = xrealloc(q->txt, q->cap * sizeof *q->txt);
		q->num = xrealloc(q->num, q->cap * sizeof *q->num);
	}
	q->txt[q->n] = v;
	q->num[q->n] = num;
	q->n++;
}

/* " AND col IN (?,?...)"; an empty string in the list also matches NULL. */
static void qb_in(struct qb *q, const char *col, const char *const *vals, size_t n)
{
	int with_null = 0;
	buf_printf(&q->sql, " AND (%s IN (", col);
	for (size_t i = 0; i < n; i++) {
		buf_adds(&q->sql, i ? ",?" : "?");
		qb_bind(q, vals[i], 0);
		with_null |= !*vals[i];
	}
	buf_adds(&q->sql, ")");
	if (with_null)
		buf_printf(&q->sql, " OR %s IS NULL", col);
	buf_adds(&q->sql, ")");
}

static void qb_where(struct qb *q, const struct device_filter *f, const char *alias)
{
	char col[64];
#define C(name) (snprintf(col, sizeof col, "%s%s", alias, name), col)
	buf_printf(&q->sql, " WHERE %sscan_id=?", alias);
	qb_bind(q, NULL, f->scan_id);
	if (f->noperators)
		qb_in(q, C("operator"), f->operators, f->noperators);
	if (f->nsites)
		qb_in(q, C("site"), f->sites, f->nsites);
	if (f->domain && *f->domain) {
		buf_printf(&q->sql, " AND %s=?", C("domain"));
		qb_bind(q, f->domain, 0);
	} else if (f->domain)
		buf_printf(&q->sql, " AND %s IS NULL", C("domain"));
	if (f->nfunctions) {
		buf_adds(&q->sql, " AND (0=1");
		buf_printf(&q->sql, " OR %s IN (", C("function"));
		for (size_t i = 0; i < f->nfunctions; i++) {
			buf_adds(&q->sql, i ? ",?" : "?");
			qb_bind(q, f->functions[i], 0);
		}
		buf_adds(&q->sql, ")");
		if (f->or_core)
			buf_printf(&q->sql, " OR %s='core'", C("domain"));
		buf_adds(&q->sql, ")");
	}
	if (f->nvendors)
		qb_in(q, C("vendor"), f->vendors, f->nvendors);
	if (f->attributed > 0)
		buf_printf(&q->sql, " AND %s IS NOT NULL", C("vendor"));
	else if (f->attributed < 0)
		buf_printf(&q->sql, " AND %s IS NULL", C("vendor"));
	if (f->foreign_parts)
		buf_printf(&q->sql, " AND %s>0", C("foreign_parts"));
	if (f->disputed)
		buf_printf(&q->sql, " AND %s=1", C("disputed"));
#undef C
}

static void qb_free(struct qb *q)
{
	buf_free(&q->sql);
	free(q->txt);
	free(q->num);
	memset(q, 0, sizeof *q);
}

static struct dbs *qb_prepare(struct store *st, struct qb *q, unsigned flags, const char *what)
{
	struct dbs *s = db_prepare(st->db, q->sql.p, flags, what);
	if (s)
		for (size_t i = 0; i < q->n; i++) {
			if (q->txt[i])
				db_bind_text(s, (int)i + 1, q->txt[i]);
			else
				db_bind_i64(s, (int)i + 1, q->num[i]);
		}
	qb_free(q);
	return s;
}

/* Runs a built query, handing each row to fn; stops early when fn
 * returns non-zero (and returns that). */
static int run_q(struct store *st, struct qb *q, unsigned flags, int (*fn)(struct dbs *s, void *arg), void *arg,
                 const char *what)
{
	struct dbs *s = qb_prepare(st, q, flags, what);
	if (!s)
		return -1;
	int rc, ret = 0;
	while ((rc = db_step(s)) > 0)
		if ((ret = fn(s, arg)) != 0)
			break;
	db_done(s);
	return ret ? ret : rc < 0 ? -1 : 0;
}

#define DEV_COLS                                                                                   \
	"id,identity,address,addresses,vendor,vendor_name,name_seen,grp,jurisdiction,product,model,"   \
	"firmware,role,function,domain,site,operator,confidence,domain_from,foreign_parts,scan_id,"     \
	"foreign_vendors,disputed,identifiers,brand,registry_only,possibly,found_via,found_depth,found_not_polled,"   \
	"name,decided,chassis_serial,ran_techs,ran_cells_2g,ran_cells_3g,ran_cells_4g,ran_cells_5g,ran_site,"        \
	"ran_region,ran_oss_vendor,ran_exports"

static void read_device(struct dbs *s, struct device_row *d)
{
#define T(i) db_col_text(s, i)
	memset(d, 0, sizeof *d);
	d->id = db_col_i64(s, 0);
	d->identity = T(1);
	d->address = T(2);
	d->addresses = T(3);
	d->vendor = T(4);
	d->vendor_name = T(5);
	d->name_seen = T(6);
	d->grp = T(7);
	d->jurisdiction = T(8);
	d->product = T(9);
	d->model = T(10);
	d->firmware = T(11);
	d->role = T(12);
	d->function = T(13);
	d->domain = T(14);
	d->site = T(15);
	d->operator_name = T(16);
	d->confidence = (int)db_col_i64(s, 17);
	d->domain_from = T(18);
	d->foreign_parts = (int)db_col_i64(s, 19);
	d->scan_id = db_col_i64(s, 20);
	d->foreign_vendors = T(21);
	d->disputed = (int)db_col_i64(s, 22);
	d->identifiers = T(23);
	d->brand = T(24);
	d->registry_only = (int)db_col_i64(s, 25);
	d->possibly = T(26);
	d->found_via = T(27);
	d->found_depth = (int)db_col_i64(s, 28);
	d->found_not_polled = T(29);
	d->name = T(30);
	d->decided = T(31);
	d->chassis_serial = T(32);
	d->ran_techs = T(33);
	for (int t = 0; t < 4; t++)
		d->ran_cells[t] = db_col_i64(s, 34 + t);
	d->ran_site = T(38);
	d->ran_region = T(39);
	d->ran_oss_vendor = T(40);
	d->ran_exports = T(41);
#undef T
}

/* ---- a device's claims and components ----
 * Read alongside the devices when a whole scan is walked in id order
 * (both tables keep a scan's rows by device id), else looked up per
 * device. Their strings are copied into st->strs for the callback. */

#define CLAIM_COLS                                                                                  \
	"SELECT device_id, key, value, source, basis, vendor, name_seen, product, model, firmware, role," \
	" weight, evidence_id, nic_only, cpe FROM claims"
#define COMP_COLS                                                                                    \
	"SELECT device_id, idx, class, contained_in, chassis, name, descr, mfg, vendor, model, serial,"   \
	" hardware_rev, firmware_rev, software_rev, source FROM components"

struct parts_walk {
	struct dbs *claims, *comps;     /* side cursors, or NULL: per-device lookups */
	int crc, prc;                   /* their last step */
};

/* Strings are kept as offsets (+1; 0 = NULL) until the device is done:
 * the buffer may move as it grows. */
static const char *str_keep(struct store *st, const char *v)
{
	if (!v)
		return NULL;
	size_t off = st->strs.len + 1;
	buf_add(&st->strs, v, strlen(v) + 1);
	return (const char *)(uintptr_t)off;
}

static const char *str_fix(struct store *st, const char *v)
{
	return v ? st->strs.p + ((uintptr_t)v - 1) : NULL;
}

static void add_claim(struct store *st, struct dbs *s, size_t *n)
{
	if (*n == st->cap_claims) {
		st->cap_claims = st->cap_claims ? st->cap_claims * 2 : 16;
		st->claims = xrealloc(st->claims, st->cap_claims * sizeof *st->claims);
	}
	struct claim_row *c = &st->claims[(*n)++];
#define K(i) str_keep(st, db_col_text(s, i))
	c->key = K(1);
	c->value = K(2);
	c->source = K(3);
	c->basis = K(4);
	c->vendor = K(5);
	c->name_seen = K(6);
	c->product = K(7);
	c->model = K(8);
	c->firmware = K(9);
	c->role = K(10);
	c->weight = (int)db_col_i64(s, 11);
	c->evidence_id = db_col_i64(s, 12);
	c->nic_only = (int)db_col_i64(s, 13);
	c->cpe = K(14);
}

static void add_comp(struct store *st, struct dbs *s, size_t *n)
{
	if (*n == st->cap_comps) {
		st->cap_comps = st->cap_comps ? st->cap_comps * 2 : 16;
		st->comps = xrealloc(st->comps, st->cap_comps * sizeof *st->comps);
	}
	struct component_row *c = &st->comps[(*n)++];
	c->index = db_col_i64(s, 1);
	c->cls = db_col_i64(s, 2);
	c->contained_in = db_col_i64(s, 3);
	c->chassis = (int)db_col_i64(s, 4);
	c->name = K(5);
	c->descr = K(6);
	c->mfg = K(7);
	c->vendor = K(8);
	c->model = K(9);
	c->serial = K(10);
	c->hardware_rev = K(11);
	c->firmware_rev = K(12);
	c->software_rev = K(13);
	c->source = K(14);
#undef K
}

static void fix_parts(struct store *st, struct device_row *d, size_t nc, size_t np)
{
	for (size_t i = 0; i < nc; i++) {
		struct claim_row *c = &st->claims[i];
		c->key = str_fix(st, c->key);
		c->value = str_fix(st, c->value);
		c->source = str_fix(st, c->source);
		c->basis = str_fix(st, c->basis);
		c->vendor = str_fix(st, c->vendor);
		c->name_seen = str_fix(st, c->name_seen);
		c->product = str_fix(st, c->product);
		c->model = str_fix(st, c->model);
		c->firmware = str_fix(st, c->firmware);
		c->role = str_fix(st, c->role);
		c->cpe = str_fix(st, c->cpe);
	}
	for (size_t i = 0; i < np; i++) {
		struct component_row *c = &st->comps[i];
		c->name = str_fix(st, c->name);
		c->descr = str_fix(st, c->descr);
		c->mfg = str_fix(st, c->mfg);
		c->vendor = str_fix(st, c->vendor);
		c->model = str_fix(st, c->model);
		c->serial = str_fix(st, c->serial);
		c->hardware_rev = str_fix(st, c->hardware_rev);
		c->firmware_rev = str_fix(st, c->firmware_rev);
		c->software_rev = str_fix(st, c->software_rev);
		c->source = str_fix(st, c->source);
	}
	d->claims = nc ? st->claims : NULL;
	d->nclaims = nc;
	d->components = np ? st->comps : NULL;
	d->ncomponents = np;
}

static int device_parts(struct store *st, struct parts_walk *w, struct device_row *d)
{
	size_t nc = 0, np = 0;
	buf_reset(&st->strs);
	if (w->claims) {
		while (w->crc > 0 && db_col_i64(w->claims, 0) < d->id)
			w->crc = db_step(w->claims);
		while (w->crc > 0 && db_col_i64(w->claims, 0) == d->id) {
			add_claim(st, w->claims, &nc);
			w->crc = db_step(w->claims);
		}
		while (w->prc > 0 && db_col_i64(w->comps, 0) < d->id)
			w->prc = db_step(w->comps);
		while (w->prc > 0 && db_col_i64(w->comps, 0) == d->id) {
			add_comp(st, w->comps, &np);
			w->prc = db_step(w->comps);
		}
		if (w->crc < 0 || w->prc < 0)
			return -1;
	} else {
		struct dbs *s = db_prepare(st->db, CLAIM_COLS " WHERE scan_id=? AND device_id=? ORDER BY ord", 0,
		                           "read a verdict's claims");
		if (!s)
			return -1;
		db_bind_i64(s, 1, d->scan_id);
		db_bind_i64(s, 2, d->id);
		int rc;
		while ((rc = db_step(s)) > 0)
			add_claim(st, s, &nc);
		db_done(s);
		if (rc < 0)
			return -1;
		s = db_prepare(st->db, COMP_COLS " WHERE scan_id=? AND device_id=? ORDER BY ord", 0,
		               "read a device's components");
		if (!s)
			return -1;
		db_bind_i64(s, 1, d->scan_id);
		db_bind_i64(s, 2, d->id);
		while ((rc = db_step(s)) > 0)
			add_comp(st, s, &np);
		db_done(s);
		if (rc < 0)
			return -1;
	}
	fix_parts(st, d, nc, np);
	return 0;
}

/* A whole scan in id order: its claims and components walked alongside. */
static int whole_scan(const struct device_filter *f)
{
	return f->order == DEV_ORDER_ID && !f->domain && !f->nfunctions && !f->nvendors && !f->attributed &&
	       !f->foreign_parts && !f->disputed && !f->nsites && !f->noperators;
}

static int scan_id_range(struct store *st, int64_t scan_id, int64_t *lo, int64_t *hi)
{
	*lo = 1;
	*hi = 0;
	struct dbs *s = db_prepare(st->db, "SELECT min(id), max(id) FROM devices WHERE scan_id=?", 0, "read devices");
	if (!s)
		return -1;
	db_bind_i64(s, 1, scan_id);
	int rc = db_step(s);
	if (rc > 0 && !db_col_null(s, 0)) {
		*lo = db_col_i64(s, 0);
		*hi = db_col_i64(s, 1);
	}
	db_done(s);
	return rc < 0 ? -1 : 0;
}

static struct dbs *device_query(struct store *st, const struct device_filter *f)
{
	struct qb q = {0};
	buf_adds(&q.sql, "SELECT " DEV_COLS " FROM devices");
	if (PG(st)) {
		qb_where(&q, f, "");
		buf_adds(&q.sql, f->order == DEV_ORDER_IDENTITY ? " ORDER BY identity, id" : " ORDER BY id");
		return qb_prepare(st, &q, DBS_STREAM, "read devices");
	}
	/* SQLite: a scan's devices were inserted in one transaction, so
	 * their ids are contiguous: a rowid range reads them in order, but
	 * for the few devices the partial indexes hold */
	int64_t lo = 0, hi = 0;
	int range = f->order == DEV_ORDER_ID && !f->foreign_parts && !f->disputed && f->attributed >= 0;
	if (range && scan_id_range(st, f->scan_id, &lo, &hi) < 0) {
		qb_free(&q);
		return NULL;
	}
	if (f->foreign_parts)
		buf_adds(&q.sql, " INDEXED BY devices_with_foreign_parts");
	else if (f->disputed)
		buf_adds(&q.sql, " INDEXED BY devices_disputed");
	else if (f->attributed < 0)
		buf_adds(&q.sql, " INDEXED BY devices_unattributed");
	/* '+' keeps the planner on the rowid range, off the scan_id index */
	qb_where(&q, f, range ? "+" : "");
	if (range) {
		buf_adds(&q.sql, " AND id BETWEEN ? AND ?");
		qb_bind(&q, NULL, lo);
		qb_bind(&q, NULL, hi);
	}
	buf_adds(&q.sql, f->order == DEV_ORDER_IDENTITY ? " ORDER BY identity, id" : " ORDER BY id");
	return qb_prepare(st, &q, DBS_STREAM, "read devices");
}

static int parts_walk_open(struct store *st, const struct device_filter *f, struct parts_walk *w)
{
	memset(w, 0, sizeof *w);
	if (f->verdict != DEV_VERDICT_PARTS || !whole_scan(f))
		return 0;
	w->claims = db_prepare(st->db, CLAIM_COLS " WHERE scan_id=? ORDER BY device_id, ord", DBS_STREAM,
	                       "read the verdicts' claims");
	w->comps = db_prepare(st->db, COMP_COLS " WHERE scan_id=? ORDER BY device_id, ord", DBS_STREAM,
	                      "read the devices' components");
	if (!w->claims || !w->comps) {
		db_done(w->claims);
		db_done(w->comps);
		return -1;
	}
	db_bind_i64(w->claims, 1, f->scan_id);
	db_bind_i64(w->comps, 1, f->scan_id);
	w->crc = db_step(w->claims);
	w->prc = db_step(w->comps);
	return w->crc < 0 || w->prc < 0 ? -1 : 0;
}

static void parts_walk_close(struct parts_walk *w)
{
	db_done(w->claims);
	db_done(w->comps);
	memset(w, 0, sizeof *w);
}

int store_each_device_q(struct store *st, const struct device_filter *f,
                        int (*cb)(void *ctx, const struct device_row *d), void *ctx)
{
	struct dbs *s = device_query(st, f);
	if (!s)
		return -1;
	struct parts_walk w;
	if (parts_walk_open(st, f, &w) < 0) {
		db_done(s);
		return -1;
	}
	int rc, ret = 0;
	while ((rc = db_step(s)) > 0) {
		struct device_row d;
		read_device(s, &d);
		if (f->verdict == DEV_VERDICT_PARTS && device_parts(st, &w, &d) < 0) {
			ret = -1;
			break;
		}
		if ((ret = cb(ctx, &d)) != 0)
			break;
	}
	parts_walk_close(&w);
	db_done(s);
	return ret ? ret : rc < 0 ? -1 : 0;
}

struct device_cursor {
	struct store *st;
	struct dbs *s;
	enum device_verdict_cols vc;
};

struct device_cursor *store_device_cursor(struct store *st, const struct device_filter *f)
{
	struct dbs *s = device_query(st, f);
	if (!s)
		return NULL;
	struct device_cursor *c = xcalloc(1, sizeof *c);
	c->st = st;
	c->s = s;
	c->vc = f->verdict;
	return c;
}

int store_device_next(struct device_cursor *c, struct device_row *out)
{
	int rc = db_step(c->s);
	if (rc <= 0)
		return rc;
	read_device(c->s, out);
	if (c->vc == DEV_VERDICT_PARTS) {
		struct parts_walk w = {0};
		if (device_parts(c->st, &w, out) < 0)
			return -1;
	}
	return 1;
}

void store_device_cursor_close(struct device_cursor *c)
{
	if (!c)
		return;
	db_done(c->s);
	free(c);
}

int store_each_device(struct store *st, int64_t scan_id, int (*cb)(void *ctx, const struct device_row *d), void *ctx)
{
	struct device_filter f = {.scan_id = scan_id, .verdict = DEV_VERDICT_PARTS};
	return store_each_device_q(st, &f, cb, ctx);
}

struct count_cb {
	int (*cb)(void *ctx, const struct device_count *c);
	void *ctx;
};

static int count_row(struct dbs *s, void *arg)
{
	struct count_cb *c = arg;
#define T(i) db_col_text(s, i)
	struct device_count dc = {T(0), T(1), T(2), T(3), T(4), T(5), T(6), (int)db_col_i64(s, 7), db_col_i64(s, 8)};
#undef T
	return c->cb(c->ctx, &dc);
}

int store_device_counts(struct store *st, const struct device_filter *f,
                        int (*cb)(void *ctx, const struct device_count *c), void *ctx)
{
	struct qb q = {0};
	/* counted once per attribution (store_devices_end), not per report */
	buf_adds(&q.sql, "SELECT domain,site,operator,vendor,grp,jurisdiction,function,band,CAST(sum(n) AS BIGINT)"
	                 " FROM device_counts");
	qb_where(&q, f, "");
	buf_adds(&q.sql, " GROUP BY 1,2,3,4,5,6,7,8");
	struct count_cb c = {cb, ctx};
	return run_q(st, &q, 0, count_row, &c, "count devices");
}

struct fp_cb {
	int (*cb)(void *ctx, const char *vendors, int64_t n);
	void *ctx;
};

static int fp_row(struct dbs *s, void *arg)
{
	struct fp_cb *c = arg;
	return c->cb(c->ctx, db_col_text(s, 0), db_col_i64(s, 1));
}

int store_foreign_part_counts(struct store *st, const struct device_filter *f,
                              int (*cb)(void *ctx, const char *vendors, int64_t n), void *ctx)
{
	struct qb q = {0};
	struct device_filter g = {.scan_id = f->scan_id, .operators = f->operators, .noperators = f->noperators,
	                          .sites = f->sites, .nsites = f->nsites, .domain = f->domain, .foreign_parts = 1};
	buf_adds(&q.sql, PG(st) ? "SELECT foreign_vendors, count(*) FROM devices"
	                        : "SELECT foreign_vendors, count(*) FROM devices INDEXED BY devices_with_foreign_parts");
	qb_where(&q, &g, "");
	buf_adds(&q.sql, " GROUP BY 1");
	struct fp_cb c = {cb, ctx};
	return run_q(st, &q, 0, fp_row, &c, "count components");
}

struct fw_cb {
	int (*cb)(void *ctx, const struct firmware_count *c);
	void *ctx;
};

static int fw_row(struct dbs *s, void *arg)
{
	struct fw_cb *c = arg;
	struct firmware_count fc = {db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_i64(s, 3)};
	return c->cb(c->ctx, &fc);
}

int store_firmware_counts(struct store *st, const struct device_filter *f,
                          int (*cb)(void *ctx, const struct firmware_count *c), void *ctx)
{
	struct qb q = {0};
	struct device_filter g = {.scan_id = f->scan_id, .operators = f->operators, .noperators = f->noperators};
	/* counted once per attribution (store_devices_end); by site or
	 * domain it is counted from the devices */
	if (f->nsites || f->domain) {
		g = *f;
		g.attributed = 1;
		buf_adds(&q.sql, "SELECT vendor,model,firmware,count(*) FROM devices");
	} else
		buf_adds(&q.sql, "SELECT vendor,model,firmware,CAST(sum(n) AS BIGINT) FROM firmware_counts");
	qb_where(&q, &g, "");
	buf_adds(&q.sql, " GROUP BY 1,2,3 ORDER BY 1,2,3");
	struct fw_cb c = {cb, ctx};
	return run_q(st, &q, 0, fw_row, &c, "count firmware");
}

struct trend_cb {
	int (*cb)(void *ctx, const struct trend_count *c);
	void *ctx;
};

static int trend_row(struct dbs *s, void *arg)
{
	struct trend_cb *c = arg;
	struct trend_count tc = {db_col_i64(s, 0), db_col_i64(s, 1), db_col_text(s, 2), db_col_text(s, 3),
	                         db_col_i64(s, 4)};
	return c->cb(c->ctx, &tc);
}

/* Scans of the same scope as ?1 (what they cover: the same targets, or
 * the same configuration). */
#define SAME_SCOPE_SQLITE(alias) " " alias "scope IS (SELECT scope FROM scans WHERE id=?1)"
#define SAME_SCOPE_PG(alias) " " alias "scope IS NOT DISTINCT FROM (SELECT scope FROM scans WHERE id=?1)"

int store_trend_counts(struct store *st, int64_t scan_id, const struct device_filter *f,
                       int (*cb)(void *ctx, const struct trend_count *c), void *ctx)
{
	struct qb q = {0};
	buf_adds(&q.sql, "SELECT d.scan_id, s.started_us, d.domain, d.vendor, CAST(sum(d.n) AS BIGINT)"
	                 " FROM scans s JOIN device_counts d ON d.scan_id=s.id WHERE s.status='complete' AND");
	buf_adds(&q.sql, PG(st) ? SAME_SCOPE_PG("s.") : SAME_SCOPE_SQLITE("s."));
	qb_bind(&q, NULL, scan_id);
	if (f && f->noperators)
		qb_in(&q, "d.operator", f->operators, f->noperators);
	if (f && f->nsites)
		qb_in(&q, "d.site", f->sites, f->nsites);
	if (f && f->domain && *f->domain) {
		buf_adds(&q.sql, " AND d.domain=?");
		qb_bind(&q, f->domain, 0);
	} else if (f && f->domain)
		buf_adds(&q.sql, " AND d.domain IS NULL");
	buf_adds(&q.sql, " GROUP BY d.scan_id, s.started_us, d.domain, d.vendor ORDER BY s.started_us, d.scan_id");
	struct trend_cb c = {cb, ctx};
	return run_q(st, &q, 0, trend_row, &c, "read the trend");
}

int store_previous_complete(struct store *st, int64_t scan_id, int64_t *prev)
{
	*prev = 0;
	/* the one before by date (then id: an import keeps its site's date) */
#define EARLIER                                                                                        \
	" AND (started_us < (SELECT started_us FROM scans WHERE id=?1) OR (started_us = (SELECT started_us" \
	" FROM scans WHERE id=?1) AND id < ?1)) ORDER BY started_us DESC, id DESC LIMIT 1"
	return run1(st,
	            PG(st) ? "SELECT id FROM scans WHERE status='complete' AND" SAME_SCOPE_PG("") EARLIER
	                   : "SELECT id FROM scans WHERE status='complete' AND" SAME_SCOPE_SQLITE("") EARLIER,
	            "find the previous scan", prev, 1, scan_id);
#undef EARLIER
}

struct hist_cb {
	struct store *st;
	int (*cb)(void *ctx, const struct scan_info *si, const struct device_row *d);
	void *ctx;
	struct scan_info si;
};

int store_device_history(struct store *st, const char *key,
                         int (*cb)(void *ctx, const struct scan_info *si, const struct device_row *d), void *ctx)
{
	/* Indexed lookups first (identity, address, then name: case aside,
	 * or its first label); a bare serial number, or any other identifier
	 * of a device (every MAC, address, chassis id it merged; its chassis'
	 * and components' serials) needs a scan of every device, done only
	 * when nothing else matched. The identifiers are a list of quoted
	 * strings: a whole quoted match, found with instr()/strpos(), not
	 * LIKE, so nothing in the key is a wildcard. */
	static const char *const sqlite_sql[] = {
		"SELECT " DEV_COLS " FROM devices WHERE identity IN (?1, 'ip:'||?1, 'mac:'||?1, 'chassis:'||?1)"
		" UNION SELECT " DEV_COLS " FROM devices WHERE address=?1 ORDER BY scan_id, id",
		"SELECT " DEV_COLS " FROM devices WHERE name=?1 COLLATE NOCASE"
		" OR (name>=?1||'.' COLLATE NOCASE AND name<?1||'/' COLLATE NOCASE) ORDER BY scan_id, id",
		"SELECT " DEV_COLS " FROM devices WHERE (identity GLOB 'serial:*'"
		" AND substr(identity, 8 + instr(substr(identity, 8), ':')) = ?1)"
		" OR chassis_serial=?1 OR instr(identifiers, '\"mac:'||?1||'\"') OR instr(identifiers, '\"ip:'||?1||'\"')"
		" OR instr(identifiers, '\"chassis:'||?1||'\"')"
		" OR id IN (SELECT device_id FROM components WHERE serial=?1) ORDER BY scan_id, id",
	};
	static const char *const pg_sql[] = {
		"SELECT " DEV_COLS " FROM devices WHERE identity IN (?1, 'ip:'||?1, 'mac:'||?1, 'chassis:'||?1)"
		" UNION SELECT " DEV_COLS " FROM devices WHERE address=?1 ORDER BY scan_id, id",
		"SELECT " DEV_COLS " FROM devices WHERE lower(name)=lower(?1)"
		" OR (lower(name)>=lower(?1)||'.' AND lower(name)<lower(?1)||'/') ORDER BY scan_id, id",
		"SELECT " DEV_COLS " FROM devices WHERE (identity LIKE 'serial:%'"
		" AND substr(identity, 8 + strpos(substr(identity, 8), ':')) = ?1)"
		" OR chassis_serial=?1 OR strpos(identifiers, '\"mac:'||?1||'\"')>0 OR strpos(identifiers, '\"ip:'||?1||'\"')>0"
		" OR strpos(identifiers, '\"chassis:'||?1||'\"')>0"
		" OR id IN (SELECT device_id FROM components WHERE serial=?1) ORDER BY scan_id, id",
	};

	struct hist_cb c = {st, cb, ctx, {0}};
	int ret = 0, rc = 0;
	for (size_t pass = 0; pass < OS_ARRAY_LEN(sqlite_sql) && !c.si.id && ret == 0; pass++) {
		struct dbs *s = db_prepare(st->db, PG(st) ? pg_sql[pass] : sqlite_sql[pass], 0, "read device history");
		if (!s)
			return -1;
		db_bind_text(s, 1, key);
		while ((rc = db_step(s)) > 0) {
			struct device_row d;
			read_device(s, &d);
			if (c.si.id != d.scan_id) {
				scan_info_free(&c.si);
				if (store_scan_info(st, d.scan_id, &c.si) < 0) {
					ret = -1;
					break;
				}
			}
			if ((ret = cb(ctx, &c.si, &d)) != 0)
				break;
		}
		db_done(s);
		if (!ret && rc < 0)
			ret = -1;
	}
	scan_info_free(&c.si);
	return ret;
}

int store_set_site_map(struct store *st, int64_t scan_id, const char *site_map_json)
{
	if (commit_batch(st) < 0)
		return -1;
	if (scan_writable(st, scan_id, "its site map can be changed", 1) < 0)
		return -1;
	struct dbs *s = db_prepare(st->db, "UPDATE scans SET site_map=? WHERE id=?", 0, "record the site map");
	if (!s)
		return -1;
	bind_opt(s, 1, site_map_json);
	db_bind_i64(s, 2, scan_id);
	int rc = db_step(s);
	db_done(s);
	return rc < 0 ? -1 : 0;
}

/* Every row of a scan, in one transaction (PostgreSQL keeps no foreign
 * keys on the large tables: the store deletes them itself). */
static int delete_scan(struct store *st, int64_t id)
{
	static const char *const pg[] = {
		"DELETE FROM claims WHERE scan_id=?",        "DELETE FROM components WHERE scan_id=?",
		"DELETE FROM device_counts WHERE scan_id=?", "DELETE FROM firmware_counts WHERE scan_id=?",
		"DELETE FROM devices WHERE scan_id=?",       "DELETE FROM targets WHERE scan_id=?",
		"DELETE FROM evidence WHERE scan_id=?",      "DELETE FROM scans WHERE id=?",
	};
	static const char *const sqlite[] = {
		"DELETE FROM claims WHERE scan_id=?",
		"DELETE FROM components WHERE scan_id=?",
		"DELETE FROM scans WHERE id=?",         /* the rest by ON DELETE CASCADE */
	};
	const char *const *sql = PG(st) ? pg : sqlite;
	size_t n = PG(st) ? OS_ARRAY_LEN(pg) : OS_ARRAY_LEN(sqlite);
	for (size_t i = 0; i < n; i++)
		if (run1(st, sql[i], "delete a scan", NULL, 1, id) < 0)
			return -1;
	return 0;
}

int store_prune(struct store *st, int keep, int dry_run, int (*cb)(void *ctx, const struct scan_info *si), void *ctx,
                int64_t *deleted)
{
	int64_t oldest_kept = 0;
	*deleted = 0;
	if (keep < 1) {
		set_err(st, "--keep must be at least 1");
		return -1;
	}
	if (commit_batch(st) < 0)
		return -1;
	if (run1(st, "SELECT min(id) FROM (SELECT id FROM scans WHERE status='complete' ORDER BY id DESC LIMIT ?) k",
	         "prune", &oldest_kept, 1, (int64_t)keep) < 0)
		return -1;
	if (!oldest_kept)
		return 0;       /* no complete scan at all: keep everything */
	/* What goes: list first (the caller may print it), then delete in one
	 * transaction so a crash never leaves half a scan. */
	int64_t *ids = NULL;
	size_t n = 0;
	struct dbs *s = db_prepare(st->db,
	                           "SELECT id FROM scans WHERE id<? AND status IN ('complete','failed','interrupted')"
	                           " ORDER BY id",
	                           0, "prune");
	if (!s)
		return -1;
	db_bind_i64(s, 1, oldest_kept);
	int rc;
	while ((rc = db_step(s)) > 0) {
		ids = xrealloc(ids, (n + 1) * sizeof *ids);
		ids[n++] = db_col_i64(s, 0);
	}
	db_done(s);
	if (rc < 0) {
		free(ids);
		return -1;
	}
	for (size_t i = 0; i < n && cb; i++) {
		struct scan_info si;
		if (store_scan_info(st, ids[i], &si) == 0) {
			cb(ctx, &si);
			scan_info_free(&si);
		}
	}
	int ret = 0;
	if (!dry_run && n) {
		if (db_begin(st->db) < 0) {
			free(ids);
			return -1;
		}
		for (size_t i = 0; i < n && ret == 0; i++)
			ret = delete_scan(st, ids[i]);
		if (ret == 0)
			ret = db_commit(st->db);
		else {
			char keepm[1024];
			snprintf(keepm, sizeof keepm, "%s", db_errmsg(st->db));
			db_rollback(st->db);
			db_seterr(st->db, "%s", keepm);
		}
	}
	free(ids);
	if (ret == 0)
		*deleted = (int64_t)n;
	return ret;
}
