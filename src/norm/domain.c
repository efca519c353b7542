/*
 * domain.c — the domain check of every imported value (norm/domain.h).
 * Owns nothing.
 */
#include <math.h>
#include <string.h>

#include "util/diag.h"
#include "norm/domain.h"

static const char *
path_of(const struct run *run, const struct origin *o)
{
	if (o->src < 0 || (size_t)o->src >= run->nsources || run->sources[o->src].path == NULL)
		return NULL;
	return run->sources[o->src].path;
}

static int
is_count(const char *stat)
{
	return strcmp(stat, "count") == 0 || strcmp(stat, "passes") == 0 ||
	    strcmp(stat, "fails") == 0;
}

/* A value stat of a time trend: avg min med max p(N). */
static int
is_time_stat(const struct summary *s, const char *stat)
{
	return s->unit_known && s->unit == UNIT_MS && !is_count(stat) && strcmp(stat, "rate") != 0;
}

int
norm_domain(const struct run *run)
{
	size_t i, k;
	int bad = 0;

	for (i = 0; i < run->nsummaries; i++) {
		const struct summary *s = &run->summaries[i];

		for (k = 0; k < s->nstats; k++) {
			const struct stat_value *st = &s->stats[k];
			const char *why = NULL;

			if (!isfinite(st->v))
				why = "is not a finite number";
			else if (strcmp(st->name, "rate") == 0 && s->type == MT_RATE &&
			    (st->v < 0 || st->v > 1))
				why = "is a rate outside 0..1";
			else if (is_count(st->name) && st->v < 0)
				why = "is a negative count";
			else if (s->type == MT_COUNTER && strcmp(st->name, "value") == 0 && st->v < 0)
				why = "is a negative count";
			else if (is_time_stat(s, st->name) && st->v < 0)
				why = "is a negative time";
			if (why == NULL)
				continue;
			diag_error(path_of(run, &s->origin), s->origin.line, s->origin.col,
			    "%s %s %.17g %s; not a value k6 can have measured, so the input is refused",
			    s->name, st->name, st->v, why);
			bad = 1;
			break;
		}
	}
	for (i = 0; i < run->nseries; i++) {
		const struct series *se = &run->series[i];

		if (!se->unit_known || se->unit != UNIT_MS)
			continue;
		for (k = 0; k < se->npts; k++)
			if (se->pts[k].v < 0) {
				diag_error(path_of(run, &se->origin), se->lines ? (long)se->lines[k] :
				    se->origin.line, 0, "%s: %.17g ms is a negative time; the input is "
				    "refused", se->name, se->pts[k].v);
				bad = 1;
				break;
			}
	}
	return bad ? -1 : 0;
}
