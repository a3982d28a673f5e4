/* VXLAN (RFC 7348): an 8-byte header with the I flag, then an Ethernet
 * frame. A header without the I flag is not VXLAN (DIS_NOT_MINE: the
 * dissector table may know the port). No state.
 */
#include "pcap_int.h"

dis_result vxlan_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint8_t flags;
	if (!cur_peek_u8(c, 0, &flags) || !(flags & 0x08) || cur_left(c) < 8)
		return DIS_NOT_MINE;
	cur_skip(c, 8);
	if (tunnel_enter(ctx) < 0) {
		dis_count("vxlan", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("vxlan", DIS_OK);
	return eth_dissect(ctx, c);
}
