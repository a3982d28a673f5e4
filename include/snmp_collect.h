/* The SNMP collector: polls agents and emits what they say as evidence.
 *
 * Per target: an unauthenticated SNMPv3 discovery (engine id, boots,
 * time: identity without credentials), then each credential in order
 * until one is accepted, then the inventory tables (ENTITY-MIB, IF-MIB,
 * LLDP-MIB, IP-MIB neighbours, BRIDGE/Q-BRIDGE forwarding tables) walked
 * with GETBULK (GETNEXT for v1). Targets are visited in a keyed
 * permutation of the set (include/targets.h), optionally one shard of
 * several, and a stopped sweep resumes from a remembered position.
 *
 * One net-snmp session over one unconnected UDP socket per address
 * family carries every request, v1, v2c and v3 alike: targets are
 * addressed per PDU, so thousands can be in flight without a socket
 * each. Memory is bounded by the concurrency (about 4 KB per target in
 * flight, plus the LLDP neighbours and ENTITY rows of the targets being
 * walked), never by the number of targets.
 */
#ifndef OS_SNMP_COLLECT_H
#define OS_SNMP_COLLECT_H
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"
#include "targets.h"

/* ---------- credentials ---------- */

#define SNMP_CRED_NAME_MAX 64
#define SNMP_KEY_MAX 64                 /* net-snmp's USM_AUTH_KU_LEN */

/* One credential. Secrets live only here, in memory, and are wiped by
 * snmp_creds_free(); only the name is ever stored or printed. v3
 * passphrases are turned into master keys (Ku, RFC 3414) when the file
 * is read and then wiped: the passphrase itself is never kept. */
struct snmp_cred {
	char name[SNMP_CRED_NAME_MAX + 1];
	int version;                    /* 1, 2 (v2c) or 3 */
	char *community;                /* v1/v2c */
	char *user;                     /* v3 securityName */
	char *context;                  /* v3 contextName ("" by default) */
	int level;                      /* 1 noAuthNoPriv, 2 authNoPriv, 3 authPriv */
	int auth_type, priv_type;       /* net-snmp USM_CREATE_USER_AUTH_* / _PRIV_* */
	uint8_t auth_ku[SNMP_KEY_MAX], priv_ku[SNMP_KEY_MAX];
	size_t auth_ku_len, priv_ku_len;
};

struct snmp_creds {
	struct snmp_cred *c;
	size_t n;
};

/* Read a credentials file (format: README.md, "SNMP credentials"), or a
 * community file (no [name] first: its first line is a community, used
 * with the given version and stored as bare_name). The file must be a
 * regular file that only its owner (us or root) can read or write; a file
 * others can read is refused with the chmod to run. Errors name the file
 * and line, never a secret. 0 or -1. */
int snmp_creds_load(struct snmp_creds *cs, const char *path, int version, const char *bare_name, char *err,
                    size_t errlen);
/* Add one v1/v2c community credential. */
void snmp_creds_add_community(struct snmp_creds *cs, const char *name, int version,
                              const char *community);
/* net-snmp's own defaults (snmp.conf: defVersion, defCommunity,
 * defSecurityName, defSecurityLevel, defAuthType, defAuthPassphrase,
 * defPrivType, defPrivPassphrase, defContext) as one credential named
 * "snmp.conf", when they name a community or a user. 1 added, 0 none,
 * -1 error (a bad setting, named). */
int snmp_creds_from_snmpconf(struct snmp_creds *cs, char *err, size_t errlen);
/* When no file is given: $ORIGINSCAN_COMMUNITY, else snmp.conf's
 * defaults, else the community "public" (credential "default"). */
int snmp_creds_default(struct snmp_creds *cs, int version, char *err, size_t errlen);
void snmp_creds_free(struct snmp_creds *cs);

/* ---------- the crawl (collectors/snmp/snmp_crawl.c) ---------- */

/* A block crawled addresses may be polled in: lo..hi, network order. */
struct crawl_scope {
	int family;
	uint8_t lo[16], hi[16];
};
/* --scope: addresses and CIDR blocks, comma-separated; appended to *sc. */
int crawl_scope_parse(struct crawl_scope **sc, size_t *n, const char *words, char *err, size_t errlen);
/* The default scope: the blocks of the targets, each range widened to
 * whole /24s (IPv4) or /64s (IPv6). */
void crawl_scope_default(struct crawl_scope **sc, size_t *n, const struct target_set *ts);
int crawl_scope_contains(const struct crawl_scope *sc, size_t n, int family, const uint8_t *addr);
/* The shard (0-based) a crawled address belongs to. */
uint64_t crawl_shard_of(const char *addr, uint64_t seed, uint64_t nshards);

/* What a resumed crawl already met (from the stored crawl.* evidence):
 * an address (poll: still to be polled, at depth), or a neighbour's
 * subject whose address was taken (chassis). Give the addresses to poll
 * in order of depth. */
struct crawl_known {
	const char *addr;               /* address text, or a chassis subject */
	int depth;
	int poll;
	int chassis;
};

/* ---------- the sweep ---------- */

struct snmp_opts {
	const struct snmp_creds *creds; /* tried in order; at least one */
	int timeout_ms;                 /* per attempt */
	int retries;
	int concurrency;                /* targets in flight */
	double rate;                    /* packets per second cap (all packets, retries too), 0 = none */
	int progress;                   /* draw a progress line on stderr */
	int inventory;                  /* walk the inventory tables (else system group only) */
	int discovery;                  /* SNMPv3 engine discovery first (default on) */
	int discovery_only;             /* nothing but the discovery: no credential needed */
	int outcomes;                   /* write each target's outcome (default on) */
	int max_repetitions;            /* GETBULK varbinds per answer, spread over the columns */
	/* crawl: 0 off, else the deepest level polled (targets are level 0) */
	int crawl_depth;
	const struct crawl_scope *scope;
	size_t nscope;
	const struct crawl_known *crawl_known;
	size_t ncrawl_known;
	/* visiting order and resume */
	uint64_t seed;
	uint64_t shard, nshards;        /* 0-based */
	uint64_t start;                 /* first position to visit (resume) */
	uint64_t resume_granted;        /* positions below may be done: ask done() */
	int (*done)(void *ctx, const struct target *t);           /* 1 done, 0 not, -1 error */
	int (*checkpoint)(void *ctx, uint64_t done_below, uint64_t granted);  /* 0 or -1 */
	void *cb_ctx;
};

struct snmp_stats {
	uint64_t targets;               /* positions in this shard */
	uint64_t excluded, skipped;     /* skipped: done before a resume */
	uint64_t answered, refused, unreachable, errors;
	uint64_t engines;               /* targets that answered the v3 discovery */
	uint64_t problems;              /* walk problems recorded */
	uint64_t sent, received;
	uint64_t crawled;               /* crawled addresses polled */
	uint64_t crawl_queued, crawl_recorded;  /* met by the crawl: queued; recorded, not polled */
	uint64_t done_below, granted;   /* where the sweep stands (for a resume) */
	double seconds;
};

void snmp_opts_defaults(struct snmp_opts *o);
/* Visit every target of this shard. Stops early, cleanly, when *stop
 * becomes non-zero (returns 1 then; targets in flight are abandoned and
 * get no outcome). 0 when done, -1 on a local failure (socket, store)
 * with err set. */
int snmp_sweep(const struct target_set *ts, const struct snmp_opts *o, struct ev_sink *sink,
               volatile sig_atomic_t *stop, struct snmp_stats *stats, char *err, size_t errlen);
#endif
