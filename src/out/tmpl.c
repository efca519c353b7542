/*
 * tmpl.c — the template language of docs/templates.md, in four parts:
 * values (trees of strings, bools, lists and maps in a tctx's arena), the
 * compiler (text to a flat array of nodes, every syntax error found before
 * anything renders), the key checker (a template may only use keys its
 * renderer declares) and the renderer (per-format escaping of values).
 *
 * This file: values and loading; tmpl_compile.c the compiler and the key
 * checker, tmpl_render.c the renderer (out/tmpl_parts.h joins them).
 *
 * Owns compiled templates and the values of a tctx. Depends on arena, buf,
 * diag, fsio and xalloc; must not know any report, renderer or model type:
 * renderers hand it plain values. Nothing here reads the locale: character
 * classes are ASCII tests written out, numbers are printed with "%zu" only.
 */
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/hash.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/utf8.h"
#include "out/tmpl.h"
#include "out/tmpl_parts.h"
#include "util/xalloc.h"


/* ---------------------------------------------------------------- values */

int
tmpl_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
tmpl_is_alnum(int c)
{
	return is_alpha(c) || tmpl_is_digit(c);
}

/* One component of a key: a letter or '_', then letters, digits, '_' and '-'. */
int
tmpl_valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(is_alpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!(tmpl_is_alnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

uint32_t
tmpl_hash(const char *s, size_t n)
{
	return (uint32_t)fnv1a(s, n);
}

/* A caller broke the contract of tmpl.h: no input can cause this. */
static void
bug(const char *what, const char *key)
{
	fprintf(stderr, "sloproof: internal error: %s %s\n", what,
	    diag_q(key ? key : "(null)", (size_t)-1));
	abort();
}

void
tctx_init(struct tctx *c)
{
	arena_init(&c->arena);
}

void
tctx_release(struct tctx *c)
{
	arena_release(&c->arena);
}

static struct tval *
new_val(struct tctx *c, enum tv_type type)
{
	struct tval *v = arena_alloc(&c->arena, sizeof *v);

	v->type = type;
	return v;
}

struct tval *
tv_map(struct tctx *c)
{
	return new_val(c, TV_MAP);
}

enum tv_type
tv_type(const struct tval *v)
{
	return v ? v->type : TV_NULL;
}

struct tv_entry *
tmpl_map_find(const struct tval *m, const char *key, size_t klen, uint32_t h)
{
	struct tv_entry *e;
	size_t i;

	if (m->index) {
		for (i = h & (m->icap - 1); (e = m->index[i]) != NULL;
		    i = (i + 1) & (m->icap - 1))
			if (e->hash == h && e->klen == klen &&
			    memcmp(e->key, key, klen) == 0)
				return e;
		return NULL;
	}
	for (e = m->ehead; e != NULL; e = e->next)
		if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
			return e;
	return NULL;
}

static void
index_insert(struct tval *m, struct tv_entry *e)
{
	size_t i;

	for (i = e->hash & (m->icap - 1); m->index[i] != NULL; i = (i + 1) & (m->icap - 1))
		continue;
	m->index[i] = e;
}

/* The old table stays in the arena: doubling keeps the waste under the live size. */
static void
reindex(struct tctx *c, struct tval *m, size_t cap)
{
	struct tv_entry *e;

	m->index = arena_alloc(&c->arena, cap * sizeof *m->index);
	m->icap = cap;
	for (e = m->ehead; e != NULL; e = e->next)
		index_insert(m, e);
}

static void
map_put(struct tctx *c, struct tval *m, const char *key, struct tval *v)
{
	struct tv_entry *e;
	size_t klen;
	uint32_t h;

	if (m == NULL || m->type != TV_MAP)
		bug("setting a key of a value that is not a map:", key);
	if (key == NULL || !tmpl_valid_name(key, strlen(key)))
		bug("bad template value key", key);
	klen = strlen(key);
	h = tmpl_hash(key, klen);
	if ((e = tmpl_map_find(m, key, klen, h)) != NULL) {
		e->val = v;
		return;
	}
	e = arena_alloc(&c->arena, sizeof *e);
	e->key = arena_strndup(&c->arena, key, klen);
	e->klen = klen;
	e->hash = h;
	e->val = v;
	if (m->etail)
		m->etail->next = e;
	else
		m->ehead = e;
	m->etail = e;
	m->n++;
	if (m->index == NULL && m->n > MAP_SMALL)
		reindex(c, m, 32);
	else if (m->index && m->n * 2 > m->icap)
		reindex(c, m, m->icap * 2);
	else if (m->index)
		index_insert(m, e);
}

static void
list_push(struct tval *l, struct tval *v)
{
	if (l == NULL || l->type != TV_LIST)
		bug("pushing onto a value that is not a list", "");
	if (l->tail)
		l->tail->next = v;
	else
		l->head = v;
	l->tail = v;
	l->n++;
}

static struct tval *
new_str(struct tctx *c, const char *s)
{
	struct tval *v;

	if (s == NULL)
		return new_val(c, TV_NULL);
	v = new_val(c, TV_STR);
	v->len = strlen(s);
	v->s = arena_strndup(&c->arena, s, v->len);
	return v;
}

void
tv_set_str(struct tctx *c, struct tval *m, const char *key, const char *s)
{
	map_put(c, m, key, new_str(c, s));
}

/* The "C" locale, so that "%.2f" never prints a decimal comma; NULL if unavailable. */
static locale_t
c_locale(void)
{
	static locale_t loc;

	if (loc == (locale_t)0)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

void
tv_set_strf(struct tctx *c, struct tval *m, const char *key, const char *fmt, ...)
{
	locale_t loc = c_locale(), old = (locale_t)0;
	struct tval *v = new_val(c, TV_STR);
	va_list ap;
	char *p;
	int n;

	if (loc)
		old = uselocale(loc);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		bug("bad format for template value", key);
	p = arena_alloc(&c->arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (loc)
		uselocale(old);
	v->s = p;
	v->len = (size_t)n;
	map_put(c, m, key, v);
}

void
tv_set_bool(struct tctx *c, struct tval *m, const char *key, int b)
{
	struct tval *v = new_val(c, TV_BOOL);

	v->b = b != 0;
	map_put(c, m, key, v);
}

struct tval *
tv_set_map(struct tctx *c, struct tval *m, const char *key)
{
	struct tval *v = new_val(c, TV_MAP);

	map_put(c, m, key, v);
	return v;
}

struct tval *
tv_set_list(struct tctx *c, struct tval *m, const char *key)
{
	struct tval *v = new_val(c, TV_LIST);

	map_put(c, m, key, v);
	return v;
}

struct tval *
tv_push_map(struct tctx *c, struct tval *l)
{
	struct tval *v = new_val(c, TV_MAP);

	list_push(l, v);
	return v;
}

void
tv_push_str(struct tctx *c, struct tval *l, const char *s)
{
	list_push(l, new_str(c, s));
}

/* ---------------------------------------------------------------- loading */

int
tmpl_load(struct tmpl **out, const char *dir, const char *name, enum tmpl_format fmt)
{
	const struct tmpl_builtin *b;
	struct buf text, path;
	char label[300];
	int rc;

	*out = NULL;
	if (name[0] == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		diag_error(NULL, 0, 0, "bad template name %s", diag_q(name, (size_t)-1));
		return -1;
	}
	if (dir != NULL) {
		buf_init(&path, (size_t)-1 / 2);
		buf_printf(&path, "%s/%s", dir, name);
		if (fsio_exists(buf_str(&path))) {
			buf_init(&text, LIM_TEMPLATE_BYTES);
			rc = fsio_read(buf_str(&path), LIM_TEMPLATE_BYTES, &text, NULL, NULL);
			if (rc == 0)
				rc = tmpl_compile(out, buf_str(&path), buf_str(&text), text.len, fmt);
			buf_release(&text);
			buf_release(&path);
			return rc;
		}
		buf_release(&path);
	}
	for (b = tmpl_builtins; b->name != NULL; b++) {
		if (strcmp(b->name, name) == 0) {
			snprintf(label, sizeof label, "templates/%s", name);
			return tmpl_compile(out, label, b->text, b->len, fmt);
		}
	}
	if (dir != NULL)
		diag_error(NULL, 0, 0, "unknown template %s: not in %s and not built in",
		    diag_q(name, (size_t)-1), diag_q(dir, (size_t)-1));
	else
		diag_error(NULL, 0, 0, "unknown template %s: not built in",
		    diag_q(name, (size_t)-1));
	return -1;
}
