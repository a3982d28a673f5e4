/* The project's one configuration syntax: "[type id]" stanzas of
 * "key = value" lines, '#' comments, indented lines belonging to the
 * line above (data/README.md). The knowledge base's data/ files, users'
 * --kb-file overrides and scan configurations (scan -f) are all read by
 * this one parser; each reader only gives the stanzas their meaning, and
 * names file and line in its errors. */
#ifndef OS_STANZA_H
#define OS_STANZA_H
#include <stddef.h>

/* A parsed "key = value" line of a stanza. */
struct kv {
	char *key, *val;
	int indent;             /* belongs to the example above it */
	int line;
};

struct stanza {
	char *type, *id;        /* point into the parsed copy of the file */
	const char *file;       /* the path given, not copied */
	int line;
	struct kv *kv;
	size_t nkv, cap;
	char *owned;            /* the file's text copy, on its first stanza */
};

/* Parse one file's text into stanzas (appended to *out, *nout of *cap).
 * Returns 0, or -1 with err set ("FILE:LINE: ...") for a syntax error
 * that makes the file unusable. Keys and values point into a copy of the
 * text owned by the file's first stanza. */
int stanza_parse(const char *file, const char *text, size_t len, struct stanza **out, size_t *nout,
                 size_t *cap, char *err, size_t errlen);
/* Frees the stanzas and the text copies they own. A reader that keeps
 * pointers into the text takes each s[i].owned (setting it NULL) first. */
void stanza_free(struct stanza *s, size_t n);
#endif
