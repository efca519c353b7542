#!/bin/sh
# make check: run every unit test program, the golden end-to-end tests and
# the corpus tests; print one closing line "N passed, M failed".
# Env: BUILD (build dir), SLOPROOF (the binary).
BUILD=${BUILD:-build}
SLOPROOF=${SLOPROOF:-./sloproof}
export SLOPROOF
# Tests that want CI annotations set these themselves; the suite's own CI must not change outputs.
unset GITHUB_ACTIONS GITLAB_CI
pass=0 fail=0
log=$BUILD/test.log
: > "$log"
for t in "$BUILD"/unit/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" >> "$log"
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	printf '%s\n' "$out" | grep -E '^(not ok|# skip)' | sed "s|^|$(basename "$t"): |"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$(basename "$t"): exited with status $rc"
		f=1
	fi
	pass=$((pass + p)); fail=$((fail + f))
done
for s in tests/golden.sh tests/help.sh tests/install.sh tests/corpus.sh tests/e2e.sh tests/fuzz-replay.sh tests/realservers.sh tests/schemas.sh tests/interop.sh; do
	[ -f "$s" ] || continue
	out=$(BUILD=$BUILD sh "$s" 2>&1)
	printf '%s\n' "$out" >> "$log"
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	printf '%s\n' "$out" | grep -E '^(not ok|# skip)' | sed "s|^|$(basename "$s"): |"
	printf '%s\n' "$out" | grep -A30 '^not ok' | grep '^#' | head -60
	pass=$((pass + p)); fail=$((fail + f))
done
echo "(details in $log)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
