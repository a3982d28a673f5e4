/* Telnet banners (RFC 854): the printable text a server sends first,
 * before anyone logs in, with option negotiation (IAC ...) taken out.
 *
 * Only a session whose start was seen is read: the server's SYN-ACK
 * opens the flow (the open hook, called for SYN-ACKs from this row's
 * port), so a capture that begins in the middle of a session never
 * records what it carries.
 *
 * State: a tracked flow per server->client direction (flow.c), holding
 * at most BANNER_MAX bytes of text from at most SEGS_MAX segments. The
 * banner is written when a login prompt ends it (text ending in ':', '>'
 * or '#'), when the bounds are reached, or when the flow ends otherwise
 * (evicted, restarted, the capture over: the flush hook); the flow then
 * ends, and as only a SYN-ACK starts one, nothing typed later in the
 * session is ever recorded.
 */
#include <string.h>

#include "pcap_int.h"

#define BANNER_MAX 512
#define SEGS_MAX 6

/* The text held so far (flow_append's buffer). */
static struct cur held(const struct flow *f)
{
	return cur_make(f->buf, f->len);
}

static void telnet_flush(struct fact_sink *fs, struct flow *f)
{
	struct cur text = held(f);
	cur_trim(&text, " \r\n");
	if (cur_left(&text)) {
		struct pkt_ctx ctx;
		memset(&ctx, 0, sizeof ctx);
		ctx.facts = fs;
		ctx.ts_us = f->last_us;
		ctx.source = fs->source;
		fact_emit_cur(&ctx, SUBJ_IP, f->subject, "telnet.banner", text);
	}
}

/* Payloads of no tracked flow: a session whose start we did not see, or
 * the client's side (it says nothing of the device). */
dis_result dis_telnet(struct cur *c, const struct pkt_ctx *ctx)
{
	(void)c, (void)ctx;
	return DIS_OK;
}

static dis_result telnet_append(struct cur *c, const struct pkt_ctx *ctx, struct flow *f)
{
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
		flow_close(ctx->facts, f);      /* no room: nothing held to write */
		return DIS_OK;
	}
	f->segs++;
	struct cur so_far = held(f);
	cur_rtrim(&so_far, " \r\n");
	if (f->len >= BANNER_MAX || f->segs >= SEGS_MAX || cur_ends_in(&so_far, ":>#"))
		flow_close(ctx->facts, f);      /* a login prompt, or the bounds */
	return DIS_OK;
}

static void telnet_open(const struct pkt_ctx *ctx, struct flow *f)
{
	(void)ctx, (void)f;     /* started empty: the banner is what comes next */
}

const struct app_flow telnet_flow = {telnet_open, telnet_append, telnet_flush};
