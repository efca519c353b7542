#!/bin/sh
# Help and the man page, as a newcomer meets them:
#  - `sloproof help CMD` prints exactly what `sloproof CMD --help` prints;
#  - each command shows its own exit-status table, and commands that gate on
#    no SLO (verify, inspect, chart, ...) never print check's "an SLO failed";
#  - docs/sloproof.1 is clean under `groff -ww -z -man` and `mandoc -Tlint`
#    (each skipped with a notice when the tool is not installed) and no
#    rendered line passes 80 columns.
SLOPROOF=${SLOPROOF:-./sloproof}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
tmp=$(mktemp -d) || exit 4
trap 'rm -rf "$tmp"' EXIT INT TERM
cmds=$("$SLOPROOF" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
[ -n "$cmds" ] && ok "sloproof --help lists the commands" || nok "sloproof --help lists the commands"
for c in $cmds; do
	"$SLOPROOF" help "$c" > "$tmp/a" 2>&1; ra=$?
	"$SLOPROOF" "$c" --help > "$tmp/b" 2>&1; rb=$?
	if [ $ra = 0 ] && [ $rb = 0 ] && cmp -s "$tmp/a" "$tmp/b"; then
		ok "help $c is $c --help"
	else
		nok "help $c is $c --help (exit $ra/$rb)"
	fi
	grep -q '^exit status:$' "$tmp/a" && ok "$c --help has an exit-status table" ||
	    nok "$c --help has an exit-status table"
	case $c in
	check|bundle) ;;
	*) if grep -q 'an SLO failed' "$tmp/a"; then nok "$c --help does not print check's exit statuses"
	   else ok "$c --help does not print check's exit statuses"; fi ;;
	esac
done
man=docs/sloproof.1
if command -v groff >/dev/null 2>&1; then
	out=$(groff -ww -z -man "$man" 2>&1)
	[ -z "$out" ] && ok "groff -ww -z -man: no warnings" ||
	    { nok "groff -ww -z -man: no warnings"; printf '%s\n' "$out" | head -10 | sed 's/^/# /'; }
	w=$(groff -man -Tascii -rLL=78n "$man" 2>/dev/null | sed "s/.$(printf '\b')//g" | awk 'length > 80' | head -3)
	[ -z "$w" ] && ok "man page lines fit in 80 columns (groff)" ||
	    { nok "man page lines fit in 80 columns (groff)"; printf '%s\n' "$w" | sed 's/^/# /'; }
else
	echo "# skip: groff not installed (apt-get install groff-base)"
fi
if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -Tlint "$man" 2>&1)
	[ -z "$out" ] && ok "mandoc -Tlint: clean" ||
	    { nok "mandoc -Tlint: clean"; printf '%s\n' "$out" | head -10 | sed 's/^/# /'; }
	w=$(mandoc -Tascii -Owidth=80 "$man" 2>/dev/null | sed "s/.$(printf '\b')//g" | awk 'length > 80' | head -3)
	[ -z "$w" ] && ok "man page lines fit in 80 columns (mandoc)" ||
	    { nok "man page lines fit in 80 columns (mandoc)"; printf '%s\n' "$w" | sed 's/^/# /'; }
else
	echo "# skip: mandoc not installed (apt-get install mandoc)"
fi
