/* A small string -> index hash map (open addressing, keys copied), for
 * the report and diff builders' lookups by vendor, domain, site or
 * address. Internal to scanner/. Cost: two pointers per slot, slots kept
 * at most half full, plus the key text. */
#ifndef OS_SMAP_H
#define OS_SMAP_H
#include <stddef.h>

#define SMAP_NONE ((size_t)-1)

struct smap {
	char **keys;
	size_t *vals;
	size_t n, cap;
};

/* The value stored for key, or SMAP_NONE; with add, stores val for an
 * absent key and returns it. */
size_t smap_get(struct smap *m, const char *key, int add, size_t val);
void smap_free(struct smap *m);
#endif
