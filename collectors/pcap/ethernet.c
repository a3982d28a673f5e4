/* Ethernet II and 802.3/802.2 LLC (+SNAP), 802.1Q and QinQ tags, and the
 * ethertype switch every link type and tunnel ends in.
 *
 * Each frame's source MAC is counted (facts.c). Link-layer protocols
 * nobody here parses (LLDP, CDP ...) go to the dissector table's l4 = 0 rows by
 * ethertype, or by SNAP protocol id for Cisco's OUI. No state.
 */
#include "pcap_int.h"

#define VLAN_MAX 8              /* tags on one frame; more is malformed */

static dis_result link_app(struct pkt_ctx *ctx, uint16_t type, struct cur *c)
{
	ctx->ethertype = type;
	ctx->l4 = 0;
	ctx->sport = ctx->dport = 0;
	dis_result r = app_dispatch(c, ctx);
	return r == DIS_NOT_MINE ? DIS_OK : r;     /* nobody claimed it: still a good frame */
}

/* 802.2 LLC, and SNAP inside it. */
static dis_result llc(struct pkt_ctx *ctx, struct cur *c)
{
	uint8_t dsap = cur_u8(c), ssap = cur_u8(c), ctl = cur_u8(c);
	if (!cur_ok(c)) {
		dis_count("llc", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	if ((ctl & 3) != 3)
		cur_skip(c, 1);         /* I/S format: two control octets */
	if (dsap == 0xaa && ssap == 0xaa && (ctl & 3) == 3) {
		uint32_t oui = cur_be24(c);
		uint16_t pid = cur_be16(c);
		if (!cur_ok(c)) {
			dis_count("snap", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
		/* SNAP inside VLAN inside SNAP ... nests: bound it as tunnels are */
		if (++ctx->depth > TUNNEL_MAX_DEPTH) {
			dis_count("snap", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
		dis_count("snap", DIS_OK);
		if (oui == 0)
			return ethertype_dissect(ctx, pid, c);
		if (oui == 0x00000c)    /* Cisco: CDP 0x2000, VTP, DTP ... */
			return link_app(ctx, pid, c);
		return DIS_OK;
	}
	dis_count("llc", DIS_OK);
	return DIS_OK;
}

dis_result ethertype_dissect(struct pkt_ctx *ctx, uint16_t type, struct cur *c)
{
	for (int tags = 0;; tags++) {
		switch (type) {
		case 0x0800:
			return ipv4_dissect(ctx, c);
		case 0x86dd:
			return ipv6_dissect(ctx, c);
		case 0x0806:
			return arp_dissect(ctx, c);
		case 0x8847:
		case 0x8848:
			return mpls_dissect(ctx, c);
		case 0x0004:            /* Linux cooked: 802.2 LLC */
			return llc(ctx, c);
		case 0x6558:            /* transparent Ethernet bridging (GRE, Geneve) */
			if (tunnel_enter(ctx) < 0) {
				dis_count("ethernet", DIS_MALFORMED);
				return DIS_MALFORMED;
			}
			return eth_dissect(ctx, c);
		case 0x8100:
		case 0x88a8:
		case 0x9100: {
			uint16_t tci = cur_be16(c);
			type = cur_be16(c);
			if (!cur_ok(c) || tags == VLAN_MAX) {
				dis_count("vlan", DIS_MALFORMED);
				return DIS_MALFORMED;
			}
			dis_count("vlan", DIS_OK);
			ctx->vlan = tci & 0x0fff;
			if (type <= 1500)
				return llc(ctx, c);
			continue;
		}
		}
		return link_app(ctx, type, c);
	}
}

dis_result eth_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	const uint8_t *dst = cur_bytes(c, 6), *src = cur_bytes(c, 6);
	uint16_t type = cur_be16(c);
	if (!cur_ok(c) || (type > 1500 && type < 0x0600)) {
		dis_count("ethernet", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("ethernet", DIS_OK);
	ctx->dst_mac = dst;
	ctx->src_mac = src;
	mac_frame(ctx->facts, src, ctx->ts_us);
	if (type <= 1500) {
		/* 802.3: a length, then LLC; padding after it is not data */
		struct cur body = cur_left(c) > type ? cur_sub(c, type) : cur_rest(c);
		return llc(ctx, &body);
	}
	return ethertype_dissect(ctx, type, c);
}
