/* Shared command-line plumbing: common options, store and knowledge base
 * opening with one-line errors, signals. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kb.h"
#include "util.h"

volatile sig_atomic_t os_stop;
const char *cli_command = "COMMAND";

static void on_signal(int sig)
{
	/* First signal: stop cleanly (commit, mark interrupted). A second
	 * one means the user really wants out now. */
	if (os_stop) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	os_stop = 1;
}

void cli_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void cli_common_init(struct cli_common *c)
{
	memset(c, 0, sizeof *c);
	optind = 1;
	const char *env = getenv("ORIGINSCAN_DB");
	c->db = env && *env ? env : "originscan.db";
}

int cli_common_opt(struct cli_common *c, int opt, const char *arg)
{
	switch (opt) {
	case 1000:
		c->db = arg;
		c->db_given = 1;
		return 1;
	case 1001:
		if ((c->as_of = os_parse_date(arg)) < 0) {
			os_err("--as-of '%s': not a date (want YYYY-MM-DD)", arg);
			return -1;
		}
		return 1;
	case 1002:
		if (c->nkb_files == CLI_MAX_FILES) {
			os_err("--kb-file: at most %d files", CLI_MAX_FILES);
			return -1;
		}
		c->kb_files[c->nkb_files++] = arg;
		return 1;
	case 1003:
		if (c->noui_files == CLI_MAX_FILES) {
			os_err("--oui-file: at most %d files", CLI_MAX_FILES);
			return -1;
		}
		c->oui_files[c->noui_files++] = arg;
		return 1;
	case 'q':
		os_verbosity = 0;
		return 1;
	case 'v':
		os_verbosity++;
		return 1;
	}
	return 0;
}

/* The name of the option in token ("--name" of "--name=value"), never
 * the value: a value may be a secret typed in the wrong place. */
static void opt_name(const char *tok, char *out, size_t outlen)
{
	size_t n = strcspn(tok, "=");
	if (n > 40)
		n = 40;
	snprintf(out, outlen, "%.*s", (int)n, tok);
}

/* Whether getopt's complaint (bad: its optopt) is about the long option
 * tok: an unknown one (0) or one of ours (its value is bad). A short
 * option inside a cluster leaves optind behind, so tok may be older. */
static int is_long(const char *tok, const struct option *longopts, int bad)
{
	if (strncmp(tok, "--", 2))
		return 0;
	if (!bad)
		return 1;
	size_t n = strcspn(tok + 2, "=");
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == bad && !strncmp(o->name, tok + 2, n))
			return 1;
	return 0;
}

int cli_next_opt(struct cli_common *c, int argc, char **argv, const char *shortopts,
                 const struct option *longopts, void (*help)(FILE *))
{
	char all[64], name[48];
	int opt, li;
	/* ':' first: a missing value comes back as ':', not '?'. getopt's own
	 * messages are off: they print "--name=value" whole. */
	snprintf(all, sizeof all, ":%sqvh", shortopts);
	opterr = 0;
	while ((li = -1, opt = getopt_long(argc, argv, all, longopts, &li)) != -1) {
		/* The element just read is argv[optind - 1], or argv[optind - 2]
		 * when its value was the next element. */
		const char *tok = argv[optind - 1 - (optarg && optind >= 2 && optarg == argv[optind - 1])];
		if (li >= 0) {
			/* getopt_long takes any unambiguous prefix: --community would
			 * be --community-file, and its value (a community typed where
			 * a file name belongs) would be echoed as a file name. Only
			 * whole names are options. */
			size_t n = strlen(longopts[li].name);
			if (strncmp(tok, "--", 2) || strncmp(tok + 2, longopts[li].name, n) ||
			    (tok[2 + n] && tok[2 + n] != '=')) {
				opt_name(tok, name, sizeof name);
				os_err("unknown option '%s' (did you mean --%s? options are not abbreviated; see "
				       "originscan %s --help)",
				       name, longopts[li].name, argv[0]);
				return CLI_USAGE;
			}
		}
		int r = cli_common_opt(c, opt, optarg);
		if (r < 0)
			return CLI_USAGE;
		if (r > 0)
			continue;
		if (opt == 'h') {
			help(stdout);
			return CLI_HELP;
		}
		if (opt == '?' || opt == ':') {
			int islong = is_long(argv[optind - 1], longopts, optopt);
			if (islong)
				opt_name(argv[optind - 1], name, sizeof name);
			else
				snprintf(name, sizeof name, "-%c", optopt > 32 && optopt < 127 ? optopt : '?');
			if (opt == ':')
				os_err("option '%s' needs a value (see originscan %s --help)", name, argv[0]);
			else if (islong && optopt)
				os_err("option '%s' takes no value (see originscan %s --help)", name, argv[0]);
			else
				os_err("unknown option '%s' (see originscan %s --help)", name, argv[0]);
			return CLI_USAGE;
		}
		return opt;
	}
	return 0;
}

int cli_kb(const struct cli_common *c)
{
	char err[512];
	if (kb_init(err, sizeof err) < 0) {
		os_err("knowledge base: %s", err);
		return -1;
	}
	for (int i = 0; c && i < c->nkb_files; i++)
		if (kb_load_file(c->kb_files[i], err, sizeof err) < 0) {
			os_err("--kb-file: %s", err);
			return -1;
		}
	for (int i = 0; c && i < c->noui_files; i++)
		if (kb_load_registry(c->oui_files[i], err, sizeof err) < 0) {
			os_err("--oui-file: %s", err);
			return -1;
		}
	return 0;
}

struct store *cli_store(const struct cli_common *c)
{
	char err[512];
	struct store *st = store_open(c->db, err, sizeof err);
	if (!st)
		os_err("%s", err);
	return st;
}

struct store *cli_store_existing(const struct cli_common *c)
{
	char err[512];
	struct store *st = store_open_flags(c->db, STORE_READ, err, sizeof err);
	if (!st)
		os_err("%s", err);
	return st;
}

int cli_int(const char *opt, const char *arg, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || *end || !*arg || v < min || v > max) {
		os_err("%s '%s': want a whole number from %ld to %ld (see originscan %s --help)", opt, arg, min, max,
		       cli_command);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_double(const char *opt, const char *arg, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || *end || !*arg || v < min || v > max) {
		os_err("%s '%s': want a number from %g to %g (see originscan %s --help)", opt, arg, min, max,
		       cli_command);
		return -1;
	}
	*out = v;
	return 0;
}

/* A scan id: digits only. */
static int scan_number(const char *s, int64_t *id)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v < 1 || v > 0x7fffffffLL || *s < '0' || *s > '9')
		return 0;
	*id = v;
	return 1;
}

int cli_pick_scan(struct store *st, const char *scan_arg, int last_complete, int64_t *id)
{
	if (scan_arg) {
		if (scan_number(scan_arg, id))
			return 0;
		if (store_find_scan(st, scan_arg, id) < 0) {
			os_err("%s", store_errmsg(st));
			return -1;
		}
		if (!*id) {
			os_err("--scan '%s': no scan of that id or name in %s", scan_arg, store_path(st));
			return -1;
		}
		return 0;
	}
	if (store_latest_scan(st, last_complete, id) < 0) {
		os_err("%s", store_errmsg(st));
		return -1;
	}
	if (!*id) {
		os_err("%s holds no %sscan yet", store_path(st), last_complete ? "complete " : "");
		return -1;
	}
	return 0;
}

static int cli_first_part(void *ctx, const struct part_info *pi)
{
	snprintf(ctx, 256, "%s", pi->name);
	return 1;
}

int cli_part_opt(struct cli_part *p, int opt, const char *arg)
{
	switch (opt) {
	case 1010:
		p->scan = arg;
		return 1;
	case 1011:
		p->part = arg;
		return 1;
	case 1012:
		p->site = arg;
		return 1;
	case 1013:
		p->operator_name = arg;
		return 1;
	case 1014:
		p->rerun = 1;
		return 1;
	}
	return 0;
}

int cli_begin(struct store *st, struct scan_decl *d, const struct cli_part *p, const char *default_part,
              int64_t *scan_id)
{
	const char *part = p->part ? p->part : default_part;
	enum part_start how = p->rerun ? PART_RERUN : p->resume ? PART_RESUME : PART_NEW;
	struct part_prov prov = {.site = p->site, .operator_name = p->operator_name, .kb_version = d->kb_version,
	                         .request_json = d->request_json};
	if (d->prov)
		prov = *d->prov;
	int64_t id = 0, part_id;
	if (p->scan && scan_number(p->scan, &id)) {
		/* an existing scan, by id: the part must be one of its own */
		struct scan_info si;
		if (store_scan_info(st, id, &si) < 0) {
			os_err("--scan %s: %s", p->scan, store_errmsg(st));
			return OS_EXIT_FAIL;
		}
		if (!part && si.parts != 1) {
			os_err("--scan %s has %lld parts: say which with --part", p->scan, (long long)si.parts);
			scan_info_free(&si);
			return OS_EXIT_USAGE;
		}
		scan_info_free(&si);
		if (!part) {
			/* its only part */
			char name[256] = "";
			if (store_each_part(st, id, cli_first_part, name) < 0) {
				os_err("%s", store_errmsg(st));
				return OS_EXIT_FAIL;
			}
			if (store_begin_part(st, id, name, &prov, how, &part_id) < 0) {
				os_err("--scan %s: %s", p->scan, store_errmsg(st));
				return OS_EXIT_FAIL;
			}
		} else if (store_begin_part(st, id, part, &prov, how, &part_id) < 0) {
			os_err("--scan %s: %s", p->scan, store_errmsg(st));
			return OS_EXIT_FAIL;
		}
		*scan_id = id;
		return 0;
	}
	d->name = p->scan;
	d->prov = &prov;
	if (store_begin_scan(st, d, part, how, scan_id) < 0) {
		os_err("%s%s%s%s", p->scan ? "--scan " : "", p->scan ? p->scan : "", p->scan ? ": " : "",
		       store_errmsg(st));
		return OS_EXIT_FAIL;
	}
	return 0;
}

struct newer {
	const struct scan_info *base;
	struct cli_unfinished *u;
};

static int newer_cb(void *ctx, const struct scan_info *si)
{
	struct newer *n = ctx;
	const struct scan_info *b = n->base;
	if (si->id <= b->id)
		return 1;       /* newest first: the rest are older */
	/* of the same kind: the same scope (what --last compares), else,
	 * for a scan recorded without one, the same command and plan */
	if (si->status == SCAN_COMPLETE)
		return 0;
	if (si->scope && b->scope ? strcmp(si->scope, b->scope)
	                          : strcmp(si->command, b->command) || ((si->plan != NULL) != (b->plan != NULL)) ||
	                                    (si->plan && strcmp(si->plan, b->plan)))
		return 0;
	if (!n->u->n++) {
		n->u->id = si->id;
		n->u->status = si->status;
		snprintf(n->u->note, sizeof n->u->note, "%s", si->note ? si->note : "");
	}
	return 0;
}

int cli_scan_exit(struct store *st, int64_t scan, enum scan_status status)
{
	if (status == SCAN_RUNNING) {
		struct scan_info si;
		if (os_verbosity > 0 && store_scan_info(st, scan, &si) == 0) {
			fprintf(stderr, "originscan: part complete; scan %lld is %s: %lld of its %lld parts complete\n",
			        (long long)scan, si.status == SCAN_RUNNING ? "waiting for the others" : scan_status_name(si.status),
			        (long long)si.parts_complete, (long long)si.parts);
			scan_info_free(&si);
		}
		return OS_EXIT_OK;
	}
	return status == SCAN_COMPLETE ? OS_EXIT_OK : status == SCAN_INTERRUPTED ? OS_EXIT_INTERRUPTED : OS_EXIT_FAIL;
}

int cli_newer_unfinished(struct store *st, int64_t id, struct cli_unfinished *u)
{
	struct scan_info base;
	memset(u, 0, sizeof *u);
	if (store_scan_info(st, id, &base) < 0) {
		os_err("%s", store_errmsg(st));
		return -1;
	}
	struct newer n = {&base, u};
	int rc = store_each_scan(st, newer_cb, &n);
	scan_info_free(&base);
	if (rc < 0) {
		os_err("%s", store_errmsg(st));
		return -1;
	}
	return u->n;
}

void cli_warn_refused(int64_t scan, uint64_t refused)
{
	if (refused)
		os_warn("scan %lld: %llu target%s answered but accepted none of the credentials; the reasons per "
		        "credential are in 'originscan report --scan %lld' (or run with -v)",
		        (long long)scan, (unsigned long long)refused, refused > 1 ? "s" : "", (long long)scan);
}
