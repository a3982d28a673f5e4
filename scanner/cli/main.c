/* originscan: network equipment inventory and vendor-origin scanner.
 * The entry point only dispatches to scanner/cli/cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kb.h"
#include "util.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} commands[] = {
	{"snmp", cmd_snmp, "poll SNMP agents and store what they say"},
	{"probe", cmd_probe, "read what SSH, telnet, web and SNMP services say unasked"},
	{"scan", cmd_scan, "run the collectors a scan configuration names (-f CONFIG)"},
	{"report", cmd_report, "write the exposure report of a scan (text, json, csv, html, cyclonedx, netbox)"},
	{"diff", cmd_diff, "what changed between two complete scans"},
	{"capture", cmd_capture, "listen on interfaces or read capture files (passive)"},
	{"oss", cmd_oss, "read the operator's OSS exports of its radio network (Bulk CM, RAML)"},
	{"neigh", cmd_neigh, "read the kernel's ARP/NDP neighbour tables (passive)"},
	{"import", cmd_import, "bring a site's SQLite scan into this database"},
	{"declare", cmd_declare, "declare a scan made of parts that other processes write"},
	{"scans", cmd_scans, "list stored scans"},
	{"show", cmd_show, "a device's history across scans"},
	{"prune", cmd_prune, "keep the last N complete scans, delete older ones"},
	{"reattribute", cmd_reattribute, "recompute a scan's verdicts with the current knowledge base"},
	{"identify", cmd_identify, "attribute single facts offline (MAC, OID, banner ...)"},
	{"kb", cmd_kb, "inspect and check the knowledge base"},
	{"db", cmd_db, "db init: create the schema (and PostgreSQL roles)"},
	{"demo", cmd_demo, "scan a built-in lab of simulated devices and report on it"},
};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: originscan COMMAND [OPTIONS] [ARGS]\n"
	        "\n"
	        "Inventories network equipment, works out who made it and under which\n"
	        "jurisdiction, stores every scan, and reports high-risk-vendor exposure.\n"
	        "\n"
	        "Commands:\n");
	for (size_t i = 0; i < OS_ARRAY_LEN(commands); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].what);
	fprintf(out,
	        "\n"
	        "Options every command takes:\n"
	        "  --db PATH|URI    database: an SQLite file, or postgresql://USER@HOST/DB\n"
	        "                   (default $ORIGINSCAN_DB or ./originscan.db)\n"
	        "  --as-of DATE     attribute ownership as on DATE (YYYY-MM-DD)\n"
	        "  --kb-file FILE   load your own vendors/rules/policies/countries file\n"
	        "  --oui-file FILE  load a newer IEEE registry CSV or Wireshark manuf\n"
	        "  -q, --quiet      errors only      -v, --verbose  more detail\n"
	        "\n"
	        "'originscan COMMAND --help' describes a command, 'originscan --version'\n"
	        "the version and knowledge base, 'man originscan' all of them. Exit status: 0 ok,\n"
	        "1 differences or failed lines, 2 trouble the user must fix,\n"
	        "64 usage error, 75 another scan holds the lock, 130 interrupted.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		os_err("no command given (see originscan --help)");
		return OS_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		char err[256];
		printf("originscan %s\n", ORIGINSCAN_VERSION);
		if (kb_init(err, sizeof err) == 0)
			printf("knowledge base: %s\n", kb_version());
		return 0;
	}
	for (size_t i = 0; i < OS_ARRAY_LEN(commands); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			cli_command = commands[i].name;
			return commands[i].fn(argc - 1, argv + 1);
		}
	os_err("unknown command '%s' (see originscan --help)", argv[1]);
	return OS_EXIT_USAGE;
}
