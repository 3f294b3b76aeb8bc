/*
 * msgtest.h - helpers shared by the System V message queue tests (msg.c,
 * msg_block.c): the x86-64 kernel ABI of msgctl, raw system calls, queues
 * filled with checkable messages, other users, /proc/sys/kernel knobs and
 * the "is that process asleep yet" probe.
 *
 * Every call goes through syscall(2) with the structures defined here, not
 * through <sys/msg.h>: glibc and musl lay out struct msqid_ds and
 * struct msginfo their own way, and the tests must see exactly what the
 * kernel writes.
 *
 * A message with tag t and length n holds msg_byte(t, i) at mtext[i], so a
 * receiver can tell which message it got and that every byte arrived.
 *
 * Not in lib/ (the harness there is shared with every test); everything is
 * static, include it once per test, after t.h.
 */
#ifndef BASALT_TESTS_MSGTEST_H
#define BASALT_TESTS_MSGTEST_H

#include "t.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Linux's <uapi/linux/msg.h> and <uapi/linux/ipc.h>. */
#ifndef IPC_INFO
#define IPC_INFO 3
#endif
#ifndef MSG_STAT
#define MSG_STAT 11
#endif
#ifndef MSG_INFO
#define MSG_INFO 12
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif
#ifndef MSG_NOERROR
#define MSG_NOERROR 010000
#endif
#ifndef MSG_EXCEPT
#define MSG_EXCEPT 020000
#endif
#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

/* Linux's defaults (MSGMAX, MSGMNB, MSGMNI) and the IPC_INFO constants. */
#define MSQ_MSGMAX 8192
#define MSQ_MSGMNB 16384
#define MSQ_MSGMNI 32000
#define MSQ_MSGPOOL (MSQ_MSGMNI * MSQ_MSGMNB / 1024)
#define MSQ_MSGSSZ 16
#define MSQ_MSGSEG 0xffff

/* The unprivileged user the permission cases become. */
#define NOBODY 65534

/* Keys for the cases that need one; each case uses its own. */
#define MSQ_KEY(n) ((key_t)(0x6d736700 + (n)))

/* struct ipc64_perm and struct msqid64_ds as the x86-64 kernel has them. */
struct msq_perm {
	int key;
	unsigned int uid, gid, cuid, cgid, mode;
	unsigned short seq, pad2;
	unsigned long unused1, unused2;
};

struct msq_ds {
	struct msq_perm perm;
	long stime, rtime, ctime;
	unsigned long cbytes, qnum, qbytes;
	int lspid, lrpid;
	unsigned long unused4, unused5;
};

/* struct msginfo (IPC_INFO, MSG_INFO). */
struct msq_info {
	int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	unsigned short msgseg;
};

_Static_assert(sizeof(struct msq_perm) == 48, "ipc64_perm");
_Static_assert(sizeof(struct msq_ds) == 120, "msqid64_ds");
_Static_assert(offsetof(struct msq_ds, stime) == 48, "msg_stime");
_Static_assert(offsetof(struct msq_ds, cbytes) == 72, "msg_cbytes");
_Static_assert(offsetof(struct msq_ds, lspid) == 96, "msg_lspid");
_Static_assert(sizeof(struct msq_info) == 32, "msginfo");

/* A message buffer with room for more than MSGMAX bytes. */
#define MSQ_BUF 16384
struct msq_buf {
	long mtype;
	unsigned char mtext[MSQ_BUF];
};

static inline long msq_get(key_t key, int flags)
{
	return syscall(SYS_msgget, key, flags);
}

static inline long msq_ctl(int id, int cmd, void *buf)
{
	return syscall(SYS_msgctl, id, cmd, buf);
}

static inline long msq_snd(int id, const void *buf, size_t len, int flags)
{
	return syscall(SYS_msgsnd, id, buf, len, flags);
}

static inline long msq_rcv(int id, void *buf, size_t len, long type, int flags)
{
	return syscall(SYS_msgrcv, id, buf, len, type, flags);
}

/*
 * The helpers that can fail are macros around _at functions, so that a
 * failure names the line of the case, not a line of this file.
 */

/* A new private queue with these permission bits. */
#define msq_new(mode) msq_new_at(__FILE__, __LINE__, (mode))
static inline int msq_new_at(const char *file, int line, int mode)
{
	long id = msq_get(IPC_PRIVATE, IPC_CREAT | mode);

	if (id < 0)
		t_fail_at(file, line, "msgget(IPC_PRIVATE, IPC_CREAT | %#o): errno %s",
			  mode, t_errname(errno));
	return (int)id;
}

#define msq_rm(id) msq_rm_at(__FILE__, __LINE__, (id))
static inline void msq_rm_at(const char *file, int line, int id)
{
	if (msq_ctl(id, IPC_RMID, NULL) != 0)
		t_fail_at(file, line, "msgctl(%d, IPC_RMID): errno %s", id,
			  t_errname(errno));
}

#define msq_stat(id) msq_stat_at(__FILE__, __LINE__, (id))
static inline struct msq_ds msq_stat_at(const char *file, int line, int id)
{
	struct msq_ds ds;

	memset(&ds, 0xa5, sizeof(ds));
	if (msq_ctl(id, IPC_STAT, &ds) != 0)
		t_fail_at(file, line, "msgctl(%d, IPC_STAT): errno %s", id,
			  t_errname(errno));
	return ds;
}

/* Sets msg_qbytes, keeping the owner and mode. */
#define msq_set_qbytes(id, qbytes) \
	msq_set_qbytes_at(__FILE__, __LINE__, (id), (qbytes))
static inline void msq_set_qbytes_at(const char *file, int line, int id,
				     unsigned long qbytes)
{
	struct msq_ds ds = msq_stat_at(file, line, id);

	ds.qbytes = qbytes;
	if (msq_ctl(id, IPC_SET, &ds) != 0)
		t_fail_at(file, line, "msgctl(%d, IPC_SET, qbytes %lu): errno %s",
			  id, qbytes, t_errname(errno));
}

static inline unsigned char msg_byte(int tag, size_t i)
{
	return (unsigned char)(tag * 31 + i * 7 + 1);
}

/* Sends len bytes of message tag as type; returns what msgsnd returned. */
static inline long msq_send(int id, long type, int tag, size_t len, int flags)
{
	static struct msq_buf buf;

	buf.mtype = type;
	for (size_t i = 0; i < len && i < MSQ_BUF; i++)
		buf.mtext[i] = msg_byte(tag, i);
	return msq_snd(id, &buf, len, flags);
}

#define MSQ_SEND(id, type, tag, len) \
	CHECK_OK(msq_send((id), (type), (tag), (len), 0))

/*
 * msgrcv(id, size, msgtyp, flags) must return message tag of this type
 * and length, whole and intact (its first want_len bytes when truncated).
 */
#define MSQ_EXPECT(id, size, msgtyp, flags, type, tag, len)               \
	msq_expect_at(__FILE__, __LINE__, (id), (size), (msgtyp), (flags), \
		      (type), (tag), (len))
static inline void msq_expect_at(const char *file, int line, int id,
				 size_t size, long msgtyp, int flags,
				 long want_type, int want_tag, long want_len)
{
	static struct msq_buf buf;

	/* Clear what may be written (not all 16 KB for every small message). */
	memset(&buf, 0, offsetof(struct msq_buf, mtext) +
			(size < MSQ_BUF ? size : MSQ_BUF));
	errno = 0;
	long n = msq_rcv(id, &buf, size, msgtyp, flags);
	if (n != want_len || buf.mtype != want_type)
		t_fail_at(file, line,
			  "msgrcv(msgtyp %ld, flags %#o) = %ld (errno %s) type %ld, "
			  "want %ld type %ld", msgtyp, flags, n, t_errname(errno),
			  buf.mtype, want_len, want_type);
	for (long i = 0; i < n; i++)
		if (buf.mtext[i] != msg_byte(want_tag, i))
			t_fail_at(file, line, "byte %ld is %#x, want message %d's %#x",
				  i, buf.mtext[i], want_tag, msg_byte(want_tag, i));
}

/* Drops every privilege: supplementary groups, then gid, then uid. */
static inline void msq_become_nobody(void)
{
	CHECK_OK(setgroups(0, NULL));
	CHECK_OK(setgid(NOBODY));
	CHECK_OK(setuid(NOBODY));
	CHECK_EQ(geteuid(), NOBODY);
}

/* Runs fn(id) in a child that is nobody; it must return normally. */
static inline void msq_as_nobody(void (*fn)(int), int id)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		msq_become_nobody();
		fn(id);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/*
 * Waits until pid is asleep. The callers first await a flag the child
 * posts just before its blocking call, so once it sleeps it sleeps there.
 * A child that ended has already said why (its call did not block). The
 * bound only turns a hang into a failure.
 */
static inline void msq_await_sleeping(pid_t pid)
{
	for (long spins = 0; spins < (1L << 20); spins++) {
		char state = t_proc_state(pid);
		if (state == 'S')
			return;
		if (state == 'Z' || state == 0)
			T_FAIL("process %d ended instead of blocking", (int)pid);
		sched_yield();
	}
	T_FAIL("process %d never went to sleep (state %c)", (int)pid,
	       t_proc_state(pid));
}

/* /proc/sys/kernel/NAME as a number. */
static inline long msq_sysctl_read(const char *name)
{
	char path[96], buf[64];

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	int fd = CHECK_OK(open(path, O_RDONLY | O_CLOEXEC));
	long n = CHECK_OK(read(fd, buf, sizeof(buf) - 1));
	close(fd);
	buf[n] = '\0';
	CHECK(n > 1 && buf[n - 1] == '\n');
	return strtol(buf, NULL, 10);
}

/* Writes text to /proc/sys/kernel/NAME; returns what write(2) returned. */
static inline long msq_sysctl_write_text(const char *name, const char *text)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	int fd = CHECK_OK(open(path, O_WRONLY | O_CLOEXEC));
	errno = 0;
	long n = write(fd, text, strlen(text));
	int err = errno;
	close(fd);
	errno = err;
	return n;
}

static inline void msq_sysctl_write(const char *name, long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%ld\n", value);
	CHECK_EQ(msq_sysctl_write_text(name, text), (long)strlen(text));
}

/*
 * Runs fn in a child while /proc/sys/kernel/NAME holds value, then puts
 * the old value back whatever the child did, so a failure cannot leave
 * the limit changed for the tests that follow.
 */
static inline void msq_with_sysctl(const char *name, long value,
				   void (*fn)(void))
{
	long old = msq_sysctl_read(name);

	msq_sysctl_write(name, value);
	pid_t pid = t_fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int status = t_wait(pid);
	msq_sysctl_write(name, old);
	CHECK_EQ(msq_sysctl_read(name), old);
	CHECK_EXITED(status, 0);
}

#endif
