/* Knowledge base loading: notes, name normalisation, and kb_init() which loads the embedded data/ files
 * in dependency order (vendors, countries, policies, rules). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_int.h"
#include "kb_tables.h"
#include "util.h"

static int initialised;
static char **notes;
static size_t nnotes;
static char version[512];

void kb_note(const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	notes = xrealloc(notes, (nnotes + 1) * sizeof *notes);
	notes[nnotes++] = xasprintf("%s:%d: %s", file, line, msg);
}

/* While a user's file loads: the first unknown thing in it. */
static int user_file;
static char user_err[512];

void kb_unknown(const char *file, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!user_file)
		kb_note(file, line, "%s", msg);
	else if (!user_err[0])
		snprintf(user_err, sizeof user_err, "%s:%d: %s", file, line, msg);
}

size_t kb_note_count(void)
{
	return nnotes;
}

const char *kb_note_at(size_t i)
{
	return i < nnotes ? notes[i] : NULL;
}

/* Loaded rules point into the files' text, so the copies live as long
 * as the process (about 600 KiB for the shipped data). */
static char **kept;
static size_t nkept;

void kb_stanzas_free(struct stanza *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].owned) {
			kept = xrealloc(kept, (nkept + 1) * sizeof *kept);
			kept[nkept++] = s[i].owned;
			s[i].owned = NULL;
		}
	stanza_free(s, n);
}

char *kb_unescape(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	char *d = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			d[o++] = s[i];
			continue;
		}
		char c = s[++i];
		switch (c) {
		case 'r': d[o++] = '\r'; break;
		case 'n': d[o++] = '\n'; break;
		case 't': d[o++] = '\t'; break;
		case '0': d[o++] = 0; break;
		case '\\': d[o++] = '\\'; break;
		case 'x':
			if (i + 2 < n + 0 && isxdigit((unsigned char)s[i + 1]) &&
			    isxdigit((unsigned char)s[i + 2])) {
				char hx[3] = {s[i + 1], s[i + 2], 0};
				d[o++] = (char)strtol(hx, NULL, 16);
				i += 2;
				break;
			}
			/* fall through: not an escape */
			__attribute__((fallthrough));
		default:
			d[o++] = '\\';
			d[o++] = c;
		}
	}
	d[o] = 0;
	if (len)
		*len = o;
	return d;
}

pcre2_code *kb_compile(const char *pattern, const char *flags, char *err, size_t errlen)
{
	uint32_t opt = 0;
	int ec;
	PCRE2_SIZE eo;
	for (const char *f = flags ? flags : ""; *f; f++) {
		switch (*f) {
		case 'i': opt |= PCRE2_CASELESS; break;
		case 's': opt |= PCRE2_DOTALL; break;
		case 'x': opt |= PCRE2_EXTENDED; break;
		case 'm': opt |= PCRE2_MULTILINE; break;
		case ' ': case ',': break;
		default:
			os_seterr(err, errlen, "unknown pattern flag '%c'", *f);
			return NULL;
		}
	}
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opt, &ec, &eo, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		os_seterr(err, errlen, "pattern error at offset %zu: %s", (size_t)eo, (char *)msg);
		return NULL;
	}
	/* JIT is an optimisation: without it (some hardening setups forbid
	 * executable memory) the interpreter gives the same answers. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

/* Legal-form words that trail company names and say nothing of who the
 * company is. Removed repeatedly from the end (data/README.md). */
static const char *const legal_words[] = {
	"co", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "company",
	"llc", "gmbh", "ag", "sa", "plc", "bv", "oy", "oyj", "ab", "as", "spa", "srl",
	"kk", "pte", "pty", "ltda", "sas", "sarl", "nv", "se", "lp", "llp",
};

size_t kb_normalise_name(const char *name, size_t len, char *out, size_t outlen)
{
	size_t o = 0;
	int space = 1;
	if (!outlen)
		return 0;
	for (size_t i = 0; i < len && o + 1 < outlen; i++) {
		unsigned char c = (unsigned char)name[i];
		if (isalnum(c) && c < 128) {
			out[o++] = (char)tolower(c);
			space = 0;
		} else if (!space) {
			out[o++] = ' ';
			space = 1;
		}
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = 0;
	/* Strip trailing legal words, but never the whole name ("AS" alone
	 * or "Company" alone stays). */
	for (;;) {
		char *sp = strrchr(out, ' ');
		if (!sp)
			break;
		int hit = 0;
		for (size_t i = 0; i < OS_ARRAY_LEN(legal_words); i++)
			if (!strcmp(sp + 1, legal_words[i])) {
				hit = 1;
				break;
			}
		if (!hit)
			break;
		*sp = 0;
		o = (size_t)(sp - out);
	}
	return o;
}

static int load_all(const struct kb_file *files, size_t nfiles, char *err, size_t errlen)
{
	struct stanza *st = NULL;
	size_t nst = 0, cap = 0;
	int rc = 0;

	for (size_t i = 0; i < nfiles; i++)
		if (stanza_parse(files[i].path, files[i].text, files[i].len, &st, &nst, &cap, err, errlen) < 0) {
			kb_stanzas_free(st, nst);
			return -1;
		}
	for (size_t i = 0; i < nst; i++) {
		const char *t = st[i].type;
		if (strcmp(t, "vendor") && strcmp(t, "country") && strcmp(t, "policy") &&
		    strcmp(t, "rule") && strcmp(t, "lines"))
			kb_unknown(st[i].file, st[i].line, "unknown stanza type '%s'", t);
	}
	if (kb_vendors_load(st, nst, err, errlen) < 0 || kb_vendors_resolve(err, errlen) < 0 ||
	    kb_countries_load(st, nst, err, errlen) < 0 ||
	    kb_policies_load(st, nst, err, errlen) < 0 || kb_rules_load(st, nst, err, errlen) < 0 ||
	    kb_lines_load(st, nst, err, errlen) < 0)
		rc = -1;
	kb_stanzas_free(st, nst);
	return rc;
}

/* The built-in rule and product-line files are parsed on first need (a
 * classification, or an introspection call): a MAC lookup never needs
 * them and start-up is cheaper without them. They are tested at build time, so loading them
 * late cannot fail for a user. */
static int rules_state;     /* 0 not loaded, 1 loaded, -1 failed */

int kb_rules_ensure(void)
{
	char err[512];
	if (rules_state)
		return rules_state > 0 ? 0 : -1;
	struct kb_file *rf = xmalloc((kb_files_len ? kb_files_len : 1) * sizeof *rf);
	size_t n = 0;
	for (size_t i = 0; i < kb_files_len; i++)
		if (!strncmp(kb_files[i].path, "rules/", 6) || !strncmp(kb_files[i].path, "lines/", 6))
			rf[n++] = kb_files[i];
	rules_state = 1;
	if (load_all(rf, n, err, sizeof err) < 0) {
		kb_note("built-in rules", 0, "%s", err);
		rules_state = -1;
	}
	free(rf);
	return rules_state > 0 ? 0 : -1;
}

int kb_init(char *err, size_t errlen)
{
	if (initialised)
		return 0;
	initialised = 1;
	snprintf(version, sizeof version, "%s", kb_registry_version);
	struct kb_file *f = xmalloc((kb_files_len ? kb_files_len : 1) * sizeof *f);
	size_t n = 0;
	for (size_t i = 0; i < kb_files_len; i++)
		if (strncmp(kb_files[i].path, "rules/", 6) && strncmp(kb_files[i].path, "lines/", 6))
			f[n++] = kb_files[i];
	int rc = load_all(f, n, err, errlen);
	free(f);
	return rc;
}

int kb_load_file(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = os_read_file(path, 64u << 20, &len, err, errlen);
	if (!text)
		return -1;
	if (kb_init(err, errlen) < 0 || kb_rules_ensure() < 0) {
		if (!*err)
			os_seterr(err, errlen, "built-in rules failed to load");
		free(text);
		return -1;
	}
	/* The path string must outlive the stanzas (rules keep it): kept with
	 * the files' text. */
	struct kb_file f = {xstrdup(path), text, len};
	kept = xrealloc(kept, (nkept + 1) * sizeof *kept);
	kept[nkept++] = (char *)f.path;
	user_file = 1;
	user_err[0] = 0;
	int rc = load_all(&f, 1, err, errlen);
	user_file = 0;
	if (rc == 0 && user_err[0]) {
		os_seterr(err, errlen, "%s", user_err);
		rc = -1;
	}
	/* Text is copied into stanzas; keep path, drop text. */
	free(text);
	if (rc == 0) {
		size_t vl = strlen(version);
		snprintf(version + vl, sizeof version - vl, "; +%s", path);
	}
	return rc;
}

const char *kb_version(void)
{
	return version;
}
