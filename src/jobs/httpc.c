/*
 * httpc.c — http_send() (httpc.h) over libcurl's easy interface. Only
 * http and https, no redirects (a redirect to another host would carry
 * the token along), no signals, bounded time and answer size.
 */
#include <stdio.h>
#include <string.h>

#define CURL_DISABLE_TYPECHECK	/* calls go through curl_dl.h's pointers */
#include <curl/curl.h>

#include "jobs/curl_dl.h"
#include "jobs/httpc.h"
#include "util/buf.h"
#include "util/splimits.h"

#define CONNECT_MS	5000L
#define TOTAL_MS	30000L

static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;

	return buf_add(b, p, n) == -1 ? 0 : n;
}

int
http_send(const struct http_req *req, long *status, struct buf *resp, char *err, size_t errn)
{
	CURL *c;
	struct curl_slist *hdr = NULL;
	char ebuf[CURL_ERROR_SIZE], line[4200];
	CURLcode rc;
	size_t k;

	*status = 0;
	buf_reset(resp);
	if (curl_dl_load() == -1) {
		snprintf(err, errn, "libcurl (libcurl.so.4) cannot be loaded");
		return -1;
	}
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, errn, "cannot start libcurl");
		return -1;
	}
	ebuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, TOTAL_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "sloproof");
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->len);
	snprintf(line, sizeof line, "Content-Type: %s", req->content_type);
	hdr = curl_slist_append(hdr, line);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	/* No "Expect: 100-continue" round trip for a body of a few kB. */
	hdr = curl_slist_append(hdr, "Expect:");
	if (req->bearer) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", req->bearer);
		hdr = curl_slist_append(hdr, line);
		memset(line, 0, sizeof line);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
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
	if (*status < 200 || *status > 299) {
		snprintf(err, errn, "HTTP %ld: %.200s", *status, buf_str(resp));
		for (k = 0; err[k]; k++)
			if ((unsigned char)err[k] < 0x20)
				err[k] = ' ';
		while (k > 0 && err[k - 1] == ' ')
			err[--k] = '\0';
		return -1;
	}
	return 0;
}
