/*
 * <basalt/thread.h> - libbasalt's threads: clone(2) with a stack and a
 * TLS block of their own, in the same address space.
 *
 *   static void *work(void *arg) { ...; return result; }
 *
 *   struct basalt_thread *t;
 *   if (thread_create(&t, work, arg) < 0)  perror("thread_create");
 *   void *result;
 *   thread_join(t, &result);
 *
 * thread_create starts fn(arg) in a new thread (a clone sharing memory,
 * files, filesystem context, signal handlers, System V semaphore undo
 * lists and the thread group) on a stack of THREAD_STACK_SIZE bytes with
 * a guard page below it, and stores its handle in *t. The thread ends
 * when fn returns or it calls thread_exit; its value is what fn returned
 * or what thread_exit was given.
 *
 * thread_join waits until thread t has ended (it sleeps on a futex the
 * kernel clears and wakes when the thread is gone), stores its value in
 * *result if result is not NULL, and frees its stack: afterwards t is
 * invalid. Every thread must be joined exactly once, by one other
 * thread; the main thread cannot be joined.
 *
 * thread_exit ends the calling thread only (the exit system call, not
 * exit_group); the process goes on while other threads run. When the
 * last thread of the process ends this way, the process exits with
 * status 0, through exit(), so stdio is flushed. Returning from main, or
 * calling exit, still ends the whole process, every thread included.
 *
 * errno and the program's __thread variables are per thread. malloc and
 * stdio may be used from every thread; their locks are skipped while the
 * process has a single thread. For locks of your own, see
 * <basalt/lock.h> (threads) and <basalt/sem.h> (threads and processes).
 *
 * thread_create returns 0, or -1 with errno set (ENOMEM, EAGAIN, or
 * EINVAL from a kernel without threads); thread_join returns 0.
 */
#ifndef BASALT_THREAD_H
#define BASALT_THREAD_H

#ifdef __cplusplus
extern "C" {
#endif

#define THREAD_STACK_SIZE	(256 * 1024)	/* bytes, guard page apart */

struct basalt_thread;

int thread_create(struct basalt_thread **t, void *(*fn)(void *), void *arg);
int thread_join(struct basalt_thread *t, void **result);
struct basalt_thread *thread_self(void);	/* the calling thread */
int thread_id(const struct basalt_thread *t);	/* its kernel thread id */
__attribute__((noreturn)) void thread_exit(void *result);

#ifdef __cplusplus
}
#endif

#endif
