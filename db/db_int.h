/* Inside db/db.h: what the two backends share (db/db.c: the statement
 * cache, error text, dispatch) and the operations each implements. */
#ifndef OS_DB_INT_H
#define OS_DB_INT_H
#include "db.h"

struct db_ops {
	struct dbs *(*prepare)(struct db *db, const char *sql, unsigned flags);
	void (*bind_i64)(struct dbs *s, int i, int64_t v);
	void (*bind_bytes)(struct dbs *s, int i, const void *v, size_t n, int blob);
	void (*bind_null)(struct dbs *s, int i);
	int (*step)(struct dbs *s);
	int (*col_count)(struct dbs *s);
	int (*col_null)(struct dbs *s, int i);
	int64_t (*col_i64)(struct dbs *s, int i);
	const void *(*col_bytes)(struct dbs *s, int i, size_t *len);
	const char *(*col_text)(struct dbs *s, int i);
	int64_t (*changes)(struct dbs *s);
	void (*reset)(struct dbs *s);           /* done with this run: results freed, bindings cleared */
	void (*finalize)(struct dbs *s);        /* gone for good */
	int (*exec)(struct db *db, const char *sql);
	int (*begin)(struct db *db);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	void (*fail)(struct db *db, const char *what);  /* format the backend's last error */
	void (*close)(struct db *db);
};

#define DB_CACHE_SLOTS 64

struct dbs {
	struct db *db;
	char *sql;
	unsigned flags;
	const char *what;
	int in_use;
	struct dbs *next;               /* same cache slot */
};

struct db {
	const struct db_ops *ops;
	enum db_kind kind;
	char *name;                     /* shown to the user */
	char err[1024];
	int in_tx;
	struct dbs *cache[DB_CACHE_SLOTS];
};

/* For the backends. */
void db_init(struct db *db, const struct db_ops *ops, enum db_kind kind, const char *name);
/* Finalize every cached statement (backends call it before they close,
 * and PostgreSQL after a reconnect, when the server forgot them all). */
void db_forget_statements(struct db *db);
#endif
