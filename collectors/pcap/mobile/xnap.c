/* XnAP (TS 38.423) over SCTP, PPID 61, port 38422: the interface between
 * two 5G RAN nodes (gNBs, ng-eNBs).
 *
 * Xn Setup Request and Response each carry the sender's Global NG-RAN
 * Node ID (gNB id with its bit length, or ng-eNB id). Every XnAP packet
 * says both ends are RAN nodes. Served cells, TAs and AMF regions are
 * skipped by length. No state.
 */
#include <stdio.h>

#include "mobile.h"

enum { PROC_XN_SETUP = 17, IE_GLOBAL_NG_RAN_NODE_ID = 14 };

static int xn_ie(void *arg, const struct ap_msg *m, unsigned id, struct cur *v)
{
	const struct pkt_ctx *ctx = arg;
	size_t n = cur_left(v);
	struct bitcur b = bitcur_make(cur_bytes(v, n), n);
	char gid[64], link[80];
	const char *fn = NULL;
	if (m->proc != PROC_XN_SETUP || m->kind == AP_FAILURE || id != IE_GLOBAL_NG_RAN_NODE_ID)
		return 0;
	int r = ap_global_ran_node_id(&b, 1, gid, sizeof gid, &fn);
	if (r <= 0)
		return r;
	mob_fact(ctx, MOB_SRC, "xnap.global-ran-node-id", "%s", gid);
	mob_fact_str(ctx, MOB_SRC, "xnap.role", fn);
	snprintf(link, sizeof link, "ran:%s", gid);
	mob_link(ctx, MOB_SRC, link);
	return 0;
}

static dis_result xnap_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	struct ap_msg m;
	dis_result r = ap_walk(c, &m, xn_ie, (void *)ctx);
	if (r != DIS_OK)
		return r;
	mob_fact_str(ctx, MOB_SRC, "xnap.role", "ran");
	mob_fact_str(ctx, MOB_DST, "xnap.role", "ran");
	return DIS_OK;
}

dis_result dis_xnap(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t proc;
	if (cur_peek_u8(c, 1, &proc) && proc != PROC_XN_SETUP)
		return xnap_walk(c, ctx);
	return dis_validated(xnap_walk, c, ctx);
}
