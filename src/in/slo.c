/*
 * slo.c — reads slo.yaml into rules (schema: docs/slo.md) and says
 * precisely what is wrong with a rule that cannot be read: the key, the
 * value and what was expected, at file:line:col. Owns the rule set.
 * Depends on yamlr, units, run (selectors); never on importers or output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "in/slo.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

static const char *const metric_keys[] = {
	"name", "description", "metric", "stat", "below", "above", "warn", "threshold",
	"unit", "window", "weight", "key", "relative_to", "at_most", "at_least", "worse", "settle", NULL
};
static const char *const recovers_keys[] = {
	"name", "description", "recovers", "below", "above", "within", "hold", "fault",
	"from", "unit", "weight", "key", NULL
};
static const char *const alert_keys[] = {
	"name", "description", "alert", "fires_within", "resolves_within", "must_not_fire",
	"fault", "weight", "key", NULL
};
static const char *const all_keys[] = {
	"name", "description", "metric", "recovers", "alert", "hpa", "stat", "below",
	"above", "warn", "threshold", "unit", "window", "within", "hold", "fault", "from",
	"fires_within", "resolves_within", "must_not_fire", "reaches", "returns_to",
	"returns_within", "relative_to", "at_most", "at_least", "worse", "settle", "weight", "key", NULL
};
static const char *const hpa_keys[] = {
	"name", "description", "hpa", "reaches", "within", "returns_to", "returns_within",
	"fault", "weight", "key", NULL
};

const char *
cmp_op_str(enum cmp_op op)
{
	switch (op) {
	case OP_LT:
		return "<";
	case OP_LE:
		return "<=";
	case OP_GT:
		return ">";
	case OP_GE:
		return ">=";
	case OP_EQ:
	default:
		return "==";
	}
}

int
cmp_holds(enum cmp_op op, double v, double limit)
{
	switch (op) {
	case OP_LT:
		return v < limit;
	case OP_LE:
		return v <= limit;
	case OP_GT:
		return v > limit;
	case OP_GE:
		return v >= limit;
	case OP_EQ:
	default:
		return v == limit;
	}
}

struct ctx {
	struct slo_set	*set;
	const char	*path;
};

static int
scalar(struct ctx *c, const struct ynode *n, const char *key, const char **out)
{
	if (n->type != Y_SCALAR) {
		diag_error(c->path, n->line, n->col, "%s: expected a value, found %s",
		    key, ynode_what(n));
		return -1;
	}
	if (ynode_is_null(n) || n->len == 0) {
		diag_error(c->path, n->line, n->col, "%s: expected a value, found nothing", key);
		return -1;
	}
	if (memchr(n->value, '\0', n->len) || n->len > LIM_NAME) {
		diag_error(c->path, n->line, n->col, "%s: value is longer than %d bytes or has a NUL",
		    key, LIM_NAME);
		return -1;
	}
	*out = n->value;
	return 0;
}

static int
limit_value(struct ctx *c, const struct ynode *n, const char *key, struct quantity *q)
{
	const char *s;

	if (scalar(c, n, key, &s) == -1)
		return -1;
	if (unit_parse(s, q) == -1) {
		diag_error(c->path, n->line, n->col,
		    "%s: bad limit %s; expected a number with an optional unit "
		    "(ms, s, m, h, %%, B, kB, MB), like 1.5s or 1%%", key, diag_q(s, (size_t)-1));
		return -1;
	}
	return 0;
}

/*
 * k6's threshold syntax: "p(95)<1500", "rate < 0.01", "avg<=200". The
 * number is in the metric's own unit (ms for time metrics), as in k6.
 */
static int
parse_threshold(struct ctx *c, const struct ynode *n, struct slo_rule *r)
{
	static const struct {
		const char	*s;
		enum cmp_op	 op;
	} ops[] = {
		{"<=", OP_LE}, {">=", OP_GE}, {"==", OP_EQ}, {"===", OP_EQ},
		{"<", OP_LT}, {">", OP_GT},
	};
	char lhs[64], rhs[64];
	const char *s, *p, *opat = NULL;
	size_t i, oplen = 0, lo, hi;

	if (scalar(c, n, "threshold", &s) == -1)
		return -1;
	for (p = s; *p && opat == NULL; p++)
		if (*p == '<' || *p == '>' || *p == '=') {
			opat = p;
			for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
				if (strncmp(p, ops[i].s, strlen(ops[i].s)) == 0 &&
				    strlen(ops[i].s) > oplen) {
					oplen = strlen(ops[i].s);
					r->op = ops[i].op;
				}
		}
	if (opat == NULL || oplen == 0) {
		diag_error(c->path, n->line, n->col,
		    "threshold: %s has no comparison; expected k6's form STAT OP NUMBER, "
		    "like p(95)<1500 or rate<0.01", diag_q(s, (size_t)-1));
		return -1;
	}
	for (lo = 0; s[lo] == ' '; lo++)
		;
	for (hi = (size_t)(opat - s); hi > lo && s[hi - 1] == ' '; hi--)
		;
	snprintf(lhs, sizeof lhs, "%.*s", (int)(hi - lo), s + lo);
	for (p = opat + oplen; *p == ' '; p++)
		;
	snprintf(rhs, sizeof rhs, "%s", p);
	for (hi = strlen(rhs); hi > 0 && rhs[hi - 1] == ' '; hi--)
		rhs[hi - 1] = '\0';
	if (stat_canonical(lhs, r->stat, sizeof r->stat) == -1) {
		diag_error(c->path, n->line, n->col,
		    "threshold: unknown statistic %s; expected avg, min, med, max, p(N), "
		    "count, rate or value", diag_q(lhs, (size_t)-1));
		return -1;
	}
	if (strnum_double(rhs, strlen(rhs), &r->limit) == -1) {
		diag_error(c->path, n->line, n->col,
		    "threshold: bad number %s after %s; k6 thresholds compare with plain "
		    "numbers (milliseconds for time metrics)", diag_q(rhs, (size_t)-1),
		    cmp_op_str(r->op));
		return -1;
	}
	r->limit_unit = UNIT_NONE;
	r->k6_form = 1;
	return 0;
}

static int
parse_unit(struct ctx *c, const struct ynode *n, struct slo_rule *r)
{
	const char *s;

	if (scalar(c, n, "unit", &s) == -1)
		return -1;
	if (unit_word(s, strlen(s), &r->metric_unit, &r->metric_scale) == 0) {
		r->have_unit = 1;
		return 0;
	}
	diag_error(c->path, n->line, n->col,
	    "unit: unknown unit %s; expected ns, us, ms, s, m, h, %%, ratio, B, kB or none",
	    diag_q(s, (size_t)-1));
	return -1;
}

/* "5m30s", "1h2m": whole-number parts, largest unit first, as Go and k6 write them. */
static int
compound(const char *s, struct quantity *q)
{
	static const struct {
		const char	*u;
		double		 ms;
	} parts[] = {{"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
	size_t i = 0, k, next = 0, len;
	long long v;
	int any = 0;

	q->v = 0;
	q->unit = UNIT_MS;
	while (s[i]) {
		for (len = 0; s[i + len] >= '0' && s[i + len] <= '9'; len++)
			;
		if (len == 0 || strnum_ll(s + i, len, &v) == -1)
			return -1;
		i += len;
		for (k = next; k < 4; k++) {
			size_t ul = strlen(parts[k].u);

			/* "m" must not swallow the "m" of "ms". */
			if (strncmp(s + i, parts[k].u, ul) == 0 && !(k == 1 && s[i + 1] == 's'))
				break;
		}
		if (k == 4)
			return -1;
		q->v += (double)v * parts[k].ms;
		i += strlen(parts[k].u);
		next = k + 1;
		any = 1;
	}
	return any ? 0 : -1;
}

/* A duration such as 2m, 30s, 1500ms or 5m30s; 0, or -1 after a diagnostic. */
static int
duration(struct ctx *c, const struct ynode *n, const char *key, int64_t *out)
{
	struct quantity q;
	const char *s;

	if (scalar(c, n, key, &s) == -1)
		return -1;
	if (unit_parse(s, &q) == -1 && compound(s, &q) == -1)
		q.unit = UNIT_NONE;
	if (q.unit != UNIT_MS || q.v < 0 || q.v > 366.0 * 86400000) {
		diag_error(c->path, n->line, n->col,
		    "%s: bad duration %s; expected a number with ms, s, m or h, like 2m or 30s",
		    key, diag_q(s, (size_t)-1));
		return -1;
	}
	*out = (int64_t)q.v;
	return 0;
}

static int
boolean(struct ctx *c, const struct ynode *n, const char *key, int *out)
{
	const char *s;

	if (scalar(c, n, key, &s) == -1)
		return -1;
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
		*out = 1;
		return 0;
	}
	if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0) {
		*out = 0;
		return 0;
	}
	diag_error(c->path, n->line, n->col, "%s: expected true or false, found %s", key,
	    diag_q(s, (size_t)-1));
	return -1;
}

static int
selector_key(struct ctx *c, const struct ynode *n, const char *key, struct slo_rule *r)
{
	const char *s;
	size_t errpos;

	if (scalar(c, n, key, &s) == -1)
		return -1;
	r->metric = arena_strdup(&c->set->arena, s);
	if (selector_parse(&c->set->arena, s, &r->sel, &errpos) == -1) {
		diag_error(c->path, n->line, n->col + (n->plain ? (long)errpos : (long)errpos + 1),
		    "%s: bad selector %s; expected NAME or NAME{label:value,...}", key,
		    diag_q(s, (size_t)-1));
		return -1;
	}
	return 0;
}

static int
fault_key(struct ctx *c, const struct ynode *m, struct slo_rule *r, int required)
{
	const struct ynode *n = ymap_get(m, "fault");
	const char *s;

	if (n == NULL) {
		if (!required)
			return 0;
		diag_error(c->path, m->line, m->col,
		    "SLO %s needs `fault:`, the name of the fault it is measured against",
		    diag_q(r->name, (size_t)-1));
		return -1;
	}
	if (scalar(c, n, "fault", &s) == -1)
		return -1;
	r->fault = arena_strdup(&c->set->arena, s);
	return 0;
}

static int
parse_window(struct ctx *c, const struct ynode *n, struct slo_rule *r)
{
	const char *s, *colon;

	if (scalar(c, n, "window", &s) == -1)
		return -1;
	colon = strchr(s, ':');
	if (strcmp(s, "all") == 0) {
		r->window = WIN_ALL;
	} else if (strcmp(s, "outside-faults") == 0) {
		r->window = WIN_OUTSIDE;
	} else if (colon && colon[1] && (strncmp(s, "during:", 7) == 0 || strncmp(s, "after:", 6) == 0)) {
		r->window = s[0] == 'd' ? WIN_DURING : WIN_AFTER;
		r->window_fault = arena_strdup(&c->set->arena, colon + 1);
	} else {
		diag_error(c->path, n->line, n->col,
		    "window: unknown window %s; expected all, during:FAULT, after:FAULT or outside-faults",
		    diag_q(s, (size_t)-1));
		return -1;
	}
	return 0;
}

/* below: / above: / warn: (and threshold: when allowed); sets op, limit, warn. */
static int
limits(struct ctx *c, const struct ynode *m, struct slo_rule *r, int k6_allowed)
{
	struct arena *a = &c->set->arena;
	const struct ynode *n, *below, *above, *thr, *warn;
	struct quantity q, w;
	const char *s;

	below = ymap_get(m, "below");
	above = ymap_get(m, "above");
	thr = k6_allowed ? ymap_get(m, "threshold") : NULL;
	warn = ymap_get(m, "warn");
	if ((below != NULL) + (above != NULL) + (thr != NULL) != 1) {
		n = below && above ? above : thr && (below || above) ? thr : m;
		diag_error(c->path, n->line, n->col, k6_allowed ?
		    "SLO %s needs exactly one limit: `below:`, `above:` or `threshold:`" :
		    "SLO %s needs exactly one limit: `below:` or `above:`",
		    diag_q(r->name, (size_t)-1));
		return -1;
	}
	if (thr) {
		if ((n = ymap_get(m, "stat")) != NULL) {
			diag_error(c->path, n->line, n->col,
			    "`stat:` goes with `below:`/`above:`; a k6 `threshold:` names its own statistic");
			return -1;
		}
		if (parse_threshold(c, thr, r) == -1)
			return -1;
		r->limit_text = arena_strdup(a, thr->value);
	} else {
		n = below ? below : above;
		if (limit_value(c, n, below ? "below" : "above", &q) == -1)
			return -1;
		r->op = below ? OP_LT : OP_GT;
		r->limit = q.v;
		r->limit_unit = q.unit;
		r->limit_text = arena_strdup(a, n->value);
	}
	if (warn) {
		if (limit_value(c, warn, "warn", &w) == -1)
			return -1;
		if (w.unit != r->limit_unit) {
			diag_error(c->path, warn->line, warn->col,
			    "warn: %s is not in the same kind of unit as the limit %s",
			    diag_q(warn->value, (size_t)-1), diag_q(r->limit_text, (size_t)-1));
			return -1;
		}
		if (r->op == OP_EQ || !cmp_holds(r->op == OP_LT || r->op == OP_LE ? OP_LE : OP_GE,
		    w.v, r->limit)) {
			diag_error(c->path, warn->line, warn->col,
			    "warn: %s must be on the passing side of the limit %s%s",
			    diag_q(warn->value, (size_t)-1), cmp_op_str(r->op), r->limit_text);
			return -1;
		}
		r->have_warn = 1;
		r->warn = w.v;
		r->warn_text = arena_strdup(a, warn->value);
	}
	(void)s;
	return 0;
}

static int
parse_metric(struct ctx *c, const struct ynode *m, struct slo_rule *r)
{
	const struct ynode *n;
	const char *s;

	r->kind = SLO_METRIC;
	if (ymap_check_keys(c->path, m, metric_keys, "a metric SLO") == -1 ||
	    selector_key(c, ymap_get(m, "metric"), "metric", r) == -1)
		return -1;
	if ((n = ymap_get(m, "window")) != NULL && parse_window(c, n, r) == -1)
		return -1;
	if ((n = ymap_get(m, "unit")) != NULL && parse_unit(c, n, r) == -1)
		return -1;
	if ((n = ymap_get(m, "stat")) != NULL) {
		if (scalar(c, n, "stat", &s) == -1)
			return -1;
		if (stat_canonical(s, r->stat, sizeof r->stat) == -1) {
			diag_error(c->path, n->line, n->col,
			    "stat: unknown statistic %s; expected avg, min, med, max, "
			    "p(N), count, rate, value or last", diag_q(s, (size_t)-1));
			return -1;
		}
	}
	if (ymap_get(m, "relative_to") != NULL)
		return slo_relative_rule(c->set, c->path, m, r);
	return limits(c, m, r, 1);
}

static int
parse_recovers(struct ctx *c, const struct ynode *m, struct slo_rule *r)
{
	const struct ynode *n;
	const char *s;

	r->kind = SLO_RECOVERS;
	if ((n = ymap_get(m, "recovers")) != NULL && n->type == Y_SCALAR &&
	    strncmp(n->value, "ready(", 6) == 0)
		return slo_ready_rule(c->set, c->path, m, r);
	if (ymap_check_keys(c->path, m, recovers_keys, "a recovers SLO") == -1 ||
	    selector_key(c, ymap_get(m, "recovers"), "recovers", r) == -1 ||
	    fault_key(c, m, r, 1) == -1)
		return -1;
	if ((n = ymap_get(m, "unit")) != NULL && parse_unit(c, n, r) == -1)
		return -1;
	if (limits(c, m, r, 0) == -1)
		return -1;
	if (r->have_warn) {
		diag_error(c->path, m->line, m->col, "`warn:` does not apply to a recovers SLO");
		return -1;
	}
	if ((n = ymap_get(m, "within")) == NULL) {
		diag_error(c->path, m->line, m->col,
		    "SLO %s needs `within:`, how soon after the fault it must recover (like 2m)",
		    diag_q(r->name, (size_t)-1));
		return -1;
	}
	if (duration(c, n, "within", &r->within) == -1)
		return -1;
	if ((n = ymap_get(m, "hold")) != NULL) {
		if (duration(c, n, "hold", &r->hold) == -1)
			return -1;
		r->have_hold = 1;
	}
	if ((n = ymap_get(m, "from")) != NULL) {
		if (scalar(c, n, "from", &s) == -1)
			return -1;
		if (strcmp(s, "start") != 0 && strcmp(s, "end") != 0) {
			diag_error(c->path, n->line, n->col,
			    "from: expected start or end (of the fault), found %s", diag_q(s, (size_t)-1));
			return -1;
		}
		r->from_start = s[0] == 's';
	}
	return 0;
}

static int
parse_alert(struct ctx *c, const struct ynode *m, struct slo_rule *r)
{
	const struct ynode *n;

	r->kind = SLO_ALERT;
	if (ymap_check_keys(c->path, m, alert_keys, "an alert SLO") == -1 ||
	    selector_key(c, ymap_get(m, "alert"), "alert", r) == -1)
		return -1;
	if ((n = ymap_get(m, "must_not_fire")) != NULL && boolean(c, n, "must_not_fire", &r->must_not_fire) == -1)
		return -1;
	if ((n = ymap_get(m, "fires_within")) != NULL) {
		if (duration(c, n, "fires_within", &r->fires_within) == -1)
			return -1;
		r->have_fires_within = 1;
	}
	if ((n = ymap_get(m, "resolves_within")) != NULL) {
		if (duration(c, n, "resolves_within", &r->resolves_within) == -1)
			return -1;
		r->have_resolves_within = 1;
	}
	if (r->must_not_fire && (r->have_fires_within || r->have_resolves_within)) {
		diag_error(c->path, m->line, m->col,
		    "SLO %s: `must_not_fire: true` cannot go with fires_within or resolves_within",
		    diag_q(r->name, (size_t)-1));
		return -1;
	}
	if (!r->must_not_fire && !r->have_fires_within && !r->have_resolves_within) {
		diag_error(c->path, m->line, m->col,
		    "SLO %s needs `fires_within:` (how soon after the fault starts it must fire), "
		    "`resolves_within:` (how soon after it ends it must resolve) or "
		    "`must_not_fire: true`", diag_q(r->name, (size_t)-1));
		return -1;
	}
	return fault_key(c, m, r, !r->must_not_fire);
}

static int
replicas(struct ctx *c, const struct ynode *n, const char *key, int *is_edge, int *count,
    const char *edge)
{
	const char *s;
	long long v;

	if (scalar(c, n, key, &s) == -1)
		return -1;
	if (strcmp(s, edge) == 0) {
		*is_edge = 1;
		return 0;
	}
	if (strnum_ll(s, strlen(s), &v) == -1 || v < 0 || v > 100000) {
		diag_error(c->path, n->line, n->col, "%s: expected %s or a replica count, found %s",
		    key, edge, diag_q(s, (size_t)-1));
		return -1;
	}
	*count = (int)v;
	return 0;
}

static int
parse_hpa(struct ctx *c, const struct ynode *m, struct slo_rule *r)
{
	const struct ynode *n;
	const char *s;

	r->kind = SLO_HPA;
	if (ymap_check_keys(c->path, m, hpa_keys, "an hpa SLO") == -1)
		return -1;
	n = ymap_get(m, "hpa");
	if (scalar(c, n, "hpa", &s) == -1)
		return -1;
	r->metric = arena_strdup(&c->set->arena, s);
	r->sel.name = r->metric;
	if (fault_key(c, m, r, 1) == -1)
		return -1;
	if ((n = ymap_get(m, "reaches")) == NULL) {
		diag_error(c->path, m->line, m->col,
		    "SLO %s needs `reaches:` (max, or a replica count)", diag_q(r->name, (size_t)-1));
		return -1;
	}
	if (replicas(c, n, "reaches", &r->reaches_max, &r->reaches, "max") == -1)
		return -1;
	if ((n = ymap_get(m, "within")) == NULL) {
		diag_error(c->path, m->line, m->col,
		    "SLO %s needs `within:`, how soon after the fault starts it must scale (like 5m)",
		    diag_q(r->name, (size_t)-1));
		return -1;
	}
	if (duration(c, n, "within", &r->within) == -1)
		return -1;
	if ((n = ymap_get(m, "returns_to")) != NULL) {
		if (replicas(c, n, "returns_to", &r->returns_min, &r->returns_to, "min") == -1)
			return -1;
		r->have_returns = 1;
	}
	if ((n = ymap_get(m, "returns_within")) != NULL) {
		if (!r->have_returns) {
			diag_error(c->path, n->line, n->col, "returns_within: goes with returns_to:");
			return -1;
		}
		if (duration(c, n, "returns_within", &r->returns_within) == -1)
			return -1;
		r->have_returns_within = 1;
	}
	return 0;
}

static int
parse_rule(struct ctx *c, const struct ynode *m, struct slo_rule *r)
{
	static const char *const kinds[] = {"metric", "recovers", "alert", "hpa"};
	const struct ynode *n, *k[4];
	const char *s;
	size_t i, nk = 0;

	if (m->type != Y_MAP) {
		diag_error(c->path, m->line, m->col,
		    "each SLO must be a mapping with a name, what it checks and a limit; found %s",
		    ynode_what(m));
		return -1;
	}
	r->line = m->line;
	r->col = m->col;
	r->file = c->set->path;
	if ((n = ymap_get(m, "name")) == NULL) {
		diag_error(c->path, m->line, m->col, "SLO without a name; add `name:`");
		return -1;
	}
	if (scalar(c, n, "name", &s) == -1)
		return -1;
	r->name = arena_strdup(&c->set->arena, s);
	if ((n = ymap_get(m, "description")) != NULL) {
		if (scalar(c, n, "description", &s) == -1)
			return -1;
		r->description = arena_strdup(&c->set->arena, s);
	}
	for (i = 0; i < 4; i++)
		if ((k[i] = ymap_get(m, kinds[i])) != NULL)
			nk++;
	/* A misspelt key ("metrc") is the likelier mistake: name it first. */
	if (nk == 0 && ymap_check_keys(c->path, m, all_keys, "an SLO") == -1)
		return -1;
	if (nk != 1) {
		diag_error(c->path, m->line, m->col,
		    "SLO %s needs exactly one of `metric:`, `recovers:`, `alert:` or `hpa:` to say "
		    "what it checks", diag_q(r->name, (size_t)-1));
		return -1;
	}
	if ((k[0] ? parse_metric(c, m, r) : k[1] ? parse_recovers(c, m, r) :
	    k[2] ? parse_alert(c, m, r) : parse_hpa(c, m, r)) == -1)
		return -1;
	return slo_score_rule(c->path, m, r);
}

int
slo_parse(struct slo_set *set, const char *path, const char *text, size_t len)
{
	struct ydoc doc;
	const struct ynode *root, *list, *n;
	static const char *const top_keys[] = {"slos", "score", NULL};
	struct ctx c;
	size_t i, j;
	int rc = -1;

	memset(set, 0, sizeof *set);
	arena_init(&set->arena);
	set->path = arena_strdup(&set->arena, path);
	c.set = set;
	c.path = path;
	if (openslo_line(text, len) != 0) {
		char *const paths[1] = {set->path};

		if (openslo_rules(set, 0, paths, &text, &len, 1) == -1) {
			slo_release(set);
			return -1;
		}
		return 0;
	}
	if (ydoc_load(&doc, path, text, len) == -1) {
		slo_release(set);
		return -1;
	}
	root = doc.root;
	if (root == NULL || ynode_is_null(root)) {
		diag_error(path, 0, 0, "empty SLO file; expected `slos:` with a list of rules");
		goto out;
	}
	if (root->type != Y_MAP) {
		diag_error(path, root->line, root->col,
		    "expected a mapping with `slos:` at the top, found %s", ynode_what(root));
		goto out;
	}
	if (ymap_check_keys(path, root, top_keys, "the SLO file") == -1)
		goto out;
	if ((list = ymap_get(root, "slos")) == NULL) {
		diag_error(path, root->line, root->col, "no `slos:` list in the SLO file");
		goto out;
	}
	if (list->type != Y_SEQ || list->n == 0) {
		diag_error(path, list->line, list->col,
		    "slos: expected a list of rules, found %s",
		    list->type == Y_SEQ ? "an empty list" : ynode_what(list));
		goto out;
	}
	if (list->n > LIM_RULES) {
		diag_error(path, list->line, list->col, "more than %d SLOs", LIM_RULES);
		goto out;
	}
	if ((n = ymap_get(root, "score")) != NULL && slo_score_policy(set, path, n) == -1)
		goto out;
	set->rules = xcalloc(list->n, sizeof *set->rules);
	for (i = 0; i < list->n; i++) {
		if (parse_rule(&c, list->items[i], &set->rules[i]) == -1)
			goto out;
		set->nrules++;
		for (j = 0; j < i; j++)
			if (strcmp(set->rules[j].name, set->rules[i].name) == 0) {
				const struct ynode *nn = ymap_get(list->items[i], "name");

				diag_error(path, nn->line, nn->col,
				    "duplicate SLO name %s (first at line %ld); names must be unique",
				    diag_q(set->rules[i].name, (size_t)-1), set->rules[j].line);
				goto out;
			}
	}
	rc = 0;
out:
	ydoc_release(&doc);
	if (rc == -1)
		slo_release(set);
	return rc;
}

void
window_str(const struct slo_rule *r, char *buf, size_t n)
{
	switch (r->window) {
	case WIN_DURING:
		snprintf(buf, n, "during:%s", r->window_fault);
		break;
	case WIN_AFTER:
		snprintf(buf, n, "after:%s", r->window_fault);
		break;
	case WIN_OUTSIDE:
		snprintf(buf, n, "outside-faults");
		break;
	case WIN_ALL:
	default:
		snprintf(buf, n, "all");
		break;
	}
}

int
slo_load_many(struct slo_set *set, char *const *paths, size_t n)
{
	return slo_load_many_keep(set, paths, n, NULL);
}

/*
 * File i of texts into part: an SLO rule file, or OpenSLO documents, whose
 * SLOs may name SLIs in any of the files (so all are read first).
 */
static int
parse_part(struct slo_set *part, size_t i, char *const *paths, const char *const *texts,
    const size_t *lens, size_t n)
{
	if (openslo_line(texts[i], lens[i]) == 0)
		return slo_parse(part, paths[i], texts[i], lens[i]);
	memset(part, 0, sizeof *part);
	arena_init(&part->arena);
	part->path = arena_strdup(&part->arena, paths[i]);
	if (openslo_rules(part, i, paths, texts, lens, n) == -1) {
		slo_release(part);
		return -1;
	}
	return 0;
}

int
slo_load_many_keep(struct slo_set *set, char *const *paths, size_t n, struct buf *keep)
{
	struct slo_set *parts;
	struct buf *bufs;
	const char **texts;
	size_t *lens;
	size_t i, j, k, total = 0, at = 0, nparsed = 0;
	int rc = 0;

	memset(set, 0, sizeof *set);
	parts = xcalloc(n ? n : 1, sizeof *parts);
	bufs = xcalloc(n ? n : 1, sizeof *bufs);
	texts = xcalloc(n ? n : 1, sizeof *texts);
	lens = xcalloc(n ? n : 1, sizeof *lens);
	for (i = 0; i < n; i++)
		buf_init(&bufs[i], LIM_RULES_BYTES);
	for (i = 0; i < n && rc == 0; i++) {
		if (fsio_read(paths[i], LIM_RULES_BYTES, &bufs[i], NULL, NULL) == -1) {
			rc = -1;
			break;
		}
		texts[i] = buf_str(&bufs[i]);
		lens[i] = bufs[i].len;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if ((rc = parse_part(&parts[i], i, paths, texts, lens, n)) == 0) {
			total += parts[i].nrules;
			nparsed++;
		}
	}
	if (rc == 0 && total == 0) {
		diag_error(paths[0], 0, 0, "no SLO in the files given: OpenSLO SLI and Service "
		    "documents serve the SLO documents that name them");
		rc = -1;
	}
	if (rc == 0) {
		/* One set owns everything: the parts' arenas are chained into it. */
		arena_init(&set->arena);
		set->path = arena_strdup(&set->arena, paths[0]);
		set->rules = xcalloc(total ? total : 1, sizeof *set->rules);
		for (i = 0; i < n && rc == 0; i++)
			for (j = 0; j < parts[i].nrules && rc == 0; j++) {
				for (k = 0; k < at; k++)
					if (strcmp(set->rules[k].name, parts[i].rules[j].name) == 0) {
						diag_error(paths[i], parts[i].rules[j].line, parts[i].rules[j].col,
						    "duplicate SLO name %s (also in %s at line %ld); names must be unique",
						    diag_q(parts[i].rules[j].name, (size_t)-1),
						    set->rules[k].file, set->rules[k].line);
						rc = -1;
						break;
					}
				if (rc == 0)
					set->rules[at++] = parts[i].rules[j];
			}
		for (i = 0; i < n && rc == 0; i++) {
			if (!parts[i].score.have)
				continue;
			if (set->score.have) {
				diag_error(paths[i], parts[i].score.line, parts[i].score.col,
				    "a second `score:` (the first is in %s at line %ld); one set of "
				    "rules has one score", set->score.file, set->score.line);
				rc = -1;
				break;
			}
			set->score = parts[i].score;
		}
		set->nrules = at;
	}
	for (i = 0; i < nparsed; i++) {
		if (rc == 0) {
			arena_adopt(&set->arena, &parts[i].arena);
			free(parts[i].rules);
		} else {
			slo_release(&parts[i]);
		}
	}
	for (i = 0; i < n; i++) {
		if (keep && rc == 0) {
			buf_release(&keep[i]);
			keep[i] = bufs[i];
		} else {
			buf_release(&bufs[i]);
		}
	}
	free(parts);
	free(bufs);
	free(texts);
	free(lens);
	if (rc == -1)
		slo_release(set);
	return rc;
}

int
slo_load(struct slo_set *set, const char *path)
{
	char *const paths[1] = {(char *)path};

	return slo_load_many_keep(set, paths, 1, NULL);
}

void
slo_release(struct slo_set *set)
{
	free(set->rules);
	arena_release(&set->arena);
	memset(set, 0, sizeof *set);
}
