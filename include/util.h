/* Small shared helpers: error reporting, checked allocation, growable
 * byte buffers, time. Everything else in the tree may call into this. */
#ifndef OS_UTIL_H
#define OS_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses shared by every command. */
enum {
	OS_EXIT_OK = 0,
	OS_EXIT_DIFF = 1,       /* diff(1): differences found */
	OS_EXIT_FAIL = 2,       /* the user must act: bad input, I/O, ... */
	OS_EXIT_USAGE = 64,     /* EX_USAGE */
	OS_EXIT_LOCKED = 75,    /* EX_TEMPFAIL: another scan holds the lock */
	OS_EXIT_INTERRUPTED = 130,
};

extern int os_verbosity;        /* 0 quiet, 1 normal, 2 verbose, 3 debug */

/* One-line messages to stderr, prefixed "originscan: ". */
void os_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void os_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void os_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void os_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Format into a caller's error buffer (for APIs that report, not print). */
void os_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable buffer; always NUL-terminated after len so it passes as a C
 * string when the content has no NULs. */
struct buf {
	char *p;
	size_t len, cap;
};
/* Appends are inline: answers are built from many short pieces. */
void buf_grow(struct buf *b, size_t extra);
static inline void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow(b, extra);
}
static inline void buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
}
static inline void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}
static inline void buf_addc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* A bump allocator: blocks chained from *head, all freed together. A new
 * block holds at least blk bytes (the first one first_blk), or n if more;
 * sizes are the whole allocation less the header, so a caller can keep a
 * block inside one malloc size class. Pieces are not aligned. */
struct arena_blk {
	struct arena_blk *next;
	size_t used, cap;
	char data[];
};
void *arena_alloc(struct arena_blk **head, size_t n, size_t first_blk, size_t blk);
void arena_free(struct arena_blk **head);

int64_t os_now_us(void);                 /* wall clock, µs since epoch */
double os_mono(void);                    /* monotonic seconds */
/* UTC ISO-8601 "2026-11-22T16:09:00Z" into out (>= 21 bytes). */
void os_iso_time(int64_t us, char *out, size_t outlen);
/* Parse YYYY-MM-DD into a day number YYYYMMDD; -1 on error. */
int os_parse_date(const char *s);
int os_date_of_us(int64_t us);           /* YYYYMMDD (UTC) of a timestamp */

/* Append s as the inside of a JSON string: quotes, backslashes and
 * control bytes escaped; bytes that are not valid UTF-8 become the text
 * \xNN, so the output is always valid JSON and nothing is hidden. */
void buf_json_str(struct buf *b, const char *s, size_t len);
/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
size_t os_utf8_len(const unsigned char *p, size_t left);

/* Append s for a terminal, the one escaping of every text output (text
 * report, diff, show, messages): C0 and C1 controls and DEL as \xNN
 * (0x9b alone is an 8-bit CSI), bytes that are not valid UTF-8 as \xNN,
 * and characters that are controls or reorder or break lines when drawn
 * (U+0080-U+009F, bidi embeddings, overrides, isolates and marks, U+2028,
 * U+2029) as \uNNNN. Printable text, ASCII or not, is left alone. */
void buf_term_str(struct buf *b, const char *s, size_t len);
/* The same, straight to a stream; s NULL prints nothing. */
void os_term_puts(FILE *out, const char *s);

/* Trim ASCII whitespace in place; returns s. */
char *os_trim(char *s);
/* path made absolute against the working directory (symbolic links
 * are kept: they are part of what the user named); malloc'd. */
char *os_abspath(const char *path);
/* path as written in file: relative paths are relative to file's
 * directory; absolute, malloc'd. */
char *os_path_relative_to(const char *path, const char *file);
/* Read a whole file (at most max bytes); NULL with err on failure. */
char *os_read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen);
#endif
