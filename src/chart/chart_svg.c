/*
 * chart_svg.c — a plan written as SVG by hand, not through cairo: cairo's
 * SVG surface turns every text into glyph outlines, which nobody can
 * search, select or have read aloud, and which weigh ten times more.
 * Texts here stay <text> in a font stack that starts with the DejaVu Sans
 * the layout measured; the document opens with <title> and <desc>. Every
 * string is escaped for XML and scrubbed to well-formed UTF-8 without
 * control characters. Numbers are written to 0.1 px, so the same plan
 * gives the same bytes. Owns nothing past one call; no cairo.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "chart/chart.h"
#include "chart/chart_int.h"
#include "util/utf8.h"

/* ---- the palette, shared with the cairo painter ---- */

/* Okabe & Ito (2008), without vermillion (the limit's) and with yellow last. */
static const unsigned series_hex[] = {
	0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0x000000, 0xF0E442,
};

void
chart_role_rgba(enum chart_role role, int index, double rgba[4])
{
	static const struct { unsigned hex; double a; } c[] = {
		[CR_BACKGROUND] = {0xFFFFFF, 1},
		[CR_TITLE] = {0x1B1B1B, 1},
		[CR_TEXT] = {0x3A3A3A, 1},
		[CR_MUTED] = {0x6E6E6E, 1},
		[CR_GRID] = {0xE8E8E8, 1},
		[CR_AXIS] = {0x9E9E9E, 1},
		[CR_LIMIT] = {0xD55E00, 1},
		[CR_BAND] = {0xD9A066, 0.22},
		[CR_BAND_TEXT] = {0x9A5B13, 1},
		[CR_SERIES] = {0x0072B2, 1},
		[CR_CRITICAL] = {0xD55E00, 1},
		[CR_WARNING] = {0xE69F00, 1},
		[CR_INFO] = {0x0072B2, 1},
		[CR_PENDING] = {0xB8B8B8, 1},
		[CR_REPLICA_BOUND] = {0x7A7A7A, 1},
		[CR_UNCERTAIN] = {0x0072B2, 0.12},
		[CR_STAT] = {0x1B1B1B, 1},
		[CR_ALERT_BAND] = {0xD55E00, 0.9},
		[CR_PARTIAL] = {0x9E9E9E, 0.18},
	};
	static const unsigned alert_hex[] = {0xD55E00, 0xE69F00, 0x0072B2};
	unsigned hex = c[role].hex;
	size_t k = (size_t)(index < 0 ? 0 : index);

	rgba[3] = c[role].a;
	if (role == CR_SERIES)
		hex = series_hex[k % (sizeof series_hex / sizeof series_hex[0])];
	else if (role == CR_ALERT_BAND)
		hex = alert_hex[k % 3];
	rgba[0] = (hex >> 16 & 0xff) / 255.0;
	rgba[1] = (hex >> 8 & 0xff) / 255.0;
	rgba[2] = (hex & 0xff) / 255.0;
}

/* ---- writing ---- */

struct w {
	struct buf	*b;
	int		 r;	/* -1 once the buffer is full */
};

static void
put(struct w *w, const char *s)
{
	w->r |= buf_addstr(w->b, s);
}

/* x to 0.1, never "-0" and no ".0" */
static void
num(struct w *w, double x)
{
	long long t = llround(x * 10), a = t < 0 ? -t : t;

	if (t == 0)
		w->r |= buf_addc(w->b, '0');
	else if (a % 10)
		w->r |= buf_printf(w->b, "%s%lld.%lld", t < 0 ? "-" : "", a / 10, a % 10);
	else
		w->r |= buf_printf(w->b, "%s%lld", t < 0 ? "-" : "", a / 10);
}

static void
attr_num(struct w *w, const char *name, double x)
{
	w->r |= buf_printf(w->b, " %s=\"", name);
	num(w, x);
	put(w, "\"");
}

/*
 * Text content or an attribute value: & < > " ' escaped, ill-formed UTF-8
 * and characters XML 1.0 forbids (C0 controls, U+FFFE/U+FFFF) or that
 * would act on the reader (C1 controls) become U+FFFD.
 */
static void
esc(struct w *w, const char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);

		if (cp == '&')
			put(w, "&amp;");
		else if (cp == '<')
			put(w, "&lt;");
		else if (cp == '>')
			put(w, "&gt;");
		else if (cp == '"')
			put(w, "&quot;");
		else if (cp == '\'')
			put(w, "&#39;");
		else if (cp == '\t' || cp == '\n')
			put(w, " ");
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xfffe || cp == 0xffff ||
		    cp == UTF8_REPLACEMENT)
			put(w, "\xef\xbf\xbd");
		else
			w->r |= buf_add(w->b, s + i, k);
		i += k;
	}
}

static void
colour(struct w *w, const char *attr, enum chart_role role, int index)
{
	double c[4];

	chart_role_rgba(role, index, c);
	w->r |= buf_printf(w->b, " %s=\"#%02X%02X%02X\"", attr, (unsigned)lround(c[0] * 255),
	    (unsigned)lround(c[1] * 255), (unsigned)lround(c[2] * 255));
	if (c[3] < 1)
		w->r |= buf_printf(w->b, " %s-opacity=\"%.2f\"", attr, c[3]);
}

/* Grid and axis lines of width 1 land on pixel centres, as the PNG's do. */
static double
crisp(double v)
{
	return floor(v) + 0.5;
}

static void
svg_rect(struct w *w, const struct chart_prim *p, int *nfade)
{
	if (p->flags & CPF_FADE) {
		double c[4];

		/* Open-ended: solid, then fading over its last 40 %. */
		chart_role_rgba(p->role, p->index, c);
		w->r |= buf_printf(w->b, "<linearGradient id=\"fade%d\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">"
		    "<stop offset=\"0.6\" stop-color=\"#%02X%02X%02X\"/>"
		    "<stop offset=\"1\" stop-color=\"#%02X%02X%02X\" stop-opacity=\"0.15\"/>"
		    "</linearGradient>\n", *nfade,
		    (unsigned)lround(c[0] * 255), (unsigned)lround(c[1] * 255), (unsigned)lround(c[2] * 255),
		    (unsigned)lround(c[0] * 255), (unsigned)lround(c[1] * 255), (unsigned)lround(c[2] * 255));
	}
	put(w, "<rect");
	attr_num(w, "x", p->x);
	attr_num(w, "y", p->y);
	attr_num(w, "width", p->w);
	attr_num(w, "height", p->h);
	if (p->flags & CPF_FADE)
		w->r |= buf_printf(w->b, " fill=\"url(#fade%d)\"", (*nfade)++);
	else
		colour(w, "fill", p->role, p->index);
	put(w, "/>\n");
	if (p->role == CR_UNCERTAIN || p->role == CR_PARTIAL) {
		put(w, "<rect");
		attr_num(w, "x", p->x);
		attr_num(w, "y", p->y);
		attr_num(w, "width", p->w);
		attr_num(w, "height", p->h);
		w->r |= buf_printf(w->b, " fill=\"url(#hatch-%s)\"/>\n",
		    p->role == CR_UNCERTAIN ? "uncertain" : "partial");
	}
}

static void
svg_line(struct w *w, const struct chart_prim *p)
{
	int snap = (p->role == CR_GRID || p->role == CR_AXIS) && p->lw <= 1;
	size_t i;

	if (p->npts == 0)
		return;
	if (p->npts == 1) {
		put(w, "<circle");
		attr_num(w, "cx", p->xy[0]);
		attr_num(w, "cy", p->xy[1]);
		attr_num(w, "r", p->lw * 1.2);
		colour(w, "fill", p->role, p->index);
	} else {
		put(w, (p->flags & CPF_FILL) ? "<polygon points=\"" : "<polyline points=\"");
		for (i = 0; i < p->npts; i++) {
			double x = p->xy[2 * i], y = p->xy[2 * i + 1];

			if (snap) {
				x = crisp(x);
				y = crisp(y);
			}
			if (i)
				put(w, " ");
			num(w, x);
			put(w, ",");
			num(w, y);
		}
		put(w, "\"");
		if (p->flags & CPF_FILL) {
			colour(w, "fill", p->role, p->index);
		} else {
			put(w, " fill=\"none\"");
			colour(w, "stroke", p->role, p->index);
			attr_num(w, "stroke-width", p->lw);
			put(w, " stroke-linejoin=\"round\"");
			if (p->flags & CPF_DASHED)
				put(w, " stroke-dasharray=\"7 4\"");
			else if (p->flags & CPF_DOTTED)
				put(w, " stroke-dasharray=\"0.5 3.5\" stroke-linecap=\"round\"");
		}
	}
	if (p->flags & CPF_CLIP)
		put(w, " clip-path=\"url(#plot)\"");
	put(w, "/>\n");
}

static void
svg_text(struct w *w, const struct chart_prim *p)
{
	static const char *const anchor[] = {NULL, "middle", "end"};

	put(w, "<text");
	attr_num(w, "x", p->x);
	attr_num(w, "y", p->y);
	if (p->size != TEXT_SIZE)
		attr_num(w, "font-size", p->size);
	if (p->flags & CPF_BOLD)
		put(w, " font-weight=\"bold\"");
	if (anchor[p->anchor])
		w->r |= buf_printf(w->b, " text-anchor=\"%s\"", anchor[p->anchor]);
	colour(w, "fill", p->role, p->index);
	if (chart_text_halo(p->role))
		put(w, " stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
	put(w, ">");
	esc(w, p->text);
	put(w, "</text>\n");
}

int
chart_svg(const struct chart_plan *pl, struct buf *out)
{
	struct w w = {out, 0};
	size_t i;
	int nfade = 0;

	w.r |= buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\">\n", pl->width, pl->height, pl->width, pl->height);
	put(&w, "<title>");
	esc(&w, pl->title);
	put(&w, "</title>\n<desc>");
	esc(&w, pl->desc);
	put(&w, "</desc>\n<defs>\n<clipPath id=\"plot\"><rect");
	attr_num(&w, "x", pl->px - 2);
	attr_num(&w, "y", pl->py - 2);
	attr_num(&w, "width", pl->pw + 4);
	attr_num(&w, "height", pl->ph + 4);
	put(&w, "/></clipPath>\n"
	    "<pattern id=\"hatch-uncertain\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" "
	    "stroke=\"#0072B2\" stroke-opacity=\"0.45\" stroke-width=\"1\"/></pattern>\n"
	    "<pattern id=\"hatch-partial\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" "
	    "stroke=\"#6E6E6E\" stroke-opacity=\"0.45\" stroke-width=\"1\"/></pattern>\n"
	    "</defs>\n"
	    "<g font-family=\"'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif\" font-size=\"11\">\n");
	for (i = 0; i < pl->nprims && w.r == 0; i++) {
		const struct chart_prim *p = &pl->prims[i];

		switch (p->kind) {
		case CP_RECT:
			svg_rect(&w, p, &nfade);
			break;
		case CP_LINE:
			svg_line(&w, p);
			break;
		case CP_TEXT:
			svg_text(&w, p);
			break;
		}
	}
	put(&w, "</g>\n</svg>\n");
	return w.r ? -1 : 0;
}
