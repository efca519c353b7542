#!/bin/sh
# The report's re-check command reproduces each bundle's verdicts exactly:
# bundle every sample drill into a temporary folder (and take any bundle
# `make demo` left under docs/demos/perf/), then run `sloproof check
# drill.yaml` from inside each and compare every verdict, observed value,
# limit and message with the bundle's summary.json.
# Env: SLOPROOF (the binary). Prints TAP lines.
SLOPROOF=${SLOPROOF:-./sloproof}
case $SLOPROOF in /*) ;; *) SLOPROOF=$PWD/$SLOPROOF ;; esac
tmp=$(mktemp -d) || exit 4
trap 'rm -rf "$tmp"' EXIT
n=0
verdicts() { grep -E '^      "(verdict|observed|limit|message)":' "$1"; }
for drill in samples/drills/*/drill.yaml; do
	"$SLOPROOF" bundle --out "$tmp/out" "$drill" > /dev/null 2>&1
done
for b in "$tmp"/out/*/*/ docs/demos/perf/*/*/; do
	[ -f "$b/drill.yaml" ] && [ -f "$b/summary.json" ] || continue
	head -1 "$b/drill.yaml" | grep -q '^# The drill as this bundle read it' || continue
	n=$((n + 1))
	name=${b%/}; name=${name##*/}
	cmd=$(sed -n '/^To re-check the verdicts/,/^```$/p' "$b/report.md" | sed -n '/^sloproof /p')
	if [ "$cmd" != "sloproof check drill.yaml" ]; then
		echo "not ok $n - $name: the report's re-check command is \"$cmd\""
		continue
	fi
	(cd "$b" && "$SLOPROOF" check --quiet --json "$tmp/check.json" drill.yaml > /dev/null 2>"$tmp/err")
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "not ok $n - $name: check drill.yaml exited $rc"
		sed 's/^/# /' "$tmp/err"
		continue
	fi
	verdicts "$b/summary.json" > "$tmp/want"
	verdicts "$tmp/check.json" > "$tmp/got"
	if [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"; then
		echo "ok $n - $name: check drill.yaml reproduces the bundle's verdicts"
	else
		echo "not ok $n - $name: check drill.yaml differs from summary.json"
		diff "$tmp/want" "$tmp/got" | sed 's/^/# /' | head -20
	fi
done
[ $n -gt 0 ] || echo "not ok 1 - no sample bundle to re-check"
