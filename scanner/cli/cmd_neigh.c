/* originscan neigh: read the kernel's ARP/NDP neighbour tables and links
 * (no packet sent), store the MAC <-> IP evidence, attribute it. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "attrib.h"
#include "capture.h"
#include "cli.h"
#include "privdrop.h"
#include "kb.h"
#include "store.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan neigh [--netns NAME] [--watch S] [--user NAME]\n"
	        "\n"
	        "Reads the kernel's neighbour tables (ARP for IPv4, NDP for IPv6) and the\n"
	        "local links through netlink, and stores each MAC with the addresses it\n"
	        "was seen with; MAC prefixes then name the makers. Sends no packet.\n"
	        "\n"
	        "  --netns NAME   read the tables of network namespace NAME (ip netns);\n"
	        "                 needs root or CAP_SYS_ADMIN\n"
	        "  --watch S      then keep listening S seconds for new neighbours\n"
	        "  --user NAME    run as root, become NAME (default nobody) once the\n"
	        "                 namespace's netlink sockets are open, before reading;\n"
	        "                 capabilities are dropped in any case\n"
	        "\n"
	        "\n"
	        CLI_PART_HELP
	        "\n"
	        "Ctrl-C stops a watch cleanly (the scan is kept, marked interrupted).\n");
}

int cmd_neigh(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"netns", required_argument, NULL, 'n'},
		{"watch", required_argument, NULL, 'w'},
		CLI_PART_LONGOPTS,
		{"user", required_argument, NULL, 'u'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	struct cli_part pt = {0};
	struct neigh_opts o = {NULL, 0};
	char err[512];
	const char *user = "nobody";
	int opt;
	cli_common_init(&c);
	while ((opt = cli_next_opt(&c, argc, argv, "", longopts, help)) > 0) {
		if (cli_part_opt(&pt, opt, optarg))
			continue;
		switch (opt) {
		case 'n':
			o.netns = optarg;
			break;
		case 'w':
			if (cli_double("--watch", optarg, 0, 1e9, &o.watch_s) < 0)
				return OS_EXIT_USAGE;
			break;
		case 'u':
			user = optarg;
			break;
		}
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (optind < argc) {
		os_err("neigh takes no arguments ('%s'; see originscan neigh --help)", argv[optind]);
		return OS_EXIT_USAGE;
	}
	/* a namespace that does not exist is said before a scan begins */
	if (neigh_check(&o, err, sizeof err) < 0) {
		os_err("%s", err);
		return OS_EXIT_FAIL;
	}
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	struct store *st = cli_store(&c);
	if (!st)
		return OS_EXIT_FAIL;
	json_t *req = json_object();
	json_object_set_new(req, "netns", o.netns ? json_string(o.netns) : json_null());
	json_object_set_new(req, "watch_s", json_real(o.watch_s));
	char *req_s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	int rc = OS_EXIT_FAIL;
	int64_t scan;
	struct scan_decl d = {.command = "neigh", .request_json = req_s, .kb_version = kb_version()};
	if ((rc = cli_begin(st, &d, &pt, NULL, &scan)) != 0)
		goto out;
	rc = OS_EXIT_FAIL;
	cli_signals();
	struct neigh_stats ns;
	memset(&ns, 0, sizeof ns);
	double t0 = os_mono();
	/* the namespace needs privileges, reading the tables none */
	struct neigh *h = neigh_open(&o, err, sizeof err);
	int nr = -1;
	if (h && os_drop_privileges(user, err, sizeof err) == 0)
		nr = neigh_read(h, store_sink(st, scan), &os_stop, &ns, err, sizeof err);
	neigh_close(h);
	size_t ndev = 0;
	enum scan_status status;
	if (scan_end_collected(st, scan, nr, err, c.as_of, &ndev, &status) < 0)
		goto out;
	if (os_verbosity > 0)
		fprintf(stderr, "originscan: scan %lld %s: %llu neighbours, %llu local links, %llu facts, %zu devices "
		        "in %.1f s\n", (long long)scan, scan_status_name(status), (unsigned long long)ns.neighbours,
		        (unsigned long long)ns.links, (unsigned long long)ns.facts, ndev, os_mono() - t0);
	rc = cli_scan_exit(st, scan, status);
out:
	free(req_s);
	store_close(st);
	return rc;
}
