/* originscan identify: attribute single facts offline, through the same
 * attribution path a scan's evidence takes (attrib_add_evidence).
 *
 *   originscan identify --kind KIND VALUE     one verdict (text, or --json)
 *   originscan identify -                     JSON lines {"kind","value"} in,
 *                                             one JSON line out per input
 *   originscan identify --kind KIND -         one raw value per line in
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "cli.h"
#include "kb.h"
#include "util.h"

/* identify's kinds and the evidence key a collector would have used */
static const struct {
	const char *kind;
	const char *key;
} kinds[] = {
	{"mac", "mac"},
	{"oid", "sysObjectID"},
	{"enterprise", "enterprise"},
	{"snmp-sysdescr", "sysDescr"},
	{"snmp-sysobjectid", "sysObjectID"},
	{"lldp-sysdesc", "lldp.sysdesc"},
	{"cdp-platform", "cdp.platform"},
	{"cdp-version", "cdp.version"},
	{"ssh-banner", "ssh.banner"},
	{"telnet-banner", "telnet.banner"},
	{"http-server", "http.server"},
	{"tls-subject", "tls.subject"},
	{"dhcp-vendor-class", "dhcp.vendor-class"},
	{"diameter-product", "diameter.product-name"},
	{"ran-node-name", "s1ap.enb-name"},
	{"manufacturer", "lldp.med.manufacturer"},
};

static int kind_index(const char *k)
{
	for (size_t i = 0; i < OS_ARRAY_LEN(kinds); i++)
		if (!strcmp(k, kinds[i].kind))
			return (int)i;
	return -1;
}

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan identify --kind KIND VALUE\n"
	        "       originscan identify -              (JSON lines {\"kind\":..,\"value\":..})\n"
	        "       originscan identify --kind KIND -  (one value per line)\n"
	        "\n"
	        "Attributes single facts with the built-in knowledge base, offline.\n"
	        "KIND: mac (any notation), oid (sysObjectID, leading dot optional),\n"
	        "      enterprise (IANA number), manufacturer (a maker's name), and the\n"
	        "      fingerprint kinds: snmp-sysdescr snmp-sysobjectid lldp-sysdesc\n"
	        "      cdp-platform cdp-version ssh-banner telnet-banner http-server\n"
	        "      tls-subject dhcp-vendor-class diameter-product ran-node-name\n"
	        "  --json     print the single verdict as a JSON line\n"
	        "  --escapes  VALUE uses C escapes (\\r \\n \\t \\\\ \\xHH) for multi-line text\n"
	        "\n"
	        "Output fields: kind value vendor vendor_name registrant parent group\n"
	        "jurisdiction product model firmware role function confidence basis.\n"
	        "A bad input line gets {\"line\":N,\"error\":...} and the rest go on;\n"
	        "the exit status is 1 if any line failed.\n");
}

static void field(struct buf *b, const char *name, const char *val, int first)
{
	if (!first)
		buf_addc(b, ',');
	buf_addc(b, '"');
	buf_adds(b, name);
	buf_adds(b, "\":");
	if (!val || !*val) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	buf_json_str(b, val, strlen(val));
	buf_addc(b, '"');
}

struct answer {
	const struct kb_vendor *vendor, *parent, *group;
	const char *registrant, *basis;
	struct verdict v;
};

/* Validate and attribute one fact; NULL error means ok. */
static const char *identify_one(int ki, const char *value, size_t len, int date, struct answer *a)
{
	static char why[256];
	uint8_t mac[6];
	uint32_t arcs[128];
	memset(a, 0, sizeof *a);
	verdict_init(&a->v);
	const char *kind = kinds[ki].kind;
	if (!strcmp(kind, "mac")) {
		char tmp[64];
		if (len >= sizeof tmp)
			return "malformed MAC address";
		memcpy(tmp, value, len);
		tmp[len] = 0;
		if (kb_mac_parse(os_trim(tmp), mac) < 0)
			return "malformed MAC address";
	} else if (!strcmp(kind, "oid") || !strcmp(kind, "snmp-sysobjectid")) {
		char tmp[1024];
		if (len >= sizeof tmp)
			return "malformed OID";
		memcpy(tmp, value, len);
		tmp[len] = 0;
		if (kb_oid_parse(os_trim(tmp), arcs, 128) < 0)
			return "malformed OID";
	} else if (!strcmp(kind, "enterprise")) {
		for (size_t i = 0; i < len; i++)
			if (value[i] < '0' || value[i] > '9')
				return "enterprise number must be decimal";
		if (!len || len > 10)
			return "enterprise number must be decimal";
	}
	struct evidence ev = {"identify", SUBJ_NONE, "", kinds[ki].key, value, len, 0, "identify"};
	attrib_add_evidence(&a->v, &ev, 0);
	attrib_decide(&a->v, date);
	a->vendor = kb_vendor(a->v.vendor);
	if (a->v.vendor >= 0) {
		a->parent = kb_vendor(kb_vendor_parent(a->v.vendor, date));
		a->group = kb_vendor(a->v.group);
	}
	/* the claim that decided (or the first that said anything) */
	const struct claim *best = NULL;
	for (size_t i = 0; i < a->v.nclaims; i++) {
		const struct claim *c = &a->v.claims[i];
		if (!best || (c->vendor == a->v.vendor && c->weight > best->weight) ||
		    (best->vendor != a->v.vendor && c->vendor == a->v.vendor))
			best = c;
	}
	if (best) {
		a->basis = best->basis;
		if (best->key && (!strcmp(best->key, "mac") || !strcmp(best->key, "sysObjectID") ||
		                  !strcmp(best->key, "enterprise") || !strcmp(best->key, "lldp.med.manufacturer")))
			a->registrant = best->name_seen;
	}
	if (!best && !strcmp(kind, "mac")) {
		struct kb_mac_hit hit;
		if (!kb_mac_lookup(mac, &hit)) {
			snprintf(why, sizeof why, "no vendor: %s", hit.why_none);
			a->basis = why;
		}
	}
	if (!a->basis)
		a->basis = "no rule or registry entry matched";
	return NULL;
}

static void answer_json(struct buf *b, const char *kind, const char *value, size_t len,
                        const struct answer *a)
{
	char conf[16];
	buf_adds(b, "{\"kind\":\"");
	buf_json_str(b, kind, strlen(kind));
	buf_adds(b, "\",\"value\":\"");
	buf_json_str(b, value, len);
	buf_addc(b, '"');
	field(b, "vendor", a->vendor ? a->vendor->id : NULL, 0);
	field(b, "vendor_name", a->vendor ? a->vendor->name : NULL, 0);
	field(b, "registrant", a->registrant, 0);
	field(b, "parent", a->parent ? a->parent->id : NULL, 0);
	field(b, "group", a->group ? a->group->id : NULL, 0);
	field(b, "jurisdiction", a->vendor ? a->vendor->country : NULL, 0);
	field(b, "product", a->v.product, 0);
	field(b, "model", a->v.model, 0);
	field(b, "firmware", a->v.firmware, 0);
	field(b, "role", a->v.role, 0);
	field(b, "function", a->v.function, 0);
	snprintf(conf, sizeof conf, "%d", a->v.confidence);
	buf_adds(b, ",\"confidence\":");
	buf_adds(b, conf);
	field(b, "basis", a->basis, 0);
	buf_adds(b, "}\n");
}

static void error_json(struct buf *b, long line, const char *msg)
{
	buf_printf(b, "{\"line\":%ld,\"error\":\"", line);
	buf_json_str(b, msg, strlen(msg));
	buf_adds(b, "\"}\n");
}

static void answer_text(const char *kind, const struct answer *a)
{
	const struct verdict *v = &a->v;
	printf("kind:         %s\n", kind);
	printf("vendor:       %s%s%s%s\n", a->vendor ? a->vendor->name : "unknown", a->vendor ? " (" : "",
	       a->vendor ? a->vendor->id : "", a->vendor ? ")" : "");
	if (a->registrant && *a->registrant)
		printf("registrant:   %s\n", a->registrant);
	if (a->parent)
		printf("parent:       %s (%s)\n", a->parent->name, a->parent->id);
	if (a->group && a->vendor && a->group != a->vendor)
		printf("group:        %s (%s)\n", a->group->name, a->group->id);
	if (a->vendor)
		printf("jurisdiction: %s%s%s\n", a->vendor->country,
		       kb_country_name(a->vendor->country) ? " " : "",
		       kb_country_name(a->vendor->country) ? kb_country_name(a->vendor->country) : "");
	if (*v->product)
		printf("product:      %s\n", v->product);
	if (*v->model)
		printf("model:        %s\n", v->model);
	if (*v->firmware)
		printf("firmware:     %s\n", v->firmware);
	if (*v->role)
		printf("role:         %s%s%s\n", v->role, *v->function ? " / " : "", v->function);
	printf("confidence:   %d\n", v->confidence);
	printf("basis:        %s\n", a->basis);
}

int cmd_identify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"json", no_argument, NULL, 'j'},
		{"escapes", no_argument, NULL, 'e'},
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct cli_common c;
	const char *kind = NULL;
	int json = 0, escapes = 0, opt;
	cli_common_init(&c);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "k:qvh", longopts, NULL)) != -1) {
		int r = cli_common_opt(&c, opt, optarg);
		if (r < 0)
			return OS_EXIT_USAGE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'h':
			help(stdout);
			return 0;
		case 'k':
			kind = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'e':
			escapes = 1;
			break;
		default:
			help(stderr);
			return OS_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		os_err("identify: give one VALUE, or - to read standard input (see --help)");
		return OS_EXIT_USAGE;
	}
	int ki = -1;
	if (kind && (ki = kind_index(kind)) < 0) {
		os_err("--kind '%s': unknown kind (see originscan identify --help)", kind);
		return OS_EXIT_USAGE;
	}
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	int date = c.as_of > 0 ? c.as_of : os_date_of_us(os_now_us());
	const char *arg = argv[optind];
	struct answer a;

	if (strcmp(arg, "-")) {
		if (ki < 0) {
			os_err("identify VALUE needs --kind");
			return OS_EXIT_USAGE;
		}
		size_t len = strlen(arg);
		char *val = escapes ? kb_unescape(arg, &len) : xstrdup(arg);
		const char *e = identify_one(ki, val, len, date, &a);
		int rc = OS_EXIT_OK;
		if (e) {
			os_err("%s: %s", kind, e);
			rc = OS_EXIT_DIFF;
		} else if (json) {
			struct buf b = {0};
			answer_json(&b, kind, val, len, &a);
			fwrite(b.p, 1, b.len, stdout);
			buf_free(&b);
		} else
			answer_text(kind, &a);
		verdict_free(&a.v);
		free(val);
		return rc;
	}

	/* streaming: one answer line per input line */
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int failed = 0;
	struct buf b = {0};
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		buf_reset(&b);
		if (ki >= 0) {
			const char *e = identify_one(ki, line, (size_t)n, date, &a);
			if (e) {
				error_json(&b, lineno, e);
				failed = 1;
			} else
				answer_json(&b, kinds[ki].kind, line, (size_t)n, &a);
			verdict_free(&a.v);
		} else {
			json_error_t je;
			json_t *o = json_loadb(line, (size_t)n, 0, &je);
			const char *k, *val;
			int kj;
			if (!o || !json_is_object(o)) {
				char msg[300];
				snprintf(msg, sizeof msg, "not a JSON object: %s", o ? "wrong type" : je.text);
				error_json(&b, lineno, msg);
				failed = 1;
			} else if (!(k = json_string_value(json_object_get(o, "kind"))) ||
			           !(val = json_string_value(json_object_get(o, "value")))) {
				error_json(&b, lineno, "want {\"kind\": \"...\", \"value\": \"...\"}");
				failed = 1;
			} else if ((kj = kind_index(k)) < 0) {
				char msg[300];
				snprintf(msg, sizeof msg, "unknown kind '%.200s'", k);
				error_json(&b, lineno, msg);
				failed = 1;
			} else {
				size_t vl = json_string_length(json_object_get(o, "value"));
				const char *e = identify_one(kj, val, vl, date, &a);
				if (e) {
					error_json(&b, lineno, e);
					failed = 1;
				} else
					answer_json(&b, k, val, vl, &a);
				verdict_free(&a.v);
			}
			json_decref(o);
		}
		if (fwrite(b.p, 1, b.len, stdout) != b.len)
			break;
	}
	free(line);
	buf_free(&b);
	if (fflush(stdout) != 0) {
		os_err("identify: cannot write the output");
		return OS_EXIT_FAIL;
	}
	return failed ? OS_EXIT_DIFF : OS_EXIT_OK;
}
