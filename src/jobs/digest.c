/*
 * digest.c — builds the digest's template model from bundle summaries and
 * renders templates/digest.md. Recovery trends come from SLOs of kind
 * "recovers" (summary.json says which), never from their wording. Depends
 * on in_bundle, tmpl, units, eval; must not depend on any other renderer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "jobs/digest.h"
#include "in/in_bundle.h"
#include "out/tmpl.h"
#include "util/timeutil.h"
#include "model/units.h"
#include "util/xalloc.h"

const char *const digest_keys[] = {
	"since", "until", "range", "summary", "links_note", "count", "failed", "warned", "passed",
	"drills.date", "drills.title", "drills.slug", "drills.environment", "drills.verdict",
	"drills.ok", "drills.tally", "drills.report", "drills.rerun_of", "reruns",
	"problems.date", "problems.drill", "problems.name", "problems.verdict", "problems.observed",
	"problems.limit", "problems.message", "problems.report",
	"recovery.name", "recovery.first", "recovery.last", "recovery.change",
	"recovery.runs.date", "recovery.runs.drill", "recovery.runs.observed", "recovery.runs.limit",
	"recovery.runs.verdict", "recovery.runs.report",
	"trends.drill", "trends.environment", "trends.name", "trends.chart", "trends.runs",
	"trends.first", "trends.last", "trends.range", "trends.shift",
	"followups.id", "followups.title", "followups.owner", "followups.due", "followups.link",
	"followups.drill", "followups.date", "followups.report",
	NULL
};

/* Durations of recovery, alert and scaling SLOs read as 2m05s, as in the bundles. */
static void
value_text(const struct bsum_slo *s, double v, char *dst, size_t n)
{
	if (s->kind != SLO_METRIC && s->unit == UNIT_MS)
		time_fmt_span((int64_t)v, dst, n);
	else
		unit_fmt(dst, n, v, s->unit);
}

static void
limit_text(const struct bsum_slo *s, char *dst, size_t n)
{
	char lim[64];

	value_text(s, s->limit, lim, sizeof lim);
	if (s->kind == SLO_METRIC)
		snprintf(dst, n, "%s %s", cmp_op_str(s->op), lim);
	else
		snprintf(dst, n, "within %s", lim);
}

static void
observed_text(const struct bsum_slo *s, char *dst, size_t n)
{
	if (s->have_observed)
		value_text(s, s->observed, dst, n);
	else
		snprintf(dst, n, "-");
}

static void
set_report(struct tctx *tc, struct tval *m, const struct digest_opts *o, const struct bsum *b)
{
	tv_set_strf(tc, m, "report", "%s%s/%s/report.md", o->link_prefix, b->date, b->slug);
}

struct fu {
	const struct bsum_followup	*f;
	const struct bsum		*b;
};

static int
by_due(const void *x, const void *y)
{
	const struct fu *a = x, *b = y;
	int c;

	/* Undated ones last; then by ticket. */
	if ((a->f->due == NULL) != (b->f->due == NULL))
		return a->f->due == NULL ? 1 : -1;
	if (a->f->due && (c = strcmp(a->f->due, b->f->due)) != 0)
		return c;
	return strcmp(a->f->id, b->f->id);
}

static void
followups(struct tctx *tc, struct tval *root, const struct bsum *b, size_t n,
    const struct digest_opts *o)
{
	struct fu *v = NULL;
	size_t len = 0, cap = 0, i, k, j;
	struct tval *list = tv_set_list(tc, root, "followups"), *m;

	/* A ticket named by several drills is listed once, from the latest drill. */
	for (i = n; i-- > 0;)
		for (k = 0; k < b[i].nfollowups; k++) {
			int seen = 0;

			for (j = 0; j < len && !seen; j++)
				seen = strcmp(v[j].f->id, b[i].followups[k].id) == 0;
			if (!seen) {
				struct fu *f = VEC_PUSH(v, len, cap);

				f->f = &b[i].followups[k];
				f->b = &b[i];
			}
		}
	if (len)
		qsort(v, len, sizeof *v, by_due);
	for (i = 0; i < len; i++) {
		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "id", v[i].f->id);
		tv_set_str(tc, m, "title", v[i].f->title ? v[i].f->title : "");
		tv_set_str(tc, m, "owner", v[i].f->owner);
		tv_set_str(tc, m, "due", v[i].f->due);
		tv_set_str(tc, m, "link", v[i].f->link);
		tv_set_str(tc, m, "drill", v[i].b->title);
		tv_set_str(tc, m, "date", v[i].b->date);
		set_report(tc, m, o, v[i].b);
	}
	free(v);
}

/* One trend per recovers SLO name, its runs in date order. */
static void
recovery(struct tctx *tc, struct tval *root, const struct bsum *b, size_t n,
    const struct digest_opts *o)
{
	struct tval *list = tv_set_list(tc, root, "recovery"), *m, *runs, *r;
	const char **names = NULL;
	size_t nn = 0, cap = 0, i, k, j;

	for (i = 0; i < n; i++)
		for (k = 0; k < b[i].nslos; k++) {
			int seen = 0;

			if (b[i].slos[k].kind != SLO_RECOVERS)
				continue;
			for (j = 0; j < nn && !seen; j++)
				seen = strcmp(names[j], b[i].slos[k].name) == 0;
			if (!seen)
				*VEC_PUSH(names, nn, cap) = b[i].slos[k].name;
		}
	for (j = 0; j < nn; j++) {
		const struct bsum_slo *first = NULL, *last = NULL;
		char t[64], u[64];

		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "name", names[j]);
		runs = tv_set_list(tc, m, "runs");
		for (i = 0; i < n; i++) {
			const struct bsum_slo *s = bsum_find_slo(&b[i], names[j]);

			if (s == NULL || s->kind != SLO_RECOVERS)
				continue;
			r = tv_push_map(tc, runs);
			tv_set_str(tc, r, "date", b[i].date);
			tv_set_str(tc, r, "drill", b[i].title);
			observed_text(s, t, sizeof t);
			tv_set_str(tc, r, "observed", t);
			limit_text(s, t, sizeof t);
			tv_set_str(tc, r, "limit", t);
			tv_set_str(tc, r, "verdict", verdict_str(s->verdict));
			set_report(tc, r, o, &b[i]);
			if (s->have_observed) {
				first = first ? first : s;
				last = s;
			}
		}
		if (first) {
			observed_text(first, t, sizeof t);
			tv_set_str(tc, m, "first", t);
			observed_text(last, u, sizeof u);
			tv_set_str(tc, m, "last", u);
			if (first != last && first->observed != 0)
				tv_set_strf(tc, m, "change", "%+.0f %%",
				    (last->observed - first->observed) / first->observed * 100);
		}
	}
	free(names);
}

int
digest_render(const struct bsum *b, size_t n, const struct digest_opts *o, struct buf *out)
{
	struct tctx tc;
	struct tval *root, *drills, *problems, *m;
	struct tmpl *t;
	size_t i, k, nfail = 0, nwarn = 0, nrerun = 0, j, nall;
	char tally[128];
	char obs[64], lim[96];
	int rc;

	tctx_init(&tc);
	root = tv_map(&tc);
	tv_set_str(&tc, root, "since", o->since);
	tv_set_str(&tc, root, "until", o->until);
	if (o->until)
		tv_set_strf(&tc, root, "range", "%s to %s", o->since, o->until);
	else
		tv_set_strf(&tc, root, "range", "since %s", o->since);
	tv_set_str(&tc, root, "links_note", o->link_base ? NULL : o->links_from_file ?
	    "Links are relative to this file." :
	    "Links are relative to the bundle folder (ROOT): save this file there, or follow them from it.");
	drills = tv_set_list(&tc, root, "drills");
	problems = tv_set_list(&tc, root, "problems");
	for (i = 0; i < n; i++) {
		/* The same evidence bundled again: listed as a re-run, not counted as a drill. */
		for (j = 0; j < i; j++)
			if (b[i].evidence && b[i].evidence[0] != '\0' && b[j].evidence &&
			    strcmp(b[j].evidence, b[i].evidence) == 0)
				break;
		if (j < i) {
			m = tv_push_map(&tc, drills);
			tv_set_str(&tc, m, "date", b[i].date);
			tv_set_str(&tc, m, "title", b[i].title);
			tv_set_str(&tc, m, "slug", b[i].slug);
			tv_set_str(&tc, m, "environment", b[i].environment ? b[i].environment : "");
			tv_set_str(&tc, m, "verdict", verdict_str(b[i].verdict));
			tv_set_bool(&tc, m, "ok", b[i].verdict != V_FAIL);
			tv_set_strf(&tc, m, "tally", "%lld pass, %lld warn, %lld fail, %lld nodata",
			    b[i].tally[V_PASS], b[i].tally[V_WARN], b[i].tally[V_FAIL], b[i].tally[V_NODATA]);
			tv_set_strf(&tc, m, "rerun_of", "%s/%s", b[j].date, b[j].slug);
			set_report(&tc, m, o, &b[i]);
			nrerun++;
			continue;
		}
		m = tv_push_map(&tc, drills);
		tv_set_str(&tc, m, "date", b[i].date);
		tv_set_str(&tc, m, "title", b[i].title);
		tv_set_str(&tc, m, "slug", b[i].slug);
		tv_set_str(&tc, m, "environment", b[i].environment ? b[i].environment : "");
		tv_set_str(&tc, m, "verdict", verdict_str(b[i].verdict));
		tv_set_bool(&tc, m, "ok", b[i].verdict != V_FAIL);
		verdict_tally_text(tally, sizeof tally, b[i].tally);
		tv_set_str(&tc, m, "tally", tally);
		set_report(&tc, m, o, &b[i]);
		nfail += b[i].verdict == V_FAIL;
		nwarn += b[i].verdict == V_WARN;
		for (k = 0; k < b[i].nslos; k++) {
			const struct bsum_slo *s = &b[i].slos[k];

			if (s->verdict == V_PASS)
				continue;
			m = tv_push_map(&tc, problems);
			tv_set_str(&tc, m, "date", b[i].date);
			tv_set_str(&tc, m, "drill", b[i].title);
			tv_set_str(&tc, m, "name", s->name);
			tv_set_str(&tc, m, "verdict", verdict_str(s->verdict));
			observed_text(s, obs, sizeof obs);
			tv_set_str(&tc, m, "observed", obs);
			limit_text(s, lim, sizeof lim);
			tv_set_str(&tc, m, "limit", lim);
			tv_set_str(&tc, m, "message", s->message);
			set_report(&tc, m, o, &b[i]);
		}
	}
	nall = n;
	n -= nrerun;
	tv_set_strf(&tc, root, "count", "%zu", n);
	tv_set_strf(&tc, root, "failed", "%zu", nfail);
	tv_set_strf(&tc, root, "warned", "%zu", nwarn);
	tv_set_strf(&tc, root, "passed", "%zu", n - nfail - nwarn);
	tv_set_strf(&tc, root, "reruns", "%zu", nrerun);
	if (n == 0)
		tv_set_str(&tc, root, "summary", "No drills were bundled in this period.");
	else
		tv_set_strf(&tc, root, "summary", "%zu drill%s: %zu failed, %zu passed with warnings, "
		    "%zu passed.%s", n, n == 1 ? "" : "s", nfail, nwarn, n - nfail - nwarn,
		    nrerun == 0 ? "" : nrerun == 1 ? " One re-run of the same evidence is not counted." :
		    " Re-runs of the same evidence are not counted.");
	recovery(&tc, root, b, nall, o);
	digest_trends(&tc, root, b, nall);
	followups(&tc, root, b, nall, o);
	rc = tmpl_load(&t, o->templates, "digest.md", TMPL_MARKDOWN);
	if (rc == 0) {
		rc = tmpl_check(t, digest_keys);
		tmpl_set_link_base(t, o->link_base);
		if (rc == 0 && tmpl_render(t, root, out) == -1) {
			diag_syserr("digest.md", "rendered document is too large");
			rc = -1;
		}
		tmpl_free(t);
	}
	tctx_release(&tc);
	return rc;
}
