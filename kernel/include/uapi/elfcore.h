/*
 * The Linux x86-64 core file notes (include/uapi/linux/elfcore.h,
 * asm/user.h, include/uapi/linux/elf.h): what gdb reads registers,
 * signal and process identity from.
 */
#ifndef BASALT_UAPI_ELFCORE_H
#define BASALT_UAPI_ELFCORE_H

#include <types.h>

#define ET_CORE		4

#define NT_PRSTATUS	1		/* struct elf_prstatus */
#define NT_PRFPREG	2		/* the fxsave image (user_fpregs) */
#define NT_PRPSINFO	3		/* struct elf_prpsinfo */
#define NT_AUXV		6		/* the auxiliary vector */
#define NT_SIGINFO	0x53494749	/* siginfo_t of the fatal signal */
#define NT_FILE		0x46494c45	/* the mapped files */

struct elf64_nhdr {
	uint32_t n_namesz;
	uint32_t n_descsz;
	uint32_t n_type;
};

/* struct user_regs_struct: the order of elf_gregset_t. */
struct user_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi, orig_rax;
	uint64_t rip, cs, eflags, rsp, ss;
	uint64_t fs_base, gs_base, ds, es, fs, gs;
};

struct elf_timeval {
	int64_t tv_sec, tv_usec;
};

struct elf_prstatus {
	int32_t si_signo, si_code, si_errno;	/* struct elf_siginfo */
	int16_t pr_cursig;
	uint64_t pr_sigpend, pr_sighold;
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	struct elf_timeval pr_utime, pr_stime, pr_cutime, pr_cstime;
	struct user_regs pr_reg;
	int32_t pr_fpvalid;
};

#define ELF_PRARGSZ	80

struct elf_prpsinfo {
	char pr_state, pr_sname, pr_zomb, pr_nice;
	uint64_t pr_flag;
	uint32_t pr_uid, pr_gid;
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char pr_fname[16];
	char pr_psargs[ELF_PRARGSZ];
};

_Static_assert(sizeof(struct user_regs) == 27 * 8, "user_regs_struct");
_Static_assert(sizeof(struct elf_prstatus) == 336, "elf_prstatus");
_Static_assert(__builtin_offsetof(struct elf_prstatus, pr_reg) == 112,
	       "pr_reg");
_Static_assert(sizeof(struct elf_prpsinfo) == 136, "elf_prpsinfo");
_Static_assert(__builtin_offsetof(struct elf_prpsinfo, pr_fname) == 40,
	       "pr_fname");

#endif
