#!/bin/sh
# make bench: k6 raw import speed and memory against the cost of reading
# the same bytes. For each N (BENCH_N, default "100000 1000000") writes a
# deterministic raw file of N requests (tests/bench/gen_k6raw.c) and its
# gzip into a temporary directory (never the repo), warms the page cache,
# and times, in the same run: sloproof on the plain file, wc -l, cat, and
# for the gzip sloproof and zcat. Reports wall time, peak RSS, the ratios,
# and checks each channel's P95 against the exact value (within 1 %).
# A benchmark, not a test: `make check` never runs it.
set -e
SLOPROOF=${SLOPROOF:-./sloproof}
CC=${CC:-cc}
dir=$(mktemp -d "${TMPDIR:-/tmp}/sloproof-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
$CC -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$dir/gen" tests/bench/gen_k6raw.c -lm
# wall seconds and peak RSS (kB) of one command, stdout discarded
run() {
	/usr/bin/time -f '%e %M' -o "$dir/t" "$@" > "$dir/out" 2> "$dir/err" || {
		cat "$dir/err" >&2; return 1; }
	cat "$dir/t"
}
best() {	# the best of three runs (a shared machine is noisy)
	b=; for i in 1 2 3; do r=$(run "$@"); w=${r% *}
		if [ -z "$b" ] || awk "BEGIN{exit !($w < ${b% *})}"; then b=$r; fi; done
	echo "$b"
}
ratio() { awk "BEGIN{printf \"%.2f\", $1 / ($2 > 0 ? $2 : 0.001)}"; }
echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for n in ${BENCH_N:-100000 1000000}; do
	raw=$dir/raw-$n.ndjson
	"$dir/gen" "$n" "$raw" "$dir/exact.txt"
	gzip -1 -c "$raw" > "$raw.gz"
	cat "$raw" "$raw.gz" > /dev/null
	size=$(wc -c < "$raw"); gsize=$(wc -c < "$raw.gz"); lines=$(wc -l < "$raw")
	s=$(best "$SLOPROOF" inspect --json "k6:$raw"); cp "$dir/out" "$dir/inspect.json"
	w=$(best wc -l "$raw"); c=$(best cat "$raw")
	sg=$(best "$SLOPROOF" inspect "k6:$raw.gz"); z=$(best zcat "$raw.gz")
	echo "N=$n requests: $lines lines, $size bytes plain, $gsize bytes gzip -1"
	printf '  %-28s %8s s  %8s kB peak RSS\n' "sloproof inspect (plain)" ${s% *} ${s#* } \
	    "wc -l" ${w% *} ${w#* } "cat > /dev/null" ${c% *} ${c#* } \
	    "sloproof inspect (gzip)" ${sg% *} ${sg#* } "zcat > /dev/null" ${z% *} ${z#* }
	echo "  sloproof / wc -l: $(ratio ${s% *} ${w% *}) (target 3)  sloproof / cat: $(ratio ${s% *} ${c% *})"
	echo "  sloproof gzip / zcat: $(ratio ${sg% *} ${z% *}) (target 1.5)"
	# P95 per channel from the histograms against the exact value over all points.
	awk -v exact="$dir/exact.txt" '
		BEGIN { while ((getline l < exact) > 0) { split(l, f, " "); want[f[1]] = f[2] } }
		/"name": "http_req_duration\{channel:/ { c = $2; gsub(/.*channel:|\}",?/, "", c); cur = c }
		/"name": "http_req_duration",/ { cur = "all" }
		cur != "" && /"p\(95\)":/ { v = $2; sub(/,$/, "", v); got[cur] = v; cur = "" }
		END { bad = 0
			for (c in want) { e = (got[c] - want[c]) / want[c]; if (e < 0) e = -e
				printf "  p95 %-10s exact %10.3f ms  histogram %10.3f ms  error %.3f %%%s\n", c,
				    want[c], got[c], 100 * e, e <= 0.01 ? "" : "  OVER 1 %"
				if (e > 0.01 || got[c] == "") bad = 1 }
			exit bad }' "$dir/inspect.json"
	rm -f "$raw" "$raw.gz"
done
