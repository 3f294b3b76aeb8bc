/*
 * Kernel logging. printk() keeps every message in the kernel log ring
 * (read by syslog(2), kernel/lib/syslog.c) and writes those within the
 * console level ("loglevel=" on the command line, syslog's
 * CONSOLE_LEVEL) to every console (serial first) with a timestamp
 * prefix. panic() paints the panic screen and stops.
 */
#ifndef BASALT_LIB_PRINTK_H
#define BASALT_LIB_PRINTK_H

#include <types.h>

enum log_level {
	LOG_ERR = 3,
	LOG_WARN = 4,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

/* The console level: messages with level > this are not printed (but
 * kept in the log ring). Read and written atomically. */
extern int printk_level;

/*
 * The kernel log ring (printk.c): records "<level>[    s.usec] text\n",
 * addressed by byte positions since boot that only grow. A position older
 * than the oldest record kept means that record.
 */
#define LOG_BUF_LEN	(1 << 16)
/* The position just past the newest record. */
uint64_t log_end(void);
/* Bytes from pos to the end. */
size_t log_unread(uint64_t pos);
/* Copy into dst the records from *pos on, as many whole ones as fit in
 * size bytes (or the first size bytes of one that alone does not fit),
 * and move *pos past them; returns the bytes copied. */
size_t log_read_next(uint64_t *pos, char *dst, size_t size);
/* Copy into dst the newest whole records after from that fit in size
 * bytes; returns the bytes copied. */
size_t log_read_newest(uint64_t from, char *dst, size_t size);

/* /dev/kmsg (kernel/drivers/kmsg.c): a record from user space, with its
 * priority (facility << 3 | level) and text of at most LOG_LINE_MAX. */
#define LOG_LINE_MAX	992
void log_user(unsigned int pri, const char *text, size_t len);
/* A reader of single records: the oldest record's position and sequence
 * number; then each record in turn without its '\n' (its length), 0 when
 * none is left, -EINVAL when it does not fit in size, -EPIPE (and the
 * reader moved to the oldest) when records were dropped before it. */
void log_start(uint64_t *pos, uint64_t *seq);
int log_read_record(uint64_t *pos, uint64_t *seq, char *dst, size_t size);

/* /proc/sys/kernel/dmesg_restrict (syslog.c): as ipc_sysctl_read/write. */
int syslog_sysctl_read(const char *name, char *buf, size_t size);
int syslog_sysctl_write(const char *name, const char *buf, size_t len);

__attribute__((format(printf, 2, 3)))
void printk(int level, const char *fmt, ...);

#define pr_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

__attribute__((format(printf, 3, 4)))
int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

__attribute__((format(printf, 1, 2)))
noreturn void panic(const char *fmt, ...);

#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("BUG_ON(%s) at %s:%d", #cond,		\
			      __FILE__, __LINE__);			\
	} while (0)

#endif
