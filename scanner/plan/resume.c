/* The resume protocol of interrupted sweeps (include/resume.h): one
 * place for what every collector that walks a target set does to record
 * what it was asked and to continue where it stopped. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resume.h"
#include "snmp_collect.h"
#include "util.h"

int sweep_targets(struct target_set *ts, const struct sweep_ask *a)
{
	char err[512];
	targets_init(ts, (uint16_t)a->port);
	for (int i = 0; i < a->ntargets; i++)
		if (targets_add(ts, a->targets[i], err, sizeof err) < 0) {
			os_err("%s", err);
			return OS_EXIT_USAGE;
		}
	if (a->in_list && targets_add_file(ts, a->in_list, err, sizeof err) < 0) {
		os_err("-iL: %s", err);
		return OS_EXIT_FAIL;
	}
	for (int i = 0; i < a->nexcl; i++)
		if (targets_exclude(ts, a->excludes[i], err, sizeof err) < 0) {
			os_err("--exclude: %s", err);
			return OS_EXIT_USAGE;
		}
	if (!ts->total) {
		os_err("no targets given (see --help)");
		return OS_EXIT_USAGE;
	}
	uint64_t dup = targets_dedupe(ts);
	if (dup)
		os_warn("%llu address%s given more than once: each is polled once", (unsigned long long)dup,
		        dup == 1 ? " was" : "es were");
	/* a scan of nothing would look complete, and every device of the
	 * previous scan removed */
	struct target t;
	uint64_t i = 0;
	while (i < ts->total && !targets_get(ts, i, &t))
		i++;
	if (i == ts->total) {
		os_err("no targets left: --exclude removes every address given");
		return OS_EXIT_USAGE;
	}
	return 0;
}

char *sweep_scope(const char *command, const struct sweep_ask *a, const struct target_set *ts, const char *settings)
{
	/* every shard of a sweep has the same scope: the whole set, never
	 * the shard */
	(void)a;
	return xasprintf("%s targets=%016" PRIx64 "%s%s", command, targets_digest(ts), settings ? " " : "",
	                 settings ? settings : "");
}

void sweep_part_name(const struct sweep_ask *a, uint64_t shard, char *out, size_t outlen)
{
	if (a->nshards > 1)
		snprintf(out, outlen, "shard-%" PRIu64 "-of-%" PRIu64, shard + 1, a->nshards);
	else
		snprintf(out, outlen, "main");
}

static void hex64(char *out, size_t len, uint64_t v)
{
	snprintf(out, len, "%016" PRIx64, v);
}

json_t *sweep_request(const struct sweep_ask *a, const struct target_set *ts)
{
	json_t *req = json_object(), *tl = json_array(), *ex = json_array();
	char buf[48];
	for (int i = 0; i < a->ntargets; i++)
		json_array_append_new(tl, json_string(a->targets[i]));
	json_object_set_new(req, "targets", tl);
	if (a->in_list) {
		/* absolute: a resume may run from another directory */
		char *abs = os_abspath(a->in_list);
		json_object_set_new(req, "target_file", json_string(abs));
		free(abs);
	}
	for (int i = 0; i < a->nexcl; i++)
		json_array_append_new(ex, json_string(a->excludes[i]));
	json_object_set_new(req, "exclude", ex);
	json_object_set_new(req, "port", json_integer(a->port));
	hex64(buf, sizeof buf, a->seed);
	json_object_set_new(req, "seed", json_string(buf));
	snprintf(buf, sizeof buf, "%" PRIu64 "/%" PRIu64, a->shard + 1, a->nshards);
	json_object_set_new(req, "shard", json_string(buf));
	hex64(buf, sizeof buf, targets_digest(ts));
	json_object_set_new(req, "target_digest", json_string(buf));
	json_object_set_new(req, "address_count", json_integer((json_int_t)ts->total));
	return req;
}

/* The ask's strings point into r->request. */
static void ask_from_request(struct sweep_ask *a, const json_t *r)
{
	json_t *tl = json_object_get(r, "targets"), *ex = json_object_get(r, "exclude"), *v;
	size_t i;
	a->targets = xcalloc(json_array_size(tl) + 1, sizeof *a->targets);
	a->ntargets = 0;
	json_array_foreach(tl, i, v) if (json_is_string(v)) a->targets[a->ntargets++] = json_string_value(v);
	a->excludes = xcalloc(json_array_size(ex) + 1, sizeof *a->excludes);
	a->nexcl = 0;
	json_array_foreach(ex, i, v) if (json_is_string(v)) a->excludes[a->nexcl++] = json_string_value(v);
	a->in_list = NULL;
	if ((v = json_object_get(r, "target_file")) && json_is_string(v))
		a->in_list = json_string_value(v);
	if ((v = json_object_get(r, "port")) && json_is_integer(v))
		a->port = (long)json_integer_value(v);
	if ((v = json_object_get(r, "seed")) && json_is_string(v)) {
		a->seed = strtoull(json_string_value(v), NULL, 16);
		a->seed_set = 1;
	}
	unsigned long long si = 1, sn = 1;
	if ((v = json_object_get(r, "shard")) && json_is_string(v) &&
	    sscanf(json_string_value(v), "%llu/%llu", &si, &sn) == 2 && si >= 1 && si <= sn) {
		a->shard = si - 1;
		a->nshards = sn;
	}
}

static int only_part(void *ctx, const struct part_info *pi)
{
	char **names = ctx;
	if (!names[0])
		names[0] = xstrdup(pi->name);
	else if (!names[1])
		names[1] = xstrdup(pi->name);
	return 0;
}

int resume_begin(struct store *st, int64_t scan, const char *part, const char *command, struct resume *r)
{
	struct scan_info si;
	struct part_info pi;
	json_error_t je;
	memset(r, 0, sizeof *r);
	memset(&pi, 0, sizeof pi);
	r->scan = scan;
	if (store_scan_info(st, scan, &si) < 0) {
		os_err("--resume: %s", store_errmsg(st));
		return OS_EXIT_FAIL;
	}
	int rc = OS_EXIT_FAIL;
	char *names[2] = {NULL, NULL};
	if (!part) {
		/* the scan's only part */
		if (store_each_part(st, scan, only_part, names) < 0) {
			os_err("--resume: %s", store_errmsg(st));
			goto out;
		}
		if (names[1]) {
			os_err("--resume %lld: the scan has several parts; say which with --part", (long long)scan);
			rc = OS_EXIT_USAGE;
			goto out;
		}
		part = names[0] ? names[0] : "main";
	}
	if (store_part_info(st, scan, part, &pi) < 0) {
		os_err("--resume %lld: %s", (long long)scan, store_errmsg(st));
		goto out;
	}
	snprintf(r->part, sizeof r->part, "%s", part);
	/* a part of a declared scan says itself what it was (its request) */
	if (strcmp(si.command, command) && !pi.request) {
		os_err("--resume %lld: scan %lld is a '%s' scan, not a '%s' one", (long long)scan, (long long)scan,
		       si.command, command);
		goto out;
	}
	/* what the part was asked, else what the scan was */
	r->request = json_loads(pi.request ? pi.request : si.request ? si.request : "", 0, &je);
	if (!r->request || !json_is_object(r->request) ||
	    (!json_is_string(json_object_get(r->request, "target_digest")) &&
	     !json_is_array(json_object_get(r->request, "collectors")))) {
		os_err("scan %lld was not recorded by a resumable sweep; start a new scan", (long long)scan);
		goto out;
	}
	if (pi.status == SCAN_COMPLETE || pi.pending) {
		os_err("--resume %lld: %s is %s; only an interrupted or failed scan can be resumed", (long long)scan,
		       si.parts > 1 ? "the part" : "the scan", pi.pending ? "not started" : "complete");
		goto out;
	}
	rc = 0;
out:
	free(names[0]);
	free(names[1]);
	part_info_free(&pi);
	scan_info_free(&si);
	return rc;
}

int resume_read(struct store *st, int64_t scan, const char *part, const char *command, struct sweep_ask *a,
                struct target_set *ts, struct resume *r)
{
	int rc = resume_begin(st, scan, part, command, r);
	if (rc)
		return rc;
	if (!json_is_string(json_object_get(r->request, "target_digest"))) {
		os_err("scan %lld was not recorded by a resumable sweep; start a new scan", (long long)scan);
		return OS_EXIT_FAIL;
	}
	ask_from_request(a, r->request);
	r->owns_ask = 1;
	if ((rc = sweep_targets(ts, a)) != 0)
		return rc;
	char digest[24];
	hex64(digest, sizeof digest, targets_digest(ts));
	if (strcmp(digest, json_string_value(json_object_get(r->request, "target_digest")))) {
		os_err("--resume %lld: the target set is not the one the scan started with (was %s changed?)",
		       (long long)scan, a->in_list ? a->in_list : "the target list");
		return OS_EXIT_FAIL;
	}
	return 0;
}

void resume_int(const struct resume *r, const char *name, int given, int *val)
{
	json_t *v = json_object_get(r->request, name);
	if (!given && v && json_is_integer(v))
		*val = (int)json_integer_value(v);
}

void resume_double(const struct resume *r, const char *name, int given, double *val)
{
	json_t *v = json_object_get(r->request, name);
	if (!given && v && json_is_number(v))
		*val = json_number_value(v);
}

const char *resume_str(const struct resume *r, const char *name)
{
	json_t *v = json_object_get(r->request, name);
	return v && json_is_string(v) ? json_string_value(v) : NULL;
}

int resume_bool(const struct resume *r, const char *name)
{
	json_t *v = json_object_get(r->request, name);
	return v && json_is_boolean(v) ? json_is_true(v) : -1;
}

int resume_drop_partial(struct store *st, int64_t scan, const struct target_set *ts, uint64_t seed, uint64_t shard,
                        uint64_t nshards, uint64_t from, uint64_t to)
{
	struct target_order ord;
	struct target t;
	targets_order_init(&ord, ts, seed, shard, nshards);
	if (to > ord.count)
		to = ord.count;
	json_t *list = json_array();
	for (uint64_t p = from; p < to; p++) {
		if (!targets_get(ts, targets_order_index(&ord, p), &t))
			continue;
		int d = store_target_done(st, scan, t.name);
		if (d < 0) {
			json_decref(list);
			return -1;
		}
		if (!d) {
			char src[90];
			snprintf(src, sizeof src, "%s%s%s:%u", t.sa.ss_family == AF_INET6 ? "[" : "", t.addr,
			         t.sa.ss_family == AF_INET6 ? "]" : "", t.port);
			json_array_append_new(list, json_string(src));
		}
	}
	int rc = 0;
	if (json_array_size(list)) {
		char *s = json_dumps(list, JSON_COMPACT);
		rc = store_drop_partial(st, scan, s);
		free(s);
	}
	json_decref(list);
	return rc;
}

int resume_point(struct store *st, struct resume *r)
{
	/* the part is this process's first (a running one is refused), then
	 * its resume point is read and what it left half-done may go */
	int64_t part;
	if (store_begin_part(st, r->scan, r->part, NULL, PART_RESUME, &part) < 0) {
		os_err("--resume %lld: %s", (long long)r->scan, store_errmsg(st));
		return OS_EXIT_FAIL;
	}
	int g = store_get_resume_point(st, r->scan, &r->start, &r->granted);
	if (g < 0) {
		os_err("%s", store_errmsg(st));
		return OS_EXIT_FAIL;
	}
	if (g > 0) {
		r->start = 0;
		r->granted = UINT64_MAX;        /* no point recorded: every target may be done */
	}
	return 0;
}

int resume_reopen(struct store *st, struct resume *r, const struct target_set *ts, const struct sweep_ask *a)
{
	int rc = resume_point(st, r);
	if (rc)
		return rc;
	if (resume_drop_partial(st, r->scan, ts, a->seed, a->shard, a->nshards, r->start, r->granted) < 0) {
		os_err("--resume %lld: %s", (long long)r->scan, store_errmsg(st));
		return OS_EXIT_FAIL;
	}
	return 0;
}

int resume_checkpoint(struct store *st, int64_t scan, uint64_t done_below, uint64_t granted, double *last_commit)
{
	if (store_set_resume_point(st, scan, done_below, granted) < 0)
		return -1;
	double now = os_mono();
	if (now - *last_commit < 1.0)
		return 0;
	*last_commit = now;
	return store_commit(st);
}

void resume_free(struct resume *r, struct sweep_ask *a)
{
	if (r->owns_ask && a) {
		free(a->targets);
		free(a->excludes);
		a->targets = NULL;
		a->excludes = NULL;
		r->owns_ask = 0;
	}
	json_decref(r->request);
	r->request = NULL;
}

/* ---------- the crawl's frontier ---------- */

struct crawl_rows {
	json_t *addr;                   /* address -> {"via": source, "depth": n, "np": bool} */
	json_t *stated;                 /* address -> [chassis subjects stating it] */
	const char *port_suffix;
};

static int crawl_row(void *p, const struct evidence *ev, int64_t id)
{
	struct crawl_rows *cr = p;
	(void)id;
	char val[80];
	if (ev->value_len >= sizeof val)
		return 0;
	memcpy(val, ev->value, ev->value_len);
	val[ev->value_len] = 0;
	if (ev->subj_kind == SUBJ_CHASSIS && (!strcmp(ev->key, "lldp.mgmt-addr") || !strcmp(ev->key, "cdp.address"))) {
		json_t *l = json_object_get(cr->stated, val);
		if (!l)
			json_object_set_new(cr->stated, val, l = json_array());
		json_array_append_new(l, json_string(ev->subject));
		return 0;
	}
	if (ev->subj_kind != SUBJ_IP || strncmp(ev->key, "crawl.", 6))
		return 0;
	json_t *o = json_object_get(cr->addr, ev->subject);
	if (!o)
		json_object_set_new(cr->addr, ev->subject, o = json_object());
	if (!strcmp(ev->key, "crawl.via"))
		json_object_set_new(o, "src", json_string(ev->source ? ev->source : ""));
	else if (!strcmp(ev->key, "crawl.depth"))
		json_object_set_new(o, "depth", json_integer(strtol(val, NULL, 10)));
	else if (!strcmp(ev->key, "crawl.not-polled"))
		json_object_set_new(o, "np", json_true());
	return 0;
}

static void target_source(char *out, size_t len, const char *addr, unsigned port)
{
	int v6 = strchr(addr, ':') != NULL;
	snprintf(out, len, "%s%s%s:%u", v6 ? "[" : "", addr, v6 ? "]" : "", port);
}

static int by_depth(const void *a, const void *b)
{
	const struct crawl_known *x = a, *y = b;
	return (x->depth > y->depth) - (x->depth < y->depth);
}

int resume_crawl(struct store *st, const struct resume *r, unsigned port, struct crawl_known **known, size_t *n,
                 json_t **strings)
{
	struct crawl_rows cr = {json_object(), json_object(), NULL};
	json_t *drop = json_array();
	const char *a;
	json_t *o;
	int rc = OS_EXIT_FAIL;
	*known = NULL;
	*n = 0;
	*strings = NULL;
	if (store_each_evidence_stored(st, r->scan, crawl_row, &cr) < 0)
		goto fail;
	/* queued, not done: polled half-way at most */
	json_object_foreach(cr.addr, a, o) {
		if (json_is_true(json_object_get(o, "np")) || !json_object_get(o, "src"))
			continue;
		int d = store_target_done(st, r->scan, a);
		if (d < 0)
			goto fail;
		json_object_set_new(o, "done", json_boolean(d));
		if (!d) {
			char src[90];
			target_source(src, sizeof src, a, port);
			json_array_append_new(drop, json_string(src));
		}
	}
	if (json_array_size(drop)) {
		char *s = json_dumps(drop, JSON_COMPACT);
		int d = store_drop_partial(st, r->scan, s);
		free(s);
		if (d < 0)
			goto fail;
	}
	/* the crawl's decisions stand (their source is "crawl:PARENT", not
	 * dropped with a parent polled again): every address met is known */
	json_t *out = json_array();
	size_t cap = json_object_size(cr.addr) + 1, k = 0;
	*known = xcalloc(cap * 4, sizeof **known);
	json_object_foreach(cr.addr, a, o) {
		if (!json_object_get(o, "src"))
			continue;
		json_array_append_new(out, json_string(a));
		struct crawl_known *ck = &(*known)[k++];
		ck->addr = json_string_value(json_array_get(out, json_array_size(out) - 1));
		ck->depth = (int)json_integer_value(json_object_get(o, "depth"));
		ck->poll = !json_is_true(json_object_get(o, "np")) && !json_is_true(json_object_get(o, "done"));
		/* the neighbours that stated it: taken */
		json_t *subs = json_object_get(cr.stated, a), *sv;
		size_t i;
		json_array_foreach(subs, i, sv) {
			if (k == cap * 4)
				break;
			json_array_append_new(out, json_incref(sv));
			struct crawl_known *cc = &(*known)[k++];
			cc->addr = json_string_value(sv);
			cc->chassis = 1;
		}
	}
	/* the frontier in order of depth, stably: sort the ones to poll */
	qsort(*known, k, sizeof **known, by_depth);
	*n = k;
	*strings = out;
	rc = 0;
	if (os_verbosity > 0 && json_array_size(drop))
		fprintf(stderr, "originscan: %zu crawled addresses polled half-way are polled again\n",
		        json_array_size(drop));
	goto out;
fail:
	os_err("--resume %lld: %s", (long long)r->scan, store_errmsg(st));
	free(*known);
	*known = NULL;
out:
	json_decref(cr.addr);
	json_decref(cr.stated);
	json_decref(drop);
	return rc;
}

/* ---------- files a scan reads ---------- */

json_t *file_identity(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) < 0)
		return NULL;
	return json_pack("{s:I,s:I,s:I,s:I}", "dev", (json_int_t)sb.st_dev, "ino", (json_int_t)sb.st_ino, "size",
	                 (json_int_t)sb.st_size, "mtime_ns",
	                 (json_int_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec);
}

int file_identity_same(const char *path, const json_t *id, char *err, size_t errlen)
{
	json_t *now = file_identity(path);
	if (!now) {
		os_seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int same = json_equal(now, id);
	if (!same) {
		json_int_t a = json_integer_value(json_object_get(id, "ino")), b = json_integer_value(json_object_get(now, "ino"));
		json_int_t sa = json_integer_value(json_object_get(id, "size")),
		           sb = json_integer_value(json_object_get(now, "size"));
		if (a != b || json_integer_value(json_object_get(id, "dev")) != json_integer_value(json_object_get(now, "dev")))
			os_seterr(err, errlen, "%s is another file than the one the scan began with (not the same inode)",
			          path);
		else if (sa != sb)
			os_seterr(err, errlen, "%s was changed since the scan began (%lld bytes then, %lld now)", path,
			          (long long)sa, (long long)sb);
		else
			os_seterr(err, errlen, "%s was changed since the scan began (modified since)", path);
	}
	json_decref(now);
	return same ? 0 : -1;
}

const char *resume_file(const struct resume *r, const char *key, const char *what, int allow_changed, int *rc)
{
	char idkey[64], err[600];
	const char *path = resume_str(r, key);
	*rc = 0;
	if (!path)
		return NULL;
	snprintf(idkey, sizeof idkey, "%s_id", key);
	json_t *id = json_object_get(r->request, idkey);
	if (!id)
		return path;            /* recorded by an older originscan: no identity to check */
	if (file_identity_same(path, id, err, sizeof err) == 0)
		return path;
	if (allow_changed && access(path, R_OK) == 0) {
		os_warn("--resume %lld: %s %s; using it as it is now (--allow-changed-files)", (long long)r->scan, what,
		        err);
		return path;
	}
	os_err("--resume %lld: %s %s; give --allow-changed-files to use it anyway, or name the file to use", (long long)r->scan,
	       what, err);
	*rc = OS_EXIT_FAIL;
	return NULL;
}
