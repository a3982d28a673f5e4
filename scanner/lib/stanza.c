/* The stanza parser (include/stanza.h): one syntax for data/, --kb-file
 * and scan configurations. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "stanza.h"
#include "util.h"

static int valid_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' ||
		      *s == '.' || *s == '_' || isupper((unsigned char)*s)))
			return 0;
	return 1;
}

/* One pass over a copy of the file, cut into NUL-terminated pieces in
 * place: no allocation per line (start-up parses some 20,000 lines). */
int stanza_parse(const char *file, const char *text, size_t len,
                  struct stanza **out, size_t *nout, size_t *capp, char *err, size_t errlen)
{
	char *copy = xmalloc(len + 1), *p = copy, *end = copy + len;
	size_t cap = *capp;
	int lineno = 0, owner_set = 0, rc = -1;
	struct stanza *cur = NULL;

	memcpy(copy, text, len);
	copy[len] = 0;
	if (memchr(copy, 0, len)) {
		os_seterr(err, errlen, "%s: NUL byte in file", file);
		free(copy);
		return -1;
	}
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *line = p;
		if (nl)
			*nl = 0;
		p = nl ? nl + 1 : end;
		lineno++;
		int indent = line[0] == ' ' || line[0] == '\t';
		char *t = os_trim(line);
		if (!*t || *t == '#')
			continue;
		if (*t == '[') {
			char *close = strchr(t, ']');
			char *sp = close ? memchr(t, ' ', (size_t)(close - t)) : NULL;
			if (!close || close[1] || !sp) {
				os_seterr(err, errlen, "%s:%d: bad stanza header (want [type id])", file, lineno);
				goto fail;
			}
			*close = 0;
			*sp = 0;
			char *type = t + 1, *idt = os_trim(sp + 1);
			if (!*type || !valid_id(idt)) {
				os_seterr(err, errlen, "%s:%d: bad stanza id '%s'", file, lineno, idt);
				goto fail;
			}
			if (*nout == cap || !*out) {
				cap = cap ? cap * 2 : 64;
				*out = xrealloc(*out, cap * sizeof **out);
			}
			cur = &(*out)[(*nout)++];
			memset(cur, 0, sizeof *cur);
			cur->type = type;
			cur->id = idt;
			cur->file = file;
			cur->line = lineno;
			if (!owner_set) {
				cur->owned = copy;      /* freed with this stanza */
				owner_set = 1;
			}
			continue;
		}
		char *eq = strchr(t, '=');
		if (!eq || eq == t) {
			os_seterr(err, errlen, "%s:%d: expected 'key = value'", file, lineno);
			goto fail;
		}
		if (!cur) {
			os_seterr(err, errlen, "%s:%d: 'key = value' before any [stanza]", file, lineno);
			goto fail;
		}
		*eq = 0;
		if (cur->nkv == cur->cap) {
			cur->cap = cur->cap ? cur->cap * 2 : 8;
			cur->kv = xrealloc(cur->kv, cur->cap * sizeof *cur->kv);
		}
		cur->kv[cur->nkv].key = os_trim(t);
		cur->kv[cur->nkv].val = os_trim(eq + 1);
		cur->kv[cur->nkv].indent = indent;
		cur->kv[cur->nkv].line = lineno;
		cur->nkv++;
	}
	rc = 0;
fail:
	if (!owner_set)
		free(copy);
	*capp = cap;
	return rc;
}

void stanza_free(struct stanza *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].kv);
		free(s[i].owned);
	}
	free(s);
}
