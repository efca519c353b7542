/*
 * report_merge.c — the report's "Exact merge" section: when k6 raw output
 * comes from several parallel runners (k6-operator tags each with
 * instance_id), the percentiles of the merged histograms next to what
 * averaging the runners' own summaries would have claimed, and how far off
 * that average is. Percentiles do not average: a runner that drove only
 * the slow channel pulls the mean of P95s away from the P95 of all
 * requests. Reads the run; owns nothing. Depends on hist, units, tmpl.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/hist.h"
#include "model/run.h"
#include "model/units.h"
#include "out/report.h"
#include "out/tmpl.h"
#include "util/timeutil.h"

#define MAX_RUNNERS	64
#define METRIC		"http_req_duration"
#define ONE_RUN_MS	60000	/* runners of one run start within a minute of each other */

static const double qs[] = {0.50, 0.95, 0.99};
static const char *const qnames[] = {"p(50)", "p(95)", "p(99)"};
#define NQ (sizeof qs / sizeof qs[0])

struct runner {
	const char	*id;
	struct hist	 h;
	int		 src;		/* the file it came from, or -1 */
	int		 several;	/* its points came from more than one file */
};

static const char *
tag(const struct k6raw_hist *h, const char *key)
{
	size_t i;

	for (i = 0; i < h->ntags; i++)
		if (strcmp(h->tags[i].key, key) == 0)
			return h->tags[i].value;
	return NULL;
}

/* Runner ids in numeric order when they are numbers (k6-operator's 1..N), else by bytes. */
static int
cmp_runner(const void *a, const void *b)
{
	const struct runner *x = a, *y = b;
	char *ex, *ey;
	long lx = strtol(x->id, &ex, 10), ly = strtol(y->id, &ey, 10);

	if (*x->id && *y->id && *ex == '\0' && *ey == '\0' && lx != ly)
		return (lx > ly) - (lx < ly);
	return strcmp(x->id, y->id);
}

static void
fmt_ms(double v, char *dst, size_t n)
{
	unit_fmt(dst, n, v, UNIT_MS);
}

void
report_merge(struct tctx *tc, struct tval *root, const struct report *rep)
{
	const struct run *run = rep->run;
	struct runner rs[MAX_RUNNERS];
	struct hist all;
	struct tval *list, *m;
	size_t i, k, nr = 0;
	char a[64], b[64], c[64];
	double avg, merged;
	int64_t first = 0, last = 0;

	for (i = 0; i < run->nk6raw; i++) {
		const struct k6raw_hist *h = &run->k6raw[i];
		const char *id = tag(h, "instance_id");

		if (id == NULL || strcmp(h->metric, METRIC) != 0 || h->h.count == 0)
			continue;
		for (k = 0; k < nr && strcmp(rs[k].id, id) != 0; k++)
			;
		if (k == nr) {
			if (nr == MAX_RUNNERS)
				continue;
			rs[nr].id = id;
			rs[nr].src = h->origin.src;
			rs[nr].several = 0;
			hist_init(&rs[nr].h);
			nr++;
		}
		if (rs[k].src != h->origin.src)
			rs[k].several = 1;
		hist_merge(&rs[k].h, &h->h);
	}
	if (nr < 2)
		goto out;
	qsort(rs, nr, sizeof *rs, cmp_runner);
	hist_init(&all);
	for (i = 0; i < run->nk6raw; i++)
		if (strcmp(run->k6raw[i].metric, METRIC) == 0)
			hist_merge(&all, &run->k6raw[i].h);
	list = tv_set_list(tc, root, "merge_runners");
	for (k = 0; k < nr; k++) {
		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "name", rs[k].id);
		tv_set_str(tc, m, "file", rs[k].src >= 0 && (size_t)rs[k].src < run->nsources ?
		    run->sources[rs[k].src].path : "-");
		tv_set_strf(tc, m, "requests", "%llu", (unsigned long long)rs[k].h.count);
		for (i = 0; i < NQ; i++) {
			static const char *const keys[] = {"p50", "p95", "p99"};

			fmt_ms(hist_quantile(&rs[k].h, qs[i]), a, sizeof a);
			tv_set_str(tc, m, keys[i], a);
		}
		if (k == 0 || rs[k].h.first_t < first)
			first = rs[k].h.first_t;
		if (k == 0 || rs[k].h.first_t > last)
			last = rs[k].h.first_t;
	}
	list = tv_set_list(tc, root, "merge_rows");
	for (i = 0; i < NQ; i++) {
		merged = hist_quantile(&all, qs[i]);
		for (k = 0, avg = 0; k < nr; k++)
			avg += hist_quantile(&rs[k].h, qs[i]);
		avg /= (double)nr;
		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "stat", qnames[i]);
		fmt_ms(merged, a, sizeof a);
		fmt_ms(avg, b, sizeof b);
		fmt_ms(fabs(avg - merged), c, sizeof c);
		tv_set_str(tc, m, "merged", a);
		tv_set_str(tc, m, "averaged", b);
		tv_set_strf(tc, m, "off", "%s%s (%+.1f %%)", avg >= merged ? "+" : "-", c,
		    merged != 0 ? 100 * (avg - merged) / merged : 0.0);
	}
	time_fmt_span(last - first, a, sizeof a);
	tv_set_strf(tc, root, "merge_note", "%zu runners (the instance_id tag), %llu requests; "
	    "their first requests lie %s apart%s.", nr, (unsigned long long)all.count, a,
	    last - first <= ONE_RUN_MS ? ": one run" :
	    ": more than a minute, so these may not be one run");
	for (k = 0; k < nr; k++)
		if (rs[k].several) {
			tv_set_strf(tc, root, "merge_warning", "Runner %s appears in more than one "
			    "file: the same output given twice is counted twice.", rs[k].id);
			break;
		}
	hist_release(&all);
out:
	for (k = 0; k < nr; k++)
		hist_release(&rs[k].h);
}
