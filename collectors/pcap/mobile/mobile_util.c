/* Facts and identifiers shared by the mobile dissectors: emitting about
 * the packet's sender or receiver, linking a node identity to an address,
 * PLMN identities as text. No state; a fact costs one formatted string
 * on the stack and the collector's dedup lookup.
 */
#include <stdarg.h>
#include <stdio.h>

#include "mobile.h"

static const char *addr_of(const struct pkt_ctx *ctx, enum mob_who who)
{
	const char *a = who == MOB_SRC ? ctx->src_ip : ctx->dst_ip;
	return ctx->family && a[0] ? a : NULL;
}

void mob_fact(const struct pkt_ctx *ctx, enum mob_who who, const char *key, const char *fmt, ...)
{
	const char *a = addr_of(ctx, who);
	char v[256];
	va_list ap;
	if (!a)
		return;
	va_start(ap, fmt);
	vsnprintf(v, sizeof v, fmt, ap);
	va_end(ap);
	fact_emit_str(ctx, SUBJ_IP, a, key, v);
}

void mob_fact_str(const struct pkt_ctx *ctx, enum mob_who who, const char *key, const char *value)
{
	const char *a = addr_of(ctx, who);
	if (a)
		fact_emit_str(ctx, SUBJ_IP, a, key, value);
}

void mob_fact_raw(const struct pkt_ctx *ctx, enum mob_who who, const char *key, const void *v, size_t n)
{
	const char *a = addr_of(ctx, who);
	if (a)
		fact_emit(ctx, SUBJ_IP, a, key, v, n);
}

void mob_link(const struct pkt_ctx *ctx, enum mob_who who, const char *ident)
{
	const char *a = addr_of(ctx, who);
	if (a)
		fact_emit_str(ctx, SUBJ_NAME, ident, "ip", a);
}

/* The S1AP/NGAP/X2AP PLMNidentity is a TBCD-STRING: digit 2n-1 in the low
 * nibble of octet n, digit 2n in the high one, the digits being MCC1-3
 * then MNC1-3, with filler F in place of MNC1 for a two-digit MNC. (For
 * two-digit MNCs this is the TS 24.008 layout too; for three-digit ones
 * the two texts are read differently in the field, and this is the
 * reading of the AP specifications, Wireshark's and Open5GS's.) */
void mob_plmn(const uint8_t p[3], char out[8])
{
	unsigned d[6] = {p[0] & 15u, p[0] >> 4, p[1] & 15u, p[1] >> 4, p[2] & 15u, p[2] >> 4};
	int ok = 1;
	for (int i = 0; i < 6; i++)
		ok &= d[i] <= 9 || (i == 3 && d[i] == 15);
	if (!ok) {
		snprintf(out, 8, "%02x%02x%02x", p[0], p[1], p[2]);
		return;
	}
	size_t o = 0;
	for (int i = 0; i < 6; i++) {
		if (i == 3)
			out[o++] = '-';
		if (d[i] <= 9)
			out[o++] = (char)('0' + d[i]);
	}
	out[o] = 0;
}

void mob_hex(const uint8_t *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = 0;
}
