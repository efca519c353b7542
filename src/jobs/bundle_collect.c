/*
 * bundle_collect.c — the first step of bundle_make (bundle_parts.h): the
 * drill's plan through the one pipeline (`check DRILL.yaml` runs the same
 * plan), each input read once and hashed, confined to the drill's roots;
 * the names its stored copies take; the attachments read and hashed; the
 * verdicts; the bundle's date and base slug. Reads, never writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "jobs/bundle_parts.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

const char *const bundle_reserved[] = {
	"drill.yaml", "drill.orig.yaml", "report.md", "report.html", "timeline.md",
	"status-update.md", "release-log.md", "status-update.txt", "release-log.txt",
	"evidence.md", "review.md", "summary.json", "junit.xml", "ctrf.json",
	"results.prom", "results.om.txt", "annotations.json",
	"MANIFEST.sha256", "MANIFEST.sha256.sig", "index.md", "evidence", "attachments", "charts",
};
const size_t bundle_nreserved = sizeof bundle_reserved / sizeof bundle_reserved[0];

static int
isalnum_ascii(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_image(const char *name)
{
	static const char *const ext[] = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", NULL};
	size_t i, n = strlen(name), e;

	for (i = 0; ext[i]; i++) {
		e = strlen(ext[i]);
		if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/*
 * A file name safe in any bundle: the basename, bytes outside
 * [A-Za-z0-9._-] replaced by '_', no leading dot, bounded; unique within
 * taken[] by a -2, -3 ... before the extension.
 */
static char *
safe_name(struct arena *a, const char *path, char **taken, size_t ntaken)
{
	const char *base = strrchr(path, '/');
	char name[300], cand[320], *dot;
	size_t i, j = 0;
	int k, clash;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && j < sizeof name - 1; i++) {
		unsigned char c = (unsigned char)base[i];

		name[j++] = (c < 0x80 && (isalnum_ascii(c) || c == '.' || c == '-' || c == '_')) ?
		    (char)c : '_';
	}
	name[j] = '\0';
	if (j > 100) {
		/* Cut the stem, keep the extension (up to 16 bytes): it says what the file is. */
		const char *ext = strrchr(name, '.');
		size_t elen = ext && ext != name && strlen(ext) <= 16 ? strlen(ext) : 0;

		memmove(name + 100 - elen, name + j - elen, elen + 1);
		j = 100;
	}
	for (i = 0; name[i] == '.'; i++)
		name[i] = '_';
	if (j == 0)
		snprintf(name, sizeof name, "input");
	for (k = 1; ; k++) {
		if (k == 1) {
			snprintf(cand, sizeof cand, "%s", name);
		} else {
			dot = strrchr(name, '.');
			if (dot && dot != name)
				snprintf(cand, sizeof cand, "%.*s-%d%s", (int)(dot - name), name, k, dot);
			else
				snprintf(cand, sizeof cand, "%s-%d", name, k);
		}
		for (i = 0, clash = 0; i < ntaken && !clash; i++)
			clash = strcmp(taken[i], cand) == 0;
		if (!clash)
			return arena_strdup(a, cand);
	}
}

static int
pick_date(const struct drill *d, const struct run *run, const struct bundle_opts *o,
    int64_t generated_at, char out[11])
{
	int64_t ms = 0, t;
	size_t i;
	int have = 0;

	if (o->date) {
		if (time_parse_date(o->date, strlen(o->date), &t) == -1) {
			diag_error(NULL, 0, 0, "--date: bad date %s; expected YYYY-MM-DD",
			    diag_q(o->date, (size_t)-1));
			return -1;
		}
		ms = t;
		have = 1;
	} else if (d->have_date) {
		ms = d->date;
		have = 1;
	}
	/* Else the UTC date of the first evidence: a fault's start, or a file's own time. */
	for (i = 0; !have && i < d->nfaults; i++)
		if (i == 0 || d->faults[i].start < ms)
			ms = d->faults[i].start;
	have = have || d->nfaults > 0;
	for (i = 0; !have && i < run->nsources; i++)
		if (run->sources[i].have_generated_at) {
			ms = run->sources[i].generated_at;
			have = 1;
		}
	if (!have)
		ms = generated_at;
	time_fmt_date(ms, out, 11);
	return 0;
}

static int
generated_time(int64_t *ms)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long v;

	if (sde && *sde) {
		if (strnum_ll(sde, strlen(sde), &v) == -1 || v < 0) {
			diag_error(NULL, 0, 0, "SOURCE_DATE_EPOCH: bad value %s; expected seconds since 1970",
			    diag_q(sde, (size_t)-1));
			return -1;
		}
		*ms = v * 1000;
		return 0;
	}
	*ms = (int64_t)time(NULL) * 1000;
	return 0;
}

/*
 * Evidence and attachments come from the drill's folder, its capture
 * folder, and the folders --allow-root and allow_roots: name. Inputs
 * named with --input on the command line were chosen by the user there.
 */
static void
roots_init(struct bundle_work *w)
{
	const struct drill *d = &w->p.drill;
	const struct bundle_opts *o = w->o;
	char *slash;
	size_t i;

	w->roots = xcalloc(2 + o->nallow_roots + d->nallow_roots, sizeof *w->roots);
	w->drilldir = xstrdup(d->path);
	slash = strrchr(w->drilldir, '/');
	if (slash == w->drilldir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	w->roots[w->nroots++] = slash ? w->drilldir : ".";
	if (d->capture.output && fsio_isdir(d->capture.output))
		w->roots[w->nroots++] = d->capture.output;
	for (i = 0; i < o->nallow_roots; i++)
		w->roots[w->nroots++] = o->allow_roots[i];
	for (i = 0; i < d->nallow_roots; i++)
		w->roots[w->nroots++] = d->allow_roots[i];
}

int
bundle_confine(const struct bundle_work *w)
{
	return fsio_confine(w->roots, w->nroots, "the drill's folder");
}

/* Plain evidence this large is stored zstd-compressed; SLOPROOF_TEST_ZSTD_MIN lowers it for tests. */
static size_t
zstd_min(void)
{
	const char *e = getenv("SLOPROOF_TEST_ZSTD_MIN");
	long long v;

	if (e && strnum_ll(e, strlen(e), &v) == 0 && v >= 0)
		return (size_t)v;
	return 1024 * 1024;
}

/* The inputs as the bundle stores them: evidence/NAME, the run's sources renamed to match. */
static void
name_evidence(struct bundle_work *w)
{
	struct run *run = &w->p.run;
	const struct drill *d = &w->p.drill;
	size_t i;

	/* One source per input, in the plan's order. */
	for (i = 0; i < w->p.ninputs && i < run->nsources; i++) {
		struct report_file *f = &w->copies[w->ncopies];
		/* As the drill resolved it; an --input as the front door opened it. */
		char *src = i < d->nevidence ? d->evidence[i].resolved : run->sources[i].path;
		char *n = safe_name(&run->arena, src, w->taken, w->ncopies);
		size_t len = strlen(n) + 14;

		w->taken[w->ncopies] = n;
		f->name = arena_alloc(&run->arena, len);
		/*
		 * Large plain evidence (k6 raw output is gigabytes) is stored as zstd:
		 * a tenth of the size; MANIFEST.sha256 hashes the stored bytes, `zstd -d`
		 * gives back the input, and sloproof reads the .zst as it is.
		 */
		f->zstd = run->sources[i].gzipped == 0 && run->sources[i].size >= zstd_min();
		snprintf(f->name, len, "evidence/%s%s", n, f->zstd ? ".zst" : "");
		f->src = src;
		f->size = run->sources[i].size;
		memcpy(f->sha256, run->sources[i].sha256, sizeof f->sha256);
		run->sources[i].path = f->name;
		w->ncopies++;
	}
}

/* The attachments, read once under the drill's roots for their size and hash. */
static int
read_attachments(struct bundle_work *w)
{
	const struct drill *d = &w->p.drill;
	struct arena *a = &w->p.run.arena;
	size_t i, norig = w->ncopies;
	int rc = 0;

	w->rep.attachments = &w->copies[w->ncopies];
	if (bundle_confine(w) == -1)
		return -1;
	for (i = 0; i < d->nattachments && rc == 0; i++) {
		struct report_file *f = &w->copies[w->ncopies];
		struct buf b;
		struct stat st;
		char *n = safe_name(a, d->attachments[i].resolved, w->taken + norig, i);
		size_t len = strlen(n) + 14;

		w->taken[w->ncopies] = n;
		f->name = arena_alloc(a, len);
		snprintf(f->name, len, "attachments/%s", n);
		f->src = d->attachments[i].resolved;
		buf_init(&b, LIM_INPUT_BYTES);
		rc = fsio_read(f->src, LIM_INPUT_BYTES, &b, NULL, f->sha256);
		buf_release(&b);
		if (rc == -1)
			break;
		f->size = stat(f->src, &st) == 0 ? (size_t)st.st_size : 0;
		f->is_image = is_image(n);
		w->ncopies++;
		w->rep.nattachments++;
	}
	fsio_confine(NULL, 0, NULL);
	return rc;
}

int
bundle_collect(struct bundle_work *w, const char *drill_path, const struct bundle_opts *o)
{
	struct pipeline *p = &w->p;
	const struct drill *d = &p->drill;
	struct import_opts xo;
	char base[LIM_SLUG + 1];
	size_t i;

	memset(w, 0, sizeof *w);
	w->o = o;
	w->drill_path = drill_path;
	pipeline_init(p, PLAN_HASH | PLAN_NORMALIZE | PLAN_NEED_INPUT);
	tctx_init(&w->tc);
	/* The drill's plan, the one `check DRILL.yaml` runs; its files must all be there. */
	if (pipeline_load_drill(p, drill_path) == -1 || drill_check_files(d) == -1)
		return -1;
	w->slo_paths = o->nslo ? o->slo : d->slo;
	w->nslo = o->nslo ? o->nslo : d->nslo;
	if (w->nslo == 0) {
		diag_error(drill_path, 0, 0, "no SLO rules: the drill has no `slo:` and no --slo was given");
		return -1;
	}
	p->slo = w->slo_paths;
	p->nslo = w->nslo;
	memset(&xo, 0, sizeof xo);
	for (i = 0; i < (size_t)o->nextra; i++)
		pipeline_add_spec(p, o->extra[i], &xo);
	roots_init(w);
	p->roots = w->roots;
	p->nroots = w->nroots;
	p->roots_what = "the drill's folder";
	if (pipeline_import(p) == -1)
		return -1;
	/* Files copied as they are: evidence first, then attachments, all named safely and uniquely. */
	w->copies = xcalloc(p->ninputs + d->nattachments + 1, sizeof *w->copies);
	w->taken = xcalloc(p->ninputs + d->nattachments + 1, sizeof *w->taken);
	name_evidence(w);
	if (read_attachments(w) == -1 || pipeline_evaluate(p) == -1)
		return -1;
	if (generated_time(&w->generated_at) == -1 ||
	    pick_date(d, &p->run, o, w->generated_at, w->rep.date) == -1)
		return -1;
	drill_slug(d->title, base, sizeof base);
	w->rep.drill = d;
	w->rep.root_name = o->root ? o->root : "docs/demos/perf";
	w->rep.run = &p->run;
	w->rep.slo = &p->set;
	w->rep.verdicts = &p->vs;
	w->rep.have_generated_at = 1;
	w->rep.generated_at = w->generated_at;
	/* The rules go in as they were, at the top of the bundle, each under a unique name. */
	/* Never the name of a file the bundle writes itself: an SLO file called report.md becomes report-2.md. */
	w->slo_names = xcalloc(w->nslo + bundle_nreserved + 1, sizeof *w->slo_names);
	for (i = 0; i < bundle_nreserved; i++)
		w->slo_names[i] = (char *)bundle_reserved[i];
	for (i = 0; i < w->nslo; i++)
		w->slo_names[bundle_nreserved + i] = safe_name(&p->run.arena, w->slo_paths[i],
		    w->slo_names, bundle_nreserved + i);
	w->rep.slo_names = (const char *const *)w->slo_names + bundle_nreserved;
	w->rep.nslo = w->nslo;
	snprintf(w->rep.slug, sizeof w->rep.slug, "%s", base);
	return 0;
}

void
bundle_work_release(struct bundle_work *w)
{
	size_t i;

	fsio_confine(NULL, 0, NULL);
	for (i = 0; i < sizeof w->files / sizeof w->files[0]; i++)
		buf_release(&w->files[i].data);
	free(w->copies);
	free(w->taken);
	free(w->slo_names);
	free(w->roots);
	free(w->drilldir);
	report_charts_free(w->charts, w->ncharts);
	tctx_release(&w->tc);
	pipeline_release(&w->p);
	memset(w, 0, sizeof *w);
}
