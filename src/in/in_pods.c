/*
 * in_pods.c — what the target itself said during a drill: `kubectl get
 * pods -w` (pod readiness, status, restarts; also --output-watch-events and
 * -o wide) and `kubectl get events` / `kubectl events` (reasons such as
 * Unhealthy, BackOff, Killing, OOMKilling). One pod_event per line, with
 * the workload (Deployment, StatefulSet) the pod's name implies. See
 * docs/pods.md.
 *
 * Times. `get pods -w` prints no time at all, so each line must carry one
 * in front: an RFC 3339 time, as `ts '%Y-%m-%dT%H:%M:%SZ'` (moreutils) or
 * a `while read` loop with `date -u` writes it. `get events` prints ages
 * ("2m10s"), anchored by the evidence's captured_at (or a timestamp in
 * front of the line, for `get events -w` piped through ts); a derived time
 * carries the age's resolution as its error bound. Owns nothing past the
 * call; strings go to the run's arena.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "in/import.h"
#include "model/run.h"
#include "util/diag.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"

#define MAXTOK	64

enum fmt { F_NONE, F_PODS, F_EVENTS };

struct line {
	const char	*tok[MAXTOK];
	size_t		 len[MAXTOK];
	size_t		 n;
	int		 have_t;
	int64_t		 t;
	const char	*rest[MAXTOK];	/* where each token starts, for MESSAGE (the rest of the line) */
	const char	*end;
};

/* Splits [s, e) on blanks; a leading RFC 3339 time goes to t. */
static void
split(const char *s, const char *e, struct line *l)
{
	size_t k;

	l->n = 0;
	l->have_t = 0;
	l->end = e;
	while (s < e && l->n < MAXTOK) {
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= e)
			break;
		l->tok[l->n] = s;
		l->rest[l->n] = s;
		while (s < e && *s != ' ' && *s != '\t')
			s++;
		l->len[l->n] = (size_t)(s - l->tok[l->n]);
		l->n++;
	}
	if (l->n > 0 && l->len[0] >= 20 && isdigit((unsigned char)l->tok[0][0]) &&
	    time_parse_rfc3339(l->tok[0], l->len[0], &l->t, NULL) == 0) {
		l->have_t = 1;
		for (k = 1; k < l->n; k++) {
			l->tok[k - 1] = l->tok[k];
			l->len[k - 1] = l->len[k];
			l->rest[k - 1] = l->rest[k];
		}
		l->n--;
	}
}

static int
is(const struct line *l, size_t i, const char *w)
{
	return i < l->n && l->len[i] == strlen(w) && memcmp(l->tok[i], w, l->len[i]) == 0;
}

static size_t
col(const struct line *h, const char *w)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (is(h, i, w))
			return i;
	return (size_t)-1;
}

static enum fmt
header_fmt(const struct line *l)
{
	if (col(l, "NAME") != (size_t)-1 && col(l, "READY") != (size_t)-1 &&
	    col(l, "STATUS") != (size_t)-1 && col(l, "RESTARTS") != (size_t)-1)
		return F_PODS;
	if (is(l, 0, "LAST") && is(l, 1, "SEEN") && col(l, "REASON") != (size_t)-1 &&
	    col(l, "OBJECT") != (size_t)-1)
		return F_EVENTS;
	if (is(l, 0, "NAMESPACE") && is(l, 1, "LAST") && is(l, 2, "SEEN") &&
	    col(l, "REASON") != (size_t)-1)
		return F_EVENTS;
	return F_NONE;
}

int
in_pods_sniff(const char *data, size_t len)
{
	const char *p = data, *e = data + len, *nl;
	struct line l;
	int lines = 0;

	while (p < e && lines < 5) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL)
			nl = e;
		split(p, nl, &l);
		if (l.n > 0 && l.tok[0][0] != '#') {
			lines++;
			if (header_fmt(&l) != F_NONE)
				return 1;
		}
		p = nl + 1;
	}
	return 0;
}

/*
 * Whether s is made of the characters Kubernetes uses for generated name
 * parts (pod-template-hash, pod suffixes: rand.SafeEncodeString, no vowels
 * and no 0 1 3 so no words), so "node-exporter" is not a name plus a hash.
 */
static int
alnum_lower(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr("bcdfghjklmnpqrstvwxz2456789", s[i]) == NULL)
			return 0;
	return n > 0;
}

/*
 * The workload of a pod: gateway-7d9f8b6c5d-x2k4q (Deployment: name, the
 * ReplicaSet's hash, a 5-character suffix) -> gateway; redis-0
 * (StatefulSet) -> redis; node-exporter-x2k4q (DaemonSet) -> node-exporter;
 * the name itself otherwise. Also for replicaset/NAME-HASH objects.
 */
static size_t
workload_len(const char *name, size_t n, int replicaset)
{
	const char *d1 = NULL, *d2 = NULL;
	size_t i;

	for (i = n; i-- > 0;)
		if (name[i] == '-') {
			if (d1 == NULL)
				d1 = name + i;
			else {
				d2 = name + i;
				break;
			}
		}
	if (d1 == NULL)
		return n;
	if (replicaset)
		return alnum_lower(d1 + 1, (size_t)(name + n - d1 - 1)) ? (size_t)(d1 - name) : n;
	if (d2 != NULL && name + n - d1 - 1 == 5 && alnum_lower(d1 + 1, 5) &&
	    d1 - d2 - 1 >= 6 && d1 - d2 - 1 <= 10 && alnum_lower(d2 + 1, (size_t)(d1 - d2 - 1)))
		return (size_t)(d2 - name);
	for (i = (size_t)(d1 - name) + 1; i < n && isdigit((unsigned char)name[i]); i++)
		;
	if (i == n && i > (size_t)(d1 - name) + 1)
		return (size_t)(d1 - name);
	if (name + n - d1 - 1 == 5 && alnum_lower(d1 + 1, 5))
		return (size_t)(d1 - name);
	return n;
}

/* kubectl's HumanDuration: "45s", "3m2s", "2m", "5h", "3d4h", "2y"; ms and its resolution. */
static int
age(const char *s, size_t n, int64_t *ms, int64_t *res)
{
	size_t i = 0;
	int64_t total = 0, unit = 0;

	if (n == 0)
		return -1;
	while (i < n) {
		int64_t v = 0;
		size_t d = i;

		while (i < n && isdigit((unsigned char)s[i]) && i - d < 9)
			v = v * 10 + (s[i++] - '0');
		if (i == d || i >= n)
			return -1;
		switch (s[i++]) {
		case 's': unit = 1000; break;
		case 'm': unit = 60000; break;
		case 'h': unit = 3600000; break;
		case 'd': unit = 86400000; break;
		case 'y': unit = 365LL * 86400000; break;
		default: return -1;
		}
		total += v * unit;
	}
	*ms = total;
	*res = unit;
	return 0;
}

static char *
dup(struct run *run, const char *s, size_t n)
{
	char *p = arena_alloc(&run->arena, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int
cmp_event(const void *a, const void *b)
{
	const struct pod_event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->origin.src != y->origin.src)
		return x->origin.src - y->origin.src;
	return (x->origin.line > y->origin.line) - (x->origin.line < y->origin.line);
}

int
in_pods_import(struct run *run, int src, const struct import_opts *o, const char *path,
    const char *data, size_t len)
{
	const char *p = data, *e = data + len, *nl;
	struct line h, l;
	enum fmt f = F_NONE;
	size_t cname = 0, cready = 0, cstatus = 0, crest = 0, cev = (size_t)-1;
	size_t ctype = 0, creason = 0, cobj = 0, cmsg = 0, cage = 0, before;
	long lineno = 0, rows = 0;
	struct source *s = &run->sources[src];

	memset(&h, 0, sizeof h);
	before = run->npod_events;
	for (; p < e; p = nl + 1) {
		struct pod_event *pe;

		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL)
			nl = e;
		lineno++;
		if (nl - p > LIM_HPA_LINE) {
			diag_error(path, lineno, 0, "line longer than %d bytes", LIM_HPA_LINE);
			return -1;
		}
		split(p, nl > p && nl[-1] == '\r' ? nl - 1 : nl, &l);
		if (l.n == 0 || l.tok[0][0] == '#')
			continue;
		if (header_fmt(&l) != F_NONE) {
			f = header_fmt(&l);
			h = l;
			if (f == F_PODS) {
				cname = col(&h, "NAME");
				cready = col(&h, "READY");
				cstatus = col(&h, "STATUS");
				crest = col(&h, "RESTARTS");
				cev = col(&h, "EVENT");
			} else {
				/* LAST SEEN is two words: columns after it shift by one in the rows */
				cage = col(&h, "LAST");
				ctype = col(&h, "TYPE") - 1;
				creason = col(&h, "REASON") - 1;
				cobj = col(&h, "OBJECT") - 1;
				cmsg = col(&h, "MESSAGE") - 1;
			}
			continue;
		}
		if (f == F_NONE) {
			diag_error(path, lineno, 1, "expected the header of `kubectl get pods` (NAME READY "
			    "STATUS RESTARTS AGE) or `kubectl get events` (LAST SEEN TYPE REASON OBJECT "
			    "MESSAGE) before the rows");
			return -1;
		}
		if (f == F_PODS) {
			const char *slash;
			long long r = 0, t = 0;

			if (l.n <= cname || l.n <= cready || l.n <= cstatus || l.n <= crest) {
				diag_error(path, lineno, 1, "a `kubectl get pods` row with %zu columns; "
				    "the header has %zu", l.n, h.n);
				return -1;
			}
			if (!l.have_t) {
				diag_error(path, lineno, 1, "no time in front of this line: `kubectl get "
				    "pods -w` prints none, so record it with one, e.g. `kubectl get pods -w "
				    "| ts '%%Y-%%m-%%dT%%H:%%M:%%SZ'`");
				return -1;
			}
			slash = memchr(l.tok[cready], '/', l.len[cready]);
			if (slash == NULL ||
			    strnum_ll(l.tok[cready], (size_t)(slash - l.tok[cready]), &r) == -1 ||
			    strnum_ll(slash + 1, l.len[cready] - (size_t)(slash - l.tok[cready]) - 1, &t) == -1 ||
			    r < 0 || t < 0 || r > 10000 || t > 10000 ||
			    strnum_ll(l.tok[crest], l.len[crest], &r) == -1 || r < 0) {
				diag_error(path, lineno, (long)(l.tok[cready] - p) + 1,
				    "bad READY %.*s or RESTARTS %.*s; expected like 1/1 and 0",
				    (int)l.len[cready], l.tok[cready], (int)l.len[crest], l.tok[crest]);
				return -1;
			}
			pe = run_add_pod_event(run);
			pe->kind = cev != (size_t)-1 && is(&l, cev, "DELETED") ? POD_DELETED : POD_STATE;
			pe->pod = dup(run, l.tok[cname], l.len[cname]);
			pe->workload = dup(run, l.tok[cname], workload_len(l.tok[cname], l.len[cname], 0));
			pe->t = l.t;
			slash = memchr(l.tok[cready], '/', l.len[cready]);
			strnum_ll(l.tok[cready], (size_t)(slash - l.tok[cready]), &r);
			pe->ready = (int)r;
			pe->total = (int)t;
			strnum_ll(l.tok[crest], l.len[crest], &r);
			pe->restarts = (int)r;
			pe->status = dup(run, l.tok[cstatus], l.len[cstatus]);
		} else {
			const char *obj, *slash;
			size_t olen, msgat;
			int64_t ago, res = 0;

			if (l.n <= cobj || l.n <= creason) {
				diag_error(path, lineno, 1, "a `kubectl get events` row with %zu columns; "
				    "the header has %zu", l.n, h.n);
				return -1;
			}
			pe = NULL;
			obj = l.tok[cobj];
			olen = l.len[cobj];
			slash = memchr(obj, '/', olen);
			if (slash == NULL)
				continue;	/* not KIND/NAME: nothing to place */
			if (l.have_t) {
				ago = 0;
			} else if (o != NULL && o->have_captured_at && age(l.tok[cage], l.len[cage], &ago, &res) == 0) {
				;
			} else if (o != NULL && o->have_captured_at) {
				continue;	/* "<unknown>": an event with no time */
			} else {
				diag_error(path, lineno, 1, "kubectl prints the events' ages (%.*s), not "
				    "times; give `captured_at:` on the evidence entry (when the command ran)",
				    (int)l.len[cage], l.tok[cage]);
				return -1;
			}
			pe = run_add_pod_event(run);
			pe->kind = POD_K8S_EVENT;
			pe->t = l.have_t ? l.t : o->captured_at - ago;
			pe->t_err = l.have_t ? 0 : res;
			if (slash - obj == 3 && memcmp(obj, "pod", 3) == 0) {
				pe->pod = dup(run, slash + 1, olen - 4);
				pe->workload = dup(run, slash + 1, workload_len(slash + 1, olen - 4, 0));
			} else {
				int rs = (size_t)(slash - obj) == 10 && memcmp(obj, "replicaset", 10) == 0;
				size_t nlen = olen - (size_t)(slash - obj) - 1;

				pe->workload = dup(run, slash + 1, rs ? workload_len(slash + 1, nlen, 1) : nlen);
			}
			pe->type = ctype < l.n ? dup(run, l.tok[ctype], l.len[ctype]) : NULL;
			pe->status = dup(run, l.tok[creason], l.len[creason]);
			msgat = cmsg < l.n ? cmsg : (size_t)-1;
			if (msgat != (size_t)-1)
				pe->message = dup(run, l.rest[msgat], (size_t)(l.end - l.rest[msgat]));
		}
		pe->origin.src = src;
		pe->origin.line = lineno;
		rows++;
	}
	if (f == F_NONE) {
		diag_error(path, 0, 0, "no `kubectl get pods` or `kubectl get events` header");
		return -1;
	}
	s->format = dup(run, f == F_PODS ? "kubectl-get-pods" : "kubectl-get-events",
	    f == F_PODS ? 16 : 18);
	if (run->npod_events > before)
		qsort(run->pod_events, run->npod_events, sizeof *run->pod_events, cmp_event);
	if (rows == 0)
		diag_warning(path, 0, 0, "no pod rows or events under the header");
	return 0;
}
