/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stored names: comparison in Windows' order and conversion to UTF-8 (record layer). */
#include "record/name.h"

#include "base/span.h"
#include "base/upcase.h"
#include "base/utf16.h"

int name_cmp_upcased(const struct name_ref *n, const uint16_t *up, size_t up_len)
{
    uint32_t nn = name_units(*n);
    size_t m = nn < up_len ? nn : up_len;
    for (size_t i = 0; i < m; i++) {
        uint16_t a = upcase_unit(name_unit(*n, (uint32_t)i));
        if (a != up[i])
            return a < up[i] ? -1 : 1;
    }
    if (nn == up_len)
        return 0;
    return nn < up_len ? -1 : 1;
}

/* Both names Latin-1: bytes compared, 8 at a time while they are equal
 * (sorted siblings share prefixes), upcased only where they differ. */
static int latin1_cmp(const uint8_t *a, uint32_t na, const uint8_t *b, uint32_t nb)
{
    uint32_t m = na < nb ? na : nb;
    uint32_t i = 0;
    while (m - i >= 8 && le64_unchecked(a + i) == le64_unchecked(b + i))
        i += 8;
    for (; i < m; i++) {
        if (a[i] == b[i])
            continue;
        uint16_t ua = upcase_unit(a[i]), ub = upcase_unit(b[i]);
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
    if (na == nb)
        return 0;
    return na < nb ? -1 : 1;
}

int name_cmp(const struct name_ref *a, const struct name_ref *b)
{
    uint32_t na = name_units(*a), nb = name_units(*b);
    if (a->compressed && b->compressed)
        return latin1_cmp(a->ptr, na, b->ptr, nb);
    uint32_t m = na < nb ? na : nb;
    for (uint32_t i = 0; i < m; i++) {
        uint16_t ua = upcase_unit(name_unit(*a, i));
        uint16_t ub = upcase_unit(name_unit(*b, i));
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
    if (na == nb)
        return 0;
    return na < nb ? -1 : 1;
}

size_t name_utf8_len(const struct name_ref *n)
{
    if (n->compressed)
        return latin1_utf8_len(n->ptr, n->len);
    return utf16le_utf8_len(n->ptr, n->len / 2);
}
