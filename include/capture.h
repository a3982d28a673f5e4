/* The passive collectors: packet capture (live or from files) and the
 * kernel's neighbour tables. Implemented in collectors/pcap and
 * collectors/neigh; used by `originscan capture`, `originscan neigh` and
 * `originscan scan -f`. Both only listen: they never send a packet. */
#ifndef OS_CAPTURE_H
#define OS_CAPTURE_H
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "evidence.h"

struct capture_opts {
	const char **ifaces;            /* live: -i IFACE (repeatable) */
	size_t nifaces;
	const char **files;             /* -r FILE... (pcap, pcapng, .gz) */
	size_t nfiles;
	const char *filter;             /* BPF expression, or NULL */
	double duration_s;              /* live: stop after this long, 0 = until signal */
	uint64_t count;                 /* stop after this many packets (after the filter), 0 = no limit */
	int snaplen;
	const char *user;               /* drop privileges to this user (default nobody) */
	int progress;                   /* 1 a line redrawn on a terminal, 2 log lines */
};

struct capture_stats {
	uint64_t packets, bytes, kernel_drops, facts, devices;
	uint64_t facts_dropped;         /* over the fact table's bound */
	uint64_t files, files_skipped;
	double seconds;
	/* per-protocol parsed/malformed counts are printed by capture_run */
};

/* In two steps, so that bad input is refused before a scan begins:
 * capture_open() opens every interface and file and sets the filter
 * (the privileged part; a file of a link type we do not read is skipped
 * with a warning, NULL with err if nothing is left or anything fails);
 * capture_loop() drops privileges to o->user before the first packet is
 * read, then reads everything (files in order; interfaces until
 * duration_s or *stop) and writes the facts to sink.
 * capture_loop: 0 done, 1 stopped by *stop, -1 error (err set). */
struct capture;
struct capture *capture_open(const struct capture_opts *o, char *err, size_t errlen);
int capture_loop(struct capture *c, struct ev_sink *sink, volatile sig_atomic_t *stop,
                 struct capture_stats *st, char *err, size_t errlen);
void capture_close(struct capture *c);
/* What capture_open() would refuse, found without opening an interface
 * (scan -f checks every collector before its first packet): the user, the
 * interfaces exist, every file opens as a capture, the filter compiles.
 * 0, or -1 with err. */
int capture_check(const struct capture_opts *o, char *err, size_t errlen);
/* Both steps at once. */
int capture_run(const struct capture_opts *o, struct ev_sink *sink, volatile sig_atomic_t *stop,
                struct capture_stats *st, char *err, size_t errlen);
/* The end-of-capture table: packets, kernel drops, and per protocol the
 * packets parsed and malformed. */
void capture_print_stats(FILE *out, const struct capture_stats *st);

struct neigh_stats {
	uint64_t neighbours, links, facts;
};

struct neigh_opts {
	const char *netns;              /* a named network namespace, or NULL */
	double watch_s;                 /* keep watching for new neighbours, 0 = one read */
};

/* In two steps, as the capture: neigh_open() makes the netlink sockets
 * (inside o->netns, which needs CAP_SYS_ADMIN, returning to the caller's
 * namespace after), neigh_read() reads the tables (and watches) with no
 * privilege needed. neigh_read: 0 done, 1 stopped by *stop, -1 error (err
 * set). neigh_collect: both at once. */
struct neigh;
struct neigh *neigh_open(const struct neigh_opts *o, char *err, size_t errlen);
int neigh_read(struct neigh *h, struct ev_sink *sink, volatile sig_atomic_t *stop, struct neigh_stats *st,
               char *err, size_t errlen);
void neigh_close(struct neigh *h);
/* The namespace exists (without entering it): 0, or -1 with err. */
int neigh_check(const struct neigh_opts *o, char *err, size_t errlen);
/* 0 done, 1 stopped by *stop, -1 error (err set). */
int neigh_collect(const struct neigh_opts *o, struct ev_sink *sink, volatile sig_atomic_t *stop,
                  struct neigh_stats *st, char *err, size_t errlen);
#endif
