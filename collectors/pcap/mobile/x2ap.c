/* X2AP (TS 36.423) over SCTP, PPID 27, port 36422: the interface between
 * two eNBs (and, for EN-DC, an eNB and an en-gNB).
 *
 * X2 Setup Request and Response both come from eNBs: each carries the
 * sender's Global eNB ID (the same type as S1AP's). Every X2AP packet
 * says both ends are RAN nodes. Served cells and neighbour information
 * are skipped by length. No state.
 */
#include <stdio.h>

#include "mobile.h"

enum { PROC_X2_SETUP = 6, PROC_ENB_CONF = 8, IE_GLOBAL_ENB_ID = 21 };

static int x2_ie(void *arg, const struct ap_msg *m, unsigned id, struct cur *v)
{
	const struct pkt_ctx *ctx = arg;
	size_t n = cur_left(v);
	struct bitcur b = bitcur_make(cur_bytes(v, n), n);
	char gid[64], link[72];
	if (m->proc != PROC_X2_SETUP || m->kind == AP_FAILURE || id != IE_GLOBAL_ENB_ID)
		return 0;
	if (ap_global_enb_id(&b, gid, sizeof gid) < 0)
		return -1;
	mob_fact(ctx, MOB_SRC, "x2ap.global-enb-id", "%s", gid);
	mob_fact(ctx, MOB_SRC, "x2ap.role", "ran/enb");
	snprintf(link, sizeof link, "enb:%s", gid);
	mob_link(ctx, MOB_SRC, link);
	return 0;
}

static dis_result x2ap_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	struct ap_msg m;
	dis_result r = ap_walk(c, &m, x2_ie, (void *)ctx);
	if (r != DIS_OK)
		return r;
	mob_fact_str(ctx, MOB_SRC, "x2ap.role", "ran");
	mob_fact_str(ctx, MOB_DST, "x2ap.role", "ran");
	return DIS_OK;
}

dis_result dis_x2ap(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t proc;
	if (cur_peek_u8(c, 1, &proc) && proc != PROC_X2_SETUP)
		return x2ap_walk(c, ctx);
	return dis_validated(x2ap_walk, c, ctx);
}
