/* bench/oss.sh's reader: collectors/oss over the files named, every row
 * copied out as the store would receive it (subject, key, value: the
 * store binds them, it does not printf them) and then dropped, so the time is
 * the reader's and the memory its own (no store growing with the file).
 * Prints rows, elements, cells, seconds and the peak RSS. */
#include <stdio.h>
#include <sys/resource.h>

#include "oss.h"
#include "util.h"

static int count(struct ev_sink *s, const struct evidence *ev)
{
	struct buf *b = s->ctx;
	buf_reset(b);
	buf_adds(b, ev->subject);
	buf_addc(b, '\t');
	buf_adds(b, ev->key);
	buf_addc(b, '\t');
	buf_add(b, ev->value, ev->value_len);
	s->emitted++;
	return 0;
}

int main(int argc, char **argv)
{
	struct buf b = {0};
	struct ev_sink s = {.emit = count, .ctx = &b};
	uint64_t elements = 0, cells = 0;
	double t0 = os_mono();
	for (int i = 1; i < argc; i++) {
		struct oss_stats st;
		if (oss_read_file(argv[i], NULL, &s, &st) < 0) {
			fprintf(stderr, "oss_read: %s\n", st.error);
			return 2;
		}
		elements += st.elements;
		cells += st.cells;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("rows=%llu elements=%llu cells=%llu seconds=%.2f maxrss_kb=%ld\n", (unsigned long long)s.emitted,
	       (unsigned long long)elements, (unsigned long long)cells, os_mono() - t0, ru.ru_maxrss);
	buf_free(&b);
	return 0;
}
