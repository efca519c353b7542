/*
 * splimits.c — the raisable limits of splimits.h, read from the
 * environment. Owns nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "util/splimits.h"
#include "util/strnum.h"

size_t
lim_env(const char *env, size_t dflt)
{
	const char *v = getenv(env);
	long long n;

	if (v == NULL || *v == '\0' || strnum_ll(v, strlen(v), &n) == -1 || n <= 0)
		return dflt;
	return (size_t)n;
}
