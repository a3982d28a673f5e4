/* The store, on either backend (tests/unit/testdb.h: SQLite, or the
 * PostgreSQL server of tests/with_pg.sh): scan lifecycle, binary-safe
 * evidence, typed verdicts read back byte for byte, scans made of parts
 * (declared, completed in any order by separate processes, interrupted,
 * resumed, re-run), refusal of databases that are not ours or are
 * newer, and a process killed in the middle of a scan (its part and scan
 * must never look complete). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "store.h"
#include "testdb.h"
#include "util.h"

/* A scan of one part, begun. */
static int begin1(struct store *st, const char *command, const char *request, const char *kb, int64_t *id)
{
	struct scan_decl d = {.command = command, .request_json = request, .kb_version = kb};
	return store_begin_scan(st, &d, NULL, PART_NEW, id);
}

struct collect {
	int n;
	int saw_nul;
	char last_key[64];
};

static int on_ev(void *ctx, const struct evidence *ev, int64_t id)
{
	struct collect *c = ctx;
	(void)id;
	c->n++;
	snprintf(c->last_key, sizeof c->last_key, "%s", ev->key);
	if (ev->value_len == 5 && !memcmp(ev->value, "a\0b\r\n", 5))
		c->saw_nul = 1;
	return 0;
}

static struct store *open_or_die(const char *spec)
{
	char err[512];
	struct store *st = store_open(spec, err, sizeof err);
	if (!st)
		fprintf(stderr, "open %s: %s\n", spec, err);
	return st;
}

static void test_lifecycle(void)
{
	char v[256];
	char *db = tdb_ready("life");
	struct store *st = db ? open_or_die(db) : NULL;
	CHECK(st != NULL);
	if (!st)
		return;
	int64_t id = 0;
	CHECK_INT(begin1(st, "snmp", "{\"targets\":[\"x\"]}", "kb-test", &id), 0);
	CHECK_INT(id, 1);
	/* committed as running at once */
	tdb_val(db, "select status from scans where id=1", v, sizeof v);
	CHECK_STR(v, "running");
	tdb_val(db, "select status from scan_parts where scan_id=1", v, sizeof v);
	CHECK_STR(v, "running");
	struct ev_sink *sk = store_sink(st, id);
	CHECK_INT(ev_emit(sk, "snmp", SUBJ_IP, "192.0.2.1", "sysDescr", "a\0b\r\n", 5, 1, "192.0.2.1:161"), 0);
	CHECK_INT(ev_emit_str(sk, "snmp", SUBJ_IP, "192.0.2.1", "sysName", "r1", 2, NULL), 0);
	CHECK_INT(sk->target(sk, "192.0.2.1", "answered", NULL, "default"), 0);
	CHECK_INT(sk->target(sk, "192.0.2.2", "unreachable", "no reply", NULL), 0);
	/* a second outcome for the same address replaces the first */
	CHECK_INT(sk->target(sk, "192.0.2.2", "unreachable", "no reply at all", NULL), 0);
	CHECK_INT(store_finish_scan(st, id, SCAN_COMPLETE, NULL), 0);
	struct collect c = {0};
	CHECK_INT(store_each_evidence(st, id, on_ev, &c), 0);
	CHECK_INT(c.n, 2);
	CHECK_INT(c.saw_nul, 1);
	struct scan_info si;
	CHECK_INT(store_scan_info(st, id, &si), 0);
	CHECK_INT(si.status, SCAN_COMPLETE);
	CHECK_INT(si.evidence_rows, 2);
	CHECK_INT(si.targets, 2);
	CHECK_INT(si.answered, 1);
	CHECK_INT(si.parts, 1);
	CHECK_INT(si.parts_complete, 1);
	CHECK_STR(si.kb_version, "kb-test");
	CHECK_STR(si.scope, "snmp:");
	scan_info_free(&si);
	int64_t latest;
	CHECK_INT(store_latest_scan(st, 1, &latest), 0);
	CHECK_INT(latest, 1);
	CHECK(store_scan_info(st, 99, &si) < 0);
	CHECK(strstr(store_errmsg(st), "no scan 99") != NULL);
	/* devices replace earlier verdicts in one transaction */
	struct device_row d = {.identity = "ip:192.0.2.1", .address = "192.0.2.1", .vendor = "huawei", .confidence = 80};
	CHECK_INT(store_devices_begin(st, id), 0);
	CHECK_INT(store_put_device(st, id, &d), 0);
	CHECK_INT(store_devices_end(st, 1), 0);
	CHECK_INT(store_devices_begin(st, id), 0);
	CHECK_INT(store_put_device(st, id, &d), 0);
	CHECK_INT(store_devices_end(st, 1), 0);
	tdb_val(db, "select count(*) from devices", v, sizeof v);
	CHECK_STR(v, "1");
	tdb_val(db, "select detail from targets where address='192.0.2.2'", v, sizeof v);
	CHECK_STR(v, "no reply at all");
	store_close(st);
	if (!tdb_pg) {
		/* WAL mode, our application id, schema version */
		tdb_val(db, "pragma journal_mode", v, sizeof v);
		CHECK_STR(v, "wal");
		tdb_val(db, "pragma application_id", v, sizeof v);
		CHECK_STR(v, "1330856782");
		tdb_val(db, "pragma user_version", v, sizeof v);
		CHECK_STR(v, "6");
	} else {
		tdb_val(db, "select value from originscan_meta where key='schema_version'", v, sizeof v);
		CHECK_STR(v, "6");
	}
	free(db);
}

/* Verdicts as typed rows: every string comes back byte for byte (bytes
 * that are not UTF-8 too), claims and components in order, walked with a
 * whole scan or looked up for a filtered one; a diff's order by identity
 * is byte order on both backends. */
struct seen {
	int n;
	char order[8][32];
	int claims_ok, comps_ok;
};

static int on_dev(void *ctx, const struct device_row *d)
{
	struct seen *s = ctx;
	if (s->n < 8)
		snprintf(s->order[s->n], sizeof s->order[0], "%s", d->identity);
	s->n++;
	if (!strcmp(d->identity, "ip:10.0.0.1")) {
		s->claims_ok = d->nclaims == 2 && !strcmp(d->claims[0].key, "sysDescr") &&
		               !strcmp(d->claims[0].value, "VRP \xff\xfe (NE40E)") && d->claims[0].weight == 90 &&
		               d->claims[0].evidence_id == 7 && !strcmp(d->claims[0].vendor, "huawei") &&
		               !strcmp(d->claims[1].key, "mac") && d->claims[1].vendor == NULL && d->claims[1].nic_only == 1;
		s->comps_ok = d->ncomponents == 1 && d->components[0].index == 17 && d->components[0].chassis == 1 &&
		              !strcmp(d->components[0].serial, "2102\xe9" "351") && !strcmp(d->components[0].vendor, "zte") &&
		              d->disputed == 1 && !strcmp(d->model, "NE40E \xc3\x28") && d->brand &&
		              !strcmp(d->brand, "hpe") && d->registry_only == 1 && d->possibly &&
		              !strcmp(d->possibly, "huawei zte");
	}
	return 0;
}

static void test_verdicts(void)
{
	char *db = tdb_ready("verdicts");
	struct store *st = db ? open_or_die(db) : NULL;
	CHECK(st != NULL);
	if (!st)
		return;
	int64_t id;
	CHECK_INT(begin1(st, "snmp", "{}", "k", &id), 0);
	CHECK_INT(store_finish_scan(st, id, SCAN_COMPLETE, NULL), 0);
	struct claim_row cl[2] = {
		{.key = "sysDescr", .value = "VRP \xff\xfe (NE40E)", .source = "snmp 10.0.0.1:161", .basis = "rule:vrp",
		 .vendor = "huawei", .name_seen = "Huawei", .model = "NE40E", .weight = 90, .evidence_id = 7},
		{.key = "mac", .value = "00:e0:fc:01:02:03", .source = "snmp", .basis = "oui", .name_seen = "Intel",
		 .weight = 10, .evidence_id = 8, .nic_only = 1},
	};
	struct component_row co[1] = {{.index = 17, .cls = 3, .chassis = 1, .name = "chassis", .mfg = "ZTE",
	                                .vendor = "zte", .serial = "2102\xe9" "351"}};
	/* identities whose byte order differs from a locale's order */
	struct device_row d[4] = {
		{.identity = "mac:\xc3\xa9", .confidence = 0},
		{.identity = "ip:10.0.0.1", .vendor = "huawei", .model = "NE40E \xc3\x28", .confidence = 90, .disputed = 1,
		 .brand = "hpe", .registry_only = 1, .possibly = "huawei zte",
		 .claims = cl, .nclaims = 2, .components = co, .ncomponents = 1},
		{.identity = "Zz", .vendor = "cisco", .confidence = 60},
		{.identity = "a", .vendor = "cisco", .confidence = 60},
	};
	CHECK_INT(store_devices_begin(st, id), 0);
	for (int i = 0; i < 4; i++)
		CHECK_INT(store_put_device(st, id, &d[i]), 0);
	CHECK_INT(store_devices_end(st, 1), 0);
	struct seen s = {0};
	struct device_filter f = {.scan_id = id, .verdict = DEV_VERDICT_PARTS};
	CHECK_INT(store_each_device_q(st, &f, on_dev, &s), 0);
	CHECK_INT(s.n, 4);
	CHECK_INT(s.claims_ok, 1);
	CHECK_INT(s.comps_ok, 1);
	/* a filtered list looks each device's parts up */
	memset(&s, 0, sizeof s);
	const char *ven[] = {"huawei"};
	f.vendors = ven;
	f.nvendors = 1;
	CHECK_INT(store_each_device_q(st, &f, on_dev, &s), 0);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.claims_ok, 1);
	CHECK_INT(s.comps_ok, 1);
	/* identity order is byte order */
	struct device_filter g = {.scan_id = id, .order = DEV_ORDER_IDENTITY};
	struct device_cursor *cur = store_device_cursor(st, &g);
	CHECK(cur != NULL);
	struct device_row r;
	int n = 0;
	const char *want[] = {"Zz", "a", "ip:10.0.0.1", "mac:\xc3\xa9"};
	while (cur && store_device_next(cur, &r) == 1 && n < 4)
		CHECK_STR(r.identity, want[n++]);
	CHECK_INT(n, 4);
	store_device_cursor_close(cur);
	/* counts kept per attribution */
	struct scan_info si;
	CHECK_INT(store_scan_info(st, id, &si), 0);
	CHECK_INT(si.devices, 4);
	CHECK_INT(si.attributed, 3);
	scan_info_free(&si);
	store_close(st);
	free(db);
}

/* A scan of two parts, each begun, written and finished on its own: the
 * scan completes only with the last; an interrupted part keeps it
 * incomplete; a re-run part drops what it had stored, a resumed one keeps
 * it. */
static void test_parts(void)
{
	char *db = tdb_ready("parts");
	struct store *st = db ? open_or_die(db) : NULL;
	CHECK(st != NULL);
	if (!st)
		return;
	const char *parts[] = {"paris", "lyon"};
	struct scan_decl dcl = {.command = "scan", .request_json = "{}", .kb_version = "k", .name = "nightly-1",
	                        .scope = "plan:nightly", .parts = parts, .nparts = 2};
	int64_t id, id2, pa, pl;
	int created = -1, ready = -1;
	CHECK_INT(store_declare_scan(st, &dcl, &id, &created), 0);
	CHECK_INT(created, 1);
	/* a second declaration of the same name meets the same scan */
	CHECK_INT(store_declare_scan(st, &dcl, &id2, &created), 0);
	CHECK_INT(created, 0);
	CHECK_INT(id2, id);
	/* ... unless it declares something else */
	const char *other[] = {"paris"};
	struct scan_decl bad = dcl;
	bad.parts = other;
	bad.nparts = 1;
	CHECK(store_declare_scan(st, &bad, &id2, &created) < 0);
	CHECK(strstr(store_errmsg(st), "lyon") != NULL);
	CHECK(store_begin_part(st, id, "marseille", NULL, PART_NEW, &pa) < 0);
	CHECK(strstr(store_errmsg(st), "no part 'marseille'") != NULL);

	struct part_prov prov = {.site = "paris", .collector_host = "col-paris", .kb_version = "k"};
	CHECK_INT(store_begin_part(st, id, "paris", &prov, PART_NEW, &pa), 0);
	struct ev_sink *sk = store_sink(st, id);
	for (int i = 0; i < 10; i++) {
		char a[32];
		snprintf(a, sizeof a, "10.1.0.%d", i);
		ev_emit_str(sk, "snmp", SUBJ_IP, a, "sysName", "p", 1, a);
		sk->target(sk, a, "answered", NULL, "default");
	}
	CHECK_INT(store_finish_part(st, pa, SCAN_COMPLETE, NULL, &ready), 0);
	CHECK_INT(ready, 0);
	struct scan_info si;
	CHECK_INT(store_scan_info(st, id, &si), 0);
	CHECK_INT(si.status, SCAN_RUNNING);
	CHECK_INT(si.parts, 2);
	CHECK_INT(si.parts_complete, 1);
	scan_info_free(&si);
	/* a complete part is not begun again */
	CHECK(store_begin_part(st, id, "paris", NULL, PART_RERUN, &pa) < 0);
	CHECK(strstr(store_errmsg(st), "complete") != NULL);

	/* lyon: interrupted after 5 rows, the scan with it */
	CHECK_INT(store_begin_part(st, id, "lyon", NULL, PART_NEW, &pl), 0);
	sk = store_sink(st, id);
	for (int i = 0; i < 5; i++) {
		char a[32];
		snprintf(a, sizeof a, "10.2.0.%d", i);
		ev_emit_str(sk, "snmp", SUBJ_IP, a, "sysName", "l", 1, a);
	}
	CHECK_INT(store_finish_part(st, pl, SCAN_INTERRUPTED, "stopped by a signal", &ready), 0);
	CHECK_INT(ready, 2);     /* every part ended, not all complete: what is there may be attributed */
	CHECK_INT(store_scan_info(st, id, &si), 0);
	CHECK_INT(si.status, SCAN_INTERRUPTED);
	CHECK(si.note && strstr(si.note, "part lyon: stopped by a signal"));
	scan_info_free(&si);
	int64_t latest = -1;
	CHECK_INT(store_latest_scan(st, 1, &latest), 0);
	CHECK_INT(latest, 0);
	/* begun as new, it is refused; resumed, it keeps its 5 rows */
	CHECK(store_begin_part(st, id, "lyon", NULL, PART_NEW, &pl) < 0);
	CHECK_INT(store_begin_part(st, id, "lyon", NULL, PART_RESUME, &pl), 0);
	struct part_info pi;
	CHECK_INT(store_part_info(st, id, "lyon", &pi), 0);
	CHECK_INT(pi.evidence_rows, 5);
	CHECK_INT(pi.status, SCAN_RUNNING);
	part_info_free(&pi);
	CHECK_INT(store_finish_part(st, pl, SCAN_FAILED, "collector snmp lyon: boom", &ready), 0);
	/* re-run: from scratch */
	CHECK_INT(store_begin_part(st, id, "lyon", NULL, PART_RERUN, &pl), 0);
	CHECK_INT(store_part_info(st, id, "lyon", &pi), 0);
	CHECK_INT(pi.evidence_rows, 0);
	part_info_free(&pi);
	sk = store_sink(st, id);
	ev_emit_str(sk, "snmp", SUBJ_IP, "10.2.0.1", "sysName", "l", 1, "10.2.0.1");
	CHECK_INT(store_finish_part(st, pl, SCAN_COMPLETE, NULL, &ready), 0);
	CHECK_INT(ready, 1);
	CHECK_INT(store_finish_scan(st, id, SCAN_COMPLETE, NULL), 0);
	CHECK_INT(store_scan_info(st, id, &si), 0);
	CHECK_INT(si.status, SCAN_COMPLETE);
	CHECK_INT(si.evidence_rows, 11);
	CHECK_INT(si.targets, 10);
	CHECK_STR(si.name, "nightly-1");
	scan_info_free(&si);
	CHECK_INT(store_part_info(st, id, "paris", &pi), 0);
	CHECK_STR(pi.site, "paris");
	CHECK_STR(pi.collector_host, "col-paris");
	CHECK(pi.originscan_version && *pi.originscan_version);
	part_info_free(&pi);
	store_close(st);
	free(db);
}

/* Two processes write the two parts of one scan at the same time; each
 * completes its part, and exactly one of them is told the scan is
 * ready to attribute. */
static void test_parts_at_once(void)
{
	char *db = tdb_ready("atonce");
	struct store *st = db ? open_or_die(db) : NULL;
	CHECK(st != NULL);
	if (!st)
		return;
	const char *parts[] = {"shard-1-of-2", "shard-2-of-2"};
	struct scan_decl dcl = {.command = "snmp", .kb_version = "k", .parts = parts, .nparts = 2};
	int64_t id;
	CHECK_INT(store_declare_scan(st, &dcl, &id, NULL), 0);
	store_close(st);
	int pipes[2][2];
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		if (pipe(pipes[k]) < 0)
			return;
		kids[k] = fork();
		if (kids[k] == 0) {
			char err[512];
			close(pipes[k][0]);
			struct store *s = store_open(db, err, sizeof err);
			int64_t part;
			int ready = 0;
			if (!s || store_begin_part(s, id, parts[k], NULL, PART_NEW, &part) < 0)
				_exit(2);
			struct ev_sink *sk = store_sink(s, id);
			for (int i = 0; i < 20000; i++) {
				char a[32];
				snprintf(a, sizeof a, "10.%d.%d.%d", k, i / 256, i % 256);
				if (ev_emit_str(sk, "snmp", SUBJ_IP, a, "sysName", "x", 1, a) < 0)
					_exit(3);
			}
			if (store_finish_part(s, part, SCAN_COMPLETE, NULL, &ready) < 0) {
				fprintf(stderr, "child %d: %s\n", k, store_errmsg(s));
				_exit(4);
			}
			char b = ready ? 'R' : 'n';
			if (write(pipes[k][1], &b, 1) != 1)
				_exit(5);
			store_close(s);
			_exit(0);
		}
		close(pipes[k][1]);
	}
	int readies = 0;
	for (int k = 0; k < 2; k++) {
		char b = 0;
		CHECK_INT(read(pipes[k][0], &b, 1), 1);
		readies += b == 'R';
		int status;
		waitpid(kids[k], &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		close(pipes[k][0]);
	}
	CHECK_INT(readies, 1);
	char v[64];
	tdb_val(db, "select count(*) from evidence", v, sizeof v);
	CHECK_STR(v, "40000");
	tdb_val(db, "select count(*) from scan_parts where status='complete'", v, sizeof v);
	CHECK_STR(v, "2");
	free(db);
}

static void test_refusals_sqlite(void)
{
	char err[512], v[64];
	char *other = xasprintf("%s/other.db", tdb_dir);
	sqlite3 *h;
	sqlite3_open(other, &h);
	sqlite3_exec(h, "create table payroll(x); insert into payroll values(42);", NULL, NULL, NULL);
	sqlite3_close(h);
	CHECK(store_open(other, err, sizeof err) == NULL);
	CHECK(strstr(err, "not an originscan database") != NULL);
	tdb_val(other, "select x from payroll", v, sizeof v);
	CHECK_STR(v, "42");       /* untouched */
	tdb_val(other, "pragma journal_mode", v, sizeof v);
	CHECK_STR(v, "delete");   /* we did not even switch it to WAL */

	char *text = xasprintf("%s/notes.txt", tdb_dir);
	FILE *f = fopen(text, "w");
	fputs("this is not a database, it is a text file with enough bytes to look like one\n", f);
	fclose(f);
	CHECK(store_open(text, err, sizeof err) == NULL);
	CHECK(strstr(err, "not an originscan database") != NULL);

	char *newer = xasprintf("%s/newer.db", tdb_dir);
	struct store *st = store_open(newer, err, sizeof err);
	int64_t id;
	begin1(st, "snmp", "{}", "k", &id);
	store_finish_scan(st, id, SCAN_COMPLETE, NULL);
	store_close(st);
	sqlite3_open(newer, &h);
	sqlite3_exec(h, "pragma user_version=999", NULL, NULL, NULL);
	sqlite3_close(h);
	CHECK(store_open(newer, err, sizeof err) == NULL);
	CHECK(strstr(err, "newer originscan") != NULL);
	tdb_val(newer, "select status from scans where id=1", v, sizeof v);
	CHECK_STR(v, "complete");

	char *d = xasprintf("%s/adir", tdb_dir);
	mkdir(d, 0755);
	CHECK(store_open(d, err, sizeof err) == NULL);
	CHECK(strstr(err, "directory") != NULL);

	/* read-only opens never create */
	char *missing = xasprintf("%s/typo.db", tdb_dir);
	CHECK(store_open_flags(missing, STORE_READ, err, sizeof err) == NULL);
	CHECK(access(missing, F_OK) != 0);
	free(other), free(text), free(newer), free(d), free(missing);
}

static void test_refusals_pg(void)
{
	char err[512], v[64];
	/* another program's database: refused, untouched */
	char *other = tdb_new("payroll");
	tdb_pg_val("payroll", "create table payroll(x int); insert into payroll values(42)", NULL, 0);
	CHECK(store_open(other, err, sizeof err) == NULL);
	CHECK(strstr(err, "not an originscan database") != NULL);
	int created = -1;
	CHECK(store_init(other, &created, err, sizeof err) < 0);
	CHECK(strstr(err, "another program") != NULL);
	tdb_pg_val("payroll", "select x from payroll", v, sizeof v);
	CHECK_STR(v, "42");
	tdb_pg_val("payroll", "select count(*) from pg_tables where schemaname='public'", v, sizeof v);
	CHECK_STR(v, "1");
	/* an empty database: db init first */
	char *empty = tdb_new("empty");
	CHECK(store_open(empty, err, sizeof err) == NULL);
	CHECK(strstr(err, "db init") != NULL);
	CHECK_INT(store_init(empty, &created, err, sizeof err), 0);
	CHECK_INT(created, 1);
	CHECK_INT(store_init(empty, &created, err, sizeof err), 0);  /* again: nothing to do */
	CHECK_INT(created, 0);
	struct store *st = store_open(empty, err, sizeof err);
	CHECK(st != NULL);
	store_close(st);
	/* newer than us */
	tdb_pg_val("empty", "update originscan_meta set value='999' where key='schema_version'", NULL, 0);
	CHECK(store_open(empty, err, sizeof err) == NULL);
	CHECK(strstr(err, "newer originscan") != NULL);
	/* a password in the URI: refused, and never echoed */
	char *withpw = xasprintf("postgresql://alice:s3cretPW@127.0.0.1:1/x");
	CHECK(store_open(withpw, err, sizeof err) == NULL);
	CHECK(strstr(err, "password") != NULL);
	CHECK(strstr(err, "s3cretPW") == NULL);
	free(withpw);
	withpw = xasprintf("postgresql://alice@127.0.0.1:1/x?password=s3cretPW");
	CHECK(store_open(withpw, err, sizeof err) == NULL);
	CHECK(strstr(err, "s3cretPW") == NULL);
	free(withpw);
	free(other), free(empty);
}

/* A process killed mid-scan (after some batches were committed, with a
 * batch pending): on the next open the part and the scan are
 * 'interrupted', the committed rows are there, nothing says 'complete'. */
static void test_killed(void)
{
	char v[64];
	char *db = tdb_ready("killed");
	int pipefd[2];
	if (!db || pipe(pipefd) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		char err[512];
		close(pipefd[0]);
		struct store *st = store_open(db, err, sizeof err);
		int64_t id;
		if (!st || begin1(st, "snmp", "{}", "k", &id) < 0)
			_exit(2);
		struct ev_sink *sk = store_sink(st, id);
		for (int i = 0; i < 12000; i++) {
			char subj[32];
			snprintf(subj, sizeof subj, "10.0.%d.%d", i / 256, i % 256);
			ev_emit_str(sk, "snmp", SUBJ_IP, subj, "sysName", "x", 1, NULL);
			if (i == 10999)
				store_commit(st);
		}
		if (write(pipefd[1], "k", 1) != 1)
			_exit(3);
		pause();        /* killed here, 1,000 rows uncommitted */
		_exit(0);
	}
	close(pipefd[1]);
	char b;
	CHECK_INT(read(pipefd[0], &b, 1), 1);
	close(pipefd[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* PostgreSQL ends the session of the dead client (and its lock) on
	 * its own time: wait for that, not for a fixed time */
	for (int i = 0; i < 300; i++) {
		char err[512];
		struct store *st = store_open(db, err, sizeof err);
		CHECK(st != NULL);
		if (st)
			store_close(st);
		tdb_val(db, "select status from scans where id=1", v, sizeof v);
		if (strcmp(v, "running"))
			break;
		usleep(100000);
	}
	CHECK_STR(v, "interrupted");
	tdb_val(db, "select status from scan_parts where scan_id=1", v, sizeof v);
	CHECK_STR(v, "interrupted");
	/* everything committed is there (a time-based batch commit may have
	 * saved some of the last rows too) */
	tdb_val(db, "select count(*) >= 11000 and count(*) <= 12000 from evidence", v, sizeof v);
	CHECK_STR(v, tdb_pg ? "t" : "1");
	tdb_val(db, "select count(*) from scans where status='complete'", v, sizeof v);
	CHECK_STR(v, "0");
	free(db);
}

int main(void)
{
	if (tdb_init() < 0)
		return 1;
	test_lifecycle();
	test_verdicts();
	test_parts();
	test_parts_at_once();
	if (tdb_pg)
		test_refusals_pg();
	else
		test_refusals_sqlite();
	test_killed();
	tdb_cleanup();
	CHECK_DONE();
}
