#!/usr/bin/env bash
# Installs what `make bench-malloc` compares against and `make test` does
# not need: jemalloc and mimalloc (Debian's libjemalloc-dev and
# libmimalloc-dev). Only missing packages are installed; failing to
# install them is not fatal (the benchmark then leaves their columns out).
set -uo pipefail

missing=()
for pkg in libjemalloc-dev libmimalloc-dev musl-tools; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "bench-malloc: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq &&
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
	>/dev/null || echo "bench-malloc: could not install ${missing[*]}"
exit 0
