/* Shared pieces of the command-line front end (scanner/cli/cmd_*.c). */
#ifndef OS_CLI_H
#define OS_CLI_H
#include <getopt.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>

#include "store.h"

extern volatile sig_atomic_t os_stop;   /* set by SIGINT/SIGTERM */

/* Options every command understands; parsed by cli_common_opt(). */
struct cli_common {
	const char *db;                 /* --db, ORIGINSCAN_DB, ./originscan.db */
	int as_of;                      /* --as-of, YYYYMMDD, 0 = scan date */
#define CLI_MAX_FILES 32
	const char *kb_files[CLI_MAX_FILES];    /* --kb-file (repeatable) */
	int nkb_files;
	const char *oui_files[CLI_MAX_FILES];   /* --oui-file (repeatable) */
	int noui_files;
	int db_given;                   /* --db was on the command line */
};

/* Long options shared by every command; append to a command's table. */
#define CLI_COMMON_LONGOPTS                                  \
	{"db", required_argument, NULL, 1000},               \
	{"as-of", required_argument, NULL, 1001},            \
	{"kb-file", required_argument, NULL, 1002},          \
	{"oui-file", required_argument, NULL, 1003},         \
	{"quiet", no_argument, NULL, 'q'},                   \
	{"verbose", no_argument, NULL, 'v'},                 \
	{"help", no_argument, NULL, 'h'}

/* Handles a common option; returns 1 if it was one, 0 if not, -1 on a
 * bad value (message printed). */
int cli_common_opt(struct cli_common *c, int opt, const char *arg);
/* Defaults, and the start of a new option scan (optind). */
void cli_common_init(struct cli_common *c);

/* The option loop every command shares, as an iterator: common options
 * are applied to c; the command's own come back one by one. Returns the
 * option, 0 at the end, CLI_HELP after printing help(stdout) (exit 0), or
 * CLI_USAGE after a bad option or value (message printed). shortopts are
 * the command's own; -q -v -h are added. */
enum { CLI_HELP = -1, CLI_USAGE = -2 };
int cli_next_opt(struct cli_common *c, int argc, char **argv, const char *shortopts,
                 const struct option *longopts, void (*help)(FILE *));
/* Knowledge base plus the user's --kb-file/--oui-file; prints errors. */
int cli_kb(const struct cli_common *c);
/* Opens the store; prints the error and returns NULL on failure. */
struct store *cli_store(const struct cli_common *c);
void cli_signals(void);
/* Parse a positive integer option; prints an error naming opt. */
int cli_int(const char *opt, const char *arg, long min, long max, long *out);
int cli_double(const char *opt, const char *arg, double min, double max, double *out);
/* Resolve --scan ID / --last / default (latest scan). */
int cli_pick_scan(struct store *st, const char *scan_arg, int last_complete, int64_t *id);

int cmd_snmp(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_scans(int argc, char **argv);
int cmd_kb(int argc, char **argv);
int cmd_reattribute(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_neigh(int argc, char **argv);
#endif
