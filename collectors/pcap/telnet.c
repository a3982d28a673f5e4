/* Telnet banners (RFC 854): the printable text a server sends first,
 * before anyone logs in, with option negotiation (IAC ...) taken out.
 *
 * Only a session whose start was seen is read: the server's SYN-ACK
 * opens the flow (telnet_open, from tcp.c), so a capture that begins in
 * the middle of a session never records what it carries.
 *
 * State: a tracked flow per server->client direction (flow.c), holding
 * at most BANNER_MAX bytes of text from at most SEGS_MAX segments. The
 * banner is written when a login prompt ends it (text ending in ':', '>'
 * or '#'), when the bounds are reached, or when the capture ends; the
 * flow then stays "done" so that nothing typed later in the session is
 * ever recorded.
 */
#include <stdlib.h>
#include <string.h>

#include "pcap_int.h"

#define BANNER_MAX 512
#define SEGS_MAX 6

enum { T_COLLECT = 0, T_DONE = 1 };

void telnet_flush(struct fact_sink *fs, struct flow *f)
{
	if (f->state != T_COLLECT || !f->buf || !f->len)
		return;
	uint32_t n = f->len;
	while (n && (f->buf[n - 1] == ' ' || f->buf[n - 1] == '\r' || f->buf[n - 1] == '\n'))
		n--;
	uint32_t s = 0;
	while (s < n && (f->buf[s] == ' ' || f->buf[s] == '\r' || f->buf[s] == '\n'))
		s++;
	if (n > s) {
		struct pkt_ctx ctx;
		memset(&ctx, 0, sizeof ctx);
		ctx.facts = fs;
		ctx.ts_us = f->last_us;
		ctx.source = fs->source;
		fact_emit(&ctx, SUBJ_IP, f->subject, "telnet.banner", f->buf + s, n - s);
	}
	f->state = T_DONE;
	free(f->buf);
	f->buf = NULL;
	fs->flow_bufs--;
	f->len = 0;
}

void telnet_open(const struct pkt_ctx *ctx)
{
	struct flow *f = flow_get(ctx, 1);
	if (!f || !ctx->src_ip[0])
		return;
	if (f->kind == FLOW_TELNET)
		telnet_flush(ctx->facts, f);
	flow_end(ctx->facts, f);
	if (!(f = flow_get(ctx, 1)))
		return;
	f->kind = FLOW_TELNET;
	f->state = T_COLLECT;
	memcpy(f->subject, ctx->src_ip, sizeof f->subject);
}

dis_result dis_telnet(struct cur *c, const struct pkt_ctx *ctx)
{
	if (ctx->sport != 23 || !ctx->src_ip[0])
		return DIS_OK;                  /* the client side says nothing of the device */
	struct flow *f = flow_get(ctx, 0);
	if (!f || f->kind != FLOW_TELNET || f->state != T_COLLECT)
		return DIS_OK;                  /* a session whose start we did not see */
	uint8_t text[1500];
	size_t n = 0;
	while (cur_left(c) && n < sizeof text) {
		uint8_t b = cur_u8(c);
		if (b != 0xff) {
			if ((b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t')
				text[n++] = b == '\t' ? ' ' : b;
			continue;
		}
		uint8_t cmd = cur_u8(c);
		if (cmd == 0xff)
			continue;               /* an escaped 255: not printable anyway */
		if (cmd >= 251 && cmd <= 254)
			cur_skip(c, 1);         /* WILL/WONT/DO/DONT option */
		else if (cmd == 250) {          /* subnegotiation up to IAC SE */
			while (cur_ok(c) && cur_left(c)) {
				if (cur_u8(c) == 0xff && cur_u8(c) == 240)
					break;
			}
		}
	}
	/* an IAC cut at the segment's end is legal: the rest comes next */
	if (n && flow_append(ctx->facts, f, text, n > BANNER_MAX - f->len ? BANNER_MAX - f->len : n) < 0) {
		f->state = T_DONE;
		return DIS_OK;
	}
	f->segs++;
	uint32_t e = f->len;
	while (e && (f->buf[e - 1] == ' ' || f->buf[e - 1] == '\r' || f->buf[e - 1] == '\n'))
		e--;
	if (f->len >= BANNER_MAX || f->segs >= SEGS_MAX ||
	    (e && (f->buf[e - 1] == ':' || f->buf[e - 1] == '>' || f->buf[e - 1] == '#')))
		telnet_flush(ctx->facts, f);
	return DIS_OK;
}
