/* verdict.c — the spelling of a verdict. */
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
