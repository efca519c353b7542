/*
 * tmpl.c — the template language of docs/templates.md, in four parts:
 * values (trees of strings, bools, lists and maps in a tctx's arena), the
 * compiler (text to a flat array of nodes, every syntax error found before
 * anything renders), the key checker (a template may only use keys its
 * renderer declares) and the renderer (per-format escaping of values).
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

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "out/tmpl.h"
#include "util/xalloc.h"

/* ---------------------------------------------------------------- values */

/* Maps scan their entries while small; past this many keys they get a hash index. */
#define MAP_SMALL 8

struct tv_entry {
	const char	*key;
	size_t		 klen;
	uint32_t	 hash;
	struct tval	*val;
	struct tv_entry	*next;		/* insertion order */
};

struct tval {
	enum tv_type	 type;
	int		 b;		/* TV_BOOL */
	const char	*s;		/* TV_STR, NUL-terminated */
	size_t		 len;		/* TV_STR: bytes of s */
	size_t		 n;		/* TV_LIST: items; TV_MAP: entries */
	struct tval	*next;		/* the next item of the list holding this value */
	struct tval	*head, *tail;	/* TV_LIST */
	struct tv_entry	*ehead, *etail;	/* TV_MAP, in insertion order */
	struct tv_entry	**index;	/* TV_MAP: open addressing, NULL while small */
	size_t		 icap;		/* a power of two, at least twice n */
};

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

/* One component of a key: a letter or '_', then letters, digits, '_' and '-'. */
static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(is_alpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!(is_alnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
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

static struct tv_entry *
map_find(const struct tval *m, const char *key, size_t klen, uint32_t h)
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
	if (key == NULL || !valid_name(key, strlen(key)))
		bug("bad template value key", key);
	klen = strlen(key);
	h = hash(key, klen);
	if ((e = map_find(m, key, klen, h)) != NULL) {
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

/* ------------------------------------------------------- compiled form */

enum filter {
	F_DEFAULT,
	F_BLOCK,
	F_CELL,
	F_CODE,
	F_HTML,
	F_RAW,
	F_TEXT,
	F_URL
};

/* Bits of enum tmpl_format. */
#define FMT_MD		(1 << TMPL_MARKDOWN)
#define FMT_HTML	(1 << TMPL_HTML)
#define FMT_TEXT	(1 << TMPL_TEXT)

static const struct {
	const char	*name;
	enum filter	 f;
	int		 formats;	/* where it may be used */
} filters[] = {
	{ "block",	F_BLOCK,	FMT_MD },
	{ "cell",	F_CELL,		FMT_MD },
	{ "code",	F_CODE,		FMT_MD },
	{ "html",	F_HTML,		FMT_MD | FMT_HTML },
	{ "raw",	F_RAW,		FMT_MD | FMT_HTML | FMT_TEXT },
	{ "text",	F_TEXT,		FMT_TEXT },
	{ "url",	F_URL,		FMT_MD | FMT_HTML | FMT_TEXT },
};

enum special {
	SP_NONE,
	SP_DOT,		/* .: the current item */
	SP_INDEX,	/* @index */
	SP_FIRST,	/* @first */
	SP_LAST		/* @last */
};

struct comp {
	const char	*s;
	size_t		 len;
	uint32_t	 hash;
};

struct path {
	const char	*text;		/* as written */
	size_t		 len;
	struct comp	*comp;
	size_t		 ncomp;
	enum special	 sp;
};

enum nkind {
	N_TEXT,
	N_VAR,
	N_SECTION,
	N_INVERTED
};

struct node {
	enum nkind	 kind;
	enum filter	 filter;	/* N_VAR */
	size_t		 off, len;	/* N_TEXT: bytes of the template text */
	struct path	 path;		/* N_VAR and sections */
	size_t		 end;		/* sections: the node after the body */
	long		 line, col;	/* of the tag's "{{" */
};

struct tmpl {
	char		*name;
	char		*text;
	size_t		 len;
	enum tmpl_format fmt;
	struct node	*nodes;
	size_t		 nnodes, cap;
	struct arena	 arena;		/* paths */
	char		*link_base;	/* prefix of relative links, or NULL */
};

/* -------------------------------------------------------------- compiler */

enum tkind {
	T_TEXT,
	T_VAR,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_COMMENT
};

struct token {
	enum tkind	 kind;
	size_t		 start, end;	/* T_TEXT: what is output; tags: "{{" to after "}}" */
	size_t		 ostart, oend;	/* T_TEXT: before standalone lines were removed */
	size_t		 key, klen;	/* offset and length of the key */
	enum filter	 filter;
	enum special	 sp;
	long		 line, col;	/* of "{{" */
};

struct cursor {
	size_t	pos;
	long	line, col;
};

struct cstate {
	const char	*name;
	const char	*s;
	size_t		 n;
	enum tmpl_format fmt;
	struct token	*tok;
	size_t		 ntok, captok;
	size_t		 checked;	/* [0, checked) is valid UTF-8 without control characters */
	struct cursor	 cur;		/* only moves forward */
	size_t		 open[LIM_TEMPLATE_DEPTH];	/* tokens of the open sections */
	int		 depth;
};

static const char *const fmt_names[] = { "Markdown", "HTML", "text" };

/*
 * The code point at s[i] (i < n) and its length in *len; or -1 for invalid
 * UTF-8, *len then being the maximal invalid subpart (at least 1 byte), so
 * that each bad sequence becomes one U+FFFD as in the WHATWG decoder.
 */
static long
utf8_decode(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	unsigned c = s[i], lo = 0x80, hi = 0xbf;
	size_t need, k;
	long cp;

	*len = 1;
	if (c < 0x80)
		return c;
	if (c < 0xc2 || c > 0xf4)
		return -1;
	if (c < 0xe0) {
		need = 1;
		cp = c & 0x1f;
	} else if (c < 0xf0) {
		need = 2;
		cp = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else {
		need = 3;
		cp = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	}
	for (k = 1; k <= need; k++) {
		if (i + k >= n || s[i + k] < lo || s[i + k] > hi) {
			*len = k;
			return -1;
		}
		cp = cp << 6 | (s[i + k] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*len = need + 1;
	return cp;
}

static int
is_control(long cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp <= 0x9f);
}

/* Moves a cursor to pos (>= its own); columns count code points from 1. */
static void
advance(const char *s, struct cursor *c, size_t pos)
{
	for (; c->pos < pos; c->pos++) {
		if (s[c->pos] == '\n') {
			c->line++;
			c->col = 1;
		} else if (((unsigned char)s[c->pos] & 0xc0) != 0x80) {
			c->col++;
		}
	}
}

static void
where(const struct cstate *cs, size_t pos, long *line, long *col)
{
	struct cursor c = { 0, 1, 1 };

	if (pos >= cs->cur.pos)
		c = cs->cur;
	advance(cs->s, &c, pos);
	*line = c.line;
	*col = c.col;
}

static int
error_at(const struct cstate *cs, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
error_at(const struct cstate *cs, size_t pos, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	long line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	where(cs, pos, &line, &col);
	diag_error(cs->name, line, col, "%s", msg);
	return -1;
}

/* Template text must be UTF-8 without control characters (tab, CR, LF aside). */
static int
validate(struct cstate *cs, size_t upto)
{
	const unsigned char *u = (const unsigned char *)cs->s;
	size_t i, len;
	long cp;

	for (i = cs->checked; i < upto; i += len) {
		cp = utf8_decode(u, cs->n, i, &len);
		if (cp == -1)
			return error_at(cs, i, "invalid UTF-8 byte 0x%02x", u[i]);
		if (is_control(cp) && cp != '\r')
			return error_at(cs, i, "control character U+%04lX in template", cp);
	}
	if (i > cs->checked)
		cs->checked = i;
	return 0;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t
skip_space(const char *s, size_t p, size_t end)
{
	while (p < end && is_space((unsigned char)s[p]))
		p++;
	return p;
}

/* Checks the key s[k..k+kl) and sets t->sp. */
static int
parse_key(struct cstate *cs, struct token *t, size_t k, size_t kl)
{
	const char *s = cs->s + k;
	size_t i, start = 0;

	t->key = k;
	t->klen = kl;
	t->sp = SP_NONE;
	if (kl == 1 && s[0] == '.') {
		t->sp = SP_DOT;
		return 0;
	}
	if (s[0] == '@') {
		if (kl == 6 && memcmp(s, "@index", 6) == 0)
			t->sp = SP_INDEX;
		else if (kl == 6 && memcmp(s, "@first", 6) == 0)
			t->sp = SP_FIRST;
		else if (kl == 5 && memcmp(s, "@last", 5) == 0)
			t->sp = SP_LAST;
		else
			return error_at(cs, k, "unknown special key %s; there are @index, @first and @last",
			    diag_q(s, kl));
		return 0;
	}
	for (i = 0; i <= kl; i++) {
		if (i < kl && s[i] != '.')
			continue;
		if (!valid_name(s + start, i - start))
			return error_at(cs, k, "bad key %s: keys are letters, digits, _ and -, joined by dots",
			    diag_q(s, kl));
		start = i + 1;
	}
	return 0;
}

static const char *
filter_list(int formats)
{
	static char list[128];
	size_t i, n = 0;

	list[0] = '\0';
	for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
		if (filters[i].formats & formats)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
			    n ? ", " : "", filters[i].name);
	return list;
}

/* Parses the inside of a tag, s[b..e), into t (whose kind is T_VAR for now). */
static int
parse_tag(struct cstate *cs, struct token *t, size_t b, size_t e)
{
	const char *s = cs->s;
	size_t p = b, k, f, i, bar;

	if (p < e) {
		switch (s[p]) {
		case '#': t->kind = T_SECTION; p++; break;
		case '^': t->kind = T_INVERTED; p++; break;
		case '/': t->kind = T_CLOSE; p++; break;
		case '!': t->kind = T_COMMENT; return 0;
		case '{':
			return error_at(cs, t->start, "\"{{{\" is not supported; write {{ key | raw }} for unescaped output");
		case '&':
			return error_at(cs, t->start, "\"{{&\" is not supported; write {{ key | raw }} for unescaped output");
		case '>':
			return error_at(cs, t->start, "partials (\"{{>\") are not supported");
		case '=':
			return error_at(cs, t->start, "changing delimiters (\"{{=\") is not supported");
		default:
			break;
		}
	}
	p = skip_space(s, p, e);
	for (k = p; p < e && !is_space((unsigned char)s[p]) && s[p] != '|'; p++)
		continue;
	if (p == k)
		return error_at(cs, t->start, "tag has no key");
	if (parse_key(cs, t, k, p - k) == -1)
		return -1;
	p = skip_space(s, p, e);
	if (p < e && s[p] == '|') {
		if (t->kind != T_VAR)
			return error_at(cs, p, "filters apply to values, not to section tags");
		bar = p;
		f = p = skip_space(s, p + 1, e);
		while (p < e && !is_space((unsigned char)s[p]))
			p++;
		if (p == f)
			return error_at(cs, bar, "missing filter name after \"|\"");
		for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
			if (strlen(filters[i].name) == p - f &&
			    memcmp(filters[i].name, s + f, p - f) == 0)
				break;
		if (i == sizeof filters / sizeof filters[0])
			return error_at(cs, f, "unknown filter %s; filters are %s",
			    diag_q(s + f, p - f), filter_list(FMT_MD | FMT_HTML | FMT_TEXT));
		if (!(filters[i].formats & (1 << cs->fmt)))
			return error_at(cs, f, "filter %s is not for %s templates; use %s",
			    diag_q(s + f, p - f), fmt_names[cs->fmt], filter_list(1 << cs->fmt));
		t->filter = filters[i].f;
		p = skip_space(s, p, e);
	}
	if (p < e) {
		while (is_space((unsigned char)s[e - 1]))
			e--;
		return error_at(cs, p, "unexpected %s in tag", diag_q(s + p, e - p));
	}
	return 0;
}

/* Checks what a tag means where it stands: special keys, section nesting. */
static int
structure(struct cstate *cs, struct token *t)
{
	const char *key = cs->s + t->key;
	int k = (int)t->klen;
	struct token *o;

	switch (t->kind) {
	case T_VAR:
		if (t->sp == SP_FIRST || t->sp == SP_LAST)
			return error_at(cs, t->key, "%.*s is a condition: use {{# %.*s }} or {{^ %.*s }}",
			    k, key, k, key, k, key);
		if (t->sp == SP_INDEX && cs->depth == 0)
			return error_at(cs, t->key, "%.*s is only defined inside a section over a list", k, key);
		return 0;
	case T_SECTION:
	case T_INVERTED:
		if (t->sp == SP_INDEX)
			return error_at(cs, t->key, "%.*s is a value, not a section: use {{ %.*s }}", k, key, k, key);
		if ((t->sp == SP_FIRST || t->sp == SP_LAST) && cs->depth == 0)
			return error_at(cs, t->key, "%.*s is only defined inside a section over a list", k, key);
		if (cs->depth == LIM_TEMPLATE_DEPTH)
			return error_at(cs, t->start, "sections nested deeper than %d", LIM_TEMPLATE_DEPTH);
		cs->open[cs->depth++] = cs->ntok;
		return 0;
	case T_CLOSE:
		if (cs->depth == 0)
			return error_at(cs, t->start, "closing tag for %s, but no section is open",
			    diag_q(key, t->klen));
		o = &cs->tok[cs->open[cs->depth - 1]];
		if (o->klen != t->klen || memcmp(cs->s + o->key, key, t->klen) != 0)
			return error_at(cs, t->start, "closing tag for %s, but section %s opened at %ld:%ld is still open",
			    diag_q(key, t->klen), diag_q(cs->s + o->key, o->klen), o->line, o->col);
		cs->depth--;
		return 0;
	default:
		return 0;
	}
}

static void
push_text(struct cstate *cs, size_t start, size_t end)
{
	struct token *t = VEC_PUSH(cs->tok, cs->ntok, cs->captok);

	memset(t, 0, sizeof *t);
	t->kind = T_TEXT;
	t->start = t->ostart = start;
	t->end = t->oend = end;
}

static const char *
find2(const char *s, size_t from, size_t n, char c)
{
	const char *p;

	while (from + 1 < n && (p = memchr(s + from, c, n - from - 1)) != NULL) {
		if (p[1] == c)
			return p;
		from = (size_t)(p - s) + 1;
	}
	return NULL;
}

static int
tokenize(struct cstate *cs)
{
	const char *s = cs->s, *open, *close;
	size_t pos = 0, o, c;
	struct token t;

	while (pos < cs->n) {
		if ((open = find2(s, pos, cs->n, '{')) == NULL) {
			if (validate(cs, cs->n) == -1)
				return -1;
			push_text(cs, pos, cs->n);
			break;
		}
		o = (size_t)(open - s);
		if (validate(cs, o) == -1)
			return -1;
		if (o > pos)
			push_text(cs, pos, o);
		advance(s, &cs->cur, o);
		if ((close = find2(s, o + 2, cs->n, '}')) == NULL)
			return error_at(cs, o, "unclosed tag: no \"}}\" after this \"{{\"");
		c = (size_t)(close - s);
		if (validate(cs, c + 2) == -1)
			return -1;
		memset(&t, 0, sizeof t);
		t.kind = T_VAR;
		t.start = o;
		t.end = c + 2;
		t.line = cs->cur.line;
		t.col = cs->cur.col;
		if (parse_tag(cs, &t, o + 2, c) == -1 || structure(cs, &t) == -1)
			return -1;
		*VEC_PUSH(cs->tok, cs->ntok, cs->captok) = t;
		pos = c + 2;
	}
	if (cs->depth > 0) {
		struct token *u = &cs->tok[cs->open[cs->depth - 1]];

		diag_error(cs->name, u->line, u->col, "section %s is not closed: no {{/ %.*s }} before the end",
		    diag_q(s + u->key, u->klen), (int)u->klen, s + u->key);
		return -1;
	}
	return 0;
}

static int
blank(const char *s, size_t a, size_t b)
{
	for (; a < b; a++)
		if (s[a] != ' ' && s[a] != '\t')
			return 0;
	return 1;
}

static int
can_stand_alone(enum tkind k)
{
	return k == T_SECTION || k == T_INVERTED || k == T_CLOSE || k == T_COMMENT;
}

/*
 * Removes standalone lines: a line holding only section, inverted, close
 * and comment tags (one or more) and blanks disappears with its line
 * break. A group is a run of tags on one line with only blanks between.
 */
static void
standalone(struct cstate *cs)
{
	const char *s = cs->s;
	struct token *tk = cs->tok, *prev, *next;
	size_t i = 0, k, j, nl, n = cs->ntok;
	int ok;

	while (i < n) {
		if (tk[i].kind == T_TEXT) {
			i++;
			continue;
		}
		ok = can_stand_alone(tk[i].kind);
		for (k = i;;) {
			if (k + 1 < n && tk[k + 1].kind != T_TEXT)
				k++;
			else if (k + 2 < n && tk[k + 2].kind != T_TEXT &&
			    memchr(s + tk[k + 1].ostart, '\n', tk[k + 1].oend - tk[k + 1].ostart) == NULL &&
			    blank(s, tk[k + 1].ostart, tk[k + 1].oend))
				k += 2;
			else
				break;
			ok = ok && can_stand_alone(tk[k].kind);
		}
		prev = i > 0 ? &tk[i - 1] : NULL;
		next = k + 1 < n ? &tk[k + 1] : NULL;
		if (ok && prev) {
			/* The line's start: after the last newline, or the template's start. */
			for (nl = prev->oend; nl > prev->ostart && s[nl - 1] != '\n'; nl--)
				continue;
			if (nl == prev->ostart && i - 1 != 0)
				ok = 0;
			else if (!blank(s, nl, prev->oend))
				ok = 0;
		}
		if (ok && next) {
			for (nl = next->ostart; nl < next->oend && s[nl] != '\n'; nl++)
				if (s[nl] != ' ' && s[nl] != '\t' && s[nl] != '\r')
					ok = 0;
			if (nl == next->oend && k + 2 != n)
				ok = 0;
		}
		if (ok) {
			if (prev) {
				for (nl = prev->oend; nl > prev->ostart && s[nl - 1] != '\n'; nl--)
					continue;
				if (nl < prev->end)
					prev->end = nl;
			}
			if (next) {
				for (nl = next->ostart; nl < next->oend && s[nl] != '\n'; nl++)
					continue;
				if (nl < next->oend)
					nl++;
				if (nl > next->start)
					next->start = nl;
			}
			for (j = i; j < k; j++)
				if (tk[j].kind == T_TEXT)
					tk[j].start = tk[j].end;
		}
		i = k + 1;
	}
}

static void
make_path(struct tmpl *t, struct path *p, const struct token *tk)
{
	char *text = arena_strndup(&t->arena, t->text + tk->key, tk->klen);
	size_t i, start = 0, c = 0;

	p->text = text;
	p->len = tk->klen;
	p->sp = tk->sp;
	if (tk->sp != SP_NONE)
		return;
	p->ncomp = 1;
	for (i = 0; i < tk->klen; i++)
		if (text[i] == '.')
			p->ncomp++;
	p->comp = arena_alloc(&t->arena, p->ncomp * sizeof *p->comp);
	for (i = 0; i <= tk->klen; i++) {
		if (i < tk->klen && text[i] != '.')
			continue;
		p->comp[c].s = text + start;
		p->comp[c].len = i - start;
		p->comp[c].hash = hash(text + start, i - start);
		c++;
		start = i + 1;
	}
}

static void
build(struct tmpl *t, const struct cstate *cs)
{
	size_t open[LIM_TEMPLATE_DEPTH], i;
	int depth = 0;
	struct node *nd;

	for (i = 0; i < cs->ntok; i++) {
		const struct token *tk = &cs->tok[i];

		if (tk->kind == T_COMMENT || (tk->kind == T_TEXT && tk->end <= tk->start))
			continue;
		if (tk->kind == T_CLOSE) {
			t->nodes[open[--depth]].end = t->nnodes;
			continue;
		}
		nd = VEC_PUSH(t->nodes, t->nnodes, t->cap);
		memset(nd, 0, sizeof *nd);
		nd->line = tk->line;
		nd->col = tk->col;
		switch (tk->kind) {
		case T_TEXT:
			nd->kind = N_TEXT;
			nd->off = tk->start;
			nd->len = tk->end - tk->start;
			break;
		case T_VAR:
			nd->kind = N_VAR;
			nd->filter = tk->filter;
			make_path(t, &nd->path, tk);
			break;
		default:
			nd->kind = tk->kind == T_SECTION ? N_SECTION : N_INVERTED;
			make_path(t, &nd->path, tk);
			open[depth++] = t->nnodes - 1;
			break;
		}
	}
}

int
tmpl_compile(struct tmpl **out, const char *name, const char *text, size_t len,
    enum tmpl_format fmt)
{
	struct cstate cs;
	struct tmpl *t;

	*out = NULL;
	if (len > LIM_TEMPLATE_BYTES) {
		diag_error(name, 0, 0, "template is larger than the limit of %zu bytes",
		    (size_t)LIM_TEMPLATE_BYTES);
		return -1;
	}
	t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->text = xmalloc(len + 1);
	if (len)
		memcpy(t->text, text, len);
	t->text[len] = '\0';
	t->len = len;
	t->fmt = fmt;
	arena_init(&t->arena);

	memset(&cs, 0, sizeof cs);
	cs.name = t->name;
	cs.s = t->text;
	cs.n = len;
	cs.fmt = fmt;
	cs.cur.line = cs.cur.col = 1;
	if (tokenize(&cs) == -1) {
		free(cs.tok);
		tmpl_free(t);
		return -1;
	}
	standalone(&cs);
	build(t, &cs);
	free(cs.tok);
	*out = t;
	return 0;
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	arena_release(&t->arena);
	free(t->link_base);
	free(t->nodes);
	free(t->text);
	free(t->name);
	free(t);
}

void
tmpl_set_link_base(struct tmpl *t, const char *base)
{
	free(t->link_base);
	t->link_base = base && *base ? xstrdup(base) : NULL;
}

const char *
tmpl_name(const struct tmpl *t)
{
	return t->name;
}

/* ----------------------------------------------------------- key checker */

struct kent {
	const char	*s;
	size_t		 len;
};

/* The allowed paths and all their prefixes: a hash set plus the list order. */
struct kset {
	struct kent	*tab;
	size_t		 cap;
	struct kent	*order;
	size_t		 n, ocap;
	size_t		 maxlen;	/* of any entry */
};

static const struct kent *
kset_find(const struct kset *ks, const char *s, size_t len)
{
	size_t i;

	for (i = hash(s, len) & (ks->cap - 1); ks->tab[i].s != NULL; i = (i + 1) & (ks->cap - 1))
		if (ks->tab[i].len == len && memcmp(ks->tab[i].s, s, len) == 0)
			return &ks->tab[i];
	return NULL;
}

static void
kset_add(struct kset *ks, const char *s, size_t len)
{
	size_t i;

	if (len > ks->maxlen)
		ks->maxlen = len;
	if (kset_find(ks, s, len))
		return;
	for (i = hash(s, len) & (ks->cap - 1); ks->tab[i].s != NULL; i = (i + 1) & (ks->cap - 1))
		continue;
	ks->tab[i].s = s;
	ks->tab[i].len = len;
	*VEC_PUSH(ks->order, ks->n, ks->ocap) = ks->tab[i];
}

static void
kset_init(struct kset *ks, const char *const *keys)
{
	size_t nk = 0, parts = 0, i, j;

	for (i = 0; keys[i] != NULL; i++, nk++)
		for (j = 0; keys[i][j]; j++)
			parts += keys[i][j] == '.';
	ks->cap = 16;
	while (ks->cap < (nk + parts) * 2 + 2)
		ks->cap *= 2;
	ks->tab = xcalloc(ks->cap, sizeof *ks->tab);
	ks->order = NULL;
	ks->n = ks->ocap = ks->maxlen = 0;
	for (i = 0; keys[i] != NULL; i++) {
		for (j = 0; keys[i][j]; j++)
			if (keys[i][j] == '.')
				kset_add(ks, keys[i], j);
		kset_add(ks, keys[i], j);
	}
}

/* Optimal string alignment distance, or 99 when surely above 2 (or too long to bother). */
static int
osa(const char *a, size_t la, const char *b, size_t lb)
{
	int d[65][65], x;
	size_t i, j;

	if (la > 64 || lb > 64 || la > lb + 2 || lb > la + 2)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];

			x = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < x)
				x = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < x)
				x = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < x)
				x = d[i - 2][j - 2] + 1;
			d[i][j] = x;
		}
	}
	return d[la][lb];
}

struct level {
	const char	*prefix;	/* the section's declared path ("" at the root), NULL if unknown */
	size_t		 len;
	size_t		 end;		/* node index where the section ends */
	int		 unknown;	/* inside a section whose key was unknown */
};

struct sugg {
	const char	*s;
	size_t		 len;
	int		 dist;
};

static void
suggest(struct sugg *best, int *nbest, const char *s, size_t len, int dist)
{
	int i, j;

	for (i = 0; i < *nbest; i++)
		if (best[i].len == len && memcmp(best[i].s, s, len) == 0)
			return;
	for (i = 0; i < *nbest && best[i].dist <= dist; i++)
		continue;
	if (i == 3)
		return;
	if (*nbest < 3)
		(*nbest)++;
	for (j = *nbest - 1; j > i; j--)
		best[j] = best[j - 1];
	best[i].s = s;
	best[i].len = len;
	best[i].dist = dist;
}

static void
report_unknown(const struct tmpl *t, const struct node *nd, const struct kset *ks,
    const struct level *lv, int nlv)
{
	struct sugg best[3];
	int nbest = 0, l, d;
	size_t i;
	char msg[600];
	size_t m;

	for (l = nlv - 1; l >= 0; l--) {
		if (lv[l].prefix == NULL)
			continue;
		for (i = 0; i < ks->n; i++) {
			const struct kent *e = &ks->order[i];
			const char *rel = e->s;
			size_t rlen = e->len;

			if (lv[l].len > 0) {
				if (rlen <= lv[l].len + 1 || memcmp(rel, lv[l].prefix, lv[l].len) != 0 ||
				    rel[lv[l].len] != '.')
					continue;
				rel += lv[l].len + 1;
				rlen -= lv[l].len + 1;
			}
			d = osa(nd->path.text, nd->path.len, rel, rlen);
			if (d >= 1 && d <= 2)
				suggest(best, &nbest, rel, rlen, d);
		}
	}
	/* Only the closest: a one-letter slip does not need a two-letter one beside it. */
	for (l = 1; l < nbest; l++)
		if (best[l].dist > best[0].dist)
			nbest = l;
	if (nbest == 0) {
		diag_error(t->name, nd->line, nd->col,
		    "unknown key %s (not one this template is given)",
		    diag_q(nd->path.text, nd->path.len));
		return;
	}
	m = (size_t)snprintf(msg, sizeof msg, "did you mean ");
	for (l = 0; l < nbest && m < sizeof msg; l++)
		m += (size_t)snprintf(msg + m, sizeof msg - m, "%s%s",
		    l == 0 ? "" : l == nbest - 1 ? " or " : ", ",
		    diag_q(best[l].s, best[l].len));
	diag_error(t->name, nd->line, nd->col, "unknown key %s; %s?",
	    diag_q(nd->path.text, nd->path.len), msg);
}

/*
 * The declared path prefix + "." + s (s alone at the root), or NULL. What
 * is longer than every declared path is not looked for, so long keys in
 * deep sections cost nothing.
 */
static const struct kent *
find_joined(const struct kset *ks, struct buf *b, const struct level *lv,
    const char *s, size_t len)
{
	if (lv->prefix == NULL || (lv->len ? lv->len + 1 : 0) + len > ks->maxlen)
		return NULL;
	buf_reset(b);
	if (lv->len) {
		buf_add(b, lv->prefix, lv->len);
		buf_addc(b, '.');
	}
	buf_add(b, s, len);
	return kset_find(ks, b->data, b->len);
}

/* Past this many unknown keys, tmpl_check only counts them. */
#define CHECK_REPORTS 20

int
tmpl_check(const struct tmpl *t, const char *const *allowed)
{
	struct level lv[LIM_TEMPLATE_DEPTH + 1];
	const struct kent *e;
	struct kset ks;
	struct buf b;
	size_t i, nunknown = 0;
	int nlv = 1, l, unknown;

	kset_init(&ks, allowed);
	buf_init(&b, (size_t)-1 / 2);
	lv[0].prefix = "";
	lv[0].len = 0;
	lv[0].end = t->nnodes;
	lv[0].unknown = 0;
	for (i = 0; i < t->nnodes; i++) {
		const struct node *nd = &t->nodes[i];
		const struct path *p = &nd->path;

		while (nlv > 1 && lv[nlv - 1].end <= i)
			nlv--;
		if (nd->kind == N_TEXT)
			continue;
		unknown = 0;
		e = NULL;
		if (p->sp == SP_NONE) {
			/* Bind the first component like rendering does, innermost first. */
			for (l = nlv - 1; l >= 0; l--)
				if (find_joined(&ks, &b, &lv[l], p->comp[0].s, p->comp[0].len) != NULL)
					break;
			if (l >= 0)
				e = find_joined(&ks, &b, &lv[l], p->text, p->len);
			unknown = e == NULL;
			if (unknown && !lv[nlv - 1].unknown && nunknown++ < CHECK_REPORTS)
				report_unknown(t, nd, &ks, lv, nlv);
		}
		if (nd->kind == N_SECTION || nd->kind == N_INVERTED) {
			lv[nlv] = lv[nlv - 1];
			if (p->sp == SP_NONE) {
				lv[nlv].prefix = e ? e->s : NULL;
				lv[nlv].len = e ? e->len : 0;
			}
			lv[nlv].end = nd->end;
			lv[nlv].unknown = unknown || lv[nlv - 1].unknown;
			nlv++;
		}
	}
	if (nunknown > CHECK_REPORTS)
		diag_error(t->name, 0, 0, "%zu more unknown keys not shown", nunknown - CHECK_REPORTS);
	buf_release(&b);
	free(ks.tab);
	free(ks.order);
	return nunknown ? -1 : 0;
}

/* -------------------------------------------------------------- renderer */

#define ERR_SIZE	1
#define ERR_STEPS	2

struct frame {
	const struct tval	*v;
	const struct tval	*list;	/* the list v is an item of, or NULL */
	size_t			 index;	/* 0-based, in list */
};

struct render {
	const struct tmpl	*t;
	struct buf		*out;
	struct buf		 clean;	/* a value made valid UTF-8 without controls */
	struct buf		 esc;	/* a value escaped */
	struct frame		 fr[LIM_TEMPLATE_DEPTH + 1];
	int			 nfr;
	int			 err;	/* ERR_SIZE or ERR_STEPS: stop */
	unsigned long		 steps;	/* nodes visited and list items entered */
	/* Markdown: what the output line so far is, for context-aware escaping. */
	int			 bs;	/* only indentation and list/quote markers: a block may start */
	int			 row;	/* starts with '|': a table row */
	int			 seen;	/* holds a non-blank byte */
};

static void
track(struct render *r, int c)
{
	if (c == '\n') {
		r->bs = 1;
		r->row = 0;
		r->seen = 0;
		return;
	}
	if (c == ' ' || c == '\t')
		return;
	if (!r->seen) {
		r->seen = 1;
		r->row = c == '|';
	}
	if (!(c == '-' || c == '*' || c == '+' || c == '>' || c == '.' || c == ')' || is_digit(c)))
		r->bs = 0;
}

static void
emit(struct render *r, const char *p, size_t n)
{
	size_t i;

	if (r->err || n == 0)
		return;
	if (buf_add(r->out, p, n) == -1) {
		r->err = ERR_SIZE;
		return;
	}
	if (r->t->fmt == TMPL_MARKDOWN)
		for (i = 0; i < n; i++)
			track(r, (unsigned char)p[i]);
}

static void
put(struct render *r, const char *p, size_t n)
{
	if (!r->err && buf_add(&r->esc, p, n) == -1)
		r->err = ERR_SIZE;
}

static void
putch(struct render *r, int c)
{
	char ch = (char)c;

	put(r, &ch, 1);
}

/*
 * s as valid UTF-8 without control characters: each invalid sequence and
 * each control character (but tab and newline) becomes U+FFFD; CR LF and a
 * lone CR become LF. Returns s itself when it is clean already.
 */
static const char *
clean(struct render *r, const char *s, size_t n, size_t *outn)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, len;
	long cp;

	*outn = n;
	for (i = 0; i < n; i += len) {
		cp = utf8_decode(u, n, i, &len);
		if (cp == -1 || is_control(cp))
			break;
	}
	if (i == n)
		return s;
	buf_reset(&r->clean);
	if (buf_add(&r->clean, s, i) == -1)
		r->err = ERR_SIZE;
	for (; i < n && !r->err; i += len) {
		cp = utf8_decode(u, n, i, &len);
		if (cp == '\r') {
			if (i + 1 < n && s[i + 1] == '\n')
				continue;
			cp = buf_addc(&r->clean, '\n');
		} else if (cp == -1 || is_control(cp)) {
			cp = buf_add(&r->clean, "\xef\xbf\xbd", 3);
		} else {
			cp = buf_add(&r->clean, s + i, len);
		}
		if (cp == -1)
			r->err = ERR_SIZE;
	}
	*outn = r->clean.len;
	return r->clean.data ? r->clean.data : "";
}

/* Markdown bytes that are escaped with a backslash wherever they are. */
static int
md_special(int c)
{
	return c == '\\' || c == '`' || c == '*' || c == '[' || c == ']' || c == '|';
}

static size_t
count_byte(const char *s, size_t n, int c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += (unsigned char)s[i] == c;
	return k;
}

/*
 * Bytes that change rendering only in some company, escaped only there, so
 * pasted text reads "< 1.5 s" and "~5 s", not "\< 1.5 s" and "\~5 s": '<'
 * before what could open a tag or autolink, '&' before what could be an
 * entity, '~' and '$' only when the value has a second one to pair with
 * (GFM strikethrough, GitLab and GitHub math).
 */
static int
md_special_here(const char *s, size_t n, size_t i)
{
	int c = (unsigned char)s[i], d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
	size_t k;

	switch (c) {
	case '<':
		return is_alnum(d) || d == '/' || d == '!' || d == '?';
	case '&':
		for (k = i + 1; k < n && k - i < 34 && (is_alnum((unsigned char)s[k]) || s[k] == '#'); k++)
			continue;
		return k > i + 1 && k < n && s[k] == ';';
	case '~':
	case '$':
		return count_byte(s, n, c) > 1;
	default:
		return 0;
	}
}

/*
 * Inline Markdown text: backslash-escapes what could change rendering;
 * newlines become spaces. lead: the value may start a block (a line), so a
 * leading list marker, heading, quote or setext/rule marker is escaped too.
 */
static void
md_inline(struct render *r, const char *s, size_t n, int lead)
{
	size_t i = 0, j, k;
	int c;

	if (lead) {
		for (j = 0; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
			continue;
		for (k = j; k < n && k - j < 10 && is_digit((unsigned char)s[k]); k++)
			continue;
		if (j < n && (s[j] == '-' || s[j] == '+' || s[j] == '=') &&
		    (j + 1 == n || is_space((unsigned char)s[j + 1]) || s[j + 1] == s[j]))
			k = j;
		else if (j < n && (s[j] == '#' || s[j] == '>'))
			k = j;
		else if (k > j && k - j <= 9 && k < n && (s[k] == '.' || s[k] == ')') &&
		    (k + 1 == n || is_space((unsigned char)s[k + 1])))
			;
		else
			k = n;
		if (k < n) {
			put(r, s, k);
			putch(r, '\\');
			putch(r, s[k]);
			i = k + 1;
		}
	}
	for (; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\n') {
			putch(r, ' ');
		} else if (md_special(c) || md_special_here(s, n, i)) {
			putch(r, '\\');
			putch(r, c);
		} else if (c == '_' && !(i > 0 && is_alnum((unsigned char)s[i - 1]) &&
		    i + 1 < n && is_alnum((unsigned char)s[i + 1]))) {
			/* Inside a word "_" cannot emphasise: snake_case stays readable. */
			put(r, "\\_", 2);
		} else {
			putch(r, c);
		}
	}
}

/*
 * A code span: a fence one backtick longer than the longest run inside,
 * padded with spaces when the content would otherwise lose or merge a
 * character at its edges. In a table row, '|' must be "\|" even here.
 */
static void
md_code(struct render *r, const char *s, size_t n, int row)
{
	size_t i, run = 0, longest = 0;
	int first, last, allsp = 1, pad;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
		if (s[i] != ' ' && s[i] != '\n')
			allsp = 0;
	}
	first = s[0] == '\n' ? ' ' : s[0];
	last = s[n - 1] == '\n' ? ' ' : s[n - 1];
	pad = first == '`' || last == '`' || (first == ' ' && last == ' ' && !allsp);
	for (i = 0; i <= longest; i++)
		putch(r, '`');
	if (pad)
		putch(r, ' ');
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			putch(r, ' ');
		else if (s[i] == '|' && row)
			put(r, "\\|", 2);
		else
			putch(r, s[i]);
	}
	if (pad)
		putch(r, ' ');
	for (i = 0; i <= longest; i++)
		putch(r, '`');
}

/* One line of a block value: where its text starts and what list marker leads it. */
struct mdline {
	size_t	 end;		/* after the line's last non-blank byte */
	size_t	 text;		/* the first non-blank byte (after the marker for a list item) */
	size_t	 indent;	/* columns of leading blanks, tabs to multiples of 4 */
	size_t	 mark, mlen;	/* the list marker: "-", "*", "+", "12." or "3)" */
	int	 blank;
	int	 ordered;
	long	 start;		/* an ordered marker's number */
};

static void
md_line(const char *s, size_t i, size_t e, struct mdline *l)
{
	size_t j, k;

	memset(l, 0, sizeof *l);
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	l->end = e;
	for (j = i; j < e && (s[j] == ' ' || s[j] == '\t'); j++)
		l->indent = s[j] == '\t' ? (l->indent / 4 + 1) * 4 : l->indent + 1;
	l->text = j;
	l->blank = j == e;
	if (l->blank)
		return;
	if ((s[j] == '-' || s[j] == '*' || s[j] == '+') && j + 1 < e &&
	    (s[j + 1] == ' ' || s[j + 1] == '\t')) {
		l->mlen = 1;
	} else {
		for (k = j; k < e && k - j < 10 && is_digit((unsigned char)s[k]); k++)
			l->start = l->start * 10 + (s[k] - '0');
		if (k > j && k - j <= 9 && k + 1 < e && (s[k] == '.' || s[k] == ')') &&
		    (s[k + 1] == ' ' || s[k + 1] == '\t')) {
			l->mlen = k + 1 - j;
			l->ordered = 1;
		}
	}
	if (l->mlen == 0)
		return;
	l->mark = j;
	for (l->text = j + l->mlen; s[l->text] == ' ' || s[l->text] == '\t'; l->text++)
		continue;
}

/*
 * Multi-line Markdown written by people. Kept: line breaks (as soft breaks,
 * so wrapped prose reflows as its author meant), blank lines, and list items ("- ", "* ", "+ ",
 * "1. ", "1) ") with their nesting. Everything else on a line is escaped as
 * a line start. Indentation that would make a code block is dropped: a
 * list item is indented at most one level deeper than the item before it
 * (none at all for the first of a list), other lines not at all; trailing
 * blanks go.
 */
static void
md_block(struct render *r, const char *s, size_t n)
{
	struct mdline l, nx;
	size_t e, w, content = 0, k;
	const char *nl;
	int in_list = 0, prev_blank = 1;

	nl = memchr(s, '\n', n);
	md_line(s, 0, nl ? (size_t)(nl - s) : n, &l);
	for (;;) {
		e = nl ? (size_t)(nl - s) : n;
		if (e < n) {
			nl = memchr(s + e + 1, '\n', n - e - 1);
			md_line(s, e + 1, nl ? (size_t)(nl - s) : n, &nx);
		}
		/* "2. x" right after a paragraph line continues it: no list starts there. */
		if (l.ordered && l.start != 1 && !in_list && !prev_blank) {
			l.mlen = 0;
			l.text = l.mark;
		}
		if (!l.blank && l.mlen) {
			w = !in_list ? 0 : l.indent > content ? content : l.indent;
			for (k = 0; k < w; k++)
				putch(r, ' ');
			put(r, s + l.mark, l.mlen);
			putch(r, ' ');
			content = w + l.mlen + 1;
			in_list = 1;
		} else if (!l.blank && prev_blank) {
			in_list = 0;	/* a paragraph after a blank line ends a list */
		}
		if (!l.blank) {
			md_inline(r, s + l.text, l.end - l.text, 1);
		}
		prev_blank = l.blank;
		if (e == n)
			break;
		putch(r, '\n');
		l = nx;
	}
}

/*
 * HTML text. In a Markdown template the value may land in an HTML block or
 * in Markdown text, so Markdown punctuation is written as numeric character
 * references too (both HTML and Markdown decode those into plain text) and
 * line breaks become spaces.
 */
static void
esc_html(struct render *r, const char *s, size_t n, int md)
{
	char ref[8];
	size_t i;
	int c, digits = 0, lead = 1;	/* the value so far is blanks and digits */

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (lead && i > 0) {
			digits = digits || is_digit((unsigned char)s[i - 1]);
			lead = is_digit((unsigned char)s[i - 1]) || s[i - 1] == ' ' || s[i - 1] == '\t';
		}
		switch (c) {
		case '&': put(r, "&amp;", 5); continue;
		case '<': put(r, "&lt;", 4); continue;
		case '>': put(r, "&gt;", 4); continue;
		case '"': put(r, "&quot;", 6); continue;
		case '\'': put(r, "&#39;", 5); continue;
		default: break;
		}
		if (md && c == '\n')
			putch(r, ' ');	/* a blank line would end an HTML block */
		else if (md && (md_special(c) || c == '~' || c == '$' || c == '_' || c == '#' || c == '+' || c == '-' ||
		    c == '=' || ((c == '.' || c == ')') && lead && digits))) {
			snprintf(ref, sizeof ref, "&#%d;", c);
			put(r, ref, strlen(ref));
		} else {
			putch(r, c);
		}
	}
}

/*
 * A link target. Characters with a meaning in URLs are kept, so absolute
 * links still work; what could end a Markdown link destination or an HTML
 * attribute (spaces, quotes, parentheses, brackets, angle brackets,
 * backslashes, backticks, controls) and non-ASCII bytes are
 * percent-encoded, and `&` is written as `&amp;` in HTML. A scheme other
 * than http, https, mailto or ftp (javascript:, data:) makes the whole
 * link "#unsafe-link".
 */
static void esc_url_bytes(struct render *, const char *, size_t);

static void
esc_url(struct render *r, const char *s, size_t n)
{
	static const char *const schemes[] = {"http:", "https:", "mailto:", "ftp:", NULL};
	size_t i, k;
	int ok;

	for (i = 0; i < n && (is_alnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
	    s[i] == '.'); i++)
		;
	if (i > 0 && i < n && s[i] == ':') {
		for (k = 0, ok = 0; schemes[k] && !ok; k++)
			ok = strlen(schemes[k]) == i + 1 && strncasecmp(s, schemes[k], i + 1) == 0;
		if (!ok) {
			put(r, "#unsafe-link", 12);
			return;
		}
	}
	/* A relative link points where the bundle is published, when that is known. */
	if (r->t->link_base && n > 0 && s[0] != '#' && s[0] != '/' && !(i > 0 && i < n && s[i] == ':')) {
		const char *b = r->t->link_base;
		size_t bl = strlen(b);

		esc_url_bytes(r, b, bl);
		if (b[bl - 1] != '/')
			putch(r, '/');
	}
	esc_url_bytes(r, s, n);
}

static void
esc_url_bytes(struct render *r, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '&' && r->t->fmt == TMPL_HTML) {
			put(r, "&amp;", 5);
		} else if (is_alnum(c) || strchr("/.-_~:?=&#%+@,;!$*", c) != NULL) {
			putch(r, c);
		} else {
			putch(r, '%');
			putch(r, hex[c >> 4]);
			putch(r, hex[c & 15]);
		}
	}
}

static const struct tval *
map_get(const struct tval *m, const struct comp *c)
{
	const struct tv_entry *e = map_find(m, c->s, c->len, c->hash);

	return e ? e->val : NULL;
}

/* The value a path names, or NULL when it is absent. */
static const struct tval *
lookup(const struct render *r, const struct path *p)
{
	const struct tval *v = NULL;
	size_t k;
	int i;

	if (p->sp == SP_DOT)
		return r->fr[r->nfr - 1].v;
	for (i = r->nfr - 1; i >= 0 && v == NULL; i--)
		if (r->fr[i].v != NULL && r->fr[i].v->type == TV_MAP)
			v = map_get(r->fr[i].v, &p->comp[0]);
	for (k = 1; v != NULL && k < p->ncomp; k++)
		v = v->type == TV_MAP ? map_get(v, &p->comp[k]) : NULL;
	return v;
}

/* The innermost list item being rendered, or NULL outside any list. */
static const struct frame *
list_frame(const struct render *r)
{
	int i;

	for (i = r->nfr - 1; i >= 0; i--)
		if (r->fr[i].list)
			return &r->fr[i];
	return NULL;
}

static int
truthy(const struct tval *v)
{
	if (v == NULL)
		return 0;
	switch (v->type) {
	case TV_BOOL: return v->b;
	case TV_STR: return v->len > 0;
	case TV_LIST: return v->n > 0;
	case TV_MAP: return 1;
	default: return 0;
	}
}

static void
render_var(struct render *r, const struct node *nd)
{
	const struct frame *f;
	const struct tval *v;
	const char *s;
	char num[32];
	size_t n;
	enum filter filter = nd->filter;

	if (nd->path.sp == SP_INDEX) {
		if ((f = list_frame(r)) == NULL)
			return;
		snprintf(num, sizeof num, "%zu", f->index + 1);
		s = num;
		n = strlen(num);
	} else {
		v = lookup(r, &nd->path);
		if (v == NULL || (v->type != TV_STR && v->type != TV_BOOL))
			return;
		s = v->type == TV_STR ? v->s : v->b ? "true" : "false";
		n = v->type == TV_STR ? v->len : strlen(s);
	}
	s = clean(r, s, n, &n);
	if (r->err || n == 0)
		return;
	if (filter == F_DEFAULT && r->t->fmt == TMPL_HTML)
		filter = F_HTML;
	else if (filter == F_DEFAULT && r->t->fmt == TMPL_TEXT)
		filter = F_TEXT;
	buf_reset(&r->esc);
	switch (filter) {
	case F_RAW:
	case F_TEXT:
		emit(r, s, n);
		return;
	case F_DEFAULT:
		md_inline(r, s, n, r->bs);
		break;
	case F_CELL:
		md_inline(r, s, n, 0);
		break;
	case F_CODE:
		md_code(r, s, n, r->row);
		break;
	case F_BLOCK:
		md_block(r, s, n);
		break;
	case F_HTML:
		esc_html(r, s, n, r->t->fmt == TMPL_MARKDOWN);
		break;
	case F_URL:
		esc_url(r, s, n);
		break;
	}
	emit(r, buf_str(&r->esc), r->esc.len);
}

static void render_range(struct render *, size_t, size_t);

static void
render_section(struct render *r, size_t at)
{
	const struct node *nd = &r->t->nodes[at];
	const struct frame *f;
	const struct tval *v, *item;
	int on;

	if (nd->path.sp == SP_FIRST || nd->path.sp == SP_LAST) {
		f = list_frame(r);
		on = f && (nd->path.sp == SP_FIRST ? f->index == 0 :
		    f->index + 1 == f->list->n);
		if (on != (nd->kind == N_INVERTED))
			render_range(r, at + 1, nd->end);
		return;
	}
	v = lookup(r, &nd->path);
	if (nd->kind == N_INVERTED || !truthy(v)) {
		if (nd->kind == N_INVERTED && !truthy(v))
			render_range(r, at + 1, nd->end);
		return;
	}
	switch (v->type) {
	case TV_LIST:
		r->fr[r->nfr].list = v;
		r->fr[r->nfr].index = 0;
		for (item = v->head; item != NULL && !r->err; item = item->next) {
			r->fr[r->nfr].v = item;
			r->nfr++;
			render_range(r, at + 1, nd->end);
			r->nfr--;
			r->fr[r->nfr].index++;
		}
		break;
	case TV_MAP:
		r->fr[r->nfr].v = v;
		r->fr[r->nfr].list = NULL;
		r->nfr++;
		render_range(r, at + 1, nd->end);
		r->nfr--;
		break;
	default:
		render_range(r, at + 1, nd->end);
		break;
	}
}

static void
render_range(struct render *r, size_t from, size_t to)
{
	const struct node *nd;
	size_t i = from;

	/* Sections nest lists in lists: bound the work, not only the output. */
	if (++r->steps > LIM_TEMPLATE_STEPS)
		r->err = ERR_STEPS;
	while (i < to && !r->err) {
		if (++r->steps > LIM_TEMPLATE_STEPS) {
			r->err = ERR_STEPS;
			break;
		}
		nd = &r->t->nodes[i];
		switch (nd->kind) {
		case N_TEXT:
			emit(r, r->t->text + nd->off, nd->len);
			i++;
			break;
		case N_VAR:
			render_var(r, nd);
			i++;
			break;
		default:
			render_section(r, i);
			i = nd->end;
			break;
		}
	}
}

int
tmpl_render(const struct tmpl *t, const struct tval *root, struct buf *out)
{
	struct render r;
	size_t i;

	memset(&r, 0, sizeof r);
	r.t = t;
	r.out = out;
	buf_init(&r.clean, out->max);
	buf_init(&r.esc, out->max);
	r.fr[0].v = root;
	r.nfr = 1;
	/* Appending: the line already in out decides the Markdown context. */
	r.bs = 1;
	for (i = out->len; i > 0 && out->data[i - 1] != '\n'; i--)
		continue;
	if (t->fmt == TMPL_MARKDOWN)
		for (; i < out->len; i++)
			track(&r, (unsigned char)out->data[i]);
	render_range(&r, 0, t->nnodes);
	buf_release(&r.clean);
	buf_release(&r.esc);
	if (r.err == ERR_STEPS) {
		diag_error(t->name, 0, 0, "rendering takes more than %d steps (sections over lists nested too deep?)",
		    LIM_TEMPLATE_STEPS);
		return -1;
	}
	if (r.err) {
		diag_error(t->name, 0, 0, "rendered output is larger than the limit of %zu bytes",
		    out->max);
		return -1;
	}
	return 0;
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
