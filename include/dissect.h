/* The passive collector's dissector interface.
 *
 * The frame path (collectors/pcap: link layer, tunnels, IP, TCP/UDP/SCTP)
 * hands each application payload to the protocol dissectors registered
 * for its transport and port (or SCTP payload protocol id), and to the
 * heuristic ones. A dissector reads only through its struct cur, reports
 * facts through fact_emit(), and returns one of dis_result. It keeps no
 * state between packets unless it says so in its file's header comment,
 * and then bounds it.
 *
 * Facts are deduplicated by the collector (the same banner seen a million
 * times is one evidence row, with a count), then written as evidence
 * through the same ev_sink the SNMP collector uses.
 */
#ifndef OS_DISSECT_H
#define OS_DISSECT_H
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "evidence.h"

typedef enum {
	DIS_NOT_MINE = 0,       /* not this protocol: try others */
	DIS_OK = 1,             /* parsed (facts may or may not have come out) */
	DIS_MALFORMED = -1,     /* this protocol, but broken: counted, skipped */
} dis_result;

struct fact_sink;                   /* the collector's dedup table; opaque */

/* What the frame path knows about the packet an application payload came in. */
struct pkt_ctx {
	int64_t ts_us;
	const uint8_t *src_mac, *dst_mac;       /* NULL when the link has none */
	int family;                             /* AF_INET / AF_INET6, 0 if none */
	char src_ip[46], dst_ip[46];            /* canonical text (inet_ntop) */
	uint8_t l4;                             /* IPPROTO_TCP / _UDP / _SCTP */
	uint16_t sport, dport;
	uint32_t sctp_ppid;                     /* SCTP DATA chunk payload protocol id */
	const char *source;                     /* "file:x.pcap" / "iface:eth0" */
	struct fact_sink *facts;
};

/* Record one fact about a subject (see evidence.h for subject forms).
 * key and value as in the evidence key catalogue (scanner/README.md).
 * Returns 0, or -1 if the collector's tables are full (the fact is
 * dropped and counted; dissection goes on). */
int fact_emit(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
              const void *value, size_t len);
int fact_emit_str(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
                  const char *value);

typedef dis_result (*app_dissector)(struct cur *payload, const struct pkt_ctx *ctx);

/* A row of the registry in collectors/pcap/registry.c. */
struct app_proto {
	const char *name;       /* "lldp", "diameter", "s1ap" ... for the stats */
	uint8_t l4;             /* IPPROTO_TCP / _UDP / _SCTP, 0 = link layer */
	uint16_t port;          /* either side; 0 = any */
	uint32_t ppid;          /* SCTP payload protocol id; 0 = any */
	int heuristic;          /* also tried on other ports when nothing claimed */
	app_dissector fn;
};

/* Per-protocol counters the capture prints at the end. */
void dis_count(const char *proto, dis_result r);
#endif
