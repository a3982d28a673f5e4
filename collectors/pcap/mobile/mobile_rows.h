/* The mobile control plane's rows of the application dissector table
 * (collectors/pcap/dissectors.h pulls them into APP_PROTOS): one line per
 * protocol, with the fields described there.
 *
 * SCTP payloads are matched by PPID (IANA: 18 S1AP, 27 X2AP, 46 Diameter,
 * 60 NGAP, 61 XnAP) or, for a peer that sends PPID 0, by the well-known port.
 * Diameter is also tried heuristically on any TCP or SCTP port; its
 * dissector takes a payload there only when the header and every AVP are
 * consistent (see diameter.c). GTP-U G-PDUs never get here: the frame
 * path follows them as a tunnel and hands over the other GTP-U messages.
 */
#ifndef OS_PCAP_MOBILE_ROWS_H
#define OS_PCAP_MOBILE_ROWS_H
#include <netinet/in.h>

#define MOBILE_PROTOS(X)                                                  \
	X("diameter", IPPROTO_SCTP, 3868, 46, 1, dis_diameter)           \
	X("diameter", IPPROTO_TCP, 3868, 0, 1, dis_diameter)             \
	X("s1ap", IPPROTO_SCTP, 36412, 18, 0, dis_s1ap)                   \
	X("ngap", IPPROTO_SCTP, 38412, 60, 0, dis_ngap)                   \
	X("x2ap", IPPROTO_SCTP, 36422, 27, 0, dis_x2ap)                   \
	X("xnap", IPPROTO_SCTP, 38422, 61, 0, dis_xnap)                   \
	X("gtpc", IPPROTO_UDP, 2123, 0, 0, dis_gtpc)                      \
	X("gtpu", IPPROTO_UDP, 2152, 0, 0, dis_gtpu_msg)                  \
	X("pfcp", IPPROTO_UDP, 8805, 0, 0, dis_pfcp)
#endif
