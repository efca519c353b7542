/*
 * report.c — the values report templates see, built from a struct report.
 * Numbers are formatted here, once, the way people read them (1.742 s,
 * 0.62 %); templates only place and escape them. Every key is declared in
 * report_keys and documented in docs/templates.md. Depends on the model,
 * eval, tmpl's value tree and out_table's limit/evidence wording.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "in/drill.h"
#include "eval/eval.h"
#include "model/hist.h"
#include "out/out_table.h"
#include "out/report.h"
#include "model/run.h"
#include "in/slo.h"
#include "util/timeutil.h"
#include "util/termsafe.h"
#include "out/tmpl.h"
#include "model/units.h"
#include "util/tz.h"
#include "util/wallclock.h"
#include "util/version.h"
#include "util/xalloc.h"

const char *const report_keys[] = {
	/* the drill and the bundle */
	"title", "slug", "date", "environment", "timezone", "clock", "clock_utc", "links_absolute", "report_file",
	"file.report", "file.html", "file.timeline", "file.summary", "file.junit", "file.drill", "file.manifest",
	"file.ctrf", "file.prom", "file.om", "file.annotations",
	"generated_at", "version",
	"overall", "overall_icon", "overall_ok", "tally", "slo_file", "slo_files", "recheck", "notes",
	/* one item per SLO; problems, passed, timed, recoveries: subsets of them */
#define VERDICT_KEYS(l) l ".name", l ".verdict", l ".icon", l ".passed", l ".metric", \
	l ".stat", l ".observed", l ".limit", l ".samples", l ".k6", l ".evidence", \
	l ".evidence_file", l ".evidence_anchor", l ".message"
	VERDICT_KEYS("slos"), VERDICT_KEYS("problems"), VERDICT_KEYS("passed"),
	VERDICT_KEYS("not_met"), VERDICT_KEYS("warned"),
	VERDICT_KEYS("timed"), VERDICT_KEYS("recoveries"), "problems.covered",
#undef VERDICT_KEYS
	"bundle_path",
	/* rules that say what they are for (`description:`, an OpenSLO SLO's and its service's) */
	"objectives.name", "objectives.description",
	/* the score (eval/score.h): set only when the rules ask for one */
	"score", "score_headline", "score_rows.name", "score_rows.weight", "score_rows.key", "score_rows.verdict",
	"score_rows.points",
	"faults.name", "faults.script", "faults.start", "faults.end", "faults.duration",
	"interventions.at", "interventions.what",
	"thresholds.metric", "thresholds.expr", "thresholds.result", "thresholds.ours",
	"checks.group", "checks.name", "checks.passes", "checks.fails", "checks.rate",
	"followups.id", "followups.title", "followups.owner", "followups.due", "followups.link",
	"attachments.name", "attachments.file", "attachments.size", "attachments.sha256",
	"attachments.image",
	"inputs.file", "inputs.kind", "inputs.format", "inputs.tool_version", "inputs.size",
	"inputs.sha256",
	"channels.name", "channels.requests", "channels.p95", "channels.errors",
	"channels.has_outside", "channels.outside_p95", "channels.outside_errors",
	"channels.faults.fault", "channels.faults.p95", "channels.faults.errors",
	/* report_merge.c: runners of one k6 run, merged vs averaged */
	"merge_runners.name", "merge_runners.file", "merge_runners.requests", "merge_runners.p50",
	"merge_runners.p95", "merge_runners.p99", "merge_rows.stat", "merge_rows.merged",
	"merge_rows.averaged", "merge_rows.off", "merge_note", "merge_warning",
	"charts.svg", "charts.svg_file", "charts.caption", "charts.csv", "charts.png", "charts.name",
	"timeline.time", "timeline.utc", "timeline.local", "timeline.approx", "timeline.kind", "timeline.what",
	"timeline.evidence",
	NULL
};

/* index.md: the drills of one day. */
const char *const index_keys[] = {
	"date", "drills.title", "drills.slug", "drills.verdict", "drills.tally",
	"drills.environment", "drills.ok", "drills.rerun_of",
	NULL
};

static const char *
icon(enum verdict_state s)
{
	switch (s) {
	case V_PASS:
		return "\xe2\x9c\x85";		/* ✅ */
	case V_WARN:
		return "\xe2\x9a\xa0\xef\xb8\x8f";	/* ⚠️ */
	case V_FAIL:
		return "\xe2\x9d\x8c";		/* ❌ */
	case V_NODATA:
	default:
		return "\xe2\x9d\x94";		/* ❔ */
	}
}

const char *
report_overall(const struct report *rep)
{
	size_t i;
	int warn = 0;

	if (rep->verdicts->score.policy)
		return verdict_str(rep->verdicts->score.state);
	for (i = 0; i < rep->verdicts->n; i++) {
		if (rep->verdicts->v[i].state == V_FAIL || rep->verdicts->v[i].state == V_NODATA)
			return "fail";
		warn |= rep->verdicts->v[i].state == V_WARN;
	}
	return warn ? "warn" : "pass";
}

/* s contains word, ignoring ASCII case. */
static int
mentions(const char *s, const char *word)
{
	size_t n = word ? strlen(word) : 0;

	if (s == NULL || n == 0)
		return 0;
	for (; *s; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

/*
 * A follow-up that names the rule or its metric already is its action
 * item: the review does not list the same work a second time as "(new)".
 */
static int
followup_covers(const struct drill *d, const struct slo_rule *r)
{
	size_t i;

	for (i = 0; i < d->nfollowups; i++)
		if (mentions(d->followups[i].title, r->name) || mentions(d->followups[i].title, r->metric) ||
		    mentions(d->followups[i].title, r->sel.name))
			return 1;
	return 0;
}

/* A file that web views show only as a download: no #L anchor into it. */
static int
compressed(const char *path)
{
	static const char *const ext[] = {".gz", ".zst", ".bz2", ".xz", ".zip", NULL};
	size_t n = path ? strlen(path) : 0, k, e;

	for (k = 0; ext[k]; k++) {
		e = strlen(ext[k]);
		if (n > e && strcmp(path + n - e, ext[k]) == 0)
			return 1;
	}
	return 0;
}

static void
verdict_item(struct tctx *tc, struct tval *m, const struct verdict *v, const struct run *run,
    const struct wallclock *clk)
{
	char b[1200];

	tv_set_str(tc, m, "name", v->rule->name);
	tv_set_str(tc, m, "verdict", verdict_str(v->state));
	tv_set_str(tc, m, "icon", icon(v->state));
	tv_set_bool(tc, m, "passed", v->state == V_PASS || v->state == V_WARN);
	tv_set_str(tc, m, "metric", v->rule->metric);
	tv_set_str(tc, m, "stat", v->rule->stat);
	if (v->have_observed) {
		out_value_text(v, v->observed, b, sizeof b);
		tv_set_str(tc, m, "observed", b);
	} else {
		tv_set_str(tc, m, "observed", "-");
	}
	out_limit_text(v, b, sizeof b);
	tv_set_str(tc, m, "limit", b);
	if (v->have_samples)
		tv_set_strf(tc, m, "samples", "%lld", v->samples);
	else
		tv_set_str(tc, m, "samples", "-");
	tv_set_str(tc, m, "k6", v->k6 == NULL ? "-" : !v->k6->have_result ? "n/a" :
	    v->k6->passed ? "pass" : "fail");
	out_evidence_text(v, run, b, sizeof b);
	tv_set_str(tc, m, "evidence", b);
	if (v->evidence.src >= 0) {
		tv_set_str(tc, m, "evidence_file", run->sources[v->evidence.src].path);
		/*
		 * GitHub and GitLab open a file at a line with #L<n>; not a
		 * compressed one, which they only offer to download.
		 */
		if (v->evidence.line > 0 && !compressed(run->sources[v->evidence.src].path))
			tv_set_strf(tc, m, "evidence_anchor", "#L%ld", v->evidence.line);
	}
	wallclock_rewrite(clk, v->message, b, sizeof b);
	tv_set_str(tc, m, "message", b);
}

static void
time_str(struct tctx *tc, struct tval *m, const char *key, const struct wallclock *clk,
    int64_t ms)
{
	char t[48];

	wallclock_fmt(clk, ms, t, sizeof t);
	tv_set_str(tc, m, key, t);
}

static void
size_str(struct tctx *tc, struct tval *m, size_t size)
{
	char b[32];

	unit_fmt(b, sizeof b, (double)size, UNIT_BYTES);
	tv_set_str(tc, m, "size", b);
}

/* Our verdict on the metric a k6 threshold is on: the first rule naming it. */
static const char *
ours_for(const struct report *rep, const struct summary *s)
{
	size_t i;

	for (i = 0; i < rep->verdicts->n; i++) {
		const struct verdict *v = &rep->verdicts->v[i];

		if (selector_equal(&v->rule->sel, &s->sel))
			return verdict_str(v->state);
	}
	return "-";
}

/* One line of the drill's timeline. */
struct tl_event {
	int64_t		 t, err;	/* err: ± ms when the time is derived, else 0 */
	int		 order;		/* ties: faults first, then what followed */
	const char	*kind;		/* fault, intervention, alert, scaling, breach */
	char		 what[600];
	char		 evidence[600];
};

static int
tl_cmp(const void *a, const void *b)
{
	const struct tl_event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->order - y->order;
}

static struct tl_event *
tl_add(struct tl_event **v, size_t *n, size_t *cap, int64_t t, int order, const char *kind)
{
	struct tl_event *e = VEC_PUSH(*v, *n, *cap);

	memset(e, 0, sizeof *e);
	e->t = t;
	e->order = order;
	e->kind = kind;
	return e;
}

static void
origin_text(const struct run *run, const struct origin *o, char *dst, size_t n)
{
	if (o->src < 0 || (size_t)o->src >= run->nsources)
		snprintf(dst, n, "drill.yaml");
	else if (o->line > 0)
		snprintf(dst, n, "%s:%ld", run->sources[o->src].path, o->line);
	else
		snprintf(dst, n, "%s", run->sources[o->src].path);
}

static void
labels_text(const struct alert_interval *a, char *dst, size_t n)
{
	size_t i, off = 0;

	dst[0] = '\0';
	for (i = 0; i < a->nlabels && off < n; i++)
		if (strcmp(a->labels[i].key, "alertname") != 0)
			off += (size_t)snprintf(dst + off, n - off, "%s%s=%s", off ? ", " : "",
			    a->labels[i].key, a->labels[i].value);
}

struct tl_vec {
	struct tl_event	**v;
	size_t		 *n, *cap;
};

/* report_pod_timeline's rows, after the scaling events of the same instant. */
static void
tl_add_pods(void *ctx, int64_t t, int64_t err, const char *kind, const char *what,
    const char *evidence)
{
	struct tl_vec *tv = ctx;
	struct tl_event *e = tl_add(tv->v, tv->n, tv->cap, t, 2, kind);

	e->err = err;
	snprintf(e->what, sizeof e->what, "%s", what);
	snprintf(e->evidence, sizeof e->evidence, "%s", evidence);
}

/* Faults, interventions, alerts, scaling and SLO breaches, in time order. */
static void
timeline(struct tctx *tc, struct tval *root, const struct report *rep,
    const struct wallclock *clk)
{
	const struct drill *d = rep->drill;
	const struct run *run = rep->run;
	struct tl_event *ev = NULL, *e;
	struct tval *list, *m;
	size_t n = 0, cap = 0, i;
	char t[48], lab[400], err[32];

	for (i = 0; i < d->nfaults; i++) {
		e = tl_add(&ev, &n, &cap, d->faults[i].start, 0, "fault");
		snprintf(e->what, sizeof e->what, "fault %s starts%s%s", d->faults[i].name,
		    d->faults[i].script ? " (" : "", d->faults[i].script ? d->faults[i].script : "");
		if (d->faults[i].script)
			strncat(e->what, ")", sizeof e->what - strlen(e->what) - 1);
		snprintf(e->evidence, sizeof e->evidence, "drill.yaml:%ld", d->faults[i].line);
		e = tl_add(&ev, &n, &cap, d->faults[i].end, 0, "fault");
		snprintf(e->what, sizeof e->what, "fault %s ends", d->faults[i].name);
		snprintf(e->evidence, sizeof e->evidence, "drill.yaml:%ld", d->faults[i].line);
	}
	for (i = 0; i < d->ninterventions; i++) {
		if (!d->interventions[i].have_at)
			continue;
		e = tl_add(&ev, &n, &cap, d->interventions[i].at, 3, "intervention");
		snprintf(e->what, sizeof e->what, "manual intervention: %s", d->interventions[i].what);
		snprintf(e->evidence, sizeof e->evidence, "drill.yaml");
	}
	for (i = 0; i < run->nalerts; i++) {
		const struct alert_interval *a = &run->alerts[i];

		if (a->always_firing)
			continue;	/* Watchdog and friends say nothing about this drill */
		labels_text(a, lab, sizeof lab);
		if (a->have_pending) {
			e = tl_add(&ev, &n, &cap, a->pending_since, 1, "alert");
			snprintf(e->what, sizeof e->what, "alert %s pending%s%s%s", a->name,
			    lab[0] ? " (" : "", lab, lab[0] ? ")" : "");
			origin_text(run, &a->origin, e->evidence, sizeof e->evidence);
		}
		e = tl_add(&ev, &n, &cap, a->start, 1, "alert");
		{
			const char *summary = NULL;
			size_t k;

			/* The alert's own summary says what it meant: carried, escaped like any value. */
			for (k = 0; k < a->nannotations; k++)
				if (strcmp(a->annotations[k].key, "summary") == 0)
					summary = a->annotations[k].value;
			snprintf(e->what, sizeof e->what, "alert %s fires%s%s%s%s%.200s", a->name,
			    lab[0] ? " (" : "", lab, lab[0] ? ")" : "", summary ? ": " : "",
			    summary ? summary : "");
		}
		origin_text(run, &a->origin, e->evidence, sizeof e->evidence);
		if (a->have_end) {
			e = tl_add(&ev, &n, &cap, a->end, 1, "alert");
			snprintf(e->what, sizeof e->what, "alert %s resolves", a->name);
			origin_text(run, &a->origin, e->evidence, sizeof e->evidence);
		}
	}
	for (i = 0; i < run->nscale_events; i++) {
		const struct scale_event *s = &run->scale_events[i];

		e = tl_add(&ev, &n, &cap, s->t, 2, "scaling");
		e->err = s->t_err;
		if (s->have_from)
			snprintf(e->what, sizeof e->what, "%s scales %d → %d%s%s", s->target, s->from,
			    s->to, s->reason ? ": " : "", s->reason ? s->reason : "");
		else
			snprintf(e->what, sizeof e->what, "%s scales to %d%s%s", s->target, s->to,
			    s->reason ? ": " : "", s->reason ? s->reason : "");
		origin_text(run, &s->origin, e->evidence, sizeof e->evidence);
	}
	{
		struct tl_vec tv = {&ev, &n, &cap};

		report_pod_timeline(run, tl_add_pods, &tv);
	}
	for (i = 0; i < rep->verdicts->n; i++) {
		const struct verdict *v = &rep->verdicts->v[i];

		if (!v->have_breach)
			continue;
		e = tl_add(&ev, &n, &cap, v->breach_start, 4, "breach");
		snprintf(e->what, sizeof e->what, "SLO %s breached (%s)", v->rule->name, v->rule->metric);
		out_evidence_text(v, run, e->evidence, sizeof e->evidence);
		if (v->have_breach_end) {
			e = tl_add(&ev, &n, &cap, v->breach_end, 4, "breach");
			snprintf(e->what, sizeof e->what, "SLO %s healthy again", v->rule->name);
			out_evidence_text(v, run, e->evidence, sizeof e->evidence);
		}
	}
	if (n)
		qsort(ev, n, sizeof *ev, tl_cmp);
	list = tv_set_list(tc, root, "timeline");
	for (i = 0; i < n; i++) {
		m = tv_push_map(tc, list);
		wallclock_fmt(clk, ev[i].t, t, sizeof t);
		tv_set_str(tc, m, "time", t);
		/* The older keys, for templates written before one clock per bundle. */
		tv_set_str(tc, m, "local", t);
		time_fmt_utc(ev[i].t, t, sizeof t);
		tv_set_str(tc, m, "utc", t);
		if (ev[i].err) {
			time_fmt_span(ev[i].err, err, sizeof err);
			tv_set_strf(tc, m, "approx", "±%s", err);
		}
		tv_set_str(tc, m, "kind", ev[i].kind);
		tv_set_str(tc, m, "what", ev[i].what);
		tv_set_str(tc, m, "evidence", ev[i].evidence);
	}
	free(ev);
}

/* The value of a k6 raw histogram's tag, or NULL. */
static const char *
hist_tag(const struct k6raw_hist *h, const char *key)
{
	size_t i;

	for (i = 0; i < h->ntags; i++)
		if (strcmp(h->tags[i].key, key) == 0)
			return h->tags[i].value;
	return NULL;
}

/*
 * Per channel (the `channel` tag of k6 raw output): requests, P95 and error
 * rate over the whole run (group 0) and during each fault (group 1 + f),
 * merged from the windowed histograms. k6 raw keeps one histogram per full
 * tag set, so each request is counted once.
 */
/* True when a k6 raw window starting at t starts inside one of the drill's faults. */
static int
in_any_fault(const struct drill *d, int64_t t)
{
	size_t f;

	for (f = 0; f < d->nfaults; f++)
		if (t >= d->faults[f].start && t < d->faults[f].end)
			return 1;
	return 0;
}

/* A channel's figures outside every fault: what "during" is compared with. */
static void
outside_stats(const struct report *rep, struct channel_stat *c)
{
	const struct run *run = rep->run;
	struct hist dur, fail;
	size_t i;

	c->outside_requests = 0;
	c->outside_p95 = c->outside_errors = NAN;
	if (rep->drill->nfaults == 0)
		return;
	hist_init(&dur);
	hist_init(&fail);
	for (i = 0; i < run->nk6raw; i++) {
		const struct k6raw_hist *h = &run->k6raw[i];
		const char *ch = hist_tag(h, "channel");

		if (ch == NULL || strcmp(ch, c->name) != 0 || in_any_fault(rep->drill, h->start))
			continue;
		if (strcmp(h->metric, "http_req_duration") == 0)
			hist_merge(&dur, &h->h);
		else if (strcmp(h->metric, "http_req_failed") == 0)
			hist_merge(&fail, &h->h);
	}
	c->outside_requests = dur.count;
	c->outside_p95 = dur.count ? hist_quantile(&dur, 0.95) : NAN;
	c->outside_errors = fail.count ? (double)fail.nonzero / (double)fail.count : NAN;
	hist_release(&dur);
	hist_release(&fail);
}

size_t
report_channel_stats(const struct report *rep, struct channel_stat **out)
{
	const struct run *run = rep->run;
	const struct drill *d = rep->drill;
	struct channel_stat *cs = NULL;
	size_t nn = 0, cap = 0, i, k, f, ng = 1 + d->nfaults;

	for (i = 0; i < run->nk6raw; i++) {
		const char *c = hist_tag(&run->k6raw[i], METRIC_TAG_CHANNEL);

		if (c == NULL || strcmp(run->k6raw[i].metric, METRIC_REQ_LATENCY) != 0)
			continue;
		for (k = 0; k < nn && strcmp(cs[k].name, c) != 0; k++)
			;
		if (k == nn && nn < 64) {
			struct channel_stat *x = VEC_PUSH(cs, nn, cap);

			memset(x, 0, sizeof *x);
			x->name = c;
		}
	}
	for (k = 0; k < nn; k++) {
		cs[k].ngroups = ng;
		cs[k].requests = xcalloc(ng, sizeof *cs[k].requests);
		cs[k].p95 = xcalloc(ng, sizeof *cs[k].p95);
		cs[k].errors = xcalloc(ng, sizeof *cs[k].errors);
		for (f = 0; f < ng; f++) {
			struct hist dur, fail;
			int64_t lo = f ? d->faults[f - 1].start : INT64_MIN;
			int64_t hi = f ? d->faults[f - 1].end : INT64_MAX;

			hist_init(&dur);
			hist_init(&fail);
			for (i = 0; i < run->nk6raw; i++) {
				const struct k6raw_hist *h = &run->k6raw[i];
				const char *c = hist_tag(h, METRIC_TAG_CHANNEL);

				if (c == NULL || strcmp(c, cs[k].name) != 0 || h->start < lo || h->start >= hi)
					continue;
				if (strcmp(h->metric, METRIC_REQ_LATENCY) == 0)
					hist_merge(&dur, &h->h);
				else if (strcmp(h->metric, METRIC_REQ_FAILED) == 0)
					hist_merge(&fail, &h->h);
			}
			cs[k].requests[f] = dur.count;
			cs[k].p95[f] = dur.count ? hist_quantile(&dur, 0.95) : NAN;
			cs[k].errors[f] = fail.count ? (double)fail.nonzero / (double)fail.count : NAN;
			hist_release(&dur);
			hist_release(&fail);
		}
		outside_stats(rep, &cs[k]);
	}
	*out = cs;
	return nn;
}

void
report_channel_stats_free(struct channel_stat *cs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(cs[i].requests);
		free(cs[i].p95);
		free(cs[i].errors);
	}
	free(cs);
}

static void
channels(struct tctx *tc, struct tval *root, const struct report *rep)
{
	struct channel_stat *cs;
	struct tval *list, *m, *fl, *fm;
	size_t n = report_channel_stats(rep, &cs), k, f;
	char b[64];

	list = tv_set_list(tc, root, "channels");
	for (k = 0; k < n; k++) {
		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "name", cs[k].name);
		tv_set_strf(tc, m, "requests", "%llu", (unsigned long long)cs[k].requests[0]);
		if (rep->drill->nfaults) {
			tv_set_bool(tc, m, "has_outside", 1);
			unit_fmt(b, sizeof b, cs[k].outside_p95, UNIT_MS);
			tv_set_str(tc, m, "outside_p95", isfinite(cs[k].outside_p95) ? b : "-");
			unit_fmt(b, sizeof b, cs[k].outside_errors, UNIT_RATIO);
			tv_set_str(tc, m, "outside_errors", isfinite(cs[k].outside_errors) ? b : "-");
		}
		fl = tv_set_list(tc, m, "faults");
		for (f = 0; f < cs[k].ngroups; f++) {
			struct tval *t = f ? (fm = tv_push_map(tc, fl)) : m;

			if (f)
				tv_set_str(tc, t, "fault", rep->drill->faults[f - 1].name);
			unit_fmt(b, sizeof b, cs[k].p95[f], UNIT_MS);
			tv_set_str(tc, t, "p95", isfinite(cs[k].p95[f]) ? b : "-");
			unit_fmt(b, sizeof b, cs[k].errors[f], UNIT_RATIO);
			tv_set_str(tc, t, "errors", isfinite(cs[k].errors[f]) ? b : "-");
		}
	}
	report_channel_stats_free(cs, n);
}

/* Copies svg with id="x" as id="P-x", and the references #x as #P-x. */
static void
prefix_ids(const char *svg, const char *prefix, struct buf *out)
{
	static const char *const pat[] = {"id=\"", "href=\"#", "url(#"};
	const char *p = svg;
	size_t k, best_k = 0;

	for (;;) {
		const char *best = NULL;

		for (k = 0; k < 3; k++) {
			const char *q = strstr(p, pat[k]);

			if (q && (best == NULL || q < best)) {
				best = q;
				best_k = k;
			}
		}
		if (best == NULL)
			break;
		best += strlen(pat[best_k]);
		buf_add(out, p, (size_t)(best - p));
		buf_printf(out, "%s-", prefix);
		p = best;
	}
	buf_addstr(out, p);
}

int64_t
report_clock_ref(const struct report *rep)
{
	const struct run *run = rep->run;

	if (rep->drill->nfaults)
		return rep->drill->faults[0].start;
	if (run->nseries && run->series[0].npts)
		return run->series[0].pts[0].t;
	if (run->nalerts)
		return run->alerts[0].start;
	return rep->have_generated_at ? rep->generated_at : 0;
}

void
report_clock(const struct report *rep, struct wallclock *clk)
{
	/* bundle has loaded the zone once already (Grafana anchoring); UTC if it is gone. */
	(void)wallclock_init(clk, rep->drill->timezone, report_clock_ref(rep));
}

struct tval *
report_model(struct tctx *tc, const struct report *rep)
{
	const struct drill *d = rep->drill;
	const struct run *run = rep->run;
	struct tval *root = tv_map(tc), *list, *m;
	struct buf ids;
	char b[1200], rate[32];
	size_t i, k;
	long long n[4];
	char tally[128];
	const char *overall = report_overall(rep);
	struct wallclock clk;

	report_clock(rep, &clk);
	wallclock_label(&clk, b, sizeof b);
	/* Said once near the top of each document; every time below is in it. */
	tv_set_str(tc, root, "clock", b);
	tv_set_bool(tc, root, "clock_utc", clk.zone == NULL);
	tv_set_str(tc, root, "report_file", "report.md");
	{
		/* The bundle's own files, as links (absolute with a link base). */
		static const char *const own[][2] = {
			{"report", "report.md"}, {"html", "report.html"}, {"timeline", "timeline.md"},
			{"summary", "summary.json"}, {"junit", "junit.xml"}, {"drill", "drill.yaml"},
			{"manifest", "MANIFEST.sha256"}, {"ctrf", "ctrf.json"}, {"prom", "results.prom"},
			{"om", "results.om.txt"}, {"annotations", "annotations.json"},
		};
		struct tval *fm = tv_set_map(tc, root, "file");

		for (i = 0; i < sizeof own / sizeof own[0]; i++)
			tv_set_str(tc, fm, own[i][0], own[i][1]);
	}
	tv_set_str(tc, root, "title", d->title);
	tv_set_str(tc, root, "slug", rep->slug);
	tv_set_str(tc, root, "date", rep->date);
	tv_set_str(tc, root, "environment", d->environment);
	tv_set_str(tc, root, "timezone", d->timezone);
	if (rep->have_generated_at)
		time_str(tc, root, "generated_at", &clk, rep->generated_at);
	tv_set_str(tc, root, "version", SLOPROOF_VERSION);
	tv_set_str(tc, root, "overall", overall);
	tv_set_str(tc, root, "overall_icon", icon(strcmp(overall, "fail") == 0 ? V_FAIL :
	    strcmp(overall, "warn") == 0 ? V_WARN : V_PASS));
	tv_set_bool(tc, root, "overall_ok", strcmp(overall, "fail") != 0);
	verdicts_tally(rep->verdicts, n);
	verdict_tally_text(tally, sizeof tally, n);
	tv_set_str(tc, root, "tally", tally);
	tv_set_str(tc, root, "slo_file", rep->nslo ? rep->slo_names[0] : NULL);
	list = tv_set_list(tc, root, "slo_files");
	for (i = 0; i < rep->nslo; i++)
		tv_push_str(tc, list, rep->slo_names[i]);
	if (d->notes) {
		/* YAML's `|` keeps a final newline; the template places its own. */
		size_t len = strlen(d->notes);

		while (len > 0 && (d->notes[len - 1] == '\n' || d->notes[len - 1] == ' '))
			len--;
		if (len > 0)
			tv_set_strf(tc, root, "notes", "%.*s", (int)len, d->notes);
	}

	/*
	 * The command that re-checks this bundle's verdicts from inside it: the
	 * bundle's own drill.yaml carries the rules, faults, time zone and every
	 * input's options, so the command is short and cannot drift.
	 */
	snprintf(b, sizeof b, "sloproof check drill.yaml");
	tv_set_str(tc, root, "recheck", b);

	list = tv_set_list(tc, root, "slos");
	for (i = 0; i < rep->verdicts->n; i++)
		verdict_item(tc, tv_push_map(tc, list), &rep->verdicts->v[i], run, &clk);
	if (rep->verdicts->score.have) {
		out_score_text(&rep->verdicts->score, b, sizeof b);
		tv_set_str(tc, root, "score", b);
		if (rep->verdicts->score.policy)
			tv_set_strf(tc, root, "score_headline", "score %.1f/100, %s",
			    rep->verdicts->score.total, verdict_str(rep->verdicts->score.state));
		list = tv_set_list(tc, root, "score_rows");
		for (i = 0; i < rep->verdicts->n; i++) {
			const struct verdict *v = &rep->verdicts->v[i];

			m = tv_push_map(tc, list);
			tv_set_str(tc, m, "name", v->rule->name);
			tv_set_strf(tc, m, "weight", "%g", v->rule->weight > 0 ? v->rule->weight : 1);
			tv_set_bool(tc, m, "key", v->rule->key);
			tv_set_str(tc, m, "verdict", verdict_str(v->state));
			tv_set_strf(tc, m, "points", "%g", score_points(rep->verdicts, i));
		}
	}
	list = tv_set_list(tc, root, "objectives");
	for (i = 0; i < rep->verdicts->n; i++)
		if (rep->verdicts->v[i].rule->description) {
			m = tv_push_map(tc, list);
			tv_set_str(tc, m, "name", rep->verdicts->v[i].rule->name);
			tv_set_str(tc, m, "description", rep->verdicts->v[i].rule->description);
		}
	list = tv_set_list(tc, root, "problems");
	for (i = 0; i < rep->verdicts->n; i++)
		if (rep->verdicts->v[i].state != V_PASS) {
			m = tv_push_map(tc, list);
			verdict_item(tc, m, &rep->verdicts->v[i], run, &clk);
			tv_set_bool(tc, m, "covered", followup_covers(d, rep->verdicts->v[i].rule));
		}
	/* fail and nodata are "not met"; a warn met its limit and is told apart. */
	list = tv_set_list(tc, root, "not_met");
	for (i = 0; i < rep->verdicts->n; i++)
		if (rep->verdicts->v[i].state == V_FAIL || rep->verdicts->v[i].state == V_NODATA)
			verdict_item(tc, tv_push_map(tc, list), &rep->verdicts->v[i], run, &clk);
	list = tv_set_list(tc, root, "warned");
	for (i = 0; i < rep->verdicts->n; i++)
		if (rep->verdicts->v[i].state == V_WARN)
			verdict_item(tc, tv_push_map(tc, list), &rep->verdicts->v[i], run, &clk);
	list = tv_set_list(tc, root, "passed");
	for (i = 0; i < rep->verdicts->n; i++)
		if (rep->verdicts->v[i].state == V_PASS)
			verdict_item(tc, tv_push_map(tc, list), &rep->verdicts->v[i], run, &clk);
	/* The rules measured in time: recovery, alerts, scaling (the chaos evidence). */
	list = tv_set_list(tc, root, "timed");
	for (i = 0; i < rep->verdicts->n; i++)
		if (rep->verdicts->v[i].rule->kind != SLO_METRIC)
			verdict_item(tc, tv_push_map(tc, list), &rep->verdicts->v[i], run, &clk);
	list = tv_set_list(tc, root, "recoveries");
	for (i = 0; i < rep->verdicts->n; i++)
		if (rep->verdicts->v[i].rule->kind == SLO_RECOVERS)
			verdict_item(tc, tv_push_map(tc, list), &rep->verdicts->v[i], run, &clk);
	/* Never an absolute path of this machine: relative to ROOT when ROOT is absolute. */
	if (rep->root_name && rep->root_name[0] != '/')
		tv_set_strf(tc, root, "bundle_path", "%s/%s/%s", rep->root_name, rep->date, rep->slug);
	else
		tv_set_strf(tc, root, "bundle_path", "%s/%s", rep->date, rep->slug);

	list = tv_set_list(tc, root, "faults");
	for (i = 0; i < d->nfaults; i++) {
		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "name", d->faults[i].name);
		tv_set_str(tc, m, "script", d->faults[i].script);
		time_str(tc, m, "start", &clk, d->faults[i].start);
		time_str(tc, m, "end", &clk, d->faults[i].end);
		time_fmt_span(d->faults[i].end - d->faults[i].start, b, sizeof b);
		tv_set_str(tc, m, "duration", b);
	}
	list = tv_set_list(tc, root, "interventions");
	for (i = 0; i < d->ninterventions; i++) {
		m = tv_push_map(tc, list);
		if (d->interventions[i].have_at)
			time_str(tc, m, "at", &clk, d->interventions[i].at);
		tv_set_str(tc, m, "what", d->interventions[i].what);
	}
	list = tv_set_list(tc, root, "thresholds");
	for (i = 0; i < run->nsummaries; i++)
		for (k = 0; k < run->summaries[i].nthresholds; k++) {
			const struct k6_threshold *t = &run->summaries[i].thresholds[k];

			m = tv_push_map(tc, list);
			tv_set_str(tc, m, "metric", run->summaries[i].name);
			tv_set_str(tc, m, "expr", t->expr);
			tv_set_str(tc, m, "result", !t->have_result ? "not recorded" :
			    t->passed ? "pass" : "fail");
			tv_set_str(tc, m, "ours", ours_for(rep, &run->summaries[i]));
		}
	list = tv_set_list(tc, root, "checks");
	for (i = 0; i < run->nchecks; i++) {
		const struct check *c = &run->checks[i];

		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "group", *c->group ? c->group : "(root)");
		tv_set_str(tc, m, "name", c->name);
		tv_set_strf(tc, m, "passes", "%lld", c->passes);
		tv_set_strf(tc, m, "fails", "%lld", c->fails);
		if (c->passes + c->fails > 0)
			unit_fmt(rate, sizeof rate, (double)c->passes / (double)(c->passes + c->fails),
			    UNIT_RATIO);
		else
			snprintf(rate, sizeof rate, "-");
		tv_set_str(tc, m, "rate", rate);
	}
	list = tv_set_list(tc, root, "followups");
	for (i = 0; i < d->nfollowups; i++) {
		const struct followup *f = &d->followups[i];

		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "id", f->id);
		tv_set_str(tc, m, "title", f->title);
		tv_set_str(tc, m, "owner", f->owner);
		if (f->have_due) {
			time_fmt_date(f->due, b, sizeof b);
			tv_set_str(tc, m, "due", b);
		}
		tv_set_str(tc, m, "link", f->link);
	}
	list = tv_set_list(tc, root, "attachments");
	for (i = 0; i < rep->nattachments; i++) {
		const struct report_file *f = &rep->attachments[i];
		const char *slash = strrchr(f->name, '/');

		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "name", slash ? slash + 1 : f->name);
		tv_set_str(tc, m, "file", f->name);
		size_str(tc, m, f->size);
		tv_set_str(tc, m, "sha256", f->sha256);
		tv_set_bool(tc, m, "image", f->is_image);
	}
	timeline(tc, root, rep, &clk);
	channels(tc, root, rep);
	report_merge(tc, root, rep);
	buf_init(&ids, LIM_INPUT_BYTES);
	list = tv_set_list(tc, root, "charts");
	for (i = 0; i < rep->ncharts; i++) {
		const struct report_chart *c = &rep->charts[i];
		const char *svg = buf_str(&c->svg), *open_tag = strstr(svg, "<svg");

		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "name", c->name);
		wallclock_rewrite(&clk, c->caption, b, sizeof b);
		tv_set_str(tc, m, "caption", b);
		tv_set_strf(tc, m, "png", "charts/%s.png", c->name);
		tv_set_strf(tc, m, "csv", "charts/%s.csv", c->name);
		tv_set_strf(tc, m, "svg_file", "charts/%s.svg", c->name);
		/*
		 * Inline in HTML: the <svg> element without the XML declaration,
		 * its ids prefixed with the chart's name — cairo names glyphs and
		 * clips the same in every SVG, and one page holds them all.
		 */
		prefix_ids(open_tag ? open_tag : svg, c->name, &ids);
		tv_set_str(tc, m, "svg", buf_str(&ids));
		buf_reset(&ids);
	}
	buf_release(&ids);
	list = tv_set_list(tc, root, "inputs");
	for (i = 0; i < run->nsources; i++) {
		const struct source *s = &run->sources[i];

		m = tv_push_map(tc, list);
		tv_set_str(tc, m, "file", s->path);
		tv_set_str(tc, m, "kind", s->kind);
		tv_set_str(tc, m, "format", s->format);
		tv_set_str(tc, m, "tool_version", s->tool_version);
		size_str(tc, m, s->size);
		tv_set_str(tc, m, "sha256", s->sha256);
	}
	wallclock_release(&clk);
	return root;
}
