/* Attribution: from a device's evidence and the knowledge base to a
 * verdict (vendor, group, jurisdiction, product, model, firmware, role,
 * confidence) with the claims that led there.
 *
 * A pure function of evidence + knowledge base + date: it can be re-run
 * when the knowledge base changes, without re-scanning. Disagreeing
 * evidence is kept in the verdict as claims for other vendors and lowers
 * the confidence; it is never dropped silently.
 */
#ifndef OS_ATTRIB_H
#define OS_ATTRIB_H
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"
#include "kb.h"
#include "store.h"

/* One piece of evidence's say about the device. Strings are owned by the
 * claim (never NULL; "" when unknown). */
struct claim {
	int vendor;                     /* -1: says nothing of the maker */
	char *name_seen;                /* maker as this evidence spelled it */
	char *product, *model, *firmware;
	const char *role, *function;    /* static strings, "" when none */
	char *cpe;                      /* CPE 2.3 name the rule gives, "" when none */
	int weight;                     /* 0..100 */
	char *key;                      /* evidence key, e.g. "sysDescr" */
	char *source;                   /* collector and where: "snmp 10.0.0.1:161" */
	char *basis;                    /* rule id or registry entry that decided */
	char *value;                    /* the evidence value, shortened for display */
	int64_t evidence_id;
	int nic_only;                   /* a chip maker's MAC: the NIC, not the device */
	/* How directly the evidence speaks for the device (include/attrib.h
	 * enum claim_tier), whether a specific rule or a curated registry
	 * entry decided (1) or a name found in text, a generic rule or a bare
	 * registrant (0), and whether the claim alone may name a maker a
	 * policy calls high-risk (a specific rule, an unmistakable name). */
	int tier, specific, firm;
	int brand;                      /* the brand this evidence names beside the maker, or -1 */
	int line;                       /* product line that named the maker, or -1 */
	int generic;                    /* its product/firmware are software's, not the device's */
};

/* Evidence kinds by how directly they speak for the device: its own
 * chassis data and description first, then what it announces, then its
 * enterprise number, then its interfaces' OUIs, then names others chose
 * for it. A stronger tier outranks any weight of a weaker one. */
enum claim_tier {
	TIER_OWN = 1,           /* sysDescr, ENTITY-MIB chassis */
	TIER_ANNOUNCED,         /* LLDP/CDP it sends, its banners, LLDP-MED, DHCP vendor class */
	TIER_ENTERPRISE,        /* sysObjectID, engine id, enterprise numbers */
	TIER_OUI,               /* MACs of its interfaces */
	TIER_NEIGHBOUR,         /* names operators or neighbours gave it */
};

/* A maker the verdict did not name though some evidence did. */
struct dispute {
	int vendor;
	int high_risk_capable;          /* some policy would call it high-risk */
	int tier;                       /* its strongest claim's tier */
	char *basis;                    /* that claim's basis */
};

struct verdict {
	int vendor, group;              /* -1 unknown */
	const char *jurisdiction;       /* vendor's home, "" unknown */
	char name_seen[KB_FIELD];
	char product[KB_FIELD], model[KB_FIELD], firmware[KB_FIELD];
	const char *role, *function;
	int confidence;                 /* 0..100 */
	int disputed;                   /* strong evidence for another vendor */
	int brand;                      /* brand on the box when another maker made it, -1 none */
	int registry_only;              /* the maker is a registrant no vendor stanza describes */
	const char *decided;            /* which evidence won and why (static or arena text) */
	struct dispute *disputes;       /* makers named by evidence that lost */
	size_t ndisputes;
	struct claim *claims;
	size_t nclaims, cap;
	void *priv;                     /* attribution's working state */
};

void verdict_init(struct verdict *v);
void verdict_free(struct verdict *v);
/* Add what one evidence row says (a device's rows are fed in turn). */
void attrib_add_evidence(struct verdict *v, const struct evidence *ev, int64_t row_id);
/* Decide once every row is in; date (YYYYMMDD) picks ownership in force.
 * A device's verdict names a maker some policy calls high-risk only on
 * firm, uncontested evidence (else it is a dispute: "possibly X"). */
void attrib_decide(struct verdict *v, int date);
/* The same for one fact on its own (`identify`): who it names, without
 * the device rule above. */
void attrib_decide_fact(struct verdict *v, int date);
/* The verdict's claims and components as the store keeps them (typed
 * rows), its disputed flag, identifiers (JSON), what decided it and its
 * RAN columns into d; the two arrays, d->identifiers, d->ran_techs and
 * d->ran_exports are the caller's to free, the other strings stay the
 * verdict's. */
void verdict_rows(const struct verdict *v, struct device_row *d, struct claim_row **claims,
                  struct component_row **comps);

/* Attribute every device of a scan and store the verdicts (replacing any
 * earlier ones). as_of = 0: ownership on the scan's own date. */
int attribute_scan(struct store *st, int64_t scan_id, int as_of, size_t *ndevices, char *err,
                   size_t errlen);

/* The end every scan shares (scanner/attrib/scan_end.c): commit what the
 * collectors gave, record the end of this process's part and, when that
 * was the scan's last, attribute and record the scan's final status.
 * *status comes in as what the collectors reached (with note saying why
 * it is not complete, or NULL) and goes out as recorded: a storage or
 * attribution failure makes it failed; SCAN_RUNNING when this part
 * completed and the scan waits for others. Returns 0, or -1 if even the
 * status could not be recorded (the part then stays 'running' until it
 * is found interrupted: it never looks complete). Errors are printed. */
int scan_end(struct store *st, int64_t scan, int as_of, enum scan_status *status, const char *note,
             size_t *ndev);
/* The same for a collector that returned collected (0 done, > 0 stopped by
 * a signal, < 0 failed with err). */
int scan_end_collected(struct store *st, int64_t scan, int collected, char *err, int as_of, size_t *ndev,
                       enum scan_status *status);

/* How attribution reads an evidence key: see scanner/attrib/attrib_keys.c. */
enum key_use {
	KEY_IGNORE = 0,
	KEY_RULE,           /* classify the value with fingerprint rules */
	KEY_OID,            /* sysObjectID: rules + enterprise number */
	KEY_MAC,            /* a MAC of this subject: OUI claim and a link */
	KEY_LINK_IP,        /* an IP address of this subject: a link */
	KEY_MFG,            /* a maker's name (ENTITY-MIB, LLDP-MED) */
	KEY_ENGINE,         /* SNMPv3 engine id: enterprise number, maybe a MAC */
	KEY_PEN,            /* an enterprise number as decimal text */
	KEY_ROLE,           /* "role[/function]" a control-plane protocol states */
	KEY_LINK_NAME,      /* another name (subject text of kind name) of this node: a link */
};
struct key_rule {
	const char *key;    /* exact, or a prefix when it ends with '.' or '*' */
	enum key_use use;
	int kind;           /* KB_* for KEY_RULE */
	int weight;         /* 0: the default of the kind / use */
	int tier;           /* enum claim_tier; 0: from the use (MACs TIER_OUI ...) */
};
const struct key_rule *attrib_key_rule(const char *key);
#endif
