/*
 * sha256.h — SHA-256 from libcrypto (EVP), wrapped so that only sha256.c
 * includes OpenSSL headers.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>

struct sha256 {
	void	*ctx;	/* EVP_MD_CTX */
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
/* Writes 64 lowercase hex digits and a NUL to hex, and frees the context. */
void	sha256_final(struct sha256 *, char hex[65]);
/* One call for a whole buffer. */
void	sha256_hex(const void *, size_t, char hex[65]);

#endif
