/*
 * in_alerts_prom.c — Prometheus alert evidence (alerts_imp.h): query_range
 * answers of ALERTS and ALERTS_FOR_STATE, and /api/v1/alerts answers.
 * Each firing or resolve edge carries how well the evidence pins it: a
 * range sample pins an edge to within its step, an API answer only to
 * between the alert's activeAt and the capture.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/jsonpos.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "in/alerts_imp.h"

/* ---- Prometheus ALERTS / ALERTS_FOR_STATE ------------------------------- */

struct pseries {
	struct label	*labels;	/* without __name__ and alertstate; borrowed */
	size_t		 nlabels;
	char		*key;		/* labels only, canonical */
	int		 kind;		/* 0 firing, 1 pending, 2 for_state */
	int64_t		*t;
	double		*v;
	size_t		 n, cap;
	uint32_t	 at;
};

static void
pseries_free(struct pseries *ps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ps[i].labels);
		free(ps[i].key);
		free(ps[i].t);
		free(ps[i].v);
	}
	free(ps);
}

static int
read_series(struct aimp *im, const cJSON *r, uint32_t ri, struct pseries *s, size_t *nsamples)
{
	const cJSON *m, *vals, *c, *tv, *vv, *nm, *stt;
	uint32_t mi = 0, vi = 0, ci;
	struct label *all;
	size_t nall, k;
	double v;

	if (!cJSON_IsObject(r))
		return al_err(im, ri, 1, "result: expected an object, found %s", jscan_type(r));
	if ((m = jscan_member(&im->sc, r, ri, "metric", &mi)) == NULL)
		return al_err(im, ri, 1, "result without \"metric\"");
	if (al_str_map(im, m, mi, "metric", &all, &nall) == -1)
		return -1;
	nm = cJSON_GetObjectItemCaseSensitive(m, "__name__");
	stt = cJSON_GetObjectItemCaseSensitive(m, "alertstate");
	if (cJSON_IsString(nm) && strcmp(nm->valuestring, "ALERTS_FOR_STATE") == 0) {
		s->kind = 2;
	} else if (cJSON_IsString(nm) && strcmp(nm->valuestring, "ALERTS") == 0 && cJSON_IsString(stt) &&
	    (strcmp(stt->valuestring, "firing") == 0 || strcmp(stt->valuestring, "pending") == 0)) {
		s->kind = strcmp(stt->valuestring, "firing") == 0 ? 0 : 1;
	} else {
		free(all);
		return al_err(im, mi, 1, "expected a series of ALERTS{alertstate=\"firing\"|\"pending\"} "
		    "or ALERTS_FOR_STATE, found %s%s", cJSON_IsString(nm) ? al_q(nm->valuestring) : "no __name__",
		    cJSON_IsString(nm) && strcmp(nm->valuestring, "ALERTS") == 0 ? " without a valid alertstate" : "");
	}
	for (k = 0, s->nlabels = 0; k < nall; k++)
		if (strcmp(all[k].key, "__name__") != 0 && strcmp(all[k].key, "alertstate") != 0)
			all[s->nlabels++] = all[k];
	s->labels = all;
	if (s->nlabels > 1)
		qsort(s->labels, s->nlabels, sizeof *s->labels, al_label_cmp);
	s->key = al_ep_key(s->labels, s->nlabels, 0);
	s->at = mi;
	if ((vals = jscan_member(&im->sc, r, ri, "values", &vi)) == NULL)
		return al_err(im, ri, 1, "result without \"values\"; expected a range query (matrix) result");
	if (!cJSON_IsArray(vals))
		return al_err(im, vi, 1, "\"values\": expected an array, found %s", jscan_type(vals));
	for (c = vals->child, ci = vi + 1; c; c = c->next, ci = jscan_next(&im->sc, ci)) {
		if (++*nsamples > LIM_ALERT_SAMPLES)
			return al_err(im, ci, 1, "more than %d samples in one input", LIM_ALERT_SAMPLES);
		tv = cJSON_IsArray(c) ? c->child : NULL;
		vv = tv ? tv->next : NULL;
		if (!tv || !vv || vv->next || !cJSON_IsNumber(tv) || !cJSON_IsString(vv) ||
		    strnum_double(vv->valuestring, strlen(vv->valuestring), &v) == -1 ||
		    !isfinite(tv->valuedouble) || fabs(tv->valuedouble) > 1e11)
			return al_err(im, ci, 1, "sample: expected [unix seconds, \"value\"], found %s",
			    cJSON_IsArray(c) ? "something else" : jscan_type(c));
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 16;
			s->t = xreallocarray(s->t, s->cap, sizeof *s->t);
			s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
		}
		s->t[s->n] = (int64_t)llround(tv->valuedouble * 1000.0);
		s->v[s->n] = v;
		if (s->n > 0 && s->t[s->n] <= s->t[s->n - 1])
			return al_err(im, ci, 1, "samples out of time order");
		s->n++;
	}
	return 0;
}

/*
 * Firing intervals from runs of consecutive ALERTS samples: a gap of more
 * than twice the step (the smallest spacing seen) ends one. A run that
 * reaches the last sample of the result is still firing at capture; any
 * other ended within a step of its last sample (end = last + step, marked
 * approximate). Pending runs just before a firing run give pending_since;
 * ALERTS_FOR_STATE's value is the activeAt time in seconds.
 */
int
al_import_range(struct aimp *im, const cJSON *data, uint32_t di)
{
	const cJSON *rt, *res, *c;
	uint32_t rti = 0, resi = 0, ci;
	struct pseries *ps = NULL;
	size_t nps = 0, i, j, k, a, b, nsamples = 0;
	int64_t step = 0, last = INT64_MIN, gap;
	struct obs o;
	int rc = 0;

	al_note_format(im, "prometheus-alerts-range");
	rt = jscan_member(&im->sc, data, di, "resultType", &rti);
	if (cJSON_IsString(rt) && (strcmp(rt->valuestring, "vector") == 0 ||
	    strcmp(rt->valuestring, "scalar") == 0))
		return al_err(im, rti, 1, "this is a Prometheus instant query answer (/api/v1/query, "
		    "resultType %s): one moment, which cannot show when an alert fired or resolved; "
		    "export /api/v1/query_range of ALERTS (or ALERTS_FOR_STATE) over the drill, or "
		    "/api/v1/alerts", al_q(rt->valuestring));
	if (rt == NULL || !cJSON_IsString(rt) || strcmp(rt->valuestring, "matrix") != 0)
		return al_err(im, rt ? rti : di, 1, "\"resultType\": expected \"matrix\" (a query_range "
		    "of ALERTS), found %s", rt == NULL ? "none" : cJSON_IsString(rt) ? al_q(rt->valuestring) :
		    jscan_type(rt));
	if ((res = jscan_member(&im->sc, data, di, "result", &resi)) == NULL || !cJSON_IsArray(res))
		return al_err(im, res ? resi : di, 1, "\"result\": expected an array, found %s",
		    res ? jscan_type(res) : "none");
	ps = xcalloc((size_t)cJSON_GetArraySize(res) + 1, sizeof *ps);
	for (c = res->child, ci = resi + 1; c; c = c->next, ci = jscan_next(&im->sc, ci))
		if ((rc = read_series(im, c, ci, &ps[nps++], &nsamples)) == -1)
			goto out;
	for (i = 0; i < nps; i++)
		for (k = 0; k < ps[i].n; k++) {
			if (k > 0 && (step == 0 || ps[i].t[k] - ps[i].t[k - 1] < step))
				step = ps[i].t[k] - ps[i].t[k - 1];
			if (ps[i].t[k] > last)
				last = ps[i].t[k];
		}
	if (last != INT64_MIN)
		al_note_capture(im, last);
	gap = 2 * step;
	for (i = 0; i < nps && rc == 0; i++) {
		if (ps[i].kind != 0)
			continue;
		for (a = 0; a < ps[i].n && rc == 0; a = b) {
			for (b = a + 1; b < ps[i].n && ps[i].t[b] - ps[i].t[b - 1] <= gap; b++)
				;
			memset(&o, 0, sizeof o);
			o.labels = xmalloc((ps[i].nlabels + 1) * sizeof *o.labels);
			if (ps[i].nlabels)
				memcpy(o.labels, ps[i].labels, ps[i].nlabels * sizeof *o.labels);
			o.nlabels = ps[i].nlabels;
			o.start = ps[i].t[a];
			o.line = jscan_pos(&im->sc, ps[i].at)->kline;
			o.col = jscan_pos(&im->sc, ps[i].at)->kcol;
			/*
			 * A range query returns samples only while the alert exists,
			 * so a run reaching the last sample may be firing still, or
			 * may have ended right after it. The capture time decides
			 * when it is known to be later than two steps past it.
			 */
			o.start_err = step;	/* it fired after the sample before: within a step */
			if (ps[i].t[b - 1] != last || (im->have_opt_capture &&
			    im->opt_capture > ps[i].t[b - 1] + 2 * step)) {
				o.have_end = o.end_approx = 1;
				o.end = ps[i].t[b - 1] + step;
				o.end_err = step;
			}
			for (j = 0; j < nps; j++) {
				if (j == i || strcmp(ps[j].key, ps[i].key) != 0 || ps[j].n == 0)
					continue;
				for (k = 0; k < ps[j].n && !o.have_pending; k++) {
					if (ps[j].kind == 1 && ps[j].t[k] < o.start && o.start - ps[j].t[k] <= gap) {
						/* the last pending sample before the firing: walk back its run */
						while (k > 0 && ps[j].t[k] - ps[j].t[k - 1] <= gap)
							k--;
						o.have_pending = 1;
						o.pending_since = ps[j].t[k];
					} else if (ps[j].kind == 2 && ps[j].t[k] >= o.start &&
					    ps[j].t[k] <= ps[i].t[b - 1] && ps[j].v[k] > 0 && ps[j].v[k] < 1e11) {
						o.have_pending = 1;
						o.pending_since = (int64_t)llround(ps[j].v[k] * 1000.0);
					}
				}
			}
			rc = al_observe(im, &o);
		}
	}
	/*
	 * ALERTS_FOR_STATE with no ALERTS series of the same alert: the series
	 * exists while the alert is active (pending or firing) and its value
	 * is activeAt. It proves the alert was active, not that it fired; the
	 * episode says so (active_only), so a must_not_fire rule is not passed
	 * on an alert that was active.
	 */
	for (i = 0; i < nps && rc == 0; i++) {
		if (ps[i].kind != 2 || ps[i].n == 0)
			continue;
		for (j = 0; j < nps; j++)
			if (ps[j].kind != 2 && strcmp(ps[j].key, ps[i].key) == 0)
				break;
		if (j < nps)
			continue;
		for (a = 0; a < ps[i].n && rc == 0; a = b) {
			for (b = a + 1; b < ps[i].n && ps[i].t[b] - ps[i].t[b - 1] <= gap &&
			    ps[i].v[b] == ps[i].v[a]; b++)
				;
			memset(&o, 0, sizeof o);
			o.labels = xmalloc((ps[i].nlabels + 1) * sizeof *o.labels);
			if (ps[i].nlabels)
				memcpy(o.labels, ps[i].labels, ps[i].nlabels * sizeof *o.labels);
			o.nlabels = ps[i].nlabels;
			o.line = jscan_pos(&im->sc, ps[i].at)->kline;
			o.col = jscan_pos(&im->sc, ps[i].at)->kcol;
			o.active_only = 1;
			if (ps[i].v[a] > 0 && ps[i].v[a] < 1e11) {
				o.start = (int64_t)llround(ps[i].v[a] * 1000.0);	/* activeAt, to the second */
				o.start_err = 0;
			} else {
				o.start = ps[i].t[a];
				o.start_err = step;
			}
			o.have_pending = 1;
			o.pending_since = o.start;
			if (ps[i].t[b - 1] != last || (im->have_opt_capture &&
			    im->opt_capture > ps[i].t[b - 1] + 2 * step)) {
				o.have_end = o.end_approx = 1;
				o.end = ps[i].t[b - 1] + step;
				o.end_err = step;
			}
			rc = al_observe(im, &o);
		}
	}
out:
	pseries_free(ps, nps);
	return rc;
}

/*
 * Prometheus /api/v1/alerts: {"alerts": [{labels, annotations, state,
 * activeAt, value}]}. Only firing alerts make episodes; activeAt is when
 * the alert went pending, so the fire edge lies between it and the
 * capture (finish() pins it once the capture time is known).
 */
int
al_import_prom_api(struct aimp *im, const cJSON *data, uint32_t di)
{
	const cJSON *arr, *al, *lab, *ann, *st;
	uint32_t ai = 0, ci, li = 0, ni = 0, si = 0;
	struct obs o;
	int have;

	al_note_format(im, "prometheus-api-alerts");
	if ((arr = jscan_member(&im->sc, data, di, "alerts", &ai)) == NULL || !cJSON_IsArray(arr))
		return al_err(im, arr ? ai : di, 1, "\"alerts\": expected an array, found %s",
		    arr ? jscan_type(arr) : "none");
	for (al = arr->child, ci = ai + 1; al; al = al->next, ci = jscan_next(&im->sc, ci)) {
		if (!cJSON_IsObject(al))
			return al_err(im, ci, 1, "alert: expected an object, found %s", jscan_type(al));
		if ((st = jscan_member(&im->sc, al, ci, "state", &si)) == NULL || !cJSON_IsString(st))
			return al_err(im, st ? si : ci, 1, "alert without a \"state\" string "
			    "(firing, pending or inactive)");
		if (strcmp(st->valuestring, "firing") != 0) {
			if (strcmp(st->valuestring, "pending") != 0 &&
			    strcmp(st->valuestring, "inactive") != 0)
				return al_err(im, si, 1, "\"state\": expected \"firing\", \"pending\" or "
				    "\"inactive\", found %s", al_q(st->valuestring));
			continue;	/* pending never fired (yet) */
		}
		memset(&o, 0, sizeof o);
		o.line = jscan_pos(&im->sc, ci)->vline;
		o.col = jscan_pos(&im->sc, ci)->vcol;
		if (al_time_member(im, al, ci, "activeAt", 1, &have, &o.start) == -1)
			return -1;
		o.api = 1;
		o.active_at = 1;
		im->napi++;
		if ((lab = jscan_member(&im->sc, al, ci, "labels", &li)) == NULL)
			return al_err(im, ci, 1, "alert without \"labels\"");
		if (al_str_map(im, lab, li, "labels", &o.labels, &o.nlabels) == -1)
			return -1;
		if ((ann = jscan_member(&im->sc, al, ci, "annotations", &ni)) != NULL &&
		    !cJSON_IsNull(ann)) {
			if (al_str_map(im, ann, ni, "annotations", &o.ann, &o.nann) == -1) {
				free(o.labels);
				return -1;
			}
			if (o.ann == NULL)
				o.ann = xmalloc(sizeof *o.ann);
		}
		if (al_observe(im, &o) == -1)
			return -1;
	}
	return 0;
}
