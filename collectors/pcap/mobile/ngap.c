/* NGAP (TS 38.413) over SCTP, PPID 60, port 38412: the 5G RAN node (gNB,
 * ng-eNB, N3IWF) and the AMF of an NG interface.
 *
 * NG Setup Request / RAN Configuration Update (from the RAN node): RAN
 * node name, Global RAN Node ID (gNB id with its bit length 22..32,
 * ng-eNB macro / short / long macro id, N3IWF id), supported TAs with
 * their broadcast PLMNs. NG Setup Response / AMF Configuration Update
 * (from the AMF): AMF name, served GUAMIs (PLMN, region, set, pointer,
 * backup AMF name), PLMN support list with its S-NSSAIs. Procedures of
 * fixed direction (Initial UE Message RAN -> AMF, Paging AMF -> RAN ...)
 * give the two ends' roles from ordinary traffic.
 *
 * Aligned PER, IE containers only (per.c); other IEs skipped by length.
 * No state.
 */
#include <stdio.h>
#include <string.h>

#include "mobile.h"

enum {
	PROC_AMF_CONF = 0, PROC_HO_NOTIFY = 11, PROC_HO_PREP = 12,
	PROC_HO_ALLOC = 13, PROC_ICS = 14, PROC_INITIAL_UE = 15, PROC_NG_SETUP = 21, PROC_PAGING = 24,
	PROC_PATH_SWITCH = 25, PROC_PDU_MODIFY = 26, PROC_PDU_RELEASE = 28, PROC_PDU_SETUP = 29,
	PROC_RAN_CONF = 35, PROC_UE_MOD = 40, PROC_UE_REL = 41, PROC_UE_REL_REQ = 42,
	PROC_UE_CAP = 44,
};

enum {
	IE_AMF_NAME = 1, IE_GLOBAL_RAN_NODE_ID = 27, IE_PLMN_SUPPORT = 80, IE_RAN_NODE_NAME = 82,
	IE_SERVED_GUAMIS = 96, IE_SUPPORTED_TAS = 102,
};

static const uint8_t from_ran[] = {PROC_HO_NOTIFY, PROC_HO_PREP, PROC_INITIAL_UE, PROC_NG_SETUP,
                                   PROC_PATH_SWITCH, PROC_RAN_CONF, PROC_UE_REL_REQ, PROC_UE_CAP};
static const uint8_t from_amf[] = {PROC_AMF_CONF, PROC_HO_ALLOC, PROC_ICS, PROC_PAGING, PROC_PDU_MODIFY,
                                   PROC_PDU_RELEASE, PROC_PDU_SETUP, PROC_UE_MOD, PROC_UE_REL};
/* NAS transports left out as in S1AP: Initial UE Message and Initial
 * Context Setup of the same connection say the same. */

static int in(const uint8_t *set, size_t n, unsigned proc)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == proc)
			return 1;
	return 0;
}

struct ng {
	const struct pkt_ctx *ctx;
	const char *ran_fn;     /* from the Global RAN Node ID: "ran/gnb" ... */
	unsigned emitted;
};

static int plmn_at(struct bitcur *b, char out[8])
{
	struct cur p = per_fixed_octets(b, 3);
	const uint8_t *pp = cur_bytes(&p, 3);
	if (!pp)
		return -1;
	mob_plmn(pp, out);
	return 0;
}

static int global_ran_node_id(struct bitcur *b, struct ng *g)
{
	char txt[64], link[80];
	int r = ap_global_ran_node_id(b, 0, txt, sizeof txt, &g->ran_fn);
	if (r <= 0)
		return r;
	mob_fact(g->ctx, MOB_SRC, "ngap.global-ran-node-id", "%s", txt);
	snprintf(link, sizeof link, "ran:%s", txt);
	mob_link(g->ctx, MOB_SRC, link);
	return 0;
}

/* SliceSupportList: SIZE (1..1024) OF {S-NSSAI {sST, sD OPTIONAL}}. */
static void slices(struct bitcur *b, struct ng *g, const char *plmn, const char *key)
{
	uint32_t n = per_cons(b, 1, 1024);
	for (uint32_t i = 0; i < n && !b->err; i++) {
		int ext = (int)bitcur_get(b, 1), opt = (int)bitcur_get(b, 1);
		int sext = (int)bitcur_get(b, 1), has_sd = (int)bitcur_get(b, 1), sopt = (int)bitcur_get(b, 1);
		uint32_t sst = bitcur_get(b, 8);
		char sd[8] = "";
		if (has_sd) {
			struct cur s = per_fixed_octets(b, 3);
			const uint8_t *sp = cur_bytes(&s, 3);
			if (sp)
				mob_hex(sp, 3, sd);
		}
		if (sopt)
			per_skip_ext_container(b);
		if (sext)
			per_skip_ext_additions(b);
		if (opt)
			per_skip_ext_container(b);
		if (ext)
			per_skip_ext_additions(b);
		if (key && !b->err && g->emitted++ < MOB_MAX_ITEMS)
			mob_fact(g->ctx, MOB_SRC, key, "%s:%u%s%s", plmn, sst, sd[0] ? ":0x" : "", sd);
	}
}

static void supported_tas(struct bitcur *b, struct ng *g)
{
	uint32_t n = per_cons(b, 1, 256);       /* maxnoofTACs */
	for (uint32_t i = 0; i < n && !b->err; i++) {
		int ext = (int)bitcur_get(b, 1), opt = (int)bitcur_get(b, 1);
		struct cur t = per_fixed_octets(b, 3);  /* TAC: 3 octets in 5GS */
		uint32_t tac = cur_be24(&t);
		uint32_t np = per_cons(b, 1, 12);       /* maxnoofBPLMNs */
		for (uint32_t j = 0; j < np && !b->err; j++) {
			char plmn[8];
			int bext = (int)bitcur_get(b, 1), bopt = (int)bitcur_get(b, 1);
			if (plmn_at(b, plmn) < 0)
				return;
			if (g->emitted++ < MOB_MAX_ITEMS)
				mob_fact(g->ctx, MOB_SRC, "ngap.tai", "%s:0x%06x", plmn, tac);
			slices(b, g, plmn, NULL);
			if (bopt)
				per_skip_ext_container(b);
			if (bext)
				per_skip_ext_additions(b);
		}
		if (opt)
			per_skip_ext_container(b);
		if (ext)
			per_skip_ext_additions(b);
	}
}

static void plmn_support(struct bitcur *b, struct ng *g)
{
	uint32_t n = per_cons(b, 1, 12);        /* maxnoofPLMNs */
	for (uint32_t i = 0; i < n && !b->err; i++) {
		char plmn[8];
		int ext = (int)bitcur_get(b, 1), opt = (int)bitcur_get(b, 1);
		if (plmn_at(b, plmn) < 0)
			return;
		if (g->emitted++ < MOB_MAX_ITEMS)
			mob_fact(g->ctx, MOB_SRC, "ngap.plmn-support", "%s", plmn);
		slices(b, g, plmn, "ngap.s-nssai");
		if (opt)
			per_skip_ext_container(b);
		if (ext)
			per_skip_ext_additions(b);
	}
}

static void served_guamis(struct bitcur *b, struct ng *g, int link)
{
	uint32_t n = per_cons(b, 1, 256);       /* maxnoofServedGUAMIs */
	for (uint32_t i = 0; i < n && !b->err; i++) {
		char plmn[8];
		int ext = (int)bitcur_get(b, 1), has_backup = (int)bitcur_get(b, 1), opt = (int)bitcur_get(b, 1);
		int gext = (int)bitcur_get(b, 1), gopt = (int)bitcur_get(b, 1);
		if (plmn_at(b, plmn) < 0)
			return;
		uint32_t region = bitcur_get(b, 8), set = bitcur_get(b, 10), ptr = bitcur_get(b, 6);
		if (gopt)
			per_skip_ext_container(b);
		if (gext)
			per_skip_ext_additions(b);
		if (b->err)
			return;
		if (g->emitted++ < MOB_MAX_ITEMS) {
			char id[64];
			snprintf(id, sizeof id, "amf:%s:0x%02x:0x%03x:0x%02x", plmn, region, set, ptr);
			mob_fact(g->ctx, MOB_SRC, "ngap.guami", "%s", id + 4);
			if (link)       /* not from an update: it may announce a GUAMI taken over */
				mob_link(g->ctx, MOB_SRC, id);
		}
		if (has_backup) {
			struct cur s = per_string(b, 1, 150, 1);
			size_t sn = cur_left(&s);
			if (!b->err)
				mob_fact_raw(g->ctx, MOB_SRC, "ngap.backup-amf-name", cur_bytes(&s, sn), sn);
		}
		if (opt)
			per_skip_ext_container(b);
		if (ext)
			per_skip_ext_additions(b);
	}
}

static int ng_ie(void *arg, const struct ap_msg *m, unsigned id, struct cur *v)
{
	struct ng *g = arg;
	size_t n = cur_left(v);
	struct bitcur b = bitcur_make(cur_bytes(v, n), n);
	int setup = m->proc == PROC_NG_SETUP || m->proc == PROC_RAN_CONF || m->proc == PROC_AMF_CONF;
	if (!setup || m->kind == AP_FAILURE)
		return 0;
	switch (id) {
	case IE_GLOBAL_RAN_NODE_ID:
		return global_ran_node_id(&b, g);
	case IE_RAN_NODE_NAME:
	case IE_AMF_NAME: {
		struct cur s = per_string(&b, 1, 150, 1);
		size_t sn = cur_left(&s);
		if (b.err)
			return -1;
		mob_fact_raw(g->ctx, MOB_SRC, id == IE_AMF_NAME ? "ngap.amf-name" : "ngap.ran-node-name",
		             cur_bytes(&s, sn), sn);
		return 0;
	}
	case IE_SUPPORTED_TAS:
		supported_tas(&b, g);
		break;
	case IE_PLMN_SUPPORT:
		plmn_support(&b, g);
		break;
	case IE_SERVED_GUAMIS:
		served_guamis(&b, g, m->proc == PROC_NG_SETUP);
		break;
	default:
		return 0;
	}
	return b.err ? -1 : 0;
}

static dis_result ngap_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	struct ap_msg m;
	struct ng g = {ctx, NULL, 0};
	dis_result r = ap_walk(c, &m, ng_ie, &g);
	if (r != DIS_OK)
		return r;
	int ran_sends = in(from_ran, sizeof from_ran, m.proc), amf_sends = in(from_amf, sizeof from_amf, m.proc);
	if (m.kind != AP_INITIATING) {
		int t = ran_sends;
		ran_sends = amf_sends;
		amf_sends = t;
	}
	if (ran_sends || amf_sends) {
		/* the RAN end is a gNB or ng-eNB only when its setup said so */
		mob_fact_str(ctx, ran_sends ? MOB_SRC : MOB_DST, "ngap.role", ran_sends && g.ran_fn ? g.ran_fn : "ran");
		mob_fact_str(ctx, ran_sends ? MOB_DST : MOB_SRC, "ngap.role", "core/amf");
	}
	return DIS_OK;
}

/* As for S1AP: only the setup procedures need the dry run. */
dis_result dis_ngap(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t proc;
	if (cur_peek_u8(c, 1, &proc) && proc != PROC_NG_SETUP && proc != PROC_RAN_CONF && proc != PROC_AMF_CONF)
		return ngap_walk(c, ctx);
	return dis_validated(ngap_walk, c, ctx);
}
