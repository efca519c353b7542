/*
 * in_bundle.h — reading bundles sloproof wrote before (their summary.json),
 * for the day's index.md and, later, for digests and comparisons. An
 * importer of our own format; it never sees a renderer.
 */
#ifndef IN_BUNDLE_H
#define IN_BUNDLE_H

#include <stddef.h>

struct bundle_meta {
	char	*slug;		/* the folder name */
	char	*title;
	char	*verdict;	/* pass, warn, fail */
	char	*tally;		/* "3 pass, 1 warn, 1 fail, 0 nodata" */
	char	*environment;	/* "" when absent */
};

/*
 * Every bundle directly under datedir (folders with a summary.json, hidden
 * ones skipped), sorted by folder name. A folder whose summary.json cannot
 * be read is reported as a warning and left out. 0, or -1 (datedir unreadable).
 */
int	in_bundle_scan_day(const char *datedir, struct bundle_meta **, size_t *n);
void	in_bundle_free(struct bundle_meta *, size_t n);

#endif
