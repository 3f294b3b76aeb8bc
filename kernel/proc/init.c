/*
 * The first two tasks. The boot thread becomes the idle task (pid 0),
 * which runs whenever nothing else can; task 1 starts in the kernel,
 * loads the init program with execve and drops to user mode as init.
 */
#include <proc/task.h>
#include <proc/sched.h>
#include "internal.h"
#include <uapi/signal.h>
#include <proc/rlimit.h>
#include <arch/trapframe.h>
#include <fs/fs.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/layout.h>

extern char boot_stack[], boot_stack_top[];

static const char *const *init_argv, *const *init_envp;

/* The boot thread running on c, with its stack, becomes c's idle task. */
static void idle_task_create(struct cpu *c, void *stack, size_t size)
{
	struct task *idle = kzalloc(sizeof(*idle));

	if (!idle)
		panic("idle task of CPU %d: no memory", c->id);
	BUG_ON(size != KSTACK_SIZE);
	idle->kstack = stack;
	idle->start_ns = clock_monotonic_ns();	/* its CPU's /proc/stat time */
	strlcpy(idle->comm, "idle", sizeof(idle->comm));
	idle->state = TASK_RUNNABLE;
	idle->on_cpu = true;
	idle->cpu = c->id;
	idle->cpus_allowed = cpumask_of(c->id);
	list_init(&idle->run_link);
	list_init(&idle->timer_link);
	list_init(&idle->wait_link);
	list_init(&idle->children);
	c->idle = idle;
	c->running = idle;
	c->kernel_rsp = (uint64_t)stack + size;
}

void proc_init(void)
{
	sched_init();
	idle_task_create(this_cpu(), boot_stack, boot_stack_top - boot_stack);
}

void proc_init_ap_idle(struct cpu *c, void *stack, size_t size)
{
	idle_task_create(c, stack, size);
}

/* Task 1's first code: become init by executing the init program. */
static noreturn void init_task_main(void)
{
	struct exec_strings src = {
		.from_user = false,
		.kernel_argv = init_argv,
		.kernel_envp = init_envp,
	};
	struct task *t = current;

	sched_finish_switch();
	irq_enable();
	long err = do_execve(init_argv[0], &src);
	if (err)
		panic("cannot run init %s: error %ld", init_argv[0], err);
	pr_info("init: started %s as pid %d", init_argv[0], t->tid);
	trap_return_to(t->regs);
}

noreturn void proc_start_init(const char *const argv[],
			       const char *const envp[])
{
	struct task *t = task_alloc();

	if (!t || t->tid != 1)
		panic("cannot create task 1");
	init_argv = argv;
	init_envp = envp;
	t->files = files_create();
	t->fs = fsctx_create_root();
	if (!t->files || !t->fs || files_open_console(t->files) < 0)
		panic("init: cannot set up files and console");
	rlimit_init_defaults(t->rlimits);
	t->sighand = sighand_alloc(NULL);
	/* Linux's first process is in process group 0 and session 0, the
	 * idle task's, until it calls setsid (ps shows no "s" for it). */
	t->group = group_alloc(t, 0, 0);
	if (!t->sighand || !t->group)
		panic("init: no memory for its signal state");
	spin_lock(&proc_tree_lock);
	group_add_thread(t->group, t);
	spin_unlock(&proc_tree_lock);
	t->exit_signal = SIGCHLD;
	strlcpy(t->comm, "init", sizeof(t->comm));
	memcpy(t->fpu_state, fpu_initial_state, sizeof(t->fpu_state));
	t->regs = task_user_frame(t);
	memset(t->regs, 0, sizeof(*t->regs));

	/* Run init_task_main on t's stack, below its user frame. */
	struct context *ctx = (struct context *)t->regs - 1;
	memset(ctx, 0, sizeof(*ctx));
	ctx->rip = (uint64_t)init_task_main;
	t->context = ctx;
	t->state = TASK_SLEEPING;
	sched_wake(t);
	sched_idle_loop();
}
