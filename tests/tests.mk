# The in-VM test suite (included by the top Makefile).
#
#   make test          deps, unit tests, the suite on Basalt, the suite on
#                      Linux (always both), then
#                      `total: N passed, N failed, N skipped`
#   make test-basalt   build the kernel and the suite, boot Basalt with it
#   make test-linux    fetch Debian's kernel, boot it with the same suite
#   make tests         only build $(BUILD)/tests.cpio
#
# Every tests/user/NAME.c (except runner.c) becomes two static programs,
# NAME-glibc (gcc) and NAME-musl (musl-gcc), each linked with the sources
# in tests/user/lib/ compiled for that libc. They go into the test
# initramfs with the runner as /init (see tests/user/runner.c for the
# protocol and scripts/run-tests.sh for how the host reads it).
#
#   make test-smp4     the SMP subset below on both kernels with 4 CPUs
#                      (test-smp4-basalt, test-smp4-linux)
#
# Options: TESTS="a b" builds and runs only tests a and b;
# TEST_TIMEOUT=seconds bounds each boot (default 300); TEST_DIR=dir takes
# the tests (and dir/lib/) from elsewhere, to try the harness itself;
# SMP=N boots N CPUs (the top Makefile's default); TEST_SET=name builds
# the archive as $(BUILD)/tests-name.cpio with its list in
# $(TBUILD)/LIST-name, beside the full suite's (test-smp4 uses it).

TBUILD       := $(BUILD)/tests
TEST_SET     ?=
TSET         := $(if $(TEST_SET),-$(TEST_SET))
TESTS_CPIO   := $(BUILD)/tests$(TSET).cpio
TEST_LIST    := $(TBUILD)/LIST$(TSET)
TEST_CPIO_LIST := $(TBUILD)/cpio$(TSET).list
MUSL_CC      := musl-gcc
TEST_DIR     ?= tests/user
TEST_CFLAGS  := -static -O2 -g -Wall -Wextra -I$(TEST_DIR) -I$(TEST_DIR)/lib \
	-MMD -MP
TEST_SRC     := $(filter-out %/runner.c,$(wildcard $(TEST_DIR)/*.c))
TEST_NAMES   := $(sort $(basename $(notdir $(TEST_SRC))))
ifneq ($(TESTS),)
TEST_NAMES   := $(filter $(TESTS),$(TEST_NAMES))
endif
# These are also built as static-PIE programs (ET_DYN, no interpreter),
# NAME-pie-glibc, so the loader's relocated path is tested. (Debian's
# musl-gcc wrapper cannot link a working static PIE: it falls back to a
# dynamic one, or, forced, to a binary that crashes on Linux as well.)
PIE_NAMES    := $(filter hello misc proc coredump_gdb,$(TEST_NAMES))
TEST_BINS    := $(foreach n,$(TEST_NAMES),$(TBUILD)/$(n)-glibc $(TBUILD)/$(n)-musl) \
	$(foreach n,$(PIE_NAMES),$(TBUILD)/$(n)-pie-glibc)
TEST_LIB_SRC := $(wildcard $(TEST_DIR)/lib/*.c)
# Tests built against libbasalt: NAME-basalt (see the file for details).
include tests/libbasalt/libbasalt.mk
# The clock check: make clock-check (tests/clock/clock.mk).
include tests/clock/clock.mk
# The console session test: make test-console (tests/console/console.mk).
include tests/console/console.mk
# Dynamically linked helpers and their loaders (the loader tests).
include tests/user/dynexec/dynexec.mk
TEST_LIB_GLIBC := $(patsubst $(TEST_DIR)/lib/%.c,$(TBUILD)/lib-glibc/%.o,$(TEST_LIB_SRC))
TEST_LIB_MUSL  := $(patsubst $(TEST_DIR)/lib/%.c,$(TBUILD)/lib-musl/%.o,$(TEST_LIB_SRC))
RUNNER_BIN   := $(TBUILD)/runner
# The scripted shell sessions run by tests/user/shell.c: busybox (with a
# link per applet, as in `make run`'s initramfs) and tests/shell/.
SHELL_FILES  := $(wildcard tests/shell/*.sh tests/shell/*.out tests/shell/*.sed)
# musl-gcc sees only musl's headers; this directory adds the kernel's
# <linux/*.h> and <asm/*.h> (they do not depend on the C library).
MUSL_INC     := $(TBUILD)/musl-include
# More files for the archive, each as /path/in/archive:host-file.
TEST_EXTRA   :=
# The syscall fuzzer, /tests/fuzz (see the file).
include tests/fuzz/fuzz.mk

.PHONY: test test-basalt test-linux tests test-basalt-build test-linux-build \
	coredump-gdb FORCE

test:
	@MAKE="$(MAKE)" scripts/test-all.sh

# Dependencies are installed before anything is built, hence the inner make.
test-basalt: deps
	@$(MAKE) --no-print-directory test-basalt-build
	TEST_LIST=$(TEST_LIST) scripts/run-tests.sh basalt $(TESTS_CPIO)

test-linux: deps
	@$(MAKE) --no-print-directory test-linux-build
	TEST_LIST=$(TEST_LIST) scripts/run-tests.sh linux $(TESTS_CPIO)

# The SMP subset: what the other CPUs stress most (threads, futexes,
# fork, pipes, memory maps, signals and the SMP stress tests), booted
# with 4 CPUs. It is `make test`'s CI-sized run at 4; the whole suite
# runs at $(SMP). Its archive is build/tests-smp4.cpio and its logs
# build/test-SIDE-smp4.log, so the full suite's stay as they were.
SMP4_TESTS := bank_smp clone_regressions cow futex interrupts mmap mremap pipe \
	procfs_sys pthread pthread_mutex pthread_sem pthread_signal \
	pthread_sync sched_affinity segv sem_stress shm_stress signal \
	signal_chld smp_fork_storm smp_ipc smp_mm smp_shootdown \
	thread_leak thread_stress threads unix_stream wait_thread
SMP4_MAKE  := $(MAKE) --no-print-directory TEST_SET=smp4 TESTS="$(SMP4_TESTS)"

.PHONY: test-smp4 test-smp4-basalt test-smp4-linux
test-smp4: test-smp4-basalt test-smp4-linux

test-smp4-basalt: deps
	@$(SMP4_MAKE) test-basalt-build
	SMP=4 TEST_TAG=smp4 TEST_LIST=$(TBUILD)/LIST-smp4 \
	  scripts/run-tests.sh basalt $(BUILD)/tests-smp4.cpio

test-smp4-linux: deps
	@$(SMP4_MAKE) test-linux-build
	SMP=4 TEST_TAG=smp4 TEST_LIST=$(TBUILD)/LIST-smp4 \
	  scripts/run-tests.sh linux $(BUILD)/tests-smp4.cpio

test-basalt-build: kernel $(TESTS_CPIO) ; @:
test-linux-build: $(LINUX_KERNEL) $(TESTS_CPIO) ; @:

tests: $(TESTS_CPIO)

# gdb on the host reads the core files both kernels made in the last
# test-basalt and test-linux runs (scripts/coredump-gdb.sh).
coredump-gdb:
	@scripts/coredump-gdb.sh basalt linux

$(RUNNER_BIN): tests/user/runner.c tests/user/lib/t.h
	@mkdir -p $(dir $@)
	$(CC) -static -O2 -g -Wall -Wextra -o $@ $<

# Kept after linking (make would delete them as intermediate files).
.SECONDARY: $(TEST_LIB_GLIBC) $(TEST_LIB_MUSL)

$(TBUILD)/lib-glibc/%.o: $(TEST_DIR)/lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -c -o $@ $<

$(TBUILD)/lib-musl/%.o: $(TEST_DIR)/lib/%.c | $(MUSL_INC)
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(TEST_CFLAGS) -isystem $(MUSL_INC) -c -o $@ $<

$(TBUILD)/%-glibc: $(TEST_DIR)/%.c $(TEST_LIB_GLIBC)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LIB_GLIBC)

$(TBUILD)/%-musl: $(TEST_DIR)/%.c $(TEST_LIB_MUSL) | $(MUSL_INC)
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(TEST_CFLAGS) -isystem $(MUSL_INC) -o $@ $< $(TEST_LIB_MUSL)

$(TBUILD)/%-pie-glibc: $(TEST_DIR)/%.c $(TEST_LIB_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -static,$(TEST_CFLAGS)) -static-pie -fPIE -o $@ $< $(TEST_LIB_SRC)

# The bad-pointer tables must cover every system call the kernel
# implements (scripts/check-badptr.sh): their programs are not built
# otherwise, so a new call cannot come without its row.
BADPTR_CHECKED := $(TBUILD)/badptr.checked
$(BADPTR_CHECKED): scripts/check-badptr.sh $(wildcard $(TEST_DIR)/badptr_*.c) \
		$(shell find kernel -name '*.c')
	@mkdir -p $(dir $@)
	scripts/check-badptr.sh kernel $(TEST_DIR)
	@touch $@
$(filter $(TBUILD)/badptr_%,$(TEST_BINS)): $(BADPTR_CHECKED)

$(MUSL_INC):
	@mkdir -p $@
	ln -sfn /usr/include/linux $@/linux
	ln -sfn /usr/include/asm-generic $@/asm-generic
	ln -sfn /usr/include/x86_64-linux-gnu/asm $@/asm

# The list of test programs, rewritten only when it changes, so that the
# archive is rebuilt when TESTS= or the set of sources changes.
$(TEST_LIST): FORCE
	@mkdir -p $(dir $@)
	@for t in $(notdir $(TEST_BINS)); do echo $$t; done | LC_ALL=C sort > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm $@.tmp || mv $@.tmp $@

$(TEST_CPIO_LIST): $(TEST_LIST) tests/tests.mk $(DYN_DIR)/dynexec.mk \
		$(SHELL_FILES) $(BUSYBOX)
	@{ \
	  echo "dir /dev 0755 0 0"; \
	  echo "nod /dev/console 0600 0 0 c 5 1"; \
	  echo "nod /dev/null 0666 0 0 c 1 3"; \
	  echo "nod /dev/zero 0666 0 0 c 1 5"; \
	  echo "dir /proc 0555 0 0"; \
	  echo "dir /tmp 1777 0 0"; \
	  echo "file /init $(RUNNER_BIN) 0755 0 0"; \
	  echo "dir /tests 0755 0 0"; \
	  echo "file /tests/LIST $(TEST_LIST) 0644 0 0"; \
	  while read -r t; do \
	    echo "file /tests/$$t $(TBUILD)/$$t 0755 0 0"; \
	  done < $(TEST_LIST); \
	  for d in bin sbin usr usr/bin usr/sbin tests/shell; do \
	    echo "dir /$$d 0755 0 0"; \
	  done; \
	  echo "file /bin/busybox $(BUSYBOX) 0755 0 0"; \
	  $(BUSYBOX) --list-full | grep / | grep -vx bin/busybox | sort | \
	    sed 's|.*|slink /& /bin/busybox 0777 0 0|'; \
	  for f in $(SHELL_FILES); do \
	    echo "file /tests/shell/$${f##*/} $$f 0644 0 0"; \
	  done; \
	  $(DYN_CPIO_LINES) \
	  for x in $(TEST_EXTRA); do \
	    echo "file $${x%%:*} $${x#*:} 0644 0 0"; \
	  done; \
	} > $@.tmp && mv $@.tmp $@

$(TESTS_CPIO): $(TEST_CPIO_LIST) $(RUNNER_BIN) $(TEST_BINS) $(DYN_BINS) \
		$(MKCPIO) $(SHELL_FILES) $(BUSYBOX)
	$(MKCPIO) $< > $@.tmp && mv $@.tmp $@

-include $(TBUILD)/*.d $(TBUILD)/lib-*/*.d
