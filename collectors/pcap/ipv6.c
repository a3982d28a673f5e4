/* IPv6 (RFC 8200) and its extension headers: hop-by-hop, routing,
 * fragment, destination options, AH, mobility, HIP, shim6 are walked
 * (at most EXT_MAX of them); ESP and "no next header" end the packet.
 * A payload length beyond the frame is malformed unless the snap length
 * cut it; 0 (a jumbogram) takes what the frame has. Later fragments are
 * only counted. No state.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"

#define EXT_MAX 16

static int initial_hlim(uint8_t h)
{
	return h == 64 || h == 128 || h == 255 || h == 1;
}

dis_result ipv6_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint32_t vtf = cur_be32(c);
	uint16_t plen = cur_be16(c);
	uint8_t nh = cur_u8(c), hlim = cur_u8(c);
	const uint8_t *src = cur_bytes(c, 16), *dst = cur_bytes(c, 16);
	if (!cur_ok(c) || vtf >> 28 != 6) {
		dis_count("ipv6", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	struct cur body;
	if (!plen)
		body = cur_rest(c);
	else if (plen <= cur_left(c))
		body = cur_sub(c, plen);
	else if (ctx->snapped)
		body = cur_rest(c);
	else {
		dis_count("ipv6", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	ctx->family = AF_INET6;
	memcpy(ctx->src_ip_raw, src, 16);
	memcpy(ctx->dst_ip_raw, dst, 16);
	ev_ip_text(AF_INET6, src, ctx->src_ip, sizeof ctx->src_ip);
	ev_ip_text(AF_INET6, dst, ctx->dst_ip, sizeof ctx->dst_ip);
	ctx->ttl = hlim;
	for (int n = 0;; n++) {
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case 135:               /* mobility */
		case 139:               /* HIP */
		case 140: {             /* shim6 */
			uint8_t next = cur_u8(&body), len = cur_u8(&body);
			cur_skip(&body, (size_t)len * 8 + 6);
			nh = next;
			break;
		}
		case IPPROTO_AH: {
			uint8_t next = cur_u8(&body), len = cur_u8(&body);
			cur_skip(&body, ((size_t)len + 2) * 4 - 2);
			nh = next;
			break;
		}
		case IPPROTO_FRAGMENT: {
			uint8_t next = cur_u8(&body);
			cur_skip(&body, 1);
			uint16_t off = cur_be16(&body);
			cur_skip(&body, 4);
			if (cur_ok(&body) && (off & 0xfff8)) {
				dis_count("ipv6", DIS_OK);
				return DIS_OK;          /* a later fragment */
			}
			if (off & 1)
				ctx->snapped = 1;       /* more fragments follow */
			nh = next;
			break;
		}
		case IPPROTO_NONE:
		case IPPROTO_ESP:
			dis_count("ipv6", DIS_OK);
			return DIS_OK;
		default:
			goto done;
		}
		if (!cur_ok(&body) || n == EXT_MAX) {
			int cut = ctx->snapped && !cur_ok(&body);
			dis_count("ipv6", cut ? DIS_OK : DIS_MALFORMED);
			return cut ? DIS_OK : DIS_MALFORMED;
		}
	}
done:
	dis_count("ipv6", DIS_OK);
	if (ctx->src_mac)
		mac_ip(ctx->facts, ctx->src_mac, AF_INET6, src, initial_hlim(hlim));
	return ip_next_dissect(ctx, nh, &body);
}
