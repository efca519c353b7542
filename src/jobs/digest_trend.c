/*
 * digest_trend.c — the digest's "SLO trends": for each group of alike
 * bundles (eval/baseline.h: same drill, environment, rules, faults, load
 * shape) and each of their SLOs, a small chart of the observed value over
 * the period (one block character per bundle, lowest to highest), the
 * first and last value, and any lasting shift found by change-point
 * detection (eval/changepoint.h) past the noise floor of compare: 10 %
 * and the unit's absolute floor. Owns nothing past a call.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/baseline.h"
#include "eval/changepoint.h"
#include "eval/compare.h"
#include "in/in_bundle.h"
#include "jobs/digest.h"
#include "model/units.h"
#include "out/tmpl.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define TREND_NOISE	0.10
#define MAX_CP		4

/* U+2581..U+2588, lowest to highest */
static const char *const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};

static void
value_text(const struct bsum_slo *s, double v, char *dst, size_t n)
{
	if (s->kind != SLO_METRIC && s->unit == UNIT_MS)
		time_fmt_span((int64_t)v, dst, n);
	else
		unit_fmt(dst, n, v, s->unit);
}

/* The bundles of b alike with each other: group[i] is the index of i's group. */
static size_t
group_bundles(const struct bsum *b, size_t n, size_t *group)
{
	size_t *last = xcalloc(n + 1, sizeof *last), ng = 0, i, g;
	char why[1024];

	for (i = 0; i < n; i++) {
		for (g = 0; g < ng; g++)
			if (baseline_alike(&b[last[g]], &b[i], why, sizeof why))
				break;
		if (g == ng)
			ng++;
		group[i] = g;
		last[g] = i;
	}
	free(last);
	return ng;
}

static void
one_trend(struct tctx *tc, struct tval *list, const struct bsum *b, size_t n,
    const size_t *group, size_t g, const char *name)
{
	const struct bsum_slo *first = NULL, *last = NULL, *s;
	double *v = xcalloc(n + 1, sizeof *v), lo = 0, hi = 0;
	const struct bsum **at = xcalloc(n + 1, sizeof *at);
	struct changepoint cp[MAX_CP];
	struct tval *m;
	struct buf chart;
	char a[64], c[64], f[64], shift[512];
	size_t i, nv = 0, ncp, k, off = 0;

	for (i = 0; i < n; i++) {
		if (group[i] != g || (s = bsum_find_slo(&b[i], name)) == NULL || !s->have_observed)
			continue;
		first = first ? first : s;
		last = s;
		at[nv] = &b[i];
		v[nv++] = s->observed;
	}
	if (nv < 2)
		goto out;
	for (i = 0; i < nv; i++) {
		lo = i == 0 || v[i] < lo ? v[i] : lo;
		hi = i == 0 || v[i] > hi ? v[i] : hi;
	}
	buf_init(&chart, 4 * (nv + 1));
	for (i = 0; i < nv; i++)
		buf_addstr(&chart, blocks[hi > lo ? (size_t)((v[i] - lo) / (hi - lo) * 7 + 0.5) : 3]);
	m = tv_push_map(tc, list);
	tv_set_str(tc, m, "drill", at[0]->title);
	tv_set_str(tc, m, "environment", at[0]->environment ? at[0]->environment : "");
	tv_set_str(tc, m, "name", name);
	tv_set_str(tc, m, "chart", buf_str(&chart));
	buf_release(&chart);
	tv_set_strf(tc, m, "runs", "%zu", nv);
	value_text(first, v[0], a, sizeof a);
	tv_set_str(tc, m, "first", a);
	value_text(last, v[nv - 1], a, sizeof a);
	tv_set_str(tc, m, "last", a);
	value_text(first, lo, a, sizeof a);
	value_text(first, hi, c, sizeof c);
	tv_set_strf(tc, m, "range", "%s – %s", a, c);
	ncp = changepoints(v, nv, TREND_NOISE, compare_abs_floor(first->unit), cp, MAX_CP);
	shift[0] = '\0';
	for (k = 0; k < ncp && off < sizeof shift; k++) {
		value_text(first, fabs(cp[k].magnitude), a, sizeof a);
		value_text(first, cp[k].floor, f, sizeof f);
		off += (size_t)snprintf(shift + off, sizeof shift - off,
		    "%s%s%s (%+.0f %%) at %s/%s, noise floor %s", k ? "; " : "",
		    cp[k].magnitude >= 0 ? "+" : "-", a,
		    cp[k].before != 0 ? 100 * cp[k].magnitude / fabs(cp[k].before) : 0.0,
		    at[cp[k].at]->date, at[cp[k].at]->slug, f);
	}
	tv_set_str(tc, m, "shift", ncp ? shift : NULL);
out:
	free(v);
	free(at);
}

void
digest_trends(struct tctx *tc, struct tval *root, const struct bsum *b, size_t n)
{
	struct tval *list = tv_set_list(tc, root, "trends");
	size_t *group = xcalloc(n + 1, sizeof *group), ng, g, i, k, j;

	ng = group_bundles(b, n, group);
	for (g = 0; g < ng; g++)
		/* the SLO names in the order they first appear in the group */
		for (i = 0; i < n; i++) {
			if (group[i] != g)
				continue;
			for (k = 0; k < b[i].nslos; k++) {
				int seen = 0;

				for (j = 0; j < i && !seen; j++)
					seen = group[j] == g && bsum_find_slo(&b[j], b[i].slos[k].name);
				if (!seen)
					one_trend(tc, list, b, n, group, g, b[i].slos[k].name);
			}
		}
	free(group);
}
