/*
 * import.c — reads an input once, records it as a source (size, SHA-256
 * of the bytes on disk, gzip, zstd or plain) and hands its bytes to the
 * importer of its kind, named or sniffed from content; k6 raw NDJSON,
 * recognised by its first line, is handed the descriptor instead and
 * streams the file itself, and a plain Grafana CSV that is neither hashed
 * nor kept is mapped, not read, so that its importer keeps only what the
 * rules read. Owns nothing past the call.
 * Depends on fsio, diag and the in_*.c importers; never on renderers.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "in/import.h"
#include "model/run.h"
#include "util/sha256.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/xalloc.h"

const char *const import_kinds[] = {"k6", "grafana", "alerts", "hpa", "prometheus", "pods", NULL};

static int
known_kind(const char *k, size_t n)
{
	size_t i;

	for (i = 0; import_kinds[i]; i++)
		if (strlen(import_kinds[i]) == n && strncmp(import_kinds[i], k, n) == 0)
			return 1;
	return 0;
}

static const char *
kinds_list(void)
{
	static char list[128];
	size_t i, off = 0;

	for (i = 0; import_kinds[i] && off < sizeof list; i++)
		off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
		    i ? ", " : "", import_kinds[i]);
	return list;
}

/* The input size limit; SLOPROOF_TEST_MAX_INPUT lowers it so tests need no huge files. */
static size_t
max_input(void)
{
	const char *e = getenv("SLOPROOF_TEST_MAX_INPUT");
	long long v;

	if (e && strnum_ll(e, strlen(e), &v) == 0 && v > 0 && (size_t)v < LIM_INPUT_BYTES)
		return (size_t)v;
	return LIM_INPUT_BYTES;
}

int
import_wants(const struct import_opts *o, const char *name)
{
	size_t i;

	if (o == NULL || o->want == NULL || o->series != NULL)
		return 1;
	for (i = 0; i < o->nwant; i++)
		if (strcmp(o->want[i], name) == 0)
			return 1;
	return 0;
}

/*
 * The importer table: one signature, tried in this order when the kind is
 * sniffed. k6 raw NDJSON comes first and is recognised by its head alone,
 * before the file is read whole: it is the one input too large for memory.
 */
const struct importer importers[] = {
	{"k6", in_k6raw_sniff, in_k6raw_import_mem, in_k6raw_import_fd, NULL},
	{"k6", in_k6sum_sniff, in_k6sum_import, NULL, NULL},
	{"alerts", in_alerts_sniff, in_alerts_import, NULL, NULL},
	{"grafana", in_grafana_sniff, in_grafana_import, NULL, in_grafana_import_mapped},
	{"hpa", in_hpa_sniff, in_hpa_import, NULL, NULL},
	{"prometheus", in_prom_sniff, in_prom_import, NULL, NULL},
	{"pods", in_pods_sniff, in_pods_import, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL}
};

/* Whether the head holds a NUL or control byte (not text), at *at. */
static int
binary_at(const char *d, size_t len, size_t *at)
{
	size_t i, probe = len < 4096 ? len : 4096;
	const unsigned char *p = (const unsigned char *)d;

	/* UTF-16 with a BOM is text (Grafana's "Download for Excel"); its importer converts it. */
	if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
		probe = 0;
	for (i = 0; i < probe; i++)
		if (p[i] == '\0' || (p[i] < 0x20 && !isspace(p[i]))) {
			*at = i;
			return 1;
		}
	return 0;
}

/*
 * A plain, UTF-8 Grafana CSV (named so, or the first importer that
 * recognises its head is Grafana's) that is neither hashed nor kept: its
 * importer reads it through a mapping, a chunk of rows at a time.
 */
static int
mappable(const struct input *in, unsigned flags, const struct stat *st)
{
	const struct importer *imp;
	const unsigned char *p = (const unsigned char *)in->raw.data;
	size_t n = in->raw.len, at;

	if ((flags & (IMPORT_HASH | IMPORT_KEEP | IMPORT_RAW)) || in->gzipped ||
	    !S_ISREG(st->st_mode) || n == 0 || binary_at(in->raw.data, n, &at) ||
	    (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))))
		return 0;
	if (in->kind)
		return strcmp(in->kind, "grafana") == 0;
	for (imp = &importers[1]; imp->kind; imp++)
		if (imp->sniff(in->raw.data, n))
			return imp->import_mapped != NULL;
	return 0;
}

static void
set_text(struct input *in)
{
	if (in->gzipped) {
		in->text = in->inflated.data ? in->inflated.data : "";
		in->len = in->inflated.len;
	} else {
		in->text = in->raw.data ? in->raw.data : "";
		in->len = in->raw.len;
	}
}

int
input_read(struct input *in, const char *path, const char *display, const char *kind,
    unsigned flags)
{
	struct stat st;
	struct buf head;
	int k6raw;

	memset(in, 0, sizeof *in);
	in->path = path;
	in->display = display;
	in->kind = kind;
	in->flags = flags;
	in->fd = -1;
	buf_init(&in->raw, max_input() > LIM_SNIFF_BYTES ? max_input() : LIM_SNIFF_BYTES);
	buf_init(&in->inflated, max_input());
	if ((in->fd = fsio_open_input(path, &st)) == -1)
		goto fail;
	in->size = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
	/* The head first: k6 raw output may be gigabytes and is streamed, not read whole. */
	if (fsio_read_fd(in->fd, display, LIM_SNIFF_BYTES, &in->raw) == -1)
		goto fail;
	if (!(flags & IMPORT_RAW) && in->raw.len >= 2 && (unsigned char)in->raw.data[0] == 0x1f &&
	    (unsigned char)in->raw.data[1] == 0x8b)
		in->gzipped = 1;
	else if (!(flags & IMPORT_RAW) && fsio_is_zstd(in->raw.data, in->raw.len))
		in->gzipped = 2;	/* a bundle's stored evidence, or zstd's own output */
	buf_init(&head, LIM_SNIFF_BYTES);
	if ((in->gzipped == 1 && fsio_inflate_head(in->raw.data, in->raw.len, LIM_SNIFF_BYTES,
	    &head) == -1) || (in->gzipped == 2 && fsio_unzstd_head(in->raw.data, in->raw.len,
	    LIM_SNIFF_BYTES, &head) == -1)) {
		diag_error(display, 0, 0, "corrupt %s data", in->gzipped == 1 ? "gzip" : "zstd");
		buf_release(&head);
		goto fail;
	}
	k6raw = !(flags & IMPORT_RAW) && (kind == NULL || strcmp(kind, "k6") == 0) &&
	    (in->gzipped ? in_k6raw_sniff(head.data ? head.data : "", head.len) :
	    in_k6raw_sniff(in->raw.data ? in->raw.data : "", in->raw.len));
	buf_release(&head);
	if (k6raw) {
		in->streamed = 1;
		in->kind = "k6";
		return 0;
	}
	if (mappable(in, flags, &st)) {
		void *base = mmap(NULL, in->size, PROT_READ, MAP_PRIVATE, in->fd, 0);

		if (base != MAP_FAILED) {
			(void)posix_madvise(base, in->size, POSIX_MADV_SEQUENTIAL);
			buf_release(&in->raw);
			in->mapped = 1;
			in->text = base;
			in->len = in->size;
			close(in->fd);
			in->fd = -1;
			return 0;
		}
		/* No mapping (a file system without mmap): read it whole as any input. */
	}
	in->raw.max = max_input();
	if ((S_ISREG(st.st_mode) && in->size > in->raw.max) || in->raw.len > in->raw.max) {
		/* A gzip file this large cannot inflate to less than the limit. */
		diag_error(display, 0, 0, "input is larger than the limit of %zu bytes", in->raw.max);
		goto fail;
	}
	if (fsio_read_fd(in->fd, display, (size_t)-1, &in->raw) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode))
		in->size = in->raw.len;
	if (flags & IMPORT_HASH)
		sha256_hex(in->raw.data ? in->raw.data : "", in->raw.len, in->sha256);
	if ((in->gzipped == 1 && fsio_inflate(display, in->raw.data, in->raw.len, in->inflated.max,
	    &in->inflated) == -1) || (in->gzipped == 2 && fsio_unzstd(display, in->raw.data,
	    in->raw.len, in->inflated.max, &in->inflated) == -1))
		goto fail;
	set_text(in);
	close(in->fd);
	in->fd = -1;
	if (!(flags & IMPORT_KEEP) && in->gzipped)
		buf_release(&in->raw);	/* only the text is needed */
	return 0;
fail:
	input_release(in);
	return -1;
}

int
input_store(const struct input *in, const char *dst)
{
	char sha[65];

	if (!in->streamed)
		return fsio_write(dst, in->raw.data ? in->raw.data : "", in->raw.len);
	if (fsio_copy_fd(in->fd, in->display, dst, sha) == -1)
		return -1;
	if (strcmp(sha, in->sha256) != 0) {
		diag_error(in->display, 0, 0, "the file changed while sloproof read it; "
		    "nothing was written, run again once it is complete");
		return -1;
	}
	return 0;
}

void
input_release(struct input *in)
{
	if (in->fd != -1)
		close(in->fd);
	in->fd = -1;
	if (in->mapped)
		munmap((void *)(uintptr_t)in->text, in->len);
	in->mapped = 0;
	in_k6raw_ahead_free(in->ahead);
	in->ahead = NULL;
	buf_release(&in->raw);
	buf_release(&in->inflated);
	in->text = NULL;
	in->len = 0;
}

/* Refuses what no text importer can read: a NUL or control byte near the start. */
static int
check_text(const struct input *in)
{
	size_t at;

	if (binary_at(in->text, in->len, &at)) {
		diag_error(in->display, 0, 0, "binary data at byte %zu; expected a text "
		    "file (k6 summary JSON, ...)", at + 1);
		return -1;
	}
	return 0;
}

int
import_input(struct run *run, const struct import_opts *o, struct input *in)
{
	const struct importer *imp = NULL;
	struct source *s;
	int src, rc;

	if (import_admit(run, in->kind, in->display) == -1)
		return -1;
	if (in->streamed) {
		imp = &importers[0];
	} else if (in->mapped) {
		for (imp = &importers[1]; imp->import_mapped == NULL; imp++)
			;
	} else {
		if (in->len == 0) {
			diag_error(in->display, 0, 0, "empty file; expected %s evidence",
			    in->kind ? in->kind : "k6 summary JSON or other");
			return -1;
		}
		if (check_text(in) == -1)
			return -1;
		/* Named: the first text importer of that kind. Else the first that recognises it. */
		for (imp = &importers[1]; imp->kind; imp++)
			if (in->kind ? strcmp(imp->kind, in->kind) == 0 : imp->sniff(in->text, in->len))
				break;
		if (imp->kind == NULL) {
			diag_error(in->display, 0, 0, "cannot tell what kind of evidence this is; "
			    "name it as KIND:PATH, with KIND one of: %s", kinds_list());
			return -1;
		}
	}
	src = (int)run->nsources;
	s = run_add_source(run);
	s->path = arena_strdup(&run->arena, in->display);
	s->kind = arena_strdup(&run->arena, imp->kind);
	s->gzipped = in->gzipped;
	s->size = in->size;
	memcpy(s->sha256, in->sha256, sizeof s->sha256);
	if (in->streamed) {
		rc = imp->import_fd(run, src, o, in);
		/* The streaming importer hashed as it read; the source has what it found. */
		memcpy(in->sha256, run->sources[src].sha256, sizeof in->sha256);
		in->size = run->sources[src].size;
		in->gzipped = run->sources[src].gzipped;
	} else if (in->mapped) {
		rc = imp->import_mapped(run, src, o, in);
	} else {
		rc = imp->import(run, src, o, in->display, in->text, in->len);
	}
	return rc;
}

int
import_file(struct run *run, const char *kind, const char *path, const char *display)
{
	struct import_opts o;

	memset(&o, 0, sizeof o);
	o.kind = kind;
	return import_file_opts(run, &o, path, display);
}

int
import_admit(const struct run *run, const char *kind, const char *display)
{
	if (kind && !known_kind(kind, strlen(kind))) {
		diag_error(display, 0, 0, "unknown input kind %s; expected one of: %s",
		    diag_q(kind, (size_t)-1), kinds_list());
		return -1;
	}
	if (run->nsources >= LIM_SOURCES) {
		diag_error(display, 0, 0, "more than %d inputs", LIM_SOURCES);
		return -1;
	}
	return 0;
}

int
import_file_opts(struct run *run, const struct import_opts *o, const char *path,
    const char *display)
{
	struct input in;
	int rc;

	if (import_admit(run, o->kind, display) == -1)
		return -1;
	if (input_read(&in, path, display, o->kind, o->flags & ~(unsigned)IMPORT_KEEP) == -1)
		return -1;
	rc = import_input(run, o, &in);
	input_release(&in);
	return rc;
}

/* Threads reading k6 raw files ahead: each takes the next file not yet claimed. */
struct ahead_pool {
	struct input			*ins;
	const struct import_opts	*opts;
	const size_t			*todo;	/* indices of the streamed inputs */
	size_t				 ntodo;
	_Atomic size_t			 next;
};

static void *
ahead_main(void *arg)
{
	struct ahead_pool *p = arg;
	size_t k;

	while ((k = atomic_fetch_add(&p->next, 1)) < p->ntodo)
		in_k6raw_read_ahead(&p->opts[p->todo[k]], &p->ins[p->todo[k]]);
	return NULL;
}

static size_t
ncores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (size_t)n;
}

int
import_files(struct run *run, size_t n, const struct import_opts *opts,
    const char *const *paths, const char *const *displays, int all_errors)
{
	struct input *ins;
	struct ahead_pool pool;
	pthread_t th[64];
	size_t i, nth, nstarted = 0, *todo;
	char **msgs;
	size_t *nmsgs;
	struct diag_held *held;
	int *ok, rc = 0;

	/* One input, or none: nothing to read side by side. */
	if (n < 2) {
		for (i = 0; i < n; i++)
			if (import_file_opts(run, &opts[i], paths[i], displays[i]) == -1)
				rc = -1;
		return rc;
	}
	ins = xcalloc(n, sizeof *ins);
	msgs = xcalloc(n, sizeof *msgs);
	nmsgs = xcalloc(n, sizeof *nmsgs);
	held = xcalloc(n, sizeof *held);
	ok = xcalloc(n, sizeof *ok);
	todo = xcalloc(n, sizeof *todo);
	/* Open each input (its head only, for k6 raw) in order, holding its messages back. */
	memset(&pool, 0, sizeof pool);
	for (i = 0; i < n; i++) {
		FILE *f = open_memstream(&msgs[i], &nmsgs[i]);

		diag_capture(f ? f : stderr);
		ok[i] = import_admit(run, opts[i].kind, displays[i]) == 0 &&
		    input_read(&ins[i], paths[i], displays[i], opts[i].kind,
		    opts[i].flags & ~(unsigned)IMPORT_KEEP) == 0;
		diag_capture_end(&held[i]);
		if (f)
			fclose(f);
		if (!ok[i])
			ins[i].fd = -1;
		else if (ins[i].streamed)
			todo[pool.ntodo++] = i;
	}
	/* The k6 raw files, on as many threads as there are cores. */
	if (pool.ntodo > 1) {
		pool.ins = ins;
		pool.opts = opts;
		pool.todo = todo;
		atomic_init(&pool.next, 0);
		nth = pool.ntodo < ncores() ? pool.ntodo : ncores();
		for (i = 0; i < nth; i++)
			if (pthread_create(&th[i], NULL, ahead_main, &pool) == 0)
				nstarted++;
		/* Should no thread start, this one reads them all. */
		(void)ahead_main(&pool);
		for (i = 0; i < nstarted; i++)
			pthread_join(th[i], NULL);
	}
	/* Then in input order, as one call after the other would: messages, import, merge. */
	for (i = 0; i < n; i++) {
		diag_replay(msgs[i] ? msgs[i] : "", nmsgs[i], &held[i]);
		if (rc == 0 || all_errors) {
			if (!ok[i] || import_input(run, &opts[i], &ins[i]) == -1)
				rc = -1;
		}
		if (ok[i])
			input_release(&ins[i]);
		free(msgs[i]);
		if (rc == -1 && !all_errors) {
			/* As a serial import stops here, the inputs after it say nothing. */
			for (i++; i < n; i++) {
				if (ok[i])
					input_release(&ins[i]);
				free(msgs[i]);
			}
			break;
		}
	}
	free(ins);
	free(msgs);
	free(nmsgs);
	free(held);
	free(ok);
	free(todo);
	return rc;
}

int
import_specs(struct run *run, const struct import_opts *base, char *const *specs, size_t n,
    int all_errors)
{
	struct import_opts *o = xcalloc(n + 1, sizeof *o);
	const char **paths = xcalloc(n + 1, sizeof *paths);
	char (*kinds)[32] = xcalloc(n + 1, sizeof *kinds);
	struct diag_held held;
	char *quiet = NULL;
	size_t i, nquiet = 0;
	FILE *f = open_memstream(&quiet, &nquiet);
	int rc = f ? 0 : -1;

	/* A bad spec is reported where a serial import would, after the inputs before it: not here. */
	if (f)
		diag_capture(f);
	for (i = 0; i < n && rc == 0; i++) {
		o[i] = *base;
		rc = import_spec_split(specs[i], kinds[i], &paths[i]) == -1 ? -1 : 0;
		o[i].kind = kinds[i][0] ? kinds[i] : NULL;
	}
	if (f) {
		diag_capture_end(&held);
		fclose(f);
	}
	free(quiet);
	if (rc == 0) {
		rc = import_files(run, n, o, paths, paths, all_errors);
	} else {
		for (i = 0; i < n; i++)
			if (import_spec_opts(run, base, specs[i]) == -1) {
				rc = -1;
				if (!all_errors)
					break;
			}
	}
	free(o);
	free(paths);
	free(kinds);
	return rc;
}

int
import_spec_split(const char *spec, char kind[32], const char **path)
{
	const char *colon = strchr(spec, ':');
	size_t n;

	kind[0] = '\0';
	*path = spec;
	if (colon == NULL)
		return 0;
	n = (size_t)(colon - spec);
	/* "k6:run.json"; a path that merely has a colon in it stays a path. */
	if (n > 0 && n < 32 && known_kind(spec, n)) {
		memcpy(kind, spec, n);
		kind[n] = '\0';
		*path = colon + 1;
		return 0;
	}
	if (n > 0 && n < 32 && strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789") == n &&
	    !fsio_exists(spec)) {
		diag_error(spec, 0, 0, "unknown input kind %s; expected one of: %s",
		    diag_q(spec, n), kinds_list());
		return -1;
	}
	return 0;
}

int
import_spec(struct run *run, const char *spec)
{
	struct import_opts o;

	memset(&o, 0, sizeof o);
	return import_spec_opts(run, &o, spec);
}

int
import_spec_opts(struct run *run, const struct import_opts *base, const char *spec)
{
	struct import_opts o = *base;
	const char *path;
	char kind[32];

	if (import_spec_split(spec, kind, &path) == -1)
		return -1;
	o.kind = kind[0] ? kind : NULL;
	return import_file_opts(run, &o, path, path);
}

int
import_preamble(const char *display, const char **text, size_t *n, const char *encoding,
    const char *expected)
{
	const unsigned char *u = (const unsigned char *)*text;
	size_t i;

	if (*n > LIM_INPUT_BYTES) {
		diag_error(display, 0, 0, "larger than %u bytes; not read", LIM_INPUT_BYTES);
		return -1;
	}
	if (*n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
		diag_error(display, 0, 0, "the file is UTF-16; expected %s", encoding);
		return -1;
	}
	if (*n >= 3 && memcmp(*text, "\xef\xbb\xbf", 3) == 0) {
		*text += 3;
		*n -= 3;
	}
	for (i = 0; i < *n; i++)
		if ((*text)[i] != ' ' && (*text)[i] != '\t' && (*text)[i] != '\n' && (*text)[i] != '\r')
			return 0;
	diag_error(display, 0, 0, "empty file; expected %s", expected);
	return -1;
}
