#!/bin/sh
# Corpus tests: every real file of every kind sloproof imports must import.
# (Specific values are asserted by the unit tests, e.g. test_k6sum.)
# Skips with a notice when ../shared/corpus is absent (users' clones).
SLOPROOF=${SLOPROOF:-./sloproof}
corpus=${SLOPROOF_CORPUS:-../shared/corpus}
if [ ! -f "$corpus/FORMATS.md" ]; then
	echo "# skip: no corpus at $corpus (set SLOPROOF_CORPUS); corpus tests not run"
	exit 0
fi
n=0
# Two Alertmanager files in the corpus are broken on purpose (a payload
# quoted twice, a truncated one): they must fail, with a position.
broken="alertmanager/webhook-v4-INVALID-JSON-wrapped-in-quotes-pythonwebhook.txt
alertmanager/webhook-v3-numeric-groupkey-alerta-pr151-TRUNCATED.txt"
for spec in "k6:k6-summary-export" "k6:k6-handle-summary" "k6:k6-ndjson" \
    "grafana:grafana-csv" "alerts:alertmanager" "hpa:kubectl-hpa"; do
	kind=${spec%%:*}
	dir=$corpus/${spec#*:}
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		case $broken in *"${f#$corpus/}"*)
			if err=$("$SLOPROOF" inspect "$kind:$f" 2>&1 >/dev/null); then
				echo "not ok $n - ${f#$corpus/} is broken but imported"
			elif printf '%s\n' "$err" | grep -qE "^sloproof: [^ ]+:[0-9]+:[0-9]+: error: "; then
				echo "ok $n - $kind refuses the broken ${f#$corpus/} with a position"
			else
				echo "not ok $n - ${f#$corpus/}: error without a position: $err"
			fi
			continue ;;
		esac
		if err=$("$SLOPROOF" inspect "$kind:$f" 2>&1 >/dev/null); then
			# Sniffing must recognise it too, without the kind.
			if "$SLOPROOF" inspect "$f" >/dev/null 2>&1; then
				echo "ok $n - $kind imports ${f#$corpus/}"
			else
				echo "not ok $n - ${f#$corpus/} is not recognised without KIND:"
			fi
		else
			echo "not ok $n - $kind import of ${f#$corpus/}"
			printf '%s\n' "$err" | sed 's/^/# /'
		fi
	done
done
