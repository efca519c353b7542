/*
 * slo_relative.c — the keys of a before/after rule (docs/slo.md, "Before
 * and after"): `relative_to: before:FAULT` with `at_most:` (3x, +500ms),
 * `at_least:` (0.5x, -10%) or neither (back to normal, `worse:` saying
 * which way is bad). Reading and validating only; eval/relative.c judges.
 * Depends on yamlr, units and strnum.
 */
#include <string.h>

#include "in/slo.h"
#include "util/diag.h"
#include "util/strnum.h"
#include "util/yamlr.h"

#define FACTOR_MAX 1e6

static const char *
text(const struct ynode *n)
{
	return n->type == Y_SCALAR && !ynode_is_null(n) && n->len > 0 ? n->value : NULL;
}

/* "3x", "1.5x", "+500ms", "-10%", "+20"; 0, or -1 after a diagnostic. */
static int
relative_limit(const char *path, const struct ynode *n, const char *key, struct slo_rule *r)
{
	const char *s = text(n);
	struct quantity q;
	size_t len;
	double f;

	if (s == NULL)
		goto bad;
	len = strlen(s);
	if (len > 1 && (s[len - 1] == 'x' || s[len - 1] == 'X')) {
		if (strnum_double(s, len - 1, &f) == -1 || !(f > 0) || f > FACTOR_MAX)
			goto bad;
		r->rel_kind = REL_FACTOR;
		r->rel_value = f;
		r->rel_unit = UNIT_NONE;
		return 0;
	}
	if ((s[0] == '+' || s[0] == '-') && s[1] != '+' && s[1] != '-' &&
	    unit_parse(s + 1, &q) == 0 && q.v >= 0) {
		r->rel_kind = REL_OFFSET;
		r->rel_value = s[0] == '-' ? -q.v : q.v;
		r->rel_unit = q.unit;
		return 0;
	}
bad:
	diag_error(path, n->line, n->col,
	    "%s: expected a factor like 3x or an offset with its sign like +500ms or -10%%, "
	    "found %s", key, s ? diag_q(s, (size_t)-1) : ynode_what(n));
	return -1;
}

int
slo_relative_rule(struct slo_set *set, const char *path, const struct ynode *m,
    struct slo_rule *r)
{
	static const char *const absolute[] = {"below", "above", "threshold", "warn", NULL};
	const struct ynode *n, *most, *least, *worse;
	const char *s;
	size_t i;

	for (i = 0; absolute[i]; i++)
		if ((n = ymap_get(m, absolute[i])) != NULL) {
			diag_error(path, n->line, n->col,
			    "SLO %s: `%s:` is a fixed limit; a `relative_to:` rule takes `at_most:` "
			    "or `at_least:` (or neither, for back to normal)",
			    diag_q(r->name, (size_t)-1), absolute[i]);
			return -1;
		}
	n = ymap_get(m, "relative_to");
	s = text(n);
	if (s == NULL || strncmp(s, "before:", 7) != 0 || s[7] == '\0') {
		diag_error(path, n->line, n->col,
		    "relative_to: expected before:FAULT (an equal window just before the fault), "
		    "found %s", s ? diag_q(s, (size_t)-1) : ynode_what(n));
		return -1;
	}
	r->relative = 1;
	r->relative_fault = arena_strdup(&set->arena, s + 7);
	if (r->window != WIN_DURING && r->window != WIN_AFTER) {
		n = ymap_get(m, "window");
		diag_error(path, n ? n->line : m->line, n ? n->col : m->col,
		    "SLO %s: a `relative_to:` rule needs `window: during:FAULT` or "
		    "`window: after:FAULT`, the window compared with the one before",
		    diag_q(r->name, (size_t)-1));
		return -1;
	}
	if ((n = ymap_get(m, "settle")) != NULL) {
		struct quantity q;

		s = text(n);
		if (s == NULL || unit_parse(s, &q) == -1 || q.unit != UNIT_MS || q.v < 0 ||
		    q.v > 86400000.0) {
			diag_error(path, n->line, n->col,
			    "settle: expected a duration like 2m or 30s, found %s",
			    s ? diag_q(s, (size_t)-1) : ynode_what(n));
			return -1;
		}
		if (r->window != WIN_AFTER) {
			diag_error(path, n->line, n->col,
			    "settle: goes with `window: after:FAULT`; it delays the start of the "
			    "after window");
			return -1;
		}
		r->settle = (int64_t)q.v;
	}
	if (r->stat[0] == '\0') {
		diag_error(path, m->line, m->col,
		    "SLO %s: a `relative_to:` rule needs `stat:` (p(95), avg, max ...), the "
		    "statistic compared in both windows", diag_q(r->name, (size_t)-1));
		return -1;
	}
	most = ymap_get(m, "at_most");
	least = ymap_get(m, "at_least");
	worse = ymap_get(m, "worse");
	if (most && least) {
		diag_error(path, least->line, least->col,
		    "SLO %s: give `at_most:` or `at_least:`, not both", diag_q(r->name, (size_t)-1));
		return -1;
	}
	if ((most || least) && worse) {
		diag_error(path, worse->line, worse->col,
		    "worse: goes with a back-to-normal rule (no `at_most:` or `at_least:`); "
		    "at_most already means higher is worse, at_least lower");
		return -1;
	}
	if (most || least) {
		if (relative_limit(path, most ? most : least, most ? "at_most" : "at_least", r) == -1)
			return -1;
		r->worse_lower = least != NULL;
		r->op = least ? OP_GE : OP_LE;
		r->limit_text = arena_strdup(&set->arena, (most ? most : least)->value);
	} else {
		r->rel_kind = REL_NORMAL;
		if (worse) {
			s = text(worse);
			if (s == NULL || (strcmp(s, "higher") != 0 && strcmp(s, "lower") != 0)) {
				diag_error(path, worse->line, worse->col,
				    "worse: expected higher or lower (which change of the value is bad), "
				    "found %s", s ? diag_q(s, (size_t)-1) : ynode_what(worse));
				return -1;
			}
			r->worse_lower = s[0] == 'l';
		}
		r->op = r->worse_lower ? OP_GE : OP_LE;
		r->limit_text = arena_strdup(&set->arena, "back to normal");
	}
	/* The limit's unit, for the checks the evaluator shares with absolute rules. */
	r->limit_unit = r->rel_kind == REL_OFFSET ? r->rel_unit : UNIT_NONE;
	return 0;
}
