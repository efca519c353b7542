/*
 * fsio.h — every file sloproof reads or writes goes through here, so that
 * errors are reported the same way (bad input: exit 3; the machine failed:
 * exit 4) and so that a test can make the N-th write-side operation fail.
 *
 * Test-only fault hook: SLOPROOF_TEST_FAULT="N:ERR" makes the N-th
 * write-side operation (mkdir, open for writing, write, fsync, close,
 * rename, symlink) fail with ERR (ENOSPC, EIO, EACCES), and "N:KILL"
 * kills the process with SIGKILL at that point instead.
 */
#ifndef FSIO_H
#define FSIO_H

#include <stddef.h>
#include <sys/types.h>

struct buf;

/*
 * Reads all of path into out (initialised by the caller), inflating gzip
 * when the file starts with its magic bytes. More than max bytes (after
 * inflating) is an error. 0, or -1 after a diagnostic naming path.
 * *gzipped, when not NULL, says whether it was gzip; sha256hex, when not
 * NULL, receives the SHA-256 of the bytes on disk (65 bytes). zstd is
 * decompressed the same way (*gzipped is then 2).
 */
int	fsio_read(const char *path, size_t max, struct buf *out, int *gzipped,
	    char *sha256hex);

/*
 * Reads at most max bytes of the start of path into out (initialised by
 * the caller), inflating gzip as fsio_read does, for sniffing a file that
 * may be too large to read whole. 0, or -1 after a diagnostic.
 */
int	fsio_read_head(const char *path, size_t max, struct buf *out, int *gzipped);

/* Creates path (which must not exist: O_EXCL, no symlink followed), writes n bytes, fsyncs, closes. */
int	fsio_write(const char *path, const void *p, size_t n);
/* Copies the bytes of src (following a symlink: evidence is content) to a new file dst. */
int	fsio_copy(const char *src, const char *dst);
/*
 * The same, compressed as one zstd frame (with its checksum) at level,
 * with workers threads compressing beside the reading one; `zstd -d`
 * restores src byte for byte, and fsio_read reads it as it is.
 */
int	fsio_copy_zstd(const char *src, const char *dst, int level, int workers);
/* Whether p starts with a zstd frame's magic number. */
int	fsio_is_zstd(const void *p, size_t n);
/* Appends n bytes to path (created if missing, no symlink followed), then fsyncs: a killed writer loses nothing written before. */
int	fsio_append(const char *path, const void *p, size_t n);
/* Writes p to a temporary file beside path, then renames it over path: readers see all or nothing. */
int	fsio_write_replace(const char *path, const void *p, size_t n);
int	fsio_mkdir(const char *path);
/* Renames from to to, failing (errno EEXIST) if to exists, even as an empty directory. */
int	fsio_rename_noreplace(const char *from, const char *to, int *exists);
/* rename(2) that replaces to: for files written next to their target. */
int	fsio_rename(const char *from, const char *to);
int	fsio_fsync_dir(const char *path);
/* Removes a tree we created; never follows symlinks. Errors are quiet. */
void	fsio_rmtree(const char *path);
/* Creates every missing directory of path (like mkdir -p). */
int	fsio_mkdirs(const char *path);
int	fsio_exists(const char *path);	/* lstat succeeds */
int	fsio_isdir(const char *path);	/* a directory, not through a symlink */

/* The fault hook's decision for one operation: 0, or the errno to fail with. */
int	fsio_fault(void);

#endif
