/*
 * in_hpa_tree.c — `kubectl get hpa -o yaml|json`: HorizontalPodAutoscaler
 * objects and Lists, v1 and v2 styles, one JSON record per line too. The
 * YAML tree (yamlr) and cJSON tree are released before a call returns.
 * Depends on the helpers of in_hpa.c (in/hpa_parts.h), yamlr and cJSON.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/diag.h"
#include "util/jsonlim.h"
#include "in/import.h"
#include "in/hpa_parts.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

/* ---- kubectl get hpa -o yaml|json ---------------------------------------- */

static const struct ynode *
ypath(const struct ynode *n, const char *a, const char *b)
{
	if (n == NULL || n->type != Y_MAP)
		return NULL;
	n = ymap_get(n, a);
	if (b == NULL || n == NULL || n->type != Y_MAP)
		return b ? NULL : n;
	return ymap_get(n, b);
}

static const char *
ystr(const struct ynode *n)
{
	return n && n->type == Y_SCALAR && !ynode_is_null(n) ? n->value : NULL;
}

/* A replica count from the tree: 0 (absent or null), 1 (set), -1 (error). */
static int
yint(struct hctx *h, const struct ynode *n, int *out)
{
	if (n == NULL || ynode_is_null(n))
		return 0;
	if (n->type != Y_SCALAR || !n->plain || hpa_parse_count(n->value, n->len, out) == -1) {
		if (n->type != Y_SCALAR)
			diag_error(h->path, n->line, n->col, "replica count is not a number: "
			    "found %s; expected a whole number", ynode_what(n));
		else
			hpa_bad_count(h, n->line, n->col, n->value, n->len, "a whole number");
		return -1;
	}
	return 1;
}

static char *
ydup(struct hctx *h, const struct ynode *n)
{
	const char *s = ystr(n);

	return s ? arena_strdup(&h->run->arena, s) : NULL;
}

/* The metric's name and the mapping under its type: resource, pods, object, external. */
static const struct ynode *
ymetric_body(const struct ynode *m, const char **kind, const char **name)
{
	static const struct {
		const char	*key, *kind;
	} types[] = {
		{"resource", "resource"}, {"containerResource", "containerresource"},
		{"pods", "pods"}, {"object", "object"}, {"external", "external"},
	};
	const struct ynode *b;
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if ((b = ymap_get(m, types[i].key)) != NULL && b->type == Y_MAP) {
			*kind = types[i].kind;
			*name = ystr(ymap_get(b, "name"));
			if (*name == NULL)
				*name = ystr(ypath(b, "metric", "name"));
			if (*name == NULL)
				*name = ystr(ymap_get(b, "metricName"));	/* v2beta1 */
			return b;
		}
	return NULL;
}

/* {averageUtilization: 150, averageValue: 301m} (v2) or v2beta1's currentAverageUtilization... */
static void
yvalue(struct hctx *h, const struct ynode *b, int target, struct hpa_metric *m)
{
	const struct ynode *v = ymap_get(b, target ? "target" : "current");
	const char *util, *val, *s;
	char pct[64];
	double x;
	int p;

	util = ystr(ymap_get(v, "averageUtilization"));
	val = ystr(ymap_get(v, "averageValue"));
	if (val == NULL)
		val = ystr(ymap_get(v, "value"));
	if (v == NULL) {
		util = ystr(ymap_get(b, target ? "targetAverageUtilization" :
		    "currentAverageUtilization"));
		val = ystr(ymap_get(b, target ? "targetAverageValue" : "currentAverageValue"));
		if (val == NULL)
			val = ystr(ymap_get(b, target ? "targetValue" : "currentValue"));
	}
	if (util && strlen(util) < 32) {
		snprintf(pct, sizeof pct, "%s%%", util);
		s = pct;
		if (!target && val)
			m->raw = arena_strdup(&h->run->arena, val);
	} else if (val) {
		s = val;
	} else {
		return;
	}
	p = 0;
	if (hpa_parse_value(s, strlen(s), &x, &p) == 0) {
		if (target) {
			m->have_target = 1;
			m->target_v = x;
		} else {
			m->have_current = 1;
			m->current_v = x;
		}
		m->percent = p;
	}
	if (target)
		m->target = arena_strdup(&h->run->arena, s);
	else
		m->current = arena_strdup(&h->run->arena, s);
}

static int
ymetrics(struct hctx *h, struct coll *c, const struct ynode *list, int target)
{
	const struct ynode *b;
	const char *kind, *name;
	struct hpa_metric *m;
	size_t i, k;

	if (list == NULL || list->type != Y_SEQ)
		return 0;
	for (i = 0; i < list->n; i++) {
		kind = name = NULL;
		if (list->items[i]->type != Y_MAP ||
		    (b = ymetric_body(list->items[i], &kind, &name)) == NULL)
			continue;
		for (k = 0; k < c->nm; k++)
			if (strcmp(c->m[k].kind, kind) == 0 && (c->m[k].name && name ?
			    strcmp(c->m[k].name, name) == 0 : c->m[k].name == name))
				break;
		if (k < c->nm)
			m = &c->m[k];
		else if ((m = hpa_coll_metric(h, c, list->items[i]->line)) == NULL)
			return -1;
		else {
			m->origin.col = list->items[i]->col;
			m->kind = arena_strdup(&h->run->arena, kind);
			m->name = name ? arena_strdup(&h->run->arena, name) : NULL;
		}
		yvalue(h, b, target, m);
	}
	return 0;
}

static int
yconditions_json(struct hctx *h, struct coll *c, const struct ynode *ann)
{
	cJSON *root, *it, *f;
	struct hpa_condition *cd;
	const char *s = ystr(ann);

	int reported;

	if (s == NULL)
		return 0;
	root = json_parse(h->path, s, strlen(s), NULL, &reported);
	if (reported)
		return -1;
	if (root == NULL || !cJSON_IsArray(root)) {
		diag_warning(h->path, ann->line, ann->col, "the conditions annotation is not a JSON "
		    "list; ignored");
		cJSON_Delete(root);
		return 0;
	}
	cJSON_ArrayForEach(it, root) {
		if (!cJSON_IsObject(it))
			continue;
		if ((cd = hpa_coll_cond(h, c, ann->line)) == NULL) {
			cJSON_Delete(root);
			return -1;
		}
		cd->origin.col = ann->col;
#define JS(field, key) \
		if ((f = cJSON_GetObjectItemCaseSensitive(it, key)) && cJSON_IsString(f)) \
			cd->field = arena_strdup(&h->run->arena, f->valuestring)
		JS(type, "type");
		JS(status, "status");
		JS(reason, "reason");
		JS(message, "message");
#undef JS
	}
	cJSON_Delete(root);
	return 0;
}

static int
yobject(struct hctx *h, const struct ynode *o)
{
	const struct ynode *spec, *status, *ref, *conds, *lst, *n;
	struct coll c;
	struct hpa_condition *cd;
	struct hpa_metric *m;
	const char *kind, *name, *s;
	size_t i, errcol;
	int r, rc = -1;
	int64_t t;
	struct scale_event *e;

	memset(&c, 0, sizeof c);
	hpa_coll_start(h, &c, o->line);
	c.st.origin.col = o->col;
	c.st.name = ydup(h, ypath(o, "metadata", "name"));
	c.st.namespace = ydup(h, ypath(o, "metadata", "namespace"));
	spec = ymap_get(o, "spec");
	status = ymap_get(o, "status");
	ref = ypath(spec, "scaleTargetRef", NULL);
	kind = ystr(ypath(ref, "kind", NULL));
	name = ystr(ypath(ref, "name", NULL));
	if (kind && name) {
		c.st.reference = arena_alloc(&h->run->arena, strlen(kind) + strlen(name) + 2);
		memcpy(c.st.reference, kind, strlen(kind));
		c.st.reference[strlen(kind)] = '/';
		memcpy(c.st.reference + strlen(kind) + 1, name, strlen(name));
	}
	if ((r = yint(h, ypath(spec, "minReplicas", NULL), &c.st.min)) == -1)
		goto out;
	c.st.have_min = r;
	if ((r = yint(h, ypath(spec, "maxReplicas", NULL), &c.st.max)) == -1)
		goto out;
	c.st.have_max = r;
	if ((r = yint(h, ypath(status, "currentReplicas", NULL), &c.st.current)) == -1)
		goto out;
	c.st.have_current = r;
	if ((r = yint(h, ypath(status, "desiredReplicas", NULL), &c.st.desired)) == -1)
		goto out;
	c.st.have_desired = r;
	s = ystr(ypath(o, "metadata", "creationTimestamp"));
	if (s && time_parse_rfc3339(s, strlen(s), &c.st.created, &errcol) == 0)
		c.st.have_created = 1;
	if (ymetrics(h, &c, ypath(spec, "metrics", NULL), 1) == -1 ||
	    ymetrics(h, &c, ypath(status, "currentMetrics", NULL), 0) == -1)
		goto out;
	/* autoscaling/v1: one CPU target, conditions packed into an annotation. */
	n = ypath(spec, "targetCPUUtilizationPercentage", NULL);
	if (n == NULL)
		n = ypath(status, "currentCPUUtilizationPercentage", NULL);
	if (n) {
		if ((m = hpa_coll_metric(h, &c, n->line)) == NULL)
			goto out;
		m->origin.col = n->col;
		m->kind = arena_strdup(&h->run->arena, "resource");
		m->name = arena_strdup(&h->run->arena, "cpu");
		m->percent = 1;
		if ((s = ystr(ypath(spec, "targetCPUUtilizationPercentage", NULL))) &&
		    strnum_double(s, strlen(s), &m->target_v) == 0) {
			m->have_target = 1;
			m->target_v /= 100;
			m->target = arena_alloc(&h->run->arena, strlen(s) + 2);
			memcpy(m->target, s, strlen(s));
			m->target[strlen(s)] = '%';
		}
		if ((s = ystr(ypath(status, "currentCPUUtilizationPercentage", NULL))) &&
		    strnum_double(s, strlen(s), &m->current_v) == 0) {
			m->have_current = 1;
			m->current_v /= 100;
			m->current = arena_alloc(&h->run->arena, strlen(s) + 2);
			memcpy(m->current, s, strlen(s));
			m->current[strlen(s)] = '%';
		}
	}
	conds = ypath(status, "conditions", NULL);
	for (i = 0; conds && conds->type == Y_SEQ && i < conds->n; i++) {
		if (conds->items[i]->type != Y_MAP)
			continue;
		if ((cd = hpa_coll_cond(h, &c, conds->items[i]->line)) == NULL)
			goto out;
		cd->origin.col = conds->items[i]->col;
		cd->type = ydup(h, ymap_get(conds->items[i], "type"));
		cd->status = ydup(h, ymap_get(conds->items[i], "status"));
		cd->reason = ydup(h, ymap_get(conds->items[i], "reason"));
		cd->message = ydup(h, ymap_get(conds->items[i], "message"));
	}
	n = ypath(ypath(o, "metadata", "annotations"), "autoscaling.alpha.kubernetes.io/conditions",
	    NULL);
	if (n && yconditions_json(h, &c, n) == -1)
		goto out;
	lst = ypath(status, "lastScaleTime", NULL);
	if ((s = ystr(lst)) != NULL) {
		if (time_parse_rfc3339(s, strlen(s), &t, &errcol) == -1) {
			diag_warning(h->path, lst->line, lst->col, "lastScaleTime %s is not an RFC 3339 "
			    "time; no scale event recorded", diag_q(s, (size_t)-1));
		} else if (c.st.have_current) {
			if (hpa_count_record(h, lst->line) == -1)
				goto out;
			e = hpa_add_event(h, c.st.name, lst->line, lst->col);
			e->have_t = 1;
			e->t = t;
			e->to = c.st.current;
		}
	}
	rc = hpa_coll_flush(h, &c);
out:
	hpa_coll_release(&c);
	return rc;
}

static int
import_tree(struct hctx *h, const struct ynode *root)
{
	const struct ynode *items, *k;
	const char *kind;
	size_t i;

	if (root == NULL || root->type != Y_MAP) {
		diag_error(h->path, root ? root->line : 1, root ? root->col : 1, "%s", NOTHPA);
		return -1;
	}
	kind = ystr(k = ymap_get(root, "kind"));
	items = ymap_get(root, "items");
	if ((kind && strcmp(kind, "List") == 0) || (kind == NULL && items)) {
		if (items == NULL || items->type != Y_SEQ) {
			diag_error(h->path, root->line, root->col, "expected `items:` as a list of "
			    "HorizontalPodAutoscaler objects");
			return -1;
		}
		if (items->n > LIM_HPA_OBJECTS) {
			diag_error(h->path, items->line, items->col, "more than %d HPAs in one input",
			    LIM_HPA_OBJECTS);
			return -1;
		}
		for (i = 0; i < items->n; i++) {
			const struct ynode *it = items->items[i];

			kind = ystr(ymap_get(it, "kind"));
			if (it->type != Y_MAP || (kind && strcmp(kind, "HorizontalPodAutoscaler"))) {
				diag_warning(h->path, it->line, it->col, "a list item that is not an "
				    "HorizontalPodAutoscaler; skipped");
				continue;
			}
			if (yobject(h, it) == -1)
				return -1;
		}
		return 0;
	}
	if (kind && strcmp(kind, "HorizontalPodAutoscaler") != 0) {
		diag_error(h->path, k->line, k->col, "%s; found kind %s", NOTHPA,
		    diag_q(kind, (size_t)-1));
		return -1;
	}
	if (kind == NULL && !ymap_get(root, "spec") && !ymap_get(root, "status")) {
		diag_error(h->path, root->line, root->col, "%s", NOTHPA);
		return -1;
	}
	return yobject(h, root);
}

/*
 * JSON into the same tree as YAML, so one walker reads both. cJSON parses
 * and decodes; a scanner over the (then known-good) text finds where each
 * value starts, in document order, which is the order of a pre-order walk
 * of cJSON's tree.
 */
struct jpos {
	long	line, col;
	size_t	off, len;	/* the value's text, for numbers and literals */
};

static int
jscan(const char *s, size_t n, struct jpos **out, size_t *nout, long *bad_line, long *bad_col)
{
	struct jpos *p = NULL;
	size_t np = 0, cap = 0, i = 0, st;
	long line = 1, col = 1;
	int depth = 0;
	char c;

	while (i < n) {
		c = s[i];
		if (c == '\n') {
			line++;
			col = 1;
			i++;
			continue;
		}
		/* cJSON skips every byte up to ' ' as whitespace, NUL included. */
		if ((unsigned char)c <= ' ' || c == ',' || c == ':') {
			i++;
			col++;
			continue;
		}
		if (c == '}' || c == ']') {
			depth--;
			i++;
			col++;
			continue;
		}
		if (c == '"') {
			/* A key is a string followed by ':'; values are recorded, keys are not. */
			st = i++;
			while (i < n && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			if (i < n)
				i++;
			{
				size_t j = i;

				while (j < n && (unsigned char)s[j] <= ' ')
					j++;
				if (j < n && s[j] == ':') {
					for (; st < i; st++)
						if ((s[st] & 0xc0) != 0x80)
							col++;
					continue;
				}
			}
			VEC_PUSH(p, np, cap);
			p[np - 1].line = line;
			p[np - 1].col = col;
			p[np - 1].off = st;
			p[np - 1].len = i - st;
			for (; st < i && st < n; st++)
				if ((s[st] & 0xc0) != 0x80)
					col++;
			continue;
		}
		VEC_PUSH(p, np, cap);
		p[np - 1].line = line;
		p[np - 1].col = col;
		p[np - 1].off = i;
		if (c == '{' || c == '[') {
			if (++depth > LIM_JSON_DEPTH) {
				*bad_line = line;
				*bad_col = col;
				free(p);
				return -1;
			}
			p[np - 1].len = 1;
			i++;
			col++;
			continue;
		}
		st = i++;
		while (i < n && (unsigned char)s[i] > ' ' && s[i] != ',' && s[i] != ':' &&
		    s[i] != ']' && s[i] != '}')
			i++;
		p[np - 1].len = i - st;
		col += (long)(i - st);
	}
	*out = p;
	*nout = np;
	return 0;
}

static struct ynode *
jtree(struct arena *a, const cJSON *j, const char *text, const struct jpos *p, size_t np,
    size_t *k)
{
	struct ynode *y = arena_alloc(a, sizeof *y);
	const cJSON *ch;
	size_t i = 0, cnt = 0;

	if (*k < np) {
		y->line = p[*k].line;
		y->col = p[*k].col;
	}
	(*k)++;
	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		cJSON_ArrayForEach(ch, j)
			cnt++;
		y->type = cJSON_IsObject(j) ? Y_MAP : Y_SEQ;
		if (cnt && y->type == Y_MAP)
			y->pairs = arena_alloc(a, cnt * sizeof *y->pairs);
		else if (cnt)
			y->items = arena_alloc(a, cnt * sizeof *y->items);
		cJSON_ArrayForEach(ch, j) {
			struct ynode *v = jtree(a, ch, text, p, np, k);

			if (y->type == Y_SEQ) {
				y->items[i++] = v;
				continue;
			}
			y->pairs[i].key = arena_alloc(a, sizeof *y->pairs[i].key);
			y->pairs[i].key->type = Y_SCALAR;
			y->pairs[i].key->value = arena_strdup(a, ch->string ? ch->string : "");
			y->pairs[i].key->len = strlen(y->pairs[i].key->value);
			y->pairs[i].key->line = v->line;
			y->pairs[i].key->col = v->col;
			y->pairs[i++].value = v;
		}
		y->n = i;
		return y;
	}
	y->type = Y_SCALAR;
	if (cJSON_IsString(j)) {
		y->value = arena_strdup(a, j->valuestring ? j->valuestring : "");
	} else if (*k - 1 < np) {
		y->value = arena_strndup(a, text + p[*k - 1].off, p[*k - 1].len);
		y->plain = 1;
	} else {
		y->value = arena_strdup(a, "");
		y->plain = 1;
	}
	y->len = strlen(y->value);
	return y;
}

int
hpa_import_json(struct hctx *h, const char *text, size_t n)
{
	struct jpos *p = NULL;
	size_t np = 0, k = 0, off;
	long bl, bc, line = 1, col = 1;
	const char *end = NULL;
	cJSON *root;
	struct arena a;
	int rc;

	root = json_parse(h->path, text, n, &end, &rc);
	if (root == NULL && rc)
		return -1;
	if (root == NULL) {
		off = end && end >= text && end <= text + n ? (size_t)(end - text) : 0;
		for (k = 0; k < off; k++)
			if (text[k] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)text[k] & 0xc0) != 0x80) {
				col++;
			}
		diag_error(h->path, line, col, "invalid JSON: cannot parse this");
		return -1;
	}
	for (off = (size_t)(end - text); off < n && (unsigned char)text[off] <= ' '; off++)
		;
	if (off < n) {
		cJSON_Delete(root);
		for (k = 0; k < off; k++)
			if (text[k] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)text[k] & 0xc0) != 0x80) {
				col++;
			}
		diag_error(h->path, line, col, "invalid JSON: text after the document");
		return -1;
	}
	if (jscan(text, n, &p, &np, &bl, &bc) == -1) {
		cJSON_Delete(root);
		diag_error(h->path, bl, bc, "JSON nested deeper than %d levels", LIM_JSON_DEPTH);
		return -1;
	}
	arena_init(&a);
	k = 0;
	rc = import_tree(h, jtree(&a, root, text, p, np, &k));
	arena_release(&a);
	cJSON_Delete(root);
	free(p);
	return rc;
}

int
hpa_import_yaml(struct hctx *h, const char *text, size_t n)
{
	struct ydoc d;
	int rc;

	if (ydoc_load(&d, h->path, text, n) == -1) {
		ydoc_release(&d);
		return -1;
	}
	rc = import_tree(h, d.root);
	ydoc_release(&d);
	return rc;
}
