/*
 * init.c — `sloproof init DIR [FILES...]` (init.h): a first drill.yaml and
 * slo.yaml from the files a person has. Each file is imported alone into
 * its own run, so the importers' sniffers decide its kind and one bad file
 * does not hide the others; their diagnostics are caught and become the
 * "why" of a file that was not recognised. Rules are seeded only for what
 * was found, with the playbook's usual limits as examples. Depends on in/
 * and util/; writes only DIR/drill.yaml and DIR/slo.yaml, exclusively.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "in/drill.h"
#include "in/import.h"
#include "jobs/init.h"
#include "model/run.h"
#include "model/units.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define INIT_MAX_FILES	200	/* files one init looks at */
#define INIT_DEPTH	4	/* folders deep, when scanning DIR */

struct found {
	char		*path;		/* as given (or found under DIR) */
	char		*rel;		/* relative to DIR, for the drill file */
	int		 ok;		/* imported */
	int		 naive;		/* times without a zone were read as UTC */
	char		 why[512];	/* not recognised: the first diagnostic */
	struct run	 run;
};

struct init {
	const char	*dir;
	struct found	*f;
	size_t		 n;
	char		 fault[LIM_SLUG + 1];	/* "" when nothing needs a fault */
	int64_t		 tmin, tmax;		/* the evidence's time span, ms UTC */
	int		 have_t;
	int		 naive;
	size_t		 rules, examples;
	long		 start_line, end_line;
};

/* ---- finding the files ---- */

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
skip_name(const char *name, int top)
{
	if (name[0] == '.')
		return 1;
	/* What init writes, what bundle writes, and the capture folder bundle merges itself. */
	return top && (strcmp(name, "drill.yaml") == 0 || strcmp(name, "slo.yaml") == 0 ||
	    strcmp(name, "capture") == 0);
}

static void
scan(const char *dir, const char *sub, int depth, char ***out, size_t *n)
{
	char path[PATH_MAX], rel[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(path, sizeof path, "%s%s%s", dir, sub[0] ? "/" : "", sub);
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL && *n < INIT_MAX_FILES) {
		if (skip_name(e->d_name, depth == 0))
			continue;
		if ((size_t)snprintf(rel, sizeof rel, "%s%s%s", sub, sub[0] ? "/" : "", e->d_name) >=
		    sizeof rel)
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path)
			continue;
		if (lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode) && depth + 1 < INIT_DEPTH)
			scan(dir, rel, depth + 1, out, n);
		else if (S_ISREG(st.st_mode))
			(*out)[(*n)++] = xstrdup(path);
	}
	closedir(d);
}

/* The path of file relative to dir (both exist), or NULL. */
static char *
relative(const char *dir, const char *file)
{
	char rd[PATH_MAX], rf[PATH_MAX], out[PATH_MAX];
	size_t i, common = 0, off = 0;

	if (realpath(dir, rd) == NULL || realpath(file, rf) == NULL)
		return NULL;
	for (i = 0; rd[i] && rd[i] == rf[i]; i++)
		if (rd[i] == '/')
			common = i;
	if (rd[i] == '\0' && rf[i] == '/')
		common = i;
	else if (rd[i] == '\0' && rf[i] == '\0')
		return NULL;
	/* One "../" for each component of dir past the common prefix. */
	for (i = common; rd[i]; i++)
		if (rd[i] == '/' && off + 3 < sizeof out) {
			memcpy(out + off, "../", 3);
			off += 3;
		}
	if (off + strlen(rf + common + 1) + 1 > sizeof out)
		return NULL;
	memcpy(out + off, rf + common + 1, strlen(rf + common + 1) + 1);
	return xstrdup(out);
}

/* ---- importing each file alone ---- */

static void
first_line(const char *text, size_t len, char *dst, size_t n)
{
	const char *p = text, *nl;
	size_t k;

	dst[0] = '\0';
	if (len == 0)
		return;
	nl = memchr(p, '\n', len);
	k = nl ? (size_t)(nl - p) : len;
	if (k >= 10 && strncmp(p, "sloproof: ", 10) == 0) {
		p += 10;
		k -= 10;
	}
	snprintf(dst, n, "%.*s", (int)k, p);
}

static void
import_one(struct found *f)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *mem;
	int rc;

	run_init(&f->run);
	if ((mem = open_memstream(&text, &len)) == NULL) {
		rc = import_file(&f->run, NULL, f->path, f->rel);
	} else {
		diag_set_stream(mem);
		rc = import_file(&f->run, NULL, f->path, f->rel);
		diag_set_stream(stderr);
		fclose(mem);
	}
	f->ok = rc == 0;
	if (!f->ok) {
		/* The error, not a warning before it. */
		const char *e = text ? strstr(text, "error: ") : NULL;

		if (e)
			e += 7;
		first_line(e ? e : text ? text : "", e ? strlen(e) : len, f->why, sizeof f->why);
		if (f->why[0] == '\0')
			snprintf(f->why, sizeof f->why, "not recognised");
	} else if (text && strstr(text, "have no time zone")) {
		f->naive = 1;
	}
	free(text);
	diag_reset();
	(void)i;
}

static void
span(struct init *in, int64_t t)
{
	if (!in->have_t || t < in->tmin)
		in->tmin = t;
	if (!in->have_t || t > in->tmax)
		in->tmax = t;
	in->have_t = 1;
}

static void
find_span(struct init *in, const struct run *r)
{
	size_t i;

	for (i = 0; i < r->nseries; i++)
		if (r->series[i].npts) {
			span(in, r->series[i].pts[0].t);
			span(in, r->series[i].pts[r->series[i].npts - 1].t);
		}
	for (i = 0; i < r->nalerts; i++) {
		if (r->alerts[i].always_firing)
			continue;
		span(in, r->alerts[i].start);
		if (r->alerts[i].have_end)
			span(in, r->alerts[i].end);
	}
	for (i = 0; i < r->nscale_events; i++)
		span(in, r->scale_events[i].t);
	for (i = 0; i < r->nk6raw; i++)
		span(in, r->k6raw[i].start);
}

/* ---- writing YAML ---- */

/* A scalar as YAML: plain when it is safe so, else double-quoted. */
static void
yscalar(struct buf *b, const char *s)
{
	const char *p;
	int plain = s[0] != '\0' && strchr("!&*{}[]|>'\"%@`#,?:- ", s[0]) == NULL;

	for (p = s; *p && plain; p++)
		if ((unsigned char)*p < 0x20 || *p == '#' || (*p == ':' && (p[1] == ' ' || !p[1])) ||
		    *p == '\\')
			plain = 0;
	if (plain && p > s && p[-1] == ' ')
		plain = 0;
	if (plain) {
		(void)buf_addstr(b, s);
		return;
	}
	(void)buf_addc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			(void)buf_printf(b, "\\%c", *p);
		else if ((unsigned char)*p < 0x20)
			(void)buf_printf(b, "\\x%02x", (unsigned char)*p);
		else
			(void)buf_addc(b, *p);
	}
	(void)buf_addc(b, '"');
}

/* Pads the line being written to column 32, then writes "# comment\n". */
static void
comment(struct buf *b, const char *text)
{
	size_t col = 0;

	while (col < b->len && b->data[b->len - col - 1] != '\n')
		col++;
	do
		(void)buf_addc(b, ' ');
	while (++col < 32);
	(void)buf_printf(b, "# %s\n", text);
}

static long
lines_in(const struct buf *b)
{
	size_t i;
	long n = 1;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

static const char *
kind_title(const char *kind)
{
	if (strcmp(kind, "k6") == 0)
		return "k6 results";
	if (strcmp(kind, "grafana") == 0)
		return "Grafana CSV";
	if (strcmp(kind, "alerts") == 0)
		return "alerts";
	if (strcmp(kind, "hpa") == 0)
		return "kubectl HPA output";
	if (strcmp(kind, "prometheus") == 0)
		return "Prometheus API answer";
	return kind;
}

/* A name that reads as a time: a value without a unit is then likely seconds or ms. */
static int
time_name(const char *name)
{
	return strstr(name, "lag") || strstr(name, "latency") || strstr(name, "duration") ||
	    strstr(name, "time") || strstr(name, "seconds");
}

static int
is_attachment(const char *path)
{
	static const char *const ext[] = {
		".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf", ".log", ".txt", ".md",
		".html", ".har", NULL
	};
	size_t i, n = strlen(path), k;

	for (i = 0; ext[i]; i++) {
		k = strlen(ext[i]);
		if (n > k && strcasecmp(path + n - k, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/* "4 metrics, 2 series, 3 alerts": what one imported file holds. */
static void
contents(const struct run *r, char *dst, size_t n)
{
	size_t off = 0, na = 0, nh = 0, i, j;

	dst[0] = '\0';
	for (i = 0; i < r->nalerts; i++) {
		for (j = 0; j < i && strcmp(r->alerts[j].name, r->alerts[i].name) != 0; j++)
			;
		na += j == i;
	}
	for (i = 0; i < r->nhpa_states; i++) {
		for (j = 0; j < i && (r->hpa_states[j].name == NULL || r->hpa_states[i].name == NULL ||
		    strcmp(r->hpa_states[j].name, r->hpa_states[i].name) != 0); j++)
			;
		nh += j == i && r->hpa_states[i].name != NULL;
	}
	if (r->nsummaries)
		off += (size_t)snprintf(dst + off, n - off, "%zu metrics", r->nsummaries);
	if (r->nseries && off < n)
		off += (size_t)snprintf(dst + off, n - off, "%s%zu series", off ? ", " : "",
		    r->nseries);
	if (na && off < n)
		off += (size_t)snprintf(dst + off, n - off, "%s%zu alert%s", off ? ", " : "", na,
		    na == 1 ? "" : "s");
	if (nh && off < n)
		off += (size_t)snprintf(dst + off, n - off, "%s%zu autoscaler%s", off ? ", " : "",
		    nh, nh == 1 ? "" : "s");
	if (off == 0)
		snprintf(dst, n, "nothing sloproof can check yet");
}

static void
write_drill(struct init *in, const char *title, struct buf *b)
{
	char t1[40], t2[40], what[160], date[16];
	size_t i, nother = 0, natt = 0;
	const struct source *s;

	(void)buf_printf(b,
	    "# A drill record, written by `sloproof init` from the files below.\n"
	    "# Fill in what it asks (the lines marked EDIT), then run:\n"
	    "#   sloproof bundle %s/drill.yaml\n"
	    "# Every key is explained in docs/drill.md. Paths are relative to this file.\n\n",
	    in->dir);
	(void)buf_addstr(b, "drill: ");
	yscalar(b, title);
	comment(b, "the title; the bundle's folder is named after it");
	if (!in->fault[0] && in->have_t) {
		time_fmt_date(in->tmin, date, sizeof date);
		(void)buf_printf(b, "date: %s", date);
		comment(b, "the day of the evidence (UTC)");
	} else if (in->fault[0]) {
		(void)buf_addstr(b, "# date: 2026-11-28");
		comment(b, "default: the day the fault started");
	} else {
		(void)buf_addstr(b, "# date: 2026-11-28");
		comment(b, "default: the evidence's own date");
	}
	(void)buf_addstr(b, "# environment: production");
	comment(b, "where it ran");
	if (in->naive) {
		(void)buf_addstr(b, "timezone: UTC");
		comment(b, "CHECK: the Grafana CSV's times have no zone;");
		comment(b, "write the zone its Grafana showed (Asia/Tehran)");
	} else {
		(void)buf_addstr(b, "# timezone: Asia/Tehran");
		comment(b, "the local zone, shown beside UTC");
	}
	(void)buf_addstr(b, "slo: slo.yaml");
	comment(b, "the rules the drill is held to");
	(void)buf_addc(b, '\n');
	if (in->fault[0]) {
		(void)buf_addstr(b, "# What was broken, and when: RFC 3339 times with a zone (Z is UTC).\n");
		if (in->have_t) {
			time_fmt_utc(in->tmin, t1, sizeof t1);
			time_fmt_utc(in->tmax, t2, sizeof t2);
			(void)buf_printf(b, "# The evidence runs from %s to %s.\n", t1, t2);
		}
		(void)buf_printf(b, "faults:\n  - name: %s", in->fault);
		comment(b, "the rules in slo.yaml name it");
		(void)buf_printf(b, "    # script: scripts/chaos/%s.sh\n", in->fault);
		in->start_line = lines_in(b);
		(void)buf_addstr(b, "    start: YYYY-MM-DDTHH:MM:SSZ");
		comment(b, "EDIT: when the fault began");
		in->end_line = lines_in(b);
		(void)buf_addstr(b, "    end: YYYY-MM-DDTHH:MM:SSZ");
		comment(b, "EDIT: when it was undone");
		(void)buf_addc(b, '\n');
	} else {
		(void)buf_addstr(b, "# No alerts, series or autoscalers were found, so this reads as a "
		    "baseline run.\n# A chaos drill names its faults:\n"
		    "# faults:\n#   - name: redis-outage\n#     start: 2026-11-28T10:12:00Z\n"
		    "#     end: 2026-11-28T10:14:00Z\n\n");
	}
	(void)buf_addstr(b, "# The evidence sloproof imports, with the kind it recognised in each.\n"
	    "evidence:\n");
	for (i = 0; i < in->n; i++) {
		const struct found *f = &in->f[i];

		if (!f->ok)
			continue;
		s = &f->run.sources[0];
		contents(&f->run, what, sizeof what);
		(void)buf_printf(b, "  # %s: %s%s%s; %s\n", kind_title(s->kind), s->format ? s->format : s->kind,
		    s->tool_version ? ", version " : "", s->tool_version ? s->tool_version : "", what);
		if (f->naive)
			(void)buf_addstr(b, "  # its times have no zone: they are read in timezone: above\n");
		(void)buf_addstr(b, "  - path: ");
		yscalar(b, f->rel);
		(void)buf_printf(b, "\n    kind: %s\n", s->kind);
		if (f->run.nseries == 1 && !f->run.series[0].unit_known &&
		    time_name(f->run.series[0].name)) {
			(void)buf_addstr(b, "    # unit: s");
			comment(b, "its values have no unit; say which (ms, s)");
		}
	}
	for (i = 0; i < in->n; i++)
		if (!in->f[i].ok)
			nother++;
	if (nother) {
		(void)buf_addstr(b, "\n# Not recognised as evidence (sloproof reads k6, Grafana CSV, "
		    "Alertmanager and\n# Prometheus alerts, kubectl HPA output and Prometheus API "
		    "answers):\n");
		for (i = 0; i < in->n; i++)
			if (!in->f[i].ok) {
				(void)buf_printf(b, "#   %s\n#     %s\n", in->f[i].rel, in->f[i].why);
				if (!is_attachment(in->f[i].path))
					(void)buf_printf(b, "#     if it is evidence, name its kind:  - {path: %s, "
					    "kind: KIND}\n", in->f[i].rel);
			}
		for (i = 0; i < in->n; i++)
			natt += !in->f[i].ok && is_attachment(in->f[i].path);
	}
	(void)buf_addstr(b, "\n# Files kept as they are in the bundle, with checksums (screenshots, "
	    "logs).\n");
	if (natt) {
		(void)buf_addstr(b, "attachments:\n");
		for (i = 0; i < in->n; i++)
			if (!in->f[i].ok && is_attachment(in->f[i].path)) {
				(void)buf_addstr(b, "  - ");
				yscalar(b, in->f[i].rel);
				(void)buf_addc(b, '\n');
			}
	} else {
		(void)buf_addstr(b, "# attachments:\n#   - screenshots/api-latency.png\n");
	}
	(void)buf_addstr(b, "\n# What people did by hand during recovery, tickets, and notes "
	    "(docs/drill.md):\n"
	    "# interventions:\n#   - at: 2026-11-28T10:13:10Z\n"
	    "#     what: restarted the redis-sentinel pod by hand\n"
	    "# followups:\n#   - id: OPS-123\n#     title: Retry Redis with backoff\n"
	    "#     owner: platform-team\n#     due: 2026-12-12\n"
	    "# notes: |\n#   What happened, in the words of the people who were there.\n");
}

/* ---- seeding the rules ---- */

static int
has(const char *name, const char *part)
{
	return strstr(name, part) != NULL;
}

/* k6's own timings that are parts of http_req_duration: listed, not ruled. */
static int
k6_part(const char *name)
{
	static const char *const parts[] = {
		"http_req_blocked", "http_req_connecting", "http_req_tls_handshaking",
		"http_req_sending", "http_req_waiting", "http_req_receiving", "group_duration",
		"iteration_duration", NULL
	};
	size_t i;

	for (i = 0; parts[i]; i++)
		if (strncmp(name, parts[i], strlen(parts[i])) == 0)
			return 1;
	return 0;
}

static int
seen_before(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static void
rule_head(struct buf *b, const char *name, const char *key, const char *value)
{
	(void)buf_addstr(b, "  - name: ");
	yscalar(b, name);
	(void)buf_printf(b, "\n    %s: ", key);
	yscalar(b, value);
	(void)buf_addc(b, '\n');
}

static void
seed_summary(struct init *in, struct buf *b, struct buf *ex, const struct summary *s)
{
	char name[LIM_NAME + 32], v[64];
	const double *x;
	int time_like = s->unit == UNIT_MS || (!s->unit_known && (has(s->name, "duration") ||
	    has(s->name, "latency") || has(s->name, "time")));

	/* k6 writes a sub-metric for each threshold on one; the playbook's is automation's. */
	if (s->sel.nlabels > 0 && !has(s->name, "automation")) {
		(void)buf_printf(ex, "  #   %s (%s)\n", s->name, metric_type_name(s->type));
		in->examples++;
		return;
	}
	if (strcmp(s->sel.name, "http_req_failed") == 0 && s->type != MT_TREND) {
		x = summary_stat(s, "rate");
		if (x)
			(void)buf_printf(b, "  # in the evidence: rate %.4g (the share of failed requests)\n", *x);
		rule_head(b, s->sel.nlabels ? "Request failures (automation)" : "Request failures",
		    "metric", s->name);
		(void)buf_addstr(b, "    threshold: rate<0.01");
		comment(b, "playbook: under 1 % of requests fail");
		in->rules++;
		return;
	}
	if (strcmp(s->sel.name, "checks") == 0 && s->type != MT_TREND) {
		x = summary_stat(s, "rate");
		if (x)
			(void)buf_printf(b, "  # in the evidence: rate %.4g\n", *x);
		rule_head(b, "Checks pass rate", "metric", s->name);
		(void)buf_addstr(b, "    stat: rate\n    above: 99%");
		comment(b, "playbook: over 99 % of checks pass");
		in->rules++;
		return;
	}
	if ((s->type == MT_TREND || s->type == MT_UNKNOWN) && time_like && !k6_part(s->name) &&
	    summary_stat(s, "p(95)") != NULL) {
		int automation = has(s->name, "automation");

		x = summary_stat(s, "p(95)");
		if (x && s->unit_known) {
			unit_fmt(v, sizeof v, *x, s->unit);
			(void)buf_printf(b, "  # in the evidence: p(95) %s\n", v);
		}
		snprintf(name, sizeof name, "%s P95%s", s->sel.name, automation ? " (automation)" : "");
		rule_head(b, name, "metric", s->name);
		(void)buf_printf(b, "    stat: p(95)\n    below: %s", automation ? "5s" : "1.5s");
		comment(b, automation ? "playbook: automation endpoints under 5 s" :
		    "playbook: P95 under 1.5 s");
		if (!automation) {
			(void)buf_addstr(b, "    warn: 1.2s");
			comment(b, "a warning before the limit");
		}
		if (!s->unit_known) {
			(void)buf_addstr(b, "    unit: ms");
			comment(b, "the file does not say; k6 records ms");
		}
		in->rules++;
		return;
	}
	(void)buf_printf(ex, "  #   %s (%s)\n", s->name, metric_type_name(s->type));
	in->examples++;
}

static void
seed_series(struct init *in, struct buf *b, struct buf *ex, const struct series *s)
{
	char name[LIM_NAME + 32], v[64];
	double mx = 0;
	size_t i;

	for (i = 0; i < s->npts; i++)
		if (i == 0 || s->pts[i].v > mx)
			mx = s->pts[i].v;
	if (s->npts)
		unit_fmt(v, sizeof v, mx, s->unit);
	if (has(s->name, "queue")) {
		if (s->npts)
			(void)buf_printf(b, "  # in the evidence: max %s\n", v);
		snprintf(name, sizeof name, "%s max during %s", s->sel.name, in->fault);
		rule_head(b, name, "metric", s->name);
		(void)buf_addstr(b, "    stat: max\n    below: 50");
		comment(b, "playbook: the queue stays under 50");
		(void)buf_printf(b, "    window: during:%s\n", in->fault);
		in->rules++;
		return;
	}
	if (s->unit == UNIT_MS && s->unit_known && !has(s->name, "p50") && !has(s->name, "median")) {
		if (s->npts)
			(void)buf_printf(b, "  # in the evidence: max %s\n", v);
		snprintf(name, sizeof name, "%s recovers", s->sel.name);
		rule_head(b, name, "recovers", s->name);
		(void)buf_printf(b, "    below: %s", has(s->name, "lag") ? "10s" : "1.5s");
		comment(b, "playbook: back under the limit");
		(void)buf_addstr(b, "    within: 2m");
		comment(b, "within 2 min of the fault's end");
		(void)buf_addstr(b, "    hold: 30s");
		comment(b, "and held there");
		(void)buf_printf(b, "    fault: %s\n", in->fault);
		in->rules++;
		return;
	}
	(void)buf_printf(ex, "  #   %s (series%s%s%s%s)\n", s->name, s->unit_known ? ", " : "",
	    s->unit_known ? unit_name(s->unit) : "", s->npts ? ", max " : "", s->npts ? v : "");
	in->examples++;
}

static void
write_slo(struct init *in, struct buf *b)
{
	struct buf ex;
	const char **seen;
	size_t i, k, nseen = 0, cap = 0;
	int any_hpa = 0;

	for (i = 0; i < in->n; i++)
		if (in->f[i].ok)
			cap += in->f[i].run.nsummaries + in->f[i].run.nseries + in->f[i].run.nalerts +
			    in->f[i].run.nhpa_states + in->f[i].run.nscale_events;
	seen = xcalloc(cap + 1, sizeof *seen);
	buf_init(&ex, LIM_RULES_BYTES);
	(void)buf_addstr(b,
	    "# SLO rules, written by `sloproof init` for the metrics, series and alerts found\n"
	    "# in the evidence. The limits are the playbook's usual ones (P95 under 1.5 s,\n"
	    "# under 1 % failed requests, recovery within 2 min, an alert within 1 min, the\n"
	    "# queue under 50): examples to change into your own. Every rule kind, and\n"
	    "# every error message, is in docs/slo.md.\n"
	    "slos:\n");
	for (i = 0; i < in->n; i++) {
		const struct run *r = &in->f[i].run;

		if (!in->f[i].ok)
			continue;
		for (k = 0; k < r->nsummaries; k++)
			if (!seen_before(seen, nseen, r->summaries[k].name)) {
				seen[nseen++] = r->summaries[k].name;
				seed_summary(in, b, &ex, &r->summaries[k]);
			}
		if (in->fault[0])
			for (k = 0; k < r->nseries; k++)
				if (!seen_before(seen, nseen, r->series[k].name)) {
					seen[nseen++] = r->series[k].name;
					seed_series(in, b, &ex, &r->series[k]);
				}
		for (k = 0; in->fault[0] && k < r->nalerts; k++) {
			const struct alert_interval *a = &r->alerts[k];
			char name[LIM_NAME + 32];

			if (a->name == NULL || seen_before(seen, nseen, a->name))
				continue;
			seen[nseen++] = a->name;
			if (a->always_firing) {
				(void)buf_printf(&ex, "  #   alert %s (always firing: a watchdog, not a "
				    "page)\n", a->name);
				in->examples++;
				continue;
			}
			snprintf(name, sizeof name, "%s alert", a->name);
			rule_head(b, name, "alert", a->name);
			(void)buf_addstr(b, "    fires_within: 1m");
			comment(b, "playbook: the alert fires within 1 min");
			(void)buf_addstr(b, "    resolves_within: 5m");
			comment(b, "and resolves after the fault");
			(void)buf_printf(b, "    fault: %s\n", in->fault);
			in->rules++;
		}
		for (k = 0; k < r->nhpa_states + r->nscale_events; k++) {
			const char *h = k < r->nhpa_states ? r->hpa_states[k].name :
			    r->scale_events[k - r->nhpa_states].target;

			if (h == NULL || seen_before(seen, nseen, h))
				continue;
			seen[nseen++] = h;
			if (!any_hpa)
				(void)buf_addstr(&ex, "  # Autoscaling, e.g. reaching max replicas within "
				    "5 min of the fault:\n");
			any_hpa = 1;
			(void)buf_printf(&ex, "  # - name: %s scales out\n  #   hpa: %s\n  #   reaches: "
			    "max\n  #   within: 5m\n  #   fault: %s\n", h, h, in->fault[0] ? in->fault :
			    "FAULT");
			in->examples++;
		}
	}
	if (ex.len) {
		(void)buf_addstr(b, "\n  # Also in the evidence, with no rule yet (a rule takes metric:,\n"
		    "  # stat: (p(95), max, avg, rate ...) and below: or above:):\n");
		(void)buf_add(b, ex.data, ex.len);
	}
	if (in->rules == 0)
		(void)buf_addstr(b, "  # Nothing found had a usual limit. An example:\n"
		    "  - name: Request latency P95\n    metric: http_req_duration\n    stat: p(95)\n"
		    "    below: 1.5s\n");
	buf_release(&ex);
	free(seen);
}

/* ---- the job ---- */

static int
needs_fault(const struct init *in)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (in->f[i].ok && (in->f[i].run.nseries || in->f[i].run.nalerts ||
		    in->f[i].run.nscale_events || in->f[i].run.nhpa_states))
			return 1;
	return 0;
}

int
drill_init(const char *dir, char *const *files, size_t nfiles, struct buf *summary)
{
	struct init in;
	struct buf db, sb;
	char dpath[PATH_MAX], spath[PATH_MAX], title[LIM_SLUG + 1];
	const char *base;
	char **list;
	size_t i, n = 0, nok = 0;
	int rc = -1;

	memset(&in, 0, sizeof in);
	in.dir = dir;
	snprintf(dpath, sizeof dpath, "%s/drill.yaml", dir);
	snprintf(spath, sizeof spath, "%s/slo.yaml", dir);
	for (i = 0; i < 2; i++)
		if (fsio_exists(i ? spath : dpath)) {
			diag_error(i ? spath : dpath, 0, 0, "already exists; sloproof init never "
			    "overwrites a file: pick another folder, or move it away first");
			return -1;
		}
	if (!fsio_isdir(dir) && fsio_exists(dir)) {
		diag_error(dir, 0, 0, "is not a folder; name the folder the drill goes in");
		return -1;
	}
	list = xcalloc(INIT_MAX_FILES + (nfiles > INIT_MAX_FILES ? nfiles : 0) + 1, sizeof *list);
	if (nfiles) {
		for (i = 0; i < nfiles; i++) {
			if (!fsio_exists(files[i])) {
				diag_error(files[i], 0, 0, "no such file");
				goto out;
			}
			list[n++] = xstrdup(files[i]);
		}
	} else {
		scan(dir, "", 0, &list, &n);
		qsort(list, n, sizeof *list, cmp_path);
		if (n == 0) {
			diag_error(dir, 0, 0, "no files to start from; name the evidence files "
			    "(sloproof init %s k6-summary.json latency.csv ...) or put them in %s",
			    dir, dir);
			goto out;
		}
	}
	if (fsio_mkdirs(dir) == -1)
		goto out;
	in.f = xcalloc(n, sizeof *in.f);
	in.n = n;
	for (i = 0; i < n; i++) {
		in.f[i].path = list[i];
		in.f[i].rel = relative(dir, list[i]);
		if (in.f[i].rel == NULL)
			in.f[i].rel = xstrdup(list[i]);
		import_one(&in.f[i]);
		if (in.f[i].ok) {
			nok++;
			find_span(&in, &in.f[i].run);
			in.naive |= in.f[i].naive;
		}
	}
	/* The title and the fault's name come from the folder's name. */
	base = strrchr(dir, '/');
	base = base && base[1] ? base + 1 : dir;
	drill_slug(base, title, sizeof title);
	if (needs_fault(&in))
		snprintf(in.fault, sizeof in.fault, "%s", title);
	buf_init(&db, LIM_RULES_BYTES);
	buf_init(&sb, LIM_RULES_BYTES);
	write_drill(&in, base, &db);
	write_slo(&in, &sb);
	if (fsio_write(dpath, db.data, db.len) == -1) {
		buf_release(&db);
		buf_release(&sb);
		goto out;
	}
	if (fsio_write(spath, sb.data, sb.len) == -1) {
		unlink(dpath);
		buf_release(&db);
		buf_release(&sb);
		goto out;
	}
	buf_release(&db);
	buf_release(&sb);
	for (i = 0; i < n; i++) {
		if (in.f[i].ok) {
			char what[160];

			contents(&in.f[i].run, what, sizeof what);
			(void)buf_printf(summary, "  %-10s %s: %s\n", in.f[i].run.sources[0].kind,
			    in.f[i].path, what);
		} else {
			(void)buf_printf(summary, "  %-10s %s: %s\n", is_attachment(in.f[i].path) ?
			    "attachment" : "unknown", in.f[i].path, in.f[i].why);
		}
	}
	(void)buf_printf(summary, "wrote %s (%zu evidence file%s) and %s (%zu rule%s, %zu more "
	    "name%s as comments)\n", dpath, nok, nok == 1 ? "" : "s", spath, in.rules,
	    in.rules == 1 ? "" : "s", in.examples, in.examples == 1 ? "" : "s");
	if (in.fault[0])
		(void)buf_printf(summary, "next: write the fault's start and end in %s (lines %ld "
		    "and %ld), then\n  sloproof bundle %s\n", dpath, in.start_line, in.end_line, dpath);
	else
		(void)buf_printf(summary, "next: check the limits in %s, then\n  sloproof bundle %s\n",
		    spath, dpath);
	rc = 0;
out:
	for (i = 0; i < in.n; i++) {
		run_release(&in.f[i].run);
		free(in.f[i].rel);
	}
	free(in.f);
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}
