#!/bin/sh
# make demo: the main job on samples/. Writes one bundle per sample drill
# under docs/demos/perf/<date>/ (a second run writes <slug>-2, never
# touching the first), verifies each, and says where they are.
# Exit 0 when every bundle was written (an SLO failing inside a drill is
# a result, not an error); non-zero on usage, input or system errors.
SLOPROOF=${1:-./sloproof}
out=${SLOPROOF_DEMO_OUT:-docs/demos/perf}
status=0
written=""
for drill in samples/drills/*/drill.yaml; do
	echo "== $SLOPROOF bundle --out $out $drill"
	"$SLOPROOF" bundle --out "$out" "$drill" > demo.out.$$
	rc=$?
	cat demo.out.$$
	path=$(sed -n 's/^bundle: \([^ ]*\).*/\1/p' demo.out.$$)
	rm -f demo.out.$$
	case $rc in
	0) echo "-> all SLOs met (exit 0)" ;;
	1) echo "-> an SLO failed or had no data (exit 1); the bundle records it" ;;
	*) echo "-> error (exit $rc)"; status=$rc ;;
	esac
	[ -n "$path" ] && written="$written $path"
	echo
done
for b in $written; do
	"$SLOPROOF" verify "$b" || status=1
done
echo
echo "Bundles written under $out/:"
for b in $written; do echo "  $b/report.md"; done
exit $status
