/* Bytes in for the OSS reader: a file through zlib (gzip or plain, told
 * apart by zlib itself) or a buffer, handed to libxml2 through an I/O
 * callback that counts what was delivered and watches the prolog.
 *
 * The prolog guard: before the root element starts, every byte passes a
 * small state machine. Comments, processing instructions and a DOCTYPE
 * naming an external DTD (RAML's `<!DOCTYPE raml SYSTEM 'raml20.dtd'>`)
 * pass; a DOCTYPE with an internal subset (`[ ... ]`, where entity
 * declarations live: billion laughs, XXE) is refused before libxml2 sees
 * a byte of it. The parser is also run without DTD loading, entity
 * substitution or network access, and the external entity loader refuses
 * everything, so an external DTD is never opened either.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oss_int.h"

void in_init_mem(struct oss_in *in, const void *data, size_t len)
{
	memset(in, 0, sizeof *in);
	in->mem = data;
	in->memlen = len;
}

int in_open_file(struct oss_in *in, const char *path, char *err, size_t errlen)
{
	memset(in, 0, sizeof *in);
	in->gz = gzopen(path, "rb");
	if (!in->gz) {
		snprintf(err, errlen, "%s: %s", path, errno ? strerror(errno) : "cannot open");
		return -1;
	}
	gzbuffer(in->gz, 256 * 1024);
	return 0;
}

int in_open_fd(struct oss_in *in, int fd, const char *path, char *err, size_t errlen)
{
	memset(in, 0, sizeof *in);
	/* a copy: gzclose closes what it was given, the caller keeps fd */
	struct stat sb;
	/* a file from its start (a check may have read some); a pipe as it comes */
	int d = fstat(fd, &sb) < 0 || (S_ISREG(sb.st_mode) && lseek(fd, 0, SEEK_SET) < 0)
	            ? -1
	            : fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (d < 0 || !(in->gz = gzdopen(d, "rb"))) {
		snprintf(err, errlen, "%s: %s", path, errno ? strerror(errno) : "cannot open");
		if (d >= 0)
			close(d);
		return -1;
	}
	gzbuffer(in->gz, 256 * 1024);
	return 0;
}

void in_close(struct oss_in *in)
{
	if (in->gz)
		gzclose(in->gz);
	in->gz = NULL;
}

static int refuse(struct oss_in *in, const char *why)
{
	if (!in->msg[0])
		snprintf(in->msg, sizeof in->msg, "%s", why);
	in->refused = 1;
	return -1;
}

/* The prolog state machine over one chunk; -1 when it refuses. */
enum { G_TEXT, G_LT, G_BANG, G_PI, G_COMMENT, G_DOCTYPE, G_DONE };

static int guard(struct oss_in *in, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && in->g_state != G_DONE; i++) {
		unsigned char c = p[i];
		in->g_seen++;
		switch (in->g_state) {
		case G_TEXT:
			if (c == '<')
				in->g_state = G_LT;
			else if (c == 0)
				return refuse(in, "not UTF-8 text (a NUL byte before the root element; UTF-16 exports are not read)");
			break;
		case G_LT:
			if (c == '?')
				in->g_state = G_PI, in->g_n = 0;
			else if (c == '!')
				in->g_state = G_BANG, in->g_n = 0;
			else
				in->g_state = G_DONE;   /* the root element: the prolog is over */
			break;
		case G_PI:
			if (c == '>' && in->g_n == 1)
				in->g_state = G_TEXT;
			in->g_n = c == '?';
			break;
		case G_BANG: {
			static const char dt[] = "DOCTYPE";
			if (in->g_n < 2 && c == '-') {
				if (++in->g_n == 2)
					in->g_state = G_COMMENT, in->g_n = 0;
				break;
			}
			if (in->g_n < 7 && c == (unsigned char)dt[in->g_n]) {
				if (++in->g_n == 7)
					in->g_state = G_DOCTYPE, in->g_n = 0, in->g_quote = 0;
				break;
			}
			return refuse(in, "a markup declaration outside any DTD before the root element");
		}
		case G_COMMENT:
			if (c == '>' && in->g_n >= 2)
				in->g_state = G_TEXT;
			in->g_n = c == '-' ? in->g_n + 1 : 0;
			break;
		case G_DOCTYPE:
			if (in->g_quote) {
				if (c == in->g_quote)
					in->g_quote = 0;
			} else if (c == '"' || c == '\'') {
				in->g_quote = c;
			} else if (c == '[') {
				return refuse(in, "a DTD internal subset (entity declarations: refused, never expanded)");
			} else if (c == '>') {
				in->g_state = G_TEXT;
			}
			break;
		}
	}
	if (in->g_state != G_DONE && in->g_seen > (1u << 20))
		return refuse(in, "no root element in the first MiB");
	return 0;
}

int in_read(void *ctx, char *out, int len)
{
	struct oss_in *in = ctx;
	int n;
	if (in->refused || in->ioerr)
		return -1;
	if (len <= 0)
		return 0;
	if (in->gz) {
		n = gzread(in->gz, out, (unsigned)len);
		int e = Z_OK;
		const char *m = gzerror(in->gz, &e);
		if (n < 0 || (e != Z_OK && e != Z_STREAM_END)) {
			/* a truncated gzip stream reads as Z_BUF_ERROR after the
			 * last complete bytes: hand those over, fail the next call */
			snprintf(in->msg, sizeof in->msg, "%s",
			         e == Z_BUF_ERROR ? "gzip stream truncated" :
			         e == Z_ERRNO ? strerror(errno) : m ? m : "gzip error");
			in->ioerr = 1;
			if (n <= 0)
				return -1;
		}
		if (n == 0)
			in->eof = 1;
	} else {
		size_t left = in->memlen - in->pos;
		n = (int)(left < (size_t)len ? left : (size_t)len);
		memcpy(out, in->mem + in->pos, (size_t)n);
		in->pos += (size_t)n;
		if (n == 0)
			in->eof = 1;
	}
	if (in->g_state != G_DONE && guard(in, (const unsigned char *)out, (size_t)n) < 0)
		return -1;
	in->offset += (uint64_t)n;
	return n;
}

int in_close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}
