/*
 * capture_int.h — what the parts of `sloproof capture` (capture.c,
 * capture_exec.c, webhook.c) share; nothing outside jobs/capture*.c and
 * webhook.c uses it.
 */
#ifndef CAPTURE_INT_H
#define CAPTURE_INT_H

#include <stddef.h>
#include <stdint.h>

/* A monotonic clock, ms: for timeouts. */
int64_t	capture_mono_ms(void);
/* Whether SIGINT or SIGTERM asked the capture to stop. */
int	capture_stopping(void);
/*
 * Whether the n bytes at p are exactly one JSON value (nothing but white
 * space after it); if so, raw newlines (only white space between tokens
 * in valid JSON) become spaces, making it one line. 0, or -1.
 */
int	capture_json_one_line(char *p, size_t n);

struct buf;

/*
 * Whether the n bytes at p are one Alertmanager webhook payload (version
 * "4", a status, a receiver, a non-empty alerts list whose items have a
 * status, labels and startsAt) and nothing else; if so, made one line as
 * capture_json_one_line does. 0, or -1 with why set.
 */
int	capture_am_payload(char *p, size_t n, char *why, size_t whyn);

/* "# captured_at: T\n" + text, appended to path (or replacing it). 0, or -1. */
int	capture_record(const char *path, int64_t now, const char *text, size_t n, int replace);
/* One `kubectl [-n NS] VERB hpa NAME [-o json]` into out (initialised here). 0, or -1 (err says why). */
int	capture_kubectl(const char *command, const char *ns, const char *verb, const char *hpa,
	    struct buf *out, char *err, size_t errn);

struct drill;
struct arena;
struct capture_query;
/*
 * The Prometheus queries to ask at the end (capture_openslo.c): the
 * drill's own, then each OpenSLO metricSource query of its SLO files under
 * the name the evaluator looks for. *out (free it; strings in a) and
 * *nout; 0, or -1 after a diagnostic.
 */
int	capture_queries(const struct drill *, struct arena *a, struct capture_query **out,
	    size_t *nout);

#endif
