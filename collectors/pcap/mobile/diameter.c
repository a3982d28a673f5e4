/* Diameter (RFC 6733) over TCP or SCTP: the peer's own identity from the
 * hop-by-hop messages — Capabilities-Exchange (CER/CEA), Device-Watchdog
 * (DWR/DWA) and Disconnect-Peer (DPR/DPA).
 *
 * Only those messages bind an identity to the packet's sender: they never
 * cross a relay, so their Origin-Host is the node at the source address.
 * Any other request may have been forwarded by a DRA and names whoever
 * first sent it, so it yields no facts (it is still counted as parsed).
 *
 * From a CER/CEA: Origin-Host, Origin-Realm, Host-IP-Address, Vendor-Id
 * (0 = no vendor claimed; attribution maps it to no company), Product-Name,
 * Firmware-Revision, Supported-Vendor-Id, and the Auth/Acct application
 * ids, top-level and inside Vendor-Specific-Application-Id (whose own
 * Vendor-Id names the application's owner, usually 3GPP, never the
 * product's maker). The applications give the node's role (see role_of).
 *
 * A TCP segment may hold several messages; each is read in turn. A
 * message longer than the segment (no reassembly) is read as far as its
 * AVPs are whole. On a port that is not Diameter's, a payload is only
 * taken for Diameter when the header is valid, the command is one of the
 * base protocol's hop-by-hop commands, and every AVP fits exactly.
 * No state, no allocation.
 */
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "mobile.h"
#include "util.h"

#define DIA_PORT 3868
#define HDR_LEN 20
#define FLAG_R 0x80
#define CMD_CE 257
#define CMD_DW 280
#define CMD_DP 282

enum {
	AVP_HOST_IP = 257, AVP_AUTH_APP = 258, AVP_ACCT_APP = 259, AVP_VSA_APP = 260,
	AVP_ORIGIN_HOST = 264, AVP_SUPP_VENDOR = 265, AVP_VENDOR_ID = 266, AVP_FIRMWARE = 267,
	AVP_PRODUCT = 269, AVP_ORIGIN_REALM = 296,
};

/* Application ids and the interfaces they name (3GPP TS 29.230). */
enum {
	APP_CC = 4, APP_CX = 16777216, APP_SH = 16777217, APP_RX = 16777236, APP_GX = 16777238,
	APP_S6A = 16777251, APP_S13 = 16777252, APP_SLG = 16777255, APP_SWX = 16777265,
	APP_GXX = 16777266, APP_S9 = 16777267, APP_S6B = 16777272, APP_SLH = 16777291,
	APP_SY = 16777302, APP_SD = 16777303, APP_S6C = 16777312, APP_SGD = 16777313,
	APP_S6T = 16777345, APP_T6A = 16777346, APP_RELAY = 0xffffffffu,
};

struct avp {
	uint32_t code, vendor;
	uint8_t flags;
	struct cur data;
};

/* The next AVP of c into a; 1 got one, 0 at the end, -1 malformed. */
static int avp_next(struct cur *c, struct avp *a)
{
	if (!cur_left(c))
		return 0;
	a->code = cur_be32(c);
	a->flags = cur_u8(c);
	uint32_t len = cur_be24(c), hdr = a->flags & 0x80 ? 12 : 8;
	a->vendor = a->flags & 0x80 ? cur_be32(c) : 0;
	if (!cur_ok(c) || len < hdr || (a->flags & 0x1f))
		return -1;
	a->data = cur_sub(c, len - hdr);
	if (!cur_ok(c))
		return -1;
	size_t pad = (4 - len % 4) % 4;
	cur_skip(c, pad < cur_left(c) ? pad : cur_left(c));     /* the last AVP's padding may be cut */
	return 1;
}

static int u32_of(struct avp *a, uint32_t *v)
{
	if (cur_left(&a->data) != 4)
		return -1;
	*v = cur_be32(&a->data);
	return 0;
}

struct ce {
	uint32_t apps[32];
	size_t napps;
	int relay;
};

static void app_seen(struct ce *ce, const struct pkt_ctx *ctx, const char *key, uint32_t app)
{
	mob_fact(ctx, MOB_SRC, key, "%u", app);
	if (app == APP_RELAY)
		ce->relay = 1;
	else if (ce->napps < OS_ARRAY_LEN(ce->apps))
		ce->apps[ce->napps++] = app;
}

static int has(const struct ce *ce, uint32_t app)
{
	for (size_t i = 0; i < ce->napps; i++)
		if (ce->apps[i] == app)
			return 1;
	return 0;
}

/* The function a set of applications implies, or "" when it does not say
 * (S6a alone is both MME and HSS; Gx alone both PCRF and PGW). A node
 * offering applications of several families (HSS-side and PCRF-side) is
 * an agent or a combined node: no function. */
static const char *role_of(const struct ce *ce)
{
	if (ce->relay)
		return "dra";
	int hss = has(ce, APP_S6A) && (has(ce, APP_CX) || has(ce, APP_SH) || has(ce, APP_SWX) ||
	                               has(ce, APP_SLH) || has(ce, APP_S6T) || has(ce, APP_S6C));
	int mme = has(ce, APP_S6A) && (has(ce, APP_S13) || has(ce, APP_SGD) || has(ce, APP_SLG) ||
	                               has(ce, APP_T6A)) &&
	          !(has(ce, APP_CX) || has(ce, APP_SH) || has(ce, APP_SWX) || has(ce, APP_SLH) ||
	            has(ce, APP_S6T) || has(ce, APP_S6C));
	int pcrf = has(ce, APP_GX) && (has(ce, APP_RX) || has(ce, APP_SD) || has(ce, APP_S9) ||
	                               has(ce, APP_GXX) || has(ce, APP_SY));
	if (hss + mme + pcrf != 1)
		return "";
	return hss ? "hss" : mme ? "mme" : "pcrf";
}

/* Strings that may serve as a subject: printable, no NUL, bounded. */
static int ident_ok(const uint8_t *p, size_t n)
{
	if (!n || n > 200)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] <= 0x20 || p[i] >= 0x7f)
			return 0;
	return 1;
}

static void host_ip(const struct pkt_ctx *ctx, struct cur *d)
{
	uint16_t fam = cur_be16(d);
	char txt[64];
	size_t n = cur_left(d);
	const uint8_t *a = cur_bytes(d, n);
	if (!a)
		return;
	if ((fam == 1 && n == 4 && ev_ip_text(AF_INET, a, txt, sizeof txt) == 0) ||
	    (fam == 2 && n == 16 && ev_ip_text(AF_INET6, a, txt, sizeof txt) == 0))
		mob_fact(ctx, MOB_SRC, "diameter.host-ip", "%s", txt);
}

/* One message's AVPs; facts only when with_facts. -1 malformed. */
static int read_avps(struct cur *m, const struct pkt_ctx *ctx, int with_facts, int ce_msg)
{
	struct ce ce = {{0}, 0, 0};
	struct avp a;
	int r;
	while ((r = avp_next(m, &a)) == 1) {
		if (a.vendor || !with_facts)
			continue;       /* vendor AVPs: none of the base identity lives there */
		uint32_t v;
		size_t n = cur_left(&a.data);
		switch (a.code) {
		case AVP_ORIGIN_HOST: {
			const uint8_t *p = cur_bytes(&a.data, n);
			mob_fact_raw(ctx, MOB_SRC, "diameter.origin-host", p, n);
			if (p && ident_ok(p, n)) {
				char id[220];
				snprintf(id, sizeof id, "diameter:%.*s", (int)n, (const char *)p);
				mob_link(ctx, MOB_SRC, id);
			}
			break;
		}
		case AVP_ORIGIN_REALM:
			mob_fact_raw(ctx, MOB_SRC, "diameter.origin-realm", cur_bytes(&a.data, n), n);
			break;
		case AVP_PRODUCT:
			mob_fact_raw(ctx, MOB_SRC, "diameter.product-name", cur_bytes(&a.data, n), n);
			break;
		case AVP_HOST_IP:
			host_ip(ctx, &a.data);
			break;
		case AVP_VENDOR_ID:
			if (u32_of(&a, &v) == 0)
				mob_fact(ctx, MOB_SRC, "diameter.vendor-id", "%u", v);
			break;
		case AVP_FIRMWARE:
			if (u32_of(&a, &v) == 0)
				mob_fact(ctx, MOB_SRC, "diameter.firmware-revision", "%u", v);
			break;
		case AVP_SUPP_VENDOR:
			if (u32_of(&a, &v) == 0)
				mob_fact(ctx, MOB_SRC, "diameter.supported-vendor-id", "%u", v);
			break;
		case AVP_AUTH_APP:
			if (u32_of(&a, &v) == 0)
				app_seen(&ce, ctx, "diameter.auth-application-id", v);
			break;
		case AVP_ACCT_APP:
			if (u32_of(&a, &v) == 0)
				app_seen(&ce, ctx, "diameter.acct-application-id", v);
			break;
		case AVP_VSA_APP: {     /* grouped: Vendor-Id (of the application) + one app id */
			struct avp g;
			int gr;
			while ((gr = avp_next(&a.data, &g)) == 1)
				if (!g.vendor && (g.code == AVP_AUTH_APP || g.code == AVP_ACCT_APP) &&
				    u32_of(&g, &v) == 0)
					app_seen(&ce, ctx, g.code == AVP_AUTH_APP ? "diameter.auth-application-id"
					                                          : "diameter.acct-application-id", v);
			if (gr < 0)
				return -1;
			break;
		}
		default:
			break;
		}
	}
	if (r < 0)
		return -1;
	if (with_facts && ce_msg) {
		const char *fn = role_of(&ce);
		mob_fact(ctx, MOB_SRC, "diameter.role", "core%s%s", *fn ? "/" : "", fn);
	}
	return 0;
}

/* Header checks; the command code and declared length out. */
static int header(const struct cur *c, uint32_t *len, uint32_t *cmd)
{
	uint32_t w0, w1;
	if (!cur_peek_be32(c, 0, &w0) || !cur_peek_be32(c, 4, &w1) || cur_left(c) < HDR_LEN)
		return -1;
	*len = w0 & 0xffffff;
	*cmd = w1 & 0xffffff;
	/* version 1, a whole number of words, reserved flag bits zero */
	if (w0 >> 24 != 1 || *len < HDR_LEN || *len % 4 || (w1 >> 24 & 0x0f))
		return -1;
	return 0;
}

static int hop_by_hop(uint32_t cmd)
{
	return cmd == CMD_CE || cmd == CMD_DW || cmd == CMD_DP;
}

static dis_result diameter_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	int ours = ctx->sport == DIA_PORT || ctx->dport == DIA_PORT || ctx->sctp_ppid == 46;
	uint32_t len, cmd;
	/* A TCP segment in the middle of a long message starts with no
	 * header: not ours to judge. SCTP keeps message boundaries. */
	if (header(c, &len, &cmd) < 0)
		return ours && ctx->l4 != IPPROTO_TCP ? DIS_MALFORMED : DIS_NOT_MINE;
	if (!ours) {
		/* heuristic: a base hop-by-hop command whose AVPs fit exactly */
		if (!hop_by_hop(cmd) || len > cur_left(c))
			return DIS_NOT_MINE;
		struct cur probe = *c;
		cur_skip(&probe, HDR_LEN);
		struct cur body = cur_sub(&probe, len - HDR_LEN);
		if (read_avps(&body, ctx, 0, 0) < 0)
			return DIS_NOT_MINE;
	}
	int msgs = 0;
	while (cur_left(c) >= HDR_LEN) {
		if (header(c, &len, &cmd) < 0)
			return msgs ? DIS_OK : DIS_MALFORMED;   /* the rest: a segment's tail */
		cur_skip(c, HDR_LEN);
		size_t body_len = len - HDR_LEN;
		int cut = body_len > cur_left(c);
		struct cur body = cur_sub(c, cut ? cur_left(c) : body_len);
		int facts = hop_by_hop(cmd);
		if (read_avps(&body, ctx, facts, cmd == CMD_CE) < 0 && !cut)
			return DIS_MALFORMED;
		msgs++;
	}
	return DIS_OK;
}

/* A payload that is one message of a command with no facts (most of
 * Diameter: S6a, Gx, Gy ... requests and answers) needs no dry run. */
dis_result dis_diameter(struct cur *c, const struct pkt_ctx *ctx)
{
	uint32_t len, cmd;
	if (header(c, &len, &cmd) < 0)          /* most payloads tried: the walk's answer at once */
		return diameter_walk(c, ctx);
	if (!hop_by_hop(cmd) && len == cur_left(c))
		return diameter_walk(c, ctx);
	return dis_validated(diameter_walk, c, ctx);
}
