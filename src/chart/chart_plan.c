/*
 * chart_plan.c — the plan itself: primitives added to it, text measured
 * and shortened without cairo (a table of DejaVu Sans advance widths), and
 * the plan dumped as stable text for tests. Owns every string and point
 * array in a plan; knows nothing about chart kinds.
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

void
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
void
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

void
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

void
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

int
chart_text_halo(enum chart_role role)
{
	return role == CR_LIMIT || role == CR_STAT || role == CR_BAND_TEXT ||
	    role == CR_REPLICA_BOUND;
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
	free(pl->title);
	free(pl->desc);
	free(pl);
}

/*
 * s shortened with "…" to fit maxw px, into dst; 0 when even "…" alone
 * does not fit (then dst is empty). Cuts on UTF-8 character boundaries.
 */
int
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

/* ---- the plan as text ---- */

static const char *const role_names[] = {
	"background", "title", "text", "muted", "grid", "axis", "limit", "band",
	"band-text", "series", "critical", "warning", "info", "pending",
	"replica-bound", "uncertain", "stat", "alert-band", "partial",
};
_Static_assert(sizeof role_names / sizeof role_names[0] == CR_PARTIAL + 1, "a name for every role");

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
	r |= buf_printf(b, "chart %s %dx%d\n", kinds[pl->kind], pl->width, pl->height);
	r |= buf_printf(b, "title %s\n", diag_q(pl->title ? pl->title : "", (size_t)-1));
	r |= buf_printf(b, "desc %s\nplot ", diag_q(pl->desc ? pl->desc : "", (size_t)-1));
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
