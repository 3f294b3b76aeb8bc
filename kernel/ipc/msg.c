/*
 * System V message queues: not built yet (the calls return -ENOSYS).
 */
#include <types.h>
#include <ipc/ipc.h>

int msg_proc_show(ipc_emit_fn emit, void *ctx)
{
	static const char head[] =
		"       key      msqid perms      cbytes       qnum lspid lrpid"
		"   uid   gid  cuid  cgid      stime      rtime      ctime\n";

	return emit(ctx, head, sizeof(head) - 1);
}
