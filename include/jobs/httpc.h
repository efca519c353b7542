/*
 * httpc.h — one HTTP request with a body, for the commands that hand a
 * bundle's results to another system (`bundle --push`, `publish`): a
 * Pushgateway, Grafana's annotation API. Wraps libcurl (the only other
 * user is capture.c, which only reads). Bounded: connect and total
 * timeouts, an answer of at most LIM_HTTP_BODY bytes. Secrets go in a
 * header and never into err.
 */
#ifndef HTTPC_H
#define HTTPC_H

#include <stddef.h>

struct buf;

struct http_req {
	const char	*method;	/* "PUT", "POST" */
	const char	*url;
	const char	*content_type;
	const char	*bearer;	/* "Authorization: Bearer ..." when not NULL */
	const char	*body;
	size_t		 len;
};

/*
 * Sends req; the status in *status, the answer in resp (bounded). 0 when
 * the server answered 2xx; else -1 with err saying why in one printable line
 * (the connection error, or "HTTP 400: " and the start of the answer).
 */
int	http_send(const struct http_req *, long *status, struct buf *resp, char *err, size_t errn);

#endif
