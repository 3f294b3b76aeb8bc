/*
 * The System V IPC id table shared by shm, msg and sem (kernel/ipc/), and
 * the permission rules they share. Private to kernel/ipc/.
 *
 * An id is a slot index plus a sequence number, as Linux makes them:
 * id = seq * IPCMNI + index. A slot is reused by later objects, but with
 * a new sequence number, so a stale id (of a removed object) never names
 * the object that took its slot: lookups compare the whole id.
 *
 * Locking: each table has a mutex, held by whoever looks up, adds or
 * removes an object and for the short checks done under it. Objects
 * have their own lifetime rules (shm: the memory object's references;
 * msg: a reference count), so code that must sleep takes a reference,
 * drops the table lock, and revalidates the id after waking.
 */
#ifndef BASALT_IPC_UTIL_H
#define BASALT_IPC_UTIL_H

#include <types.h>
#include <sync/mutex.h>
#include <uapi/ipc.h>

#define IPCMNI_SHIFT	15
#define IPCMNI		(1 << IPCMNI_SHIFT)	/* slots; Linux's default */
#define IPCID_SEQ_MAX	(INT32_MAX >> IPCMNI_SHIFT)

/* What every IPC object starts with (Linux's kern_ipc_perm). */
struct kern_ipc_perm {
	int id;				/* fixed once added */
	key_t key;			/* IPC_PRIVATE once removed */
	uid_t uid, cuid;
	gid_t gid, cgid;
	mode_t mode;			/* permission bits and SHM_* flags */
	uint16_t seq;
};

struct ipc_ids {
	struct mutex lock;		/* guards everything below */
	struct kern_ipc_perm **slot;	/* capacity entries, NULL: free */
	unsigned int capacity;
	unsigned int in_use;
	int max_idx;			/* highest used index, -1: none */
	int last_idx;			/* index given out last */
	unsigned int seq;		/* sequence for the next object */
};

void ipc_ids_init(struct ipc_ids *ids, const char *name);

/*
 * Give p a free slot (the lowest) and its id; limit is the most objects
 * the table may hold (SHMMNI, MSGMNI, ...). Fills p's owner and creator
 * from the caller's credentials and mode from flg's low 9 bits. Returns
 * the id, -ENOSPC (limit) or -ENOMEM. ids->lock held.
 */
int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *p, key_t key,
	      int flg, unsigned int limit);
/* Take p out of the table; its id names nothing from now on. */
void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *p);

/* The object with this key, this exact id, or at this index; NULL if
 * none. ids->lock held. */
struct kern_ipc_perm *ipc_findkey(struct ipc_ids *ids, key_t key);
struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int id);
struct kern_ipc_perm *ipc_obtain_idx(struct ipc_ids *ids, int idx);
/* The highest index in use (the value IPC_INFO returns), or 0. */
int ipc_max_idx(struct ipc_ids *ids);

/* The get protocol shared by shmget, msgget and semget (Linux's ipcget). */
struct ipc_params {
	key_t key;
	int flg;
	uint64_t size;			/* shm: bytes; sem: nsems */
};
struct ipc_get_ops {
	/* Make and add a new object; its id or -errno. ids->lock held. */
	int (*getnew)(struct ipc_params *params);
	/* An existing object may be opened with these params: 0 or -errno. */
	int (*more_checks)(struct kern_ipc_perm *p, struct ipc_params *params);
};
int ipcget(struct ipc_ids *ids, const struct ipc_get_ops *ops,
	   struct ipc_params *params);

/*
 * Linux's ipcperms: may the caller access p with the rwx bits of flg
 * (owner, group or other class, root bypasses)? 0 or -EACCES.
 */
int ipcperms(const struct kern_ipc_perm *p, int flg);
/* IPC_SET and IPC_RMID: the caller owns or created p, or is root. */
bool ipc_may_change(const struct kern_ipc_perm *p);
/* IPC_SET: uid, gid and the permission bits from in; -EINVAL for an id
 * that cannot exist ((uid_t)-1). */
int ipc_set_perm(struct kern_ipc_perm *p, const struct ipc64_perm *in);
void ipc_fill_perm(const struct kern_ipc_perm *p, struct ipc64_perm *out);

/* The caller's thread-group id and the wall clock in seconds. */
pid_t ipc_caller_pid(void);
int64_t ipc_now(void);

/* The namespace limits, as /proc/sys/kernel shows them (limits.c). */
struct ipc_limits {
	uint64_t shm_ctlmax;		/* shmmax: bytes in one segment */
	uint64_t shm_ctlall;		/* shmall: pages in all segments */
	uint64_t shm_ctlmni;		/* shmmni: segments */
	uint64_t msg_ctlmax;		/* msgmax: bytes in one message */
	uint64_t msg_ctlmnb;		/* msgmnb: default queue size */
	uint64_t msg_ctlmni;		/* msgmni: queues */
	int sem_ctls[4];		/* sem: the SEM_CTL_* limits below */
};
/* The four numbers of /proc/sys/kernel/sem, in its order (Linux's
 * sem_ctls[]); ints that root may even set negative, as Linux allows. */
enum {
	SEM_CTL_MSL,			/* semaphores in one set */
	SEM_CTL_MNS,			/* semaphores in all sets */
	SEM_CTL_OPM,			/* operations in one semop */
	SEM_CTL_MNI,			/* sets; 0..IPCMNI */
};
extern struct ipc_limits ipc_limits;	/* read atomically, no lock */

/* Each kind's start-up (called by ipc_init). */
void shm_init(void);
void msg_init(void);
void sem_init(void);

#endif
