/* Unit tests that run on both store backends: a fresh database per
 * name, on SQLite (a file in a temporary directory) or, when
 * ORIGINSCAN_TEST_PG names a server (tests/with_pg.sh starts one), on
 * PostgreSQL (a database of that name, created empty), and one value out
 * of it by SQL for the checks. The same test body runs on either. */
#ifndef OS_TEST_TESTDB_H
#define OS_TEST_TESTDB_H
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static char tdb_dir[] = "/tmp/originscan-test-XXXXXX";
static const char *tdb_pg;      /* the server's URI, or NULL: SQLite */

static int tdb_init(void)
{
	const char *pg = getenv("ORIGINSCAN_TEST_PG");
	tdb_pg = pg && *pg ? pg : NULL;
	if (!mkdtemp(tdb_dir))
		return -1;
	fprintf(stderr, "backend: %s\n", tdb_pg ? "postgresql" : "sqlite");
	return 0;
}

static void tdb_cleanup(void)
{
	char *cmd = xasprintf("rm -rf %s", tdb_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not clean %s\n", tdb_dir);
	free(cmd);
}

/* The server URI with a database name: ".../?host=..." -> ".../NAME?host=..." */
static char *tdb_pg_uri(const char *name, const char *user)
{
	const char *at = strstr(tdb_pg, "@/"), *q = strchr(tdb_pg, '?');
	if (!at || !q)
		return xstrdup(tdb_pg);
	if (user)
		return xasprintf("postgresql://%s@/%s%s", user, name, q);
	return xasprintf("%.*s@/%s%s", (int)(at - tdb_pg), tdb_pg, name, q);
}

static void tdb_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Runs SQL on the server's database db (NULL: "postgres") as the
 * superuser; the first value of the first row into out. */
static int tdb_pg_val(const char *db, const char *sql, char *out, size_t outlen)
{
	char *uri = tdb_pg_uri(db ? db : "postgres", NULL);
	PGconn *c = PQconnectdb(uri);
	free(uri);
	PQsetNoticeProcessor(c, tdb_quiet, NULL);
	int rc = -1;
	if (out)
		out[0] = 0;
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
			rc = 0;
			if (out && s == PGRES_TUPLES_OK && PQntuples(r) > 0)
				snprintf(out, outlen, "%s", PQgetvalue(r, 0, 0));
		} else
			fprintf(stderr, "testdb: %s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
	} else
		fprintf(stderr, "testdb: %s", PQerrorMessage(c));
	PQfinish(c);
	return rc;
}

/* A new, empty database called name; its spec for store_open. */
static char *tdb_new(const char *name)
{
	if (!tdb_pg)
		return xasprintf("%s/%s.db", tdb_dir, name);
	char sql[300];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", name);
	tdb_pg_val(NULL, sql, NULL, 0);
	snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
	if (tdb_pg_val(NULL, sql, NULL, 0) < 0)
		return NULL;
	return tdb_pg_uri(name, NULL);
}

/* The database name of a spec tdb_new made. */
static const char *tdb_name(const char *spec)
{
	const char *at = strstr(spec, "@/");
	static char name[200];
	if (!at)
		return spec;
	const char *q = strchr(at, '?');
	snprintf(name, sizeof name, "%.*s", (int)((q ? q : at + strlen(at)) - at - 2), at + 2);
	return name;
}

/* One value out of a database (SQL of the backend's dialect). */
static int tdb_val(const char *spec, const char *sql, char *out, size_t outlen)
{
	if (tdb_pg)
		return tdb_pg_val(tdb_name(spec), sql, out, outlen);
	sqlite3 *h;
	sqlite3_stmt *s;
	int rc = -1;
	out[0] = 0;
	if (sqlite3_open(spec, &h) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(s, 0);
			snprintf(out, outlen, "%s", t ? (const char *)t : "");
		}
		rc = r == SQLITE_ROW || r == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return rc;
}

/* A new database with the schema in place (PostgreSQL: db init). */
static char *tdb_ready(const char *name)
{
	char *spec = tdb_new(name);
	char err[512];
	int created;
	if (spec && tdb_pg && store_init(spec, &created, err, sizeof err) < 0) {
		fprintf(stderr, "testdb: init %s: %s\n", name, err);
		free(spec);
		return NULL;
	}
	return spec;
}
#endif
