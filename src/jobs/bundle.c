/*
 * bundle.c — the main job: drill file in, bundle out. Imports, evaluates,
 * renders every document in memory, and only then writes, into a hidden
 * temporary directory beside the target that one rename makes visible.
 * Owns the temporary directory until the rename (and removes it on any
 * error, at exit, or on the next run if a kill left it behind). Depends
 * on drill, import, eval, report, tmpl, out_json, out_junit, fsio.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "jobs/bundle.h"
#include "util/diag.h"
#include "in/drill.h"
#include "eval/eval.h"
#include "norm/normalize.h"
#include "util/fsio.h"
#include "in/import.h"
#include "in/in_bundle.h"
#include "out/out_json.h"
#include "out/out_junit.h"
#include "out/out_prom.h"
#include "out/out_annot.h"
#include "out/out_ctrf.h"
#include "out/out_table.h"
#include "out/report.h"
#include "model/run.h"
#include "util/sha256.h"
#include "in/slo.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "out/tmpl.h"
#include "util/xalloc.h"

#define TMP_PREFIX ".sloproof-tmp-"

/* Plain evidence this large is stored zstd-compressed; SLOPROOF_TEST_ZSTD_MIN lowers it for tests. */
static size_t
zstd_min(void)
{
	const char *e = getenv("SLOPROOF_TEST_ZSTD_MIN");
	long long v;

	if (e && strnum_ll(e, strlen(e), &v) == 0 && v >= 0)
		return (size_t)v;
	return 1024 * 1024;
}

static char tmpdir[4096];	/* the bundle being written; "" when none */
static volatile sig_atomic_t interrupted;

static void
cleanup(void)
{
	if (tmpdir[0]) {
		fsio_rmtree(tmpdir);
		tmpdir[0] = '\0';
	}
}

static void
on_signal(int sig)
{
	interrupted = sig;
}

static int
isalnum_ascii(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * a/b into dst. Every part of a bundle path is bounded (root by
 * bundle_make, names by safe_name and drill_slug), so this never cuts;
 * if it would, it cuts rather than overflow.
 */
static void
join(char *dst, size_t n, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > n - 2)
		la = n - 2;
	if (lb > n - la - 2)
		lb = n - la - 2;
	memmove(dst, a, la);
	dst[la] = '/';
	memcpy(dst + la + 1, b, lb);
	dst[la + 1 + lb] = '\0';
}

static int
is_image(const char *name)
{
	static const char *const ext[] = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", NULL};
	size_t i, n = strlen(name), e;

	for (i = 0; ext[i]; i++) {
		e = strlen(ext[i]);
		if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/*
 * A file name safe in any bundle: the basename, bytes outside
 * [A-Za-z0-9._-] replaced by '_', no leading dot, bounded; unique within
 * taken[] by a -2, -3 ... before the extension.
 */
static char *
safe_name(struct arena *a, const char *path, char **taken, size_t ntaken)
{
	const char *base = strrchr(path, '/');
	char name[128], cand[160], *dot;
	size_t i, j = 0;
	int k, clash;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && j < 100; i++) {
		unsigned char c = (unsigned char)base[i];

		name[j++] = (c < 0x80 && (isalnum_ascii(c) || c == '.' || c == '-' || c == '_')) ?
		    (char)c : '_';
	}
	name[j] = '\0';
	for (i = 0; name[i] == '.'; i++)
		name[i] = '_';
	if (j == 0)
		snprintf(name, sizeof name, "input");
	for (k = 1; ; k++) {
		if (k == 1) {
			snprintf(cand, sizeof cand, "%s", name);
		} else {
			dot = strrchr(name, '.');
			if (dot && dot != name)
				snprintf(cand, sizeof cand, "%.*s-%d%s", (int)(dot - name), name, k, dot);
			else
				snprintf(cand, sizeof cand, "%s-%d", name, k);
		}
		for (i = 0, clash = 0; i < ntaken && !clash; i++)
			clash = strcmp(taken[i], cand) == 0;
		if (!clash)
			return arena_strdup(a, cand);
	}
}

static int
pick_date(const struct drill *d, const struct run *run, const struct bundle_opts *o,
    int64_t generated_at, char out[11])
{
	int64_t ms = 0, t;
	size_t i;
	int have = 0;

	if (o->date) {
		if (time_parse_date(o->date, strlen(o->date), &t) == -1) {
			diag_error(NULL, 0, 0, "--date: bad date %s; expected YYYY-MM-DD",
			    diag_q(o->date, (size_t)-1));
			return -1;
		}
		ms = t;
		have = 1;
	} else if (d->have_date) {
		ms = d->date;
		have = 1;
	}
	/* Else the UTC date of the first evidence: a fault's start, or a file's own time. */
	for (i = 0; !have && i < d->nfaults; i++)
		if (i == 0 || d->faults[i].start < ms)
			ms = d->faults[i].start;
	have = have || d->nfaults > 0;
	for (i = 0; !have && i < run->nsources; i++)
		if (run->sources[i].have_generated_at) {
			ms = run->sources[i].generated_at;
			have = 1;
		}
	if (!have)
		ms = generated_at;
	time_fmt_date(ms, out, 11);
	return 0;
}

static int
generated_time(int64_t *ms)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long v;

	if (sde && *sde) {
		if (strnum_ll(sde, strlen(sde), &v) == -1 || v < 0) {
			diag_error(NULL, 0, 0, "SOURCE_DATE_EPOCH: bad value %s; expected seconds since 1970",
			    diag_q(sde, (size_t)-1));
			return -1;
		}
		*ms = v * 1000;
		return 0;
	}
	*ms = (int64_t)time(NULL) * 1000;
	return 0;
}

/* Removes temporary directories that a killed run left behind. */
static void
sweep_stale(const char *datedir)
{
	DIR *dir;
	struct dirent *de;
	char path[4096];
	long pid;

	if ((dir = opendir(datedir)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
			continue;
		pid = strtol(de->d_name + strlen(TMP_PREFIX), NULL, 10);
		if (pid <= 0 || (kill((pid_t)pid, 0) == -1 && errno == ESRCH)) {
			join(path, sizeof path, datedir, de->d_name);
			diag_warning(path, 0, 0, "removing what an interrupted run left behind");
			fsio_rmtree(path);
		}
	}
	closedir(dir);
}

struct outfile {
	const char	*name;
	struct buf	 data;
};

/* Threads for compressing evidence: every core (the reading thread mostly waits). */
static int
ncores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int
write_all_files(const char *dir, struct outfile *files, size_t nfiles,
    struct report_file *copies, size_t ncopies)
{
	char path[4096];
	size_t i;

	for (i = 0; i < nfiles; i++) {
		join(path, sizeof path, dir, files[i].name);
		if (fsio_write(path, buf_str(&files[i].data), files[i].data.len) == -1)
			return -1;
		if (interrupted)
			return -1;
	}
	for (i = 0; i < ncopies; i++) {
		join(path, sizeof path, dir, copies[i].name);
		if ((copies[i].zstd ? fsio_copy_zstd(copies[i].src, path, 3, ncores()) :
		    fsio_copy(copies[i].src, path)) == -1)
			return -1;
		if (interrupted)
			return -1;
	}
	return 0;
}

static int
render_template(const struct bundle_opts *o, const char *name, const char *const *keys,
    const struct tval *model, struct buf *out)
{
	struct tmpl *t;
	int rc;

	size_t n = strlen(name);
	enum tmpl_format fmt = n > 5 && strcmp(name + n - 5, ".html") == 0 ? TMPL_HTML :
	    n > 3 && strcmp(name + n - 3, ".md") == 0 ? TMPL_MARKDOWN : TMPL_TEXT;

	if (tmpl_load(&t, o->templates, name, fmt) == -1)
		return -1;
	rc = tmpl_check(t, keys);
	if (rc == 0 && tmpl_render(t, model, out) == -1) {
		diag_syserr(name, "rendered document is too large");
		rc = -1;
	}
	tmpl_free(t);
	return rc;
}

/*
 * The files other systems read (docs/formats.md): results.prom for a
 * Pushgateway, results.om.txt for promtool's backfill, annotations.json
 * for Grafana, ctrf.json for CI test-report actions.
 */
static int
render_interop(const struct report *rep, const struct path_map *map, struct outfile *files,
    size_t *nfiles)
{
	static const struct {
		const char		*name;
		enum prom_format	 fmt;
	} prom[] = { { "results.prom", PROM_TEXT }, { "results.om.txt", PROM_OPENMETRICS } };
	size_t i;

	for (i = 0; i < sizeof prom / sizeof prom[0]; i++) {
		files[*nfiles].name = prom[i].name;
		buf_init(&files[*nfiles].data, LIM_INPUT_BYTES);
		if (out_prom(rep, prom[i].fmt, &files[(*nfiles)++].data) == -1)
			return -1;
	}
	files[*nfiles].name = "annotations.json";
	buf_init(&files[*nfiles].data, LIM_INPUT_BYTES);
	if (out_annotations(rep, &files[(*nfiles)++].data) == -1)
		return -1;
	files[*nfiles].name = "ctrf.json";
	buf_init(&files[*nfiles].data, LIM_INPUT_BYTES);
	return out_ctrf(rep->verdicts, rep->run, rep->drill->title, rep->have_generated_at,
	    rep->generated_at, map, &files[(*nfiles)++].data);
}

/* ROOT/<date>/index.md from the summary.json of every bundle of that day. */
static int
write_index(const struct bundle_opts *o, const char *datedir, const char *date)
{
	struct bundle_meta *metas = NULL;
	struct tctx tc;
	struct tval *root, *list, *item;
	struct buf out;
	char path[4096];
	size_t n = 0, i;
	int rc = -1;

	if (in_bundle_scan_day(datedir, &metas, &n) == -1)
		return -1;
	tctx_init(&tc);
	root = tv_map(&tc);
	tv_set_str(&tc, root, "date", date);
	list = tv_set_list(&tc, root, "drills");
	for (i = 0; i < n; i++) {
		item = tv_push_map(&tc, list);
		tv_set_str(&tc, item, "title", metas[i].title);
		tv_set_str(&tc, item, "slug", metas[i].slug);
		tv_set_str(&tc, item, "verdict", metas[i].verdict);
		tv_set_str(&tc, item, "tally", metas[i].tally);
		tv_set_str(&tc, item, "environment", metas[i].environment);
		tv_set_bool(&tc, item, "ok", strcmp(metas[i].verdict, "fail") != 0);
	}
	buf_init(&out, LIM_INPUT_BYTES);
	if (render_template(o, "index.md", index_keys, root, &out) == 0) {
		join(path, sizeof path, datedir, "index.md");
		rc = fsio_write_replace(path, buf_str(&out), out.len);
	}
	buf_release(&out);
	tctx_release(&tc);
	in_bundle_free(metas, n);
	return rc;
}

int
bundle_make(const char *drill_path, const struct bundle_opts *o, struct buf *table,
    struct bundle_result *res)
{
	struct drill d;
	struct slo_set set;
	struct run run;
	struct verdicts vs = {NULL, 0};
	struct report rep;
	struct report_file *copies = NULL;
	struct report_chart *charts = NULL;
	size_t ncharts = 0;
	char **taken = NULL, **orig = NULL;
	struct outfile files[16 + LIM_SLO_FILES];
	struct tctx tc;
	struct tval *model;
	char *const *slo_paths;
	size_t nslo;
	char **slo_names = NULL;
	const char *root = o->root ? o->root : "docs/demos/perf";
	char datedir[4096], final[4096], base[LIM_SLUG + 1];
	size_t i, ncopies = 0, nfiles = 0, norig = 0;
	int64_t generated_at;
	int rc = -1, exists, suffix;
	static int registered;
	struct sigaction sa, old_int, old_term;

	memset(res, 0, sizeof *res);
	memset(&rep, 0, sizeof rep);
	memset(files, 0, sizeof files);
	if (strlen(root) > 2048) {
		diag_error(root, 0, 0, "the output folder's path is longer than 2048 bytes");
		return -1;
	}
	if (drill_load(&d, drill_path) == -1)
		return -1;
	if (drill_check_files(&d) == -1) {
		drill_release(&d);
		return -1;
	}
	if (o->nslo) {
		slo_paths = o->slo;
		nslo = o->nslo;
	} else {
		slo_paths = d.slo;
		nslo = d.nslo;
	}
	if (nslo == 0) {
		diag_error(drill_path, 0, 0, "no SLO rules: the drill has no `slo:` and no --slo was given");
		drill_release(&d);
		return -1;
	}
	if (slo_load_many(&set, slo_paths, nslo) == -1) {
		drill_release(&d);
		return -1;
	}
	run_init(&run);
	tctx_init(&tc);
	if (d.nevidence + (size_t)o->nextra == 0) {
		diag_error(drill_path, 0, 0, "no evidence: list the k6 summaries under `evidence:`");
		goto out;
	}
	orig = xcalloc(d.nevidence + (size_t)o->nextra + 1, sizeof *orig);
	run.faults = d.faults;
	run.nfaults = d.nfaults;
	for (i = 0; i < d.nevidence; i++) {
		struct import_opts io;

		memset(&io, 0, sizeof io);
		io.kind = d.evidence[i].kind;
		io.timezone = d.timezone;
		io.series = d.evidence[i].series;
		io.unit = d.evidence[i].unit;
		io.have_captured_at = d.evidence[i].have_captured_at;
		io.captured_at = d.evidence[i].captured_at;
		io.hash = 1;	/* a bundle's inputs are evidence: their checksums go in the report */
		if (import_file_opts(&run, &io, d.evidence[i].resolved, d.evidence[i].resolved) == -1)
			goto out;
		orig[norig++] = d.evidence[i].resolved;
	}
	for (i = 0; i < (size_t)o->nextra; i++) {
		struct import_opts io;

		memset(&io, 0, sizeof io);
		io.hash = 1;
		if (import_spec_opts(&run, &io, o->extra[i]) == -1)
			goto out;
		orig[norig++] = run.sources[run.nsources - 1].path;
	}
	/* Files copied as they are: evidence first, then attachments, all named safely and uniquely. */
	copies = xcalloc(norig + d.nattachments + 1, sizeof *copies);
	taken = xcalloc(norig + d.nattachments + 1, sizeof *taken);
	for (i = 0; i < norig; i++) {
		struct report_file *f = &copies[ncopies];
		char *n = safe_name(&run.arena, orig[i], taken, ncopies);
		size_t len = strlen(n) + 14;

		taken[ncopies] = n;
		f->name = arena_alloc(&run.arena, len);
		/*
		 * Large plain evidence (k6 raw output is gigabytes) is stored as zstd:
		 * a tenth of the size; MANIFEST.sha256 hashes the stored bytes, `zstd -d`
		 * gives back the input, and sloproof reads the .zst as it is.
		 */
		f->zstd = run.sources[i].gzipped == 0 && run.sources[i].size >= zstd_min();
		snprintf(f->name, len, "evidence/%s%s", n, f->zstd ? ".zst" : "");
		f->src = orig[i];
		f->size = run.sources[i].size;
		memcpy(f->sha256, run.sources[i].sha256, sizeof f->sha256);
		run.sources[i].path = f->name;
		ncopies++;
	}
	rep.attachments = &copies[ncopies];
	for (i = 0; i < d.nattachments; i++) {
		struct report_file *f = &copies[ncopies];
		struct buf b;
		char *n = safe_name(&run.arena, d.attachments[i].resolved, taken + norig, i);
		size_t len = strlen(n) + 14;

		taken[ncopies] = n;
		f->name = arena_alloc(&run.arena, len);
		snprintf(f->name, len, "attachments/%s", n);
		f->src = d.attachments[i].resolved;
		buf_init(&b, LIM_INPUT_BYTES);
		if (fsio_read(f->src, LIM_INPUT_BYTES, &b, NULL, f->sha256) == -1) {
			buf_release(&b);
			goto out;
		}
		buf_release(&b);
		{
			struct stat st;

			f->size = stat(f->src, &st) == 0 ? (size_t)st.st_size : 0;
		}
		f->is_image = is_image(n);
		ncopies++;
		rep.nattachments++;
	}
	if (normalize_run(&run) == -1 || eval_run(&run, &set, &vs) == -1)
		goto out;
	if (generated_time(&generated_at) == -1 ||
	    pick_date(&d, &run, o, generated_at, rep.date) == -1)
		goto out;
	drill_slug(d.title, base, sizeof base);
	rep.drill = &d;
	rep.root_name = root;
	rep.run = &run;
	rep.slo = &set;
	rep.verdicts = &vs;
	rep.have_generated_at = 1;
	rep.generated_at = generated_at;
	/* The rules go in as they were, at the top of the bundle, each under a unique name. */
	slo_names = xcalloc(nslo + 2, sizeof *slo_names);
	slo_names[0] = arena_strdup(&run.arena, "drill.yaml");
	for (i = 0; i < nslo; i++)
		slo_names[i + 1] = safe_name(&run.arena, slo_paths[i], slo_names, i + 1);
	rep.slo_names = (const char *const *)slo_names + 1;
	rep.nslo = nslo;
	snprintf(rep.slug, sizeof rep.slug, "%s", base);
	join(datedir, sizeof datedir, root, rep.date);

	/*
	 * Render everything now. The final slug (maybe with -N) appears in the
	 * documents, so find the first free one first; the rename below still
	 * refuses to replace anything that appears in between.
	 */
	for (suffix = 1; ; suffix++) {
		if (suffix > 1)
			snprintf(rep.slug, sizeof rep.slug, "%s-%d", base, suffix);
		join(final, sizeof final, datedir, rep.slug);
		if (!fsio_exists(final))
			break;
		if (o->no_suffix) {
			diag_error(final, 0, 0, "a bundle is already there and --no-suffix forbids %s-2",
			    base);
			goto out;
		}
		if (suffix >= LIM_SUFFIX) {
			diag_error(final, 0, 0, "%d bundles of this drill on one day; giving up", LIM_SUFFIX);
			goto out;
		}
	}
	if (report_charts(&rep, &charts, &ncharts) == -1)
		goto out;
	rep.charts = charts;
	rep.ncharts = ncharts;
	model = report_model(&tc, &rep);
	files[nfiles].name = "report.md";
	buf_init(&files[nfiles].data, LIM_INPUT_BYTES);
	if (render_template(o, "report.md", report_keys, model, &files[nfiles++].data) == -1)
		goto out;
	files[nfiles].name = "report.html";
	buf_init(&files[nfiles].data, LIM_INPUT_BYTES);
	if (render_template(o, "report.html", report_keys, model, &files[nfiles++].data) == -1)
		goto out;
	{
		static const char *const docs[] = {
			"timeline.md", "status-update.md", "release-log.md", "evidence.md", "review.md"
		};

		for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
			files[nfiles].name = docs[i];
			buf_init(&files[nfiles].data, LIM_INPUT_BYTES);
			if (render_template(o, docs[i], report_keys, model, &files[nfiles++].data) == -1)
				goto out;
		}
	}
	files[nfiles].name = "summary.json";
	buf_init(&files[nfiles].data, LIM_INPUT_BYTES);
	if (out_json_summary(&rep, &files[nfiles++].data) == -1)
		goto toolarge;
	files[nfiles].name = "junit.xml";
	buf_init(&files[nfiles].data, LIM_INPUT_BYTES);
	if (out_junit(&vs, &run, d.title, &files[nfiles++].data) == -1)
		goto toolarge;
	{
		struct path_map map = { slo_paths, rep.slo_names, nslo };

		if (render_interop(&rep, &map, files, &nfiles) == -1)
			goto out;
	}
	for (i = 0; i < nslo; i++) {
		files[nfiles].name = slo_names[i + 1];
		buf_init(&files[nfiles].data, LIM_RULES_BYTES);
		if (fsio_read(slo_paths[i], LIM_RULES_BYTES, &files[nfiles++].data, NULL, NULL) == -1)
			goto out;
	}
	files[nfiles].name = "drill.yaml";
	buf_init(&files[nfiles].data, LIM_RULES_BYTES);
	if (fsio_read(drill_path, LIM_RULES_BYTES, &files[nfiles++].data, NULL, NULL) == -1)
		goto out;

	/* Now write: temporary directory, files, manifest, one rename. */
	if (!registered) {
		atexit(cleanup);
		registered = 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (fsio_mkdirs(datedir) == -1)
		goto restore;
	sweep_stale(datedir);
	{
		char name[64];

		snprintf(name, sizeof name, TMP_PREFIX "%ld-XXXXXX", (long)getpid());
		join(tmpdir, sizeof tmpdir, datedir, name);
	}
	if (fsio_fault() != 0 || mkdtemp(tmpdir) == NULL) {
		diag_syserr(datedir, "cannot create a temporary directory: %s", strerror(errno ? errno : ENOSPC));
		tmpdir[0] = '\0';
		goto restore;
	}
	{
		char sub[4096];

		join(sub, sizeof sub, tmpdir, "evidence");
		if (fsio_mkdir(sub) == -1)
			goto restore;
		if (rep.nattachments) {
			join(sub, sizeof sub, tmpdir, "attachments");
			if (fsio_mkdir(sub) == -1)
				goto restore;
		}
	}
	if (write_all_files(tmpdir, files, nfiles, copies, ncopies) == -1)
		goto restore;
	if (ncharts) {
		char sub[4096], path[4096], name[128];
		static const char *const ext[] = {"png", "svg", "csv"};

		join(sub, sizeof sub, tmpdir, "charts");
		if (fsio_mkdir(sub) == -1)
			goto restore;
		for (i = 0; i < ncharts; i++) {
			const struct buf *b[3] = {&charts[i].png, &charts[i].svg, &charts[i].csv};
			size_t k;

			for (k = 0; k < 3; k++) {
				snprintf(name, sizeof name, "%s.%s", charts[i].name, ext[k]);
				join(path, sizeof path, sub, name);
				if (fsio_write(path, buf_str(b[k]), b[k]->len) == -1)
					goto restore;
			}
		}
	}
	{
		struct buf man;
		char path[4096];
		int r;

		buf_init(&man, LIM_INPUT_BYTES);
		r = bundle_manifest(tmpdir, &man);
		join(path, sizeof path, tmpdir, "MANIFEST.sha256");
		if (r == 0)
			r = fsio_write(path, buf_str(&man), man.len);
		buf_release(&man);
		if (r == -1 || fsio_fsync_dir(tmpdir) == -1)
			goto restore;
	}
	if (interrupted)
		goto restore;
	if (fsio_rename_noreplace(tmpdir, final, &exists) == -1) {
		/* The documents name the slug, so a race for it means starting over. */
		if (exists)
			diag_error(final, 0, 0, "a bundle appeared there while this one was "
			    "written; nothing was changed, run again");
		goto restore;
	}
	tmpdir[0] = '\0';
	if (fsio_fsync_dir(datedir) == -1)
		goto restore;
	snprintf(res->path, sizeof res->path, "%s", final);
	res->slo_ok = verdicts_ok(&vs);
	res->suffixed = suffix > 1;
	if (write_index(o, datedir, rep.date) == -1)
		goto restore;
	if (out_table(table, &vs, &run, o->color) == -1)
		goto toolarge_restore;
	rc = 0;
	goto restore;
toolarge_restore:
	diag_syserr(NULL, "verdict table too large");
restore:
	cleanup();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (interrupted) {
		diag_error(NULL, 0, 0, "interrupted; no bundle was written");
		signal(interrupted, SIG_DFL);
		raise(interrupted);
	}
	goto out;
toolarge:
	diag_syserr(NULL, "a rendered document is too large");
out:
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		buf_release(&files[i].data);
	free(copies);
	free(taken);
	free(orig);
	free(slo_names);
	report_charts_free(charts, ncharts);
	tctx_release(&tc);
	verdicts_release(&vs);
	run_release(&run);
	slo_release(&set);
	drill_release(&d);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir/rel, as paths relative to dir. Symlinks and other types are listed with a '!' prefix. */
static int
walk(const char *dir, const char *rel, char ***list, size_t *n, size_t *cap)
{
	char path[4096], child[4096];
	struct dirent *de;
	struct stat st;
	DIR *dp;

	if (*rel)
		join(path, sizeof path, dir, rel);
	else
		snprintf(path, sizeof path, "%s", dir);
	if ((dp = opendir(path)) == NULL) {
		diag_syserr(path, "cannot read directory: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*rel)
			join(child, sizeof child, rel, de->d_name);
		else
			snprintf(child, sizeof child, "%s", de->d_name);
		join(path, sizeof path, dir, child);
		if (lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (walk(dir, child, list, n, cap) == -1) {
				closedir(dp);
				return -1;
			}
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			*VEC_PUSH(*list, *n, *cap) = xstrdup(child);
		} else {
			char odd[4100];

			snprintf(odd, sizeof odd, "!%s", child);
			*VEC_PUSH(*list, *n, *cap) = xstrdup(odd);
		}
	}
	closedir(dp);
	return 0;
}

static void
free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static int
hash_file(const char *path, char hex[65])
{
	struct sha256 h;
	char chunk[65536];
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	sha256_init(&h);
	while ((r = read(fd, chunk, sizeof chunk)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			sha256_final(&h, hex);
			close(fd);
			return -1;
		}
		sha256_update(&h, chunk, (size_t)r);
	}
	close(fd);
	sha256_final(&h, hex);
	return 0;
}

int
bundle_manifest(const char *dir, struct buf *out)
{
	char **list = NULL, path[4096], hex[65];
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (walk(dir, "", &list, &n, &cap) == -1)
		return -1;
	qsort(list, n, sizeof *list, cmp_str);
	for (i = 0; i < n && rc == 0; i++) {
		if (strcmp(list[i], "MANIFEST.sha256") == 0)
			continue;
		join(path, sizeof path, dir, list[i]);
		if (list[i][0] == '!' || hash_file(path, hex) == -1) {
			diag_syserr(path, "cannot hash: %s", list[i][0] == '!' ?
			    "not a regular file" : strerror(errno));
			rc = -1;
		} else if (buf_printf(out, "%s  %s\n", hex, list[i]) == -1) {
			diag_syserr(dir, "manifest too large");
			rc = -1;
		}
	}
	free_list(list, n);
	return rc;
}

int
bundle_verify(const char *dir, struct buf *out)
{
	struct buf man;
	char path[4096], hex[65], **list = NULL, *line, *end, *name;
	size_t n = 0, cap = 0, i, nlisted = 0, lineno = 0;
	char **listed = NULL;
	size_t caplisted = 0;
	int diff = 0, rc = -1;

	join(path, sizeof path, dir, "MANIFEST.sha256");
	buf_init(&man, LIM_INPUT_BYTES);
	if (fsio_read(path, LIM_INPUT_BYTES, &man, NULL, NULL) == -1)
		goto out;
	for (line = man.data; line && line < man.data + man.len; line = end + 1) {
		lineno++;
		end = memchr(line, '\n', (size_t)(man.data + man.len - line));
		if (end == NULL)
			end = man.data + man.len;
		*end = '\0';
		if (*line == '\0')
			continue;
		if (strlen(line) < 67 || line[64] != ' ' || line[65] != ' ' ||
		    strspn(line, "0123456789abcdef") != 64) {
			diag_error(path, (long)lineno, 1, "expected \"SHA256  FILE\" (sha256sum format)");
			goto out;
		}
		name = line + 66;
		if (strstr(name, "..") || name[0] == '/') {
			diag_error(path, (long)lineno, 67, "file name %s leaves the bundle",
			    diag_q(name, (size_t)-1));
			goto out;
		}
		*VEC_PUSH(listed, nlisted, caplisted) = name;
		join(path, sizeof path, dir, name);
		if (!fsio_exists(path)) {
			buf_printf(out, "missing: %s\n", name);
			diff = 1;
		} else if (hash_file(path, hex) == -1 || memcmp(hex, line, 64) != 0) {
			buf_printf(out, "changed: %s\n", name);
			diff = 1;
		}
		join(path, sizeof path, dir, "MANIFEST.sha256");
	}
	if (walk(dir, "", &list, &n, &cap) == -1)
		goto out;
	qsort(list, n, sizeof *list, cmp_str);
	for (i = 0; i < n; i++) {
		const char *f = list[i][0] == '!' ? list[i] + 1 : list[i];
		size_t k;
		int found = strcmp(f, "MANIFEST.sha256") == 0;

		for (k = 0; k < nlisted && !found; k++)
			found = strcmp(listed[k], f) == 0;
		if (!found) {
			buf_printf(out, "extra: %s\n", f);
			diff = 1;
		} else if (list[i][0] == '!') {
			buf_printf(out, "not a regular file: %s\n", f);
			diff = 1;
		}
	}
	rc = diff;
out:
	free_list(list, n);
	free(listed);
	buf_release(&man);
	return rc;
}
