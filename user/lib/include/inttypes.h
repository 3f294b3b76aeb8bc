/* <inttypes.h> - printf formats for the <stdint.h> types (LP64). */
#ifndef BASALT_INTTYPES_H
#define BASALT_INTTYPES_H

#include <stdint.h>

#define PRId8	"d"
#define PRId16	"d"
#define PRId32	"d"
#define PRId64	"ld"
#define PRIi64	"li"
#define PRIu8	"u"
#define PRIu16	"u"
#define PRIu32	"u"
#define PRIu64	"lu"
#define PRIx32	"x"
#define PRIx64	"lx"
#define PRIX64	"lX"
#define PRIo64	"lo"
#define PRIdPTR	"ld"
#define PRIuPTR	"lu"
#define PRIxPTR	"lx"
#define PRIdMAX	"jd"
#define PRIuMAX	"ju"

#endif
