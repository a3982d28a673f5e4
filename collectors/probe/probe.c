/* originscan probe: what SSH, telnet, HTTP and HTTPS services volunteer,
 * and the unauthenticated SNMPv3 discovery (include/probe.h).
 *
 * The run, top to bottom (probe_run()):
 *   0. as root, become the unprivileged user before anything is sent,
 *      so that no reply is ever parsed with privileges;
 *   1. the SNMPv3 discovery of every target, by the SNMP collector's
 *      sweep in discovery-only mode (one code for it); the addresses
 *      that answered are remembered (8 bytes each) for the outcomes;
 *   2. one event loop (epoll) over TCP connections: targets are taken in
 *      the keyed permutation the sweep uses, each target's ports at most
 *      PROBE_PER_HOST at a time, new connections as the rate cap and the
 *      concurrency allow; a connection reads what its service volunteers
 *      (service.c says how much, and what to answer) until it is
 *      complete, the service closes, the buffer is full or the read
 *      timeout passes; then the bytes go to the passive collector's
 *      dissectors (include/banner.h) and the connection is closed;
 *   3. a target whose ports are all done writes its outcome.
 * Evidence of a connection: probe.open (PORT/KIND) when it connected,
 * probe.problem when the service said nothing or the TLS handshake
 * failed, and whatever the dissectors find (ssh.banner, telnet.banner,
 * http.server, http.realm, tls.*), all with the source ADDRESS:PORT.
 *
 * Costs: a connection in flight about 4.3 KB (its buffer) plus an
 * OpenSSL session while a handshake or read over TLS runs; a target in
 * flight about 150 bytes; both bounded by --concurrency.
 */
#include "probe_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture.h"
#include "privdrop.h"
#include "snmp_collect.h"

static const char *const kind_names[PROBE__KINDS] = {"ssh", "telnet", "http", "https"};

const char *probe_kind_name(enum probe_kind k)
{
	return k < PROBE__KINDS ? kind_names[k] : "?";
}

void probe_opts_defaults(struct probe_opts *o)
{
	static const struct probe_port def[] = {{22, PROBE_SSH},    {23, PROBE_TELNET}, {80, PROBE_HTTP},
	                                        {8080, PROBE_HTTP}, {443, PROBE_HTTPS}, {8443, PROBE_HTTPS}};
	memset(o, 0, sizeof *o);
	memcpy(o->ports, def, sizeof def);
	o->nports = OS_ARRAY_LEN(def);
	/* polite: two connections per device at most, 3 s to connect, 5 s
	 * for the service to speak, 500 new connections a second overall */
	o->concurrency = 500;
	o->rate = 500;
	o->connect_timeout_ms = 3000;
	o->read_timeout_ms = 5000;
	o->snmp = 1;
	o->snmp_port = 161;
	o->outcomes = 1;
	o->user = "nobody";
}

int probe_ports_parse(struct probe_opts *o, const char *spec, char *err, size_t errlen)
{
	char *copy = xstrdup(spec), *save = NULL;
	size_t n = 0;
	int rc = 0;
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		char *colon = strchr(w, ':'), *end;
		const char *num = colon ? colon + 1 : w;
		long port = strtol(num, &end, 10);
		int kind = -1;
		if (colon) {
			*colon = 0;
			for (int k = 0; k < PROBE__KINDS; k++)
				if (!strcmp(w, kind_names[k]))
					kind = k;
			*colon = ':';
		} else
			kind = port == 22 ? PROBE_SSH : port == 23 ? PROBE_TELNET : port == 80 || port == 8080 ? PROBE_HTTP
			     : port == 443 || port == 8443 ? PROBE_HTTPS : -1;
		if (n == PROBE_MAX_PORTS) {
			os_seterr(err, errlen, "--ports: at most %d ports", PROBE_MAX_PORTS);
			rc = -1;
			break;
		}
		if (!*num || *end || port < 1 || port > 65535 || kind < 0) {
			os_seterr(err, errlen, "--ports '%s': want KIND:PORT (ssh, telnet, http, https), e.g. ssh:2222", w);
			rc = -1;
			break;
		}
		o->ports[n].port = (uint16_t)port;
		o->ports[n].kind = (enum probe_kind)kind;
		n++;
	}
	free(copy);
	if (!rc && !n) {
		os_seterr(err, errlen, "--ports: no port given");
		rc = -1;
	}
	if (!rc)
		o->nports = n;
	return rc;
}

/* ---------- step 1: the SNMPv3 discovery ---------- */

/* The sweep's evidence passes through; the addresses whose engine id it
 * stored are remembered (hashes) for the outcomes. */
struct disc_watch {
	struct ev_sink sink;
	struct ev_sink *out;
	uint64_t *set;
	size_t n, cap;
};

static uint64_t addr_hash(const char *a)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *a; a++)
		h = (h ^ (uint8_t)*a) * 1099511628211ULL;
	return h | 1;
}

static int set_has(const struct disc_watch *w, uint64_t h)
{
	if (!w->cap)
		return 0;
	for (size_t j = h & (w->cap - 1); w->set[j]; j = (j + 1) & (w->cap - 1))
		if (w->set[j] == h)
			return 1;
	return 0;
}

static void set_add(struct disc_watch *w, uint64_t h)
{
	if (set_has(w, h))
		return;
	if ((w->n + 1) * 10 > w->cap * 7) {
		size_t nc = w->cap ? w->cap * 2 : 256;
		uint64_t *ns = xcalloc(nc, sizeof *ns);
		for (size_t i = 0; i < w->cap; i++)
			if (w->set[i]) {
				size_t j = w->set[i] & (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = w->set[i];
			}
		free(w->set);
		w->set = ns;
		w->cap = nc;
	}
	size_t j = h & (w->cap - 1);
	while (w->set[j])
		j = (j + 1) & (w->cap - 1);
	w->set[j] = h;
	w->n++;
}

static int watch_emit(struct ev_sink *s, const struct evidence *ev)
{
	struct disc_watch *w = s->ctx;
	if (ev->subj_kind == SUBJ_IP && !strcmp(ev->key, "snmp.engine-id"))
		set_add(w, addr_hash(ev->subject));
	int r = w->out->emit(w->out, ev);
	s->emitted = w->out->emitted;
	return r;
}

static int discovery(const struct target_set *ts, const struct probe_opts *o, struct disc_watch *w,
                     volatile sig_atomic_t *stop, struct probe_stats *st, char *err, size_t errlen)
{
	struct snmp_opts so;
	struct snmp_stats ss;
	struct target_set snmp_ts = *ts;
	snmp_opts_defaults(&so);
	so.discovery_only = 1;
	so.outcomes = 0;
	so.timeout_ms = o->read_timeout_ms < o->connect_timeout_ms ? o->read_timeout_ms : o->connect_timeout_ms;
	so.retries = 1;
	so.concurrency = o->concurrency;
	so.rate = o->rate;
	so.progress = 0;
	so.seed = o->seed;
	/* every address at the SNMP port: ports given with the targets are
	 * for the TCP services */
	snmp_ts.r = xcalloc(ts->n ? ts->n : 1, sizeof *snmp_ts.r);
	for (size_t i = 0; i < ts->n; i++) {
		snmp_ts.r[i] = ts->r[i];
		snmp_ts.r[i].port = 0;
	}
	snmp_ts.default_port = o->snmp_port;
	w->sink.emit = watch_emit;
	w->sink.target = NULL;
	w->sink.ctx = w;
	int r = snmp_sweep(&snmp_ts, &so, &w->sink, stop, &ss, err, errlen);
	free(snmp_ts.r);
	st->engines = ss.engines;
	return r;
}

/* ---------- step 2: TCP services ---------- */

void probe_emit(struct prober *p, struct conn *c, const char *key, const char *val)
{
	if (ev_emit(p->sink, "probe", SUBJ_IP, c->h->t.addr, key, val, strlen(val), os_now_us(), c->src) < 0)
		p->sink_failed = 1;
}

void probe_banner(struct prober *p, struct conn *c, enum banner_proto bp, const uint8_t *b, size_t n)
{
	if (n && banner_read(p->br, bp, c->h->family, c->h->addr, b, n, c->src) != 0)
		c->spoke = 1;
}

void probe_certificate(struct prober *p, struct conn *c, const uint8_t *der, size_t n)
{
	if (banner_certificate(p->br, c->h->family, c->h->addr, der, n, c->src) == 0)
		c->spoke = 1;
}

int probe_watch(struct prober *p, struct conn *c, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};
	return epoll_ctl(p->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void host_done(struct prober *p, struct host *h)
{
	if (h->prev)
		h->prev->next_h = h->next_h;
	else
		p->hosts = h->next_h;
	if (h->next_h)
		h->next_h->prev = h->prev;
	p->nhosts--;
	int engine = p->engines && set_has(p->engines, addr_hash(h->t.addr));
	if (h->spoke || engine)
		p->st->answered++;
	if (p->o->outcomes) {
		char detail[400];
		const char *state = h->spoke || engine ? "answered" : "unreachable";
		if (h->spoke || engine)
			snprintf(detail, sizeof detail, "%s%s%s", h->said.p ? h->said.p : "",
			         h->said.len && engine ? ", " : "", engine ? "snmp engine id" : "");
		else if (h->open)
			snprintf(detail, sizeof detail, "%u port%s open, no service said anything", h->open,
			         h->open == 1 ? "" : "s");
		else
			snprintf(detail, sizeof detail, "no port open of %zu", p->o->nports);
		if (p->sink->target(p->sink, h->t.addr, state, detail, NULL) < 0)
			p->sink_failed = 1;
	}
	buf_free(&h->said);
	free(h);
}

static void conn_close(struct prober *p, struct conn *c)
{
	struct host *h = c->h;
	if (c->state >= CONN_OPEN) {
		svc_finish(p, c);
		if (c->spoke) {
			h->spoke++;
			p->st->spoke++;
			buf_printf(&h->said, "%s%s/%u", h->said.len ? " " : "", probe_kind_name(c->kind), c->port);
		} else if (!c->problem_said) {
			char msg[160];
			snprintf(msg, sizeof msg, "%u/%s: connected, nothing usable said within %.1f s", c->port,
			         probe_kind_name(c->kind), p->o->read_timeout_ms / 1000.0);
			probe_emit(p, c, "probe.problem", msg);
			p->st->silent++;
		} else
			p->st->silent++;
	}
	tls_free(c);
	if (c->fd >= 0) {
		epoll_ctl(p->ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
	c->state = CONN_FREE;
	p->free_conns[p->nfree++] = (int)(c - p->conns);
	p->inflight--;
	if (--h->running == 0 && h->next >= p->o->nports)
		host_done(p, h);
}

static void conn_start(struct prober *p, struct host *h)
{
	const struct probe_port *pp = &p->o->ports[h->next++];
	struct conn *c = &p->conns[p->free_conns[--p->nfree]];
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->h = h;
	c->port = pp->port;
	c->kind = pp->kind;
	c->state = CONN_CONNECTING;
	h->running++;
	p->inflight++;
	p->st->connections++;
	snprintf(c->src, sizeof c->src, "%s%s%s:%u", h->family == AF_INET6 ? "[" : "", h->t.addr,
	         h->family == AF_INET6 ? "]" : "", c->port);
	struct sockaddr_storage sa = h->t.sa;
	if (h->family == AF_INET)
		((struct sockaddr_in *)&sa)->sin_port = htons(c->port);
	else
		((struct sockaddr_in6 *)&sa)->sin6_port = htons(c->port);
	c->fd = socket(h->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	c->deadline = os_mono() + p->o->connect_timeout_ms / 1000.0;
	if (c->fd < 0) {
		conn_close(p, c);
		return;
	}
	if (connect(c->fd, (struct sockaddr *)&sa, h->t.salen) < 0 && errno != EINPROGRESS) {
		p->st->refused++;
		conn_close(p, c);
		return;
	}
	struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
	if (epoll_ctl(p->ep, EPOLL_CTL_ADD, c->fd, &ev) < 0)
		conn_close(p, c);
}

static void on_connected(struct prober *p, struct conn *c)
{
	int e = 0;
	socklen_t el = sizeof e;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0 || e) {
		if (e == ECONNREFUSED)
			p->st->refused++;
		conn_close(p, c);
		return;
	}
	char v[32];
	snprintf(v, sizeof v, "%u/%s", c->port, probe_kind_name(c->kind));
	probe_emit(p, c, "probe.open", v);
	p->st->open++;
	c->h->open++;
	c->state = CONN_OPEN;
	c->deadline = os_mono() + p->o->read_timeout_ms / 1000.0;
	if (svc_start(p, c) != 0)
		conn_close(p, c);
}

static void on_event(struct prober *p, struct conn *c, uint32_t events)
{
	if (c->state == CONN_CONNECTING) {
		on_connected(p, c);
		return;
	}
	if (svc_io(p, c, events) != 0)
		conn_close(p, c);
}

static void progress(const struct prober *p, uint64_t done, uint64_t total, double t0, int final)
{
	if (!p->o->progress)
		return;
	double el = os_mono() - t0;
	fprintf(stderr, "\r\033[Kprobe: %llu/%llu targets, %llu services spoke, %.0f/s",
	        (unsigned long long)done, (unsigned long long)total, (unsigned long long)p->st->spoke,
	        el > 0 ? (double)done / el : 0);
	if (final)
		fputc('\n', stderr);
}

static int tcp_phase(const struct target_set *ts, const struct probe_opts *o, struct prober *p,
                     volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct target_order ord;
	uint64_t next = 0;
	double t0 = os_mono(), tokens = 1, last_tok = t0, last_prog = 0;
	int rc = 0;
	targets_order_init(&ord, ts, o->seed, 0, 1);
	p->st->targets = ord.count;
	for (;;) {
		double now = os_mono();
		if (o->rate > 0) {
			double burst = o->rate / 20 > 1 ? o->rate / 20 : 1;
			tokens += (now - last_tok) * o->rate;
			if (tokens > burst)
				tokens = burst;
			last_tok = now;
		}
		/* 1. new connections: ports of targets in flight first, then new
		 * targets, as the rate cap and the concurrency allow */
		while (!*stop && p->nfree && (o->rate <= 0 || tokens >= 1)) {
			struct host *h = NULL;
			for (struct host *x = p->hosts; x; x = x->next_h)
				if (x->next < o->nports && x->running < PROBE_PER_HOST) {
					h = x;
					break;
				}
			if (!h) {
				if (next >= ord.count || p->nhosts >= (size_t)o->concurrency)
					break;
				struct target t;
				if (!targets_get(ts, targets_order_index(&ord, next++), &t)) {
					p->st->excluded++;
					continue;
				}
				h = xcalloc(1, sizeof *h);
				h->t = t;
				h->family = t.sa.ss_family;
				if (h->family == AF_INET)
					memcpy(h->addr, &((struct sockaddr_in *)&t.sa)->sin_addr, 4);
				else
					memcpy(h->addr, &((struct sockaddr_in6 *)&t.sa)->sin6_addr, 16);
				h->next_h = p->hosts;
				if (p->hosts)
					p->hosts->prev = h;
				p->hosts = h;
				p->nhosts++;
			}
			tokens -= 1;
			conn_start(p, h);
		}
		if (p->sink_failed) {
			os_seterr(err, errlen, "could not store evidence");
			rc = -1;
			break;
		}
		if (now - last_prog > 0.2) {
			progress(p, next - (uint64_t)p->nhosts, ord.count, t0, 0);
			last_prog = now;
		}
		if (*stop) {
			rc = 1;
			break;
		}
		if (!p->inflight && next >= ord.count && !p->nhosts)
			break;
		/* 2. wait for sockets, the next deadline or the next token */
		double wake = now + 0.1;
		for (int i = 0; i < o->concurrency; i++)
			if (p->conns[i].state != CONN_FREE && p->conns[i].deadline < wake)
				wake = p->conns[i].deadline;
		if (o->rate > 0 && tokens < 1 && p->nfree && (next < ord.count || p->hosts)) {
			double t = now + (1 - tokens) / o->rate;
			if (t < wake)
				wake = t;
		}
		int ms = wake > now ? (int)((wake - now) * 1000) + 1 : 0;
		struct epoll_event evs[256];
		int n = epoll_wait(p->ep, evs, 256, ms);
		if (n < 0 && errno != EINTR) {
			os_seterr(err, errlen, "epoll_wait: %s", strerror(errno));
			rc = -1;
			break;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			if (c->state != CONN_FREE)
				on_event(p, c, evs[i].events);
		}
		/* 3. deadlines */
		now = os_mono();
		for (int i = 0; i < o->concurrency; i++) {
			struct conn *c = &p->conns[i];
			if (c->state == CONN_FREE || c->deadline > now)
				continue;
			if (c->state == CONN_CONNECTING)
				p->st->timeouts++;
			conn_close(p, c);
		}
	}
	progress(p, next - (uint64_t)p->nhosts, ord.count, t0, 1);
	return rc;
}

int probe_run(const struct target_set *ts, const struct probe_opts *o, struct ev_sink *sink,
              volatile sig_atomic_t *stop, struct probe_stats *st, char *err, size_t errlen)
{
	struct prober p = {0};
	struct disc_watch w = {0};
	double t0 = os_mono();
	int rc = 0;
	memset(st, 0, sizeof *st);
	if (!o->nports && !o->snmp) {
		os_seterr(err, errlen, "nothing to probe: no port and no SNMP");
		return -1;
	}
	/* 0. nothing from a device is read with privileges */
	if (os_drop_privileges(o->user, err, errlen) < 0)
		return -1;
	p.o = o;
	p.sink = sink;
	p.st = st;
	p.br = banner_reader_new(sink, "probe");
	w.out = sink;
	/* 1. SNMP */
	if (o->snmp) {
		rc = discovery(ts, o, &w, stop, st, err, errlen);
		if (rc != 0)
			goto out;
		p.engines = &w;
	}
	/* 2. TCP */
	if (o->nports) {
		if (tls_init(&p, err, errlen) < 0) {
			rc = -1;
			goto out;
		}
		p.ep = epoll_create1(EPOLL_CLOEXEC);
		if (p.ep < 0) {
			os_seterr(err, errlen, "epoll_create1: %s", strerror(errno));
			rc = -1;
			goto out;
		}
		p.conns = xcalloc((size_t)o->concurrency, sizeof *p.conns);
		p.free_conns = xcalloc((size_t)o->concurrency, sizeof *p.free_conns);
		for (int i = o->concurrency - 1; i >= 0; i--) {
			p.conns[i].fd = -1;
			p.free_conns[p.nfree++] = i;
		}
		rc = tcp_phase(ts, o, &p, stop, err, errlen);
	} else if (o->outcomes) {
		/* SNMP only: the outcomes from the discovery alone */
		struct target_order ord;
		struct target t;
		targets_order_init(&ord, ts, o->seed, 0, 1);
		st->targets = ord.count;
		for (uint64_t i = 0; i < ord.count && !p.sink_failed; i++) {
			if (!targets_get(ts, targets_order_index(&ord, i), &t)) {
				st->excluded++;
				continue;
			}
			int e = set_has(&w, addr_hash(t.addr));
			st->answered += (uint64_t)e;
			if (sink->target(sink, t.addr, e ? "answered" : "unreachable", e ? "snmp engine id" : "no SNMP engine id",
			                 NULL) < 0)
				p.sink_failed = 1;
		}
	}
	if (!rc && p.sink_failed) {
		os_seterr(err, errlen, "could not store evidence");
		rc = -1;
	}
out:
	/* what is still in flight (a stop) is abandoned: no outcome */
	for (int i = 0; p.conns && i < o->concurrency; i++) {
		struct conn *c = &p.conns[i];
		tls_free(c);
		if (c->fd >= 0)
			close(c->fd);
	}
	while (p.hosts) {
		struct host *h = p.hosts;
		p.hosts = h->next_h;
		buf_free(&h->said);
		free(h);
	}
	if (p.ep > 0)
		close(p.ep);
	tls_done(&p);
	st->facts = banner_facts(p.br);
	banner_reader_free(p.br);
	free(p.conns);
	free(p.free_conns);
	free(w.set);
	st->seconds = os_mono() - t0;
	return rc;
}
