/* What a service volunteers, read by an active collector (originscan
 * probe: an SSH identification string, a telnet banner, an HTTP response's
 * headers, a TLS server certificate), handed to the dissectors the passive
 * collector uses for the same protocols (collectors/pcap): one parser per
 * protocol, one cursor, one evidence path, whichever way the bytes came.
 * Implemented in collectors/pcap/banner.c; the only way into pcap's
 * dissectors from outside that folder.
 *
 * Facts are deduplicated per reader (the same banner from the same
 * address is one row) and written to the sink with the reader's collector
 * name; the subject is the server's address.
 */
#ifndef OS_BANNER_H
#define OS_BANNER_H
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

enum banner_proto {
	BANNER_SSH,             /* what the server sent first */
	BANNER_TELNET,          /* what the server sent, option negotiation and all */
	BANNER_HTTP,            /* the response to one request: status line and headers */
};

struct banner_reader;
struct banner_reader *banner_reader_new(struct ev_sink *out, const char *collector);
void banner_reader_free(struct banner_reader *br);

/* The bytes the server at addr (family AF_INET/AF_INET6, 4 or 16 bytes)
 * sent from the start of the connection, whole (a telnet banner is
 * written at once). Bytes that plainly belong to another of the
 * protocols (an SSH identification on a web port, an HTTP response on a
 * telnet one) go to that one's dissector. source: the evidence source.
 * 1 facts may have come out, 0 not this protocol, -1 malformed. */
int banner_read(struct banner_reader *br, enum banner_proto p, int family, const uint8_t *addr,
                const uint8_t *bytes, size_t n, const char *source);
/* A server certificate (DER) a TLS handshake delivered: subject, issuer
 * and their organisation and common names, as off the wire. 0 or -1. */
int banner_certificate(struct banner_reader *br, int family, const uint8_t *addr, const uint8_t *der,
                       size_t n, const char *source);
/* Facts written so far. */
uint64_t banner_facts(const struct banner_reader *br);
#endif
