/* ICMPv6 neighbour discovery (RFC 4861): the link-layer address options
 * of router/neighbour solicitations and advertisements bind a MAC to an
 * IPv6 address, as ARP does for IPv4. An option of length 0 is malformed
 * (it would never end). Other ICMPv6 messages are only counted. No state.
 */
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"

dis_result icmpv6_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint8_t type = cur_u8(c);
	cur_skip(c, 3);                 /* code, checksum */
	if (!cur_ok(c)) {
		dis_count("icmpv6", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	if (type < 133 || type > 136) {
		dis_count("icmpv6", DIS_OK);
		return DIS_OK;
	}
	const uint8_t *target = NULL;
	cur_skip(c, type == 134 ? 12 : 4);      /* RA: hop limit .. retrans timer */
	if (type == 135 || type == 136)
		target = cur_bytes(c, 16);
	while (cur_ok(c) && cur_left(c)) {
		uint8_t ot = cur_u8(c), ol = cur_u8(c);
		if (!cur_ok(c) || ol == 0)
			break;
		struct cur opt = cur_sub(c, (size_t)ol * 8 - 2);
		if (!cur_ok(c) || ol != 1 || (ot != 1 && ot != 2))
			continue;
		const uint8_t *lla = cur_bytes(&opt, 6);
		if (ot == 2 && type == 136 && target)
			mac_ip_fact(ctx, lla, AF_INET6, target);
		else if (ot == 1 && ctx->family == AF_INET6)
			mac_ip_fact(ctx, lla, AF_INET6, ctx->src_ip_raw);       /* :: is refused there */
	}
	if (!cur_ok(c) || cur_left(c)) {
		dis_count("ndp", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("ndp", DIS_OK);
	return DIS_OK;
}
