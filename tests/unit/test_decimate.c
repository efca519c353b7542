/*
 * test_decimate.c — M4 decimation (src/chart/decimate.c): the polyline
 * through the decimated points covers, in every pixel column, exactly the
 * vertical extent that the polyline through every point covers, for a
 * million noisy points with spikes, plateaus and ties; and it is small.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "chart/decimate.h"

/*
 * The vertical extent [lo, hi] that a polyline covers within each pixel
 * column [c, c + 1) of x = (t - t0) * scale: every segment is clipped to
 * each column it crosses. Columns it never reaches keep lo > hi.
 */
static void
extent(const struct point *p, size_t n, int64_t t0, double scale, double *lo, double *hi,
    size_t ncols)
{
	size_t i, c;
	double xa, xb, ya, yb, x0, x1, y0, y1;

	for (c = 0; c < ncols; c++) {
		lo[c] = INFINITY;
		hi[c] = -INFINITY;
	}
	for (i = 0; i < n; i++) {
		xa = (double)(p[i].t - t0) * scale;
		ya = p[i].v;
		xb = i + 1 < n ? (double)(p[i + 1].t - t0) * scale : xa;
		yb = i + 1 < n ? p[i + 1].v : ya;
		for (c = (size_t)floor(xa); c <= (size_t)floor(xb) && c < ncols; c++) {
			x0 = xa > (double)c ? xa : (double)c;
			x1 = xb < (double)(c + 1) ? xb : (double)(c + 1);
			if (x1 < x0)
				x1 = x0;
			y0 = xb > xa ? ya + (yb - ya) * (x0 - xa) / (xb - xa) : ya;
			y1 = xb > xa ? ya + (yb - ya) * (x1 - xa) / (xb - xa) : yb;
			lo[c] = fmin(lo[c], fmin(y0, y1));
			hi[c] = fmax(hi[c], fmax(y0, y1));
		}
	}
}

static void
same_picture(const struct point *p, size_t n, int64_t t0, double scale, size_t ncols,
    const char *what)
{
	struct point *d = malloc(n * sizeof *d);
	double *lo1 = malloc(ncols * sizeof *lo1), *hi1 = malloc(ncols * sizeof *hi1);
	double *lo2 = malloc(ncols * sizeof *lo2), *hi2 = malloc(ncols * sizeof *hi2);
	size_t k, c, bad = 0, ordered = 1;
	char msg[200];

	k = m4_decimate(p, n, t0, scale, d);
	extent(p, n, t0, scale, lo1, hi1, ncols);
	extent(d, k, t0, scale, lo2, hi2, ncols);
	for (c = 0; c < ncols; c++)
		bad += lo1[c] != lo2[c] || hi1[c] != hi2[c];
	for (c = 1; c < k; c++)
		ordered &= d[c - 1].t <= d[c].t;
	snprintf(msg, sizeof msg, "%s: every pixel column's extent equals the full polyline's", what);
	T_EQ_INT(bad, 0, msg);
	snprintf(msg, sizeof msg, "%s: at most 4 points per column, in time order", what);
	T_OK(k <= 4 * ncols && ordered, msg);
	free(d);
	free(lo1);
	free(hi1);
	free(lo2);
	free(hi2);
}

int
main(void)
{
	size_t n = 1000000, i, ncols = 900;
	struct point *p = malloc(n * sizeof *p), out[4];
	unsigned x = 42;
	int64_t t0 = 1795824000000;
	double scale = (double)ncols / (double)(n * 10);
	struct m4 m;

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i].t = t0 + (int64_t)i * 10;
		p[i].v = 100 + (double)(x >> 16 & 63);
		if (i % 99991 == 0)
			p[i].v = 9000;		/* one-sample spikes */
		if (i > 500000 && i < 520000)
			p[i].v = 5;		/* a plateau: ties everywhere */
	}
	same_picture(p, n, t0, scale, ncols, "1M noisy points over 900 px");
	/* Sparse: fewer points than columns, each kept as it is. */
	same_picture(p, 500, t0, (double)ncols / (500 * 10), ncols, "500 points over 900 px");
	T_EQ_INT(m4_decimate(p, 500, t0, (double)ncols / (500 * 10), p + 600), 500,
	    "fewer points than columns: none dropped");
	/* A column of one point gives one point; of two, two. */
	m4_init(&m);
	T_EQ_INT(m4_add(&m, 0, &p[0], out), 0, "the first point starts a column");
	T_EQ_INT(m4_flush(&m, out), 1, "a column of one point gives that point");
	T_EQ_INT(m4_flush(&m, out), 0, "an emptied column gives nothing");
	free(p);
	return t_done();
}
