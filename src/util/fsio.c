/*
 * fsio.c — reading inputs (bounded, gzip- and zstd-aware) and writing
 * bundle files (exclusive create, fsync, no symlinks followed; large
 * evidence zstd-compressed). Owns no state but the fault hook's counter.
 * Depends on buf, diag, sha256, xalloc, zlib and libzstd.
 */
#define _GNU_SOURCE	/* renameat2 / RENAME_NOREPLACE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/sha256.h"
#include "util/splimits.h"
#include "util/xalloc.h"

int
fsio_fault(void)
{
	static long count, at = -1;
	static int err;
	const char *spec, *colon;

	if (at == -1) {
		at = 0;
		spec = getenv("SLOPROOF_TEST_FAULT");
		if (spec && (colon = strchr(spec, ':')) != NULL) {
			at = strtol(spec, NULL, 10);
			if (strcmp(colon + 1, "KILL") == 0)
				err = -1;
			else if (strcmp(colon + 1, "EIO") == 0)
				err = EIO;
			else if (strcmp(colon + 1, "EACCES") == 0)
				err = EACCES;
			else
				err = ENOSPC;
		}
	}
	if (at <= 0 || ++count != at)
		return 0;
	if (err == -1)
		raise(SIGKILL);
	return err;
}

/* Reports a failed open/read of an input: the user's mistake or the machine's. */
static void
read_error(const char *path, const char *what, int e)
{
	if (e == ENOENT || e == EACCES || e == EISDIR || e == ENOTDIR ||
	    e == ELOOP || e == ENAMETOOLONG || e == EPERM)
		diag_error(path, 0, 0, "cannot %s: %s", what, strerror(e));
	else
		diag_syserr(path, "cannot %s: %s", what, strerror(e));
}

/* The confinement fsio_confine sets: resolved roots; none while nroots is 0. */
static char **conf_roots;
static size_t conf_nroots;
static char conf_what[128];

int
fsio_confine(const char *const *roots, size_t n, const char *what)
{
	size_t i;
	char *r;

	for (i = 0; i < conf_nroots; i++)
		free(conf_roots[i]);
	free(conf_roots);
	conf_roots = NULL;
	conf_nroots = 0;
	if (n == 0)
		return 0;
	snprintf(conf_what, sizeof conf_what, "%s", what ? what : "the allowed folders");
	conf_roots = xcalloc(n, sizeof *conf_roots);
	for (i = 0; i < n; i++) {
		if ((r = realpath(roots[i], NULL)) == NULL) {
			diag_error(roots[i], 0, 0, "cannot use as an allowed root: %s", strerror(errno));
			fsio_confine(NULL, 0, NULL);
			return -1;
		}
		conf_roots[conf_nroots++] = r;
	}
	return 0;
}

/* Whether path lies at or under dir (both absolute and resolved). */
static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The kernel's own file systems: their "files" are interfaces, not evidence. */
static const char *
kernel_fs(int fd, const char *real)
{
	static const struct { unsigned long magic; const char *name; } fs[] = {
		{0x9fa0, "/proc"}, {0x62656572, "/sys"}, {0x1cd1, "/dev/pts"},
		{0x64626720, "debugfs"}, {0x74726163, "tracefs"}, {0x73636673, "securityfs"},
		{0x27e0eb, "cgroup"}, {0x63677270, "cgroup2"}, {0xcafe4a11, "bpf"},
		{0x62656570, "configfs"}, {0xde5e81e4, "efivarfs"}, {0x42494e4d, "binfmt_misc"},
	};
	static const char *const dirs[] = {"/proc", "/sys", "/dev"};
	struct statfs sf;
	size_t i;

	if (fstatfs(fd, &sf) == 0)
		for (i = 0; i < sizeof fs / sizeof fs[0]; i++)
			if ((unsigned long)sf.f_type == fs[i].magic)
				return fs[i].name;
	for (i = 0; real && i < sizeof dirs / sizeof dirs[0]; i++)
		if (under(real, dirs[i]))
			return dirs[i];
	return NULL;
}

static const char *
file_type(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket" : S_ISCHR(m) ?
	    "a character device" : S_ISBLK(m) ? "a block device" : S_ISDIR(m) ?
	    "a directory" : S_ISLNK(m) ? "a symlink" : "not a regular file";
}

/* The real path of an open descriptor (malloc'd), or NULL. */
static char *
fd_path(int fd, const char *path)
{
	char link[64], *buf;
	ssize_t r;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	buf = xmalloc(PATH_MAX + 1);
	r = readlink(link, buf, PATH_MAX);
	if (r > 0 && buf[0] == '/') {
		buf[r] = '\0';
		return buf;
	}
	free(buf);
	/* No /proc (some containers): resolve the name instead. */
	return realpath(path, NULL);
}

int
fsio_open_input(const char *path, struct stat *st)
{
	struct stat pre;
	const char *kfs;
	char *real = NULL;
	size_t i;
	int fd, fl;

	/* Refuse what is not a regular file before opening it: opening a device can act. */
	if (stat(path, &pre) == -1) {
		read_error(path, "open", errno);
		return -1;
	}
	if (S_ISDIR(pre.st_mode)) {
		diag_error(path, 0, 0, "is a directory, not a file");
		return -1;
	}
	if (!S_ISREG(pre.st_mode)) {
		diag_error(path, 0, 0, "is %s; sloproof reads only regular files", file_type(pre.st_mode));
		return -1;
	}
	/* O_NONBLOCK: should a FIFO be swapped in since the stat, open does not wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) == -1) {
		read_error(path, "open", errno);
		return -1;
	}
	if (fstat(fd, st) == -1) {
		read_error(path, "stat", errno);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		diag_error(path, 0, 0, "is %s; sloproof reads only regular files", file_type(st->st_mode));
		close(fd);
		return -1;
	}
	real = fd_path(fd, path);
	if ((kfs = kernel_fs(fd, real)) != NULL) {
		diag_error(path, 0, 0, "is a file of %s, an interface of the kernel, not evidence", kfs);
		goto fail;
	}
	if (conf_nroots) {
		for (i = 0; real && i < conf_nroots; i++)
			if (under(real, conf_roots[i]))
				break;
		if (real == NULL || i == conf_nroots) {
			diag_error(path, 0, 0, "leads outside %s (to %s); move it there, or allow "
			    "its folder with --allow-root DIR or the drill's allow_roots:", conf_what,
			    diag_q(real ? real : "an unknown place", (size_t)-1));
			goto fail;
		}
	}
	free(real);
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
fail:
	free(real);
	close(fd);
	return -1;
}

static int
inflate_all(const char *path, const unsigned char *in, size_t n, size_t max,
    struct buf *out)
{
	z_stream z;
	unsigned char chunk[65536];
	size_t ratio = lim_env("SLOPROOF_MAX_INFLATE_RATIO", LIM_INFLATE_RATIO);
	int r = Z_OK;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK) {
		diag_syserr(path, "cannot start gzip decoder");
		return -1;
	}
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (r != Z_STREAM_END) {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		r = inflate(&z, Z_NO_FLUSH);
		if (r == Z_STREAM_END && z.avail_in > 0) {
			/* Concatenated gzip members (pigz, cat a.gz b.gz). */
			if (buf_add(out, chunk, sizeof chunk - z.avail_out) == -1)
				goto toobig;
			inflateReset(&z);
			r = Z_OK;
			continue;
		}
		if (r != Z_OK && r != Z_STREAM_END) {
			diag_error(path, 0, 0, "corrupt gzip data%s%s",
			    z.avail_in == 0 ? ": truncated" : "",
			    z.msg && z.avail_in ? ": " : "");
			inflateEnd(&z);
			return -1;
		}
		if (buf_add(out, chunk, sizeof chunk - z.avail_out) == -1)
			goto toobig;
		if (out->len > LIM_INFLATE_FREE && out->len / ratio > n - z.avail_in) {
			inflateEnd(&z);
			diag_error(path, 0, 0, "gzip data inflates more than %zu times (a "
			    "decompression bomb?); limit SLOPROOF_MAX_INFLATE_RATIO=%zu, set it "
			    "higher for a genuine file", ratio, ratio);
			return -1;
		}
		if (r == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
			diag_error(path, 0, 0, "corrupt gzip data: truncated");
			inflateEnd(&z);
			return -1;
		}
	}
	inflateEnd(&z);
	return 0;
toobig:
	inflateEnd(&z);
	diag_error(path, 0, 0, "input is larger than the limit of %zu bytes after gunzip "
	    "(LIM_INPUT_BYTES in include/util/splimits.h)", max);
	return -1;
}

int
fsio_is_zstd(const void *p, size_t n)
{
	const unsigned char *b = p;

	/* A zstd frame's magic number, 0xFD2FB528 little-endian. */
	return n >= 4 && b[0] == 0x28 && b[1] == 0xB5 && b[2] == 0x2F && b[3] == 0xFD;
}

/*
 * Decompresses zstd frames (one or several, as zstd -T0 or cat a.zst b.zst
 * write them) into out, at most max bytes, or stops at max when head.
 */
static int
unzstd(const char *path, const void *in, size_t n, size_t max, struct buf *out, int head)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = {in, n, 0};
	char chunk[65536];
	size_t r = 1, want, ratio = lim_env("SLOPROOF_MAX_INFLATE_RATIO", LIM_INFLATE_RATIO);

	if (d == NULL) {
		diag_syserr(path, "cannot start zstd decoder");
		return -1;
	}
	while (ib.pos < ib.size) {
		ZSTD_outBuffer ob = {chunk, sizeof chunk, 0};

		r = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(r)) {
			diag_error(path, 0, 0, "corrupt zstd data: %s", ZSTD_getErrorName(r));
			ZSTD_freeDCtx(d);
			return -1;
		}
		want = head && ob.pos > max - out->len ? max - out->len : ob.pos;
		if (buf_add(out, chunk, want) == -1 || (!head && out->len > max)) {
			diag_error(path, 0, 0, "input is larger than the limit of %zu bytes after "
			    "zstd decompression", max);
			ZSTD_freeDCtx(d);
			return -1;
		}
		if (head && out->len >= max)
			break;
		if (!head && out->len > LIM_INFLATE_FREE && out->len / ratio > ib.pos) {
			diag_error(path, 0, 0, "zstd data decompresses more than %zu times (a "
			    "decompression bomb?); limit SLOPROOF_MAX_INFLATE_RATIO=%zu, set it "
			    "higher for a genuine file", ratio, ratio);
			ZSTD_freeDCtx(d);
			return -1;
		}
		if (ob.pos == 0 && r != 0 && ib.pos == ib.size)
			break;
	}
	ZSTD_freeDCtx(d);
	if (r != 0 && !head) {
		diag_error(path, 0, 0, "corrupt zstd data: truncated");
		return -1;
	}
	return 0;
}

int
fsio_read(const char *path, size_t max, struct buf *out, int *gzipped, char *sha256hex)
{
	struct stat st;
	struct buf raw;
	char chunk[65536];
	ssize_t r;
	int fd, rc = 0;

	if (gzipped)
		*gzipped = 0;
	if ((fd = fsio_open_input(path, &st)) == -1)
		return -1;
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > max && max < (size_t)-1) {
		/* A gzip file this large cannot inflate to less than max. */
		diag_error(path, 0, 0, "input is larger than the limit of %zu bytes", max);
		close(fd);
		return -1;
	}
	buf_init(&raw, max);
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			read_error(path, "read", errno);
			rc = -1;
			break;
		}
		if (r == 0)
			break;
		if (buf_add(&raw, chunk, (size_t)r) == -1) {
			diag_error(path, 0, 0, "input is larger than the limit of %zu bytes", max);
			rc = -1;
			break;
		}
	}
	close(fd);
	if (rc == 0 && sha256hex)
		sha256_hex(raw.data ? raw.data : "", raw.len, sha256hex);
	if (rc == 0 && raw.len >= 2 && (unsigned char)raw.data[0] == 0x1f &&
	    (unsigned char)raw.data[1] == 0x8b) {
		if (gzipped)
			*gzipped = 1;
		rc = inflate_all(path, (unsigned char *)raw.data, raw.len, max, out);
		buf_release(&raw);
		return rc;
	}
	if (rc == 0 && fsio_is_zstd(raw.data, raw.len)) {
		if (gzipped)
			*gzipped = 2;
		rc = unzstd(path, raw.data, raw.len, max, out, 0);
		buf_release(&raw);
		return rc;
	}
	if (rc == 0) {
		buf_release(out);
		*out = raw;
		out->max = max;
		return 0;
	}
	buf_release(&raw);
	return -1;
}

int
fsio_read_head(const char *path, size_t max, struct buf *out, int *gzipped)
{
	struct stat st;
	unsigned char in[16384], chunk[16384];
	z_stream z;
	ssize_t r;
	size_t want;
	int fd, zr = Z_OK, gz = -1, rc = 0;

	*gzipped = 0;
	if ((fd = fsio_open_input(path, &st)) == -1)
		return -1;
	memset(&z, 0, sizeof z);
	while (out->len < max && zr != Z_STREAM_END) {
		r = read(fd, in, gz == -1 ? 2 : sizeof in);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			read_error(path, "read", errno);
			rc = -1;
			break;
		}
		if (r == 0)
			break;
		if (gz == -1 && r < 2 && (r = read(fd, in + 1, 1)) >= 0)
			r += 1;
		if (gz == -1) {
			gz = r >= 2 && in[0] == 0x1f && in[1] == 0x8b;
			if (gz && inflateInit2(&z, 15 + 32) != Z_OK) {
				diag_syserr(path, "cannot start gzip decoder");
				rc = -1;
				break;
			}
		}
		if (!gz) {
			want = max - out->len < (size_t)r ? max - out->len : (size_t)r;
			buf_add(out, in, want);
			continue;
		}
		z.next_in = in;
		z.avail_in = (uInt)r;
		while (z.avail_in > 0 && out->len < max) {
			z.next_out = chunk;
			z.avail_out = sizeof chunk;
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
				diag_error(path, 0, 0, "corrupt gzip data");
				rc = -1;
				break;
			}
			want = sizeof chunk - z.avail_out;
			if (want > max - out->len)
				want = max - out->len;
			buf_add(out, chunk, want);
			if (zr == Z_STREAM_END)
				break;
		}
		if (rc == -1)
			break;
	}
	if (gz == 1) {
		inflateEnd(&z);
		*gzipped = 1;
	}
	if (rc == 0 && gz != 1 && fsio_is_zstd(out->data, out->len)) {
		/* zstd: decompress the head of the file, read again with room for poor ratios. */
		size_t rawmax = max < (size_t)-1 / 16 ? 16 * max : max;
		char *raw = xmalloc(rawmax);
		ssize_t got;

		while ((got = pread(fd, raw, rawmax, 0)) == -1 && errno == EINTR)
			;
		buf_reset(out);
		*gzipped = 2;
		rc = got < 0 ? -1 : unzstd(path, raw, (size_t)got, max, out, 1);
		if (got < 0)
			read_error(path, "read", errno);
		free(raw);
	}
	close(fd);
	return rc;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;
	int e;

	while (n > 0) {
		if ((e = fsio_fault()) != 0) {
			errno = e;
			return -1;
		}
		w = write(fd, p, n > 1048576 ? 1048576 : n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
open_new(const char *path)
{
	int e, fd;

	if ((e = fsio_fault()) != 0) {
		errno = e;
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	/* 0644 whatever the umask: a bundle is for others to read, and never wider. */
	if (fd != -1 && fchmod(fd, 0644) == -1) {
		e = errno;
		close(fd);
		unlink(path);
		errno = e;
		return -1;
	}
	return fd;
}

static int
finish(int fd, const char *path)
{
	int e;

	if ((e = fsio_fault()) != 0 || fsync(fd) == -1) {
		diag_syserr(path, "cannot fsync: %s", strerror(e ? e : errno));
		close(fd);
		return -1;
	}
	if ((e = fsio_fault()) != 0 || close(fd) == -1) {
		diag_syserr(path, "cannot close: %s", strerror(e ? e : errno));
		return -1;
	}
	return 0;
}

int
fsio_write(const char *path, const void *p, size_t n)
{
	int fd;

	if ((fd = open_new(path)) == -1) {
		diag_syserr(path, "cannot create: %s", strerror(errno));
		return -1;
	}
	if (write_all(fd, p, n) == -1) {
		diag_syserr(path, "cannot write: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return finish(fd, path);
}

int
fsio_append(const char *path, const void *p, size_t n)
{
	int fd, e;

	if ((e = fsio_fault()) != 0) {
		errno = e;
		fd = -1;
	} else {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	}
	if (fd == -1) {
		diag_syserr(path, "cannot open for appending: %s", strerror(errno));
		return -1;
	}
	if (write_all(fd, p, n) == -1) {
		diag_syserr(path, "cannot write: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return finish(fd, path);
}

int
fsio_write_replace(const char *path, const void *p, size_t n)
{
	char *tmp;
	size_t len = strlen(path) + 40;
	int rc;

	tmp = xmalloc(len);
	snprintf(tmp, len, "%s.tmp-%ld", path, (long)getpid());
	unlink(tmp);
	rc = fsio_write(tmp, p, n);
	if (rc == 0)
		rc = fsio_rename(tmp, path);
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
fsio_copy(const char *src, const char *dst)
{
	char chunk[65536];
	struct stat st;
	ssize_t r;
	int in, out;

	if ((in = fsio_open_input(src, &st)) == -1)
		return -1;
	if ((out = open_new(dst)) == -1) {
		diag_syserr(dst, "cannot create: %s", strerror(errno));
		close(in);
		return -1;
	}
	for (;;) {
		r = read(in, chunk, sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			read_error(src, "read", errno);
			goto fail;
		}
		if (r == 0)
			break;
		if (write_all(out, chunk, (size_t)r) == -1) {
			diag_syserr(dst, "cannot write: %s", strerror(errno));
			goto fail;
		}
	}
	close(in);
	return finish(out, dst);
fail:
	close(in);
	close(out);
	return -1;
}

int
fsio_mkdir(const char *path)
{
	int e;

	if ((e = fsio_fault()) != 0 || mkdir(path, 0755) == -1 || chmod(path, 0755) == -1) {
		diag_syserr(path, "cannot create directory: %s", strerror(e ? e : errno));
		return -1;
	}
	return 0;
}

int
fsio_mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	struct stat st;
	int rc = 0;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (lstat(p, &st) == -1) {
			/* One message per failure: fsio_mkdir reports its own. */
			if (errno != ENOENT) {
				diag_syserr(p, "cannot stat: %s", strerror(errno));
				rc = -1;
			} else if (fsio_mkdir(p) == -1) {
				rc = -1;
			}
		} else if (S_ISLNK(st.st_mode) && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			;	/* a symlink to a folder the user named (--out): followed */
		} else if (!S_ISDIR(st.st_mode)) {
			diag_error(p, 0, 0, "cannot create a folder here: %s is in the way",
			    S_ISLNK(st.st_mode) ? "a symlink that leads to no folder" : "a file");
			rc = -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

int
fsio_rename_noreplace(const char *from, const char *to, int *exists)
{
	int e;

	*exists = 0;
	if ((e = fsio_fault()) != 0) {
		diag_syserr(to, "cannot rename into place: %s", strerror(e));
		return -1;
	}
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EEXIST) {
		*exists = 1;
		return -1;
	}
	if (errno == EINVAL || errno == ENOSYS) {
		/* A file system without RENAME_NOREPLACE: check, then rename. */
		if (fsio_exists(to)) {
			*exists = 1;
			return -1;
		}
		if (rename(from, to) == 0)
			return 0;
	}
	diag_syserr(to, "cannot rename into place: %s", strerror(errno));
	return -1;
}

int
fsio_rename(const char *from, const char *to)
{
	int e;

	if ((e = fsio_fault()) != 0 || rename(from, to) == -1) {
		diag_syserr(to, "cannot rename into place: %s", strerror(e ? e : errno));
		return -1;
	}
	return 0;
}

int
fsio_fsync_dir(const char *path)
{
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		diag_syserr(path, "cannot open directory: %s", strerror(errno));
		return -1;
	}
	if ((e = fsio_fault()) != 0 || fsync(fd) == -1) {
		diag_syserr(path, "cannot fsync directory: %s", strerror(e ? e : errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

void
fsio_rmtree(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char *child;
	size_t n;

	if (lstat(path, &st) == -1)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			n = strlen(path) + strlen(de->d_name) + 2;
			child = xmalloc(n);
			snprintf(child, n, "%s/%s", path, de->d_name);
			fsio_rmtree(child);
			free(child);
		}
		closedir(d);
	}
	rmdir(path);
}

int
fsio_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
fsio_isdir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The front door's primitives (in/import.c): one open per input, the
 * bytes read from that descriptor only, and stored from memory or from
 * that same descriptor, never from the path again.
 */
int
fsio_read_fd(int fd, const char *path, size_t want, struct buf *out)
{
	char chunk[65536];
	size_t start = out->len;
	ssize_t r;

	while (out->len - start < want) {
		r = read(fd, chunk, want - (out->len - start) < sizeof chunk ?
		    want - (out->len - start) : sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			read_error(path, "read", errno);
			return -1;
		}
		if (r == 0)
			return 0;
		if (buf_add(out, chunk, (size_t)r) == -1) {
			diag_error(path, 0, 0, "input is larger than the limit of %zu bytes", out->max);
			return -1;
		}
	}
	return 0;
}

int
fsio_inflate(const char *path, const void *in, size_t n, size_t max, struct buf *out)
{
	return inflate_all(path, in, n, max, out);
}

int
fsio_inflate_head(const void *in, size_t n, size_t max, struct buf *out)
{
	unsigned char chunk[16384];
	z_stream z;
	size_t got;
	int zr = Z_OK;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (z.avail_in > 0 && out->len < max && zr == Z_OK) {
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END)
			break;
		got = sizeof chunk - z.avail_out;
		if (got > max - out->len)
			got = max - out->len;
		buf_add(out, chunk, got);
	}
	inflateEnd(&z);
	return zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR ? 0 : -1;
}

int
fsio_copy_fd(int in, const char *display, const char *dst, char sha256hex[65])
{
	struct sha256 h;
	char chunk[65536];
	off_t off = 0;
	ssize_t r;
	int out;

	if ((out = open_new(dst)) == -1) {
		diag_syserr(dst, "cannot create: %s", strerror(errno));
		return -1;
	}
	sha256_init(&h);
	for (;;) {
		r = pread(in, chunk, sizeof chunk, off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			read_error(display, "read", errno);
			goto fail;
		}
		if (r == 0)
			break;
		sha256_update(&h, chunk, (size_t)r);
		off += r;
		if (write_all(out, chunk, (size_t)r) == -1) {
			diag_syserr(dst, "cannot write: %s", strerror(errno));
			goto fail;
		}
	}
	sha256_final(&h, sha256hex);
	return finish(out, dst);
fail:
	sha256_final(&h, sha256hex);
	close(out);
	return -1;
}

int
fsio_unzstd(const char *path, const void *in, size_t n, size_t max, struct buf *out)
{
	return unzstd(path, in, n, max, out, 0);
}

int
fsio_unzstd_head(const void *in, size_t n, size_t max, struct buf *out)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = {in, n, 0};
	char chunk[16384];
	size_t r, got;
	int rc = 0;

	if (d == NULL)
		return -1;
	while (ib.pos < ib.size && out->len < max) {
		ZSTD_outBuffer ob = {chunk, sizeof chunk, 0};

		r = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(r)) {
			rc = -1;
			break;
		}
		got = ob.pos > max - out->len ? max - out->len : ob.pos;
		buf_add(out, chunk, got);
		if (ob.pos == 0 && ib.pos == ib.size)
			break;
	}
	ZSTD_freeDCtx(d);
	return rc;
}

int
fsio_copy_fd_zstd(int in, const char *display, const char *dst, char sha256hex[65], int level,
    int workers)
{
	struct sha256 h;
	ZSTD_CCtx *z;
	char *ib = NULL, *ob = NULL;
	size_t inl = ZSTD_CStreamInSize() * 8, outl = ZSTD_CStreamOutSize(), r;
	off_t off = 0;
	ssize_t got;
	int out, eof = 0;

	if ((z = ZSTD_createCCtx()) == NULL) {
		diag_syserr(dst, "cannot start zstd encoder");
		return -1;
	}
	(void)ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, level);
	(void)ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1);
	/* Workers compress while this thread reads and hashes; a libzstd without threads ignores it. */
	if (workers > 1) {
		(void)ZSTD_CCtx_setParameter(z, ZSTD_c_nbWorkers, workers);
		/* 1 MiB jobs: each worker holds its job's input and output, not 8 MiB of each. */
		(void)ZSTD_CCtx_setParameter(z, ZSTD_c_jobSize, 1 << 20);
	}
	if ((out = open_new(dst)) == -1) {
		diag_syserr(dst, "cannot create: %s", strerror(errno));
		ZSTD_freeCCtx(z);
		return -1;
	}
	sha256_init(&h);
	ib = xmalloc(inl);
	ob = xmalloc(outl);
	while (!eof) {
		ZSTD_inBuffer zi = {ib, 0, 0};

		got = pread(in, ib, inl, off);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			read_error(display, "read", errno);
			goto fail;
		}
		eof = got == 0;
		zi.size = (size_t)got;
		off += got;
		sha256_update(&h, ib, (size_t)got);
		do {
			ZSTD_outBuffer zo = {ob, outl, 0};

			r = ZSTD_compressStream2(z, &zo, &zi, eof ? ZSTD_e_end : ZSTD_e_continue);
			if (ZSTD_isError(r)) {
				diag_syserr(dst, "cannot compress: %s", ZSTD_getErrorName(r));
				goto fail;
			}
			if (write_all(out, ob, zo.pos) == -1) {
				diag_syserr(dst, "cannot write: %s", strerror(errno));
				goto fail;
			}
		} while (eof ? r != 0 : zi.pos < zi.size);
	}
	sha256_final(&h, sha256hex);
	free(ib);
	free(ob);
	ZSTD_freeCCtx(z);
	return finish(out, dst);
fail:
	sha256_final(&h, sha256hex);
	free(ib);
	free(ob);
	ZSTD_freeCCtx(z);
	close(out);
	return -1;
}

int
fsio_sha256_unzstd(int fd, char sha256hex[65])
{
	struct sha256 h;
	ZSTD_DCtx *d;
	char *ib, *ob;
	size_t inl = ZSTD_DStreamInSize(), outl = ZSTD_DStreamOutSize(), r = 1;
	off_t off = 0;
	ssize_t got;
	int rc = 0;

	if ((d = ZSTD_createDCtx()) == NULL)
		return -1;
	ib = xmalloc(inl);
	ob = xmalloc(outl);
	sha256_init(&h);
	for (;;) {
		ZSTD_inBuffer zi = {ib, 0, 0};

		got = pread(fd, ib, inl, off);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0) {
			/* The end: a whole frame was read (r == 0), else it is cut short. */
			rc = got == 0 && off > 0 && r == 0 ? 0 : -1;
			break;
		}
		if (off == 0 && !fsio_is_zstd(ib, (size_t)got)) {
			rc = -1;
			break;
		}
		off += got;
		zi.size = (size_t)got;
		while (zi.pos < zi.size) {
			ZSTD_outBuffer zo = {ob, outl, 0};

			r = ZSTD_decompressStream(d, &zo, &zi);
			if (ZSTD_isError(r))
				break;
			sha256_update(&h, ob, zo.pos);
		}
		if (ZSTD_isError(r)) {
			rc = -1;
			break;
		}
	}
	sha256_final(&h, sha256hex);
	free(ib);
	free(ob);
	ZSTD_freeDCtx(d);
	return rc;
}
