/*
 * drill_glob.c — `evidence:` paths with wildcards (`k6/runner-*.ndjson.gz`):
 * the files of one run written by parallel load generators, named once.
 * Each pattern becomes one evidence entry per matching file, in byte
 * order of the names, carrying the pattern's options (kind, unit ...).
 * A pattern that matches nothing is an error: evidence that silently
 * vanished would turn into "no data" far from its cause. Owns nothing
 * beyond the drill's evidence array. Depends on diag and the drill.
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "in/drill.h"
#include "util/diag.h"
#include "util/splimits.h"
#include "util/xalloc.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
drill_expand_globs(struct drill *d, const char *drill_path)
{
	struct evidence_ref *out = NULL;
	size_t i, j, n = 0, cap = 0, skip;
	glob_t g;
	int rc;

	for (i = 0; i < d->nevidence; i++)
		if (strpbrk(d->evidence[i].path, "*?[") != NULL)
			break;
	if (i == d->nevidence)
		return 0;
	for (i = 0; i < d->nevidence; i++) {
		struct evidence_ref *e = &d->evidence[i];

		if (strpbrk(e->path, "*?[") == NULL) {
			xgrow((void **)&out, &cap, n + 1, sizeof *out);
			out[n++] = *e;
			continue;
		}
		memset(&g, 0, sizeof g);
		rc = glob(e->resolved, GLOB_ERR, NULL, &g);
		if (rc == GLOB_NOMATCH || (rc == 0 && g.gl_pathc == 0)) {
			diag_error(drill_path, e->line, e->col,
			    "evidence: no file matches %s", diag_q(e->path, (size_t)-1));
			goto fail;
		}
		if (rc != 0) {
			diag_error(drill_path, e->line, e->col, "evidence: cannot list the files of %s%s",
			    diag_q(e->path, (size_t)-1), rc == GLOB_NOSPACE ? ": out of memory" : "");
			goto fail;
		}
		if (n + g.gl_pathc > LIM_SOURCES) {
			diag_error(drill_path, e->line, e->col,
			    "evidence: %s matches %zu files; more than %d evidence files",
			    diag_q(e->path, (size_t)-1), (size_t)g.gl_pathc, LIM_SOURCES);
			goto fail;
		}
		qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, cmp_str);
		/* resolved = DIR/written: the match minus DIR/ is the path as the drill would write it. */
		skip = strlen(e->resolved) - strlen(e->path);
		for (j = 0; j < g.gl_pathc; j++) {
			xgrow((void **)&out, &cap, n + 1, sizeof *out);
			out[n] = *e;
			out[n].resolved = arena_strdup(&d->arena, g.gl_pathv[j]);
			out[n].path = arena_strdup(&d->arena, strlen(g.gl_pathv[j]) >= skip ?
			    g.gl_pathv[j] + skip : g.gl_pathv[j]);
			n++;
		}
		globfree(&g);
	}
	free(d->evidence);
	d->evidence = out;
	d->nevidence = n;
	return 0;
fail:
	globfree(&g);
	free(out);
	return -1;
}
