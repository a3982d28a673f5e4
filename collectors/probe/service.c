/* What each kind of service is asked, and how much of its answer is read.
 *
 *   ssh     nothing is sent; the identification string (RFC 4253 4.2) is
 *           read up to its line end (lines a server may send before it
 *           too)
 *   telnet  the server's option requests are refused (DO -> WONT, WILL ->
 *           DONT), nothing else is sent; its text is read until it ends
 *           in a login prompt (':', '>', '#'), the buffer is full or the
 *           server stops
 *   http    one "HEAD / HTTP/1.1" with Host and Connection: close; the
 *           status line and headers are read
 *   https   a TLS handshake through OpenSSL's libssl (any version the
 *           library allows, no verification: we want the name, not
 *           trust), the server certificate kept, then the same HEAD over
 *           TLS
 * Nothing here parses what the service says beyond finding where it ends
 * (a line end, a blank line, telnet commands to refuse); the bytes go to
 * the passive collector's dissectors (include/banner.h) at the close.
 */
#include "probe_int.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

enum { PH_HANDSHAKE = 0, PH_REQUEST, PH_READ };

/* ---------- TLS ---------- */

int tls_init(struct prober *p, char *err, size_t errlen)
{
	int tls = 0;
	for (size_t i = 0; i < p->o->nports; i++)
		tls |= p->o->ports[i].kind == PROBE_HTTPS;
	if (!tls)
		return 0;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		os_seterr(err, errlen, "cannot set up TLS (OpenSSL)");
		return -1;
	}
	/* Old management interfaces speak old TLS with weak keys: we read
	 * their certificate, we trust nothing, so every version and cipher
	 * the library has is offered and nothing is verified. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_min_proto_version(ctx, 0);
	SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	p->tls = ctx;
	return 0;
}

void tls_done(struct prober *p)
{
	SSL_CTX_free(p->tls);
	p->tls = NULL;
}

void tls_free(struct conn *c)
{
	if (c->ssl)
		SSL_free(c->ssl);
	c->ssl = NULL;
}

static void tls_problem(struct prober *p, struct conn *c, const char *what)
{
	char e[200] = "", msg[300];
	unsigned long code = ERR_get_error();
	if (code)
		ERR_error_string_n(code, e, sizeof e);
	ERR_clear_error();
	snprintf(msg, sizeof msg, "%u/%s: %s%s%s", c->port, probe_kind_name(c->kind), what, e[0] ? ": " : "", e);
	probe_emit(p, c, "probe.problem", msg);
	c->problem_said = 1;
}

/* What OpenSSL wants next as epoll events; 0 on a real failure. */
static uint32_t tls_wants(SSL *ssl, int r)
{
	int e = SSL_get_error(ssl, r);
	return e == SSL_ERROR_WANT_READ ? EPOLLIN : e == SSL_ERROR_WANT_WRITE ? EPOLLOUT : 0;
}

/* ---------- building and sending the request ---------- */

static void http_request(struct conn *c)
{
	int n = snprintf(c->req, sizeof c->req,
	                 "HEAD / HTTP/1.1\r\nHost: %s%s%s\r\nUser-Agent: originscan\r\nAccept: */*\r\n"
	                 "Connection: close\r\n\r\n",
	                 c->h->family == AF_INET6 ? "[" : "", c->h->t.addr, c->h->family == AF_INET6 ? "]" : "");
	c->reqlen = n > 0 && (size_t)n < sizeof c->req ? (size_t)n : 0;
	c->wrote = 0;
}

/* Send what is left of the request: 1 all out, 0 later, -1 failed. */
static int send_request(struct prober *p, struct conn *c)
{
	while (c->wrote < c->reqlen) {
		ssize_t n;
		if (c->ssl) {
			int r = SSL_write(c->ssl, c->req + c->wrote, (int)(c->reqlen - c->wrote));
			if (r <= 0) {
				uint32_t w = tls_wants(c->ssl, r);
				if (!w)
					return -1;
				probe_watch(p, c, w);
				return 0;
			}
			n = r;
		} else {
			n = send(c->fd, c->req + c->wrote, c->reqlen - c->wrote, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK) {
					probe_watch(p, c, EPOLLOUT);
					return 0;
				}
				return -1;
			}
		}
		c->wrote += (size_t)n;
	}
	return 1;
}

/* ---------- when is an answer complete ---------- */

static int has(const uint8_t *b, size_t n, const char *s)
{
	return memmem(b, n, s, strlen(s)) != NULL;
}

static int ssh_complete(const struct conn *c)
{
	/* an identification line, ended: "SSH-" at a line start, then LF */
	const uint8_t *p = c->buf, *end = c->buf + c->len;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return 0;
		if (nl - p >= 4 && !memcmp(p, "SSH-", 4))
			return 1;
		p = nl + 1;
	}
	return 0;
}

static int http_complete(const struct conn *c)
{
	return has(c->buf, c->len, "\r\n\r\n") || has(c->buf, c->len, "\n\n");
}

/* Telnet: refuse each option the server asks about (once per command
 * seen), and say whether the text so far ends in a login prompt. */
static int telnet_scan(struct conn *c)
{
	uint8_t reply[96];
	size_t rn = 0;
	size_t i = c->scanned;
	while (i < c->len) {
		if (c->buf[i] != 0xff) {
			i++;
			continue;
		}
		if (i + 1 >= c->len)
			break;                          /* the rest comes later */
		uint8_t cmd = c->buf[i + 1];
		if (cmd >= 251 && cmd <= 254) {         /* WILL WONT DO DONT */
			if (i + 2 >= c->len)
				break;
			uint8_t opt = c->buf[i + 2];
			if ((cmd == 251 || cmd == 253) && rn + 3 <= sizeof reply) {
				reply[rn++] = 0xff;
				reply[rn++] = cmd == 253 ? 252 : 254;   /* DO -> WONT, WILL -> DONT */
				reply[rn++] = opt;
			}
			i += 3;
		} else if (cmd == 250) {                /* subnegotiation, up to IAC SE */
			const uint8_t *se = memmem(c->buf + i + 2, c->len - i - 2, "\xff\xf0", 2);
			if (!se)
				break;
			i = (size_t)(se - c->buf) + 2;
		} else
			i += 2;
	}
	c->scanned = i;
	if (rn)
		(void)send(c->fd, reply, rn, MSG_NOSIGNAL | MSG_DONTWAIT);
	/* the last printable byte, commands skipped */
	int last = 0;
	for (size_t k = 0; k < c->scanned; k++) {
		uint8_t b = c->buf[k];
		if (b == 0xff && k + 1 < c->scanned) {
			uint8_t cmd = c->buf[k + 1];
			if (cmd >= 251 && cmd <= 254)
				k += 2;
			else if (cmd == 250) {
				while (k + 1 < c->scanned && !(c->buf[k] == 0xff && c->buf[k + 1] == 0xf0))
					k++;
				k++;
			} else
				k++;
			continue;
		}
		if (b > 0x20 && b < 0x7f)
			last = b;
	}
	return last == ':' || last == '>' || last == '#';
}

/* ---------- the steps ---------- */

static int tls_step(struct prober *p, struct conn *c)
{
	if (c->phase == PH_HANDSHAKE) {
		int r = SSL_connect(c->ssl);
		if (r != 1) {
			uint32_t w = tls_wants(c->ssl, r);
			if (!w) {
				tls_problem(p, c, "TLS handshake failed");
				return 1;
			}
			probe_watch(p, c, w);
			return 0;
		}
		X509 *x = SSL_get_peer_certificate(c->ssl);
		if (x) {
			unsigned char *der = NULL;
			int n = i2d_X509(x, &der);
			if (n > 0)
				probe_certificate(p, c, der, (size_t)n);
			OPENSSL_free(der);
			X509_free(x);
		}
		c->phase = PH_REQUEST;
		http_request(c);
	}
	if (c->phase == PH_REQUEST) {
		int r = send_request(p, c);
		if (r <= 0)
			return r < 0;
		c->phase = PH_READ;
	}
	for (;;) {
		if (c->len >= sizeof c->buf)
			return 1;
		int r = SSL_read(c->ssl, c->buf + c->len, (int)(sizeof c->buf - c->len));
		if (r <= 0) {
			uint32_t w = tls_wants(c->ssl, r);
			if (!w)
				return 1;       /* closed, or broken: what came is what we have */
			probe_watch(p, c, w);
			return 0;
		}
		c->len += (size_t)r;
		if (http_complete(c))
			return 1;
	}
}

int svc_start(struct prober *p, struct conn *c)
{
	switch (c->kind) {
	case PROBE_SSH:
	case PROBE_TELNET:
		return probe_watch(p, c, EPOLLIN) < 0;
	case PROBE_HTTP:
		http_request(c);
		c->phase = PH_REQUEST;
		return svc_io(p, c, EPOLLOUT);
	case PROBE_HTTPS:
		if (!p->tls || !(c->ssl = SSL_new(p->tls)) || !SSL_set_fd(c->ssl, c->fd))
			return 1;
		SSL_set_connect_state(c->ssl);
		c->phase = PH_HANDSHAKE;
		return tls_step(p, c);
	default:
		return 1;
	}
}

int svc_io(struct prober *p, struct conn *c, uint32_t events)
{
	if (c->kind == PROBE_HTTPS)
		return tls_step(p, c);
	if (c->kind == PROBE_HTTP && c->phase == PH_REQUEST) {
		int r = send_request(p, c);
		if (r <= 0)
			return r < 0;
		c->phase = PH_READ;
		return probe_watch(p, c, EPOLLIN) < 0;
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return 0;
	for (;;) {
		if (c->len >= sizeof c->buf)
			return 1;
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : 1;
		if (n == 0)
			return 1;
		c->len += (size_t)n;
		if ((c->kind == PROBE_SSH && ssh_complete(c)) || (c->kind == PROBE_HTTP && http_complete(c)) ||
		    (c->kind == PROBE_TELNET && telnet_scan(c)))
			return 1;
	}
}

void svc_finish(struct prober *p, struct conn *c)
{
	enum banner_proto bp = c->kind == PROBE_SSH ? BANNER_SSH : c->kind == PROBE_TELNET ? BANNER_TELNET
	                                                                                    : BANNER_HTTP;
	probe_banner(p, c, bp, c->buf, c->len);
}
