/*
 * bundle.c — the main job, drill file in, bundle out, in three steps
 * (bundle_parts.h): collect (bundle_collect.c: the drill's plan through
 * the one pipeline), render (bundle_render.c: every file in memory), and
 * here the commit: under the day's lock, a hidden temporary directory
 * beside the target, the files, the manifest, and one rename that makes
 * it visible; then the day's index.md. Owns the temporary directory until
 * the rename (and removes it on any error, at exit, or on the next run if
 * a kill left it behind).
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

#include "jobs/bundle_parts.h"
#include "jobs/sign.h"
#include "out/out_table.h"
#include "util/diag.h"
#include "util/fsio.h"

#define TMP_PREFIX ".sloproof-tmp-"

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
		bundle_join(path, sizeof path, datedir, de->d_name);
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
write_all_files(const char *dir, const struct bundle_work *w)
{
	const struct drill *d = &w->p.drill;
	char path[4096];
	size_t i;
	int r;

	for (i = 0; i < w->nfiles; i++) {
		bundle_join(path, sizeof path, dir, w->files[i].name);
		if (fsio_write(path, buf_str(&w->files[i].data), w->files[i].data.len) == -1)
			return -1;
		if (interrupted)
			return -1;
	}
	for (i = 0; i < w->ncopies; i++) {
		int confined = i < d->nevidence || i >= w->ncopies - d->nattachments;

		bundle_join(path, sizeof path, dir, w->copies[i].name);
		if (confined && bundle_confine(w) == -1)
			return -1;
		r = copy_checked(&w->copies[i], path);
		fsio_confine(NULL, 0, NULL);
		if (r == -1)
			return -1;
		if (interrupted)
			return -1;
	}
	return 0;
}

/* ROOT/<date>/index.md, rewritten under the day's lock. */
static int
write_index(const struct bundle_opts *o, const char *datedir, const char *date)
{
	struct buf out;
	char path[4096];
	int rc;

	buf_init(&out, LIM_INPUT_BYTES);
	rc = bundle_render_index(o, datedir, date, &out);
	if (rc == 0) {
		bundle_join(path, sizeof path, datedir, "index.md");
		rc = fsio_write_replace(path, buf_str(&out), out.len);
	}
	buf_release(&out);
	return rc;
}

/*
 * The first free slug of the day: under the day's lock no other sloproof
 * takes it, and the rename still refuses to replace anything that appears
 * in between. The final slug appears in the documents, so it is found
 * before they are rendered. Its number (1: the plain slug), or -1.
 */
static int
pick_slug(const char *datedir, const struct bundle_opts *o, struct report *rep, char *final,
    size_t n)
{
	char base[LIM_SLUG + 1];
	size_t len = strnlen(rep->slug, LIM_SLUG);	/* collect put drill_slug's there */
	int suffix;

	memcpy(base, rep->slug, len);
	base[len] = '\0';
	for (suffix = 1; ; suffix++) {
		if (suffix > 1)
			snprintf(rep->slug, sizeof rep->slug, "%s-%d", base, suffix);
		bundle_join(final, n, datedir, rep->slug);
		if (!fsio_exists(final))
			return suffix;
		if (o->no_suffix) {
			diag_error(final, 0, 0, "a bundle is already there and --no-suffix forbids %s-2",
			    base);
			return -1;
		}
		if (suffix >= LIM_SUFFIX) {
			diag_error(final, 0, 0, "%d bundles of this drill on one day; giving up", LIM_SUFFIX);
			return -1;
		}
	}
}

/*
 * The commit: a temporary folder beside final (locked while it is ours),
 * the rendered files, the inputs copied as they were judged, the charts,
 * MANIFEST.sha256 (signed when asked), then one rename. SIGINT and
 * SIGTERM only set a flag meanwhile; the temporary folder goes on any
 * failure, and an interrupted run dies of its signal afterwards.
 */
static int
commit(const char *datedir, const char *final, const struct bundle_work *w)
{
	static int registered;
	struct sigaction sa, old_int, old_term;
	char name[128], sub[4096], path[4096];
	size_t i, k;
	int e, exists, rc = -1;

	if (!registered) {
		atexit(cleanup);
		registered = 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	snprintf(name, sizeof name, TMP_PREFIX "%ld-XXXXXX", (long)getpid());
	bundle_join(tmpdir, sizeof tmpdir, datedir, name);
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
	bundle_join(sub, sizeof sub, tmpdir, "evidence");
	if (fsio_mkdir(sub) == -1)
		goto restore;
	if (w->rep.nattachments) {
		bundle_join(sub, sizeof sub, tmpdir, "attachments");
		if (fsio_mkdir(sub) == -1)
			goto restore;
	}
	if (write_all_files(tmpdir, w) == -1)
		goto restore;
	if (w->ncharts) {
		static const char *const ext[] = {"png", "svg", "csv"};

		bundle_join(sub, sizeof sub, tmpdir, "charts");
		if (fsio_mkdir(sub) == -1)
			goto restore;
		for (i = 0; i < w->ncharts; i++) {
			const struct buf *b[3] = {&w->charts[i].png, &w->charts[i].svg, &w->charts[i].csv};

			for (k = 0; k < 3; k++) {
				snprintf(name, sizeof name, "%s.%s", w->charts[i].name, ext[k]);
				bundle_join(path, sizeof path, sub, name);
				if (fsio_write(path, buf_str(b[k]), b[k]->len) == -1)
					goto restore;
			}
		}
	}
	{
		struct buf man;
		int r;

		buf_init(&man, LIM_INPUT_BYTES);
		r = bundle_manifest(tmpdir, &man);
		bundle_join(path, sizeof path, tmpdir, "MANIFEST.sha256");
		if (r == 0)
			r = fsio_write(path, buf_str(&man), man.len);
		buf_release(&man);
		if (r == 0 && w->o->sign_key)
			r = sign_manifest(w->o->sign_key, tmpdir);
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
	rc = 0;
restore:
	cleanup();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (interrupted) {
		diag_error(NULL, 0, 0, "interrupted; no bundle was written");
		signal(interrupted, SIG_DFL);
		raise(interrupted);
	}
	return rc;
}

int
bundle_make(const char *drill_path, const struct bundle_opts *o, struct buf *table,
    struct bundle_result *res)
{
	struct bundle_work w;
	const char *root = o->root ? o->root : "docs/demos/perf";
	char datedir[4096], final[4096];
	int rc = -1, suffix, daylock = -1, made_root = 0, made_day = 0;

	memset(res, 0, sizeof *res);
	if (strlen(root) > 2048) {
		diag_error(root, 0, 0, "the output folder's path is longer than 2048 bytes");
		return -1;
	}
	if (bundle_collect(&w, drill_path, o) == -1)
		goto out;
	bundle_join(datedir, sizeof datedir, root, w.rep.date);
	made_root = !fsio_exists(root);
	made_day = !fsio_exists(datedir);
	if (fsio_mkdirs(datedir) == -1 || (daylock = lock_day(datedir)) == -1)
		goto out;
	sweep_stale(datedir);
	if ((suffix = pick_slug(datedir, o, &w.rep, final, sizeof final)) == -1 ||
	    bundle_render(&w) == -1 || commit(datedir, final, &w) == -1)
		goto out;
	snprintf(res->path, sizeof res->path, "%s", final);
	res->slo_ok = verdicts_ok(&w.p.vs);
	res->suffixed = suffix > 1;
	if (write_index(o, datedir, w.rep.date) == -1)
		goto out;
	if (out_table(table, &w.p.vs, &w.p.run, o->color) == -1) {
		diag_syserr(NULL, "verdict table too large");
		goto out;
	}
	rc = 0;
out:
	if (daylock != -1)
		close(daylock);		/* releases the day's lock */
	/* A failed run leaves no empty folder it made (rmdir removes only empty ones). */
	if (rc == -1 && made_day)
		rmdir(datedir);
	if (rc == -1 && made_root)
		rmdir(root);
	bundle_work_release(&w);
	return rc;
}
