/* The passive collector's dissector interface.
 *
 * The frame path (collectors/pcap: link layer, tunnels, IP, TCP/UDP/SCTP)
 * hands each application payload to the protocol dissectors registered
 * for its transport and port (or SCTP payload protocol id), and to the
 * heuristic ones. A dissector reads only through its struct cur, reports
 * facts through fact_emit(), and returns one of dis_result. It keeps no
 * state between packets unless its row has flow hooks (struct app_flow,
 * collectors/pcap/pcap_int.h: the bounded TCP flow table holds the state)
 * and its file's header comment says what it keeps.
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
	uint8_t l4;                             /* IPPROTO_TCP / _UDP / _SCTP */
	uint16_t sport, dport;
	uint32_t sctp_ppid;                     /* SCTP DATA chunk payload protocol id */
	const char *source;                     /* "file:x.pcap" / "iface:eth0" */
	struct fact_sink *facts;
	/* Added by the frame path; dissectors may read them. */
	uint16_t ethertype;                     /* link-layer rows: the ethertype (or SNAP PID) */
	uint16_t vlan;                          /* innermost 802.1Q VLAN id, 0 if none */
	uint8_t ttl;                            /* IPv4 TTL / IPv6 hop limit */
	uint8_t tcp_flags;
	uint32_t tcp_seq;                       /* sequence number of the payload's first byte */
	uint8_t src_ip_raw[16], dst_ip_raw[16]; /* network order; 4 bytes used for IPv4 */
	int snapped;                            /* the frame was cut by the snap length */
	unsigned depth;                         /* tunnels crossed to get here */
	/* Last: a new frame clears the fields above and the first byte of these. */
	char src_ip[46], dst_ip[46];            /* canonical text (inet_ntop), "" if none */
};

/* Record one fact about a subject (see evidence.h for subject forms).
 * key and value as in the evidence key catalogue (scanner/attrib/README.md).
 * Returns 0, or -1 if the collector's tables are full (the fact is
 * dropped and counted; dissection goes on). */
int fact_emit(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
              const void *value, size_t len);
int fact_emit_str(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
                  const char *value);
/* The bytes left in v as the value (v is a copy: the caller's cursor
 * does not move); -1 and nothing recorded when v is in error. */
int fact_emit_cur(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
                  struct cur v);

typedef dis_result (*app_dissector)(struct cur *payload, const struct pkt_ctx *ctx);

struct app_flow;                    /* a stateful row's hooks (pcap_int.h) */

/* A row of the dissector table (collectors/pcap/dissectors.h, one line
 * per protocol there). Rows whose port (or ppid) matches are tried
 * first, in table order; when none claims the payload, the heuristic
 * rows of the same transport are tried. */
struct app_proto {
	const char *name;       /* "lldp", "diameter", "s1ap" ... for the stats */
	uint8_t l4;             /* IPPROTO_TCP / _UDP / _SCTP, 0 = link layer */
	uint16_t port;          /* either side; 0 = any. l4 0: the ethertype, or the
	                         * SNAP protocol id for Cisco-OUI SNAP frames (CDP 0x2000) */
	uint32_t ppid;          /* SCTP payload protocol id; 0 = any */
	int heuristic;          /* also tried on other ports when nothing claimed */
	app_dissector fn;       /* payloads of no flow the row tracks */
	const struct app_flow *flow;    /* NULL: stateless */
};

/* Run walk once without recording anything (a dry run), and again for
 * real only if it said DIS_OK: a frame found malformed half-way leaves no
 * facts behind. For dissectors that emit as they go. */
dis_result dis_validated(app_dissector walk, struct cur *c, const struct pkt_ctx *ctx);

/* Identity frames repeat byte for byte (LLDP every 30 s ...). dis_seen:
 * 1 when this exact payload from this sender (MAC, address, ports) was
 * remembered as fully dissected, so its facts are known and it can be
 * skipped. dis_remember: remember it (only once it parsed well). One
 * fact-table slot per distinct payload; dis_validated does both. */
int dis_seen(const struct pkt_ctx *ctx, const char *proto, const struct cur *payload);
void dis_remember(const struct pkt_ctx *ctx, const char *proto, const struct cur *payload);
/* The same keyed by a number: looks up (remember = 0) or records
 * (remember = 1); 1 when the payload was seen before. */
int dis_seen_key(const struct pkt_ctx *ctx, uint64_t key, const struct cur *payload, int remember);

/* The dissector table (collectors/pcap/dissectors.c), for the fuzz
 * targets and tests. */
extern const struct app_proto app_protos[];
extern const size_t app_nprotos;
const struct app_proto *app_proto_find(const char *name);
/* Hand a payload to the dissector table as the frame path does
 * (port/ppid rows, then heuristics); returns what the dissector that
 * claimed it said. */
dis_result app_dispatch(struct cur *payload, const struct pkt_ctx *ctx);

/* Per-protocol counters the capture prints at the end. DIS_NOT_MINE is
 * not counted. proto should be a string literal (counters are found by
 * pointer first). */
void dis_count(const char *proto, dis_result r);
struct dis_stat {
	const char *proto;
	uint64_t parsed, malformed;
};
/* Every counter so far, in first-seen order; n receives the count. */
const struct dis_stat *dis_stats(size_t *n);
void dis_stats_reset(void);

/* A fact whose value is a number as decimal text (enterprise numbers,
 * VLAN ids, counts). */
int fact_emit_u32(const struct pkt_ctx *ctx, enum subj_kind sk, const char *subject, const char *key,
                  uint32_t value);
#endif
