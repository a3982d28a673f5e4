/* Registry rows for the mobile control plane: which transport, port or
 * SCTP payload protocol id reaches which dissector. The frame path's
 * registry (collectors/pcap/registry.c) includes this table.
 *
 * SCTP payloads are matched by PPID first (IANA: 18 S1AP, 27 X2AP, 46
 * Diameter, 60 NGAP) and by the well-known port when a peer sends PPID 0.
 * Diameter is also tried heuristically on any TCP or SCTP port: its
 * dissector accepts a payload there only when the header and every AVP
 * are consistent (see diameter.c).
 */
#include <netinet/in.h>

#include "mobile.h"

const struct app_proto mobile_protos[] = {
	{"diameter", IPPROTO_SCTP, 0, 46, 0, diameter_dissect},
	{"diameter", IPPROTO_SCTP, 3868, 0, 1, diameter_dissect},
	{"diameter", IPPROTO_TCP, 3868, 0, 1, diameter_dissect},
	{"s1ap", IPPROTO_SCTP, 0, 18, 0, s1ap_dissect},
	{"s1ap", IPPROTO_SCTP, 36412, 0, 0, s1ap_dissect},
	{"ngap", IPPROTO_SCTP, 0, 60, 0, ngap_dissect},
	{"ngap", IPPROTO_SCTP, 38412, 0, 0, ngap_dissect},
	{"x2ap", IPPROTO_SCTP, 0, 27, 0, x2ap_dissect},
	{"x2ap", IPPROTO_SCTP, 36422, 0, 0, x2ap_dissect},
	{"gtpc", IPPROTO_UDP, 2123, 0, 0, gtpc_dissect},
	{"gtpu", IPPROTO_UDP, 2152, 0, 0, gtpu_dissect},
	{"pfcp", IPPROTO_UDP, 8805, 0, 0, pfcp_dissect},
};
const size_t mobile_nprotos = sizeof mobile_protos / sizeof mobile_protos[0];
