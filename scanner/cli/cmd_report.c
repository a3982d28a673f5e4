/* originscan report: the exposure report of a scan, in text, JSON, CSV,
 * HTML, CycloneDX or NetBox CSV files. The model is built once
 * (scanner/report/report.c) and rendered by one of the renderers; the
 * store stays open while they stream device lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kb.h"
#include "outfile.h"
#include "report.h"
#include "util.h"

static void report_help(FILE *out)
{
	fprintf(out,
	        "usage: originscan report [--scan ID|NAME | --last] [--policy NAME] [--operator NAME]...\n"
	        "                         [--site NAME]... [--domain DOMAIN]\n"
	        "                         [--format text|json|csv|html|cyclonedx] [-o FILE]\n"
	        "       originscan report [--scan ID|NAME | --last] [--policy NAME] --format netbox -o DIR\n"
	        "\n"
	        "The exposure report of a scan: devices, attributed (by confidence band) and\n"
	        "unattributed; high-risk devices and their share overall, per domain, per\n"
	        "vendor, vendor group and jurisdiction; high-risk vendors in core functions;\n"
	        "vendor concentration per domain (largest group's share, HHI); the policy\n"
	        "evaluated rule by rule with the devices behind each and its deadlines;\n"
	        "grouping by operator and site; the trend over the stored complete scans;\n"
	        "the firmware inventory; components of another maker; the unattributed with\n"
	        "what was seen of them; and every device with the evidence that decided.\n"
	        "  --scan ID|NAME   the scan (default: the latest scan)\n"
	        "  --last           the latest complete scan\n"
	        "  --policy NAME    default, fcc-covered, ndaa-889, eu-5g-toolbox, uk-ncsc,\n"
	        "                   de-2024 or one from --kb-file (default: default)\n"
	        "  --operator NAME  only this operator's devices (repeatable; '' = devices\n"
	        "                   whose site names no operator)\n"
	        "  --site NAME      only this site's devices (repeatable; '' = no site)\n"
	        "  --domain DOMAIN  only this network domain's devices ('' = none)\n"
	        "  --format FMT     text (default), json (the complete model, schema in\n"
	        "                   docs/report-schema.md), csv (one row per device), html\n"
	        "                   (one self-contained page with charts), cyclonedx (a\n"
	        "                   CycloneDX 1.6 JSON hardware BOM) or netbox (NetBox's\n"
	        "                   bulk-import CSV files, written into the directory -o names)\n"
	        "  -o, --output FILE\n"
	        "                   write there instead of standard output (netbox: a directory,\n"
	        "                   created if missing)\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"scan", required_argument, NULL, 's'},
		{"last", no_argument, NULL, 'l'},
		{"policy", required_argument, NULL, 'p'},
		{"operator", required_argument, NULL, 'O'},
		{"site", required_argument, NULL, 'S'},
		{"domain", required_argument, NULL, 'D'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	static const struct {
		const char *name;
		int (*fn)(const struct report *, FILE *);
	} formats[] = {
		{"text", report_render_text},
		{"json", report_render_json},
		{"csv", report_render_csv},
		{"html", report_render_html},
		{"cyclonedx", report_render_cyclonedx},
		{"netbox", NULL},       /* files in a directory: report_render_netbox */
	};
	struct cli_common c;
	const char *scan_arg = NULL, *format = "text", *outpath = NULL;
	const char **ops = NULL, **sites = NULL;
	struct report_opts ro = {0};
	int last = 0, opt, fmt = -1;
	char err[512];

	cli_common_init(&c);
	while ((opt = cli_next_opt(&c, argc, argv, "o:", longopts, report_help)) > 0) {
		switch (opt) {
		case 's':
			scan_arg = optarg;
			break;
		case 'l':
			last = 1;
			break;
		case 'p':
			ro.policy = optarg;
			break;
		case 'O':
			ops = xrealloc(ops, (ro.noperators + 1) * sizeof *ops);
			ops[ro.noperators++] = optarg;
			break;
		case 'S':
			sites = xrealloc(sites, (ro.nsites + 1) * sizeof *sites);
			sites[ro.nsites++] = optarg;
			break;
		case 'D':
			ro.domain = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		}
	}
	if (opt < 0) {
		free(ops);
		free(sites);
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	}
	ro.operators = ops;
	ro.sites = sites;
	for (size_t i = 0; i < OS_ARRAY_LEN(formats); i++)
		if (!strcmp(format, formats[i].name))
			fmt = (int)i;
	if (optind < argc || fmt < 0) {
		if (fmt < 0)
			os_err("--format '%s': want text, json, csv, html, cyclonedx or netbox (see originscan report --help)",
			       format);
		else
			os_err("report: unexpected argument '%s' (see originscan report --help)", argv[optind]);
		free(ops);
		free(sites);
		return OS_EXIT_USAGE;
	}
	if (!formats[fmt].fn && !outpath) {
		os_err("--format netbox writes several files: name their directory with -o DIR");
		free(ops);
		free(sites);
		return OS_EXIT_USAGE;
	}
	if (outfile_is_database(outpath, c.db)) {
		os_err("-o %s: that is the database (or one of its files); choose another output file", outpath);
		free(ops);
		free(sites);
		return OS_EXIT_FAIL;
	}
	if (cli_kb(&c) < 0) {
		free(ops);
		free(sites);
		return OS_EXIT_FAIL;
	}
	struct store *st = cli_store_existing(&c);
	if (!st) {
		free(ops);
		free(sites);
		return OS_EXIT_FAIL;
	}
	int64_t scan;
	struct report r;
	ro.as_of = c.as_of;
	if (cli_pick_scan(st, scan_arg, last, &scan) < 0) {
		store_close(st);
		free(ops);
		free(sites);
		return OS_EXIT_FAIL;
	}
	struct cli_unfinished u;
	if (!scan_arg && last && cli_newer_unfinished(st, scan, &u) > 0)
		os_warn("--last: scan %lld, newer, is %s%s%s%s; this is scan %lld, the latest complete one", (long long)u.id,
		        scan_status_name(u.status), u.note[0] ? " (" : "", u.note, u.note[0] ? ")" : "", (long long)scan);
	if (report_build(st, scan, &ro, &r, err, sizeof err) < 0) {
		os_err("%s", err);
		store_close(st);
		free(ops);
		free(sites);
		return OS_EXIT_FAIL;
	}
	if (!formats[fmt].fn) {
		int rc = report_render_netbox(&r, outpath, c.db, err, sizeof err);
		if (rc < 0)
			os_err("%s", *store_errmsg(st) ? store_errmsg(st) : err);
		report_free(&r);
		store_close(st);
		free(ops);
		free(sites);
		return rc < 0 ? OS_EXIT_FAIL : OS_EXIT_OK;
	}
	struct outfile of;
	if (outfile_open(&of, outpath, c.db, err, sizeof err) < 0) {
		os_err("%s", err);
		report_free(&r);
		store_close(st);
		free(ops);
		free(sites);
		return OS_EXIT_FAIL;
	}
	static char obuf[1 << 16];
	setvbuf(of.f, obuf, _IOFBF, sizeof obuf);
	int rc = formats[fmt].fn(&r, of.f);
	if (rc < 0 && *store_errmsg(st))
		os_err("%s", store_errmsg(st));
	if (rc < 0)
		outfile_abort(&of);
	else if (outfile_commit(&of, err, sizeof err) < 0) {
		os_err("%s", err);
		rc = -1;
	}
	report_free(&r);
	store_close(st);
	free(ops);
	free(sites);
	if (rc < 0) {
		os_err("could not write the report%s%s%s", outpath ? " to " : "", outpath ? outpath : "",
		       outpath ? " (left as it was)" : "");
		return OS_EXIT_FAIL;
	}
	return OS_EXIT_OK;
}
