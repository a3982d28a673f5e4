/* Internals shared by the scanner/kb files. Not for use outside kb/. */
#ifndef KB_INT_H
#define KB_INT_H
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kb.h"
#include "stanza.h"

/* Keeps the stanzas' text alive (rules point into it) and frees the rest. */
void kb_stanzas_free(struct stanza *s, size_t n);

/* Non-fatal problems found while loading (unknown keys, duplicates...).
 * `originscan kb check` prints them and the test suite wants none. */
void kb_note(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A key, stanza type or name the reader does not know: a note in the
 * shipped data (which the suite keeps at none), but an error in a user's
 * --kb-file, where it is a typo that would silently change the answers
 * (high-risk-vendr = cisco flags nothing). kb_load_file fails with the
 * first of them, "FILE:LINE: ...". */
void kb_unknown(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The roles (which are also the domains) and functions rules may name. */
int kb_role_known(const char *s);
int kb_function_known(const char *s);

/* Loaders for each stanza type; each returns 0 or -1 with err. */
int kb_vendors_load(const struct stanza *s, size_t n, char *err, size_t errlen);
int kb_vendors_resolve(char *err, size_t errlen);    /* parent ids -> indexes */
int kb_countries_load(const struct stanza *s, size_t n, char *err, size_t errlen);
int kb_policies_load(const struct stanza *s, size_t n, char *err, size_t errlen);
int kb_rules_load(const struct stanza *s, size_t n, char *err, size_t errlen);

/* Compile a PCRE2 pattern with our option letters; NULL + err on failure. */
pcre2_code *kb_compile(const char *pattern, const char *flags, char *err, size_t errlen);

/* A name written in free text (vendor "text =", a product line's key):
 * TEXT [| strong case]. A trailing '*' matches words beginning so. */
enum { KB_T_STRONG = 1, KB_T_CASE = 2, KB_T_PREFIX = 4 };
struct kb_text {
	char *text;             /* as written, without '*' and flags */
	int flags;
};
int kb_text_parse(const char *val, struct kb_text *out, char *err, size_t errlen);
size_t kb_vendor_texts(int v, const struct kb_text **out);
/* every alias (normalised) and its vendor, in no particular order */
void kb_vendor_each_alias(void (*cb)(void *ctx, const char *alias, int v), void *ctx);
/* "FROM..TO" (either end may be empty) into YYYYMMDD ints; -1 if malformed */
int kb_parse_range(const char *s, int *from, int *to);
int kb_lines_load(const struct stanza *s, size_t n, char *err, size_t errlen);
int kb_org_by_name(const char *name, size_t len);  /* organisation index or -1 */
int kb_org_maker(uint32_t org);                     /* its maker handle */
/* Load the built-in rule files if not done yet (0, or -1 noted). */
int kb_rules_ensure(void);
/* Vendor that claims an enterprise number in vendors/ (enterprise = N). */
int kb_vendor_by_pen_claim(uint32_t pen);
#endif
