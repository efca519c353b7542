/*
 * t.h — the unit-test harness: TAP lines ("ok N - what", "not ok N - what")
 * that tests/run.sh counts. Each assertion names what a user would care
 * about. Header-only; include it once per test program.
 */
#ifndef T_H
#define T_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_n, t_failed;

static inline void
t_report(int ok, const char *file, int line, const char *what, const char *detail)
{
	t_n++;
	if (!ok)
		t_failed++;
	printf("%sok %d - %s", ok ? "" : "not ", t_n, what);
	if (!ok)
		printf("  # %s:%d: %s", file, line, detail);
	putchar('\n');
}

#define T_OK(cond, what) \
	t_report(!!(cond), __FILE__, __LINE__, (what), "expected: " #cond)

#define T_EQ_INT(got, want, what) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); char d_[128]; \
	snprintf(d_, sizeof d_, "got %lld, want %lld", g_, w_); \
	t_report(g_ == w_, __FILE__, __LINE__, (what), d_); \
} while (0)

#define T_EQ_STR(got, want, what) do { \
	const char *g_ = (got), *w_ = (want); char d_[1100]; \
	snprintf(d_, sizeof d_, "got \"%.500s\", want \"%.500s\"", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	t_report(g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_, __FILE__, __LINE__, (what), d_); \
} while (0)

#define T_NEAR(got, want, eps, what) do { \
	double g_ = (got), w_ = (want); char d_[128]; \
	snprintf(d_, sizeof d_, "got %.17g, want %.17g", g_, w_); \
	t_report(fabs(g_ - w_) <= (eps), __FILE__, __LINE__, (what), d_); \
} while (0)

/* Where ../shared/corpus is (SLOPROOF_CORPUS overrides), or NULL with a notice. */
static inline const char *
t_corpus(void)
{
	const char *c = getenv("SLOPROOF_CORPUS");
	FILE *f;
	static char path[4096];

	if (c == NULL)
		c = "../shared/corpus";
	snprintf(path, sizeof path, "%s/FORMATS.md", c);
	if ((f = fopen(path, "r")) == NULL) {
		printf("# skip: no corpus at %s (set SLOPROOF_CORPUS); corpus tests not run\n", c);
		return NULL;
	}
	fclose(f);
	return c;
}

static inline int
t_done(void)
{
	printf("# %d passed, %d failed\n", t_n - t_failed, t_failed);
	return t_failed ? 1 : 0;
}

#endif
