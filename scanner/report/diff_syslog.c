/* diff --syslog: the diff's summary and each new high-risk device as RFC
 * 5424 messages to the local syslog socket, so that a SIEM sees them.
 *
 *   <PRI>1 TIMESTAMP HOSTNAME originscan PID MSGID [SD-ELEMENT] MSG
 *
 * MSGID "diff" (one message: scan ids and counts in [diff@32473 ...]) and
 * "new-high-risk" (one per device: its identity in [device@32473 ...]).
 * Facility user; severity notice for the summary of a diff with
 * differences (info without), warning for a new high-risk device.
 * 32473 is the private enterprise number RFC 5612 sets aside for
 * documentation: the SD-IDs are ours, not registered ones.
 *
 * The socket is /dev/log, or $ORIGINSCAN_SYSLOG_SOCKET (tests listen on
 * their own). Device strings are untrusted: in SD-PARAM values '"', '\'
 * and ']' are escaped as RFC 5424 says, and control bytes and bytes that
 * are not UTF-8 become the text \xNN, so one device cannot end a
 * message, forge a parameter or split a line in the receiver's log file;
 * each value is cut to 256 bytes, keeping every message well under the
 * 8 KB a datagram to /dev/log may safely carry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "report_int.h"
#include "util.h"

#define SD_PEN "32473"
#define VALUE_MAX 256
#define FAC_USER 1
enum { SEV_WARNING = 4, SEV_NOTICE = 5, SEV_INFO = 6 };

/* Text as RFC 5424 PARAM-VALUE (escaped) or MSG (not), at most VALUE_MAX
 * bytes of it. */
static void text(struct buf *b, const char *s, int param)
{
	char cut[VALUE_MAX + 1];
	s = report_cut(s ? s : "", cut, VALUE_MAX);
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t n = p[i] < 0x80 ? 1 : os_utf8_len(p + i, len - i);
		if (p[i] < 0x20 || p[i] == 0x7f || !n) {
			buf_printf(b, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (param && (p[i] == '"' || p[i] == '\\' || p[i] == ']'))
			buf_addc(b, '\\');
		buf_add(b, p + i, n);
		i += n;
	}
}

static void param(struct buf *b, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	buf_printf(b, " %s=\"", name);
	text(b, v, 1);
	buf_addc(b, '"');
}

static void param_int(struct buf *b, const char *name, long long v)
{
	buf_printf(b, " %s=\"%lld\"", name, v);
}

/* HEADER up to MSGID, with a space after */
static void header(struct buf *b, int severity, const char *msgid)
{
	char host[256] = "-", ts[64];
	struct timespec now;
	struct tm tm;
	if (gethostname(host, sizeof host - 1) < 0 || !*host)
		strcpy(host, "-");
	host[sizeof host - 1] = 0;
	for (char *h = host; *h; h++)   /* HOSTNAME is PRINTUSASCII */
		if (*h <= ' ' || *h > '~')
			*h = '-';
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(b, "<%d>1 %s.%06ldZ %.255s originscan %ld %s ", FAC_USER * 8 + severity, ts,
	           (long)(now.tv_nsec / 1000), host, (long)getpid(), msgid);
}

struct sender {
	const struct diff *d;
	int fd;
	const char *path;
	char *err;
	size_t errlen;
	int64_t sent;
};

static int send_msg(struct sender *s, const struct buf *b)
{
	if (send(s->fd, b->p, b->len, 0) < 0) {
		os_seterr(s->err, s->errlen, "--syslog: sending to %s failed (%s)", s->path, strerror(errno));
		return -1;
	}
	s->sent++;
	return 0;
}

static int device_msg(void *ctx, const struct diff_dev *x, const struct diff_pair *p, const char *how)
{
	struct sender *s = ctx;
	const struct diff *d = s->d;
	struct buf b = {0};
	(void)p;
	header(&b, SEV_WARNING, "new-high-risk");
	buf_adds(&b, "[device@" SD_PEN);
	param_int(&b, "old_scan", d->old.id);
	param_int(&b, "new_scan", d->new.id);
	param(&b, "policy", d->policy->id);
	param(&b, "how", how);
	param(&b, "identity", x->identity);
	param(&b, "address", x->address);
	param(&b, "vendor", x->vendor);
	param(&b, "vendor_name", x->vendor_name);
	param(&b, "model", x->model);
	param(&b, "firmware", x->firmware);
	param(&b, "domain", x->domain);
	param(&b, "site", x->site);
	param(&b, "operator", x->operator_name);
	param_int(&b, "confidence", x->confidence);
	buf_adds(&b, "] new high-risk device ");
	text(&b, x->address && *x->address ? x->address : x->identity, 0);
	buf_adds(&b, ": ");
	text(&b, x->vendor_name ? x->vendor_name : x->vendor, 0);
	if (x->model && *x->model) {
		buf_addc(&b, ' ');
		text(&b, x->model, 0);
	}
	buf_printf(&b, " (%s, policy %s)", how, d->policy->id);
	int rc = send_msg(s, &b);
	buf_free(&b);
	return rc;
}

int diff_send_syslog(const struct diff *d, char *err, size_t errlen)
{
	const char *path = getenv("ORIGINSCAN_SYSLOG_SOCKET");
	if (!path || !*path)
		path = "/dev/log";
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path) {
		os_seterr(err, errlen, "--syslog: socket path %s is too long", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		os_seterr(err, errlen, "--syslog: cannot reach the syslog socket %s (%s)", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct sender s = {d, fd, path, err, errlen, 0};
	int64_t add_hr = 0, rem_hr = 0;
	for (size_t i = 0; i < d->nadded; i++)
		add_hr += d->added[i].high_risk;
	for (size_t i = 0; i < d->nremoved; i++)
		rem_hr += d->removed[i].high_risk;

	struct buf b = {0};
	header(&b, diff_count(d) ? SEV_NOTICE : SEV_INFO, "diff");
	buf_adds(&b, "[diff@" SD_PEN);
	param_int(&b, "old_scan", d->old.id);
	param_int(&b, "new_scan", d->new.id);
	param(&b, "policy", d->policy->id);
	param_int(&b, "added", (long long)d->nadded);
	param_int(&b, "added_high_risk", add_hr);
	param_int(&b, "removed", (long long)d->nremoved);
	param_int(&b, "removed_high_risk", rem_hr);
	param_int(&b, "replaced", (long long)d->nreplaced);
	param_int(&b, "replaced_vendor_changed", d->replaced_vendor_changed);
	param_int(&b, "moved", (long long)d->nmoved);
	param_int(&b, "changed", (long long)d->nchanged);
	param_int(&b, "unchanged", d->unchanged);
	param_int(&b, "new_high_risk", d->new_high_risk);
	param_int(&b, "high_risk_gone", d->gone_high_risk);
	buf_printf(&b, "] scan %lld -> scan %lld: %zu added (%lld high-risk), %zu removed (%lld high-risk), "
	               "%zu replaced, %zu moved, %zu changed; %lld new high-risk, %lld high-risk gone",
	           (long long)d->old.id, (long long)d->new.id, d->nadded, (long long)add_hr, d->nremoved,
	           (long long)rem_hr, d->nreplaced, d->nmoved, d->nchanged, (long long)d->new_high_risk,
	           (long long)d->gone_high_risk);
	int rc = send_msg(&s, &b);
	buf_free(&b);

	if (!rc)
		rc = diff_each_new_high_risk(d, device_msg, &s);
	close(fd);
	return rc;
}
