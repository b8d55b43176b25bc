/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bounds-checked little-endian reads over untrusted bytes (base layer).
 * Every reader checks before it reads; callers never index file bytes
 * directly. Written so that no check can overflow. */
#ifndef HK_BASE_SPAN_H
#define HK_BASE_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct span {
    const uint8_t *ptr;
    size_t len;
};

static inline bool span_has(struct span s, size_t off, size_t len)
{
    return off <= s.len && s.len - off >= len;
}

/* Unchecked decoders: only for bytes a span_has() check already covered. */
static inline uint16_t le16_unchecked(const uint8_t *p)
{
    return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t le32_unchecked(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64_unchecked(const uint8_t *p)
{
    return (uint64_t)le32_unchecked(p) | (uint64_t)le32_unchecked(p + 4) << 32;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
    put_le32(p, (uint32_t)v);
    put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline bool span_u16(struct span s, size_t off, uint16_t *out)
{
    if (!span_has(s, off, 2))
        return false;
    *out = le16_unchecked(s.ptr + off);
    return true;
}

static inline bool span_u32(struct span s, size_t off, uint32_t *out)
{
    if (!span_has(s, off, 4))
        return false;
    *out = le32_unchecked(s.ptr + off);
    return true;
}

static inline bool span_u64(struct span s, size_t off, uint64_t *out)
{
    if (!span_has(s, off, 8))
        return false;
    *out = le64_unchecked(s.ptr + off);
    return true;
}

static inline bool span_sub(struct span s, size_t off, size_t len, struct span *out)
{
    if (!span_has(s, off, len))
        return false;
    out->ptr = s.ptr + off;
    out->len = len;
    return true;
}

#endif
