/* originscan oss: read the operator's OSS configuration exports (3GPP
 * Bulk CM, Nokia RAML 2.0; plain or gzip) as one scan and attribute the
 * base stations they describe (collectors/oss). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "oss.h"
#include "privdrop.h"
#include "store.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan oss -r FILE [FILE...] [--plmn MCC-MNC] [--user NAME]\n"
	        "\n"
	        "Reads the radio network as the operator's OSS exports it (Ericsson ENM,\n"
	        "Nokia NetAct, Huawei U2020/MAE, ZTE UME): 3GPP Bulk CM files (TS 32.615,\n"
	        "with the Generic, E-UTRAN/NR and Inventory NRMs) and Nokia RAML 2.0\n"
	        "files, plain or gzip, streaming. Every base station becomes one device\n"
	        "named by its Global eNB/gNB ID, as the S1AP/NGAP dissectors name it, so\n"
	        "a capture of the same node joins it; its vendorName (the OSS's claim),\n"
	        "software versions and element types are attributed, its cells counted\n"
	        "and its hardware units listed as components. All files are one scan.\n"
	        "\n"
	        "  -r, --read FILE...     exports to read (the arguments after it are\n"
	        "                         files too); .gz or not, the content decides\n"
	        "  --plmn MCC-MNC         PLMN of ids the export gives none for\n"
	        "  --user NAME            run as root, become NAME (default nobody) once\n"
	        "                         the exports and the database are open, before a\n"
	        "                         byte of an export is parsed; capabilities are\n"
	        "                         dropped in any case\n"
	        "\n"
	        "A file that cannot be opened or is not a known format is refused before\n"
	        "the scan begins. A file cut short (or bad XML) keeps what was complete\n"
	        "before the cut, the other files are still read, and the scan is marked\n"
	        "failed with the file and byte offset. No DTD, entity or network access\n"
	        "is ever made. Exit status: 0 complete, 2 failed or refused, 64 usage,\n"
	        "130 interrupted.\n");
}

static int plmn_ok(const char *s)
{
	size_t n = strlen(s);
	return (n == 6 || n == 7) && strspn(s, "0123456789") == 3 && s[3] == '-' && strspn(s + 4, "0123456789") == n - 4;
}

int cmd_oss(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"read", required_argument, NULL, 'r'},
		{"plmn", required_argument, NULL, 'p'},
		{"no-progress", no_argument, NULL, 'P'},
		{"user", required_argument, NULL, 'U'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	const char **files = NULL;
	size_t nfiles = 0;
	struct oss_opts o;
	int opt;
	char err[512];
	const char *user = "nobody";

	cli_common_init(&c);
	memset(&o, 0, sizeof o);
	while ((opt = cli_next_opt(&c, argc, argv, "r:", longopts, help)) > 0) {
		switch (opt) {
		case 'r':
			files = xrealloc(files, (nfiles + 1) * sizeof *files);
			files[nfiles++] = optarg;
			break;
		case 'p':
			if (!plmn_ok(optarg)) {
				os_err("--plmn '%s': want MCC-MNC (3 digits, '-', 2 or 3 digits)", optarg);
				free(files);
				return OS_EXIT_USAGE;
			}
			o.plmn = optarg;
			break;
		case 'P':
			break;
		case 'U':
			user = optarg;
			break;
		}
	}
	if (opt < 0) {
		free(files);
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		if (!nfiles) {
			os_err("oss: '%s': give the exports with -r FILE (see originscan oss --help)", argv[i]);
			free(files);
			return OS_EXIT_USAGE;
		}
		files = xrealloc(files, (nfiles + 1) * sizeof *files);
		files[nfiles++] = argv[i];
	}
	if (!nfiles) {
		os_err("oss: nothing to read: give -r FILE (see originscan oss --help)");
		return OS_EXIT_USAGE;
	}
	int rc = OS_EXIT_FAIL;
	int *fds = NULL;
	struct store *st = NULL;
	char *req_s = NULL;
	/* The exports (an export may be readable by root alone) and the
	 * database are opened first, then the privileges go: every byte of an
	 * export is parsed as NAME. Then every file is checked to be a known
	 * format before anything is stored. */
	if (!(fds = oss_open_fds(files, nfiles, err, sizeof err))) {
		os_err("%s", err);
		goto out;
	}
	if (cli_kb(&c) < 0 || !(st = cli_store(&c)))
		goto out;
	if (os_drop_privileges(user, err, sizeof err) < 0) {
		os_err("%s", err);
		goto out;
	}
	if (oss_check_fds(files, fds, nfiles, err, sizeof err) < 0) {
		os_err("%s", err);
		goto out;
	}
	o.fds = fds;
	json_t *req = json_object(), *a = json_array();
	for (size_t k = 0; k < nfiles; k++)
		json_array_append_new(a, json_string(files[k]));
	json_object_set_new(req, "files", a);
	json_object_set_new(req, "plmn", o.plmn ? json_string(o.plmn) : json_null());
	req_s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	int64_t scan;
	struct cli_part pt = {0};
	struct scan_decl d = {.command = "oss", .request_json = req_s, .kb_version = kb_version()};
	if ((rc = cli_begin(st, &d, &pt, NULL, &scan)) != 0)
		goto out;
	rc = OS_EXIT_FAIL;
	cli_signals();
	o.stop = &os_stop;
	double t0 = os_mono();
	struct oss_stats s;
	int cr = oss_read_files(files, nfiles, &o, store_sink(st, scan), &s, err, sizeof err);
	size_t ndev = 0;
	enum scan_status status;
	if (scan_end_collected(st, scan, cr, err, c.as_of, &ndev, &status) < 0)
		goto out;
	if (os_verbosity > 0)
		fprintf(stderr,
		        "originscan: scan %lld %s: %zu files, %llu base stations (%llu with a Global ID), %llu cells, "
		        "%llu hardware units; %zu devices in %.1f s\n",
		        (long long)scan, scan_status_name(status), nfiles, (unsigned long long)s.elements,
		        (unsigned long long)s.with_id, (unsigned long long)s.cells, (unsigned long long)s.units, ndev,
		        os_mono() - t0);
	rc = cli_scan_exit(st, scan, status);
out:
	free(req_s);
	store_close(st);
	oss_close_fds(fds, nfiles);
	free(files);
	return rc;
}
