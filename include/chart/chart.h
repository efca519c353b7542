/*
 * chart.h — charts as layout then paint (rrdtool's model). chart_layout
 * turns a spec (pointers into a run, which the caller keeps alive) into a
 * plan: pure geometry — rectangles, polylines and texts in pixels, with
 * colour roles instead of colours — that owns all of its memory and no
 * longer points into the spec. chart_paint draws a plan with cairo;
 * chart_plan_dump prints it as stable text, which is what tests compare.
 *
 * Coordinates are pixels from the top-left corner; a text's y is its
 * baseline. Times are ms UTC; display_offset shifts only the labels.
 */
#ifndef CHART_H
#define CHART_H

#include <stddef.h>
#include <stdint.h>

#include "model/units.h"

struct buf;
struct series;
struct alert_interval;
struct scale_event;
struct hpa_state;

enum chart_kind {
	CHART_LINES,	/* time series, with an SLO limit line */
	CHART_GANTT,	/* alert firing windows, one row each */
	CHART_STEPS,	/* one HPA's current and desired replicas */
	CHART_BARS	/* values per category and group: P95 per channel, run vs fault */
};

/* A fault window (or any named span) shaded across the plot. */
struct chart_band {
	const char	*label;
	int64_t		 start, end;	/* ms UTC; end > start */
};

struct chart_spec {
	enum chart_kind	 kind;
	const char	*title;		/* NULL: none */
	const char	*desc;		/* the SVG's <desc>, for screen readers; NULL: from the header and legend */
	const char	*subtitle;	/* NULL: the date and zone of the time axis */
	int		 width, height;	/* px; 0: 960, and 400 (GANTT: grows with the rows) */
	int		 display_offset; /* minutes east of UTC for time labels (+210: Tehran) */
	const char	*zone_label;	/* the subtitle's zone, "Asia/Tehran, UTC+03:30"; NULL: from the offset */

	/* LINES */
	const struct series *const *series;
	const char *const *labels;	/* legend names, parallel to series; NULL: series names */
	size_t		 nseries;
	int		 have_limit;
	double		 limit;		/* in the first series' unit */
	const char	*limit_label;	/* NULL: "limit < 1.5 s" */
	int64_t		 limit_t0, limit_t1; /* where the rule applies (during:F); both 0: everywhere */
	/*
	 * LINES: the statistic the rule compares when it is not each point (a
	 * whole-run P95, an error rate over a fault window), drawn as a solid
	 * line over stat_t0..stat_t1 (both 0: the whole axis) and labelled
	 * "stat_label value", so a window above the limit is not read as a breach.
	 */
	int		 have_stat;
	double		 stat;
	int64_t		 stat_t0, stat_t1;
	const char	*stat_label;	/* "P95 during upstream-latency" */
	/*
	 * LINES: the last point stands for the window [partial_t0, partial_t1)
	 * but the data ends at partial_end: the window is drawn and marked.
	 */
	int		 have_partial;
	int64_t		 partial_t0, partial_t1, partial_end;

	/*
	 * GANTT: one row per alert; LINES: firing windows as bands under the
	 * fault shading. Always-firing alerts (Watchdog) are left out.
	 */
	const struct alert_interval *alerts;
	size_t		 nalerts;

	/* STEPS: the events and states of the HPA named hpa (NULL: the only one there is) */
	const struct scale_event *events;
	size_t		 nevents;
	const struct hpa_state *states;
	size_t		 nstates;
	const char	*hpa;

	/* BARS: values[c * ngroups + g] of category c, group g (NAN: none), in bar_unit */
	const char *const *categories;
	size_t		 ncategories;
	const char *const *groups;
	size_t		 ngroups;
	const double	*values;
	enum unit	 bar_unit;

	const struct chart_band *bands;
	size_t		 nbands;
	int64_t		 t0, t1;	/* the time axis; both 0: from the data and the bands */
	int64_t		 capture_end;	/* where open-ended alerts and steps end; 0: t1 */
};

/* Colour roles: the painter owns the palette (Okabe–Ito for data). */
enum chart_role {
	CR_BACKGROUND,
	CR_TITLE,
	CR_TEXT,	/* tick labels, legend */
	CR_MUTED,	/* subtitle, notes */
	CR_GRID,
	CR_AXIS,
	CR_LIMIT,	/* the SLO limit: dashed, strong */
	CR_BAND,	/* a fault window: translucent grey-orange */
	CR_BAND_TEXT,
	CR_SERIES,	/* data; the primitive's index picks the colour */
	CR_CRITICAL,	/* alert bars by severity */
	CR_WARNING,
	CR_INFO,
	CR_PENDING,
	CR_REPLICA_BOUND, /* HPA min/max replicas */
	CR_UNCERTAIN,	/* an approximate time: hatched */
	CR_STAT,	/* the statistic a rule compares: solid, dark */
	CR_ALERT_BAND,	/* an alert firing on a series chart; index 0 critical, 1 warning, 2 other */
	CR_PARTIAL	/* the part of a window with no data (the run ended): hatched grey */
};

enum chart_anchor { CA_START, CA_MIDDLE, CA_END };

enum chart_prim_kind {
	CP_RECT,	/* filled x, y, w, h */
	CP_LINE,	/* polyline of npts points (1 point: a dot) */
	CP_TEXT		/* text at x, y (baseline) */
};

#define CPF_DASHED	0x01	/* line: dashed */
#define CPF_FILL	0x02	/* line: closed and filled (markers, arrows) */
#define CPF_FADE	0x04	/* rect: fades out over its right part (open-ended) */
#define CPF_BOLD	0x08	/* text */
#define CPF_DOTTED	0x10	/* line: dotted */
#define CPF_CLIP	0x20	/* data: clipped to the plot area */

struct chart_prim {
	enum chart_prim_kind kind;
	enum chart_role	 role;
	int		 index;		/* CR_SERIES: which series colour; else 0 */
	unsigned	 flags;
	double		 x, y, w, h;	/* rect; text's anchor point */
	double		 lw;		/* line width */
	double		 size;		/* text: font size, px */
	enum chart_anchor anchor;
	char		*text;
	double		*xy;		/* line: x0 y0 x1 y1 ... */
	size_t		 npts;
};

struct chart_plan {
	enum chart_kind	 kind;
	char		*title;		/* SVG <title>; never NULL ("" when none) */
	char		*desc;		/* SVG <desc>; never NULL */
	int		 width, height;
	double		 px, py, pw, ph;	/* the plot area */
	int64_t		 t0, t1, tstep;		/* time axis and its tick step */
	double		 ylo, yhi, ystep;	/* value axis and its tick step */
	struct chart_prim *prims;		/* in painting order */
	size_t		 nprims, capprims;
};

/*
 * Lays out a chart. 0 with *out set (free it with chart_plan_free), or -1
 * after a diagnostic (no data in range, no such HPA, a bad spec).
 */
int	chart_layout(const struct chart_spec *, struct chart_plan **out);
void	chart_plan_free(struct chart_plan *);
/*
 * Stable text, one primitive per line, coordinates rounded to 0.1 px:
 * what tests compare. 0, or -1 when out is full.
 */
int	chart_plan_dump(const struct chart_plan *, struct buf *out);

enum chart_format { CHART_PNG, CHART_SVG };
/*
 * Paints plan as PNG (cairo) or SVG into out. The SVG is written from the
 * plan itself: texts stay <text> (searchable, selectable, read aloud),
 * with <title> and <desc>. The same plan gives the same bytes. 0, or -1
 * after a diagnostic (cairo failed, out is full).
 */
int	chart_paint(const struct chart_plan *, enum chart_format, struct buf *out);

/*
 * Frees cairo's process-wide font caches, so leak checkers see a clean
 * exit. Call once, after the last chart_paint; painting again is allowed.
 */
void	chart_paint_release(void);

/*
 * The data a chart plots, as CSV. LINES: time_utc,<series>...; GANTT:
 * alert,labels,start,end; STEPS: time_utc,current,desired. 0, or -1 after
 * a diagnostic.
 */
int	chart_csv(const struct chart_spec *, struct buf *out);

/* The colour of a role (index: which series or severity) as sRGB 0..1 and alpha. */
void	chart_role_rgba(enum chart_role, int index, double rgba[4]);

/* Writes plan as a standalone SVG document into out (chart_svg.c). 0, or -1 when out is full. */
int	chart_svg(const struct chart_plan *, struct buf *out);

/* Whether texts of this role sit over data and get a white halo (limit, statistic, band names). */
int	chart_text_halo(enum chart_role);

/*
 * Approximate advance width in px of UTF-8 text in DejaVu Sans at size px
 * (bold or not), so that layout can avoid collisions without cairo.
 */
double	chart_text_width(const char *s, double size, int bold);

#endif
