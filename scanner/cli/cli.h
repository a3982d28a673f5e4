/* Shared pieces of the command-line front end (scanner/cli/cmd_*.c). */
#ifndef OS_CLI_H
#define OS_CLI_H
#include <getopt.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>

#include "store.h"

extern volatile sig_atomic_t os_stop;   /* set by SIGINT/SIGTERM */
/* The command being run ("snmp"), for messages that point to its --help. */
extern const char *cli_command;

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
/* The same for commands that work on stored scans (report, diff, scans,
 * show, prune, reattribute, --resume): a database that does not exist is
 * an error, never created empty. */
struct store *cli_store_existing(const struct cli_common *c);
void cli_signals(void);
/* Parse a positive integer option; prints an error naming opt. */
int cli_int(const char *opt, const char *arg, long min, long max, long *out);
int cli_double(const char *opt, const char *arg, double min, double max, double *out);
/* Resolve --scan ID|NAME / --last / default (latest scan). */
int cli_pick_scan(struct store *st, const char *scan_arg, int last_complete, int64_t *id);

/* Which part of which scan a collecting command writes (README "Scans
 * made of parts"):
 *   --scan ID|NAME  join that scan (a NAME is created when new: separate
 *                   processes meet by it); default: a new scan
 *   --part NAME     the part written (default: the command's own)
 *   --site NAME, --operator NAME   recorded with the part; devices that
 *                   the scan's site map does not place take them
 *   --resume / --rerun   a part that was interrupted or failed: continue
 *                   it, or run it again from scratch */
struct cli_part {
	const char *scan, *part, *site, *operator_name;
	int rerun, resume;
};
#define CLI_PART_LONGOPTS                                    	{"scan", required_argument, NULL, 1010},             	{"part", required_argument, NULL, 1011},             	{"site", required_argument, NULL, 1012},             	{"operator", required_argument, NULL, 1013},         	{"rerun", no_argument, NULL, 1014}
#define CLI_PART_HELP                                                                      	"Scans made of parts (README.md, 'Scans made of parts'):\n"                        	"  --scan ID|NAME         write a part of that scan; a new NAME is created, and\n"   	"                         processes on other machines given the same NAME join it\n" 	"  --part NAME            the part to write (a scan declared with parts)\n"         	"  --site NAME, --operator NAME\n"                                                  	"                         recorded with the part: where it was collected\n"          	"  --rerun                run an interrupted or failed part again from scratch\n"
/* 1 if opt was one of CLI_PART_LONGOPTS (applied to p), 0 if not. */
int cli_part_opt(struct cli_part *p, int opt, const char *arg);
/* Declares the scan d (or joins p->scan) and begins the part this
 * process writes: p->part, else default_part (NULL: the scan's only
 * part). Prints errors; returns 0 or an exit status. */
int cli_begin(struct store *st, struct scan_decl *d, const struct cli_part *p, const char *default_part,
              int64_t *scan_id);
/* What a command's exit status is for the status scan_end() recorded,
 * saying on stderr (unless quiet) when the part completed and the scan
 * waits for others. */
int cli_scan_exit(struct store *st, int64_t scan, enum scan_status status);
/* Scans newer than scan id, of its command and plan, that did not
 * complete (running, interrupted, failed): --last passes over them and
 * must say so. Returns how many (u: the newest of them), -1 on error
 * (printed). */
struct cli_unfinished {
	size_t n;
	int64_t id;
	enum scan_status status;
	char note[256];
};
int cli_newer_unfinished(struct store *st, int64_t id, struct cli_unfinished *u);

/* Targets that answered but took none of the credentials are a warning
 * (cron mails it), naming where the reasons are. */
void cli_warn_refused(int64_t scan, uint64_t refused);

int cmd_snmp(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_declare(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_probe(int argc, char **argv);
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
int cmd_oss(int argc, char **argv);
#endif
