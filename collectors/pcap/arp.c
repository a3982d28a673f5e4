/* ARP (RFC 826) for Ethernet and IPv4: the sender's MAC and IP are a
 * binding the sender states itself, so they become a MAC <-> IP link at
 * once (a reply's target too: the requester's own binding). A probe's
 * sender IP 0.0.0.0 binds nothing. Lengths that contradict Ethernet/IPv4
 * (hlen != 6, plen != 4) are malformed. No state.
 */
#include <sys/socket.h>

#include "pcap_int.h"

dis_result arp_dissect(struct pkt_ctx *ctx, struct cur *c)
{
	uint16_t htype = cur_be16(c), ptype = cur_be16(c);
	uint8_t hlen = cur_u8(c), plen = cur_u8(c);
	uint16_t op = cur_be16(c);
	if (!cur_ok(c) || (htype == 1 && ptype == 0x0800 && (hlen != 6 || plen != 4))) {
		dis_count("arp", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	if (htype != 1 || ptype != 0x0800) {
		dis_count("arp", DIS_OK);       /* another hardware: nothing for us */
		return DIS_OK;
	}
	const uint8_t *sha = cur_bytes(c, 6), *spa = cur_bytes(c, 4);
	const uint8_t *tha = cur_bytes(c, 6), *tpa = cur_bytes(c, 4);
	if (!cur_ok(c) || op < 1 || op > 2) {
		dis_count("arp", DIS_MALFORMED);
		return DIS_MALFORMED;
	}
	dis_count("arp", DIS_OK);
	mac_ip_fact(ctx, sha, AF_INET, spa);
	if (op == 2)
		mac_ip_fact(ctx, tha, AF_INET, tpa);
	return DIS_OK;
}
