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
#include <sys/file.h>
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
#include "jobs/sign.h"
#include "util/xalloc.h"
#include "jobs/drillrun.h"

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
static int tmplock = -1;	/* a flock on tmpdir while it is ours */
static volatile sig_atomic_t interrupted;

static void
cleanup(void)
{
	if (tmpdir[0]) {
		fsio_rmtree(tmpdir);
		tmpdir[0] = '\0';
	}
	if (tmplock != -1) {
		close(tmplock);
		tmplock = -1;
	}
}

static void
on_signal(int sig)
{
	interrupted = sig;
}

/* Names a bundle's own files and folders take: an input copied in never takes one. */
static const char *const reserved[] = {
	"drill.yaml", "drill.orig.yaml", "report.md", "report.html", "timeline.md",
	"status-update.md", "release-log.md", "status-update.txt", "release-log.txt",
	"evidence.md", "review.md", "summary.json", "junit.xml", "ctrf.json",
	"results.prom", "results.om.txt", "annotations.json",
	"MANIFEST.sha256", "MANIFEST.sha256.sig", "index.md", "evidence", "attachments", "charts",
};
#define NRESERVED (sizeof reserved / sizeof reserved[0])

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
	char name[300], cand[320], *dot;
	size_t i, j = 0;
	int k, clash;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && j < sizeof name - 1; i++) {
		unsigned char c = (unsigned char)base[i];

		name[j++] = (c < 0x80 && (isalnum_ascii(c) || c == '.' || c == '-' || c == '_')) ?
		    (char)c : '_';
	}
	name[j] = '\0';
	if (j > 100) {
		/* Cut the stem, keep the extension (up to 16 bytes): it says what the file is. */
		const char *ext = strrchr(name, '.');
		size_t elen = ext && ext != name && strlen(ext) <= 16 ? strlen(ext) : 0;

		memmove(name + 100 - elen, name + j - elen, elen + 1);
		j = 100;
	}
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

/*
 * Removes what killed runs left behind: temporary bundle folders whose
 * owner is gone, and index.md.tmp-* files. Called with the day's lock
 * held. A run holds a flock on its temporary folder for its whole life,
 * so "the owner is gone" is proven by taking that lock, never guessed
 * from a PID (which means nothing across containers sharing a volume).
 */
static void
sweep_stale(const char *datedir)
{
	DIR *dir;
	struct dirent *de;
	char path[4096];
	int fd;

	if ((dir = opendir(datedir)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		join(path, sizeof path, datedir, de->d_name);
		if (strncmp(de->d_name, "index.md.tmp-", 13) == 0) {
			/* Only the holder of the day's lock writes the index: this one is stale. */
			unlink(path);
			continue;
		}
		if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
			continue;
		if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			diag_warning(path, 0, 0, "removing what an interrupted run left behind");
			fsio_rmtree(path);
		}
		close(fd);
	}
	closedir(dir);
}

/*
 * The day's lock: a flock on the folder ROOT/<date> itself (no lock file
 * to leave behind), held from choosing the slug to rewriting index.md,
 * so concurrent runs of one drill get distinct suffixes and every one of
 * them is in the index. Blocks until free. The descriptor, or -1.
 */
static int
lock_day(const char *datedir)
{
	struct stat st;
	int fd;

	if (lstat(datedir, &st) == -1) {
		diag_syserr(datedir, "cannot use the day's folder: %s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_error(datedir, 0, 0, "cannot use the day's folder: %s is in the way",
		    S_ISLNK(st.st_mode) ? "a symlink" : "a file");
		return -1;
	}
	if ((fd = open(datedir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		diag_syserr(datedir, "cannot open the day's folder: %s", strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR) {
			diag_syserr(datedir, "cannot lock the day's folder: %s", strerror(errno));
			close(fd);
			return -1;
		}
	return fd;
}

/*
 * Evidence and attachments come from the drill's folder, its capture
 * folder, and the folders --allow-root and allow_roots: name. Inputs
 * named with --input on the command line were chosen by the user there.
 */
static int
confine(const struct drill *d, const struct bundle_opts *o)
{
	const char **roots = xcalloc(2 + o->nallow_roots + d->nallow_roots, sizeof *roots);
	char *dir = xstrdup(d->path), *slash = strrchr(dir, '/');
	size_t n = 0, i;
	int rc;

	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	roots[n++] = slash ? dir : ".";
	if (d->capture.output && fsio_isdir(d->capture.output))
		roots[n++] = d->capture.output;
	for (i = 0; i < o->nallow_roots; i++)
		roots[n++] = o->allow_roots[i];
	for (i = 0; i < d->nallow_roots; i++)
		roots[n++] = d->allow_roots[i];
	rc = fsio_confine(roots, n, "the drill's folder");
	free(roots);
	free(dir);
	return rc;
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

/*
 * Stores an input as the bytes that were judged: copied from one open
 * descriptor while hashing, and refused when the hash is not the one taken
 * when the file was parsed (it changed in between; verify would otherwise
 * vouch for bytes nobody judged).
 */
static int
copy_checked(const struct report_file *f, const char *dst)
{
	struct stat st;
	char hex[65];
	int fd, r;

	if ((fd = fsio_open_input(f->src, &st)) == -1)
		return -1;
	/* zstd level 3 on every core: faster than the disk for NDJSON, a few percent of its size. */
	r = f->zstd ? fsio_copy_fd_zstd(fd, f->src, dst, hex, 3, ncores()) :
	    fsio_copy_fd(fd, f->src, dst, hex);
	close(fd);
	if (r == 0 && f->sha256[0] && strcmp(hex, f->sha256) != 0) {
		diag_error(f->src, 0, 0, "changed while the bundle was made (sha256 %.12s... when "
		    "read, %.12s... now); nothing was written, run again", f->sha256, hex);
		r = -1;
	}
	return r;
}

/*
 * The rendered files, then the copies of the inputs: the drill's evidence
 * (the first d->nevidence) and attachments (the last d->nattachments)
 * under the same confinement as when they were read; --input files as
 * the user named them.
 */
static int
write_all_files(const char *dir, struct outfile *files, size_t nfiles,
    struct report_file *copies, size_t ncopies, const struct drill *d,
    const struct bundle_opts *o)
{
	char path[4096];
	size_t i;
	int r;

	for (i = 0; i < nfiles; i++) {
		join(path, sizeof path, dir, files[i].name);
		if (fsio_write(path, buf_str(&files[i].data), files[i].data.len) == -1)
			return -1;
		if (interrupted)
			return -1;
	}
	for (i = 0; i < ncopies; i++) {
		int confined = i < d->nevidence || i >= ncopies - d->nattachments;

		join(path, sizeof path, dir, copies[i].name);
		if (confined && confine(d, o) == -1)
			return -1;
		r = copy_checked(&copies[i], path);
		fsio_confine(NULL, 0, NULL);
		if (r == -1)
			return -1;
		if (interrupted)
			return -1;
	}
	return 0;
}

static int
render_template(const struct bundle_opts *o, const char *name, const char *const *keys,
    const struct tval *model, const char *link_base, struct buf *out)
{
	struct tmpl *t;
	int rc;

	size_t n = strlen(name);
	enum tmpl_format fmt = n > 5 && strcmp(name + n - 5, ".html") == 0 ? TMPL_HTML :
	    n > 3 && strcmp(name + n - 3, ".md") == 0 ? TMPL_MARKDOWN : TMPL_TEXT;

	if (tmpl_load(&t, o->templates, name, fmt) == -1)
		return -1;
	rc = tmpl_check(t, keys);
	tmpl_set_link_base(t, link_base);
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
		/* The same evidence bundled again is a re-run of the first bundle, not another drill. */
		{
			size_t j;

			for (j = 0; j < i && metas[i].evidence[0] != '\0'; j++)
				if (strcmp(metas[j].evidence, metas[i].evidence) == 0) {
					tv_set_str(&tc, item, "rerun_of", metas[j].slug);
					break;
				}
		}
	}
	buf_init(&out, LIM_INPUT_BYTES);
	if (render_template(o, "index.md", index_keys, root, NULL, &out) == 0) {
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
	struct verdicts vs = {NULL, 0, {0}};
	struct report rep;
	struct report_file *copies = NULL;
	struct report_chart *charts = NULL;
	size_t ncharts = 0;
	char **taken = NULL, **orig = NULL;
	struct outfile files[20 + LIM_SLO_FILES];
	struct tctx tc;
	struct tval *model;
	char *const *slo_paths;
	size_t nslo;
	char **slo_names = NULL;
	const char *root = o->root ? o->root : "docs/demos/perf";
	char datedir[4096], final[4096], base[LIM_SLUG + 1], link_base[4096] = "";
	size_t i, ncopies = 0, nfiles = 0, norig = 0;
	int64_t generated_at;
	int rc = -1, exists, suffix, daylock = -1, e, made_root = 0, made_day = 0;
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
	if (confine(&d, o) == -1)
		goto out;
	/* The one way a drill's evidence is read: `check DRILL.yaml` reads it the same. */
	if (drill_import(&run, &d, IMPORT_HASH) == -1)
		goto out;
	for (i = 0; i < d.nevidence; i++)
		orig[norig++] = d.evidence[i].resolved;
	fsio_confine(NULL, 0, NULL);
	for (i = 0; i < (size_t)o->nextra; i++) {
		struct import_opts xo;

		memset(&xo, 0, sizeof xo);
		xo.flags = IMPORT_HASH;
		if (import_spec_opts(&run, &xo, o->extra[i]) == -1)
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
	if (confine(&d, o) == -1)
		goto out;
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
	fsio_confine(NULL, 0, NULL);
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
	/* Never the name of a file the bundle writes itself: an SLO file called report.md becomes report-2.md. */
	slo_names = xcalloc(nslo + NRESERVED + 1, sizeof *slo_names);
	for (i = 0; i < NRESERVED; i++)
		slo_names[i] = (char *)reserved[i];
	for (i = 0; i < nslo; i++)
		slo_names[NRESERVED + i] = safe_name(&run.arena, slo_paths[i], slo_names, NRESERVED + i);
	rep.slo_names = (const char *const *)slo_names + NRESERVED;
	rep.nslo = nslo;
	snprintf(rep.slug, sizeof rep.slug, "%s", base);
	join(datedir, sizeof datedir, root, rep.date);
	made_root = !fsio_exists(root);
	made_day = !fsio_exists(datedir);
	if (fsio_mkdirs(datedir) == -1 || (daylock = lock_day(datedir)) == -1)
		goto out;
	sweep_stale(datedir);

	/*
	 * Render everything now. The final slug (maybe with -N) appears in the
	 * documents, so find the first free one first: under the day's lock no
	 * other sloproof takes it, and the rename below still refuses to
	 * replace anything that appears in between.
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
	{
		/* Links absolute to where the bundle is published: they work wherever the text is pasted. */
		const char *lb = o->link_base ? o->link_base : d.link_base;

		if (lb && *lb)
			snprintf(link_base, sizeof link_base, "%s%s%s/%s/", lb,
			    lb[strlen(lb) - 1] == '/' ? "" : "/", rep.date, rep.slug);
		tv_set_bool(&tc, model, "links_absolute", link_base[0] != '\0');
	}
	files[nfiles].name = "report.md";
	buf_init(&files[nfiles].data, LIM_INPUT_BYTES);
	if (render_template(o, "report.md", report_keys, model, link_base, &files[nfiles++].data) == -1)
		goto out;
	files[nfiles].name = "report.html";
	buf_init(&files[nfiles].data, LIM_INPUT_BYTES);
	if (render_template(o, "report.html", report_keys, model, link_base, &files[nfiles++].data) == -1)
		goto out;
	{
		static const char *const docs[] = {
			"timeline.md", "status-update.md", "release-log.md", "evidence.md", "review.md",
			"status-update.txt", "release-log.txt"
		};

		for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
			files[nfiles].name = docs[i];
			buf_init(&files[nfiles].data, LIM_INPUT_BYTES);
			if (render_template(o, docs[i], report_keys, model, link_base, &files[nfiles++].data) == -1)
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
		files[nfiles].name = slo_names[NRESERVED + i];
		buf_init(&files[nfiles].data, LIM_RULES_BYTES);
		if (fsio_read(slo_paths[i], LIM_RULES_BYTES, &files[nfiles++].data, NULL, NULL) == -1)
			goto out;
	}
	/* The drill as written, and the bundle's own, which `check drill.yaml` re-checks. */
	files[nfiles].name = "drill.orig.yaml";
	buf_init(&files[nfiles].data, LIM_RULES_BYTES);
	if (fsio_read(drill_path, LIM_RULES_BYTES, &files[nfiles++].data, NULL, NULL) == -1)
		goto out;
	files[nfiles].name = "drill.yaml";
	buf_init(&files[nfiles].data, LIM_RULES_BYTES);
	if (drill_write_bundled(&files[nfiles++].data, &d, &run, rep.date,
	    (const char *const *)slo_names + NRESERVED, nslo) == -1)
		goto toolarge;

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
	{
		char name[64];

		snprintf(name, sizeof name, TMP_PREFIX "%ld-XXXXXX", (long)getpid());
		join(tmpdir, sizeof tmpdir, datedir, name);
	}
	if ((e = fsio_fault()) != 0 || mkdtemp(tmpdir) == NULL) {
		diag_syserr(datedir, "cannot create a temporary directory: %s", strerror(e ? e : errno));
		tmpdir[0] = '\0';
		goto restore;
	}
	/* Ours while this lock is held: a sweeper that can take it knows we are gone. */
	if ((tmplock = open(tmpdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    flock(tmplock, LOCK_EX | LOCK_NB) == -1) {
		diag_syserr(tmpdir, "cannot lock the temporary directory: %s", strerror(errno));
		goto restore;
	}
	/* mkdtemp makes 0700; a bundle is for others to read. */
	if (chmod(tmpdir, 0755) == -1) {
		diag_syserr(tmpdir, "cannot set the mode of the bundle folder: %s", strerror(errno));
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
	if (write_all_files(tmpdir, files, nfiles, copies, ncopies, &d, o) == -1)
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
		if (r == 0 && o->sign_key)
			r = sign_manifest(o->sign_key, tmpdir);
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
	fsio_confine(NULL, 0, NULL);
	if (daylock != -1)
		close(daylock);		/* releases the day's lock */
	/* A failed run leaves no empty folder it made (rmdir removes only empty ones). */
	if (rc == -1 && made_day)
		rmdir(datedir);
	if (rc == -1 && made_root)
		rmdir(root);
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
