/* originscan demo: a lab of simulated devices (snmpsim on 127.0.1.x),
 * scanned into a fresh database, reported on, and checked against what
 * the lab really is. The recordings are compiled in (tests/lab/). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "outfile.h"
#include "report.h"
#include "snmp_collect.h"
#include "targets.h"
#include "util.h"

struct embedded_file {
	const char *name;
	const char *data;
	size_t len;
};
extern const struct embedded_file lab_files[];

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan demo [--db PATH] [--json FILE] [--port N] [--keep-lab]\n"
	        "\n"
	        "Starts snmpsim serving the built-in lab (Huawei NE40E and BTS3900, ZTE\n"
	        "ZXR10 and ZXA10 OLT, Nokia 7750 SR, Ericsson Router 6000, Cisco ASR 9000,\n"
	        "Juniper MX, a Linux host) on 127.0.1.1-127.0.1.9, scans it into a fresh\n"
	        "database, prints the text report, writes the JSON report, checks every\n"
	        "verdict against the lab, and stops the lab.\n"
	        "  --db PATH     database to (re)create (default ./originscan-demo.db;\n"
	        "                an existing file is replaced only if it is ours)\n"
	        "  --json FILE   JSON report (default ./originscan-demo-report.json)\n"
	        "  --port N      UDP port of the simulated agents (default 16161)\n"
	        "  --keep-lab    leave the lab running and print how to reach it\n");
}

static int write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

static void rm_tree(const char *dir)
{
	/* Only ever our own mkdtemp() directory. */
	if (strncmp(dir, "/tmp/originscan-lab-", 20))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		execlp("rm", "rm", "-rf", "--", dir, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static int null_emit(struct ev_sink *s, const struct evidence *ev)
{
	(void)s;
	(void)ev;
	return 0;
}

static int count_target(struct ev_sink *s, const char *a, const char *state, const char *d, const char *c)
{
	(void)a, (void)d, (void)c;
	if (!strcmp(state, "answered"))
		(*(int *)s->ctx)++;
	return 0;
}

/* Wait until every simulated agent answers (snmpsim indexes its data
 * first, which takes a moment). */
static int wait_ready(const struct target_set *ts, int want, pid_t sim)
{
	struct snmp_opts o;
	snmp_opts_defaults(&o);
	o.timeout_ms = 300;
	o.retries = 0;
	o.rate = 0;
	/* readiness only: the system group, no v3 discovery (snmpsim has none) */
	o.inventory = 0;
	o.discovery = 0;
	struct snmp_creds creds = {0};
	snmp_creds_add_community(&creds, "default", 2, "public");
	o.creds = &creds;
	char err[256];
	for (int i = 0; i < 100 && !os_stop; i++) {
		int answered = 0;
		struct ev_sink sink = {null_emit, count_target, &answered, 0};
		struct snmp_stats stats;
		if (snmp_sweep(ts, &o, &sink, &os_stop, &stats, err, sizeof err) < 0) {
			os_err("demo: %s", err);
			snmp_creds_free(&creds);
			return -1;
		}
		if (answered == want) {
			snmp_creds_free(&creds);
			return 0;
		}
		if (waitpid(sim, NULL, WNOHANG) == sim) {
			os_err("demo: snmpsimd exited at start-up (is port in use? see its log)");
			snmp_creds_free(&creds);
			return -1;
		}
		usleep(200000);
	}
	snmp_creds_free(&creds);
	os_err("demo: the simulated agents did not answer within 30 s");
	return -1;
}

static int remove_old_db(const char *path)
{
	struct stat sb;
	char err[512];
	if (stat(path, &sb) < 0)
		return 0;
	/* Replace the file only when it is an originscan database. */
	struct store *st = store_open(path, err, sizeof err);
	if (!st) {
		os_err("demo: %s; choose another --db", err);
		return -1;
	}
	store_close(st);
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	if (unlink(path) < 0) {
		os_err("demo: cannot replace %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Compare each device with tests/lab/expected.tsv. */
/* The report's device at one lab address (the device list is streamed). */
struct lab_find {
	const char *addr;
	int found;
	char vendor[64], cc[8];
};

static int lab_find_cb(void *ctx, const struct report_device *d)
{
	struct lab_find *f = ctx;
	if (!d->row->address || strcmp(d->row->address, f->addr))
		return 0;
	f->found = 1;
	snprintf(f->vendor, sizeof f->vendor, "%s", d->row->vendor ? d->row->vendor : "-");
	snprintf(f->cc, sizeof f->cc, "%s", d->row->jurisdiction ? d->row->jurisdiction : "-");
	return 1;
}

static int check_lab(const struct report *r, int port)
{
	const struct embedded_file *exp = NULL;
	for (const struct embedded_file *f = lab_files; f->name; f++)
		if (!strcmp(f->name, "expected.tsv"))
			exp = f;
	if (!exp)
		return 0;
	char *text = xstrndup(exp->data, exp->len), *save = NULL;
	int idx = 0, bad = 0, n = 0;
	(void)port;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (*line == '#' || !*line)
			continue;
		char file[64], vendor[64], cc[8];
		if (sscanf(line, "%63s %63s %7s", file, vendor, cc) != 3)
			continue;
		idx++;
		char addr[32];
		snprintf(addr, sizeof addr, "127.0.1.%d", idx);
		struct lab_find f = {addr, 0, "-", "-"};
		report_each_device(r, lab_find_cb, &f);
		const char *gv = f.vendor, *gc = f.cc;
		const int found = f.found;
		n++;
		if (!found || strcmp(gv, vendor) || strcmp(gc, cc)) {
			printf("lab check: %s (%s): expected %s/%s, got %s/%s\n", file, addr, vendor, cc, gv, gc);
			bad++;
		}
	}
	free(text);
	printf("lab check: %d of %d devices attributed as the lab really is\n", n - bad, n);
	return bad;
}

int cmd_demo(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", required_argument, NULL, 'j'},
		{"port", required_argument, NULL, 'p'},
		{"keep-lab", no_argument, NULL, 'k'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	const char *json_path = "originscan-demo-report.json";
	long port = 16161;
	int keep = 0, opt, rc = OS_EXIT_FAIL;
	char err[512];

	cli_common_init(&c);
	c.db = "originscan-demo.db";
	while ((opt = cli_next_opt(&c, argc, argv, "", longopts, help)) > 0) {
		switch (opt) {
		case 'j':
			json_path = optarg;
			break;
		case 'p':
			if (cli_int("--port", optarg, 1024, 65535, &port) < 0)
				return OS_EXIT_USAGE;
			break;
		case 'k':
			keep = 1;
			break;
		}
	}
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (optind < argc) {
		os_err("demo: unexpected argument '%s' (see originscan demo --help)", argv[optind]);
		return OS_EXIT_USAGE;
	}
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	if (remove_old_db(c.db) < 0)
		return OS_EXIT_FAIL;

	/* 1. the lab's files: one recording per simulated agent */
	char dir[] = "/tmp/originscan-lab-XXXXXX";
	if (!mkdtemp(dir)) {
		os_err("demo: cannot create a lab directory: %s", strerror(errno));
		return OS_EXIT_FAIL;
	}
	chmod(dir, 0755);
	char *data = xasprintf("%s/data", dir), *pub = xasprintf("%s/data/public", dir);
	char *cache = xasprintf("%s/cache", dir), *log = xasprintf("%s/snmpsimd.log", dir);
	mkdir(data, 0755);
	mkdir(pub, 0755);
	mkdir(cache, 0777);
	chmod(cache, 0777);
	int ndev = 0;
	struct buf args = {0};
	char **argvs = NULL;
	size_t nargs = 0;
#define ARG(s) (argvs = xrealloc(argvs, (nargs + 2) * sizeof *argvs), argvs[nargs++] = (s), argvs[nargs] = NULL)
	ARG("snmpsimd");
	ARG("--v2c-arch");
	ARG(xasprintf("--data-dir=%s", data));
	ARG(xasprintf("--cache-dir=%s", cache));
	ARG(xasprintf("--logging-method=file:%s", log));
	if (geteuid() == 0) {
		/* snmpsim will not run as root; let it drop to nobody */
		ARG("--process-user=nobody");
		ARG("--process-group=nogroup");
	}
	for (const struct embedded_file *f = lab_files; f->name; f++) {
		if (!strstr(f->name, ".snmprec"))
			continue;
		/* snmpsim picks the recording by the endpoint's transport id */
		char *path = xasprintf("%s/1.3.6.1.6.1.1.%d.snmprec", pub, ndev);
		if (write_file(path, f->data, f->len, 0644) < 0) {
			os_err("demo: cannot write %s: %s", path, strerror(errno));
			free(path);
			goto cleanup_dir;
		}
		free(path);
		ndev++;
		ARG(xasprintf("--agent-udpv4-endpoint=127.0.1.%d:%ld", ndev, port));
	}
	buf_free(&args);

	/* 2. start the simulator */
	cli_signals();
	pid_t sim = fork();
	if (sim < 0) {
		os_err("demo: fork: %s", strerror(errno));
		goto cleanup_dir;
	}
	if (sim == 0) {
		setpgid(0, 0);
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp("snmpsimd", argvs);
		_exit(127);
	}
	setpgid(sim, sim);
	usleep(100000);
	int status;
	if (waitpid(sim, &status, WNOHANG) == sim) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			os_err("demo: snmpsimd is not installed (Debian package snmpsim); run scripts/dev demo");
		else
			os_err("demo: snmpsimd stopped at once; see %s", log);
		goto cleanup_dir;
	}
	struct target_set ts;
	targets_init(&ts, (uint16_t)port);
	char range[64];
	snprintf(range, sizeof range, "127.0.1.1-127.0.1.%d", ndev);
	targets_add(&ts, range, err, sizeof err);
	if (os_verbosity > 0)
		fprintf(stderr, "originscan: demo lab: %d simulated agents on %s port %ld\n", ndev, range, port);
	if (wait_ready(&ts, ndev, sim) < 0)
		goto stop_sim;

	/* 3. scan into a fresh database, attribute, report */
	struct store *st = cli_store(&c);
	if (!st)
		goto stop_sim;
	int64_t scan;
	struct snmp_opts o;
	snmp_opts_defaults(&o);
	struct snmp_creds creds = {0};
	snmp_creds_add_community(&creds, "default", 2, "public");
	o.creds = &creds;
	o.progress = 0;
	size_t n = 0;
	struct snmp_stats stats;
	char *req = xasprintf("{\"targets\":[\"%s\"],\"port\":%ld,\"demo\":true}", range, port);
	struct scan_decl dd = {.command = "snmp", .request_json = req, .kb_version = kb_version(), .scope = "snmp demo"};
	if (store_begin_scan(st, &dd, NULL, PART_NEW, &scan) < 0) {
		os_err("%s", store_errmsg(st));
		free(req);
		snmp_creds_free(&creds);
		store_close(st);
		goto stop_sim;
	}
	free(req);
	int sw = snmp_sweep(&ts, &o, store_sink(st, scan), &os_stop, &stats, err, sizeof err);
	snmp_creds_free(&creds);
	enum scan_status sstat = sw == 0 ? SCAN_COMPLETE : sw > 0 ? SCAN_INTERRUPTED : SCAN_FAILED;
	if (scan_end(st, scan, c.as_of, &sstat, sw < 0 ? err : "stopped by a signal", &n) < 0 ||
	    sstat != SCAN_COMPLETE) {
		os_err("demo: the scan did not complete (%s)", scan_status_name(sstat));
		store_close(st);
		goto stop_sim;
	}
	struct report r;
	struct report_opts ro = {.as_of = c.as_of};
	if (report_build(st, scan, &ro, &r, err, sizeof err) < 0) {
		os_err("demo: %s", err);
		store_close(st);
		goto stop_sim;
	}
	report_render_text(&r, stdout);
	struct outfile jf;
	if (outfile_open(&jf, json_path, c.db, err, sizeof err) < 0 || report_render_json(&r, jf.f) < 0 ||
	    outfile_commit(&jf, err, sizeof err) < 0) {
		if (jf.f)
			outfile_abort(&jf);
		os_err("demo: cannot write %s", json_path);
		report_free(&r);
		store_close(st);
		goto stop_sim;
	}
	printf("\nJSON report: %s   database: %s\n", json_path, c.db);
	int bad = check_lab(&r, (int)port);
	report_free(&r);
	store_close(st);
	rc = bad ? OS_EXIT_DIFF : OS_EXIT_OK;
	if (keep) {
		printf("lab left running (pid %d): originscan snmp --port %ld %s ; stop it with kill -- -%d\n",
		       (int)sim, port, range, (int)sim);
		targets_free(&ts);
		goto free_args;
	}
stop_sim:
	targets_free(&ts);
	kill(-sim, SIGTERM);
	for (int i = 0; i < 50 && waitpid(sim, NULL, WNOHANG) == 0; i++)
		usleep(100000);
	kill(-sim, SIGKILL);
	waitpid(sim, NULL, 0);
cleanup_dir:
	rm_tree(dir);
free_args:
	free(data), free(pub), free(cache), free(log);
	for (size_t i = 0; i < nargs; i++)
		if (!strncmp(argvs[i], "--data-dir", 10) || !strncmp(argvs[i], "--cache-dir", 11) ||
		    !strncmp(argvs[i], "--logging", 9) || !strncmp(argvs[i], "--agent", 7))
			free(argvs[i]);
	free(argvs);
	return rc;
}
