/*
 * chart_bars.c — the bar chart: one row per category (a channel), one bar
 * per group in it (the whole run, outside faults, each fault), the value
 * at each bar's end and the SLO limit as a dashed vertical line. Pure
 * geometry into a plan; no cairo.
 */
#include <math.h>
#include <string.h>

#include "chart/chart.h"
#include "chart/chart_int.h"
#include "util/diag.h"
#include "model/units.h"

/*
 * Horizontal bars, one row per category (a channel), one bar per group
 * in it (the whole run, then each fault), with the value at the bar's end
 * and the SLO limit as a dashed vertical line.
 */
int
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
		axis_label(t, sizeof t, v, s->bar_unit, hi);
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
