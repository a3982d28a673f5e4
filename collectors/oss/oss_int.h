/* Private to collectors/oss/. */
#ifndef OS_OSS_INT_H
#define OS_OSS_INT_H
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* The input: a file through zlib, or a buffer. */
struct oss_in {
	gzFile gz;
	const unsigned char *mem;
	size_t memlen, pos;
	uint64_t offset;        /* bytes handed to the parser */
	int eof, ioerr, refused;
	char msg[200];          /* why the input stopped (I/O, truncation, refusal) */
	/* the prolog guard */
	int g_state, g_n;
	unsigned char g_quote;
	uint64_t g_seen;
};

void in_init_mem(struct oss_in *in, const void *data, size_t len);
int in_open_file(struct oss_in *in, const char *path, char *err, size_t errlen);
/* the same from a descriptor open on path (dup'ed: fd stays the caller's) */
int in_open_fd(struct oss_in *in, int fd, const char *path, char *err, size_t errlen);
void in_close(struct oss_in *in);
int in_read(void *ctx, char *out, int len);     /* libxml2 xmlInputReadCallback */
int in_close_cb(void *ctx);
#endif
