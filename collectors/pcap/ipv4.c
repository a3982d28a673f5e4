/* IPv4 (RFC 791). Checks version, header length and total length against
 * what the frame carries: a total length beyond the frame is malformed
 * unless the snap length cut it. The first fragment is dissected as if
 * cut (its transport payload is incomplete); later fragments carry no
 * transport header and are only counted. The source address is counted
 * against the frame's source MAC (facts.c decides from the TTL whether
 * it can be the MAC's own). Checksums are not verified: captured
 * outgoing packets carry offloaded, unfilled ones. No state.
 */
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"

/* Initial TTLs of common stacks: a packet still carrying one was not
 * routed, so its source is on this link. */
static int initial_ttl(uint8_t t)
{
	return t == 64 || t == 128 || t == 255 || t == 32 || t == 1;
}

dis_result ipv4_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint8_t vihl = cur_u8(c);
	cur_skip(c, 1);                 /* DSCP/ECN */
	uint16_t total = cur_be16(c);
	cur_skip(c, 2);                 /* id */
	uint16_t frag = cur_be16(c);
	uint8_t ttl = cur_u8(c), proto = cur_u8(c);
	cur_skip(c, 2);                 /* checksum */
	const uint8_t *src = cur_bytes(c, 4), *dst = cur_bytes(c, 4);
	unsigned hl = (vihl & 15u) * 4;
	if (!cur_ok(c) || vihl >> 4 != 4 || hl < 20 || (total && total < hl)) {
		dis_count("ipv4", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	cur_skip(c, hl - 20);           /* options */
	if (!cur_ok(c)) {
		dis_count("ipv4", ctx->snapped ? DIS_OK : DIS_MALFORMED);
		return ctx->snapped ? DIS_OK : DIS_MALFORMED;
	}
	struct cur body;
	size_t plen = total ? total - hl : cur_left(c);       /* 0: TSO, length unset */
	if (plen <= cur_left(c))
		body = cur_sub(c, plen);        /* Ethernet padding is not payload */
	else if (ctx->snapped)
		body = cur_rest(c);
	else {
		dis_count("ipv4", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("ipv4", DIS_OK);
	ctx->family = AF_INET;
	memcpy(ctx->src_ip_raw, src, 4);
	memcpy(ctx->dst_ip_raw, dst, 4);
	ip4_text(src, ctx->src_ip);
	ip4_text(dst, ctx->dst_ip);
	ctx->ttl = ttl;
	if (ctx->src_mac)
		mac_ip(ctx->facts, ctx->src_mac, AF_INET, src, initial_ttl(ttl));
	if (frag & 0x1fff)
		return DIS_OK;          /* a later fragment: no transport header */
	if (frag & 0x2000)
		ctx->snapped = 1;       /* first fragment: the payload goes on elsewhere */
	return ip_next_dissect(ctx, proto, &body);
}
