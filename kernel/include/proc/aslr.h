/*
 * Address-space layout randomisation for execve (kernel/proc/exec_aslr.c),
 * governed as in Linux by kernel.randomize_va_space:
 *
 *   0  nothing is randomised
 *   1  the base of a position-independent program
 *   2  that, and the start of the program break (Linux's default)
 *
 * (Linux also randomises the mmap base and the stack at 1; Basalt keeps
 * those fixed.) The value is read once per execve.
 */
#ifndef BASALT_PROC_ASLR_H
#define BASALT_PROC_ASLR_H

#include <types.h>

int aslr_level(void);
/* A random page-aligned offset below 2^28 pages (Linux's arch_mmap_rnd
 * with mmap_rnd_bits 28): added to a PIE's base. */
uint64_t aslr_mmap_offset(void);
/* brk moved up by a random number of pages below 1 GiB (the oracle,
 * Debian's 6.1, has the 64-bit range of Linux 6.9+), page-aligned
 * first (Linux's arch_randomize_brk). */
uint64_t aslr_randomize_brk(uint64_t brk);

/* /proc/sys/kernel/randomize_va_space. Read: the text or -ENOENT;
 * write (root only, else -EPERM): 0, or -EINVAL if not a number. */
int aslr_sysctl_read(const char *name, char *buf, size_t size);
int aslr_sysctl_write(const char *name, const char *text, size_t len);

#endif
