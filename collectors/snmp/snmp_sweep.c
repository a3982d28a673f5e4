/* SNMP sweep: the system group of every target, through net-snmp's
 * asynchronous API.
 *
 * The loop (read top to bottom):
 *   1. fill free slots with the next targets, as the rate cap allows;
 *   2. wait on the session sockets until a reply or the next timeout;
 *   3. net-snmp matches replies to requests (by request id) and calls
 *      on_reply(); timeouts and retries are net-snmp's too;
 *   4. a finished slot writes its evidence and outcome, and is free again.
 * One session per address family, over an unconnected UDP socket: each
 * PDU carries its destination (pdu->transport_data), so the number of
 * sockets does not grow with the number of targets.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "snmp_collect.h"
#include "util.h"

#define COLLECTOR "snmp"

/* SNMPv2-MIB system group, in the order we ask for it. */
static const struct {
	const char *key;
	oid o[9];
} sysgroup[] = {
	{"sysDescr", {1, 3, 6, 1, 2, 1, 1, 1, 0}},
	{"sysObjectID", {1, 3, 6, 1, 2, 1, 1, 2, 0}},
	{"sysUpTime", {1, 3, 6, 1, 2, 1, 1, 3, 0}},
	{"sysContact", {1, 3, 6, 1, 2, 1, 1, 4, 0}},
	{"sysName", {1, 3, 6, 1, 2, 1, 1, 5, 0}},
	{"sysLocation", {1, 3, 6, 1, 2, 1, 1, 6, 0}},
};
#define NSYS ((int)OS_ARRAY_LEN(sysgroup))

enum slot_state { SLOT_FREE, SLOT_WAIT, SLOT_RESEND, SLOT_DONE };

struct slot {
	enum slot_state state;
	struct target t;
	unsigned want;          /* bitmask of sysgroup entries still to ask */
	int outcome;            /* 1 answered, 0 unreachable, -1 error */
	char detail[128];
	char reply_from[64];
};

struct sweep {
	const struct snmp_opts *o;
	struct ev_sink *sink;
	void *sess4, *sess6;
	struct slot *slots;
	int nslots;
	int sink_failed;
	struct snmp_stats *stats;
};

static int netsnmp_ready;

static void snmp_lib_init(void)
{
	if (netsnmp_ready)
		return;
	/* No MIB parsing (we speak OIDs), no state files under /var/lib/snmp,
	 * and net-snmp's own log stays silent: we report through os_*(). */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_QUICK_PRINT, 1);
	if (os_verbosity < 3)
		snmp_disable_log();
	init_snmp("originscan");
	netsnmp_ready = 1;
}

void snmp_opts_defaults(struct snmp_opts *o)
{
	memset(o, 0, sizeof *o);
	o->community = "public";
	o->credential_name = "default";
	o->version = 2;
	/* Polite defaults for fragile management planes: one request per
	 * device at a time, 2 s per attempt, 1 retry, 200 targets in flight,
	 * no more than 500 packets a second overall. */
	o->timeout_ms = 2000;
	o->retries = 1;
	o->concurrency = 200;
	o->rate = 500;
}

static int same_addr(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	if (a->sa_family != b->ss_family)
		return 0;
	if (a->sa_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		               &((const struct sockaddr_in *)b)->sin_addr, 4);
	if (a->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		               &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
	return 0;
}

static void value_text(const netsnmp_variable_list *v, struct buf *out)
{
	buf_reset(out);
	switch (v->type) {
	case ASN_OCTET_STR:
		buf_add(out, v->val.string, v->val_len);
		break;
	case ASN_OBJECT_ID:
		for (size_t i = 0; i < v->val_len / sizeof(oid); i++)
			buf_printf(out, "%s%lu", i ? "." : "", (unsigned long)v->val.objid[i]);
		break;
	case ASN_TIMETICKS:
	case ASN_COUNTER:
	case ASN_GAUGE:
		buf_printf(out, "%lu", (unsigned long)*v->val.integer);
		break;
	case ASN_INTEGER:
		buf_printf(out, "%ld", (long)*v->val.integer);
		break;
	case ASN_IPADDRESS:
		if (v->val_len == 4)
			buf_printf(out, "%u.%u.%u.%u", v->val.string[0], v->val.string[1], v->val.string[2],
			           v->val.string[3]);
		break;
	default: {
		char tmp[1024];
		snprint_value(tmp, sizeof tmp, v->name, v->name_length, v);
		buf_adds(out, tmp);
	}
	}
}

static void finish(struct sweep *sw, struct slot *s, int outcome, const char *detail)
{
	(void)sw;
	s->outcome = outcome;
	snprintf(s->detail, sizeof s->detail, "%s", detail ? detail : "");
	s->state = SLOT_DONE;
}

static int on_reply(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct slot *s = magic;
	struct sweep *sw = sess->callback_magic;
	(void)reqid;
	if (!sw || s->state != SLOT_WAIT)
		return 1;
	if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
		finish(sw, s, 0, "no reply");
		return 1;
	}
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		return 1;       /* RESEND and friends: net-snmp keeps going */
	sw->stats->received++;
	if (pdu->transport_data && pdu->transport_data_length >= (int)sizeof(struct sockaddr_in)) {
		const struct sockaddr *from = (const struct sockaddr *)pdu->transport_data;
		if (!same_addr(from, &s->t.sa)) {
			/* Multi-homed agents often reply from another address: keep
			 * the reply, record the address as a fact of its own. */
			if (from->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)from)->sin_addr, s->reply_from,
				          sizeof s->reply_from);
			else if (from->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)from)->sin6_addr, s->reply_from,
				          sizeof s->reply_from);
		}
	}
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex > 0) {
		/* SNMPv1 rejects the whole request for one missing object: drop
		 * that object and ask again for the rest. */
		int k = 0;
		for (int i = 0; i < NSYS; i++)
			if (s->want & (1u << i) && ++k == pdu->errindex) {
				s->want &= ~(1u << i);
				break;
			}
		if (s->want)
			s->state = SLOT_RESEND;
		else
			finish(sw, s, 1, "agent has none of the system group");
		return 1;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		finish(sw, s, -1, snmp_errstring((int)pdu->errstat));
		return 1;
	}
	struct buf val = {0};
	int64_t now = os_now_us();
	char src[80];
	snprintf(src, sizeof src, "%s%s%s:%u", s->t.sa.ss_family == AF_INET6 ? "[" : "", s->t.addr,
	         s->t.sa.ss_family == AF_INET6 ? "]" : "", s->t.port);
	for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable) {
		if (v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE ||
		    v->type == SNMP_ENDOFMIBVIEW || v->type == ASN_NULL)
			continue;
		const char *key = NULL;
		for (int i = 0; i < NSYS; i++)
			if (v->name_length == 9 && !memcmp(v->name, sysgroup[i].o, 9 * sizeof(oid)))
				key = sysgroup[i].key;
		if (!key)
			continue;       /* an agent answering what we did not ask */
		value_text(v, &val);
		if (ev_emit(sw->sink, COLLECTOR, SUBJ_IP, s->t.addr, key, val.p ? val.p : "", val.len, now,
		            src) < 0)
			sw->sink_failed = 1;
	}
	buf_free(&val);
	finish(sw, s, 1, NULL);
	return 1;
}

static int send_get(struct sweep *sw, struct slot *s, char *err, size_t errlen)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
	for (int i = 0; i < NSYS; i++)
		if (s->want & (1u << i))
			snmp_add_null_var(pdu, sysgroup[i].o, 9);
	pdu->version = sw->o->version == 1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
	/* Per-PDU destination on the shared socket. */
	netsnmp_indexed_addr_pair *ap = calloc(1, sizeof *ap);
	if (!ap) {
		snmp_free_pdu(pdu);
		os_seterr(err, errlen, "out of memory");
		return -1;
	}
	memcpy(&ap->remote_addr, &s->t.sa, s->t.salen);
	pdu->transport_data = ap;
	pdu->transport_data_length = sizeof *ap;
	void *sess = s->t.sa.ss_family == AF_INET6 ? sw->sess6 : sw->sess4;
	s->state = SLOT_WAIT;
	if (!snmp_sess_async_send(sess, pdu, on_reply, s)) {
		int e = snmp_sess_session(sess)->s_snmp_errno;
		snmp_free_pdu(pdu);
		/* A send error for one address (e.g. no route) is that target's
		 * outcome, not the scan's failure. */
		finish(sw, s, 0, snmp_api_errstring(e));
		return 0;
	}
	sw->stats->sent++;
	return 0;
}

static void *open_session(struct sweep *sw, const char *peer, char *err, size_t errlen)
{
	netsnmp_session ss;
	snmp_sess_init(&ss);
	ss.version = sw->o->version == 1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
	ss.community = (u_char *)xstrdup(sw->o->community);
	ss.community_len = strlen(sw->o->community);
	ss.peername = (char *)peer;
	ss.timeout = (long)sw->o->timeout_ms * 1000;
	ss.retries = sw->o->retries;
	ss.callback_magic = sw;
	void *sp = snmp_sess_open(&ss);
	free(ss.community);
	if (!sp) {
		/* net-snmp's message never contains the community */
		int liberr, syserr;
		char *msg = NULL;
		snmp_error(&ss, &liberr, &syserr, &msg);
		os_seterr(err, errlen, "cannot open an SNMP socket: %s", msg ? msg : "unknown error");
		free(msg);
	}
	return sp;
}

static void progress(const struct sweep *sw, uint64_t done, uint64_t total, double t0, int final)
{
	if (!sw->o->progress)
		return;
	double el = os_mono() - t0;
	double rate = el > 0 ? (double)done / el : 0;
	double eta = rate > 0 ? (double)(total - done) / rate : 0;
	fprintf(stderr, "\r\033[Ksnmp: %llu/%llu targets, %llu answered, %.0f/s, ETA %d:%02d",
	        (unsigned long long)done, (unsigned long long)total,
	        (unsigned long long)sw->stats->answered, rate, (int)eta / 60, (int)eta % 60);
	if (final)
		fputc('\n', stderr);
}

int snmp_sweep(const struct target_set *ts, const struct snmp_opts *o, struct ev_sink *sink,
               volatile sig_atomic_t *stop, struct snmp_stats *stats, char *err, size_t errlen)
{
	struct sweep sw = {0};
	int rc = 0;
	int any6 = 0, any4 = 0;
	double t0 = os_mono(), last_prog = 0, tokens = 1, last_tok = t0;

	memset(stats, 0, sizeof *stats);
	snmp_lib_init();
	sw.o = o;
	sw.sink = sink;
	sw.stats = stats;
	sw.nslots = o->concurrency > 0 ? o->concurrency : 1;
	sw.slots = xcalloc((size_t)sw.nslots, sizeof *sw.slots);
	for (size_t i = 0; i < ts->n; i++)
		*(ts->r[i].family == AF_INET6 ? &any6 : &any4) = 1;
	if (any4 && !(sw.sess4 = open_session(&sw, "udp:0.0.0.0:161", err, errlen)))
		goto fail;
	if (any6 && !(sw.sess6 = open_session(&sw, "udp6:[::]:161", err, errlen)))
		goto fail;

	uint64_t next = 0, done = 0;
	int inflight = 0;
	stats->targets = ts->total;
	for (;;) {
		/* 1. fill free slots */
		double now = os_mono();
		if (o->rate > 0) {
			double burst = o->rate / 10 > 1 ? o->rate / 10 : 1;
			tokens += (now - last_tok) * o->rate;
			if (tokens > burst)
				tokens = burst;
			last_tok = now;
		}
		for (int i = 0; i < sw.nslots && !*stop; i++) {
			struct slot *s = &sw.slots[i];
			if (s->state == SLOT_RESEND) {
				if (o->rate > 0 && tokens < 1)
					continue;
				tokens -= 1;
				if (send_get(&sw, s, err, errlen) < 0)
					goto fail;
				continue;
			}
			if (s->state != SLOT_FREE || next >= ts->total)
				continue;
			if (o->rate > 0 && tokens < 1)
				continue;
			while (next < ts->total && !targets_get(ts, next, &s->t)) {
				next++;
				stats->excluded++;
				done++;
			}
			if (next >= ts->total)
				break;
			next++;
			s->want = (1u << NSYS) - 1;
			s->reply_from[0] = 0;
			tokens -= 1;
			inflight++;
			if (send_get(&sw, s, err, errlen) < 0)
				goto fail;
		}
		/* 4. finished slots write their outcome */
		for (int i = 0; i < sw.nslots; i++) {
			struct slot *s = &sw.slots[i];
			if (s->state != SLOT_DONE)
				continue;
			const char *state = s->outcome > 0 ? "answered" : s->outcome == 0 ? "unreachable" : "error";
			if (s->outcome > 0)
				stats->answered++;
			else if (s->outcome == 0)
				stats->unreachable++;
			else
				stats->errors++;
			if (s->reply_from[0] &&
			    ev_emit_str(sink, COLLECTOR, SUBJ_IP, s->t.addr, "snmp.reply-from", s->reply_from,
			                os_now_us(), s->t.addr) < 0)
				sw.sink_failed = 1;
			if (sink->target(sink, s->t.addr, state, s->detail[0] ? s->detail : NULL,
			                 s->outcome > 0 ? o->credential_name : NULL) < 0)
				sw.sink_failed = 1;
			s->state = SLOT_FREE;
			inflight--;
			done++;
		}
		if (sw.sink_failed) {
			os_seterr(err, errlen, "could not store evidence");
			goto fail;
		}
		if (now - last_prog > 0.2) {
			progress(&sw, done, ts->total, t0, 0);
			last_prog = now;
		}
		if (inflight == 0 && (next >= ts->total || *stop))
			break;
		if (*stop && inflight > 0) {
			/* Stop promptly: abandon what is in flight; those targets
			 * were not visited and get no outcome. */
			break;
		}
		/* 2. wait for replies or the next timeout */
		fd_set fds;
		int maxfd = 0, block = 1;
		struct timeval tv = {0, 0};
		FD_ZERO(&fds);
		if (sw.sess4)
			snmp_sess_select_info(sw.sess4, &maxfd, &fds, &tv, &block);
		if (sw.sess6)
			snmp_sess_select_info(sw.sess6, &maxfd, &fds, &tv, &block);
		/* wake up at least every 100 ms: for the rate cap, progress and stop */
		if (block || tv.tv_sec > 0 || tv.tv_usec > 100000) {
			tv.tv_sec = 0;
			tv.tv_usec = 100000;
		}
		int n = select(maxfd, &fds, NULL, NULL, &tv);
		if (n < 0 && errno != EINTR) {
			os_seterr(err, errlen, "select: %s", strerror(errno));
			goto fail;
		}
		/* 3. replies and timeouts run on_reply() */
		if (n > 0) {
			if (sw.sess4)
				snmp_sess_read(sw.sess4, &fds);
			if (sw.sess6)
				snmp_sess_read(sw.sess6, &fds);
		}
		if (sw.sess4)
			snmp_sess_timeout(sw.sess4);
		if (sw.sess6)
			snmp_sess_timeout(sw.sess6);
	}
	progress(&sw, done, ts->total, t0, 1);
	if (*stop)
		rc = 1;
	goto out;
fail:
	rc = -1;
out:
	/* Closing frees outstanding requests; on_reply must then do nothing. */
	if (sw.sess4) {
		snmp_sess_session(sw.sess4)->callback_magic = NULL;
		snmp_sess_close(sw.sess4);
	}
	if (sw.sess6) {
		snmp_sess_session(sw.sess6)->callback_magic = NULL;
		snmp_sess_close(sw.sess6);
	}
	free(sw.slots);
	stats->seconds = os_mono() - t0;
	return rc;
}
