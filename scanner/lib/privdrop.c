/* Dropping privileges before the first packet from the network is
 * parsed (OpenBSD tcpdump's habit), for every collector: the capture once
 * its handles are open, the SNMP sweep (net-snmp parses what agents
 * answer) once its credentials, targets and store are. The states only
 * shrink.
 *
 *   privileged      may open capture handles, compile and set filters
 *        |          (CAP_NET_RAW, or root), read root's files
 *        v
 *   dropped         uid/gid of the configured user (nobody by default),
 *                   no supplementary groups, every capability cleared from
 *                   the effective, permitted, inheritable, ambient and
 *                   bounding sets, no_new_privs set: nothing left to lose
 *                   when a hostile packet is parsed.
 *
 * A process that is not root changes no user (it cannot) but still
 * clears whatever capabilities it holds (e.g. CAP_NET_RAW given to the
 * binary by setcap). The step back is checked: after the drop, setuid(0)
 * must fail.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privdrop.h"
#include "util.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

static int caps_clear(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof d);
	return (int)syscall(SYS_capset, &h, d);
}

static int cap_last(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int n = 40;
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 40;
		fclose(f);
	}
	return n;
}

int os_drop_privileges(const char *user, char *err, size_t errlen)
{
	if (geteuid() == 0 || getuid() == 0) {
		struct passwd *pw = getpwnam(user && *user ? user : "nobody");
		if (!pw) {
			os_seterr(err, errlen, "user %s: no such user", user && *user ? user : "nobody");
			return -1;
		}
		if (pw->pw_uid == 0) {
			os_seterr(err, errlen, "user %s: that is root; name an unprivileged user", user);
			return -1;
		}
		uid_t uid = pw->pw_uid;
		gid_t gid = pw->pw_gid;
		/* the bounding set needs CAP_SETPCAP, which root still has */
		for (int cap = 0, last = cap_last(); cap <= last; cap++)
			if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
				os_seterr(err, errlen, "cannot drop capability %d: %s", cap, strerror(errno));
				return -1;
			}
		if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0) {
			os_seterr(err, errlen, "cannot become user %s: %s", user, strerror(errno));
			return -1;
		}
		if (setuid(0) == 0 || seteuid(0) == 0) {
			os_seterr(err, errlen, "privileges could be regained after dropping them");
			return -1;
		}
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (caps_clear() < 0) {
		os_seterr(err, errlen, "cannot clear capabilities: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		os_seterr(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
#if defined(__SANITIZE_ADDRESS__)
	/* LeakSanitizer ptraces its own process at exit, which a changed uid
	 * forbids; sanitizer builds are test builds */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	return 0;
}
