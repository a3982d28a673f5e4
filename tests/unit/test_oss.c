/* The OSS export reader.
 *
 *   test_oss                   the checks below (documents built here)
 *   test_oss dump FILE [PLMN]  every row as "subject<TAB>key<TAB>value", then
 *                              "#stats ..." and "#error ..." lines; exit 0 read
 *                              to the end, 2 stopped early (the integration
 *                              test tests/integration/oss_export.sh drives it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "oss.h"
#include "util.h"

struct rows {
	struct buf b;
	int n;
};

static int collect(struct ev_sink *s, const struct evidence *ev)
{
	struct rows *r = s->ctx;
	buf_printf(&r->b, "%s\t%s\t%.*s\n", ev->subject, ev->key, (int)ev->value_len, (const char *)ev->value);
	r->n++;
	return 0;
}

static int dump(const char *path, const char *plmn)
{
	struct rows r = {0};
	struct ev_sink s = {.emit = collect, .ctx = &r};
	struct oss_opts o = {.plmn = plmn, .seen_us = 1};
	struct oss_stats st;
	int rc = oss_read_file(path, &o, &s, &st);
	if (r.b.len)
		fwrite(r.b.p, 1, r.b.len, stdout);
	printf("#stats format=%s oss-vendor=%s elements=%llu with-id=%llu functions=%llu cells=%llu units=%llu "
	       "offset=%llu failed=%d\n",
	       st.format, st.oss_vendor, (unsigned long long)st.elements, (unsigned long long)st.with_id,
	       (unsigned long long)st.functions, (unsigned long long)st.cells, (unsigned long long)st.units,
	       (unsigned long long)st.offset, st.failed);
	if (rc < 0)
		printf("#error %s\n", st.error);
	buf_free(&r.b);
	return rc < 0 ? 2 : 0;
}

static const char doc[] =
	"<?xml version=\"1.0\"?>\n"
	"<bulkCmConfigDataFile xmlns=\"http://www.3gpp.org/ftp/specs/archive/32_series/32.615#configData\" "
	"xmlns:xn=\"http://www.3gpp.org/ftp/specs/archive/32_series/32.625#genericNrm\" "
	"xmlns:en=\"http://www.3gpp.org/ftp/specs/archive/32_series/32.765#eutranNrm\">\n"
	"<fileHeader vendorName=\"Huawei\"/><configData><xn:SubNetwork id=\"R1\">\n"
	"<xn:ManagedElement id=\"A\"><xn:attributes><xn:vendorName>Huawei</xn:vendorName></xn:attributes>"
	"<en:ENBFunction id=\"1\"><en:attributes><en:eNBId>7</en:eNBId></en:attributes>"
	"<en:EUtranCellTDD id=\"c1\"><en:attributes><en:pLMNIdList><en:pLMNId><en:mcc>001</en:mcc>"
	"<en:mnc>01</en:mnc></en:pLMNId></en:pLMNIdList></en:attributes></en:EUtranCellTDD>"
	"</en:ENBFunction></xn:ManagedElement>\n"
	"<xn:ManagedElement id=\"B\"><en:ENBFunction id=\"1\"><en:attributes><en:eNBId>8</en:eNBId>"
	"</en:attributes></en:ENBFunction></xn:ManagedElement>\n"
	"</xn:SubNetwork></configData></bulkCmConfigDataFile>\n";

static struct oss_stats read_doc(const char *d, size_t n, const char *plmn, struct rows *r, int *rc)
{
	struct ev_sink s = {.emit = collect, .ctx = r};
	struct oss_opts o = {.plmn = plmn, .seen_us = 1};
	struct oss_stats st;
	*rc = oss_read_mem(d, n, "doc", &o, &s, &st);
	return st;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "dump"))
		return dump(argv[2], argc > 3 ? argv[3] : NULL);

	/* the whole document: the PLMN of A's eNB comes from its cell, B has
	 * none and gets the one given */
	struct rows r = {0};
	int rc;
	struct oss_stats st = read_doc(doc, sizeof doc - 1, "999-99", &r, &rc);
	CHECK(rc == 0);
	CHECK(st.elements == 2 && st.with_id == 2 && st.cells == 1);
	CHECK(strstr(r.b.p, "enb:001-01:macro:7\toss.vendor-name\tHuawei\n") != NULL);
	CHECK(strstr(r.b.p, "enb:001-01:macro:7\toss.export-vendor\tHuawei\n") != NULL);
	CHECK(strstr(r.b.p, "enb:001-01:macro:7\toss.cell\t4g EUtranCellTDD=c1\n") != NULL);
	CHECK(strstr(r.b.p, "enb:001-01:macro:7\toss.region\tR1\n") != NULL);
	CHECK(strstr(r.b.p, "enb:999-99:macro:8\toss.function\t4g ENBFunction=1\n") != NULL);
	buf_free(&r.b);

	/* without a PLMN, B is its DN and says why */
	memset(&r, 0, sizeof r);
	st = read_doc(doc, sizeof doc - 1, NULL, &r, &rc);
	CHECK(rc == 0 && st.with_id == 1);
	CHECK(strstr(r.b.p, "oss:SubNetwork=R1,ManagedElement=B\toss.problem\tENBFunction=1: eNBId 8 without a PLMN") != NULL);
	buf_free(&r.b);

	/* cut anywhere in a document of ten elements: never an element cut
	 * short, every one that ended a few hundred bytes before the cut (the
	 * reader stops at the first error with its look-ahead undelivered),
	 * the stop reported with its offset */
	struct buf big = {0};
	size_t ends[10];
	buf_adds(&big, "<bulkCmConfigDataFile><configData><SubNetwork id=\"R\">\n");
	for (int i = 0; i < 10; i++) {
		buf_printf(&big, "<ManagedElement id=\"%d\"><attributes><userLabel>", i);
		for (int k = 0; k < 40; k++)
			buf_adds(&big, "padding padding padding padding padding ");
		buf_printf(&big, "</userLabel></attributes><ENBFunction id=\"1\"><attributes><eNBId>%d</eNBId>"
		                 "</attributes></ENBFunction></ManagedElement>\n", i + 1);
		ends[i] = big.len - 1;
	}
	buf_adds(&big, "</SubNetwork></configData></bulkCmConfigDataFile>\n");
	for (size_t cut = 0; cut < big.len - 2; cut += 13) {
		memset(&r, 0, sizeof r);
		st = read_doc(big.p, cut, "001-01", &r, &rc);
		uint64_t most = 0, least = 0;
		for (int i = 0; i < 10; i++) {
			most += ends[i] <= cut;
			least += ends[i] + 1024 <= cut;
		}
		CHECK(rc < 0 && st.failed && st.error[0]);
		if (st.elements > most || st.elements < least) {
			fprintf(stderr, "cut at %zu: %llu elements, want %llu..%llu (%s)\n", cut,
			        (unsigned long long)st.elements, (unsigned long long)least, (unsigned long long)most, st.error);
			CHECK(0);
		}
		char want[64];
		snprintf(want, sizeof want, "truncated at byte %zu:", cut);
		if (cut > 0 && !strstr(st.error, want)) {
			fprintf(stderr, "cut at %zu: \"%s\"\n", cut, st.error);
			CHECK(0);
		}
		buf_free(&r.b);
	}
	buf_free(&big);

	/* refusals */
	static const struct {
		const char *d, *want;
	} bad[] = {
		{"<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><raml/>", "DTD internal subset"},
		{"<!-- c --><!ENTITY x \"y\"><raml/>", "markup declaration outside any DTD"},
		{"<?xml version=\"1.0\"?>\n<MOs xmlns=\"urn:x\"/>", "root element is <MOs> in namespace \"urn:x\""},
		{"", "no XML element at all (empty file)"},
		{"<raml><cmData><managedObject class=\"MRBTS\" distName=\"PLMN-PLMN/MRBTS-1\">&x;</managedObject>"
		 "</cmData></raml>", "bad XML"},
	};
	for (size_t i = 0; i < OS_ARRAY_LEN(bad); i++) {
		memset(&r, 0, sizeof r);
		st = read_doc(bad[i].d, strlen(bad[i].d), NULL, &r, &rc);
		if (rc == 0 || !strstr(st.error, bad[i].want)) {
			fprintf(stderr, "bad[%zu]: rc %d error \"%s\", want \"%s\"\n", i, rc, st.error, bad[i].want);
			CHECK(0);
		}
		buf_free(&r.b);
	}
	CHECK_DONE();
}
