# The clock check (included by tests/tests.mk):
#
#   make clock-check   boot Basalt and Linux with a CPU-bound load as init
#                      and report how far each guest's CLOCK_MONOTONIC
#                      drifted from the host's clock (never fails on it)
#
# Options: HOST_LOAD=n keeps n busy processes running on the host during
# the boots (the guest clock once lost 19% on a loaded host); ROUNDS=n
# changes the amount of guest work (tests/clock/load.c). See
# scripts/clock-check.sh and docs/testing.md.

CLOCK_BUILD := $(BUILD)/clock
CLOCK_CPIO  := $(CLOCK_BUILD)/clock.cpio

.PHONY: clock-check clock-check-build

clock-check: deps
	@$(MAKE) --no-print-directory clock-check-build
	scripts/clock-check.sh $(CLOCK_CPIO)

clock-check-build: kernel $(LINUX_KERNEL) $(CLOCK_CPIO) ; @:

$(CLOCK_BUILD)/load: tests/clock/load.c
	@mkdir -p $(dir $@)
	$(CC) -static -O2 -g -Wall -Wextra -o $@ $<

$(CLOCK_BUILD)/cpio.list: tests/clock/clock.mk
	@mkdir -p $(dir $@)
	@{ \
	  echo "dir /dev 0755 0 0"; \
	  echo "nod /dev/console 0600 0 0 c 5 1"; \
	  echo "file /init $(CLOCK_BUILD)/load 0755 0 0"; \
	} > $@

$(CLOCK_CPIO): $(CLOCK_BUILD)/cpio.list $(CLOCK_BUILD)/load $(MKCPIO)
	$(MKCPIO) $< > $@.tmp && mv $@.tmp $@
