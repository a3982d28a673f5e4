/* MPLS (RFC 3032): the label stack down to the bottom-of-stack bit (at
 * most LABELS_MAX labels), then what the first nibble says: IPv4, IPv6,
 * or a pseudowire control word (0) and an Ethernet frame (RFC 4448).
 * No state.
 */
#include "pcap_int.h"

#define LABELS_MAX 16

dis_result mpls_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	int n = 0;
	uint32_t lse;
	do {
		lse = cur_be32(c);
	} while (cur_ok(c) && !(lse & 0x100) && ++n < LABELS_MAX);
	uint8_t v;
	if (!cur_ok(c) || !(lse & 0x100) || !cur_peek_u8(c, 0, &v)) {
		dis_count("mpls", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("mpls", DIS_OK);
	ctx->src_mac = ctx->dst_mac = NULL;
	switch (v >> 4) {
	case 4:
		return ipv4_dissect(ctx, c);
	case 6:
		return ipv6_dissect(ctx, c);
	case 0:
		cur_skip(c, 4);         /* pseudowire control word */
		if (tunnel_enter(ctx) < 0) {
			dis_count("mpls", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
		return eth_dissect(ctx, c);
	}
	return DIS_OK;
}
