/*
 * drill_capture.c — the drill file's `capture:` block (what `sloproof
 * capture` records: Prometheus queries, Alertmanager, kubectl, where) and
 * what capture left in the capture folder (faults.yaml, evidence.yaml),
 * merged into the drill by drill_load. Split from drill.c; shares its
 * reading context (drill_ctx.h). Depends on yamlr, timeutil, fsio.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "in/drill.h"
#include "in/drill_ctx.h"
#include "in/import.h"
#include "model/units.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

static const char *const capture_keys[] = {"step", "prometheus", "alertmanager", "kubectl", "output", NULL};
static const char *const prom_keys[] = {"url", "queries", "auth", NULL};
static const char *const am_keys[] = {"url", "interval", "webhook_listen", "auth", NULL};
static const char *const kube_keys[] = {"namespace", "hpas", "interval", "command", NULL};
static const char *const auth_keys[] = {
	"bearer_token_env", "bearer_token_file", "basic_user", "basic_password_env", NULL
};
static const char *const captured_keys[] = {"path", "kind", "captured_at", NULL};

/* A duration like 5s or 1m, at least 1 s and at most a day. */
static int
drill_span(struct ctx *c, const struct ynode *n, const char *key, int64_t *ms)
{
	struct quantity q;

	if (n->type != Y_SCALAR || unit_parse(n->value, &q) == -1 || q.unit != UNIT_MS ||
	    q.v < 1000 || q.v > 86400000.0) {
		diag_error(c->path, n->line, n->col,
		    "%s: bad interval %s; expected a duration from 1s to 24h, like 5s or 1m", key,
		    n->type == Y_SCALAR ? diag_q(n->value, n->len) : ynode_what(n));
		return -1;
	}
	*ms = (int64_t)q.v;
	return 0;
}

/* An http(s) URL without credentials in it (they belong under auth:). */
static int
url(struct ctx *c, const struct ynode *n, const char *key, char **out)
{
	const char *p, *host;

	if (drill_str(c, n, key, out) == -1)
		return -1;
	p = *out;
	if (strncmp(p, "http://", 7) != 0 && strncmp(p, "https://", 8) != 0) {
		diag_error(c->path, n->line, n->col,
		    "%s: %s is not an http:// or https:// URL", key, diag_q(p, (size_t)-1));
		return -1;
	}
	host = strstr(p, "//") + 2;
	if (memchr(host, '@', strcspn(host, "/?#")) != NULL) {
		/* Never quote it: it holds a password. */
		diag_error(c->path, n->line, n->col,
		    "%s: the URL carries credentials; name them under `auth:` instead "
		    "(bearer_token_env, bearer_token_file, basic_user + basic_password_env)", key);
		return -1;
	}
	for (; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			diag_error(c->path, n->line, n->col, "%s: the URL contains a space or a control character", key);
			return -1;
		}
	while (strlen(*out) > 8 && (*out)[strlen(*out) - 1] == '/')
		(*out)[strlen(*out) - 1] = '\0';
	return 0;
}

/* An environment variable's name: the drill file never holds the secret itself. */
static int
env_name(struct ctx *c, const struct ynode *n, const char *key, char **out)
{
	const char *p;

	if (drill_str(c, n, key, out) == -1)
		return -1;
	for (p = *out; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_'))
			break;
	if (*p || **out == '\0' || isdigit((unsigned char)**out)) {
		/* Not quoted: someone may have pasted the secret here. */
		diag_error(c->path, n->line, n->col,
		    "%s: expected the NAME of an environment variable (letters, digits, _), "
		    "not the secret itself", key);
		return -1;
	}
	return 0;
}

static int
auth(struct ctx *c, const struct ynode *m, struct capture_auth *a)
{
	const struct ynode *n;
	char *written;
	int ways = 0;

	if (m->type != Y_MAP) {
		diag_error(c->path, m->line, m->col, "auth: expected a mapping, found %s", ynode_what(m));
		return -1;
	}
	if (ymap_check_keys(c->path, m, auth_keys, "auth") == -1)
		return -1;
	if ((n = ymap_get(m, "bearer_token_env")) != NULL) {
		if (env_name(c, n, "bearer_token_env", &a->bearer_token_env) == -1)
			return -1;
		ways++;
	}
	if ((n = ymap_get(m, "bearer_token_file")) != NULL) {
		if (drill_resolve(c, n, "bearer_token_file", &written, &a->bearer_token_file) == -1)
			return -1;
		ways++;
	}
	if ((n = ymap_get(m, "basic_user")) != NULL) {
		if (drill_str(c, n, "basic_user", &a->basic_user) == -1)
			return -1;
		if ((n = ymap_get(m, "basic_password_env")) == NULL) {
			diag_error(c->path, m->line, m->col,
			    "auth: basic_user without basic_password_env (the NAME of the variable holding the password)");
			return -1;
		}
		if (env_name(c, n, "basic_password_env", &a->basic_password_env) == -1)
			return -1;
		ways++;
	} else if ((n = ymap_get(m, "basic_password_env")) != NULL) {
		diag_error(c->path, n->line, n->col, "auth: basic_password_env without basic_user");
		return -1;
	}
	if (ways != 1) {
		diag_error(c->path, m->line, m->col, ways ? "auth: give one of bearer_token_env, "
		    "bearer_token_file or basic_user, not several" : "auth: expected bearer_token_env, "
		    "bearer_token_file or basic_user + basic_password_env");
		return -1;
	}
	return 0;
}

static int
section(struct ctx *c, const struct ynode *root, const char *key, const char *const keys[],
    const struct ynode **out)
{
	*out = ymap_get(root, key);
	if (*out == NULL)
		return 0;
	if ((*out)->type != Y_MAP) {
		diag_error(c->path, (*out)->line, (*out)->col, "capture.%s: expected a mapping, found %s",
		    key, ynode_what(*out));
		return -1;
	}
	return ymap_check_keys(c->path, *out, keys, key);
}

static int
safe_file_name(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '.' || strlen(s) > 128)
		return 0;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("_.-", *p) == NULL)
			return 0;
	return 1;
}

static int
prometheus(struct ctx *c, const struct ynode *m)
{
	struct capture_cfg *cc = &c->d->capture;
	const struct ynode *n, *q;
	size_t i;

	if (drill_need(c, m, "url", "capture.prometheus", &n) == -1 || url(c, n, "url", &cc->prom_url) == -1)
		return -1;
	if ((n = ymap_get(m, "auth")) != NULL && auth(c, n, &cc->prom_auth) == -1)
		return -1;
	if ((q = ymap_get(m, "queries")) == NULL)
		return 0;
	if (q->type != Y_MAP) {
		diag_error(c->path, q->line, q->col,
		    "queries: expected a mapping of names to PromQL, found %s", ynode_what(q));
		return -1;
	}
	if (q->n > LIM_CAPTURE_QUERIES) {
		diag_error(c->path, q->line, q->col, "queries: more than %d", LIM_CAPTURE_QUERIES);
		return -1;
	}
	cc->queries = xcalloc(q->n + 1, sizeof *cc->queries);
	for (i = 0; i < q->n; i++) {
		struct capture_query *cq = &cc->queries[i];
		const struct ynode *k = q->pairs[i].key;

		cq->line = k->line;
		cq->col = k->col;
		cq->name = arena_strndup(&c->d->arena, k->value, k->len);
		if (!safe_file_name(cq->name) || strcmp(cq->name, "ALERTS") == 0 ||
		    strcmp(cq->name, "ALERTS_FOR_STATE") == 0) {
			diag_error(c->path, k->line, k->col,
			    "queries: %s cannot name a file; use letters, digits, _ . - "
			    "(ALERTS and ALERTS_FOR_STATE are always captured)", diag_q(k->value, k->len));
			return -1;
		}
		if (drill_str(c, q->pairs[i].value, cq->name, &cq->expr) == -1)
			return -1;
		cc->nqueries++;
	}
	return 0;
}

static int
listen_addr(struct ctx *c, const struct ynode *n)
{
	struct capture_cfg *cc = &c->d->capture;
	char *v, *colon;
	long long port;

	if (drill_str(c, n, "webhook_listen", &v) == -1)
		return -1;
	colon = strrchr(v, ':');
	if (colon == NULL || strnum_ll(colon + 1, strlen(colon + 1), &port) == -1 ||
	    port < 1 || port > 65535) {
		diag_error(c->path, n->line, n->col,
		    "webhook_listen: bad address %s; expected 127.0.0.1:PORT", diag_q(v, (size_t)-1));
		return -1;
	}
	*colon = '\0';
	if (strcmp(v, "127.0.0.1") != 0 && strcmp(v, "localhost") != 0 && strcmp(v, "[::1]") != 0) {
		diag_error(c->path, n->line, n->col,
		    "webhook_listen: %s is not a loopback address; the receiver listens on 127.0.0.1, "
		    "localhost or [::1] only", diag_q(v, (size_t)-1));
		return -1;
	}
	cc->webhook_host = strcmp(v, "localhost") == 0 ? arena_strdup(&c->d->arena, "127.0.0.1") : v;
	cc->webhook_port = (int)port;
	return 0;
}

static int
kubectl(struct ctx *c, const struct ynode *m)
{
	struct capture_cfg *cc = &c->d->capture;
	const struct ynode *n;
	size_t i, j;

	if ((n = ymap_get(m, "namespace")) != NULL && drill_str(c, n, "namespace", &cc->kube_namespace) == -1)
		return -1;
	if ((n = ymap_get(m, "command")) != NULL && drill_str(c, n, "command", &cc->kube_command) == -1)
		return -1;
	if ((n = ymap_get(m, "interval")) != NULL && drill_span(c, n, "interval", &cc->kube_interval) == -1)
		return -1;
	if (drill_need(c, m, "hpas", "capture.kubectl", &n) == -1 || drill_list(c, n, "hpas") == -1)
		return -1;
	if (n->n == 0 || n->n > LIM_CAPTURE_HPAS) {
		diag_error(c->path, n->line, n->col, "hpas: expected 1 to %d HPA names", LIM_CAPTURE_HPAS);
		return -1;
	}
	cc->hpas = xcalloc(n->n, sizeof *cc->hpas);
	for (i = 0; i < n->n; i++) {
		const struct ynode *h = n->items[i];

		if (drill_str(c, h, "hpas", &cc->hpas[i]) == -1)
			return -1;
		/* A Kubernetes object name (RFC 1123): also safe as a file name and as an argument. */
		if (!safe_file_name(cc->hpas[i]) || cc->hpas[i][0] == '-') {
			diag_error(c->path, h->line, h->col, "hpas: %s is not an HPA name",
			    diag_q(h->value, h->len));
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(cc->hpas[j], cc->hpas[i]) == 0) {
				diag_error(c->path, h->line, h->col, "hpas: %s is listed twice",
				    diag_q(h->value, h->len));
				return -1;
			}
		cc->nhpas++;
	}
	return 0;
}

void
drill_output_dir(struct ctx *c, const char *written)
{
	size_t len;

	if (*written == '/' || *c->dir == '\0') {
		c->d->capture.output = arena_strdup(&c->d->arena, written);
		return;
	}
	len = strlen(c->dir) + strlen(written) + 2;
	c->d->capture.output = arena_alloc(&c->d->arena, len);
	snprintf(c->d->capture.output, len, "%s/%s", c->dir, written);
}

int
drill_capture_block(struct ctx *c, const struct ynode *m)
{
	struct capture_cfg *cc = &c->d->capture;
	const struct ynode *n, *s;
	char *written, *tmp;

	if (m->type != Y_MAP) {
		diag_error(c->path, m->line, m->col, "capture: expected a mapping, found %s", ynode_what(m));
		return -1;
	}
	if (ymap_check_keys(c->path, m, capture_keys, "capture") == -1)
		return -1;
	cc->present = 1;
	cc->line = m->line;
	cc->col = m->col;
	if ((n = ymap_get(m, "step")) != NULL && drill_span(c, n, "step", &cc->step) == -1)
		return -1;
	if ((n = ymap_get(m, "output")) != NULL) {
		if (drill_resolve(c, n, "output", &written, &tmp) == -1)
			return -1;
		drill_output_dir(c, written);
	}
	if (section(c, m, "prometheus", prom_keys, &s) == -1 || (s && prometheus(c, s) == -1))
		return -1;
	if (section(c, m, "alertmanager", am_keys, &s) == -1)
		return -1;
	if (s) {
		if (drill_need(c, s, "url", "capture.alertmanager", &n) == -1 || url(c, n, "url", &cc->am_url) == -1)
			return -1;
		if ((n = ymap_get(s, "interval")) != NULL && drill_span(c, n, "interval", &cc->am_interval) == -1)
			return -1;
		if ((n = ymap_get(s, "webhook_listen")) != NULL && listen_addr(c, n) == -1)
			return -1;
		if ((n = ymap_get(s, "auth")) != NULL && auth(c, n, &cc->am_auth) == -1)
			return -1;
	}
	if (section(c, m, "kubectl", kube_keys, &s) == -1 || (s && kubectl(c, s) == -1))
		return -1;
	if (cc->prom_url == NULL && cc->am_url == NULL && cc->nhpas == 0) {
		diag_error(c->path, m->line, m->col,
		    "capture: nothing to record; expected prometheus:, alertmanager: or kubectl:");
		return -1;
	}
	return 0;
}

/* ---- what `sloproof capture` left in the capture folder ---------------- */

int
drill_parse_faults(struct arena *a, const char *path, const char *text, size_t len, int open_ok,
    struct fault **out, size_t *nout)
{
	struct ydoc doc;
	struct drill tmp;
	struct ctx c;
	const struct ynode *seq, *m, *n;
	struct fault *fs = NULL;
	size_t i, j, nf = 0;
	int rc = -1;
	char empty[1] = "";

	*out = NULL;
	*nout = 0;
	memset(&tmp, 0, sizeof tmp);
	arena_init(&tmp.arena);
	c.d = &tmp;
	c.path = path;
	c.dir = empty;
	if (ydoc_load(&doc, path, text, len) == -1) {
		arena_release(&tmp.arena);
		return -1;
	}
	seq = doc.root;
	if (seq == NULL) {
		rc = 0;
		goto out;
	}
	if (drill_list(&c, seq, "faults") == -1)
		goto out;
	if (seq->n > LIM_FAULTS) {
		diag_error(path, seq->line, seq->col, "more than %d faults", LIM_FAULTS);
		goto out;
	}
	fs = xcalloc(seq->n + 1, sizeof *fs);
	for (i = 0; i < seq->n; i++) {
		struct fault *f = &fs[nf];

		m = seq->items[i];
		if (m->type != Y_MAP) {
			diag_error(path, m->line, m->col, "each fault must be a mapping with name, start and end; found %s",
			    ynode_what(m));
			goto out;
		}
		if (ymap_check_keys(path, m, drill_fault_keys, "a fault") == -1 ||
		    drill_need(&c, m, "name", "fault", &n) == -1 || drill_str(&c, n, "name", &f->name) == -1)
			goto out;
		for (j = 0; j < nf; j++)
			if (strcmp(fs[j].name, f->name) == 0) {
				diag_error(path, n->line, n->col, "duplicate fault name %s (first at line %ld)",
				    diag_q(f->name, (size_t)-1), fs[j].line);
				goto out;
			}
		f->line = m->line;
		f->col = m->col;
		if (drill_need(&c, m, "start", "fault", &n) == -1 || drill_when(&c, n, "start", &f->start) == -1)
			goto out;
		if ((n = ymap_get(m, "end")) == NULL && open_ok) {
			f->end = INT64_MAX;
		} else if (n == NULL) {
			diag_warning(path, m->line, m->col, "fault %s has a start and no end "
			    "(no `capture --mark %s:end`); left out", diag_q(f->name, (size_t)-1), f->name);
			continue;
		} else if (drill_when(&c, n, "end", &f->end) == -1) {
			goto out;
		} else if (f->end < f->start) {
			diag_error(path, n->line, n->col, "end: fault %s ends before it starts",
			    diag_q(f->name, (size_t)-1));
			goto out;
		}
		f->name = arena_strdup(a, f->name);
		nf++;
	}
	rc = 0;
out:
	ydoc_release(&doc);
	arena_release(&tmp.arena);
	if (rc == 0) {
		*out = fs;
		*nout = nf;
	} else {
		free(fs);
	}
	return rc;
}

/* Joins the capture folder and a name into the drill's arena. */
static char *
in_output(struct drill *d, const char *name)
{
	size_t len = strlen(d->capture.output) + strlen(name) + 2;
	char *p = arena_alloc(&d->arena, len);

	snprintf(p, len, "%s/%s", d->capture.output, name);
	return p;
}

static int
read_captured(const char *path, struct buf *b)
{
	buf_init(b, LIM_RULES_BYTES);
	if (!fsio_exists(path))
		return 0;
	return fsio_read(path, LIM_RULES_BYTES, b, NULL, NULL) == -1 ? -1 : 1;
}

int
drill_merge_faults(struct drill *d)
{
	char *path = in_output(d, "faults.yaml");
	struct fault *fs;
	struct buf b;
	size_t i, j, nf;
	int r;

	if ((r = read_captured(path, &b)) <= 0) {
		buf_release(&b);
		return r;
	}
	r = drill_parse_faults(&d->arena, path, buf_str(&b), b.len, 0, &fs, &nf);
	buf_release(&b);
	if (r == -1)
		return -1;
	d->faults = xreallocarray(d->faults, d->nfaults + nf + 1, sizeof *d->faults);
	for (i = 0; i < nf; i++) {
		for (j = 0; j < d->nfaults; j++)
			if (strcmp(d->faults[j].name, fs[i].name) == 0)
				break;
		if (j < d->nfaults) {
			if (d->faults[j].start != fs[i].start || d->faults[j].end != fs[i].end)
				diag_warning(d->path, d->faults[j].line, d->faults[j].col,
				    "fault %s is also in %s with other times; the drill file's are used",
				    diag_q(fs[i].name, (size_t)-1), path);
			continue;
		}
		d->faults[d->nfaults++] = fs[i];
	}
	free(fs);
	return 0;
}

static int
kind_known(const char *k)
{
	size_t i;

	for (i = 0; import_kinds[i]; i++)
		if (strcmp(import_kinds[i], k) == 0)
			return 1;
	return 0;
}

int
drill_merge_evidence(struct drill *d)
{
	char *path = in_output(d, "evidence.yaml"), *p;
	struct ydoc doc;
	struct ctx c;
	const struct ynode *seq, *m, *n;
	struct buf b;
	size_t i, j;
	int r, rc = -1;

	if ((r = read_captured(path, &b)) <= 0) {
		buf_release(&b);
		return r;
	}
	if (ydoc_load(&doc, path, buf_str(&b), b.len) == -1) {
		buf_release(&b);
		return -1;
	}
	buf_release(&b);
	c.d = d;
	c.path = path;
	c.dir = d->capture.output;
	seq = doc.root;
	if (seq == NULL) {
		rc = 0;
		goto out;
	}
	if (drill_list(&c, seq, "evidence") == -1)
		goto out;
	if (d->nevidence + seq->n > LIM_SOURCES) {
		diag_error(path, seq->line, seq->col, "more than %d evidence files with the drill's", LIM_SOURCES);
		goto out;
	}
	d->evidence = xreallocarray(d->evidence, d->nevidence + seq->n + 1, sizeof *d->evidence);
	for (i = 0; i < seq->n; i++) {
		struct evidence_ref *e = &d->evidence[d->nevidence];

		memset(e, 0, sizeof *e);
		m = seq->items[i];
		if (m->type != Y_MAP) {
			diag_error(path, m->line, m->col, "evidence: expected a mapping with `path:`, found %s",
			    ynode_what(m));
			goto out;
		}
		if (ymap_check_keys(path, m, captured_keys, "a captured evidence entry") == -1 ||
		    drill_need(&c, m, "path", "evidence entry", &n) == -1 || drill_str(&c, n, "path", &p) == -1)
			goto out;
		if (*p == '/' || strstr(p, "..") != NULL) {
			diag_error(path, n->line, n->col, "path: %s is outside the capture folder",
			    diag_q(p, (size_t)-1));
			goto out;
		}
		e->line = m->line;
		e->col = m->col;
		e->resolved = in_output(d, p);
		e->path = e->resolved;
		if (drill_need(&c, m, "kind", "evidence entry", &n) == -1 || drill_str(&c, n, "kind", &e->kind) == -1)
			goto out;
		if ((n = ymap_get(m, "captured_at")) != NULL) {
			if (drill_when(&c, n, "captured_at", &e->captured_at) == -1)
				goto out;
			e->have_captured_at = 1;
		}
		for (j = 0; j < d->nevidence; j++)
			if (strcmp(d->evidence[j].resolved, e->resolved) == 0)
				break;
		if (j < d->nevidence)
			continue;	/* the drill lists it itself, maybe with options */
		if (!kind_known(e->kind)) {
			diag_warning(path, m->line, m->col, "this sloproof cannot import %s evidence yet; "
			    "%s left out", diag_q(e->kind, (size_t)-1), diag_q(p, (size_t)-1));
			continue;
		}
		d->nevidence++;
		d->ncaptured++;
	}
	rc = 0;
out:
	ydoc_release(&doc);
	return rc;
}

