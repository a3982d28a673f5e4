/* Attribution: evidence -> devices -> verdicts.
 *
 * Devices. Evidence is about subjects (an IP, a MAC, a chassis id ...).
 * Rows that name another subject of the same device (a MAC of this IP,
 * an IP of this chassis: KEY_MAC, KEY_LINK_IP) link subjects; linked
 * subjects are one device (union-find). Two guards keep one device from
 * swallowing others: virtual router MACs (VRRP/HSRP/GLBP) never link,
 * and a MAC linked to more than MAX_IPS_PER_MAC addresses (a gateway or
 * proxy-ARP) does not merge them.
 *
 * Verdicts. Every row a key rule knows becomes a claim (vendor, product,
 * model, firmware, role, with a weight). The vendor with the strongest
 * claim wins; agreeing independent claims raise the confidence, strong
 * claims for a vendor of another group lower it and mark the verdict
 * disputed. A chip maker's MAC (Intel, Broadcom, HiSilicon ...) names the
 * NIC's maker, not the device's, and never attributes a device.
 *
 * Memory: subjects cost about 64 bytes each plus their text; devices of
 * one subject (most of them) are decided as the ordered evidence stream
 * passes and cost nothing after; only multi-subject devices are held
 * until the end.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "smap.h"
#include "jsonw.h"
#include "sitemap.h"
#include "util.h"

#define MAX_IPS_PER_MAC 16

/* ---------- ENTITY-MIB rows kept per device (chassis + components) ---------- */

struct entity {
	long index;
	int oss;                /* an OSS inventory unit (oss.unit.N.*), not an ENTITY-MIB row */
	int vendor;             /* OSS units naming no maker: the maker their product rule names, else -1 */
	int cls;                /* entPhysicalClass: 3 chassis, 9 module, 10 port ... */
	long contained_in;
	char *descr, *name, *mfg, *model, *serial, *hw, *fw, *sw;
};

/* Claim strings live in a per-verdict arena (util.h): a verdict makes a
 * dozen small strings per claim and frees them all at once, so one
 * allocation per 4 KiB instead of one per string. */

struct verdict_ext {            /* per-verdict state not in the public struct */
	struct arena_blk *arena;
	struct entity *ent;
	size_t nent;
	char **subjects;        /* "ip:10.0.0.1", "mac:..." */
	size_t nsubjects;
	char **macs_claimed;
	size_t nmacs;
	char *chassis_serial;
	struct ran *ran;        /* base station facts from OSS exports, or NULL */
	/* how the crawl met the device (crawl.* rows): the device that stated
	 * its address, the depth, why it was not polled ("" polled) */
	char *found_via, *found_not_polled;
	long found_depth;
	char *name;             /* the best name the device goes by (name_rank) */
	int name_rank;
};

/* What the OSS exports say of a base station: its radio technologies,
 * its cells per technology (distinct cell rows: the same cell in two
 * exports counts once), where it stands, and which exports said so. */
#define RAN_TECHS 4             /* 2g 3g 4g 5g */
#define RAN_MAX_CELLS 4096      /* distinct cells remembered; more are counted */
struct ran {
	unsigned techs;         /* bit t: technology t (0 = 2g) has a function */
	int64_t cells[RAN_TECHS];
	uint64_t *cellh;        /* hashes of the cells counted */
	size_t ncellh;
	char *site, *label, *region, *oss_vendor;
	char **files;
	size_t nfiles;
};

static struct verdict_ext *ext(const struct verdict *v)
{
	struct verdict *w = (struct verdict *)v;     /* lazily built working state */
	if (!w->priv) {
		/* malloc + memset, not calloc: calloc bypasses malloc's
		 * thread cache, and every identified value makes one */
		w->priv = xmalloc(sizeof(struct verdict_ext));
		memset(w->priv, 0, sizeof(struct verdict_ext));
	}
	return w->priv;
}

static void ext_drop(struct verdict *v)
{
	struct verdict_ext *x = v->priv;
	if (!x)
		return;
	for (size_t j = 0; j < x->nent; j++) {
		struct entity *e = &x->ent[j];
		free(e->descr), free(e->name), free(e->mfg), free(e->model);
		free(e->serial), free(e->hw), free(e->fw), free(e->sw);
	}
	free(x->ent);
	for (size_t j = 0; j < x->nsubjects; j++)
		free(x->subjects[j]);
	free(x->subjects);
	for (size_t j = 0; j < x->nmacs; j++)
		free(x->macs_claimed[j]);
	free(x->macs_claimed);
	free(x->chassis_serial);
	if (x->ran) {
		free(x->ran->cellh);
		free(x->ran->site), free(x->ran->label), free(x->ran->region), free(x->ran->oss_vendor);
		for (size_t j = 0; j < x->ran->nfiles; j++)
			free(x->ran->files[j]);
		free(x->ran->files);
		free(x->ran);
	}
	free(x->found_via);
	free(x->found_not_polled);
	free(x->name);
	arena_free(&x->arena);
	free(x);
	v->priv = NULL;
}

static char *adup_n(struct verdict *v, const char *s, size_t n)
{
	/* most verdicts need a few hundred bytes: start small, and small
	 * enough (1 KiB with the header) for malloc's per-thread cache; a
	 * bigger first block took malloc's large-chunk path, which
	 * consolidates its free lists on every verdict */
	char *d = arena_alloc(&ext(v)->arena, n + 1, 1024 - sizeof(struct arena_blk), 4000);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static char *adup(struct verdict *v, const char *s)
{
	return adup_n(v, s ? s : "", s ? strlen(s) : 0);
}

static char *afmt(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *afmt(struct verdict *v, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return adup_n(v, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* snprintf(dst, size, "%s%s...", ...) for plain strings, without the
 * printf machinery: the pieces up to a NULL, cut to fit; returns the
 * length written. */
static size_t vscat(char *dst, size_t size, va_list ap)
{
	size_t n = 0;
	for (const char *s; (s = va_arg(ap, const char *));) {
		size_t l = strlen(s);
		if (l > size - 1 - n)
			l = size - 1 - n;
		memcpy(dst + n, s, l);
		n += l;
	}
	dst[n] = 0;
	return n;
}

static size_t scat(char *dst, size_t size, ...)
{
	va_list ap;
	va_start(ap, size);
	size_t n = vscat(dst, size, ap);
	va_end(ap);
	return n;
}

/* afmt(v, "%s%s...", ...) the same way: cut at the same 511 bytes */
static char *acat(struct verdict *v, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, v);
	size_t n = vscat(tmp, sizeof tmp, ap);
	va_end(ap);
	return adup_n(v, tmp, n);
}

/* what printf's %s writes for a NULL (glibc) */
#define S0(s) ((s) ? (s) : "(null)")

void verdict_init(struct verdict *v)
{
	memset(v, 0, sizeof *v);
	v->vendor = v->group = v->brand = -1;
	v->jurisdiction = "";
	v->role = v->function = "";
	v->decided = "";
}

void verdict_free(struct verdict *v)
{
	free(v->claims);    /* their strings go with the arena */
	free(v->disputes);
	ext_drop(v);
	verdict_init(v);
}

/* Printable, shortened copy of an evidence value for display. */
static char *display_value(struct verdict *v, const void *val, size_t len)
{
	char out[160];
	return adup_n(v, out, ev_value_text(out, sizeof out, val, len));
}

static struct claim *new_claim(struct verdict *v, const struct evidence *ev, int64_t row_id)
{
	if (v->nclaims == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->claims = xrealloc(v->claims, v->cap * sizeof *v->claims);
	}
	struct claim *c = &v->claims[v->nclaims++];
	memset(c, 0, sizeof *c);
	c->vendor = c->brand = c->line = -1;
	c->role = c->function = "";
	static char empty[] = "";
	c->key = adup(v, ev->key);
	c->source = acat(v, ev->collector ? ev->collector : "?", " ",
	                 ev->source ? ev->source : ev->subject ? ev->subject : "", (char *)NULL);
	c->value = display_value(v, ev->value, ev->value_len);
	c->evidence_id = row_id;
	c->name_seen = c->product = c->model = c->firmware = c->basis = c->cpe = empty;
	return c;
}

/* Values arrive as raw bytes; rules and parsers want a C string. */
static char *value_cstr(const struct evidence *ev)
{
	return xstrndup(ev->value, ev->value_len);
}

/* A claim of the MAC's registrant. key: what the claim reads as when the
 * MAC is not the row's value (the row's subject, or a part of the value),
 * so its line never shows the MAC as the value of another key (ip =
 * "bc:9b:5e:..." for a row whose value is 10.20.30.50); NULL: the row's. */
static void mac_claim(struct verdict *v, const struct evidence *ev, int64_t row_id, const uint8_t mac[6],
                      int weight, const char *key)
{
	struct kb_mac_hit hit;
	char txt[18];
	struct verdict_ext *x = ext(v);
	ev_mac_text(mac, txt);
	for (size_t i = 0; i < x->nmacs; i++)
		if (!strcmp(x->macs_claimed[i], txt))
			return;         /* one claim per MAC, however often seen */
	x->macs_claimed = xrealloc(x->macs_claimed, (x->nmacs + 1) * sizeof *x->macs_claimed);
	x->macs_claimed[x->nmacs++] = xstrdup(txt);
	if (!kb_mac_lookup(mac, &hit))
		return;         /* no vendor: nothing to claim (the MAC stays an identifier) */
	struct claim *c = new_claim(v, ev, row_id);
	c->value = adup(v, txt);
	if (key)
		c->key = adup(v, key);
	c->name_seen = adup(v, hit.registrant);
	c->basis = afmt(v, "IEEE %s %0*llX %s%s%s", hit.registry, hit.bits / 4,
	                (unsigned long long)hit.prefix, hit.registrant, hit.country[0] ? ", " : "",
	                hit.country);
	c->tier = TIER_OUI;
	if (hit.maker >= 0 && !kb_vendor_names_device(hit.maker)) {
		c->nic_only = 1;        /* names the NIC, not the device */
		c->weight = 0;
	} else {
		/* a registrant no vendor stanza describes still names a maker,
		 * more weakly: the block may be a module maker's */
		c->vendor = hit.maker;
		c->specific = hit.vendor >= 0;
		c->weight = hit.vendor >= 0 ? weight : hit.maker >= 0 ? weight - 15 : 0;
	}
}

static int parse_mac_value(const struct evidence *ev, uint8_t mac[6])
{
	if (ev->value_len == 6) {
		memcpy(mac, ev->value, 6);
		return 0;
	}
	if (ev->value_len > 0 && ev->value_len < 40) {
		char tmp[40];
		memcpy(tmp, ev->value, ev->value_len);
		tmp[ev->value_len] = 0;
		return kb_mac_parse(os_trim(tmp), mac);
	}
	return -1;
}

static void pen_claim(struct verdict *v, const struct evidence *ev, int64_t row_id, uint32_t pen,
                      int weight, const char *what)
{
	struct claim *c = new_claim(v, ev, row_id);
	const char *name = kb_pen_name(pen);
	/* Enterprise 0 is reserved: "no vendor claimed" (Diameter Vendor-Id 0). */
	int m = pen ? kb_pen_maker(pen) : -1;
	c->tier = TIER_ENTERPRISE;
	c->name_seen = adup(v, name ? name : "");
	if (m >= 0 && !kb_vendor_names_device(m)) {
		/* a software stack's or a chip maker's number (net-snmp, lwIP,
		 * Broadcom's FASTPATH): borrowed by whoever made the device */
		c->basis = afmt(v, "%s: IANA enterprise %u %s: a %s's number, not the device maker's", what, pen,
		                name ? name : "", kb_vendor_part(m));
		return;
	}
	c->vendor = m;
	c->specific = m >= 0 && !kb_vendor_is_registry_only(m);
	/* an enterprise number the device reports is firm enough to name
	 * its maker, curated or not (borrowed numbers are curated) */
	c->firm = weight >= 50;
	c->weight = m < 0 ? 0 : c->specific ? weight : weight - 20;
	c->basis = afmt(v, "%s: IANA enterprise %u%s%s%s", what, pen, name ? " " : "", name ? name : "",
	                m >= 0 && !c->specific ? " (registry-only maker)" : "");
}

/* A maker's name as a device states it (ENTITY-MIB mfgName, LLDP-MED):
 * a vendor's alias, else a registrant of exactly that name, else a name
 * the text holds. Chip and software-stack makers name a part. */
static void maker_name_claim(struct verdict *v, struct claim *c, const char *name, int weight)
{
	size_t n = strlen(name);
	int m = kb_maker_by_name(name, n), how = 0;
	struct kb_name_hit nh;
	if (m < 0 && kb_names_find(name, n, 0, &nh)) {
		m = nh.maker;
		how = nh.how;
		c->firm = nh.strong;
	}
	c->name_seen = adup(v, name);
	if (m >= 0 && !kb_vendor_names_device(m)) {
		c->basis = afmt(v, "maker name: %s is a %s, not the device's maker", kb_vendor(m)->name,
		                kb_vendor_part(m));
		return;
	}
	c->vendor = m;
	c->specific = m >= 0 && !how && !kb_vendor_is_registry_only(m);
	c->firm = c->firm || c->specific;
	c->weight = m < 0 ? 0 : c->specific ? weight : how == KB_NAMED_REGISTRY || kb_vendor_is_registry_only(m) ? weight - 25 : weight - 10;
	c->basis = adup(v, m < 0 ? "maker name (no vendor or registrant matches)"
	                   : c->specific ? "maker name (vendor aliases)"
	                   : how ? "maker name (a name it holds)" : "maker name (registrant, registry-only maker)");
}

/* "role" or "role/function" as the control-plane dissectors state it
 * (an S1 Setup Request's sender is an eNB: "ran/enb"). Only the words
 * they use are accepted, as the static strings a claim points to; any
 * other value is kept as evidence and claims nothing. */
static void role_claim(struct verdict *v, const struct evidence *ev, int64_t row_id, int weight)
{
	static const char *const roles[] = {"ran", "core"};
	static const char *const fns[] = {"enb", "gnb", "mme", "amf", "smf", "upf", "sgw", "pgw",
	                                  "hss", "pcrf", "dra", "ggsn", "sgsn"};
	const char *val = ev->value, *slash = memchr(val, '/', ev->value_len);
	size_t rl = slash ? (size_t)(slash - val) : ev->value_len;
	const char *role = NULL, *fn = "";
	for (size_t i = 0; i < OS_ARRAY_LEN(roles); i++)
		if (strlen(roles[i]) == rl && !memcmp(val, roles[i], rl))
			role = roles[i];
	if (!role)
		return;
	if (slash) {
		size_t fl = ev->value_len - rl - 1;
		fn = NULL;
		for (size_t i = 0; i < OS_ARRAY_LEN(fns); i++)
			if (strlen(fns[i]) == fl && !memcmp(slash + 1, fns[i], fl))
				fn = fns[i];
		if (!fn)
			return;
	}
	struct claim *c = new_claim(v, ev, row_id);
	c->role = role;
	c->function = fn;
	c->weight = weight;
	c->basis = afmt(v, "protocol role (%s)", ev->key);
}

static struct entity *entity_get(struct verdict *v, long index, int oss)
{
	struct verdict_ext *x = ext(v);
	for (size_t i = 0; i < x->nent; i++)
		if (x->ent[i].index == index && x->ent[i].oss == oss)
			return &x->ent[i];
	x->ent = xrealloc(x->ent, (x->nent + 1) * sizeof *x->ent);
	struct entity *e = &x->ent[x->nent++];
	memset(e, 0, sizeof *e);
	e->index = index;
	e->oss = oss;
	e->vendor = -1;
	e->contained_in = -1;
	return e;
}

/* entPhysical<Column>.<index> rows: kept, decided in attrib_decide(). */
static int entity_row(struct verdict *v, const struct evidence *ev)
{
	static const char pre[] = "entPhysical";
	if (strncmp(ev->key, pre, sizeof pre - 1))
		return 0;
	const char *col = ev->key + sizeof pre - 1, *dot = strrchr(ev->key, '.');
	if (!dot || !isdigit((unsigned char)dot[1]))
		return 0;
	long index = strtol(dot + 1, NULL, 10);
	size_t cl = (size_t)(dot - col);
	struct entity *e = entity_get(v, index, 0);
	char *val = value_cstr(ev);
	char **dst = NULL;
#define COL(name) (cl == sizeof(name) - 1 && !strncmp(col, name, cl))
	if (COL("Descr"))
		dst = &e->descr;
	else if (COL("Name"))
		dst = &e->name;
	else if (COL("MfgName"))
		dst = &e->mfg;
	else if (COL("ModelName"))
		dst = &e->model;
	else if (COL("SerialNum"))
		dst = &e->serial;
	else if (COL("HardwareRev"))
		dst = &e->hw;
	else if (COL("FirmwareRev"))
		dst = &e->fw;
	else if (COL("SoftwareRev"))
		dst = &e->sw;
	else if (COL("Class"))
		e->cls = atoi(val);
	else if (COL("ContainedIn"))
		e->contained_in = atol(val);
#undef COL
	if (dst) {
		free(*dst);
		*dst = xstrdup(os_trim(val));
	}
	free(val);
	return 1;
}

/* ---------- what OSS exports say of a base station ---------- */

static struct ran *ran_of(struct verdict *v)
{
	struct verdict_ext *x = ext(v);
	if (!x->ran)
		x->ran = xcalloc(1, sizeof *x->ran);
	return x->ran;
}

/* "4g EUtranCellFDD=1" -> 2 (4G); -1 for anything else */
static int ran_tech(const struct evidence *ev)
{
	const char *p = ev->value;
	if (ev->value_len < 3 || p[1] != 'g' || p[2] != ' ' || p[0] < '2' || p[0] > '5')
		return -1;
	return p[0] - '2';
}

static void ran_set(char **dst, const struct evidence *ev)
{
	if (!*dst && ev->value_len)
		*dst = value_cstr(ev);
}

/* oss.unit.N.FIELD: an inventory unit of the base station, kept as a
 * component (an ENTITY-MIB module's like); its maker is what it names. */
static void oss_unit_row(struct verdict *v, const struct evidence *ev)
{
	const char *n = ev->key + 9, *dot = strchr(n, '.');
	if (!dot || !isdigit((unsigned char)*n))
		return;
	struct entity *e = entity_get(v, strtol(n, NULL, 10), 1);
	const char *f = dot + 1;
	e->cls = 9;
	char **dst = !strcmp(f, "name")     ? &e->name
	             : !strcmp(f, "family")  ? &e->descr
	             : !strcmp(f, "vendor")  ? &e->mfg
	             : !strcmp(f, "product") ? &e->model
	             : !strcmp(f, "serial")  ? &e->serial
	             : !strcmp(f, "version") ? &e->hw
	             : !strcmp(f, "type") && !e->descr ? &e->descr
	                                               : NULL;
	if (dst) {
		free(*dst);
		*dst = value_cstr(ev);
	}
}

/* The rows of OSS exports that describe the base station rather than
 * claim a maker: 1 when the row was taken here. Every OSS row names its
 * export (the row's source) among the device's OSS sources. */
static int oss_row(struct verdict *v, const struct evidence *ev, int64_t row_id)
{
	if (strncmp(ev->key, "oss.", 4))
		return 0;
	struct ran *R = ran_of(v);
	const char *src = ev->source ? ev->source : "";
	size_t i;
	for (i = 0; i < R->nfiles && strcmp(R->files[i], src); i++)
		;
	if (i == R->nfiles && R->nfiles < 64) {
		R->files = xrealloc(R->files, (R->nfiles + 1) * sizeof *R->files);
		R->files[R->nfiles++] = xstrdup(src);
	}
	const char *k = ev->key + 4;
	int t;
	if (!strncmp(k, "unit.", 5)) {
		oss_unit_row(v, ev);
	} else if (!strcmp(k, "export-vendor")) {
		ran_set(&R->oss_vendor, ev);
	} else if (!strcmp(k, "location")) {
		ran_set(&R->site, ev);
	} else if (!strcmp(k, "user-label")) {
		ran_set(&R->label, ev);
	} else if (!strcmp(k, "region")) {
		ran_set(&R->region, ev);
	} else if (!strcmp(k, "cell") && (t = ran_tech(ev)) >= 0) {
		uint64_t h = 1469598103934665603ULL;
		for (size_t j = 0; j < ev->value_len; j++)
			h = (h ^ ((const unsigned char *)ev->value)[j]) * 1099511628211ULL;
		for (i = 0; i < R->ncellh && R->cellh[i] != h; i++)
			;
		if (i < R->ncellh)
			return 1;       /* the same cell from another export */
		if (R->ncellh < RAN_MAX_CELLS) {
			R->cellh = xrealloc(R->cellh, (R->ncellh + 1) * sizeof *R->cellh);
			R->cellh[R->ncellh++] = h;
		}
		R->cells[t]++;
	} else if ((!strcmp(k, "function") || !strcmp(k, "controller")) && (t = ran_tech(ev)) >= 0) {
		/* the function the OSS configures: a base station of that
		 * technology (the newest one it carries weighs most), or its
		 * controller */
		static const char *const bs[RAN_TECHS] = {"bts", "nodeb", "enb", "gnb"};
		static const char *const ctl[RAN_TECHS] = {"bsc", "rnc", "", ""};
		int fn_bs = !strcmp(k, "function");
		if (fn_bs)
			R->techs |= 1u << t;
		if (!fn_bs && !*ctl[t])
			return 1;
		struct claim *c = new_claim(v, ev, row_id);
		c->role = "ran";
		c->function = fn_bs ? bs[t] : ctl[t];
		c->weight = 66 + t;
		c->basis = acat(v, "function an OSS export configures (", ev->key, ")", (char *)NULL);
	} else
		return 0;
	return 1;
}

static void add_identifier(struct verdict *v, const char *subj)
{
	struct verdict_ext *x = ext(v);
	for (size_t i = 0; i < x->nsubjects; i++)
		if (!strcmp(x->subjects[i], subj))
			return;
	x->subjects = xrealloc(x->subjects, (x->nsubjects + 1) * sizeof *x->subjects);
	x->subjects[x->nsubjects++] = xstrdup(subj);
}

/* Whether an address a row states (CDP's address list, an LLDP management
 * address, ARP) can name one host: 0.0.0.0 (a CDP neighbour with no
 * address set says that), ::, broadcast and multicast cannot, and taken as
 * addresses they would join every device that states them into one. */
static int ip_names_host(const char *text)
{
	uint8_t a[16];
	if (inet_pton(AF_INET, text, a) == 1)
		return a[0] != 0 && a[0] < 224;
	if (inet_pton(AF_INET6, text, a) == 1) {
		static const uint8_t zero[16];
		return a[0] != 0xff && memcmp(a, zero, 16);
	}
	return 0;
}

/* Keys naming the device, best first: the name it gives itself over SNMP,
 * then what it announces on the wire (LLDP System Name, CDP's, the CDP
 * Device ID), then the host name it asked DHCP for. 0: not a name. */
static int name_rank(const char *key)
{
	static const char *const keys[] = {"sysName", "lldp.sysname", "cdp.sysname", "cdp.device-id",
	                                    "dhcp.hostname"};
	if (key[0] != 's' && key[0] != 'l' && key[0] != 'c' && key[0] != 'd')
		return 0;
	for (size_t i = 0; i < OS_ARRAY_LEN(keys); i++)
		if (!strcmp(key, keys[i]))
			return (int)i + 1;
	return 0;
}

void attrib_add_evidence(struct verdict *v, const struct evidence *ev, int64_t row_id)
{
	struct verdict_ext *x = ext(v);
	char subj[200];
	scat(subj, sizeof subj, subj_kind_name(ev->subj_kind), ":", S0(ev->subject), (char *)NULL);
	if (!x->nsubjects || strcmp(x->subjects[x->nsubjects - 1], subj)) {
		int seen = 0;
		for (size_t i = 0; i < x->nsubjects && !seen; i++)
			seen = !strcmp(x->subjects[i], subj);
		if (!seen) {
			x->subjects = xrealloc(x->subjects, (x->nsubjects + 1) * sizeof *x->subjects);
			x->subjects[x->nsubjects++] = xstrdup(subj);
			/* A MAC subject is itself OUI evidence. */
			uint8_t mac[6];
			if (ev->subj_kind == SUBJ_MAC && kb_mac_parse(ev->subject, mac) == 0)
				mac_claim(v, ev, row_id, mac, 50, "mac (subject)");
		}
	}
	if (entity_row(v, ev) || oss_row(v, ev, row_id))
		return;
	int nr = name_rank(ev->key);
	if (nr && (!x->name || nr < x->name_rank) && ev->value_len) {
		/* what an operator calls the box; the best source wins */
		char *n = xstrndup(ev->value, ev->value_len > 255 ? 255 : ev->value_len);
		if (*os_trim(n)) {
			free(x->name);
			x->name = xstrdup(os_trim(n));
			x->name_rank = nr;
		}
		free(n);
	}
	if (!strcmp(ev->key, "chassis.serial")) {
		free(x->chassis_serial);
		x->chassis_serial = value_cstr(ev);
		return;
	}
	if (!strncmp(ev->key, "crawl.", 6)) {
		/* the least depth wins: a device met twice was found first there */
		char *val = value_cstr(ev);
		if (!strcmp(ev->key, "crawl.via") && !x->found_via)
			x->found_via = val;
		else if (!strcmp(ev->key, "crawl.depth") && !x->found_depth) {
			x->found_depth = strtol(val, NULL, 10);
			free(val);
		} else if (!strcmp(ev->key, "crawl.not-polled") && !x->found_not_polled)
			x->found_not_polled = val;
		else
			free(val);
		return;
	}
	const struct key_rule *kr = attrib_key_rule(ev->key);
	if (!kr)
		return;
	switch (kr->use) {
	case KEY_RULE: {
		struct kb_extract e;
		if (!kb_classify(kr->kind, ev->value, ev->value_len, &e))
			return;
		struct claim *c = new_claim(v, ev, row_id);
		c->vendor = e.vendor;
		c->tier = kr->tier;
		c->weight = kr->weight ? kr->weight : e.weight;
		if (e.generic && !e.named && c->weight > 30)
			c->weight = 30;
		if (e.vendor >= 0 && kb_vendor_is_registry_only(e.vendor) && c->weight > 60)
			c->weight = 60;
		c->specific = !e.generic || e.named == KB_NAMED_LINE;
		c->firm = e.strong;
		/* a generic rule's version is a software component's (OpenSSH,
		 * BusyBox, a Linux kernel): not the device's firmware. A Diameter
		 * product is the network function itself. */
		c->generic = e.generic && !e.named && kr->kind != KB_DIAMETER_PRODUCT;
		c->brand = e.brand;
		c->line = e.line;
		c->name_seen = adup(v, e.name_seen);
		c->product = adup(v, e.product);
		c->model = adup(v, e.model);
		c->firmware = adup(v, e.firmware);
		c->cpe = adup(v, e.cpe);
		c->role = e.role;
		c->function = e.function;
		c->basis = acat(v, "rule ", S0(e.rule_id), " (", kb_kind_name(kr->kind), ")",
		                e.conflicts ? "; also matched " : "", e.conflicts ? S0(e.conflict_rule) : "", (char *)NULL);
		return;
	}
	case KEY_OID: {
		char *oidtxt = value_cstr(ev);
		uint32_t arcs[128], pen;
		int na = kb_oid_parse(os_trim(oidtxt), arcs, 128);
		struct kb_extract e;
		if (kb_classify(KB_SYSOBJECTID, oidtxt, strlen(oidtxt), &e)) {
			struct claim *c = new_claim(v, ev, row_id);
			c->vendor = e.vendor;
			c->weight = e.weight;
			c->tier = TIER_ENTERPRISE;
			c->specific = !e.generic;
			c->firm = e.strong;
			c->generic = e.generic;
			c->product = adup(v, e.product);
			c->model = adup(v, e.model);
			c->firmware = adup(v, e.firmware);
			c->cpe = adup(v, e.cpe);
			c->role = e.role;
			c->function = e.function;
			c->basis = acat(v, "rule ", S0(e.rule_id), " (snmp-sysobjectid)", (char *)NULL);
		}
		if (na > 0 && kb_oid_pen(arcs, na, &pen) == 0)
			pen_claim(v, ev, row_id, pen, kr->weight ? kr->weight : 80, "sysObjectID");
		free(oidtxt);
		return;
	}
	case KEY_MAC: {
		uint8_t mac[6];
		if (parse_mac_value(ev, mac) == 0)
			mac_claim(v, ev, row_id, mac, kr->weight ? kr->weight : 50, NULL);
		return;
	}
	case KEY_MFG: {
		struct claim *c = new_claim(v, ev, row_id);
		char *name = value_cstr(ev);
		c->tier = kr->tier;
		maker_name_claim(v, c, os_trim(name), kr->weight);
		if (!strncmp(ev->key, "oss.", 4)) {
			/* a claim: an OSS can manage another maker's nodes */
			const char *ov = x->ran && x->ran->oss_vendor ? x->ran->oss_vendor : NULL;
			c->basis = acat(v, "vendorName an OSS export states", ov ? " (the export is " : "", ov ? ov : "",
			                ov ? "'s OSS)" : "", c->vendor >= 0 ? "" : "; no vendor matches", (char *)NULL);
		}
		free(name);
		return;
	}
	case KEY_ENGINE: {
		/* RFC 3411 snmpEngineID: 4 bytes enterprise (top bit set in the
		 * RFC 3411 format), then a format byte; format 3 carries a MAC. */
		const uint8_t *b = ev->value;
		if (ev->value_len < 5)
			return;
		uint32_t pen = ((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]) &
		               0x7fffffffu;
		pen_claim(v, ev, row_id, pen, kr->weight ? kr->weight : 70, "SNMP engine id");
		if ((b[0] & 0x80) && b[4] == 3 && ev->value_len >= 11)
			mac_claim(v, ev, row_id, b + 5, 50, "snmp.engine-id (its MAC)");
		return;
	}
	case KEY_PEN: {
		char *t = value_cstr(ev), *endp;
		unsigned long pen = strtoul(os_trim(t), &endp, 10);
		if (!*endp && *t)
			pen_claim(v, ev, row_id, (uint32_t)pen, kr->weight ? kr->weight : 45, ev->key);
		free(t);
		return;
	}
	case KEY_ROLE:
		role_claim(v, ev, row_id, kr->weight ? kr->weight : 60);
		return;
	case KEY_LINK_IP: {
		/* An address a MAC or chassis states as its own (ARP, LLDP
		 * management address ...) is an address of the device even when
		 * nothing else was said about it; a MAC stating many is a
		 * gateway (see MAX_IPS_PER_MAC), so only that many are taken. */
		char ip[64];
		if (ev->subj_kind == SUBJ_IP || ev->value_len == 0 || ev->value_len >= sizeof ip - 4)
			return;
		memcpy(ip, "ip:", 3);
		memcpy(ip + 3, ev->value, ev->value_len);
		ip[3 + ev->value_len] = 0;
		if (!ip_names_host(ip + 3))
			return;
		size_t nip = 0;
		for (size_t i = 0; i < x->nsubjects; i++) {
			if (!strcmp(x->subjects[i], ip))
				return;
			nip += !strncmp(x->subjects[i], "ip:", 3);
		}
		if (nip >= MAX_IPS_PER_MAC)
			return;
		x->subjects = xrealloc(x->subjects, (x->nsubjects + 1) * sizeof *x->subjects);
		x->subjects[x->nsubjects++] = xstrdup(ip);
		return;
	}
	case KEY_LINK_NAME:     /* another name of the node: pass 2 adds it as an identifier */
	case KEY_IGNORE:
		return;
	}
}

/* A component's maker: the name it gives, else (an OSS unit naming
 * none) the maker its product code's rule names; -1 unknown. */
static int entity_vendor(const struct entity *e)
{
	if (e->mfg && *e->mfg)
		return kb_vendor_by_name(e->mfg, strlen(e->mfg));
	return e->vendor;
}

/* The chassis: class 3 (chassis) at the top of containment, else the
 * lowest-numbered class 3, else nothing. */
static struct entity *chassis_of(struct verdict_ext *x)
{
	struct entity *best = NULL;
	for (size_t i = 0; i < x->nent; i++) {
		struct entity *e = &x->ent[i];
		if (e->cls != 3)
			continue;
		if (!best || (e->contained_in == 0 && best->contained_in != 0) ||
		    ((e->contained_in == 0) == (best->contained_in == 0) && e->index < best->index))
			best = e;
	}
	return best;
}

/* Does any policy loaded call this maker high-risk on this date? A
 * verdict may name such a maker only on firm evidence. */
static int high_risk_capable(int vendor, int date)
{
	for (size_t i = 0; i < kb_policy_count(); i++)
		if (kb_policy_high_risk(kb_policy_at(i), vendor, date, NULL, 0))
			return 1;
	return 0;
}

/* Claims compare by tier first (how directly the evidence speaks for the
 * device), then by specificity (a rule or curated registry entry over a
 * name found in text or a bare registrant), then by weight. */
static int claim_class(const struct claim *c)
{
	int tier = c->tier ? c->tier : TIER_ANNOUNCED;
	return (TIER_NEIGHBOUR + 1 - tier) * 2 + (c->specific ? 1 : 0);
}

static int counts(const struct claim *c)
{
	return c->vendor >= 0 && c->weight > 0;
}

static const char *tier_words(int tier)
{
	switch (tier) {
	case TIER_OWN: return "the device's own description";
	case TIER_ANNOUNCED: return "what the device announces";
	case TIER_ENTERPRISE: return "its enterprise number";
	case TIER_OUI: return "the OUI of its interfaces";
	default: return "a name others gave it";
	}
}

/* The strongest claim outside the excluded groups, or -1. */
static int best_claim(const struct verdict *v, int date, const int *excluded, size_t nexcluded)
{
	int best = -1;
	for (size_t i = 0; i < v->nclaims; i++) {
		const struct claim *c = &v->claims[i];
		if (!counts(c))
			continue;
		int g = kb_vendor_group(c->vendor, date), skip = 0;
		for (size_t k = 0; k < nexcluded && !skip; k++)
			skip = excluded[k] == g;
		if (skip)
			continue;
		if (best < 0) {
			best = (int)i;
			continue;
		}
		const struct claim *b = &v->claims[best];
		int cc = claim_class(c), bc = claim_class(b);
		if (cc > bc || (cc == bc && c->weight > b->weight))
			best = (int)i;
		else if (cc == bc && c->weight == b->weight && c->vendor != b->vendor) {
			/* a tie: the maker more claims speak for */
			int sc = 0, sb = 0;
			for (size_t j = 0; j < v->nclaims; j++) {
				if (!counts(&v->claims[j]))
					continue;
				int gj = kb_vendor_group(v->claims[j].vendor, date);
				sc += gj == g ? v->claims[j].weight : 0;
				sb += gj == kb_vendor_group(b->vendor, date) ? v->claims[j].weight : 0;
			}
			if (sc > sb)
				best = (int)i;
		}
	}
	return best;
}

static void add_dispute(struct verdict *v, const struct claim *c, int capable)
{
	for (size_t i = 0; i < v->ndisputes; i++)
		if (v->disputes[i].vendor == c->vendor)
			return;
	v->disputes = xrealloc(v->disputes, (v->ndisputes + 1) * sizeof *v->disputes);
	v->disputes[v->ndisputes++] = (struct dispute){c->vendor, capable, c->tier, c->basis};
}

static void decide(struct verdict *v, int date, int gate)
{
	struct verdict_ext *x = ext(v);
	struct entity *ch = chassis_of(x);
	for (size_t i = 0; i < x->nent; i++) {
		struct entity *e = &x->ent[i];
		struct kb_extract k;
		if (!e->oss || (e->mfg && *e->mfg))
			continue;
		if ((e->model && kb_classify(KB_OSS_PRODUCT, e->model, strlen(e->model), &k)) ||
		    (e->descr && kb_classify(KB_OSS_PRODUCT, e->descr, strlen(e->descr), &k)))
			e->vendor = k.vendor;
	}
	if (ch && ch->mfg && *ch->mfg) {
		struct evidence pseudo = {"snmp", SUBJ_NONE, "", "entPhysicalMfgName", ch->mfg, strlen(ch->mfg), 0, NULL};
		struct claim *c = new_claim(v, &pseudo, 0);
		c->key = adup(v, "entPhysicalMfgName (chassis)");
		c->source = adup(v, "snmp ENTITY-MIB");
		c->tier = TIER_OWN;
		maker_name_claim(v, c, ch->mfg, 85);
		if (c->vendor >= 0 || !*c->basis)
			c->basis = acat(v, "ENTITY-MIB chassis manufacturer: ", c->basis, (char *)NULL);
		c->model = adup(v, ch->model);
		c->firmware = adup(v, ch->sw && *ch->sw ? ch->sw : ch->fw);
	}
	/* product lines name their maker on the verdict's date */
	for (size_t i = 0; i < v->nclaims; i++) {
		struct claim *c = &v->claims[i];
		if (c->line >= 0) {
			int m = kb_line_maker(c->line, date);
			c->vendor = m;
			if (m < 0)
				c->weight = 0;
		}
	}

	/* 1. the maker: the strongest claim. A maker some policy calls
	 * high-risk is named only when a firm claim (a specific rule, an
	 * unmistakable name, a curated registry entry) speaks for it and no
	 * claim of another group is as strong; else it is kept as disputed
	 * ("possibly X") and the next maker is considered. */
	int excluded[8] = {0};
	size_t nex = 0;
	int best = best_claim(v, date, excluded, nex);
	while (gate && best >= 0 && nex < OS_ARRAY_LEN(excluded)) {
		const struct claim *b = &v->claims[best];
		int g = kb_vendor_group(b->vendor, date);
		if (!high_risk_capable(b->vendor, date))
			break;
		int firm = 0, contested = 0;
		for (size_t i = 0; i < v->nclaims; i++) {
			const struct claim *c = &v->claims[i];
			if (!counts(c))
				continue;
			/* an OUI or a name others chose is never firm, whatever
			 * rule read it */
			if (kb_vendor_group(c->vendor, date) == g)
				firm |= c->firm && (c->tier ? c->tier : TIER_ANNOUNCED) < TIER_OUI;
			else if (c->vendor != b->brand && claim_class(c) >= claim_class(b))
				contested = 1;
		}
		if (firm && !contested)
			break;
		add_dispute(v, b, 1);
		v->disputed = 1;
		excluded[nex++] = g;
		best = best_claim(v, date, excluded, nex);
	}
	const struct claim *bc = best >= 0 ? &v->claims[best] : NULL;
	int win = bc ? bc->vendor : -1, bestw = bc ? bc->weight : 0;
	v->vendor = win;
	v->group = win >= 0 ? kb_vendor_group(win, date) : -1;
	v->jurisdiction = win >= 0 ? kb_vendor(win)->country : "";
	v->registry_only = win >= 0 && kb_vendor_is_registry_only(win);
	if (bc && bc->brand >= 0 && kb_vendor_group(bc->brand, date) != v->group)
		v->brand = bc->brand;
	if (bc && gate)         /* a device's verdict says why; a fact's basis does */
		v->decided = acat(v, bc->key, " (", tier_words(bc->tier ? bc->tier : TIER_ANNOUNCED), "): ",
		                  bc->basis, (char *)NULL);

	/* 2. confidence: agreeing independent keys raise it; a strong enough
	 * claim for another group marks it disputed and lowers it. Every
	 * other maker named is kept as a dispute. */
	int agree = 0, against = 0;
	if (bc)
		for (size_t i = 0; i < v->nclaims; i++) {
			const struct claim *c = &v->claims[i];
			if (!counts(c))
				continue;
			int g = kb_vendor_group(c->vendor, date);
			if (g == v->group)
				agree++;
			else if (v->brand >= 0 && g == kb_vendor_group(v->brand, date))
				continue;       /* the brand on the box agrees */
			else {
				int strong = claim_class(c) >= claim_class(bc) - 4 && c->weight >= 45;
				against += strong;
				add_dispute(v, c, gate && high_risk_capable(c->vendor, date));
			}
		}
	if (bc) {
		int conf = bestw + (agree > 1 ? (agree - 1) * 4 : 0);
		if (conf > 99)
			conf = 99;
		if (v->registry_only && conf > 60)
			conf = 60;      /* no curated record of who this is */
		if (against) {
			v->disputed = 1;
			conf -= 25;
		}
		v->confidence = conf < 1 ? 1 : conf;
	}
	int best_vendor = v->vendor;
	/* 3. what it is: from the heaviest claim that says, among claims of
	 * the chosen group or claims that name no maker */
	int wp = -1, wm = -1, wf = -1, wr = -1, wn = -1;
	for (size_t i = 0; i < v->nclaims; i++) {
		const struct claim *c = &v->claims[i];
		int w = c->weight ? c->weight : 1;
		if (c->vendor >= 0 && (best_vendor < 0 || kb_vendor_group(c->vendor, date) != v->group)) {
			/* a maker left disputed still says what kind of node it is
			 * (an MME's name, an eNB's), not which model */
			if (best_vendor < 0 && c->role && *c->role && w > wr) {
				v->role = c->role;
				v->function = c->function ? c->function : "";
				wr = w;
			}
			continue;
		}
		/* a generic rule's version is the software's (OpenSSH, BusyBox,
		 * a Linux kernel), not the device's firmware */
		int soft = c->generic;
		/* the chassis model (ENTITY-MIB) beats a family name */
		int wmod = !strcmp(c->key, "entPhysicalMfgName (chassis)") ? 1000 : w;
		if (*c->product && w > wp) {
			scat(v->product, sizeof v->product, c->product, (char *)NULL);
			wp = w;
		}
		if (*c->model && wmod > wm) {
			scat(v->model, sizeof v->model, c->model, (char *)NULL);
			wm = wmod;
		}
		if (*c->firmware && !soft && w > wf) {
			scat(v->firmware, sizeof v->firmware, c->firmware, (char *)NULL);
			wf = w;
		}
		if (c->role && *c->role && w > wr) {
			v->role = c->role;
			v->function = c->function ? c->function : "";
			wr = w;
		}
		if (*c->name_seen && (c->vendor == best_vendor) && w > wn) {
			scat(v->name_seen, sizeof v->name_seen, c->name_seen, (char *)NULL);
			wn = w;
		}
	}
	/* A role without its function ("core", from a GTP echo) takes the
	 * function from the heaviest claim of the same role that has one
	 * ("core/mme" from S1AP). */
	if (*v->role && !*v->function) {
		int wfn = -1;
		for (size_t i = 0; i < v->nclaims; i++) {
			const struct claim *c = &v->claims[i];
			if (c->vendor >= 0 && best_vendor >= 0 && kb_vendor_group(c->vendor, date) != v->group)
				continue;
			if (c->role && !strcmp(c->role, v->role) && c->function && *c->function && c->weight > wfn) {
				v->function = c->function;
				wfn = c->weight;
			}
		}
	}
	if (!v->name_seen[0] && best_vendor < 0)
		for (size_t i = 0; i < v->nclaims; i++)
			if (*v->claims[i].name_seen) {
				snprintf(v->name_seen, sizeof v->name_seen, "%s", v->claims[i].name_seen);
				break;
			}
	if (ch && ch->serial && *ch->serial && !x->chassis_serial)
		x->chassis_serial = xstrdup(ch->serial);
}

void attrib_decide(struct verdict *v, int date)
{
	decide(v, date, 1);
}

void attrib_decide_fact(struct verdict *v, int date)
{
	decide(v, date, 0);
}

/* NULL strings are stored as "" (absent text), never NULL. */
#define S(x) ((x) ? (x) : "")

/* A base station's technology from the function it was found to have
 * (an NGAP-only gNB: 5G); -1 when it is no base station. */
static int function_tech(const char *fn)
{
	static const char *const bs[RAN_TECHS] = {"bts", "nodeb", "enb", "gnb"};
	for (int t = 0; fn && t < RAN_TECHS; t++)
		if (!strcmp(fn, bs[t]))
			return t;
	return -1;
}

/* The RAN columns: a base station's technologies and cells, where it
 * stands and the OSS exports that described it; none for anything else.
 * The report's RAN section counts these. ran_techs and ran_exports are
 * the caller's to free. */
static void ran_rows(const struct verdict *v, struct device_row *d)
{
	static const char *const tn[RAN_TECHS] = {"2g", "3g", "4g", "5g"};
	const struct ran *R = ext(v)->ran;
	int ft = function_tech(v->function);
	unsigned techs = (R ? R->techs : 0) | (ft >= 0 ? 1u << ft : 0);
	for (int t = 0; R && t < RAN_TECHS; t++)
		techs |= R->cells[t] ? 1u << t : 0;
	if (!techs || (strcmp(S(v->role), "ran") && !(R && R->techs)))
		return;
	struct buf t = {0}, ex = {0};
	for (int k = 0; k < RAN_TECHS; k++)
		if (techs & (1u << k))
			buf_printf(&t, "%s%s", t.len ? " " : "", tn[k]);
	for (int k = 0; k < RAN_TECHS && k < 4; k++)
		d->ran_cells[k] = R ? R->cells[k] : 0;
	d->ran_techs = t.p;
	d->ran_site = R && R->site ? R->site : R && R->label ? R->label : NULL;
	d->ran_region = R && R->region ? R->region : NULL;
	d->ran_oss_vendor = R && R->oss_vendor ? R->oss_vendor : NULL;
	buf_addc(&ex, '[');
	for (size_t i = 0; R && i < R->nfiles; i++) {
		buf_adds(&ex, i ? ",\"" : "\"");
		buf_json_str(&ex, R->files[i], strlen(R->files[i]));
		buf_addc(&ex, '"');
	}
	buf_addc(&ex, ']');
	d->ran_exports = ex.p;
}

void verdict_rows(const struct verdict *v, struct device_row *d, struct claim_row **claims,
                  struct component_row **comps)
{
	struct verdict_ext *x = ext(v);
	struct claim_row *cr = xcalloc(v->nclaims ? v->nclaims : 1, sizeof *cr);
	for (size_t i = 0; i < v->nclaims; i++) {
		const struct claim *c = &v->claims[i];
		const struct kb_vendor *cv = kb_vendor(c->vendor);
		cr[i] = (struct claim_row){
			.key = S(c->key),
			.value = S(c->value),
			.source = S(c->source),
			.basis = S(c->basis),
			.vendor = cv ? cv->id : NULL,
			.name_seen = S(c->name_seen),
			.product = c->product,
			.model = c->model,
			.firmware = c->firmware,
			.role = c->role,
			.cpe = c->cpe && *c->cpe ? c->cpe : NULL,
			.weight = c->weight,
			.evidence_id = c->evidence_id,
			.nic_only = c->nic_only,
		};
	}
	struct component_row *pr = xcalloc(x->nent ? x->nent : 1, sizeof *pr);
	struct entity *ch = chassis_of(x);
	for (size_t i = 0; i < x->nent; i++) {
		const struct entity *e = &x->ent[i];
		int ev = entity_vendor(e);
		pr[i] = (struct component_row){
			.index = e->index,
			.cls = e->cls,
			.contained_in = e->contained_in,
			.chassis = e == ch,
			.name = S(e->name),
			.descr = S(e->descr),
			.mfg = S(e->mfg),
			.vendor = ev >= 0 ? kb_vendor(ev)->id : NULL,
			.model = S(e->model),
			.serial = S(e->serial),
			.hardware_rev = S(e->hw),
			.firmware_rev = S(e->fw),
			.software_rev = S(e->sw),
			.source = e->oss ? "OSS inventory" : NULL,
		};
	}
	/* every subject merged into the device, for display: JSON text the
	 * store keeps as it is */
	struct buf ids = {0};
	buf_addc(&ids, '[');
	for (size_t i = 0; i < x->nsubjects; i++) {
		buf_adds(&ids, i ? ",\"" : "\"");
		buf_json_str(&ids, x->subjects[i], strlen(x->subjects[i]));
		buf_addc(&ids, '"');
	}
	buf_addc(&ids, ']');
	d->identifiers = ids.p;
	d->found_via = x->found_via;
	d->found_depth = (int)x->found_depth;
	d->found_not_polled = x->found_not_polled;
	d->disputed = v->disputed;
	d->decided = v->decided && *v->decided ? v->decided : NULL;
	d->chassis_serial = x->chassis_serial;
	ran_rows(v, d);
	d->claims = cr;
	d->nclaims = v->nclaims;
	d->components = pr;
	d->ncomponents = x->nent;
	*claims = cr;
	*comps = pr;
}

/* ---------- attribute_scan: device assembly over the stored evidence ---------- */

struct subject {
	char *text;             /* "ip:10.0.0.1" */
	int parent;             /* union-find */
	int size;               /* subjects in the set (at the root) */
	int is_ip, is_mac;
	int rows;               /* evidence rows about it (pass 1) */
	int gateway;            /* a MAC linked to too many IPs: neither merges nor attributes */
};

struct subjects {
	struct subject *s;
	size_t n, cap;
	int *slot;              /* hash: text -> index */
	size_t hcap;
	int *link_a, *link_b;   /* subject pairs to merge (mac links checked first) */
	size_t nlinks, linkcap;
	int64_t rows;           /* evidence rows read */
};

static uint64_t hstr(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int subj_find(const struct subjects *S, const char *text)
{
	if (!S->hcap)
		return -1;
	for (size_t h = hstr(text) & (S->hcap - 1); S->slot[h] >= 0; h = (h + 1) & (S->hcap - 1))
		if (!strcmp(S->s[S->slot[h]].text, text))
			return S->slot[h];
	return -1;
}

static int subj_find_or_add(struct subjects *S, const char *text)
{
	if ((S->n + 1) * 2 > S->hcap) {
		size_t nc = S->hcap ? S->hcap * 2 : 1024;
		int *ns = xmalloc(nc * sizeof *ns);
		for (size_t i = 0; i < nc; i++)
			ns[i] = -1;
		for (size_t i = 0; i < S->n; i++) {
			size_t h = hstr(S->s[i].text) & (nc - 1);
			while (ns[h] >= 0)
				h = (h + 1) & (nc - 1);
			ns[h] = (int)i;
		}
		free(S->slot);
		S->slot = ns;
		S->hcap = nc;
	}
	size_t h = hstr(text) & (S->hcap - 1);
	while (S->slot[h] >= 0) {
		if (!strcmp(S->s[S->slot[h]].text, text))
			return S->slot[h];
		h = (h + 1) & (S->hcap - 1);
	}
	if (S->n == S->cap) {
		S->cap = S->cap ? S->cap * 2 : 1024;
		S->s = xrealloc(S->s, S->cap * sizeof *S->s);
	}
	struct subject *s = &S->s[S->n];
	s->text = xstrdup(text);
	s->parent = (int)S->n;
	s->size = 1;
	s->is_ip = !strncmp(text, "ip:", 3);
	s->is_mac = !strncmp(text, "mac:", 4);
	s->rows = 0;
	S->slot[h] = (int)S->n;
	return (int)S->n++;
}

static int uf_find(struct subjects *S, int i)
{
	while (S->s[i].parent != i) {
		S->s[i].parent = S->s[S->s[i].parent].parent;
		i = S->s[i].parent;
	}
	return i;
}

static void uf_union(struct subjects *S, int a, int b)
{
	a = uf_find(S, a);
	b = uf_find(S, b);
	if (a == b)
		return;
	if (S->s[a].size < S->s[b].size) {
		int t = a;
		a = b;
		b = t;
	}
	S->s[b].parent = a;
	S->s[a].size += S->s[b].size;
}

/* Shared virtual-router MACs belong to two or more routers at once. */
static int virtual_router_mac(const uint8_t m[6])
{
	if (m[0] == 0x00 && m[1] == 0x00 && m[2] == 0x5e && m[3] == 0x00 && (m[4] == 0x01 || m[4] == 0x02))
		return 1;       /* VRRP for IPv4 / IPv6 */
	if (m[0] == 0x00 && m[1] == 0x00 && m[2] == 0x0c && m[3] == 0x07 && m[4] == 0xac)
		return 1;       /* HSRPv1 */
	if (m[0] == 0x00 && m[1] == 0x00 && m[2] == 0x0c && m[3] == 0x9f && (m[4] & 0xf0) == 0xf0)
		return 1;       /* HSRPv2 */
	if (m[0] == 0x00 && m[1] == 0x07 && m[2] == 0xb4 && m[3] == 0x00)
		return 1;       /* GLBP */
	return 0;
}

static void subject_label(const struct evidence *ev, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s:%s", subj_kind_name(ev->subj_kind), ev->subject ? ev->subject : "");
}

/* The subject a linking row names ("mac:.." for KEY_MAC, "ip:.." for
 * KEY_LINK_IP, "name:.." for KEY_LINK_NAME): 1 and out filled, or 0 when
 * the row links nothing. */
static int link_target(const struct evidence *ev, char *out, size_t outlen)
{
	const struct key_rule *kr = attrib_key_rule(ev->key);
	if (!kr || (kr->use != KEY_MAC && kr->use != KEY_LINK_IP && kr->use != KEY_LINK_NAME))
		return 0;
	if (kr->use == KEY_LINK_NAME) {
		/* another name of the same node (a base station's other Global
		 * IDs, its OSS DN): the text as the subject it names */
		if (!ev->value_len || ev->value_len + 6 > outlen || memchr(ev->value, 0, ev->value_len))
			return 0;
		memcpy(out, "name:", 5);
		memcpy(out + 5, ev->value, ev->value_len);
		out[5 + ev->value_len] = 0;
		return 1;
	}
	if (kr->use == KEY_MAC) {
		uint8_t mac[6];
		char m[18];
		struct evidence tmp = *ev;
		if (parse_mac_value(&tmp, mac) < 0 || virtual_router_mac(mac) || (mac[0] & 1))
			return 0;
		static const uint8_t zero[6];
		if (!memcmp(mac, zero, 6))
			return 0;
		ev_mac_text(mac, m);
		snprintf(out, outlen, "mac:%s", m);
	} else {
		char ip[64];
		if (ev->value_len == 0 || ev->value_len >= sizeof ip)
			return 0;
		memcpy(ip, ev->value, ev->value_len);
		ip[ev->value_len] = 0;
		if (!ip_names_host(os_trim(ip)))
			return 0;
		snprintf(out, outlen, "ip:%s", os_trim(ip));
	}
	return 1;
}

static int pass1(void *ctx, const struct evidence *ev, int64_t row_id)
{
	struct subjects *S = ctx;
	char text[300];
	(void)row_id;
	S->rows++;
	subject_label(ev, text, sizeof text);
	int a = subj_find_or_add(S, text);
	S->s[a].rows++;
	char other[300];
	if (!link_target(ev, other, sizeof other))
		return 0;
	int b = subj_find_or_add(S, other);
	if (a == b)
		return 0;
	if (S->nlinks == S->linkcap) {
		S->linkcap = S->linkcap ? S->linkcap * 2 : 1024;
		S->link_a = xrealloc(S->link_a, S->linkcap * sizeof *S->link_a);
		S->link_b = xrealloc(S->link_b, S->linkcap * sizeof *S->link_b);
	}
	S->link_a[S->nlinks] = a;
	S->link_b[S->nlinks] = b;
	S->nlinks++;
	return 0;
}

struct pending {                /* a multi-subject device being gathered */
	int root;
	struct verdict v;
};

struct pass2 {
	struct subjects *S;
	struct store *st;
	int64_t scan;
	int date;
	int cur_root;
	struct verdict cur;
	int cur_used;
	struct pending *pend;
	size_t npend;
	int *pend_of_root;      /* root -> index in pend, or -1 */
	int *left;              /* root -> evidence rows not yet seen */
	int *free_pend;         /* flushed slots of pend, for reuse */
	size_t nfree_pend;
	struct sitemap *sites;  /* the scan's site map, or NULL */
	struct part_place *parts;       /* the scan's parts that say where they were collected */
	size_t nparts;
	struct smap part_of;            /* "kind:subject" -> index in parts (SMAP_NONE: several) */
	size_t ndevices;
	int failed;
	int64_t rows;           /* evidence rows read */
};

/* Where a part of the scan was collected (import --site, --operator):
 * devices the site map does not place, all of whose rows came from that
 * part, are placed there. */
struct part_place {
	int64_t id;
	char *site, *operator_name;
};

static int on_part(void *ctx, const struct part_info *pi)
{
	struct pass2 *P = ctx;
	if (!pi->site && !pi->operator_name)
		return 0;
	P->parts = xrealloc(P->parts, (P->nparts + 1) * sizeof *P->parts);
	P->parts[P->nparts++] = (struct part_place){pi->id, pi->site ? xstrdup(pi->site) : NULL,
	                                            pi->operator_name ? xstrdup(pi->operator_name) : NULL};
	return 0;
}

static int on_part_subject(void *ctx, int64_t part_id, const char *kind, const char *subject)
{
	struct pass2 *P = ctx;
	size_t k = 0;
	while (k < P->nparts && P->parts[k].id != part_id)
		k++;
	if (k == P->nparts)
		return 0;
	char text[300];
	snprintf(text, sizeof text, "%s:%s", kind, subject);
	/* a subject two placed parts saw goes with the first */
	smap_get(&P->part_of, text, 1, k);
	return 0;
}

/* The placed part a device's evidence came from: the one its subjects
 * with evidence of a placed part name, if they name only one. */
static const struct part_place *device_part(struct pass2 *P, const struct verdict_ext *x)
{
	size_t k = SMAP_NONE;
	for (size_t i = 0; P->nparts && i < x->nsubjects; i++) {
		size_t v = smap_get(&P->part_of, x->subjects[i], 0, 0);
		if (v == SMAP_NONE)
			continue;
		if (k != SMAP_NONE && v != k)
			return NULL;
		k = v;
	}
	return k < P->nparts ? &P->parts[k] : NULL;
}

/* Components another maker group made: ENTITY-MIB entities other than
 * the chassis whose maker maps to a vendor of another group (a high-risk
 * optic in a low-risk chassis), and LLDP-MED inventory naming another
 * maker. Returns how many; their vendor ids go to vendors (space
 * separated). The report counts and finds them from these without reading
 * every verdict. */
static int foreign_parts(struct verdict *v, int date, struct buf *vendors)
{
	struct verdict_ext *x = ext(v);
	struct entity *ch = chassis_of(x);
	int n = 0;
	for (size_t i = 0; i < x->nent; i++) {
		const struct entity *e = &x->ent[i];
		if (e == ch)
			continue;
		int ev = entity_vendor(e);
		if (ev >= 0 && kb_vendor_group(ev, date) != v->group) {
			buf_printf(vendors, "%s%s", n++ ? " " : "", kb_vendor(ev)->id);
		}
	}
	for (size_t i = 0; i < v->nclaims; i++) {
		const struct claim *c = &v->claims[i];
		if (c->vendor >= 0 && !strncmp(c->key, "lldp.med.", 9) && kb_vendor_group(c->vendor, date) != v->group)
			buf_printf(vendors, "%s%s", n++ ? " " : "", kb_vendor(c->vendor)->id);
	}
	return n;
}

/* Site, domain and operator from the site map (longest prefix holding the
 * primary address, else any other address); without a site domain the
 * role attribution found, when it names a domain. */
static void place(struct pass2 *P, const struct verdict *v, const char *primary, struct device_row *d)
{
	struct verdict_ext *x = ext(v);
	const struct site *site = sitemap_lookup(P->sites, primary);
	for (size_t i = 0; !site && P->sites && i < x->nsubjects; i++)
		if (!strncmp(x->subjects[i], "ip:", 3))
			site = sitemap_lookup(P->sites, x->subjects[i] + 3);
	if (site) {
		d->site = site->id;
		d->operator_name = site->operator_name;
	}
	const struct part_place *pp = site ? NULL : device_part(P, x);
	if (pp) {
		d->site = pp->site;
		d->operator_name = pp->operator_name;
	}
	if (site && site->domain) {
		d->domain = site->domain;
		d->domain_from = "site-map";
	} else if (domain_valid(v->role)) {
		d->domain = v->role;
		d->domain_from = "role";
	}
}

static int flush(struct pass2 *P, struct verdict *v)
{
	struct verdict_ext *x = ext(v);
	attrib_decide(v, P->date);
	/* identity: vendor + chassis serial, else a base station's lowest
	 * Global eNB/gNB ID (stable where its addresses are not, and the same
	 * from a capture or an OSS export), else chassis id, else the lowest
	 * MAC, else the lowest IP, else whatever names it */
	char *identity = NULL, *addr = NULL;
	const char *chassis = NULL, *mac = NULL, *ip = NULL, *other = NULL, *bsid = NULL;
	for (size_t i = 0; i < x->nsubjects; i++) {
		const char *s = x->subjects[i];
		if ((!strncmp(s, "name:enb:", 9) || !strncmp(s, "name:ran:", 9)) && (!bsid || strcmp(s, bsid) < 0))
			bsid = s;
		else if (!strncmp(s, "chassis:", 8) && (!chassis || strcmp(s, chassis) < 0))
			chassis = s;
		else if (!strncmp(s, "mac:", 4) && (!mac || strcmp(s, mac) < 0))
			mac = s;
		else if (!strncmp(s, "ip:", 3) && (!ip || strcmp(s, ip) < 0))
			ip = s;
		else if (!other)
			other = s;
	}
	/* A MAC the device reported for itself (ifPhysAddress ...) that pass 1
	 * linked into this device is as good an identity as a MAC subject:
	 * stable when the address moves. MACs it did not link (virtual router
	 * MACs, a gateway's MAC behind many addresses) are not this device's. */
	char macbuf[32];
	int me = x->nsubjects ? subj_find(P->S, x->subjects[0]) : -1;
	for (size_t i = 0; me >= 0 && i < x->nmacs; i++) {
		char t[32];
		snprintf(t, sizeof t, "mac:%s", x->macs_claimed[i]);
		int k = subj_find(P->S, t);
		if (k >= 0 && uf_find(P->S, k) == uf_find(P->S, me) && (!mac || strcmp(t, mac) < 0)) {
			snprintf(macbuf, sizeof macbuf, "%s", t);
			mac = macbuf;
		}
	}
	if (x->chassis_serial && *x->chassis_serial)
		identity = xasprintf("serial:%s:%s", v->vendor >= 0 ? kb_vendor(v->vendor)->id : "unknown",
		                     x->chassis_serial);
	else
		identity = xstrdup(bsid ? bsid : chassis ? chassis : mac ? mac : ip ? ip : other ? other : "unknown");
	json_t *addrs = json_array();
	for (size_t i = 0; i < x->nsubjects; i++)
		if (!strncmp(x->subjects[i], "ip:", 3))
			json_array_append_new(addrs, json_string(x->subjects[i] + 3));
	char *addrs_s = json_dumps(addrs, JSON_COMPACT);
	json_decref(addrs);
	addr = ip ? xstrdup(ip + 3) : NULL;
	const struct kb_vendor *kv = kb_vendor(v->vendor), *kg = kb_vendor(v->group);
	struct buf parts = {0}, possibly = {0};
	int nparts = foreign_parts(v, P->date, &parts);
	for (size_t i = 0; i < v->ndisputes; i++)
		if (v->disputes[i].high_risk_capable)
			buf_printf(&possibly, "%s%s", possibly.len ? " " : "", kb_vendor(v->disputes[i].vendor)->id);
	struct device_row d = {
		.identity = identity,
		.name = x->name,
		.address = addr,
		.addresses = addrs_s,
		.vendor = kv ? kv->id : NULL,
		.vendor_name = kv ? kv->name : NULL,
		.name_seen = v->name_seen,
		.grp = kg ? kg->id : NULL,
		.jurisdiction = v->jurisdiction,
		.product = v->product,
		.model = v->model,
		.firmware = v->firmware,
		.role = v->role,
		.function = v->function,
		.confidence = v->confidence,
		.foreign_parts = nparts,
		.foreign_vendors = parts.p,
		.brand = v->brand >= 0 ? kb_vendor(v->brand)->id : NULL,
		.registry_only = v->registry_only,
		.possibly = possibly.p,
		.disputed = v->disputed,
	};
	struct claim_row *claims;
	struct component_row *comps;
	verdict_rows(v, &d, &claims, &comps);
	place(P, v, addr, &d);
	int rc = store_put_device(P->st, P->scan, &d);
	free(claims);
	free(comps);
	free((char *)d.identifiers);
	free((char *)d.ran_techs);
	free((char *)d.ran_exports);
	free(identity);
	free(addr);
	free(addrs_s);
	buf_free(&parts);
	buf_free(&possibly);
	verdict_free(v);
	if (rc < 0)
		P->failed = 1;
	else
		P->ndevices++;
	return rc;
}

/* A row naming a gateway MAC (proxy ARP, a router's MAC behind many
 * addresses) says who made the gateway, not this subject. */
static int names_gateway(const struct subjects *S, const struct evidence *ev)
{
	const struct key_rule *kr = attrib_key_rule(ev->key);
	uint8_t mac[6];
	char m[18], text[32];
	if (!kr || kr->use != KEY_MAC || parse_mac_value(ev, mac) < 0)
		return 0;
	ev_mac_text(mac, m);
	snprintf(text, sizeof text, "mac:%s", m);
	int sid = subj_find(S, text);
	return sid >= 0 && S->s[sid].gateway;
}

static int pass2(void *ctx, const struct evidence *ev, int64_t row_id)
{
	struct pass2 *P = ctx;
	char text[300];
	struct evidence tmp;
	P->rows++;
	if (names_gateway(P->S, ev)) {
		/* keep the subject (an address in use), drop the claim */
		tmp = *ev;
		tmp.key = "mac.gateway";
		ev = &tmp;
	}
	subject_label(ev, text, sizeof text);
	int sid = subj_find(P->S, text);
	if (sid < 0)
		return 0;       /* cannot happen: pass 1 saw every row */
	int root = uf_find(P->S, sid);
	if (P->S->s[root].size == 1) {
		if (P->cur_used && P->cur_root != root && flush(P, &P->cur) < 0)
			return -1;
		if (!P->cur_used || P->cur_root != root) {
			verdict_init(&P->cur);
			P->cur_root = root;
			P->cur_used = 1;
		}
		attrib_add_evidence(&P->cur, ev, row_id);
		return 0;
	}
	int pi = P->pend_of_root[root];
	if (pi < 0) {
		if (P->nfree_pend)
			pi = P->free_pend[--P->nfree_pend];
		else {
			P->pend = xrealloc(P->pend, (P->npend + 1) * sizeof *P->pend);
			pi = (int)P->npend++;
		}
		P->pend[pi].root = root;
		verdict_init(&P->pend[pi].v);
		P->pend_of_root[root] = pi;
	}
	attrib_add_evidence(&P->pend[pi].v, ev, row_id);
	/* An address or MAC this row linked into the device is one of its
	 * identifiers even when nothing was said about it directly (an LLDP
	 * neighbour's management address, a MAC seen only in a MAC table). */
	char other[300];
	int other_id = link_target(ev, other, sizeof other) ? subj_find(P->S, other) : -1;
	if (other_id >= 0 && uf_find(P->S, other_id) == root)
		add_identifier(&P->pend[pi].v, other);
	/* The device's last row: decide it now, so that memory holds only
	 * the devices whose rows are still interleaved with others'. */
	if (--P->left[root] == 0) {
		P->pend[pi].root = -1;
		P->pend_of_root[root] = -1;
		P->free_pend = xrealloc(P->free_pend, (P->nfree_pend + 1) * sizeof *P->free_pend);
		P->free_pend[P->nfree_pend++] = pi;
		if (flush(P, &P->pend[pi].v) < 0)
			return -1;
	}
	return 0;
}

int attribute_scan(struct store *st, int64_t scan_id, int as_of, size_t *ndevices, char *err,
                   size_t errlen)
{
	struct scan_info si;
	struct subjects S = {0};
	struct pass2 P = {0};
	int rc = -1;

	if (store_scan_info(st, scan_id, &si) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		return -1;
	}
	P.date = as_of > 0 ? as_of : os_date_of_us(si.started_us);
	struct sitemap sites;
	sitemap_init(&sites);
	if (si.site_map && sitemap_from_json(&sites, si.site_map, err, errlen) < 0) {
		scan_info_free(&si);
		sitemap_free(&sites);
		return -1;
	}
	P.sites = sites.nsites ? &sites : NULL;
	if (store_each_part(st, scan_id, on_part, &P) < 0 ||
	    (P.nparts && store_each_part_subject(st, scan_id, on_part_subject, &P) < 0)) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		scan_info_free(&si);
		sitemap_free(&sites);
		return -1;
	}
	/* A finished scan recorded how many evidence rows it holds. A damaged
	 * file can read short without an error from SQLite: verdicts made
	 * from part of the evidence must not replace the stored ones. */
	int64_t want_rows = si.status != SCAN_RUNNING ? si.evidence_rows : -1;
	scan_info_free(&si);

	if (store_each_evidence_stored(st, scan_id, pass1, &S) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	if (want_rows >= 0 && S.rows != want_rows) {
		os_seterr(err, errlen,
		          "read %lld evidence rows where the scan recorded %lld: the database is damaged "
		          "(check it with sqlite3 DB 'PRAGMA integrity_check'); the stored verdicts are left as they were",
		          (long long)S.rows, (long long)want_rows);
		goto out;
	}
	/* Merge linked subjects, except through a MAC that links many IPs. */
	/* Links go both ways: an IP naming its MAC (ifPhysAddress, "mac")
	 * and a MAC naming its IPs (ARP, DHCP, capture, neighbour tables:
	 * "ip"). A pair stated by both sides counts once per direction;
	 * that only makes a MAC reach the bound sooner. */
	int *ips_per = xcalloc(S.n ? S.n : 1, sizeof *ips_per);
	for (size_t i = 0; i < S.nlinks; i++) {
		int a = S.link_a[i], b = S.link_b[i];
		if (S.s[b].is_mac && S.s[a].is_ip)
			ips_per[b]++;
		else if (S.s[a].is_mac && S.s[b].is_ip)
			ips_per[a]++;
	}
	for (size_t i = 0; i < S.n; i++)
		S.s[i].gateway = S.s[i].is_mac && ips_per[i] > MAX_IPS_PER_MAC;
	for (size_t i = 0; i < S.nlinks; i++) {
		int a = S.link_a[i], b = S.link_b[i];
		if (S.s[b].gateway || (S.s[a].gateway && S.s[b].is_ip))
			continue;
		uf_union(&S, a, b);
	}
	free(ips_per);

	P.S = &S;
	P.st = st;
	P.scan = scan_id;
	P.pend_of_root = xmalloc((S.n ? S.n : 1) * sizeof *P.pend_of_root);
	P.left = xcalloc(S.n ? S.n : 1, sizeof *P.left);
	for (size_t i = 0; i < S.n; i++) {
		P.pend_of_root[i] = -1;
		P.left[uf_find(&S, (int)i)] += S.s[i].rows;
	}
	if (store_devices_begin(st, scan_id) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	if (store_each_evidence(st, scan_id, pass2, &P) < 0 || P.failed) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		store_devices_end(st, 0);
		goto out;
	}
	if (P.rows != S.rows) {
		os_seterr(err, errlen,
		          "read %lld evidence rows in subject order but %lld in storage order: the database is damaged "
		          "(an index?); the stored verdicts are left as they were",
		          (long long)P.rows, (long long)S.rows);
		store_devices_end(st, 0);
		goto out;
	}
	if (P.cur_used && flush(&P, &P.cur) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		store_devices_end(st, 0);
		goto out;
	}
	for (size_t i = 0; i < P.npend; i++)
		if (P.pend[i].root >= 0 && flush(&P, &P.pend[i].v) < 0) {
			os_seterr(err, errlen, "%s", store_errmsg(st));
			store_devices_end(st, 0);
			goto out;
		}
	if (store_set_attribution(st, scan_id, kb_version(), as_of) < 0 || store_devices_end(st, 1) < 0) {
		os_seterr(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	if (ndevices)
		*ndevices = P.ndevices;
	rc = 0;
out:
	if (P.cur_used && rc < 0)
		verdict_free(&P.cur);
	for (size_t i = 0; rc < 0 && i < P.npend; i++)
		if (P.pend[i].root >= 0)
			verdict_free(&P.pend[i].v);
	free(P.pend);
	free(P.pend_of_root);
	free(P.left);
	free(P.free_pend);
	for (size_t i = 0; i < S.n; i++)
		free(S.s[i].text);
	free(S.s);
	free(S.slot);
	free(S.link_a);
	free(S.link_b);
	sitemap_free(&sites);
	for (size_t i = 0; i < P.nparts; i++) {
		free(P.parts[i].site);
		free(P.parts[i].operator_name);
	}
	free(P.parts);
	smap_free(&P.part_of);
	return rc;
}
