/*
 * Unit tests: the unit rule (norm/units.h) — one rule for k6, Grafana and
 * Prometheus. Each source is imported from text as the tool writes it.
 */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "eval/eval.h"
#include "in/import.h"
#include "model/run.h"
#include "in/slo.h"
#include "norm/units.h"
#include "t.h"

#define T0 1795860000000LL	/* 2026-11-28T10:00:00Z */

static struct fault faults[] = {
	{(char *)"redis-outage", NULL, T0 + 720000, T0 + 840000, 3, 1},	/* 10:12 - 10:14 */
};

static char errbuf[4096];

static void
quiet(FILE **f)
{
	memset(errbuf, 0, sizeof errbuf);
	*f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	diag_set_stream(*f);
}

static void
loud(FILE *f)
{
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
}

/*
 * A Prometheus range answer of a histogram_quantile over *_seconds: 0.3 s,
 * 4.8 s during the outage (10:12:20 - 10:14:59), back to 0.4 s from 10:15:00.
 */
static char *
prom_seconds(const char *name)
{
	static char text[16384];
	size_t n;
	long t;

	n = (size_t)snprintf(text, sizeof text, "{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"%s\"},\"values\":[", name);
	for (t = 600; t <= 1200; t += 20)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s[%ld,\"%s\"]", t == 600 ? "" : ",",
		    (long)(T0 / 1000) + t, t >= 740 && t < 900 ? "4.8" : t < 740 ? "0.3" : "0.4");
	snprintf(text + n, sizeof text - n, "]}]}}");
	return text;
}

static int
import_prom(struct run *run, const char *name, const char *unit)
{
	struct import_opts o;
	const char *text = prom_seconds(name);
	struct source *src;
	char path[128];
	FILE *f;
	int rc;

	snprintf(path, sizeof path, "%s.json", name);
	memset(&o, 0, sizeof o);
	o.unit = unit;
	src = run_add_source(run);
	src->path = arena_strdup(&run->arena, path);
	src->kind = arena_strdup(&run->arena, "prometheus");
	quiet(&f);
	rc = in_prom_import(run, (int)run->nsources - 1, &o, path, text, strlen(text));
	loud(f);
	return rc;
}

static int
check(struct run *run, const char *rules, struct slo_set *set, struct verdicts *vs)
{
	FILE *f;
	int rc;

	quiet(&f);
	rc = slo_parse(set, "slo.yaml", rules, strlen(rules));
	memset(vs, 0, sizeof *vs);
	if (rc == 0 && (rc = eval_run(run, set, vs)) == -1)
		verdicts_release(vs);
	loud(f);
	return rc;
}

static void
test_prometheus_seconds(void)
{
	struct run run;
	struct slo_set set;
	struct verdicts vs;

	run_init(&run);
	run.faults = faults;
	run.nfaults = 1;
	T_OK(import_prom(&run, "api_latency_seconds", NULL) == 0, "a _seconds range answer imports");
	T_NEAR(run.series[0].unit_scale, 1000, 0, "_seconds: the evidence speaks seconds");
	T_OK(check(&run,
	    "slos:\n"
	    "  - {name: plain, recovers: api_latency_seconds, below: 1.5, within: 2m, fault: redis-outage}\n"
	    "  - {name: with-unit, recovers: api_latency_seconds, below: 1500ms, within: 2m, fault: redis-outage}\n"
	    "  - {name: rule-unit-s, recovers: api_latency_seconds, below: 1.5, unit: s, within: 2m, fault: redis-outage}\n"
	    "  - {name: max-plain, metric: api_latency_seconds, stat: max, below: 5}\n"
	    "  - {name: max-fails, metric: api_latency_seconds, stat: max, below: 2}\n",
	    &set, &vs) == 0, "rules on a _seconds series evaluate");
	/* Before the rule, 1.5 was read as 1.5 ms and the recovery failed. */
	T_EQ_STR(verdict_str(vs.v[0].state), "pass", "below: 1.5 on a _seconds series is 1.5 s");
	T_NEAR(vs.v[0].observed, 60000, 0, "recovered 1 min after the fault ended");
	T_EQ_STR(verdict_str(vs.v[1].state), "pass", "below: 1500ms is the same limit");
	T_EQ_STR(verdict_str(vs.v[2].state), "pass", "unit: s agrees with the evidence");
	T_EQ_STR(verdict_str(vs.v[3].state), "pass", "max 4.8 s < 5 (seconds)");
	T_EQ_STR(verdict_str(vs.v[4].state), "fail", "max 4.8 s is not < 2 (seconds)");
	T_OK(strstr(vs.v[3].message, "4.8 s < 5 s") != NULL, "the verdict tells the unit it compared in");
	T_OK(strstr(vs.v[0].message, "1.5 s") != NULL, "recovery message: limit in seconds");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

static void
test_prometheus_rule_unit(void)
{
	struct run run;
	struct slo_set set;
	struct verdicts vs;

	/* No suffix: the rule's unit: decides, the same words as for Grafana and k6. */
	run_init(&run);
	run.faults = faults;
	run.nfaults = 1;
	T_OK(import_prom(&run, "api_error_fraction", NULL) == 0, "a unitless series imports");
	T_OK(check(&run,
	    "slos:\n"
	    "  - {name: ratio, metric: api_error_fraction, stat: max, below: 5, unit: ratio}\n"
	    "  - {name: pct, metric: api_error_fraction, stat: max, below: 500%, unit: ratio}\n"
	    "  - {name: seconds, metric: api_error_fraction, stat: max, below: 5s, unit: s}\n",
	    &set, &vs) == 0, "unit: ratio and unit: s on a Prometheus series are accepted");
	T_EQ_STR(verdict_str(vs.v[0].state), "pass", "unit: ratio, plain limit");
	T_EQ_STR(verdict_str(vs.v[1].state), "pass", "unit: ratio, limit in %");
	T_EQ_STR(verdict_str(vs.v[2].state), "pass", "unit: s, limit 5s");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);

	/* unit: on the drill's evidence entry: the same words (ratio was refused). */
	run_init(&run);
	T_OK(import_prom(&run, "api_error_fraction", "ratio") == 0, "evidence unit: ratio on Prometheus");
	T_OK(run.nseries == 1 && run.series[0].unit == UNIT_RATIO && run.series[0].unit_known,
	    "the series is a ratio");
	run_release(&run);
	run_init(&run);
	T_OK(import_prom(&run, "api_latency", "s") == 0, "evidence unit: s on Prometheus");
	T_NEAR(run.series[0].pts[0].v, 300, 1e-9, "values in seconds are kept canonical (ms)");
	T_NEAR(run.series[0].unit_scale, 1000, 0, "the evidence speaks seconds");
	run_release(&run);
}

static void
test_kinds(void)
{
	struct run run;
	struct slo_set set;
	struct verdicts vs;

	run_init(&run);
	run.faults = faults;
	run.nfaults = 1;
	T_OK(import_prom(&run, "api_latency_seconds", NULL) == 0, "import");
	T_OK(check(&run, "slos:\n  - {name: bad, metric: api_latency_seconds, stat: max, below: 1%}\n",
	    &set, &vs) == -1, "a percentage against a duration is refused");
	T_OK(strstr(errbuf, "is a ratio, but api_latency_seconds in api_latency_seconds.json is a duration") != NULL,
	    "the error names both kinds");
	slo_release(&set);
	run_release(&run);
}

static void
test_grafana_mixed_cells(void)
{
	static const char csv[] =
	    "\"Time\";\"api_latency_p95\"\n"
	    "\"2026-11-28T10:10:00Z\";\"312 ms\"\n"
	    "\"2026-11-28T10:10:05Z\";\"1.71 s\"\n";
	struct import_opts o;
	struct run run;
	struct slo_set set;
	struct verdicts vs;
	FILE *f;
	int rc;

	run_init(&run);
	memset(&o, 0, sizeof o);
	run_add_source(&run)->path = arena_strdup(&run.arena, "lat.csv");
	quiet(&f);
	rc = in_grafana_import(&run, 0, &o, "lat.csv", csv, sizeof csv - 1);
	loud(f);
	T_OK(rc == 0 && run.nseries == 1, "Grafana cells with ms and s import");
	T_OK(run.nseries == 1 && run.series[0].unit_mixed, "the cells mix scales");
	T_OK(check(&run, "slos:\n  - {name: p, metric: api_latency_p95, stat: max, below: 2}\n",
	    &set, &vs) == -1, "a plain limit on mixed cells is ambiguous, so refused");
	T_OK(strstr(errbuf, "write it with a unit") != NULL, "the error says how to fix it");
	slo_release(&set);
	T_OK(check(&run, "slos:\n  - {name: p, metric: api_latency_p95, stat: max, below: 2s}\n",
	    &set, &vs) == 0, "a limit with a unit is fine");
	T_EQ_STR(verdict_str(vs.v[0].state), "pass", "1.71 s < 2 s");
	verdicts_release(&vs);
	slo_release(&set);
	T_OK(check(&run, "slos:\n  - {name: p, metric: api_latency_p95, stat: max, below: 2, unit: s}\n",
	    &set, &vs) == 0, "unit: s on the rule reads the plain limit");
	T_EQ_STR(verdict_str(vs.v[0].state), "pass", "1.71 s < 2 s (unit: s)");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

int
main(void)
{
	test_prometheus_seconds();
	test_prometheus_rule_unit();
	test_kinds();
	test_grafana_mixed_cells();
	return t_done();
}
