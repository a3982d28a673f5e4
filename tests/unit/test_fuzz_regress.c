/* Replays every input kept under tests/fuzz/regressions/TARGET/ (inputs a
 * fuzzer once crashed or hung on, and hand-made hostile ones) through
 * the same code the fuzz targets run (tests/fuzz/fuzz_body.h), in the
 * plain and the sanitizer builds. TARGET is "frame" or a dissector table name.
 * argv[1]: the regressions directory. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fuzz_body.h"
#include "util.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	DIR *top = opendir(argv[1]);
	CHECK(top != NULL);
	if (!top)
		CHECK_DONE();
	struct dirent *t;
	size_t n = 0;
	while ((t = readdir(top))) {
		/* oss/ is replayed by its own target (oss_fuzz_seeds) */
		if (t->d_name[0] == '.' || !strcmp(t->d_name, "oss"))
			continue;
		char *dir = xasprintf("%s/%s", argv[1], t->d_name);
		CHECK(!strcmp(t->d_name, "frame") || app_proto_find(t->d_name) != NULL);
		DIR *d = opendir(dir);
		struct dirent *f;
		while (d && (f = readdir(d))) {
			if (f->d_name[0] == '.')
				continue;
			char *path = xasprintf("%s/%s", dir, f->d_name), err[256];
			size_t len;
			char *data = os_read_file(path, 1 << 20, &len, err, sizeof err);
			CHECK(data != NULL);
			if (data) {
				/* an exact-size copy, so ASan sees any over-read */
				uint8_t *copy = xmalloc(len ? len : 1);
				memcpy(copy, data, len);
				if (!strcmp(t->d_name, "frame"))
					fuzz_frame_one(copy, len);
				else
					fuzz_app_one(t->d_name, copy, len);
				free(copy);
				free(data);
				n++;
			}
			free(path);
		}
		if (d)
			closedir(d);
		free(dir);
	}
	closedir(top);
	fact_sink_free(fuzz_sink());
	CHECK(n > 0);
	fprintf(stderr, "%zu regression inputs replayed\n", n);
	CHECK_DONE();
}
