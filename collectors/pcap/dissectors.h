/* The dissector table's rows: one line per protocol (and per
 * transport/port it is known on). The same line declares the dissector
 * function, so a new protocol is one line here plus its file
 * (collectors/pcap/ or collectors/pcap/mobile/, which includes this
 * header for the prototype). A stateful protocol is the same: its line
 * is an XF row naming, last, the struct app_flow of hooks its file
 * defines (pcap_int.h says what each hook is for).
 *
 * Fields: name (for the stats; rows of one protocol share it), transport
 * (0 = link layer: port is then the ethertype, or the SNAP protocol id
 * of a Cisco-OUI SNAP frame), port (either side; 0 = any), SCTP payload
 * protocol id (0 = any; a row with both port and ppid matches on
 * either), heuristic (1 = also tried on other ports when no row claimed
 * the payload), function, and for XF rows the hooks. See dissectors.c
 * for the dispatch order.
 */
#ifndef OS_PCAP_DISSECTORS_H
#define OS_PCAP_DISSECTORS_H
#include <netinet/in.h>

#include "dissect.h"
#include "mobile/mobile_rows.h"

#define APP_PROTOS(X, XF)                                               \
	X("lldp", 0, 0x88cc, 0, 0, dis_lldp)                            \
	X("cdp", 0, 0x2000, 0, 0, dis_cdp)                              \
	X("dhcp", IPPROTO_UDP, 67, 0, 0, dis_dhcp)                      \
	X("dhcpv6", IPPROTO_UDP, 547, 0, 0, dis_dhcpv6)                 \
	X("snmp", IPPROTO_UDP, 161, 0, 1, dis_snmp)                     \
	X("ssh", IPPROTO_TCP, 22, 0, 1, dis_ssh)                        \
	XF("telnet", IPPROTO_TCP, 23, 0, 0, dis_telnet, telnet_flow)    \
	X("http", IPPROTO_TCP, 80, 0, 1, dis_http)                      \
	XF("tls", IPPROTO_TCP, 443, 0, 1, dis_tls, tls_flow)            \
	MOBILE_PROTOS(X)        /* collectors/pcap/mobile/mobile_rows.h */

#define APP_DECLARE(name, l4, port, ppid, heur, fn) dis_result fn(struct cur *, const struct pkt_ctx *);
#define APP_DECLARE_FLOW(name, l4, port, ppid, heur, fn, hooks) \
	APP_DECLARE(name, l4, port, ppid, heur, fn) extern const struct app_flow hooks;
APP_PROTOS(APP_DECLARE, APP_DECLARE_FLOW)
#undef APP_DECLARE
#undef APP_DECLARE_FLOW
#endif
