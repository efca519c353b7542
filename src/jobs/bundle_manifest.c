/*
 * bundle_manifest.c — a bundle's checksums: MANIFEST.sha256 written over
 * every file of a finished bundle (sha256sum -c compatible) and checked
 * again by `sloproof verify`. Owns nothing past a call. Depends on fsio,
 * sha256 and diag.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobs/bundle.h"
#include "jobs/bundle_parts.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/sha256.h"
#include "util/splimits.h"
#include "util/xalloc.h"

#define join bundle_join

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
