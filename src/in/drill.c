/*
 * drill.c — reads and validates drill.yaml. Every mistake is reported at
 * its line and column with what was expected. Owns the drill. Depends on
 * yamlr, timeutil, fsio; never on importers, evaluation or output.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "in/drill.h"
#include "util/fsio.h"
#include "in/import.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "model/units.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

static const char *const top_keys[] = {
	"drill", "date", "environment", "timezone", "slo", "faults", "evidence",
	"attachments", "interventions", "followups", "notes", "capture", NULL
};
static const char *const fault_keys[] = {"name", "script", "start", "end", NULL};
static const char *const evidence_keys[] = {"path", "kind", "captured_at", "series", "unit", NULL};
static const char *const intervention_keys[] = {"at", "what", NULL};
static const char *const followup_keys[] = {"id", "title", "owner", "due", "link", NULL};
static const char *const capture_keys[] = {"step", "prometheus", "alertmanager", "kubectl", "output", NULL};
static const char *const prom_keys[] = {"url", "queries", "auth", NULL};
static const char *const am_keys[] = {"url", "interval", "webhook_listen", "auth", NULL};
static const char *const kube_keys[] = {"namespace", "hpas", "interval", "command", NULL};
static const char *const auth_keys[] = {
	"bearer_token_env", "bearer_token_file", "basic_user", "basic_password_env", NULL
};
static const char *const captured_keys[] = {"path", "kind", "captured_at", NULL};

struct ctx {
	struct drill	*d;
	const char	*path;
	char		*dir;	/* the drill file's directory, "" for the current one */
};

static int
str(struct ctx *c, const struct ynode *n, const char *key, char **out)
{
	if (n->type != Y_SCALAR || ynode_is_null(n)) {
		diag_error(c->path, n->line, n->col, "%s: expected a value, found %s", key,
		    n->type == Y_SCALAR ? "nothing" : ynode_what(n));
		return -1;
	}
	if (memchr(n->value, '\0', n->len) != NULL) {
		diag_error(c->path, n->line, n->col, "%s: the value contains a NUL byte", key);
		return -1;
	}
	*out = arena_strndup(&c->d->arena, n->value, n->len);
	return 0;
}

static int
need(struct ctx *c, const struct ynode *map, const char *key, const char *what,
    const struct ynode **out)
{
	if ((*out = ymap_get(map, key)) == NULL) {
		diag_error(c->path, map->line, map->col, "%s without `%s:`", what, key);
		return -1;
	}
	return 0;
}

static int
when(struct ctx *c, const struct ynode *n, const char *key, int64_t *ms)
{
	size_t col = 0;

	if (n->type != Y_SCALAR ||
	    time_parse_rfc3339(n->value, n->len, ms, &col) == -1) {
		diag_error(c->path, n->line, n->col + (col ? (long)col - 1 : 0),
		    "%s: bad time %s; expected RFC 3339 with a zone, like 2026-11-28T10:12:00Z",
		    key, n->type == Y_SCALAR ? diag_q(n->value, n->len) : ynode_what(n));
		return -1;
	}
	return 0;
}

static int
day(struct ctx *c, const struct ynode *n, const char *key, int64_t *ms)
{
	if (n->type != Y_SCALAR || time_parse_date(n->value, n->len, ms) == -1) {
		diag_error(c->path, n->line, n->col, "%s: bad date %s; expected YYYY-MM-DD",
		    key, n->type == Y_SCALAR ? diag_q(n->value, n->len) : ynode_what(n));
		return -1;
	}
	return 0;
}

/* A path in the drill file, made relative to the current directory. */
static int
resolve(struct ctx *c, const struct ynode *n, const char *key, char **as_written, char **resolved)
{
	char *p;
	size_t len;

	if (str(c, n, key, as_written) == -1)
		return -1;
	p = *as_written;
	if (*p == '/' || *c->dir == '\0') {
		*resolved = p;
		return 0;
	}
	len = strlen(c->dir) + strlen(p) + 2;
	*resolved = arena_alloc(&c->d->arena, len);
	snprintf(*resolved, len, "%s/%s", c->dir, p);
	return 0;
}

static int
list(struct ctx *c, const struct ynode *n, const char *key)
{
	if (n->type != Y_SEQ) {
		diag_error(c->path, n->line, n->col, "%s: expected a list, found %s", key,
		    ynode_what(n));
		return -1;
	}
	return 0;
}

static int
faults(struct ctx *c, const struct ynode *seq)
{
	struct drill *d = c->d;
	const struct ynode *m, *n;
	size_t i, j;

	if (list(c, seq, "faults") == -1)
		return -1;
	d->faults = xcalloc(seq->n ? seq->n : 1, sizeof *d->faults);
	for (i = 0; i < seq->n; i++) {
		struct fault *f = &d->faults[i];

		m = seq->items[i];
		if (m->type != Y_MAP) {
			diag_error(c->path, m->line, m->col,
			    "each fault must be a mapping with name, start and end; found %s",
			    ynode_what(m));
			return -1;
		}
		if (ymap_check_keys(c->path, m, fault_keys, "a fault") == -1)
			return -1;
		f->line = m->line;
		f->col = m->col;
		if (need(c, m, "name", "fault", &n) == -1 || str(c, n, "name", &f->name) == -1)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(d->faults[j].name, f->name) == 0) {
				diag_error(c->path, n->line, n->col,
				    "duplicate fault name %s (first at line %ld)",
				    diag_q(f->name, (size_t)-1), d->faults[j].line);
				return -1;
			}
		if ((n = ymap_get(m, "script")) != NULL && str(c, n, "script", &f->script) == -1)
			return -1;
		if (need(c, m, "start", "fault", &n) == -1 || when(c, n, "start", &f->start) == -1)
			return -1;
		if (need(c, m, "end", "fault", &n) == -1 || when(c, n, "end", &f->end) == -1)
			return -1;
		if (f->end < f->start) {
			diag_error(c->path, n->line, n->col, "end: fault %s ends before it starts",
			    diag_q(f->name, (size_t)-1));
			return -1;
		}
		d->nfaults++;
	}
	return 0;
}

static int
evidence(struct ctx *c, const struct ynode *seq)
{
	struct drill *d = c->d;
	const struct ynode *m, *n;
	size_t i, k;
	int ok;

	if (list(c, seq, "evidence") == -1)
		return -1;
	if (seq->n > LIM_SOURCES) {
		diag_error(c->path, seq->line, seq->col, "more than %d evidence files", LIM_SOURCES);
		return -1;
	}
	d->evidence = xcalloc(seq->n ? seq->n : 1, sizeof *d->evidence);
	for (i = 0; i < seq->n; i++) {
		struct evidence_ref *e = &d->evidence[i];

		m = seq->items[i];
		e->line = m->line;
		e->col = m->col;
		if (m->type == Y_SCALAR) {
			if (resolve(c, m, "evidence", &e->path, &e->resolved) == -1)
				return -1;
			d->nevidence++;
			continue;
		}
		if (m->type != Y_MAP) {
			diag_error(c->path, m->line, m->col,
			    "evidence: expected a path or a mapping with `path:`, found %s",
			    ynode_what(m));
			return -1;
		}
		if (ymap_check_keys(c->path, m, evidence_keys, "an evidence entry") == -1)
			return -1;
		if (need(c, m, "path", "evidence entry", &n) == -1 ||
		    resolve(c, n, "path", &e->path, &e->resolved) == -1)
			return -1;
		if ((n = ymap_get(m, "kind")) != NULL) {
			if (str(c, n, "kind", &e->kind) == -1)
				return -1;
			for (k = 0, ok = 0; import_kinds[k] && !ok; k++)
				ok = strcmp(import_kinds[k], e->kind) == 0;
			if (!ok) {
				char list[128];
				size_t off = 0;

				for (k = 0; import_kinds[k] && off < sizeof list; k++)
					off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
					    k ? ", " : "", import_kinds[k]);
				diag_error(c->path, n->line, n->col,
				    "kind: sloproof cannot import %s evidence; it reads: %s",
				    diag_q(e->kind, (size_t)-1), list);
				return -1;
			}
		}
		if ((n = ymap_get(m, "series")) != NULL && str(c, n, "series", &e->series) == -1)
			return -1;
		if ((n = ymap_get(m, "unit")) != NULL && str(c, n, "unit", &e->unit) == -1)
			return -1;
		if ((n = ymap_get(m, "captured_at")) != NULL) {
			if (when(c, n, "captured_at", &e->captured_at) == -1)
				return -1;
			e->have_captured_at = 1;
		}
		d->nevidence++;
	}
	return 0;
}

static int
attachments(struct ctx *c, const struct ynode *seq)
{
	struct drill *d = c->d;
	size_t i;

	if (list(c, seq, "attachments") == -1)
		return -1;
	d->attachments = xcalloc(seq->n ? seq->n : 1, sizeof *d->attachments);
	for (i = 0; i < seq->n; i++) {
		struct attachment *a = &d->attachments[i];

		a->line = seq->items[i]->line;
		a->col = seq->items[i]->col;
		if (resolve(c, seq->items[i], "attachments", &a->path, &a->resolved) == -1)
			return -1;
		d->nattachments++;
	}
	return 0;
}

static int
interventions(struct ctx *c, const struct ynode *seq)
{
	struct drill *d = c->d;
	const struct ynode *m, *n;
	size_t i;

	if (list(c, seq, "interventions") == -1)
		return -1;
	d->interventions = xcalloc(seq->n ? seq->n : 1, sizeof *d->interventions);
	for (i = 0; i < seq->n; i++) {
		struct intervention *iv = &d->interventions[i];

		m = seq->items[i];
		if (m->type == Y_SCALAR) {
			if (str(c, m, "interventions", &iv->what) == -1)
				return -1;
			d->ninterventions++;
			continue;
		}
		if (m->type != Y_MAP) {
			diag_error(c->path, m->line, m->col,
			    "interventions: expected text or a mapping with `what:` and `at:`, found %s",
			    ynode_what(m));
			return -1;
		}
		if (ymap_check_keys(c->path, m, intervention_keys, "an intervention") == -1 ||
		    need(c, m, "what", "intervention", &n) == -1 || str(c, n, "what", &iv->what) == -1)
			return -1;
		if ((n = ymap_get(m, "at")) != NULL) {
			if (when(c, n, "at", &iv->at) == -1)
				return -1;
			iv->have_at = 1;
		}
		d->ninterventions++;
	}
	return 0;
}

static int
followups(struct ctx *c, const struct ynode *seq)
{
	struct drill *d = c->d;
	const struct ynode *m, *n;
	size_t i;

	if (list(c, seq, "followups") == -1)
		return -1;
	d->followups = xcalloc(seq->n ? seq->n : 1, sizeof *d->followups);
	for (i = 0; i < seq->n; i++) {
		struct followup *f = &d->followups[i];

		m = seq->items[i];
		if (m->type != Y_MAP) {
			diag_error(c->path, m->line, m->col,
			    "each follow-up must be a mapping with id and title; found %s",
			    ynode_what(m));
			return -1;
		}
		if (ymap_check_keys(c->path, m, followup_keys, "a follow-up") == -1 ||
		    need(c, m, "id", "follow-up", &n) == -1 || str(c, n, "id", &f->id) == -1 ||
		    need(c, m, "title", "follow-up", &n) == -1 || str(c, n, "title", &f->title) == -1)
			return -1;
		if ((n = ymap_get(m, "owner")) != NULL && str(c, n, "owner", &f->owner) == -1)
			return -1;
		if ((n = ymap_get(m, "link")) != NULL && str(c, n, "link", &f->link) == -1)
			return -1;
		if ((n = ymap_get(m, "due")) != NULL) {
			if (day(c, n, "due", &f->due) == -1)
				return -1;
			f->have_due = 1;
		}
		d->nfollowups++;
	}
	return 0;
}

static int
timezone_name(struct ctx *c, const struct ynode *n)
{
	const char *p;

	if (str(c, n, "timezone", &c->d->timezone) == -1)
		return -1;
	for (p = c->d->timezone; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			break;
	if (*p || strstr(c->d->timezone, "..") || c->d->timezone[0] == '/') {
		diag_error(c->path, n->line, n->col,
		    "timezone: %s is not a time zone name; expected an IANA name like Asia/Tehran or UTC",
		    diag_q(c->d->timezone, (size_t)-1));
		return -1;
	}
	return 0;
}


/* A duration like 5s or 1m, at least 1 s and at most a day. */
static int
span(struct ctx *c, const struct ynode *n, const char *key, int64_t *ms)
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

	if (str(c, n, key, out) == -1)
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

	if (str(c, n, key, out) == -1)
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
		if (resolve(c, n, "bearer_token_file", &written, &a->bearer_token_file) == -1)
			return -1;
		ways++;
	}
	if ((n = ymap_get(m, "basic_user")) != NULL) {
		if (str(c, n, "basic_user", &a->basic_user) == -1)
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

	if (need(c, m, "url", "capture.prometheus", &n) == -1 || url(c, n, "url", &cc->prom_url) == -1)
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
		if (str(c, q->pairs[i].value, cq->name, &cq->expr) == -1)
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

	if (str(c, n, "webhook_listen", &v) == -1)
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

	if ((n = ymap_get(m, "namespace")) != NULL && str(c, n, "namespace", &cc->kube_namespace) == -1)
		return -1;
	if ((n = ymap_get(m, "command")) != NULL && str(c, n, "command", &cc->kube_command) == -1)
		return -1;
	if ((n = ymap_get(m, "interval")) != NULL && span(c, n, "interval", &cc->kube_interval) == -1)
		return -1;
	if (need(c, m, "hpas", "capture.kubectl", &n) == -1 || list(c, n, "hpas") == -1)
		return -1;
	if (n->n == 0 || n->n > LIM_CAPTURE_HPAS) {
		diag_error(c->path, n->line, n->col, "hpas: expected 1 to %d HPA names", LIM_CAPTURE_HPAS);
		return -1;
	}
	cc->hpas = xcalloc(n->n, sizeof *cc->hpas);
	for (i = 0; i < n->n; i++) {
		const struct ynode *h = n->items[i];

		if (str(c, h, "hpas", &cc->hpas[i]) == -1)
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

static void
output_dir(struct ctx *c, const char *written)
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

static int
capture(struct ctx *c, const struct ynode *m)
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
	if ((n = ymap_get(m, "step")) != NULL && span(c, n, "step", &cc->step) == -1)
		return -1;
	if ((n = ymap_get(m, "output")) != NULL) {
		if (resolve(c, n, "output", &written, &tmp) == -1)
			return -1;
		output_dir(c, written);
	}
	if (section(c, m, "prometheus", prom_keys, &s) == -1 || (s && prometheus(c, s) == -1))
		return -1;
	if (section(c, m, "alertmanager", am_keys, &s) == -1)
		return -1;
	if (s) {
		if (need(c, s, "url", "capture.alertmanager", &n) == -1 || url(c, n, "url", &cc->am_url) == -1)
			return -1;
		if ((n = ymap_get(s, "interval")) != NULL && span(c, n, "interval", &cc->am_interval) == -1)
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
	if (list(&c, seq, "faults") == -1)
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
		if (ymap_check_keys(path, m, fault_keys, "a fault") == -1 ||
		    need(&c, m, "name", "fault", &n) == -1 || str(&c, n, "name", &f->name) == -1)
			goto out;
		for (j = 0; j < nf; j++)
			if (strcmp(fs[j].name, f->name) == 0) {
				diag_error(path, n->line, n->col, "duplicate fault name %s (first at line %ld)",
				    diag_q(f->name, (size_t)-1), fs[j].line);
				goto out;
			}
		f->line = m->line;
		f->col = m->col;
		if (need(&c, m, "start", "fault", &n) == -1 || when(&c, n, "start", &f->start) == -1)
			goto out;
		if ((n = ymap_get(m, "end")) == NULL && open_ok) {
			f->end = INT64_MAX;
		} else if (n == NULL) {
			diag_warning(path, m->line, m->col, "fault %s has a start and no end "
			    "(no `capture --mark %s:end`); left out", diag_q(f->name, (size_t)-1), f->name);
			continue;
		} else if (when(&c, n, "end", &f->end) == -1) {
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

static int
merge_faults(struct drill *d)
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

static int
merge_evidence(struct drill *d)
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
	if (list(&c, seq, "evidence") == -1)
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
		    need(&c, m, "path", "evidence entry", &n) == -1 || str(&c, n, "path", &p) == -1)
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
		if (need(&c, m, "kind", "evidence entry", &n) == -1 || str(&c, n, "kind", &e->kind) == -1)
			goto out;
		if ((n = ymap_get(m, "captured_at")) != NULL) {
			if (when(&c, n, "captured_at", &e->captured_at) == -1)
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

int
drill_parse(struct drill *d, const char *path, const char *text, size_t len)
{
	struct ydoc doc;
	const struct ynode *root, *n;
	struct ctx c;
	const char *slash;
	char *slo_written;
	int rc = -1;

	memset(d, 0, sizeof *d);
	arena_init(&d->arena);
	d->path = arena_strdup(&d->arena, path);
	c.d = d;
	c.path = path;
	slash = strrchr(path, '/');
	c.dir = arena_strndup(&d->arena, path, slash ? (size_t)(slash - path) : 0);
	if (slash == path)
		c.dir = arena_strdup(&d->arena, "/");
	if (ydoc_load(&doc, path, text, len) == -1) {
		drill_release(d);
		return -1;
	}
	root = doc.root;
	if (root == NULL || root->type != Y_MAP) {
		diag_error(path, root ? root->line : 0, root ? root->col : 0,
		    "expected a drill: a mapping with at least `drill:` (the title) and `evidence:`");
		goto out;
	}
	if (ymap_check_keys(path, root, top_keys, "the drill file") == -1)
		goto out;
	if (need(&c, root, "drill", "drill file", &n) == -1 || str(&c, n, "drill", &d->title) == -1)
		goto out;
	if ((n = ymap_get(root, "date")) != NULL) {
		if (day(&c, n, "date", &d->date) == -1)
			goto out;
		d->have_date = 1;
	}
	if ((n = ymap_get(root, "environment")) != NULL && str(&c, n, "environment", &d->environment) == -1)
		goto out;
	if ((n = ymap_get(root, "timezone")) != NULL && timezone_name(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "slo")) != NULL) {
		/* One file, or a list: the playbook's load SLOs plus a drill's own. */
		size_t i, count = n->type == Y_SEQ ? n->n : 1;

		d->slo_line = n->line;
		d->slo_col = n->col;
		if (count > LIM_SLO_FILES) {
			diag_error(path, n->line, n->col, "slo: more than %d files", LIM_SLO_FILES);
			goto out;
		}
		d->slo = xcalloc(count ? count : 1, sizeof *d->slo);
		for (i = 0; i < count; i++)
			if (resolve(&c, n->type == Y_SEQ ? n->items[i] : n, "slo", &slo_written,
			    &d->slo[d->nslo++]) == -1)
				goto out;
	}
	if ((n = ymap_get(root, "notes")) != NULL && str(&c, n, "notes", &d->notes) == -1)
		goto out;
	if ((n = ymap_get(root, "faults")) != NULL && faults(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "evidence")) != NULL &&
	    (evidence(&c, n) == -1 || drill_expand_globs(d, path) == -1))
		goto out;
	if ((n = ymap_get(root, "attachments")) != NULL && attachments(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "interventions")) != NULL && interventions(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "followups")) != NULL && followups(&c, n) == -1)
		goto out;
	d->capture.step = 15000;
	d->capture.am_interval = 5000;
	d->capture.kube_interval = 15000;
	d->capture.kube_command = arena_strdup(&d->arena, "kubectl");
	output_dir(&c, "capture");
	if ((n = ymap_get(root, "capture")) != NULL && capture(&c, n) == -1)
		goto out;
	rc = 0;
out:
	ydoc_release(&doc);
	if (rc == -1)
		drill_release(d);
	return rc;
}

int
drill_load(struct drill *d, const char *path)
{
	struct buf b;
	int rc;

	memset(d, 0, sizeof *d);
	buf_init(&b, LIM_RULES_BYTES);
	if (fsio_read(path, LIM_RULES_BYTES, &b, NULL, NULL) == -1) {
		buf_release(&b);
		return -1;
	}
	rc = drill_parse(d, path, buf_str(&b), b.len);
	buf_release(&b);
	if (rc == 0 && (merge_faults(d) == -1 || merge_evidence(d) == -1)) {
		drill_release(d);
		return -1;
	}
	return rc;
}

void
drill_release(struct drill *d)
{
	free(d->slo);
	free(d->faults);
	free(d->evidence);
	free(d->attachments);
	free(d->interventions);
	free(d->followups);
	free(d->capture.queries);
	free(d->capture.hpas);
	arena_release(&d->arena);
	memset(d, 0, sizeof *d);
}

void
drill_slug(const char *title, char *out, size_t n)
{
	size_t j = 0, max = n - 1 < LIM_SLUG ? n - 1 : LIM_SLUG;
	int dash = 0;

	for (; *title && j < max; title++) {
		unsigned char ch = (unsigned char)*title;

		if (ch < 0x80 && isalnum(ch)) {
			if (dash && j > 0 && j < max - 1)
				out[j++] = '-';
			dash = 0;
			out[j++] = (char)tolower(ch);
		} else {
			dash = 1;
		}
	}
	while (j > 0 && out[j - 1] == '-')
		j--;
	out[j] = '\0';
	if (j == 0)
		snprintf(out, n, "drill");
}
