/* SNMP sweep: every target of a shard, in a keyed permutation, through
 * net-snmp's asynchronous API.
 *
 * The loop (read top to bottom in snmp_sweep()):
 *   1. send what slots have queued (retries, next steps), then fill free
 *      slots with the next positions of the visiting order, all as the
 *      global packet-rate cap allows;
 *   2. wait on the session sockets until a reply or the next timeout;
 *   3. net-snmp matches replies to requests and calls on_reply(), which
 *      only moves a target's state machine and emits evidence; it never
 *      sends, so the rate cap sees every packet;
 *   4. finished slots write their outcome and are free again; every half
 *      second the resume point is written with the evidence it covers.
 *
 * A target (a slot) has two lanes, each with at most one request in
 * flight: the discovery lane sends one unauthenticated SNMPv3 request
 * (empty user, no engine id, RFC 3414 4) whose report carries the agent's
 * authoritative engine id, boots and time -- evidence about a device we
 * may hold no credential for; the main lane tries the credentials in
 * order with a system-group GET and then walks the inventory tables one
 * request at a time (snmp_walk.c). A v1/v2c credential does not wait for
 * the discovery (an agent that ignores v3 would otherwise cost every
 * target a timeout); a v3 credential needs the engine id and does.
 *
 * Sessions: one net-snmp session per address family over an unconnected
 * UDP socket; every PDU carries its destination (pdu->transport_data) and
 * its own security: a community for v1/v2c, or user, level, engine id and
 * context for v3, whose USM user entry (keys localised to that engine) is
 * held by the targets using it (snmp_usm.c). So v1, v2c and v3 targets
 * share the two sockets, and the socket count never grows with the
 * targets. The session's version is set to "any" after opening: net-snmp
 * otherwise refuses PDUs of another version than the session's.
 *
 * Retries are ours (net-snmp's are set to 0) so that they pass the rate
 * cap too. Costs: a slot is about 4 KB (the walk columns' last indexes
 * dominate); net-snmp matches each reply by scanning its list of
 * requests in flight, so a reply costs O(concurrency): beyond a few
 * thousand in flight more concurrency buys nothing.
 */
#include "snmp_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

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

static int netsnmp_ready;

void snmp_lib_init(void)
{
	if (netsnmp_ready)
		return;
	/* No MIB parsing (we speak OIDs), no state files under /var/lib/snmp,
	 * and net-snmp's own log stays silent: we report through os_*().
	 * snmp.conf is still read (DONT_PERSIST_STATE would skip it too): its
	 * defaults are a credential source, clientaddr and the like apply. */
	setenv("MIBS", "", 1);
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
	/* Polite defaults for fragile management planes: one request per
	 * device at a time after the first exchange, 2 s per attempt, 1
	 * retry, 200 targets in flight, no more than 500 packets a second
	 * overall, GETBULK answers of about 24 values (one Ethernet frame
	 * for most tables). */
	o->timeout_ms = 2000;
	o->retries = 1;
	o->concurrency = 200;
	o->rate = 500;
	o->inventory = 1;
	o->discovery = 1;
	o->outcomes = 1;
	o->max_repetitions = 24;
	o->nshards = 1;
}

/* ---------- small helpers ---------- */

static const struct snmp_cred *cred_of(const struct sweep *sw, const struct slot *s)
{
	int i = s->phase == PH_CRED ? s->cred : s->cred_ok;
	return i >= 0 && (size_t)i < sw->o->creds->n ? &sw->o->creds->c[i] : NULL;
}

void sw_emit(struct sweep *sw, struct slot *s, enum subj_kind k, const char *subject, const char *key,
             const void *val, size_t len)
{
	if (ev_emit(sw->sink, COLLECTOR, k, subject, key, len ? val : "", len, os_now_us(), s->src) < 0)
		sw->sink_failed = 1;
}

void sw_problem(struct sweep *sw, struct slot *s, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!s->problems++) {
		size_t n = strlen(msg) < sizeof s->first_problem ? strlen(msg) : sizeof s->first_problem - 1;
		memcpy(s->first_problem, msg, n);
		s->first_problem[n] = 0;
	}
	sw->stats->problems++;
	sw_emit(sw, s, SUBJ_IP, s->t.addr, "snmp.problem", msg, strlen(msg));
}

void sw_value_text(const netsnmp_variable_list *v, struct buf *out)
{
	buf_reset(out);
	switch (v->type) {
	case ASN_OCTET_STR:
	case ASN_OPAQUE:
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
	case ASN_COUNTER64:
		buf_printf(out, "%llu", ((unsigned long long)v->val.counter64->high << 32) | v->val.counter64->low);
		break;
	default: {
		char tmp[1024];
		snprint_value(tmp, sizeof tmp, v->name, v->name_length, v);
		buf_adds(out, tmp);
	}
	}
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

/* ---------- queues: slots with lanes to send, finished slots ---------- */

void sw_send_lane(struct sweep *sw, struct slot *s, int lane)
{
	s->lane[lane].state = LANE_SEND;
	if (s->queued)
		return;
	s->queued = 1;
	sw->queue[(sw->qhead + sw->qlen++) % sw->nslots] = (int)(s - sw->slots);
}

static struct slot *queue_pop(struct sweep *sw)
{
	if (!sw->qlen)
		return NULL;
	struct slot *s = &sw->slots[sw->queue[sw->qhead]];
	sw->qhead = (sw->qhead + 1) % sw->nslots;
	sw->qlen--;
	s->queued = 0;
	return s;
}

/* ---------- PDUs ---------- */

static void set_dest(netsnmp_pdu *pdu, const struct slot *s)
{
	/* What each transport takes as a per-PDU destination: the UDP/IPv4
	 * one an address pair, the UDP/IPv6 one a bare sockaddr_in6 (it
	 * ignores anything else and sends nowhere). */
	if (s->t.sa.ss_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = xcalloc(1, sizeof *sin6);
		memcpy(sin6, &s->t.sa, sizeof *sin6);
		pdu->transport_data = sin6;
		pdu->transport_data_length = sizeof *sin6;
		return;
	}
	netsnmp_indexed_addr_pair *ap = xcalloc(1, sizeof *ap);
	memcpy(&ap->remote_addr, &s->t.sa, s->t.salen);
	pdu->transport_data = ap;
	pdu->transport_data_length = sizeof *ap;
}

netsnmp_pdu *sw_pdu(struct sweep *sw, struct slot *s, int command)
{
	const struct snmp_cred *c = cred_of(sw, s);
	netsnmp_pdu *pdu = snmp_pdu_create(command);
	if (c->version == 3) {
		pdu->version = SNMP_VERSION_3;
		pdu->securityModel = SNMP_SEC_MODEL_USM;
		pdu->securityLevel = c->level;
		pdu->securityName = xstrdup(c->user);
		pdu->securityNameLen = strlen(c->user);
		pdu->securityEngineID = netsnmp_memdup(s->engine, s->engine_len);
		pdu->securityEngineIDLen = s->engine_len;
		pdu->contextEngineID = netsnmp_memdup(s->engine, s->engine_len);
		pdu->contextEngineIDLen = s->engine_len;
		pdu->contextName = xstrdup(c->context ? c->context : "");
		pdu->contextNameLen = strlen(pdu->contextName);
	} else {
		pdu->version = c->version == 1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
		pdu->community = (u_char *)xstrdup(c->community);
		pdu->community_len = strlen(c->community);
	}
	set_dest(pdu, s);
	return pdu;
}

static netsnmp_pdu *discovery_pdu(const struct slot *s)
{
	/* RFC 3414 4: noAuthNoPriv, empty user, empty engine id, no
	 * variables. The agent answers with a usmStatsUnknownEngineIDs report
	 * whose header carries its engine id, boots and time. */
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
	pdu->version = SNMP_VERSION_3;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityName = xstrdup("");
	pdu->securityNameLen = 0;
	pdu->contextName = xstrdup("");
	pdu->contextNameLen = 0;
	set_dest(pdu, s);
	return pdu;
}

static netsnmp_pdu *sysgroup_pdu(struct sweep *sw, struct slot *s)
{
	netsnmp_pdu *pdu = sw_pdu(sw, s, SNMP_MSG_GET);
	for (int i = 0; i < NSYS; i++)
		if (s->want & (1u << i))
			snmp_add_null_var(pdu, sysgroup[i].o, 9);
	return pdu;
}

/* ---------- the target's state machine ---------- */

static int on_reply(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic);
static void cred_try(struct sweep *sw, struct slot *s);

static void note_failure(struct slot *s, const struct snmp_cred *c, const char *why)
{
	if (s->why.len > 400)
		return;
	buf_printf(&s->why, "%s%s %s", s->why.len ? "; " : "", c->name, why);
}

static void cred_fail(struct sweep *sw, struct slot *s, const char *why)
{
	note_failure(s, cred_of(sw, s), why);
	usm_release(sw, s);
	s->cred++;
	cred_try(sw, s);
}

/* Try s->cred, or the next one that can be tried; none left: finished. */
static void cred_try(struct sweep *sw, struct slot *s)
{
	const struct snmp_creds *cs = sw->o->creds;
	for (; (size_t)s->cred < cs->n; s->cred++) {
		const struct snmp_cred *c = &cs->c[s->cred];
		if (c->version == 3 && s->disc == 0) {
			s->wait_engine = 1;     /* resumed when the discovery ends */
			return;
		}
		if (c->version == 3 && s->disc < 0) {
			note_failure(s, c, "not tried (no engine id)");
			continue;
		}
		s->want = (1u << NSYS) - 1;
		s->lane[LANE_MAIN].attempts = 0;
		sw_send_lane(sw, s, LANE_MAIN);
		return;
	}
	s->phase = PH_FINISHED;
}

static struct req *req_new(struct sweep *sw, struct slot *s, int lane)
{
	struct req *r = xcalloc(1, sizeof *r);
	r->slot = s;
	r->lane = lane;
	r->next = sw->live;
	if (sw->live)
		sw->live->prev = r;
	sw->live = r;
	return r;
}

static void req_free(struct sweep *sw, struct req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		sw->live = r->next;
	if (r->next)
		r->next->prev = r->prev;
	free(r);
}

static void send_one(struct sweep *sw, struct slot *s, int lane)
{
	struct lane *ln = &s->lane[lane];
	netsnmp_pdu *pdu;
	if (lane == LANE_DISC)
		pdu = discovery_pdu(s);
	else if (s->phase == PH_CRED) {
		const struct snmp_cred *c = cred_of(sw, s);
		if (c->version == 3 && !s->usm) {
			int u = usm_acquire(sw, s, c);
			if (u > 0) {
				/* Another target holds this user for this engine
				 * with other keys: wait for it to finish. */
				ln->state = LANE_IDLE;
				s->blocked = 1;
				sw->nblocked++;
				return;
			}
			if (u < 0) {
				ln->state = LANE_IDLE;
				cred_fail(sw, s, "unusable with this engine");
				return;
			}
		}
		pdu = sysgroup_pdu(sw, s);
	} else if (s->phase == PH_WALK)
		pdu = walk_pdu(sw, s);
	else {
		ln->state = LANE_IDLE;
		return;
	}
	void *sess = s->t.sa.ss_family == AF_INET6 ? sw->sess6 : sw->sess4;
	struct req *r = req_new(sw, s, lane);
	ln->state = LANE_WAIT;
	ln->attempts++;
	ln->inflight = r;
	r->sending = 1;
	int sent = snmp_sess_async_send(sess, pdu, on_reply, r) != 0;
	r->sending = 0;
	if (!sent) {
		/* A send error for one address (no route ...) is that target's
		 * outcome, not the scan's failure. net-snmp has told on_reply
		 * (SEND_FAILED), which left the request to us: it is freed here
		 * once, with the PDU net-snmp did not take. */
		int e = snmp_sess_session(sess)->s_snmp_errno;
		snmp_free_pdu(pdu);
		req_free(sw, r);
		ln->inflight = NULL;
		ln->state = LANE_IDLE;
		if (lane == LANE_DISC) {
			s->disc = -1;
			if (s->wait_engine) {
				s->wait_engine = 0;
				cred_try(sw, s);
			}
			return;
		}
		usm_release(sw, s);
		s->phase = PH_FINISHED;
		s->outcome = 0;
		snprintf(s->detail, sizeof s->detail, "%s", snmp_api_errstring(e));
		return;
	}
	sw->stats->sent++;
}

static void disc_done(struct sweep *sw, struct slot *s, netsnmp_pdu *pdu)
{
	if (pdu && pdu->securityEngineIDLen >= 5 && pdu->securityEngineIDLen <= MAX_ENGINE) {
		char num[24];
		u_int boots = 0, etime = 0;
		memcpy(s->engine, pdu->securityEngineID, pdu->securityEngineIDLen);
		s->engine_len = pdu->securityEngineIDLen;
		s->disc = 1;
		sw->stats->engines++;
		engine_hold(sw, s);
		sw_emit(sw, s, SUBJ_IP, s->t.addr, "snmp.engine-id", s->engine, s->engine_len);
		/* The report's boots and time, as net-snmp's USM recorded them
		 * (unauthenticated: what the agent claims). */
		if (get_enginetime(s->engine, (u_int)s->engine_len, &boots, &etime, FALSE) == SNMPERR_SUCCESS) {
			snprintf(num, sizeof num, "%u", boots);
			sw_emit(sw, s, SUBJ_IP, s->t.addr, "snmp.engine-boots", num, strlen(num));
			snprintf(num, sizeof num, "%u", etime);
			sw_emit(sw, s, SUBJ_IP, s->t.addr, "snmp.engine-time", num, strlen(num));
		}
	} else
		s->disc = -1;
	if (s->wait_engine) {
		s->wait_engine = 0;
		cred_try(sw, s);
	}
}

static const char *report_text(int type)
{
	switch (type) {
	case SNMPERR_UNKNOWN_USER_NAME:
		return "unknown user";
	case SNMPERR_AUTHENTICATION_FAILURE:
		return "wrong authentication key";
	case SNMPERR_DECRYPTION_ERR:
		return "wrong privacy key";
	case SNMPERR_UNSUPPORTED_SEC_LEVEL:
		return "security level not allowed";
	case SNMPERR_NOT_IN_TIME_WINDOW:
		return "not in time window";
	case SNMPERR_UNKNOWN_ENG_ID:
		return "unknown engine id";
	default:
		return "refused (report)";
	}
}

static void cred_answer(struct sweep *sw, struct slot *s, netsnmp_pdu *pdu)
{
	const struct snmp_cred *c = cred_of(sw, s);
	s->heard = 1;
	if (pdu->command == SNMP_MSG_REPORT) {
		cred_fail(sw, s, report_text(snmpv3_get_report_type(pdu)));
		return;
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
		if (s->want) {
			s->lane[LANE_MAIN].attempts = 0;
			sw_send_lane(sw, s, LANE_MAIN);
			return;
		}
	}
	/* An answer that is not a report: the credential was accepted. */
	s->cred_ok = s->cred;
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
	if (pdu->errstat != SNMP_ERR_NOERROR && pdu->errstat != SNMP_ERR_NOSUCHNAME)
		sw_problem(sw, s, "system group: agent answered %s", snmp_errstring((int)pdu->errstat));
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
		sw_value_text(v, &sw->val);
		sw_emit(sw, s, SUBJ_IP, s->t.addr, key, sw->val.p, sw->val.len);
	}
	if (sw->o->inventory) {
		s->phase = PH_WALK;
		s->getnext = c->version == 1;
		s->maxrep = sw->o->max_repetitions > 0 ? sw->o->max_repetitions : 24;
		s->walk = -1;
		walk_next(sw, s);
	} else
		s->phase = PH_FINISHED;
}

static void clear_session_engine(netsnmp_session *sess)
{
	/* net-snmp copies the first engine id it discovers into the session,
	 * and from there into every later PDU that has none -- our discovery
	 * requests. Each target's engine is its own: forget it here. */
	if (sess->securityEngineIDLen || sess->securityEngineID) {
		free(sess->securityEngineID);
		sess->securityEngineID = NULL;
		sess->securityEngineIDLen = 0;
	}
	if (sess->contextEngineIDLen || sess->contextEngineID) {
		free(sess->contextEngineID);
		sess->contextEngineID = NULL;
		sess->contextEngineIDLen = 0;
	}
}

static void maybe_finished(struct sweep *sw, struct slot *s);

static int on_reply(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	/* net-snmp's report handling has cast an asynchronous request's magic
	 * to its synchronous state and written its first int in some
	 * versions: struct req keeps a scratch int first for that. */
	struct req *r = magic;
	struct sweep *sw = sess->callback_magic;
	(void)reqid;
	if (!sw || !r)
		return 1;       /* the sweep is closing: its requests are freed there */
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		clear_session_engine(sess);
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && op != NETSNMP_CALLBACK_OP_TIMED_OUT &&
	    op != NETSNMP_CALLBACK_OP_SEND_FAILED)
		return 1;       /* SEC_ERROR (a report follows), RESEND ... */
	if (op == NETSNMP_CALLBACK_OP_SEND_FAILED && r->sending)
		return 1;       /* from inside our send: send_one() handles it */
	struct slot *s = r->slot;
	int lane = r->lane;
	req_free(sw, r);
	if (!s)
		return 1;       /* abandoned: its target is done */
	struct lane *ln = &s->lane[lane];
	ln->inflight = NULL;
	ln->state = LANE_IDLE;
	int answered = op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE;
	if (answered)
		sw->stats->received++;
	else if (ln->attempts <= sw->o->retries && (lane == LANE_MAIN || s->cred_ok < 0)) {
		/* Our retry, through the rate cap. The discovery is not retried
		 * once the agent has answered a credential: it is alive, and
		 * silent to SNMPv3. */
		sw_send_lane(sw, s, lane);
		return 1;
	}
	if (lane == LANE_DISC) {
		if (answered)
			s->heard = 1;
		disc_done(sw, s, answered ? pdu : NULL);
	} else if (s->phase == PH_CRED) {
		if (answered)
			cred_answer(sw, s, pdu);
		else
			cred_fail(sw, s, "no reply");
	} else if (s->phase == PH_WALK) {
		if (!answered)
			walk_no_answer(sw, s, "no reply");
		else if (pdu->command == SNMP_MSG_REPORT)
			walk_no_answer(sw, s, report_text(snmpv3_get_report_type(pdu)));
		else
			walk_answer(sw, s, pdu);
	}
	maybe_finished(sw, s);
	return 1;
}

/* ---------- start and finish ---------- */

static void start_target(struct sweep *sw, struct slot *s)
{
	s->phase = PH_CRED;
	s->cred = 0;
	s->cred_ok = -1;
	s->disc = sw->o->discovery ? 0 : -1;
	s->walk = -1;
	s->outcome = -1;
	snprintf(s->src, sizeof s->src, "%s%s%s:%u", s->t.sa.ss_family == AF_INET6 ? "[" : "", s->t.addr,
	         s->t.sa.ss_family == AF_INET6 ? "]" : "", s->t.port);
	for (int l = 0; l < NLANES; l++)
		memset(&s->lane[l], 0, sizeof s->lane[l]);
	/* The discovery goes first, before any community or user. */
	if (sw->o->discovery)
		sw_send_lane(sw, s, LANE_DISC);
	cred_try(sw, s);
}

static void maybe_finished(struct sweep *sw, struct slot *s)
{
	if (s->phase != PH_FINISHED || s->busy != 1)
		return;
	struct lane *d = &s->lane[LANE_DISC];
	if (d->state == LANE_WAIT && s->cred_ok >= 0 && s->walk >= 0 && d->inflight) {
		/* The agent answered a credential and a whole inventory walk
		 * (a dozen round trips) while its discovery did not: it does not
		 * speak SNMPv3. Abandon the request rather than hold the slot
		 * until it times out. (A system-group-only sweep waits: there
		 * the two answers race.) */
		d->inflight->slot = NULL;
		d->inflight = NULL;
		d->state = LANE_IDLE;
		s->disc = -1;
	}
	for (int l = 0; l < NLANES; l++)
		if (s->lane[l].state != LANE_IDLE)
			return;
	if (s->blocked || s->wait_engine)
		return;
	s->busy = 2;            /* finished, not yet written */
	sw->reap[sw->nreap++] = (int)(s - sw->slots);
}

static void summary(struct sweep *sw, struct slot *s)
{
	struct buf b = {0};
	for (int w = 0; w < snmp_nwalks; w++) {
		int32_t n = s->walk_count[w];
		buf_printf(&b, "%s%s=", b.len ? " " : "", snmp_walks[w].name);
		if (n >= 0)
			buf_printf(&b, "%d", n);
		else
			buf_adds(&b, n == -1 ? "skipped" : n == -2 ? "stopped" : "not-walked");
	}
	sw_emit(sw, s, SUBJ_IP, s->t.addr, "snmp.tables", b.p, b.len);
	buf_free(&b);
}

static void write_outcome(struct sweep *sw, struct slot *s)
{
	const char *state;
	char detail[sizeof s->detail + 200];
	detail[0] = 0;
	if (s->cred_ok >= 0) {
		s->outcome = 1;
		if (s->phase == PH_FINISHED && sw->o->inventory && s->walk >= 0)
			summary(sw, s);
		if (s->problems)
			snprintf(detail, sizeof detail, "%d walk problem%s: %s", s->problems, s->problems > 1 ? "s" : "",
			         s->first_problem);
	} else if (s->detail[0]) {
		s->outcome = 0;
		snprintf(detail, sizeof detail, "%s", s->detail);
	} else if (s->heard) {
		s->outcome = 2;
		snprintf(detail, sizeof detail, "no credential accepted: %s", s->why.p ? s->why.p : "none tried");
	} else {
		s->outcome = 0;
		snprintf(detail, sizeof detail, "no reply");
	}
	switch (s->outcome) {
	case 1:
		state = "answered";
		sw->stats->answered++;
		break;
	case 2:
		state = "refused";
		sw->stats->refused++;
		break;
	case 0:
		state = "unreachable";
		sw->stats->unreachable++;
		break;
	default:
		state = "error";
		sw->stats->errors++;
	}
	if (os_verbosity > 1) {
		/* -v: each target's outcome as it ends (over the progress line) */
		if (sw->o->progress)
			fputs("\r\033[K", stderr);
		os_info("%s: %s%s%s%s%s", s->t.name, state, s->cred_ok >= 0 ? " with credential " : "",
		        s->cred_ok >= 0 ? sw->o->creds->c[s->cred_ok].name : "", detail[0] ? ": " : "", detail);
	}
	if (s->reply_from[0])
		sw_emit(sw, s, SUBJ_IP, s->t.addr, "snmp.reply-from", s->reply_from, strlen(s->reply_from));
	if (sw->o->outcomes && sw->sink->target(sw->sink, s->t.name, state, detail[0] ? detail : NULL,
	                     s->cred_ok >= 0 ? sw->o->creds->c[s->cred_ok].name : NULL) < 0)
		sw->sink_failed = 1;
}

static void release_slot(struct sweep *sw, struct slot *s)
{
	if (s->blocked)
		sw->nblocked--;
	usm_release(sw, s);
	engine_release(sw, s);
	tables_free(s);
	buf_free(&s->why);
	int32_t *wc = s->walk_count;
	memset(s, 0, sizeof *s);
	s->walk_count = wc;
	for (int w = 0; w < snmp_nwalks; w++)
		wc[w] = -3;
	sw->free_slots[sw->nfree++] = (int)(s - sw->slots);
}

/* Send what slots have queued while the rate cap allows; each packet
 * takes a token (a slot's second lane may run the count a little below
 * zero: the cap holds over the next tenth of a second). */
static void send_queued(struct sweep *sw, double *tokens)
{
	while (sw->qlen && (sw->o->rate <= 0 || *tokens >= 1)) {
		struct slot *s = queue_pop(sw);
		for (int l = 0; l < NLANES; l++)
			if (s->lane[l].state == LANE_SEND) {
				*tokens -= 1;
				send_one(sw, s, l);
			}
		maybe_finished(sw, s);
	}
}

/* ---------- sessions, progress ---------- */

static void *open_session(struct sweep *sw, const char *peer, char *err, size_t errlen)
{
	netsnmp_session ss;
	snmp_sess_init(&ss);
	ss.version = SNMP_VERSION_2c;
	ss.peername = (char *)peer;
	ss.timeout = (long)sw->o->timeout_ms * 1000;
	ss.retries = 0;                 /* ours, through the rate cap */
	ss.callback_magic = sw;
	ss.flags |= SNMP_FLAGS_DONT_PROBE;
	void *sp = snmp_sess_open(&ss);
	if (!sp) {
		int liberr, syserr;
		char *msg = NULL;
		snmp_error(&ss, &liberr, &syserr, &msg);
		os_seterr(err, errlen, "cannot open an SNMP socket: %s", msg ? msg : "unknown error");
		free(msg);
		return NULL;
	}
	/* Every PDU says its own version; net-snmp checks a PDU's version
	 * against the session's unless the session's is the default. */
	snmp_sess_session(sp)->version = SNMP_DEFAULT_VERSION;
	/* Thousands of answers can arrive in a burst: a deep receive queue
	 * (forced when we may, else as deep as the system allows). */
	netsnmp_transport *tr = snmp_sess_transport(sp);
	if (tr && tr->sock >= 0) {
		int sz = 8 << 20;
		if (setsockopt(tr->sock, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz) < 0)
			setsockopt(tr->sock, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
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

/* Lowest position still in flight (or next): everything below is done. */
static uint64_t done_below(const struct sweep *sw, uint64_t next)
{
	uint64_t low = next;
	for (int i = 0; i < sw->nslots; i++)
		if (sw->slots[i].busy && sw->slots[i].pos < low)
			low = sw->slots[i].pos;
	return low;
}

/* Read what the sockets hold, up to a batch, before the next select: one
 * select per datagram would dominate at high rates. */
static void read_ready(struct sweep *sw, fd_set *fds, int maxfd)
{
	for (int batch = 0; batch < 256; batch++) {
		if (sw->sess4)
			snmp_sess_read(sw->sess4, fds);
		if (sw->sess6)
			snmp_sess_read(sw->sess6, fds);
		fd_set again;
		int m = 0, block = 0;
		struct timeval tv = {0, 0};
		FD_ZERO(&again);
		if (sw->sess4)
			snmp_sess_select_info(sw->sess4, &m, &again, &tv, &block);
		if (sw->sess6)
			snmp_sess_select_info(sw->sess6, &m, &again, &tv, &block);
		tv.tv_sec = tv.tv_usec = 0;
		if (select(m > maxfd ? m : maxfd, &again, NULL, NULL, &tv) <= 0)
			return;
		*fds = again;
	}
}

/* ---------- the loop ---------- */

int snmp_sweep(const struct target_set *ts, const struct snmp_opts *o, struct ev_sink *sink,
               volatile sig_atomic_t *stop, struct snmp_stats *stats, char *err, size_t errlen)
{
	struct sweep sw = {0};
	struct target_order ord;
	int rc = 0, any6 = 0, any4 = 0, active = 0;
	uint64_t next = o->start, granted = o->start, finished = o->start, ahead;
	double t0 = os_mono(), last_prog = 0, last_ckpt = t0, last_tmo = 0, tokens = 1, last_tok = t0;

	static const struct snmp_creds no_creds;
	struct snmp_opts disc_only;
	memset(stats, 0, sizeof *stats);
	if (o->discovery_only) {
		/* the unauthenticated discovery alone (originscan probe) */
		disc_only = *o;
		disc_only.creds = &no_creds;
		disc_only.discovery = 1;
		disc_only.inventory = 0;
		disc_only.crawl_depth = 0;
		o = &disc_only;
	} else if (!o->creds || !o->creds->n) {
		os_seterr(err, errlen, "no SNMP credential to try");
		return -1;
	}
	snmp_lib_init();
	targets_order_init(&ord, ts, o->seed, o->shard, o->nshards);
	sw.o = o;
	sw.ts = ts;
	crawl_init(&sw);
	sw.sink = sink;
	sw.stats = stats;
	sw.nslots = o->concurrency > 0 ? o->concurrency : 1;
	if ((uint64_t)sw.nslots > ord.count && ord.count > 0 && !sw.crawl.on)
		sw.nslots = (int)ord.count;  /* a small sweep needs no more slots than targets */
	sw.slots = xcalloc((size_t)sw.nslots, sizeof *sw.slots);
	sw.queue = xcalloc((size_t)sw.nslots, sizeof *sw.queue);
	sw.free_slots = xcalloc((size_t)sw.nslots, sizeof *sw.free_slots);
	sw.reap = xcalloc((size_t)sw.nslots, sizeof *sw.reap);
	int32_t *counts = xcalloc((size_t)sw.nslots * (size_t)snmp_nwalks, sizeof *counts);
	for (int i = sw.nslots - 1; i >= 0; i--) {
		sw.slots[i].walk_count = counts + (size_t)i * (size_t)snmp_nwalks;
		for (int w = 0; w < snmp_nwalks; w++)
			sw.slots[i].walk_count[w] = -3;
		sw.free_slots[sw.nfree++] = i;
	}
	for (size_t i = 0; i < ts->n; i++)
		*(ts->r[i].family == AF_INET6 ? &any6 : &any4) = 1;
	for (size_t i = 0; sw.crawl.on && i < o->nscope; i++)
		*(o->scope[i].family == AF_INET6 ? &any6 : &any4) = 1;      /* crawled addresses may be either */
	for (size_t i = 0; i < sw.crawl.nq; i++)
		*(sw.crawl.q[i].t.sa.ss_family == AF_INET6 ? &any6 : &any4) = 1;
	if (any4 && !(sw.sess4 = open_session(&sw, "udp:0.0.0.0:161", err, errlen)))
		goto fail;
	if (any6 && !(sw.sess6 = open_session(&sw, "udp6:[::]:161", err, errlen)))
		goto fail;

	/* Positions are granted ahead in blocks, each grant recorded before
	 * any position in it starts: after a crash, nothing at or beyond the
	 * recorded grant was ever polled. */
	ahead = (uint64_t)sw.nslots * 2 + 256;
	stats->targets = ord.count;
	for (;;) {
		/* 1. send: queued lanes first (work under way), then new targets */
		double now = os_mono();
		if (o->rate > 0) {
			double burst = o->rate / 20 > 1 ? o->rate / 20 : 1;
			tokens += (now - last_tok) * o->rate;
			if (tokens > burst)
				tokens = burst;
			last_tok = now;
		}
		if (!*stop)
			send_queued(&sw, &tokens);
		while (!*stop && sw.nfree && next < ord.count && !sw.qlen && (o->rate <= 0 || tokens >= 1)) {
			if (next >= granted) {
				granted = next + ahead;
				if (o->checkpoint && o->checkpoint(o->cb_ctx, done_below(&sw, next), granted) < 0) {
					os_seterr(err, errlen, "could not record the resume point");
					goto fail;
				}
			}
			uint64_t pos = next++;
			struct slot *s = &sw.slots[sw.free_slots[sw.nfree - 1]];
			if (!targets_get(ts, targets_order_index(&ord, pos), &s->t)) {
				stats->excluded++;
				finished++;
				continue;
			}
			if (pos < o->resume_granted && o->done) {
				int d = o->done(o->cb_ctx, &s->t);
				if (d < 0) {
					os_seterr(err, errlen, "could not read the resumed scan's targets");
					goto fail;
				}
				if (d) {
					stats->skipped++;
					finished++;
					continue;
				}
			}
			sw.nfree--;
			s->busy = 1;
			s->pos = pos;
			active++;
			start_target(&sw, s);
			maybe_finished(&sw, s);
			send_queued(&sw, &tokens);     /* its first packets */
		}
		/* ... then the crawl's addresses, level by level, once every
		 * position has started (snmp_crawl.c) */
		while (!*stop && sw.nfree && next >= ord.count && !sw.qlen && (o->rate <= 0 || tokens >= 1)) {
			struct slot *s = &sw.slots[sw.free_slots[sw.nfree - 1]];
			uint32_t depth;
			if (!crawl_take(&sw, &s->t, &depth))
				break;
			sw.nfree--;
			s->busy = 1;
			s->pos = ord.count;
			s->depth = depth;
			active++;
			stats->crawled++;
			start_target(&sw, s);
			maybe_finished(&sw, s);
			send_queued(&sw, &tokens);
		}
		/* 4. finished slots write their outcome */
		for (int i = 0; i < sw.nreap; i++) {
			struct slot *s = &sw.slots[sw.reap[i]];
			write_outcome(&sw, s);
			release_slot(&sw, s);
			active--;
			finished++;
		}
		sw.nreap = 0;
		if (sw.sink_failed) {
			os_seterr(err, errlen, "could not store evidence");
			goto fail;
		}
		if (o->checkpoint && now - last_ckpt > 0.5) {
			if (o->checkpoint(o->cb_ctx, done_below(&sw, next), granted) < 0) {
				os_seterr(err, errlen, "could not record the resume point");
				goto fail;
			}
			last_ckpt = now;
		}
		if (now - last_prog > 0.2) {
			progress(&sw, finished, ord.count + sw.crawl.nq, t0, 0);
			last_prog = now;
		}
		if (active == 0 && ((next >= ord.count && !crawl_pending(&sw)) || *stop))
			break;
		if (*stop)
			break;  /* abandon what is in flight: those targets get no outcome */

		/* 2. wait for replies or the next timeout (at most 100 ms: the
		 * rate cap, progress and the stop flag need the loop) */
		fd_set fds;
		int maxfd = 0, block = 1;
		struct timeval tv = {0, 0};
		FD_ZERO(&fds);
		if (sw.sess4)
			snmp_sess_select_info(sw.sess4, &maxfd, &fds, &tv, &block);
		if (sw.sess6)
			snmp_sess_select_info(sw.sess6, &maxfd, &fds, &tv, &block);
		long wait_us = block ? 100000 : tv.tv_sec * 1000000L + tv.tv_usec;
		if (wait_us > 100000)
			wait_us = 100000;
		int want_send = sw.qlen || (sw.nfree && (next < ord.count || crawl_ready(&sw)));
		if (want_send && o->rate > 0 && tokens < 1) {
			long tok_us = (long)((1 - tokens) / o->rate * 1e6) + 1;
			if (tok_us < wait_us)
				wait_us = tok_us;
		} else if (want_send)
			wait_us = 0;
		tv.tv_sec = wait_us / 1000000;
		tv.tv_usec = wait_us % 1000000;
		int n = select(maxfd, &fds, NULL, NULL, &tv);
		if (n < 0 && errno != EINTR) {
			os_seterr(err, errlen, "select: %s", strerror(errno));
			goto fail;
		}
		/* 3. replies and timeouts run on_reply() */
		if (n > 0)
			read_ready(&sw, &fds, maxfd);
		now = os_mono();
		if (n == 0 || now - last_tmo > 0.01) {
			if (sw.sess4)
				snmp_sess_timeout(sw.sess4);
			if (sw.sess6)
				snmp_sess_timeout(sw.sess6);
			last_tmo = now;
		}
	}
	progress(&sw, finished, ord.count + sw.crawl.nq, t0, 1);
	stats->done_below = done_below(&sw, next);
	stats->granted = granted;
	if (o->checkpoint && o->checkpoint(o->cb_ctx, stats->done_below, granted) < 0) {
		os_seterr(err, errlen, "could not record the resume point");
		goto fail;
	}
	if (*stop)
		rc = 1;
	goto out;
fail:
	rc = -1;
	stats->done_below = done_below(&sw, next);
	stats->granted = granted;
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
	while (sw.live)
		req_free(&sw, sw.live);
	for (int i = 0; i < sw.nslots; i++)
		if (sw.slots[i].busy) {
			sw.slots[i].busy = 0;
			release_slot(&sw, &sw.slots[i]);
		}
	usm_release_all(&sw);
	crawl_free(&sw);
	buf_free(&sw.val);
	free(counts);
	free(sw.slots);
	free(sw.queue);
	free(sw.free_slots);
	free(sw.reap);
	stats->seconds = os_mono() - t0;
	return rc;
}
