/* TCP (RFC 9293): the header (data offset checked against the segment),
 * then the payload to the dissector table by port and heuristics. A
 * server's SYN-ACK goes to the table too (app_open): stateful rows on its
 * port may start tracking the connection. Stateless here; dissectors that
 * need more than one segment keep bounded flow state (flow.c).
 */
#include <netinet/in.h>

#include "pcap_int.h"

dis_result tcp_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint16_t sport = cur_be16(c), dport = cur_be16(c);
	uint32_t seq = cur_be32(c);
	cur_skip(c, 4);                 /* ack */
	uint8_t off = cur_u8(c), flags = cur_u8(c);
	cur_skip(c, 6);                 /* window, checksum, urgent */
	unsigned hl = (off >> 4) * 4u;
	if (!cur_ok(c) || hl < 20) {
		dis_count("tcp", ctx->snapped && hl >= 20 ? DIS_OK : DIS_MALFORMED);
		return ctx->snapped && hl >= 20 ? DIS_OK : DIS_MALFORMED;
	}
	cur_skip(c, hl - 20);           /* options */
	if (!cur_ok(c)) {
		dis_count("tcp", ctx->snapped ? DIS_OK : DIS_MALFORMED);
		return ctx->snapped ? DIS_OK : DIS_MALFORMED;
	}
	dis_count("tcp", DIS_OK);
	ctx->l4 = IPPROTO_TCP;
	ctx->sport = sport;
	ctx->dport = dport;
	ctx->tcp_seq = seq;
	ctx->tcp_flags = flags;
	if ((flags & 0x12) == 0x12 && ctx->src_ip[0])
		app_open(ctx);          /* a session starts: a banner may come */
	if (!cur_left(c))
		return DIS_OK;
	dis_result r = app_dispatch(c, ctx);
	return r == DIS_NOT_MINE ? DIS_OK : r;     /* nobody claimed it: still a good frame */
}
