/*
 * webhook.c — the webhook receiver of `sloproof capture`: a small,
 * single-threaded HTTP/1.1 server on a loopback address that takes
 * Alertmanager's webhook POSTs and appends each well-formed payload, on
 * one line, to alertmanager/webhook.ndjson. Owns its listening socket and
 * client connections. Depends on buf, diag, fsio, strnum, jsonlim.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "util/buf.h"
#include "jobs/capture.h"
#include "jobs/capture_int.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/xalloc.h"

#define CLIENT_TIMEOUT_MS	10000

/* ---- the webhook receiver ------------------------------------------------ */

struct client {
	int	 fd;
	struct buf in;
	int64_t	 since;	/* mono ms */
	int	 continued;	/* "100 Continue" sent */
};

struct webhook {
	int		 fd;
	int		 port;
	char		*path;
	char		*token;		/* the bearer token required, or NULL */
	struct client	 cl[LIM_HTTP_CLIENTS];
	size_t		 ncl;
};

struct webhook *
webhook_open(const char *host, int port, const char *path)
{
	struct webhook *w;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1, v6 = strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;

	memset(&ss, 0, sizeof ss);
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = in6addr_loopback;
		sl = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1 ||
		    (ntohl(s4->sin_addr.s_addr) >> 24) != 127) {
			diag_error(host, 0, 0, "the webhook receiver listens on loopback addresses only");
			return NULL;
		}
		sl = sizeof *s4;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) == -1) {
		diag_syserr(host, "cannot make a socket: %s", strerror(errno));
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1 || listen(fd, 16) == -1) {
		diag_syserr(host, "cannot listen on port %d: %s", port, strerror(errno));
		close(fd);
		return NULL;
	}
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	w = xcalloc(1, sizeof *w);
	w->fd = fd;
	w->port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
	w->path = xstrdup(path);
	return w;
}

void
webhook_set_token(struct webhook *w, const char *token)
{
	if (w->token) {
		memset(w->token, 0, strlen(w->token));
		free(w->token);
	}
	w->token = token && *token ? xstrdup(token) : NULL;
}

int
webhook_port(const struct webhook *w)
{
	return w->port;
}

static void
drop(struct webhook *w, size_t i)
{
	close(w->cl[i].fd);
	buf_release(&w->cl[i].in);
	w->cl[i] = w->cl[--w->ncl];
}

static void
reply(int fd, const char *status)
{
	char msg[300];
	int n = snprintf(msg, sizeof msg, "HTTP/1.1 %s\r\n%sContent-Length: 0\r\nConnection: close\r\n\r\n",
	    status, strncmp(status, "401", 3) == 0 ? "WWW-Authenticate: Bearer realm=\"sloproof\"\r\n" : "");
	ssize_t r;

	/* A short non-blocking write of a tiny reply; a client that cannot take it loses it. */
	do
		r = write(fd, msg, (size_t)n);
	while (r == -1 && errno == EINTR);
}

/* A header's value in the header block (case-insensitive name), or NULL. */
static const char *
header(const char *h, size_t n, const char *name, size_t *vlen)
{
	size_t k = strlen(name), i = 0;

	while (i < n) {
		size_t e = i;

		while (e < n && h[e] != '\n')
			e++;
		if (e - i > k && strncasecmp(h + i, name, k) == 0 && h[i + k] == ':') {
			const char *v = h + i + k + 1;

			while (*v == ' ' || *v == '\t')
				v++;
			*vlen = (size_t)(h + e - v);
			while (*vlen > 0 && (v[*vlen - 1] == '\r' || v[*vlen - 1] == ' '))
				(*vlen)--;
			return v;
		}
		i = e + 1;
	}
	return NULL;
}

/* Compares without an early exit, so the time taken says nothing about the token. */
static int
same_secret(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b), i;
	unsigned char d = an != bn;

	for (i = 0; i < an && i < bn; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* Whether the request line is "POST TARGET HTTP/1.x". 0, or the status to answer. */
static const char *
request_line(const char *p, size_t hlen)
{
	const char *eol = memchr(p, '\r', hlen), *sp1, *sp2;

	if (eol == NULL)
		return "400 Bad Request";
	sp1 = memchr(p, ' ', (size_t)(eol - p));
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
	if (sp1 == NULL || sp2 == NULL || sp2 == sp1 + 1 || sp1[1] != '/')
		return "400 Bad Request";
	if ((size_t)(eol - sp2 - 1) != 8 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return "505 HTTP Version Not Supported";
	if (sp1 - p != 4 || strncmp(p, "POST", 4) != 0)
		return "405 Method Not Allowed";
	return NULL;
}

/* 1: the request is done (answered), 0: need more bytes, 2: a payload was written, -1: the write failed. */
static int
handle(struct webhook *w, struct client *c)
{
	char *p = c->in.data, *end, why[160];
	const char *v, *bad;
	size_t hlen, vlen;
	long long clen;

	if (p == NULL || (end = strstr(p, "\r\n\r\n")) == NULL) {
		if (c->in.len > LIM_HTTP_HEADER) {
			reply(c->fd, "431 Request Header Fields Too Large");
			return 1;
		}
		return 0;
	}
	hlen = (size_t)(end - p) + 4;
	if (hlen > LIM_HTTP_HEADER) {
		reply(c->fd, "431 Request Header Fields Too Large");
		return 1;
	}
	if ((bad = request_line(p, hlen)) != NULL) {
		reply(c->fd, bad);
		return 1;
	}
	if (w->token) {
		v = header(p, hlen, "Authorization", &vlen);
		if (v == NULL || vlen < 7 || strncasecmp(v, "Bearer ", 7) != 0 ||
		    !same_secret(v + 7, vlen - 7, w->token)) {
			reply(c->fd, "401 Unauthorized");
			diag_warning(w->path, 0, 0, "a webhook request without the right bearer token was refused");
			return 1;
		}
	}
	if (header(p, hlen, "Transfer-Encoding", &vlen) != NULL) {
		reply(c->fd, "411 Length Required");
		return 1;
	}
	if ((v = header(p, hlen, "Content-Length", &vlen)) == NULL ||
	    strnum_ll(v, vlen, &clen) == -1 || clen < 0) {
		reply(c->fd, "411 Length Required");
		return 1;
	}
	if ((unsigned long long)clen > LIM_HTTP_BODY) {
		reply(c->fd, "413 Content Too Large");
		diag_warning(w->path, 0, 0, "a webhook body of %lld bytes was refused (the limit is %u)",
		    clen, LIM_HTTP_BODY);
		return 1;
	}
	if (c->in.len - hlen < (size_t)clen) {
		if (!c->continued && (v = header(p, hlen, "Expect", &vlen)) != NULL &&
		    vlen == 12 && strncasecmp(v, "100-continue", 12) == 0) {
			(void)!write(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
			c->continued = 1;
		}
		return 0;
	}
	p += hlen;
	if (capture_am_payload(p, (size_t)clen, why, sizeof why) == -1) {
		reply(c->fd, "400 Bad Request");
		diag_warning(w->path, 0, 0, "a webhook body that is not an Alertmanager payload "
		    "was refused: %s", why);
		return 1;
	}
	p[clen] = '\n';
	if (fsio_append(w->path, p, (size_t)clen + 1) == -1) {
		reply(c->fd, "500 Internal Server Error");
		return -1;
	}
	reply(c->fd, "200 OK");
	return 2;
}

/* Makes room for a newcomer: the client idle longest goes. */
static void
evict_oldest(struct webhook *w)
{
	size_t i, old = 0;

	for (i = 1; i < w->ncl; i++)
		if (w->cl[i].since < w->cl[old].since)
			old = i;
	reply(w->cl[old].fd, "408 Request Timeout");
	drop(w, old);
}

int
webhook_serve(struct webhook *w, int timeout_ms)
{
	struct pollfd pf[LIM_HTTP_CLIENTS + 1];
	int64_t deadline = capture_mono_ms() + timeout_ms;
	int written = 0;

	for (;;) {
		int64_t left = deadline - capture_mono_ms(), now;
		size_t i, k;
		int r;

		if (left < 0 || capture_stopping())
			return written;
		pf[0].fd = w->fd;
		pf[0].events = POLLIN;	/* even when full: a newcomer evicts the longest idle */
		for (i = 0; i < w->ncl; i++) {
			pf[i + 1].fd = w->cl[i].fd;
			pf[i + 1].events = POLLIN;
		}
		r = poll(pf, w->ncl + 1, (int)(left > 1000 ? 1000 : left));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			diag_syserr(w->path, "poll: %s", strerror(errno));
			return -1;
		}
		now = capture_mono_ms();
		for (i = w->ncl; i-- > 0;) {
			struct client *c = &w->cl[i];

			if (pf[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) {
				char chunk[16384];
				ssize_t n = read(c->fd, chunk, sizeof chunk);

				if (n == -1 && (errno == EINTR || errno == EAGAIN))
					continue;
				if (n <= 0 || buf_add(&c->in, chunk, (size_t)n) == -1) {
					if (n > 0)
						reply(c->fd, "413 Content Too Large");
					drop(w, i);
					continue;
				}
				r = handle(w, c);
				if (r == -1) {
					drop(w, i);
					return -1;
				}
				if (r == 2)
					written++;
				if (r >= 1)
					drop(w, i);
			} else if (now - c->since > CLIENT_TIMEOUT_MS) {
				reply(c->fd, "408 Request Timeout");
				drop(w, i);
			}
		}
		if (pf[0].revents & POLLIN) {
			for (k = 0; k < 8; k++) {
				int fd = accept(w->fd, NULL, NULL);

				if (fd == -1)
					break;
				if (w->ncl == LIM_HTTP_CLIENTS)
					evict_oldest(w);
				fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
				fcntl(fd, F_SETFD, FD_CLOEXEC);
				memset(&w->cl[w->ncl], 0, sizeof w->cl[w->ncl]);
				w->cl[w->ncl].fd = fd;
				w->cl[w->ncl].since = now;
				buf_init(&w->cl[w->ncl].in, LIM_HTTP_HEADER + LIM_HTTP_BODY + 1);
				w->ncl++;
			}
		}
	}
}

void
webhook_close(struct webhook *w)
{
	if (w == NULL)
		return;
	while (w->ncl > 0)
		drop(w, w->ncl - 1);
	close(w->fd);
	webhook_set_token(w, NULL);
	free(w->path);
	free(w);
}

