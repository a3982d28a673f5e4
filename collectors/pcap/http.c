/* HTTP/1.x responses: the Server header (and the realm of a Basic/Digest
 * WWW-Authenticate challenge, which embedded devices fill with their
 * model) about the responding address. Only the header block of the
 * segment that starts the response is read, at most HDR_MAX bytes. No
 * state.
 */
#include <string.h>
#include <strings.h>

#include "pcap_int.h"

#define HDR_MAX 8192

static int header_is(const uint8_t *p, size_t n, const char *name, size_t *vstart)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp((const char *)p, name, k) || p[k] != ':')
		return 0;
	size_t i = k + 1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	*vstart = i;
	return 1;
}

dis_result dis_http(struct cur *c, const struct pkt_ctx *ctx)
{
	if (!cur_starts(c, "HTTP/1.", 7))
		return DIS_NOT_MINE;
	struct cur h = cur_left(c) > HDR_MAX ? cur_sub(c, HDR_MAX) : cur_rest(c);
	long eol = cur_find(&h, '\n');
	if (eol < 0)
		return ctx->snapped ? DIS_OK : DIS_MALFORMED;
	cur_skip(&h, (size_t)eol + 1);          /* the status line */
	while (cur_left(&h)) {
		eol = cur_find(&h, '\n');
		if (eol < 0)
			break;                          /* cut: the rest is unseen */
		const uint8_t *p = cur_bytes(&h, (size_t)eol + 1);
		size_t n = (size_t)eol, v;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!n)
			break;                          /* end of headers */
		if (!ctx->src_ip[0])
			continue;
		if (header_is(p, n, "Server", &v) && v < n)
			fact_emit(ctx, SUBJ_IP, ctx->src_ip, "http.server", p + v, n - v);
		else if (header_is(p, n, "WWW-Authenticate", &v)) {
			const uint8_t *r = memmem(p + v, n - v, "realm=\"", 7);
			if (r) {
				r += 7;
				const uint8_t *e = memchr(r, '"', (size_t)(p + n - r));
				if (e && e > r)
					fact_emit(ctx, SUBJ_IP, ctx->src_ip, "http.realm", r, (size_t)(e - r));
			}
		}
	}
	return DIS_OK;
}
