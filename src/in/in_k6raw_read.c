/*
 * in_k6raw_read.c — reading k6 raw output: a plain file mapped and cut
 * into one part per core, each parsed by its own thread (and hashed by
 * another only when asked); gzip or zstd inflated by this thread into a
 * ring of buffers that a second thread parses. Part of the k6
 * raw importer (in/k6raw_imp.h); owns nothing past the import.
 */
#define _GNU_SOURCE	/* madvise, memmem */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "model/hist.h"
#include "in/import.h"
#include "in/k6raw_imp.h"
#include "model/run.h"
#include "util/sha256.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* ---- reading: a mapped file in parallel parts, or a stream ------------ */

static void
drop_pages(const char *base, size_t from, size_t to)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)(base + from) + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	uintptr_t b = (uintptr_t)(base + to) & ~((uintptr_t)pg - 1);

	if (b > a)
		(void)madvise((void *)a, b - a, MADV_DONTNEED);
}

static void *
part_main(void *arg)
{
	struct part *p = arg;
	size_t off = p->from, end;
	const char *nl;

	while (off < p->to) {
		end = p->to - off > DROP_BEHIND ? off + DROP_BEHIND : p->to;
		if (end < p->to) {
			nl = memchr(p->base + end, '\n', p->to - end);
			end = nl ? (size_t)(nl - p->base) + 1 : p->to;
		}
		k6r_parse_chunk(p, p->base + off, end - off);
		drop_pages(p->base, off, end);
		off = end;
		atomic_store_explicit(&p->done_lines, p->lines, memory_order_relaxed);
		atomic_store_explicit(&p->done, off - p->from, memory_order_relaxed);
	}
	return NULL;
}

struct hasher {
	const char	*base;
	size_t		 n;
	char		 hex[65];
	_Atomic uint64_t done;
};

static void *
hash_main(void *arg)
{
	struct hasher *h = arg;
	struct sha256 c;
	size_t off = 0, k;

	sha256_init(&c);
	while (off < h->n) {
		k = h->n - off > DROP_BEHIND ? DROP_BEHIND : h->n - off;
		sha256_update(&c, h->base + off, k);
		drop_pages(h->base, off, off + k);
		off += k;
		atomic_store_explicit(&h->done, off, memory_order_relaxed);
	}
	sha256_final(&c, h->hex);
	return NULL;
}

_Thread_local int k6r_quiet;

/* Progress on stderr, when it is a terminal, at most four times a second. */
struct progress {
	int		 on;
	const char	*name;
	uint64_t	 total;
	struct timespec	 t0, last;
};

static double
secs_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void
progress_init(struct progress *pr, const char *name, uint64_t total)
{
	memset(pr, 0, sizeof *pr);
	pr->on = !k6r_quiet && isatty(2);
	pr->name = name;
	pr->total = total;
	clock_gettime(CLOCK_MONOTONIC, &pr->t0);
	pr->last = pr->t0;
}

static void
progress_show(struct progress *pr, uint64_t done, uint64_t lines)
{
	double el;

	if (!pr->on || secs_since(&pr->last) < 0.25)
		return;
	clock_gettime(CLOCK_MONOTONIC, &pr->last);
	el = secs_since(&pr->t0);
	fprintf(stderr, "\rsloproof: %s: %.1f of %.1f MB, %.1f M lines/s",
	    pr->name, (double)done / 1e6, (double)pr->total / 1e6,
	    el > 0 ? (double)lines / el / 1e6 : 0.0);
	if (done > 0 && done < pr->total)
		fprintf(stderr, ", ETA %.0f s", el * (double)(pr->total - done) / (double)done);
	fputs("\033[K", stderr);
}

static void
progress_end(struct progress *pr)
{
	if (pr->on && secs_since(&pr->t0) >= 0.25)
		fputs("\r\033[K", stderr);
}

static int
nthreads(size_t size)
{
	const char *e = getenv("SLOPROOF_THREADS");
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	long long v;

	if (e && strnum_ll(e, strlen(e), &v) == 0 && v >= 1 && v <= MAXPARTS)
		return (int)v;
	if (size < 4u * 1024 * 1024 || n < 1)
		return 1;
	return n > MAXPARTS ? MAXPARTS : (int)n;
}

/* A regular file: mapped, cut into parts at line boundaries, one thread each, one hashing. */
int
k6r_read_mapped(struct part *parts, int *nparts, int fd, size_t size, const char *display,
    char *sha)
{
	pthread_t th[MAXPARTS], hth;
	struct hasher hs;
	struct progress pr;
	const char *base, *nl;
	size_t cut[MAXPARTS + 1];
	uint64_t done, lines;
	int n = nthreads(size), i, started = 0, hashing;
	struct timespec nap = {0, 50 * 1000 * 1000};

	base = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (base == MAP_FAILED) {
		diag_syserr(display, "cannot map the file: %s", strerror(errno));
		return -1;
	}
	memset(&hs, 0, sizeof hs);
	/* Hashing only when asked (bundle, --hash): it is a pass of its own over every byte. */
	hs.n = sha ? size : 0;
	hs.base = sha ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : base;
	if (hs.base == MAP_FAILED) {
		munmap((void *)base, size);
		diag_syserr(display, "cannot map the file: %s", strerror(errno));
		return -1;
	}
	cut[0] = 0;
	for (i = 1; i < n; i++) {
		cut[i] = size / (size_t)n * (size_t)i;
		if (cut[i] < cut[i - 1])
			cut[i] = cut[i - 1];
		nl = memchr(base + cut[i], '\n', size - cut[i]);
		cut[i] = nl ? (size_t)(nl - base) + 1 : size;
	}
	cut[n] = size;
	for (i = 0; i < n; i++) {
		parts[i].base = base;
		parts[i].from = cut[i];
		parts[i].to = cut[i] < cut[i + 1] ? cut[i + 1] : cut[i];
	}
	*nparts = n;
	hashing = sha && pthread_create(&hth, NULL, hash_main, &hs) == 0;
	for (i = 0; i < n; i++) {
		if (pthread_create(&th[i], NULL, part_main, &parts[i]) != 0)
			break;
		started++;
	}
	for (i = started; i < n; i++)
		part_main(&parts[i]);	/* no thread: do it here */
	if (!hashing && sha)
		hash_main(&hs);
	progress_init(&pr, display, (uint64_t)size);
	for (;;) {
		done = 0;
		lines = 0;
		for (i = 0; i < n; i++) {
			done += atomic_load_explicit(&parts[i].done, memory_order_relaxed);
			lines += atomic_load_explicit(&parts[i].done_lines, memory_order_relaxed);
		}
		if (done >= size)
			break;
		progress_show(&pr, done, lines);
		nanosleep(&nap, NULL);
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (hashing)
		pthread_join(hth, NULL);
	progress_end(&pr);
	if (sha) {
		memcpy(sha, hs.hex, 65);
		munmap((void *)hs.base, size);
	}
	munmap((void *)base, size);
	return 0;
}

/*
 * A stream (gzip, or not a regular file): this thread reads, hashes and
 * inflates into a ring of buffers that end at line boundaries; a second
 * thread parses them. A buffer that fills up without a newline holds part
 * of an over-long line and is handed over marked, unparsed.
 */
#define NSB 4

struct stream {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	char		*buf[NSB];
	size_t		 len[NSB];
	int		 full[NSB], longl[NSB];
	int		 eof;
	struct part	*p;
};

static void *
stream_main(void *arg)
{
	struct stream *st = arg;
	int i = 0;

	for (;;) {
		pthread_mutex_lock(&st->mu);
		while (!st->full[i] && !st->eof)
			pthread_cond_wait(&st->cv, &st->mu);
		if (!st->full[i]) {
			pthread_mutex_unlock(&st->mu);
			return NULL;
		}
		pthread_mutex_unlock(&st->mu);
		if (st->longl[i]) {
			if (!st->p->skip_first) {
				st->p->lines++;
				k6r_bad_line(st->p, st->p->lines, BAD_LONG);
				st->p->skip_first = 1;
			}
		} else {
			k6r_parse_chunk(st->p, st->buf[i], st->len[i]);
		}
		atomic_store_explicit(&st->p->done_lines, st->p->lines, memory_order_relaxed);
		pthread_mutex_lock(&st->mu);
		st->full[i] = 0;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->mu);
		i = (i + 1) % NSB;
	}
}

/* Hands buffer i (len bytes) to the parser; waits until buffer i is free again when asked. */
static void
stream_put(struct stream *st, int i, size_t len, int longl)
{
	pthread_mutex_lock(&st->mu);
	st->len[i] = len;
	st->longl[i] = longl;
	st->full[i] = 1;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static void
stream_wait_free(struct stream *st, int i)
{
	pthread_mutex_lock(&st->mu);
	while (st->full[i])
		pthread_cond_wait(&st->cv, &st->mu);
	pthread_mutex_unlock(&st->mu);
}

int
k6r_read_stream(struct part *p, int fd, int codec, uint64_t size_hint, const char *display,
    char *sha, size_t *nbytes)
{
	int gz = codec == 1, zs = codec == 2, zpending = 0;
	ZSTD_DCtx *zd = NULL;
	ZSTD_inBuffer zin = {NULL, 0, 0};
	size_t zlast = 0;
	struct stream st;
	struct sha256 c;
	struct progress pr;
	pthread_t th;
	z_stream z;
	unsigned char *in = xmalloc(256 * 1024);
	char *carry = xmalloc(STREAM_BUF);
	size_t carryl = 0, fill, k;
	ssize_t r;
	int i, cur = 0, threaded, zr = Z_OK, rc = 0, in_eof = 0, zdone = 0;
	char *b, *nl;

	memset(&st, 0, sizeof st);
	pthread_mutex_init(&st.mu, NULL);
	pthread_cond_init(&st.cv, NULL);
	for (i = 0; i < NSB; i++)
		st.buf[i] = xmalloc(STREAM_BUF);
	st.p = p;
	memset(&z, 0, sizeof z);
	if (gz && inflateInit2(&z, 15 + 32) != Z_OK) {
		diag_syserr(display, "cannot start gzip decoder");
		rc = -1;
		gz = 0;
		in_eof = 1;
	}
	if (zs && (zd = ZSTD_createDCtx()) == NULL) {
		diag_syserr(display, "cannot start zstd decoder");
		rc = -1;
		zs = 0;
		in_eof = 1;
	}
	if (sha)
		sha256_init(&c);
	*nbytes = 0;
	threaded = pthread_create(&th, NULL, stream_main, &st) == 0;
	progress_init(&pr, display, size_hint);
	while (!in_eof || carryl) {
		if (threaded)
			stream_wait_free(&st, cur);
		b = st.buf[cur];
		memcpy(b, carry, carryl);
		fill = carryl;
		carryl = 0;
		while (fill < STREAM_BUF && !in_eof) {
			if (zs && (zin.pos < zin.size || zpending)) {
				/* zstd (a bundle's stored evidence): frames one after another. */
				ZSTD_outBuffer ob = {b + fill, STREAM_BUF - fill, 0};

				zlast = ZSTD_decompressStream(zd, &ob, &zin);
				if (ZSTD_isError(zlast)) {
					diag_warning(display, 0, 0, "corrupt zstd data after %zu bytes (%s); "
					    "the rest of the file is not read", *nbytes, ZSTD_getErrorName(zlast));
					in_eof = 1;
					zlast = 0;
				}
				fill += ob.pos;
				zpending = ob.pos == ob.size;
				continue;
			}
			if (gz && z.avail_in > 0 && !zdone) {
				z.next_out = (unsigned char *)b + fill;
				z.avail_out = (uInt)(STREAM_BUF - fill);
				zr = inflate(&z, Z_NO_FLUSH);
				fill = STREAM_BUF - z.avail_out;
				if (zr == Z_STREAM_END) {
					if (z.avail_in > 0)
						inflateReset(&z);	/* concatenated members */
					else
						zdone = 1;
				} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
					diag_warning(display, 0, 0, "corrupt gzip data after %zu bytes; "
					    "the rest of the file is not read", *nbytes);
					in_eof = 1;
				}
				continue;
			}
			r = gz || zs ? read(fd, in, 256 * 1024) : read(fd, b + fill, STREAM_BUF - fill);
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1) {
				diag_syserr(display, "cannot read: %s", strerror(errno));
				rc = -1;
				in_eof = 1;
				break;
			}
			if (r == 0) {
				if (gz && !zdone)
					diag_warning(display, 0, 0, "gzip data ends early (a killed k6?); "
					    "read what was there");
				if (zs && zlast != 0)
					diag_warning(display, 0, 0, "zstd data ends early; read what was there");
				in_eof = 1;
				break;
			}
			if (sha)
				sha256_update(&c, gz || zs ? (char *)in : b + fill, (size_t)r);
			*nbytes += (size_t)r;
			if (zs) {
				zin.src = in;
				zin.size = (size_t)r;
				zin.pos = 0;
			} else if (gz) {
				z.next_in = in;
				z.avail_in = (uInt)r;
				if (zdone) {
					inflateReset(&z);
					zdone = 0;
				}
			} else {
				fill += (size_t)r;
			}
		}
		/* Hand over whole lines; the unfinished tail waits for the next buffer. */
		if (!in_eof || carryl) {
			nl = NULL;
			for (k = fill; k > 0; k--)
				if (b[k - 1] == '\n') {
					nl = b + k - 1;
					break;
				}
			if (nl == NULL && fill == STREAM_BUF) {
				if (threaded) {
					stream_put(&st, cur, fill, 1);
				} else if (!p->skip_first) {
					p->lines++;
					k6r_bad_line(p, p->lines, BAD_LONG);
					p->skip_first = 1;
				}
				cur = (cur + 1) % NSB;
				progress_show(&pr, *nbytes, atomic_load(&p->done_lines));
				continue;
			}
			if (nl != NULL) {
				size_t tail = fill - (size_t)(nl + 1 - b);

				memcpy(carry, nl + 1, tail);
				carryl = tail;
				fill -= tail;
			}
		}
		if (threaded)
			stream_put(&st, cur, fill, 0);
		else
			k6r_parse_chunk(p, b, fill);
		cur = (cur + 1) % NSB;
		progress_show(&pr, *nbytes, atomic_load(&p->done_lines));
		if (in_eof && carryl == 0)
			break;
	}
	if (threaded) {
		pthread_mutex_lock(&st.mu);
		st.eof = 1;
		pthread_cond_broadcast(&st.cv);
		pthread_mutex_unlock(&st.mu);
		pthread_join(th, NULL);
	}
	progress_end(&pr);
	if (gz)
		inflateEnd(&z);
	ZSTD_freeDCtx(zd);
	if (sha)
		sha256_final(&c, sha);
	for (i = 0; i < NSB; i++)
		free(st.buf[i]);
	free(in);
	free(carry);
	pthread_mutex_destroy(&st.mu);
	pthread_cond_destroy(&st.cv);
	return rc;
}

