/* originscan identify: attribute single facts offline, through the same
 * attribution path a scan's evidence takes (attrib_add_evidence).
 *
 *   originscan identify --kind KIND VALUE     one verdict (text, or --json)
 *   originscan identify -                     JSON lines {"kind","value"} in,
 *                                             one JSON line out per input
 *   originscan identify --kind KIND -         one raw value per line in
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/uio.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "util.h"

/* identify's kinds and the evidence key a collector would have used */
static const struct {
	const char *kind;
	const char *key;
} kinds[] = {
	{"mac", "mac"},
	{"oid", "sysObjectID"},
	{"enterprise", "enterprise"},
	{"snmp-sysdescr", "sysDescr"},
	{"snmp-sysobjectid", "sysObjectID"},
	{"lldp-sysdesc", "lldp.sysdesc"},
	{"cdp-platform", "cdp.platform"},
	{"cdp-version", "cdp.version"},
	{"ssh-banner", "ssh.banner"},
	{"telnet-banner", "telnet.banner"},
	{"http-server", "http.server"},
	{"tls-subject", "tls.subject"},
	{"dhcp-vendor-class", "dhcp.vendor-class"},
	{"diameter-product", "diameter.product-name"},
	{"ran-node-name", "s1ap.enb-name"},
	{"manufacturer", "lldp.med.manufacturer"},
};

static int kind_index(const char *k)
{
	for (size_t i = 0; i < OS_ARRAY_LEN(kinds); i++)
		if (k[0] == kinds[i].kind[0] && !strcmp(k, kinds[i].kind))
			return (int)i;
	return -1;
}

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan identify --kind KIND VALUE\n"
	        "       originscan identify -              (JSON lines {\"kind\":..,\"value\":..})\n"
	        "       originscan identify --kind KIND -  (one value per line)\n"
	        "\n"
	        "Attributes single facts with the built-in knowledge base, offline.\n"
	        "KIND: mac (any notation), oid (sysObjectID, leading dot optional),\n"
	        "      enterprise (IANA number), manufacturer (a maker's name), and the\n"
	        "      fingerprint kinds: snmp-sysdescr snmp-sysobjectid lldp-sysdesc\n"
	        "      cdp-platform cdp-version ssh-banner telnet-banner http-server\n"
	        "      tls-subject dhcp-vendor-class diameter-product ran-node-name\n"
	        "  --json     print the single verdict as a JSON line\n"
	        "  --escapes  VALUE (or each input line with --kind KIND -) uses C escapes\n"
	        "             (\\r \\n \\t \\\\ \\xHH) for multi-line text\n"
	        "\n"
	        "Output fields: kind value vendor vendor_name registrant parent group\n"
	        "jurisdiction product model firmware role function confidence basis.\n"
	        "A bad input line gets {\"line\":N,\"error\":...} and the rest go on;\n"
	        "the exit status is 1 if any line failed.\n");
}

/* ,"name":"value" (or null): pre is the ,"name": part */
static void field_pre(struct buf *b, const char *pre, size_t prelen, const char *val)
{
	buf_add(b, pre, prelen);
	if (!val || !*val) {
		buf_add(b, "null", 4);
		return;
	}
	buf_addc(b, '"');
	buf_json_str(b, val, strlen(val));
	buf_addc(b, '"');
}
#define field(b, name, val) field_pre(b, ",\"" name "\":", sizeof(",\"" name "\":") - 1, val)

struct answer {
	const struct kb_vendor *vendor, *parent, *group;
	const char *registrant, *basis;
	struct verdict v;
};

/* Validate and attribute one fact; NULL error means ok. */
static const char *identify_one(int ki, const char *value, size_t len, int date, struct answer *a)
{
	static char why[256];
	uint8_t mac[6];
	uint32_t arcs[128];
	memset(a, 0, sizeof *a);
	verdict_init(&a->v);
	const char *kind = kinds[ki].kind;
	if (!strcmp(kind, "mac")) {
		char tmp[64];
		if (len >= sizeof tmp)
			return "malformed MAC address";
		memcpy(tmp, value, len);
		tmp[len] = 0;
		if (kb_mac_parse(os_trim(tmp), mac) < 0)
			return "malformed MAC address";
	} else if (!strcmp(kind, "oid") || !strcmp(kind, "snmp-sysobjectid")) {
		char tmp[1024];
		if (len >= sizeof tmp)
			return "malformed OID";
		memcpy(tmp, value, len);
		tmp[len] = 0;
		if (kb_oid_parse(os_trim(tmp), arcs, 128) < 0)
			return "malformed OID";
	} else if (!strcmp(kind, "enterprise")) {
		for (size_t i = 0; i < len; i++)
			if (value[i] < '0' || value[i] > '9')
				return "enterprise number must be decimal";
		if (!len || len > 10)
			return "enterprise number must be decimal";
	}
	struct evidence ev = {"identify", SUBJ_NONE, "", kinds[ki].key, value, len, 0, "identify"};
	attrib_add_evidence(&a->v, &ev, 0);
	attrib_decide_fact(&a->v, date);
	a->vendor = kb_vendor(a->v.vendor);
	if (a->v.vendor >= 0) {
		a->parent = kb_vendor(kb_vendor_parent(a->v.vendor, date));
		a->group = kb_vendor(a->v.group);
	}
	/* the claim that decided (or the first that said anything) */
	const struct claim *best = NULL;
	for (size_t i = 0; i < a->v.nclaims; i++) {
		const struct claim *c = &a->v.claims[i];
		if (!best || (c->vendor == a->v.vendor && c->weight > best->weight) ||
		    (best->vendor != a->v.vendor && c->vendor == a->v.vendor))
			best = c;
	}
	if (best)
		a->basis = best->basis;
	/* the registry's (or maker's) own name for it: from the deciding
	 * claim if it has one, else from any registry claim (an OID decided by
	 * a model rule still has its enterprise's registrant) */
	for (size_t i = 0; i <= a->v.nclaims && best; i++) {
		const struct claim *c = i ? &a->v.claims[i - 1] : best;
		if (*c->name_seen && (!strcmp(c->key, "mac") || !strcmp(c->key, "sysObjectID") ||
		                      !strcmp(c->key, "enterprise") || !strcmp(c->key, "lldp.med.manufacturer"))) {
			a->registrant = c->name_seen;
			break;
		}
	}
	if (!best && !strcmp(kind, "mac")) {
		struct kb_mac_hit hit;
		if (!kb_mac_lookup(mac, &hit)) {
			snprintf(why, sizeof why, "no vendor: %s", hit.why_none);
			a->basis = why;
		}
	}
	if (!a->basis)
		a->basis = "no rule or registry entry matched";
	return NULL;
}

/* The answer's fields after "kind" and "value": they depend only on what
 * was decided, so a MAC's can be reused for every MAC of its prefix. */
static void answer_tail(struct buf *b, const struct answer *a)
{
	char conf[16], *c = conf + sizeof conf;
	field(b, "vendor", a->vendor ? a->vendor->id : NULL);
	field(b, "vendor_name", a->vendor ? a->vendor->name : NULL);
	field(b, "registrant", a->registrant);
	field(b, "parent", a->parent ? a->parent->id : NULL);
	field(b, "group", a->group ? a->group->id : NULL);
	if (a->v.brand >= 0)    /* only when another maker made it: most answers have none */
		field(b, "brand", kb_vendor(a->v.brand)->id);
	if (a->v.registry_only)
		buf_adds(b, ",\"registry_only\":true");
	field(b, "jurisdiction", a->vendor ? a->vendor->country : NULL);
	field(b, "product", a->v.product);
	field(b, "model", a->v.model);
	field(b, "firmware", a->v.firmware);
	field(b, "role", a->v.role);
	field(b, "function", a->v.function);
	/* "%d" */
	unsigned u = a->v.confidence < 0 ? 0u - (unsigned)a->v.confidence : (unsigned)a->v.confidence;
	do
		*--c = (char)('0' + u % 10);
	while (u /= 10);
	if (a->v.confidence < 0)
		*--c = '-';
	buf_adds(b, ",\"confidence\":");
	buf_add(b, c, (size_t)(conf + sizeof conf - c));
	field(b, "basis", a->basis);
	buf_adds(b, "}\n");
}

static void answer_head(struct buf *b, const char *kind, const char *value, size_t len)
{
	static const char k[] = "{\"kind\":\"", v[] = "\",\"value\":\"";
	buf_add(b, k, sizeof k - 1);
	buf_json_str(b, kind, strlen(kind));
	buf_add(b, v, sizeof v - 1);
	buf_json_str(b, value, len);
	buf_addc(b, '"');
}

static void answer_json(struct buf *b, const char *kind, const char *value, size_t len,
                        const struct answer *a)
{
	answer_head(b, kind, value, len);
	answer_tail(b, a);
}

/* Memoised entries (a value and its answer's tail) are packed into 64 KiB
 * arena blocks that live until the end: no malloc header or rounding per
 * entry, so fewer pages to fault in, which costs more than the answers
 * here. */
#define MEMO_BLK (65536 - sizeof(struct arena_blk))

/* MACs: the verdict depends only on the registry row the lookup lands on
 * (or on why there is none), so each row's answer is computed once
 * through the normal path and its rendered tail reused. Bounded by the
 * number of registry rows (about 56,000). */
struct memo {
	uint64_t *keys;
	char **tails;
	size_t *lens;
	char **vals;            /* the value itself, for value-keyed entries */
	size_t *vlens;
	size_t cap, n, nvals;
	uint64_t lookups, hits; /* values only: stop storing when nothing repeats */
	struct arena_blk *slab; /* where entries live */
	struct buf scratch;     /* an answer being rendered */
};

/* Other kinds: answers of identical values (a fleet of one model sends
 * one banner) are reused too, keyed by kind and value; at most MEMO_VALUES
 * distinct values are kept (about 400 bytes each), after which new values
 * are simply classified every time. */
#define MEMO_VALUES 65536

static const char *memo_get(const struct memo *m, uint64_t key, const char *val, size_t vlen, size_t *len)
{
	if (!m->cap)
		return NULL;
	for (size_t i = (key * 0x9e3779b97f4a7c15ULL) >> 40 & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->tails[i])
			return NULL;
		if (m->keys[i] == key &&
		    (!val || (m->vlens[i] == vlen && !memcmp(m->vals[i], val, vlen)))) {
			*len = m->lens[i];
			return m->tails[i];
		}
	}
}

static void memo_put(struct memo *m, uint64_t key, char *tail, size_t len, char *val, size_t vlen);

/* Keep a copy of the value (vlen bytes, none for a MAC key) and of the
 * answer's tail rendered in m->scratch; returns the stored tail. */
static const char *memo_store(struct memo *m, uint64_t key, const char *val, size_t vlen)
{
	size_t tlen = m->scratch.len;
	char *p = arena_alloc(&m->slab, vlen + tlen, MEMO_BLK, MEMO_BLK);
	if (vlen)
		memcpy(p, val, vlen);
	memcpy(p + vlen, m->scratch.p, tlen);
	memo_put(m, key, p + vlen, tlen, val ? p : NULL, vlen);
	return p + vlen;
}

static void memo_put(struct memo *m, uint64_t key, char *tail, size_t len, char *val, size_t vlen)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct memo nm = {0};
		nm.cap = m->cap ? m->cap * 2 : 4096;
		nm.keys = xcalloc(nm.cap, sizeof *nm.keys);
		nm.tails = xcalloc(nm.cap, sizeof *nm.tails);
		nm.lens = xcalloc(nm.cap, sizeof *nm.lens);
		nm.vals = xcalloc(nm.cap, sizeof *nm.vals);
		nm.vlens = xcalloc(nm.cap, sizeof *nm.vlens);
		nm.nvals = m->nvals;
		nm.lookups = m->lookups;        /* the repetition seen so far */
		nm.hits = m->hits;
		nm.slab = m->slab;
		nm.scratch = m->scratch;
		for (size_t i = 0; i < m->cap; i++)
			if (m->tails[i])
				memo_put(&nm, m->keys[i], m->tails[i], m->lens[i], m->vals[i], m->vlens[i]);
		free(m->keys);
		free(m->tails);
		free(m->lens);
		free(m->vals);
		free(m->vlens);
		*m = nm;
	}
	size_t i = (key * 0x9e3779b97f4a7c15ULL) >> 40 & (m->cap - 1);
	while (m->tails[i])
		i = (i + 1) & (m->cap - 1);
	m->keys[i] = key;
	m->tails[i] = tail;
	m->lens[i] = len;
	m->vals[i] = val;
	m->vlens[i] = vlen;
	m->n++;
}

static void memo_free(struct memo *m)
{
	arena_free(&m->slab);
	buf_free(&m->scratch);
	free(m->keys);
	free(m->tails);
	free(m->lens);
	free(m->vals);
	free(m->vlens);
}

/* Output of the streaming modes: our own bytes (heads, errors) go into a
 * buffer, memoised answers are referenced where they live, and both leave
 * in one writev(2) per few hundred lines, so an answer's bytes are copied
 * only by the kernel. Buffer entries are kept as offsets until the write
 * (the buffer may move as it grows). */
#define OUT_IOV 512
struct out {
	struct buf b;
	struct iovec iov[OUT_IOV];
	size_t off[OUT_IOV];    /* offset into b, or SIZE_MAX: iov is a reference */
	int n;
	size_t marked;          /* bytes of b already described by an entry */
	int failed;
};

static void out_mark(struct out *o)
{
	if (o->b.len == o->marked)
		return;
	o->iov[o->n].iov_base = NULL;
	o->iov[o->n].iov_len = o->b.len - o->marked;
	o->off[o->n] = o->marked;
	o->n++;
	o->marked = o->b.len;
}

static void out_flush(struct out *o)
{
	out_mark(o);
	for (int i = 0; i < o->n; i++)
		if (o->off[i] != SIZE_MAX)
			o->iov[i].iov_base = o->b.p + o->off[i];
	struct iovec *v = o->iov;
	int n = o->n;
	while (n > 0 && !o->failed) {
		ssize_t w = writev(1, v, n);
		if (w < 0) {
			if (errno != EINTR)
				o->failed = 1;
			continue;
		}
		while (n > 0 && (size_t)w >= v->iov_len) {
			w -= (ssize_t)v->iov_len;
			v++;
			n--;
		}
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	o->n = 0;
	o->marked = 0;
	buf_reset(&o->b);
}

/* Reference n bytes that stay put until the end (a memoised answer). */
static void out_ref(struct out *o, const char *p, size_t n)
{
	out_mark(o);
	o->iov[o->n].iov_base = (void *)p;
	o->iov[o->n].iov_len = n;
	o->off[o->n] = SIZE_MAX;
	o->n++;
	if (o->n >= OUT_IOV - 2 || o->b.len >= 1 << 17)
		out_flush(o);
}

/* Forget what was added to the buffer since mark (an answer that turned
 * out to be an error). */
static void out_undo(struct out *o, size_t mark)
{
	if (mark >= o->marked)
		o->b.len = mark;
}

/* Any kind: the answer for this value, from the memo or freshly decided.
 * Returns NULL, or the input error (not memoised: it names the line). */
static const char *value_answer(struct memo *m, int ki, const char *value, size_t len, int date,
                                struct out *out)
{
	/* the memo's key, 8 bytes a step: a byte-wise FNV chain of
	 * multiplies cost more than the lookup it serves */
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)ki ^ (uint64_t)len << 32;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = 0;
		memcpy(&w, value + i, len - i < 8 ? len - i : 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	h = h >> 2 | 1ULL << 62;        /* never equal to a MAC key */
	size_t tlen;
	const char *tail = memo_get(m, h, value, len, &tlen);
	m->lookups++;
	if (tail) {
		m->hits++;
		out_ref(out, tail, tlen);
		return NULL;
	}
	struct answer a;
	const char *e = identify_one(ki, value, len, date, &a);
	if (e) {
		verdict_free(&a.v);
		return e;
	}
	/* When values hardly ever repeat, storing them only costs memory:
	 * then the answer is written straight after its head. */
	int worth = m->lookups < 8192 || m->hits * 20 >= m->lookups;
	if (m->nvals < MEMO_VALUES && worth) {
		buf_reset(&m->scratch);
		answer_tail(&m->scratch, &a);
		const char *t = memo_store(m, h, value, len);
		m->nvals++;
		out_ref(out, t, m->scratch.len);
	} else
		answer_tail(&out->b, &a);
	verdict_free(&a.v);
	return NULL;
}

/* 1 and the tail appended when the MAC's answer is known (or now made). */
static int mac_answer(struct memo *m, int ki, const char *value, size_t len, int date, struct out *out)
{
	char tmp[64];
	uint8_t mac[6];
	struct kb_mac_hit hit;
	if (len >= sizeof tmp)
		return 0;
	memcpy(tmp, value, len);
	tmp[len] = 0;
	if (kb_mac_parse(os_trim(tmp), mac) < 0)
		return 0;
	uint64_t key = kb_mac_lookup(mac, &hit) ? (uint64_t)hit.bits << 48 | hit.prefix
	                                          : 1ULL << 63 | (uint64_t)(uintptr_t)hit.why_none;
	size_t tlen;
	const char *tail = memo_get(m, key, NULL, 0, &tlen);
	if (!tail) {
		struct answer a;
		if (identify_one(ki, value, len, date, &a)) {
			verdict_free(&a.v);
			return 0;
		}
		buf_reset(&m->scratch);
		answer_tail(&m->scratch, &a);
		verdict_free(&a.v);
		tail = memo_store(m, key, NULL, 0);
		tlen = m->scratch.len;
	}
	out_ref(out, tail, tlen);
	return 1;
}

/* jansson's allocations for one input line (the lexer's buffers, the
 * object, its table, its strings) come from one block that is simply
 * rewound after the line, instead of a dozen malloc/free pairs per line.
 * Frees of block memory do nothing; what does not fit (a very long line)
 * goes to malloc and back to free as usual. Nothing jansson makes
 * outlives its line in the streaming loop. */
#define JARENA (64 * 1024)
static _Alignas(16) unsigned char jarena[JARENA];
static size_t jarena_used;

static void *jarena_malloc(size_t n)
{
	size_t a = (n + 15) & ~(size_t)15;
	if (a >= n && a <= JARENA - jarena_used) {
		void *p = jarena + jarena_used;
		jarena_used += a;
		return p;
	}
	return malloc(n);
}

static void jarena_free(void *p)
{
	if ((unsigned char *)p >= jarena && (unsigned char *)p < jarena + JARENA)
		return;
	free(p);
}

static void error_json(struct buf *b, long line, const char *msg)
{
	buf_printf(b, "{\"line\":%ld,\"error\":\"", line);
	buf_json_str(b, msg, strlen(msg));
	buf_adds(b, "\"}\n");
}

/* "label value" with the value as a terminal shows it safely: model and
 * firmware are cut from the input, and registrants come from a file. */
static void text_field(const char *label, const char *value)
{
	fputs(label, stdout);
	os_term_puts(stdout, value);
	putchar('\n');
}

static void answer_text(const char *kind, const struct answer *a)
{
	const struct verdict *v = &a->v;
	printf("kind:         %s\n", kind);
	printf("vendor:       %s%s%s%s\n", a->vendor ? a->vendor->name : "unknown", a->vendor ? " (" : "",
	       a->vendor ? a->vendor->id : "", a->vendor ? ")" : "");
	if (a->registrant && *a->registrant)
		text_field("registrant:   ", a->registrant);
	if (a->parent)
		printf("parent:       %s (%s)\n", a->parent->name, a->parent->id);
	if (a->group && a->vendor && a->group != a->vendor)
		printf("group:        %s (%s)\n", a->group->name, a->group->id);
	if (a->vendor)
		printf("jurisdiction: %s%s%s\n", a->vendor->country,
		       kb_country_name(a->vendor->country) ? " " : "",
		       kb_country_name(a->vendor->country) ? kb_country_name(a->vendor->country) : "");
	if (*v->product)
		text_field("product:      ", v->product);
	if (*v->model)
		text_field("model:        ", v->model);
	if (*v->firmware)
		text_field("firmware:     ", v->firmware);
	if (*v->role)
		printf("role:         %s%s%s\n", v->role, *v->function ? " / " : "", v->function);
	printf("confidence:   %d\n", v->confidence);
	printf("basis:        %s\n", a->basis);
}

int cmd_identify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"json", no_argument, NULL, 'j'},
		{"escapes", no_argument, NULL, 'e'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	const char *kind = NULL;
	int json = 0, escapes = 0, opt;
	cli_common_init(&c);
	while ((opt = cli_next_opt(&c, argc, argv, "k:", longopts, help)) > 0) {
		switch (opt) {
		case 'k':
			kind = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'e':
			escapes = 1;
			break;
		}
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (optind != argc - 1) {
		os_err("identify: give one VALUE, or - to read standard input (see originscan identify --help)");
		return OS_EXIT_USAGE;
	}
	int ki = -1;
	if (kind && (ki = kind_index(kind)) < 0) {
		os_err("--kind '%s': unknown kind (see originscan identify --help)", kind);
		return OS_EXIT_USAGE;
	}
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	int date = c.as_of > 0 ? c.as_of : os_date_of_us(os_now_us());
	const char *arg = argv[optind];
	struct answer a;

	if (strcmp(arg, "-")) {
		if (ki < 0) {
			os_err("identify VALUE needs --kind (see originscan identify --help)");
			return OS_EXIT_USAGE;
		}
		size_t len = strlen(arg);
		char *val = escapes ? kb_unescape(arg, &len) : xstrdup(arg);
		const char *e = identify_one(ki, val, len, date, &a);
		int rc = OS_EXIT_OK;
		if (e) {
			os_err("%s: %s", kind, e);
			rc = OS_EXIT_DIFF;
		} else if (json) {
			struct buf b = {0};
			answer_json(&b, kind, val, len, &a);
			fwrite(b.p, 1, b.len, stdout);
			buf_free(&b);
		} else
			answer_text(kind, &a);
		verdict_free(&a.v);
		free(val);
		return rc;
	}

	/* streaming: one answer line per input line (see struct out) */
	fflush(stdout);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int failed = 0, mac_ki = kind_index("mac");
	struct out out;
	memset(&out, 0, sizeof out);
	struct buf *b = &out.b;
	struct memo memo = {0};
	if (ki < 0)
		json_set_alloc_funcs(jarena_malloc, jarena_free);
	while ((n = getline(&line, &cap, stdin)) >= 0 && !out.failed) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		size_t mark = b->len;   /* start of this line's head */
		if (ki == mac_ki) {
			answer_head(b, "mac", line, (size_t)n);
			if (!mac_answer(&memo, ki, line, (size_t)n, date, &out)) {
				out_undo(&out, mark);
				error_json(b, lineno, "malformed MAC address");
				failed = 1;
			}
		} else if (ki >= 0) {
			size_t vl = (size_t)n;
			char *val = escapes ? kb_unescape(line, &vl) : line;
			answer_head(b, kinds[ki].kind, val, vl);
			const char *e = value_answer(&memo, ki, val, vl, date, &out);
			if (e) {
				out_undo(&out, mark);
				error_json(b, lineno, e);
				failed = 1;
			}
			if (val != line)
				free(val);
		} else {
			json_error_t je;
			json_t *o = json_loadb(line, (size_t)n, 0, &je);
			const char *k, *val;
			int kj;
			if (!o || !json_is_object(o)) {
				char msg[300];
				snprintf(msg, sizeof msg, "not a JSON object: %s", o ? "wrong type" : je.text);
				error_json(b, lineno, msg);
				failed = 1;
			} else if (!(k = json_string_value(json_object_get(o, "kind"))) ||
			           !(val = json_string_value(json_object_get(o, "value")))) {
				error_json(b, lineno, "want {\"kind\": \"...\", \"value\": \"...\"}");
				failed = 1;
			} else if ((kj = kind_index(k)) < 0) {
				char msg[300];
				snprintf(msg, sizeof msg, "unknown kind '%.200s'", k);
				error_json(b, lineno, msg);
				failed = 1;
			} else {
				size_t vl = json_string_length(json_object_get(o, "value"));
				answer_head(b, k, val, vl);
				const char *e = kj == mac_ki
				                    ? (mac_answer(&memo, kj, val, vl, date, &out) ? NULL : "malformed MAC address")
				                    : value_answer(&memo, kj, val, vl, date, &out);
				if (e) {
					out_undo(&out, mark);
					error_json(b, lineno, e);
					failed = 1;
				}
			}
			json_decref(o);
			jarena_used = 0;
		}
		if (b->len >= 1 << 17)
			out_flush(&out);
	}
	if (ki < 0)
		json_set_alloc_funcs(malloc, free);
	out_flush(&out);
	if (out.failed)
		failed = 1;
	free(line);
	buf_free(&out.b);
	memo_free(&memo);
	if (fflush(stdout) != 0) {
		os_err("identify: cannot write the output");
		return OS_EXIT_FAIL;
	}
	return failed ? OS_EXIT_DIFF : OS_EXIT_OK;
}
