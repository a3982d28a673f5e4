/* SNMP credentials: the credentials file, and net-snmp's snmp.conf
 * defaults.
 *
 * The file (documented in README.md, "SNMP credentials"): stanzas named
 * [name], tried in file order; each holds "setting value" lines. The
 * settings are net-snmp's own, under their snmp.conf names (defVersion,
 * defCommunity, defSecurityName, defSecurityLevel, defAuthType,
 * defAuthPassphrase, defAuthMasterKey, defPrivType, defPrivPassphrase,
 * defPrivMasterKey, defPassphrase, defContext) or the short names of the
 * snmpcmd options they stand for (version, community, user, level, auth,
 * authpass, authkey, priv, privpass, privkey, passphrase, context); values
 * and protocol names are spelled as net-snmp spells them.
 *
 * A file that does not start with a [name] is a community file: its first
 * line is one v1/v2c community (the form --community-file always took).
 *
 * Secrets: the file must be a regular file only its owner (us, or root)
 * can read or write -- refused otherwise with the chmod to run. v3
 * passphrases become master keys (Ku) here, once per credential (about a
 * millisecond: RFC 3414 hashes a megabyte), and are wiped with the file's
 * text; communities and keys are wiped by snmp_creds_free(). Errors name
 * the file, the line and the setting, never a value that may be secret.
 */
#include "snmp_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE (1 << 20)

static const struct {
	const char *name;
	int type;
} auth_types[] = {
	{"MD5", USM_CREATE_USER_AUTH_MD5},       {"SHA", USM_CREATE_USER_AUTH_SHA1},
	{"SHA1", USM_CREATE_USER_AUTH_SHA1},     {"SHA-1", USM_CREATE_USER_AUTH_SHA1},
	{"SHA-224", USM_CREATE_USER_AUTH_SHA224}, {"SHA224", USM_CREATE_USER_AUTH_SHA224},
	{"SHA-256", USM_CREATE_USER_AUTH_SHA256}, {"SHA256", USM_CREATE_USER_AUTH_SHA256},
	{"SHA-384", USM_CREATE_USER_AUTH_SHA384}, {"SHA384", USM_CREATE_USER_AUTH_SHA384},
	{"SHA-512", USM_CREATE_USER_AUTH_SHA512}, {"SHA512", USM_CREATE_USER_AUTH_SHA512},
}, priv_types[] = {
	{"DES", USM_CREATE_USER_PRIV_DES},
	{"AES", USM_CREATE_USER_PRIV_AES},       {"AES128", USM_CREATE_USER_PRIV_AES},
	{"AES-128", USM_CREATE_USER_PRIV_AES},
	{"AES192", USM_CREATE_USER_PRIV_AES192}, {"AES-192", USM_CREATE_USER_PRIV_AES192},
	{"AES256", USM_CREATE_USER_PRIV_AES256}, {"AES-256", USM_CREATE_USER_PRIV_AES256},
	/* Cisco's key extension for the longer AES keys (net-snmp: AES192C) */
	{"AES192C", USM_CREATE_USER_PRIV_AES192_CISCO}, {"AES-192-C", USM_CREATE_USER_PRIV_AES192_CISCO},
	{"AES256C", USM_CREATE_USER_PRIV_AES256_CISCO}, {"AES-256-C", USM_CREATE_USER_PRIV_AES256_CISCO},
};

enum setting {
	S_VERSION, S_COMMUNITY, S_USER, S_LEVEL, S_AUTH, S_AUTHPASS, S_AUTHKEY, S_PRIV, S_PRIVPASS,
	S_PRIVKEY, S_PASSPHRASE, S_CONTEXT, S__COUNT
};

static const struct {
	const char *names[3];
	int secret;
} settings[S__COUNT] = {
	[S_VERSION] = {{"version", "defVersion", NULL}, 0},
	[S_COMMUNITY] = {{"community", "defCommunity", NULL}, 1},
	[S_USER] = {{"user", "securityName", "defSecurityName"}, 0},
	[S_LEVEL] = {{"level", "securityLevel", "defSecurityLevel"}, 0},
	[S_AUTH] = {{"auth", "authType", "defAuthType"}, 0},
	[S_AUTHPASS] = {{"authpass", "authPassphrase", "defAuthPassphrase"}, 1},
	[S_AUTHKEY] = {{"authkey", "authMasterKey", "defAuthMasterKey"}, 1},
	[S_PRIV] = {{"priv", "privType", "defPrivType"}, 0},
	[S_PRIVPASS] = {{"privpass", "privPassphrase", "defPrivPassphrase"}, 1},
	[S_PRIVKEY] = {{"privkey", "privMasterKey", "defPrivMasterKey"}, 1},
	[S_PASSPHRASE] = {{"passphrase", "defPassphrase", NULL}, 1},
	[S_CONTEXT] = {{"context", "contextName", "defContext"}, 0},
};

/* Edit distance of a and b, capped: enough to tell a typo. */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[32];
	if (la >= OS_ARRAY_LEN(row) || lb >= OS_ARRAY_LEN(row))
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The setting an unknown word is a typo of (at most 2 edits), or NULL. */
static const char *nearest_setting(const char *word)
{
	const char *best = NULL;
	int bd = 3;
	for (int k = 0; k < S__COUNT; k++)
		for (int j = 0; j < 3; j++) {
			int d = settings[k].names[j] ? edit_distance(word, settings[k].names[j]) : 99;
			if (d < bd) {
				bd = d;
				best = settings[k].names[j];
			}
		}
	return best;
}

/* One stanza while it is read: pointers into the file's text. */
struct cred_stanza {
	char name[SNMP_CRED_NAME_MAX + 1];
	int line;
	const char *v[S__COUNT];
};

static int lookup(const char *s, int auth, int *type)
{
	size_t n = auth ? OS_ARRAY_LEN(auth_types) : OS_ARRAY_LEN(priv_types);
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(s, auth ? auth_types[i].name : priv_types[i].name)) {
			*type = auth ? auth_types[i].type : priv_types[i].type;
			return 0;
		}
	return -1;
}

static int parse_level(const char *s)
{
	if (!strcasecmp(s, "noAuthNoPriv") || !strcasecmp(s, "noauth") || !strcmp(s, "1"))
		return SNMP_SEC_LEVEL_NOAUTH;
	if (!strcasecmp(s, "authNoPriv") || !strcasecmp(s, "auth") || !strcmp(s, "2"))
		return SNMP_SEC_LEVEL_AUTHNOPRIV;
	if (!strcasecmp(s, "authPriv") || !strcasecmp(s, "priv") || !strcmp(s, "3"))
		return SNMP_SEC_LEVEL_AUTHPRIV;
	return -1;
}

/* A master key written as net-snmp writes it: 0x and hex digits. */
static int parse_key(const char *s, uint8_t *out, size_t *outlen)
{
	size_t n = 0;
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	for (s += 2; *s; s += 2) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]) || n >= SNMP_KEY_MAX)
			return -1;
		char h[3] = {s[0], s[1], 0};
		out[n++] = (uint8_t)strtoul(h, NULL, 16);
	}
	*outlen = n;
	return n ? 0 : -1;
}

static void cred_wipe(struct snmp_cred *c)
{
	if (c->community) {
		explicit_bzero(c->community, strlen(c->community));
		free(c->community);
	}
	free(c->user);
	free(c->context);
	explicit_bzero(c, sizeof *c);
}

void snmp_creds_free(struct snmp_creds *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		cred_wipe(&cs->c[i]);
	free(cs->c);
	memset(cs, 0, sizeof *cs);
}

static struct snmp_cred *cred_new(struct snmp_creds *cs)
{
	cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof *cs->c);
	struct snmp_cred *c = &cs->c[cs->n++];
	memset(c, 0, sizeof *c);
	return c;
}

void snmp_creds_add_community(struct snmp_creds *cs, const char *name, int version, const char *community)
{
	struct snmp_cred *c = cred_new(cs);
	snprintf(c->name, sizeof c->name, "%s", name);
	c->version = version == 1 ? 1 : 2;
	c->community = xstrdup(community);
}

/* The stanza's SNMP version: 1, 2 (2c) or 3; -1 with err. */
static int stanza_version(const struct cred_stanza *st, const char *where, char *err, size_t errlen)
{
	const char *v = st->v[S_VERSION];
	if (!v)
		return st->v[S_USER] ? 3 : 2;
	if (!strcmp(v, "1"))
		return 1;
	if (!strcasecmp(v, "2c") || !strcmp(v, "2"))
		return 2;
	if (!strcmp(v, "3"))
		return 3;
	os_seterr(err, errlen, "%s: [%s]: version '%s': want 1, 2c or 3", where, st->name, v);
	return -1;
}

/* Agents take communities of at most 256 bytes (net-snmp's
 * COMMUNITY_MAX_LEN); a longer one cannot work anywhere and would only
 * fail every send. The error names where, never the community. */
#define COMMUNITY_MAX 256
static int community_fits(const char *community, const char *where, char *err, size_t errlen)
{
	size_t n = strlen(community);
	if (n <= COMMUNITY_MAX)
		return 0;
	os_seterr(err, errlen, "%s: the community is %zu bytes long; SNMP agents take at most %d", where, n,
	          COMMUNITY_MAX);
	return -1;
}

/* A v1/v2c stanza: a community and no v3 setting. */
static int community_cred(struct snmp_creds *cs, const struct cred_stanza *st, int version, const char *where,
                          char *err, size_t errlen)
{
	const char *const *v = st->v;
	if (!v[S_COMMUNITY] || !*v[S_COMMUNITY]) {
		os_seterr(err, errlen, "%s: [%s]: an SNMPv%s credential needs a community", where, st->name,
		          version == 1 ? "1" : "2c");
		return -1;
	}
	for (int k = S_USER; k < S__COUNT; k++)
		if (v[k]) {
			os_seterr(err, errlen, "%s: [%s]: '%s' is an SNMPv3 setting (add 'version 3', or remove it)", where,
			          st->name, settings[k].names[0]);
			return -1;
		}
	char w[SNMP_CRED_NAME_MAX + 300];
	snprintf(w, sizeof w, "%s: [%s]", where, st->name);
	if (community_fits(v[S_COMMUNITY], w, err, errlen) < 0)
		return -1;
	snmp_creds_add_community(cs, st->name, version, v[S_COMMUNITY]);
	return 0;
}

/* A v3 stanza's security level and the protocols it needs, checked
 * against what this net-snmp supports; *aoid the authentication hash. */
static int usm_protocols(const struct cred_stanza *st, struct snmp_cred *c, oid **aoid, size_t *alen,
                         const char *where, char *err, size_t errlen)
{
	const char *const *v = st->v;
	int has_auth = v[S_AUTHPASS] || v[S_PASSPHRASE] || v[S_AUTHKEY];
	int has_priv = v[S_PRIVPASS] || v[S_PASSPHRASE] || v[S_PRIVKEY];
	int level = v[S_LEVEL] ? parse_level(v[S_LEVEL])
	            : (v[S_PRIV] || v[S_PRIVPASS] || v[S_PRIVKEY]) ? SNMP_SEC_LEVEL_AUTHPRIV
	            : has_auth ? SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_NOAUTH;
	if (level < 0) {
		os_seterr(err, errlen, "%s: [%s]: level '%s': want noAuthNoPriv, authNoPriv or authPriv", where,
		          st->name, v[S_LEVEL]);
		return -1;
	}
	c->level = level;
	*aoid = NULL;
	if (level >= SNMP_SEC_LEVEL_AUTHNOPRIV) {
		if (!v[S_AUTH] || lookup(v[S_AUTH], 1, &c->auth_type) < 0) {
			os_seterr(err, errlen,
			          "%s: [%s]: auth %s%s%s: name the protocol: MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512",
			          where, st->name, v[S_AUTH] ? "'" : "", v[S_AUTH] ? v[S_AUTH] : "missing",
			          v[S_AUTH] ? "'" : "");
			return -1;
		}
		if (!has_auth) {
			os_seterr(err, errlen, "%s: [%s]: level %s needs authpass (or authkey)", where, st->name,
			          level == SNMP_SEC_LEVEL_AUTHPRIV ? "authPriv" : "authNoPriv");
			return -1;
		}
		if (!(*aoid = sc_get_auth_oid(c->auth_type, alen))) {
			os_seterr(err, errlen, "%s: [%s]: auth '%s' is not supported by this net-snmp", where, st->name,
			          v[S_AUTH]);
			return -1;
		}
	}
	if (level == SNMP_SEC_LEVEL_AUTHPRIV) {
		size_t plen = 0;
		if (!v[S_PRIV] || lookup(v[S_PRIV], 0, &c->priv_type) < 0) {
			os_seterr(err, errlen,
			          "%s: [%s]: priv %s%s%s: name the protocol: AES (AES-128), AES-192, AES-256, AES-192-C, AES-256-C or DES",
			          where, st->name, v[S_PRIV] ? "'" : "", v[S_PRIV] ? v[S_PRIV] : "missing",
			          v[S_PRIV] ? "'" : "");
			return -1;
		}
		if (!has_priv) {
			os_seterr(err, errlen, "%s: [%s]: level authPriv needs privpass (or privkey)", where, st->name);
			return -1;
		}
		if (!sc_get_priv_oid(c->priv_type, &plen)) {
			os_seterr(err, errlen, "%s: [%s]: priv '%s' is not supported by this net-snmp", where, st->name,
			          v[S_PRIV]);
			return -1;
		}
	}
	return 0;
}

/* The master keys (Ku) a level needs: given as such, or from the
 * passphrase (RFC 3414 A.2; the privacy key is derived with the
 * authentication hash). Errors name the setting, never its value. */
static int usm_master_keys(const struct cred_stanza *st, struct snmp_cred *c, oid *aoid, size_t alen,
                           const char *where, char *err, size_t errlen)
{
	const char *const *v = st->v;
	struct {
		const char *pass, *key, *what;
		uint8_t *ku;
		size_t *kulen;
		int need;
	} keys[2] = {
		{v[S_AUTHPASS] ? v[S_AUTHPASS] : v[S_PASSPHRASE], v[S_AUTHKEY], "auth", c->auth_ku, &c->auth_ku_len,
		 c->level >= SNMP_SEC_LEVEL_AUTHNOPRIV},
		{v[S_PRIVPASS] ? v[S_PRIVPASS] : v[S_PASSPHRASE], v[S_PRIVKEY], "priv", c->priv_ku, &c->priv_ku_len,
		 c->level == SNMP_SEC_LEVEL_AUTHPRIV},
	};
	for (int k = 0; k < 2; k++) {
		if (!keys[k].need)
			continue;
		if (keys[k].key) {
			if (parse_key(keys[k].key, keys[k].ku, keys[k].kulen) < 0) {
				os_seterr(err, errlen, "%s: [%s]: %skey: want 0x and the key in hex (at most %d bytes)", where,
				          st->name, keys[k].what, SNMP_KEY_MAX);
				return -1;
			}
			continue;
		}
		if (strlen(keys[k].pass) < USM_LENGTH_P_MIN) {
			os_seterr(err, errlen, "%s: [%s]: %spass is shorter than %d characters (RFC 3414; net-snmp refuses it too)",
			          where, st->name, keys[k].what, USM_LENGTH_P_MIN);
			return -1;
		}
		*keys[k].kulen = SNMP_KEY_MAX;
		if (generate_Ku(aoid, (u_int)alen, (const u_char *)keys[k].pass, strlen(keys[k].pass), keys[k].ku,
		                keys[k].kulen) != SNMPERR_SUCCESS) {
			os_seterr(err, errlen, "%s: [%s]: cannot derive the %s key", where, st->name, keys[k].what);
			return -1;
		}
	}
	return 0;
}

/* Turn a stanza into a credential: 0, or -1 with err (where, which
 * setting, never the value of a secret one). */
static int cred_from_stanza(struct snmp_creds *cs, const struct cred_stanza *st, const char *where, char *err,
                            size_t errlen)
{
	const char *const *v = st->v;
	int version = stanza_version(st, where, err, errlen);
	if (version < 0)
		return -1;
	if (version < 3)
		return community_cred(cs, st, version, where, err, errlen);
	if (v[S_COMMUNITY]) {
		os_seterr(err, errlen, "%s: [%s]: an SNMPv3 credential has no community (a user instead)", where,
		          st->name);
		return -1;
	}
	if (!v[S_USER] || !*v[S_USER]) {
		os_seterr(err, errlen, "%s: [%s]: an SNMPv3 credential needs a user", where, st->name);
		return -1;
	}
	struct snmp_cred c;
	oid *aoid;
	size_t alen = 0;
	memset(&c, 0, sizeof c);
	c.version = 3;
	if (usm_protocols(st, &c, &aoid, &alen, where, err, errlen) < 0 ||
	    usm_master_keys(st, &c, aoid, alen, where, err, errlen) < 0) {
		explicit_bzero(&c, sizeof c);
		return -1;
	}
	struct snmp_cred *d = cred_new(cs);
	*d = c;
	explicit_bzero(&c, sizeof c);
	snprintf(d->name, sizeof d->name, "%s", st->name);
	d->user = xstrdup(v[S_USER]);
	d->context = xstrdup(v[S_CONTEXT] ? v[S_CONTEXT] : "");
	return 0;
}

/* The value after a setting's name: the rest of the line, or a "quoted"
 * string with \" and \\ (for values with spaces or a leading #). Edits the
 * line in place. NULL on a quoting error. */
static char *value_of(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"') {
		char *e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			*--e = 0;
		return p;
	}
	char *out = p, *in = p + 1;
	for (; *in && *in != '"'; in++) {
		if (*in == '\\' && (in[1] == '"' || in[1] == '\\'))
			in++;
		*out++ = *in;
	}
	if (*in != '"')
		return NULL;
	for (char *t = in + 1; *t; t++)
		if (*t != ' ' && *t != '\t' && *t != '\r')
			return NULL;
	*out = 0;
	return p;
}

static int valid_name(const char *s, size_t n)
{
	if (!n || n > SNMP_CRED_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-:@+", s[i]))
			return 0;
	return 1;
}

static int parse_text(struct snmp_creds *cs, char *text, const char *path, char *err, size_t errlen)
{
	struct cred_stanza st;
	int in_stanza = 0, lineno = 0;
	char where[600];
	memset(&st, 0, sizeof st);
	for (char *line = text, *nl; line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		lineno++;
		snprintf(where, sizeof where, "%s:%d", path, lineno);
		char *p = line;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			continue;
		if (*p == '[') {
			char *close = strchr(p, ']');
			if (in_stanza) {
				char w2[600];
				snprintf(w2, sizeof w2, "%s:%d", path, st.line);
				if (cred_from_stanza(cs, &st, w2, err, errlen) < 0)
					return -1;
			}
			if (!close || !valid_name(p + 1, (size_t)(close - p - 1)) || *value_of(close + 1)) {
				os_seterr(err, errlen,
				          "%s: want [name]: 1 to %d letters, digits or . _ - : @ +, alone on the line",
				          where, SNMP_CRED_NAME_MAX);
				return -1;
			}
			memset(&st, 0, sizeof st);
			memcpy(st.name, p + 1, (size_t)(close - p - 1));
			st.line = lineno;
			for (size_t i = 0; i < cs->n; i++)
				if (!strcmp(cs->c[i].name, st.name)) {
					os_seterr(err, errlen, "%s: a second credential named [%s]", where, st.name);
					return -1;
				}
			in_stanza = 1;
			continue;
		}
		char *name = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
		int k;
		for (k = 0; k < S__COUNT; k++)
			if ((settings[k].names[0] && !strcasecmp(name, settings[k].names[0])) ||
			    (settings[k].names[1] && !strcasecmp(name, settings[k].names[1])) ||
			    (settings[k].names[2] && !strcasecmp(name, settings[k].names[2])))
				break;
		if (k == S__COUNT) {
			/* The word itself is not shown: in this file it may be a
			 * secret (a community on a line of its own). */
			const char *near = nearest_setting(name);
			os_seterr(err, errlen, "%s: unknown setting%s%s%s (see README.md, SNMP credentials)", where,
			          near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
			return -1;
		}
		if (!in_stanza) {
			os_seterr(err, errlen, "%s: '%s' before the first [name]", where, name);
			return -1;
		}
		char *val = value_of(p);
		if (!val) {
			os_seterr(err, errlen, "%s: %s: unbalanced quotes", where, name);
			return -1;
		}
		if (!*val && !settings[k].secret && k != S_CONTEXT) {
			os_seterr(err, errlen, "%s: %s without a value", where, name);
			return -1;
		}
		if (st.v[k]) {
			os_seterr(err, errlen, "%s: %s given twice in [%s]", where, name, st.name);
			return -1;
		}
		st.v[k] = val;
	}
	if (in_stanza) {
		snprintf(where, sizeof where, "%s:%d", path, st.line);
		if (cred_from_stanza(cs, &st, where, err, errlen) < 0)
			return -1;
	}
	if (!cs->n) {
		os_seterr(err, errlen, "%s: no credential in it (want [name] stanzas)", path);
		return -1;
	}
	return 0;
}

int snmp_creds_load(struct snmp_creds *cs, const char *path, int version, const char *bare_name, char *err,
                    size_t errlen)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* A name that names no file may be a secret typed where a file
		 * name belongs: say which option, not what was typed. */
		if (errno == ENOENT || errno == ENOTDIR || errno == ENAMETOOLONG)
			os_seterr(err, errlen,
			          "%s: no such file (the name given is not repeated: it may be a secret; give the path "
			          "of a file that holds it)",
			          bare_name);
		else
			os_seterr(err, errlen, "credentials file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		os_seterr(err, errlen, "credentials file %s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		os_seterr(err, errlen, "credentials file %s: %s by others (mode %03o); run chmod 600 %s", path,
		          sb.st_mode & (S_IRGRP | S_IROTH) ? "readable" : "writable", (unsigned)(sb.st_mode & 0777), path);
		close(fd);
		return -1;
	}
	if (sb.st_uid != geteuid() && sb.st_uid != 0) {
		os_seterr(err, errlen, "credentials file %s belongs to another user (uid %u); it must be yours", path,
		          (unsigned)sb.st_uid);
		close(fd);
		return -1;
	}
	if (sb.st_size > MAX_FILE) {
		os_seterr(err, errlen, "credentials file %s: larger than %d bytes", path, MAX_FILE);
		close(fd);
		return -1;
	}
	char *text = xmalloc((size_t)sb.st_size + 1);
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, text + len, (size_t)sb.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == (size_t)sb.st_size)
			break;
	}
	close(fd);
	text[len] = 0;
	if (memchr(text, 0, len)) {
		os_seterr(err, errlen, "credentials file %s: holds NUL bytes (not a text file)", path);
		explicit_bzero(text, len);
		free(text);
		return -1;
	}
	snmp_lib_init();
	struct snmp_creds tmp = {0};
	int rc = 0;
	/* A file that starts with neither a [name] nor a setting is a
	 * community file: its first line is the community (the older form). */
	const char *p = text;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '#') {
		if (*p == '#')
			p += strcspn(p, "\n");
		else
			p++;
	}
	size_t w = strcspn(p, " \t\r\n");
	int setting = 0;
	for (int k = 0; k < S__COUNT && !setting; k++)
		for (int j = 0; j < 3; j++)
			if (settings[k].names[j] && strlen(settings[k].names[j]) == w &&
			    !strncasecmp(p, settings[k].names[j], w))
				setting = 1;
	if (*p && *p != '[' && !setting) {
		char *line = xstrndup(p, strcspn(p, "\n"));
		char cw[600];
		snprintf(cw, sizeof cw, "community file %s", path);
		if ((rc = community_fits(os_trim(line), cw, err, errlen)) == 0)
			snmp_creds_add_community(&tmp, bare_name, version, os_trim(line));
		explicit_bzero(line, strlen(line));
		free(line);
	} else
		rc = parse_text(&tmp, text, path, err, errlen);
	explicit_bzero(text, len);
	free(text);
	if (rc < 0) {
		snmp_creds_free(&tmp);
		return -1;
	}
	for (size_t i = 0; i < tmp.n; i++) {
		for (size_t j = 0; j < cs->n; j++)
			if (!strcmp(cs->c[j].name, tmp.c[i].name)) {
				os_seterr(err, errlen, "%s: credential [%s] is named twice", path, tmp.c[i].name);
				snmp_creds_free(&tmp);
				return -1;
			}
	}
	cs->c = xrealloc(cs->c, (cs->n + tmp.n) * sizeof *cs->c);
	memcpy(cs->c + cs->n, tmp.c, tmp.n * sizeof *tmp.c);
	cs->n += tmp.n;
	explicit_bzero(tmp.c, tmp.n * sizeof *tmp.c);
	free(tmp.c);
	return 0;
}

int snmp_creds_from_snmpconf(struct snmp_creds *cs, char *err, size_t errlen)
{
	snmp_lib_init();
	const char *user = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_SECNAME);
	const char *community = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_COMMUNITY);
	int ver = netsnmp_ds_get_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_SNMPVERSION);
	int v3 = ver == NETSNMP_DS_SNMP_VERSION_3 || (!ver && user && *user && !community);
	if (v3 ? !(user && *user) : !(community && *community))
		return 0;
	struct cred_stanza st;
	char lvl[4], auth[16] = "", priv[16] = "";
	memset(&st, 0, sizeof st);
	snprintf(st.name, sizeof st.name, "snmp.conf");
	if (!v3) {
		st.v[S_VERSION] = ver == NETSNMP_DS_SNMP_VERSION_1 ? "1" : "2c";
		st.v[S_COMMUNITY] = community;
		return cred_from_stanza(cs, &st, "snmp.conf", err, errlen) < 0 ? -1 : 1;
	}
	st.v[S_VERSION] = "3";
	st.v[S_USER] = user;
	st.v[S_CONTEXT] = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CONTEXT);
	st.v[S_PASSPHRASE] = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PASSPHRASE);
	st.v[S_AUTHPASS] = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_AUTHPASSPHRASE);
	st.v[S_PRIVPASS] = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PRIVPASSPHRASE);
	st.v[S_AUTHKEY] = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_AUTHMASTERKEY);
	st.v[S_PRIVKEY] = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PRIVMASTERKEY);
	int level = netsnmp_ds_get_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_SECLEVEL);
	if (level >= 1 && level <= 3) {
		snprintf(lvl, sizeof lvl, "%d", level);
		st.v[S_LEVEL] = lvl;
	}
	/* net-snmp's defaults when snmp.conf names no protocol */
	size_t len;
	const oid *a = get_default_authtype(&len);
	int t = a ? sc_get_authtype(a, (u_int)len) : -1;
	for (size_t i = 0; i < OS_ARRAY_LEN(auth_types); i++)
		if (auth_types[i].type == t && !auth[0])
			snprintf(auth, sizeof auth, "%s", auth_types[i].name);
	const oid *p = get_default_privtype(&len);
	t = p ? sc_get_privtype(p, (u_int)len) : -1;
	for (size_t i = 0; i < OS_ARRAY_LEN(priv_types); i++)
		if (priv_types[i].type == t && !priv[0])
			snprintf(priv, sizeof priv, "%s", priv_types[i].name);
	if (st.v[S_AUTHPASS] || st.v[S_PASSPHRASE] || st.v[S_AUTHKEY])
		st.v[S_AUTH] = auth[0] ? auth : NULL;
	if (st.v[S_PRIVPASS] || st.v[S_PRIVKEY] || (st.v[S_PASSPHRASE] && level == SNMP_SEC_LEVEL_AUTHPRIV))
		st.v[S_PRIV] = priv[0] ? priv : NULL;
	return cred_from_stanza(cs, &st, "snmp.conf", err, errlen) < 0 ? -1 : 1;
}

int snmp_creds_default(struct snmp_creds *cs, int version, char *err, size_t errlen)
{
	const char *env = getenv("ORIGINSCAN_COMMUNITY");
	if (env && *env) {
		if (community_fits(env, "$ORIGINSCAN_COMMUNITY", err, errlen) < 0)
			return -1;
		snmp_creds_add_community(cs, "env:ORIGINSCAN_COMMUNITY", version, env);
		return 0;
	}
	int r = snmp_creds_from_snmpconf(cs, err, errlen);
	if (r < 0)
		return -1;
	if (!r)
		snmp_creds_add_community(cs, "default", version, "public");
	return 0;
}
