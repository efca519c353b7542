/* verdict.c — the spelling of a verdict. */
#include <stdio.h>

#include "model/verdict.h"

const char *
verdict_str(enum verdict_state s)
{
	switch (s) {
	case V_PASS:
		return "pass";
	case V_WARN:
		return "warn";
	case V_FAIL:
		return "fail";
	case V_NODATA:
	default:
		return "nodata";
	}
}

void
verdict_tally_text(char *dst, size_t n, const long long t[4])
{
	snprintf(dst, n, "%lld pass, %lld warn, %lld fail, %lld nodata",
	    t[V_PASS], t[V_WARN], t[V_FAIL], t[V_NODATA]);
}
