/*
 * publish.c — publish_push() and publish_grafana() (publish.h). The bundle
 * is read as written (the same bytes the manifest hashes); the grouping key
 * of a push comes from the folder name and from the environment label the
 * bundle's own results.prom carries, so a push of an old bundle lands
 * where the push of a new one would. Depends on bundle (verify), httpc,
 * fsio, diag and cJSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jobs/publish.h"
#include "jobs/bundle.h"
#include "jobs/httpc.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"

static int
verified(const char *dir)
{
	struct buf out;
	int r;

	buf_init(&out, 1u << 20);
	r = bundle_verify(dir, &out);
	if (r == 1)
		diag_error(dir, 0, 0, "the bundle does not match its MANIFEST.sha256; not published "
		    "(see `sloproof verify %s`)", dir);
	buf_release(&out);
	return r == 0 ? 0 : -1;
}

static int
read_member(const char *dir, const char *name, struct buf *b)
{
	char path[4200];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	buf_init(b, LIM_INPUT_BYTES);
	if (!fsio_exists(path)) {
		diag_error(path, 0, 0, "no %s in this bundle (it was made before sloproof wrote one; "
		    "bundle the drill again)", name);
		return -1;
	}
	return fsio_read(path, LIM_INPUT_BYTES, b, NULL, NULL);
}

/* The folder name: the drill's slug, with any -N suffix. */
static void
slug_of(const char *dir, char *out, size_t n)
{
	size_t len = strlen(dir);
	const char *s;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	for (s = dir + len; s > dir && s[-1] != '/'; s--)
		;
	snprintf(out, n, "%.*s", (int)(len - (size_t)(s - dir)), s);
}

/* The environment label of results.prom's sloproof_drill_passed sample, unescaped. */
static void
env_of(const char *prom, char *out, size_t n)
{
	const char *p = strstr(prom, "\nsloproof_drill_passed{"), *e;
	size_t o = 0;

	out[0] = '\0';
	if (p == NULL || (e = strstr(p, ",environment=\"")) == NULL || strchr(p + 1, '\n') < e)
		return;
	for (e += 14; *e && *e != '"' && o + 1 < n; e++) {
		if (*e == '\\' && e[1]) {
			e++;
			out[o++] = *e == 'n' ? '\n' : *e;
		} else {
			out[o++] = *e;
		}
	}
	out[o] = '\0';
}

static void
b64url(const char *s, char *out, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i, o = 0;
	unsigned long v;

	for (i = 0; i < len && o + 5 < n; i += 3) {
		v = (unsigned long)p[i] << 16 | (i + 1 < len ? (unsigned long)p[i + 1] << 8 : 0) |
		    (i + 2 < len ? p[i + 2] : 0);
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = i + 1 < len ? al[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? al[v & 63] : '=';
	}
	out[o] = '\0';
}

static void
base_url(const char *url, char *out, size_t n)
{
	size_t len = strlen(url);

	while (len > 0 && url[len - 1] == '/')
		len--;
	snprintf(out, n, "%.*s", (int)len, url);
}

int
publish_push(const char *dir, const char *url, char *where, size_t wn)
{
	struct http_req req;
	struct buf prom, resp;
	char slug[512], env[512], env64[800], base[2048], err[512];
	long status;
	int rc = -1;

	where[0] = '\0';
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		diag_error(NULL, 0, 0, "--push %s: expected an http:// or https:// URL of a Pushgateway",
		    diag_q(url, 200));
		return -1;
	}
	if (verified(dir) == -1)
		return -1;
	if (read_member(dir, "results.prom", &prom) == -1) {
		buf_release(&prom);
		return -1;
	}
	slug_of(dir, slug, sizeof slug);
	env_of(buf_str(&prom), env, sizeof env);
	base_url(url, base, sizeof base);
	if (env[0]) {
		b64url(env, env64, sizeof env64);
		snprintf(where, wn, "%s/metrics/job/sloproof/drill/%s/environment@base64/%s", base, slug, env64);
	} else {
		snprintf(where, wn, "%s/metrics/job/sloproof/drill/%s", base, slug);
	}
	memset(&req, 0, sizeof req);
	req.method = "PUT";
	req.url = where;
	req.content_type = "text/plain; version=0.0.4; charset=utf-8";
	req.body = buf_str(&prom);
	req.len = prom.len;
	buf_init(&resp, LIM_HTTP_BODY);
	if (http_send(&req, &status, &resp, err, sizeof err) == -1)
		diag_syserr(NULL, "push to %s failed: %s", where, err);
	else
		rc = 0;
	buf_release(&resp);
	buf_release(&prom);
	return rc;
}

int
publish_grafana(const char *dir, const char *url, const char *token, size_t *posted)
{
	struct http_req req;
	struct buf ann, resp;
	cJSON *arr, *el;
	char base[2048], target[2100], err[512], path[4200];
	char *body;
	long status;
	int rc = 0;

	*posted = 0;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		diag_error(NULL, 0, 0, "--grafana %s: expected the http:// or https:// URL of Grafana",
		    diag_q(url, 200));
		return -1;
	}
	if (verified(dir) == -1)
		return -1;
	if (read_member(dir, "annotations.json", &ann) == -1) {
		buf_release(&ann);
		return -1;
	}
	snprintf(path, sizeof path, "%s/annotations.json", dir);
	arr = cJSON_ParseWithLength(buf_str(&ann), ann.len);
	buf_release(&ann);
	if (!cJSON_IsArray(arr)) {
		diag_error(path, 0, 0, "not a JSON array of annotations");
		cJSON_Delete(arr);
		return -1;
	}
	base_url(url, base, sizeof base);
	snprintf(target, sizeof target, "%s/api/annotations", base);
	buf_init(&resp, LIM_HTTP_BODY);
	cJSON_ArrayForEach(el, arr) {
		if ((body = cJSON_PrintUnformatted(el)) == NULL) {
			diag_syserr(NULL, "out of memory");
			rc = -1;
			break;
		}
		memset(&req, 0, sizeof req);
		req.method = "POST";
		req.url = target;
		req.content_type = "application/json";
		req.bearer = token;
		req.body = body;
		req.len = strlen(body);
		if (http_send(&req, &status, &resp, err, sizeof err) == -1) {
			diag_syserr(NULL, "POST %s (annotation %zu of %d) failed: %s", target, *posted + 1,
			    cJSON_GetArraySize(arr), err);
			free(body);
			rc = -1;
			break;
		}
		free(body);
		(*posted)++;
	}
	buf_release(&resp);
	cJSON_Delete(arr);
	return rc;
}
