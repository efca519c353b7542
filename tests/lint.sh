#!/bin/sh
# make lint: the layering of docs/ARCHITECTURE.md, checked on every #include.
#   util < model < in < norm < eval < out, chart < jobs < cmd
# A file may include headers of its own layer or a lower one, never a higher
# one; out/ and chart/ share a rank, and in/ never includes out/ or chart/
# (implied by the ranks). Each third-party header is included only by the
# modules that wrap it. Prints every violation; exit 1 when there is one.
cd "$(dirname "$0")/.." || exit 4
rank() {
	case $1 in
	util) echo 0 ;; model) echo 1 ;; in) echo 2 ;; norm) echo 3 ;; eval) echo 4 ;;
	out|chart) echo 5 ;; jobs) echo 6 ;; cmd) echo 7 ;; *) echo 99 ;;
	esac
}
bad=0
for f in src/*/*.c include/*/*.h; do
	layer=${f#*/}; layer=${layer%%/*}
	r=$(rank "$layer")
	[ "$r" = 99 ] && { echo "lint: $f: error: folder '$layer' is no layer"; bad=1; continue; }
	grep -n '^#include "' "$f" | while IFS= read -r line; do
		inc=${line#*\"}; inc=${inc%%\"*}
		case $inc in */*) ;; *) echo "lint: $f:${line%%:*}: error: \"$inc\" names no layer (write \"LAYER/$inc\")"; continue ;; esac
		ir=$(rank "${inc%%/*}")
		if [ "$ir" -gt "$r" ]; then
			echo "lint: $f:${line%%:*}: error: $layer/ includes \"$inc\" from a higher layer"
		fi
	done
done > build-lint.out 2>&1
# Third-party headers stay boxed in the modules that wrap them.
box() { # HEADER-REGEX allowed-files...
	re=$1; shift
	grep -ln -E "^#include <($re)" src/*/*.c include/*/*.h | while read -r f; do
		ok=0; for a in "$@"; do [ "$f" = "$a" ] && ok=1; done
		[ $ok = 1 ] || echo "lint: $f: error: includes <$re> outside its wrapper ($*)"
	done
}
{
	box 'cairo' src/chart/chart_paint.c
	box 'yaml\.h' src/util/yamlr.c
	box 'csv\.h' src/in/in_grafana.c
	box 'libxml/' src/out/out_junit.c src/out/out_html.c
	box 'curl/' src/jobs/capture.c src/jobs/httpc.c
	box 'openssl/' src/util/sha256.c
	box 'zlib\.h' src/util/fsio.c src/in/in_k6raw_read.c
	box 'zstd\.h' src/util/fsio.c src/in/in_k6raw_read.c
	box 'dlfcn\.h' src/util/dynlib.c
	box 'cjson/' src/util/jsonpos.c src/util/jsonlim.c src/in/in_hpa_tree.c src/in/in_hpa_text.c src/in/in_alerts.c src/in/in_alerts_prom.c src/in/in_bundle.c src/in/in_k6raw.c \
	    src/in/in_k6sum.c src/in/in_k6sum_metric.c src/in/in_k6sum_v1.c include/in/k6sum_impl.h src/in/in_prom.c src/in/in_hpa.c src/out/out_json.c src/out/out_annot.c src/out/out_ctrf.c src/jobs/capture.c src/jobs/publish.c
} >> build-lint.out
n=$(grep -c . build-lint.out)
cat build-lint.out; rm -f build-lint.out
[ "$n" -eq 0 ] && { echo "lint: layering clean"; exit 0; }
echo "lint: $n problem(s)"
exit 1
