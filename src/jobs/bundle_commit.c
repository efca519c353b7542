/*
 * bundle_commit.c — the last step of a bundle: everything was rendered in
 * memory; write it into a hidden temporary directory beside the target,
 * add MANIFEST.sha256, and make it visible with one rename. Owns the
 * temporary directory until the rename (and removes it on any error, at
 * exit, on SIGINT/SIGTERM, or on the next run if a kill left it behind).
 * Depends on fsio, import (inputs stored as read) and diag.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "in/import.h"
#include "jobs/bundle.h"
#include "jobs/bundle_parts.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/xalloc.h"

#define TMP_PREFIX ".sloproof-tmp-"

static char tmpdir[4096];	/* the bundle being written; "" when none */
static volatile sig_atomic_t interrupted;
static struct sigaction old_int, old_term;

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

void
bundle_join(char *dst, size_t n, const char *a, const char *b)
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

struct buf *
bundle_add(struct bundle_files *fs, const char *name, size_t max)
{
	struct bundle_file *f = VEC_PUSH(fs->f, fs->n, fs->cap);

	memset(f, 0, sizeof *f);
	f->name = name;
	buf_init(&f->data, max);
	return &f->data;
}

void
bundle_add_input(struct bundle_files *fs, const char *name, const struct input *in)
{
	struct bundle_file *f = VEC_PUSH(fs->f, fs->n, fs->cap);

	memset(f, 0, sizeof *f);
	f->name = name;
	buf_init(&f->data, 0);
	f->in = in;
}

void
bundle_files_release(struct bundle_files *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		buf_release(&fs->f[i].data);
	free(fs->f);
	memset(fs, 0, sizeof *fs);
}

void
bundle_signals_catch(void)
{
	static int registered;
	struct sigaction sa;

	if (!registered) {
		atexit(cleanup);
		registered = 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
}

void
bundle_signals_restore(void)
{
	cleanup();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (interrupted) {
		diag_error(NULL, 0, 0, "interrupted; no bundle was written");
		signal(interrupted, SIG_DFL);
		raise(interrupted);
	}
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
			bundle_join(path, sizeof path, datedir, de->d_name);
			diag_warning(path, 0, 0, "removing what an interrupted run left behind");
			fsio_rmtree(path);
		}
	}
	closedir(dir);
}

/* Makes the directory of name under tmpdir, once: the names' folders, in order. */
static int
make_parent(const char *name, char (*made)[64], size_t *nmade)
{
	const char *slash = strchr(name, '/');
	char sub[4096], dir[64];
	size_t i, n;

	if (slash == NULL)
		return 0;
	n = (size_t)(slash - name);
	if (n >= sizeof dir)
		n = sizeof dir - 1;
	memcpy(dir, name, n);
	dir[n] = '\0';
	for (i = 0; i < *nmade; i++)
		if (strcmp(made[i], dir) == 0)
			return 0;
	if (*nmade < 16)
		memcpy(made[(*nmade)++], dir, sizeof dir);
	bundle_join(sub, sizeof sub, tmpdir, dir);
	return fsio_mkdir(sub);
}

int
bundle_commit(const char *datedir, const char *final, const struct bundle_files *fs)
{
	char made[16][64], path[4096];
	size_t i, nmade = 0;
	int exists;

	if (fsio_mkdirs(datedir) == -1)
		return -1;
	sweep_stale(datedir);
	{
		char name[64];

		snprintf(name, sizeof name, TMP_PREFIX "%ld-XXXXXX", (long)getpid());
		bundle_join(tmpdir, sizeof tmpdir, datedir, name);
	}
	if (fsio_fault() != 0 || mkdtemp(tmpdir) == NULL) {
		diag_syserr(datedir, "cannot create a temporary directory: %s", strerror(errno ? errno : ENOSPC));
		tmpdir[0] = '\0';
		return -1;
	}
	/* The folders first, in the order their files come. */
	for (i = 0; i < fs->n; i++)
		if (make_parent(fs->f[i].name, made, &nmade) == -1)
			return -1;
	for (i = 0; i < fs->n; i++) {
		const struct bundle_file *f = &fs->f[i];

		bundle_join(path, sizeof path, tmpdir, f->name);
		if (f->in ? input_store(f->in, path) == -1 :
		    fsio_write(path, buf_str(&f->data), f->data.len) == -1)
			return -1;
		if (interrupted)
			return -1;
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
		if (r == -1 || fsio_fsync_dir(tmpdir) == -1)
			return -1;
	}
	if (interrupted)
		return -1;
	if (fsio_rename_noreplace(tmpdir, final, &exists) == -1) {
		/* The documents name the slug, so a race for it means starting over. */
		if (exists)
			diag_error(final, 0, 0, "a bundle appeared there while this one was "
			    "written; nothing was changed, run again");
		return -1;
	}
	tmpdir[0] = '\0';
	return fsio_fsync_dir(datedir);
}
