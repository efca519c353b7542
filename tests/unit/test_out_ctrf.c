/*
 * test_out_ctrf.c — the CI writers: CTRF's status mapping and fields, and
 * the GitHub/GitLab annotation lines with their escaping, over the
 * hand-built verdicts of verdicts_fixture.h (one of each state).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "out/out_ctrf.h"
#include "util/buf.h"

#include "verdicts_fixture.h"

static void
test_ctrf(void)
{
	struct fixture f;
	struct buf out;
	const char *s;

	fixture_init(&f);
	f.set.rules[0].file = arena_strdup(&f.set.arena, "/abs/slo.yaml");
	f.set.rules[0].line = 3;
	buf_init(&out, 1u << 20);
	T_EQ_INT(out_ctrf(&f.vs, &f.run, "Suite", 0, 0, NULL, &out), 0, "ctrf: the fixture renders");
	s = buf_str(&out);
	T_OK(strstr(s, "\"reportFormat\":\t\"CTRF\"") && strstr(s, "\"specVersion\":\t\"0.0.0\""),
	    "ctrf: reportFormat and specVersion");
	T_OK(strstr(s, "\"timestamp\"") == NULL, "ctrf: no timestamp when none is given (check is reproducible)");
	T_OK(strstr(s, "\"tests\":\t4,") && strstr(s, "\"passed\":\t2,") && strstr(s, "\"failed\":\t2,"),
	    "ctrf: pass and warn are passed, fail and nodata failed");
	T_OK(strstr(s, "\"rawStatus\":\t\"warn\"") && strstr(s, "\"rawStatus\":\t\"nodata\""),
	    "ctrf: rawStatus keeps sloproof's verdict");
	T_OK(strstr(s, "\"filePath\":\t\"/abs/slo.yaml\"") && strstr(s, "\"line\":\t3"),
	    "ctrf: filePath and line of the rule");
	T_OK(strstr(s, "\"evidence\":\t\"samples/k6/perf-summary.json:42\"") != NULL,
	    "ctrf: the evidence's file:line in extra");
	T_OK(strstr(s, "<script>alert(\\\"x\\\") & co") != NULL, "ctrf: a name with quotes is JSON-escaped");
	T_OK(strstr(s, "Queue\\u0001depth") != NULL, "ctrf: a control character is escaped");
	buf_reset(&out);
	{
		char *from[] = { (char *)"/abs/slo.yaml" };
		const char *to[] = { "slo.yaml" };
		struct path_map map = { from, to, 1 };

		T_EQ_INT(out_ctrf(&f.vs, &f.run, "Suite", 1, 1795860000000LL, &map, &out), 0, "ctrf: with a clock");
	}
	s = buf_str(&out);
	T_OK(strstr(s, "\"timestamp\":\t\"2026-11-28T10:00:00Z\"") != NULL, "ctrf: the bundle's clock as timestamp");
	T_OK(strstr(s, "\"filePath\":\t\"slo.yaml\"") && !strstr(s, "/abs/"), "ctrf: rule files renamed to the bundle's copies");
	buf_release(&out);
	fixture_release(&f);
}

static void
test_annotations(void)
{
	struct fixture f;
	struct buf out;
	const char *s;

	fixture_init(&f);
	f.set.rules[2].file = arena_strdup(&f.set.arena, "slo,a:b.yaml");
	f.set.rules[2].line = 12;
	snprintf(f.vs.v[2].message, sizeof f.vs.v[2].message, "100%% over\nthe limit");
	buf_init(&out, 1u << 20);
	T_EQ_INT(out_ci_annotations(&f.vs, &f.run, CI_NONE, &out), 0, "ci none: nothing");
	T_EQ_INT((int)out.len, 0, "ci none: nothing written");
	T_EQ_INT(out_ci_annotations(&f.vs, &f.run, CI_GITHUB, &out), 0, "github: renders");
	s = buf_str(&out);
	T_OK(strstr(s, "::error file=slo%2Ca%3Ab.yaml,line=12,title=SLO <script>alert(\"x\") & co%3A fail::"
	    "<script>alert(\"x\") & co: 100%25 over%0Athe limit (evidence: samples/k6/perf-summary.json:42)\n") != NULL,
	    "github: error at the rule, properties and message escaped");
	T_OK(strstr(s, "::notice file=samples/k6/perf-summary.json,line=42,") != NULL,
	    "github: a notice at the evidence line");
	T_OK(strstr(s, "::warning title=SLO Checkout P90 latency%3A warn::") != NULL,
	    "github: warn is a warning; a rule without a file has no file=");
	T_OK(strstr(s, "Request failures") == NULL, "github: nothing for a pass");
	T_OK(strstr(s, "::error title=SLO Queue\x01" "depth%3A nodata::") != NULL, "github: nodata is an error");
	buf_reset(&out);
	T_EQ_INT(out_ci_annotations(&f.vs, &f.run, CI_GITLAB, &out), 0, "gitlab: renders");
	s = buf_str(&out);
	T_OK(strncmp(s, "\033[0Ksection_start:0:sloproof_slos", 33) == 0, "gitlab: a log section");
	T_OK(strstr(s, "slo,a:b.yaml:12: error: <script>alert(\"x\") & co: 100% over the limit (evidence: "
	    "samples/k6/perf-summary.json:42)\n") != NULL, "gitlab: FILE:LINE: error:, newline flattened");
	T_OK(strstr(s, "Queue depth") != NULL, "gitlab: a control character becomes a space");
	buf_release(&out);
	fixture_release(&f);
}

static void
test_detect(void)
{
	enum ci_kind k;

	unsetenv("GITHUB_ACTIONS");
	unsetenv("GITLAB_CI");
	T_EQ_INT(ci_detect(), CI_NONE, "detect: neither variable, no annotations");
	setenv("GITLAB_CI", "true", 1);
	T_EQ_INT(ci_detect(), CI_GITLAB, "detect: GITLAB_CI=true");
	setenv("GITHUB_ACTIONS", "true", 1);
	T_EQ_INT(ci_detect(), CI_GITHUB, "detect: GITHUB_ACTIONS=true wins");
	setenv("GITHUB_ACTIONS", "false", 1);
	unsetenv("GITLAB_CI");
	T_EQ_INT(ci_detect(), CI_NONE, "detect: GITHUB_ACTIONS=false is not GitHub");
	T_EQ_INT(ci_parse("gitlab", &k), 0, "parse gitlab");
	T_EQ_INT(k, CI_GITLAB, "parse gitlab: gitlab");
	T_EQ_INT(ci_parse("jenkins", &k), -1, "parse: an unknown word is refused");
}

int
main(void)
{
	test_ctrf();
	test_annotations();
	test_detect();
	return t_done();
}
