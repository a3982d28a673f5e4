/* The application dissector table: which dissector sees which payload.
 * The rows are in dissectors.h (one line per protocol and port).
 *
 * Dispatch: rows of the payload's transport whose port or ppid names it
 * are tried in table order (a row setting both matches on either); then,
 * if none claimed it, the heuristic rows of the same transport. The
 * first dissector that does not answer DIS_NOT_MINE decides, and is
 * counted under its row's name. A stateful row (flow hooks) hands the
 * payload of a flow it tracks to its append hook, any other to its
 * dissector. Cost: a scan of the transport's few rows per payload, and a
 * flow lookup per stateful row tried while any flow is tracked.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcap_int.h"
#include "dissectors.h"

#define APP_ROW(name, l4, port, ppid, heur, fn) {name, l4, port, ppid, heur, fn, NULL},
#define APP_ROW_FLOW(name, l4, port, ppid, heur, fn, hooks) {name, l4, port, ppid, heur, fn, &hooks},

const struct app_proto app_protos[] = {APP_PROTOS(APP_ROW, APP_ROW_FLOW)};
const size_t app_nprotos = sizeof app_protos / sizeof app_protos[0];

#define NROWS (sizeof app_protos / sizeof app_protos[0])
_Static_assert(NROWS <= 64, "a dispatch remembers the rows it tried in 64 bits");

/* The rows of each transport in table order, and of them the heuristic
 * ones: built once, so that a payload scans only its transport's rows. */
static struct by_l4 {
	uint8_t n, nheur;
	uint8_t row[NROWS], heur[NROWS];
} by_l4[4];
static int by_l4_built;

static struct by_l4 *rows_of(uint8_t l4)
{
	static const uint8_t l4s[4] = {0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP};
	if (!by_l4_built) {
		for (size_t t = 0; t < 4; t++)
			for (size_t i = 0; i < NROWS; i++) {
				if (app_protos[i].l4 != l4s[t])
					continue;
				by_l4[t].row[by_l4[t].n++] = (uint8_t)i;
				if (app_protos[i].heuristic)
					by_l4[t].heur[by_l4[t].nheur++] = (uint8_t)i;
			}
		by_l4_built = 1;
	}
	switch (l4) {
	case 0:
		return &by_l4[0];
	case IPPROTO_TCP:
		return &by_l4[1];
	case IPPROTO_UDP:
		return &by_l4[2];
	case IPPROTO_SCTP:
		return &by_l4[3];
	}
	return NULL;
}

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

dis_result app_try(const struct app_proto *a, struct cur *payload, const struct pkt_ctx *ctx)
{
	struct cur c = *payload;
	struct flow *f;
	dis_result r;
	if (a->flow && a->flow->append && (f = flow_of(ctx, a->flow)))
		r = a->flow->append(&c, ctx, f);
	else
		r = a->fn(&c, ctx);
	dis_count(a->name, r);
	return r;
}

dis_result app_dispatch(struct cur *payload, const struct pkt_ctx *ctx)
{
	const struct by_l4 *t = rows_of(ctx->l4);
	uint64_t tried = 0;
	dis_result r;
	if (!t)
		return DIS_NOT_MINE;
	for (size_t k = 0; k < t->n; k++) {
		const struct app_proto *a = &app_protos[t->row[k]];
		if (!(by_number(a, ctx) || (!a->port && !a->ppid && a->l4)))
			continue;
		tried |= 1ULL << t->row[k];
		if ((r = app_try(a, payload, ctx)) != DIS_NOT_MINE)
			return r;
	}
	if (!ctx->l4)
		return DIS_NOT_MINE;
	for (size_t k = 0; k < t->nheur; k++) {
		if (tried >> t->heur[k] & 1)
			continue;
		if ((r = app_try(&app_protos[t->heur[k]], payload, ctx)) != DIS_NOT_MINE)
			return r;
	}
	return DIS_NOT_MINE;
}

dis_result app_session(const struct app_proto *a, struct cur *payload, const struct pkt_ctx *ctx)
{
	app_open(ctx);
	dis_result r = app_try(a, payload, ctx);
	struct flow *f;
	if (a->flow && (f = flow_of(ctx, a->flow)))
		flow_close(ctx->facts, f);
	return r;
}

void app_open(const struct pkt_ctx *ctx)
{
	const struct by_l4 *t = rows_of(IPPROTO_TCP);
	for (size_t k = 0; k < t->n; k++) {
		const struct app_proto *a = &app_protos[t->row[k]];
		struct flow *f;
		if (a->flow && a->flow->open && a->port == ctx->sport && (f = flow_start(ctx, a->flow)))
			a->flow->open(ctx, f);
	}
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
