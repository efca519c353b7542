/*
 * test_alerts.c — the Alertmanager importer: every shape (webhook v4, v3,
 * none; NDJSON, concatenated, arrays; API v1, v2, groups; snapshots;
 * Prometheus ALERTS range queries; amtool tables), how mentions merge into
 * intervals, every error with its exact wording and line:col, the corpus.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "util/diag.h"
#include "in/import.h"
#include "model/run.h"
#include "util/timeutil.h"

static FILE	*cap;
static char	*cap_buf;
static size_t	 cap_len;

static void
cap_begin(void)
{
	cap_buf = NULL;
	cap_len = 0;
	cap = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap);
	diag_reset();
}

static char *
cap_end(void)
{
	fclose(cap);
	diag_set_stream(NULL);
	return cap_buf;
}

/* Imports doc as a new source of r (run_init it first); diagnostics into *msgs. */
static int
imp_into(struct run *r, const char *doc, char **msgs)
{
	struct source *s;
	int rc, src = (int)r->nsources;

	s = run_add_source(r);
	s->path = arena_strdup(&r->arena, "a.json");
	s->kind = arena_strdup(&r->arena, "alerts");
	cap_begin();
	rc = in_alerts_import(r, src, NULL, "a.json", doc, strlen(doc));
	*msgs = cap_end();
	return rc;
}

static int
imp(struct run *r, const char *doc, char **msgs)
{
	run_init(r);
	return imp_into(r, doc, msgs);
}

/* An import that must fail: returns the message (caller frees). */
static char *
bad(const char *doc)
{
	struct run r;
	char *m;

	T_EQ_INT(imp(&r, doc, &m), -1, "bad input is refused");
	run_release(&r);
	return m;
}

static int64_t
ms(const char *s)
{
	int64_t v = 0;
	size_t e;

	if (time_parse_rfc3339(s, strlen(s), &v, &e) == -1)
		abort();
	return v;
}

static const char *
lab(const struct alert_interval *a, const char *key)
{
	size_t i;

	for (i = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i].key, key) == 0)
			return a->labels[i].value;
	return NULL;
}

static const char *
ann(const struct alert_interval *a, const char *key)
{
	size_t i;

	for (i = 0; i < a->nannotations; i++)
		if (strcmp(a->annotations[i].key, key) == 0)
			return a->annotations[i].value;
	return NULL;
}

#define ALERT(st, name, inst, start, end, extra) \
	"{\"status\":\"" st "\",\"labels\":{\"alertname\":\"" name "\",\"instance\":\"" inst \
	"\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"" extra "\"},\"startsAt\":\"" start \
	"\",\"endsAt\":\"" end "\",\"generatorURL\":\"\",\"fingerprint\":\"fp-" name inst "\"}"
#define ZERO "0001-01-01T00:00:00Z"
#define HOOK(st, alerts) \
	"{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"X\\\"}\",\"truncatedAlerts\":0,\"status\":\"" st \
	"\",\"receiver\":\"web\",\"groupLabels\":{},\"commonLabels\":{},\"commonAnnotations\":{}," \
	"\"externalURL\":\"http://:9093\",\"alerts\":[" alerts "]}"

static void
test_webhook(void)
{
	struct run r;
	const struct alert_interval *a;
	char *m;

	T_EQ_INT(imp(&r, "{\n \"version\": \"4\",\n \"status\": \"firing\",\n \"receiver\": \"x\",\n"
	    " \"alerts\": [\n  {\"status\": \"firing\", \"labels\": {\"severity\": \"page\", \"alertname\": \"ApiDown\","
	    " \"job\": \"api\"},\n   \"annotations\": {\"summary\": \"api \\u003c 1\"},\n"
	    "   \"startsAt\": \"2026-11-28T10:12:00.123456789+02:00\", \"endsAt\": \"" ZERO "\",\n"
	    "   \"generatorURL\": \"/graph?g0.expr=up\\u0026x\", \"fingerprint\": \"abc\"}\n ]\n}\n", &m), 0,
	    "webhook v4: imports");
	T_EQ_STR(m, "", "webhook v4: no diagnostics");
	free(m);
	T_EQ_INT(r.nalerts, 1, "webhook v4: one interval");
	a = &r.alerts[0];
	T_EQ_STR(a->name, "ApiDown", "webhook v4: name from alertname");
	T_EQ_INT(a->nlabels, 3, "webhook v4: three labels");
	T_EQ_STR(a->labels[0].key, "alertname", "webhook v4: labels sorted (1)");
	T_EQ_STR(a->labels[2].key, "severity", "webhook v4: labels sorted (3)");
	T_EQ_STR(a->severity, "page", "webhook v4: severity");
	T_EQ_STR(a->fingerprint, "abc", "webhook v4: fingerprint");
	T_EQ_STR(ann(a, "summary"), "api < 1", "webhook v4: \\u003c unescaped in annotations");
	T_EQ_INT(a->start, ms("2026-11-28T08:12:00.123Z"), "webhook v4: start in ms UTC, offset applied");
	T_EQ_INT(a->have_end, 0, "webhook v4: zero endsAt = firing at capture");
	T_EQ_INT(a->always_firing, 0, "webhook v4: not always firing");
	T_EQ_INT(a->origin.src, 0, "webhook v4: origin source");
	T_EQ_INT(a->origin.line, 6, "webhook v4: origin line of the alert");
	T_EQ_STR(r.sources[0].format, "alertmanager-webhook-v4", "webhook v4: format");
	run_release(&r);

	/* A firing group that holds a resolved alert: per-alert status decides. */
	T_EQ_INT(imp(&r, HOOK("firing", ALERT("firing", "B", "i1", "2026-11-28T10:00:00Z", ZERO, "s") ","
	    ALERT("resolved", "A", "i2", "2026-11-28T10:01:00Z", "2026-11-28T10:05:30Z", "s")), &m), 0,
	    "mixed group: imports");
	free(m);
	T_EQ_INT(r.nalerts, 2, "mixed group: two intervals");
	T_EQ_STR(r.alerts[0].name, "B", "mixed group: sorted by start (B first)");
	T_EQ_INT(r.alerts[0].have_end, 0, "mixed group: firing alert has no end");
	T_EQ_STR(r.alerts[1].name, "A", "mixed group: resolved alert second");
	T_EQ_INT(r.alerts[1].have_end, 1, "mixed group: resolved alert has an end");
	T_EQ_INT(r.alerts[1].end, ms("2026-11-28T10:05:30Z"), "mixed group: end = endsAt");
	T_EQ_INT(r.alerts[1].end_approx, 0, "mixed group: end is exact");
	run_release(&r);

	/* Version 3: a bare integer groupKey past 2^53, never read as a number. */
	T_EQ_INT(imp(&r, "{\"version\":\"3\",\"groupKey\":5206633798846341528,\"status\":\"firing\","
	    "\"receiver\":\"alerta\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"ApiRequestsHigh\"},"
	    "\"annotations\":{},\"startsAt\":\"2016-02-20T00:29:22.81Z\",\"endsAt\":\"" ZERO "\"}]}", &m), 0,
	    "webhook v3: imports");
	free(m);
	T_EQ_STR(r.sources[0].format, "alertmanager-webhook-v3", "webhook v3: format");
	T_EQ_INT(r.alerts[0].start, ms("2016-02-20T00:29:22.810Z"), "webhook v3: start");
	T_OK(r.alerts[0].fingerprint == NULL, "webhook v3: no fingerprint");
	run_release(&r);

	/* No version, no per-alert status: the group's status, then endsAt. */
	T_EQ_INT(imp(&r, "{\"status\":\"resolved\",\"receiver\":\"a\",\"alerts\":[{\"labels\":{\"alertname\":\"W\"},"
	    "\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"2026-01-01T00:10:00Z\"}]}", &m), 0,
	    "no version: imports");
	free(m);
	T_EQ_STR(r.sources[0].format, "alertmanager-webhook", "no version: format");
	T_EQ_INT(r.alerts[0].have_end, 1, "no per-alert status: the resolved group's status applies");
	T_EQ_INT(r.alerts[0].end, ms("2026-01-01T00:10:00Z"), "no per-alert status: end");
	T_OK(r.alerts[0].annotations == NULL, "no annotations key: none");
	run_release(&r);

	/* Watchdog and InfoInhibitor are always firing. */
	T_EQ_INT(imp(&r, HOOK("firing", ALERT("firing", "Watchdog", "", "2026-01-01T00:00:00Z", ZERO, "") ","
	    ALERT("firing", "InfoInhibitor", "", "2026-01-01T00:00:00Z", ZERO, "")), &m), 0, "watchdog: imports");
	free(m);
	T_EQ_STR(r.alerts[0].name, "InfoInhibitor", "same start: sorted by name");
	T_EQ_INT(r.alerts[0].always_firing, 1, "InfoInhibitor is always firing");
	T_EQ_INT(r.alerts[1].always_firing, 1, "Watchdog is always firing");
	run_release(&r);

	/* A resolved alert with the zero endsAt (hand-edited): warned, still firing. */
	T_EQ_INT(imp(&r, HOOK("resolved", ALERT("resolved", "R", "i", "2026-01-01T00:00:00Z", ZERO, "")), &m), 0,
	    "resolved without end: imports");
	T_EQ_STR(m, "sloproof: a.json:1:204: warning: alert is resolved but its \"endsAt\" is the zero time; "
	    "its end is unknown, so it counts as still firing\n", "resolved without end: warning with position");
	free(m);
	T_EQ_INT(r.alerts[0].have_end, 0, "resolved without end: counts as firing at capture");
	run_release(&r);

	/* truncatedAlerts says alerts were left out. */
	T_EQ_INT(imp(&r, "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"a\",\"truncatedAlerts\":3,"
	    "\"alerts\":[]}", &m), 0, "truncatedAlerts: imports");
	T_EQ_STR(m, "sloproof: a.json:1:49: warning: the notification left out 3 alerts (max_alerts); "
	    "they are not in this evidence\n", "truncatedAlerts: warned");
	free(m);
	T_EQ_INT(r.nalerts, 0, "empty alerts: no intervals");
	run_release(&r);
}

static void
test_merge(void)
{
	struct run r;
	char *m;

	/* NDJSON as a webhook receiver appends it: firing, firing again with new annotations, resolved. */
	T_EQ_INT(imp(&r,
	    HOOK("firing", ALERT("firing", "Lat", "a", "2026-11-28T10:00:00Z", ZERO, "p95 1.2s")) "\n"
	    HOOK("firing", ALERT("firing", "Lat", "a", "2026-11-28T10:00:00Z", ZERO, "p95 1.9s")) "\n"
	    HOOK("resolved", ALERT("resolved", "Lat", "a", "2026-11-28T10:00:00Z", "2026-11-28T10:07:00Z",
	    "p95 1.9s")) "\n"
	    /* a second firing after the resolve: a new startsAt, a second interval */
	    HOOK("firing", ALERT("firing", "Lat", "a", "2026-11-28T11:00:00Z", ZERO, "p95 2s")) "\n", &m), 0,
	    "ndjson: imports");
	T_EQ_STR(m, "", "ndjson: no diagnostics");
	free(m);
	T_EQ_INT(r.nalerts, 2, "ndjson: repeated notifications merge; a re-fire is a second interval");
	T_EQ_INT(r.alerts[0].start, ms("2026-11-28T10:00:00Z"), "ndjson: first start");
	T_EQ_INT(r.alerts[0].have_end, 1, "ndjson: first resolved");
	T_EQ_INT(r.alerts[0].end, ms("2026-11-28T10:07:00Z"), "ndjson: first end");
	T_EQ_STR(ann(&r.alerts[0], "summary"), "p95 1.9s", "ndjson: last annotations kept");
	T_EQ_INT(r.alerts[0].annotation_changes, 1, "ndjson: the annotation change is noted");
	T_EQ_INT(r.alerts[0].origin.line, 1, "ndjson: origin is the first notification's line");
	T_EQ_INT(r.alerts[1].start, ms("2026-11-28T11:00:00Z"), "ndjson: second start");
	T_EQ_INT(r.alerts[1].have_end, 0, "ndjson: second still firing");
	T_EQ_INT(r.alerts[1].origin.line, 4, "ndjson: second's origin line");
	run_release(&r);

	/* Concatenated pretty documents and a JSON array of payloads read the same. */
	T_EQ_INT(imp(&r, "{\"status\":\"firing\",\"receiver\":\"a\",\"alerts\":[{\"labels\":{\"alertname\":\"C\"},"
	    "\"startsAt\":\"2026-01-01T00:00:00Z\"}]}{\"status\":\"resolved\",\"receiver\":\"a\",\"alerts\":"
	    "[{\"labels\":{\"alertname\":\"C\"},\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":"
	    "\"2026-01-01T00:03:00Z\"}]}", &m), 0, "concatenated: imports");
	free(m);
	T_EQ_INT(r.nalerts, 1, "concatenated: one interval");
	T_EQ_INT(r.alerts[0].end, ms("2026-01-01T00:03:00Z"), "concatenated: end from the second");
	run_release(&r);
	T_EQ_INT(imp(&r, "[" HOOK("firing", ALERT("firing", "D", "x", "2026-01-01T00:00:00Z", ZERO, "")) ","
	    HOOK("resolved", ALERT("resolved", "D", "x", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "")) "]",
	    &m), 0, "array of payloads: imports");
	free(m);
	T_EQ_INT(r.nalerts, 1, "array of payloads: one interval");
	T_EQ_INT(r.alerts[0].end, ms("2026-01-01T01:00:00Z"), "array of payloads: end");

	/* A second input into the same run merges too: same labels and start. */
	T_EQ_INT(imp_into(&r, HOOK("firing", ALERT("firing", "D", "x", "2026-01-01T00:00:00Z", ZERO, "new")) "\n"
	    HOOK("firing", ALERT("firing", "E", "x", "2026-01-01T02:00:00Z", ZERO, "")), &m), 0,
	    "second input: imports");
	free(m);
	T_EQ_INT(r.nalerts, 2, "second input: D merged, E added");
	T_EQ_STR(r.alerts[0].name, "D", "second input: D first");
	T_EQ_INT(r.alerts[0].origin.src, 0, "second input: D keeps its first evidence");
	T_EQ_INT(r.alerts[0].have_end, 1, "second input: D keeps its end");
	T_EQ_STR(ann(&r.alerts[0], "summary"), "new", "second input: later input's annotations");
	T_EQ_INT(r.alerts[1].origin.src, 1, "second input: E from the second source");
	run_release(&r);
}

static void
test_api(void)
{
	struct run r;
	char *m;

	/* v2: active alerts; endsAt is extrapolated and ignored; updatedAt is the capture time. */
	T_EQ_INT(imp(&r, "[{\"annotations\":{},\"endsAt\":\"2026-01-01T00:20:00Z\",\"fingerprint\":\"f1\","
	    "\"receivers\":[{\"name\":\"a\"}],\"startsAt\":\"2026-01-01T00:00:00Z\",\"status\":{\"inhibitedBy\":[],"
	    "\"silencedBy\":[],\"state\":\"active\"},\"updatedAt\":\"2026-01-01T00:16:00-05:00\",\"labels\":"
	    "{\"alertname\":\"V2\",\"receivers\":\"x|y\"}}]", &m), 0, "api v2: imports");
	free(m);
	T_EQ_STR(r.sources[0].format, "alertmanager-api-v2", "api v2: format");
	T_EQ_INT(r.nalerts, 1, "api v2: one interval");
	T_EQ_INT(r.alerts[0].have_end, 0, "api v2: active = firing at capture, endsAt ignored");
	T_EQ_STR(lab(&r.alerts[0], "receivers"), "x|y", "api v2: a label named receivers is a label");
	T_EQ_INT(r.sources[0].generated_at, ms("2026-01-01T05:16:00Z"), "api v2: updatedAt is the capture time");
	run_release(&r);

	T_EQ_INT(imp(&r, "[{\"alerts\":[{\"labels\":{\"alertname\":\"G\"},\"startsAt\":\"2026-01-01T00:00:00Z\","
	    "\"endsAt\":\"2026-01-01T00:04:00Z\",\"status\":{\"state\":\"suppressed\"}}],\"labels\":{},"
	    "\"receiver\":{\"name\":\"a\"}}]", &m), 0, "api v2 groups: imports");
	free(m);
	T_EQ_STR(r.sources[0].format, "alertmanager-api-v2-groups", "api v2 groups: format");
	T_EQ_STR(r.alerts[0].name, "G", "api v2 groups: alert");
	T_EQ_INT(r.alerts[0].have_end, 0, "api v2 groups: suppressed is still firing");
	run_release(&r);

	T_EQ_INT(imp(&r, "{\"status\":\"success\",\"data\":[{\"labels\":{\"alertname\":\"V1\"},\"annotations\":{},"
	    "\"startsAt\":\"2019-01-01T00:00:00Z\",\"endsAt\":\"2019-01-01T00:05:00Z\",\"status\":{\"state\":\"active\","
	    "\"silencedBy\":[],\"inhibitedBy\":[]},\"receivers\":[\"team\"],\"fingerprint\":\"f\"}]}", &m), 0,
	    "api v1: imports");
	free(m);
	T_EQ_STR(r.sources[0].format, "alertmanager-api-v1", "api v1: format");
	T_EQ_STR(r.alerts[0].name, "V1", "api v1: alert");
	T_EQ_INT(r.alerts[0].start, ms("2019-01-01T00:00:00Z"), "api v1: start");
	run_release(&r);
}

#define SNAPA(name, start) "{\"labels\":{\"alertname\":\"" name "\"},\"startsAt\":\"" start "\"," \
	"\"endsAt\":\"2030-01-01T00:00:00Z\",\"status\":{\"state\":\"active\"}}"

static void
test_snapshots(void)
{
	struct run r;
	char *m;

	T_EQ_INT(imp(&r,
	    "{\"captured_at\":\"2026-01-01T00:01:00Z\",\"alerts\":[" SNAPA("A", "2026-01-01T00:00:30Z") "]}\n"
	    "{\"captured_at\":\"2026-01-01T00:02:00Z\",\"alerts\":[" SNAPA("A", "2026-01-01T00:00:30Z") ","
	    SNAPA("B", "2026-01-01T00:01:40Z") "]}\n"
	    "{\"captured_at\":\"2026-01-01T00:03:00Z\",\"alerts\":[" SNAPA("B", "2026-01-01T00:01:40Z") "]}\n", &m), 0,
	    "snapshots: import");
	free(m);
	T_EQ_STR(r.sources[0].format, "alertmanager-snapshots", "snapshots: format");
	T_EQ_INT(r.nalerts, 2, "snapshots: two intervals");
	T_EQ_STR(r.alerts[0].name, "A", "snapshots: A");
	T_EQ_INT(r.alerts[0].have_end, 1, "snapshots: A gone from the third");
	T_EQ_INT(r.alerts[0].end, ms("2026-01-01T00:03:00Z"), "snapshots: A ends at the first snapshot without it");
	T_EQ_INT(r.alerts[0].end_approx, 1, "snapshots: A's end is approximate");
	T_EQ_INT(r.alerts[1].have_end, 0, "snapshots: B in the last snapshot = firing at capture");
	T_EQ_INT(r.alerts[1].origin.line, 2, "snapshots: B first seen on line 2");
	T_EQ_INT(r.sources[0].generated_at, ms("2026-01-01T00:03:00Z"), "snapshots: last captured_at");
	run_release(&r);
}

static void
test_prometheus(void)
{
	struct run r;
	char *m;

	/* step 60 s: firing 0..180 (ends), gap, 600..660 (the last sample: still firing). */
	T_EQ_INT(imp(&r, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n"
	    "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"Slow\",\"alertstate\":\"pending\",\"job\":\"api\"},"
	    "\"values\":[[1767225480,\"1\"],[1767225540,\"1\"]]},\n"
	    "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"Slow\",\"alertstate\":\"firing\",\"job\":\"api\"},"
	    "\"values\":[[1767225600,\"1\"],[1767225660,\"1\"],[1767225720,\"1\"],[1767225780,\"1\"],"
	    "[1767226200.5,\"1\"],[1767226260.5,\"1\"]]}\n]}}", &m), 0, "ALERTS range: imports");
	T_EQ_STR(m, "", "ALERTS range: no diagnostics");
	free(m);
	T_EQ_STR(r.sources[0].format, "prometheus-alerts-range", "ALERTS range: format");
	T_EQ_INT(r.nalerts, 2, "ALERTS range: a gap over 2 steps splits the firing");
	T_EQ_INT(r.alerts[0].start, 1767225600000LL, "ALERTS range: first start");
	T_EQ_INT(r.alerts[0].have_end, 1, "ALERTS range: first ended");
	T_EQ_INT(r.alerts[0].end, 1767225840000LL, "ALERTS range: end = last sample + step");
	T_EQ_INT(r.alerts[0].end_approx, 1, "ALERTS range: end approximate");
	T_EQ_INT(r.alerts[0].have_pending, 1, "ALERTS range: pending before firing");
	T_EQ_INT(r.alerts[0].pending_since, 1767225480000LL, "ALERTS range: pending since");
	T_EQ_INT(r.alerts[0].nlabels, 2, "ALERTS range: __name__ and alertstate dropped");
	T_EQ_STR(lab(&r.alerts[0], "job"), "api", "ALERTS range: labels kept");
	T_EQ_INT(r.alerts[0].origin.line, 3, "ALERTS range: origin is the firing series");
	T_EQ_INT(r.alerts[1].start, 1767226200500LL, "ALERTS range: second start (fractional seconds)");
	T_EQ_INT(r.alerts[1].have_end, 0, "ALERTS range: reaching the last sample = firing at capture");
	T_EQ_INT(r.alerts[1].have_pending, 0, "ALERTS range: no pending before the second");
	run_release(&r);

	T_EQ_INT(imp(&r, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{\"__name__\":\"ALERTS_FOR_STATE\",\"alertname\":\"S\"},\"values\":[[1000,\"940\"]]},"
	    "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"S\",\"alertstate\":\"firing\"},"
	    "\"values\":[[1000,\"1\"],[1015,\"1\"]]},"
	    "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"T\",\"alertstate\":\"firing\"},"
	    "\"values\":[[1000,\"1\"],[1015,\"1\"],[1030,\"1\"]]}]}}", &m), 0, "ALERTS_FOR_STATE: imports");
	free(m);
	T_EQ_INT(r.alerts[0].have_pending, 1, "ALERTS_FOR_STATE: gives pending_since");
	T_EQ_INT(r.alerts[0].pending_since, 940000, "ALERTS_FOR_STATE: its value is activeAt");
	T_EQ_INT(r.alerts[0].end, 1030000, "ALERTS_FOR_STATE: S ended a step after its last sample");
	run_release(&r);
}

static void
test_tables(void)
{
	struct run r;
	char *m;

	T_EQ_INT(imp(&r, "Alertname  Starts At                Summary\n"
	    "Disk       2026-01-01 10:00:00 UTC  disk full on ümlaut\n"
	    "Disk       2026-01-01 10:00:00 UTC  disk full on ümlaut\n"
	    "Watchdog   2026-01-01 09:00:00 UTC  \n", &m), 0, "amtool simple: imports");
	free(m);
	T_EQ_STR(r.sources[0].format, "amtool-table", "amtool simple: format");
	T_EQ_INT(r.nalerts, 2, "amtool simple: identical rows merge (the table shows no labels)");
	T_EQ_STR(r.alerts[0].name, "Watchdog", "amtool simple: sorted by start");
	T_EQ_INT(r.alerts[0].always_firing, 1, "amtool simple: Watchdog always firing");
	T_EQ_STR(ann(&r.alerts[1], "summary"), "disk full on ümlaut", "amtool simple: summary annotation");
	T_EQ_INT(r.alerts[1].start, ms("2026-01-01T10:00:00Z"), "amtool simple: start");
	T_EQ_INT(r.alerts[1].have_end, 0, "amtool simple: firing at capture");
	T_EQ_INT(r.alerts[1].origin.line, 2, "amtool simple: origin line");
	run_release(&r);

	T_EQ_INT(imp(&r, "Labels                              Annotations         Starts At                Ends At"
	    "                  Generator URL\n"
	    "alertname=\"X\" instance=\"a b\"        summary=\"s \\\"q\\\"\"     2026-01-01 10:00:00 UTC  "
	    "0001-01-01 00:00:00 UTC  http://x\n", &m), 0, "amtool extended: imports");
	free(m);
	T_EQ_STR(r.sources[0].format, "amtool-extended-table", "amtool extended: format");
	T_EQ_STR(r.alerts[0].name, "X", "amtool extended: name");
	T_EQ_STR(lab(&r.alerts[0], "instance"), "a b", "amtool extended: a value with a space");
	T_EQ_STR(ann(&r.alerts[0], "summary"), "s \"q\"", "amtool extended: escaped quotes");
	run_release(&r);
}

static void
test_errors(void)
{
	char *m;

	m = bad(HOOK("firing", "{\"labels\":[\"a\"],\"startsAt\":\"2026-01-01T00:00:00Z\"}"));
	T_EQ_STR(m, "sloproof: a.json:1:212: error: \"labels\": expected an object, found an array\n",
	    "labels not an object");
	free(m);
	m = bad("[{\"labels\":{\"alertname\":\"A\"},\n \"startsAt\": \"2026-01-01 noon\"}]");
	T_EQ_STR(m, "sloproof: a.json:2:14: error: \"startsAt\": expected an RFC 3339 time, found "
	    "\"2026-01-01 noon\"\n", "startsAt not RFC 3339");
	free(m);
	m = bad("[{\"labels\":{\"alertname\":\"A\"}}]");
	T_EQ_STR(m, "sloproof: a.json:1:2: error: alert without \"startsAt\"\n", "no startsAt");
	free(m);
	m = bad("[{\"labels\":{\"alertname\":\"A\",\"n\":5},\"startsAt\":\"2026-01-01T00:00:00Z\"}]");
	T_EQ_STR(m, "sloproof: a.json:1:33: error: label \"n\": expected a string, found a number\n",
	    "label value not a string");
	free(m);
	m = bad("{\"status\":\"firing\",\"receiver\":\"a\",\"alerts\":[{\"status\":\"burning\","
	    "\"labels\":{},\"startsAt\":\"2026-01-01T00:00:00Z\"}]}");
	T_EQ_STR(m, "sloproof: a.json:1:55: error: \"status\": expected \"firing\" or \"resolved\", found "
	    "\"burning\"\n", "unknown alert status");
	free(m);
	m = bad("{\"version\":\"5\",\"alerts\":[]}");
	T_EQ_STR(m, "sloproof: a.json:1:12: error: \"version\": expected \"4\" or \"3\", found \"5\"\n",
	    "unknown webhook version");
	free(m);
	m = bad("{\"status\":\"firing\",\n\"alerts\":[{\"labels\":{}}\n");
	T_EQ_STR(m, "sloproof: a.json:3:1: error: invalid JSON: unexpected end of input\n",
	    "truncated: an error at the end, nothing imported");
	free(m);
	m = bad("{\"alerts\":[]}\n{\"alerts\":[],}\n");
	T_EQ_STR(m, "sloproof: a.json:2:14: error: invalid JSON: expected a double-quoted key, found \"}\"\n",
	    "ndjson: syntax error on line 2");
	free(m);
	m = bad("\"{\n  \"receiver\": \"x\", \"alerts\": []}\"");
	T_EQ_STR(m, "sloproof: a.json:1:1: error: a JSON string that contains JSON: this looks like a payload "
	    "quoted twice (serialised to a string, then written as JSON); expected the payload object itself, "
	    "without the outer quotes\n", "payload quoted twice (unescaped)");
	free(m);
	m = bad("\"{\\\"receiver\\\": \\\"x\\\"}\"");
	T_OK(strstr(m, "a.json:1:1: error: a JSON string that contains JSON") != NULL,
	    "payload quoted twice (escaped)");
	free(m);
	m = bad("{\"metrics\":{}}");
	T_EQ_STR(m, "sloproof: a.json:1:1: error: not Alertmanager alerts: expected a webhook payload, an API "
	    "response, a snapshot or a Prometheus ALERTS range query, found an object without \"alerts\" or "
	    "\"data\"\n", "not alerts");
	free(m);
	m = bad("{\"captured_at\":\"2026-01-01T00:02:00Z\",\"alerts\":[]}\n"
	    "{\"captured_at\":\"2026-01-01T00:01:00Z\",\"alerts\":[]}\n");
	T_EQ_STR(m, "sloproof: a.json:2:16: error: snapshot captured at 2026-01-01T00:01:00Z comes after one "
	    "captured at 2026-01-01T00:02:00Z; snapshots must be in time order\n", "snapshots out of order");
	free(m);
	m = bad("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
	T_EQ_STR(m, "sloproof: a.json:1:42: error: \"resultType\": expected \"matrix\" (a query_range of "
	    "ALERTS), found \"vector\"\n", "instant query refused");
	free(m);
	m = bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
	    "{\"__name__\":\"up\"},\"values\":[]}]}}");
	T_EQ_STR(m, "sloproof: a.json:1:71: error: expected a series of ALERTS{alertstate=\"firing\"|\"pending\"} "
	    "or ALERTS_FOR_STATE, found \"up\"\n", "not an ALERTS series");
	free(m);
	m = bad("Alertname  Starts At                Summary\nA          2026-01-01 10:00:00 CET  x\n");
	T_EQ_STR(m, "sloproof: a.json:2:12: error: \"Starts At\": expected a time like \"2017-08-02 18:30:18 UTC\", "
	    "found \"2026-01-01 10:00:00 CET\"\n", "amtool: a time not in UTC");
	free(m);
	m = bad("Alertname  Starts At  Alertname\n");
	T_EQ_STR(m, "sloproof: a.json:1:23: error: the table header names \"Alertname\" twice\n",
	    "amtool: a column named twice");
	free(m);
	m = bad("hello\n");
	T_EQ_STR(m, "sloproof: a.json:1:1: error: not Alertmanager alerts: expected JSON (a webhook payload, an "
	    "API response, snapshots) or an amtool table, found \"h\"\n", "plain text");
	free(m);
	m = bad("  \n");
	T_EQ_STR(m, "sloproof: a.json: error: empty file; expected Alertmanager alerts\n", "empty");
	free(m);
}

static void
test_sniff(void)
{
	T_OK(in_alerts_sniff("{\"receiver\":\"a\",\"alerts\":[", 27), "sniff: webhook (even truncated)");
	T_OK(in_alerts_sniff("[{\"labels\":{},\"startsAt\":\"x\"}]", 31), "sniff: api v2");
	T_OK(in_alerts_sniff("Alertname  Starts At  Summary\n", 30), "sniff: amtool table");
	T_OK(!in_alerts_sniff("{\"metrics\":{}}", 14), "sniff: not a k6 summary");
}

/* Imports a corpus file through import_file (sniffing included). */
static int
load(struct run *r, const char *dir, const char *name, char **msgs)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	run_init(r);
	cap_begin();
	rc = import_file(r, NULL, path, name);
	*msgs = cap_end();
	return rc;
}

static void
test_corpus(void)
{
	const char *corpus = t_corpus();
	char dir[4096], what[512], *m;
	struct dirent *de;
	struct run r;
	DIR *d;
	int n = 0, checked = 0;
	const char *f;

	if (corpus == NULL)
		return;
	snprintf(dir, sizeof dir, "%s/alertmanager", corpus);
	if ((d = opendir(dir)) == NULL) {
		T_OK(0, "corpus alertmanager/ opens");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n++;
		f = de->d_name;
		if (strstr(f, "INVALID-JSON-wrapped-in-quotes")) {
			T_EQ_INT(load(&r, dir, f, &m), -1, "corpus: quoted-twice payload refused");
			snprintf(what, sizeof what, "sloproof: %s:1:1: error: a JSON string that contains JSON: this "
			    "looks like a payload quoted twice (serialised to a string, then written as JSON); expected "
			    "the payload object itself, without the outer quotes\n", f);
			T_EQ_STR(m, what, "corpus: quoted-twice payload has the specific error");
			checked++;
		} else if (strstr(f, "TRUNCATED")) {
			T_EQ_INT(load(&r, dir, f, &m), -1, "corpus: truncated v3 refused, nothing imported");
			snprintf(what, sizeof what, "sloproof: %s:45:1: error: invalid JSON: unexpected end of input\n", f);
			T_EQ_STR(m, what, "corpus: truncated v3 error at its end");
			T_EQ_INT(r.nalerts, 0, "corpus: truncated v3 imports nothing");
			checked++;
		} else {
			snprintf(what, sizeof what, "corpus %s imports", f);
			T_EQ_INT(load(&r, dir, f, &m), 0, what);
			snprintf(what, sizeof what, "corpus %s is sniffed as alerts", f);
			T_EQ_STR(r.nsources ? r.sources[0].kind : NULL, "alerts", what);
		}
		if (strstr(f, "extended-table")) {
			T_EQ_INT(r.nalerts, 4, "corpus extended table: 4 alerts");
			T_EQ_STR(r.alerts[0].name, "Check_Foo_Fails", "corpus extended table: first by name");
			T_EQ_STR(lab(&r.alerts[0], "instance"), "node0", "corpus extended table: instance");
			T_EQ_STR(ann(&r.alerts[3], "link"), "https://example.com", "corpus extended table: link");
			T_EQ_INT(r.alerts[3].start, ms("2017-08-02T18:31:24Z"), "corpus extended table: start");
			T_EQ_INT(r.alerts[3].have_end, 0, "corpus extended table: zero Ends At = firing");
			checked++;
		} else if (strstr(f, "simple-table")) {
			T_EQ_INT(r.nalerts, 2, "corpus simple table: 2 distinct alerts (4 rows, no labels)");
			T_EQ_STR(r.alerts[1].name, "Test_Alert", "corpus simple table: Test_Alert");
			T_EQ_INT(r.alerts[1].start, ms("2017-08-02T18:30:18Z"), "corpus simple table: start");
			T_EQ_STR(ann(&r.alerts[1], "summary"), "This is a testing alert!", "corpus simple table: summary");
			checked++;
		} else if (strstr(f, "aws-amp")) {
			T_EQ_STR(r.alerts[0].name, "metric:alerting_rule", "corpus aws-amp: name");
			T_EQ_STR(r.alerts[0].fingerprint, "114212a24ca97549", "corpus aws-amp: fingerprint");
			T_EQ_INT(r.alerts[0].start, ms("2021-09-16T13:20:35.966Z"), "corpus aws-amp: start");
			T_EQ_INT(r.alerts[0].have_end, 0, "corpus aws-amp: active, extrapolated endsAt ignored");
			T_EQ_INT(r.sources[0].generated_at, ms("2021-09-16T18:44:35.984Z"), "corpus aws-amp: capture time");
			checked++;
		} else if (strstr(f, "issue2233")) {
			T_EQ_STR(r.alerts[0].name, "TEST122", "corpus issue2233: name");
			T_EQ_STR(r.alerts[0].severity, "critical", "corpus issue2233: severity");
			T_EQ_STR(lab(&r.alerts[0], "receivers"), "slack|pagerduty", "corpus issue2233: receivers label");
			T_EQ_INT(r.alerts[0].start, ms("2020-04-15T13:34:36.500Z"), "corpus issue2233: +03:00 start");
			checked++;
		} else if (strstr(f, "issue2832")) {
			T_EQ_STR(r.alerts[0].name, "InstanceDown", "corpus issue2832: name");
			T_EQ_INT(r.sources[0].generated_at, ms("2022-02-14T01:03:46.134Z"),
			    "corpus issue2832: -05:00 updatedAt");
			checked++;
		} else if (strstr(f, "missing-version")) {
			T_EQ_STR(r.sources[0].format, "alertmanager-webhook", "corpus no version: format");
			T_EQ_STR(r.alerts[0].name, "something_happened", "corpus no version: name");
			T_OK(r.alerts[0].fingerprint == NULL, "corpus no version: no fingerprint");
			T_EQ_INT(r.alerts[0].start, ms("2019-03-14T17:05:37.903Z"), "corpus no version: start");
			checked++;
		} else if (strstr(f, "devopsext")) {
			T_EQ_STR(r.alerts[0].name, "Process Open FDS 2", "corpus devopsext: name (not commonLabels')");
			T_EQ_INT(r.alerts[0].start, ms("2022-02-01T15:10:00.056Z"), "corpus devopsext: ns truncated to ms");
			checked++;
		} else if (strstr(f, "flattr")) {
			T_EQ_STR(r.alerts[0].name, "Test", "corpus flattr: per-alert name, not commonLabels'");
			T_EQ_INT(r.alerts[0].start, ms("2018-08-03T07:52:26.739Z"), "corpus flattr: +02:00 start");
			T_EQ_STR(ann(&r.alerts[0], "description"), "some description", "corpus flattr: annotation");
			checked++;
		} else if (strstr(f, "issue1051")) {
			T_EQ_INT(r.nalerts, 2, "corpus issue1051: 2 alerts");
			T_EQ_INT(r.alerts[0].have_end, 0, "corpus issue1051: first firing");
			T_EQ_STR(lab(&r.alerts[0], "status"), "firing", "corpus issue1051: a label named status");
			T_EQ_INT(r.alerts[1].have_end, 1, "corpus issue1051: resolved one in a firing group");
			T_EQ_INT(r.alerts[1].end, ms("2017-10-21T17:50:28.806Z"), "corpus issue1051: end");
			checked++;
		} else if (strstr(f, "minified-firing")) {
			T_EQ_INT(r.nalerts, 3, "corpus minified firing: 3 alerts");
			T_EQ_STR(lab(&r.alerts[2], "instance"), "172.29.254.66", "corpus minified firing: third");
			T_EQ_INT(r.alerts[0].start, ms("2019-09-27T16:27:56.612Z"), "corpus minified firing: start");
			checked++;
		} else if (strstr(f, "minified-resolved-handedited")) {
			T_EQ_INT(r.nalerts, 3, "corpus hand-edited resolved: 3 alerts");
			T_OK(strstr(m, ":1:64: warning: alert is resolved but its \"endsAt\" is the zero time") != NULL,
			    "corpus hand-edited resolved: warns at the first alert");
			T_EQ_INT(r.alerts[0].have_end, 0, "corpus hand-edited resolved: end unknown");
			checked++;
		} else if (strstr(f, "msteams")) {
			T_EQ_STR(r.alerts[0].name, "high_memory_load", "corpus msteams: name");
			T_EQ_INT(r.alerts[0].have_end, 0, "corpus msteams: no status, zero endsAt = firing");
			T_EQ_INT(r.alerts[0].origin.line, 20, "corpus msteams: origin line");
			checked++;
		}
		free(m);
		run_release(&r);
	}
	closedir(d);
	T_EQ_INT(n, 14, "corpus alertmanager/ has its 14 files");
	T_EQ_INT(checked, n, "corpus: specific values asserted for every file");
}

int
main(void)
{
	test_webhook();
	test_merge();
	test_api();
	test_snapshots();
	test_prometheus();
	test_tables();
	test_errors();
	test_sniff();
	test_corpus();
	return t_done();
}
