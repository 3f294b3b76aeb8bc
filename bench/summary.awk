# The numbers behind `make bench`'s table and chart (run by
# scripts/bench.sh; plain POSIX awk, so Debian's mawk will do).
#
# Input, two files:
#   1. the rows, in table order, one "op=description" a line
#   2. raw.txt: per boot and operation either
#        SIDE ROUND OP UNIT MEDIAN MIN MAX      (times in ns, boot in ms)
#      or
#        SIDE ROUND OP n/a WHY...
# Output: the Markdown table and its notes on standard output, and the
# chart to the file named by -v svg=FILE.
#
# Per operation and side, a boot gives one number (the median of its
# repetitions); the table shows the median of those over the rounds and
# their spread, (max - min) / median. The ratio is Basalt's median over
# Linux's; "rounds" shows the lowest and highest ratio of Basalt's boot in
# a round to Linux's boot in the same round, which says how far the ratio
# itself moves from round to round.

function sort_numbers(a, n,    i, j, v) {
	for (i = 2; i <= n; i++) {
		v = a[i]
		for (j = i - 1; j >= 1 && a[j] > v; j--)
			a[j + 1] = a[j]
		a[j + 1] = v
	}
}

# The median of the values of (side, op) over the rounds; sets g_spread.
function median(side, op,    n, a, r, m) {
	n = 0
	for (r = 1; r <= rounds; r++)
		if ((side, op, r) in val)
			a[++n] = val[side, op, r]
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
	cpu[$3, $4] = $5
	next
}

/^#/ || NF < 4 { next }

$4 == "n/a" {
	key = $1 SUBSEP $3
	if (!(key in why)) {
		w = $0
		for (i = 1; i <= 4; i++)
			sub(/^[^ ]+ /, "", w)
		why[key] = w
	}
	nfail[key]++
	next
}

{
	val[$1, $3, $2] = $5
	unit[$3] = $4
}

END {
	print "| operation | per | Basalt | spread | Linux | spread | Basalt/Linux | rounds |"
	print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= nrows; i++) {
		op = rows[i]
		b = median("basalt", op); bs = g_spread; bn = g_count
		l = median("linux", op); ls = g_spread; ln = g_count
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
				if (!(("basalt", op, r) in val) || !(("linux", op, r) in val))
					continue
				if (val["linux", op, r] <= 0)
					continue
				q = val["basalt", op, r] / val["linux", op, r]
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

	notes = 0
	for (i = 1; i <= nrows; i++)
		for (s = 1; s <= 2; s++) {
			side = s == 1 ? "basalt" : "linux"
			key = side SUBSEP rows[i]
			if (!(key in why))
				continue
			if (!notes++)
				print "\nNot measured (n/a), or not in every round:\n"
			printf "- %s, %s, %d of %d rounds: %s\n",
				side == "basalt" ? "Basalt" : "Linux", rows[i],
				nfail[key], rounds, why[key]
		}
	cpu_notes()
	print "\nTimes are per operation (the \"per\" column), medians over the " \
		"rounds; spread is (max - min) / median of the rounds' results; " \
		"Basalt/Linux below 1.00 means Basalt is faster. \"rounds\" is " \
		"the lowest and highest ratio within one round."
	chart()
}

# How much of a host CPU QEMU had in each boot: under TCG it keeps one
# busy, so less means the host was busy with something else too.
function cpu_notes(    s, side, r, line, busy) {
	print "\nQEMU's share of a host CPU in each boot, round 1 to " rounds \
		" (below about 90%, other work on the host took CPU time from " \
		"that boot; 100% does not rule out other work slowing it " \
		"through shared caches):\n"
	for (s = 1; s <= 2; s++) {
		side = s == 1 ? "basalt" : "linux"
		line = ""
		for (r = 1; r <= rounds; r++) {
			line = line (r > 1 ? ", " : "") \
				((side, r) in cpu ? cpu[side, r] "%" : "?")
			if ((side, r) in cpu && cpu[side, r] < 90)
				busy++
		}
		printf "- %s: %s\n", side == "basalt" ? "Basalt" : "Linux", line
	}
	if (busy)
		printf "\n%d boot(s) had less than 90%%: compare the rounds " \
			"column, or run again on an idle host.\n", busy
}

# A horizontal bar per operation on a logarithmic axis centred on 1.0:
# a bar to the left of the line is how many times faster Basalt is, to
# the right how many times slower. (Inside print and printf, awk reads
# an unparenthesised ">" as redirection, so every choice is made first.)
function chart(    lo, hi, i, op, q, x1, xq, y, w, left, top, rowh, width,
		height, bottom, p, label, colour, stroke, sw, bx, bw, tx, anchor) {
	lo = 0.5; hi = 2
	for (i = 1; i <= nrows; i++) {
		q = ratio[rows[i]]
		if (q == "" || q <= 0) continue
		while (q < lo * 2) lo /= 2
		while (q > hi / 2) hi *= 2
	}
	left = 330; top = 44; rowh = 26; w = 460
	bottom = top + nrows * rowh
	width = left + w + 60; height = bottom + 52
	print "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" width \
		"\" height=\"" height "\" font-family=\"sans-serif\" " \
		"font-size=\"13\">" > svg
	print "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>" > svg
	print "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" \
		"Basalt / Linux, time per operation (lower is better)</text>" > svg
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
	for (i = 1; i <= nrows; i++) {
		op = rows[i]
		y = top + (i - 1) * rowh
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
