/*
 * yamlr.c — libyaml's event API folded into a bounded tree. The only file
 * that includes <yaml.h>. libyaml 0.2.5 has no depth limit of its own and
 * counts marks from 0; both are handled here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util/diag.h"
#include "util/splimits.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

struct frame {
	struct ynode	*node;
	struct ynode	*pending_key;	/* Y_MAP: key waiting for its value */
	size_t		 cap;
	size_t		*tab;		/* Y_MAP: open-addressed index+1 of pairs by key hash */
	size_t		 tabcap;	/* a power of two, or 0 while the map is small */
};

/* Maps up to this size look for a duplicate key by scanning; larger ones use a hash table. */
#define SMALL_MAP 16

static size_t
key_hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void
tab_insert(struct frame *f, size_t idx)
{
	size_t m = f->tabcap - 1, h = key_hash(f->node->pairs[idx].key->value) & m;

	while (f->tab[h])
		h = (h + 1) & m;
	f->tab[h] = idx + 1;
}

/* Keeps the table at most half full, building it when the map outgrows SMALL_MAP. */
static void
tab_grow(struct frame *f)
{
	size_t i, n = f->node->n;

	if (n < SMALL_MAP || (f->tabcap && n * 2 < f->tabcap))
		return;
	free(f->tab);
	f->tabcap = f->tabcap ? f->tabcap * 2 : 64;
	f->tab = xcalloc(f->tabcap, sizeof *f->tab);
	for (i = 0; i < n; i++)
		tab_insert(f, i);
}

/* The pair of the map with that key, or NULL: linear or hashed, never quadratic overall. */
static const struct ypair *
find_key(const struct frame *f, const char *key)
{
	const struct ynode *map = f->node;
	size_t i, m, h;

	if (f->tabcap == 0) {
		for (i = 0; i < map->n; i++)
			if (strcmp(map->pairs[i].key->value, key) == 0)
				return &map->pairs[i];
		return NULL;
	}
	m = f->tabcap - 1;
	for (h = key_hash(key) & m; f->tab[h]; h = (h + 1) & m)
		if (strcmp(map->pairs[f->tab[h] - 1].key->value, key) == 0)
			return &map->pairs[f->tab[h] - 1];
	return NULL;
}

static int
add_child(struct ydoc *d, struct frame *f, struct ynode *child)
{
	struct ynode *parent = f->node;
	const struct ypair *dup;

	if (parent->type == Y_SEQ) {
		xgrow((void **)&parent->items, &f->cap, parent->n + 1, sizeof *parent->items);
		parent->items[parent->n++] = child;
		return 0;
	}
	if (f->pending_key == NULL) {
		if (child->type != Y_SCALAR) {
			diag_error(d->path, child->line, child->col,
			    "a mapping key must be a plain value, not %s", ynode_what(child));
			return -1;
		}
		if ((dup = find_key(f, child->value)) != NULL) {
			diag_error(d->path, child->line, child->col,
			    "duplicate key %s (first at line %ld)",
			    diag_q(child->value, (size_t)-1), dup->key->line);
			return -1;
		}
		f->pending_key = child;
		return 0;
	}
	xgrow((void **)&parent->pairs, &f->cap, parent->n + 1, sizeof *parent->pairs);
	parent->pairs[parent->n].key = f->pending_key;
	parent->pairs[parent->n].value = child;
	parent->n++;
	f->pending_key = NULL;
	if (f->tabcap && parent->n * 2 < f->tabcap)
		tab_insert(f, parent->n - 1);
	else
		tab_grow(f);
	return 0;
}

/* Arrays grow with xgrow while parsing; copy them into the arena when a collection ends. */
static void
seal(struct ydoc *d, struct ynode *n)
{
	void *old;
	size_t sz;

	if (n->type == Y_SEQ && n->items) {
		sz = n->n * sizeof *n->items;
		old = n->items;
		n->items = arena_alloc(&d->arena, sz ? sz : 1);
		memcpy(n->items, old, sz);
		free(old);
	} else if (n->type == Y_MAP && n->pairs) {
		sz = n->n * sizeof *n->pairs;
		old = n->pairs;
		n->pairs = arena_alloc(&d->arena, sz ? sz : 1);
		memcpy(n->pairs, old, sz);
		free(old);
	}
}

/* The byte at a libyaml mark (0-based line and column, counted in characters), or -1. */
static int
byte_at(const char *text, size_t len, size_t line, size_t col)
{
	size_t i = 0, l = 0, c = 0;

	while (i < len && l < line)
		if (text[i++] == '\n')
			l++;
	while (i < len && c < col && text[i] != '\n') {
		i++;
		while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
			i++;
		c++;
	}
	return i < len ? (unsigned char)text[i] : -1;
}

static int
is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/*
 * A libyaml syntax error in words a person can act on, placed where the
 * fix goes: an unclosed quote or bracket at its start, not at the end of
 * the file. libyaml's own words are kept only for problems not listed.
 */
static void
yaml_problem(const yaml_parser_t *p, const char *path, const char *text, size_t len)
{
	const char *pr = p->problem, *cx = p->context;
	long line = (long)p->problem_mark.line + 1, col = (long)p->problem_mark.column + 1;
	long cline = (long)p->context_mark.line + 1, ccol = (long)p->context_mark.column + 1;
	int ch = byte_at(text, len, p->problem_mark.line, p->problem_mark.column);

	if (pr && (strstr(pr, "tab character") || (is(pr, "found character that cannot start any "
	    "token") && ch == '\t'))) {
		diag_error(path, line, col, "a tab in the indentation; YAML indents with spaces only");
	} else if (is(pr, "found character that cannot start any token")) {
		if (ch > 0x20 && ch < 0x7f)
			diag_error(path, line, col, "a value cannot start with '%c'; put the value in "
			    "quotes", ch);
		else
			diag_error(path, line, col, "a value cannot start with this character; put the "
			    "value in quotes");
	} else if (is(pr, "mapping values are not allowed in this context")) {
		diag_error(path, line, col, "unexpected ':' here: a second `key:` on one line, a line "
		    "above without ':', or a line indented deeper than the key above it; put a value "
		    "that contains \": \" in quotes");
	} else if (is(pr, "did not find expected key")) {
		diag_error(path, line, col, "this line is not lined up with the keys above it; the "
		    "keys of one mapping start in the same column, indented with spaces");
	} else if (is(pr, "did not find expected '-' indicator")) {
		diag_error(path, line, col, "this line is not lined up with the list above it (line "
		    "%ld): a new item starts with `- ` in column %ld, and a key of an item lines up "
		    "with the item's first key", cline, ccol);
	} else if (is(pr, "could not find expected ':'")) {
		diag_error(path, cline, ccol, "a key without ':' (or a line that runs on from this "
		    "one); write `key: value`");
	} else if (is(pr, "found unexpected end of stream") && cx && strstr(cx, "quoted scalar")) {
		diag_error(path, cline, ccol, "the quoted value that starts here is never closed; "
		    "end it with the same quote");
	} else if (is(pr, "found unknown escape character")) {
		diag_error(path, line, col, "unknown escape in a double-quoted value; write \\\\ for "
		    "a backslash, or use single quotes");
	} else if (is(pr, "did not find expected ',' or ']'")) {
		diag_error(path, cline, ccol, "the [ list ] that starts here is not closed, or its "
		    "items are not separated by commas");
	} else if (is(pr, "did not find expected ',' or '}'")) {
		diag_error(path, cline, ccol, "the { mapping } that starts here is not closed, or its "
		    "entries are not separated by commas");
	} else if (is(pr, "did not find expected node content")) {
		diag_error(path, line, col, "a value is missing here");
	} else if (is(pr, "block sequence entries are not allowed in this context")) {
		diag_error(path, line, col, "a list item `- ` cannot follow a key on the same line; "
		    "start the list on the next line, indented");
	} else if (pr && (strstr(pr, "UTF-8") || strstr(pr, "control characters"))) {
		diag_error(path, line, col, "not UTF-8 text here; save the file as UTF-8");
	} else {
		diag_error(path, line, col, "the YAML cannot be read here (%s%s%s)",
		    pr ? pr : "syntax error", cx ? " " : "", cx ? cx : "");
	}
}

/* Parses one document, or with multi every document of a stream into d->docs. */
static int
load(struct ydoc *d, const char *path, const char *text, size_t len, int multi)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct frame stack[LIM_YAML_DEPTH + 1];
	struct ynode *node;
	size_t depth = 0, nodes = 0, i, doccap = 0;
	int done = 0, rc = 0, docs = 0;

	arena_init(&d->arena);
	d->root = NULL;
	d->docs = NULL;
	d->ndocs = 0;
	d->path = path;
	if (memchr(text, '\0', len) != NULL) {
		diag_error(path, 0, 0, "not a YAML text file (it contains a NUL byte)");
		return -1;
	}
	if (!yaml_parser_initialize(&p)) {
		diag_syserr(path, "cannot initialise the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev) && p.error == YAML_MEMORY_ERROR) {
			diag_syserr(path, "out of memory parsing YAML");
			rc = -1;
			break;
		} else if (p.error != YAML_NO_ERROR) {
			yaml_problem(&p, path, text, len);
			rc = -1;
			break;
		}
		node = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1 && !multi) {
				diag_error(path, (long)ev.start_mark.line + 1,
				    (long)ev.start_mark.column + 1,
				    "more than one YAML document; expected one");
				rc = -1;
				done = 1;
			} else if (docs > LIM_YAML_DOCS) {
				diag_error(path, (long)ev.start_mark.line + 1,
				    (long)ev.start_mark.column + 1,
				    "more than %d YAML documents in one stream", LIM_YAML_DOCS);
				rc = -1;
				done = 1;
			} else if (multi) {
				xgrow((void **)&d->docs, &doccap, d->ndocs + 1, sizeof *d->docs);
				d->docs[d->ndocs++] = NULL;	/* an empty document stays NULL */
			}
			break;
		case YAML_ALIAS_EVENT:
			diag_error(path, (long)ev.start_mark.line + 1, (long)ev.start_mark.column + 1,
			    "YAML aliases are not supported here; write the value out");
			rc = -1;
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++nodes > LIM_YAML_NODES) {
				diag_error(path, (long)ev.start_mark.line + 1, 0,
				    "more than %d YAML nodes", LIM_YAML_NODES);
				rc = -1;
				done = 1;
				break;
			}
			node = arena_alloc(&d->arena, sizeof *node);
			node->line = (long)ev.start_mark.line + 1;
			node->col = (long)ev.start_mark.column + 1;
			if (ev.type == YAML_SCALAR_EVENT) {
				node->type = Y_SCALAR;
				node->len = ev.data.scalar.length;
				node->value = arena_strndup(&d->arena,
				    (const char *)ev.data.scalar.value, node->len);
				node->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			} else {
				node->type = ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP;
			}
			if (depth > 0 && add_child(d, &stack[depth - 1], node) == -1) {
				rc = -1;
				done = 1;
				break;
			}
			if (depth == 0) {
				if (d->root == NULL)
					d->root = node;
				if (multi && d->ndocs > 0)
					d->docs[d->ndocs - 1] = node;
			}
			if (node->type != Y_SCALAR) {
				if (depth >= LIM_YAML_DEPTH) {
					diag_error(path, node->line, node->col,
					    "YAML nested deeper than %d levels", LIM_YAML_DEPTH);
					rc = -1;
					done = 1;
					break;
				}
				stack[depth].node = node;
				stack[depth].pending_key = NULL;
				stack[depth].cap = 0;
				stack[depth].tab = NULL;
				stack[depth].tabcap = 0;
				depth++;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			seal(d, stack[depth].node);
			free(stack[depth].tab);
			stack[depth].tab = NULL;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (rc == -1) {
		for (i = 0; i < depth; i++) {
			seal(d, stack[i].node);
			free(stack[i].tab);
		}
		arena_release(&d->arena);
		d->root = NULL;
		free(d->docs);
		d->docs = NULL;
		d->ndocs = 0;
	}
	return rc;
}

int
ydoc_load(struct ydoc *d, const char *path, const char *text, size_t len)
{
	return load(d, path, text, len, 0);
}

int
ydoc_load_stream(struct ydoc *d, const char *path, const char *text, size_t len)
{
	return load(d, path, text, len, 1);
}

void
ydoc_release(struct ydoc *d)
{
	arena_release(&d->arena);
	free(d->docs);
	d->docs = NULL;
	d->ndocs = 0;
	d->root = NULL;
}

const struct ynode *
ymap_get(const struct ynode *map, const char *key)
{
	size_t i;

	if (map == NULL || map->type != Y_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key->value, key) == 0)
			return map->pairs[i].value;
	return NULL;
}

const char *
ynode_what(const struct ynode *n)
{
	if (n == NULL)
		return "nothing";
	switch (n->type) {
	case Y_MAP:
		return "a mapping";
	case Y_SEQ:
		return "a list";
	case Y_SCALAR:
	default:
		return "a value";
	}
}

int
ymap_check_keys(const char *path, const struct ynode *map,
    const char *const allowed[], const char *context)
{
	char list[512];
	size_t i, j, off;
	int found;

	for (i = 0; i < map->n; i++) {
		const struct ynode *k = map->pairs[i].key;

		found = 0;
		for (j = 0; allowed[j] && !found; j++)
			found = strcmp(allowed[j], k->value) == 0;
		if (found)
			continue;
		off = 0;
		list[0] = '\0';
		for (j = 0; allowed[j] && off < sizeof list - 64; j++)
			off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
			    j ? ", " : "", allowed[j]);
		diag_error(path, k->line, k->col, "unknown key %s in %s; expected one of: %s",
		    diag_q(k->value, (size_t)-1), context, list);
		return -1;
	}
	return 0;
}

int
ynode_is_null(const struct ynode *n)
{
	return n == NULL || (n->type == Y_SCALAR && n->plain &&
	    (n->len == 0 || strcmp(n->value, "~") == 0 || strcmp(n->value, "null") == 0 ||
	    strcmp(n->value, "Null") == 0 || strcmp(n->value, "NULL") == 0));
}
