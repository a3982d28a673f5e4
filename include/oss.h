/* The OSS export collector: the radio network as the operator's OSS
 * knows it, read from a 3GPP Bulk CM file (TS 32.615/32.616 with the
 * Generic, E-UTRAN/NR and Inventory NRMs) or a Nokia RAML 2.0 file,
 * plain or gzip, streaming (collectors/oss/README.md).
 *
 * One device per base station: its subject is the Global eNB/gNB ID as
 * the S1AP/NGAP dissectors write it ("enb:MCC-MNC:macro:ID",
 * "ran:MCC-MNC:gnb:ID/BITS"), else "oss:DN". Cells, functions, software
 * and hardware units are evidence rows on it; nothing is decided here.
 */
#ifndef OS_OSS_H
#define OS_OSS_H
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

struct oss_opts {
	const char *plmn;       /* "MCC-MNC" for ids the export gives no PLMN for; NULL */
	int max_depth;          /* element nesting refused beyond this; 0: 64 */
	size_t max_text;        /* a text or attribute value refused beyond this; 0: 1 MiB */
	int64_t seen_us;        /* time of the rows; 0: now */
	int sniff;              /* stop once the root element names the format (nothing emitted) */
	volatile sig_atomic_t *stop;    /* set (by a signal): stop between elements; NULL: never */
	/* oss_read_files: per path, a descriptor already open on it (opened
	 * before privileges were dropped; read from its start, left open), or
	 * NULL: each path is opened */
	const int *fds;
};

struct oss_stats {
	char format[24];        /* "3gpp-bulkcm", "nokia-raml"; "" before the root */
	char oss_vendor[128];   /* who wrote the export (Bulk CM header vendorName) */
	uint64_t elements;      /* managed elements / base stations emitted */
	uint64_t with_id;       /* ... of which with a Global eNB/gNB ID */
	uint64_t functions, cells, units;
	uint64_t dropped;       /* facts over the per-element bound */
	uint64_t offset;        /* bytes of XML read when it stopped */
	int failed;             /* stopped before the end: error says why */
	int interrupted;        /* ... because *o->stop was set */
	char error[320];
};

/* Read one export: 0 when read to the end, -1 when it stopped early (bad
 * XML, truncation, refused DTD, unknown format, I/O): st->error is one
 * line naming the file, and what was complete before the stop has been
 * emitted. */
int oss_read_file(const char *path, const struct oss_opts *o, struct ev_sink *sink, struct oss_stats *st);
/* The same over bytes in memory (name labels rows and messages). */
int oss_read_mem(const void *data, size_t len, const char *name, const struct oss_opts *o,
                 struct ev_sink *sink, struct oss_stats *st);
/* Several exports into one sink, in order. Every file is read even when
 * one fails (what was complete is kept); total sums them (format and
 * oss_vendor of the last file read). Returns 0 all read to the end, -1
 * when one stopped early (err: the first such file's one-line error,
 * naming it and the byte offset), 1 when *o->stop stopped it. */
int oss_read_files(const char *const *paths, size_t n, const struct oss_opts *o, struct ev_sink *sink,
                   struct oss_stats *total, char *err, size_t errlen);
/* Every file opens and its root element is a known format: 0, or -1 with
 * err naming the first that is not (nothing is emitted). */
int oss_check_files(const char *const *paths, size_t n, char *err, size_t errlen);
/* The same over descriptors open on the paths (a file is read from its
 * start, then put back there); a pipe cannot be looked at ahead and is
 * checked as it is read. */
int oss_check_fds(const char *const *paths, const int *fds, size_t n, char *err, size_t errlen);
/* The exports opened for reading, before privileges are dropped (an
 * export may be readable by root alone): n descriptors for
 * oss_opts.fds, or NULL with err naming the file that did not open.
 * oss_close_fds() closes and frees them (NULL is fine). */
int *oss_open_fds(const char *const *paths, size_t n, char *err, size_t errlen);
void oss_close_fds(int *fds, size_t n);
#endif
