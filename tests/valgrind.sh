#!/bin/sh
# make check-valgrind: every golden test with the binary run under valgrind
# (memcheck, full leak check). The wrapper keeps valgrind's report out of
# stderr, so the golden comparison is unchanged; then every log must show
# zero errors and zero leaked bytes.
BIN=$(pwd)/${1:-sloproof}
logs=$(mktemp -d "${TMPDIR:-/tmp}/sloproof-vg.XXXXXX")
wrap=$logs/sloproof
cat > "$wrap" <<WRAP
#!/bin/sh
exec valgrind -q --suppressions=$(pwd)/tests/valgrind.supp --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible --log-file="$logs/vg.%p.log" "$BIN" "\$@"
WRAP
chmod +x "$wrap"
SLOPROOF=$wrap sh tests/golden.sh > "$logs/golden.out" 2>&1
grep -E '^(ok|not ok)' "$logs/golden.out"
n=$(grep -c '^ok\|^not ok' "$logs/golden.out")
bad=0
for f in "$logs"/vg.*.log; do
	[ -s "$f" ] || continue
	bad=$((bad + 1))
	echo "# valgrind found problems:"; sed 's/^/#   /' "$f" | head -40
done
n=$((n + 1))
if [ $bad -eq 0 ]; then
	echo "ok $n - valgrind: no errors and no leaks in $(ls "$logs"/vg.*.log | wc -l) runs"
else
	echo "not ok $n - valgrind reported problems in $bad runs"
fi
rm -rf "$logs"
