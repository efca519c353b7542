/*
 * in_k6sum_v1.c — the machine-readable end-of-test summary of k6 v1.5+
 * (`k6 run --summary-export` in its new form, shared corpus FORMATS.md §4),
 * schema version 1.0.0 as grafana/k6-summary publishes it. Its published
 * examples and k6's own writer disagree on details, and every one of their
 * shapes reads to the same run:
 *
 *   results.metrics      an array of {name, type, contains, category, values}
 *                        (schema, k6), or an object grouped by category
 *                        ({"http": [...]} or {"http": {"http_reqs": {...}}}),
 *                        or an object keyed by metric name
 *   results.checks       "results" (schema, k6), "orderedChecks" (example),
 *                        "ordered" (an earlier schema): {name, passes, fails}
 *   checks.metrics       an array (schema, k6) or an object keyed
 *                        checksTotal / checksSucceeded / checksFailed (example)
 *   rate values          {rate, passes, fails} (schema) or {rate, matches,
 *                        total} (k6's writer); see in_k6sum_metric.c
 *
 * A version other than 1.0.x is refused: its fields may mean something else.
 * Owns nothing past a call; depends on what in_k6sum.c depends on.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "in/k6sum_impl.h"
#include "util/diag.h"
#include "util/jsonpos.h"
#include "model/run.h"

/* The schema versions read here: 1.0.0 and its patch releases. */
static int
known_version(const char *v)
{
	const char *p;

	if (strncmp(v, "1.0.", 4) != 0 || !isdigit((unsigned char)v[4]))
		return 0;
	for (p = v + 4; isdigit((unsigned char)*p); p++)
		;
	return *p == '\0' && !(v[4] == '0' && v[5] != '\0');
}

static int
has_typed_keys(const cJSON *e)
{
	return cJSON_GetObjectItemCaseSensitive(e, "values") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(e, "type") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(e, "contains") != NULL;
}

/* checksTotal -> checks_total: the example's keys, when a metric has no "name". */
static void
snake(const char *key, char *out, size_t n)
{
	size_t o = 0;

	for (; *key && o + 2 < n; key++) {
		if (isupper((unsigned char)*key)) {
			out[o++] = '_';
			out[o++] = (char)tolower((unsigned char)*key);
		} else {
			out[o++] = *key;
		}
	}
	out[o] = '\0';
}

/* A metric in an object keyed by its name or a label: "name" wins over the key. */
static int
keyed_metric(struct imp *im, const cJSON *c, uint32_t ci, int from_label)
{
	const cJSON *nm;
	uint32_t ni = 0;
	char name[256];

	if (cJSON_IsObject(c) && (nm = jscan_member(&im->sc, c, ci, "name", &ni)) != NULL) {
		if (!cJSON_IsString(nm))
			return k6s_err(im, ni, 1, "metric entry \"name\": expected a string, found %s",
			    jscan_type(nm));
		return k6s_metric(im, c, ci, nm->valuestring, ni);
	}
	if (from_label) {
		snake(c->string, name, sizeof name);
		return k6s_metric(im, c, ci, name, ci);
	}
	return k6s_metric(im, c, ci, c->string, ci);
}

/* One category's metrics: an array of named metrics or an object keyed by name. */
static int
category(struct imp *im, const cJSON *g, uint32_t gi)
{
	const cJSON *c;
	uint32_t ci;

	if (cJSON_IsArray(g))
		return k6s_metrics(im, g, gi);
	for (c = g->child, ci = gi + 1; c; c = c->next, ci = jscan_next(&im->sc, ci))
		if (keyed_metric(im, c, ci, 0) == -1)
			return -1;
	return 0;
}

/*
 * results.metrics: an array, or an object whose members are metrics (keyed
 * by name) or categories (an array, or an object of metrics).
 */
static int
v1_metrics(struct imp *im, const cJSON *m, uint32_t mi)
{
	const cJSON *c;
	uint32_t ci;

	if (cJSON_IsArray(m))
		return k6s_metrics(im, m, mi);
	if (!cJSON_IsObject(m))
		return k6s_err(im, mi, 1, "\"metrics\": expected an array or an object, found %s",
		    jscan_type(m));
	for (c = m->child, ci = mi + 1; c; c = c->next, ci = jscan_next(&im->sc, ci)) {
		if (cJSON_IsArray(c) || (cJSON_IsObject(c) && !has_typed_keys(c))) {
			if (category(im, c, ci) == -1)
				return -1;
		} else if (keyed_metric(im, c, ci, 0) == -1) {
			return -1;
		}
	}
	return 0;
}

/* checks.metrics: an array, or an object keyed checksTotal, checksSucceeded, checksFailed. */
static int
check_metrics(struct imp *im, const cJSON *m, uint32_t mi)
{
	const cJSON *c;
	uint32_t ci;

	if (cJSON_IsArray(m))
		return k6s_metrics(im, m, mi);
	if (!cJSON_IsObject(m))
		return k6s_err(im, mi, 1, "checks \"metrics\": expected an array or an object, found %s",
		    jscan_type(m));
	for (c = m->child, ci = mi + 1; c; c = c->next, ci = jscan_next(&im->sc, ci))
		if (keyed_metric(im, c, ci, 1) == -1)
			return -1;
	return 0;
}

/* The names the per-check list has gone by, first the schema's. */
static const char *const list_keys[] = { "results", "orderedChecks", "ordered" };

int
k6s_v1_checks(struct imp *im, const cJSON *cs, uint32_t csi, char *group)
{
	const cJSON *c, *list = NULL;
	uint32_t ci, li = 0;
	size_t k;
	int known;

	if (cJSON_IsArray(cs))
		return k6s_check_list(im, cs, csi, group);
	if (!cJSON_IsObject(cs))
		return k6s_err(im, csi, 1, "\"checks\": expected an object, found %s", jscan_type(cs));
	k6s_dup_members(im, cs, csi, NULL, "\"checks\"");
	for (c = cs->child, ci = csi + 1; c; c = c->next, ci = jscan_next(&im->sc, ci)) {
		if (strcmp(c->string, "metrics") == 0) {
			if (!cJSON_IsNull(c) && check_metrics(im, c, ci) == -1)
				return -1;
			continue;
		}
		for (k = 0, known = 0; k < sizeof list_keys / sizeof list_keys[0]; k++)
			known |= strcmp(c->string, list_keys[k]) == 0;
		if (!known) {
			k6s_warn(im, ci, "checks: unknown member %s ignored", k6s_q(c->string));
			continue;
		}
		if (cJSON_IsNull(c))
			continue;
		if (list != NULL) {
			k6s_warn(im, ci, "checks: both %s and %s; %s is read", k6s_q(list->string),
			    k6s_q(c->string), k6s_q(list->string));
			continue;
		}
		if (!cJSON_IsArray(c))
			return k6s_err(im, ci, 1, "checks %s: expected an array, found %s",
			    k6s_q(c->string), jscan_type(c));
		list = c;
		li = ci;
	}
	return list ? k6s_check_list(im, list, li, group) : 0;
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

/*
 * k6's own writer drops a counter's per-second rate, which k6 computes as
 * the count over the test run's duration: put it back from config.duration
 * so a rule on it reads the same from every shape.
 */
static void
counter_rates(struct run *run, int src)
{
	const struct source *so = &run->sources[src];
	struct summary *s;
	size_t i;

	if (!so->have_duration || so->duration_ms <= 0)
		return;
	for (i = 0; i < run->nsummaries; i++) {
		s = &run->summaries[i];
		if (s->origin.src == src && s->type == MT_COUNTER && summary_stat(s, "count") &&
		    !summary_stat(s, "rate"))
			summary_set_stat(run, s, "rate", *summary_stat(s, "count") / (so->duration_ms / 1e3));
	}
}

/* The schema version, before anything else is read: 1.0.x or a refusal. */
static int
v1_version(struct imp *im, const cJSON *root)
{
	struct source *src = &im->run->sources[im->src];
	const cJSON *ver;
	uint32_t vi = 0;

	if ((ver = jscan_member(&im->sc, root, 0, "version", &vi)) == NULL)
		return k6s_err(im, 0, 1, "k6 machine-readable summary without \"version\"; "
		    "sloproof reads schema version 1.0.0");
	if (!cJSON_IsString(ver))
		return k6s_err(im, vi, 1, "\"version\": expected a version string such as \"1.0.0\", found %s",
		    jscan_type(ver));
	if (!known_version(ver->valuestring))
		return k6s_err(im, vi, 1, "k6 summary schema version %s is not supported: sloproof reads "
		    "version 1.0.0 (and 1.0.x); write the summary with handleSummary() instead, "
		    "or use a sloproof that knows this version", k6s_q(ver->valuestring));
	src->format_version = arena_strdup(&im->run->arena, ver->valuestring);
	return 0;
}

int
k6s_v1_doc(struct imp *im, const cJSON *root)
{
	struct source *src = &im->run->sources[im->src];
	const cJSON *res, *m, *cs, *gs;
	uint32_t ri = 0, mi = 0, csi = 0, gsi = 0;

	res = jscan_member(&im->sc, root, 0, "results", &ri);
	im->typed = 1;
	im->v1 = 1;
	src->format = arena_strdup(&im->run->arena, "k6-summary-v1");
	if (v1_version(im, root) == -1)
		return -1;
	k6s_dup_members(im, res, ri, NULL, "\"results\"");
	k6s_meta(im, root);
	if ((m = jscan_member(&im->sc, res, ri, "metrics", &mi)) == NULL)
		return k6s_err(im, ri, 0, "not a k6 summary: no \"metrics\" in \"results\"");
	if (v1_metrics(im, m, mi) == -1)
		return -1;
	if ((cs = jscan_member(&im->sc, res, ri, "checks", &csi)) != NULL && !cJSON_IsNull(cs) &&
	    k6s_v1_checks(im, cs, csi, arena_strdup(&im->run->arena, "")) == -1)
		return -1;
	/* Not in schema 1.0.0; read in case a later one nests checks in groups. */
	if ((gs = jscan_member(&im->sc, res, ri, "groups", &gsi)) != NULL && !cJSON_IsNull(gs) &&
	    k6s_groups(im, gs, gsi, "") == -1)
		return -1;
	counter_rates(im->run, im->src);
	alias_checks(im->run, im->src);
	return 0;
}
