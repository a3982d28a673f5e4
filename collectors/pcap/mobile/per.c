/* Aligned PER (X.691, ALIGNED variant) as far as the 3GPP application
 * protocols need it to reach their identity IEs: constrained numbers,
 * length determinants, open types, printable strings, and skipping the
 * extension containers and extension additions we do not read.
 *
 * Every read goes through struct bitcur, which fails (and stays failed)
 * at the first read past the end, so callers only test b->err once after
 * a group of reads. Cost: no allocation; a walk is linear in the octets of
 * the PDU. Loops are bounded by the counts the PDU declares, and each
 * iteration consumes at least one bit or stops on error, so a hostile
 * count ends when the data does.
 */
#include <stdio.h>

#include "mobile.h"

static unsigned bits_for(uint64_t range)      /* ceil(log2(range)), range >= 2 */
{
	unsigned n = 0;
	while (((uint64_t)1 << n) < range)
		n++;
	return n;
}

/* 8 or 16 bits from an octet boundary, read as octets: the bulk of what
 * aligned PER reads (counts, IE ids, lengths) without the bit loop. */
static uint32_t octets_be(struct bitcur *b, unsigned n)
{
	struct cur c = bitcur_octets(b, n / 8);
	return n == 8 ? cur_u8(&c) : cur_be16(&c);
}

uint32_t per_cons(struct bitcur *b, uint32_t lb, uint32_t ub)
{
	uint64_t range = (uint64_t)ub - lb + 1, v;
	if (ub < lb) {
		bitcur_fail(b);
		return 0;
	}
	if (range == 1)
		return lb;
	if (range <= 255) {
		v = bitcur_get(b, bits_for(range));
	} else if (range == 256) {
		v = octets_be(b, 8);            /* bitcur_octets aligns first */
	} else if (range <= 65536) {
		v = octets_be(b, 16);
	} else {
		/* the value in as few octets as it needs, their count first */
		unsigned maxoct = 1;
		while (maxoct < 4 && (range - 1) >> (8 * maxoct))
			maxoct++;
		unsigned len = maxoct > 1 ? bitcur_get(b, bits_for(maxoct)) + 1 : 1;
		bitcur_align(b);
		v = len <= 4 ? bitcur_get(b, 8 * len) : 0;
		if (len > maxoct)
			bitcur_fail(b);
	}
	if (b->err || v > range - 1) {
		bitcur_fail(b);
		return 0;
	}
	return (uint32_t)(lb + v);
}

size_t per_len(struct bitcur *b)
{
	uint32_t first = octets_be(b, 8);
	if (!(first & 0x80))
		return first;
	if ((first & 0xc0) == 0x80)
		return (size_t)(first & 0x3f) << 8 | octets_be(b, 8);
	bitcur_fail(b);         /* fragmented: 16K-octet chunks */
	return 0;
}

struct cur per_open(struct bitcur *b)
{
	size_t n = per_len(b);
	if (b->err) {
		struct cur bad = {NULL, 0, 1};
		return bad;
	}
	return bitcur_octets(b, n);
}

void per_skip_ext_container(struct bitcur *b)
{
	uint32_t n = per_cons(b, 1, 65535);
	for (uint32_t i = 0; i < n && !b->err; i++) {
		(void)per_cons(b, 0, 65535);    /* id */
		(void)bitcur_get(b, 2);         /* criticality */
		(void)per_open(b);
	}
}

void per_skip_ext_additions(struct bitcur *b)
{
	/* a normally small length: 0 + 6 bits for up to 64, else a length */
	size_t n = bitcur_get(b, 1) ? per_len(b) : (size_t)bitcur_get(b, 6) + 1;
	size_t present = 0;
	for (size_t i = 0; i < n && !b->err; i++)
		present += bitcur_get(b, 1);
	for (size_t i = 0; i < present && !b->err; i++)
		(void)per_open(b);
}

struct cur per_string(struct bitcur *b, uint32_t lb, uint32_t ub, int extensible)
{
	size_t n;
	if (extensible && bitcur_get(b, 1))
		n = per_len(b);         /* a length outside the root: semi-constrained */
	else
		n = per_cons(b, lb, ub);
	/* 8 bits a character (ALIGNED PER rounds PrintableString's 7 up), and
	 * octet-aligned because ub * 8 > 16 for every string we read */
	return bitcur_octets(b, b->err ? 0 : n);
}

struct cur per_fixed_octets(struct bitcur *b, size_t n)
{
	return bitcur_octets(b, n);
}

/* ---- the common PDU shape of S1AP, NGAP, X2AP, XnAP ---- */

dis_result ap_walk(struct cur *c, struct ap_msg *m, ap_ie_fn ie, void *arg)
{
	uint8_t b0;
	if (!cur_peek_u8(c, 0, &b0))
		return DIS_NOT_MINE;
	/* extension bit, 2-bit choice index, 5 padding bits that must be 0 */
	if (b0 & 0x1f)
		return DIS_MALFORMED;
	if (b0 & 0x80)
		return DIS_OK;          /* a CHOICE from a later release: nothing we read */
	m->kind = (enum ap_kind)(b0 >> 5 & 3);
	if (m->kind > AP_FAILURE)
		return DIS_MALFORMED;
	size_t n = cur_left(c);
	struct bitcur b = bitcur_make(cur_bytes(c, n), n);
	(void)octets_be(&b, 8);
	m->proc = octets_be(&b, 8);                     /* ProcedureCode (0..255) */
	if (bitcur_get(&b, 2) > 2)                      /* criticality */
		return DIS_MALFORMED;
	struct cur val = per_open(&b);
	if (b.err)
		return DIS_MALFORMED;
	size_t vn = cur_left(&val);
	struct bitcur v = bitcur_make(cur_bytes(&val, vn), vn);
	(void)bitcur_get(&v, 1);                        /* extension bit of the message SEQUENCE */
	uint32_t nies = per_cons(&v, 0, 65535);
	for (uint32_t i = 0; i < nies && !v.err; i++) {
		uint32_t id = per_cons(&v, 0, 65535);
		if (bitcur_get(&v, 2) > 2)
			return DIS_MALFORMED;
		struct cur iv = per_open(&v);
		if (v.err)
			break;
		if (ie && ie(arg, m, id, &iv) < 0)
			return DIS_MALFORMED;
	}
	return v.err ? DIS_MALFORMED : DIS_OK;
}

/* macro 20 bits, home 28; as extension alternatives short macro 18 and
 * long macro 21 (Rel-15), each an open type holding the bit string */
int ap_global_enb_id(struct bitcur *b, char *out, size_t outlen)
{
	char plmn[8];
	int ext = (int)bitcur_get(b, 1), opt = (int)bitcur_get(b, 1);
	struct cur p = per_fixed_octets(b, 3);
	const uint8_t *pp = cur_bytes(&p, 3);
	if (b->err || !pp)
		return -1;
	mob_plmn(pp, plmn);
	const char *kind;
	uint32_t id;
	if (!bitcur_get(b, 1)) {
		int home = (int)bitcur_get(b, 1);
		bitcur_align(b);
		kind = home ? "home" : "macro";
		id = bitcur_get(b, home ? 28 : 20);
	} else {
		if (bitcur_get(b, 1))   /* alternative index >= 64 */
			return -1;
		uint32_t idx = bitcur_get(b, 6);
		struct cur o = per_open(b);
		size_t on = cur_left(&o);
		struct bitcur ob = bitcur_make(cur_bytes(&o, on), on);
		if (idx == 0) {
			kind = "short-macro";
			id = bitcur_get(&ob, 18);
		} else if (idx == 1) {
			kind = "long-macro";
			id = bitcur_get(&ob, 21);
		} else {
			kind = "unknown";
			id = 0;
		}
		if (ob.err)
			return -1;
	}
	if (opt)
		per_skip_ext_container(b);
	if (ext)
		per_skip_ext_additions(b);
	if (b->err)
		return -1;
	snprintf(out, outlen, "%s:%s:%u", plmn, kind, id);
	return 0;
}

int ap_s1_supported_tas(struct bitcur *b, const struct pkt_ctx *ctx, const char *key)
{
	uint32_t n = per_cons(b, 1, 256), emitted = 0;  /* maxnoofTACs */
	for (uint32_t i = 0; i < n && !b->err; i++) {
		int ext = (int)bitcur_get(b, 1), opt = (int)bitcur_get(b, 1);
		uint32_t tac = bitcur_get(b, 16);        /* OCTET STRING (SIZE(2)): not aligned */
		uint32_t np = per_cons(b, 1, 6);         /* maxnoofBPLMNs */
		for (uint32_t j = 0; j < np && !b->err; j++) {
			struct cur p = per_fixed_octets(b, 3);
			const uint8_t *pp = cur_bytes(&p, 3);
			if (!pp)
				break;
			char plmn[8];
			mob_plmn(pp, plmn);
			if (emitted++ < MOB_MAX_ITEMS)
				mob_fact(ctx, MOB_SRC, key, "%s:0x%04x", plmn, tac);
		}
		if (opt)
			per_skip_ext_container(b);
		if (ext)
			per_skip_ext_additions(b);
	}
	return b->err ? -1 : 0;
}

/* NGAP GlobalRANNodeID (gNB, ng-eNB, N3IWF, extensions) and XnAP
 * GlobalNG-RANNode-ID (gNB, ng-eNB, extension): the same types but for
 * the third alternative. Text as "208-93:gnb:4660/22"; fn gets the node's
 * role ("ran/gnb", "ran/enb", "core" for an N3IWF). 1 read, 0 an
 * alternative we do not read, -1 malformed. */
int ap_global_ran_node_id(struct bitcur *b, int xnap, char *txt, size_t txtlen, const char **fn)
{
	char plmn[8];
	uint32_t alt = bitcur_get(b, 2);
	if (alt == 3 || (xnap && alt == 2))
		return b->err ? -1 : 0;         /* choice-Extensions (TNGF, W-AGF ...) */
	int ext = (int)bitcur_get(b, 1), opt = (int)bitcur_get(b, 1);
	struct cur p = per_fixed_octets(b, 3);
	const uint8_t *pp = cur_bytes(&p, 3);
	if (!pp)
		return -1;
	mob_plmn(pp, plmn);
	if (alt == 0) {                         /* GNB-ID: BIT STRING (SIZE(22..32)) */
		if (bitcur_get(b, 1))
			return b->err ? -1 : 0;
		uint32_t bits = per_cons(b, 22, 32);
		bitcur_align(b);
		uint32_t id = bitcur_get(b, bits);
		snprintf(txt, txtlen, "%s:gnb:%u/%u", plmn, id, bits);
		*fn = "ran/gnb";
	} else if (alt == 1) {                  /* NgENB-ID */
		static const unsigned nbits[3] = {20, 18, 21};
		static const char *const kind[3] = {"macro", "short-macro", "long-macro"};
		uint32_t k = bitcur_get(b, 2);
		if (k == 3)
			return b->err ? -1 : 0;
		bitcur_align(b);
		uint32_t id = bitcur_get(b, nbits[k]);
		snprintf(txt, txtlen, "%s:ng-enb:%s:%u", plmn, kind[k], id);
		*fn = "ran/enb";
	} else {                                /* N3IWF-ID: BIT STRING (SIZE(16)), not aligned */
		if (bitcur_get(b, 1))
			return b->err ? -1 : 0;
		uint32_t id = bitcur_get(b, 16);
		snprintf(txt, txtlen, "%s:n3iwf:%u", plmn, id);
		*fn = "core";
	}
	if (opt)
		per_skip_ext_container(b);
	if (ext)
		per_skip_ext_additions(b);
	return b->err ? -1 : 1;
}


/* X2AP and XnAP: setup messages carry the sender's global id; every
 * message says both ends are RAN nodes. */
struct peer_walk {
	const struct ap_peer *p;
	const struct pkt_ctx *ctx;
};

static int peer_ie(void *arg, const struct ap_msg *m, unsigned id, struct cur *v)
{
	const struct peer_walk *w = arg;
	const struct ap_peer *p = w->p;
	size_t n = cur_left(v);
	struct bitcur b = bitcur_make(cur_bytes(v, n), n);
	char gid[64], link[80];
	const char *fn = "ran/enb";
	if (m->proc != p->setup_proc || m->kind == AP_FAILURE || id != p->id_ie)
		return 0;
	int r = p->ng ? ap_global_ran_node_id(&b, 1, gid, sizeof gid, &fn) : ap_global_enb_id(&b, gid, sizeof gid);
	if (r < 0 || (p->ng && r == 0))
		return r;
	mob_fact(w->ctx, MOB_SRC, p->id_key, "%s", gid);
	mob_fact_str(w->ctx, MOB_SRC, p->role_key, fn);
	snprintf(link, sizeof link, "%s:%s", p->ng ? "ran" : "enb", gid);
	mob_link(w->ctx, MOB_SRC, link);
	return 0;
}

dis_result ap_peer_walk(struct cur *c, const struct pkt_ctx *ctx, const struct ap_peer *p)
{
	struct ap_msg m;
	struct peer_walk w = {p, ctx};
	dis_result r = ap_walk(c, &m, peer_ie, &w);
	if (r != DIS_OK)
		return r;
	mob_fact_str(ctx, MOB_SRC, p->role_key, "ran");
	mob_fact_str(ctx, MOB_DST, p->role_key, "ran");
	return DIS_OK;
}
