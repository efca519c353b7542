/*
 * slo.c — reads slo.yaml into rules (schema: docs/slo.md) and says
 * precisely what is wrong with a rule that cannot be read: the key, the
 * value and what was expected, at file:line:col. Owns the rule set.
 * Depends on yamlr, units, run (selectors); never on importers or output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fsio.h"
#include "slo.h"
#include "splimits.h"
#include "strnum.h"
#include "xalloc.h"
#include "yamlr.h"

static const char *const rule_keys[] = {
	"name", "metric", "stat", "below", "above", "warn", "threshold", "unit",
	"description", "window", NULL
};

/* Rule kinds this version does not evaluate yet: a clear error, never a silent pass. */
static const char *const later_keys[] = {
	"recovers", "alert", "hpa", NULL
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
	static const struct {
		const char	*name;
		enum unit	 unit;
		double		 scale;
	} units[] = {
		{"ns", UNIT_MS, 1e-6}, {"us", UNIT_MS, 1e-3}, {"ms", UNIT_MS, 1},
		{"s", UNIT_MS, 1000}, {"m", UNIT_MS, 60000}, {"h", UNIT_MS, 3600000},
		{"%", UNIT_RATIO, 0.01}, {"ratio", UNIT_RATIO, 1},
		{"B", UNIT_BYTES, 1}, {"bytes", UNIT_BYTES, 1}, {"kB", UNIT_BYTES, 1e3},
		{"none", UNIT_NONE, 1},
	};
	const char *s;
	size_t i;

	if (scalar(c, n, "unit", &s) == -1)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(units[i].name, s) == 0) {
			r->have_unit = 1;
			r->metric_unit = units[i].unit;
			r->metric_scale = units[i].scale;
			return 0;
		}
	diag_error(c->path, n->line, n->col,
	    "unit: unknown unit %s; expected ns, us, ms, s, m, h, %%, ratio, B, kB or none",
	    diag_q(s, (size_t)-1));
	return -1;
}

static int
parse_rule(struct ctx *c, const struct ynode *m, struct slo_rule *r)
{
	struct arena *a = &c->set->arena;
	const struct ynode *n, *below, *above, *thr, *warn;
	struct quantity q, w;
	const char *s;
	size_t i, errpos;

	if (m->type != Y_MAP) {
		diag_error(c->path, m->line, m->col,
		    "each SLO must be a mapping with name, metric and a limit; found %s",
		    ynode_what(m));
		return -1;
	}
	r->line = m->line;
	r->col = m->col;
	for (i = 0; later_keys[i]; i++)
		if ((n = ymap_get(m, later_keys[i])) != NULL) {
			diag_error(c->path, n->line, n->col,
			    "`%s:` rules are not supported by this version of sloproof; "
			    "it evaluates metric rules (metric, stat, below/above)", later_keys[i]);
			return -1;
		}
	if (ymap_check_keys(c->path, m, rule_keys, "an SLO") == -1)
		return -1;
	if ((n = ymap_get(m, "name")) == NULL) {
		diag_error(c->path, m->line, m->col, "SLO without a name; add `name:`");
		return -1;
	}
	if (scalar(c, n, "name", &s) == -1)
		return -1;
	r->name = arena_strdup(a, s);
	if ((n = ymap_get(m, "description")) != NULL) {
		if (scalar(c, n, "description", &s) == -1)
			return -1;
		r->description = arena_strdup(a, s);
	}
	if ((n = ymap_get(m, "metric")) == NULL) {
		diag_error(c->path, m->line, m->col,
		    "SLO %s has no `metric:`; name the k6 metric or series it checks",
		    diag_q(r->name, (size_t)-1));
		return -1;
	}
	if (scalar(c, n, "metric", &s) == -1)
		return -1;
	r->metric = arena_strdup(a, s);
	if (selector_parse(a, s, &r->sel, &errpos) == -1) {
		diag_error(c->path, n->line, n->col + (n->plain ? (long)errpos : (long)errpos + 1),
		    "metric: bad selector %s; expected NAME or NAME{tag:value,...}",
		    diag_q(s, (size_t)-1));
		return -1;
	}
	if ((n = ymap_get(m, "window")) != NULL) {
		if (scalar(c, n, "window", &s) == -1)
			return -1;
		if (strcmp(s, "all") != 0) {
			diag_error(c->path, n->line, n->col,
			    "window: %s needs time-series evidence, which this version does "
			    "not read; expected all", diag_q(s, (size_t)-1));
			return -1;
		}
	}
	if ((n = ymap_get(m, "unit")) != NULL && parse_unit(c, n, r) == -1)
		return -1;
	below = ymap_get(m, "below");
	above = ymap_get(m, "above");
	thr = ymap_get(m, "threshold");
	warn = ymap_get(m, "warn");
	if ((below != NULL) + (above != NULL) + (thr != NULL) != 1) {
		n = below && above ? above : thr && (below || above) ? thr : m;
		diag_error(c->path, n->line, n->col,
		    "SLO %s needs exactly one limit: `below:`, `above:` or `threshold:`",
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
		if ((n = ymap_get(m, "stat")) != NULL) {
			if (scalar(c, n, "stat", &s) == -1)
				return -1;
			if (stat_canonical(s, r->stat, sizeof r->stat) == -1) {
				diag_error(c->path, n->line, n->col,
				    "stat: unknown statistic %s; expected avg, min, med, max, "
				    "p(N), count, rate or value", diag_q(s, (size_t)-1));
				return -1;
			}
		}
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
			    diag_q(warn->value, (size_t)-1), cmp_op_str(r->op),
			    r->limit_text);
			return -1;
		}
		r->have_warn = 1;
		r->warn = w.v;
		r->warn_text = arena_strdup(a, warn->value);
	}
	return 0;
}

int
slo_parse(struct slo_set *set, const char *path, const char *text, size_t len)
{
	struct ydoc doc;
	const struct ynode *root, *list;
	static const char *const top_keys[] = {"slos", NULL};
	struct ctx c;
	size_t i, j;
	int rc = -1;

	memset(set, 0, sizeof *set);
	arena_init(&set->arena);
	set->path = arena_strdup(&set->arena, path);
	c.set = set;
	c.path = path;
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

int
slo_load(struct slo_set *set, const char *path)
{
	struct buf b;
	int rc;

	memset(set, 0, sizeof *set);
	buf_init(&b, LIM_RULES_BYTES);
	if (fsio_read(path, LIM_RULES_BYTES, &b, NULL, NULL) == -1) {
		buf_release(&b);
		return -1;
	}
	rc = slo_parse(set, path, buf_str(&b), b.len);
	buf_release(&b);
	return rc;
}

void
slo_release(struct slo_set *set)
{
	free(set->rules);
	arena_release(&set->arena);
	memset(set, 0, sizeof *set);
}
