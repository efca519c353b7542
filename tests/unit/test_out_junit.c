/*
 * test_out_junit.c — the JUnit report as Jenkins and GitLab read it: well
 * formed whatever the rule names hold, the counts right, fail and nodata
 * as failures, warn as a pass with a note, valid against junit-10.xsd,
 * the same bytes every time, a timestamp only from SOURCE_DATE_EPOCH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "util/buf.h"
#include "util/diag.h"
#include "out/out_junit.h"
#include "t.h"

#include "verdicts_fixture.h"

#define SUITE	"samples/slo.yaml"

static xmlSchemaPtr schema;

/* junit-10.xsd from ../shared (SLOPROOF_JUNIT_XSD overrides), or NULL with a notice. */
static void
load_schema(void)
{
	const char *path = getenv("SLOPROOF_JUNIT_XSD");
	xmlSchemaParserCtxtPtr pc;

	if (path == NULL)
		path = "../shared/schemas/junit-10.xsd";
	if (access(path, R_OK) != 0) {
		printf("# skip: no schema at %s (set SLOPROOF_JUNIT_XSD); "
		    "junit output not validated\n", path);
		return;
	}
	if ((pc = xmlSchemaNewParserCtxt(path)) != NULL) {
		schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	T_OK(schema != NULL, "junit: junit-10.xsd loads");
}

static void
validates(xmlDocPtr doc, const char *what)
{
	xmlSchemaValidCtxtPtr vc;
	int rc = -1;

	if (schema == NULL || doc == NULL)
		return;
	if ((vc = xmlSchemaNewValidCtxt(schema)) != NULL) {
		rc = xmlSchemaValidateDoc(vc, doc);
		xmlSchemaFreeValidCtxt(vc);
	}
	T_EQ_INT(rc, 0, what);
}

static xmlDocPtr
parse(const struct buf *b)
{
	/* No recovery: anything short of well-formed XML fails here. */
	return xmlReadMemory(b->data, (int)b->len, "junit.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS);
}

static xmlNodePtr
child(xmlNodePtr n, const char *name, int nth)
{
	for (n = n ? n->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0 &&
		    nth-- == 0)
			return n;
	return NULL;
}

/* An attribute or the text of a node, in a static ring so a few stay valid at once. */
static const char *
keep(xmlChar *s)
{
	static char ring[6][1024];
	static int next;
	char *d = ring[next];

	next = (next + 1) % 6;
	if (s == NULL)
		return NULL;
	snprintf(d, sizeof ring[0], "%s", (const char *)s);
	xmlFree(s);
	return d;
}

static const char *
prop(xmlNodePtr n, const char *name)
{
	return n ? keep(xmlGetProp(n, BAD_CAST name)) : NULL;
}

static const char *
text(xmlNodePtr n)
{
	return n ? keep(xmlNodeGetContent(n)) : NULL;
}

/* The value of <property name=name> in the testsuite. */
static const char *
property(xmlNodePtr suite, const char *name)
{
	xmlNodePtr p;
	int i;

	for (i = 0; (p = child(child(suite, "properties", 0), "property", i)) != NULL; i++)
		if (strcmp(prop(p, "name"), name) == 0)
			return prop(p, "value");
	return NULL;
}

static void
test_shape(void)
{
	struct fixture f;
	struct buf out, again;
	xmlDocPtr doc;
	xmlNodePtr root, suite, tc, fl;

	fixture_init(&f);
	buf_init(&out, 1 << 20);
	buf_init(&again, 1 << 20);
	T_EQ_INT(out_junit(&f.vs, &f.run, SUITE, &out), 0, "junit: the fixture renders");
	T_OK(strncmp(buf_str(&out), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0,
	    "junit: starts with the XML declaration, UTF-8");
	T_OK(out.len > 0 && out.data[out.len - 1] == '\n', "junit: ends with a newline");
	T_OK(strstr(buf_str(&out), "<script>") == NULL && strchr(buf_str(&out), '\x01') == NULL,
	    "junit: no raw markup or control character from a name reaches the file");
	T_OK(getenv("SOURCE_DATE_EPOCH") != NULL || strstr(buf_str(&out), "timestamp") == NULL,
	    "junit: no timestamp without SOURCE_DATE_EPOCH");

	doc = parse(&out);
	T_OK(doc != NULL, "junit: parses back with libxml2, no recovery");
	root = xmlDocGetRootElement(doc);
	T_EQ_STR(root ? (const char *)root->name : NULL, "testsuites", "junit: <testsuites> root");
	T_EQ_STR(prop(root, "tests"), "4", "junit: testsuites tests=4");
	T_EQ_STR(prop(root, "failures"), "2", "junit: testsuites failures=2 (fail and nodata)");
	T_EQ_STR(prop(root, "errors"), "0", "junit: testsuites errors=0");
	suite = child(root, "testsuite", 0);
	T_OK(suite != NULL && child(root, "testsuite", 1) == NULL, "junit: one testsuite");
	T_EQ_STR(prop(suite, "name"), SUITE, "junit: the testsuite is named by the caller");
	T_EQ_STR(prop(suite, "tests"), "4", "junit: testsuite tests=4");
	T_EQ_STR(prop(suite, "failures"), "2", "junit: testsuite failures=2");
	T_EQ_STR(prop(suite, "errors"), "0", "junit: testsuite errors=0");
	T_EQ_STR(prop(suite, "skipped"), "0", "junit: testsuite skipped=0");
	T_EQ_STR(property(suite, "sloproof.result"), "fail", "junit: property sloproof.result");
	T_EQ_STR(property(suite, "sloproof.warnings"), "1", "junit: property sloproof.warnings");
	T_EQ_STR(property(suite, "source.1.path"), "samples/k6/perf-summary.json",
	    "junit: the evidence file is a suite property");

	tc = child(suite, "testcase", 0);
	T_EQ_STR(prop(tc, "name"), "Request failures", "junit: testcase name = rule name");
	T_EQ_STR(prop(tc, "classname"), "sloproof.samples_slo_yaml",
	    "junit: classname is sloproof. and the suite without dots or slashes");
	T_EQ_STR(prop(tc, "time"), "0", "junit: time=0");
	T_OK(child(tc, "failure", 0) == NULL, "junit: a pass has no failure");
	T_OK(strstr(text(child(tc, "system-out", 0)), "observed: 0.0062\n") != NULL,
	    "junit: a pass still shows its observed value in system-out");

	tc = child(suite, "testcase", 1);
	T_OK(tc != NULL && child(tc, "failure", 0) == NULL, "junit: a warn passes");
	T_OK(tc != NULL && strncmp(text(child(tc, "system-out", 0)),
	    "warning: passed, but past the warn level of 1200 ms\n", 52) == 0,
	    "junit: a warn says so in system-out");

	tc = child(suite, "testcase", 2);
	T_EQ_STR(prop(tc, "name"), FIX_XSS, "junit: <, &, and quotes in a rule name survive as text");
	fl = child(tc, "failure", 0);
	T_EQ_STR(prop(fl, "type"), "fail", "junit: a fail is <failure type=\"fail\">");
	T_EQ_STR(prop(fl, "message"), "1.731 s is above the limit 1.5 s <b>\"&\"</b>",
	    "junit: the failure message is the verdict's, markup intact");
	T_EQ_STR(text(fl),
	    "observed 1731.4 ms vs limit < 1500 ms, evidence samples/k6/perf-summary.json:42",
	    "junit: the failure text gives observed, limit and evidence path:line");
	T_OK(strstr(text(child(tc, "system-out", 0)), "samples: 48213\n") != NULL,
	    "junit: system-out gives the samples");

	tc = child(suite, "testcase", 3);
	T_EQ_STR(prop(tc, "name"), "Queue\xEF\xBF\xBD" "depth",
	    "junit: a control character in a name becomes U+FFFD");
	fl = child(tc, "failure", 0);
	T_EQ_STR(prop(fl, "type"), "nodata", "junit: nodata is <failure type=\"nodata\">");
	T_EQ_STR(text(fl), "no observed value vs limit <= 50, evidence none",
	    "junit: nodata says nothing was observed");
	T_OK(child(suite, "testcase", 4) == NULL, "junit: one testcase per rule");
	validates(doc, "junit: the fixture validates against junit-10.xsd");

	T_EQ_INT(out_junit(&f.vs, &f.run, SUITE, &again), 0, "junit: renders a second time");
	T_OK(again.len == out.len && memcmp(again.data, out.data, out.len) == 0,
	    "junit: the same verdicts give the same bytes");

	if (getenv("T_JUNIT_OUT") != NULL) {
		FILE *fp = fopen(getenv("T_JUNIT_OUT"), "w");

		if (fp != NULL) {
			fwrite(out.data, 1, out.len, fp);
			fclose(fp);
		}
	}
	xmlFreeDoc(doc);
	buf_release(&again);
	buf_release(&out);
	fixture_release(&f);
}

/* Strings XML 1.0 cannot hold, in every place a string goes. */
static void
test_hostile_text(void)
{
	struct fixture f;
	struct buf out;
	xmlDocPtr doc;
	xmlNodePtr suite;

	fixture_init(&f);
	f.set.rules[0].name = arena_strdup(&f.set.arena, "bad\xff utf8 \xed\xa0\x80 \xef\xbf\xbe end");
	f.set.rules[2].metric = arena_strdup(&f.set.arena, "m\x1b[31m ]]> \x7f");
	snprintf(f.vs.v[2].message, sizeof f.vs.v[2].message,
	    "tab\there\r\nnul-less \x02\x1f cut \xe2\x82");
	f.run.sources[0].path = arena_strdup(&f.run.arena, "ev\x0b/\"x\".json");
	buf_init(&out, 1 << 20);
	T_EQ_INT(out_junit(&f.vs, &f.run, "drill \x01<&>\xc3", &out), 0,
	    "junit: hostile strings render");
	doc = parse(&out);
	T_OK(doc != NULL, "junit: hostile strings still give well-formed XML");
	suite = child(xmlDocGetRootElement(doc), "testsuite", 0);
	T_EQ_STR(prop(child(suite, "testcase", 0), "name"),
	    "bad\xEF\xBF\xBD utf8 \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD end",
	    "junit: ill-formed UTF-8 and U+FFFE become U+FFFD");
	T_EQ_STR(prop(suite, "name"), "drill \xEF\xBF\xBD<&>\xEF\xBF\xBD",
	    "junit: the suite name is made legal too");
	T_EQ_STR(prop(child(suite, "testcase", 0), "classname"),
	    "sloproof.drill_\xEF\xBF\xBD_\xEF\xBF\xBD",
	    "junit: classname keeps letters, joins the rest with _");
	T_EQ_STR(prop(child(child(suite, "testcase", 2), "failure", 0), "message"),
	    "tab\there\r\nnul-less \xEF\xBF\xBD\xEF\xBF\xBD cut \xEF\xBF\xBD",
	    "junit: tab, CR and LF in a message survive an attribute; controls do not");
	T_EQ_STR(property(suite, "source.1.path"), "ev\xEF\xBF\xBD/\"x\".json",
	    "junit: a path with a control character and quotes is made legal");
	validates(doc, "junit: hostile strings validate against junit-10.xsd");
	xmlFreeDoc(doc);
	buf_release(&out);
	fixture_release(&f);
}

static void
test_epoch(void)
{
	struct fixture f;
	struct buf out;
	xmlDocPtr doc;
	FILE *err = tmpfile();
	char msg[256] = "";

	fixture_init(&f);
	buf_init(&out, 1 << 20);
	setenv("SOURCE_DATE_EPOCH", "1795860720", 1);
	T_EQ_INT(out_junit(&f.vs, &f.run, SUITE, &out), 0, "junit: renders with SOURCE_DATE_EPOCH");
	doc = parse(&out);
	T_EQ_STR(prop(child(xmlDocGetRootElement(doc), "testsuite", 0), "timestamp"),
	    "2026-11-28T10:12:00", "junit: timestamp from SOURCE_DATE_EPOCH, UTC, Ant's form");
	validates(doc, "junit: with a timestamp it validates against junit-10.xsd");
	xmlFreeDoc(doc);

	buf_reset(&out);
	setenv("SOURCE_DATE_EPOCH", "17958607x0", 1);
	diag_reset();
	diag_set_stream(err);
	T_EQ_INT(out_junit(&f.vs, &f.run, SUITE, &out), -1,
	    "junit: a malformed SOURCE_DATE_EPOCH is refused");
	diag_set_stream(NULL);
	T_EQ_INT(out.len, 0, "junit: nothing is written then");
	if (err != NULL) {
		rewind(err);
		if (fgets(msg, sizeof msg, err) == NULL)
			msg[0] = '\0';
		fclose(err);
	}
	T_EQ_STR(msg, "sloproof: error: SOURCE_DATE_EPOCH is not a count of seconds "
	    "since 1970: \"17958607x0\"\n", "junit: and the bad value is quoted");
	diag_reset();
	unsetenv("SOURCE_DATE_EPOCH");
	buf_release(&out);
	fixture_release(&f);
}

static void
test_limits(void)
{
	struct fixture f;
	struct verdicts none = {NULL, 0};
	struct buf out;
	xmlDocPtr doc;
	xmlNodePtr root;
	FILE *err = tmpfile();

	fixture_init(&f);
	buf_init(&out, 200);
	diag_reset();
	diag_set_stream(err);
	T_EQ_INT(out_junit(&f.vs, &f.run, SUITE, &out), -1, "junit: past the buffer's limit fails");
	diag_set_stream(NULL);
	T_EQ_INT(out.len, 0, "junit: nothing is appended when the limit is passed");
	T_EQ_INT(diag_status(), 3, "junit: the limit is reported as an error");
	if (err != NULL)
		fclose(err);
	diag_reset();
	buf_release(&out);

	buf_init(&out, 1 << 20);
	T_EQ_INT(out_junit(&none, NULL, NULL, &out), 0, "junit: no verdicts, no run, no suite name");
	doc = parse(&out);
	root = xmlDocGetRootElement(doc);
	T_EQ_STR(prop(root, "tests"), "0", "junit: an empty run has tests=0");
	T_EQ_STR(prop(child(root, "testsuite", 0), "name"), "sloproof",
	    "junit: a missing suite name becomes sloproof");
	T_EQ_STR(property(child(root, "testsuite", 0), "sloproof.result"), "pass",
	    "junit: no rules, nothing failed");
	validates(doc, "junit: an empty report validates against junit-10.xsd");
	xmlFreeDoc(doc);
	buf_release(&out);
	fixture_release(&f);
}

int
main(void)
{
	(void)t_corpus;	/* t.h's helper; these tests need no corpus */
	unsetenv("SOURCE_DATE_EPOCH");
	load_schema();
	test_shape();
	test_hostile_text();
	test_epoch();
	test_limits();
	xmlSchemaFree(schema);
	xmlCleanupParser();
	return t_done();
}
