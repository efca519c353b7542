/*
 * dynlib.h — libraries only one command needs (libcurl for capture, cairo
 * for charts, libxml2 for JUnit and HTML, libcrypto for SHA-256) are
 * opened by their SONAME on first use instead of at start-up, so that
 * `check` of one summary starts like a small program. A missing library
 * is a clear error (exit 4) naming what needs it and the Debian package.
 *
 * Each wrapper module lists the functions it calls in an X-macro and
 * includes its *_dl.h header after the library's own header; a function
 * not in that list fails to link, which is how a new call is noticed.
 */
#ifndef DYNLIB_H
#define DYNLIB_H

#include <stddef.h>

/*
 * Opens soname and resolves each names[i] into *slots[i] (function
 * pointers, each of sizeof(void *) bytes). 0, or -1 after a diagnostic
 * saying that `what` needs the library and how to install it (pkg).
 */
int	dynlib_load(const char *soname, const char *what, const char *pkg,
	    const char *const *names, void *const *slots, size_t n);

/* Declares a pointer dl_F to function F and lists its name and slot. */
#define DL_DECL(f)	static __typeof__(&f) dl_##f;
#define DL_NAME(f)	#f,
#define DL_SLOT(f)	(void *)&dl_##f,

#endif
