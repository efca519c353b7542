/*
 * baseline.h — like with like: whether two bundles may be compared, and
 * which earlier bundles make a fair baseline for a new one. Two bundles
 * are alike when they are the same drill (the slug of the title), in the
 * same environment, judged by the same SLO rules (the bytes of the rule
 * files copied into each bundle, hashed), with the same faults, and with
 * the same load shape where the evidence records it: the test's duration,
 * the peak VUs (vus_max) and the k6 scenario names. A baseline run and a
 * chaos drill are not alike, and comparing them flags the chaos, not a
 * regression. See docs/digest.md, "compare".
 */
#ifndef EVAL_BASELINE_H
#define EVAL_BASELINE_H

#include <stddef.h>

struct bsum;

/*
 * 1 when a and b are alike, else 0 with the differences, "; "-separated,
 * in why ("environment xin-prod vs xin-staging; SLO rules differ").
 */
int	baseline_alike(const struct bsum *a, const struct bsum *b, char *why, size_t n);

/*
 * The SHA-256 of a bundle's SLO rule files as copied into it (names and
 * bytes, in the summary's order) into hex. 0, or -1 when the bundle names
 * none or one cannot be read (then the rules are not compared).
 */
int	baseline_rules_hash(const struct bsum *, char hex[65]);

#endif
