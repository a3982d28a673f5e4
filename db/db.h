/* The connection under the store: one small SQL interface that SQLite
 * (db/db_sqlite.c) and PostgreSQL through libpq (db/db_pg.c) both
 * implement, so that db/store.c holds the store's logic once.
 *
 * Private to db/. Statements are written in SQLite's parameter syntax
 * (?, ?N); the PostgreSQL side rewrites them to $N. Every value is bound,
 * never spliced. Values come back as they were stored: text and blobs as
 * bytes (PostgreSQL: binary results, so a bytea or text column reads the
 * same), integers as int64.
 *
 * Statements are cached per connection by their SQL text: preparing the
 * same text again reuses the prepared statement (on PostgreSQL a named
 * server-side statement) once the earlier use has been finished.
 *
 * Errors: every call that can fail returns -1 (or NULL) with the reason in
 * db_errmsg(), prefixed by what was being done; nothing is printed.
 */
#ifndef OS_DB_H
#define OS_DB_H
#include <stddef.h>
#include <stdint.h>

enum db_kind { DB_SQLITE = 1, DB_PG };

struct db;
struct dbs;

/* Flags of db_prepare(). */
enum {
	/* A result read row by row as it is produced, never held whole
	 * (PostgreSQL: a cursor fetched in batches, in a transaction the
	 * connection opens when none is open and ends with the last such
	 * statement). Several may be open at once (a diff walks two). */
	DBS_STREAM = 1,
	/* Rows appended in bulk: each db_step() queues one row, sent with
	 * the transaction (PostgreSQL: COPY ... FROM STDIN in binary, so
	 * the statement must be "INSERT INTO t(cols) VALUES(?,...)"; any
	 * other statement on the connection first sends what is queued).
	 * SQLite runs the INSERT at once. */
	DBS_BULK = 2,
	/* With DBS_BULK: the queued rows are kept until the transaction
	 * commits, to be sent again after a reconnect (db_reconnect). The
	 * caller keeps such transactions small. Without it, queued rows are
	 * sent (and forgotten) every few megabytes. */
	DBS_REPLAY = 4,
};

/* Opening is done by the backends (they also migrate the schema). */
/* readonly: never create the file. */
struct db *db_open_sqlite(const char *path, int readonly, char *err, size_t errlen);
/* A URI (a password in it is refused before connecting). init: create or
 * migrate the schema and roles (originscan db init). */
struct db *db_open_pg(const char *uri, int init, int *created, char *err, size_t errlen);
int db_is_pg_spec(const char *spec);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
/* The name to show the user (a file path, or the URI without password). */
const char *db_name(const struct db *db);
const char *db_errmsg(const struct db *db);
/* Set the error text ("NAME: ..." is not added). */
void db_seterr(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Format the last backend error as "NAME: what: reason" into the error
 * text (disk full, busy, permission and connection failures said in
 * words); returns -1. */
int db_fail(struct db *db, const char *what);

/* Statements without parameters or results; several separated by ';'. */
int db_exec(struct db *db, const char *sql, const char *what);

struct dbs *db_prepare(struct db *db, const char *sql, unsigned flags, const char *what);
void db_bind_i64(struct dbs *s, int i, int64_t v);          /* i from 1 */
void db_bind_text(struct dbs *s, int i, const char *v);     /* NULL binds NULL */
void db_bind_textn(struct dbs *s, int i, const char *v, size_t n);
void db_bind_blob(struct dbs *s, int i, const void *v, size_t n);
void db_bind_null(struct dbs *s, int i);
/* 1: a row; 0: done; -1: error (db_errmsg names the statement's what). */
int db_step(struct dbs *s);
int db_col_count(struct dbs *s);
int db_col_null(struct dbs *s, int i);                      /* i from 0 */
int64_t db_col_i64(struct dbs *s, int i);                   /* NULL reads 0 */
const char *db_col_text(struct dbs *s, int i);              /* NULL for NULL */
const void *db_col_blob(struct dbs *s, int i, size_t *len); /* NULL for NULL */
/* Rows changed by the last step of an INSERT/UPDATE/DELETE. */
int64_t db_changes(struct dbs *s);
/* Back to the start with the same bindings cleared, to run again. */
void db_reset(struct dbs *s);
/* Done with the statement (returned to the connection's cache). */
void db_done(struct dbs *s);

/* Transactions. begin on SQLite takes the write lock at once (BEGIN
 * IMMEDIATE). commit first sends queued bulk rows. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
int db_in_tx(const struct db *db);

/* The id the last INSERT of this statement gave its row: statements that
 * need it end with "RETURNING id", read with db_col_i64 after db_step. */

/* SQLite file path, or NULL for PostgreSQL. */
const char *db_sqlite_path(const struct db *db);
/* PostgreSQL: the login role; NULL on SQLite. */
const char *db_pg_user(const struct db *db);
/* SQLite: PRAGMA quick_check when the file is at most max_bytes; 0 when
 * sound or not checked (always on PostgreSQL), -1 damaged. */
int db_sqlite_quick_check(struct db *db, int64_t max_bytes);

/* PostgreSQL only (0 / no-ops on SQLite):
 * the connection was lost by the last failure; */
int db_lost(const struct db *db);
/* connect again (for up to max_wait seconds), keeping queued bulk rows of
 * statements marked DBS_REPLAY so that the batch can be sent again; */
int db_reconnect(struct db *db, double max_wait);
/* while set, queued bulk rows are not sent before other statements (the
 * setting-up of a new session after a reconnect, which the rows need); */
void db_bulk_hold(struct db *db, int hold);
/* session-level advisory lock on (originscan, key): 1 taken, 0 held by
 * another session, -1 error; release when held. */
int db_try_lock(struct db *db, int64_t key);
int db_unlock(struct db *db, int64_t key);
#endif
