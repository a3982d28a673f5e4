/* Evidence helpers shared by collectors and the store. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "evidence.h"
#include "util.h"

static const char *const subj_names[SUBJ__COUNT] = {"none", "ip", "mac", "chassis", "serial",
                                                    "engine", "name"};

const char *subj_kind_name(enum subj_kind k)
{
	return (unsigned)k < SUBJ__COUNT ? subj_names[k] : "none";
}

enum subj_kind subj_kind_parse(const char *s)
{
	for (int i = 1; s && i < SUBJ__COUNT; i++)
		if (!strcmp(s, subj_names[i]))
			return (enum subj_kind)i;
	return SUBJ_NONE;
}

int ev_emit(struct ev_sink *s, const char *collector, enum subj_kind sk, const char *subject,
            const char *key, const void *value, size_t value_len, int64_t seen_us, const char *source)
{
	struct evidence ev = {collector, sk, subject, key, value, value_len, seen_us, source};
	return s->emit(s, &ev);
}

int ev_emit_str(struct ev_sink *s, const char *collector, enum subj_kind sk, const char *subject,
                const char *key, const char *value, int64_t seen_us, const char *source)
{
	return ev_emit(s, collector, sk, subject, key, value, strlen(value), seen_us, source);
}

void ev_mac_text(const uint8_t mac[6], char *out)
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
	         mac[5]);
}

int ev_ip_text(int family, const void *addr, char *out, size_t outlen)
{
	return inet_ntop(family, addr, out, (socklen_t)outlen) ? 0 : -1;
}

size_t ev_value_text(char *out, size_t outlen, const void *val, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = val;
	size_t o = 0, i = 0, room = outlen - 4;     /* for "..." and the NUL */
	int text = 1;
	for (size_t n; i < len && text; i += n) {
		n = p[i] ? os_utf8_len(p + i, len - i) : 0;
		text = n > 0;
	}
	i = 0;
	if (!text) {
		out[o++] = '0';
		out[o++] = 'x';
		for (; i < len && o + 2 <= room; i++) {
			out[o++] = hex[p[i] >> 4];
			out[o++] = hex[p[i] & 15];
		}
	} else
		for (size_t n; i < len; i += n) {
			n = os_utf8_len(p + i, len - i);
			if (o + n > room)
				break;      /* cut between characters, never inside one */
			if (p[i] == '\r' || p[i] == '\n' || p[i] == '\t')
				out[o++] = ' ';
			else {
				memcpy(out + o, p + i, n);
				o += n;
			}
		}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = 0;
	return o;
}
