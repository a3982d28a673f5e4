/* Packet capture through libpcap: live interfaces and capture files
 * (pcap, pcapng, gzip-compressed either), into the frame path and the
 * fact tables, then out as evidence.
 *
 * Order of work (privilege as a state machine that only shrinks):
 * capture_open() opens every handle and sets the BPF filter while the
 * process may still hold CAP_NET_RAW; capture_loop() drops to the
 * configured user with no capabilities before reading the first packet.
 * Files are all opened before the drop too, so the unprivileged process
 * needs no access to them by path.
 *
 * Cost: libpcap's buffers per handle (live: 4 MB ring each), the tables
 * in facts.c/flow.c (bounded, see pcap_int.h), nothing per packet.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "capture.h"
#include "privdrop.h"
#include "pcap_int.h"
#include "util.h"

struct src {
	pcap_t *p;
	int dlt, live;
	char *iobuf;            /* a file's stdio buffer: freed after pcap_close */
	char name[300];         /* "file:PATH" / "iface:NAME": the evidence source */
};

/* Each file's stdio buffer: FILE_BUF, less when many files are open at
 * once (all are opened before the first packet), FILE_BUFS at most in
 * all; under 16 KB, stdio's own (4 KB). Larger than 128 KB reads no
 * faster: each refill then pushes the collector's tables out of the
 * CPU's cache. */
#define FILE_BUF (128 << 10)
#define FILE_BUFS (16 << 20)

struct capture {
	const struct capture_opts *o;
	struct src *src;
	size_t nsrc;
	struct fact_sink *fs;
	struct capture_stats *st;
	struct src *cur;
	double next_progress;
	uint64_t last_progress;         /* packets at the last progress line (lines mode) */
	int done;                       /* o->count packets read */
};

/* ---------- gzip: a FILE* over zlib for pcap_fopen_offline ---------- */

static ssize_t gz_read(void *cookie, char *buf, size_t n)
{
	int r = gzread(cookie, buf, n > (1u << 30) ? 1u << 30 : (unsigned)n);
	return r < 0 ? -1 : r;
}

static int gz_close(void *cookie)
{
	return gzclose(cookie) == Z_OK ? 0 : -1;
}

static pcap_t *open_file(const char *path, size_t nfiles, char **iobuf, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	unsigned char magic[2] = {0, 0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		os_seterr(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (S_ISDIR(sb.st_mode)) {
		os_seterr(err, errlen, "%s: is a directory", path);
		close(fd);
		return NULL;
	}
	ssize_t got = read(fd, magic, 2);
	if (got < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		os_seterr(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	FILE *f;
	if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		gzFile gz = gzdopen(fd, "rb");
		if (!gz) {
			os_seterr(err, errlen, "%s: cannot read it as gzip", path);
			close(fd);
			return NULL;
		}
		gzbuffer(gz, 256 * 1024);
		cookie_io_functions_t io = {gz_read, NULL, NULL, gz_close};
		f = fopencookie(gz, "r", io);
		if (!f) {
			gzclose(gz);
			os_seterr(err, errlen, "%s: %s", path, strerror(errno));
			return NULL;
		}
	} else if (!(f = fdopen(fd, "r"))) {
		os_seterr(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	/* libpcap freads each record's header and data: with stdio's default
	 * 4 KB buffer that is a read(2) every few packets. glibc ignores the
	 * size unless it is given the buffer too; the buffer must outlive
	 * the FILE. */
	size_t bufsz = FILE_BUFS / (nfiles ? nfiles : 1) < FILE_BUF ? FILE_BUFS / (nfiles ? nfiles : 1) : FILE_BUF;
	if (bufsz >= 16 * 1024) {
		*iobuf = xmalloc(bufsz);
		setvbuf(f, *iobuf, _IOFBF, bufsz);
	}
	__fsetlocking(f, FSETLOCKING_BYCALLER);         /* two freads a packet, one thread */
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (!p) {
		fclose(f);
		free(*iobuf);
		*iobuf = NULL;
		os_seterr(err, errlen, "%s: not a capture file we can read (pcap or pcapng, maybe gzipped): %s",
		          path, ebuf);
		return NULL;
	}
	return p;
}

static pcap_t *open_iface(const char *iface, int snaplen, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(iface, ebuf);
	if (!p) {
		os_seterr(err, errlen, "-i %s: %s", iface, ebuf);
		return NULL;
	}
	pcap_set_snaplen(p, snaplen > 0 ? snaplen : 262144);
	pcap_set_promisc(p, 1);
	pcap_set_timeout(p, 100);
	pcap_set_immediate_mode(p, 1);
	pcap_set_buffer_size(p, 4 << 20);
	int rc = pcap_activate(p);
	if (rc < 0) {
		if (rc == PCAP_ERROR_PERM_DENIED)
			os_seterr(err, errlen, "-i %s: permission denied: capture needs root or CAP_NET_RAW "
			          "(setcap cap_net_raw+ep on the binary)", iface);
		else if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			os_seterr(err, errlen, "-i %s: no such interface", iface);
		else
			os_seterr(err, errlen, "-i %s: %s", iface, pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	if (rc > 0)
		os_warn("-i %s: %s", iface, pcap_geterr(p));
	if (pcap_setnonblock(p, 1, ebuf) < 0) {
		os_seterr(err, errlen, "-i %s: %s", iface, ebuf);
		pcap_close(p);
		return NULL;
	}
	return p;
}

static int set_filter(pcap_t *p, const char *what, const char *filter, char *err, size_t errlen)
{
	struct bpf_program prog;
	if (!filter || !*filter)
		return 0;
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		os_seterr(err, errlen, "filter '%s': %s", filter, pcap_geterr(p));
		return -1;
	}
	int rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc < 0) {
		os_seterr(err, errlen, "%s: cannot set the filter: %s", what, pcap_geterr(p));
		return -1;
	}
	return 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nsrc; i++) {
		if (c->src[i].p)
			pcap_close(c->src[i].p);
		free(c->src[i].iobuf);
	}
	free(c->src);
	fact_sink_free(c->fs);
	free(c);
}

/* names[i] is one of names[0..i-1] */
static int named_before(const char *const *names, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (!strcmp(names[j], names[i]))
			return 1;
	return 0;
}

struct capture *capture_open(const struct capture_opts *o, char *err, size_t errlen)
{
	/* the user to become must exist: say so before anything is opened */
	if ((geteuid() == 0 || getuid() == 0) && !getpwnam(o->user && *o->user ? o->user : "nobody")) {
		os_seterr(err, errlen, "--user %s: no such user", o->user);
		return NULL;
	}
	struct capture *c = xcalloc(1, sizeof *c);
	c->o = o;
	c->src = xcalloc(o->nifaces + o->nfiles + 1, sizeof *c->src);
	for (size_t i = 0; i < o->nifaces; i++) {
		struct src *s = &c->src[c->nsrc];
		if (named_before(o->ifaces, i)) {
			/* read twice, every packet would count twice */
			os_warn("-i %s given more than once: read once", o->ifaces[i]);
			continue;
		}
		if (!(s->p = open_iface(o->ifaces[i], o->snaplen, err, errlen)))
			goto fail;
		c->nsrc++;
		s->live = 1;
		s->dlt = pcap_datalink(s->p);
		snprintf(s->name, sizeof s->name, "iface:%s", o->ifaces[i]);
		if (!link_supported(s->dlt)) {
			os_seterr(err, errlen, "-i %s: link type %s (%d) is not one originscan reads "
			          "(Ethernet, Linux cooked, raw IP, loopback)", o->ifaces[i], link_name(s->dlt), s->dlt);
			goto fail;
		}
		if (set_filter(s->p, s->name, o->filter, err, errlen) < 0)
			goto fail;
	}
	size_t skipped = 0;
	for (size_t i = 0; i < o->nfiles; i++) {
		struct src *s = &c->src[c->nsrc];
		if (named_before(o->files, i)) {
			os_warn("%s given more than once: read once", o->files[i]);
			continue;
		}
		if (!(s->p = open_file(o->files[i], o->nfiles, &s->iobuf, err, errlen)))
			goto fail;
		s->dlt = pcap_datalink(s->p);
		if (!link_supported(s->dlt)) {
			os_warn("%s: link type %s (%d) is not one originscan reads (Ethernet, Linux cooked, raw IP, "
			        "loopback): file skipped", o->files[i], link_name(s->dlt), s->dlt);
			pcap_close(s->p);
			s->p = NULL;
			free(s->iobuf);
			s->iobuf = NULL;
			skipped++;
			continue;
		}
		c->nsrc++;
		snprintf(s->name, sizeof s->name, "file:%s", o->files[i]);
		if (set_filter(s->p, o->files[i], o->filter, err, errlen) < 0)
			goto fail;
	}
	if (!c->nsrc) {
		os_seterr(err, errlen, skipped ? "nothing to read: every file was skipped"
		                               : "nothing to read: give -i IFACE or -r FILE");
		goto fail;
	}
	c->fs = fact_sink_new(NULL, 0, 0);
	return c;
fail:
	capture_close(c);
	return NULL;
}

int capture_check(const struct capture_opts *o, char *err, size_t errlen)
{
	if ((geteuid() == 0 || getuid() == 0) && !getpwnam(o->user && *o->user ? o->user : "nobody")) {
		os_seterr(err, errlen, "--user %s: no such user", o->user);
		return -1;
	}
	for (size_t i = 0; i < o->nifaces; i++)
		if (strcmp(o->ifaces[i], "any") && !if_nametoindex(o->ifaces[i])) {
			os_seterr(err, errlen, "-i %s: no such interface", o->ifaces[i]);
			return -1;
		}
	if (o->nifaces && o->filter && *o->filter) {
		/* the filter as the interfaces will compile it (Ethernet) */
		pcap_t *p = pcap_open_dead(DLT_EN10MB, o->snaplen > 0 ? o->snaplen : 262144);
		struct bpf_program prog;
		int rc = 0;
		if (p && pcap_compile(p, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			os_seterr(err, errlen, "filter '%s': %s", o->filter, pcap_geterr(p));
			rc = -1;
		} else if (p)
			pcap_freecode(&prog);
		if (p)
			pcap_close(p);
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < o->nfiles; i++) {
		char *iobuf = NULL;
		pcap_t *p = open_file(o->files[i], 0, &iobuf, err, errlen);
		if (!p)
			return -1;
		int rc = link_supported(pcap_datalink(p)) ? set_filter(p, o->files[i], o->filter, err, errlen) : 0;
		pcap_close(p);
		free(iobuf);            /* after the FILE it buffered */
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)user;
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	if (c->done)
		return;
	c->st->packets++;
	c->st->bytes += h->len;
	frame_dissect(c->fs, c->cur->dlt, bytes, h->caplen, h->len, ts, c->cur->name);
	if (c->o->count && c->st->packets >= c->o->count) {
		c->done = 1;
		pcap_breakloop(c->cur->p);
	}
}

static void progress(struct capture *c, int force)
{
	if (!c->o->progress)
		return;
	double now = os_mono();
	if (!force && now < c->next_progress)
		return;
	c->next_progress = now + 0.5;
	if (c->o->progress == 2) {
		/* a log, not a terminal: a line when something was read */
		if (c->st->packets == c->last_progress && !force)
			return;
		c->last_progress = c->st->packets;
		fprintf(stderr, "capture: %llu packets, %llu facts, %zu MACs\n", (unsigned long long)c->st->packets,
		        (unsigned long long)c->fs->facts, c->fs->nmacs);
		return;
	}
	fprintf(stderr, "\r%llu packets, %llu facts, %zu MACs ", (unsigned long long)c->st->packets,
	        (unsigned long long)c->fs->facts, c->fs->nmacs);
	if (force)
		fputc('\n', stderr);
}

static int read_files(struct capture *c, volatile sig_atomic_t *stop)
{
	for (size_t i = 0; i < c->nsrc && !*stop && !c->done; i++) {
		struct src *s = &c->src[i];
		if (s->live)
			continue;
		c->cur = s;
		snprintf(c->fs->source, sizeof c->fs->source, "%s", s->name);
		c->st->files++;
		int n = 0;
		while (!*stop && !c->done && (n = pcap_dispatch(s->p, 4096, on_packet, (u_char *)c)) > 0)
			progress(c, 0);
		if (!*stop && !c->done && n < 0)    /* a capture cut short (tcpdump killed): keep what was read */
			os_warn("%s: %s; the rest of the file is not read", s->name + 5, pcap_geterr(s->p));
	}
	return 0;
}

static int read_live(struct capture *c, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct pollfd *pf = xcalloc(c->nsrc, sizeof *pf);
	struct src **ps = xcalloc(c->nsrc, sizeof *ps);
	size_t n = 0;
	for (size_t i = 0; i < c->nsrc; i++)
		if (c->src[i].live) {
			pf[n].fd = pcap_get_selectable_fd(c->src[i].p);
			pf[n].events = POLLIN;
			ps[n++] = &c->src[i];
		}
	int rc = 0;
	double end = c->o->duration_s > 0 ? os_mono() + c->o->duration_s : 0;
	while (n && !*stop && !c->done) {
		double left = end ? end - os_mono() : 0.2;
		if (end && left <= 0)
			break;
		int r = poll(pf, n, (int)(1000 * (left < 0.2 ? left : 0.2)) + 1);
		if (r < 0 && errno != EINTR) {
			os_seterr(err, errlen, "poll: %s", strerror(errno));
			rc = -1;
			break;
		}
		/* with immediate mode a readable fd has packets; dispatch all
		 * handles anyway, some platforms' fds lie */
		for (size_t i = 0; i < n && !c->done; i++) {
			c->cur = ps[i];
			snprintf(c->fs->source, sizeof c->fs->source, "%s", ps[i]->name);
			if (pcap_dispatch(ps[i]->p, -1, on_packet, (u_char *)c) < 0 && !c->done) {
				os_seterr(err, errlen, "%s: %s", ps[i]->name + 6, pcap_geterr(ps[i]->p));
				rc = -1;
				break;
			}
		}
		if (rc)
			break;
		progress(c, 0);
	}
	/* stopped by a signal: what had arrived before it is read too (the
	 * handles do not block), so a stop loses nothing already received */
	for (size_t i = 0; i < n && *stop && !rc && !c->done; i++) {
		c->cur = ps[i];
		snprintf(c->fs->source, sizeof c->fs->source, "%s", ps[i]->name);
		pcap_dispatch(ps[i]->p, -1, on_packet, (u_char *)c);
	}
	for (size_t i = 0; i < n; i++) {
		struct pcap_stat ks;
		if (pcap_stats(ps[i]->p, &ks) == 0)
			c->st->kernel_drops += (uint64_t)ks.ps_drop + ks.ps_ifdrop;
	}
	free(pf);
	free(ps);
	return rc;
}

int capture_loop(struct capture *c, struct ev_sink *sink, volatile sig_atomic_t *stop,
                 struct capture_stats *st, char *err, size_t errlen)
{
	memset(st, 0, sizeof *st);
	/* the drop comes before the first packet, and is not optional */
	if (os_drop_privileges(c->o->user, err, errlen) < 0)
		return -1;
	double t0 = os_mono();
	c->st = st;
	c->fs->out = sink;
	dis_stats_reset();
	int rc = read_files(c, stop);
	if (rc == 0)
		rc = read_live(c, stop, err, errlen);
	fact_sink_flush(c->fs, os_now_us(), c->fs->source);
	progress(c, 1);
	st->seconds = os_mono() - t0;
	st->facts = c->fs->facts;
	st->facts_dropped = c->fs->dropped + c->fs->macs_dropped;
	st->devices = c->fs->nmacs;
	if (rc < 0)
		return -1;
	if (c->fs->emit_errors) {
		os_seterr(err, errlen, "%llu facts could not be stored", (unsigned long long)c->fs->emit_errors);
		return -1;
	}
	return *stop && !c->done ? 1 : 0;
}

int capture_run(const struct capture_opts *o, struct ev_sink *sink, volatile sig_atomic_t *stop,
                struct capture_stats *st, char *err, size_t errlen)
{
	struct capture *c = capture_open(o, err, errlen);
	if (!c)
		return -1;
	int rc = capture_loop(c, sink, stop, st, err, errlen);
	capture_close(c);
	return rc;
}

void capture_print_stats(FILE *out, const struct capture_stats *st)
{
	size_t n;
	const struct dis_stat *s = dis_stats(&n);
	fprintf(out, "  packets read        %llu (%llu bytes)\n", (unsigned long long)st->packets,
	        (unsigned long long)st->bytes);
	fprintf(out, "  dropped by kernel   %llu\n", (unsigned long long)st->kernel_drops);
	fprintf(out, "  facts               %llu distinct", (unsigned long long)st->facts);
	if (st->facts_dropped)
		fprintf(out, ", %llu over the table bounds", (unsigned long long)st->facts_dropped);
	fprintf(out, "\n  %-18s %12s %10s\n", "protocol", "parsed", "malformed");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-18s %12llu %10llu\n", s[i].proto, (unsigned long long)s[i].parsed,
		        (unsigned long long)s[i].malformed);
}
