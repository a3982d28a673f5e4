/* The site map: which subnets make up which site, in which network domain,
 * run by which operator. It comes from a scan configuration
 * ([site NAME] stanzas, see README.md), is stored with the scan (JSON) and
 * read by attribution, which gives every device the site, domain and
 * operator of the longest prefix holding its address.
 *
 * Cost: one entry per subnet (about 40 bytes); a lookup is one binary
 * search per distinct prefix length in the map.
 */
#ifndef OS_SITEMAP_H
#define OS_SITEMAP_H
#include <stddef.h>
#include <stdint.h>

struct site {
	char *id, *name;                /* id from the stanza; name to show (defaults to id) */
	char *domain;                   /* ran core transport access enterprise it iot mgmt, or NULL */
	char *operator_name;            /* or NULL */
};

struct site_net {
	int family;                     /* AF_INET / AF_INET6 */
	uint8_t addr[16];               /* network order, host bits cleared */
	int bits;
	size_t site;
};

struct sitemap {
	struct site *sites;
	size_t nsites;
	struct site_net *nets;          /* sorted for lookup by sitemap_finish() */
	size_t nnets;
	int sorted;
};

/* The network domains reports group by, and whether d is one of them. */
extern const char *const os_domains[];
extern const size_t os_ndomains;
int domain_valid(const char *d);

void sitemap_init(struct sitemap *m);
void sitemap_free(struct sitemap *m);
/* Returns the new site's index. */
size_t sitemap_add_site(struct sitemap *m, const char *id, const char *name, const char *domain,
                        const char *operator_name);
/* "10.1.0.0/16", "2001:db8::/32", or one address. -1 with err if malformed
 * or if the same subnet already belongs to another site. */
int sitemap_add_subnet(struct sitemap *m, size_t site, const char *cidr, char *err, size_t errlen);
/* The site whose subnet holds addr (text) with the longest prefix; NULL if none. */
const struct site *sitemap_lookup(struct sitemap *m, const char *addr);
/* JSON: [{"id","name","domain","operator","subnets":[...]}]; caller frees. */
char *sitemap_to_json(const struct sitemap *m);
int sitemap_from_json(struct sitemap *m, const char *json, char *err, size_t errlen);
#endif
