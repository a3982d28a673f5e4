/* GRE (RFC 2784, 2890; version 1 as PPTP uses it) and the mirrored
 * traffic it carries: IPv4/IPv6, transparent Ethernet bridging, MPLS, and
 * ERSPAN type I (GRE 0x88be without sequence number: the Ethernet frame
 * follows at once), type II (0x88be with sequence number: an 8-byte
 * header) and type III (0x22eb: a 12-byte header and an optional 8-byte
 * platform sub-header). Source routing (R bit, long obsolete) is not
 * followed. No state.
 */
#include "pcap_int.h"

static dis_result erspan(struct pkt_ctx *ctx, struct cur *c, int type)
{
	int eth = 1;
	if (type == 2) {
		uint16_t vv = cur_be16(c);
		cur_skip(c, 6);
		if (cur_ok(c) && vv >> 12 != 1) {
			dis_count("erspan", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
	} else if (type == 3) {
		uint16_t vv = cur_be16(c);
		cur_skip(c, 2 + 4 + 2);         /* COS/BSO/T/session, timestamp, SGT */
		uint16_t bits = cur_be16(c);
		if (cur_ok(c) && vv >> 12 != 2) {
			dis_count("erspan", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
		if (bits & 1)
			cur_skip(c, 8);         /* platform specific sub-header */
		unsigned ft = (bits >> 10) & 0x1f;
		if (ft != 0 && ft != 2) {
			dis_count("erspan", DIS_OK);    /* a frame type we do not know */
			return DIS_OK;
		}
		eth = ft == 0;
	}
	if (!cur_ok(c) || tunnel_enter(ctx) < 0) {
		dis_count("erspan", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("erspan", DIS_OK);
	if (eth)
		return eth_dissect(ctx, c);
	uint8_t v;
	if (!cur_peek_u8(c, 0, &v))
		return DIS_OK;
	return v >> 4 == 6 ? ipv6_dissect(ctx, c) : ipv4_dissect(ctx, c);
}

dis_result gre_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint16_t fl = cur_be16(c), proto = cur_be16(c);
	unsigned ver = fl & 7;
	if (!cur_ok(c) || ver > 1) {
		dis_count("gre", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	if (fl & 0x4000) {              /* routing present: obsolete, not followed */
		dis_count("gre", DIS_OK);
		return DIS_OK;
	}
	if (fl & 0x8000)
		cur_skip(c, 4);         /* checksum + reserved */
	if (fl & 0x2000)
		cur_skip(c, 4);         /* key (v1: payload length + call id) */
	if (fl & 0x1000)
		cur_skip(c, 4);         /* sequence number */
	if (ver == 1 && (fl & 0x0080))
		cur_skip(c, 4);         /* acknowledgment */
	if (!cur_ok(c)) {
		dis_count("gre", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("gre", DIS_OK);
	switch (proto) {
	case 0x88be:
		return erspan(ctx, c, fl & 0x1000 ? 2 : 1);
	case 0x22eb:
		return erspan(ctx, c, 3);
	case 0x0800:
	case 0x86dd:
	case 0x6558:
	case 0x8847:
	case 0x8848:
		if (tunnel_enter(ctx) < 0) {
			dis_count("gre", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
		return ethertype_dissect(ctx, proto, c);
	}
	return DIS_OK;
}
