/*
 * fixups.h - per-call adjustments of drawn arguments (fix_*.c), and what
 * the worker learns from results (after_*).
 *
 * A fixup exists for one of two reasons, and says which:
 *  - harness: the values would hurt the run, not test the kernel - unmap
 *    the worker's own code, signal the supervisor, mount outside the
 *    sandbox, make a device node for the console, allocate gigabytes;
 *  - shape: the call takes a structure (sigaction, clone_args, pollfd,
 *    fd_set, a sigreturn frame) that is built field by field, valid-ish
 *    most of the time, so the kernel gets past its first check.
 * A fixup returns 0 to issue the call, nonzero to skip it (counted).
 */
#ifndef BASALT_FUZZ_FIXUPS_H
#define BASALT_FUZZ_FIXUPS_H

#include "fuzz.h"

#define USER_END	0x0000800000000000ULL
/* Bytes one call may make resident (populate, allocate, copy): the run
 * must not exhaust memory - that is an OOM test, not this one. */
#define POPULATE_CAP	(256ULL << 10)

/* fix_procs.c: signal sig may now be sent to some worker. */
void fz_note_sig(struct fz_worker *w, int64_t sig);
/* worker.c: the handler fuzzed rt_sigaction installs. */
void fz_handler(int sig);

int fix_mmap(struct fz_worker *w, uint64_t *a);
int fix_munmap(struct fz_worker *w, uint64_t *a);
int fix_mprotect(struct fz_worker *w, uint64_t *a);
int fix_madvise(struct fz_worker *w, uint64_t *a);
int fix_mremap(struct fz_worker *w, uint64_t *a);
int fix_brk(struct fz_worker *w, uint64_t *a);
int fix_shmat(struct fz_worker *w, uint64_t *a);
int fix_shmdt(struct fz_worker *w, uint64_t *a);
int fix_open(struct fz_worker *w, uint64_t *a);
int fix_openat(struct fz_worker *w, uint64_t *a);
int fix_kill(struct fz_worker *w, uint64_t *a);
int fix_tkill(struct fz_worker *w, uint64_t *a);
int fix_tgkill(struct fz_worker *w, uint64_t *a);
int fix_setpgid(struct fz_worker *w, uint64_t *a);
int fix_prlimit64(struct fz_worker *w, uint64_t *a);
int fix_rt_sigaction(struct fz_worker *w, uint64_t *a);
int fix_rt_sigreturn(struct fz_worker *w, uint64_t *a);
int fix_clone(struct fz_worker *w, uint64_t *a);
int fix_clone3(struct fz_worker *w, uint64_t *a);
int fix_execve(struct fz_worker *w, uint64_t *a);
int fix_mount(struct fz_worker *w, uint64_t *a);
int fix_umount2(struct fz_worker *w, uint64_t *a);
int fix_mknod(struct fz_worker *w, uint64_t *a);
int fix_mknodat(struct fz_worker *w, uint64_t *a);
int fix_fcntl(struct fz_worker *w, uint64_t *a);
int fix_ioctl(struct fz_worker *w, uint64_t *a);
int fix_sendfile(struct fz_worker *w, uint64_t *a);
int fix_fallocate(struct fz_worker *w, uint64_t *a);
int fix_poll(struct fz_worker *w, uint64_t *a);
int fix_ppoll(struct fz_worker *w, uint64_t *a);
int fix_select(struct fz_worker *w, uint64_t *a);
int fix_pselect6(struct fz_worker *w, uint64_t *a);
int fix_msgsnd(struct fz_worker *w, uint64_t *a);
int fix_msgrcv(struct fz_worker *w, uint64_t *a);
int fix_semop(struct fz_worker *w, uint64_t *a);
int fix_futex_waitv(struct fz_worker *w, uint64_t *a);
int fix_set_robust_list(struct fz_worker *w, uint64_t *a);
int fix_wait(struct fz_worker *w, uint64_t *a);
void after_shmat(struct fz_worker *w, const uint64_t *a, int64_t ret);
int fix_enosys(struct fz_worker *w, uint64_t *a);
void after_fd(struct fz_worker *w, const uint64_t *a, int64_t ret);
void after_pipe(struct fz_worker *w, const uint64_t *a, int64_t ret);
void after_map(struct fz_worker *w, const uint64_t *a, int64_t ret);
void after_mremap(struct fz_worker *w, const uint64_t *a, int64_t ret);
void after_ipcget(struct fz_worker *w, const uint64_t *a, int64_t ret);
void after_child(struct fz_worker *w, const uint64_t *a, int64_t ret);

#endif
