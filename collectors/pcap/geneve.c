/* Geneve (RFC 8926): version 0, options of 4 * optlen bytes, then the
 * protocol type names the payload (Ethernet 0x6558, IPv4, IPv6). No state.
 */
#include "pcap_int.h"

dis_result geneve_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint8_t vo = cur_u8(c);
	cur_skip(c, 1);                 /* O, C flags */
	uint16_t proto = cur_be16(c);
	cur_skip(c, 4);                 /* VNI, reserved */
	cur_skip(c, (size_t)(vo & 0x3f) * 4);
	if (!cur_ok(c) || vo >> 6 != 0 || tunnel_enter(ctx) < 0) {
		dis_count("geneve", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("geneve", DIS_OK);
	if (proto == 0x6558 || proto == 0x0800 || proto == 0x86dd)
		return ethertype_dissect(ctx, proto, c);
	return DIS_OK;
}
