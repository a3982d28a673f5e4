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

/* Loaders for each stanza type; each returns 0 or -1 with err. */
int kb_vendors_load(const struct stanza *s, size_t n, char *err, size_t errlen);
int kb_vendors_resolve(char *err, size_t errlen);    /* parent ids -> indexes */
int kb_countries_load(const struct stanza *s, size_t n, char *err, size_t errlen);
int kb_policies_load(const struct stanza *s, size_t n, char *err, size_t errlen);
int kb_rules_load(const struct stanza *s, size_t n, char *err, size_t errlen);

/* Compile a PCRE2 pattern with our option letters; NULL + err on failure. */
pcre2_code *kb_compile(const char *pattern, const char *flags, char *err, size_t errlen);

/* Load the built-in rule files if not done yet (0, or -1 noted). */
int kb_rules_ensure(void);
/* Vendor that claims an enterprise number in vendors/ (enterprise = N). */
int kb_vendor_by_pen_claim(uint32_t pen);
#endif
