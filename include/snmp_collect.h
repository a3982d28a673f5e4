/* The SNMP collector: polls agents and emits what they say as evidence.
 *
 * One net-snmp session over one unconnected UDP socket per address
 * family carries every request: targets are addressed per PDU, so
 * thousands can be in flight without a socket each. Memory is bounded by
 * the concurrency (one slot per request in flight, about 200 bytes plus
 * net-snmp's PDU), never by the number of targets.
 */
#ifndef OS_SNMP_COLLECT_H
#define OS_SNMP_COLLECT_H
#include <signal.h>
#include <stdint.h>

#include "evidence.h"
#include "targets.h"

struct snmp_opts {
	const char *community;          /* the secret: never logged or stored */
	const char *credential_name;    /* what the store records instead */
	int version;                    /* 1 or 2 (v2c) */
	int timeout_ms;                 /* per attempt */
	int retries;
	int concurrency;                /* targets in flight */
	double rate;                    /* packets per second cap, 0 = none */
	int progress;                   /* draw a progress line on stderr */
};

struct snmp_stats {
	uint64_t targets, excluded, answered, unreachable, errors;
	uint64_t sent, received;
	double seconds;
};

void snmp_opts_defaults(struct snmp_opts *o);
/* Poll every target's system group. Stops early, cleanly, when *stop
 * becomes non-zero (returns 1 then). 0 when done, -1 on a local failure
 * (socket, store) with err set. */
int snmp_sweep(const struct target_set *ts, const struct snmp_opts *o, struct ev_sink *sink,
               volatile sig_atomic_t *stop, struct snmp_stats *stats, char *err, size_t errlen);
#endif
