/* originscan scan -f CONFIG: one scan, several collectors, as a
 * configuration file says (scanner/plan/scanconf.c; README "Scheduled scans").
 *
 * Order: every [snmp] stanza, then [neigh] (the kernel's neighbour tables,
 * just filled by the sweep's own traffic to on-link targets), then
 * [capture], then [oss] (exports read from files), then [probe]. Every
 * privileged step comes first (credentials, capture handles, namespaces'
 * netlink sockets, the exports opened), then one drop of privileges,
 * then the collectors. Each collector is a part of the scan, begun,
 * written and finished on its own (with its own resume point), so that
 * another process (another machine, or a later run with --scan and
 * --rerun) can write the parts this one did not; the scan is marked
 * complete only when every part is, and attributed by whoever completes
 * the last. The first collector that fails stops the run (its part and
 * the scan failed, naming it), a signal stops it cleanly (interrupted).
 * An exclusive lock (flock on DATABASE.lock, the plan's advisory lock on
 * PostgreSQL, or the config's lock =) keeps two overlapping cron runs
 * from both writing: the second exits at once with status 75.
 * The lock is released by the kernel when the process ends, however it
 * ends, so a crashed run never blocks the next one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrib.h"
#include "capture.h"
#include "cli.h"
#include "kb.h"
#include "oss.h"
#include "privdrop.h"
#include "probe.h"
#include "resume.h"
#include "scanconf.h"
#include "snmp_collect.h"
#include "store.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan scan -f CONFIG [--check] [--no-progress]\n"
	        "       originscan scan [-f CONFIG] --resume SCAN [--allow-changed-files]\n"
	        "       originscan scan -f CONFIG --scan ID|NAME [--part COLLECTOR] [--rerun]\n"
	        "\n"
	        "Runs one scan with the collectors CONFIG names ([snmp ...], [neigh ...],\n"
	        "[capture ...], [oss ...], [probe ...]), with its site map ([site ...]: subnets -> site, domain,\n"
	        "operator), stores it as one scan and attributes it. Each collector\n"
	        "is a part of the scan (snmp:ID, neigh:ID, capture:ID, oss:ID, probe:ID); the\n"
	        "scan is complete only when every part is. A lock (DATABASE.lock, on\n"
	        "PostgreSQL the plan's lock on the server, or lock = in the [scan NAME]\n"
	        "stanza) lets one run write at a time: a second run exits with status 75\n"
	        "at once. The format: README.md, examples/originscan.conf.\n"
	        "Every file the plan names is checked before the first packet is sent.\n"
	        "  -f, --config CONFIG   the scan configuration (relative paths in it are\n"
	        "                        relative to its directory)\n"
	        "  --check               read CONFIG and check every file, interface and\n"
	        "                        credential it names ([oss] exports open and are a\n"
	        "                        known format); say what it would run, run nothing\n"
	        "  --resume SCAN         continue interrupted (or failed) scan SCAN: the\n"
	        "                        collectors that finished are not run again, the one\n"
	        "                        that was running continues where it stopped (an\n"
	        "                        [snmp] sweep at its resume point; a [neigh],\n"
	        "                        [capture], [oss] or [probe] from its start, what\n"
	        "                        it stored dropped; a plan that crawls is run\n"
	        "                        again).\n"
	        "                        CONFIG (default: the one the scan recorded) must\n"
	        "                        describe the same plan; only politeness may change\n"
	        "  --allow-changed-files with --resume: take credentials files that changed\n"
	        "                        since the scan began as they are now\n"
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

/* The plan's collectors in the order they run, each a part of the scan
 * (snmp:ID ...) with its own resume point (include/store.h), which says
 * how far it had got: an [snmp] stanza takes one position per address
 * of its target set (its visiting order), any other collector one. */
enum step_kind { STEP_SNMP, STEP_NEIGH, STEP_CAPTURE, STEP_OSS, STEP_PROBE };
struct step {
	enum step_kind kind;
	size_t i;                       /* in the scanconf's array of that kind */
	uint64_t off, size;             /* its positions (off: 0, a part's own) */
	char name[160];                 /* its part */
};

static struct step *plan_steps(const struct scanconf *sc, size_t *n)
{
	struct step *st = xcalloc(sc->nsnmp + sc->nneigh + sc->ncapture + sc->noss + sc->nprobe + 1, sizeof *st);
	*n = 0;
	for (size_t i = 0; i < sc->nsnmp; i++) {
		st[*n] = (struct step){STEP_SNMP, i, 0, sc->snmp[i].ts.total, ""};
		snprintf(st[(*n)++].name, sizeof st->name, "snmp:%s", sc->snmp[i].id);
	}
	for (size_t i = 0; i < sc->nneigh; i++) {
		st[*n] = (struct step){STEP_NEIGH, i, 0, 1, ""};
		snprintf(st[(*n)++].name, sizeof st->name, "neigh:%s", sc->neigh[i].id);
	}
	for (size_t i = 0; i < sc->ncapture; i++) {
		st[*n] = (struct step){STEP_CAPTURE, i, 0, 1, ""};
		snprintf(st[(*n)++].name, sizeof st->name, "capture:%s", sc->capture[i].id);
	}
	for (size_t i = 0; i < sc->noss; i++) {
		st[*n] = (struct step){STEP_OSS, i, 0, 1, ""};
		snprintf(st[(*n)++].name, sizeof st->name, "oss:%s", sc->oss[i].id);
	}
	for (size_t i = 0; i < sc->nprobe; i++) {
		st[*n] = (struct step){STEP_PROBE, i, 0, 1, ""};
		snprintf(st[(*n)++].name, sizeof st->name, "probe:%s", sc->probe[i].id);
	}
	return st;
}

/* The state of each part of an existing scan, by name: 'p' pending,
 * 'c' complete, 'r' running, 'x' interrupted or failed, 0 not one of the
 * scan's. */
struct part_states {
	const struct step *steps;
	size_t n;
	char *state;
};

static int part_state(void *ctx, const struct part_info *pi)
{
	struct part_states *ps = ctx;
	for (size_t i = 0; i < ps->n; i++)
		if (!strcmp(ps->steps[i].name, pi->name))
			ps->state[i] = pi->pending ? 'p' : pi->status == SCAN_COMPLETE ? 'c'
			             : pi->status == SCAN_RUNNING ? 'r' : 'x';
	return 0;
}

static void capture_opts_of(const struct scanconf_capture *s, struct capture_opts *o)
{
	memset(o, 0, sizeof *o);
	o->ifaces = (const char **)s->ifaces;
	o->nifaces = s->nifaces;
	o->files = (const char **)s->files;
	o->nfiles = s->nfiles;
	o->filter = s->filter;
	o->duration_s = s->duration_s;
	o->snaplen = (int)s->snaplen;
	o->user = s->user;
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

/* Can a file be made at path (its directory exists and is writable)? */
static int can_create(const char *path, char *err, size_t errlen, const char *what)
{
	char *copy = xstrdup(path), *slash = strrchr(copy, '/');
	const char *dir = ".";
	if (slash) {
		*(slash == copy ? slash + 1 : slash) = 0;
		dir = copy;
	}
	int ok = access(dir, W_OK | X_OK) == 0;
	if (!ok)
		os_seterr(err, errlen, "%s %s: cannot be created in %s: %s", what, path, dir, strerror(errno));
	free(copy);
	return ok ? 0 : -1;
}

/* Every path the plan names, before the first packet: the credentials
 * (read: present, the owner's, mode 0600), the knowledge files, every
 * capture file (opened as a capture), interface and namespace, the
 * database's and the lock's directories. The target lists were read with
 * the plan. creds (one per [snmp] stanza) receives the credentials, or
 * NULL: read and forgotten. 0, or an exit status with the error printed. */
static int check_plan(const struct scanconf *sc, const struct cli_common *c, const char *lock,
                      struct snmp_creds *creds, const char *config)
{
	char err[1024];
	for (size_t i = 0; i < sc->nsnmp; i++) {
		struct snmp_creds tmp = {0}, *cs = creds ? &creds[i] : &tmp;
		int bad = creds_for(&sc->snmp[i], cs, err, sizeof err) < 0;
		snmp_creds_free(&tmp);
		if (bad) {
			os_err("%s: %s", config, err);
			return OS_EXIT_FAIL;
		}
	}
	for (size_t i = 0; i < sc->nsnmp; i++)
		for (size_t k = 0; k < sc->snmp[i].nscope; k++) {
			struct crawl_scope *tmp = NULL;
			size_t ntmp = 0;
			int bad = crawl_scope_parse(&tmp, &ntmp, sc->snmp[i].scope[k], err, sizeof err) < 0;
			free(tmp);
			if (bad) {
				os_err("%s: [snmp %s] %s", config, sc->snmp[i].id, err);
				return OS_EXIT_FAIL;
			}
		}
	for (size_t i = 0; i < sc->nprobe; i++) {
		struct probe_opts po;
		if (probe_opts_of(&sc->probe[i], &po, err, sizeof err) < 0) {
			os_err("%s: %s", config, err);
			return OS_EXIT_FAIL;
		}
	}
	if (cli_kb(c) < 0)
		return OS_EXIT_FAIL;
	for (size_t i = 0; i < sc->ncapture; i++) {
		struct capture_opts o;
		capture_opts_of(&sc->capture[i], &o);
		if (capture_check(&o, err, sizeof err) < 0) {
			os_err("%s: [capture %s] %s", config, sc->capture[i].id, err);
			return OS_EXIT_FAIL;
		}
	}
	for (size_t i = 0; i < sc->noss; i++)
		if (oss_check_files((const char *const *)sc->oss[i].files, sc->oss[i].nfiles, err, sizeof err) < 0) {
			os_err("%s:%d: [oss %s] %s", config, sc->oss[i].line, sc->oss[i].id, err);
			return OS_EXIT_FAIL;
		}
	for (size_t i = 0; i < sc->nneigh; i++) {
		struct neigh_opts o = {sc->neigh[i].netns, sc->neigh[i].watch_s};
		if (neigh_check(&o, err, sizeof err) < 0) {
			os_err("%s: [neigh %s] %s", config, sc->neigh[i].id, err);
			return OS_EXIT_FAIL;
		}
	}
	if ((!store_spec_is_pg(c->db) && access(c->db, F_OK) < 0 && can_create(c->db, err, sizeof err, "database") < 0) ||
	    (lock && access(lock, F_OK) < 0 && can_create(lock, err, sizeof err, "lock") < 0)) {
		os_err("%s: %s", config, err);
		return OS_EXIT_FAIL;
	}
	return 0;
}

struct run {
	struct snmp_creds *creds;       /* per [snmp] stanza, read before the scan begins */
	struct store *st;
	int64_t scan;
	int progress;
	enum scan_status status;
	char note[600];
	uint64_t targets, answered, unreachable, refused, skipped;
	struct capture **caps;          /* per [capture], opened before the privileges went */
	struct neigh **neighs;          /* per [neigh], likewise */
	int **oss_fds;                  /* per [oss], per file, likewise */
};

struct sweep_ctx {
	struct store *st;
	int64_t scan;
	uint64_t off, size;
	double last_commit;
};

static int cb_done(void *p, const struct target *t)
{
	const struct sweep_ctx *c = p;
	/* any part of the scan: an earlier stanza's outcome counts too */
	return store_target_done_in_scan(c->st, c->scan, t->name);
}

static int cb_checkpoint(void *p, uint64_t done_below, uint64_t granted)
{
	struct sweep_ctx *c = p;
	/* a grant past the stanza's end is its end: the next collector's
	 * positions are its own */
	if (granted > c->size)
		granted = c->size;
	if (done_below > c->size)
		done_below = c->size;
	return resume_checkpoint(c->st, c->scan, c->off + done_below, c->off + granted, &c->last_commit);
}

/* An [snmp] stanza from position start (0 unless resumed); targets up to
 * granted may have been polled before (resumed). An address an earlier
 * stanza of the scan polled is not polled again (done() asks the store):
 * one outcome per target, and the counts say what is stored. */
static int run_snmp(struct run *R, const struct step *sp, const struct scanconf_snmp *s, uint64_t start,
                    uint64_t granted)
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
	o.creds = &R->creds[sp->i];
	o.seed = targets_digest(&s->ts);        /* as `originscan snmp` */
	o.start = start;
	o.resume_granted = sp->i > 0 ? UINT64_MAX : granted;
	struct sweep_ctx cx = {R->st, R->scan, sp->off, sp->size, os_mono()};
	o.done = cb_done;
	o.checkpoint = cb_checkpoint;
	o.cb_ctx = &cx;
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
	R->targets += stats.targets - stats.excluded - stats.skipped;
	R->skipped += stats.skipped;
	R->answered += stats.answered;
	R->unreachable += stats.unreachable;
	R->refused += stats.refused;
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector snmp %s: %s", s->id, err);
	return rc;
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

/* h: opened before anything ran (the privileged part); closed by the caller. */
static int run_neigh(struct run *R, const struct scanconf_neigh *s, struct neigh *h)
{
	char err[512];
	struct neigh_stats ns;
	memset(&ns, 0, sizeof ns);
	int rc = neigh_read(h, store_sink(R->st, R->scan), &os_stop, &ns, err, sizeof err);
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector neigh %s: %s", s->id, err);
	return rc;
}

/* c: opened before anything ran (the privileged part); closed by the caller. */
static int run_capture(struct run *R, const struct scanconf_capture *s, struct capture *c)
{
	char err[512];
	struct capture_stats cs;
	int rc = capture_loop(c, store_sink(R->st, R->scan), &os_stop, &cs, err, sizeof err);
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector capture %s: %s", s->id, err);
	return rc;
}

/* fds: the exports, opened before the privileges went (an export may be
 * readable by root alone); the reader parses them as nobody. */
static int run_oss(struct run *R, const struct scanconf_oss *s, const int *fds)
{
	char err[512];
	struct oss_opts o;
	struct oss_stats os;
	memset(&o, 0, sizeof o);
	o.plmn = s->plmn;
	o.stop = &os_stop;
	o.fds = fds;
	int rc = oss_read_files((const char *const *)s->files, s->nfiles, &o, store_sink(R->st, R->scan), &os, err,
	                        sizeof err);
	if (rc < 0)
		snprintf(R->note, sizeof R->note, "collector oss %s: %s", s->id, err);
	return rc;
}

/* Everything privileged first -- credentials (read above), capture
 * handles, the neigh collectors' netlink sockets inside their network
 * namespaces, the OSS exports -- then one drop before the first packet any collector
 * parses (the SNMP sweep's replies come first). */
static int privileged_part(const struct scanconf *sc, struct capture **caps, struct capture_opts *copts,
                           struct neigh **neighs, int **oss_fds, int progress, char *err, size_t errlen)
{
	char e2[512];
	for (size_t i = 0; i < sc->noss; i++)
		if (!(oss_fds[i] = oss_open_fds((const char *const *)sc->oss[i].files, sc->oss[i].nfiles, e2, sizeof e2))) {
			os_seterr(err, errlen, "collector oss %s: %s", sc->oss[i].id, e2);
			return -1;
		}
	for (size_t i = 0; i < sc->ncapture; i++) {
		capture_opts_of(&sc->capture[i], &copts[i]);
		copts[i].progress = progress;
		if (!(caps[i] = capture_open(&copts[i], e2, sizeof e2))) {
			os_seterr(err, errlen, "collector capture %s: %s", sc->capture[i].id, e2);
			return -1;
		}
	}
	for (size_t i = 0; i < sc->nneigh; i++) {
		struct neigh_opts no = {sc->neigh[i].netns, sc->neigh[i].watch_s};
		if (!(neighs[i] = neigh_open(&no, e2, sizeof e2))) {
			os_seterr(err, errlen, "collector neigh %s: %s", sc->neigh[i].id, e2);
			return -1;
		}
	}
	const char *user = sc->ncapture && sc->capture[0].user ? sc->capture[0].user : "nobody";
	if (os_drop_privileges(user, e2, sizeof e2) < 0) {
		os_seterr(err, errlen, "%s", e2);
		return -1;
	}
	return 0;
}

/* A neigh, capture or probe collector is one position: started (granted past
 * it), then done. */
static int run_one(struct run *R, const struct scanconf *sc, const struct step *sp)
{
	/* committed at once: a crash during the collector must leave it
	 * marked as started, so that a resume drops what it stored */
	if (store_set_resume_point(R->st, R->scan, sp->off, sp->off + 1) < 0 || store_commit(R->st) < 0) {
		snprintf(R->note, sizeof R->note, "could not record the resume point: %s", store_errmsg(R->st));
		return -1;
	}
	int rc = sp->kind == STEP_NEIGH     ? run_neigh(R, &sc->neigh[sp->i], R->neighs[sp->i])
	         : sp->kind == STEP_CAPTURE ? run_capture(R, &sc->capture[sp->i], R->caps[sp->i])
	         : sp->kind == STEP_OSS     ? run_oss(R, &sc->oss[sp->i], R->oss_fds[sp->i])
	                                    : run_probe(R, &sc->probe[sp->i]);
	if (rc == 0 && store_set_resume_point(R->st, R->scan, sp->off + 1, sp->off + 1) < 0) {
		snprintf(R->note, sizeof R->note, "could not record the resume point: %s", store_errmsg(R->st));
		return -1;
	}
	return rc;
}

/* ---------- resume ---------- */

/* The evidence sources a neigh, capture or oss collector writes, as
 * prefixes ("neigh:NS/", "iface:eth0", "file:/path", the export's path);
 * exact says which must match whole. */
struct srcs {
	json_t *mine, *earlier;         /* prefix -> exact (bool) */
	const char *collector;
	json_t *drop;                   /* the sources found to drop */
	/* a probe's sources are ADDRESS:PORT: what it wrote is told by the
	 * address, one of its targets and no earlier probe's */
	const struct target_set *ts;
	const struct scanconf *sc;
	size_t before;                  /* [probe] stanzas before it */
};

static int probed_here(const struct srcs *s, const char *addr)
{
	unsigned char a[16];
	int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(fam, addr, a) != 1 || !targets_contain(s->ts, fam, a))
		return 0;
	for (size_t j = 0; j < s->before; j++)
		if (targets_contain(&s->sc->probe[j].ts, fam, a))
			return 0;
	return 1;
}

static void step_sources(const struct scanconf *sc, const struct step *sp, json_t *into)
{
	if (sp->kind == STEP_PROBE)
		return;
	char b[600];
	if (sp->kind == STEP_NEIGH) {
		const char *ns = sc->neigh[sp->i].netns;
		snprintf(b, sizeof b, "neigh:%s%s", ns ? ns : "", ns ? "/" : "");
		json_object_set_new(into, b, json_boolean(0));
		return;
	}
	if (sp->kind == STEP_OSS) {
		for (size_t k = 0; k < sc->oss[sp->i].nfiles; k++)
			json_object_set_new(into, sc->oss[sp->i].files[k], json_boolean(1));
		return;
	}
	const struct scanconf_capture *c = &sc->capture[sp->i];
	for (size_t k = 0; k < c->nifaces; k++) {
		snprintf(b, sizeof b, "iface:%s", c->ifaces[k]);
		json_object_set_new(into, b, json_boolean(1));
	}
	for (size_t k = 0; k < c->nfiles; k++) {
		snprintf(b, sizeof b, "file:%s", c->files[k]);
		json_object_set_new(into, b, json_boolean(1));
	}
}

static int source_in(const json_t *set, const char *src, int neigh)
{
	const char *k;
	json_t *exact;
	json_object_foreach((json_t *)set, k, exact) {
		size_t n = strlen(k);
		if (json_is_true(exact) ? !strcmp(src, k)
		                        : !strncmp(src, k, n) && (!neigh || n > 6 || !strchr(src + n, '/')))
			return 1;
	}
	return 0;
}

static int on_source(void *p, const struct evidence *ev, int64_t id)
{
	struct srcs *s = p;
	(void)id;
	if (s->ts) {
		if (ev->source && !strcmp(ev->collector, "probe") && ev->subj_kind == SUBJ_IP && probed_here(s, ev->subject))
			json_object_set_new(s->drop, ev->source, json_true());
		return 0;
	}
	int neigh = !strcmp(s->collector, "neigh");
	if (!ev->source || strcmp(ev->collector, s->collector) || !source_in(s->mine, ev->source, neigh) ||
	    source_in(s->earlier, ev->source, neigh))
		return 0;
	json_object_set_new(s->drop, ev->source, json_true());
	return 0;
}

/* What the collector at step k had stored before it was cut short goes;
 * sources an earlier collector of its kind wrote too are kept (theirs). */
static int drop_step(struct store *st, int64_t scan, const struct scanconf *sc, const struct step *steps, size_t k)
{
	struct srcs s = {json_object(), json_object(), steps[k].kind == STEP_NEIGH ? "neigh" : steps[k].kind == STEP_OSS ? "oss" : "pcap",
	                 json_object(),
	                 NULL, sc, 0};
	if (steps[k].kind == STEP_PROBE) {
		s.ts = &sc->probe[steps[k].i].ts;
		s.before = steps[k].i;
	} else
		step_sources(sc, &steps[k], s.mine);
	for (size_t j = 0; j < k; j++)
		if (steps[j].kind == steps[k].kind)
			step_sources(sc, &steps[j], s.earlier);
	int rc = store_each_evidence_stored(st, scan, on_source, &s);
	if (rc == 0 && json_object_size(s.drop)) {
		json_t *arr = json_array();
		const char *key;
		json_t *v;
		json_object_foreach(s.drop, key, v) json_array_append_new(arr, json_string(key));
		char *txt = json_dumps(arr, JSON_COMPACT);
		rc = store_drop_partial(st, scan, txt);
		free(txt);
		json_decref(arr);
	}
	json_decref(s.mine);
	json_decref(s.earlier);
	json_decref(s.drop);
	return rc;
}

/* Each [snmp] stanza's credentials file must be the one the scan began
 * with (its identity recorded), unless allowed. */
static int check_cred_files(const struct resume *rs, int allow_changed)
{
	json_t *cols = json_object_get(rs->request, "collectors"), *col;
	size_t i;
	json_array_foreach(cols, i, col) {
		const char *kind = json_string_value(json_object_get(col, "collector"));
		const char *path = json_string_value(json_object_get(col, "credentials_file"));
		json_t *id = json_object_get(col, "credentials_file_id");
		if (!kind || strcmp(kind, "snmp") || !path || !id)
			continue;
		char err[700];
		if (file_identity_same(path, id, err, sizeof err) == 0)
			continue;
		const char *cid = json_string_value(json_object_get(col, "id"));
		if (allow_changed && access(path, R_OK) == 0) {
			os_warn("--resume %lld: [snmp %s] credentials file %s; using it as it is now (--allow-changed-files)",
			        (long long)rs->scan, cid ? cid : "?", err);
			continue;
		}
		os_err("--resume %lld: [snmp %s] credentials file %s; give --allow-changed-files to use it anyway",
		       (long long)rs->scan, cid ? cid : "?", err);
		return OS_EXIT_FAIL;
	}
	return 0;
}

struct first_cut {
	char *name;
	size_t len;
};

static int first_cut_cb(void *ctx, const struct part_info *pi)
{
	struct first_cut *fc = ctx;
	if (!fc->name[0] && !pi->pending && (pi->status == SCAN_INTERRUPTED || pi->status == SCAN_FAILED))
		snprintf(fc->name, fc->len, "%s", pi->name);
	return 0;
}

/* The part of a scan --resume continues: its first that was cut short
 * (interrupted or failed). */
static int resume_part_of(struct store *st, long scan, char *name, size_t namelen)
{
	struct scan_info si;
	if (store_scan_info(st, scan, &si) < 0) {
		os_err("--resume: %s", store_errmsg(st));
		return OS_EXIT_FAIL;
	}
	enum scan_status status = si.status;
	scan_info_free(&si);
	if (status == SCAN_COMPLETE || status == SCAN_RUNNING) {
		os_err("--resume %ld: the scan is %s; only an interrupted or failed scan can be resumed", scan,
		       scan_status_name(status));
		return OS_EXIT_FAIL;
	}
	struct first_cut fc = {name, namelen};
	name[0] = 0;
	int rc = store_each_part(st, scan, first_cut_cb, &fc);
	if (rc < 0) {
		os_err("--resume %ld: %s", scan, store_errmsg(st));
		return OS_EXIT_FAIL;
	}
	if (!name[0]) {
		os_err("--resume %ld: no part of the scan was interrupted or failed; only an interrupted or failed scan "
		       "can be resumed",
		       scan);
		return OS_EXIT_FAIL;
	}
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'f'},
		{"no-progress", no_argument, NULL, 'P'},
		{"check", no_argument, NULL, 'C'},
		{"resume", required_argument, NULL, 'z'},
		{"allow-changed-files", no_argument, NULL, 'A'},
		CLI_PART_LONGOPTS,
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	struct cli_part pt = {0};
	const char *config = NULL;
	int opt, progress = isatty(2), db_given = 0, check = 0, allow_changed = 0;
	long resume = 0;
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
		case 'z':
			if (cli_int("--resume", optarg, 1, 0x7fffffffL, &resume) < 0)
				return OS_EXIT_USAGE;
			break;
		case 'A':
			allow_changed = 1;
			break;
		}
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	db_given = c.db_given;
	if ((!config && !resume) || optind < argc) {
		os_err("scan: want -f CONFIG, or --resume SCAN, and nothing else (see originscan scan --help)");
		return OS_EXIT_USAGE;
	}
	if ((check && resume) || (allow_changed && !resume)) {
		os_err("scan: %s (see originscan scan --help)",
		       check ? "--check reads a CONFIG; it does not go with --resume"
		             : "--allow-changed-files goes with --resume SCAN");
		return OS_EXIT_USAGE;
	}
	if (resume && (pt.scan || pt.part || pt.rerun)) {
		os_err("scan: --resume continues the part that was cut short; --scan, --part and --rerun do not go "
		       "with it (see originscan scan --help)");
		return OS_EXIT_USAGE;
	}
	if (pt.rerun && !pt.scan) {
		os_err("--rerun: say which scan with --scan ID|NAME");
		return OS_EXIT_USAGE;
	}
	int rc = OS_EXIT_FAIL;
	struct scanconf sc;
	struct store *st = NULL;
	struct resume rs = {0};
	struct step *steps = NULL;
	size_t nsteps = 0;
	char *req = NULL, *map = NULL, *lock = NULL, *cfg_copy = NULL, *scope = NULL, *todo = NULL;
	const char **names = NULL;
	char rpart[160] = "";
	int lockfd = -1;
	struct capture_opts *copts = NULL;
	struct run R;
	memset(&R, 0, sizeof R);
	memset(&sc, 0, sizeof sc);
	if (!config) {
		/* scan --resume SCAN: the scan's own configuration, in --db */
		if (!(st = cli_store_existing(&c)) || (rc = resume_part_of(st, resume, rpart, sizeof rpart)) != 0 ||
		    (rc = resume_begin(st, resume, rpart, "scan", &rs)) != 0)
			goto out;
		rc = OS_EXIT_FAIL;
		const char *rc_cfg = json_string_value(json_object_get(rs.request, "config"));
		if (!rc_cfg) {
			os_err("--resume %ld: the scan did not record its configuration; give -f CONFIG", resume);
			goto out;
		}
		config = cfg_copy = xstrdup(rc_cfg);
	}
	if (scanconf_load(config, &sc, err, sizeof err) < 0) {
		os_err("%s", err);
		goto out;
	}
	/* --db, then $ORIGINSCAN_DB, then the configuration, then the default
	 * (scan --resume SCAN without -f: the database it was found in) */
	if (!st && !db_given && !(env_db && *env_db) && sc.database)
		c.db = sc.database;
	/* SQLite: a lock file beside the database, unless the configuration
	 * names one; PostgreSQL: the plan's advisory lock on the server
	 * (taken once the store is open), or the configuration's file */
	int pg = store_spec_is_pg(c.db);
	lock = sc.lock ? xstrdup(sc.lock) : pg ? NULL : xasprintf("%s.lock", c.db);
	steps = plan_steps(&sc, &nsteps);
	size_t only = nsteps;
	if (pt.part) {
		for (only = 0; only < nsteps && strcmp(steps[only].name, pt.part); only++)
			;
		if (only == nsteps) {
			struct buf b = {0};
			for (size_t i = 0; i < nsteps; i++)
				buf_printf(&b, "%s%s", i ? ", " : "", steps[i].name);
			os_err("--part %s: %s has no such collector (its parts: %s)", pt.part, config, b.p ? b.p : "none");
			buf_free(&b);
			rc = OS_EXIT_USAGE;
			goto out;
		}
	}
	if (check) {
		if ((rc = check_plan(&sc, &c, lock, NULL, config)) != 0)
			goto out;
		uint64_t n = 0;
		for (size_t i = 0; i < sc.nsnmp; i++)
			n += sc.snmp[i].ts.total;
		printf("%s: plan %s, database %s; %zu snmp (%llu addresses before exclusions), %zu neigh, %zu capture, "
		       "%zu oss, %zu probe collectors; %zu sites\n",
		       config, sc.name, c.db, sc.nsnmp, (unsigned long long)n, sc.nneigh, sc.ncapture, sc.noss, sc.nprobe,
		       sc.sites.nsites);
		for (size_t i = 0; i < sc.nsnmp; i++)
			if (sc.snmp[i].duplicates)
				printf("[snmp %s]: %llu address%s given more than once, polled once\n", sc.snmp[i].id,
				       (unsigned long long)sc.snmp[i].duplicates, sc.snmp[i].duplicates == 1 ? "" : "es");
		rc = OS_EXIT_OK;
		goto out;
	}
	/* every secret and every path first: a bad file stops the run before
	 * anything is written or sent */
	R.creds = xcalloc(sc.nsnmp + 1, sizeof *R.creds);
	if ((rc = check_plan(&sc, &c, lock, R.creds, config)) != 0)
		goto out;
	rc = OS_EXIT_FAIL;
	if (!st && !(st = resume ? cli_store_existing(&c) : cli_store(&c)))
		goto out;
	if (resume && !rs.request &&
	    ((rc = resume_part_of(st, resume, rpart, sizeof rpart)) != 0 ||
	     (rc = resume_begin(st, resume, rpart, "scan", &rs)) != 0))
		goto out;
	rc = OS_EXIT_FAIL;
	if (resume) {
		/* the plan must be the one the scan ran, its credentials files
		 * the ones it read */
		char *rq = json_dumps(rs.request, JSON_COMPACT);
		int bad = scanconf_compare(&sc, rq, err, sizeof err) < 0;
		free(rq);
		if (bad) {
			os_err("--resume %ld: %s: %s", resume, config, err);
			goto out;
		}
		if ((rc = check_cred_files(&rs, allow_changed)) != 0)
			goto out;
		rc = OS_EXIT_FAIL;
		/* a crawl's frontier lives in the sweep that found it: a plan
		 * whose sweeps crawl is run again rather than continued */
		for (size_t i = 0; i < sc.nsnmp; i++)
			if (sc.snmp[i].crawl_depth) {
				os_err("--resume %ld: [snmp %s] crawls; a plan that crawls cannot be continued, run it again "
				       "(originscan scan -f %s)",
				       resume, sc.snmp[i].id, config);
				goto out;
			}
	}
	int lk = lock && only == nsteps ? take_lock(lock, &sc, &lockfd, err, sizeof err) : 0;
	if (lk != 0) {
		os_err("%s", err);
		rc = lk > 0 ? OS_EXIT_LOCKED : OS_EXIT_FAIL;
		goto out;
	}
	if (pg && !sc.lock && only == nsteps) {
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
	/* which parts this run writes, in order: 1 new, 2 the one resumed,
	 * 3 run again; a new scan, all of them; an existing one, those not
	 * complete (or the one named) */
	todo = xcalloc(nsteps + 1, 1);
	int64_t existing = resume;
	if (pt.scan && store_find_scan(st, pt.scan, &existing) == 0 && !existing) {
		char *end;
		long v = strtol(pt.scan, &end, 10);
		if (!*end && v > 0)
			existing = v;
	}
	if (existing) {
		struct part_states ps = {steps, nsteps, xcalloc(nsteps + 1, 1)};
		if (store_each_part(st, existing, part_state, &ps) < 0) {
			os_err("--%s %lld: %s", resume ? "resume" : "scan", (long long)existing, store_errmsg(st));
			free(ps.state);
			goto out;
		}
		const char *bad = NULL;
		size_t badi = 0;
		for (size_t i = 0; i < nsteps && !bad; i++) {
			if (only != nsteps && i != only)
				continue;
			if (resume) {
				/* the part cut short continues; those after it run */
				todo[i] = !strcmp(steps[i].name, rpart) ? 2 : ps.state[i] == 'p' ? 1
				        : ps.state[i] == 'x' ? 3 : 0;
				if (ps.state[i] == 0 || ps.state[i] == 'r')
					bad = ps.state[i] ? "is being written by another process" : "is not one of the scan's";
			} else if (ps.state[i] == 'p' || (ps.state[i] == 'x' && pt.rerun))
				todo[i] = ps.state[i] == 'x' ? 3 : 1;
			else if (ps.state[i] == 'c' && only != nsteps)
				bad = "is complete";
			else if (ps.state[i] == 'r' && only != nsteps)
				bad = "is being written by another process";
			else if (ps.state[i] == 'x')
				bad = "did not finish: run it again with --rerun";
			else if (ps.state[i] == 0)
				bad = "is not one of the scan's";
			badi = i;
		}
		free(ps.state);
		if (bad) {
			if (resume)
				os_err("--resume %ld: part %s %s", resume, steps[badi].name, bad);
			else
				os_err("--scan %s: part %s %s", pt.scan, steps[badi].name, bad);
			goto out;
		}
	} else
		for (size_t i = 0; i < nsteps; i++)
			todo[i] = only == nsteps || i == only;
	R.caps = xcalloc(sc.ncapture + 1, sizeof *R.caps);
	copts = xcalloc(sc.ncapture + 1, sizeof *copts);
	R.neighs = xcalloc(sc.nneigh + 1, sizeof *R.neighs);
	R.oss_fds = xcalloc(sc.noss + 1, sizeof *R.oss_fds);
	if (privileged_part(&sc, R.caps, copts, R.neighs, R.oss_fds, progress && os_verbosity > 0, err, sizeof err) < 0) {
		os_err("%s: %s", config, err);
		goto out;
	}
	R.st = st;
	R.progress = progress && os_verbosity > 0;
	req = scanconf_request_json(&sc);
	map = sc.sites.nsites ? sitemap_to_json(&sc.sites) : NULL;
	scope = xasprintf("scan:%s", sc.name);
	names = xcalloc(nsteps + 1, sizeof *names);
	for (size_t i = 0; i < nsteps; i++)
		names[i] = steps[i].name;
	struct scan_decl d = {.command = "scan", .request_json = req, .kb_version = kb_version(), .plan = sc.name,
	                      .scope = scope, .parts = names, .nparts = nsteps, .site_map_json = map};
	cli_signals();
	double t0 = os_mono();
	size_t ndev = 0;
	int ran = 0;
	R.scan = existing;
	R.status = SCAN_COMPLETE;
	for (size_t k = 0; k < nsteps && !os_stop; k++) {
		if (!todo[k])
			continue;
		const struct step *sp = &steps[k];
		uint64_t start = 0, granted = 0;
		if (todo[k] == 2) {
			/* the part becomes this process's, then what it left
			 * half-done goes */
			if ((rc = resume_point(st, &rs)) != 0)
				break;
			rc = OS_EXIT_FAIL;
			start = rs.start < sp->size ? rs.start : sp->size;
			granted = rs.granted >= sp->size ? sp->size : rs.granted;
			int dr = 0;
			if (sp->kind == STEP_SNMP)
				dr = resume_drop_partial(st, R.scan, &sc.snmp[sp->i].ts, targets_digest(&sc.snmp[sp->i].ts), 0, 1,
				                         start, granted);
			else if (rs.granted > 0)
				dr = drop_step(st, R.scan, &sc, steps, k);
			if (dr < 0) {
				os_err("--resume %ld: %s", resume, store_errmsg(st));
				break;
			}
			if (os_verbosity > 0 && (isatty(2) || os_verbosity > 1))
				fprintf(stderr, "originscan: resuming scan %ld at collector %zu of %zu (%s)\n", resume, k + 1,
				        nsteps, sp->name);
		} else {
			struct cli_part p = pt;
			char idbuf[32];
			p.part = sp->name;
			p.rerun = todo[k] == 3;
			p.resume = 0;
			if (R.scan) {
				snprintf(idbuf, sizeof idbuf, "%lld", (long long)R.scan);
				p.scan = idbuf;
			}
			int64_t scan;
			if ((rc = cli_begin(st, &d, &p, sp->name, &scan)) != 0)
				break;
			rc = OS_EXIT_FAIL;
			R.scan = scan;
		}
		ran++;
		int crc = sp->kind == STEP_SNMP ? run_snmp(&R, sp, &sc.snmp[sp->i], start, granted) : run_one(&R, &sc, sp);
		R.status = crc < 0 ? SCAN_FAILED : (crc > 0 || os_stop) ? SCAN_INTERRUPTED : SCAN_COMPLETE;
		if (R.status == SCAN_INTERRUPTED)
			snprintf(R.note, sizeof R.note, "stopped by a signal; continue with: originscan scan --resume %lld",
			         (long long)R.scan);
		if (R.status == SCAN_FAILED)
			os_err("scan %lld: %s", (long long)R.scan, R.note);
		if (scan_end(st, R.scan, c.as_of, &R.status, R.note, &ndev) < 0)
			break;
		/* the first collector that fails stops the run: the scan is
		 * failed, naming it; --resume (or --rerun) runs it and what is
		 * left */
		if (R.status != SCAN_COMPLETE && R.status != SCAN_RUNNING)
			break;
	}
	if (!ran) {
		if (rc == OS_EXIT_FAIL && !os_stop)
			os_err("--scan %s: no part left to run", pt.scan ? pt.scan : "?");
		goto out;
	}
	if (isatty(2) || os_verbosity > 1 || (R.status != SCAN_COMPLETE && R.status != SCAN_RUNNING)) {
		fprintf(stderr, "originscan: scan %lld (%s) %s: %llu targets, %llu answered, %llu unreachable",
		        (long long)R.scan, sc.name,
		        R.status == SCAN_RUNNING ? "waits for its other parts" : scan_status_name(R.status),
		        (unsigned long long)R.targets, (unsigned long long)R.answered, (unsigned long long)R.unreachable);
		if (R.skipped)
			fprintf(stderr, ", %llu already polled", (unsigned long long)R.skipped);
		fprintf(stderr, "; %zu devices in %.1f s\n", ndev, os_mono() - t0);
	}
	cli_warn_refused(R.scan, R.refused);
	if (R.status != SCAN_COMPLETE && R.status != SCAN_RUNNING && os_verbosity > 0)
		fprintf(stderr, "originscan: continue with: originscan scan --resume %lld\n", (long long)R.scan);
	rc = R.status == SCAN_RUNNING ? OS_EXIT_OK : cli_scan_exit(st, R.scan, R.status);
out:
	for (size_t i = 0; R.creds && i < sc.nsnmp; i++)
		snmp_creds_free(&R.creds[i]);
	free(R.creds);
	for (size_t i = 0; R.caps && i < sc.ncapture; i++)
		if (R.caps[i])
			capture_close(R.caps[i]);
	free(R.caps);
	free(copts);
	for (size_t i = 0; R.neighs && i < sc.nneigh; i++)
		neigh_close(R.neighs[i]);
	free(R.neighs);
	for (size_t i = 0; R.oss_fds && i < sc.noss; i++)
		oss_close_fds(R.oss_fds[i], sc.oss[i].nfiles);
	free(R.oss_fds);
	store_close(st);
	free(req);
	free(map);
	free(scope);
	free(names);
	free(todo);
	if (lockfd >= 0)
		close(lockfd);          /* releases the lock; the file stays (removing it would race) */
	free(lock);
	free(steps);
	resume_free(&rs, NULL);
	scanconf_free(&sc);
	free(cfg_copy);
	return rc;
}
