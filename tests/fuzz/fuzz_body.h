/* What one fuzz input does, shared by the libFuzzer targets (fuzz_*.c)
 * and the regression runner (tests/unit/test_fuzz_regress.c), which
 * replays every input a fuzzer once crashed on.
 *
 *   fuzz_frame_one: byte 0 picks the link type (and bit 7: the frame was
 *                   cut by the snap length); the rest is the frame.
 *   fuzz_app_one:   one dissector of the table by name; the input is one
 *                   payload, or for stateful ones (rows with flow hooks:
 *                   tls, telnet) a connection opened by the server's
 *                   SYN-ACK and a run of segments, each prefixed by a
 *                   16-bit length, with consecutive sequence numbers.
 * Facts go to a real fact table without an evidence sink (dedup, bounds
 * and flows are exercised), renewed every 4096 inputs.
 */
#ifndef OS_FUZZ_BODY_H
#define OS_FUZZ_BODY_H
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <string.h>

#include "pcap_int.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

static struct fact_sink *fuzz_sink(void)
{
	static struct fact_sink *fs;
	static unsigned n;
	if (!fs || ++n % 4096 == 0) {
		fact_sink_free(fs);
		fs = fact_sink_new(NULL, 1 << 16, 1 << 12);
	}
	return fs;
}

static inline void fuzz_frame_one(const uint8_t *data, size_t size)
{
	static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL, DLT_LOOP};
	if (!size)
		return;
	int dlt = dlts[(data[0] & 0x7f) % (sizeof dlts / sizeof dlts[0])];
	uint32_t n = (uint32_t)(size - 1);
	frame_dissect(fuzz_sink(), dlt, data + 1, n, data[0] & 0x80 ? n + 100 : n, 0, "fuzz");
}

static inline void fuzz_app_one(const char *name, const uint8_t *data, size_t size)
{
	const struct app_proto *a = app_proto_find(name);
	if (!a)
		return;
	struct pkt_ctx ctx;
	static const uint8_t smac[6] = {0x00, 0x1e, 0x10, 1, 2, 3}, dmac[6] = {0x01, 0x80, 0xc2, 0, 0, 0x0e};
	memset(&ctx, 0, sizeof ctx);
	ctx.facts = fuzz_sink();
	ctx.source = "fuzz";
	ctx.src_mac = smac;
	ctx.dst_mac = dmac;
	ctx.l4 = a->l4;
	if (a->l4) {
		ctx.family = AF_INET;
		memcpy(ctx.src_ip, "192.0.2.1", 10);
		memcpy(ctx.dst_ip, "192.0.2.2", 10);
		memcpy(ctx.src_ip_raw, "\xc0\x00\x02\x01", 4);
		memcpy(ctx.dst_ip_raw, "\xc0\x00\x02\x02", 4);
		ctx.sport = a->port ? a->port : 4242;
		ctx.dport = 50000;
		ctx.sctp_ppid = a->ppid;
		ctx.ttl = 64;
	} else
		ctx.ethertype = a->port;
	if (!a->flow) {
		struct cur c = cur_make(data, size);
		a->fn(&c, &ctx);
		return;
	}
	struct cur in = cur_make(data, size);
	uint32_t seq = 1000;
	ctx.tcp_flags = 0x12;
	app_open(&ctx);                 /* the server's SYN-ACK: open hooks run */
	ctx.tcp_flags = 0x18;
	while (cur_left(&in)) {
		uint16_t len = cur_be16(&in);
		struct cur seg = cur_left(&in) < len ? cur_rest(&in) : cur_sub(&in, len);
		if (!cur_ok(&seg))
			break;
		ctx.tcp_seq = seq;
		seq += (uint32_t)cur_left(&seg);
		struct cur c = seg;
		app_try(a, &c, &ctx);
	}
}
#endif
