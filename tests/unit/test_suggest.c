/* Unit tests: suggest (did you mean) and explain_absent (why a name is not in the evidence). */
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "eval/explain.h"
#include "model/run.h"
#include "util/suggest.h"
#include "t.h"

static void
test_distance(void)
{
	T_EQ_INT(suggest_distance("latency", "latency"), 0, "distance of equal names is 0");
	T_EQ_INT(suggest_distance("latnecy", "latency"), 1, "a swap of two letters is one edit");
	T_EQ_INT(suggest_distance("Berlin", "berlin"), 0, "case does not count");
	T_EQ_INT(suggest_distance("abc", ""), 3, "distance to empty is the length");
	T_OK(suggest_near("api_latency", "api_latency_p95"), "a name inside another is near");
	T_OK(!suggest_near("checks", "vus_max"), "unrelated names are not near");
}

static void
test_suggest(void)
{
	const char *names[] = { "gateway_latency", "orchestrator_latency", "http_req_failed",
	    "checks", "gateway_latency", NULL };
	char out[512];

	T_EQ_INT(suggest("gateway_latncy", names, 5, "metrics", out, sizeof out), 1,
	    "a typo gets a suggestion");
	T_EQ_STR(out, "did you mean gateway_latency?", "the nearest name, once");
	T_EQ_INT(suggest("vus", names, 5, "metrics", out, sizeof out), 0, "nothing near: a list");
	T_EQ_STR(out, "metrics there: checks, gateway_latency, http_req_failed, orchestrator_latency",
	    "the list is sorted and without duplicates");
	T_EQ_INT(suggest("x", names, 0, "alerts", out, sizeof out), 0, "no names at all");
	T_EQ_STR(out, "no alerts there", "says there are none");
}

static void
test_explain(void)
{
	struct run run;
	struct series *s;
	struct selector want;
	struct alert_interval *a;
	struct label lab[2];
	char out[512];
	size_t err;

	run_init(&run);
	s = run_add_series(&run);
	s->name = arena_strdup(&run.arena, "automation_queue_depth{queue=\"automation\"}");
	selector_parse(&run.arena, s->name, &s->sel, &err);
	s = run_add_series(&run);
	s->name = arena_strdup(&run.arena, "api_latency_p95");
	selector_parse(&run.arena, s->name, &s->sel, &err);
	a = run_add_alert(&run);
	a->name = arena_strdup(&run.arena, "RedisDown");
	lab[0].key = arena_strdup(&run.arena, "severity");
	lab[0].value = arena_strdup(&run.arena, "critical");
	a->labels = lab;
	a->nlabels = 1;

	selector_parse(&run.arena, "api_latncy_p95", &want, &err);
	explain_absent(&run, &want, ABSENT_SERIES, out, sizeof out);
	T_EQ_STR(out, "did you mean api_latency_p95?", "a mistyped series gets the nearest one");
	selector_parse(&run.arena, "automation_queue_depth{queue:automaton}", &want, &err);
	explain_absent(&run, &want, ABSENT_SERIES, out, sizeof out);
	T_EQ_STR(out, "no automation_queue_depth has queue:automaton; did you mean automation?",
	    "a mistyped tag value gets the values there");
	selector_parse(&run.arena, "automation_queue_depth{qeue:automation}", &want, &err);
	explain_absent(&run, &want, ABSENT_SERIES, out, sizeof out);
	T_EQ_STR(out, "automation_queue_depth has no tag qeue; did you mean queue?",
	    "a mistyped tag key gets the keys there");
	selector_parse(&run.arena, "RedisDwn", &want, &err);
	explain_absent(&run, &want, ABSENT_ALERT, out, sizeof out);
	T_EQ_STR(out, "did you mean RedisDown?", "a mistyped alert gets the nearest alert");
	selector_parse(&run.arena, "HighLatencyLLM", &want, &err);
	explain_absent(&run, &want, ABSENT_ALERT, out, sizeof out);
	T_EQ_STR(out, "alerts there: RedisDown", "nothing near: the alerts there");
	run_release(&run);
}

int
main(void)
{
	test_distance();
	test_suggest();
	test_explain();
	return t_failed != 0;
}
