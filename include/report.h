/* Reports: one model built from a scan's verdicts, four renderers.
 *
 * report_build() reads the store with aggregate queries (GROUP BY in
 * SQLite) and computes every figure a renderer shows: summary and
 * confidence bands, shares per vendor, group, jurisdiction, domain,
 * operator and site, concentration (largest group's share and the
 * Herfindahl-Hirschman index per domain), high-risk devices in core
 * functions, the policy evaluated rule by rule with its deadlines, the
 * firmware inventory and the trend over the stored complete scans. Its
 * memory grows with the number of distinct (domain, site, operator,
 * vendor, function) combinations, not with the number of devices.
 *
 * Lists of devices (every device, the devices behind a policy rule, the
 * components of another maker, the unattributed with what was seen of
 * them) are streamed from the store while rendering through the
 * report_each_*() functions, so a report of a million devices never holds
 * them all. The store therefore stays open until report_free().
 *
 * Renderers only format, and escape each device string for their own
 * format (text: control bytes; JSON: string escapes; CSV: quoting and
 * formula neutralising; HTML: entities). The JSON renderer writes the
 * complete model; its schema is docs/report-schema.md.
 */
#ifndef OS_REPORT_H
#define OS_REPORT_H
#include <stdint.h>
#include <stdio.h>

#include "kb.h"
#include "store.h"

/* Confidence bands of attributed devices (0 = unattributed). */
enum { BAND_NONE = 0, BAND_LOW, BAND_MEDIUM, BAND_HIGH, BAND__COUNT };
const char *report_band_name(int band);         /* "none" "low" "medium" "high" */
#define REPORT_BAND_MEDIUM 50                   /* confidence >= this: medium */
#define REPORT_BAND_HIGH 80                     /* confidence >= this: high */

struct report_count {
	char *key, *label;              /* id and what to show ("unknown" / "(none)" when absent) */
	int64_t n, attributed, high_risk;
	int flagged;                    /* vendor/group rows: high-risk under the policy */
};

/* Devices of one domain within a slice, and the concentration of vendor
 * groups among its attributed devices. */
struct report_domain {
	char *domain;                   /* a domain name, or "unassigned" */
	int64_t n, attributed, high_risk;
	struct report_count *groups;    /* vendor groups, largest first */
	size_t ngroups;
	double top_share;               /* largest group's share of attributed devices, 0..1 */
	double hhi;                     /* sum of squared percentage shares, 0..10000 */
};

/* The whole scan, one operator, or one site. */
struct report_slice {
	char *key;                      /* operator or site id; NULL for the whole scan / none named */
	char *label;                    /* what to show */
	char *operator_name;            /* sites: their operator */
	int64_t n, attributed, high_risk;
	struct report_domain *domains;
	size_t ndomains;
};

/* One operator's measure of a cap or concentration rule. */
struct report_rule_part {
	char *operator_name;            /* NULL: devices whose site names no operator */
	int64_t n;                      /* cap: devices in the domain; concentration: attributed ones */
	int64_t count;                  /* cap: high-risk among them; concentration: the top group's */
	double share;                   /* count / n */
	char *group, *group_name;       /* concentration: the largest group */
	int broken;
	int64_t to_remove;
};

struct report_rule {
	const struct kb_prule *rule;
	int in_force;                   /* from <= the report's date */
	int broken;                     /* broken now, or would be on its date */
	int64_t devices;                /* devices behind the finding */
	int64_t to_remove;              /* to meet the rule (caps: replaced by other makers) */
	struct report_rule_part *parts;
	size_t nparts;
};

struct report_deadline {
	int date;                       /* YYYYMMDD */
	int64_t to_remove;
	size_t nrules;
};

struct report_firmware {
	char *vendor, *vendor_name, *model, *firmware;
	int64_t n;
	int high_risk;
};

struct report_trend {
	int64_t scan_id, started_us;
	int date;
	int64_t n, high_risk;
	struct report_count *domains;   /* key = domain; n, high_risk */
	size_t ndomains;
};

/* The radio network (scanner/report/report_ran.c): base stations (devices
 * whose function is bts, nodeb, enb or gnb, from OSS exports or the
 * control plane) and their cells, per vendor, overall and per technology
 * and region. A site is the OSS's location, else the site map's site,
 * else the base station; a site with two makers' stations counts for
 * both. */
struct report_ran_vendor {
	char *vendor;                   /* vendor id, NULL unattributed */
	char *vendor_name;              /* what to show ("unknown") */
	int high_risk;                  /* under the report's policy */
	int64_t stations, sites, cells;
};
struct report_ran_group {
	char *key;                      /* "2g".."5g", a region, or NULL (all; no region) */
	int64_t stations, sites, cells;
	struct report_ran_vendor *vendors;      /* most cells first, then most stations */
	size_t nvendors;
};
#define RAN_NTECH 4
struct report_ran {
	struct report_ran_group all;
	struct report_ran_group techs[RAN_NTECH];       /* 2g 3g 4g 5g (stations 0 when none) */
	struct report_ran_group *regions;       /* most stations first */
	size_t nregions;
	int64_t from_oss;               /* base stations an OSS export describes */
	int64_t on_wire;                /* ... of which also seen on the wire (addresses known) */
	int64_t controller_cells;       /* cells configured on RNCs/BSCs (in the cell counts, no station) */
};

struct report {
	struct store *st;
	struct scan_info scan;
	const struct kb_policy *policy;
	int date;                       /* ownership/policy date (YYYYMMDD): --as-of, else the one the
	                                 * stored verdicts were made with, else the scan's; every figure
	                                 * and device row of the report uses it */
	const char *const *operators;   /* --operator filter, or none */
	size_t noperators;
	const char *const *sites;       /* --site filter, or none */
	size_t nsites;
	const char *domain;             /* --domain filter, or NULL */
	int64_t targets, answered, unreachable, refused, target_errors;
	int64_t band[BAND__COUNT];
	struct report_slice all;
	struct report_count *by_vendor, *by_group, *by_country;
	size_t nvendor, ngroup, ncountry;
	struct report_slice *by_operator, *by_site;
	size_t noperator, nsite;
	/* high-risk devices in core functions: per function (key) */
	struct report_count *core;
	size_t ncore;
	int64_t core_n, core_high_risk;
	struct report_rule *rules;
	size_t nrules;
	struct report_deadline *deadlines;
	size_t ndeadlines;
	struct report_firmware *firmware;
	size_t nfirmware;
	struct report_trend *trend;
	size_t ntrend;
	int64_t component_devices, components, components_high_risk;
	const char **hr_vendors;        /* vendor ids in this scan that are high-risk */
	size_t nhr_vendors;
	struct report_ran ran;
	void *priv;
};

struct report_opts {
	const char *policy;             /* NULL: "default" */
	int as_of;                      /* 0: the scan's own date */
	const char *const *operators;   /* only these operators' devices */
	size_t noperators;
	const char *const *sites;       /* only these sites' devices ("" = no site) */
	size_t nsites;
	const char *domain;             /* only this domain's devices ("" = none), or NULL */
};

int report_build(struct store *st, int64_t scan_id, const struct report_opts *o, struct report *out,
                 char *err, size_t errlen);
/* Frees the model; does not close the store. */
void report_free(struct report *r);

/* A polled target that answered but gave no inventory (state "refused":
 * it accepted none of the credentials; detail: the reason per credential,
 * "wrong authentication key", "unknown user" ...) or failed ("error"). */
struct report_target {
	const char *address, *state, *detail;
};
int report_each_problem_target(const struct report *r, int (*cb)(void *ctx, const struct report_target *t),
                               void *ctx);

/* A device as renderers see it: the stored row plus what the policy says.
 * Pointers live until the callback returns. */
struct report_device {
	const struct device_row *row;
	int high_risk;
	const char *high_risk_why;      /* or NULL */
	const char *group, *group_name; /* group (parent in force on the report's date) id and name, or NULL */
	int band;
	const struct report_target *poll; /* its address refused our credentials or failed, or NULL */
	const char *findings[16];       /* rules of the policy it breaks (rule text) */
	size_t nfindings;
	const char *brand_name;         /* the brand on the box when another maker made it, or NULL */
	/* Makers a policy calls high-risk that only weak or outvoted evidence
	 * named: "disputed: possibly X". Never counted as high-risk. */
	const char *possibly[8];        /* their display names */
	int possibly_here[8];           /* 1: high-risk under this report's policy */
	size_t npossibly;
};
int report_each_device(const struct report *r, int (*cb)(void *ctx, const struct report_device *d), void *ctx);
/* The devices behind rule i (those that break it, or would on its date). */
int report_each_rule_device(const struct report *r, size_t i,
                            int (*cb)(void *ctx, const struct report_device *d), void *ctx);
/* Devices whose evidence names more than one maker: which won and which
 * makers are "possibly" behind them. */
int report_each_disputed(const struct report *r, int (*cb)(void *ctx, const struct report_device *d), void *ctx);
/* High-risk devices in core functions. */
int report_each_core_device(const struct report *r, int (*cb)(void *ctx, const struct report_device *d),
                            void *ctx);

/* A component of another maker inside a device. */
struct report_component {
	const struct report_device *device;
	const char *source;             /* "ENTITY-MIB", "LLDP-MED" or "OSS inventory" */
	long index, cls;                /* entPhysicalIndex and class (0 for LLDP-MED) */
	const char *name, *descr, *mfg, *model, *serial;
	const char *vendor, *vendor_name, *group, *group_name, *jurisdiction;
	const char *hardware_rev, *firmware_rev, *software_rev;    /* ENTITY-MIB, or NULL */
	int high_risk;
	int chassis;                    /* the device's own chassis entry */
	int foreign;                    /* of another maker group than the device */
};
/* Components of another maker, device by device. */
int report_each_component(const struct report *r, int (*cb)(void *ctx, const struct report_component *c),
                          void *ctx);
/* The components of one device that report_each_device() handed out
 * (from its verdict parts): all = every one, the chassis flagged (its
 * serial is the device's), else those of another maker only. */
int report_device_components(const struct report *r, const struct report_device *d, int all,
                             int (*cb)(void *ctx, const struct report_component *c), void *ctx);

/* An unattributed device with what was seen of it (evidence rows of its
 * subjects, values shortened for display). */
struct report_seen {
	const char *key, *value, *source, *subject;
};
struct report_unattributed {
	const struct report_device *device;
	const struct report_seen *seen;
	size_t nseen;
};
int report_each_unattributed(const struct report *r,
                             int (*cb)(void *ctx, const struct report_unattributed *u), void *ctx);

/* How a crawl met the device, if it did: the device that stated its
 * address, the depth, and why it was not polled (NULL: it was). A device
 * without it was a target, or heard passively. */
void report_found(const struct report_device *d,
                  void (*cb)(void *ctx, const char *via, long depth, const char *not_polled), void *ctx);

/* Claims of a device's verdict, for renderers. */
struct report_claim {
	const char *key, *value, *source, *basis, *vendor;
	const char *cpe;                /* the CPE the deciding rule names, or NULL */
	long weight;
	int64_t evidence_id;            /* the evidence row behind it */
};
int report_claims(const struct report_device *d, void (*cb)(void *ctx, const struct report_claim *c),
                  void *ctx);

/* How a crawl met the device, as one line of text ("neighbour of ADDR
 * (depth N)", then ", seen, not polled: WHY" when it was not polled), for
 * renderers that show it as text; NULL when it was not crawled to. free() it. */
char *report_found_text(const struct report_device *d);

/* Helpers shared by the renderers. */
double report_share(int64_t a, int64_t b);      /* a / b, 0 when b is 0 */
void report_date_text(int date, char out[11]);  /* YYYY-MM-DD */
const char *report_kb_version(const struct report *r);
const char *report_rule_type(const struct kb_prule *p);        /* "exclude" "cap" "concentration" */
/* "met", "broken" (in force), or "due" (broken, but not in force before its date) */
const char *report_rule_status(const struct report_rule *rr);

int report_render_text(const struct report *r, FILE *out);
int report_render_json(const struct report *r, FILE *out);
int report_render_csv(const struct report *r, FILE *out);
int report_render_html(const struct report *r, FILE *out);
/* CycloneDX 1.6 JSON: one hardware BOM for the scan. */
int report_render_cyclonedx(const struct report *r, FILE *out);
/* NetBox bulk-import CSV files written into dir (created if missing):
 * manufacturers.csv, device-roles.csv, sites.csv, device-types.csv,
 * devices.csv, inventory-items.csv, each whole or not at all (outfile.h;
 * db: the database, never written over). -1 with err on failure. */
int report_render_netbox(const struct report *r, const char *dir, const char *db, char *err, size_t errlen);
#endif
