/* The inventory tables: which are walked, in which order, and what each
 * value becomes as evidence (keys: scanner/attrib/README.md's catalogue).
 *
 *   ENTITY-MIB entPhysicalTable   entPhysical<Column>.<index> about the
 *                                 device (every column of every row)
 *   IF-MIB ifTable                ifDescr.N, ifType.N, ifPhysAddress.N
 *   LLDP-MIB lldpRemTable ...     each neighbour is evidence about ANOTHER
 *                                 device: subject chassis "<kind>:<id>",
 *                                 keys lldp.*, its MAC (mac) and
 *                                 management addresses (ip) linked to it
 *   IP-MIB ipNetToPhysicalTable   the MACs a router has resolved: subject
 *     (else ipNetToMediaTable)    mac, key ip
 *   BRIDGE-MIB / Q-BRIDGE-MIB     the MACs a switch has learned: subject
 *     forwarding tables           mac, key fdb.port; its own (status self)
 *                                 and dot1dBaseBridgeAddress on the device
 * A MAC subject is OUI evidence by itself: devices nobody can poll are
 * still inventoried. Group, all-zero and malformed MACs name no device and
 * are not made subjects. Values are stored as the agent sent them.
 *
 * Cost while a target is walked: its LLDP neighbours (about 100 bytes
 * each, at most MAX_LLDP_NEIGHBOURS), freed when the target is done. Which
 * ENTITY row is the chassis is attribution's call (scanner/attrib/attrib.c), made
 * from the rows stored here.
 */
#include "snmp_int.h"

#include "mib_names.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	W_ENTITY,
	W_IF,
	W_LLDP_IDS,
	W_LLDP_SYS,
	W_LLDP_MAN,
	W_LLDP_MED,
	W_LLDP2_IDS,
	W_LLDP2_SYS,
	W_LLDP2_MAN,
	W_CDP_IDS,
	W_CDP_MORE,
	W_ARP,
	W_ARP_MEDIA,
	W_BRIDGE_ADDR,
	W_QFDB,
	W_DFDB,
	W__COUNT
};

/* ---------- helpers ---------- */

static void idx_text(const uint32_t *idx, size_t n, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && used + 12 < outlen; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%u", i ? "." : "", idx[i]);
}

static long int_value(const netsnmp_variable_list *v, int *ok)
{
	*ok = (v->type == ASN_INTEGER || v->type == ASN_GAUGE || v->type == ASN_COUNTER ||
	       v->type == ASN_TIMETICKS) && v->val.integer;
	return *ok ? *v->val.integer : 0;
}

/* A MAC that names one device: 6 bytes, not all zero, not a group address. */
static int device_mac(const uint8_t *m, size_t n)
{
	static const uint8_t zero[6];
	return n == 6 && memcmp(m, zero, 6) && !(m[0] & 1);
}

static int mac_from_idx(const uint32_t *idx, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		if (idx[i] > 255)
			return 0;
		mac[i] = (uint8_t)idx[i];
	}
	return device_mac(mac, 6);
}

/* An IP address from an InetAddressType + octets (zoned forms: the
 * address without its zone). 1 ok. */
static int inet_text(unsigned type, const uint8_t *b, size_t n, char *out, size_t outlen)
{
	if ((type == 1 && n == 4) || (type == 3 && n == 8))
		return inet_ntop(AF_INET, b, out, (socklen_t)outlen) != NULL;
	if ((type == 2 && n == 16) || (type == 4 && n == 20))
		return inet_ntop(AF_INET6, b, out, (socklen_t)outlen) != NULL;
	return 0;
}

/* ---------- ENTITY-MIB ---------- */

static void ent_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                      const netsnmp_variable_list *v)
{
	const char *name = entity_column_name((unsigned)col);
	char key[64], it[200];
	if (!name)
		return;
	idx_text(idx, idxlen, it, sizeof it);
	snprintf(key, sizeof key, "entPhysical%s.%.40s", name, it);
	sw_value_text(v, &sw->val);
	sw_emit(sw, s, SUBJ_IP, s->t.addr, key, sw->val.p, sw->val.len);
}

/* ---------- IF-MIB ---------- */

static void if_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                     const netsnmp_variable_list *v)
{
	char key[64], it[200];
	const char *name = col == 2 ? "ifDescr" : col == 3 ? "ifType" : "ifPhysAddress";
	idx_text(idx, idxlen, it, sizeof it);
	snprintf(key, sizeof key, "%s.%.40s", name, it);
	sw_value_text(v, &sw->val);
	sw_emit(sw, s, SUBJ_IP, s->t.addr, key, sw->val.p, sw->val.len);
}

/* ---------- LLDP-MIB, IEEE8021-LLDP-V2-MIB, CISCO-CDP-MIB ----------
 *
 * Neighbour tables are walked in two stages: the ids first (LLDP chassis
 * id and its subtype, CDP device id and address types), so that each
 * neighbour is a subject before any of its other values can be stored;
 * then the rest, keyed by the row index. The keys are those the capture
 * collector writes for the same TLVs off the wire (collectors/pcap/lldp.c,
 * cdp.c). LLDP-V2 rows carry one more index (the destination MAC table
 * index) and their columns sit one further on; it is walked only when
 * LLDP-MIB gave nothing (agents that have both list the same neighbours). */

static struct nb *nb_find(struct slot *s, int kind, const uint32_t *idx, size_t idxlen, int create)
{
	static const uint8_t nidx[] = {[NB_LLDP] = 3, [NB_LLDP2] = 4, [NB_CDP] = 2};
	if (idxlen < nidx[kind])
		return NULL;
	for (size_t i = s->nnb; i > 0; i--) {
		struct nb *nb = &s->nb[i - 1];
		if (nb->kind == kind && !memcmp(nb->idx, idx, nidx[kind] * sizeof *idx))
			return nb;
	}
	if (!create || idxlen != nidx[kind] || s->nnb >= MAX_NEIGHBOURS)
		return NULL;
	if (s->nnb == s->nbcap) {
		s->nbcap = s->nbcap ? s->nbcap * 2 : 8;
		s->nb = xrealloc(s->nb, s->nbcap * sizeof *s->nb);
	}
	struct nb *nb = &s->nb[s->nnb++];
	memset(nb, 0, sizeof *nb);
	memcpy(nb->idx, idx, nidx[kind] * sizeof *idx);
	nb->kind = (uint8_t)kind;
	nb->chassis_subtype = nb->port_subtype = -1;
	nb->addr_type[0] = nb->addr_type[1] = nb->addr_type[2] = -1;
	return nb;
}

static void nb_keep(uint8_t **to, size_t *tolen, const netsnmp_variable_list *v)
{
	if (v->type != ASN_OCTET_STR || *to)
		return;
	*to = xmalloc(v->val_len ? v->val_len : 1);
	memcpy(*to, v->val.string, v->val_len);
	*tolen = v->val_len;
}

/* A management address a neighbour states: links it, and is offered to
 * the crawl (snmp_crawl.c). */
static void nb_address(struct sweep *sw, struct slot *s, struct nb *nb, int family, const uint8_t *a,
                       const char *key)
{
	char text[64];
	if (!inet_ntop(family, a, text, sizeof text))
		return;
	sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, key, text, strlen(text));
	sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "ip", text, strlen(text));
	crawl_offer(sw, s, nb, family, a);
}

/* LLDP stage 1: chassis id subtype, chassis id, port id subtype. */
static void lldp_ids_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                           const netsnmp_variable_list *v, int kind)
{
	(void)sw;
	struct nb *nb = nb_find(s, kind, idx, idxlen, 1);
	int ok;
	long n = int_value(v, &ok);
	if (!nb)
		return;
	if (kind == NB_LLDP2)
		col--;
	if (col == 4 && ok)
		nb->chassis_subtype = (int)n;
	else if (col == 6 && ok)
		nb->port_subtype = (int)n;
	else if (col == 5)
		nb_keep(&nb->cid, &nb->cidlen, v);
}

static void lldp1_ids_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                            const netsnmp_variable_list *v)
{
	lldp_ids_value(sw, s, col, idx, idxlen, v, NB_LLDP);
}

static void lldp2_ids_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                            const netsnmp_variable_list *v)
{
	lldp_ids_value(sw, s, col, idx, idxlen, v, NB_LLDP2);
}

static void lldp_ids_end(struct sweep *sw, struct slot *s)
{
	struct buf b = {0};
	for (size_t i = 0; i < s->nnb; i++) {
		struct nb *nb = &s->nb[i];
		if (nb->kind == NB_CDP || nb->subject || nb->chassis_subtype < 0 || !nb->cid || !nb->cidlen)
			continue;
		lldp_id_text(&b, 0, nb->chassis_subtype, nb->cid, nb->cidlen);
		nb->subject = xstrdup(b.p);
		char port[16];
		snprintf(port, sizeof port, "%u", nb->idx[1]);
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "lldp.chassis-id", nb->cid, nb->cidlen);
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "lldp.local-port", port, strlen(port));
		/* the neighbour's own MAC or address: links it to what else
		 * we know of that device */
		if (nb->chassis_subtype == 4 && device_mac(nb->cid, nb->cidlen))
			sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "mac", nb->cid, 6);
		else if (nb->chassis_subtype == 5 && !strncmp(nb->subject, "ip:", 3))
			sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "ip", nb->subject + 3, strlen(nb->subject + 3));
	}
	buf_free(&b);
}

static void lldp_sys_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                           const netsnmp_variable_list *v, int kind)
{
	static const char *const keys[] = {[7] = "lldp.port-id", [8] = "lldp.port-desc", [9] = "lldp.sysname",
	                                   [10] = "lldp.sysdesc", [11] = "lldp.caps",
	                                   [12] = "lldp.caps-enabled"};
	struct nb *nb = nb_find(s, kind, idx, idxlen, 0);
	if (kind == NB_LLDP2)
		col--;
	if (!nb || !nb->subject || col < 7 || col > 12)
		return;
	if (v->type != ASN_OCTET_STR) {
		sw_value_text(v, &sw->val);
	} else if (col == 7) {
		lldp_id_text(&sw->val, 1, nb->port_subtype, v->val.string, v->val_len);
	} else if (col == 11 || col == 12) {
		caps_text(&sw->val, lldp_caps_names, LLDP_CAPS_NAMED, v->val.string, v->val_len, 1);
	} else {
		buf_reset(&sw->val);
		buf_add(&sw->val, v->val.string, v->val_len);
	}
	sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, keys[col], sw->val.p, sw->val.len);
}

static void lldp1_sys_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                            const netsnmp_variable_list *v)
{
	lldp_sys_value(sw, s, col, idx, idxlen, v, NB_LLDP);
}

static void lldp2_sys_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                            const netsnmp_variable_list *v)
{
	lldp_sys_value(sw, s, col, idx, idxlen, v, NB_LLDP2);
}

/* lldpRemManAddrTable / lldpV2RemManAddrTable: the address is in the row
 * index, after the neighbour's (subtype, then a length-prefixed octet
 * string). */
static void lldp_man_value(struct sweep *sw, struct slot *s, const uint32_t *idx, size_t idxlen, int kind)
{
	size_t at = kind == NB_LLDP2 ? 4 : 3;
	if (idxlen < at + 3)
		return;
	struct nb *nb = nb_find(s, kind, idx, idxlen, 0);
	size_t len = idx[at + 1];
	if (!nb || !nb->subject || len > 31 || idxlen != at + 2 + len)
		return;
	uint8_t a[32];
	for (size_t i = 0; i < len; i++) {
		if (idx[at + 2 + i] > 255)
			return;
		a[i] = (uint8_t)idx[at + 2 + i];
	}
	unsigned type = idx[at];
	/* IANA address family: 1 IPv4, 2 IPv6, 6 an 802 MAC */
	if (type == 1 && len == 4)
		nb_address(sw, s, nb, AF_INET, a, "lldp.mgmt-addr");
	else if (type == 2 && len == 16)
		nb_address(sw, s, nb, AF_INET6, a, "lldp.mgmt-addr");
	else if (type == 6 && device_mac(a, len))
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "mac", a, 6);
}

static void lldp1_man_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                            const netsnmp_variable_list *v)
{
	(void)col;
	(void)v;
	lldp_man_value(sw, s, idx, idxlen, NB_LLDP);
}

static void lldp2_man_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                            const netsnmp_variable_list *v)
{
	(void)col;
	(void)v;
	lldp_man_value(sw, s, idx, idxlen, NB_LLDP2);
}

/* LLDP-EXT-MED-MIB inventory of the neighbour (phones, APs, cameras). */
static void lldp_med_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                           const netsnmp_variable_list *v)
{
	static const char *const keys[] = {[1] = "lldp.med.hw-rev", [2] = "lldp.med.fw-rev",
	                                   [3] = "lldp.med.sw-rev", [4] = "lldp.med.serial",
	                                   [5] = "lldp.med.manufacturer", [6] = "lldp.med.model",
	                                   [7] = "lldp.med.asset-id"};
	struct nb *nb = idxlen == 3 ? nb_find(s, NB_LLDP, idx, idxlen, 0) : NULL;
	if (!nb || !nb->subject || col < 1 || col > 7)
		return;
	sw_value_text(v, &sw->val);
	sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, keys[col], sw->val.p, sw->val.len);
	if (col == 4 && sw->val.len)        /* as the capture collector: the serial identifies it */
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "chassis.serial", sw->val.p, sw->val.len);
}

/* CiscoNetworkAddress of a CiscoNetworkProtocol: ip(1) 4 bytes, ipv6(20) 16. */
static void cdp_address(struct sweep *sw, struct slot *s, struct nb *nb, int type, const uint8_t *a, size_t n)
{
	if (type == 1 && n == 4)
		nb_address(sw, s, nb, AF_INET, a, "cdp.address");
	else if (type == 20 && n == 16)
		nb_address(sw, s, nb, AF_INET6, a, "cdp.address");
}

/* CDP stage 1: the device id (the subject), the cache address and its
 * type, the management address types. */
static void cdp_ids_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                          const netsnmp_variable_list *v)
{
	(void)sw;
	struct nb *nb = nb_find(s, NB_CDP, idx, idxlen, 1);
	int ok;
	long n = int_value(v, &ok);
	if (!nb)
		return;
	if (col == 6)
		nb_keep(&nb->cid, &nb->cidlen, v);
	else if (col == 4)
		nb_keep(&nb->addr, &nb->addrlen, v);
	else if (ok && (col == 3 || col == 19 || col == 21))
		nb->addr_type[col == 3 ? 0 : col == 19 ? 1 : 2] = (int)n;
}

static void cdp_ids_end(struct sweep *sw, struct slot *s)
{
	struct buf b = {0};
	for (size_t i = 0; i < s->nnb; i++) {
		struct nb *nb = &s->nb[i];
		if (nb->kind != NB_CDP || nb->subject || !nb->cid || !nb->cidlen)
			continue;
		name_subject_text(&b, nb->cid, nb->cidlen);
		nb->subject = xstrdup(b.p);
		char port[16];
		snprintf(port, sizeof port, "%u", nb->idx[0]);
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "cdp.device-id", nb->cid, nb->cidlen);
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "cdp.local-port", port, strlen(port));
		if (nb->addr)
			cdp_address(sw, s, nb, nb->addr_type[0], nb->addr, nb->addrlen);
	}
	buf_free(&b);
}

static void cdp_more_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                           const netsnmp_variable_list *v)
{
	static const char *const keys[] = {[5] = "cdp.version", [7] = "cdp.port-id", [8] = "cdp.platform",
	                                   [10] = "cdp.vtp-domain", [17] = "cdp.sysname"};
	struct nb *nb = nb_find(s, NB_CDP, idx, idxlen, 0);
	int ok;
	long n = int_value(v, &ok);
	if (!nb || !nb->subject)
		return;
	if (col == 9 && v->type == ASN_OCTET_STR && v->val_len == 4) {
		/* the TLV's bits; only the named ones, as off the wire */
		uint8_t b[4];
		memcpy(b, v->val.string, 4);
		b[0] = b[1] = 0;
		b[2] &= 1;
		caps_text(&sw->val, cdp_caps_names, CDP_CAPS_NAMED, b, 4, 0);
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "cdp.capabilities", sw->val.p, sw->val.len);
	} else if (col == 11 && ok && n > 0) {
		char t[24];
		snprintf(t, sizeof t, "%ld", n);
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "cdp.native-vlan", t, strlen(t));
	} else if (col == 18 && v->type == ASN_OBJECT_ID) {
		sw_value_text(v, &sw->val);
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "sysObjectID", sw->val.p, sw->val.len);
	} else if ((col == 20 || col == 22) && v->type == ASN_OCTET_STR) {
		cdp_address(sw, s, nb, nb->addr_type[col == 20 ? 1 : 2], v->val.string, v->val_len);
	} else if (col < (int)OS_ARRAY_LEN(keys) && keys[col] && v->type == ASN_OCTET_STR && v->val_len) {
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, keys[col], v->val.string, v->val_len);
	}
}

/* ---------- IP-MIB neighbours (ARP / ND caches) ---------- */

static void neighbour(struct sweep *sw, struct slot *s, const netsnmp_variable_list *v, const char *ip)
{
	if (v->type != ASN_OCTET_STR || !device_mac(v->val.string, v->val_len))
		return;
	char m[18];
	ev_mac_text(v->val.string, m);
	sw_emit(sw, s, SUBJ_MAC, m, "ip", ip, strlen(ip));
}

static void arp_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                      const netsnmp_variable_list *v)
{
	/* ipNetToPhysicalPhysAddress.ifIndex.addrType.len.addr */
	(void)col;
	if (idxlen < 4 || idx[2] > 20 || idxlen != 3 + idx[2])
		return;
	uint8_t a[20];
	for (size_t i = 0; i < idx[2]; i++) {
		if (idx[3 + i] > 255)
			return;
		a[i] = (uint8_t)idx[3 + i];
	}
	char text[64];
	if (inet_text(idx[1], a, idx[2], text, sizeof text))
		neighbour(sw, s, v, text);
}

static void arp_media_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                            const netsnmp_variable_list *v)
{
	/* ipNetToMediaPhysAddress.ifIndex.a.b.c.d */
	(void)col;
	if (idxlen != 5 || idx[1] > 255 || idx[2] > 255 || idx[3] > 255 || idx[4] > 255)
		return;
	char text[20];
	snprintf(text, sizeof text, "%u.%u.%u.%u", idx[1], idx[2], idx[3], idx[4]);
	neighbour(sw, s, v, text);
}

/* ---------- BRIDGE-MIB / Q-BRIDGE-MIB ---------- */

static void bridge_addr_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                              const netsnmp_variable_list *v)
{
	(void)col;
	if (idxlen == 1 && idx[0] == 0 && v->type == ASN_OCTET_STR && v->val_len)
		sw_emit(sw, s, SUBJ_IP, s->t.addr, "dot1dBaseBridgeAddress", v->val.string, v->val_len);
}

static void fdb(struct sweep *sw, struct slot *s, int col, const uint32_t *macidx, const netsnmp_variable_list *v)
{
	uint8_t mac[6];
	int ok;
	long n = int_value(v, &ok);
	if (!ok || !mac_from_idx(macidx, mac))
		return;
	if (col == 2) {
		char m[18], port[24];
		ev_mac_text(mac, m);
		snprintf(port, sizeof port, "%ld", n);
		sw_emit(sw, s, SUBJ_MAC, m, "fdb.port", port, strlen(port));
	} else if (col == 3 && n == 4) {
		/* status self(4): one of the switch's own addresses */
		sw_emit(sw, s, SUBJ_IP, s->t.addr, "fdb.self", mac, 6);
	}
}

static void qfdb_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                       const netsnmp_variable_list *v)
{
	if (idxlen == 7)        /* dot1qFdbId, then the MAC */
		fdb(sw, s, col, idx + 1, v);
}

static void dfdb_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                       const netsnmp_variable_list *v)
{
	if (idxlen == 6)
		fdb(sw, s, col, idx, v);
}

/* ---------- the plan ---------- */

#define OID(...) {__VA_ARGS__}, sizeof((oid[]){__VA_ARGS__}) / sizeof(oid)
#define COLS(...) {__VA_ARGS__}, sizeof((uint8_t[]){__VA_ARGS__})

const struct walk_def snmp_walks[W__COUNT] = {
	[W_ENTITY] = {"entPhysicalTable", OID(1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1),
	              COLS(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), -1, -1, 0, ent_value, NULL},
	[W_IF] = {"ifTable", OID(1, 3, 6, 1, 2, 1, 2, 2, 1), COLS(2, 3, 6), -1, -1, 0, if_value, NULL},
	[W_LLDP_IDS] = {"lldpRemTable", OID(1, 0, 8802, 1, 1, 2, 1, 4, 1, 1), COLS(4, 5, 6), -1, -1, 0,
	                lldp1_ids_value, lldp_ids_end},
	[W_LLDP_SYS] = {"lldpRemTable.sys", OID(1, 0, 8802, 1, 1, 2, 1, 4, 1, 1), COLS(7, 8, 9, 10, 11, 12),
	                W_LLDP_IDS, -1, 0, lldp1_sys_value, NULL},
	[W_LLDP_MAN] = {"lldpRemManAddrTable", OID(1, 0, 8802, 1, 1, 2, 1, 4, 2, 1), COLS(3), W_LLDP_IDS, -1, 0,
	                lldp1_man_value, NULL},
	[W_LLDP_MED] = {"lldpXMedRemInventoryTable", OID(1, 0, 8802, 1, 1, 2, 1, 5, 4795, 1, 3, 3, 1),
	                COLS(1, 2, 3, 4, 5, 6, 7), W_LLDP_IDS, -1, 0, lldp_med_value, NULL},
	[W_LLDP2_IDS] = {"lldpV2RemTable", OID(1, 3, 111, 2, 802, 1, 1, 13, 1, 4, 1, 1), COLS(5, 6, 7), -1,
	                 W_LLDP_IDS, 0, lldp2_ids_value, lldp_ids_end},
	[W_LLDP2_SYS] = {"lldpV2RemTable.sys", OID(1, 3, 111, 2, 802, 1, 1, 13, 1, 4, 1, 1),
	                 COLS(8, 9, 10, 11, 12, 13), W_LLDP2_IDS, -1, 0, lldp2_sys_value, NULL},
	[W_LLDP2_MAN] = {"lldpV2RemManAddrTable", OID(1, 3, 111, 2, 802, 1, 1, 13, 1, 4, 2, 1), COLS(3),
	                 W_LLDP2_IDS, -1, 0, lldp2_man_value, NULL},
	[W_CDP_IDS] = {"cdpCacheTable", OID(1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1), COLS(3, 4, 6, 19, 21), -1, -1,
	               0, cdp_ids_value, cdp_ids_end},
	[W_CDP_MORE] = {"cdpCacheTable.more", OID(1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1),
	                COLS(5, 7, 8, 9, 10, 11, 17, 18, 20, 22), W_CDP_IDS, -1, 0, cdp_more_value, NULL},
	[W_ARP] = {"ipNetToPhysicalTable", OID(1, 3, 6, 1, 2, 1, 4, 35, 1), COLS(4), -1, -1, 0, arp_value, NULL},
	[W_ARP_MEDIA] = {"ipNetToMediaTable", OID(1, 3, 6, 1, 2, 1, 4, 22, 1), COLS(2), -1, W_ARP, 0,
	                 arp_media_value, NULL},
	/* a scalar, walked so that an agent without it costs nothing extra */
	[W_BRIDGE_ADDR] = {"dot1dBaseBridgeAddress", OID(1, 3, 6, 1, 2, 1, 17, 1), COLS(1), -1, -1, 2,
	                   bridge_addr_value, NULL},
	[W_QFDB] = {"dot1qTpFdbTable", OID(1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1), COLS(2, 3), -1, -1, 0, qfdb_value,
	            NULL},
	[W_DFDB] = {"dot1dTpFdbTable", OID(1, 3, 6, 1, 2, 1, 17, 4, 3, 1), COLS(2, 3), -1, W_QFDB, 0, dfdb_value,
	            NULL},
};
const int snmp_nwalks = W__COUNT;
const int snmp_last_neighbour_walk = W_CDP_MORE;

void tables_free(struct slot *s)
{
	for (size_t i = 0; i < s->nnb; i++) {
		free(s->nb[i].cid);
		free(s->nb[i].addr);
		free(s->nb[i].subject);
	}
	free(s->nb);
	s->nb = NULL;
	s->nnb = s->nbcap = 0;
}
