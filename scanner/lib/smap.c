/* String -> index map (include/smap.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smap.h"
#include "util.h"

static uint64_t shash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

size_t smap_get(struct smap *m, const char *key, int add, size_t val)
{
	if (add && (m->n + 1) * 2 > m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 64;
		char **nk = xcalloc(nc, sizeof *nk);
		size_t *nv = xcalloc(nc, sizeof *nv);
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				size_t h = shash(m->keys[i]) & (nc - 1);
				while (nk[h])
					h = (h + 1) & (nc - 1);
				nk[h] = m->keys[i];
				nv[h] = m->vals[i];
			}
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->cap = nc;
	}
	if (!m->cap)
		return SMAP_NONE;
	size_t h = shash(key) & (m->cap - 1);
	while (m->keys[h]) {
		if (!strcmp(m->keys[h], key))
			return m->vals[h];
		h = (h + 1) & (m->cap - 1);
	}
	if (!add)
		return SMAP_NONE;
	m->keys[h] = xstrdup(key);
	m->vals[h] = val;
	m->n++;
	return val;
}

void smap_free(struct smap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}
