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

/* LLDP chassis and port ids as subject text, exactly as the capture
 * collector writes them off the wire (collectors/pcap/lldp.c), so that a
 * neighbour seen both ways is one subject: "<kind>:<id>" with MACs and
 * IPv4/IPv6 network addresses decoded, printable ids as text (a
 * backslash as \x5c), and anything else "hex:<hex>". */
static void lldp_id(int is_port, int subtype, const uint8_t *b, size_t n, struct buf *out)
{
	static const char *const chassis_kind[] = {"hex", "chassis", "ifalias", "port", "mac", "ip", "if", "local"};
	static const char *const port_kind[] = {"hex", "ifalias", "port", "mac", "ip", "if", "circuit", "local"};
	const char *kind = subtype >= 0 && subtype <= 7 ? (is_port ? port_kind : chassis_kind)[subtype] : "hex";
	int printable = n > 0;
	buf_reset(out);
	if (subtype == (is_port ? 3 : 4) && n == 6) {
		char m[18];
		ev_mac_text(b, m);
		buf_printf(out, "mac:%s", m);
		return;
	}
	if (subtype == (is_port ? 4 : 5) && n >= 1) {
		char a[64];
		/* IANA address family first: 1 IPv4, 2 IPv6 */
		if ((b[0] == 1 && n == 5 && inet_ntop(AF_INET, b + 1, a, sizeof a)) ||
		    (b[0] == 2 && n == 17 && inet_ntop(AF_INET6, b + 1, a, sizeof a))) {
			buf_printf(out, "ip:%s", a);
			return;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (b[i] < 0x20 || b[i] >= 0x7f)
			printable = 0;
	if (printable && strcmp(kind, "hex") && strcmp(kind, "mac") && strcmp(kind, "ip")) {
		buf_printf(out, "%s:", kind);
		for (size_t i = 0; i < n; i++)
			if (b[i] == '\\')
				buf_adds(out, "\\x5c");
			else
				buf_addc(out, (char)b[i]);
		return;
	}
	buf_adds(out, "hex:");
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%02x", b[i]);
}

/* LldpSystemCapabilitiesMap (BITS, bit 0 the first byte's top bit). */
static void lldp_caps(const uint8_t *b, size_t n, struct buf *out)
{
	/* the names the capture collector gives the same bits */
	static const char *const names[] = {"other", "repeater", "bridge", "wlan-ap", "router", "telephone",
	                                     "docsis", "station", "c-vlan", "s-vlan", "two-port-mac-relay"};
	buf_reset(out);
	for (size_t bit = 0; bit < n * 8; bit++) {
		if (!(b[bit / 8] & (0x80 >> (bit % 8))))
			continue;
		if (out->len)
			buf_addc(out, ',');
		if (bit < OS_ARRAY_LEN(names))
			buf_adds(out, names[bit]);
		else
			buf_printf(out, "bit%zu", bit);
	}
}

/* ---------- ENTITY-MIB ---------- */

static const char *ent_column(int col)
{
	switch (col) {
	case 2: return "Descr";
	case 3: return "VendorType";
	case 4: return "ContainedIn";
	case 5: return "Class";
	case 7: return "Name";
	case 8: return "HardwareRev";
	case 9: return "FirmwareRev";
	case 10: return "SoftwareRev";
	case 11: return "SerialNum";
	case 12: return "MfgName";
	case 13: return "ModelName";
	}
	return NULL;
}

static void ent_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                      const netsnmp_variable_list *v)
{
	const char *name = ent_column(col);
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

/* ---------- LLDP-MIB ---------- */

static struct lldp_nb *nb_find(struct slot *s, const uint32_t *idx, int create)
{
	for (size_t i = s->nnb; i > 0; i--)
		if (!memcmp(s->nb[i - 1].idx, idx, sizeof s->nb[i - 1].idx))
			return &s->nb[i - 1];
	if (!create || s->nnb >= MAX_LLDP_NEIGHBOURS)
		return NULL;
	if (s->nnb == s->nbcap) {
		s->nbcap = s->nbcap ? s->nbcap * 2 : 8;
		s->nb = xrealloc(s->nb, s->nbcap * sizeof *s->nb);
	}
	struct lldp_nb *nb = &s->nb[s->nnb++];
	memset(nb, 0, sizeof *nb);
	memcpy(nb->idx, idx, sizeof nb->idx);
	nb->chassis_subtype = nb->port_subtype = -1;
	return nb;
}

/* Stage 1: chassis id subtype, chassis id, port id subtype: the neighbour
 * is a subject before any of its other values can be stored. */
static void lldp_ids_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                           const netsnmp_variable_list *v)
{
	(void)sw;
	if (idxlen != 3)
		return;
	struct lldp_nb *nb = nb_find(s, idx, 1);
	int ok;
	long n = int_value(v, &ok);
	if (!nb)
		return;
	if (col == 4 && ok)
		nb->chassis_subtype = (int)n;
	else if (col == 6 && ok)
		nb->port_subtype = (int)n;
	else if (col == 5 && v->type == ASN_OCTET_STR && !nb->cid) {
		nb->cid = xmalloc(v->val_len ? v->val_len : 1);
		memcpy(nb->cid, v->val.string, v->val_len);
		nb->cidlen = v->val_len;
	}
}

static void lldp_ids_end(struct sweep *sw, struct slot *s)
{
	struct buf b = {0};
	for (size_t i = 0; i < s->nnb; i++) {
		struct lldp_nb *nb = &s->nb[i];
		if (nb->chassis_subtype < 0 || !nb->cid || !nb->cidlen)
			continue;
		lldp_id(0, nb->chassis_subtype, nb->cid, nb->cidlen, &b);
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
                           const netsnmp_variable_list *v)
{
	static const char *const keys[] = {[7] = "lldp.port-id", [8] = "lldp.port-desc", [9] = "lldp.sysname",
	                                   [10] = "lldp.sysdesc", [11] = "lldp.caps",
	                                   [12] = "lldp.caps-enabled"};
	struct lldp_nb *nb = idxlen == 3 ? nb_find(s, idx, 0) : NULL;
	if (!nb || !nb->subject || col < 7 || col > 12)
		return;
	if (v->type != ASN_OCTET_STR) {
		sw_value_text(v, &sw->val);
	} else if (col == 7) {
		lldp_id(1, nb->port_subtype, v->val.string, v->val_len, &sw->val);
	} else if (col == 11 || col == 12) {
		lldp_caps(v->val.string, v->val_len, &sw->val);
	} else {
		buf_reset(&sw->val);
		buf_add(&sw->val, v->val.string, v->val_len);
	}
	sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, keys[col], sw->val.p, sw->val.len);
}

/* lldpRemManAddrTable: the address is in the row index (subtype, then a
 * length-prefixed octet string). */
static void lldp_man_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                           const netsnmp_variable_list *v)
{
	(void)col;
	(void)v;
	if (idxlen < 6)
		return;
	struct lldp_nb *nb = nb_find(s, idx, 0);
	size_t len = idx[4];
	if (!nb || !nb->subject || len > 31 || idxlen != 5 + len)
		return;
	uint8_t a[32];
	for (size_t i = 0; i < len; i++) {
		if (idx[5 + i] > 255)
			return;
		a[i] = (uint8_t)idx[5 + i];
	}
	char text[64];
	if (inet_text(idx[3], a, len, text, sizeof text)) {
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "lldp.mgmt-addr", text, strlen(text));
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "ip", text, strlen(text));
	}
	else if (idx[3] == 6 && device_mac(a, len))     /* IANA family 6: 802 MAC */
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "mac", a, 6);
}

/* LLDP-EXT-MED-MIB inventory of the neighbour (phones, APs, cameras). */
static void lldp_med_value(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
                           const netsnmp_variable_list *v)
{
	static const char *const keys[] = {[1] = "lldp.med.hw-rev", [2] = "lldp.med.fw-rev",
	                                   [3] = "lldp.med.sw-rev", [4] = "lldp.med.serial",
	                                   [5] = "lldp.med.manufacturer", [6] = "lldp.med.model",
	                                   [7] = "lldp.med.asset-id"};
	struct lldp_nb *nb = idxlen == 3 ? nb_find(s, idx, 0) : NULL;
	if (!nb || !nb->subject || col < 1 || col > 7)
		return;
	sw_value_text(v, &sw->val);
	sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, keys[col], sw->val.p, sw->val.len);
	if (col == 4 && sw->val.len)        /* as the capture collector: the serial identifies it */
		sw_emit(sw, s, SUBJ_CHASSIS, nb->subject, "chassis.serial", sw->val.p, sw->val.len);
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
	              COLS(2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13), -1, -1, 0, ent_value, NULL},
	[W_IF] = {"ifTable", OID(1, 3, 6, 1, 2, 1, 2, 2, 1), COLS(2, 3, 6), -1, -1, 0, if_value, NULL},
	[W_LLDP_IDS] = {"lldpRemTable", OID(1, 0, 8802, 1, 1, 2, 1, 4, 1, 1), COLS(4, 5, 6), -1, -1, 0,
	                lldp_ids_value, lldp_ids_end},
	[W_LLDP_SYS] = {"lldpRemTable.sys", OID(1, 0, 8802, 1, 1, 2, 1, 4, 1, 1), COLS(7, 8, 9, 10, 11, 12),
	                W_LLDP_IDS, -1, 0, lldp_sys_value, NULL},
	[W_LLDP_MAN] = {"lldpRemManAddrTable", OID(1, 0, 8802, 1, 1, 2, 1, 4, 2, 1), COLS(3), W_LLDP_IDS, -1, 0,
	                lldp_man_value, NULL},
	[W_LLDP_MED] = {"lldpXMedRemInventoryTable", OID(1, 0, 8802, 1, 1, 2, 1, 5, 4795, 1, 3, 3, 1),
	                COLS(1, 2, 3, 4, 5, 6, 7), W_LLDP_IDS, -1, 0, lldp_med_value, NULL},
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

void tables_free(struct slot *s)
{
	for (size_t i = 0; i < s->nnb; i++) {
		free(s->nb[i].cid);
		free(s->nb[i].subject);
	}
	free(s->nb);
	s->nb = NULL;
	s->nnb = s->nbcap = 0;
}
