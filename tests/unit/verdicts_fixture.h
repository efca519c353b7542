/*
 * verdicts_fixture.h — verdicts built by hand for the writers' tests, one
 * of each state, with the strings that break naive writers: markup and
 * quotes in a rule name, a control character in another. The fixture owns
 * its run, rules and verdicts; fixture_release frees them all.
 */
#ifndef VERDICTS_FIXTURE_H
#define VERDICTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "model/run.h"
#include "in/slo.h"
#include "util/xalloc.h"

#define FIX_NRULES	4
#define FIX_XSS		"<script>alert(\"x\") & co"

struct fixture {
	struct run		 run;
	struct slo_set		 set;
	struct verdicts		 vs;
	struct k6_threshold	*k6pass, *k6open;
};

static struct slo_rule *
fix_rule(struct fixture *f, size_t i, const char *name, const char *metric,
    const char *stat, enum cmp_op op, double limit)
{
	struct slo_rule *r = &f->set.rules[i];

	r->name = arena_strdup(&f->set.arena, name);
	r->kind = SLO_METRIC;
	r->metric = arena_strdup(&f->set.arena, metric);
	snprintf(r->stat, sizeof r->stat, "%s", stat);
	r->op = op;
	r->limit = limit;
	f->vs.v[i].rule = r;
	f->vs.v[i].evidence.src = -1;
	/* eval_run copies the effective limit into each verdict. */
	f->vs.v[i].limit = limit;
	f->vs.v[i].op = op;
	return r;
}

static void
fixture_init(struct fixture *f)
{
	struct source *src;
	struct summary *dur, *failed;
	struct verdict *v;
	struct slo_rule *r;

	memset(f, 0, sizeof *f);
	run_init(&f->run);
	src = run_add_source(&f->run);
	src->path = arena_strdup(&f->run.arena, "samples/k6/perf-summary.json");
	src->kind = arena_strdup(&f->run.arena, "k6");
	src->format = arena_strdup(&f->run.arena, "k6-summary-export");
	failed = run_add_summary(&f->run);
	failed->name = arena_strdup(&f->run.arena, "http_req_failed");
	f->k6pass = summary_add_threshold(&f->run, failed, "rate<0.01");
	f->k6pass->have_result = 1;
	f->k6pass->passed = 1;
	dur = run_add_summary(&f->run);
	dur->name = arena_strdup(&f->run.arena, "http_req_duration{scenario:checkout}");
	f->k6open = summary_add_threshold(&f->run, dur, "p(90)<1500");

	arena_init(&f->set.arena);
	f->set.path = arena_strdup(&f->set.arena, "samples/slo.yaml");
	f->set.rules = xcalloc(FIX_NRULES, sizeof *f->set.rules);
	f->set.nrules = FIX_NRULES;
	f->vs.v = xcalloc(FIX_NRULES, sizeof *f->vs.v);
	f->vs.n = FIX_NRULES;

	/* pass: a ratio, k6 agreeing */
	r = fix_rule(f, 0, "Request failures", "http_req_failed", "rate", OP_LT, 0.01);
	r->limit_unit = UNIT_RATIO;
	v = &f->vs.v[0];
	v->state = V_PASS;
	v->have_observed = 1;
	v->observed = 0.0062;
	v->unit = UNIT_RATIO;
	v->have_samples = 1;
	v->samples = 16384;
	v->evidence.src = 0;
	v->evidence.line = 17;
	v->k6 = f->k6pass;
	snprintf(v->message, sizeof v->message, "0.62 %% is below 1 %%");

	/* warn: evidence without a line, a k6 threshold without a result */
	r = fix_rule(f, 1, "Checkout P90 latency", "http_req_duration{scenario:checkout}",
	    "p(90)", OP_LT, 1500);
	r->limit_unit = UNIT_MS;
	r->have_warn = 1;
	r->warn = 1200;
	f->vs.v[1].have_warn = 1;
	f->vs.v[1].warn = 1200;
	v = &f->vs.v[1];
	v->state = V_WARN;
	v->have_observed = 1;
	v->observed = 1300;
	v->unit = UNIT_MS;
	v->have_samples = 1;
	v->samples = 9000;
	v->evidence.src = 0;
	v->k6 = f->k6open;
	snprintf(v->message, sizeof v->message, "1.3 s is past the warn level 1.2 s");

	/* fail: the name and message carry markup */
	r = fix_rule(f, 2, FIX_XSS, "http_req_duration", "p(95)", OP_LT, 1500);
	r->limit_unit = UNIT_MS;
	r->have_warn = 1;
	r->warn = 1200;
	f->vs.v[2].have_warn = 1;
	f->vs.v[2].warn = 1200;
	v = &f->vs.v[2];
	v->state = V_FAIL;
	v->have_observed = 1;
	v->observed = 1731.4;
	v->unit = UNIT_MS;
	v->have_samples = 1;
	v->samples = 48213;
	v->evidence.src = 0;
	v->evidence.line = 42;
	snprintf(v->message, sizeof v->message,
	    "1.731 s is above the limit 1.5 s <b>\"&\"</b>");

	/* nodata: nothing observed, no evidence; a control character in the name */
	fix_rule(f, 3, "Queue\x01" "depth", "automation_queue_depth", "max", OP_LE, 50);
	v = &f->vs.v[3];
	v->state = V_NODATA;
	v->unit = UNIT_NONE;
	snprintf(v->message, sizeof v->message,
	    "no series automation_queue_depth in the evidence");
}

static void
fixture_release(struct fixture *f)
{
	free(f->vs.v);
	free(f->set.rules);
	arena_release(&f->set.arena);
	run_release(&f->run);
}

#endif
