/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UTF-8 names compared as Windows compares them: without regard to case,
 * by the upcase table, in UTF-16 units (base layer). */
#include "base/nocase.h"
#include "base/upcase.h"

/* The next UTF-16 unit of s[*i..n), upcased; -1 at the end. Invalid bytes
 * compare as themselves. */
static long next_unit(const char *s, size_t n, size_t *i, uint16_t *pending)
{
    if (*pending) {
        uint16_t u = *pending;
        *pending = 0;
        return upcase_unit(u);
    }
    if (*i >= n)
        return -1;
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = n - *i, len = 1;
    uint32_t cp = p[0];
    if (p[0] >= 0xF0 && left >= 4)
        len = 4, cp = ((p[0] & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u);
    else if (p[0] >= 0xE0 && left >= 3)
        len = 3, cp = ((p[0] & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
    else if (p[0] >= 0xC0 && left >= 2)
        len = 2, cp = ((p[0] & 31u) << 6) | (p[1] & 63u);
    *i += len;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        *pending = (uint16_t)(0xDC00 + (cp & 0x3FF));
        return 0xD800 + (cp >> 10);
    }
    return upcase_unit((uint16_t)cp);
}

int utf8_cmp_nocase(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    uint16_t pa = 0, pb = 0;
    for (;;) {
        long x = next_unit(a, an, &i, &pa), y = next_unit(b, bn, &j, &pb);
        if (x != y)
            return x < y ? -1 : 1;
        if (x < 0)
            return 0;
    }
}

bool utf8_eq_nocase(const char *a, size_t an, const char *b, size_t bn)
{
    return utf8_cmp_nocase(a, an, b, bn) == 0;
}

