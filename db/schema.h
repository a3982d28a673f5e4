/* The schema of both backends (db/schema.c). Private to db/. */
#ifndef OS_SCHEMA_H
#define OS_SCHEMA_H

#define SCHEMA_VERSION 6
#define PG_FIRST_VERSION 6      /* PostgreSQL support began with this schema */
#define APP_ID 0x4f53434eu      /* 'OSCN': SQLite's PRAGMA application_id */

extern const char *const sqlite_migrations[SCHEMA_VERSION];
extern const char pg_schema[];
extern const char *const pg_migrations[SCHEMA_VERSION - PG_FIRST_VERSION + 1];
/* The roles and what each may do (originscan db init). */
extern const char pg_roles[];
extern const char pg_grants[];
#endif
