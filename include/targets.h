/* Target sets: what an active collector is asked to visit.
 *
 * A set is a list of ranges (an address, a CIDR block, a start-end range,
 * or host:port) and exclusions. Addresses are reached by index
 * 0..count-1, so a sweep can walk them in any order (a permutation),
 * split them into shards or resume at an index, without ever holding a
 * list of every address: a /16 costs one range, not 65,536 entries.
 */
#ifndef OS_TARGETS_H
#define OS_TARGETS_H
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define TARGETS_MAX (1u << 24)          /* refuse sets larger than a /8 */

struct trange {
	int family;                     /* AF_INET or AF_INET6 */
	uint8_t start[16];              /* network order */
	uint64_t count;
	uint16_t port;                  /* 0: the set's default port */
	uint8_t shared;                 /* overlaps a range at another port (targets_dedupe) */
};

struct target_set {
	struct trange *r;
	size_t n;
	struct trange *ex;              /* exclusions (ports ignored) */
	size_t nex;
	uint64_t total;                 /* sum of counts, exclusions not removed */
	uint16_t default_port;
};

struct target {
	struct sockaddr_storage sa;
	socklen_t salen;
	char addr[64];                  /* "192.0.2.1" / "2001:db8::1" */
	uint16_t port;
	/* The target's name in the scan's records: its address, or
	 * "192.0.2.1:1161" / "[2001:db8::1]:1161" when the set also holds the
	 * address at another port (two agents, two targets). */
	char name[72];
};

void targets_init(struct target_set *ts, uint16_t default_port);
void targets_free(struct target_set *ts);
/* Add one TARGET word: 10.0.0.1, 10.0.0.0/24, 10.0.0.1-10.0.0.50,
 * 10.0.0.1-50, 10.0.0.1:1161, [2001:db8::1]:1161, 2001:db8::/120, or a
 * host name (resolved now). 0 ok, -1 with err naming the word. */
int targets_add(struct target_set *ts, const char *word, char *err, size_t errlen);
/* -iL FILE: one TARGET per line or whitespace-separated; '#' comments.
 * Errors name the file and the line (blank lines counted). */
int targets_add_file(struct target_set *ts, const char *path, char *err, size_t errlen);
/* After the last add: an address given more than once at the same port
 * (a repeated word, a host inside a block also given) becomes one target,
 * polled and counted once; ranges holding an address at another port too
 * are marked so that their targets are named with the port. A set without
 * such overlaps is left exactly as it was (same digest, same order).
 * Returns how many duplicate addresses were dropped. O(n log n). */
uint64_t targets_dedupe(struct target_set *ts);
/* The naming part of targets_dedupe over the sets of one scan (its
 * [snmp] stanzas): a range holding an address that any of the sets holds
 * at another port is marked, its targets named with the port, so that no
 * two targets of the scan share a name. */
void targets_mark_ports(struct target_set *const *sets, size_t nsets);
/* --exclude: the same syntax (no ports), comma-separated lists allowed. */
int targets_exclude(struct target_set *ts, const char *words, char *err, size_t errlen);
/* Address number i (0 <= i < total). Returns 1 and fills out, or 0 when
 * that address is excluded. */
int targets_get(const struct target_set *ts, uint64_t i, struct target *out);
/* Is this address excluded? */
int targets_is_excluded(const struct target_set *ts, int family, const void *addr);
/* Is it one of the set's addresses (whatever its port), not excluded? */
int targets_contain(const struct target_set *ts, int family, const void *addr);
/* A digest of the set (ranges, ports, exclusions): a resumed scan checks
 * that it walks the same index space it was started on. */
uint64_t targets_digest(const struct target_set *ts);

/* The visiting order (masscan's idea): position p of shard s is mapped to
 * an address index by a keyed bijection over 0..total-1 -- a balanced
 * Feistel network over the smallest even-bit power of two >= total,
 * cycle-walked back into range. Consecutive positions land far apart, so
 * no subnet or device takes a burst; shard s of n takes positions
 * s, s+n, s+2n ... of the one permutation all shards share (same seed),
 * so the shards cover the set exactly once between them; and a scan
 * resumes from one remembered position. No table: O(1) memory, a few
 * hundred nanoseconds per position. */
#define TARGETS_ROUNDS 6
struct target_order {
	uint64_t total;                 /* addresses in the set */
	uint64_t shard, nshards;        /* 0-based shard of nshards */
	uint64_t count;                 /* positions in this shard */
	unsigned half;                  /* bits per Feistel half */
	uint64_t key[TARGETS_ROUNDS];
};
/* shard is 0-based (the CLI's --shard 1/4 is shard 0 of 4). */
void targets_order_init(struct target_order *o, const struct target_set *ts, uint64_t seed,
                        uint64_t shard, uint64_t nshards);
/* The address index (for targets_get) at position pos (< o->count). */
uint64_t targets_order_index(const struct target_order *o, uint64_t pos);
#endif
