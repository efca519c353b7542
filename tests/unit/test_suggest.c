/* Unit tests: suggest (did you mean) and explain_absent (why a name is not in the evidence). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "util/arena.h"
#include "eval/explain.h"
#include "model/run.h"
#include "util/suggest.h"
#include "util/tzname.h"
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

static void
zone(const char *dir, const char *name, const char *bytes)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	if ((f = fopen(p, "w")) != NULL) {
		fputs(bytes, f);
		fclose(f);
	}
}

/* A zone folder of our own (TZDIR), so the names offered do not depend on the machine. */
static void
test_tzname(void)
{
	char dir[] = "/tmp/sloproof-tz.XXXXXX", p[512], out[512];

	if (mkdtemp(dir) == NULL) {
		T_OK(0, "a temporary zone folder");
		return;
	}
	snprintf(p, sizeof p, "%s/Europe", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/Asia", dir);
	mkdir(p, 0700);
	zone(dir, "Europe/Berlin", "TZif2...");
	zone(dir, "Europe/Dublin", "TZif2...");
	zone(dir, "Asia/Tehran", "TZif2...");
	zone(dir, "zone.tab", "# not a zone\n");
	zone(dir, "Europe/Bern", "not a zone file");
	setenv("TZDIR", dir, 1);
	T_OK(tzname_known("Europe/Berlin"), "a zone file is a zone");
	T_OK(!tzname_known("Berlin"), "a city alone is not");
	T_OK(!tzname_known("../etc/passwd") && !tzname_known("/etc/passwd"), "no path outside the folder");
	T_OK(!tzname_known("Europe/Bern"), "a file without the TZif magic is not a zone");
	T_EQ_INT(tzname_suggest("Berlin", out, sizeof out), 1, "Berlin gets a suggestion");
	T_EQ_STR(out, "did you mean Europe/Berlin?", "the zone whose last part it is");
	tzname_suggest("Asia/Tehrn", out, sizeof out);
	T_EQ_STR(out, "did you mean Asia/Tehran?", "a typo gets the zone");
	T_EQ_INT(tzname_suggest("Mars/Olympus", out, sizeof out), 0, "nothing near: no suggestion");
	unsetenv("TZDIR");
	snprintf(p, sizeof p, "rm -rf '%s'", dir);
	if (system(p) != 0)
		T_OK(0, "the temporary zone folder is removed");
}

int
main(void)
{
	test_distance();
	test_suggest();
	test_explain();
	test_tzname();
	return t_failed != 0;
}
