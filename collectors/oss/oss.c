/* OSS exports, streamed with libxml2's SAX2 parser: 3GPP Bulk CM and
 * Nokia RAML 2.0 (see README.md for what is read from each).
 *
 * SAX2 rather than the xmlTextReader: the reader builds and frees a node
 * for every element and text, which cost more than the parse itself
 * (bench/oss.sh: the SAX2 parse with no handler work takes about a third
 * of `xmllint --stream`'s time), and events reach us as they are parsed,
 * so a file cut short keeps every element closed before the cut.
 *
 * Memory is bounded by one managed element: no tree is built, the
 * managed objects open on the
 * path from the root are kept with only the attributes this reader wants,
 * and one element's facts are buffered until it closes, so its Global
 * eNB/gNB ID (whose PLMN may come from a cell further down) can be the
 * subject of all of them. A file cut short loses only the element that
 * was open at the cut.
 */
#include <ctype.h>
#include <stdarg.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "oss.h"
#include "oss_int.h"
#include "util.h"

#define KEEP_VALUE 4096         /* longest value kept from an attribute */
#define MAX_KV 256              /* attributes kept per managed object */
#define MAX_FN 64               /* RAN functions per element */
#define MAX_FACTS (4u << 20)    /* bytes of facts buffered per element */

/* ---------- names the reader wants ---------- */

enum attr {
	A_NONE = -1,
	A_VENDOR, A_SWVERSION, A_METYPE, A_USERLABEL, A_LOCATION, A_USERSTATE, A_NETYPE,
	A_ENBID, A_GNBID, A_GNBIDLEN, A_MCC, A_MNC, A_MNCLEN, A_VSTYPE, A_VSFORMAT,
	A_IU_TYPE, A_IU_FAMILY, A_IU_TYPENUM, A_IU_SERIAL, A_IU_VERSION, A_IU_DATE, A_IU_MFGDATA,
	A_NAME, A_PRODNAME, A_MANUFACTURER,
	A__COUNT
};

/* Lower-cased names; several spellings map to one meaning (Bulk CM's
 * NRM attribute names, Ericsson's vsData names, Nokia's parameters). */
static const struct {
	const char *name;
	enum attr a;
} attr_names[] = {
	{"vendorname", A_VENDOR}, {"swversion", A_SWVERSION}, {"managedelementtype", A_METYPE},
	{"userlabel", A_USERLABEL}, {"locationname", A_LOCATION}, {"userdefinedstate", A_USERSTATE},
	{"netype", A_NETYPE}, {"enbid", A_ENBID}, {"gnbid", A_GNBID}, {"gnbidlength", A_GNBIDLEN},
	{"mcc", A_MCC}, {"mnc", A_MNC}, {"mnclength", A_MNCLEN}, {"vsdatatype", A_VSTYPE},
	{"vsdataformatversion", A_VSFORMAT}, {"inventoryunittype", A_IU_TYPE},
	{"vendorunitfamilytype", A_IU_FAMILY}, {"vendorunittypenumber", A_IU_TYPENUM},
	{"serialnumber", A_IU_SERIAL}, {"versionnumber", A_IU_VERSION},
	{"dateofmanufacture", A_IU_DATE}, {"manufacturerdata", A_IU_MFGDATA},
	/* Nokia RAML parameters */
	{"btsname", A_USERLABEL}, {"enbname", A_USERLABEL}, {"gnbname", A_USERLABEL},
	{"name", A_NAME}, {"location", A_LOCATION}, {"sitename", A_LOCATION},
	{"activeswreleaseversion", A_SWVERSION}, {"swreleaseversion", A_SWVERSION},
	{"softwareversion", A_SWVERSION}, {"activeswversion", A_SWVERSION},
	{"btsswversion", A_SWVERSION}, {"softwarereleaseversion", A_SWVERSION},
	{"productcode", A_IU_TYPENUM}, {"prodcode", A_IU_TYPENUM},
	{"sernum", A_IU_SERIAL}, {"serialno", A_IU_SERIAL},
	{"productname", A_PRODNAME}, {"prodname", A_PRODNAME},
	{"hwversion", A_IU_VERSION}, {"hwrevision", A_IU_VERSION},
	{"manufacturer", A_MANUFACTURER}, {"dateofmanufacturing", A_IU_DATE},
};

static enum attr attr_lookup(const char *s)
{
	char low[48];
	size_t n = 0;
	for (; s[n]; n++) {
		if (n + 1 >= sizeof low)
			return A_NONE;
		low[n] = (char)tolower((unsigned char)s[n]);
	}
	low[n] = 0;
	for (size_t i = 0; i < OS_ARRAY_LEN(attr_names); i++)
		if (!strcmp(attr_names[i].name, low))
			return attr_names[i].a;
	return A_NONE;
}

enum cls {
	C_OTHER = 0, C_SUBNET, C_MECONTEXT, C_ME, C_VS, C_IU, C_FN, C_CTL, C_CELL,
	/* RAML */
	C_RAML_ROOT,
};

/* Classes with a technology. Function classes are base stations, "ctl"
 * ones controllers (an RNC, a BSC); cells are counted on the element. */
static const struct {
	const char *name;
	enum cls c;
	const char *tech;
} classes[] = {
	{"SubNetwork", C_SUBNET, NULL}, {"MeContext", C_MECONTEXT, NULL}, {"ManagedElement", C_ME, NULL},
	{"VsDataContainer", C_VS, NULL}, {"InventoryUnit", C_IU, NULL},
	{"ENBFunction", C_FN, "4g"}, {"ENodeBFunction", C_FN, "4g"},
	{"GNBDUFunction", C_FN, "5g"}, {"GNBCUCPFunction", C_FN, "5g"}, {"GNBCUUPFunction", C_FN, "5g"},
	{"NodeBFunction", C_FN, "3g"}, {"BtsSiteManager", C_FN, "2g"},
	{"RncFunction", C_CTL, "3g"}, {"BssFunction", C_CTL, "2g"},
	{"EUtranCellFDD", C_CELL, "4g"}, {"EUtranCellTDD", C_CELL, "4g"}, {"NRCellDU", C_CELL, "5g"},
	{"UtranCell", C_CELL, "3g"}, {"UtranCellFDD", C_CELL, "3g"}, {"UtranCellTDD", C_CELL, "3g"},
	{"GsmCell", C_CELL, "2g"},
	/* Nokia RAML: base station roots, functions and cells */
	{"MRBTS", C_RAML_ROOT, NULL}, {"WBTS", C_RAML_ROOT, "3g"}, {"BCF", C_RAML_ROOT, "2g"},
	{"LNBTS", C_FN, "4g"}, {"NRBTS", C_FN, "5g"}, {"WNBTS", C_FN, "3g"}, {"GNBCF", C_FN, "2g"},
	{"LNCEL", C_CELL, "4g"}, {"NRCELL", C_CELL, "5g"}, {"WNCEL", C_CELL, "3g"}, {"WCEL", C_CELL, "3g"},
	{"BTS", C_CELL, "2g"}, {"GNCEL", C_CELL, "2g"},
};

static enum cls cls_lookup(const char *s, const char **tech)
{
	for (size_t i = 0; i < OS_ARRAY_LEN(classes); i++)
		if (!strcmp(classes[i].name, s)) {
			if (tech)
				*tech = classes[i].tech;
			return classes[i].c;
		}
	if (tech)
		*tech = NULL;
	return C_OTHER;
}

/* ---------- state ---------- */

struct kv {
	enum attr a;
	uint32_t off, len;      /* into mo.vals */
};

struct mo {
	char cls[64], id[160];
	int depth;
	enum cls c;
	const char *tech;
	struct kv kv[MAX_KV];
	int nkv;
	struct buf vals;
};

struct fn {
	const char *tech;
	char cls[64], id[160];
	long long enb, gnb;     /* -1 unknown */
	int bits;
	char plmn[8];
};

enum fmt { F_NONE, F_BULKCM, F_RAML };

struct elem {
	int open;
	char dn[512];
	char region[160];
	char plmn[8];
	struct buf facts;       /* "key\0value\0" ... */
	uint64_t *seen;         /* dedup set of fact hashes */
	size_t nseen, seencap;
	struct fn fn[MAX_FN];
	int nfn, units, cells;
	uint64_t dropped;
};

struct P {
	xmlParserCtxtPtr ctxt;
	int depth;              /* elements open */
	const xmlChar **atts;   /* the element being started: SAX2 attributes (5 per) */
	int natts;
	int sniffed;            /* o->sniff: the root named the format */
	uint64_t err_at;        /* bytes consumed at the first XML error */
	struct oss_in *in;
	const struct oss_opts *o;
	struct ev_sink *sink;
	struct oss_stats *st;
	const char *source;
	int64_t seen_us;
	int max_depth;
	size_t max_text;
	enum fmt fmt;
	int stop;
	char xml_err[200];
	int xml_line;
	/* the managed objects open from the root (Bulk CM), or the one (RAML) */
	struct mo *mo;
	int nmo, mocap;
	char region[160];       /* innermost SubNetwork id */
	/* a wanted leaf being read */
	int attr_depth;         /* depth of the open <attributes>, -1 none */
	enum attr leaf;
	int leaf_depth;
	struct buf text;
	size_t text_over;       /* bytes of the leaf's text seen (it comes in pieces) */
	char list_name[64];     /* RAML <list name=...> being read */
	/* pointer cache for interned local names -> attr */
	const xmlChar *ck[256];
	signed char cv[256];
	struct elem e;
};

static void fail(struct P *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct P *p, const char *fmt, ...)
{
	if (p->stop)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->st->error, sizeof p->st->error, fmt, ap);
	va_end(ap);
	p->st->failed = 1;
	p->stop = 1;
	if (p->ctxt)
		xmlStopParser(p->ctxt);
}

/* snprintf(dst, size, "%s", src) without the printf machinery (the hot
 * path copies a class and an id per managed object). */
static void cpy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* dst = a b c d e, cut to fit */
static void cat5(char *dst, size_t size, const char *a, const char *b, const char *c, const char *d,
                 const char *e)
{
	const char *part[5] = {a, b, c, d, e};
	size_t o = 0;
	for (int i = 0; i < 5; i++) {
		size_t n = strlen(part[i]);
		if (n > size - 1 - o)
			n = size - 1 - o;
		memcpy(dst + o, part[i], n);
		o += n;
	}
	dst[o] = 0;
}

static uint64_t here(const struct P *p)
{
	long c = p->ctxt ? xmlByteConsumed(p->ctxt) : -1;
	return c > 0 ? (uint64_t)c : p->in->offset;
}

/* ---------- facts of the open element ---------- */

static uint64_t fnv(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *s = a; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *s = b; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h | 1;
}

/* 1 when (a, b) was already seen in this element. */
static int seen(struct elem *e, const char *a, const char *b)
{
	uint64_t h = fnv(a, b);
	if ((e->nseen + 1) * 2 > e->seencap) {
		size_t nc = e->seencap ? e->seencap * 2 : 64;
		uint64_t *ns = xcalloc(nc, sizeof *ns);
		for (size_t i = 0; i < e->seencap; i++)
			if (e->seen[i]) {
				size_t j = e->seen[i] & (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = e->seen[i];
			}
		free(e->seen);
		e->seen = ns;
		e->seencap = nc;
	}
	size_t j = h & (e->seencap - 1);
	for (; e->seen[j]; j = (j + 1) & (e->seencap - 1))
		if (e->seen[j] == h)
			return 1;
	e->seen[j] = h;
	e->nseen++;
	return 0;
}

static void fact(struct P *p, const char *key, const char *val)
{
	struct elem *e = &p->e;
	if (!e->open || !val || !*val)
		return;
	size_t kl = strlen(key), vl = strlen(val);
	if (e->facts.len + kl + vl + 2 > MAX_FACTS) {
		e->dropped++;
		return;
	}
	buf_add(&e->facts, key, kl + 1);
	buf_add(&e->facts, val, vl + 1);
}

static void fact_once(struct P *p, const char *key, const char *val)
{
	if (p->e.open && val && *val && !seen(&p->e, key, val))
		fact(p, key, val);
}

static void elem_open(struct P *p, const char *dn)
{
	struct elem *e = &p->e;
	e->open = 1;
	cpy(e->dn, sizeof e->dn, dn);
	cpy(e->region, sizeof e->region, p->region);
	e->plmn[0] = 0;
	buf_reset(&e->facts);
	if (e->seen)
		memset(e->seen, 0, e->seencap * sizeof *e->seen);
	e->nseen = 0;
	e->nfn = e->units = e->cells = 0;
	e->dropped = 0;
}

/* ---------- identities ---------- */

/* "MCC-MNC" from the texts an export gives (mnc "1" with length 2 is
 * "01"); 0 when they are not digits. */
static int plmn_text(const char *mcc, const char *mnc, const char *mnclen, char out[8])
{
	size_t a = strlen(mcc), b = strlen(mnc);
	int want = mnclen && *mnclen ? atoi(mnclen) : 0;
	if (a != 3 || b < 1 || b > 3 || strspn(mcc, "0123456789") != a || strspn(mnc, "0123456789") != b)
		return 0;
	if (want != 2 && want != 3)
		want = b == 3 ? 3 : 2;
	if ((int)b > want)
		return 0;
	snprintf(out, 8, "%s-%.*s%s", mcc, want - (int)b, "00", mnc);
	return 1;
}

static int num(const char *s, long long *out)
{
	char *end;
	if (!*s || !isdigit((unsigned char)*s))
		return 0;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 0 || v > 0xffffffffLL)
		return 0;
	*out = v;
	return 1;
}

static void ev_row(struct P *p, const char *subj, const char *key, const char *val)
{
	if (p->stop)
		return;
	if (ev_emit_str(p->sink, "oss", SUBJ_NAME, subj, key, val, p->seen_us, p->source) < 0)
		fail(p, "%s: the store refused evidence", p->source);
}

static void elem_flush(struct P *p)
{
	struct elem *e = &p->e;
	if (!e->open)
		return;
	char ids[MAX_FN][80];
	const char *idkey[MAX_FN];
	int nids = 0;
	char subj[600];
	for (int i = 0; i < e->nfn; i++) {
		struct fn *f = &e->fn[i];
		const char *pl = f->plmn[0] ? f->plmn : e->plmn[0] ? e->plmn : p->o->plmn;
		char id[80] = "";
		if (f->enb >= 0 && pl && *pl) {
			snprintf(id, sizeof id, "%s:%s:%lld", pl, f->enb < (1 << 20) ? "macro" : "home", f->enb);
			idkey[nids] = "oss.global-enb-id";
		} else if (f->gnb >= 0 && f->bits >= 22 && f->bits <= 32 && pl && *pl &&
		           (f->bits == 32 || f->gnb < (1LL << f->bits))) {
			snprintf(id, sizeof id, "%s:gnb:%lld/%d", pl, f->gnb, f->bits);
			idkey[nids] = "oss.global-gnb-id";
		} else if (f->enb >= 0 || f->gnb >= 0) {
			char why[300];
			snprintf(why, sizeof why, "%s=%s: %s %lld without %s", f->cls, f->id, f->enb >= 0 ? "eNBId" : "gNBId",
			         f->enb >= 0 ? f->enb : f->gnb,
			         !(pl && *pl) ? "a PLMN (give --plmn)" : "a valid gNBIdLength (22..32)");
			fact(p, "oss.problem", why);
		}
		int dup = !id[0];
		for (int j = 0; j < nids && !dup; j++)
			dup = !strcmp(ids[j], id);
		if (!dup)
			cpy(ids[nids++], sizeof ids[0], id);
	}
	if (nids)
		snprintf(subj, sizeof subj, "%s:%s", strcmp(idkey[0], "oss.global-enb-id") ? "ran" : "enb", ids[0]);
	else
		snprintf(subj, sizeof subj, "oss:%s", e->dn);
	p->st->elements++;
	p->st->with_id += nids > 0;
	ev_row(p, subj, "oss.format", p->fmt == F_RAML ? "nokia-raml" : "3gpp-bulkcm");
	if (p->st->oss_vendor[0])
		ev_row(p, subj, "oss.export-vendor", p->st->oss_vendor);
	ev_row(p, subj, "oss.dn", e->dn);
	if (e->region[0])
		ev_row(p, subj, "oss.region", e->region);
	for (int i = 0; i < nids; i++) {
		char link[96];
		ev_row(p, subj, idkey[i], ids[i]);
		if (i) {
			snprintf(link, sizeof link, "%s:%.80s", strcmp(idkey[i], "oss.global-enb-id") ? "ran" : "enb", ids[i]);
			ev_row(p, subj, "oss.node-id", link);
		}
	}
	if (nids) {         /* the element's DN too: RAML objects of one base station split across the file meet */
		char link[600];
		snprintf(link, sizeof link, "oss:%s", e->dn);
		ev_row(p, subj, "oss.node-id", link);
	}
	for (size_t o = 0; o < e->facts.len && !p->stop;) {
		const char *k = e->facts.p + o, *v = k + strlen(k) + 1;
		ev_row(p, subj, k, v);
		o = (size_t)(v + strlen(v) + 1 - e->facts.p);
	}
	if (e->dropped) {
		char m[96];
		snprintf(m, sizeof m, "%llu facts over the per-element bound dropped", (unsigned long long)e->dropped);
		ev_row(p, subj, "oss.problem", m);
		p->st->dropped += e->dropped;
	}
	e->open = 0;
}

/* ---------- managed objects ---------- */

static const char *kv_get(const struct mo *m, enum attr a)
{
	for (int i = 0; i < m->nkv; i++)
		if (m->kv[i].a == a)
			return m->vals.p + m->kv[i].off;
	return NULL;
}

static void kv_add(struct mo *m, enum attr a, const char *v, size_t n)
{
	if (m->nkv >= MAX_KV)
		return;
	if (n > KEEP_VALUE)
		n = KEEP_VALUE;
	m->kv[m->nkv].a = a;
	m->kv[m->nkv].off = (uint32_t)m->vals.len;
	m->kv[m->nkv].len = (uint32_t)n;
	buf_add(&m->vals, v, n);
	buf_addc(&m->vals, 0);
	m->nkv++;
}

static struct mo *mo_push(struct P *p, const char *cls, const char *id, int depth)
{
	if (p->nmo == p->mocap) {
		int nc = p->mocap ? p->mocap * 2 : 16;
		p->mo = xrealloc(p->mo, (size_t)nc * sizeof *p->mo);
		memset(p->mo + p->mocap, 0, (size_t)(nc - p->mocap) * sizeof *p->mo);
		p->mocap = nc;
	}
	struct mo *m = &p->mo[p->nmo++];
	cpy(m->cls, sizeof m->cls, cls);
	cpy(m->id, sizeof m->id, id);
	m->depth = depth;
	m->c = cls_lookup(m->cls, &m->tech);
	m->nkv = 0;
	buf_reset(&m->vals);
	return m;
}

/* The PLMN an object states (Bulk CM pLMNId / Ericsson eNodeBPlmnId /
 * Nokia mcc+mnc parameters): the first mcc/mnc pair. */
static int mo_plmn(const struct mo *m, char out[8])
{
	const char *mcc = kv_get(m, A_MCC), *mnc = kv_get(m, A_MNC);
	return mcc && mnc && plmn_text(mcc, mnc, kv_get(m, A_MNCLEN), out);
}

static void add_unit(struct P *p, const struct mo *m, const char *type)
{
	static const struct {
		enum attr a;
		const char *k;
	} f[] = {
		{A_IU_FAMILY, "family"}, {A_PRODNAME, "family"}, {A_IU_TYPENUM, "product"},
		{A_VENDOR, "vendor"}, {A_MANUFACTURER, "vendor"}, {A_IU_SERIAL, "serial"},
		{A_IU_VERSION, "version"}, {A_IU_DATE, "date"}, {A_IU_MFGDATA, "mfg-data"},
	};
	struct elem *e = &p->e;
	if (!e->open)
		return;
	int n = ++e->units;
	char key[64];
	p->st->units++;
	snprintf(key, sizeof key, "oss.unit.%d.type", n);
	fact(p, key, type);
	snprintf(key, sizeof key, "oss.unit.%d.name", n);
	char nm[240];
	snprintf(nm, sizeof nm, "%s=%s", m->cls, m->id);
	fact(p, key, nm);
	for (size_t i = 0; i < OS_ARRAY_LEN(f); i++) {
		const char *v = kv_get(m, f[i].a);
		if (!v)
			continue;
		snprintf(key, sizeof key, "oss.unit.%d.%s", n, f[i].k);
		fact(p, key, v);
	}
}

static struct fn *fn_get(struct elem *e, const char *tech, const char *cls, const char *id)
{
	for (int i = 0; i < e->nfn; i++)
		if (e->fn[i].tech == tech && !strcmp(e->fn[i].id, id) &&
		    (!strcmp(e->fn[i].cls, cls) || !strcmp(tech, "4g")))
			return &e->fn[i];
	if (e->nfn >= MAX_FN)
		return NULL;
	struct fn *f = &e->fn[e->nfn++];
	memset(f, 0, sizeof *f);
	f->tech = tech;
	cpy(f->cls, sizeof f->cls, cls);
	cpy(f->id, sizeof f->id, id);
	f->enb = f->gnb = -1;
	return f;
}

/* A RAN function: its row, and its ids for the element's identity. */
static void function(struct P *p, const struct mo *m, const char *cls, const char *tech, const char *plmn,
                     int own_fields)
{
	struct elem *e = &p->e;
	struct fn *f = fn_get(e, tech, cls, m->id);
	char v[300];
	long long n;
	cat5(v, sizeof v, tech, " ", cls, "=", m->id);
	if (!seen(e, "fn", v)) {
		fact(p, "oss.function", v);
		p->st->functions++;
	}
	if (!f)
		return;
	const char *s;
	if ((s = kv_get(m, A_ENBID)) && num(s, &n))
		f->enb = n;
	else if (!strcmp(cls, "LNBTS") && f->enb < 0 && num(m->id, &n))
		f->enb = n;     /* Nokia: the LNBTS instance is the eNB id */
	if ((s = kv_get(m, A_GNBID)) && num(s, &n))
		f->gnb = n;
	if ((s = kv_get(m, A_GNBIDLEN)) && num(s, &n))
		f->bits = (int)n;
	if (plmn)
		memcpy(f->plmn, plmn, sizeof f->plmn);
	if (own_fields) {
		fact_once(p, "oss.user-label", kv_get(m, A_USERLABEL));
		fact_once(p, "oss.sw-version", kv_get(m, A_SWVERSION));
	}
}

/* What one closed object says, by its class (c, tech: for a standalone
 * VsDataContainer, those of the class its vsDataType names). */
static void mo_dispatch(struct P *p, const struct mo *m, const char *cls, enum cls c, const char *tech)
{
	struct elem *e = &p->e;
	char plmn[8];
	if (!e->open)
		return;
	int has_plmn = mo_plmn(m, plmn);
	if (has_plmn && !e->plmn[0])
		memcpy(e->plmn, plmn, sizeof plmn);
	const char *vs = kv_get(m, A_VSFORMAT);
	if (vs)
		fact_once(p, "oss.vs-data", vs);
	switch (c) {
	case C_MECONTEXT:
	case C_ME:
	case C_RAML_ROOT: {
		static const struct {
			enum attr a;
			const char *k;
		} f[] = {
			{A_VENDOR, "oss.vendor-name"}, {A_SWVERSION, "oss.sw-version"}, {A_METYPE, "oss.element-type"},
			{A_NETYPE, "oss.element-type"}, {A_USERLABEL, "oss.user-label"}, {A_NAME, "oss.user-label"},
			{A_LOCATION, "oss.location"}, {A_USERSTATE, "oss.state"},
		};
		for (size_t i = 0; i < OS_ARRAY_LEN(f); i++)
			fact_once(p, f[i].k, kv_get(m, f[i].a));
		/* a RAML WBTS or BCF root is also its 3G/2G function */
		if (c == C_RAML_ROOT && tech)
			function(p, m, cls, tech, has_plmn ? plmn : NULL, 0);
		break;
	}
	case C_FN:
		function(p, m, cls, tech, has_plmn ? plmn : NULL, 1);
		break;
	case C_CTL: {
		char v[300];
		cat5(v, sizeof v, tech, " ", cls, "=", m->id);
		fact_once(p, "oss.controller", v);
		break;
	}
	case C_CELL: {
		char v[300];
		cat5(v, sizeof v, tech, " ", cls, "=", m->id);
		if (!seen(e, "cell", v)) {
			fact(p, "oss.cell", v);
			e->cells++;
			p->st->cells++;
		}
		break;
	}
	case C_IU:
		add_unit(p, m, kv_get(m, A_IU_TYPE) ? kv_get(m, A_IU_TYPE) : "InventoryUnit");
		break;
	default:
		/* RAML hardware objects: any object with a product code or a
		 * serial number; software release parameters anywhere */
		if (p->fmt == F_RAML) {
			if (kv_get(m, A_IU_TYPENUM) || kv_get(m, A_IU_SERIAL))
				add_unit(p, m, cls);
			fact_once(p, "oss.sw-version", kv_get(m, A_SWVERSION));
		}
		break;
	}
}

static void mo_close(struct P *p)
{
	struct mo *m = &p->mo[p->nmo - 1];
	if (m->c == C_VS) {
		struct mo *parent = p->nmo >= 2 ? &p->mo[p->nmo - 2] : NULL;
		if (parent && parent->c != C_VS && parent->c != C_SUBNET && parent->c != C_MECONTEXT &&
		    parent->c != C_ME) {
			/* vendor attributes of the standard object around it */
			for (int i = 0; i < m->nkv; i++)
				if (m->kv[i].a != A_VSTYPE)
					kv_add(parent, m->kv[i].a, m->vals.p + m->kv[i].off, m->kv[i].len);
		} else {
			const char *t = kv_get(m, A_VSTYPE);
			const char *cls = t && !strncmp(t, "vsData", 6) ? t + 6 : t ? t : "VsDataContainer";
			const char *tech;
			enum cls c = cls_lookup(cls, &tech);
			if (c == C_VS || c == C_SUBNET)
				c = C_OTHER;
			mo_dispatch(p, m, cls, c, tech);
		}
	} else if (m->c != C_SUBNET) {
		mo_dispatch(p, m, m->cls, m->c, m->tech);
	}
	int outer = m->c == C_MECONTEXT || m->c == C_ME;
	p->nmo--;
	if (outer && p->e.open) {
		int still = 0;
		for (int i = 0; i < p->nmo; i++)
			still |= p->mo[i].c == C_MECONTEXT || p->mo[i].c == C_ME;
		if (!still)
			elem_flush(p);
	}
	if (m->c == C_SUBNET) {        /* the region is the innermost SubNetwork still open */
		p->region[0] = 0;
		for (int i = p->nmo - 1; i >= 0 && !p->region[0]; i--)
			if (p->mo[i].c == C_SUBNET)
				cpy(p->region, sizeof p->region, p->mo[i].id);
	}
}

/* ---------- the walk ---------- */

static enum attr leaf_attr(struct P *p, const xmlChar *ln)
{
	unsigned h = (unsigned)(((uintptr_t)ln >> 4) & 255);
	if (p->ck[h] != ln) {
		p->ck[h] = ln;
		p->cv[h] = (signed char)attr_lookup((const char *)ln);
	}
	return (enum attr)p->cv[h];
}

/* An attribute of the element being started (no namespace), as a copy
 * the caller frees with xmlFree; NULL when absent or over the bound. */
static char *get_attr(struct P *p, const char *name)
{
	for (int i = 0; i < p->natts; i++) {
		const xmlChar **a = p->atts + 5 * i;
		if (a[2] || strcmp((const char *)a[0], name))
			continue;
		size_t n = (size_t)(a[4] - a[3]);
		if (n > p->max_text) {
			fail(p, "%s: an attribute value of %zu bytes at byte %llu is over the %zu byte bound", p->source, n,
			     (unsigned long long)here(p), p->max_text);
			return NULL;
		}
		return (char *)xmlStrndup(a[3], (int)n);
	}
	return NULL;
}

static void dn_of_stack(struct P *p, char *out, size_t outlen)
{
	size_t o = 0;
	out[0] = 0;
	for (int i = 0; i < p->nmo && o < outlen; i++) {
		int n = snprintf(out + o, outlen - o, "%s%s=%s", o ? "," : "", p->mo[i].cls, p->mo[i].id);
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

static void bulk_start(struct P *p, const xmlChar *ln, int depth)
{
	if (p->attr_depth >= 0 && depth > p->attr_depth) {
		p->leaf = leaf_attr(p, ln);
		p->leaf_depth = depth;
		buf_reset(&p->text);
		p->text_over = 0;
		return;
	}
	const char *name = (const char *)ln;
	if (!strcmp(name, "attributes")) {
		if (p->nmo && p->mo[p->nmo - 1].depth == depth - 1)
			p->attr_depth = depth;
		return;
	}
	if (!strcmp(name, "fileHeader")) {
		char *v = get_attr(p, "vendorName");
		if (v)
			cpy(p->st->oss_vendor, sizeof p->st->oss_vendor, v);
		xmlFree(v);
		return;
	}
	char *id = get_attr(p, "id");
	if (!id)
		return;
	struct mo *m = mo_push(p, name, id, depth);
	xmlFree(id);
	if (m->c == C_SUBNET)
		cpy(p->region, sizeof p->region, m->id);
	if ((m->c == C_MECONTEXT || m->c == C_ME) && !p->e.open) {
		char dn[512];
		dn_of_stack(p, dn, sizeof dn);
		elem_open(p, dn);
	}
}

static void bulk_end(struct P *p, int depth)
{
	if (p->leaf != A_NONE && depth == p->leaf_depth) {
		if (p->nmo && p->text.len)
			kv_add(&p->mo[p->nmo - 1], p->leaf, p->text.p, p->text.len);
		p->leaf = A_NONE;
		return;
	}
	p->leaf = A_NONE;
	if (depth == p->attr_depth) {
		p->attr_depth = -1;
		return;
	}
	if (p->nmo && p->mo[p->nmo - 1].depth == depth)
		mo_close(p);
}

/* RAML: "PLMN-PLMN/MRBTS-100/LNBTS-100": the base station is the path up
 * to its MRBTS (or WBTS, BCF) component; objects above one are not read. */
static size_t raml_root_len(const char *dn, const char **cls, size_t *clslen)
{
	for (const char *s = dn; *s;) {
		const char *slash = strchr(s, '/'), *end = slash ? slash : s + strlen(s);
		const char *dash = memchr(s, '-', (size_t)(end - s));
		if (dash) {
			char c[16];
			size_t n = (size_t)(dash - s);
			if (n < sizeof c) {
				memcpy(c, s, n);
				c[n] = 0;
				if (cls_lookup(c, NULL) == C_RAML_ROOT) {
					*cls = s;
					*clslen = n;
					return (size_t)(end - dn);
				}
			}
		}
		if (!slash)
			break;
		s = slash + 1;
	}
	return 0;
}

static void raml_start(struct P *p, const xmlChar *ln, int depth)
{
	const char *name = (const char *)ln;
	if (p->nmo && depth > p->mo[0].depth) {
		if (!strcmp(name, "p")) {
			char *n = get_attr(p, "name");
			p->leaf = attr_lookup(n ? n : p->list_name);
			p->leaf_depth = depth;
			buf_reset(&p->text);
			p->text_over = 0;
			xmlFree(n);
		} else if (!strcmp(name, "list")) {
			char *n = get_attr(p, "name");
			cpy(p->list_name, sizeof p->list_name, n ? n : "");
			xmlFree(n);
		}
		return;
	}
	if (strcmp(name, "managedObject"))
		return;
	char *cls = get_attr(p, "class"), *dn = get_attr(p, "distName"), *ver = get_attr(p, "version");
	const char *c = cls ? cls : "";
	const char *colon = strrchr(c, ':');        /* "NOKLTE:LNBTS", "com.nokia.srbts:MRBTS" */
	c = colon ? colon + 1 : c;
	const char *slash = dn ? strrchr(dn, '/') : NULL, *inst = slash ? slash + 1 : dn ? dn : "";
	const char *dash = strchr(inst, '-');
	struct mo *m = mo_push(p, c, dash ? dash + 1 : "", depth);
	const char *rc;
	size_t rl, rcl;
	if (dn && (rl = raml_root_len(dn, &rc, &rcl)) > 0 && rl < sizeof p->e.dn) {
		if (p->e.open && (strlen(p->e.dn) != rl || memcmp(p->e.dn, dn, rl)))
			elem_flush(p);
		if (!p->e.open) {
			char root[sizeof p->e.dn];
			memcpy(root, dn, rl);
			root[rl] = 0;
			elem_open(p, root);
		}
		if (ver && *ver)
			fact_once(p, m->c == C_RAML_ROOT ? "oss.model-version" : "oss.object-version", ver);
	} else if (p->e.open) {
		elem_flush(p);          /* an object outside any base station ends the one before */
	}
	xmlFree(cls);
	xmlFree(dn);
	xmlFree(ver);
}

static void raml_end(struct P *p, int depth)
{
	if (p->leaf != A_NONE && depth == p->leaf_depth) {
		if (p->nmo && p->text.len)
			kv_add(&p->mo[0], p->leaf, p->text.p, p->text.len);
		p->leaf = A_NONE;
		return;
	}
	p->leaf = A_NONE;
	if (p->nmo && depth == p->mo[0].depth) {
		struct mo *m = &p->mo[0];
		if (p->e.open)
			mo_dispatch(p, m, m->cls, m->c, m->tech);
		p->nmo = 0;
	} else if (p->nmo && depth == p->mo[0].depth + 1) {
		p->list_name[0] = 0;
	}
}

static void on_xml_error(void *arg, xmlErrorPtr err)
{
	struct P *p = arg;
	if (!err || err->level < XML_ERR_ERROR || p->xml_err[0])
		return;
	cpy(p->xml_err, sizeof p->xml_err, err->message ? err->message : "XML error");
	size_t n = strlen(p->xml_err);
	while (n && (p->xml_err[n - 1] == '\n' || p->xml_err[n - 1] == ' '))
		p->xml_err[--n] = 0;
	p->xml_line = err->line;
	p->err_at = here(p);
}

static xmlParserInputPtr no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)id;
	(void)ctxt;
	(void)url;
	return NULL;    /* never an external entity or DTD: not from a file, not from the network */
}

/* ---------- SAX2 events ---------- */

static void on_start(void *ctx, const xmlChar *ln, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
                     const xmlChar **ns, int natts, int ndefaulted, const xmlChar **atts)
{
	struct P *p = ctx;
	(void)prefix, (void)nb_ns, (void)ns, (void)ndefaulted;
	int depth = p->depth++;
	if (p->stop)
		return;
	if (depth > p->max_depth) {
		fail(p, "%s: elements nested deeper than %d at byte %llu (refused)", p->source, p->max_depth,
		     (unsigned long long)here(p));
		return;
	}
	if (p->fmt == F_NONE) {
		if (!strcmp((const char *)ln, "bulkCmConfigDataFile"))
			p->fmt = F_BULKCM;
		else if (!strcmp((const char *)ln, "raml"))
			p->fmt = F_RAML;
		else {
			/* a start tag cut short by the end of the file names no
			 * format: the parser says truncated in a moment */
			const xmlParserInputPtr in = p->ctxt->input;
			if (in && (in->cur >= in->end || (*in->cur != '>' && *in->cur != '/')))
				return;
			fail(p, "%s: not a known OSS export: the root element is <%s>%s%s%s (read: 3GPP Bulk CM "
			        "<bulkCmConfigDataFile>, Nokia RAML 2.0 <raml>)",
			     p->source, (const char *)ln, uri ? " in namespace \"" : "", uri ? (const char *)uri : "",
			     uri ? "\"" : "");
			return;
		}
		cpy(p->st->format, sizeof p->st->format, p->fmt == F_RAML ? "nokia-raml" : "3gpp-bulkcm");
		if (p->o->sniff) {
			p->sniffed = 1;
			p->stop = 1;
			xmlStopParser(p->ctxt);
			return;
		}
	}
	if (p->o->stop && *p->o->stop) {
		p->st->interrupted = 1;
		fail(p, "%s: stopped by a signal at byte %llu", p->source, (unsigned long long)here(p));
		return;
	}
	p->atts = atts;
	p->natts = natts;
	if (p->fmt == F_BULKCM)
		bulk_start(p, ln, depth);
	else
		raml_start(p, ln, depth);
	p->atts = NULL;
	p->natts = 0;
}

static void on_end(void *ctx, const xmlChar *ln, const xmlChar *prefix, const xmlChar *uri)
{
	struct P *p = ctx;
	(void)ln, (void)prefix, (void)uri;
	int depth = --p->depth;
	if (p->stop)
		return;
	if (p->fmt == F_BULKCM)
		bulk_end(p, depth);
	else if (p->fmt == F_RAML)
		raml_end(p, depth);
}

static void on_text(void *ctx, const xmlChar *v, int len)
{
	struct P *p = ctx;
	if (p->stop || p->leaf == A_NONE || len <= 0)
		return;
	size_t n = (size_t)len;
	p->text_over += n;
	if (p->text_over > p->max_text) {
		fail(p, "%s: a text of over %zu bytes at byte %llu (refused)", p->source, p->max_text,
		     (unsigned long long)here(p));
		return;
	}
	if (p->text.len < KEEP_VALUE)
		buf_add(&p->text, v, n);
}

static void on_blank(void *ctx, const xmlChar *v, int len)
{
	(void)ctx, (void)v, (void)len;  /* whitespace between elements */
}

/* An entity reference the parser cannot expand (declared nowhere it may
 * read: DTDs are never loaded): refused, never resolved. Predefined
 * entities and character references are plain text and do not come here. */
static void on_reference(void *ctx, const xmlChar *name)
{
	struct P *p = ctx;
	(void)name;
	fail(p, "%s: an entity reference at byte %llu (entities are never expanded: refused)", p->source,
	     (unsigned long long)here(p));
}

static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
	(void)ctx, (void)name;
	return NULL;    /* no entity is declared for us: not from a DTD, not from anywhere */
}

static int walk(struct P *p)
{
	int ret = xmlParseDocument(p->ctxt);
	if (p->sniffed)
		return 0;
	if (p->stop)
		return -1;
	if (ret < 0 || !p->ctxt->wellFormed) {
		uint64_t at = p->in->eof || p->in->ioerr ? p->in->offset : here(p);
		if (p->in->refused)
			fail(p, "%s: refused at byte %llu: %s", p->source, (unsigned long long)p->in->g_seen, p->in->msg);
		else if (p->in->ioerr)
			fail(p, "%s: input stopped at byte %llu: %s (what was complete before is kept)", p->source,
			     (unsigned long long)at, p->in->msg);
		else if (p->in->eof && !p->in->offset)
			fail(p, "%s: no XML element at all (empty file)", p->source);
		else if (p->in->eof && p->depth > 0 && p->err_at >= p->in->offset)
			fail(p, "%s: truncated at byte %llu: the file ends inside the document (what was complete "
			        "before is kept)", p->source, (unsigned long long)at);
		else
			fail(p, "%s: bad XML at byte %llu (line %d): %s", p->source, (unsigned long long)at, p->xml_line,
			     p->xml_err[0] ? p->xml_err : "parse error");
		return -1;
	}
	if (p->fmt == F_NONE) {
		fail(p, "%s: no XML element at all (empty file?)", p->source);
		return -1;
	}
	elem_flush(p);          /* a RAML base station runs to the end of the file */
	return 0;
}

static int run(struct oss_in *in, const char *name, const struct oss_opts *o_in, struct ev_sink *sink,
               struct oss_stats *st)
{
	static const struct oss_opts none;
	const struct oss_opts *o = o_in ? o_in : &none;
	struct P *p = xcalloc(1, sizeof *p);
	p->in = in;
	p->o = o;
	p->sink = sink;
	p->st = st;
	p->source = name;
	p->seen_us = o->seen_us ? o->seen_us : os_now_us();
	p->max_depth = o->max_depth > 0 ? o->max_depth : 64;
	p->max_text = o->max_text ? o->max_text : (size_t)1 << 20;
	p->attr_depth = -1;
	p->leaf = A_NONE;
	xmlSetExternalEntityLoader(no_entities);
	/* Only these events: no DTD callbacks (internal or external subset),
	 * no entity declarations, no entity resolution; no network, no
	 * XInclude, no entity substitution. */
	xmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.cdataBlock = on_text;
	sax.ignorableWhitespace = on_blank;
	sax.reference = on_reference;
	sax.getEntity = on_get_entity;
	sax.serror = on_xml_error;
	int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS;
	p->ctxt = xmlCreateIOParserCtxt(&sax, p, in_read, in_close_cb, in, XML_CHAR_ENCODING_NONE);
	int rc = -1;
	if (!p->ctxt) {
		fail(p, "%s: cannot start the XML parser", name);
	} else {
		xmlCtxtUseOptions(p->ctxt, opts);
		rc = walk(p);
		st->offset = in->offset;
		if (p->ctxt->myDoc)
			xmlFreeDoc(p->ctxt->myDoc);
		xmlFreeParserCtxt(p->ctxt);
		p->ctxt = NULL;
	}
	for (int i = 0; i < p->mocap; i++)
		buf_free(&p->mo[i].vals);
	free(p->mo);
	buf_free(&p->text);
	buf_free(&p->e.facts);
	free(p->e.seen);
	free(p);
	return rc;
}

static int read_one(const char *path, int fd, const struct oss_opts *o, struct ev_sink *sink, struct oss_stats *st)
{
	struct oss_in in;
	memset(st, 0, sizeof *st);
	if ((fd >= 0 ? in_open_fd(&in, fd, path, st->error, sizeof st->error)
	             : in_open_file(&in, path, st->error, sizeof st->error)) < 0) {
		st->failed = 1;
		return -1;
	}
	int rc = run(&in, path, o, sink, st);
	in_close(&in);
	return rc;
}

int oss_read_file(const char *path, const struct oss_opts *o, struct ev_sink *sink, struct oss_stats *st)
{
	return read_one(path, -1, o, sink, st);
}

int oss_read_mem(const void *data, size_t len, const char *name, const struct oss_opts *o, struct ev_sink *sink,
                 struct oss_stats *st)
{
	struct oss_in in;
	memset(st, 0, sizeof *st);
	in_init_mem(&in, data, len);
	return run(&in, name, o, sink, st);
}

int oss_read_files(const char *const *paths, size_t n, const struct oss_opts *o, struct ev_sink *sink,
                   struct oss_stats *total, char *err, size_t errlen)
{
	int rc = 0;
	memset(total, 0, sizeof *total);
	if (errlen)
		err[0] = 0;
	for (size_t i = 0; i < n; i++) {
		struct oss_stats st;
		int r = read_one(paths[i], o && o->fds ? o->fds[i] : -1, o, sink, &st);
		cpy(total->format, sizeof total->format, st.format);
		if (st.oss_vendor[0])
			cpy(total->oss_vendor, sizeof total->oss_vendor, st.oss_vendor);
		total->elements += st.elements;
		total->with_id += st.with_id;
		total->functions += st.functions;
		total->cells += st.cells;
		total->units += st.units;
		total->dropped += st.dropped;
		total->offset += st.offset;
		if (r < 0 && st.interrupted) {
			total->interrupted = 1;
			return 1;
		}
		if (r < 0 && !rc) {
			rc = -1;
			total->failed = 1;
			cpy(total->error, sizeof total->error, st.error);
			if (errlen)
				snprintf(err, errlen, "%s", st.error);
		}
		if (o && o->stop && *o->stop) {
			total->interrupted = 1;
			return 1;
		}
	}
	return rc;
}

int *oss_open_fds(const char *const *paths, size_t n, char *err, size_t errlen)
{
	int *fds = xcalloc(n + 1, sizeof *fds);
	for (size_t k = 0; k < n; k++)
		fds[k] = -1;
	for (size_t k = 0; k < n; k++)
		if ((fds[k] = open(paths[k], O_RDONLY | O_CLOEXEC)) < 0) {
			snprintf(err, errlen, "%s: %s", paths[k], strerror(errno));
			oss_close_fds(fds, n);
			return NULL;
		}
	return fds;
}

void oss_close_fds(int *fds, size_t n)
{
	for (size_t k = 0; fds && k < n; k++)
		if (fds[k] >= 0)
			close(fds[k]);
	free(fds);
}

int oss_check_files(const char *const *paths, size_t n, char *err, size_t errlen)
{
	return oss_check_fds(paths, NULL, n, err, errlen);
}

int oss_check_fds(const char *const *paths, const int *fds, size_t n, char *err, size_t errlen)
{
	struct oss_opts o;
	memset(&o, 0, sizeof o);
	o.sniff = 1;
	for (size_t i = 0; i < n; i++) {
		struct oss_stats st;
		struct stat sb;
		if (fds && fstat(fds[i], &sb) == 0 && S_ISFIFO(sb.st_mode))
			continue;       /* a pipe: read once, checked as it is read */
		if (read_one(paths[i], fds ? fds[i] : -1, &o, NULL, &st) < 0 || !st.format[0]) {
			snprintf(err, errlen, "%s", st.error[0] ? st.error : paths[i]);
			return -1;
		}
	}
	return 0;
}
