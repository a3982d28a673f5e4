/* originscan db init: the schema (and on PostgreSQL the roles) on an
 * empty database; originscan declare: a scan made of named parts, which
 * collectors on other machines then write (--scan NAME --part PART). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kb.h"
#include "scanconf.h"
#include "sitemap.h"
#include "util.h"

static const char db_help[] =
	"usage: originscan db init [--db PATH|URI]\n"
	"\n"
	"Creates the schema on an empty database, or migrates an older one. On\n"
	"PostgreSQL (--db postgresql://USER@HOST/DB) it also creates the roles\n"
	"originscan_admin (owns the schema: migrations, prune, reattribute),\n"
	"originscan_collector (writes the evidence of its own parts, completes\n"
	"them; never deletes or rewrites) and originscan_reader (reports, diffs),\n"
	"with their rights; run it as the database's owner or a superuser, then\n"
	"grant each login one of the three (README.md, 'PostgreSQL'). The database\n"
	"must be made with: createdb -E SQL_ASCII -T template0 NAME. Passwords are\n"
	"never taken in the URI: libpq reads ~/.pgpass, PGPASSFILE, PGPASSWORD or a\n"
	"service file.\n";

static void print_db_help(FILE *out)
{
	fputs(db_help, out);
}

int cmd_db(int argc, char **argv)
{
	static const struct option lo[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	struct cli_common c;
	int opt;
	cli_common_init(&c);
	while ((opt = cli_next_opt(&c, argc, argv, "", lo, print_db_help)) > 0)
		;
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (optind != argc - 1 || strcmp(argv[optind], "init")) {
		os_err("db: want 'db init' (see originscan db --help)");
		return OS_EXIT_USAGE;
	}
	char err[1024];
	int created = 0;
	if (store_init(c.db, &created, err, sizeof err) < 0) {
		os_err("%s", err);
		return OS_EXIT_FAIL;
	}
	struct store *st = store_open(c.db, err, sizeof err);
	if (!st) {
		os_err("%s", err);
		return OS_EXIT_FAIL;
	}
	if (os_verbosity > 0)
		fprintf(stderr, "originscan: %s: %s\n", store_path(st),
		        created ? (store_is_pg(st) ? "schema and roles created" : "database created")
		                : "the schema is current");
	store_close(st);
	return OS_EXIT_OK;
}

static const char declare_help[] =
	"usage: originscan declare NAME PART... [--site-map CONFIG] [--plan PLAN]\n"
	"\n"
	"Declares scan NAME made of the given parts (sites, collectors, shards...),\n"
	"to be written by separate processes, on any machine, at any time:\n"
	"  originscan snmp --scan NAME --part PART ...      (or capture, neigh,\n"
	"  scan -f, import). The scan is complete when every part is; an\n"
	"interrupted or failed part is resumed or run again on its own (--rerun).\n"
	"  --site-map CONFIG  the [site] stanzas of this scan configuration place\n"
	"                     the scan's devices (site, domain, operator)\n"
	"  --plan PLAN        the plan it belongs to: scans of the same plan and\n"
	"                     parts are compared by diff --last and trends\n"
	"                     (default: NAME without a trailing date)\n";

static void print_declare_help(FILE *out)
{
	fputs(declare_help, out);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cmd_declare(int argc, char **argv)
{
	static const struct option lo[] = {{"site-map", required_argument, NULL, 'm'},
	                                   {"plan", required_argument, NULL, 'p'},
	                                   CLI_COMMON_LONGOPTS,
	                                   {NULL, 0, NULL, 0}};
	struct cli_common c;
	const char *sites = NULL, *plan = NULL;
	int opt;
	char err[1024];
	cli_common_init(&c);
	while ((opt = cli_next_opt(&c, argc, argv, "", lo, print_declare_help)) > 0) {
		if (opt == 'm')
			sites = optarg;
		else if (opt == 'p')
			plan = optarg;
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (argc - optind < 2) {
		os_err("declare: want NAME and at least one PART (see originscan declare --help)");
		return OS_EXIT_USAGE;
	}
	const char *name = argv[optind];
	size_t nparts = (size_t)(argc - optind - 1);
	const char **parts = xcalloc(nparts, sizeof *parts);
	for (size_t i = 0; i < nparts; i++)
		parts[i] = argv[optind + 1 + i];
	char *map = NULL;
	if (sites) {
		struct scanconf sc;
		if (scanconf_load(sites, &sc, err, sizeof err) < 0) {
			os_err("--site-map: %s", err);
			free(parts);
			return OS_EXIT_FAIL;
		}
		map = sc.sites.nsites ? sitemap_to_json(&sc.sites) : NULL;
		scanconf_free(&sc);
	}
	/* the plan: given, else the name without a trailing date, so that
	 * next month's inventory-2024-07 compares with inventory-2024-06 */
	char pl[256];
	snprintf(pl, sizeof pl, "%s", plan ? plan : name);
	if (!plan) {
		size_t n = strlen(pl);
		while (n && ((pl[n - 1] >= '0' && pl[n - 1] <= '9') || pl[n - 1] == '-' || pl[n - 1] == '_' ||
		             pl[n - 1] == '.'))
			pl[--n] = 0;
		if (!n)
			snprintf(pl, sizeof pl, "%s", name);
	}
	/* the scope: the plan and its parts, whatever their order */
	const char **sorted = xcalloc(nparts, sizeof *sorted);
	memcpy(sorted, parts, nparts * sizeof *sorted);
	qsort(sorted, nparts, sizeof *sorted, cmp_str);
	struct buf scope = {0};
	buf_printf(&scope, "declared:%s:", pl);
	for (size_t i = 0; i < nparts; i++)
		buf_printf(&scope, "%s%s", i ? "," : "", sorted[i]);
	free(sorted);
	int rc = OS_EXIT_FAIL;
	struct store *st = NULL;
	char *req = NULL;
	if (cli_kb(&c) < 0 || !(st = cli_store(&c)))
		goto out;
	json_t *rq = json_object(), *pa = json_array();
	json_object_set_new(rq, "plan", json_string(pl));
	for (size_t i = 0; i < nparts; i++)
		json_array_append_new(pa, json_string(parts[i]));
	json_object_set_new(rq, "parts", pa);
	req = json_dumps(rq, JSON_COMPACT);
	json_decref(rq);
	struct scan_decl d = {.command = "scan", .request_json = req, .kb_version = kb_version(),
	                      .plan = pl, .scope = scope.p, .name = name, .parts = parts, .nparts = nparts,
	                      .site_map_json = map};
	int64_t id;
	int created = 0;
	if (store_declare_scan(st, &d, &id, &created) < 0) {
		os_err("%s", store_errmsg(st));
		goto out;
	}
	printf("%lld\n", (long long)id);
	if (os_verbosity > 0)
		fprintf(stderr, "originscan: scan %lld '%s' %s with %zu parts; write each with --scan %s --part PART\n",
		        (long long)id, name, created ? "declared" : "was already declared", nparts, name);
	rc = OS_EXIT_OK;
out:
	store_close(st);
	free(req);
	buf_free(&scope);
	free(map);
	free(parts);
	return rc;
}
