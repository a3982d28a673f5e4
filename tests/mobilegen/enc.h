/* Encoders for the mobile control-plane messages the tests and the
 * benchmark need, and a writer for the frames that carry them (Ethernet,
 * IPv4/IPv6, TCP/UDP/SCTP with several DATA chunks) into classic pcap or
 * pcapng files. Written from the specifications independently of the
 * dissectors' code; the integration test also has tshark decode what they
 * write, so an encoder bug shows as a disagreement with Wireshark.
 *
 * Every encoder writes into a caller's buffer and returns the length
 * (0 if it would not fit). Test code only: no checks for hostile input.
 */
#ifndef OS_MOBILEGEN_ENC_H
#define OS_MOBILEGEN_ENC_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- aligned PER writer ---- */
struct bitw {
	uint8_t *p;
	size_t cap, bit;
	int overflow;
};
void bw_init(struct bitw *w, uint8_t *p, size_t cap);
void bw_put(struct bitw *w, uint32_t v, unsigned n);
void bw_align(struct bitw *w);
void bw_octets(struct bitw *w, const void *p, size_t n);     /* aligned */
void bw_cons(struct bitw *w, uint32_t v, uint32_t lb, uint32_t ub);
void bw_len(struct bitw *w, size_t n);                        /* < 16384 */
void bw_open(struct bitw *w, const uint8_t *p, size_t n);     /* open type */
void bw_string(struct bitw *w, const char *s);                /* PrintableString (SIZE(1..150,...)) */
size_t bw_bytes(const struct bitw *w);

/* "001-01" / "310-410" into TBCD. */
void enc_plmn(const char *txt, uint8_t out[3]);

/* ---- 3GPP AP PDUs (S1AP, NGAP, X2AP share the shape) ---- */
struct ies {
	uint8_t b[8192];
	size_t len;
	unsigned n;
};
void ies_add(struct ies *s, unsigned id, unsigned crit, const uint8_t *v, size_t n);
/* kind 0 initiating, 1 successful, 2 unsuccessful */
size_t ap_pdu(uint8_t *out, size_t cap, unsigned kind, unsigned proc, const struct ies *s);

struct enb_id {
	const char *plmn;
	const char *kind;       /* "macro" "home" "short-macro" "long-macro" */
	uint32_t id;
};
struct s1_ta {
	uint16_t tac;
	const char *plmns[6];
	unsigned nplmns;
};
size_t s1ap_setup_request(uint8_t *out, size_t cap, const char *enb_name, const struct enb_id *gid,
                          const struct s1_ta *tas, unsigned ntas);
size_t s1ap_setup_response(uint8_t *out, size_t cap, const char *mme_name, const char **plmns,
                           unsigned nplmns, const uint16_t *groups, unsigned ngroups, const uint8_t *codes,
                           unsigned ncodes);
/* An ordinary UE message of either direction (proc 12 Initial UE Message,
 * 11 Downlink NAS Transport ...) with a NAS-PDU IE. */
size_t s1ap_nas(uint8_t *out, size_t cap, unsigned proc, uint32_t ue_id);
size_t x2ap_setup(uint8_t *out, size_t cap, int response, const struct enb_id *gid);

struct ran_id {
	const char *plmn;
	const char *kind;       /* "gnb" "ng-enb-macro" "ng-enb-short" "ng-enb-long" "n3iwf" */
	uint32_t id;
	unsigned bits;          /* gNB id length 22..32 */
};
struct slice {
	uint8_t sst;
	int has_sd;
	uint32_t sd;
};
struct ng_ta {
	uint32_t tac;
	const char *plmn;
	struct slice sl;
};
size_t ngap_setup_request(uint8_t *out, size_t cap, const char *name, const struct ran_id *gid,
                          const struct ng_ta *tas, unsigned ntas);
struct guami {
	const char *plmn;
	uint8_t region;
	uint16_t set;
	uint8_t ptr;
	const char *backup;     /* or NULL */
};
struct plmn_support {
	const char *plmn;
	struct slice sl[4];
	unsigned nsl;
};
size_t ngap_setup_response(uint8_t *out, size_t cap, const char *amf_name, const struct guami *g,
                           unsigned ng, const struct plmn_support *ps, unsigned nps);
size_t ngap_nas(uint8_t *out, size_t cap, unsigned proc, uint32_t ue_id);
/* XnAP Xn Setup Request/Response with the sender's Global NG-RAN Node ID
 * (gnb or ng-enb kinds). */
size_t xnap_setup(uint8_t *out, size_t cap, int response, const struct ran_id *gid);

/* ---- Diameter ---- */
struct dia {
	uint8_t *p;
	size_t cap, len;
	size_t group_at;        /* start of an open grouped AVP, 0 if none */
};
void dia_begin(struct dia *d, uint8_t *p, size_t cap, uint32_t cmd, int request, uint32_t app);
void dia_str(struct dia *d, uint32_t code, const char *s);
void dia_u32(struct dia *d, uint32_t code, uint32_t v);
void dia_vendor_u32(struct dia *d, uint32_t code, uint32_t vendor, uint32_t v);
void dia_addr(struct dia *d, uint32_t code, const char *ip);
void dia_group_begin(struct dia *d, uint32_t code);
void dia_group_end(struct dia *d);
size_t dia_end(struct dia *d);

/* ---- GTP and PFCP ---- */
size_t gtpv1c_echo(uint8_t *out, size_t cap, int response, uint8_t recovery, uint16_t seq);
size_t gtpv1c_create_pdp(uint8_t *out, size_t cap, int response, uint8_t recovery);
size_t gtpv2c_echo(uint8_t *out, size_t cap, int response, uint8_t recovery, uint32_t seq);
/* Create Session Request/Response (or any type) with the sender F-TEID. */
size_t gtpv2c_with_fteid(uint8_t *out, size_t cap, unsigned type, unsigned iface, const char *ipv4,
                         uint8_t recovery, uint32_t seq);
size_t gtpu_echo(uint8_t *out, size_t cap, int response, uint16_t seq);
size_t gtpu_gpdu(uint8_t *out, size_t cap, uint32_t teid, const uint8_t *inner, size_t n);

struct pfcp_assoc {
	const char *node_ipv4;  /* either */
	const char *node_fqdn;
	uint32_t recovery_ntp;
	const uint8_t *up_features, *cp_features;
	size_t nup, ncp;
};
size_t pfcp_assoc_setup(uint8_t *out, size_t cap, int response, const struct pfcp_assoc *a, uint32_t seq);
size_t pfcp_heartbeat(uint8_t *out, size_t cap, int response, uint32_t recovery_ntp, uint32_t seq);
size_t pfcp_session(uint8_t *out, size_t cap, unsigned type, uint64_t seid, uint32_t seq);

/* ---- frames and capture files ---- */
struct capw;
/* format: "pcap" or "pcapng" */
struct capw *capw_open(const char *path, const char *format);
int capw_close(struct capw *w);

struct gflow {
	const char *src, *dst;  /* IPv4 or IPv6 text */
	uint16_t sport, dport;
	uint32_t tcp_seq;       /* advanced by each TCP payload written */
	int routed;             /* came through a router (a remote site): the
	                         * router's MAC and a decremented TTL */
};
void cap_udp(struct capw *w, int64_t ts_us, const struct gflow *f, const uint8_t *p, size_t n);
void cap_tcp(struct capw *w, int64_t ts_us, struct gflow *f, const uint8_t *p, size_t n);
/* SCTP: one packet with n DATA chunks (each its own PPID). */
struct chunk {
	const uint8_t *p;
	size_t n;
	uint32_t ppid;
};
void cap_sctp(struct capw *w, int64_t ts_us, const struct gflow *f, const struct chunk *c, size_t n);
#endif
