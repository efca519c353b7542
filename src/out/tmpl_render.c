/*
 * tmpl_render.c — rendering a compiled template over a value tree, with
 * the escaping of each output format (Markdown, HTML, text) and filter.
 * Never fails on a value: any string renders, escaped. Depends on
 * tmpl_parts.h, buf and utf8.
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
	if (!(c == '-' || c == '*' || c == '+' || c == '>' || c == '.' || c == ')' || tmpl_is_digit(c)))
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
		cp = tmpl_cp_at(u, n, i, &len);
		if (cp == -1 || tmpl_is_control(cp))
			break;
	}
	if (i == n)
		return s;
	buf_reset(&r->clean);
	if (buf_add(&r->clean, s, i) == -1)
		r->err = ERR_SIZE;
	for (; i < n && !r->err; i += len) {
		cp = tmpl_cp_at(u, n, i, &len);
		if (cp == '\r') {
			if (i + 1 < n && s[i + 1] == '\n')
				continue;
			cp = buf_addc(&r->clean, '\n');
		} else if (cp == -1 || tmpl_is_control(cp)) {
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
		return tmpl_is_alnum(d) || d == '/' || d == '!' || d == '?';
	case '&':
		for (k = i + 1; k < n && k - i < 34 && (tmpl_is_alnum((unsigned char)s[k]) || s[k] == '#'); k++)
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
		for (k = j; k < n && k - j < 10 && tmpl_is_digit((unsigned char)s[k]); k++)
			continue;
		if (j < n && (s[j] == '-' || s[j] == '+' || s[j] == '=') &&
		    (j + 1 == n || tmpl_is_space((unsigned char)s[j + 1]) || s[j + 1] == s[j]))
			k = j;
		else if (j < n && (s[j] == '#' || s[j] == '>'))
			k = j;
		else if (k > j && k - j <= 9 && k < n && (s[k] == '.' || s[k] == ')') &&
		    (k + 1 == n || tmpl_is_space((unsigned char)s[k + 1])))
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
		} else if (c == '_' && !(i > 0 && tmpl_is_alnum((unsigned char)s[i - 1]) &&
		    i + 1 < n && tmpl_is_alnum((unsigned char)s[i + 1]))) {
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
		for (k = j; k < e && k - j < 10 && tmpl_is_digit((unsigned char)s[k]); k++)
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
			digits = digits || tmpl_is_digit((unsigned char)s[i - 1]);
			lead = tmpl_is_digit((unsigned char)s[i - 1]) || s[i - 1] == ' ' || s[i - 1] == '\t';
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

	for (i = 0; i < n && (tmpl_is_alnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
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
		} else if (tmpl_is_alnum(c) || strchr("/.-_~:?=&#%+@,;!$*", c) != NULL) {
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
	const struct tv_entry *e = tmpl_map_find(m, c->s, c->len, c->hash);

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
