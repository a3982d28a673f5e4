/* The passive collector's dissectors for bytes an active collector read
 * (include/banner.h). Each call builds the packet context the frame path
 * would have built for the server's side of the connection (the server's
 * address, the protocol's well-known port, since dissectors such as
 * telnet's and ssh's read the port), and hands the bytes to the
 * dissector; a stateful row (telnet's) reads it as one connection
 * (app_session: opened, read, flushed), as a capture does from the
 * SYN-ACK to the end. No state beyond the fact
 * table of the reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "banner.h"
#include "pcap_int.h"
#include "util.h"

struct banner_reader {
	struct fact_sink *fs;
};

struct banner_reader *banner_reader_new(struct ev_sink *out, const char *collector)
{
	struct banner_reader *br = xcalloc(1, sizeof *br);
	/* a reader sees a few facts per service: a small table */
	br->fs = fact_sink_new(out, 1u << 18, 1);
	br->fs->collector = collector;
	return br;
}

void banner_reader_free(struct banner_reader *br)
{
	if (!br)
		return;
	fact_sink_free(br->fs);
	free(br);
}

uint64_t banner_facts(const struct banner_reader *br)
{
	return br->fs->facts;
}

static int server_ctx(struct banner_reader *br, struct pkt_ctx *ctx, int family, const uint8_t *addr,
                      uint16_t port, const char *source)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->ts_us = os_now_us();
	ctx->family = family;
	memcpy(ctx->src_ip_raw, addr, family == AF_INET ? 4 : 16);
	if (ev_ip_text(family, addr, ctx->src_ip, sizeof ctx->src_ip) < 0)
		return -1;
	ctx->l4 = IPPROTO_TCP;
	ctx->sport = port;
	ctx->dport = 1;         /* the client's side: any port but the server's */
	ctx->source = source;
	ctx->facts = br->fs;
	return 0;
}

static int result(dis_result r)
{
	return r == DIS_OK ? 1 : r == DIS_MALFORMED ? -1 : 0;
}

int banner_read(struct banner_reader *br, enum banner_proto p, int family, const uint8_t *addr,
                const uint8_t *bytes, size_t n, const char *source)
{
	struct pkt_ctx ctx;
	struct cur c = cur_make(bytes, n);
	if (!n)
		return 0;
	/* what the bytes plainly are wins over the port's protocol */
	if (cur_starts(&c, "SSH-", 4))
		p = BANNER_SSH;
	else if (cur_starts(&c, "HTTP/1.", 7))
		p = BANNER_HTTP;
	switch (p) {
	case BANNER_SSH:
		if (server_ctx(br, &ctx, family, addr, 22, source) < 0)
			return -1;
		return result(dis_ssh(&c, &ctx));
	case BANNER_HTTP:
		if (server_ctx(br, &ctx, family, addr, 80, source) < 0)
			return -1;
		return result(dis_http(&c, &ctx));
	case BANNER_TELNET: {
		if (server_ctx(br, &ctx, family, addr, 23, source) < 0)
			return -1;
		/* the flush writes the banner with the table's source */
		snprintf(br->fs->source, sizeof br->fs->source, "%s", source ? source : "");
		const struct app_proto *telnet = app_proto_find("telnet");
		dis_result r = telnet ? app_session(telnet, &c, &ctx) : DIS_NOT_MINE;
		return result(r);
	}
	}
	return 0;
}

int banner_certificate(struct banner_reader *br, int family, const uint8_t *addr, const uint8_t *der, size_t n,
                       const char *source)
{
	struct pkt_ctx ctx;
	if (!n || server_ctx(br, &ctx, family, addr, 443, source) < 0)
		return -1;
	tls_cert_facts(&ctx, ctx.src_ip, der, n);
	return 0;
}
