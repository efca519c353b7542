/*
 * cmd_help.c — every piece of help, from the one table of commands:
 * `sloproof --help` (the list), `sloproof help COMMAND` and `COMMAND --help`
 * (the same text), and `sloproof help --man`, the man page in roff
 * (docs/sloproof.1). The man page is written for both groff and mandoc:
 * text lines under 80 bytes, no paragraph macro where one is ignored, and
 * the descriptions' indented blocks turned into tagged lists or literal
 * blocks instead of being refilled into a mess.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/version.h"

const char exit_generic[] =
	"0\tevery SLO met (pass or warn)\n"
	"1\tan SLO failed or had no data: missing evidence is never a pass\n"
	"2\tusage error\n"
	"3\tbad input (missing, malformed, or not what it claims to be); nothing written\n"
	"4\tsystem error (I/O, disk full, out of memory); nothing partial left behind\n";

static int cmd_helpcmd(int, char **);

static const struct opt help_opts[] = {
	{"man", 256, NULL, "print the man page (roff) instead; docs/sloproof.1 is its output"},
	{NULL, 0, NULL, NULL}
};

const struct cmd cmd_help_spec = {
	"help", cmd_helpcmd,
	"[COMMAND | --man]",
	"the help of a command (the same as COMMAND --help), or the man page",
	"Without a COMMAND, lists the commands. With one, prints its usage, what it\n"
	"does, its options, examples and its own exit statuses: exactly what\n"
	"`sloproof COMMAND --help` prints.",
	help_opts,
	"  sloproof help bundle\n"
	"  sloproof help --man | man -l -\n",
	"0\thelp was printed\n"
	"2\tno such command\n",
};

void
cmd_list(FILE *f)
{
	const struct cmd *const *cmds;
	size_t i, n;

	cmds = cmd_all(&n);
	fprintf(f, "usage: sloproof [--version] [--help] COMMAND [ARGS]\n\n"
	    "sloproof turns the evidence of load tests and chaos drills (k6 results,\n"
	    "Grafana CSV exports, Alertmanager alerts, kubectl HPA output, Prometheus\n"
	    "ranges) into SLO verdicts and dated, checksummed report bundles.\n\n"
	    "commands:\n");
	for (i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(f, "\nYour first drill: sloproof init DIR FILES...; edit DIR/drill.yaml (the fault's\n"
	    "start and end); sloproof bundle DIR/drill.yaml.\n"
	    "Run 'sloproof help COMMAND' (or 'sloproof COMMAND --help') for a command's\n"
	    "options, examples and exit statuses; 'man sloproof' once installed.\n");
}

/* "0\tmeaning\n" lines as "  0  meaning". */
static void
print_exits(FILE *f, const char *exits)
{
	const char *p = exits, *tab, *nl;

	fprintf(f, "\nexit status:\n");
	while (*p) {
		tab = strchr(p, '\t');
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (tab == NULL || tab > nl)
			tab = p;
		if (tab == p)	/* "\tmore" continues the line before */
			fprintf(f, "     %.*s\n", (int)(nl - tab - 1), tab + 1);
		else
			fprintf(f, "  %.*s  %.*s\n", (int)(tab - p), p, (int)(nl - tab - 1), tab + 1);
		p = *nl ? nl + 1 : nl;
	}
}

void
cmd_help(const struct cmd *c, FILE *f)
{
	const struct opt *o;
	char left[96];
	int w = 10;

	for (o = c->opts; o && o->name; o++) {
		opt_label(o, left, sizeof left);
		if ((int)strlen(left) > w)
			w = (int)strlen(left);
	}
	fprintf(f, "usage: sloproof %s %s\n\n%s\n", c->name, c->usage, c->description);
	fprintf(f, "\noptions:\n");
	for (o = c->opts; o && o->name; o++) {
		opt_label(o, left, sizeof left);
		fprintf(f, "  %-*s  %s\n", w, left, o->help);
	}
	fprintf(f, "  %-*s  %s\n", w, "-h, --help", "show this help");
	if (c->examples)
		fprintf(f, "\nexamples:\n%s", c->examples);
	print_exits(f, c->exits ? c->exits : exit_generic);
}

static int
cmd_helpcmd(int argc, char **argv)
{
	const struct cmd *const *cmds;
	struct opts_state st;
	const char *arg;
	size_t i, n;
	int key, r, man = 0;

	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_help_spec, &key, &arg)) == 1) {
		if (key == 'h') {
			cmd_help(&cmd_help_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		}
		if (key == 256)
			man = 1;
	}
	if (r == -1) {
		opts_release(&st);
		return EXIT_USAGE;
	}
	if (st.npos > 1 || (man && st.npos > 0)) {
		opts_release(&st);
		return cmd_usage_error(&cmd_help_spec, "name one command, or --man alone");
	}
	if (man) {
		opts_release(&st);
		cmd_man(stdout, SLOPROOF_VERSION);
		return EXIT_MET;
	}
	if (st.npos == 0) {
		opts_release(&st);
		cmd_list(stdout);
		return EXIT_MET;
	}
	cmds = cmd_all(&n);
	for (i = 0; i < n; i++)
		if (strcmp(cmds[i]->name, st.pos[0]) == 0) {
			opts_release(&st);
			cmd_help(cmds[i], stdout);
			return EXIT_MET;
		}
	r = cmd_unknown_command(st.pos[0]);
	opts_release(&st);
	return r;
}

/* ---- the man page ---- */

#define ROFF_WIDTH 78	/* text lines stay under mandoc's 80-byte style limit */

/*
 * Writes s (n bytes) as roff text: backslashes and hyphens escaped, `'`
 * and `.` made harmless at a line start, and long lines broken at spaces
 * (in filled text a newline is a space). col tracks the output column.
 */
static int roff_nofill;	/* inside .nf: a newline would be a line break */

static void
roff_text(FILE *f, const char *s, size_t n, int *col)
{
	size_t i, w;

	for (i = 0; i < n;) {
		if (s[i] == ' ' && !roff_nofill) {
			/* Break before a word that would pass the width. */
			for (w = i + 1; w < n && s[w] != ' '; w++)
				;
			if (*col > 0 && *col + (int)(w - i) * 2 > ROFF_WIDTH) {
				fputc('\n', f);
				*col = 0;
				while (i < n && s[i] == ' ')
					i++;
				continue;
			}
		}
		if (*col == 0 && (s[i] == '.' || s[i] == '\'' || (s[i] == ' ' && !roff_nofill))) {
			fputs("\\&", f);
			*col += 2;
		}
		if (s[i] == '\\') {
			fputs("\\e", f);
			*col += 2;
		} else if (s[i] == '-') {
			fputs("\\-", f);
			*col += 2;
		} else {
			fputc(s[i], f);
			(*col)++;
		}
		i++;
	}
}

static void
roff_line(FILE *f, const char *s, size_t n)
{
	int col = 0;

	roff_text(f, s, n, &col);
	fputc('\n', f);
}

static void
roff_str(FILE *f, const char *s)
{
	roff_line(f, s, strlen(s));
}

/*
 * A usage line in man(7) notation: options and literal words bold,
 * placeholders (upper case) italic, [ ] | ... roman.
 */
static void
roff_usage(FILE *f, const char *u)
{
	const char *p = u, *e;
	int col = 0;

	while (*p) {
		if (*p == ' ') {
			/* Break before a word that would pass the width (escapes count double). */
			for (e = p + 1; *e && *e != ' '; e++)
				;
			if (col + (int)(e - p) * 2 + 6 > ROFF_WIDTH) {
				fputc('\n', f);
				col = 0;
			} else {
				fputc(' ', f);
				col++;
			}
			p++;
			continue;
		}
		if (strchr("[]|", *p)) {
			fputc(*p, f);
			col++;
			p++;
			continue;
		}
		if (strncmp(p, "...", 3) == 0) {
			fputs("\\&...", f);
			col += 5;
			p += 3;
			continue;
		}
		for (e = p; *e && !strchr(" []|", *e) && strncmp(e, "...", 3) != 0; e++)
			;
		{
			int upper = p[0] >= 'A' && p[0] <= 'Z';

			fputs(upper ? "\\fI" : "\\fB", f);
			col += 3;
			roff_text(f, p, (size_t)(e - p), &col);
			fputs("\\fR", f);
			col += 3;
		}
		p = e;
	}
	fputc('\n', f);
}

/* The byte length of the line at s (without its newline). */
static size_t
line_len(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? (size_t)(nl - s) : strlen(s);
}

static size_t
lead(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] == ' '; i++)
		;
	return i;
}

/* In "  TERM  text", the offset of the gap of two spaces after TERM, or 0. */
static size_t
term_gap(const char *s, size_t n)
{
	size_t i;

	for (i = lead(s, n); i + 1 < n; i++)
		if (s[i] == ' ' && s[i + 1] == ' ')
			return i;
	return 0;
}

/*
 * A description: paragraphs (blank lines) become .PP; a block of lines
 * indented by two spaces becomes a tagged list when its first line reads
 * "  TERM  text" (deeper lines continue the text), else a literal block.
 */
static void
roff_description(FILE *f, const char *d)
{
	const char *p = d;
	size_t n, g, k;
	int col;

	while (*p) {
		n = line_len(p);
		if (n == 0) {
			p += 1;
			if (*p && *p != '\n')
				fputs(".PP\n", f);
			continue;
		}
		if (lead(p, n) >= 2 && term_gap(p, n) > 0) {
			fputs(".RS 2\n", f);
			while (*p && (n = line_len(p)) > 0 && lead(p, n) >= 2) {
				if (lead(p, n) == 2) {
					g = term_gap(p, n);
					fputs(".TP\n.B ", f);
					roff_line(f, p + 2, (g ? g : n) - 2);
					if (g) {
						k = lead(p + g, n - g);
						roff_line(f, p + g + k, n - g - k);
					}
				} else {
					k = lead(p, n);
					roff_line(f, p + k, n - k);
				}
				p += n + (p[n] == '\n');
			}
			fputs(".RE\n", f);
			continue;
		}
		if (lead(p, n) >= 2) {
			fputs(".RS 2\n.nf\n", f);
			roff_nofill = 1;
			while (*p && (n = line_len(p)) > 0 && lead(p, n) >= 2) {
				col = 0;
				roff_text(f, p + 2, n - 2, &col);
				fputc('\n', f);
				p += n + (p[n] == '\n');
			}
			roff_nofill = 0;
			fputs(".fi\n.RE\n", f);
			continue;
		}
		roff_line(f, p, n);
		p += n + (p[n] == '\n');
	}
}

static void
roff_exits(FILE *f, const char *exits)
{
	const char *p = exits, *tab;
	size_t n;

	while (*p) {
		n = line_len(p);
		tab = memchr(p, '\t', n);
		if (tab) {
			/* "\tmore" continues the line before. */
			if (tab > p) {
				fputs(".TP\n", f);
				roff_line(f, p, (size_t)(tab - p));
			}
			roff_line(f, tab + 1, n - (size_t)(tab - p) - 1);
		}
		p += n + (p[n] == '\n');
	}
}

void
cmd_man(FILE *f, const char *version)
{
	const struct cmd *const *cmds;
	const struct opt *o;
	char left[96];
	size_t i, n;

	cmds = cmd_all(&n);
	fprintf(f, ".\\\" generated by `sloproof help --man` from the command tables; do not edit\n");
	/* A fixed date keeps the page reproducible; it changes with the version. */
	fprintf(f, ".TH SLOPROOF 1 2026-12-04 \"sloproof %s\" \"User Commands\"\n", version);
	fputs(".SH NAME\nsloproof \\- prove SLOs from load\\-test and chaos\\-drill evidence\n", f);
	fputs(".SH SYNOPSIS\n", f);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(".br\n", f);
		fprintf(f, ".B sloproof %s\n", cmds[i]->name);
		roff_usage(f, cmds[i]->usage);
	}
	fputs(".SH DESCRIPTION\n", f);
	roff_str(f, "sloproof reads what k6, Grafana, Alertmanager, kubectl and Prometheus "
	    "write, checks it against SLO rules (recovery, time to alert and time to scale "
	    "included), draws the charts, and writes dated, checksummed report bundles.");
	fputs(".PP\n", f);
	roff_str(f, "Your first drill from your own files takes three steps:");
	fputs(".PP\n.RS 2\n.nf\n", f);
	roff_nofill = 1;
	roff_str(f, "sloproof init drills/my-drill k6-summary.json latency.csv alerts.json");
	roff_str(f, "$EDITOR drills/my-drill/drill.yaml   # the fault's start: and end:");
	roff_str(f, "sloproof bundle drills/my-drill/drill.yaml");
	roff_nofill = 0;
	fputs(".fi\n.RE\n", f);
	fputs(".PP\n", f);
	roff_str(f, "In the synopses below, bold words are typed as they are, italic words are "
	    "placeholders, brackets mark what may be left out, a vertical bar separates "
	    "alternatives and an ellipsis marks what may be repeated.");
	fputs(".SH COMMANDS\n", f);
	for (i = 0; i < n; i++) {
		fprintf(f, ".SS %s\n", cmds[i]->name);
		fprintf(f, ".B sloproof %s\n", cmds[i]->name);
		roff_usage(f, cmds[i]->usage);
		fputs(".PP\n", f);
		roff_description(f, cmds[i]->description);
		for (o = cmds[i]->opts; o && o->name; o++) {
			opt_label(o, left, sizeof left);
			fputs(".TP\n.B ", f);
			roff_str(f, left + (left[0] == ' ' ? 4 : 0));
			roff_str(f, o->help);
		}
		if (cmds[i]->examples) {
			const char *p = cmds[i]->examples;
			size_t k;

			fputs(".PP\nExamples:\n.RS 2\n.nf\n", f);
			roff_nofill = 1;
			while (*p) {
				size_t m = line_len(p);
				int col = 0;

				k = lead(p, m) < 2 ? lead(p, m) : 2;
				roff_text(f, p + k, m - k, &col);
				fputc('\n', f);
				p += m + (p[m] == '\n');
			}
			roff_nofill = 0;
			fputs(".fi\n.RE\n", f);
		}
		fputs(".PP\nExit status:\n.RS 2\n", f);
		roff_exits(f, cmds[i]->exits ? cmds[i]->exits : exit_generic);
		fputs(".RE\n", f);
	}
	fputs(".SH EXIT STATUS\n", f);
	roff_str(f, "Each command above lists its own. The commands that gate on SLOs (check, "
	    "bundle) use:");
	roff_exits(f, exit_generic);
	fputs(".SH ENVIRONMENT\n", f);
	fputs(".TP\nSOURCE_DATE_EPOCH\n", f);
	roff_str(f, "the time recorded in bundles; with it, the same inputs give "
	    "byte-identical bundles");
	fputs(".TP\nNO_COLOR\nno colours in the verdict table\n", f);
	fputs(".TP\nTZDIR\n", f);
	roff_str(f, "where time zone files are (default /usr/share/zoneinfo)");
	fputs(".SH FILES\n.TP\ndrill.yaml\n", f);
	roff_str(f, "what was rehearsed: title, date, time zone, faults, evidence, attachments "
	    "(sloproof init writes a first one)");
	fputs(".TP\nslo.yaml\n", f);
	roff_str(f, "the SLO rules a drill or check is held to");
	fputs(".TP\ndocs/demos/perf/DATE/SLUG/\n", f);
	roff_str(f, "the bundles, one folder per drill, with MANIFEST.sha256");
	fputs(".SH SEE ALSO\n", f);
	roff_str(f, "The documents installed with sloproof (share/doc/sloproof, or docs/ in "
	    "its source): slo.md (SLO rules), openslo.md (OpenSLO v1 in), drill.md (drill files), "
	    "formats.md (inputs), "
	    "json.md (summary.json), templates.md (templates).");
}
