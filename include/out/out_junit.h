/*
 * out_junit.h — verdicts as JUnit XML for Jenkins and GitLab: one testcase
 * per rule, valid against the xUnit plugin's junit-10.xsd. The caller owns
 * the verdicts, the run and the buffer; nothing returned points into them.
 *
 *	<testsuites name tests failures errors time="0">
 *	  <testsuite name tests failures errors skipped time="0" [timestamp]>
 *	    <properties> sloproof.result, sloproof.warnings, source.N.* </properties>
 *	    <testcase name=RULE classname="sloproof.SUITE" time="0">
 *	      <failure type="fail"|"nodata" message=WHY>observed X vs limit OP Y,
 *	          evidence PATH:LINE</failure>       (fail and nodata only)
 *	      <system-out>verdict, observed, limit, samples, evidence ...</system-out>
 *
 * A warn passes, with a note in system-out. Names and messages are made
 * well-formed (characters XML 1.0 forbids and ill-formed UTF-8 become
 * U+FFFD). The output is the same bytes for the same verdicts; the only
 * time in it is testsuite's timestamp, "YYYY-MM-DDTHH:MM:SS" in UTC, and
 * only when SOURCE_DATE_EPOCH is set.
 */
#ifndef OUT_JUNIT_H
#define OUT_JUNIT_H

#include "util/buf.h"
#include "eval/eval.h"
#include "model/run.h"

/*
 * Appends the JUnit document to out. suite names the testsuite (the SLO
 * file or the drill title; NULL or "" gives "sloproof") and, made safe,
 * the testcases' classname. 0, or -1 after a diagnostic (out's limit
 * passed, a malformed SOURCE_DATE_EPOCH, out of memory), with nothing
 * appended.
 */
int	out_junit(const struct verdicts *, const struct run *, const char *suite,
	    struct buf *out);

#endif
