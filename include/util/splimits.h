/*
 * splimits.h — every bound on input in one place. Input past a limit is a
 * clear error naming the limit, never a crash or an out-of-memory.
 */
#ifndef SPLIMITS_H
#define SPLIMITS_H

#define LIM_INPUT_BYTES   (256u * 1024 * 1024) /* one JSON/YAML/CSV/text input */
#define LIM_RULES_BYTES   (4u * 1024 * 1024)   /* slo.yaml, drill.yaml */
#define LIM_TEMPLATE_BYTES (1u * 1024 * 1024)  /* one template */
#define LIM_TEMPLATE_DEPTH 32                  /* nesting of template sections */
#define LIM_TEMPLATE_STEPS 10000000            /* tags and list items visited rendering one template */
#define LIM_YAML_DEPTH    32                   /* nesting of YAML collections */
#define LIM_YAML_DOCS     256                  /* documents in one YAML stream (OpenSLO) */
#define LIM_YAML_NODES    200000               /* nodes in one YAML document */
#define LIM_JSON_DEPTH    64                   /* nesting of JSON (cJSON's own is 1000) */
#define LIM_RULES         1000                 /* rules in one SLO file */
#define LIM_METRICS       100000               /* metric summaries in one run */
#define LIM_CHECKS        100000               /* checks in one run */
#define LIM_STATS         256                  /* stats (and thresholds) of one metric */
#define LIM_SOURCES       1000                 /* inputs in one run */
#define LIM_ALERTS        100000               /* alert intervals in one run (and table rows) */
#define LIM_ALERT_LABELS  256                  /* labels (or annotations) of one alert */
#define LIM_ALERT_DOCS    1000000              /* JSON documents in one alerts input (NDJSON) */
#define LIM_ALERT_SAMPLES 10000000             /* ALERTS samples in one range-query result */
#define LIM_NAME          1024                 /* bytes of a metric, rule or check name */
#define LIM_SLUG          64                   /* bytes of a drill's folder name */
#define LIM_SERIES        10000                /* series in one input */
#define LIM_POINTS        50000000             /* points in one run */
#define LIM_CSV_FIELDS    20000                /* fields in one CSV row */
#define LIM_CSV_CELLS     100000000            /* cells in one CSV input */
#define LIM_SUFFIX        999                  /* <slug>-2 ... <slug>-999 */
#define LIM_SLO_FILES     16                   /* SLO files of one drill */
#define LIM_CHART_PX      8000                 /* width or height of a chart */
#define LIM_CHART_SERIES  16                   /* series in one line chart */
#define LIM_BANDS         64                   /* fault windows shaded in one chart */
#define LIM_HPA_LINE      65536                /* bytes of one line of kubectl output */
#define LIM_HPA_RECORDS   100000               /* HPA states plus scale events from one input */
#define LIM_HPA_OBJECTS   10000                /* distinct HPAs in one input */
#define LIM_HPA_ROWS      256                  /* metrics, conditions of one HPA */
#define LIM_SNIFF_BYTES   (64u * 1024)         /* the head read to tell a streamed input's kind */
#define LIM_K6RAW_LINE    (1u * 1024 * 1024)   /* one k6 raw NDJSON line; longer is a corrupt line */
#define LIM_K6RAW_METRICS 1000                 /* distinct metric names in k6 raw input */
#define LIM_K6RAW_TAGSETS 2000                 /* distinct split-tag value sets (per parsing thread) */
#define LIM_K6RAW_HISTS   400000               /* metric x tag set x window histograms in one run */
#define LIM_K6RAW_SPLIT   16                   /* tags to split k6 raw data by */
#define LIM_BUNDLES       10000                /* bundles one digest or comparison reads */
#define LIM_FOLLOWUPS     1000                 /* follow-ups of one drill */
#define LIM_FAULTS        64                   /* --fault options of one check; faults of a capture */
#define LIM_PROM_SERIES   100000               /* series in one Prometheus answer */
#define LIM_CAPTURE_QUERIES 64                 /* capture.prometheus.queries */
#define LIM_CAPTURE_HPAS  64                   /* capture.kubectl.hpas */
#define LIM_HTTP_BODY     (8u * 1024 * 1024)   /* one HTTP response or webhook body captured */
#define LIM_HTTP_HEADER   (16u * 1024)         /* the request line and headers the receiver reads */
#define LIM_HTTP_CLIENTS  16                   /* webhook connections open at once */
#define LIM_CMD_OUTPUT    (4u * 1024 * 1024)   /* one kubectl run's output */

#define LIM_GRAFANA_LABELS 64                  /* text columns that label a table's series */

/*
 * Limits a user may raise for a genuine input, each with an environment
 * variable of the same name (lim_env): bounds on memory, not on meaning.
 */
#define LIM_JSON_VALUES   8000000              /* values in one JSON document (SLOPROOF_MAX_JSON_VALUES); ~100 bytes each parsed */
#define LIM_INFLATE_RATIO 200                  /* gzip output per input byte (SLOPROOF_MAX_INFLATE_RATIO) */
#define LIM_INFLATE_FREE  (1u * 1024 * 1024)   /* output inflated before the ratio is enforced */

#include <stddef.h>
/*
 * The value of a raisable limit: the environment variable env when it is
 * a positive integer, else dflt. Read each time (it is cheap), so tests
 * may set it.
 */
size_t	lim_env(const char *env, size_t dflt);

#endif
