/*
 * out_junit.c — the JUnit writer: one testcase per rule, for the test
 * report views of Jenkins and GitLab. Owns nothing past a call. Depends on
 * the model, eval's verdicts and libxml2's xmlTextWriter; it must not
 * depend on any other renderer or importer.
 *
 * The shape follows junit-10.xsd (the Jenkins xUnit plugin's schema), which
 * decides more than taste does:
 *
 *  - <testsuites> may carry name, time, tests, failures and errors, but not
 *    skipped or timestamp; <testsuite> carries all of them. Both get the
 *    counts so a reader of either level sees them.
 *  - <testcase> may not hold <properties>, so a rule's observed value,
 *    limit, samples and evidence go in its <failure> text and in its
 *    <system-out>; the run-level facts (overall result, warnings, sources)
 *    go in <testsuite><properties>.
 *  - <failure> is the only verdict element Jenkins and GitLab both show
 *    as red, so fail and nodata are both failures, told apart by type;
 *    a warn passes and says so in <system-out>. errors and skipped stay 0:
 *    an SLO either held or did not.
 *  - time is required to look like a number (SUREFIRE_TIME): "0", as no
 *    rule takes time to judge.
 *
 * XML is written only through xmlTextWriter, which escapes markup; what it
 * cannot do is make text legal, so every string from a rule, a check or a
 * message goes through utf8_scrub first: ill-formed UTF-8 and characters
 * outside XML 1.0's Char production (\x01, U+FFFE) become U+FFFD.
 *
 * Deterministic: no clock, no host name; a timestamp only from
 * SOURCE_DATE_EPOCH, in the zone-less form of Ant's JUnit schema, UTC.
 * Numbers are written by fmt_double_plain, exactly as in the JSON report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "out/xml_dl.h"

#include "util/buf.h"
#include "util/diag.h"
#include "eval/eval.h"
#include "out/out_junit.h"
#include "model/run.h"
#include "in/slo.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "model/units.h"
#include "util/utf8.h"

#define SDE_MAX	253402300799LL	/* 9999-12-31T23:59:59 */

struct jw {
	xmlTextWriterPtr	 w;
	struct buf		 safe;	/* the last string made legal for XML */
	struct buf		 text;	/* a text being composed */
	int			 xmlerr;	/* a writer call failed */
};

static int
xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	    (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* s made legal for XML, valid until the next call. */
static const xmlChar *
safe(struct jw *j, const char *s)
{
	buf_reset(&j->safe);
	if (s == NULL)
		s = "";
	if (utf8_scrub(&j->safe, s, strlen(s), xml_char) == -1)
		j->xmlerr = 1;
	return BAD_CAST buf_str(&j->safe);
}

static void
check(struct jw *j, int rc)
{
	if (rc < 0)
		j->xmlerr = 1;
}

static void
start(struct jw *j, const char *name)
{
	check(j, xmlTextWriterStartElement(j->w, BAD_CAST name));
}

static void
end(struct jw *j)
{
	check(j, xmlTextWriterEndElement(j->w));
}

static void
attr(struct jw *j, const char *name, const char *value)
{
	check(j, xmlTextWriterWriteAttribute(j->w, BAD_CAST name, safe(j, value)));
}

static void
attr_count(struct jw *j, const char *name, size_t n)
{
	char tmp[32];

	snprintf(tmp, sizeof tmp, "%zu", n);
	attr(j, name, tmp);
}

static void
property(struct jw *j, const char *name, const char *value)
{
	start(j, "property");
	attr(j, "name", name);
	attr(j, "value", value);
	end(j);
}

/* An element holding j->text, made legal. */
static void
text_element(struct jw *j, const char *name)
{
	start(j, name);
	check(j, xmlTextWriterWriteString(j->w, safe(j, buf_str(&j->text))));
	end(j);
}

/* "1.731 s", "0.62 %", "120/s": as every document writes them (summary.json keeps full precision). */
static void
quantity(struct buf *b, double v, enum unit u)
{
	char num[64];

	unit_fmt(num, sizeof num, v, u);
	buf_addstr(b, num);
}

static void
evidence(struct buf *b, const struct origin *o, const struct run *run)
{
	if (run == NULL || o->src < 0 || (size_t)o->src >= run->nsources ||
	    run->sources[o->src].path == NULL)
		buf_addstr(b, "none");
	else if (o->line > 0)
		buf_printf(b, "%s:%ld", run->sources[o->src].path, o->line);
	else
		buf_addstr(b, run->sources[o->src].path);
}

static void
limit(struct buf *b, const struct verdict *v)
{
	buf_printf(b, "%s ", cmp_op_str(v->op));
	quantity(b, v->limit, v->unit);
}

/* "observed 1731.4 ms vs limit < 1500 ms, evidence path:42" */
static void
failure_text(struct buf *b, const struct verdict *v, const struct run *run)
{
	if (v->have_observed) {
		buf_addstr(b, "observed ");
		quantity(b, v->observed, v->unit);
	} else {
		buf_addstr(b, "no observed value");
	}
	buf_addstr(b, " vs limit ");
	limit(b, v);
	buf_addstr(b, ", evidence ");
	evidence(b, &v->evidence, run);
}

/* Everything a reader needs to check the verdict by hand, one fact a line. */
static void
details(struct buf *b, const struct verdict *v, const struct run *run)
{
	const struct slo_rule *r = v->rule;

	if (v->state == V_WARN) {
		buf_addstr(b, "warning: passed, but past the warn level of ");
		quantity(b, v->warn, v->unit);
		buf_addc(b, '\n');
	}
	buf_printf(b, "verdict: %s\n", verdict_str(v->state));
	buf_printf(b, "metric: %s %.*s\n", r->metric ? r->metric : "",
	    (int)strnlen(r->stat, sizeof r->stat), r->stat);
	buf_addstr(b, "observed: ");
	if (v->have_observed)
		quantity(b, v->observed, v->unit);
	else
		buf_addstr(b, "none");
	buf_addstr(b, "\nlimit: ");
	limit(b, v);
	if (v->have_warn) {
		buf_addstr(b, "\nwarn: ");
		quantity(b, v->warn, v->unit);
	}
	if (v->have_samples)
		buf_printf(b, "\nsamples: %lld", v->samples);
	else
		buf_addstr(b, "\nsamples: unknown");
	buf_addstr(b, "\nevidence: ");
	evidence(b, &v->evidence, run);
	if (v->k6 != NULL)
		buf_printf(b, "\nk6 threshold: %s %s", v->k6->expr ? v->k6->expr : "",
		    !v->k6->have_result ? "(not evaluated)" :
		    v->k6->passed ? "passed" : "failed");
	if (v->message[0] != '\0')
		buf_printf(b, "\nmessage: %.*s",
		    (int)strnlen(v->message, sizeof v->message), v->message);
	buf_addc(b, '\n');
}

static void
testcase(struct jw *j, const struct verdict *v, const struct run *run,
    const char *classname)
{
	char msg[sizeof v->message + 1];

	start(j, "testcase");
	attr(j, "name", v->rule->name);
	attr(j, "classname", classname);
	attr(j, "time", "0");
	if (v->state == V_FAIL || v->state == V_NODATA) {
		buf_reset(&j->text);
		failure_text(&j->text, v, run);
		snprintf(msg, sizeof msg, "%.*s",
		    (int)strnlen(v->message, sizeof v->message), v->message);
		start(j, "failure");
		attr(j, "message", msg[0] != '\0' ? msg : buf_str(&j->text));
		attr(j, "type", verdict_str(v->state));
		check(j, xmlTextWriterWriteString(j->w, safe(j, buf_str(&j->text))));
		end(j);
	}
	buf_reset(&j->text);
	details(&j->text, v, run);
	text_element(j, "system-out");
	end(j);
}

/*
 * "sloproof." and the suite with every run of ASCII other than letters,
 * digits, '-' and '_' made one '_': a dot would split it into packages in
 * Jenkins, a slash into folders.
 */
static void
classname(struct buf *b, struct jw *j, const char *suite)
{
	const char *s = (const char *)safe(j, suite);
	size_t mark;
	int gap = 0;

	buf_addstr(b, "sloproof.");
	mark = b->len;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_') {
			if (gap && b->len > mark)
				buf_addc(b, '_');
			gap = 0;
			buf_addc(b, (char)c);
		} else {
			gap = 1;
		}
	}
	if (b->len == mark)
		buf_addstr(b, "suite");
}

/* The testsuite timestamp from SOURCE_DATE_EPOCH: 0 with *ts "" when unset. */
static int
timestamp(char *ts, size_t n)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	long long sec;
	char *z;

	ts[0] = '\0';
	if (e == NULL || e[0] == '\0')
		return 0;
	if (strnum_ll(e, strlen(e), &sec) == -1 || sec < 0 || sec > SDE_MAX) {
		diag_error(NULL, 0, 0, "SOURCE_DATE_EPOCH is not a count of seconds "
		    "since 1970: %s", diag_q(e, (size_t)-1));
		return -1;
	}
	time_fmt_utc((int64_t)sec * 1000, ts, n);
	if ((z = strchr(ts, 'Z')) != NULL)
		*z = '\0';
	return 0;
}

static void
properties(struct jw *j, const struct verdicts *vs, const struct run *run,
    size_t nwarn)
{
	const struct source *s;
	char name[64], count[32];
	size_t i;

	start(j, "properties");
	property(j, "sloproof.result", verdicts_ok(vs) ? "pass" : "fail");
	snprintf(count, sizeof count, "%zu", nwarn);
	property(j, "sloproof.warnings", count);
	if (vs->score.have) {
		snprintf(count, sizeof count, "%.1f", vs->score.total);
		property(j, "sloproof.score", count);
		property(j, "sloproof.score.verdict", verdict_str(vs->score.state));
		if (vs->score.policy) {
			snprintf(count, sizeof count, "%g", vs->score.pass);
			property(j, "sloproof.score.pass", count);
			snprintf(count, sizeof count, "%g", vs->score.warn);
			property(j, "sloproof.score.warn", count);
		}
		snprintf(count, sizeof count, "%zu", vs->score.nkey_failed);
		property(j, "sloproof.score.key_failed", count);
	}
	for (i = 0; run != NULL && i < run->nsources; i++) {
		s = &run->sources[i];
		snprintf(name, sizeof name, "source.%zu.path", i + 1);
		property(j, name, s->path);
		if (s->format != NULL) {
			snprintf(name, sizeof name, "source.%zu.format", i + 1);
			property(j, name, s->format);
		}
		if (s->sha256[0] != '\0') {
			snprintf(name, sizeof name, "source.%zu.sha256", i + 1);
			property(j, name, s->sha256);
		}
	}
	end(j);
}

static void
suite_counts(struct jw *j, size_t tests, size_t failures)
{
	attr_count(j, "tests", tests);
	attr_count(j, "failures", failures);
	attr_count(j, "errors", 0);
}

int
out_junit(const struct verdicts *vs, const struct run *run, const char *suite,
    struct buf *out)
{
	struct jw j;
	struct buf cls;
	xmlBufferPtr xb;
	char ts[64];
	size_t i, nfail, nwarn;
	long long t[4];
	int rc = 0;

	if (timestamp(ts, sizeof ts) == -1)
		return -1;
	if (suite == NULL || suite[0] == '\0')
		suite = "sloproof";
	verdicts_tally(vs, t);
	nfail = (size_t)(t[V_FAIL] + t[V_NODATA]);
	nwarn = (size_t)t[V_WARN];
	if (xml_dl_load() == -1)
		return -1;
	xmlInitParser();
	if ((xb = xmlBufferCreate()) == NULL ||
	    (j.w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		if (xb != NULL)
			xmlBufferFree(xb);
		diag_syserr(NULL, "cannot start the JUnit writer: out of memory");
		return -1;
	}
	/*
	 * The scratch texts are bounded by what they quote (names, paths and
	 * messages, each bounded on input); the limit that matters is out's,
	 * checked once on the whole document so a cut text cannot slip by.
	 */
	buf_init(&j.safe, SIZE_MAX / 2);
	buf_init(&j.text, SIZE_MAX / 2);
	buf_init(&cls, SIZE_MAX / 2);
	j.xmlerr = 0;
	classname(&cls, &j, suite);

	check(&j, xmlTextWriterSetIndent(j.w, 1));
	check(&j, xmlTextWriterSetIndentString(j.w, BAD_CAST "  "));
	check(&j, xmlTextWriterStartDocument(j.w, "1.0", "UTF-8", NULL));
	start(&j, "testsuites");
	attr(&j, "name", suite);
	suite_counts(&j, vs->n, nfail);
	attr(&j, "time", "0");
	start(&j, "testsuite");
	attr(&j, "name", suite);
	suite_counts(&j, vs->n, nfail);
	attr(&j, "skipped", "0");
	attr(&j, "time", "0");
	if (ts[0] != '\0')
		attr(&j, "timestamp", ts);
	properties(&j, vs, run, nwarn);
	for (i = 0; i < vs->n; i++)
		testcase(&j, &vs->v[i], run, buf_str(&cls));
	check(&j, xmlTextWriterEndDocument(j.w));	/* closes every open element */
	xmlFreeTextWriter(j.w);				/* flushes into xb */

	if (j.xmlerr) {
		diag_syserr(NULL, "cannot write the JUnit report: libxml2 failed");
		rc = -1;
	} else if (buf_add(out, xmlBufferContent(xb),
	    (size_t)xmlBufferLength(xb)) == -1) {
		diag_error(NULL, 0, 0, "the JUnit report is larger than the limit of %zu bytes",
		    out->max);
		rc = -1;
	}
	buf_release(&cls);
	buf_release(&j.text);
	buf_release(&j.safe);
	xmlBufferFree(xb);
	return rc;
}
