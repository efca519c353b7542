/*
 * in_k6sum.c — k6 end-of-test summaries into a run: the legacy
 * --summary-export file, the data handed to handleSummary(), and the
 * v1.5+ machine-readable summary (shared corpus FORMATS.md §1, 2 and 4).
 * This file reads the document, its meta, checks and groups; one metric
 * is read by in_k6sum_metric.c and the v1 shapes by in_k6sum_v1.c, all
 * sharing include/in/k6sum_impl.h.
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

#include "in/k6sum_impl.h"
#include "util/hash.h"
#include "util/diag.h"
#include "in/import.h"
#include "util/jsonpos.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* ---- a string set ------------------------------------------------------ */

int
k6s_strset_add(struct strset *set, const char *s)
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

void
k6s_strset_release(struct strset *set)
{
	free(set->slot);
	memset(set, 0, sizeof *set);
}
/* ---- walking cJSON and the positions together --------------------------- */

const struct jpos *
k6s_jp(const struct imp *im, uint32_t i)
{
	static const struct jpos none;

	return i < im->sc.npos ? &im->sc.pos[i] : &none;
}

struct origin
k6s_origin(const struct imp *im, uint32_t i)
{
	struct origin o;

	o.src = im->src;
	o.line = k6s_jp(im, i)->kline;
	o.col = k6s_jp(im, i)->kcol;
	return o;
}

/* Errors about a value point at it; about a name, at the key. */
int
k6s_err(struct imp *im, uint32_t at, int at_value, const char *fmt, ...)
{
	const struct jpos *p = k6s_jp(im, at);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_error(im->path, at_value ? p->vline : p->kline, at_value ? p->vcol : p->kcol, "%s", msg);
	return -1;
}

void
k6s_warn(struct imp *im, uint32_t at, const char *fmt, ...)
{
	const struct jpos *p = k6s_jp(im, at);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_warning(im->path, p->kline, p->kcol, "%s", msg);
}

const char *
k6s_q(const char *s)
{
	return diag_q(s, (size_t)-1);
}

/*
 * cJSON keeps every member of a repeated key and lookups find the first:
 * say so for the later ones (only the key `only` when it is not NULL).
 */
void
k6s_dup_members(struct imp *im, const cJSON *obj, uint32_t oi, const char *only, const char *where)
{
	struct strset seen;
	const cJSON *c;
	uint32_t ci;

	memset(&seen, 0, sizeof seen);
	for (c = obj->child, ci = oi + 1; c; c = c->next, ci = k6s_jp(im, ci)->end)
		if ((only == NULL || strcmp(c->string, only) == 0) && !k6s_strset_add(&seen, c->string))
			k6s_warn(im, ci, "duplicate key %s in %s; the first is kept", k6s_q(c->string), where);
	k6s_strset_release(&seen);
}

int
k6s_is_count(double v)
{
	return v >= 0 && v == floor(v) && v <= 9007199254740992.0;
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
		return k6s_err(im, at, 0, "check %s: no %s", k6s_q(name), k6s_q(key));
	if (!cJSON_IsNumber(v))
		return k6s_err(im, vi, 1, "check %s %s: expected a non-negative integer, found %s",
		    k6s_q(name), k6s_q(key), jscan_type(v));
	if (!k6s_is_count(v->valuedouble)) {
		fmt_double(num, sizeof num, v->valuedouble);
		return k6s_err(im, vi, 1, "check %s %s: expected a non-negative integer, found %s",
		    k6s_q(name), k6s_q(key), num);
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
		return k6s_err(im, at, 0, "check name longer than %d bytes: %s", LIM_NAME, k6s_q(name));
	if (im->run->nchecks >= LIM_CHECKS)
		return k6s_err(im, at, 0, "too many checks: more than %d in one run", LIM_CHECKS);
	k6s_dup_members(im, c, ci, NULL, "a check");
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
	k->origin = k6s_origin(im, at);
	return 0;
}

/* An array of {name, passes, fails}: handleSummary's and v1's. */
int
k6s_check_list(struct imp *im, const cJSON *cs, uint32_t csi, char *group)
{
	const cJSON *c, *nm;
	uint32_t ci, ni = 0;

	for (c = cs->child, ci = csi + 1; c; c = c->next, ci = k6s_jp(im, ci)->end) {
		if (!cJSON_IsObject(c))
			return k6s_err(im, ci, 1, "check entry: expected an object, found %s", jscan_type(c));
		if ((nm = jscan_member(&im->sc, c, ci, "name", &ni)) == NULL)
			return k6s_err(im, ci, 1, "check entry without a \"name\"");
		if (!cJSON_IsString(nm))
			return k6s_err(im, ni, 1, "check entry \"name\": expected a string, found %s",
			    jscan_type(nm));
		if (import_check(im, c, ci, nm->valuestring, ni, group) == -1)
			return -1;
	}
	return 0;
}

/*
 * Checks as k6 writes them somewhere: an object keyed by name (export),
 * an array (handleSummary), or v1's object of lists (in_k6sum_v1.c).
 */
int
k6s_checks(struct imp *im, const cJSON *cs, uint32_t csi, char *group)
{
	struct strset seen;
	const cJSON *c, *nm;
	uint32_t ci;
	const char *name;
	int rc = 0;

	if (cJSON_IsArray(cs))
		return k6s_check_list(im, cs, csi, group);
	if (im->v1)
		return k6s_v1_checks(im, cs, csi, group);
	if (!cJSON_IsObject(cs))
		return k6s_err(im, csi, 1, "\"checks\": expected an object or an array, found %s", jscan_type(cs));
	memset(&seen, 0, sizeof seen);
	for (c = cs->child, ci = csi + 1; c && rc == 0; c = c->next, ci = k6s_jp(im, ci)->end) {
		if (!k6s_strset_add(&seen, c->string)) {
			k6s_warn(im, ci, "duplicate check %s; the first is kept", k6s_q(c->string));
			continue;
		}
		if (!cJSON_IsObject(c)) {
			rc = k6s_err(im, ci, 1, "check %s: expected an object, found %s", k6s_q(c->string), jscan_type(c));
			break;
		}
		nm = cJSON_GetObjectItemCaseSensitive(c, "name");
		name = cJSON_IsString(nm) ? nm->valuestring : c->string;
		rc = import_check(im, c, ci, name, ci, group);
	}
	k6s_strset_release(&seen);
	return rc;
}

/* A group: its path from its "path", else from its parent's and its name. */
static int
import_group(struct imp *im, const cJSON *g, uint32_t gi, const char *parent, const char *name)
{
	const cJSON *p, *cs, *gs;
	uint32_t csi = 0, gsi = 0;
	char *path;
	size_t n;

	if (!cJSON_IsObject(g))
		return k6s_err(im, gi, 1, "group %s: expected an object, found %s", k6s_q(name), jscan_type(g));
	k6s_dup_members(im, g, gi, NULL, "a group");
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
	    k6s_checks(im, cs, csi, path) == -1)
		return -1;
	if ((gs = jscan_member(&im->sc, g, gi, "groups", &gsi)) != NULL && !cJSON_IsNull(gs) &&
	    k6s_groups(im, gs, gsi, path) == -1)
		return -1;
	return 0;
}

int
k6s_groups(struct imp *im, const cJSON *gs, uint32_t gsi, const char *parent)
{
	struct strset seen;
	const cJSON *c, *nm;
	uint32_t ci;
	int rc = 0;

	if (cJSON_IsArray(gs)) {
		for (c = gs->child, ci = gsi + 1; c; c = c->next, ci = k6s_jp(im, ci)->end) {
			nm = cJSON_GetObjectItemCaseSensitive(c, "name");
			if (import_group(im, c, ci, parent, cJSON_IsString(nm) ? nm->valuestring : "") == -1)
				return -1;
		}
		return 0;
	}
	if (!cJSON_IsObject(gs))
		return k6s_err(im, gsi, 1, "\"groups\": expected an object or an array, found %s", jscan_type(gs));
	memset(&seen, 0, sizeof seen);
	for (c = gs->child, ci = gsi + 1; c && rc == 0; c = c->next, ci = k6s_jp(im, ci)->end) {
		if (!k6s_strset_add(&seen, c->string)) {
			k6s_warn(im, ci, "duplicate group %s; the first is kept", k6s_q(c->string));
			continue;
		}
		rc = import_group(im, c, ci, parent, c->string);
	}
	k6s_strset_release(&seen);
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
void
k6s_meta(struct imp *im, const cJSON *root)
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
			k6s_warn(im, vi, "metadata %s: expected a version string, found %s", k6s_q(v->string), jscan_type(v));
		if ((t = jscan_member(&im->sc, md, mdi, "generated_at", &ti)) == NULL)
			t = jscan_member(&im->sc, md, mdi, "generatedAt", &ti);
		if (cJSON_IsString(t) &&
		    time_parse_rfc3339(t->valuestring, strlen(t->valuestring), &src->generated_at, &errcol) == 0)
			src->have_generated_at = 1;
		else if (t)
			k6s_warn(im, ti, "metadata %s: not an RFC 3339 time: %s", k6s_q(t->string),
			    cJSON_IsString(t) ? k6s_q(t->valuestring) : jscan_type(t));
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
			k6s_warn(im, di, "config \"duration\": not a duration: %s",
			    cJSON_IsString(v) ? k6s_q(v->valuestring) : jscan_type(v));
		}
	}
	if ((st = jscan_member(&im->sc, root, 0, "state", &si)) != NULL &&
	    (v = jscan_member(&im->sc, st, si, "testRunDurationMs", &di)) != NULL) {
		if (cJSON_IsNumber(v) && v->valuedouble >= 0 && isfinite(v->valuedouble)) {
			src->duration_ms = v->valuedouble;
			src->have_duration = 1;
		} else {
			k6s_warn(im, di, "state \"testRunDurationMs\": expected a non-negative number, found %s",
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

	for (c = m->child, ci = mi + 1; c; c = c->next, ci = k6s_jp(im, ci)->end) {
		if (!cJSON_IsObject(c))
			continue;
		t = has_typed_keys(c);
		if (first == NULL) {
			first = c;
			im->typed = t;
		} else if (t != im->typed) {
			return k6s_err(im, ci, 0, "metric %s has the %s shape but metric %s before it has the %s shape",
			    k6s_q(c->string), t ? "handleSummary" : "--summary-export", k6s_q(first->string),
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

static int
import_doc(struct imp *im, const cJSON *root)
{
	struct source *src = &im->run->sources[im->src];
	const cJSON *m, *res, *rg;
	uint32_t mi = 0, ri = 0, rgi = 0;

	if (!cJSON_IsObject(root))
		return k6s_err(im, 0, 1, "not a k6 summary: the top-level value is %s, not an object",
		    jscan_type(root));
	k6s_dup_members(im, root, 0, NULL, "the top-level object");
	if ((m = jscan_member(&im->sc, root, 0, "metrics", &mi)) != NULL) {
		if (!cJSON_IsObject(m))
			return k6s_err(im, mi, 1, "\"metrics\": expected an object, found %s", jscan_type(m));
		if (metrics_shape(im, root, m, mi) == -1)
			return -1;
		src->format = arena_strdup(&im->run->arena,
		    im->typed ? "k6-handle-summary" : "k6-summary-export");
		k6s_meta(im, root);
		if (k6s_metrics(im, m, mi) == -1)
			return -1;
		if ((rg = jscan_member(&im->sc, root, 0, "root_group", &rgi)) != NULL)
			return import_group(im, rg, rgi, NULL, "");
		return 0;
	}
	if ((res = jscan_member(&im->sc, root, 0, "results", &ri)) == NULL || !cJSON_IsObject(res))
		return k6s_err(im, 0, 1, "not a k6 summary: no \"metrics\" object");
	/* The v1.5+ machine-readable summary. */
	return k6s_v1_doc(im, root);
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
	k6s_strset_release(&im.names);
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
