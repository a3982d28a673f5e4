/* The bounds-checked cursor: every read past the end sets the error flag
 * and returns zero; sub-cursors cannot run into their neighbours; BER
 * TLVs and bit reads are bounded the same way. */
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

int main(void)
{
	test_reads();
	test_peek_sub();
	test_ber();
	test_bits();
	CHECK_DONE();
}
