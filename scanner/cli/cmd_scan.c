/* originscan scan -f CONFIG: one scan, several collectors, as a
 * configuration file says (scanner/plan/scanconf.c; README "Scheduled scans").
 *
 * Order: every [snmp] stanza, then [neigh] (the kernel's neighbour tables,
 * just filled by the sweep's own traffic to on-link targets), then
 * [capture]. The scan is marked complete only if every collector finished;
 * the first collector that fails stops the scan (marked failed, naming
 * it), a signal stops it cleanly (interrupted). An exclusive lock (flock
 * on DATABASE.lock, or the config's lock =) keeps two overlapping cron
 * runs from both writing: the second exits at once with status 75.
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
#include "scanconf.h"
#include "snmp_collect.h"
#include "store.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan scan -f CONFIG [--check] [--no-progress]\n"
	        "\n"
	        "Runs one scan with the collectors CONFIG names ([snmp ...], [neigh ...],\n"
	        "[capture ...]), with its site map ([site ...]: subnets -> site, domain,\n"
	        "operator), stores it as one scan and attributes it. The scan is complete\n"
	        "only if every collector finished. A lock (DATABASE.lock, or lock = in the\n"
	        "[scan NAME] stanza) lets one run write at a time: a second run exits with\n"
	        "status 75 at once. The format: README.md, examples/originscan.conf.\n"
	        "  -f, --config CONFIG   the scan configuration\n"
	        "  --check               read CONFIG, say what it would run, run nothing\n"
	        "  --no-progress         no progress line (none anyway when stderr is not a\n"
	        "                        terminal)\n"
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
	int rc = snmp_sweep(&s->ts, &o, store_sink(R->st, R->scan), &os_stop, &stats, err, sizeof err);
	R->targets += stats.targets - stats.excluded;
	R->answered += stats.answered;
	R->unreachable += stats.unreachable;
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector snmp %s: %s", s->id, err);
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

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'f'},
		{"no-progress", no_argument, NULL, 'P'},
		{"check", no_argument, NULL, 'C'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	const char *config = NULL;
	int opt, progress = isatty(2), db_given = 0, check = 0;
	char err[1024];

	cli_common_init(&c);
	const char *env_db = getenv("ORIGINSCAN_DB");
	while ((opt = cli_next_opt(&c, argc, argv, "f:", longopts, help)) > 0) {
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
	struct scanconf sc;
	if (scanconf_load(config, &sc, err, sizeof err) < 0) {
		os_err("%s", err);
		return OS_EXIT_FAIL;
	}
	/* --db, then $ORIGINSCAN_DB, then the configuration, then the default */
	if (!db_given && !(env_db && *env_db) && sc.database)
		c.db = sc.database;
	if (check) {
		uint64_t n = 0;
		for (size_t i = 0; i < sc.nsnmp; i++)
			n += sc.snmp[i].ts.total;
		printf("%s: plan %s, database %s; %zu snmp (%llu addresses before exclusions), %zu neigh, %zu capture "
		       "collectors; %zu sites\n",
		       config, sc.name, c.db, sc.nsnmp, (unsigned long long)n, sc.nneigh, sc.ncapture, sc.sites.nsites);
		scanconf_free(&sc);
		return OS_EXIT_OK;
	}
	char *lock = sc.lock ? xstrdup(sc.lock) : xasprintf("%s.lock", c.db);
	int lockfd = -1;
	int lk = take_lock(lock, &sc, &lockfd, err, sizeof err);
	if (lk != 0) {
		os_err("%s", err);
		free(lock);
		scanconf_free(&sc);
		return lk > 0 ? OS_EXIT_LOCKED : OS_EXIT_FAIL;
	}
	int rc = OS_EXIT_FAIL;
	struct store *st = NULL;
	char *req = NULL, *map = NULL;
	struct run R;
	memset(&R, 0, sizeof R);
	/* every secret first: a bad credentials file stops the run before
	 * anything is written */
	R.creds = xcalloc(sc.nsnmp + 1, sizeof *R.creds);
	for (size_t i = 0; i < sc.nsnmp; i++)
		if (creds_for(&sc.snmp[i], &R.creds[i], err, sizeof err) < 0) {
			os_err("%s: %s", config, err);
			goto out;
		}
	if (cli_kb(&c) < 0 || !(st = cli_store(&c)))
		goto out;
	req = scanconf_request_json(&sc);
	map = sc.sites.nsites ? sitemap_to_json(&sc.sites) : NULL;
	R.st = st;
	R.progress = progress && os_verbosity > 0;
	if (store_begin_scan(st, "scan", req, kb_version(), &R.scan) < 0 ||
	    (map && store_set_site_map(st, R.scan, map) < 0)) {
		os_err("%s", store_errmsg(st));
		goto out;
	}
	cli_signals();
	double t0 = os_mono();
	int crc = 0;
	for (size_t i = 0; i < sc.nsnmp && !crc && !os_stop; i++)
		crc = run_snmp(&R, i, &sc.snmp[i]);
	for (size_t i = 0; i < sc.nneigh && !crc && !os_stop; i++)
		crc = run_neigh(&R, &sc.neigh[i]);
	for (size_t i = 0; i < sc.ncapture && !crc && !os_stop; i++)
		crc = run_capture(&R, &sc.capture[i]);
	R.status = crc < 0 ? SCAN_FAILED : (crc > 0 || os_stop) ? SCAN_INTERRUPTED : SCAN_COMPLETE;
	if (R.status == SCAN_INTERRUPTED)
		snprintf(R.note, sizeof R.note, "stopped by a signal");
	if (R.status == SCAN_FAILED)
		os_err("scan %lld: %s", (long long)R.scan, R.note);
	size_t ndev = 0;
	if (scan_end(st, R.scan, c.as_of, &R.status, R.note, &ndev) < 0)
		goto out;
	if (isatty(2) || os_verbosity > 1 || R.status != SCAN_COMPLETE)
		fprintf(stderr, "originscan: scan %lld (%s) %s: %llu targets, %llu answered, %llu unreachable; %zu devices in %.1f s\n",
		        (long long)R.scan, sc.name, scan_status_name(R.status), (unsigned long long)R.targets,
		        (unsigned long long)R.answered, (unsigned long long)R.unreachable, ndev, os_mono() - t0);
	rc = R.status == SCAN_COMPLETE ? OS_EXIT_OK : R.status == SCAN_INTERRUPTED ? OS_EXIT_INTERRUPTED : OS_EXIT_FAIL;
out:
	for (size_t i = 0; R.creds && i < sc.nsnmp; i++)
		snmp_creds_free(&R.creds[i]);
	free(R.creds);
	store_close(st);
	free(req);
	free(map);
	if (lockfd >= 0)
		close(lockfd);          /* releases the lock; the file stays (removing it would race) */
	free(lock);
	scanconf_free(&sc);
	return rc;
}
