/*
 * chart_int.h — what the chart modules share and nobody else uses: the
 * plan builders (chart_plan.c), the frame every kind is laid out in
 * (chart_frame.c) and the autoscaler pick (chart_csv.c). Not part of the
 * chart interface; only src/chart/ includes it.
 */
#ifndef CHART_INT_H
#define CHART_INT_H

#include <stddef.h>
#include <stdint.h>

#include "chart/chart.h"
#include "model/units.h"

#define MARGIN		16.0
#define TITLE_SIZE	16.0
#define TEXT_SIZE	11.0
#define SMALL_SIZE	10.0
#define MIN_SPAN	60000	/* ms: a chart of one instant still gets a minute */
#define DAY_MS		86400000

/* ---- chart_plan.c: primitives; strings and point arrays are copied or owned ---- */

void	add_rect(struct chart_plan *, enum chart_role, int index, unsigned flags,
	    double x, double y, double w, double h);
/* Takes ownership of xy (npts points). */
void	add_line(struct chart_plan *, enum chart_role, int index, unsigned flags,
	    double lw, double *xy, size_t npts);
void	add_seg(struct chart_plan *, enum chart_role, unsigned flags, double lw,
	    double x0, double y0, double x1, double y1);
void	add_text(struct chart_plan *, enum chart_role, unsigned flags, double x,
	    double y, enum chart_anchor, double size, const char *s);
/*
 * s shortened with "…" to fit maxw px, into dst; 0 when even "…" alone
 * does not fit (then dst is empty). Cuts on UTF-8 character boundaries.
 */
int	ellipsize(const char *s, double maxw, double size, int bold, char *dst, size_t n);

/* ---- chart_frame.c ---- */

struct frame {
	struct chart_plan *pl;
	const struct chart_spec *spec;
	int64_t	 t0, t1;
	double	 px, py, pw, ph;
	double	 ylo, yhi;
	double	 header;	/* y below the title, subtitle and legend */
};

static inline double
tx(const struct frame *f, int64_t t)
{
	return f->px + (double)(t - f->t0) * f->pw / (double)(f->t1 - f->t0);
}

static inline double
vy(const struct frame *f, double v)
{
	return f->py + f->ph - (v - f->ylo) * f->ph / (f->yhi - f->ylo);
}

struct legend_item {
	const char	*label;
	enum chart_role	 role;
	int		 index;
	unsigned	 flags;	/* of the swatch line; CPF_FILL: a square */
};

int64_t	floor_div(int64_t a, int64_t b);
/*
 * A value axis with 1/2/5×10ⁿ ticks covering [lo, hi] with some headroom
 * above hi, at most want intervals. integer: steps of at least 1.
 */
void	nice_axis(double lo, double hi, int want, int integer, double *alo, double *ahi,
	    double *astep);
/* A value tick's label, in the one unit of an axis whose largest magnitude is top. */
void	axis_label(char *dst, size_t n, double v, enum unit, double top);
/* Title and subtitle, top left; returns the y below them. */
double	layout_header(struct frame *);
/* Legend items left to right from x = left, wrapping; returns the y below. */
double	layout_legend(struct frame *, double left, double y, const struct legend_item *,
	    size_t n);
void	layout_time_axis(struct frame *);
void	layout_value_axis(struct frame *, double step, enum unit);
void	layout_band_rects(struct frame *);
void	layout_band_labels(struct frame *);
void	bands_extent(const struct chart_spec *, int64_t *lo, int64_t *hi, int *have);
/*
 * The plot below the legend (top y), with a value axis over [vlo, vhi]
 * (integer: whole-number steps); returns the axis step.
 */
double	frame_place(struct frame *, double y, double vlo, double vhi, int integer,
	    enum unit);
struct chart_plan *plan_new(const struct chart_spec *, int default_height);
int	check_size(const struct chart_spec *);
/* The time axis of a Gantt or step chart from the data's [*lo, *hi]. */
void	time_span(const struct chart_spec *, int64_t *lo, int64_t *hi, int *have);

/* ---- chart_bars.c ---- */

int	layout_bars(const struct chart_spec *, struct chart_plan **out);

/* ---- chart_csv.c ---- */

struct stepv {
	int64_t	t;
	int	v;
	size_t	order;	/* ties keep input order */
};

int	cmp_stepv(const void *, const void *);
const char *series_label(const struct chart_spec *, size_t i);
/* The HPA to chart: spec->hpa, or the only one there is; NULL after a diagnostic. */
const char *pick_hpa(const struct chart_spec *);

#endif
