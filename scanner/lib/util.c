/* Shared helpers: messages, checked allocation, buffers, time. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int os_verbosity = 1;

__attribute__((format(printf, 2, 0))) static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char line[2048];
	vsnprintf(line, sizeof line, fmt, ap);
	/* One line per message: a newline inside would break cron mail and
	 * log parsing, and device text can contain anything. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "originscan: %s", prefix);
	os_term_puts(stderr, line);
	fputc('\n', stderr);
}

void os_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
}

void os_warn(const char *fmt, ...)
{
	va_list ap;
	if (os_verbosity < 1)
		return;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void os_info(const char *fmt, ...)
{
	va_list ap;
	if (os_verbosity < 2)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void os_debug(const char *fmt, ...)
{
	va_list ap;
	if (os_verbosity < 3)
		return;
	va_start(ap, fmt);
	vmsg("debug: ", fmt, ap);
	va_end(ap);
}

void os_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void oom(void)
{
	fputs("originscan: error: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		oom();
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	return s;
}

void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void *arena_alloc(struct arena_blk **head, size_t n, size_t first_blk, size_t blk)
{
	struct arena_blk *b = *head;
	if (!b || b->cap - b->used < n) {
		size_t cap = b ? blk : first_blk;
		if (cap < n)
			cap = n;
		b = xmalloc(sizeof *b + cap);
		b->used = 0;
		b->cap = cap;
		b->next = *head;
		*head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void arena_free(struct arena_blk **head)
{
	for (struct arena_blk *b = *head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	*head = NULL;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int64_t os_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

double os_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void os_iso_time(int64_t us, char *out, size_t outlen)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int os_parse_date(const char *s)
{
	int y, m, d, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] != 0)
		return -1;
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	return y * 10000 + m * 100 + d;
}

int os_date_of_us(int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

char *os_trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = 0;
	return s;
}

char *os_read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0) {
		os_seterr(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		close(fd);
		os_seterr(err, errlen, "cannot read %s: is a directory", path);
		return NULL;
	}
	struct buf b = {0};
	char tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			os_seterr(err, errlen, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			buf_free(&b);
			return NULL;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			os_seterr(err, errlen, "%s is larger than %zu bytes", path, max);
			close(fd);
			buf_free(&b);
			return NULL;
		}
		buf_add(&b, tmp, (size_t)n);
	}
	close(fd);
	if (!b.p)
		buf_reserve(&b, 0), b.p[0] = 0;
	if (len)
		*len = b.len;
	return b.p;
}

size_t os_utf8_len(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are invalid */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void buf_json_str(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	buf_reserve(b, len + 8);
	for (size_t i = 0; i < len;) {
		/* copy the run of bytes that need nothing in one go */
		size_t j = i;
		while (j < len && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' && p[j] != '\\')
			j++;
		if (j > i) {
			buf_add(b, p + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			buf_add(b, e, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			if (c == '\n')
				buf_add(b, "\\n", 2);
			else if (c == '\r')
				buf_add(b, "\\r", 2);
			else if (c == '\t')
				buf_add(b, "\\t", 2);
			else
				buf_add(b, e, 6);
			i++;
		} else if (c < 0x80) {
			buf_addc(b, (char)c);
			i++;
		} else {
			size_t n = os_utf8_len(p + i, len - i);
			if (n) {
				buf_add(b, p + i, n);
				i += n;
			} else {
				char e[5] = {'\\', '\\', 'x', hex[c >> 4], hex[c & 15]};
				buf_add(b, e, 5);
				i++;
			}
		}
	}
}

/* Characters shown escaped on a terminal although valid: C1 controls
 * (a terminal may act on them as on ESC sequences), the marks,
 * embeddings, overrides and isolates that reorder the text around them
 * (U+202E makes "gpj.exe" read "exe.jpg"), and the line and paragraph
 * separators. */
static int term_hidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void buf_term_str(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	buf_reserve(b, len);
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && p[j] >= 0x20 && p[j] < 0x7f)
			j++;
		if (j > i) {
			buf_add(b, p + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = p[i];
		size_t n = c < 0x80 ? 1 : os_utf8_len(p + i, len - i);
		if (c < 0x80 || !n) {
			/* C0, DEL, or a byte that starts no valid sequence */
			char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			buf_add(b, e, 4);
			i++;
			continue;
		}
		uint32_t cp = n == 2 ? (uint32_t)(c & 0x1f) << 6 | (p[i + 1] & 0x3f)
		              : n == 3 ? (uint32_t)(c & 0x0f) << 12 | (uint32_t)(p[i + 1] & 0x3f) << 6 | (p[i + 2] & 0x3f)
		                       : 0x10000;
		if (term_hidden(cp))
			buf_printf(b, "\\u%04x", (unsigned)cp);
		else
			buf_add(b, p + i, n);
		i += n;
	}
}

void os_term_puts(FILE *out, const char *s)
{
	if (!s)
		return;
	struct buf b = {0};
	buf_term_str(&b, s, strlen(s));
	if (b.len)
		fwrite(b.p, 1, b.len, out);
	buf_free(&b);
}

char *os_abspath(const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(path);   /* no working directory: the path as given */
	const char *p = path;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	char *abs = xasprintf("%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", p);
	free(cwd);
	return abs;
}

char *os_path_relative_to(const char *path, const char *file)
{
	if (path[0] == '/')
		return xstrdup(path);
	const char *slash = strrchr(file, '/');
	if (!slash)
		return os_abspath(path);
	char *dir = xstrndup(file, (size_t)(slash - file + 1));
	char *joined = xasprintf("%s%s", dir, path);
	free(dir);
	char *abs = os_abspath(joined);
	free(joined);
	return abs;
}
