/*
 * tmpl_compile.c — the template compiler (text to a flat array of nodes,
 * every syntax error found, with its line and column, before anything
 * renders) and the key checker (a template may only use the keys its
 * renderer declares). Depends on tmpl_parts.h, diag, utf8 and xalloc.
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
long
tmpl_cp_at(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	uint32_t cp;

	*len = utf8_decode((const char *)s + i, n - i, &cp);
	if (cp == UTF8_REPLACEMENT && !(*len == 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0))
		return -1;
	return (long)cp;
}

int
tmpl_is_control(long cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp <= 0x9f);
}

/* Moves a cursor to pos (>= its own); columns count code points from 1. */
static void
advance(const char *s, struct cursor *c, size_t pos)
{
	utf8_linecol(s, &c->pos, &c->line, &c->col, pos);
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
		cp = tmpl_cp_at(u, cs->n, i, &len);
		if (cp == -1)
			return error_at(cs, i, "invalid UTF-8 byte 0x%02x", u[i]);
		if (tmpl_is_control(cp) && cp != '\r')
			return error_at(cs, i, "control character U+%04lX in template", cp);
	}
	if (i > cs->checked)
		cs->checked = i;
	return 0;
}

int
tmpl_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t
skip_space(const char *s, size_t p, size_t end)
{
	while (p < end && tmpl_is_space((unsigned char)s[p]))
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
		if (!tmpl_valid_name(s + start, i - start))
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
	for (k = p; p < e && !tmpl_is_space((unsigned char)s[p]) && s[p] != '|'; p++)
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
		while (p < e && !tmpl_is_space((unsigned char)s[p]))
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
		while (tmpl_is_space((unsigned char)s[e - 1]))
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
		p->comp[c].hash = tmpl_hash(text + start, i - start);
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

	for (i = tmpl_hash(s, len) & (ks->cap - 1); ks->tab[i].s != NULL; i = (i + 1) & (ks->cap - 1))
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
	for (i = tmpl_hash(s, len) & (ks->cap - 1); ks->tab[i].s != NULL; i = (i + 1) & (ks->cap - 1))
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
