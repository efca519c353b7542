/*
 * test_hardening.c — the defences of docs/hardening.md, one module each:
 * termsafe (terminal, shell, CSV), fsio confinement, yamlr's duplicate
 * keys without a quadratic pass, jsonlim's bounds.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/jsonlim.h"
#include "util/termsafe.h"
#include "util/yamlr.h"
#include "t.h"

static FILE *devnull;

static const char *
safe(const char *s)
{
	static char out[512];

	term_safe(s, (size_t)-1, out, sizeof out);
	return out;
}

static const char *
quoted(const char *s)
{
	static char out[512];
	struct buf b;

	buf_init(&b, 4096);
	sh_quote(&b, s);
	snprintf(out, sizeof out, "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

static const char *
cell(const char *s)
{
	static char out[512];
	struct buf b;

	buf_init(&b, 4096);
	csv_cell(&b, s);
	snprintf(out, sizeof out, "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

static void
test_term(void)
{
	char small[8];
	FILE *f;
	char got[256];
	size_t n;

	T_EQ_STR(safe("plain text, ünïcödé"), "plain text, ünïcödé", "plain text and UTF-8 pass");
	T_EQ_STR(safe("a\033[31mred\033]0;title\a"), "a\\e[31mred\\e]0;title\\x07",
	    "escape sequences and BEL are shown, not obeyed");
	T_EQ_STR(safe("x\ty\r\nz"), "x\\ty\\r\\nz", "tab, CR and LF are shown");
	T_EQ_STR(safe("ab\xe2\x80\xae" "cd"), "ab<U+202E>cd", "a right-to-left override is shown");
	T_EQ_STR(safe("\xe2\x81\xa6x\xe2\x81\xa9"), "<U+2066>x<U+2069>", "bidi isolates are shown");
	T_EQ_STR(safe("\xc2\x9b" "1m"), "\\x9b1m", "a C1 control (CSI) is shown");
	T_EQ_STR(safe("bad\xff"), "bad\\xff", "an ill-formed byte is shown in hex");
	T_EQ_STR(safe("\xef\xbf\xbd"), "\xef\xbf\xbd", "a real U+FFFD passes");
	term_safe("abc\033def", (size_t)-1, small, sizeof small);
	T_OK(strlen(small) < sizeof small && strncmp(small, "abc", 3) == 0, "a small buffer is cut, never overrun");
	T_OK(term_unsafe("x\033y") && term_unsafe("\xe2\x80\xae") && !term_unsafe("ok ü"),
	    "term_unsafe tells which strings need it");
	if ((f = tmpfile()) != NULL) {
		const char *in = "\033[32mpass\033[0m \033]0;x\a\nline2\n";

		term_fwrite(f, in, strlen(in), 1);
		rewind(f);
		n = fread(got, 1, sizeof got - 1, f);
		got[n] = '\0';
		T_EQ_STR(got, "\033[32mpass\033[0m \\e]0;x\\x07\nline2\n",
		    "term_fwrite keeps line breaks and colour sequences, shows the rest");
		fclose(f);
	}
}

static void
test_shell(void)
{
	T_EQ_STR(quoted("evidence/k6.json"), "evidence/k6.json", "a safe word stays as it is");
	T_EQ_STR(quoted("k6:evidence/a b.json"), "'k6:evidence/a b.json'", "a space is quoted");
	T_EQ_STR(quoted("$(rm -rf ~)"), "'$(rm -rf ~)'", "command substitution is quoted");
	T_EQ_STR(quoted("it's"), "'it'\\''s'", "a single quote is closed, escaped, reopened");
	T_EQ_STR(quoted("a;b|c&d`e`"), "'a;b|c&d`e`'", "separators and backticks are quoted");
	T_EQ_STR(quoted("line\nbreak"), "'line\\nbreak'", "a line break is shown, never a second command");
	T_EQ_STR(quoted(""), "''", "an empty word stays a word");
}

static void
test_csv(void)
{
	T_EQ_STR(cell("api"), "api", "a plain cell is as it is");
	T_EQ_STR(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"", "a formula is neutralised and quoted");
	T_EQ_STR(cell("+1"), "\"'+1\"", "+ is neutralised");
	T_EQ_STR(cell("-2+3"), "\"'-2+3\"", "- is neutralised");
	T_EQ_STR(cell("@SUM(A1)"), "\"'@SUM(A1)\"", "@ is neutralised");
	T_EQ_STR(cell("\t=1"), "\"'\t=1\"", "a leading tab is neutralised");
	T_EQ_STR(cell("\r=1"), "\"'\r=1\"", "a leading CR is neutralised");
	T_EQ_STR(cell("a,b"), "\"a,b\"", "a comma is quoted (RFC 4180)");
}

static void
test_confine(const char *dir)
{
	char path[600], link[600], fifo[600], sub[600], out[600];
	const char *roots[1];
	struct stat st;
	FILE *f;
	int fd;

	snprintf(sub, sizeof sub, "%s/drill", dir);
	mkdir(sub, 0755);
	snprintf(path, sizeof path, "%s/drill/ok.json", dir);
	snprintf(out, sizeof out, "%s/outside.json", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("{}", f);
		fclose(f);
	}
	if ((f = fopen(out, "w")) != NULL) {
		fputs("{}", f);
		fclose(f);
	}
	snprintf(link, sizeof link, "%s/drill/link.json", dir);
	(void)!symlink(out, link);
	snprintf(fifo, sizeof fifo, "%s/drill/fifo.json", dir);
	mkfifo(fifo, 0644);

	diag_set_stream(devnull);
	fd = fsio_open_input(path, &st);
	T_OK(fd >= 0 && S_ISREG(st.st_mode), "a regular file opens");
	if (fd >= 0) {
		T_OK((fcntl(fd, F_GETFL) & O_NONBLOCK) == 0, "... and is blocking again");
		close(fd);
	}
	T_EQ_INT(fsio_open_input(fifo, &st), -1, "a FIFO is refused, without waiting for a writer");
	T_EQ_INT(fsio_open_input("/dev/null", &st), -1, "a device is refused");
	T_EQ_INT(fsio_open_input("/proc/self/environ", &st), -1, "a file of /proc is refused");
	T_EQ_INT(fsio_open_input(dir, &st), -1, "a directory is refused");
	roots[0] = sub;
	T_EQ_INT(fsio_confine(roots, 1, "the drill's folder"), 0, "a root is set");
	fd = fsio_open_input(path, &st);
	T_OK(fd >= 0, "inside the root: opens");
	if (fd >= 0)
		close(fd);
	T_EQ_INT(fsio_open_input(link, &st), -1, "a symlink that leads outside the root is refused");
	T_EQ_INT(fsio_open_input(out, &st), -1, "a file outside the root is refused");
	snprintf(path, sizeof path, "%s/drill/../outside.json", dir);
	T_EQ_INT(fsio_open_input(path, &st), -1, "a .. escape is refused");
	fsio_confine(NULL, 0, NULL);
	fd = fsio_open_input(link, &st);
	T_OK(fd >= 0, "without confinement the same symlink opens");
	if (fd >= 0)
		close(fd);
	roots[0] = "/no/such/folder";
	T_EQ_INT(fsio_confine(roots, 1, NULL), -1, "a root that does not exist is an error");
	diag_set_stream(NULL);
	diag_reset();
}

static void
test_yaml_keys(void)
{
	struct ydoc d;
	struct buf b;
	int i, r;

	buf_init(&b, (size_t)-1);
	for (i = 0; i < 50000; i++)
		buf_printf(&b, "k%d: %d\n", i, i);
	buf_printf(&b, "k777: again\n");
	diag_set_stream(devnull);
	r = ydoc_load(&d, "keys.yaml", buf_str(&b), b.len);
	diag_set_stream(NULL);
	diag_reset();
	T_EQ_INT(r, -1, "a duplicate key among 50000 is found (hashed, not quadratic)");
	buf_reset(&b);
	for (i = 0; i < 50000; i++)
		buf_printf(&b, "k%d: %d\n", i, i);
	r = ydoc_load(&d, "keys.yaml", buf_str(&b), b.len);
	T_OK(r == 0 && d.root && d.root->n == 50000, "50000 distinct keys load");
	if (r == 0)
		ydoc_release(&d);
	buf_release(&b);
}

static void
test_json_limits(void)
{
	cJSON *j;
	int reported;
	const char *end;

	setenv("SLOPROOF_MAX_JSON_VALUES", "10", 1);
	diag_set_stream(devnull);
	j = json_parse("x.json", "[1,2,3,4,5,6,7,8,9,10,11,12]", 28, NULL, &reported);
	T_OK(j == NULL && reported == 1, "more values than SLOPROOF_MAX_JSON_VALUES: refused before parsing");
	unsetenv("SLOPROOF_MAX_JSON_VALUES");
	j = json_parse("x.json", "[1,2,3,4,5,6,7,8,9,10,11,12]", 28, NULL, &reported);
	T_OK(j != NULL, "under the default limit: parsed");
	cJSON_Delete(j);
	j = json_parse_all("x.json", "{\"a\":1} garbage", 15, &end, &reported);
	T_OK(j == NULL && reported == 0 && end && *end == 'g', "json_parse_all refuses trailing garbage");
	j = json_parse_all("x.json", "{\"a\":1} \n", 9, &end, &reported);
	T_OK(j != NULL, "trailing white space is fine");
	cJSON_Delete(j);
	diag_set_stream(NULL);
	diag_reset();
}

int
main(void)
{
	char dir[] = "/tmp/sloproof-hard-XXXXXX";
	int rc;

	devnull = fopen("/dev/null", "w");

	test_term();
	test_shell();
	test_csv();
	if (mkdtemp(dir) != NULL) {
		test_confine(dir);
		fsio_rmtree(dir);
	}
	test_yaml_keys();
	test_json_limits();
	rc = t_done();
	if (devnull)
		fclose(devnull);
	return rc;
}
