/* db/db.h for both backends: the statement cache, error text, and the
 * calls handed to the backend's operations. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "util.h"

void db_init(struct db *db, const struct db_ops *ops, enum db_kind kind, const char *name)
{
	db->ops = ops;
	db->kind = kind;
	db->name = xstrdup(name);
}

enum db_kind db_kind(const struct db *db)
{
	return db->kind;
}

const char *db_name(const struct db *db)
{
	return db->name;
}

const char *db_errmsg(const struct db *db)
{
	return db ? db->err : "no database";
}

void db_seterr(struct db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof db->err, fmt, ap);
	va_end(ap);
}

int db_fail(struct db *db, const char *what)
{
	db->ops->fail(db, what);
	return -1;
}

int db_exec(struct db *db, const char *sql, const char *what)
{
	if (db->ops->exec(db, sql) < 0)
		return db_fail(db, what);
	return 0;
}

static unsigned slot_of(const char *sql)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % DB_CACHE_SLOTS;
}

struct dbs *db_prepare(struct db *db, const char *sql, unsigned flags, const char *what)
{
	unsigned slot = slot_of(sql);
	for (struct dbs *s = db->cache[slot]; s; s = s->next)
		if (!s->in_use && s->flags == flags && !strcmp(s->sql, sql)) {
			s->in_use = 1;
			s->what = what;
			return s;
		}
	struct dbs *s = db->ops->prepare(db, sql, flags);
	if (!s) {
		db_fail(db, what);
		return NULL;
	}
	s->db = db;
	s->sql = xstrdup(sql);
	s->flags = flags;
	s->what = what;
	s->in_use = 1;
	s->next = db->cache[slot];
	db->cache[slot] = s;
	return s;
}

void db_forget_statements(struct db *db)
{
	for (unsigned i = 0; i < DB_CACHE_SLOTS; i++) {
		struct dbs *s = db->cache[i];
		while (s) {
			struct dbs *next = s->next;
			char *sql = s->sql;
			db->ops->finalize(s);
			free(sql);
			s = next;
		}
		db->cache[i] = NULL;
	}
}

void db_bind_i64(struct dbs *s, int i, int64_t v)
{
	s->db->ops->bind_i64(s, i, v);
}

void db_bind_text(struct dbs *s, int i, const char *v)
{
	if (v)
		s->db->ops->bind_bytes(s, i, v, strlen(v), 0);
	else
		s->db->ops->bind_null(s, i);
}

void db_bind_textn(struct dbs *s, int i, const char *v, size_t n)
{
	s->db->ops->bind_bytes(s, i, v, n, 0);
}

void db_bind_blob(struct dbs *s, int i, const void *v, size_t n)
{
	s->db->ops->bind_bytes(s, i, v ? v : "", n, 1);
}

void db_bind_null(struct dbs *s, int i)
{
	s->db->ops->bind_null(s, i);
}

int db_step(struct dbs *s)
{
	int rc = s->db->ops->step(s);
	if (rc < 0)
		db_fail(s->db, s->what);
	return rc;
}

int db_col_count(struct dbs *s)
{
	return s->db->ops->col_count(s);
}

int db_col_null(struct dbs *s, int i)
{
	return s->db->ops->col_null(s, i);
}

int64_t db_col_i64(struct dbs *s, int i)
{
	return s->db->ops->col_i64(s, i);
}

const char *db_col_text(struct dbs *s, int i)
{
	return s->db->ops->col_text(s, i);
}

const void *db_col_blob(struct dbs *s, int i, size_t *len)
{
	return s->db->ops->col_bytes(s, i, len);
}

int64_t db_changes(struct dbs *s)
{
	return s->db->ops->changes(s);
}

void db_reset(struct dbs *s)
{
	s->db->ops->reset(s);
}

void db_done(struct dbs *s)
{
	if (!s)
		return;
	s->db->ops->reset(s);
	s->in_use = 0;
}

int db_begin(struct db *db)
{
	if (db->in_tx)
		return 0;
	if (db->ops->begin(db) < 0)
		return db_fail(db, "begin a transaction");
	db->in_tx = 1;
	return 0;
}

int db_commit(struct db *db)
{
	if (!db->in_tx)
		return 0;
	if (db->ops->commit(db) < 0) {
		/* the backend has already formatted the error and rolled back */
		db->in_tx = 0;
		return -1;
	}
	db->in_tx = 0;
	return 0;
}

void db_rollback(struct db *db)
{
	if (!db->in_tx)
		return;
	db->ops->rollback(db);
	db->in_tx = 0;
}

int db_in_tx(const struct db *db)
{
	return db->in_tx;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	db_forget_statements(db);
	char *name = db->name;
	db->ops->close(db);
	free(name);
}
