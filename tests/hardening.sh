#!/bin/sh
# Hostile inputs, one class each (docs/hardening.md): confinement, verify,
# signatures, concurrency, escaping for every sink, resource bounds, honest
# exit codes, the capture's Prometheus answers. Prints TAP-style lines for
# tests/run.sh; a test whose tool is missing prints "# skip:".
SLOPROOF=${SLOPROOF:-./sloproof}
case $SLOPROOF in /*) ;; *) SLOPROOF=$(pwd)/$SLOPROOF ;; esac
export NO_COLOR=1 SOURCE_DATE_EPOCH=1795860000
T=$(mktemp -d "${TMPDIR:-/tmp}/sloproof-hard.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "$(cat "$T/err" 2>/dev/null | head -5)"; fi; }
repo=$(pwd)

# A drill folder of our own: one k6 summary and the playbook SLOs.
D=$T/d
mkdir -p "$D/k6"
cp samples/k6/handle-summary.json "$D/k6/summary.json"
cp samples/slo.yaml "$D/slo.yaml"
drill() {	# drill EVIDENCE [ATTACHMENT]
	printf 'drill: Hard\ndate: 2026-11-28\nslo: slo.yaml\nevidence:\n  - %s\n' "$1" > "$D/drill.yaml"
	[ -n "${2:-}" ] && printf 'attachments:\n  - %s\n' "$2" >> "$D/drill.yaml"
	:
}
bundle() { "$SLOPROOF" bundle --out "$T/out" "$D/drill.yaml" "$@" > "$T/outp" 2> "$T/err"; }

# ---- confinement ----
drill k6/summary.json /proc/self/environ
bundle; rc=$?
check "an attachment in /proc is refused (exit 3), nothing written" \
	'[ $rc = 3 ] && grep -q "a file of /proc" "$T/err" && [ ! -d "$T/out/2026-11-28/hard" ]'
ln -s /etc/passwd "$D/passwd.log"
drill k6/summary.json passwd.log
bundle; rc=$?
check "a symlink leading outside the drill's folder is refused (exit 3)" \
	'[ $rc = 3 ] && grep -q "leads outside the drill.s folder" "$T/err" && ! grep -rqs "root:" "$T/out"'
mkdir -p "$T/elsewhere" && cp samples/k6/summary-v1.json "$T/elsewhere/v1.json"
drill ../elsewhere/v1.json
bundle; rc=$?
check "a .. escape is refused (exit 3)" '[ $rc = 3 ] && grep -q "leads outside" "$T/err"'
bundle --allow-root "$T/elsewhere"; rc=$?
check "--allow-root DIR lets evidence come from DIR" '[ $rc -le 1 ] && [ -f "$T/out/2026-11-28/hard/evidence/v1.json" ]'
rm -rf "$T/out"
if mkfifo "$D/k6/fifo.json" 2> /dev/null; then
	drill k6/fifo.json
	# A FIFO without a writer would block open(2) for ever; timeout guards the test only.
	timeout 20 "$SLOPROOF" bundle --out "$T/out" "$D/drill.yaml" > /dev/null 2> "$T/err"; rc=$?
	check "a FIFO as evidence is refused at once (exit 3), no hang" '[ $rc = 3 ] && grep -q "is a FIFO" "$T/err"'
	timeout 20 "$SLOPROOF" check --slo "$D/slo.yaml" "k6:$D/k6/fifo.json" > /dev/null 2> "$T/err"; rc=$?
	check "check refuses a FIFO too" '[ $rc = 3 ]'
	rm -f "$D/k6/fifo.json"
fi
drill k6/summary.json /dev/null
bundle; rc=$?
check "a device is refused" '[ $rc = 3 ] && grep -q "character device" "$T/err"'

# ---- stored modes ----
drill k6/summary.json
chmod 600 "$D/k6/summary.json"
(umask 077 && "$SLOPROOF" bundle --out "$T/out" "$D/drill.yaml" > /dev/null 2>&1)
b=$T/out/2026-11-28/hard
check "modes are normalised under umask 077: folders 0755, files 0644" \
	'[ "$(stat -c %a "$b")" = 755 ] && [ "$(stat -c %a "$b/evidence")" = 755 ] && [ "$(stat -c %a "$b/report.md")" = 644 ] && [ "$(stat -c %a "$b/evidence/summary.json")" = 644 ] && [ -z "$(find "$b" -type f ! -perm 644)" ]'
chmod 644 "$D/k6/summary.json"

# ---- verify proves more ----
cp -r "$b" "$T/v1"
printf '' > "$T/v1/MANIFEST.sha256"
"$SLOPROOF" verify "$T/v1" > "$T/vout" 2>&1; rc=$?
check "an empty manifest fails verify with its own message" '[ $rc = 1 ] && grep -q "^empty manifest" "$T/vout"'
cp -r "$b" "$T/v2"
grep -v "  report.md$" "$b/MANIFEST.sha256" > "$T/v2/MANIFEST.sha256"
rm "$T/v2/report.md"
"$SLOPROOF" verify "$T/v2" > "$T/vout" 2>&1; rc=$?
check "a partial manifest without report.md fails: missing report.md" '[ $rc = 1 ] && grep -q "^missing: report.md (every bundle has one)" "$T/vout"'
cp -r "$b" "$T/v3"
grep -v "  summary.json$" "$b/MANIFEST.sha256" > "$T/v3/MANIFEST.sha256"
rm "$T/v3/summary.json"
"$SLOPROOF" verify "$T/v3" > "$T/vout" 2>&1; rc=$?
check "a bundle without summary.json fails verify" '[ $rc = 1 ] && grep -q "^missing: summary.json" "$T/vout"'
cp -r "$b" "$T/v4"
rm "$T/v4/evidence/summary.json"
grep -v "  evidence/summary.json$" "$b/MANIFEST.sha256" > "$T/v4/MANIFEST.sha256"
"$SLOPROOF" verify "$T/v4" > "$T/vout" 2>&1; rc=$?
check "evidence summary.json names but the bundle lacks fails verify" \
	'[ $rc = 1 ] && grep -q "^missing evidence: evidence/summary.json (summary.json inputs\[0\] names it)" "$T/vout"'
cp -r "$b" "$T/v5"
printf '\n' >> "$T/v5/evidence/summary.json"
(cd "$T/v5" && grep -v "  evidence/summary.json$" MANIFEST.sha256 > ../m5 && sha256sum evidence/summary.json >> ../m5 && sort -k2 ../m5 > MANIFEST.sha256)
"$SLOPROOF" verify "$T/v5" > "$T/vout" 2>&1; rc=$?
check "evidence edited together with the manifest: its hash differs from summary.json's" \
	'[ $rc = 1 ] && grep -q "^evidence differs from summary.json: evidence/summary.json" "$T/vout" && ! grep -q "^changed" "$T/vout"'

# ---- signatures ----
if command -v ssh-keygen > /dev/null 2>&1; then
	ssh-keygen -q -t ed25519 -N '' -C test -f "$T/key" > /dev/null 2>&1
	printf 'sre@example.com namespaces="sloproof" %s\n' "$(cat "$T/key.pub")" > "$T/allowed"
	"$SLOPROOF" bundle --sign "$T/key" --out "$T/sig" "$D/drill.yaml" > /dev/null 2> "$T/err"
	s=$T/sig/2026-11-28/hard
	"$SLOPROOF" verify --allowed-signers "$T/allowed" "$s" > "$T/vout" 2>&1; rc=$?
	check "bundle --sign, verify --allowed-signers: OK, signed by the principal" \
		'[ $rc = 0 ] && grep -q ": OK, signed by sre@example.com$" "$T/vout"'
	printf '\n' >> "$s/summary.json"
	(cd "$s" && grep -v "  summary.json$" MANIFEST.sha256 > ../m && sha256sum summary.json >> ../m && sort -k2 ../m > MANIFEST.sha256)
	"$SLOPROOF" verify "$s" > /dev/null 2>&1; rc0=$?
	"$SLOPROOF" verify --allowed-signers "$T/allowed" "$s" > "$T/vout" 2>&1; rc=$?
	check "a consistent edit of a file and the manifest passes the checksums but not the signature" \
		'[ $rc0 = 0 ] && [ $rc = 1 ] && grep -q "^bad signature: MANIFEST.sha256.sig" "$T/vout"'
	"$SLOPROOF" verify --allowed-signers "$T/allowed" "$b" > "$T/vout" 2>&1; rc=$?
	check "an unsigned bundle fails when a signature is required" '[ $rc = 1 ] && grep -q "^not signed" "$T/vout"'
	ssh-keygen -q -t ed25519 -N '' -C other -f "$T/other" > /dev/null 2>&1
	"$SLOPROOF" bundle --sign "$T/other" --out "$T/sig2" "$D/drill.yaml" > /dev/null 2>&1
	"$SLOPROOF" verify --allowed-signers "$T/allowed" "$T/sig2/2026-11-28/hard" > "$T/vout" 2>&1; rc=$?
	check "a signature by a key nobody allowed fails" '[ $rc = 1 ] && grep -q "^bad signature" "$T/vout"'
else
	echo "# skip: no ssh-keygen (apt-get install openssh-client); signature tests not run"
fi

# ---- concurrency ----
i=0
while [ $i -lt 8 ]; do
	( "$SLOPROOF" bundle --out "$T/c" "$D/drill.yaml" > /dev/null 2>&1; echo $? > "$T/c.rc.$i" ) &
	i=$((i + 1))
done
wait
check "8 concurrent bundles of one drill all succeed" '[ "$(cat "$T"/c.rc.* | grep -c "^[01]$")" = 8 ]'
check "... with 8 distinct folders" '[ "$(ls "$T/c/2026-11-28" | grep -c "^hard")" = 8 ]'
check "... and index.md lists all 8" '[ "$(grep -c "(hard[-0-9]*/report.md)" "$T/c/2026-11-28/index.md")" = 8 ]'
check "... and leaves no temporary file or folder" '[ -z "$(ls -A "$T/c/2026-11-28" | grep "tmp")" ]'
# A killed run's leftovers: an index temporary and a folder whose owner is gone.
mkdir "$T/c/2026-11-28/.sloproof-tmp-999999-dead"
echo x > "$T/c/2026-11-28/index.md.tmp-999999"
# A live run's folder: its owner holds the lock (flock(1), where there is one).
if command -v flock > /dev/null 2>&1; then
	mkdir "$T/c/2026-11-28/.sloproof-tmp-1-live"
	flock "$T/c/2026-11-28/.sloproof-tmp-1-live" sleep 30 &
	lockpid=$!
	sleep 1
fi
"$SLOPROOF" bundle --out "$T/c" "$D/drill.yaml" > /dev/null 2>&1
check "the next run removes a dead run's folder and index temporary" \
	'[ ! -e "$T/c/2026-11-28/.sloproof-tmp-999999-dead" ] && [ ! -e "$T/c/2026-11-28/index.md.tmp-999999" ]'
if [ -n "${lockpid:-}" ]; then
	check "... but never a folder whose owner still holds its lock" '[ -d "$T/c/2026-11-28/.sloproof-tmp-1-live" ]'
	kill "$lockpid" 2> /dev/null
fi
rm "$T/c/2026-11-28/index.md"
"$SLOPROOF" bundle --out "$T/c" "$D/drill.yaml" > /dev/null 2>&1
check "a lost index.md is rebuilt whole by the next run" '[ "$(grep -c "(hard[-0-9]*/report.md)" "$T/c/2026-11-28/index.md")" = 10 ]'

# ---- honest exit codes ----
mkdir -p "$T/real" && ln -s "$T/real" "$T/link"
"$SLOPROOF" bundle --out "$T/link" "$D/drill.yaml" > /dev/null 2>&1; rc=$?
check "--out may be a symlink to a folder" '[ $rc -le 1 ] && [ -d "$T/real/2026-11-28/hard" ]'
: > "$T/afile"
"$SLOPROOF" bundle --out "$T/afile" "$D/drill.yaml" > /dev/null 2>&1; rc=$?
check "--out that is a file is a usage error (exit 2)" '[ $rc = 2 ]'
cp samples/slo.yaml "$D/report.md"
cp samples/k6/handle-summary.json "$D/k6/perf..summary.json"
printf 'drill: Names\ndate: 2026-11-28\nslo: report.md\nevidence:\n  - k6/perf..summary.json\n' > "$D/names.yaml"
"$SLOPROOF" bundle --out "$T/names" "$D/names.yaml" > /dev/null 2> "$T/err"; rc=$?
check "an SLO file named report.md and evidence named perf..summary.json make a bundle verify accepts" \
	'[ $rc -le 1 ] && [ -f "$T/names/2026-11-28/names/report-2.md" ] && "$SLOPROOF" verify "$T/names/2026-11-28/names" > /dev/null'

# ---- escaping ----
cat > "$D/evil.yaml" << 'EOF'
drill: Evil
date: 2026-11-28
slo: slo.yaml
faults:
  - name: "x'; touch pwned; echo '$(touch pwned2)`touch pwned3`"
    start: 2026-11-28T10:00:00Z
    end: 2026-11-28T10:05:00Z
evidence:
  - k6/summary.json
EOF
"$SLOPROOF" bundle --out "$T/e" "$D/evil.yaml" > /dev/null 2>&1
e=$T/e/2026-11-28/evil
sed -n '/^```sh$/,/^```$/p' "$e/report.md" | sed '1d;$d' > "$T/recheck.sh"
(cd "$e" && PATH="$(dirname "$SLOPROOF"):$PATH" sh "$T/recheck.sh" > /dev/null 2>&1; echo $? > "$T/recheck.rc")
check "the re-check command of a hostile fault name runs nothing when pasted, and works" \
	'[ ! -e "$e/pwned" ] && [ ! -e "$e/pwned2" ] && [ ! -e "$e/pwned3" ] && [ "$(cat "$T/recheck.rc")" -le 1 ]'
printf 'slos:\n  - name: "a\\e]0;owned\\a\\e[31mred \\u202eevil"\n    metric: http_req_failed\n    stat: rate\n    below: 1%%\n' > "$D/esc.yaml"
"$SLOPROOF" check --slo "$D/esc.yaml" "k6:$D/k6/summary.json" > "$T/tout" 2>&1
check "control characters, escape sequences and bidi overrides never reach the terminal raw" \
	'! grep -q "$(printf "\033")" "$T/tout" && ! grep -q "$(printf "\342\200\256")" "$T/tout" && grep -qF "\\e]0;owned\\x07\\e[31mred <U+202E>evil" "$T/tout"'
"$SLOPROOF" check --slo "$D/esc.yaml" "k6:$D/k6/$(printf 'no\033[31mfile')" > "$T/tout" 2>&1
check "... nor in diagnostics" '! grep -q "$(printf "\033")" "$T/tout"'

# ---- bounded resources ----
if command -v python3 > /dev/null 2>&1; then
	python3 -c "
import gzip
open('$T/bomb.json.gz', 'wb').write(gzip.compress(b'[' + b'0,' * 5000000 + b'0]', 6))
open('$T/many.json', 'w').write('[' + '0,' * 300000 + '0]')
with open('$T/keys.yaml', 'w') as f:
    f.write('slos:\n  - name: a\n    metric: m\n    stat: avg\n    below: 1\n')
    for i in range(60000):
        f.write('    k%d: %d\n' % (i, i))
with open('$T/wide.csv', 'w') as f:
    f.write('\"Time\",' + ','.join('\"s%d\"' % i for i in range(6000)) + '\n')
    for r in range(10):
        f.write('%d,' % (1700000000000 + r * 15000) + ','.join('1' for i in range(6000)) + '\n')
"
	"$SLOPROOF" inspect "k6:$T/bomb.json.gz" > /dev/null 2> "$T/err"; rc=$?
	check "a gzip bomb is refused (exit 3) naming the limit and how to raise it" \
		'[ $rc = 3 ] && grep -q "SLOPROOF_MAX_INFLATE_RATIO" "$T/err"'
	SLOPROOF_MAX_JSON_VALUES=1000 "$SLOPROOF" inspect "prometheus:$T/many.json" > /dev/null 2> "$T/err"; rc=$?
	check "a JSON document with more values than the limit is refused before parsing (exit 3)" \
		'[ $rc = 3 ] && grep -q "SLOPROOF_MAX_JSON_VALUES" "$T/err"'
	SLOPROOF_MAX_JSON_VALUES=1000 "$SLOPROOF" inspect "k6:$T/many.json" > /dev/null 2> "$T/err"; rc=$?
	check "... through the position scanner too" '[ $rc = 3 ] && grep -q "SLOPROOF_MAX_JSON_VALUES" "$T/err"'
	# Not timed: a quadratic pass over 60000 keys or 6000 columns would take minutes; timeout says so.
	timeout 60 "$SLOPROOF" check --slo "$T/keys.yaml" "k6:$D/k6/summary.json" > /dev/null 2> "$T/err"; rc=$?
	check "an SLO file with 60000 keys in one mapping is answered, not ground through (exit 3)" '[ $rc = 3 ]'
	timeout 60 "$SLOPROOF" inspect "grafana:$T/wide.csv" > /dev/null 2> "$T/err"; rc=$?
	check "a 6000-column Grafana CSV is read" '[ $rc = 0 ]'
else
	echo "# skip: no python3; resource-bound tests not run"
fi

# ---- capture: a Prometheus answer with trailing garbage is not saved ----
if command -v python3 > /dev/null 2>&1; then
	mkdir -p "$T/prom/api/v1" "$T/cap"
	printf '{"status":"success","data":{"resultType":"matrix","result":[]}}GARBAGE' > "$T/prom/api/v1/query_range"
	(cd "$T/prom" && exec python3 -m http.server 0 --bind 127.0.0.1 > "$T/http.log" 2>&1) &
	httppid=$!
	i=0
	while [ $i -lt 50 ] && ! grep -q "port" "$T/http.log" 2> /dev/null; do sleep 0.1; i=$((i + 1)); done
	port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$T/http.log" | head -1)
	cat > "$T/cap/drill.yaml" << EOF
drill: Cap
date: 2026-11-28
slo: slo.yaml
capture:
  prometheus:
    url: http://127.0.0.1:$port
    queries:
      rate: up
EOF
	"$SLOPROOF" capture --duration 1s "$T/cap/drill.yaml" > /dev/null 2> "$T/err"
	kill "$httppid" 2> /dev/null
	check "capture refuses a Prometheus answer with trailing garbage and saves nothing" \
		'grep -q "query rate: the answer is not one JSON document" "$T/err" && [ ! -e "$T/cap/capture/prometheus/rate.json" ]'
fi

echo "1..$n"
