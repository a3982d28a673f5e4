/* Output files (-o) written whole or not at all.
 *
 * The output goes to a temporary file in the destination's directory and
 * is renamed over the destination only when everything was written and
 * synced: a report that fails part-way leaves the previous one in place.
 * The database a command reads (and its -wal, -shm and -journal files)
 * is never a valid destination.
 */
#ifndef OS_OUTFILE_H
#define OS_OUTFILE_H
#include <stddef.h>
#include <stdio.h>

struct outfile {
	FILE *f;                /* write here; stdout when no path was given */
	char *path, *tmp;       /* NULL for stdout */
};

/* path NULL or "-": stdout. db: the database the command uses (a file
 * path or a URL), or NULL. 0, or -1 with err naming what was wrong. */
int outfile_open(struct outfile *o, const char *path, const char *db, char *err, size_t errlen);
/* Flush, sync and rename into place: 0, or -1 with err (the temporary
 * file is removed and the destination left as it was). */
int outfile_commit(struct outfile *o, char *err, size_t errlen);
/* Give up: the temporary file is removed, the destination untouched. */
void outfile_abort(struct outfile *o);
/* 1 when path names db or one of its -wal/-shm/-journal files. */
int outfile_is_database(const char *path, const char *db);
#endif
