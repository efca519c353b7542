#!/bin/sh
# Our files against the schemas their formats publish, with Debian's
# python3-jsonschema (tests/schemacheck.py). The schemas are not shipped
# here (grafana/k6-summary carries no licence that allows a copy; CTRF's is
# fetched the same way for symmetry): point SLOPROOF_SCHEMAS at a folder with
#   k6-summary/   a checkout of https://github.com/grafana/k6-summary
#   ctrf/ctrf.schema.json   from https://github.com/ctrf-io/ctrf (schema/)
# and each check runs; without them it prints a skip notice.
# Each check also feeds the schema a file that must NOT validate, so a
# validator that accepts everything fails the test. Prints TAP lines.
# Env: SLOPROOF (the binary), SLOPROOF_SCHEMAS.
SLOPROOF=${SLOPROOF:-./sloproof}
S=${SLOPROOF_SCHEMAS:-}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'; }
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import jsonschema, referencing' 2>/dev/null; then
	echo "# skip: schema checks need python3-jsonschema (apt-get install python3-jsonschema)"
	exit 0
fi
# valid NAME SCHEMA FILE...: every FILE validates.
valid() {
	name=$1 schema=$2; shift 2
	out=$(python3 tests/schemacheck.py "$schema" "$@" 2>&1) && ok "$name" || notok "$name" "$out"
}
# invalid NAME SCHEMA FILE: FILE must not validate (the check can fail).
invalid() {
	out=$(python3 tests/schemacheck.py "$2" "$3" 2>&1)
	[ $? -eq 1 ] && ok "$1" || notok "$1" "$out"
}

K6=$S/k6-summary/schemas/summary/1.0.0/schema.json
if [ -n "$S" ] && [ -f "$K6" ]; then
	valid "k6 summary 1.0.0: samples/k6/summary-v1.json validates" "$K6" samples/k6/summary-v1.json
	valid "k6 summary 1.0.0: the schema-shaped test sample validates" "$K6" tests/data/k6v1/schema.json
	invalid "k6 summary 1.0.0: k6's writer shape (matches/total) does not" "$K6" tests/data/k6v1/writer.json
else
	echo "# skip: k6 summary schema absent (set SLOPROOF_SCHEMAS to a folder with k6-summary/, a checkout of grafana/k6-summary)"
fi
CTRF=$S/ctrf/ctrf.schema.json
if [ -n "$S" ] && [ -f "$CTRF" ]; then
	T=$(mktemp -d /tmp/sloproof-schemas.XXXXXX)
	trap 'rm -rf "$T"' EXIT
	"$SLOPROOF" check --slo samples/slo.yaml --ctrf "$T/pass.json" samples/k6/summary-v1.json >/dev/null
	"$SLOPROOF" check --slo samples/slo.yaml --slo samples/drills/redis-outage/slo-chaos.yaml \
	    --fault redis-outage=2026-11-28T10:12:00Z..2026-11-28T10:14:00Z --ctrf "$T/fail.json" \
	    samples/drills/redis-outage/k6/perf-summary.json >/dev/null
	valid "CTRF: check --ctrf (all met, and with failures and no data) validates" "$CTRF" "$T/pass.json" "$T/fail.json"
	valid "CTRF: every golden bundle's ctrf.json validates" "$CTRF" tests/golden/bundle-*/files/*/*/ctrf.json
	sed 's/"status":[[:space:]]*"passed"/"status": "pass"/' "$T/pass.json" > "$T/bad.json"
	invalid "CTRF: a status outside the schema's enum does not" "$CTRF" "$T/bad.json"
else
	echo "# skip: CTRF schema absent (set SLOPROOF_SCHEMAS to a folder with ctrf/ctrf.schema.json from ctrf-io/ctrf)"
fi
[ "$n" -gt 0 ] || exit 0
