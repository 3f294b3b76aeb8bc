# Basalt build. The two commands a user needs:
#   make run     build everything and boot Basalt in QEMU (serial console)
#   make test    host unit tests, then the in-VM suite on Basalt and on Linux
# Other targets: test-basalt, test-linux, unit, check, run-linux, kernel,
# clean. `make check` is the static check of the kernel sources (sparse:
# __user pointers and the rest of scripts/check-sparse.sh).

BUILD   := build
CC      := gcc
LD      := ld
INITRD  ?=

all: kernel

include kernel/kernel.mk
-include user/user.mk
-include tests/tests.mk
-include tests/unit/unit.mk
-include bench/bench.mk

.PHONY: all kernel deps check clean
kernel: $(KERNEL_ELF)

deps:
	@scripts/deps.sh

check: deps
	@scripts/check-sparse.sh

clean:
	rm -rf $(BUILD)
