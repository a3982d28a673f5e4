/* db/db.h on PostgreSQL, through libpq.
 *
 * Statements are prepared on the server once per connection (named
 * "osN"), with their parameter types described by the server, and run
 * with every value in binary: integers in network order, text and bytea
 * as their bytes. Results come back in binary too. The database must be
 * SQL_ASCII (text holds any bytes but NUL, as SQLite's does) and the
 * session asks for no conversion: a device's bytes are stored exactly.
 *
 * Large results (DBS_STREAM) are read through a cursor in batches of
 * FETCH_ROWS, inside a transaction, so a report never holds a million
 * rows; several cursors may be open at once. Bulk rows (DBS_BULK) are
 * encoded as COPY binary and sent with the transaction.
 *
 * Secrets: a password in the URI is refused before anything connects
 * (passwords come from libpq's own sources: ~/.pgpass, PGPASSFILE,
 * PGPASSWORD, a service file); the name shown to the user is rebuilt
 * from the URI's parts without it. libpq's notices are not printed.
 */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_int.h"
#include "schema.h"
#include "util.h"

#define FETCH_ROWS 4096
#define BULK_SEND_BYTES (4u << 20)     /* non-replay bulk rows go out every 4 MiB */
#define LOCK_CLASS 0x4f53434e          /* 'OSCN': advisory locks of ours */

/* type oids of the built-in types we read and write */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25 };

struct pdb {
	struct db base;
	PGconn *c;
	int gen;                        /* bumped on reconnect: statements prepare again */
	unsigned next_stmt, next_cursor;
	int streams;                    /* cursors open */
	int auto_tx;                    /* the transaction was opened for cursors */
	int lost;                       /* the last failure lost the connection */
	char sqlstate[6];
	char *msg;                      /* the server's or libpq's message of the last failure */
	struct pstmt *bulk;             /* bulk statements with rows queued */
	int hold;                       /* queued rows wait (a reconnect being set up) */
	char *user;
};

struct param {
	const char *p;
	int len, fmt;
	unsigned char num[8];
};

struct pstmt {
	struct dbs base;
	char name[16];
	int gen;
	char *sql;                      /* rewritten to $N */
	int nparams;
	Oid *types;
	struct param *par;
	const char **vals;
	int *lens, *fmts;
	PGresult *res;
	int row, nrows;                 /* current row in res; row = -1 before the first */
	int done;
	int64_t changes;
	/* DBS_STREAM */
	char cursor[16];
	int open;
	/* DBS_BULK */
	char *copy_sql;
	struct buf rows;
	size_t sent;                    /* bytes of rows already sent in this transaction */
	size_t nqueued;
	int queued;                     /* on the connection's bulk list */
	struct pstmt *next_bulk;
};

#define P(db) ((struct pdb *)(db))
#define PS(s) ((struct pstmt *)(s))

int db_is_pg_spec(const char *spec)
{
	return spec && (!strncmp(spec, "postgresql://", 13) || !strncmp(spec, "postgres://", 11));
}

static void quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* ---------- errors ---------- */

static void set_msg(struct pdb *d, const char *m)
{
	free(d->msg);
	d->msg = xstrdup(m && *m ? m : "unknown error");
	size_t n = strlen(d->msg);
	while (n && (d->msg[n - 1] == '\n' || d->msg[n - 1] == ' '))
		d->msg[--n] = 0;
	/* libpq's multi-line messages: the first line says it */
	char *nl = strchr(d->msg, '\n');
	if (nl)
		*nl = 0;
}

/* Records why res (or the connection) failed; always returns -1. */
static int res_fail(struct pdb *d, PGresult *res)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(d->sqlstate, sizeof d->sqlstate, "%s", st ? st : "");
	const char *prim = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	set_msg(d, prim ? prim : PQerrorMessage(d->c));
	d->lost = PQstatus(d->c) != CONNECTION_OK || !strncmp(d->sqlstate, "08", 2) ||
	          !strcmp(d->sqlstate, "57P01") || !strcmp(d->sqlstate, "57P02") || !strcmp(d->sqlstate, "57P03");
	return -1;
}

static void p_fail(struct db *db, const char *what)
{
	struct pdb *d = P(db);
	const char *m = d->msg ? d->msg : "unknown error";
	if (d->lost)
		db_seterr(db, "%s: %s: lost the connection to the server (%s)", db->name, what, m);
	else if (!strcmp(d->sqlstate, "42501"))
		db_seterr(db, "%s: %s: permission denied to role %s (%s); see README.md, 'Roles'", db->name, what,
		          d->user ? d->user : "?", m);
	else if (!strcmp(d->sqlstate, "53100"))
		db_seterr(db, "%s: %s: the server's disk is full (%s)", db->name, what, m);
	else if (!strcmp(d->sqlstate, "25006"))
		db_seterr(db, "%s: %s: the database is read-only (%s)", db->name, what, m);
	else
		db_seterr(db, "%s: %s: %s", db->name, what, m);
}

/* ---------- statements ---------- */

/* ?N and ? (SQLite's parameters) to $N; quoted text is left alone. */
static char *rewrite_params(const char *sql, int *nparams)
{
	struct buf b = {0};
	int maxn = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			buf_addc(&b, *p);
			if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
			buf_addc(&b, *p);
			continue;
		}
		if (*p != '?') {
			buf_addc(&b, *p);
			continue;
		}
		int n = 0;
		while (p[1] >= '0' && p[1] <= '9')
			n = n * 10 + (*++p - '0');
		if (!n)
			n = maxn + 1;
		if (n > maxn)
			maxn = n;
		buf_printf(&b, "$%d", n);
	}
	*nparams = maxn;
	return b.p ? b.p : xstrdup("");
}

static int prepare_on_server(struct pstmt *s)
{
	struct pdb *d = P(s->base.db);
	PGresult *r = PQprepare(d->c, s->name, s->sql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		res_fail(d, r);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	r = PQdescribePrepared(d->c, s->name);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		res_fail(d, r);
		PQclear(r);
		return -1;
	}
	int n = PQnparams(r);
	if (n != s->nparams) {
		s->nparams = n;
		s->types = xrealloc(s->types, (size_t)(n ? n : 1) * sizeof *s->types);
		s->par = xrealloc(s->par, (size_t)(n ? n : 1) * sizeof *s->par);
		s->vals = xrealloc(s->vals, (size_t)(n ? n : 1) * sizeof *s->vals);
		s->lens = xrealloc(s->lens, (size_t)(n ? n : 1) * sizeof *s->lens);
		s->fmts = xrealloc(s->fmts, (size_t)(n ? n : 1) * sizeof *s->fmts);
		memset(s->par, 0, (size_t)(n ? n : 1) * sizeof *s->par);
	}
	for (int i = 0; i < n; i++)
		s->types[i] = PQparamtype(r, i);
	PQclear(r);
	s->gen = d->gen;
	return 0;
}

static struct dbs *p_prepare(struct db *db, const char *sql, unsigned flags)
{
	struct pdb *d = P(db);
	struct pstmt *s = xcalloc(1, sizeof *s);
	s->base.db = db;
	snprintf(s->name, sizeof s->name, "os%u", d->next_stmt++);
	s->sql = rewrite_params(sql, &s->nparams);
	s->types = xcalloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->types);
	s->par = xcalloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->par);
	s->vals = xcalloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->vals);
	s->lens = xcalloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->lens);
	s->fmts = xcalloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->fmts);
	s->row = -1;
	if (flags & DBS_BULK) {
		/* "INSERT INTO t(cols) VALUES(...)" -> "COPY t(cols) FROM STDIN" */
		const char *into = strstr(sql, "INTO "), *values = strstr(sql, " VALUES");
		if (!into || !values || values < into) {
			set_msg(d, "a bulk statement must be INSERT INTO t(cols) VALUES(...)");
			d->sqlstate[0] = 0;
			d->lost = 0;
			goto fail;
		}
		s->copy_sql = xasprintf("COPY %.*s FROM STDIN (FORMAT binary)", (int)(values - into - 5), into + 5);
	}
	if (prepare_on_server(s) < 0)
		goto fail;
	return &s->base;
fail:
	free(s->sql);
	free(s->types);
	free(s->par);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s->copy_sql);
	free(s);
	return NULL;
}

static void put_be(unsigned char *o, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		o[i] = (unsigned char)v;
		v >>= 8;
	}
}

static void p_bind_i64(struct dbs *st, int i, int64_t v)
{
	struct pstmt *s = PS(st);
	if (i < 1 || i > s->nparams)
		return;
	struct param *p = &s->par[i - 1];
	switch (s->types[i - 1]) {
	case OID_INT2:
		put_be(p->num, (uint64_t)v, 2);
		p->len = 2;
		break;
	case OID_INT4:
		put_be(p->num, (uint64_t)v, 4);
		p->len = 4;
		break;
	case OID_BOOL:
		p->num[0] = v != 0;
		p->len = 1;
		break;
	case OID_INT8:
		put_be(p->num, (uint64_t)v, 8);
		p->len = 8;
		break;
	default:        /* a number where the server wants text: as text */
		p->len = snprintf((char *)p->num, sizeof p->num, "%lld", (long long)v);
		if (p->len >= (int)sizeof p->num) {
			/* too long for the slot: keep it in the statement's text */
			static __thread char big[24];
			p->len = snprintf(big, sizeof big, "%lld", (long long)v);
			p->p = big;
			p->fmt = s->types[i - 1] == OID_TEXT || s->types[i - 1] == OID_BYTEA ? 1 : 0;
			return;
		}
		p->p = (const char *)p->num;
		p->fmt = s->types[i - 1] == OID_TEXT || s->types[i - 1] == OID_BYTEA ? 1 : 0;
		return;
	}
	p->p = (const char *)p->num;
	p->fmt = 1;
}

static void p_bind_bytes(struct dbs *st, int i, const void *v, size_t n, int blob)
{
	struct pstmt *s = PS(st);
	(void)blob;
	if (i < 1 || i > s->nparams)
		return;
	struct param *p = &s->par[i - 1];
	p->p = v;
	p->len = (int)n;
	p->fmt = 1;     /* text and bytea: their bytes, as they are */
}

static void p_bind_null(struct dbs *st, int i)
{
	struct pstmt *s = PS(st);
	if (i < 1 || i > s->nparams)
		return;
	s->par[i - 1].p = NULL;
	s->par[i - 1].len = 0;
	s->par[i - 1].fmt = 1;
}

static void fill_params(struct pstmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		s->vals[i] = s->par[i].p;
		s->lens[i] = s->par[i].len;
		s->fmts[i] = s->par[i].fmt;
	}
}

static int send_bulk(struct pdb *d, struct pstmt *s);

/* Before any other statement: the queued bulk rows go first, so that the
 * statement sees them. */
static int flush_bulk(struct pdb *d)
{
	if (d->hold)
		return 0;
	for (struct pstmt *s = d->bulk; s; s = s->next_bulk)
		if (s->sent < s->rows.len && send_bulk(d, s) < 0)
			return -1;
	return 0;
}

static int ensure_prepared(struct pstmt *s)
{
	return s->gen == P(s->base.db)->gen ? 0 : prepare_on_server(s);
}

static int run_tx(struct pdb *d, const char *sql)
{
	PGresult *r = PQexec(d->c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		res_fail(d, r);
	PQclear(r);
	return ok ? 0 : -1;
}

static int fetch(struct pstmt *s)
{
	struct pdb *d = P(s->base.db);
	char sql[64];
	snprintf(sql, sizeof sql, "FETCH FORWARD %d FROM %s", FETCH_ROWS, s->cursor);
	PQclear(s->res);
	s->res = PQexecParams(d->c, sql, 0, NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(s->res) != PGRES_TUPLES_OK) {
		res_fail(d, s->res);
		PQclear(s->res);
		s->res = NULL;
		return -1;
	}
	s->nrows = PQntuples(s->res);
	s->row = 0;
	return 0;
}

static int bulk_row(struct pstmt *s);

static int p_step(struct dbs *st)
{
	struct pstmt *s = PS(st);
	struct pdb *d = P(st->db);
	if (st->flags & DBS_BULK)
		return bulk_row(s);
	if (s->done)
		return 0;
	if (s->res || s->open) {
		/* the next row of what is in hand, or of the next batch */
		if (++s->row < s->nrows)
			return 1;
		if (!s->open || s->nrows < FETCH_ROWS) {
			s->done = 1;
			return 0;
		}
		if (fetch(s) < 0)
			return -1;
		if (s->nrows == 0) {
			s->done = 1;
			return 0;
		}
		return 1;
	}
	if (flush_bulk(d) < 0 || ensure_prepared(s) < 0)
		return -1;
	fill_params(s);
	if (st->flags & DBS_STREAM) {
		if (!st->db->in_tx && !d->auto_tx) {
			if (run_tx(d, "BEGIN") < 0)
				return -1;
			d->auto_tx = 1;
		}
		snprintf(s->cursor, sizeof s->cursor, "oc%u", d->next_cursor++);
		char *decl = xasprintf("DECLARE %s BINARY NO SCROLL CURSOR FOR %s", s->cursor, s->sql);
		PGresult *r = PQexecParams(d->c, decl, s->nparams, s->types, s->vals, s->lens, s->fmts, 1);
		free(decl);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			res_fail(d, r);
			PQclear(r);
			return -1;
		}
		PQclear(r);
		s->open = 1;
		d->streams++;
		if (fetch(s) < 0)
			return -1;
		if (s->nrows == 0) {
			s->done = 1;
			return 0;
		}
		return 1;
	}
	s->res = PQexecPrepared(d->c, s->name, s->nparams, s->vals, s->lens, s->fmts, 1);
	ExecStatusType rs = PQresultStatus(s->res);
	if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
		res_fail(d, s->res);
		PQclear(s->res);
		s->res = NULL;
		return -1;
	}
	const char *ct = PQcmdTuples(s->res);
	s->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
	s->nrows = rs == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
	s->row = 0;
	if (s->nrows == 0) {
		s->done = 1;
		return 0;
	}
	return 1;
}

static int p_col_count(struct dbs *st)
{
	return PS(st)->res ? PQnfields(PS(st)->res) : 0;
}

static int p_col_null(struct dbs *st, int i)
{
	struct pstmt *s = PS(st);
	return !s->res || s->row >= s->nrows || PQgetisnull(s->res, s->row, i);
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static int64_t p_col_i64(struct dbs *st, int i)
{
	struct pstmt *s = PS(st);
	if (p_col_null(st, i))
		return 0;
	const unsigned char *p = (const unsigned char *)PQgetvalue(s->res, s->row, i);
	int len = PQgetlength(s->res, s->row, i);
	switch (PQftype(s->res, i)) {
	case OID_INT8:
		return len == 8 ? (int64_t)get_be(p, 8) : 0;
	case OID_INT4:
		return len == 4 ? (int32_t)(uint32_t)get_be(p, 4) : 0;
	case OID_INT2:
		return len == 2 ? (int16_t)(uint16_t)get_be(p, 2) : 0;
	case OID_BOOL:
		return len == 1 && p[0];
	default:        /* text holding a number */
		return strtoll((const char *)p, NULL, 10);
	}
}

static const void *p_col_bytes(struct dbs *st, int i, size_t *len)
{
	struct pstmt *s = PS(st);
	*len = 0;
	if (p_col_null(st, i))
		return NULL;
	/* libpq ends every value with a NUL, binary ones too */
	*len = (size_t)PQgetlength(s->res, s->row, i);
	return PQgetvalue(s->res, s->row, i);
}

static const char *p_col_text(struct dbs *st, int i)
{
	size_t n;
	return p_col_bytes(st, i, &n);
}

static int64_t p_changes(struct dbs *st)
{
	return PS(st)->changes;
}

static void end_stream(struct pdb *d, struct pstmt *s)
{
	if (!s->open)
		return;
	s->open = 0;
	d->streams--;
	if (PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) == PQTRANS_INTRANS) {
		char sql[40];
		snprintf(sql, sizeof sql, "CLOSE %s", s->cursor);
		PQclear(PQexec(d->c, sql));
	}
	if (d->streams == 0 && d->auto_tx) {
		/* the read-only transaction the cursors needed */
		d->auto_tx = 0;
		if (PQtransactionStatus(d->c) != PQTRANS_IDLE)
			PQclear(PQexec(d->c, "COMMIT"));
	}
}

static void p_reset(struct dbs *st)
{
	struct pstmt *s = PS(st);
	struct pdb *d = P(st->db);
	end_stream(d, s);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	s->done = 0;
	for (int i = 0; i < s->nparams; i++)
		s->par[i] = (struct param){0};
}

static void unqueue_bulk(struct pdb *d, struct pstmt *s)
{
	for (struct pstmt **pp = &d->bulk; *pp; pp = &(*pp)->next_bulk)
		if (*pp == s) {
			*pp = s->next_bulk;
			break;
		}
	s->queued = 0;
	s->next_bulk = NULL;
}

static void p_finalize(struct dbs *st)
{
	struct pstmt *s = PS(st);
	struct pdb *d = P(st->db);
	p_reset(st);
	if (s->queued)
		unqueue_bulk(d, s);
	if (PQstatus(d->c) == CONNECTION_OK && s->gen == d->gen) {
		char sql[40];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		PQclear(PQexec(d->c, sql));
	}
	buf_free(&s->rows);
	free(s->copy_sql);
	free(s->sql);
	free(s->types);
	free(s->par);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s);
}

/* ---------- bulk rows: COPY binary ---------- */

static const unsigned char copy_header[19] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0,
                                              0,   0,   0,   0,   0,   0,   0,   0};

static int bulk_row(struct pstmt *s)
{
	struct pdb *d = P(s->base.db);
	unsigned char b[8];
	put_be(b, (uint64_t)s->nparams, 2);
	buf_add(&s->rows, b, 2);
	for (int i = 0; i < s->nparams; i++) {
		const struct param *p = &s->par[i];
		if (!p->p) {
			put_be(b, 0xffffffffu, 4);
			buf_add(&s->rows, b, 4);
			continue;
		}
		if (!p->fmt) {
			/* a value the server wants as text in a binary COPY: only
			 * numbers bound to a non-integer column come here */
			set_msg(d, "a bulk value of a type originscan does not write");
			d->sqlstate[0] = 0;
			d->lost = 0;
			return -1;
		}
		put_be(b, (uint64_t)(uint32_t)p->len, 4);
		buf_add(&s->rows, b, 4);
		buf_add(&s->rows, p->p, (size_t)p->len);
	}
	s->nqueued++;
	if (!s->queued) {
		s->queued = 1;
		s->next_bulk = d->bulk;
		d->bulk = s;
	}
	/* keep the bound values' lifetime the caller's: clear them now */
	for (int i = 0; i < s->nparams; i++)
		s->par[i] = (struct param){0};
	if (!(s->base.flags & DBS_REPLAY) && s->rows.len - s->sent >= BULK_SEND_BYTES) {
		if (!s->base.db->in_tx) {
			set_msg(d, "bulk rows outside a transaction");
			d->sqlstate[0] = 0;
			d->lost = 0;
			return -1;
		}
		if (send_bulk(d, s) < 0)
			return -1;
	}
	return 0;
}

static int send_bulk(struct pdb *d, struct pstmt *s)
{
	PGresult *r = PQexec(d->c, s->copy_sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		res_fail(d, r);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	static const unsigned char trailer[2] = {0xff, 0xff};
	size_t n = s->rows.len - s->sent;
	int ok = PQputCopyData(d->c, (const char *)copy_header, sizeof copy_header) == 1;
	for (size_t off = 0; ok && off < n;) {
		size_t chunk = n - off > (1u << 20) ? (1u << 20) : n - off;
		ok = PQputCopyData(d->c, s->rows.p + s->sent + off, (int)chunk) == 1;
		off += chunk;
	}
	ok = ok && PQputCopyData(d->c, (const char *)trailer, 2) == 1;
	if (PQputCopyEnd(d->c, ok ? NULL : "originscan: could not send the rows") != 1)
		ok = 0;
	int failed = 0;
	while ((r = PQgetResult(d->c))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && !failed) {
			res_fail(d, r);
			failed = 1;
		}
		PQclear(r);
	}
	if (!ok && !failed)
		res_fail(d, NULL);
	if (!ok || failed)
		return -1;
	if (s->base.flags & DBS_REPLAY)
		s->sent = s->rows.len;
	else {
		buf_reset(&s->rows);
		s->sent = 0;
		s->nqueued = 0;
	}
	return 0;
}

/* After a commit or rollback: nothing is queued any more. */
static void clear_bulk(struct pdb *d)
{
	while (d->bulk) {
		struct pstmt *s = d->bulk;
		buf_reset(&s->rows);
		s->sent = 0;
		s->nqueued = 0;
		unqueue_bulk(d, s);
	}
}

/* ---------- connection-level ---------- */

static int p_exec(struct db *db, const char *sql)
{
	struct pdb *d = P(db);
	if (flush_bulk(d) < 0)
		return -1;
	PGresult *r = PQexec(d->c, sql);
	ExecStatusType rs = PQresultStatus(r);
	int ok = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK;
	if (!ok)
		res_fail(d, r);
	PQclear(r);
	return ok ? 0 : -1;
}

static int p_begin(struct db *db)
{
	struct pdb *d = P(db);
	if (d->auto_tx) {
		/* cursors opened a transaction: it is now the caller's */
		d->auto_tx = 0;
		return 0;
	}
	return run_tx(d, "BEGIN");
}

static int p_commit(struct db *db)
{
	struct pdb *d = P(db);
	if (flush_bulk(d) < 0 || run_tx(d, "COMMIT") < 0) {
		p_fail(db, "commit");
		if (!d->lost) {
			PQclear(PQexec(d->c, "ROLLBACK"));
			clear_bulk(d);
		}
		return -1;
	}
	clear_bulk(d);
	return 0;
}

static void p_rollback(struct db *db)
{
	struct pdb *d = P(db);
	if (PQstatus(d->c) == CONNECTION_OK)
		PQclear(PQexec(d->c, "ROLLBACK"));
	clear_bulk(d);
	d->auto_tx = 0;
}

static void p_close(struct db *db)
{
	struct pdb *d = P(db);
	if (db->in_tx && PQstatus(d->c) == CONNECTION_OK && p_commit(db) < 0)
		p_rollback(db);
	PQfinish(d->c);
	free(d->msg);
	free(d->user);
	free(d);
}

static const struct db_ops pg_ops = {
	p_prepare, p_bind_i64, p_bind_bytes, p_bind_null, p_step, p_col_count, p_col_null, p_col_i64, p_col_bytes,
	p_col_text, p_changes, p_reset, p_finalize, p_exec, p_begin, p_commit, p_rollback, p_fail, p_close,
};

int db_lost(const struct db *db)
{
	return db->kind == DB_PG && P(db)->lost;
}

static int session_setup(struct pdb *d)
{
	PQsetNoticeProcessor(d->c, quiet_notice, NULL);
	/* the database is SQL_ASCII (checked on open): no conversion of the
	 * bytes of devices, either way */
	if (run_tx(d, "SET client_encoding = 'SQL_ASCII'") < 0)
		return -1;
	free(d->user);
	d->user = xstrdup(PQuser(d->c));
	return 0;
}

int db_reconnect(struct db *db, double max_wait)
{
	if (db->kind != DB_PG)
		return -1;
	struct pdb *d = P(db);
	double t0 = os_mono(), pause = 0.1;
	for (;;) {
		PQreset(d->c);
		if (PQstatus(d->c) == CONNECTION_OK && session_setup(d) == 0)
			break;
		if (os_mono() - t0 + pause > max_wait) {
			res_fail(d, NULL);
			d->lost = 1;
			return -1;
		}
		usleep((useconds_t)(pause * 1e6));
		if (pause < 2)
			pause *= 2;
	}
	/* the new session has none of the old one's statements, cursors or
	 * transaction; queued replay rows are sent again from their start */
	d->gen++;
	d->lost = 0;
	d->streams = 0;
	d->auto_tx = 0;
	db->in_tx = 0;
	for (struct pstmt *s = d->bulk; s; s = s->next_bulk)
		s->sent = 0;
	for (unsigned i = 0; i < DB_CACHE_SLOTS; i++)
		for (struct dbs *st = db->cache[i]; st; st = st->next) {
			struct pstmt *s = PS(st);
			s->open = 0;
			PQclear(s->res);
			s->res = NULL;
			s->done = 0;
			s->row = -1;
			s->nrows = 0;
		}
	return 0;
}

void db_bulk_hold(struct db *db, int hold)
{
	if (db->kind == DB_PG)
		P(db)->hold = hold;
}

int db_try_lock(struct db *db, int64_t key)
{
	if (db->kind != DB_PG)
		return 1;
	struct dbs *s = db_prepare(db, "SELECT pg_try_advisory_lock(?, ?)", 0, "take a part's lock");
	if (!s)
		return -1;
	db_bind_i64(s, 1, LOCK_CLASS);
	db_bind_i64(s, 2, key);
	int rc = db_step(s);
	int got = rc == 1 ? (int)db_col_i64(s, 0) : -1;
	db_done(s);
	return got;
}

int db_unlock(struct db *db, int64_t key)
{
	if (db->kind != DB_PG)
		return 0;
	struct dbs *s = db_prepare(db, "SELECT pg_advisory_unlock(?, ?)", 0, "release a part's lock");
	if (!s)
		return -1;
	db_bind_i64(s, 1, LOCK_CLASS);
	db_bind_i64(s, 2, key);
	int rc = db_step(s);
	db_done(s);
	return rc < 0 ? -1 : 0;
}

const char *db_pg_user(const struct db *db)
{
	return db->kind == DB_PG ? P(db)->user : NULL;
}

/* ---------- opening ---------- */

/* The URI as the user may see it: postgresql://user@host:port/dbname,
 * from its parsed parts (never a password: those are refused). */
static char *shown_name(PQconninfoOption *opts)
{
	const char *user = NULL, *host = NULL, *port = NULL, *dbname = NULL, *service = NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!strcmp(o->keyword, "user"))
			user = o->val;
		else if (!strcmp(o->keyword, "host"))
			host = o->val;
		else if (!strcmp(o->keyword, "port"))
			port = o->val;
		else if (!strcmp(o->keyword, "dbname"))
			dbname = o->val;
		else if (!strcmp(o->keyword, "service"))
			service = o->val;
	}
	struct buf b = {0};
	int sock = host && host[0] == '/';
	char sep = '?';
	buf_adds(&b, "postgresql://");
	if (user)
		buf_printf(&b, "%s@", user);
	if (host && !sock)
		buf_adds(&b, host);
	if (port && !sock)
		buf_printf(&b, ":%s", port);
	buf_printf(&b, "/%s", dbname ? dbname : "");
	if (sock) {
		buf_printf(&b, "?host=%s", host);
		sep = '&';
		if (port)
			buf_printf(&b, "&port=%s", port);
	}
	if (service)
		buf_printf(&b, "%cservice=%s", sep, service);
	return b.p;
}

static int has_tables(struct pdb *d, int *n)
{
	PGresult *r = PQexec(d->c, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		res_fail(d, r);
		PQclear(r);
		return -1;
	}
	*n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

/* The schema version in originscan_meta, or 0 with *ours = 0 when the
 * table is not there. */
static int read_version(struct pdb *d, int *ours, long *ver)
{
	*ours = 0;
	*ver = 0;
	PGresult *r = PQexec(d->c, "SELECT to_regclass('originscan_meta') IS NOT NULL");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		res_fail(d, r);
		PQclear(r);
		return -1;
	}
	*ours = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!*ours)
		return 0;
	r = PQexec(d->c, "SELECT value FROM originscan_meta WHERE key = 'schema_version'");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		res_fail(d, r);
		PQclear(r);
		return -1;
	}
	if (PQntuples(r) == 1)
		*ver = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	else
		*ours = 0;
	PQclear(r);
	return 0;
}

static int is_admin(struct pdb *d)
{
	PGresult *r = PQexec(d->c, "SELECT pg_has_role(current_user, 'originscan_admin', 'MEMBER')"
	                           " OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)");
	int yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return yes;
}

/* Creates (ver 0) or migrates the schema, as originscan_admin so that the
 * admin role owns it, and states the roles' rights. In one transaction;
 * a second db init waiting on the lock finds the work done. */
static int create_or_migrate(struct pdb *d, int init, int *created)
{
	*created = 0;
	if (run_tx(d, "BEGIN") < 0)
		return -1;
	/* one at a time: two inits, or an init and an upgrade, wait in turn */
	if (run_tx(d, "SELECT pg_advisory_xact_lock(1330856782, 0)") < 0)
		goto fail;
	/* init: the roles, the one running it among the admins, and the
	 * schema open to them (the schema's owner or a superuser may) */
	if (init && (run_tx(d, pg_roles) < 0 || run_tx(d, "GRANT originscan_admin TO CURRENT_USER") < 0 ||
	             run_tx(d, "GRANT USAGE, CREATE ON SCHEMA public TO originscan_admin") < 0 ||
	             run_tx(d, "GRANT USAGE ON SCHEMA public TO originscan_collector, originscan_reader") < 0))
		goto fail;
	if (run_tx(d, "SET LOCAL ROLE originscan_admin") < 0)
		goto fail;
	int ours;
	long ver;
	if (read_version(d, &ours, &ver) < 0)
		goto fail;
	if (ours && ver > SCHEMA_VERSION) {
		set_msg(d, "the schema is newer than this originscan knows");
		goto fail;
	}
	if (!ours) {
		int n;
		if (has_tables(d, &n) < 0)
			goto fail;
		if (n > 0) {
			set_msg(d, "the database holds another program's tables; originscan wants a database of its own");
			d->sqlstate[0] = 0;
			goto fail;
		}
		if (run_tx(d, pg_schema) < 0)
			goto fail;
		ver = PG_FIRST_VERSION;
		*created = 1;
	}
	for (long v = ver; v < SCHEMA_VERSION; v++)
		if (pg_migrations[v - PG_FIRST_VERSION + 1] && run_tx(d, pg_migrations[v - PG_FIRST_VERSION + 1]) < 0)
			goto fail;
	char sql[200];
	snprintf(sql, sizeof sql,
	         "INSERT INTO originscan_meta VALUES ('application', 'originscan'), ('schema_version', '%d')"
	         " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	         SCHEMA_VERSION);
	if (run_tx(d, sql) < 0 || run_tx(d, pg_grants) < 0 || run_tx(d, "COMMIT") < 0)
		goto fail;
	return 0;
fail:;
	char *keep = xstrdup(d->msg ? d->msg : "");
	PQclear(PQexec(d->c, "ROLLBACK"));
	set_msg(d, keep);
	free(keep);
	return -1;
}

struct db *db_open_pg(const char *uri, int init, int *created, char *err, size_t errlen)
{
	char *perr = NULL;
	int dummy;
	if (!created)
		created = &dummy;
	*created = 0;
	PQconninfoOption *opts = PQconninfoParse(uri, &perr);
	if (!opts) {
		/* libpq's message may quote the URI: say only that it is malformed */
		os_seterr(err, errlen, "--db: not a valid PostgreSQL URI (see README.md, 'PostgreSQL')");
		PQfreemem(perr);
		return NULL;
	}
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (!strcmp(o->keyword, "password") && o->val && *o->val) {
			PQconninfoFree(opts);
			os_seterr(err, errlen,
			          "--db: the PostgreSQL URI holds a password; passwords are never taken from the command line "
			          "or ORIGINSCAN_DB: put it in ~/.pgpass (or PGPASSFILE, PGPASSWORD, a service file)");
			return NULL;
		}
	char *name = shown_name(opts);
	PQconninfoFree(opts);

	struct pdb *d = xcalloc(1, sizeof *d);
	db_init(&d->base, &pg_ops, DB_PG, name);
	free(name);
	static const char *const keys[] = {"dbname", "application_name", "connect_timeout", NULL};
	const char *vals[] = {uri, "originscan", "20", NULL};
	d->c = PQconnectdbParams(keys, vals, 1);
	if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
		set_msg(d, d->c ? PQerrorMessage(d->c) : "out of memory");
		os_seterr(err, errlen, "cannot connect to %s: %s", d->base.name, d->msg);
		goto fail;
	}
	if (session_setup(d) < 0) {
		os_seterr(err, errlen, "%s: %s", d->base.name, d->msg);
		goto fail;
	}
	if (PQserverVersion(d->c) < 120000) {
		os_seterr(err, errlen, "%s: PostgreSQL %d.%d is too old; originscan needs 12 or newer", d->base.name,
		          PQserverVersion(d->c) / 10000, PQserverVersion(d->c) / 100 % 100);
		goto fail;
	}
	const char *enc = PQparameterStatus(d->c, "server_encoding");
	if (!enc || strcmp(enc, "SQL_ASCII")) {
		/* UTF8 would refuse a Latin-1 sysDescr, and a batch with it */
		os_seterr(err, errlen,
		          "%s has encoding %s; originscan stores the bytes devices send exactly and needs a database "
		          "made with: createdb -E SQL_ASCII -T template0 NAME (README.md, 'PostgreSQL')",
		          d->base.name, enc ? enc : "unknown");
		goto fail;
	}
	int ours;
	long ver;
	if (read_version(d, &ours, &ver) < 0) {
		os_seterr(err, errlen, "%s: %s", d->base.name, d->msg);
		goto fail;
	}
	if (ours && ver > SCHEMA_VERSION) {
		os_seterr(err, errlen,
		          "%s was written by a newer originscan (schema %ld; this one knows up to %d); upgrade originscan",
		          d->base.name, ver, SCHEMA_VERSION);
		goto fail;
	}
	if (!ours && !init) {
		int n = 0;
		if (has_tables(d, &n) < 0) {
			os_seterr(err, errlen, "%s: %s", d->base.name, d->msg);
			goto fail;
		}
		if (n > 0)
			os_seterr(err, errlen, "%s is not an originscan database (another program's tables); refusing to touch it",
			          d->base.name);
		else
			os_seterr(err, errlen, "%s has no originscan schema yet: its owner runs 'originscan db init --db %s'",
			          d->base.name, d->base.name);
		goto fail;
	}
	if (init || ver < SCHEMA_VERSION) {
		if (!init && !is_admin(d)) {
			os_seterr(err, errlen,
			          "%s has schema %ld, older than this originscan's %d: a member of originscan_admin runs "
			          "'originscan db init' to migrate it",
			          d->base.name, ver, SCHEMA_VERSION);
			goto fail;
		}
		if (create_or_migrate(d, init, created) < 0) {
			p_fail(&d->base, init ? "create the schema and roles" : "migrate the schema");
			os_seterr(err, errlen, "%s", d->base.err);
			goto fail;
		}
	}
	return &d->base;
fail:
	PQfinish(d->c);
	free(d->msg);
	free(d->user);
	free(d->base.name);
	free(d);
	return NULL;
}
