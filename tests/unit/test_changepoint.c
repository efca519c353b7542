/*
 * Unit tests: change points (E-divisive means) and their false-alarm
 * behaviour on synthetic series. The figures asserted here are the ones
 * docs/digest.md quotes ("Change points").
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "eval/changepoint.h"
#include "t.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static double
urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

/* N(mean, sd) by Box-Muller */
static double
gauss(double mean, double sd)
{
	return mean + sd * sqrt(-2 * log(urand())) * cos(2 * 3.14159265358979323846 * urand());
}

#define N	30
#define RUNS	200

static void
test_exact(void)
{
	double x[12] = {10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20};
	struct changepoint cp[4];
	size_t n;

	T_OK(changepoint_q(x, 12, 6) > changepoint_q(x, 12, 5), "Q peaks at the true split");
	T_OK(changepoint_q(x, 12, 6) > changepoint_q(x, 12, 7), "on both sides");
	n = changepoints(x, 12, 0.10, 0, cp, 4);
	T_EQ_INT(n, 1, "one step, one change point");
	T_EQ_INT(cp[0].at, 6, "at the first value after the step");
	T_OK(fabs(cp[0].magnitude - 10) < 1e-9 && fabs(cp[0].before - 10) < 1e-9,
	    "magnitude 10 from 10 to 20");
	T_OK(fabs(cp[0].floor - 1) < 1e-9, "floor: 10 % of the before median");
	T_EQ_INT(changepoints(x, 12, 1.5, 0, cp, 4), 0, "a shift below the noise floor is not flagged");
	T_EQ_INT(changepoints(x, 5, 0.1, 0, cp, 4), 0, "too short a history: nothing");
}

static void
test_synthetic(void)
{
	struct changepoint cp[8];
	double x[N];
	size_t r, i, alarms = 0, raw_alarms = 0, found = 0, near = 0, two = 0;
	char msg[160];

	/* Stationary noise, sd 5 % of the level: any flag is a false alarm. */
	for (r = 0; r < RUNS; r++) {
		for (i = 0; i < N; i++)
			x[i] = gauss(1000, 50);
		raw_alarms += changepoints(x, N, 0, 0, cp, 8) > 0;
		alarms += changepoints(x, N, 0.10, 1, cp, 8) > 0;
	}
	snprintf(msg, sizeof msg, "stationary series: %zu of %d with a significant split "
	    "(the test's 5 %% and a little more from the recursion)", raw_alarms, RUNS);
	T_OK(raw_alarms <= RUNS / 10, msg);
	snprintf(msg, sizeof msg, "stationary series: %zu of %d flagged past a 10 %% floor "
	    "(2 sd: medians of short segments can still differ that much)", alarms, RUNS);
	T_OK(alarms <= RUNS / 100, msg);

	/* A lasting +20 % shift (4 sd) at index 15. */
	for (r = 0; r < RUNS; r++) {
		size_t n;

		for (i = 0; i < N; i++)
			x[i] = gauss(i < 15 ? 1000 : 1200, 50);
		n = changepoints(x, N, 0.10, 1, cp, 8);
		found += n > 0;
		for (i = 0; i < n; i++)
			if (cp[i].at >= 14 && cp[i].at <= 16) {
				near++;
				break;
			}
	}
	snprintf(msg, sizeof msg, "a 20 %% shift is found in %zu of %d series", found, RUNS);
	T_OK(found >= RUNS * 95 / 100, msg);
	snprintf(msg, sizeof msg, "within one bundle of where it happened in %zu of %d", near, RUNS);
	T_OK(near >= RUNS * 90 / 100, msg);

	/* A one-off spike is no lasting shift. */
	for (r = 0, alarms = 0; r < RUNS; r++) {
		for (i = 0; i < N; i++)
			x[i] = gauss(1000, 50) + (i == 20 ? 1500 : 0);
		alarms += changepoints(x, N, 0.10, 1, cp, 8) > 0;
	}
	snprintf(msg, sizeof msg, "a single outlier: %zu of %d flagged", alarms, RUNS);
	T_OK(alarms <= RUNS / 20, msg);

	/* Two shifts: up at 10, back down at 20. */
	for (r = 0; r < RUNS; r++) {
		for (i = 0; i < N; i++)
			x[i] = gauss(i >= 10 && i < 20 ? 1300 : 1000, 50);
		two += changepoints(x, N, 0.10, 1, cp, 8) == 2;
	}
	snprintf(msg, sizeof msg, "up then down: both shifts found in %zu of %d", two, RUNS);
	T_OK(two >= RUNS * 90 / 100, msg);
}

int
main(void)
{
	test_exact();
	test_synthetic();
	return t_done();
}
