/* The end every scan shares, whichever collector filled it: commit what
 * the collectors gave, record the end of this process's part, and when
 * that was the scan's last part, attribute the devices and record the
 * scan's final status. Commands call it when their collectors return;
 * nothing else completes a scan. */
#include <stdio.h>

#include "attrib.h"
#include "util.h"

int scan_end(struct store *st, int64_t scan, int as_of, enum scan_status *status, const char *note,
             size_t *ndev)
{
	char aerr[512];
	int ready = 0;
	*ndev = 0;
	if (store_commit(st) < 0) {
		os_err("%s", store_errmsg(st));
		*status = SCAN_FAILED;
		note = "could not store evidence";
	}
	int64_t part = store_part(st);
	if (part && store_finish_part(st, part, *status, *status == SCAN_COMPLETE ? NULL : note, &ready) < 0) {
		os_err("%s", store_errmsg(st));
		/* The failed transaction was rolled back, which may have freed
		 * room for the one-row update that says so. */
		*status = SCAN_FAILED;
		store_finish_part(st, part, SCAN_FAILED, "could not record the part's end", &ready);
		return -1;
	}
	if (part && ready == 0) {
		if (*status == SCAN_COMPLETE)
			*status = SCAN_RUNNING;         /* this part is complete; others are still to come */
		return 0;
	}
	if (*status != SCAN_COMPLETE || ready == 2) {
		/* every part has ended, not all complete: what was collected
		 * is attributed (a report can show it; a diff refuses it), and
		 * the scan stays as its parts left it */
		if (attribute_scan(st, scan, as_of, ndev, aerr, sizeof aerr) < 0)
			os_err("attribution: %s", aerr);
		if (*status == SCAN_COMPLETE)
			*status = SCAN_RUNNING;         /* this part is complete, the scan is not */
		return 0;
	}
	if (attribute_scan(st, scan, as_of, ndev, aerr, sizeof aerr) < 0) {
		os_err("attribution: %s", aerr);
		*status = SCAN_FAILED;
		note = "attribution failed";
	}
	if (store_finish_scan(st, scan, *status, *status == SCAN_COMPLETE ? NULL : note) < 0) {
		os_err("%s", store_errmsg(st));
		*status = SCAN_FAILED;
		store_finish_scan(st, scan, SCAN_FAILED, "could not record the scan's end");
		return -1;
	}
	return 0;
}

int scan_end_collected(struct store *st, int64_t scan, int collected, char *err, int as_of, size_t *ndev,
                       enum scan_status *status)
{
	*status = collected == 0 ? SCAN_COMPLETE : collected > 0 ? SCAN_INTERRUPTED : SCAN_FAILED;
	if (collected < 0)
		os_err("scan %lld: %s", (long long)scan, err);
	return scan_end(st, scan, as_of, status, collected > 0 ? "stopped by a signal" : collected < 0 ? err : NULL,
	                ndev);
}
