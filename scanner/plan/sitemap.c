/* The site map (include/sitemap.h): subnets to site, domain and operator,
 * longest prefix first. Built from a scan configuration, stored with the
 * scan as JSON, read back by attribution. */
#include <arpa/inet.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sitemap.h"
#include "util.h"

const char *const os_domains[] = {"ran", "core", "transport", "access", "enterprise", "it", "iot", "mgmt"};
const size_t os_ndomains = OS_ARRAY_LEN(os_domains);

int domain_valid(const char *d)
{
	for (size_t i = 0; d && i < os_ndomains; i++)
		if (!strcmp(d, os_domains[i]))
			return 1;
	return 0;
}

void sitemap_init(struct sitemap *m)
{
	memset(m, 0, sizeof *m);
}

void sitemap_free(struct sitemap *m)
{
	for (size_t i = 0; i < m->nsites; i++) {
		free(m->sites[i].id);
		free(m->sites[i].name);
		free(m->sites[i].domain);
		free(m->sites[i].operator_name);
	}
	free(m->sites);
	free(m->nets);
	sitemap_init(m);
}

static char *dup_opt(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

size_t sitemap_add_site(struct sitemap *m, const char *id, const char *name, const char *domain,
                        const char *operator_name)
{
	m->sites = xrealloc(m->sites, (m->nsites + 1) * sizeof *m->sites);
	struct site *s = &m->sites[m->nsites];
	s->id = xstrdup(id);
	s->name = xstrdup(name && *name ? name : id);
	s->domain = dup_opt(domain);
	s->operator_name = dup_opt(operator_name);
	return m->nsites++;
}

static int parse_addr(const char *text, int *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, text, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, addr) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

static void mask(uint8_t a[16], int bits)
{
	for (int i = 0; i < 16; i++) {
		int keep = bits - i * 8;
		a[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
	}
}

/* Sort order: family, longest prefix first, then address: a lookup walks
 * the prefix lengths from the longest and searches each run. */
static int net_cmp(const void *a, const void *b)
{
	const struct site_net *x = a, *y = b;
	if (x->family != y->family)
		return x->family - y->family;
	if (x->bits != y->bits)
		return y->bits - x->bits;
	return memcmp(x->addr, y->addr, 16);
}

int sitemap_add_subnet(struct sitemap *m, size_t site, const char *cidr, char *err, size_t errlen)
{
	char text[128];
	struct site_net n = {0};
	snprintf(text, sizeof text, "%s", cidr);
	char *slash = strchr(text, '/');
	if (slash)
		*slash = 0;
	if (parse_addr(os_trim(text), &n.family, n.addr) < 0) {
		os_seterr(err, errlen, "subnet '%s': not an address or CIDR block", cidr);
		return -1;
	}
	int max = n.family == AF_INET ? 32 : 128;
	n.bits = max;
	if (slash) {
		char *end;
		long b = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || b < 0 || b > max) {
			os_seterr(err, errlen, "subnet '%s': prefix length must be 0..%d", cidr, max);
			return -1;
		}
		n.bits = (int)b;
	}
	mask(n.addr, n.bits);
	n.site = site;
	for (size_t i = 0; i < m->nnets; i++)
		if (!net_cmp(&m->nets[i], &n) && m->nets[i].site != site) {
			os_seterr(err, errlen, "subnet '%s' is in both site '%s' and site '%s'", cidr,
			          m->sites[m->nets[i].site].id, m->sites[site].id);
			return -1;
		}
	m->nets = xrealloc(m->nets, (m->nnets + 1) * sizeof *m->nets);
	m->nets[m->nnets++] = n;
	m->sorted = 0;
	return 0;
}

const struct site *sitemap_lookup(struct sitemap *m, const char *addr)
{
	struct site_net key = {0};
	if (!m || !m->nnets || !addr || parse_addr(addr, &key.family, key.addr) < 0)
		return NULL;
	if (!m->sorted) {
		qsort(m->nets, m->nnets, sizeof *m->nets, net_cmp);
		m->sorted = 1;
	}
	uint8_t a[16];
	memcpy(a, key.addr, 16);
	/* one binary search per run of equal (family, prefix length) */
	for (size_t i = 0; i < m->nnets;) {
		size_t j = i;
		while (j < m->nnets && m->nets[j].family == m->nets[i].family && m->nets[j].bits == m->nets[i].bits)
			j++;
		if (m->nets[i].family == key.family) {
			key.bits = m->nets[i].bits;
			memcpy(key.addr, a, 16);
			mask(key.addr, key.bits);
			const struct site_net *hit = bsearch(&key, m->nets + i, j - i, sizeof key, net_cmp);
			if (hit)
				return &m->sites[hit->site];
		}
		i = j;
	}
	return NULL;
}

char *sitemap_to_json(const struct sitemap *m)
{
	json_t *a = json_array();
	for (size_t i = 0; i < m->nsites; i++) {
		const struct site *s = &m->sites[i];
		json_t *o = json_object(), *nets = json_array();
		json_object_set_new(o, "id", json_string(s->id));
		json_object_set_new(o, "name", json_string(s->name));
		json_object_set_new(o, "domain", s->domain ? json_string(s->domain) : json_null());
		json_object_set_new(o, "operator", s->operator_name ? json_string(s->operator_name) : json_null());
		for (size_t k = 0; k < m->nnets; k++) {
			if (m->nets[k].site != i)
				continue;
			char t[INET6_ADDRSTRLEN], cidr[INET6_ADDRSTRLEN + 8];
			inet_ntop(m->nets[k].family, m->nets[k].addr, t, sizeof t);
			snprintf(cidr, sizeof cidr, "%s/%d", t, m->nets[k].bits);
			json_array_append_new(nets, json_string(cidr));
		}
		json_object_set_new(o, "subnets", nets);
		json_array_append_new(a, o);
	}
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

int sitemap_from_json(struct sitemap *m, const char *json, char *err, size_t errlen)
{
	json_error_t je;
	json_t *a = json_loads(json, 0, &je);
	size_t i, k;
	json_t *o, *n;
	if (!json_is_array(a)) {
		os_seterr(err, errlen, "stored site map is not a JSON array: %s", je.text);
		json_decref(a);
		return -1;
	}
	json_array_foreach(a, i, o) {
		const char *id = json_string_value(json_object_get(o, "id"));
		if (!id) {
			os_seterr(err, errlen, "stored site map: site %zu has no id", i);
			json_decref(a);
			return -1;
		}
		size_t si = sitemap_add_site(m, id, json_string_value(json_object_get(o, "name")),
		                             json_string_value(json_object_get(o, "domain")),
		                             json_string_value(json_object_get(o, "operator")));
		json_array_foreach(json_object_get(o, "subnets"), k, n) {
			const char *c = json_string_value(n);
			if (!c || sitemap_add_subnet(m, si, c, err, errlen) < 0) {
				json_decref(a);
				return -1;
			}
		}
	}
	json_decref(a);
	return 0;
}
