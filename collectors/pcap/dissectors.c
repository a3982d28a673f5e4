/* The application dissector table: which dissector sees which payload.
 * The rows are in dissectors.h (one line per protocol and port).
 *
 * Dispatch: rows whose port or ppid names this payload are tried in table
 * order (a row setting both matches on either); then, if none claimed it,
 * the heuristic rows of the same transport. The first dissector that does
 * not answer DIS_NOT_MINE decides, and is counted under its row's name.
 * Cost: a scan of the table per payload, no state.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcap_int.h"
#include "dissectors.h"

#define APP_ROW(name, l4, port, ppid, heur, fn) {name, l4, port, ppid, heur, fn},

const struct app_proto app_protos[] = {APP_PROTOS(APP_ROW)};
const size_t app_nprotos = sizeof app_protos / sizeof app_protos[0];

const struct app_proto *app_proto_find(const char *name)
{
	for (size_t i = 0; i < app_nprotos; i++)
		if (!strcmp(app_protos[i].name, name))
			return &app_protos[i];
	return NULL;
}

static int by_number(const struct app_proto *a, const struct pkt_ctx *ctx)
{
	if (!a->l4)
		return a->port == ctx->ethertype;
	if (a->port && (a->port == ctx->sport || a->port == ctx->dport))
		return 1;
	return a->l4 == IPPROTO_SCTP && a->ppid && a->ppid == ctx->sctp_ppid;
}

static dis_result try(const struct app_proto *a, struct cur *payload, const struct pkt_ctx *ctx)
{
	struct cur c = *payload;
	dis_result r = a->fn(&c, ctx);
	dis_count(a->name, r);
	return r;
}

dis_result app_dispatch(struct cur *payload, const struct pkt_ctx *ctx)
{
	unsigned char tried[sizeof app_protos / sizeof app_protos[0]];
	dis_result r;
	memset(tried, 0, sizeof tried);
	for (size_t i = 0; i < app_nprotos; i++) {
		const struct app_proto *a = &app_protos[i];
		if (a->l4 != ctx->l4 || !(by_number(a, ctx) || (!a->port && !a->ppid && a->l4)))
			continue;
		tried[i] = 1;
		if ((r = try(a, payload, ctx)) != DIS_NOT_MINE)
			return r;
	}
	if (!ctx->l4)
		return DIS_NOT_MINE;
	for (size_t i = 0; i < app_nprotos; i++) {
		const struct app_proto *a = &app_protos[i];
		if (a->l4 != ctx->l4 || !a->heuristic || tried[i])
			continue;
		if ((r = try(a, payload, ctx)) != DIS_NOT_MINE)
			return r;
	}
	return DIS_NOT_MINE;
}

dis_result dis_validated(app_dissector walk, struct cur *c, const struct pkt_ctx *ctx)
{
	/* The dry walk first: most payloads handed to a dissector (every TCP
	 * or UDP payload reaches the heuristic ones) are not its protocol and
	 * are turned down at the header, before any hashing. Remembered per
	 * walk function: a payload one dissector took says nothing of whether
	 * another one would. */
	struct pkt_ctx dry = *ctx;
	struct cur c2 = *c, c3 = *c;
	dry.facts = NULL;               /* fact_emit records nothing without a sink */
	dis_result r = walk(&c2, &dry);
	if (r != DIS_OK)
		return r;
	uint64_t key = (uint64_t)(uintptr_t)walk;
	if (dis_seen_key(ctx, key, &c3, 0))
		return DIS_OK;          /* seen before from the same sender: same facts */
	r = walk(c, ctx);
	if (r == DIS_OK)
		dis_seen_key(ctx, key, &c3, 1);
	return r;
}
