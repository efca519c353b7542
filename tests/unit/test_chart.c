/*
 * Unit tests: chart layout (ticks, ranges, reduction, label placement),
 * plans compared with tests/unit/chart/NAME.plan (CHART_REGEN=1 rewrites
 * them; review the diff), deterministic painting and the CSV data.
 * CHART_PREVIEW=DIR also writes each fixture's PNG and SVG there.
 */
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "chart/chart.h"
#include "util/diag.h"
#include "model/run.h"
#include "util/timeutil.h"
#include "t.h"

#define T0 1795860000000LL	/* 2026-11-28T10:00:00Z */
#define MIN 60000LL

/*
 * fontconfig keeps what it parsed of its configuration for the life of the
 * process (only FcFini, which is fontconfig's header, would free it); that
 * is not ours to fix. LeakSanitizer reads this hook when it is linked in.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static char errbuf[4096];
static FILE *errf;

static void
capture(void)
{
	memset(errbuf, 0, sizeof errbuf);
	errf = fmemopen(errbuf, sizeof errbuf - 1, "w");
	diag_set_stream(errf);
}

static void
release(void)
{
	diag_set_stream(NULL);
	fclose(errf);
	diag_reset();
}

static struct series *
new_series(struct run *run, const char *name, enum unit unit)
{
	struct series *s = run_add_series(run);

	s->name = arena_strdup(&run->arena, name);
	s->unit = unit;
	s->unit_known = 1;
	return s;
}

/* A p95 latency over an hour at 15 s, slow during the fault, with a gap. */
static void
latency_fixture(struct run *run, struct series **p95, struct series **p99)
{
	int64_t t;

	*p95 = new_series(run, "api_latency_p95", UNIT_MS);
	*p99 = new_series(run, "api_latency_p99", UNIT_MS);
	for (t = T0; t <= T0 + 60 * MIN; t += 15000) {
		double base = 240 + 40 * sin((double)(t - T0) / 300000.0), v95, v99;
		long k = (long)((t - T0) / 15000);

		if (t >= T0 + 41 * MIN && t < T0 + 45 * MIN)
			continue;	/* the scraper was down */
		v95 = base + (k * 37 % 11) * 6;
		if (t >= T0 + 20 * MIN && t < T0 + 32 * MIN)
			v95 += 900 + 500 * sin((double)(t - T0 - 20 * MIN) / 230000.0);
		v99 = v95 * 1.45 + (k * 13 % 7) * 10;
		series_add_point(*p95, t, v95, 0);
		series_add_point(*p99, t, v99, 0);
	}
	series_finish(*p95);
	series_finish(*p99);
}

static const struct chart_band lines_bands[] = {
	{"redis-primary-kill", T0 + 20 * MIN, T0 + 32 * MIN},
	{"pod-network-delay-with-a-long-name", T0 + 48 * MIN, T0 + 53 * MIN},
};

static void
lines_spec(struct chart_spec *sp, const struct series *const *ss, const char *const *labels)
{
	memset(sp, 0, sizeof *sp);
	sp->kind = CHART_LINES;
	sp->title = "API latency during the Redis outage drill";
	sp->series = ss;
	sp->labels = labels;
	sp->nseries = 2;
	sp->have_limit = 1;
	sp->limit = 1500;
	sp->bands = lines_bands;
	sp->nbands = 2;
}

static struct alert_interval *
new_alert(struct run *run, const char *name, const char *sev, int64_t start, int64_t end)
{
	struct alert_interval *a = run_add_alert(run);

	a->name = arena_strdup(&run->arena, name);
	a->severity = sev ? arena_strdup(&run->arena, sev) : NULL;
	a->start = start;
	if (end) {
		a->have_end = 1;
		a->end = end;
	}
	return a;
}

static void
alerts_fixture(struct run *run)
{
	struct alert_interval *a;

	new_alert(run, "Watchdog", "none", T0 - 60 * MIN, 0)->always_firing = 1;
	a = new_alert(run, "RedisDown", "critical", T0 + 21 * MIN, T0 + 33 * MIN);
	a->have_pending = 1;
	a->pending_since = T0 + 20 * MIN + 30000;
	new_alert(run, "APILatencyHigh", "warning", T0 + 23 * MIN, T0 + 35 * MIN);
	new_alert(run, "APILatencyHigh", "critical", T0 + 25 * MIN, T0 + 31 * MIN);
	new_alert(run, "KubePodCrashLooping", "warning", T0 + 27 * MIN, 0);
	new_alert(run, "ErrorBudgetBurn", NULL, T0 + 29 * MIN, T0 + 44 * MIN);
}

static void
hpa_fixture(struct run *run)
{
	static const struct { int64_t t, err; int from, to; } ev[] = {
		{T0 + 22 * MIN, 0, 3, 6},
		{T0 + 24 * MIN, 0, 6, 9},
		{T0 + 36 * MIN, 90000, 9, 5},
		{T0 + 44 * MIN, 120000, 5, 3},
	};
	struct hpa_state *h;
	size_t i;

	for (i = 0; i < sizeof ev / sizeof ev[0]; i++) {
		struct scale_event *e = run_add_scale_event(run);

		e->target = arena_strdup(&run->arena, "gateway");
		e->t = ev[i].t;
		e->t_err = ev[i].err;
		e->have_from = 1;
		e->from = ev[i].from;
		e->to = ev[i].to;
	}
	h = run_add_hpa_state(run);
	h->name = arena_strdup(&run->arena, "gateway");
	h->have_min = h->have_max = h->have_current = h->have_desired = h->have_t = 1;
	h->min = 3;
	h->max = 10;
	h->current = 3;
	h->desired = 3;
	h->t = T0 + 50 * MIN;
}

static void
preview(const struct chart_plan *pl, const char *name)
{
	const char *dir = getenv("CHART_PREVIEW");
	char path[4096];
	struct buf b;
	FILE *f;
	int fmt;

	if (dir == NULL)
		return;
	for (fmt = 0; fmt < 2; fmt++) {
		buf_init(&b, 1u << 26);
		if (chart_paint(pl, fmt ? CHART_SVG : CHART_PNG, &b) == 0) {
			snprintf(path, sizeof path, "%s/%s.%s", dir, name, fmt ? "svg" : "png");
			if ((f = fopen(path, "wb")) != NULL) {
				fwrite(b.data, 1, b.len, f);
				fclose(f);
			}
		}
		buf_release(&b);
	}
}

/* Compares the plan's dump with tests/unit/chart/NAME.plan (CHART_REGEN=1 rewrites it). */
static void
golden(const struct chart_plan *pl, const char *name)
{
	char path[256], what[300];
	struct buf got, want;
	FILE *f;
	long n;

	buf_init(&got, 1u << 24);
	buf_init(&want, 1u << 24);
	chart_plan_dump(pl, &got);
	snprintf(path, sizeof path, "tests/unit/chart/%s.plan", name);
	snprintf(what, sizeof what, "the %s plan matches %s", name, path);
	if (getenv("CHART_REGEN") && (f = fopen(path, "w")) != NULL) {
		fwrite(got.data, 1, got.len, f);
		fclose(f);
	}
	if ((f = fopen(path, "r")) != NULL) {
		char chunk[4096];

		while ((n = (long)fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&want, chunk, (size_t)n);
		fclose(f);
	}
	T_EQ_STR(buf_str(&got), buf_str(&want), what);
	buf_release(&got);
	buf_release(&want);
	preview(pl, name);
}

static int
has_text(const struct chart_plan *pl, enum chart_role role, const char *text)
{
	size_t i;

	for (i = 0; i < pl->nprims; i++)
		if (pl->prims[i].kind == CP_TEXT && pl->prims[i].role == role &&
		    strcmp(pl->prims[i].text, text) == 0)
			return 1;
	return 0;
}

/* Legend swatches sit left of the plot, above it. */
static int
is_legend(const struct chart_plan *pl, const struct chart_prim *p)
{
	double x = p->kind == CP_LINE ? p->xy[0] : p->x, y = p->kind == CP_LINE ? p->xy[1] : p->y;

	return y < pl->py && x < pl->px + pl->pw;
}

/* Primitives of one kind and role in the plot (not the legend), and their points. */
static size_t
count_prims(const struct chart_plan *pl, enum chart_prim_kind kind, enum chart_role role,
    size_t *npts)
{
	size_t i, n = 0;

	if (npts)
		*npts = 0;
	for (i = 0; i < pl->nprims; i++)
		if (pl->prims[i].kind == kind && pl->prims[i].role == role &&
		    !is_legend(pl, &pl->prims[i])) {
			n++;
			if (npts)
				*npts += pl->prims[i].npts;
		}
	return n;
}

static const struct chart_prim *
find_text_prefix(const struct chart_plan *pl, enum chart_role role, const char *prefix)
{
	size_t i;

	for (i = 0; i < pl->nprims; i++)
		if (pl->prims[i].kind == CP_TEXT && pl->prims[i].role == role &&
		    strncmp(pl->prims[i].text, prefix, strlen(prefix)) == 0)
			return &pl->prims[i];
	return NULL;
}

static void
test_lines(void)
{
	struct run run;
	struct series *p95, *p99;
	const struct series *ss[2];
	const char *labels[] = {"p95", "p99"};
	struct chart_spec sp;
	struct chart_plan *pl;
	const struct chart_prim *lim;
	size_t npts;

	run_init(&run);
	latency_fixture(&run, &p95, &p99);
	ss[0] = p95;
	ss[1] = p99;
	lines_spec(&sp, ss, labels);
	sp.series = ss;
	T_OK(chart_layout(&sp, &pl) == 0, "a two-series latency chart lays out");
	T_EQ_INT(pl->t0, T0, "the time axis starts at the first point");
	T_EQ_INT(pl->t1, T0 + 60 * MIN, "the time axis ends at the last point");
	T_EQ_INT(pl->tstep, 10 * MIN, "an hour over 960 px gets 10-minute ticks");
	T_OK(has_text(pl, CR_TEXT, "10:00") && has_text(pl, CR_TEXT, "11:00"),
	    "time ticks are labelled HH:MM in UTC");
	T_NEAR(pl->ylo, 0, 1e-9, "latency starts from zero");
	T_NEAR(pl->ystep, 500, 1e-9, "value ticks are 500 ms apart");
	T_OK(has_text(pl, CR_TEXT, "1.5 s") && has_text(pl, CR_TEXT, "500 ms"),
	    "value ticks are labelled in people's units");
	T_OK(pl->yhi > 1500 * 1.05 && pl->yhi > 2400, "the limit and the worst p99 are inside with headroom");
	lim = find_text_prefix(pl, CR_LIMIT, "limit");
	T_OK(lim != NULL, "the limit line is labelled");
	T_EQ_STR(lim ? lim->text : NULL, "limit < 1.5 s", "the limit label says the limit in seconds");
	T_EQ_INT(count_prims(pl, CP_LINE, CR_SERIES, NULL), 4,
	    "the scrape gap breaks each series into two lines");
	T_OK(has_text(pl, CR_BAND_TEXT, "redis-primary-kill"), "a wide fault window shows its whole name");
	T_OK(find_text_prefix(pl, CR_BAND_TEXT, "pod-") &&
	    strstr(find_text_prefix(pl, CR_BAND_TEXT, "pod-")->text, "\xe2\x80\xa6"),
	    "a narrow fault window's name is shortened with an ellipsis");
	T_OK(has_text(pl, CR_MUTED, "2026-11-28 \xc2\xb7 times in UTC"),
	    "the subtitle says the date and that times are UTC");
	golden(pl, "lines");
	count_prims(pl, CP_LINE, CR_SERIES, &npts);
	T_EQ_INT(npts, 225 * 2, "an unreduced series keeps every point");
	chart_plan_free(pl);

	/* Tehran: labels move, geometry does not. */
	sp.display_offset = 210;
	sp.subtitle = "Redis outage drill \xc2\xb7 Asia/Tehran";
	T_OK(chart_layout(&sp, &pl) == 0, "a chart in Tehran time lays out");
	T_OK(has_text(pl, CR_TEXT, "13:30") && has_text(pl, CR_TEXT, "14:30"),
	    "time ticks are shown at +03:30");
	T_OK(has_text(pl, CR_MUTED, "Redis outage drill \xc2\xb7 Asia/Tehran"), "the caller's subtitle is kept");
	chart_plan_free(pl);

	/* A limit far above the data still shows. */
	sp.display_offset = 0;
	sp.limit = 5000;
	T_OK(chart_layout(&sp, &pl) == 0, "a chart with a high limit lays out");
	T_OK(pl->yhi > 5000, "the limit line stays inside the value range");
	T_OK(has_text(pl, CR_LIMIT, "limit < 5 s"), "the high limit is labelled");
	chart_plan_free(pl);
	run_release(&run);
}

static void
test_ticks(void)
{
	struct run run;
	struct series *s;
	const struct series *ss[1];
	struct chart_spec sp;
	struct chart_plan *pl;
	int64_t t;

	run_init(&run);
	s = new_series(&run, "error_ratio", UNIT_RATIO);
	for (t = T0; t <= T0 + 2 * MIN; t += 1000)
		series_add_point(s, t, 0.002 + (double)((t / 1000) % 7) * 0.001, 0);
	series_finish(s);
	ss[0] = s;
	memset(&sp, 0, sizeof sp);
	sp.kind = CHART_LINES;
	sp.series = ss;
	sp.nseries = 1;
	T_OK(chart_layout(&sp, &pl) == 0, "a two-minute ratio chart lays out");
	T_EQ_INT(pl->tstep, 15000, "two minutes get 15-second ticks");
	T_OK(has_text(pl, CR_TEXT, "10:00:15"), "sub-minute ticks are labelled HH:MM:SS");
	T_NEAR(pl->ylo, 0, 1e-12, "a ratio near zero starts at zero");
	T_NEAR(pl->ystep, 0.002, 1e-12, "ratio ticks are 0.2 % apart");
	T_OK(has_text(pl, CR_TEXT, "0.8 %"), "ratio ticks are labelled in percent");
	chart_plan_free(pl);

	/* Two days: day ticks */
	sp.t0 = T0;
	sp.t1 = T0 + 9 * 24 * 60 * MIN;
	T_OK(chart_layout(&sp, &pl) == 0, "a nine-day range lays out");
	T_EQ_INT(pl->tstep, 86400000, "nine days get daily ticks");
	T_OK(has_text(pl, CR_TEXT, "11-29"), "daily ticks are labelled MM-DD");
	chart_plan_free(pl);

	/* A narrow chart climbs the ladder so labels do not touch. */
	sp.t0 = sp.t1 = 0;
	sp.width = 200;
	T_OK(chart_layout(&sp, &pl) == 0, "a 200 px wide chart lays out");
	T_OK(pl->tstep >= 30000, "a narrow chart gets fewer, wider-spaced ticks");
	chart_plan_free(pl);
	run_release(&run);
}

static void
test_million(void)
{
	struct run run;
	struct series *s;
	const struct series *ss[1];
	struct chart_spec sp;
	struct chart_plan *pl;
	size_t i, npts;
	double top = 1e9;

	run_init(&run);
	s = new_series(&run, "http_req_duration", UNIT_MS);
	for (i = 0; i < 1000000; i++)
		series_add_point(s, T0 + (int64_t)i * 10, i == 777777 ? 9000 : 100 + (double)(i % 50), 0);
	series_finish(s);
	ss[0] = s;
	memset(&sp, 0, sizeof sp);
	sp.kind = CHART_LINES;
	sp.series = ss;
	sp.nseries = 1;
	T_OK(chart_layout(&sp, &pl) == 0, "a million points lay out");
	count_prims(pl, CP_LINE, CR_SERIES, &npts);
	T_OK(npts <= 4 * (size_t)pl->width, "a million points reduce to at most four per pixel column (M4)");
	T_OK(npts > (size_t)pl->pw, "the reduced line still has a point in every column");
	for (i = 0; i < pl->nprims; i++)
		if (pl->prims[i].role == CR_SERIES && !is_legend(pl, &pl->prims[i])) {
			size_t j;

			for (j = 0; j < pl->prims[i].npts; j++)
				if (pl->prims[i].xy[2 * j + 1] < top)
					top = pl->prims[i].xy[2 * j + 1];
		}
	T_NEAR(top, pl->py + pl->ph - (9000 - pl->ylo) * pl->ph / (pl->yhi - pl->ylo), 0.01,
	    "a one-sample spike among a million survives the reduction");
	chart_plan_free(pl);
	run_release(&run);
}

static void
test_gantt(void)
{
	struct run run;
	struct chart_spec sp;
	struct chart_plan *pl;
	struct buf b;

	run_init(&run);
	alerts_fixture(&run);
	memset(&sp, 0, sizeof sp);
	sp.kind = CHART_GANTT;
	sp.title = "Alerts during the Redis outage drill";
	sp.alerts = run.alerts;
	sp.nalerts = run.nalerts;
	sp.bands = lines_bands;
	sp.nbands = 1;
	sp.capture_end = T0 + 40 * MIN;
	T_OK(chart_layout(&sp, &pl) == 0, "an alert timeline lays out");
	T_OK(has_text(pl, CR_TEXT, "RedisDown \xc2\xb7 critical"), "a row is named by alert and severity");
	T_OK(has_text(pl, CR_TEXT, "APILatencyHigh \xc2\xb7 warning") &&
	    has_text(pl, CR_TEXT, "APILatencyHigh \xc2\xb7 critical"),
	    "the same alert at two severities gets two rows");
	T_OK(!find_text_prefix(pl, CR_TEXT, "Watchdog"), "always-firing alerts are left out");
	T_EQ_INT(count_prims(pl, CP_RECT, CR_CRITICAL, NULL), 2, "two critical bars");
	T_OK(has_text(pl, CR_MUTED, "13m00s, still firing"), "an open alert says it was still firing at capture end");
	T_EQ_INT(count_prims(pl, CP_RECT, CR_PENDING, NULL), 1, "the pending time shows before the firing bar");
	golden(pl, "gantt");
	chart_plan_free(pl);

	buf_init(&b, 1u << 20);
	T_OK(chart_csv(&sp, &b) == 0, "alert CSV is written");
	T_OK(strstr(buf_str(&b), "alert,labels,start,end\n") == buf_str(&b), "the alert CSV has its header");
	T_OK(strstr(buf_str(&b), "KubePodCrashLooping,,2026-11-28T10:27:00Z,\n") != NULL,
	    "an open alert has an empty end");
	buf_release(&b);

	capture();
	sp.nalerts = 1;
	T_OK(chart_layout(&sp, &pl) == -1, "only Watchdog: no timeline");
	release();
	T_EQ_STR(errbuf, "sloproof: error: no alerts to chart (only always-firing ones like Watchdog)\n",
	    "no alerts to chart says why");
	run_release(&run);
}

static void
test_steps(void)
{
	struct run run;
	struct chart_spec sp;
	struct chart_plan *pl;
	struct buf b;
	size_t npts;

	run_init(&run);
	hpa_fixture(&run);
	memset(&sp, 0, sizeof sp);
	sp.kind = CHART_STEPS;
	sp.title = "gateway replicas";
	sp.events = run.scale_events;
	sp.nevents = run.nscale_events;
	sp.states = run.hpa_states;
	sp.nstates = run.nhpa_states;
	sp.bands = lines_bands;
	sp.nbands = 1;
	T_OK(chart_layout(&sp, &pl) == 0, "an HPA step chart lays out");
	T_NEAR(pl->ylo, 0, 1e-9, "replicas count from zero");
	T_OK(pl->yhi >= 10 && pl->ystep >= 1, "the max replicas line fits and ticks are whole");
	T_OK(has_text(pl, CR_REPLICA_BOUND, "min 3") && has_text(pl, CR_REPLICA_BOUND, "max 10"),
	    "min and max replicas are labelled");
	T_EQ_INT(count_prims(pl, CP_RECT, CR_UNCERTAIN, NULL), 2, "two approximate events get hatched bands");
	count_prims(pl, CP_LINE, CR_SERIES, &npts);
	T_OK(npts > 10, "current and desired are step lines");
	golden(pl, "steps");
	chart_plan_free(pl);

	buf_init(&b, 1u << 20);
	T_OK(chart_csv(&sp, &b) == 0, "HPA CSV is written");
	T_EQ_STR(buf_str(&b),
	    "time_utc,current,desired\n"
	    "2026-11-28T10:22:00Z,6,6\n"
	    "2026-11-28T10:24:00Z,9,9\n"
	    "2026-11-28T10:36:00Z,5,5\n"
	    "2026-11-28T10:44:00Z,3,3\n"
	    "2026-11-28T10:50:00Z,3,3\n", "the HPA CSV has one row per change");
	buf_release(&b);

	capture();
	sp.hpa = "web";
	T_OK(chart_layout(&sp, &pl) == -1, "an unknown HPA is an error");
	release();
	T_EQ_STR(errbuf, "sloproof: error: no autoscaler \"web\" in the inputs; there are: \"gateway\"\n",
	    "an unknown HPA lists the ones there are");
	run_release(&run);
}

static void
test_errors_and_paint(void)
{
	struct run run;
	struct series *p95, *p99;
	const struct series *ss[2];
	struct chart_spec sp;
	struct chart_plan *pl;
	struct buf a, b;
	int fmt;

	run_init(&run);
	latency_fixture(&run, &p95, &p99);
	ss[0] = p95;
	ss[1] = p99;
	lines_spec(&sp, ss, NULL);
	sp.t0 = T0 - 120 * MIN;
	sp.t1 = T0 - 60 * MIN;
	capture();
	T_OK(chart_layout(&sp, &pl) == -1, "a range without data is an error");
	release();
	T_EQ_STR(errbuf, "sloproof: error: no data to chart between 2026-11-28T08:00:00Z and "
	    "2026-11-28T09:00:00Z\n", "no data in range names the range");

	sp.t0 = sp.t1 = 0;
	T_OK(chart_layout(&sp, &pl) == 0, "the latency chart lays out again");
	T_OK(has_text(pl, CR_TEXT, "api_latency_p95"), "without labels the legend uses series names");
	for (fmt = 0; fmt < 2; fmt++) {
		buf_init(&a, 1u << 26);
		buf_init(&b, 1u << 26);
		T_OK(chart_paint(pl, fmt ? CHART_SVG : CHART_PNG, &a) == 0 &&
		    chart_paint(pl, fmt ? CHART_SVG : CHART_PNG, &b) == 0,
		    fmt ? "the chart paints as SVG" : "the chart paints as PNG");
		T_OK(a.len > 1000 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
		    fmt ? "the same plan gives byte-identical SVG" : "the same plan gives byte-identical PNG");
		if (fmt == 0)
			T_OK(memcmp(a.data, "\x89PNG\r\n\x1a\n", 8) == 0, "the PNG has the PNG signature");
		else
			T_OK(strstr(buf_str(&a), "<svg") != NULL, "the SVG is an svg document");
		buf_release(&a);
		buf_release(&b);
	}
	buf_init(&a, 1000);
	capture();
	T_OK(chart_paint(pl, CHART_PNG, &a) == -1, "a PNG larger than its buffer fails");
	release();
	T_EQ_STR(errbuf, "sloproof: error: chart too large for its output buffer\n",
	    "an overfull buffer is reported");
	buf_release(&a);
	chart_plan_free(pl);

	buf_init(&a, 1u << 20);
	T_OK(chart_csv(&sp, &a) == 0, "series CSV is written");
	T_OK(strncmp(buf_str(&a), "time_utc,api_latency_p95,api_latency_p99\n2026-11-28T10:00:00Z,",
	    62) == 0, "the series CSV has a header and UTC times");
	buf_release(&a);
	run_release(&run);
}

/* BARS: P95 per channel, whole run vs a fault. */
static void
test_bars(void)
{
	static const char *const cats[] = {"web", "instagram | ig"};
	static const char *const grps[] = {"whole run", "during redis-outage"};
	double vals[] = {804, 1501, 2024, NAN};
	struct chart_spec s;
	struct chart_plan *pl = NULL;
	struct buf b;
	size_t i, rects = 0;

	memset(&s, 0, sizeof s);
	s.kind = CHART_BARS;
	s.title = "P95 latency per channel";
	s.subtitle = "per channel";
	s.categories = cats;
	s.ncategories = 2;
	s.groups = grps;
	s.ngroups = 2;
	s.values = vals;
	s.bar_unit = UNIT_MS;
	s.have_limit = 1;
	s.limit = 1500;
	T_OK(chart_layout(&s, &pl) == 0 && pl != NULL, "bars: layout");
	for (i = 0; pl && i < pl->nprims; i++)
		rects += pl->prims[i].kind == CP_RECT && pl->prims[i].role == CR_SERIES &&
		    (pl->prims[i].flags & CPF_FILL);	/* bars, not the legend's swatches */
	T_EQ_INT(rects, 3, "bars: one bar per finite value (a NAN is left out)");
	buf_init(&b, 1 << 16);
	chart_plan_dump(pl, &b);
	T_OK(strstr(buf_str(&b), "\"web\"") != NULL && strstr(buf_str(&b), "\"instagram | ig\"") != NULL,
	    "bars: each category is labelled");
	T_OK(strstr(buf_str(&b), "\"limit 1.5 s\"") != NULL, "bars: the limit is labelled");
	T_OK(strstr(buf_str(&b), "\"2.024 s\"") != NULL, "bars: each bar shows its value");
	buf_reset(&b);
	T_OK(chart_csv(&s, &b) == 0, "bars: csv");
	T_EQ_STR(buf_str(&b), "category,group,value,unit\r\nweb,whole run,804,ms\r\nweb,during redis-outage,1501,ms\r\n"
	    "instagram | ig,whole run,2024,ms\r\n", "bars: the csv holds the plotted values");
	buf_release(&b);
	chart_plan_free(pl);
	vals[0] = vals[1] = vals[2] = NAN;
	{
		FILE *null = fopen("/dev/null", "w");

		diag_set_stream(null);
		T_OK(chart_layout(&s, &pl) == -1, "bars: no values is an error, not an empty chart");
		diag_set_stream(NULL);
		diag_reset();
		fclose(null);
	}
}

int
main(void)
{
	test_lines();
	test_ticks();
	test_million();
	test_gantt();
	test_steps();
	test_errors_and_paint();
	test_bars();
	chart_paint_release();
	return t_done();
}
