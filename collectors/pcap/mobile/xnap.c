/* XnAP (TS 38.423) over SCTP, PPID 61, port 38422: the interface between
 * two 5G RAN nodes (gNBs, ng-eNBs).
 *
 * Xn Setup Request and Response each carry the sender's Global NG-RAN
 * Node ID (gNB id with its bit length, or ng-eNB id). Every XnAP packet
 * says both ends are RAN nodes. Served cells, TAs and AMF regions are
 * skipped by length (per.c: ap_peer_walk). No state.
 */
#include "mobile.h"

static const struct ap_peer xn = {17 /* Xn Setup */, 14 /* id-GlobalNG-RAN-node-ID */, 1,
                                  "xnap.global-ran-node-id", "xnap.role"};

static dis_result xnap_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	return ap_peer_walk(c, ctx, &xn);
}

dis_result dis_xnap(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t proc;
	if (cur_peek_u8(c, 1, &proc) && proc != xn.setup_proc)
		return xnap_walk(c, ctx);       /* no facts before the end: no dry run */
	return dis_validated(xnap_walk, c, ctx);
}
