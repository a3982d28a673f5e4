/* originscan snmp: poll SNMP agents, store the evidence, attribute it;
 * resume an interrupted sweep (--resume).
 *
 * What was asked is recorded with the scan (targets, options, the names
 * of the credentials -- never a secret) so that --resume can rebuild the
 * same target set and visiting order; the resume point itself is written
 * by the sweep into the store as it goes (store_set_resume_point).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "probe.h"
#include "privdrop.h"
#include "snmp_collect.h"
#include "store.h"
#include "resume.h"
#include "targets.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan snmp [OPTIONS] TARGET... | -iL FILE\n"
	        "       originscan snmp --resume SCAN [OPTIONS]\n"
	        "\n"
	        "Polls SNMP v1, v2c and v3 agents and stores what they say as evidence in a\n"
	        "new scan, then attributes each device. Per target: an unauthenticated\n"
	        "SNMPv3 discovery (engine id, boots, time), then each credential in order\n"
	        "until one is accepted, then the system group and the inventory tables\n"
	        "(ENTITY-MIB, IF-MIB, LLDP-MIB neighbours, IP-MIB ARP/ND caches,\n"
	        "BRIDGE/Q-BRIDGE forwarding tables).\n"
	        "\n"
	        "TARGET: 192.0.2.1, 192.0.2.0/24, 192.0.2.1-192.0.2.50, 192.0.2.1-50,\n"
	        "        192.0.2.1:1161, [2001:db8::1]:1161, 2001:db8::/120, host name\n"
	        "  -iL FILE               read targets from FILE ('#' comments)\n"
	        "  --exclude LIST         leave out these addresses/blocks (comma-separated)\n"
	        "  --port N               agent port for every target (default 161)\n"
	        "\n"
	        "Credentials (secrets: never on the command line, never stored or logged):\n"
	        "  --credentials FILE     credentials tried in order (mode 0600; format in\n"
	        "                         README.md, 'SNMP credentials'); v1, v2c, v3 USM\n"
	        "  --community-file FILE  one community string (first line; mode 0600); a\n"
	        "                         credentials file is taken as well\n"
	        "  --snmp-version 1|2c    version for --community-file / $ORIGINSCAN_COMMUNITY\n"
	        "                         Without either file: $ORIGINSCAN_COMMUNITY, else\n"
	        "                         net-snmp's snmp.conf defaults, else 'public'.\n"
	        "\n"
	        "What to collect:\n"
	        "  --system-only          the system group (and engine id) only, no tables\n"
	        "  --no-discovery         no SNMPv3 engine discovery (v3 credentials then\n"
	        "                         cannot be tried)\n"
	        "  --crawl                poll the management addresses devices state for\n"
	        "                         their LLDP/CDP neighbours too, breadth-first\n"
	        "  --crawl-depth N        neighbours of neighbours ... to depth N (default 2;\n"
	        "                         implies --crawl)\n"
	        "  --scope LIST           crawled addresses are polled only inside these\n"
	        "                         blocks (CIDR, comma-separated; default: the\n"
	        "                         targets' /24s, /64s for IPv6); --exclude wins;\n"
	        "                         others are recorded as seen, not polled\n"
	        "  --probe                then probe the targets that gave no SNMP answer\n"
	        "                         for SSH/telnet/HTTP/HTTPS banners (originscan probe)\n"
	        "  --probe-ports SPEC     their ports (see originscan probe --help)\n"
	        "\n"
	        "Scale and politeness:\n"
	        "  --timeout MS           per attempt (default 2000)\n"
	        "  --retries N            (default 1)\n"
	        "  --concurrency N        targets in flight (default 200)\n"
	        "  --rate PPS             packets per second, all included, 0 = no cap\n"
	        "                         (default 500)\n"
	        "  --max-repetitions N    GETBULK values per answer (default 24)\n"
	        "  --shard I/N            visit only shard I of N (1 <= I <= N): part\n"
	        "                         shard-I-of-N of the scan --scan NAME, which every\n"
	        "                         shard (on any machine) is given with the same\n"
	        "                         targets and seed; the scan completes with the last\n"
	        "  --seed N               visiting-order key (default: derived from the\n"
	        "                         target set, so shards agree without one)\n"
	        "  --resume SCAN          continue interrupted scan SCAN where it stopped\n"
	        "                         (targets and options come from the scan; the\n"
	        "                         credentials and politeness options may be given;\n"
	        "                         --part NAME: which part of a scan of several)\n"
	        "  --allow-changed-files  with --resume: read the credentials file the scan\n"
	        "                         began with even if it changed since (by default a\n"
	        "                         changed or replaced file is refused)\n"
	        "  --no-progress          no progress line (none anyway when stderr is\n"
	        "                         not a terminal)\n"
	        "  --user NAME            run as root, become NAME (default nobody) once\n"
	        "                         credentials, targets and database are open and\n"
	        "                         before the first packet; capabilities are\n"
	        "                         dropped in any case\n"
	        "\n"
	        "\n"
	        CLI_PART_HELP
	        "\n"
	        "Targets are visited in a pseudo-random permutation of the whole set. A\n"
	        "target that does not answer is recorded as unreachable, one that answers\n"
	        "but accepts no credential as refused; neither is an error of the scan.\n"
	        "Ctrl-C or SIGTERM stops cleanly: what was collected is kept, the scan is\n"
	        "marked interrupted (exit 130) and can be resumed.\n");
}

/* What was asked: the sweep's common part (targets, order, shard) and
 * the SNMP collector's own settings. */
struct ask {
	struct sweep_ask sw;
	int version;                    /* of --community-file / the environment */
	const char *cred_file, *community_file;
	int inventory, discovery;
	int crawl_depth;                /* 0: no crawl */
	const char **scope;             /* --scope lists (none: the default) */
	int nscope;
	int probe;
	const char *probe_ports;
};

static int load_creds(struct snmp_creds *cs, const struct ask *a)
{
	char err[640];
	if ((a->cred_file && snmp_creds_load(cs, a->cred_file, a->version, "credentials-file", err, sizeof err) < 0) ||
	    (a->community_file &&
	     snmp_creds_load(cs, a->community_file, a->version, "community-file", err, sizeof err) < 0) ||
	    (!cs->n && snmp_creds_default(cs, a->version, err, sizeof err) < 0)) {
		os_err("%s", err);
		return OS_EXIT_FAIL;
	}
	return 0;
}

/* The request record: the sweep's common part, then which credentials
 * were tried, by name (the secrets stay out), and the settings. */
static char *request_json(const struct ask *a, const struct snmp_opts *o, const struct snmp_creds *cs,
                          const struct target_set *ts)
{
	json_t *req = sweep_request(&a->sw, ts), *cn = json_array();
	for (size_t i = 0; i < cs->n; i++)
		json_array_append_new(cn, json_string(cs->c[i].name));
	json_object_set_new(req, "credentials", cn);
	/* the files by absolute path and identity, never their contents
	 * (include/resume.h): a resume reads the same file, from anywhere */
	const char *files[2][2] = {{"credentials_file", a->cred_file}, {"community_file", a->community_file}};
	for (int i = 0; i < 2; i++)
		if (files[i][1]) {
			char *abs = os_abspath(files[i][1]), key[40];
			json_object_set_new(req, files[i][0], json_string(abs));
			json_t *id = file_identity(abs);
			snprintf(key, sizeof key, "%s_id", files[i][0]);
			if (id)
				json_object_set_new(req, key, id);
			free(abs);
		}
	json_object_set_new(req, "snmp_version", json_string(a->version == 1 ? "1" : "2c"));
	json_object_set_new(req, "inventory", json_boolean(a->inventory));
	json_object_set_new(req, "discovery", json_boolean(a->discovery));
	json_object_set_new(req, "timeout_ms", json_integer(o->timeout_ms));
	json_object_set_new(req, "retries", json_integer(o->retries));
	json_object_set_new(req, "concurrency", json_integer(o->concurrency));
	json_object_set_new(req, "rate", json_real(o->rate));
	json_object_set_new(req, "max_repetitions", json_integer(o->max_repetitions));
	if (a->crawl_depth) {
		json_t *sc = json_array();
		json_object_set_new(req, "crawl_depth", json_integer(a->crawl_depth));
		for (int i = 0; i < a->nscope; i++)
			json_array_append_new(sc, json_string(a->scope[i]));
		json_object_set_new(req, "scope", sc);
	}
	if (a->probe) {
		json_object_set_new(req, "probe", json_true());
		if (a->probe_ports)
			json_object_set_new(req, "probe_ports", json_string(a->probe_ports));
	}
	char *s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	return s;
}

/* --resume: the SNMP settings back out of the request record; the
 * credentials files only when none is given now, and only if they are
 * still the files the scan began with (or allow_changed). Returns 0 or
 * an exit status, the error printed. */
static int ask_from_resume(struct ask *a, struct snmp_opts *o, const struct resume *r, const int given[5],
                           int allow_changed)
{
	const char *v;
	int rc = 0;
	if (!a->cred_file && !a->community_file) {
		a->cred_file = resume_file(r, "credentials_file", "credentials file", allow_changed, &rc);
		if (!rc)
			a->community_file = resume_file(r, "community_file", "community file", allow_changed, &rc);
		if (rc)
			return rc;
	}
	if ((v = resume_str(r, "snmp_version")))
		a->version = !strcmp(v, "1") ? 1 : 2;
	a->inventory = resume_bool(r, "inventory") == 1;
	a->discovery = resume_bool(r, "discovery") == 1;
	/* the crawl's depth and scope */
	json_t *jv = json_object_get(r->request, "crawl_depth"), *sv;
	size_t i;
	if (jv && json_is_integer(jv))
		a->crawl_depth = (int)json_integer_value(jv);
	a->scope = xcalloc(json_array_size(json_object_get(r->request, "scope")) + 1, sizeof *a->scope);
	json_array_foreach(json_object_get(r->request, "scope"), i, sv) if (json_is_string(sv))
		a->scope[a->nscope++] = json_string_value(sv);
	a->probe = resume_bool(r, "probe") == 1;
	a->probe_ports = resume_str(r, "probe_ports");
	/* politeness recorded with the scan, unless given now */
	resume_int(r, "timeout_ms", given[0], &o->timeout_ms);
	resume_int(r, "retries", given[1], &o->retries);
	resume_int(r, "concurrency", given[2], &o->concurrency);
	resume_double(r, "rate", given[3], &o->rate);
	resume_int(r, "max_repetitions", given[4], &o->max_repetitions);
	return 0;
}

/* Callbacks of the sweep into the store (collectors never touch it). */
struct ctx {
	struct store *st;
	int64_t scan;
	double last_commit;
};

static int cb_done(void *p, const struct target *t)
{
	struct ctx *c = p;
	return store_target_done(c->st, c->scan, t->name);
}

static int cb_checkpoint(void *p, uint64_t done_below, uint64_t granted)
{
	struct ctx *c = p;
	return resume_checkpoint(c->st, c->scan, done_below, granted, &c->last_commit);
}

/* --probe: the scan's targets that gave no SNMP answer (unreachable),
 * probed for their services into the same scan. */
struct silent {
	struct target_set *ts;
	int failed;
};

static int add_silent(void *p, const struct target_row *t)
{
	struct silent *s = p;
	char err[256];
	if (!strcmp(t->state, "unreachable") && targets_add(s->ts, t->address, err, sizeof err) < 0)
		s->failed = 1;
	return 0;
}

static int probe_silent(struct store *st, int64_t scan, const struct probe_opts *po, struct probe_stats *pst,
                        char *err, size_t errlen)
{
	struct target_set silent;
	struct silent s = {&silent, 0};
	int rc = 0;
	targets_init(&silent, 0);
	if (store_commit(st) < 0 || store_each_target(st, scan, add_silent, &s) < 0 || s.failed) {
		os_seterr(err, errlen, "cannot list the targets to probe: %s", store_errmsg(st));
		rc = -1;
	} else if (silent.n)
		rc = probe_run(&silent, po, store_sink(st, scan), &os_stop, pst, err, errlen);
	targets_free(&silent);
	return rc;
}

int cmd_snmp(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"exclude", required_argument, NULL, 'x'},
		{"port", required_argument, NULL, 'p'},
		{"snmp-version", required_argument, NULL, 'V'},
		{"community-file", required_argument, NULL, 'c'},
		{"credentials", required_argument, NULL, 'C'},
		{"timeout", required_argument, NULL, 't'},
		{"retries", required_argument, NULL, 'r'},
		{"concurrency", required_argument, NULL, 'n'},
		{"rate", required_argument, NULL, 'R'},
		{"max-repetitions", required_argument, NULL, 'm'},
		{"system-only", no_argument, NULL, 'S'},
		{"no-discovery", no_argument, NULL, 'D'},
		{"shard", required_argument, NULL, 's'},
		{"seed", required_argument, NULL, 'k'},
		{"resume", required_argument, NULL, 'z'},
		{"allow-changed-files", no_argument, NULL, 'A'},
		{"no-progress", no_argument, NULL, 'P'},
		{"iL", required_argument, NULL, 'L'},
		{"crawl", no_argument, NULL, 'W'},
		{"crawl-depth", required_argument, NULL, 'd'},
		{"scope", required_argument, NULL, 'o'},
		{"probe", no_argument, NULL, 'B'},
		{"probe-ports", required_argument, NULL, 'b'},
		CLI_PART_LONGOPTS,
		{"user", required_argument, NULL, 'U'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	struct cli_part pt = {0};
	struct snmp_opts o;
	struct ask a;
	int progress = isatty(2), scope_given = 0, polite_given[5] = {0}, allow_changed = 0;
	long v, resume = 0;
	char err[640];
	const char *user = "nobody";

	cli_common_init(&c);
	snmp_opts_defaults(&o);
	memset(&a, 0, sizeof a);
	a.sw.port = 161;
	a.version = 2;
	a.inventory = 1;
	a.discovery = 1;
	a.sw.nshards = 1;
	/* nmap spells it -iL: accept that single-dash long form */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-iL"))
			argv[i] = "--iL";
	int opt;
	while ((opt = cli_next_opt(&c, argc, argv, "", longopts, help)) > 0) {
		if (cli_part_opt(&pt, opt, optarg))
			continue;
		switch (opt) {
		case 'x':
			a.sw.excludes = xrealloc(a.sw.excludes, (size_t)(a.sw.nexcl + 1) * sizeof *a.sw.excludes);
			a.sw.excludes[a.sw.nexcl++] = optarg;
			scope_given = 1;
			break;
		case 'p':
			if (cli_int("--port", optarg, 1, 65535, &a.sw.port) < 0)
				goto usage;
			scope_given = 1;
			break;
		case 'V':
			if (!strcmp(optarg, "1"))
				a.version = 1;
			else if (!strcmp(optarg, "2c") || !strcmp(optarg, "2"))
				a.version = 2;
			else {
				os_err("--snmp-version '%s': want 1 or 2c (SNMPv3: see --credentials)", optarg);
				goto usage;
			}
			break;
		case 'c':
			a.community_file = optarg;
			break;
		case 'C':
			a.cred_file = optarg;
			break;
		case 't':
			if (cli_int("--timeout", optarg, 10, 600000, &v) < 0)
				goto usage;
			o.timeout_ms = (int)v;
			polite_given[0] = 1;
			break;
		case 'r':
			if (cli_int("--retries", optarg, 0, 20, &v) < 0)
				goto usage;
			o.retries = (int)v;
			polite_given[1] = 1;
			break;
		case 'n':
			if (cli_int("--concurrency", optarg, 1, 65536, &v) < 0)
				goto usage;
			o.concurrency = (int)v;
			polite_given[2] = 1;
			break;
		case 'R':
			if (cli_double("--rate", optarg, 0, 1e7, &o.rate) < 0)
				goto usage;
			polite_given[3] = 1;
			break;
		case 'm':
			if (cli_int("--max-repetitions", optarg, 1, 1000, &v) < 0)
				goto usage;
			o.max_repetitions = (int)v;
			polite_given[4] = 1;
			break;
		case 'S':
			a.inventory = 0;
			scope_given = 1;
			break;
		case 'D':
			a.discovery = 0;
			scope_given = 1;
			break;
		case 's': {
			unsigned long long si, sn;
			char tail;
			if (sscanf(optarg, "%llu/%llu%c", &si, &sn, &tail) != 2 || si < 1 || sn < 1 || si > sn ||
			    sn > (1u << 24)) {
				os_err("--shard '%s': want I/N with 1 <= I <= N, e.g. 2/4 (see originscan snmp --help)", optarg);
				goto usage;
			}
			a.sw.shard = si - 1;
			a.sw.nshards = sn;
			scope_given = 1;
			break;
		}
		case 'k': {
			char *end;
			a.sw.seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg) {
				os_err("--seed '%s': want a number (see originscan snmp --help)", optarg);
				goto usage;
			}
			a.sw.seed_set = 1;
			scope_given = 1;
			break;
		}
		case 'z':
			if (cli_int("--resume", optarg, 1, 0x7fffffffL, &resume) < 0)
				goto usage;
			break;
		case 'A':
			allow_changed = 1;
			break;
		case 'P':
			progress = 0;
			break;
		case 'L':
			a.sw.in_list = optarg;
			scope_given = 1;
			break;
		case 'W':
			if (!a.crawl_depth)
				a.crawl_depth = 2;
			scope_given = 1;
			break;
		case 'd':
			if (cli_int("--crawl-depth", optarg, 1, 1000000, &v) < 0)
				goto usage;
			a.crawl_depth = (int)v;
			scope_given = 1;
			break;
		case 'o':
			a.scope = xrealloc(a.scope, (size_t)(a.nscope + 1) * sizeof *a.scope);
			a.scope[a.nscope++] = optarg;
			scope_given = 1;
			break;
		case 'B':
			a.probe = 1;
			scope_given = 1;
			break;
		case 'b':
			a.probe_ports = optarg;
			a.probe = 1;
			scope_given = 1;
			break;
		case 'U':
			user = optarg;
			break;
		}
	}
	if (opt == CLI_HELP) {
		free(a.sw.excludes);
		free(a.scope);
		return OS_EXIT_OK;
	}
	if (opt < 0) {
		free(a.sw.excludes);
		free(a.scope);
		return OS_EXIT_USAGE;
	}
	if (a.nscope && !a.crawl_depth) {
		os_err("--scope: only a crawl (--crawl) has a scope");
		goto usage;
	}
	o.progress = progress && os_verbosity > 0;
	if (resume && (scope_given || optind < argc || pt.scan || pt.rerun)) {
		os_err("--resume %ld: the targets and what to collect come from the scan; give only credentials, "
		       "politeness options and --part (see originscan snmp --help)",
		       resume);
		goto usage;
	}
	if (allow_changed && !resume) {
		os_err("--allow-changed-files goes with --resume SCAN (see originscan snmp --help)");
		goto usage;
	}
	if (!resume && a.sw.nshards > 1 && !pt.scan) {
		/* shards of one sweep are parts of one scan: they meet by name */
		os_err("--shard %llu/%llu: give every shard of the sweep the same --scan NAME (for instance --scan "
		       "sweep-$(date +%%F)), so that they make one scan",
		       (unsigned long long)a.sw.shard + 1, (unsigned long long)a.sw.nshards);
		goto usage;
	}
	if (!resume && a.sw.nshards > 1 && pt.part) {
		os_err("--part: a shard's part is shard-I-of-N");
		goto usage;
	}
	a.sw.targets = (const char **)argv + optind;
	a.sw.ntargets = argc - optind;

	struct target_set ts;
	struct snmp_creds creds = {0};
	struct store *st = NULL;
	struct resume rs = {0};
	struct crawl_scope *scope = NULL;
	size_t nscope = 0;
	struct crawl_known *known = NULL;
	json_t *known_strings = NULL;
	struct probe_opts po;
	char *req_s = NULL;
	int64_t scan = 0;
	int rc = OS_EXIT_FAIL;
	targets_init(&ts, 161);

	if (cli_kb(&c) < 0 || !(st = resume ? cli_store_existing(&c) : cli_store(&c)))
		goto out;
	if (resume) {
		scan = resume;
		free(a.scope);
		a.scope = NULL;
		if ((rc = resume_read(st, scan, pt.part, "snmp", &a.sw, &ts, &rs)) != 0)
			goto out;
		if ((rc = ask_from_resume(&a, &o, &rs, polite_given, allow_changed)) != 0)
			goto out;
	} else if ((rc = sweep_targets(&ts, &a.sw)) != 0)
		goto out;
	rc = OS_EXIT_FAIL;
	for (int i = 0; i < a.nscope; i++)
		if (crawl_scope_parse(&scope, &nscope, a.scope[i], err, sizeof err) < 0) {
			os_err("%s", err);
			rc = OS_EXIT_USAGE;
			goto out;
		}
	if (a.crawl_depth && !a.nscope)
		crawl_scope_default(&scope, &nscope, &ts);
	probe_opts_defaults(&po);
	if (a.probe_ports && probe_ports_parse(&po, a.probe_ports, err, sizeof err) < 0) {
		os_err("%s", err);
		rc = OS_EXIT_USAGE;
		goto out;
	}
	if (!a.sw.seed_set)
		a.sw.seed = targets_digest(&ts);   /* shards of the same sweep agree */
	if ((rc = load_creds(&creds, &a)) != 0)
		goto out;
	rc = OS_EXIT_FAIL;

	o.creds = &creds;
	o.inventory = a.inventory;
	o.discovery = a.discovery;
	o.seed = a.sw.seed;
	o.shard = a.sw.shard;
	o.nshards = a.sw.nshards;
	o.crawl_depth = a.crawl_depth;
	o.scope = scope;
	o.nscope = nscope;
	if (resume) {
		if ((rc = resume_reopen(st, &rs, &ts, &a.sw)) != 0)
			goto out;
		if (a.crawl_depth &&
		    (rc = resume_crawl(st, &rs, (unsigned)a.sw.port, &known, &o.ncrawl_known, &known_strings)) != 0)
			goto out;
		o.crawl_known = known;
		rc = OS_EXIT_FAIL;
		o.start = rs.start;
		o.resume_granted = rs.granted;
		if (os_verbosity > 0)
			fprintf(stderr, "originscan: resuming scan %lld at position %llu\n", (long long)scan,
			        (unsigned long long)rs.start);
	} else {
		/* what it covers: the whole target set and what is collected,
		 * so that a diff compares it only with a sweep of the same */
		char part[80];
		struct buf settings = {0};
		buf_printf(&settings, "port=%ld inventory=%d", a.sw.port, a.inventory);
		if (a.crawl_depth) {
			buf_printf(&settings, " crawl=%d", a.crawl_depth);
			for (int i = 0; i < a.nscope; i++)
				buf_printf(&settings, "%s%s", i ? "," : " within=", a.scope[i]);
		}
		if (a.probe)
			buf_printf(&settings, " probe=%s", a.probe_ports ? a.probe_ports : "default");
		char *covers = sweep_scope("snmp", &a.sw, &ts, settings.p);
		buf_free(&settings);
		const char **parts = xcalloc(a.sw.nshards, sizeof *parts);
		char (*names)[80] = xcalloc(a.sw.nshards, sizeof *names);
		for (uint64_t i = 0; a.sw.nshards > 1 && i < a.sw.nshards; i++) {
			sweep_part_name(&a.sw, i, names[i], sizeof names[i]);
			parts[i] = names[i];
		}
		sweep_part_name(&a.sw, a.sw.shard, part, sizeof part);
		req_s = request_json(&a, &o, &creds, &ts);
		struct scan_decl d = {.command = "snmp", .request_json = req_s, .kb_version = kb_version(),
		                      .scope = covers, .parts = a.sw.nshards > 1 ? parts : NULL,
		                      .nparts = a.sw.nshards > 1 ? a.sw.nshards : 0};
		rc = cli_begin(st, &d, &pt, a.sw.nshards > 1 ? part : pt.part, &scan);
		free(covers);
		free(parts);
		free(names);
		if (rc)
			goto out;
		rc = OS_EXIT_FAIL;
	}
	struct ctx cbx = {st, scan, os_mono()};
	o.done = cb_done;
	o.checkpoint = cb_checkpoint;
	o.cb_ctx = &cbx;

	/* net-snmp parses what agents answer: nothing left to lose by then */
	if (os_drop_privileges(user, err, sizeof err) < 0) {
		os_err("%s", err);
		store_finish_scan(st, scan, SCAN_FAILED, err);
		goto out;
	}
	cli_signals();
	struct snmp_stats stats;
	int sw = snmp_sweep(&ts, &o, store_sink(st, scan), &os_stop, &stats, err, sizeof err);
	snmp_creds_free(&creds);
	struct probe_stats pst = {0};
	if (sw == 0 && a.probe) {
		/* the targets that gave no SNMP answer, probed for banners (the
		 * discovery was the sweep's; their outcomes stay the sweep's) */
		po.snmp = 0;
		po.outcomes = 0;
		po.progress = o.progress;
		po.seed = a.sw.seed;
		sw = probe_silent(st, scan, &po, &pst, err, sizeof err);
	}
	enum scan_status status = sw == 0 ? SCAN_COMPLETE : sw > 0 ? SCAN_INTERRUPTED : SCAN_FAILED;
	char note[700], again[200], part[80];
	note[0] = 0;
	sweep_part_name(&a.sw, a.sw.shard, part, sizeof part);
	snprintf(again, sizeof again, "originscan snmp --resume %lld%s%s", (long long)scan,
	         a.sw.nshards > 1 ? " --part " : "", a.sw.nshards > 1 ? part : "");
	if (sw > 0)
		snprintf(note, sizeof note, "stopped by a signal; continue with: %s", again);
	else if (sw < 0) {
		snprintf(note, sizeof note, "%s", err);
		os_err("scan %lld: %s", (long long)scan, err);
	}
	size_t ndev = 0;
	if (scan_end(st, scan, c.as_of, &status, note[0] ? note : NULL, &ndev) < 0) {
		rc = OS_EXIT_FAIL;
		goto out;
	}
	if (os_verbosity > 0) {
		fprintf(stderr,
		        "originscan: scan %lld %s%s: %llu targets, %llu answered, %llu unreachable, %llu errors, "
		        "%llu refused; %llu engine ids, %llu walk problems; %zu devices in %.1f s\n",
		        (long long)scan, status == SCAN_RUNNING ? "part " : "",
		        status == SCAN_RUNNING ? "complete" : scan_status_name(status),
		        (unsigned long long)(stats.targets - stats.excluded - stats.skipped),
		        (unsigned long long)stats.answered, (unsigned long long)stats.unreachable,
		        (unsigned long long)stats.errors, (unsigned long long)stats.refused,
		        (unsigned long long)stats.engines, (unsigned long long)stats.problems, ndev, stats.seconds);
		if (a.crawl_depth)
			fprintf(stderr, "originscan: crawl to depth %d: %llu neighbours polled, %llu recorded, not polled\n",
			        a.crawl_depth, (unsigned long long)stats.crawled, (unsigned long long)stats.crawl_recorded);
		if (a.probe)
			fprintf(stderr, "originscan: probe of the silent targets: %llu connections, %llu open, %llu services "
			        "spoke\n", (unsigned long long)pst.connections, (unsigned long long)pst.open,
			        (unsigned long long)pst.spoke);
		if (status == SCAN_INTERRUPTED)
			fprintf(stderr, "originscan: continue with: %s\n", again);
	}
	cli_warn_refused(scan, stats.refused);
	rc = cli_scan_exit(st, scan, status);
out:
	snmp_creds_free(&creds);
	free(req_s);
	free(scope);
	free(known);
	json_decref(known_strings);
	free(a.scope);
	if (!rs.owns_ask)
		free(a.sw.excludes);
	resume_free(&rs, &a.sw);
	targets_free(&ts);
	store_close(st);
	return rc;
usage:
	/* the line that says what was wrong is printed; not the whole help */
	free(a.sw.excludes);
	free(a.scope);
	return OS_EXIT_USAGE;
}
