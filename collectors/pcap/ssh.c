/* SSH identification strings (RFC 4253 section 4.2): "SSH-protoversion-
 * softwareversion [comments]" up to CR LF, at most 255 bytes. Both sides
 * send one; each is a fact about its sender's address (a client's names
 * its own software). Lines a server may send before it (section 4.2) are
 * skipped when they fit in the segment. No state.
 */
#include "pcap_int.h"

#define BANNER_MAX 255

dis_result dis_ssh(struct cur *c, const struct pkt_ctx *ctx)
{
	/* up to a few pre-banner lines, then "SSH-" */
	for (int line = 0; line < 8; line++) {
		struct cur l;
		if (cur_starts(c, "SSH-", 4)) {
			if (!cur_line(c, &l))
				l = cur_rest(c);        /* no end of line in the segment */
			if (cur_left(&l) > BANNER_MAX)
				return DIS_MALFORMED;
			cur_rtrim(&l, "\r");
			if (ctx->src_ip[0])
				fact_emit_cur(ctx, SUBJ_IP, ctx->src_ip, "ssh.banner", l);
			return DIS_OK;
		}
		if (ctx->sport != 22 || !cur_line(c, &l))
			return DIS_NOT_MINE;
	}
	return DIS_NOT_MINE;
}
