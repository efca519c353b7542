/*
 * chart_layout.c — the geometry of a chart, computed apart from any
 * drawing library (rrdtool's model): time to x, value to y, nice ticks,
 * label placement without collisions, and long series reduced to the min
 * and max of each pixel column so spikes survive. It owns the plan it
 * builds (strings and point arrays are copied in) and must not include
 * cairo: text is measured with a table of DejaVu Sans advance widths.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/termsafe.h"
#include "chart/chart.h"
#include "chart/decimate.h"
#include "util/diag.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/timeutil.h"
#include "util/strnum.h"
#include "model/units.h"
#include "util/xalloc.h"
#include "chart/chart_int.h"

/* ---- LINES ---- */

/*
 * One series as polylines, reduced per pixel column by M4 (decimate.c):
 * first, min, max and last, so the picture is the one every point would
 * draw and a 1 ms spike among a million points still shows. A gap over
 * 3 steps breaks the line.
 */
static void
layout_series(struct frame *f, const struct series *se, int index)
{
	int64_t gap = se->step > 0 ? 3 * se->step : INT64_MAX, prev_t = 0;
	double *xy = NULL, scale = f->pw / (double)(f->t1 - f->t0);
	size_t n = 0, cap = 0, i;
	int have_prev = 0;
	struct m4 m4;
	struct point o4[4];
	size_t k4, n4;

#define EMIT(pt) do { \
	double *p_ = VEC_PUSH(xy, n, cap); \
	p_[0] = tx(f, (pt).t); \
	(void)VEC_PUSH(xy, n, cap); \
	xy[n - 1] = vy(f, (pt).v); \
} while (0)
#define FLUSH() do { \
	for (n4 = m4_flush(&m4, o4), k4 = 0; k4 < n4; k4++) \
		EMIT(o4[k4]); \
} while (0)
#define BREAK() do { \
	FLUSH(); \
	if (n > 0) \
		add_line(f->pl, CR_SERIES, index, CPF_CLIP, 1.6, xy, n / 2); \
	xy = NULL; \
	n = cap = 0; \
} while (0)

	m4_init(&m4);
	for (i = 0; i < se->npts; i++) {
		const struct point *p = &se->pts[i];
		long c;

		if (p->t < f->t0 || p->t > f->t1 || !isfinite(p->v))
			continue;
		if (have_prev && p->t - prev_t > gap)
			BREAK();
		c = (long)floor((double)(p->t - f->t0) * scale);
		for (n4 = m4_add(&m4, c, p, o4), k4 = 0; k4 < n4; k4++)
			EMIT(o4[k4]);
		prev_t = p->t;
		have_prev = 1;
	}
	BREAK();
	free(xy);
#undef EMIT
#undef FLUSH
#undef BREAK
}

static enum chart_role alert_role(const struct alert_interval *);

/* The index of an alert band's colour: 0 critical, 1 warning, 2 other. */
static int
alert_band_index(const struct alert_interval *a)
{
	return (int)(alert_role(a) - CR_CRITICAL);
}

static double *
vseg(double x, double y0, double y1)
{
	double *xy = xmalloc(4 * sizeof *xy);

	xy[0] = xy[2] = x;
	xy[1] = y0;
	xy[3] = y1;
	return xy;
}

/*
 * Alert firing windows as bands under the fault shading, each with a
 * solid strip along the plot's bottom so it shows through the shading.
 * Sets seen[k] for each colour index drawn.
 */
static void
layout_alert_bands(struct frame *f, int seen[3])
{
	const struct chart_spec *s = f->spec;
	int64_t cap_end = s->capture_end ? s->capture_end : f->t1;
	size_t i;

	for (i = 0; i < s->nalerts; i++) {
		const struct alert_interval *a = &s->alerts[i];
		int64_t st = a->start, en = a->have_end ? a->end : cap_end;
		double x0, x1;
		int k = alert_band_index(a);

		if (a->always_firing || en <= f->t0 || st >= f->t1)
			continue;
		x0 = tx(f, st < f->t0 ? f->t0 : st);
		x1 = tx(f, en > f->t1 ? f->t1 : en);
		if (x1 - x0 < 1)
			x1 = x0 + 1;
		/* A ribbon per severity along the bottom and dotted edges: unlike a fault's shading. */
		add_rect(f->pl, CR_ALERT_BAND, k, 0, x0, f->py + f->ph - 7 * (k + 1), x1 - x0, 6);
		add_line(f->pl, CR_ALERT_BAND, k, CPF_DOTTED, 1.2, vseg(x0, f->py, f->py + f->ph), 2);
		add_line(f->pl, CR_ALERT_BAND, k, CPF_DOTTED, 1.2, vseg(x1, f->py, f->py + f->ph), 2);
		seen[k] = 1;
	}
}

/* Whole numbers only (replica counts, queue depths): integer ticks. */
static int
all_integers(const struct chart_spec *s, int64_t lo, int64_t hi)
{
	size_t i, j;

	if (s->series[0]->unit != UNIT_NONE)
		return 0;
	for (i = 0; i < s->nseries; i++)
		for (j = 0; j < s->series[i]->npts; j++) {
			const struct point *p = &s->series[i]->pts[j];

			if (p->t >= lo && p->t <= hi && isfinite(p->v) && p->v != floor(p->v))
				return 0;
		}
	return 1;
}

/* A horizontal rule across [t0, t1] (both 0: the plot), clipped to the plot; 0 when outside. */
static int
span_x(const struct frame *f, int64_t t0, int64_t t1, double *x0, double *x1)
{
	if (t0 == 0 && t1 == 0) {
		*x0 = f->px;
		*x1 = f->px + f->pw;
		return 1;
	}
	if (t1 <= f->t0 || t0 >= f->t1)
		return 0;
	*x0 = tx(f, t0 < f->t0 ? f->t0 : t0);
	*x1 = tx(f, t1 > f->t1 ? f->t1 : t1);
	return *x1 > *x0;
}

static int
bands_in_range(const struct frame *f)
{
	size_t i;

	for (i = 0; i < f->spec->nbands; i++)
		if (f->spec->bands[i].end > f->t0 && f->spec->bands[i].start < f->t1)
			return 1;
	return 0;
}

static int
layout_lines(const struct chart_spec *s, struct chart_plan **out)
{
	static const char *const alert_words[] = {
		"alert firing: critical", "alert firing: warning", "alert firing"
	};
	struct frame f;
	struct legend_item legend[LIM_CHART_SERIES + 8];
	int64_t lo = 0, hi = 0;
	double vlo = 0, vhi = 0, astep, y, limit_y = -1;
	int have = 0, havev = 0, integer, seen[3] = {0, 0, 0}, k, partial = 0;
	size_t i, j, npts = 0, nlegend = 0;
	char limit_text[128], stat_text[192], v[64];
	enum unit unit;

	if (s->nseries == 0) {
		diag_error(NULL, 0, 0, "no series to chart");
		return -1;
	}
	if (s->nseries > LIM_CHART_SERIES) {
		diag_error(NULL, 0, 0, "%zu series in one chart; at most %d fit", s->nseries,
		    LIM_CHART_SERIES);
		return -1;
	}
	unit = s->series[0]->unit;
	for (i = 0; i < s->nseries; i++)
		for (j = 0; j < s->series[i]->npts; j++) {
			const struct point *p = &s->series[i]->pts[j];

			if (!isfinite(p->v))
				continue;
			if (!have || p->t < lo)
				lo = p->t;
			if (!have || p->t > hi)
				hi = p->t;
			have = 1;
		}
	/* Is the last point of a series the partial window's? */
	for (i = 0; i < s->nseries && s->have_partial && !partial; i++) {
		const struct series *se = s->series[i];

		partial = se->npts && se->pts[se->npts - 1].t >= s->partial_t0 &&
		    se->pts[se->npts - 1].t < s->partial_t1 && s->partial_end < s->partial_t1;
	}
	if (s->t0 == 0 && s->t1 == 0) {
		bands_extent(s, &lo, &hi, &have);
		/* The last window is drawn to its end, where it is marked partial. */
		if (partial && have && s->partial_t1 > hi)
			hi = s->partial_t1;
	} else {
		lo = s->t0;
		hi = s->t1;
	}
	if (!have) {
		diag_error(NULL, 0, 0, "no data to chart: the series have no points");
		return -1;
	}
	if (hi - lo < MIN_SPAN)
		hi = lo + MIN_SPAN;
	for (i = 0; i < s->nseries; i++)
		for (j = 0; j < s->series[i]->npts; j++) {
			const struct point *p = &s->series[i]->pts[j];

			if (p->t < lo || p->t > hi || !isfinite(p->v))
				continue;
			if (!havev || p->v < vlo)
				vlo = p->v;
			if (!havev || p->v > vhi)
				vhi = p->v;
			havev = 1;
			npts++;
		}
	if (npts == 0) {
		char a[40], b[40];

		time_fmt_utc(lo, a, sizeof a);
		time_fmt_utc(hi, b, sizeof b);
		diag_error(NULL, 0, 0, "no data to chart between %s and %s", a, b);
		return -1;
	}
	if (s->have_limit) {
		vlo = fmin(vlo, s->limit);
		vhi = fmax(vhi, s->limit);
	}
	if (s->have_stat && isfinite(s->stat)) {
		vlo = fmin(vlo, s->stat);
		vhi = fmax(vhi, s->stat);
	}
	/* Data near zero reads better against a zero baseline. */
	if (vlo >= 0 && vlo <= vhi * 0.5)
		vlo = 0;
	integer = all_integers(s, lo, hi);

	memset(&f, 0, sizeof f);
	f.spec = s;
	f.pl = plan_new(s, 400);
	f.t0 = lo;
	f.t1 = hi;
	y = layout_header(&f);

	/* The legend names every mark the plot will hold. */
	for (i = 0; i < s->nseries; i++)
		legend[nlegend++] = (struct legend_item){series_label(s, i), CR_SERIES, (int)i, 0};
	if (s->have_limit) {
		unit_fmt(v, sizeof v, s->limit, unit);
		if (s->limit_label)
			snprintf(limit_text, sizeof limit_text, "%s", s->limit_label);
		else
			snprintf(limit_text, sizeof limit_text, "limit < %s", v);
		legend[nlegend++] = (struct legend_item){"SLO limit", CR_LIMIT, 0, CPF_DASHED};
	}
	if (s->have_stat && isfinite(s->stat)) {
		unit_fmt(v, sizeof v, s->stat, unit);
		snprintf(stat_text, sizeof stat_text, "%s %s",
		    s->stat_label ? s->stat_label : "judged", v);
		legend[nlegend++] = (struct legend_item){"what the SLO judges", CR_STAT, 0, 0};
	}
	/* Alert bands are laid out below; find which colours they use first. */
	for (i = 0; i < s->nalerts; i++)
		if (!s->alerts[i].always_firing && s->alerts[i].start < hi &&
		    (!s->alerts[i].have_end || s->alerts[i].end > lo))
			seen[alert_band_index(&s->alerts[i])] = 1;
	for (k = 0; k < 3; k++)
		if (seen[k])
			legend[nlegend++] = (struct legend_item){alert_words[k], CR_ALERT_BAND, k, CPF_FILL};
	if (bands_in_range(&f))
		legend[nlegend++] = (struct legend_item){"fault window", CR_BAND, 0, CPF_FILL};
	if (partial)
		legend[nlegend++] = (struct legend_item){"last window partial (run ended)",
		    CR_PARTIAL, 0, CPF_FILL};
	y = layout_legend(&f, MARGIN, y, legend, nlegend);
	astep = frame_place(&f, y, vlo, vhi, integer, unit);

	memset(seen, 0, sizeof seen);
	layout_alert_bands(&f, seen);
	layout_band_rects(&f);
	layout_value_axis(&f, astep, unit);
	layout_time_axis(&f);
	if (partial) {
		double x0, x1;

		if (span_x(&f, s->partial_end, s->partial_t1, &x0, &x1))
			add_rect(f.pl, CR_PARTIAL, 0, 0, x0, f.py, x1 - x0, f.ph);
	}
	for (i = 0; i < s->nseries; i++)
		layout_series(&f, s->series[i], (int)i);
	/* The last point of each series stands for a partial window: a dot says so. */
	for (i = 0; i < s->nseries && partial; i++) {
		const struct series *se = s->series[i];

		if (se->npts && se->pts[se->npts - 1].t >= s->partial_t0 &&
		    se->pts[se->npts - 1].t >= f.t0 && se->pts[se->npts - 1].t <= f.t1) {
			double *xy = xmalloc(2 * sizeof *xy);

			xy[0] = tx(&f, se->pts[se->npts - 1].t);
			xy[1] = vy(&f, se->pts[se->npts - 1].v);
			add_line(f.pl, CR_SERIES, (int)i, CPF_CLIP, 2.5, xy, 1);
		}
	}
	if (s->have_limit) {
		double x0, x1;

		limit_y = vy(&f, s->limit);
		if (span_x(&f, s->limit_t0, s->limit_t1, &x0, &x1)) {
			add_seg(f.pl, CR_LIMIT, CPF_DASHED, 1.8, x0, limit_y, x1, limit_y);
			add_text(f.pl, CR_LIMIT, CPF_BOLD, x1 - 4,
			    limit_y - 5 < f.py + 12 ? limit_y + 14 : limit_y - 5, CA_END, TEXT_SIZE,
			    limit_text);
		}
	}
	if (s->have_stat && isfinite(s->stat)) {
		double x0, x1, sy = vy(&f, s->stat), ly;
		char t[192];

		if (span_x(&f, s->stat_t0, s->stat_t1, &x0, &x1)) {
			add_seg(f.pl, CR_STAT, 0, 2.2, x0, sy, x1, sy);
			/* Its label sits on the side away from the limit line. */
			ly = limit_y >= 0 && limit_y < sy ? sy + 14 : sy - 5;
			if (ly > f.py + f.ph - 2)
				ly = sy - 5;
			if (ly < f.py + 12)
				ly = sy + 14;
			if (ellipsize(stat_text, f.pw - 8, TEXT_SIZE, 1, t, sizeof t)) {
				double w = chart_text_width(t, TEXT_SIZE, 1);

				if (x0 + 4 + w <= f.px + f.pw)
					add_text(f.pl, CR_STAT, CPF_BOLD, x0 + 4, ly, CA_START, TEXT_SIZE, t);
				else
					add_text(f.pl, CR_STAT, CPF_BOLD, f.px + f.pw - 4, ly, CA_END,
					    TEXT_SIZE, t);
			}
		}
	}
	layout_band_labels(&f);
	*out = f.pl;
	return 0;
}

/* ---- GANTT ---- */

static const char *
alert_distinct(const struct alert_interval *a)
{
	size_t i;

	if (a->severity)
		return a->severity;
	for (i = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i].key, "alertname") != 0)
			return a->labels[i].value;
	return NULL;
}

static enum chart_role
alert_role(const struct alert_interval *a)
{
	if (a->severity == NULL)
		return CR_INFO;
	if (strcmp(a->severity, "critical") == 0 || strcmp(a->severity, "page") == 0 ||
	    strcmp(a->severity, "error") == 0)
		return CR_CRITICAL;
	if (strcmp(a->severity, "warning") == 0 || strcmp(a->severity, "warn") == 0)
		return CR_WARNING;
	return CR_INFO;
}

static const struct alert_interval *sort_alerts;

static int
cmp_alert(const void *pa, const void *pb)
{
	const struct alert_interval *a = &sort_alerts[*(const size_t *)pa];
	const struct alert_interval *b = &sort_alerts[*(const size_t *)pb];
	int c;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if ((c = strcmp(a->name ? a->name : "", b->name ? b->name : "")) != 0)
		return c;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

static int
layout_gantt(const struct chart_spec *s, struct chart_plan **out)
{
	struct frame f;
	size_t *idx, n = 0, i, shown;
	int64_t lo = 0, hi = 0, cap_end;
	int have = 0, roles[4] = {0, 0, 0, 0};
	double y, rowh, labw = 0, maxlab, top;
	char t[256], name[512], spant[32];
	struct legend_item legend[4];
	size_t nlegend = 0;

	idx = xreallocarray(NULL, s->nalerts ? s->nalerts : 1, sizeof *idx);
	for (i = 0; i < s->nalerts; i++) {
		const struct alert_interval *a = &s->alerts[i];

		if (a->always_firing)
			continue;
		idx[n++] = i;
		if (!have || a->start < lo)
			lo = a->start;
		if (a->have_pending && a->pending_since < lo)
			lo = a->pending_since;
		if (!have || a->start > hi)
			hi = a->start;
		if (a->have_end && a->end > hi)
			hi = a->end;
		have = 1;
	}
	if (n == 0) {
		free(idx);
		diag_error(NULL, 0, 0, "no alerts to chart%s", s->nalerts ?
		    " (only always-firing ones like Watchdog)" : "");
		return -1;
	}
	time_span(s, &lo, &hi, &have);
	cap_end = s->capture_end ? s->capture_end : hi;
	sort_alerts = s->alerts;
	qsort(idx, n, sizeof *idx, cmp_alert);

	memset(&f, 0, sizeof f);
	f.spec = s;
	f.pl = plan_new(s, 400);
	f.t0 = lo;
	f.t1 = hi;
	y = layout_header(&f);
	for (i = 0; i < n; i++)
		roles[alert_role(&s->alerts[idx[i]]) - CR_CRITICAL] = 1;
	if (roles[0])
		legend[nlegend++] = (struct legend_item){"critical", CR_CRITICAL, 0, CPF_FILL};
	if (roles[1])
		legend[nlegend++] = (struct legend_item){"warning", CR_WARNING, 0, CPF_FILL};
	if (roles[2])
		legend[nlegend++] = (struct legend_item){"other", CR_INFO, 0, CPF_FILL};
	for (i = 0; i < n; i++)
		if (s->alerts[idx[i]].have_pending)
			break;
	if (i < n)
		legend[nlegend++] = (struct legend_item){"pending", CR_PENDING, 0, CPF_FILL};
	y = layout_legend(&f, MARGIN, y, legend, nlegend);

	maxlab = f.pl->width * 0.35;
	for (i = 0; i < n; i++) {
		const struct alert_interval *a = &s->alerts[idx[i]];
		const char *d = alert_distinct(a);

		snprintf(name, sizeof name, "%s%s%s", a->name ? a->name : "(unnamed)",
		    d ? " \xc2\xb7 " : "", d ? d : "");
		if (chart_text_width(name, TEXT_SIZE, 0) > labw)
			labw = chart_text_width(name, TEXT_SIZE, 0);
	}
	if (labw > maxlab)
		labw = maxlab;
	f.px = MARGIN + labw + 10;
	f.pw = f.pl->width - MARGIN - f.px;
	/* Band names get their own row above the bars. */
	f.py = y + 4;
	top = s->nbands ? 18 : 4;
	if (s->height == 0) {
		f.pl->height = (int)(f.py + top + 24 * (double)(n > 150 ? 150 : n) + 4 + 26);
		f.pl->prims[0].h = f.pl->height;
	}
	f.ph = f.pl->height - 26 - f.py;
	if (f.ph < 30 + top)
		f.ph = 30 + top;
	rowh = (f.ph - top - 4) / (double)n;
	shown = n;
	if (rowh > 24)
		rowh = 24;
	if (rowh < 14) {
		rowh = 14;
		shown = (size_t)((f.ph - top - 4) / rowh) - 1;
	}
	f.ylo = 0;
	f.yhi = 1;
	f.pl->px = f.px;
	f.pl->py = f.py;
	f.pl->pw = f.pw;
	f.pl->ph = f.ph;
	f.pl->t0 = f.t0;
	f.pl->t1 = f.t1;

	layout_band_rects(&f);
	layout_time_axis(&f);
	for (i = 0; i < shown; i++) {
		const struct alert_interval *a = &s->alerts[idx[i]];
		const char *d = alert_distinct(a);
		double ry = f.py + top + 4 + rowh * (double)i, bh = rowh - 8, x0, x1;
		int64_t st = a->start < f.t0 ? f.t0 : a->start;
		int64_t en = a->have_end ? a->end : cap_end;

		if (en > f.t1)
			en = f.t1;
		snprintf(name, sizeof name, "%s%s%s", a->name ? a->name : "(unnamed)",
		    d ? " \xc2\xb7 " : "", d ? d : "");
		if (ellipsize(name, labw, TEXT_SIZE, 0, t, sizeof t))
			add_text(f.pl, CR_TEXT, 0, f.px - 8, ry + bh / 2 + 4, CA_END, TEXT_SIZE, t);
		if (a->have_pending && a->pending_since < a->start) {
			double p0 = tx(&f, a->pending_since < f.t0 ? f.t0 : a->pending_since);

			add_rect(f.pl, CR_PENDING, 0, 0, p0, ry + bh / 2 - 2, tx(&f, st) - p0, 4);
		}
		if (en < st)
			continue;
		x0 = tx(&f, st);
		x1 = tx(&f, en);
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		add_rect(f.pl, alert_role(a), 0, a->have_end ? 0 : CPF_FADE, x0, ry, x1 - x0, bh);
		if (!a->have_end) {
			double *xy = xmalloc(6 * sizeof *xy);

			xy[0] = x1;
			xy[1] = ry - 1;
			xy[2] = x1 + 7;
			xy[3] = ry + bh / 2;
			xy[4] = x1;
			xy[5] = ry + bh + 1;
			add_line(f.pl, alert_role(a), 0, CPF_FILL, 1, xy, 3);
		}
		/*
		 * The duration beside the bar: after its end (and arrow), else
		 * inside it, else before the pending line; never over another mark.
		 */
		time_fmt_span((a->have_end ? a->end : cap_end) - a->start, spant, sizeof spant);
		snprintf(name, sizeof name, "%s%s", spant, a->have_end ? "" : ", still firing");
		{
			double w = chart_text_width(name, SMALL_SIZE, 0), ty = ry + bh / 2 + 4;
			double after = x1 + (a->have_end ? 5 : 12), before = x0;

			if (a->have_pending && a->pending_since < a->start)
				before = tx(&f, a->pending_since < f.t0 ? f.t0 : a->pending_since);
			if (after + w <= f.px + f.pw)
				add_text(f.pl, CR_MUTED, 0, after, ty, CA_START, SMALL_SIZE, name);
			else if (x1 - x0 >= chart_text_width(name, SMALL_SIZE, 1) + 10 && bh >= SMALL_SIZE)
				add_text(f.pl, CR_BACKGROUND, CPF_BOLD, x0 + 5, ty, CA_START, SMALL_SIZE, name);
			else if (before - 5 - w >= f.px)
				add_text(f.pl, CR_MUTED, 0, before - 5, ty, CA_END, SMALL_SIZE, name);
		}
	}
	if (shown < n) {
		snprintf(name, sizeof name, "+%zu more alerts not shown", n - shown);
		add_text(f.pl, CR_MUTED, 0, f.px - 8, f.py + top + 4 + rowh * (double)shown + rowh / 2,
		    CA_END, TEXT_SIZE, name);
	}
	layout_band_labels(&f);
	free(idx);
	*out = f.pl;
	return 0;
}

/* ---- STEPS ---- */

/* A step polyline through sorted values, held until t_end. */
static void
step_line(struct frame *f, const struct stepv *v, size_t n, int64_t t_end, int index,
    unsigned flags, double lw)
{
	double *xy;
	size_t i, k = 0;

	if (n == 0)
		return;
	xy = xreallocarray(NULL, 4 * n + 2, sizeof *xy);
	for (i = 0; i < n; i++) {
		if (i > 0) {
			xy[k++] = tx(f, v[i].t);
			xy[k++] = vy(f, v[i - 1].v);
		}
		xy[k++] = tx(f, v[i].t);
		xy[k++] = vy(f, v[i].v);
	}
	if (t_end > v[n - 1].t) {
		xy[k++] = tx(f, t_end);
		xy[k++] = vy(f, v[n - 1].v);
	}
	add_line(f->pl, CR_SERIES, index, flags | CPF_CLIP, lw, xy, k / 2);
}

/*
 * The ± span of event i of HPA name, cut halfway to the nearest other
 * events of the same HPA at other times.
 */
static void
neighbour_bounds(const struct chart_spec *s, const char *name, size_t i, int64_t *a, int64_t *b)
{
	const struct scale_event *e = &s->events[i];
	size_t k;

	*a = e->t - e->t_err;
	*b = e->t + e->t_err;
	for (k = 0; k < s->nevents; k++) {
		const struct scale_event *o = &s->events[k];
		int64_t mid;

		if (k == i || o->target == NULL || strcmp(o->target, name) != 0 || o->t == e->t)
			continue;
		mid = e->t + (o->t - e->t) / 2;
		if (o->t < e->t && mid > *a)
			*a = mid;
		if (o->t > e->t && mid < *b)
			*b = mid;
	}
}

/*
 * The replica range of the events of HPA name at event i's time; -1 when
 * an earlier event at that time has drawn the box already.
 */
static int
same_time_extent(const struct chart_spec *s, const char *name, size_t i, double *lo, double *hi)
{
	size_t k;

	*lo = *hi = s->events[i].to;
	for (k = 0; k < s->nevents; k++) {
		const struct scale_event *o = &s->events[k];

		if (o->target == NULL || strcmp(o->target, name) != 0 || o->t != s->events[i].t ||
		    o->t_err <= 0)
			continue;
		if (k < i)
			return -1;
		*lo = fmin(*lo, fmin(o->to, o->have_from ? o->from : o->to - 0.5));
		*hi = fmax(*hi, fmax(o->to, o->have_from ? o->from : o->to - 0.5));
	}
	return 0;
}

static int
layout_steps(const struct chart_spec *s, struct chart_plan **out)
{
	struct frame f;
	struct stepv *cur = NULL, *des = NULL;
	size_t ncur = 0, capcur = 0, ndes = 0, capdes = 0, i, nlegend = 0;
	const char *name;
	const struct hpa_state *bounds = NULL;
	int64_t lo = 0, hi = 0, t_end;
	int have = 0, vmax = 0, uncertain = 0;
	double y, astep;
	struct legend_item legend[4];

	if ((name = pick_hpa(s)) == NULL)
		return -1;
	for (i = 0; i < s->nevents; i++) {
		const struct scale_event *e = &s->events[i];
		struct stepv *p;

		if (e->target == NULL || strcmp(e->target, name) != 0)
			continue;
		if (e->have_from) {
			p = VEC_PUSH(cur, ncur, capcur);
			*p = (struct stepv){e->t, e->from, 2 * i};
		}
		p = VEC_PUSH(cur, ncur, capcur);
		*p = (struct stepv){e->t, e->to, 2 * i + 1};
		p = VEC_PUSH(des, ndes, capdes);
		*p = (struct stepv){e->t, e->to, 2 * i + 1};
		if (e->t_err > 0)
			uncertain = 1;
		if (!have || e->t - e->t_err < lo)
			lo = e->t - e->t_err;
		if (!have || e->t + e->t_err > hi)
			hi = e->t + e->t_err;
		have = 1;
	}
	for (i = 0; i < s->nstates; i++) {
		const struct hpa_state *h = &s->states[i];
		size_t order = 2 * s->nevents + i;

		if (h->name == NULL || strcmp(h->name, name) != 0)
			continue;
		if (h->have_min || h->have_max)
			if (bounds == NULL || (h->have_t && (!bounds->have_t || h->t >= bounds->t)))
				bounds = h;
		if (!h->have_t)
			continue;
		if (h->have_current)
			*VEC_PUSH(cur, ncur, capcur) = (struct stepv){h->t, h->current, order};
		if (h->have_desired)
			*VEC_PUSH(des, ndes, capdes) = (struct stepv){h->t, h->desired, order};
		if (!have || h->t < lo)
			lo = h->t;
		if (!have || h->t > hi)
			hi = h->t;
		have = 1;
	}
	if (ncur == 0 && ndes == 0) {
		free(cur);
		free(des);
		diag_error(NULL, 0, 0, "no replica counts with a time for autoscaler %s",
		    diag_q(name, (size_t)-1));
		return -1;
	}
	time_span(s, &lo, &hi, &have);
	qsort(cur, ncur, sizeof *cur, cmp_stepv);
	qsort(des, ndes, sizeof *des, cmp_stepv);
	/* The state before the first change holds from the start of the axis. */
	if (ncur > 0 && cur[0].t > lo && cur[0].order % 2 == 0 && cur[0].order < 2 * s->nevents) {
		struct stepv first = cur[0];

		(void)VEC_PUSH(cur, ncur, capcur);
		memmove(cur + 1, cur, (ncur - 1) * sizeof *cur);
		cur[0] = first;
		cur[0].t = lo;
	}
	for (i = 0; i < ncur; i++)
		if (cur[i].v > vmax)
			vmax = cur[i].v;
	for (i = 0; i < ndes; i++)
		if (des[i].v > vmax)
			vmax = des[i].v;
	if (bounds && bounds->have_max && bounds->max > vmax)
		vmax = bounds->max;
	if (vmax < 1)
		vmax = 1;
	t_end = s->capture_end ? s->capture_end : hi;

	memset(&f, 0, sizeof f);
	f.spec = s;
	f.pl = plan_new(s, 400);
	f.t0 = lo;
	f.t1 = hi;
	y = layout_header(&f);
	legend[nlegend++] = (struct legend_item){"current replicas", CR_SERIES, 0, 0};
	legend[nlegend++] = (struct legend_item){"desired replicas", CR_SERIES, 1, CPF_DASHED};
	if (bounds)
		legend[nlegend++] = (struct legend_item){"min / max", CR_REPLICA_BOUND, 0, CPF_DOTTED};
	if (uncertain)
		legend[nlegend++] = (struct legend_item){"time known only to \xc2\xb1 (kubectl age)",
		    CR_UNCERTAIN, 0, CPF_FILL};
	y = layout_legend(&f, MARGIN, y, legend, nlegend);
	astep = frame_place(&f, y, 0, vmax, 1, UNIT_NONE);

	layout_band_rects(&f);
	layout_value_axis(&f, astep, UNIT_NONE);
	layout_time_axis(&f);
	for (i = 0; i < s->nevents; i++) {
		const struct scale_event *e = &s->events[i];
		double x0, x1, y0, y1, ym, rlo, rhi;
		int64_t a, b;

		if (e->t_err <= 0 || e->target == NULL || strcmp(e->target, name) != 0)
			continue;
		/*
		 * kubectl ages make neighbouring events' ± spans overlap; each box
		 * stops halfway to its neighbours so no two boxes cover each other.
		 */
		neighbour_bounds(s, name, i, &a, &b);
		a = a < f.t0 ? f.t0 : a;
		b = b > f.t1 ? f.t1 : b;
		if (b <= a)
			continue;
		x0 = tx(&f, a);
		x1 = tx(&f, b);
		/* Events at one time (a scale-up in two steps) share one box. */
		if (same_time_extent(s, name, i, &rlo, &rhi) == -1)
			continue;
		y0 = vy(&f, rhi) - 3;
		y1 = vy(&f, rlo) + 3;
		add_rect(f.pl, CR_UNCERTAIN, 0, 0, x0, y0, x1 - x0, y1 - y0);
		ym = (y0 + y1) / 2;
		add_seg(f.pl, CR_TEXT, 0, 1.2, x0, ym, x1, ym);
		add_seg(f.pl, CR_TEXT, 0, 1.2, x0, ym - 4, x0, ym + 4);
		add_seg(f.pl, CR_TEXT, 0, 1.2, x1, ym - 4, x1, ym + 4);
	}
	if (bounds) {
		char label[32];

		if (bounds->have_min) {
			double by = vy(&f, bounds->min);

			add_seg(f.pl, CR_REPLICA_BOUND, CPF_DOTTED, 1.5, f.px, by, f.px + f.pw, by);
			snprintf(label, sizeof label, "min %d", bounds->min);
			add_text(f.pl, CR_REPLICA_BOUND, CPF_BOLD, f.px + f.pw - 4, by - 4, CA_END,
			    SMALL_SIZE, label);
		}
		if (bounds->have_max) {
			double by = vy(&f, bounds->max);

			add_seg(f.pl, CR_REPLICA_BOUND, CPF_DOTTED, 1.5, f.px, by, f.px + f.pw, by);
			snprintf(label, sizeof label, "max %d", bounds->max);
			add_text(f.pl, CR_REPLICA_BOUND, CPF_BOLD, f.px + f.pw - 4, by - 4, CA_END,
			    SMALL_SIZE, label);
		}
	}
	step_line(&f, cur, ncur, t_end, 0, 0, 2.5);
	step_line(&f, des, ndes, t_end, 1, CPF_DASHED, 1.8);
	layout_band_labels(&f);
	free(cur);
	free(des);
	*out = f.pl;
	return 0;
}

/*
 * The plan's title and description, for the SVG's <title> and <desc>:
 * the spec's, else what the header and legend say ("2026-11-28 · times in
 * UTC; p95; SLO limit; fault window"), so a screen reader hears what a
 * sighted reader sees first.
 */
static void
describe(const struct chart_spec *s, struct chart_plan *pl)
{
	static const char *const kinds[] = {
		"Line chart", "Alert timeline", "Autoscaler replicas", "Bar chart"
	};
	struct buf d;
	size_t i, n;

	pl->title = xstrdup(s->title ? s->title : "");
	if (s->desc) {
		pl->desc = xstrdup(s->desc);
		return;
	}
	buf_init(&d, 1u << 16);
	(void)buf_printf(&d, "%s", kinds[s->kind]);
	for (i = 0, n = 0; i < pl->nprims; i++) {
		const struct chart_prim *p = &pl->prims[i];

		if (p->kind == CP_TEXT && p->y < pl->py && p->role != CR_TITLE)
			(void)buf_printf(&d, "%s%s", n++ ? "; " : ": ", p->text);
	}
	pl->desc = xstrdup(buf_str(&d));
	buf_release(&d);
}

int
chart_layout(const struct chart_spec *s, struct chart_plan **out)
{
	int r;

	*out = NULL;
	if (check_size(s) == -1)
		return -1;
	if (s->nbands > LIM_BANDS) {
		diag_error(NULL, 0, 0, "%zu fault windows in one chart; at most %d", s->nbands,
		    LIM_BANDS);
		return -1;
	}
	if (s->t1 < s->t0) {
		diag_error(NULL, 0, 0, "the chart's time range ends before it starts");
		return -1;
	}
	switch (s->kind) {
	case CHART_LINES:
		r = layout_lines(s, out);
		break;
	case CHART_GANTT:
		r = layout_gantt(s, out);
		break;
	case CHART_STEPS:
		r = layout_steps(s, out);
		break;
	case CHART_BARS:
		r = layout_bars(s, out);
		break;
	default:
		diag_error(NULL, 0, 0, "unknown chart kind %d", (int)s->kind);
		return -1;
	}
	if (r == 0)
		describe(s, *out);
	return r;
}
