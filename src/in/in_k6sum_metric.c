/*
 * in_k6sum_metric.c — one metric of a k6 end-of-test summary: its type
 * (written, or told from its stats in the legacy export), its unit (k6's
 * "contains", or what k6 documents for its built-in metrics), its stats,
 * every shape of a rate, and its thresholds with their polarity. Part of
 * the k6 summary importer (in_k6sum.c); owns nothing past a call.
 *
 * Rates: the legacy export writes {value, passes, fails}, handleSummary and
 * schema 1.0.0 {rate, passes, fails}, k6's v1 writer {rate, matches, total}.
 * All end as rate, passes, fails and count, "passes" counting the true
 * samples, so one rule reads the same from every shape.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "in/k6sum_impl.h"
#include "util/diag.h"
#include "util/jsonpos.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"

/* ---- metrics ------------------------------------------------------------ */

/* Built-in k6 metrics whose values are durations in ms (FORMATS §1). */
static const char *const time_metrics[] = {
	"http_req_duration", "http_req_blocked", "http_req_connecting",
	"http_req_tls_handshaking", "http_req_sending", "http_req_waiting",
	"http_req_receiving", "iteration_duration", "group_duration",
	"ws_connecting", "ws_session_duration", "ws_ping", "grpc_req_duration",
	"browser_web_vital_lcp", "browser_web_vital_fcp", "browser_web_vital_fid",
	"browser_web_vital_inp", "browser_web_vital_ttfb", "browser_http_req_duration",
	NULL
};

static int
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Members that sit beside stats and are no stat: skipped without a word. */
static int
non_stat_key(const char *k)
{
	static const char *const keys[] = {
		"thresholds", "type", "contains", "values", "name", "tags",
		"submetrics", "id", "path", NULL
	};

	return in_list(keys, k);
}

/* The legacy export writes no type: tell it from the stats present. */
static enum metric_type
infer_type(const cJSON *o)
{
	const cJSON *c;
	char canon[64];
	int trend = 0, passes = 0, fails = 0, count = 0, rate = 0, value = 0, min = 0, max = 0;

	for (c = o->child; c; c = c->next) {
		if (c->string == NULL || strlen(c->string) >= 40 ||
		    stat_canonical(c->string, canon, sizeof canon) == -1)
			continue;
		if (strncmp(canon, "p(", 2) == 0 || strcmp(canon, "med") == 0 ||
		    strcmp(canon, "avg") == 0)
			trend = 1;
		passes |= strcmp(canon, "passes") == 0;
		fails |= strcmp(canon, "fails") == 0;
		count |= strcmp(canon, "count") == 0;
		rate |= strcmp(canon, "rate") == 0;
		value |= strcmp(canon, "value") == 0;
		min |= strcmp(canon, "min") == 0;
		max |= strcmp(canon, "max") == 0;
	}
	if (trend)
		return MT_TREND;
	if (passes && fails)
		return MT_RATE;
	if (count && rate)
		return MT_COUNTER;
	if (value && min && max)
		return MT_GAUGE;
	return MT_UNKNOWN;
}

/*
 * The legacy export has no unit information: only what k6 documents for
 * its built-in metrics is known. A custom trend may hold ms or anything
 * else, so it stays unknown rather than guessed.
 */
static void
legacy_unit(struct summary *s)
{
	const char *n = s->sel.name;

	s->unit = UNIT_NONE;
	s->unit_known = 0;
	if (in_list(time_metrics, n)) {
		s->unit = UNIT_MS;
		s->unit_known = 1;
	} else if (strcmp(n, "data_sent") == 0 || strcmp(n, "data_received") == 0) {
		s->unit = UNIT_BYTES;
		s->unit_known = 1;
	} else if (strcmp(n, "vus") == 0 || strcmp(n, "vus_max") == 0 ||
	    s->type == MT_RATE || s->type == MT_COUNTER) {
		/* Plain numbers; a rate's ratio and a counter's per-second come from summary_stat_unit. */
		s->unit_known = 1;
	}
}

static struct summary *
new_summary(struct imp *im, const char *name, uint32_t at)
{
	struct summary *s;
	size_t errpos = 0;

	if (strlen(name) > LIM_NAME) {
		k6s_err(im, at, 0, "metric name longer than %d bytes: %s", LIM_NAME, k6s_q(name));
		return NULL;
	}
	if (im->run->nsummaries >= LIM_METRICS) {
		k6s_err(im, at, 0, "too many metrics: more than %d in one run", LIM_METRICS);
		return NULL;
	}
	s = run_add_summary(im->run);
	s->name = arena_strdup(&im->run->arena, name);
	if (selector_parse(&im->run->arena, name, &s->sel, &errpos) == -1) {
		k6s_warn(im, at, "metric name %s is not a valid selector (at byte %zu); it is kept whole as the name",
		    k6s_q(name), errpos + 1);
		memset(&s->sel, 0, sizeof s->sel);
		s->sel.name = s->name;
	}
	s->origin = k6s_origin(im, at);
	return s;
}

/* A rate's counts and ratio, gathered before they are stored canonically. */
struct rate_acc {
	int	have_rate, have_passes, have_fails, have_matches, have_total;
	double	rate, passes, fails, matches, total;
	uint32_t rate_at;
};

static int
rate_stat(struct imp *im, struct summary *s, struct rate_acc *ra, const char *canon,
    const char *key, double v, uint32_t at)
{
	int *have = NULL, count = 1;
	double *slot = NULL;
	char num[32];

	if (strcmp(canon, "rate") == 0 || strcmp(canon, "value") == 0) {
		have = &ra->have_rate;
		slot = &ra->rate;
		count = 0;
		ra->rate_at = at;
	} else if (strcmp(canon, "passes") == 0) {
		have = &ra->have_passes;
		slot = &ra->passes;
	} else if (strcmp(canon, "fails") == 0) {
		have = &ra->have_fails;
		slot = &ra->fails;
	} else if (strcmp(canon, "matches") == 0) {
		have = &ra->have_matches;
		slot = &ra->matches;
	} else if (strcmp(canon, "total") == 0 || strcmp(canon, "count") == 0) {
		have = &ra->have_total;
		slot = &ra->total;
	}
	if (have == NULL) {
		if (summary_stat(s, canon)) {
			k6s_warn(im, at, "metric %s: duplicate stat %s; the first is kept", k6s_q(s->name), k6s_q(key));
			return 0;
		}
		summary_set_stat(im->run, s, canon, v);
		return 0;
	}
	if (*have) {
		k6s_warn(im, at, "metric %s: duplicate stat %s; the first is kept", k6s_q(s->name), k6s_q(key));
		return 0;
	}
	if (count && !k6s_is_count(v)) {
		fmt_double(num, sizeof num, v);
		return k6s_err(im, at, 1, "metric %s stat %s: expected a non-negative integer, found %s",
		    k6s_q(s->name), k6s_q(key), num);
	}
	*have = 1;
	*slot = v;
	return 0;
}

/*
 * Every shape of rate ends as rate, passes, fails and count, "passes"
 * counting the true samples (for http_req_failed: the failed requests).
 */
static int
rate_finish(struct imp *im, struct summary *s, struct rate_acc *ra, uint32_t vi, int flat)
{
	double passes = 0, fails = 0, count = 0;
	int hp = 0, hf = 0, hc = 0;
	char a[32], b[32];

	if (ra->have_matches && ra->have_total && ra->matches > ra->total) {
		fmt_double(a, sizeof a, ra->matches);
		fmt_double(b, sizeof b, ra->total);
		return k6s_err(im, vi, 1, "metric %s: \"matches\" (%s) is more than \"total\" (%s)",
		    k6s_q(s->name), a, b);
	}
	if (ra->have_passes)
		passes = ra->passes, hp = 1;
	else if (ra->have_matches)
		passes = ra->matches, hp = 1;
	if (ra->have_fails)
		fails = ra->fails, hf = 1;
	else if (ra->have_total && hp && ra->total >= passes)
		fails = ra->total - passes, hf = 1;
	if (ra->have_total)
		count = ra->total, hc = 1;
	else if (hp && hf)
		count = passes + fails, hc = 1;
	/* k6 v0.26 to v0.29 wrote 0 for every rate's value (fixed in v0.30.0). */
	if (flat && ra->have_rate && ra->rate == 0 && hp && passes > 0 && hc && count > 0) {
		fmt_double(a, sizeof a, passes);
		k6s_warn(im, ra->rate_at, "metric %s: \"value\" is 0 though \"passes\" is %s (k6 before v0.30 "
		    "wrote 0); the rate is computed from passes and fails", k6s_q(s->name), a);
		ra->have_rate = 0;
	}
	/*
	 * The two counts and the ratio should agree; when they do not (grafana/k6-summary's
	 * own example has http_req_failed rate 0.02 with passes 1470 of 1500), say so and
	 * keep each as written: which one is wrong cannot be told.
	 */
	if (ra->have_rate && hp && hc && count > 0 && fabs(ra->rate - passes / count) > 5e-4) {
		fmt_double(a, sizeof a, ra->rate);
		fmt_double(b, sizeof b, passes / count);
		k6s_warn(im, ra->rate_at, "metric %s: \"rate\" %s disagrees with its counts (%s of the "
		    "samples are true); both are kept as written", k6s_q(s->name), a, b);
	}
	if (!ra->have_rate && hp && hc && count > 0) {
		ra->rate = passes / count;
		ra->have_rate = 1;
	}
	if (ra->have_rate)
		summary_set_stat(im->run, s, "rate", ra->rate);
	if (hp)
		summary_set_stat(im->run, s, "passes", passes);
	if (hf)
		summary_set_stat(im->run, s, "fails", fails);
	if (hc)
		summary_set_stat(im->run, s, "count", count);
	return 0;
}

/* The stats of one metric from vals (the metric object itself when flat). */
static int
import_stats(struct imp *im, struct summary *s, const cJSON *vals, uint32_t vi, int flat)
{
	struct rate_acc ra;
	const cJSON *c;
	uint32_t ci;
	char canon[64];
	const char *k;

	memset(&ra, 0, sizeof ra);
	if (cJSON_GetArraySize(vals) > LIM_STATS + flat)
		return k6s_err(im, vi, 1, "metric %s: more than %d stats", k6s_q(s->name), LIM_STATS);
	for (c = vals->child, ci = vi + 1; c; c = c->next, ci = k6s_jp(im, ci)->end) {
		k = c->string;
		if (flat && strcmp(k, "thresholds") == 0)
			continue;
		if (s->type == MT_RATE && (strcmp(k, "matches") == 0 || strcmp(k, "total") == 0)) {
			snprintf(canon, sizeof canon, "%s", k);
		} else if (strlen(k) >= 40 || stat_canonical(k, canon, sizeof canon) == -1) {
			if (!non_stat_key(k))
				k6s_warn(im, ci, "metric %s: unknown stat %s ignored", k6s_q(s->name), k6s_q(k));
			continue;
		}
		if (!cJSON_IsNumber(c))
			return k6s_err(im, ci, 1, "metric %s stat %s: expected a number, found %s",
			    k6s_q(s->name), k6s_q(k), jscan_type(c));
		if (!isfinite(c->valuedouble))
			return k6s_err(im, ci, 1, "metric %s stat %s: number out of range", k6s_q(s->name), k6s_q(k));
		if (s->type == MT_RATE) {
			if (rate_stat(im, s, &ra, canon, k, c->valuedouble, ci) == -1)
				return -1;
			continue;
		}
		if (summary_stat(s, canon)) {
			k6s_warn(im, ci, "metric %s: duplicate stat %s; the first is kept", k6s_q(s->name), k6s_q(k));
			continue;
		}
		summary_set_stat(im->run, s, canon, c->valuedouble);
	}
	if (s->type == MT_RATE)
		return rate_finish(im, s, &ra, vi, flat);
	return 0;
}

/*
 * typed: handleSummary's {"expr": {"ok": bool}}, ok true = passed.
 * Otherwise the export's {"expr": bool}, true = the threshold FAILED.
 */
static int
import_thresholds(struct imp *im, struct summary *s, const cJSON *t, uint32_t ti, int typed)
{
	const cJSON *c, *ok;
	struct k6_threshold *th;
	uint32_t ci, oki;
	size_t i;
	int passed, dup;

	if (!cJSON_IsObject(t))
		return k6s_err(im, ti, 1, "metric %s \"thresholds\": expected an object, found %s",
		    k6s_q(s->name), jscan_type(t));
	if (cJSON_GetArraySize(t) > LIM_STATS)
		return k6s_err(im, ti, 1, "metric %s: more than %d thresholds", k6s_q(s->name), LIM_STATS);
	for (c = t->child, ci = ti + 1; c; c = c->next, ci = k6s_jp(im, ci)->end) {
		for (i = 0, dup = 0; i < s->nthresholds && !dup; i++)
			dup = strcmp(s->thresholds[i].expr, c->string) == 0;
		if (dup) {
			k6s_warn(im, ci, "metric %s: duplicate threshold %s; the first is kept",
			    k6s_q(s->name), k6s_q(c->string));
			continue;
		}
		if (!typed) {
			if (!cJSON_IsBool(c))
				return k6s_err(im, ci, 1, "metric %s threshold %s: expected true or false, found %s",
				    k6s_q(s->name), k6s_q(c->string), jscan_type(c));
			passed = !cJSON_IsTrue(c);
		} else {
			if (!cJSON_IsObject(c))
				return k6s_err(im, ci, 1, "metric %s threshold %s: expected an object with \"ok\", found %s",
				    k6s_q(s->name), k6s_q(c->string), jscan_type(c));
			if ((ok = jscan_member(&im->sc, c, ci, "ok", &oki)) == NULL)
				return k6s_err(im, ci, 1, "metric %s threshold %s: no \"ok\"",
				    k6s_q(s->name), k6s_q(c->string));
			if (!cJSON_IsBool(ok))
				return k6s_err(im, oki, 1, "metric %s threshold %s \"ok\": expected true or false, found %s",
				    k6s_q(s->name), k6s_q(c->string), jscan_type(ok));
			passed = cJSON_IsTrue(ok);
		}
		th = summary_add_threshold(im->run, s, c->string);
		th->have_result = 1;
		th->passed = passed;
		th->origin = k6s_origin(im, ci);
	}
	return 0;
}

/* handleSummary and v1: {type, contains, values, thresholds?}. */
static int
import_typed(struct imp *im, struct summary *s, const cJSON *e, uint32_t ei)
{
	const cJSON *t, *cont, *vals, *th;
	uint32_t ti = 0, coi = 0, vi = 0, thi = 0;
	const char *cs;

	k6s_dup_members(im, e, ei, NULL, "a metric");
	t = jscan_member(&im->sc, e, ei, "type", &ti);
	vals = jscan_member(&im->sc, e, ei, "values", &vi);
	if (t) {
		if (!cJSON_IsString(t))
			return k6s_err(im, ti, 1, "metric %s \"type\": expected a string, found %s",
			    k6s_q(s->name), jscan_type(t));
		if (strcmp(t->valuestring, "trend") == 0)
			s->type = MT_TREND;
		else if (strcmp(t->valuestring, "counter") == 0)
			s->type = MT_COUNTER;
		else if (strcmp(t->valuestring, "rate") == 0)
			s->type = MT_RATE;
		else if (strcmp(t->valuestring, "gauge") == 0)
			s->type = MT_GAUGE;
		else
			return k6s_err(im, ti, 1, "metric %s \"type\": expected \"trend\", \"counter\", "
			    "\"rate\" or \"gauge\", found %s", k6s_q(s->name), k6s_q(t->valuestring));
	}
	if (vals == NULL)
		return k6s_err(im, ei, 0, "metric %s: no \"values\" object", k6s_q(s->name));
	if (!cJSON_IsObject(vals))
		return k6s_err(im, vi, 1, "metric %s \"values\": expected an object, found %s",
		    k6s_q(s->name), jscan_type(vals));
	if (t == NULL) {
		s->type = infer_type(vals);
		k6s_warn(im, ei, "metric %s has no \"type\"; taken as %s from its stats",
		    k6s_q(s->name), metric_type_name(s->type));
	}
	s->unit = UNIT_NONE;
	s->unit_known = 0;
	if ((cont = jscan_member(&im->sc, e, ei, "contains", &coi)) != NULL) {
		if (!cJSON_IsString(cont))
			return k6s_err(im, coi, 1, "metric %s \"contains\": expected a string, found %s",
			    k6s_q(s->name), jscan_type(cont));
		cs = cont->valuestring;
		if (strcmp(cs, "time") == 0) {
			s->unit = UNIT_MS;
			s->unit_known = 1;
		} else if (strcmp(cs, "data") == 0) {
			s->unit = UNIT_BYTES;
			s->unit_known = 1;
		} else if (strcmp(cs, "default") == 0) {
			/* A Trend made without isTime says "default" even when the script stores ms. */
			s->unit_known = s->type != MT_TREND;
		} else {
			k6s_warn(im, coi, "metric %s: unknown \"contains\" %s; its unit is unknown",
			    k6s_q(s->name), k6s_q(cs));
		}
	}
	if (import_stats(im, s, vals, vi, 0) == -1)
		return -1;
	if ((th = jscan_member(&im->sc, e, ei, "thresholds", &thi)) != NULL)
		return import_thresholds(im, s, th, thi, 1);
	return 0;
}

/* --summary-export: the stats are the metric object's own members. */
static int
import_flat(struct imp *im, struct summary *s, const cJSON *e, uint32_t ei)
{
	const cJSON *th;
	uint32_t thi = 0;

	/* Repeated stats are reported by import_stats. */
	k6s_dup_members(im, e, ei, "thresholds", "a metric");
	s->type = infer_type(e);
	if (s->type == MT_UNKNOWN)
		k6s_warn(im, ei, "metric %s: its type cannot be told from its stats", k6s_q(s->name));
	legacy_unit(s);
	if (import_stats(im, s, e, ei, 1) == -1)
		return -1;
	if ((th = jscan_member(&im->sc, e, ei, "thresholds", &thi)) != NULL)
		return import_thresholds(im, s, th, thi, 0);
	return 0;
}

/* One metric: e at ei, its name's key (or "name" member) at at. */
int
k6s_metric(struct imp *im, const cJSON *e, uint32_t ei, const char *name, uint32_t at)
{
	struct summary *s;

	if (!k6s_strset_add(&im->names, name)) {
		k6s_warn(im, at, "duplicate metric %s; the first is kept", k6s_q(name));
		return 0;
	}
	if (!cJSON_IsObject(e))
		return k6s_err(im, ei, 1, "metric %s: expected an object, found %s", k6s_q(name), jscan_type(e));
	if ((s = new_summary(im, name, at)) == NULL)
		return -1;
	return im->typed ? import_typed(im, s, e, ei) : import_flat(im, s, e, ei);
}

/* An object keyed by name, or (v1) an array of objects with a "name". */
int
k6s_metrics(struct imp *im, const cJSON *m, uint32_t mi)
{
	const cJSON *c, *nm;
	uint32_t ci, ni = 0;

	if (cJSON_IsObject(m)) {
		for (c = m->child, ci = mi + 1; c; c = c->next, ci = k6s_jp(im, ci)->end)
			if (k6s_metric(im, c, ci, c->string, ci) == -1)
				return -1;
		return 0;
	}
	for (c = m->child, ci = mi + 1; c; c = c->next, ci = k6s_jp(im, ci)->end) {
		if (!cJSON_IsObject(c))
			return k6s_err(im, ci, 1, "metric entry: expected an object, found %s", jscan_type(c));
		if ((nm = jscan_member(&im->sc, c, ci, "name", &ni)) == NULL)
			return k6s_err(im, ci, 1, "metric entry without a \"name\"");
		if (!cJSON_IsString(nm))
			return k6s_err(im, ni, 1, "metric entry \"name\": expected a string, found %s", jscan_type(nm));
		if (k6s_metric(im, c, ci, nm->valuestring, ni) == -1)
			return -1;
	}
	return 0;
}

