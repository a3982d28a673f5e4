/* originscan probe: what SSH, telnet, HTTP and HTTPS services and SNMP
 * agents volunteer without a credential, stored and attributed as a scan
 * (collectors/probe). */
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "probe.h"
#include "resume.h"
#include "store.h"
#include "targets.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan probe [OPTIONS] TARGET... | -iL FILE\n"
	        "\n"
	        "Identifies devices that answer no SNMP we can use by what their services\n"
	        "volunteer: the SSH identification string, the telnet banner (every option\n"
	        "the server asks about is refused), the Server header and WWW-Authenticate\n"
	        "realm of one HEAD /, the TLS server certificate's subject and issuer; and\n"
	        "the unauthenticated SNMPv3 discovery (engine id: the enterprise number).\n"
	        "Never tries to log in. The bytes are read by the same dissectors as\n"
	        "`originscan capture`; the devices are attributed as for SNMP.\n"
	        "\n"
	        "TARGET: as for originscan snmp (192.0.2.0/24, 192.0.2.1-50, ...)\n"
	        "  -iL FILE               read targets from FILE ('#' comments)\n"
	        "  --exclude LIST         leave out these addresses/blocks (comma-separated)\n"
	        "  --ports SPEC           KIND:PORT,... (kinds ssh telnet http https; default\n"
	        "                         ssh:22,telnet:23,http:80,http:8080,https:443,https:8443)\n"
	        "  --no-snmp              no SNMPv3 discovery\n"
	        "  --snmp-port N          its port (default 161)\n"
	        "\n"
	        "Politeness:\n"
	        "  --concurrency N        connections in flight (default 500; at most 2 to\n"
	        "                         one device at a time)\n"
	        "  --rate N               new connections (and SNMP packets) per second,\n"
	        "                         0 = no cap (default 500)\n"
	        "  --connect-timeout MS   (default 3000)\n"
	        "  --timeout MS           for a service to say what it says (default 5000)\n"
	        "  --seed N               visiting-order key (default: from the target set)\n"
	        "  --user NAME            run as root: become NAME before any reply is read\n"
	        "                         (default nobody); capabilities are cleared too\n"
	        "  --no-progress          no progress line\n"
	        "\n"
	        "A target where nothing spoke is recorded as unreachable. Ctrl-C stops\n"
	        "cleanly: what was read is kept, the scan is marked interrupted (exit 130).\n");
}

int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"exclude", required_argument, NULL, 'x'},
		{"ports", required_argument, NULL, 'p'},
		{"no-snmp", no_argument, NULL, 'N'},
		{"snmp-port", required_argument, NULL, 'S'},
		{"concurrency", required_argument, NULL, 'n'},
		{"rate", required_argument, NULL, 'R'},
		{"connect-timeout", required_argument, NULL, 'c'},
		{"timeout", required_argument, NULL, 't'},
		{"seed", required_argument, NULL, 'k'},
		{"user", required_argument, NULL, 'u'},
		{"no-progress", no_argument, NULL, 'P'},
		{"iL", required_argument, NULL, 'L'},
		CLI_PART_LONGOPTS,
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	struct cli_part pt = {0};
	struct probe_opts o;
	struct sweep_ask a;
	int progress = isatty(2), opt;
	long v;
	char err[640];

	cli_common_init(&c);
	probe_opts_defaults(&o);
	memset(&a, 0, sizeof a);
	a.port = 0;
	a.nshards = 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-iL"))
			argv[i] = "--iL";
	while ((opt = cli_next_opt(&c, argc, argv, "", longopts, help)) > 0) {
		if (cli_part_opt(&pt, opt, optarg))
			continue;
		switch (opt) {
		case 'x':
			a.excludes = xrealloc(a.excludes, (size_t)(a.nexcl + 1) * sizeof *a.excludes);
			a.excludes[a.nexcl++] = optarg;
			break;
		case 'p':
			if (probe_ports_parse(&o, optarg, err, sizeof err) < 0) {
				os_err("%s", err);
				goto usage;
			}
			break;
		case 'N':
			o.snmp = 0;
			break;
		case 'S':
			if (cli_int("--snmp-port", optarg, 1, 65535, &v) < 0)
				goto usage;
			o.snmp_port = (uint16_t)v;
			break;
		case 'n':
			if (cli_int("--concurrency", optarg, 1, 65536, &v) < 0)
				goto usage;
			o.concurrency = (int)v;
			break;
		case 'R':
			if (cli_double("--rate", optarg, 0, 1e7, &o.rate) < 0)
				goto usage;
			break;
		case 'c':
			if (cli_int("--connect-timeout", optarg, 10, 600000, &v) < 0)
				goto usage;
			o.connect_timeout_ms = (int)v;
			break;
		case 't':
			if (cli_int("--timeout", optarg, 10, 600000, &v) < 0)
				goto usage;
			o.read_timeout_ms = (int)v;
			break;
		case 'k': {
			char *end;
			a.seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg) {
				os_err("--seed '%s': want a number", optarg);
				goto usage;
			}
			a.seed_set = 1;
			break;
		}
		case 'u':
			o.user = optarg;
			break;
		case 'P':
			progress = 0;
			break;
		case 'L':
			a.in_list = optarg;
			break;
		}
	}
	if (opt == CLI_HELP || opt < 0) {
		free(a.excludes);
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	}
	o.progress = progress && os_verbosity > 0;
	a.targets = (const char **)argv + optind;
	a.ntargets = argc - optind;

	struct target_set ts;
	struct store *st = NULL;
	int64_t scan = 0;
	int rc;
	targets_init(&ts, 0);
	if ((rc = sweep_targets(&ts, &a)) != 0 || cli_kb(&c) < 0 || !(st = cli_store(&c))) {
		rc = rc ? rc : OS_EXIT_FAIL;
		goto out;
	}
	/* the user to become must exist: say so before a scan begins */
	if ((geteuid() == 0 || getuid() == 0) && !getpwnam(o.user)) {
		os_err("--user %s: no such user", o.user);
		rc = OS_EXIT_FAIL;
		goto out;
	}
	if (!a.seed_set)
		a.seed = targets_digest(&ts);
	o.seed = a.seed;
	json_t *req = sweep_request(&a, &ts);
	json_t *pl = json_array();
	for (size_t i = 0; i < o.nports; i++) {
		char w[32];
		snprintf(w, sizeof w, "%s:%u", probe_kind_name(o.ports[i].kind), o.ports[i].port);
		json_array_append_new(pl, json_string(w));
	}
	json_object_set_new(req, "ports", pl);
	json_object_set_new(req, "snmp", json_boolean(o.snmp));
	json_object_set_new(req, "snmp_port", json_integer(o.snmp_port));
	json_object_set_new(req, "concurrency", json_integer(o.concurrency));
	json_object_set_new(req, "rate", json_real(o.rate));
	json_object_set_new(req, "connect_timeout_ms", json_integer(o.connect_timeout_ms));
	json_object_set_new(req, "timeout_ms", json_integer(o.read_timeout_ms));
	char *req_s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	/* what it covers: the target set and the ports asked */
	struct buf ports = {0};
	for (size_t i = 0; i < o.nports; i++)
		buf_printf(&ports, "%s%s:%u", i ? "," : "ports=", probe_kind_name(o.ports[i].kind), o.ports[i].port);
	char *covers = sweep_scope("probe", &a, &ts, ports.p);
	buf_free(&ports);
	struct scan_decl d = {.command = "probe", .request_json = req_s, .kb_version = kb_version(), .scope = covers};
	rc = cli_begin(st, &d, &pt, NULL, &scan);
	free(covers);
	free(req_s);
	if (rc)
		goto out;
	cli_signals();
	struct probe_stats ps;
	int pr = probe_run(&ts, &o, store_sink(st, scan), &os_stop, &ps, err, sizeof err);
	enum scan_status status = pr == 0 ? SCAN_COMPLETE : pr > 0 ? SCAN_INTERRUPTED : SCAN_FAILED;
	if (pr < 0)
		os_err("scan %lld: %s", (long long)scan, err);
	size_t ndev = 0;
	if (scan_end(st, scan, c.as_of, &status, pr > 0 ? "stopped by a signal" : pr < 0 ? err : NULL, &ndev) < 0) {
		rc = OS_EXIT_FAIL;
		goto out;
	}
	if (os_verbosity > 0)
		fprintf(stderr,
		        "originscan: scan %lld %s: %llu targets, %llu answered; %llu connections, %llu open, %llu "
		        "services spoke, %llu silent, %llu connect timeouts; %llu engine ids; %zu devices in %.1f s\n",
		        (long long)scan, scan_status_name(status), (unsigned long long)(ps.targets - ps.excluded),
		        (unsigned long long)ps.answered, (unsigned long long)ps.connections,
		        (unsigned long long)ps.open, (unsigned long long)ps.spoke, (unsigned long long)ps.silent,
		        (unsigned long long)ps.timeouts, (unsigned long long)ps.engines, ndev, ps.seconds);
	rc = cli_scan_exit(st, scan, status);
out:
	free(a.excludes);
	targets_free(&ts);
	store_close(st);
	return rc;
usage:
	free(a.excludes);
	help(stderr);
	return OS_EXIT_USAGE;
}
