/* Layout of the tables gen_kb.py generates (internal to scanner/kb). */
#ifndef KB_TABLES_H
#define KB_TABLES_H
#include <stddef.h>
#include <stdint.h>

/* One IEEE/manuf assignment: the prefix right-aligned (24, 28 or 36 bits),
 * the registrant's name as an offset into kb_pool, its organisation (index
 * into kb_org, KB_NO_ORG for none), the registry it came from and the
 * country read from the registrant's address (may be "\0\0").
 * 24 bytes per row; about 56,000 rows. */
struct kb_oui_row {
	uint64_t prefix;
	uint32_t name;
	uint32_t org;
	uint8_t reg;            /* 0 MA-L, 1 MA-M, 2 MA-S, 3 IAB, 4 manuf only */
	char cc[2];
};

struct kb_pen_row {
	uint32_t number;
	uint32_t name;
	uint32_t org;
};

#define KB_NO_ORG 0xffffffffu
/* An organisation: every registrant of IANA and the IEEE registries, its
 * spellings merged (gen_kb.py). name: the display spelling, slug: its
 * normalised words joined by '-' (unique; the vendor id is "reg." slug).
 * 12 bytes; about 85,000 rows, sorted by normalised name. */
enum { KB_ORG_IEEE = 1, KB_ORG_IANA = 2, KB_ORG_CC_FROM_NAME = 4 };
struct kb_org_row {
	uint32_t name, slug;
	uint8_t flags;
	char cc[2];
};

/* The registry part of the name index (names.c): lower-case words joined
 * by one space, the organisation they name, KB_NAME_* flags. */
enum { KB_NAME_PHRASE = 1, KB_NAME_CORE = 2, KB_NAME_PREFIX = 4 };   /* PREFIX: leading words only */
struct kb_name_row {
	uint32_t text, org;
	uint8_t flags;
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
extern const struct kb_org_row kb_org[];
extern const size_t kb_org_len;
extern const uint32_t kb_org_by_slug[];
extern const struct kb_name_row kb_names[];
extern const size_t kb_names_len;
extern const uint64_t kb_name_slots[];          /* FNV-1a 32 of the text << 32 | entry + 1; 0 empty */
extern const size_t kb_name_slots_len;          /* a power of two */
#define KB_NAME_FIRST_BITS 20
extern const uint32_t kb_name_first[];          /* bit (fnv32(first word) & (2^20 - 1)) set */
extern const int kb_name_maxwords;
/* Ordinary English words among the words of data/'s names (pool offsets,
 * sorted): such a name is a name only with a capital ("Apple"). */
extern const uint32_t kb_ordinary[];
extern const size_t kb_ordinary_len;
extern const char kb_registry_version[];
extern const unsigned kb_registry_newer_from_manuf;
extern const struct kb_file kb_files[];
extern const size_t kb_files_len;

#endif
