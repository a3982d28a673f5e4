/* bench/report_fill: fills a database for bench/report.sh through the
 * project's own store API and attribution, as a real scan would: two
 * complete scans of NDEVICES devices each, with the evidence an SNMP
 * sweep stores (system group, an interface MAC from the vendor's IEEE
 * block, for a third of them ENTITY-MIB chassis and a transceiver, some
 * of another maker), a site map of /20 sites in several domains and three
 * operators, and between the scans what a network sees in a day: about
 * 1% removed, 1% added, 0.5% moved, 0.5% replaced (often by another
 * vendor) and 2% firmware upgrades.
 *
 *   report_fill DB NDEVICES      (DB: an SQLite file or a PostgreSQL URI)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "attrib.h"
#include "kb.h"
#include "sitemap.h"
#include "store.h"
#include "util.h"

struct vendor {
	const char *name;
	int weight;                     /* per mille */
	const char *oid;
	uint8_t oui[3];
	const char *mfg;                /* ENTITY-MIB manufacturer name */
	const char *models[3];
	const char *versions[4];
	const char *descr;              /* printf: model, version */
};

static const struct vendor vendors[] = {
	{"huawei", 300, "1.3.6.1.4.1.2011.2.62.2.9", {0x30, 0xfb, 0xb8}, "Huawei Technologies Co., Ltd.",
	 {"NE40E", "NE8000 M8", "ATN910C"},
	 {"V800R011C00SPC100", "V800R012C10SPC300", "V800R021C10SPC600", "V800R022C00SPC100"},
	 "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (%s %s)\r\n"
	 "Copyright (C) 2012-2022 Huawei Technologies Co., Ltd.\r\nHUAWEI %s\r\n"},
	{"ericsson", 250, "1.3.6.1.4.1.193.218.2.11", {0x54, 0x9b, 0x72}, "Ericsson AB",
	 {"Router6672", "Router6675", "Router6471"},
	 {"IPOS-19.1.1.4-Release", "IPOS-20.2.1.2-Release", "IPOS-21.1.2.1-Release", "IPOS-22.1.1.3-Release"},
	 "%s Ericsson IPOS Version %s\r\nBuilt by sysbuild@lab Tue Mar 26 10:13:01 PDT 2019\r\n"
	 "Copyright (C) 1998-2019, Ericsson AB. All rights reserved.%s"},
	{"nokia", 200, "1.3.6.1.4.1.6527.1.3.17", {0x40, 0x55, 0x82}, "Nokia",
	 {"7750 SR", "7250 IXR", "7705 SAR"},
	 {"TiMOS-C-20.10.R3", "TiMOS-C-21.10.R2", "TiMOS-C-22.10.R1", "TiMOS-C-23.3.R2"},
	 "%s%s cpm/hops64 Nokia 7750 SR Copyright (c) 2000-2020 Nokia.\r\nAll rights reserved."},
	{"zte", 80, "1.3.6.1.4.1.3902.3.100.20", {0x08, 0x60, 0x83}, "ZTE Corporation",
	 {"M6000-8S Plus", "M6000-18S", "5960-56QU"},
	 {"V5.00.10(5.0.10)", "V5.00.20(5.0.20)", "V5.00.30(5.0.30)", "V5.00.40(5.0.40)"},
	 "ZXR10 ROS Version V4.08.23 ZXR10 %s Software, Version %s, RELEASE SOFTWARE Copyright (c) 2000-2019 by "
	 "ZTE Corporation%s"},
	{"cisco", 80, "1.3.6.1.4.1.9.1.1017", {0xf4, 0xbd, 0x9e}, "Cisco Systems Inc",
	 {"ASR9K", "NCS-5500", "ASR9K"},
	 {"6.5.3", "7.3.2", "7.5.2", "7.9.1"},
	 "Cisco IOS XR Software (Cisco %s Series),  Version %s[Default]\r\nCopyright (c) 2019 by Cisco Systems, Inc.%s"},
	{"juniper", 50, "1.3.6.1.4.1.2636.1.1.1.2.25", {0x94, 0xf7, 0xad}, "Juniper Networks",
	 {"mx480", "mx960", "mx204"},
	 {"18.4R3-S4.2", "20.4R3-S2", "21.4R3-S5", "22.4R2-S1"},
	 "Juniper Networks, Inc. %s internet router, kernel JUNOS %s, Build date: 2020-06-25 21:06:35 UTC "
	 "Copyright (c) 1996-2020 Juniper Networks, Inc.%s"},
	{NULL, 40, "1.3.6.1.4.1.8072.3.2.10", {0x02, 0x00, 0x5e}, NULL, {"x86_64", "x86_64", "aarch64"},
	 {"6.1.0-27-amd64", "6.1.0-28-amd64", "6.1.0-30-amd64", "6.1.0-31-amd64"},
	 "Linux host %s %s #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)%s"},
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static const struct vendor *vendor_of(uint64_t h)
{
	int r = (int)(h % 1000), acc = 0;
	for (size_t i = 0; i < OS_ARRAY_LEN(vendors); i++) {
		acc += vendors[i].weight;
		if (r < acc)
			return &vendors[i];
	}
	return &vendors[OS_ARRAY_LEN(vendors) - 1];
}

/* One device of a scan: its address, the seed of its identity (MAC and
 * serial), its vendor seed and its firmware generation. */
struct dev {
	uint32_t ip;                    /* host order */
	uint32_t unit;                  /* unique per physical device: MAC and serial */
	uint64_t ident, vseed;
	int fw;
};

static int emit_device(struct ev_sink *sk, const struct dev *d)
{
	const struct vendor *v = vendor_of(d->vseed);
	const char *model = v->models[d->vseed / 1000 % 3];
	const char *ver = v->versions[(d->fw + (int)(d->vseed / 3000 % 2)) % 4];
	char ip[20], descr[600], name[64], mac[6], serial[32], key[64];
	int64_t now = os_now_us();
	snprintf(ip, sizeof ip, "%u.%u.%u.%u", d->ip >> 24, d->ip >> 16 & 255, d->ip >> 8 & 255, d->ip & 255);
	/* the templates above are constants with three %s each */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(descr, sizeof descr, v->descr, model, ver, !strncmp(v->descr, "Huawei", 6) ? model : "");
#pragma GCC diagnostic pop
	snprintf(name, sizeof name, "ne-%llx.example.net", (unsigned long long)(d->ident & 0xffffff));
	const char *src = ip;
#define E(k, val) ev_emit_str(sk, "snmp", SUBJ_IP, ip, k, val, now, src)
	int rc = E("sysDescr", descr) | E("sysObjectID", v->oid) | E("sysUpTime", "123456789") |
	         E("sysContact", "noc@example.net") | E("sysName", name) | E("sysLocation", "rack 4, row B");
	int kind = (int)(d->ident % 10);
	if (kind >= 1) {                /* 90%: an interface MAC from the maker's block */
		memcpy(mac, v->oui, 3);
		mac[3] = (char)(d->unit >> 16);
		mac[4] = (char)(d->unit >> 8);
		mac[5] = (char)d->unit;
		rc |= ev_emit(sk, "snmp", SUBJ_IP, ip, "ifPhysAddress.1", mac, 6, now, src);
	}
	if (kind >= 7 && v->mfg) {      /* 30%: ENTITY-MIB chassis and a transceiver */
		snprintf(serial, sizeof serial, "SN%04llx%08x", (unsigned long long)(d->ident & 0xffff), d->unit);
		rc |= E("entPhysicalClass.1", "3") | E("entPhysicalContainedIn.1", "0") | E("entPhysicalMfgName.1", v->mfg) |
		      E("entPhysicalModelName.1", model) | E("entPhysicalSerialNum.1", serial) |
		      E("entPhysicalSoftwareRev.1", ver) | E("entPhysicalDescr.1", "chassis");
		/* one in twenty optics is another maker's */
		const char *omfg = (d->ident >> 32) % 20 == 0 ? "HUAWEI TECHNOLOGIES CO.,LTD" : v->mfg;
		snprintf(key, sizeof key, "SFP-%llx", (unsigned long long)(d->ident >> 20 & 0xfff));
		rc |= E("entPhysicalClass.1001", "10") | E("entPhysicalContainedIn.1001", "1") |
		      E("entPhysicalMfgName.1001", omfg) | E("entPhysicalModelName.1001", "SFP-10G-LR") |
		      E("entPhysicalSerialNum.1001", key) | E("entPhysicalDescr.1001", "10GBASE-LR SFP+ transceiver");
	}
#undef E
	return rc ? -1 : 0;
}

static char *site_map(uint32_t n)
{
	struct sitemap m;
	static const char *const ops[] = {"Northwind Mobile", "Contoso Telecom", "Fabrikam Networks"};
	sitemap_init(&m);
	/* every /20 of 10.0.0.0/8 the devices use is a site; domains cycle in a
	 * realistic proportion (most sites are radio sites) */
	static const char *const doms[] = {"ran", "ran", "ran", "ran", "ran", "ran", "access", "access",
	                                   "transport", "core", "mgmt", "enterprise"};
	uint32_t sites = (n + 4095) / 4096 + 64;
	for (uint32_t s = 0; s < sites; s++) {
		char id[32], net[32], err[200];
		snprintf(id, sizeof id, "site-%04u", s);
		size_t k = sitemap_add_site(&m, id, NULL, doms[s % OS_ARRAY_LEN(doms)], ops[s / 7 % 3]);
		snprintf(net, sizeof net, "10.%u.%u.0/20", s >> 4 & 255, (s & 15) << 4);
		if (sitemap_add_subnet(&m, k, net, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			exit(2);
		}
	}
	char *j = sitemap_to_json(&m);
	sitemap_free(&m);
	return j;
}

static double peak_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

static int64_t one_scan(struct store *st, uint32_t n, int second, const char *map)
{
	int64_t scan;
	size_t ndev = 0;
	struct scan_decl dcl = {.command = "scan", .request_json = "{\"plan\":\"bench\"}", .kb_version = kb_version(),
	                        .plan = "bench", .site_map_json = map};
	if (store_begin_scan(st, &dcl, NULL, PART_NEW, &scan) < 0) {
		fprintf(stderr, "%s\n", store_errmsg(st));
		exit(2);
	}
	struct ev_sink *sk = store_sink(st, scan);
	double t0 = os_mono();
	uint32_t added = second ? n / 100 : 0;
	for (uint32_t i = 0; i < n + added; i++) {
		struct dev d = {0x0a000001u + i, i, mix(i + 1), mix(i + 7777777), 0};
		if (i >= n) {           /* added in the second scan */
			d.ip = 0x0a000001u + 0x00800000u + i;
			d.unit = 0xc00000u + i - n;
			d.ident = mix(i + 0x5000000);
		} else if (second) {
			uint64_t r = mix(i ^ 0xabcdef) % 1000;
			if (r < 10)
				continue;                       /* removed */
			else if (r < 15)
				d.ip += 0x00c00000u;            /* moved */
			else if (r < 20) {
				d.unit = 0x800000u + i;         /* replaced: another device */
				d.ident = mix(i + 0x9000000);
				d.vseed = mix(i + 0x9100000);
			} else if (r < 40)
				d.fw = 1;                       /* upgraded */
		}
		if (emit_device(sk, &d) < 0) {
			fprintf(stderr, "%s\n", store_errmsg(st));
			exit(2);
		}
	}
	if (store_commit(st) < 0) {
		fprintf(stderr, "%s\n", store_errmsg(st));
		exit(2);
	}
	double t1 = os_mono();
	enum scan_status status = SCAN_COMPLETE;
	if (scan_end(st, scan, 0, &status, NULL, &ndev) < 0 || status != SCAN_COMPLETE) {
		fprintf(stderr, "the scan did not complete (%s)\n", scan_status_name(status));
		exit(2);
	}
	printf("scan %lld: %llu evidence rows stored in %.1f s, %zu devices attributed in %.1f s (peak RSS %.0f MiB)\n",
	       (long long)scan, (unsigned long long)sk->emitted, t1 - t0, ndev, os_mono() - t1, peak_mib());
	fflush(stdout);
	return scan;
}

int main(int argc, char **argv)
{
	char err[512];
	if (argc != 3 || atol(argv[2]) < 1) {
		fprintf(stderr, "usage: report_fill DB NDEVICES\n");
		return 64;
	}
	uint32_t n = (uint32_t)atol(argv[2]);
	if (kb_init(err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	int created;
	struct store *st = store_init(argv[1], &created, err, sizeof err) < 0 ? NULL : store_open(argv[1], err, sizeof err);
	if (!st) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	char *map = site_map(n);
	one_scan(st, n, 0, map);
	one_scan(st, n, 1, map);
	free(map);
	store_close(st);
	return 0;
}
