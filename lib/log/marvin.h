/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Marvin32, the keyed 64-bit checksum that guards new-format log entries
 * (log layer). Written from its published description: two 32-bit lanes
 * mixed per little-endian word, a padded final word, one extra round. */
#ifndef HK_LOG_MARVIN_H
#define HK_LOG_MARVIN_H

#include <stddef.h>
#include <stdint.h>

/* The seed of log entries' hash-1 and hash-2. */
#define MARVIN_LOG_SEED 0x82EF4D887A4E55C5ull

/* Marvin32 of n bytes at p (any length) under seed: hi lane << 32 | lo lane. */
uint64_t marvin32(uint64_t seed, const uint8_t *p, size_t n);

#endif
