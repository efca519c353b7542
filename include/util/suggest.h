/*
 * suggest.h — "did you mean": the names nearest to a mistyped one, by
 * edit distance (Damerau, case-insensitive), for the errors a newcomer
 * meets first (a metric, series, tag, alert, time zone or command that is
 * not there). Owns nothing; the caller's name list is only read.
 */
#ifndef SUGGEST_H
#define SUGGEST_H

#include <stddef.h>

/*
 * The optimal-string-alignment distance between a and b, ignoring ASCII
 * case; at most SUGGEST_FAR (names longer than 64 bytes count as far).
 */
#define SUGGEST_FAR 1000
int	suggest_distance(const char *a, const char *b);

/*
 * Whether b is near enough to a to be offered for it: a small distance
 * for its length, or one of the two contains the other (api_latency for
 * api_latency_p95).
 */
int	suggest_near(const char *want, const char *name);

/*
 * Writes into dst (n bytes, always terminated) the nearest names to want
 * among names[0..nnames) (duplicates and NULLs skipped), as
 * "did you mean A?" or "did you mean A or B?" (at most three); when none
 * is near, "WHAT there: a, b, c" with the first few of them, sorted, and
 * "... (N in all)" when there are more; "no WHAT there" when there are
 * none. Returns 1 when it suggested, 0 when it listed.
 */
int	suggest(const char *want, const char *const *names, size_t nnames, const char *what,
	    char *dst, size_t n);

#endif
