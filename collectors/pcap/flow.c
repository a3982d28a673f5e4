/* Bounded TCP flow state for the dissectors that need more than one
 * segment (TLS certificates, telnet banners).
 *
 * FLOWS_MAX slots (80 bytes each) in a hash table with a probe window of
 * 8: a new flow takes a free slot in its window or evicts the one idle
 * longest. A flow reassembling a TLS handshake may hold up to
 * TLS_BUF_MAX bytes, and at most TLS_FLOWS_MAX flows hold buffers at once,
 * so reassembly never costs more than TLS_BUF_MAX * TLS_FLOWS_MAX (8 MB).
 * Only in-order segments are taken; a gap ends the flow's reassembly.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"
#include "util.h"

#define PROBE 8

static size_t flow_key(const struct pkt_ctx *ctx, uint8_t key[40])
{
	memset(key, 0, 40);
	key[0] = (uint8_t)ctx->family;
	size_t n = ctx->family == AF_INET ? 4 : 16;
	memcpy(key + 1, ctx->src_ip_raw, n);
	memcpy(key + 17, ctx->dst_ip_raw, n);
	key[33] = (uint8_t)(ctx->sport >> 8);
	key[34] = (uint8_t)ctx->sport;
	key[35] = (uint8_t)(ctx->dport >> 8);
	key[36] = (uint8_t)ctx->dport;
	uint64_t h = 1469598103934665603ULL;
	for (int i = 0; i < 37; i++)
		h = (h ^ key[i]) * 1099511628211ULL;
	return (size_t)(h ^ h >> 32);
}

void flow_end(struct fact_sink *fs, struct flow *f)
{
	if (f->buf) {
		free(f->buf);
		f->buf = NULL;
		fs->flow_bufs--;
	}
	memset(f, 0, sizeof *f);
}

struct flow *flow_get(const struct pkt_ctx *ctx, int create)
{
	struct fact_sink *fs = ctx->facts;
	uint8_t key[40];
	if (!fs || !ctx->family)
		return NULL;
	size_t h = flow_key(ctx, key), victim = SIZE_MAX;
	for (size_t i = 0; i < PROBE; i++) {
		struct flow *f = &fs->flows[(h + i) % FLOWS_MAX];
		if (f->used && !memcmp(f->key, key, sizeof key)) {
			f->last_us = ctx->ts_us;
			return f;
		}
		if (!f->used) {
			if (victim == SIZE_MAX || fs->flows[victim].used)
				victim = (h + i) % FLOWS_MAX;
		} else if (victim == SIZE_MAX ||
		           (fs->flows[victim].used && f->last_us < fs->flows[victim].last_us))
			victim = (h + i) % FLOWS_MAX;
	}
	if (!create)
		return NULL;
	struct flow *f = &fs->flows[victim];
	if (f->used) {
		if (f->kind == FLOW_TELNET)
			telnet_flush(fs, f);
		flow_end(fs, f);
		fs->flows_evicted++;
	}
	memcpy(f->key, key, sizeof key);
	f->used = 1;
	f->last_us = ctx->ts_us;
	return f;
}

int flow_append(struct fact_sink *fs, struct flow *f, const uint8_t *p, size_t n)
{
	if (!f->buf) {
		if (fs->flow_bufs >= TLS_FLOWS_MAX)
			return -1;
		f->buf = xmalloc(TLS_BUF_MAX);
		fs->flow_bufs++;
		f->len = 0;
	}
	if (n > TLS_BUF_MAX - f->len)
		return -1;
	memcpy(f->buf + f->len, p, n);
	f->len += (uint32_t)n;
	return 0;
}
