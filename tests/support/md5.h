/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MD5 (RFC 1321) for tests that compare bytes with a published digest. */
#ifndef TEST_MD5_H
#define TEST_MD5_H

#include <stddef.h>

/* The digest of data[0..n) as 32 lowercase hex digits and a NUL. */
void md5_hex(const void *data, size_t n, char out[33]);

#endif
