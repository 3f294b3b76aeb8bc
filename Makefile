# Basalt build. The two commands a user needs:
#   make run     build everything and boot Basalt in QEMU (serial console)
#   make test    host unit tests, then the in-VM suite on Basalt and on Linux
# Other targets: test-basalt, test-linux, unit, run-linux, kernel, clean.

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

.PHONY: all kernel deps clean
kernel: $(KERNEL_ELF)

deps:
	@scripts/deps.sh

clean:
	rm -rf $(BUILD)
