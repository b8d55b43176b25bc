/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Byte-level scans for the .reg parser (text layer): runs of ASCII, their
 * widening to UTF-16 units, UTF-8 checks and decoding. */
#include "text/regbytes.h"

#include <string.h>

#include "base/utf16.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Units of n ASCII bytes: sixteen at a time with SSE2, else eight at a
 * time spread to 16-bit lanes. */
void text_widen_ascii(uint16_t *u, const uint8_t *s, size_t n)
{
    size_t k = 0;
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
    for (; n - k >= 16; k += 16) {
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
        _mm_storeu_si128((__m128i *)(void *)(u + k), _mm_unpacklo_epi8(b, zero));
        _mm_storeu_si128((__m128i *)(void *)(u + k + 8), _mm_unpackhi_epi8(b, zero));
    }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; n - k >= 8; k += 8) {
        uint64_t w, lo, hi;
        memcpy(&w, s + k, 8);
        lo = w & 0xFFFFFFFFu;
        hi = w >> 32;
        lo = (lo | lo << 16) & 0x0000FFFF0000FFFFu;
        hi = (hi | hi << 16) & 0x0000FFFF0000FFFFu;
        lo = (lo | lo << 8) & 0x00FF00FF00FF00FFu;
        hi = (hi | hi << 8) & 0x00FF00FF00FF00FFu;
        memcpy(u + k, &lo, 8);
        memcpy(u + k + 4, &hi, 8);
    }
#endif
    for (; k < n; k++)
        u[k] = s[k];
}

/* Unit k of a text of one-byte units or of UTF-16LE/BE units. */
static uint16_t unit_at(const uint8_t *s, size_t k, enum reg_units form)
{
    switch (form) {
    case REG_UNITS_LE:
        return (uint16_t)(s[2 * k] | s[2 * k + 1] << 8);
    case REG_UNITS_BE:
        return (uint16_t)(s[2 * k] << 8 | s[2 * k + 1]);
    default:
        return s[k];
    }
}

/* Where a text can stop for a caller that wants only the first key: the
 * end of the first line, after the header line, whose first non-blank is
 * '['; size if there is none. Only the lines up to that one are read. */
size_t reg_first_key_end(const uint8_t *s, size_t size, enum reg_units form)
{
    size_t width = form == REG_UNITS_BYTES ? 1 : 2, n = size / width, k = 0;
    while (k < n && unit_at(s, k, form) != '\n')
        k++;
    while (k < n) {
        k++; /* past the '\n' */
        while (k < n && (unit_at(s, k, form) == ' ' || unit_at(s, k, form) == '\t'))
            k++;
        bool key = k < n && unit_at(s, k, form) == '[';
        while (k < n && unit_at(s, k, form) != '\n')
            k++;
        if (key)
            return k < n ? (k + 1) * width : size;
    }
    return size;
}

/* The end of the run of ASCII bytes from i: 32 at a time, then eight,
 * then one by one. */
size_t text_ascii_end(const uint8_t *s, size_t size, size_t i)
{
#if defined(__SSE2__)
    for (; size - i >= 64; i += 64) {
        const __m128i *v = (const __m128i *)(const void *)(s + i);
        __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(v), _mm_loadu_si128(v + 1)),
                                   _mm_or_si128(_mm_loadu_si128(v + 2), _mm_loadu_si128(v + 3)));
        if (_mm_movemask_epi8(any))
            break;
    }
#endif
    for (uint64_t w[4]; size - i >= 32; i += 32) {
        memcpy(w, s + i, 32);
        if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080u)
            break;
    }
    for (uint64_t w; size - i >= 8; i += 8) {
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080u)
            break;
    }
    while (i < size && s[i] < 0x80)
        i++;
    return i;
}

/* Checks that the whole text is UTF-8; *ascii: whether it is all ASCII. */
bool text_valid_utf8(const uint8_t *s, size_t size, bool *ascii)
{
    *ascii = true;
    for (size_t i = 0; i < size;) {
        i = text_ascii_end(s, size, i);
        size_t end = i, units;
        while (end < size && s[end] >= 0x80)
            end++;
        if (end > i) {
            *ascii = false;
            if (utf8_to_utf16((const char *)s + i, end - i, NULL, 0, &units) == -1)
                return false;
        }
        i = end;
    }
    return true;
}

/* The units of n bytes of valid UTF-8: ASCII bytes are units as they are;
 * each run of other bytes (no UTF-8 sequence holds an ASCII byte) goes
 * through the decoder. u has room for n units. Returns the count. */
size_t text_utf8_units(uint16_t *u, const uint8_t *s, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < size;) {
        size_t ascii = text_ascii_end(s, size, i);
        text_widen_ascii(u + n, s + i, ascii - i);
        n += ascii - i;
        if (ascii == size)
            break;
        size_t end = ascii, units = 0;
        while (end < size && s[end] >= 0x80)
            end++;
        if (utf8_to_utf16((const char *)s + ascii, end - ascii, u + n, size - n, &units) != 0)
            units = 0; /* not reached: the text was checked */
        n += units;
        i = end;
    }
    return n;
}
