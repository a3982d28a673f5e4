/* The active service prober behind `originscan probe` (collectors/probe/):
 * for devices that answer no SNMP we can use, what their management
 * services volunteer -- an SSH identification string, a telnet banner
 * after option negotiation, the Server header and WWW-Authenticate realm
 * of one HEAD /, a TLS server certificate -- read through the passive
 * collector's dissectors (include/banner.h), and the unauthenticated
 * SNMPv3 discovery (the SNMP collector's own, include/snmp_collect.h), so
 * that any agent that speaks SNMP at all gives its enterprise number.
 * It never tries to log in and sends nothing a service does not ask for
 * but one request per web port and refusals of telnet options.
 *
 * Polite: at most PROBE_PER_HOST connections to one device at once, a
 * cap on connections in flight, a global rate of new connections (and
 * SNMP packets) per second, a timeout for the connect and one for what
 * follows. Memory: about 5 KB per connection in flight (the bytes kept
 * from the service, 4 KB at most), plus a TLS session while one is open.
 */
#ifndef OS_PROBE_H
#define OS_PROBE_H
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"
#include "targets.h"

enum probe_kind { PROBE_SSH, PROBE_TELNET, PROBE_HTTP, PROBE_HTTPS, PROBE__KINDS };
const char *probe_kind_name(enum probe_kind k);     /* "ssh" ... */

struct probe_port {
	uint16_t port;
	enum probe_kind kind;
};

#define PROBE_MAX_PORTS 32
#define PROBE_PER_HOST 2

struct probe_opts {
	struct probe_port ports[PROBE_MAX_PORTS];
	size_t nports;                  /* 0: the defaults (probe_opts_defaults) */
	int concurrency;                /* connections in flight */
	double rate;                    /* new connections (and SNMP packets) per second, 0 = no cap */
	int connect_timeout_ms;
	int read_timeout_ms;            /* for what follows the connect */
	int snmp;                       /* the SNMPv3 discovery too */
	uint16_t snmp_port;
	int outcomes;                   /* write each target's outcome (off when the targets have one) */
	const char *user;               /* as root: become this user (default nobody) before any reply is read */
	int progress;
	uint64_t seed;                  /* visiting order (include/targets.h) */
};

struct probe_stats {
	uint64_t targets, excluded;
	uint64_t connections, open, spoke, silent, refused, timeouts;
	uint64_t answered;              /* targets where a service or the SNMP discovery answered */
	uint64_t engines;               /* SNMPv3 engine ids */
	uint64_t facts;
	double seconds;
};

void probe_opts_defaults(struct probe_opts *o);
/* --ports: "ssh:22,telnet:23,http:80,http:8080,https:443,https:8443"
 * (KIND:PORT, comma-separated; a bare PORT takes the kind its well-known
 * number has). Replaces o->ports. 0 or -1 with err naming the word. */
int probe_ports_parse(struct probe_opts *o, const char *spec, char *err, size_t errlen);
/* Every target of the set. 0 done, 1 stopped by *stop, -1 error (err). */
int probe_run(const struct target_set *ts, const struct probe_opts *o, struct ev_sink *sink,
              volatile sig_atomic_t *stop, struct probe_stats *st, char *err, size_t errlen);
#endif
