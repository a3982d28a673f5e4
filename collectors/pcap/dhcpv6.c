/* DHCPv6 (RFC 8415): what a client says about itself: vendor class (16)
 * and vendor-specific options (17), each with its enterprise number, the
 * client FQDN (39), and its DUID (1): a DUID-LL/LLT carries the client's
 * MAC (the subject), a DUID-EN the enterprise number of the maker that
 * assigned it. Relay-forward messages are unwrapped (at most RELAY_MAX
 * deep). Server messages are only counted. An option running past its
 * message is malformed; a malformed message leaves no facts. No state.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"

#define RELAY_MAX 8

static int client_msg(uint8_t t)
{
	return t == 1 || t == 3 || t == 4 || t == 5 || t == 6 || t == 8 || t == 9 || t == 11;
}

/* The subject: the MAC of a DUID-LL(T) with Ethernet hardware, else the
 * frame's source MAC (only for a message not relayed), else nothing. */
static int subject_of(struct cur opts, const struct pkt_ctx *ctx, int relayed, char subj[18],
                      uint32_t *duid_pen)
{
	*duid_pen = 0;
	while (cur_left(&opts)) {
		uint16_t code = cur_be16(&opts), len = cur_be16(&opts);
		struct cur v = cur_sub(&opts, len);
		if (!cur_ok(&opts))
			return -1;
		if (code != 1)
			continue;
		uint16_t dt = cur_be16(&v);
		if (dt == 1 || dt == 3) {
			uint16_t hw = cur_be16(&v);
			if (dt == 1)
				cur_skip(&v, 4);        /* time */
			if (cur_ok(&v) && hw == 1 && cur_left(&v) == 6) {
				ev_mac_text(cur_bytes(&v, 6), subj);
				return 1;
			}
		} else if (dt == 2) {
			uint32_t pen = cur_be32(&v);
			if (cur_ok(&v))
				*duid_pen = pen;
		}
	}
	if (!relayed && ctx->src_mac) {
		ev_mac_text(ctx->src_mac, subj);
		return 1;
	}
	return 0;
}

static dis_result message(struct cur *c, const struct pkt_ctx *ctx, int depth)
{
	uint8_t type = cur_u8(c);
	if (!cur_ok(c))
		return DIS_MALFORMED;
	if (type == 12 || type == 13) {         /* relay-forward / relay-reply */
		cur_skip(c, 1 + 16 + 16);       /* hop count, link, peer address */
		while (cur_ok(c) && cur_left(c)) {
			uint16_t code = cur_be16(c), len = cur_be16(c);
			struct cur v = cur_sub(c, len);
			if (!cur_ok(c))
				break;
			if (code == 9 && type == 12) {
				if (depth == RELAY_MAX)
					return DIS_MALFORMED;
				if (message(&v, ctx, depth + 1) != DIS_OK)
					return DIS_MALFORMED;
			}
		}
		return cur_ok(c) ? DIS_OK : DIS_MALFORMED;
	}
	cur_skip(c, 3);                 /* transaction id */
	if (!cur_ok(c))
		return DIS_MALFORMED;
	char subj[18];
	uint32_t duid_pen;
	int has = subject_of(*c, ctx, depth > 0, subj, &duid_pen);
	if (has < 0)
		return DIS_MALFORMED;
	if (!client_msg(type) || !has)
		return DIS_OK;
	if (duid_pen)
		fact_emit_u32(ctx, SUBJ_MAC, subj, "dhcp.enterprise", duid_pen);
	if (!depth && ctx->family == AF_INET6 && ctx->src_mac)
		mac_ip_fact(ctx, ctx->src_mac, AF_INET6, ctx->src_ip_raw);
	while (cur_left(c)) {
		uint16_t code = cur_be16(c), len = cur_be16(c);
		struct cur v = cur_sub(c, len);
		if (code == 16 || code == 17) {
			uint32_t pen = cur_be32(&v);
			if (!cur_ok(&v))
				return DIS_MALFORMED;
			fact_emit_u32(ctx, SUBJ_MAC, subj, "dhcp.enterprise", pen);
			char k[48];
			snprintf(k, sizeof k, "dhcp.vendor-opts.%u", pen);
			while (cur_left(&v)) {
				/* 16: {len(2), text}...; 17: {code(2), len(2), data}... */
				uint16_t sub = code == 17 ? cur_be16(&v) : 0;
				uint16_t n = cur_be16(&v);
				struct cur d = cur_sub(&v, n);
				if (!cur_ok(&v))
					return DIS_MALFORMED;
				if (code == 16 && n)
					fact_emit_cur(ctx, SUBJ_MAC, subj, "dhcp.vendor-class", d);
				else if (code == 17 && n) {
					char k2[64];
					snprintf(k2, sizeof k2, "%s.%u", k, sub);
					fact_emit_cur(ctx, SUBJ_MAC, subj, k2, d);
				}
			}
		} else if (code == 39) {        /* client FQDN: flags, then DNS labels */
			cur_skip(&v, 1);
			char name[256];
			size_t o = 0;
			while (cur_ok(&v) && cur_left(&v)) {
				uint8_t l = cur_u8(&v);
				if (!l)
					break;
				const uint8_t *lab = cur_bytes(&v, l);
				if (!cur_ok(&v) || o + l + 2 > sizeof name)
					break;
				if (o)
					name[o++] = '.';
				memcpy(name + o, lab, l);
				o += l;
			}
			if (o)
				fact_emit(ctx, SUBJ_MAC, subj, "dhcp.hostname", name, o);
		}
	}
	return cur_ok(c) ? DIS_OK : DIS_MALFORMED;
}

static dis_result walk(struct cur *c, const struct pkt_ctx *ctx)
{
	return message(c, ctx, 0);
}

dis_result dis_dhcpv6(struct cur *c, const struct pkt_ctx *ctx)
{
	return dis_validated(walk, c, ctx);
}
