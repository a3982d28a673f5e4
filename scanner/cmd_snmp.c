/* originscan snmp: poll SNMP agents, store the evidence, attribute it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "snmp_collect.h"
#include "store.h"
#include "targets.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan snmp [OPTIONS] TARGET... | -iL FILE\n"
	        "\n"
	        "Polls SNMP v1/v2c agents for the system group (sysDescr, sysObjectID,\n"
	        "sysName, sysLocation, sysContact, sysUpTime), stores every answer as\n"
	        "evidence in a new scan, and attributes each device.\n"
	        "\n"
	        "TARGET: 192.0.2.1, 192.0.2.0/24, 192.0.2.1-192.0.2.50, 192.0.2.1-50,\n"
	        "        192.0.2.1:1161, [2001:db8::1]:1161, 2001:db8::/120, host name\n"
	        "  -iL FILE               read targets from FILE ('#' comments)\n"
	        "  --exclude LIST         leave out these addresses/blocks (comma-separated)\n"
	        "  --port N               agent port for every target (default 161)\n"
	        "  --snmp-version 1|2c    protocol version (default 2c)\n"
	        "  --community-file FILE  community string (first line; mode 0600).\n"
	        "                         Else $ORIGINSCAN_COMMUNITY, else 'public'.\n"
	        "  --timeout MS           per attempt (default 2000)\n"
	        "  --retries N            (default 1)\n"
	        "  --concurrency N        targets in flight (default 200)\n"
	        "  --rate PPS             packets per second cap, 0 = none (default 500)\n"
	        "  --no-progress          no progress line (none anyway when stderr is\n"
	        "                         not a terminal)\n"
	        "\n"
	        "A target that does not answer is recorded as unreachable; that is not an\n"
	        "error of the scan. Ctrl-C stops cleanly: what was collected is kept and\n"
	        "the scan is marked interrupted (exit 130).\n");
}

/* The community is a secret: read it from a file only we can read, or the
 * environment; never from the command line, never into the database. */
static char *read_community(const char *path)
{
	struct stat sb;
	char err[512];
	if (stat(path, &sb) < 0) {
		os_err("--community-file %s: cannot read it", path);
		return NULL;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		os_err("--community-file %s: readable by others (mode %03o); run chmod 600 %s", path,
		       (unsigned)(sb.st_mode & 0777), path);
		return NULL;
	}
	size_t len;
	char *text = os_read_file(path, 64 * 1024, &len, err, sizeof err);
	if (!text) {
		os_err("--community-file: %s", err);
		return NULL;
	}
	char *save = NULL, *community = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *t = os_trim(line);
		if (*t && *t != '#') {
			community = xstrdup(t);
			break;
		}
	}
	memset(text, 0, len);
	free(text);
	if (!community)
		os_err("--community-file %s: holds no community string", path);
	return community;
}

int cmd_snmp(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"exclude", required_argument, NULL, 'x'},
		{"port", required_argument, NULL, 'p'},
		{"snmp-version", required_argument, NULL, 'V'},
		{"community-file", required_argument, NULL, 'c'},
		{"timeout", required_argument, NULL, 't'},
		{"retries", required_argument, NULL, 'r'},
		{"concurrency", required_argument, NULL, 'n'},
		{"rate", required_argument, NULL, 'R'},
		{"no-progress", no_argument, NULL, 'P'},
		{"iL", required_argument, NULL, 'L'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	struct snmp_opts o;
	const char *community_file = NULL, *in_list = NULL;
	char **excludes = NULL;
	int nexcl = 0, progress = isatty(2);
	long port = 161, v;
	char err[512];

	cli_common_init(&c);
	snmp_opts_defaults(&o);
	/* nmap spells it -iL: accept that single-dash long form */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-iL"))
			argv[i] = "--iL";
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		int r = cli_common_opt(&c, opt, optarg);
		if (r < 0)
			return OS_EXIT_USAGE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'h':
			help(stdout);
			return 0;
		case 'x':
			excludes = xrealloc(excludes, (size_t)(nexcl + 1) * sizeof *excludes);
			excludes[nexcl++] = optarg;
			break;
		case 'p':
			if (cli_int("--port", optarg, 1, 65535, &port) < 0)
				return OS_EXIT_USAGE;
			break;
		case 'V':
			if (!strcmp(optarg, "1"))
				o.version = 1;
			else if (!strcmp(optarg, "2c") || !strcmp(optarg, "2"))
				o.version = 2;
			else {
				os_err("--snmp-version '%s': want 1 or 2c (SNMPv3: see the credentials file)", optarg);
				return OS_EXIT_USAGE;
			}
			break;
		case 'c':
			community_file = optarg;
			break;
		case 't':
			if (cli_int("--timeout", optarg, 10, 600000, &v) < 0)
				return OS_EXIT_USAGE;
			o.timeout_ms = (int)v;
			break;
		case 'r':
			if (cli_int("--retries", optarg, 0, 20, &v) < 0)
				return OS_EXIT_USAGE;
			o.retries = (int)v;
			break;
		case 'n':
			if (cli_int("--concurrency", optarg, 1, 65536, &v) < 0)
				return OS_EXIT_USAGE;
			o.concurrency = (int)v;
			break;
		case 'R':
			if (cli_double("--rate", optarg, 0, 1e7, &o.rate) < 0)
				return OS_EXIT_USAGE;
			break;
		case 'P':
			progress = 0;
			break;
		case 'L':
			in_list = optarg;
			break;
		default:
			help(stderr);
			return OS_EXIT_USAGE;
		}
	}
	o.progress = progress && os_verbosity > 0;

	struct target_set ts;
	targets_init(&ts, (uint16_t)port);
	for (int i = optind; i < argc; i++)
		if (targets_add(&ts, argv[i], err, sizeof err) < 0) {
			os_err("%s", err);
			targets_free(&ts);
			return OS_EXIT_USAGE;
		}
	if (in_list && targets_add_file(&ts, in_list, err, sizeof err) < 0) {
		os_err("-iL: %s", err);
		targets_free(&ts);
		return OS_EXIT_FAIL;
	}
	for (int i = 0; i < nexcl; i++)
		if (targets_exclude(&ts, excludes[i], err, sizeof err) < 0) {
			os_err("--exclude: %s", err);
			targets_free(&ts);
			return OS_EXIT_USAGE;
		}
	if (!ts.total) {
		os_err("no targets given (see originscan snmp --help)");
		targets_free(&ts);
		return OS_EXIT_USAGE;
	}

	char *community = NULL;
	const char *cred_name = "default";
	if (community_file) {
		if (!(community = read_community(community_file))) {
			targets_free(&ts);
			return OS_EXIT_FAIL;
		}
		cred_name = "community-file";
	} else if (getenv("ORIGINSCAN_COMMUNITY") && *getenv("ORIGINSCAN_COMMUNITY")) {
		community = xstrdup(getenv("ORIGINSCAN_COMMUNITY"));
		cred_name = "env:ORIGINSCAN_COMMUNITY";
	} else
		community = xstrdup("public");
	o.community = community;
	o.credential_name = cred_name;

	if (cli_kb(&c) < 0) {
		free(community);
		targets_free(&ts);
		return OS_EXIT_FAIL;
	}
	struct store *st = cli_store(&c);
	if (!st) {
		free(community);
		targets_free(&ts);
		return OS_EXIT_FAIL;
	}

	/* What was asked, for the record: never the secret itself. */
	json_t *req = json_object(), *tl = json_array();
	for (int i = optind; i < argc; i++)
		json_array_append_new(tl, json_string(argv[i]));
	json_object_set_new(req, "targets", tl);
	if (in_list)
		json_object_set_new(req, "target_file", json_string(in_list));
	json_t *ex = json_array();
	for (int i = 0; i < nexcl; i++)
		json_array_append_new(ex, json_string(excludes[i]));
	json_object_set_new(req, "exclude", ex);
	json_object_set_new(req, "port", json_integer(port));
	json_object_set_new(req, "snmp_version", json_string(o.version == 1 ? "1" : "2c"));
	json_object_set_new(req, "credential", json_string(cred_name));
	json_object_set_new(req, "timeout_ms", json_integer(o.timeout_ms));
	json_object_set_new(req, "retries", json_integer(o.retries));
	json_object_set_new(req, "concurrency", json_integer(o.concurrency));
	json_object_set_new(req, "rate", json_real(o.rate));
	json_object_set_new(req, "address_count", json_integer((json_int_t)ts.total));
	char *req_s = json_dumps(req, JSON_COMPACT);
	json_decref(req);

	int64_t scan;
	int rc = OS_EXIT_OK;
	if (store_begin_scan(st, "snmp", req_s, kb_version(), &scan) < 0) {
		os_err("%s", store_errmsg(st));
		rc = OS_EXIT_FAIL;
		goto out;
	}
	cli_signals();
	struct snmp_stats stats;
	int sw = snmp_sweep(&ts, &o, store_sink(st, scan), &os_stop, &stats, err, sizeof err);
	memset(community, 0, strlen(community));
	enum scan_status status = sw == 0 ? SCAN_COMPLETE : sw > 0 ? SCAN_INTERRUPTED : SCAN_FAILED;
	const char *note = sw > 0 ? "stopped by a signal" : sw < 0 ? err : NULL;
	if (sw < 0)
		os_err("scan %lld: %s", (long long)scan, err);
	size_t ndev = 0;
	if (store_commit(st) < 0) {
		os_err("%s", store_errmsg(st));
		status = SCAN_FAILED;
		note = "could not store evidence";
	} else if (attribute_scan(st, scan, c.as_of, &ndev, err, sizeof err) < 0) {
		os_err("attribution: %s", err);
		status = SCAN_FAILED;
		note = "attribution failed";
	}
	if (store_finish_scan(st, scan, status, note) < 0) {
		os_err("%s", store_errmsg(st));
		/* The failed transaction was rolled back, which may have freed
		 * room for the one-row update that says so. If even that fails
		 * the scan stays 'running' and the next open marks it
		 * interrupted: it never looks complete. */
		store_finish_scan(st, scan, SCAN_FAILED, "could not record the scan's end");
		rc = OS_EXIT_FAIL;
		goto out;
	}
	if (os_verbosity > 0)
		fprintf(stderr,
		        "originscan: scan %lld %s: %llu targets, %llu answered, %llu unreachable, %llu errors; "
		        "%zu devices in %.1f s\n",
		        (long long)scan, scan_status_name(status),
		        (unsigned long long)(stats.targets - stats.excluded), (unsigned long long)stats.answered,
		        (unsigned long long)stats.unreachable, (unsigned long long)stats.errors, ndev,
		        stats.seconds);
	rc = status == SCAN_COMPLETE ? OS_EXIT_OK : status == SCAN_INTERRUPTED ? OS_EXIT_INTERRUPTED : OS_EXIT_FAIL;
out:
	free(req_s);
	free(community);
	free(excludes);
	targets_free(&ts);
	store_close(st);
	return rc;
}
