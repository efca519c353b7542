/*
 * xalloc.h — allocation that never returns NULL: on exhaustion it prints one
 * diagnostic and exits with status 4 (system error), after running the
 * cleanup hooks registered with atexit (a bundle's temporary directory).
 */
#ifndef XALLOC_H
#define XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
/* Like realloc(p, n * size), with the multiplication checked for overflow. */
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

/*
 * Grow *arr (of *cap elements of size elsz) so that it can hold need
 * elements; capacity doubles. Used by the VEC_PUSH macro.
 */
void	 xgrow(void **arr, size_t *cap, size_t need, size_t elsz);

#define VEC_PUSH(arr, n, cap) \
	(xgrow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)), &(arr)[(n)++])

#endif
