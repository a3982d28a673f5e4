/* S1AP (TS 36.413) over SCTP, PPID 18, port 36412: the eNB and the MME
 * of an S1 interface.
 *
 * S1 Setup Request / eNB Configuration Update (from the eNB): eNB name,
 * Global eNB ID (PLMN, macro / home / short / long macro id), supported
 * TAs with their broadcast PLMNs. S1 Setup Response / MME Configuration
 * Update (from the MME): MME name and the served GUMMEIs (PLMNs, MME
 * group ids, MME codes). Every other procedure whose direction is fixed
 * (Initial UE Message goes eNB -> MME, Paging MME -> eNB ...) still says
 * which end is the eNB and which the MME, so role facts come from
 * ordinary traffic too, not only from the rare setup.
 *
 * Aligned PER: only the protocol IE container and the IEs above are
 * decoded (per.c); any other IE is skipped by its length. No state.
 */
#include <stdio.h>
#include <string.h>

#include "mobile.h"

enum {
	PROC_HO_PREP = 0, PROC_HO_ALLOC = 1, PROC_HO_NOTIFY = 2, PROC_PATH_SWITCH = 3,
	PROC_ERAB_SETUP = 5, PROC_ERAB_MODIFY = 6, PROC_ERAB_RELEASE = 7, PROC_ERAB_REL_IND = 8,
	PROC_ICS = 9, PROC_PAGING = 10, PROC_INITIAL_UE = 12,
	PROC_S1_SETUP = 17, PROC_UE_REL_REQ = 18, PROC_UE_MOD = 21, PROC_UE_CAP = 22,
	PROC_UE_REL = 23, PROC_ENB_CONF = 29, PROC_MME_CONF = 30,
};

enum {
	IE_GLOBAL_ENB_ID = 59, IE_ENB_NAME = 60, IE_MME_NAME = 61, IE_SUPPORTED_TAS = 64,
	IE_SERVED_GUMMEIS = 105,
};

/* Initiating messages of the procedures started by the eNB, and by the
 * MME; outcomes go the other way. Reset and Error Indication go either
 * way and say nothing. */
static const uint8_t from_enb[] = {PROC_HO_PREP, PROC_HO_NOTIFY, PROC_PATH_SWITCH, PROC_ERAB_REL_IND,
                                   PROC_INITIAL_UE, PROC_S1_SETUP, PROC_UE_REL_REQ, PROC_UE_CAP,
                                   PROC_ENB_CONF};
static const uint8_t from_mme[] = {PROC_HO_ALLOC, PROC_ERAB_SETUP, PROC_ERAB_MODIFY, PROC_ERAB_RELEASE,
                                   PROC_ICS, PROC_PAGING, PROC_UE_MOD, PROC_UE_REL, PROC_MME_CONF};
/* Uplink and Downlink NAS Transport (the bulk of S1AP) are left out on
 * purpose: every UE connection they belong to starts with an Initial UE
 * Message and an Initial Context Setup, which say the same, so reading
 * them for roles would only repeat facts the collector then discards. */

static int in(const uint8_t *set, size_t n, unsigned proc)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == proc)
			return 1;
	return 0;
}

static void served_gummeis(struct bitcur *b, const struct pkt_ctx *ctx, int link)
{
	uint32_t n = per_cons(b, 1, 8);         /* maxnoofRATs */
	unsigned emitted = 0;
	for (uint32_t i = 0; i < n && !b->err; i++) {
		int ext = (int)bitcur_get(b, 1), opt = (int)bitcur_get(b, 1);
		char first_plmn[8] = "";
		uint32_t np = per_cons(b, 1, 32);       /* maxnoofPLMNsPerMME */
		for (uint32_t j = 0; j < np && !b->err; j++) {
			struct cur p = per_fixed_octets(b, 3);
			const uint8_t *pp = cur_bytes(&p, 3);
			char plmn[8];
			if (!pp)
				break;
			mob_plmn(pp, plmn);
			if (!first_plmn[0])
				memcpy(first_plmn, plmn, sizeof plmn);
			if (emitted++ < MOB_MAX_ITEMS)
				mob_fact(ctx, MOB_SRC, "s1ap.served-plmn", "%s", plmn);
		}
		uint32_t ng = per_cons(b, 1, 65535), gids[8];   /* maxnoofGroupIDs */
		for (uint32_t j = 0; j < ng && !b->err; j++) {
			uint32_t g = bitcur_get(b, 16);
			if (j < 8)
				gids[j] = g;
			if (emitted++ < MOB_MAX_ITEMS)
				mob_fact(ctx, MOB_SRC, "s1ap.mme-group-id", "0x%04x", g);
		}
		uint32_t nc = per_cons(b, 1, 256), codes[8];     /* maxnoofMMECs */
		for (uint32_t j = 0; j < nc && !b->err; j++) {
			uint32_t code = bitcur_get(b, 8);
			if (j < 8)
				codes[j] = code;
			if (emitted++ < MOB_MAX_ITEMS)
				mob_fact(ctx, MOB_SRC, "s1ap.mme-code", "0x%02x", code);
		}
		/* GUMMEI = PLMN + group + code names one MME: link a few, from the
		 * setup only (a configuration update may announce a GUMMEI taken
		 * over from a failed pool member) */
		for (uint32_t g = 0; !b->err && first_plmn[0] && g < ng && g < 8; g++)
			for (uint32_t k = 0; k < nc && k < 8; k++) {
				char id[64];
				snprintf(id, sizeof id, "mme:%s:0x%04x:0x%02x", first_plmn, gids[g], codes[k]);
				mob_fact(ctx, MOB_SRC, "s1ap.gummei", "%s", id + 4);
				if (link)
					mob_link(ctx, MOB_SRC, id);
			}
		if (opt)
			per_skip_ext_container(b);
		if (ext)
			per_skip_ext_additions(b);
	}
}

static int s1_ie(void *arg, const struct ap_msg *m, unsigned id, struct cur *v)
{
	const struct pkt_ctx *ctx = arg;
	size_t n = cur_left(v);
	struct bitcur b = bitcur_make(cur_bytes(v, n), n);
	int setup = m->proc == PROC_S1_SETUP || m->proc == PROC_ENB_CONF || m->proc == PROC_MME_CONF;
	if (!setup || m->kind == AP_FAILURE)
		return 0;
	switch (id) {
	case IE_GLOBAL_ENB_ID: {
		char gid[64], link[72];
		if (ap_global_enb_id(&b, gid, sizeof gid) < 0)
			return -1;
		mob_fact(ctx, MOB_SRC, "s1ap.global-enb-id", "%s", gid);
		snprintf(link, sizeof link, "enb:%s", gid);
		mob_link(ctx, MOB_SRC, link);
		return 0;
	}
	case IE_ENB_NAME:
	case IE_MME_NAME: {
		struct cur s = per_string(&b, 1, 150, 1);
		size_t sn = cur_left(&s);
		if (b.err)
			return -1;
		mob_fact_raw(ctx, MOB_SRC, id == IE_ENB_NAME ? "s1ap.enb-name" : "s1ap.mme-name",
		             cur_bytes(&s, sn), sn);
		return 0;
	}
	case IE_SUPPORTED_TAS:
		return ap_s1_supported_tas(&b, ctx, "s1ap.tai");
	case IE_SERVED_GUMMEIS:
		served_gummeis(&b, ctx, m->proc == PROC_S1_SETUP);
		return b.err ? -1 : 0;
	default:
		return 0;
	}
}

static dis_result s1ap_walk(struct cur *c, const struct pkt_ctx *ctx)
{
	struct ap_msg m;
	dis_result r = ap_walk(c, &m, s1_ie, (void *)ctx);
	if (r != DIS_OK)
		return r;
	int enb_sends = in(from_enb, sizeof from_enb, m.proc), mme_sends = in(from_mme, sizeof from_mme, m.proc);
	if (m.kind != AP_INITIATING) {
		int t = enb_sends;
		enb_sends = mme_sends;
		mme_sends = t;
	}
	if (enb_sends || mme_sends) {
		mob_fact_str(ctx, enb_sends ? MOB_SRC : MOB_DST, "s1ap.role", "ran/enb");
		mob_fact_str(ctx, enb_sends ? MOB_DST : MOB_SRC, "s1ap.role", "core/mme");
	}
	return DIS_OK;
}

/* Only the setup procedures emit facts while walking; the others emit
 * their role facts once the whole PDU has been read, so they need no dry
 * run (most S1AP traffic is UE signalling: this halves its cost). */
dis_result dis_s1ap(struct cur *c, const struct pkt_ctx *ctx)
{
	uint8_t proc;
	if (cur_peek_u8(c, 1, &proc) && proc != PROC_S1_SETUP && proc != PROC_ENB_CONF && proc != PROC_MME_CONF)
		return s1ap_walk(c, ctx);
	return dis_validated(s1ap_walk, c, ctx);
}
