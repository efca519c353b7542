/*
 * out_compare.c — renders a comparison: aligned text (column widths in
 * UTF-8 code points, like out_table.c) and Markdown. Owns nothing.
 * Depends on compare.h, units, buf; never on an importer.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "eval/compare.h"
#include "out/out_compare.h"
#include "model/units.h"
#include "util/utf8.h"
#include "util/termsafe.h"

#define NCOL 8

static void
value(char *dst, size_t n, int have, double v, enum unit u)
{
	if (have)
		unit_fmt(dst, n, v, u);
	else
		snprintf(dst, n, "-");
}

/* The cells of one row: name, stat or verdicts, base, new, delta, change, worse, result. */
static void
fill(char cell[NCOL][1200], const struct cmp_row *r)
{
	char tmp[64];

	term_safe(r->name, (size_t)-1, cell[0], 1200);
	if (r->is_slo && r->have_verdicts && r->base_verdict != r->new_verdict)
		snprintf(cell[1], 1200, "%s → %s", verdict_str(r->base_verdict),
		    verdict_str(r->new_verdict));
	else if (r->is_slo && r->result == CMP_GONE)
		snprintf(cell[1], 1200, "%s → -", verdict_str(r->base_verdict));
	else if (r->is_slo)
		snprintf(cell[1], 1200, "%s", verdict_str(r->new_verdict));
	else
		snprintf(cell[1], 1200, "%s", r->stat);
	value(cell[2], 1200, r->have_base, r->base, r->unit);
	value(cell[3], 1200, r->have_new, r->cur, r->unit);
	if (r->have_base && r->have_new) {
		unit_fmt(tmp, sizeof tmp, fabs(r->delta), r->unit);
		snprintf(cell[4], 1200, "%s%s", r->delta > 0 ? "+" : r->delta < 0 ? "-" : "±", tmp);
	} else {
		snprintf(cell[4], 1200, "-");
	}
	if (r->have_pct && r->delta == 0)
		snprintf(cell[5], 1200, "0 %%");
	else if (r->have_pct)
		snprintf(cell[5], 1200, "%+.1f %%", r->pct * 100);
	else if (r->have_base && r->have_new && r->delta != 0)
		snprintf(cell[5], 1200, "from 0");
	else
		snprintf(cell[5], 1200, "-");
	snprintf(cell[6], 1200, "%s", compare_dir_str(r->worse));
	if (r->result == CMP_REGRESSION)
		snprintf(cell[7], 1200, "REGRESSION%s", r->verdict_worse ? " (verdict)" : "");
	else
		snprintf(cell[7], 1200, "%s", compare_result_str(r->result));
}

static int
heading(struct buf *out, const struct cmp_report *c, int md)
{
	size_t i;
	int rc = 0;

	if (c->nbases == 1)
		rc |= buf_printf(out, md ? "Base **%s**, new **%s**" : "base %s, new %s", c->bases[0], c->cur);
	else {
		rc |= buf_printf(out, md ? "Base: the median of %zu bundles (" : "base: the median of %zu bundles (",
		    c->nbases);
		for (i = 0; i < c->nbases; i++)
			rc |= buf_printf(out, "%s%s", i ? ", " : "", c->bases[i]);
		rc |= buf_printf(out, md ? "), new **%s**" : "), new %s", c->cur);
	}
	rc |= buf_printf(out, "; noise floor %g %% and at least 1 ms, 0.1 point of a ratio, 1 kB\n",
	    c->noise * 100);
	return rc;
}

/* What comes before everything: bundles not alike; the baseline auto picked and skipped. */
static int
preamble(struct buf *out, const struct cmp_report *c, int md)
{
	size_t i, npicked = 0;
	int rc = 0;

	if (c->not_alike)
		rc |= buf_printf(out, md ? "**Not alike: %s.** Differences below may come from "
		    "that, not from a regression.\n\n" : "NOT ALIKE: %s. Differences below may "
		    "come from that, not from a regression.\n\n", c->not_alike);
	if (c->npicks == 0)
		return rc;
	for (i = 0; i < c->npicks; i++)
		npicked += c->picks[i].picked;
	rc |= buf_printf(out, "baseline auto: %zu comparable earlier bundle%s of this drill\n",
	    npicked, npicked == 1 ? "" : "s");
	for (i = 0; i < c->npicks; i++)
		rc |= buf_printf(out, md ? "- %s %s%s%s\n" : "  %s %s%s%s\n",
		    c->picks[i].picked ? "picked " : "skipped", c->picks[i].label,
		    c->picks[i].why ? ": " : "", c->picks[i].why ? c->picks[i].why : "");
	if (c->nother)
		rc |= buf_printf(out, md ? "- %zu bundle%s of other drills not considered\n" :
		    "  %zu bundle%s of other drills not considered\n", c->nother,
		    c->nother == 1 ? "" : "s");
	rc |= buf_addc(out, '\n');
	return rc;
}

static int
closing(struct buf *out, const struct cmp_report *c)
{
	size_t i, k = 0;
	int rc = 0;

	if (c->nregressions == 0)
		return buf_printf(out, "no regressions past the %g %% noise floor\n", c->noise * 100);
	rc |= buf_printf(out, "%zu regression%s: ", c->nregressions, c->nregressions == 1 ? "" : "s");
	for (i = 0; i < c->nrows; i++)
		if (c->rows[i].result == CMP_REGRESSION)
			rc |= buf_printf(out, "%s%s%s%s", k++ ? ", " : "", c->rows[i].name,
			    c->rows[i].is_slo ? "" : " ", c->rows[i].is_slo ? "" : c->rows[i].stat);
	rc |= buf_addc(out, '\n');
	return rc;
}

static int
table(struct buf *out, const struct cmp_report *c, int slos, int color)
{
	const char *head[NCOL] = {slos ? "SLO" : "METRIC", slos ? "VERDICT" : "STAT", "BASE", "NEW",
	    "DELTA", "CHANGE", "WORSE", "RESULT"};
	char cell[NCOL][1200];
	size_t w[NCOL], i, k, n = 0;
	int rc = 0;

	for (k = 0; k < NCOL; k++)
		w[k] = utf8_width(head[k]);
	for (i = 0; i < c->nrows; i++) {
		if (c->rows[i].is_slo != slos)
			continue;
		n++;
		fill(cell, &c->rows[i]);
		for (k = 0; k < NCOL; k++)
			if (utf8_width(cell[k]) > w[k])
				w[k] = utf8_width(cell[k]);
	}
	if (n == 0)
		return buf_printf(out, slos ? "no SLOs to compare\n" : "no metrics to compare\n");
	for (k = 0; k < NCOL; k++)
		rc |= buf_printf(out, k + 1 < NCOL ? "%s%*s" : "%s\n", head[k],
		    (int)(w[k] - utf8_width(head[k]) + 2), "");
	for (i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];

		if (r->is_slo != slos)
			continue;
		fill(cell, r);
		for (k = 0; k < NCOL; k++) {
			if (k == NCOL - 1 && color && r->result == CMP_REGRESSION)
				rc |= buf_printf(out, "\033[1;31m%s\033[0m", cell[k]);
			else if (k == NCOL - 1 && color && r->result == CMP_BETTER)
				rc |= buf_printf(out, "\033[32m%s\033[0m", cell[k]);
			else
				rc |= buf_addstr(out, cell[k]);
			if (k + 1 < NCOL)
				rc |= buf_printf(out, "%*s", (int)(w[k] - utf8_width(cell[k]) + 2), "");
		}
		rc |= buf_addc(out, '\n');
	}
	return rc;
}

int
out_compare_text(struct buf *out, const struct cmp_report *c, int color)
{
	int rc = preamble(out, c, 0);

	rc |= heading(out, c, 0);

	rc |= buf_addc(out, '\n');
	rc |= table(out, c, 1, color);
	rc |= buf_addc(out, '\n');
	rc |= table(out, c, 0, color);
	rc |= buf_addc(out, '\n');
	rc |= closing(out, c);
	return rc ? -1 : 0;
}

/* A table cell: no line breaks, pipes and Markdown's active characters escaped. */
static int
md_cell(struct buf *out, const char *s)
{
	int rc = 0;

	for (; *s; s++) {
		if (*s == '\n' || *s == '\r')
			rc |= buf_addc(out, ' ');
		else if (strchr("|\\`*_[]<>#", *s))
			rc |= buf_printf(out, "\\%c", *s);
		else
			rc |= buf_addc(out, *s);
	}
	return rc;
}

static int
md_table(struct buf *out, const struct cmp_report *c, int slos)
{
	static const char *const align[NCOL] = {"---", "---", "---:", "---:", "---:", "---:", "---",
	    "---"};
	const char *head[NCOL] = {slos ? "SLO" : "Metric", slos ? "Verdict" : "Stat", "Base", "New",
	    "Delta", "Change", "Worse", "Result"};
	char cell[NCOL][1200];
	size_t i, k;
	int rc = 0;

	for (k = 0; k < NCOL; k++)
		rc |= buf_printf(out, "| %s ", head[k]);
	rc |= buf_addstr(out, "|\n");
	for (k = 0; k < NCOL; k++)
		rc |= buf_printf(out, "| %s ", align[k]);
	rc |= buf_addstr(out, "|\n");
	for (i = 0; i < c->nrows; i++) {
		if (c->rows[i].is_slo != slos)
			continue;
		fill(cell, &c->rows[i]);
		for (k = 0; k < NCOL; k++) {
			rc |= buf_addstr(out, k == NCOL - 1 && c->rows[i].result == CMP_REGRESSION ?
			    "| **" : "| ");
			rc |= md_cell(out, cell[k]);
			rc |= buf_addstr(out, k == NCOL - 1 && c->rows[i].result == CMP_REGRESSION ?
			    "** " : " ");
		}
		rc |= buf_addstr(out, "|\n");
	}
	return rc;
}

int
out_compare_md(struct buf *out, const struct cmp_report *c)
{
	int rc = buf_printf(out, "# Comparison: %s\n\n", c->cur);

	rc |= preamble(out, c, 1);
	rc |= heading(out, c, 1);
	rc |= buf_addstr(out, "\n## SLOs\n\n");
	rc |= md_table(out, c, 1);
	rc |= buf_addstr(out, "\n## Key metrics\n\n");
	rc |= md_table(out, c, 0);
	rc |= buf_addc(out, '\n');
	rc |= closing(out, c);
	return rc ? -1 : 0;
}
