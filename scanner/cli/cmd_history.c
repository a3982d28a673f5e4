/* originscan scans / show / prune / reattribute: what is stored, one
 * device across scans, keeping the database to size, and new verdicts from
 * old evidence. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "scanconf.h"
#include "util.h"

/* The commands here keep their help as text; cli_next_opt wants a
 * printer. Returns what cli_next_opt returns (CLI_HELP, CLI_USAGE, 0, or
 * an option). */
static const char *help_text;

static void print_help(FILE *out)
{
	fputs(help_text, out);
}

static int next_opt(struct cli_common *c, int argc, char **argv, const struct option *lo, const char *help)
{
	help_text = help;
	return cli_next_opt(c, argc, argv, "", lo, print_help);
}

static const char scans_help[] =
	"usage: originscan scans [--format text|json]\n"
	"\n"
	"Lists stored scans, newest first: status (running, complete, failed,\n"
	"interrupted), what ran, when, and the counts of targets, answers, devices,\n"
	"attributed devices and evidence rows; a scan of several parts (or of a\n"
	"name) with each part: its status, where it was collected (site, operator,\n"
	"collector host, originscan version) and its evidence rows.\n";

struct scans_ctx {
	struct store *st;
	json_t *arr;
};

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int part_json(void *ctx, const struct part_info *pi)
{
	json_t *o = json_object(), *arr = ctx;
	char t[32];
	json_object_set_new(o, "name", json_string(pi->name));
	json_object_set_new(o, "status", json_string(pi->pending ? "pending" : scan_status_name(pi->status)));
	json_object_set_new(o, "site", jstr_or_null(pi->site));
	json_object_set_new(o, "operator", jstr_or_null(pi->operator_name));
	json_object_set_new(o, "collector_host", jstr_or_null(pi->collector_host));
	json_object_set_new(o, "db_user", jstr_or_null(pi->db_user));
	json_object_set_new(o, "originscan_version", jstr_or_null(pi->originscan_version));
	json_object_set_new(o, "kb_version", jstr_or_null(pi->kb_version));
	if (pi->started_us) {
		os_iso_time(pi->started_us, t, sizeof t);
		json_object_set_new(o, "started", json_string(t));
	} else
		json_object_set_new(o, "started", json_null());
	json_object_set_new(o, "targets", json_integer(pi->targets));
	json_object_set_new(o, "evidence", json_integer(pi->evidence_rows));
	json_object_set_new(o, "note", jstr_or_null(pi->note));
	json_array_append_new(arr, o);
	return 0;
}

static int part_text(void *ctx, const struct part_info *pi)
{
	(void)ctx;
	/* names, sites and notes are the user's or a device's words: escaped */
	fputs("        part ", stdout);
	os_term_puts(stdout, pi->name);
	printf(" %-11s", pi->pending ? "pending" : scan_status_name(pi->status));
	if (pi->site || pi->operator_name) {
		fputs("  site ", stdout);
		os_term_puts(stdout, pi->site ? pi->site : "-");
		if (pi->operator_name) {
			fputs(", operator ", stdout);
			os_term_puts(stdout, pi->operator_name);
		}
	}
	if (pi->collector_host && !pi->pending) {
		fputs("  from ", stdout);
		os_term_puts(stdout, pi->collector_host);
		printf(" (originscan %s)", pi->originscan_version ? pi->originscan_version : "?");
	}
	printf("  %lld evidence%s", (long long)pi->evidence_rows, pi->note ? "  " : "");
	os_term_puts(stdout, pi->note);
	putchar('\n');
	return 0;
}

static int print_scan(void *ctx, const struct scan_info *si)
{
	struct scans_ctx *sc = ctx;
	char t0[32];
	json_t *arr = sc->arr;
	os_iso_time(si->started_us, t0, sizeof t0);
	/* a scan of several parts, or one of a name, shows its parts */
	int show_parts = si->parts > 1 || si->name;
	if (arr) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(si->id));
		json_object_set_new(o, "status", json_string(scan_status_name(si->status)));
		json_object_set_new(o, "command", json_string(si->command));
		json_object_set_new(o, "plan", si->plan ? json_string(si->plan) : json_null());
		json_object_set_new(o, "name", jstr_or_null(si->name));
		json_object_set_new(o, "scope", jstr_or_null(si->scope));
		json_object_set_new(o, "started", json_string(t0));
		if (si->ended_us) {
			char t1[32];
			os_iso_time(si->ended_us, t1, sizeof t1);
			json_object_set_new(o, "ended", json_string(t1));
		} else
			json_object_set_new(o, "ended", json_null());
		json_object_set_new(o, "targets", json_integer(si->targets));
		json_object_set_new(o, "answered", json_integer(si->answered));
		json_object_set_new(o, "devices", json_integer(si->devices));
		json_object_set_new(o, "attributed", json_integer(si->attributed));
		json_object_set_new(o, "evidence", json_integer(si->evidence_rows));
		json_object_set_new(o, "note", si->note ? json_string(si->note) : json_null());
		json_t *parts = json_array();
		if (store_each_part(sc->st, si->id, part_json, parts) < 0) {
			json_decref(parts);
			json_decref(o);
			return -1;
		}
		json_object_set_new(o, "parts", parts);
		json_array_append_new(arr, o);
		return 0;
	}
	char what[64];
	snprintf(what, sizeof what, "%s%s%s", si->command, si->plan ? " " : "", si->plan ? si->plan : "");
	printf("%6lld  %-11s  %-18s  %s  %8lld  %8lld  %8lld  %10lld  %9lld  ", (long long)si->id,
	       scan_status_name(si->status), what, t0, (long long)si->targets, (long long)si->answered,
	       (long long)si->devices, (long long)si->attributed, (long long)si->evidence_rows);
	os_term_puts(stdout, si->name);
	if (si->name && si->note)
		fputs(": ", stdout);
	os_term_puts(stdout, si->note);     /* may quote what a device said */
	putchar('\n');
	if (show_parts) {
		printf("        %lld of %lld parts complete\n", (long long)si->parts_complete, (long long)si->parts);
		if (store_each_part(sc->st, si->id, part_text, NULL) < 0)
			return -1;
	}
	return 0;
}

int cmd_scans(int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, NULL, 'f'}, CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	struct cli_common c;
	const char *format = "text";
	int opt;
	cli_common_init(&c);
	while ((opt = next_opt(&c, argc, argv, lo, scans_help)) > 0)
		format = optarg;
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if ((strcmp(format, "text") && strcmp(format, "json")) || optind < argc) {
		os_err("scans: want --format text or json, and no arguments (see originscan scans --help)");
		return OS_EXIT_USAGE;
	}
	struct store *st = cli_store_existing(&c);
	if (!st)
		return OS_EXIT_FAIL;
	json_t *arr = !strcmp(format, "json") ? json_array() : NULL;
	struct scans_ctx sc = {st, arr};
	if (!arr)
		printf("%6s  %-11s  %-18s  %-20s  %8s  %8s  %8s  %10s  %9s  %s\n", "scan", "status", "what", "started",
		       "targets", "answered", "devices", "attributed", "evidence", "note");
	int rc = store_each_scan(st, print_scan, &sc);
	if (rc < 0)
		os_err("%s", store_errmsg(st));
	if (arr) {
		if (rc == 0)
			json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII), fputc('\n', stdout);
		json_decref(arr);
	}
	store_close(st);
	return rc < 0 ? OS_EXIT_FAIL : OS_EXIT_OK;
}

static const char show_help[] =
	"usage: originscan show DEVICE\n"
	"\n"
	"A device's history across the stored scans: in each scan where it was seen,\n"
	"its address, name, vendor, model, firmware, confidence, domain and site.\n"
	"DEVICE is a device identity as reports print it (serial:VENDOR:SERIAL, mac:...,\n"
	"ip:...), any of its addresses, its name (sysName, LLDP or CDP name, DHCP host\n"
	"name; case aside, with or without the domain), any of its MAC addresses in any\n"
	"common notation (00:1e:10:aa:bb:cc, 00-1E-10-AA-BB-CC, 001e.10aa.bbcc,\n"
	"001e10aabbcc), or a serial number of its chassis or of a component.\n";

/* Terminal-safe text (os_term_puts). */
static void tput(const char *s)
{
	os_term_puts(stdout, s ? s : "-");
}

struct show {
	int64_t n;
	char last[512];
};

static int show_row(void *ctx, const struct scan_info *si, const struct device_row *d)
{
	struct show *s = ctx;
	char t0[32];
	os_iso_time(si->started_us, t0, sizeof t0);
	if (strcmp(s->last, d->identity)) {
		printf("%sdevice ", s->n ? "\n" : "");
		tput(d->identity);
		printf("\n%6s  %-20s  %-11s  %-16s  %-16s  %-12s  %-16s  %-20s  %4s  %-10s  %s\n", "scan", "started",
		       "status", "address", "name", "vendor", "model", "firmware", "conf", "domain", "site");
		snprintf(s->last, sizeof s->last, "%s", d->identity);
	}
	s->n++;
	printf("%6lld  %s  %-11s  ", (long long)si->id, t0, scan_status_name(si->status));
	tput(d->address);
	printf("  ");
	tput(d->name);
	printf("  ");
	tput(d->vendor ? d->vendor : "unknown");
	printf("  ");
	tput(d->model);
	printf("  ");
	tput(d->firmware);
	printf("  %4d  %-10s  ", d->confidence, d->domain ? d->domain : "-");
	tput(d->site);
	putchar('\n');
	return 0;
}

int cmd_show(int argc, char **argv)
{
	static const struct option lo[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	struct cli_common c;
	int opt;
	cli_common_init(&c);
	while ((opt = next_opt(&c, argc, argv, lo, show_help)) > 0)
		;
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (optind != argc - 1) {
		os_err("show: want one DEVICE (see originscan show --help)");
		return OS_EXIT_USAGE;
	}
	char key[256];
	uint8_t mac[6];
	snprintf(key, sizeof key, "%s", argv[optind]);
	/* any MAC spelling -> the stored form (Cisco's 001e.10aa.bbcc too);
	 * the key as given if that finds nothing (a serial of 12 hex digits) */
	int as_mac = kb_mac_parse(key, mac) == 0;
	if (as_mac)
		ev_mac_text(mac, key);
	struct store *st = cli_store_existing(&c);
	if (!st)
		return OS_EXIT_FAIL;
	struct show s = {0, ""};
	int rc = store_device_history(st, key, show_row, &s);
	if (rc == 0 && !s.n && as_mac)
		rc = store_device_history(st, argv[optind], show_row, &s);
	if (rc < 0)
		os_err("%s", store_errmsg(st));
	store_close(st);
	if (rc < 0)
		return OS_EXIT_FAIL;
	if (!s.n) {
		os_err("no stored device matches '%s'", argv[optind]);
		return OS_EXIT_FAIL;
	}
	return OS_EXIT_OK;
}

static const char prune_help[] =
	"usage: originscan prune --keep N [--dry-run]\n"
	"\n"
	"Keeps the newest N complete scans and deletes every older scan with its\n"
	"evidence and verdicts (failed and interrupted scans newer than the oldest\n"
	"kept one stay, and a running scan is never touched). --dry-run lists what\n"
	"would go. The database file does not shrink until VACUUM.\n";

static int prune_row(void *ctx, const struct scan_info *si)
{
	char t0[32];
	os_iso_time(si->started_us, t0, sizeof t0);
	printf("%s scan %lld (%s, %s, %s, %lld devices)\n", (const char *)ctx, (long long)si->id,
	       scan_status_name(si->status), si->command, t0, (long long)si->devices);
	return 0;
}

int cmd_prune(int argc, char **argv)
{
	static const struct option lo[] = {{"keep", required_argument, NULL, 'k'},
	                                   {"dry-run", no_argument, NULL, 'n'},
	                                   CLI_COMMON_LONGOPTS,
	                                   {NULL, 0, NULL, 0}};
	struct cli_common c;
	long keep = 0;
	int opt, dry = 0;
	cli_common_init(&c);
	while ((opt = next_opt(&c, argc, argv, lo, prune_help)) > 0) {
		if (opt == 'k' && cli_int("--keep", optarg, 1, 1000000, &keep) < 0)
			return OS_EXIT_USAGE;
		if (opt == 'n')
			dry = 1;
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (!keep || optind < argc) {
		os_err("prune: want --keep N, the number of complete scans to keep (see originscan prune --help)");
		return OS_EXIT_USAGE;
	}
	struct store *st = cli_store_existing(&c);
	if (!st)
		return OS_EXIT_FAIL;
	int64_t n = 0;
	int rc = store_prune(st, (int)keep, dry, os_verbosity > 0 ? prune_row : NULL,
	                     dry ? "would delete" : "deleting", &n);
	if (rc < 0)
		os_err("%s", store_errmsg(st));
	else if (os_verbosity > 0)
		fprintf(stderr, "originscan: %s %lld scans; kept the newest %ld complete ones\n",
		        dry ? "would delete" : "deleted", (long long)n, keep);
	store_close(st);
	return rc < 0 ? OS_EXIT_FAIL : OS_EXIT_OK;
}

static const char reattribute_help[] =
	"usage: originscan reattribute [--scan ID] [--site-map CONFIG] [--as-of DATE]\n"
	"\n"
	"Recomputes a scan's verdicts (default: the latest scan) from its stored\n"
	"evidence with the current knowledge base; no traffic is sent.\n"
	"  --site-map CONFIG  first replace the scan's site map with the [site]\n"
	"                     stanzas of this scan configuration\n";

int cmd_reattribute(int argc, char **argv)
{
	static const struct option lo[] = {{"scan", required_argument, NULL, 's'},
	                                   {"site-map", required_argument, NULL, 'm'},
	                                   CLI_COMMON_LONGOPTS,
	                                   {NULL, 0, NULL, 0}};
	struct cli_common c;
	const char *scan_arg = NULL, *sites = NULL;
	int opt;
	char err[512];
	cli_common_init(&c);
	while ((opt = next_opt(&c, argc, argv, lo, reattribute_help)) > 0) {
		if (opt == 's')
			scan_arg = optarg;
		else if (opt == 'm')
			sites = optarg;
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (optind < argc) {
		os_err("reattribute: unexpected argument '%s' (see originscan reattribute --help)", argv[optind]);
		return OS_EXIT_USAGE;
	}
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	char *map = NULL;
	if (sites) {
		struct scanconf sc;
		if (scanconf_load(sites, &sc, err, sizeof err) < 0) {
			os_err("--site-map: %s", err);
			return OS_EXIT_FAIL;
		}
		map = sc.sites.nsites ? sitemap_to_json(&sc.sites) : NULL;
		scanconf_free(&sc);
	}
	struct store *st = cli_store_existing(&c);
	if (!st) {
		free(map);
		return OS_EXIT_FAIL;
	}
	int64_t scan;
	size_t n = 0;
	int rc = OS_EXIT_OK;
	/* A quick structural check first where the file is small enough for
	 * it to be cheap; attribution also checks that it reads every
	 * evidence row the scan recorded. */
	struct scan_info si = {0};
	if (cli_pick_scan(st, scan_arg, 0, &scan) < 0)
		rc = OS_EXIT_FAIL;
	else if (store_scan_info(st, scan, &si) < 0) {
		os_err("%s", store_errmsg(st));
		rc = OS_EXIT_FAIL;
	}
	/* every part complete, the scan not (its attribution failed or its
	 * attributor died): this run attributes and ends it */
	int finish = rc == OS_EXIT_OK && si.status != SCAN_COMPLETE && si.parts && si.parts == si.parts_complete;
	if (rc == OS_EXIT_OK && (store_verify(st, 256 << 20) < 0 || (finish && store_take_scan(st, scan) < 0) ||
	         (sites && store_set_site_map(st, scan, map) < 0))) {
		os_err("%s", store_errmsg(st));
		rc = OS_EXIT_FAIL;
	} else if (rc == OS_EXIT_OK && attribute_scan(st, scan, c.as_of, &n, err, sizeof err) < 0) {
		os_err("scan %lld: %s", (long long)scan, err);
		rc = OS_EXIT_FAIL;
	} else if (rc == OS_EXIT_OK && finish && store_finish_scan(st, scan, SCAN_COMPLETE, NULL) < 0) {
		os_err("%s", store_errmsg(st));
		rc = OS_EXIT_FAIL;
	} else if (rc == OS_EXIT_OK && os_verbosity > 0)
		fprintf(stderr, "originscan: scan %lld: %zu devices reattributed with %s%s\n", (long long)scan, n,
		        kb_version(), finish ? "; the scan is complete" : "");
	scan_info_free(&si);
	free(map);
	store_close(st);
	return rc;
}
