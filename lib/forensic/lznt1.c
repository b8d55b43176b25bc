/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LZNT1, the compression of NTFS files (MS-XCA section 2.5), as the carver
 * meets it: one compression unit of 16 clusters at a time.
 *
 * A unit is a run of chunks, each decompressing to at most 4096 bytes:
 *   u16 header: bits 0-11 chunk data size - 1, bits 12-14 signature 3,
 *               bit 15 set = compressed (else the data is stored as is)
 *   compressed data: groups of one flag byte and eight tokens, bit i of the
 *   flags (from bit 0) saying whether token i is a literal byte (0) or a
 *   u16 back reference (1). A reference splits into a displacement (high
 *   bits) and a length (low bits): with p bytes decoded in the chunk, the
 *   displacement takes max(4, bits of (p - 1)) bits; offset = disp + 1,
 *   length = low + 3. References never reach before the chunk.
 * A unit that would not shrink is stored raw (no headers at all); the
 * carver tells the two apart. */
#include "forensic/lznt1.h"

#include <string.h>

#include "base/span.h"

enum { CHUNK_SIG_MASK = 0x7000, CHUNK_SIG = 0x3000, CHUNK_COMPRESSED = 0x8000 };

/* Bits of the displacement after p bytes of the chunk. */
static unsigned disp_bits(size_t p)
{
    unsigned bits = 4;
    for (size_t lim = 16; p > lim && bits < 12; lim <<= 1)
        bits++;
    return bits;
}

struct out {
    uint8_t *p;
    size_t len, cap;
    bool overflow;
};

static bool put(struct out *o, uint8_t b)
{
    if (o->len >= o->cap) {
        o->overflow = true;
        return false;
    }
    o->p[o->len++] = b;
    return true;
}

/* Decodes one compressed chunk of data[0..n); false when it is bogus. */
static bool chunk(const uint8_t *data, size_t n, struct out *o)
{
    size_t start = o->len, i = 0;
    while (i < n) {
        unsigned flags = data[i++];
        for (int t = 0; t < 8 && i < n; t++, flags >>= 1) {
            if (!(flags & 1u)) {
                if (!put(o, data[i++]))
                    return false;
                continue;
            }
            size_t pos = o->len - start;
            if (pos == 0 || pos >= 4096 || n - i < 2)
                return false;
            uint16_t tok = le16_unchecked(data + i);
            i += 2;
            unsigned lbits = 16 - disp_bits(pos);
            size_t back = (size_t)(tok >> lbits) + 1;
            size_t len = (size_t)(tok & ((1u << lbits) - 1)) + 3;
            if (back > pos)
                return false;
            for (size_t k = 0; k < len; k++)
                if (!put(o, o->p[o->len - back]))
                    return false;
        }
    }
    return true;
}

size_t lznt1_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t cap, bool *overflow)
{
    struct out o = {dst, 0, cap, false};
    size_t i = 0;
    while (n - i >= 2) {
        uint16_t h = le16_unchecked(src + i);
        i += 2;
        if (h == 0 || (h & CHUNK_SIG_MASK) != CHUNK_SIG)
            break;
        size_t size = (size_t)(h & 0x0FFFu) + 1;
        size_t have = n - i < size ? n - i : size;
        if (!(h & CHUNK_COMPRESSED)) {
            size_t room = o.cap - o.len;
            size_t take = have < room ? have : room;
            memcpy(o.p + o.len, src + i, take);
            o.len += take;
            if (take < have)
                o.overflow = true;
            if (have < size || o.overflow)
                break;
            i += size;
            continue;
        }
        if (!chunk(src + i, have, &o) || have < size)
            break;
        i += size;
    }
    *overflow = o.overflow;
    return o.len;
}

bool lznt1_starts_with(const uint8_t *p, size_t avail, const char *sig)
{
    if (avail < 7)
        return false;
    uint16_t h = le16_unchecked(p);
    if ((h & CHUNK_SIG_MASK) != CHUNK_SIG)
        return false;
    if (!(h & CHUNK_COMPRESSED))
        return memcmp(p + 2, sig, 4) == 0;
    return p[2] == 0 && memcmp(p + 3, sig, 4) == 0;
}
