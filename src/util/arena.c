/*
 * arena.c — chunked bump allocation. Owns its chunks. Depends on xalloc.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/xalloc.h"

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 used, size;
	alignas(max_align_t) unsigned char data[];
};

#define CHUNK (64 * 1024)

void
arena_init(struct arena *a)
{
	a->head = NULL;
}

void
arena_release(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t al = alignof(max_align_t), size;
	void *p;

	n = (n + al - 1) / al * al;
	if (c == NULL || c->size - c->used < n) {
		size = n > CHUNK ? n : CHUNK;
		c = xmalloc(sizeof *c + size);
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void
arena_adopt(struct arena *to, struct arena *from)
{
	struct arena_chunk *c = from->head;

	if (c == NULL)
		return;
	while (c->next != NULL)
		c = c->next;
	c->next = to->head;
	to->head = from->head;
	from->head = NULL;
}
