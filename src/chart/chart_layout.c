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
#include "chart/chart.h"
#include "chart/decimate.h"
#include "util/diag.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/timeutil.h"
#include "util/strnum.h"
#include "model/units.h"
#include "util/xalloc.h"

#define MARGIN		16.0
#define TITLE_SIZE	16.0
#define TEXT_SIZE	11.0
#define SMALL_SIZE	10.0
#define MIN_SPAN	60000	/* ms: a chart of one instant still gets a minute */

/*
 * DejaVu Sans advance widths of ASCII 32..126 in thousandths of an em
 * (measured once with cairo, hinting off, from DejaVuSans.ttf 2.37).
 */
static const unsigned short adv[2][95] = { {
	318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
	636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
	1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
	603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
	500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
	635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
}, {
	348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
	696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580,
	1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
	733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500,
	500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
	716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
} };

double
chart_text_width(const char *s, double size, int bold)
{
	const unsigned char *p = (const unsigned char *)s;
	double em = 0;

	for (; *p; p++) {
		if (*p >= 32 && *p < 127)
			em += adv[bold != 0][*p - 32];
		else if (*p == 0xc2 && p[1] == 0xb7)	/* · */
			em += bold ? 380 : 318;
		else if ((*p & 0xc0) != 0x80)		/* other characters: a wide guess */
			em += (*p >= 0xe2) ? 1000 : 700;
	}
	return em * size / 1000.0;
}

/* ---- the plan ---- */

static struct chart_prim *
add_prim(struct chart_plan *pl, enum chart_prim_kind kind, enum chart_role role)
{
	struct chart_prim *p = VEC_PUSH(pl->prims, pl->nprims, pl->capprims);

	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->role = role;
	return p;
}

static void
add_rect(struct chart_plan *pl, enum chart_role role, int index, unsigned flags,
    double x, double y, double w, double h)
{
	struct chart_prim *p = add_prim(pl, CP_RECT, role);

	p->index = index;
	p->flags = flags;
	p->x = x;
	p->y = y;
	p->w = w;
	p->h = h;
}

/* Takes ownership of xy (npts points). */
static void
add_line(struct chart_plan *pl, enum chart_role role, int index, unsigned flags,
    double lw, double *xy, size_t npts)
{
	struct chart_prim *p = add_prim(pl, CP_LINE, role);

	p->index = index;
	p->flags = flags;
	p->lw = lw;
	p->xy = xy;
	p->npts = npts;
}

static void
add_seg(struct chart_plan *pl, enum chart_role role, unsigned flags, double lw,
    double x0, double y0, double x1, double y1)
{
	double *xy = xmalloc(4 * sizeof *xy);

	xy[0] = x0;
	xy[1] = y0;
	xy[2] = x1;
	xy[3] = y1;
	add_line(pl, role, 0, flags, lw, xy, 2);
}

static void
add_text(struct chart_plan *pl, enum chart_role role, unsigned flags, double x,
    double y, enum chart_anchor anchor, double size, const char *s)
{
	struct chart_prim *p = add_prim(pl, CP_TEXT, role);

	p->flags = flags;
	p->x = x;
	p->y = y;
	p->anchor = anchor;
	p->size = size;
	p->text = xstrdup(s);
}

void
chart_plan_free(struct chart_plan *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	for (i = 0; i < pl->nprims; i++) {
		free(pl->prims[i].text);
		free(pl->prims[i].xy);
	}
	free(pl->prims);
	free(pl);
}

/*
 * s shortened with "…" to fit maxw px, into dst; 0 when even "…" alone
 * does not fit (then dst is empty). Cuts on UTF-8 character boundaries.
 */
static int
ellipsize(const char *s, double maxw, double size, int bold, char *dst, size_t n)
{
	size_t len = strlen(s);

	if (len >= n)
		len = n - 1;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	memcpy(dst, s, len);
	dst[len] = '\0';
	if (len == strlen(s) && chart_text_width(dst, size, bold) <= maxw)
		return 1;
	while (len > 0) {
		do
			len--;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80);
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len + 4 > n)
			continue;
		memcpy(dst, s, len);
		memcpy(dst + len, "\xe2\x80\xa6", 4);
		if (chart_text_width(dst, size, bold) <= maxw)
			return 1;
	}
	memcpy(dst, "\xe2\x80\xa6", 4);
	if (chart_text_width(dst, size, bold) <= maxw)
		return 1;
	dst[0] = '\0';
	return 0;
}

/* ---- axes ---- */

static const int64_t time_ladder[] = {
	1000, 2000, 5000, 10000, 15000, 30000,
	60000, 120000, 300000, 600000, 900000, 1800000,
	3600000, 7200000, 10800000, 21600000, 43200000, 86400000,
};
#define NLADDER (sizeof time_ladder / sizeof time_ladder[0])
#define DAY_MS 86400000

static int64_t
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
static void
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

struct frame {
	struct chart_plan *pl;
	const struct chart_spec *spec;
	int64_t	 t0, t1;
	double	 px, py, pw, ph;
	double	 ylo, yhi;
	double	 header;	/* y below the title, subtitle and legend */
};

static double
tx(const struct frame *f, int64_t t)
{
	return f->px + (double)(t - f->t0) * f->pw / (double)(f->t1 - f->t0);
}

static double
vy(const struct frame *f, double v)
{
	return f->py + f->ph - (v - f->ylo) * f->ph / (f->yhi - f->ylo);
}

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
static double
layout_header(struct frame *f)
{
	const struct chart_spec *s = f->spec;
	char sub[256], d0[16], d1[16], zone[16];
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

struct legend_item {
	const char	*label;
	enum chart_role	 role;
	int		 index;
	unsigned	 flags;	/* of the swatch line; CPF_FILL: a square */
};

/* Legend items left to right from x = left, wrapping; returns the y below. */
static double
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
		if (it[i].flags & CPF_FILL)
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
static void
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

/* Horizontal grid lines and value labels left of the plot. */
static void
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
		unit_fmt(label, sizeof label, v, unit);
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
		unit_fmt(label, sizeof label, v, unit);
		if (chart_text_width(label, TEXT_SIZE, 0) > w)
			w = chart_text_width(label, TEXT_SIZE, 0);
	}
	return w;
}

/* Fault windows: shaded rects now; labels later, over the data. */
static void
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
static void
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

static void
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
static double
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

static struct chart_plan *
plan_new(const struct chart_spec *s, int default_height)
{
	struct chart_plan *pl = xcalloc(1, sizeof *pl);

	pl->kind = s->kind;
	pl->width = s->width > 0 ? s->width : 960;
	pl->height = s->height > 0 ? s->height : default_height;
	add_rect(pl, CR_BACKGROUND, 0, 0, 0, 0, pl->width, pl->height);
	return pl;
}

static int
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

static const char *
series_label(const struct chart_spec *s, size_t i)
{
	if (s->labels && s->labels[i])
		return s->labels[i];
	return s->series[i]->name ? s->series[i]->name : "series";
}

static int
layout_lines(const struct chart_spec *s, struct chart_plan **out)
{
	struct frame f;
	struct legend_item legend[LIM_CHART_SERIES];
	int64_t lo = 0, hi = 0;
	double vlo = 0, vhi = 0, astep, y;
	int have = 0, havev = 0;
	size_t i, j, npts = 0;
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
	if (s->t0 == 0 && s->t1 == 0)
		bands_extent(s, &lo, &hi, &have);
	else {
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
		if (s->limit < vlo)
			vlo = s->limit;
		if (s->limit > vhi)
			vhi = s->limit;
	}
	/* Data near zero reads better against a zero baseline. */
	if (vlo >= 0 && vlo <= vhi * 0.5)
		vlo = 0;

	memset(&f, 0, sizeof f);
	f.spec = s;
	f.pl = plan_new(s, 400);
	f.t0 = lo;
	f.t1 = hi;
	y = layout_header(&f);
	for (i = 0; i < s->nseries; i++) {
		legend[i].label = series_label(s, i);
		legend[i].role = CR_SERIES;
		legend[i].index = (int)i;
		legend[i].flags = 0;
	}
	y = layout_legend(&f, MARGIN, y, legend, s->nseries);
	astep = frame_place(&f, y, vlo, vhi, 0, unit);

	layout_band_rects(&f);
	layout_value_axis(&f, astep, unit);
	layout_time_axis(&f);
	for (i = 0; i < s->nseries; i++)
		layout_series(&f, s->series[i], (int)i);
	if (s->have_limit) {
		char label[128], v[64];
		double ly = vy(&f, s->limit);

		unit_fmt(v, sizeof v, s->limit, unit);
		if (s->limit_label)
			snprintf(label, sizeof label, "%s", s->limit_label);
		else
			snprintf(label, sizeof label, "limit < %s", v);
		add_seg(f.pl, CR_LIMIT, CPF_DASHED, 1.8, f.px, ly, f.px + f.pw, ly);
		add_text(f.pl, CR_LIMIT, CPF_BOLD, f.px + f.pw - 4,
		    ly - 5 < f.py + 12 ? ly + 14 : ly - 5, CA_END, TEXT_SIZE, label);
	}
	layout_band_labels(&f);
	*out = f.pl;
	return 0;
}

/* ---- GANTT ---- */

/*
 * The time axis of a Gantt or step chart from the data's [*lo, *hi]: to
 * the capture's end, then the spec's t0..t1 when given, else widened to
 * the fault bands and padded by a thirtieth each side; never under
 * MIN_SPAN.
 */
static void
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
		/* The duration beside the bar, when it fits. */
		time_fmt_span((a->have_end ? a->end : cap_end) - a->start, spant, sizeof spant);
		snprintf(name, sizeof name, "%s%s", spant, a->have_end ? "" : ", still firing");
		if (x1 + 12 + chart_text_width(name, SMALL_SIZE, 0) <= f.px + f.pw)
			add_text(f.pl, CR_MUTED, 0, x1 + (a->have_end ? 5 : 12), ry + bh / 2 + 4,
			    CA_START, SMALL_SIZE, name);
		else if (x0 - 5 - chart_text_width(name, SMALL_SIZE, 0) >= f.px)
			add_text(f.pl, CR_MUTED, 0, x0 - 5, ry + bh / 2 + 4, CA_END, SMALL_SIZE, name);
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

struct stepv {
	int64_t	t;
	int	v;
	size_t	order;	/* ties keep input order */
};

static int
cmp_stepv(const void *pa, const void *pb)
{
	const struct stepv *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The HPA to chart: spec->hpa, or the only one there is; NULL after a diagnostic. */
static const char *
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
		legend[nlegend++] = (struct legend_item){"approximate time", CR_UNCERTAIN, 0, CPF_FILL};
	y = layout_legend(&f, MARGIN, y, legend, nlegend);
	astep = frame_place(&f, y, 0, vmax, 1, UNIT_NONE);

	layout_band_rects(&f);
	layout_value_axis(&f, astep, UNIT_NONE);
	layout_time_axis(&f);
	for (i = 0; i < s->nevents; i++) {
		const struct scale_event *e = &s->events[i];
		double x0, x1, y0, y1, ym;

		if (e->t_err <= 0 || e->target == NULL || strcmp(e->target, name) != 0)
			continue;
		x0 = tx(&f, e->t - e->t_err < f.t0 ? f.t0 : e->t - e->t_err);
		x1 = tx(&f, e->t + e->t_err > f.t1 ? f.t1 : e->t + e->t_err);
		y0 = vy(&f, e->have_from ? e->from : e->to - 0.5);
		y1 = vy(&f, e->to);
		if (y0 > y1) {
			double tmp = y0;

			y0 = y1;
			y1 = tmp;
		}
		y0 -= 3;
		y1 += 3;
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

/* ---- BARS ---- */

/*
 * Horizontal bars, one row per category (a channel), one bar per group
 * in it (the whole run, then each fault), with the value at the bar's end
 * and the SLO limit as a dashed vertical line.
 */
static int
layout_bars(const struct chart_spec *s, struct chart_plan **out)
{
	struct frame f;
	struct legend_item items[16];
	double vmax = 0, lo, hi, step, labw = 0, barh = 14, gap = 10, x, v;
	size_t c, g, ng = s->ngroups < 16 ? s->ngroups : 16;
	char t[64];
	int any = 0;

	if (s->ncategories == 0 || ng == 0 || s->values == NULL) {
		diag_error(NULL, 0, 0, "no values to chart");
		return -1;
	}
	for (c = 0; c < s->ncategories; c++) {
		double w = chart_text_width(s->categories[c], TEXT_SIZE, 0);

		labw = w > labw ? w : labw;
		for (g = 0; g < ng; g++) {
			v = s->values[c * s->ngroups + g];
			if (isfinite(v)) {
				vmax = v > vmax ? v : vmax;
				any = 1;
			}
		}
	}
	if (!any) {
		diag_error(NULL, 0, 0, "no values to chart");
		return -1;
	}
	if (s->have_limit && s->limit > vmax)
		vmax = s->limit;
	memset(&f, 0, sizeof f);
	f.spec = s;
	f.pl = plan_new(s, (int)(130 + s->ncategories * (ng * barh + gap) + 40));
	f.header = layout_header(&f);
	for (g = 0; g < ng; g++) {
		items[g].label = s->groups[g];
		items[g].role = CR_SERIES;
		items[g].index = (int)g;
		items[g].flags = CPF_FILL;
	}
	f.header = layout_legend(&f, MARGIN, f.header, items, ng);
	if (s->height == 0) {
		/* As tall as the rows need, now that the header's height is known. */
		f.pl->height = (int)(f.header + 6 + s->ncategories * (ng * barh + gap) + 30);
		f.pl->prims[0].h = f.pl->height;
	}
	nice_axis(0, vmax, 6, 0, &lo, &hi, &step);
	lo = 0;
	f.px = MARGIN + (labw > 220 ? 220 : labw) + 10;
	f.py = f.header + 6;
	f.pw = f.pl->width - f.px - MARGIN - 60;
	f.ph = f.pl->height - f.py - 28;
	for (v = lo; v <= hi + step / 2; v += step) {
		x = f.px + (v - lo) * f.pw / (hi - lo);
		add_seg(f.pl, CR_GRID, 0, 1, x, f.py, x, f.py + f.ph);
		unit_fmt(t, sizeof t, v, s->bar_unit);
		add_text(f.pl, CR_TEXT, 0, x, f.py + f.ph + 16, CA_MIDDLE, TEXT_SIZE, t);
	}
	for (c = 0; c < s->ncategories; c++) {
		double y0 = f.py + gap / 2 + (double)c * (ng * barh + gap);
		char lab[256];

		if (ellipsize(s->categories[c], 220, TEXT_SIZE, 0, lab, sizeof lab))
			add_text(f.pl, CR_TEXT, 0, f.px - 8, y0 + ng * barh / 2 + 4, CA_END, TEXT_SIZE, lab);
		for (g = 0; g < ng; g++) {
			v = s->values[c * s->ngroups + g];
			if (!isfinite(v))
				continue;
			x = (v - lo) * f.pw / (hi - lo);
			add_rect(f.pl, CR_SERIES, (int)g, CPF_FILL, f.px, y0 + g * barh + 1, x, barh - 2);
			unit_fmt(t, sizeof t, v, s->bar_unit);
			add_text(f.pl, CR_MUTED, 0, f.px + x + 4, y0 + g * barh + barh - 3, CA_START,
			    TEXT_SIZE - 1, t);
		}
	}
	add_seg(f.pl, CR_AXIS, 0, 1, f.px, f.py, f.px, f.py + f.ph);
	if (s->have_limit) {
		char lab[96];

		x = f.px + (s->limit - lo) * f.pw / (hi - lo);
		add_seg(f.pl, CR_LIMIT, CPF_DASHED, 1.8, x, f.py, x, f.py + f.ph);
		if (s->limit_label)
			snprintf(lab, sizeof lab, "%s", s->limit_label);
		else {
			unit_fmt(t, sizeof t, s->limit, s->bar_unit);
			snprintf(lab, sizeof lab, "limit %s", t);
		}
		add_text(f.pl, CR_LIMIT, CPF_BOLD, x + 4, f.py + 12, CA_START, TEXT_SIZE, lab);
	}
	*out = f.pl;
	return 0;
}

int
chart_layout(const struct chart_spec *s, struct chart_plan **out)
{
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
		return layout_lines(s, out);
	case CHART_GANTT:
		return layout_gantt(s, out);
	case CHART_STEPS:
		return layout_steps(s, out);
	case CHART_BARS:
		return layout_bars(s, out);
	}
	diag_error(NULL, 0, 0, "unknown chart kind %d", (int)s->kind);
	return -1;
}

/* ---- the plan as text ---- */

static const char *const role_names[] = {
	"background", "title", "text", "muted", "grid", "axis", "limit", "band",
	"band-text", "series", "critical", "warning", "info", "pending",
	"replica-bound", "uncertain",
};

/* x rounded to 0.1, never "-0.0". */
static int
put_num(struct buf *b, double x)
{
	long long t = llround(x * 10);

	return buf_printf(b, "%s%lld.%lld", t < 0 ? "-" : "", (t < 0 ? -t : t) / 10,
	    (t < 0 ? -t : t) % 10);
}

static int
put_role(struct buf *b, const struct chart_prim *p)
{
	if (p->role == CR_SERIES)
		return buf_printf(b, "series%d", p->index);
	return buf_addstr(b, role_names[p->role]);
}

static int
put_flags(struct buf *b, unsigned flags)
{
	static const char *const names[] = {"dashed", "fill", "fade", "bold", "dotted", "clip"};
	int i, r = 0;

	for (i = 0; i < 6; i++)
		if (flags & (1u << i))
			r |= buf_printf(b, " %s", names[i]);
	return r;
}

int
chart_plan_dump(const struct chart_plan *pl, struct buf *b)
{
	static const char *const kinds[] = {"lines", "gantt", "steps", "bars"};
	static const char *const anchors[] = {"start", "middle", "end"};
	_Static_assert(sizeof kinds / sizeof kinds[0] == CHART_BARS + 1, "a name for every chart kind");
	char a[40], c[40];
	size_t i, j;
	int r = 0;

	time_fmt_utc(pl->t0, a, sizeof a);
	time_fmt_utc(pl->t1, c, sizeof c);
	r |= buf_printf(b, "chart %s %dx%d\nplot ", kinds[pl->kind], pl->width, pl->height);
	r |= put_num(b, pl->px);
	r |= buf_addc(b, ' ');
	r |= put_num(b, pl->py);
	r |= buf_addc(b, ' ');
	r |= put_num(b, pl->pw);
	r |= buf_addc(b, ' ');
	r |= put_num(b, pl->ph);
	r |= buf_printf(b, "\ntime %s %s step %" PRId64 "\nvalue %.6g %.6g step %.6g\n",
	    a, c, pl->tstep, pl->ylo, pl->yhi, pl->ystep);
	for (i = 0; i < pl->nprims && r == 0; i++) {
		const struct chart_prim *p = &pl->prims[i];

		switch (p->kind) {
		case CP_RECT:
			r |= buf_addstr(b, "rect ");
			r |= put_role(b, p);
			r |= put_flags(b, p->flags);
			r |= buf_addc(b, ' ');
			r |= put_num(b, p->x);
			r |= buf_addc(b, ' ');
			r |= put_num(b, p->y);
			r |= buf_addc(b, ' ');
			r |= put_num(b, p->w);
			r |= buf_addc(b, ' ');
			r |= put_num(b, p->h);
			break;
		case CP_LINE:
			r |= buf_addstr(b, "line ");
			r |= put_role(b, p);
			r |= put_flags(b, p->flags);
			r |= buf_addstr(b, " lw ");
			r |= put_num(b, p->lw);
			r |= buf_printf(b, " n %zu:", p->npts);
			for (j = 0; j < p->npts; j++) {
				r |= buf_addc(b, ' ');
				r |= put_num(b, p->xy[2 * j]);
				r |= buf_addc(b, ',');
				r |= put_num(b, p->xy[2 * j + 1]);
			}
			break;
		case CP_TEXT:
			r |= buf_addstr(b, "text ");
			r |= put_role(b, p);
			r |= put_flags(b, p->flags);
			r |= buf_printf(b, " %s ", anchors[p->anchor]);
			r |= put_num(b, p->x);
			r |= buf_addc(b, ' ');
			r |= put_num(b, p->y);
			r |= buf_addstr(b, " size ");
			r |= put_num(b, p->size);
			r |= buf_printf(b, " %s", diag_q(p->text, (size_t)-1));
			break;
		}
		r |= buf_addc(b, '\n');
	}
	return r ? -1 : 0;
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

				fmt_double_plain(num, sizeof num, s->series[i]->pts[pos[i]++].v);
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
			fmt_double_plain(num, sizeof num, v);
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
