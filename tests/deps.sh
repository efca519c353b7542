#!/bin/sh
# make deps: check the Debian packages sloproof builds with; install the
# missing ones when we can (root + apt-get), else print the exact line.
#
# tests/deps.sh --test (run by `make check`): also the tools that some tests
# drive (real Prometheus and Alertmanager, promtool, xmllint, ...). Those are
# best effort: a test whose tool is missing prints a skip notice.
if [ "${1:-}" = --test ]; then
	TEST_PKGS="prometheus prometheus-alertmanager prometheus-pushgateway libxml2-utils python3 python3-jsonschema mandoc groff-base chromium openssh-client"
	tmissing=""
	for p in $TEST_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || tmissing="$tmissing $p"
	done
	[ -z "$tmissing" ] && exit 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "sloproof: installing test tools:$tmissing" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $tmissing >/dev/null 2>&1 ||
		    { apt-get update -q >/dev/null 2>&1 &&
		      DEBIAN_FRONTEND=noninteractive apt-get install -y -q $tmissing >/dev/null 2>&1; } ||
		    echo "sloproof: warning: could not install test tools:$tmissing (their tests will skip)" >&2
	else
		echo "sloproof: note: tests that need$tmissing will skip; to run them: apt-get install -y$tmissing" >&2
	fi
	exit 0
fi
PKGS="libcjson-dev libcsv-dev libyaml-dev libcairo2-dev libxml2-dev zlib1g-dev libzstd-dev libssl-dev libcurl4-openssl-dev pkg-config fonts-dejavu-core tzdata"
missing=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
for pc in libcjson:libcjson-dev yaml-0.1:libyaml-dev cairo:libcairo2-dev \
    libxml-2.0:libxml2-dev zlib:zlib1g-dev libzstd:libzstd-dev libcrypto:libssl-dev libcurl:libcurl4-openssl-dev; do
	have_pc "${pc%%:*}" || missing="$missing ${pc#*:}"
done
[ -f /usr/include/csv.h ] || missing="$missing libcsv-dev"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
[ -f /usr/share/zoneinfo/Europe/Berlin ] || missing="$missing tzdata"
[ -z "$missing" ] && exit 0
line="apt-get install -y $PKGS"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "sloproof: installing missing packages:$missing" >&2
	if DEBIAN_FRONTEND=noninteractive apt-get install -y -q $PKGS >/dev/null ||
	   { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $PKGS >/dev/null; }; then
		exit 0
	fi
	echo "sloproof: error: could not install packages; run: $line" >&2
	exit 1
fi
echo "sloproof: error: missing Debian packages:$missing" >&2
echo "run as root: $line" >&2
exit 1
