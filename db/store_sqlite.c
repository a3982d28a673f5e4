/* The SQLite store behind include/store.h.
 *
 * Layout (schema version in PRAGMA user_version, ours marked by
 * PRAGMA application_id so a stranger's database is never written to):
 *   scans     one row per scan: status, what was asked, kb version
 *   evidence  raw facts, append-only per scan, values as BLOBs
 *   targets   what happened to each polled address
 *   devices   attribution's verdicts per scan (replaced on reattribute)
 *   scan_resume  where an active sweep stands (positions in its visiting
 *             order), written in the transaction of the outcomes it covers
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
#define SCHEMA_VERSION 5
#define BATCH_ROWS 5000

struct store {
	sqlite3 *db;
	char *path;
	char err[512];
	int in_tx;
	unsigned pending;
	double tx_started;
	sqlite3_stmt *ins_ev, *ins_target, *ins_dev, *ins_verdict, *sel_subject_ev, *set_resume, *target_done;
	int64_t dev_scan;               /* scan whose devices are being replaced */
	struct buf claims, components, found;   /* verdict parts handed out by read_device() */
	struct ev_sink sink;
	int64_t sink_scan;
};

/* A scan's devices counted by everything report summaries group by. */
#define COUNT_DEVICES                                                                                 \
	"SELECT scan_id,domain,site,operator,vendor,grp,jurisdiction,function,"                       \
	" CASE WHEN vendor IS NULL THEN 0 WHEN confidence>=80 THEN 3 WHEN confidence>=50 THEN 2 ELSE 1 END," \
	" count(*) FROM devices"
#define COUNT_DEVICES_GROUP " GROUP BY 1,2,3,4,5,6,7,8,9"
#define COUNT_FIRMWARE "SELECT scan_id,operator,vendor,model,firmware,count(*) FROM devices WHERE vendor IS NOT NULL"
#define COUNT_FIRMWARE_GROUP " GROUP BY 1,2,3,4,5"

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
	/* 1 -> 2: reports, diffs and history (issue 7). The site map a scan's
	 * verdicts used; where a device's domain came from; how many of its
	 * parts another maker made. Verdict JSON (about 1 KB a device) moves
	 * to its own table so that the scans of devices that reports and
	 * diffs make read narrow rows, and each scan's devices are counted
	 * once per attribution into device_counts, which report summaries and
	 * trends read instead of the devices. Lookups of one device across
	 * scans by identity and address. */
	"ALTER TABLE scans ADD COLUMN site_map TEXT;"
	"ALTER TABLE scans ADD COLUMN n_evidence INTEGER;"       /* counted when the scan ends */
	"ALTER TABLE scans ADD COLUMN n_targets INTEGER;"
	"ALTER TABLE scans ADD COLUMN n_answered INTEGER;"
	"ALTER TABLE devices ADD COLUMN domain_from TEXT;"
	"ALTER TABLE devices ADD COLUMN foreign_parts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE devices ADD COLUMN foreign_vendors TEXT;"
	"CREATE TABLE verdicts("
	"  device_id INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,"
	"  verdict TEXT NOT NULL);"
	"INSERT INTO verdicts SELECT id, verdict FROM devices WHERE verdict IS NOT NULL;"
	"ALTER TABLE devices DROP COLUMN verdict;"
	"CREATE TABLE device_counts("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  domain TEXT, site TEXT, operator TEXT, vendor TEXT, grp TEXT, jurisdiction TEXT, function TEXT,"
	"  band INTEGER NOT NULL,"       /* 0 unattributed, 1 low, 2 medium, 3 high confidence */
	"  n INTEGER NOT NULL);"
	"CREATE INDEX device_counts_by_scan ON device_counts(scan_id);"
	"INSERT INTO device_counts " COUNT_DEVICES COUNT_DEVICES_GROUP ";"
	"CREATE TABLE firmware_counts("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  operator TEXT, vendor TEXT NOT NULL, model TEXT, firmware TEXT, n INTEGER NOT NULL);"
	"CREATE INDEX firmware_counts_by_scan ON firmware_counts(scan_id);"
	"INSERT INTO firmware_counts " COUNT_FIRMWARE COUNT_FIRMWARE_GROUP ";"
	/* the few devices the component and unattributed lists want */
	"CREATE INDEX devices_with_foreign_parts ON devices(scan_id) WHERE foreign_parts>0;"
	"CREATE INDEX devices_unattributed ON devices(scan_id) WHERE vendor IS NULL;"
	"CREATE INDEX devices_by_scan_id ON devices(scan_id);"  /* a scan's devices in id order */
	"CREATE INDEX devices_by_identity ON devices(identity);"
	"CREATE INDEX devices_by_address ON devices(address);",
	/* 2 -> 3: where an interrupted sweep stands, so it can be resumed */
	"CREATE TABLE scan_resume("
	"  scan_id INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,"
	"  done_below INTEGER NOT NULL,"  /* every position below has its outcome stored */
	"  granted INTEGER NOT NULL,"     /* no position from here on was started */
	"  updated_us INTEGER NOT NULL);",
	/* 3 -> 4: the name a device goes by (sysName, LLDP System Name, CDP
	 * Device ID, DHCP host name), so that reports show it and show finds
	 * the box by it (issue 11) */
	("ALTER TABLE devices ADD COLUMN name TEXT;"
	 "CREATE INDEX devices_by_name ON devices(name COLLATE NOCASE);"),
	/* 4 -> 5: brand and maker apart (an HP-branded switch H3C made), a
	 * maker known only from the registries, and the makers a policy calls
	 * high-risk that weak or outvoted evidence named ("possibly X") */
	"ALTER TABLE devices ADD COLUMN brand TEXT;"
	"ALTER TABLE devices ADD COLUMN registry_only INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE devices ADD COLUMN possibly TEXT;"
	"ALTER TABLE devices ADD COLUMN disputed INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX devices_disputed ON devices(scan_id) WHERE disputed=1;",
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

/* Who the file says it is, read in one statement so that the three come
 * from one snapshot: another process creating the file commits its
 * tables, application id and version together. */
static int read_header(struct store *st, int64_t *app, int64_t *ver, int64_t *tables)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT a.application_id, v.user_version, (SELECT count(*) FROM sqlite_master)"
	                       " FROM pragma_application_id a, pragma_user_version v",
	                       -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*app = sqlite3_column_int64(s, 0);
		*ver = sqlite3_column_int64(s, 1);
		*tables = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* WAL mode, once per file. Switching takes an exclusive lock that
 * SQLite may refuse at once (SQLITE_BUSY, without the busy handler) while
 * another process creates or migrates the same new file: ask again until
 * the mode is WAL, within the busy timeout. */
static int set_wal(struct store *st)
{
	for (int i = 0;; i++) {
		sqlite3_stmt *s;
		int rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
		const char *mode = NULL;
		if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
			mode = (const char *)sqlite3_column_text(s, 0);
		int wal = mode && !strcmp(mode, "wal");
		sqlite3_finalize(s);
		if (wal)
			return 0;
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED && rc != SQLITE_ROW)
			return db_fail(st, "set WAL mode");
		if (i >= 200)
			return db_fail(st, "set WAL mode");
		usleep(50000);
	}
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
	return store_open_flags(path, 0, err, errlen);
}

struct store *store_open_flags(const char *path, unsigned flags, char *err, size_t errlen)
{
	struct store *st = xcalloc(1, sizeof *st);
	int64_t app = 0, ver = 0, tables = 0;
	struct stat sb;
	int readonly = (flags & STORE_READ) != 0;

	st->path = xstrdup(path);
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		os_seterr(err, errlen, "%s is a directory, not a database file", path);
		goto fail;
	}
	/* a command that only reads never creates a database: a mistyped
	 * --db is said, not answered with an empty scan list */
	if (readonly && stat(path, &sb) < 0) {
		os_seterr(err, errlen, "%s: no such database (%s)", path, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | (readonly ? 0 : SQLITE_OPEN_CREATE), NULL) !=
	    SQLITE_OK) {
		os_seterr(err, errlen, "cannot open database %s: %s", path,
		          st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 10000);
	if (read_header(st, &app, &ver, &tables) < 0) {
		int code = sqlite3_errcode(st->db);
		if (code == SQLITE_NOTADB)
			os_seterr(err, errlen, "%s is not an originscan database (not an SQLite file)", path);
		else if (code == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR && disk_full(path)))
			os_seterr(err, errlen, "cannot open database %s: the disk is full", path);
		else
			os_seterr(err, errlen, "cannot read database %s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (tables > 0 && (uint32_t)app != APP_ID) {
		os_seterr(err, errlen, "%s is not an originscan database (another program's SQLite file); refusing to touch it",
		          path);
		goto fail;
	}
	if (ver < 0 || (ver > 0 && (uint32_t)app != APP_ID)) {
		/* user_version indexes the migrations: only 0..SCHEMA_VERSION
		 * of a file marked as ours can be trusted to mean a schema */
		os_seterr(err, errlen, "%s is not an originscan database (schema version %lld%s); refusing to touch it",
		          path, (long long)ver, (uint32_t)app != APP_ID ? ", not marked as ours" : "");
		goto fail;
	}
	if (ver > SCHEMA_VERSION) {
		os_seterr(err, errlen,
		          "%s was written by a newer originscan (schema %lld; this one knows up to %d); upgrade originscan",
		          path, (long long)ver, SCHEMA_VERSION);
		goto fail;
	}
	if (readonly && tables == 0) {
		os_seterr(err, errlen, "%s is empty: no originscan database there", path);
		goto fail;
	}
	if (set_wal(st) < 0 ||
	    exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", "set pragmas") < 0 ||
	    /* reports and diffs walk whole scans: a 64 MiB page cache (the
	     * default is 2 MiB) saves most of their re-reads */
	    exec(st, "PRAGMA cache_size=-65536", "set the cache size") < 0) {
		os_seterr(err, errlen, "%s", st->err);
		goto fail;
	}
	if (ver < SCHEMA_VERSION) {
		if (exec(st, "BEGIN IMMEDIATE", "begin migration") < 0) {
			os_seterr(err, errlen, "%s", st->err);
			goto fail;
		}
		/* Another process may have created or migrated the file between
		 * our first look and our write lock: read the version again
		 * under the lock, and migrate only from there. */
		if (read_header(st, &app, &ver, &tables) < 0) {
			os_seterr(err, errlen, "cannot read database %s: %s", path, sqlite3_errmsg(st->db));
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
		if (ver < 0 || ver > SCHEMA_VERSION || ((ver > 0 || tables > 0) && (uint32_t)app != APP_ID)) {
			os_seterr(err, errlen, "%s changed while it was opened (schema version %lld); refusing to touch it",
			          path, (long long)ver);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
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
	sqlite3_finalize(st->set_resume);
	sqlite3_finalize(st->target_done);
	sqlite3_finalize(st->ins_verdict);
	sqlite3_finalize(st->sel_subject_ev);
	buf_free(&st->claims);
	buf_free(&st->found);
	buf_free(&st->components);
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

/* A running scan belongs to the process running it (host and pid in its
 * row): nothing else may write its verdicts, its site map or its end, or
 * a half-collected scan would look finished. 0 when the scan may be
 * written by this process, -1 (with the reason) when not. */
static int scan_writable(struct store *st, int64_t scan_id, const char *what)
{
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT status, COALESCE(host,''), COALESCE(pid,0) FROM scans WHERE id=?", -1,
	                       &s, NULL) != SQLITE_OK)
		return db_fail(st, "read scan");
	sqlite3_bind_int64(s, 1, scan_id);
	int rc = sqlite3_step(s), ret = 0;
	if (rc == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(s, 0);
		const char *h = (const char *)sqlite3_column_text(s, 1);
		int64_t pid = sqlite3_column_int64(s, 2);
		if (status && !strcmp(status, "running") && (strcmp(h, host) || pid != getpid())) {
			set_err(st, "scan %lld is still running (process %lld on %s): %s only when it has ended",
			        (long long)scan_id, (long long)pid, *h ? h : "another host", what);
			ret = -1;
		}
	} else if (rc == SQLITE_DONE) {
		set_err(st, "no scan %lld in %s", (long long)scan_id, st->path);
		ret = -1;
	} else
		ret = db_fail(st, "read scan");
	sqlite3_finalize(s);
	return ret;
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
	if (scan_writable(st, scan_id, "it can be ended by its own collector") < 0)
		return -1;
	if (tx_begin(st) < 0)
		return -1;
	/* the counts `scans` and reports show, counted once here rather
	 * than on every reading of a finished scan */
	if (sqlite3_prepare_v2(st->db,
	                       "UPDATE scans SET status=?1, ended_us=?2, note=?3,"
	                       " n_evidence=(SELECT count(*) FROM evidence WHERE scan_id=?4),"
	                       " n_targets=(SELECT count(*) FROM targets WHERE scan_id=?4),"
	                       " n_answered=(SELECT count(*) FROM targets WHERE scan_id=?4 AND state='answered')"
	                       " WHERE id=?4 AND status='running'",
	                       -1, &s, NULL) != SQLITE_OK)
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
	if (rc == SQLITE_DONE && sqlite3_changes(st->db) != 1) {
		set_err(st, "scan %lld is not running: it has already ended", (long long)scan_id);
		tx_commit(st);
		return -1;
	}
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
	free(si->site_map);
	free(si->plan);
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
	" COALESCE(n_evidence, (SELECT count(*) FROM evidence e WHERE e.scan_id=scans.id)),"      \
	" (SELECT COALESCE(sum(n),0) FROM device_counts c WHERE c.scan_id=scans.id),"             \
	" COALESCE(n_targets, (SELECT count(*) FROM targets t WHERE t.scan_id=scans.id)),"        \
	" COALESCE(n_answered, (SELECT count(*) FROM targets t WHERE t.scan_id=scans.id"          \
	"  AND t.state='answered')),"                                                             \
	" site_map, json_extract(request, '$.plan'),"                                             \
	" (SELECT COALESCE(sum(n),0) FROM device_counts c WHERE c.scan_id=scans.id AND band>0)"   \
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
	out->site_map = col_dup(s, 14);
	out->plan = sqlite3_column_type(s, 15) == SQLITE_TEXT ? col_dup(s, 15) : NULL;
	out->attributed = sqlite3_column_int64(s, 16);
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

static int each_evidence(struct store *st, int64_t scan_id, int ordered,
                         int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id), void *ctx)
{
	sqlite3_stmt *s;
	int64_t lo = 0, hi = -1;
	if (!ordered) {
		/* A scan's rows were appended together: read them as a range of
		 * rowids, in storage order, without index lookups. */
		if (sqlite3_prepare_v2(st->db, "SELECT min(id), max(id) FROM evidence WHERE scan_id=?", -1, &s,
		                       NULL) != SQLITE_OK)
			return db_fail(st, "read evidence");
		sqlite3_bind_int64(s, 1, scan_id);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
			lo = sqlite3_column_int64(s, 0);
			hi = sqlite3_column_int64(s, 1);
		}
		sqlite3_finalize(s);
	}
	if (sqlite3_prepare_v2(st->db,
	                       ordered ? "SELECT id, collector, subject_kind, subject, key, value, seen_us, source"
	                                 " FROM evidence WHERE scan_id=? ORDER BY subject_kind, subject, id"
	                               : "SELECT id, collector, subject_kind, subject, key, value, seen_us, source"
	                                 " FROM evidence WHERE +scan_id=? AND id BETWEEN ? AND ?",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "read evidence");
	sqlite3_bind_int64(s, 1, scan_id);
	if (!ordered) {
		sqlite3_bind_int64(s, 2, lo);
		sqlite3_bind_int64(s, 3, hi);
	}
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
	/* A running scan's collector holds the write lock while it batches:
	 * say at once that its scan is not ours, without waiting for the
	 * lock; then check again inside the write transaction, where the
	 * scan cannot start running under us before the writes. */
	if (tx_commit(st) < 0 || scan_writable(st, scan_id, "its verdicts can be written") < 0 || tx_begin(st) < 0)
		return -1;
	if (scan_writable(st, scan_id, "its verdicts can be written") < 0) {
		char save[sizeof st->err];
		memcpy(save, st->err, sizeof save);
		store_devices_end(st, 0);
		memcpy(st->err, save, sizeof save);
		return -1;
	}
	st->dev_scan = scan_id;
	static const char *const sql[] = {"DELETE FROM device_counts WHERE scan_id=?",
	                                  "DELETE FROM firmware_counts WHERE scan_id=?",
	                                  "DELETE FROM devices WHERE scan_id=?"};
	for (size_t i = 0; i < OS_ARRAY_LEN(sql); i++) {
		if (sqlite3_prepare_v2(st->db, sql[i], -1, &s, NULL) != SQLITE_OK)
			return db_fail(st, "prepare device reset");
		sqlite3_bind_int64(s, 1, scan_id);
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return db_fail(st, "reset devices");
	}
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
	                       "operator,confidence,domain_from,foreign_parts,foreign_vendors,name,brand,"
	                       "registry_only,possibly,disputed)"
	                       " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
	bind_opt(s, 19, d->domain_from);
	sqlite3_bind_int(s, 20, d->foreign_parts);
	bind_opt(s, 21, d->foreign_vendors);
	bind_opt(s, 22, d->name);
	bind_opt(s, 23, d->brand);
	sqlite3_bind_int(s, 24, d->registry_only);
	bind_opt(s, 25, d->possibly);
	sqlite3_bind_int(s, 26, d->disputed);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "store device verdict");
	if (!d->verdict_json || !*d->verdict_json)
		return 0;
	if (!st->ins_verdict && sqlite3_prepare_v3(st->db, "INSERT INTO verdicts(device_id,verdict) VALUES(?,?)", -1,
	                                           SQLITE_PREPARE_PERSISTENT, &st->ins_verdict, NULL) != SQLITE_OK)
		return db_fail(st, "prepare verdict insert");
	s = st->ins_verdict;
	sqlite3_bind_int64(s, 1, sqlite3_last_insert_rowid(st->db));
	sqlite3_bind_text(s, 2, d->verdict_json, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, "store device verdict");
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
	if (commit) {
		/* the scan's counts, in the same transaction as its devices */
		static const char *const sql[] = {
			"INSERT INTO device_counts " COUNT_DEVICES " WHERE scan_id=?" COUNT_DEVICES_GROUP,
			"INSERT INTO firmware_counts " COUNT_FIRMWARE " AND scan_id=?" COUNT_FIRMWARE_GROUP,
		};
		for (size_t i = 0; i < OS_ARRAY_LEN(sql); i++) {
			sqlite3_stmt *s;
			int rc = SQLITE_ERROR;
			if (sqlite3_prepare_v2(st->db, sql[i], -1, &s, NULL) == SQLITE_OK) {
				sqlite3_bind_int64(s, 1, st->dev_scan);
				rc = sqlite3_step(s);
				sqlite3_finalize(s);
			}
			if (rc != SQLITE_DONE) {
				db_fail(st, "count devices");
				char save[sizeof st->err];
				memcpy(save, st->err, sizeof save);
				store_devices_end(st, 0);
				memcpy(st->err, save, sizeof save);
				return -1;
			}
		}
		return tx_commit(st);
	}
	if (st->in_tx) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st->in_tx = 0;
	}
	return 0;
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

static void qb_bind_txt(struct qb *q, const char *v, int64_t num)
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
		qb_bind_txt(q, vals[i], 0);
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
	qb_bind_txt(q, NULL, f->scan_id);
	if (f->noperators)
		qb_in(q, C("operator"), f->operators, f->noperators);
	if (f->domain && *f->domain) {
		buf_printf(&q->sql, " AND %s=?", C("domain"));
		qb_bind_txt(q, f->domain, 0);
	} else if (f->domain)
		buf_printf(&q->sql, " AND %s IS NULL", C("domain"));
	if (f->nfunctions) {
		buf_adds(&q->sql, " AND (0");
		buf_printf(&q->sql, " OR %s IN (", C("function"));
		for (size_t i = 0; i < f->nfunctions; i++) {
			buf_adds(&q->sql, i ? ",?" : "?");
			qb_bind_txt(q, f->functions[i], 0);
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

static int qb_prepare(struct store *st, struct qb *q, sqlite3_stmt **s, const char *what)
{
	int rc = sqlite3_prepare_v2(st->db, q->sql.p, -1, s, NULL);
	if (rc == SQLITE_OK)
		for (size_t i = 0; i < q->n; i++) {
			if (q->txt[i])
				sqlite3_bind_text(*s, (int)i + 1, q->txt[i], -1, SQLITE_STATIC);
			else
				sqlite3_bind_int64(*s, (int)i + 1, q->num[i]);
		}
	buf_free(&q->sql);
	free(q->txt);
	free(q->num);
	memset(q, 0, sizeof *q);
	return rc == SQLITE_OK ? 0 : db_fail(st, what);
}

/* Runs a prepared statement, handing each row to fn; stops early when fn
 * returns non-zero (and returns that). */
static int each_row(struct store *st, sqlite3_stmt *s, int (*fn)(sqlite3_stmt *s, void *arg), void *arg,
                    const char *what)
{
	int rc, ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int r = fn(s, arg);
		if (r) {
			ret = r;
			break;
		}
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_fail(st, what);
	sqlite3_finalize(s);
	return ret;
}

/* Prepares a built query and hands each row to fn. */
static int run_q(struct store *st, struct qb *q, int (*fn)(sqlite3_stmt *s, void *arg), void *arg,
                 const char *what)
{
	sqlite3_stmt *s;
	if (qb_prepare(st, q, &s, what) < 0)
		return -1;
	return each_row(st, s, fn, arg, what);
}

#define DEV_COLS                                                                                   \
	"id,identity,address,addresses,vendor,vendor_name,name_seen,grp,jurisdiction,product,model,"   \
	"firmware,role,function,domain,site,operator,confidence,domain_from,foreign_parts,scan_id,"     \
	"foreign_vendors,name,brand,registry_only,possibly,disputed"
#define DEV_NCOLS 27

/* ---- verdict parts without a JSON parser ----
 * Reports want the claims and components of each stored verdict as JSON
 * text to pass through. Parsing a kilobyte of JSON per device would cost
 * more than the rest of a million-device report, so the top-level members
 * are cut out of the text by skipping over strings and brackets. The text
 * is attribution's own (jansson wrote it); anything malformed yields no
 * part, never an over-read: every step is bounded by end. */
static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

static const char *skip_value(const char *p, const char *end)
{
	if (p >= end)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (p < end) {
			if (*p == '"') {
				if (!(p = skip_string(p, end)))
					return NULL;
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return NULL;
	}
	const char *s = p;
	while (p < end && !strchr(",}] \t\r\n", *p))
		p++;
	return p > s ? p : NULL;
}

struct member {
	const char *key;
	const char *val;
	size_t len;
};

static void json_members(const char *p, size_t n, struct member *m, size_t nm)
{
	const char *end = p + n;
	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return;
	for (p++;;) {
		p = skip_ws(p, end);
		if (p >= end || *p != '"')
			return;
		const char *ks = p + 1, *ke = skip_string(p, end);
		if (!ke)
			return;
		p = skip_ws(ke, end);
		if (p >= end || *p != ':')
			return;
		const char *vs = skip_ws(p + 1, end), *ve = skip_value(vs, end);
		if (!ve)
			return;
		for (size_t i = 0; i < nm; i++)
			if ((size_t)(ke - 1 - ks) == strlen(m[i].key) && !memcmp(ks, m[i].key, (size_t)(ke - 1 - ks))) {
				m[i].val = vs;
				m[i].len = (size_t)(ve - vs);
			}
		p = skip_ws(ve, end);
		if (p >= end || *p != ',')
			return;
		p++;
	}
}

static void set_verdict(struct store *st, struct device_row *d, enum device_verdict_cols vc, const char *v, size_t len)
{
	if (vc == DEV_VERDICT_WHOLE)
		d->verdict_json = v;
	else if (vc == DEV_VERDICT_PARTS) {
		struct member m[4] = {{"claims", NULL, 0}, {"components", NULL, 0}, {"disputed", NULL, 0},
		                      {"found", NULL, 0}};
		if (v)
			json_members(v, len, m, 4);
		buf_reset(&st->claims);
		buf_reset(&st->components);
		buf_reset(&st->found);
		if (m[3].val && *m[3].val == '{') {
			buf_add(&st->found, m[3].val, m[3].len);
			d->found_json = st->found.p;
		}
		if (m[0].val && *m[0].val == '[') {
			buf_add(&st->claims, m[0].val, m[0].len);
			d->claims_json = st->claims.p;
		}
		if (m[1].val && *m[1].val == '[') {
			buf_add(&st->components, m[1].val, m[1].len);
			d->components_json = st->components.p;
		}
		d->disputed |= m[2].val && m[2].len == 4 && !memcmp(m[2].val, "true", 4);
	}
}

/* The device columns of a row; the verdict from column DEV_NCOLS when
 * the query selected it. */
static void read_device(struct store *st, sqlite3_stmt *s, struct device_row *d, enum device_verdict_cols vc)
{
#define T(i) ((const char *)sqlite3_column_text(s, i))
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(s, 0);
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
	d->confidence = sqlite3_column_int(s, 17);
	d->domain_from = T(18);
	d->foreign_parts = sqlite3_column_int(s, 19);
	d->scan_id = sqlite3_column_int64(s, 20);
	d->foreign_vendors = T(21);
	d->name = T(22);
	d->brand = T(23);
	d->registry_only = sqlite3_column_int(s, 24);
	d->possibly = T(25);
	d->disputed = sqlite3_column_int(s, 26);
	if (vc != DEV_VERDICT_NONE && sqlite3_column_count(s) > DEV_NCOLS)
		set_verdict(st, d, vc, T(DEV_NCOLS), (size_t)sqlite3_column_bytes(s, DEV_NCOLS));
#undef T
}

struct dev_cb {
	int (*cb)(void *ctx, const struct device_row *d);
	void *ctx;
	enum device_verdict_cols vc;
	struct store *st;
	sqlite3_stmt *side;             /* verdicts in device order, walked alongside */
	int side_rc;
};

static int dev_row(sqlite3_stmt *s, void *arg)
{
	struct dev_cb *c = arg;
	struct device_row d;
	read_device(c->st, s, &d, c->vc);
	if (c->side) {
		while (c->side_rc == SQLITE_ROW && sqlite3_column_int64(c->side, 0) < d.id)
			c->side_rc = sqlite3_step(c->side);
		if (c->side_rc == SQLITE_ROW && sqlite3_column_int64(c->side, 0) == d.id)
			set_verdict(c->st, &d, c->vc, (const char *)sqlite3_column_text(c->side, 1),
			            (size_t)sqlite3_column_bytes(c->side, 1));
		else
			set_verdict(c->st, &d, c->vc, NULL, 0);
	}
	return c->cb(c->ctx, &d);
}

/* A whole scan in id order reads best as a range of rowids: the scan's
 * devices were inserted in one transaction, so their ids are contiguous,
 * and their verdicts (keyed by device id) can be walked alongside instead
 * of looked up one by one. */
static int whole_scan(const struct device_filter *f)
{
	return f->order == DEV_ORDER_ID && !f->domain && !f->nfunctions && !f->nvendors && !f->attributed &&
	       !f->foreign_parts;
}

static int scan_id_range(struct store *st, int64_t scan_id, int64_t *lo, int64_t *hi)
{
	sqlite3_stmt *s;
	*lo = 1;
	*hi = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT min(id), max(id) FROM devices WHERE scan_id=?", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "read devices");
	sqlite3_bind_int64(s, 1, scan_id);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*lo = sqlite3_column_int64(s, 0);
		*hi = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return 0;
}

static int device_query(struct store *st, const struct device_filter *f, sqlite3_stmt **s, sqlite3_stmt **side)
{
	struct qb q = {0};
	int64_t lo = 0, hi = 0;
	/* rowid range for every scan in id order but those the partial
	 * indexes serve; the side walk of verdicts only for whole scans */
	int range = f->order == DEV_ORDER_ID && !f->foreign_parts && !f->disputed && f->attributed >= 0;
	if (range && scan_id_range(st, f->scan_id, &lo, &hi) < 0)
		return -1;
	buf_adds(&q.sql, "SELECT " DEV_COLS);
	int walk = range && side && whole_scan(f) && f->verdict != DEV_VERDICT_NONE;
	if (f->verdict != DEV_VERDICT_NONE && !walk)
		buf_adds(&q.sql, ",(SELECT verdict FROM verdicts WHERE device_id=devices.id)");
	buf_adds(&q.sql, " FROM devices");
	/* the partial indexes hold just these few devices */
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
		qb_bind_txt(&q, NULL, lo);
		qb_bind_txt(&q, NULL, hi);
	}
	buf_adds(&q.sql, f->order == DEV_ORDER_IDENTITY ? " ORDER BY identity, id" : " ORDER BY id");
	if (qb_prepare(st, &q, s, "read devices") < 0)
		return -1;
	if (walk) {
		if (sqlite3_prepare_v2(st->db,
		                       "SELECT device_id, verdict FROM verdicts WHERE device_id BETWEEN ? AND ?"
		                       " ORDER BY device_id",
		                       -1, side, NULL) != SQLITE_OK) {
			sqlite3_finalize(*s);
			return db_fail(st, "read verdicts");
		}
		sqlite3_bind_int64(*side, 1, lo);
		sqlite3_bind_int64(*side, 2, hi);
	}
	return 0;
}

int store_each_device_q(struct store *st, const struct device_filter *f,
                        int (*cb)(void *ctx, const struct device_row *d), void *ctx)
{
	sqlite3_stmt *s, *side = NULL;
	if (device_query(st, f, &s, &side) < 0)
		return -1;
	struct dev_cb c = {cb, ctx, f->verdict, st, side, side ? sqlite3_step(side) : SQLITE_DONE};
	int rc = each_row(st, s, dev_row, &c, "read devices");
	if (side && c.side_rc != SQLITE_ROW && c.side_rc != SQLITE_DONE && !rc)
		rc = db_fail(st, "read verdicts");
	sqlite3_finalize(side);
	return rc;
}

struct device_cursor {
	struct store *st;
	sqlite3_stmt *s;
	enum device_verdict_cols vc;
};

struct device_cursor *store_device_cursor(struct store *st, const struct device_filter *f)
{
	sqlite3_stmt *s;
	if (device_query(st, f, &s, NULL) < 0)
		return NULL;
	struct device_cursor *c = xcalloc(1, sizeof *c);
	c->st = st;
	c->s = s;
	c->vc = f->verdict;
	return c;
}

int store_device_next(struct device_cursor *c, struct device_row *out)
{
	int rc = sqlite3_step(c->s);
	if (rc == SQLITE_ROW) {
		read_device(c->st, c->s, out, c->vc);
		return 1;
	}
	return rc == SQLITE_DONE ? 0 : db_fail(c->st, "read devices");
}

void store_device_cursor_close(struct device_cursor *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->s);
	free(c);
}

int store_each_device(struct store *st, int64_t scan_id,
                      int (*cb)(void *ctx, const struct device_row *d), void *ctx)
{
	struct device_filter f = {.scan_id = scan_id, .verdict = DEV_VERDICT_WHOLE};
	return store_each_device_q(st, &f, cb, ctx);
}

struct count_cb {
	int (*cb)(void *ctx, const struct device_count *c);
	void *ctx;
};

static int count_row(sqlite3_stmt *s, void *arg)
{
	struct count_cb *c = arg;
#define T(i) ((const char *)sqlite3_column_text(s, i))
	struct device_count dc = {T(0), T(1), T(2), T(3), T(4), T(5), T(6), sqlite3_column_int(s, 7),
	                          sqlite3_column_int64(s, 8)};
#undef T
	return c->cb(c->ctx, &dc);
}

int store_device_counts(struct store *st, const struct device_filter *f,
                        int (*cb)(void *ctx, const struct device_count *c), void *ctx)
{
	struct qb q = {0};
	/* counted once per attribution (store_devices_end), not per report */
	buf_adds(&q.sql, "SELECT domain,site,operator,vendor,grp,jurisdiction,function,band,sum(n) FROM device_counts");
	qb_where(&q, f, "");
	buf_adds(&q.sql, " GROUP BY 1,2,3,4,5,6,7,8");
	struct count_cb c = {cb, ctx};
	return run_q(st, &q, count_row, &c, "count devices");
}

struct fp_cb {
	int (*cb)(void *ctx, const char *vendors, int64_t n);
	void *ctx;
};

static int fp_row(sqlite3_stmt *s, void *arg)
{
	struct fp_cb *c = arg;
	return c->cb(c->ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1));
}

int store_foreign_part_counts(struct store *st, const struct device_filter *f,
                              int (*cb)(void *ctx, const char *vendors, int64_t n), void *ctx)
{
	struct qb q = {0};
	struct device_filter g = {.scan_id = f->scan_id, .operators = f->operators, .noperators = f->noperators,
	                          .foreign_parts = 1};
	buf_adds(&q.sql, "SELECT foreign_vendors, count(*) FROM devices INDEXED BY devices_with_foreign_parts");
	qb_where(&q, &g, "");
	buf_adds(&q.sql, " GROUP BY 1");
	struct fp_cb c = {cb, ctx};
	return run_q(st, &q, fp_row, &c, "count components");
}

struct fw_cb {
	int (*cb)(void *ctx, const struct firmware_count *c);
	void *ctx;
};

static int fw_row(sqlite3_stmt *s, void *arg)
{
	struct fw_cb *c = arg;
	struct firmware_count fc = {(const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
	                            (const char *)sqlite3_column_text(s, 2), sqlite3_column_int64(s, 3)};
	return c->cb(c->ctx, &fc);
}

int store_firmware_counts(struct store *st, const struct device_filter *f,
                          int (*cb)(void *ctx, const struct firmware_count *c), void *ctx)
{
	struct qb q = {0};
	/* counted once per attribution (store_devices_end) */
	buf_adds(&q.sql, "SELECT vendor,model,firmware,sum(n) FROM firmware_counts");
	qb_where(&q, f, "");
	buf_adds(&q.sql, " GROUP BY 1,2,3 ORDER BY 1,2,3");
	struct fw_cb c = {cb, ctx};
	return run_q(st, &q, fw_row, &c, "count firmware");
}

struct trend_cb {
	int (*cb)(void *ctx, const struct trend_count *c);
	void *ctx;
};

static int trend_row(sqlite3_stmt *s, void *arg)
{
	struct trend_cb *c = arg;
	struct trend_count tc = {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
	                         (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
	                         sqlite3_column_int64(s, 4)};
	return c->cb(c->ctx, &tc);
}

/* Scans of the same kind as ?1: same command, same plan (or both none). */
#define SAME_PLAN(alias)                                                                  \
	" " alias "command=(SELECT command FROM scans WHERE id=?1) AND json_extract(" alias \
	"request,'$.plan') IS (SELECT json_extract(request,'$.plan') FROM scans WHERE id=?1)"

int store_trend_counts(struct store *st, int64_t scan_id, const struct device_filter *f,
                       int (*cb)(void *ctx, const struct trend_count *c), void *ctx)
{
	struct qb q = {0};
	buf_adds(&q.sql, "SELECT d.scan_id, s.started_us, d.domain, d.vendor, sum(d.n)"
	                 " FROM scans s JOIN device_counts d ON d.scan_id=s.id WHERE s.status='complete' AND"
	                 SAME_PLAN("s."));
	qb_bind_txt(&q, NULL, scan_id);
	if (f && f->noperators)
		qb_in(&q, "d.operator", f->operators, f->noperators);
	buf_adds(&q.sql, " GROUP BY d.scan_id, d.domain, d.vendor ORDER BY d.scan_id");
	struct trend_cb c = {cb, ctx};
	return run_q(st, &q, trend_row, &c, "read the trend");
}

int store_previous_complete(struct store *st, int64_t scan_id, int64_t *prev)
{
	sqlite3_stmt *s;
	*prev = 0;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT max(id) FROM scans WHERE status='complete' AND id<?1 AND" SAME_PLAN(""),
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "find the previous scan");
	sqlite3_bind_int64(s, 1, scan_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		*prev = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

struct ev_cb {
	int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id);
	void *ctx;
};

static int ev_row(sqlite3_stmt *s, void *arg)
{
	struct ev_cb *c = arg;
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
	return c->cb(c->ctx, &ev, sqlite3_column_int64(s, 0));
}

int store_each_subject_evidence(struct store *st, int64_t scan_id, const char *subject,
                                int (*cb)(void *ctx, const struct evidence *ev, int64_t row_id),
                                void *ctx)
{
	sqlite3_stmt *s;
	const char *colon = strchr(subject, ':');
	if (!colon) {
		set_err(st, "subject '%s' has no kind", subject);
		return -1;
	}
	/* called once per unattributed device: prepared once */
	if (!st->sel_subject_ev &&
	    sqlite3_prepare_v3(st->db,
	                       "SELECT id, collector, subject_kind, subject, key, value, seen_us, source"
	                       " FROM evidence WHERE scan_id=? AND subject_kind=? AND subject=? ORDER BY id",
	                       -1, SQLITE_PREPARE_PERSISTENT, &st->sel_subject_ev, NULL) != SQLITE_OK)
		return db_fail(st, "read evidence");
	s = st->sel_subject_ev;
	sqlite3_bind_int64(s, 1, scan_id);
	sqlite3_bind_text(s, 2, subject, (int)(colon - subject), SQLITE_STATIC);
	sqlite3_bind_text(s, 3, colon + 1, -1, SQLITE_STATIC);
	struct ev_cb c = {cb, ctx};
	int rc, ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((ret = ev_row(s, &c)) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = db_fail(st, "read evidence");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return ret;
}

struct hist_cb {
	struct store *st;
	int (*cb)(void *ctx, const struct scan_info *si, const struct device_row *d);
	void *ctx;
	struct scan_info si;
};

static int hist_row(sqlite3_stmt *s, void *arg)
{
	struct hist_cb *c = arg;
	struct device_row d;
	read_device(c->st, s, &d, DEV_VERDICT_NONE);
	if (c->si.id != d.scan_id) {
		scan_info_free(&c->si);
		if (store_scan_info(c->st, d.scan_id, &c->si) < 0)
			return -1;
	}
	return c->cb(c->ctx, &c->si, &d);
}

int store_device_history(struct store *st, const char *key,
                         int (*cb)(void *ctx, const struct scan_info *si, const struct device_row *d),
                         void *ctx)
{
	sqlite3_stmt *s;
	/* Indexed lookups first (identity, address, then name); a bare serial
	 * number, or any other identifier of a device, needs a scan of every
	 * device (and verdict), done only when nothing else matched. The
	 * verdict's JSON holds identifiers and serials as "mac:...",
	 * "serial":"..." strings: instr(), not LIKE, so nothing in the key is
	 * a wildcard. */
	static const char *const sql[] = {
		"SELECT " DEV_COLS " FROM devices WHERE identity IN (?1, 'ip:'||?1, 'mac:'||?1, 'chassis:'||?1)"
		" UNION SELECT " DEV_COLS " FROM devices WHERE address=?1 ORDER BY scan_id, id",
		"SELECT " DEV_COLS " FROM devices WHERE name=?1 COLLATE NOCASE"
		" OR (name>=?1||'.' COLLATE NOCASE AND name<?1||'/' COLLATE NOCASE) ORDER BY scan_id, id",
		"SELECT " DEV_COLS " FROM devices WHERE identity GLOB 'serial:*'"
		" AND substr(identity, 8 + instr(substr(identity, 8), ':')) = ?1"
		" UNION SELECT " DEV_COLS " FROM devices JOIN verdicts ON device_id=id"
		" WHERE instr(verdict, '\"mac:'||?1||'\"') OR instr(verdict, '\"ip:'||?1||'\"')"
		" OR instr(verdict, '\"chassis:'||?1||'\"') OR instr(verdict, '\"serial\":\"'||?1||'\"')"
		" OR instr(verdict, '\"chassis_serial\":\"'||?1||'\"')"
		" ORDER BY scan_id, id",
	};
	struct hist_cb c = {st, cb, ctx, {0}};
	int rc = 0;
	for (size_t pass = 0; pass < OS_ARRAY_LEN(sql) && !c.si.id && rc == 0; pass++) {
		if (sqlite3_prepare_v2(st->db, sql[pass], -1, &s, NULL) != SQLITE_OK)
			return db_fail(st, "read device history");
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
		rc = each_row(st, s, hist_row, &c, "read device history");
	}
	scan_info_free(&c.si);
	return rc;
}

int store_verify(struct store *st, int64_t max_bytes)
{
	int64_t pages = 0, size = 0;
	if (pragma_int(st, "PRAGMA page_count", &pages) < 0 || pragma_int(st, "PRAGMA page_size", &size) < 0)
		return db_fail(st, "read the database size");
	if (pages * size > max_bytes)
		return 0;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "check the database");
	int rc = sqlite3_step(s), ret = 0;
	const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (!r || strcmp(r, "ok")) {
		set_err(st, "%s is damaged (%s); nothing was changed", st->path,
		        r ? r : sqlite3_errmsg(st->db));
		ret = -1;
	}
	sqlite3_finalize(s);
	return ret;
}

int store_set_site_map(struct store *st, int64_t scan_id, const char *site_map_json)
{
	sqlite3_stmt *s;
	if (tx_commit(st) < 0)
		return -1;
	if (scan_writable(st, scan_id, "its site map can be changed") < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "UPDATE scans SET site_map=? WHERE id=?", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "prepare site map");
	bind_opt(s, 1, site_map_json);
	sqlite3_bind_int64(s, 2, scan_id);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, "record the site map");
}

int store_prune(struct store *st, int keep, int dry_run,
                int (*cb)(void *ctx, const struct scan_info *si), void *ctx, int64_t *deleted)
{
	sqlite3_stmt *s;
	int64_t oldest_kept = 0;
	*deleted = 0;
	if (keep < 1) {
		set_err(st, "--keep must be at least 1");
		return -1;
	}
	if (tx_commit(st) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT min(id) FROM (SELECT id FROM scans WHERE status='complete'"
	                       " ORDER BY id DESC LIMIT ?)",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "prune");
	sqlite3_bind_int(s, 1, keep);
	if (sqlite3_step(s) == SQLITE_ROW)
		oldest_kept = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (!oldest_kept)
		return 0;       /* no complete scan at all: keep everything */
	/* What goes: list first (the caller may print it), then delete in one
	 * transaction so a crash never leaves half a scan. */
	int64_t *ids = NULL;
	size_t n = 0;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id FROM scans WHERE id<? AND status IN ('complete','failed','interrupted')"
	                       " ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "prune");
	sqlite3_bind_int64(s, 1, oldest_kept);
	while (sqlite3_step(s) == SQLITE_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof *ids);
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	for (size_t i = 0; i < n && cb; i++) {
		struct scan_info si;
		if (store_scan_info(st, ids[i], &si) == 0) {
			cb(ctx, &si);
			scan_info_free(&si);
		}
	}
	int rc = 0;
	if (!dry_run && n) {
		if (tx_begin(st) < 0) {
			free(ids);
			return -1;
		}
		if (sqlite3_prepare_v2(st->db, "DELETE FROM scans WHERE id=?", -1, &s, NULL) != SQLITE_OK) {
			rc = db_fail(st, "prune");
			store_devices_end(st, 0);
			free(ids);
			return rc;
		}
		for (size_t i = 0; i < n && rc == 0; i++) {
			sqlite3_bind_int64(s, 1, ids[i]);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = db_fail(st, "delete a scan");
			sqlite3_reset(s);
		}
		sqlite3_finalize(s);
		if (rc == 0)
			rc = tx_commit(st);
		else
			store_devices_end(st, 0);
	}
	free(ids);
	if (rc == 0)
		*deleted = (int64_t)n;
	return rc;
}

/* ---------- resume state of a sweep ---------- */

int store_set_resume_point(struct store *st, int64_t scan_id, uint64_t done_below, uint64_t granted)
{
	/* In the open batch transaction, after the outcomes it covers: the
	 * point is never committed ahead of what it claims is stored. */
	if (tx_begin(st) < 0)
		return -1;
	if (!st->set_resume &&
	    sqlite3_prepare_v3(st->db,
	                       "INSERT OR REPLACE INTO scan_resume(scan_id,done_below,granted,updated_us)"
	                       " VALUES(?,?,?,?)",
	                       -1, SQLITE_PREPARE_PERSISTENT, &st->set_resume, NULL) != SQLITE_OK)
		return db_fail(st, "prepare resume point");
	sqlite3_stmt *s = st->set_resume;
	sqlite3_bind_int64(s, 1, scan_id);
	sqlite3_bind_int64(s, 2, (int64_t)done_below);
	sqlite3_bind_int64(s, 3, (int64_t)granted);
	sqlite3_bind_int64(s, 4, os_now_us());
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, "record the resume point");
}

int store_get_resume_point(struct store *st, int64_t scan_id, uint64_t *done_below, uint64_t *granted)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT done_below, granted FROM scan_resume WHERE scan_id=?", -1, &s,
	                       NULL) != SQLITE_OK)
		return db_fail(st, "read the resume point");
	sqlite3_bind_int64(s, 1, scan_id);
	int rc = sqlite3_step(s), ret = 1;
	if (rc == SQLITE_ROW) {
		*done_below = (uint64_t)sqlite3_column_int64(s, 0);
		*granted = (uint64_t)sqlite3_column_int64(s, 1);
		ret = 0;
	} else if (rc != SQLITE_DONE)
		ret = db_fail(st, "read the resume point");
	sqlite3_finalize(s);
	return ret;
}

int store_target_done(struct store *st, int64_t scan_id, const char *address)
{
	if (!st->target_done &&
	    sqlite3_prepare_v3(st->db, "SELECT 1 FROM targets WHERE scan_id=? AND address=?", -1,
	                       SQLITE_PREPARE_PERSISTENT, &st->target_done, NULL) != SQLITE_OK)
		return db_fail(st, "prepare target lookup");
	sqlite3_stmt *s = st->target_done;
	sqlite3_bind_int64(s, 1, scan_id);
	sqlite3_bind_text(s, 2, address, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(st, "look up a target");
}

int store_drop_partial(struct store *st, int64_t scan_id, const char *sources_json)
{
	/* One pass over the scan's evidence, however many sources: the list
	 * travels as a JSON array (SQLite's json_each). */
	sqlite3_stmt *s;
	if (tx_begin(st) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db,
	                       "DELETE FROM evidence WHERE scan_id=? AND source IN (SELECT value FROM json_each(?))",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "prepare partial evidence removal");
	sqlite3_bind_int64(s, 1, scan_id);
	sqlite3_bind_text(s, 2, sources_json, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, "remove partial evidence");
	return tx_commit(st);
}

int store_reopen_scan(struct store *st, int64_t scan_id)
{
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	if (tx_commit(st) < 0 || tx_begin(st) < 0)
		return -1;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
	                       "UPDATE scans SET status='running', ended_us=NULL, host=?, pid=?,"
	                       " note='resumed after: ' || COALESCE(note, status)"
	                       " WHERE id=? AND status IN ('interrupted','failed')",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "prepare resume");
	sqlite3_bind_text(s, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, getpid());
	sqlite3_bind_int64(s, 3, scan_id);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		db_fail(st, "resume the scan");
		store_devices_end(st, 0);
		return -1;
	}
	if (sqlite3_changes(st->db) != 1) {
		store_devices_end(st, 0);
		set_err(st, "scan %lld cannot be resumed: only an interrupted or failed scan can", (long long)scan_id);
		return -1;
	}
	return tx_commit(st);
}
