/* The evidence key catalogue: how attribution reads each key collectors
 * emit. A collector adding a new identity-bearing key adds a row here
 * (and documents the key in scanner/attrib/README.md); keys not listed are kept
 * as evidence and shown in reports but do not decide anything.
 *
 * A key ending in '.' matches that prefix (per-row keys such as
 * "ifPhysAddress.3" or "entPhysicalMfgName.1"). */
#include <string.h>

#include "attrib.h"

static const struct key_rule keys[] = {
	/* SNMP system group and SNMPv3 discovery */
	{"sysDescr", KEY_RULE, KB_SYSDESCR, 0, TIER_OWN},
	{"sysObjectID", KEY_OID, KB_SYSOBJECTID, 0, TIER_ENTERPRISE},
	{"snmp.engine-id", KEY_ENGINE, 0, 70, TIER_ENTERPRISE},
	/* interfaces and neighbours: MACs of the subject itself */
	{"ifPhysAddress.", KEY_MAC, 0, 0, TIER_OUI},
	{"dot1dBaseBridgeAddress", KEY_MAC, 0, 0, TIER_OUI},
	{"fdb.self", KEY_MAC, 0, 0, TIER_OUI},
	{"mac", KEY_MAC, 0, 0, TIER_OUI},
	{"ip", KEY_LINK_IP, 0, 0, 0},
	/* ENTITY-MIB and LLDP-MED makers */
	{"entPhysicalMfgName.", KEY_MFG, 0, 85, TIER_OWN},
	{"lldp.med.manufacturer", KEY_MFG, 0, 70, TIER_ANNOUNCED},
	/* banners and announcements seen on the wire or in neighbour tables */
	{"lldp.sysdesc", KEY_RULE, KB_LLDP_SYSDESC, 0, TIER_ANNOUNCED},
	{"cdp.platform", KEY_RULE, KB_CDP_PLATFORM, 0, TIER_ANNOUNCED},
	{"cdp.version", KEY_RULE, KB_CDP_VERSION, 0, TIER_ANNOUNCED},
	{"ssh.banner", KEY_RULE, KB_SSH_BANNER, 0, TIER_ANNOUNCED},
	{"telnet.banner", KEY_RULE, KB_TELNET_BANNER, 0, TIER_ANNOUNCED},
	{"http.server", KEY_RULE, KB_HTTP_SERVER, 0, TIER_ANNOUNCED},
	{"tls.subject", KEY_RULE, KB_TLS_SUBJECT, 0, TIER_ANNOUNCED},
	{"dhcp.vendor-class", KEY_RULE, KB_DHCP_VENDOR_CLASS, 0, TIER_ANNOUNCED},
	{"dhcp.enterprise", KEY_PEN, 0, 50, TIER_ENTERPRISE},
	{"enterprise", KEY_PEN, 0, 80, TIER_ENTERPRISE},
	{"diameter.product-name", KEY_RULE, KB_DIAMETER_PRODUCT, 0, TIER_ANNOUNCED},
	{"diameter.vendor-id", KEY_PEN, 0, 45, TIER_ENTERPRISE},
	{"s1ap.enb-name", KEY_RULE, KB_RAN_NODE_NAME, 0, TIER_NEIGHBOUR},
	{"s1ap.mme-name", KEY_RULE, KB_RAN_NODE_NAME, 0, TIER_NEIGHBOUR},
	{"ngap.ran-node-name", KEY_RULE, KB_RAN_NODE_NAME, 0, TIER_NEIGHBOUR},
	{"ngap.amf-name", KEY_RULE, KB_RAN_NODE_NAME, 0, TIER_NEIGHBOUR},
	/* node names the operator chose, where vendors' model names often stay
	 * (rules ran-node-name, low weights): Diameter identities and PFCP FQDNs.
	 * ngap.backup-amf-name names another AMF and is not read. */
	{"diameter.origin-host", KEY_RULE, KB_RAN_NODE_NAME, 0, TIER_NEIGHBOUR},
	{"pfcp.node-id", KEY_RULE, KB_RAN_NODE_NAME, 0, TIER_NEIGHBOUR},
	/* roles the mobile control plane states by message direction (an S1
	 * Setup Request comes from an eNB): firm, so they outweigh naming
	 * conventions; Diameter's, inferred from the applications offered, less */
	{"s1ap.role", KEY_ROLE, 0, 80, 0},
	{"ngap.role", KEY_ROLE, 0, 80, 0},
	{"x2ap.role", KEY_ROLE, 0, 80, 0},
	{"xnap.role", KEY_ROLE, 0, 80, 0},
	{"gtp.role", KEY_ROLE, 0, 80, 0},
	{"pfcp.role", KEY_ROLE, 0, 80, 0},
	{"diameter.role", KEY_ROLE, 0, 60, 0},
	/* OSS exports (collectors/oss): the vendorName a node's OSS states is
	 * a claim (an OSS can manage another maker's nodes) of the tier of
	 * what a device announces; software, model and vendor data formats,
	 * element types through the oss rules; the node's other names link
	 * (its other Global IDs, its DN). Functions, cells, sites and
	 * inventory units are read by attrib.c's oss_row. */
	{"oss.vendor-name", KEY_MFG, 0, 75, TIER_ANNOUNCED},
	{"oss.sw-version", KEY_RULE, KB_OSS_VERSION, 0, TIER_ANNOUNCED},
	{"oss.model-version", KEY_RULE, KB_OSS_VERSION, 0, TIER_ANNOUNCED},
	{"oss.object-version", KEY_RULE, KB_OSS_VERSION, 0, TIER_ANNOUNCED},
	{"oss.vs-data", KEY_RULE, KB_OSS_VERSION, 0, TIER_ANNOUNCED},
	{"oss.element-type", KEY_RULE, KB_OSS_PRODUCT, 0, TIER_ANNOUNCED},
	{"oss.node-id", KEY_LINK_NAME, 0, 0, 0},
};

/* Every evidence row asks, several times over: an exact-or-prefix hash
 * (built on first use) instead of a walk over the table. A key ending in
 * ".N" is looked up whole, then by its prefix up to the last '.'. */
#define KEY_SLOTS 256
static const struct key_rule *slots[KEY_SLOTS];
static int built;

static unsigned key_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h & (KEY_SLOTS - 1);
}

static const struct key_rule *find(const char *s, size_t n)
{
	for (unsigned i = key_hash(s, n);; i = (i + 1) & (KEY_SLOTS - 1)) {
		const struct key_rule *k = slots[i];
		if (!k)
			return NULL;
		if (strlen(k->key) == n && !memcmp(k->key, s, n))
			return k;
	}
}

const struct key_rule *attrib_key_rule(const char *key)
{
	if (!built) {
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			unsigned h = key_hash(keys[i].key, strlen(keys[i].key));
			while (slots[h])
				h = (h + 1) & (KEY_SLOTS - 1);
			slots[h] = &keys[i];
		}
		built = 1;
	}
	size_t n = strlen(key);
	const struct key_rule *k = find(key, n);
	if (k && k->key[n - 1] != '.')
		return k;
	const char *dot = memrchr(key, '.', n);
	return dot ? find(key, (size_t)(dot - key) + 1) : NULL;
}
