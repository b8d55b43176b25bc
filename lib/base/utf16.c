/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UTF-16LE / Latin-1 names to UTF-8 (WTF-8 for unpaired surrogates) and
 * UTF-8 / WTF-8 back to UTF-16 units. */
#include "base/utf16.h"

#include <string.h>

static uint16_t unit_at(const uint8_t *le, size_t i)
{
    return (uint16_t)(le[2 * i] | (le[2 * i + 1] << 8));
}

static int is_high(uint32_t u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

static int is_low(uint32_t u)
{
    return u >= 0xDC00 && u <= 0xDFFF;
}

/* Writes code point cp (which may be a lone surrogate) as 1..4 bytes. */
static size_t put_utf8(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The code point starting at unit *i (a pair counts as one); advances *i. */
static uint32_t next_cp(const uint8_t *le, size_t units, size_t *i)
{
    uint32_t u = unit_at(le, *i);

    (*i)++;
    if (is_high(u) && *i < units) {
        uint32_t lo = unit_at(le, *i);

        if (is_low(lo)) {
            (*i)++;
            return 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        }
    }
    return u;
}

size_t utf16le_utf8_len(const uint8_t *le, size_t units)
{
    size_t i = 0, n = 0;

    while (i < units) {
        uint32_t cp = next_cp(le, units, &i);

        n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return n;
}

size_t utf16le_to_utf8(const uint8_t *le, size_t units, char *out)
{
    size_t i = 0, n = 0;

    while (i < units) {
        if (le[2 * i + 1] == 0 && le[2 * i] < 0x80) { /* ASCII, the common case */
            out[n++] = (char)le[2 * i++];
            continue;
        }
        n += put_utf8(next_cp(le, units, &i), out + n);
    }
    return n;
}

size_t latin1_utf8_len(const uint8_t *s, size_t n)
{
    size_t len = n;

    for (size_t i = 0; i < n; i++)
        len += (size_t)(s[i] >> 7);
    return len;
}

size_t latin1_to_utf8_slow(const uint8_t *s, size_t n, char *out)
{
    size_t len = 0;

    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c < 0x80) {
            out[len++] = (char)c;
        } else {
            out[len++] = (char)(0xC0 | (c >> 6));
            out[len++] = (char)(0x80 | (c & 0x3F));
        }
    }
    return len;
}

/* Decodes one code point (or WTF-8 surrogate) at s[*pos]; advances *pos.
 * Returns 0 and the value in *cp, or -1 if the bytes there are invalid. */
static int decode_one(const uint8_t *s, size_t len, size_t *pos, uint32_t *cp)
{
    size_t p = *pos;
    uint8_t b = s[p];
    uint32_t v;
    size_t more;
    uint8_t lo = 0x80, hi = 0xBF; /* range of the first continuation byte */

    if (b < 0x80) {
        *cp = b;
        *pos = p + 1;
        return 0;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        v = b & 0x1Fu;
        more = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
        v = b & 0x0Fu;
        more = 2;
        if (b == 0xE0)
            lo = 0xA0; /* shorter forms are overlong */
        /* ED A0..BF (surrogates) stays allowed: that is WTF-8. */
    } else if (b >= 0xF0 && b <= 0xF4) {
        v = b & 0x07u;
        more = 3;
        if (b == 0xF0)
            lo = 0x90; /* overlong */
        else if (b == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return -1; /* continuation byte, C0/C1 (overlong) or F5..FF */
    }
    if (len - p - 1 < more)
        return -1; /* truncated */
    for (size_t k = 1; k <= more; k++) {
        uint8_t c = s[p + k];

        if (c < lo || c > hi)
            return -1;
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (c & 0x3Fu);
    }
    *cp = v;
    *pos = p + 1 + more;
    return 0;
}

int utf8_to_utf16(const char *s, size_t len, uint16_t *out, size_t cap, size_t *units)
{
    const uint8_t *b = (const uint8_t *)s;
    size_t pos = 0, n = 0;
    int prev_high = 0; /* the last code point was an encoded high surrogate */

    while (pos < len) {
        uint32_t cp;

        if (decode_one(b, len, &pos, &cp) != 0) {
            *units = 0;
            return -1;
        }
        if (prev_high && is_low(cp)) {
            *units = 0; /* CESU-8 pair: must be one 4-byte sequence */
            return -1;
        }
        prev_high = is_high(cp);
        if (cp >= 0x10000) {
            if (n < cap)
                out[n] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
            if (n + 1 < cap)
                out[n + 1] = (uint16_t)(0xDC00 + (cp & 0x3FF));
            n += 2;
        } else {
            if (n < cap)
                out[n] = (uint16_t)cp;
            n++;
        }
    }
    *units = n;
    return n > cap ? -2 : 0;
}
