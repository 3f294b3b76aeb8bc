/* <strings.h> - case-insensitive comparisons. */
#ifndef BASALT_STRINGS_H
#define BASALT_STRINGS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#ifdef __cplusplus
}
#endif

#endif
