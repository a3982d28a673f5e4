/* The crawl: management addresses that polled devices state for their
 * LLDP and CDP neighbours (snmp_tables.c, crawl_offer) join the sweep,
 * breadth-first, down to a depth, only inside a scope.
 *
 * Each address met is decided once, in this order:
 *   - already known (a target, queued, or recorded): nothing;
 *   - its neighbour entry already gave an address: nothing (a device with
 *     several management addresses is polled once);
 *   - in the target set (any shard): it is polled as a target;
 *   - excluded, outside the scope, deeper than the depth asked, or owned
 *     by another shard (the shard a hash of the address picks, so that
 *     shards never poll one address twice): recorded, not polled;
 *   - else queued at its parent's depth + 1.
 * The decision is evidence about the address (subject ip): crawl.via (the
 * device that stated it), crawl.depth, and crawl.not-polled with the
 * reason when it is not polled, with the source "crawl:" and the parent's
 * source. A decision stands even when the parent is polled again after an
 * interruption (its own rows are dropped, these are not, and the parent's
 * second offer finds the address known), so after an interruption the
 * frontier is what the stored rows say (scanner/plan's resume reads them
 * back, snmp_opts.crawl_known): nothing is polled or recorded twice.
 *
 * Levels: the queue is in order of discovery, so of depth, and an address
 * of depth d + 1 starts only when every device of a lesser depth in
 * flight has walked its neighbour tables (the walks after them -- ARP,
 * bridge tables -- overlap the next level: a chain is walked as a
 * pipeline, not one device after another). Every address of depth d + 1
 * is then known before any of depth d + 2 starts, so an address is
 * always reached at its least depth.
 *
 * Costs: 8 bytes per address or neighbour met (64-bit hashes, open
 * addressing at most 70 % full) and about 200 bytes per queued address,
 * at most MAX_CRAWL of each. Two addresses sharing a 64-bit hash are not
 * expected (p < 2^-24 at a million); one would go unpolled, not wrong.
 */
#include "snmp_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* 1 if h was there already, else inserted (0), -1 when full */
static int seen_put(struct crawl *c, uint64_t h)
{
	if (!h)
		h = 1;
	if (c->capseen) {
		for (size_t j = h & (c->capseen - 1); c->seen[j]; j = (j + 1) & (c->capseen - 1))
			if (c->seen[j] == h)
				return 1;
	}
	if (c->nseen >= MAX_CRAWL)
		return -1;
	if ((c->nseen + 1) * 10 > c->capseen * 7) {
		size_t nc = c->capseen ? c->capseen * 2 : 1024;
		uint64_t *ns = xcalloc(nc, sizeof *ns);
		for (size_t i = 0; i < c->capseen; i++) {
			if (!c->seen[i])
				continue;
			size_t j = c->seen[i] & (nc - 1);
			while (ns[j])
				j = (j + 1) & (nc - 1);
			ns[j] = c->seen[i];
		}
		free(c->seen);
		c->seen = ns;
		c->capseen = nc;
	}
	size_t j = h & (c->capseen - 1);
	while (c->seen[j])
		j = (j + 1) & (c->capseen - 1);
	c->seen[j] = h;
	c->nseen++;
	return 0;
}

static uint64_t addr_hash(const char *addr)
{
	return fnv(0x9e3779b97f4a7c15ULL, addr, strlen(addr) + 1);
}

static uint64_t chassis_hash(const char *subject)
{
	return fnv(0x6c62272e07bb0142ULL, subject, strlen(subject) + 1);
}

static int make_target(const struct sweep *sw, int family, const uint8_t *a, struct target *t)
{
	memset(t, 0, sizeof *t);
	t->port = sw->ts->default_port;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&t->sa;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a, 4);
		sin->sin_port = htons(t->port);
		t->salen = sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&t->sa;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a, 16);
		sin6->sin6_port = htons(t->port);
		t->salen = sizeof *sin6;
	}
	if (!inet_ntop(family, a, t->addr, sizeof t->addr))
		return 0;
	/* named by its address, as a target alone at its port */
	memcpy(t->name, t->addr, sizeof t->addr);
	return 1;
}

static void enqueue(struct crawl *c, const struct target *t, uint32_t depth)
{
	if (c->nq == c->capq) {
		c->capq = c->capq ? c->capq * 2 : 64;
		c->q = xrealloc(c->q, c->capq * sizeof *c->q);
	}
	c->q[c->nq].t = *t;
	c->q[c->nq].depth = depth;
	c->nq++;
}

uint64_t crawl_shard_of(const char *addr, uint64_t seed, uint64_t nshards)
{
	return nshards > 1 ? mix(addr_hash(addr) ^ seed) % nshards : 0;
}

void crawl_init(struct sweep *sw)
{
	const struct snmp_opts *o = sw->o;
	struct crawl *c = &sw->crawl;
	memset(c, 0, sizeof *c);
	if (o->crawl_depth <= 0)
		return;
	c->on = 1;
	/* resumed: what the stored evidence says was met, and the frontier
	 * (given in order of depth) */
	for (size_t i = 0; i < o->ncrawl_known; i++) {
		const struct crawl_known *k = &o->crawl_known[i];
		seen_put(c, k->chassis ? chassis_hash(k->addr) : addr_hash(k->addr));
		if (!k->poll || k->chassis)
			continue;
		uint8_t a[16];
		struct target t;
		int fam = strchr(k->addr, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(fam, k->addr, a) == 1 && make_target(sw, fam, a, &t))
			enqueue(c, &t, (uint32_t)k->depth);
	}
}

void crawl_free(struct sweep *sw)
{
	free(sw->crawl.q);
	free(sw->crawl.seen);
	memset(&sw->crawl, 0, sizeof sw->crawl);
}

static void record(struct sweep *sw, struct slot *s, const char *addr, uint32_t depth, const char *why)
{
	char d[16], src[sizeof s->src + 8];
	snprintf(d, sizeof d, "%u", depth);
	snprintf(src, sizeof src, "crawl:%s", s->src);
	int64_t now = os_now_us();
	if (ev_emit(sw->sink, COLLECTOR, SUBJ_IP, addr, "crawl.via", s->t.addr, strlen(s->t.addr), now, src) < 0 ||
	    ev_emit(sw->sink, COLLECTOR, SUBJ_IP, addr, "crawl.depth", d, strlen(d), now, src) < 0 ||
	    (why && ev_emit(sw->sink, COLLECTOR, SUBJ_IP, addr, "crawl.not-polled", why, strlen(why), now, src) < 0))
		sw->sink_failed = 1;
	if (why)
		sw->stats->crawl_recorded++;
}

void crawl_offer(struct sweep *sw, struct slot *s, const struct nb *nb, int family, const uint8_t *a)
{
	struct crawl *c = &sw->crawl;
	const struct snmp_opts *o = sw->o;
	struct target t;
	if (!c->on || !nb->subject || !make_target(sw, family, a, &t))
		return;
	int r = seen_put(c, addr_hash(t.addr));
	if (r > 0)
		return;
	uint32_t depth = s->depth + 1;
	if (r < 0) {
		if (!c->full++)
			sw_problem(sw, s, "crawl: more than %u addresses met; %s and later ones not polled", MAX_CRAWL,
			           t.addr);
		return;
	}
	if (seen_put(c, chassis_hash(nb->subject)) > 0)
		return;         /* that neighbour is polled at another of its addresses */
	if (targets_contain(sw->ts, family, a))
		return;         /* a target: polled as such */
	char why[80];
	if (targets_is_excluded(sw->ts, family, a))
		record(sw, s, t.addr, depth, "excluded");
	else if (!crawl_scope_contains(o->scope, o->nscope, family, a))
		record(sw, s, t.addr, depth, "outside the scope");
	else if (depth > (uint32_t)o->crawl_depth) {
		snprintf(why, sizeof why, "deeper than %d", o->crawl_depth);
		record(sw, s, t.addr, depth, why);
	} else if (crawl_shard_of(t.addr, o->seed, o->nshards) != o->shard) {
		snprintf(why, sizeof why, "shard %llu/%llu",
		         (unsigned long long)crawl_shard_of(t.addr, o->seed, o->nshards) + 1,
		         (unsigned long long)o->nshards);
		record(sw, s, t.addr, depth, why);
	} else {
		record(sw, s, t.addr, depth, NULL);
		enqueue(c, &t, depth);
		sw->stats->crawl_queued++;
	}
}

int crawl_pending(const struct sweep *sw)
{
	return sw->crawl.next < sw->crawl.nq;
}

/* The next queued address may start: its level is the current one, or
 * every device in flight of a lesser depth is past its neighbour tables.
 * O(slots) a call; only while crawling. */
int crawl_ready(const struct sweep *sw)
{
	const struct crawl *c = &sw->crawl;
	if (c->next >= c->nq)
		return 0;
	uint32_t d = c->q[c->next].depth;
	if (d <= c->level)
		return 1;
	for (int i = 0; i < sw->nslots; i++) {
		const struct slot *s = &sw->slots[i];
		if (s->busy == 1 && s->depth < d &&
		    (s->phase == PH_CRED || (s->phase == PH_WALK && s->walk <= snmp_last_neighbour_walk)))
			return 0;
	}
	return 1;
}

int crawl_take(struct sweep *sw, struct target *t, uint32_t *depth)
{
	struct crawl *c = &sw->crawl;
	if (!crawl_ready(sw))
		return 0;
	const struct crawl_item *it = &c->q[c->next];
	if (it->depth > c->level)
		c->level = it->depth;
	*t = it->t;
	*depth = it->depth;
	c->next++;
	return 1;
}

/* ---------- scopes ---------- */

static int range_of(struct crawl_scope *r, int family, const uint8_t *a, unsigned bits)
{
	unsigned n = family == AF_INET ? 4 : 16;
	if (bits > n * 8)
		return -1;
	r->family = family;
	memset(r->lo, 0, sizeof r->lo);
	memset(r->hi, 0, sizeof r->hi);
	for (unsigned i = 0; i < n; i++) {
		unsigned keep = bits >= (i + 1) * 8 ? 8 : bits > i * 8 ? bits - i * 8 : 0;
		uint8_t mask = (uint8_t)(keep ? 0xff << (8 - keep) : 0);
		r->lo[i] = a[i] & mask;
		r->hi[i] = (uint8_t)(a[i] | (uint8_t)~mask);
	}
	return 0;
}

int crawl_scope_parse(struct crawl_scope **sc, size_t *n, const char *words, char *err, size_t errlen)
{
	char *copy = xstrdup(words), *save = NULL;
	int rc = 0;
	for (char *w = strtok_r(copy, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		char *slash = strchr(w, '/'), *end = NULL;
		uint8_t a[16];
		int fam = strchr(w, ':') ? AF_INET6 : AF_INET;
		long bits = fam == AF_INET ? 32 : 128;
		if (slash) {
			*slash = 0;
			bits = strtol(slash + 1, &end, 10);
			if (!slash[1] || *end)
				bits = -1;
		}
		struct crawl_scope r;
		if (inet_pton(fam, w, a) != 1 || bits < 0 || range_of(&r, fam, a, (unsigned)bits) < 0) {
			if (slash)
				*slash = '/';
			os_seterr(err, errlen, "--scope '%s': want an address or CIDR block (10.20.0.0/16, 2001:db8::/48)",
			          w);
			rc = -1;
			break;
		}
		*sc = xrealloc(*sc, (*n + 1) * sizeof **sc);
		(*sc)[(*n)++] = r;
	}
	free(copy);
	return rc;
}

void crawl_scope_default(struct crawl_scope **sc, size_t *n, const struct target_set *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		const struct trange *r = &ts->r[i];
		struct crawl_scope lo, hi;
		uint8_t last[16];
		memcpy(last, r->start, 16);
		/* the range's last address (IPv4: 32 bits; IPv6 ranges vary in
		 * the low 24 bits only, include/targets.h) */
		if (r->family == AF_INET) {
			uint32_t v = (uint32_t)last[0] << 24 | (uint32_t)last[1] << 16 | (uint32_t)last[2] << 8 | last[3];
			v += (uint32_t)(r->count - 1);
			last[0] = (uint8_t)(v >> 24), last[1] = (uint8_t)(v >> 16), last[2] = (uint8_t)(v >> 8),
			last[3] = (uint8_t)v;
		} else {
			uint32_t v = (uint32_t)last[13] << 16 | (uint32_t)last[14] << 8 | last[15];
			v += (uint32_t)(r->count - 1);
			last[13] = (uint8_t)(v >> 16), last[14] = (uint8_t)(v >> 8), last[15] = (uint8_t)v;
		}
		unsigned bits = r->family == AF_INET ? 24 : 64;
		range_of(&lo, r->family, r->start, bits);
		range_of(&hi, r->family, last, bits);
		memcpy(lo.hi, hi.hi, sizeof lo.hi);
		*sc = xrealloc(*sc, (*n + 1) * sizeof **sc);
		(*sc)[(*n)++] = lo;
	}
}

int crawl_scope_contains(const struct crawl_scope *sc, size_t n, int family, const uint8_t *a)
{
	size_t len = family == AF_INET ? 4 : 16;
	for (size_t i = 0; i < n; i++)
		if (sc[i].family == family && memcmp(a, sc[i].lo, len) >= 0 && memcmp(a, sc[i].hi, len) <= 0)
			return 1;
	return 0;
}
