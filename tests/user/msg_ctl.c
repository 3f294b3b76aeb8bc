/*
 * msg_ctl.c - what System V message queues report and how they are
 * controlled: msgctl's IPC_STAT fields (counts, pids, times, owner and
 * mode), IPC_SET and who may use it, IPC_RMID, IPC_INFO, MSG_INFO,
 * MSG_STAT and MSG_STAT_ANY, every msgctl errno, /proc/sysvipc/msg line
 * by line, and the /proc/sys/kernel/msgmax, msgmnb and msgmni limits.
 * (msgget, msgsnd, msgrcv: msg.c; blocking: msg_block.c.)
 *
 * Every assertion is what Linux 6.1 does. A case that changes a limit
 * checks its effect in a child and restores it whatever the child did.
 */
#define _GNU_SOURCE
#include "t.h"
#include "msgtest.h"

#include <sys/wait.h>
#include <time.h>

/*
 * Fails unless lo <= t <= the time now. Linux stamps IPC times from its
 * coarse clock, updated at each tick, which may lag time() (the vDSO's
 * fine clock) by a tick across a second boundary: a second of slack below.
 */
#define CHECK_TIME(t, lo)                                                 \
	do {                                                              \
		long t_ = (t), hi_ = (long)time(NULL);                    \
		if (t_ < (long)(lo) - 1 || t_ > hi_)                      \
			T_FAIL("%s = %ld, want %ld..%ld", #t, t_,         \
			       (long)(lo), hi_);                          \
	} while (0)

/* Sends (or receives) in a child, so the queue records another pid. */
static pid_t send_from_child(int id, long type, int tag, size_t len)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		MSQ_SEND(id, type, tag, len);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	return pid;
}

static pid_t receive_in_child(int id, long type, int tag, size_t len)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		MSQ_EXPECT(id, MSQ_BUF, type, IPC_NOWAIT, type, tag, len);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	return pid;
}

static void case_stat_fields(void)
{
	long before = (long)time(NULL);
	int id = (int)CHECK_OK(msq_get(MSQ_KEY(20), IPC_CREAT | 0640));
	struct msq_ds ds = msq_stat(id);

	CHECK_EQ(ds.perm.key, MSQ_KEY(20));
	CHECK_EQ(ds.perm.uid, geteuid());
	CHECK_EQ(ds.perm.gid, getegid());
	CHECK_EQ(ds.perm.cuid, geteuid());
	CHECK_EQ(ds.perm.cgid, getegid());
	CHECK_EQ(ds.perm.mode, 0640);
	CHECK_EQ(ds.stime, 0);
	CHECK_EQ(ds.rtime, 0);
	CHECK_TIME(ds.ctime, before);
	CHECK_EQ(ds.cbytes, 0);
	CHECK_EQ(ds.qnum, 0);
	CHECK_EQ(ds.qbytes, MSQ_MSGMNB);
	CHECK_EQ(ds.lspid, 0);
	CHECK_EQ(ds.lrpid, 0);
	long ctime0 = ds.ctime;

	send_from_child(id, 1, 1, 10);
	pid_t sender = send_from_child(id, 2, 2, 20);
	ds = msq_stat(id);
	CHECK_EQ(ds.lspid, sender);	/* the last one */
	CHECK_EQ(ds.lrpid, 0);
	CHECK_EQ(ds.qnum, 2);
	CHECK_EQ(ds.cbytes, 30);
	CHECK_TIME(ds.stime, before);
	CHECK_EQ(ds.rtime, 0);

	pid_t receiver = receive_in_child(id, 1, 1, 10);
	ds = msq_stat(id);
	CHECK_EQ(ds.lrpid, receiver);
	CHECK_EQ(ds.qnum, 1);
	CHECK_EQ(ds.cbytes, 20);
	CHECK_TIME(ds.rtime, before);
	CHECK_EQ(ds.ctime, ctime0);	/* messages do not change ctime */
	msq_rm(id);
}

static void case_ipc_set(void)
{
	long before = (long)time(NULL);
	int id = (int)CHECK_OK(msq_get(MSQ_KEY(21), IPC_CREAT | 0600));
	struct msq_ds ds = msq_stat(id);

	/* Only uid, gid, the nine mode bits and qbytes are taken. */
	ds.perm.uid = NOBODY;
	ds.perm.gid = NOBODY;
	ds.perm.mode = 07777;
	ds.perm.key = 123;
	ds.perm.cuid = ds.perm.cgid = 77;
	ds.qbytes = 1000;
	ds.qnum = ds.cbytes = 5;
	ds.lspid = ds.lrpid = 9;
	ds.stime = ds.rtime = 1;
	CHECK_EQ(msq_ctl(id, IPC_SET, &ds), 0);
	ds = msq_stat(id);
	CHECK_EQ(ds.perm.key, MSQ_KEY(21));
	CHECK_EQ(ds.perm.uid, NOBODY);
	CHECK_EQ(ds.perm.gid, NOBODY);
	CHECK_EQ(ds.perm.cuid, 0);
	CHECK_EQ(ds.perm.cgid, 0);
	CHECK_EQ(ds.perm.mode, 0777);
	CHECK_EQ(ds.qbytes, 1000);
	CHECK_EQ(ds.qnum, 0);
	CHECK_EQ(ds.cbytes, 0);
	CHECK_EQ(ds.lspid, 0);
	CHECK_EQ(ds.stime, 0);
	CHECK_TIME(ds.ctime, before);

	/* Root may raise msg_qbytes above msgmnb. */
	msq_set_qbytes(id, 4 * MSQ_MSGMNB);
	CHECK_EQ(msq_stat(id).qbytes, 4 * MSQ_MSGMNB);
	/* An id that maps to no user is refused. */
	ds = msq_stat(id);
	ds.perm.uid = (unsigned int)-1;
	CHECK_ERR(msq_ctl(id, IPC_SET, &ds), EINVAL);
	ds.perm.uid = 0;
	ds.perm.gid = (unsigned int)-1;
	CHECK_ERR(msq_ctl(id, IPC_SET, &ds), EINVAL);
	CHECK_EQ(msq_stat(id).perm.uid, NOBODY);
	msq_rm(id);
}

static void nobody_sets_own(int unused)
{
	(void)unused;
	int id = msq_new(0600);

	struct msq_ds ds = msq_stat(id);

	/* Above msgmnb needs CAP_SYS_RESOURCE; up to it, the owner may. */
	msq_set_qbytes(id, 100);
	ds.qbytes = MSQ_MSGMNB + 1;
	CHECK_ERR(msq_ctl(id, IPC_SET, &ds), EPERM);
	CHECK_EQ(msq_stat(id).qbytes, 100);
	msq_set_qbytes(id, MSQ_MSGMNB);
	/* Given away, the queue still answers to its creator. */
	ds = msq_stat(id);
	ds.perm.uid = 0;
	ds.perm.gid = 0;
	CHECK_OK(msq_ctl(id, IPC_SET, &ds));
	CHECK_EQ(msq_stat(id).perm.uid, 0);
	CHECK_OK(msq_send(id, 1, 1, 1, IPC_NOWAIT));
	msq_set_qbytes(id, 50);
	msq_rm(id);
}

static void nobody_sets_roots(int id)
{
	struct msq_ds ds = msq_stat(id);	/* mode 0666: readable */

	CHECK_ERR(msq_ctl(id, IPC_SET, &ds), EPERM);
	CHECK_ERR(msq_ctl(id, IPC_RMID, NULL), EPERM);
}

static void case_ipc_set_unprivileged(void)
{
	int id = msq_new(0666);

	msq_as_nobody(nobody_sets_own, 0);
	msq_as_nobody(nobody_sets_roots, id);
	CHECK_EQ(msq_stat(id).qbytes, MSQ_MSGMNB);
	msq_rm(id);
}

static void case_rmid(void)
{
	static struct msq_buf buf;
	int id = (int)CHECK_OK(msq_get(MSQ_KEY(22), IPC_CREAT | 0600));
	struct msq_ds ds = msq_stat(id);

	MSQ_SEND(id, 1, 1, 100);
	CHECK_EQ(msq_ctl(id, IPC_RMID, NULL), 0);
	/* Linux answers EINVAL, not EIDRM, to every later use of the id. */
	CHECK_ERR(msq_send(id, 1, 1, 1, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_rcv(id, &buf, MSQ_BUF, 0, IPC_NOWAIT), EINVAL);
	CHECK_ERR(msq_ctl(id, IPC_STAT, &ds), EINVAL);
	CHECK_ERR(msq_ctl(id, IPC_SET, &ds), EINVAL);
	CHECK_ERR(msq_ctl(id, IPC_RMID, NULL), EINVAL);
	CHECK_ERR(msq_get(MSQ_KEY(22), 0), ENOENT);
}

/* The index MSG_STAT_ANY maps to id; exactly one index must. */
static int index_of(int id)
{
	struct msq_ds ds;
	int max = (int)CHECK_OK(msq_ctl(0, IPC_INFO, &(struct msq_info){ 0 }));
	int found = -1;

	for (int i = 0; i <= max; i++) {
		if (msq_ctl(i, MSG_STAT_ANY, &ds) != id)
			continue;
		CHECK_EQ(found, -1);
		found = i;
	}
	CHECK(found >= 0);
	return found;
}

static void check_limits(const struct msq_info *in)
{
	CHECK_EQ(in->msgmax, MSQ_MSGMAX);
	CHECK_EQ(in->msgmnb, MSQ_MSGMNB);
	CHECK_EQ(in->msgmni, MSQ_MSGMNI);
	CHECK_EQ(in->msgssz, MSQ_MSGSSZ);
	CHECK_EQ(in->msgseg, MSQ_MSGSEG);
}

static void case_ipc_info(void)
{
	struct msq_info in;
	int id = msq_new(0600);

	memset(&in, 0xa5, sizeof(in));
	/* The id argument is ignored (if not negative). */
	int max = (int)CHECK_OK(msq_ctl(12345, IPC_INFO, &in));
	check_limits(&in);
	CHECK_EQ(in.msgpool, MSQ_MSGPOOL);
	CHECK_EQ(in.msgmap, MSQ_MSGMNB);
	CHECK_EQ(in.msgtql, MSQ_MSGMNB);
	/* It returns the highest index in use. */
	CHECK(max >= index_of(id));
	CHECK_OK(msq_ctl(max, MSG_STAT_ANY, &(struct msq_ds){ 0 }));
	CHECK_ERR(msq_ctl(max + 1, MSG_STAT_ANY, &(struct msq_ds){ 0 }), EINVAL);
	msq_rm(id);
}

/* MSG_INFO counts queues (msgpool), messages (msgmap) and bytes (msgtql). */
static void case_msg_info(void)
{
	struct msq_info in0, in;

	CHECK_OK(msq_ctl(0, MSG_INFO, &in0));
	int a = msq_new(0600), b = msq_new(0600);
	MSQ_SEND(a, 1, 1, 100);
	MSQ_SEND(a, 1, 2, 50);
	MSQ_SEND(b, 1, 3, 0);
	memset(&in, 0xa5, sizeof(in));
	int max = (int)CHECK_OK(msq_ctl(0, MSG_INFO, &in));
	CHECK(max >= index_of(a) && max >= index_of(b));
	check_limits(&in);
	CHECK_EQ(in.msgpool, in0.msgpool + 2);
	CHECK_EQ(in.msgmap, in0.msgmap + 3);
	CHECK_EQ(in.msgtql, in0.msgtql + 150);
	MSQ_EXPECT(a, MSQ_BUF, 0, 0, 1, 1, 100);
	CHECK_OK(msq_ctl(0, MSG_INFO, &in));
	CHECK_EQ(in.msgmap, in0.msgmap + 2);
	CHECK_EQ(in.msgtql, in0.msgtql + 50);
	msq_rm(a);	/* with a message still in it */
	msq_rm(b);
	CHECK_OK(msq_ctl(0, MSG_INFO, &in));
	CHECK_EQ(in.msgpool, in0.msgpool);
	CHECK_EQ(in.msgmap, in0.msgmap);
	CHECK_EQ(in.msgtql, in0.msgtql);
}

static void nobody_msg_stat(int idx)
{
	struct msq_ds ds;

	CHECK_ERR(msq_ctl(idx, MSG_STAT, &ds), EACCES);
	long id = CHECK_OK(msq_ctl(idx, MSG_STAT_ANY, &ds));
	CHECK_EQ(ds.perm.mode, 0600);
	CHECK_ERR(msq_ctl((int)id, IPC_STAT, &ds), EACCES);
}

/* MSG_STAT and MSG_STAT_ANY take an index and return the full id. */
static void case_msg_stat(void)
{
	int id = msq_new(0600);
	int idx = index_of(id);
	struct msq_ds want, ds;

	MSQ_SEND(id, 3, 3, 33);
	want = msq_stat(id);
	memset(&ds, 0xa5, sizeof(ds));
	CHECK_EQ(msq_ctl(idx, MSG_STAT, &ds), id);
	CHECK(memcmp(&ds, &want, sizeof(ds)) == 0);
	memset(&ds, 0xa5, sizeof(ds));
	CHECK_EQ(msq_ctl(idx, MSG_STAT_ANY, &ds), id);
	CHECK(memcmp(&ds, &want, sizeof(ds)) == 0);
	msq_as_nobody(nobody_msg_stat, idx);
	msq_rm(id);
	CHECK_ERR(msq_ctl(idx, MSG_STAT, &ds), EINVAL);
	CHECK_ERR(msq_ctl(idx, MSG_STAT_ANY, &ds), EINVAL);
}

static void case_ctl_errors(void)
{
	static const int bad_cmds[] = { -1, 4, 10, 14, 0x100 | IPC_STAT, 1000 };
	struct msq_ds ds;
	struct msq_info in;
	int id = msq_new(0600);
	int idx = index_of(id);

	CHECK_ERR(msq_ctl(-1, IPC_STAT, &ds), EINVAL);
	CHECK_ERR(msq_ctl(-1, IPC_INFO, &in), EINVAL);
	CHECK_ERR(msq_ctl(-1, MSG_INFO, &in), EINVAL);
	/* x86-64 has no IPC_64 flag to strip: 0x100 | cmd is unknown. */
	for (size_t i = 0; i < sizeof(bad_cmds) / sizeof(bad_cmds[0]); i++)
		CHECK_ERR(msq_ctl(id, bad_cmds[i], &ds), EINVAL);

	CHECK_ERR(msq_ctl(id, IPC_STAT, NULL), EFAULT);
	CHECK_ERR(msq_ctl(id, IPC_STAT, T_KERNEL_TEXT), EFAULT);
	CHECK_ERR(msq_ctl(id, IPC_SET, NULL), EFAULT);
	CHECK_ERR(msq_ctl(id, IPC_SET, T_KERNEL_TEXT), EFAULT);
	CHECK_ERR(msq_ctl(0, IPC_INFO, NULL), EFAULT);
	CHECK_ERR(msq_ctl(0, MSG_INFO, T_KERNEL_TEXT), EFAULT);
	CHECK_ERR(msq_ctl(idx, MSG_STAT, NULL), EFAULT);
	CHECK_ERR(msq_ctl(idx, MSG_STAT_ANY, NULL), EFAULT);
	CHECK_EQ(msq_stat(id).qnum, 0);
	/* IPC_RMID does not look at the buffer. */
	CHECK_EQ(msq_ctl(id, IPC_RMID, T_KERNEL_TEXT), 0);
	CHECK_ERR(msq_ctl(id, IPC_STAT, &ds), EINVAL);
}

/* ---- /proc ---- */

#define SYSVIPC_MSG_HEADER                                                  \
	"       key      msqid perms      cbytes       qnum lspid lrpid   uid" \
	"   gid  cuid  cgid      stime      rtime      ctime\n"

/* Reads /proc/sysvipc/msg; returns the line for id (or NULL) in line. */
static const char *sysvipc_line(int id, char *line, size_t len)
{
	static char buf[65536];
	size_t used = 0;
	ssize_t n;
	int fd = CHECK_OK(open("/proc/sysvipc/msg", O_RDONLY | O_CLOEXEC));

	while (used < sizeof(buf) - 1 &&
	       (n = read(fd, buf + used, sizeof(buf) - 1 - used)) > 0)
		used += n;
	close(fd);
	buf[used] = '\0';
	if (strncmp(buf, SYSVIPC_MSG_HEADER, strlen(SYSVIPC_MSG_HEADER)) != 0)
		T_FAIL("/proc/sysvipc/msg header is \"%.160s\"", buf);
	for (char *p = strchr(buf, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
		int key, msqid;
		if (sscanf(p, "%d %d", &key, &msqid) == 2 && msqid == id) {
			snprintf(line, len, "%.*s", (int)(strchr(p, '\n') - p + 1), p);
			return line;
		}
		if (!strchr(p, '\n'))
			break;
	}
	return NULL;
}

static void case_proc_sysvipc(void)
{
	char line[256], want[256];
	int id = (int)CHECK_OK(msq_get(MSQ_KEY(23), IPC_CREAT | 0640));

	send_from_child(id, 1, 1, 10);
	send_from_child(id, 2, 2, 20);
	receive_in_child(id, 1, 1, 10);
	struct msq_ds ds = msq_stat(id);
	CHECK(sysvipc_line(id, line, sizeof(line)) != NULL);

	int key, msqid, lspid, lrpid;
	unsigned int perms, uid, gid, cuid, cgid;
	unsigned long cbytes, qnum;
	long long stime, rtime, ctime;
	CHECK_EQ(sscanf(line, "%d %d %o %lu %lu %d %d %u %u %u %u %lld %lld %lld",
			&key, &msqid, &perms, &cbytes, &qnum, &lspid, &lrpid,
			&uid, &gid, &cuid, &cgid, &stime, &rtime, &ctime), 14);
	CHECK_EQ(key, MSQ_KEY(23));
	CHECK_EQ(msqid, id);
	CHECK_EQ(perms, 0640);
	CHECK_EQ(cbytes, 20);
	CHECK_EQ(qnum, 1);
	CHECK_EQ(lspid, ds.lspid);
	CHECK_EQ(lrpid, ds.lrpid);
	CHECK(lspid > 0 && lrpid > 0 && lspid != lrpid);
	CHECK_EQ(uid, 0);
	CHECK_EQ(gid, 0);
	CHECK_EQ(cuid, 0);
	CHECK_EQ(cgid, 0);
	CHECK_EQ(stime, ds.stime);
	CHECK_EQ(rtime, ds.rtime);
	CHECK_EQ(ctime, ds.ctime);
	/* Linux's exact format, column widths and all. */
	snprintf(want, sizeof(want),
		 "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n",
		 key, msqid, perms, cbytes, qnum, lspid, lrpid, uid, gid, cuid,
		 cgid, stime, rtime, ctime);
	if (strcmp(line, want) != 0)
		T_FAIL("line \"%s\", want \"%s\"", line, want);
	msq_rm(id);
	CHECK(sysvipc_line(id, line, sizeof(line)) == NULL);
}

static void case_sysctl_defaults(void)
{
	CHECK_EQ(msq_sysctl_read("msgmax"), MSQ_MSGMAX);
	CHECK_EQ(msq_sysctl_read("msgmnb"), MSQ_MSGMNB);
	CHECK_EQ(msq_sysctl_read("msgmni"), MSQ_MSGMNI);
}

static void msgmax_100(void)
{
	struct msq_info in;
	int id = msq_new(0600);

	CHECK_EQ(msq_sysctl_read("msgmax"), 100);
	CHECK_OK(msq_ctl(0, IPC_INFO, &in));
	CHECK_EQ(in.msgmax, 100);
	CHECK_ERR(msq_send(id, 1, 1, 101, IPC_NOWAIT), EINVAL);
	CHECK_OK(msq_send(id, 1, 1, 100, IPC_NOWAIT));
	msq_rm(id);
}

static void msgmnb_1000(void)
{
	struct msq_info in;
	int id = msq_new(0600);

	CHECK_EQ(msq_sysctl_read("msgmnb"), 1000);
	CHECK_OK(msq_ctl(0, IPC_INFO, &in));
	CHECK_EQ(in.msgmnb, 1000);
	CHECK_EQ(msq_stat(id).qbytes, 1000);	/* new queues take it */
	msq_rm(id);
}

static void msgmni_7(void)
{
	struct msq_info in;

	CHECK_EQ(msq_sysctl_read("msgmni"), 7);
	CHECK_OK(msq_ctl(0, IPC_INFO, &in));
	CHECK_EQ(in.msgmni, 7);
}

static void nobody_writes_sysctl(int unused)
{
	(void)unused;
	CHECK_ERR(open("/proc/sys/kernel/msgmax", O_WRONLY), EACCES);
	CHECK_EQ(msq_sysctl_read("msgmax"), MSQ_MSGMAX);
}

/* Root may change each limit, and the kernel then uses it. */
static void case_sysctl_write(void)
{
	int id = msq_new(0600);

	msq_with_sysctl("msgmax", 100, msgmax_100);
	msq_with_sysctl("msgmnb", 1000, msgmnb_1000);
	msq_with_sysctl("msgmni", 7, msgmni_7);
	CHECK_EQ(msq_stat(id).qbytes, MSQ_MSGMNB);	/* existing: unchanged */
	CHECK_ERR(msq_sysctl_write_text("msgmax", "-1\n"), EINVAL);
	CHECK_ERR(msq_sysctl_write_text("msgmnb", "abc\n"), EINVAL);
	CHECK_EQ(msq_sysctl_read("msgmax"), MSQ_MSGMAX);
	CHECK_EQ(msq_sysctl_read("msgmnb"), MSQ_MSGMNB);
	msq_as_nobody(nobody_writes_sysctl, 0);
	msq_rm(id);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		{ case_stat_fields, "stat_fields" },
		{ case_ipc_set, "ipc_set" },
		{ case_ipc_set_unprivileged, "ipc_set_unprivileged" },
		{ case_rmid, "rmid" },
		{ case_ipc_info, "ipc_info" },
		{ case_msg_info, "msg_info" },
		{ case_msg_stat, "msg_stat" },
		{ case_ctl_errors, "ctl_errors" },
		{ case_proc_sysvipc, "proc_sysvipc" },
		{ case_sysctl_defaults, "sysctl_defaults" },
		{ case_sysctl_write, "sysctl_write" },
	};

	return T_RUN(argc, argv, cases);
}
