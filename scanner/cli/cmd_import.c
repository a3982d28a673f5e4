/* originscan import SITE.db: a site's SQLite scan into this database (a
 * central PostgreSQL server, or another SQLite file), as a part of a scan
 * or as a scan of its own, with where it came from.
 *
 * Air-gapped sites send a file. Nothing stored changes unless the whole
 * file reads back sound: it is copied aside first (the site's file is
 * never written, not even migrated), opened as an originscan database
 * (a foreign file is refused), checked page by page (quick_check), and
 * read through once, counting what the scan recorded and digesting every
 * row (SHA-256). The digest is the import's identity: the same scan
 * imported twice adds nothing. Only then is a part begun and the rows
 * copied; the scan is attributed when its last part completes.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan import SITE.db [--scan ID|NAME] [--part NAME] [--site NAME]\n"
	        "                         [--operator NAME] [--from-scan N]\n"
	        "\n"
	        "Copies a complete scan of a site's SQLite database (the latest, or\n"
	        "--from-scan N) into the database --db names, with its provenance: the\n"
	        "site, the collector's host, the originscan and knowledge-base versions.\n"
	        "  --scan ID|NAME   as a part of that scan (a scan declared with its parts,\n"
	        "                   or a new NAME); default: a scan of its own, dated as\n"
	        "                   the site's, compared with earlier imports of the site\n"
	        "  --part NAME      the part it is (default: the site)\n"
	        "  --site NAME      the site it covers (default: SITE.db's base name)\n"
	        "  --operator NAME  the operator whose network it covers\n"
	        "  --from-scan N    which scan of SITE.db (default: its latest complete one)\n"
	        "  --rerun          take the place of an import of the same part that did\n"
	        "                   not finish\n"
	        "Importing the same scan again adds nothing (exit 0). A damaged, truncated\n"
	        "or foreign file is refused (exit 2) and nothing stored changes.\n");
}

/* The site file, copied aside with its write-ahead log: opening an
 * SQLite file may write to it (recovery, migration). */
static int copy_file(const char *from, const char *to, int optional)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return optional && errno == ENOENT ? 0 : -1;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	char buf[1 << 16];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0 || close(out) < 0)
		rc = -1;
	close(in);
	return rc;
}

struct digest {
	EVP_MD_CTX *md;
	int64_t rows, targets;
};

static void dig_str(struct digest *g, const char *s)
{
	/* length-prefixed, so that field boundaries count */
	uint64_t n = s ? strlen(s) + 1 : 0;
	EVP_DigestUpdate(g->md, &n, sizeof n);
	if (s)
		EVP_DigestUpdate(g->md, s, n - 1);
}

static int dig_ev(void *ctx, const struct evidence *ev, int64_t row_id)
{
	struct digest *g = ctx;
	(void)row_id;
	g->rows++;
	dig_str(g, ev->collector);
	dig_str(g, subj_kind_name(ev->subj_kind));
	dig_str(g, ev->subject);
	dig_str(g, ev->key);
	uint64_t n = ev->value_len;
	EVP_DigestUpdate(g->md, &n, sizeof n);
	EVP_DigestUpdate(g->md, ev->value, ev->value_len);
	EVP_DigestUpdate(g->md, &ev->seen_us, sizeof ev->seen_us);
	dig_str(g, ev->source);
	return 0;
}

static int dig_target(void *ctx, const struct target_row *t)
{
	struct digest *g = ctx;
	g->targets++;
	dig_str(g, t->address);
	dig_str(g, t->state);
	dig_str(g, t->detail);
	dig_str(g, t->credential);
	return 0;
}

struct copy {
	struct ev_sink *sink;
	int64_t rows;
};

static int copy_ev(void *ctx, const struct evidence *ev, int64_t row_id)
{
	struct copy *c = ctx;
	(void)row_id;
	c->rows++;
	return c->sink->emit(c->sink, ev);
}

static int copy_target(void *ctx, const struct target_row *t)
{
	struct copy *c = ctx;
	return c->sink->target(c->sink, t->address, t->state, t->detail, t->credential);
}

struct prov_pick {
	char *host, *version;
};

static int first_part(void *ctx, const struct part_info *pi)
{
	struct prov_pick *p = ctx;
	if (!p->host && (pi->collector_host || pi->host))
		p->host = xstrdup(pi->collector_host ? pi->collector_host : pi->host);
	if (!p->version && pi->originscan_version)
		p->version = xstrdup(pi->originscan_version);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	static const struct option lo[] = {{"from-scan", required_argument, NULL, 'F'},
	                                   CLI_PART_LONGOPTS,
	                                   CLI_COMMON_LONGOPTS,
	                                   {NULL, 0, NULL, 0}};
	struct cli_common c;
	struct cli_part pt = {0};
	long from = 0;
	int opt;
	char err[1024];
	cli_common_init(&c);
	while ((opt = cli_next_opt(&c, argc, argv, "", lo, help)) > 0) {
		if (cli_part_opt(&pt, opt, optarg))
			continue;
		if (opt == 'F' && cli_int("--from-scan", optarg, 1, 0x7fffffffL, &from) < 0)
			return OS_EXIT_USAGE;
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (optind != argc - 1) {
		os_err("import: want one SITE.db (see originscan import --help)");
		return OS_EXIT_USAGE;
	}
	const char *site_db = argv[optind];
	struct stat sb;
	if (store_spec_is_pg(site_db)) {
		os_err("import: %s is a PostgreSQL database; import reads a site's SQLite file", site_db);
		return OS_EXIT_USAGE;
	}
	if (stat(site_db, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		os_err("import: %s: %s", site_db, errno ? strerror(errno) : "not a regular file");
		return OS_EXIT_FAIL;
	}
	/* the site: given, else the file's base name without .db */
	char site[256];
	const char *base = strrchr(site_db, '/');
	snprintf(site, sizeof site, "%s", pt.site ? pt.site : base ? base + 1 : site_db);
	if (!pt.site) {
		char *dot = strrchr(site, '.');
		if (dot && dot != site)
			*dot = 0;
	}

	char tmpl[] = "/tmp/originscan-import-XXXXXX";
	if (!mkdtemp(tmpl)) {
		os_err("import: cannot make a temporary directory: %s", strerror(errno));
		return OS_EXIT_FAIL;
	}
	char *copy = xasprintf("%s/site.db", tmpl), *copy_wal = xasprintf("%s/site.db-wal", tmpl);
	char *wal = xasprintf("%s-wal", site_db);
	int rc = OS_EXIT_FAIL;
	struct store *src = NULL, *st = NULL;
	struct scan_info si = {0};
	struct prov_pick pv = {NULL, NULL};
	EVP_MD_CTX *md = NULL;
	char *part_req = NULL;
	if (copy_file(site_db, copy, 0) < 0 || copy_file(wal, copy_wal, 1) < 0) {
		os_err("import: cannot copy %s aside: %s", site_db, strerror(errno));
		goto out;
	}

	/* 1. the site's file, read through once before anything is written */
	src = store_open(copy, err, sizeof err);
	if (!src) {
		/* the copy's name means nothing to the user: say the file's */
		struct buf m = {0};
		const char *p = err, *hit;
		while ((hit = strstr(p, copy))) {
			buf_add(&m, p, (size_t)(hit - p));
			buf_adds(&m, site_db);
			p = hit + strlen(copy);
		}
		buf_adds(&m, p);
		os_err("import: %s; nothing was imported", m.p);
		buf_free(&m);
		goto out;
	}
	if (store_verify(src, INT64_MAX) < 0) {
		os_err("import: %s is damaged; nothing was imported", site_db);
		goto out;
	}
	int64_t scan_src = from;
	if (!scan_src && store_latest_scan(src, 1, &scan_src) < 0) {
		os_err("import: %s: %s", site_db, store_errmsg(src));
		goto out;
	}
	if (!scan_src) {
		os_err("import: %s holds no complete scan; nothing was imported", site_db);
		goto out;
	}
	if (store_scan_info(src, scan_src, &si) < 0) {
		os_err("import: %s: %s", site_db, store_errmsg(src));
		goto out;
	}
	if (si.status != SCAN_COMPLETE) {
		os_err("import: scan %lld of %s is %s; only a complete scan is imported", (long long)scan_src, site_db,
		       scan_status_name(si.status));
		goto out;
	}
	struct digest g = {EVP_MD_CTX_new(), 0, 0};
	md = g.md;
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		os_err("import: cannot compute a digest");
		goto out;
	}
	dig_str(&g, "originscan import 1");
	EVP_DigestUpdate(md, &si.started_us, sizeof si.started_us);
	EVP_DigestUpdate(md, &si.ended_us, sizeof si.ended_us);
	dig_str(&g, si.command);
	dig_str(&g, si.request);
	dig_str(&g, si.kb_version);
	if (store_each_evidence_stored(src, scan_src, dig_ev, &g) < 0 || store_each_target(src, scan_src, dig_target, &g) < 0) {
		os_err("import: %s cannot be read whole (%s); nothing was imported", site_db, store_errmsg(src));
		goto out;
	}
	if (g.rows != si.evidence_rows || g.targets != si.targets) {
		os_err("import: %s is damaged: scan %lld recorded %lld evidence rows and %lld targets, %lld and %lld read "
		       "back; nothing was imported",
		       site_db, (long long)scan_src, (long long)si.evidence_rows, (long long)si.targets, (long long)g.rows,
		       (long long)g.targets);
		goto out;
	}
	unsigned char dg[32];
	unsigned int dlen = 0;
	EVP_DigestFinal_ex(md, dg, &dlen);
	char digest[80];
	for (unsigned int i = 0; i < dlen && i < 32; i++)
		snprintf(digest + 2 * i, 3, "%02x", dg[i]);
	if (store_each_part(src, scan_src, first_part, &pv) < 0) {
		os_err("import: %s: %s", site_db, store_errmsg(src));
		goto out;
	}

	/* 2. the central store: once only */
	if (cli_kb(&c) < 0 || !(st = cli_store(&c)))
		goto out;
	int64_t had_scan = 0;
	char had_part[256] = "";
	enum scan_status had_status = SCAN_COMPLETE;
	if (store_find_source(st, digest, &had_scan, had_part, sizeof had_part, &had_status) < 0) {
		os_err("%s", store_errmsg(st));
		goto out;
	}
	if (had_scan && had_status == SCAN_COMPLETE) {
		if (os_verbosity > 0)
			fprintf(stderr, "originscan: scan %lld of %s is already imported (scan %lld, part %s); nothing added\n",
			        (long long)scan_src, site_db, (long long)had_scan, had_part);
		rc = OS_EXIT_OK;
		goto out;
	}
	json_t *rq = json_object();
	json_object_set_new(rq, "import", json_string(site_db));
	json_object_set_new(rq, "site_scan", json_integer(scan_src));
	json_object_set_new(rq, "site_request", si.request ? json_string(si.request) : json_null());
	part_req = json_dumps(rq, JSON_COMPACT);
	json_decref(rq);
	struct part_prov prov = {.site = site, .operator_name = pt.operator_name,
	                         .collector_host = pv.host ? pv.host : "unknown",
	                         .originscan_version = pv.version ? pv.version : "unknown (before scans had parts)",
	                         .kb_version = si.kb_version, .request_json = part_req, .source_digest = digest};
	const char *part = pt.part ? pt.part : site;
	char *scope = xasprintf("site %s: %s", site, si.scope ? si.scope : si.command);
	const char *parts1[] = {part};
	struct scan_decl d = {.command = si.command, .request_json = si.request, .kb_version = si.kb_version,
	                      .plan = si.plan, .scope = scope, .parts = parts1, .nparts = 1, .prov = &prov,
	                      .site_map_json = si.site_map, .started_us = si.started_us};
	struct cli_part p = pt;
	p.part = part;
	char idbuf[32];
	if (had_scan) {
		/* an import of this scan that did not finish: its place */
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)had_scan);
		p.scan = idbuf;
		p.part = had_part;
		p.rerun = 1;
	} else if (pt.scan) {
		/* a part of an existing scan (declared with its parts: none are
		 * added), or of a new one of that name made of this part */
		int64_t exists = 0;
		if (store_find_scan(st, pt.scan, &exists) < 0) {
			os_err("%s", store_errmsg(st));
			goto out;
		}
		if (exists) {
			d.parts = NULL;
			d.nparts = 0;
		}
	}
	int64_t scan;
	rc = cli_begin(st, &d, &p, part, &scan);
	free(scope);
	if (rc)
		goto out;
	rc = OS_EXIT_FAIL;
	struct copy cp = {store_sink(st, scan), 0};
	enum scan_status status = SCAN_COMPLETE;
	const char *note = NULL;
	cli_signals();
	if (store_each_evidence_stored(src, scan_src, copy_ev, &cp) < 0 ||
	    store_each_target(src, scan_src, copy_target, &cp) < 0) {
		os_err("import: %s / %s", store_errmsg(src), store_errmsg(st));
		status = SCAN_FAILED;
		note = "the import could not be written whole";
	} else if (os_stop) {
		status = SCAN_INTERRUPTED;
		note = "stopped by a signal";
	}
	size_t ndev = 0;
	if (scan_end(st, scan, c.as_of, &status, note, &ndev) < 0)
		goto out;
	if (os_verbosity > 0)
		fprintf(stderr, "originscan: imported scan %lld of %s (site %s, %lld evidence rows) as %s of scan %lld%s\n",
		        (long long)scan_src, site_db, site, (long long)cp.rows, p.part ? p.part : part, (long long)scan,
		        status == SCAN_RUNNING ? ", which waits for its other parts" : status == SCAN_COMPLETE ? "" : ": not whole");
	rc = cli_scan_exit(st, scan, status);
out:
	if (md)
		EVP_MD_CTX_free(md);
	store_close(st);
	store_close(src);
	scan_info_free(&si);
	free(pv.host);
	free(pv.version);
	free(part_req);
	unlink(copy);
	unlink(copy_wal);
	char *shm = xasprintf("%s/site.db-shm", tmpl);
	unlink(shm);
	free(shm);
	rmdir(tmpl);
	free(copy);
	free(copy_wal);
	free(wal);
	return rc;
}
