/*
 * dynlib.c — dlopen by SONAME and dlsym into function pointers, once per
 * library, for the modules that wrap libcurl, cairo, libxml2 and
 * libcrypto (see dynlib.h). Depends on diag only.
 */
#include <dlfcn.h>
#include <string.h>

#include "util/diag.h"
#include "util/dynlib.h"

int
dynlib_load(const char *soname, const char *what, const char *pkg,
    const char *const *names, void *const *slots, size_t n)
{
	void *h, *p;
	const char *why;
	size_t i;

	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		diag_syserr(NULL, "%s needs %s, which cannot be loaded (%s); install it: "
		    "apt-get install %s", what, soname, why ? why : "not found", pkg);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((p = dlsym(h, names[i])) == NULL) {
			diag_syserr(NULL, "%s needs %s from %s, which this version does not have; "
			    "install a current one: apt-get install %s", what, names[i], soname, pkg);
			return -1;
		}
		/* ISO C has no conversion from void * to a function pointer: copy the bytes (POSIX). */
		memcpy(slots[i], &p, sizeof p);
	}
	return 0;
}
