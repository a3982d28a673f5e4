/* Countries (with the attributes policies weigh) and named policies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_int.h"
#include "util.h"

struct attr {
	char *name, *value, *cite;
};
struct country {
	char cc[3];
	char *name;
	struct attr *attrs;
	size_t nattrs;
};
static struct country *countries;
static size_t ncountries;

struct policy {
	struct kb_policy pub;
	/* owned storage behind pub's const pointers */
	char **sources;
	int *vendors;
	char **countries;
	char ***conds;
	struct kb_prule *rules;
};
static struct policy *policies;
static size_t npolicies;

static struct country *country_get(const char *cc)
{
	for (size_t i = 0; i < ncountries; i++)
		if (!strcasecmp(countries[i].cc, cc))
			return &countries[i];
	return NULL;
}

int kb_countries_load(const struct stanza *s, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s[i].type, "country"))
			continue;
		if (strlen(s[i].id) != 2) {
			os_seterr(err, errlen, "%s:%d: country id must be ISO 3166 alpha-2", s[i].file, s[i].line);
			return -1;
		}
		struct country *c = country_get(s[i].id);
		if (!c) {
			countries = xrealloc(countries, (ncountries + 1) * sizeof *countries);
			c = &countries[ncountries++];
			memset(c, 0, sizeof *c);
			snprintf(c->cc, sizeof c->cc, "%s", s[i].id);
		}
		for (size_t j = 0; j < s[i].nkv; j++) {
			const struct kv *kv = &s[i].kv[j];
			if (!strcmp(kv->key, "name")) {
				free(c->name);
				c->name = xstrdup(kv->val);
			} else if (!strcmp(kv->key, "attr")) {
				char name[64], value[64];
				int off = 0;
				if (sscanf(kv->val, "%63s %63s %n", name, value, &off) < 2) {
					os_seterr(err, errlen, "%s:%d: attr wants 'NAME VALUE [citation]'", s[i].file, kv->line);
					return -1;
				}
				/* A later file (user override) replaces the attribute. */
				struct attr *a = NULL;
				for (size_t k = 0; k < c->nattrs; k++)
					if (!strcmp(c->attrs[k].name, name))
						a = &c->attrs[k];
				if (!a) {
					c->attrs = xrealloc(c->attrs, (c->nattrs + 1) * sizeof *c->attrs);
					a = &c->attrs[c->nattrs++];
					memset(a, 0, sizeof *a);
					a->name = xstrdup(name);
				}
				free(a->value);
				free(a->cite);
				a->value = xstrdup(value);
				a->cite = xstrdup(off ? kv->val + off : "");
			} else
				kb_unknown(s[i].file, kv->line, "unknown country key '%s'", kv->key);
		}
	}
	return 0;
}

const char *kb_country_name(const char *cc)
{
	struct country *c = cc ? country_get(cc) : NULL;
	return c ? c->name : NULL;
}

size_t kb_country_count(void)
{
	return ncountries;
}

const char *kb_country_at(size_t i, const char **name, size_t *nattrs)
{
	if (i >= ncountries)
		return NULL;
	if (name)
		*name = countries[i].name;
	if (nattrs)
		*nattrs = countries[i].nattrs;
	return countries[i].cc;
}

const char *kb_country_attr_at(const char *cc, size_t k, const char **value)
{
	struct country *c = cc ? country_get(cc) : NULL;
	if (!c || k >= c->nattrs)
		return NULL;
	if (value)
		*value = c->attrs[k].value;
	return c->attrs[k].name;
}

const char *kb_country_attr(const char *cc, const char *attr, const char **cite)
{
	struct country *c = cc ? country_get(cc) : NULL;
	if (!c)
		return NULL;
	for (size_t k = 0; k < c->nattrs; k++)
		if (!strcmp(c->attrs[k].name, attr)) {
			if (cite)
				*cite = c->attrs[k].cite;
			return c->attrs[k].value;
		}
	return NULL;
}

/* Whether some country has the attribute of "name=value". */
static int attr_known(const char *cond)
{
	size_t n = strcspn(cond, "=");
	for (size_t i = 0; i < ncountries; i++)
		for (size_t k = 0; k < countries[i].nattrs; k++)
			if (strlen(countries[i].attrs[k].name) == n && !strncmp(countries[i].attrs[k].name, cond, n))
				return 1;
	return 0;
}

static int parse_rule(const char *val, enum kb_prule_type type, struct kb_prule *r)
{
	/* exclude = domain core [from DATE]
	 * cap = domain access 35% [from DATE]
	 * concentration = domain ran 50% [from DATE] */
	char scope[32], target[64], third[32] = "", fourth[32] = "", fifth[32] = "";
	int nf = sscanf(val, "%31s %63s %31s %31s %31s", scope, target, third, fourth, fifth);
	memset(r, 0, sizeof *r);
	r->type = type;
	if (nf < 2 || (strcmp(scope, "domain") && strcmp(scope, "function")))
		return -1;
	const char *from = NULL;
	if (type == KB_PR_EXCLUDE) {
		if (nf == 4 && !strcmp(third, "from"))
			from = fourth;
		else if (nf != 2)
			return -1;
	} else {
		char *pct = third, *endp;
		size_t pl = strlen(pct);
		if (nf < 3 || !pl || pct[pl - 1] != '%')
			return -1;
		pct[pl - 1] = 0;
		r->pct = strtod(pct, &endp);
		if (*endp || r->pct < 0 || r->pct > 100)
			return -1;
		if (nf == 5 && !strcmp(fourth, "from"))
			from = fifth;
		else if (nf != 3)
			return -1;
	}
	if (from && (r->from = os_parse_date(from)) < 0)
		return -1;
	r->scope = xstrdup(scope);
	r->target = xstrdup(target);
	r->text = xstrdup(val);
	return 0;
}

/* A copy of n elements of size sz; a base list may be empty (NULL). */
static void *dup_list(const void *src, size_t n, size_t sz)
{
	void *d = xmalloc((n + 1) * sz);
	if (n)
		memcpy(d, src, n * sz);
	return d;
}

/* Copy a base policy's lists into a new one (the strings are shared:
 * policies live as long as the process). */
static void policy_copy_lists(struct policy *p, const struct policy *b)
{
	p->pub.nsources = b->pub.nsources;
	p->sources = dup_list(b->sources, b->pub.nsources, sizeof *p->sources);
	p->pub.nvendors = b->pub.nvendors;
	p->vendors = dup_list(b->vendors, b->pub.nvendors, sizeof *p->vendors);
	p->pub.ncountries = b->pub.ncountries;
	p->countries = dup_list(b->countries, b->pub.ncountries,
				sizeof *p->countries);
	p->pub.nconds = b->pub.nconds;
	p->conds = dup_list(b->conds, b->pub.nconds, sizeof *p->conds);
	p->pub.nrules = b->pub.nrules;
	p->rules = dup_list(b->rules, b->pub.nrules, sizeof *p->rules);
}

/* remove-vendor / remove-country / remove-rule: 1 if something went. */
static int policy_remove(struct policy *p, const char *what, const char *val)
{
	int gone = 0;
	if (!strcmp(what, "vendor")) {
		int v = kb_vendor_find(val);
		for (size_t i = 0; i < p->pub.nvendors;)
			if (p->vendors[i] == v) {
				p->vendors[i] = p->vendors[--p->pub.nvendors];
				gone = 1;
			} else
				i++;
	} else if (!strcmp(what, "country")) {
		for (size_t i = 0; i < p->pub.ncountries;)
			if (!strcasecmp(p->countries[i], val)) {
				p->countries[i] = p->countries[--p->pub.ncountries];
				gone = 1;
			} else
				i++;
	} else {
		static const char *const types[] = {"exclude", "cap", "concentration"};
		for (size_t i = 0; i < p->pub.nrules;) {
			/* written as in the policy without the '=': "cap domain access 35%" */
			char written[256];
			snprintf(written, sizeof written, "%s %s", types[p->rules[i].type], p->rules[i].text);
			if (!strcmp(written, val)) {
				memmove(&p->rules[i], &p->rules[i + 1], (p->pub.nrules - i - 1) * sizeof *p->rules);
				p->pub.nrules--;
				gone = 1;
			} else
				i++;
		}
	}
	return gone;
}

int kb_policies_load(const struct stanza *s, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s[i].type, "policy"))
			continue;
		/* A user file may redefine a shipped policy: the later one wins. */
		struct policy *p = NULL;
		for (size_t k = 0; k < npolicies; k++)
			if (!strcmp(policies[k].pub.id, s[i].id))
				p = &policies[k];
		if (!p) {
			policies = xrealloc(policies, (npolicies + 1) * sizeof *policies);
			p = &policies[npolicies++];
		}
		memset(p, 0, sizeof *p);
		p->pub.id = xstrdup(s[i].id);
		for (size_t j = 0; j < s[i].nkv; j++) {
			const struct kv *kv = &s[i].kv[j];
			const char *k = kv->key, *val = kv->val;
			if (!strcmp(k, "base")) {
				/* a policy derived from another: its lists and rules, which
				 * the keys below add to or remove from */
				const struct policy *b = NULL;
				for (size_t q = 0; q < npolicies; q++)
					if (&policies[q] != p && !strcmp(policies[q].pub.id, val))
						b = &policies[q];
				if (!b || j != 0) {
					os_seterr(err, errlen, "%s:%d: %s", s[i].file, kv->line,
					          b ? "base must be the policy's first key" : "base names no policy loaded before");
					return -1;
				}
				policy_copy_lists(p, b);
			} else if (!strcmp(k, "remove-vendor") || !strcmp(k, "remove-country") ||
			           !strcmp(k, "remove-rule")) {
				if (!policy_remove(p, k + 7, val)) {
					os_seterr(err, errlen, "%s:%d: policy %s has no %s '%s' to remove", s[i].file, kv->line,
					          s[i].id, k + 7, val);
					return -1;
				}
			} else if (!strcmp(k, "title"))
				p->pub.title = xstrdup(val);
			else if (!strcmp(k, "date"))
				p->pub.date = xstrdup(val);
			else if (!strcmp(k, "source")) {
				p->sources = xrealloc(p->sources, (p->pub.nsources + 1) * sizeof *p->sources);
				p->sources[p->pub.nsources++] = xstrdup(val);
			} else if (!strcmp(k, "high-risk-vendor")) {
				int v = kb_vendor_find(val);
				if (v < 0) {
					os_seterr(err, errlen, "%s:%d: policy %s names unknown vendor '%s'",
					          s[i].file, kv->line, s[i].id, val);
					return -1;
				}
				p->vendors = xrealloc(p->vendors, (p->pub.nvendors + 1) * sizeof *p->vendors);
				p->vendors[p->pub.nvendors++] = v;
			} else if (!strcmp(k, "high-risk-country")) {
				if (strlen(val) != 2) {
					os_seterr(err, errlen, "%s:%d: high-risk-country wants a two-letter code", s[i].file, kv->line);
					return -1;
				}
				p->countries = xrealloc(p->countries, (p->pub.ncountries + 1) * sizeof *p->countries);
				p->countries[p->pub.ncountries++] = xstrdup(val);
			} else if (!strcmp(k, "high-risk-if")) {
				char **cond = NULL;
				size_t nc = 0;
				char *copy = xstrdup(val), *save = NULL;
				for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
					if (!strchr(t, '=')) {
						os_seterr(err, errlen, "%s:%d: high-risk-if wants attr=value words", s[i].file, kv->line);
						free(copy);
						return -1;
					}
					if (!attr_known(t))
						kb_unknown(s[i].file, kv->line, "high-risk-if: no country has the attribute '%.*s'",
						           (int)strcspn(t, "="), t);
					cond = xrealloc(cond, (nc + 2) * sizeof *cond);
					cond[nc++] = xstrdup(t);
					cond[nc] = NULL;
				}
				free(copy);
				if (!nc) {
					os_seterr(err, errlen, "%s:%d: empty high-risk-if", s[i].file, kv->line);
					return -1;
				}
				p->conds = xrealloc(p->conds, (p->pub.nconds + 1) * sizeof *p->conds);
				p->conds[p->pub.nconds++] = cond;
			} else if (!strcmp(k, "exclude") || !strcmp(k, "cap") || !strcmp(k, "concentration")) {
				enum kb_prule_type t = !strcmp(k, "exclude") ? KB_PR_EXCLUDE
				                       : !strcmp(k, "cap")   ? KB_PR_CAP
				                                             : KB_PR_CONCENTRATION;
				p->rules = xrealloc(p->rules, (p->pub.nrules + 1) * sizeof *p->rules);
				if (parse_rule(val, t, &p->rules[p->pub.nrules]) < 0) {
					os_seterr(err, errlen, "%s:%d: cannot read policy rule '%s = %s' (see data/README.md)",
					          s[i].file, kv->line, k, val);
					return -1;
				}
				const struct kb_prule *r = &p->rules[p->pub.nrules++];
				if (!strcmp(r->scope, "domain") ? strcmp(r->target, "all") && !kb_role_known(r->target)
				                                : !kb_function_known(r->target))
					kb_unknown(s[i].file, kv->line, "policy %s: unknown %s '%s'", s[i].id, r->scope, r->target);
			} else
				kb_unknown(s[i].file, kv->line, "unknown policy key '%s'", k);
		}
		if (!p->pub.title)
			p->pub.title = xstrdup(p->pub.id);
		p->pub.sources = (const char **)p->sources;
		p->pub.vendors = p->vendors;
		p->pub.countries = (const char **)p->countries;
		p->pub.conds = (const char ***)p->conds;
		p->pub.rules = p->rules;
	}
	return 0;
}

size_t kb_policy_count(void)
{
	return npolicies;
}

const struct kb_policy *kb_policy_at(size_t i)
{
	return i < npolicies ? &policies[i].pub : NULL;
}

const struct kb_policy *kb_policy_find(const char *id)
{
	for (size_t i = 0; i < npolicies; i++)
		if (!strcmp(policies[i].pub.id, id))
			return &policies[i].pub;
	return NULL;
}

int kb_policy_high_risk(const struct kb_policy *p, int v, int date, char *why, size_t whylen)
{
	if (why && whylen)
		*why = 0;
	if (!p || v < 0)
		return 0;
	/* The vendor itself and every owner above it on that date: a named
	 * vendor's subsidiaries and affiliates are covered through parents. */
	for (int cur = v, depth = 0; cur >= 0 && depth < 16; cur = kb_vendor_parent(cur, date), depth++)
		for (size_t i = 0; i < p->nvendors; i++)
			if (p->vendors[i] == cur) {
				if (cur == v)
					os_seterr(why, whylen, "%s is named by policy %s", kb_vendor(v)->name, p->id);
				else
					os_seterr(why, whylen, "%s belongs to %s, named by policy %s",
					          kb_vendor(v)->name, kb_vendor(cur)->name, p->id);
				return 1;
			}
	/* Jurisdiction criteria look at both the maker's own home and its
	 * group's: a maker based in a country is subject to its laws whoever
	 * owns it (a joint venture in China answers to Chinese law). */
	int g = kb_vendor_group(v, date);
	int who[2] = {v, g};
	for (int w = 0; w < (g == v ? 1 : 2); w++) {
		const char *cc = kb_vendor(who[w])->country;
		const char *label = w ? "its group " : "";
		for (size_t i = 0; i < p->ncountries; i++)
			if (cc && !strcasecmp(cc, p->countries[i])) {
				os_seterr(why, whylen, "%s%s is based in %s, a high-risk country under %s",
				          label, kb_vendor(who[w])->name, cc, p->id);
				return 1;
			}
		for (size_t i = 0; i < p->nconds; i++) {
			int all = 1;
			for (const char **c = p->conds[i]; *c && all; c++) {
				const char *eq = strchr(*c, '=');
				char name[64];
				snprintf(name, sizeof name, "%.*s", (int)(eq - *c), *c);
				const char *val = kb_country_attr(cc, name, NULL);
				if (!val || strcmp(val, eq + 1))
					all = 0;
			}
			if (all) {
				struct buf b = {0};
				for (const char **c = p->conds[i]; *c; c++)
					buf_printf(&b, "%s%s", c == p->conds[i] ? "" : ", ", *c);
				os_seterr(why, whylen, "%s%s is based in %s where %s (policy %s)",
				          label, kb_vendor(who[w])->name, cc, b.p, p->id);
				buf_free(&b);
				return 1;
			}
		}
	}
	return 0;
}
