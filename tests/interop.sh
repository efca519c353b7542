#!/bin/sh
# What other systems make of a bundle, with the real tools: promtool
# checks results.prom and backfills results.om.txt into a TSDB block; a
# real prometheus-pushgateway on a free loopback port takes `bundle --push`
# and `publish --push`; a stand-in Grafana (tests/fake_grafana.py) checks
# every POST /api/annotations of `publish --grafana`. Each part skips with
# a notice when its tool is missing. Every process started here is stopped
# by PID. Prints TAP lines. Env: SLOPROOF (the binary).
SLOPROOF=${SLOPROOF:-./sloproof}
case $SLOPROOF in /*) ;; *) SLOPROOF=$(pwd)/$SLOPROOF ;; esac
PROMTOOL=$(command -v promtool 2>/dev/null)
PGW=/usr/bin/prometheus-pushgateway
T=$(mktemp -d /tmp/sloproof-interop.XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else notok "$1" "${3:-}"; fi; }
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
get() { python3 -c 'import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$1"; }
waitfor() { # URL: up to 10 s
	i=0
	while [ $i -lt 100 ]; do get "$1" >/dev/null 2>&1 && return 0; sleep 0.1; i=$((i + 1)); done
	return 1
}

SOURCE_DATE_EPOCH=1764324000 "$SLOPROOF" bundle --no-color -o "$T/b" samples/drills/redis-outage/drill.yaml >"$T/out" 2>&1
B=$T/b/2026-11-28/redis-outage
check "bundle writes results.prom, results.om.txt and annotations.json" \
    "[ -s '$B/results.prom' ] && [ -s '$B/results.om.txt' ] && [ -s '$B/annotations.json' ]" "$(cat "$T/out")"
check "the manifest lists them" \
    "grep -q ' results.prom\$' '$B/MANIFEST.sha256' && grep -q ' results.om.txt\$' '$B/MANIFEST.sha256' && grep -q ' annotations.json\$' '$B/MANIFEST.sha256'"

# ---- promtool ----
if [ -n "$PROMTOOL" ]; then
	out=$("$PROMTOOL" check metrics < "$B/results.prom" 2>&1)
	check "promtool check metrics: results.prom is clean" "[ \$? -eq 0 ] && [ -z \"\$out\" ]" "$out"
	out=$("$PROMTOOL" tsdb create-blocks-from openmetrics "$B/results.om.txt" "$T/tsdb" 2>&1)
	rc=$?
	samples=$(grep -c '^sloproof_' "$B/results.om.txt")
	check "promtool tsdb create-blocks-from openmetrics imports results.om.txt" "[ $rc -eq 0 ]" "$out"
	got=$(printf '%s\n' "$out" | awk 'length($1) == 26 {print $5}')
	check "the block holds every sample ($samples)" "[ '$got' = '$samples' ]" "$out"
	mkdir -p "$T/tsdb/wal"
	out=$("$PROMTOOL" tsdb dump --match='sloproof_slo_time_to_fire_seconds' "$T/tsdb" 2>&1)
	check "backfilled: time to fire 20 s at the fault's end (2026-11-28T10:14:00Z)" \
	    "printf '%s\n' \"\$out\" | grep -q 'slo=\"Redis down alert\".* 20 1795860840000'" "$out"
	bad=""
	for f in tests/golden/bundle-*/files/*/*/results.prom; do
		"$PROMTOOL" check metrics < "$f" >/dev/null 2>&1 || bad="$bad $f"
		rm -rf "$T/t2"
		"$PROMTOOL" tsdb create-blocks-from openmetrics "${f%.prom}.om.txt" "$T/t2" >/dev/null 2>&1 || bad="$bad ${f%.prom}.om.txt"
	done
	check "every golden bundle's metrics pass promtool (hostile names escaped)" "[ -z '$bad' ]" "$bad"
else
	echo "# skip: promtool absent (apt-get install prometheus)"
fi

# ---- Pushgateway ----
if [ -x "$PGW" ] && command -v python3 >/dev/null 2>&1; then
	P=$(freeport)
	"$PGW" --web.listen-address="127.0.0.1:$P" --persistence.file="" >"$T/pgw.log" 2>&1 &
	pids="$pids $!"
	if waitfor "http://127.0.0.1:$P/-/ready"; then
		SOURCE_DATE_EPOCH=1764324000 "$SLOPROOF" bundle --no-color -o "$T/p" --push "http://127.0.0.1:$P/" \
		    samples/drills/redis-outage/drill.yaml >"$T/push.out" 2>&1
		rc=$?
		check "bundle --push: exit 1 (an SLO failed), the push itself went through" \
		    "[ $rc -eq 1 ] && grep -q '^pushed: http://127.0.0.1:$P/metrics/job/sloproof/drill/redis-outage/environment@base64/eGluLXByb2Q=' '$T/push.out'" \
		    "$(cat "$T/push.out")"
		m=$(get "http://127.0.0.1:$P/metrics")
		check "the Pushgateway serves the verdicts under job=sloproof" \
		    "printf '%s\n' \"\$m\" | grep -q 'sloproof_slo_passed{drill=\"redis-outage\",environment=\"xin-prod\",fault=\"\",instance=\"\",job=\"sloproof\",slo=\"Orchestrator P95 latency\"} 0'" \
		    "$(printf '%s\n' "$m" | grep sloproof_slo_passed | head -3)"
		"$SLOPROOF" publish --push "http://127.0.0.1:$P" "$T/p/2026-11-28/redis-outage" >"$T/pub.out" 2>&1
		rc=$?
		groups=$(get "http://127.0.0.1:$P/api/v1/metrics" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]))')
		check "publish --push of the same bundle replaces its group (one group)" \
		    "[ $rc -eq 0 ] && [ '$groups' = 1 ]" "$(cat "$T/pub.out") groups=$groups"
		kill "$(echo $pids | awk '{print $NF}')" 2>/dev/null
		wait "$(echo $pids | awk '{print $NF}')" 2>/dev/null
		"$SLOPROOF" publish --push "http://127.0.0.1:$P" "$T/p/2026-11-28/redis-outage" >"$T/pub.out" 2>"$T/pub.err"
		rc=$?
		check "a Pushgateway that is gone: exit 4 and the URL in the error" \
		    "[ $rc -eq 4 ] && grep -q 'sloproof: error: push to http://127.0.0.1:$P/metrics/job/sloproof/drill/redis-outage' '$T/pub.err'" \
		    "rc=$rc $(cat "$T/pub.err")"
	else
		notok "prometheus-pushgateway did not start" "$(cat "$T/pgw.log")"
	fi
else
	echo "# skip: Pushgateway test needs $PGW and python3 (apt-get install prometheus-pushgateway)"
fi

# ---- Grafana annotations ----
if command -v python3 >/dev/null 2>&1; then
	python3 tests/fake_grafana.py "$T/gport" "$T/glog" "tok-$$-secret" >"$T/g.err" 2>&1 &
	pids="$pids $!"
	i=0; while [ ! -s "$T/gport" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	G=http://127.0.0.1:$(cat "$T/gport")
	want=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$B/annotations.json")
	env -u GRAFANA_TOKEN -u SLOPROOF_GRAFANA_TOKEN "$SLOPROOF" publish --grafana "$G" "$B" >/dev/null 2>"$T/e"
	rc=$?
	check "publish --grafana without a token in the environment: exit 2, nothing sent" \
	    "[ $rc -eq 2 ] && [ ! -s '$T/glog' ] && grep -q 'no Grafana token' '$T/e'" "rc=$rc $(cat "$T/e")"
	GRAFANA_TOKEN="tok-$$-secret" "$SLOPROOF" publish --grafana "$G" "$B" >"$T/o" 2>"$T/e"
	rc=$?
	okn=$(grep -c '"ok": true' "$T/glog" 2>/dev/null)
	check "publish --grafana: all $want annotations accepted by the checking server" \
	    "[ $rc -eq 0 ] && [ '$okn' = '$want' ] && ! grep -q '\"ok\": false' '$T/glog' && grep -q '^grafana: $want annotations posted' '$T/o'" \
	    "rc=$rc $(cat "$T/o" "$T/e"); $(grep '"ok": false' "$T/glog" | head -3)"
	check "the fault went out as a region tagged fault:redis-outage" \
	    "grep -q 'timeEnd.*fault:redis-outage' '$T/glog'"
	: > "$T/glog"
	SLOPROOF_GRAFANA_TOKEN=wrong "$SLOPROOF" publish --grafana "$G" "$B" >"$T/o" 2>"$T/e"
	rc=$?
	check "a refused token: exit 4, Grafana's reason shown, the token not" \
	    "[ $rc -eq 4 ] && grep -q 'HTTP 401' '$T/e' && ! grep -q wrong '$T/e'" "rc=$rc $(cat "$T/e")"
	cp -r "$B" "$T/tampered"
	printf 'x' >> "$T/tampered/annotations.json"
	: > "$T/glog"
	GRAFANA_TOKEN="tok-$$-secret" "$SLOPROOF" publish --grafana "$G" "$T/tampered" >"$T/o" 2>"$T/e"
	rc=$?
	check "a bundle that does not match its manifest is not published (exit 3, no request)" \
	    "[ $rc -eq 3 ] && [ ! -s '$T/glog' ]" "rc=$rc $(cat "$T/e")"
else
	echo "# skip: Grafana annotation test needs python3"
fi
