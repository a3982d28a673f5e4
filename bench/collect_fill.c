/* bench/collect_fill: one collector writing evidence through the store
 * API as fast as the store takes it, for bench/collectors.sh: part PART
 * of the scan NAME (declared with NPARTS parts "part-1".."part-N" by
 * whichever process comes first), NROWS rows of what an SNMP inventory
 * stores (system group, interface MACs, ENTITY-MIB rows of a chassis and
 * its modules), one target outcome per device, the resume point every
 * second. Prints the rows and the seconds the writing took, from the first
 * row to the part's end (its last batch committed).
 *
 *   collect_fill DB NAME NPARTS PART NROWS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "util.h"

int main(int argc, char **argv)
{
	char err[512];
	if (argc != 6 || atoi(argv[3]) < 1 || atoi(argv[4]) < 1 || atol(argv[5]) < 1) {
		fprintf(stderr, "usage: collect_fill DB NAME NPARTS PART NROWS\n");
		return 64;
	}
	int nparts = atoi(argv[3]), part = atoi(argv[4]);
	long nrows = atol(argv[5]);
	struct store *st = store_open(argv[1], err, sizeof err);
	if (!st) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	char **names = xcalloc((size_t)nparts, sizeof *names);
	for (int i = 0; i < nparts; i++)
		names[i] = xasprintf("part-%d", i + 1);
	char mine[32];
	snprintf(mine, sizeof mine, "part-%d", part);
	struct scan_decl d = {.command = "bench", .request_json = "{}", .kb_version = "bench", .scope = "bench",
	                      .name = argv[2], .parts = (const char *const *)names, .nparts = (size_t)nparts};
	int64_t scan;
	if (store_begin_scan(st, &d, mine, PART_NEW, &scan) < 0) {
		fprintf(stderr, "%s\n", store_errmsg(st));
		return 2;
	}
	struct ev_sink *sk = store_sink(st, scan);
	double t0 = os_mono(), last_ckpt = t0;
	long row = 0;
	/* devices of about 25 rows each, as a polled router gives */
	static const char *const keys[] = {"sysDescr", "sysObjectID", "sysName", "sysContact", "sysLocation",
	                                    "snmp.engine-id", "ifPhysAddress.1", "ifPhysAddress.2", "ifDescr.1",
	                                    "ifDescr.2", "entPhysicalClass.1", "entPhysicalDescr.1",
	                                    "entPhysicalMfgName.1", "entPhysicalModelName.1", "entPhysicalSerialNum.1",
	                                    "entPhysicalSoftwareRev.1", "entPhysicalClass.7", "entPhysicalDescr.7",
	                                    "entPhysicalMfgName.7", "entPhysicalModelName.7", "entPhysicalSerialNum.7",
	                                    "lldp.sysname", "lldp.sysdesc", "ip.mac", "snmp.tables"};
	for (uint64_t dev = 0; row < nrows; dev++) {
		char subj[48], src[64], val[160];
		snprintf(subj, sizeof subj, "10.%d.%d.%d", part, (int)(dev >> 8) & 255, (int)dev & 255);
		snprintf(src, sizeof src, "%s:161", subj);
		for (size_t k = 0; k < OS_ARRAY_LEN(keys) && row < nrows; k++, row++) {
			int n = snprintf(val, sizeof val, "Huawei Versatile Routing Platform Software VRP (R) %s %llu",
			                 keys[k], (unsigned long long)dev);
			if (ev_emit(sk, "snmp", SUBJ_IP, subj, keys[k], val, (size_t)n, os_now_us(), src) < 0) {
				fprintf(stderr, "%s\n", store_errmsg(st));
				return 2;
			}
		}
		if (sk->target(sk, subj, "answered", NULL, "default") < 0) {
			fprintf(stderr, "%s\n", store_errmsg(st));
			return 2;
		}
		if (os_mono() - last_ckpt > 1.0) {
			store_set_resume_point(st, scan, dev, dev + 1);
			last_ckpt = os_mono();
		}
	}
	int ready = 0;
	if (store_finish_part(st, store_part(st), SCAN_COMPLETE, NULL, &ready) < 0) {
		fprintf(stderr, "%s\n", store_errmsg(st));
		return 2;
	}
	double t = os_mono() - t0;
	printf("%ld %.3f\n", row, t);
	store_close(st);
	for (int i = 0; i < nparts; i++)
		free(names[i]);
	free(names);
	return 0;
}
