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

#include "buf.h"
#include "diag.h"
#include "eval.h"
#include "out_json.h"
#include "run.h"
#include "slo.h"
#include "strnum.h"
#include "units.h"
#include "utf8.h"

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
	put(o, "limit", jnum(r->limit), failed);
	put(o, "op", jstr(cmp_op_str(r->op)), failed);
	put(o, "warn", r->have_warn ? jnum(r->warn) : cJSON_CreateNull(), failed);
	put(o, "unit", jstr(unit_name(v->unit)), failed);
	put(o, "samples", v->have_samples ? jint(v->samples) :
	    cJSON_CreateNull(), failed);
	put(o, "source", jsource(&v->evidence, run), failed);
	put(o, "k6_threshold", jthreshold(v->k6, failed), failed);
	put(o, "message", jstrn(v->message, strnlen(v->message, sizeof v->message)),
	    failed);
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

int
out_json_check(const struct verdicts *vs, const struct run *run, struct buf *out)
{
	cJSON *root, *slos, *o;
	char *flat = NULL;
	size_t i, start = out->len;
	int failed = 0;

	root = cJSON_CreateObject();
	slos = cJSON_CreateArray();
	if (root == NULL || slos == NULL)
		failed = 1;
	else
		put(root, "slos", slos, &failed);
	for (i = 0; !failed && i < vs->n; i++) {
		o = jverdict(&vs->v[i], run, &failed);
		if (o == NULL || !cJSON_AddItemToArray(slos, o)) {
			cJSON_Delete(o);
			failed = 1;
		}
	}
	if (!failed)
		flat = cJSON_PrintUnformatted(root);
	if (root == NULL)
		cJSON_Delete(slos);
	cJSON_Delete(root);
	if (flat == NULL) {
		diag_syserr(NULL, "cannot build the JSON report: out of memory");
		return -1;
	}
	if (pretty(out, flat) == -1) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		diag_error(NULL, 0, 0, "the JSON report is larger than the limit of %zu bytes",
		    out->max);
		cJSON_free(flat);
		return -1;
	}
	cJSON_free(flat);
	return 0;
}
