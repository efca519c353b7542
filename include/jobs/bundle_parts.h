/*
 * bundle_parts.h — what bundle.c (collect, render), bundle_commit.c
 * (temporary directory, write, manifest, one rename) and bundle_manifest.c
 * share. Private to src/jobs/bundle*.c.
 */
#ifndef JOBS_BUNDLE_PARTS_H
#define JOBS_BUNDLE_PARTS_H

#include <stddef.h>

#include "util/buf.h"

struct input;

/* a/b into dst (n bytes); every part of a bundle path is bounded, so this never cuts. */
void	bundle_join(char *dst, size_t n, const char *a, const char *b);

/* One file of a bundle: rendered bytes, or an input stored as it was read. */
struct bundle_file {
	const char		*name;	/* path inside the bundle: report.md, evidence/x.json */
	struct buf		 data;	/* when in is NULL */
	const struct input	*in;	/* stored exactly as the front door read it */
};

/* A bundle rendered in memory, ready to be committed. */
struct bundle_files {
	struct bundle_file	*f;
	size_t			 n, cap;
};

/* Adds a file whose bytes the caller renders into the returned buf (max bytes at most). */
struct buf *bundle_add(struct bundle_files *, const char *name, size_t max);
/* Adds an input to be stored as it was read. */
void	bundle_add_input(struct bundle_files *, const char *name, const struct input *);
void	bundle_files_release(struct bundle_files *);

/*
 * Writes files into a hidden temporary directory beside final (in datedir,
 * created as needed), with MANIFEST.sha256, and renames it to final in one
 * step; a directory that appears at final in between is never replaced.
 * Sub-directories of the names are made in the order they first appear.
 * Interrupted (SIGINT, SIGTERM) or failing, it removes the temporary
 * directory: a bundle is complete or absent. 0, or -1 after a diagnostic.
 */
int	bundle_commit(const char *datedir, const char *final, const struct bundle_files *);
/*
 * Around the commit: SIGINT and SIGTERM only set a flag while a bundle is
 * written; restore puts the old handlers back, removes any temporary
 * directory and, when a signal came, says so and dies of it.
 */
void	bundle_signals_catch(void);
void	bundle_signals_restore(void);

#endif
