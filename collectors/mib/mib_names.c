/* Names shared by the collectors: see include/mib_names.h. */
#include "mib_names.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "evidence.h"
#include "util.h"

static const char *const entity_cols[ENTITY_COL_LAST + 1] = {
	[2] = "Descr", [3] = "VendorType", [4] = "ContainedIn", [5] = "Class",
	[6] = "ParentRelPos", [7] = "Name", [8] = "HardwareRev", [9] = "FirmwareRev",
	[10] = "SoftwareRev", [11] = "SerialNum", [12] = "MfgName", [13] = "ModelName",
	[14] = "Alias", [15] = "AssetID", [16] = "IsFRU",
};

const char *entity_column_name(unsigned col)
{
	return col >= ENTITY_COL_FIRST && col <= ENTITY_COL_LAST ? entity_cols[col] : NULL;
}

const char *const lldp_caps_names[LLDP_CAPS_NAMED] = {
	"other", "repeater", "bridge", "wlan-ap", "router", "telephone",
	"docsis", "station", "c-vlan", "s-vlan", "two-port-mac-relay",
};

const char *const cdp_caps_names[CDP_CAPS_NAMED] = {
	"router", "trans-bridge", "source-route-bridge", "switch", "host", "igmp", "repeater", "phone", "remote",
};

void caps_text(struct buf *out, const char *const *names, unsigned nnames, const uint8_t *b, size_t n,
               int msb_first)
{
	buf_reset(out);
	for (size_t bit = 0; bit < n * 8; bit++) {
		size_t byte = msb_first ? bit / 8 : n - 1 - bit / 8;
		uint8_t mask = (uint8_t)(msb_first ? 0x80 >> (bit % 8) : 1 << (bit % 8));
		if (!(b[byte] & mask))
			continue;
		if (out->len)
			buf_addc(out, ',');
		if (bit < nnames)
			buf_adds(out, names[bit]);
		else
			buf_printf(out, "bit%zu", bit);
	}
}

void lldp_id_text(struct buf *out, int is_port, int subtype, const uint8_t *b, size_t n)
{
	static const char *const chassis_kind[] = {"hex", "chassis", "ifalias", "port", "mac", "ip", "if", "local"};
	static const char *const port_kind[] = {"hex", "ifalias", "port", "mac", "ip", "if", "circuit", "local"};
	const char *kind = subtype >= 0 && subtype <= 7 ? (is_port ? port_kind : chassis_kind)[subtype] : "hex";
	int printable = n > 0;
	buf_reset(out);
	if (subtype == (is_port ? 3 : 4) && n == 6) {
		char m[18];
		ev_mac_text(b, m);
		buf_printf(out, "mac:%s", m);
		return;
	}
	if (subtype == (is_port ? 4 : 5) && n >= 1) {
		char a[64];
		/* IANA address family first: 1 IPv4, 2 IPv6 */
		if ((b[0] == 1 && n == 5 && inet_ntop(AF_INET, b + 1, a, sizeof a)) ||
		    (b[0] == 2 && n == 17 && inet_ntop(AF_INET6, b + 1, a, sizeof a))) {
			buf_printf(out, "ip:%s", a);
			return;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (b[i] < 0x20 || b[i] >= 0x7f)
			printable = 0;
	if (printable && strcmp(kind, "hex") && strcmp(kind, "mac") && strcmp(kind, "ip")) {
		buf_printf(out, "%s:", kind);
		for (size_t i = 0; i < n; i++)
			if (b[i] == '\\')
				buf_adds(out, "\\x5c");
			else
				buf_addc(out, (char)b[i]);
		return;
	}
	buf_adds(out, "hex:");
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%02x", b[i]);
}

void name_subject_text(struct buf *out, const uint8_t *b, size_t n)
{
	/* as the capture collector's CDP dissector names the subject */
	buf_reset(out);
	buf_adds(out, "name:");
	for (size_t i = 0; i < n && out->len + 5 < NAME_SUBJECT_MAX + 1; i++) {
		if (b[i] < 0x20 || b[i] >= 0x7f || b[i] == '\\')
			buf_printf(out, "\\x%02x", b[i]);
		else
			buf_addc(out, (char)b[i]);
	}
	if (out->len > NAME_SUBJECT_MAX) {
		out->len = NAME_SUBJECT_MAX;
		out->p[out->len] = 0;
	}
}
