/*
 * cmd_chart.c — `sloproof chart`: one chart of the imported evidence, as
 * PNG, SVG or the CSV of what it plots, chosen by the output's extension.
 * It turns the command line into a chart_spec over the run; layout and
 * painting are chart.h's. Exit 0; 2 usage; 3 bad input or nothing to
 * chart; 4 when the output cannot be written.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "chart/chart.h"
#include "eval/explain.h"
#include "cmd/cmd.h"
#include "util/termsafe.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "in/import.h"
#include "model/run.h"
#include "jobs/pipeline.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "model/units.h"
#include "util/wallclock.h"

enum {
	OPT_KIND = 256, OPT_SERIES, OPT_LIMIT, OPT_FAULT, OPT_TITLE, OPT_SUBTITLE,
	OPT_SIZE, OPT_TZ, OPT_TZNAME, OPT_HPA, OPT_PLAN
};

static const struct opt chart_opts[] = {
	{"kind", OPT_KIND, "KIND", "lines (time series, the default), gantt (alerts) or steps (HPA replicas)"},
	{"series", OPT_SERIES, "SELECTOR", "a series to draw, e.g. api_latency_p95 or up{job=\"api\"}; repeatable; default all"},
	{"limit", OPT_LIMIT, "QUANTITY", "the SLO limit drawn as a dashed line, e.g. 1.5s or 1%"},
	{"fault", OPT_FAULT, "NAME=START..END", "a fault window to shade, RFC 3339 times; repeatable"},
	{"title", OPT_TITLE, "TEXT", "the chart's title"},
	{"subtitle", OPT_SUBTITLE, "TEXT", "the line under the title (default: the date and time zone)"},
	{"size", OPT_SIZE, "WxH", "size in pixels (default 960x400; gantt grows with its rows)"},
	{"tz", OPT_TZNAME, "ZONE", "the drill's IANA time zone, e.g. Asia/Tehran: times on the axis are shown in it, and inputs whose times carry no zone (Grafana CSV) are read in it"},
	{"tz-offset", OPT_TZ, "+HH:MM", "show times at this fixed offset from UTC (e.g. +03:30); inputs are read as UTC"},
	{"hpa", OPT_HPA, "NAME", "the autoscaler to draw with --kind steps (default: the only one)"},
	{"plan", OPT_PLAN, NULL, "print the chart's layout as text (what tests compare)"},
	{"output", 'o', "FILE", "write FILE.png, FILE.svg or FILE.csv (the data plotted)"},
	{NULL, 0, NULL, NULL}
};

static int cmd_chart(int, char **);

const struct cmd cmd_chart_spec = {
	"chart", cmd_chart,
	"[--kind lines|gantt|steps] [--series SELECTOR]... [--limit Q] [--fault NAME=START..END]... "
	"[--title T] [--size WxH] [--tz ZONE | --tz-offset +HH:MM] [--plan] -o FILE INPUT...",
	"draw a chart of series, alerts or autoscaling",
	"Draws one chart of the imported evidence for a status update or a drill\n"
	"report: time series with the SLO limit (lines), alert firing windows\n"
	"(gantt), or an autoscaler's current and desired replicas (steps). Fault\n"
	"windows given with --fault are shaded and named. Times are shown in UTC\n"
	"unless --tz names the drill's zone (as a drill's timezone: does, it also\n"
	"anchors Grafana CSV times written without a zone) or --tz-offset a fixed\n"
	"offset. The output's extension picks the format:\n"
	".png, .svg, or .csv for the data the chart plots. The same inputs give the\n"
	"same bytes.\n\n"
	"What the marks mean:\n\n"
	"  solid line     a series (lines), or the current replicas (steps)\n"
	"  dashed line    the SLO limit from --limit, labelled \"limit < 1.5 s\" (lines);\n"
	"                 the desired replicas (steps)\n"
	"  dotted line    the autoscaler's min and max replicas (steps)\n"
	"  shaded band    a fault window from --fault, named at its top\n"
	"  bar            an alert firing, coloured by severity: critical, warning,\n"
	"                 other; pending before it fired (gantt)\n"
	"  faint band     a time known only approximately, from kubectl's relative\n"
	"                 ages (steps)",
	chart_opts,
	"  sloproof chart --series api_latency_p95 --limit 1.5s \\\n"
	"      --fault redis-kill=2026-11-28T10:20:00Z..2026-11-28T10:32:00Z \\\n"
	"      -o latency.png grafana:latency.csv\n"
	"  sloproof chart --kind gantt -o alerts.svg alerts:alerts.json\n"
	"  sloproof chart --tz Asia/Tehran -o lag.svg \\\n"
	"      --fault redis-outage=2026-11-28T10:12:00Z..2026-11-28T10:14:00Z \\\n"
	"      grafana:ingestion-lag.csv\n",
	"0\tthe chart was written\n"
	"2\tusage error\n"
	"3\tbad input, or nothing to draw (no series, alerts or replicas; no values); nothing written\n"
	"4\tsystem error: the output cannot be written\n",
};

#define MAX_SELECTED LIM_CHART_SERIES

struct chart_args {
	struct chart_spec	 spec;
	const char		*out;
	int			 plan;
	const char		*sel[MAX_SELECTED];
	size_t			 nsel;
	const char		*limit;
	const char		*tz;		/* --tz */
	int			 have_offset;	/* --tz-offset */
	char			 zone_label[96];
	struct chart_band	 bands[LIM_BANDS];
	char			 band_names[LIM_BANDS][128];
};

/* "+03:30", "-05:00", "+0330", "0": minutes east of UTC. */
static int
parse_offset(const char *s, int *minutes)
{
	int sign = 1, h, m = 0;
	size_t n = strlen(s);

	if (strcmp(s, "0") == 0 || strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0) {
		*minutes = 0;
		return 0;
	}
	if (n < 3 || (s[0] != '+' && s[0] != '-'))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
		return -1;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	if (*s == ':')
		s++;
	if (*s) {
		if (strlen(s) != 2 || s[0] < '0' || s[0] > '5' || s[1] < '0' || s[1] > '9')
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 14 || (h == 14 && m > 0))
		return -1;
	*minutes = sign * (h * 60 + m);
	return 0;
}

/* NAME=START..END into a band; the name is copied into name (n bytes). */
static int
parse_fault(const char *s, struct chart_band *b, char *name, size_t n)
{
	const char *eq = strchr(s, '='), *dots;
	size_t err;

	if (eq == NULL || eq == s || (size_t)(eq - s) >= n)
		return -1;
	if ((dots = strstr(eq + 1, "..")) == NULL)
		return -1;
	memcpy(name, s, (size_t)(eq - s));
	name[eq - s] = '\0';
	if (time_parse_rfc3339(eq + 1, (size_t)(dots - eq - 1), &b->start, &err) == -1 ||
	    time_parse_rfc3339(dots + 2, strlen(dots + 2), &b->end, &err) == -1 ||
	    b->end <= b->start)
		return -1;
	b->label = name;
	return 0;
}

/* "960x400" */
static int
parse_size(const char *s, int *w, int *h)
{
	const char *x = strchr(s, 'x');
	long long a, b;

	if (x == NULL || strnum_ll(s, (size_t)(x - s), &a) == -1 ||
	    strnum_ll(x + 1, strlen(x + 1), &b) == -1 ||
	    a < 200 || a > LIM_CHART_PX || b < 120 || b > LIM_CHART_PX)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

static const char *
extension(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* The series named on the command line (or all), with legend labels. */
static int
pick_series(struct run *run, struct chart_args *a, const struct series **ss, char labels[][LIM_NAME],
    const char **lp)
{
	struct selector sel;
	size_t i, n = 0, errpos;

	if (a->nsel == 0) {
		if (run->nseries == 0) {
			diag_error(NULL, 0, 0, "the inputs have no time series to chart; "
			    "series come from Grafana or Prometheus exports");
			return -1;
		}
		if (run->nseries > MAX_SELECTED) {
			diag_error(NULL, 0, 0, "the inputs have %zu series; pick at most %d with --series",
			    run->nseries, MAX_SELECTED);
			return -1;
		}
		for (i = 0; i < run->nseries; i++)
			ss[n++] = &run->series[i];
	}
	for (i = 0; i < a->nsel; i++) {
		const struct series *s;

		if (selector_parse(&run->arena, a->sel[i], &sel, &errpos) == -1) {
			diag_error(NULL, 0, 0, "bad series selector %s at column %zu",
			    diag_q(a->sel[i], (size_t)-1), errpos + 1);
			return -1;
		}
		if ((s = run_find_series(run, &sel)) == NULL) {
			char hint[1024];

			if (run->nseries == 0) {
				diag_error(NULL, 0, 0, "no series %s: the inputs have no time series",
				    diag_q(a->sel[i], (size_t)-1));
			} else {
				explain_absent(run, &sel, ABSENT_SERIES, hint, sizeof hint);
				diag_error(NULL, 0, 0, "no series %s in the inputs; %s",
				    diag_q(a->sel[i], (size_t)-1), hint);
			}
			return -1;
		}
		ss[n++] = s;
	}
	for (i = 0; i < n; i++) {
		selector_fmt(&ss[i]->sel, labels[i], LIM_NAME);
		if (labels[i][0] == '\0')
			snprintf(labels[i], LIM_NAME, "%s", ss[i]->name ? ss[i]->name : "series");
		lp[i] = labels[i];
	}
	a->spec.series = ss;
	a->spec.labels = lp;
	a->spec.nseries = n;
	return 0;
}

static int
set_limit(struct chart_args *a)
{
	struct quantity q;
	enum unit su = a->spec.series[0]->unit;

	if (unit_parse(a->limit, &q) == -1) {
		diag_error(NULL, 0, 0, "bad --limit %s; expected a quantity like 1.5s, 250ms or 1%%",
		    diag_q(a->limit, (size_t)-1));
		return -1;
	}
	if (q.unit != UNIT_NONE && su != UNIT_NONE && q.unit != su) {
		diag_error(NULL, 0, 0, "--limit %s is in %s but the series are in %s",
		    diag_q(a->limit, (size_t)-1), unit_name(q.unit), unit_name(su));
		return -1;
	}
	a->spec.have_limit = 1;
	a->spec.limit = q.v;
	return 0;
}

/*
 * The display offset of --tz at ref (the first fault's start, else the
 * first data): one offset per chart, as a bundle has one clock. -1 when
 * the zone does not load.
 */
static int
set_zone(struct chart_args *a, int64_t ref)
{
	struct wallclock c;

	if (wallclock_init(&c, a->tz, ref) == -1)
		return -1;
	a->spec.display_offset = (int)(c.offset / 60);
	wallclock_label(&c, a->zone_label, sizeof a->zone_label);
	a->spec.zone_label = a->zone_label;
	wallclock_release(&c);
	return 0;
}

static int64_t
chart_ref_time(const struct run *run, const struct chart_args *a)
{
	size_t i;

	if (a->spec.nbands)
		return a->bands[0].start;
	for (i = 0; i < run->nseries; i++)
		if (run->series[i].npts)
			return run->series[i].pts[0].t;
	return run->nalerts ? run->alerts[0].start : 0;
}

static int
render(struct run *run, struct chart_args *a)
{
	const struct series *ss[MAX_SELECTED];
	static char labels[MAX_SELECTED][LIM_NAME];
	const char *lp[MAX_SELECTED];
	struct chart_plan *pl = NULL;
	struct buf out, dump;
	const char *ext = a->out ? extension(a->out) : "";
	int r = -1;

	if (a->spec.kind == CHART_LINES) {
		if (pick_series(run, a, ss, labels, lp) == -1)
			return cmd_error_status();
		if (a->limit && set_limit(a) == -1)
			return cmd_error_status();
	}
	a->spec.alerts = run->alerts;
	a->spec.nalerts = run->nalerts;
	a->spec.events = run->scale_events;
	a->spec.nevents = run->nscale_events;
	a->spec.states = run->hpa_states;
	a->spec.nstates = run->nhpa_states;
	if (chart_layout(&a->spec, &pl) == -1)
		return cmd_error_status();
	buf_init(&out, LIM_INPUT_BYTES);
	buf_init(&dump, LIM_INPUT_BYTES);
	if (a->plan && chart_plan_dump(pl, &dump) == -1)
		diag_syserr(NULL, "chart plan too large");
	else if (a->out == NULL)
		r = 0;
	else if (strcmp(ext, "csv") == 0)
		r = chart_csv(&a->spec, &out);
	else
		r = chart_paint(pl, strcmp(ext, "svg") == 0 ? CHART_SVG : CHART_PNG, &out);
	chart_paint_release();
	if (r == 0 && a->out && fsio_write_replace(a->out, buf_str(&out), out.len) == -1)
		r = -1;
	if (r == 0 && a->plan)
		term_fwrite(stdout, buf_str(&dump), dump.len, 0);
	buf_release(&out);
	buf_release(&dump);
	chart_plan_free(pl);
	return r == 0 ? EXIT_MET : cmd_error_status();
}

static int
cmd_chart(int argc, char **argv)
{
	struct opts_state st;
	static struct chart_args a;
	struct pipeline p;
	struct import_opts io;
	struct selector sel;
	const char *arg, *ext;
	const char *want[MAX_SELECTED];
	size_t errpos;
	int key, r, i, status = EXIT_MET;

	memset(&a, 0, sizeof a);
	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_chart_spec, &key, &arg)) == 1) {
		switch (key) {
		case 'h':
			cmd_help(&cmd_chart_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		case OPT_KIND:
			if (strcmp(arg, "lines") == 0)
				a.spec.kind = CHART_LINES;
			else if (strcmp(arg, "gantt") == 0)
				a.spec.kind = CHART_GANTT;
			else if (strcmp(arg, "steps") == 0)
				a.spec.kind = CHART_STEPS;
			else
				r = -2;
			break;
		case OPT_SERIES:
			if (a.nsel == MAX_SELECTED)
				r = -3;
			else
				a.sel[a.nsel++] = arg;
			break;
		case OPT_LIMIT:
			a.limit = arg;
			break;
		case OPT_FAULT:
			if (a.spec.nbands == LIM_BANDS)
				r = -3;
			else if (parse_fault(arg, &a.bands[a.spec.nbands], a.band_names[a.spec.nbands],
			    sizeof a.band_names[0]) == -1)
				r = -4;
			else
				a.spec.nbands++;
			break;
		case OPT_TITLE:
			a.spec.title = arg;
			break;
		case OPT_SUBTITLE:
			a.spec.subtitle = arg;
			break;
		case OPT_SIZE:
			if (parse_size(arg, &a.spec.width, &a.spec.height) == -1)
				r = -5;
			break;
		case OPT_TZ:
			if (parse_offset(arg, &a.spec.display_offset) == -1)
				r = -6;
			a.have_offset = 1;
			break;
		case OPT_TZNAME:
			a.tz = arg;
			break;
		case OPT_HPA:
			a.spec.hpa = arg;
			break;
		case OPT_PLAN:
			a.plan = 1;
			break;
		case 'o':
			a.out = arg;
			break;
		}
		if (r != 1)
			break;
	}
	if (r < -1) {
		static const char *const why[] = {
			"", "", "bad --kind %s; expected lines, gantt or steps",
			"too many %s; at most 16 series and 64 fault windows",
			"bad --fault %s; expected NAME=START..END with RFC 3339 times, START before END",
			"bad --size %s; expected WIDTHxHEIGHT from 200x120 to 8000x8000",
			"bad --tz-offset %s; expected +HH:MM or -HH:MM, at most 14 hours",
		};
		status = cmd_usage_error(&cmd_chart_spec, why[-r], diag_q(arg, (size_t)-1));
		opts_release(&st);
		return status;
	}
	if (r == -1) {
		opts_release(&st);
		return EXIT_USAGE;
	}
	if (a.out == NULL && !a.plan) {
		opts_release(&st);
		return cmd_usage_error(&cmd_chart_spec, "no output; name one with -o FILE.png, .svg or .csv");
	}
	ext = a.out ? extension(a.out) : "png";
	if (strcmp(ext, "png") != 0 && strcmp(ext, "svg") != 0 && strcmp(ext, "csv") != 0) {
		status = cmd_usage_error(&cmd_chart_spec, "cannot tell the format of %s; "
		    "expected a name ending in .png, .svg or .csv", diag_q(a.out, (size_t)-1));
		opts_release(&st);
		return status;
	}
	if (st.npos == 0) {
		opts_release(&st);
		return cmd_usage_error(&cmd_chart_spec, "no input; name one or more evidence files");
	}
	if (a.tz && a.have_offset) {
		opts_release(&st);
		return cmd_usage_error(&cmd_chart_spec, "--tz and --tz-offset cannot both be given");
	}
	if (a.tz && set_zone(&a, 0) == -1) {
		opts_release(&st);
		return cmd_usage_error(&cmd_chart_spec, "unknown time zone %s; expected an IANA "
		    "name like Asia/Tehran or UTC", diag_q(a.tz, (size_t)-1));
	}
	a.spec.bands = a.bands;
	/* The plan check and bundle run, without rules: a chart wants the normalized evidence. */
	pipeline_init(&p, PLAN_NORMALIZE | PLAN_ALL_ERRORS);
	memset(&io, 0, sizeof io);
	io.timezone = a.tz;
	/*
	 * With --series, only the named series' values are read (a Grafana
	 * column no one draws is skipped); the names as pick_series will
	 * match them. A selector without a name, or one that does not parse
	 * (pick_series says why), reads everything.
	 */
	for (i = 0; i < (int)a.nsel; i++)
		if (selector_parse(&p.run.arena, a.sel[i], &sel, &errpos) == -1 || sel.name == NULL ||
		    sel.name[0] == '\0')
			break;
		else
			want[i] = sel.name;
	if (a.nsel > 0 && i == (int)a.nsel) {
		io.want = want;
		io.nwant = a.nsel;
	}
	for (i = 0; i < st.npos; i++)
		pipeline_add_spec(&p, st.pos[i], &io);
	if (pipeline_import(&p) == -1)
		status = cmd_error_status();
	/* The zone's offset at the evidence's own time, known only once it is read. */
	if (status == EXIT_MET && a.tz)
		(void)set_zone(&a, chart_ref_time(&p.run, &a));
	if (status == EXIT_MET && pipeline_evaluate(&p) == -1)
		status = cmd_error_status();
	if (status == EXIT_MET)
		status = render(&p.run, &a);
	pipeline_release(&p);
	opts_release(&st);
	return status;
}
