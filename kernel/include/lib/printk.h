/*
 * Kernel logging. printk() writes to every console (serial first) with a
 * timestamp prefix; messages above the log level set by "loglevel=" on the
 * command line are dropped. panic() paints the panic screen and stops.
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

extern int printk_level;	/* messages with level > this are dropped */

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
