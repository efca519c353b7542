#!/bin/sh
# Replays every seed and every past crash through each fuzz target built
# without libFuzzer (under ASan/UBSan in make check-asan).
BUILD=${BUILD:-build}
n=0
for r in "$BUILD"/fuzz/replay_*; do
	[ -x "$r" ] || continue
	t=${r##*/replay_}
	n=$((n + 1))
	files=$(sh tests/fuzz-seeds.sh "$t")
	# shellcheck disable=SC2086
	if out=$("$r" $files 2>&1); then
		echo "ok $n - fuzz target $t replays its seeds and past crashes ($(printf '%s\n' "$out" | tail -1))"
	else
		echo "not ok $n - fuzz target $t crashed on a seed"
		printf '%s\n' "$out" | tail -20 | sed 's/^/# /'
	fi
done
