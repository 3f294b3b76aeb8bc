/*
 * Basic kernel types and helper macros. Every kernel file may include this;
 * it depends only on the compiler's freestanding headers.
 */
#ifndef BASALT_TYPES_H
#define BASALT_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef int64_t ssize_t;
typedef int64_t off_t;
typedef int32_t pid_t;
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef uint32_t mode_t;
typedef uint64_t dev_t;
typedef uint64_t ino_t;
typedef uint64_t phys_addr_t;

/*
 * Marks a pointer that holds a user-space address: never dereference it,
 * only hand it to the copy routines (mm/uaccess.h). For the compiler the
 * marker is empty; under sparse (`make check`, scripts/check-sparse.sh)
 * it is an address space of its own, so a dereference, or a mix-up with
 * a kernel pointer, is reported. __force marks the one deliberate cast
 * (arch/x86_64/uaccess.c).
 */
#ifdef __CHECKER__
#define __user		__attribute__((noderef, address_space(__user)))
#define __force		__attribute__((force))
#else
#define __user
#define __force
#endif

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define noreturn    _Noreturn
#define __packed    __attribute__((packed))
#define __unused    __attribute__((unused))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* Pointer-or-error encoding: the top 4095 values are -errno. */
#define MAX_ERRNO 4095
static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p)
{
	return (unsigned long)p >= (unsigned long)-MAX_ERRNO;
}

#endif
