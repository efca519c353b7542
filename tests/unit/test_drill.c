/* Unit tests: the drill file parser and folder names (slugs). */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "in/drill.h"
#include "t.h"

static char errbuf[4096];

static int
parse(struct drill *d, const char *path, const char *text)
{
	FILE *f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	int rc;

	memset(errbuf, 0, sizeof errbuf);
	diag_set_stream(f);
	rc = drill_parse(d, path, text, strlen(text));
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	return rc;
}

static void
expect_error(const char *text, const char *want, const char *what)
{
	struct drill d;

	T_OK(parse(&d, "drill.yaml", text) == -1, what);
	T_EQ_STR(errbuf, want, what);
}

static void
slug(const char *title, const char *want, const char *what)
{
	char s[80];

	drill_slug(title, s, sizeof s);
	T_EQ_STR(s, want, what);
}

int
main(void)
{
	struct drill d;

	T_OK(parse(&d, "samples/drills/redis/drill.yaml",
	    "drill: Redis outage\n"
	    "date: 2026-11-28\n"
	    "environment: xin-prod\n"
	    "timezone: Asia/Tehran\n"
	    "slo: ../../slo.yaml\n"
	    "faults:\n"
	    "  - name: redis-outage\n"
	    "    script: scripts/chaos/redis_outage.sh\n"
	    "    start: 2026-11-28T13:42:00+03:30\n"
	    "    end: 2026-11-28T10:14:00Z\n"
	    "evidence:\n"
	    "  - k6/perf-summary.json\n"
	    "  - path: /abs/summary.json\n"
	    "    kind: k6\n"
	    "    captured_at: 2026-11-28T10:20:00Z\n"
	    "attachments: [chaos/log.txt]\n"
	    "interventions:\n"
	    "  - at: 2026-11-28T10:13:10Z\n"
	    "    what: restarted sentinel\n"
	    "  - noted by hand, no time\n"
	    "followups:\n"
	    "  - {id: XIN-482, title: backoff, owner: platform, due: 2026-12-12}\n"
	    "notes: |\n  line one\n  line two\n") == 0, "a full drill file parses");
	T_EQ_STR(d.title, "Redis outage", "title");
	T_OK(d.nslo == 1 && strcmp(d.slo[0], "samples/drills/redis/../../slo.yaml") == 0,
	    "slo path is relative to the drill file");
	T_EQ_INT(d.nfaults, 1, "one fault");
	T_EQ_INT(d.faults[0].start, 1795860720000LL, "fault start with +03:30 is 10:12Z");
	T_EQ_INT(d.faults[0].end - d.faults[0].start, 120000, "two-minute fault");
	T_EQ_STR(d.evidence[0].resolved, "samples/drills/redis/k6/perf-summary.json", "evidence resolved");
	T_EQ_STR(d.evidence[1].resolved, "/abs/summary.json", "absolute evidence path kept");
	T_OK(d.evidence[1].have_captured_at && d.evidence[1].captured_at == 1795861200000LL, "captured_at");
	T_EQ_STR(d.attachments[0].resolved, "samples/drills/redis/chaos/log.txt", "attachment resolved");
	T_EQ_INT(d.ninterventions, 2, "two interventions");
	T_OK(!d.interventions[1].have_at, "an intervention without a time");
	T_EQ_STR(d.followups[0].owner, "platform", "follow-up owner");
	T_EQ_STR(d.notes, "line one\nline two\n", "notes keep their lines");
	drill_release(&d);

	expect_error("drill: x\nfaults:\n  - name: f\n    start: 2026-11-28 10:12\n    end: 2026-11-28T10:14:00Z\n",
	    "sloproof: drill.yaml:4:28: error: start: bad time \"2026-11-28 10:12\"; expected RFC 3339 with a zone, like 2026-11-28T10:12:00Z\n",
	    "a time without seconds or zone points at the problem");
	expect_error("drill: x\nfaults:\n  - name: f\n    start: 2026-11-28T10:14:00Z\n    end: 2026-11-28T10:12:00Z\n",
	    "sloproof: drill.yaml:5:10: error: end: fault \"f\" ends before it starts\n", "end before start");
	expect_error("drill: x\nevidence:\n  - path: a.csv\n    kind: influx\n",
	    "sloproof: drill.yaml:4:11: error: kind: sloproof cannot import \"influx\" evidence; it reads: k6, grafana, alerts, hpa, prometheus\n",
	    "an evidence kind sloproof does not read is an error naming it");
	T_OK(parse(&d, "d/drill.yaml", "drill: x\nslo: [a.yaml, b/c.yaml]\n") == 0 && d.nslo == 2 &&
	    strcmp(d.slo[1], "d/b/c.yaml") == 0, "slo: may be a list of files");
	drill_release(&d);
	expect_error("title: x\n",
	    "sloproof: drill.yaml:1:1: error: unknown key \"title\" in the drill file; expected one of: drill, date, environment, timezone, slo, faults, evidence, attachments, interventions, followups, notes, capture\n",
	    "unknown top key");
	expect_error("date: 2026-11-28\n", "sloproof: drill.yaml:1:1: error: drill file without `drill:`\n",
	    "the title is required");
	expect_error("drill: x\ndate: 2026-13-01\n",
	    "sloproof: drill.yaml:2:7: error: date: bad date \"2026-13-01\"; expected YYYY-MM-DD\n", "bad date");
	expect_error("drill: x\nfaults:\n  - {name: f, start: 2026-11-28T10:00:00Z, end: 2026-11-28T10:01:00Z}\n  - {name: f, start: 2026-11-28T10:00:00Z, end: 2026-11-28T10:01:00Z}\n",
	    "sloproof: drill.yaml:4:12: error: duplicate fault name \"f\" (first at line 3)\n", "duplicate fault");
	expect_error("drill: x\ntimezone: ../../etc/passwd\n",
	    "sloproof: drill.yaml:2:11: error: timezone: \"../../etc/passwd\" is not a time zone name; expected an IANA name like Asia/Tehran or UTC\n",
	    "a time zone cannot be a path");
	expect_error("drill: [a, b]\n", "sloproof: drill.yaml:1:8: error: drill: expected a value, found a list\n",
	    "the title must be text");

	slug("Redis outage", "redis-outage", "plain title");
	slug("Baseline load test (15m, 250 VUs)", "baseline-load-test-15m-250-vus", "punctuation folds to one dash");
	slug("../../etc/passwd", "etc-passwd", "no path escapes");
	slug("..", "drill", "dots alone give the default");
	slug("\xd8\xa2\xd8\xb2\xd9\x85\xd8\xa7\xdb\x8c\xd8\xb4", "drill", "a title in another script still gets a safe name");
	slug("Ünïcødé drill", "n-c-d-drill", "non-ASCII letters are separators");
	{
		char s[200], want[65];

		memset(s, 'a', 150);
		s[150] = '\0';
		memset(want, 'a', 64);
		want[64] = '\0';
		slug(s, want, "slugs are at most 64 bytes");
	}
	return t_done();
}
