/*
 * jsonlim.h — parsing JSON with cJSON inside sloproof's bounds: a value
 * count checked before any tree is built, and allocation through xmalloc.
 * Every importer parses through json_parse (or jscan, which calls
 * json_init). Owns nothing.
 */
#ifndef JSONLIM_H
#define JSONLIM_H

#include <stddef.h>

struct cJSON;

/*
 * Makes cJSON allocate through xmalloc, so running out of memory while
 * parsing is exit 4 with one message, never "invalid JSON" (exit 3).
 * Idempotent; jscan_init and json_parse call it.
 */
void	json_init(void);
/*
 * Whether s holds at most LIM_JSON_VALUES values (SLOPROOF_MAX_JSON_VALUES
 * raises it), counted in one pass without parsing, so a small file that
 * would take gigabytes as a tree is refused first. 0, or -1 after a
 * diagnostic naming the limit and how to raise it.
 */
int	json_values_ok(const char *path, const char *s, size_t n);
/*
 * json_init, json_values_ok, then cJSON_ParseWithLengthOpts. NULL when
 * it fails: *reported is 1 when a diagnostic was printed (a limit),
 * 0 when the text is not JSON (*end, when not NULL, says where).
 */
struct cJSON *json_parse(const char *path, const char *s, size_t n, const char **end,
	    int *reported);

/*
 * json_parse, and the value must be all there is: anything but white
 * space after it (a second document, trailing garbage from a proxy) makes
 * it NULL too, with *end at the first such byte.
 */
struct cJSON *json_parse_all(const char *path, const char *s, size_t n, const char **end,
	    int *reported);

#endif
