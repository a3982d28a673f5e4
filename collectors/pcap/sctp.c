/* SCTP (RFC 9260): the common header, then every chunk. Each DATA chunk
 * (and I-DATA, RFC 8260) that holds a whole message (B and E set) goes to
 * the dissector table with its payload protocol id; fragments are counted, not
 * reassembled. A chunk length under 4 is malformed (length 0 would loop
 * for ever); a chunk longer than the packet is malformed unless the snap
 * length cut it. Several chunks per packet are walked in order. No state.
 */
#include <netinet/in.h>

#include "pcap_int.h"

dis_result sctp_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint16_t sport = cur_be16(c), dport = cur_be16(c);
	cur_skip(c, 8);                 /* verification tag, checksum */
	if (!cur_ok(c)) {
		dis_count("sctp", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_result res = DIS_OK;
	while (cur_left(c)) {
		uint8_t type = cur_u8(c), flags = cur_u8(c);
		uint16_t len = cur_be16(c);
		if (!cur_ok(c) || len < 4) {
			res = DIS_MALFORMED;
			break;
		}
		if ((size_t)len - 4 > cur_left(c)) {
			if (!ctx->snapped)
				res = DIS_MALFORMED;
			break;
		}
		struct cur chunk = cur_sub(c, (size_t)len - 4);
		size_t pad = (size_t)(4 - len % 4) % 4;
		cur_skip(c, pad < cur_left(c) ? pad : cur_left(c));     /* the last chunk's may be cut */
		if (type != 0 && type != 64)
			continue;
		uint32_t ppid;
		cur_skip(&chunk, 4 + 2 + 2);                    /* TSN, stream, SSN/reserved */
		if (type == 64)
			cur_skip(&chunk, 4);                    /* message id */
		ppid = cur_be32(&chunk);                        /* I-DATA: PPID when B set */
		if (!cur_ok(&chunk)) {
			res = DIS_MALFORMED;
			break;
		}
		if ((flags & 3) != 3) {
			dis_count("sctp-fragment", DIS_OK);
			continue;
		}
		if (!cur_left(&chunk))
			continue;
		ctx->l4 = IPPROTO_SCTP;
		ctx->sport = sport;
		ctx->dport = dport;
		ctx->sctp_ppid = ppid;
		app_dispatch(&chunk, ctx);
	}
	dis_count("sctp", res);
	return res;
}
