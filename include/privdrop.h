/* One privilege drop for every collector (scanner/lib/privdrop.c): what
 * needs privileges (opening capture handles, entering a network namespace,
 * reading root's credentials file) is done first; then, before the first
 * byte from the network is parsed, the process becomes user (default
 * nobody) when it is root, with no capability left in any set and
 * no_new_privs set. A process that is not root changes no user but
 * clears the capabilities it holds (CAP_NET_RAW given by setcap or a
 * unit's AmbientCapabilities=). 0, or -1 with err. */
#ifndef OS_PRIVDROP_H
#define OS_PRIVDROP_H
#include <stddef.h>

int os_drop_privileges(const char *user, char *err, size_t errlen);
#endif
