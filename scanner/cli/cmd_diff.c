/* originscan diff: what changed between two complete scans (scanner/report/diff.c).
 * Exit status as diff(1): 0 no differences, 1 differences, 2 trouble. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diff.h"
#include "kb.h"
#include "outfile.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan diff [OLD NEW | --last] [--policy NAME] [--format text|json]\n"
	        "                       [--operator NAME]... [--site NAME]... [--domain DOMAIN]\n"
	        "                       [--fail-on new-high-risk] [--limit N] [--any-scope] [--syslog]\n"
	        "                       [-o FILE]\n"
	        "\n"
	        "Compares two complete scans by device identity: devices added, removed,\n"
	        "changed (firmware, model, vendor verdict, high-risk standing), moved (same\n"
	        "device, new address) and replaced (same address, another device; says when\n"
	        "the vendor changed), and the change in high-risk devices per domain.\n"
	        "  OLD NEW          scan ids or names (see originscan scans)\n"
	        "  --last           the latest complete scan and the complete scan before it\n"
	        "                   of the same scope: the same targets swept, or the same\n"
	        "                   plan (the default); when a newer scan of that scope is\n"
	        "                   still running (exit 0) or was interrupted or failed\n"
	        "                   (exit 2), it says so and compares nothing: that diff\n"
	        "                   is not news\n"
	        "  --operator NAME, --site NAME, --domain DOMAIN\n"
	        "                   compare only those devices (repeatable but --domain)\n"
	        "  --any-scope      compare scans that cover different targets or plans\n"
	        "                   (refused otherwise: what one did not look at would show\n"
	        "                   as removed or added)\n"
	        "  --policy NAME    what counts as high-risk (default: default)\n"
	        "  --format FMT     text (default: short, most important first, nothing at\n"
	        "                   all when there is no difference) or json (everything)\n"
	        "  --fail-on new-high-risk\n"
	        "                   exit 1 only when a device is newly high-risk\n"
	        "  --limit N        text: at most N lines per section (default 20, 0 = all)\n"
	        "  --syslog         also send the summary and each new high-risk device as\n"
	        "                   RFC 5424 messages to the local syslog socket (/dev/log, or\n"
	        "                   $ORIGINSCAN_SYSLOG_SOCKET), structured data: scan ids,\n"
	        "                   counts, device identity\n"
	        "  -o, --output FILE\n"
	        "                   write there instead of standard output\n"
	        "Refuses a scan that is running, failed or interrupted (a scan of several\n"
	        "parts is complete only when every part is): its missing devices would look\n"
	        "removed. Exit status: 0 no differences, 1 differences, 2 trouble.\n");
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"last", no_argument, NULL, 'l'},
		{"policy", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{"fail-on", required_argument, NULL, 'F'},
		{"limit", required_argument, NULL, 'n'},
		{"output", required_argument, NULL, 'o'},
		{"operator", required_argument, NULL, 'O'},
		{"site", required_argument, NULL, 'T'},
		{"domain", required_argument, NULL, 'D'},
		{"any-scope", no_argument, NULL, 'A'},
		{"syslog", no_argument, NULL, 'S'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	const char *policy = NULL, *format = "text", *outpath = NULL;
	const char *ops[64], *sites[64];
	struct diff_opts dopt = {0};
	int opt, fail_new_hr = 0, to_syslog = 0;
	long limit = 20;
	char err[512];

	cli_common_init(&c);
	while ((opt = cli_next_opt(&c, argc, argv, "o:", longopts, help)) > 0) {
		switch (opt) {
		case 'l':
			break;
		case 'p':
			policy = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "new-high-risk")) {
				os_err("--fail-on '%s': want new-high-risk", optarg);
				return OS_EXIT_FAIL;
			}
			fail_new_hr = 1;
			break;
		case 'n':
			if (cli_int("--limit", optarg, 0, 100000000L, &limit) < 0)
				return OS_EXIT_FAIL;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'O':
		case 'T':
			if ((opt == 'O' ? dopt.noperators : dopt.nsites) == OS_ARRAY_LEN(ops)) {
				os_err("--%s: at most %zu", opt == 'O' ? "operator" : "site", OS_ARRAY_LEN(ops));
				return OS_EXIT_USAGE;
			}
			if (opt == 'O')
				ops[dopt.noperators++] = optarg;
			else
				sites[dopt.nsites++] = optarg;
			break;
		case 'D':
			dopt.domain = optarg;
			break;
		case 'A':
			dopt.any_scope = 1;
			break;
		case 'S':
			to_syslog = 1;
			break;
		}
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_FAIL;
	if (strcmp(format, "text") && strcmp(format, "json")) {
		os_err("--format '%s': want text or json (see originscan diff --help)", format);
		return OS_EXIT_FAIL;
	}
	int nargs = argc - optind;
	if (nargs != 0 && nargs != 2) {
		os_err("diff: want OLD NEW (two scan ids) or --last (see originscan diff --help)");
		return OS_EXIT_FAIL;
	}
	int64_t old_id = 0, new_id = 0;
	if (outfile_is_database(outpath, c.db)) {
		os_err("-o %s: that is the database (or one of its files); choose another output file", outpath);
		return OS_EXIT_FAIL;
	}
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	struct store *st = cli_store_existing(&c);
	if (!st)
		return OS_EXIT_FAIL;
	if (nargs == 2 && (cli_pick_scan(st, argv[optind], 0, &old_id) < 0 ||
	                   cli_pick_scan(st, argv[optind + 1], 0, &new_id) < 0)) {
		store_close(st);
		return OS_EXIT_FAIL;
	}
	if (!nargs) {
		if (store_latest_scan(st, 1, &new_id) < 0 || (new_id && store_previous_complete(st, new_id, &old_id) < 0)) {
			os_err("%s", store_errmsg(st));
			store_close(st);
			return OS_EXIT_FAIL;
		}
		/* A newer scan of the same kind that did not complete means there
		 * is nothing new: the diff of the last two complete scans was news
		 * when the second of them ended, and printed again it would read
		 * as news of tonight's scan. Say so instead. */
		struct cli_unfinished u = {0};
		if (new_id && cli_newer_unfinished(st, new_id, &u) < 0) {
			store_close(st);
			return OS_EXIT_FAIL;
		}
		if (u.n) {
			char was[200] = "";
			if (old_id)
				snprintf(was, sizeof was, "; the last two complete scans are %lld and %lld (originscan diff %lld %lld)",
				         (long long)old_id, (long long)new_id, (long long)old_id, (long long)new_id);
			if (u.status == SCAN_RUNNING) {
				/* another run (the lock holder) will end it and diff it */
				if (os_verbosity > 0)
					fprintf(stderr, "originscan: diff --last: scan %lld, the latest of its kind, is still running: "
					        "nothing new to compare yet%s\n", (long long)u.id, was);
				store_close(st);
				return OS_EXIT_OK;
			}
			os_err("diff --last: scan %lld, the latest of its kind, is %s%s%s%s: nothing new to compare%s",
			       (long long)u.id, scan_status_name(u.status), u.note[0] ? " (" : "", u.note,
			       u.note[0] ? ")" : "", was);
			store_close(st);
			return OS_EXIT_FAIL;
		}
		if (!new_id || !old_id) {
			os_err("--last: %s holds %s complete scan%s of the same kind; nothing to compare", store_path(st),
			       new_id ? "only one" : "no", new_id ? "" : "s");
			store_close(st);
			return OS_EXIT_FAIL;
		}
	}
	struct diff d;
	dopt.policy = policy;
	dopt.operators = dopt.noperators ? ops : NULL;
	dopt.sites = dopt.nsites ? sites : NULL;
	if (diff_build(st, old_id, new_id, &dopt, &d, err, sizeof err) < 0) {
		os_err("%s", err);
		store_close(st);
		return OS_EXIT_FAIL;
	}
	store_close(st);
	struct outfile of;
	if (outfile_open(&of, outpath, c.db, err, sizeof err) < 0) {
		os_err("%s", err);
		diff_free(&d);
		return OS_EXIT_FAIL;
	}
	int rc = !strcmp(format, "json") ? diff_render_json(&d, of.f) : diff_render_text(&d, of.f, (size_t)limit);
	if (rc < 0)
		outfile_abort(&of);
	else if (outfile_commit(&of, err, sizeof err) < 0) {
		os_err("%s", err);
		rc = -1;
	}
	if (to_syslog && rc == 0 && diff_send_syslog(&d, err, sizeof err) < 0) {
		os_err("%s", err);
		diff_free(&d);
		return OS_EXIT_FAIL;
	}
	int status = fail_new_hr ? (d.new_high_risk > 0 ? OS_EXIT_DIFF : OS_EXIT_OK)
	                         : (diff_count(&d) > 0 ? OS_EXIT_DIFF : OS_EXIT_OK);
	diff_free(&d);
	if (rc < 0) {
		os_err("could not write the diff%s%s", outpath ? " to " : "", outpath ? outpath : "");
		return OS_EXIT_FAIL;
	}
	return status;
}
