/*
 * out_ctrf.h — verdicts for CI test views: CTRF JSON (the Common Test
 * Report Format, https://ctrf.io, spec 0.0.0: one test per SLO) and the
 * annotation lines GitHub Actions and GitLab CI show beside the code
 * (docs/formats.md). The caller owns everything; nothing returned points
 * into the verdicts.
 */
#ifndef OUT_CTRF_H
#define OUT_CTRF_H

#include <stdint.h>

#include "util/buf.h"
#include "eval/eval.h"
#include "model/run.h"

/* Rule files as the report should name them: from[i] is written as to[i] (a bundle's copies). */
struct path_map {
	char *const		*from;
	const char *const	*to;
	size_t			 n;
};

/*
 * Appends a CTRF report: suite names the run (the drill's title, or the
 * first SLO file); have_ts/ts stamp it (a bundle's clock; `check` gives
 * none, so that the same inputs give the same bytes); map (may be NULL)
 * renames rule files. 0, or -1 after a diagnostic.
 */
int	out_ctrf(const struct verdicts *, const struct run *, const char *suite, int have_ts,
	    int64_t ts, const struct path_map *map, struct buf *out);

enum ci_kind {
	CI_NONE,
	CI_GITHUB,	/* ::error file=F,line=L,title=T::MESSAGE workflow commands */
	CI_GITLAB	/* a collapsible log section of FILE:LINE: error: MESSAGE lines */
};

/* From the environment: GITHUB_ACTIONS=true, else GITLAB_CI=true, else none. */
enum ci_kind ci_detect(void);
/* "auto", "github", "gitlab", "none": 0, or -1 for another word. */
int	ci_parse(const char *word, enum ci_kind *);

/*
 * Appends the annotation lines for every SLO that did not pass cleanly:
 * an error (fail, nodata) or warning (warn) at the rule's file:line, and a
 * notice at the evidence's file:line. Nothing for CI_NONE. 0, or -1.
 */
int	out_ci_annotations(const struct verdicts *, const struct run *, enum ci_kind, struct buf *out);

#endif
