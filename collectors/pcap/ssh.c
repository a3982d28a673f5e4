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
		if (cur_starts(c, "SSH-", 4)) {
			long eol = cur_find(c, '\n');
			size_t n = eol < 0 ? cur_left(c) : (size_t)eol;
			if (n > BANNER_MAX)
				return DIS_MALFORMED;
			const uint8_t *p = cur_bytes(c, n);
			while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
				n--;
			if (ctx->src_ip[0])
				fact_emit(ctx, SUBJ_IP, ctx->src_ip, "ssh.banner", p, n);
			return DIS_OK;
		}
		if (ctx->sport != 22)
			return DIS_NOT_MINE;
		long eol = cur_find(c, '\n');
		if (eol < 0)
			return DIS_NOT_MINE;
		cur_skip(c, (size_t)eol + 1);
	}
	return DIS_NOT_MINE;
}
