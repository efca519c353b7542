/*
 * out_prom.c — results.prom and results.om.txt (out_prom.h). One metric
 * family after another, each with HELP and TYPE, label values escaped as
 * the exposition formats say (\\, \", \n). Names follow Prometheus
 * conventions: base units (seconds, ratios, bytes), *_timestamp_seconds
 * for points in time, gauges only (a drill's result is a state, not a
 * count). Every series carries drill (the bundle's slug) and environment;
 * per-SLO series add slo and fault (the fault the rule is measured against,
 * "" when none). Depends on report, eval, units, strnum and buf only.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "out/out_prom.h"
#include "out/report.h"
#include "eval/eval.h"
#include "in/drill.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/strnum.h"

struct pw {
	const struct report	*rep;
	enum prom_format	 fmt;
	struct buf		*out;
	char			 ts[48];	/* " 1764324720.5" in OpenMetrics, else "" */
	int			 rc;
};

static void
esc(struct pw *w, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			w->rc |= buf_addstr(w->out, "\\\\");
		else if (*s == '"')
			w->rc |= buf_addstr(w->out, "\\\"");
		else if (*s == '\n')
			w->rc |= buf_addstr(w->out, "\\n");
		else
			w->rc |= buf_addc(w->out, *s);
	}
}

static void
family(struct pw *w, const char *name, const char *help)
{
	w->rc |= buf_printf(w->out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* name{drill="..",environment=".." then the caller's labels (k, v pairs, NULL-ended)} value */
static void
sample(struct pw *w, const char *name, double v, ...)
{
	const struct drill *d = w->rep->drill;
	const char *k, *lv;
	char num[40];
	va_list ap;

	w->rc |= buf_printf(w->out, "%s{drill=\"", name);
	esc(w, w->rep->slug);
	w->rc |= buf_addstr(w->out, "\",environment=\"");
	esc(w, d->environment ? d->environment : "");
	w->rc |= buf_addc(w->out, '"');
	va_start(ap, v);
	while ((k = va_arg(ap, const char *)) != NULL) {
		lv = va_arg(ap, const char *);
		w->rc |= buf_printf(w->out, ",%s=\"", k);
		esc(w, lv ? lv : "");
		w->rc |= buf_addc(w->out, '"');
	}
	va_end(ap);
	if (isnan(v))
		snprintf(num, sizeof num, "NaN");
	else if (isinf(v))
		snprintf(num, sizeof num, v > 0 ? "+Inf" : "-Inf");
	else
		fmt_double_plain(num, sizeof num, v);
	w->rc |= buf_printf(w->out, "} %s%s\n", num, w->ts);
}

/* Prometheus base units: durations in seconds, the rest as they are. */
static const char *
unit_label(enum unit u)
{
	switch (u) {
	case UNIT_MS:		return "seconds";
	case UNIT_RATIO:	return "ratio";
	case UNIT_BYTES:	return "bytes";
	case UNIT_PER_S:	return "per_second";
	case UNIT_BYTES_PER_S:	return "bytes_per_second";
	default:		return "";
	}
}

static double
base(double v, enum unit u)
{
	return u == UNIT_MS ? v / 1e3 : v;
}

static const char *
rule_fault(const struct slo_rule *r)
{
	if (r->fault)
		return r->fault;
	if (r->window_fault)
		return r->window_fault;
	return "";
}

static const struct fault *
find_fault(const struct report *rep, const char *name)
{
	const struct drill *d = rep->drill;
	size_t i;

	for (i = 0; name && *name && i < d->nfaults; i++)
		if (strcmp(d->faults[i].name, name) == 0)
			return &d->faults[i];
	return NULL;
}

int64_t
out_prom_time(const struct report *rep)
{
	const struct drill *d = rep->drill;
	int64_t t = 0;
	size_t i;

	for (i = 0; i < d->nfaults; i++)
		if (i == 0 || d->faults[i].end > t)
			t = d->faults[i].end;
	return d->nfaults ? t : rep->generated_at;
}

/* Per SLO, one family at a time (the formats want a family's samples together). */
enum fam { F_VERDICT, F_PASSED, F_OBSERVED, F_LIMIT, F_WARN, F_SAMPLES, F_FIRE, F_RESOLVE,
	F_RECOVER, F_SCALE, F_N };

static const struct {
	const char	*name, *help;
} fams[F_N] = {
	{ "sloproof_slo_verdict", "The SLO's verdict: 1 for the state it ended in (pass, warn, fail, nodata), 0 for the others." },
	{ "sloproof_slo_passed", "1 when the SLO passed or warned, 0 when it failed or had no data." },
	{ "sloproof_slo_observed", "The value the verdict was decided on, in the base unit of the unit label." },
	{ "sloproof_slo_limit", "The SLO's limit, in the base unit of the unit label." },
	{ "sloproof_slo_warn_limit", "The SLO's warning level, in the base unit of the unit label." },
	{ "sloproof_slo_samples", "How many samples stood behind the observed value." },
	{ "sloproof_slo_time_to_fire_seconds", "Alert rules: seconds from the fault's start until the alert fired." },
	{ "sloproof_slo_time_to_resolve_seconds", "Alert rules: seconds from the fault's end until the alert resolved." },
	{ "sloproof_slo_time_to_recover_seconds", "Recovery rules: seconds from the fault until the series was back on the healthy side for the hold." },
	{ "sloproof_slo_time_to_scale_seconds", "Autoscaler rules: seconds from the fault's start until the replica target was reached." },
};

static void
slo_family(struct pw *w, enum fam f)
{
	const struct verdicts *vs = w->rep->verdicts;
	static const enum verdict_state states[] = { V_PASS, V_WARN, V_FAIL, V_NODATA };
	const struct verdict *v;
	const struct slo_rule *r;
	const struct fault *flt;
	const char *u;
	size_t i, k;
	int any = 0;

	for (i = 0; i < vs->n; i++) {
		v = &vs->v[i];
		r = v->rule;
		u = unit_label(v->unit);
		flt = find_fault(w->rep, r->fault);
		if (!any) {
			/* A family with no sample is left out, HELP and TYPE too. */
			int has = f == F_VERDICT || f == F_PASSED ||
			    (f == F_OBSERVED && v->have_observed) ||
			    (f == F_LIMIT && r->kind == SLO_METRIC) ||
			    (f == F_WARN && v->have_warn) || (f == F_SAMPLES && v->have_samples) ||
			    (f == F_FIRE && r->kind == SLO_ALERT && v->have_event && flt && !r->must_not_fire) ||
			    (f == F_RESOLVE && r->kind == SLO_ALERT && v->have_event2 && flt) ||
			    (f == F_RECOVER && r->kind == SLO_RECOVERS && v->have_observed) ||
			    (f == F_SCALE && r->kind == SLO_HPA && v->have_observed);

			if (!has)
				continue;
			family(w, fams[f].name, fams[f].help);
			any = 1;
		}
		switch (f) {
		case F_VERDICT:
			for (k = 0; k < 4; k++)
				sample(w, fams[f].name, v->state == states[k] ? 1 : 0, "slo", r->name,
				    "fault", rule_fault(r), "verdict", verdict_str(states[k]), (char *)NULL);
			break;
		case F_PASSED:
			sample(w, fams[f].name, v->state == V_PASS || v->state == V_WARN ? 1 : 0,
			    "slo", r->name, "fault", rule_fault(r), (char *)NULL);
			break;
		case F_OBSERVED:
			if (v->have_observed)
				sample(w, fams[f].name, base(v->observed, v->unit), "slo", r->name,
				    "fault", rule_fault(r), "unit", u, (char *)NULL);
			break;
		case F_LIMIT:
			if (r->kind == SLO_METRIC)
				sample(w, fams[f].name, base(v->limit, v->unit), "slo", r->name,
				    "fault", rule_fault(r), "unit", u, (char *)NULL);
			break;
		case F_WARN:
			if (v->have_warn)
				sample(w, fams[f].name, base(v->warn, v->unit), "slo", r->name,
				    "fault", rule_fault(r), "unit", u, (char *)NULL);
			break;
		case F_SAMPLES:
			if (v->have_samples)
				sample(w, fams[f].name, (double)v->samples, "slo", r->name,
				    "fault", rule_fault(r), (char *)NULL);
			break;
		case F_FIRE:
			if (r->kind == SLO_ALERT && v->have_event && flt && !r->must_not_fire)
				sample(w, fams[f].name, (double)(v->event_t > flt->start ?
				    v->event_t - flt->start : 0) / 1e3, "slo", r->name, "fault",
				    rule_fault(r), (char *)NULL);
			break;
		case F_RESOLVE:
			if (r->kind == SLO_ALERT && v->have_event2 && flt)
				sample(w, fams[f].name, (double)(v->event2_t > flt->end ?
				    v->event2_t - flt->end : 0) / 1e3, "slo", r->name, "fault",
				    rule_fault(r), (char *)NULL);
			break;
		case F_RECOVER:
		case F_SCALE:
			if ((f == F_RECOVER ? r->kind == SLO_RECOVERS : r->kind == SLO_HPA) && v->have_observed)
				sample(w, fams[f].name, v->observed / 1e3, "slo", r->name, "fault",
				    rule_fault(r), (char *)NULL);
			break;
		default:
			break;
		}
	}
}

int
out_prom(const struct report *rep, enum prom_format fmt, struct buf *out)
{
	const struct drill *d = rep->drill;
	const struct verdicts *vs = rep->verdicts;
	static const enum verdict_state states[] = { V_PASS, V_WARN, V_FAIL, V_NODATA };
	struct pw w;
	char num[40];
	size_t i, k, n, before = out->len;
	int f;

	memset(&w, 0, sizeof w);
	w.rep = rep;
	w.fmt = fmt;
	w.out = out;
	if (fmt == PROM_OPENMETRICS) {
		fmt_double_plain(num, sizeof num, (double)out_prom_time(rep) / 1e3);
		snprintf(w.ts, sizeof w.ts, " %s", num);
	}
	/* OpenMetrics spells an info metric as its own type; the text format as a gauge. */
	if (fmt == PROM_OPENMETRICS)
		w.rc |= buf_addstr(out, "# HELP sloproof_drill The drill a bundle judged: its title and date.\n"
		    "# TYPE sloproof_drill info\n");
	else
		family(&w, "sloproof_drill_info", "The drill a bundle judged: its title and date; always 1.");
	sample(&w, "sloproof_drill_info", 1, "title", d->title, "date", rep->date, (char *)NULL);
	family(&w, "sloproof_drill_passed", "1 when every SLO of the drill passed or warned, else 0.");
	sample(&w, "sloproof_drill_passed", verdicts_ok(vs) ? 1 : 0, (char *)NULL);
	family(&w, "sloproof_drill_slos", "How many of the drill's SLOs ended in each verdict.");
	for (k = 0; k < 4; k++) {
		for (i = 0, n = 0; i < vs->n; i++)
			n += vs->v[i].state == states[k];
		sample(&w, "sloproof_drill_slos", (double)n, "verdict", verdict_str(states[k]), (char *)NULL);
	}
	family(&w, "sloproof_drill_generated_timestamp_seconds",
	    "When the bundle was made (SOURCE_DATE_EPOCH when set), seconds since the epoch.");
	sample(&w, "sloproof_drill_generated_timestamp_seconds", (double)rep->generated_at / 1e3, (char *)NULL);
	for (f = 0; f < F_N; f++)
		slo_family(&w, (enum fam)f);
	if (d->nfaults) {
		family(&w, "sloproof_fault_start_timestamp_seconds", "When the fault was injected, seconds since the epoch.");
		for (i = 0; i < d->nfaults; i++)
			sample(&w, "sloproof_fault_start_timestamp_seconds", (double)d->faults[i].start / 1e3,
			    "fault", d->faults[i].name, (char *)NULL);
		family(&w, "sloproof_fault_end_timestamp_seconds", "When the fault was removed, seconds since the epoch.");
		for (i = 0; i < d->nfaults; i++)
			sample(&w, "sloproof_fault_end_timestamp_seconds", (double)d->faults[i].end / 1e3,
			    "fault", d->faults[i].name, (char *)NULL);
		family(&w, "sloproof_fault_duration_seconds", "How long the fault lasted.");
		for (i = 0; i < d->nfaults; i++)
			sample(&w, "sloproof_fault_duration_seconds",
			    (double)(d->faults[i].end - d->faults[i].start) / 1e3,
			    "fault", d->faults[i].name, (char *)NULL);
	}
	if (fmt == PROM_OPENMETRICS)
		w.rc |= buf_addstr(out, "# EOF\n");
	if (w.rc) {
		out->len = before;
		diag_syserr(NULL, "results.prom is too large");
		return -1;
	}
	return 0;
}
