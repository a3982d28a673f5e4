/* Shared by the mobile dissectors' libFuzzer targets: one payload, handed
 * to one dissector as the dissector table would (transport, port, PPID
 * set), with a fact sink that counts and deduplicates but writes
 * nothing. ASan/UBSan (the fuzz build's flags) turn any over-read or
 * overflow into a crash. */
#ifndef OS_FUZZ_MOBILE_H
#define OS_FUZZ_MOBILE_H
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "mobile/mobile.h"
#include "pcap_int.h"

static inline int fuzz_one(app_dissector fn, uint8_t l4, uint16_t port, uint32_t ppid, const uint8_t *data,
                           size_t size)
{
	static struct fact_sink *fs;
	if (!fs)
		fs = fact_sink_new(NULL, 1 << 16, 16);
	struct pkt_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.family = AF_INET;
	strcpy(ctx.src_ip, "10.66.0.1");
	strcpy(ctx.dst_ip, "10.66.0.2");
	ctx.l4 = l4;
	ctx.sport = 40000;
	ctx.dport = port;
	ctx.sctp_ppid = ppid;
	ctx.source = "fuzz";
	ctx.facts = fs;
	/* an exact-size copy: a read one byte past the end is caught */
	uint8_t *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	struct cur c = cur_make(copy, size);
	(void)fn(&c, &ctx);
	free(copy);
	return 0;
}
#endif
