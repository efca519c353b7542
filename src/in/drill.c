/*
 * drill.c — reads and validates drill.yaml. Every mistake is reported at
 * its line and column with what was expected. Owns the drill. Depends on
 * yamlr, timeutil, fsio; never on importers, evaluation or output. The
 * capture: block and the capture folder's files are in drill_capture.c.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "in/drill.h"
#include "in/drill_ctx.h"
#include "util/fsio.h"
#include "in/import.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "model/units.h"
#include "util/xalloc.h"
#include "util/suggest.h"
#include "util/tzname.h"
#include "util/yamlr.h"

static const char *const top_keys[] = {
	"drill", "date", "environment", "timezone", "slo", "faults", "evidence",
	"attachments", "interventions", "followups", "notes", "capture", NULL
};
const char *const drill_fault_keys[] = {"name", "script", "start", "end", NULL};
static const char *const evidence_keys[] = {"path", "kind", "captured_at", "series", "unit", NULL};
static const char *const intervention_keys[] = {"at", "what", NULL};
static const char *const followup_keys[] = {"id", "title", "owner", "due", "link", NULL};

int
drill_str(struct ctx *c, const struct ynode *n, const char *key, char **out)
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

int
drill_need(struct ctx *c, const struct ynode *map, const char *key, const char *what,
    const struct ynode **out)
{
	if ((*out = ymap_get(map, key)) == NULL) {
		diag_error(c->path, map->line, map->col, "%s without `%s:`", what, key);
		return -1;
	}
	return 0;
}

int
drill_when(struct ctx *c, const struct ynode *n, const char *key, int64_t *ms)
{
	size_t col = 0;

	if (n->type == Y_SCALAR && strncmp(n->value, "YYYY-", 5) == 0) {
		/* The placeholder `sloproof init` writes for the person to fill in. */
		diag_error(c->path, n->line, n->col, "%s: still the placeholder %s; write the time, "
		    "like 2026-11-28T10:12:00Z (RFC 3339; Z is UTC, or an offset like +03:30)", key,
		    diag_q(n->value, n->len));
		return -1;
	}
	if (n->type != Y_SCALAR ||
	    time_parse_rfc3339(n->value, n->len, ms, &col) == -1) {
		diag_error(c->path, n->line, n->col + (col ? (long)col - 1 : 0),
		    "%s: bad time %s; expected RFC 3339 with a zone, like 2026-11-28T10:12:00Z",
		    key, n->type == Y_SCALAR ? diag_q(n->value, n->len) : ynode_what(n));
		return -1;
	}
	return 0;
}

int
drill_day(struct ctx *c, const struct ynode *n, const char *key, int64_t *ms)
{
	if (n->type != Y_SCALAR || time_parse_date(n->value, n->len, ms) == -1) {
		diag_error(c->path, n->line, n->col, "%s: bad date %s; expected YYYY-MM-DD",
		    key, n->type == Y_SCALAR ? diag_q(n->value, n->len) : ynode_what(n));
		return -1;
	}
	return 0;
}

/* A path in the drill file, made relative to the current directory. */
int
drill_resolve(struct ctx *c, const struct ynode *n, const char *key, char **as_written, char **resolved)
{
	char *p;
	size_t len;

	if (drill_str(c, n, key, as_written) == -1)
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

int
drill_list(struct ctx *c, const struct ynode *n, const char *key)
{
	if (n->type != Y_SEQ) {
		diag_error(c->path, n->line, n->col, "%s: expected a list, found %s", key,
		    ynode_what(n));
		return -1;
	}
	return 0;
}

int
drill_faults(struct ctx *c, const struct ynode *seq)
{
	struct drill *d = c->d;
	const struct ynode *m, *n;
	size_t i, j;

	if (drill_list(c, seq, "faults") == -1)
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
		if (ymap_check_keys(c->path, m, drill_fault_keys, "a fault") == -1)
			return -1;
		f->line = m->line;
		f->col = m->col;
		if (drill_need(c, m, "name", "fault", &n) == -1 || drill_str(c, n, "name", &f->name) == -1)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(d->faults[j].name, f->name) == 0) {
				diag_error(c->path, n->line, n->col,
				    "duplicate fault name %s (first at line %ld)",
				    diag_q(f->name, (size_t)-1), d->faults[j].line);
				return -1;
			}
		if ((n = ymap_get(m, "script")) != NULL && drill_str(c, n, "script", &f->script) == -1)
			return -1;
		if (drill_need(c, m, "start", "fault", &n) == -1 || drill_when(c, n, "start", &f->start) == -1)
			return -1;
		if (drill_need(c, m, "end", "fault", &n) == -1 || drill_when(c, n, "end", &f->end) == -1)
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

	if (drill_list(c, seq, "evidence") == -1)
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
			if (drill_resolve(c, m, "evidence", &e->path, &e->resolved) == -1)
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
		if (drill_need(c, m, "path", "evidence entry", &n) == -1 ||
		    drill_resolve(c, n, "path", &e->path, &e->resolved) == -1)
			return -1;
		if ((n = ymap_get(m, "kind")) != NULL) {
			if (drill_str(c, n, "kind", &e->kind) == -1)
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
		if ((n = ymap_get(m, "series")) != NULL && drill_str(c, n, "series", &e->series) == -1)
			return -1;
		if ((n = ymap_get(m, "unit")) != NULL && drill_str(c, n, "unit", &e->unit) == -1)
			return -1;
		if ((n = ymap_get(m, "captured_at")) != NULL) {
			if (drill_when(c, n, "captured_at", &e->captured_at) == -1)
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

	if (drill_list(c, seq, "attachments") == -1)
		return -1;
	d->attachments = xcalloc(seq->n ? seq->n : 1, sizeof *d->attachments);
	for (i = 0; i < seq->n; i++) {
		struct attachment *a = &d->attachments[i];

		a->line = seq->items[i]->line;
		a->col = seq->items[i]->col;
		if (drill_resolve(c, seq->items[i], "attachments", &a->path, &a->resolved) == -1)
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

	if (drill_list(c, seq, "interventions") == -1)
		return -1;
	d->interventions = xcalloc(seq->n ? seq->n : 1, sizeof *d->interventions);
	for (i = 0; i < seq->n; i++) {
		struct intervention *iv = &d->interventions[i];

		m = seq->items[i];
		if (m->type == Y_SCALAR) {
			if (drill_str(c, m, "interventions", &iv->what) == -1)
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
		    drill_need(c, m, "what", "intervention", &n) == -1 || drill_str(c, n, "what", &iv->what) == -1)
			return -1;
		if ((n = ymap_get(m, "at")) != NULL) {
			if (drill_when(c, n, "at", &iv->at) == -1)
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

	if (drill_list(c, seq, "followups") == -1)
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
		    drill_need(c, m, "id", "follow-up", &n) == -1 || drill_str(c, n, "id", &f->id) == -1 ||
		    drill_need(c, m, "title", "follow-up", &n) == -1 || drill_str(c, n, "title", &f->title) == -1)
			return -1;
		if ((n = ymap_get(m, "owner")) != NULL && drill_str(c, n, "owner", &f->owner) == -1)
			return -1;
		if ((n = ymap_get(m, "link")) != NULL && drill_str(c, n, "link", &f->link) == -1)
			return -1;
		if ((n = ymap_get(m, "due")) != NULL) {
			if (drill_day(c, n, "due", &f->due) == -1)
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

	if (drill_str(c, n, "timezone", &c->d->timezone) == -1)
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
	if (!tzname_known(c->d->timezone)) {
		char hint[1024];

		if (tzname_suggest(c->d->timezone, hint, sizeof hint))
			diag_error(c->path, n->line, n->col, "timezone: %s is not a time zone in the "
			    "time zone database; %s", diag_q(c->d->timezone, (size_t)-1), hint);
		else
			diag_error(c->path, n->line, n->col, "timezone: %s is not a time zone in the "
			    "time zone database; expected an IANA name like Europe/Berlin, "
			    "Asia/Tehran or UTC (the names are the files under /usr/share/zoneinfo)",
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
	if (drill_need(&c, root, "drill", "drill file", &n) == -1 || drill_str(&c, n, "drill", &d->title) == -1)
		goto out;
	if ((n = ymap_get(root, "date")) != NULL) {
		if (drill_day(&c, n, "date", &d->date) == -1)
			goto out;
		d->have_date = 1;
	}
	if ((n = ymap_get(root, "environment")) != NULL && drill_str(&c, n, "environment", &d->environment) == -1)
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
			if (drill_resolve(&c, n->type == Y_SEQ ? n->items[i] : n, "slo", &slo_written,
			    &d->slo[d->nslo++]) == -1)
				goto out;
	}
	if ((n = ymap_get(root, "notes")) != NULL && drill_str(&c, n, "notes", &d->notes) == -1)
		goto out;
	if ((n = ymap_get(root, "faults")) != NULL && drill_faults(&c, n) == -1)
		goto out;
	if ((n = ymap_get(root, "evidence")) != NULL && evidence(&c, n) == -1)
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
	drill_output_dir(&c, "capture");
	if ((n = ymap_get(root, "capture")) != NULL && drill_capture_block(&c, n) == -1)
		goto out;
	rc = 0;
out:
	ydoc_release(&doc);
	if (rc == -1)
		drill_release(d);
	return rc;
}

/* The names in resolved's folder nearest to its last part, for "did you mean". */
static void
near_files(const char *resolved, char *dst, size_t n)
{
	char dir[4096];
	const char *slash = strrchr(resolved, '/'), **names = NULL;
	struct dirent *e;
	size_t nn = 0, cap = 0, i;
	DIR *dp;

	dst[0] = '\0';
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - resolved) : 1,
	    slash ? resolved : ".");
	if ((dp = opendir(dir)) == NULL)
		return;
	while ((e = readdir(dp)) != NULL && nn < 10000) {
		if (e->d_name[0] == '.')
			continue;
		if (nn == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof *names);
		}
		names[nn++] = xstrdup(e->d_name);
	}
	closedir(dp);
	if (suggest(slash ? slash + 1 : resolved, names, nn, "files", dst, n) == 0)
		dst[0] = '\0';
	for (i = 0; i < nn; i++)
		free((char *)names[i]);
	free(names);
}

/*
 * Every evidence and attachment file the drill names must be there: a
 * missing one is reported at the drill line that names it (with the near
 * names in its folder), all of them at once, before anything is imported.
 */
int
drill_check_files(const struct drill *d)
{
	char hint[1024], where[4096];
	size_t i;
	int rc = 0;

	for (i = 0; i < d->nevidence + d->nattachments; i++) {
		int ev = i < d->nevidence;
		const char *p = ev ? d->evidence[i].path : d->attachments[i - d->nevidence].path;
		const char *r = ev ? d->evidence[i].resolved : d->attachments[i - d->nevidence].resolved;
		long line = ev ? d->evidence[i].line : d->attachments[i - d->nevidence].line;
		long col = ev ? d->evidence[i].col : d->attachments[i - d->nevidence].col;

		if (fsio_exists(r))
			continue;
		near_files(r, hint, sizeof hint);
		/* Entries merged from the capture folder were named by its evidence.yaml. */
		if (ev && i >= d->nevidence - d->ncaptured)
			snprintf(where, sizeof where, "%s/evidence.yaml", d->capture.output);
		else
			snprintf(where, sizeof where, "%s", d->path);
		diag_error(where, line, col, "%s file %s is not there (looked for %s; paths are "
		    "relative to the drill file)%s%s", ev ? "evidence" : "attachment",
		    diag_q(p, (size_t)-1), diag_q(r, (size_t)-1), hint[0] ? "; " : "", hint);
		rc = -1;
	}
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
	if (rc == 0 && (drill_merge_faults(d) == -1 ||
	    drill_merge_evidence(d) == -1)) {
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
