# The console session test (included by tests/tests.mk):
#
#   make test-console   (test-console-basalt, test-console-linux) boot `make run`'s image on Basalt and on Linux and
#                       type at its serial console through a host
#                       pseudo-terminal (tests/console/session.c, the
#                       script tests/console/interactive.session)
#
# Each side ends with "console-SIDE: N passed, N failed, N skipped"
# (sections of the script); transcripts are build/console-SIDE.log.
# SESSION_STRICT=1 turns the skips of missing features into failures.

SESSION_BIN := $(BUILD)/tools/session

.PHONY: test-console test-console-basalt test-console-linux test-panic

$(SESSION_BIN): tests/console/session.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra -o $@ $<

test-console: test-console-basalt test-console-linux

# Dependencies are installed before anything is built, hence the inner make.
test-console-basalt: deps
	@$(MAKE) --no-print-directory kernel $(INITRAMFS) $(SESSION_BIN)
	SESSION_LOG=$(BUILD)/console-basalt.log $(SESSION_BIN) -n console-basalt \
	  tests/console/interactive.session \
	  scripts/qemu.sh --timeout 600 basalt $(INITRAMFS) lockdep

test-console-linux: deps
	@$(MAKE) --no-print-directory $(LINUX_KERNEL) $(INITRAMFS) $(SESSION_BIN)
	SESSION_LOG=$(BUILD)/console-linux.log $(SESSION_BIN) -n console-linux \
	  tests/console/interactive.session \
	  scripts/qemu.sh --timeout 600 linux $(INITRAMFS)

# Basalt only (its panic report is Basalt's own): a panic on one of four
# CPUs stops the other three and reports each (tests/console/
# panic.session). The session checks the panic itself; the transcript
# must then name each other CPU once, none as "did not stop".
PANIC_LOG := $(BUILD)/panic-basalt.log

test-panic: deps
	@$(MAKE) --no-print-directory kernel $(INITRAMFS) $(SESSION_BIN)
	SESSION_LOG=$(PANIC_LOG) SMP=4 $(SESSION_BIN) -n panic-basalt \
	  tests/console/panic.session \
	  scripts/qemu.sh --timeout 180 basalt $(INITRAMFS) lockdep
	@tr -d '\r' < $(PANIC_LOG) | grep -cE '^CPU [0-9]+:( |$$)' | \
	  grep -qx 3 || { echo "panic-basalt: not every other CPU reported"; \
	  exit 1; }
	@! grep -q 'did not stop' $(PANIC_LOG) || \
	  { echo "panic-basalt: a CPU did not stop"; exit 1; }
