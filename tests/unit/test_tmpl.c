/* Unit tests: template values, sections, standalone lines, escaping per format, every error, key checks, loading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/splimits.h"
#include "out/tmpl.h"
#include "t.h"

static char errbuf[8192];
static FILE *errf;

static void
capture(void)
{
	memset(errbuf, 0, sizeof errbuf);
	errf = fmemopen(errbuf, sizeof errbuf - 1, "w");
	diag_set_stream(errf);
}

static void
release_capture(void)
{
	fclose(errf);
	diag_set_stream(NULL);
	diag_reset();
}

/* Compiles text as "t.md" in fmt and renders root; the output, or "(error)" with errbuf set. */
static const char *
render_fmt(const char *text, enum tmpl_format fmt, const struct tval *root)
{
	static char result[8192];
	struct tmpl *t;
	struct buf out;
	int rc;

	capture();
	buf_init(&out, 1 << 20);
	rc = tmpl_compile(&t, "t.md", text, strlen(text), fmt);
	if (rc == 0)
		rc = tmpl_render(t, root, &out);
	tmpl_free(t);
	release_capture();
	snprintf(result, sizeof result, "%s", rc == 0 ? buf_str(&out) : "(error)");
	buf_release(&out);
	return result;
}

static const char *
md(const char *text, const struct tval *root)
{
	return render_fmt(text, TMPL_MARKDOWN, root);
}

/* Compiling text fails with exactly the diagnostic want. */
static void
expect_error(const char *text, size_t len, enum tmpl_format fmt, const char *want, const char *what)
{
	struct tmpl *t = (struct tmpl *)1;
	int rc;

	capture();
	rc = tmpl_compile(&t, "t.md", text, len, fmt);
	release_capture();
	T_OK(rc == -1 && t == NULL, what);
	T_EQ_STR(errbuf, want, what);
	tmpl_free(t);
}

static void
test_values(void)
{
	struct tctx c;
	struct tval *root, *drill, *m;
	char key[16];
	int i;

	tctx_init(&c);
	root = tv_map(&c);
	tv_set_str(&c, root, "name", "checkout");
	drill = tv_set_map(&c, root, "drill");
	tv_set_str(&c, drill, "title", "Black Friday");
	tv_set_strf(&c, root, "ratio", "%.2f%%", 1.5);
	tv_set_bool(&c, root, "ok", 1);
	tv_set_str(&c, root, "gone", NULL);
	T_EQ_STR(md("{{ name }}/{{name}}", root), "checkout/checkout", "a value with and without blanks");
	T_EQ_STR(md("{{ drill.title }}", root), "Black Friday", "a dotted path walks nested maps");
	T_EQ_STR(md("{{ ratio }}", root), "1.50%", "tv_set_strf formats like printf");
	T_EQ_STR(md("[{{ ok }}]", root), "[true]", "a bool renders as true");
	T_EQ_STR(md("[{{ gone }}][{{ absent }}][{{ drill.nope }}][{{ drill }}]", root), "[][][][]",
	    "null, absent keys and maps render as nothing");
	tv_set_str(&c, root, "name", "payments");
	T_EQ_STR(md("{{ name }}", root), "payments", "setting a key again replaces its value");
	T_EQ_INT(tv_type(root), TV_MAP, "tv_map makes a map");

	/* Enough keys for the hash index, replaced after it exists. */
	m = tv_set_map(&c, root, "big");
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		tv_set_strf(&c, m, key, "v%d", i);
	}
	tv_set_str(&c, m, "k7", "seven");
	T_EQ_STR(md("{{ big.k4999 }} {{ big.k0 }} {{ big.k7 }} {{ big.k5000 }}", root),
	    "v4999 v0 seven ", "a map of 5000 keys finds each, replaced or not");
	tctx_release(&c);
}

static void
test_sections(void)
{
	struct tctx c;
	struct tval *root, *l, *it, *inner;

	tctx_init(&c);
	root = tv_map(&c);
	tv_set_str(&c, root, "title", "T");
	l = tv_set_list(&c, root, "checks");
	it = tv_push_map(&c, l);
	tv_set_str(&c, it, "name", "p95");
	tv_set_bool(&c, it, "ok", 1);
	it = tv_push_map(&c, l);
	tv_set_str(&c, it, "name", "errors");
	tv_set_bool(&c, it, "ok", 0);
	tv_set_str(&c, it, "title", "own");
	l = tv_set_list(&c, root, "tags");
	tv_push_str(&c, l, "a");
	tv_push_str(&c, l, "b");
	tv_push_str(&c, l, "c");
	tv_set_list(&c, root, "none");
	tv_set_map(&c, root, "emptymap");
	tv_set_str(&c, root, "empty", "");
	tv_set_str(&c, root, "link", "x");
	tv_set_bool(&c, root, "no", 0);
	inner = tv_set_map(&c, root, "drill");
	tv_set_str(&c, inner, "date", "2026-11-28");

	T_EQ_STR(md("{{# checks }}{{ name }}={{# ok }}ok{{/ ok }}{{^ ok }}FAIL{{/ ok }};{{/ checks }}", root),
	    "p95=ok;errors=FAIL;", "a list of maps repeats the body; bools choose");
	T_EQ_STR(md("{{# tags }}<{{ . }}>{{/ tags }}", root), "<a><b><c>", "{{ . }} is the current string");
	T_EQ_STR(md("{{# drill }}{{ date }} {{ title }}{{/ drill }}", root), "2026-11-28 T",
	    "a map is entered once; outer keys stay visible");
	T_EQ_STR(md("{{# checks }}{{ title }},{{/ checks }}", root), "T,own,",
	    "the innermost context wins over the outer one");
	T_EQ_STR(md("{{# checks }}{{ drill.date }},{{/ checks }}", root), "2026-11-28,2026-11-28,",
	    "a dotted path binds its first key anywhere on the stack");
	T_EQ_STR(md("[{{# link }}L{{ link }}{{/ link }}][{{# empty }}E{{/ empty }}][{{# no }}N{{/ no }}]", root),
	    "[Lx][][]", "a non-empty string renders once without changing context; empty and false do not");
	T_EQ_STR(md("[{{# none }}x{{/ none }}][{{# absent }}x{{/ absent }}][{{# emptymap }}m{{/ emptymap }}]", root),
	    "[][][m]", "an empty list and an absent key render nothing; an empty map renders once");
	T_EQ_STR(md("[{{^ none }}0{{/ none }}][{{^ absent }}1{{/ absent }}][{{^ empty }}2{{/ empty }}]"
	    "[{{^ no }}3{{/ no }}][{{^ tags }}4{{/ tags }}][{{^ link }}5{{/ link }}][{{^ emptymap }}6{{/ emptymap }}]", root),
	    "[0][1][2][3][][][]", "inverted sections render exactly when sections do not");
	T_EQ_STR(md("{{# tags }}{{ @index }}:{{ . }}{{# @first }}(first){{/ @first }}"
	    "{{^ @last }}, {{/ @last }}{{/ tags }}", root),
	    "1:a(first), 2:b, 3:c", "@index counts from 1; @first and @last");
	T_EQ_STR(md("{{# checks }}{{ @index }}[{{# tags }}{{ @index }}{{/ tags }}]{{# drill }}{{ @index }}{{/ drill }} {{/ checks }}", root),
	    "1[123]1 2[123]2 ", "@index is the innermost list's, through a map section");
	T_EQ_STR(md("{{# drill }}[{{ @index }}]{{# @first }}F{{/ @first }}{{^ @last }}L{{/ @last }}{{/ drill }}", root),
	    "[]L", "outside a list @index is empty and @first/@last are false");
	T_EQ_STR(md("{{! a comment }}x{{! another\nspanning lines }}y", root), "xy", "comments are dropped");
	tctx_release(&c);
}

static void
test_standalone(void)
{
	struct tctx c;
	struct tval *root, *l;

	tctx_init(&c);
	root = tv_map(&c);
	l = tv_set_list(&c, root, "items");
	tv_push_str(&c, l, "a");
	tv_push_str(&c, l, "b");
	tv_set_str(&c, root, "v", "V");
	tv_set_bool(&c, root, "yes", 1);

	T_EQ_STR(md("# Report\n{{# items }}\n- {{ . }}\n{{/ items }}\ndone\n", root),
	    "# Report\n- a\n- b\ndone\n", "section tags alone on their lines take the lines with them");
	T_EQ_STR(md("list:\n  {{# items }}  \n  * {{ . }}\n\t{{/ items }}\t\nend", root),
	    "list:\n  * a\n  * b\nend", "blanks around a standalone tag go too");
	T_EQ_STR(md("{{! comment }}\nA\n{{! multi\nline }}\nB\n", root), "A\nB\n",
	    "standalone comments, one line or several, take their lines");
	T_EQ_STR(md("{{# yes }}\n{{# items }}\n{{ . }}\n{{/ items }}{{/ yes }}\nend\n", root),
	    "a\nb\nend\n", "a line of several section tags is standalone too");
	T_EQ_STR(md("{{# yes }}\r\nX\r\n{{/ yes }}\r\n", root), "X\r\n", "CRLF line ends are removed whole");
	T_EQ_STR(md("A\n{{# yes }}", root) /* unclosed: error */, "(error)", "(an unclosed section is an error)");
	T_EQ_STR(md("A\n  {{# yes }}B{{/ yes }}", root), "A\n  B", "a tag with text on its line is not standalone");
	T_EQ_STR(md("{{ v }}\n{{ v }}\n", root), "V\nV\n", "a value alone on a line keeps its line");
	T_EQ_STR(md("A\n{{# yes }}\n{{ v }}{{# yes }}\n{{/ yes }}\n{{/ yes }}", root),
	    "A\nV\n", "a value and a section tag on one line is not standalone; a last line without newline is");
	T_EQ_STR(md("x {{# yes }}\ny{{/ yes }}\n", root), "x \ny\n", "a tag after text keeps its line break");
	tctx_release(&c);
}

static void
test_markdown(void)
{
	struct tctx c;
	struct tval *root;

	tctx_init(&c);
	root = tv_map(&c);
	tv_set_str(&c, root, "pipe", "a|b");
	tv_set_str(&c, root, "tick", "a`b");
	tv_set_str(&c, root, "ticks", "``x");
	tv_set_str(&c, root, "xss", "<script>alert(1)</script>");
	tv_set_str(&c, root, "marks", "*bold* _it_ [l](u) ~s~ \\ & $x$ snake_case __init");
	tv_set_str(&c, root, "list", "- item");
	tv_set_str(&c, root, "num", "1. first");
	tv_set_str(&c, root, "head", "# title");
	tv_set_str(&c, root, "quote", "> q");
	tv_set_str(&c, root, "rule", "---");
	tv_set_str(&c, root, "neg", "-5% 1.5s");
	tv_set_str(&c, root, "lines", "one\ntwo");
	tv_set_str(&c, root, "spaced", " x ");
	tv_set_str(&c, root, "empty", "");
	tv_set_str(&c, root, "bs_pipe", "a\\|b");
	tv_set_str(&c, root, "notes", "First line\nsecond *line* <b>\n\n- item [x]\n  - sub\n# not a heading  \n   indented");

	T_EQ_STR(md("{{ xss }}", root), "\\<script>alert(1)\\</script>", "Markdown: <script> cannot open a tag");
	T_EQ_STR(md("{{ marks }}", root),
	    "\\*bold\\* \\_it\\_ \\[l\\](u) \\~s\\~ \\\\ \\& \\$x\\$ snake_case \\_\\_init",
	    "Markdown: emphasis, links, strike, entities, math escaped; snake_case kept");
	T_EQ_STR(md("{{ list }}|{{ num }}|{{ head }}|{{ quote }}|{{ rule }}", root),
	    "\\- item|1. first|# title|> q|---", "Markdown: markers escaped only at a line start");
	T_EQ_STR(md("{{ list }}\n{{ num }}\n{{ head }}\n{{ quote }}\n{{ rule }}\n  - {{ list }}\n> {{ num }}", root),
	    "\\- item\n1\\. first\n\\# title\n\\> q\n\\---\n  - \\- item\n> 1\\. first",
	    "Markdown: at a line start (also after list or quote markers) they are escaped");
	T_EQ_STR(md("{{ neg }}\nResult: {{ list }}", root), "-5% 1.5s\nResult: - item",
	    "Markdown: what cannot start a block stays readable");
	T_EQ_STR(md("{{ lines }}", root), "one two", "Markdown: newlines in inline text become spaces");
	T_EQ_STR(md("| {{ pipe }} | {{ pipe | cell }} | {{ list | cell }} |", root),
	    "| a\\|b | a\\|b | - item |", "cell: a check name a|b cannot split a table cell");
	T_EQ_STR(md("{{ tick | code }} {{ ticks | code }} {{ pipe | code }} {{ spaced | code }} [{{ empty | code }}]", root),
	    "``a`b`` ``` ``x ``` `a|b` `  x  ` []", "code: fence longer than any run inside, padded when needed");
	T_EQ_STR(md("| {{ pipe | code }} | {{ bs_pipe | code }} |\n{{ pipe | code }}", root),
	    "| `a\\|b` | `a\\\\|b` |\n`a|b`", "code: in a table row | is escaped, elsewhere not");
	T_EQ_STR(md("{{ lines | code }}", root), "`one two`", "code: a newline becomes a space");
	T_EQ_STR(md("{{ notes | block }}", root),
	    "First line\nsecond \\*line\\* \\<b>\n\n- item \\[x\\]\n  - sub\n\\# not a heading\nindented",
	    "block: line breaks (soft), blank lines and list markers kept; the rest escaped");
	tv_set_str(&c, root, "notes", "Intro\n        - deep\n- a\n        - b\n\n\tindented text\npara\n2. not a list");
	T_EQ_STR(md("{{ notes | block }}", root),
	    "Intro\n- deep\n- a\n  - b\n\nindented text\npara\n2\\. not a list",
	    "block: no indentation makes a code block; 2. after a paragraph line stays text");
	tv_set_str(&c, root, "mdhtml", "1. *a* [b]_c\nd & 2.5");
	T_EQ_STR(md("<summary>{{ mdhtml | html }}</summary>", root),
	    "<summary>1&#46; &#42;a&#42; &#91;b&#93;&#95;c d &amp; 2.5</summary>",
	    "html in Markdown: Markdown punctuation as character references, newlines as spaces");
	T_EQ_STR(md("{{ xss | html }} {{ xss | raw }} {{ pipe | url }}", root),
	    "&lt;script&gt;alert(1)&lt;/script&gt; <script>alert(1)</script> a%7Cb",
	    "Markdown templates may use html, raw and url");
	tctx_release(&c);
}

static void
test_html_text(void)
{
	struct tctx c;
	struct tval *root;

	tctx_init(&c);
	root = tv_map(&c);
	tv_set_str(&c, root, "xss", "<script>alert(\"x\") & 'y'</script>");
	tv_set_str(&c, root, "svg", "<svg width=\"1\"/>");
	tv_set_str(&c, root, "path", "inputs/k6 summary~1.json?a=b&c#d");
	tv_set_str(&c, root, "utf", "é");
	tv_set_str(&c, root, "md", "*x* | y");
	T_EQ_STR(render_fmt("<p>{{ xss }}</p>", TMPL_HTML, root),
	    "<p>&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;</p>",
	    "HTML: values never produce markup");
	T_EQ_STR(render_fmt("{{ xss | html }}", TMPL_HTML, root),
	    "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;", "html filter = HTML default");
	T_EQ_STR(render_fmt("{{ svg | raw }}", TMPL_HTML, root), "<svg width=\"1\"/>", "HTML: raw passes our own SVG");
	T_EQ_STR(render_fmt("<a href=\"{{ path | url }}\">{{ utf | url }}</a>", TMPL_HTML, root),
	    "<a href=\"inputs/k6%20summary~1.json?a=b&amp;c#d\">%C3%A9</a>",
	    "url: keeps URL syntax, percent-encodes spaces and non-ASCII, & is &amp; in HTML");
	tv_set_str(&c, root, "js", "JavaScript:alert(1)");
	tv_set_str(&c, root, "abs", "https://jira.example/browse/XIN-1?x=(1)");
	T_EQ_STR(render_fmt("{{ js | url }} {{ abs | url }}", TMPL_HTML, root),
	    "#unsafe-link https://jira.example/browse/XIN-1?x=%281%29",
	    "url: other schemes than http(s), mailto, ftp are refused; parentheses encoded");
	T_EQ_STR(render_fmt("{{ xss }} {{ md | text }} {{ md | raw }}", TMPL_TEXT, root),
	    "<script>alert(\"x\") & 'y'</script> *x* | y *x* | y", "text: values as they are");
	tctx_release(&c);
}

static void
test_sanitize(void)
{
	struct tctx c;
	struct tval *root;
	static const char *const tmpl[] = { "{{ v }}", "{{ v | cell }}", "{{ v | raw }}", NULL };
	static const char *const want[] = {
		"a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd" "\\[31m",
		"a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd" "\\[31m",
		"a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd" "[31m",
	};
	int i;

	tctx_init(&c);
	root = tv_map(&c);
	tv_set_str(&c, root, "v", "a\x01" "b\x7f" "c\xc2\x85" "d\x1b[31m");
	tv_set_str(&c, root, "bad", "a\xff" "b\xe2\x82" "c\xed\xa0\x80" "d\xf0\x9f\x98\x80");
	tv_set_str(&c, root, "crlf", "x\r\ny\rz\tw");
	for (i = 0; tmpl[i]; i++)
		T_EQ_STR(md(tmpl[i], root), want[i],
		    "control characters, C1 and ESC become U+FFFD (with raw too)");
	T_EQ_STR(render_fmt("{{ v }}", TMPL_HTML, root), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd" "[31m",
	    "HTML: control characters become U+FFFD");
	T_EQ_STR(render_fmt("{{ bad }}", TMPL_TEXT, root),
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "d\xf0\x9f\x98\x80",
	    "invalid UTF-8: one U+FFFD per maximal bad sequence; valid 4-byte kept");
	T_EQ_STR(render_fmt("{{ crlf }}", TMPL_TEXT, root), "x\ny\nz\tw", "CR LF and lone CR become LF; tab kept");
	tctx_release(&c);
}

static void
test_errors(void)
{
	char *big, deep[33 * 10 + 1];
	size_t i;
	int n;

	expect_error("a\n  {{ x", 8, TMPL_MARKDOWN,
	    "sloproof: t.md:2:3: error: unclosed tag: no \"}}\" after this \"{{\"\n", "unclosed {{");
	expect_error("{{# a }}\nx", 10, TMPL_MARKDOWN,
	    "sloproof: t.md:1:1: error: section \"a\" is not closed: no {{/ a }} before the end\n",
	    "a section never closed, named where it opens");
	expect_error("{{# a }}\n {{# b }}\n{{/ a }}", 28, TMPL_MARKDOWN,
	    "sloproof: t.md:3:1: error: closing tag for \"a\", but section \"b\" opened at 2:2 is still open\n",
	    "a mismatched close says which section is open and where");
	expect_error("x {{/ a }}", 10, TMPL_MARKDOWN,
	    "sloproof: t.md:1:3: error: closing tag for \"a\", but no section is open\n", "a close with nothing open");
	expect_error("{{ a | bold }}", 14, TMPL_MARKDOWN,
	    "sloproof: t.md:1:8: error: unknown filter \"bold\"; filters are block, cell, code, html, raw, text, url\n",
	    "an unknown filter");
	expect_error("<td>{{ a | cell }}</td>", 23, TMPL_HTML,
	    "sloproof: t.md:1:12: error: filter \"cell\" is not for HTML templates; use html, raw, url\n",
	    "a Markdown filter in an HTML template");
	expect_error("{{ a | text }}", 14, TMPL_MARKDOWN,
	    "sloproof: t.md:1:8: error: filter \"text\" is not for Markdown templates; use block, cell, code, html, raw, url\n",
	    "text is not a way around Markdown escaping");
	expect_error("{{ a |  }}", 10, TMPL_MARKDOWN,
	    "sloproof: t.md:1:6: error: missing filter name after \"|\"\n", "a | without a filter");
	expect_error("{{# a | raw }}{{/ a }}", 22, TMPL_MARKDOWN,
	    "sloproof: t.md:1:7: error: filters apply to values, not to section tags\n", "a filter on a section");
	expect_error("é {{ a..b }}", 13, TMPL_MARKDOWN,
	    "sloproof: t.md:1:6: error: bad key \"a..b\": keys are letters, digits, _ and -, joined by dots\n",
	    "bad key syntax; columns count characters, not bytes");
	expect_error("{{ 9lives }}", 12, TMPL_MARKDOWN,
	    "sloproof: t.md:1:4: error: bad key \"9lives\": keys are letters, digits, _ and -, joined by dots\n",
	    "a key cannot start with a digit");
	expect_error("{{ a b }}", 9, TMPL_MARKDOWN,
	    "sloproof: t.md:1:6: error: unexpected \"b\" in tag\n", "two words in a tag");
	expect_error("x{{ }}", 6, TMPL_MARKDOWN, "sloproof: t.md:1:2: error: tag has no key\n", "an empty tag");
	expect_error("{{{ a }}}", 9, TMPL_MARKDOWN,
	    "sloproof: t.md:1:1: error: \"{{{\" is not supported; write {{ key | raw }} for unescaped output\n",
	    "triple mustache points at raw");
	expect_error("{{> part }}", 11, TMPL_MARKDOWN,
	    "sloproof: t.md:1:1: error: partials (\"{{>\") are not supported\n", "partials");
	expect_error("{{ @idx }}", 10, TMPL_MARKDOWN,
	    "sloproof: t.md:1:4: error: unknown special key \"@idx\"; there are @index, @first and @last\n",
	    "unknown special key");
	expect_error("{{ @index }}", 12, TMPL_MARKDOWN,
	    "sloproof: t.md:1:4: error: @index is only defined inside a section over a list\n", "@index outside sections");
	expect_error("{{# a }}{{ @first }}{{/ a }}", 28, TMPL_MARKDOWN,
	    "sloproof: t.md:1:12: error: @first is a condition: use {{# @first }} or {{^ @first }}\n",
	    "@first as a value");
	expect_error("{{# a }}{{# @index }}{{/ @index }}{{/ a }}", 42, TMPL_MARKDOWN,
	    "sloproof: t.md:1:13: error: @index is a value, not a section: use {{ @index }}\n", "@index as a section");
	expect_error("ab\n\xff", 4, TMPL_MARKDOWN,
	    "sloproof: t.md:2:1: error: invalid UTF-8 byte 0xff\n", "invalid UTF-8 in a template");
	expect_error("a\x01", 2, TMPL_MARKDOWN,
	    "sloproof: t.md:1:2: error: control character U+0001 in template\n", "control character in a template");
	expect_error("a\0b", 3, TMPL_MARKDOWN,
	    "sloproof: t.md:1:2: error: control character U+0000 in template\n", "NUL in a template");

	for (i = 0, n = 0; i < 33; i++)
		n += snprintf(deep + n, sizeof deep - (size_t)n, "{{#a%02zu}}", i);
	expect_error(deep, (size_t)n, TMPL_MARKDOWN,
	    "sloproof: t.md:1:257: error: sections nested deeper than 32\n", "nesting deeper than 32");
	n = 0;
	{
		/* 32 levels compile. */
		char ok[32 * 18 + 1];
		struct tmpl *t;

		for (i = 0; i < 32; i++)
			n += snprintf(ok + n, sizeof ok - (size_t)n, "{{#a%02zu}}", i);
		for (i = 32; i-- > 0;)
			n += snprintf(ok + n, sizeof ok - (size_t)n, "{{/a%02zu}}", i);
		T_OK(tmpl_compile(&t, "t.md", ok, (size_t)n, TMPL_MARKDOWN) == 0, "32 nested sections compile");
		tmpl_free(t);
	}

	big = malloc(LIM_TEMPLATE_BYTES + 1);
	memset(big, 'x', LIM_TEMPLATE_BYTES + 1);
	expect_error(big, LIM_TEMPLATE_BYTES + 1, TMPL_MARKDOWN,
	    "sloproof: t.md: error: template is larger than the limit of 1048576 bytes\n", "a template over the limit");
	free(big);
}

static void
test_render_limit(void)
{
	struct tctx c;
	struct tval *root;
	struct tmpl *t;
	struct buf out;
	int rc;

	tctx_init(&c);
	root = tv_map(&c);
	tv_set_str(&c, root, "v", "0123456789");
	buf_init(&out, 15);
	tmpl_compile(&t, "t.md", "{{ v }}{{ v }}", 14, TMPL_TEXT);
	capture();
	rc = tmpl_render(t, root, &out);
	release_capture();
	T_EQ_INT(rc, -1, "rendering past the buf maximum fails");
	T_EQ_STR(errbuf, "sloproof: t.md: error: rendered output is larger than the limit of 15 bytes\n",
	    "and says so");
	tmpl_free(t);
	buf_release(&out);

	/* Lists in lists: 3^16 visits would take long with no output at all. */
	{
		char deep[16 * 20 + 1];
		struct tval *l = tv_set_list(&c, root, "l");
		size_t i;
		int n = 0;

		tv_push_str(&c, l, "a");
		tv_push_str(&c, l, "b");
		tv_push_str(&c, l, "c");
		for (i = 0; i < 16; i++)
			n += snprintf(deep + n, sizeof deep - (size_t)n, "{{#l}}");
		for (i = 0; i < 16; i++)
			n += snprintf(deep + n, sizeof deep - (size_t)n, "{{/l}}");
		buf_init(&out, 100);
		tmpl_compile(&t, "t.md", deep, (size_t)n, TMPL_TEXT);
		capture();
		rc = tmpl_render(t, root, &out);
		release_capture();
		T_EQ_INT(rc, -1, "rendering is bounded in work, not only in output");
		T_EQ_STR(errbuf, "sloproof: t.md: error: rendering takes more than 10000000 steps"
		    " (sections over lists nested too deep?)\n", "and says so");
		tmpl_free(t);
		buf_release(&out);
	}

	/* Appending to a buf that already holds the start of a table row. */
	tv_set_str(&c, root, "v", "a|b");
	buf_init(&out, 100);
	buf_addstr(&out, "x\n| ");
	tmpl_compile(&t, "t.md", "{{ v | code }} |", 16, TMPL_MARKDOWN);
	T_OK(tmpl_render(t, root, &out) == 0 && strcmp(buf_str(&out), "x\n| `a\\|b` |") == 0,
	    "the line already in the buf decides the context");
	tmpl_free(t);
	buf_release(&out);
	tctx_release(&c);
}

static int
check(const char *text, const char *const *allowed)
{
	struct tmpl *t;
	int rc;

	capture();
	rc = tmpl_compile(&t, "report.md", text, strlen(text), TMPL_MARKDOWN);
	if (rc == 0)
		rc = tmpl_check(t, allowed);
	tmpl_free(t);
	release_capture();
	return rc;
}

static void
test_check(void)
{
	static const char *const keys[] = {
		"drill.title", "drill.date", "drill.time", "checks.name", "checks.ok", "checks.links.url",
		"link", "verdict", NULL
	};

	T_EQ_INT(check("{{ drill.title }}{{# checks }}{{ name }}{{# ok }}{{ link }}{{/ ok }}"
	    "{{# links }}{{ url }}{{ @index }}{{/ links }}{{ drill.date }}{{/ checks }}"
	    "{{# drill }}{{ title }}{{ verdict }}{{/ drill }}{{ . }}", keys), 0,
	    "declared keys pass, at any depth; prefixes of declared paths are maps");
	T_EQ_INT(check("\n  {{ drill.titel }}", keys), -1, "a typo fails");
	T_EQ_STR(errbuf, "sloproof: report.md:2:3: error: unknown key \"drill.titel\"; did you mean \"drill.title\"?\n",
	    "and suggests the right key, at the tag (only the closest: not drill.time)");
	check("{{# checks }}{{ nmae }}{{/ checks }}", keys);
	T_EQ_STR(errbuf, "sloproof: report.md:1:14: error: unknown key \"nmae\"; did you mean \"name\"?\n",
	    "inside a section, suggestions are relative to it");
	check("{{ verdic }} {{ lnk }}", keys);
	T_EQ_STR(errbuf, "sloproof: report.md:1:1: error: unknown key \"verdic\"; did you mean \"verdict\"?\n"
	    "sloproof: report.md:1:14: error: unknown key \"lnk\"; did you mean \"link\"?\n",
	    "every unknown key is reported");
	check("{{ drill.tile }}", keys);
	T_EQ_STR(errbuf, "sloproof: report.md:1:1: error: unknown key \"drill.tile\"; did you mean \"drill.title\" or \"drill.time\"?\n",
	    "several close matches, in declaration order");
	check("{{ drill.tame }}", keys);
	T_EQ_STR(errbuf, "sloproof: report.md:1:1: error: unknown key \"drill.tame\"; did you mean \"drill.time\"?\n",
	    "a closer match hides farther ones (drill.date)");
	check("{{ colour }}", keys);
	T_EQ_STR(errbuf, "sloproof: report.md:1:1: error: unknown key \"colour\" (not one this template is given)\n",
	    "no close match");
	check("{{# chekcs }}{{ name }}{{ whatever }}{{/ chekcs }}", keys);
	T_EQ_STR(errbuf, "sloproof: report.md:1:1: error: unknown key \"chekcs\"; did you mean \"checks\"?\n",
	    "keys inside an unknown section are not reported again");
	{
		char many[25 * 12 + 1];
		int i, n = 0;
		const char *last;

		for (i = 0; i < 25; i++)
			n += snprintf(many + n, sizeof many - (size_t)n, "{{ zz%02d }}", i);
		T_EQ_INT(check(many, keys), -1, "25 unknown keys");
		last = strstr(errbuf, "zz19");
		T_OK(last && strstr(last, "zz20") == NULL &&
		    strstr(errbuf, "zz19\" (not one this template is given)\n"
		    "sloproof: report.md: error: 5 more unknown keys not shown\n") != NULL,
		    "20 are reported, the rest counted");
	}
	T_EQ_INT(check("{{# checks }}{{ drill.url }}{{/ checks }}", keys), -1,
	    "a path's first key binds, then the whole path must be declared");
}

static void
test_load(void)
{
	char dir[] = "/tmp/sloproof-tmpl-XXXXXX", path[64];
	struct tctx c;
	struct tval *root;
	struct tmpl *t;
	struct buf out;
	FILE *f;
	int rc;

	tctx_init(&c);
	root = tv_map(&c);
	tv_set_str(&c, root, "who", "you");
	T_OK(mkdtemp(dir) != NULL, "a temporary directory");
	snprintf(path, sizeof path, "%s/hello.md", dir);
	f = fopen(path, "w");
	fputs("hi {{ who }}\n", f);
	fclose(f);

	buf_init(&out, 1000);
	rc = tmpl_load(&t, dir, "hello.md", TMPL_MARKDOWN);
	T_OK(rc == 0 && tmpl_render(t, root, &out) == 0 && strcmp(buf_str(&out), "hi you\n") == 0,
	    "tmpl_load reads DIR/NAME");
	T_EQ_STR(rc == 0 ? tmpl_name(t) : "", path, "its diagnostics name the file");
	tmpl_free(t);
	buf_release(&out);

	capture();
	rc = tmpl_load(&t, dir, "nope.md", TMPL_MARKDOWN);
	release_capture();
	T_OK(rc == -1 && t == NULL, "an unknown template is an error");
	{
		char want[256];

		snprintf(want, sizeof want,
		    "sloproof: error: unknown template \"nope.md\": not in \"%s\" and not built in\n", dir);
		T_EQ_STR(errbuf, want, "naming the directory looked in");
	}
	capture();
	rc = tmpl_load(&t, dir, "../hello.md", TMPL_MARKDOWN);
	release_capture();
	T_OK(rc == -1, "a template name cannot leave the directory");

	f = fopen(path, "w");
	fputs("{{# x }}\n", f);
	fclose(f);
	capture();
	rc = tmpl_load(&t, dir, "hello.md", TMPL_MARKDOWN);
	release_capture();
	{
		char want[256];

		snprintf(want, sizeof want,
		    "sloproof: %s:1:1: error: section \"x\" is not closed: no {{/ x }} before the end\n", path);
		T_OK(rc == -1, "an override that does not compile fails");
		T_EQ_STR(errbuf, want, "with its path, line and column");
	}
	unlink(path);
	rmdir(dir);

	if (tmpl_builtins[0].name != NULL) {
		rc = tmpl_load(&t, NULL, tmpl_builtins[0].name, TMPL_MARKDOWN);
		T_OK(rc == 0 || strstr(tmpl_builtins[0].name, ".html") != NULL,
		    "the first built-in template loads without a directory");
		tmpl_free(t);
		rc = tmpl_load(&t, "/nonexistent-dir", tmpl_builtins[0].name, TMPL_MARKDOWN);
		T_OK(rc == 0 || strstr(tmpl_builtins[0].name, ".html") != NULL,
		    "and when DIR has no override");
		tmpl_free(t);
	} else {
		printf("# skip: no built-in templates yet\n");
	}
	tctx_release(&c);
}

int
main(void)
{
	test_values();
	test_sections();
	test_standalone();
	test_markdown();
	test_html_text();
	test_sanitize();
	test_errors();
	test_render_limit();
	test_check();
	test_load();
	return t_done();
}
