#!/bin/sh
# A first run on a machine that does not have the -dev packages yet.
#
# The tracked tree is copied to a temporary folder and the README's first
# command runs there with a PATH whose pkg-config knows no package until a
# stand-in apt-get has "installed" them (then it hands over to the real
# pkg-config). `make -j2 demo` must build and write bundles at the first try.
# A second machine without root and apt-get must stop at `make deps` with the
# exact apt-get line, before any compiler runs.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
real_pc=$(command -v pkg-config) || { echo "firstrun: skip: no pkg-config"; exit 0; }
tmp=$(mktemp -d) || exit 4
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
nok() { echo "not ok - $1"; fail=$((fail + 1)); [ -n "${2:-}" ] && sed 's/^/#   /' "$2" | tail -n 20; }

copy() { # copy the tracked tree (as a fresh clone would have it) to $1
	mkdir -p "$1"
	(cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$1") 2>/dev/null ||
	    (cd "$top" && tar cf - --exclude=./build --exclude=./build-asan --exclude=./build-fuzz \
		--exclude=./sloproof --exclude=./.git --exclude=./docs/demos . ) | (cd "$1" && tar xf -)
}

# Machine 1: root with apt-get, packages not installed yet.
bin1=$tmp/bin1; mkdir -p "$bin1"
cat > "$bin1/pkg-config" <<PC
#!/bin/sh
[ -f "$tmp/installed" ] && exec "$real_pc" "\$@"
for a; do case \$a in --*) ;; *) echo "Package \$a was not found in the pkg-config search path." >&2; exit 1 ;; esac; done
exit 1
PC
cat > "$bin1/apt-get" <<AG
#!/bin/sh
echo "apt-get \$*" >> "$tmp/apt.log"
case " \$* " in *" install "*) touch "$tmp/installed" ;; esac
exit 0
AG
printf '#!/bin/sh\n[ "$1" = -u ] && { echo 0; exit 0; }\nexec /usr/bin/id "$@"\n' > "$bin1/id"
chmod +x "$bin1"/*
copy "$tmp/m1"
(cd "$tmp/m1" && PATH="$bin1:$PATH" make -j2 demo) > "$tmp/m1.log" 2>&1
rc=$?
[ $rc = 0 ] && ok "first 'make -j2 demo' on a machine without packages exits 0" ||
    nok "first 'make -j2 demo' on a machine without packages exits 0 (got $rc)" "$tmp/m1.log"
grep -q 'apt-get install -y.*libcairo2-dev' "$tmp/apt.log" 2>/dev/null &&
    ok "make deps installed the packages through apt-get" ||
    nok "make deps installed the packages through apt-get" "$tmp/m1.log"
n=$(ls -d "$tmp"/m1/docs/demos/perf/*/*/ 2>/dev/null | wc -l)
[ "$n" -ge 1 ] && ok "the first run wrote $n bundles" || nok "the first run wrote bundles" "$tmp/m1.log"
grep -q 'No such file' "$tmp/m1.log" && nok "no compiler error about missing headers" "$tmp/m1.log" ||
    ok "no compiler error about missing headers"

# Machine 2: no root, no apt-get: the exact line, and no compiler run.
bin2=$tmp/bin2; mkdir -p "$bin2"
cp "$bin1/pkg-config" "$bin2/pkg-config"
rm -f "$tmp/installed"
printf '#!/bin/sh\n[ "$1" = -u ] && { echo 1000; exit 0; }\nexec /usr/bin/id "$@"\n' > "$bin2/id"
printf '#!/bin/sh\necho "cc must not run before make deps succeeded" >&2\nexit 99\n' > "$bin2/cc"
chmod +x "$bin2"/*
copy "$tmp/m2"
(cd "$tmp/m2" && PATH="$bin2:$PATH" make -j2 check) > "$tmp/m2.log" 2>&1
rc=$?
[ $rc != 0 ] && ok "without root 'make check' stops (exit $rc)" || nok "without root 'make check' stops" "$tmp/m2.log"
grep -q '^run as root: apt-get install -y libcjson-dev' "$tmp/m2.log" &&
    ok "without root it prints the exact apt-get line" || nok "without root it prints the exact apt-get line" "$tmp/m2.log"
grep -q 'cc must not run' "$tmp/m2.log" && nok "no compiler runs before the packages are there" "$tmp/m2.log" ||
    ok "no compiler runs before the packages are there"
echo "firstrun: $pass passed, $fail failed"
[ $fail = 0 ]
