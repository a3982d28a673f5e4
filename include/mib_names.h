/* MIB vocabulary that more than one collector writes: the names evidence
 * keys take from ENTITY-MIB columns, and the names of the LLDP and CDP
 * capability bits. The SNMP collector (collectors/snmp: tables it walks)
 * and the passive collector (collectors/pcap: SNMP responses, LLDP and
 * CDP frames seen on the wire) both take them from here, so the same
 * fact has the same key and value whichever way it arrived.
 * Implemented in collectors/mib/mib_names.c. */
#ifndef OS_MIB_NAMES_H
#define OS_MIB_NAMES_H
#include <stddef.h>
#include <stdint.h>

/* ENTITY-MIB entPhysicalEntry (1.3.6.1.2.1.47.1.1.1.1): the columns kept,
 * ENTITY_COL_FIRST..ENTITY_COL_LAST, each as evidence key
 * "entPhysical<name>.<index>" (entPhysicalDescr.1 ...). */
#define ENTITY_COL_FIRST 2      /* entPhysicalDescr */
#define ENTITY_COL_LAST 16      /* entPhysicalIsFRU */
/* "Descr", "VendorType", ... for a column number, NULL outside the range. */
const char *entity_column_name(unsigned col);

/* LldpSystemCapabilitiesMap (LLDP-MIB, IEEE8021-LLDP-V2-MIB, and the
 * TLV's bit field): names of bits 0..LLDP_CAPS_NAMED-1, bit 0 being the
 * first byte's top bit in the MIB's BITS and the lowest bit of the TLV's
 * 16-bit field. */
#define LLDP_CAPS_NAMED 11
extern const char *const lldp_caps_names[LLDP_CAPS_NAMED];

/* CDP capabilities (the TLV's 32-bit field, and CISCO-CDP-MIB
 * cdpCacheCapabilities' 4 octets in network order): bit 0 "router" ... */
#define CDP_CAPS_NAMED 9
extern const char *const cdp_caps_names[CDP_CAPS_NAMED];
/* Names of the bits set, comma-separated ("bridge,router"); bits past
 * those named as "bitN". msb_first: bit 0 is the first byte's top bit
 * (SNMP BITS), else bit 0 is the lowest bit of the big-endian value. */
struct buf;
void caps_text(struct buf *out, const char *const *names, unsigned nnames, const uint8_t *b, size_t n,
               int msb_first);

/* Neighbour subjects (include/evidence.h, SUBJ_CHASSIS), the same from
 * SNMP tables and from frames:
 * LLDP chassis (is_port 0) and port ids: "<kind>:<id>" with MACs and
 * IPv4/IPv6 network addresses decoded, printable ids as text (a
 * backslash as \x5c), anything else "hex:<hex>". */
void lldp_id_text(struct buf *out, int is_port, int subtype, const uint8_t *b, size_t n);
/* A CDP device id: "name:" and the id, bytes outside printable ASCII and
 * the backslash as \xNN, at most NAME_SUBJECT_MAX bytes of text. */
#define NAME_SUBJECT_MAX 299
void name_subject_text(struct buf *out, const uint8_t *b, size_t n);
#endif
