/*
 * openslo.c — OpenSLO v1 documents (apiVersion: openslo/v1) into SLO
 * rules of kind SLO_BUDGET (docs/openslo.md): kinds SLO, SLI and Service
 * (DataSource lends its type; the alerting kinds are left out with a
 * warning), several documents per YAML stream, indicators inline or by
 * indicatorRef into any of the SLO files given. Each objective becomes one
 * rule: "at least `target` of the occurrences (or time slices) are good".
 * What cannot map is refused at the document, field and reason. Which
 * evidence series a metricSource stands for is settled by eval/budget.c,
 * which sees the run. Depends on yamlr, run (selectors), units, suggest;
 * never on importers, evaluation or output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "in/slo.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

/* One document of one of the streams. */
struct odoc {
	const struct ynode *root;
	const char	*path;
	size_t		 index;		/* from 1, in its file */
	const char	*kind;
	const char	*name;
};

struct octx {
	struct slo_set	*set;
	const char	*path;		/* the file whose SLOs become rules */
	struct odoc	*docs;
	size_t		 ndocs, cap;
	size_t		 capr;		/* set->rules' capacity */
};

static const char *const known_kinds[] = {
	"SLO", "SLI", "Service", "DataSource", "AlertPolicy", "AlertCondition",
	"AlertNotificationTarget", NULL
};

long
openslo_line(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *v;
	long line = 1;

	while (p < end) {
		if ((size_t)(end - p) > 11 && strncmp(p, "apiVersion:", 11) == 0) {
			for (v = p + 11; v < end && (*v == ' ' || *v == '\t' || *v == '"' || *v == '\''); v++)
				;
			if ((size_t)(end - v) >= 8 && strncmp(v, "openslo/", 8) == 0)
				return line;
		}
		while (p < end && *p != '\n')
			p++;
		p++;
		line++;
	}
	return 0;
}

/* "SLO \"api-latency\" (document 2)": how messages name a document. */
static const char *
doc_tell(const struct odoc *d, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s (document %zu)", d->kind ? d->kind : "document",
	    d->name ? diag_q(d->name, (size_t)-1) : "without a name", d->index);
	return buf;
}

/* A non-empty scalar under key of m, or NULL (need: say so and fail). */
static int
str_at(const struct odoc *d, const struct ynode *m, const char *key, const char *field,
    int need, const char **out)
{
	const struct ynode *n = ymap_get(m, key);
	char who[160];

	*out = NULL;
	if (n == NULL || ynode_is_null(n)) {
		if (!need)
			return 0;
		diag_error(d->path, m->line, m->col, "%s: %s is missing; it is required",
		    doc_tell(d, who, sizeof who), field);
		return -1;
	}
	if (n->type != Y_SCALAR || n->len == 0 || n->len > LIM_NAME ||
	    memchr(n->value, '\0', n->len)) {
		diag_error(d->path, n->line, n->col, "%s: %s: expected a value, found %s",
		    doc_tell(d, who, sizeof who), field, n->type == Y_SCALAR ? "an empty or "
		    "overlong value" : ynode_what(n));
		return -1;
	}
	*out = n->value;
	return 0;
}

static int
need_map(const struct odoc *d, const struct ynode *n, const char *field)
{
	char who[160];

	if (n != NULL && n->type == Y_MAP)
		return 0;
	diag_error(d->path, n ? n->line : d->root->line, n ? n->col : d->root->col,
	    "%s: %s: expected a mapping, found %s", doc_tell(d, who, sizeof who), field,
	    ynode_what(n));
	return -1;
}

static int
number(const struct odoc *d, const struct ynode *n, const char *field, double *out)
{
	char who[160];

	if (n->type != Y_SCALAR || strnum_double(n->value, n->len, out) == -1) {
		diag_error(d->path, n->line, n->col, "%s: %s: expected a number, found %s",
		    doc_tell(d, who, sizeof who), field, n->type == Y_SCALAR ?
		    diag_q(n->value, n->len) : ynode_what(n));
		return -1;
	}
	return 0;
}

/*
 * OpenSLO's duration-shorthand (a whole number and m, h, d, w; M, Q, Y
 * only where `calendar` is allowed) and, as the examples write, s; a bare
 * number is minutes (timeSliceWindow).
 */
static int
duration(const struct odoc *d, const struct ynode *n, const char *field, int calendar,
    int64_t *out)
{
	static const struct {
		char	 c;
		int64_t	 ms;
		int	 cal;
	} u[] = {
		{'s', 1000, 0}, {'m', 60000, 0}, {'h', 3600000, 0}, {'d', 86400000, 0},
		{'w', 7 * 86400000LL, 0}, {'M', 30 * 86400000LL, 1}, {'Q', 91 * 86400000LL, 1},
		{'Y', 365 * 86400000LL, 1},
	};
	long long v;
	size_t i, k;
	char who[160];

	if (n->type == Y_SCALAR && n->len > 0) {
		for (k = 0; k < n->len && n->value[k] >= '0' && n->value[k] <= '9'; k++)
			;
		if (k > 0 && k <= 9 && strnum_ll(n->value, k, &v) == 0 && v > 0) {
			if (k == n->len) {
				*out = (int64_t)v * 60000;
				return 0;
			}
			for (i = 0; k + 1 == n->len && i < sizeof u / sizeof u[0]; i++)
				if (u[i].c == n->value[k] && (calendar || !u[i].cal)) {
					*out = (int64_t)v * u[i].ms;
					return 0;
				}
		}
	}
	diag_error(d->path, n->line, n->col, "%s: %s: bad duration %s; expected a whole number "
	    "and s, m, h, d or w%s, like 1m or 28d", doc_tell(d, who, sizeof who), field,
	    n->type == Y_SCALAR ? diag_q(n->value, n->len) : ynode_what(n),
	    calendar ? " (or M, Q, Y)" : "");
	return -1;
}

/* A name capture can store a query under and the Prometheus importer keeps: [A-Za-z0-9_]. */
static char *
capture_name(struct arena *a, const char *sli, const char *suffix)
{
	size_t n = strlen(sli), i, off = 0;
	char *s = arena_alloc(a, n + strlen(suffix) + 6);

	if (sli[0] >= '0' && sli[0] <= '9') {
		memcpy(s, "sli_", 4);
		off = 4;
	}
	for (i = 0; i < n; i++) {
		char c = sli[i];

		s[off++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' ? c : '_';
	}
	memcpy(s + off, suffix, strlen(suffix) + 1);
	return s;
}

/* metadata.annotations[key] of a document or inline indicator, or NULL. */
static const struct ynode *
annotation(const struct ynode *obj, const char *key)
{
	const struct ynode *n = ymap_get(ymap_get(ymap_get(obj, "metadata"), "annotations"), key);

	return n && n->type == Y_SCALAR && n->len > 0 ? n : NULL;
}

static const struct odoc *
find_doc(const struct octx *c, const char *kind, const char *name)
{
	size_t i;

	for (i = 0; i < c->ndocs; i++)
		if (c->docs[i].name && strcmp(c->docs[i].kind, kind) == 0 &&
		    strcmp(c->docs[i].name, name) == 0)
			return &c->docs[i];
	return NULL;
}

/* One metricSource (under holder, e.g. ratioMetric.good) into src. */
static int
metric_source(struct octx *c, const struct odoc *d, const struct ynode *holder, const char *field,
    const struct ynode *sli, const char *sli_name, const char *ann_key, const char *suffix,
    struct budget_source *src)
{
	struct arena *a = &c->set->arena;
	const struct ynode *ms, *spec, *ann;
	const struct odoc *ds;
	const char *ref, *type, *query;
	char who[160], f[96];

	snprintf(f, sizeof f, "%s.metricSource", field);
	if (need_map(d, holder, field) == -1)
		return -1;
	ms = ymap_get(holder, "metricSource");
	if (need_map(d, ms, f) == -1)
		return -1;
	src->field = field;
	src->file = arena_strdup(a, d->path);
	src->line = ms->line;
	src->col = ms->col;
	src->capname = capture_name(a, sli_name, suffix);
	if ((ann = annotation(sli, ann_key)) != NULL)
		src->series = arena_strdup(a, ann->value);
	if (str_at(d, ms, "metricSourceRef", "metricSource.metricSourceRef", 0, &ref) == -1 ||
	    str_at(d, ms, "type", "metricSource.type", 0, &type) == -1)
		return -1;
	if (type == NULL && ref != NULL && (ds = find_doc(c, "DataSource", ref)) != NULL) {
		const struct ynode *dspec = ymap_get(ds->root, "spec");

		if (str_at(ds, dspec, "type", "spec.type", 0, &type) == -1)
			return -1;
	}
	spec = ymap_get(ms, "spec");
	query = NULL;
	if (spec != NULL) {
		if (need_map(d, spec, "metricSource.spec") == -1 ||
		    str_at(d, spec, "query", "metricSource.spec.query", 0, &query) == -1)
			return -1;
	}
	if (type != NULL && strcmp(type, "Prometheus") != 0 && strcmp(type, "prometheus") != 0 &&
	    src->series == NULL) {
		diag_error(d->path, ms->line, ms->col, "%s: %s: type %s is not a source sloproof "
		    "reads; it reads Prometheus queries, or the evidence series an annotation "
		    "`sloproof.io/%s: NAME` on the indicator names", doc_tell(d, who, sizeof who), f,
		    diag_q(type, (size_t)-1), ann_key + 12);
		return -1;
	}
	if (query == NULL && src->series == NULL) {
		diag_error(d->path, ms->line, ms->col, "%s: %s has no spec.query; give the "
		    "Prometheus query, or name the evidence series with the annotation "
		    "`sloproof.io/%s: NAME` on the indicator", doc_tell(d, who, sizeof who), f,
		    ann_key + 12);
		return -1;
	}
	if (type)
		src->type = arena_strdup(a, type);
	if (query)
		src->query = arena_strdup(a, query);
	return 0;
}

/* The indicator's spec (thresholdMetric or ratioMetric) into b. */
static int
indicator(struct octx *c, const struct odoc *d, const struct ynode *sli, const char *sli_name,
    struct slo_budget *b)
{
	static const char *const spec_keys[] = {"description", "thresholdMetric", "ratioMetric", NULL};
	static const char *const ratio_keys[] = {"counter", "good", "bad", "total", "raw", "rawType", NULL};
	const struct ynode *spec = ymap_get(sli, "spec"), *th, *ra, *n;
	char who[160], ctx[200];

	if (need_map(d, spec, "indicator spec") == -1)
		return -1;
	snprintf(ctx, sizeof ctx, "the indicator spec of %s", doc_tell(d, who, sizeof who));
	if (ymap_check_keys(d->path, spec, spec_keys, ctx) == -1)
		return -1;
	th = ymap_get(spec, "thresholdMetric");
	ra = ymap_get(spec, "ratioMetric");
	if ((th != NULL) == (ra != NULL)) {
		diag_error(d->path, spec->line, spec->col, "%s: the indicator needs exactly one of "
		    "thresholdMetric and ratioMetric", doc_tell(d, who, sizeof who));
		return -1;
	}
	if (th)
		return metric_source(c, d, th, "thresholdMetric", sli, sli_name, "sloproof.io/series",
		    "", &b->src[0]);
	b->ratio = 1;
	if (need_map(d, ra, "ratioMetric") == -1)
		return -1;
	snprintf(ctx, sizeof ctx, "ratioMetric of %s", doc_tell(d, who, sizeof who));
	if (ymap_check_keys(d->path, ra, ratio_keys, ctx) == -1)
		return -1;
	if ((n = ymap_get(ra, "raw")) != NULL || (n = ymap_get(ra, "rawType")) != NULL) {
		diag_error(d->path, n->line, n->col, "%s: ratioMetric.%s: a precomputed ratio cannot "
		    "be counted into events or slices; give good (or bad) and total",
		    doc_tell(d, who, sizeof who), n == ymap_get(ra, "raw") ? "raw" : "rawType");
		return -1;
	}
	if ((n = ymap_get(ra, "counter")) != NULL) {
		if (n->type != Y_SCALAR || (strcmp(n->value, "true") != 0 &&
		    strcmp(n->value, "false") != 0)) {
			diag_error(d->path, n->line, n->col, "%s: ratioMetric.counter: expected true "
			    "or false", doc_tell(d, who, sizeof who));
			return -1;
		}
		b->counter = n->value[0] == 't';
	}
	if ((ymap_get(ra, "good") != NULL) == (ymap_get(ra, "bad") != NULL)) {
		diag_error(d->path, ra->line, ra->col, "%s: ratioMetric needs exactly one of good "
		    "and bad", doc_tell(d, who, sizeof who));
		return -1;
	}
	if (ymap_get(ra, "total") == NULL) {
		diag_error(d->path, ra->line, ra->col, "%s: ratioMetric.total is missing; a ratio "
		    "needs its total", doc_tell(d, who, sizeof who));
		return -1;
	}
	b->bad = ymap_get(ra, "bad") != NULL;
	if (metric_source(c, d, ymap_get(ra, b->bad ? "bad" : "good"), b->bad ?
	    "ratioMetric.bad" : "ratioMetric.good", sli, sli_name, b->bad ?
	    "sloproof.io/bad-series" : "sloproof.io/good-series", b->bad ? "_bad" : "_good",
	    &b->src[0]) == -1)
		return -1;
	return metric_source(c, d, ymap_get(ra, "total"), "ratioMetric.total", sli, sli_name,
	    "sloproof.io/total-series", "_total", &b->src[1]);
}

static struct slo_rule *
new_rule(struct octx *c)
{
	struct slo_rule *r;

	if (c->set->nrules >= LIM_RULES)
		return NULL;
	xgrow((void **)&c->set->rules, &c->capr, c->set->nrules + 1, sizeof *c->set->rules);
	r = &c->set->rules[c->set->nrules];
	memset(r, 0, sizeof *r);
	return r;
}

/* `sloproof.io/window: during:FAULT` on the SLO: the drill's windows, as `window:` in slo.yaml. */
static int
window_annotation(struct octx *c, const struct odoc *d, struct slo_rule *r)
{
	const struct ynode *n = annotation(d->root, "sloproof.io/window");
	const char *s;
	char who[160];

	if (n == NULL)
		return 0;
	s = n->value;
	if (strcmp(s, "all") == 0) {
		r->window = WIN_ALL;
	} else if (strcmp(s, "outside-faults") == 0) {
		r->window = WIN_OUTSIDE;
	} else if ((strncmp(s, "during:", 7) == 0 && s[7]) || (strncmp(s, "after:", 6) == 0 && s[6])) {
		r->window = s[0] == 'd' ? WIN_DURING : WIN_AFTER;
		r->window_fault = arena_strdup(&c->set->arena, strchr(s, ':') + 1);
	} else {
		diag_error(d->path, n->line, n->col, "%s: annotation sloproof.io/window: unknown "
		    "window %s; expected all, during:FAULT, after:FAULT or outside-faults",
		    doc_tell(d, who, sizeof who), diag_q(s, (size_t)-1));
		return -1;
	}
	return 0;
}

/* One objective of an SLO into a rule; proto holds what the SLO's objectives share. */
static int
objective(struct octx *c, const struct odoc *d, const struct ynode *o, size_t k, size_t nobj,
    const char *title, const struct slo_budget *proto, const char *description)
{
	static const char *const obj_keys[] = {
		"displayName", "op", "value", "target", "targetPercent", "timeSliceTarget",
		"timeSliceWindow", "indicator", "indicatorRef", NULL
	};
	static const struct {
		const char	*s;
		enum cmp_op	 op;
	} ops[] = {{"lt", OP_LT}, {"lte", OP_LE}, {"gt", OP_GT}, {"gte", OP_GE}};
	struct arena *a = &c->set->arena;
	const struct ynode *op, *val, *t, *tp, *n;
	struct slo_budget *b;
	struct slo_rule *r;
	const char *dn;
	char who[160], ctx[200], name[LIM_NAME + 64];
	size_t i;

	if (need_map(d, o, "objectives[]") == -1)
		return -1;
	snprintf(ctx, sizeof ctx, "an objective of %s", doc_tell(d, who, sizeof who));
	if (ymap_check_keys(d->path, o, obj_keys, ctx) == -1)
		return -1;
	if ((n = ymap_get(o, "indicator")) != NULL || (n = ymap_get(o, "indicatorRef")) != NULL) {
		diag_error(d->path, n->line, n->col, "%s: an objective with its own indicator is "
		    "not OpenSLO v1; give the indicator in the SLO's spec", doc_tell(d, who, sizeof who));
		return -1;
	}
	if ((r = new_rule(c)) == NULL) {
		diag_error(d->path, o->line, o->col, "more than %d SLOs", LIM_RULES);
		return -1;
	}
	b = arena_alloc(a, sizeof *b);
	*b = *proto;
	r->budget = b;
	r->kind = SLO_BUDGET;
	r->line = o->line;
	r->col = o->col;
	r->file = c->set->path;
	r->weight = 1;
	if (str_at(d, o, "displayName", "objectives[].displayName", 0, &dn) == -1)
		return -1;
	if (nobj == 1)
		snprintf(name, sizeof name, "%s%s%s", title, dn ? ": " : "", dn ? dn : "");
	else if (dn)
		snprintf(name, sizeof name, "%s: %s", title, dn);
	else
		snprintf(name, sizeof name, "%s #%zu", title, k + 1);
	r->name = arena_strdup(a, name);
	if (description)
		r->description = arena_strdup(a, description);
	op = ymap_get(o, "op");
	val = ymap_get(o, "value");
	if (b->ratio) {
		if (val != NULL) {
			diag_error(d->path, val->line, val->col, "%s: objectives[].value goes with a "
			    "thresholdMetric; a ratioMetric's objective is its target",
			    doc_tell(d, who, sizeof who));
			return -1;
		}
		r->op = OP_GE;
	} else {
		if (op == NULL || val == NULL) {
			diag_error(d->path, o->line, o->col, "%s: an objective of a thresholdMetric "
			    "needs op (lt, lte, gt, gte) and value", doc_tell(d, who, sizeof who));
			return -1;
		}
		if (number(d, val, "objectives[].value", &r->limit) == -1)
			return -1;
		r->limit_unit = UNIT_NONE;
		r->limit_text = arena_strdup(a, val->value);
	}
	if (op != NULL) {
		for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
			if (op->type == Y_SCALAR && strcmp(op->value, ops[i].s) == 0)
				break;
		if (i == sizeof ops / sizeof ops[0]) {
			diag_error(d->path, op->line, op->col, "%s: objectives[].op: unknown operator "
			    "%s; expected lt, lte, gt or gte", doc_tell(d, who, sizeof who),
			    op->type == Y_SCALAR ? diag_q(op->value, op->len) : ynode_what(op));
			return -1;
		}
		if (!b->ratio)
			r->op = ops[i].op;
	}
	t = ymap_get(o, "target");
	tp = ymap_get(o, "targetPercent");
	if ((t != NULL) == (tp != NULL)) {
		diag_error(d->path, (t && tp ? tp : o)->line, (t && tp ? tp : o)->col, "%s: an "
		    "objective needs exactly one of target and targetPercent",
		    doc_tell(d, who, sizeof who));
		return -1;
	}
	if (number(d, t ? t : tp, t ? "objectives[].target" : "objectives[].targetPercent",
	    &b->target) == -1)
		return -1;
	if (tp)
		b->target /= 100;
	if (!(b->target >= 0 && b->target < 1)) {
		n = t ? t : tp;
		diag_error(d->path, n->line, n->col, "%s: %s %s is out of range; expected %s",
		    doc_tell(d, who, sizeof who), t ? "target" : "targetPercent",
		    diag_q(n->value, n->len), t ? "0 <= target < 1" : "0 <= targetPercent < 100");
		return -1;
	}
	if ((n = ymap_get(o, "timeSliceTarget")) != NULL) {
		if (number(d, n, "objectives[].timeSliceTarget", &b->slice_target) == -1)
			return -1;
		if (!(b->slice_target > 0 && b->slice_target <= 1)) {
			diag_error(d->path, n->line, n->col, "%s: timeSliceTarget %s is out of range; "
			    "expected 0 < timeSliceTarget <= 1", doc_tell(d, who, sizeof who),
			    diag_q(n->value, n->len));
			return -1;
		}
	} else if (b->method == BUDGET_TIMESLICES) {
		diag_error(d->path, o->line, o->col, "%s: budgetingMethod Timeslices needs "
		    "timeSliceTarget in each objective (the share of a slice that must be good)",
		    doc_tell(d, who, sizeof who));
		return -1;
	}
	if ((n = ymap_get(o, "timeSliceWindow")) != NULL) {
		if (duration(d, n, "objectives[].timeSliceWindow", 0, &b->slice_ms) == -1)
			return -1;
	} else if (b->method != BUDGET_OCCURRENCES) {
		diag_error(d->path, o->line, o->col, "%s: budgetingMethod %s needs timeSliceWindow "
		    "in each objective (like 1m)", doc_tell(d, who, sizeof who),
		    b->method == BUDGET_TIMESLICES ? "Timeslices" : "RatioTimeslices");
		return -1;
	}
	if (window_annotation(c, d, r) == -1)
		return -1;
	/* The series it reads, as a selector (eval/budget.c settles which evidence it is). */
	r->metric = b->src[0].series ? b->src[0].series : b->src[0].capname;
	if (selector_parse(a, r->metric, &r->sel, NULL) == -1) {
		diag_error(d->path, b->src[0].line, b->src[0].col, "%s: %s: bad series name %s",
		    doc_tell(d, who, sizeof who), b->src[0].field, diag_q(r->metric, (size_t)-1));
		return -1;
	}
	if (!b->ratio && r->limit_text == NULL)
		r->limit_text = arena_strdup(a, "");
	c->set->nrules++;
	return 0;
}

static int
slo_doc(struct octx *c, const struct odoc *d)
{
	static const char *const spec_keys[] = {
		"description", "service", "indicator", "indicatorRef", "timeWindow",
		"budgetingMethod", "objectives", "alertPolicies", NULL
	};
	struct arena *a = &c->set->arena;
	const struct ynode *spec = ymap_get(d->root, "spec"), *ind, *ref, *n, *objs, *sli;
	const struct odoc *sd;
	const char *s, *desc, *svc, *title;
	struct slo_budget proto;
	char who[160], ctx[200], text[2400];
	size_t i, nsli = 0;

	memset(&proto, 0, sizeof proto);
	proto.doc = d->index;
	proto.slo_name = arena_strdup(a, d->name);
	if (need_map(d, spec, "spec") == -1)
		return -1;
	snprintf(ctx, sizeof ctx, "the spec of %s", doc_tell(d, who, sizeof who));
	if (ymap_check_keys(d->path, spec, spec_keys, ctx) == -1)
		return -1;
	if (str_at(d, spec, "budgetingMethod", "spec.budgetingMethod", 1, &s) == -1)
		return -1;
	if (strcmp(s, "Occurrences") == 0) {
		proto.method = BUDGET_OCCURRENCES;
	} else if (strcmp(s, "Timeslices") == 0) {
		proto.method = BUDGET_TIMESLICES;
	} else if (strcmp(s, "RatioTimeslices") == 0) {
		proto.method = BUDGET_RATIO_TIMESLICES;
	} else {
		n = ymap_get(spec, "budgetingMethod");
		diag_error(d->path, n->line, n->col, "%s: spec.budgetingMethod: unknown method %s; "
		    "expected Occurrences, Timeslices or RatioTimeslices", who, diag_q(s, (size_t)-1));
		return -1;
	}
	if ((n = ymap_get(spec, "timeWindow")) != NULL) {
		const struct ynode *w = n->type == Y_SEQ && n->n == 1 ? n->items[0] : NULL;
		const struct ynode *dur = ymap_get(w, "duration"), *roll = ymap_get(w, "isRolling");

		if (w == NULL || w->type != Y_MAP || dur == NULL) {
			diag_error(d->path, n->line, n->col, "%s: spec.timeWindow: expected a list of "
			    "exactly one window with a duration", who);
			return -1;
		}
		if (duration(d, dur, "spec.timeWindow[].duration", 1, &proto.window_ms) == -1)
			return -1;
		proto.rolling = roll && roll->type == Y_SCALAR && strcmp(roll->value, "true") == 0;
	}
	ind = ymap_get(spec, "indicator");
	ref = ymap_get(spec, "indicatorRef");
	if ((ind != NULL) == (ref != NULL)) {
		diag_error(d->path, spec->line, spec->col, "%s: the spec needs exactly one of "
		    "indicator and indicatorRef", who);
		return -1;
	}
	if (ref) {
		if (str_at(d, spec, "indicatorRef", "spec.indicatorRef", 1, &s) == -1)
			return -1;
		if ((sd = find_doc(c, "SLI", s)) == NULL) {
			const char **names = xcalloc(c->ndocs + 1, sizeof *names);
			char hint[512];

			for (i = 0; i < c->ndocs; i++)
				if (strcmp(c->docs[i].kind, "SLI") == 0)
					names[nsli++] = c->docs[i].name;
			suggest(s, (const char *const *)names, nsli, "SLIs", hint, sizeof hint);
			free(names);
			diag_error(d->path, ref->line, ref->col, "%s: spec.indicatorRef: no SLI "
			    "document named %s in the SLO files given; %s", who,
			    diag_q(s, (size_t)-1), hint);
			return -1;
		}
		sli = sd->root;
		proto.sli_name = arena_strdup(a, sd->name);
		if (indicator(c, sd, sli, sd->name, &proto) == -1)
			return -1;
	} else {
		if (need_map(d, ind, "spec.indicator") == -1)
			return -1;
		s = NULL;
		if ((n = ymap_get(ind, "metadata")) != NULL &&
		    str_at(d, n, "name", "spec.indicator.metadata.name", 0, &s) == -1)
			return -1;
		proto.sli_name = arena_strdup(a, s ? s : d->name);
		if (indicator(c, d, ind, proto.sli_name, &proto) == -1)
			return -1;
	}
	/* The report's description: the SLO's own, then the service it belongs to. */
	if (str_at(d, spec, "description", "spec.description", 0, &desc) == -1 ||
	    str_at(d, spec, "service", "spec.service", 0, &svc) == -1)
		return -1;
	text[0] = '\0';
	if (desc)
		snprintf(text, sizeof text, "%s", desc);
	if (svc) {
		const char *sdn = NULL, *sdesc = NULL;
		size_t len = strlen(text);

		if ((sd = find_doc(c, "Service", svc)) != NULL &&
		    (str_at(sd, ymap_get(sd->root, "metadata"), "displayName", "metadata.displayName",
		    0, &sdn) == -1 || str_at(sd, ymap_get(sd->root, "spec"), "description",
		    "spec.description", 0, &sdesc) == -1))
			return -1;
		snprintf(text + len, sizeof text - len, "%sservice %s%s%s%s%s%s", len ? " — " : "",
		    svc, sdn ? " (" : "", sdn ? sdn : "", sdn ? ")" : "", sdesc ? ": " : "",
		    sdesc ? sdesc : "");
	}
	if ((n = ymap_get(d->root, "metadata")) == NULL ||
	    str_at(d, n, "displayName", "metadata.displayName", 0, &title) == -1 || title == NULL)
		title = d->name;
	objs = ymap_get(spec, "objectives");
	if (objs == NULL || objs->type != Y_SEQ || objs->n == 0) {
		n = objs ? objs : spec;
		diag_error(d->path, n->line, n->col, "%s: spec.objectives: expected a list of at "
		    "least one objective, found %s", who, objs ? ynode_what(objs) : "nothing");
		return -1;
	}
	if (!proto.ratio && objs->n > 1) {
		diag_error(d->path, objs->items[1]->line, objs->items[1]->col, "%s: a thresholdMetric "
		    "SLO has exactly one objective (OpenSLO v1); write one SLO per threshold", who);
		return -1;
	}
	for (i = 0; i < objs->n; i++)
		if (objective(c, d, objs->items[i], i, objs->n, title, &proto,
		    text[0] ? text : NULL) == -1)
			return -1;
	return 0;
}

/* The documents of one stream into c->docs, each checked for apiVersion, kind and name. */
static int
add_stream(struct octx *c, const struct ydoc *y, const char *path, int mine)
{
	size_t i, j;
	char who[160];

	for (i = 0; i < y->ndocs; i++) {
		const struct ynode *root = y->docs[i], *meta;
		struct odoc d;
		const char *api;

		if (root == NULL || ynode_is_null(root))
			continue;	/* `---` at the start or end leaves an empty document */
		memset(&d, 0, sizeof d);
		d.root = root;
		d.path = path;
		d.index = i + 1;
		if (root->type != Y_MAP) {
			diag_error(path, root->line, root->col, "document %zu: expected an OpenSLO "
			    "object (apiVersion, kind, metadata, spec), found %s", d.index,
			    ynode_what(root));
			return -1;
		}
		if (str_at(&d, root, "apiVersion", "apiVersion", 1, &api) == -1 ||
		    str_at(&d, root, "kind", "kind", 1, &d.kind) == -1)
			return -1;
		if (strcmp(api, "openslo/v1") != 0) {
			const struct ynode *n = ymap_get(root, "apiVersion");

			diag_error(path, n->line, n->col, "document %zu: apiVersion %s is not read; "
			    "sloproof reads openslo/v1%s", d.index, diag_q(api, (size_t)-1),
			    strncmp(api, "openslo/", 8) == 0 ? " (rewrite the document in v1's fields)" :
			    "; a file of sloproof rules has `slos:` and no apiVersion");
			return -1;
		}
		for (j = 0; known_kinds[j] && strcmp(known_kinds[j], d.kind) != 0; j++)
			;
		if (known_kinds[j] == NULL) {
			const struct ynode *n = ymap_get(root, "kind");

			diag_error(path, n->line, n->col, "document %zu: unknown kind %s; OpenSLO v1 "
			    "has SLO, SLI, Service, DataSource, AlertPolicy, AlertCondition and "
			    "AlertNotificationTarget", d.index, diag_q(d.kind, (size_t)-1));
			return -1;
		}
		meta = ymap_get(root, "metadata");
		if (need_map(&d, meta, "metadata") == -1 ||
		    str_at(&d, meta, "name", "metadata.name", 1, &d.name) == -1)
			return -1;
		if (find_doc(c, d.kind, d.name) != NULL) {
			const struct odoc *o = find_doc(c, d.kind, d.name);

			diag_error(path, meta->line, meta->col, "%s: a second %s named %s (the first "
			    "is document %zu of %s); names of one kind must be unique",
			    doc_tell(&d, who, sizeof who), d.kind, diag_q(d.name, (size_t)-1),
			    o->index, o->path);
			return -1;
		}
		if (mine && strncmp(d.kind, "Alert", 5) == 0)
			diag_warning(path, root->line, root->col, "%s: left out; sloproof judges the "
			    "drill's evidence and does not alert", doc_tell(&d, who, sizeof who));
		xgrow((void **)&c->docs, &c->cap, c->ndocs + 1, sizeof *c->docs);
		c->docs[c->ndocs++] = d;
	}
	return 0;
}

int
openslo_rules(struct slo_set *set, size_t which, char *const *paths, const char *const *texts,
    const size_t *lens, size_t n)
{
	struct octx c;
	struct ydoc *ys;
	size_t i, nslo = 0;
	int rc = -1, *loaded;

	memset(&c, 0, sizeof c);
	c.set = set;
	c.path = paths[which];
	c.capr = set->nrules;
	ys = xcalloc(n, sizeof *ys);
	loaded = xcalloc(n, sizeof *loaded);
	/* This file first, so its own mistakes are told before another file's. */
	for (i = 0; i < n; i++) {
		size_t f = i == 0 ? which : i <= which ? i - 1 : i;

		if (f != which && openslo_line(texts[f], lens[f]) == 0)
			continue;
		if (ydoc_load_stream(&ys[f], paths[f], texts[f], lens[f]) == -1)
			goto out;
		loaded[f] = 1;
		if (add_stream(&c, &ys[f], paths[f], f == which) == -1)
			goto out;
	}
	for (i = 0; i < c.ndocs; i++) {
		if (c.docs[i].path != c.path || strcmp(c.docs[i].kind, "SLO") != 0)
			continue;
		nslo++;
		if (slo_doc(&c, &c.docs[i]) == -1)
			goto out;
	}
	if (nslo == 0 && n == 1) {
		diag_error(c.path, openslo_line(texts[which], lens[which]), 1, "no OpenSLO document "
		    "of kind SLO in this file: nothing to judge (SLI and Service documents serve "
		    "the SLOs that name them)");
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		if (loaded[i])
			ydoc_release(&ys[i]);
	free(ys);
	free(loaded);
	free(c.docs);
	return rc;
}
