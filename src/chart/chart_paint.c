/*
 * chart_paint.c — the thin cairo layer under chart_layout: it paints a
 * plan's primitives in order, turning colour roles into the palette
 * (chart_role_rgba), and writes PNG through cairo's stream callback into
 * a struct buf; SVG is chart_svg's, written from the plan without cairo.
 * It owns nothing past one call and decides no geometry beyond centring
 * text on real glyph widths. The only file that includes <cairo.h>.
 */
#include <cairo.h>

#include "chart/cairo_dl.h"
#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "util/buf.h"
#include "chart/chart.h"
#include "util/diag.h"

struct rgba {
	double r, g, b, a;
};

static struct rgba
role_colour(enum chart_role role, int index)
{
	double c[4];

	chart_role_rgba(role, index, c);
	return (struct rgba){c[0], c[1], c[2], c[3]};
}

static void
set_colour(cairo_t *cr, struct rgba c)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

static cairo_status_t
write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_add(closure, data, len) == -1 ? CAIRO_STATUS_WRITE_ERROR :
	    CAIRO_STATUS_SUCCESS;
}

/* Grid and axis lines of width 1 land on pixel centres, so they stay crisp. */
static double
crisp(double v)
{
	return floor(v) + 0.5;
}

static void
paint_rect(cairo_t *cr, const struct chart_prim *p)
{
	struct rgba c = role_colour(p->role, p->index);

	if (p->flags & CPF_FADE) {
		/* Open-ended: solid, then fading over its last 40 %. */
		cairo_pattern_t *g = cairo_pattern_create_linear(p->x, 0, p->x + p->w, 0);

		cairo_pattern_add_color_stop_rgba(g, 0, c.r, c.g, c.b, c.a);
		cairo_pattern_add_color_stop_rgba(g, 0.6, c.r, c.g, c.b, c.a);
		cairo_pattern_add_color_stop_rgba(g, 1, c.r, c.g, c.b, c.a * 0.15);
		cairo_set_source(cr, g);
		cairo_rectangle(cr, p->x, p->y, p->w, p->h);
		cairo_fill(cr);
		cairo_pattern_destroy(g);
		return;
	}
	set_colour(cr, c);
	cairo_rectangle(cr, p->x, p->y, p->w, p->h);
	cairo_fill(cr);
	if (p->role == CR_UNCERTAIN || p->role == CR_PARTIAL) {
		double x;

		cairo_save(cr);
		cairo_rectangle(cr, p->x, p->y, p->w, p->h);
		cairo_clip(cr);
		cairo_set_source_rgba(cr, c.r, c.g, c.b, 0.45);
		cairo_set_line_width(cr, 1);
		for (x = p->x - p->h; x < p->x + p->w; x += 5) {
			cairo_move_to(cr, x, p->y + p->h);
			cairo_line_to(cr, x + p->h, p->y);
		}
		cairo_stroke(cr);
		cairo_restore(cr);
	}
}

static void
paint_line(cairo_t *cr, const struct chart_prim *p)
{
	static const double dash[] = {7, 4}, dot[] = {0.5, 3.5};
	int snap = (p->role == CR_GRID || p->role == CR_AXIS) && p->lw <= 1;
	size_t i;

	if (p->npts == 0)
		return;
	set_colour(cr, role_colour(p->role, p->index));
	if (p->npts == 1) {
		cairo_arc(cr, p->xy[0], p->xy[1], p->lw * 1.2, 0, 2 * M_PI);
		cairo_fill(cr);
		return;
	}
	for (i = 0; i < p->npts; i++) {
		double x = p->xy[2 * i], y = p->xy[2 * i + 1];

		if (snap) {
			x = crisp(x);
			y = crisp(y);
		}
		if (i == 0)
			cairo_move_to(cr, x, y);
		else
			cairo_line_to(cr, x, y);
	}
	if (p->flags & CPF_FILL) {
		cairo_close_path(cr);
		cairo_fill(cr);
		return;
	}
	cairo_set_line_width(cr, p->lw);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, (p->flags & CPF_DOTTED) ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
	if (p->flags & CPF_DASHED)
		cairo_set_dash(cr, dash, 2, 0);
	else if (p->flags & CPF_DOTTED)
		cairo_set_dash(cr, dot, 2, 0);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

static void
paint_text(cairo_t *cr, const struct chart_prim *p)
{
	cairo_text_extents_t e;
	double x = p->x;

	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	    (p->flags & CPF_BOLD) ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, p->size);
	if (p->anchor != CA_START) {
		cairo_text_extents(cr, p->text, &e);
		x -= p->anchor == CA_MIDDLE ? e.x_advance / 2 : e.x_advance;
	}
	if (chart_text_halo(p->role)) {
		/* A white halo keeps labels drawn over data readable. */
		cairo_move_to(cr, x, p->y);
		cairo_text_path(cr, p->text);
		set_colour(cr, role_colour(CR_BACKGROUND, 0));
		cairo_set_line_width(cr, 3);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_stroke(cr);
	}
	set_colour(cr, role_colour(p->role, p->index));
	cairo_move_to(cr, x, p->y);
	cairo_show_text(cr, p->text);
	cairo_new_path(cr);
}

static void
paint_all(cairo_t *cr, const struct chart_plan *pl)
{
	cairo_font_options_t *fo = cairo_font_options_create();
	size_t i;

	/* Metrics unhinted, as the layout's width table assumes. */
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	for (i = 0; i < pl->nprims; i++) {
		const struct chart_prim *p = &pl->prims[i];

		switch (p->kind) {
		case CP_RECT:
			paint_rect(cr, p);
			break;
		case CP_LINE:
			/* Data stays inside the plot even when a caller's range cuts it. */
			if (p->flags & CPF_CLIP) {
				cairo_save(cr);
				cairo_rectangle(cr, pl->px - 2, pl->py - 2, pl->pw + 4, pl->ph + 4);
				cairo_clip(cr);
				paint_line(cr, p);
				cairo_restore(cr);
			} else {
				paint_line(cr, p);
			}
			break;
		case CP_TEXT:
			paint_text(cr, p);
			break;
		}
	}
}

int
chart_paint(const struct chart_plan *pl, enum chart_format fmt, struct buf *out)
{
	cairo_surface_t *s;
	cairo_status_t st;
	cairo_t *cr;

	if (fmt == CHART_SVG) {
		if (chart_svg(pl, out) == -1) {
			diag_syserr(NULL, "chart too large for its output buffer");
			return -1;
		}
		return 0;
	}
	/* SVG needs no cairo: only a PNG loads it. */
	if (cairo_dl_load() == -1)
		return -1;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pl->width, pl->height);
	cr = cairo_create(s);
	paint_all(cr, pl);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(s, write_buf, out);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		if (st == CAIRO_STATUS_WRITE_ERROR)
			diag_syserr(NULL, "chart too large for its output buffer");
		else
			diag_syserr(NULL, "cannot draw the chart: %s", cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

void
chart_paint_release(void)
{
	/* Nothing to release when nothing was drawn (cairo never loaded). */
	if (dl_cairo_debug_reset_static_data != NULL)
		cairo_debug_reset_static_data();
}
