/* LLDP (IEEE 802.1AB): the mandatory chassis id, port id and TTL, then
 * port description, system name, description, capabilities, management
 * addresses, and the organisationally specific TLVs that carry
 * inventory: LLDP-MED (TIA-1057: hardware/firmware/software revision,
 * serial, manufacturer, model, asset id), IEEE 802.1 (port VLAN, VLAN
 * names) and IEEE 802.3 (MAC/PHY, maximum frame size).
 *
 * Subject: the chassis, as "<subtype>:<id>" (mac:, ip:, if:, ifalias:,
 * port:, chassis:, local:, and hex: for ids that are not text); the
 * frame's source MAC and the management addresses link it to its other
 * subjects. TLVs of a length their type forbids, a missing chassis id or
 * a TLV running past the frame are malformed. Each TLV takes at least its
 * 2-byte header, so a length of 0 cannot loop. A frame is walked once
 * without writing anything, so a malformed one leaves no facts. No state.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"

/* The address a bounds as text, by IANA address family number as LLDP
 * uses them (1 IPv4, 2 IPv6, 6 802 MAC): its family, -1 for a MAC, 0
 * for anything else. */
static int addr_text(uint8_t afi, struct cur a, char *out, size_t outlen)
{
	size_t n = cur_left(&a);
	if (afi == 1 && n == 4) {
		ip4_text(cur_bytes(&a, 4), out);
		return AF_INET;
	}
	if (afi == 2 && n == 16)
		return ev_ip_text(AF_INET6, cur_bytes(&a, 16), out, outlen) == 0 ? AF_INET6 : 0;
	if (afi == 6 && n == 6) {
		ev_mac_text(cur_bytes(&a, 6), out);
		return -1;
	}
	return 0;
}

static int printable(struct cur p)
{
	if (!cur_left(&p))
		return 0;
	while (cur_left(&p)) {
		uint8_t b = cur_u8(&p);
		if (b < 0x20 || b >= 0x7f)
			return 0;
	}
	return 1;
}

/* "<prefix>:<id>" for chassis and port ids (subtype numbering is the same
 * for both except 2/3 and 7). */
static void id_text(int chassis, uint8_t sub, struct cur id, char *out, size_t outlen)
{
	char a[46];
	size_t n = cur_left(&id);
	if (sub == (chassis ? 4 : 3) && n == 6) {
		struct cur m = id;
		ev_mac_text(cur_bytes(&m, 6), a);
		snprintf(out, outlen, "mac:%s", a);
		return;
	}
	if (sub == (chassis ? 5 : 4) && n >= 1) {
		struct cur addr = id;
		uint8_t afi = cur_u8(&addr);
		if (addr_text(afi, addr, a, sizeof a) > 0) {
			snprintf(out, outlen, "ip:%s", a);
			return;
		}
	}
	static const char *const cn[] = {"hex", "chassis", "ifalias", "port", "mac", "ip", "if", "local"};
	static const char *const pn[] = {"hex", "ifalias", "port", "mac", "ip", "if", "circuit", "local"};
	const char *pre = sub < 8 ? (chassis ? cn[sub] : pn[sub]) : "hex";
	char p[16];
	snprintf(p, sizeof p, "%s:", pre);
	if (printable(id) && strcmp(pre, "hex") && strcmp(pre, "mac") && strcmp(pre, "ip")) {
		subject_escaped(out, outlen, p, id);
		return;
	}
	size_t o = (size_t)snprintf(out, outlen, "hex:");
	while (cur_left(&id) && o + 3 < outlen)
		o += (size_t)snprintf(out + o, outlen - o, "%02x", cur_u8(&id));
}

static void caps_text(uint16_t caps, char *out, size_t outlen)
{
	static const char *const names[] = {"other", "repeater", "bridge", "wlan-ap", "router",
	                                    "telephone", "docsis", "station", "c-vlan", "s-vlan",
	                                    "two-port-mac-relay"};
	flags_text(out, outlen, names, 11, caps);
}

static void med(const struct pkt_ctx *ctx, const char *subj, uint8_t sub, struct cur *v)
{
	static const char *const keys[] = {
		[5] = "lldp.med.hw-rev", [6] = "lldp.med.fw-rev", [7] = "lldp.med.sw-rev",
		[8] = "lldp.med.serial", [9] = "lldp.med.manufacturer", [10] = "lldp.med.model",
		[11] = "lldp.med.asset-id",
	};
	if (sub < 5 || sub > 11 || !cur_left(v))
		return;
	fact_emit_cur(ctx, SUBJ_CHASSIS, subj, keys[sub], *v);
	if (sub == 8)
		fact_emit_cur(ctx, SUBJ_CHASSIS, subj, "chassis.serial", *v);
}

static void dot1(const struct pkt_ctx *ctx, const char *subj, uint8_t sub, struct cur *v)
{
	if (sub == 1) {                 /* port VLAN id */
		uint16_t pvid = cur_be16(v);
		if (cur_ok(v) && pvid)
			fact_emit_u32(ctx, SUBJ_CHASSIS, subj, "lldp.port-vlan", pvid);
	} else if (sub == 3) {          /* VLAN name */
		uint16_t vid = cur_be16(v);
		uint8_t len = cur_u8(v);
		struct cur name = cur_sub(v, len);
		if (cur_ok(v)) {
			char t[64];
			snprintf(t, sizeof t, "lldp.vlan-name.%u", vid);
			fact_emit_cur(ctx, SUBJ_CHASSIS, subj, t, name);
		}
	}
}

static void dot3(const struct pkt_ctx *ctx, const char *subj, uint8_t sub, struct cur *v)
{
	if (sub == 1) {                 /* MAC/PHY configuration/status */
		cur_skip(v, 3);
		uint16_t mau = cur_be16(v);
		if (cur_ok(v))
			fact_emit_u32(ctx, SUBJ_CHASSIS, subj, "lldp.mau-type", mau);
	} else if (sub == 4) {
		uint16_t mfs = cur_be16(v);
		if (cur_ok(v))
			fact_emit_u32(ctx, SUBJ_CHASSIS, subj, "lldp.max-frame", mfs);
	}
}

static dis_result walk(struct cur *c, const struct pkt_ctx *ctx)
{
	char subj[300] = "", t[300];
	int n = 0;
	while (cur_left(c)) {
		uint16_t th = cur_be16(c);
		unsigned type = th >> 9, len = th & 0x1ff;
		struct cur v = cur_sub(c, len);
		if (!cur_ok(c))
			return DIS_MALFORMED;
		if (n++ == 0 && type != 1)
			return DIS_MALFORMED;           /* the chassis id comes first */
		if (type == 0)
			break;                          /* end of LLDPDU */
		switch (type) {
		case 1: {                               /* chassis id */
			uint8_t sub = cur_u8(&v);
			struct cur id = cur_rest(&v);
			size_t idn = cur_left(&id);
			if (!cur_ok(&v) || idn == 0 || idn > 255 || n != 1)
				return DIS_MALFORMED;
			id_text(1, sub, id, subj, sizeof subj);
			if (sub == 4 && idn == 6)
				fact_emit_cur(ctx, SUBJ_CHASSIS, subj, "mac", id);
			if (ctx->src_mac)
				fact_emit(ctx, SUBJ_CHASSIS, subj, "mac", ctx->src_mac, 6);
			break;
		}
		case 2: {                               /* port id */
			uint8_t sub = cur_u8(&v);
			struct cur id = cur_rest(&v);
			if (!cur_ok(&v) || !cur_left(&id))
				return DIS_MALFORMED;
			id_text(0, sub, id, t, sizeof t);
			fact_emit_str(ctx, SUBJ_CHASSIS, subj, "lldp.port-id", t);
			break;
		}
		case 3:                                 /* TTL */
			if (len != 2)
				return DIS_MALFORMED;
			break;
		case 4:
		case 5:
		case 6: {
			static const char *const k[] = {"lldp.port-desc", "lldp.sysname", "lldp.sysdesc"};
			if (len)
				fact_emit_cur(ctx, SUBJ_CHASSIS, subj, k[type - 4], v);
			break;
		}
		case 7: {                               /* capabilities */
			uint16_t sup = cur_be16(&v), en = cur_be16(&v);
			if (len != 4)
				return DIS_MALFORMED;
			caps_text(sup, t, sizeof t);
			fact_emit_str(ctx, SUBJ_CHASSIS, subj, "lldp.caps", t);
			caps_text(en, t, sizeof t);
			fact_emit_str(ctx, SUBJ_CHASSIS, subj, "lldp.caps-enabled", t);
			break;
		}
		case 8: {                               /* management address */
			uint8_t alen = cur_u8(&v), afi = cur_u8(&v);
			struct cur a = cur_sub(&v, alen ? (size_t)alen - 1 : 0);
			if (!cur_ok(&v) || alen < 2)
				return DIS_MALFORMED;
			int fam = addr_text(afi, a, t, sizeof t);
			if (fam > 0) {
				fact_emit_str(ctx, SUBJ_CHASSIS, subj, "lldp.mgmt-addr", t);
				fact_emit_str(ctx, SUBJ_CHASSIS, subj, "ip", t);
			} else if (fam < 0)
				fact_emit_cur(ctx, SUBJ_CHASSIS, subj, "mac", a);       /* 6 bytes */
			break;
		}
		case 127: {                             /* organisationally specific */
			uint32_t oui = cur_be24(&v);
			uint8_t sub = cur_u8(&v);
			if (!cur_ok(&v))
				return DIS_MALFORMED;
			if (oui == 0x0012bb)
				med(ctx, subj, sub, &v);
			else if (oui == 0x0080c2)
				dot1(ctx, subj, sub, &v);
			else if (oui == 0x00120f)
				dot3(ctx, subj, sub, &v);
			break;
		}
		}
	}
	if (!subj[0])
		return DIS_MALFORMED;
	return DIS_OK;
}

dis_result dis_lldp(struct cur *c, const struct pkt_ctx *ctx)
{
	return dis_validated(walk, c, ctx);
}
