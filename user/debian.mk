# A root of Debian 12's own, dynamically linked programs (included by the
# top Makefile; the image is built by scripts/debian-root.sh from what is
# installed on the host, installing missing packages first):
#
#   make run ROOT=debian        boot Basalt into Debian's bash
#   make run-linux ROOT=debian  boot Linux with the same image
#   make debian-root            only build $(DEBIAN_CPIO)
#   make test-debian            run tests/debian/session.sh in it on both
#                               kernels and compare the outputs
#
# Not part of `make test`: the image is 70 MiB and takes a while to build
# and boot under QEMU.

.PHONY: debian-root test-debian

debian-root: $(DEBIAN_CPIO)

$(DEBIAN_CPIO): scripts/debian-root.sh $(INIT_BIN) $(MKCPIO)
	scripts/debian-root.sh $@ $(INIT_BIN) $(MKCPIO)
