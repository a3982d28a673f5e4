/* db/db.h on SQLite: a database file in WAL mode.
 *
 * Ours is marked by PRAGMA application_id, so that a stranger's database
 * is never written to; the schema version is PRAGMA user_version and
 * migrations (db/schema.c) run forward in one transaction. A full disk,
 * a busy or read-only database are said in words.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "db_int.h"
#include "schema.h"
#include "util.h"

struct sdb {
	struct db base;
	sqlite3 *h;
	char *path;
};

struct sstmt {
	struct dbs base;
	sqlite3_stmt *s;
	int64_t changes;
};

#define H(db) (((struct sdb *)(db))->h)
#define S(st) (((struct sstmt *)(st))->s)

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

static void s_fail(struct db *db, const char *what)
{
	struct sdb *d = (struct sdb *)db;
	int code = sqlite3_errcode(d->h);
	if (code == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR && disk_full(d->path)))
		db_seterr(db, "%s: %s: the disk is full (or the database reached its size limit)", db->name, what);
	else if (code == SQLITE_READONLY)
		db_seterr(db, "%s: %s: database is read-only", db->name, what);
	else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		db_seterr(db, "%s: %s: database is busy (another originscan writing?)", db->name, what);
	else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		db_seterr(db, "%s: %s: the database file is damaged (%s)", db->name, what, sqlite3_errmsg(d->h));
	else
		db_seterr(db, "%s: %s: %s", db->name, what, sqlite3_errmsg(d->h));
}

static struct dbs *s_prepare(struct db *db, const char *sql, unsigned flags)
{
	sqlite3_stmt *s;
	(void)flags;
	if (sqlite3_prepare_v3(H(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
		return NULL;
	struct sstmt *st = xcalloc(1, sizeof *st);
	st->s = s;
	return &st->base;
}

static void s_bind_i64(struct dbs *s, int i, int64_t v)
{
	sqlite3_bind_int64(S(s), i, v);
}

static void s_bind_bytes(struct dbs *s, int i, const void *v, size_t n, int blob)
{
	/* Bound values must outlive the step: callers keep them until then
	 * (SQLITE_STATIC spares a copy of every evidence value). */
	if (blob)
		sqlite3_bind_blob(S(s), i, v, (int)n, SQLITE_STATIC);
	else
		sqlite3_bind_text(S(s), i, v, (int)n, SQLITE_STATIC);
}

static void s_bind_null(struct dbs *s, int i)
{
	sqlite3_bind_null(S(s), i);
}

static int s_step(struct dbs *s)
{
	int rc = sqlite3_step(S(s));
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		((struct sstmt *)s)->changes = sqlite3_changes(H(s->db));
		return 0;
	}
	return -1;
}

static int s_col_count(struct dbs *s)
{
	return sqlite3_column_count(S(s));
}

static int s_col_null(struct dbs *s, int i)
{
	return sqlite3_column_type(S(s), i) == SQLITE_NULL;
}

static int64_t s_col_i64(struct dbs *s, int i)
{
	return sqlite3_column_int64(S(s), i);
}

static const void *s_col_bytes(struct dbs *s, int i, size_t *len)
{
	/* every value as its bytes: sqlite3_column_text hands a blob's bytes
	 * back unchanged (and NUL-terminated); NULL reads NULL, and an empty
	 * blob "" */
	const void *p = sqlite3_column_text(S(s), i);
	*len = (size_t)sqlite3_column_bytes(S(s), i);
	if (!p && *len == 0 && sqlite3_column_type(S(s), i) != SQLITE_NULL)
		p = "";
	return p;
}

static const char *s_col_text(struct dbs *s, int i)
{
	return (const char *)sqlite3_column_text(S(s), i);
}

static int64_t s_changes(struct dbs *s)
{
	return ((struct sstmt *)s)->changes;
}

static void s_reset(struct dbs *s)
{
	sqlite3_reset(S(s));
	sqlite3_clear_bindings(S(s));
}

static void s_finalize(struct dbs *s)
{
	sqlite3_finalize(S(s));
	free(s);
}

static int s_exec(struct db *db, const char *sql)
{
	return sqlite3_exec(H(db), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int s_begin(struct db *db)
{
	return s_exec(db, "BEGIN IMMEDIATE");
}

static int s_commit(struct db *db)
{
	if (s_exec(db, "COMMIT") == 0)
		return 0;
	/* Leave the transaction rolled back rather than dangling. */
	s_fail(db, "commit");
	sqlite3_exec(H(db), "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static void s_rollback(struct db *db)
{
	sqlite3_exec(H(db), "ROLLBACK", NULL, NULL, NULL);
}

static void s_close(struct db *db)
{
	struct sdb *d = (struct sdb *)db;
	if (db->in_tx && s_exec(db, "COMMIT") < 0)
		s_rollback(db);
	sqlite3_close(d->h);
	free(d->path);
	free(d);
}

static const struct db_ops sqlite_ops = {
	s_prepare, s_bind_i64, s_bind_bytes, s_bind_null, s_step, s_col_count, s_col_null, s_col_i64, s_col_bytes,
	s_col_text, s_changes, s_reset, s_finalize, s_exec, s_begin, s_commit, s_rollback, s_fail, s_close,
};

static int pragma_int(sqlite3 *h, const char *sql, int64_t *out)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Who the file says it is, read in one statement so that the three come
 * from one snapshot: another process creating the file commits its
 * tables, application id and version together. */
static int read_header(sqlite3 *h, int64_t *app, int64_t *ver, int64_t *tables)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(h,
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
static int set_wal(struct sdb *d)
{
	for (int i = 0;; i++) {
		sqlite3_stmt *s;
		int rc = sqlite3_prepare_v2(d->h, "PRAGMA journal_mode=WAL", -1, &s, NULL);
		const char *mode = NULL;
		if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
			mode = (const char *)sqlite3_column_text(s, 0);
		int wal = mode && !strcmp(mode, "wal");
		sqlite3_finalize(s);
		if (wal)
			return 0;
		if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED && rc != SQLITE_ROW) || i >= 200) {
			s_fail(&d->base, "set WAL mode");
			return -1;
		}
		usleep(50000);
	}
}

/* Migrates to SCHEMA_VERSION in one transaction. The header is read
 * again once the write lock is held: another process may have created or
 * migrated the database between our first look and our lock. */
static int migrate(struct sdb *d)
{
	int64_t app = 0, ver = 0, tables = 0;
	if (s_exec(&d->base, "BEGIN IMMEDIATE") < 0) {
		s_fail(&d->base, "begin migration");
		return -1;
	}
	if (read_header(d->h, &app, &ver, &tables) < 0) {
		s_fail(&d->base, "read the schema version");
		s_rollback(&d->base);
		return -1;
	}
	if (ver < 0 || ver > SCHEMA_VERSION || ((ver > 0 || tables > 0) && (uint32_t)app != APP_ID)) {
		db_seterr(&d->base, "%s changed while it was opened (schema version %lld); refusing to touch it",
		          d->base.name, (long long)ver);
		s_rollback(&d->base);
		return -1;
	}
	for (int64_t v = ver; v < SCHEMA_VERSION; v++)
		if (s_exec(&d->base, sqlite_migrations[v]) < 0) {
			s_fail(&d->base, "migrate schema");
			s_rollback(&d->base);
			return -1;
		}
	char sql[128];
	snprintf(sql, sizeof sql, "PRAGMA application_id=%u; PRAGMA user_version=%d", APP_ID, SCHEMA_VERSION);
	if (s_exec(&d->base, sql) < 0 || s_exec(&d->base, "COMMIT") < 0) {
		s_fail(&d->base, "record schema version");
		s_rollback(&d->base);
		return -1;
	}
	return 0;
}

struct db *db_open_sqlite(const char *path, int readonly, char *err, size_t errlen)
{
	struct sdb *d = xcalloc(1, sizeof *d);
	int64_t app = 0, ver = 0, tables = 0;
	struct stat sb;

	db_init(&d->base, &sqlite_ops, DB_SQLITE, path);
	d->path = xstrdup(path);
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		os_seterr(err, errlen, "%s is a directory, not a database file", path);
		goto fail;
	}
	if (readonly && stat(path, &sb) < 0) {
		os_seterr(err, errlen, "%s: no such database (%s)", path, strerror(errno));
		goto fail;
	}
	/* NOMUTEX: a connection is used by one thread only, and every column
	 * read would otherwise take the connection's mutex */
	if (sqlite3_open_v2(path, &d->h,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (readonly ? 0 : SQLITE_OPEN_CREATE),
	                    NULL) != SQLITE_OK) {
		os_seterr(err, errlen, "cannot open database %s: %s", path, d->h ? sqlite3_errmsg(d->h) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(d->h, 10000);
	if (read_header(d->h, &app, &ver, &tables) < 0) {
		int code = sqlite3_errcode(d->h);
		if (code == SQLITE_NOTADB)
			os_seterr(err, errlen, "%s is not an originscan database (not an SQLite file)", path);
		else if (code == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR && disk_full(path)))
			os_seterr(err, errlen, "cannot open database %s: the disk is full", path);
		else
			os_seterr(err, errlen, "cannot read database %s: %s", path, sqlite3_errmsg(d->h));
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
	if (set_wal(d) < 0) {
		os_seterr(err, errlen, "%s", d->base.err);
		goto fail;
	}
	if (s_exec(&d->base, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL") < 0 ||
	    /* reports and diffs walk whole scans: a 64 MiB page cache (the
	     * default is 2 MiB) saves most of their re-reads */
	    s_exec(&d->base, "PRAGMA cache_size=-65536") < 0) {
		s_fail(&d->base, "set up the connection");
		os_seterr(err, errlen, "%s", d->base.err);
		goto fail;
	}
	if (ver < SCHEMA_VERSION && migrate(d) < 0) {
		os_seterr(err, errlen, "%s", d->base.err);
		goto fail;
	}
	return &d->base;
fail:
	if (d->h)
		sqlite3_close(d->h);
	free(d->path);
	free(d->base.name);
	free(d);
	return NULL;
}

const char *db_sqlite_path(const struct db *db)
{
	return db->kind == DB_SQLITE ? ((const struct sdb *)db)->path : NULL;
}

int db_sqlite_quick_check(struct db *db, int64_t max_bytes)
{
	int64_t pages = 0, size = 0;
	if (db->kind != DB_SQLITE)
		return 0;
	if (pragma_int(H(db), "PRAGMA page_count", &pages) < 0 || pragma_int(H(db), "PRAGMA page_size", &size) < 0)
		return db_fail(db, "read the database size");
	if (pages * size > max_bytes)
		return 0;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(H(db), "PRAGMA quick_check(1)", -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, "check the database");
	int rc = sqlite3_step(s), ret = 0;
	const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (!r || strcmp(r, "ok")) {
		db_seterr(db, "%s is damaged (%s); nothing was changed", db->name, r ? r : sqlite3_errmsg(H(db)));
		ret = -1;
	}
	sqlite3_finalize(s);
	return ret;
}
