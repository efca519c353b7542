#!/bin/sh
# End-to-end properties of bundles that golden files cannot express:
# atomicity under kill and failing writes, reproducibility, no absolute
# paths. Prints TAP-style "ok N - ..." lines for tests/run.sh.
SLOPROOF=${SLOPROOF:-./sloproof}
case $SLOPROOF in /*) ;; *) SLOPROOF=$(pwd)/$SLOPROOF ;; esac
export NO_COLOR=1 SOURCE_DATE_EPOCH=1795860000
drill=samples/drills/redis-outage/drill.yaml
T=$(mktemp -d "${TMPDIR:-/tmp}/sloproof-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "${3:-}"; fi; }

# Reproducible: two runs, two roots, same bytes.
"$SLOPROOF" bundle --out "$T/a" "$drill" > /dev/null 2>&1
"$SLOPROOF" bundle --out "$T/b" "$drill" > /dev/null 2>&1
check "same inputs and SOURCE_DATE_EPOCH give byte-identical bundles" \
	'diff -r "$T/a" "$T/b" > "$T/diff" 2>&1' "$(cat "$T/diff" 2>/dev/null)"
check "no absolute path of this machine inside the bundle" \
	'! grep -rqF -e "$T" -e "$(pwd)" "$T/a"'
check "MANIFEST.sha256 passes sha256sum -c" \
	'(cd "$T/a/2026-11-28/redis-outage" && sha256sum -c --quiet MANIFEST.sha256)'
check "the manifest lists every file but itself" \
	'[ "$(cd "$T/a/2026-11-28/redis-outage" && find . -type f ! -name MANIFEST.sha256 | wc -l)" -eq "$(wc -l < "$T/a/2026-11-28/redis-outage/MANIFEST.sha256")" ]'

# Without SOURCE_DATE_EPOCH the bundle records when it was made, so it differs only there.
env -u SOURCE_DATE_EPOCH "$SLOPROOF" bundle --out "$T/now" "$drill" > /dev/null 2>&1
# The report's clock is the drill's zone, whose date may be UTC's +- 1 day.
check "without SOURCE_DATE_EPOCH the report says when it was made" \
	'grep -q -e "^| Generated | $(date -u +%Y-%m-%d)" -e "^| Generated | $(date -u -d tomorrow +%Y-%m-%d)" \
	    -e "^| Generated | $(date -u -d yesterday +%Y-%m-%d)" "$T/now/2026-11-28/redis-outage/report.md"'

# One byte changed anywhere makes verify fail, for every file.
for f in $(cd "$T/a/2026-11-28/redis-outage" && find . -type f ! -name MANIFEST.sha256 | sort); do
	rm -rf "$T/v" && cp -r "$T/a/2026-11-28/redis-outage" "$T/v"
	printf 'x' | dd of="$T/v/$f" bs=1 seek=10 conv=notrunc 2>/dev/null
	if "$SLOPROOF" verify "$T/v" > "$T/out" 2>&1; then
		nok "verify notices one changed byte in $f"
	else
		check "verify notices one changed byte in $f" 'grep -q "changed: ${f#./}" "$T/out"'
	fi
done

# Killed at every write-side step: never a partial bundle, and the next run cleans up.
kills=0 partial=0 step=1
while [ $step -le 60 ]; do
	rm -rf "$T/k"
	SLOPROOF_TEST_FAULT="$step:KILL" "$SLOPROOF" bundle --out "$T/k" "$drill" > /dev/null 2>&1
	rc=$?
	[ $rc -eq 137 ] || [ $rc -eq 0 ] || [ $rc -eq 1 ] || partial=$((partial + 1))
	if [ $rc -eq 137 ]; then
		kills=$((kills + 1))
		if [ -d "$T/k/2026-11-28/redis-outage" ] &&
		    ! "$SLOPROOF" verify "$T/k/2026-11-28/redis-outage" > /dev/null 2>&1; then
			partial=$((partial + 1))
		fi
	else
		break
	fi
	step=$((step + 1))
done
check "killed at each of $kills write steps: no partial bundle ever" '[ $kills -gt 10 ] && [ $partial -eq 0 ]'
rm -rf "$T/k"
SLOPROOF_TEST_FAULT="8:KILL" "$SLOPROOF" bundle --out "$T/k" "$drill" > /dev/null 2>&1
check "a killed run leaves only a hidden temporary folder" \
	'[ "$(ls "$T/k/2026-11-28")" = "" ] && ls -A "$T/k/2026-11-28" | grep -q "^\.sloproof-tmp-"'
"$SLOPROOF" bundle --out "$T/k" "$drill" > /dev/null 2> "$T/err"
check "the next run removes it, says so, and writes the bundle" \
	'! ls -A "$T/k/2026-11-28" | grep -q "^\.sloproof-tmp-" && grep -q "removing what an interrupted run left behind" "$T/err" && "$SLOPROOF" verify "$T/k/2026-11-28/redis-outage" > /dev/null'

# Every write-side step failing with ENOSPC or EIO: exit 4, one message, nothing left behind.
bad=0 steps=0
for err in ENOSPC EIO; do
	step=1
	while [ $step -le 60 ]; do
		rm -rf "$T/f"
		SLOPROOF_TEST_FAULT="$step:$err" "$SLOPROOF" bundle --out "$T/f" "$drill" > "$T/out" 2> "$T/err"
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 1 ] && break
		steps=$((steps + 1))
		if [ $rc -ne 4 ] || [ "$(grep -c error "$T/err")" -ne 1 ]; then
			bad=$((bad + 1)); echo "# step $step $err: exit $rc"; sed 's/^/#   /' "$T/err"
		fi
		if [ -d "$T/f/2026-11-28" ] && [ -n "$(ls -A "$T/f/2026-11-28" | grep -v '^index.md$')" ]; then
			if ! "$SLOPROOF" verify "$T/f/2026-11-28/redis-outage" > /dev/null 2>&1; then
				bad=$((bad + 1)); echo "# step $step $err: left $(ls -A "$T/f/2026-11-28")"
			fi
		fi
		step=$((step + 1))
	done
done
check "each of $steps failing writes (ENOSPC, EIO): exit 4, one error, no partial bundle or temp folder" \
	'[ $steps -gt 20 ] && [ $bad -eq 0 ]'

# A symlink planted at the bundle path is not followed.
mkdir -p "$T/s/2026-11-28" "$T/elsewhere"
ln -s "$T/elsewhere" "$T/s/2026-11-28/redis-outage"
"$SLOPROOF" bundle --out "$T/s" "$drill" > "$T/out" 2>&1
check "a symlink at the bundle path is left alone; the bundle goes to redis-outage-2" \
	'[ -z "$(ls -A "$T/elsewhere")" ] && [ -d "$T/s/2026-11-28/redis-outage-2" ] && [ ! -L "$T/s/2026-11-28/redis-outage-2" ]'

# An evidence file that is a symlink inside the drill's folder is copied as content.
mkdir -p "$T/l/k6" "$T/l/raw"
cp samples/k6/handle-summary.json "$T/l/raw/handle-summary.json"
ln -s ../raw/handle-summary.json "$T/l/k6/perf-summary.json"
cp samples/slo.yaml "$T/l/slo.yaml"
printf 'drill: Linked\ndate: 2026-11-28\nslo: slo.yaml\nevidence:\n  - k6/perf-summary.json\n' > "$T/l/drill.yaml"
"$SLOPROOF" bundle --out "$T/lo" "$T/l/drill.yaml" > /dev/null 2>&1
check "a symlinked evidence file is copied as a regular file with its content" \
	'[ -f "$T/lo/2026-11-28/linked/evidence/perf-summary.json" ] && [ ! -L "$T/lo/2026-11-28/linked/evidence/perf-summary.json" ] && cmp -s samples/k6/handle-summary.json "$T/lo/2026-11-28/linked/evidence/perf-summary.json"'

# Three k6 formats of the same run give the same verdicts.
for f in perf-summary.json handle-summary.json summary-v1.json; do
	"$SLOPROOF" check --slo samples/slo.yaml --json "$T/$f.verdicts" "samples/k6/$f" > /dev/null 2>&1
	sed -E 's/"(source|k6_threshold|samples)": .*//; /"expr"|"passed"|^ *\},?$/d' "$T/$f.verdicts" > "$T/$f.cmp"
done
check "the same run in all three k6 formats gives the same verdicts and values" \
	'cmp -s "$T/perf-summary.json.cmp" "$T/handle-summary.json.cmp" && cmp -s "$T/handle-summary.json.cmp" "$T/summary-v1.json.cmp"' \
	"$(diff "$T/perf-summary.json.cmp" "$T/summary-v1.json.cmp" | head -20)"

# JUnit validates against the Jenkins xUnit schema.
xsd=${SLOPROOF_JUNIT_XSD:-../shared/schemas/junit-10.xsd}
if [ -f "$xsd" ] && command -v xmllint > /dev/null; then
	check "junit.xml validates against junit-10.xsd" \
		'xmllint --noout --schema "$xsd" "$T/a/2026-11-28/redis-outage/junit.xml" 2> "$T/xerr"' "$(cat "$T/xerr" 2>/dev/null)"
else
	echo "# skip: no $xsd or no xmllint; junit schema test not run"
fi

# report.html: one self-contained page, no script, no markup from the evidence.
"$SLOPROOF" bundle --out "$T/h" tests/data/drill-hostile.yaml > /dev/null 2>&1
html=$(ls "$T"/h/2026-11-28/*/report.html 2>/dev/null | head -1)
if [ -n "$html" ] && command -v xmllint > /dev/null; then
	check "report.html has no script element, even from a hostile drill" \
		'[ "$(xmllint --html --xpath "count(//script)" "$html" 2>/dev/null)" = 0 ]'
	check "report.html shows an Alertmanager annotation with <script> as text" \
		'xmllint --html --xpath "string(//section[@id=\"timeline\"])" "$html" 2>/dev/null | grep -qF "<script>alert(1)</script>"'
	check "report.html shows the hostile title as text" \
		'xmllint --html --xpath "string(//h1)" "$html" 2>/dev/null | grep -qF "<script>alert(1)</script>"'
	check "report.html fetches nothing: no element with src, no link element" \
		'[ "$(xmllint --html --xpath "count(//*[@src] | //link | //iframe | //object)" "$html" 2>/dev/null)" = 0 ]'
	check "report.html: no id twice, even with several inline charts" \
		'[ -z "$(grep -o "id=\"[^\"]*\"" "$T/b/2026-11-28/redis-outage/report.html" | sort | uniq -d)" ]'
	check "report.html has one verdict row per SLO" \
		'[ "$(xmllint --html --xpath "count(//section[@id=\"verdicts\"]//tbody/tr)" "$html" 2>/dev/null)" = 5 ]'
else
	echo "# skip: no report.html or no xmllint; HTML tests not run"
fi

# Large plain evidence is stored zstd-compressed (SLOPROOF_TEST_ZSTD_MIN=0 makes every plain
# input "large"): the manifest hashes the stored bytes, zstd -d gives back the input byte for
# byte, and sloproof reads the stored .zst itself with the same result.
SLOPROOF_TEST_ZSTD_MIN=0 "$SLOPROOF" bundle --out "$T/z" "$drill" > /dev/null 2>&1
zb="$T/z/2026-11-28/redis-outage"
check "zstd: plain evidence is stored as .zst" \
	'[ -f "$zb/evidence/perf-summary.json.zst" ] && [ ! -f "$zb/evidence/perf-summary.json" ]'
check "zstd: the manifest hashes the stored bytes (sha256sum -c)" \
	'(cd "$zb" && sha256sum -c --quiet MANIFEST.sha256) && grep -q " evidence/perf-summary.json.zst$" "$zb/MANIFEST.sha256"'
check "zstd: sloproof verify passes" '"$SLOPROOF" verify "$zb" > /dev/null 2>&1'
if command -v zstd > /dev/null 2>&1; then
	check "zstd: zstd -d restores the input byte for byte" \
		'zstd -dc "$zb/evidence/perf-summary.json.zst" | cmp -s - samples/drills/redis-outage/k6/perf-summary.json'
else
	echo "# skip: no zstd command; byte-for-byte restore not checked"
fi
"$SLOPROOF" inspect samples/drills/redis-outage/k6/perf-summary.json | sed 1d > "$T/plain.txt" 2>&1
"$SLOPROOF" inspect "$zb/evidence/perf-summary.json.zst" > "$T/zst.txt" 2>&1
check "zstd: sloproof reads its stored .zst evidence as the plain input" \
	'head -1 "$T/zst.txt" | grep -q "(zstd)" && sed 1d "$T/zst.txt" | cmp -s - "$T/plain.txt"' "$(head -3 "$T/zst.txt")"
check "zstd: a re-check of the stored evidence gives the same verdicts" \
	'"$SLOPROOF" check -q --slo samples/slo.yaml "$zb/evidence/perf-summary.json.zst"; a=$?; "$SLOPROOF" check -q --slo samples/slo.yaml samples/drills/redis-outage/k6/perf-summary.json; [ $? -eq $a ]'
# k6 raw output, streamed: gzip input re-stored as zstd reads the same.
raw=samples/drills/upstream-latency/k6/raw.json.gz
if command -v zstd > /dev/null 2>&1; then
	zcat "$raw" | zstd -q -T0 -o "$T/raw.ndjson.zst"
	cp "$raw" "$T/raw.ndjson.gz"
	(cd "$T" && "$SLOPROOF" inspect --json k6:raw.ndjson.gz) | grep -v '"gzip"\|"size"\|"path"' |
	    sed 's/raw.ndjson.gz/RAW/' > "$T/rawgz.json"
	(cd "$T" && "$SLOPROOF" inspect --json k6:raw.ndjson.zst) | grep -v '"gzip"\|"size"\|"path"' |
	    sed 's/raw.ndjson.zst/RAW/' > "$T/rawzst.json"
	check "zstd: k6 raw output in zstd imports as the same gzip'd file does" \
		'[ -s "$T/rawzst.json" ] && cmp -s "$T/rawgz.json" "$T/rawzst.json"' "$(diff "$T/rawgz.json" "$T/rawzst.json" | head -5)"
fi
