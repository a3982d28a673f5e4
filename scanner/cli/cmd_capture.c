/* originscan capture: listen on interfaces or read capture files, store
 * what the identity protocols and every frame say, attribute it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrib.h"
#include "capture.h"
#include "cli.h"
#include "kb.h"
#include "store.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan capture -i IFACE [-i IFACE...] [--duration S] [--snaplen N] [FILTER]\n"
	        "       originscan capture -r FILE [FILE...] [FILTER]\n"
	        "\n"
	        "Listens passively (never sends a packet) and stores what devices say\n"
	        "about themselves on the wire: LLDP, CDP, DHCPv4/v6, SNMP responses, SSH\n"
	        "and telnet banners, HTTP Server headers, TLS server certificates, ARP and\n"
	        "neighbour discovery, and every frame's source MAC with its addresses;\n"
	        "and the mobile control plane: Diameter capabilities exchange, S1AP,\n"
	        "NGAP, X2AP and XnAP setup (eNB/gNB and MME/AMF names and ids), GTP-C and\n"
	        "PFCP (node roles, restart counters, node ids).\n"
	        "GRE/ERSPAN, VXLAN, Geneve, MPLS and GTP-U tunnels are followed. Then\n"
	        "attributes each device, as `originscan snmp` does.\n"
	        "\n"
	        "  -i, --interface IFACE  capture live (repeatable; 'any' for all)\n"
	        "  -r, --read FILE...     read pcap/pcapng files, gzip-compressed or not;\n"
	        "                         the arguments after it that are files are read too\n"
	        "  -f, --filter EXPR      BPF filter (as tcpdump); the words after the\n"
	        "                         files are the filter too\n"
	        "  --duration S           live: stop after S seconds (default: at Ctrl-C)\n"
	        "  -c, --count N          stop after N packets (after the filter); the scan\n"
	        "                         is complete\n"
	        "  --snaplen N            live: bytes kept per packet (default 262144)\n"
	        "  --user NAME            drop to this user once the capture is open\n"
	        "                         (default nobody); capabilities are cleared too\n"
	        "  --no-progress          no progress line (on a terminal; with -v -v and no\n"
	        "                         terminal, a log line each half second of traffic)\n"
	        "\n"
	        "Live capture needs root or CAP_NET_RAW only to open the interface. Link\n"
	        "types read: Ethernet, Linux cooked v1/v2, raw IP, BSD loopback; a file\n"
	        "of another type is skipped with a warning. At the end: packets read,\n"
	        "dropped by the kernel, and parsed/malformed per protocol (-q: none).\n"
	        "Ctrl-C stops cleanly: the scan is kept, marked interrupted (exit 130).\n");
}

static int is_file(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

int cmd_capture(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"interface", required_argument, NULL, 'i'},
		{"read", required_argument, NULL, 'r'},
		{"filter", required_argument, NULL, 'f'},
		{"duration", required_argument, NULL, 'D'},
		{"count", required_argument, NULL, 'c'},
		{"snaplen", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"no-progress", no_argument, NULL, 'P'},
		CLI_PART_LONGOPTS,
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	struct cli_part pt = {0};
	struct capture_opts o;
	const char **ifaces = NULL, **files = NULL;
	size_t nif = 0, nfiles = 0;
	const char *filter_opt = NULL;
	long snap = 262144;
	int progress = isatty(2), no_progress = 0, opt;
	char err[512];

	cli_common_init(&c);
	memset(&o, 0, sizeof o);
	o.user = "nobody";
	while ((opt = cli_next_opt(&c, argc, argv, "i:r:f:c:", longopts, help)) > 0) {
		if (cli_part_opt(&pt, opt, optarg))
			continue;
		switch (opt) {
		case 'i':
			ifaces = xrealloc(ifaces, (nif + 1) * sizeof *ifaces);
			ifaces[nif++] = optarg;
			break;
		case 'r':
			files = xrealloc(files, (nfiles + 1) * sizeof *files);
			files[nfiles++] = optarg;
			break;
		case 'f':
			filter_opt = optarg;
			break;
		case 'D':
			if (cli_double("--duration", optarg, 0.001, 1e9, &o.duration_s) < 0)
				return OS_EXIT_USAGE;
			break;
		case 'c': {
			long n;
			if (cli_int("--count", optarg, 1, 0x7fffffffL, &n) < 0)
				return OS_EXIT_USAGE;
			o.count = (uint64_t)n;
			break;
		}
		case 's':
			if (cli_int("--snaplen", optarg, 64, 262144, &snap) < 0)
				return OS_EXIT_USAGE;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'P':
			progress = 0;
			no_progress = 1;
			break;
		}
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	/* -r FILE...: the positional arguments that are files; then the filter */
	int i = optind;
	while (nfiles && i < argc && is_file(argv[i])) {
		files = xrealloc(files, (nfiles + 1) * sizeof *files);
		files[nfiles++] = argv[i++];
	}
	struct buf filter = {0};
	if (filter_opt)
		buf_adds(&filter, filter_opt);
	for (; i < argc; i++) {
		if (filter.len)
			buf_addc(&filter, ' ');
		buf_adds(&filter, argv[i]);
	}
	int rc = OS_EXIT_USAGE;
	if (!nif && !nfiles) {
		os_err("nothing to listen to: give -i IFACE or -r FILE (see originscan capture --help)");
		goto out0;
	}
	if (nif && nfiles) {
		os_err("give -i or -r, not both");
		goto out0;
	}
	if (nfiles && o.duration_s > 0)
		os_warn("--duration applies to live capture only; files are read to the end");
	o.ifaces = ifaces;
	o.nifaces = nif;
	o.files = files;
	o.nfiles = nfiles;
	o.filter = filter.len ? filter.p : NULL;
	o.snaplen = (int)snap;
	/* a terminal: a redrawn line; a log (-v -v): a line now and then */
	o.progress = progress && os_verbosity > 0 ? 1 : no_progress || os_verbosity < 2 ? 0 : 2;

	rc = OS_EXIT_FAIL;
	if (cli_kb(&c) < 0)
		goto out0;
	struct store *st = cli_store(&c);
	if (!st)
		goto out0;
	/* open everything while privileged; bad input stops here, before a scan */
	struct capture *cap = capture_open(&o, err, sizeof err);
	if (!cap) {
		os_err("%s", err);
		store_close(st);
		goto out0;
	}

	json_t *req = json_object(), *a = json_array();
	for (size_t k = 0; k < nif; k++)
		json_array_append_new(a, json_string(ifaces[k]));
	json_object_set_new(req, "interfaces", a);
	a = json_array();
	for (size_t k = 0; k < nfiles; k++)
		json_array_append_new(a, json_string(files[k]));
	json_object_set_new(req, "files", a);
	json_object_set_new(req, "filter", o.filter ? json_string(o.filter) : json_null());
	json_object_set_new(req, "duration_s", json_real(o.duration_s));
	if (o.count)
		json_object_set_new(req, "count", json_integer((json_int_t)o.count));
	json_object_set_new(req, "snaplen", json_integer(snap));
	json_object_set_new(req, "user", json_string(o.user));
	char *req_s = json_dumps(req, JSON_COMPACT);
	json_decref(req);

	int64_t scan;
	struct scan_decl d = {.command = "capture", .request_json = req_s, .kb_version = kb_version()};
	if ((rc = cli_begin(st, &d, &pt, NULL, &scan)) != 0)
		goto out;
	rc = OS_EXIT_FAIL;
	cli_signals();
	struct capture_stats stats;
	int cr = capture_loop(cap, store_sink(st, scan), &os_stop, &stats, err, sizeof err);
	size_t ndev = 0;
	enum scan_status status;
	if (scan_end_collected(st, scan, cr, err, c.as_of, &ndev, &status) < 0)
		goto out;
	if (os_verbosity > 0) {
		fprintf(stderr, "originscan: scan %lld %s: %llu packets, %llu facts, %llu MACs, %zu devices in %.1f s\n",
		        (long long)scan, scan_status_name(status), (unsigned long long)stats.packets,
		        (unsigned long long)stats.facts, (unsigned long long)stats.devices, ndev, stats.seconds);
		capture_print_stats(stderr, &stats);
	}
	rc = cli_scan_exit(st, scan, status);
out:
	free(req_s);
	capture_close(cap);
	store_close(st);
out0:
	buf_free(&filter);
	free(ifaces);
	free(files);
	return rc;
}
