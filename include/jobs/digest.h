/*
 * digest.h — the weekly status update from many bundles: the drills and
 * their verdicts, the SLOs that failed or warned, recovery-time trends
 * and the open follow-ups, rendered through templates/digest.md. Reads
 * the bundles (in_bundle.h); owns nothing past a call.
 */
#ifndef DIGEST_H
#define DIGEST_H

#include <stddef.h>

struct buf;
struct bsum;

struct digest_opts {
	const char	*since;		/* YYYY-MM-DD */
	const char	*until;		/* YYYY-MM-DD or NULL */
	const char	*link_prefix;	/* put before DATE/SLUG/report.md: "" or "../perf/" */
	int		 links_from_file;	/* links are relative to the digest file, not ROOT */
	const char	*templates;	/* a directory of template overrides, or NULL */
	const char	*link_base;	/* --link-base: where ROOT is published; links become absolute */
};

/* The keys templates/digest.md may use (dotted paths; docs/digest.md). */
extern const char *const digest_keys[];

/*
 * Renders the digest of b[0..n-1] (in date order) into out. 0, or -1
 * after a diagnostic (a template error: bad input; out full: system).
 */
int	digest_render(const struct bsum *b, size_t n, const struct digest_opts *, struct buf *out);

struct tctx;
struct tval;
/*
 * digest_trend.c: the `trends` list of the digest's model: per group of
 * alike bundles and SLO, a small chart of the observed values, the first,
 * last and range, and lasting shifts (change points) past the noise floor.
 */
void	digest_trends(struct tctx *, struct tval *root, const struct bsum *b, size_t n);

#endif
