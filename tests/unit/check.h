/* A minimal test harness: each CHECK counts, failures print file:line
 * and the values, main() returns non-zero if anything failed. */
#ifndef OS_TEST_CHECK_H
#define OS_TEST_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_failures, check_count;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		check_count++;                                                       \
		if (!(cond)) {                                                       \
			check_failures++;                                            \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                    \
	} while (0)

#define CHECK_STR(got, want)                                                          \
	do {                                                                          \
		const char *g_ = (got), *w_ = (want);                                 \
		check_count++;                                                        \
		if (!g_ || !w_ ? g_ != w_ : strcmp(g_, w_) != 0) {                     \
			check_failures++;                                             \
			fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, \
			        g_ ? g_ : "(null)", w_ ? w_ : "(null)");              \
		}                                                                     \
	} while (0)

#define CHECK_INT(got, want)                                                          \
	do {                                                                          \
		long long g_ = (long long)(got), w_ = (long long)(want);              \
		check_count++;                                                        \
		if (g_ != w_) {                                                       \
			check_failures++;                                             \
			fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); \
		}                                                                     \
	} while (0)

#define CHECK_DONE()                                                                   \
	do {                                                                           \
		fprintf(stderr, "%d checks, %d failed\n", check_count, check_failures); \
		return check_failures ? 1 : 0;                                         \
	} while (0)
#endif
