/* CDP (Cisco Discovery Protocol, versions 1 and 2), in 802.2 SNAP with
 * Cisco's OUI and protocol id 0x2000: device id, addresses, port id,
 * capabilities, software version, platform, native VLAN, VTP domain,
 * system name and system object id, management addresses.
 *
 * Subject: the chassis "name:<device id>"; the frame's source MAC and
 * every address link it to the device's other subjects. A TLV length
 * under 4 (its own header; 0 would never end) or past the frame is
 * malformed, and a malformed frame leaves no facts (walked dry first).
 * No state.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"

/* Address list (TLV 2 and 0x16): count, then NLPID IPv4 or 802.2 IPv6. */
static int addresses(const struct pkt_ctx *ctx, const char *subj, struct cur *v)
{
	uint32_t n = cur_be32(v);
	for (uint32_t i = 0; i < n && cur_ok(v); i++) {
		uint8_t pt = cur_u8(v), pl = cur_u8(v);
		struct cur proto = cur_sub(v, pl);
		uint16_t al = cur_be16(v);
		const uint8_t *a = cur_bytes(v, al);
		if (!cur_ok(v))
			return -1;
		char t[46];
		if (pt == 1 && pl == 1 && cur_starts(&proto, "\xcc", 1) && al == 4)
			ip4_text(a, t);
		else if (pt == 2 && pl == 8 && cur_starts(&proto, "\xaa\xaa\x03\x00\x00\x00\x86\xdd", 8) && al == 16)
			ev_ip_text(AF_INET6, a, t, sizeof t);
		else
			continue;
		fact_emit_str(ctx, SUBJ_CHASSIS, subj, "ip", t);
		fact_emit_str(ctx, SUBJ_CHASSIS, subj, "cdp.address", t);
	}
	return cur_ok(v) ? 0 : -1;
}

static dis_result walk(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t ver = cur_u8(c);
	cur_skip(c, 3);                 /* TTL, checksum */
	if (!cur_ok(c) || ver < 1 || ver > 2)
		return DIS_MALFORMED;
	char subj[300] = "", t[300];
	struct cur all = *c;
	/* the device id names the subject, wherever it stands */
	while (cur_left(&all)) {
		uint16_t type = cur_be16(&all), len = cur_be16(&all);
		if (!cur_ok(&all) || len < 4)
			return DIS_MALFORMED;
		struct cur v = cur_sub(&all, (size_t)len - 4);
		if (!cur_ok(&all))
			return DIS_MALFORMED;
		if (type == 1 && !subj[0] && cur_left(&v))
			subject_escaped(subj, sizeof subj, "name:", v);
	}
	if (!subj[0])
		return DIS_MALFORMED;
	if (ctx->src_mac)
		fact_emit(ctx, SUBJ_CHASSIS, subj, "mac", ctx->src_mac, 6);
	while (cur_left(c)) {
		uint16_t type = cur_be16(c), len = cur_be16(c);
		struct cur v = cur_sub(c, (size_t)len - 4);
		switch (type) {
		case 0x01: case 0x03: case 0x05: case 0x06: case 0x09: case 0x14: {
			const char *k = type == 1 ? "cdp.device-id" : type == 3 ? "cdp.port-id"
			              : type == 5 ? "cdp.version" : type == 6 ? "cdp.platform"
			              : type == 9 ? "cdp.vtp-domain" : "cdp.sysname";
			if (cur_left(&v))
				fact_emit_cur(ctx, SUBJ_CHASSIS, subj, k, v);
			break;
		}
		case 0x02:
		case 0x16:
			if (addresses(ctx, subj, &v) < 0)
				return DIS_MALFORMED;
			break;
		case 0x04: {
			uint32_t caps = cur_be32(&v);
			if (!cur_ok(&v))
				return DIS_MALFORMED;
			static const char *const names[] = {"router", "trans-bridge", "source-route-bridge",
			                                    "switch", "host", "igmp", "repeater", "phone",
			                                    "remote"};
			flags_text(t, sizeof t, names, 9, caps);
			fact_emit_str(ctx, SUBJ_CHASSIS, subj, "cdp.capabilities", t);
			break;
		}
		case 0x0a: {
			uint16_t vlan = cur_be16(&v);
			if (!cur_ok(&v))
				return DIS_MALFORMED;
			fact_emit_u32(ctx, SUBJ_CHASSIS, subj, "cdp.native-vlan", vlan);
			break;
		}
		case 0x15: {            /* system object id: a BER OID */
			uint8_t tag;
			struct cur o;
			if (cur_ber(&v, &tag, &o) == 0 && tag == 0x06 && ber_oid_text(&o, t, sizeof t) == 0)
				fact_emit_str(ctx, SUBJ_CHASSIS, subj, "sysObjectID", t);
			break;
		}
		}
	}
	return DIS_OK;
}

dis_result dis_cdp(struct cur *c, const struct pkt_ctx *ctx)
{
	return dis_validated(walk, c, ctx);
}
