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
struct stat;

/*
 * Confinement of inputs (docs/hardening.md). Every input is opened through
 * fsio_open_input: it must be a regular file (never a FIFO, socket,
 * device or directory: opened with O_NONBLOCK, checked with fstat, so a
 * FIFO cannot make sloproof hang), never a file of /proc, /sys or /dev
 * (or of a procfs, sysfs or devtmpfs mounted anywhere else), and, while
 * roots are set with fsio_confine, its real path (every symlink and ".."
 * resolved) must lie under one of them. Returns an open descriptor
 * (blocking again) and fills *st, or -1 after a diagnostic (exit 3; 4 for
 * a failure of the machine).
 */
int	fsio_open_input(const char *path, struct stat *st);

/*
 * Sets the folders inputs must come from (n = 0: any folder) for every
 * later fsio_open_input, and so for fsio_read, fsio_read_head, fsio_copy.
 * what names them in messages ("the drill's folder"). Each root is
 * resolved now; a root that does not exist is an error (-1, exit 3).
 * Call with n = 0 to lift the confinement.
 */
int	fsio_confine(const char *const *roots, size_t n, const char *what);

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

/* Creates path (which must not exist: O_EXCL, no symlink followed; mode 0644 whatever the umask), writes n bytes, fsyncs, closes. */
int	fsio_write(const char *path, const void *p, size_t n);
/* Copies the bytes of src (an input: fsio_open_input's rules) to a new file dst, mode 0644. */
int	fsio_copy(const char *src, const char *dst);
/* Whether p starts with a zstd frame's magic number. */
int	fsio_is_zstd(const void *p, size_t n);
/* Appends n bytes to path (created if missing, no symlink followed), then fsyncs: a killed writer loses nothing written before. */
int	fsio_append(const char *path, const void *p, size_t n);
/* Writes p to a temporary file beside path, then renames it over path: readers see all or nothing. */
int	fsio_write_replace(const char *path, const void *p, size_t n);
/* mkdir with mode 0755 whatever the umask: bundles are for others to read. */
int	fsio_mkdir(const char *path);
/* Renames from to to, failing (errno EEXIST) if to exists, even as an empty directory. */
int	fsio_rename_noreplace(const char *from, const char *to, int *exists);
/* rename(2) that replaces to: for files written next to their target. */
int	fsio_rename(const char *from, const char *to);
int	fsio_fsync_dir(const char *path);
/* Removes a tree we created; never follows symlinks. Errors are quiet. */
void	fsio_rmtree(const char *path);
/*
 * Creates every missing directory of path (like mkdir -p). A symlink to a
 * folder along the way is followed (the caller checks the parts it owns);
 * a file or a dangling symlink in the way is bad input (exit 3).
 */
int	fsio_mkdirs(const char *path);
int	fsio_exists(const char *path);	/* lstat succeeds */
int	fsio_isdir(const char *path);	/* a directory, not through a symlink */

/*
 * The front door's primitives (in/import.c reads each input once with them).
 * fsio_open_input opens path for reading and fills *st: the descriptor, or
 * -1 after the same diagnostic fsio_read gives (missing, a directory, ...).
 * fsio_read_fd appends at most want more bytes of fd to out (bounded by
 * out->max: past it, "input is larger than the limit"); 0 at end of file or
 * when want bytes came, -1 after a diagnostic. fsio_inflate inflates gzip
 * data in memory as fsio_read does; fsio_inflate_head as much of its start
 * as fits in max bytes (for sniffing; -1, quietly, on corrupt data). fsio_copy_fd writes the
 * bytes of fd from offset 0 to a new file dst (display names fd in
 * messages) and gives their SHA-256: the caller compares it with the hash
 * of what it parsed, so a file changed in between cannot be stored unseen.
 */
int	fsio_open_input(const char *path, struct stat *st);
int	fsio_read_fd(int fd, const char *path, size_t want, struct buf *out);
int	fsio_inflate(const char *path, const void *in, size_t n, size_t max, struct buf *out);
int	fsio_inflate_head(const void *in, size_t n, size_t max, struct buf *out);
int	fsio_copy_fd(int fd, const char *display, const char *dst, char sha256hex[65]);
/*
 * fsio_copy_fd, compressed as one zstd frame (with its checksum) at level,
 * with workers threads compressing beside the one reading and hashing:
 * sha256hex is of the bytes read, `zstd -d` restores them byte for byte,
 * and fsio_read and the front door read the .zst as it is. fsio_unzstd
 * and fsio_unzstd_head decompress zstd frames as fsio_inflate and
 * fsio_inflate_head do gzip (the same ratio cap against bombs).
 */
int	fsio_copy_fd_zstd(int fd, const char *display, const char *dst, char sha256hex[65],
	    int level, int workers);
int	fsio_unzstd(const char *path, const void *in, size_t n, size_t max, struct buf *out);
int	fsio_unzstd_head(const void *in, size_t n, size_t max, struct buf *out);
/* The SHA-256 of what the zstd frames of fd (from offset 0) decompress to: 0, or -1 (quietly) when fd is not whole zstd. */
int	fsio_sha256_unzstd(int fd, char sha256hex[65]);

/* The fault hook's decision for one operation: 0, or the errno to fail with. */
int	fsio_fault(void);

#endif
