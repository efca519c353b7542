/*
 * slo_ready.c — `recovers: ready(DEPLOYMENT)`: the time from a fault's end
 * (or start) until every pod of the workload is ready again, as kubectl
 * saw it (docs/slo.md, "Recovery seen from the target"). Reading and
 * validating only; eval/ready.c judges. Depends on yamlr and units.
 */
#include <string.h>

#include "in/slo.h"
#include "util/diag.h"
#include "util/yamlr.h"

static const char *const ready_keys[] = {
	"name", "description", "recovers", "within", "hold", "fault", "from", "weight", "key", NULL
};

static int
span(const char *path, const struct ynode *n, const char *key, int64_t *out)
{
	struct quantity q;

	if (n->type != Y_SCALAR || unit_parse(n->value, &q) == -1 || q.unit != UNIT_MS ||
	    q.v < 0 || q.v > 366.0 * 86400000) {
		diag_error(path, n->line, n->col,
		    "%s: bad duration %s; expected a number with ms, s, m or h, like 2m or 30s", key,
		    n->type == Y_SCALAR ? diag_q(n->value, (size_t)-1) : ynode_what(n));
		return -1;
	}
	*out = (int64_t)q.v;
	return 0;
}

int
slo_ready_rule(struct slo_set *set, const char *path, const struct ynode *m, struct slo_rule *r)
{
	const struct ynode *n = ymap_get(m, "recovers");
	const char *v = n->value;
	size_t len = strlen(v);

	if (ymap_check_keys(path, m, ready_keys, "a recovers: ready() SLO") == -1)
		return -1;
	if (len < 8 || v[len - 1] != ')' || memchr(v + 6, '(', len - 7) || memchr(v + 6, ' ', len - 7)) {
		diag_error(path, n->line, n->col,
		    "recovers: expected ready(DEPLOYMENT), the workload whose pods must all be "
		    "ready again, found %s", diag_q(v, (size_t)-1));
		return -1;
	}
	r->kind = SLO_RECOVERS;
	r->ready = 1;
	r->metric = arena_alloc(&set->arena, len - 6);
	memcpy(r->metric, v + 6, len - 7);
	r->metric[len - 7] = '\0';
	r->sel.name = r->metric;
	r->op = OP_LE;
	r->limit_unit = UNIT_MS;
	if ((n = ymap_get(m, "fault")) == NULL || n->type != Y_SCALAR || n->len == 0) {
		diag_error(path, n ? n->line : m->line, n ? n->col : m->col,
		    "SLO %s needs `fault:`, the name of the fault it is measured against",
		    diag_q(r->name, (size_t)-1));
		return -1;
	}
	r->fault = arena_strdup(&set->arena, n->value);
	if ((n = ymap_get(m, "within")) == NULL) {
		diag_error(path, m->line, m->col,
		    "SLO %s needs `within:`, how soon after the fault its pods must all be ready "
		    "(like 2m)", diag_q(r->name, (size_t)-1));
		return -1;
	}
	if (span(path, n, "within", &r->within) == -1)
		return -1;
	r->limit = (double)r->within;
	r->limit_text = arena_strdup(&set->arena, n->value);
	if ((n = ymap_get(m, "hold")) != NULL) {
		if (span(path, n, "hold", &r->hold) == -1)
			return -1;
		r->have_hold = 1;
	}
	if ((n = ymap_get(m, "from")) != NULL) {
		if (n->type != Y_SCALAR || (strcmp(n->value, "start") != 0 &&
		    strcmp(n->value, "end") != 0)) {
			diag_error(path, n->line, n->col,
			    "from: expected start or end (of the fault), found %s",
			    n->type == Y_SCALAR ? diag_q(n->value, (size_t)-1) : ynode_what(n));
			return -1;
		}
		r->from_start = n->value[0] == 's';
	}
	return 0;
}
