/*
 * drill.c — reads and validates drill.yaml. Every mistake is reported at
 * its line and column with what was expected. Owns the drill. Depends on
 * yamlr, timeutil, fsio; never on importers, evaluation or output.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "drill.h"
#include "fsio.h"
#include "import.h"
#include "splimits.h"
#include "timeutil.h"
#include "xalloc.h"
#include "yamlr.h"

static const char *const top_keys[] = {
	"drill", "date", "environment", "timezone", "slo", "faults", "evidence",
	"attachments", "interventions", "followups", "notes", "capture", NULL
};
static const char *const fault_keys[] = {"name", "script", "start", "end", NULL};
static const char *const evidence_keys[] = {"path", "kind", "captured_at", NULL};
static const char *const intervention_keys[] = {"at", "what", NULL};
static const char *const followup_keys[] = {"id", "title", "owner", "due", "link", NULL};

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
				    "kind: sloproof cannot import %s evidence yet; it reads: %s",
				    diag_q(e->kind, (size_t)-1), list);
				return -1;
			}
		}
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
		if (resolve(&c, n, "slo", &slo_written, &d->slo) == -1)
			goto out;
		d->slo_line = n->line;
		d->slo_col = n->col;
	}
	if ((n = ymap_get(root, "notes")) != NULL && str(&c, n, "notes", &d->notes) == -1)
		goto out;
	if ((n = ymap_get(root, "faults")) != NULL && faults(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "evidence")) != NULL && evidence(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "attachments")) != NULL && attachments(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "interventions")) != NULL && interventions(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "followups")) != NULL && followups(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "capture")) != NULL && n->type != Y_MAP) {
		diag_error(path, n->line, n->col, "capture: expected a mapping, found %s", ynode_what(n));
		goto out;
	}
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
	return rc;
}

void
drill_release(struct drill *d)
{
	free(d->faults);
	free(d->evidence);
	free(d->attachments);
	free(d->interventions);
	free(d->followups);
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
