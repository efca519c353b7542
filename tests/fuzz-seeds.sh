#!/bin/sh
# The seed files of one fuzz target: samples, test data, the real-world
# corpus when present, and every past crash kept in tests/fuzz/crashes/.
corpus=${SLOPROOF_CORPUS:-../shared/corpus}
case $1 in
slo) ls samples/slo.yaml samples/openslo.yaml tests/data/slo-*.yaml tests/data/openslo/*.yaml tests/data/openslo-*.yaml ;;
drill) ls samples/drills/*/drill.yaml tests/data/drill-*.yaml ;;
k6sum) ls samples/k6/*.json samples/drills/*/k6/*.json tests/data/*.json tests/data/k6v1/*.json
	ls "$corpus"/k6-summary-export/* "$corpus"/k6-handle-summary/* 2>/dev/null ;;
alerts) ls tests/data/alerts/* 2>/dev/null
	ls "$corpus"/alertmanager/* 2>/dev/null ;;
hpa) ls tests/data/hpa/*
	ls "$corpus"/kubectl-hpa/* 2>/dev/null ;;
k6raw) ls tests/fuzz/seeds/k6raw/* 2>/dev/null
	ls "$corpus"/k6-ndjson/* 2>/dev/null ;;
tmpl) ls templates/* ;;
grafana) ls tests/data/grafana/*.csv
	ls "$corpus"/grafana-csv/* 2>/dev/null ;;
units) ls tests/fuzz/seeds/units/* 2>/dev/null ;;
prom) ls tests/data/prometheus/*.json ;;
webhook) ls tests/fuzz/seeds/webhook/* tests/data/alerts/* 2>/dev/null ;;
sinks) ls tests/fuzz/seeds/sinks/* tests/data/drill-hostile.yaml ;;
pods) ls tests/fuzz/seeds/pods/* samples/drills/*/kubectl/pods-*.txt samples/drills/*/kubectl/events*.txt 2>/dev/null ;;
esac
ls tests/fuzz/crashes/"$1"/* 2>/dev/null
exit 0
