/*
 * chart_csv.c — the data a chart plots, as CSV beside its pictures, and
 * the choice of autoscaler both the CSV and the step chart make.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "chart/chart.h"
#include "chart/chart_int.h"
#include "util/diag.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/timeutil.h"
#include "util/strnum.h"
#include "model/units.h"
#include "util/xalloc.h"

const char *
series_label(const struct chart_spec *s, size_t i)
{
	if (s->labels && s->labels[i])
		return s->labels[i];
	return s->series[i]->name ? s->series[i]->name : "series";
}


int
cmp_stepv(const void *pa, const void *pb)
{
	const struct stepv *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The HPA to chart: spec->hpa, or the only one there is; NULL after a diagnostic. */
const char *
pick_hpa(const struct chart_spec *s)
{
	const char *one = NULL;
	struct buf names;
	size_t i;
	int many = 0;

	for (i = 0; i < s->nevents; i++) {
		const char *n = s->events[i].target;

		if (n && s->hpa && strcmp(n, s->hpa) == 0)
			return s->hpa;
		if (n && one && strcmp(n, one) != 0)
			many = 1;
		if (n && !one)
			one = n;
	}
	for (i = 0; i < s->nstates; i++) {
		const char *n = s->states[i].name;

		if (n && s->hpa && strcmp(n, s->hpa) == 0)
			return s->hpa;
		if (n && one && strcmp(n, one) != 0)
			many = 1;
		if (n && !one)
			one = n;
	}
	if (one == NULL) {
		diag_error(NULL, 0, 0, "no autoscaler events or states to chart");
		return NULL;
	}
	if (!s->hpa && !many)
		return one;
	buf_init(&names, 4096);
	for (i = 0; i < s->nevents + s->nstates; i++) {
		const char *n = i < s->nevents ? s->events[i].target :
		    s->states[i - s->nevents].name;
		char q[300];

		if (n == NULL)
			continue;
		snprintf(q, sizeof q, "\"%s\"", n);
		if (strstr(buf_str(&names), q) == NULL)
			(void)buf_printf(&names, "%s%s", names.len ? ", " : "", q);
	}
	if (s->hpa)
		diag_error(NULL, 0, 0, "no autoscaler %s in the inputs; there are: %s",
		    diag_q(s->hpa, (size_t)-1), buf_str(&names));
	else
		diag_error(NULL, 0, 0, "several autoscalers in the inputs (%s); name one",
		    buf_str(&names));
	buf_release(&names);
	return NULL;
}

/* ---- the data as CSV ---- */

static int
csv_field(struct buf *b, const char *s)
{
	const char *p;
	int r = 0;

	if (strpbrk(s, ",\"\r\n") == NULL)
		return buf_addstr(b, s);
	r |= buf_addc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			r |= buf_addc(b, '"');
		r |= buf_addc(b, *p);
	}
	return r | buf_addc(b, '"');
}

static int
csv_lines(const struct chart_spec *s, struct buf *b)
{
	size_t *pos = xcalloc(s->nseries ? s->nseries : 1, sizeof *pos), i;
	char t[40];
	int r = 0;

	r |= buf_addstr(b, "time_utc");
	for (i = 0; i < s->nseries; i++) {
		r |= buf_addc(b, ',');
		r |= csv_field(b, series_label(s, i));
	}
	r |= buf_addc(b, '\n');
	/* Merge the series by time: one row per distinct time, empty where absent. */
	while (r == 0) {
		int64_t next = 0;
		int have = 0;

		for (i = 0; i < s->nseries; i++)
			if (pos[i] < s->series[i]->npts &&
			    (!have || s->series[i]->pts[pos[i]].t < next)) {
				next = s->series[i]->pts[pos[i]].t;
				have = 1;
			}
		if (!have)
			break;
		time_fmt_utc(next, t, sizeof t);
		r |= buf_addstr(b, t);
		for (i = 0; i < s->nseries; i++) {
			r |= buf_addc(b, ',');
			if (pos[i] < s->series[i]->npts && s->series[i]->pts[pos[i]].t == next)
			{
				char num[64];

				fmt_double_clean(num, sizeof num, s->series[i]->pts[pos[i]++].v);
				r |= buf_addstr(b, num);
			}
		}
		r |= buf_addc(b, '\n');
	}
	free(pos);
	return r;
}

static int
csv_gantt(const struct chart_spec *s, struct buf *b)
{
	struct buf labels;
	char t[40];
	size_t i, j;
	int r = 0;

	buf_init(&labels, 1u << 20);
	r |= buf_addstr(b, "alert,labels,start,end\n");
	for (i = 0; i < s->nalerts && r == 0; i++) {
		const struct alert_interval *a = &s->alerts[i];

		buf_reset(&labels);
		for (j = 0; j < a->nlabels; j++)
			r |= buf_printf(&labels, "%s%s=%s", j ? ";" : "", a->labels[j].key,
			    a->labels[j].value);
		r |= csv_field(b, a->name ? a->name : "");
		r |= buf_addc(b, ',');
		r |= csv_field(b, buf_str(&labels));
		time_fmt_utc(a->start, t, sizeof t);
		r |= buf_printf(b, ",%s,", t);
		if (a->have_end) {
			time_fmt_utc(a->end, t, sizeof t);
			r |= buf_addstr(b, t);
		}
		r |= buf_addc(b, '\n');
	}
	buf_release(&labels);
	return r;
}

static int
csv_steps(const struct chart_spec *s, struct buf *b)
{
	const char *name = pick_hpa(s);
	struct stepv *v = NULL;
	size_t n = 0, cap = 0, i;
	char t[40];
	int r = 0, cur = -1, des = -1;

	if (name == NULL)
		return -2;
	/* kind in the low bit of order: 0 current, 1 desired; events then states. */
	for (i = 0; i < s->nevents; i++) {
		const struct scale_event *e = &s->events[i];

		if (e->target && strcmp(e->target, name) == 0)
			*VEC_PUSH(v, n, cap) = (struct stepv){e->t, e->to, 2 * i};
	}
	for (i = 0; i < s->nstates; i++) {
		const struct hpa_state *h = &s->states[i];

		if (h->name && strcmp(h->name, name) == 0 && h->have_t)
			*VEC_PUSH(v, n, cap) = (struct stepv){h->t, -1, 2 * (s->nevents + i) + 1};
	}
	qsort(v, n, sizeof *v, cmp_stepv);
	r |= buf_addstr(b, "time_utc,current,desired\n");
	for (i = 0; i < n && r == 0; i++) {
		if (v[i].order % 2 == 0) {
			cur = des = v[i].v;
		} else {
			const struct hpa_state *h = &s->states[v[i].order / 2 - s->nevents];

			if (h->have_current)
				cur = h->current;
			if (h->have_desired)
				des = h->desired;
		}
		time_fmt_utc(v[i].t, t, sizeof t);
		r |= buf_printf(b, "%s,", t);
		if (cur >= 0)
			r |= buf_printf(b, "%d", cur);
		r |= buf_addc(b, ',');
		if (des >= 0)
			r |= buf_printf(b, "%d", des);
		r |= buf_addc(b, '\n');
	}
	free(v);
	return r;
}

/* category,group,value (in bar_unit, canonical: ms, ratio). */
static int
csv_bars(const struct chart_spec *s, struct buf *b)
{
	char num[64];
	size_t c, g;
	int rc = 0;

	rc |= buf_printf(b, "category,group,value,unit\r\n");
	for (c = 0; c < s->ncategories; c++)
		for (g = 0; g < s->ngroups; g++) {
			double v = s->values[c * s->ngroups + g];

			if (!isfinite(v))
				continue;
			fmt_double_clean(num, sizeof num, v);
			rc |= csv_field(b, s->categories[c]);
			rc |= buf_addc(b, ',');
			rc |= csv_field(b, s->groups[g]);
			rc |= buf_printf(b, ",%s,%s\r\n", num, unit_name(s->bar_unit));
		}
	return rc ? -1 : 0;
}

int
chart_csv(const struct chart_spec *s, struct buf *b)
{
	int r = -1;

	switch (s->kind) {
	case CHART_LINES:
		r = csv_lines(s, b);
		break;
	case CHART_GANTT:
		r = csv_gantt(s, b);
		break;
	case CHART_STEPS:
		r = csv_steps(s, b);
		break;
	case CHART_BARS:
		r = csv_bars(s, b);
		break;
	}
	if (r == -2)
		return -1;
	if (r != 0) {
		diag_syserr(NULL, "chart data too large for CSV");
		return -1;
	}
	return 0;
}
