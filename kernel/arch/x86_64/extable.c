/*
 * The exception table: pairs (address of an instruction that may fault on
 * a user address, address to resume at), emitted by uaccess.S into the
 * __ex_table section.
 */
#include <types.h>
#include <arch/x86_64/desc.h>

struct extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

uint64_t extable_fixup(uint64_t rip)
{
	for (const struct extable_entry *e = __ex_table_start;
	     e < __ex_table_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
