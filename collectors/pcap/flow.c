/* Bounded TCP flow state for the stateful rows of the dissector table
 * (their struct app_flow hooks: TLS certificates, telnet banners).
 *
 * FLOWS_MAX slots (128 bytes each) in a hash table with a probe window of
 * 8: a new flow takes a free slot in its window or evicts the one idle
 * longest (its owner's flush hook runs first). A flow may hold a buffer
 * of up to FLOW_BUF_MAX bytes, and at most FLOW_BUFS_MAX flows hold one
 * at once, so buffers never cost more than FLOW_BUF_MAX * FLOW_BUFS_MAX
 * (8 MB). What goes into a buffer, and in which order, is the owner's
 * business (TLS takes in-order segments only). A bit per tracked flow's
 * pair of ports spares the lookup to the payloads of no tracked flow
 * (nearly all), until no flow is left and the bits are cleared.
 */
#include <stdio.h>
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
	uint64_t w[5], h = 0x9E3779B97F4A7C15ULL;
	memcpy(w, key, sizeof w);
	for (int i = 0; i < 5; i++) {
		h = (h ^ w[i]) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return (size_t)h;
}

/* The bit of the ports filter a direction's ports fall on. */
static unsigned port_bit(const struct pkt_ctx *ctx)
{
	return (unsigned)(ctx->sport * 40503u ^ ctx->dport) % FLOW_PORT_BITS;
}

static void flow_end(struct fact_sink *fs, struct flow *f)
{
	if (f->buf) {
		free(f->buf);
		fs->flow_bufs--;
	}
	if (f->used && !--fs->nflows)
		memset(fs->flow_ports, 0, sizeof fs->flow_ports);       /* none left: start afresh */
	memset(f, 0, sizeof *f);
}

void flow_close(struct fact_sink *fs, struct flow *f)
{
	if (f->used && f->owner && f->owner->flush)
		f->owner->flush(fs, f);
	flow_end(fs, f);
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
		flow_close(fs, f);
		fs->flows_evicted++;
	}
	memcpy(f->key, key, sizeof key);
	f->used = 1;
	f->last_us = ctx->ts_us;
	fs->nflows++;
	unsigned b = port_bit(ctx);
	fs->flow_ports[b / 64] |= 1ULL << b % 64;
	return f;
}

struct flow *flow_of(const struct pkt_ctx *ctx, const struct app_flow *owner)
{
	unsigned b = port_bit(ctx);
	if (!ctx->facts || !(ctx->facts->flow_ports[b / 64] >> b % 64 & 1))
		return NULL;            /* no flow on these ports: most payloads */
	struct flow *f = flow_get(ctx, 0);
	return f && f->owner == owner ? f : NULL;
}

struct flow *flow_start(const struct pkt_ctx *ctx, const struct app_flow *owner)
{
	struct flow *f = flow_get(ctx, 1);
	if (!f)
		return NULL;
	flow_close(ctx->facts, f);      /* a restart: what the old one held first */
	f = flow_get(ctx, 1);
	f->owner = owner;
	snprintf(f->subject, sizeof f->subject, "%s", ctx->src_ip);
	return f;
}

int flow_append(struct fact_sink *fs, struct flow *f, const uint8_t *p, size_t n)
{
	if (!f->buf) {
		if (fs->flow_bufs >= FLOW_BUFS_MAX)
			return -1;
		f->buf = xmalloc(FLOW_BUF_MAX);
		fs->flow_bufs++;
		f->len = 0;
	}
	if (n > FLOW_BUF_MAX - f->len)
		return -1;
	memcpy(f->buf + f->len, p, n);
	f->len += (uint32_t)n;
	return 0;
}
