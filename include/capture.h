/* The passive collectors: packet capture (live or from files) and the
 * kernel's neighbour tables. Implemented in collectors/pcap and
 * collectors/neigh; used by `originscan capture`, `originscan neigh` and
 * `originscan scan -f`. Both only listen: they never send a packet. */
#ifndef OS_CAPTURE_H
#define OS_CAPTURE_H
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

struct capture_opts {
	const char **ifaces;            /* live: -i IFACE (repeatable) */
	size_t nifaces;
	const char **files;             /* -r FILE... (pcap, pcapng, .gz) */
	size_t nfiles;
	const char *filter;             /* BPF expression, or NULL */
	double duration_s;              /* live: stop after this long, 0 = until signal */
	int snaplen;
	const char *user;               /* drop privileges to this user (default nobody) */
	int progress;
};

struct capture_stats {
	uint64_t packets, bytes, kernel_drops, facts, devices;
	double seconds;
	/* per-protocol parsed/malformed counts are printed by capture_run */
};

/* 0 done, 1 stopped by *stop, -1 error (err set). */
int capture_run(const struct capture_opts *o, struct ev_sink *sink, volatile sig_atomic_t *stop,
                struct capture_stats *st, char *err, size_t errlen);

struct neigh_opts {
	const char *netns;              /* a named network namespace, or NULL */
	double watch_s;                 /* keep watching for new neighbours, 0 = one read */
};

int neigh_collect(const struct neigh_opts *o, struct ev_sink *sink, volatile sig_atomic_t *stop,
                  char *err, size_t errlen);
#endif
