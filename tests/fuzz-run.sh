#!/bin/sh
# Runs each libFuzzer target for N seconds from its seeds; fails on any finding.
secs=$1; shift
status=0
for t in "$@"; do
	dir=build-fuzz/corpus-$t
	mkdir -p "$dir" build-fuzz/crashes-$t
	for f in $(sh tests/fuzz-seeds.sh "$t"); do cp "$f" "$dir/" 2>/dev/null; done
	dict=tests/fuzz/$t.dict
	echo "== fuzz_$t for ${secs}s"
	if ! build-fuzz/fuzz_$t -max_total_time="$secs" -max_len=65536 -timeout=10 \
	    -artifact_prefix=build-fuzz/crashes-$t/ $( [ -f "$dict" ] && echo "-dict=$dict" ) \
	    "$dir" > build-fuzz/fuzz_$t.log 2>&1; then
		echo "fuzz_$t found a problem:"; tail -30 build-fuzz/fuzz_$t.log
		status=1
	else
		grep -E '^#[0-9]+.*DONE|Done [0-9]+ runs' build-fuzz/fuzz_$t.log | tail -1
	fi
done
exit $status
