/* Layout of the tables gen_kb.py generates (internal to scanner/kb). */
#ifndef KB_TABLES_H
#define KB_TABLES_H
#include <stddef.h>
#include <stdint.h>

/* One IEEE/manuf assignment: the prefix right-aligned (24, 28 or 36 bits),
 * the registrant's name as an offset into kb_pool, the registry it came
 * from and the country read from the registrant's address (may be "\0\0").
 * 16 bytes per row; about 56,000 rows. */
struct kb_oui_row {
	uint64_t prefix;
	uint32_t name;
	uint8_t reg;            /* 0 MA-L, 1 MA-M, 2 MA-S, 3 IAB, 4 manuf only */
	char cc[2];
};

struct kb_pen_row {
	uint32_t number;
	uint32_t name;
};

struct kb_file {
	const char *path;       /* relative to data/ */
	const char *text;
	size_t len;
};

extern const char kb_pool[];
extern const struct kb_oui_row kb_oui24[], kb_oui28[], kb_oui36[];
extern const size_t kb_oui24_len, kb_oui28_len, kb_oui36_len;
extern const uint32_t kb_sub_parents[];   /* sorted */
extern const size_t kb_sub_parents_len;
extern const uint32_t kb_off_ieee_ra, kb_off_private;   /* UINT32_MAX if absent */
extern const struct kb_pen_row kb_pen[];
extern const size_t kb_pen_len;
extern const char kb_registry_version[];
extern const unsigned kb_registry_newer_from_manuf;
extern const struct kb_file kb_files[];
extern const size_t kb_files_len;

#endif
