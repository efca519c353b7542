/*
 * out_json.c — the JSON writer: verdicts as {"slos":[...]} for CI and
 * scripts (schema: docs/json.md). Owns nothing past a call. Depends on the
 * model, eval's verdicts and cJSON; the only renderer that includes cJSON,
 * and it must not depend on any other renderer or importer.
 *
 * cJSON builds the tree (so key order is insertion order, fixed here) and
 * escapes strings, but two of its habits are not ours, so we take over:
 *
 *  - numbers: cJSON prints "%.15g" and keeps it when a loose epsilon test
 *    says it reads back, so 0.1 + 0.2 comes out as 0.3, and it prints -0.
 *    Every number goes in as a raw item written by fmt_double_plain: the
 *    shortest digits that read back exactly, in plain notation ("1500",
 *    "0.0062"), and "0" for -0. Counts are written with "%lld", never an
 *    exponent. Non-finite values, which JSON cannot carry, become null.
 *  - layout: cJSON_Print indents with tabs and puts array elements on one
 *    line. We print compactly and indent the result with 2 spaces, one
 *    member per line; outside strings the compact text has no whitespace,
 *    so re-indenting it cannot change a value.
 *
 * Locale: cJSON and printf follow LC_NUMERIC. sloproof never calls
 * setlocale, so the "C" locale holds; fmt_double_plain writes '.' even if
 * a caller did. Strings are made valid UTF-8 (ill-formed bytes become
 * U+FFFD) because JSON must be; control characters are left to cJSON,
 * which escapes them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "eval/compare.h"
#include "util/diag.h"
#include "in/drill.h"
#include "out/report.h"
#include "util/timeutil.h"
#include "util/version.h"
#include "eval/eval.h"
#include "out/out_json.h"
#include "model/run.h"
#include "in/slo.h"
#include "util/strnum.h"
#include "model/units.h"
#include "util/utf8.h"

static cJSON *
jstrn(const char *s, size_t n)
{
	struct buf b;
	cJSON *j;

	/* One bad byte becomes three: the bound is exact, never reached. */
	buf_init(&b, 3 * n + 1);
	if (utf8_scrub(&b, s, n, NULL) == -1) {
		buf_release(&b);
		return NULL;
	}
	j = cJSON_CreateString(buf_str(&b));
	buf_release(&b);
	return j;
}

static cJSON *
jstr(const char *s)
{
	return s != NULL ? jstrn(s, strlen(s)) : cJSON_CreateString("");
}

static cJSON *
jnum(double v)
{
	char tmp[64];

	if (!isfinite(v))
		return cJSON_CreateNull();
	fmt_double_plain(tmp, sizeof tmp, v);
	return cJSON_CreateRaw(tmp);
}

static cJSON *
jint(long long v)
{
	char tmp[32];

	snprintf(tmp, sizeof tmp, "%lld", v);
	return cJSON_CreateRaw(tmp);
}

/* Adds item under a constant key; any failure (NULL item) is remembered. */
static void
put(cJSON *obj, const char *key, cJSON *item, int *failed)
{
	if (item == NULL || !cJSON_AddItemToObjectCS(obj, key, item)) {
		cJSON_Delete(item);
		*failed = 1;
	}
}

/* "path:line", "path" when the line is unknown, null without a source. */
static cJSON *
jsource(const struct origin *o, const struct run *run)
{
	struct buf b;
	const char *path;
	cJSON *j;

	if (run == NULL || o->src < 0 || (size_t)o->src >= run->nsources ||
	    run->sources[o->src].path == NULL)
		return cJSON_CreateNull();
	path = run->sources[o->src].path;
	buf_init(&b, strlen(path) + 32);
	if (o->line > 0)
		buf_printf(&b, "%s:%ld", path, o->line);
	else
		buf_addstr(&b, path);
	j = jstr(buf_str(&b));
	buf_release(&b);
	return j;
}

static cJSON *
jthreshold(const struct k6_threshold *k6, int *failed)
{
	cJSON *o;

	if (k6 == NULL)
		return cJSON_CreateNull();
	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	put(o, "expr", jstr(k6->expr), failed);
	put(o, "passed", k6->have_result ? cJSON_CreateBool(k6->passed != 0) :
	    cJSON_CreateNull(), failed);
	return o;
}

/* The rule's kind as summary.json names it: what digest and compare group by. */
static const char *
kind_name(enum slo_kind k)
{
	static const char *const names[] = {"metric", "recovers", "alert", "hpa", "openslo"};

	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "metric";
}

/* One SLO object; the key order here is the order documented in docs/json.md. */
static cJSON *
jverdict(const struct verdict *v, const struct run *run, int *failed)
{
	const struct slo_rule *r = v->rule;
	cJSON *o;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	put(o, "name", jstr(r->name), failed);
	put(o, "verdict", jstr(verdict_str(v->state)), failed);
	put(o, "metric", jstr(r->metric), failed);
	put(o, "stat", jstrn(r->stat, strnlen(r->stat, sizeof r->stat)), failed);
	put(o, "observed", v->have_observed ? jnum(v->observed) :
	    cJSON_CreateNull(), failed);
	put(o, "limit", jnum(v->limit), failed);
	put(o, "op", jstr(cmp_op_str(v->op)), failed);
	put(o, "warn", v->have_warn ? jnum(v->warn) : cJSON_CreateNull(), failed);
	put(o, "unit", jstr(unit_name(v->unit)), failed);
	put(o, "samples", v->have_samples ? jint(v->samples) :
	    cJSON_CreateNull(), failed);
	put(o, "source", jsource(&v->evidence, run), failed);
	put(o, "k6_threshold", jthreshold(v->k6, failed), failed);
	put(o, "message", jstrn(v->message, strnlen(v->message, sizeof v->message)),
	    failed);
	put(o, "kind", cJSON_CreateString(kind_name(r->kind)), failed);
	if (r->kind == SLO_ALERT) {
		/* Both edges, whichever decided: ms, each edge up to *_err earlier. */
		put(o, "time_to_fire", v->have_fire ? jint(v->fire) : cJSON_CreateNull(), failed);
		put(o, "time_to_fire_err", v->have_fire ? jint(v->fire_err) : cJSON_CreateNull(),
		    failed);
		put(o, "time_to_resolve", v->have_resolve ? jint(v->resolve) : cJSON_CreateNull(),
		    failed);
		put(o, "time_to_resolve_err", v->have_resolve ? jint(v->resolve_err) :
		    cJSON_CreateNull(), failed);
	}
	return o;
}

static int
newline(struct buf *out, int depth)
{
	int rc = buf_addc(out, '\n');

	while (depth-- > 0)
		rc |= buf_add(out, "  ", 2);
	return rc;
}

/*
 * Re-indents compact JSON as cJSON_PrintUnformatted writes it: no
 * whitespace outside strings, so every structural byte is a token. Empty
 * containers stay "[]" and "{}".
 */
static int
pretty(struct buf *out, const char *s)
{
	const char *p, *q;
	int depth = 0, rc = 0;

	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			for (q = p + 1; *q != '"'; q++)
				if (*q == '\\')
					q++;
			rc |= buf_add(out, p, (size_t)(q - p) + 1);
			p = q;
			break;
		case '{':
		case '[':
			rc |= buf_addc(out, *p);
			if (p[1] == '}' || p[1] == ']') {
				rc |= buf_addc(out, *++p);
				break;
			}
			rc |= newline(out, ++depth);
			break;
		case '}':
		case ']':
			rc |= newline(out, --depth);
			rc |= buf_addc(out, *p);
			break;
		case ',':
			rc |= buf_addc(out, ',');
			rc |= newline(out, depth);
			break;
		case ':':
			rc |= buf_add(out, ": ", 2);
			break;
		default:
			rc |= buf_addc(out, *p);
			break;
		}
	}
	rc |= buf_addc(out, '\n');
	return rc ? -1 : 0;
}

/* Prints root (which it frees) into out, 2-space indented; 0, or -1 after a diagnostic. */
static int
emit(cJSON *root, int failed, struct buf *out, const char *what)
{
	char *flat = NULL;
	size_t start = out->len;

	if (root == NULL)
		failed = 1;
	if (!failed)
		flat = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (flat == NULL) {
		diag_syserr(NULL, "cannot build the %s: out of memory", what);
		return -1;
	}
	if (pretty(out, flat) == -1) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		diag_error(NULL, 0, 0, "the %s is larger than the limit of %zu bytes", what,
		    out->max);
		cJSON_free(flat);
		return -1;
	}
	cJSON_free(flat);
	return 0;
}

static void push(cJSON *arr, cJSON *item, int *failed);

/* {"total", "verdict", "pass", "warn", "earned", "possible", "key_failed"}: docs/json.md */
static cJSON *
jscore(const struct verdicts *vs, int *failed)
{
	const struct score *s = &vs->score;
	cJSON *o = cJSON_CreateObject(), *arr;
	size_t i;

	if (o == NULL)
		return NULL;
	/* one decimal, as printed: the same figure in every document */
	put(o, "total", jnum(floor(s->total * 10 + 0.5) / 10), failed);
	put(o, "verdict", cJSON_CreateString(verdict_str(s->state)), failed);
	put(o, "pass", s->policy ? jnum(s->pass) : cJSON_CreateNull(), failed);
	put(o, "warn", s->policy ? jnum(s->warn) : cJSON_CreateNull(), failed);
	put(o, "earned", jnum(s->earned), failed);
	put(o, "possible", jnum(s->possible), failed);
	arr = cJSON_CreateArray();
	put(o, "key_failed", arr, failed);
	for (i = 0; arr && i < vs->n; i++)
		if (vs->v[i].rule->key && (vs->v[i].state == V_FAIL || vs->v[i].state == V_NODATA))
			push(arr, jstr(vs->v[i].rule->name), failed);
	return o;
}

static cJSON *
jslos(const struct verdicts *vs, const struct run *run, int *failed)
{
	cJSON *slos = cJSON_CreateArray(), *o;
	size_t i;

	if (slos == NULL)
		return NULL;
	for (i = 0; !*failed && i < vs->n; i++) {
		o = jverdict(&vs->v[i], run, failed);
		if (o && vs->score.have) {
			put(o, "weight", jnum(vs->v[i].rule->weight > 0 ? vs->v[i].rule->weight : 1),
			    failed);
			put(o, "key", cJSON_CreateBool(vs->v[i].rule->key), failed);
			put(o, "points", jnum(score_points(vs, i)), failed);
		}
		if (o == NULL || !cJSON_AddItemToArray(slos, o)) {
			cJSON_Delete(o);
			*failed = 1;
		}
	}
	return slos;
}

int
out_json_check(const struct verdicts *vs, const struct run *run, struct buf *out)
{
	cJSON *root = cJSON_CreateObject();
	int failed = 0;

	if (root && vs->score.have)
		put(root, "score", jscore(vs, &failed), &failed);
	if (root)
		put(root, "slos", jslos(vs, run, &failed), &failed);
	return emit(root, failed, out, "JSON report");
}

static cJSON *
jtime(int have, int64_t ms)
{
	char t[40];

	if (!have)
		return cJSON_CreateNull();
	time_fmt_utc(ms, t, sizeof t);
	return cJSON_CreateString(t);
}

static cJSON *
jdate(int have, int64_t ms)
{
	char t[16];

	if (!have)
		return cJSON_CreateNull();
	time_fmt_date(ms, t, sizeof t);
	return cJSON_CreateString(t);
}

static cJSON *
jstr_or_null(const char *s)
{
	return s ? jstr(s) : cJSON_CreateNull();
}

static void
push(cJSON *arr, cJSON *item, int *failed)
{
	if (item == NULL || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		*failed = 1;
	}
}

/* Every metric: name, tags, type, unit and statistics in canonical units. */
static cJSON *
jmetrics(const struct run *run, int *failed)
{
	cJSON *arr = cJSON_CreateArray(), *m, *labels, *stats;
	size_t i, k;

	for (i = 0; arr && !*failed && i < run->nsummaries; i++) {
		const struct summary *s = &run->summaries[i];

		m = cJSON_CreateObject();
		labels = cJSON_CreateObject();
		stats = cJSON_CreateObject();
		if (m == NULL || labels == NULL || stats == NULL) {
			cJSON_Delete(m);
			cJSON_Delete(labels);
			cJSON_Delete(stats);
			*failed = 1;
			break;
		}
		put(m, "name", jstr(s->name), failed);
		put(m, "metric", jstr(s->sel.name), failed);
		for (k = 0; k < s->sel.nlabels; k++)
			cJSON_AddItemToObject(labels, s->sel.labels[k].key, jstr(s->sel.labels[k].value));
		put(m, "tags", labels, failed);
		put(m, "type", cJSON_CreateString(metric_type_name(s->type)), failed);
		put(m, "unit", s->unit_known || s->type == MT_RATE || s->type == MT_COUNTER ?
		    cJSON_CreateString(unit_name(s->unit)) : cJSON_CreateNull(), failed);
		for (k = 0; k < s->nstats; k++)
			cJSON_AddItemToObject(stats, s->stats[k].name, jnum(s->stats[k].v));
		put(m, "stats", stats, failed);
		put(m, "source", jsource(&s->origin, run), failed);
		push(arr, m, failed);
	}
	return arr;
}

/* Every series: name, labels, unit, point count, first/last time, range and step. */
static cJSON *
jseries(const struct run *run, int *failed)
{
	cJSON *arr = cJSON_CreateArray(), *m, *labels;
	size_t i, k;
	double mn, mx;

	for (i = 0; arr && !*failed && i < run->nseries; i++) {
		const struct series *s = &run->series[i];

		m = cJSON_CreateObject();
		labels = cJSON_CreateObject();
		if (m == NULL || labels == NULL) {
			cJSON_Delete(m);
			cJSON_Delete(labels);
			*failed = 1;
			break;
		}
		put(m, "name", jstr(s->name), failed);
		put(m, "metric", jstr(s->sel.name), failed);
		for (k = 0; k < s->sel.nlabels; k++)
			cJSON_AddItemToObject(labels, s->sel.labels[k].key, jstr(s->sel.labels[k].value));
		put(m, "labels", labels, failed);
		put(m, "unit", s->unit_known ? cJSON_CreateString(unit_name(s->unit)) :
		    cJSON_CreateNull(), failed);
		put(m, "unit_text", jstr_or_null(s->unit_text), failed);
		put(m, "points", jint((long long)s->npts), failed);
		for (k = 0, mn = mx = s->npts ? s->pts[0].v : 0; k < s->npts; k++) {
			mn = s->pts[k].v < mn ? s->pts[k].v : mn;
			mx = s->pts[k].v > mx ? s->pts[k].v : mx;
		}
		put(m, "first", jtime(s->npts > 0, s->npts ? s->pts[0].t : 0), failed);
		put(m, "last", jtime(s->npts > 0, s->npts ? s->pts[s->npts - 1].t : 0), failed);
		put(m, "min", s->npts ? jnum(mn) : cJSON_CreateNull(), failed);
		put(m, "max", s->npts ? jnum(mx) : cJSON_CreateNull(), failed);
		put(m, "step_ms", jint((long long)s->step), failed);
		put(m, "source", jsource(&s->origin, run), failed);
		push(arr, m, failed);
	}
	return arr;
}

static cJSON *
jthresholds(const struct run *run, int *failed)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	size_t i, k;

	for (i = 0; arr && i < run->nsummaries; i++)
		for (k = 0; k < run->summaries[i].nthresholds; k++) {
			const struct k6_threshold *t = &run->summaries[i].thresholds[k];

			if ((o = cJSON_CreateObject()) == NULL) {
				*failed = 1;
				return arr;
			}
			put(o, "metric", jstr(run->summaries[i].name), failed);
			put(o, "expr", jstr(t->expr), failed);
			put(o, "passed", t->have_result ? cJSON_CreateBool(t->passed != 0) :
			    cJSON_CreateNull(), failed);
			put(o, "source", jsource(&t->origin, run), failed);
			push(arr, o, failed);
		}
	return arr;
}

static cJSON *
jchecks(const struct run *run, int *failed)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	size_t i;

	for (i = 0; arr && i < run->nchecks; i++) {
		const struct check *c = &run->checks[i];

		if ((o = cJSON_CreateObject()) == NULL) {
			*failed = 1;
			break;
		}
		put(o, "group", jstr(c->group), failed);
		put(o, "name", jstr(c->name), failed);
		put(o, "passes", jint(c->passes), failed);
		put(o, "fails", jint(c->fails), failed);
		put(o, "source", jsource(&c->origin, run), failed);
		push(arr, o, failed);
	}
	return arr;
}

static cJSON *
jinputs(const struct run *run, int *failed)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	size_t i;

	for (i = 0; arr && i < run->nsources; i++) {
		const struct source *s = &run->sources[i];

		if ((o = cJSON_CreateObject()) == NULL) {
			*failed = 1;
			break;
		}
		put(o, "path", jstr(s->path), failed);
		put(o, "kind", jstr(s->kind), failed);
		put(o, "format", jstr_or_null(s->format), failed);
		put(o, "format_version", jstr_or_null(s->format_version), failed);
		put(o, "tool_version", jstr_or_null(s->tool_version), failed);
		put(o, "size", jint((long long)s->size), failed);
		put(o, "gzip", cJSON_CreateBool(s->gzipped), failed);
		put(o, "sha256", s->sha256[0] ? jstr(s->sha256) : cJSON_CreateNull(), failed);
		put(o, "generated_at", jtime(s->have_generated_at, s->generated_at), failed);
		put(o, "duration_ms", s->have_duration ? jnum(s->duration_ms) : cJSON_CreateNull(), failed);
		push(arr, o, failed);
	}
	return arr;
}

/* Label keys are the input's, not constants: added with a copied key. */
static cJSON *
jlabels(const struct label *l, size_t n, int *failed)
{
	cJSON *o = cJSON_CreateObject(), *v;
	size_t i;

	for (i = 0; o && i < n; i++)
		if ((v = jstr(l[i].value)) == NULL || !cJSON_AddItemToObject(o, l[i].key, v)) {
			cJSON_Delete(v);
			*failed = 1;
		}
	if (o == NULL)
		*failed = 1;
	return o;
}

static cJSON *
jalerts(const struct run *run, int *failed)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	size_t i;

	for (i = 0; arr && i < run->nalerts; i++) {
		const struct alert_interval *a = &run->alerts[i];

		if ((o = cJSON_CreateObject()) == NULL) {
			*failed = 1;
			break;
		}
		put(o, "name", jstr(a->name), failed);
		put(o, "fingerprint", jstr_or_null(a->fingerprint), failed);
		put(o, "labels", jlabels(a->labels, a->nlabels, failed), failed);
		put(o, "annotations", jlabels(a->annotations, a->nannotations, failed), failed);
		put(o, "severity", jstr_or_null(a->severity), failed);
		put(o, "start", jtime(1, a->start), failed);
		put(o, "end", jtime(a->have_end, a->end), failed);
		put(o, "end_approximate", cJSON_CreateBool(a->have_end && a->end_approx), failed);
		put(o, "pending_since", jtime(a->have_pending, a->pending_since), failed);
		put(o, "always_firing", cJSON_CreateBool(a->always_firing), failed);
		put(o, "annotation_changes", jint((long long)a->annotation_changes), failed);
		put(o, "source", jsource(&a->origin, run), failed);
		push(arr, o, failed);
	}
	return arr;
}

static cJSON *
jint_or_null(int have, long long v)
{
	return have ? jint(v) : cJSON_CreateNull();
}

/* Every HPA observation with its metrics and conditions; times null when unknown. */
static cJSON *
jhpa_states(const struct run *run, int *failed)
{
	cJSON *arr = cJSON_CreateArray(), *o, *a, *x;
	size_t i, k;

	for (i = 0; arr && i < run->nhpa_states; i++) {
		const struct hpa_state *h = &run->hpa_states[i];

		if ((o = cJSON_CreateObject()) == NULL) {
			*failed = 1;
			break;
		}
		put(o, "name", jstr_or_null(h->name), failed);
		put(o, "namespace", jstr_or_null(h->namespace), failed);
		put(o, "reference", jstr_or_null(h->reference), failed);
		put(o, "min", jint_or_null(h->have_min, h->min), failed);
		put(o, "max", jint_or_null(h->have_max, h->max), failed);
		put(o, "current", jint_or_null(h->have_current, h->current), failed);
		put(o, "desired", jint_or_null(h->have_desired, h->desired), failed);
		put(o, "targets", jstr_or_null(h->targets), failed);
		put(o, "t", jtime(h->have_t, h->t), failed);
		put(o, "t_err_ms", jint_or_null(h->have_t, h->t_err), failed);
		put(o, "created", jtime(h->have_created, h->created), failed);
		a = cJSON_CreateArray();
		put(o, "metrics", a, failed);
		for (k = 0; a && k < h->nmetrics; k++) {
			const struct hpa_metric *m = &h->metrics[k];

			if ((x = cJSON_CreateObject()) == NULL) {
				*failed = 1;
				break;
			}
			put(x, "kind", jstr_or_null(m->kind), failed);
			put(x, "name", jstr_or_null(m->name), failed);
			put(x, "current", jstr_or_null(m->current), failed);
			put(x, "raw", jstr_or_null(m->raw), failed);
			put(x, "target", jstr_or_null(m->target), failed);
			put(x, "current_value", m->have_current ? jnum(m->current_v) :
			    cJSON_CreateNull(), failed);
			put(x, "target_value", m->have_target ? jnum(m->target_v) :
			    cJSON_CreateNull(), failed);
			put(x, "unit", cJSON_CreateString(m->percent ? "ratio" : ""), failed);
			put(x, "source", jsource(&m->origin, run), failed);
			push(a, x, failed);
		}
		a = cJSON_CreateArray();
		put(o, "conditions", a, failed);
		for (k = 0; a && k < h->nconditions; k++) {
			const struct hpa_condition *c = &h->conditions[k];

			if ((x = cJSON_CreateObject()) == NULL) {
				*failed = 1;
				break;
			}
			put(x, "type", jstr_or_null(c->type), failed);
			put(x, "status", jstr_or_null(c->status), failed);
			put(x, "reason", jstr_or_null(c->reason), failed);
			put(x, "message", jstr_or_null(c->message), failed);
			put(x, "source", jsource(&c->origin, run), failed);
			push(a, x, failed);
		}
		put(o, "source", jsource(&h->origin, run), failed);
		push(arr, o, failed);
	}
	return arr;
}

static cJSON *
jscale_events(const struct run *run, int *failed)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	size_t i;

	for (i = 0; arr && i < run->nscale_events; i++) {
		const struct scale_event *e = &run->scale_events[i];

		if ((o = cJSON_CreateObject()) == NULL) {
			*failed = 1;
			break;
		}
		put(o, "target", jstr_or_null(e->target), failed);
		put(o, "from", jint_or_null(e->have_from, e->from), failed);
		put(o, "to", jint(e->to), failed);
		put(o, "t", jtime(e->have_t, e->t), failed);
		put(o, "t_err_ms", jint_or_null(e->have_t, e->t_err), failed);
		put(o, "count", jint(e->count > 1 ? e->count : 1), failed);
		put(o, "first_t", jtime(e->have_t && e->count > 1, e->first_t), failed);
		put(o, "reason", jstr_or_null(e->reason), failed);
		put(o, "source", jsource(&e->origin, run), failed);
		push(arr, o, failed);
	}
	return arr;
}

int
out_json_inspect(const struct run *run, struct buf *out)
{
	cJSON *root = cJSON_CreateObject();
	int failed = 0;

	if (root) {
		put(root, "inputs", jinputs(run, &failed), &failed);
		put(root, "metrics", jmetrics(run, &failed), &failed);
		put(root, "k6_thresholds", jthresholds(run, &failed), &failed);
		put(root, "checks", jchecks(run, &failed), &failed);
		put(root, "alerts", jalerts(run, &failed), &failed);
		put(root, "hpa_states", jhpa_states(run, &failed), &failed);
		put(root, "scale_events", jscale_events(run, &failed), &failed);
		put(root, "series", jseries(run, &failed), &failed);
	}
	return emit(root, failed, out, "JSON model");
}

int
out_json_summary(const struct report *rep, struct buf *out)
{
	const struct drill *d = rep->drill;
	cJSON *root = cJSON_CreateObject(), *o, *arr, *x;
	size_t i;
	long long n[4];
	int failed = 0;

	if (root == NULL)
		return emit(root, 1, out, "summary");
	o = cJSON_CreateObject();
	put(root, "sloproof", o, &failed);
	if (o) {
		put(o, "version", cJSON_CreateString(SLOPROOF_VERSION), &failed);
		put(o, "schema", jint(SLOPROOF_SUMMARY_SCHEMA), &failed);
	}
	o = cJSON_CreateObject();
	put(root, "drill", o, &failed);
	if (o) {
		put(o, "title", jstr(d->title), &failed);
		put(o, "slug", jstr(rep->slug), &failed);
		put(o, "date", cJSON_CreateString(rep->date), &failed);
		put(o, "environment", jstr_or_null(d->environment), &failed);
		put(o, "timezone", jstr_or_null(d->timezone), &failed);
		put(o, "generated_at", jtime(rep->have_generated_at, rep->generated_at), &failed);
		arr = cJSON_CreateArray();
		put(o, "slo_files", arr, &failed);
		for (i = 0; arr && i < rep->nslo; i++)
			push(arr, jstr(rep->slo_names[i]), &failed);
	}
	put(root, "verdict", cJSON_CreateString(report_overall(rep)), &failed);
	if (rep->verdicts->score.have)
		put(root, "score", jscore(rep->verdicts, &failed), &failed);
	verdicts_tally(rep->verdicts, n);
	o = cJSON_CreateObject();
	put(root, "tally", o, &failed);
	if (o) {
		put(o, "pass", jint(n[V_PASS]), &failed);
		put(o, "warn", jint(n[V_WARN]), &failed);
		put(o, "fail", jint(n[V_FAIL]), &failed);
		put(o, "nodata", jint(n[V_NODATA]), &failed);
	}
	put(root, "slos", jslos(rep->verdicts, rep->run, &failed), &failed);
	arr = cJSON_CreateArray();
	put(root, "faults", arr, &failed);
	for (i = 0; arr && i < d->nfaults; i++) {
		if ((x = cJSON_CreateObject()) == NULL)
			break;
		put(x, "name", jstr(d->faults[i].name), &failed);
		put(x, "script", jstr_or_null(d->faults[i].script), &failed);
		put(x, "start", jtime(1, d->faults[i].start), &failed);
		put(x, "end", jtime(1, d->faults[i].end), &failed);
		put(x, "duration_ms", jint(d->faults[i].end - d->faults[i].start), &failed);
		push(arr, x, &failed);
	}
	put(root, "inputs", jinputs(rep->run, &failed), &failed);
	arr = cJSON_CreateArray();
	put(root, "attachments", arr, &failed);
	for (i = 0; arr && i < rep->nattachments; i++) {
		if ((x = cJSON_CreateObject()) == NULL)
			break;
		put(x, "path", jstr(rep->attachments[i].name), &failed);
		put(x, "size", jint((long long)rep->attachments[i].size), &failed);
		put(x, "sha256", jstr(rep->attachments[i].sha256), &failed);
		push(arr, x, &failed);
	}
	put(root, "k6_thresholds", jthresholds(rep->run, &failed), &failed);
	put(root, "checks", jchecks(rep->run, &failed), &failed);
	arr = cJSON_CreateArray();
	put(root, "interventions", arr, &failed);
	for (i = 0; arr && i < d->ninterventions; i++) {
		if ((x = cJSON_CreateObject()) == NULL)
			break;
		put(x, "at", jtime(d->interventions[i].have_at, d->interventions[i].at), &failed);
		put(x, "what", jstr(d->interventions[i].what), &failed);
		push(arr, x, &failed);
	}
	arr = cJSON_CreateArray();
	put(root, "followups", arr, &failed);
	for (i = 0; arr && i < d->nfollowups; i++) {
		const struct followup *f = &d->followups[i];

		if ((x = cJSON_CreateObject()) == NULL)
			break;
		put(x, "id", jstr(f->id), &failed);
		put(x, "title", jstr(f->title), &failed);
		put(x, "owner", jstr_or_null(f->owner), &failed);
		put(x, "due", jdate(f->have_due, f->due), &failed);
		put(x, "link", jstr_or_null(f->link), &failed);
		push(arr, x, &failed);
	}
	put(root, "metrics", jmetrics(rep->run, &failed), &failed);
	put(root, "notes", jstr_or_null(d->notes), &failed);
	return emit(root, failed, out, "summary");
}

int
out_json_compare(const struct cmp_report *c, struct buf *out)
{
	cJSON *root = cJSON_CreateObject(), *arr, *o;
	size_t i;
	int failed = 0;

	if (root == NULL)
		return emit(root, 1, out, "comparison");
	put(root, "new", jstr(c->cur), &failed);
	arr = cJSON_CreateArray();
	put(root, "base", arr, &failed);
	for (i = 0; arr && i < c->nbases; i++)
		push(arr, jstr(c->bases[i]), &failed);
	put(root, "noise", jnum(c->noise), &failed);
	put(root, "alike", cJSON_CreateBool(c->not_alike == NULL), &failed);
	put(root, "not_alike", jstr_or_null(c->not_alike), &failed);
	if (c->npicks) {
		arr = cJSON_CreateArray();
		put(root, "baseline_auto", arr, &failed);
		for (i = 0; arr && i < c->npicks; i++) {
			if ((o = cJSON_CreateObject()) == NULL)
				break;
			put(o, "bundle", jstr(c->picks[i].label), &failed);
			put(o, "picked", cJSON_CreateBool(c->picks[i].picked), &failed);
			put(o, "why", jstr_or_null(c->picks[i].why), &failed);
			push(arr, o, &failed);
		}
	}
	put(root, "regressions", jint((long long)c->nregressions), &failed);
	arr = cJSON_CreateArray();
	put(root, "rows", arr, &failed);
	for (i = 0; arr && !failed && i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];

		if ((o = cJSON_CreateObject()) == NULL) {
			failed = 1;
			break;
		}
		put(o, "kind", cJSON_CreateString(r->is_slo ? "slo" : "metric"), &failed);
		put(o, "name", jstr(r->name), &failed);
		put(o, "stat", jstr(r->stat), &failed);
		put(o, "unit", cJSON_CreateString(unit_name(r->unit)), &failed);
		put(o, "base", r->have_base ? jnum(r->base) : cJSON_CreateNull(), &failed);
		put(o, "new", r->have_new ? jnum(r->cur) : cJSON_CreateNull(), &failed);
		put(o, "delta", r->have_base && r->have_new ? jnum(r->delta) : cJSON_CreateNull(),
		    &failed);
		put(o, "delta_pct", r->have_pct ? jnum(r->pct * 100) : cJSON_CreateNull(), &failed);
		put(o, "worse", cJSON_CreateString(r->worse == CMP_HIGHER_WORSE ? "higher" :
		    r->worse == CMP_LOWER_WORSE ? "lower" : "neutral"), &failed);
		put(o, "base_verdict", r->is_slo && r->result != CMP_NEW ?
		    cJSON_CreateString(verdict_str(r->base_verdict)) : cJSON_CreateNull(), &failed);
		put(o, "new_verdict", r->is_slo && r->result != CMP_GONE ?
		    cJSON_CreateString(verdict_str(r->new_verdict)) : cJSON_CreateNull(), &failed);
		put(o, "result", cJSON_CreateString(compare_result_str(r->result)), &failed);
		push(arr, o, &failed);
	}
	return emit(root, failed, out, "comparison");
}
