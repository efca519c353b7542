/*
 * alerts_imp.h — the alert importer's own state, shared by its files only
 * (in_alerts.c: JSON documents and the episodes of one input;
 * in_alerts_prom.c: Prometheus ALERTS ranges and /api/v1/alerts answers;
 * in_alerts_text.c: amtool tables and webhook logs of whole HTTP requests).
 * Nothing outside src/in/in_alerts*.c includes it. Cross-source work (one
 * episode from several inputs) is normalize's, in src/norm/alerts.c.
 */
#ifndef IN_ALERTS_IMP_H
#define IN_ALERTS_IMP_H

#include <stddef.h>
#include <stdint.h>

#include "util/jsonpos.h"
#include "model/run.h"

#define PF(a, b) __attribute__((format(printf, a, b)))

struct cJSON;

/* One mention of an alert; strings are borrowed from the parser. */
struct obs {
	struct label	*labels;	/* xmalloc'd array, sorted by key */
	size_t		 nlabels;
	struct label	*ann;		/* NULL: this evidence has no annotations */
	size_t		 nann;
	const char	*fingerprint;
	int64_t		 start;		/* the episode's identity with the labels */
	int64_t		 start_err;	/* the fire edge is in [start - start_err, start] */
	int		 have_end, end_approx;
	int64_t		 end;
	int64_t		 end_err;	/* the resolve edge is in [end - end_err, end] */
	int		 in_snapshot;	/* seen in the current polled snapshot */
	int		 api;		/* an API answer: active at the capture time */
	int		 active_at;	/* Prometheus activeAt: start is when it went pending */
	int		 active_only;	/* run.h alert_interval.active_only */
	int		 have_pending;
	int64_t		 pending_since;
	long		 line, col;
};

/* One firing episode of one alert, as merged so far. */
struct ep {
	char			*key;	/* labels and start, canonical; xmalloc'd */
	struct alert_interval	 a;
	size_t			 seen_snap;	/* 1 + index of the last snapshot it was in */
	int			 api;		/* seen in an API answer (no end of its own) */
	int			 active_at;	/* start is Prometheus's activeAt */
};

struct aimp {
	struct run	*run;
	int		 src;
	const char	*path;
	struct jscan	 sc;
	struct ep	*eps;
	size_t		 neps, capeps;
	size_t		*tab;		/* open addressing: episode index + 1 */
	size_t		 tabcap;
	const char	*format;
	int		 mixed;
	int		 have_capture;
	int64_t		 capture;	/* the latest capture time seen */
	size_t		 nsnap;		/* polled snapshots read so far */
	int64_t		 snap_t, prev_snap_t;
	size_t		*prev, nprev, capprev;	/* episodes in the previous snapshot */
	size_t		*cur, ncur, capcur;
	int		 have_opt_capture;	/* the drill's captured_at for this file */
	int64_t		 opt_capture;
	int		 have_http_date;	/* a kept HTTP response's Date: header */
	int64_t		 http_date;
	int		 have_updated;		/* the latest updatedAt of an API answer */
	int64_t		 updated;
	size_t		 napi;			/* alerts read from API answers */
	int		 api_answer;		/* the input is an API answer (even an empty one) */
};

/* Where an alert came from, which decides what its status means. */
enum style {
	ST_WEBHOOK,	/* status "firing"/"resolved"; endsAt real once resolved */
	ST_API,		/* status {state}; active at capture, endsAt extrapolated */
	ST_SNAPSHOT	/* as ST_API, inside a polled snapshot */
};

const char *al_q(const char *);
int	al_err(struct aimp *, uint32_t at, int at_value, const char *fmt, ...) PF(4, 5);
void	al_warn(struct aimp *, uint32_t at, const char *fmt, ...) PF(3, 4);
void	al_note_format(struct aimp *, const char *);
void	al_note_capture(struct aimp *, int64_t);
int	al_label_cmp(const void *, const void *);
char	*al_ep_key(const struct label *, size_t, int64_t start);
int	al_same_labels(const struct label *, size_t, const struct label *, size_t);
/* Merges one observation into its episode; o->labels and o->ann are consumed. */
int	al_observe(struct aimp *, struct obs *);
int	al_str_map(struct aimp *, const struct cJSON *, uint32_t, const char *what,
	    struct label **out, size_t *n);
int	al_time_member(struct aimp *, const struct cJSON *, uint32_t, const char *key,
	    int required, int *have, int64_t *ms);
int	al_import_alert(struct aimp *, const struct cJSON *, uint32_t, enum style,
	    const char *group_status);

/* in_alerts_prom.c: data of a query_range of ALERTS / ALERTS_FOR_STATE. */
int	al_import_range(struct aimp *, const struct cJSON *data, uint32_t di);
/* in_alerts_prom.c: data of Prometheus /api/v1/alerts ({"alerts": [...]}). */
int	al_import_prom_api(struct aimp *, const struct cJSON *data, uint32_t di);

/* in_alerts_text.c: amtool tables. */
int	al_is_table(const char *, size_t);
int	al_import_table(struct aimp *, const char *, size_t);
/* in_alerts_text.c: a log of whole HTTP requests (request line, headers, JSON body). */
int	al_is_http(const char *, size_t);
int	al_import_http(struct aimp *, const char *, size_t);
/* in_alerts.c: the JSON document at im->sc.i; 1 at the end of the input. */
int	al_import_doc(struct aimp *, const char *text, size_t n);

#endif
