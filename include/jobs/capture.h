/*
 * capture.h — live capture during a drill (`sloproof capture`): polls
 * Alertmanager, receives its webhooks, runs kubectl, and at the end asks
 * Prometheus for the whole window; every record is written as evidence in
 * the drill's capture folder. The capture owns its sockets, child
 * processes and files; it never imports or judges anything.
 */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct drill;
struct webhook;

struct capture_opts {
	int64_t	 duration;	/* ms; 0: until SIGINT or SIGTERM */
	int	 quiet;		/* no progress lines on stderr (problems are still told) */
};

/*
 * Records until the duration passes or a signal comes, then writes the
 * Prometheus ranges, the describe outputs and OUTPUT/evidence.yaml.
 * 0 when every source answered at least once; 1 when a source never did
 * (its gap is recorded); -1 after diagnostics (bad config, cannot write).
 */
int	capture_run(const struct drill *, const struct capture_opts *);

/*
 * `--mark NAME:start|end`: records now (ms UTC) as the start or end of
 * fault NAME in OUTDIR/faults.yaml, under a lock, replacing the file
 * atomically. 0, or -1 after a diagnostic (a second start, an end without
 * a start, a bad name).
 */
int	capture_mark(const char *outdir, const char *spec, int64_t now);

/* The current time, ms UTC. */
int64_t	capture_now(void);

/*
 * The webhook receiver: a single-threaded HTTP/1.1 server on host:port
 * (port 0: any free port) that appends each well-formed Alertmanager
 * payload POSTed to it, on one line, to path and answers 200. Anything
 * else gets a 4xx and is not written: another method 405, no length 411,
 * a body past LIM_HTTP_BODY 413, a body that is not one Alertmanager
 * payload 400 (`{}` and trailing garbage too), a missing or wrong bearer
 * token 401, a request line that is not HTTP/1.x 400 or 505. A connection that completes no request
 * within 10 s is closed, and when all LIM_HTTP_CLIENTS places are taken
 * the one idle longest makes room for a newcomer.
 */
struct webhook *webhook_open(const char *host, int port, const char *path);
/* Requires "Authorization: Bearer TOKEN" from now on (NULL: no auth). The token is copied. */
void	webhook_set_token(struct webhook *, const char *token);
int	webhook_port(const struct webhook *);
/* Serves for up to timeout_ms; returns how many bodies were written, or -1. */
int	webhook_serve(struct webhook *, int timeout_ms);
void	webhook_close(struct webhook *);

/*
 * Runs argv (no shell) with a timeout; its stdout goes to out (bounded),
 * its first stderr line to err. The exit status, or -1 when it could not
 * run or was killed (err says why).
 */
int	capture_exec(char *const argv[], int timeout_ms, struct buf *out, char *err, size_t errn);

/*
 * One `kubectl get hpa NAME -o json`, appended to path after a line
 * "# captured_at: RFC3339" (on failure, "# error: ..." instead of the
 * document). 0, or -1 when kubectl failed (recorded) or the write failed.
 */
int	capture_kubectl_get(const char *command, const char *ns, const char *hpa,
	    const char *path, int64_t now, char *err, size_t errn);

#endif
