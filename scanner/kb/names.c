/* Names in free text: which maker a banner, a description or a maker
 * field names, when no fingerprint rule knows the text.
 *
 * One index over three kinds of names, matched on whole words (runs of
 * ASCII letters and digits, case-blind unless an entry says otherwise):
 *   - product lines and operating systems (data/lines): "Catalyst",
 *     "Quidway", "NetScreen" -> a maker, with the dates ownership moved;
 *   - the curated vendors' names, aliases and text names (data/vendors);
 *   - every registered organisation's distinctive name and core word,
 *     compiled by gen_kb.py into an open-addressing table (kb_names).
 * Lookups hash each word once and extend the hash word by word (FNV-1a,
 * the hash gen_kb.py uses), so a banner costs a few dozen probes; a
 * bitmap of first words skips most words at once.
 *
 * Guards: a name is not taken when the words around it say it names
 * something else ("compatible with an HP JETDIRECT", "for Cisco",
 * "powered by", "HP compatible"), when it sits inside a URL, a domain or
 * an e-mail address ("www.apple.com"), or when an entry that is an
 * ordinary English word appears in lower case ("network", "apple").
 * Chip makers and software stacks named in text name a part, not the
 * device, and are skipped.
 *
 * Cost: the curated part is built on first use (a few thousand entries,
 * about 100 bytes each); the registry part is read-only data. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb_int.h"
#include "kb_tables.h"
#include "util.h"

/* ---------------------------------------------------------------- product lines */

struct owner {
	int maker;
	int from, to;           /* YYYYMMDD, 0 = open end */
};

struct line {
	char *name;             /* as written in data/lines */
	int flags;              /* KB_T_* */
	struct owner *own;
	size_t nown;
};

static struct line *lines;
static size_t nlines;

int kb_text_parse(const char *val, struct kb_text *out, char *err, size_t errlen)
{
	char buf[256];
	const char *bar = strchr(val, '|');
	size_t tl = bar ? (size_t)(bar - val) : strlen(val);
	if (tl >= sizeof buf) {
		os_seterr(err, errlen, "name too long");
		return -1;
	}
	memcpy(buf, val, tl);
	buf[tl] = 0;
	char *t = os_trim(buf);
	size_t n = strlen(t);
	out->flags = 0;
	if (n && t[n - 1] == '*') {
		t[--n] = 0;
		out->flags |= KB_T_PREFIX;
	}
	int alnum = 0;
	for (size_t i = 0; i < n; i++)
		alnum += isalnum((unsigned char)t[i]) && (unsigned char)t[i] < 128;
	if (!alnum) {
		os_seterr(err, errlen, "name '%s' has no letters or digits", val);
		return -1;
	}
	for (const char *f = bar ? bar + 1 : ""; *f;) {
		while (*f == ' ' || *f == '\t')
			f++;
		size_t fl = strcspn(f, " \t");
		if (!fl)
			break;
		if (fl == 6 && !strncmp(f, "strong", 6))
			out->flags |= KB_T_STRONG;
		else if (fl == 4 && !strncmp(f, "case", 4))
			out->flags |= KB_T_CASE;
		else {
			os_seterr(err, errlen, "unknown name flag '%.*s' (want strong, case)", (int)fl, f);
			return -1;
		}
		f += fl;
	}
	out->text = xstrdup(t);
	return 0;
}

static int index_built;

/* [lines GROUP] stanzas: "PRODUCT LINE = MAKER [FROM..TO]; MAKER FROM.. | flags" */
int kb_lines_load(const struct stanza *s, size_t n, char *err, size_t errlen)
{
	char e[256];
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s[i].type, "lines"))
			continue;
		for (size_t j = 0; j < s[i].nkv; j++) {
			const struct kv *kv = &s[i].kv[j];
			struct kb_text t;
			char spec[512];
			const char *bar = strchr(kv->val, '|');
			size_t sl = bar ? (size_t)(bar - kv->val) : strlen(kv->val);
			char *tv = xasprintf("%s%s", kv->key, bar ? bar : "");
			int rc = kb_text_parse(tv, &t, e, sizeof e);
			free(tv);
			if (rc < 0 || sl >= sizeof spec) {
				os_seterr(err, errlen, "%s:%d: %s", s[i].file, kv->line, rc < 0 ? e : "line too long");
				return -1;
			}
			memcpy(spec, kv->val, sl);
			spec[sl] = 0;
			struct line L = {t.text, t.flags, NULL, 0};
			char *save = NULL;
			for (char *part = strtok_r(spec, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
				char id[128], range[64] = "";
				int nf = sscanf(part, "%127s %63s", id, range);
				struct owner o = {-1, 0, 0};
				if (nf < 1 || (nf == 2 && kb_parse_range(range, &o.from, &o.to) < 0)) {
					os_seterr(err, errlen, "%s:%d: want 'MAKER [FROM..TO]; ...'", s[i].file, kv->line);
					free(L.name);
					free(L.own);
					return -1;
				}
				o.maker = kb_vendor_find(id);
				if (o.maker < 0) {
					os_seterr(err, errlen, "%s:%d: unknown maker '%s'", s[i].file, kv->line, id);
					free(L.name);
					free(L.own);
					return -1;
				}
				L.own = xrealloc(L.own, (L.nown + 1) * sizeof *L.own);
				L.own[L.nown++] = o;
			}
			if (!L.nown) {
				os_seterr(err, errlen, "%s:%d: a product line needs a maker", s[i].file, kv->line);
				free(L.name);
				return -1;
			}
			lines = xrealloc(lines, (nlines + 1) * sizeof *lines);
			lines[nlines++] = L;
		}
	}
	index_built = 0;        /* a user file may add lines: rebuild on next use */
	return 0;
}

int kb_line_maker(int line, int date)
{
	if (line < 0 || (size_t)line >= nlines)
		return -1;
	const struct line *L = &lines[line];
	for (size_t i = 0; i < L->nown; i++)
		if ((!L->own[i].from || date >= L->own[i].from) && (!L->own[i].to || date < L->own[i].to))
			return L->own[i].maker;
	return -1;
}

const char *kb_line_name(int line)
{
	return line >= 0 && (size_t)line < nlines ? lines[line].name : NULL;
}

/* ---------------------------------------------------------------- the curated index */

static uint32_t fnv_step(uint32_t h, unsigned char c)
{
	return (h ^ c) * 16777619u;
}
#define FNV0 2166136261u

/* precedence: lower wins a key. C_PREFIX marks the leading words of a
 * longer key, so that a lookup knows to go on to the next word */
enum { C_LINE = 1, C_TEXT, C_ALIAS, C_NAME, C_PREFIX };
struct cent {
	char *key;              /* lower-case words joined by ' ', '*' last for a prefix */
	uint32_t h;             /* key_hash(key) */
	int target;             /* maker handle, or a line */
	int src;                /* C_* */
	int flags;              /* KB_T_* */
};
static struct cent *cents;
static size_t ncents;
static uint32_t *cslots;        /* entry + 1 */
static size_t ccap;
#define FIRST_MASK ((1u << KB_NAME_FIRST_BITS) - 1)
static uint32_t cfirst[(1u << KB_NAME_FIRST_BITS) / 32];
static uint32_t prefix_lens;    /* bit L: some prefix entry's last word keeps L letters */
static int cmaxwords = 1;

static uint32_t key_hash(const char *k)
{
	uint32_t h = FNV0;
	for (; *k; k++)
		h = fnv_step(h, (unsigned char)*k);
	return h;
}

/* words of s, lowered, joined by one space; 0 if none */
static size_t key_of(const char *s, char *out, size_t outlen, int *nwords)
{
	size_t o = 0;
	int words = 0, in = 0;
	for (; *s && o + 2 < outlen; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 128 && isalnum(c)) {
			if (!in && words)
				out[o++] = ' ';
			if (!in)
				words++;
			in = 1;
			out[o++] = (char)tolower(c);
		} else
			in = 0;
	}
	out[o] = 0;
	*nwords = words;
	return o;
}

static int ordinary_word(const char *w)
{
	size_t lo = 0, hi = kb_ordinary_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(kb_pool + kb_ordinary[mid], w);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void cinsert(const char *key, int target, int src, int flags)
{
	if ((ncents + 1) * 2 > ccap) {
		size_t nc = ccap ? ccap * 2 : 4096;
		uint32_t *ns = xcalloc(nc, sizeof *ns);
		for (size_t i = 0; i < ccap; i++)
			if (cslots[i]) {
				size_t j = cents[cslots[i] - 1].h & (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = cslots[i];
			}
		free(cslots);
		cslots = ns;
		ccap = nc;
	}
	uint32_t h = key_hash(key);
	size_t j = h & (ccap - 1);
	for (; cslots[j]; j = (j + 1) & (ccap - 1)) {
		struct cent *c = &cents[cslots[j] - 1];
		if (c->h == h && !strcmp(c->key, key)) {
			/* the first real entry keeps a key; a marker gives way */
			if (c->src == C_PREFIX && src != C_PREFIX) {
				c->target = target;
				c->src = src;
				c->flags = flags;
			}
			return;
		}
	}
	cents = xrealloc(cents, (ncents + 1) * sizeof *cents);
	cents[ncents] = (struct cent){xstrdup(key), h, target, src, flags};
	cslots[j] = (uint32_t)++ncents;
}

static void cput(const char *written, int target, int src, int flags)
{
	char key[256];
	int nw;
	size_t kl = key_of(written, key, sizeof key - 1, &nw);
	if (!kl || nw > 8)
		return;
	/* one word that is an ordinary English word, or two letters, is a
	 * name only when written with a capital ("Apple", "HP") */
	if (nw == 1 && (ordinary_word(key) || kl <= 2))
		flags |= KB_T_CASE;
	if (flags & KB_T_PREFIX) {
		const char *sp = strrchr(key, ' ');
		size_t last = kl - (sp ? (size_t)(sp + 1 - key) : 0);
		if (last >= 32)
			return;
		prefix_lens |= 1u << last;
		key[kl++] = '*';
		key[kl] = 0;
	}
	cinsert(key, target, src, flags);
	/* its leading words, so that lookups go on to the next word */
	for (size_t k = 0; k < kl; k++)
		if (key[k] == ' ') {
			key[k] = 0;
			cinsert(key, -1, C_PREFIX, 0);
			key[k] = ' ';
		}
	char first[64];
	size_t fl = strcspn(key, " *");
	if (fl < sizeof first) {
		memcpy(first, key, fl);
		first[fl] = 0;
		uint32_t fh = key_hash(first) & FIRST_MASK;
		cfirst[fh >> 5] |= 1u << (fh & 31);
	}
	if (nw > cmaxwords)
		cmaxwords = nw;
}

static void alias_cb(void *ctx, const char *alias, int v)
{
	(void)ctx;
	cput(alias, v, C_ALIAS, 0);
}

static void build(void)
{
	for (size_t i = 0; i < ncents; i++)
		free(cents[i].key);
	free(cents);
	free(cslots);
	cents = NULL;
	cslots = NULL;
	ncents = ccap = 0;
	memset(cfirst, 0, sizeof cfirst);
	prefix_lens = 0;
	for (size_t i = 0; i < nlines; i++)
		cput(lines[i].name, (int)i, C_LINE, lines[i].flags);
	size_t nv = kb_vendor_count();
	for (size_t v = 0; v < nv; v++) {
		const struct kb_text *t;
		size_t nt = kb_vendor_texts((int)v, &t);
		for (size_t j = 0; j < nt; j++)
			cput(t[j].text, (int)v, C_TEXT, t[j].flags);
	}
	kb_vendor_each_alias(alias_cb, NULL);
	for (size_t v = 0; v < nv; v++) {
		/* the display name up to a parenthesis or a slash:
		 * "HMN Technologies (formerly Huawei Marine)" */
		char nm[256];
		snprintf(nm, sizeof nm, "%s", kb_vendor((int)v)->name);
		nm[strcspn(nm, "(/")] = 0;
		cput(nm, (int)v, C_NAME, 0);
	}
	index_built = 1;
}

static const struct cent *cfind(const char *key, uint32_t h)
{
	if (!ccap)
		return NULL;
	for (size_t j = h & (ccap - 1); cslots[j]; j = (j + 1) & (ccap - 1)) {
		const struct cent *c = &cents[cslots[j] - 1];
		if (c->h == h && !strcmp(c->key, key))
			return c;
	}
	return NULL;
}

/* the hash is compared first: the text only on a hash match */
static const struct kb_name_row *rfind(const char *key, uint32_t h)
{
	size_t cap = kb_name_slots_len;
	if (!cap)
		return NULL;
	for (size_t j = h & (cap - 1); kb_name_slots[j]; j = (j + 1) & (cap - 1)) {
		uint64_t e = kb_name_slots[j];
		if ((uint32_t)(e >> 32) != h)
			continue;
		const struct kb_name_row *r = &kb_names[(uint32_t)e - 1];
		if (!strcmp(kb_pool + r->text, key))
			return r;
	}
	return NULL;
}

/* ---------------------------------------------------------------- matching */

#define MAXTOK 96
struct tok {
	size_t s, e;            /* byte offsets in the text */
	uint32_t h;             /* FNV of the lowered word */
};

static int is_word(const char *w, const char *t, size_t n)
{
	size_t l = strlen(w);
	if (l != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)t[i]) != w[i])
			return 0;
	return 1;
}

static int tok_is(const unsigned char *v, const struct tok *t, const char *w)
{
	return is_word(w, (const char *)v + t->s, t->e - t->s);
}

static int tok_in(const unsigned char *v, const struct tok *t, const char *const *ws)
{
	for (; *ws; ws++)
		if (tok_is(v, t, *ws))
			return 1;
	return 0;
}

/* Words around a name that say it names something the device is like,
 * works with or is built on, not its maker. */
static const char *const near_words[] = {
	"compatible", "compat", "compliant", "emulation", "emulates", "emulating", "emulate",
	"replacement", "replaces", "clone", "powered", "interoperable", "equivalent", NULL};
static const char *const before_words[] = {
	"for", "via", "using", "like", "vs", "versus", "than", "not", "non", "supports", "support",
	"supporting", "replacing", NULL};
static const char *const based_words[] = {"based", "built", "runs", "running", NULL};

static int guarded(const unsigned char *v, size_t len, const struct tok *tk, int nt, int i, int n)
{
	size_t s = tk[i].s, e = tk[i + n - 1].e;
	/* inside a URL, a domain, a path or an e-mail address */
	size_t cs = s, ce = e;
	while (cs > 0 && v[cs - 1] > ' ')
		cs--;
	while (ce < len && v[ce] > ' ')
		ce++;
	for (size_t k = cs; k < ce; k++)
		if (v[k] == '@' || (k + 3 <= ce && !memcmp(v + k, "://", 3)) ||
		    (k + 4 <= ce && (k == cs || v[k - 1] == '/' || v[k - 1] == '.') &&
		     !strncasecmp((const char *)v + k, "www.", 4)))
			return 1;
	if (s >= 2 && (v[s - 1] == '.' || v[s - 1] == '/' || v[s - 1] == '\\') && isalnum(v[s - 2]))
		return 1;
	if (e + 1 < len && v[e] == '.' && isalpha(v[e + 1]))
		return 1;
	/* the words just before and after */
	for (int k = i - 3; k < i; k++)
		if (k >= 0 && tok_in(v, &tk[k], near_words))
			return 1;
	for (int k = i + n; k < i + n + 3 && k < nt; k++)
		if (tok_in(v, &tk[k], near_words))
			return 1;
	if (i >= 1 && tok_in(v, &tk[i - 1], before_words))
		return 1;
	if (i >= 2 && tok_is(v, &tk[i - 1], "on") && tok_in(v, &tk[i - 2], based_words))
		return 1;
	if (i >= 2 && tok_is(v, &tk[i - 1], "by") && tok_is(v, &tk[i - 2], "powered"))
		return 1;
	return 0;
}

/* KB_T_CASE: every word matched begins with a capital or a digit */
static int case_ok(const unsigned char *v, const struct tok *tk, int i, int n)
{
	for (int k = i; k < i + n; k++)
		if (!isupper(v[tk[k].s]) && !isdigit(v[tk[k].s]))
			return 0;
	return 1;
}

struct found {
	int maker, line, how, strong;
	int i, n;
};

/* A longer match replaces a shorter one; the same maker's longer
 * spelling keeps the shorter one's strength ("Huawei" strong, then the
 * alias "Huawei Technologies"). */
static void take(struct found *best, const struct cent *c, int i, int n)
{
	int line = c->src == C_LINE;
	int strong = !!(c->flags & KB_T_STRONG) ||
	             (best->n && !line && best->line < 0 && best->maker == c->target && best->strong);
	*best = (struct found){line ? -1 : c->target, line ? c->target : -1,
	                       line ? KB_NAMED_LINE : KB_NAMED_VENDOR, strong, i, n};
}

static int today(void)
{
	static int d;
	if (!d) {
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		d = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	}
	return d;
}

static void copy_seen(char *dst, const unsigned char *v, size_t s, size_t e)
{
	size_t n = e - s < KB_FIELD - 1 ? e - s : KB_FIELD - 1;
	for (size_t k = 0; k < n; k++)
		dst[k] = v[s + k] < ' ' || v[s + k] == 0x7f ? ' ' : (char)v[s + k];
	dst[n] = 0;
}

int kb_names_find(const void *text, size_t len, int flags, struct kb_name_hit *out)
{
	const unsigned char *v = text;
	struct tok tk[MAXTOK];
	int nt = 0;
	memset(out, 0, sizeof *out);
	out->maker = out->brand = out->line = -1;
	if (!index_built) {
		kb_rules_ensure();      /* the product lines load with the rules */
		build();
	}
	for (size_t p = 0; p < len && nt < MAXTOK;) {
		while (p < len && !(v[p] < 128 && isalnum(v[p])))
			p++;
		if (p >= len)
			break;
		tk[nt].s = p;
		uint32_t h = FNV0;
		while (p < len && v[p] < 128 && isalnum(v[p]))
			h = fnv_step(h, (unsigned char)tolower(v[p++]));
		tk[nt].e = p;
		tk[nt].h = h;
		nt++;
	}
	struct found f[16];
	int nf = 0;
	int maxw = cmaxwords > kb_name_maxwords ? cmaxwords : kb_name_maxwords, guarded_to = -1;
	char key[260];
	for (int i = 0; i < nt && nf < 16; i++) {
		uint32_t fb = tk[i].h & FIRST_MASK;
		int in_reg = kb_name_first[fb >> 5] >> (fb & 31) & 1, in_cur = cfirst[fb >> 5] >> (fb & 31) & 1;
		/* a one-word prefix entry ("WNR*") is filed under its prefix:
		 * try the word's beginnings of the lengths such entries have */
		for (uint32_t pl = prefix_lens; !in_cur && pl;) {
			size_t L = (size_t)__builtin_ctz(pl);
			pl &= pl - 1;
			if (L > tk[i].e - tk[i].s)
				break;
			uint32_t ph = FNV0;
			for (size_t k = 0; k < L; k++)
				ph = fnv_step(ph, (unsigned char)tolower(v[tk[i].s + k]));
			ph &= FIRST_MASK;
			in_cur = cfirst[ph >> 5] >> (ph & 31) & 1;
		}
		if (!in_reg && !in_cur)
			continue;
		size_t kl = 0;
		uint32_t h = FNV0;
		struct found best = {-1, -1, 0, 0, i, 0};
		for (int n = 1; n <= maxw && i + n <= nt; n++) {
			const struct tok *t = &tk[i + n - 1];
			size_t wl = t->e - t->s;
			if (kl + wl + 3 >= sizeof key)
				break;
			if (n > 1) {
				key[kl++] = ' ';
				h = fnv_step(h, ' ');
			}
			/* product-line prefixes: the last word cut to each length used */
			for (uint32_t pl = prefix_lens; in_cur && pl;) {
				int L = __builtin_ctz(pl);
				pl &= pl - 1;
				if ((size_t)L > wl)
					continue;
				uint32_t ph = h;
				for (int k = 0; k < L; k++) {
					key[kl + (size_t)k] = (char)tolower(v[t->s + (size_t)k]);
					ph = fnv_step(ph, (unsigned char)key[kl + (size_t)k]);
				}
				key[kl + (size_t)L] = '*';
				key[kl + (size_t)L + 1] = 0;
				ph = fnv_step(ph, '*');
				const struct cent *c = cfind(key, ph);
				if (c && (!(c->flags & KB_T_CASE) || case_ok(v, tk, i, n)))
					take(&best, c, i, n);
			}
			for (size_t k = 0; k < wl; k++) {
				key[kl] = (char)tolower(v[t->s + k]);
				h = fnv_step(h, (unsigned char)key[kl++]);
			}
			key[kl] = 0;
			const struct cent *c = in_cur ? cfind(key, h) : NULL;
			const struct kb_name_row *r = in_reg ? rfind(key, h) : NULL;
			if (!c && !r)
				break;          /* no name goes on from these words */
			in_cur = c != NULL;
			in_reg = r != NULL;
			if (c && c->src != C_PREFIX && (!(c->flags & KB_T_CASE) || case_ok(v, tk, i, n))) {
				take(&best, c, i, n);
				continue;
			}
			if (r && !(r->flags & KB_NAME_PREFIX)) {
				int m = kb_org_maker(r->org);
				/* a longer spelling of the name just found keeps its strength */
				int strong = best.n && best.line < 0 && best.maker == m && best.strong;
				best = (struct found){m, -1, KB_NAMED_REGISTRY, strong, i, n};
			}
		}
		if (!best.n)
			continue;
		/* a guarded name takes the names right after it along ("for
		 * Cisco Aironet", "compatible with an HP JETDIRECT EX") */
		if (i == guarded_to || guarded(v, len, tk, nt, i, best.n)) {
			guarded_to = i + best.n;
			i += best.n - 1;
			continue;
		}
		/* a registrant's word glued to others by punctuation is part of
		 * some token ("HW:RevL", "mod_ssl"), not a name */
		if (best.how == KB_NAMED_REGISTRY) {
			size_t s0 = tk[i].s, e0 = tk[i + best.n - 1].e;
			if ((s0 > 0 && strchr(":=_.", v[s0 - 1]) && s0 > 1 && v[s0 - 2] > ' ') ||
			    (e0 < len && strchr(":=_", v[e0])))
				continue;
			if (flags & KB_NAMES_NO_REGISTRY)
				continue;
		}
		if (best.line >= 0) {
			best.maker = kb_line_maker(best.line, today());
			if (best.maker < 0)
				continue;
		}
		if (best.maker < 0 || !kb_vendor_names_device(best.maker))
			continue;
		if ((flags & KB_NAMES_LINES_ONLY) && best.how != KB_NAMED_LINE)
			continue;
		/* a registry entry that maps to a curated vendor speaks for it */
		if (best.how == KB_NAMED_REGISTRY && !kb_vendor_is_registry_only(best.maker))
			best.how = KB_NAMED_VENDOR;
		f[nf++] = best;
		i += best.n - 1;
	}
	if (!nf)
		return 0;
	/* the product line first, then a curated name, then a registry name;
	 * among equals the first in the text */
	int pick = 0;
	for (int k = 1; k < nf; k++)
		if (f[k].how < f[pick].how)
			pick = k;
	const struct found *b = &f[pick];
	int d = today(), g = kb_vendor_group(b->maker, d);
	out->maker = b->maker;
	out->line = b->line;
	out->how = b->how;
	out->strong = b->strong;
	copy_seen(out->seen, v, tk[b->i].s, tk[b->i + b->n - 1].e);
	if (b->line >= 0)
		snprintf(out->product, sizeof out->product, "%s", lines[b->line].name);
	for (int k = 0; k < nf; k++) {
		if (k == pick || kb_vendor_group(f[k].maker, d) == g)
			continue;
		/* a maker's name next to another maker's product line is the
		 * brand on the box (an HP-branded Comware switch) */
		if (b->line >= 0 && out->brand < 0 && f[k].line < 0 && f[k].how != KB_NAMED_REGISTRY)
			out->brand = f[k].maker;
		else if (f[k].how <= KB_NAMED_VENDOR || b->how == KB_NAMED_REGISTRY)
			out->conflicts++;
	}
	return 1;
}
