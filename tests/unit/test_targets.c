/* Target sets and the visiting order: parsing, exclusions, the keyed
 * permutation (a bijection for every size), shards that cover the set
 * exactly once between them, spreading across subnets, and the digest a
 * resumed scan checks. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "targets.h"

/* Every position of every shard maps to a distinct index, all indices are
 * reached, and shards partition the positions. */
static void check_bijection(uint64_t total, uint64_t seed, uint64_t nshards)
{
	struct target_set ts;
	targets_init(&ts, 161);
	struct trange r = {.family = AF_INET, .count = total};
	ts.r = &r;
	ts.n = 1;
	ts.total = total;
	uint8_t *seen = calloc(total ? total : 1, 1);
	uint64_t visited = 0, bad = 0;
	for (uint64_t s = 0; s < nshards; s++) {
		struct target_order o;
		targets_order_init(&o, &ts, seed, s, nshards);
		for (uint64_t p = 0; p < o.count; p++) {
			uint64_t i = targets_order_index(&o, p);
			if (i >= total || seen[i])
				bad++;
			else
				seen[i] = 1;
			visited++;
		}
	}
	CHECK_INT(visited, total);
	CHECK_INT(bad, 0);
	free(seen);
}

static void test_permutation(void)
{
	static const uint64_t sizes[] = {1, 2, 3, 4, 5, 7, 16, 255, 256, 257, 1000, 4096, 65536, 100003};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		check_bijection(sizes[i], 1, 1);
		check_bijection(sizes[i], 0xdeadbeef, 3);
		check_bijection(sizes[i], 42, 16);
	}
	check_bijection(1u << 20, 7, 5);
}

/* The order is spread: the first 256 positions of a /16 touch many /24s,
 * and consecutive positions are rarely neighbours. The seed changes the
 * order; the same seed gives the same order. */
static void test_spread(void)
{
	struct target_set ts;
	char err[256];
	targets_init(&ts, 161);
	CHECK(targets_add(&ts, "10.20.0.0/16", err, sizeof err) == 0);
	struct target_order o, o2, o3;
	targets_order_init(&o, &ts, 1, 0, 1);
	targets_order_init(&o2, &ts, 1, 0, 1);
	targets_order_init(&o3, &ts, 2, 0, 1);
	uint8_t subnet[256] = {0};
	int distinct = 0, adjacent = 0, same = 0, differ = 0;
	uint64_t prev = targets_order_index(&o, 0);
	for (uint64_t p = 0; p < 256; p++) {
		uint64_t i = targets_order_index(&o, p);
		if (!subnet[i >> 8]++)
			distinct++;
		if (p && (i == prev + 1 || i + 1 == prev))
			adjacent++;
		prev = i;
		same += i == targets_order_index(&o2, p);
		differ += i != targets_order_index(&o3, p);
	}
	CHECK(distinct > 150);          /* a sequential walk would touch 1 */
	CHECK(adjacent < 5);
	CHECK_INT(same, 256);
	CHECK(differ > 250);
	/* position 0 is not simply the first address */
	struct target t;
	int firsts = 0;
	for (uint64_t seed = 0; seed < 8; seed++) {
		targets_order_init(&o, &ts, seed, 0, 1);
		firsts += targets_order_index(&o, 0) == 0;
	}
	CHECK(firsts < 2);
	CHECK(targets_get(&ts, targets_order_index(&o, 0), &t) == 1);
	CHECK(!strncmp(t.addr, "10.20.", 6));
	targets_free(&ts);
}

static void test_shard_counts(void)
{
	struct target_set ts;
	char err[256];
	targets_init(&ts, 161);
	CHECK(targets_add(&ts, "192.0.2.0/24", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "198.51.100.7", err, sizeof err) == 0);
	CHECK_INT(ts.total, 257);
	struct target_order o;
	uint64_t sum = 0;
	for (uint64_t s = 0; s < 4; s++) {
		targets_order_init(&o, &ts, 9, s, 4);
		CHECK(o.count == 64 || o.count == 65);
		sum += o.count;
	}
	CHECK_INT(sum, 257);
	/* more shards than addresses: the extra shards are empty */
	targets_free(&ts);
	targets_init(&ts, 161);
	CHECK(targets_add(&ts, "192.0.2.1-3", err, sizeof err) == 0);
	targets_order_init(&o, &ts, 9, 4, 8);
	CHECK_INT(o.count, 0);
	targets_order_init(&o, &ts, 9, 2, 8);
	CHECK_INT(o.count, 1);
	targets_free(&ts);
}

static void test_parse_and_exclude(void)
{
	struct target_set ts;
	struct target t;
	char err[256];
	targets_init(&ts, 161);
	CHECK(targets_add(&ts, "10.0.0.1-10.0.0.4", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "10.0.1.9:1161", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "[2001:db8::1]:1162", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "10.0.0.0/33", err, sizeof err) < 0);
	CHECK(strstr(err, "10.0.0.0/33") != NULL);
	CHECK(targets_add(&ts, "10.0.0.9-3", err, sizeof err) < 0);
	CHECK(targets_exclude(&ts, "10.0.0.2,10.0.0.3", err, sizeof err) == 0);
	CHECK_INT(ts.total, 6);
	CHECK(targets_get(&ts, 0, &t) == 1);
	CHECK_STR(t.addr, "10.0.0.1");
	CHECK_INT(t.port, 161);
	CHECK(targets_get(&ts, 1, &t) == 0);      /* excluded */
	CHECK(targets_get(&ts, 4, &t) == 1);
	CHECK_STR(t.addr, "10.0.1.9");
	CHECK_INT(t.port, 1161);
	CHECK(targets_get(&ts, 5, &t) == 1);
	CHECK_STR(t.addr, "2001:db8::1");
	CHECK_INT(t.port, 1162);
	CHECK_INT(t.sa.ss_family, AF_INET6);

	/* the digest changes with the ranges, the ports and the exclusions */
	uint64_t d = targets_digest(&ts);
	struct target_set t2;
	targets_init(&t2, 161);
	CHECK(targets_add(&t2, "10.0.0.1-10.0.0.4", err, sizeof err) == 0);
	CHECK(targets_add(&t2, "10.0.1.9:1161", err, sizeof err) == 0);
	CHECK(targets_add(&t2, "[2001:db8::1]:1162", err, sizeof err) == 0);
	CHECK(targets_digest(&t2) != d);
	CHECK(targets_exclude(&t2, "10.0.0.2,10.0.0.3", err, sizeof err) == 0);
	CHECK(targets_digest(&t2) == d);
	t2.default_port = 162;
	CHECK(targets_digest(&t2) != d);
	targets_free(&t2);
	targets_free(&ts);
}

/* Every address of the set once, by name: the names the sweep stores. */
static char *names(const struct target_set *ts)
{
	static char out[4096];
	struct target t;
	out[0] = 0;
	for (uint64_t i = 0; i < ts->total; i++)
		if (targets_get(ts, i, &t)) {
			strcat(out, out[0] ? " " : "");
			strcat(out, t.name);
		}
	return out;
}

/* An address given twice at one port is one target (issue 11, 19); the
 * same address at two ports is two targets with two names; a set without
 * overlaps is left as given (same digest: older scans still resume). */
static void test_duplicates(void)
{
	struct target_set ts;
	char err[256];
	targets_init(&ts, 161);
	CHECK(targets_add(&ts, "10.0.0.4", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "10.0.0.0/30", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "10.0.0.2", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "10.0.0.2:161", err, sizeof err) == 0);     /* the default port, spelled out */
	CHECK(targets_add(&ts, "10.0.0.3-5", err, sizeof err) == 0);
	CHECK_INT(ts.total, 1 + 4 + 1 + 1 + 3);
	CHECK_INT(targets_dedupe(&ts), 4);
	CHECK_INT(ts.total, 6);
	CHECK_STR(names(&ts), "10.0.0.0 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5");
	targets_free(&ts);

	/* two agents on one address: two targets, named with their ports;
	 * the rest of the set keeps plain names */
	targets_init(&ts, 161);
	CHECK(targets_add(&ts, "127.0.0.1:1161", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "127.0.0.1:1162", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "127.0.0.1:1161", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "127.0.0.9", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "[::1]:1161", err, sizeof err) == 0);
	CHECK(targets_add(&ts, "::1", err, sizeof err) == 0);
	CHECK_INT(targets_dedupe(&ts), 1);
	CHECK_INT(ts.total, 5);
	CHECK_STR(names(&ts), "127.0.0.9 127.0.0.1:1161 127.0.0.1:1162 [::1]:161 [::1]:1161");
	targets_free(&ts);

	/* no overlap: nothing moves */
	struct target_set a, b;
	targets_init(&a, 161);
	targets_init(&b, 161);
	const char *words[] = {"192.0.2.9", "192.0.2.0/29", "198.51.100.1:1161", "192.0.2.8"};
	for (size_t i = 0; i < 4; i++) {
		CHECK(targets_add(&a, words[i], err, sizeof err) == 0);
		CHECK(targets_add(&b, words[i], err, sizeof err) == 0);
	}
	CHECK_INT(targets_dedupe(&a), 0);
	CHECK(targets_digest(&a) == targets_digest(&b));
	CHECK_STR(names(&a), "192.0.2.9 192.0.2.0 192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5 192.0.2.6 192.0.2.7 "
	                     "198.51.100.1 192.0.2.8");
	targets_free(&a);
	targets_free(&b);

	/* across the sets of one scan: the same address at another port in
	 * another stanza names both with their ports */
	targets_init(&a, 161);
	targets_init(&b, 1161);
	CHECK(targets_add(&a, "10.1.0.0/30", err, sizeof err) == 0);
	CHECK(targets_add(&b, "10.1.0.2", err, sizeof err) == 0);
	CHECK(targets_add(&b, "10.2.0.1", err, sizeof err) == 0);
	struct target_set *both[] = {&a, &b};
	targets_mark_ports(both, 2);
	CHECK_STR(names(&a), "10.1.0.0 10.1.0.1 10.1.0.2:161 10.1.0.3");
	CHECK_STR(names(&b), "10.1.0.2:1161 10.2.0.1");
	targets_free(&a);
	targets_free(&b);
}

/* -iL: errors name the line an editor shows, blank lines counted. */
static void test_file_lines(void)
{
	char path[] = "/tmp/test_targets.XXXXXX", err[512];
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	const char text[] = "# mgmt\n\n10.0.0.1\n\n\n10.0.0.2 10.0.0.3\r\n\n10.0.0.300\n";
	CHECK(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
	close(fd);
	struct target_set ts;
	targets_init(&ts, 161);
	CHECK(targets_add_file(&ts, path, err, sizeof err) < 0);
	char want[64];
	snprintf(want, sizeof want, "%s:8: ", path);
	CHECK(strncmp(err, want, strlen(want)) == 0);
	if (strncmp(err, want, strlen(want)))
		fprintf(stderr, "  got: %s\n", err);
	CHECK_INT(ts.total, 3);
	targets_free(&ts);
	unlink(path);
}

int main(void)
{
	test_duplicates();
	test_file_lines();
	test_permutation();
	test_spread();
	test_shard_counts();
	test_parse_and_exclude();
	CHECK_DONE();
}
