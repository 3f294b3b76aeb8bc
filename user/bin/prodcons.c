/*
 * prodcons.c - producer and consumer in two processes (fork), through a
 * bounded buffer in a System V shared memory segment, synchronised by
 * the report's semaphores (<basalt/sem.h>): "empty" counts the free
 * slots (getsem(SLOTS)), "full" the filled ones (getsem(0)), and a mutex
 * (mutex_get) guards the ring's indices. The producer sends 1..ITEMS,
 * the consumer checks they come in order and sums them.
 *
 * The output is always the same: the consumer's line (it ends first:
 * the producer waits for it), then the producer's, then the state the
 * semaphores are left in. Exit status 0 when everything arrived, in
 * order, and the semaphores are back where they started.
 */
#include <basalt/sem.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS	8
#define ITEMS	1000

struct ring {
	int slot[SLOTS];
	int in, out;		/* next slot to fill, to empty (mutex) */
};

static int empty, full, mutex;

static void put(struct ring *r, int item)
{
	p(empty);
	mutex_lock(mutex);
	r->slot[r->in] = item;
	r->in = (r->in + 1) % SLOTS;
	mutex_unlock(mutex);
	v(full);
}

static int get(struct ring *r)
{
	p(full);
	mutex_lock(mutex);
	int item = r->slot[r->out];
	r->out = (r->out + 1) % SLOTS;
	mutex_unlock(mutex);
	v(empty);
	return item;
}

static int consume(struct ring *r)
{
	long sum = 0;
	int disorder = 0;

	for (int i = 1; i <= ITEMS; i++) {
		int item = get(r);

		sum += item;
		disorder += item != i;
	}
	if (disorder)
		printf("consumer: received %d items, %d out of order, sum %ld\n",
		       ITEMS, disorder, sum);
	else
		printf("consumer: received %d items in order, sum %ld\n",
		       ITEMS, sum);
	return disorder ? 1 : 0;
}

int main(void)
{
	int id = shmget(IPC_PRIVATE, sizeof(struct ring), IPC_CREAT | 0600);
	struct ring *r = id < 0 ? (void *)-1 : shmat(id, NULL, 0);

	if (r == (void *)-1) {
		perror("prodcons: shared memory");
		return 2;
	}
	shmctl(id, IPC_RMID, NULL);	/* it goes with its last attachment */
	empty = getsem(SLOTS);
	full = getsem(0);
	mutex = mutex_get();
	if (empty < 0 || full < 0 || mutex < 0) {
		perror("prodcons: getsem");
		return 2;
	}
	printf("%d items through a ring of %d slots in shared memory\n",
	       ITEMS, SLOTS);
	fflush(stdout);		/* not copied into the child's buffer */

	pid_t pid = fork();
	if (pid == 0)
		exit(consume(r));
	long sum = 0;
	for (int i = 1; i <= ITEMS; i++) {
		put(r, i);
		sum += i;
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("producer: sent %d items, sum %ld\n", ITEMS, sum);

	int free_slots = semctl(empty, 0, GETVAL);
	int filled = semctl(full, 0, GETVAL);
	int unlocked = semctl(mutex, 0, GETVAL);
	printf("semaphores: empty %d, full %d, mutex %d\n", free_slots, filled,
	       unlocked);
	freesem(empty);
	freesem(full);
	freesem(mutex);
	shmdt(r);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	       free_slots == SLOTS && filled == 0 && unlocked == 1 ? 0 : 1;
}
