/*
 * bundle_parts.h — the three steps of bundle_make and what they hand each
 * other. Private to src/jobs/bundle*.c:
 *
 *	collect (bundle_collect.c)  the drill's plan through the one pipeline
 *	                            (jobs/pipeline.h), the inputs to store, the
 *	                            attachments read once, the verdicts
 *	render  (bundle_render.c)   every document, chart and rule file in memory
 *	commit  (bundle.c)          the day's lock, the slug, a temporary folder,
 *	                            the files, MANIFEST.sha256, one rename, index.md
 */
#ifndef JOBS_BUNDLE_PARTS_H
#define JOBS_BUNDLE_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/bundle.h"
#include "jobs/pipeline.h"
#include "out/report.h"
#include "out/tmpl.h"
#include "util/buf.h"
#include "util/splimits.h"

/*
 * a/b into dst (n bytes; manifest.c). Every part of a bundle path is
 * bounded (root by bundle_make, names by safe_name and drill_slug), so
 * this never cuts; if it would, it cuts rather than overflow.
 */
void	bundle_join(char *dst, size_t n, const char *a, const char *b);

/* One rendered file of a bundle: its name inside it and its bytes. */
struct outfile {
	const char	*name;
	struct buf	 data;
};

/* Everything one bundle_make works on; bundle_work_release frees it all. */
struct bundle_work {
	const struct bundle_opts *o;
	const char		*drill_path;
	struct pipeline		 p;		/* drill, rules, run, verdicts */
	/* Where a drill's evidence and attachments may come from (fsio_confine). */
	const char		**roots;
	size_t			 nroots;
	char			*drilldir;
	/* The inputs stored as they are: evidence first, then the attachments. */
	struct report_file	*copies;
	size_t			 ncopies;
	char			**taken;
	char			**slo_names;	/* the reserved names, then one per rule file */
	size_t			 nslo;
	char *const		*slo_paths;
	int64_t			 generated_at;
	struct report		 rep;
	struct report_chart	*charts;
	size_t			 ncharts;
	struct tctx		 tc;
	struct outfile		 files[20 + LIM_SLO_FILES];
	size_t			 nfiles;
};

/* Names a bundle's own files and folders take: an input copied in never takes one. */
extern const char *const bundle_reserved[];
extern const size_t bundle_nreserved;

/*
 * collect: loads the drill (every file it names must exist), runs its plan
 * (plus o->extra inputs, unconfined) through the pipeline with hashes,
 * names the stored copies, reads and hashes the attachments, evaluates,
 * and picks the date and the base slug (rep.slug). 0, or -1 after a
 * diagnostic; bundle_work_release in either case.
 */
int	bundle_collect(struct bundle_work *, const char *drill_path, const struct bundle_opts *);
/* Confines input reads to the drill's roots (collect and commit read under them). */
int	bundle_confine(const struct bundle_work *);
void	bundle_work_release(struct bundle_work *);

/*
 * render: the charts and every document into w->files, with rep.slug
 * final (the commit step picks it). 0, or -1 after a diagnostic.
 */
int	bundle_render(struct bundle_work *);
/* ROOT/<date>/index.md from the summary.json of every bundle in datedir, into out. */
int	bundle_render_index(const struct bundle_opts *, const char *datedir, const char *date,
	    struct buf *out);

#endif
