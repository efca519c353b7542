/*
 * out_ctrf.c — CTRF reports and CI annotations (out_ctrf.h).
 *
 * CTRF: each SLO is a test named after the rule; pass and warn are
 * "passed" (rawStatus keeps "warn"), fail and nodata "failed" (no data
 * fails the gate, so it fails the test view too). filePath and line point
 * at the rule; extra carries the observed value, the limit and the
 * evidence's file:line. The run's start and stop are the span of the
 * evidence (the k6 summary's generation time and test duration, series
 * points, alert windows, faults); 0 when nothing in it carries a time.
 *
 * GitHub: workflow commands, escaped as the runner wants (% CR LF in the
 * message; also : and , in properties). GitLab has no annotation command
 * for logs: the lines go into a collapsible section in compiler style
 * (FILE:LINE: error: ...), which GitLab links from the job log.
 * Depends on eval, run, strnum, timeutil, version and cJSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "out/out_ctrf.h"
#include "util/diag.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/version.h"

static const char *
ctrf_status(enum verdict_state s)
{
	return s == V_PASS || s == V_WARN ? "passed" : "failed";
}

static void
span(const struct run *run, int64_t *lo, int64_t *hi)
{
	int have = 0;
	size_t i;

#define SEE(t) do { int64_t t_ = (t); if (!have || t_ < *lo) *lo = t_; if (!have || t_ > *hi) *hi = t_; have = 1; } while (0)
	for (i = 0; i < run->nsources; i++)
		if (run->sources[i].have_generated_at) {
			SEE(run->sources[i].generated_at);
			if (run->sources[i].have_duration)
				SEE(run->sources[i].generated_at - (int64_t)run->sources[i].duration_ms);
		}
	for (i = 0; i < run->nseries; i++)
		if (run->series[i].npts) {
			SEE(run->series[i].pts[0].t);
			SEE(run->series[i].pts[run->series[i].npts - 1].t);
		}
	for (i = 0; i < run->nalerts; i++) {
		SEE(run->alerts[i].start);
		if (run->alerts[i].have_end)
			SEE(run->alerts[i].end);
	}
	for (i = 0; i < run->nfaults; i++) {
		SEE(run->faults[i].start);
		SEE(run->faults[i].end);
	}
#undef SEE
	if (!have)
		*lo = *hi = 0;
}

static const char *
src_path(const struct run *run, const struct origin *o)
{
	return o->src >= 0 && (size_t)o->src < run->nsources ? run->sources[o->src].path : NULL;
}

static const char *
mapped(const struct path_map *map, const char *file)
{
	size_t i;

	for (i = 0; map && file && i < map->n; i++)
		if (strcmp(map->from[i], file) == 0)
			return map->to[i];
	return file;
}

int
out_ctrf(const struct verdicts *vs, const struct run *run, const char *suite, int have_ts, int64_t ts,
    const struct path_map *map, struct buf *out)
{
	cJSON *root, *res, *tool, *sum, *tests, *t, *suites, *extra, *tags;
	char ev[1200], when[64];
	const char *sp;
	long long passed = 0, failed = 0;
	int64_t lo, hi;
	char *s;
	size_t i;
	int rc = 0;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "reportFormat", "CTRF");
	cJSON_AddStringToObject(root, "specVersion", "0.0.0");
	if (have_ts) {
		time_fmt_utc(ts, when, sizeof when);
		cJSON_AddStringToObject(root, "timestamp", when);
	}
	cJSON_AddStringToObject(root, "generatedBy", "sloproof " SLOPROOF_VERSION);
	res = cJSON_AddObjectToObject(root, "results");
	tool = cJSON_AddObjectToObject(res, "tool");
	cJSON_AddStringToObject(tool, "name", "sloproof");
	cJSON_AddStringToObject(tool, "version", SLOPROOF_VERSION);
	for (i = 0; i < vs->n; i++) {
		if (vs->v[i].state == V_PASS || vs->v[i].state == V_WARN)
			passed++;
		else
			failed++;
	}
	span(run, &lo, &hi);
	sum = cJSON_AddObjectToObject(res, "summary");
	cJSON_AddNumberToObject(sum, "tests", (double)vs->n);
	cJSON_AddNumberToObject(sum, "passed", (double)passed);
	cJSON_AddNumberToObject(sum, "failed", (double)failed);
	cJSON_AddNumberToObject(sum, "skipped", 0);
	cJSON_AddNumberToObject(sum, "pending", 0);
	cJSON_AddNumberToObject(sum, "other", 0);
	cJSON_AddNumberToObject(sum, "suites", 1);
	cJSON_AddNumberToObject(sum, "start", (double)lo);
	cJSON_AddNumberToObject(sum, "stop", (double)hi);
	cJSON_AddNumberToObject(sum, "duration", (double)(hi - lo));
	tests = cJSON_AddArrayToObject(res, "tests");
	for (i = 0; i < vs->n; i++) {
		const struct verdict *v = &vs->v[i];
		const struct slo_rule *r = v->rule;

		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "name", r->name);
		cJSON_AddStringToObject(t, "status", ctrf_status(v->state));
		cJSON_AddNumberToObject(t, "duration", 0);
		if (v->state != V_PASS)
			cJSON_AddStringToObject(t, "message", v->message);
		cJSON_AddStringToObject(t, "rawStatus", verdict_str(v->state));
		suites = cJSON_AddArrayToObject(t, "suite");
		cJSON_AddItemToArray(suites, cJSON_CreateString(suite && *suite ? suite : "SLOs"));
		tags = cJSON_AddArrayToObject(t, "tags");
		cJSON_AddItemToArray(tags, cJSON_CreateString("slo"));
		cJSON_AddStringToObject(t, "type", "slo");
		if (r->file)
			cJSON_AddStringToObject(t, "filePath", mapped(map, r->file));
		if (r->line > 0)
			cJSON_AddNumberToObject(t, "line", (double)r->line);
		extra = cJSON_AddObjectToObject(t, "extra");
		cJSON_AddStringToObject(extra, "verdict", verdict_str(v->state));
		if (v->have_observed)
			cJSON_AddNumberToObject(extra, "observed", v->observed);
		else
			cJSON_AddNullToObject(extra, "observed");
		cJSON_AddNumberToObject(extra, "limit", v->limit);
		cJSON_AddStringToObject(extra, "unit", unit_name(v->unit));
		if ((sp = src_path(run, &v->evidence)) != NULL) {
			if (v->evidence.line > 0)
				snprintf(ev, sizeof ev, "%s:%ld", sp, v->evidence.line);
			else
				snprintf(ev, sizeof ev, "%s", sp);
			cJSON_AddStringToObject(extra, "evidence", ev);
		}
		cJSON_AddItemToArray(tests, t);
	}
	s = cJSON_Print(root);
	cJSON_Delete(root);
	if (s == NULL || buf_addstr(out, s) == -1 || buf_addc(out, '\n') == -1) {
		diag_syserr(NULL, "CTRF report: out of memory or too large");
		rc = -1;
	}
	free(s);
	return rc;
}

/* ---- CI annotations ------------------------------------------------------ */

enum ci_kind
ci_detect(void)
{
	const char *g = getenv("GITHUB_ACTIONS"), *l = getenv("GITLAB_CI");

	if (g && strcmp(g, "true") == 0)
		return CI_GITHUB;
	if (l && strcmp(l, "true") == 0)
		return CI_GITLAB;
	return CI_NONE;
}

int
ci_parse(const char *w, enum ci_kind *k)
{
	if (strcmp(w, "auto") == 0)
		*k = ci_detect();
	else if (strcmp(w, "github") == 0)
		*k = CI_GITHUB;
	else if (strcmp(w, "gitlab") == 0)
		*k = CI_GITLAB;
	else if (strcmp(w, "none") == 0)
		*k = CI_NONE;
	else
		return -1;
	return 0;
}

/* GitHub's escaping: the message escapes % CR LF; a property also : and ,. */
static int
gh_esc(struct buf *out, const char *s, int prop)
{
	int rc = 0;

	for (; *s; s++) {
		if (*s == '%')
			rc |= buf_addstr(out, "%25");
		else if (*s == '\r')
			rc |= buf_addstr(out, "%0D");
		else if (*s == '\n')
			rc |= buf_addstr(out, "%0A");
		else if (prop && *s == ':')
			rc |= buf_addstr(out, "%3A");
		else if (prop && *s == ',')
			rc |= buf_addstr(out, "%2C");
		else
			rc |= buf_addc(out, *s);
	}
	return rc;
}

/* GitLab's log is plain text: one line per annotation, control bytes dropped. */
static int
plain(struct buf *out, const char *s)
{
	int rc = 0;

	for (; *s; s++)
		rc |= buf_addc(out, (unsigned char)*s < 0x20 ? ' ' : *s);
	return rc;
}

static int
gh_line(struct buf *out, const char *level, const char *file, long line, const char *title,
    const char *msg)
{
	int rc = buf_printf(out, "::%s", level);

	if (file) {
		rc |= buf_addstr(out, " file=");
		rc |= gh_esc(out, file, 1);
		if (line > 0)
			rc |= buf_printf(out, ",line=%ld", line);
		rc |= buf_addstr(out, ",title=");
	} else {
		rc |= buf_addstr(out, " title=");
	}
	rc |= gh_esc(out, title, 1);
	rc |= buf_addstr(out, "::");
	rc |= gh_esc(out, msg, 0);
	return rc | buf_addc(out, '\n');
}

static int
gl_line(struct buf *out, const char *level, const char *file, long line, const char *msg)
{
	int rc = 0;

	if (file) {
		rc |= plain(out, file);
		if (line > 0)
			rc |= buf_printf(out, ":%ld", line);
		rc |= buf_addstr(out, ": ");
	}
	rc |= buf_printf(out, "%s: ", level);
	rc |= plain(out, msg);
	return rc | buf_addc(out, '\n');
}

int
out_ci_annotations(const struct verdicts *vs, const struct run *run, enum ci_kind k, struct buf *out)
{
	char title[600], msg[4096], ev[1200];
	const char *level, *sp;
	size_t i, before = out->len;
	int rc = 0, any = 0;

	if (k == CI_NONE)
		return 0;
	for (i = 0; i < vs->n; i++) {
		const struct verdict *v = &vs->v[i];
		const struct slo_rule *r = v->rule;

		if (v->state == V_PASS)
			continue;
		if (k == CI_GITLAB && !any)
			rc |= buf_addstr(out, "\033[0Ksection_start:0:sloproof_slos[collapsed=false]\r"
			    "\033[0KSLOs not met\n");
		any = 1;
		level = v->state == V_WARN ? "warning" : "error";
		sp = src_path(run, &v->evidence);
		ev[0] = '\0';
		if (sp && v->evidence.line > 0)
			snprintf(ev, sizeof ev, " (evidence: %s:%ld)", sp, v->evidence.line);
		else if (sp)
			snprintf(ev, sizeof ev, " (evidence: %s)", sp);
		snprintf(title, sizeof title, "SLO %s: %s", r->name, verdict_str(v->state));
		snprintf(msg, sizeof msg, "%s: %s%s", r->name, v->message, ev);
		if (k == CI_GITHUB) {
			rc |= gh_line(out, level, r->file, r->line, title, msg);
			if (sp) {
				snprintf(msg, sizeof msg, "the evidence behind SLO %s (%s): %s", r->name,
				    verdict_str(v->state), v->message);
				rc |= gh_line(out, "notice", sp, v->evidence.line, title, msg);
			}
		} else {
			rc |= gl_line(out, level, r->file, r->line, msg);
			if (sp) {
				snprintf(msg, sizeof msg, "the evidence behind SLO %s (%s)", r->name,
				    verdict_str(v->state));
				rc |= gl_line(out, "note", sp, v->evidence.line, msg);
			}
		}
	}
	if (k == CI_GITLAB && any)
		rc |= buf_addstr(out, "\033[0Ksection_end:0:sloproof_slos\r\033[0K\n");
	if (rc) {
		out->len = before;
		diag_syserr(NULL, "CI annotations too large");
		return -1;
	}
	return 0;
}
