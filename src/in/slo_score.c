/*
 * slo_score.c — the score keys of an SLO file: `weight:` and `key:` on a
 * rule, `score: {pass:, warn:}` at the top (docs/slo.md, "Score"). Only
 * reading and validating them lives here; the score itself is computed
 * by the evaluator (eval/score.c). Depends on yamlr and strnum.
 */
#include <string.h>

#include "in/slo.h"
#include "util/diag.h"
#include "util/strnum.h"
#include "util/yamlr.h"

#define WEIGHT_MAX 1000.0

/* A plain number, or a percentage written "90%"; 0, or -1 (no diagnostic). */
static int
number(const struct ynode *n, int percent_ok, double *out)
{
	size_t len;

	if (n->type != Y_SCALAR || ynode_is_null(n) || n->len == 0)
		return -1;
	len = n->len;
	if (percent_ok && n->value[len - 1] == '%')
		len--;
	return strnum_double(n->value, len, out);
}

int
slo_score_rule(const char *path, const struct ynode *m, struct slo_rule *r)
{
	const struct ynode *n;

	r->weight = 1;
	if ((n = ymap_get(m, "weight")) != NULL) {
		if (number(n, 0, &r->weight) == -1 || !(r->weight > 0) || r->weight > WEIGHT_MAX) {
			diag_error(path, n->line, n->col,
			    "weight: expected a number above 0 and at most %g, found %s", WEIGHT_MAX,
			    n->type == Y_SCALAR ? diag_q(n->value, (size_t)-1) : ynode_what(n));
			return -1;
		}
		r->have_weight = 1;
	}
	if ((n = ymap_get(m, "key")) != NULL) {
		if (n->type == Y_SCALAR && (strcmp(n->value, "true") == 0 ||
		    strcmp(n->value, "yes") == 0))
			r->key = 1;
		else if (n->type == Y_SCALAR && (strcmp(n->value, "false") == 0 ||
		    strcmp(n->value, "no") == 0))
			r->key = 0;
		else {
			diag_error(path, n->line, n->col, "key: expected true or false, found %s",
			    n->type == Y_SCALAR ? diag_q(n->value, (size_t)-1) : ynode_what(n));
			return -1;
		}
	}
	return 0;
}

static int
percent(const char *path, const struct ynode *n, const char *key, double *out)
{
	if (number(n, 1, out) == -1 || *out < 0 || *out > 100) {
		diag_error(path, n->line, n->col,
		    "score: %s: expected a percentage from 0 to 100 (like 90 or 90%%), found %s", key,
		    n->type == Y_SCALAR ? diag_q(n->value, (size_t)-1) : ynode_what(n));
		return -1;
	}
	return 0;
}

int
slo_score_policy(struct slo_set *set, const char *path, const struct ynode *n)
{
	static const char *const keys[] = {"pass", "warn", NULL};
	const struct ynode *p, *w;

	if (n->type != Y_MAP) {
		diag_error(path, n->line, n->col,
		    "score: expected a mapping with `pass:` and optionally `warn:`, found %s",
		    ynode_what(n));
		return -1;
	}
	if (ymap_check_keys(path, n, keys, "score") == -1)
		return -1;
	if ((p = ymap_get(n, "pass")) == NULL) {
		diag_error(path, n->line, n->col,
		    "score: needs `pass:`, the total score (0-100) a run must reach to pass");
		return -1;
	}
	if (percent(path, p, "pass", &set->score.pass) == -1)
		return -1;
	set->score.warn = set->score.pass;
	if ((w = ymap_get(n, "warn")) != NULL) {
		if (percent(path, w, "warn", &set->score.warn) == -1)
			return -1;
		if (set->score.warn > set->score.pass) {
			diag_error(path, w->line, w->col,
			    "score: warn: %s is above pass: %s; the warn band lies below pass",
			    diag_q(w->value, (size_t)-1), diag_q(p->value, (size_t)-1));
			return -1;
		}
	}
	set->score.have = 1;
	set->score.file = set->path;
	set->score.line = n->line;
	set->score.col = n->col;
	return 0;
}
