/* The one bounds-checked cursor every dissector reads through.
 *
 * A cursor is (pointer, bytes left, error flag). Every read checks the
 * length first; a read past the end sets the error flag, returns zero and
 * leaves the cursor empty, so a dissector that runs off the end simply
 * finds cur->err set and reports "malformed" — it never does its own
 * length arithmetic and never indexes a packet buffer. Sub-cursors bound a
 * TLV, AVP, BER value or PER container: reading one can never run into
 * the next. Byte order lives here and nowhere else (tcpdump's GET_BE_U_2
 * habit).
 *
 * struct bitcur does the same for bit-level reads (aligned PER).
 */
#ifndef OS_CURSOR_H
#define OS_CURSOR_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cur {
	const uint8_t *p;
	size_t left;
	int err;
};

static inline struct cur cur_make(const void *p, size_t n)
{
	struct cur c = {(const uint8_t *)p, p ? n : 0, 0};
	return c;
}

static inline void cur_fail(struct cur *c)
{
	c->err = 1;
	c->left = 0;
}

static inline int cur_ok(const struct cur *c)
{
	return !c->err;
}

static inline size_t cur_left(const struct cur *c)
{
	return c->left;
}

/* True when n more bytes can be read (does not set the error flag). */
static inline int cur_has(const struct cur *c, size_t n)
{
	return !c->err && c->left >= n;
}

/* Pointer to n bytes, advancing past them; NULL (and error) if short. */
static inline const uint8_t *cur_bytes(struct cur *c, size_t n)
{
	if (c->err || c->left < n) {
		cur_fail(c);
		return NULL;
	}
	const uint8_t *r = c->p;
	c->p += n;
	c->left -= n;
	return r;
}

static inline void cur_skip(struct cur *c, size_t n)
{
	(void)cur_bytes(c, n);
}

static inline int cur_copy(struct cur *c, void *dst, size_t n)
{
	const uint8_t *b = cur_bytes(c, n);
	if (!b)
		return -1;
	memcpy(dst, b, n);
	return 0;
}

static inline uint8_t cur_u8(struct cur *c)
{
	const uint8_t *b = cur_bytes(c, 1);
	return b ? b[0] : 0;
}

static inline uint16_t cur_be16(struct cur *c)
{
	const uint8_t *b = cur_bytes(c, 2);
	return b ? (uint16_t)(b[0] << 8 | b[1]) : 0;
}

static inline uint32_t cur_be24(struct cur *c)
{
	const uint8_t *b = cur_bytes(c, 3);
	return b ? (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2] : 0;
}

static inline uint32_t cur_be32(struct cur *c)
{
	const uint8_t *b = cur_bytes(c, 4);
	return b ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3] : 0;
}

static inline uint64_t cur_be64(struct cur *c)
{
	uint64_t hi = cur_be32(c);
	return hi << 32 | cur_be32(c);
}

static inline uint16_t cur_le16(struct cur *c)
{
	const uint8_t *b = cur_bytes(c, 2);
	return b ? (uint16_t)(b[1] << 8 | b[0]) : 0;
}

static inline uint32_t cur_le32(struct cur *c)
{
	const uint8_t *b = cur_bytes(c, 4);
	return b ? (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0] : 0;
}

/* Peek without advancing; 0 and no error flag when out of range (for
 * "is this my protocol?" probes). */
static inline int cur_peek_u8(const struct cur *c, size_t off, uint8_t *out)
{
	if (c->err || off >= c->left)
		return 0;
	*out = c->p[off];
	return 1;
}

static inline int cur_peek_be16(const struct cur *c, size_t off, uint16_t *out)
{
	if (c->err || c->left < 2 || off > c->left - 2)
		return 0;
	*out = (uint16_t)(c->p[off] << 8 | c->p[off + 1]);
	return 1;
}

static inline int cur_peek_be32(const struct cur *c, size_t off, uint32_t *out)
{
	if (c->err || c->left < 4 || off > c->left - 4)
		return 0;
	*out = (uint32_t)c->p[off] << 24 | (uint32_t)c->p[off + 1] << 16 |
	       (uint32_t)c->p[off + 2] << 8 | c->p[off + 3];
	return 1;
}

/* A child cursor over the next n bytes; the parent moves past them. If
 * fewer than n remain, both are in error (a TLV longer than its packet
 * is malformed, not truncated to fit). */
static inline struct cur cur_sub(struct cur *c, size_t n)
{
	struct cur s = {NULL, 0, 1};
	const uint8_t *b = cur_bytes(c, n);
	if (b) {
		s.p = b;
		s.left = n;
		s.err = 0;
	}
	return s;
}

/* The rest of the cursor as a child; the parent becomes empty. */
static inline struct cur cur_rest(struct cur *c)
{
	return cur_sub(c, c->err ? 0 : c->left);
}

/* ---- bit-level reads for aligned PER ---- */

struct bitcur {
	const uint8_t *p;
	size_t nbits;           /* bits left */
	size_t bit;             /* bits consumed since p */
	int err;
};

static inline struct bitcur bitcur_make(const void *p, size_t nbytes)
{
	struct bitcur b = {(const uint8_t *)p, p ? nbytes * 8 : 0, 0, 0};
	return b;
}

static inline void bitcur_fail(struct bitcur *b)
{
	b->err = 1;
	b->nbits = 0;
}

/* Up to 32 bits, most significant first. */
static inline uint32_t bitcur_get(struct bitcur *b, unsigned n)
{
	uint32_t v = 0;
	if (n > 32 || b->err || b->nbits < n) {
		bitcur_fail(b);
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		size_t pos = b->bit + i;
		v = v << 1 | ((b->p[pos / 8] >> (7 - pos % 8)) & 1u);
	}
	b->bit += n;
	b->nbits -= n;
	return v;
}

/* Skip to the next octet boundary (aligned PER pads before octet fields). */
static inline void bitcur_align(struct bitcur *b)
{
	unsigned pad = (unsigned)((8 - b->bit % 8) % 8);
	if (pad)
		(void)bitcur_get(b, pad);
}

/* After alignment: n whole octets as a byte cursor (the bit cursor moves
 * past them). */
static inline struct cur bitcur_octets(struct bitcur *b, size_t n)
{
	struct cur c = {NULL, 0, 1};
	bitcur_align(b);
	if (b->err || b->bit % 8 || b->nbits / 8 < n) {
		bitcur_fail(b);
		return c;
	}
	c.p = b->p + b->bit / 8;
	c.left = n;
	c.err = 0;
	b->bit += n * 8;
	b->nbits -= n * 8;
	return c;
}
/* ---- BER (X.690) TLVs: SNMP (snmp.c) and the CDP system object id ----
 *
 * (TLS certificates are not walked here: tls.c hands the DER the cursor
 * bounded to OpenSSL.)
 *
 * One TLV: identifier (low-tag-number form only: multi-byte tags are
 * refused, SNMP needs none), then a definite length (short form,
 * or long form up to 4 octets; the indefinite form is refused). On
 * success *tag holds the identifier octet (class, constructed bit and tag
 * number as on the wire) and *val bounds the contents; the parent moves
 * past the whole TLV. On failure both are in error. */
static inline int cur_ber(struct cur *c, uint8_t *tag, struct cur *val)
{
	uint8_t t = cur_u8(c), l0 = cur_u8(c);
	size_t len = l0;
	val->p = NULL;
	val->left = 0;
	val->err = 1;
	if (!cur_ok(c) || (t & 0x1f) == 0x1f || l0 == 0x80 || l0 == 0xff) {
		cur_fail(c);
		return -1;
	}
	if (l0 & 0x80) {
		unsigned n = l0 & 0x7f;
		if (n > 4) {
			cur_fail(c);
			return -1;
		}
		len = 0;
		for (unsigned i = 0; i < n; i++)
			len = len << 8 | cur_u8(c);
	}
	*val = cur_sub(c, len);
	*tag = t;
	return cur_ok(c) ? 0 : -1;
}

/* A BER INTEGER's contents as a signed 64-bit value; -1 (and error) if
 * empty or longer than 8 octets. */
static inline int cur_ber_int(struct cur *v, int64_t *out)
{
	size_t n = cur_left(v);
	if (!cur_ok(v) || n == 0 || n > 8) {
		cur_fail(v);
		return -1;
	}
	const uint8_t *b = cur_bytes(v, n);
	uint64_t x = (b[0] & 0x80) ? ~(uint64_t)0 : 0;
	for (size_t i = 0; i < n; i++)
		x = x << 8 | b[i];
	*out = (int64_t)x;
	return 0;
}

/* ---- text: lines, tokens, prefixes (banners, HTTP headers) ----
 *
 * The same rules: a helper that does not find what it looks for returns
 * 0 and leaves every cursor as it was; a cursor in error finds nothing.
 * A byte set (cur_trim ...) is a C string of the bytes it holds. */

/* Find a byte in the rest of the cursor without moving it: offset, or -1. */
static inline long cur_find(const struct cur *c, uint8_t byte)
{
	if (c->err || !c->left)
		return -1;
	const uint8_t *hit = memchr(c->p, byte, c->left);
	return hit ? (long)(hit - c->p) : -1;
}

/* True when the rest of the cursor starts with the n bytes at s. */
static inline int cur_starts(const struct cur *c, const void *s, size_t n)
{
	return !c->err && c->left >= n && !memcmp(c->p, s, n);
}

/* The bytes before the next `byte` as *tok; the cursor moves past that
 * byte. 0 when it is not there. */
static inline int cur_until(struct cur *c, uint8_t byte, struct cur *tok)
{
	long at = cur_find(c, byte);
	if (at < 0)
		return 0;
	*tok = cur_sub(c, (size_t)at);
	cur_skip(c, 1);
	return 1;
}

/* The next line as *line, without its '\n' (a '\r' before it stays:
 * cur_rtrim it); the cursor moves past the '\n'. 0 when no '\n' is
 * left: a line cut short is not a line. */
static inline int cur_line(struct cur *c, struct cur *line)
{
	return cur_until(c, '\n', line);
}

/* Move past the n bytes at s if the cursor starts with them: 1, else 0. */
static inline int cur_eat(struct cur *c, const void *s, size_t n)
{
	if (!cur_starts(c, s, n))
		return 0;
	cur_skip(c, n);
	return 1;
}

/* The same, ASCII letters of s matching either case (header names). */
static inline int cur_eat_case(struct cur *c, const char *s, size_t n)
{
	if (c->err || c->left < n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t a = c->p[i], b = (uint8_t)s[i];
		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b + 32);
		if (a != b)
			return 0;
	}
	cur_skip(c, n);
	return 1;
}

/* Move past the first occurrence of the n bytes at s (n > 0): 1, or 0
 * when they do not occur. */
static inline int cur_after(struct cur *c, const void *s, size_t n)
{
	if (c->err || !n || c->left < n)
		return 0;
	const uint8_t *hit = memmem(c->p, c->left, s, n);
	if (!hit)
		return 0;
	cur_skip(c, (size_t)(hit - c->p) + n);
	return 1;
}

static inline int cur_in_set_(uint8_t b, const char *set)
{
	return b && strchr(set, b) != NULL;
}

/* Drop the bytes of set from the front (ltrim), the end (rtrim), both (trim). */
static inline void cur_ltrim(struct cur *c, const char *set)
{
	while (!c->err && c->left && cur_in_set_(c->p[0], set))
		cur_skip(c, 1);
}

static inline void cur_rtrim(struct cur *c, const char *set)
{
	while (!c->err && c->left && cur_in_set_(c->p[c->left - 1], set))
		c->left--;
}

static inline void cur_trim(struct cur *c, const char *set)
{
	cur_rtrim(c, set);
	cur_ltrim(c, set);
}

/* The last byte, without moving; 0 when empty. */
static inline int cur_peek_last(const struct cur *c, uint8_t *out)
{
	if (c->err || !c->left)
		return 0;
	*out = c->p[c->left - 1];
	return 1;
}

/* True when the last byte is one of set. */
static inline int cur_ends_in(const struct cur *c, const char *set)
{
	uint8_t b;
	return cur_peek_last(c, &b) && cur_in_set_(b, set);
}
#endif
