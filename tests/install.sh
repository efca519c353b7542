#!/bin/sh
# make install / make uninstall as Debian packaging runs them (PREFIX=/usr,
# DESTDIR=a staging folder): the binary, the man page, the documents and the
# examples land under DESTDIR/PREFIX; the installed binary runs a drill from
# the installed examples, away from the source tree; uninstall leaves no file.
BUILD=${BUILD:-build}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && sed 's/^/#   /' "$2" | tail -n 15; }
tmp=$(mktemp -d) || exit 4
trap 'rm -rf "$tmp"' EXIT INT TERM
d=$tmp/stage
unset MAKEFLAGS MFLAGS MAKELEVEL SLOPROOF_STAGE2
make -s --no-print-directory install BUILD="$BUILD" DESTDIR="$d" PREFIX=/usr > "$tmp/log" 2>&1 &&
    ok "make install DESTDIR=... PREFIX=/usr" || nok "make install DESTDIR=... PREFIX=/usr" "$tmp/log"
for f in bin/sloproof share/man/man1/sloproof.1 share/doc/sloproof/slo.md \
    share/doc/sloproof/drill.md share/doc/sloproof/templates/report.md \
    share/doc/sloproof/examples/slo.yaml share/doc/sloproof/examples/drills/redis-outage/drill.yaml; do
	[ -f "$d/usr/$f" ] && ok "installs /usr/$f" || nok "installs /usr/$f"
done
[ -x "$d/usr/bin/sloproof" ] && ok "the binary is executable" || nok "the binary is executable"
ex=$d/usr/share/doc/sloproof/examples
(cd "$tmp" && SOURCE_DATE_EPOCH=1795860000 "$d/usr/bin/sloproof" bundle --out "$tmp/perf" \
    "$ex/drills/baseline-load/drill.yaml") > "$tmp/run" 2>&1
rc=$?
[ $rc -le 1 ] && [ -d "$tmp/perf" ] && ok "the installed binary bundles an installed example elsewhere (exit $rc)" ||
    nok "the installed binary bundles an installed example elsewhere (exit $rc)" "$tmp/run"
make -s --no-print-directory uninstall DESTDIR="$d" PREFIX=/usr > "$tmp/log" 2>&1 &&
    ok "make uninstall" || nok "make uninstall" "$tmp/log"
left=$(find "$d" -type f | head -5)
[ -z "$left" ] && ok "uninstall leaves no file behind" ||
    { nok "uninstall leaves no file behind"; printf '#   %s\n' $left; }
