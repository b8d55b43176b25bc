/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* NTFS compression units (LZNT1) for the carver (forensic layer). */
#ifndef HK_FORENSIC_LZNT1_H
#define HK_FORENSIC_LZNT1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NTFS_CLUSTER 4096u
#define NTFS_UNIT (16u * NTFS_CLUSTER) /* a compression unit: 16 clusters */

/* Decompresses the LZNT1 chunks of src[0..n) into dst[0..cap) and returns the
 * bytes written. Decoding stops at a zero chunk header, a header without
 * the chunk signature, truncated input or a back reference before its
 * chunk; what was decoded so far is kept. *overflow is set when the data
 * asked to write past cap (the rest is dropped). */
size_t lznt1_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t cap, bool *overflow);

/* Whether p[0..avail) starts a compressed unit whose first chunk holds the
 * 4-byte signature sig uncompressed: in a stored chunk, or in a compressed
 * one right after a flag byte of eight literals. */
bool lznt1_starts_with(const uint8_t *p, size_t avail, const char *sig);

#endif
