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
	const char	*sign_key;	/* an SSH private key: sign the manifest (sign.h) */
	char		**allow_roots;	/* folders evidence may come from besides the drill's (--allow-root) */
	size_t		 nallow_roots;
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

struct verify_opts {
	const char	*allowed_signers;	/* require a good signature by one of them */
	struct buf	*signer;		/* receives the signing principal (may be NULL) */
};

/*
 * Proves a bundle whole (manifest.c): re-hashes every file listed in
 * dir/MANIFEST.sha256, looks for files it does not list, for the files
 * every bundle has (summary.json, report.md, drill.yaml), for every
 * evidence file and attachment summary.json names with the hash it
 * records, and, with allowed_signers, for a good signature. Each problem
 * is one line of out, its class first ("changed: report.md", "missing
 * evidence: evidence/k6.json (summary.json inputs[0] names it)"). 0 all
 * good, 1 problems, -1 after a diagnostic (no manifest, unreadable).
 */
int	bundle_verify(const char *dir, const struct verify_opts *, struct buf *out);

/* Writes the manifest of every file under dir (except itself). 0, or -1. */
int	bundle_manifest(const char *dir, struct buf *manifest);

#endif
