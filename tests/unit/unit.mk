# Host unit tests (included by the top Makefile; also works alone with
# `make -f tests/unit/unit.mk unit`).
#
# Every tests/unit/test_NAME.c is one test program. Its line
#	// UNIT_SOURCES: kernel/mm/page_alloc.c kernel/mm/kmalloc.c
# names the kernel sources it is linked with; tests/unit/shim.c stands in
# for the rest of the kernel. Everything is compiled by the host gcc under
# AddressSanitizer and UndefinedBehaviorSanitizer with -DUNIT_TEST, one
# object per source (shared between tests), into $(BUILD)/unit/.
#
# `make unit` prints `unit: PASS test_NAME` or `unit: FAIL test_NAME` for
# each program (a failing program's output follows its line), then
# `unit: N passed, N failed`, and fails if anything failed. A program that
# does not compile counts as failed. UNIT_SEED=n repeats a random run.

BUILD       ?= build
HOSTCC      ?= gcc
UNIT_DIR    := tests/unit
UNIT_BUILD  := $(BUILD)/unit
UNIT_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration \
	-Werror=incompatible-pointer-types -Werror=int-conversion \
	-Ikernel/include -I$(UNIT_DIR) -DUNIT_TEST -MMD -MP
UNIT_LDFLAGS := -fsanitize=address,undefined -pthread
UNIT_TIMEOUT ?= 600

UNIT_TESTS := $(sort $(wildcard $(UNIT_DIR)/test_*.c))
UNIT_NAMES := $(patsubst $(UNIT_DIR)/%.c,%,$(UNIT_TESTS))
UNIT_BINS  := $(addprefix $(UNIT_BUILD)/,$(UNIT_NAMES))

# The kernel sources listed by test file $(1).
unit_sources = $(strip $(shell sed -n 's|^// *UNIT_SOURCES:||p' $(1)))
unit_obj = $(UNIT_BUILD)/obj/$(1).o

$(UNIT_BUILD)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -c $< -o $@

define unit_program
$(UNIT_BUILD)/$(1): $(call unit_obj,$(UNIT_DIR)/$(1).c) \
		$(call unit_obj,$(UNIT_DIR)/shim.c) \
		$(foreach s,$(call unit_sources,$(UNIT_DIR)/$(1).c),$(call unit_obj,$(s)))
	$(HOSTCC) $(UNIT_LDFLAGS) -o $$@ $$^
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call unit_program,$(t))))

# Each program is built by its own sub-make so that one that fails to
# compile is reported as a failure while the others still run.
UNIT_MAKE = $(MAKE) --no-print-directory -f $(UNIT_DIR)/unit.mk \
	BUILD=$(BUILD) HOSTCC=$(HOSTCC)

.PHONY: unit
unit:
	@pass=0; fail=0; \
	for t in $(UNIT_NAMES); do \
		log=$(UNIT_BUILD)/$$t.log; mkdir -p $(UNIT_BUILD); \
		if $(UNIT_MAKE) -s $(UNIT_BUILD)/$$t >$$log 2>&1 && \
		   timeout $(UNIT_TIMEOUT) $(UNIT_BUILD)/$$t >>$$log 2>&1; then \
			echo "unit: PASS $$t"; pass=$$((pass + 1)); \
		else \
			echo "unit: FAIL $$t"; fail=$$((fail + 1)); \
			sed 's/^/    /' $$log | tail -n 200; \
		fi; \
	done; \
	echo "unit: $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]

-include $(shell find $(UNIT_BUILD)/obj -name '*.d' 2>/dev/null)
