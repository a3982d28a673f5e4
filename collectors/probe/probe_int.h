/* Internal to collectors/probe: a connection's state, shared by the loop
 * (probe.c) and what each kind of service is asked and read (service.c).
 * Nothing outside collectors/probe/ includes this. */
#ifndef OS_PROBE_INT_H
#define OS_PROBE_INT_H
#include <stddef.h>
#include <stdint.h>

#include "banner.h"
#include "evidence.h"
#include "probe.h"
#include "targets.h"
#include "util.h"

#define CONN_BUF 4096           /* bytes kept of what a service says */

enum conn_state { CONN_FREE = 0, CONN_CONNECTING, CONN_OPEN };


struct conn {
	struct host *h;
	int fd;
	uint16_t port;
	enum probe_kind kind;
	enum conn_state state;
	int phase;              /* service.c's steps */
	double deadline;        /* os_mono() */
	uint8_t buf[CONN_BUF];
	size_t len;
	size_t scanned;         /* telnet: bytes whose commands were answered */
	char req[320];          /* HTTP: the request, and how much went out */
	size_t reqlen, wrote;
	void *ssl;              /* OpenSSL's SSL, while TLS runs */
	int spoke;              /* a dissector found something */
	int problem_said;       /* a probe.problem row was written */
	char src[80];           /* "192.0.2.1:22": the evidence source */
};

struct disc_watch;
struct host {
	struct target t;
	uint8_t addr[16];
	int family;
	size_t next;                    /* next port to start */
	int running;
	unsigned spoke, open;
	struct buf said;                /* "ssh/22 telnet/23" */
	struct host *prev, *next_h;     /* hosts in flight */
};

struct prober {
	const struct probe_opts *o;
	struct ev_sink *sink;
	struct probe_stats *st;
	struct banner_reader *br;
	int ep;
	struct conn *conns;             /* concurrency of them */
	int *free_conns, nfree;
	int inflight;
	struct host *hosts;             /* in flight, newest first */
	size_t nhosts;
	struct disc_watch *engines;
	int sink_failed;
	void *tls;                      /* SSL_CTX */
};

/* probe.c, for service.c */
void probe_emit(struct prober *p, struct conn *c, const char *key, const char *val);
void probe_banner(struct prober *p, struct conn *c, enum banner_proto bp, const uint8_t *b, size_t n);
void probe_certificate(struct prober *p, struct conn *c, const uint8_t *der, size_t n);
int probe_watch(struct prober *p, struct conn *c, uint32_t events);

/* service.c: after the connect (0 go on, else close), on socket events
 * (0 go on, 1 done: close), and before the close (dissect what came) */
int svc_start(struct prober *p, struct conn *c);
int svc_io(struct prober *p, struct conn *c, uint32_t events);
void svc_finish(struct prober *p, struct conn *c);
/* TLS: the client context (once per run), a connection's session */
int tls_init(struct prober *p, char *err, size_t errlen);
void tls_free(struct conn *c);
void tls_done(struct prober *p);
#endif
