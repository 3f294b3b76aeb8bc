# Redirections: files truncated and appended, descriptors duplicated and
# closed, stdin from files, and here-documents.
echo first > out
echo second >> out
cat out
echo to-stderr >&2 2>/dev/null
{ echo out; echo err >&2; } > both 2>&1
sort both
{ echo out; echo err >&2; } 2>&1 >/dev/null
exec 3> fd3
echo via-three >&3
exec 3>&-
cat fd3
echo oops >&3 2>/dev/null || echo "closed fd: write fails"
wc -l < out
printf 'x\ny\n' > in; while read l; do echo "read $l"; done < in
exec 4<> rw; echo rw-data >&4; exec 4>&-; cat rw
name=world
cat <<EOF2
hello $name
sum $((2 + 3))
$(echo command substitution)
EOF2
cat <<'EOF2'
literal $name $((1+1))
EOF2
cat <<-EOF2
	tabs stripped
	EOF2
cat nonexistent 2>/dev/null || echo "missing file: status $?"
echo noclobber > nc; set -C; (echo again > nc) 2>/dev/null || echo "noclobber refused"; set +C
: > empty; wc -c < empty
