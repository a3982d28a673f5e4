/* DHCPv4 / BOOTP (RFC 2131, 2132): what a client says about itself, about
 * its hardware address: vendor class (60), host name (12), vendor-
 * specific information (43, raw), V-I vendor class (124) and V-I
 * vendor-specific information (125) with their enterprise numbers, the
 * parameter request list (55, an OS fingerprint), and the address it
 * holds (ciaddr) or was given (yiaddr of an ACK). Server replies give
 * only the binding. Options overloaded into sname/file (52) are not
 * followed. An option running past the packet, a missing magic cookie or
 * a hardware address length over 16 is malformed; a malformed packet
 * leaves no facts. No state.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"

/* 124/125: {enterprise(4), len(1), data}...; each enterprise is a fact,
 * and 125's data too (key dhcp.vendor-opts.<enterprise>). */
static int vi(const struct pkt_ctx *ctx, const char *subj, uint8_t code, struct cur *v)
{
	while (cur_left(v)) {
		uint32_t pen = cur_be32(v);
		uint8_t len = cur_u8(v);
		struct cur d = cur_sub(v, len);
		if (!cur_ok(v))
			return -1;
		fact_emit_u32(ctx, SUBJ_MAC, subj, "dhcp.enterprise", pen);
		if (code == 125 && len) {
			char k[48];
			snprintf(k, sizeof k, "dhcp.vendor-opts.%u", pen);
			fact_emit_cur(ctx, SUBJ_MAC, subj, k, d);
		} else if (code == 124 && len) {
			/* vendor-class-data: {len(1), text}... */
			while (cur_left(&d)) {
				uint8_t n = cur_u8(&d);
				struct cur s = cur_sub(&d, n);
				if (!cur_ok(&d))
					return -1;
				if (n)
					fact_emit_cur(ctx, SUBJ_MAC, subj, "dhcp.vendor-class", s);
			}
		}
	}
	return 0;
}

static dis_result walk(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t op = cur_u8(c), htype = cur_u8(c), hlen = cur_u8(c);
	cur_skip(c, 1 + 4 + 2 + 2);     /* hops, xid, secs, flags */
	const uint8_t *ciaddr = cur_bytes(c, 4), *yiaddr = cur_bytes(c, 4);
	cur_skip(c, 8);                 /* siaddr, giaddr */
	const uint8_t *chaddr = cur_bytes(c, 16);
	cur_skip(c, 64 + 128);          /* sname, file */
	uint32_t magic = cur_be32(c);
	if (!cur_ok(c) || (op != 1 && op != 2) || hlen > 16)
		return DIS_MALFORMED;
	if (magic != 0x63825363)
		return DIS_OK;                  /* plain BOOTP: no options */
	char subj[18];
	int ether = htype == 1 && hlen == 6;
	if (ether)
		ev_mac_text(chaddr, subj);
	uint8_t msgtype = 0;
	struct cur opts = *c;
	/* first pass: the message type, and the structure */
	while (cur_left(&opts)) {
		uint8_t code = cur_u8(&opts);
		if (code == 0)
			continue;
		if (code == 255)
			break;
		uint8_t len = cur_u8(&opts);
		struct cur v = cur_sub(&opts, len);
		if (!cur_ok(&opts))
			return DIS_MALFORMED;
		if (code == 53 && len == 1)
			msgtype = cur_u8(&v);
	}
	if (!ether)
		return DIS_OK;
	if (op == 1 && memcmp(ciaddr, "\0\0\0\0", 4))
		mac_ip_fact(ctx, chaddr, AF_INET, ciaddr);
	if (op == 2) {
		if (msgtype == 5)               /* DHCPACK: the address is the client's now */
			mac_ip_fact(ctx, chaddr, AF_INET, yiaddr);
		return DIS_OK;
	}
	while (cur_left(c)) {
		uint8_t code = cur_u8(c);
		if (code == 0)
			continue;
		if (code == 255)
			break;
		uint8_t len = cur_u8(c);
		struct cur v = cur_sub(c, len);
		if (!cur_ok(c))
			return DIS_MALFORMED;   /* not after the first pass: it checked */
		switch (code) {
		case 60:
			if (len)
				fact_emit_cur(ctx, SUBJ_MAC, subj, "dhcp.vendor-class", v);
			break;
		case 12:
			if (len)
				fact_emit_cur(ctx, SUBJ_MAC, subj, "dhcp.hostname", v);
			break;
		case 43:
			if (len)
				fact_emit_cur(ctx, SUBJ_MAC, subj, "dhcp.vendor-specific", v);
			break;
		case 55: {
			char t[4 * 256 + 1];
			size_t o = 0;
			while (cur_left(&v))
				o += (size_t)snprintf(t + o, sizeof t - o, "%s%u", o ? "," : "", cur_u8(&v));
			if (len)
				fact_emit_str(ctx, SUBJ_MAC, subj, "dhcp.prl", t);
			break;
		}
		case 124:
		case 125:
			if (vi(ctx, subj, code, &v) < 0)
				return DIS_MALFORMED;
			break;
		}
	}
	return DIS_OK;
}

dis_result dis_dhcp(struct cur *c, const struct pkt_ctx *ctx)
{
	return dis_validated(walk, c, ctx);
}
