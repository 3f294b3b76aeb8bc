# A root of Debian 12's own, dynamically linked programs (included by the
# top Makefile; the image is built by scripts/debian-root.sh from what is
# installed on the host, installing missing packages first):
#
#   make run ROOT=debian        boot Basalt into Debian's bash
#   make run-linux ROOT=debian  boot Linux with the same image
#   make debian-root            only build $(DEBIAN_CPIO)
#   make test-debian            run tests/debian/session.sh in it on both
#                               kernels and compare the outputs, one
#                               section at a time (scripts/debian-compare.sh)
#
# A step of `make test` (scripts/test-all.sh): building the 70 MiB image
# takes about a minute, each session about ten seconds.

.PHONY: debian-root test-debian

DEBIAN_SESSION := tests/debian/session.sh

debian-root: $(DEBIAN_CPIO)

$(DEBIAN_CPIO): scripts/debian-root.sh $(INIT_BIN) $(MKCPIO) $(DEBIAN_SESSION)
	scripts/debian-root.sh $@ $(INIT_BIN) $(MKCPIO) $(DEBIAN_SESSION)


# Both kernels run the session; their outputs must be the same. A kernel
# whose session gives no output leaves an empty file, which the comparison
# fails section by section.
test-debian: deps kernel $(LINUX_KERNEL) $(DEBIAN_CPIO)
	scripts/debian-session.sh basalt $(DEBIAN_CPIO) /root/session.sh \
		$(BUILD)/debian-basalt.out || : > $(BUILD)/debian-basalt.out
	scripts/debian-session.sh linux $(DEBIAN_CPIO) /root/session.sh \
		$(BUILD)/debian-linux.out || : > $(BUILD)/debian-linux.out
	scripts/debian-compare.sh $(BUILD)/debian-linux.out \
		$(BUILD)/debian-basalt.out
