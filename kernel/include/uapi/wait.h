/* Linux wait4/waitid constants and the SIGCHLD siginfo layout. */
#ifndef BASALT_UAPI_WAIT_H
#define BASALT_UAPI_WAIT_H

#include <types.h>

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	WUNTRACED
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define P_ALL		0
#define P_PID		1
#define P_PGID		2
#define P_PIDFD		3

#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

#define RUSAGE_SIZE	144	/* sizeof(struct rusage) on x86-64 */

/* siginfo_t as filled for SIGCHLD: 128 bytes, union at offset 16. */
struct siginfo_chld {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad0;
	int32_t si_pid;
	uint32_t si_uid;
	int32_t si_status;
	int32_t pad1;
	int64_t si_utime;
	int64_t si_stime;
	uint8_t rest[128 - 48];
};
_Static_assert(sizeof(struct siginfo_chld) == 128, "siginfo size");
_Static_assert(offsetof(struct siginfo_chld, si_pid) == 16, "si_pid");
_Static_assert(offsetof(struct siginfo_chld, si_status) == 24, "si_status");

#endif
