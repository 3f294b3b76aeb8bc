# The syscall fuzzer (included by tests/tests.mk). See docs/security.md,
# "The syscall fuzzer", and docs/testing.md.
#
# tests/fuzz/*.c and stubs.S become one static glibc program, /tests/fuzz,
# which joins the test initramfs like any test: `make test` runs a bounded
# run of it on Basalt and on Linux (FUZZ_CALLS calls from FUZZ_SEED, with
# FUZZ_WORKERS workers, one call in FUZZ_FAILNTH with an allocation made
# to fail; /tests/fuzz.conf carries them).
#
#   make fuzz [SEED=n] [CALLS=n] [WORKERS=n] [KERNELS="basalt linux"]
#             [VERBOSE=1] [STATS=1] [FAILNTH=n]
#
# boots an initramfs of the runner and the fuzzer alone, once per kernel
# in KERNELS, for a longer run: SEED defaults to a random one (printed),
# CALLS to 200000. TEST_TIMEOUT bounds each boot (default: 120 s plus a
# second per 1000 calls; Basalt makes about 8000 calls a second, Linux
# about 2500, under TCG). VERBOSE=1 prints every call before it is made
# (slow; for finding the call that hangs a machine);
# STATS=1 prints how many of each call succeeded; FAILNTH=n makes one
# call in n have one of its kernel allocations fail (Basalt's fault_inject
# switch, which the test boots turn on; nothing is injected on Linux);
# FAILLO=a FAILHI=b inject only into calls numbered a..b (to narrow a
# leak down: the run's decisions stay those of the seed).

FZ_DIR      := tests/fuzz
FZ_BUILD    := $(BUILD)/fuzz
FZ_BIN      := $(TBUILD)/fuzz
FZ_SRC      := $(wildcard $(FZ_DIR)/*.c) $(FZ_DIR)/stubs.S
# The workers may not touch thread-local storage (fuzz.h): no stack
# protector, and no red zone under a stack a fuzzed signal may share.
FZ_CFLAGS   := -static -O2 -g -Wall -Wextra -Wno-missing-field-initializers \
	-fno-stack-protector -mno-red-zone

FUZZ_SEED    ?= 1
FUZZ_CALLS   ?= 50000
FUZZ_WORKERS ?= 4
FUZZ_FAILNTH ?= 8

ifeq ($(TESTS),)
FZ_IN_SUITE := 1
endif
ifneq ($(filter fuzz,$(TESTS)),)
FZ_IN_SUITE := 1
endif
ifeq ($(FZ_IN_SUITE),1)
TEST_BINS   += $(FZ_BIN)
TEST_EXTRA  += /tests/fuzz.conf:$(TBUILD)/fuzz.conf
endif

$(FZ_BIN): $(FZ_SRC) $(FZ_DIR)/fuzz.h $(FZ_DIR)/sys.h
	@mkdir -p $(dir $@)
	$(CC) $(FZ_CFLAGS) -o $@ $(FZ_SRC)

# Rewritten only when the settings change, so the archive is rebuilt then.
$(TBUILD)/fuzz.conf: FORCE
	@mkdir -p $(dir $@)
	@echo "seed=$(FUZZ_SEED) calls=$(FUZZ_CALLS) workers=$(FUZZ_WORKERS) failnth=$(FUZZ_FAILNTH)" > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm $@.tmp || mv $@.tmp $@

$(TESTS_CPIO): $(TBUILD)/fuzz.conf

# ---- make fuzz: a longer run, alone in its own initramfs ----

SEED    ?= $(shell printf '0x%s' $$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'))
CALLS   ?= 200000
WORKERS ?= 4
KERNELS ?= basalt linux
VERBOSE ?= 0
STATS   ?= 0
FAILNTH ?= 0
FAILLO  ?= 0
FAILHI  ?= 511
SEED    := $(SEED)
FZ_TIMEOUT := $(or $(TEST_TIMEOUT),$(shell echo $$((120 + $(CALLS) / 1000))))

.PHONY: fuzz
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build SEED=$(SEED)
	@echo "fuzz: seed $(SEED), $(CALLS) calls, $(WORKERS) workers, on: $(KERNELS)"
	@status=0; for side in $(KERNELS); do \
	  TEST_TIMEOUT=$(FZ_TIMEOUT) TEST_LIST=$(FZ_BUILD)/LIST \
	    scripts/run-tests.sh $$side $(FZ_BUILD)/fuzz.cpio || status=1; \
	done; \
	echo "fuzz: seed $(SEED): again with make fuzz SEED=$(SEED) CALLS=$(CALLS) WORKERS=$(WORKERS) FAILNTH=$(FAILNTH)"; \
	exit $$status

.PHONY: fuzz-build
fuzz-build: kernel $(FZ_BUILD)/fuzz.cpio $(if $(filter linux,$(KERNELS)),$(LINUX_KERNEL))

$(FZ_BUILD)/fuzz.conf: FORCE
	@mkdir -p $(dir $@)
	@echo "seed=$(SEED) calls=$(CALLS) workers=$(WORKERS) verbose=$(VERBOSE) stats=$(STATS) failnth=$(FAILNTH) faillo=$(FAILLO) failhi=$(FAILHI)" > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm $@.tmp || mv $@.tmp $@

$(FZ_BUILD)/cpio.list: $(FZ_DIR)/fuzz.mk
	@mkdir -p $(dir $@)
	@echo fuzz > $(FZ_BUILD)/LIST
	@{ \
	  echo "dir /dev 0755 0 0"; \
	  echo "nod /dev/console 0600 0 0 c 5 1"; \
	  echo "nod /dev/null 0666 0 0 c 1 3"; \
	  echo "nod /dev/zero 0666 0 0 c 1 5"; \
	  echo "dir /proc 0555 0 0"; \
	  echo "dir /tmp 1777 0 0"; \
	  echo "file /init $(RUNNER_BIN) 0755 0 0"; \
	  echo "dir /tests 0755 0 0"; \
	  echo "file /tests/LIST $(FZ_BUILD)/LIST 0644 0 0"; \
	  echo "file /tests/fuzz $(FZ_BIN) 0755 0 0"; \
	  echo "file /tests/fuzz.conf $(FZ_BUILD)/fuzz.conf 0644 0 0"; \
	} > $@

$(FZ_BUILD)/fuzz.cpio: $(FZ_BUILD)/cpio.list $(FZ_BUILD)/fuzz.conf $(RUNNER_BIN) $(FZ_BIN) $(MKCPIO)
	$(MKCPIO) $< > $@.tmp && mv $@.tmp $@
