/*
 * units.c — the unit rule (norm/units.h, docs/slo.md "Units"). Owns
 * nothing; the evaluator calls it for every rule that compares a value
 * with a limit, so k6, Grafana and Prometheus evidence are read the same.
 */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "util/strnum.h"
#include "norm/units.h"

static const char *
source_path(const struct run *run, const struct origin *o)
{
	if (o->src < 0 || (size_t)o->src >= run->nsources || run->sources[o->src].path == NULL)
		return "the evidence";
	return run->sources[o->src].path;
}

struct unit_evidence
unit_of_series(const struct run *run, const struct series *se)
{
	struct unit_evidence e;

	e.known = se->unit_known;
	e.unit = se->unit;
	e.scale = se->unit_scale > 0 ? se->unit_scale : 1;
	e.mixed = se->unit_mixed;
	e.where = source_path(run, &se->origin);
	return e;
}

struct unit_evidence
unit_of_stat(const struct run *run, const struct summary *s, const char *stat, int known)
{
	struct unit_evidence e;

	e.known = known;
	e.unit = summary_stat_unit(s, stat);
	e.scale = e.unit == s->unit && s->unit_scale > 0 ? s->unit_scale : 1;
	e.mixed = 0;
	e.where = source_path(run, &s->origin);
	return e;
}

static const char *
kind_word(enum unit u)
{
	switch (u) {
	case UNIT_MS:
		return "a duration";
	case UNIT_RATIO:
		return "a ratio";
	case UNIT_BYTES:
		return "a size";
	case UNIT_PER_S:
	case UNIT_BYTES_PER_S:
		return "a rate per second";
	case UNIT_NONE:
	default:
		return "a plain number";
	}
}

int
unit_rule(const struct slo_set *set, const struct slo_rule *r, const struct unit_evidence *ev,
    double x, struct value_units *out)
{
	const char *file = r->file ? r->file : set->path;
	double scale;

	out->x = x;
	out->factor = 1;
	out->unit = ev->unit;
	scale = ev->scale > 0 ? ev->scale : 1;
	if (ev->known) {
		if (r->have_unit && (r->metric_unit != ev->unit ||
		    (!ev->mixed && r->metric_scale != scale)) && r->metric_unit != UNIT_NONE)
			diag_warning(file, r->line, r->col,
			    "SLO %s: `unit:` says %s but %s says %s; the evidence wins",
			    diag_q(r->name, (size_t)-1), unit_word_of(r->metric_unit, r->metric_scale),
			    ev->where, unit_word_of(ev->unit, scale));
		if (ev->mixed) {
			if (r->have_unit && r->metric_unit == ev->unit) {
				scale = r->metric_scale;
			} else if (r->limit_unit == UNIT_NONE && ev->unit != UNIT_NONE) {
				diag_error(file, r->line, r->col,
				    "SLO %s: the cells of %s in %s write several units (ms and s), so the "
				    "plain limit %s could be either; write it with a unit (%s%s) or add "
				    "`unit:` to the rule", diag_q(r->name, (size_t)-1), r->metric,
				    ev->where, r->limit_text, r->limit_text,
				    unit_word_of(ev->unit, 1));
				return -1;
			}
		}
	} else if (r->have_unit) {
		out->factor = r->metric_scale;
		out->x = x * r->metric_scale;
		out->unit = r->metric_unit;
		scale = r->metric_scale;
	} else if (r->limit_unit != UNIT_NONE) {
		diag_error(file, r->line, r->col,
		    "SLO %s: the limit %s has a unit, but %s does not say what unit "
		    "%s is in; add `unit: ms` (or s, %%, ...) to the rule or to the evidence "
		    "entry, or write the limit as a plain number", diag_q(r->name, (size_t)-1),
		    r->limit_text, ev->where, r->metric);
		return -1;
	} else {
		out->unit = UNIT_NONE;
	}
	if (out->unit == UNIT_NONE)
		scale = 1;
	out->scale = scale;
	out->word = unit_word_of(out->unit, scale);
	if (r->limit_unit == UNIT_NONE) {
		/* A plain limit is in the unit of the values (rule 2). */
		out->limit = r->limit * scale;
		out->warn = r->warn * scale;
	} else {
		out->limit = r->limit;
		out->warn = r->warn;
		if (r->limit_unit != out->unit) {
			diag_error(file, r->line, r->col,
			    "SLO %s: the limit %s is %s, but %s in %s is %s",
			    diag_q(r->name, (size_t)-1), r->limit_text, kind_word(r->limit_unit),
			    r->metric, ev->where, kind_word(out->unit));
			return -1;
		}
	}
	return 0;
}

void
unit_tell(char *dst, size_t n, double v, const struct value_units *vu)
{
	char num[64];

	if (vu->unit == UNIT_RATIO || vu->unit == UNIT_NONE || vu->unit == UNIT_PER_S ||
	    vu->unit == UNIT_BYTES_PER_S || vu->scale <= 0 || vu->scale == 1) {
		/* canonical: milliseconds read best as ms below a second, s above */
		unit_fmt(dst, n, v, vu->unit);
		return;
	}
	fmt_sig(num, sizeof num, v / vu->scale, 4);
	snprintf(dst, n, "%s %s", num, vu->word);
}
