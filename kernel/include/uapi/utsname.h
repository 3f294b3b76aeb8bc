/* Linux struct new_utsname (uapi/linux/utsname.h), as uname(2) fills it. */
#ifndef BASALT_UAPI_UTSNAME_H
#define BASALT_UAPI_UTSNAME_H

#include <types.h>

#define UTSNAME_LEN 65		/* __NEW_UTS_LEN + 1 */

struct utsname {
	char sysname[UTSNAME_LEN];
	char nodename[UTSNAME_LEN];
	char release[UTSNAME_LEN];
	char version[UTSNAME_LEN];
	char machine[UTSNAME_LEN];
	char domainname[UTSNAME_LEN];
};

_Static_assert(sizeof(struct utsname) == 390, "utsname ABI");
_Static_assert(offsetof(struct utsname, domainname) == 325, "utsname ABI");

#endif
