/* originscan report / scans / reattribute: read what is stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "report.h"
#include "util.h"

static void report_help(FILE *out)
{
	fprintf(out,
	        "usage: originscan report [--scan ID | --last] [--policy NAME]\n"
	        "                         [--format text|json] [-o FILE]\n"
	        "\n"
	        "Lists every device of a scan with address, vendor, group, jurisdiction,\n"
	        "model, firmware, role, confidence and the evidence behind each verdict,\n"
	        "and a summary: devices, attributed, per vendor, per jurisdiction, and\n"
	        "high-risk devices under the policy.\n"
	        "  --scan ID        the scan (default: the latest scan)\n"
	        "  --last           the latest complete scan\n"
	        "  --policy NAME    default, fcc-covered, ndaa-889, eu-5g-toolbox, uk-ncsc,\n"
	        "                   de-2024 or one from --kb-file (default: default)\n"
	        "  --format FMT     text (default) or json\n"
	        "  -o FILE          write there instead of standard output\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"scan", required_argument, NULL, 's'},
		{"last", no_argument, NULL, 'l'},
		{"policy", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	const char *scan_arg = NULL, *policy = NULL, *format = "text", *outpath = NULL;
	int last = 0, opt;
	char err[512];

	cli_common_init(&c);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:qvh", longopts, NULL)) != -1) {
		int r = cli_common_opt(&c, opt, optarg);
		if (r < 0)
			return OS_EXIT_USAGE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'h':
			report_help(stdout);
			return 0;
		case 's':
			scan_arg = optarg;
			break;
		case 'l':
			last = 1;
			break;
		case 'p':
			policy = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		default:
			report_help(stderr);
			return OS_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		os_err("report: unexpected argument '%s'", argv[optind]);
		return OS_EXIT_USAGE;
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		os_err("--format '%s': want text or json", format);
		return OS_EXIT_USAGE;
	}
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	struct store *st = cli_store(&c);
	if (!st)
		return OS_EXIT_FAIL;
	int64_t scan;
	if (cli_pick_scan(st, scan_arg, last, &scan) < 0) {
		store_close(st);
		return OS_EXIT_FAIL;
	}
	struct report r;
	if (report_build(st, scan, policy, c.as_of, &r, err, sizeof err) < 0) {
		os_err("%s", err);
		store_close(st);
		return OS_EXIT_FAIL;
	}
	store_close(st);
	FILE *out = stdout;
	if (outpath && !(out = fopen(outpath, "w"))) {
		os_err("-o %s: cannot write it", outpath);
		report_free(&r);
		return OS_EXIT_FAIL;
	}
	int rc = !strcmp(format, "json") ? report_render_json(&r, out) : report_render_text(&r, out);
	if (fflush(out) != 0)
		rc = -1;
	if (out != stdout && fclose(out) != 0)
		rc = -1;
	report_free(&r);
	if (rc < 0) {
		os_err("could not write the report%s%s", outpath ? " to " : "", outpath ? outpath : "");
		return OS_EXIT_FAIL;
	}
	return OS_EXIT_OK;
}

static int print_scan(void *ctx, const struct scan_info *si)
{
	char t0[32];
	(void)ctx;
	os_iso_time(si->started_us, t0, sizeof t0);
	printf("%6lld  %-11s  %-8s  %s  %8lld  %8lld  %8lld  %s\n", (long long)si->id,
	       scan_status_name(si->status), si->command, t0, (long long)si->targets,
	       (long long)si->devices, (long long)si->evidence_rows, si->note ? si->note : "");
	return 0;
}

int cmd_scans(int argc, char **argv)
{
	static const struct option longopts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	struct cli_common c;
	int opt;
	cli_common_init(&c);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		int r = cli_common_opt(&c, opt, optarg);
		if (r < 0)
			return OS_EXIT_USAGE;
		if (r > 0)
			continue;
		if (opt == 'h') {
			printf("usage: originscan scans [--db PATH]\n\nLists stored scans, newest first.\n");
			return 0;
		}
		return OS_EXIT_USAGE;
	}
	struct store *st = cli_store(&c);
	if (!st)
		return OS_EXIT_FAIL;
	printf("%6s  %-11s  %-8s  %-20s  %8s  %8s  %8s  %s\n", "scan", "status", "command", "started",
	       "targets", "devices", "evidence", "note");
	int rc = store_each_scan(st, print_scan, NULL);
	if (rc < 0)
		os_err("%s", store_errmsg(st));
	store_close(st);
	return rc < 0 ? OS_EXIT_FAIL : OS_EXIT_OK;
}

int cmd_reattribute(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"scan", required_argument, NULL, 's'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	const char *scan_arg = NULL;
	int opt;
	char err[512];
	cli_common_init(&c);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		int r = cli_common_opt(&c, opt, optarg);
		if (r < 0)
			return OS_EXIT_USAGE;
		if (r > 0)
			continue;
		if (opt == 'h') {
			printf("usage: originscan reattribute [--scan ID] [--as-of DATE]\n\n"
			       "Recomputes a scan's verdicts (default: the latest scan) from its stored\n"
			       "evidence with the current knowledge base; no traffic is sent.\n");
			return 0;
		}
		if (opt == 's') {
			scan_arg = optarg;
			continue;
		}
		return OS_EXIT_USAGE;
	}
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	struct store *st = cli_store(&c);
	if (!st)
		return OS_EXIT_FAIL;
	int64_t scan;
	size_t n = 0;
	int rc = OS_EXIT_OK;
	if (cli_pick_scan(st, scan_arg, 0, &scan) < 0)
		rc = OS_EXIT_FAIL;
	else if (attribute_scan(st, scan, c.as_of, &n, err, sizeof err) < 0) {
		os_err("scan %lld: %s", (long long)scan, err);
		rc = OS_EXIT_FAIL;
	} else if (os_verbosity > 0)
		fprintf(stderr, "originscan: scan %lld: %zu devices reattributed with %s\n", (long long)scan, n,
		        kb_version());
	store_close(st);
	return rc;
}
