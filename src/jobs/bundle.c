/*
 * bundle.c — the main job: drill file in, bundle out, in three steps.
 * collect: the drill's plan through the one pipeline (each input read once
 * and kept, rules, normalize, evaluate) and the attachments, read once;
 * render: every document, chart and stored file in memory; commit
 * (bundle_commit.c): a temporary directory, the manifest, one rename.
 * Depends on pipeline, report, tmpl, out_json, out_junit, out_table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "in/in_bundle.h"
#include "jobs/bundle.h"
#include "jobs/bundle_parts.h"
#include "jobs/pipeline.h"
#include "out/out_json.h"
#include "out/out_junit.h"
#include "out/out_prom.h"
#include "out/out_annot.h"
#include "out/out_ctrf.h"
#include "out/out_table.h"
#include "out/report.h"
#include "out/tmpl.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define join bundle_join

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
	char name[128], cand[160], *dot;
	size_t i, j = 0;
	int k, clash;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && j < 100; i++) {
		unsigned char c = (unsigned char)base[i];

		name[j++] = (c < 0x80 && (isalnum_ascii(c) || c == '.' || c == '-' || c == '_')) ?
		    (char)c : '_';
	}
	name[j] = '\0';
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

static int
render_template(const struct bundle_opts *o, const char *name, const char *const *keys,
    const struct tval *model, const char *link_base, struct buf *out)
{
	struct tmpl *t;
	int rc;

	size_t n = strlen(name);
	enum tmpl_format fmt = n > 5 && strcmp(name + n - 5, ".html") == 0 ? TMPL_HTML :
	    n > 3 && strcmp(name + n - 3, ".md") == 0 ? TMPL_MARKDOWN : TMPL_TEXT;

	if (tmpl_load(&t, o->templates, name, fmt) == -1)
		return -1;
	rc = tmpl_check(t, keys);
	tmpl_set_link_base(t, link_base);
	if (rc == 0 && tmpl_render(t, model, out) == -1) {
		diag_syserr(name, "rendered document is too large");
		rc = -1;
	}
	tmpl_free(t);
	return rc;
}

/* ROOT/<date>/index.md from the summary.json of every bundle of that day. */
static int
write_index(const struct bundle_opts *o, const char *datedir, const char *date)
{
	struct bundle_meta *metas = NULL;
	struct tctx tc;
	struct tval *root, *list, *item;
	struct buf out;
	char path[4096];
	size_t n = 0, i;
	int rc = -1;

	if (in_bundle_scan_day(datedir, &metas, &n) == -1)
		return -1;
	tctx_init(&tc);
	root = tv_map(&tc);
	tv_set_str(&tc, root, "date", date);
	list = tv_set_list(&tc, root, "drills");
	for (i = 0; i < n; i++) {
		item = tv_push_map(&tc, list);
		tv_set_str(&tc, item, "title", metas[i].title);
		tv_set_str(&tc, item, "slug", metas[i].slug);
		tv_set_str(&tc, item, "verdict", metas[i].verdict);
		tv_set_str(&tc, item, "tally", metas[i].tally);
		tv_set_str(&tc, item, "environment", metas[i].environment);
		tv_set_bool(&tc, item, "ok", strcmp(metas[i].verdict, "fail") != 0);
	}
	buf_init(&out, LIM_INPUT_BYTES);
	if (render_template(o, "index.md", index_keys, root, NULL, &out) == 0) {
		join(path, sizeof path, datedir, "index.md");
		rc = fsio_write_replace(path, buf_str(&out), out.len);
	}
	buf_release(&out);
	tctx_release(&tc);
	in_bundle_free(metas, n);
	return rc;
}

/*
 * The files other systems read (docs/formats.md): results.prom for a
 * Pushgateway, results.om.txt for promtool's backfill, annotations.json
 * for Grafana, ctrf.json for CI test-report actions.
 */
static int
render_interop(const struct report *rep, const struct path_map *map, struct bundle_files *fs)
{
	static const struct {
		const char		*name;
		enum prom_format	 fmt;
	} prom[] = { { "results.prom", PROM_TEXT }, { "results.om.txt", PROM_OPENMETRICS } };
	size_t i;

	for (i = 0; i < sizeof prom / sizeof prom[0]; i++)
		if (out_prom(rep, prom[i].fmt, bundle_add(fs, prom[i].name, LIM_INPUT_BYTES)) == -1)
			return -1;
	if (out_annotations(rep, bundle_add(fs, "annotations.json", LIM_INPUT_BYTES)) == -1)
		return -1;
	return out_ctrf(rep->verdicts, rep->run, rep->drill->title, rep->have_generated_at,
	    rep->generated_at, map, bundle_add(fs, "ctrf.json", LIM_INPUT_BYTES));
}

/* Everything one bundle is made of, from collect to commit. */
struct job {
	const struct bundle_opts *o;
	struct pipeline		 p;
	struct input		*attach;	/* the attachments as read, once */
	size_t			 nattach;
	struct report		 rep;
	struct report_file	*copies;	/* evidence, then attachments */
	size_t			 ncopies;
	char			**taken;
	char			**slo_names;
	struct report_chart	*charts;
	size_t			 ncharts;
	struct tctx		 tc;
	struct bundle_files	 files;
	char			 datedir[4096], final[4096];
	int			 suffix;
};

/* The stored inputs' names: evidence first, then attachments, all safe and unique. */
static void
name_copies(struct job *j)
{
	struct pipeline *p = &j->p;
	struct run *run = &p->run;
	size_t i, n = p->nread;

	j->copies = xcalloc(n + j->nattach + 1, sizeof *j->copies);
	j->taken = xcalloc(n + j->nattach + 1, sizeof *j->taken);
	for (i = 0; i < n; i++) {
		struct report_file *f = &j->copies[j->ncopies];
		char *nm = safe_name(&run->arena, p->read[i].path, j->taken, j->ncopies);
		size_t len = strlen(nm) + 10;

		j->taken[j->ncopies] = nm;
		f->name = arena_alloc(&run->arena, len);
		snprintf(f->name, len, "evidence/%s", nm);
		f->src = (char *)p->read[i].path;
		f->size = run->sources[i].size;
		memcpy(f->sha256, run->sources[i].sha256, sizeof f->sha256);
		run->sources[i].path = f->name;
		j->ncopies++;
	}
	j->rep.attachments = &j->copies[j->ncopies];
	for (i = 0; i < j->nattach; i++) {
		struct report_file *f = &j->copies[j->ncopies];
		char *nm = safe_name(&run->arena, j->attach[i].path, j->taken + n, i);
		size_t len = strlen(nm) + 14;

		j->taken[j->ncopies] = nm;
		f->name = arena_alloc(&run->arena, len);
		snprintf(f->name, len, "attachments/%s", nm);
		f->src = (char *)j->attach[i].path;
		memcpy(f->sha256, j->attach[i].sha256, sizeof f->sha256);
		f->size = j->attach[i].size;
		f->is_image = is_image(nm);
		j->ncopies++;
		j->rep.nattachments++;
	}
}

/*
 * collect: the drill's plan run through the pipeline, every input and
 * attachment read once and kept, so that what is parsed, hashed and
 * stored are the same bytes.
 */
static int
collect(struct job *j, const char *drill_path)
{
	const struct bundle_opts *o = j->o;
	struct pipeline *p = &j->p;
	const struct drill *d = &p->drill;
	size_t i;
	int rc;

	pipeline_init(p, PLAN_KEEP | PLAN_NORMALIZE);
	if (pipeline_from_drill(p, drill_path, o->slo, o->nslo) == -1)
		return -1;
	for (i = 0; i < (size_t)o->nextra; i++)
		pipeline_add_spec(p, o->extra[i], NULL);
	if (pipeline_import(p) == -1)
		return -1;
	j->attach = xcalloc(d->nattachments + 1, sizeof *j->attach);
	for (i = 0; i < d->nattachments; i++) {
		rc = input_read(&j->attach[i], d->attachments[i].resolved, d->attachments[i].resolved,
		    NULL, IMPORT_RAW | IMPORT_HASH | IMPORT_KEEP);
		if (rc == -1)
			return -1;
		j->nattach++;
	}
	/* Named before evaluating: verdicts cite evidence by its name in the bundle. */
	name_copies(j);
	return pipeline_evaluate(p);
}

/* The first free folder name for the drill on its date: SLUG, else SLUG-2, ... */
static int
pick_slug(struct job *j, const char *base)
{
	for (j->suffix = 1; ; j->suffix++) {
		if (j->suffix > 1)
			snprintf(j->rep.slug, sizeof j->rep.slug, "%s-%d", base, j->suffix);
		join(j->final, sizeof j->final, j->datedir, j->rep.slug);
		if (!fsio_exists(j->final))
			return 0;
		if (j->o->no_suffix) {
			diag_error(j->final, 0, 0, "a bundle is already there and --no-suffix forbids %s-2",
			    base);
			return -1;
		}
		if (j->suffix >= LIM_SUFFIX) {
			diag_error(j->final, 0, 0, "%d bundles of this drill on one day; giving up", LIM_SUFFIX);
			return -1;
		}
	}
}

/*
 * render: every file of the bundle in memory, in the order they are
 * written: the documents, the rules and the drill as read, the evidence
 * and attachments as read, the charts.
 */
static int
render(struct job *j)
{
	static const char *const docs[] = {
		"report.md", "report.html", "timeline.md", "status-update.md", "release-log.md",
		"evidence.md", "review.md", "status-update.txt", "release-log.txt"
	};
	static const char *const ext[] = {"png", "svg", "csv"};
	struct pipeline *p = &j->p;
	struct report *rep = &j->rep;
	struct tval *model;
	struct buf *b;
	char link_base[4096] = "";
	const char *lb = j->o->link_base ? j->o->link_base : p->drill.link_base;
	size_t i, k;

	if (report_charts(rep, &j->charts, &j->ncharts) == -1)
		return -1;
	rep->charts = j->charts;
	rep->ncharts = j->ncharts;
	model = report_model(&j->tc, rep);
	/* Links absolute to where the bundle is published: they work wherever the text is pasted. */
	if (lb && *lb)
		snprintf(link_base, sizeof link_base, "%s%s%s/%s/", lb,
		    lb[strlen(lb) - 1] == '/' ? "" : "/", rep->date, rep->slug);
	tv_set_bool(&j->tc, model, "links_absolute", link_base[0] != '\0');
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++)
		if (render_template(j->o, docs[i], report_keys, model, link_base,
		    bundle_add(&j->files, docs[i], LIM_INPUT_BYTES)) == -1)
			return -1;
	if (out_json_summary(rep, bundle_add(&j->files, "summary.json", LIM_INPUT_BYTES)) == -1 ||
	    out_junit(&p->vs, &p->run, p->drill.title,
	    bundle_add(&j->files, "junit.xml", LIM_INPUT_BYTES)) == -1) {
		diag_syserr(NULL, "a rendered document is too large");
		return -1;
	}
	{
		struct path_map map = { p->slo, rep->slo_names, p->nslo };

		if (render_interop(rep, &map, &j->files) == -1)
			return -1;
	}
	for (i = 0; i < p->nslo; i++) {
		b = bundle_add(&j->files, j->slo_names[i + 1], LIM_RULES_BYTES);
		buf_add(b, p->slo_bytes[i].data ? p->slo_bytes[i].data : "", p->slo_bytes[i].len);
	}
	b = bundle_add(&j->files, "drill.yaml", LIM_RULES_BYTES);
	buf_add(b, p->drill.text, p->drill.len);
	for (i = 0; i < p->nread; i++)
		bundle_add_input(&j->files, j->copies[i].name, &p->read[i]);
	for (i = 0; i < j->nattach; i++)
		bundle_add_input(&j->files, j->copies[p->nread + i].name, &j->attach[i]);
	for (i = 0; i < j->ncharts; i++) {
		const struct buf *cb[3] = {&j->charts[i].png, &j->charts[i].svg, &j->charts[i].csv};

		for (k = 0; k < 3; k++) {
			size_t len = strlen(j->charts[i].name) + 12;
			char *nm = arena_alloc(&p->run.arena, len);

			snprintf(nm, len, "charts/%s.%s", j->charts[i].name, ext[k]);
			b = bundle_add(&j->files, nm, cb[k]->len + 1);
			buf_add(b, cb[k]->data ? cb[k]->data : "", cb[k]->len);
		}
	}
	return 0;
}

int
bundle_make(const char *drill_path, const struct bundle_opts *o, struct buf *table,
    struct bundle_result *res)
{
	struct job j;
	const char *root = o->root ? o->root : "docs/demos/perf";
	char base[LIM_SLUG + 1];
	size_t i;
	int64_t generated_at;
	int rc = -1;

	memset(res, 0, sizeof *res);
	memset(&j, 0, sizeof j);
	j.o = o;
	tctx_init(&j.tc);
	pipeline_init(&j.p, 0);
	if (strlen(root) > 2048) {
		diag_error(root, 0, 0, "the output folder's path is longer than 2048 bytes");
		goto out;
	}
	if (collect(&j, drill_path) == -1)
		goto out;
	if (generated_time(&generated_at) == -1 ||
	    pick_date(&j.p.drill, &j.p.run, o, generated_at, j.rep.date) == -1)
		goto out;
	drill_slug(j.p.drill.title, base, sizeof base);
	j.rep.drill = &j.p.drill;
	j.rep.root_name = root;
	j.rep.run = &j.p.run;
	j.rep.slo = &j.p.set;
	j.rep.verdicts = &j.p.vs;
	j.rep.have_generated_at = 1;
	j.rep.generated_at = generated_at;
	/* The rules go in as they were, at the top of the bundle, each under a unique name. */
	j.slo_names = xcalloc(j.p.nslo + 2, sizeof *j.slo_names);
	j.slo_names[0] = arena_strdup(&j.p.run.arena, "drill.yaml");
	for (i = 0; i < j.p.nslo; i++)
		j.slo_names[i + 1] = safe_name(&j.p.run.arena, j.p.slo[i], j.slo_names, i + 1);
	j.rep.slo_names = (const char *const *)j.slo_names + 1;
	j.rep.nslo = j.p.nslo;
	snprintf(j.rep.slug, sizeof j.rep.slug, "%s", base);
	join(j.datedir, sizeof j.datedir, root, j.rep.date);
	/*
	 * The final slug (maybe with -N) appears in the documents, so find the
	 * first free one before rendering; the commit's rename still refuses
	 * to replace anything that appears in between.
	 */
	if (pick_slug(&j, base) == -1 || render(&j) == -1)
		goto out;
	bundle_signals_catch();
	if (bundle_commit(j.datedir, j.final, &j.files) == -1)
		goto restore;
	snprintf(res->path, sizeof res->path, "%s", j.final);
	res->slo_ok = verdicts_ok(&j.p.vs);
	res->suffixed = j.suffix > 1;
	if (write_index(o, j.datedir, j.rep.date) == -1)
		goto restore;
	if (out_table(table, &j.p.vs, &j.p.run, o->color) == -1) {
		diag_syserr(NULL, "verdict table too large");
		goto restore;
	}
	rc = 0;
restore:
	bundle_signals_restore();
out:
	bundle_files_release(&j.files);
	for (i = 0; i < j.nattach; i++)
		input_release(&j.attach[i]);
	free(j.attach);
	free(j.copies);
	free(j.taken);
	free(j.slo_names);
	report_charts_free(j.charts, j.ncharts);
	tctx_release(&j.tc);
	pipeline_release(&j.p);
	return rc;
}
