/*
 * crypto_dl.h — libcrypto's EVP digest for sha256.c, loaded on first use
 * (util/dynlib.h): only commands that hash (bundle, verify, --hash) load it.
 * Include after <openssl/evp.h>, from sha256.c only.
 */
#ifndef CRYPTO_DL_H
#define CRYPTO_DL_H

#include "util/dynlib.h"

#define CRYPTO_DL_FUNCS(X) \
	X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) X(EVP_DigestInit_ex) X(EVP_DigestUpdate) \
	X(EVP_DigestFinal_ex) X(EVP_sha256)

CRYPTO_DL_FUNCS(DL_DECL)

static int
crypto_dl_load(void)
{
	static const char *const names[] = {CRYPTO_DL_FUNCS(DL_NAME)};
	static void *const slots[] = {CRYPTO_DL_FUNCS(DL_SLOT)};
	static int state;

	if (state == 0)
		state = dynlib_load("libcrypto.so.3", "SHA-256 (bundle, --hash)", "libssl3", names, slots,
		    sizeof names / sizeof names[0]) == 0 ? 1 : -1;
	return state == 1 ? 0 : -1;
}

#undef EVP_MD_CTX_new
#define EVP_MD_CTX_new	(*dl_EVP_MD_CTX_new)
#undef EVP_MD_CTX_free
#define EVP_MD_CTX_free	(*dl_EVP_MD_CTX_free)
#undef EVP_DigestInit_ex
#define EVP_DigestInit_ex	(*dl_EVP_DigestInit_ex)
#undef EVP_DigestUpdate
#define EVP_DigestUpdate	(*dl_EVP_DigestUpdate)
#undef EVP_DigestFinal_ex
#define EVP_DigestFinal_ex	(*dl_EVP_DigestFinal_ex)
#undef EVP_sha256
#define EVP_sha256	(*dl_EVP_sha256)

#endif
