/*
 * chart_frame.c — what every chart kind shares: nice value and time
 * ticks, the header (title, subtitle with the zone), the legend, the
 * axes, fault bands and their labels, and the plot area placed below
 * them. Pure geometry; no cairo.
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

/* ---- axes ---- */

static const int64_t time_ladder[] = {
	1000, 2000, 5000, 10000, 15000, 30000,
	60000, 120000, 300000, 600000, 900000, 1800000,
	3600000, 7200000, 10800000, 21600000, 43200000, 86400000,
};
#define NLADDER (sizeof time_ladder / sizeof time_ladder[0])

int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The label of a time tick in the display zone. */
static void
fmt_tick_time(int64_t t, int offset_min, int64_t step, char *dst, size_t n)
{
	int64_t local = t + (int64_t)offset_min * 60000, days;
	int64_t y;
	int rem, m, d;

	days = floor_div(local, DAY_MS);
	rem = (int)(local - days * DAY_MS);
	if (step >= DAY_MS) {
		time_civil_from_days(days, &y, &m, &d);
		snprintf(dst, n, "%02d-%02d", m, d);
	} else if (step < 60000) {
		snprintf(dst, n, "%02d:%02d:%02d", rem / 3600000, rem / 60000 % 60, rem / 1000 % 60);
	} else {
		snprintf(dst, n, "%02d:%02d", rem / 3600000, rem / 60000 % 60);
	}
}

/*
 * The tick step for [t0, t1] over pw px: the smallest ladder step giving
 * at most 10 ticks whose labels do not touch; whole days past the ladder.
 */
static int64_t
time_step(int64_t t0, int64_t t1, double pw)
{
	int64_t span = t1 - t0, step;
	size_t i;
	double lw;

	for (i = 0; i < NLADDER; i++) {
		step = time_ladder[i];
		lw = chart_text_width(step < 60000 ? "00:00:00" : "00:00", TEXT_SIZE, 0);
		if (span / step <= 10 && pw * (double)step / (double)span >= lw + 14)
			return step;
	}
	step = DAY_MS * ((span / DAY_MS + 9) / 10);
	return step > 0 ? step : DAY_MS;
}

static double
nice_num(double raw)
{
	double mag = pow(10, floor(log10(raw))), f = raw / mag;

	if (f <= 1.0 + 1e-9)
		return mag;
	if (f <= 2.0 + 1e-9)
		return 2 * mag;
	if (f <= 5.0 + 1e-9)
		return 5 * mag;
	return 10 * mag;
}

/*
 * A value axis with 1/2/5×10ⁿ ticks covering [lo, hi] with some headroom
 * above hi, at most want intervals. integer: steps of at least 1.
 */
void
nice_axis(double lo, double hi, int want, int integer, double *alo, double *ahi,
    double *astep)
{
	double span, step;

	if (!(hi > lo)) {
		double a = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;

		lo -= a;
		hi += a;
		if (lo < 0 && hi - a >= 0 && hi - a - a >= 0)
			lo = 0;
	}
	span = hi - lo;
	hi += span * 0.08;
	step = nice_num((hi - lo) / want);
	if (integer && step < 1)
		step = 1;
	*alo = floor(lo / step + 1e-9) * step;
	*ahi = ceil(hi / step - 1e-9) * step;
	*astep = step;
}

/* ---- the frame shared by all kinds ---- */



static void
zone_name(int offset, char *dst, size_t n)
{
	int a = offset < 0 ? -offset : offset;

	if (offset == 0)
		snprintf(dst, n, "UTC");
	else
		snprintf(dst, n, "UTC%c%02d:%02d", offset < 0 ? '-' : '+', a / 60, a % 60);
}

/* Title and subtitle, top left; returns the y below them. */
double
layout_header(struct frame *f)
{
	const struct chart_spec *s = f->spec;
	char sub[256], d0[16], d1[16], zone[96];
	int64_t off = (int64_t)s->display_offset * 60000;
	double y = MARGIN;

	f->pl->prims[0].w = f->pl->width;	/* the background */
	if (s->title && *s->title) {
		char t[512];

		if (ellipsize(s->title, f->pl->width - 2 * MARGIN, TITLE_SIZE, 1, t, sizeof t))
			add_text(f->pl, CR_TITLE, CPF_BOLD, MARGIN, y + TITLE_SIZE, CA_START,
			    TITLE_SIZE, t);
		y += TITLE_SIZE + 6;
	}
	if (s->subtitle) {
		snprintf(sub, sizeof sub, "%s", s->subtitle);
	} else {
		time_fmt_date(f->t0 + off, d0, sizeof d0);
		time_fmt_date(f->t1 + off, d1, sizeof d1);
		if (s->zone_label)
			snprintf(zone, sizeof zone, "%s", s->zone_label);
		else
			zone_name(s->display_offset, zone, sizeof zone);
		if (strcmp(d0, d1) == 0)
			snprintf(sub, sizeof sub, "%s \xc2\xb7 times in %s", d0, zone);
		else
			snprintf(sub, sizeof sub, "%s \xe2\x80\x93 %s \xc2\xb7 times in %s", d0, d1, zone);
	}
	if (*sub) {
		char t[512];

		if (ellipsize(sub, f->pl->width - 2 * MARGIN, TEXT_SIZE, 0, t, sizeof t))
			add_text(f->pl, CR_MUTED, 0, MARGIN, y + TEXT_SIZE + 2, CA_START,
			    TEXT_SIZE, t);
		y += TEXT_SIZE + 8;
	}
	return y;
}

/* Legend items left to right from x = left, wrapping; returns the y below. */
double
layout_legend(struct frame *f, double left, double y, const struct legend_item *it,
    size_t n)
{
	double x = left, right = f->pl->width - MARGIN, base = y + TEXT_SIZE + 4;
	char t[256];
	size_t i;

	if (n == 0)
		return y;
	for (i = 0; i < n; i++) {
		double w;

		if (!ellipsize(it[i].label, (right - left) * 0.6, TEXT_SIZE, 0, t, sizeof t))
			continue;
		w = 22 + chart_text_width(t, TEXT_SIZE, 0);
		if (x > left && x + w > right) {
			x = left;
			base += TEXT_SIZE + 7;
		}
		if (it[i].role == CR_UNCERTAIN) {
			/* The ± mark as the plot draws it: a hatched box with an error bar. */
			add_rect(f->pl, CR_UNCERTAIN, 0, 0, x, base - 10, 16, 11);
			add_seg(f->pl, CR_TEXT, 0, 1.2, x + 1, base - 4.5, x + 15, base - 4.5);
			add_seg(f->pl, CR_TEXT, 0, 1.2, x + 1, base - 8, x + 1, base - 1);
			add_seg(f->pl, CR_TEXT, 0, 1.2, x + 15, base - 8, x + 15, base - 1);
		} else if (it[i].flags & CPF_FILL)
			add_rect(f->pl, it[i].role, it[i].index, 0, x, base - 9, 14, 9);
		else {
			double *xy = xmalloc(4 * sizeof *xy);

			xy[0] = x;
			xy[1] = xy[3] = base - 4;
			xy[2] = x + 16;
			add_line(f->pl, it[i].role, it[i].index, it[i].flags, 2.5, xy, 2);
		}
		add_text(f->pl, CR_TEXT, 0, x + 20, base, CA_START, TEXT_SIZE, t);
		x += w + 16;
	}
	return base + 8;
}

/* Vertical grid lines and time labels under the plot. */
void
layout_time_axis(struct frame *f)
{
	struct chart_plan *pl = f->pl;
	int64_t step = time_step(f->t0, f->t1, f->pw), off, t;
	char label[32];

	off = (int64_t)f->spec->display_offset * 60000;
	pl->tstep = step;
	t = (floor_div(f->t0 + off, step) + 1) * step - off;
	if (t - step >= f->t0)
		t -= step;
	for (; t <= f->t1; t += step) {
		double x = tx(f, t);

		double half;

		add_seg(pl, CR_GRID, 0, 1, x, f->py, x, f->py + f->ph);
		fmt_tick_time(t, f->spec->display_offset, step, label, sizeof label);
		/* The first and last labels stay on the canvas. */
		half = chart_text_width(label, TEXT_SIZE, 0) / 2;
		if (x + half > pl->width - 4)
			x = pl->width - 4 - half;
		if (x - half < 4)
			x = 4 + half;
		add_text(pl, CR_TEXT, 0, x, f->py + f->ph + 16, CA_MIDDLE, TEXT_SIZE, label);
	}
	add_seg(pl, CR_AXIS, 0, 1, f->px, f->py + f->ph, f->px + f->pw, f->py + f->ph);
}

/*
 * A tick label in the one unit of its axis: the scale is chosen by top
 * (the axis's largest magnitude), so an axis reads "0 s … 1.5 s", never
 * "0 ms" beside "1 s".
 */
void
axis_label(char *dst, size_t n, double v, enum unit u, double top)
{
	static const struct { double div; const char *suffix; } bytes[] = {
		{1e9, " GB"}, {1e6, " MB"}, {1e3, " kB"}, {1, " B"},
	};
	const char *suffix = "", *per = "";
	double div = 1;
	char num[64];
	size_t i;

	top = fabs(top);
	switch (u) {
	case UNIT_MS:
		if (top >= 1000) {
			div = 1000;
			suffix = " s";
		} else {
			suffix = " ms";
		}
		break;
	case UNIT_RATIO:
		div = 0.01;
		suffix = " %";
		break;
	case UNIT_BYTES_PER_S:
		per = "/s";
		/* FALLTHROUGH */
	case UNIT_BYTES:
		for (i = 0; i < 3 && top < bytes[i].div; i++)
			;
		div = bytes[i].div;
		suffix = bytes[i].suffix;
		break;
	case UNIT_PER_S:
		suffix = "/s";
		break;
	case UNIT_NONE:
	default:
		break;
	}
	if (fabs(v) < top * 1e-12)
		v = 0;
	/* Ticks are round numbers: six digits drop float noise such as 0.30000000000000004. */
	fmt_sig(num, sizeof num, v / div, 6);
	snprintf(dst, n, "%s%s%s", num, suffix, per);
}

/* Horizontal grid lines and value labels left of the plot. */
void
layout_value_axis(struct frame *f, double step, enum unit unit)
{
	double v;
	char label[64];
	long i, n = lround((f->yhi - f->ylo) / step);

	f->pl->ystep = step;
	for (i = 0; i <= n; i++) {
		double y;

		v = f->ylo + (double)i * step;
		if (fabs(v) < step * 1e-9)
			v = 0;
		y = vy(f, v);
		if (i > 0)
			add_seg(f->pl, CR_GRID, 0, 1, f->px, y, f->px + f->pw, y);
		axis_label(label, sizeof label, v, unit, fmax(fabs(f->ylo), fabs(f->yhi)));
		add_text(f->pl, CR_TEXT, 0, f->px - 6, y + 4, CA_END, TEXT_SIZE, label);
	}
}

/* The widest value label, to size the left margin. */
static double
value_labels_width(double lo, double hi, double step, enum unit unit)
{
	double w = 0, v;
	char label[64];
	long i, n = lround((hi - lo) / step);

	for (i = 0; i <= n; i++) {
		v = lo + (double)i * step;
		if (fabs(v) < step * 1e-9)
			v = 0;
		axis_label(label, sizeof label, v, unit, fmax(fabs(lo), fabs(hi)));
		if (chart_text_width(label, TEXT_SIZE, 0) > w)
			w = chart_text_width(label, TEXT_SIZE, 0);
	}
	return w;
}

/* Fault windows: shaded rects now; labels later, over the data. */
void
layout_band_rects(struct frame *f)
{
	size_t i;

	for (i = 0; i < f->spec->nbands; i++) {
		const struct chart_band *b = &f->spec->bands[i];
		double x0, x1;

		if (b->end <= f->t0 || b->start >= f->t1)
			continue;
		x0 = tx(f, b->start < f->t0 ? f->t0 : b->start);
		x1 = tx(f, b->end > f->t1 ? f->t1 : b->end);
		add_rect(f->pl, CR_BAND, 0, 0, x0, f->py, x1 - x0 < 1 ? 1 : x1 - x0, f->ph);
	}
}

/*
 * Band names at the top of the plot, inside their band, shortened with
 * "…" to fit; a name that would touch an earlier one drops a row.
 */
void
layout_band_labels(struct frame *f)
{
	double used[LIM_BANDS][3];	/* x0, x1, row */
	size_t nused = 0, i, j;
	char t[256];

	for (i = 0; i < f->spec->nbands && i < LIM_BANDS; i++) {
		const struct chart_band *b = &f->spec->bands[i];
		double x0, x1, w;
		int row, clash;

		if (b->end <= f->t0 || b->start >= f->t1 || b->label == NULL)
			continue;
		x0 = tx(f, b->start < f->t0 ? f->t0 : b->start);
		x1 = tx(f, b->end > f->t1 ? f->t1 : b->end);
		if (!ellipsize(b->label, x1 - x0 - 8 > 0 ? x1 - x0 - 8 : 0, SMALL_SIZE, 1, t, sizeof t))
			continue;
		w = chart_text_width(t, SMALL_SIZE, 1);
		for (row = 0; row < 3; row++) {
			clash = 0;
			for (j = 0; j < nused; j++)
				if ((int)used[j][2] == row && x0 + 4 < used[j][1] + 6 &&
				    used[j][0] < x0 + 4 + w + 6)
					clash = 1;
			if (!clash)
				break;
		}
		if (row == 3)
			continue;
		used[nused][0] = x0 + 4;
		used[nused][1] = x0 + 4 + w;
		used[nused][2] = row;
		nused++;
		add_text(f->pl, CR_BAND_TEXT, CPF_BOLD, x0 + 4, f->py + 13 + row * 13,
		    CA_START, SMALL_SIZE, t);
	}
}

void
bands_extent(const struct chart_spec *s, int64_t *lo, int64_t *hi, int *have)
{
	size_t i;

	for (i = 0; i < s->nbands; i++) {
		if (!*have || s->bands[i].start < *lo)
			*lo = s->bands[i].start;
		if (!*have || s->bands[i].end > *hi)
			*hi = s->bands[i].end;
		*have = 1;
	}
}

/*
 * The plot below the legend (top y), with a value axis over [vlo, vhi]
 * (integer: whole-number steps), its left edge after the widest value
 * label; the geometry is copied into the plan. Returns the axis step.
 */
double
frame_place(struct frame *f, double y, double vlo, double vhi, int integer, enum unit unit)
{
	double alo, ahi, astep;

	f->py = y + 4;
	f->ph = f->pl->height - 26 - f->py;
	if (f->ph < 40)
		f->ph = 40;
	nice_axis(vlo, vhi, f->ph >= 200 ? 6 : 4, integer, &alo, &ahi, &astep);
	f->ylo = alo;
	f->yhi = ahi;
	f->px = MARGIN + value_labels_width(alo, ahi, astep, unit) + 8;
	f->pw = f->pl->width - MARGIN - f->px;
	f->pl->px = f->px;
	f->pl->py = f->py;
	f->pl->pw = f->pw;
	f->pl->ph = f->ph;
	f->pl->t0 = f->t0;
	f->pl->t1 = f->t1;
	f->pl->ylo = f->ylo;
	f->pl->yhi = f->yhi;
	return astep;
}

struct chart_plan *
plan_new(const struct chart_spec *s, int default_height)
{
	struct chart_plan *pl = xcalloc(1, sizeof *pl);

	pl->kind = s->kind;
	pl->width = s->width > 0 ? s->width : 960;
	pl->height = s->height > 0 ? s->height : default_height;
	add_rect(pl, CR_BACKGROUND, 0, 0, 0, 0, pl->width, pl->height);
	return pl;
}

int
check_size(const struct chart_spec *s)
{
	if ((s->width != 0 && (s->width < 200 || s->width > LIM_CHART_PX)) ||
	    (s->height != 0 && (s->height < 120 || s->height > LIM_CHART_PX))) {
		diag_error(NULL, 0, 0, "chart size %dx%d out of range; expected 200x120 to %dx%d",
		    s->width, s->height, LIM_CHART_PX, LIM_CHART_PX);
		return -1;
	}
	if (s->display_offset < -14 * 60 || s->display_offset > 14 * 60) {
		diag_error(NULL, 0, 0, "time zone offset %d min out of range; expected -14:00 to +14:00",
		    s->display_offset);
		return -1;
	}
	return 0;
}


/*
 * The time axis of a Gantt or step chart from the data's [*lo, *hi]: to
 * the capture's end, then the spec's t0..t1 when given, else widened to
 * the fault bands and padded by a thirtieth each side; never under
 * MIN_SPAN.
 */
void
time_span(const struct chart_spec *s, int64_t *lo, int64_t *hi, int *have)
{
	int64_t span;

	if (s->capture_end > *hi)
		*hi = s->capture_end;
	if (s->t0 == 0 && s->t1 == 0) {
		bands_extent(s, lo, hi, have);
		if (*hi - *lo < MIN_SPAN)
			*hi = *lo + MIN_SPAN;
		span = *hi - *lo;
		*lo -= span / 30;
		*hi += span / 30;
	} else {
		*lo = s->t0;
		*hi = s->t1;
		if (*hi - *lo < MIN_SPAN)
			*hi = *lo + MIN_SPAN;
	}
}
