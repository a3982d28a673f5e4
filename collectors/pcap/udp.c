/* UDP (RFC 768): the length is checked against the datagram (beyond it
 * is malformed unless the snap length cut it). Tunnels carried in UDP
 * (VXLAN 4789/8472, Geneve 6081, MPLS-in-UDP 6635, GTP-U 2152) are
 * followed; everything else goes to the dissector table. No state.
 */
#include <netinet/in.h>

#include "pcap_int.h"

dis_result udp_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint16_t sport = cur_be16(c), dport = cur_be16(c), len = cur_be16(c);
	cur_skip(c, 2);
	if (!cur_ok(c) || (len && len < 8)) {
		dis_count("udp", ctx->snapped && cur_ok(c) ? DIS_OK : DIS_MALFORMED);
		return ctx->snapped && cur_ok(c) ? DIS_OK : DIS_MALFORMED;
	}
	struct cur body;
	if (!len || (size_t)len - 8 <= cur_left(c))
		body = len ? cur_sub(c, (size_t)len - 8) : cur_rest(c);  /* 0: a jumbogram */
	else if (ctx->snapped)
		body = cur_rest(c);
	else {
		dis_count("udp", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("udp", DIS_OK);
	ctx->l4 = IPPROTO_UDP;
	ctx->sport = sport;
	ctx->dport = dport;
	dis_result r = DIS_NOT_MINE;
	if (dport == 4789 || dport == 8472)
		r = vxlan_dissect(ctx, &body);
	else if (dport == 6081)
		r = geneve_dissect(ctx, &body);
	else if (dport == 6635) {
		if (tunnel_enter(ctx) < 0) {
			dis_count("mpls", DIS_MALFORMED);
			return DIS_MALFORMED;
		}
		return mpls_dissect(ctx, &body);
	} else if (dport == 2152 || sport == 2152)
		r = gtpu_dissect(ctx, &body);
	if (r != DIS_NOT_MINE || !cur_left(&body))
		return r == DIS_NOT_MINE ? DIS_OK : r;
	ctx->l4 = IPPROTO_UDP;
	ctx->sport = sport;
	ctx->dport = dport;
	r = app_dispatch(&body, ctx);
	return r == DIS_NOT_MINE ? DIS_OK : r;     /* nobody claimed it: still a good frame */
}
