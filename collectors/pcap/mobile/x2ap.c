/* X2AP (TS 36.423) over SCTP, PPID 27, port 36422: the interface between
 * two eNBs (and, for EN-DC, an eNB and an en-gNB).
 *
 * X2 Setup Request and Response both come from eNBs: each carries the
 * sender's Global eNB ID (the same type as S1AP's). Every X2AP packet
 * says both ends are RAN nodes. Served cells and neighbour information
 * are skipped by length (per.c: ap_peer_walk). No state.
 */
#include "mobile.h"

static const struct ap_peer x2 = {6 /* X2 Setup */, 21 /* id-GlobalENB-ID */, 0, "x2ap.global-enb-id",
                                  "x2ap.role"};

static dis_result x2ap_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	return ap_peer_walk(c, ctx, &x2);
}

dis_result dis_x2ap(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t proc;
	if (cur_peek_u8(c, 1, &proc) && proc != x2.setup_proc)
		return x2ap_walk(c, ctx);       /* no facts before the end: no dry run */
	return dis_validated(x2ap_walk, c, ctx);
}
