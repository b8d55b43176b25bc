/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Key and value names as stored: Latin-1 ("compressed") or UTF-16LE bytes
 * (record layer). Comparison upcases UTF-16 units with Windows' table. */
#ifndef HK_RECORD_NAME_H
#define HK_RECORD_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/hint.h"
#include "base/span.h"
#include "base/upcase.h"
#include "base/utf16.h"

struct name_ref {
    const uint8_t *ptr; /* inside the hive image */
    uint32_t len;       /* bytes as stored */
    bool compressed;    /* Latin-1: one byte per unit */
};

/* UTF-16 units of the name (an odd trailing byte of a UTF-16 name ignored). */
static inline uint32_t name_units(struct name_ref n)
{
    return n.compressed ? n.len : n.len / 2;
}

static inline uint16_t name_unit(struct name_ref n, uint32_t i)
{
    if (n.compressed)
        return n.ptr[i];
    return (uint16_t)(n.ptr[2 * i] | (unsigned)n.ptr[2 * i + 1] << 8);
}

/* The functions below take names by pointer: a name_ref passed by value is
 * read back as one 8-byte word where its decoder stored len and compressed
 * apart, which stalls the load (no store forwarding). */

/* Compares a stored name with upcased UTF-16 units: <0, 0, >0 in Windows'
 * order (upcased units compared unsigned, a prefix first). */
int name_cmp_upcased(const struct name_ref *n, const uint16_t *up, size_t up_len);

/* name_cmp for names that are not both Latin-1. */
int name_cmp_wide(const struct name_ref *a, const struct name_ref *b);

/* Compares two stored names in Windows' order. Inline for two Latin-1 names
 * (the order check of every enumerated key): bytes compared 8 at a time
 * while they are equal (sorted siblings share prefixes), upcased only where
 * they differ. */
static HK_HOT_INLINE int name_cmp(const struct name_ref *a, const struct name_ref *b)
{
    if (!a->compressed || !b->compressed)
        return name_cmp_wide(a, b);
    uint32_t na = a->len, nb = b->len;
    uint32_t m = na < nb ? na : nb;
    uint32_t i = 0;
    while (m - i >= 8 && le64_unchecked(a->ptr + i) == le64_unchecked(b->ptr + i))
        i += 8;
    for (; i < m; i++) {
        if (a->ptr[i] == b->ptr[i])
            continue;
        uint16_t ua = upcase_unit(a->ptr[i]), ub = upcase_unit(b->ptr[i]);
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
    if (na == nb)
        return 0;
    return na < nb ? -1 : 1;
}

/* UTF-8 (WTF-8) bytes of the name, without NUL, and the conversion itself
 * (out has room for name_utf8_len bytes; no NUL written). */
static inline size_t name_utf8_len(const struct name_ref *n)
{
    if (n->compressed)
        return latin1_utf8_len(n->ptr, n->len);
    return utf16le_utf8_len(n->ptr, n->len / 2);
}

/* An upper bound of name_utf8_len that costs nothing: 2 bytes a Latin-1
 * unit, 3 a UTF-16 unit (a pair makes 4 from 2). */
static inline size_t name_utf8_max(const struct name_ref *n)
{
    return n->compressed ? 2 * (size_t)n->len : 3 * (size_t)(n->len / 2);
}
static inline size_t name_to_utf8(const struct name_ref *n, char *out)
{
    if (n->compressed)
        return latin1_to_utf8(n->ptr, n->len, out);
    return utf16le_to_utf8(n->ptr, n->len / 2, out);
}

#endif
