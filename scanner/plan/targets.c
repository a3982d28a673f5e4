/* Target parsing and indexing (see include/targets.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets.h"
#include "util.h"

void targets_init(struct target_set *ts, uint16_t default_port)
{
	memset(ts, 0, sizeof *ts);
	ts->default_port = default_port;
}

void targets_free(struct target_set *ts)
{
	free(ts->r);
	free(ts->ex);
	memset(ts, 0, sizeof *ts);
}

static uint32_t v4(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put_v4(uint8_t *b, uint32_t a)
{
	b[0] = (uint8_t)(a >> 24);
	b[1] = (uint8_t)(a >> 16);
	b[2] = (uint8_t)(a >> 8);
	b[3] = (uint8_t)a;
}

/* Parse one word into a range (no port handling). */
static int parse_range(const char *w, struct trange *r, char *err, size_t errlen)
{
	char buf[256];
	struct in_addr a4, b4;
	struct in6_addr a6;
	memset(r, 0, sizeof *r);
	if (strlen(w) >= sizeof buf || !*w) {
		os_seterr(err, errlen, "target '%s': too long or empty", w);
		return -1;
	}
	strcpy(buf, w);
	char *slash = strchr(buf, '/');
	char *dash = strchr(buf, '-');
	if (slash) {
		*slash = 0;
		char *endp;
		long bits = strtol(slash + 1, &endp, 10);
		if (*endp || !slash[1]) {
			os_seterr(err, errlen, "target '%s': bad prefix length", w);
			return -1;
		}
		if (inet_pton(AF_INET, buf, &a4) == 1) {
			if (bits < 8 || bits > 32) {
				os_seterr(err, errlen, "target '%s': prefix length must be 8..32 for IPv4", w);
				return -1;
			}
			uint32_t mask = bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
			r->family = AF_INET;
			put_v4(r->start, ntohl(a4.s_addr) & mask);
			r->count = 1ull << (32 - bits);
			return 0;
		}
		if (inet_pton(AF_INET6, buf, &a6) == 1) {
			if (bits < 104 || bits > 128) {
				os_seterr(err, errlen, "target '%s': IPv6 blocks must be /104 or smaller (sweeping IPv6 space is not meaningful)", w);
				return -1;
			}
			r->family = AF_INET6;
			memcpy(r->start, &a6, 16);
			int host = 128 - (int)bits;
			for (int i = 0; i < host; i++)
				r->start[15 - i / 8] &= (uint8_t)~(1u << (i % 8));
			r->count = 1ull << host;
			return 0;
		}
		os_seterr(err, errlen, "target '%s': not an address block", w);
		return -1;
	}
	if (dash) {
		*dash = 0;
		if (inet_pton(AF_INET, buf, &a4) != 1)
			*dash = '-';    /* not a range: perhaps a host name */
	}
	if (dash && !*dash) {
		const char *end = dash + 1;
		uint32_t s = ntohl(a4.s_addr), e;
		if (inet_pton(AF_INET, end, &b4) == 1)
			e = ntohl(b4.s_addr);
		else {
			/* nmap's short form: 10.0.0.1-50 ends in the last octet */
			char *endp;
			long last = strtol(end, &endp, 10);
			if (*endp || !*end || last < 0 || last > 255) {
				os_seterr(err, errlen, "target '%s': bad range end", w);
				return -1;
			}
			e = (s & 0xffffff00u) | (uint32_t)last;
		}
		if (e < s) {
			os_seterr(err, errlen, "target '%s': range ends before it starts", w);
			return -1;
		}
		r->family = AF_INET;
		put_v4(r->start, s);
		r->count = (uint64_t)e - s + 1;
		return 0;
	}
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		r->family = AF_INET;
		memcpy(r->start, &a4, 4);
		r->count = 1;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, &a6) == 1) {
		r->family = AF_INET6;
		memcpy(r->start, &a6, 16);
		r->count = 1;
		return 0;
	}
	/* A host name: resolve now, so a typo fails before the scan starts. */
	int ok_name = 1;
	for (const char *p = buf; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == '_'))
			ok_name = 0;
	if (ok_name && isalpha((unsigned char)buf[0])) {
		struct addrinfo hints = {0}, *res = NULL;
		hints.ai_socktype = SOCK_DGRAM;
		if (getaddrinfo(buf, NULL, &hints, &res) == 0 && res) {
			if (res->ai_family == AF_INET) {
				r->family = AF_INET;
				memcpy(r->start, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
			} else {
				r->family = AF_INET6;
				memcpy(r->start, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
			}
			r->count = 1;
			freeaddrinfo(res);
			return 0;
		}
		os_seterr(err, errlen, "target '%s': cannot resolve host name", w);
		return -1;
	}
	os_seterr(err, errlen, "target '%s': not an address, block (a.b.c.d/n), range (a.b.c.d-e) or host name", w);
	return -1;
}

static int add(struct target_set *ts, const struct trange *r, char *err, size_t errlen, const char *w)
{
	if (ts->total + r->count > TARGETS_MAX) {
		os_seterr(err, errlen, "target '%s': the set would exceed %u addresses", w, TARGETS_MAX);
		return -1;
	}
	ts->r = xrealloc(ts->r, (ts->n + 1) * sizeof *ts->r);
	ts->r[ts->n++] = *r;
	ts->total += r->count;
	return 0;
}

int targets_add(struct target_set *ts, const char *word, char *err, size_t errlen)
{
	struct trange r;
	char buf[256];
	long port = 0;
	if (strlen(word) >= sizeof buf) {
		os_seterr(err, errlen, "target '%.40s...': too long", word);
		return -1;
	}
	strcpy(buf, word);
	/* [v6]:port or [v6] */
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (!close) {
			os_seterr(err, errlen, "target '%s': missing ']'", word);
			return -1;
		}
		*close = 0;
		if (close[1] == ':') {
			char *endp;
			port = strtol(close + 2, &endp, 10);
			if (*endp || port < 1 || port > 65535) {
				os_seterr(err, errlen, "target '%s': bad port", word);
				return -1;
			}
		} else if (close[1]) {
			os_seterr(err, errlen, "target '%s': junk after ']'", word);
			return -1;
		}
		if (parse_range(buf + 1, &r, err, errlen) < 0)
			return -1;
	} else {
		/* host:port when there is exactly one colon (IPv6 has several) */
		char *colon = strchr(buf, ':');
		if (colon && !strchr(colon + 1, ':')) {
			*colon = 0;
			char *endp;
			port = strtol(colon + 1, &endp, 10);
			if (*endp || port < 1 || port > 65535 || !colon[1]) {
				os_seterr(err, errlen, "target '%s': bad port", word);
				return -1;
			}
		}
		if (parse_range(buf, &r, err, errlen) < 0)
			return -1;
		if (port && r.count != 1) {
			os_seterr(err, errlen, "target '%s': host:port takes a single address (use --port for blocks)", word);
			return -1;
		}
	}
	r.port = (uint16_t)port;
	return add(ts, &r, err, errlen, word);
}

int targets_add_file(struct target_set *ts, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = os_read_file(path, 64u << 20, &len, err, errlen);
	if (!text)
		return -1;
	if (memchr(text, 0, len)) {
		os_seterr(err, errlen, "%s: holds NUL bytes (not a list of targets)", path);
		free(text);
		return -1;
	}
	int lineno = 0, rc = 0;
	/* every line counted, blank ones too: errors name the line an
	 * editor shows */
	for (char *line = text, *next; line && !rc; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *s2 = NULL;
		for (char *w = strtok_r(line, " \t\r,", &s2); w; w = strtok_r(NULL, " \t\r,", &s2)) {
			char e[256];
			if (targets_add(ts, w, e, sizeof e) < 0) {
				os_seterr(err, errlen, "%s:%d: %s", path, lineno, e);
				rc = -1;
				break;
			}
		}
	}
	free(text);
	return rc;
}

/* ---------- duplicates ---------- */

/* A range as a sortable key: family, effective port, the fixed top of an
 * IPv6 range (ranges never cross it: at most /104), and [lo, lo+count). */
struct rkey {
	int family;
	uint16_t port;
	uint8_t hi[13];
	uint64_t lo;
	size_t i;                       /* index in ts->r */
};

static void rkey_of(const struct target_set *ts, size_t i, struct rkey *k)
{
	const struct trange *r = &ts->r[i];
	memset(k, 0, sizeof *k);
	k->family = r->family;
	k->port = r->port ? r->port : ts->default_port;
	k->i = i;
	if (r->family == AF_INET)
		k->lo = v4(r->start);
	else {
		memcpy(k->hi, r->start, 13);
		k->lo = (uint64_t)r->start[13] << 16 | (uint64_t)r->start[14] << 8 | r->start[15];
	}
}

static int same_block(const struct rkey *a, const struct rkey *b)
{
	return a->family == b->family && !memcmp(a->hi, b->hi, 13);
}

static int cmp_rkey(const void *pa, const void *pb)
{
	const struct rkey *a = pa, *b = pb;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	int c = memcmp(a->hi, b->hi, 13);
	if (c)
		return c;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* r starts at lo of key's block */
static void set_start(struct trange *r, const struct rkey *key, uint64_t lo)
{
	if (key->family == AF_INET)
		put_v4(r->start, (uint32_t)lo);
	else {
		memcpy(r->start, key->hi, 13);
		r->start[13] = (uint8_t)(lo >> 16);
		r->start[14] = (uint8_t)(lo >> 8);
		r->start[15] = (uint8_t)lo;
	}
}

static void put_range(struct trange *r, const struct rkey *k, uint64_t count, uint16_t default_port)
{
	memset(r, 0, sizeof *r);
	r->family = k->family;
	r->count = count;
	r->port = k->port == default_port ? 0 : k->port;
	if (k->family == AF_INET)
		put_v4(r->start, (uint32_t)k->lo);
	else {
		memcpy(r->start, k->hi, 13);
		r->start[13] = (uint8_t)(k->lo >> 16);
		r->start[14] = (uint8_t)(k->lo >> 8);
		r->start[15] = (uint8_t)k->lo;
	}
}

uint64_t targets_dedupe(struct target_set *ts)
{
	if (ts->n < 2)
		return 0;
	struct rkey *k = xcalloc(ts->n, sizeof *k);
	for (size_t i = 0; i < ts->n; i++)
		rkey_of(ts, i, &k[i]);
	qsort(k, ts->n, sizeof *k, cmp_rkey);
	/* 1. overlaps at the same port: merge them (the set is rebuilt in
	 * sorted order; a set without any is left as given) */
	int overlap = 0;
	uint64_t end = 0;
	for (size_t i = 0; i < ts->n && !overlap; i++) {
		int same = i && k[i].port == k[i - 1].port && same_block(&k[i], &k[i - 1]);
		uint64_t e = k[i].lo + ts->r[k[i].i].count;
		overlap = same && k[i].lo < end;
		end = same && end > e ? end : e;       /* the furthest end of the run */
	}
	uint64_t dropped = 0;
	if (overlap) {
		struct trange *out = xcalloc(ts->n, sizeof *out);
		size_t n = 0;
		uint64_t total = 0;
		for (size_t i = 0; i < ts->n;) {
			uint64_t lo = k[i].lo, hi = lo + ts->r[k[i].i].count;
			size_t j = i + 1;
			while (j < ts->n && k[j].port == k[i].port && same_block(&k[j], &k[i]) && k[j].lo < hi) {
				uint64_t e = k[j].lo + ts->r[k[j].i].count;
				if (e > hi)
					hi = e;
				j++;
			}
			put_range(&out[n++], &k[i], hi - lo, ts->default_port);
			total += hi - lo;
			i = j;
		}
		dropped = ts->total - total;
		free(ts->r);
		ts->r = out;
		ts->n = n;
		ts->total = total;
	}
	free(k);
	/* 2. the same address at another port: named with the port */
	targets_mark_ports(&ts, 1);
	return dropped;
}

/* One port's union of ranges in one block: disjoint, sorted by lo. */
struct span {
	int family;
	uint16_t port;
	uint8_t hi[13];
	uint64_t lo, end;
};

static int cmp_span(const struct span *a, int family, uint16_t port, const uint8_t *hi, uint64_t lo)
{
	if (a->family != family)
		return a->family < family ? -1 : 1;
	if (a->port != port)
		return a->port < port ? -1 : 1;
	int c = memcmp(a->hi, hi, 13);
	if (c)
		return c;
	return a->lo < lo ? -1 : a->lo > lo;
}

struct piece {
	uint64_t lo, end;
};

static int cmp_piece(const void *pa, const void *pb)
{
	const struct piece *a = pa, *b = pb;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

void targets_mark_ports(struct target_set *const *sets, size_t nsets)
{
	size_t n = 0;
	for (size_t s = 0; s < nsets; s++)
		n += sets[s]->n;
	if (n < 2)
		return;
	struct rkey *k = xcalloc(n, sizeof *k);
	uint64_t *cnt = xcalloc(n, sizeof *cnt);
	size_t m = 0;
	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s]->n; i++) {
			rkey_of(sets[s], i, &k[m]);
			k[m].i = m;
			cnt[m++] = sets[s]->r[i].count;
		}
	qsort(k, n, sizeof *k, cmp_rkey);
	/* the union of each port's ranges, block by block */
	struct span *sp = xcalloc(n, sizeof *sp);
	uint16_t ports[64];
	size_t nsp = 0, nports = 0;
	int many = 0;                   /* more ports than ports[] holds */
	for (size_t i = 0; i < n; i++) {
		struct span *last = nsp ? &sp[nsp - 1] : NULL;
		uint64_t e = k[i].lo + cnt[k[i].i];
		if (last && last->family == k[i].family && last->port == k[i].port && !memcmp(last->hi, k[i].hi, 13) &&
		    k[i].lo <= last->end) {
			if (e > last->end)
				last->end = e;
			continue;
		}
		struct span *x = &sp[nsp++];
		x->family = k[i].family;
		x->port = k[i].port;
		memcpy(x->hi, k[i].hi, 13);
		x->lo = k[i].lo;
		x->end = e;
		size_t p = 0;
		while (p < nports && ports[p] != x->port)
			p++;
		if (p == nports && nports < OS_ARRAY_LEN(ports))
			ports[nports++] = x->port;
		else if (p == nports)
			many = 1;
	}
	/* each range is cut where other ports' unions begin and end: the
	 * pieces inside are shared (named with the port), the rest not. The
	 * pieces stay in the range's place, so the index space and the
	 * visiting order do not move. */
	struct piece *cut = xcalloc(2 * nsp + 2, sizeof *cut);
	struct trange **out = xcalloc(nsets, sizeof *out);
	size_t *nout = xcalloc(nsets, sizeof *nout), *capo = xcalloc(nsets, sizeof *capo);
	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s]->n; i++) {
			struct rkey key;
			rkey_of(sets[s], i, &key);
			uint64_t lo = key.lo, end = lo + sets[s]->r[i].count;
			size_t ncut = 0;
			for (size_t p = 0; p < nports; p++) {
				if (ports[p] == key.port)
					continue;
				size_t a = 0, b = nsp;      /* first span > (family, port, hi, end-1) */
				while (a < b) {
					size_t mid = a + (b - a) / 2;
					if (cmp_span(&sp[mid], key.family, ports[p], key.hi, end - 1) <= 0)
						a = mid + 1;
					else
						b = mid;
				}
				for (; a > 0; a--) {
					const struct span *c = &sp[a - 1];
					if (c->family != key.family || c->port != ports[p] || memcmp(c->hi, key.hi, 13) ||
					    c->end <= lo)
						break;
					cut[ncut].lo = c->lo > lo ? c->lo : lo;
					cut[ncut++].end = c->end < end ? c->end : end;
				}
			}
			/* the shared parts, sorted (and merged below) */
			qsort(cut, ncut, sizeof *cut, cmp_piece);
			if (capo[s] < nout[s] + 2 * ncut + 1) {
				capo[s] = (nout[s] + 2 * ncut + 1) * 2;
				out[s] = xrealloc(out[s], capo[s] * sizeof **out);
			}
			uint64_t at = lo;
			for (size_t x = 0; x <= ncut; x++) {
				uint64_t slo = x < ncut ? cut[x].lo : end, send = x < ncut ? cut[x].end : end;
				if (x < ncut)
					while (x + 1 < ncut && cut[x + 1].lo <= send) {
						if (cut[x + 1].end > send)
							send = cut[x + 1].end;
						x++;
					}
				if (slo > at) {         /* a plain piece */
					struct trange *r = &out[s][nout[s]++];
					*r = sets[s]->r[i];
					set_start(r, &key, at);
					r->count = slo - at;
					r->shared = many;
				}
				if (send > slo) {       /* a shared piece */
					struct trange *r = &out[s][nout[s]++];
					*r = sets[s]->r[i];
					set_start(r, &key, slo);
					r->count = send - slo;
					r->shared = 1;
				}
				if (send > at)
					at = send;
			}
		}
	for (size_t s = 0; s < nsets; s++) {
		free(sets[s]->r);
		sets[s]->r = out[s];
		sets[s]->n = nout[s];
	}
	free(out);
	free(nout);
	free(capo);
	free(cut);
	free(sp);
	free(cnt);
	free(k);
}


int targets_exclude(struct target_set *ts, const char *words, char *err, size_t errlen)
{
	char *copy = xstrdup(words), *save = NULL;
	int rc = 0;
	for (char *w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		struct trange r;
		if (parse_range(w, &r, err, errlen) < 0) {
			rc = -1;
			break;
		}
		ts->ex = xrealloc(ts->ex, (ts->nex + 1) * sizeof *ts->ex);
		ts->ex[ts->nex++] = r;
	}
	free(copy);
	return rc;
}

static int in_range(const struct trange *r, int family, const uint8_t *a)
{
	if (r->family != family)
		return 0;
	if (family == AF_INET) {
		uint32_t x = v4(a), s = v4(r->start);
		return x >= s && (uint64_t)(x - s) < r->count;
	}
	/* IPv6 ranges are at most 2^24 long: compare the top 13 bytes, then
	 * the low 24 bits as a number. */
	if (memcmp(a, r->start, 13))
		return 0;
	uint32_t x = (uint32_t)a[13] << 16 | (uint32_t)a[14] << 8 | a[15];
	uint32_t s = (uint32_t)r->start[13] << 16 | (uint32_t)r->start[14] << 8 | r->start[15];
	return x >= s && (uint64_t)(x - s) < r->count;
}

int targets_is_excluded(const struct target_set *ts, int family, const void *addr)
{
	for (size_t i = 0; i < ts->nex; i++)
		if (in_range(&ts->ex[i], family, addr))
			return 1;
	return 0;
}

int targets_contain(const struct target_set *ts, int family, const void *addr)
{
	if (targets_is_excluded(ts, family, addr))
		return 0;
	for (size_t i = 0; i < ts->n; i++)
		if (in_range(&ts->r[i], family, addr))
			return 1;
	return 0;
}

int targets_get(const struct target_set *ts, uint64_t i, struct target *out)
{
	for (size_t k = 0; k < ts->n; k++) {
		const struct trange *r = &ts->r[k];
		if (i >= r->count) {
			i -= r->count;
			continue;
		}
		uint8_t a[16];
		memcpy(a, r->start, 16);
		if (r->family == AF_INET)
			put_v4(a, v4(r->start) + (uint32_t)i);
		else {
			uint32_t low = ((uint32_t)a[13] << 16 | (uint32_t)a[14] << 8 | a[15]) + (uint32_t)i;
			a[13] = (uint8_t)(low >> 16);
			a[14] = (uint8_t)(low >> 8);
			a[15] = (uint8_t)low;
		}
		if (targets_is_excluded(ts, r->family, a))
			return 0;
		memset(out, 0, sizeof *out);
		out->port = r->port ? r->port : ts->default_port;
		if (r->family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&out->sa;
			sin->sin_family = AF_INET;
			memcpy(&sin->sin_addr, a, 4);
			sin->sin_port = htons(out->port);
			out->salen = sizeof *sin;
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->sa;
			sin6->sin6_family = AF_INET6;
			memcpy(&sin6->sin6_addr, a, 16);
			sin6->sin6_port = htons(out->port);
			out->salen = sizeof *sin6;
		}
		inet_ntop(r->family, a, out->addr, sizeof out->addr);
		if (r->shared)
			snprintf(out->name, sizeof out->name, "%s%s%s:%u", r->family == AF_INET6 ? "[" : "", out->addr,
			         r->family == AF_INET6 ? "]" : "", out->port);
		else
			memcpy(out->name, out->addr, sizeof out->addr);
		return 1;
	}
	return 0;
}

/* ---------- digest and visiting order ---------- */

static uint64_t mix64(uint64_t z)
{
	/* splitmix64's finaliser: every input bit flips about half the output bits */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static uint64_t digest_ranges(uint64_t h, const struct trange *r, size_t n, int with_port)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t fam = r[i].family == AF_INET6 ? 6 : 4;
		uint8_t cnt[8], port[2] = {(uint8_t)(r[i].port >> 8), (uint8_t)r[i].port};
		for (int k = 0; k < 8; k++)
			cnt[k] = (uint8_t)(r[i].count >> (8 * k));
		h = fnv(h, &fam, 1);
		h = fnv(h, r[i].start, fam == 4 ? 4 : 16);
		h = fnv(h, cnt, 8);
		if (with_port)
			h = fnv(h, port, 2);
	}
	return h;
}

uint64_t targets_digest(const struct target_set *ts)
{
	uint64_t h = 14695981039346656037ULL;
	uint8_t port[2] = {(uint8_t)(ts->default_port >> 8), (uint8_t)ts->default_port};
	h = fnv(h, port, 2);
	h = digest_ranges(h, ts->r, ts->n, 1);
	h = fnv(h, "|", 1);
	h = digest_ranges(h, ts->ex, ts->nex, 0);
	return h;
}

void targets_order_init(struct target_order *o, const struct target_set *ts, uint64_t seed,
                        uint64_t shard, uint64_t nshards)
{
	memset(o, 0, sizeof *o);
	o->total = ts->total;
	o->nshards = nshards ? nshards : 1;
	o->shard = shard < o->nshards ? shard : 0;
	o->count = o->total > o->shard ? (o->total - o->shard + o->nshards - 1) / o->nshards : 0;
	unsigned bits = 2;
	while (bits < 64 && (1ULL << bits) < o->total)
		bits++;
	bits += bits & 1;
	o->half = bits / 2;
	for (int r = 0; r < TARGETS_ROUNDS; r++)
		o->key[r] = mix64(seed + 0x9e3779b97f4a7c15ULL * (uint64_t)(r + 1));
}

static uint64_t feistel(const struct target_order *o, uint64_t x)
{
	uint64_t mask = (1ULL << o->half) - 1;
	uint64_t l = x >> o->half, r = x & mask;
	for (int i = 0; i < TARGETS_ROUNDS; i++) {
		uint64_t t = l ^ (mix64(r ^ o->key[i]) & mask);
		l = r;
		r = t;
	}
	return l << o->half | r;
}

uint64_t targets_order_index(const struct target_order *o, uint64_t pos)
{
	uint64_t j = o->shard + pos * o->nshards;
	/* Cycle-walking: the Feistel domain is less than 4x the set, so this
	 * takes fewer than 4 steps on average and always ends (it follows the
	 * permutation's cycle back into range). */
	uint64_t v = feistel(o, j);
	while (v >= o->total)
		v = feistel(o, v);
	return v;
}
