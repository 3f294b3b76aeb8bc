#!/usr/bin/env bash
# Runs the malloc workloads (malloc_bench.c) with every allocator built by
# `make bench-malloc` and prints one table: libbasalt's throughput and
# peak RSS, then each other allocator's figures as ratios to libbasalt's
# (throughput: other / basalt, above 1 means the other is faster; peak
# RSS: other / basalt, above 1 means the other uses more memory). Each
# figure is the best of RUNS runs (default 3), each run a fresh process.
#
# usage: run.sh DIR   (DIR holds bench-basalt, bench-glibc, ...)
set -uo pipefail
dir=${1:?usage: run.sh DIR}
runs=${RUNS:-3}
workloads=(small mixed prodcons realloc fragment threads1 threads2 threads4)
others=()
for a in glibc musl jemalloc mimalloc; do
	[ -x "$dir/bench-$a" ] && others+=("$a")
done

# best ALLOC WORKLOAD: "ops_per_second peak_rss_kb", best of the runs.
best() {
	local bin=$dir/bench-$1 best_t="" rss=""
	for ((i = 0; i < runs; i++)); do
		read -r _ ops t kb < <("$bin" "$2")
		if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN{exit !(a<b)}'; then
			best_t=$t
		fi
		if [ -z "$rss" ] || [ "$kb" -lt "$rss" ]; then rss=$kb; fi
	done
	awk -v o="$ops" -v t="$best_t" -v r="$rss" 'BEGIN{printf "%.0f %d\n", o/t, r}'
}

printf '%-9s %12s %9s' workload "basalt Mop/s" "RSS MiB"
for a in "${others[@]}"; do printf ' | %-8s thr  rss' "$a"; done
printf '\n'
for w in "${workloads[@]}"; do
	read -r bops brss < <(best basalt "$w")
	printf '%-9s %12.2f %9.1f' "$w" "$(awk -v x="$bops" 'BEGIN{print x/1e6}')" \
		"$(awk -v x="$brss" 'BEGIN{print x/1024}')"
	for a in "${others[@]}"; do
		read -r ops rss < <(best "$a" "$w")
		printf ' | %-8s %4.2f %4.2f' "" \
			"$(awk -v a="$ops" -v b="$bops" 'BEGIN{print a/b}')" \
			"$(awk -v a="$rss" -v b="$brss" 'BEGIN{print a/b}')"
	done
	printf '\n'
done
echo "(thr: the allocator's throughput / libbasalt's; rss: its peak RSS / libbasalt's)"
