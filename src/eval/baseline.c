/*
 * baseline.c — which bundles are alike (baseline.h). Reads bundle
 * summaries (in_bundle) and the rule files inside the bundles; owns
 * nothing. Must not depend on any renderer.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval/baseline.h"
#include "in/drill.h"
#include "in/in_bundle.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/sha256.h"
#include "util/splimits.h"

#define DURATION_SLACK	0.05	/* runs within 5 % of each other's length have one shape */

int
baseline_rules_hash(const struct bsum *b, char hex[65])
{
	struct sha256 h;
	struct buf text;
	char path[4200];
	size_t i;
	int rc = 0;

	if (b->nslo_files == 0 || b->dir == NULL)
		return -1;
	sha256_init(&h);
	buf_init(&text, LIM_RULES_BYTES);
	for (i = 0; i < b->nslo_files && rc == 0; i++) {
		/* A name reaching out of the bundle is not the bundle's rules. */
		if (strstr(b->slo_files[i], "..") != NULL || b->slo_files[i][0] == '/') {
			rc = -1;
			break;
		}
		snprintf(path, sizeof path, "%s/%s", b->dir, b->slo_files[i]);
		text.len = 0;
		if (!fsio_exists(path) || fsio_read(path, LIM_RULES_BYTES, &text, NULL, NULL) == -1) {
			rc = -1;
			break;
		}
		/* The name is not hashed: slo.yaml in one bundle, slo-2.yaml in another, same rules. */
		sha256_update(&h, &text.len, sizeof text.len);
		sha256_update(&h, buf_str(&text), text.len);
	}
	buf_release(&text);
	sha256_final(&h, hex);
	return rc;
}

/* The peak VUs a bundle's k6 evidence recorded, or -1. */
static double
vus(const struct bsum *b)
{
	const struct bsum_metric *m = bsum_find_metric(b, "vus_max");
	const double *v;

	if (m == NULL)
		return -1;
	if ((v = bsum_stat(m, "max")) != NULL || (v = bsum_stat(m, "value")) != NULL)
		return *v;
	return -1;
}

/* The k6 scenario names the metrics' tags mention, sorted and comma-joined, into dst. */
static void
scenarios(const struct bsum *b, char *dst, size_t n)
{
	const char *names[64];
	size_t i, k, nn = 0, off = 0, len;

	for (i = 0; i < b->nmetrics; i++) {
		const char *s = strstr(b->metrics[i].name, "scenario:");

		if (s == NULL)
			continue;
		s += 9;
		len = strcspn(s, ",}");
		for (k = 0; k < nn; k++)
			if (strncmp(names[k], s, len) == 0 && strcspn(names[k], ",}") == len)
				break;
		if (k == nn && nn < 64)
			names[nn++] = s;
	}
	/* insertion sort: a handful of names */
	for (i = 1; i < nn; i++)
		for (k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			const char *t = names[k];

			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	dst[0] = '\0';
	for (i = 0; i < nn && off < n; i++)
		off += (size_t)snprintf(dst + off, n - off, "%s%.*s", i ? "," : "",
		    (int)strcspn(names[i], ",}"), names[i]);
}

static void
faults(const struct bsum *b, char *dst, size_t n)
{
	size_t i, off = 0;

	snprintf(dst, n, "none");
	for (i = 0; i < b->nfaults && off < n; i++)
		off += (size_t)snprintf(dst + off, n - off, "%s%s", i ? "," : "", b->faults[i]);
}

static void
add(char *why, size_t n, const char *fmt, const char *x, const char *y)
{
	size_t off = strlen(why);

	if (off >= n)
		return;
	if (off > 0)
		off += (size_t)snprintf(why + off, n - off, "; ");
	if (off < n)
		snprintf(why + off, n - off, fmt, x, y);
}

int
baseline_alike(const struct bsum *a, const struct bsum *b, char *why, size_t n)
{
	char x[256], y[256], ha[65], hb[65];
	double va, vb;

	why[0] = '\0';
	drill_slug(a->title, x, sizeof x);
	drill_slug(b->title, y, sizeof y);
	if (strcmp(x, y) != 0)
		add(why, n, "drill %s vs %s", x, y);
	if (strcmp(a->environment ? a->environment : "", b->environment ? b->environment : "") != 0)
		add(why, n, "environment %s vs %s", a->environment ? a->environment : "(none)",
		    b->environment ? b->environment : "(none)");
	if (baseline_rules_hash(a, ha) == 0 && baseline_rules_hash(b, hb) == 0 &&
	    strcmp(ha, hb) != 0) {
		snprintf(x, sizeof x, "%.12s", ha);
		snprintf(y, sizeof y, "%.12s", hb);
		add(why, n, "SLO rules differ (sha256 %s... vs %s...)", x, y);
	}
	faults(a, x, sizeof x);
	faults(b, y, sizeof y);
	if (strcmp(x, y) != 0)
		add(why, n, "faults %s vs %s", x, y);
	va = vus(a);
	vb = vus(b);
	if (va >= 0 && vb >= 0 && va != vb) {
		snprintf(x, sizeof x, "%g", va);
		snprintf(y, sizeof y, "%g", vb);
		add(why, n, "peak VUs %s vs %s", x, y);
	}
	if (a->have_duration && b->have_duration &&
	    fabs(a->duration_ms - b->duration_ms) > DURATION_SLACK * fmax(a->duration_ms, b->duration_ms)) {
		snprintf(x, sizeof x, "%.0f s", a->duration_ms / 1000);
		snprintf(y, sizeof y, "%.0f s", b->duration_ms / 1000);
		add(why, n, "test duration %s vs %s", x, y);
	}
	scenarios(a, x, sizeof x);
	scenarios(b, y, sizeof y);
	if (x[0] && y[0] && strcmp(x, y) != 0)
		add(why, n, "k6 scenarios %s vs %s", x, y);
	return why[0] == '\0';
}
