/*
 * curl_dl.h — libcurl for capture.c and httpc.c, loaded on first use
 * (util/dynlib.h): only `capture`, `--push` and `publish` talk HTTP, so no
 * other command loads libcurl and its TLS, LDAP and Kerberos stack.
 * Include after <curl/curl.h>, from those two files only (each gets its
 * own pointers); call curl_dl_load() before any curl_ function.
 */
#ifndef CURL_DL_H
#define CURL_DL_H

#include "util/dynlib.h"

#define CURL_DL_FUNCS(X) \
	X(curl_global_init) X(curl_global_cleanup) X(curl_easy_init) X(curl_easy_setopt) \
	X(curl_easy_perform) X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_strerror) \
	X(curl_easy_escape) X(curl_free) X(curl_slist_append) X(curl_slist_free_all)

CURL_DL_FUNCS(DL_DECL)

static int
curl_dl_load(void)
{
	static const char *const names[] = {CURL_DL_FUNCS(DL_NAME)};
	static void *const slots[] = {CURL_DL_FUNCS(DL_SLOT)};
	static int state;

	if (state == 0)
		state = dynlib_load("libcurl.so.4", "talking HTTP (capture, --push, publish)", "libcurl4",
		    names, slots,
		    sizeof names / sizeof names[0]) == 0 ? 1 : -1;
	return state == 1 ? 0 : -1;
}

#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init	(*dl_curl_global_init)
#define curl_global_cleanup	(*dl_curl_global_cleanup)
#define curl_easy_init		(*dl_curl_easy_init)
#define curl_easy_setopt	(*dl_curl_easy_setopt)
#define curl_easy_perform	(*dl_curl_easy_perform)
#define curl_easy_cleanup	(*dl_curl_easy_cleanup)
#define curl_easy_getinfo	(*dl_curl_easy_getinfo)
#define curl_easy_strerror	(*dl_curl_easy_strerror)
#define curl_easy_escape	(*dl_curl_easy_escape)
#define curl_free		(*dl_curl_free)
#define curl_slist_append	(*dl_curl_slist_append)
#define curl_slist_free_all	(*dl_curl_slist_free_all)

#endif
