/* originscan scan -f CONFIG: one scan, several collectors, as a
 * configuration file says (scanner/plan/scanconf.c; README "Scheduled scans").
 *
 * Order: every [snmp] stanza, then [neigh] (the kernel's neighbour tables,
 * just filled by the sweep's own traffic to on-link targets), then
 * [capture], then [probe] (last: as root it drops privileges for good,
 * and a capture must open its interfaces before that). Each collector is
 * a part of the scan, begun, written and finished on its own, so that
 * another process (another machine, or a later run with --scan and
 * --rerun) can write the parts this one did not; the scan is marked
 * complete only when every part is, and attributed by whoever completes
 * the last. The first collector that fails stops the run (its part and the
 * scan failed, naming it), a signal stops it cleanly (interrupted). An
 * exclusive lock (flock on DATABASE.lock, the plan's advisory lock on
 * PostgreSQL, or the config's lock =) keeps two overlapping cron runs from
 * both writing: the second exits at once with status 75.
 * The lock is released by the kernel when the process ends, however it
 * ends, so a crashed run never blocks the next one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrib.h"
#include "capture.h"
#include "cli.h"
#include "kb.h"
#include "probe.h"
#include "scanconf.h"
#include "snmp_collect.h"
#include "store.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan scan -f CONFIG [--check] [--no-progress]\n"
	        "       originscan scan -f CONFIG --scan ID|NAME [--part COLLECTOR] [--rerun]\n"
	        "\n"
	        "Runs one scan with the collectors CONFIG names ([snmp ...], [neigh ...],\n"
	        "[capture ...], [probe ...]), with its site map ([site ...]: subnets -> site,\n"
	        "domain, operator), stores it as one scan and attributes it. Each collector\n"
	        "is a part of the scan (snmp:ID, neigh:ID, capture:ID, probe:ID); the scan\n"
	        "is complete only when every part is. A lock (DATABASE.lock, on PostgreSQL\n"
	        "the plan's lock on the server, or lock = in the [scan NAME] stanza) lets\n"
	        "one run write at a time: a second run exits with status 75 at once. The\n"
	        "format: README.md, examples/originscan.conf.\n"
	        "  -f, --config CONFIG   the scan configuration\n"
	        "  --check               read CONFIG, say what it would run, run nothing\n"
	        "  --no-progress         no progress line (none anyway when stderr is not a\n"
	        "                        terminal)\n"
	        "  --scan ID|NAME        continue that scan: its parts not yet run (a new\n"
	        "                        NAME is created with every part of CONFIG; other\n"
	        "                        machines given the same NAME write the rest)\n"
	        "  --part COLLECTOR      only that collector's part (snmp:ID ...)\n"
	        "  --rerun               parts that were interrupted or failed run again\n"
	        "  --site NAME, --operator NAME\n"
	        "                        recorded with the parts written\n"
	        "Exit status: 0 complete, 2 failed or bad configuration, 75 locked,\n"
	        "130 interrupted.\n");
}

/* The credentials are secrets: a credentials or community file only its
 * owner can read (snmp_creds_load), else the environment, snmp.conf,
 * "public"; never on the command line or stored. */
static int creds_for(const struct scanconf_snmp *s, struct snmp_creds *cs, char *err, size_t errlen)
{
	char e2[600];
	if (!s->credentials)
		return snmp_creds_default(cs, s->version, err, errlen);
	if (snmp_creds_load(cs, s->credentials, s->version, "credentials-file", e2, sizeof e2) < 0) {
		os_seterr(err, errlen, "[snmp %s] %s", s->id, e2);
		return -1;
	}
	return 0;
}

/* The lock: 0 held, 1 another run holds it (err says who), -1 error. */
static int take_lock(const char *path, const struct scanconf *sc, int *fd_out, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		os_seterr(err, errlen, "lock %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		char who[200] = "";
		ssize_t n = read(fd, who, sizeof who - 1);
		who[n > 0 ? n : 0] = 0;
		char *nl = strchr(who, '\n');
		if (nl)
			*nl = 0;
		close(fd);
		if (e == EWOULDBLOCK) {
			os_seterr(err, errlen, "another scan holds the lock %s (%s); not starting this one", path,
			          *who ? who : "holder unknown");
			return 1;
		}
		os_seterr(err, errlen, "lock %s: %s", path, strerror(e));
		return -1;
	}
	char t[32], line[600];
	os_iso_time(os_now_us(), t, sizeof t);
	int n = snprintf(line, sizeof line, "pid %ld, plan %s, since %s\n", (long)getpid(), sc->name, t);
	if (ftruncate(fd, 0) == 0 && n > 0)
		(void)!write(fd, line, (size_t)n);
	*fd_out = fd;
	return 0;
}

struct run {
	struct snmp_creds *creds;       /* per [snmp] stanza, read before the scan begins */
	struct store *st;
	int64_t scan;
	int progress;
	enum scan_status status;
	char note[600];
	uint64_t targets, answered, unreachable, rows;
};

static int run_snmp(struct run *R, size_t i, const struct scanconf_snmp *s)
{
	struct snmp_opts o;
	struct snmp_stats stats;
	char err[512];
	snmp_opts_defaults(&o);
	if (s->timeout_ms >= 0)
		o.timeout_ms = (int)s->timeout_ms;
	if (s->retries >= 0)
		o.retries = (int)s->retries;
	if (s->concurrency > 0)
		o.concurrency = (int)s->concurrency;
	if (s->rate >= 0)
		o.rate = s->rate;
	o.progress = R->progress;
	o.creds = &R->creds[i];
	/* crawl = N: inside scope = ..., else the targets' blocks (the scopes
	 * were checked before the scan began) */
	struct crawl_scope *scope = NULL;
	size_t nscope = 0;
	o.crawl_depth = (int)s->crawl_depth;
	for (size_t k = 0; k < s->nscope; k++)
		crawl_scope_parse(&scope, &nscope, s->scope[k], err, sizeof err);
	if (s->crawl_depth && !s->nscope)
		crawl_scope_default(&scope, &nscope, &s->ts);
	o.scope = scope;
	o.nscope = nscope;
	int rc = snmp_sweep(&s->ts, &o, store_sink(R->st, R->scan), &os_stop, &stats, err, sizeof err);
	free(scope);
	R->targets += stats.targets - stats.excluded;
	R->answered += stats.answered;
	R->unreachable += stats.unreachable;
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector snmp %s: %s", s->id, err);
	return rc;
}

/* The options of a [probe] stanza; -1 with err when its ports are bad. */
static int probe_opts_of(const struct scanconf_probe *s, struct probe_opts *o, char *err, size_t errlen)
{
	char e2[300];
	probe_opts_defaults(o);
	if (s->ports && probe_ports_parse(o, s->ports, e2, sizeof e2) < 0) {
		os_seterr(err, errlen, "[probe %s] %s", s->id, e2);
		return -1;
	}
	o->snmp = s->snmp;
	o->snmp_port = (uint16_t)s->snmp_port;
	if (s->timeout_ms > 0)
		o->read_timeout_ms = (int)s->timeout_ms;
	if (s->connect_timeout_ms > 0)
		o->connect_timeout_ms = (int)s->connect_timeout_ms;
	if (s->concurrency > 0)
		o->concurrency = (int)s->concurrency;
	if (s->rate >= 0)
		o->rate = s->rate;
	if (s->user)
		o->user = s->user;
	o->seed = targets_digest(&s->ts);
	return 0;
}

static int run_probe(struct run *R, const struct scanconf_probe *s)
{
	char err[512];
	struct probe_opts o;
	struct probe_stats ps;
	if (probe_opts_of(s, &o, err, sizeof err) < 0) {
		snprintf(R->note, sizeof R->note, "collector probe %s: %s", s->id, err);
		return -1;
	}
	o.progress = R->progress;
	int rc = probe_run(&s->ts, &o, store_sink(R->st, R->scan), &os_stop, &ps, err, sizeof err);
	R->targets += ps.targets - ps.excluded;
	R->answered += ps.answered;
	R->unreachable += ps.targets - ps.excluded - ps.answered;
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector probe %s: %s", s->id, err);
	return rc;
}

static int run_neigh(struct run *R, const struct scanconf_neigh *s)
{
	char err[512];
	struct neigh_opts o = {s->netns, s->watch_s};
	struct neigh_stats ns;
	memset(&ns, 0, sizeof ns);
	int rc = neigh_collect(&o, store_sink(R->st, R->scan), &os_stop, &ns, err, sizeof err);
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector neigh %s: %s", s->id, err);
	return rc;
}

static int run_capture(struct run *R, const struct scanconf_capture *s)
{
	char err[512];
	struct capture_opts o;
	struct capture_stats cs;
	memset(&o, 0, sizeof o);
	o.ifaces = (const char **)s->ifaces;
	o.nifaces = s->nifaces;
	o.files = (const char **)s->files;
	o.nfiles = s->nfiles;
	o.filter = s->filter;
	o.duration_s = s->duration_s;
	o.snaplen = (int)s->snaplen;
	o.user = s->user;
	o.progress = R->progress;
	int rc = capture_run(&o, store_sink(R->st, R->scan), &os_stop, &cs, err, sizeof err);
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector capture %s: %s", s->id, err);
	return rc;
}

/* The parts of a configuration: one per collector stanza, in the order
 * they run. */
struct plan_part {
	char name[160];
	int kind;                       /* 0 snmp, 1 neigh, 2 capture, 3 probe */
	size_t i;
};

static size_t plan_parts(const struct scanconf *sc, struct plan_part **out)
{
	size_t n = sc->nsnmp + sc->nneigh + sc->ncapture + sc->nprobe, k = 0;
	struct plan_part *p = xcalloc(n ? n : 1, sizeof *p);
	for (size_t i = 0; i < sc->nsnmp; i++, k++) {
		snprintf(p[k].name, sizeof p[k].name, "snmp:%s", sc->snmp[i].id);
		p[k].kind = 0;
		p[k].i = i;
	}
	for (size_t i = 0; i < sc->nneigh; i++, k++) {
		snprintf(p[k].name, sizeof p[k].name, "neigh:%s", sc->neigh[i].id);
		p[k].kind = 1;
		p[k].i = i;
	}
	for (size_t i = 0; i < sc->ncapture; i++, k++) {
		snprintf(p[k].name, sizeof p[k].name, "capture:%s", sc->capture[i].id);
		p[k].kind = 2;
		p[k].i = i;
	}
	for (size_t i = 0; i < sc->nprobe; i++, k++) {
		snprintf(p[k].name, sizeof p[k].name, "probe:%s", sc->probe[i].id);
		p[k].kind = 3;
		p[k].i = i;
	}
	*out = p;
	return n;
}

/* The state of each part of an existing scan, by name. */
struct part_states {
	const struct plan_part *pp;
	size_t n;
	char *state;                    /* 'p' pending, 'c' complete, 'r' running, 'x' interrupted/failed */
};

static int part_state(void *ctx, const struct part_info *pi)
{
	struct part_states *ps = ctx;
	for (size_t i = 0; i < ps->n; i++)
		if (!strcmp(ps->pp[i].name, pi->name))
			ps->state[i] = pi->pending ? 'p' : pi->status == SCAN_COMPLETE ? 'c'
			             : pi->status == SCAN_RUNNING ? 'r' : 'x';
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'f'},
		{"no-progress", no_argument, NULL, 'P'},
		{"check", no_argument, NULL, 'C'},
		CLI_PART_LONGOPTS,
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	struct cli_part pt = {0};
	const char *config = NULL;
	int opt, progress = isatty(2), db_given = 0, check = 0;
	char err[1024];

	cli_common_init(&c);
	const char *env_db = getenv("ORIGINSCAN_DB");
	while ((opt = cli_next_opt(&c, argc, argv, "f:", longopts, help)) > 0) {
		if (cli_part_opt(&pt, opt, optarg))
			continue;
		switch (opt) {
		case 'f':
			config = optarg;
			break;
		case 'P':
			progress = 0;
			break;
		case 'C':
			check = 1;
			break;
		}
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	db_given = c.db_given;
	if (!config || optind < argc) {
		os_err("scan: want -f CONFIG and nothing else (see originscan scan --help)");
		return OS_EXIT_USAGE;
	}
	if (pt.rerun && !pt.scan) {
		os_err("--rerun: say which scan with --scan ID|NAME");
		return OS_EXIT_USAGE;
	}
	struct scanconf sc;
	if (scanconf_load(config, &sc, err, sizeof err) < 0) {
		os_err("%s", err);
		return OS_EXIT_FAIL;
	}
	struct plan_part *pp;
	size_t npp = plan_parts(&sc, &pp);
	/* --db, then $ORIGINSCAN_DB, then the configuration, then the default */
	if (!db_given && !(env_db && *env_db) && sc.database)
		c.db = sc.database;
	int rc = OS_EXIT_FAIL;
	size_t only = npp;
	if (pt.part) {
		for (only = 0; only < npp && strcmp(pp[only].name, pt.part); only++)
			;
		if (only == npp) {
			struct buf names = {0};
			for (size_t i = 0; i < npp; i++)
				buf_printf(&names, "%s%s", i ? ", " : "", pp[i].name);
			os_err("--part %s: %s has no such collector (its parts: %s)", pt.part, config,
			       names.p ? names.p : "none");
			buf_free(&names);
			free(pp);
			scanconf_free(&sc);
			return OS_EXIT_USAGE;
		}
	}
	if (check) {
		uint64_t n = 0;
		for (size_t i = 0; i < sc.nsnmp; i++)
			n += sc.snmp[i].ts.total;
		printf("%s: plan %s, database %s; %zu snmp (%llu addresses before exclusions), %zu neigh, %zu capture, "
		       "%zu probe collectors; %zu sites\n",
		       config, sc.name, c.db, sc.nsnmp, (unsigned long long)n, sc.nneigh, sc.ncapture, sc.nprobe,
		       sc.sites.nsites);
		free(pp);
		scanconf_free(&sc);
		return OS_EXIT_OK;
	}
	/* SQLite: a lock file beside the database, unless the configuration
	 * names one; PostgreSQL: the plan's advisory lock on the server
	 * (taken once the store is open), or the configuration's file */
	int pg = store_spec_is_pg(c.db), lockfd = -1;
	char *lock = sc.lock ? xstrdup(sc.lock) : pg ? NULL : xasprintf("%s.lock", c.db);
	int lk = lock && only == npp ? take_lock(lock, &sc, &lockfd, err, sizeof err) : 0;
	if (lk != 0) {
		os_err("%s", err);
		free(lock);
		free(pp);
		scanconf_free(&sc);
		return lk > 0 ? OS_EXIT_LOCKED : OS_EXIT_FAIL;
	}
	struct store *st = NULL;
	char *req = NULL, *map = NULL, *scope = NULL;
	struct run R;
	memset(&R, 0, sizeof R);
	/* every secret first: a bad credentials file stops the run before
	 * anything is written */
	R.creds = xcalloc(sc.nsnmp + 1, sizeof *R.creds);
	for (size_t i = 0; i < sc.nsnmp; i++)
		if ((only == npp || (pp[only].kind == 0 && pp[only].i == i)) &&
		    creds_for(&sc.snmp[i], &R.creds[i], err, sizeof err) < 0) {
			os_err("%s: %s", config, err);
			goto out;
		}
	/* ... and every scope and probe port list */
	for (size_t i = 0; i < sc.nsnmp; i++)
		for (size_t k = 0; k < sc.snmp[i].nscope; k++) {
			struct crawl_scope *tmp = NULL;
			size_t ntmp = 0;
			int bad = crawl_scope_parse(&tmp, &ntmp, sc.snmp[i].scope[k], err, sizeof err) < 0;
			free(tmp);
			if (bad) {
				os_err("%s: [snmp %s] %s", config, sc.snmp[i].id, err);
				goto out;
			}
		}
	for (size_t i = 0; i < sc.nprobe; i++) {
		struct probe_opts po;
		if (probe_opts_of(&sc.probe[i], &po, err, sizeof err) < 0) {
			os_err("%s: %s", config, err);
			goto out;
		}
	}
	if (cli_kb(&c) < 0 || !(st = cli_store(&c)))
		goto out;
	if (pg && !sc.lock && only == npp) {
		int got = store_try_lock_name(st, sc.name);
		if (got <= 0) {
			if (got == 0)
				os_err("another scan of plan %s holds its lock on %s; not starting this one", sc.name,
				       store_path(st));
			else
				os_err("%s", store_errmsg(st));
			rc = got == 0 ? OS_EXIT_LOCKED : OS_EXIT_FAIL;
			goto out;
		}
	}
	req = scanconf_request_json(&sc);
	map = sc.sites.nsites ? sitemap_to_json(&sc.sites) : NULL;
	scope = xasprintf("scan:%s", sc.name);
	R.st = st;
	R.progress = progress && os_verbosity > 0;
	const char **names = xcalloc(npp ? npp : 1, sizeof *names);
	for (size_t i = 0; i < npp; i++)
		names[i] = pp[i].name;
	struct scan_decl d = {.command = "scan", .request_json = req, .kb_version = kb_version(), .plan = sc.name,
	                      .scope = scope, .parts = names, .nparts = npp, .site_map_json = map};
	/* which parts this run writes, in order: a new scan, all of them; an
	 * existing one, those not complete (or the one named) */
	char *todo = xcalloc(npp ? npp : 1, 1);
	int64_t existing = 0;
	if (pt.scan && store_find_scan(st, pt.scan, &existing) == 0 && !existing) {
		char *end;
		long v = strtol(pt.scan, &end, 10);
		if (!*end && v > 0)
			existing = v;
	}
	if (existing) {
		struct part_states ps = {pp, npp, xcalloc(npp ? npp : 1, 1)};
		if (store_each_part(st, existing, part_state, &ps) < 0) {
			os_err("--scan %s: %s", pt.scan, store_errmsg(st));
			free(ps.state);
			free(names);
			free(todo);
			goto out;
		}
		for (size_t i = 0; i < npp; i++) {
			if (only != npp && i != only)
				continue;
			if (ps.state[i] == 'p' || (ps.state[i] == 'x' && pt.rerun))
				todo[i] = 1;
			else if (ps.state[i] == 'c' && only != npp) {
				os_err("--scan %s: part %s is complete", pt.scan, pp[i].name);
				free(ps.state);
				free(names);
				free(todo);
				goto out;
			} else if (ps.state[i] == 'r' && only != npp) {
				os_err("--scan %s: part %s is being written by another process", pt.scan, pp[i].name);
				free(ps.state);
				free(names);
				free(todo);
				goto out;
			}
			else if (ps.state[i] == 'x' || ps.state[i] == 0) {
				os_err("--scan %s: part %s %s", pt.scan, pp[i].name,
				       ps.state[i] ? "did not finish: run it again with --rerun" : "is not one of the scan's");
				free(ps.state);
				free(names);
				free(todo);
				goto out;
			}
		}
		free(ps.state);
	} else
		for (size_t i = 0; i < npp; i++)
			todo[i] = only == npp || i == only;
	cli_signals();
	double t0 = os_mono();
	size_t ndev = 0;
	int first = 1, ran = 0;
	R.status = SCAN_COMPLETE;
	for (size_t i = 0; i < npp && !os_stop; i++) {
		if (!todo[i])
			continue;
		struct cli_part p = pt;
		p.part = pp[i].name;
		p.scan = existing ? NULL : pt.scan;
		char idbuf[32];
		if (existing || !first) {
			snprintf(idbuf, sizeof idbuf, "%lld", (long long)(existing ? existing : R.scan));
			p.scan = idbuf;
		}
		int64_t scan;
		if ((rc = cli_begin(st, &d, &p, pp[i].name, &scan)) != 0)
			break;
		rc = OS_EXIT_FAIL;
		R.scan = scan;
		first = 0;
		ran++;
		int crc = pp[i].kind == 0 ? run_snmp(&R, pp[i].i, &sc.snmp[pp[i].i])
		        : pp[i].kind == 1 ? run_neigh(&R, &sc.neigh[pp[i].i])
		        : pp[i].kind == 3 ? run_probe(&R, &sc.probe[pp[i].i])
		                          : run_capture(&R, &sc.capture[pp[i].i]);
		R.status = crc < 0 ? SCAN_FAILED : (crc > 0 || os_stop) ? SCAN_INTERRUPTED : SCAN_COMPLETE;
		if (R.status == SCAN_INTERRUPTED)
			snprintf(R.note, sizeof R.note, "stopped by a signal");
		if (R.status == SCAN_FAILED)
			os_err("scan %lld: %s", (long long)R.scan, R.note);
		if (scan_end(st, R.scan, c.as_of, &R.status, R.note, &ndev) < 0)
			break;
		/* the first collector that fails stops the run: the scan is
		 * failed, naming it; --rerun runs it (and what is left) again */
		if (R.status != SCAN_COMPLETE && R.status != SCAN_RUNNING)
			break;
	}
	free(names);
	free(todo);
	if (!ran) {
		if (rc == OS_EXIT_FAIL && !os_stop)
			os_err("--scan %s: no part left to run", pt.scan ? pt.scan : "?");
		goto out;
	}
	if (isatty(2) || os_verbosity > 1 || R.status != SCAN_COMPLETE)
		fprintf(stderr, "originscan: scan %lld (%s) %s: %llu targets, %llu answered, %llu unreachable; %zu devices in %.1f s\n",
		        (long long)R.scan, sc.name, R.status == SCAN_RUNNING ? "waits for its other parts" : scan_status_name(R.status),
		        (unsigned long long)R.targets, (unsigned long long)R.answered, (unsigned long long)R.unreachable,
		        ndev, os_mono() - t0);
	rc = R.status == SCAN_RUNNING ? OS_EXIT_OK : cli_scan_exit(st, R.scan, R.status);
out:
	for (size_t i = 0; R.creds && i < sc.nsnmp; i++)
		snmp_creds_free(&R.creds[i]);
	free(R.creds);
	store_close(st);
	free(req);
	free(map);
	free(scope);
	free(pp);
	if (lockfd >= 0)
		close(lockfd);          /* releases the lock; the file stays (removing it would race) */
	free(lock);
	scanconf_free(&sc);
	return rc;
}
