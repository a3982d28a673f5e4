/* The frame path's entry: link types, and the hand-over from IP to the
 * transport and tunnel dissectors.
 *
 * Link types: Ethernet, Linux cooked capture v1 and v2 (what `-i any`
 * records), raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6) and BSD loopback
 * (DLT_NULL in the writer's byte order, DLT_LOOP in network order).
 * Anything else is refused per capture by link_supported().
 * Cost: no state; a frame costs a walk over its headers.
 */
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#define DLT_IPV6 229
#endif

int link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return 1;
	}
	return 0;
}

const char *link_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);
	return n ? n : "unknown";
}

int tunnel_enter(struct pkt_ctx *ctx)
{
	if (++ctx->depth > TUNNEL_MAX_DEPTH)
		return -1;
	ctx->src_mac = ctx->dst_mac = NULL;
	ctx->family = 0;
	ctx->src_ip[0] = ctx->dst_ip[0] = 0;
	ctx->vlan = 0;
	return 0;
}

/* Raw IP: the version nibble says which. */
static dis_result raw_ip(struct pkt_ctx *ctx, struct cur *c)
{
	uint8_t v;
	if (!cur_peek_u8(c, 0, &v))
		return DIS_MALFORMED;
	if (v >> 4 == 4)
		return ipv4_dissect(ctx, c);
	if (v >> 4 == 6)
		return ipv6_dissect(ctx, c);
	return DIS_MALFORMED;
}

/* Linux cooked capture: the sender's link address is in the header (for
 * packets sent as well as received). Protocol 0x0004 is an 802.2 LLC
 * frame (CDP arrives so on `-i any`), 0x0001 802.3 without LLC. */
static dis_result sll(struct pkt_ctx *ctx, struct cur *c, int v2)
{
	uint16_t proto, hatype;
	uint8_t alen;
	const uint8_t *addr;
	if (v2) {
		proto = cur_be16(c);
		cur_skip(c, 6);         /* reserved, ifindex */
		hatype = cur_be16(c);
		cur_skip(c, 1);         /* packet type */
		alen = cur_u8(c);
		addr = cur_bytes(c, 8);
	} else {
		cur_skip(c, 2);         /* packet type */
		hatype = cur_be16(c);
		alen = (uint8_t)cur_be16(c);
		addr = cur_bytes(c, 8);
		proto = cur_be16(c);
	}
	if (!cur_ok(c)) {
		dis_count("sll", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("sll", DIS_OK);
	if (hatype == 1 && alen == 6) {     /* ARPHRD_ETHER */
		ctx->src_mac = addr;
		mac_frame(ctx->facts, addr, ctx->ts_us);
	}
	if (proto == 0x0004) {
		/* LLC: hand it to the Ethernet code's 802.2 path through a
		 * length that says "802.3" */
		return ethertype_dissect(ctx, 0x0004, c);
	}
	return ethertype_dissect(ctx, proto, c);
}

static dis_result loopback(struct pkt_ctx *ctx, struct cur *c, int network_order)
{
	uint32_t af = network_order ? cur_be32(c) : cur_le32(c);
	if (!cur_ok(c))
		return DIS_MALFORMED;
	/* DLT_NULL is in the writer's byte order: accept either */
	if (!network_order && (af & 0xffff) == 0 && af)
		af = __builtin_bswap32(af);
	switch (af) {
	case 2:                         /* AF_INET everywhere */
		return ipv4_dissect(ctx, c);
	case 10: case 24: case 28: case 30:     /* AF_INET6: Linux, BSDs, macOS */
		return ipv6_dissect(ctx, c);
	}
	dis_count("loopback", DIS_MALFORMED);
	return DIS_MALFORMED;
}

dis_result frame_dissect(struct fact_sink *fs, int dlt, const uint8_t *p, uint32_t caplen,
                         uint32_t wirelen, int64_t ts_us, const char *source)
{
	/* Zeroed up to the address texts (their first byte only), in two
	 * stores of at most 64 bytes, which compilers write inline: a
	 * single memset of this size becomes a slower rep stos. */
	struct pkt_ctx ctx;
	_Static_assert(offsetof(struct pkt_ctx, src_ip) <= 128, "frame_dissect clears 128 bytes at most");
	memset(&ctx, 0, 64);
	memset((char *)&ctx + 64, 0, offsetof(struct pkt_ctx, src_ip) - 64);
	ctx.src_ip[0] = ctx.dst_ip[0] = 0;
	ctx.ts_us = ts_us;
	ctx.source = source;
	ctx.facts = fs;
	ctx.snapped = caplen < wirelen;
	struct cur c = cur_make(p, caplen);
	switch (dlt) {
	case DLT_EN10MB:
		return eth_dissect(&ctx, &c);
	case DLT_LINUX_SLL:
		return sll(&ctx, &c, 0);
	case DLT_LINUX_SLL2:
		return sll(&ctx, &c, 1);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return raw_ip(&ctx, &c);
	case DLT_NULL:
		return loopback(&ctx, &c, 0);
	case DLT_LOOP:
		return loopback(&ctx, &c, 1);
	}
	return DIS_NOT_MINE;
}

dis_result ip_next_dissect(struct pkt_ctx *ctx, uint8_t proto, struct cur *c)
{
	switch (proto) {
	case IPPROTO_TCP:
		return tcp_dissect(ctx, c);
	case IPPROTO_UDP:
		return udp_dissect(ctx, c);
	case IPPROTO_SCTP:
		return sctp_dissect(ctx, c);
	case IPPROTO_ICMPV6:
		return icmpv6_dissect(ctx, c);
	case IPPROTO_GRE:
		return gre_dissect(ctx, c);
	case IPPROTO_IPIP:              /* IPv4 in IP */
	case IPPROTO_IPV6: {            /* IPv6 in IP (6in4, 6over6) */
		if (tunnel_enter(ctx) < 0) {
			dis_count("ipip", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
		dis_count("ipip", DIS_OK);
		return proto == IPPROTO_IPIP ? ipv4_dissect(ctx, c) : ipv6_dissect(ctx, c);
	}
	case IPPROTO_MPLS:              /* MPLS in IP (RFC 4023) */
		if (tunnel_enter(ctx) < 0) {
			dis_count("mpls", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
		return mpls_dissect(ctx, c);
	}
	return DIS_OK;
}
