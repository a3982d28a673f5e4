/* The dissector table's rows: one line per protocol (and
 * per transport/port it is known on). The same line declares the
 * dissector function, so a new protocol is one line here plus its file
 * (collectors/pcap/ or collectors/pcap/mobile/, which includes this
 * header for the prototype).
 *
 * Fields: name (for the stats; rows of one protocol share it), transport
 * (0 = link layer: port is then the ethertype, or the SNAP protocol id
 * of a Cisco-OUI SNAP frame), port (either side; 0 = any), SCTP payload
 * protocol id (0 = any; a row with both port and ppid matches on
 * either), heuristic (1 = also tried on other ports when no row claimed
 * the payload), function. See dissectors.c for the dispatch order.
 */
#ifndef OS_PCAP_DISSECTORS_H
#define OS_PCAP_DISSECTORS_H
#include <netinet/in.h>

#include "dissect.h"
#include "mobile/mobile_rows.h"

#define APP_PROTOS(X)                                                   \
	X("lldp", 0, 0x88cc, 0, 0, dis_lldp)                            \
	X("cdp", 0, 0x2000, 0, 0, dis_cdp)                              \
	X("dhcp", IPPROTO_UDP, 67, 0, 0, dis_dhcp)                      \
	X("dhcpv6", IPPROTO_UDP, 547, 0, 0, dis_dhcpv6)                 \
	X("snmp", IPPROTO_UDP, 161, 0, 1, dis_snmp)                     \
	X("ssh", IPPROTO_TCP, 22, 0, 1, dis_ssh)                        \
	X("telnet", IPPROTO_TCP, 23, 0, 0, dis_telnet)                  \
	X("http", IPPROTO_TCP, 80, 0, 1, dis_http)                      \
	X("tls", IPPROTO_TCP, 443, 0, 1, dis_tls)                       \
	MOBILE_PROTOS(X)        /* collectors/pcap/mobile/mobile_rows.h */

#define APP_DECLARE(name, l4, port, ppid, heur, fn) dis_result fn(struct cur *, const struct pkt_ctx *);
APP_PROTOS(APP_DECLARE)
#undef APP_DECLARE
#endif
