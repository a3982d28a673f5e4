/* MAC prefixes (IEEE MA-L/MA-M/MA-S/IAB + Wireshark manuf) and IANA
 * enterprise numbers: longest-prefix lookups over the compiled tables,
 * plus rows loaded at run time from a newer registry file, which win.
 *
 * Cost: the compiled tables are read-only data (16 bytes a row); the
 * vendor mapping of each row is computed on first use and cached in one
 * int32 per row (about 220 KiB, untouched pages cost nothing). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_int.h"
#include "kb_tables.h"
#include "util.h"

#define UNMAPPED (-2)

struct xrow {                   /* a row from a registry file loaded at run time */
	uint64_t prefix;
	char *name;
	char cc[3];
	int vendor;
};
struct xtab {
	struct xrow *r;
	size_t n;
};
static struct xtab extra[3];    /* 24, 28, 36 bits */
static int32_t *cache[3], *pen_cache;

static const char *const reg_names[] = {"MA-L", "MA-M", "MA-S", "IAB", "manuf"};

static int bits_index(int bits)
{
	return bits == 24 ? 0 : bits == 28 ? 1 : 2;
}

/* The 24-bit table is searched on every lookup: an index by the top 16
 * bits narrows each search to the few rows sharing them (256 KiB, built
 * on first use). */
static uint32_t *idx16;

static void build_idx16(void)
{
	idx16 = xmalloc((65536 + 1) * sizeof *idx16);
	size_t r = 0;
	for (uint32_t h = 0; h <= 65536; h++) {
		while (r < kb_oui24_len && (kb_oui24[r].prefix >> 8) < h)
			r++;
		idx16[h] = (uint32_t)r;
	}
}

static const struct kb_oui_row *find_row(int bits, uint64_t key, size_t *idx)
{
	const struct kb_oui_row *t = bits == 24 ? kb_oui24 : bits == 28 ? kb_oui28 : kb_oui36;
	size_t n = bits == 24 ? kb_oui24_len : bits == 28 ? kb_oui28_len : kb_oui36_len;
	size_t lo = 0, hi = n;
	if (bits == 24) {
		if (!idx16)
			build_idx16();
		lo = idx16[key >> 8];
		hi = idx16[(key >> 8) + 1];
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid].prefix < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && t[lo].prefix == key) {
		*idx = lo;
		return &t[lo];
	}
	return NULL;
}

static struct xrow *find_extra(int bits, uint64_t key)
{
	struct xtab *x = &extra[bits_index(bits)];
	size_t lo = 0, hi = x->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->r[mid].prefix < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->n && x->r[lo].prefix == key ? &x->r[lo] : NULL;
}

/* Registrant names that are not makers. */
static const char *placeholder_reason(const char *name)
{
	if (!strcasecmp(name, "IEEE Registration Authority"))
		return "block of the IEEE Registration Authority; the sub-assignment is not in the registry";
	if (!strcasecmp(name, "Private"))
		return "registered privately; the IEEE does not publish the registrant";
	return NULL;
}

static int map_name_cached(int32_t **cachep, size_t n, size_t idx, const char *name)
{
	if (!*cachep) {
		*cachep = xmalloc(n * sizeof **cachep);
		for (size_t i = 0; i < n; i++)
			(*cachep)[i] = UNMAPPED;
	}
	if ((*cachep)[idx] == UNMAPPED)
		(*cachep)[idx] = kb_vendor_by_name(name, strlen(name));
	return (*cachep)[idx];
}

/* Is there an MA-M/MA-S/IAB (28/36-bit) row under this 24-bit prefix?
 * Most lookups then skip two of the three searches. */
static int has_sub(uint32_t p24)
{
	size_t lo = 0, hi = kb_sub_parents_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (kb_sub_parents[mid] < p24)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < kb_sub_parents_len && kb_sub_parents[lo] == p24;
}

/* Placeholder registrants, compared by their (de-duplicated) offset in the
 * string pool: integers, not strings. */
static const char *placeholder_reason_off(uint32_t off)
{
	if (off == kb_off_ieee_ra)
		return placeholder_reason("IEEE Registration Authority");
	if (off == kb_off_private)
		return placeholder_reason("Private");
	return NULL;
}

int kb_mac_lookup(const uint8_t mac[6], struct kb_mac_hit *hit)
{
	static const int order[] = {36, 28, 24};
	uint64_t v = 0;
	const char *pending_why = NULL;
	int any_extra = extra[0].n || extra[1].n || extra[2].n;

	memset(hit, 0, sizeof *hit);
	hit->vendor = hit->maker = -1;
	for (int i = 0; i < 6; i++)
		v = (v << 8) | mac[i];
	if (mac[0] & 1) {
		hit->why_none = v == 0xffffffffffffULL ? "broadcast address" : "multicast address";
		return 0;
	}
	if (mac[0] & 2) {
		hit->why_none = "locally administered address (set by software, e.g. randomised)";
		return 0;
	}
	if (v == 0) {
		hit->why_none = "all-zero address";
		return 0;
	}
	int sub = has_sub((uint32_t)(v >> 24));
	for (size_t o = 0; o < OS_ARRAY_LEN(order); o++) {
		int bits = order[o];
		uint64_t key = v >> (48 - bits);
		struct xrow *x = any_extra ? find_extra(bits, key) : NULL;
		size_t idx;
		const char *name, *why;
		if (x) {
			name = x->name;
			if ((why = placeholder_reason(name))) {
				pending_why = why;
				continue;
			}
			hit->registrant = name;
			memcpy(hit->country, x->cc, 3);
			hit->registry = "file";
			if (x->vendor == UNMAPPED)
				x->vendor = kb_vendor_by_name(name, strlen(name));
			hit->vendor = x->vendor;
			hit->maker = x->vendor >= 0 ? x->vendor : kb_maker_by_name(name, strlen(name));
		} else {
			if (bits != 24 && !sub)
				continue;
			const struct kb_oui_row *r = find_row(bits, key, &idx);
			if (!r)
				continue;
			if ((why = placeholder_reason_off(r->name))) {
				pending_why = why;
				continue;
			}
			name = kb_pool + r->name;
			hit->registrant = name;
			hit->country[0] = r->cc[0];
			hit->country[1] = r->cc[1];
			hit->country[2] = 0;
			hit->registry = reg_names[r->reg < 5 ? r->reg : 4];
			size_t n = bits == 24 ? kb_oui24_len : bits == 28 ? kb_oui28_len : kb_oui36_len;
			hit->vendor = map_name_cached(&cache[bits_index(bits)], n, idx, name);
			hit->maker = hit->vendor >= 0 ? hit->vendor : r->org != KB_NO_ORG ? kb_org_maker(r->org) : -1;
		}
		hit->bits = bits;
		hit->prefix = key;
		return 1;
	}
	hit->why_none = pending_why ? pending_why : "prefix not in the IEEE registry (unassigned or newer than this build)";
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int kb_mac_parse(const char *s, uint8_t mac[6])
{
	size_t n = strlen(s);
	/* the common form first: aa:bb:cc:dd:ee:ff or aa-bb-cc-dd-ee-ff */
	if (n == 17 && (s[2] == ':' || s[2] == '-')) {
		char sep = s[2];
		int ok = 1;
		for (int g = 0; g < 6 && ok; g++) {
			int h1 = hexval((unsigned char)s[g * 3]), h2 = hexval((unsigned char)s[g * 3 + 1]);
			if (h1 < 0 || h2 < 0 || (g < 5 && s[g * 3 + 2] != sep))
				ok = 0;
			else
				mac[g] = (uint8_t)(h1 << 4 | h2);
		}
		return ok ? 0 : -1;
	}
	/* 12 bare hex digits, or Cisco's 0011.2233.4455 */
	if (n == 12 || (n == 14 && s[4] == '.' && s[9] == '.')) {
		int k = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '.' && n == 14)
				continue;
			int h = hexval((unsigned char)s[i]);
			if (h < 0)
				return -1;
			if (k % 2 == 0)
				mac[k / 2] = (uint8_t)(h << 4);
			else
				mac[k / 2] |= (uint8_t)h;
			k++;
		}
		return k == 12 ? 0 : -1;
	}
	/* six groups of one or two hex digits separated by : or - */
	int g = 0;
	const char *p = s;
	char sep = 0;
	while (g < 6) {
		int h1 = hexval((unsigned char)p[0]);
		if (h1 < 0)
			return -1;
		int h2 = hexval((unsigned char)p[1]);
		if (h2 >= 0) {
			mac[g] = (uint8_t)(h1 << 4 | h2);
			p += 2;
		} else {
			mac[g] = (uint8_t)h1;
			p += 1;
		}
		g++;
		if (g == 6)
			break;
		if (*p != ':' && *p != '-')
			return -1;
		if (sep && *p != sep)
			return -1;
		sep = *p++;
	}
	return *p ? -1 : 0;
}

static const struct kb_pen_row *pen_row(uint32_t pen, size_t *idx)
{
	size_t lo = 0, hi = kb_pen_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (kb_pen[mid].number < pen)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < kb_pen_len && kb_pen[lo].number == pen) {
		*idx = lo;
		return &kb_pen[lo];
	}
	return NULL;
}

const char *kb_pen_name(uint32_t pen)
{
	size_t idx;
	const struct kb_pen_row *r = pen_row(pen, &idx);
	return r ? kb_pool + r->name : NULL;
}

int kb_pen_vendor(uint32_t pen)
{
	size_t idx;
	int v = kb_vendor_by_pen_claim(pen);
	if (v >= 0)
		return v;
	/* Unclaimed numbers map through the registrant name; 0 is "Reserved". */
	const struct kb_pen_row *r = pen ? pen_row(pen, &idx) : NULL;
	if (!r)
		return -1;
	return map_name_cached(&pen_cache, kb_pen_len, idx, kb_pool + r->name);
}

int kb_pen_maker(uint32_t pen)
{
	int v = kb_pen_vendor(pen);
	if (v >= 0 || !pen)
		return v;
	size_t idx;
	const struct kb_pen_row *r = pen_row(pen, &idx);
	return r && r->org != KB_NO_ORG ? kb_org_maker(r->org) : -1;
}

int kb_oid_parse(const char *s, uint32_t *arcs, int maxarcs)
{
	int n = 0;
	if (*s == '.')
		s++;
	if (!*s)
		return -1;
	while (*s) {
		if (!isdigit((unsigned char)*s))
			return -1;
		unsigned long long v = 0;
		while (isdigit((unsigned char)*s)) {
			v = v * 10 + (unsigned)(*s - '0');
			if (v > 0xffffffffULL)
				return -1;
			s++;
		}
		if (n >= maxarcs)
			return -1;
		arcs[n++] = (uint32_t)v;
		if (*s == '.') {
			s++;
			if (!*s)
				return -1;
		} else if (*s)
			return -1;
	}
	return n;
}

int kb_oid_pen(const uint32_t *arcs, int n, uint32_t *pen)
{
	static const uint32_t ent[] = {1, 3, 6, 1, 4, 1};
	if (n < 7)
		return -1;
	for (int i = 0; i < 6; i++)
		if (arcs[i] != ent[i])
			return -1;
	*pen = arcs[6];
	return 0;
}

static int xrow_cmp(const void *a, const void *b)
{
	const struct xrow *x = a, *y = b;
	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

static void extra_add(int bits, uint64_t prefix, const char *name, const char *cc)
{
	struct xtab *x = &extra[bits_index(bits)];
	x->r = xrealloc(x->r, (x->n + 1) * sizeof *x->r);
	struct xrow *r = &x->r[x->n++];
	r->prefix = prefix;
	r->name = xstrdup(name);
	snprintf(r->cc, sizeof r->cc, "%s", cc ? cc : "");
	r->vendor = UNMAPPED;
}

/* The same rule as gen_kb.py: the country is the last two-letter token
 * of the address that is an upper-case pair. (Without the ISO list we
 * accept any pair; a newer file is the user's own choice.) */
static void country_from_address(const char *addr, char cc[3])
{
	cc[0] = 0;
	size_t n = strlen(addr);
	for (size_t i = n; i >= 2; i--) {
		size_t s = i - 2;
		if (isupper((unsigned char)addr[s]) && isupper((unsigned char)addr[s + 1]) &&
		    (s == 0 || addr[s - 1] == ' ' || addr[s - 1] == ',') &&
		    (s + 2 == n || addr[s + 2] == ' ' || addr[s + 2] == '"' || addr[s + 2] == ',')) {
			cc[0] = addr[s];
			cc[1] = addr[s + 1];
			cc[2] = 0;
			return;
		}
	}
}

/* Split one CSV line (RFC 4180 quoting) into at most 4 fields in place. */
static int csv_split(char *line, char **f, int maxf)
{
	int n = 0;
	char *p = line, *o;
	while (n < maxf) {
		f[n++] = o = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					break;
				if (*p == '"' && p[1] == '"') {
					*o++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else
					*o++ = *p++;
			}
			while (*p && *p != ',')
				p++;
		} else {
			while (*p && *p != ',')
				*o++ = *p++;
		}
		int more = *p == ',';
		if (*p)
			p++;
		*o = 0;
		if (!more)
			break;
	}
	return n;
}

int kb_load_registry(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = os_read_file(path, 256u << 20, &len, err, errlen);
	if (!text)
		return -1;
	if (kb_init(err, errlen) < 0) {
		free(text);
		return -1;
	}
	int is_csv = !strncmp(text, "Registry,Assignment", 19);
	size_t rows = 0;
	int lineno = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		size_t ll = strlen(line);
		if (ll && line[ll - 1] == '\r')
			line[--ll] = 0;
		if (is_csv) {
			char *f[4] = {0};
			if (lineno == 1)
				continue;
			int nf = csv_split(line, f, 4);
			if (nf < 3)
				continue;
			size_t hl = strlen(f[1]);
			int bits = (int)hl * 4;
			if (bits != 24 && bits != 28 && bits != 36)
				continue;
			char *endp;
			uint64_t pfx = strtoull(f[1], &endp, 16);
			if (*endp)
				continue;
			char cc[3];
			country_from_address(nf > 3 ? f[3] : "", cc);
			extra_add(bits, pfx, os_trim(f[2]), cc);
			rows++;
		} else {
			if (!*line || *line == '#')
				continue;
			char *tab1 = strchr(line, '\t');
			if (!tab1)
				continue;
			*tab1 = 0;
			char *short_name = tab1 + 1, *long_name = NULL;
			char *tab2 = strchr(short_name, '\t');
			if (tab2) {
				*tab2 = 0;
				long_name = tab2 + 1;
				char *tab3 = strchr(long_name, '\t');
				if (tab3)
					*tab3 = 0;
			}
			int bits = 24;
			char *slash = strchr(line, '/');
			if (slash) {
				*slash = 0;
				bits = atoi(slash + 1);
			}
			if (bits != 24 && bits != 28 && bits != 36)
				continue;
			uint8_t b[6] = {0};
			int nb = 0;
			for (char *p = line; *p && nb < 6;) {
				int h1 = hexval((unsigned char)p[0]), h2 = h1 >= 0 ? hexval((unsigned char)p[1]) : -1;
				if (h1 < 0 || h2 < 0)
					break;
				b[nb++] = (uint8_t)(h1 << 4 | h2);
				p += 2;
				if (*p == ':' || *p == '-' || *p == '.')
					p++;
			}
			if (nb < 3)
				continue;
			uint64_t v = 0;
			for (int i = 0; i < 6; i++)
				v = v << 8 | b[i];
			const char *name = long_name && *long_name ? long_name : short_name;
			extra_add(bits, v >> (48 - bits), os_trim((char *)name), "");
			rows++;
		}
	}
	free(text);
	if (!rows) {
		os_seterr(err, errlen, "%s: no registry rows found (want an IEEE CSV or a Wireshark manuf file)", path);
		return -1;
	}
	for (int i = 0; i < 3; i++)
		if (extra[i].n)
			qsort(extra[i].r, extra[i].n, sizeof *extra[i].r, xrow_cmp);
	return 0;
}

void kb_each_registrant(void (*cb)(void *ctx, const char *name), void *ctx)
{
	for (size_t i = 0; i < kb_oui24_len; i++)
		cb(ctx, kb_pool + kb_oui24[i].name);
	for (size_t i = 0; i < kb_oui28_len; i++)
		cb(ctx, kb_pool + kb_oui28[i].name);
	for (size_t i = 0; i < kb_oui36_len; i++)
		cb(ctx, kb_pool + kb_oui36[i].name);
	for (size_t i = 0; i < kb_pen_len; i++)
		cb(ctx, kb_pool + kb_pen[i].name);
}
