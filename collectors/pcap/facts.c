/* The passive collector's tables: fact dedup, per-MAC counts, protocol
 * counters.
 *
 * A fact (subject, key, value) is written to the evidence sink the first
 * time it is seen and only counted after that: the same banner seen a
 * million times is one evidence row. Only a 64-bit hash of each distinct
 * fact is kept (16 bytes a fact with its count, the table at most 70 %
 * full); two different facts sharing a 64-bit hash are not expected in a
 * capture's lifetime (p < 2^-24 at a million facts), and the cost of one
 * would be a missing row, never a wrong one.
 *
 * Every frame's source MAC is counted with the addresses it sent IP
 * packets from. Only addresses seen with an initial TTL (64, 128, 255,
 * 32: the packet was not routed) are kept as the MAC's own, at most
 * MAC_IPS of them; a MAC past that is a router or gateway and links to
 * none (attribution would otherwise merge the hosts behind it into one
 * device). The per-MAC facts are written at the end (fact_sink_flush).
 * See pcap_int.h for each table's cost and bound.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "pcap_int.h"
#include "util.h"

/* ---------- protocol counters ---------- */

#define STATS_MAX 96
static struct dis_stat stats[STATS_MAX];
static size_t nstats;

/* Counted several times per packet: a pointer-keyed cache in front of
 * the table (callers pass string literals, so a pointer names a counter). */
static struct {
	const char *p;
	unsigned idx;
} stat_cache[256];

void dis_count(const char *proto, dis_result r)
{
	if (r == DIS_NOT_MINE || !proto)
		return;
	/* literals sit a few bytes apart: the pointer's bits mixed, not sliced */
	size_t h = (size_t)((uintptr_t)proto * 0x9E3779B97F4A7C15ULL >> 56), i;
	if (stat_cache[h].p == proto)
		i = stat_cache[h].idx;
	else {
		for (i = 0; i < nstats && stats[i].proto != proto; i++)
			;
		if (i == nstats)                /* by name: a copy of the literal elsewhere */
			for (i = 0; i < nstats && strcmp(stats[i].proto, proto); i++)
				;
		if (i == nstats) {
			if (nstats == STATS_MAX)
				return;
			stats[nstats++].proto = proto;
		}
		stat_cache[h].p = proto;
		stat_cache[h].idx = (unsigned)i;
	}
	if (r == DIS_OK)
		stats[i].parsed++;
	else
		stats[i].malformed++;
}

const struct dis_stat *dis_stats(size_t *n)
{
	*n = nstats;
	return stats;
}

void dis_stats_reset(void)
{
	memset(stats, 0, sizeof stats);
	memset(stat_cache, 0, sizeof stat_cache);
	nstats = 0;
}

/* ---------- fact dedup ---------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

struct fact_sink *fact_sink_new(struct ev_sink *out, size_t max_facts, size_t max_macs)
{
	struct fact_sink *fs = xcalloc(1, sizeof *fs);
	fs->out = out;
	fs->collector = "pcap";
	fs->max = max_facts ? max_facts : FACTS_MAX;
	fs->mac_max = max_macs ? max_macs : MACS_MAX;
	fs->flows = xcalloc(FLOWS_MAX, sizeof *fs->flows);
	return fs;
}

/* Room for want facts at most 70 % full: one rehash to the size needed. */
static void grow_facts(struct fact_sink *fs, size_t want)
{
	size_t nc = fs->cap ? fs->cap : 4096;
	while (want * 10 > nc * 7)
		nc *= 2;
	if (nc == fs->cap)
		return;
	uint64_t *nh = xcalloc(nc, sizeof *nh);
	uint32_t *ncount = xcalloc(nc, sizeof *ncount);
	for (size_t i = 0; i < fs->cap; i++) {
		if (!fs->hash[i])
			continue;
		size_t j = fs->hash[i] & (nc - 1);
		while (nh[j])
			j = (j + 1) & (nc - 1);
		nh[j] = fs->hash[i];
		ncount[j] = fs->count[i];
	}
	free(fs->hash);
	free(fs->count);
	fs->hash = nh;
	fs->count = ncount;
	fs->cap = nc;
}

/* Look h up in the fact table: 1 if there (its count goes up), else
 * inserted (0) when insert is set and the table has room, -1 when full. */
static int table_put(struct fact_sink *fs, uint64_t h, int insert)
{
	if (!h)
		h = 1;          /* 0 marks an empty slot */
	if (fs->cap) {
		size_t j = h & (fs->cap - 1);
		while (fs->hash[j]) {
			if (fs->hash[j] == h) {
				if (fs->count[j] < UINT32_MAX)
					fs->count[j]++;
				return 1;
			}
			j = (j + 1) & (fs->cap - 1);
		}
	}
	if (!insert)
		return 0;
	if (fs->n >= fs->max)
		return -1;
	if ((fs->n + 1) * 10 > fs->cap * 7)
		grow_facts(fs, fs->n + 1);
	size_t j = h & (fs->cap - 1);
	while (fs->hash[j])
		j = (j + 1) & (fs->cap - 1);
	fs->hash[j] = h;
	fs->count[j] = 1;
	fs->n++;
	return 0;
}

int fact_emit(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
              const void *value, size_t len)
{
	struct fact_sink *fs = ctx->facts;
	if (!subject || !key || (!value && len))
		return -1;
	uint8_t k = (uint8_t)sk;
	uint64_t h = fnv(1469598103934665603ULL, &k, 1);
	h = fnv(h, subject, strlen(subject) + 1);
	h = fnv(h, key, strlen(key) + 1);
	h = fnv(h, value, len);
	if (!fs)
		return 0;
	int r = table_put(fs, h, 1);
	if (r > 0) {
		fs->repeats++;
		return 0;
	}
	if (r < 0) {
		fs->dropped++;
		return -1;
	}
	fs->facts++;
	if (fs->out && ev_emit(fs->out, fs->collector, sk, subject, key, value, len, ctx->ts_us,
	                       ctx->source ? ctx->source : "") < 0)
		fs->emit_errors++;
	return 0;
}

static uint64_t payload_hash_seed(const struct pkt_ctx *ctx, uint64_t seed, const struct cur *payload)
{
	static const uint8_t none[6];
	uint64_t h = fnv(seed, payload->p, payload->left);
	h = fnv(h, ctx->src_mac ? ctx->src_mac : none, 6);
	h = fnv(h, ctx->src_ip_raw, sizeof ctx->src_ip_raw);
	h = fnv(h, &ctx->sport, sizeof ctx->sport);
	h = fnv(h, &ctx->dport, sizeof ctx->dport);
	return fnv(h, &ctx->family, sizeof ctx->family);
}

static uint64_t payload_hash(const struct pkt_ctx *ctx, const char *proto, const struct cur *payload)
{
	return payload_hash_seed(ctx, fnv(0x6c62272e07bb0142ULL, proto, strlen(proto) + 1), payload);
}

int dis_seen(const struct pkt_ctx *ctx, const char *proto, const struct cur *payload)
{
	if (!ctx->facts || !cur_ok(payload))
		return 0;
	return table_put(ctx->facts, payload_hash(ctx, proto, payload), 0) > 0;
}

void dis_remember(const struct pkt_ctx *ctx, const char *proto, const struct cur *payload)
{
	if (ctx->facts && cur_ok(payload))
		table_put(ctx->facts, payload_hash(ctx, proto, payload), 1);     /* full: dissected again */
}

/* The same, keyed by a number (a dissector's walk function) rather than a
 * name: no string to format per packet. */
int dis_seen_key(const struct pkt_ctx *ctx, uint64_t key, const struct cur *payload, int remember)
{
	if (!ctx->facts || !cur_ok(payload))
		return 0;
	uint64_t h = payload_hash_seed(ctx, fnv(0x6c62272e07bb0142ULL, &key, sizeof key), payload);
	return table_put(ctx->facts, h, remember) > 0;
}

int fact_emit_str(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
                  const char *value)
{
	return fact_emit(ctx, sk, subject, key, value, strlen(value));
}

int fact_emit_cur(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
                  struct cur v)
{
	size_t n = cur_left(&v);
	if (!cur_ok(&v))
		return -1;
	return fact_emit(ctx, sk, subject, key, cur_bytes(&v, n), n);
}

int fact_emit_u32(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
                  uint32_t value)
{
	char t[16];
	snprintf(t, sizeof t, "%u", value);
	return fact_emit_str(ctx, sk, subject, key, t);
}

void flags_text(char *out, size_t outlen, const char *const *names, unsigned n, uint32_t bits)
{
	size_t o = 0;
	out[0] = 0;
	for (unsigned i = 0; i < n && o < outlen; i++)
		if (bits & (1u << i))
			o += (size_t)snprintf(out + o, outlen - o, "%s%s", o ? "," : "", names[i]);
}

void subject_escaped(char *out, size_t outlen, const char *prefix, struct cur id)
{
	struct buf b = {0};
	buf_adds(&b, prefix);
	while (cur_left(&id) && b.len + 5 < outlen) {
		uint8_t c = cur_u8(&id);
		if (c < 0x20 || c >= 0x7f || c == '\\')
			buf_printf(&b, "\\x%02x", c);
		else
			buf_addc(&b, (char)c);
	}
	snprintf(out, outlen, "%s", b.p ? b.p : "");
	buf_free(&b);
}

/* ---------- per-MAC counts ---------- */

static uint64_t mac_key(const uint8_t m[6])
{
	return 1ULL << 63 | (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 | (uint64_t)m[2] << 24 |
	       (uint64_t)m[3] << 16 | (uint64_t)m[4] << 8 | m[5];
}

static size_t slot_of(uint64_t key, size_t cap)
{
	uint64_t x = key * 0x9E3779B97F4A7C15ULL;
	return (size_t)(x ^ (x >> 29)) & (cap - 1);
}

static void grow_macs(struct fact_sink *fs)
{
	size_t nc = fs->mac_cap ? fs->mac_cap * 2 : 1024;
	struct mac_slot *nm = xcalloc(nc, sizeof *nm);
	for (size_t i = 0; i < fs->mac_cap; i++) {
		if (!fs->macs[i].key)
			continue;
		size_t j = slot_of(fs->macs[i].key, nc);
		while (nm[j].key)
			j = (j + 1) & (nc - 1);
		nm[j] = fs->macs[i];
	}
	free(fs->macs);
	fs->macs = nm;
	fs->mac_cap = nc;
	fs->last_mac = NULL;
}

/* The accounting of a frame's source (found or added, counted), done for
 * the frame before: the slot was prefetched since. Sets last_mac. */
static void mac_count(struct fact_sink *fs, const struct mac_pending *p)
{
	uint64_t key = p->key;
	fs->last_mac = NULL;
	size_t j = 0;
	if (fs->mac_cap) {
		j = slot_of(key, fs->mac_cap);
		while (fs->macs[j].key) {
			if (fs->macs[j].key == key) {
				fs->macs[j].frames++;
				fs->last_mac = &fs->macs[j];
				return;
			}
			j = (j + 1) & (fs->mac_cap - 1);
		}
	}
	if (fs->nmacs >= fs->mac_max) {
		fs->macs_dropped++;
		return;
	}
	if ((fs->nmacs + 1) * 10 > fs->mac_cap * 7) {
		grow_macs(fs);
		j = slot_of(key, fs->mac_cap);
		while (fs->macs[j].key)
			j = (j + 1) & (fs->mac_cap - 1);
	}
	if (fs->nmacs == fs->entries_cap) {
		fs->entries_cap = fs->entries_cap ? fs->entries_cap * 2 : 1024;
		fs->mac_entries = xrealloc(fs->mac_entries, fs->entries_cap * sizeof *fs->mac_entries);
	}
	struct mac_entry *e = &fs->mac_entries[fs->nmacs];
	memset(e, 0, sizeof *e);
	memcpy(e->mac, p->mac, 6);
	e->first_us = p->ts_us;
	struct mac_slot *sl = &fs->macs[j];
	sl->key = key;
	sl->entry = (uint32_t)fs->nmacs++;
	sl->last_ip = 0;
	sl->frames = 1;
	fs->last_mac = sl;
}

static void ip_seen(struct fact_sink *fs, struct mac_slot *sl, int family, const uint8_t *addr, int onlink);

void mac_settle(struct fact_sink *fs)
{
	struct mac_pending *p = &fs->pending;
	if (!p->key)
		return;
	mac_count(fs, p);
	if (p->has_ip && fs->last_mac)
		ip_seen(fs, fs->last_mac, p->family, p->addr, p->onlink);
	p->key = 0;
}

void mac_frame(struct fact_sink *fs, const uint8_t mac[6], int64_t ts_us)
{
	if (!fs)
		return;
	mac_settle(fs);                 /* the frame before's: its slot is in cache by now */
	fs->last_mac = NULL;
	if (mac[0] & 1)
		return;         /* a group address is never a sender */
	uint64_t key = mac_key(mac);
	if (key == 1ULL << 63)
		return;         /* 00:00:00:00:00:00 */
	if (fs->mac_cap)
		__builtin_prefetch(&fs->macs[slot_of(key, fs->mac_cap)]);
	struct mac_pending *p = &fs->pending;
	p->key = key;
	memcpy(p->mac, mac, 6);
	p->ts_us = ts_us;
	p->has_ip = 0;
}

/* Addresses that never name one host: unspecified, broadcast, multicast. */
static int ip_usable(int family, const uint8_t *a)
{
	if (family == AF_INET) {
		if (a[0] == 0 || a[0] >= 224 || (a[0] == 127))
			return 0;
		return 1;
	}
	static const uint8_t zero[16];
	if (a[0] == 0xff || !memcmp(a, zero, 16))
		return 0;
	return !(a[0] == 0 && !memcmp(a, zero, 15) && a[15] == 1);      /* ::1 */
}

void mac_ip(struct fact_sink *fs, const uint8_t mac[6], int family, const uint8_t *addr, int onlink)
{
	if (!fs || !mac)
		return;
	uint64_t key = mac_key(mac);
	struct mac_pending *p = &fs->pending;
	if (p->key == key && !p->has_ip) {      /* counted with the frame, later */
		p->has_ip = 1;
		p->onlink = (uint8_t)onlink;
		p->family = family;
		memcpy(p->addr, addr, family == AF_INET ? 4 : 16);
		return;
	}
	mac_settle(fs);                 /* a second address in one frame: in order */
	struct mac_slot *sl = fs->last_mac;
	if (sl && sl->key == key)
		ip_seen(fs, sl, family, addr, onlink);
}

static void ip_seen(struct fact_sink *fs, struct mac_slot *sl, int family, const uint8_t *addr, int onlink)
{
	size_t n = family == AF_INET ? 4 : 16;
	/* the same address as last time (most frames): nothing new */
	uint32_t h = (uint32_t)fnv(onlink ? 0x811c9dc5u : 0x1234567u, addr, n) | 1;
	if (sl->last_ip == h)
		return;
	sl->last_ip = h;
	struct mac_entry *e = &fs->mac_entries[sl->entry];
	if (!onlink) {
		e->routed = 1;
		return;
	}
	if (e->overflow || !ip_usable(family, addr))
		return;
	int v6 = family != AF_INET;
	for (unsigned i = 0; i < e->nips; i++)
		if (((e->v6 >> i) & 1) == v6 && !memcmp(e->ip[i], addr, n))
			return;
	if (e->nips == MAC_IPS) {
		e->overflow = 1;
		return;
	}
	memset(e->ip[e->nips], 0, 16);
	memcpy(e->ip[e->nips], addr, n);
	if (v6)
		e->v6 |= (uint16_t)(1u << e->nips);
	e->nips++;
}

void mac_ip_fact(const struct pkt_ctx *ctx, const uint8_t mac[6], int family, const uint8_t *addr)
{
	char m[18], ip[46];
	static const uint8_t zero[6];
	if ((mac[0] & 1) || !memcmp(mac, zero, 6) || !ip_usable(family, addr))
		return;
	ev_mac_text(mac, m);
	if (family == AF_INET)
		ip4_text(addr, ip);
	else if (ev_ip_text(family, addr, ip, sizeof ip) < 0)
		return;
	fact_emit_str(ctx, SUBJ_MAC, m, "ip", ip);
}

void fact_sink_flush(struct fact_sink *fs, int64_t now_us, const char *source)
{
	mac_settle(fs);
	/* a count and an address or two a MAC: one rehash now, not several */
	size_t want = fs->n + 2 * fs->nmacs;
	grow_facts(fs, want < fs->max ? want : fs->max);
	struct pkt_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.facts = fs;
	ctx.source = source;
	for (size_t i = 0; i < FLOWS_MAX; i++)
		if (fs->flows[i].used)
			flow_close(fs, &fs->flows[i]);
	for (size_t i = 0; i < fs->mac_cap; i++) {
		const struct mac_slot *sl = &fs->macs[i];
		if (!sl->key)
			continue;
		const struct mac_entry *e = &fs->mac_entries[sl->entry];
		char m[18], ip[46];
		ev_mac_text(e->mac, m);
		ctx.ts_us = e->first_us ? e->first_us : now_us;
		fact_emit_u32(&ctx, SUBJ_MAC, m, "mac.frames", sl->frames > UINT32_MAX ? UINT32_MAX
		                                                                        : (uint32_t)sl->frames);
		if (e->overflow)
			fact_emit_str(&ctx, SUBJ_MAC, m, "mac.router",
			              "sent from more than 16 addresses with an initial TTL: not linked");
		else
			for (unsigned k = 0; k < e->nips; k++) {
				int fam = (e->v6 >> k) & 1 ? AF_INET6 : AF_INET;
				if (fam == AF_INET)
					ip4_text(e->ip[k], ip);
				else if (ev_ip_text(fam, e->ip[k], ip, sizeof ip) < 0)
					continue;
				fact_emit_str(&ctx, SUBJ_MAC, m, "ip", ip);
			}
		if (e->routed)
			fact_emit_str(&ctx, SUBJ_MAC, m, "mac.forwards", "yes");
	}
}

void fact_sink_free(struct fact_sink *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < FLOWS_MAX; i++)
		free(fs->flows[i].buf);
	free(fs->flows);
	free(fs->hash);
	free(fs->count);
	free(fs->macs);
	free(fs->mac_entries);
	free(fs);
}

/* Every octet's digits and a dot, 4 bytes each, and how many digits:
 * two per packet, so a table rather than divisions. */
static struct {
	char s[4];
	uint8_t n;
} octets[256];

void ip4_text(const uint8_t a[4], char out[16])
{
	if (!octets[0].n)
		for (unsigned v = 0; v < 256; v++) {
			char t[5] = "";
			octets[v].n = (uint8_t)snprintf(t, sizeof t, "%u.", v) - 1;
			memcpy(octets[v].s, t, 4);      /* "255." or "7." + NUL and a spare byte */
		}
	char *o = out;
	for (int i = 0; i < 4; i++) {   /* 4 bytes from o: at most out + 15 */
		memcpy(o, octets[a[i]].s, 4);
		o += octets[a[i]].n + 1;
	}
	o[-1] = 0;                      /* the last dot */
}
