/* The bounds-checked cursor: every read past the end sets the error flag
 * and returns zero; sub-cursors cannot run into their neighbours; BER
 * TLVs and bit reads are bounded the same way; the text helpers (lines,
 * tokens, prefixes, trimming) find nothing in what is cut short and
 * leave the cursor as it was, and never read past the end (each prefix
 * of a text is copied to a buffer of its exact size: ASan sees an
 * over-read). */
#include <stdlib.h>

#include "check.h"
#include "cursor.h"

static void test_reads(void)
{
	static const uint8_t b[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
	struct cur c = cur_make(b, sizeof b);
	CHECK_INT(cur_u8(&c), 1);
	CHECK_INT(cur_be16(&c), 0x0203);
	CHECK_INT(cur_be24(&c), 0x040506);
	CHECK_INT(cur_le16(&c), 0x0807);
	CHECK_INT(cur_left(&c), 1);
	CHECK(cur_ok(&c));
	CHECK_INT(cur_be16(&c), 0);             /* one byte left: a failed read */
	CHECK(!cur_ok(&c));
	CHECK_INT(cur_left(&c), 0);
	CHECK_INT(cur_u8(&c), 0);               /* and stays failed */
	CHECK(cur_bytes(&c, 0) == NULL);

	c = cur_make(b, sizeof b);
	CHECK_INT(cur_be32(&c), 0x01020304);
	CHECK_INT(cur_le32(&c), 0x08070605);
	c = cur_make(b, 8);
	CHECK(cur_be64(&c) == 0x0102030405060708ULL);
	c = cur_make(NULL, 100);                /* no buffer: nothing to read */
	CHECK_INT(cur_left(&c), 0);
	cur_skip(&c, 1);
	CHECK(!cur_ok(&c));
	/* a huge skip does not wrap */
	c = cur_make(b, sizeof b);
	cur_skip(&c, (size_t)-1);
	CHECK(!cur_ok(&c));
}

static void test_peek_sub(void)
{
	static const uint8_t b[] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee};
	struct cur c = cur_make(b, sizeof b);
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	CHECK(cur_peek_u8(&c, 4, &u8) && u8 == 0xee);
	CHECK(!cur_peek_u8(&c, 5, &u8));
	CHECK(cur_peek_be16(&c, 3, &u16) && u16 == 0xddee);
	CHECK(!cur_peek_be16(&c, 4, &u16));
	CHECK(!cur_peek_be16(&c, (size_t)-1, &u16));
	CHECK(cur_peek_be32(&c, 1, &u32) && u32 == 0xbbccddee);
	CHECK(!cur_peek_be32(&c, 2, &u32));
	CHECK(cur_ok(&c) && cur_left(&c) == 5);         /* peeks never move or fail */

	struct cur s = cur_sub(&c, 2);
	CHECK_INT(cur_left(&s), 2);
	CHECK_INT(cur_be16(&s), 0xaabb);
	CHECK_INT(cur_u8(&s), 0);               /* the child ends at its bound */
	CHECK(!cur_ok(&s));
	CHECK(cur_ok(&c));                      /* the parent is unhurt */
	CHECK_INT(cur_u8(&c), 0xcc);
	s = cur_sub(&c, 3);                     /* longer than what is left */
	CHECK(!cur_ok(&s) && !cur_ok(&c));
	c = cur_make(b, sizeof b);
	s = cur_rest(&c);
	CHECK(cur_left(&s) == 5 && cur_left(&c) == 0 && cur_ok(&c));
	c = cur_make(b, sizeof b);
	CHECK_INT(cur_find(&c, 0xdd), 3);
	CHECK_INT(cur_find(&c, 0x01), -1);
	CHECK(cur_starts(&c, "\xaa\xbb", 2));
	CHECK(!cur_starts(&c, "\xaa\xbb\xcc\xdd\xee\xff", 6));
}

static void test_ber(void)
{
	uint8_t tag;
	struct cur v;
	int64_t i = 0;
	static const uint8_t intv[] = {0x02, 0x02, 0xff, 0x7f, 0x04, 0x81, 0x03, 'a', 'b', 'c'};
	struct cur c = cur_make(intv, sizeof intv);
	CHECK_INT(cur_ber(&c, &tag, &v), 0);
	CHECK_INT(tag, 0x02);
	CHECK_INT(cur_ber_int(&v, &i), 0);
	CHECK_INT(i, -129);
	CHECK_INT(cur_ber(&c, &tag, &v), 0);     /* long-form length */
	CHECK_INT(tag, 0x04);
	CHECK_INT(cur_left(&v), 3);
	CHECK_INT(cur_left(&c), 0);
	static const uint8_t past[] = {0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00};
	c = cur_make(past, sizeof past);
	CHECK_INT(cur_ber(&c, &tag, &v), -1);    /* length past the end */
	CHECK(!cur_ok(&c) && !cur_ok(&v));
	static const uint8_t indef[] = {0x30, 0x80, 0x00, 0x00};
	c = cur_make(indef, sizeof indef);
	CHECK_INT(cur_ber(&c, &tag, &v), -1);    /* indefinite length refused */
	static const uint8_t hightag[] = {0x1f, 0x81, 0x01, 0x00};
	c = cur_make(hightag, sizeof hightag);
	CHECK_INT(cur_ber(&c, &tag, &v), -1);
	static const uint8_t toolong[] = {0x02, 0x85, 0, 0, 0, 0, 1};
	c = cur_make(toolong, sizeof toolong);
	CHECK_INT(cur_ber(&c, &tag, &v), -1);
	static const uint8_t nine[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
	v = cur_make(nine, 9);
	CHECK_INT(cur_ber_int(&v, &i), -1);     /* over 64 bits */
	v = cur_make(nine, 0);
	CHECK_INT(cur_ber_int(&v, &i), -1);     /* empty */
}

static void test_bits(void)
{
	static const uint8_t b[] = {0xa5, 0x0f, 0x12, 0x34};
	struct bitcur bc = bitcur_make(b, sizeof b);
	CHECK_INT(bitcur_get(&bc, 1), 1);
	CHECK_INT(bitcur_get(&bc, 3), 2);
	CHECK_INT(bitcur_get(&bc, 4), 5);
	CHECK_INT(bitcur_get(&bc, 2), 0);
	bitcur_align(&bc);
	struct cur o = bitcur_octets(&bc, 2);
	CHECK(cur_ok(&o) && cur_be16(&o) == 0x1234);
	CHECK_INT(bitcur_get(&bc, 1), 0);
	CHECK(bc.err);
	bc = bitcur_make(b, 1);
	CHECK_INT(bitcur_get(&bc, 33), 0);
	CHECK(bc.err);
	bc = bitcur_make(b, 1);
	o = bitcur_octets(&bc, 2);
	CHECK(!cur_ok(&o) && bc.err);
}

/* c holds exactly the text s */
static int is(const struct cur *c, const char *s)
{
	size_t n = strlen(s);
	return cur_ok(c) && cur_left(c) == n && cur_starts(c, s, n);
}

static void test_text(void)
{
	static const char t[] = "HTTP/1.1 200 OK\r\nServer: box 1.0 \r\nWWW-Authenticate: Basic realm=\"R1\"\r\nX";
	struct cur c = cur_make(t, sizeof t - 1), line, v;
	/* lines: without the '\n'; a last line with none is not one */
	CHECK(cur_line(&c, &line) && is(&line, "HTTP/1.1 200 OK\r"));
	CHECK(cur_line(&c, &line) && is(&line, "Server: box 1.0 \r"));
	/* prefixes, either case for cur_eat_case; a miss moves nothing */
	CHECK(!cur_eat(&line, "server", 6) && is(&line, "Server: box 1.0 \r"));
	CHECK(cur_eat_case(&line, "SERVER", 6) && cur_eat(&line, ":", 1));
	CHECK(!cur_eat_case(&line, "  box 1.0 \r and more", 20));
	/* trimming */
	cur_ltrim(&line, " \t");
	CHECK(is(&line, "box 1.0 \r") && cur_ends_in(&line, "\r") && !cur_ends_in(&line, ":>#"));
	cur_rtrim(&line, "\r ");
	CHECK(is(&line, "box 1.0"));
	/* tokens: up to a byte; cur_after moves past a string */
	CHECK(cur_line(&c, &line));
	CHECK(!cur_after(&line, "realm=\"X", 8) && is(&line, "WWW-Authenticate: Basic realm=\"R1\"\r"));
	CHECK(cur_after(&line, "realm=\"", 7) && is(&line, "R1\"\r"));
	CHECK(cur_until(&line, '"', &v) && is(&v, "R1") && is(&line, "\r"));
	CHECK(!cur_until(&line, '"', &v) && is(&line, "\r") && is(&v, "R1"));
	CHECK(!cur_line(&c, &line) && is(&c, "X"));
	uint8_t last = 0;
	CHECK(cur_peek_last(&c, &last) && last == 'X');
	/* trimming everything; a set never holds NUL */
	c = cur_make(" \r\n \n", 5);
	cur_trim(&c, " \r\n");
	CHECK(cur_ok(&c) && cur_left(&c) == 0 && !cur_peek_last(&c, &last) && !cur_ends_in(&c, ":"));
	c = cur_make("a\0", 2);
	cur_rtrim(&c, "x");
	CHECK_INT(cur_left(&c), 2);
	/* a cursor in error finds nothing and stays in error */
	c = cur_make("a\nb", 3);
	cur_skip(&c, 4);
	CHECK(!cur_line(&c, &line) && !cur_until(&c, 'b', &v) && !cur_eat(&c, "", 0) &&
	      !cur_eat_case(&c, "", 0) && !cur_after(&c, "a", 1) && !cur_peek_last(&c, &last) && !cur_ok(&c));
	cur_trim(&c, "a");
	CHECK(!cur_ok(&c) && !cur_left(&c));
	c = cur_make("abc", 3);
	CHECK(!cur_after(&c, "", 0) && is(&c, "abc"));  /* an empty needle finds nothing */
}

/* Every prefix of a header block, walked as dis_http walks it, from a
 * buffer of exactly that size: whatever is cut, nothing is read past the
 * end, and what is found is within the prefix. */
static void test_text_truncated(void)
{
	static const char t[] = "HTTP/1.0 401\r\nserver:\tABC\r\nWWW-Authenticate: Digest realm=\"dev\", x\r\n\r\n";
	size_t n = sizeof t - 1, servers = 0, realms = 0;
	for (size_t k = 0; k <= n; k++) {
		char *copy = malloc(k ? k : 1);
		memcpy(copy, t, k);
		struct cur c = cur_make(copy, k), line, v, realm;
		if (cur_line(&c, &line)) {
			while (cur_line(&c, &line)) {
				cur_rtrim(&line, "\r \t");
				if (!cur_left(&line))
					break;
				struct cur l = line;
				if (cur_eat_case(&l, "Server", 6) && cur_eat(&l, ":", 1)) {
					cur_ltrim(&l, " \t");
					servers += is(&l, "ABC");
				} else if (cur_after(&line, "realm=\"", 7) && cur_until(&line, '"', &realm))
					realms += is(&realm, "dev");
			}
			CHECK(cur_ok(&c));
		}
		/* the last line is never taken before its '\n' */
		v = cur_make(copy, k);
		size_t lines = 0;
		while (cur_line(&v, &line))
			lines++;
		CHECK(cur_ok(&v) && cur_left(&v) <= k);
		CHECK_INT(lines, k < 14 ? 0 : k < 27 ? 1 : k < 68 ? 2 : k < 70 ? 3 : 4);
		free(copy);
	}
	/* found whole only once their line is: from k = 27 and k = 68 on */
	CHECK_INT(servers, n + 1 - 27);
	CHECK_INT(realms, n + 1 - 68);
}

int main(void)
{
	test_reads();
	test_peek_sub();
	test_ber();
	test_bits();
	test_text();
	test_text_truncated();
	CHECK_DONE();
}
