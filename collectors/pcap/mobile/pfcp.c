/* PFCP (TS 29.244) on UDP 8805: the N4/Sxa/Sxb interface between a
 * control-plane function (SMF, SGW-C, PGW-C) and a user-plane function
 * (UPF, SGW-U, PGW-U).
 *
 * Association Setup/Update/Release and Heartbeat carry the sender's Node
 * ID (IPv4, IPv6 or FQDN), Recovery Time Stamp (when it last started) and
 * its CP or UP Function Features (which also say which side it is). The
 * session messages' direction is fixed (Session Establishment Request
 * CP -> UP, Session Report Request UP -> CP ...), so ordinary traffic
 * gives both ends' roles. CP is recorded as function smf and UP as upf;
 * in a 4G CUPS core they are the SGW/PGW control and user planes.
 * No state.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

#include "mobile.h"
#include "util.h"

enum {
	HB_REQ = 1, HB_RESP = 2, ASSOC_SETUP_REQ = 5, ASSOC_SETUP_RESP = 6, ASSOC_UPD_REQ = 7,
	ASSOC_UPD_RESP = 8, ASSOC_REL_REQ = 9, ASSOC_REL_RESP = 10, NODE_REPORT_REQ = 12,
	NODE_REPORT_RESP = 13,
	SESS_EST_REQ = 50, SESS_EST_RESP = 51, SESS_MOD_REQ = 52, SESS_MOD_RESP = 53, SESS_DEL_REQ = 54,
	SESS_DEL_RESP = 55, SESS_REP_REQ = 56, SESS_REP_RESP = 57,
	IE_UP_FEATURES = 43, IE_NODE_ID = 60, IE_CP_FEATURES = 89, IE_RECOVERY_TS = 96,
	IE_UP_IP_RESOURCE = 116,
};

#define ROLE_CP "core/smf"
#define ROLE_UP "core/upf"

/* FQDN as DNS labels (TS 23.003 19.4.2) into dotted text; -1 when the
 * octets are not exactly a label sequence (then they are kept as seen). */
static int fqdn_text(const uint8_t *p, size_t n, char *out, size_t outlen)
{
	struct cur c = cur_make(p, n);
	size_t o = 0;
	while (cur_left(&c)) {
		uint8_t l = cur_u8(&c);
		const uint8_t *lab = cur_bytes(&c, l);
		if (!l || !lab || o + l + 2 > outlen)
			return -1;
		if (o)
			out[o++] = '.';
		for (size_t i = 0; i < l; i++) {
			if (lab[i] <= 0x20 || lab[i] >= 0x7f || lab[i] == '.')
				return -1;
			out[o++] = (char)lab[i];
		}
	}
	out[o] = 0;
	return o ? 0 : -1;
}

static void node_id(const struct pkt_ctx *ctx, struct cur *v)
{
	uint8_t t = cur_u8(v) & 0x0f;
	size_t n = cur_left(v);
	const uint8_t *p = cur_bytes(v, n);
	char txt[300];
	if (!p)
		return;
	if ((t == 0 && n == 4 && ev_ip_text(AF_INET, p, txt, sizeof txt) == 0) ||
	    (t == 1 && n == 16 && ev_ip_text(AF_INET6, p, txt, sizeof txt) == 0)) {
		mob_fact(ctx, MOB_SRC, "pfcp.node-id", "%s", txt);
	} else if (t == 2) {
		if (fqdn_text(p, n, txt, sizeof txt) == 0) {
			char link[310];
			mob_fact(ctx, MOB_SRC, "pfcp.node-id", "%s", txt);
			snprintf(link, sizeof link, "pfcp:%s", txt);
			mob_link(ctx, MOB_SRC, link);
		} else {
			mob_fact_raw(ctx, MOB_SRC, "pfcp.node-id", p, n);
		}
	}
}

static void recovery_ts(const struct pkt_ctx *ctx, struct cur *v)
{
	uint32_t ntp = cur_be32(v);
	if (!cur_ok(v))
		return;
	/* NTP seconds since 1900; with the top bit clear, era 1 (from 2036) */
	int64_t unix_s = (int64_t)ntp - 2208988800LL + (ntp & 0x80000000u ? 0 : 4294967296LL);
	char iso[32];
	os_iso_time(unix_s * 1000000, iso, sizeof iso);
	mob_fact(ctx, MOB_SRC, "pfcp.recovery-time", "%s", iso);
}

static void features(const struct pkt_ctx *ctx, struct cur *v, const char *key)
{
	size_t n = cur_left(v);
	char hex[2 * 16 + 1];
	if (n > 16)
		n = 16;
	const uint8_t *p = cur_bytes(v, n);
	if (p && n) {
		mob_hex(p, n, hex);
		mob_fact(ctx, MOB_SRC, key, "%s", hex);
	}
}

static int node_msg(unsigned t)
{
	return (t >= HB_REQ && t <= ASSOC_REL_RESP) || t == NODE_REPORT_REQ || t == NODE_REPORT_RESP;
}

static dis_result pfcp_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	int more = 1, msgs = 0;
	while (more && cur_left(c)) {
		uint8_t flags = cur_u8(c);
		unsigned type = cur_u8(c);
		uint16_t len = cur_be16(c);
		if (!cur_ok(c) || flags >> 5 != 1 || len < 4)
			return msgs ? DIS_OK : DIS_MALFORMED;
		more = flags & 0x04;                    /* FO: another message follows */
		struct cur body = cur_sub(c, len);
		cur_skip(&body, flags & 0x01 ? 12 : 4); /* [SEID,] sequence, spare */
		const char *role = NULL;
		while (cur_left(&body) && cur_ok(&body)) {
			uint16_t t = cur_be16(&body), l = cur_be16(&body);
			struct cur v = cur_sub(&body, l);
			if (!cur_ok(&body) || (t & 0x8000) || !node_msg(type))
				continue;       /* vendor IEs (enterprise id first): not read */
			switch (t) {
			case IE_NODE_ID:
				node_id(ctx, &v);
				break;
			case IE_RECOVERY_TS:
				recovery_ts(ctx, &v);
				break;
			case IE_UP_FEATURES:
				features(ctx, &v, "pfcp.up-features");
				role = ROLE_UP;
				break;
			case IE_CP_FEATURES:
				features(ctx, &v, "pfcp.cp-features");
				role = ROLE_CP;
				break;
			case IE_UP_IP_RESOURCE:
				role = ROLE_UP;
				break;
			default:
				break;
			}
		}
		if (!cur_ok(&body) || !cur_ok(c))
			return DIS_MALFORMED;
		msgs++;
		if (type >= SESS_EST_REQ && type <= SESS_REP_RESP) {
			/* requests CP -> UP except the Report Request (UP -> CP) */
			int cp_sends = (type % 2 == 0) != (type == SESS_REP_REQ || type == SESS_REP_RESP);
			mob_fact_str(ctx, cp_sends ? MOB_SRC : MOB_DST, "pfcp.role", ROLE_CP);
			mob_fact_str(ctx, cp_sends ? MOB_DST : MOB_SRC, "pfcp.role", ROLE_UP);
		} else if (role) {
			mob_fact_str(ctx, MOB_SRC, "pfcp.role", role);
		} else if (node_msg(type)) {
			mob_fact_str(ctx, MOB_SRC, "pfcp.role", "core");
		}
	}
	return DIS_OK;
}

/* Session messages (most of PFCP) emit only their roles, after the
 * message has been read: no dry run for them. */
dis_result dis_pfcp(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t flags, type;
	if (cur_peek_u8(c, 0, &flags) && cur_peek_u8(c, 1, &type) && !(flags & 0x04) && !node_msg(type))
		return pfcp_walk(c, ctx);
	return dis_validated(pfcp_walk, c, ctx);
}
