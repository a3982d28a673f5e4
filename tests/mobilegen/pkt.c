/* Frames for the generated captures: Ethernet II, IPv4 or IPv6, then
 * UDP, TCP or SCTP (with as many DATA chunks as asked), with correct
 * checksums (SCTP's CRC32c too), written as classic pcap or pcapng. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "enc.h"

struct capw {
	FILE *f;
	int ng;
};

static void w32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);    /* host order: readers detect it by the magic */
}

struct capw *capw_open(const char *path, const char *format)
{
	struct capw *w = calloc(1, sizeof *w);
	w->f = fopen(path, "wb");
	if (!w->f) {
		free(w);
		return NULL;
	}
	w->ng = !strcmp(format, "pcapng");
	if (w->ng) {
		w32(w->f, 0x0a0d0d0a), w32(w->f, 28), w32(w->f, 0x1a2b3c4d);
		uint16_t ver[2] = {1, 0};
		fwrite(ver, 2, 2, w->f);
		w32(w->f, 0xffffffff), w32(w->f, 0xffffffff), w32(w->f, 28);
		w32(w->f, 1), w32(w->f, 20);
		uint16_t lt[2] = {1, 0};        /* Ethernet */
		fwrite(lt, 2, 2, w->f);
		w32(w->f, 65535), w32(w->f, 20);
	} else {
		w32(w->f, 0xa1b2c3d4);
		uint16_t ver[2] = {2, 4};
		fwrite(ver, 2, 2, w->f);
		w32(w->f, 0), w32(w->f, 0), w32(w->f, 65535), w32(w->f, 1);
	}
	return w;
}

int capw_close(struct capw *w)
{
	int rc = fclose(w->f);
	free(w);
	return rc;
}

static void record(struct capw *w, int64_t ts_us, const uint8_t *p, size_t n)
{
	if (w->ng) {
		size_t pad = (4 - n % 4) % 4;
		uint32_t tot = (uint32_t)(32 + n + pad);
		uint64_t ts = (uint64_t)ts_us;
		w32(w->f, 6), w32(w->f, tot), w32(w->f, 0);
		w32(w->f, (uint32_t)(ts >> 32)), w32(w->f, (uint32_t)ts);
		w32(w->f, (uint32_t)n), w32(w->f, (uint32_t)n);
		fwrite(p, 1, n, w->f);
		static const uint8_t zero[4];
		fwrite(zero, 1, pad, w->f);
		w32(w->f, tot);
	} else {
		w32(w->f, (uint32_t)(ts_us / 1000000)), w32(w->f, (uint32_t)(ts_us % 1000000));
		w32(w->f, (uint32_t)n), w32(w->f, (uint32_t)n);
		fwrite(p, 1, n, w->f);
	}
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t crc32c(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffff;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0x82f63b78 & (0u - (c & 1)));
	}
	return ~c;
}

/* Ethernet + IP around an L4 segment whose checksum field is at csum_off
 * (or none for SCTP, done by the caller). */
static void frame(struct capw *w, int64_t ts_us, const struct gflow *f, uint8_t proto, uint8_t *l4, size_t n,
                  int csum_off)
{
	static uint8_t buf[70000];
	uint8_t a[16], b[16];
	int v6 = strchr(f->src, ':') != NULL;
	size_t o = 0;
	if (v6) {
		inet_pton(AF_INET6, f->src, a);
		inet_pton(AF_INET6, f->dst, b);
	} else {
		inet_pton(AF_INET, f->src, a);
		inet_pton(AF_INET, f->dst, b);
	}
	/* locally administered MACs derived from the addresses: no OUI claims */
	const uint8_t *sa = v6 ? a + 12 : a, *da = v6 ? b + 12 : b;
	uint8_t eth[14] = {0x02, 0x66, da[0], da[1], da[2], da[3], 0x02, 0x66, sa[0], sa[1], sa[2], sa[3],
	                   v6 ? 0x86 : 0x08, v6 ? 0xdd : 0x00};
	uint8_t ttl = 64;
	if (f->routed) {                /* the site router's MAC, one hop down */
		static const uint8_t rmac[4] = {0xff, 0x00, 0x00, 0x01};
		memcpy(eth + 8, rmac, 4);
		ttl = 61;
	}
	memcpy(buf, eth, 14);
	o = 14;
	if (csum_off >= 0) {
		uint32_t s = 0;
		uint8_t ph[4] = {0, 0, 0, proto};
		s = sum16(a, v6 ? 16 : 4, s);
		s = sum16(b, v6 ? 16 : 4, s);
		s += (uint32_t)n;
		s = sum16(ph, 4, s);
		l4[csum_off] = l4[csum_off + 1] = 0;
		uint16_t c = fold(sum16(l4, n, s));
		if (proto == 17 && c == 0)
			c = 0xffff;
		l4[csum_off] = (uint8_t)(c >> 8), l4[csum_off + 1] = (uint8_t)c;
	}
	if (v6) {
		uint8_t h[40] = {0x60, 0, 0, 0, (uint8_t)(n >> 8), (uint8_t)n, proto, ttl};
		memcpy(h + 8, a, 16);
		memcpy(h + 24, b, 16);
		memcpy(buf + o, h, 40);
		o += 40;
	} else {
		static uint16_t id;
		size_t tl = 20 + n;
		uint8_t h[20] = {0x45, 0, (uint8_t)(tl >> 8), (uint8_t)tl, (uint8_t)(id >> 8), (uint8_t)id, 0x40, 0,
		                 ttl, proto};
		id++;
		memcpy(h + 12, a, 4);
		memcpy(h + 16, b, 4);
		uint16_t c = fold(sum16(h, 20, 0));
		h[10] = (uint8_t)(c >> 8), h[11] = (uint8_t)c;
		memcpy(buf + o, h, 20);
		o += 20;
	}
	memcpy(buf + o, l4, n);
	record(w, ts_us, buf, o + n);
}

void cap_udp(struct capw *w, int64_t ts_us, const struct gflow *f, const uint8_t *p, size_t n)
{
	static uint8_t l4[66000];
	size_t l = 8 + n;
	l4[0] = (uint8_t)(f->sport >> 8), l4[1] = (uint8_t)f->sport;
	l4[2] = (uint8_t)(f->dport >> 8), l4[3] = (uint8_t)f->dport;
	l4[4] = (uint8_t)(l >> 8), l4[5] = (uint8_t)l;
	memcpy(l4 + 8, p, n);
	frame(w, ts_us, f, 17, l4, l, 6);
}

void cap_tcp(struct capw *w, int64_t ts_us, struct gflow *f, const uint8_t *p, size_t n)
{
	static uint8_t l4[66000];
	memset(l4, 0, 20);
	l4[0] = (uint8_t)(f->sport >> 8), l4[1] = (uint8_t)f->sport;
	l4[2] = (uint8_t)(f->dport >> 8), l4[3] = (uint8_t)f->dport;
	uint32_t s = f->tcp_seq;
	l4[4] = (uint8_t)(s >> 24), l4[5] = (uint8_t)(s >> 16), l4[6] = (uint8_t)(s >> 8), l4[7] = (uint8_t)s;
	l4[12] = 0x50, l4[13] = 0x08;   /* 20 bytes, PSH: no ACK to keep consistent */
	l4[14] = 0xff, l4[15] = 0xff;
	memcpy(l4 + 20, p, n);
	f->tcp_seq += (uint32_t)n;
	frame(w, ts_us, f, 6, l4, 20 + n, 16);
}

void cap_sctp(struct capw *w, int64_t ts_us, const struct gflow *f, const struct chunk *c, size_t nc)
{
	static uint8_t l4[66000];
	static uint32_t tsn = 1;
	size_t o = 12;
	memset(l4, 0, 12);
	l4[0] = (uint8_t)(f->sport >> 8), l4[1] = (uint8_t)f->sport;
	l4[2] = (uint8_t)(f->dport >> 8), l4[3] = (uint8_t)f->dport;
	l4[4] = 0x66, l4[5] = 0x66, l4[6] = 0x00, l4[7] = 0x01;        /* verification tag */
	for (size_t i = 0; i < nc; i++) {
		size_t len = 16 + c[i].n, pad = (4 - len % 4) % 4;
		uint8_t *h = l4 + o;
		h[0] = 0, h[1] = 0x03, h[2] = (uint8_t)(len >> 8), h[3] = (uint8_t)len;  /* DATA, B|E */
		h[4] = (uint8_t)(tsn >> 24), h[5] = (uint8_t)(tsn >> 16), h[6] = (uint8_t)(tsn >> 8), h[7] = (uint8_t)tsn;
		tsn++;
		h[8] = 0, h[9] = 1, h[10] = 0, h[11] = (uint8_t)i;      /* stream 1, seq */
		h[12] = (uint8_t)(c[i].ppid >> 24), h[13] = (uint8_t)(c[i].ppid >> 16);
		h[14] = (uint8_t)(c[i].ppid >> 8), h[15] = (uint8_t)c[i].ppid;
		memcpy(h + 16, c[i].p, c[i].n);
		memset(h + len, 0, pad);
		o += len + pad;
	}
	uint32_t crc = crc32c(l4, o);
	memcpy(l4 + 8, &crc, 4);        /* CRC32c goes in little-endian byte order */
	frame(w, ts_us, f, 132, l4, o, -1);
}
