/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Conversions between on-disk names (UTF-16LE or Latin-1 "compressed") and
 * UTF-8 at the API. WTF-8 carries unpaired surrogates, so every name
 * round-trips. No iconv, no locale, no allocation. */
#ifndef HK_BASE_UTF16_H
#define HK_BASE_UTF16_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Bytes of UTF-8 that `units` UTF-16LE code units at `le` (unaligned bytes,
 * 2 * units of them) produce, without a NUL. A high surrogate followed by a
 * low one is a pair (4 bytes); any other surrogate is unpaired and takes the
 * 3-byte WTF-8 form ED A0..BF xx. Unit 0 gives byte 0. */
size_t utf16le_utf8_len(const uint8_t *le, size_t units);

/* Writes utf16le_utf8_len(le, units) bytes to out (the caller made room; no
 * NUL written); returns that count. */
size_t utf16le_to_utf8(const uint8_t *le, size_t units, char *out);

/* Latin-1 ("compressed" names): each byte is the code point U+00xx. */
size_t latin1_utf8_len(const uint8_t *s, size_t n);

/* Copies n bytes to out if all are ASCII, checking and copying whole words
 * (overlapping at the end) instead of bytes: names are mostly ASCII. Returns
 * 0, possibly after writing part of out, if a byte is >= 0x80. */
static inline int copy_ascii(const uint8_t *s, size_t n, char *out)
{
    uint64_t w8, acc = 0;
    uint32_t w4, w4b;
    uint16_t w2, w2b;

    if (n >= 8) {
        for (size_t i = 0; i + 8 <= n; i += 8) {
            memcpy(&w8, s + i, 8);
            memcpy(out + i, &w8, 8);
            acc |= w8;
        }
        memcpy(&w8, s + n - 8, 8);
        memcpy(out + n - 8, &w8, 8);
        return ((acc | w8) & 0x8080808080808080ull) == 0;
    }
    if (n >= 4) {
        memcpy(&w4, s, 4);
        memcpy(&w4b, s + n - 4, 4);
        memcpy(out, &w4, 4);
        memcpy(out + n - 4, &w4b, 4);
        return ((w4 | w4b) & 0x80808080u) == 0;
    }
    if (n >= 2) {
        memcpy(&w2, s, 2);
        memcpy(&w2b, s + n - 2, 2);
        memcpy(out, &w2, 2);
        memcpy(out + n - 2, &w2b, 2);
        return ((w2 | w2b) & 0x8080u) == 0;
    }
    if (n == 1)
        out[0] = (char)s[0];
    return n == 0 || s[0] < 0x80;
}

/* latin1_to_utf8 for bytes that are not all ASCII. */
size_t latin1_to_utf8_slow(const uint8_t *s, size_t n, char *out);

/* Writes latin1_utf8_len(s, n) bytes to out; returns that count. Inline: a
 * walk converts one or two names per key and per value. */
static inline size_t latin1_to_utf8(const uint8_t *s, size_t n, char *out)
{
    if (copy_ascii(s, n, out))
        return n;
    return latin1_to_utf8_slow(s, n, out);
}

/* Decodes UTF-8 / WTF-8 (s, len bytes; no NUL needed; byte 0 is kept as
 * unit 0) into native UTF-16 units.
 *
 * Accepted: well-formed UTF-8 (shortest form, at most U+10FFFF; four-byte
 * sequences become surrogate pairs) plus a surrogate U+D800..U+DFFF as the
 * 3-byte sequence ED A0..BF xx, except a high surrogate directly followed by
 * a low one: that pair must be written as one 4-byte sequence (two 3-byte
 * halves are CESU-8, not WTF-8) and is rejected. So each unit sequence has
 * exactly one accepted spelling, the one utf16le_to_utf8 writes.
 *
 * Returns 0 with *units = the count written; -1 if the input is invalid
 * (overlong, above U+10FFFF, truncated or stray continuation byte, bytes
 * C0 C1 F5..FF, an encoded surrogate pair) with *units = 0; -2 if more than
 * cap units are needed, with *units = the number needed (out then holds the
 * first cap units). Validity is checked first: invalid input is -1 whatever
 * cap is. out may be NULL when cap is 0. */
int utf8_to_utf16(const char *s, size_t len, uint16_t *out, size_t cap, size_t *units);

#endif /* HK_BASE_UTF16_H */
