/*
 * publish.h — handing a written bundle's results to the systems people
 * watch: its results.prom to a Prometheus Pushgateway, its
 * annotations.json to Grafana's annotation API. Both check the bundle
 * against its manifest first: what was tampered with is not published.
 * Network errors are diagnostics (exit 4); nothing is retried.
 */
#ifndef PUBLISH_H
#define PUBLISH_H

#include <stddef.h>

/*
 * PUTs dir/results.prom to URL/metrics/job/sloproof/drill/SLUG (and
 * /environment@base64/ENV when the drill names one), replacing what that
 * group held. The full URL used is written to where. 0, or -1 after a
 * diagnostic.
 */
int	publish_push(const char *dir, const char *url, char *where, size_t wn);

/*
 * POSTs each element of dir/annotations.json to URL/api/annotations with
 * "Authorization: Bearer token". *posted counts the ones Grafana took.
 * 0, or -1 after a diagnostic (the ones before it stay posted).
 */
int	publish_grafana(const char *dir, const char *url, const char *token, size_t *posted);

#endif
