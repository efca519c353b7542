/*
 * cmd_digest.c — `sloproof digest --since DATE [--until DATE] [ROOT]`:
 * the weekly status update from every bundle in a date range, as
 * Markdown on stdout or in one file written atomically. A digest reports:
 * failed drills do not change the exit status.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cmd/cmd.h"
#include "util/diag.h"
#include "jobs/digest.h"
#include "util/fsio.h"
#include "in/in_bundle.h"
#include "util/splimits.h"
#include "util/timeutil.h"

enum { OPT_SINCE = 's', OPT_UNTIL = 'u', OPT_OUT = 'o', OPT_TEMPLATES = 256 };

static const struct opt digest_opts[] = {
	{"since", OPT_SINCE, "YYYY-MM-DD", "the first day to include (required)"},
	{"until", OPT_UNTIL, "YYYY-MM-DD", "the last day to include (default: no end)"},
	{"out", OPT_OUT, "FILE", "write the digest to FILE (replaced in one step) instead of stdout"},
	{"templates", OPT_TEMPLATES, "DIR", "take digest.md from DIR if it is there"},
	{NULL, 0, NULL, NULL}
};

static int cmd_digest(int, char **);

const struct cmd cmd_digest_spec = {
	"digest", cmd_digest,
	"--since YYYY-MM-DD [--until YYYY-MM-DD] [--out FILE] [ROOT]",
	"the weekly status update from every bundle in a date range",
	"Reads the summary.json of every bundle under ROOT (default docs/demos/perf)\n"
	"whose date folder lies between --since and --until, both included, and\n"
	"writes one Markdown document (docs/digest.md): a summary paragraph, a table\n"
	"of the drills and their verdicts, the SLOs that failed or warned with the\n"
	"observed value and the limit, recovery-time trends (rules of kind recovers),\n"
	"and the follow-ups of all drills.\n\n"
	"Links to each report.md are relative to the --out file, or to ROOT when the\n"
	"digest goes to stdout. A bundle that cannot be read is a warning and left\n"
	"out.",
	digest_opts,
	"  sloproof digest --since 2026-11-23\n"
	"  sloproof digest --since 2026-11-23 --until 2026-11-29 \\\n"
	"      --out docs/status/week-48.md\n",
	"0\tthe digest was written (also when drills failed: a digest reports them)\n"
	"2\tusage error\n"
	"3\ta bad date or an unreadable ROOT\n"
	"4\tsystem error: the output cannot be written\n",
};

/* The directory part of path ("." when none). */
static void
dir_of(const char *path, char *dst, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dst, n, ".");
	else if (slash == path)
		snprintf(dst, n, "/");
	else
		snprintf(dst, n, "%.*s", (int)(slash - path), path);
}

/*
 * The path from directory `from` to directory `to`, both canonical
 * (realpath), with a trailing '/' unless empty: "../perf/", "".
 */
static int
relative(const char *from, const char *to, char *dst, size_t n)
{
	size_t i = 0, common = 0, off = 0;
	const char *p;

	/* The longest common prefix ending at a component boundary. */
	while (from[i] && from[i] == to[i]) {
		i++;
		if ((from[i] == '/' || from[i] == '\0') && (to[i] == '/' || to[i] == '\0'))
			common = i;
	}
	if (strcmp(from, "/") == 0)
		common = 0;
	dst[0] = '\0';
	for (p = from + common; *p; p++)
		if (*p == '/') {
			if (off + 4 > n)
				return -1;
			memcpy(dst + off, "../", 4);
			off += 3;
		}
	p = to + common;
	if (*p == '/')
		p++;
	if (*p) {
		size_t l = strlen(p);

		if (off + l + 2 > n)
			return -1;
		memcpy(dst + off, p, l);
		off += l;
		dst[off++] = '/';
		dst[off] = '\0';
	}
	return 0;
}

static int
check_date(const char *opt, const char *s)
{
	int64_t ms;

	if (time_parse_date(s, strlen(s), &ms) == -1) {
		diag_error(NULL, 0, 0, "%s: bad date %s; expected YYYY-MM-DD", opt, diag_q(s, (size_t)-1));
		return -1;
	}
	return 0;
}

static int
cmd_digest(int argc, char **argv)
{
	struct opts_state st;
	struct digest_opts o;
	struct bsum *b = NULL;
	struct buf out;
	const char *arg, *root = "docs/demos/perf", *outpath = NULL;
	char prefix[8192], dir[4096], from[PATH_MAX], to[PATH_MAX];
	size_t n = 0;
	int key, r, status = EXIT_MET;

	memset(&o, 0, sizeof o);
	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_digest_spec, &key, &arg)) == 1) {
		switch (key) {
		case 'h':
			cmd_help(&cmd_digest_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		case OPT_SINCE:
			o.since = arg;
			break;
		case OPT_UNTIL:
			o.until = arg;
			break;
		case OPT_OUT:
			outpath = arg;
			break;
		case OPT_TEMPLATES:
			o.templates = arg;
			break;
		}
	}
	if (r == -1) {
		opts_release(&st);
		return EXIT_USAGE;
	}
	if (o.since == NULL || st.npos > 1) {
		opts_release(&st);
		return cmd_usage_error(&cmd_digest_spec, o.since == NULL ?
		    "no --since; say from which day, like --since 2026-11-23" : "one ROOT folder at a time");
	}
	if (st.npos == 1)
		root = st.pos[0];
	if (check_date("--since", o.since) == -1 || (o.until && check_date("--until", o.until) == -1)) {
		opts_release(&st);
		return EXIT_INPUT;
	}
	if (o.until && strcmp(o.until, o.since) < 0) {
		diag_error(NULL, 0, 0, "--until %s is before --since %s", o.until, o.since);
		opts_release(&st);
		return EXIT_INPUT;
	}
	o.link_prefix = "";
	if (outpath) {
		/* Links from where the file will be to each bundle: both paths made canonical. */
		dir_of(outpath, dir, sizeof dir);
		if (realpath(dir, from) == NULL) {
			diag_syserr(dir, "cannot find the folder for --out: %s", strerror(errno));
			opts_release(&st);
			return EXIT_SYSTEM;
		}
		if (realpath(root, to) == NULL) {
			diag_error(root, 0, 0, "cannot read the bundle folder: %s", strerror(errno));
			opts_release(&st);
			return EXIT_INPUT;
		}
		if (relative(from, to, prefix, sizeof prefix) == -1) {
			diag_error(root, 0, 0, "the path from --out to ROOT is too long");
			opts_release(&st);
			return EXIT_INPUT;
		}
		o.link_prefix = prefix;
		o.links_from_file = 1;
	}
	if (in_bundle_scan(root, o.since, o.until, &b, &n) == -1) {
		opts_release(&st);
		return cmd_error_status();
	}
	buf_init(&out, LIM_INPUT_BYTES);
	if (digest_render(b, n, &o, &out) == -1)
		status = cmd_error_status();
	else if (outpath && fsio_write_replace(outpath, buf_str(&out), out.len) == -1)
		status = EXIT_SYSTEM;
	else if (outpath == NULL)
		fwrite(buf_str(&out), 1, out.len, stdout);
	buf_release(&out);
	in_bundle_free_list(b, n);
	opts_release(&st);
	return status;
}
