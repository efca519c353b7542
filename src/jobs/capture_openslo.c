/*
 * capture_openslo.c — the Prometheus queries of the drill's OpenSLO files
 * (docs/openslo.md): each metricSource's spec.query, stored under the name
 * the evaluator looks for (the indicator's name, _good/_bad/_total for a
 * ratio), so an OpenSLO file and a drill file are enough to record and
 * judge. SLO files that are not OpenSLO, or not there yet, are not read
 * here: their rules need no queries. Owns the list it returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/xalloc.h"
#include "in/drill.h"
#include "in/slo.h"
#include "jobs/capture_int.h"

static int
have(const struct capture_query *q, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(q[i].name, name) == 0)
			return 1;
	return 0;
}

int
capture_queries(const struct drill *d, struct arena *a, struct capture_query **out, size_t *nout)
{
	const struct capture_cfg *cc = &d->capture;
	struct capture_query *q;
	struct slo_set set;
	char **paths;
	size_t i, k, np = 0, n = 0;
	struct buf b;
	int rc = 0;

	q = xcalloc(cc->nqueries + 2 * LIM_CAPTURE_QUERIES + 1, sizeof *q);
	for (i = 0; i < cc->nqueries; i++)
		q[n++] = cc->queries[i];
	paths = xcalloc(d->nslo + 1, sizeof *paths);
	for (i = 0; i < d->nslo; i++) {
		buf_init(&b, LIM_RULES_BYTES);
		if (fsio_exists(d->slo[i]) && fsio_read(d->slo[i], LIM_RULES_BYTES, &b, NULL, NULL) == 0 &&
		    openslo_line(buf_str(&b), b.len) != 0)
			paths[np++] = d->slo[i];
		buf_release(&b);
	}
	if (np > 0 && slo_load_many(&set, paths, np) == -1)
		rc = -1;
	for (i = 0; np > 0 && rc == 0 && i < set.nrules; i++) {
		const struct slo_budget *bu = set.rules[i].budget;

		for (k = 0; bu && k < (bu->ratio ? 2u : 1u); k++) {
			const struct budget_source *s = &bu->src[k];

			if (s->series || s->query == NULL || have(q, n, s->capname))
				continue;	/* named evidence, or asked already */
			if (n >= (size_t)LIM_CAPTURE_QUERIES) {
				diag_error(set.rules[i].file, s->line, s->col, "more than %d Prometheus "
				    "queries to capture (the drill's and the OpenSLO files')",
				    LIM_CAPTURE_QUERIES);
				rc = -1;
				break;
			}
			q[n].name = arena_strdup(a, s->capname);
			q[n].expr = arena_strdup(a, s->query);
			q[n].line = s->line;
			q[n].col = s->col;
			n++;
		}
	}
	if (np > 0 && rc == 0 && n > cc->nqueries && cc->prom_url == NULL) {
		diag_error(d->path, cc->line, cc->col, "the OpenSLO files have %zu Prometheus "
		    "queries, but capture: has no prometheus: url to ask", n - cc->nqueries);
		rc = -1;
	}
	if (np > 0)
		slo_release(&set);
	free(paths);
	if (rc == -1) {
		free(q);
		return -1;
	}
	*out = q;
	*nout = n;
	return 0;
}
