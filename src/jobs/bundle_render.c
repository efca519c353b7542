/*
 * bundle_render.c — the second step of bundle_make (bundle_parts.h): every
 * file a bundle writes itself, rendered in memory from what collect made:
 * the charts, the documents from templates, summary.json, junit.xml, the
 * interop files, the rule files and the drill files. And index.md, the
 * day's list of bundles, which the commit step rewrites. Writes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "in/in_bundle.h"
#include "jobs/bundle_parts.h"
#include "jobs/drillrun.h"
#include "out/out_annot.h"
#include "out/out_ctrf.h"
#include "out/out_json.h"
#include "out/out_junit.h"
#include "out/out_prom.h"
#include "util/diag.h"
#include "util/fsio.h"

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

/* The next file of the bundle, empty, holding at most max bytes. */
static struct buf *
add_file(struct bundle_work *w, const char *name, size_t max)
{
	struct outfile *f = &w->files[w->nfiles++];

	f->name = name;
	buf_init(&f->data, max);
	return &f->data;
}

/*
 * The files other systems read (docs/formats.md): results.prom for a
 * Pushgateway, results.om.txt for promtool's backfill, annotations.json
 * for Grafana, ctrf.json for CI test-report actions.
 */
static int
render_interop(struct bundle_work *w, const struct path_map *map)
{
	const struct report *rep = &w->rep;

	if (out_prom(rep, PROM_TEXT, add_file(w, "results.prom", LIM_INPUT_BYTES)) == -1 ||
	    out_prom(rep, PROM_OPENMETRICS, add_file(w, "results.om.txt", LIM_INPUT_BYTES)) == -1 ||
	    out_annotations(rep, add_file(w, "annotations.json", LIM_INPUT_BYTES)) == -1)
		return -1;
	return out_ctrf(rep->verdicts, rep->run, rep->drill->title, rep->have_generated_at,
	    rep->generated_at, map, add_file(w, "ctrf.json", LIM_INPUT_BYTES));
}

int
bundle_render(struct bundle_work *w)
{
	static const char *const docs[] = {
		"report.md", "report.html", "timeline.md", "status-update.md", "release-log.md",
		"evidence.md", "review.md", "status-update.txt", "release-log.txt"
	};
	const struct bundle_opts *o = w->o;
	const struct drill *d = &w->p.drill;
	struct report *rep = &w->rep;
	struct tval *model;
	char link_base[4096] = "";
	const char *lb = o->link_base ? o->link_base : d->link_base;
	struct path_map map = { w->slo_paths, rep->slo_names, w->nslo };
	size_t i;

	if (report_charts(rep, &w->charts, &w->ncharts) == -1)
		return -1;
	rep->charts = w->charts;
	rep->ncharts = w->ncharts;
	model = report_model(&w->tc, rep);
	/* Links absolute to where the bundle is published: they work wherever the text is pasted. */
	if (lb && *lb)
		snprintf(link_base, sizeof link_base, "%s%s%s/%s/", lb,
		    lb[strlen(lb) - 1] == '/' ? "" : "/", rep->date, rep->slug);
	tv_set_bool(&w->tc, model, "links_absolute", link_base[0] != '\0');
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++)
		if (render_template(o, docs[i], report_keys, model, link_base,
		    add_file(w, docs[i], LIM_INPUT_BYTES)) == -1)
			return -1;
	if (out_json_summary(rep, add_file(w, "summary.json", LIM_INPUT_BYTES)) == -1 ||
	    out_junit(&w->p.vs, &w->p.run, d->title, add_file(w, "junit.xml", LIM_INPUT_BYTES)) == -1)
		goto toolarge;
	if (render_interop(w, &map) == -1)
		return -1;
	for (i = 0; i < w->nslo; i++)
		if (fsio_read(w->slo_paths[i], LIM_RULES_BYTES,
		    add_file(w, rep->slo_names[i], LIM_RULES_BYTES), NULL, NULL) == -1)
			return -1;
	/* The drill as written, and the bundle's own, which `check drill.yaml` re-checks. */
	if (fsio_read(w->drill_path, LIM_RULES_BYTES, add_file(w, "drill.orig.yaml", LIM_RULES_BYTES),
	    NULL, NULL) == -1)
		return -1;
	if (drill_write_bundled(add_file(w, "drill.yaml", LIM_RULES_BYTES), d, &w->p.run, rep->date,
	    rep->slo_names, w->nslo) == -1)
		goto toolarge;
	return 0;
toolarge:
	diag_syserr(NULL, "a rendered document is too large");
	return -1;
}

int
bundle_render_index(const struct bundle_opts *o, const char *datedir, const char *date,
    struct buf *out)
{
	struct bundle_meta *metas = NULL;
	struct tctx tc;
	struct tval *root, *list, *item;
	size_t n = 0, i, j;
	int rc;

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
		/* The same evidence bundled again is a re-run of the first bundle, not another drill. */
		for (j = 0; j < i && metas[i].evidence[0] != '\0'; j++)
			if (strcmp(metas[j].evidence, metas[i].evidence) == 0) {
				tv_set_str(&tc, item, "rerun_of", metas[j].slug);
				break;
			}
	}
	rc = render_template(o, "index.md", index_keys, root, NULL, out);
	tctx_release(&tc);
	in_bundle_free(metas, n);
	return rc;
}
