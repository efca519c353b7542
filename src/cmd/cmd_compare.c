/*
 * cmd_compare.c — `sloproof compare BASE NEW` and `compare --baseline N
 * NEW`: two bundles (or the median of the last N of the same drill) side
 * by side; exit 1 when something regressed past the noise floor. Writes
 * --md and --json only after everything is rendered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cmd/cmd.h"
#include "util/termsafe.h"
#include "eval/baseline.h"
#include "eval/compare.h"
#include "util/diag.h"
#include "in/drill.h"
#include "util/fsio.h"
#include "in/in_bundle.h"
#include "out/out_compare.h"
#include "out/out_json.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/xalloc.h"

enum { OPT_BASELINE = 'b', OPT_NOISE = 'n', OPT_MD = 256, OPT_JSON, OPT_NO_COLOR };

static const struct opt compare_opts[] = {
	{"baseline", OPT_BASELINE, "N|auto", "compare against the median of the last N bundles of the same drill under NEW's ROOT; auto: the last 5 comparable ones"},
	{"noise", OPT_NOISE, "PCT", "changes up to this much are noise, not regressions (default 10%)"},
	{"md", OPT_MD, "FILE", "also write the comparison as Markdown; - for stdout"},
	{"json", OPT_JSON, "FILE", "also write it as JSON (docs/json.md); - for stdout"},
	{"no-color", OPT_NO_COLOR, NULL, "no colours (also: NO_COLOR set, or not a terminal)"},
	{NULL, 0, NULL, NULL}
};

static int cmd_compare(int, char **);

const struct cmd cmd_compare_spec = {
	"compare", cmd_compare,
	"[--noise PCT] [--md FILE] [--json FILE] BASE NEW | --baseline N|auto NEW",
	"two bundles side by side: SLO and metric deltas, regressions flagged",
	"Reads the summary.json of two bundles and lines up every SLO (by name) and\n"
	"the key statistics of every metric (trends: p(95), p(99), avg; rates and\n"
	"counters: rate) with the base value, the new one, the delta, the change in\n"
	"percent and the direction that is worse.\n\n"
	"The worse direction comes from the SLO's rule (below: higher is worse; above:\n"
	"lower is worse); for a metric without an SLO, times are worse higher, rates\n"
	"named *failed* worse higher, checks worse lower, and counters are only shown.\n"
	"A change is a regression when it goes the worse way by more than the noise\n"
	"floor (load tests vary run to run) and by more than an absolute floor (1 ms\n"
	"for times, 0.1 percentage point for ratios, 1 kB for sizes), or when an SLO's\n"
	"verdict got worse (pass to warn or fail, warn to fail, anything to nodata).\n\n"
	"Bundles are alike when they are the same drill in the same environment, judged\n"
	"by the same SLO rules (their bytes, hashed), with the same faults and, where\n"
	"the evidence says, the same load shape (test duration, peak VUs, k6 scenario\n"
	"names). Comparing bundles that are not alike says so first, with the\n"
	"differences: a chaos drill against a baseline run shows the chaos.\n\n"
	"With --baseline N, NEW (ROOT/DATE/SLUG) is compared with the median of the N\n"
	"latest earlier bundles of the same drill under ROOT (SLUG, SLUG-2 ... on any\n"
	"earlier date, or earlier the same day). With --baseline auto, the median of\n"
	"the last 5 earlier bundles that are alike; it lists each bundle of the drill\n"
	"it picked or skipped, and why.",
	compare_opts,
	"  sloproof compare docs/demos/perf/2026-11-21/redis-outage \\\n"
	"      docs/demos/perf/2026-11-28/redis-outage\n"
	"  sloproof compare --noise 5% --md cmp.md OLD NEW\n"
	"  sloproof compare --baseline 3 docs/demos/perf/2026-11-28/redis-outage\n"
	"  sloproof compare --baseline auto \\\n"
	"      docs/demos/perf/2026-11-28/redis-outage\n",
	"0\tno regression\n"
	"1\ta regression: a change past the noise floor the worse way, or a worse verdict\n"
	"2\tusage error\n"
	"3\tnot a bundle, or an unreadable summary.json\n"
	"4\tsystem error (I/O, out of memory)\n",
};

/* "5%", "5" or "12.5 %" -> 0.05 ...; -1 when it is not a percentage from 0 to 1000. */
static int
parse_noise(const char *s, double *out)
{
	size_t n = strlen(s);
	double v;

	while (n > 0 && (s[n - 1] == '%' || s[n - 1] == ' '))
		n--;
	if (n == 0 || strnum_double(s, n, &v) == -1 || v < 0 || v > 1000)
		return -1;
	*out = v / 100;
	return 0;
}

/* ROOT of a bundle folder ROOT/DATE/SLUG, into dst ("." when the path is too short). */
static void
root_of(const char *dir, char *dst, size_t n)
{
	size_t len = strlen(dir);
	int up;

	for (up = 0; up < 2; up++) {
		while (len > 1 && dir[len - 1] == '/')
			len--;
		while (len > 0 && dir[len - 1] != '/')
			len--;
	}
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0)
		snprintf(dst, n, ".");
	else
		snprintf(dst, n, "%.*s", (int)len, dir);
}

/*
 * The last n bundles of cur's drill before it, oldest first, in *all (the
 * whole scan, which the caller frees) and base[]. The count found, or -1.
 */
static int
find_baseline(const char *newdir, const struct bsum *cur, long n, struct bsum **all, size_t *nall,
    const struct bsum **base)
{
	char root[4096], family[LIM_SLUG + 1];
	size_t i;
	long found = 0;

	root_of(newdir, root, sizeof root);
	drill_slug(cur->title, family, sizeof family);
	if (in_bundle_scan(root, NULL, cur->date, all, nall) == -1)
		return -1;
	/* The scan is in order, oldest first: walk back from the newest for the last n. */
	for (i = *nall; i-- > 0 && found < n;)
		if (bsum_same_family((*all)[i].slug, family) && bsum_cmp_order(&(*all)[i], cur) < 0)
			base[n - 1 - found++] = &(*all)[i];
	if (found > 0 && found < n)
		memmove(base, base + (n - found), (size_t)found * sizeof *base);
	if (found == 0) {
		diag_error(newdir, 0, 0, "no earlier bundle of the drill %s under %s to compare with",
		    diag_q(family, (size_t)-1), diag_q(root, (size_t)-1));
		return -1;
	}
	if (found < n)
		diag_warning(newdir, 0, 0, "only %ld earlier bundle%s of this drill; comparing with %s",
		    found, found == 1 ? "" : "s", found == 1 ? "it" : "their median");
	return (int)found;
}

#define AUTO_MAX 5

/*
 * --baseline auto: the last AUTO_MAX earlier bundles of cur's drill that
 * are alike, oldest first, into base; every earlier bundle of the drill
 * looked at is recorded in rep (picked or skipped, and why). The count
 * found, or -1 after a diagnostic.
 */
static int
find_auto(const char *newdir, const struct bsum *cur, struct bsum **all, size_t *nall,
    const struct bsum **base, struct cmp_report *rep)
{
	char root[4096], family[LIM_SLUG + 1], why[1024], label[600];
	const struct bsum *seen[LIM_BUNDLES];
	const char *whys[LIM_BUNDLES];
	int picked[LIM_BUNDLES];
	size_t i, nseen = 0, found = 0, nother = 0;

	root_of(newdir, root, sizeof root);
	drill_slug(cur->title, family, sizeof family);
	if (in_bundle_scan(root, NULL, cur->date, all, nall) == -1)
		return -1;
	for (i = *nall; i-- > 0;) {
		const struct bsum *b = &(*all)[i];

		if (bsum_cmp_order(b, cur) >= 0)
			continue;
		if (!bsum_same_family(b->slug, family)) {
			nother++;
			continue;
		}
		if (found == AUTO_MAX || nseen == LIM_BUNDLES)
			continue;
		picked[nseen] = baseline_alike(b, cur, why, sizeof why);
		whys[nseen] = picked[nseen] ? NULL : xstrdup(why);
		seen[nseen++] = b;
		if (picked[nseen - 1])
			base[found++] = b;
	}
	/* oldest first, as the scan was walked backwards */
	for (i = 0; i < found / 2; i++) {
		const struct bsum *t = base[i];

		base[i] = base[found - 1 - i];
		base[found - 1 - i] = t;
	}
	for (i = nseen; i-- > 0;) {
		snprintf(label, sizeof label, "%s/%s", seen[i]->date, seen[i]->slug);
		compare_add_pick(rep, label, picked[i], whys[i]);
		free((void *)whys[i]);
	}
	rep->nother = nother;
	if (found == 0) {
		for (i = 0; i < rep->npicks; i++)
			diag_warning(newdir, 0, 0, "skipped %s: %s", rep->picks[i].label,
			    rep->picks[i].why);
		diag_error(newdir, 0, 0, "no earlier bundle of the drill %s under %s is alike enough "
		    "to compare with", diag_q(family, (size_t)-1), diag_q(root, (size_t)-1));
		return -1;
	}
	return (int)found;
}

/* Sets rep's not-alike note when any base differs from cur in kind. */
static void
check_alike(struct cmp_report *rep, const struct bsum *const *base, size_t nbase,
    const struct bsum *cur)
{
	char why[1024], all[2048];
	size_t i, off = 0;

	all[0] = '\0';
	for (i = 0; i < nbase && off < sizeof all; i++) {
		if (baseline_alike(base[i], cur, why, sizeof why))
			continue;
		if (nbase > 1)
			off += (size_t)snprintf(all + off, sizeof all - off, "%s%s/%s: %s",
			    off ? "; " : "", base[i]->date, base[i]->slug, why);
		else
			off += (size_t)snprintf(all + off, sizeof all - off, "%s", why);
	}
	if (all[0])
		compare_set_not_alike(rep, all);
}

static int
cmd_compare(int argc, char **argv)
{
	struct opts_state st;
	struct bsum cur, one, *all = NULL;
	const struct bsum **base = NULL;
	struct cmp_report rep;
	struct buf text, md, json;
	const char *md_path = NULL, *json_path = NULL, *arg;
	size_t nall = 0, i;
	long baseline = 0;
	long long v;
	double noise = 0.10;
	int key, r, no_color = 0, nbase = 0, status = EXIT_MET, have_rep = 0, autobase = 0;
	struct cmp_report picks;

	memset(&cur, 0, sizeof cur);
	memset(&one, 0, sizeof one);
	memset(&picks, 0, sizeof picks);
	arena_init(&picks.arena);
	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_compare_spec, &key, &arg)) == 1) {
		switch (key) {
		case 'h':
			cmd_help(&cmd_compare_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		case OPT_BASELINE:
			if (strcmp(arg, "auto") == 0) {
				baseline = AUTO_MAX;
				autobase = 1;
				break;
			}
			if (strnum_ll(arg, strlen(arg), &v) == -1 || v < 1 || v > LIM_BUNDLES) {
				opts_release(&st);
				return cmd_usage_error(&cmd_compare_spec,
				    "--baseline %s: expected a count of bundles from 1 to %d", arg, LIM_BUNDLES);
			}
			baseline = (long)v;
			break;
		case OPT_NOISE:
			if (parse_noise(arg, &noise) == -1) {
				opts_release(&st);
				return cmd_usage_error(&cmd_compare_spec,
				    "--noise %s: expected a percentage like 10%% or 5", arg);
			}
			break;
		case OPT_MD:
			md_path = arg;
			break;
		case OPT_JSON:
			json_path = arg;
			break;
		case OPT_NO_COLOR:
			no_color = 1;
			break;
		}
	}
	if (r == -1) {
		opts_release(&st);
		return EXIT_USAGE;
	}
	if (st.npos != (baseline ? 1 : 2)) {
		opts_release(&st);
		return cmd_usage_error(&cmd_compare_spec, baseline ?
		    "with --baseline, name only the new bundle" : "name two bundles: BASE and NEW");
	}
	if (md_path && json_path && strcmp(md_path, "-") == 0 && strcmp(json_path, "-") == 0) {
		opts_release(&st);
		return cmd_usage_error(&cmd_compare_spec, "--md and --json cannot both be -");
	}
	buf_init(&text, 1u << 24);
	buf_init(&md, 1u << 24);
	buf_init(&json, 1u << 26);
	if (in_bundle_read(&cur, st.pos[baseline ? 0 : 1]) == -1) {
		status = cmd_error_status();
		goto out;
	}
	base = xcalloc((size_t)(baseline ? baseline : 1) + 1, sizeof *base);
	if (autobase) {
		nbase = find_auto(st.pos[0], &cur, &all, &nall, base, &picks);
		if (nbase == -1) {
			status = cmd_error_status();
			goto out;
		}
	} else if (baseline) {
		if ((nbase = find_baseline(st.pos[0], &cur, baseline, &all, &nall, base)) == -1) {
			status = cmd_error_status();
			goto out;
		}
	} else {
		if (in_bundle_read(&one, st.pos[0]) == -1) {
			status = cmd_error_status();
			goto out;
		}
		base[0] = &one;
		nbase = 1;
	}
	compare_bundles(base, (size_t)nbase, &cur, noise, &rep);
	have_rep = 1;
	if (!autobase)
		check_alike(&rep, base, (size_t)nbase, &cur);
	for (i = 0; i < picks.npicks; i++)
		compare_add_pick(&rep, picks.picks[i].label, picks.picks[i].picked, picks.picks[i].why);
	rep.nother = picks.nother;
	if (out_compare_text(&text, &rep, cmd_color(no_color)) == -1 ||
	    (md_path && out_compare_md(&md, &rep) == -1) ||
	    (json_path && out_json_compare(&rep, &json) == -1)) {
		diag_syserr(NULL, "output too large");
		status = EXIT_SYSTEM;
		goto out;
	}
	if ((md_path && cmd_write_output(md_path, &md) == -1) ||
	    (json_path && cmd_write_output(json_path, &json) == -1)) {
		status = EXIT_SYSTEM;
		goto out;
	}
	if (!(md_path && strcmp(md_path, "-") == 0) && !(json_path && strcmp(json_path, "-") == 0))
		term_fwrite(stdout, buf_str(&text), text.len, 1);
	status = rep.nregressions ? EXIT_SLO : EXIT_MET;
out:
	compare_release(&picks);
	if (have_rep)
		compare_release(&rep);
	free(base);
	in_bundle_free_list(all, nall);
	in_bundle_release(&one);
	in_bundle_release(&cur);
	buf_release(&text);
	buf_release(&md);
	buf_release(&json);
	opts_release(&st);
	return status;
}
