/* Internal to collectors/pcap: the frame path's layers, the collector's
 * tables (fact dedup, per-MAC counts, TCP flows) and their bounds.
 *
 * The frame path walks one frame through the layers with a mutable
 * struct pkt_ctx; each layer reads through its own struct cur and hands
 * the rest to the next. Application payloads go to the dissector table
 * (app_dispatch), which sees the context as const.
 */
#ifndef OS_PCAP_INT_H
#define OS_PCAP_INT_H
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"
#include "evidence.h"
#include "dissectors.h"

/* Tunnels inside tunnels: deeper than this is counted malformed (a
 * crafted GRE-in-GRE-in-... frame must not recurse without end). */
#define TUNNEL_MAX_DEPTH 8

/* ---- the frame path (frame.c and one file per protocol) ---- */
int link_supported(int dlt);
const char *link_name(int dlt);
/* One captured frame of link type dlt: counts it and walks every layer. */
dis_result frame_dissect(struct fact_sink *fs, int dlt, const uint8_t *p, uint32_t caplen,
                         uint32_t wirelen, int64_t ts_us, const char *source);

dis_result eth_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result ethertype_dissect(struct pkt_ctx *ctx, uint16_t type, struct cur *c);
dis_result arp_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result ipv4_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result ipv6_dissect(struct pkt_ctx *ctx, struct cur *c);
/* The payload of an IP packet whose next header is proto. */
dis_result ip_next_dissect(struct pkt_ctx *ctx, uint8_t proto, struct cur *c);
dis_result icmpv6_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result tcp_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result udp_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result sctp_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result gre_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result vxlan_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result geneve_dissect(struct pkt_ctx *ctx, struct cur *c);
dis_result mpls_dissect(struct pkt_ctx *ctx, struct cur *c);
/* GTP-U: decapsulates G-PDUs; DIS_NOT_MINE for other messages (echo ...)
 * so that the dissector table's GTP dissector sees them. */
dis_result gtpu_dissect(struct pkt_ctx *ctx, struct cur *c);
/* Enter a tunnel: clears the outer addresses, bumps the depth; -1 when
 * too deep (counted malformed by the caller). */
int tunnel_enter(struct pkt_ctx *ctx);

/* Canonical IPv4 text, faster than inet_ntop on the hot path. */
void ip4_text(const uint8_t a[4], char out[16]);

/* ---- the collector's tables (facts.c) ----
 *
 * Costs (p0f-style, stated so that an operator can size a capture):
 *   a distinct fact       16 bytes (64-bit hash + count, open addressing at
 *                         most 70 % full), FACTS_MAX by default;
 *   a distinct MAC        about 320 bytes (a 24-byte hot slot, and frames,
 *                         first seen, up to MAC_IPS addresses), MACS_MAX;
 *   a TCP flow tracked    128 bytes, FLOWS_MAX slots; a flow holding what
 *                         spans segments (a TLS handshake, a telnet banner)
 *                         holds at most FLOW_BUF_MAX bytes, and at most
 *                         FLOW_BUFS_MAX do at once.
 * With the defaults the tables never exceed about 24 (facts) + 80 (MACs) +
 * 0.5 (flows) + 8 (reassembly) MB,
 * whatever the number of packets; memory grows with distinct devices and
 * facts, not packets. Past a bound, new entries are dropped and counted. */
#define FACTS_MAX (1u << 20)
#define MACS_MAX (1u << 18)
#define MAC_IPS 16
#define FLOWS_MAX 4096
#define FLOW_BUF_MAX (32 * 1024)
#define FLOW_BUFS_MAX 256
#define FLOW_PORT_BITS 4096             /* flow.c's filter: most payloads need no lookup */

/* The per-MAC table is split: a compact hot slot per MAC (looked up for
 * every frame, 24 bytes, so the table stays in cache) and the cold entry
 * with its addresses, touched only when a new address shows up. */
struct mac_slot {
	uint64_t key;                   /* the MAC in the low 48 bits, bit 63 set; 0 = free */
	uint32_t entry;                 /* index into fact_sink.mac_entries */
	uint32_t last_ip;               /* hash of the last address seen: skip the cold entry */
	uint64_t frames;
};

struct mac_entry {
	uint8_t mac[6];
	uint8_t nips;                   /* addresses kept in ip[] */
	uint8_t overflow;               /* more than MAC_IPS on-link addresses */
	uint16_t v6;                    /* bit i: ip[i] is IPv6 */
	uint8_t routed;                 /* sent packets with a decremented TTL */
	int64_t first_us;
	uint8_t ip[MAC_IPS][16];
};

/* One direction of a TCP connection that a stateful dissector tracks
 * (flow.c); the fields after owner are the owner's to use. */
struct flow {
	uint8_t key[40];                /* family, addresses, ports (direction kept) */
	const struct app_flow *owner;   /* the hooks of the row that tracks it */
	uint8_t used, state;
	uint16_t segs;
	uint32_t next_seq;
	int64_t last_us;
	uint8_t *buf;                   /* flow_append's buffer, FLOW_BUF_MAX at most */
	uint32_t len;
	char subject[46];               /* the sender's address (flow_start) */
};

/* The hooks that make a row of the dissector table stateful (a protocol
 * read across the segments of a TCP connection: telnet banners, TLS
 * certificates). The row's own dissector sees the payloads of no tracked
 * flow (and may start one, flow_start); once a flow is tracked, its
 * payloads go to append instead. Each hook is optional (NULL). */
struct app_flow {
	/* A server on the row's TCP port answered a connection (its SYN-ACK):
	 * the server's direction f has just been started for this row. */
	void (*open)(const struct pkt_ctx *ctx, struct flow *f);
	/* A payload of a flow this row tracks (same direction, any port). */
	dis_result (*append)(struct cur *payload, const struct pkt_ctx *ctx, struct flow *f);
	/* The flow is about to end: the dissector ended it, a fresher flow
	 * took its slot, the connection restarted, or the capture is over.
	 * What is held is written now or never. */
	void (*flush)(struct fact_sink *fs, struct flow *f);
};

/* A frame's source not yet counted (mac_frame): it is, with the address
 * it sent from, when the next frame's source comes (mac_settle). */
struct mac_pending {
	uint64_t key;                   /* 0: none */
	int64_t ts_us;
	uint8_t mac[6], has_ip, onlink;
	int family;
	uint8_t addr[16];
};

struct fact_sink {
	struct ev_sink *out;            /* NULL: count and dedup only (fuzzing) */
	const char *collector;          /* evidence's collector: "pcap" (service.c: "probe") */
	/* distinct facts */
	uint64_t *hash;
	uint32_t *count;
	size_t cap, n, max;
	/* MACs */
	struct mac_slot *macs;          /* open addressing, at most 70 % full */
	struct mac_entry *mac_entries;  /* nmacs of them, in order of first sight */
	size_t mac_cap, nmacs, mac_max, entries_cap;
	struct mac_slot *last_mac;      /* the source counted last */
	struct mac_pending pending;
	/* flows */
	struct flow *flows;
	size_t nflows, flow_bufs;       /* flows tracked, of them holding a buffer */
	uint64_t flow_ports[FLOW_PORT_BITS / 64];      /* a bit set per tracked flow's ports */
	/* counters */
	uint64_t facts, repeats, dropped, macs_dropped, emit_errors, flows_evicted;
	char source[300];
};

struct fact_sink *fact_sink_new(struct ev_sink *out, size_t max_facts, size_t max_macs);
/* Emit what is held until the end (per-MAC counts and links, what the
 * tracked flows hold: their flush hooks). */
void fact_sink_flush(struct fact_sink *fs, int64_t now_us, const char *source);
void fact_sink_free(struct fact_sink *fs);
/* The frame's source MAC: counted (once per frame). The count (and
 * mac_ip's address) is applied when the next frame's source comes, so
 * that the table slot, prefetched now, is in cache by then: the
 * counters lag one frame until mac_settle (fact_sink_flush settles). */
void mac_frame(struct fact_sink *fs, const uint8_t mac[6], int64_t ts_us);
void mac_settle(struct fact_sink *fs);
/* The current frame's source MAC sent an IP packet from addr. onlink: the
 * TTL/hop limit was an initial value (not routed), so the address may be
 * the MAC's own. */
void mac_ip(struct fact_sink *fs, const uint8_t mac[6], int family, const uint8_t *addr, int onlink);
/* An explicit MAC <-> IP binding (ARP, NDP, DHCP): a fact at once. */
void mac_ip_fact(const struct pkt_ctx *ctx, const uint8_t mac[6], int family, const uint8_t *addr);

/* ---- TCP flows (flow.c): bounded state for the stateful rows ---- */
/* The flow of this packet's direction; NULL when not tracked and
 * create is 0. A new flow takes a free slot or evicts the one idle
 * longest (flushed first); it has no owner yet. */
struct flow *flow_get(const struct pkt_ctx *ctx, int create);
/* The flow of this packet's direction if owner tracks it (no lookup at
 * all while no flow is tracked). */
struct flow *flow_of(const struct pkt_ctx *ctx, const struct app_flow *owner);
/* Track this packet's direction for owner from now on: a flow already
 * there is flushed and ended first (a connection restarts). Its subject
 * is the sender's address. NULL without a fact sink or an IP layer. */
struct flow *flow_start(const struct pkt_ctx *ctx, const struct app_flow *owner);
/* Flush (the owner's hook) and forget a flow. */
void flow_close(struct fact_sink *fs, struct flow *f);
/* Grow a flow's buffer by the payload; -1 when over the bound. */
int flow_append(struct fact_sink *fs, struct flow *f, const uint8_t *p, size_t n);

/* Text helpers for dissectors: printable copy of a device string for a
 * subject (subjects are keys, so control bytes are hex-escaped there; the
 * evidence values stay raw). */
void subject_escaped(char *out, size_t outlen, const char *prefix, struct cur id);
/* Names of the bits set in bits, comma-separated ("bridge,router"). */
void flags_text(char *out, size_t outlen, const char *const *names, unsigned n, uint32_t bits);
/* The contents of a BER OBJECT IDENTIFIER as dotted text (snmp.c); -1 if
 * malformed, an arc over 32 bits, or too long for out. */
int ber_oid_text(struct cur *oid, char *out, size_t outlen);
/* A server answered a TCP connection (SYN-ACK, ctx filled in by tcp.c):
 * the rows on its port with an open hook start tracking (dissectors.c). */
void app_open(const struct pkt_ctx *ctx);
/* Try one row on a payload as app_dispatch does (its flow hooks
 * included) and count the outcome under its name; for the fuzz targets. */
dis_result app_try(const struct app_proto *a, struct cur *payload, const struct pkt_ctx *ctx);
/* What a server said on one connection, read by row a as a capture
 * would: the connection opens (app_open), the payload goes to the row,
 * and the flow (if one was tracked) ends, flushed. For bytes that come
 * from somewhere else than a capture; ctx is the server's side. */
dis_result app_session(const struct app_proto *a, struct cur *payload, const struct pkt_ctx *ctx);
/* The facts of a server certificate's DER, about subj (tls.c). */
void tls_cert_facts(const struct pkt_ctx *ctx, const char *subj, const uint8_t *der, size_t len);
#endif
