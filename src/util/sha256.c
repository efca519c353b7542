/*
 * sha256.c — SHA-256 via libcrypto's EVP interface; we never hand-write
 * the digest. Failure to allocate a context is an out-of-memory death.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "util/crypto_dl.h"
#include "util/sha256.h"

/* libcrypto is loaded by the first hash, from whichever thread comes first. */
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static int crypto_ok;

static void
crypto_load(void)
{
	crypto_ok = crypto_dl_load() == 0;
}

void
sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *ctx;

	pthread_once(&crypto_once, crypto_load);
	if (!crypto_ok)
		exit(4);	/* dynlib_load said why */
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "sloproof: error: cannot initialise SHA-256\n");
		exit(4);
	}
	h->ctx = ctx;
}

void
sha256_update(struct sha256 *h, const void *p, size_t n)
{
	if (n)
		EVP_DigestUpdate(h->ctx, p, n);
}

void
sha256_final(struct sha256 *h, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	EVP_DigestFinal_ex(h->ctx, md, &len);
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
	for (i = 0; i < len && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

void
sha256_hex(const void *p, size_t n, char hex[65])
{
	struct sha256 h;

	sha256_init(&h);
	sha256_update(&h, p, n);
	sha256_final(&h, hex);
}
