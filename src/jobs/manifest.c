/*
 * manifest.c — a bundle's MANIFEST.sha256: writing it, and `verify`, which
 * proves a bundle is whole: every listed file matches, nothing is unlisted,
 * the files every bundle has are there, every evidence file and attachment
 * summary.json names is there with the hash summary.json records, and,
 * when asked, the manifest carries a good SSH signature (sign.c). Owns
 * nothing beyond one call. Depends on fsio, sha256, in_bundle, sign.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/sha256.h"
#include "util/splimits.h"
#include "util/termsafe.h"
#include "util/xalloc.h"
#include "in/in_bundle.h"
#include "jobs/bundle.h"
#include "jobs/bundle_parts.h"
#include "jobs/sign.h"

/* The files every bundle has; a bundle without one is not whole. */
static const char *const required[] = {"summary.json", "report.md", "drill.yaml", NULL};

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
		bundle_join(path, sizeof path, dir, rel);
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
			bundle_join(child, sizeof child, rel, de->d_name);
		else
			snprintf(child, sizeof child, "%s", de->d_name);
		bundle_join(path, sizeof path, dir, child);
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

/* Hashes a regular file, never through a symlink and never blocking on a FIFO. */
static int
hash_file(const char *path, char hex[65])
{
	struct sha256 h;
	struct stat st;
	char chunk[65536];
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
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

/*
 * Whether the file at path is what summary.json recorded: its bytes hash
 * to sha, or it is evidence the bundle stored zstd-compressed (NAME.zst)
 * and what it decompresses to does.
 */
static int
evidence_matches(const char *path, const char *sha)
{
	char hex[65];
	int fd, rc;

	if (hash_file(path, hex) == -1)
		return 0;
	if (strcmp(hex, sha) == 0)
		return 1;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) == -1)
		return 0;
	rc = fsio_sha256_unzstd(fd, hex) == 0 && strcmp(hex, sha) == 0;
	close(fd);
	return rc;
}

/* Whether a relative name leaves the bundle: absolute, or a component "..". */
static int
leaves(const char *name)
{
	const char *p = name;

	if (*name == '/' || *name == '\0')
		return 1;
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

/* Not part of what the manifest lists: itself and its signature. */
static int
is_meta(const char *name)
{
	return strcmp(name, "MANIFEST.sha256") == 0 || strcmp(name, SIGN_FILE) == 0;
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
		if (is_meta(list[i]))
			continue;
		bundle_join(path, sizeof path, dir, list[i]);
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

struct listed {
	char	*name;
	char	*hex;		/* the manifest's hash */
};

static const struct listed *
find_listed(const struct listed *l, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].name, name) == 0)
			return &l[i];
	return NULL;
}

/* One finding, the file name made safe for a terminal. */
static void
finding(struct buf *out, const char *what, const char *name, const char *more)
{
	char safe[1024];

	term_safe(name, (size_t)-1, safe, sizeof safe);
	buf_printf(out, "%s: %s%s\n", what, safe, more ? more : "");
}

/* The files summary.json names, each there and with the hash it records. */
static void
check_summary(const char *dir, struct buf *out, int *diff)
{
	struct bsum b;
	char path[4096], more[256];
	struct stat st;
	size_t i;

	bundle_join(path, sizeof path, dir, "summary.json");
	if (lstat(path, &st) == -1)
		return;		/* reported as missing */
	if (in_bundle_read(&b, dir) == -1) {
		/* in_bundle_read said why on stderr. */
		finding(out, "unreadable", "summary.json", " (its evidence cannot be checked)");
		*diff = 1;
		diag_reset();
		in_bundle_release(&b);
		return;
	}
	for (i = 0; i < b.nfiles; i++) {
		const struct bsum_file *f = &b.files[i];

		snprintf(more, sizeof more, " (summary.json %s names it)", f->key);
		if (leaves(f->path)) {
			finding(out, "evidence outside the bundle", f->path, more);
			*diff = 1;
			continue;
		}
		bundle_join(path, sizeof path, dir, f->path);
		if (lstat(path, &st) == -1) {
			finding(out, "missing evidence", f->path, more);
			*diff = 1;
		} else if (f->sha256 && !evidence_matches(path, f->sha256)) {
			snprintf(more, sizeof more, " (its sha256 is not the one summary.json %s records)",
			    f->key);
			finding(out, "evidence differs from summary.json", f->path, more);
			*diff = 1;
		}
	}
	in_bundle_release(&b);
}

int
bundle_verify(const char *dir, const struct verify_opts *o, struct buf *out)
{
	struct buf man;
	char path[4096], hex[65], **list = NULL, *line, *end;
	size_t n = 0, cap = 0, i, nlisted = 0, caplisted = 0, lineno = 0;
	struct listed *listed = NULL;
	struct stat st;
	int diff = 0, rc = -1;

	bundle_join(path, sizeof path, dir, "MANIFEST.sha256");
	buf_init(&man, LIM_INPUT_BYTES);
	if (fsio_read(path, LIM_INPUT_BYTES, &man, NULL, NULL) == -1)
		goto out;
	for (line = man.data; line && line < man.data + man.len; line = end + 1) {
		struct listed *l;

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
		line[64] = '\0';
		if (leaves(line + 66)) {
			diag_error(path, (long)lineno, 67, "file name %s leaves the bundle",
			    diag_q(line + 66, (size_t)-1));
			goto out;
		}
		if (find_listed(listed, nlisted, line + 66)) {
			finding(out, "listed twice", line + 66, " (MANIFEST.sha256)");
			diff = 1;
			continue;
		}
		l = VEC_PUSH(listed, nlisted, caplisted);
		l->name = line + 66;
		l->hex = line;
	}
	if (nlisted == 0) {
		buf_addstr(out, "empty manifest: MANIFEST.sha256 lists no file\n");
		diff = 1;
	}
	for (i = 0; i < nlisted; i++) {
		bundle_join(path, sizeof path, dir, listed[i].name);
		if (lstat(path, &st) == -1) {
			finding(out, "missing", listed[i].name, NULL);
			diff = 1;
		} else if (hash_file(path, hex) == -1 || memcmp(hex, listed[i].hex, 64) != 0) {
			finding(out, "changed", listed[i].name, NULL);
			diff = 1;
		}
	}
	for (i = 0; required[i]; i++) {
		bundle_join(path, sizeof path, dir, required[i]);
		if (find_listed(listed, nlisted, required[i]) != NULL)
			continue;	/* missing or changed: said above */
		if (lstat(path, &st) == -1)
			finding(out, "missing", required[i], " (every bundle has one)");
		else
			finding(out, "not in the manifest", required[i], " (every bundle lists it)");
		diff = 1;
	}
	if (walk(dir, "", &list, &n, &cap) == -1)
		goto out;
	qsort(list, n, sizeof *list, cmp_str);
	for (i = 0; i < n; i++) {
		const char *f = list[i][0] == '!' ? list[i] + 1 : list[i];
		const struct listed *l = find_listed(listed, nlisted, f);
		size_t k;
		int req = 0;

		for (k = 0; required[k]; k++)
			req = req || strcmp(required[k], f) == 0;
		if (is_meta(f) && list[i][0] != '!')
			continue;
		if (l == NULL && !req) {
			finding(out, "extra", f, NULL);
			diff = 1;
		} else if (list[i][0] == '!') {
			finding(out, "not a regular file", f, NULL);
			diff = 1;
		}
	}
	check_summary(dir, out, &diff);
	if (o && o->allowed_signers) {
		struct buf who;
		int s;

		buf_init(&who, 4096);
		bundle_join(path, sizeof path, dir, SIGN_FILE);
		if (lstat(path, &st) == -1) {
			buf_addstr(out, "not signed: the bundle has no " SIGN_FILE "\n");
			diff = 1;
		} else if ((s = sign_verify(o->allowed_signers, dir, &who)) == -1) {
			buf_release(&who);
			goto out;
		} else if (s == 1) {
			finding(out, "bad signature", SIGN_FILE, buf_str(&who));
			diff = 1;
		} else if (o->signer) {
			buf_release(o->signer);
			*o->signer = who;
			buf_init(&who, 1);
		}
		buf_release(&who);
	}
	rc = diff;
out:
	free_list(list, n);
	free(listed);
	buf_release(&man);
	return rc;
}
