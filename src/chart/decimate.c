/*
 * decimate.c — M4 decimation (first, min, max, last per pixel column) for
 * chart polylines; see decimate.h for why the picture does not change.
 * Depends on the model's struct point only; layout calls it, paint never.
 */
#include <math.h>
#include <string.h>

#include "chart/decimate.h"

void
m4_init(struct m4 *m)
{
	memset(m, 0, sizeof *m);
	m->col = -1;
}

size_t
m4_flush(struct m4 *m, struct point out[4])
{
	const struct point *c[4];
	size_t n = 0, i, j;

	if (m->cnt == 0)
		return 0;
	/* first, then min and max in the order they came, then last; each once. */
	c[0] = &m->first;
	if (m->mn.t <= m->mx.t) {
		c[1] = &m->mn;
		c[2] = &m->mx;
	} else {
		c[1] = &m->mx;
		c[2] = &m->mn;
	}
	c[3] = &m->last;
	for (i = 0; i < 4; i++) {
		for (j = 0; j < n; j++)
			if (out[j].t == c[i]->t && out[j].v == c[i]->v)
				break;
		if (j == n)
			out[n++] = *c[i];
	}
	m->cnt = 0;
	return n;
}

size_t
m4_add(struct m4 *m, long col, const struct point *p, struct point out[4])
{
	size_t n = 0;

	if (m->cnt > 0 && col != m->col)
		n = m4_flush(m, out);
	if (m->cnt == 0) {
		m->col = col;
		m->first = m->last = m->mn = m->mx = *p;
	} else {
		/* Ties keep the earliest: the same choice every time. */
		if (p->v < m->mn.v)
			m->mn = *p;
		if (p->v > m->mx.v)
			m->mx = *p;
		m->last = *p;
	}
	m->cnt++;
	return n;
}

size_t
m4_decimate(const struct point *pts, size_t n, int64_t t0, double scale, struct point *out)
{
	struct m4 m;
	size_t i, k = 0;

	m4_init(&m);
	for (i = 0; i < n; i++)
		k += m4_add(&m, (long)floor((double)(pts[i].t - t0) * scale), &pts[i], out + k);
	return k + m4_flush(&m, out + k);
}
