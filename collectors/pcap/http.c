/* HTTP/1.x responses: the Server header (and the realm of a Basic/Digest
 * WWW-Authenticate challenge, which embedded devices fill with their
 * model) about the responding address. Only the header block of the
 * segment that starts the response is read, at most HDR_MAX bytes. No
 * state.
 */
#include <string.h>

#include "pcap_int.h"

#define HDR_MAX 8192

/* "Name:" at the start of a header line (the name in either case): the
 * value after it and its leading blanks. */
static int header(const struct cur *line, const char *name, struct cur *value)
{
	struct cur l = *line;
	if (!cur_eat_case(&l, name, strlen(name)) || !cur_eat(&l, ":", 1))
		return 0;
	cur_ltrim(&l, " \t");
	*value = l;
	return 1;
}

dis_result dis_http(struct cur *c, const struct pkt_ctx *ctx)
{
	if (!cur_starts(c, "HTTP/1.", 7))
		return DIS_NOT_MINE;
	struct cur h = cur_left(c) > HDR_MAX ? cur_sub(c, HDR_MAX) : cur_rest(c), line, v, realm;
	if (!cur_line(&h, &line))                       /* the status line */
		return ctx->snapped ? DIS_OK : DIS_MALFORMED;
	while (cur_line(&h, &line)) {                   /* a line cut short: the rest is unseen */
		cur_rtrim(&line, "\r \t");
		if (!cur_left(&line))
			break;                          /* end of headers */
		if (!ctx->src_ip[0])
			continue;
		if (header(&line, "Server", &v)) {
			if (cur_left(&v))
				fact_emit_cur(ctx, SUBJ_IP, ctx->src_ip, "http.server", v);
		} else if (header(&line, "WWW-Authenticate", &v) && cur_after(&v, "realm=\"", 7) &&
		           cur_until(&v, '"', &realm) && cur_left(&realm))
			fact_emit_cur(ctx, SUBJ_IP, ctx->src_ip, "http.realm", realm);
	}
	return DIS_OK;
}
