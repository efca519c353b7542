/*
 * tzname.h — which IANA time zone names this machine has, for refusing a
 * `timezone:` that is not one (Berlin, Europe/Berln) with the nearest
 * names that are: the zone folder (TZDIR, else /usr/share/zoneinfo) is
 * scanned only when a name is wrong. Owns nothing after a call.
 */
#ifndef TZNAME_H
#define TZNAME_H

#include <stddef.h>

/* Whether name is a zone of the zone folder (a TZif file there). */
int	tzname_known(const char *name);

/*
 * Writes into dst (n bytes) "did you mean Europe/Berlin?" with up to three
 * zones nearest to name (by the whole name or its last part), or an empty
 * string when none is near. Returns 1 when it suggested.
 */
int	tzname_suggest(const char *name, char *dst, size_t n);

#endif
