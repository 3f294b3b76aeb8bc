# Traps: handlers for signals sent to the shell itself, EXIT, resetting
# and ignoring, and the default action killing a child shell.
trap 'echo caught USR1' USR1
kill -USR1 $$
echo after USR1
trap - USR1
sh -c 'trap "echo caught TERM" TERM; kill -TERM $$; echo still running'
sh -c 'trap "" INT; kill -INT $$; echo INT ignored'
sh -c 'kill -TERM $$; echo not reached'; echo "killed: status $?"
sh -c 'trap "echo exit trap" EXIT; echo body'
sh -c 'trap "echo exit trap \$?" EXIT; exit 3'; echo "status $?"
sh -c 'trap "echo HUP handler" HUP; kill -HUP $$; trap - HUP; echo reset'
(trap 'echo subshell USR2' USR2; kill -USR2 $(sh -c 'echo $PPID'); echo sub done)
trap 'echo main exit' EXIT
echo end of script
