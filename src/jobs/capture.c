/*
 * capture.c — `sloproof capture`: records evidence while a drill runs, so
 * nothing depends on a download after the fact or on a retention window.
 *
 * One thread, one poll() loop: it serves the webhook receiver's sockets
 * and wakes for the Alertmanager poll and the kubectl runs. Every record
 * is appended and fsynced as it comes (a killed capture leaves valid
 * files, at worst without the Prometheus ranges asked for at the end).
 * A source that does not answer gets one line on stderr when it goes and
 * one when it comes back, and a gap record in its file; the others go on.
 *
 * Files, under the drill's capture folder (capture: output:):
 *	alertmanager/snapshots.ndjson	{"captured_at":"...","alerts":[...]} per poll
 *	alertmanager/webhook.ndjson	each webhook body, one line each
 *	kubectl/hpa-NAME.txt		"# captured_at: T" then `get hpa -o json`, per run
 *	kubectl/hpa-NAME-describe.txt	"# captured_at: T" then `describe hpa`, at the end
 *	prometheus/NAME.json		query_range answers, byte for byte, at the end
 *	faults.yaml			fault marks (capture --mark)
 *	evidence.yaml			the list `sloproof bundle` merges into the drill's
 *
 * Secrets (bearer tokens, passwords) are read from the environment or a
 * file at start, go into HTTP headers only, and are never printed or
 * written. The only module that includes <curl/curl.h>.
 * Depends on drill (config), fsio, buf, diag, timeutil; never on
 * importers, evaluation or renderers.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>
#define CURL_DISABLE_TYPECHECK	/* calls go through curl_dl.h's pointers */
#include <curl/curl.h>

#include "util/buf.h"
#include "jobs/capture.h"
#include "jobs/capture_int.h"
#include "jobs/curl_dl.h"
#include "util/diag.h"
#include "util/jsonlim.h"
#include "in/drill.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define CONNECT_TIMEOUT_MS	3000
#define TOTAL_TIMEOUT_MS	10000
#define RETRIES			3	/* for the final Prometheus queries: 1 s, 2 s, 4 s apart */
#define MAX_BACKOFF_MS		60000
#define MAX_EVIDENCE		(LIM_CAPTURE_QUERIES + 2 * LIM_CAPTURE_HPAS + 8)

static volatile sig_atomic_t stop_signal;

int
capture_stopping(void)
{
	return stop_signal != 0;
}

int64_t
capture_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
capture_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
join(char *dst, size_t n, const char *a, const char *b)
{
	snprintf(dst, n, "%s/%s", a, b);
}

/* s as a JSON string body (no quotes): our own messages, so short. */
static void
json_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_addc(b, c);
	}
}

int
capture_json_one_line(char *p, size_t n)
{
	cJSON *j;
	size_t i;
	int reported;

	if ((j = json_parse_all("(captured JSON)", p, n, NULL, &reported)) == NULL)
		return -1;
	cJSON_Delete(j);
	for (i = 0; i < n; i++)
		if (p[i] == '\n' || p[i] == '\r')
			p[i] = ' ';
	while (n > 0 && p[n - 1] == ' ')
		n--;
	return (int)(n == 0 ? -1 : 0);
}

/* One of the strings of a NULL-terminated list. */
static int
one_of(const cJSON *j, const char *const *words)
{
	size_t i;

	if (!cJSON_IsString(j))
		return 0;
	for (i = 0; words[i]; i++)
		if (strcmp(j->valuestring, words[i]) == 0)
			return 1;
	return 0;
}

int
capture_am_payload(char *p, size_t n, char *why, size_t whyn)
{
	static const char *const states[] = {"firing", "resolved", NULL};
	const cJSON *v, *a;
	cJSON *j;
	int reported, i = 0;

	why[0] = '\0';
	if ((j = json_parse_all("(webhook body)", p, n, NULL, &reported)) == NULL) {
		snprintf(why, whyn, "not one JSON document");
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(j, "version");
	if (!cJSON_IsObject(j))
		snprintf(why, whyn, "not a JSON object");
	else if (!cJSON_IsString(v) || strcmp(v->valuestring, "4") != 0)
		snprintf(why, whyn, "no \"version\": \"4\" (Alertmanager's webhook format)");
	else if (!one_of(cJSON_GetObjectItemCaseSensitive(j, "status"), states))
		snprintf(why, whyn, "\"status\" is not \"firing\" or \"resolved\"");
	else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "receiver")))
		snprintf(why, whyn, "no \"receiver\"");
	else if (!cJSON_IsArray(v = cJSON_GetObjectItemCaseSensitive(j, "alerts")) ||
	    cJSON_GetArraySize(v) == 0)
		snprintf(why, whyn, "no \"alerts\" list, or an empty one");
	else
		cJSON_ArrayForEach(a, v) {
			if (!cJSON_IsObject(a) ||
			    !one_of(cJSON_GetObjectItemCaseSensitive(a, "status"), states) ||
			    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(a, "labels")) ||
			    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(a, "startsAt"))) {
				snprintf(why, whyn, "alerts[%d] lacks a status, labels or startsAt", i);
				break;
			}
			i++;
		}
	cJSON_Delete(j);
	if (why[0])
		return -1;
	return capture_json_one_line(p, n);
}

/* ---- HTTP client (libcurl) --------------------------------------------- */

struct secret {
	char	*bearer;	/* the token, or NULL */
	char	*user, *password;
};

static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;

	return buf_add(b, p, n) == -1 ? 0 : n;
}

/* GET url into body. 0 on HTTP 200; else -1 with err set (never a secret). */
static int
http_get(const char *url, const struct secret *sec, struct buf *body, char *err, size_t errn)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char ebuf[CURL_ERROR_SIZE], auth[4200];
	CURLcode rc;
	long code = 0;

	buf_reset(body);
	if (c == NULL) {
		snprintf(err, errn, "cannot start libcurl");
		return -1;
	}
	ebuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)TOTAL_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "sloproof-capture");
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (sec && sec->bearer) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", sec->bearer);
		hdr = curl_slist_append(hdr, auth);
		memset(auth, 0, sizeof auth);
	}
	if (sec && sec->user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, sec->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, sec->password);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	curl_slist_free_all(hdr);
	if (rc == CURLE_WRITE_ERROR) {
		snprintf(err, errn, "the answer is larger than %u bytes", LIM_HTTP_BODY);
		return -1;
	}
	if (rc != CURLE_OK) {
		snprintf(err, errn, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
		return -1;
	}
	if (code != 200) {
		size_t k;

		/* Prometheus explains a bad query in the body: {"error": "..."}; keep a short, printable part. */
		snprintf(err, errn, "HTTP %ld: %.200s", code, buf_str(body));
		for (k = 0; err[k]; k++)
			if ((unsigned char)err[k] < 0x20)
				err[k] = ' ';
		return -1;
	}
	return 0;
}

/* ---- the secrets, from the environment or files named in the drill ------ */

static char *
read_secret_file(const char *path)
{
	struct buf b;
	char *s;
	size_t n;

	buf_init(&b, 64 * 1024);
	if (fsio_read(path, b.max, &b, NULL, NULL) == -1) {
		buf_release(&b);
		return NULL;
	}
	s = buf_detach(&b, &n);
	if (s == NULL)
		s = xstrdup("");
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int
load_secret(const struct drill *d, const struct capture_auth *a, const char *what, struct secret *s)
{
	const char *v;

	memset(s, 0, sizeof *s);
	if (a->bearer_token_env) {
		if ((v = getenv(a->bearer_token_env)) == NULL || *v == '\0') {
			diag_error(d->path, d->capture.line, d->capture.col,
			    "%s auth: environment variable %s is not set", what, a->bearer_token_env);
			return -1;
		}
		s->bearer = xstrdup(v);
	} else if (a->bearer_token_file) {
		if ((s->bearer = read_secret_file(a->bearer_token_file)) == NULL)
			return -1;
	} else if (a->basic_user) {
		if ((v = getenv(a->basic_password_env)) == NULL) {
			diag_error(d->path, d->capture.line, d->capture.col,
			    "%s auth: environment variable %s is not set", what, a->basic_password_env);
			return -1;
		}
		s->user = xstrdup(a->basic_user);
		s->password = xstrdup(v);
	}
	if (s->bearer && strpbrk(s->bearer, "\r\n") != NULL) {
		diag_error(d->path, d->capture.line, d->capture.col,
		    "%s auth: the bearer token contains a line break", what);
		return -1;
	}
	return 0;
}

static void
free_secret(struct secret *s)
{
	if (s->bearer)
		memset(s->bearer, 0, strlen(s->bearer));
	if (s->password)
		memset(s->password, 0, strlen(s->password));
	free(s->bearer);
	free(s->user);
	free(s->password);
	memset(s, 0, sizeof *s);
}

/* ---- fault marks ---------------------------------------------------------- */

static int
lock_file(const char *path)
{
	struct flock fl;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd == -1) {
		diag_syserr(path, "cannot open the lock file: %s", strerror(errno));
		return -1;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	while (fcntl(fd, F_SETLKW, &fl) == -1) {
		if (errno != EINTR) {
			diag_syserr(path, "cannot lock: %s", strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

int
capture_mark(const char *outdir, const char *spec, int64_t now)
{
	const char *colon = strrchr(spec, ':'), *p;
	char path[4200], lock[4200], name[LIM_NAME], ts[40], ts2[40];
	struct arena a;
	struct fault *fs = NULL;
	struct buf b, out;
	size_t n, i, nf = 0;
	int start, fd, rc = -1;

	if (colon == NULL || (strcmp(colon + 1, "start") != 0 && strcmp(colon + 1, "end") != 0)) {
		diag_error("--mark", 0, 0, "bad mark %s; expected FAULT:start or FAULT:end",
		    diag_q(spec, (size_t)-1));
		return -1;
	}
	n = (size_t)(colon - spec);
	for (p = spec; p < colon; p++)
		if (!isalnum((unsigned char)*p) && strchr("_.-", *p) == NULL)
			break;
	if (n == 0 || n >= 128 || p < colon) {
		diag_error("--mark", 0, 0, "bad fault name %s; use letters, digits, _ . -",
		    diag_q(spec, n));
		return -1;
	}
	memcpy(name, spec, n);
	name[n] = '\0';
	start = strcmp(colon + 1, "start") == 0;
	if (fsio_mkdirs(outdir) == -1)
		return -1;
	join(path, sizeof path, outdir, "faults.yaml");
	join(lock, sizeof lock, outdir, ".faults.lock");
	if ((fd = lock_file(lock)) == -1)
		return -1;
	arena_init(&a);
	buf_init(&b, LIM_RULES_BYTES);
	buf_init(&out, LIM_RULES_BYTES);
	if (fsio_exists(path) && (fsio_read(path, b.max, &b, NULL, NULL) == -1 ||
	    drill_parse_faults(&a, path, buf_str(&b), b.len, 1, &fs, &nf) == -1))
		goto out;
	for (i = 0; i < nf; i++)
		if (strcmp(fs[i].name, name) == 0)
			break;
	if (start && i < nf) {
		time_fmt_utc(fs[i].start, ts, sizeof ts);
		diag_error(path, fs[i].line, fs[i].col,
		    "fault %s already started at %s; give a repeated fault another name",
		    diag_q(name, (size_t)-1), ts);
		goto out;
	}
	if (!start && i == nf) {
		diag_error(path, 0, 0, "fault %s has no start; run `sloproof capture --mark %s:start` first",
		    diag_q(name, (size_t)-1), name);
		goto out;
	}
	if (!start && fs[i].end != INT64_MAX) {
		time_fmt_utc(fs[i].end, ts, sizeof ts);
		diag_error(path, fs[i].line, fs[i].col, "fault %s already ended at %s",
		    diag_q(name, (size_t)-1), ts);
		goto out;
	}
	if (start && nf >= LIM_FAULTS) {
		diag_error(path, 0, 0, "more than %d faults", LIM_FAULTS);
		goto out;
	}
	if (start) {
		fs = xreallocarray(fs, nf + 1, sizeof *fs);
		memset(&fs[nf], 0, sizeof fs[nf]);
		fs[nf].name = name;
		fs[nf].start = now;
		fs[nf].end = INT64_MAX;
		nf++;
	} else {
		fs[i].end = now < fs[i].start ? fs[i].start : now;
	}
	buf_addstr(&out, "# fault windows recorded by `sloproof capture --mark` (UTC);\n"
	    "# `sloproof bundle` adds them to the drill's faults\n");
	for (i = 0; i < nf; i++) {
		time_fmt_utc(fs[i].start, ts, sizeof ts);
		buf_printf(&out, "- name: \"%s\"\n  start: %s\n", fs[i].name, ts);
		if (fs[i].end != INT64_MAX) {
			time_fmt_utc(fs[i].end, ts2, sizeof ts2);
			buf_printf(&out, "  end: %s\n", ts2);
		}
	}
	rc = fsio_write_replace(path, out.data, out.len);
out:
	close(fd);
	free(fs);
	buf_release(&b);
	buf_release(&out);
	arena_release(&a);
	return rc;
}

/* ---- the capture ---------------------------------------------------------- */

struct evidence_out {
	char	 rel[300];	/* relative to the capture folder */
	const char *kind;
	int64_t	 at;
};

struct source_state {
	const char	*name;		/* for messages: "alertmanager", "kubectl gateway" */
	int		 down;		/* the last try failed */
	int		 ever_ok;
	int		 failures;	/* in a row */
};

struct cap {
	const struct drill	*d;
	const struct capture_opts *o;
	struct secret		 prom_sec, am_sec, wh_sec;
	struct webhook		*wh;
	struct evidence_out	 ev[MAX_EVIDENCE];
	size_t			 nev;
	int64_t			 start, end;
	struct source_state	 am;
	struct source_state	*kube;
	int			 failed_sources;
	struct capture_query	*q;	/* the drill's queries and its OpenSLO files' */
	size_t			 nq;
	struct arena		 qarena;
};

static void
say(const struct cap *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(const struct cap *c, const char *fmt, ...)
{
	va_list ap;

	if (c->o->quiet)
		return;
	fprintf(stderr, "sloproof capture: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* One line when a source goes away and one when it comes back; quiet in between. */
static void
source_result(struct source_state *s, int ok, const char *err)
{
	char ts[40];

	time_fmt_utc(capture_now(), ts, sizeof ts);
	if (ok) {
		if (s->down)
			fprintf(stderr, "sloproof capture: %s: %s is answering again\n", ts, s->name);
		s->down = 0;
		s->ever_ok = 1;
		s->failures = 0;
		return;
	}
	if (!s->down)
		fprintf(stderr, "sloproof capture: %s: %s is unreachable: %s (recording the gap; "
		    "will keep trying)\n", ts, s->name, err);
	s->down = 1;
	s->failures++;
}

static int
write_evidence_list(struct cap *c)
{
	struct buf b;
	char path[4200], ts[40];
	size_t i;
	int rc;

	buf_init(&b, LIM_RULES_BYTES);
	buf_addstr(&b, "# evidence recorded by `sloproof capture`; `sloproof bundle` adds it to the\n"
	    "# drill's evidence (paths are relative to this folder)\n");
	for (i = 0; i < c->nev; i++) {
		time_fmt_utc(c->ev[i].at, ts, sizeof ts);
		buf_printf(&b, "- path: %s\n  kind: %s\n  captured_at: %s\n", c->ev[i].rel,
		    c->ev[i].kind, ts);
	}
	join(path, sizeof path, c->d->capture.output, "evidence.yaml");
	rc = fsio_write_replace(path, b.data, b.len);
	buf_release(&b);
	return rc;
}

/* Notes that rel now holds evidence (written at or after at); rewrites the list when it is new. */
static int
evidence(struct cap *c, const char *rel, const char *kind, int64_t at)
{
	size_t i;

	for (i = 0; i < c->nev; i++)
		if (strcmp(c->ev[i].rel, rel) == 0) {
			c->ev[i].at = at;
			return 0;
		}
	if (c->nev == MAX_EVIDENCE)
		return 0;
	snprintf(c->ev[c->nev].rel, sizeof c->ev[c->nev].rel, "%s", rel);
	c->ev[c->nev].kind = kind;
	c->ev[c->nev].at = at;
	c->nev++;
	return write_evidence_list(c);
}

static void
out_path(const struct cap *c, char *dst, size_t n, const char *rel)
{
	join(dst, n, c->d->capture.output, rel);
}

static int
poll_alertmanager(struct cap *c)
{
	const struct capture_cfg *cc = &c->d->capture;
	char url[4200], err[512], ts[40], path[4200];
	struct buf body, line;
	int64_t now = capture_now();
	int ok, rc;

	snprintf(url, sizeof url, "%s/api/v2/alerts", cc->am_url);
	buf_init(&body, LIM_HTTP_BODY);
	buf_init(&line, LIM_HTTP_BODY + 1024);
	ok = http_get(url, &c->am_sec, &body, err, sizeof err) == 0;
	if (ok && (body.len == 0 || capture_json_one_line(body.data, body.len) == -1 ||
	    body.data[0] != '[')) {
		snprintf(err, sizeof err, "the answer to /api/v2/alerts is not a JSON list");
		ok = 0;
	}
	time_fmt_utc(now, ts, sizeof ts);
	if (ok) {
		while (body.len > 0 && body.data[body.len - 1] == ' ')
			body.len--;
		buf_printf(&line, "{\"captured_at\":\"%s\",\"alerts\":", ts);
		buf_add(&line, body.data, body.len);
		buf_addstr(&line, "}\n");
	} else {
		buf_printf(&line, "{\"captured_at\":\"%s\",\"error\":\"", ts);
		json_escape(&line, err);
		buf_addstr(&line, "\"}\n");
	}
	source_result(&c->am, ok, err);
	out_path(c, path, sizeof path, "alertmanager/snapshots.ndjson");
	rc = fsio_append(path, line.data, line.len);
	buf_release(&body);
	buf_release(&line);
	if (rc == -1)
		return -1;
	return ok ? evidence(c, "alertmanager/snapshots.ndjson", "alerts", now) : 0;
}

static int
poll_kubectl(struct cap *c)
{
	const struct capture_cfg *cc = &c->d->capture;
	char rel[300], path[4200], err[600];
	size_t i;
	int64_t now;
	int r;

	for (i = 0; i < cc->nhpas && !stop_signal; i++) {
		now = capture_now();
		snprintf(rel, sizeof rel, "kubectl/hpa-%s.txt", cc->hpas[i]);
		out_path(c, path, sizeof path, rel);
		r = capture_kubectl_get(cc->kube_command, cc->kube_namespace, cc->hpas[i], path, now,
		    err, sizeof err);
		if (r == -1 && err[0] == '\0')
			return -1;	/* the write failed */
		source_result(&c->kube[i], r == 0, err);
		if (r == 0 && evidence(c, rel, "hpa", now) == -1)
			return -1;
	}
	return 0;
}

static int
describe(struct cap *c)
{
	const struct capture_cfg *cc = &c->d->capture;
	char rel[300], path[4200], err[600];
	struct buf out;
	size_t i;
	int64_t now;

	for (i = 0; i < cc->nhpas; i++) {
		now = capture_now();
		if (capture_kubectl(cc->kube_command, cc->kube_namespace, "describe", cc->hpas[i], &out,
		    err, sizeof err) == -1) {
			fprintf(stderr, "sloproof capture: kubectl describe hpa %s failed: %s\n",
			    cc->hpas[i], err);
			buf_release(&out);
			continue;
		}
		snprintf(rel, sizeof rel, "kubectl/hpa-%s-describe.txt", cc->hpas[i]);
		out_path(c, path, sizeof path, rel);
		if (capture_record(path, now, out.data ? out.data : "", out.len, 1) == -1) {
			buf_release(&out);
			return -1;
		}
		buf_release(&out);
		if (evidence(c, rel, "hpa", now) == -1)
			return -1;
	}
	return 0;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* One query_range, with retries; written as Prometheus sent it. */
/* Whether body is one Prometheus API answer, a success with data, and nothing after it. */
static int
prom_answer(const struct buf *body, char *err, size_t errn)
{
	const cJSON *st, *data;
	cJSON *j;
	int reported, rc = -1;

	if ((j = json_parse_all("(prometheus answer)", body->data ? body->data : "", body->len,
	    NULL, &reported)) == NULL) {
		snprintf(err, errn, "the answer is not one JSON document (trailing bytes, or cut short)");
		return -1;
	}
	st = cJSON_GetObjectItemCaseSensitive(j, "status");
	data = cJSON_GetObjectItemCaseSensitive(j, "data");
	if (!cJSON_IsString(st) || strcmp(st->valuestring, "success") != 0)
		snprintf(err, errn, "the answer's status is not \"success\"");
	else if (!cJSON_IsObject(data) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(data, "resultType")) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(data, "result")))
		snprintf(err, errn, "the answer has no data.resultType and data.result");
	else
		rc = 0;
	cJSON_Delete(j);
	return rc;
}

static int
query_range(struct cap *c, const char *name, const char *expr, int64_t step)
{
	const struct capture_cfg *cc = &c->d->capture;
	CURL *esc = curl_easy_init();
	char *q, start[40], end[40], stepbuf[40], rel[300], path[4200], err[512];
	struct buf url, body;
	int attempt, ok = 0, rc = 0;

	q = esc ? curl_easy_escape(esc, expr, 0) : NULL;
	if (q == NULL) {
		if (esc)
			curl_easy_cleanup(esc);
		fprintf(stderr, "sloproof capture: cannot encode the query %s\n", name);
		return 1;
	}
	fmt_double_plain(start, sizeof start, (double)c->start / 1000.0);
	fmt_double_plain(end, sizeof end, (double)c->end / 1000.0);
	fmt_double_plain(stepbuf, sizeof stepbuf, (double)step / 1000.0);
	buf_init(&url, 1u << 20);
	buf_printf(&url, "%s/api/v1/query_range?query=%s&start=%s&end=%s&step=%s", cc->prom_url,
	    q, start, end, stepbuf);
	curl_free(q);
	curl_easy_cleanup(esc);
	buf_init(&body, LIM_HTTP_BODY);
	for (attempt = 0; attempt < RETRIES && !ok; attempt++) {
		if (attempt)
			sleep_ms(1000LL << (attempt - 1));
		ok = http_get(buf_str(&url), &c->prom_sec, &body, err, sizeof err) == 0;
		if (!ok && strncmp(err, "HTTP 4", 6) == 0)
			break;	/* a bad query: asking again will not help */
	}
	if (ok && prom_answer(&body, err, sizeof err) == -1) {
		/* Saved, it would be evidence of nothing: told, and left out. */
		fprintf(stderr, "sloproof capture: prometheus query %s: %s; not saved\n", name, err);
		rc = 1;
	} else if (!ok) {
		fprintf(stderr, "sloproof capture: prometheus query %s failed: %s\n", name, err);
		rc = strncmp(err, "HTTP ", 5) == 0 ? 1 : 2;	/* 2: unreachable, ask no more */
	} else {
		snprintf(rel, sizeof rel, "prometheus/%s.json", name);
		out_path(c, path, sizeof path, rel);
		if (fsio_write_replace(path, body.data, body.len) == -1 ||
		    evidence(c, rel, "prometheus", c->end) == -1)
			rc = -1;
	}
	buf_release(&url);
	buf_release(&body);
	return rc;
}

static int
prometheus(struct cap *c)
{
	const struct capture_cfg *cc = &c->d->capture;
	int64_t step = cc->step, span = c->end - c->start;
	size_t i;
	int r, failed = 0;

	/* Prometheus refuses more than 11,000 points per series. */
	if (span / step > 10000) {
		step = (span / 10000 / 1000 + 1) * 1000;
		fprintf(stderr, "sloproof capture: the capture is long; asking Prometheus for a %lld s step\n",
		    (long long)(step / 1000));
	}
	for (i = 0; i < c->nq + 2; i++) {
		const char *name = i < c->nq ? c->q[i].name : i == c->nq ? "ALERTS" :
		    "ALERTS_FOR_STATE";

		if ((r = query_range(c, name, i < c->nq ? c->q[i].expr : name, step)) == -1)
			return -1;
		if (r == 2) {
			fprintf(stderr, "sloproof capture: prometheus %s is unreachable; %zu queries not asked; "
			    "ask again with the same window: start=%lld end=%lld (Unix seconds)\n",
			    cc->prom_url, c->nq + 1 - i, (long long)(c->start / 1000),
			    (long long)((c->end + 999) / 1000));
			return 1;
		}
		failed |= r;
	}
	return failed;
}

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static int
make_dirs(const struct cap *c)
{
	const struct capture_cfg *cc = &c->d->capture;
	char path[4200];

	if (fsio_mkdirs(cc->output) == -1)
		return -1;
	out_path(c, path, sizeof path, "prometheus");
	if (cc->prom_url && fsio_mkdirs(path) == -1)
		return -1;
	out_path(c, path, sizeof path, "alertmanager");
	if ((cc->am_url || cc->webhook_host) && fsio_mkdirs(path) == -1)
		return -1;
	out_path(c, path, sizeof path, "kubectl");
	if (cc->nhpas && fsio_mkdirs(path) == -1)
		return -1;
	return 0;
}

int
capture_run(const struct drill *d, const struct capture_opts *o)
{
	const struct capture_cfg *cc = &d->capture;
	struct cap *c;
	struct sigaction sa, old_int, old_term, old_pipe;
	char path[4200], ts[40];
	int64_t mono0, next_am, next_kube, deadline, am_wait, now;
	size_t i;
	int rc = -1;

	if (!cc->present) {
		diag_error(d->path, 0, 0, "no `capture:` block; say what to record "
		    "(prometheus:, alertmanager:, kubectl:), see `sloproof capture --help`");
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->d = d;
	c->o = o;
	c->am.name = "alertmanager";
	c->kube = xcalloc(cc->nhpas + 1, sizeof *c->kube);
	arena_init(&c->qarena);
	if (capture_queries(d, &c->qarena, &c->q, &c->nq) == -1)
		goto out;
	if (load_secret(d, &cc->prom_auth, "prometheus", &c->prom_sec) == -1 ||
	    load_secret(d, &cc->am_auth, "alertmanager", &c->am_sec) == -1 ||
	    load_secret(d, &cc->webhook_auth, "webhook", &c->wh_sec) == -1)
		goto out;
	if (curl_dl_load() == -1)
		goto out;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		diag_syserr(d->path, "cannot start libcurl");
		goto out;
	}
	if (make_dirs(c) == -1)
		goto cleanup;
	if (cc->webhook_host) {
		out_path(c, path, sizeof path, "alertmanager/webhook.ndjson");
		if ((c->wh = webhook_open(cc->webhook_host, cc->webhook_port, path)) == NULL)
			goto cleanup;
		webhook_set_token(c->wh, c->wh_sec.bearer);
	}
	for (i = 0; i < cc->nhpas; i++) {
		char *n = xmalloc(strlen(cc->hpas[i]) + 16);

		snprintf(n, strlen(cc->hpas[i]) + 16, "kubectl hpa %s", cc->hpas[i]);
		c->kube[i].name = n;
	}
	stop_signal = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;	/* a second Ctrl-C ends it at once */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, &old_pipe);

	c->start = capture_now();
	mono0 = capture_mono_ms();
	time_fmt_utc(c->start, ts, sizeof ts);
	say(c, "recording into %s/ from %s; stop with Ctrl-C%s", cc->output, ts,
	    o->duration ? " or at the end of --duration" : "");
	if (cc->prom_url)
		say(c, "prometheus %s: %zu queries%s, ALERTS and ALERTS_FOR_STATE, asked at the end",
		    cc->prom_url, c->nq, c->nq > cc->nqueries ? " (some from OpenSLO files)" : "");
	if (cc->am_url)
		say(c, "alertmanager %s: polled every %lld s", cc->am_url, (long long)(cc->am_interval / 1000));
	if (c->wh)
		say(c, "webhook receiver on http://%s:%d/ (point an Alertmanager webhook_config here)",
		    cc->webhook_host, webhook_port(c->wh));
	if (cc->nhpas)
		say(c, "kubectl: %zu HPAs every %lld s", cc->nhpas, (long long)(cc->kube_interval / 1000));
	deadline = o->duration ? mono0 + o->duration : INT64_MAX;
	next_am = cc->am_url ? mono0 : INT64_MAX;
	next_kube = cc->nhpas ? mono0 : INT64_MAX;
	am_wait = cc->am_interval;
	while (!stop_signal) {
		int64_t wake;

		now = capture_mono_ms();
		if (now >= deadline)
			break;
		if (now >= next_am) {
			if (poll_alertmanager(c) == -1)
				goto restore;
			/* Back off while it is down, up to a minute; back to the interval once it answers. */
			am_wait = c->am.down ? (am_wait * 2 > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : am_wait * 2) :
			    cc->am_interval;
			if (am_wait < cc->am_interval)
				am_wait = cc->am_interval;
			next_am = capture_mono_ms() + am_wait;
			continue;
		}
		if (now >= next_kube) {
			if (poll_kubectl(c) == -1)
				goto restore;
			next_kube = capture_mono_ms() + cc->kube_interval;
			continue;
		}
		wake = next_am < next_kube ? next_am : next_kube;
		if (deadline < wake)
			wake = deadline;
		if (c->wh) {
			int r = webhook_serve(c->wh, (int)(wake - now > 60000 ? 60000 : wake - now));

			if (r == -1)
				goto restore;
			if (r > 0 && evidence(c, "alertmanager/webhook.ndjson", "alerts", capture_now()) == -1)
				goto restore;
		} else {
			sleep_ms(wake - now > 500 ? 500 : wake - now);
		}
	}
	c->end = capture_now();
	if (stop_signal)
		say(c, "stopping (signal %d); asking for the whole window", (int)stop_signal);
	/* A second signal from now on ends the process: the default action is back. */
	if (cc->nhpas && describe(c) == -1)
		goto restore;
	if (cc->prom_url) {
		int r = prometheus(c);

		if (r == -1)
			goto restore;
		c->failed_sources += r;
	}
	if (cc->am_url && !c->am.ever_ok)
		c->failed_sources++;
	for (i = 0; i < cc->nhpas; i++)
		if (!c->kube[i].ever_ok)
			c->failed_sources++;
	if (write_evidence_list(c) == -1)
		goto restore;
	time_fmt_utc(c->end, ts, sizeof ts);
	say(c, "done at %s: %zu evidence files listed in %s/evidence.yaml", ts, c->nev, cc->output);
	rc = c->failed_sources ? 1 : 0;
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
cleanup:
	webhook_close(c->wh);
	curl_global_cleanup();
out:
	free_secret(&c->prom_sec);
	free_secret(&c->am_sec);
	free_secret(&c->wh_sec);
	for (i = 0; i < cc->nhpas; i++)
		free((char *)c->kube[i].name);
	free(c->kube);
	free(c->q);
	arena_release(&c->qarena);
	free(c);
	return rc;
}
