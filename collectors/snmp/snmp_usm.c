/* SNMPv3 USM state held by targets in flight.
 *
 * Why one shared session and not one net-snmp session per engine: a
 * session is a socket, and a /16 of v3 agents would need thousands. What
 * v3 needs per target is not a session but a USM user entry -- net-snmp
 * keeps users in one list keyed by (engine id, user name) with the keys
 * localised to that engine (RFC 3414 2.6) -- and the engine's boots/time
 * (its LCD, filled by the discovery report). A PDU that names the engine
 * and the user finds both, whatever session sends it. So here:
 *   - a user entry is created from the credential's master keys (Ku,
 *     computed once when the credentials were read) when a target first
 *     tries that credential with that engine, shared by targets behind the
 *     same engine id (cloned agents, one agent on many addresses), and
 *     removed when the last of them is done;
 *   - two credentials with the same user name but different keys cannot
 *     both have an entry for one engine: the second target waits until
 *     the first is done with it (rare: duplicated engine ids);
 *   - an engine's time record is dropped when no target in flight has
 *     that engine.
 * Memory is therefore bounded by the targets in flight, not by the
 * engines seen. An entry costs net-snmp about 300 bytes plus keys.
 */
#include "snmp_int.h"

#include <stdlib.h>
#include <string.h>

struct engine_ref {
	struct engine_ref *next;
	uint8_t id[MAX_ENGINE];
	size_t len;
	int refs;
};

struct usm_ref {
	struct usm_ref *next;
	uint8_t engine[MAX_ENGINE];
	size_t elen;
	const struct snmp_cred *cred;
	struct usmUser *user;
	int refs;
};

void engine_hold(struct sweep *sw, struct slot *s)
{
	struct engine_ref *e;
	if (s->eng)
		return;
	for (e = sw->engines; e; e = e->next)
		if (e->len == s->engine_len && !memcmp(e->id, s->engine, e->len))
			break;
	if (!e) {
		e = xcalloc(1, sizeof *e);
		memcpy(e->id, s->engine, s->engine_len);
		e->len = s->engine_len;
		e->next = sw->engines;
		sw->engines = e;
	}
	e->refs++;
	s->eng = e;
}

static void engine_drop(struct sweep *sw, struct engine_ref *e)
{
	for (struct engine_ref **pp = &sw->engines; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	free_enginetime(e->id, e->len);
	free(e);
}

void engine_release(struct sweep *sw, struct slot *s)
{
	struct engine_ref *e = s->eng;
	s->eng = NULL;
	if (e && --e->refs == 0)
		engine_drop(sw, e);
}

/* One half of a USM user (authentication or privacy): the protocol and
 * master key when the level uses it, else the "none" protocol. */
static void use_key(int on, oid *proto, size_t protolen, oid *none, size_t nonelen, const uint8_t *ku,
                    size_t kulen, oid **dproto, size_t *dprotolen, u_char *dkey, size_t *dkeylen)
{
	*dproto = on ? proto : none;
	*dprotolen = on ? protolen : nonelen;
	if (on) {
		memcpy(dkey, ku, kulen);
		*dkeylen = kulen;
	}
}

int usm_acquire(struct sweep *sw, struct slot *s, const struct snmp_cred *c)
{
	struct usm_ref *r;
	for (r = sw->usm; r; r = r->next)
		if (r->elen == s->engine_len && !memcmp(r->engine, s->engine, r->elen) &&
		    !strcmp(r->cred->user, c->user)) {
			if (r->cred != c)
				return 1;
			r->refs++;
			s->usm = r;
			return 0;
		}
	if (usm_get_user(s->engine, s->engine_len, c->user))
		return -1;      /* an entry we did not make (cannot happen: persistent state is off) */

	netsnmp_session tmp;
	size_t len = 0;
	memset(&tmp, 0, sizeof tmp);
	tmp.version = SNMP_VERSION_3;
	tmp.securityModel = SNMP_SEC_MODEL_USM;
	tmp.securityName = c->user;
	tmp.securityNameLen = strlen(c->user);
	tmp.securityEngineID = s->engine;
	tmp.securityEngineIDLen = s->engine_len;
	tmp.securityLevel = c->level;
	size_t plen = 0;
	oid *aoid = sc_get_auth_oid(c->auth_type, &len), *poid = sc_get_priv_oid(c->priv_type, &plen);
	use_key(c->level >= SNMP_SEC_LEVEL_AUTHNOPRIV, aoid, len, usmNoAuthProtocol, OID_LENGTH(usmNoAuthProtocol),
	        c->auth_ku, c->auth_ku_len, &tmp.securityAuthProto, &tmp.securityAuthProtoLen, tmp.securityAuthKey,
	        &tmp.securityAuthKeyLen);
	use_key(c->level == SNMP_SEC_LEVEL_AUTHPRIV, poid, plen, usmNoPrivProtocol, OID_LENGTH(usmNoPrivProtocol),
	        c->priv_ku, c->priv_ku_len, &tmp.securityPrivProto, &tmp.securityPrivProtoLen, tmp.securityPrivKey,
	        &tmp.securityPrivKeyLen);
	int rc = usm_create_user_from_session(&tmp);
	explicit_bzero(tmp.securityAuthKey, sizeof tmp.securityAuthKey);
	explicit_bzero(tmp.securityPrivKey, sizeof tmp.securityPrivKey);
	struct usmUser *u = rc == SNMPERR_SUCCESS ? usm_get_user(s->engine, s->engine_len, c->user) : NULL;
	if (!u || !tmp.securityAuthProto || (c->level == SNMP_SEC_LEVEL_AUTHPRIV && !tmp.securityPrivProto))
		return -1;
	r = xcalloc(1, sizeof *r);
	memcpy(r->engine, s->engine, s->engine_len);
	r->elen = s->engine_len;
	r->cred = c;
	r->user = u;
	r->refs = 1;
	r->next = sw->usm;
	sw->usm = r;
	s->usm = r;
	return 0;
}

static void usm_drop(struct sweep *sw, struct usm_ref *r)
{
	for (struct usm_ref **pp = &sw->usm; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	usm_remove_user(r->user);
	usm_free_user(r->user);         /* zeroes the localised keys */
	free(r);
}

void usm_release(struct sweep *sw, struct slot *s)
{
	struct usm_ref *r = s->usm;
	s->usm = NULL;
	if (!r || --r->refs > 0)
		return;
	usm_drop(sw, r);
	/* a target may have been waiting for this user name */
	for (int i = 0; sw->nblocked && i < sw->nslots; i++) {
		struct slot *b = &sw->slots[i];
		if (b->busy && b->blocked) {
			b->blocked = 0;
			sw->nblocked--;
			sw_send_lane(sw, b, LANE_MAIN);
		}
	}
}

void usm_release_all(struct sweep *sw)
{
	while (sw->usm)
		usm_drop(sw, sw->usm);
	while (sw->engines)
		engine_drop(sw, sw->engines);
}
