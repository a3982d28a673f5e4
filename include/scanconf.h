/* A scan configuration: what `originscan scan -f CONFIG` runs.
 *
 * The file uses the stanza syntax of data/README.md ([type id], key =
 * value, '#' comment lines), read by the knowledge base's own parser, so
 * an operator learns one syntax for the project. Stanzas: [scan NAME]
 * (database, lock), [snmp ID], [probe ID], [capture ID], [neigh ID],
 * [site ID]; the
 * keys are documented in README.md and examples/originscan.conf. Unknown
 * stanzas and keys are errors naming file and line: a typo in a cron job's
 * configuration must not silently scan less.
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
	char **targets, **target_files, **excludes;     /* as written, for the record */
	size_t ntargets, ntarget_files, nexcludes;
	long port;
	int version;                    /* 1 or 2 */
	char *credentials;              /* community file (mode 0600), or NULL: environment / public */
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

struct scanconf {
	char *path;
	char *name;                     /* [scan NAME]: the plan; default the file's base name */
	char *database, *lock;          /* NULL: the defaults */
	struct scanconf_snmp *snmp;
	size_t nsnmp;
	struct scanconf_capture *capture;
	size_t ncapture;
	struct scanconf_neigh *neigh;
	size_t nneigh;
	struct scanconf_probe *probe;
	size_t nprobe;
	struct sitemap sites;
};

int scanconf_load(const char *path, struct scanconf *c, char *err, size_t errlen);
void scanconf_free(struct scanconf *c);
/* What was asked, for the scan record (JSON; never a secret). */
char *scanconf_request_json(const struct scanconf *c);
#endif
