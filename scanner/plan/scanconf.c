/* Scan configuration files (include/scanconf.h), parsed with the
 * project's stanza reader (include/stanza.h): the same syntax as data/,
 * no new dependency, and a parser the kb tests already exercise. This
 * file only gives the stanzas their meaning. */
#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resume.h"
#include "scanconf.h"
#include "stanza.h"
#include "store.h"
#include "util.h"

#define MAX_CONFIG (4 * 1024 * 1024)

static void strv_add(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Numbers: the whole value, within bounds. */
static int num(const struct stanza *s, const struct kv *kv, double min, double max, double *out, char *err,
               size_t errlen)
{
	char *end;
	errno = 0;
	double v = strtod(kv->val, &end);
	if (errno || end == kv->val || *end || v < min || v > max) {
		os_seterr(err, errlen, "%s:%d: [%s %s] %s = '%s': want a number from %g to %g", s->file, kv->line,
		          s->type, s->id, kv->key, kv->val, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int whole(const struct stanza *s, const struct kv *kv, long min, long max, long *out, char *err,
                 size_t errlen)
{
	double d;
	if (num(s, kv, (double)min, (double)max, &d, err, errlen) < 0)
		return -1;
	if (d != (double)(long)d) {
		os_seterr(err, errlen, "%s:%d: [%s %s] %s = '%s': want a whole number", s->file, kv->line, s->type,
		          s->id, kv->key, kv->val);
		return -1;
	}
	*out = (long)d;
	return 0;
}

static int unknown_key(const struct stanza *s, const struct kv *kv, const char *known, char *err, size_t errlen)
{
	os_seterr(err, errlen, "%s:%d: [%s %s] unknown key '%s' (known: %s)", s->file, kv->line, s->type, s->id,
	          kv->key, known);
	return -1;
}

/* target, targets-file and exclude: 1 taken, 0 not such a key, -1 error. */
static int target_key(const struct stanza *s, const struct kv *kv, struct target_set *ts, char ***targets,
                      size_t *ntargets, char ***files, size_t *nfiles, char ***excludes, size_t *nexcludes,
                      char *err, size_t errlen)
{
	char e2[400];
	if (!strcmp(kv->key, "target")) {
		strv_add(targets, ntargets, kv->val);
		/* several words on one line are several targets */
		char *copy = xstrdup(kv->val), *save = NULL;
		for (char *w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save))
			if (targets_add(ts, w, e2, sizeof e2) < 0) {
				os_seterr(err, errlen, "%s:%d: [%s %s] %s", s->file, kv->line, s->type, s->id, e2);
				free(copy);
				return -1;
			}
		free(copy);
		return 1;
	}
	if (!strcmp(kv->key, "targets-file")) {
		/* relative to the configuration's directory, as every path
		 * in it: a cron job's working directory is not the config's */
		char *path = os_path_relative_to(kv->val, s->file);
		strv_add(files, nfiles, path);
		free(path);
		if (targets_add_file(ts, (*files)[*nfiles - 1], e2, sizeof e2) < 0) {
			os_seterr(err, errlen, "%s:%d: [%s %s] targets-file: %s", s->file, kv->line, s->type, s->id, e2);
			return -1;
		}
		return 1;
	}
	if (!strcmp(kv->key, "exclude")) {
		strv_add(excludes, nexcludes, kv->val);
		return 1;
	}
	return 0;
}

/* The exclusions, after every target whatever the order in the stanza,
 * and at least one target. */
static int targets_end(const struct stanza *s, struct target_set *ts, char **excludes, size_t nexcludes, char *err,
                       size_t errlen)
{
	char e2[400];
	for (size_t i = 0; i < nexcludes; i++)
		if (targets_exclude(ts, excludes[i], e2, sizeof e2) < 0) {
			os_seterr(err, errlen, "%s: [%s %s] exclude: %s", s->file, s->type, s->id, e2);
			return -1;
		}
	if (!ts->total) {
		os_seterr(err, errlen, "%s:%d: [%s %s] has no target (target = ... or targets-file = ...)", s->file,
		          s->line, s->type, s->id);
		return -1;
	}
	return 0;
}

static int yes_no(const struct stanza *s, const struct kv *kv, int *out, char *err, size_t errlen)
{
	if (!strcmp(kv->val, "yes") || !strcmp(kv->val, "true"))
		*out = 1;
	else if (!strcmp(kv->val, "no") || !strcmp(kv->val, "false"))
		*out = 0;
	else {
		os_seterr(err, errlen, "%s:%d: [%s %s] %s = '%s': want yes or no", s->file, kv->line, s->type, s->id,
		          kv->key, kv->val);
		return -1;
	}
	return 0;
}

static int load_snmp(const struct stanza *s, struct scanconf *c, char *err, size_t errlen)
{
	c->snmp = xrealloc(c->snmp, (c->nsnmp + 1) * sizeof *c->snmp);
	struct scanconf_snmp *o = &c->snmp[c->nsnmp++];
	memset(o, 0, sizeof *o);
	o->id = xstrdup(s->id);
	o->line = s->line;
	o->port = 161;
	o->version = 2;
	o->timeout_ms = o->retries = o->concurrency = -1;
	o->rate = -1;
	/* the port applies to every target: read it before the targets */
	for (size_t i = 0; i < s->nkv; i++)
		if (!strcmp(s->kv[i].key, "port") && whole(s, &s->kv[i], 1, 65535, &o->port, err, errlen) < 0)
			return -1;
	targets_init(&o->ts, (uint16_t)o->port);
	for (size_t i = 0; i < s->nkv; i++) {
		const struct kv *kv = &s->kv[i];
		const char *k = kv->key;
		int t = target_key(s, kv, &o->ts, &o->targets, &o->ntargets, &o->target_files, &o->ntarget_files,
		                   &o->excludes, &o->nexcludes, err, errlen);
		if (t < 0)
			return -1;
		if (t) {
			continue;
		} else if (!strcmp(k, "port")) {
			continue;
		} else if (!strcmp(k, "version")) {
			if (!strcmp(kv->val, "1"))
				o->version = 1;
			else if (!strcmp(kv->val, "2c") || !strcmp(kv->val, "2"))
				o->version = 2;
			else {
				os_seterr(err, errlen, "%s:%d: [snmp %s] version = '%s': want 1 or 2c", s->file, kv->line,
				          s->id, kv->val);
				return -1;
			}
		} else if (!strcmp(k, "credentials")) {
			free(o->credentials);
			o->credentials = os_path_relative_to(kv->val, s->file);
		} else if (!strcmp(k, "timeout")) {
			if (whole(s, kv, 10, 600000, &o->timeout_ms, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "retries")) {
			if (whole(s, kv, 0, 20, &o->retries, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "concurrency")) {
			if (whole(s, kv, 1, 65536, &o->concurrency, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "rate")) {
			if (num(s, kv, 0, 1e7, &o->rate, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "crawl")) {
			int yes;
			if (!strcmp(kv->val, "yes") || !strcmp(kv->val, "no")) {
				yes_no(s, kv, &yes, err, errlen);
				o->crawl_depth = yes ? 2 : 0;
			} else if (whole(s, kv, 0, 1000000, &o->crawl_depth, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "scope")) {
			strv_add(&o->scope, &o->nscope, kv->val);
		} else
			return unknown_key(s, kv,
			                   "target targets-file exclude port version credentials timeout retries "
			                   "concurrency rate crawl scope",
			                   err, errlen);
	}
	if (o->nscope && !o->crawl_depth) {
		os_seterr(err, errlen, "%s:%d: [snmp %s] scope = ... without crawl = ...", s->file, s->line, s->id);
		return -1;
	}
	if (targets_end(s, &o->ts, o->excludes, o->nexcludes, err, errlen) < 0)
		return -1;
	o->duplicates = targets_dedupe(&o->ts);
	return 0;
}

static int load_probe(const struct stanza *s, struct scanconf *c, char *err, size_t errlen)
{
	c->probe = xrealloc(c->probe, (c->nprobe + 1) * sizeof *c->probe);
	struct scanconf_probe *o = &c->probe[c->nprobe++];
	memset(o, 0, sizeof *o);
	o->id = xstrdup(s->id);
	o->line = s->line;
	o->snmp = 1;
	o->snmp_port = 161;
	o->timeout_ms = o->connect_timeout_ms = o->concurrency = -1;
	o->rate = -1;
	targets_init(&o->ts, 0);
	for (size_t i = 0; i < s->nkv; i++) {
		const struct kv *kv = &s->kv[i];
		const char *k = kv->key;
		int t = target_key(s, kv, &o->ts, &o->targets, &o->ntargets, &o->target_files, &o->ntarget_files,
		                   &o->excludes, &o->nexcludes, err, errlen);
		if (t < 0)
			return -1;
		if (t)
			continue;
		if (!strcmp(k, "ports")) {
			free(o->ports);
			o->ports = xstrdup(kv->val);
		} else if (!strcmp(k, "snmp")) {
			if (yes_no(s, kv, &o->snmp, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "snmp-port")) {
			if (whole(s, kv, 1, 65535, &o->snmp_port, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "timeout")) {
			if (whole(s, kv, 10, 600000, &o->timeout_ms, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "connect-timeout")) {
			if (whole(s, kv, 10, 600000, &o->connect_timeout_ms, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "concurrency")) {
			if (whole(s, kv, 1, 65536, &o->concurrency, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "rate")) {
			if (num(s, kv, 0, 1e7, &o->rate, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "user")) {
			free(o->user);
			o->user = xstrdup(kv->val);
		} else
			return unknown_key(s, kv,
			                   "target targets-file exclude ports snmp snmp-port timeout connect-timeout "
			                   "concurrency rate user",
			                   err, errlen);
	}
	return targets_end(s, &o->ts, o->excludes, o->nexcludes, err, errlen);
}

static int load_capture(const struct stanza *s, struct scanconf *c, char *err, size_t errlen)
{
	c->capture = xrealloc(c->capture, (c->ncapture + 1) * sizeof *c->capture);
	struct scanconf_capture *o = &c->capture[c->ncapture++];
	memset(o, 0, sizeof *o);
	o->id = xstrdup(s->id);
	o->line = s->line;
	for (size_t i = 0; i < s->nkv; i++) {
		const struct kv *kv = &s->kv[i];
		const char *k = kv->key;
		if (!strcmp(k, "interface"))
			strv_add(&o->ifaces, &o->nifaces, kv->val);
		else if (!strcmp(k, "file")) {
			char *path = os_path_relative_to(kv->val, s->file);
			strv_add(&o->files, &o->nfiles, path);
			free(path);
		}
		else if (!strcmp(k, "duration")) {
			if (num(s, kv, 0.1, 7 * 86400, &o->duration_s, err, errlen) < 0)
				return -1;
		} else if (!strcmp(k, "filter")) {
			free(o->filter);
			o->filter = xstrdup(kv->val);
		} else if (!strcmp(k, "user")) {
			free(o->user);
			o->user = xstrdup(kv->val);
		} else if (!strcmp(k, "snaplen")) {
			if (whole(s, kv, 64, 262144, &o->snaplen, err, errlen) < 0)
				return -1;
		} else
			return unknown_key(s, kv, "interface file duration filter user snaplen", err, errlen);
	}
	if (!o->nifaces && !o->nfiles) {
		os_seterr(err, errlen, "%s:%d: [capture %s] needs interface = ... or file = ...", s->file, s->line, s->id);
		return -1;
	}
	/* A scheduled scan must end: a live capture needs a duration. */
	if (o->nifaces && o->duration_s <= 0) {
		os_seterr(err, errlen, "%s:%d: [capture %s] listens on an interface: give duration = SECONDS", s->file,
		          s->line, s->id);
		return -1;
	}
	return 0;
}

static int load_neigh(const struct stanza *s, struct scanconf *c, char *err, size_t errlen)
{
	c->neigh = xrealloc(c->neigh, (c->nneigh + 1) * sizeof *c->neigh);
	struct scanconf_neigh *o = &c->neigh[c->nneigh++];
	memset(o, 0, sizeof *o);
	o->id = xstrdup(s->id);
	o->line = s->line;
	for (size_t i = 0; i < s->nkv; i++) {
		const struct kv *kv = &s->kv[i];
		if (!strcmp(kv->key, "netns")) {
			free(o->netns);
			o->netns = xstrdup(kv->val);
		} else if (!strcmp(kv->key, "watch")) {
			if (num(s, kv, 0, 86400, &o->watch_s, err, errlen) < 0)
				return -1;
		} else
			return unknown_key(s, kv, "netns watch", err, errlen);
	}
	return 0;
}

static int load_oss(const struct stanza *s, struct scanconf *c, char *err, size_t errlen)
{
	c->oss = xrealloc(c->oss, (c->noss + 1) * sizeof *c->oss);
	struct scanconf_oss *o = &c->oss[c->noss++];
	memset(o, 0, sizeof *o);
	o->id = xstrdup(s->id);
	o->line = s->line;
	for (size_t i = 0; i < s->nkv; i++) {
		const struct kv *kv = &s->kv[i];
		if (!strcmp(kv->key, "file")) {
			char *path = os_path_relative_to(kv->val, s->file);       /* as every path in the file */
			strv_add(&o->files, &o->nfiles, path);
			free(path);
		} else if (!strcmp(kv->key, "plmn")) {
			const char *v = kv->val;
			size_t n = strlen(v);
			if ((n != 6 && n != 7) || strspn(v, "0123456789") != 3 || v[3] != '-' ||
			    strspn(v + 4, "0123456789") != n - 4) {
				os_seterr(err, errlen, "%s:%d: [oss %s] plmn = '%s': want MCC-MNC (e.g. 208-93)", s->file,
				          kv->line, s->id, v);
				return -1;
			}
			free(o->plmn);
			o->plmn = xstrdup(v);
		} else
			return unknown_key(s, kv, "file plmn", err, errlen);
	}
	if (!o->nfiles) {
		os_seterr(err, errlen, "%s:%d: [oss %s] needs file = EXPORT (one per line)", s->file, s->line, s->id);
		return -1;
	}
	return 0;
}

static int load_site(const struct stanza *s, struct scanconf *c, char *err, size_t errlen)
{
	const char *name = NULL, *domain = NULL, *op = NULL;
	for (size_t i = 0; i < s->nkv; i++) {
		const struct kv *kv = &s->kv[i];
		if (!strcmp(kv->key, "name"))
			name = kv->val;
		else if (!strcmp(kv->key, "domain")) {
			if (!domain_valid(kv->val)) {
				os_seterr(err, errlen,
				          "%s:%d: [site %s] domain = '%s': want one of ran core transport access "
				          "enterprise it iot mgmt",
				          s->file, kv->line, s->id, kv->val);
				return -1;
			}
			domain = kv->val;
		} else if (!strcmp(kv->key, "operator"))
			op = kv->val;
		else if (strcmp(kv->key, "subnet"))
			return unknown_key(s, kv, "name subnet domain operator", err, errlen);
	}
	for (size_t i = 0; i < c->sites.nsites; i++)
		if (!strcmp(c->sites.sites[i].id, s->id)) {
			os_seterr(err, errlen, "%s:%d: [site %s] appears twice", s->file, s->line, s->id);
			return -1;
		}
	size_t si = sitemap_add_site(&c->sites, s->id, name, domain, op);
	int nsub = 0;
	char e2[300];
	for (size_t i = 0; i < s->nkv; i++) {
		const struct kv *kv = &s->kv[i];
		if (strcmp(kv->key, "subnet"))
			continue;
		char *copy = xstrdup(kv->val), *save = NULL;
		for (char *w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save), nsub++)
			if (sitemap_add_subnet(&c->sites, si, w, e2, sizeof e2) < 0) {
				os_seterr(err, errlen, "%s:%d: [site %s] %s", s->file, kv->line, s->id, e2);
				free(copy);
				return -1;
			}
		free(copy);
	}
	if (!nsub) {
		os_seterr(err, errlen, "%s:%d: [site %s] has no subnet = ...", s->file, s->line, s->id);
		return -1;
	}
	return 0;
}

static int load_scan(const struct stanza *s, struct scanconf *c, char *err, size_t errlen)
{
	if (c->name) {
		os_seterr(err, errlen, "%s:%d: a second [scan ...] stanza (one per file)", s->file, s->line);
		return -1;
	}
	c->name = xstrdup(s->id);
	for (size_t i = 0; i < s->nkv; i++) {
		const struct kv *kv = &s->kv[i];
		char **dst = !strcmp(kv->key, "database") ? &c->database : !strcmp(kv->key, "lock") ? &c->lock : NULL;
		if (!dst)
			return unknown_key(s, kv, "database lock", err, errlen);
		free(*dst);
		/* a PostgreSQL URI is no path: as written */
		*dst = dst == &c->database && store_spec_is_pg(kv->val) ? xstrdup(kv->val)
		                                                         : os_path_relative_to(kv->val, s->file);
	}
	return 0;
}

int scanconf_load(const char *path, struct scanconf *c, char *err, size_t errlen)
{
	struct stanza *st = NULL;
	size_t nst = 0, cap = 0, len;
	char e2[512];
	memset(c, 0, sizeof *c);
	sitemap_init(&c->sites);
	c->path = xstrdup(path);
	char *text = os_read_file(path, MAX_CONFIG, &len, e2, sizeof e2);
	if (!text) {
		os_seterr(err, errlen, "%s", e2);
		return -1;
	}
	int rc = stanza_parse(c->path, text, len, &st, &nst, &cap, err, errlen);
	free(text);
	for (size_t i = 0; rc == 0 && i < nst; i++) {
		const struct stanza *s = &st[i];
		/* a collector's id names it in the scan's record, its notes and
		 * a resume: two of one kind with one id would be one name for two */
		for (size_t j = 0; j < i && strcmp(s->type, "scan"); j++)
			if (!strcmp(st[j].type, s->type) && !strcmp(st[j].id, s->id)) {
				os_seterr(err, errlen, "%s:%d: [%s %s] appears twice (first at line %d); give each its own id",
				          s->file, s->line, s->type, s->id, st[j].line);
				rc = -1;
			}
		if (rc)
			break;
		if (!strcmp(s->type, "scan"))
			rc = load_scan(s, c, err, errlen);
		else if (!strcmp(s->type, "snmp"))
			rc = load_snmp(s, c, err, errlen);
		else if (!strcmp(s->type, "capture"))
			rc = load_capture(s, c, err, errlen);
		else if (!strcmp(s->type, "probe"))
			rc = load_probe(s, c, err, errlen);
		else if (!strcmp(s->type, "neigh"))
			rc = load_neigh(s, c, err, errlen);
		else if (!strcmp(s->type, "oss"))
			rc = load_oss(s, c, err, errlen);
		else if (!strcmp(s->type, "site"))
			rc = load_site(s, c, err, errlen);
		else {
			os_seterr(err, errlen, "%s:%d: unknown stanza [%s %s] (want scan, snmp, probe, capture, neigh, oss or site)",
			          s->file, s->line, s->type, s->id);
			rc = -1;
		}
	}
	stanza_free(st, nst);
	if (rc == 0 && !c->nsnmp && !c->ncapture && !c->nneigh && !c->nprobe && !c->noss) {
		os_seterr(err, errlen, "%s: no collector ([snmp ...], [probe ...], [capture ...], [neigh ...] or [oss ...])", path);
		rc = -1;
	}
	if (rc == 0 && c->nsnmp > 1) {
		/* the stanzas' targets are named apart across the whole scan */
		struct target_set **sets = xcalloc(c->nsnmp, sizeof *sets);
		for (size_t i = 0; i < c->nsnmp; i++)
			sets[i] = &c->snmp[i].ts;
		targets_mark_ports(sets, c->nsnmp);
		free(sets);
	}
	if (rc == 0 && !c->name) {
		/* the plan's name: the file's base name without its extension */
		char *copy = xstrdup(path), *b = basename(copy), *dot = strrchr(b, '.');
		if (dot && dot != b)
			*dot = 0;
		c->name = xstrdup(b);
		free(copy);
	}
	if (rc < 0)
		scanconf_free(c);
	return rc;
}

void scanconf_free(struct scanconf *c)
{
	for (size_t i = 0; i < c->nsnmp; i++) {
		struct scanconf_snmp *o = &c->snmp[i];
		free(o->id);
		targets_free(&o->ts);
		strv_free(o->targets, o->ntargets);
		strv_free(o->target_files, o->ntarget_files);
		strv_free(o->excludes, o->nexcludes);
		strv_free(o->scope, o->nscope);
		free(o->credentials);
	}
	free(c->snmp);
	for (size_t i = 0; i < c->nprobe; i++) {
		struct scanconf_probe *o = &c->probe[i];
		free(o->id);
		targets_free(&o->ts);
		strv_free(o->targets, o->ntargets);
		strv_free(o->target_files, o->ntarget_files);
		strv_free(o->excludes, o->nexcludes);
		free(o->ports);
		free(o->user);
	}
	free(c->probe);
	for (size_t i = 0; i < c->ncapture; i++) {
		struct scanconf_capture *o = &c->capture[i];
		free(o->id);
		strv_free(o->ifaces, o->nifaces);
		strv_free(o->files, o->nfiles);
		free(o->filter);
		free(o->user);
	}
	free(c->capture);
	for (size_t i = 0; i < c->nneigh; i++) {
		free(c->neigh[i].id);
		free(c->neigh[i].netns);
	}
	free(c->neigh);
	for (size_t i = 0; i < c->noss; i++) {
		free(c->oss[i].id);
		strv_free(c->oss[i].files, c->oss[i].nfiles);
		free(c->oss[i].plmn);
	}
	free(c->oss);
	sitemap_free(&c->sites);
	free(c->path);
	free(c->name);
	free(c->database);
	free(c->lock);
	memset(c, 0, sizeof *c);
}

static json_t *strv_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

char *scanconf_request_json(const struct scanconf *c)
{
	json_t *o = json_object(), *cols = json_array();
	json_object_set_new(o, "plan", json_string(c->name));
	char *abs = os_abspath(c->path);     /* a resume may run from anywhere */
	json_object_set_new(o, "config", json_string(abs));
	free(abs);
	for (size_t i = 0; i < c->nsnmp; i++) {
		const struct scanconf_snmp *s = &c->snmp[i];
		json_t *j = json_object();
		json_object_set_new(j, "collector", json_string("snmp"));
		json_object_set_new(j, "id", json_string(s->id));
		json_object_set_new(j, "targets", strv_json(s->targets, s->ntargets));
		json_object_set_new(j, "target_files", strv_json(s->target_files, s->ntarget_files));
		json_object_set_new(j, "exclude", strv_json(s->excludes, s->nexcludes));
		json_object_set_new(j, "port", json_integer(s->port));
		json_object_set_new(j, "snmp_version", json_string(s->version == 1 ? "1" : "2c"));
		/* which credential source, never the secret: the file by its
		 * path and identity (include/resume.h) */
		json_object_set_new(j, "credential", s->credentials ? json_string("credentials-file") : json_null());
		if (s->credentials) {
			json_t *id = file_identity(s->credentials);
			json_object_set_new(j, "credentials_file", json_string(s->credentials));
			if (id)
				json_object_set_new(j, "credentials_file_id", id);
		}
		json_object_set_new(j, "address_count", json_integer((json_int_t)s->ts.total));
		char dg[24];
		snprintf(dg, sizeof dg, "%016llx", (unsigned long long)targets_digest(&s->ts));
		json_object_set_new(j, "target_digest", json_string(dg));
		json_object_set_new(j, "timeout_ms", json_integer(s->timeout_ms));
		json_object_set_new(j, "retries", json_integer(s->retries));
		json_object_set_new(j, "concurrency", json_integer(s->concurrency));
		json_object_set_new(j, "rate", json_real(s->rate));
		if (s->crawl_depth) {
			json_object_set_new(j, "crawl_depth", json_integer(s->crawl_depth));
			json_object_set_new(j, "scope", strv_json(s->scope, s->nscope));
		}
		json_array_append_new(cols, j);
	}
	for (size_t i = 0; i < c->nprobe; i++) {
		const struct scanconf_probe *s = &c->probe[i];
		json_t *j = json_object();
		json_object_set_new(j, "collector", json_string("probe"));
		json_object_set_new(j, "id", json_string(s->id));
		json_object_set_new(j, "targets", strv_json(s->targets, s->ntargets));
		json_object_set_new(j, "target_files", strv_json(s->target_files, s->ntarget_files));
		json_object_set_new(j, "exclude", strv_json(s->excludes, s->nexcludes));
		json_object_set_new(j, "ports", s->ports ? json_string(s->ports) : json_null());
		json_object_set_new(j, "snmp", json_boolean(s->snmp));
		json_object_set_new(j, "address_count", json_integer((json_int_t)s->ts.total));
		json_array_append_new(cols, j);
	}
	for (size_t i = 0; i < c->ncapture; i++) {
		const struct scanconf_capture *s = &c->capture[i];
		json_t *j = json_object();
		json_object_set_new(j, "collector", json_string("capture"));
		json_object_set_new(j, "id", json_string(s->id));
		json_object_set_new(j, "interfaces", strv_json(s->ifaces, s->nifaces));
		json_object_set_new(j, "files", strv_json(s->files, s->nfiles));
		json_object_set_new(j, "duration_s", json_real(s->duration_s));
		json_object_set_new(j, "filter", s->filter ? json_string(s->filter) : json_null());
		json_array_append_new(cols, j);
	}
	for (size_t i = 0; i < c->nneigh; i++) {
		json_t *j = json_object();
		json_object_set_new(j, "collector", json_string("neigh"));
		json_object_set_new(j, "id", json_string(c->neigh[i].id));
		json_object_set_new(j, "netns", c->neigh[i].netns ? json_string(c->neigh[i].netns) : json_null());
		json_object_set_new(j, "watch_s", json_real(c->neigh[i].watch_s));
		json_array_append_new(cols, j);
	}
	for (size_t i = 0; i < c->noss; i++) {
		json_t *j = json_object();
		json_object_set_new(j, "collector", json_string("oss"));
		json_object_set_new(j, "id", json_string(c->oss[i].id));
		json_object_set_new(j, "files", strv_json(c->oss[i].files, c->oss[i].nfiles));
		json_object_set_new(j, "plmn", c->oss[i].plmn ? json_string(c->oss[i].plmn) : json_null());
		json_array_append_new(cols, j);
	}
	json_object_set_new(o, "collectors", cols);
	json_object_set_new(o, "sites", json_integer((json_int_t)c->sites.nsites));
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* What may differ between a scan's record and its configuration read
 * again for a resume: politeness (a resume may be gentler or bolder) and
 * file identities (checked on their own, with their own message). */
static int key_may_differ(const char *k)
{
	size_t n = strlen(k);
	return !strcmp(k, "timeout_ms") || !strcmp(k, "retries") || !strcmp(k, "concurrency") || !strcmp(k, "rate") ||
	       (n > 3 && !strcmp(k + n - 3, "_id"));
}

static json_t *find_collector(const json_t *cols, const char *kind, const char *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(cols, i, c) {
		const char *k = json_string_value(json_object_get(c, "collector")), *d = json_string_value(json_object_get(c, "id"));
		if (k && d && !strcmp(k, kind) && !strcmp(d, id))
			return c;
	}
	return NULL;
}

int scanconf_compare(const struct scanconf *c, const char *request_json, char *err, size_t errlen)
{
	json_error_t je;
	json_t *rec = json_loads(request_json ? request_json : "", 0, &je);
	char *now_s = scanconf_request_json(c);
	json_t *now = json_loads(now_s, 0, &je);
	free(now_s);
	int rc = -1;
	json_t *rcols = json_object_get(rec, "collectors"), *ncols = json_object_get(now, "collectors");
	if (!json_is_array(rcols)) {
		os_seterr(err, errlen, "the scan has no record of its collectors");
		goto out;
	}
	const char *rplan = json_string_value(json_object_get(rec, "plan"));
	if (!rplan || strcmp(rplan, c->name)) {
		os_seterr(err, errlen, "the scan ran plan '%s', %s is plan '%s'", rplan ? rplan : "?", c->path, c->name);
		goto out;
	}
	size_t i;
	json_t *n;
	json_array_foreach(ncols, i, n) {
		const char *kind = json_string_value(json_object_get(n, "collector")), *id = json_string_value(json_object_get(n, "id"));
		json_t *r = find_collector(rcols, kind, id);
		if (!r) {
			os_seterr(err, errlen, "[%s %s] is new in %s", kind, id, c->path);
			goto out;
		}
		const char *k;
		json_t *v;
		json_object_foreach(n, k, v) if (!key_may_differ(k) && !json_equal(v, json_object_get(r, k))) {
			os_seterr(err, errlen, "[%s %s] %s: not what the scan began with", kind, id,
			          !strcmp(k, "target_digest") || !strcmp(k, "address_count") ? "the target set" : k);
			goto out;
		}
		json_object_foreach(r, k, v) if (!key_may_differ(k) && !json_object_get(n, k)) {
			os_seterr(err, errlen, "[%s %s] %s: not what the scan began with", kind, id, k);
			goto out;
		}
	}
	json_array_foreach(rcols, i, n) {
		const char *kind = json_string_value(json_object_get(n, "collector")), *id = json_string_value(json_object_get(n, "id"));
		if (!find_collector(ncols, kind ? kind : "", id ? id : "")) {
			os_seterr(err, errlen, "[%s %s] is no longer in %s", kind ? kind : "?", id ? id : "?", c->path);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(rec);
	json_decref(now);
	return rc;
}
