/* Linux struct sysinfo (uapi/linux/sysinfo.h), x86-64 layout. */
#ifndef BASALT_UAPI_SYSINFO_H
#define BASALT_UAPI_SYSINFO_H

#include <types.h>

#define SI_LOAD_SHIFT 16	/* loads[] are fixed point with 16 fraction bits */

struct sysinfo {
	int64_t uptime;		/* seconds since boot */
	uint64_t loads[3];	/* 1, 5 and 15 minute load averages */
	uint64_t totalram;	/* total usable main memory */
	uint64_t freeram;	/* available memory */
	uint64_t sharedram;	/* amount of shared memory */
	uint64_t bufferram;	/* memory used by buffers */
	uint64_t totalswap;
	uint64_t freeswap;
	uint16_t procs;		/* number of current threads */
	uint16_t pad;
	uint64_t totalhigh;	/* high memory: always 0 on x86-64 */
	uint64_t freehigh;
	uint32_t mem_unit;	/* memory unit size in bytes */
	/* char _f[20 - 2 * 8 - 4]: zero bytes on 64-bit */
};

_Static_assert(sizeof(struct sysinfo) == 112, "sysinfo ABI");
_Static_assert(offsetof(struct sysinfo, procs) == 80, "sysinfo ABI");
_Static_assert(offsetof(struct sysinfo, totalhigh) == 88, "sysinfo ABI");
_Static_assert(offsetof(struct sysinfo, mem_unit) == 104, "sysinfo ABI");

#endif
