/* Fingerprint rules: classify one evidence value (a sysDescr, a banner,
 * a certificate subject ...) into vendor, product, model, firmware, role.
 *
 * Speed: a value is not run through every pattern. Each rule has
 * needles, literals one of which must occur in the value (given in the
 * stanza, or derived from the pattern: derive_needles). One pass over the
 * value looks up every 3-byte window in a small hash of needle prefixes,
 * so only rules whose needle occurs are tried; rules without needles are
 * always tried.
 * Patterns are compiled (and JIT-compiled) on first use, so start-up
 * costs nothing for kinds a run never sees.
 *
 * Precedence (as p0f's specific/generic signatures): the highest weight
 * among matching specific rules wins, ties go to load order; generic
 * rules speak only when no specific rule matched. Other matching rules
 * naming another vendor are counted as conflicts, not dropped silently.
 *
 * Not thread-safe: one match-data block and the lazily built indexes
 * are shared. Attribution and `identify` call it from one thread.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_int.h"
#include "util.h"

static const char *const kind_names[KB_KIND__COUNT] = {
	"snmp-sysdescr", "snmp-sysobjectid", "lldp-sysdesc", "cdp-platform",
	"cdp-version", "ssh-banner", "telnet-banner", "http-server",
	"tls-subject", "dhcp-vendor-class", "diameter-product", "ran-node-name",
	"oss-version", "oss-product",
};
static const int kind_weight[KB_KIND__COUNT] = {85, 90, 75, 80, 80, 60, 55, 50, 60, 55, 45, 40, 70, 70};

static const char *const roles[] = {"ran", "core", "transport", "access", "enterprise",
                                    "it", "iot", "mgmt"};
static const char *const functions[] = {
	"enb", "gnb", "bbu", "rru", "small-cell", "mme", "amf", "smf", "upf", "sgw", "pgw",
	"hss", "udm", "pcrf", "pcf", "dra", "ggsn", "sgsn", "msc", "ims", "router", "switch",
	"firewall", "olt", "ont", "dslam", "cmts", "wlc", "ap", "microwave", "optical",
	"camera", "nvr", "radio", "modem", "cpe", "server", "hypervisor", "storage",
	"printer", "phone", "ems", "load-balancer", "sbc",
};

enum { F_VENDOR, F_PRODUCT, F_MODEL, F_FIRMWARE, F_ROLE, F_FUNCTION, F_CPE, F_BRAND, F__N };
static const char *const field_names[F__N] = {"vendor", "product", "model", "firmware", "role",
                                              "function", "cpe", "brand"};

struct rule {
	const char *id;
	const char *file;
	int line, kind;
	const char *pattern, *flags;
	pcre2_code *re;
	int state;              /* 0 not compiled yet, 1 ready, -1 failed */
	int jit;                /* JIT-compiled: matched through pcre2_jit_match */
	char **needles;         /* lower case; one occurs in every match */
	size_t nneedles;        /* 0: tried on every value */
	uint32_t *arcs;         /* snmp-sysobjectid */
	int narcs, oid_prefix;
	const char *tmpl[F__N]; /* role/function are constants */
	int vendor;             /* constant vendor, or -1 */
	int brand;              /* the brand on the box when vendor made it for another, or -1 */
	int vendor_tmpl;        /* vendor comes from a {N} template */
	int weight, generic;
	struct kb_example *ex;
	size_t nex;
};

static struct rule *rules;
static size_t nrules, rules_cap;

/* rule id -> index, for duplicate detection while loading */
static struct {
	const char *id;
	size_t idx;
} *rule_ids;
static size_t rule_ids_cap;

static uint64_t id_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int rule_find(const char *id)
{
	if (!rule_ids_cap)
		return -1;
	for (size_t i = id_hash(id) & (rule_ids_cap - 1); rule_ids[i].id; i = (i + 1) & (rule_ids_cap - 1))
		if (!strcmp(rule_ids[i].id, id))
			return (int)rule_ids[i].idx;
	return -1;
}

static void rule_index_add(const char *id, size_t idx)
{
	if ((nrules + 1) * 2 > rule_ids_cap) {
		size_t ncap = rule_ids_cap ? rule_ids_cap * 2 : 2048;
		void *old = rule_ids;
		size_t ocap = rule_ids_cap;
		rule_ids = xcalloc(ncap, sizeof *rule_ids);
		rule_ids_cap = ncap;
		for (size_t i = 0; i < ocap; i++) {
			const char *oid = ((typeof(rule_ids))old)[i].id;
			if (oid) {
				size_t j = id_hash(oid) & (ncap - 1);
				while (rule_ids[j].id)
					j = (j + 1) & (ncap - 1);
				rule_ids[j].id = oid;
				rule_ids[j].idx = ((typeof(rule_ids))old)[i].idx;
			}
		}
		free(old);
	}
	size_t j = id_hash(id) & (rule_ids_cap - 1);
	while (rule_ids[j].id)
		j = (j + 1) & (rule_ids_cap - 1);
	rule_ids[j].id = id;
	rule_ids[j].idx = idx;
}
static unsigned generation = 1;         /* bumps when rules are added */

#define NBUCKET 4096
struct kindex {
	unsigned built_gen;
	struct bent {                       /* a needle, without touching its rule */
		size_t ri;
		const char *needle;
		size_t nlen;
	} *bucket[NBUCKET];
	size_t bucket_n[NBUCKET];
	size_t *always;                     /* rules without a needle */
	size_t nalways;
	uint64_t occupied[NBUCKET / 64];    /* bucket_n[b] != 0 */
	size_t *all;                        /* every rule of the kind (oid kinds) */
	size_t nall;
};
static struct kindex kidx[KB_KIND__COUNT];
static unsigned *stamp;
static unsigned stamp_gen;
static pcre2_match_data *md;

const char *kb_kind_name(int kind)
{
	return kind >= 0 && kind < KB_KIND__COUNT ? kind_names[kind] : "?";
}

int kb_kind_parse(const char *s)
{
	for (int i = 0; i < KB_KIND__COUNT; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return -1;
}

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

int kb_role_known(const char *s)
{
	return in_list(s, roles, OS_ARRAY_LEN(roles));
}

int kb_function_known(const char *s)
{
	return in_list(s, functions, OS_ARRAY_LEN(functions));
}

static void rule_needles(struct rule *r, char *explicit_needle);

int kb_rules_load(const struct stanza *s, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s[i].type, "rule"))
			continue;
		int dup = rule_find(s[i].id);
		if (dup >= 0) {
			os_seterr(err, errlen, "%s:%d: rule id %s already defined at %s:%d", s[i].file, s[i].line,
			          s[i].id, rules[dup].file, rules[dup].line);
			return -1;
		}
		struct rule r;
		memset(&r, 0, sizeof r);
		r.id = s[i].id;         /* stanza text stays alive (kb.c keeps it) */
		r.file = s[i].file;
		r.line = s[i].line;
		r.kind = -1;
		r.vendor = r.brand = -1;
		r.weight = -1;
		int kinds[KB_KIND__COUNT], nkinds = 0;
		struct kb_example *cur = NULL;
		char *explicit_needle = NULL;
		for (size_t j = 0; j < s[i].nkv; j++) {
			const struct kv *kv = &s[i].kv[j];
			const char *k = kv->key, *val = kv->val;
			if (kv->indent && cur) {
				int f;
				for (f = 0; f < F__N; f++)
					if (!strcmp(k, field_names[f]))
						break;
				if (f == F__N) {
					os_seterr(err, errlen, "%s:%d: unknown expectation '%s' (want %s, %s, %s, %s, %s, %s, %s or %s)",
					          s[i].file, kv->line, k, field_names[0], field_names[1], field_names[2],
					          field_names[3], field_names[4], field_names[5], field_names[6], field_names[7]);
					return -1;
				}
				cur->want[f] = val;
				continue;
			}
			if (!strcmp(k, "kind")) {
				/* one or more kinds: the same text reaches us as sysDescr,
				 * LLDP system description and CDP version alike */
				char *copy = xstrdup(val), *save = NULL;
				nkinds = 0;
				for (char *t = strtok_r(copy, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
					int kd = kb_kind_parse(t);
					if (kd < 0 || nkinds == KB_KIND__COUNT) {
						os_seterr(err, errlen, "%s:%d: unknown rule kind '%s'", s[i].file, kv->line, t);
						free(copy);
						return -1;
					}
					kinds[nkinds++] = kd;
				}
				free(copy);
				r.kind = nkinds ? kinds[0] : -1;
				if (nkinds > 1)
					for (int q = 0; q < nkinds; q++)
						if (kinds[q] == KB_SYSOBJECTID) {
							os_seterr(err, errlen, "%s:%d: snmp-sysobjectid rules take no other kind",
							          s[i].file, kv->line);
							return -1;
						}
			} else if (!strcmp(k, "pattern")) {
				r.pattern = val;
			} else if (!strcmp(k, "flags")) {
				r.flags = val;
			} else if (!strcmp(k, "needle")) {
				free(explicit_needle);
				explicit_needle = xstrdup(val);
			} else if (!strcmp(k, "oid") || !strcmp(k, "oid-prefix")) {
				uint32_t arcs[128];
				int na = kb_oid_parse(val, arcs, 128);
				if (na < 2) {
					os_seterr(err, errlen, "%s:%d: bad OID '%s'", s[i].file, kv->line, val);
					return -1;
				}
				r.arcs = xmalloc((size_t)na * sizeof *r.arcs);
				memcpy(r.arcs, arcs, (size_t)na * sizeof *arcs);
				r.narcs = na;
				r.oid_prefix = !strcmp(k, "oid-prefix");
			} else if (!strcmp(k, "vendor") || !strcmp(k, "product") || !strcmp(k, "model") ||
			           !strcmp(k, "firmware") || !strcmp(k, "role") || !strcmp(k, "function") ||
			           !strcmp(k, "cpe") || !strcmp(k, "brand")) {
				int f;
				for (f = 0; f < F__N; f++)
					if (!strcmp(k, field_names[f]))
						break;
				r.tmpl[f] = val;
			} else if (!strcmp(k, "weight")) {
				r.weight = atoi(val);
				if (r.weight < 1 || r.weight > 100) {
					os_seterr(err, errlen, "%s:%d: weight must be 1..100", s[i].file, kv->line);
					return -1;
				}
			} else if (!strcmp(k, "generic")) {
				r.generic = !strcmp(val, "yes") || !strcmp(val, "true") || !strcmp(val, "1");
			} else if (!strcmp(k, "example") || !strcmp(k, "counter")) {
				r.ex = xrealloc(r.ex, (r.nex + 1) * sizeof *r.ex);
				cur = &r.ex[r.nex++];
				memset(cur, 0, sizeof *cur);
				/* unescaped on first use (kb_rule_get): start-up need not */
				cur->value = val;
				cur->len = (size_t)-1;
				cur->counter = !strcmp(k, "counter");
				cur->line = kv->line;
			} else
				kb_unknown(s[i].file, kv->line, "unknown rule key '%s'", k);
		}
		if (r.kind < 0) {
			os_seterr(err, errlen, "%s:%d: rule %s has no kind", s[i].file, s[i].line, r.id);
			return -1;
		}
		if (r.kind == KB_SYSOBJECTID ? !r.arcs : !r.pattern) {
			os_seterr(err, errlen, "%s:%d: rule %s needs %s", s[i].file, s[i].line, r.id,
			          r.kind == KB_SYSOBJECTID ? "oid or oid-prefix" : "pattern");
			return -1;
		}
		int explicit_weight = r.weight;
		if (r.weight < 0)
			r.weight = kind_weight[r.kind];
		if (r.tmpl[F_ROLE] && *r.tmpl[F_ROLE] && !in_list(r.tmpl[F_ROLE], roles, OS_ARRAY_LEN(roles))) {
			os_seterr(err, errlen, "%s:%d: rule %s: unknown role '%s'", s[i].file, s[i].line, r.id,
			          r.tmpl[F_ROLE]);
			return -1;
		}
		if (r.tmpl[F_FUNCTION] && *r.tmpl[F_FUNCTION] &&
		    !in_list(r.tmpl[F_FUNCTION], functions, OS_ARRAY_LEN(functions)))
			kb_unknown(s[i].file, s[i].line, "rule %s: unknown function '%s'", r.id, r.tmpl[F_FUNCTION]);
		if (r.tmpl[F_CPE] && strncmp(r.tmpl[F_CPE], "cpe:2.3:", 8)) {
			os_seterr(err, errlen, "%s:%d: rule %s: cpe must be a CPE 2.3 name (cpe:2.3:part:vendor:product:...)",
			          s[i].file, s[i].line, r.id);
			return -1;
		}
		const char *vt = r.tmpl[F_VENDOR];
		if (vt && *vt) {
			if (strchr(vt, '{'))
				r.vendor_tmpl = 1;
			else if ((r.vendor = kb_vendor_find(vt)) < 0) {
				os_seterr(err, errlen, "%s:%d: rule %s: unknown vendor '%s'", s[i].file, s[i].line,
				          r.id, vt);
				return -1;
			}
		}
		if (r.tmpl[F_BRAND] && *r.tmpl[F_BRAND] && (r.brand = kb_vendor_find(r.tmpl[F_BRAND])) < 0) {
			os_seterr(err, errlen, "%s:%d: rule %s: unknown brand '%s'", s[i].file, s[i].line, r.id,
			          r.tmpl[F_BRAND]);
			return -1;
		}
		if (!r.nex)
			kb_note(s[i].file, s[i].line, "rule %s has no example", r.id);
		if (r.pattern) {
			rule_needles(&r, explicit_needle);
			explicit_needle = NULL;
		}
		free(explicit_needle);
		rule_index_add(r.id, nrules);
		/* one entry per kind; an explicit weight is for the first kind and
		 * keeps its distance from the kind's default for the others */
		for (int q = 0; q < nkinds; q++) {
			struct rule rk = r;
			rk.kind = kinds[q];
			if (explicit_weight < 0)
				rk.weight = kind_weight[rk.kind];
			else {
				int w = explicit_weight + kind_weight[rk.kind] - kind_weight[kinds[0]];
				rk.weight = w < 1 ? 1 : w > 100 ? 100 : w;
			}
			/* the kinds share the needles: rules live as long as the process */
			if (nrules == rules_cap) {
				rules_cap = rules_cap ? rules_cap * 2 : 512;
				rules = xrealloc(rules, rules_cap * sizeof *rules);
			}
			rules[nrules++] = rk;
		}
	}
	generation++;
	return 0;
}

static int compile_rule(struct rule *r, char *err, size_t errlen)
{
	char e[256];
	if (r->state)
		return r->state > 0 ? 0 : -1;
	if (!r->pattern) {
		r->state = 1;
		return 0;
	}
	r->re = kb_compile(r->pattern, r->flags, e, sizeof e);
	if (!r->re) {
		r->state = -1;
		os_seterr(err, errlen, "%s:%d: rule %s: %s", r->file, r->line, r->id, e);
		/* A broken user rule must not stay silent at match time either. */
		kb_note(r->file, r->line, "rule %s: %s", r->id, e);
		return -1;
	}
	size_t jsz = 0;
	r->jit = pcre2_pattern_info(r->re, PCRE2_INFO_JITSIZE, &jsz) == 0 && jsz > 0;
	r->state = 1;
	return 0;
}

int kb_rules_compile_all(char *err, size_t errlen)
{
	int rc = 0;
	if (kb_rules_ensure() < 0) {
		os_seterr(err, errlen, "built-in rules failed to load (see notes)");
		rc = -1;
	}
	for (size_t i = 0; i < nrules; i++)
		if (compile_rule(&rules[i], err, errlen) < 0)
			rc = -1;
	return rc;
}

/* tolower() of every byte, as a table: the window hash below runs over
 * every byte of every value, and a call per byte costs more than the
 * lookups it guards (the C locale's tolower: ASCII letters only). */
static unsigned char lower[256];

static void lower_init(void)
{
	if (lower['A'])
		return;
	for (int c = 0; c < 256; c++)
		lower[c] = (unsigned char)tolower(c);
}

static unsigned h3(const unsigned char *p)
{
	unsigned a = lower[p[0]], b = lower[p[1]], c = lower[p[2]];
	return ((a * 31 + b) * 31 + c) & (NBUCKET - 1);
}

/* Needles of a rule whose stanza names none: a small set of
 * lower-case literals of which every match of the pattern contains at
 * least one (found by walking the pattern: a run of mandatory literal
 * bytes, or a mandatory group each of whose alternatives has such a
 * set). The rule is then tried only on values containing one of them,
 * which changes no answer: a value without any cannot match. Anything
 * the walk does not fully understand (inline options, \Q, \x, back
 * references, POSIX classes, extended mode ...) gives no set, and the
 * rule is tried on every value as before. */
#define NSET_MAX 16
struct nset {
	char *s[NSET_MAX];
	size_t n;
};

static void nset_free(struct nset *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->s[i]);
	ns->n = 0;
}

static size_t nset_minlen(const struct nset *ns)
{
	size_t m = SIZE_MAX;
	for (size_t i = 0; i < ns->n; i++)
		if (strlen(ns->s[i]) < m)
			m = strlen(ns->s[i]);
	return m;
}

/* keep the better of *best and *cand (longest shortest needle, then
 * fewest needles); frees the other */
static void nset_consider(struct nset *best, struct nset *cand)
{
	if (!cand->n)
		return;
	if (!best->n || nset_minlen(cand) > nset_minlen(best) ||
	    (nset_minlen(cand) == nset_minlen(best) && cand->n < best->n)) {
		nset_free(best);
		*best = *cand;
		cand->n = 0;
	} else
		nset_free(cand);
}

static void nset_consider_run(struct nset *best, const char *run, size_t rl)
{
	if (rl < 3)
		return;
	struct nset c = {{xstrndup(run, rl)}, 1};
	nset_consider(best, &c);
}

/* past the character class opened at p, or NULL */
static const char *skip_class(const char *p, const char *end)
{
	p++;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	while (p < end && *p != ']') {
		if (*p == '\\') {
			if (p + 2 > end)
				return NULL;
			p += 2;
			continue;
		}
		if (*p == '[' && p + 1 < end && (p[1] == ':' || p[1] == '.' || p[1] == '='))
			return NULL;
		p++;
	}
	return p < end ? p + 1 : NULL;
}

/* the ')' closing the group opened at p, or NULL */
static const char *group_end(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\') {
			if (++p >= end)
				return NULL;
			continue;
		}
		if (*p == '[') {
			const char *q = skip_class(p, end);
			if (!q)
				return NULL;
			p = q - 1;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
	}
	return NULL;
}

/* the quantifier at p, if any: past it (p itself when none), or NULL */
static const char *skip_quant(const char *p, const char *end, int *quantified, int *optional)
{
	*quantified = *optional = 0;
	if (p >= end)
		return p;
	if (*p == '?' || *p == '*') {
		*quantified = *optional = 1;
		p++;
	} else if (*p == '+') {
		*quantified = 1;
		p++;
	} else if (*p == '{') {
		const char *q = p + 1;
		int min = 0;
		if (q >= end || !isdigit((unsigned char)*q))
			return NULL;
		while (q < end && isdigit((unsigned char)*q)) {
			if (min < 1000)
				min = min * 10 + (*q - '0');
			q++;
		}
		if (q < end && *q == ',')
			for (q++; q < end && isdigit((unsigned char)*q); q++)
				;
		if (q >= end || *q != '}')
			return NULL;
		*quantified = 1;
		*optional = min == 0;
		p = q + 1;
	} else
		return p;
	if (p < end && (*p == '?' || *p == '+'))
		p++;
	return p;
}

static int alt_needles(const char *p, const char *end, struct nset *out, int depth);

/* needles of a sequence without top-level alternation: 0, or -1 none */
static int seq_needles(const char *p, const char *end, struct nset *best, int depth)
{
	char run[128];
	size_t rl = 0;
	best->n = 0;
	while (p < end) {
		int lit = -1, zero = 0, qd, opt;
		struct nset gs = {{0}, 0};
		const char *next;
		unsigned char c = (unsigned char)*p;
		if (c == '\\') {
			if (p + 2 > end)
				goto fail;
			unsigned char e = (unsigned char)p[1];
			if (ispunct(e))
				lit = e;
			else if (e && strchr("bBAzZG", e))
				zero = 1;
			else if (!e || !strchr("dDwWsShHvVRnrtfea", e))
				goto fail;      /* \Q \x \1 \p \K ...: not understood */
			next = p + 2;
		} else if (c == '[') {
			if (!(next = skip_class(p, end)))
				goto fail;
		} else if (c == '(') {
			const char *ge = group_end(p, end), *in = p + 1;
			if (!ge)
				goto fail;
			if (*in == '?') {
				if (in[1] == ':')
					in += 2;
				else if (in[1] == '=' || in[1] == '!' || (in[1] == '<' && (in[2] == '=' || in[2] == '!')))
					zero = 1;       /* a lookaround: nothing of its own */
				else
					goto fail;      /* options, names, comments ... */
			} else if (*in == '*')
				goto fail;              /* (*VERB) */
			if (!zero && alt_needles(in, ge, &gs, depth + 1) < 0)
				gs.n = 0;
			next = ge + 1;
		} else if (c == '^' || c == '$') {
			zero = 1;
			next = p + 1;
		} else if (c == '.') {
			next = p + 1;
		} else if (strchr("|)*+?{", c)) {
			goto fail;
		} else {
			lit = c;
			next = p + 1;
		}
		const char *after = skip_quant(next, end, &qd, &opt);
		if (!after) {
			nset_free(&gs);
			goto fail;
		}
		if (lit >= 0 && !opt) {
			if (rl < sizeof run)
				run[rl++] = (char)tolower(lit);
			if (qd) {               /* x+: the run cannot go on past it */
				nset_consider_run(best, run, rl);
				rl = 0;
			}
		} else {
			nset_consider_run(best, run, rl);
			rl = 0;
		}
		if (gs.n && !opt)
			nset_consider(best, &gs);
		else
			nset_free(&gs);
		(void)zero;
		p = after;
	}
	nset_consider_run(best, run, rl);
	return best->n ? 0 : -1;
fail:
	nset_free(best);
	return -1;
}

/* needles of alternatives: the union of each one's, if each has some */
static int alt_needles(const char *p, const char *end, struct nset *out, int depth)
{
	out->n = 0;
	if (depth > 16)
		return -1;
	const char *a = p;
	for (const char *q = p;; q++) {
		if (q < end && *q == '\\') {
			if (++q >= end)
				goto fail;
			continue;
		}
		if (q < end && *q == '[') {
			const char *r = skip_class(q, end);
			if (!r)
				goto fail;
			q = r - 1;
			continue;
		}
		if (q < end && *q == '(') {
			const char *r = group_end(q, end);
			if (!r)
				goto fail;
			q = r;
			continue;
		}
		if (q < end && *q != '|')
			continue;
		struct nset one;
		if (seq_needles(a, q, &one, depth) < 0)
			goto fail;
		if (out->n + one.n > NSET_MAX) {
			nset_free(&one);
			goto fail;
		}
		for (size_t i = 0; i < one.n; i++)
			out->s[out->n++] = one.s[i];
		if (q >= end)
			break;
		a = q + 1;
	}
	return 0;
fail:
	nset_free(out);
	return -1;
}

static void derive_needles(const char *pat, const char *flags, struct nset *out)
{
	out->n = 0;
	if (!pat || (flags && strchr(flags, 'x')))
		return;
	alt_needles(pat, pat + strlen(pat), out, 0);
}

/* A rule's needles: the one its stanza names (taken over), else those
 * derived from its pattern; none shorter than 3 bytes (the window). */
static void rule_needles(struct rule *r, char *explicit_needle)
{
	struct nset ns = {{0}, 0};
	if (explicit_needle) {
		for (char *c = explicit_needle; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (strlen(explicit_needle) >= 3)
			ns.s[ns.n++] = explicit_needle;
		else
			free(explicit_needle);
	} else
		derive_needles(r->pattern, r->flags, &ns);
	r->nneedles = ns.n;
	r->needles = ns.n ? xmalloc(ns.n * sizeof *r->needles) : NULL;
	if (ns.n)
		memcpy(r->needles, ns.s, ns.n * sizeof *r->needles);
}

/* strncasecmp(p, needle, n) == 0 for a lower-case needle */
static int needle_at(const unsigned char *p, const char *needle, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower[p[i]] != (unsigned char)needle[i])
			return 0;
	return 1;
}

static void build_index(int kind)
{
	struct kindex *k = &kidx[kind];
	if (k->built_gen == generation)
		return;
	for (int b = 0; b < NBUCKET; b++) {
		free(k->bucket[b]);
		k->bucket[b] = NULL;
		k->bucket_n[b] = 0;
	}
	free(k->always);
	free(k->all);
	k->always = k->all = NULL;
	k->nalways = k->nall = 0;
	lower_init();
	memset(k->occupied, 0, sizeof k->occupied);
	for (size_t i = 0; i < nrules; i++) {
		struct rule *r = &rules[i];
		if (r->kind != kind)
			continue;
		k->all = xrealloc(k->all, (k->nall + 1) * sizeof *k->all);
		k->all[k->nall++] = i;
		for (size_t j = 0; j < r->nneedles; j++) {
			unsigned b = h3((const unsigned char *)r->needles[j]);
			k->bucket[b] = xrealloc(k->bucket[b], (k->bucket_n[b] + 1) * sizeof **k->bucket);
			k->bucket[b][k->bucket_n[b]++] = (struct bent){i, r->needles[j], strlen(r->needles[j])};
			k->occupied[b >> 6] |= 1ULL << (b & 63);
		}
		if (!r->nneedles) {
			k->always = xrealloc(k->always, (k->nalways + 1) * sizeof *k->always);
			k->always[k->nalways++] = i;
		}
	}
	free(stamp);
	stamp = xcalloc(nrules + 1, sizeof *stamp);
	stamp_gen = 0;
	k->built_gen = generation;
}

/* Expand "{N}" references; collapse runs of whitespace/control bytes to
 * one space and trim, so a model never carries a \r\n from the banner. */
/* cpe: the captured text goes into one component of a CPE 2.3 name:
 * lower case, and anything but letters, digits, '.', '-' and '_' made '_'
 * (CPE dictionaries write "ASR 9010" as asr_9010; ':' would end the
 * component). */
static void expand_as(const char *tmpl, const unsigned char *subj, const PCRE2_SIZE *ov, int nmatch,
                      char *out, size_t outlen, int cpe)
{
	size_t o = 0;
	int space = 1;
	if (!outlen)
		return;
	out[0] = 0;
	if (!tmpl)
		return;
	for (const char *t = tmpl; *t && o + 1 < outlen;) {
		const unsigned char *src;
		size_t slen;
		unsigned char one;
		if (t[0] == '{' && isdigit((unsigned char)t[1])) {
			char *end;
			long g = strtol(t + 1, &end, 10);
			if (*end == '}') {
				t = end + 1;
				if (g < 0 || g >= nmatch || ov[2 * g] == PCRE2_UNSET)
					continue;
				src = subj + ov[2 * g];
				slen = ov[2 * g + 1] - ov[2 * g];
				goto copy;
			}
		}
		one = (unsigned char)*t++;
		src = &one;
		slen = 1;
	copy:
		for (size_t i = 0; i < slen && o + 1 < outlen; i++) {
			unsigned char c = src[i];
			if (cpe && src != &one) {
				c = (unsigned char)tolower(c);
				out[o++] = (char)(isalnum(c) || c == '.' || c == '-' || c == '_' ? c : '_');
				continue;
			}
			if (c <= ' ' || c == 0x7f) {
				if (!space)
					out[o++] = ' ';
				space = 1;
			} else {
				out[o++] = (char)c;
				space = 0;
			}
		}
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = 0;
}

static void expand(const char *tmpl, const unsigned char *subj, const PCRE2_SIZE *ov, int nmatch,
                   char *out, size_t outlen)
{
	expand_as(tmpl, subj, ov, nmatch, out, outlen, 0);
}

static void fill(const struct rule *r, const unsigned char *v, const PCRE2_SIZE *ov, int nm,
                 struct kb_extract *out)
{
	memset(out, 0, sizeof *out);
	out->vendor = r->vendor;
	out->brand = r->brand;
	out->line = -1;
	if (r->vendor_tmpl) {
		expand(r->tmpl[F_VENDOR], v, ov, nm, out->name_seen, sizeof out->name_seen);
		out->vendor = kb_maker_by_name(out->name_seen, strlen(out->name_seen));
		struct kb_name_hit nh;
		if (out->vendor < 0 && kb_names_find(out->name_seen, strlen(out->name_seen), 0, &nh)) {
			out->vendor = nh.maker;
			out->named = nh.how;
			out->strong = nh.strong;
		}
		if (out->vendor >= 0 && !kb_vendor_names_device(out->vendor))
			out->vendor = -1;
	}
	out->strong = out->strong || (!r->vendor_tmpl && r->vendor >= 0 && !r->generic);
	expand(r->tmpl[F_PRODUCT], v, ov, nm, out->product, sizeof out->product);
	expand(r->tmpl[F_MODEL], v, ov, nm, out->model, sizeof out->model);
	expand(r->tmpl[F_FIRMWARE], v, ov, nm, out->firmware, sizeof out->firmware);
	out->role = r->tmpl[F_ROLE] ? r->tmpl[F_ROLE] : "";
	out->function = r->tmpl[F_FUNCTION] ? r->tmpl[F_FUNCTION] : "";
	expand_as(r->tmpl[F_CPE], v, ov, nm, out->cpe, sizeof out->cpe, 1);
	out->weight = r->weight;
	out->generic = r->generic;
	out->rule_id = r->id;
}

static int try_rule(struct rule *r, const unsigned char *v, size_t len, struct kb_extract *out)
{
	if (compile_rule(r, NULL, 0) < 0)
		return 0;
	if (!md)
		md = pcre2_match_data_create(64, NULL);
	/* the JIT's own entry skips pcre2_match's argument checks, which
	 * hold here (no UTF mode, no options, offset 0): same answers */
	int rc = r->jit ? pcre2_jit_match(r->re, v, len, 0, 0, md, NULL) : pcre2_match(r->re, v, len, 0, 0, md, NULL);
	if (rc < 0)
		return 0;
	fill(r, v, pcre2_get_ovector_pointer(md), rc ? rc : 64, out);
	return 1;
}

static int classify_oid(const unsigned char *v, size_t len, struct kb_extract *out)
{
	char buf[1024];
	uint32_t arcs[128];
	if (len >= sizeof buf)
		return 0;
	memcpy(buf, v, len);
	buf[len] = 0;
	int na = kb_oid_parse(buf, arcs, 128);
	if (na < 0)
		return 0;
	struct kindex *k = &kidx[KB_SYSOBJECTID];
	const struct rule *best = NULL;
	for (size_t i = 0; i < k->nall; i++) {
		const struct rule *r = &rules[k->all[i]];
		if (r->narcs > na || (!r->oid_prefix && r->narcs != na))
			continue;
		if (memcmp(r->arcs, arcs, (size_t)r->narcs * sizeof *arcs))
			continue;
		if (!best || r->narcs > best->narcs ||
		    (r->narcs == best->narcs && !r->oid_prefix && best->oid_prefix) ||
		    (r->narcs == best->narcs && r->oid_prefix == best->oid_prefix && r->weight > best->weight))
			best = r;
	}
	if (!best)
		return 0;
	PCRE2_SIZE ov[2] = {0, len};
	fill(best, v, ov, 1, out);
	return 1;
}

/* A maker named in the text, as an extraction: weaker than the kind's
 * rules (a product line a little, a maker's name more, a registrant's
 * name most). */
/* A certificate subject's place fields (L=, ST=, C=, street ...) name
 * towns, not makers: blanked before the names are read. */
static size_t subject_without_places(const unsigned char *v, size_t len, unsigned char *out, size_t cap)
{
	static const char *const places[] = {"L", "ST", "C", "street", "postalCode", "emailAddress", NULL};
	size_t n = len < cap ? len : cap;
	memcpy(out, v, n);
	for (size_t i = 0; i < n; i++) {
		if (i && out[i - 1] != ',' && out[i - 1] != ' ' && out[i - 1] != '/')
			continue;
		for (const char *const *p = places; *p; p++) {
			size_t pl = strlen(*p), j = i + pl;
			while (j < n && out[j] == ' ')
				j++;
			if (i + pl <= n && !strncasecmp((const char *)out + i, *p, pl) && j < n && out[j] == '=') {
				size_t k = j + 1;
				while (k < n && out[k] != ',' && out[k] != '/' && !(out[k] == '\\' && k + 1 < n && out[k + 1] == ','))
					out[k++] = ' ';
				break;
			}
		}
	}
	return n;
}

/* The organisation (O=) of a certificate subject: who issued the device
 * its certificate names its maker more surely than the CN or OU do. */
static size_t subject_org(const unsigned char *v, size_t len, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if ((i && v[i - 1] != ',' && v[i - 1] != ' ' && v[i - 1] != '/') || v[i] != 'O')
			continue;
		size_t j = i + 1;
		while (j < len && v[j] == ' ')
			j++;
		if (j >= len || v[j] != '=')
			continue;
		for (j++; j < len && v[j] == ' '; j++)
			;
		while (j < len && v[j] != ',' && v[j] != '/' && o + 2 < cap) {
			if (v[j] == '\\' && j + 1 < len)
				j++;
			out[o++] = (char)v[j++];
		}
		out[o++] = ' ';
	}
	out[o] = 0;
	return o;
}

static int names_extract(int kind, const unsigned char *v, size_t len, int only, struct kb_extract *out)
{
	struct kb_name_hit nh;
	unsigned char tmp[1024];
	char org[512];
	int nflags = (kind == KB_SSH_BANNER || kind == KB_HTTP_SERVER ? KB_NAMES_NO_REGISTRY : 0) | only;
	int found = 0;
	if (kind == KB_TLS_SUBJECT) {
		size_t ol = subject_org(v, len, org, sizeof org);
		found = ol && kb_names_find(org, ol, nflags, &nh);
		len = subject_without_places(v, len, tmp, sizeof tmp);
		v = tmp;
	}
	if (!found && !kb_names_find(v, len, nflags, &nh))
		return 0;
	memset(out, 0, sizeof *out);
	out->role = out->function = "";
	static const int less[] = {0, 10, 15, 30};
	out->vendor = nh.maker;
	out->brand = nh.brand;
	out->line = nh.line;
	out->named = nh.how;
	out->strong = nh.strong;
	out->weight = kind_weight[kind] - less[nh.how];
	out->generic = nh.how != KB_NAMED_LINE;
	out->conflicts = nh.conflicts;
	snprintf(out->name_seen, sizeof out->name_seen, "%s", nh.seen);
	if (nh.line >= 0)
		snprintf(out->product, sizeof out->product, "%s", nh.product);
	out->rule_id = nh.how == KB_NAMED_LINE ? "name index: product line"
	             : nh.how == KB_NAMED_VENDOR ? "name index: maker name" : "name index: registered name";
	return 1;
}

int kb_classify(int kind, const void *value, size_t len, struct kb_extract *out)
{
	const unsigned char *v = value;
	if (kind < 0 || kind >= KB_KIND__COUNT)
		return 0;
	memset(out, 0, sizeof *out);
	out->vendor = out->brand = out->line = -1;
	kb_rules_ensure();
	build_index(kind);
	if (kind == KB_SYSOBJECTID)
		return classify_oid(v, len, out);

	struct kindex *k = &kidx[kind];
	/* Gather candidates: rules whose needle occurs, plus needle-less ones,
	 * in load order (it decides ties). The needle hits are few: sorted
	 * by insertion, then merged with the needle-less list (already in
	 * load order; the two never share a rule). */
	size_t hit_static[64], *hit = hit_static, nhit = 0, caph = 64;
	if (++stamp_gen == 0) {
		memset(stamp, 0, (nrules + 1) * sizeof *stamp);
		stamp_gen = 1;
	}
	/* h3() of each window, rolled: each byte is lowered once */
	unsigned l0 = len >= 3 ? lower[v[0]] : 0, l1 = len >= 3 ? lower[v[1]] : 0;
	for (size_t i = 0; i + 3 <= len; i++) {
		unsigned l2 = lower[v[i + 2]];
		unsigned b = ((l0 * 31 + l1) * 31 + l2) & (NBUCKET - 1);
		l0 = l1;
		l1 = l2;
		if (!(k->occupied[b >> 6] >> (b & 63) & 1))
			continue;
		for (size_t j = 0; j < k->bucket_n[b]; j++) {
			const struct bent *e = &k->bucket[b][j];
			size_t ri = e->ri;
			if (e->nlen > len - i || !needle_at(v + i, e->needle, e->nlen) || stamp[ri] == stamp_gen)
				continue;
			stamp[ri] = stamp_gen;
			if (nhit == caph) {
				caph *= 2;
				hit = hit == hit_static ? memcpy(xmalloc(caph * sizeof *hit), hit_static, sizeof hit_static)
				                        : xrealloc(hit, caph * sizeof *hit);
			}
			size_t at = nhit++;
			for (; at > 0 && hit[at - 1] > ri; at--)
				hit[at] = hit[at - 1];
			hit[at] = ri;
		}
	}
	size_t cand_static[256], *cand = cand_static, ncand = nhit + k->nalways;
	if (ncand > OS_ARRAY_LEN(cand_static))
		cand = xmalloc(ncand * sizeof *cand);
	for (size_t a = 0, h = 0, o = 0; o < ncand; o++)
		cand[o] = h < nhit && (a == k->nalways || hit[h] < k->always[a]) ? hit[h++] : k->always[a++];
	if (hit != hit_static)
		free(hit);

	int found = 0;
	struct kb_extract tmp;
	for (int pass = 0; pass < 2 && !found; pass++) {
		for (size_t i = 0; i < ncand; i++) {
			struct rule *r = &rules[cand[i]];
			if (r->generic != pass)
				continue;
			if (!try_rule(r, v, len, &tmp))
				continue;
			if (!found) {
				*out = tmp;
				found = 1;
			} else if (tmp.weight > out->weight) {
				int c = out->conflicts + (out->vendor >= 0 && out->vendor != tmp.vendor);
				const char *cr = out->vendor != tmp.vendor ? out->rule_id : out->conflict_rule;
				*out = tmp;
				out->conflicts = c;
				out->conflict_rule = cr;
			} else if (tmp.vendor >= 0 && tmp.vendor != out->vendor) {
				out->conflicts++;
				if (!out->conflict_rule)
					out->conflict_rule = tmp.rule_id;
			}
		}
	}
	if (cand != cand_static)
		free(cand);
	/* No rule: the names the text holds (product lines, makers' names).
	 * After a generic rule that names no maker, only what cannot be an
	 * operator's word: product lines in descriptions (a Linux sysDescr's
	 * host name is the operator's), product lines and vendors' names in
	 * banners. Operators choose RAN node names: those are left to rules. */
	if (!found && kind != KB_RAN_NODE_NAME)
		found = names_extract(kind, v, len, 0, out);
	else if (found && out->generic && out->vendor < 0 && kind != KB_RAN_NODE_NAME) {
		struct kb_extract g = *out;
		int only = kind == KB_SYSDESCR || kind == KB_LLDP_SYSDESC ? KB_NAMES_LINES_ONLY : KB_NAMES_NO_REGISTRY;
		/* the maker from the names; the role from the rule, never its
		 * software's version (OpenSSH's is not the device's firmware) */
		if (names_extract(kind, v, len, only, out)) {
			out->role = g.role;
			out->function = g.function;
		}
	}
	return found;
}

size_t kb_rule_count(void)
{
	kb_rules_ensure();
	return nrules;
}

int kb_rule_get(size_t i, struct kb_rule_view *out)
{
	kb_rules_ensure();
	if (i >= nrules)
		return -1;
	out->id = rules[i].id;
	out->file = rules[i].file;
	out->line = rules[i].line;
	out->kind = rules[i].kind;
	for (size_t j = 0; j < rules[i].nex; j++) {
		struct kb_example *e = &rules[i].ex[j];
		if (e->len == (size_t)-1)
			e->value = kb_unescape(e->value, &e->len);
	}
	out->nexamples = rules[i].nex;
	out->examples = rules[i].ex;
	return 0;
}
