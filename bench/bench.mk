# The benchmarks (included by the top Makefile).
#
#   make bench         deps, the kernel, Debian's Linux kernel and the bench
#                      initramfs; then scripts/bench.sh boots Basalt and
#                      Linux in turn, with one CPU and with two (B1 L1 B2
#                      L2 ..., BENCH_ROUNDS rounds) and prints a table of
#                      Basalt/Linux ratios per CPU count and the scaling
#                      table (speed-up from one CPU to two of the scale_*
#                      operations). Results go to build/bench/:
#                      results.md, ratios*.svg, raw.txt.
#   make bench-cpio    only build $(BUILD)/bench.cpio
#
# Every bench/ops/NAME.c is one operation: a static glibc program linked
# with the harness in bench/lib/, installed as /bench/NAME. /init is the
# runner (bench/runner.c); /bench/exit0 is the program the exec benchmark
# starts; Debian's dynamic /usr/bin/true and /usr/bin/bash, with their
# libraries and ld.so (scripts/bench-dynamic.sh), are what exec_dynamic
# and bash_c_true start. See docs/performance.md for the method.
#
# Options: BENCH="fork exec" builds and runs only those operations;
# BENCH_ROUNDS=N boots each kernel N times per CPU count (3; at least 3);
# BENCH_SMP="1 2" the CPU counts (the first the speed-ups' baseline);
# BENCH_TIMEOUT=S bounds each boot (240); BENCH_ARGS="BENCH_REPS=N
# BENCH_REP_MS=M" goes to the kernel command line and so to the harness
# (defaults 7 and 40).
# Benchmarks never fail the build: a benchmark that fails shows as n/a.

BENCH_BUILD  := $(BUILD)/bench
BENCH_BIN    := $(BENCH_BUILD)/bin
BENCH_CPIO   := $(BUILD)/bench.cpio
BENCH_CFLAGS := -static -O2 -g -Wall -Wextra -Ibench/lib -MMD -MP
BENCH_OPS    := $(sort $(basename $(notdir $(wildcard bench/ops/*.c))))
ifneq ($(BENCH),)
BENCH_OPS    := $(filter $(BENCH),$(BENCH_OPS))
endif
BENCH_PROGS  := $(addprefix $(BENCH_BIN)/,$(BENCH_OPS))
BENCH_LIB    := $(BENCH_BUILD)/lib/bench.o

BENCH_ROUNDS  ?= 3
BENCH_SMP     ?= 1 2
BENCH_TIMEOUT ?= 240
BENCH_ARGS    ?=

.PHONY: bench bench-build bench-cpio FORCE

# Dependencies are installed before anything is built, hence the inner make.
bench: deps
	@$(MAKE) --no-print-directory bench-build
	@BENCH_ROUNDS="$(BENCH_ROUNDS)" BENCH_TIMEOUT="$(BENCH_TIMEOUT)" \
		BENCH_ARGS="$(BENCH_ARGS)" BENCH_SMP="$(BENCH_SMP)" \
		scripts/bench.sh $(BENCH_CPIO)

bench-build: kernel $(LINUX_KERNEL) $(BENCH_CPIO) ; @:
bench-cpio: $(BENCH_CPIO)

$(BENCH_LIB): bench/lib/bench.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -c -o $@ $<

$(BENCH_BIN)/%: bench/ops/%.c $(BENCH_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(BENCH_LIB)

$(BENCH_BUILD)/runner: bench/runner.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

$(BENCH_BUILD)/exit0: bench/exit0.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

# The list of operations, rewritten only when it changes, so that the
# archive is rebuilt when BENCH= or the set of sources changes. The host
# reads it too, to name operations that never ran.
$(BENCH_BUILD)/LIST: FORCE
	@mkdir -p $(dir $@)
	@for b in $(BENCH_OPS); do echo $$b; done > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm $@.tmp || mv $@.tmp $@

BENCH_DYNAMIC := /usr/bin/true /usr/bin/bash

$(BENCH_BUILD)/cpio.list: $(BENCH_BUILD)/LIST bench/bench.mk \
		scripts/bench-dynamic.sh
	@{ \
	  echo "dir /dev 0755 0 0"; \
	  echo "nod /dev/console 0600 0 0 c 5 1"; \
	  echo "nod /dev/null 0666 0 0 c 1 3"; \
	  echo "dir /proc 0555 0 0"; \
	  echo "dir /tmp 1777 0 0"; \
	  echo "file /init $(BENCH_BUILD)/runner 0755 0 0"; \
	  echo "dir /bench 0755 0 0"; \
	  echo "file /bench/LIST $(BENCH_BUILD)/LIST 0644 0 0"; \
	  echo "file /bench/exit0 $(BENCH_BUILD)/exit0 0755 0 0"; \
	  while read -r b; do \
	    echo "file /bench/$$b $(BENCH_BIN)/$$b 0755 0 0"; \
	  done < $(BENCH_BUILD)/LIST; \
	  scripts/bench-dynamic.sh $(BENCH_DYNAMIC) || exit 1; \
	} > $@.tmp && mv $@.tmp $@

$(BENCH_CPIO): $(BENCH_BUILD)/cpio.list $(BENCH_BUILD)/runner \
		$(BENCH_BUILD)/exit0 $(BENCH_PROGS) $(MKCPIO)
	$(MKCPIO) $< > $@.tmp && mv $@.tmp $@

-include $(BENCH_BUILD)/*.d $(BENCH_BIN)/*.d $(BENCH_BUILD)/lib/*.d
