/*
 * in_prom.c — Prometheus HTTP API answers into series: the JSON of
 * /api/v1/query_range (resultType "matrix") as `sloproof capture` writes
 * it byte for byte, and of /api/v1/query ("vector", one point per series).
 *
 *	{"status":"success","data":{"resultType":"matrix","result":[
 *	  {"metric":{"__name__":"up","job":"api"},"values":[[1732788720.5,"0.231"],...]}]}}
 *
 * One series per result. Its name is the evidence entry's `series:`, else
 * the file's name without .json (capture names each file after its query,
 * so the name is the one the drill file gave the PromQL), else __name__;
 * the labels other than __name__ follow as {k="v",...}. Values are strings
 * ("NaN", "+Inf" are Prometheus's gaps and are left out, never zero). The
 * unit comes from `unit:` on the entry, else from a Prometheus name suffix
 * (_seconds → ms, _milliseconds, _bytes, _ratio).
 *
 * Owns nothing past a call: the cJSON tree is freed and every string kept
 * is copied into run->arena. Depends on run, diag, strnum, units and
 * cJSON; must not depend on other importers, evaluation or renderers.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/jsonpos.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/jsonlim.h"
#include "in/import.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "model/units.h"
#include "util/xalloc.h"

struct prom {
	struct run		*run;
	int			 src;
	const char		*path;
	const struct import_opts *o;
	const char		*base;		/* the name every series gets before its labels */
	double			 factor;	/* to the canonical unit */
	enum unit		 unit;
	int			 unit_known;
	size_t			 skipped;	/* NaN and infinite samples left out */
};

static int
is_metric_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != ':')
			return 0;
	return 1;
}

/* The unit a Prometheus name says, by its suffix (naming best practices); 0 when none. */
static int
unit_from_name(const char *name, double *factor, enum unit *unit)
{
	static const struct {
		const char	*suffix;
		double		 factor;
		enum unit	 unit;
	} sfx[] = {
		{"_seconds", 1000, UNIT_MS}, {"_milliseconds", 1, UNIT_MS}, {"_ms", 1, UNIT_MS},
		{"_bytes", 1, UNIT_BYTES}, {"_ratio", 1, UNIT_RATIO},
	};
	size_t i, n = strlen(name), k;
	const char *brace = strchr(name, '{');

	if (brace)
		n = (size_t)(brace - name);
	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		k = strlen(sfx[i].suffix);
		/* histogram_quantile over _seconds_bucket is still seconds. */
		if ((n >= k && memcmp(name + n - k, sfx[i].suffix, k) == 0) ||
		    (n >= k + 7 && memcmp(name + n - k - 7, sfx[i].suffix, k) == 0 &&
		    memcmp(name + n - 7, "_bucket", 7) == 0)) {
			*factor = sfx[i].factor;
			*unit = sfx[i].unit;
			return 1;
		}
	}
	return 0;
}

static int
one_series(struct prom *p, const cJSON *r, int vector, size_t idx)
{
	const cJSON *metric, *vals, *v, *lab;
	struct series *s;
	struct buf name;
	struct label *labels = NULL;
	const char *base = p->base;
	size_t nl = 0, i, cap = 0;
	uint32_t line = 1;
	double factor;
	int rc = -1;

	metric = cJSON_GetObjectItemCaseSensitive(r, "metric");
	vals = cJSON_GetObjectItemCaseSensitive(r, vector ? "value" : "values");
	if (!cJSON_IsObject(r) || (metric && !cJSON_IsObject(metric)) ||
	    (vector ? !cJSON_IsArray(vals) : !cJSON_IsArray(vals))) {
		diag_error(p->path, 0, 0, "data.result[%zu]: expected {\"metric\": {...}, \"%s\": [...]}",
		    idx, vector ? "value" : "values");
		return -1;
	}
	cJSON_ArrayForEach(lab, metric) {
		if (!cJSON_IsString(lab)) {
			diag_error(p->path, 0, 0, "data.result[%zu].metric.%s: expected a string label value",
			    idx, lab->string);
			goto out;
		}
		if (strcmp(lab->string, "__name__") == 0) {
			if (base == NULL)
				base = lab->valuestring;
			continue;
		}
		VEC_PUSH(labels, nl, cap)->key = lab->string;
		labels[nl - 1].value = lab->valuestring;
	}
	if (base == NULL)
		base = "value";
	if (nl > 1)
		qsort(labels, nl, sizeof *labels, label_cmp);
	buf_init(&name, LIM_NAME);
	buf_addstr(&name, base);
	for (i = 0; i < nl; i++)
		buf_printf(&name, "%s%s=\"%s\"", i ? "," : "{", labels[i].key, labels[i].value);
	if (nl && buf_addc(&name, '}') == -1) {
		diag_error(p->path, 0, 0, "data.result[%zu]: the series name is longer than %d bytes",
		    idx, LIM_NAME);
		buf_release(&name);
		goto out;
	}
	s = run_add_series(p->run);
	s->name = arena_strndup(&p->run->arena, buf_str(&name), name.len);
	buf_release(&name);
	s->sel.name = arena_strdup(&p->run->arena, base);
	s->sel.nlabels = nl;
	s->sel.labels = arena_alloc(&p->run->arena, (nl ? nl : 1) * sizeof *s->sel.labels);
	for (i = 0; i < nl; i++) {
		s->sel.labels[i].key = arena_strdup(&p->run->arena, labels[i].key);
		s->sel.labels[i].value = arena_strdup(&p->run->arena, labels[i].value);
	}
	factor = p->factor;
	s->unit = p->unit;
	s->unit_known = p->unit_known;
	if (!p->unit_known)
		s->unit_known = unit_from_name(base, &factor, &s->unit);
	s->unit_scale = factor;
	s->origin.src = p->src;
	s->origin.line = 1;
	s->origin.col = 1;
	for (i = 0, v = vector ? vals : vals->child; v; v = vector ? NULL : v->next, i++) {
		const cJSON *t = cJSON_GetArrayItem(v, 0), *x = cJSON_GetArrayItem(v, 1);
		double d;

		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsNumber(t) ||
		    !cJSON_IsString(x)) {
			diag_error(p->path, 0, 0, "data.result[%zu].%s[%zu]: expected [UNIX_TIME, \"VALUE\"]",
			    idx, vector ? "value" : "values", i);
			goto out;
		}
		if (strnum_double(x->valuestring, strlen(x->valuestring), &d) == -1) {
			if (strcmp(x->valuestring, "NaN") == 0 || strcmp(x->valuestring, "+Inf") == 0 ||
			    strcmp(x->valuestring, "-Inf") == 0) {
				p->skipped++;
				continue;
			}
			diag_error(p->path, 0, 0, "data.result[%zu].%s[%zu]: %s is not a number",
			    idx, vector ? "value" : "values", i, diag_q(x->valuestring, (size_t)-1));
			goto out;
		}
		/* Years 0 to 9999: anything else is no Prometheus time (and would overflow ms). */
		if (!(t->valuedouble >= -62167219200.0 && t->valuedouble <= 253402300799.0)) {
			diag_error(p->path, 0, 0, "data.result[%zu].%s[%zu]: %g is not a Unix time",
			    idx, vector ? "value" : "values", i, t->valuedouble);
			goto out;
		}
		series_add_point(s, (int64_t)llround(t->valuedouble * 1000.0), d * factor, line);
	}
	series_finish(s);
	rc = 0;
out:
	free(labels);
	return rc;
}

int
in_prom_import(struct run *run, int src, const struct import_opts *o, const char *path,
    const char *data, size_t len)
{
	struct prom p;
	cJSON *root;
	const cJSON *status, *d, *type, *result, *r;
	const char *end = NULL, *slash, *stem;
	char base[LIM_NAME];
	size_t n, idx = 0;
	long line, col;
	int vector, rc = -1;

	memset(&p, 0, sizeof p);
	p.run = run;
	p.src = src;
	p.path = path;
	p.o = o;
	p.factor = 1;
	if (o->series) {
		p.base = o->series;
	} else {
		slash = strrchr(path, '/');
		stem = slash ? slash + 1 : path;
		n = strlen(stem);
		if (n > 5 && strcmp(stem + n - 5, ".json") == 0)
			n -= 5;
		if (n < sizeof base && is_metric_name(stem, n)) {
			memcpy(base, stem, n);
			base[n] = '\0';
			p.base = base;
		}
	}
	if (o->unit) {
		/* The same words as `unit:` on a rule: s, ms, %, ratio, bytes ... */
		if (unit_word(o->unit, strlen(o->unit), &p.unit, &p.factor) == -1) {
			diag_error(path, 0, 0, "unit: %s is not a unit; expected ns, us, ms, s, m, h, "
			    "%%, ratio, B, bytes, kB, MB or none", diag_q(o->unit, (size_t)-1));
			return -1;
		}
		p.unit_known = 1;
	}
	{
		int reported;

		root = json_parse(path, data, len, &end, &reported);
		if (root == NULL && reported)
			return -1;
	}
	if (root == NULL) {
		json_line_col(data, end && end >= data && end <= data + len ? (size_t)(end - data) : 0, &line, &col);
		diag_error(path, line, col, "invalid JSON; expected a Prometheus API answer");
		return -1;
	}
	status = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!cJSON_IsString(status) || strcmp(status->valuestring, "success") != 0) {
		const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");

		diag_error(path, 0, 0, "the Prometheus answer is not a success%s%s",
		    cJSON_IsString(err) ? ": " : "", cJSON_IsString(err) ? diag_q(err->valuestring, (size_t)-1) : "");
		goto out;
	}
	d = cJSON_GetObjectItemCaseSensitive(root, "data");
	type = cJSON_GetObjectItemCaseSensitive(d, "resultType");
	result = cJSON_GetObjectItemCaseSensitive(d, "result");
	if (!cJSON_IsString(type) || !cJSON_IsArray(result) ||
	    (strcmp(type->valuestring, "matrix") != 0 && strcmp(type->valuestring, "vector") != 0)) {
		diag_error(path, 0, 0, "expected data.resultType \"matrix\" (query_range) or \"vector\" "
		    "(query) with a data.result list");
		goto out;
	}
	vector = strcmp(type->valuestring, "vector") == 0;
	if (cJSON_GetArraySize(result) > LIM_PROM_SERIES) {
		diag_error(path, 0, 0, "more than %d series in one answer", LIM_PROM_SERIES);
		goto out;
	}
	run->sources[src].format = arena_strdup(&run->arena, vector ? "prometheus-query" :
	    "prometheus-query-range");
	cJSON_ArrayForEach(r, result)
		if (one_series(&p, r, vector, idx++) == -1)
			goto out;
	if (p.skipped)
		diag_warning(path, 0, 0, "%zu NaN or infinite samples left out (gaps, not zeros)", p.skipped);
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

static int
has(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, w, k) == 0)
			return 1;
	return 0;
}

int
in_prom_sniff(const char *data, size_t len)
{
	size_t n = len < 4096 ? len : 4096, i = 0;

	while (i < n && isspace((unsigned char)data[i]))
		i++;
	if (i == n || data[i] != '{')
		return 0;
	return has(data, n, "\"resultType\"") && has(data, n, "\"status\"");
}
