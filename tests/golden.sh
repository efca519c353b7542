#!/bin/sh
# Golden end-to-end tests: each tests/golden/NAME/ holds
#   cmd      shell commands, run from the repository root; $SLOPROOF is the
#            binary, $OUT an empty scratch directory
#   stdout, stderr, status   what the run must print and exit with, byte for byte
#   files/   optional: files that must be in $OUT afterwards, byte for byte
# Occurrences of $OUT in stdout/stderr read as "OUT". REGEN=1 rewrites the
# expectations (make regen; review the diff). GOLDEN=PATTERN runs only the
# tests whose names match the shell pattern.
SLOPROOF=${SLOPROOF:-./sloproof}
case $SLOPROOF in /*) ;; *) SLOPROOF=$(pwd)/$SLOPROOF ;; esac
export SLOPROOF
# Fixed environment: no colour, no terminal, pinned time for bundles.
export NO_COLOR=1 SOURCE_DATE_EPOCH=1795860000 TZ=UTC LC_ALL=C
# Not in a CI's eyes either: its annotation lines are tested where a test asks for them.
unset GITHUB_ACTIONS GITLAB_CI
n=0
for dir in tests/golden/*/; do
	dir=${dir%/}
	[ -f "$dir/cmd" ] || continue
	name=${dir#tests/golden/}
	# shellcheck disable=SC2254
	case $name in ${GOLDEN:-*}) ;; *) continue ;; esac
	n=$((n + 1))
	OUT=$(mktemp -d "${TMPDIR:-/tmp}/sloproof-golden.XXXXXX")
	export OUT
	sh "$dir/cmd" > "$OUT.stdout" 2> "$OUT.stderr" < /dev/null
	echo $? > "$OUT.status"
	for f in stdout stderr; do
		sed "s|$OUT|OUT|g" "$OUT.$f" > "$OUT.$f.n" && mv "$OUT.$f.n" "$OUT.$f"
	done
	if [ -n "$REGEN" ]; then
		for f in stdout stderr status; do cp "$OUT.$f" "$dir/$f"; done
		if [ -d "$dir/files" ]; then
			rm -rf "$dir/files"
			mkdir -p "$dir/files"
			(cd "$OUT" && find . -type f | sort) | while read -r f; do
				mkdir -p "$dir/files/$(dirname "$f")"
				cp "$OUT/$f" "$dir/files/$f"
			done
		fi
		echo "ok $n - $name (regenerated)"
	else
		bad=""
		for f in stdout stderr status; do
			if ! cmp -s "$OUT.$f" "$dir/$f"; then
				bad="$bad $f"
				diff -u "$dir/$f" "$OUT.$f" | head -40 | sed 's/^/# /'
			fi
		done
		if [ -d "$dir/files" ]; then
			want=$(cd "$dir/files" && find . -type f | sort)
			got=$(cd "$OUT" && find . -type f | sort)
			if [ "$want" != "$got" ]; then
				bad="$bad file-list"
				printf '# want files:\n%s\n# got files:\n%s\n' "$want" "$got" | sed 's/^\([^#]\)/# \1/'
			fi
			for f in $want; do
				if ! cmp -s "$dir/files/$f" "$OUT/$f"; then
					bad="$bad $f"
					diff -u "$dir/files/$f" "$OUT/$f" | head -40 | sed 's/^/# /'
				fi
			done
		fi
		if [ -z "$bad" ]; then
			echo "ok $n - $name"
		else
			echo "not ok $n - $name: differs in$bad"
		fi
	fi
	rm -rf "$OUT" "$OUT.stdout" "$OUT.stderr" "$OUT.status"
done
[ "$n" -gt 0 ] || echo "not ok 1 - no golden tests found"
