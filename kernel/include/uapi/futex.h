/*
 * Linux futex ABI (uapi/linux/futex.h): the operations of futex(2), the
 * FUTEX_WAKE_OP encoding, the bits of a PI or robust futex word, the
 * robust-list structures and futex_waitv(2)'s entry.
 */
#ifndef BASALT_UAPI_FUTEX_H
#define BASALT_UAPI_FUTEX_H

#include <types.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2	/* removed in Linux 2.6.26: ENOSYS */
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13

#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define FUTEX_BITSET_MATCH_ANY	0xffffffffu

/* The futex word of a PI or robust lock. */
#define FUTEX_WAITERS		0x80000000u
#define FUTEX_OWNER_DIED	0x40000000u
#define FUTEX_TID_MASK		0x3fffffffu

/*
 * FUTEX_WAKE_OP's val3: op (bits 28-31, bit 31 = "oparg is a shift"),
 * cmp (24-27), oparg (12-23, signed), cmparg (0-11, signed).
 */
#define FUTEX_OP_SET		0	/* uaddr2 = oparg */
#define FUTEX_OP_ADD		1	/* uaddr2 += oparg */
#define FUTEX_OP_OR		2	/* uaddr2 |= oparg */
#define FUTEX_OP_ANDN		3	/* uaddr2 &= ~oparg */
#define FUTEX_OP_XOR		4	/* uaddr2 ^= oparg */
#define FUTEX_OP_OPARG_SHIFT	8	/* use (1 << oparg) as the operand */

#define FUTEX_OP_CMP_EQ		0
#define FUTEX_OP_CMP_NE		1
#define FUTEX_OP_CMP_LT		2
#define FUTEX_OP_CMP_LE		3
#define FUTEX_OP_CMP_GT		4
#define FUTEX_OP_CMP_GE		5

/* Robust futexes: a per-thread list in user memory, walked at exit. */
struct robust_list {
	uint64_t next;			/* struct robust_list *, bit 0: PI */
};

struct robust_list_head {
	struct robust_list list;	/* the head of a circular list */
	int64_t futex_offset;		/* entry + offset = the futex word */
	uint64_t list_op_pending;	/* an entry being added or removed */
};

_Static_assert(sizeof(struct robust_list_head) == 24, "robust_list_head ABI");
_Static_assert(offsetof(struct robust_list_head, futex_offset) == 8,
	       "robust_list_head ABI");
_Static_assert(offsetof(struct robust_list_head, list_op_pending) == 16,
	       "robust_list_head ABI");

/* Entries walked at most: a corrupt or circular list ends there. */
#define ROBUST_LIST_LIMIT	2048

/* futex_waitv(2) */
#define FUTEX_32		2	/* the only size: a 32-bit word */
#define FUTEX_WAITV_MAX		128

struct futex_waitv {
	uint64_t val;			/* expected value (low 32 bits) */
	uint64_t uaddr;			/* the futex word */
	uint32_t flags;			/* FUTEX_32 | FUTEX_PRIVATE_FLAG */
	uint32_t reserved;		/* must be 0 */
};

_Static_assert(sizeof(struct futex_waitv) == 24, "futex_waitv ABI");
_Static_assert(offsetof(struct futex_waitv, uaddr) == 8, "futex_waitv ABI");
_Static_assert(offsetof(struct futex_waitv, flags) == 16, "futex_waitv ABI");

#endif
