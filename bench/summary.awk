# The numbers behind `make bench`'s table and chart (run by
# scripts/bench.sh; plain POSIX awk, so Debian's mawk will do).
#
# Input, two files:
#   1. the rows, in table order, one "op=description" a line
#   2. raw.txt: per boot and operation either
#        SIDE CPUS ROUND OP UNIT MEDIAN MIN MAX   (times in ns, boot in ms)
#      or
#        SIDE CPUS ROUND OP n/a WHY...
#      and per boot "# cpu SIDE CPUS ROUND SHARE" (QEMU's share of a host
#      CPU, percent) and "# online SIDE CPUS ROUND N" (CPUs /init saw).
# Variables: rounds; smps, the CPU counts booted ("1 2"), the first the
# baseline of the speed-ups; svgdir, where the charts go.
# Output: Markdown on standard output: per CPU count a section with the
# table of ratios (the scale_* operations left out), then the scaling
# table and the notes; a chart per CPU count, ratios.svg for the first
# and ratios-smpC.svg for the others.
#
# Per operation, side and CPU count, a boot gives one number (the median
# of its repetitions); the table shows the median of those over the rounds
# and their spread, (max - min) / median. The ratio is Basalt's median
# over Linux's; "rounds" shows the lowest and highest ratio of Basalt's
# boot in a round to Linux's boot in the same round, which says how far
# the ratio itself moves from round to round.
#
# The scaling table: for each scale_* operation and each CPU count C
# after the first, each kernel's speed-up is its median on the baseline
# over its median on C (both per unit of the same fixed work), with the
# lowest and highest of the per-round speed-ups (the same kernel's boot
# on the baseline over its boot on C in the same round).

function sort_numbers(a, n,    i, j, v) {
	for (i = 2; i <= n; i++) {
		v = a[i]
		for (j = i - 1; j >= 1 && a[j] > v; j--)
			a[j + 1] = a[j]
		a[j + 1] = v
	}
}

# The median of the values of (side, c CPUs, op) over the rounds; sets
# g_spread and g_count.
function median(side, c, op,    n, a, r, m) {
	n = 0
	for (r = 1; r <= rounds; r++)
		if ((side, c, op, r) in val)
			a[++n] = val[side, c, op, r]
	if (n == 0)
		return ""
	sort_numbers(a, n)
	m = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	g_spread = m > 0 ? (a[n] - a[1]) / m * 100 : 0
	g_count = n
	return m
}

# A time in ns, with three significant digits in a fitting unit.
function fmt_time(ns) {
	if (ns < 1000)
		return sprintf(ns < 10 ? "%.2f ns" : ns < 100 ? "%.1f ns" : "%.0f ns", ns)
	if (ns < 1e6)
		return fmt3(ns / 1e3) " µs"
	if (ns < 1e9)
		return fmt3(ns / 1e6) " ms"
	return fmt3(ns / 1e9) " s"
}

function fmt3(x) {
	return sprintf(x < 10 ? "%.2f" : x < 100 ? "%.1f" : "%.0f", x)
}

# "ns/call" -> "call"; the boot is measured in ms, once per boot.
function per(u) {
	return u == "ms" ? "boot" : substr(u, index(u, "/") + 1)
}

function to_ns(op, v) {
	return unit[op] == "ms" ? v * 1e6 : v
}

function xml(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	return s
}

FNR == NR {
	eq = index($0, "=")
	rows[++nrows] = substr($0, 1, eq - 1)
	desc[rows[nrows]] = substr($0, eq + 1)
	next
}

$1 == "#" && $2 == "cpu" {
	cpu[$3, $4, $5] = $6
	next
}

$1 == "#" && $2 == "online" {
	online[$3, $4, $5] = $6
	next
}

/^#/ || NF < 5 { next }

$5 == "n/a" {
	key = $1 SUBSEP $2 SUBSEP $4
	if (!(key in why)) {
		w = $0
		for (i = 1; i <= 5; i++)
			sub(/^[^ ]+ /, "", w)
		why[key] = w
	}
	nfail[key]++
	next
}

{
	val[$1, $2, $4, $3] = $6
	unit[$4] = $5
}

function is_scale(op) {
	return op ~ /^scale_/
}

function cpus(c) {
	return c == 1 ? "1 CPU" : c " CPUs"
}

function side_name(side) {
	return side == "basalt" ? "Basalt" : "Linux"
}

END {
	nsmp = split(smps, smp, " ")
	for (k = 1; k <= nsmp; k++) {
		printf "## %s (`-smp %d`)\n\n", smp[k] == 1 ? "One CPU" : \
			smp[k] " CPUs", smp[k]
		online_note(smp[k])
		ratio_table(smp[k])
		chart(smp[k], svgdir "/" (k == 1 ? "ratios.svg" : \
			"ratios-smp" smp[k] ".svg"))
	}
	for (k = 2; k <= nsmp; k++)
		scaling_table(smp[1], smp[k])
	print "## Notes\n"
	failure_notes()
	cpu_notes()
	print "\nTimes are per operation (the \"per\" column), medians over the " \
		"rounds; spread is (max - min) / median of the rounds' results; " \
		"Basalt/Linux below 1.00 means Basalt is faster. \"rounds\" is " \
		"the lowest and highest ratio within one round."
}

# How many CPUs /init could run on in the boots with c CPUs, when that is
# fewer than c on some boot (a kernel that brought up fewer CPUs than it
# had); "?" (the kernel could not say) alone does not count.
function online_note(c,    s, side, r, line, odd) {
	for (s = 1; s <= 2; s++) {
		side = s == 1 ? "basalt" : "linux"
		line = ""; odd = 0
		for (r = 1; r <= rounds; r++) {
			if (!((side, c, r) in online))
				continue
			line = line (line == "" ? "" : ", ") online[side, c, r]
			if (online[side, c, r] ~ /^[0-9]+$/ &&
			    online[side, c, r] + 0 < c + 0)
				odd = 1
		}
		if (odd)
			printf "%s ran on fewer CPUs than the machine had: " \
				"/init's affinity mask held %s CPU(s), round " \
				"by round.\n\n", side_name(side), line
	}
}

# The table of Basalt/Linux ratios with c CPUs, the scale_* rows left out.
function ratio_table(c,    i, op, b, bs, bn, l, ls, ln, bcell, lcell, bsp,
		lsp, rcell, range, rlo, rhi, r, q) {
	print "| operation | per | Basalt | spread | Linux | spread | Basalt/Linux | rounds |"
	print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= nrows; i++) {
		op = rows[i]
		if (is_scale(op))
			continue
		b = median("basalt", c, op); bs = g_spread; bn = g_count
		l = median("linux", c, op); ls = g_spread; ln = g_count
		bcell = b == "" ? "n/a" : fmt_time(to_ns(op, b))
		lcell = l == "" ? "n/a" : fmt_time(to_ns(op, l))
		bsp = b == "" ? "" : sprintf("%.0f%%", bs)
		lsp = l == "" ? "" : sprintf("%.0f%%", ls)
		if (b != "" && bn < rounds) bsp = bsp " (" bn "/" rounds ")"
		if (l != "" && ln < rounds) lsp = lsp " (" ln "/" rounds ")"
		ratio[op] = ""
		rcell = "n/a"; range = ""
		if (b != "" && l != "" && l > 0) {
			ratio[op] = b / l
			rcell = sprintf("%.2f", b / l)
			rlo = ""; rhi = ""
			for (r = 1; r <= rounds; r++) {
				if (!(("basalt", c, op, r) in val) ||
				    !(("linux", c, op, r) in val))
					continue
				if (val["linux", c, op, r] <= 0)
					continue
				q = val["basalt", c, op, r] / val["linux", c, op, r]
				if (rlo == "" || q < rlo) rlo = q
				if (rhi == "" || q > rhi) rhi = q
			}
			if (rlo != "")
				range = sprintf("%.2f–%.2f", rlo, rhi)
		}
		printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", desc[op],
			per(unit[op] == "" ? "ns/op" : unit[op]), bcell, bsp, lcell,
			lsp, rcell, range
	}
	print ""
}

# side's speed-up of op from c1 to c2 CPUs, as a cell: "1.93 (1.85–1.97)"
# with the range of the per-round speed-ups; sets g_up ("" if unknown).
function speedup(side, op, c1, c2,    t1, t2, r, q, lo, hi) {
	g_up = ""
	t1 = median(side, c1, op)
	t2 = median(side, c2, op)
	if (t1 == "" || t2 == "" || t2 <= 0)
		return "n/a"
	g_up = t1 / t2
	lo = ""; hi = ""
	for (r = 1; r <= rounds; r++) {
		if (!((side, c1, op, r) in val) || !((side, c2, op, r) in val))
			continue
		if (val[side, c2, op, r] <= 0)
			continue
		q = val[side, c1, op, r] / val[side, c2, op, r]
		if (lo == "" || q < lo) lo = q
		if (hi == "" || q > hi) hi = q
	}
	if (lo == "")
		return sprintf("%.2f×", g_up)
	return sprintf("%.2f× (%.2f–%.2f)", g_up, lo, hi)
}

# A time cell: side's median of op with c CPUs, or n/a.
function time_cell(side, c, op,    t) {
	t = median(side, c, op)
	return t == "" ? "n/a" : fmt_time(to_ns(op, t))
}

# The scale_* rows: each kernel's time per unit of work on c1 and on c2
# CPUs and its speed-up, and whether Basalt meets the issue's goal: a
# speed-up at least Linux's, and for the CPU-bound pair on two CPUs at
# least 1.8.
function scaling_table(c1, c2,    i, op, bcell, lcell, bup, lup, goal, met,
		any, busy) {
	for (i = 1; i <= nrows; i++)
		if (is_scale(rows[i]))
			any = 1
	if (!any)
		return
	printf "## Scaling: %s → %s\n\n", cpus(c1), cpus(c2)
	print "Two processes (two pairs for ping-pong) do a fixed amount of " \
		"work each; the times are per unit of that work. Speed-up = " \
		"time on " cpus(c1) " / time on " cpus(c2) ", medians over " \
		"the rounds (in brackets the lowest and highest of the " \
		"rounds).\n"
	busy = busy_boots(c1) + busy_boots(c2)
	if (busy)
		print "**The host was busy:** " busy " of the boots behind " \
			"this table had less than 90% of a host CPU (see the " \
			"notes). Each virtual CPU is a host thread, so these " \
			"speed-ups say more about the host than about the " \
			"kernels; run again on an idle host.\n"
	print "| two processes each doing | per | Basalt " cpus(c1) \
		" | Basalt " cpus(c2) " | Basalt speed-up | Linux " cpus(c1) \
		" | Linux " cpus(c2) " | Linux speed-up | goal | met |"
	print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
	for (i = 1; i <= nrows; i++) {
		op = rows[i]
		if (!is_scale(op))
			continue
		bcell = speedup("basalt", op, c1, c2); bup = g_up
		lcell = speedup("linux", op, c1, c2); lup = g_up
		goal = "≥ Linux"
		if (op == "scale_cpu" && c1 == 1 && c2 == 2)
			goal = goal ", ≥ 1.80×"
		met = "n/a"
		if (bup != "" && lup != "") {
			met = bup >= lup ? "yes" : "no"
			if (goal ~ /1\.80/ && bup < 1.8)
				met = "no"
		}
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			desc[op], per(unit[op] == "" ? "ns/op" : unit[op]),
			time_cell("basalt", c1, op),
			time_cell("basalt", c2, op), bcell,
			time_cell("linux", c1, op), time_cell("linux", c2, op),
			lcell, goal, met
	}
	print ""
}

# How many boots with c CPUs had less than 90% of a host CPU.
function busy_boots(c,    s, side, r, n) {
	for (s = 1; s <= 2; s++) {
		side = s == 1 ? "basalt" : "linux"
		for (r = 1; r <= rounds; r++)
			if (((side, c, r) in cpu) && cpu[side, c, r] < 90)
				n++
	}
	return n + 0
}

# Which results are missing and why, per side and CPU count.
function failure_notes(    i, k, s, side, key, notes) {
	for (k = 1; k <= nsmp; k++)
		for (i = 1; i <= nrows; i++)
			for (s = 1; s <= 2; s++) {
				side = s == 1 ? "basalt" : "linux"
				key = side SUBSEP smp[k] SUBSEP rows[i]
				if (!(key in why))
					continue
				if (!notes++)
					print "Not measured (n/a), or not in " \
						"every round:\n"
				printf "- %s -smp %d, %s, %d of %d rounds: %s\n",
					side_name(side), smp[k], rows[i],
					nfail[key], rounds, why[key]
			}
	if (notes)
		print ""
}

# How much of a host CPU QEMU had in each boot: under TCG it keeps one
# busy per virtual CPU that works, so less than one means the host was
# busy with something else too.
function cpu_notes(    k, s, side, r, line, busy, key) {
	print "QEMU's share of a host CPU in each boot, round 1 to " rounds \
		" (below about 90%, other work on the host took CPU time from " \
		"that boot; 100% does not rule out other work slowing it " \
		"through shared caches; with two CPUs a boot can use up to " \
		"200%):\n"
	for (k = 1; k <= nsmp; k++)
		for (s = 1; s <= 2; s++) {
			side = s == 1 ? "basalt" : "linux"
			line = ""
			for (r = 1; r <= rounds; r++) {
				key = side SUBSEP smp[k] SUBSEP r
				line = line (r > 1 ? ", " : "") \
					(key in cpu ? cpu[key] "%" : "?")
				if ((key in cpu) && cpu[key] < 90)
					busy++
			}
			printf "- %s -smp %d: %s\n", side_name(side), smp[k],
				line
		}
	if (busy)
		printf "\n%d boot(s) had less than 90%%: compare the rounds " \
			"column, or run again on an idle host.\n", busy
}

# A horizontal bar per operation on a logarithmic axis centred on 1.0:
# a bar to the left of the line is how many times faster Basalt is, to
# the right how many times slower. (Inside print and printf, awk reads
# an unparenthesised ">" as redirection, so every choice is made first.)
# The bars are the ratios ratio_table(c) just computed; the scale_* rows
# are not charted.
function chart(c, svg,    lo, hi, i, op, q, x1, xq, y, w, left, top, rowh,
		width, height, bottom, p, label, colour, stroke, sw, bx, bw, tx,
		anchor, n) {
	lo = 0.5; hi = 2
	for (i = 1; i <= nrows; i++) {
		if (is_scale(rows[i])) continue
		n++
		q = ratio[rows[i]]
		if (q == "" || q <= 0) continue
		while (q < lo * 2) lo /= 2
		while (q > hi / 2) hi *= 2
	}
	left = 330; top = 44; rowh = 26; w = 460
	bottom = top + n * rowh
	width = left + w + 60; height = bottom + 52
	print "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" width \
		"\" height=\"" height "\" font-family=\"sans-serif\" " \
		"font-size=\"13\">" > svg
	print "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>" > svg
	print "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" \
		"Basalt / Linux, time per operation, -smp " c " (lower is better)" \
		"</text>" > svg
	# Grid lines at powers of two, labelled below the bars.
	for (p = lo; p <= hi * 1.001; p *= 2) {
		x1 = left + log(p / lo) / log(hi / lo) * w
		stroke = "#ccc"; sw = 1; label = p "×"
		if (p < 1) label = "1/" (1 / p) "×"
		if (p == 1) { stroke = "black"; sw = 2; label = "1.0" }
		printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" " \
			"stroke=\"%s\" stroke-width=\"%d\"/>\n",
			x1, top - 6, x1, bottom, stroke, sw > svg
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			x1, bottom + 18, label > svg
	}
	printf "<text x=\"%d\" y=\"%d\" fill=\"#555\">green: Basalt faster; " \
		"red: Basalt slower; n/a: not measured on both</text>\n",
		left, bottom + 40 > svg
	x1 = left + log(1 / lo) / log(hi / lo) * w
	n = 0
	for (i = 1; i <= nrows; i++) {
		op = rows[i]
		if (is_scale(op)) continue
		y = top + (n++) * rowh
		printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
			left - 8, y + 17, xml(desc[op]) > svg
		q = ratio[op]
		if (q == "" || q <= 0) {
			printf "<text x=\"%.1f\" y=\"%d\" fill=\"#888\">n/a</text>\n",
				x1 + 6, y + 17 > svg
			continue
		}
		xq = left + log(q / lo) / log(hi / lo) * w
		if (q > 1) {
			colour = "#d62728"; bx = x1; bw = xq - x1
			tx = xq + 4; anchor = "start"
		} else {
			colour = "#2ca02c"; bx = xq; bw = x1 - xq
			tx = xq - 4; anchor = "end"
		}
		printf "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" " \
			"fill=\"%s\"/>\n", bx, y + 4, bw, rowh - 8, colour > svg
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%.2f</text>\n",
			tx, y + 17, anchor, q > svg
	}
	print "</svg>" > svg
	close(svg)
}
