/* The kernel's neighbour tables through libnl-route: the ARP (IPv4) and
 * NDP (IPv6) neighbour caches and the local links, as MAC <-> IP
 * evidence. Nothing is sent: the kernel already knows these bindings
 * from traffic it has seen. With a watch duration, a cache manager
 * reports neighbours as they appear or change.
 *
 * Evidence: for each usable neighbour (a link-layer address and a state
 * other than incomplete/failed), subject its MAC, key "ip" (a link) and
 * "neigh.iface"; for each local Ethernet link, its MAC with
 * "neigh.local-link" and its addresses. Source "neigh:IFACE" (or
 * "neigh:NETNS/IFACE"). Repeats are dropped by a set of 64-bit hashes
 * (8 bytes a fact). --netns enters /run/netns/NAME (CAP_SYS_ADMIN) only
 * to make the netlink sockets there (neigh_open), then returns: reading
 * needs no privilege, and the caller drops its privileges in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/neighbour.h>
#include <net/if_arp.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture.h"
#include "util.h"

struct nctx {
	struct ev_sink *sink;
	struct nl_cache *links;
	const char *netns;
	struct neigh_stats *st;
	uint64_t *seen;
	size_t nseen, cap;
	int failed;
	int watching;                   /* the first read is done: what comes now is news */
};

static int seen_before(struct nctx *n, const char *a, const char *b, const char *c)
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[3] = {a, b, c};
	for (int i = 0; i < 3; i++)
		for (const char *p = parts[i]; ; p++) {
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			if (!*p)
				break;
		}
	h |= 1;
	if ((n->nseen + 1) * 2 > n->cap) {
		size_t nc = n->cap ? n->cap * 2 : 256;
		uint64_t *ns = xcalloc(nc, sizeof *ns);
		for (size_t i = 0; i < n->cap; i++)
			if (n->seen[i]) {
				size_t j = n->seen[i] & (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = n->seen[i];
			}
		free(n->seen);
		n->seen = ns;
		n->cap = nc;
	}
	size_t j = h & (n->cap - 1);
	while (n->seen[j]) {
		if (n->seen[j] == h)
			return 1;
		j = (j + 1) & (n->cap - 1);
	}
	n->seen[j] = h;
	n->nseen++;
	return 0;
}

static void emit(struct nctx *n, const char *mac, const char *key, const char *value, const char *iface)
{
	if (seen_before(n, mac, key, value))
		return;
	char src[300];
	if (n->netns)
		snprintf(src, sizeof src, "neigh:%s/%s", n->netns, iface);
	else
		snprintf(src, sizeof src, "neigh:%s", iface);
	if (ev_emit_str(n->sink, "neigh", SUBJ_MAC, mac, key, value, os_now_us(), src) < 0)
		n->failed = 1;
	else
		n->st->facts++;
}

/* Canonical text of a netlink address: MAC (6 bytes) or IP. */
static int mac_of(struct nl_addr *a, char out[18])
{
	if (!a || nl_addr_get_len(a) != 6)
		return -1;
	const uint8_t *m = nl_addr_get_binary_addr(a);
	static const uint8_t zero[6];
	if ((m[0] & 1) || !memcmp(m, zero, 6))
		return -1;
	ev_mac_text(m, out);
	return 0;
}

static int ip_of(struct nl_addr *a, char *out, size_t outlen)
{
	if (!a)
		return -1;
	int fam = nl_addr_get_family(a);
	if ((fam != AF_INET || nl_addr_get_len(a) != 4) && (fam != AF_INET6 || nl_addr_get_len(a) != 16))
		return -1;
	return ev_ip_text(fam, nl_addr_get_binary_addr(a), out, outlen);
}

static void neighbour(struct nctx *n, struct rtnl_neigh *ne)
{
	char mac[18], ip[46], ifname[64];
	int state = rtnl_neigh_get_state(ne);
	if (state & (NUD_INCOMPLETE | NUD_FAILED | NUD_NOARP))
		return;
	if (mac_of(rtnl_neigh_get_lladdr(ne), mac) < 0 || ip_of(rtnl_neigh_get_dst(ne), ip, sizeof ip) < 0)
		return;
	if (!rtnl_link_i2name(n->links, rtnl_neigh_get_ifindex(ne), ifname, sizeof ifname))
		snprintf(ifname, sizeof ifname, "if%d", rtnl_neigh_get_ifindex(ne));
	n->st->neighbours++;
	if (n->watching)
		os_info("neighbour %s at %s on %s", ip, mac, ifname);
	emit(n, mac, "ip", ip, ifname);
	emit(n, mac, "neigh.iface", ifname, ifname);
}

static void each_neigh(struct nl_object *o, void *arg)
{
	neighbour(arg, (struct rtnl_neigh *)o);
}

static void each_link(struct nl_object *o, void *arg)
{
	struct nctx *n = arg;
	struct rtnl_link *l = (struct rtnl_link *)o;
	char mac[18];
	if (rtnl_link_get_arptype(l) != ARPHRD_ETHER || mac_of(rtnl_link_get_addr(l), mac) < 0)
		return;
	n->st->links++;
	emit(n, mac, "neigh.local-link", rtnl_link_get_name(l), rtnl_link_get_name(l));
}

struct addr_arg {
	struct nctx *n;
};

static void each_addr(struct nl_object *o, void *arg)
{
	struct nctx *n = arg;
	struct rtnl_addr *a = (struct rtnl_addr *)o;
	struct rtnl_link *l = rtnl_link_get(n->links, rtnl_addr_get_ifindex(a));
	char mac[18], ip[46];
	if (l && rtnl_link_get_arptype(l) == ARPHRD_ETHER && mac_of(rtnl_link_get_addr(l), mac) == 0 &&
	    ip_of(rtnl_addr_get_local(a), ip, sizeof ip) == 0)
		emit(n, mac, "ip", ip, rtnl_link_get_name(l));
	if (l)
		rtnl_link_put(l);
}

static void on_change(struct nl_cache *cache, struct nl_object *o, int action, void *arg)
{
	(void)cache;
	if (action == NL_ACT_NEW || action == NL_ACT_CHANGE)
		neighbour(arg, (struct rtnl_neigh *)o);
}

static int open_netns(const char *name, char *err, size_t errlen)
{
	char path[300];
	if (strchr(name, '/')) {
		os_seterr(err, errlen, "--netns %s: a name, not a path", name);
		return -1;
	}
	snprintf(path, sizeof path, "/run/netns/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		os_seterr(err, errlen, "--netns %s: %s", name,
		          errno == ENOENT ? "no such network namespace (see ip netns list)" : strerror(errno));
	return fd;
}

int neigh_check(const struct neigh_opts *o, char *err, size_t errlen)
{
	if (!o->netns)
		return 0;
	int fd = open_netns(o->netns, err, errlen);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Into the named namespace; *back (if not NULL) gets a handle on the one
 * we were in, to return to. */
static int enter_netns(const char *name, int *back, char *err, size_t errlen)
{
	int fd = open_netns(name, err, errlen);
	if (fd < 0)
		return -1;
	if (back && (*back = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) {
		os_seterr(err, errlen, "--netns %s: cannot note the namespace to return to: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	int rc = setns(fd, CLONE_NEWNET);
	int e = errno;
	close(fd);
	if (rc < 0) {
		if (back)
			close(*back);
		os_seterr(err, errlen, "--netns %s: cannot enter it: %s%s", name, strerror(e),
		          e == EPERM ? " (needs root or CAP_SYS_ADMIN)" : "");
		return -1;
	}
	return 0;
}

/* What neigh_open prepares: netlink sockets bound to the namespace read
 * (a netlink socket stays in the namespace it was made in), so that the
 * reading needs no privilege and the process is back in its own. */
struct neigh {
	struct neigh_opts o;
	struct nl_sock *sk;
	struct nl_cache_mngr *mngr;     /* with a watch duration */
};

void neigh_close(struct neigh *h)
{
	if (!h)
		return;
	if (h->mngr)
		nl_cache_mngr_free(h->mngr);    /* its sockets and caches with it */
	if (h->sk)
		nl_socket_free(h->sk);
	free(h);
}

struct neigh *neigh_open(const struct neigh_opts *o, char *err, size_t errlen)
{
	struct neigh *h = xcalloc(1, sizeof *h);
	int back = -1, e = 0;
	h->o = *o;
	if (o->netns && enter_netns(o->netns, &back, err, errlen) < 0) {
		free(h);
		return NULL;
	}
	if (!(h->sk = nl_socket_alloc()) || (e = nl_connect(h->sk, NETLINK_ROUTE)) < 0) {
		os_seterr(err, errlen, "netlink: cannot connect: %s", h->sk ? nl_geterror(e) : "out of memory");
		goto fail;
	}
	/* NULL: the manager allocates (and frees) its own sockets, here */
	if (o->watch_s > 0 && (e = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE, &h->mngr)) < 0) {
		os_seterr(err, errlen, "netlink: cannot watch the neighbour table: %s", nl_geterror(e));
		goto fail;
	}
	if (back >= 0) {
		int rc = setns(back, CLONE_NEWNET);
		close(back);
		back = -1;
		if (rc < 0) {
			os_seterr(err, errlen, "--netns %s: cannot return from it: %s", o->netns, strerror(errno));
			neigh_close(h);
			return NULL;
		}
	}
	return h;
fail:
	if (back >= 0) {
		if (setns(back, CLONE_NEWNET) < 0)
			os_warn("--netns %s: cannot return from it: %s", o->netns, strerror(errno));
		close(back);
	}
	neigh_close(h);
	return NULL;
}

int neigh_read(struct neigh *h, struct ev_sink *sink, volatile sig_atomic_t *stop, struct neigh_stats *st,
               char *err, size_t errlen)
{
	const struct neigh_opts *o = &h->o;
	struct nctx n = {sink, NULL, o->netns, st, NULL, 0, 0, 0, 0};
	struct nl_sock *sk = h->sk;
	struct nl_cache *neighs = NULL, *addrs = NULL, *wcache = NULL;
	int rc = -1, e;
	memset(st, 0, sizeof *st);
	/* watching starts before the first read: a neighbour that appears
	 * while the tables are read is in the read or in the news, never in
	 * neither (seen_before drops the double) */
	if (h->mngr && (e = nl_cache_mngr_add(h->mngr, "route/neigh", on_change, &n, &wcache)) < 0) {
		os_seterr(err, errlen, "netlink: cannot watch the neighbour table: %s", nl_geterror(e));
		goto out;
	}
	if ((e = rtnl_link_alloc_cache(sk, AF_UNSPEC, &n.links)) < 0 ||
	    (e = rtnl_neigh_alloc_cache(sk, &neighs)) < 0 || (e = rtnl_addr_alloc_cache(sk, &addrs)) < 0) {
		os_seterr(err, errlen, "netlink: cannot read the tables: %s", nl_geterror(e));
		goto out;
	}
	nl_cache_foreach(n.links, each_link, &n);
	nl_cache_foreach(addrs, each_addr, &n);
	nl_cache_foreach(neighs, each_neigh, &n);
	if (h->mngr) {
		n.watching = 1;
		os_info("watching the neighbour tables for %g s", o->watch_s);
		double end = os_mono() + o->watch_s;
		while (!*stop && !n.failed) {
			double left = end - os_mono();
			if (left <= 0)
				break;
			int r = nl_cache_mngr_poll(h->mngr, (int)(1000 * (left < 0.2 ? left : 0.2)) + 1);
			if (r < 0 && r != -NLE_INTR) {
				os_seterr(err, errlen, "netlink: %s", nl_geterror(r));
				goto out;
			}
			/* links may appear while watching: names for new ifindexes */
			nl_cache_refill(sk, n.links);
		}
	}
	if (n.failed) {
		os_seterr(err, errlen, "could not store the evidence");
		goto out;
	}
	rc = *stop ? 1 : 0;
out:
	if (h->mngr) {
		nl_cache_mngr_free(h->mngr);    /* wcache goes with it; n is gone after this */
		h->mngr = NULL;
	}
	if (neighs)
		nl_cache_free(neighs);
	if (addrs)
		nl_cache_free(addrs);
	if (n.links)
		nl_cache_free(n.links);
	free(n.seen);
	return rc;
}

int neigh_collect(const struct neigh_opts *o, struct ev_sink *sink, volatile sig_atomic_t *stop,
                  struct neigh_stats *st, char *err, size_t errlen)
{
	struct neigh *h = neigh_open(o, err, errlen);
	if (!h)
		return -1;
	int rc = neigh_read(h, sink, stop, st, err, errlen);
	neigh_close(h);
	return rc;
}
