/* Resuming an interrupted sweep (scanner/plan/resume.c).
 *
 * A collector that walks a target set records with its scan what it was
 * asked (the request, JSON: targets, exclusions, port, visiting-order
 * seed and shard, a digest of the target set, and its own settings --
 * never a secret), and writes its resume point as it goes
 * (store_set_resume_point). Resuming is then the same steps for every
 * such collector: read the request back and check the scan may be
 * resumed, rebuild the target set and check its digest, take the
 * settings recorded unless given again, drop what targets left
 * half-polled said, and reopen the scan.
 */
#ifndef OS_RESUME_H
#define OS_RESUME_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "targets.h"

/* What a target sweep was asked. */
struct sweep_ask {
	const char **targets;           /* TARGET words */
	int ntargets;
	const char *in_list;            /* -iL FILE, or NULL */
	const char **excludes;          /* --exclude lists */
	int nexcl;
	long port;                      /* default port of every target */
	uint64_t seed, shard, nshards;  /* visiting order; shard is 0-based */
	int seed_set;
};

/* The target set of an ask. Returns 0, or an exit status (OS_EXIT_*)
 * with the error printed. */
int sweep_targets(struct target_set *ts, const struct sweep_ask *a);
/* The common part of the request record (targets, exclude, target_file,
 * port, seed, shard, target_digest, address_count); the collector adds
 * its own settings to the object before storing it. */
json_t *sweep_request(const struct sweep_ask *a, const struct target_set *ts);
/* What a sweep covers (a scan's scope: scans of the same scope are
 * compared): the command, the whole target set (never the shard) and
 * settings that change what is collected. Caller frees. */
char *sweep_scope(const char *command, const struct sweep_ask *a, const struct target_set *ts,
                  const char *settings);
/* The part a shard writes: "shard-I-of-N" (I from 1), or "main". */
void sweep_part_name(const struct sweep_ask *a, uint64_t shard, char *out, size_t outlen);

struct resume {
	int64_t scan;
	char part[256];                 /* the part resumed */
	json_t *request;                /* the scan's request; owns the ask's strings */
	int owns_ask;                   /* the ask's lists were allocated from it */
	uint64_t start;                 /* position to start from */
	uint64_t granted;               /* no position from here on was ever started */
};
/* Read the record of the scan's part (NULL: its only part): it must be a
 * `command` scan (or a part that recorded its own request), written by a
 * resumable collector, interrupted or failed. r->request is its request,
 * r->part the part. Returns 0, or an exit status with the error printed. */
int resume_begin(struct store *st, int64_t scan, const char *part, const char *command, struct resume *r);
/* Read the request of the scan's part (NULL: its only part) back into
 * *a, check that it is a `command` scan whose part was interrupted or
 * failed, rebuild *ts from it and check that its digest is the one
 * recorded. Returns 0, or an exit status with the error printed.
 * resume_free() either way. */
int resume_read(struct store *st, int64_t scan, const char *part, const char *command, struct sweep_ask *a,
                struct target_set *ts, struct resume *r);
/* A setting recorded with the scan replaces *val unless it was given now. */
void resume_int(const struct resume *r, const char *name, int given, int *val);
void resume_double(const struct resume *r, const char *name, int given, double *val);
/* A recorded string or boolean (NULL / -1 when the scan has none). */
const char *resume_str(const struct resume *r, const char *name);
int resume_bool(const struct resume *r, const char *name);
/* The part (r->part) becomes 'running' again in this process; its
 * resume point into r->start and r->granted (none recorded: 0 and
 * UINT64_MAX, every position may have been started). */
int resume_point(struct store *st, struct resume *r);
/* Drop what the targets at positions from..to-1 of this visiting order
 * that have no outcome said (they may have been polled half-way). 0 or
 * -1 (store_errmsg). */
int resume_drop_partial(struct store *st, int64_t scan, const struct target_set *ts, uint64_t seed, uint64_t shard,
                        uint64_t nshards, uint64_t from, uint64_t to);
/* resume_point, then targets between the resume point and the last
 * grant that have no outcome may have left half their evidence: it is
 * dropped, so that polling them again counts nothing twice. Returns 0,
 * or an exit status with the error printed. */
int resume_reopen(struct store *st, struct resume *r, const struct target_set *ts, const struct sweep_ask *a);
void resume_free(struct resume *r, struct sweep_ask *a);

/* A crawl (snmp --crawl) carries on from what its stored evidence says:
 * every address it met (crawl.via rows, with crawl.depth and, when not
 * polled, crawl.not-polled; their source is "crawl:" and the source of
 * the device that stated the address, so they outlive that device being
 * polled again) and the neighbours whose addresses were taken (the
 * chassis subjects stating them). Crawled addresses queued but without an
 * outcome may have been polled half-way: their own evidence is dropped and
 * they are polled again. After
 * resume_reopen(). *known (free() it; its strings are in *strings, a JSON
 * value to json_decref()) lists the addresses to poll first, in order of
 * depth. port: the crawled addresses' (the sweep's default). Returns 0,
 * or an exit status with the error printed. */
struct crawl_known;
int resume_crawl(struct store *st, const struct resume *r, unsigned port, struct crawl_known **known, size_t *n,
                 json_t **strings);
/* A sweep's checkpoint: its resume point (store_set_resume_point), and a
 * commit of what is pending when the last (*last_commit, os_mono()) is a
 * second old. Rows are otherwise committed as more arrive: a stretch of
 * silent targets kept the answers before it uncommitted for as long as
 * their timeouts, lost to a crash and invisible to anyone watching. */
int resume_checkpoint(struct store *st, int64_t scan, uint64_t done_below, uint64_t granted, double *last_commit);

/* ---- files a scan reads (credentials, target lists) ----
 * A scan records each file it reads by its absolute path (a resume may
 * run from another directory) and, for files it cannot check otherwise,
 * the file's identity: device, inode, size and modification time. Never
 * its contents, nor a digest of them: a digest of a short secret such as
 * a community is a fingerprint anyone can match against a dictionary of
 * likely ones; the identity says nothing of what the file holds. A
 * resumed scan refuses a recorded file whose identity changed (another
 * file of the same name, or the same one edited) unless told to take it
 * as it is now (--allow-changed-files). A target list needs no identity:
 * the digest of the target set it gives is checked instead. */
/* {"dev","ino","size","mtime_ns"} of the file at path, or NULL. */
json_t *file_identity(const char *path);
/* 0 if path is still the file id describes, else -1 with why in err. */
int file_identity_same(const char *path, const json_t *id, char *err, size_t errlen);
/* The file recorded under key (its identity under key + "_id"), checked;
 * what names it in messages ("credentials file"). NULL if none was
 * recorded (*rc 0) or refused (*rc an exit status, the error printed). */
const char *resume_file(const struct resume *r, const char *key, const char *what, int allow_changed, int *rc);
#endif
