/*
 * suggest.c — nearest names by edit distance, for "did you mean" (suggest.h).
 * The lists are short (the names of one run's metrics, one zone folder),
 * so a plain O(n·m) distance per name is enough; names past 64 bytes are
 * never offered, which also bounds the work per name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"
#include "util/xalloc.h"

#define SUGGEST_MAXLEN	64
#define SUGGEST_MAX	3	/* names offered */
#define SUGGEST_LIST	12	/* names listed when none is near */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int
suggest_distance(const char *a, const char *b)
{
	int d[SUGGEST_MAXLEN + 1][SUGGEST_MAXLEN + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;
	int cost, v;

	if (la > SUGGEST_MAXLEN || lb > SUGGEST_MAXLEN)
		return SUGGEST_FAR;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			cost = lower((unsigned char)a[i - 1]) != lower((unsigned char)b[j - 1]);
			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* Whether the shorter of a and b (at least 3 bytes) is inside the longer, ignoring case. */
static int
contains(const char *a, const char *b)
{
	const char *hay = strlen(a) >= strlen(b) ? a : b, *needle = hay == a ? b : a;
	size_t nl = strlen(needle), i, k;

	if (nl < 3)
		return 0;
	for (i = 0; hay[i]; i++) {
		for (k = 0; k < nl && hay[i + k] && lower((unsigned char)hay[i + k]) ==
		    lower((unsigned char)needle[k]); k++)
			;
		if (k == nl)
			return 1;
	}
	return 0;
}

/* The distance below which a name is offered: about a third of the longer name. */
static int
near_limit(const char *want, const char *name)
{
	size_t l = strlen(want) > strlen(name) ? strlen(want) : strlen(name);

	return l <= 3 ? 1 : (int)(l / 3);
}

int
suggest_near(const char *want, const char *name)
{
	return suggest_distance(want, name) <= near_limit(want, name) || contains(want, name);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
suggest(const char *want, const char *const *names, size_t nnames, const char *what,
    char *dst, size_t n)
{
	const char **u, *best[SUGGEST_MAX];
	int bd[SUGGEST_MAX], d;
	size_t nu = 0, nb = 0, i, k, off;

	dst[0] = '\0';
	u = xcalloc(nnames + 1, sizeof *u);
	for (i = 0; i < nnames; i++)
		if (names[i] && names[i][0])
			u[nu++] = names[i];
	qsort(u, nu, sizeof *u, cmp_str);
	for (i = k = 0; i < nu; i++)
		if (k == 0 || strcmp(u[k - 1], u[i]) != 0)
			u[k++] = u[i];
	nu = k;
	/* The nearest first; a name that contains the one wanted counts as distance 1 past its best. */
	for (i = 0; i < nu; i++) {
		if (strcmp(u[i], want) == 0 || !suggest_near(want, u[i]))
			continue;
		d = suggest_distance(want, u[i]);
		if (contains(want, u[i]) && d > 2)
			d = 2;
		for (k = nb; k > 0 && bd[k - 1] > d; k--)
			if (k < SUGGEST_MAX) {
				best[k] = best[k - 1];
				bd[k] = bd[k - 1];
			}
		if (k < SUGGEST_MAX) {
			best[k] = u[i];
			bd[k] = d;
			if (nb < SUGGEST_MAX)
				nb++;
		}
	}
	if (nb > 0) {
		off = (size_t)snprintf(dst, n, "did you mean ");
		for (i = 0; i < nb && off < n; i++)
			off += (size_t)snprintf(dst + off, n - off, "%s%s", i == 0 ? "" :
			    i + 1 == nb ? " or " : ", ", best[i]);
		if (off < n)
			snprintf(dst + off, n - off, "?");
		free(u);
		return 1;
	}
	if (nu == 0) {
		snprintf(dst, n, "no %s there", what);
		free(u);
		return 0;
	}
	off = (size_t)snprintf(dst, n, "%s there: ", what);
	for (i = 0; i < nu && i < SUGGEST_LIST && off < n; i++)
		off += (size_t)snprintf(dst + off, n - off, "%s%s", i ? ", " : "", u[i]);
	if (nu > SUGGEST_LIST && off < n)
		snprintf(dst + off, n - off, ", ... (%zu in all)", nu);
	free(u);
	return 0;
}
