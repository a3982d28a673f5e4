/* Message encoders for tests and benchmarks: aligned PER for S1AP, NGAP
 * and X2AP, Diameter AVPs, GTPv1/v2 and PFCP. See enc.h. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "enc.h"

/* ---------- aligned PER ---------- */

void bw_init(struct bitw *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->bit = 0;
	w->overflow = 0;
	memset(p, 0, cap);
}

void bw_put(struct bitw *w, uint32_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		size_t pos = w->bit++;
		if (pos / 8 >= w->cap) {
			w->overflow = 1;
			continue;
		}
		if (v >> (n - 1 - i) & 1)
			w->p[pos / 8] |= (uint8_t)(0x80 >> (pos % 8));
	}
}

void bw_align(struct bitw *w)
{
	w->bit = (w->bit + 7) / 8 * 8;
}

void bw_octets(struct bitw *w, const void *p, size_t n)
{
	const uint8_t *b = p;
	bw_align(w);
	for (size_t i = 0; i < n; i++)
		bw_put(w, b[i], 8);
}

static unsigned nbits(uint64_t range)
{
	unsigned n = 0;
	while (((uint64_t)1 << n) < range)
		n++;
	return n;
}

void bw_cons(struct bitw *w, uint32_t v, uint32_t lb, uint32_t ub)
{
	uint64_t range = (uint64_t)ub - lb + 1;
	uint32_t x = v - lb;
	if (range == 1)
		return;
	if (range <= 255) {
		bw_put(w, x, nbits(range));
	} else if (range == 256) {
		bw_align(w);
		bw_put(w, x, 8);
	} else if (range <= 65536) {
		bw_align(w);
		bw_put(w, x, 16);
	} else {
		unsigned maxoct = 1, len = 1;
		while (maxoct < 4 && (range - 1) >> (8 * maxoct))
			maxoct++;
		while (len < 4 && x >> (8 * len))
			len++;
		if (maxoct > 1)
			bw_put(w, len - 1, nbits(maxoct));
		bw_align(w);
		bw_put(w, x, 8 * len);
	}
}

void bw_len(struct bitw *w, size_t n)
{
	bw_align(w);
	if (n < 128) {
		bw_put(w, (uint32_t)n, 8);
	} else {
		bw_put(w, 2, 2);
		bw_put(w, (uint32_t)n, 14);
	}
}

void bw_open(struct bitw *w, const uint8_t *p, size_t n)
{
	bw_len(w, n);
	bw_octets(w, p, n);
}

void bw_string(struct bitw *w, const char *s)
{
	size_t n = strlen(s);
	bw_put(w, 0, 1);                /* within the root size */
	bw_cons(w, (uint32_t)n, 1, 150);
	bw_octets(w, s, n);
}

size_t bw_bytes(const struct bitw *w)
{
	return w->overflow ? 0 : (w->bit + 7) / 8;
}

void enc_plmn(const char *txt, uint8_t out[3])
{
	unsigned d[6] = {0}, n = 0;
	for (const char *s = txt; *s && n < 6; s++)
		if (*s >= '0' && *s <= '9')
			d[n++] = (unsigned)(*s - '0');
	if (n == 5) {                           /* two-digit MNC: filler first */
		d[5] = d[4], d[4] = d[3], d[3] = 15;
	}
	out[0] = (uint8_t)(d[1] << 4 | d[0]);
	out[1] = (uint8_t)(d[3] << 4 | d[2]);
	out[2] = (uint8_t)(d[5] << 4 | d[4]);
}

/* ---------- AP PDUs ---------- */

void ies_add(struct ies *s, unsigned id, unsigned crit, const uint8_t *v, size_t n)
{
	if (s->len + n + 8 > sizeof s->b)
		abort();
	s->b[s->len++] = (uint8_t)(id >> 8);
	s->b[s->len++] = (uint8_t)id;
	s->b[s->len++] = (uint8_t)(crit << 6);
	if (n < 128) {
		s->b[s->len++] = (uint8_t)n;
	} else {
		s->b[s->len++] = (uint8_t)(0x80 | n >> 8);
		s->b[s->len++] = (uint8_t)n;
	}
	memcpy(s->b + s->len, v, n);
	s->len += n;
	s->n++;
}

size_t ap_pdu(uint8_t *out, size_t cap, unsigned kind, unsigned proc, const struct ies *s)
{
	uint8_t val[8300];
	struct bitw w;
	size_t vn = 0;
	val[vn++] = 0;                          /* extension bit of the message, padding */
	val[vn++] = (uint8_t)(s->n >> 8);
	val[vn++] = (uint8_t)s->n;
	memcpy(val + vn, s->b, s->len);
	vn += s->len;
	bw_init(&w, out, cap);
	bw_put(&w, 0, 1);
	bw_put(&w, kind, 2);
	bw_align(&w);
	bw_put(&w, proc, 8);
	bw_put(&w, proc == 17 || proc == 21 || proc == 6 ? 0 : 1, 2);       /* reject for setups (and XnAP 17) */
	bw_open(&w, val, vn);
	return bw_bytes(&w);
}

static void plmn_octets(struct bitw *w, const char *plmn)
{
	uint8_t p[3];
	enc_plmn(plmn, p);
	bw_octets(w, p, 3);
}

static size_t global_enb_id(uint8_t *buf, size_t cap, const struct enb_id *g)
{
	struct bitw w;
	bw_init(&w, buf, cap);
	bw_put(&w, 0, 2);                       /* extension bit, no iE-Extensions */
	plmn_octets(&w, g->plmn);
	if (!strcmp(g->kind, "macro") || !strcmp(g->kind, "home")) {
		int home = !strcmp(g->kind, "home");
		bw_put(&w, 0, 1);
		bw_put(&w, (uint32_t)home, 1);
		bw_align(&w);
		bw_put(&w, g->id, home ? 28 : 20);
	} else {
		int lng = !strcmp(g->kind, "long-macro");
		uint8_t inner[4] = {0};
		struct bitw iw;
		bw_init(&iw, inner, sizeof inner);
		bw_put(&iw, g->id, lng ? 21 : 18);
		bw_put(&w, 1, 1);               /* an extension alternative */
		bw_put(&w, 0, 1);               /* normally small: index < 64 */
		bw_put(&w, (uint32_t)lng, 6);
		bw_open(&w, inner, bw_bytes(&iw));
	}
	return bw_bytes(&w);
}

size_t s1ap_setup_request(uint8_t *out, size_t cap, const char *enb_name, const struct enb_id *gid,
                          const struct s1_ta *tas, unsigned ntas)
{
	static struct ies s;
	uint8_t buf[2048];
	struct bitw w;
	memset(&s, 0, sizeof s);
	ies_add(&s, 59, 0, buf, global_enb_id(buf, sizeof buf, gid));
	if (enb_name) {
		bw_init(&w, buf, sizeof buf);
		bw_string(&w, enb_name);
		ies_add(&s, 60, 1, buf, bw_bytes(&w));
	}
	bw_init(&w, buf, sizeof buf);
	bw_cons(&w, ntas, 1, 256);
	for (unsigned i = 0; i < ntas; i++) {
		bw_put(&w, 0, 2);
		bw_put(&w, tas[i].tac, 16);
		bw_cons(&w, tas[i].nplmns, 1, 6);
		for (unsigned j = 0; j < tas[i].nplmns; j++)
			plmn_octets(&w, tas[i].plmns[j]);
	}
	ies_add(&s, 64, 0, buf, bw_bytes(&w));
	uint8_t drx = 0x40;                     /* DefaultPagingDRX v64: ENUMERATED ext + 2 bits */
	ies_add(&s, 137, 1, &drx, 1);
	return ap_pdu(out, cap, 0, 17, &s);
}

size_t s1ap_setup_response(uint8_t *out, size_t cap, const char *mme_name, const char **plmns,
                           unsigned nplmns, const uint16_t *groups, unsigned ngroups, const uint8_t *codes,
                           unsigned ncodes)
{
	static struct ies s;
	uint8_t buf[2048];
	struct bitw w;
	memset(&s, 0, sizeof s);
	if (mme_name) {
		bw_init(&w, buf, sizeof buf);
		bw_string(&w, mme_name);
		ies_add(&s, 61, 1, buf, bw_bytes(&w));
	}
	bw_init(&w, buf, sizeof buf);
	bw_cons(&w, 1, 1, 8);
	bw_put(&w, 0, 2);
	bw_cons(&w, nplmns, 1, 32);
	for (unsigned i = 0; i < nplmns; i++)
		plmn_octets(&w, plmns[i]);
	bw_cons(&w, ngroups, 1, 65535);
	for (unsigned i = 0; i < ngroups; i++)
		bw_put(&w, groups[i], 16);
	bw_cons(&w, ncodes, 1, 256);
	for (unsigned i = 0; i < ncodes; i++)
		bw_put(&w, codes[i], 8);
	ies_add(&s, 105, 0, buf, bw_bytes(&w));
	uint8_t cap8 = 0xff;                    /* RelativeMMECapacity 255 */
	ies_add(&s, 87, 1, &cap8, 1);
	return ap_pdu(out, cap, 1, 17, &s);
}

static size_t nas_pdu(uint8_t *buf, size_t cap, uint32_t ue_id)
{
	struct bitw w;
	/* integrity protected and ciphered: what most NAS traffic looks like */
	uint8_t nas[] = {0x27, 0x5a, 0x3c, 0x91, 0x0e, (uint8_t)ue_id, 0x8b, 0x21, 0xf3, 0x44, 0x07,
	                 (uint8_t)(ue_id >> 8), (uint8_t)ue_id};
	bw_init(&w, buf, cap);
	bw_open(&w, nas, sizeof nas);
	return bw_bytes(&w);
}

size_t s1ap_nas(uint8_t *out, size_t cap, unsigned proc, uint32_t ue_id)
{
	static struct ies s;
	uint8_t buf[256];
	struct bitw w;
	memset(&s, 0, sizeof s);
	if (proc != 12) {                       /* MME-UE-S1AP-ID INTEGER (0..2^32-1) */
		bw_init(&w, buf, sizeof buf);
		bw_cons(&w, ue_id, 0, 0xffffffffu);
		ies_add(&s, 0, 0, buf, bw_bytes(&w));
	}
	bw_init(&w, buf, sizeof buf);           /* eNB-UE-S1AP-ID INTEGER (0..2^24-1) */
	bw_cons(&w, ue_id & 0xffffff, 0, 0xffffff);
	ies_add(&s, 8, 0, buf, bw_bytes(&w));
	ies_add(&s, 26, 0, buf, nas_pdu(buf, sizeof buf, ue_id));
	if (proc == 12) {
		uint8_t tai[6] = {0}, cgi[8] = {0}, cause = 0x30;
		enc_plmn("001-01", tai + 1);
		tai[5] = 1;
		ies_add(&s, 67, 0, tai, 6);
		enc_plmn("001-01", cgi + 1);
		cgi[4] = 0x01, cgi[5] = 0xe2, cgi[6] = 0x40, cgi[7] = 0x10;
		ies_add(&s, 100, 0, cgi, 8);
		ies_add(&s, 134, 1, &cause, 1);
	}
	return ap_pdu(out, cap, 0, proc, &s);
}

size_t x2ap_setup(uint8_t *out, size_t cap, int response, const struct enb_id *gid)
{
	static struct ies s;
	uint8_t buf[256];
	memset(&s, 0, sizeof s);
	ies_add(&s, 21, 0, buf, global_enb_id(buf, sizeof buf, gid));
	return ap_pdu(out, cap, response ? 1 : 0, 6, &s);
}

static void slice_item(struct bitw *w, const struct slice *sl)
{
	bw_put(w, 0, 2);                        /* SliceSupportItem: ext, no iE-Extensions */
	bw_put(w, 0, 1);                        /* S-NSSAI: ext */
	bw_put(w, sl->has_sd ? 1 : 0, 1);
	bw_put(w, 0, 1);
	bw_put(w, sl->sst, 8);
	if (sl->has_sd) {
		uint8_t sd[3] = {(uint8_t)(sl->sd >> 16), (uint8_t)(sl->sd >> 8), (uint8_t)sl->sd};
		bw_octets(w, sd, 3);
	}
}

/* NGAP GlobalRANNodeID / XnAP GlobalNG-RANNode-ID (no N3IWF there) */
static size_t global_ran_id(uint8_t *buf, size_t cap, const struct ran_id *gid)
{
	struct bitw w;
	bw_init(&w, buf, cap);
	if (!strcmp(gid->kind, "gnb")) {
		bw_put(&w, 0, 2);
		bw_put(&w, 0, 2);
		plmn_octets(&w, gid->plmn);
		bw_put(&w, 0, 1);
		bw_cons(&w, gid->bits, 22, 32);
		bw_align(&w);
		bw_put(&w, gid->id, gid->bits);
	} else if (!strcmp(gid->kind, "n3iwf")) {
		bw_put(&w, 2, 2);
		bw_put(&w, 0, 2);
		plmn_octets(&w, gid->plmn);
		bw_put(&w, 0, 1);
		bw_put(&w, gid->id, 16);
	} else {
		unsigned k = !strcmp(gid->kind, "ng-enb-short") ? 1 : !strcmp(gid->kind, "ng-enb-long") ? 2 : 0;
		static const unsigned nb[3] = {20, 18, 21};
		bw_put(&w, 1, 2);
		bw_put(&w, 0, 2);
		plmn_octets(&w, gid->plmn);
		bw_put(&w, k, 2);
		bw_align(&w);
		bw_put(&w, gid->id, nb[k]);
	}
	return bw_bytes(&w);
}

size_t xnap_setup(uint8_t *out, size_t cap, int response, const struct ran_id *gid)
{
	static struct ies s;
	uint8_t buf[256];
	memset(&s, 0, sizeof s);
	ies_add(&s, 14, 0, buf, global_ran_id(buf, sizeof buf, gid));
	return ap_pdu(out, cap, response ? 1 : 0, 17, &s);
}

size_t ngap_setup_request(uint8_t *out, size_t cap, const char *name, const struct ran_id *gid,
                          const struct ng_ta *tas, unsigned ntas)
{
	static struct ies s;
	uint8_t buf[2048];
	struct bitw w;
	memset(&s, 0, sizeof s);
	size_t gn = global_ran_id(buf, sizeof buf, gid);
	ies_add(&s, 27, 0, buf, gn);
	if (name) {
		bw_init(&w, buf, sizeof buf);
		bw_string(&w, name);
		ies_add(&s, 82, 1, buf, bw_bytes(&w));
	}
	bw_init(&w, buf, sizeof buf);
	bw_cons(&w, ntas, 1, 256);
	for (unsigned i = 0; i < ntas; i++) {
		uint8_t tac[3] = {(uint8_t)(tas[i].tac >> 16), (uint8_t)(tas[i].tac >> 8), (uint8_t)tas[i].tac};
		bw_put(&w, 0, 2);
		bw_octets(&w, tac, 3);
		bw_cons(&w, 1, 1, 12);
		bw_put(&w, 0, 2);
		plmn_octets(&w, tas[i].plmn);
		bw_cons(&w, 1, 1, 1024);
		slice_item(&w, &tas[i].sl);
	}
	ies_add(&s, 102, 0, buf, bw_bytes(&w));
	uint8_t drx = 0x40;                     /* PagingDRX v128 */
	ies_add(&s, 21, 1, &drx, 1);
	return ap_pdu(out, cap, 0, 21, &s);
}

size_t ngap_setup_response(uint8_t *out, size_t cap, const char *amf_name, const struct guami *g,
                           unsigned ng, const struct plmn_support *ps, unsigned nps)
{
	static struct ies s;
	uint8_t buf[2048];
	struct bitw w;
	memset(&s, 0, sizeof s);
	bw_init(&w, buf, sizeof buf);
	bw_string(&w, amf_name);
	ies_add(&s, 1, 0, buf, bw_bytes(&w));
	bw_init(&w, buf, sizeof buf);
	bw_cons(&w, ng, 1, 256);
	for (unsigned i = 0; i < ng; i++) {
		bw_put(&w, 0, 1);
		bw_put(&w, g[i].backup ? 1 : 0, 1);
		bw_put(&w, 0, 1);
		bw_put(&w, 0, 2);               /* GUAMI: ext, no iE-Extensions */
		plmn_octets(&w, g[i].plmn);
		bw_put(&w, g[i].region, 8);
		bw_put(&w, g[i].set, 10);
		bw_put(&w, g[i].ptr, 6);
		if (g[i].backup)
			bw_string(&w, g[i].backup);
	}
	ies_add(&s, 96, 0, buf, bw_bytes(&w));
	uint8_t cap8 = 0xff;
	ies_add(&s, 86, 1, &cap8, 1);
	bw_init(&w, buf, sizeof buf);
	bw_cons(&w, nps, 1, 12);
	for (unsigned i = 0; i < nps; i++) {
		bw_put(&w, 0, 2);
		plmn_octets(&w, ps[i].plmn);
		bw_cons(&w, ps[i].nsl, 1, 1024);
		for (unsigned j = 0; j < ps[i].nsl; j++)
			slice_item(&w, &ps[i].sl[j]);
	}
	ies_add(&s, 80, 0, buf, bw_bytes(&w));
	return ap_pdu(out, cap, 1, 21, &s);
}

size_t ngap_nas(uint8_t *out, size_t cap, unsigned proc, uint32_t ue_id)
{
	static struct ies s;
	uint8_t buf[256];
	struct bitw w;
	memset(&s, 0, sizeof s);
	bw_init(&w, buf, sizeof buf);           /* RAN-UE-NGAP-ID INTEGER (0..2^32-1) */
	bw_cons(&w, ue_id, 0, 0xffffffffu);
	ies_add(&s, 85, 0, buf, bw_bytes(&w));
	ies_add(&s, 38, 0, buf, nas_pdu(buf, sizeof buf, ue_id));
	return ap_pdu(out, cap, 0, proc, &s);
}

/* ---------- Diameter ---------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

void dia_begin(struct dia *d, uint8_t *p, size_t cap, uint32_t cmd, int request, uint32_t app)
{
	static uint32_t hbh = 0x1000;
	d->p = p;
	d->cap = cap;
	d->len = 20;
	d->group_at = 0;
	memset(p, 0, 20);
	p[0] = 1;
	put32(p + 4, cmd);
	p[4] = request ? 0x80 : 0x00;
	put32(p + 8, app);
	put32(p + 12, hbh);
	put32(p + 16, hbh++ * 7);
}

static void avp(struct dia *d, uint32_t code, uint32_t vendor, const void *v, size_t n)
{
	size_t hdr = vendor ? 12 : 8, len = hdr + n, pad = (4 - len % 4) % 4;
	if (d->len + len + pad > d->cap)
		abort();
	uint8_t *a = d->p + d->len;
	put32(a, code);
	put32(a + 4, (uint32_t)len);
	a[4] = (uint8_t)(0x40 | (vendor ? 0x80 : 0));       /* M, and V when vendor-specific */
	if (vendor)
		put32(a + 8, vendor);
	memcpy(a + hdr, v, n);
	memset(a + len, 0, pad);
	d->len += len + pad;
}

void dia_str(struct dia *d, uint32_t code, const char *s)
{
	avp(d, code, 0, s, strlen(s));
}

void dia_u32(struct dia *d, uint32_t code, uint32_t v)
{
	uint8_t b[4];
	put32(b, v);
	avp(d, code, 0, b, 4);
}

void dia_vendor_u32(struct dia *d, uint32_t code, uint32_t vendor, uint32_t v)
{
	uint8_t b[4];
	put32(b, v);
	avp(d, code, vendor, b, 4);
}

void dia_addr(struct dia *d, uint32_t code, const char *ip)
{
	uint8_t b[18];
	if (inet_pton(AF_INET, ip, b + 2) == 1) {
		b[0] = 0, b[1] = 1;
		avp(d, code, 0, b, 6);
	} else if (inet_pton(AF_INET6, ip, b + 2) == 1) {
		b[0] = 0, b[1] = 2;
		avp(d, code, 0, b, 18);
	}
}

void dia_group_begin(struct dia *d, uint32_t code)
{
	d->group_at = d->len;
	avp(d, code, 0, "", 0);
}

void dia_group_end(struct dia *d)
{
	uint8_t *a = d->p + d->group_at;
	uint32_t len = (uint32_t)(d->len - d->group_at);
	a[5] = (uint8_t)(len >> 16), a[6] = (uint8_t)(len >> 8), a[7] = (uint8_t)len;
	d->group_at = 0;
}

size_t dia_end(struct dia *d)
{
	d->p[1] = (uint8_t)(d->len >> 16), d->p[2] = (uint8_t)(d->len >> 8), d->p[3] = (uint8_t)d->len;
	return d->len;
}

/* ---------- GTP ---------- */

static size_t gtpv1(uint8_t *out, uint8_t type, uint32_t teid, uint16_t seq, const uint8_t *ies, size_t n)
{
	out[0] = 0x32;                          /* version 1, PT 1, S */
	out[1] = type;
	out[2] = (uint8_t)((n + 4) >> 8), out[3] = (uint8_t)(n + 4);
	put32(out + 4, teid);
	out[8] = (uint8_t)(seq >> 8), out[9] = (uint8_t)seq, out[10] = 0, out[11] = 0;
	memcpy(out + 12, ies, n);
	return 12 + n;
}

size_t gtpv1c_echo(uint8_t *out, size_t cap, int response, uint8_t recovery, uint16_t seq)
{
	uint8_t ie[2] = {14, recovery};
	(void)cap;
	return gtpv1(out, response ? 2 : 1, 0, seq, ie, response ? 2 : 0);
}

size_t gtpv1c_create_pdp(uint8_t *out, size_t cap, int response, uint8_t recovery)
{
	uint8_t ie[64];
	size_t n = 0;
	(void)cap;
	if (response) {
		ie[n++] = 1, ie[n++] = 128;     /* Cause: request accepted */
	} else {
		ie[n++] = 2;                    /* IMSI 001010123456789 */
		memcpy(ie + n, "\x00\x01\x01\x32\x54\x76\x98\xf8", 8);
		n += 8;
	}
	ie[n++] = 14, ie[n++] = recovery;
	ie[n++] = 16;                           /* TEID Data I */
	put32(ie + n, 0x11223344);
	n += 4;
	ie[n++] = 20, ie[n++] = 5;              /* NSAPI */
	ie[n++] = 133, ie[n++] = 0, ie[n++] = 4;        /* GSN address */
	memcpy(ie + n, "\x0a\x42\x01\x46", 4);
	n += 4;
	return gtpv1(out, response ? 17 : 16, response ? 0x1234 : 0, 7, ie, n);
}

static size_t gtpv2(uint8_t *out, uint8_t type, int with_teid, uint32_t seq, const uint8_t *ies, size_t n)
{
	size_t h = with_teid ? 12 : 8;
	out[0] = (uint8_t)(0x40 | (with_teid ? 0x08 : 0));
	out[1] = type;
	out[2] = (uint8_t)((n + h - 4) >> 8), out[3] = (uint8_t)(n + h - 4);
	if (with_teid)
		put32(out + 4, 0);
	uint8_t *s = out + (with_teid ? 8 : 4);
	s[0] = (uint8_t)(seq >> 16), s[1] = (uint8_t)(seq >> 8), s[2] = (uint8_t)seq, s[3] = 0;
	memcpy(out + h, ies, n);
	return h + n;
}

size_t gtpv2c_echo(uint8_t *out, size_t cap, int response, uint8_t recovery, uint32_t seq)
{
	uint8_t ie[5] = {3, 0, 1, 0, recovery};
	(void)cap;
	return gtpv2(out, response ? 2 : 1, 0, seq, ie, 5);
}

size_t gtpv2c_with_fteid(uint8_t *out, size_t cap, unsigned type, unsigned iface, const char *ipv4,
                         uint8_t recovery, uint32_t seq)
{
	uint8_t ie[512];
	size_t n = 0;
	(void)cap;
	if (type == 32) {                       /* IMSI, and what a real MME sends with it */
		static const uint8_t csr[] = {
			0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x01, 0x32, 0x54, 0x76, 0x98, 0xf8,        /* IMSI */
			0x4c, 0x00, 0x06, 0x00, 0x64, 0x07, 0x12, 0x34, 0x56, 0xf8,                    /* MSISDN */
			0x4b, 0x00, 0x08, 0x00, 0x53, 0x61, 0x87, 0x09, 0x21, 0x43, 0x65, 0x07,        /* MEI */
			0x56, 0x00, 0x0d, 0x00, 0x18, 0x00, 0xf1, 0x10, 0x00, 0x01, 0x00, 0xf1, 0x10,  /* ULI: TAI+ECGI */
			0x00, 0x01, 0xe2, 0x40,
			0x53, 0x00, 0x03, 0x00, 0x00, 0xf1, 0x10,                                      /* Serving Network */
			0x52, 0x00, 0x01, 0x00, 0x06,                                                  /* RAT Type E-UTRAN */
			0x4d, 0x00, 0x02, 0x00, 0x80, 0x00,                                            /* Indication */
			0x47, 0x00, 0x09, 0x00, 0x08, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't',          /* APN */
			0x80, 0x00, 0x01, 0x00, 0x00,                                                  /* Selection Mode */
			0x63, 0x00, 0x01, 0x00, 0x01,                                                  /* PDN Type */
			0x4f, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,                          /* PAA */
			0x7f, 0x00, 0x01, 0x00, 0x00,                                                  /* APN Restriction */
			0x48, 0x00, 0x08, 0x00, 0x00, 0x00, 0xc3, 0x50, 0x00, 0x01, 0x86, 0xa0,        /* AMBR */
			0x5d, 0x00, 0x1f, 0x00,                                                        /* Bearer Context */
			0x49, 0x00, 0x01, 0x00, 0x05,                                                  /*   EBI */
			0x50, 0x00, 0x16, 0x00, 0x49, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /*   Bearer QoS */
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x72, 0x00, 0x02, 0x00, 0x00, 0x00,                                            /* UE Time Zone */
		};
		memcpy(ie + n, csr, sizeof csr);
		n += sizeof csr;
	} else if (type == 33) {                /* Cause: request accepted */
		memcpy(ie + n, "\x02\x00\x02\x00\x10\x00", 6);
		n += 6;
	}
	ie[n++] = 87, ie[n++] = 0, ie[n++] = 9, ie[n++] = 0;   /* F-TEID instance 0 */
	ie[n++] = (uint8_t)(0x80 | iface);
	put32(ie + n, 0xabcd0000 | iface);
	n += 4;
	inet_pton(AF_INET, ipv4, ie + n);
	n += 4;
	ie[n++] = 3, ie[n++] = 0, ie[n++] = 1, ie[n++] = 0, ie[n++] = recovery;
	return gtpv2(out, (uint8_t)type, 1, seq, ie, n);
}

size_t gtpu_echo(uint8_t *out, size_t cap, int response, uint16_t seq)
{
	uint8_t ie[2] = {14, 0};
	(void)cap;
	return gtpv1(out, response ? 2 : 1, 0, seq, ie, response ? 2 : 0);
}

size_t gtpu_gpdu(uint8_t *out, size_t cap, uint32_t teid, const uint8_t *inner, size_t n)
{
	(void)cap;
	out[0] = 0x30;
	out[1] = 255;
	out[2] = (uint8_t)(n >> 8), out[3] = (uint8_t)n;
	put32(out + 4, teid);
	memcpy(out + 8, inner, n);
	return 8 + n;
}

/* ---------- PFCP ---------- */

static size_t pfcp_ie(uint8_t *p, uint16_t type, const void *v, size_t n)
{
	p[0] = (uint8_t)(type >> 8), p[1] = (uint8_t)type, p[2] = (uint8_t)(n >> 8), p[3] = (uint8_t)n;
	memcpy(p + 4, v, n);
	return 4 + n;
}

static size_t pfcp_msg(uint8_t *out, uint8_t type, int with_seid, uint64_t seid, uint32_t seq,
                       const uint8_t *ies, size_t n)
{
	size_t h = with_seid ? 16 : 8;
	out[0] = (uint8_t)(0x20 | (with_seid ? 1 : 0));
	out[1] = type;
	out[2] = (uint8_t)((n + h - 4) >> 8), out[3] = (uint8_t)(n + h - 4);
	uint8_t *s = out + 4;
	if (with_seid) {
		put32(s, (uint32_t)(seid >> 32));
		put32(s + 4, (uint32_t)seid);
		s += 8;
	}
	s[0] = (uint8_t)(seq >> 16), s[1] = (uint8_t)(seq >> 8), s[2] = (uint8_t)seq, s[3] = 0;
	memcpy(out + h, ies, n);
	return h + n;
}

size_t pfcp_assoc_setup(uint8_t *out, size_t cap, int response, const struct pfcp_assoc *a, uint32_t seq)
{
	uint8_t ies[512], v[300];
	size_t n = 0;
	(void)cap;
	if (a->node_fqdn) {
		size_t o = 1;
		v[0] = 2;
		const char *s = a->node_fqdn;
		while (*s) {
			const char *dot = strchr(s, '.');
			size_t l = dot ? (size_t)(dot - s) : strlen(s);
			v[o++] = (uint8_t)l;
			memcpy(v + o, s, l);
			o += l;
			s += l + (dot ? 1 : 0);
		}
		n += pfcp_ie(ies + n, 60, v, o);
	} else {
		v[0] = 0;
		inet_pton(AF_INET, a->node_ipv4, v + 1);
		n += pfcp_ie(ies + n, 60, v, 5);
	}
	if (response) {
		uint8_t cause = 1;
		n += pfcp_ie(ies + n, 19, &cause, 1);
	}
	put32(v, a->recovery_ntp);
	n += pfcp_ie(ies + n, 96, v, 4);
	if (a->nup)
		n += pfcp_ie(ies + n, 43, a->up_features, a->nup);
	if (a->ncp)
		n += pfcp_ie(ies + n, 89, a->cp_features, a->ncp);
	return pfcp_msg(out, response ? 6 : 5, 0, 0, seq, ies, n);
}

size_t pfcp_heartbeat(uint8_t *out, size_t cap, int response, uint32_t recovery_ntp, uint32_t seq)
{
	uint8_t ies[16], v[4];
	(void)cap;
	put32(v, recovery_ntp);
	size_t n = pfcp_ie(ies, 96, v, 4);
	return pfcp_msg(out, response ? 2 : 1, 0, 0, seq, ies, n);
}

size_t pfcp_session(uint8_t *out, size_t cap, unsigned type, uint64_t seid, uint32_t seq)
{
	uint8_t ies[512], v[16] = {0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x23, 10, 66, 1, 90};
	(void)cap;
	size_t n = 0;
	if (type % 2 == 1) {
		uint8_t cause = 1;
		n += pfcp_ie(ies + n, 19, &cause, 1);
	} else {
		n += pfcp_ie(ies + n, 57, v, 13);       /* F-SEID */
	}
	if (type == 50 || type == 52) {         /* a Create PDR and a Create FAR, as an SMF sends */
		static const uint8_t pdr[] = {
			0x00, 0x38, 0x00, 0x02, 0x00, 0x01,                                    /* PDR ID */
			0x00, 0x1d, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff,                        /* Precedence */
			0x00, 0x02, 0x00, 0x1e,                                                /* PDI */
			0x00, 0x14, 0x00, 0x01, 0x00,                                          /*   Source Interface */
			0x00, 0x15, 0x00, 0x09, 0x01, 0x00, 0x00, 0x12, 0x34, 10, 66, 1, 91,  /*   F-TEID */
			0x00, 0x16, 0x00, 0x08, 0x07, 'i', 'n', 't', 'e', 'r', 'n', 'e',       /*   Network Instance */
			0x00, 0x5f, 0x00, 0x01, 0x00,                                          /* Outer Header Removal */
			0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,                        /* FAR ID */
		};
		static const uint8_t far[] = {
			0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,                        /* FAR ID */
			0x00, 0x2c, 0x00, 0x02, 0x02, 0x00,                                    /* Apply Action FORW */
			0x00, 0x04, 0x00, 0x05, 0x00, 0x2a, 0x00, 0x01, 0x01,                  /* Forwarding Params */
		};
		n += pfcp_ie(ies + n, 1, pdr, sizeof pdr);
		n += pfcp_ie(ies + n, 3, far, sizeof far);
	}
	return pfcp_msg(out, (uint8_t)type, 1, seid, seq, ies, n);
}
