/* The SQLite store behind include/store.h.
 *
 * Layout (schema version in PRAGMA user_version, ours marked by
 * PRAGMA application_id so a stranger's database is never written to):
 *   scans     one row per scan: status, what was asked, kb version
 *   evidence  raw facts, append-only per scan, values as BLOBs
 *   targets   what happened to each polled address
 *   devices   attribution's verdicts per scan (replaced on reattribute)
 *
 * Durability: WAL mode. A scan's row is committed as 'running' before any
 * evidence; evidence is committed in batches; the final status is set in
 * the transaction that commits the last batch. A crash therefore leaves a
 * 'running' scan, which the next open marks 'interrupted' once its
 * process is gone: nothing half-written ever looks complete.
 */
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store.h"
#include "util.h"

#define APP_ID 0x4f53434eu      /* 'OSCN' */
#define SCHEMA_VERSION 1
#define BATCH_ROWS 5000

struct store {
	sqlite3 *db;
	char *path;
	char err[512];
	int in_tx;
	unsigned pending;
	double tx_started;
	sqlite3_stmt *ins_ev, *ins_target, *ins_dev;
	struct ev_sink sink;
	int64_t sink_scan;
};

/* Forward migrations: entry i takes the schema from version i to i+1.
 * Never edit a shipped entry; append a new one. */
static const char *const migrations[SCHEMA_VERSION] = {
	/* 0 -> 1: the first schema */
	"CREATE TABLE scans("
	"  id INTEGER PRIMARY KEY,"
	"  started_us INTEGER NOT NULL,"
	"  ended_us INTEGER,"
	"  status TEXT NOT NULL CHECK (status IN ('running','complete','failed','interrupted')),"
	"  command TEXT NOT NULL,"
	"  request TEXT NOT NULL,"
	"  kb_version TEXT NOT NULL,"
	"  host TEXT, pid INTEGER,"
	"  note TEXT,"
	"  attrib_kb TEXT,"           /* knowledge base the stored verdicts came from */
	"  attrib_as_of INTEGER);"
	"CREATE TABLE evidence("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  collector TEXT NOT NULL,"
	"  subject_kind TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value BLOB NOT NULL,"
	"  seen_us INTEGER NOT NULL,"
	"  source TEXT);"
	"CREATE INDEX evidence_by_subject ON evidence(scan_id, subject_kind, subject, id);"
	"CREATE TABLE targets("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  address TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  detail TEXT, credential TEXT,"
	"  PRIMARY KEY (scan_id, address));"
	"CREATE TABLE devices("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  identity TEXT NOT NULL,"
	"  address TEXT, addresses TEXT,"
	"  vendor TEXT, vendor_name TEXT, name_seen TEXT, grp TEXT, jurisdiction TEXT,"
	"  product TEXT, model TEXT, firmware TEXT, role TEXT, function TEXT,"
	"  domain TEXT, site TEXT, operator TEXT,"
	"  confidence INTEGER NOT NULL DEFAULT 0,"
	"  verdict TEXT);"
	"CREATE INDEX devices_by_scan ON devices(scan_id, identity);",
};

static void set_err(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(struct store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof st->err, fmt, ap);
	va_end(ap);
}

/* SQLite reports a full disk as SQLITE_FULL when a write fails, but as an
 * I/O error when it cannot even grow the WAL or shared-memory file: look
 * at the file system so the user hears the real reason. */
static int disk_full(const char *path)
{
	struct statvfs vfs;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = 0;
	else
		strcpy(dir, ".");
	int full = statvfs(dir, &vfs) == 0 && (uint64_t)vfs.f_bavail * vfs.f_frsize < 64 * 1024;
	free(dir);
	return full;
}

static int db_fail(struct store *st, const char *what)
{
	int code = sqlite3_errcode(st->db);
	if (code == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR && disk_full(st->path)))
		set_err(st, "%s: %s: the disk is full (or the database reached its size limit)", st->path, what);
	else if (code == SQLITE_READONLY)
		set_err(st, "%s: %s: database is read-only", st->path, what);
	else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		set_err(st, "%s: %s: database is busy (another originscan writing?)", st->path, what);
	else
		set_err(st, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
	return -1;
}

static int exec(struct store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		return db_fail(st, what);
	}
	return 0;
}

static int pragma_int(struct store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

const char *store_errmsg(const struct store *st)
{
	return st ? st->err : "no store";
}

const char *store_path(const struct store *st)
{
	return st->path;
}

static int tx_begin(struct store *st)
{
	if (st->in_tx)
		return 0;
	if (exec(st, "BEGIN IMMEDIATE", "begin transaction") < 0)
		return -1;
	st->in_tx = 1;
	st->pending = 0;
	st->tx_started = os_mono();
	return 0;
}

static int tx_commit(struct store *st)
{
	if (!st->in_tx)
		return 0;
	if (exec(st, "COMMIT", "commit") < 0) {
		/* Leave the transaction rolled back rather than dangling. */
		char save[sizeof st->err];
		memcpy(save, st->err, sizeof save);
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		memcpy(st->err, save, sizeof save);
		st->in_tx = 0;
		return -1;
	}
	st->in_tx = 0;
	st->pending = 0;
	return 0;
}

static void mark_orphans(struct store *st)
{
	/* Scans left 'running' by a process that no longer exists on this
	 * host were interrupted (killed, crashed, power lost). */
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT id, pid FROM scans WHERE status='running' AND host=?",
	                       -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(s, 1, host, -1, SQLITE_TRANSIENT);
	int64_t ids[64];
	int n = 0;
	while (sqlite3_step(s) == SQLITE_ROW && n < 64) {
		int64_t id = sqlite3_column_int64(s, 0);
		pid_t pid = (pid_t)sqlite3_column_int64(s, 1);
		if (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM))
			continue;
		ids[n++] = id;
	}
	sqlite3_finalize(s);
	for (int i = 0; i < n; i++) {
		if (sqlite3_prepare_v2(st->db,
		                       "UPDATE scans SET status='interrupted', ended_us=COALESCE(ended_us, ?),"
		                       " note='the scanning process ended without finishing the scan'"
		                       " WHERE id=? AND status='running'",
		                       -1, &s, NULL) != SQLITE_OK)
			return;
		sqlite3_bind_int64(s, 1, os_now_us());
		sqlite3_bind_int64(s, 2, ids[i]);
		sqlite3_step(s);
		sqlite3_finalize(s);
	}
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
	struct store *st = xcalloc(1, sizeof *st);
	int64_t app = 0, ver = 0, tables = 0;
	struct stat sb;

	st->path = xstrdup(path);
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		os_seterr(err, errlen, "%s is a directory, not a database file", path);
		goto fail;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		os_seterr(err, errlen, "cannot open database %s: %s", path,
		          st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 10000);
	if (pragma_int(st, "PRAGMA application_id", &app) < 0 ||
	    pragma_int(st, "SELECT count(*) FROM sqlite_master", &tables) < 0) {
		int code = sqlite3_errcode(st->db);
		if (code == SQLITE_NOTADB)
			os_seterr(err, errlen, "%s is not an originscan database (not an SQLite file)", path);
		else if (code == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR && disk_full(path)))
			os_seterr(err, errlen, "cannot open database %s: the disk is full", path);
		else
			os_seterr(err, errlen, "cannot read database %s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	pragma_int(st, "PRAGMA user_version", &ver);
	if (tables > 0 && (uint32_t)app != APP_ID) {
		os_seterr(err, errlen, "%s is not an originscan database (another program's SQLite file); refusing to touch it",
		          path);
		goto fail;
	}
	if (ver > SCHEMA_VERSION) {
		os_seterr(err, errlen,
		          "%s was written by a newer originscan (schema %lld; this one knows up to %d); upgrade originscan",
		          path, (long long)ver, SCHEMA_VERSION);
		goto fail;
	}
	if (exec(st, "PRAGMA journal_mode=WAL", "set WAL mode") < 0 ||
	    exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", "set pragmas") < 0) {
		os_seterr(err, errlen, "%s", st->err);
		goto fail;
	}
	if (ver < SCHEMA_VERSION) {
		if (exec(st, "BEGIN IMMEDIATE", "begin migration") < 0) {
			os_seterr(err, errlen, "%s", st->err);
			goto fail;
		}
		for (int64_t v = ver; v < SCHEMA_VERSION; v++)
			if (exec(st, migrations[v], "migrate schema") < 0) {
				os_seterr(err, errlen, "%s", st->err);
				sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
				goto fail;
			}
		char sql[128];
		snprintf(sql, sizeof sql, "PRAGMA application_id=%u; PRAGMA user_version=%d", APP_ID,
		         SCHEMA_VERSION);
		if (exec(st, sql, "record schema version") < 0 || exec(st, "COMMIT", "commit migration") < 0) {
			os_seterr(err, errlen, "%s", st->err);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
	}
	mark_orphans(st);
	return st;
fail:
	if (st->db)
		sqlite3_close(st->db);
	free(st->path);
	free(st);
	return NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->in_tx)
		tx_commit(st);
	sqlite3_finalize(st->ins_ev);
	sqlite3_finalize(st->ins_target);
	sqlite3_finalize(st->ins_dev);
	sqlite3_close(st->db);
	free(st->path);
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

int store_begin_scan(struct store *st, const char *command, const char *request_json,
                     const char *kb_version, int64_t *scan_id)
{
	sqlite3_stmt *s;
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	if (tx_commit(st) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db,
	                       "INSERT INTO scans(started_us,status,command,request,kb_version,host,pid)"
	                       " VALUES(?,'running',?,?,?,?,?)",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "prepare scan");
	sqlite3_bind_int64(s, 1, os_now_us());
	sqlite3_bind_text(s, 2, command, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, request_json ? request_json : "{}", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, kb_version ? kb_version : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, getpid());
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "record the new scan");
	*scan_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_finish_scan(struct store *st, int64_t scan_id, enum scan_status status, const char *note)
{
	sqlite3_stmt *s;
	if (tx_begin(st) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "UPDATE scans SET status=?, ended_us=?, note=? WHERE id=?", -1, &s,
	                       NULL) != SQLITE_OK)
		return db_fail(st, "prepare finish");
	sqlite3_bind_text(s, 1, scan_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, os_now_us());
	if (note)
		sqlite3_bind_text(s, 3, note, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_int64(s, 4, scan_id);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		db_fail(st, "record the scan's status");
		char save[sizeof st->err];
		memcpy(save, st->err, sizeof save);
		tx_commit(st);
		memcpy(st->err, save, sizeof save);
		return -1;
	}
	return tx_commit(st);
}

static int maybe_commit(struct store *st)
{
	if (++st->pending >= BATCH_ROWS || os_mono() - st->tx_started > 1.0)
		return tx_commit(st);
	return 0;
}

static int sink_emit(struct ev_sink *sk, const struct evidence *ev)
{
	struct store *st = sk->ctx;
	if (tx_begin(st) < 0)
		return -1;
	if (!st->ins_ev &&
	    sqlite3_prepare_v3(st->db,
	                       "INSERT INTO evidence(scan_id,collector,subject_kind,subject,key,value,seen_us,source)"
	                       " VALUES(?,?,?,?,?,?,?,?)",
	                       -1, SQLITE_PREPARE_PERSISTENT, &st->ins_ev, NULL) != SQLITE_OK)
		return db_fail(st, "prepare evidence insert");
	sqlite3_stmt *s = st->ins_ev;
	sqlite3_bind_int64(s, 1, st->sink_scan);
	sqlite3_bind_text(s, 2, ev->collector, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, subj_kind_name(ev->subj_kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, ev->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, ev->key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 6, ev->value_len ? ev->value : "", (int)ev->value_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, ev->seen_us);
	if (ev->source)
		sqlite3_bind_text(s, 8, ev->source, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 8);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "store evidence");
	sk->emitted++;
	return maybe_commit(st);
}

static int sink_target(struct ev_sink *sk, const char *address, const char *state, const char *detail,
                       const char *credential)
{
	struct store *st = sk->ctx;
	if (tx_begin(st) < 0)
		return -1;
	if (!st->ins_target &&
	    sqlite3_prepare_v3(st->db,
	                       "INSERT OR REPLACE INTO targets(scan_id,address,state,detail,credential)"
	                       " VALUES(?,?,?,?,?)",
	                       -1, SQLITE_PREPARE_PERSISTENT, &st->ins_target, NULL) != SQLITE_OK)
		return db_fail(st, "prepare target insert");
	sqlite3_stmt *s = st->ins_target;
	sqlite3_bind_int64(s, 1, st->sink_scan);
	sqlite3_bind_text(s, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, state, -1, SQLITE_STATIC);
	if (detail)
		sqlite3_bind_text(s, 4, detail, -1, SQLITE_STATIC);
	if (credential)
		sqlite3_bind_text(s, 5, credential, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "store target outcome");
	return maybe_commit(st);
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

int store_commit(struct store *st)
{
	return tx_commit(st);
}

void scan_info_free(struct scan_info *si)
{
	free(si->command);
	free(si->request);
	free(si->kb_version);
	free(si->note);
	free(si->attrib_kb);
	memset(si, 0, sizeof *si);
}

static char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? xstrdup((const char *)t) : NULL;
}

#define SCAN_COLS                                                                             \
	"SELECT id, started_us, COALESCE(ended_us,0), status, command, request, kb_version, note," \
	" attrib_kb, COALESCE(attrib_as_of,0),"                                                   \
	" (SELECT count(*) FROM evidence e WHERE e.scan_id=scans.id),"                            \
	" (SELECT count(*) FROM devices d WHERE d.scan_id=scans.id),"                             \
	" (SELECT count(*) FROM targets t WHERE t.scan_id=scans.id),"                             \
	" (SELECT count(*) FROM targets t WHERE t.scan_id=scans.id AND t.state='answered')"      \
	" FROM scans"

static void read_scan(sqlite3_stmt *s, struct scan_info *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	out->started_us = sqlite3_column_int64(s, 1);
	out->ended_us = sqlite3_column_int64(s, 2);
	const char *status = (const char *)sqlite3_column_text(s, 3);
	if (!status || scan_status_parse(status, &out->status) < 0)
		out->status = SCAN_FAILED;
	out->command = col_dup(s, 4);
	out->request = col_dup(s, 5);
	out->kb_version = col_dup(s, 6);
	out->note = col_dup(s, 7);
	out->attrib_kb = col_dup(s, 8);
	out->attrib_as_of = sqlite3_column_int(s, 9);
	out->evidence_rows = sqlite3_column_int64(s, 10);
	out->devices = sqlite3_column_int64(s, 11);
	out->targets = sqlite3_column_int64(s, 12);
	out->answered = sqlite3_column_int64(s, 13);
}

int store_scan_info(struct store *st, int64_t scan_id, struct scan_info *out)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, SCAN_COLS " WHERE id=?", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "read scan");
	sqlite3_bind_int64(s, 1, scan_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_scan(s, out);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			set_err(st, "no scan %lld in %s", (long long)scan_id, st->path);
		else
			db_fail(st, "read scan");
		return -1;
	}
	return 0;
}

int store_latest_scan(struct store *st, int complete_only, int64_t *id)
{
	sqlite3_stmt *s;
	*id = 0;
	if (sqlite3_prepare_v2(st->db,
	                       complete_only ? "SELECT max(id) FROM scans WHERE status='complete'"
	                                     : "SELECT max(id) FROM scans",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "find latest scan");
	if (sqlite3_step(s) == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

int store_each_scan(struct store *st, int (*cb)(void *ctx, const struct scan_info *si), void *ctx)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, SCAN_COLS " ORDER BY id DESC", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "list scans");
	int rc, ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct scan_info si;
		read_scan(s, &si);
		int r = cb(ctx, &si);
		scan_info_free(&si);
		if (r) {
			ret = r;
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = db_fail(st, "list scans");
	sqlite3_finalize(s);
	return ret;
}

int store_each_evidence(struct store *st, int64_t scan_id,
                        int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id), void *ctx)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id, collector, subject_kind, subject, key, value, seen_us, source"
	                       " FROM evidence WHERE scan_id=? ORDER BY subject_kind, subject, id",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "read evidence");
	sqlite3_bind_int64(s, 1, scan_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct evidence ev = {0};
		ev.collector = (const char *)sqlite3_column_text(s, 1);
		ev.subj_kind = subj_kind_parse((const char *)sqlite3_column_text(s, 2));
		ev.subject = (const char *)sqlite3_column_text(s, 3);
		ev.key = (const char *)sqlite3_column_text(s, 4);
		ev.value = sqlite3_column_blob(s, 5);
		ev.value_len = (size_t)sqlite3_column_bytes(s, 5);
		ev.seen_us = sqlite3_column_int64(s, 6);
		ev.source = (const char *)sqlite3_column_text(s, 7);
		if (!ev.value)
			ev.value = "";
		int r = cb(ctx, &ev, sqlite3_column_int64(s, 0));
		if (r) {
			ret = r;
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = db_fail(st, "read evidence");
	sqlite3_finalize(s);
	return ret;
}

int store_each_target(struct store *st, int64_t scan_id,
                      int (*cb)(void *ctx, const struct target_row *t), void *ctx)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT address, state, detail, credential FROM targets WHERE scan_id=?"
	                       " ORDER BY address",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "read targets");
	sqlite3_bind_int64(s, 1, scan_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct target_row t = {
			(const char *)sqlite3_column_text(s, 0),
			(const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2),
			(const char *)sqlite3_column_text(s, 3),
		};
		int r = cb(ctx, &t);
		if (r) {
			ret = r;
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = db_fail(st, "read targets");
	sqlite3_finalize(s);
	return ret;
}

int store_devices_begin(struct store *st, int64_t scan_id)
{
	sqlite3_stmt *s;
	if (tx_commit(st) < 0 || tx_begin(st) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "DELETE FROM devices WHERE scan_id=?", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "prepare device reset");
	sqlite3_bind_int64(s, 1, scan_id);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "reset devices");
	return 0;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

int store_put_device(struct store *st, int64_t scan_id, const struct device_row *d)
{
	if (!st->ins_dev &&
	    sqlite3_prepare_v3(st->db,
	                       "INSERT INTO devices(scan_id,identity,address,addresses,vendor,vendor_name,"
	                       "name_seen,grp,jurisdiction,product,model,firmware,role,function,domain,site,"
	                       "operator,confidence,verdict) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                       -1, SQLITE_PREPARE_PERSISTENT, &st->ins_dev, NULL) != SQLITE_OK)
		return db_fail(st, "prepare device insert");
	sqlite3_stmt *s = st->ins_dev;
	sqlite3_bind_int64(s, 1, scan_id);
	sqlite3_bind_text(s, 2, d->identity, -1, SQLITE_STATIC);
	bind_opt(s, 3, d->address);
	bind_opt(s, 4, d->addresses);
	bind_opt(s, 5, d->vendor);
	bind_opt(s, 6, d->vendor_name);
	bind_opt(s, 7, d->name_seen);
	bind_opt(s, 8, d->grp);
	bind_opt(s, 9, d->jurisdiction);
	bind_opt(s, 10, d->product);
	bind_opt(s, 11, d->model);
	bind_opt(s, 12, d->firmware);
	bind_opt(s, 13, d->role);
	bind_opt(s, 14, d->function);
	bind_opt(s, 15, d->domain);
	bind_opt(s, 16, d->site);
	bind_opt(s, 17, d->operator_name);
	sqlite3_bind_int(s, 18, d->confidence);
	bind_opt(s, 19, d->verdict_json);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "store device verdict");
	return 0;
}

int store_set_attribution(struct store *st, int64_t scan_id, const char *kb_version, int as_of)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "UPDATE scans SET attrib_kb=?, attrib_as_of=? WHERE id=?", -1, &s,
	                       NULL) != SQLITE_OK)
		return db_fail(st, "prepare attribution record");
	sqlite3_bind_text(s, 1, kb_version, -1, SQLITE_TRANSIENT);
	if (as_of > 0)
		sqlite3_bind_int(s, 2, as_of);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_int64(s, 3, scan_id);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, "record attribution");
}

int store_devices_end(struct store *st, int commit)
{
	if (commit)
		return tx_commit(st);
	if (st->in_tx) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st->in_tx = 0;
	}
	return 0;
}

int store_each_device(struct store *st, int64_t scan_id,
                      int (*cb)(void *ctx, const struct device_row *d), void *ctx)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id,identity,address,addresses,vendor,vendor_name,name_seen,grp,"
	                       "jurisdiction,product,model,firmware,role,function,domain,site,operator,"
	                       "confidence,verdict FROM devices WHERE scan_id=? ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "read devices");
	sqlite3_bind_int64(s, 1, scan_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct device_row d;
#define T(i) ((const char *)sqlite3_column_text(s, i))
		d.id = sqlite3_column_int64(s, 0);
		d.identity = T(1);
		d.address = T(2);
		d.addresses = T(3);
		d.vendor = T(4);
		d.vendor_name = T(5);
		d.name_seen = T(6);
		d.grp = T(7);
		d.jurisdiction = T(8);
		d.product = T(9);
		d.model = T(10);
		d.firmware = T(11);
		d.role = T(12);
		d.function = T(13);
		d.domain = T(14);
		d.site = T(15);
		d.operator_name = T(16);
		d.confidence = sqlite3_column_int(s, 17);
		d.verdict_json = T(18);
#undef T
		int r = cb(ctx, &d);
		if (r) {
			ret = r;
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = db_fail(st, "read devices");
	sqlite3_finalize(s);
	return ret;
}
