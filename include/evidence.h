/* Evidence: one observed fact, exactly as seen.
 *
 * Collectors only observe: each fact they see becomes one evidence row
 * (which collector, about which subject, a key, the raw value, when, and
 * from where). They never decide vendors; attribution does, later, from
 * the rows. Rows reach the store through an ev_sink so that collectors
 * know nothing of SQLite.
 */
#ifndef OS_EVIDENCE_H
#define OS_EVIDENCE_H
#include <stddef.h>
#include <stdint.h>

/* What a subject string names. Subjects are canonical text:
 *   ip       "192.0.2.1", "2001:db8::1" (inet_ntop form)
 *   mac      "00:1e:10:aa:bb:cc" (lower case, colons)
 *   chassis  LLDP chassis id as "<subtype>:<text>", e.g. "mac:00:1e:..",
 *            "name:core-sw1", "ip:10.0.0.1", "if:Gi0/1", "local:xyz"
 *   serial   "<vendor-or-mfg>:<serial>" from ENTITY-MIB
 *   engine   SNMPv3 authoritative engine id, hex
 *   name     a node name when nothing better is known (Diameter
 *            Origin-Host, eNB name ...) */
enum subj_kind {
	SUBJ_NONE = 0,
	SUBJ_IP,
	SUBJ_MAC,
	SUBJ_CHASSIS,
	SUBJ_SERIAL,
	SUBJ_ENGINE,
	SUBJ_NAME,
	SUBJ__COUNT
};

const char *subj_kind_name(enum subj_kind k);         /* "ip", "mac", ... */
enum subj_kind subj_kind_parse(const char *s);         /* SUBJ_NONE if unknown */

struct evidence {
	const char *collector;  /* "snmp", "pcap", "neigh" */
	enum subj_kind subj_kind;
	const char *subject;
	const char *key;        /* see the key catalogue in scanner/attrib/README.md */
	const void *value;      /* raw bytes; may hold NULs */
	size_t value_len;
	int64_t seen_us;        /* when observed, µs since the epoch */
	const char *source;     /* who told us: agent address, iface, file */
};

/* Where collectors send evidence and per-target outcomes. */
struct ev_sink {
	int (*emit)(struct ev_sink *s, const struct evidence *ev);
	/* A polled target's outcome: state is one of "answered",
	 * "unreachable", "refused", "error"; detail is a short reason;
	 * credential names the credential that worked (never the secret). */
	int (*target)(struct ev_sink *s, const char *address, const char *state,
	              const char *detail, const char *credential);
	void *ctx;
	uint64_t emitted;       /* rows accepted so far */
};

/* Convenience: emit a NUL-terminated value. */
int ev_emit_str(struct ev_sink *s, const char *collector, enum subj_kind sk,
                const char *subject, const char *key, const char *value,
                int64_t seen_us, const char *source);
int ev_emit(struct ev_sink *s, const char *collector, enum subj_kind sk,
            const char *subject, const char *key, const void *value,
            size_t value_len, int64_t seen_us, const char *source);

/* An evidence value as people read it (report and verdict lines) into
 * out, NUL-terminated, at most outlen - 1 bytes: text as it is, \r \n \t
 * as spaces (other controls are escaped at each output's edge); a value
 * that is not text -- a NUL, or bytes that are not UTF-8, as in an SNMPv3
 * engine id -- as 0x and hex digits. A cut value ends in "...". Returns
 * the length written. outlen >= 8. */
size_t ev_value_text(char *out, size_t outlen, const void *val, size_t len);

/* Canonical text for addresses (out >= 46 bytes for ip, 18 for mac). */
void ev_mac_text(const uint8_t mac[6], char *out);
int ev_ip_text(int family, const void *addr, char *out, size_t outlen);
#endif
