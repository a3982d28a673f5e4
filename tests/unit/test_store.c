/* The SQLite store: scan lifecycle, binary-safe evidence, refusal of
 * databases that are not ours or are newer, and a process killed in the
 * middle of a scan (its scan must never look complete). */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "store.h"
#include "util.h"

static char dir[] = "/tmp/originscan-store-XXXXXX";

static char *path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int sqlval(const char *db, const char *q, char *out, size_t outlen)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int rc = -1;
	out[0] = 0;
	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, q, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(s, 0);
			snprintf(out, outlen, "%s", t ? (const char *)t : "");
			rc = 0;
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return rc;
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

static void test_lifecycle(void)
{
	char err[512], v[256];
	char *db = path("life.db");
	struct store *st = store_open(db, err, sizeof err);
	CHECK(st != NULL);
	if (!st)
		return;
	int64_t id = 0;
	CHECK_INT(store_begin_scan(st, "snmp", "{\"targets\":[\"x\"]}", "kb-test", &id), 0);
	CHECK_INT(id, 1);
	/* committed as running at once */
	sqlval(db, "select status from scans where id=1", v, sizeof v);
	CHECK_STR(v, "running");
	struct ev_sink *sk = store_sink(st, id);
	CHECK_INT(ev_emit(sk, "snmp", SUBJ_IP, "192.0.2.1", "sysDescr", "a\0b\r\n", 5, 1, "192.0.2.1:161"), 0);
	CHECK_INT(ev_emit_str(sk, "snmp", SUBJ_IP, "192.0.2.1", "sysName", "r1", 2, NULL), 0);
	CHECK_INT(sk->target(sk, "192.0.2.1", "answered", NULL, "default"), 0);
	CHECK_INT(sk->target(sk, "192.0.2.2", "unreachable", "no reply", NULL), 0);
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
	CHECK_STR(si.kb_version, "kb-test");
	scan_info_free(&si);
	int64_t latest;
	CHECK_INT(store_latest_scan(st, 1, &latest), 0);
	CHECK_INT(latest, 1);
	CHECK(store_scan_info(st, 99, &si) < 0);
	CHECK(strstr(store_errmsg(st), "no scan 99") != NULL);
	/* devices replace earlier verdicts in one transaction */
	struct device_row d = {.identity = "ip:192.0.2.1", .address = "192.0.2.1", .vendor = "huawei",
	                       .confidence = 80, .verdict_json = "{}"};
	CHECK_INT(store_devices_begin(st, id), 0);
	CHECK_INT(store_put_device(st, id, &d), 0);
	CHECK_INT(store_devices_end(st, 1), 0);
	CHECK_INT(store_devices_begin(st, id), 0);
	CHECK_INT(store_put_device(st, id, &d), 0);
	CHECK_INT(store_devices_end(st, 1), 0);
	sqlval(db, "select count(*) from devices", v, sizeof v);
	CHECK_STR(v, "1");
	store_close(st);
	/* WAL mode, our application id, schema version */
	sqlval(db, "pragma journal_mode", v, sizeof v);
	CHECK_STR(v, "wal");
	sqlval(db, "pragma application_id", v, sizeof v);
	CHECK_STR(v, "1330856782");
	free(db);
}

static void test_refusals(void)
{
	char err[512], v[64];
	char *other = path("other.db");
	sqlite3 *h;
	sqlite3_open(other, &h);
	sqlite3_exec(h, "create table payroll(x); insert into payroll values(42);", NULL, NULL, NULL);
	sqlite3_close(h);
	CHECK(store_open(other, err, sizeof err) == NULL);
	CHECK(strstr(err, "not an originscan database") != NULL);
	sqlval(other, "select x from payroll", v, sizeof v);
	CHECK_STR(v, "42");       /* untouched */
	sqlval(other, "pragma journal_mode", v, sizeof v);
	CHECK_STR(v, "delete");   /* we did not even switch it to WAL */

	char *text = path("notes.txt");
	FILE *f = fopen(text, "w");
	fputs("this is not a database, it is a text file with enough bytes to look like one\n", f);
	fclose(f);
	CHECK(store_open(text, err, sizeof err) == NULL);
	CHECK(strstr(err, "not an originscan database") != NULL);

	char *newer = path("newer.db");
	struct store *st = store_open(newer, err, sizeof err);
	int64_t id;
	store_begin_scan(st, "snmp", "{}", "k", &id);
	store_finish_scan(st, id, SCAN_COMPLETE, NULL);
	store_close(st);
	sqlite3_open(newer, &h);
	sqlite3_exec(h, "pragma user_version=999", NULL, NULL, NULL);
	sqlite3_close(h);
	CHECK(store_open(newer, err, sizeof err) == NULL);
	CHECK(strstr(err, "newer originscan") != NULL);
	sqlval(newer, "select status from scans where id=1", v, sizeof v);
	CHECK_STR(v, "complete");

	char *d = path("adir");
	mkdir(d, 0755);
	CHECK(store_open(d, err, sizeof err) == NULL);
	CHECK(strstr(err, "directory") != NULL);
	free(other), free(text), free(newer), free(d);
}

/* A process killed mid-scan (after some batches were committed, with a
 * batch pending): on the next open the scan is 'interrupted', the
 * committed rows are there, and nothing says 'complete'. */
static void test_killed(void)
{
	char err[512], v[64];
	char *db = path("killed.db");
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		struct store *st = store_open(db, err, sizeof err);
		int64_t id;
		if (!st || store_begin_scan(st, "snmp", "{}", "k", &id) < 0)
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
	struct store *st = store_open(db, err, sizeof err);
	CHECK(st != NULL);
	if (st)
		store_close(st);
	sqlval(db, "select status from scans where id=1", v, sizeof v);
	CHECK_STR(v, "interrupted");
	/* everything committed is there (a time-based batch commit may have
	 * saved some of the last rows too) */
	sqlval(db, "select count(*) >= 11000 and count(*) <= 12000 from evidence", v, sizeof v);
	CHECK_STR(v, "1");
	sqlval(db, "select count(*) from scans where status='complete'", v, sizeof v);
	CHECK_STR(v, "0");
	free(db);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_lifecycle();
	test_refusals();
	test_killed();
	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not clean %s\n", dir);
	free(cmd);
	CHECK_DONE();
}
