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
#define LIM_YAML_NODES    200000               /* nodes in one YAML document */
#define LIM_JSON_DEPTH    64                   /* nesting of JSON (cJSON's own is 1000) */
#define LIM_RULES         1000                 /* rules in one SLO file */
#define LIM_METRICS       100000               /* metric summaries in one run */
#define LIM_CHECKS        100000               /* checks in one run */
#define LIM_STATS         256                  /* stats (and thresholds) of one metric */
#define LIM_SOURCES       1000                 /* inputs in one run */
#define LIM_NAME          1024                 /* bytes of a metric, rule or check name */
#define LIM_SLUG          64                   /* bytes of a drill's folder name */
#define LIM_SUFFIX        999                  /* <slug>-2 ... <slug>-999 */
#define LIM_SLO_FILES     16                   /* SLO files of one drill */
#define LIM_FAULTS        64                   /* --fault options of one check; faults of a capture */
#define LIM_PROM_SERIES   100000               /* series in one Prometheus answer */
#define LIM_CAPTURE_QUERIES 64                 /* capture.prometheus.queries */
#define LIM_CAPTURE_HPAS  64                   /* capture.kubectl.hpas */
#define LIM_HTTP_BODY     (8u * 1024 * 1024)   /* one HTTP response or webhook body captured */
#define LIM_HTTP_HEADER   (16u * 1024)         /* the request line and headers the receiver reads */
#define LIM_HTTP_CLIENTS  16                   /* webhook connections open at once */
#define LIM_CMD_OUTPUT    (4u * 1024 * 1024)   /* one kubectl run's output */

#endif
