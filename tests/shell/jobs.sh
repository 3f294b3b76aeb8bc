# Background jobs: $!, wait and its statuses, kill, and jobs.
sleep 10 &
pid=$!
jobs
kill $pid
wait $pid; echo "wait after kill: $?"
(exit 4) &
wait $!; echo "wait for exit 4: $?"
sh -c 'kill -KILL $$' &
wait $!; echo "wait for SIGKILL: $?"
for i in 1 2 3; do (echo "job $i" > job$i) & done
wait; cat job1 job2 job3
sleep 10 & sleep 10 &
jobs | wc -l
kill %1 %2
wait; echo "all waited: $?"
kill -0 $$ && echo "kill -0 self works"
kill -0 999999 2>/dev/null || echo "kill -0 of no process fails"
kill -l 9 15 2
kill -l | head -n 2
sleep 10 & p=$!; kill -STOP $p; kill -CONT $p; kill $p; wait $p; echo "stopped, continued, killed: $?"
