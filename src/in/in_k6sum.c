/*
 * in_k6sum.c — k6 end-of-test summaries into a run: the legacy
 * --summary-export file, the data handed to handleSummary(), and the
 * v1.5+ machine-readable summary (shared corpus FORMATS.md §1, 2 and 4).
 *
 * Two passes over the text. The shared scanner (jsonpos.c) checks the JSON
 * syntax (precise line:col for every syntax error, the nesting limit) and
 * records, for every value in document order, where it and its key start
 * and where its subtree ends. cJSON then builds the tree, and the walkers
 * below step through cJSON's children and that position list in lockstep,
 * so every summary, threshold and check can cite the line of its key
 * (cJSON keeps no positions, and searching the text for a name would find
 * a check named like a metric). Columns count UTF-8 characters from 1.
 *
 * Owns nothing past a call: the cJSON tree and the position list are freed
 * before returning and every string kept is copied into run->arena.
 * Depends on run, diag, jsonpos, strnum, timeutil, xalloc and cJSON; must not
 * depend on other importers, evaluation or renderers.
 *
 * The polarity trap: in --summary-export a threshold's value is true when
 * it FAILED; in handleSummary data {"ok": true} means it passed. Each
 * document is read as one shape or the other, never a mix.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/hash.h"
#include "util/diag.h"
#include "in/import.h"
#include "util/jsonpos.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define PF(a, b) __attribute__((format(printf, a, b)))

/* A set of strings borrowed from the cJSON tree, for duplicate names. */
struct strset {
	const char	**slot;
	size_t		  cap, n;
};

struct imp {
	struct run	*run;
	int		 src;
	const char	*path;
	struct jscan	 sc;
	struct strset	 names;		/* metric names seen in this document */
	int		 typed;		/* metrics are {type, contains, values} */
};

/* ---- a string set ------------------------------------------------------ */

/* 1 when s was added, 0 when it was there already. */
static int
strset_add(struct strset *set, const char *s)
{
	const char **old;
	size_t i, j, oldcap;

	if ((set->n + 1) * 2 > set->cap) {
		old = set->slot;
		oldcap = set->cap;
		set->cap = oldcap ? oldcap * 2 : 16;
		set->slot = xcalloc(set->cap, sizeof *set->slot);
		for (i = 0; i < oldcap; i++)
			if (old[i]) {
				for (j = fnv1a_str(old[i]) & (set->cap - 1); set->slot[j];
				    j = (j + 1) & (set->cap - 1))
					;
				set->slot[j] = old[i];
			}
		free(old);
	}
	for (j = fnv1a_str(s) & (set->cap - 1); set->slot[j]; j = (j + 1) & (set->cap - 1))
		if (strcmp(set->slot[j], s) == 0)
			return 0;
	set->slot[j] = s;
	set->n++;
	return 1;
}

static void
strset_release(struct strset *set)
{
	free(set->slot);
	memset(set, 0, sizeof *set);
}

/* ---- walking cJSON and the positions together --------------------------- */

static const struct jpos *
jp(const struct imp *im, uint32_t i)
{
	static const struct jpos none;

	return i < im->sc.npos ? &im->sc.pos[i] : &none;
}

static struct origin
origin_of(const struct imp *im, uint32_t i)
{
	struct origin o;

	o.src = im->src;
	o.line = jp(im, i)->kline;
	o.col = jp(im, i)->kcol;
	return o;
}

/* Errors about a value point at it; about a name, at the key. */
static int PF(4, 5)
ierr(struct imp *im, uint32_t at, int at_value, const char *fmt, ...)
{
	const struct jpos *p = jp(im, at);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_error(im->path, at_value ? p->vline : p->kline, at_value ? p->vcol : p->kcol, "%s", msg);
	return -1;
}

static void PF(3, 4)
iwarn(struct imp *im, uint32_t at, const char *fmt, ...)
{
	const struct jpos *p = jp(im, at);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_warning(im->path, p->kline, p->kcol, "%s", msg);
}

static const char *
q(const char *s)
{
	return diag_q(s, (size_t)-1);
}

/*
 * cJSON keeps every member of a repeated key and lookups find the first:
 * say so for the later ones (only the key `only` when it is not NULL).
 */
static void
dup_members(struct imp *im, const cJSON *obj, uint32_t oi, const char *only, const char *where)
{
	struct strset seen;
	const cJSON *c;
	uint32_t ci;

	memset(&seen, 0, sizeof seen);
	for (c = obj->child, ci = oi + 1; c; c = c->next, ci = jp(im, ci)->end)
		if ((only == NULL || strcmp(c->string, only) == 0) && !strset_add(&seen, c->string))
			iwarn(im, ci, "duplicate key %s in %s; the first is kept", q(c->string), where);
	strset_release(&seen);
}

static int
is_count(double v)
{
	return v >= 0 && v == floor(v) && v <= 9007199254740992.0;
}

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
		ierr(im, at, 0, "metric name longer than %d bytes: %s", LIM_NAME, q(name));
		return NULL;
	}
	if (im->run->nsummaries >= LIM_METRICS) {
		ierr(im, at, 0, "too many metrics: more than %d in one run", LIM_METRICS);
		return NULL;
	}
	s = run_add_summary(im->run);
	s->name = arena_strdup(&im->run->arena, name);
	if (selector_parse(&im->run->arena, name, &s->sel, &errpos) == -1) {
		iwarn(im, at, "metric name %s is not a valid selector (at byte %zu); it is kept whole as the name",
		    q(name), errpos + 1);
		memset(&s->sel, 0, sizeof s->sel);
		s->sel.name = s->name;
	}
	s->origin = origin_of(im, at);
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
			iwarn(im, at, "metric %s: duplicate stat %s; the first is kept", q(s->name), q(key));
			return 0;
		}
		summary_set_stat(im->run, s, canon, v);
		return 0;
	}
	if (*have) {
		iwarn(im, at, "metric %s: duplicate stat %s; the first is kept", q(s->name), q(key));
		return 0;
	}
	if (count && !is_count(v)) {
		fmt_double(num, sizeof num, v);
		return ierr(im, at, 1, "metric %s stat %s: expected a non-negative integer, found %s",
		    q(s->name), q(key), num);
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
		return ierr(im, vi, 1, "metric %s: \"matches\" (%s) is more than \"total\" (%s)",
		    q(s->name), a, b);
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
		iwarn(im, ra->rate_at, "metric %s: \"value\" is 0 though \"passes\" is %s (k6 before v0.30 "
		    "wrote 0); the rate is computed from passes and fails", q(s->name), a);
		ra->have_rate = 0;
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
		return ierr(im, vi, 1, "metric %s: more than %d stats", q(s->name), LIM_STATS);
	for (c = vals->child, ci = vi + 1; c; c = c->next, ci = jp(im, ci)->end) {
		k = c->string;
		if (flat && strcmp(k, "thresholds") == 0)
			continue;
		if (s->type == MT_RATE && (strcmp(k, "matches") == 0 || strcmp(k, "total") == 0)) {
			snprintf(canon, sizeof canon, "%s", k);
		} else if (strlen(k) >= 40 || stat_canonical(k, canon, sizeof canon) == -1) {
			if (!non_stat_key(k))
				iwarn(im, ci, "metric %s: unknown stat %s ignored", q(s->name), q(k));
			continue;
		}
		if (!cJSON_IsNumber(c))
			return ierr(im, ci, 1, "metric %s stat %s: expected a number, found %s",
			    q(s->name), q(k), jscan_type(c));
		if (!isfinite(c->valuedouble))
			return ierr(im, ci, 1, "metric %s stat %s: number out of range", q(s->name), q(k));
		if (s->type == MT_RATE) {
			if (rate_stat(im, s, &ra, canon, k, c->valuedouble, ci) == -1)
				return -1;
			continue;
		}
		if (summary_stat(s, canon)) {
			iwarn(im, ci, "metric %s: duplicate stat %s; the first is kept", q(s->name), q(k));
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
		return ierr(im, ti, 1, "metric %s \"thresholds\": expected an object, found %s",
		    q(s->name), jscan_type(t));
	if (cJSON_GetArraySize(t) > LIM_STATS)
		return ierr(im, ti, 1, "metric %s: more than %d thresholds", q(s->name), LIM_STATS);
	for (c = t->child, ci = ti + 1; c; c = c->next, ci = jp(im, ci)->end) {
		for (i = 0, dup = 0; i < s->nthresholds && !dup; i++)
			dup = strcmp(s->thresholds[i].expr, c->string) == 0;
		if (dup) {
			iwarn(im, ci, "metric %s: duplicate threshold %s; the first is kept",
			    q(s->name), q(c->string));
			continue;
		}
		if (!typed) {
			if (!cJSON_IsBool(c))
				return ierr(im, ci, 1, "metric %s threshold %s: expected true or false, found %s",
				    q(s->name), q(c->string), jscan_type(c));
			passed = !cJSON_IsTrue(c);
		} else {
			if (!cJSON_IsObject(c))
				return ierr(im, ci, 1, "metric %s threshold %s: expected an object with \"ok\", found %s",
				    q(s->name), q(c->string), jscan_type(c));
			if ((ok = jscan_member(&im->sc, c, ci, "ok", &oki)) == NULL)
				return ierr(im, ci, 1, "metric %s threshold %s: no \"ok\"",
				    q(s->name), q(c->string));
			if (!cJSON_IsBool(ok))
				return ierr(im, oki, 1, "metric %s threshold %s \"ok\": expected true or false, found %s",
				    q(s->name), q(c->string), jscan_type(ok));
			passed = cJSON_IsTrue(ok);
		}
		th = summary_add_threshold(im->run, s, c->string);
		th->have_result = 1;
		th->passed = passed;
		th->origin = origin_of(im, ci);
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

	dup_members(im, e, ei, NULL, "a metric");
	t = jscan_member(&im->sc, e, ei, "type", &ti);
	vals = jscan_member(&im->sc, e, ei, "values", &vi);
	if (t) {
		if (!cJSON_IsString(t))
			return ierr(im, ti, 1, "metric %s \"type\": expected a string, found %s",
			    q(s->name), jscan_type(t));
		if (strcmp(t->valuestring, "trend") == 0)
			s->type = MT_TREND;
		else if (strcmp(t->valuestring, "counter") == 0)
			s->type = MT_COUNTER;
		else if (strcmp(t->valuestring, "rate") == 0)
			s->type = MT_RATE;
		else if (strcmp(t->valuestring, "gauge") == 0)
			s->type = MT_GAUGE;
		else
			return ierr(im, ti, 1, "metric %s \"type\": expected \"trend\", \"counter\", "
			    "\"rate\" or \"gauge\", found %s", q(s->name), q(t->valuestring));
	}
	if (vals == NULL)
		return ierr(im, ei, 0, "metric %s: no \"values\" object", q(s->name));
	if (!cJSON_IsObject(vals))
		return ierr(im, vi, 1, "metric %s \"values\": expected an object, found %s",
		    q(s->name), jscan_type(vals));
	if (t == NULL) {
		s->type = infer_type(vals);
		iwarn(im, ei, "metric %s has no \"type\"; taken as %s from its stats",
		    q(s->name), metric_type_name(s->type));
	}
	s->unit = UNIT_NONE;
	s->unit_known = 0;
	if ((cont = jscan_member(&im->sc, e, ei, "contains", &coi)) != NULL) {
		if (!cJSON_IsString(cont))
			return ierr(im, coi, 1, "metric %s \"contains\": expected a string, found %s",
			    q(s->name), jscan_type(cont));
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
			iwarn(im, coi, "metric %s: unknown \"contains\" %s; its unit is unknown",
			    q(s->name), q(cs));
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
	dup_members(im, e, ei, "thresholds", "a metric");
	s->type = infer_type(e);
	if (s->type == MT_UNKNOWN)
		iwarn(im, ei, "metric %s: its type cannot be told from its stats", q(s->name));
	legacy_unit(s);
	if (import_stats(im, s, e, ei, 1) == -1)
		return -1;
	if ((th = jscan_member(&im->sc, e, ei, "thresholds", &thi)) != NULL)
		return import_thresholds(im, s, th, thi, 0);
	return 0;
}

/* One metric: e at ei, its name's key (or "name" member) at at. */
static int
import_metric(struct imp *im, const cJSON *e, uint32_t ei, const char *name, uint32_t at)
{
	struct summary *s;

	if (!strset_add(&im->names, name)) {
		iwarn(im, at, "duplicate metric %s; the first is kept", q(name));
		return 0;
	}
	if (!cJSON_IsObject(e))
		return ierr(im, ei, 1, "metric %s: expected an object, found %s", q(name), jscan_type(e));
	if ((s = new_summary(im, name, at)) == NULL)
		return -1;
	return im->typed ? import_typed(im, s, e, ei) : import_flat(im, s, e, ei);
}

/* An object keyed by name, or (v1) an array of objects with a "name". */
static int
import_metrics(struct imp *im, const cJSON *m, uint32_t mi)
{
	const cJSON *c, *nm;
	uint32_t ci, ni = 0;

	if (cJSON_IsObject(m)) {
		for (c = m->child, ci = mi + 1; c; c = c->next, ci = jp(im, ci)->end)
			if (import_metric(im, c, ci, c->string, ci) == -1)
				return -1;
		return 0;
	}
	for (c = m->child, ci = mi + 1; c; c = c->next, ci = jp(im, ci)->end) {
		if (!cJSON_IsObject(c))
			return ierr(im, ci, 1, "metric entry: expected an object, found %s", jscan_type(c));
		if ((nm = jscan_member(&im->sc, c, ci, "name", &ni)) == NULL)
			return ierr(im, ci, 1, "metric entry without a \"name\"");
		if (!cJSON_IsString(nm))
			return ierr(im, ni, 1, "metric entry \"name\": expected a string, found %s", jscan_type(nm));
		if (import_metric(im, c, ci, nm->valuestring, ni) == -1)
			return -1;
	}
	return 0;
}

/* ---- checks and groups -------------------------------------------------- */

static int
check_count(struct imp *im, const cJSON *c, uint32_t ci, const char *name, uint32_t at,
    const char *key, long long *out)
{
	const cJSON *v;
	uint32_t vi = 0;
	char num[32];

	if ((v = jscan_member(&im->sc, c, ci, key, &vi)) == NULL)
		return ierr(im, at, 0, "check %s: no %s", q(name), q(key));
	if (!cJSON_IsNumber(v))
		return ierr(im, vi, 1, "check %s %s: expected a non-negative integer, found %s",
		    q(name), q(key), jscan_type(v));
	if (!is_count(v->valuedouble)) {
		fmt_double(num, sizeof num, v->valuedouble);
		return ierr(im, vi, 1, "check %s %s: expected a non-negative integer, found %s",
		    q(name), q(key), num);
	}
	*out = (long long)v->valuedouble;
	return 0;
}

static int
import_check(struct imp *im, const cJSON *c, uint32_t ci, const char *name, uint32_t at,
    char *group)
{
	struct check *k;
	const cJSON *p;
	long long passes, fails;
	size_t plen, nlen = strlen(name);

	if (nlen > LIM_NAME)
		return ierr(im, at, 0, "check name longer than %d bytes: %s", LIM_NAME, q(name));
	if (im->run->nchecks >= LIM_CHECKS)
		return ierr(im, at, 0, "too many checks: more than %d in one run", LIM_CHECKS);
	dup_members(im, c, ci, NULL, "a check");
	if (check_count(im, c, ci, name, at, "passes", &passes) == -1 ||
	    check_count(im, c, ci, name, at, "fails", &fails) == -1)
		return -1;
	k = run_add_check(im->run);
	k->name = arena_strdup(&im->run->arena, name);
	k->group = group;
	/* A check's path is its group's path, "::", its name. */
	p = cJSON_GetObjectItemCaseSensitive(c, "path");
	if (cJSON_IsString(p) && (plen = strlen(p->valuestring)) >= nlen + 2 &&
	    strcmp(p->valuestring + plen - nlen, name) == 0 &&
	    strncmp(p->valuestring + plen - nlen - 2, "::", 2) == 0)
		k->group = arena_strndup(&im->run->arena, p->valuestring, plen - nlen - 2);
	k->passes = passes;
	k->fails = fails;
	k->origin = origin_of(im, at);
	return 0;
}

/*
 * Checks as k6 writes them somewhere: an object keyed by name (export),
 * an array of {name, passes, fails} (handleSummary), or v1's
 * {"metrics": [...], "results": [...]}.
 */
static int
import_checks(struct imp *im, const cJSON *cs, uint32_t csi, char *group)
{
	struct strset seen;
	const cJSON *c, *nm, *res, *met;
	uint32_t ci, ni = 0, ri = 0, mi = 0;
	const char *name;
	int rc = 0;

	if (cJSON_IsArray(cs)) {
		for (c = cs->child, ci = csi + 1; c; c = c->next, ci = jp(im, ci)->end) {
			if (!cJSON_IsObject(c))
				return ierr(im, ci, 1, "check entry: expected an object, found %s", jscan_type(c));
			if ((nm = jscan_member(&im->sc, c, ci, "name", &ni)) == NULL)
				return ierr(im, ci, 1, "check entry without a \"name\"");
			if (!cJSON_IsString(nm))
				return ierr(im, ni, 1, "check entry \"name\": expected a string, found %s",
				    jscan_type(nm));
			if (import_check(im, c, ci, nm->valuestring, ni, group) == -1)
				return -1;
		}
		return 0;
	}
	if (!cJSON_IsObject(cs))
		return ierr(im, csi, 1, "\"checks\": expected an object or an array, found %s", jscan_type(cs));
	if ((res = jscan_member(&im->sc, cs, csi, "results", &ri)) != NULL && cJSON_IsArray(res)) {
		met = jscan_member(&im->sc, cs, csi, "metrics", &mi);
		if (im->typed && cJSON_IsArray(met) && import_metrics(im, met, mi) == -1)
			return -1;
		return import_checks(im, res, ri, group);
	}
	memset(&seen, 0, sizeof seen);
	for (c = cs->child, ci = csi + 1; c && rc == 0; c = c->next, ci = jp(im, ci)->end) {
		if (!strset_add(&seen, c->string)) {
			iwarn(im, ci, "duplicate check %s; the first is kept", q(c->string));
			continue;
		}
		if (!cJSON_IsObject(c)) {
			rc = ierr(im, ci, 1, "check %s: expected an object, found %s", q(c->string), jscan_type(c));
			break;
		}
		nm = cJSON_GetObjectItemCaseSensitive(c, "name");
		name = cJSON_IsString(nm) ? nm->valuestring : c->string;
		rc = import_check(im, c, ci, name, ci, group);
	}
	strset_release(&seen);
	return rc;
}

static int import_groups(struct imp *, const cJSON *, uint32_t, const char *);

/* A group: its path from its "path", else from its parent's and its name. */
static int
import_group(struct imp *im, const cJSON *g, uint32_t gi, const char *parent, const char *name)
{
	const cJSON *p, *cs, *gs;
	uint32_t csi = 0, gsi = 0;
	char *path;
	size_t n;

	if (!cJSON_IsObject(g))
		return ierr(im, gi, 1, "group %s: expected an object, found %s", q(name), jscan_type(g));
	dup_members(im, g, gi, NULL, "a group");
	p = cJSON_GetObjectItemCaseSensitive(g, "path");
	if (cJSON_IsString(p)) {
		path = arena_strdup(&im->run->arena, p->valuestring);
	} else if (parent == NULL) {
		path = arena_strdup(&im->run->arena, "");
	} else {
		n = strlen(parent) + 2 + strlen(name) + 1;
		path = arena_alloc(&im->run->arena, n);
		snprintf(path, n, "%s::%s", parent, name);
	}
	if ((cs = jscan_member(&im->sc, g, gi, "checks", &csi)) != NULL && !cJSON_IsNull(cs) &&
	    import_checks(im, cs, csi, path) == -1)
		return -1;
	if ((gs = jscan_member(&im->sc, g, gi, "groups", &gsi)) != NULL && !cJSON_IsNull(gs) &&
	    import_groups(im, gs, gsi, path) == -1)
		return -1;
	return 0;
}

static int
import_groups(struct imp *im, const cJSON *gs, uint32_t gsi, const char *parent)
{
	struct strset seen;
	const cJSON *c, *nm;
	uint32_t ci;
	int rc = 0;

	if (cJSON_IsArray(gs)) {
		for (c = gs->child, ci = gsi + 1; c; c = c->next, ci = jp(im, ci)->end) {
			nm = cJSON_GetObjectItemCaseSensitive(c, "name");
			if (import_group(im, c, ci, parent, cJSON_IsString(nm) ? nm->valuestring : "") == -1)
				return -1;
		}
		return 0;
	}
	if (!cJSON_IsObject(gs))
		return ierr(im, gsi, 1, "\"groups\": expected an object or an array, found %s", jscan_type(gs));
	memset(&seen, 0, sizeof seen);
	for (c = gs->child, ci = gsi + 1; c && rc == 0; c = c->next, ci = jp(im, ci)->end) {
		if (!strset_add(&seen, c->string)) {
			iwarn(im, ci, "duplicate group %s; the first is kept", q(c->string));
			continue;
		}
		rc = import_group(im, c, ci, parent, c->string);
	}
	strset_release(&seen);
	return rc;
}

/* ---- the document ------------------------------------------------------- */

/* "900.5", "1m30s", "1h2m3.5s", "850ms" as k6 and Go write durations. */
static int
parse_duration(const char *s, double *ms)
{
	static const struct {
		const char	*unit;
		double		 ms;
	} units[] = {
		{ "ns", 1e-6 }, { "us", 1e-3 }, { "\xc2\xb5s", 1e-3 }, { "ms", 1 },
		{ "s", 1e3 }, { "m", 6e4 }, { "h", 3.6e6 }
	};
	const char *p = s, *start;
	double v, total = 0;
	size_t k, len;

	if (strnum_double(s, strlen(s), &v) == 0) {
		*ms = v * 1e3;
		return v >= 0 ? 0 : -1;
	}
	if (*p == '\0')
		return -1;
	while (*p) {
		for (start = p; isdigit((unsigned char)*p) || *p == '.'; p++)
			;
		if (p == start || strnum_double(start, (size_t)(p - start), &v) == -1)
			return -1;
		for (k = 0; k < sizeof units / sizeof units[0]; k++) {
			len = strlen(units[k].unit);
			if (strncmp(p, units[k].unit, len) == 0 && !isalpha((unsigned char)p[len]))
				break;
		}
		if (k == sizeof units / sizeof units[0])
			return -1;
		total += v * units[k].ms;
		p += strlen(units[k].unit);
	}
	*ms = total;
	return 0;
}

/* What the file says about itself; trouble here is worth a warning, not a refusal. */
static void
import_meta(struct imp *im, const cJSON *root)
{
	struct source *src = &im->run->sources[im->src];
	const cJSON *md, *v, *t, *cfg, *st;
	uint32_t mdi = 0, vi = 0, ti = 0, ci = 0, si = 0, di = 0;
	size_t errcol = 0;
	double ms;

	if ((md = jscan_member(&im->sc, root, 0, "metadata", &mdi)) != NULL && cJSON_IsObject(md)) {
		if ((v = jscan_member(&im->sc, md, mdi, "k6_version", &vi)) == NULL)
			v = jscan_member(&im->sc, md, mdi, "k6Version", &vi);
		if (cJSON_IsString(v) && v->valuestring[0])
			src->tool_version = arena_strdup(&im->run->arena, v->valuestring);
		else if (v)
			iwarn(im, vi, "metadata %s: expected a version string, found %s", q(v->string), jscan_type(v));
		if ((t = jscan_member(&im->sc, md, mdi, "generated_at", &ti)) == NULL)
			t = jscan_member(&im->sc, md, mdi, "generatedAt", &ti);
		if (cJSON_IsString(t) &&
		    time_parse_rfc3339(t->valuestring, strlen(t->valuestring), &src->generated_at, &errcol) == 0)
			src->have_generated_at = 1;
		else if (t)
			iwarn(im, ti, "metadata %s: not an RFC 3339 time: %s", q(t->string),
			    cJSON_IsString(t) ? q(t->valuestring) : jscan_type(t));
	}
	if ((cfg = jscan_member(&im->sc, root, 0, "config", &ci)) != NULL &&
	    (v = jscan_member(&im->sc, cfg, ci, "duration", &di)) != NULL) {
		/* The v1 schema writes seconds as a number; accept a duration string too. */
		if (cJSON_IsNumber(v) && v->valuedouble >= 0 && isfinite(v->valuedouble)) {
			src->duration_ms = v->valuedouble * 1e3;
			src->have_duration = 1;
		} else if (cJSON_IsString(v) && parse_duration(v->valuestring, &ms) == 0) {
			src->duration_ms = ms;
			src->have_duration = 1;
		} else {
			iwarn(im, di, "config \"duration\": not a duration: %s",
			    cJSON_IsString(v) ? q(v->valuestring) : jscan_type(v));
		}
	}
	if ((st = jscan_member(&im->sc, root, 0, "state", &si)) != NULL &&
	    (v = jscan_member(&im->sc, st, si, "testRunDurationMs", &di)) != NULL) {
		if (cJSON_IsNumber(v) && v->valuedouble >= 0 && isfinite(v->valuedouble)) {
			src->duration_ms = v->valuedouble;
			src->have_duration = 1;
		} else {
			iwarn(im, di, "state \"testRunDurationMs\": expected a non-negative number, found %s",
			    jscan_type(v));
		}
	}
}

static int
has_typed_keys(const cJSON *e)
{
	return cJSON_GetObjectItemCaseSensitive(e, "values") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(e, "type") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(e, "contains") != NULL;
}

/*
 * handleSummary or --summary-export, decided once for the whole document
 * (the two disagree on what a threshold's value means).
 */
static int
metrics_shape(struct imp *im, const cJSON *root, const cJSON *m, uint32_t mi)
{
	const cJSON *c, *first = NULL, *rg;
	uint32_t ci;
	int t;

	for (c = m->child, ci = mi + 1; c; c = c->next, ci = jp(im, ci)->end) {
		if (!cJSON_IsObject(c))
			continue;
		t = has_typed_keys(c);
		if (first == NULL) {
			first = c;
			im->typed = t;
		} else if (t != im->typed) {
			return ierr(im, ci, 0, "metric %s has the %s shape but metric %s before it has the %s shape",
			    q(c->string), t ? "handleSummary" : "--summary-export", q(first->string),
			    t ? "--summary-export" : "handleSummary");
		}
	}
	if (first == NULL) {
		rg = cJSON_GetObjectItemCaseSensitive(root, "root_group");
		im->typed = cJSON_GetObjectItemCaseSensitive(root, "state") != NULL ||
		    cJSON_GetObjectItemCaseSensitive(root, "options") != NULL ||
		    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(rg, "checks")) ||
		    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(rg, "groups"));
	}
	return 0;
}

/*
 * The v1 summary has no `checks` metric, only checks_succeeded: the same
 * rate under another name. Expose it as `checks` too, so that one SLO
 * file (`metric: checks, stat: rate`) works for every k6 format.
 */
static void
alias_checks(struct run *run, int src)
{
	const struct summary *from = NULL;
	struct summary *to;
	size_t i, k;

	for (i = 0; i < run->nsummaries; i++) {
		if (run->summaries[i].origin.src != src)
			continue;
		if (strcmp(run->summaries[i].name, "checks") == 0)
			return;
		if (strcmp(run->summaries[i].name, "checks_succeeded") == 0)
			from = &run->summaries[i];
	}
	if (from == NULL)
		return;
	k = (size_t)(from - run->summaries);
	to = run_add_summary(run);
	from = &run->summaries[k];	/* run_add_summary may have moved the array */
	to->name = arena_strdup(&run->arena, "checks");
	to->sel.name = to->name;
	to->type = from->type;
	to->unit = from->unit;
	to->unit_known = from->unit_known;
	to->origin = from->origin;
	for (k = 0; k < from->nstats; k++)
		summary_set_stat(run, to, from->stats[k].name, from->stats[k].v);
}

static int
import_doc(struct imp *im, const cJSON *root)
{
	struct source *src = &im->run->sources[im->src];
	const cJSON *m, *res, *rg, *ver, *cs, *gs;
	uint32_t mi = 0, ri = 0, rgi = 0, vi = 0, csi = 0, gsi = 0;

	if (!cJSON_IsObject(root))
		return ierr(im, 0, 1, "not a k6 summary: the top-level value is %s, not an object",
		    jscan_type(root));
	dup_members(im, root, 0, NULL, "the top-level object");
	if ((m = jscan_member(&im->sc, root, 0, "metrics", &mi)) != NULL) {
		if (!cJSON_IsObject(m))
			return ierr(im, mi, 1, "\"metrics\": expected an object, found %s", jscan_type(m));
		if (metrics_shape(im, root, m, mi) == -1)
			return -1;
		src->format = arena_strdup(&im->run->arena,
		    im->typed ? "k6-handle-summary" : "k6-summary-export");
		import_meta(im, root);
		if (import_metrics(im, m, mi) == -1)
			return -1;
		if ((rg = jscan_member(&im->sc, root, 0, "root_group", &rgi)) != NULL)
			return import_group(im, rg, rgi, NULL, "");
		return 0;
	}
	if ((res = jscan_member(&im->sc, root, 0, "results", &ri)) == NULL || !cJSON_IsObject(res))
		return ierr(im, 0, 1, "not a k6 summary: no \"metrics\" object");
	/* The v1.5+ machine-readable summary. */
	im->typed = 1;
	dup_members(im, res, ri, NULL, "\"results\"");
	src->format = arena_strdup(&im->run->arena, "k6-summary-v1");
	if ((ver = jscan_member(&im->sc, root, 0, "version", &vi)) != NULL &&
	    (!cJSON_IsString(ver) || strncmp(ver->valuestring, "1.", 2) != 0))
		iwarn(im, vi, "summary schema version %s is not 1.x; read as 1.0.0",
		    cJSON_IsString(ver) ? q(ver->valuestring) : jscan_type(ver));
	import_meta(im, root);
	if ((m = jscan_member(&im->sc, res, ri, "metrics", &mi)) == NULL)
		return ierr(im, ri, 0, "not a k6 summary: no \"metrics\" in \"results\"");
	if (!cJSON_IsArray(m) && !cJSON_IsObject(m))
		return ierr(im, mi, 1, "\"metrics\": expected an array, found %s", jscan_type(m));
	if (import_metrics(im, m, mi) == -1)
		return -1;
	if ((cs = jscan_member(&im->sc, res, ri, "checks", &csi)) != NULL && !cJSON_IsNull(cs) &&
	    import_checks(im, cs, csi, arena_strdup(&im->run->arena, "")) == -1)
		return -1;
	/* Not in schema 1.0.0; read in case a later one nests checks in groups. */
	if ((gs = jscan_member(&im->sc, res, ri, "groups", &gsi)) != NULL && !cJSON_IsNull(gs) &&
	    import_groups(im, gs, gsi, "") == -1)
		return -1;
	alias_checks(im->run, im->src);
	return 0;
}

int
in_k6sum_import(struct run *run, int src, const struct import_opts *o, const char *path,
    const char *data, size_t len)
{
	struct imp im;
	const char *text = data, *end = NULL, *nul;
	size_t n = len;
	cJSON *root;
	uint32_t line, col;
	int rc;

	(void)o;	/* a k6 summary says all it means */
	if (import_preamble(path, &text, &n, "UTF-8 JSON", "a k6 summary") == -1)
		return -1;
	memset(&im, 0, sizeof im);
	im.run = run;
	im.src = src;
	im.path = path;
	jscan_init(&im.sc, path, text, n);
	if ((nul = memchr(text, '\0', n)) != NULL) {
		jscan_fail(&im.sc, (size_t)(nul - text), "invalid JSON: a NUL byte");
		return -1;
	}
	if (jscan_doc(&im.sc) == -1) {
		jscan_release(&im.sc);
		return -1;
	}
	root = cJSON_ParseWithLengthOpts(text, n, &end, 0);
	if (root == NULL) {
		/* The scanner passed it, so this is cJSON running out of memory or a quirk of its own. */
		jscan_at(&im.sc, end && end >= text && end <= text + n ? (size_t)(end - text) : 0, &line, &col);
		diag_error(path, line, col, "invalid JSON: cJSON cannot parse this");
		jscan_release(&im.sc);
		return -1;
	}
	rc = import_doc(&im, root);
	cJSON_Delete(root);
	strset_release(&im.names);
	jscan_release(&im.sc);
	return rc;
}

int
in_k6sum_sniff(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i >= len || data[i] != '{')
		return 0;
	data += i;
	len -= i;
	/*
	 * Either key that only k6 summaries have is enough, so that a
	 * truncated file (a killed k6, a cut paste) still reaches the parser
	 * and gets an error with its position instead of "unknown kind".
	 */
	return jscan_has_key(data, len, "root_group") ||
	    (jscan_has_key(data, len, "metrics") && jscan_has_key(data, len, "thresholds")) ||
	    (jscan_has_key(data, len, "results") && (jscan_has_key(data, len, "k6_version") ||
	    jscan_has_key(data, len, "k6Version") || jscan_has_key(data, len, "version")));
}
