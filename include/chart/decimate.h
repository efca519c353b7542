/*
 * decimate.h — M4 decimation of a time series for drawing: per pixel
 * column, the first, the lowest, the highest and the last point, in time
 * order. A polyline through these covers, in every column, exactly the
 * pixels the polyline through all points covers (the points inside a
 * column span [min, max]; the segments joining columns start and end at
 * the same first and last points), so a million points cost what the
 * width costs. No memory is allocated; the caller owns the points.
 */
#ifndef DECIMATE_H
#define DECIMATE_H

#include <stddef.h>

#include "model/run.h"

/* One pixel column being gathered. Zero it (or m4_init) before the first point. */
struct m4 {
	long		col;
	size_t		cnt;
	struct point	first, last, mn, mx;
};

void	m4_init(struct m4 *);
/*
 * Adds p, which falls in pixel column col; columns come in order. When col
 * is not the column being gathered, that column's points are first written
 * to out (at most 4) and their number returned; else 0.
 */
size_t	m4_add(struct m4 *, long col, const struct point *p, struct point out[4]);
/* Writes the column being gathered to out (at most 4 points, time order) and empties it. */
size_t	m4_flush(struct m4 *, struct point out[4]);
/*
 * A whole series at once: points in time order, column of t is
 * floor((t - t0) * scale). Writes at most 4 points per column to out
 * (room for 4 * columns, or n) and returns their number.
 */
size_t	m4_decimate(const struct point *pts, size_t n, int64_t t0, double scale,
	    struct point *out);

#endif
