/*
 * hash.h — the one string hash for sloproof's hash tables: 64-bit FNV-1a.
 * Not for anything an attacker could aim at beyond a slower lookup, and
 * never for checksums (sha256.h). No state.
 */
#ifndef UTIL_HASH_H
#define UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t	fnv1a(const void *p, size_t n);
uint64_t	fnv1a_str(const char *s);

#endif
