/* GTP (TS 29.060, 29.274, 29.281): GTPv1-C and GTPv2-C on UDP 2123, GTP-U
 * on UDP 2152.
 *
 * Echo Request/Response carry the sender's restart counter (Recovery): a
 * device that restarts changes it, so it helps tell a replaced node from
 * a rebooted one. Roles come from the messages whose direction is fixed:
 * GTPv1-C Create PDP Context goes SGSN -> GGSN; GTPv2-C Create Session,
 * Modify Bearer and their answers carry the sender's F-TEID for the
 * control plane, whose interface type names the sender's function (S11
 * MME, S11/S4 SGW, S5/S8 SGW or PGW, S4/S3 SGSN ...). Anyone speaking
 * GTP-C is a core node; a GTP-U endpoint may be RAN or core, so GTP-U
 * says only that the address speaks it.
 *
 * G-PDUs (user data) are the frame path's to follow as a tunnel; here
 * they are counted and left alone. No state.
 */
#include <stdio.h>

#include "mobile.h"

enum {
	V1_ECHO_REQ = 1, V1_ECHO_RESP = 2, V1_CREATE_PDP_REQ = 16, V1_CREATE_PDP_RESP = 17,
	V1_IE_RECOVERY = 14,
	V2_ECHO_REQ = 1, V2_ECHO_RESP = 2, V2_CSR = 32, V2_CS_RESP = 33, V2_MBR = 34, V2_MB_RESP = 35,
	V2_IE_RECOVERY = 3, V2_IE_FTEID = 87,
	U_ECHO_REQ = 1, U_ECHO_RESP = 2, U_GPDU = 255,
};

/* Lengths of the GTPv1 TV information elements (types < 128), 0 unknown. */
static unsigned v1_tv_len(unsigned t)
{
	static const uint8_t len[30] = {0, 1, 8, 6, 4, 4, 0, 0, 1, 28, 0, 1, 3, 1, 1, 1,
	                                4, 4, 5, 1, 1, 1, 9, 1, 1, 2, 2, 2, 2, 1};
	if (t == 127)
		return 4;       /* Charging ID */
	return t < sizeof len ? len[t] : 0;
}

/* The GTPv1 header (shared by -C and -U): type and the message body after
 * the optional fields and extension headers. -1 malformed. */
static int v1_header(struct cur *c, unsigned *type, struct cur *body)
{
	uint8_t flags = cur_u8(c);
	*type = cur_u8(c);
	uint16_t len = cur_be16(c);
	cur_skip(c, 4);                                 /* TEID */
	if (!cur_ok(c) || flags >> 5 != 1 || !(flags & 0x10))
		return -1;
	*body = cur_sub(c, len);
	if (!cur_ok(c))
		return -1;
	if (flags & 0x07) {
		cur_skip(body, 3);                      /* sequence, N-PDU number */
		uint8_t next = cur_u8(body);
		while (next && cur_ok(body)) {          /* each header: length in 4-octet units */
			uint8_t units = cur_u8(body);
			if (!units)
				return -1;
			cur_skip(body, (size_t)units * 4 - 2);
			next = cur_u8(body);
		}
	}
	return cur_ok(body) ? 0 : -1;
}

static dis_result gtpv1c(struct cur *c, const struct pkt_ctx *ctx)
{
	unsigned type;
	struct cur body;
	int recovery = -1;
	if (v1_header(c, &type, &body) < 0)
		return DIS_MALFORMED;
	while (cur_left(&body)) {
		uint8_t t = cur_u8(&body);
		if (t == V1_IE_RECOVERY) {
			uint8_t r = cur_u8(&body);
			if (cur_ok(&body) && type != V1_ECHO_REQ)
				recovery = r;
			continue;
		}
		if (t >= 128) {
			cur_skip(&body, cur_be16(&body));
		} else if (v1_tv_len(t)) {
			cur_skip(&body, v1_tv_len(t));
		} else {
			break;          /* a TV element we cannot size: the rest is unread */
		}
		if (!cur_ok(&body))
			return DIS_MALFORMED;
	}
	/* facts only once the message has been read whole */
	mob_fact_str(ctx, MOB_SRC, "gtp.speaks", "gtpv1-c");
	if (recovery >= 0)
		mob_fact(ctx, MOB_SRC, "gtp.recovery", "v1:%d", recovery);
	if (type == V1_CREATE_PDP_REQ || type == V1_CREATE_PDP_RESP) {
		int req = type == V1_CREATE_PDP_REQ;
		mob_fact_str(ctx, req ? MOB_SRC : MOB_DST, "gtp.role", "core/sgsn");
		mob_fact_str(ctx, req ? MOB_DST : MOB_SRC, "gtp.role", "core/ggsn");
	} else {
		mob_fact_str(ctx, MOB_SRC, "gtp.role", "core");
	}
	return DIS_OK;
}

/* The function a GTPv2 F-TEID interface type names (TS 29.274 8.22),
 * for the sender; "" when it names none we record. */
static const char *v2_iface_fn(unsigned t)
{
	switch (t) {
	case 10: case 12: case 13: case 26:     /* S11, S10/N26, S3, Sm MME GTP-C */
		return "core/mme";
	case 6: case 11:                        /* S5/S8 SGW, S11/S4 SGW GTP-C */
		return "core/sgw";
	case 7: case 32: case 36:               /* S5/S8, S2b, S2a PGW GTP-C */
		return "core/pgw";
	case 14: case 17: case 18: case 27:     /* S3, S4, S16, Sn SGSN GTP-C */
		return "core/sgsn";
	default:
		return "core";
	}
}

/* The peer of a request sent from this interface, when only one kind of
 * node can be there (S11 MME -> SGW, S5/S8 SGW -> PGW, S4 SGSN -> SGW). */
static const char *v2_peer_fn(unsigned t)
{
	return t == 10 || t == 17 ? "core/sgw" : t == 6 ? "core/pgw" : NULL;
}

static dis_result gtpv2c(struct cur *c, const struct pkt_ctx *ctx)
{
	int more = 1, msgs = 0;
	while (more && cur_left(c)) {
		uint8_t flags = cur_u8(c);
		unsigned type = cur_u8(c);
		uint16_t len = cur_be16(c);
		if (!cur_ok(c) || flags >> 5 != 2 || len < 4)
			return msgs ? DIS_OK : DIS_MALFORMED;
		more = flags & 0x10;                    /* a piggybacked message follows */
		struct cur body = cur_sub(c, len);
		cur_skip(&body, flags & 0x08 ? 8 : 4);  /* [TEID,] sequence, spare */
		const char *fn = NULL, *peer = NULL;
		int recovery = -1;
		while (cur_left(&body) && cur_ok(&body)) {
			uint8_t t = cur_u8(&body);
			uint16_t l = cur_be16(&body);
			uint8_t inst = cur_u8(&body) & 0x0f;
			struct cur v = cur_sub(&body, l);
			if (t == V2_IE_RECOVERY && l >= 1)
				recovery = cur_u8(&v);
			else if (t == V2_IE_FTEID && inst == 0 && l >= 5 &&
			         (type == V2_CSR || type == V2_CS_RESP || type == V2_MBR || type == V2_MB_RESP)) {
				unsigned iface = cur_u8(&v) & 0x3f;
				fn = v2_iface_fn(iface);
				if (type == V2_CSR || type == V2_MBR)
					peer = v2_peer_fn(iface);
			}
		}
		if (!cur_ok(&body) || !cur_ok(c))
			return DIS_MALFORMED;
		/* facts only once the message has been read whole */
		mob_fact_str(ctx, MOB_SRC, "gtp.speaks", "gtpv2-c");
		if (recovery >= 0)
			mob_fact(ctx, MOB_SRC, "gtp.recovery", "v2:%d", recovery);
		mob_fact_str(ctx, MOB_SRC, "gtp.role", fn ? fn : "core");
		if (peer)
			mob_fact_str(ctx, MOB_DST, "gtp.role", peer);
		msgs++;
	}
	return DIS_OK;
}

static dis_result gtpc_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t flags;
	if (!cur_peek_u8(c, 0, &flags))
		return DIS_MALFORMED;
	switch (flags >> 5) {
	case 1:
		return gtpv1c(c, ctx);
	case 2:
		return gtpv2c(c, ctx);
	default:
		return DIS_MALFORMED;
	}
}

static dis_result gtpu_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	unsigned type;
	struct cur body;
	if (v1_header(c, &type, &body) < 0)
		return DIS_MALFORMED;
	if (type == U_ECHO_REQ || type == U_ECHO_RESP)
		mob_fact_str(ctx, MOB_SRC, "gtp.speaks", "gtp-u");
	return DIS_OK;
}

/* GTP emits a message's facts only after reading it whole: no dry run. */
dis_result dis_gtpc(struct cur *c, const struct pkt_ctx *ctx)
{
	return gtpc_walk(c, ctx);
}

dis_result dis_gtpu_msg(struct cur *c, const struct pkt_ctx *ctx)
{
	return gtpu_walk(c, ctx);
}
