/*
 * bundle.h — writing a dated, checksummed evidence bundle:
 *
 *	ROOT/<date>/<slug>/   report.md summary.json junit.xml slo.yaml drill.yaml
 *	                      evidence/... attachments/... MANIFEST.sha256
 *	ROOT/<date>/index.md  every drill of that day
 *
 * Everything is rendered in memory first, then written into a temporary
 * directory beside the target and renamed into place in one step: a bundle
 * is either complete or absent. An existing bundle is never touched.
 */
#ifndef BUNDLE_H
#define BUNDLE_H

#include <stddef.h>

struct buf;

struct bundle_opts {
	const char	*root;		/* default "docs/demos/perf" */
	const char	*date;		/* YYYY-MM-DD, overrides the drill's */
	char		**slo;		/* override the drill's slo: (--slo, repeatable) */
	size_t		 nslo;
	const char	*templates;	/* a directory of template overrides */
	char		**extra;	/* more KIND:PATH inputs */
	int		 nextra;
	int		 no_suffix;	/* fail instead of writing <slug>-2 */
	int		 color;		/* colour the verdict table */
	const char	*link_base;	/* --link-base: where ROOT is published; NULL: the drill's link_base: */
};

struct bundle_result {
	char	path[4096];	/* ROOT/<date>/<slug>, as written */
	int	slo_ok;		/* every SLO passed or warned */
	int	suffixed;	/* the plain slug existed; path has -N */
};

/*
 * Makes the bundle for the drill file at drill_path. The verdict table is
 * appended to table. 0, or -1 after diagnostics (diag_status says 3 or 4),
 * with nothing left behind.
 */
int	bundle_make(const char *drill_path, const struct bundle_opts *,
	    struct buf *table, struct bundle_result *);

/*
 * Re-hashes every file listed in dir/MANIFEST.sha256 and looks for files
 * it does not list. Problems are appended to out, one per line
 * ("changed: report.md"). 0 all match, 1 differences, -1 after a
 * diagnostic (no manifest, unreadable).
 */
int	bundle_verify(const char *dir, struct buf *out);

/* Writes the manifest of every file under dir (except itself). 0, or -1. */
int	bundle_manifest(const char *dir, struct buf *manifest);

#endif
