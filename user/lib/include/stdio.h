/*
 * <stdio.h> - buffered streams over file descriptors and the printf
 * family. stdout is line-buffered on a terminal and fully buffered
 * otherwise; stderr is unbuffered; exit() flushes every stream. Each
 * call holds its stream's lock while other threads run, so threads may
 * share streams.
 */
#ifndef BASALT_STDIO_H
#define BASALT_STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct basalt_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin stdin
#define stdout stdout
#define stderr stderr

#define EOF		(-1)
#define BUFSIZ		4096
#define _IOFBF		0
#define _IOLBF		1
#define _IONBF		2
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
int dprintf(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
int sprintf(char *buf, const char *fmt, ...) PRINTF_LIKE(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vdprintf(int fd, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	PRINTF_LIKE(3, 0);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
int fflush(FILE *f);

int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
char *fgets(char *buf, int size, FILE *f);
size_t fread(void *p, size_t size, size_t n, FILE *f);
int ungetc(int c, FILE *f);

FILE *fopen(const char *path, const char *mode);
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);
int fileno(FILE *f);
int setvbuf(FILE *f, char *buf, int mode, size_t size);
void setbuf(FILE *f, char *buf);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
void perror(const char *msg);

#undef PRINTF_LIKE

#ifdef __cplusplus
}
#endif

#endif
