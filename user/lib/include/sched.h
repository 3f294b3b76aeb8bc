/* <sched.h> - giving up the processor. */
#ifndef BASALT_SCHED_H
#define BASALT_SCHED_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int sched_yield(void);

#ifdef __cplusplus
}
#endif

#endif
