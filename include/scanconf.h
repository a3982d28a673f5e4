/* A scan configuration: what `originscan scan -f CONFIG` runs.
 *
 * The file uses the stanza syntax of data/README.md ([type id], key =
 * value, '#' comment lines), read by the knowledge base's own parser, so
 * an operator learns one syntax for the project. Stanzas: [scan NAME]
 * (database, lock), [snmp ID], [probe ID], [capture ID], [neigh ID],
 * [oss ID], [site ID]; the
 * keys are documented in README.md and examples/originscan.conf. Unknown
 * stanzas and keys are errors naming file and line: a typo in a cron job's
 * configuration must not silently scan less; so is a collector id used
 * twice. Relative paths in the file are relative to the file's directory
 * (cron and systemd run elsewhere); every path read from it is absolute.
 */
#ifndef OS_SCANCONF_H
#define OS_SCANCONF_H
#include <stddef.h>

#include "sitemap.h"
#include "targets.h"

struct scanconf_snmp {
	char *id;
	int line;
	struct target_set ts;
	char **targets, **target_files, **excludes;     /* as written (files: absolute), for the record */
	size_t ntargets, ntarget_files, nexcludes;
	uint64_t duplicates;            /* addresses given more than once (targets_dedupe) */
	long port;
	int version;                    /* 1 or 2 */
	char *credentials;              /* credentials file (mode 0600; absolute), or NULL: environment / public */
	long timeout_ms, retries, concurrency;
	double rate;
	long crawl_depth;               /* crawl = N (yes: 2), 0 none */
	char **scope;                   /* scope = CIDR,... */
	size_t nscope;
};

/* [probe ID]: originscan probe (include/probe.h) over its targets. */
struct scanconf_probe {
	char *id;
	int line;
	struct target_set ts;
	char **targets, **target_files, **excludes;
	size_t ntargets, ntarget_files, nexcludes;
	char *ports;                    /* KIND:PORT,... or NULL: the defaults */
	int snmp;                       /* the SNMPv3 discovery (default yes) */
	long snmp_port;
	long timeout_ms, connect_timeout_ms, concurrency;
	double rate;
	char *user;
};

struct scanconf_capture {
	char *id;
	int line;
	char **ifaces, **files;
	size_t nifaces, nfiles;
	double duration_s;
	char *filter, *user;
	long snaplen;
};

struct scanconf_neigh {
	char *id;
	int line;
	char *netns;
	double watch_s;
};

struct scanconf_oss {
	char *id;
	int line;
	char **files;
	size_t nfiles;
	char *plmn;                     /* MCC-MNC for ids the exports give none for, or NULL */
};

struct scanconf {
	char *path;                     /* as given */
	char *name;                     /* [scan NAME]: the plan; default the file's base name */
	char *database, *lock;          /* NULL: the defaults */
	struct scanconf_snmp *snmp;
	size_t nsnmp;
	struct scanconf_capture *capture;
	size_t ncapture;
	struct scanconf_neigh *neigh;
	size_t nneigh;
	struct scanconf_oss *oss;
	size_t noss;
	struct scanconf_probe *probe;
	size_t nprobe;
	struct sitemap sites;
};

int scanconf_load(const char *path, struct scanconf *c, char *err, size_t errlen);
void scanconf_free(struct scanconf *c);
/* What was asked, for the scan record (JSON; never a secret). */
char *scanconf_request_json(const struct scanconf *c);
/* Is c the plan a scan recorded (its request_json)? Its collectors, their
 * targets (by the target set's digest), files and settings must be the
 * same; politeness may differ. 0, or -1 with what differs in err. */
int scanconf_compare(const struct scanconf *c, const char *request_json, char *err, size_t errlen);
#endif
