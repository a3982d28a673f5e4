/* GTP-U (3GPP TS 29.281): G-PDUs (message type 255) carry the
 * subscriber's IP packets; the optional sequence number / N-PDU number /
 * next extension header fields and the extension header chain (each
 * 4 * length bytes, at most EXT_MAX, length 0 malformed) are skipped to
 * reach them. Every other message (echo, error indication, end marker)
 * is DIS_NOT_MINE here, for the dissector table's GTP dissector. No state.
 */
#include "pcap_int.h"

#define EXT_MAX 8

dis_result gtpu_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint8_t flags, type;
	if (!cur_peek_u8(c, 0, &flags) || !cur_peek_u8(c, 1, &type))
		return DIS_NOT_MINE;
	if (flags >> 5 != 1 || !(flags & 0x10) || type != 255)
		return DIS_NOT_MINE;    /* not GTPv1-U, or not a G-PDU */
	cur_skip(c, 8);                 /* flags, type, length, TEID */
	if (flags & 0x07) {
		cur_skip(c, 3);         /* sequence number, N-PDU number */
		uint8_t next = cur_u8(c);
		for (int n = 0; next && cur_ok(c); n++) {
			uint8_t len = cur_u8(c);
			if (!len || n == EXT_MAX) {
				cur_fail(c);
				break;
			}
			cur_skip(c, (size_t)len * 4 - 2);
			next = cur_u8(c);
		}
	}
	uint8_t v;
	if (!cur_ok(c) || tunnel_enter(ctx) < 0) {
		dis_count("gtpu", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("gtpu", DIS_OK);
	if (!cur_peek_u8(c, 0, &v))
		return DIS_OK;
	if (v >> 4 == 4)
		return ipv4_dissect(ctx, c);
	if (v >> 4 == 6)
		return ipv6_dissect(ctx, c);
	return DIS_OK;
}
