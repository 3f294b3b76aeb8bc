/*
 * Address-to-name lookup for backtraces, over the table the build embeds
 * into the kernel image (scripts/gen-ksyms.sh, second link pass).
 */
#include <lib/ksyms.h>
#include <lib/string.h>

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const char ksyms_names[];

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (hi == 0 || addr < ksyms_addrs[0])
		return NULL;
	while (hi - lo > 1) {		/* last symbol with address <= addr */
		uint64_t mid = (lo + hi) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	const char *name = ksyms_names;
	for (uint64_t i = 0; i < lo; i++)
		name += strlen(name) + 1;
	*offset = addr - ksyms_addrs[lo];
	return name;
}
