/* Output files written whole or not at all (include/outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "util.h"

/* The absolute, symlink-free form of a path whose last part may not exist
 * yet: its directory resolved, its name kept. NULL when the directory
 * cannot be resolved. */
static char *canonical(const char *path)
{
	char *r = realpath(path, NULL);
	if (r)
		return r;
	char *d = xstrdup(path), *b = xstrdup(path);
	char *dir = realpath(dirname(d), NULL);
	char *out = dir ? xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", basename(b)) : NULL;
	free(dir);
	free(d);
	free(b);
	return out;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	char *ca = canonical(a), *cb = canonical(b);
	int same = ca && cb && !strcmp(ca, cb);
	free(ca);
	free(cb);
	return same;
}

int outfile_is_database(const char *path, const char *db)
{
	if (!path || !db || strstr(db, "://"))
		return 0;
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < OS_ARRAY_LEN(sfx); i++) {
		char *f = xasprintf("%s%s", db, sfx[i]);
		int same = same_file(path, f);
		free(f);
		if (same)
			return 1;
	}
	return 0;
}

int outfile_open(struct outfile *o, const char *path, const char *db, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	if (outfile_is_database(path, db)) {
		os_seterr(err, errlen, "-o %s: that is the database (or one of its files); choose another output file",
		          path);
		return -1;
	}
	struct stat sb;
	mode_t mode;
	if (stat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode)) {
			os_seterr(err, errlen, "-o %s: not a regular file", path);
			return -1;
		}
		mode = sb.st_mode & 07777;      /* a replaced report keeps its mode */
	} else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	char *d = xstrdup(path), *b = xstrdup(path);
	o->tmp = xasprintf("%s/.%s.XXXXXX", dirname(d), basename(b));
	free(d);
	free(b);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		os_seterr(err, errlen, "-o %s: cannot write there: %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	if (fchmod(fd, mode) < 0 || !(o->f = fdopen(fd, "w"))) {
		os_seterr(err, errlen, "-o %s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	o->path = xstrdup(path);
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->tmp) {
		fclose(o->f);
		unlink(o->tmp);
	} else if (o->f)
		fflush(o->f);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	if (!o->tmp) {
		int rc = fflush(o->f) == 0 ? 0 : -1;
		if (rc < 0)
			os_seterr(err, errlen, "cannot write the output: %s", strerror(errno));
		memset(o, 0, sizeof *o);
		return rc;
	}
	int rc = 0;
	if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0) {
		os_seterr(err, errlen, "-o %s: %s", o->path, strerror(errno));
		rc = -1;
	}
	if (fclose(o->f) != 0 && rc == 0) {
		os_seterr(err, errlen, "-o %s: %s", o->path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(o->tmp, o->path) != 0) {
		os_seterr(err, errlen, "-o %s: %s", o->path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
	return rc;
}
