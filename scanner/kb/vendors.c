/* Vendors: canonical ids, the names that map to them, ownership over time.
 *
 * Name lookup is an exact match on the normalised name (hash table), then
 * the anchored patterns. A name two vendors' patterns both claim maps to
 * no vendor: an ambiguous answer in a report is a wrong answer.
 *
 * Cost: about 200 bytes per vendor plus its aliases; lookups by name are
 * cached by callers (MAC and enterprise tables keep one int per row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_int.h"
#include "kb_tables.h"
#include "util.h"

struct plink {
	char *parent_id;
	int parent;
	int from, to;           /* YYYYMMDD; 0 = open end */
};

struct vendor {
	struct kb_vendor pub;
	char *alias_raw_note;
	pcre2_code **match;
	char **match_src;
	size_t nmatch;
	struct plink *links;
	size_t nlinks;
	uint32_t *pens;
	size_t npens;
	int chip, stack;
	struct kb_text *texts;  /* names written in free text (text = ...) */
	size_t ntexts;
};

static struct vendor *vendors;
static size_t nvendors;

/* Open-addressing hash: key string -> vendor index. */
struct hslot {
	char *key;
	int val;
};
static struct hslot *ids, *aliases;
static size_t ids_cap, aliases_cap, ids_n, aliases_n;

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct hslot *hfind(struct hslot *t, size_t cap, const char *k)
{
	if (!cap)
		return NULL;
	for (size_t i = fnv(k) & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (!t[i].key)
			return &t[i];
		if (!strcmp(t[i].key, k))
			return &t[i];
	}
}

static void hput(struct hslot **t, size_t *cap, size_t *n, const char *k, int v)
{
	if ((*n + 1) * 2 > *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct hslot *nt = xcalloc(ncap, sizeof *nt);
		for (size_t i = 0; i < *cap; i++)
			if ((*t)[i].key)
				*hfind(nt, ncap, (*t)[i].key) = (*t)[i];
		free(*t);
		*t = nt;
		*cap = ncap;
	}
	struct hslot *s = hfind(*t, *cap, k);
	if (!s->key) {
		s->key = xstrdup(k);
		(*n)++;
	}
	s->val = v;
}

int kb_parse_range(const char *s, int *from, int *to)
{
	/* "FROM..TO", either end may be empty; no range = always. */
	const char *dots = strstr(s, "..");
	char a[16] = "", b[16] = "";
	*from = *to = 0;
	if (!dots)
		return -1;
	size_t al = (size_t)(dots - s);
	if (al >= sizeof a || strlen(dots + 2) >= sizeof b)
		return -1;
	memcpy(a, s, al);
	a[al] = 0;
	strcpy(b, dots + 2);
	if (*a && (*from = os_parse_date(a)) < 0)
		return -1;
	if (*b && (*to = os_parse_date(b)) < 0)
		return -1;
	if (*from && *to && *to <= *from)
		return -1;
	return 0;
}

static struct vendor *vendor_get_or_add(const char *id)
{
	struct hslot *h = hfind(ids, ids_cap, id);
	if (h && h->key)
		return &vendors[h->val];
	vendors = xrealloc(vendors, (nvendors + 1) * sizeof *vendors);
	struct vendor *v = &vendors[nvendors];
	memset(v, 0, sizeof *v);
	v->pub.id = xstrdup(id);
	hput(&ids, &ids_cap, &ids_n, id, (int)nvendors);
	nvendors++;
	return v;
}

static void set_str(const char **dst, const char *val)
{
	free((char *)*dst);
	*dst = xstrdup(val);
}

int kb_vendors_load(const struct stanza *s, size_t n, char *err, size_t errlen)
{
	char norm[512], e[256];

	for (size_t i = 0; i < n; i++) {
		if (strcmp(s[i].type, "vendor"))
			continue;
		struct vendor *v = vendor_get_or_add(s[i].id);
		int vi = (int)(v - vendors);
		for (size_t j = 0; j < s[i].nkv; j++) {
			const struct kv *kv = &s[i].kv[j];
			const char *k = kv->key, *val = kv->val;
			if (!strcmp(k, "name"))
				set_str(&v->pub.name, val);
			else if (!strcmp(k, "legal"))
				set_str(&v->pub.legal, val);
			else if (!strcmp(k, "country")) {
				if (strlen(val) != 2) {
					os_seterr(err, errlen, "%s:%d: country must be ISO 3166 alpha-2", s[i].file, kv->line);
					return -1;
				}
				set_str(&v->pub.country, val);
			} else if (!strcmp(k, "kind")) {
				if (strcmp(val, "equipment") && strcmp(val, "chip") && strcmp(val, "odm") &&
				    strcmp(val, "software") && strcmp(val, "brand") && strcmp(val, "stack"))
					kb_unknown(s[i].file, kv->line, "unknown vendor kind '%s'", val);
				set_str(&v->pub.kind, val);
				v->chip = !strcmp(val, "chip");
				v->stack = !strcmp(val, "stack");
			} else if (!strcmp(k, "note"))
				set_str(&v->pub.note, val);
			else if (!strcmp(k, "alias")) {
				kb_normalise_name(val, strlen(val), norm, sizeof norm);
				if (!*norm) {
					kb_note(s[i].file, kv->line, "alias '%s' normalises to nothing", val);
					continue;
				}
				struct hslot *h = hfind(aliases, aliases_cap, norm);
				if (h && h->key && h->val != vi) {
					os_seterr(err, errlen, "%s:%d: alias '%s' (%s) already belongs to vendor %s",
					          s[i].file, kv->line, val, norm, vendors[h->val].pub.id);
					return -1;
				}
				hput(&aliases, &aliases_cap, &aliases_n, norm, vi);
			} else if (!strcmp(k, "match")) {
				if (val[0] != '^') {
					os_seterr(err, errlen, "%s:%d: match pattern must be anchored with ^", s[i].file, kv->line);
					return -1;
				}
				pcre2_code *re = kb_compile(val, "", e, sizeof e);
				if (!re) {
					os_seterr(err, errlen, "%s:%d: %s", s[i].file, kv->line, e);
					return -1;
				}
				v->match = xrealloc(v->match, (v->nmatch + 1) * sizeof *v->match);
				v->match_src = xrealloc(v->match_src, (v->nmatch + 1) * sizeof *v->match_src);
				v->match[v->nmatch] = re;
				v->match_src[v->nmatch++] = xstrdup(val);
			} else if (!strcmp(k, "enterprise")) {
				char *endp;
				unsigned long pen = strtoul(val, &endp, 10);
				if (*endp || !*val) {
					os_seterr(err, errlen, "%s:%d: enterprise must be a number", s[i].file, kv->line);
					return -1;
				}
				v->pens = xrealloc(v->pens, (v->npens + 1) * sizeof *v->pens);
				v->pens[v->npens++] = (uint32_t)pen;
			} else if (!strcmp(k, "text")) {
				struct kb_text t;
				if (kb_text_parse(val, &t, e, sizeof e) < 0) {
					os_seterr(err, errlen, "%s:%d: %s", s[i].file, kv->line, e);
					return -1;
				}
				v->texts = xrealloc(v->texts, (v->ntexts + 1) * sizeof *v->texts);
				v->texts[v->ntexts++] = t;
			} else if (!strcmp(k, "parent")) {
				char pid[128], range[64] = "";
				int nf = sscanf(val, "%127s %63s", pid, range);
				struct plink l = {0};
				if (nf < 1 || (nf == 2 && kb_parse_range(range, &l.from, &l.to) < 0)) {
					os_seterr(err, errlen, "%s:%d: parent wants 'ID [FROM..TO]'", s[i].file, kv->line);
					return -1;
				}
				l.parent_id = xstrdup(pid);
				l.parent = -1;
				v->links = xrealloc(v->links, (v->nlinks + 1) * sizeof *v->links);
				v->links[v->nlinks++] = l;
			} else
				kb_unknown(s[i].file, kv->line, "unknown vendor key '%s'", k);
		}
		if (!v->pub.name || !v->pub.country) {
			os_seterr(err, errlen, "%s:%d: vendor %s needs name and country", s[i].file, s[i].line, v->pub.id);
			return -1;
		}
		if (!v->pub.kind)
			v->pub.kind = xstrdup("equipment");
		/* The display name and id always map to the vendor too. */
		kb_normalise_name(v->pub.name, strlen(v->pub.name), norm, sizeof norm);
		struct hslot *h = hfind(aliases, aliases_cap, norm);
		if (*norm && !(h && h->key))
			hput(&aliases, &aliases_cap, &aliases_n, norm, vi);
	}
	return 0;
}

int kb_vendors_resolve(char *err, size_t errlen)
{
	for (size_t i = 0; i < nvendors; i++)
		for (size_t j = 0; j < vendors[i].nlinks; j++) {
			struct plink *l = &vendors[i].links[j];
			l->parent = kb_vendor_find(l->parent_id);
			if (l->parent < 0) {
				os_seterr(err, errlen, "vendor %s: unknown parent '%s'", vendors[i].pub.id, l->parent_id);
				return -1;
			}
			if (l->parent == (int)i) {
				os_seterr(err, errlen, "vendor %s is its own parent", vendors[i].pub.id);
				return -1;
			}
		}
	return 0;
}

size_t kb_vendor_count(void)
{
	return nvendors;
}

/* ---- registry-only makers: organisations no vendor stanza claims ----
 * Handle KB_ORG_BASE + i names kb_org[i]. Its public record is made on
 * first use (id "reg." + slug, the registered name, the registry's
 * country) and kept: reports ask for the same few again and again. */
static struct kb_vendor **orgv;

static int is_org(int v)
{
	return v >= KB_ORG_BASE && (size_t)(v - KB_ORG_BASE) < kb_org_len;
}

static const struct kb_vendor *org_vendor(size_t i)
{
	if (!orgv)
		orgv = xcalloc(kb_org_len ? kb_org_len : 1, sizeof *orgv);
	if (!orgv[i]) {
		const struct kb_org_row *o = &kb_org[i];
		struct kb_vendor *kv = xcalloc(1, sizeof *kv);
		kv->id = xasprintf("reg.%s", kb_pool + o->slug);
		kv->name = kb_pool + o->name;
		kv->legal = kb_pool + o->name;
		char cc[3] = {o->cc[0], o->cc[1], 0};
		kv->country = xstrdup(cc);
		kv->kind = "registry-only";
		kv->note = o->flags & KB_ORG_CC_FROM_NAME
		                   ? "registry-only maker: its registered name; country from the place its name states"
		           : *cc ? "registry-only maker: its registered name and the country of its IEEE address"
		                 : "registry-only maker: its registered name; no registry states its country";
		orgv[i] = kv;
	}
	return orgv[i];
}

const struct kb_vendor *kb_vendor(int v)
{
	if (is_org(v))
		return org_vendor((size_t)(v - KB_ORG_BASE));
	return v >= 0 && (size_t)v < nvendors ? &vendors[v].pub : NULL;
}

int kb_vendor_is_registry_only(int v)
{
	return is_org(v);
}

int kb_vendor_find(const char *id)
{
	if (id && !strncmp(id, "reg.", 4)) {
		size_t lo = 0, hi = kb_org_len;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(kb_pool + kb_org[kb_org_by_slug[mid]].slug, id + 4);
			if (!c)
				return KB_ORG_BASE + (int)kb_org_by_slug[mid];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return -1;
	}
	struct hslot *h = id ? hfind(ids, ids_cap, id) : NULL;
	return h && h->key ? h->val : -1;
}

int kb_vendor_is_chip(int v)
{
	return v >= 0 && (size_t)v < nvendors && vendors[v].chip;
}

int kb_vendor_names_device(int v)
{
	if (is_org(v))
		return 1;
	return v >= 0 && (size_t)v < nvendors && !vendors[v].chip && !vendors[v].stack;
}

/* The organisation whose normalised name, spaces removed, is key (rows
 * are sorted so: their slugs without the '-'). */
static int org_cmp_key(const char *slug, const char *key)
{
	for (;; slug++) {
		while (*slug == '-')
			slug++;
		if (*slug != *key || !*key)
			return (unsigned char)*slug - (unsigned char)*key;
		key++;
	}
}

int kb_org_by_name(const char *name, size_t len)
{
	char norm[512], key[512];
	size_t nl = kb_normalise_name(name, len, norm, sizeof norm), k = 0;
	for (size_t i = 0; i < nl; i++)
		if (norm[i] != ' ')
			key[k++] = norm[i];
	key[k] = 0;
	if (!k)
		return -1;
	size_t lo = 0, hi = kb_org_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = org_cmp_key(kb_pool + kb_org[mid].slug, key);
		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* An organisation as a maker: the curated vendor its registered name
 * maps to, else itself (registry-only). Cached per organisation. */
static int32_t *org_maker_cache;

int kb_org_maker(uint32_t org)
{
	if (org >= kb_org_len)
		return -1;
	if (!org_maker_cache) {
		org_maker_cache = xmalloc(kb_org_len * sizeof *org_maker_cache);
		for (size_t i = 0; i < kb_org_len; i++)
			org_maker_cache[i] = -2;
	}
	if (org_maker_cache[org] == -2) {
		const char *n = kb_pool + kb_org[org].name;
		int v = kb_vendor_by_name(n, strlen(n));
		org_maker_cache[org] = v >= 0 ? v : KB_ORG_BASE + (int)org;
	}
	return org_maker_cache[org];
}

int kb_maker_by_name(const char *name, size_t len)
{
	int v = kb_vendor_by_name(name, len);
	if (v >= 0)
		return v;
	int o = kb_org_by_name(name, len);
	return o >= 0 ? kb_org_maker((uint32_t)o) : -1;
}

void kb_vendor_each_alias(void (*cb)(void *ctx, const char *alias, int v), void *ctx)
{
	for (size_t i = 0; i < aliases_cap; i++)
		if (aliases[i].key)
			cb(ctx, aliases[i].key, aliases[i].val);
}

size_t kb_org_count(void)
{
	return kb_org_len;
}

size_t kb_vendor_texts(int v, const struct kb_text **out)
{
	if (v < 0 || (size_t)v >= nvendors) {
		*out = NULL;
		return 0;
	}
	*out = vendors[v].texts;
	return vendors[v].ntexts;
}

int kb_vendor_by_name(const char *name, size_t len)
{
	char norm[512];
	if (!name || !len)
		return -1;
	size_t nl = kb_normalise_name(name, len, norm, sizeof norm);
	if (!nl)
		return -1;
	struct hslot *h = hfind(aliases, aliases_cap, norm);
	if (h && h->key)
		return h->val;
	static pcre2_match_data *md;
	if (!md)
		md = pcre2_match_data_create(4, NULL);
	int found = -1;
	for (size_t i = 0; i < nvendors; i++)
		for (size_t j = 0; j < vendors[i].nmatch; j++)
			if (pcre2_match(vendors[i].match[j], (PCRE2_SPTR)norm, nl, 0, 0, md, NULL) >= 0) {
				if (found >= 0 && found != (int)i)
					return -1;      /* two vendors claim it: say nothing */
				found = (int)i;
			}
	return found;
}

int kb_vendor_parent(int v, int date)
{
	if (v < 0 || (size_t)v >= nvendors)     /* registry-only makers have none */
		return -1;
	for (size_t j = 0; j < vendors[v].nlinks; j++) {
		const struct plink *l = &vendors[v].links[j];
		if ((!l->from || date >= l->from) && (!l->to || date < l->to))
			return l->parent;
	}
	return -1;
}

int kb_vendor_group(int v, int date)
{
	int g = v;
	for (int depth = 0; depth < 16; depth++) {
		int p = kb_vendor_parent(g, date);
		if (p < 0)
			return g;
		g = p;
	}
	return g;   /* a cycle in the data: stop rather than loop */
}

/* Enterprise numbers claimed in vendors/ (enterprise = N) win over name
 * mapping of the IANA registrant. */
int kb_vendor_by_pen_claim(uint32_t pen)
{
	for (size_t i = 0; i < nvendors; i++)
		for (size_t j = 0; j < vendors[i].npens; j++)
			if (vendors[i].pens[j] == pen)
				return (int)i;
	return -1;
}
