#!/bin/sh
# The HTML report as its readers see it. Without a browser: one file, no
# script, nothing fetched. With headless chromium (tests/deps.sh --test
# installs it, best effort): at 390 px (a phone) and 1280 px the page never
# scrolls sideways (wide tables scroll in their own box), no timestamp is
# broken across lines, and "print to PDF" gives a PDF. HTML_SHOTS=DIR also
# keeps the screenshots and PDFs there, to look at by eye (docs/pictures.md).
# Prints TAP-style "ok N - ..." lines for tests/run.sh.
SLOPROOF=${SLOPROOF:-./sloproof}
case $SLOPROOF in /*) ;; *) SLOPROOF=$(pwd)/$SLOPROOF ;; esac
export NO_COLOR=1 SOURCE_DATE_EPOCH=1795860000 TZ=UTC LC_ALL=C
T=$(mktemp -d "${TMPDIR:-/tmp}/sloproof-html.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else nok "$1" "${3:-}"; fi; }

for d in redis-outage upstream-latency channel-spike; do
	"$SLOPROOF" bundle --out "$T/b" "samples/drills/$d/drill.yaml" > /dev/null 2>&1
done
set -- "$T"/b/*/*/report.html
[ -f "$1" ] || { nok "the sample bundles were written"; exit 0; }
for h in "$@"; do
	name=$(basename "$(dirname "$h")")
	check "$name: report.html has no script" '! grep -qi "<script" "$h"'
	check "$name: report.html fetches nothing (no link, img, frame, @import or url() off the page)" \
	    '! grep -Eqi "<(link|img|script|iframe|object|embed|source|video|audio)[^>]*(src|href)=|@import|url\\([\"'"'"']?(https?:)?//" "$h"'
	check "$name: report.html has a print style sheet" 'grep -q "@media print" "$h"'
done

CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
	echo "# skip: chromium is not installed, so the report was not checked in a browser (apt-get install chromium)"
	exit 0
fi
chrome() {
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --no-first-run --disable-extensions --user-data-dir="$T/profile" "$@" 2> "$T/chrome.err"
}

# The probe: a page that holds the report in a frame as wide as the screen
# (headless chromium's own window is never narrower than 500 px) and a
# script that measures it. Only this test's page has a script; the report
# has none.
probe() { # WIDTH
	cat <<PROBE
<!DOCTYPE html><html><head><title>probe</title></head><body style="margin:0">
<iframe id="f" src="report.html" style="width:$1px;height:900px;border:0"></iframe>
<script>
document.getElementById("f").addEventListener("load", function () {
	var doc = this.contentDocument, d = doc.documentElement, broken = [], els = doc.querySelectorAll(".time");
	for (var i = 0; i < els.length; i++) {
		var r = doc.createRange(), tops = {}, k = 0, rs;
		r.selectNodeContents(els[i]);
		rs = r.getClientRects();
		for (var j = 0; j < rs.length; j++)
			if (rs[j].width > 0 && !tops[Math.round(rs[j].top)]) { tops[Math.round(rs[j].top)] = 1; k++; }
		if (k > 1) broken.push(els[i].textContent);
	}
	document.title = "PROBE sw=" + d.scrollWidth + " cw=" + d.clientWidth + " times=" + els.length +
	    " broken=" + broken.length + " first=" + (broken[0] || "");
});
</script></body></html>
PROBE
}
for h in "$@"; do
	name=$(basename "$(dirname "$h")")
	dir=$(dirname "$h")
	for w in 390 1280; do
		probe "$w" > "$dir/probe.html"
		chrome --allow-file-access-from-files --window-size=1400,1000 --virtual-time-budget=5000 \
		    --dump-dom "file://$dir/probe.html" > "$T/dom"
		res=$(sed -n 's/.*<title>\(PROBE[^<]*\)<\/title>.*/\1/p' "$T/dom" | head -1)
		if [ -z "$res" ]; then
			nok "$name at $w px: chromium measured the page" "$(tail -5 "$T/chrome.err")"
			continue
		fi
		sw=$(printf '%s' "$res" | sed 's/.* sw=\([0-9]*\).*/\1/')
		cw=$(printf '%s' "$res" | sed 's/.* cw=\([0-9]*\).*/\1/')
		br=$(printf '%s' "$res" | sed 's/.* broken=\([0-9]*\).*/\1/')
		check "$name at $w px: the page does not scroll sideways (scrollWidth $sw, viewport $cw)" \
		    '[ "$cw" -le "$w" ] && [ "$sw" -le "$cw" ]' "$res"
		check "$name at $w px: no timestamp is broken across lines" '[ "$br" -eq 0 ]' "$res"
		if [ -n "${HTML_SHOTS:-}" ]; then
			mkdir -p "$HTML_SHOTS"
			printf '<!DOCTYPE html><body style="margin:0"><iframe src="report.html" style="width:%spx;height:6000px;border:0"></iframe>' \
			    "$w" > "$dir/shot.html"
			chrome --window-size="$w,6000" --screenshot="$HTML_SHOTS/$name-$w.png" "file://$dir/shot.html" > /dev/null
			rm -f "$dir/shot.html"
		fi
	done
	rm -f "$dir/probe.html"
	chrome --print-to-pdf="$T/$name.pdf" --no-pdf-header-footer "file://$h" > /dev/null
	check "$name: print to PDF gives a PDF" '[ -s "$T/$name.pdf" ] && head -c 5 "$T/$name.pdf" | grep -q "%PDF-"'
	if [ -n "${HTML_SHOTS:-}" ] && [ -s "$T/$name.pdf" ]; then
		cp "$T/$name.pdf" "$HTML_SHOTS/$name.pdf"
	fi
done
