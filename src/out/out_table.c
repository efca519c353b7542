/*
 * out_table.c — the plain-text verdict table. Column widths count UTF-8
 * code points, not bytes, so check and rule names in any script line up.
 * Owns nothing. Depends on eval, run, units, buf.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "eval/eval.h"
#include "out/out_table.h"
#include "model/run.h"
#include "util/timeutil.h"
#include "model/units.h"
#include "util/utf8.h"
#include "util/termsafe.h"

#define NCOL 7

void
out_value_text(const struct verdict *v, double x, char *dst, size_t n)
{
	/* Times to recover, to alert and to scale read as durations: 2m05s. */
	if (v->rule->kind != SLO_METRIC && v->unit == UNIT_MS)
		time_fmt_span((int64_t)x, dst, n);
	else
		unit_fmt(dst, n, x, v->unit);
}

void
out_limit_text(const struct verdict *v, char *dst, size_t n)
{
	const struct slo_rule *r = v->rule;
	char lim[64];

	if (r->kind == SLO_METRIC && r->k6_form && !v->have_observed) {
		snprintf(dst, n, "%s", r->limit_text);
		return;
	}
	out_value_text(v, v->limit, lim, sizeof lim);
	if (r->relative) {
		char how[96];

		snprintf(how, sizeof how, r->rel_kind == REL_FACTOR ? "%s before" :
		    r->rel_kind == REL_OFFSET ? "before %s" : "%s", r->limit_text);
		if (v->have_observed)
			snprintf(dst, n, "%s %s (%s)", cmp_op_str(v->op), lim, how);
		else
			snprintf(dst, n, "%s", how);
	} else if (r->kind == SLO_RECOVERS || r->kind == SLO_HPA ||
	    (r->kind == SLO_ALERT && !r->must_not_fire))
		snprintf(dst, n, "within %s", lim);
	else if (r->kind == SLO_ALERT)
		snprintf(dst, n, "never fires");
	else
		snprintf(dst, n, "%s %s", cmp_op_str(v->op), lim);
}

void
out_evidence_text(const struct verdict *v, const struct run *run, char *dst, size_t n)
{
	if (v->evidence.src < 0 || (size_t)v->evidence.src >= run->nsources)
		snprintf(dst, n, "-");
	else if (v->evidence.line > 0)
		snprintf(dst, n, "%s:%ld", run->sources[v->evidence.src].path, v->evidence.line);
	else
		snprintf(dst, n, "%s", run->sources[v->evidence.src].path);
}

static const char *
k6_text(const struct verdict *v)
{
	if (v->k6 == NULL)
		return "-";
	if (!v->k6->have_result)
		return "n/a";
	return v->k6->passed ? "pass" : "fail";
}

int
out_tally(struct buf *out, const struct verdicts *vs)
{
	long long t[4];
	char text[128];

	verdicts_tally(vs, t);
	verdict_tally_text(text, sizeof text, t);
	return buf_addstr(out, text);
}

static void
fill_row(char cell[NCOL][1200], const struct verdict *v, const struct run *run)
{
	/* Names come from input: shown, never obeyed, by the terminal. */
	term_safe(v->rule->name, (size_t)-1, cell[0], 1200);
	snprintf(cell[1], 1200, "%s", verdict_str(v->state));
	if (v->have_observed)
		out_value_text(v, v->observed, cell[2], 1200);
	else
		snprintf(cell[2], 1200, "-");
	out_limit_text(v, cell[3], 1200);
	if (v->have_samples)
		snprintf(cell[4], 1200, "%lld", v->samples);
	else
		snprintf(cell[4], 1200, "-");
	snprintf(cell[5], 1200, "%s", k6_text(v));
	out_evidence_text(v, run, cell[6], 1200);
	{
		char tmp[1200];

		snprintf(tmp, sizeof tmp, "%s", cell[6]);
		term_safe(tmp, (size_t)-1, cell[6], 1200);
	}
}

int
out_table(struct buf *out, const struct verdicts *vs, const struct run *run, int color)
{
	static const char *const head[NCOL] = {
		"SLO", "VERDICT", "OBSERVED", "LIMIT", "SAMPLES", "K6", "EVIDENCE"
	};
	static const char *const colors[] = {"\033[32m", "\033[33m", "\033[1;31m", "\033[35m"};
	char cell[NCOL][1200];
	size_t w[NCOL], i, c;
	int rc = 0;

	for (c = 0; c < NCOL; c++)
		w[c] = utf8_width(head[c]);
	for (i = 0; i < vs->n; i++) {
		fill_row(cell, &vs->v[i], run);
		for (c = 0; c < NCOL; c++)
			if (utf8_width(cell[c]) > w[c])
				w[c] = utf8_width(cell[c]);
	}
	for (c = 0; c < NCOL; c++)
		rc |= buf_printf(out, c + 1 < NCOL ? "%s%*s" : "%s\n", head[c],
		    (int)(w[c] - utf8_width(head[c]) + 2), "");
	for (i = 0; i < vs->n; i++) {
		const struct verdict *v = &vs->v[i];

		fill_row(cell, v, run);
		for (c = 0; c < NCOL; c++) {
			if (c == 1 && color)
				rc |= buf_printf(out, "%s%s\033[0m", colors[v->state], cell[c]);
			else
				rc |= buf_addstr(out, cell[c]);
			if (c + 1 < NCOL)
				rc |= buf_printf(out, "%*s", (int)(w[c] - utf8_width(cell[c]) + 2), "");
		}
		rc |= buf_addc(out, '\n');
	}
	for (i = 0; i < vs->n; i++)
		if (vs->v[i].state != V_PASS) {
			rc |= buf_printf(out, "%s: ", verdict_str(vs->v[i].state));
			rc |= term_safe_buf(out, vs->v[i].rule->name, (size_t)-1);
			rc |= buf_addstr(out, ": ");
			rc |= term_safe_buf(out, vs->v[i].message, (size_t)-1);
			rc |= buf_addc(out, '\n');
		}
	if (vs->score.have) {
		char line[600];

		out_score_text(&vs->score, line, sizeof line);
		rc |= buf_printf(out, "score: %s\n", line);
	}
	return rc ? -1 : 0;
}

void
out_score_text(const struct score *s, char *dst, size_t n)
{
	size_t len;

	snprintf(dst, n, "%.1f/100", s->total);
	len = strlen(dst);
	if (s->policy && s->warn < s->pass)
		snprintf(dst + len, n - len, " (pass at %g, warn at %g): %s", s->pass, s->warn,
		    verdict_str(s->state));
	else if (s->policy)
		snprintf(dst + len, n - len, " (pass at %g): %s", s->pass, verdict_str(s->state));
	else
		snprintf(dst + len, n - len, " (no `score:` thresholds; every SLO must pass)");
	len = strlen(dst);
	if (s->nkey_failed == 1)
		snprintf(dst + len, n - len, "; key SLO \"%s\" failed", s->first_key_failed);
	else if (s->nkey_failed > 1)
		snprintf(dst + len, n - len, "; %zu key SLOs failed, the first \"%s\"",
		    s->nkey_failed, s->first_key_failed);
}
