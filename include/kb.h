/* The knowledge base: MAC prefixes, enterprise numbers, vendors and their
 * ownership over time, countries, policies and fingerprint rules.
 *
 * Registry tables are compiled in (scanner/kb/gen_kb.py); data/ files are
 * embedded and parsed once by kb_init(). Users may load newer registry
 * files and their own override files on top. Lookups are read-only after
 * loading and cheap: a MAC lookup is three binary searches.
 *
 * Dates are ints YYYYMMDD (see os_parse_date); vendor handles are indexes
 * (>= 0), -1 meaning "no vendor".
 */
#ifndef OS_KB_H
#define OS_KB_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int kb_init(char *err, size_t errlen);          /* idempotent */
/* A user file: *.vendors, *.rules, *.policy or a countries file (any
 * other name is read by its stanza types). */
int kb_load_file(const char *path, char *err, size_t errlen);
/* A newer registry: an IEEE CSV (oui.csv, mam.csv, oui36.csv, iab.csv)
 * or a Wireshark manuf file. Its entries win over the compiled ones. */
int kb_load_registry(const char *path, char *err, size_t errlen);
const char *kb_version(void);                   /* for reports */
/* C-style unescape (\r \n \t \\ \0 \xHH) as data/ examples use; malloc'd. */
char *kb_unescape(const char *s, size_t *len);

/* ---- vendors and makers ----
 * A maker handle is a curated vendor (data/vendors: 0 ..
 * kb_vendor_count() - 1) or a registry-only maker: an organisation of the
 * IANA or IEEE registries no vendor stanza claims (KB_ORG_BASE + its
 * index). Both answer kb_vendor(), kb_vendor_find() (a registry-only id
 * is "reg." and its normalised name: "reg.eltex-enterprise"),
 * kb_vendor_group() and the policies; a registry-only maker has kind
 * "registry-only", its registered name, the country its registry address
 * gives ("" unknown) and no parent. */
#define KB_ORG_BASE (1 << 24)
struct kb_vendor {
	const char *id, *name, *legal, *country, *kind, *note;
};
size_t kb_vendor_count(void);                   /* curated vendors only */
const struct kb_vendor *kb_vendor(int v);       /* NULL if out of range */
int kb_vendor_find(const char *id);             /* by canonical id */
int kb_vendor_is_registry_only(int v);
/* 0 for makers of chips (kind chip) and of software stacks, operating
 * systems and SDKs (kind stack): their name on a NIC, an ENTITY row or an
 * enterprise number says who made that part, never who made the device. */
int kb_vendor_names_device(int v);
/* A maker by a name as registered or seen (ENTITY-MIB mfgName ...): the
 * curated vendor it maps to, else the organisation registered under
 * exactly that name (after normalisation), else -1. */
int kb_maker_by_name(const char *name, size_t len);
size_t kb_org_count(void);
/* Map a maker's name as seen (registrant, ENTITY-MIB mfg, LLDP-MED ...)
 * through aliases and anchored patterns. */
int kb_vendor_by_name(const char *name, size_t len);
/* Normalise a name as data/README.md says; out >= len + 1. */
size_t kb_normalise_name(const char *name, size_t len, char *out, size_t outlen);
/* Parent in force on date, -1 if none. */
int kb_vendor_parent(int v, int date);
/* Top of the parent chain in force on date (v itself if no parent). */
int kb_vendor_group(int v, int date);
int kb_vendor_is_chip(int v);

/* ---- MAC addresses ---- */
struct kb_mac_hit {
	const char *registrant;     /* NULL when no vendor */
	char country[3];            /* from the registrant address, "" unknown */
	int bits;                   /* 24, 28 or 36 */
	const char *registry;       /* "MA-L", "MA-M", "MA-S", "IAB", "manuf", "file" */
	uint64_t prefix;            /* right-aligned */
	int vendor;                 /* mapped vendor or -1 */
	int maker;                  /* vendor, else the registrant as a registry-only maker, or -1 */
	const char *why_none;       /* set when registrant is NULL */
};
/* 1 found, 0 not (why_none says: locally administered, multicast,
 * unassigned, private registration). */
int kb_mac_lookup(const uint8_t mac[6], struct kb_mac_hit *hit);
/* Parse 00:11:22:33:44:55, 00-11-..., 0011.2233.4455, 001122334455,
 * 0:1e:... (single digits). 0 ok, -1 malformed. */
int kb_mac_parse(const char *s, uint8_t mac[6]);

/* Every registrant name in the compiled MAC and enterprise tables (with
 * repeats), for the test that reviews which registry names map to which
 * vendor. */
void kb_each_registrant(void (*cb)(void *ctx, const char *name), void *ctx);

/* ---- enterprise numbers ---- */
const char *kb_pen_name(uint32_t pen);          /* NULL if unassigned */
int kb_pen_vendor(uint32_t pen);                /* curated vendor, or -1 */
int kb_pen_maker(uint32_t pen);                 /* ... else the registrant, registry-only */
/* Parse an OID ("1.3.6.1.4.1.2011.2.23", leading dot allowed) into arcs;
 * returns count or -1 if malformed. */
int kb_oid_parse(const char *s, uint32_t *arcs, int maxarcs);
/* Enterprise number of an OID under 1.3.6.1.4.1; 0 ok, -1 not under it. */
int kb_oid_pen(const uint32_t *arcs, int n, uint32_t *pen);

/* ---- countries ---- */
const char *kb_country_name(const char *cc);    /* NULL if unknown */
/* Attribute value ("yes", "no", ...) or NULL; cite receives the citation. */
const char *kb_country_attr(const char *cc, const char *attr, const char **cite);
/* Every country in the order loaded: its code, name (may be NULL) and
 * attribute count; then attribute k's name (value in *value). */
size_t kb_country_count(void);
const char *kb_country_at(size_t i, const char **name, size_t *nattrs);
const char *kb_country_attr_at(const char *cc, size_t k, const char **value);

/* ---- fingerprint rules ---- */
enum kb_kind {
	KB_SYSDESCR = 0, KB_SYSOBJECTID, KB_LLDP_SYSDESC, KB_CDP_PLATFORM,
	KB_CDP_VERSION, KB_SSH_BANNER, KB_TELNET_BANNER, KB_HTTP_SERVER,
	KB_TLS_SUBJECT, KB_DHCP_VENDOR_CLASS, KB_DIAMETER_PRODUCT,
	KB_RAN_NODE_NAME, KB_OSS_VERSION, KB_OSS_PRODUCT, KB_KIND__COUNT
};
const char *kb_kind_name(int kind);             /* "snmp-sysdescr" ... */
int kb_kind_parse(const char *s);               /* -1 if unknown */

#define KB_FIELD 128
struct kb_extract {
	int vendor;                 /* -1 when the rule names none */
	int brand;                  /* the brand the text names when another maker made it, else -1 */
	int line;                   /* product line that named the maker (kb_line_maker), else -1 */
	int named;                  /* 0 a rule decided; else how a name index entry did (KB_NAMED_*) */
	int strong;                 /* the name is unmistakable: enough alone for a high-risk verdict */
	char name_seen[KB_FIELD];   /* maker text a {N} vendor template captured */
	char product[KB_FIELD], model[KB_FIELD], firmware[KB_FIELD];
	const char *role, *function;   /* "" when none */
	char cpe[KB_FIELD];         /* CPE 2.3 name the rule gives, "" when none */
	int weight;
	int generic;
	const char *rule_id;
	int conflicts;              /* other matching rules naming another vendor */
	const char *conflict_rule;
};
/* Best rule for a value of this kind: 1 matched, 0 none. For text kinds,
 * when no specific rule matches, the name index (maker names, product
 * lines) is read: the answer is then generic (weaker than a rule). */
int kb_classify(int kind, const void *value, size_t len, struct kb_extract *out);

/* ---- names in free text (names.c) ----
 * One index over the makers' names: the organisations' distinctive names
 * (gen_kb.py), the vendors' names, aliases and text names, and the
 * product lines (data/lines). Matched on whole words, with guards
 * ("compatible with", "for", "powered by", names in URLs, ordinary words
 * in the wrong case). */
enum { KB_NAMED_LINE = 1, KB_NAMED_VENDOR, KB_NAMED_REGISTRY };
struct kb_name_hit {
	int maker;                  /* on today's date for a product line */
	int brand;                  /* -1 or another group's name seen with the line */
	int line;                   /* -1 or the product line */
	int how;                    /* KB_NAMED_* */
	int strong;
	int conflicts;              /* other makers (another group) named too */
	char product[KB_FIELD];     /* the product line as data/lines writes it */
	char seen[KB_FIELD];        /* the words matched, as they appear */
};
/* 1 found (out filled), 0 none. KB_NAMES_NO_REGISTRY: vendors' names and
 * product lines only (the registrants of software headers, "Server:"
 * or "SSH-2.0-...", are the software's publishers more than the
 * device's makers). */
#define KB_NAMES_NO_REGISTRY 1
#define KB_NAMES_LINES_ONLY 2           /* product lines only */
int kb_names_find(const void *text, size_t len, int flags, struct kb_name_hit *out);
/* The maker of a product line on date (YYYYMMDD), -1 if none then. */
int kb_line_maker(int line, int date);
const char *kb_line_name(int line);

/* Introspection for tests and `originscan kb`: every rule and example. */
struct kb_example {
	const char *value;          /* unescaped */
	size_t len;
	int counter;                /* must NOT be decided by this rule */
	const char *want[8];        /* vendor product model firmware role function cpe brand */
	int line;
};
struct kb_rule_view {
	const char *id, *file;
	int line, kind;
	size_t nexamples;
	const struct kb_example *examples;
};
size_t kb_rule_count(void);
int kb_rule_get(size_t i, struct kb_rule_view *out);
/* Run every rule example through the classifier and check its whole
 * extraction; print each failure to out. Returns the failure count. */
int kb_check_examples(FILE *out, size_t *nexamples);
/* Compile every pattern now (normally done on first use). */
int kb_rules_compile_all(char *err, size_t errlen);
/* Problems noticed while loading that did not stop it (unknown keys,
 * rules without examples ...). `originscan kb check` lists them. */
size_t kb_note_count(void);
const char *kb_note_at(size_t i);

/* ---- policies ---- */
enum kb_prule_type { KB_PR_EXCLUDE, KB_PR_CAP, KB_PR_CONCENTRATION };
struct kb_prule {
	enum kb_prule_type type;
	const char *scope;          /* "domain" or "function" */
	const char *target;         /* "core", "access", "all", "ems" ... */
	double pct;                 /* cap / concentration share, 0..100 */
	int from;                   /* YYYYMMDD it applies from, 0 = always */
	const char *text;           /* the rule as written */
};
struct kb_policy {
	const char *id, *title, *date;
	const char **sources; size_t nsources;
	const int *vendors; size_t nvendors;            /* high-risk vendors */
	const char **countries; size_t ncountries;      /* high-risk countries */
	const char ***conds; size_t nconds;             /* NULL-terminated "attr=value" lists */
	const struct kb_prule *rules; size_t nrules;
};
size_t kb_policy_count(void);
const struct kb_policy *kb_policy_at(size_t i);
const struct kb_policy *kb_policy_find(const char *id);
/* Is vendor v high-risk under p on date? 1/0; *why explains (static). */
int kb_policy_high_risk(const struct kb_policy *p, int v, int date, char *why, size_t whylen);
#endif
