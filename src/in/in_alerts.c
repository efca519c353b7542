/*
 * in_alerts.c — Alertmanager and Prometheus alert evidence into a run's
 * alert intervals (shared corpus FORMATS.md §6; docs/formats.md):
 *
 *   - webhook notifications (version "4", "3", none): one JSON document,
 *     NDJSON or concatenated documents, or a JSON array of them;
 *   - API v2 /api/v2/alerts and `amtool alert query -o json` (an array of
 *     alerts), /api/v2/alerts/groups, API v1 {"status","data":[...]};
 *   - polled snapshots, NDJSON of {"captured_at", "alerts":[v2 alerts]};
 *   - Prometheus /api/v1/query_range results for ALERTS and
 *     ALERTS_FOR_STATE;
 *   - amtool's text tables (simple and -o extended).
 *
 * Every mention of an alert is an observation; observations merge into one
 * episode per identity and start. The identity is the label set: the
 * fingerprint is Alertmanager's hash of exactly that set, so the labels
 * decide the same thing and also join evidence that lacks fingerprints
 * (webhooks before v0.19, amtool tables, Prometheus series). A new firing
 * after a resolve has a new startsAt and so is a new episode. Episodes of
 * this input that match an interval from an earlier input of the run
 * (same labels, same start) are merged into it.
 *
 * Owns nothing past a call: cJSON trees, the scanner's positions and the
 * episode table are freed before returning; every kept string is in
 * run->arena. Depends on run, diag, jsonpos, strnum, timeutil, xalloc and
 * cJSON; must not depend on other importers, evaluation or renderers.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/hash.h"
#include "util/buf.h"
#include "util/diag.h"
#include "in/import.h"
#include "util/jsonpos.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "in/alerts_imp.h"
/* ---- small helpers ------------------------------------------------------ */

const char *
al_q(const char *s)
{
	return diag_q(s, (size_t)-1);
}

int PF(4, 5)
al_err(struct aimp *im, uint32_t at, int at_value, const char *fmt, ...)
{
	const struct jpos *p = jscan_pos(&im->sc, at);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_error(im->path, at_value ? p->vline : p->kline, at_value ? p->vcol : p->kcol, "%s", msg);
	return -1;
}

void PF(3, 4)
al_warn(struct aimp *im, uint32_t at, const char *fmt, ...)
{
	const struct jpos *p = jscan_pos(&im->sc, at);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_warning(im->path, p->kline, p->kcol, "%s", msg);
}

void
al_note_format(struct aimp *im, const char *f)
{
	if (im->format == NULL)
		im->format = f;
	else if (strcmp(im->format, f) != 0)
		im->mixed = 1;
}

void
al_note_capture(struct aimp *im, int64_t t)
{
	if (!im->have_capture || t > im->capture)
		im->capture = t;
	im->have_capture = 1;
}

int
al_label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct label *)a)->key, ((const struct label *)b)->key);
}

/* Labels and start as one string: k=v pairs split by bytes no label holds as text. */
char *
al_ep_key(const struct label *l, size_t n, int64_t start)
{
	struct buf b;
	size_t i;
	char *s;

	buf_init(&b, LIM_INPUT_BYTES);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s\x1f%s\x1e", l[i].key, l[i].value);
	buf_printf(&b, "\x1d%lld", (long long)start);
	s = xstrndup(b.data ? b.data : "", b.len);
	buf_release(&b);
	return s;
}

/* The zero time Alertmanager writes for "not resolved": 0001-01-01T00:00:00Z. */
static int
is_zero_time(int64_t ms)
{
	return ms < time_days_from_civil(1, 1, 2) * 86400000LL;
}

static int
always_firing(const char *name)
{
	return strcmp(name, "Watchdog") == 0 || strcmp(name, "InfoInhibitor") == 0;
}

int
al_same_labels(const struct label *a, size_t na, const struct label *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i].key, b[i].key) != 0 || strcmp(a[i].value, b[i].value) != 0)
			return 0;
	return 1;
}

static struct label *
labels_copy(struct run *run, const struct label *l, size_t n)
{
	struct label *c;
	size_t i;

	if (n == 0)
		return NULL;
	c = arena_alloc(&run->arena, n * sizeof *c);
	for (i = 0; i < n; i++) {
		c[i].key = arena_strdup(&run->arena, l[i].key);
		c[i].value = arena_strdup(&run->arena, l[i].value);
	}
	return c;
}

static const char *
label_get(const struct label *l, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].key, key) == 0)
			return l[i].value;
	return NULL;
}

/* ---- episodes ------------------------------------------------------------- */

static void
tab_put(size_t *tab, size_t cap, const char *key, size_t val)
{
	size_t j;

	for (j = fnv1a_str(key) & (cap - 1); tab[j]; j = (j + 1) & (cap - 1))
		;
	tab[j] = val;
}

static struct ep *
ep_find(struct aimp *im, const char *key)
{
	size_t j;

	if (im->tabcap == 0)
		return NULL;
	for (j = fnv1a_str(key) & (im->tabcap - 1); im->tab[j]; j = (j + 1) & (im->tabcap - 1))
		if (strcmp(im->eps[im->tab[j] - 1].key, key) == 0)
			return &im->eps[im->tab[j] - 1];
	return NULL;
}

static struct ep *
ep_add(struct aimp *im, char *key)
{
	struct ep *e;
	size_t i;

	if ((im->neps + 1) * 2 > im->tabcap) {
		free(im->tab);
		im->tabcap = im->tabcap ? im->tabcap * 2 : 64;
		im->tab = xcalloc(im->tabcap, sizeof *im->tab);
		for (i = 0; i < im->neps; i++)
			tab_put(im->tab, im->tabcap, im->eps[i].key, i + 1);
	}
	e = VEC_PUSH(im->eps, im->neps, im->capeps);
	memset(e, 0, sizeof *e);
	e->key = key;
	tab_put(im->tab, im->tabcap, key, im->neps);
	return e;
}

/* Annotations differ (as sets: both are sorted by key). */
static int
ann_differ(const struct alert_interval *a, const struct obs *o)
{
	return !al_same_labels(a->annotations, a->nannotations, o->ann, o->nann);
}

/* Merges one observation into its episode; o->labels is consumed. */
int
al_observe(struct aimp *im, struct obs *o)
{
	struct alert_interval *a;
	struct ep *e;
	const char *name, *sev;
	char *key;

	if (o->nlabels > 1)
		qsort(o->labels, o->nlabels, sizeof *o->labels, al_label_cmp);
	if (o->nann > 1)
		qsort(o->ann, o->nann, sizeof *o->ann, al_label_cmp);
	key = al_ep_key(o->labels, o->nlabels, o->start);
	if ((e = ep_find(im, key)) != NULL) {
		free(key);
		a = &e->a;
		if (o->ann && ann_differ(a, o)) {
			a->annotations = labels_copy(im->run, o->ann, o->nann);
			a->nannotations = o->nann;
			a->annotation_changes++;
		}
		if (a->fingerprint == NULL && o->fingerprint)
			a->fingerprint = arena_strdup(&im->run->arena, o->fingerprint);
	} else {
		if (im->neps >= LIM_ALERTS) {
			diag_error(im->path, o->line, o->col, "more than %d alert intervals in one input",
			    LIM_ALERTS);
			return -1;
		}
		e = ep_add(im, key);
		a = &e->a;
		a->labels = labels_copy(im->run, o->labels, o->nlabels);
		a->nlabels = o->nlabels;
		if (o->ann) {
			a->annotations = labels_copy(im->run, o->ann, o->nann);
			a->nannotations = o->nann;
		}
		name = label_get(o->labels, o->nlabels, "alertname");
		if (name == NULL)
			diag_warning(im->path, o->line, o->col, "alert without an \"alertname\" label; "
			    "it is named \"\"");
		a->name = arena_strdup(&im->run->arena, name ? name : "");
		sev = label_get(o->labels, o->nlabels, "severity");
		a->severity = sev ? arena_strdup(&im->run->arena, sev) : NULL;
		a->fingerprint = o->fingerprint ? arena_strdup(&im->run->arena, o->fingerprint) : NULL;
		a->start = o->start;
		a->start_err = o->start_err;
		a->active_only = o->active_only;
		a->nsources = 1;
		a->always_firing = always_firing(a->name);
		a->origin.src = im->src;
		a->origin.line = o->line;
		a->origin.col = o->col;
	}
	/* The most precise evidence of an edge wins; among equals, the latest resolve. */
	if (o->start_err < a->start_err) {
		a->start = o->start;
		a->start_err = o->start_err;
	}
	if (o->have_end && (!a->have_end || o->end_err < a->end_err ||
	    (o->end_err == a->end_err && o->end > a->end))) {
		a->have_end = 1;
		a->end = o->end;
		a->end_err = o->end_err;
		a->end_approx = o->end_err > 0;
	}
	if (o->active_only == 0)
		a->active_only = 0;
	if (o->api)
		e->api = 1;
	if (o->active_at)
		e->active_at = 1;
	if (o->have_pending && !a->have_pending) {
		a->have_pending = 1;
		a->pending_since = o->pending_since;
	}
	if (o->in_snapshot) {
		/* Back in a snapshot after missing one with the same start: it never ended. */
		if (a->have_end && a->end_approx)
			a->have_end = a->end_approx = 0, a->end_err = 0;
		a->snapshot = 1;
		a->have_last_seen = 1;
		a->last_seen = im->snap_t;
		if (e->seen_snap != im->nsnap) {
			e->seen_snap = im->nsnap;
			*VEC_PUSH(im->cur, im->ncur, im->capcur) = (size_t)(e - im->eps);
		}
	}
	free(o->labels);
	free(o->ann);
	o->labels = o->ann = NULL;
	return 0;
}

/* ---- JSON values -------------------------------------------------------- */

/* An object of strings (labels, annotations) as a borrowed, xmalloc'd array. */
int
al_str_map(struct aimp *im, const cJSON *m, uint32_t mi, const char *what, struct label **out,
    size_t *n)
{
	const cJSON *c;
	uint32_t ci;

	*out = NULL;
	*n = 0;
	if (!cJSON_IsObject(m))
		return al_err(im, mi, 1, "%s: expected an object, found %s", al_q(what), jscan_type(m));
	for (c = m->child, ci = mi + 1; c; c = c->next, ci = jscan_next(&im->sc, ci)) {
		if (*n >= LIM_ALERT_LABELS) {
			free(*out);
			*out = NULL;
			return al_err(im, ci, 0, "more than %d entries in %s", LIM_ALERT_LABELS, al_q(what));
		}
		if (!cJSON_IsString(c)) {
			free(*out);
			*out = NULL;
			return al_err(im, ci, 1, "%s %s: expected a string, found %s",
			    strcmp(what, "labels") == 0 ? "label" : "annotation", al_q(c->string),
			    jscan_type(c));
		}
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[*n].key = c->string;
		(*out)[*n].value = c->valuestring;
		(*n)++;
	}
	return 0;
}

/* A time member; *ms gets it. -1 when it is absent and required, or bad. */
int
al_time_member(struct aimp *im, const cJSON *obj, uint32_t oi, const char *key, int required,
    int *have, int64_t *ms)
{
	const cJSON *v;
	uint32_t vi = 0;
	size_t errcol = 0;

	*have = 0;
	if ((v = jscan_member(&im->sc, obj, oi, key, &vi)) == NULL || (!required && cJSON_IsNull(v))) {
		if (required)
			return al_err(im, oi, 1, "alert without %s", al_q(key));
		return 0;
	}
	if (!cJSON_IsString(v))
		return al_err(im, vi, 1, "%s: expected an RFC 3339 time, found %s", al_q(key), jscan_type(v));
	if (time_parse_rfc3339(v->valuestring, strlen(v->valuestring), ms, &errcol) == -1)
		return al_err(im, vi, 1, "%s: expected an RFC 3339 time, found %s", al_q(key),
		    al_q(v->valuestring));
	*have = 1;
	return 0;
}


/* One alert object; group_status is the notification's status or NULL. */
int
al_import_alert(struct aimp *im, const cJSON *al, uint32_t ai, enum style style,
    const char *group_status)
{
	const cJSON *lab, *ann, *fp, *st, *state;
	uint32_t li = 0, ni = 0, fi = 0, si = 0, ti = 0;
	struct obs o;
	int have, have_end, firing;
	int64_t end = 0, upd = 0;
	const char *status = group_status;

	if (!cJSON_IsObject(al))
		return al_err(im, ai, 1, "alert: expected an object, found %s", jscan_type(al));
	memset(&o, 0, sizeof o);
	o.line = jscan_pos(&im->sc, ai)->vline;
	o.col = jscan_pos(&im->sc, ai)->vcol;
	if ((lab = jscan_member(&im->sc, al, ai, "labels", &li)) == NULL)
		return al_err(im, ai, 1, "alert without \"labels\"");
	if (al_time_member(im, al, ai, "startsAt", 1, &have, &o.start) == -1 ||
	    al_time_member(im, al, ai, "endsAt", 0, &have_end, &end) == -1 ||
	    al_time_member(im, al, ai, "updatedAt", 0, &have, &upd) == -1)
		return -1;
	if (have) {
		al_note_capture(im, upd);
		if (!im->have_updated || upd > im->updated)
			im->updated = upd;
		im->have_updated = 1;
	}
	if ((fp = jscan_member(&im->sc, al, ai, "fingerprint", &fi)) != NULL) {
		if (!cJSON_IsString(fp))
			return al_err(im, fi, 1, "\"fingerprint\": expected a string, found %s", jscan_type(fp));
		o.fingerprint = fp->valuestring;
	}
	if ((st = jscan_member(&im->sc, al, ai, "status", &si)) != NULL) {
		if (cJSON_IsString(st)) {
			status = st->valuestring;
		} else if (cJSON_IsObject(st)) {
			/* API v1/v2: {state: active|suppressed|unprocessed}; all are firing at capture. */
			state = jscan_member(&im->sc, st, si, "state", &ti);
			if (state && !cJSON_IsString(state))
				return al_err(im, ti, 1, "\"state\": expected a string, found %s",
				    jscan_type(state));
			status = "firing";
		} else {
			return al_err(im, si, 1, "\"status\": expected \"firing\", \"resolved\" or an object, "
			    "found %s", jscan_type(st));
		}
	}
	if (style != ST_WEBHOOK)
		status = "firing";	/* the API lists alerts that have not resolved */
	else if (status == NULL)
		status = have_end && !is_zero_time(end) ? "resolved" : "firing";
	if (strcmp(status, "firing") == 0) {
		firing = 1;
	} else if (strcmp(status, "resolved") == 0) {
		firing = 0;
	} else {
		return al_err(im, st ? si : ai, 1, "\"status\": expected \"firing\" or \"resolved\", found %s",
		    al_q(status));
	}
	if (!firing) {
		if (have_end && !is_zero_time(end)) {
			o.have_end = 1;
			o.end = end;
		} else {
			al_warn(im, ai, "alert is resolved but its \"endsAt\" is the zero time; "
			    "its end is unknown, so it counts as still firing");
		}
	}
	o.in_snapshot = style == ST_SNAPSHOT;
	o.api = style == ST_API;
	if (o.api)
		im->napi++;
	if (al_str_map(im, lab, li, "labels", &o.labels, &o.nlabels) == -1)
		return -1;
	if ((ann = jscan_member(&im->sc, al, ai, "annotations", &ni)) != NULL && !cJSON_IsNull(ann)) {
		if (al_str_map(im, ann, ni, "annotations", &o.ann, &o.nann) == -1) {
			free(o.labels);
			return -1;
		}
		if (o.ann == NULL)	/* {}: no annotations, which is still a value */
			o.ann = xmalloc(sizeof *o.ann);
	}
	return al_observe(im, &o);
}

static int
import_alert_array(struct aimp *im, const cJSON *arr, uint32_t ai, const char *key, enum style style,
    const char *group_status)
{
	const cJSON *c;
	uint32_t ci;

	if (!cJSON_IsArray(arr))
		return al_err(im, ai, 1, "%s: expected an array of alerts, found %s", al_q(key), jscan_type(arr));
	for (c = arr->child, ci = ai + 1; c; c = c->next, ci = jscan_next(&im->sc, ci))
		if (al_import_alert(im, c, ci, style, group_status) == -1)
			return -1;
	return 0;
}

/* A webhook notification, or an /api/v2/alerts/groups entry. */
static int
import_payload(struct aimp *im, const cJSON *p, uint32_t pi)
{
	const cJSON *al, *st, *ver, *tr, *rcv;
	uint32_t ali = 0, sti = 0, vi = 0, tri = 0;
	const char *status = NULL;

	al = jscan_member(&im->sc, p, pi, "alerts", &ali);
	rcv = cJSON_GetObjectItemCaseSensitive(p, "receiver");
	if (cJSON_IsObject(rcv)) {
		al_note_format(im, "alertmanager-api-v2-groups");
		return import_alert_array(im, al, ali, "alerts", ST_API, NULL);
	}
	ver = jscan_member(&im->sc, p, pi, "version", &vi);
	if (ver == NULL)
		al_note_format(im, "alertmanager-webhook");
	else if (cJSON_IsString(ver) && strcmp(ver->valuestring, "4") == 0)
		al_note_format(im, "alertmanager-webhook-v4");
	else if (cJSON_IsString(ver) && strcmp(ver->valuestring, "3") == 0)
		al_note_format(im, "alertmanager-webhook-v3");
	else
		return al_err(im, vi, 1, "\"version\": expected \"4\" or \"3\", found %s",
		    cJSON_IsString(ver) ? al_q(ver->valuestring) : jscan_type(ver));
	/* groupKey is opaque (v3 wrote a bare integer past 2^53): never read as a number. */
	if ((st = jscan_member(&im->sc, p, pi, "status", &sti)) != NULL) {
		if (!cJSON_IsString(st) || (strcmp(st->valuestring, "firing") != 0 &&
		    strcmp(st->valuestring, "resolved") != 0))
			return al_err(im, sti, 1, "\"status\": expected \"firing\" or \"resolved\", found %s",
			    cJSON_IsString(st) ? al_q(st->valuestring) : jscan_type(st));
		status = st->valuestring;
	}
	if ((tr = jscan_member(&im->sc, p, pi, "truncatedAlerts", &tri)) != NULL &&
	    cJSON_IsNumber(tr) && tr->valuedouble > 0)
		al_warn(im, tri, "the notification left out %.0f alerts (max_alerts); "
		    "they are not in this evidence", tr->valuedouble);
	return import_alert_array(im, al, ali, "alerts", ST_WEBHOOK, status);
}

/* After snapshot k: what was in the one before and is missing now ended by now. */
static void
snapshot_close(struct aimp *im)
{
	size_t k, *t;
	struct ep *e;

	for (k = 0; k < im->nprev; k++) {
		e = &im->eps[im->prev[k]];
		if (e->seen_snap != im->nsnap && !e->a.have_end) {
			/* seen at the snapshot before, gone at this one: resolved between them */
			e->a.have_end = 1;
			e->a.end = im->snap_t;
			e->a.end_err = im->snap_t - im->prev_snap_t;
			e->a.end_approx = 1;
		}
	}
	t = im->prev;
	im->prev = im->cur;
	im->nprev = im->ncur;
	k = im->capprev;
	im->capprev = im->capcur;
	im->cur = t;
	im->capcur = k;
	im->ncur = 0;
}

static int
import_snapshot(struct aimp *im, const cJSON *s, uint32_t si)
{
	const cJSON *al;
	uint32_t ali = 0, ti = 0;
	int have;
	int64_t t;

	al_note_format(im, "alertmanager-snapshots");
	if (al_time_member(im, s, si, "captured_at", 1, &have, &t) == -1)
		return -1;
	jscan_member(&im->sc, s, si, "captured_at", &ti);
	if (im->nsnap > 0 && t < im->snap_t) {
		char a[64], b[64];

		time_fmt_utc(t, a, sizeof a);
		time_fmt_utc(im->snap_t, b, sizeof b);
		return al_err(im, ti, 1, "snapshot captured at %s comes after one captured at %s; "
		    "snapshots must be in time order", a, b);
	}
	im->nsnap++;
	im->prev_snap_t = im->nsnap > 1 ? im->snap_t : t;
	im->snap_t = t;
	al_note_capture(im, t);
	if ((al = jscan_member(&im->sc, s, si, "alerts", &ali)) == NULL)
		return al_err(im, si, 1, "snapshot without \"alerts\"");
	if (import_alert_array(im, al, ali, "alerts", ST_SNAPSHOT, NULL) == -1)
		return -1;
	snapshot_close(im);
	return 0;
}

/* ---- documents ------------------------------------------------------------ */

static int
not_alerts(struct aimp *im, uint32_t at, const char *found)
{
	return al_err(im, at, 1, "not Alertmanager alerts: expected a webhook payload, an API response, "
	    "a snapshot or a Prometheus ALERTS range query, found %s", found);
}

static int
import_root(struct aimp *im, const cJSON *root)
{
	const cJSON *c, *data, *st;
	uint32_t ci, di = 0;

	if (cJSON_IsArray(root)) {
		/* /api/v2/alerts (or amtool -o json): the alerts active when it was taken; [] is none */
		if (root->child == NULL || cJSON_GetObjectItemCaseSensitive(root->child, "labels"))
			im->api_answer = 1;
		for (c = root->child, ci = 1; c; c = c->next, ci = jscan_next(&im->sc, ci)) {
			if (cJSON_IsObject(c) && cJSON_GetObjectItemCaseSensitive(c, "alerts")) {
				if (import_payload(im, c, ci) == -1)
					return -1;
			} else if (cJSON_IsObject(c) && cJSON_GetObjectItemCaseSensitive(c, "labels")) {
				al_note_format(im, "alertmanager-api-v2");
				if (al_import_alert(im, c, ci, ST_API, NULL) == -1)
					return -1;
			} else {
				return al_err(im, ci, 1, "expected an alert (with \"labels\") or a notification "
				    "(with \"alerts\"), found %s", cJSON_IsObject(c) ? "an object with neither" :
				    jscan_type(c));
			}
		}
		return 0;
	}
	if (!cJSON_IsObject(root))
		return not_alerts(im, 0, jscan_type(root));
	if (cJSON_GetObjectItemCaseSensitive(root, "captured_at"))
		return import_snapshot(im, root, 0);
	if (cJSON_GetObjectItemCaseSensitive(root, "alerts"))
		return import_payload(im, root, 0);
	st = cJSON_GetObjectItemCaseSensitive(root, "status");
	if ((data = jscan_member(&im->sc, root, 0, "data", &di)) != NULL && cJSON_IsString(st)) {
		if (strcmp(st->valuestring, "success") != 0)
			return not_alerts(im, 0, "an API response with status " "that is not \"success\"");
		if (cJSON_IsArray(data)) {
			al_note_format(im, "alertmanager-api-v1");
			for (c = data->child, ci = di + 1; c; c = c->next, ci = jscan_next(&im->sc, ci))
				if (al_import_alert(im, c, ci, ST_API, NULL) == -1)
					return -1;
			return 0;
		}
		if (cJSON_IsObject(data) && cJSON_GetObjectItemCaseSensitive(data, "alerts")) {
			im->api_answer = 1;
			return al_import_prom_api(im, data, di);
		}
		if (cJSON_IsObject(data))
			return al_import_range(im, data, di);
		return al_err(im, di, 1, "\"data\": expected an array of alerts or a query result, found %s",
		    jscan_type(data));
	}
	return not_alerts(im, 0, "an object without \"alerts\" or \"data\"");
}

/* ---- the input -------------------------------------------------------------- */

/* A first value that is a string holding JSON: a payload serialised twice. */
static int
quoted_twice(struct aimp *im, const char *s, size_t n)
{
	size_t i = im->sc.i + 1;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
	    (s[i] == '\\' && i + 1 < n && strchr("nrt", s[i + 1]) && ++i)))
		i++;
	if (i < n && (s[i] == '{' || s[i] == '['))
		return jscan_fail(&im->sc, im->sc.i, "a JSON string that contains JSON: this looks like a "
		    "payload quoted twice (serialised to a string, then written as JSON); expected the "
		    "payload object itself, without the outer quotes");
	return jscan_fail(&im->sc, im->sc.i, "not Alertmanager alerts: expected a JSON object or "
	    "array, found a string");
}

/* This input's episodes by start, then name and labels (inspect lists them so). */
static int
by_start(const void *pa, const void *pb)
{
	const struct alert_interval *a = pa, *b = pb;
	size_t i;
	int c;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	for (i = 0; i < a->nlabels && i < b->nlabels; i++)
		if ((c = strcmp(a->labels[i].key, b->labels[i].key)) != 0 ||
		    (c = strcmp(a->labels[i].value, b->labels[i].value)) != 0)
			return c;
	if (a->nlabels != b->nlabels)
		return a->nlabels < b->nlabels ? -1 : 1;
	return a->origin.line < b->origin.line ? -1 : a->origin.line > b->origin.line;
}

/*
 * When an API answer was captured: the drill's captured_at for the file,
 * else a kept HTTP response's Date: header, else the latest updatedAt
 * (Alertmanager updates an alert each time Prometheus resends it, so this
 * is at most a resend interval before the capture). 0 when unknown.
 */
static int
api_capture(const struct aimp *im, int64_t *t)
{
	if (im->have_opt_capture)
		*t = im->opt_capture;
	else if (im->have_http_date)
		*t = im->http_date;
	else if (im->have_updated)
		*t = im->updated;
	else
		return 0;
	return 1;
}

/*
 * Hands the episodes of this input to the run. Episodes of one alert seen
 * by several inputs are reconciled later, by normalize (norm/alerts.c),
 * which needs each input's episodes as that input saw them: an API
 * answer's alerts are marked as seen at its capture time, and a
 * Prometheus alert's fire edge is pinned to between its activeAt and the
 * capture.
 */
static int
finish(struct aimp *im)
{
	struct run *run = im->run;
	struct alert_interval *x;
	struct ep *e;
	int64_t cap = 0;
	int have_cap = api_capture(im, &cap);
	size_t i, old = run->nalerts;

	if (run->nalerts + im->neps > LIM_ALERTS) {
		diag_error(im->path, 0, 0, "more than %d alert intervals in one run", LIM_ALERTS);
		return -1;
	}
	for (i = 0; i < im->neps; i++) {
		e = &im->eps[i];
		if (e->api && !e->a.snapshot && have_cap) {
			e->a.snapshot = 1;
			e->a.have_last_seen = 1;
			e->a.last_seen = cap;
		}
		if (e->active_at && !e->a.active_only) {
			if (have_cap && cap >= e->a.start) {
				e->a.have_pending = 1;
				e->a.pending_since = e->a.start;
				e->a.start_err = cap - e->a.start;
				e->a.start = cap;
			} else {
				e->a.active_only = 2;	/* fired at or after start; when is unknown */
			}
		}
		x = run_add_alert(run);
		*x = e->a;
		x->origin.src = im->src;
		x->end_origin = x->origin;
	}
	if (run->nalerts - old > 1)
		qsort(run->alerts + old, run->nalerts - old, sizeof *run->alerts, by_start);
	return 0;
}

static void
release(struct aimp *im)
{
	size_t i;

	for (i = 0; i < im->neps; i++)
		free(im->eps[i].key);
	free(im->eps);
	free(im->tab);
	free(im->prev);
	free(im->cur);
	jscan_release(&im->sc);
}

int
al_import_doc(struct aimp *im, const char *text, size_t n)
{
	const char *end = NULL;
	size_t start;
	uint32_t line, col;
	cJSON *root;
	int rc;

	jscan_ws(&im->sc);
	if (im->sc.i >= n)
		return 1;
	start = im->sc.i;
	im->sc.npos = 0;
	if (jscan_value(&im->sc) == -1)
		return -1;
	root = cJSON_ParseWithLengthOpts(text + start, im->sc.i - start, &end, 0);
	if (root == NULL) {
		jscan_at(&im->sc, end && end >= text + start && end <= text + n ?
		    (size_t)(end - text) : start, &line, &col);
		diag_error(im->path, line, col, "invalid JSON: cJSON cannot parse this");
		return -1;
	}
	rc = import_root(im, root);
	cJSON_Delete(root);
	return rc;
}

static int
import_json(struct aimp *im, const char *text, size_t n)
{
	size_t ndocs;
	int rc;

	for (ndocs = 0;; ndocs++) {
		jscan_ws(&im->sc);
		if (im->sc.i >= n)
			return 0;
		if (ndocs == 0 && text[im->sc.i] == '"')
			return quoted_twice(im, text, n);
		if (ndocs >= LIM_ALERT_DOCS)
			return jscan_fail(&im->sc, im->sc.i, "more than %d JSON documents in one input",
			    LIM_ALERT_DOCS);
		if ((rc = al_import_doc(im, text, n)) != 0)
			return rc == 1 ? 0 : -1;
	}
}

int
in_alerts_import(struct run *run, int src, const struct import_opts *opts, const char *path,
    const char *data, size_t len)
{
	struct source *s;
	struct aimp im;
	const char *text = data, *nul;
	size_t n = len, i;
	int rc;

	if (import_preamble(path, &text, &n, "UTF-8 JSON or text", "Alertmanager alerts") == -1)
		return -1;
	memset(&im, 0, sizeof im);
	if (opts && opts->have_captured_at) {
		im.have_opt_capture = 1;
		im.opt_capture = opts->captured_at;
	}
	im.run = run;
	im.src = src;
	im.path = path;
	jscan_init(&im.sc, path, text, n);
	if ((nul = memchr(text, '\0', n)) != NULL) {
		jscan_fail(&im.sc, (size_t)(nul - text), "a NUL byte; expected text");
		return -1;
	}
	for (i = 0; i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'); i++)
		;
	if (al_is_table(text + i, n - i))
		rc = i == 0 ? al_import_table(&im, text, n) : (jscan_fail(&im.sc, i,
		    "an amtool table must start at the first line"), -1);
	else if (al_is_http(text + i, n - i))
		rc = al_import_http(&im, text, n);
	else if (text[i] == '{' || text[i] == '[' || text[i] == '"')
		rc = import_json(&im, text, n);
	else
		rc = jscan_fail(&im.sc, i, "not Alertmanager alerts: expected JSON (a webhook payload, "
		    "an API response, snapshots) or an amtool table, found %s", jscan_found(&im.sc, i));
	if (rc == 0)
		rc = finish(&im);
	if (rc == 0 && src >= 0 && (size_t)src < run->nsources) {
		s = &run->sources[src];
		s->format = arena_strdup(&run->arena, im.mixed ? "alertmanager-mixed" :
		    im.format ? im.format : "alertmanager");
		if (im.nsnap > 0) {
			s->alert_snapshot = 1;
			s->have_generated_at = 1;
			s->generated_at = im.snap_t;
		} else if ((im.napi > 0 || im.api_answer) && api_capture(&im, &s->generated_at)) {
			/* one API answer: the alerts active at its capture */
			s->alert_snapshot = 1;
			s->have_generated_at = 1;
		} else if (im.have_capture && !s->have_generated_at) {
			s->have_generated_at = 1;
			s->generated_at = im.capture;
		}
	}
	release(&im);
	return rc;
}

/* ---- sniffing ------------------------------------------------------------- */

static int
has_text(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, w, k) == 0)
			return 1;
	return 0;
}

int
in_alerts_sniff(const char *data, size_t len)
{
	size_t i = 0, n;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (al_is_table(data + i, len - i))
		return 1;
	if (al_is_http(data + i, len - i))
		return jscan_has_key(data, len < 65536 ? len : 65536, "alerts");
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i >= len || (data[i] != '{' && data[i] != '[' && data[i] != '"'))
		return 0;
	n = len - i < 65536 ? len - i : 65536;
	data += i;
	/* Keys only alerts have, enough of them that a truncated file still gets here. */
	return (jscan_has_key(data, n, "alerts") && (jscan_has_key(data, n, "receiver") ||
	    jscan_has_key(data, n, "captured_at") || jscan_has_key(data, n, "groupKey"))) ||
	    (jscan_has_key(data, n, "startsAt") && jscan_has_key(data, n, "labels")) ||
	    /* Prometheus /api/v1/alerts */
	    (jscan_has_key(data, n, "activeAt") && jscan_has_key(data, n, "state") &&
	    jscan_has_key(data, n, "labels")) ||
	    /* a query_range of ALERTS; an instant answer (vector) is a Prometheus series, never alerts */
	    (jscan_has_key(data, n, "resultType") && has_text(data, n, "\"matrix\"") &&
	    (jscan_has_key(data, n, "ALERTS") || jscan_has_key(data, n, "ALERTS_FOR_STATE")));
}
