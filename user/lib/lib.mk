# libbasalt, Basalt's own C library (included by user/user.mk).
#
#   make libbasalt     build $(LIBBASALT) and $(LIBBASALT_CRT0)
#   make basalt-bins   build the demonstration programs of user/bin/
#                      ($(BUILD)/user/bin/list, bank, prodcons,
#                      philosophers)
#   make bench-malloc  compare its malloc with glibc's, musl's, jemalloc
#                      and mimalloc on the host (user/lib/bench/, see
#                      docs/libbasalt.md); installs the last two itself
#
# Every .c, .S and .cpp under user/lib/ (but the malloc host glue) goes
# into one static archive. A program is linked as
#
#   gcc -static -nostdlib -no-pie crt0.o prog.o libbasalt.a -lgcc
#
# with $(BASALT_CFLAGS) (C) or $(BASALT_CXXFLAGS) (C++, no exceptions,
# no RTTI, no libstdc++) when compiling: see $(call basalt_link,...).
# The compiler's own <stddef.h>, <stdarg.h>, <stdbool.h> and <float.h>
# are used; every other header comes from user/lib/include/, plus the
# generated <sys/syscall.h> (SYS_* from kernel/syscall/syscalls.list).

LIB_DIR        := user/lib
LIB_BUILD      := $(BUILD)/user/lib
LIBBASALT      := $(LIB_BUILD)/libbasalt.a
LIBBASALT_CRT0 := $(LIB_BUILD)/crt0.o
LIB_GEN_INC    := $(LIB_BUILD)/include
LIB_SYSCALL_H  := $(LIB_GEN_INC)/sys/syscall.h
GCC_INC        := $(shell $(CC) -print-file-name=include)

BASALT_INC     := -nostdinc -isystem $(LIB_GEN_INC) -isystem $(LIB_DIR)/include \
	-isystem $(GCC_INC)
BASALT_COMMON  := -O2 -g -Wall -Wextra -fno-stack-protector -fno-pie \
	-ffunction-sections -fdata-sections $(BASALT_INC) -MMD -MP
BASALT_CFLAGS  := -std=gnu11 $(BASALT_COMMON)
BASALT_CXXFLAGS := -std=c++17 -ffreestanding -fno-exceptions -fno-rtti \
	-nostdinc++ $(BASALT_COMMON)
# The library itself: gcc must not turn memset's loop into a memset call;
# LIBBASALT tells the allocator's glue.h it is inside libbasalt.
LIB_CFLAGS     := $(BASALT_CFLAGS) -fno-tree-loop-distribute-patterns -DLIBBASALT
BASALT_LDFLAGS := -static -nostdlib -no-pie -Wl,--gc-sections

LIB_SRC := $(shell find $(LIB_DIR) \( -path $(LIB_DIR)/bench -o \
	-path $(LIB_DIR)/crt \) -prune -o \( -name '*.c' -o -name '*.S' -o \
	-name '*.cpp' \) -print | LC_ALL=C sort)
LIB_OBJ := $(patsubst $(LIB_DIR)/%,$(LIB_BUILD)/obj/%.o,$(LIB_SRC))

# $(call basalt_link,output,objects): links a libbasalt program.
basalt_link = $(CC) $(BASALT_LDFLAGS) -o $(1) $(LIBBASALT_CRT0) $(2) \
	$(LIBBASALT) -lgcc

.PHONY: libbasalt
libbasalt: $(LIBBASALT) $(LIBBASALT_CRT0)

$(LIBBASALT): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBBASALT_CRT0): $(LIB_DIR)/crt/crt0.S
	@mkdir -p $(dir $@)
	$(CC) $(BASALT_CFLAGS) -c -o $@ $<

$(LIB_BUILD)/obj/%.c.o: $(LIB_DIR)/%.c | $(LIB_SYSCALL_H)
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -c -o $@ $<

$(LIB_BUILD)/obj/%.S.o: $(LIB_DIR)/%.S
	@mkdir -p $(dir $@)
	$(CC) $(BASALT_CFLAGS) -c -o $@ $<

$(LIB_BUILD)/obj/%.cpp.o: $(LIB_DIR)/%.cpp | $(LIB_SYSCALL_H)
	@mkdir -p $(dir $@)
	$(CXX) $(BASALT_CXXFLAGS) -c -o $@ $<

# SYS_name and __NR_name for every number in the kernel's one list.
$(LIB_SYSCALL_H): kernel/syscall/syscalls.list $(LIB_DIR)/lib.mk
	@mkdir -p $(dir $@)
	@{ echo '/* Generated from kernel/syscall/syscalls.list by user/lib/lib.mk. */'; \
	  echo '#ifndef BASALT_SYS_SYSCALL_H'; echo '#define BASALT_SYS_SYSCALL_H'; \
	  awk '/^[0-9]/ { printf "#define __NR_%s %s\n#define SYS_%s %s\n", $$2, $$1, $$2, $$1 }' $<; \
	  echo '#endif'; } > $@.tmp && mv $@.tmp $@

# ---- Demonstration programs (user/bin/) ----------------------------------

# One program per source file: list (C++), bank, prodcons, philosophers.
BASALT_BIN_NAMES := list bank prodcons philosophers
BASALT_BINS := $(addprefix $(BUILD)/user/bin/,$(BASALT_BIN_NAMES))

.PHONY: basalt-bins
basalt-bins: $(BASALT_BINS)

$(BUILD)/user/bin/%.o: user/bin/%.cpp $(LIBBASALT)
	@mkdir -p $(dir $@)
	$(CXX) $(BASALT_CXXFLAGS) -c -o $@ $<

$(BUILD)/user/bin/%.o: user/bin/%.c $(LIBBASALT)
	@mkdir -p $(dir $@)
	$(CC) $(BASALT_CFLAGS) -c -o $@ $<

$(BASALT_BINS): $(BUILD)/user/bin/%: $(BUILD)/user/bin/%.o $(LIBBASALT) \
		$(LIBBASALT_CRT0)
	$(call basalt_link,$@,$<)

# ---- make bench-malloc ----------------------------------------------------
#
# The allocator's core and its public functions, with the futex lock
# (thread/lock.c), compiled for the host as a static library (glue.h's
# default half: raw Linux system calls), are linked whole into a glibc
# program, where they replace glibc's malloc everywhere, glibc's own
# calls included. The same workloads are linked with glibc's malloc,
# musl's (static, musl-gcc), jemalloc and mimalloc.

BM_BUILD  := $(BUILD)/bench-malloc
BM_SRC    := $(LIB_DIR)/bench/malloc_bench.c
BM_CORE   := $(wildcard $(LIB_DIR)/malloc/*.c $(LIB_DIR)/malloc/api/*.c) \
	$(LIB_DIR)/thread/lock.c
BM_OBJ    := $(patsubst $(LIB_DIR)/%.c,$(BM_BUILD)/obj/%.o,$(BM_CORE))
BM_LIB    := $(BM_BUILD)/libbasalt-malloc.a
BM_CFLAGS := -O2 -g -Wall -Wextra

.PHONY: bench-malloc bench-malloc-build
bench-malloc:
	@$(LIB_DIR)/bench/deps.sh
	@$(MAKE) --no-print-directory bench-malloc-build
	@$(LIB_DIR)/bench/run.sh $(BM_BUILD)

bench-malloc-build: $(BM_BUILD)/bench-basalt $(BM_BUILD)/bench-glibc \
		$(BM_BUILD)/bench-musl
	@for a in jemalloc mimalloc; do \
		if echo 'int main(void){return 0;}' | \
		   $(CC) -x c - -o /dev/null -l$$a 2>/dev/null; then \
			$(CC) $(BM_CFLAGS) -o $(BM_BUILD)/bench-$$a $(BM_SRC) \
				-pthread -l$$a || exit 1; \
		else \
			echo "bench-malloc: no $$a, left out"; \
			rm -f $(BM_BUILD)/bench-$$a; \
		fi; \
	done

$(BM_BUILD)/obj/%.o: $(LIB_DIR)/%.c $(wildcard $(LIB_DIR)/malloc/*.h) \
		$(LIB_DIR)/include/basalt/heap.h
	@mkdir -p $(dir $@)
	$(CC) $(BM_CFLAGS) -c -o $@ $<

$(BM_LIB): $(BM_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BM_BUILD)/bench-basalt: $(BM_SRC) $(BM_LIB)
	$(CC) $(BM_CFLAGS) -o $@ $(BM_SRC) -Wl,--whole-archive $(BM_LIB) \
		-Wl,--no-whole-archive -pthread

$(BM_BUILD)/bench-glibc: $(BM_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(BM_CFLAGS) -o $@ $< -pthread

$(BM_BUILD)/bench-musl: $(BM_SRC)
	@mkdir -p $(dir $@)
	musl-gcc -static $(BM_CFLAGS) -o $@ $<

-include $(shell find $(LIB_BUILD)/obj -name '*.d' 2>/dev/null)
-include $(wildcard $(BUILD)/user/bin/*.d)
