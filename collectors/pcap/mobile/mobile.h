/* The mobile control-plane dissectors (Diameter, S1AP, NGAP, X2AP, XnAP,
 * GTP, PFCP): their entry points, their rows of the dissector table that
 * route payloads to them, and what they share — fact helpers, PLMN/TBCD text, and the
 * aligned-PER walk of the 3GPP "protocol IE container" messages.
 *
 * Nothing here keeps state between packets. Facts are about the packet's
 * sender (its source address) unless a message's direction says what the
 * receiver is as well (an S1 Setup Request goes from an eNB to an MME).
 */
#ifndef OS_PCAP_MOBILE_H
#define OS_PCAP_MOBILE_H
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "dissect.h"

/* The entry points the dissector table calls (rows: mobile_rows.h). Each runs
 * its walk through dis_validated(): a message found malformed half-way
 * leaves no facts behind. */
dis_result dis_diameter(struct cur *c, const struct pkt_ctx *ctx);
dis_result dis_s1ap(struct cur *c, const struct pkt_ctx *ctx);
dis_result dis_ngap(struct cur *c, const struct pkt_ctx *ctx);
dis_result dis_x2ap(struct cur *c, const struct pkt_ctx *ctx);
dis_result dis_xnap(struct cur *c, const struct pkt_ctx *ctx);
dis_result dis_gtpc(struct cur *c, const struct pkt_ctx *ctx);
dis_result dis_gtpu_msg(struct cur *c, const struct pkt_ctx *ctx);
dis_result dis_pfcp(struct cur *c, const struct pkt_ctx *ctx);

/* ---- facts (mobile_util.c) ---- */

enum mob_who { MOB_SRC, MOB_DST };

/* key = value (printf) about the packet's sender or receiver, by IP. */
void mob_fact(const struct pkt_ctx *ctx, enum mob_who who, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* key = a constant text (no formatting: the per-packet role facts). */
void mob_fact_str(const struct pkt_ctx *ctx, enum mob_who who, const char *key, const char *value);
/* key = raw bytes as seen (names: stored exactly). */
void mob_fact_raw(const struct pkt_ctx *ctx, enum mob_who who, const char *key, const void *v, size_t n);
/* Link a node identity ("enb:001-01:macro:0x1e240") to the sender's or
 * receiver's address, so that one node seen from several addresses
 * (SCTP multihoming) is one device. */
void mob_link(const struct pkt_ctx *ctx, enum mob_who who, const char *ident);

/* PLMN identity (TBCD, 3 octets) as "MCC-MNC" ("001-01", "310-410");
 * hex when a digit is not a digit. out >= 8. */
void mob_plmn(const uint8_t p[3], char out[8]);

/* Hex of n bytes into out (>= 2n+1). */
void mob_hex(const uint8_t *p, size_t n, char *out);

/* Lists in one message are parsed whole but at most this many items of
 * one list become facts: a hostile packet cannot turn into thousands of
 * rows (the collector's table is bounded anyway; this bounds the work). */
#define MOB_MAX_ITEMS 32

/* ---- aligned PER (per.c) ---- */

/* Constrained whole number in [lb, ub] (X.691 10.5, ALIGNED variant). */
uint32_t per_cons(struct bitcur *b, uint32_t lb, uint32_t ub);
/* Length determinant without an upper bound below 64K (X.691 10.9):
 * one octet, or two with 10 in the top bits. Fragmented lengths (11) are
 * refused (the cursor fails): no message we read is that large. */
size_t per_len(struct bitcur *b);
/* An open type (IE values, extension additions): its octets as a cursor. */
struct cur per_open(struct bitcur *b);
/* Skip a ProtocolExtensionContainer (SIZE (1..65535) OF {id, crit, open}). */
void per_skip_ext_container(struct bitcur *b);
/* Skip the extension additions of an extensible SEQUENCE whose extension
 * bit was set, after its root components. */
void per_skip_ext_additions(struct bitcur *b);
/* PrintableString/VisibleString (SIZE (lb..ub, ...)): the characters
 * (8 bits each in ALIGNED PER) as a cursor. */
struct cur per_string(struct bitcur *b, uint32_t lb, uint32_t ub, int extensible);
/* Fixed-size OCTET STRING of n > 2 octets (aligned): a cursor. */
struct cur per_fixed_octets(struct bitcur *b, size_t n);

/* The shape every S1AP, NGAP, X2AP and XnAP PDU has:
 * CHOICE {initiatingMessage, successfulOutcome, unsuccessfulOutcome, ...}
 * of SEQUENCE {procedureCode, criticality, value}, where value is a
 * SEQUENCE {protocolIEs SEQUENCE (SIZE(0..65535)) OF {id, criticality,
 * value}, ...}. ap_walk reads the header, then calls ie() for each IE with
 * its value octets; ie() returns -1 to call the message malformed. */
enum ap_kind { AP_INITIATING = 0, AP_SUCCESS = 1, AP_FAILURE = 2 };
struct ap_msg {
	enum ap_kind kind;
	unsigned proc;
};
typedef int (*ap_ie_fn)(void *arg, const struct ap_msg *m, unsigned id, struct cur *value);
/* DIS_OK, DIS_MALFORMED, or DIS_NOT_MINE when the first octets are not
 * such a PDU at all. */
dis_result ap_walk(struct cur *c, struct ap_msg *m, ap_ie_fn ie, void *arg);

/* The E-UTRAN Global eNB ID (S1AP Global-ENB-ID, X2AP GlobalENB-ID: the
 * same type) as "001-01:macro:0x1e240"; 0 ok, -1 malformed. */
int ap_global_enb_id(struct bitcur *b, char *out, size_t outlen);
/* NGAP GlobalRANNodeID (xnap 0) or XnAP GlobalNG-RANNode-ID (xnap 1) as
 * "208-93:gnb:4660/22", and the role it implies; 1 read, 0 an extension
 * alternative, -1 malformed. */
int ap_global_ran_node_id(struct bitcur *b, int xnap, char *txt, size_t txtlen, const char **fn);
/* The RAN-to-RAN protocols (X2AP, XnAP): the setup procedure's code, the
 * IE holding the sender's global id (E-UTRAN Global eNB ID, or with ng
 * the Global NG-RAN Node ID), and the keys their facts go under. */
struct ap_peer {
	unsigned setup_proc, id_ie;
	int ng;
	const char *id_key, *role_key;
};
dis_result ap_peer_walk(struct cur *c, const struct pkt_ctx *ctx, const struct ap_peer *p);
/* SupportedTAs of S1AP (TAC 2 octets, up to 6 broadcast PLMNs): one
 * "<plmn>:0x<tac>" fact per PLMN and TA under key. */
int ap_s1_supported_tas(struct bitcur *b, const struct pkt_ctx *ctx, const char *key);
#endif
