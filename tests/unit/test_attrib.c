/* Attribution over a real store: device assembly (links, virtual router
 * MACs, gateway MACs), the vendor decision with agreeing and disagreeing
 * evidence, chip makers' MACs, ENTITY-MIB chassis and components, and
 * ownership on the scan's date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "check.h"
#include "kb.h"
#include "store.h"
#include "util.h"

static char dir[] = "/tmp/originscan-attrib-XXXXXX";
static struct store *st;

/* A scan of one part, begun. */
static int begin1(struct store *s, const char *command, const char *request, const char *kb, int64_t *id)
{
	struct scan_decl d = {.command = command, .request_json = request, .kb_version = kb};
	return store_begin_scan(s, &d, NULL, PART_NEW, id);
}

static int64_t new_scan(void)
{
	int64_t id;
	begin1(st, "test", "{}", "k", &id);
	return id;
}

static void put(int64_t scan, enum subj_kind sk, const char *subj, const char *key, const void *v, size_t n)
{
	struct ev_sink *s = store_sink(st, scan);
	ev_emit(s, "snmp", sk, subj, key, v, n, 1700000000000000LL, "test");
}

static void puts_(int64_t scan, enum subj_kind sk, const char *subj, const char *key, const char *v)
{
	put(scan, sk, subj, key, v, strlen(v));
}

struct devs {
	int n;
	struct device_row d[64];
	char *strs[64][13];
};

static char *dupn(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int grab(void *ctx, const struct device_row *d)
{
	struct devs *D = ctx;
	if (D->n >= 64)
		return 0;
	struct device_row *x = &D->d[D->n];
	char **s = D->strs[D->n];
	*x = *d;
	x->identity = s[0] = dupn(d->identity);
	x->vendor = s[1] = dupn(d->vendor);
	x->grp = s[2] = dupn(d->grp);
	x->model = s[3] = dupn(d->model);
	/* the verdict's typed rows, summarised for the checks */
	struct buf b = {0};
	buf_printf(&b, "disputed=%d;", d->disputed);
	for (size_t i = 0; i < d->nclaims; i++)
		buf_printf(&b, " claim key=%s vendor=%s nic_only=%d;", d->claims[i].key,
		           d->claims[i].vendor ? d->claims[i].vendor : "-", d->claims[i].nic_only);
	for (size_t i = 0; i < d->nclaims; i++)
		buf_printf(&b, " basis %s;", d->claims[i].basis ? d->claims[i].basis : "-");
	for (size_t i = 0; i < d->ncomponents; i++)
		buf_printf(&b, " component vendor=%s model=%s;", d->components[i].vendor ? d->components[i].vendor : "-",
		           d->components[i].model);
	s[4] = b.p;
	x->claims = NULL;
	x->nclaims = 0;
	x->components = NULL;
	x->ncomponents = 0;
	x->address = s[5] = dupn(d->address);
	x->name_seen = s[6] = dupn(d->name_seen);
	x->jurisdiction = s[7] = dupn(d->jurisdiction);
	x->name = s[8] = dupn(d->name);
	x->decided = s[9] = dupn(d->decided);
	x->brand = s[10] = dupn(d->brand);
	x->possibly = s[11] = dupn(d->possibly);
	x->firmware = s[12] = dupn(d->firmware);
	D->n++;
	return 0;
}

/* The typed rows of a device grab() kept, as text. */
static const char *summary(const struct devs *D, const struct device_row *d)
{
	return D->strs[d - D->d][4];
}

static void load(int64_t scan, int as_of, struct devs *D)
{
	char err[512];
	size_t n;
	memset(D, 0, sizeof *D);
	store_commit(st);
	if (attribute_scan(st, scan, as_of, &n, err, sizeof err) < 0)
		fprintf(stderr, "attribute_scan: %s\n", err);
	store_each_device(st, scan, grab, D);
	CHECK_INT(n, (size_t)D->n);
}

static void unload(struct devs *D)
{
	for (int i = 0; i < D->n; i++)
		for (int j = 0; j < 13; j++)
			free(D->strs[i][j]);
}

static const struct device_row *by_addr(const struct devs *D, const char *addr)
{
	for (int i = 0; i < D->n; i++)
		if (D->d[i].address && !strcmp(D->d[i].address, addr))
			return &D->d[i];
	return NULL;
}

static const uint8_t huawei_mac[6] = {0x00, 0x1e, 0x10, 0xaa, 0xbb, 0xcc};
static const uint8_t vrrp_mac[6] = {0x00, 0x00, 0x5e, 0x00, 0x01, 0x07};
static const uint8_t cisco_mac[6] = {0x00, 0x00, 0x0c, 0x11, 0x22, 0x33};

static void test_assembly(void)
{
	struct devs D;
	int64_t s = new_scan();
	/* a router: its sysObjectID and its interface MAC agree */
	puts_(s, SUBJ_IP, "10.0.0.1", "sysObjectID", "1.3.6.1.4.1.2011.2.62.2.9");
	put(s, SUBJ_IP, "10.0.0.1", "ifPhysAddress.1", huawei_mac, 6);
	put(s, SUBJ_IP, "10.0.0.1", "ifPhysAddress.9", vrrp_mac, 6);
	/* the same MAC seen passively with a DHCP vendor class: same device */
	puts_(s, SUBJ_MAC, "00:1e:10:aa:bb:cc", "dhcp.vendor-class", "anything");
	/* a second router sharing the VRRP MAC: must stay a device of its own */
	puts_(s, SUBJ_IP, "10.0.0.2", "sysObjectID", "1.3.6.1.4.1.9.1.1017");
	put(s, SUBJ_IP, "10.0.0.2", "ifPhysAddress.9", vrrp_mac, 6);
	/* twenty addresses behind one proxy-ARP MAC: twenty devices, none
	 * attributed to the proxy's maker */
	for (int i = 0; i < 20; i++) {
		char ip[32];
		snprintf(ip, sizeof ip, "10.9.0.%d", i + 1);
		put(s, SUBJ_IP, ip, "mac", cisco_mac, 6);
	}
	store_finish_scan(st, s, SCAN_COMPLETE, NULL);
	load(s, 0, &D);
	CHECK_INT(D.n, 22);
	const struct device_row *r1 = by_addr(&D, "10.0.0.1"), *r2 = by_addr(&D, "10.0.0.2");
	CHECK(r1 && r2 && r1 != r2);
	if (r1) {
		CHECK_STR(r1->vendor, "huawei");
		CHECK_STR(r1->identity, "mac:00:1e:10:aa:bb:cc");
		CHECK(r1->confidence > 80);     /* two independent keys agree */
	}
	if (r2)
		CHECK_STR(r2->vendor, "cisco");
	const struct device_row *p = by_addr(&D, "10.9.0.7");
	CHECK(p != NULL);
	if (p) {
		CHECK(p->vendor == NULL);
		CHECK_INT(p->confidence, 0);
	}
	unload(&D);
}

static const struct device_row *by_identity(const struct devs *D, const char *id)
{
	for (int i = 0; i < D->n; i++)
		if (!strcmp(D->d[i].identity, id))
			return &D->d[i];
	return NULL;
}

/* Devices get the name they go by, from the best source; a CDP neighbour
 * stating 0.0.0.0 (no address set) has no address, and two of them are
 * not joined into one device by it. */
static void test_names(void)
{
	struct devs D;
	int64_t s = new_scan();
	/* polled: sysName wins over the LLDP name a neighbour heard */
	puts_(s, SUBJ_IP, "10.0.0.1", "sysObjectID", "1.3.6.1.4.1.2011.2.62.2.9");
	puts_(s, SUBJ_IP, "10.0.0.1", "sysName", " core-r1.example.net ");
	puts_(s, SUBJ_CHASSIS, "mac:00:1e:10:aa:bb:01", "lldp.sysname", "core-r1-lldp");
	puts_(s, SUBJ_CHASSIS, "mac:00:1e:10:aa:bb:01", "lldp.mgmt-addr", "10.0.0.1");
	puts_(s, SUBJ_CHASSIS, "mac:00:1e:10:aa:bb:01", "ip", "10.0.0.1");
	/* two CDP neighbours without an address */
	puts_(s, SUBJ_CHASSIS, "name:sw-a", "cdp.device-id", "sw-a");
	puts_(s, SUBJ_CHASSIS, "name:sw-a", "ip", "0.0.0.0");
	puts_(s, SUBJ_CHASSIS, "name:sw-a", "cdp.address", "0.0.0.0");
	puts_(s, SUBJ_CHASSIS, "name:sw-b", "cdp.device-id", "sw-b");
	puts_(s, SUBJ_CHASSIS, "name:sw-b", "cdp.sysname", "sw-b-sys");
	puts_(s, SUBJ_CHASSIS, "name:sw-b", "ip", "0.0.0.0");
	/* a DHCP client: its host name */
	puts_(s, SUBJ_MAC, "00:1e:10:aa:bb:02", "dhcp.hostname", "cam-lobby");
	store_finish_scan(st, s, SCAN_COMPLETE, NULL);
	load(s, 0, &D);
	CHECK_INT(D.n, 4);
	const struct device_row *r = by_addr(&D, "10.0.0.1"), *a = by_identity(&D, "chassis:name:sw-a"),
	                        *b = by_identity(&D, "chassis:name:sw-b"), *c = by_identity(&D, "mac:00:1e:10:aa:bb:02");
	CHECK(r && a && b && c);
	if (r)
		CHECK_STR(r->name, "core-r1.example.net");
	if (a) {
		CHECK_STR(a->name, "sw-a");
		CHECK(a->address == NULL);
	}
	if (b) {
		CHECK_STR(b->name, "sw-b-sys");
		CHECK(b->address == NULL);
	}
	if (c)
		CHECK_STR(c->name, "cam-lobby");
	CHECK(by_addr(&D, "0.0.0.0") == NULL);
	unload(&D);
}

static void test_decisions(void)
{
	struct devs D;
	int64_t s = new_scan();
	/* a chip maker's MAC names the NIC, not the box */
	const uint8_t intel[6] = {0x00, 0x1b, 0x21, 0x01, 0x02, 0x03};
	put(s, SUBJ_IP, "10.1.0.1", "ifPhysAddress.2", intel, 6);
	/* ENTITY-MIB: a Huawei chassis holding a Cisco optic */
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalClass.1", "3");
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalContainedIn.1", "0");
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalMfgName.1", "Huawei Technologies Co., Ltd.");
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalModelName.1", "NE40E-X8A");
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalSerialNum.1", "2102351234ABC");
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalClass.7", "10");
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalContainedIn.7", "1");
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalMfgName.7", "CISCO-FINISAR");
	puts_(s, SUBJ_IP, "10.1.0.2", "entPhysicalModelName.7", "SFP-10G-LR");
	/* disagreement: ENTITY says Huawei, sysObjectID names a Cisco model */
	puts_(s, SUBJ_IP, "10.1.0.3", "entPhysicalClass.1", "3");
	puts_(s, SUBJ_IP, "10.1.0.3", "entPhysicalContainedIn.1", "0");
	puts_(s, SUBJ_IP, "10.1.0.3", "entPhysicalMfgName.1", "Huawei Technologies Co., Ltd.");
	puts_(s, SUBJ_IP, "10.1.0.3", "sysObjectID", "1.3.6.1.4.1.9.1.1017");
	/* Diameter Vendor-Id 0 claims no vendor */
	puts_(s, SUBJ_NAME, "hss1.epc.example", "diameter.vendor-id", "0");
	/* net-snmp's enterprise: software, no maker */
	puts_(s, SUBJ_IP, "10.1.0.5", "sysObjectID", "1.3.6.1.4.1.8072.3.2.10");
	store_finish_scan(st, s, SCAN_COMPLETE, NULL);
	load(s, 0, &D);
	CHECK_INT(D.n, 5);
	const struct device_row *a = by_addr(&D, "10.1.0.1");
	CHECK(a != NULL);
	if (a) {
		CHECK(a->vendor == NULL);
		CHECK_STR(a->name_seen, "Intel Corporate");
		CHECK(strstr(summary(&D, a), "nic_only=1") != NULL);
	}
	const struct device_row *b = by_addr(&D, "10.1.0.2");
	CHECK(b != NULL);
	if (b) {
		CHECK_STR(b->vendor, "huawei");
		CHECK_STR(b->model, "NE40E-X8A");
		CHECK_STR(b->identity, "serial:huawei:2102351234ABC");
		CHECK(strstr(summary(&D, b), "component vendor=cisco model=SFP-10G-LR;") != NULL);
	}
	const struct device_row *c = by_addr(&D, "10.1.0.3");
	CHECK(c != NULL);
	if (c) {
		/* the chassis data (the device's own) outranks a sysObjectID
		 * naming another maker, whatever their weights; the verdict says
		 * it is disputed and keeps the loser as a dispute */
		CHECK_STR(c->vendor, "huawei");
		CHECK(c->confidence < 85);
		CHECK(strstr(summary(&D, c), "disputed=1;") != NULL);
		CHECK(strstr(summary(&D, c), "vendor=huawei nic_only") != NULL);
	}
	const struct device_row *e = by_addr(&D, "10.1.0.5");
	CHECK(e != NULL);
	if (e)
		CHECK(e->vendor == NULL);
	for (int i = 0; i < D.n; i++)
		if (!strcmp(D.d[i].identity, "name:hss1.epc.example"))
			CHECK(D.d[i].vendor == NULL);
	unload(&D);
}

static void test_as_of(void)
{
	struct devs D;
	int64_t s = new_scan();
	puts_(s, SUBJ_IP, "10.2.0.1", "sysObjectID", "1.3.6.1.4.1.25506.1.1");
	store_finish_scan(st, s, SCAN_COMPLETE, NULL);
	load(s, os_parse_date("2005-06-01"), &D);
	CHECK_INT(D.n, 1);
	CHECK_STR(D.d[0].vendor, "h3c");
	CHECK_STR(D.d[0].grp, "huawei");
	unload(&D);
	load(s, os_parse_date("2020-06-01"), &D);
	CHECK_STR(D.d[0].grp, "unisplendour");
	CHECK_STR(D.d[0].jurisdiction, "CN");
	unload(&D);
	/* reattribution replaced the verdicts and recorded how */
	struct scan_info si;
	store_scan_info(st, s, &si);
	CHECK_INT(si.attrib_as_of, 20200601);
	CHECK(si.attrib_kb && *si.attrib_kb);
	scan_info_free(&si);
}

/* Conflicts decided on evidence strength, registry-only makers, brand and
 * maker, disputes, and the firmware that is the device's. */
static void test_strength(void)
{
	struct devs D;
	int64_t s = new_scan();
	/* the device's description names Cisco; its sysObjectID sits under
	 * Huawei's enterprise: the description wins, Huawei stays disputed */
	puts_(s, SUBJ_IP, "10.3.0.1", "sysDescr",
	      "Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.2(4)E10, RELEASE SOFTWARE (fc2)");
	puts_(s, SUBJ_IP, "10.3.0.1", "sysObjectID", "1.3.6.1.4.1.2011.2.23.999");
	/* only an interface MAC says Huawei: possibly Huawei, not Huawei */
	put(s, SUBJ_IP, "10.3.0.2", "ifPhysAddress.1", huawei_mac, 6);
	/* sysObjectID alone under Huawei's enterprise: firm enough */
	puts_(s, SUBJ_IP, "10.3.0.3", "sysObjectID", "1.3.6.1.4.1.2011.2.23.999");
	/* LLDP it sends outranks the OUI of its interface */
	puts_(s, SUBJ_IP, "10.3.0.4", "lldp.sysdesc", "Juniper Networks, Inc. ex4300-48t Ethernet Switch, kernel JUNOS 21.4R3-S4.9");
	put(s, SUBJ_IP, "10.3.0.4", "ifPhysAddress.1", cisco_mac, 6);
	/* a registry-only maker: Eltex's enterprise, with a Linux description */
	puts_(s, SUBJ_IP, "10.3.0.5", "sysObjectID", "1.3.6.1.4.1.35265.1.22");
	puts_(s, SUBJ_IP, "10.3.0.5", "sysDescr", "Linux LTP-8X 2.6.22.18 #1 Fri Sep 2 10:00:29 UTC 2016 armv5tejl");
	/* brand and maker: HP on the box, H3C's Comware inside */
	puts_(s, SUBJ_IP, "10.3.0.6", "sysDescr",
	      "HP Comware Platform Software, Software Version 7.1.045, Release 2422P01 HP 5900AF-48XG-4QSFP+ Switch");
	/* a software stack's enterprise number and a software stack's name in
	 * ENTITY-MIB: no maker from either; the OUI (a curated maker) decides */
	puts_(s, SUBJ_IP, "10.3.0.7", "sysObjectID", "1.3.6.1.4.1.8072.3.2.10");
	puts_(s, SUBJ_IP, "10.3.0.7", "entPhysicalClass.1", "3");
	puts_(s, SUBJ_IP, "10.3.0.7", "entPhysicalContainedIn.1", "0");
	puts_(s, SUBJ_IP, "10.3.0.7", "entPhysicalMfgName.1", "Aricent");
	const uint8_t cisco_mac2[6] = {0x00, 0x00, 0x0c, 0x44, 0x55, 0x66};
	put(s, SUBJ_IP, "10.3.0.7", "ifPhysAddress.1", cisco_mac2, 6);
	/* firmware: OpenSSH's version is not the device's; the chassis model
	 * beats the family name of the description */
	puts_(s, SUBJ_IP, "10.3.0.8", "ssh.banner", "SSH-2.0-OpenSSH_8.4");
	puts_(s, SUBJ_IP, "10.3.0.8", "sysDescr", "RouterOS RB4011iGS+");
	puts_(s, SUBJ_IP, "10.3.0.8", "entPhysicalClass.1", "3");
	puts_(s, SUBJ_IP, "10.3.0.8", "entPhysicalContainedIn.1", "0");
	puts_(s, SUBJ_IP, "10.3.0.8", "entPhysicalMfgName.1", "MikroTik");
	puts_(s, SUBJ_IP, "10.3.0.8", "entPhysicalModelName.1", "RB4011iGS+RM");
	store_finish_scan(st, s, SCAN_COMPLETE, NULL);
	load(s, os_parse_date("2024-03-01"), &D);
	const struct device_row *d;
	if ((d = by_addr(&D, "10.3.0.1"))) {
		CHECK_STR(d->vendor, "cisco");
		CHECK_INT(d->disputed, 1);
		CHECK_STR(d->possibly, "huawei");
		CHECK(d->decided && !strncmp(d->decided, "sysDescr (the device's own description)", 39));
	} else
		CHECK(0);
	if ((d = by_addr(&D, "10.3.0.2"))) {
		CHECK(d->vendor == NULL);
		CHECK_INT(d->disputed, 1);
		CHECK(d->possibly != NULL);
	} else
		CHECK(0);
	if ((d = by_addr(&D, "10.3.0.3")))
		CHECK_STR(d->vendor, "huawei");
	else
		CHECK(0);
	if ((d = by_addr(&D, "10.3.0.4")))
		CHECK_STR(d->vendor, "juniper");
	else
		CHECK(0);
	if ((d = by_addr(&D, "10.3.0.5"))) {
		CHECK_STR(d->vendor, "reg.eltex-enterprise");
		CHECK_STR(d->jurisdiction, "RU");
		CHECK(d->confidence <= 60);
		CHECK_INT(d->registry_only, 1);
	} else
		CHECK(0);
	if ((d = by_addr(&D, "10.3.0.6"))) {
		CHECK_STR(d->vendor, "h3c");
		CHECK_STR(d->brand, "hp");
	} else
		CHECK(0);
	if ((d = by_addr(&D, "10.3.0.7")))
		CHECK_STR(d->vendor, "cisco");
	else
		CHECK(0);
	if ((d = by_addr(&D, "10.3.0.8"))) {
		CHECK_STR(d->vendor, "mikrotik");
		CHECK_STR(d->model, "RB4011iGS+RM");
		CHECK(!d->firmware || !strstr(d->firmware, "8.4"));
	} else
		CHECK(0);
	unload(&D);
}

/* Who is no maker: a standards body's enterprise number (many makers'
 * EPON OLTs report the Chinese radio and television committee's),
 * Windows' SNMP agent under Microsoft's, a VMware certificate; and a
 * product line that moved names its owner on the scan's date. */
static void test_not_makers(void)
{
	struct devs D;
	int64_t s = new_scan();
	puts_(s, SUBJ_IP, "10.4.0.1", "sysObjectID", "1.3.6.1.4.1.17409.1.10");
	puts_(s, SUBJ_IP, "10.4.0.1", "sysDescr", "EPON OLT P3608, 8 PON ports");
	puts_(s, SUBJ_IP, "10.4.0.2", "sysObjectID", "1.3.6.1.4.1.311.1.1.3.1.3");
	puts_(s, SUBJ_IP, "10.4.0.2", "sysDescr",
	      "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)");
	puts_(s, SUBJ_IP, "10.4.0.3", "tls.subject", "CN=vdi01.corp.example,OU=VMware Horizon View default certificate,O=VMware\\, Inc.");
	puts_(s, SUBJ_IP, "10.4.0.4", "sysDescr",
	      "Ethernet Routing Switch 4548GT-PWR  HW:AB  FW:5.3.0.3  SW:v5.6.1.052 BN:52 (c) Avaya Networks");
	store_finish_scan(st, s, SCAN_COMPLETE, NULL);
	const struct device_row *d;
	load(s, os_parse_date("2024-03-01"), &D);
	if ((d = by_addr(&D, "10.4.0.1"))) {
		CHECK(d->vendor == NULL);
		CHECK(strstr(summary(&D, d), "claim key=sysObjectID vendor=- nic_only=0;") != NULL);
		CHECK(strstr(summary(&D, d), "standards body") != NULL);
	} else
		CHECK(0);
	if ((d = by_addr(&D, "10.4.0.2")))
		CHECK(d->vendor == NULL);
	else
		CHECK(0);
	if ((d = by_addr(&D, "10.4.0.3")))
		CHECK(d->vendor == NULL);
	else
		CHECK(0);
	if ((d = by_addr(&D, "10.4.0.4"))) {
		CHECK_STR(d->vendor, "nortel-enterprise-data");
		CHECK_STR(d->grp, "extreme");
	} else
		CHECK(0);
	unload(&D);
	/* the same walk judged in 2012: Avaya owned the line */
	load(s, os_parse_date("2012-03-01"), &D);
	if ((d = by_addr(&D, "10.4.0.4")))
		CHECK_STR(d->grp, "avaya");
	else
		CHECK(0);
	unload(&D);
}

int main(void)
{
	char err[512];
	if (!mkdtemp(dir) || kb_init(err, sizeof err) < 0)
		return 1;
	char *db = xasprintf("%s/a.db", dir);
	st = store_open(db, err, sizeof err);
	if (!st) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	test_assembly();
	test_names();
	test_decisions();
	test_as_of();
	test_strength();
	test_not_makers();
	store_close(st);
	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not clean %s\n", dir);
	free(cmd);
	free(db);
	CHECK_DONE();
}
