/*
 * in_bundle.c — reads the summary.json of existing bundles: a day's list
 * for index.md, and whole summaries (struct bsum) for digest and compare.
 * Tolerant of bundles written by newer versions (unknown keys are
 * ignored) but strict about the type of every key it reads, and says
 * which file and key it could not read. Depends on cJSON, fsio, diag,
 * drill (slugs); never on a renderer.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/jsonpos.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/jsonlim.h"
#include "util/fsio.h"
#include "in/in_bundle.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/splimits.h"
#include "util/xalloc.h"

static char *
get(const cJSON *obj, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);

	return xstrdup(cJSON_IsString(j) ? j->valuestring : "");
}

static long long
num(const cJSON *obj, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(j) ? (long long)j->valuedouble : 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Which evidence a bundle judged: its inputs' sha256s, sorted and joined
 * (xmalloc'd; "" when none). Two bundles with the same are one drill
 * bundled twice, whatever their folders are called.
 */
static char *
evidence_key(const cJSON *root)
{
	const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(root, "inputs"), *in;
	const char **h = NULL;
	size_t n = 0, cap = 0, i;
	struct buf b;
	char *s;

	cJSON_ArrayForEach(in, inputs) {
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(in, "sha256");

		if (cJSON_IsString(sha))
			*VEC_PUSH(h, n, cap) = sha->valuestring;
	}
	if (n > 1)
		qsort(h, n, sizeof *h, str_cmp);
	buf_init(&b, LIM_INPUT_BYTES);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", h[i]);
	s = xstrdup(buf_str(&b));
	buf_release(&b);
	free(h);
	return s;
}

static int
read_one(const char *datedir, const char *slug, struct bundle_meta *m)
{
	char path[4096], tally[128];
	struct buf b;
	cJSON *root;
	const cJSON *drill, *t;

	snprintf(path, sizeof path, "%s/%s/summary.json", datedir, slug);
	if (!fsio_exists(path))
		return -1;
	buf_init(&b, LIM_INPUT_BYTES);
	if (fsio_read(path, LIM_INPUT_BYTES, &b, NULL, NULL) == -1) {
		buf_release(&b);
		return -1;
	}
	{
		int reported;

		root = json_parse(path, buf_str(&b), b.len, NULL, &reported);
	}
	buf_release(&b);
	drill = cJSON_GetObjectItemCaseSensitive(root, "drill");
	if (!cJSON_IsObject(drill)) {
		cJSON_Delete(root);
		diag_warning(path, 0, 0, "not a sloproof summary; left out of index.md");
		return -1;
	}
	m->slug = xstrdup(slug);
	m->title = get(drill, "title");
	m->environment = get(drill, "environment");
	m->verdict = get(root, "verdict");
	t = cJSON_GetObjectItemCaseSensitive(root, "tally");
	{
		long long n[4];

		n[V_PASS] = num(t, "pass");
		n[V_WARN] = num(t, "warn");
		n[V_FAIL] = num(t, "fail");
		n[V_NODATA] = num(t, "nodata");
		verdict_tally_text(tally, sizeof tally, n);
	}
	m->tally = xstrdup(tally);
	m->evidence = evidence_key(root);
	cJSON_Delete(root);
	return 0;
}

static int
by_slug(const void *a, const void *b)
{
	return strcmp(((const struct bundle_meta *)a)->slug, ((const struct bundle_meta *)b)->slug);
}

int
in_bundle_scan_day(const char *datedir, struct bundle_meta **out, size_t *n)
{
	struct bundle_meta *v = NULL;
	size_t cap = 0, len = 0;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*n = 0;
	if ((d = opendir(datedir)) == NULL) {
		diag_syserr(datedir, "cannot read directory: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct bundle_meta m;

		if (de->d_name[0] == '.')
			continue;
		memset(&m, 0, sizeof m);
		if (read_one(datedir, de->d_name, &m) == 0)
			*VEC_PUSH(v, len, cap) = m;
	}
	closedir(d);
	if (len)
		qsort(v, len, sizeof *v, by_slug);
	*out = v;
	*n = len;
	return 0;
}

void
in_bundle_free(struct bundle_meta *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].slug);
		free(v[i].title);
		free(v[i].verdict);
		free(v[i].tally);
		free(v[i].environment);
		free(v[i].evidence);
	}
	free(v);
}

/* ---- whole summaries ---- */

struct rd {
	const char	*path;	/* for diagnostics */
	struct bsum	*b;
	int		 warn;	/* scanning: a bad bundle is a warning, and left out */
};

static void rerr(const struct rd *, long, long, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
rerr(const struct rd *r, long line, long col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->warn)
		diag_warning(r->path, line, col, "%s; bundle left out", msg);
	else
		diag_error(r->path, line, col, "%s", msg);
}

static const char *
jtype(const cJSON *j)
{
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsBool(j))
		return "a boolean";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsArray(j))
		return "an array";
	return "an object";
}

static int
bad(struct rd *r, const char *key, const cJSON *j, const char *want)
{
	rerr(r, 0, 0, "key %s: expected %s, not %s", diag_q(key, (size_t)-1), want,
	    j ? jtype(j) : "nothing (the key is missing)");
	return -1;
}

/*
 * A string member. Absent or null gives NULL when optional, else an
 * error; any other type is an error. where + key name it in messages.
 */
static int
rstr(struct rd *r, const cJSON *obj, const char *where, const char *key, int optional, char **out)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
	char name[256];

	*out = NULL;
	if (cJSON_IsString(j)) {
		*out = arena_strdup(&r->b->arena, j->valuestring);
		return 0;
	}
	if (optional && (j == NULL || cJSON_IsNull(j)))
		return 0;
	snprintf(name, sizeof name, "%s%s", where, key);
	return bad(r, name, j, optional ? "a string or null" : "a string");
}

static int
rnum(struct rd *r, const cJSON *obj, const char *where, const char *key, int *have, double *out)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
	char name[256];

	*have = 0;
	*out = 0;
	if (cJSON_IsNumber(j)) {
		*have = 1;
		*out = j->valuedouble;
		return 0;
	}
	if (j == NULL || cJSON_IsNull(j))
		return 0;
	snprintf(name, sizeof name, "%s%s", where, key);
	return bad(r, name, j, "a number or null");
}

/* An array member (absent: empty); more than max items is an error. */
static int
rarr(struct rd *r, const cJSON *obj, const char *key, int max, const cJSON **out, int *n)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	*n = 0;
	if (j == NULL)
		return 0;
	if (!cJSON_IsArray(j))
		return bad(r, key, j, "an array");
	*n = cJSON_GetArraySize(j);
	if (*n > max) {
		rerr(r, 0, 0, "key %s: more than %d items", diag_q(key, (size_t)-1), max);
		return -1;
	}
	*out = j;
	return 0;
}

static int
parse_verdict(const char *s, enum verdict_state *v)
{
	static const char *const names[] = {"pass", "warn", "fail", "nodata"};
	int i;

	for (i = 0; i < 4; i++)
		if (s && strcmp(s, names[i]) == 0) {
			*v = (enum verdict_state)i;
			return 0;
		}
	return -1;
}

static int
parse_kind(const char *s, enum slo_kind *k)
{
	static const char *const names[] = {"metric", "recovers", "alert", "hpa", "openslo"};
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*k = (enum slo_kind)i;
			return 0;
		}
	return -1;
}

static int
parse_op(const char *s, enum cmp_op *op)
{
	static const char *const names[] = {"<", "<=", ">", ">=", "=="};
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*op = (enum cmp_op)i;
			return 0;
		}
	return -1;
}

static int
parse_unit(const char *s, enum unit *u)
{
	static const enum unit all[] = {UNIT_NONE, UNIT_MS, UNIT_RATIO, UNIT_BYTES, UNIT_PER_S,
	    UNIT_BYTES_PER_S};
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(s, unit_name(all[i])) == 0) {
			*u = all[i];
			return 0;
		}
	return -1;
}

static int
bad_value(struct rd *r, const char *key, const char *v, const char *want)
{
	rerr(r, 0, 0, "key %s: unknown value %s; expected %s", diag_q(key, (size_t)-1),
	    diag_q(v, (size_t)-1), want);
	return -1;
}

static int
read_slo(struct rd *r, const cJSON *o, int i, struct bsum_slo *s)
{
	char where[64], key[96], *verdict, *kind, *op, *unit;
	double v;
	int have;

	snprintf(where, sizeof where, "slos[%d].", i);
	if (!cJSON_IsObject(o)) {
		snprintf(key, sizeof key, "slos[%d]", i);
		return bad(r, key, o, "an object");
	}
	if (rstr(r, o, where, "name", 0, &s->name) == -1 ||
	    rstr(r, o, where, "verdict", 0, &verdict) == -1 ||
	    rstr(r, o, where, "kind", 1, &kind) == -1 ||
	    rstr(r, o, where, "metric", 1, &s->metric) == -1 ||
	    rstr(r, o, where, "stat", 1, &s->stat) == -1 ||
	    rnum(r, o, where, "observed", &s->have_observed, &s->observed) == -1 ||
	    rnum(r, o, where, "limit", &have, &s->limit) == -1 ||
	    rstr(r, o, where, "op", 1, &op) == -1 ||
	    rnum(r, o, where, "warn", &s->have_warn, &s->warn) == -1 ||
	    rstr(r, o, where, "unit", 1, &unit) == -1 ||
	    rstr(r, o, where, "message", 1, &s->message) == -1)
		return -1;
	(void)v;
	snprintf(key, sizeof key, "%sverdict", where);
	if (parse_verdict(verdict, &s->verdict) == -1)
		return bad_value(r, key, verdict, "pass, warn, fail or nodata");
	snprintf(key, sizeof key, "%skind", where);
	if (kind && parse_kind(kind, &s->kind) == -1)
		return bad_value(r, key, kind, "metric, recovers, alert, hpa or openslo");
	snprintf(key, sizeof key, "%sop", where);
	s->op = OP_LT;
	if (op && parse_op(op, &s->op) == -1)
		return bad_value(r, key, op, "<, <=, >, >= or ==");
	snprintf(key, sizeof key, "%sunit", where);
	if (unit && parse_unit(unit, &s->unit) == -1)
		return bad_value(r, key, unit, "ms, ratio, bytes, 1/s, bytes/s or \"\"");
	if (s->metric == NULL)
		s->metric = arena_strdup(&r->b->arena, "");
	if (s->stat == NULL)
		s->stat = arena_strdup(&r->b->arena, "");
	if (s->message == NULL)
		s->message = arena_strdup(&r->b->arena, "");
	return 0;
}

static int
parse_type(const char *s, enum metric_type *t)
{
	static const char *const names[] = {"unknown", "counter", "gauge", "rate", "trend"};
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*t = (enum metric_type)i;
			return 0;
		}
	return -1;
}

static int
read_metric(struct rd *r, const cJSON *o, int i, struct bsum_metric *m)
{
	char where[64], key[96], *type, *unit;
	const cJSON *stats, *st;
	int n = 0;

	snprintf(where, sizeof where, "metrics[%d].", i);
	if (!cJSON_IsObject(o)) {
		snprintf(key, sizeof key, "metrics[%d]", i);
		return bad(r, key, o, "an object");
	}
	if (rstr(r, o, where, "name", 0, &m->name) == -1 ||
	    rstr(r, o, where, "type", 1, &type) == -1 ||
	    rstr(r, o, where, "unit", 1, &unit) == -1)
		return -1;
	snprintf(key, sizeof key, "%stype", where);
	if (type && parse_type(type, &m->type) == -1)
		return bad_value(r, key, type, "trend, rate, counter, gauge or unknown");
	snprintf(key, sizeof key, "%sunit", where);
	if (unit && parse_unit(unit, &m->unit) == -1)
		return bad_value(r, key, unit, "ms, ratio, bytes, 1/s, bytes/s or \"\"");
	stats = cJSON_GetObjectItemCaseSensitive(o, "stats");
	snprintf(key, sizeof key, "%sstats", where);
	if (stats == NULL)
		return 0;
	if (!cJSON_IsObject(stats))
		return bad(r, key, stats, "an object");
	m->stats = arena_alloc(&r->b->arena, (size_t)(cJSON_GetArraySize(stats) + 1) * sizeof *m->stats);
	cJSON_ArrayForEach(st, stats) {
		if (n == LIM_STATS) {
			rerr(r, 0, 0, "key %s: more than %d statistics", diag_q(key, (size_t)-1),
			    LIM_STATS);
			return -1;
		}
		if (cJSON_IsNull(st))
			continue;
		if (!cJSON_IsNumber(st)) {
			char k2[160];

			snprintf(k2, sizeof k2, "%s.%s", key, st->string);
			return bad(r, k2, st, "a number or null");
		}
		m->stats[n].name = arena_strdup(&r->b->arena, st->string);
		m->stats[n++].v = st->valuedouble;
	}
	m->nstats = (size_t)n;
	return 0;
}

static int
read_followup(struct rd *r, const cJSON *o, int i, struct bsum_followup *f)
{
	char where[64];

	snprintf(where, sizeof where, "followups[%d].", i);
	if (!cJSON_IsObject(o)) {
		snprintf(where, sizeof where, "followups[%d]", i);
		return bad(r, where, o, "an object");
	}
	return rstr(r, o, where, "id", 0, &f->id) == -1 ||
	    rstr(r, o, where, "title", 1, &f->title) == -1 ||
	    rstr(r, o, where, "owner", 1, &f->owner) == -1 ||
	    rstr(r, o, where, "due", 1, &f->due) == -1 ||
	    rstr(r, o, where, "link", 1, &f->link) == -1 ? -1 : 0;
}

/* inputs[i] or attachments[i]: the stored path and the recorded hash. */
static int
read_files(struct rd *r, const cJSON *root, const char *key, int max)
{
	const cJSON *arr, *it;
	char where[64];
	int n, i = 0;
	struct bsum_file *f;

	if (rarr(r, root, key, max, &arr, &n) == -1)
		return -1;
	if (n == 0)
		return 0;
	f = arena_alloc(&r->b->arena, (r->b->nfiles + (size_t)n) * sizeof *f);
	if (r->b->nfiles)
		memcpy(f, r->b->files, r->b->nfiles * sizeof *f);
	r->b->files = f;
	cJSON_ArrayForEach(it, arr) {
		f = &r->b->files[r->b->nfiles];
		snprintf(where, sizeof where, "%s[%d]", key, i);
		if (!cJSON_IsObject(it))
			return bad(r, where, it, "an object");
		f->key = arena_strdup(&r->b->arena, where);
		snprintf(where, sizeof where, "%s[%d].", key, i);
		if (rstr(r, it, where, "path", 0, &f->path) == -1 ||
		    rstr(r, it, where, "sha256", 1, &f->sha256) == -1)
			return -1;
		r->b->nfiles++;
		i++;
	}
	return 0;
}

/* Nesting deeper than LIM_JSON_DEPTH, found before cJSON recurses into it. */
static int
too_deep(const char *s, size_t n, size_t *at)
{
	size_t i;
	int depth = 0, instr = 0;

	for (i = 0; i < n; i++) {
		if (instr) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				instr = 0;
		} else if (s[i] == '"') {
			instr = 1;
		} else if (s[i] == '{' || s[i] == '[') {
			if (++depth > LIM_JSON_DEPTH) {
				*at = i;
				return 1;
			}
		} else if (s[i] == '}' || s[i] == ']') {
			depth--;
		}
	}
	return 0;
}

/* Strings of an array (of strings, or of objects' key), into the arena; wrong types are skipped. */
static char **
strings(struct bsum *b, const cJSON *arr, const char *key, size_t *n)
{
	const cJSON *it, *s;
	char **v;
	int max = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;

	*n = 0;
	if (max <= 0 || max > LIM_SOURCES + LIM_RULES)
		return NULL;
	v = arena_alloc(&b->arena, (size_t)max * sizeof *v);
	cJSON_ArrayForEach(it, arr) {
		s = key ? cJSON_GetObjectItemCaseSensitive(it, key) : it;
		if (cJSON_IsString(s))
			v[(*n)++] = arena_strdup(&b->arena, s->valuestring);
	}
	return v;
}

/*
 * What the comparison of like with like needs: fault names, the rules'
 * files and the test's duration. Read leniently: bundles made before a
 * key existed still compare, on what they have.
 */
static void
read_shape(struct bsum *b, const cJSON *root, const cJSON *drill)
{
	const cJSON *it, *d;

	b->faults = strings(b, cJSON_GetObjectItemCaseSensitive(root, "faults"), "name", &b->nfaults);
	b->slo_files = strings(b, cJSON_GetObjectItemCaseSensitive(drill, "slo_files"), NULL,
	    &b->nslo_files);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "inputs")) {
		d = cJSON_GetObjectItemCaseSensitive(it, "duration_ms");
		if (cJSON_IsNumber(d) && (!b->have_duration || d->valuedouble > b->duration_ms)) {
			b->have_duration = 1;
			b->duration_ms = d->valuedouble;
		}
	}
}

static int
parse(struct bsum *b, const char *dir, const char *path, const char *text, size_t len, int warn)
{
	struct rd r;
	const char *end = NULL;
	const cJSON *drill, *arr, *t, *it;
	cJSON *root;
	char *verdict;
	size_t at;
	long line, col;
	int n, i, have, rc = -1, reported;
	double v;

	memset(b, 0, sizeof *b);
	arena_init(&b->arena);
	b->dir = arena_strdup(&b->arena, dir);
	r.path = path;
	r.b = b;
	r.warn = warn;
	if (too_deep(text, len, &at)) {
		json_line_col(text, at, &line, &col);
		rerr(&r, line, col, "JSON nested deeper than %d levels", LIM_JSON_DEPTH);
		return -1;
	}
	if ((root = json_parse(path, text, len, &end, &reported)) == NULL) {
		if (reported)
			return -1;
		json_line_col(text, end && end >= text && end <= text + len ? (size_t)(end - text) : 0,
		    &line, &col);
		rerr(&r, line, col, "invalid JSON; expected a sloproof summary.json");
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		bad(&r, "(top level)", root, "an object");
		goto out;
	}
	drill = cJSON_GetObjectItemCaseSensitive(root, "drill");
	if (!cJSON_IsObject(drill)) {
		bad(&r, "drill", drill, "an object");
		goto out;
	}
	{
		char *k = evidence_key(root);

		b->evidence = arena_strdup(&b->arena, k);
		free(k);
	}
	if (rstr(&r, drill, "drill.", "title", 0, &b->title) == -1 ||
	    rstr(&r, drill, "drill.", "slug", 0, &b->slug) == -1 ||
	    rstr(&r, drill, "drill.", "date", 0, &b->date) == -1 ||
	    rstr(&r, drill, "drill.", "environment", 1, &b->environment) == -1 ||
	    rstr(&r, root, "", "verdict", 0, &verdict) == -1)
		goto out;
	{
		int64_t ms;

		if (time_parse_date(b->date, strlen(b->date), &ms) == -1) {
			bad_value(&r, "drill.date", b->date, "a date YYYY-MM-DD");
			goto out;
		}
	}
	if (parse_verdict(verdict, &b->verdict) == -1 || b->verdict == V_NODATA) {
		bad_value(&r, "verdict", verdict, "pass, warn or fail");
		goto out;
	}
	t = cJSON_GetObjectItemCaseSensitive(root, "tally");
	if (t != NULL && !cJSON_IsObject(t)) {
		bad(&r, "tally", t, "an object");
		goto out;
	}
	for (i = 0; t && i < 4; i++) {
		if (rnum(&r, t, "tally.", verdict_str((enum verdict_state)i), &have, &v) == -1)
			goto out;
		b->tally[i] = (long long)v;
	}
	if (rarr(&r, root, "slos", LIM_RULES, &arr, &n) == -1)
		goto out;
	b->slos = arena_alloc(&b->arena, (size_t)(n + 1) * sizeof *b->slos);
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		if (read_slo(&r, it, i, &b->slos[i]) == -1)
			goto out;
		i++;
	}
	b->nslos = (size_t)i;
	if (rarr(&r, root, "metrics", LIM_METRICS, &arr, &n) == -1)
		goto out;
	b->metrics = arena_alloc(&b->arena, (size_t)(n + 1) * sizeof *b->metrics);
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		if (read_metric(&r, it, i, &b->metrics[i]) == -1)
			goto out;
		i++;
	}
	b->nmetrics = (size_t)i;
	if (rarr(&r, root, "followups", LIM_FOLLOWUPS, &arr, &n) == -1)
		goto out;
	b->followups = arena_alloc(&b->arena, (size_t)(n + 1) * sizeof *b->followups);
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		if (read_followup(&r, it, i, &b->followups[i]) == -1)
			goto out;
		i++;
	}
	b->nfollowups = (size_t)i;
	if (read_files(&r, root, "inputs", LIM_SOURCES) == -1 ||
	    read_files(&r, root, "attachments", LIM_SOURCES) == -1)
		goto out;
	read_shape(b, root, drill);
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

int
in_bundle_parse(struct bsum *b, const char *dir, const char *path, const char *text, size_t len)
{
	return parse(b, dir, path, text, len, 0);
}

static int
read_bundle(struct bsum *b, const char *dir, int warn)
{
	char path[4200];
	struct buf text;
	struct rd r;
	int rc;

	snprintf(path, sizeof path, "%s/summary.json", dir);
	memset(b, 0, sizeof *b);
	arena_init(&b->arena);
	memset(&r, 0, sizeof r);
	r.path = dir;
	r.warn = warn;
	if (!fsio_isdir(dir)) {
		rerr(&r, 0, 0, "not a bundle: %s", fsio_exists(dir) ? "not a directory" :
		    "no such directory");
		return -1;
	}
	if (!fsio_exists(path)) {
		rerr(&r, 0, 0, "not a bundle: it has no summary.json");
		return -1;
	}
	buf_init(&text, LIM_INPUT_BYTES);
	if (fsio_read(path, LIM_INPUT_BYTES, &text, NULL, NULL) == -1) {
		buf_release(&text);
		return -1;
	}
	rc = parse(b, dir, path, buf_str(&text), text.len, warn);
	buf_release(&text);
	return rc;
}

int
in_bundle_read(struct bsum *b, const char *dir)
{
	return read_bundle(b, dir, 0);
}

void
in_bundle_release(struct bsum *b)
{
	arena_release(&b->arena);
	memset(b, 0, sizeof *b);
}

const struct bsum_slo *
bsum_find_slo(const struct bsum *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nslos; i++)
		if (strcmp(b->slos[i].name, name) == 0)
			return &b->slos[i];
	return NULL;
}

const struct bsum_metric *
bsum_find_metric(const struct bsum *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nmetrics; i++)
		if (strcmp(b->metrics[i].name, name) == 0)
			return &b->metrics[i];
	return NULL;
}

const double *
bsum_stat(const struct bsum_metric *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nstats; i++)
		if (strcmp(m->stats[i].name, name) == 0)
			return &m->stats[i].v;
	return NULL;
}

/* The N of a "-N" suffix (N >= 2, no leading zero) ending slug at len, or 0. */
static long
suffix_at(const char *slug, size_t len)
{
	size_t i = len;
	long long v;

	while (i > 0 && slug[i - 1] >= '0' && slug[i - 1] <= '9')
		i--;
	if (i == len || i < 2 || slug[i - 1] != '-' || slug[i] == '0' || len - i > 4)
		return 0;
	if (strnum_ll(slug + i, len - i, &v) == -1 || v < 2)
		return 0;
	return (long)v;
}

int
bsum_same_family(const char *slug, const char *base)
{
	size_t lb = strlen(base), ls = strlen(slug);

	if (strcmp(slug, base) == 0)
		return 1;
	return ls > lb + 1 && strncmp(slug, base, lb) == 0 && slug[lb] == '-' &&
	    suffix_at(slug, ls) != 0 && strspn(slug + lb + 1, "0123456789") == ls - lb - 1;
}

int
bsum_cmp_order(const struct bsum *a, const struct bsum *b)
{
	size_t la = strlen(a->slug), lb = strlen(b->slug), ba, bb;
	long sa, sb;
	int c;

	if ((c = strcmp(a->date, b->date)) != 0)
		return c;
	/* redis-outage, redis-outage-2, redis-outage-10: the suffix counts as a number. */
	sa = suffix_at(a->slug, la);
	sb = suffix_at(b->slug, lb);
	ba = sa ? (size_t)(strrchr(a->slug, '-') - a->slug) : la;
	bb = sb ? (size_t)(strrchr(b->slug, '-') - b->slug) : lb;
	if (ba == bb && strncmp(a->slug, b->slug, ba) == 0)
		return sa < sb ? -1 : sa > sb;
	return strcmp(a->slug, b->slug);
}

static int
by_order(const void *a, const void *b)
{
	return bsum_cmp_order(a, b);
}

static int
is_date_name(const char *s)
{
	int64_t ms;

	return strlen(s) == 10 && time_parse_date(s, 10, &ms) == 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The visible entries of dir, sorted; NULL after a diagnostic (warn: only a warning) when dir cannot be read. */
static char **
list_dir(const char *dir, size_t *n, int warn)
{
	char **v = NULL;
	size_t cap = 0;
	struct dirent *de;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		if (warn)
			diag_warning(dir, 0, 0, "cannot read directory: %s; its bundles are left out",
			    strerror(errno));
		else
			diag_error(dir, 0, 0, "cannot read the bundle folder: %s", strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL && *n < LIM_BUNDLES)
		if (de->d_name[0] != '.')
			*VEC_PUSH(v, *n, cap) = xstrdup(de->d_name);
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, by_name);
	return v ? v : xcalloc(1, sizeof *v);
}

static void
free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
in_bundle_scan(const char *root, const char *since, const char *until, struct bsum **out,
    size_t *n)
{
	struct bsum *v = NULL;
	size_t cap = 0, len = 0, ndays, nslugs, i, k;
	char **days, **slugs, dir[4400], datedir[4200];

	*out = NULL;
	*n = 0;
	if (strlen(root) > 2048) {
		diag_error(root, 0, 0, "the bundle folder's path is longer than 2048 bytes");
		return -1;
	}
	if (!fsio_isdir(root)) {
		diag_error(root, 0, 0, "cannot read the bundle folder: %s", fsio_exists(root) ?
		    "not a directory" : "no such directory");
		return -1;
	}
	if ((days = list_dir(root, &ndays, 0)) == NULL)
		return -1;
	for (i = 0; i < ndays; i++) {
		if (!is_date_name(days[i]) || (since && strcmp(days[i], since) < 0) ||
		    (until && strcmp(days[i], until) > 0))
			continue;
		snprintf(datedir, sizeof datedir, "%s/%s", root, days[i]);
		if (!fsio_isdir(datedir))
			continue;
		if ((slugs = list_dir(datedir, &nslugs, 1)) == NULL)
			continue;
		for (k = 0; k < nslugs && len < LIM_BUNDLES; k++) {
			struct bsum b;

			snprintf(dir, sizeof dir, "%s/%s", datedir, slugs[k]);
			if (!fsio_isdir(dir))
				continue;
			if (read_bundle(&b, dir, 1) == -1) {
				in_bundle_release(&b);
				continue;
			}
			*VEC_PUSH(v, len, cap) = b;
		}
		free_names(slugs, nslugs);
	}
	free_names(days, ndays);
	if (len)
		qsort(v, len, sizeof *v, by_order);
	*out = v;
	*n = len;
	return 0;
}

void
in_bundle_free_list(struct bsum *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		in_bundle_release(&v[i]);
	free(v);
}
