/* libFuzzer target: the OSS export reader (collectors/oss) over bytes in
 * memory, rows discarded. Seeds: `tests/ossgen/ossgen.py seeds DIR` writes
 * DIR/oss/ (small exports of each dialect and the hostile files). */
#include <stdint.h>
#include <stddef.h>

#include "oss.h"

static int drop(struct ev_sink *s, const struct evidence *ev)
{
	(void)s;
	(void)ev;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ev_sink sink = {.emit = drop};
	struct oss_opts o = {.plmn = "001-01", .seen_us = 1};
	struct oss_stats st;
	oss_read_mem(data, size, "fuzz", &o, &sink, &st);
	return 0;
}
