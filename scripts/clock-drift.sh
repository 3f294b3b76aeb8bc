# Measures a guest's clock against the host's, for scripts that read a
# boot's serial output as it arrives (sourced, not run).
#
# The guest prints "CLOCK ns" lines, its CLOCK_MONOTONIC in nanoseconds;
# clock_note records each with the host's time of arrival, and
# clock_report compares how far the two clocks moved between the first
# and the last such line. It reports, and never fails: a guest clock off
# by more than 1% is an issue to look into (see docs/testing.md), not a
# test that failed. The host time is $EPOCHREALTIME (the wall clock;
# over a boot NTP moves it by far less than 0.1%), read when the line
# reaches this shell, a few milliseconds after the guest wrote it.
#
#   clock_note LINE       record a "CLOCK ns" line, now
#   clock_report SIDE     print "SIDE: clock: ..." if two lines were noted

clock_guest_first='' clock_guest_last=''
clock_host_first='' clock_host_last=''

clock_now_us() {
	local t=${EPOCHREALTIME/[,.]/}
	echo "$((10#$t))"
}

clock_note() {
	local ns=${1#CLOCK }
	ns=${ns%%[!0-9]*}
	[ -n "$ns" ] || return 0
	local us
	us=$(clock_now_us)
	if [ -z "$clock_guest_first" ]; then
		clock_guest_first=$ns clock_host_first=$us
	else
		clock_guest_last=$ns clock_host_last=$us
	fi
}

clock_report() {
	local side=$1
	[ -n "$clock_guest_last" ] || return 0
	awk -v side="$side" \
	    -v g=$((clock_guest_last - clock_guest_first)) \
	    -v h=$((clock_host_last - clock_host_first)) 'BEGIN {
		if (h <= 0) exit
		gs = g / 1e9; hs = h / 1e6
		drift = (gs - hs) / hs * 100
		verdict = (drift < 1 && drift > -1) ? "agrees within 1%" \
						    : "OFF BY MORE THAN 1%"
		printf "%s: clock: guest CLOCK_MONOTONIC ran %.3f s while the host ran %.3f s: drift %+.2f%% (%s)\n",
		       side, gs, hs, drift, verdict
	}'
}
