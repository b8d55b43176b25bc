/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* When bytes of a raw image are taken for a base block, a hive bin or a
 * tiling of cells (forensic layer). The rules are yarp's carver's, so that
 * hivekit finds at least what yarp finds: the base block of a primary file
 * (version 1.1-1.6, type 0, format 1, clustering 1, a bins size that is a
 * positive multiple of 4 KiB within 500 MiB, no log signature at 512, a bin
 * at 4096), bins as in hive/image.c but bounded (64 MiB), and cells that
 * tile a bin with sizes aligned to 8 (16 for version 1.1) up to 2 MiB. */
#include <string.h>

#include "base/span.h"
#include "forensic/carve.h"

bool carve_bin_head(const uint8_t *p, size_t avail, size_t min_avail, uint32_t expect,
                    struct bin_head *out)
{
    if (!p || avail < min_avail || avail < HBIN_HEADER_SIZE ||
        memcmp(p, HBIN_SIG, FILE_SIG_LEN) != 0)
        return false;
    uint32_t off = le32_unchecked(p + HBIN_SELF), size = le32_unchecked(p + HBIN_SIZE);
    if (expect != CARVE_ANY_OFFSET && off != expect)
        return false;
    if (size < HBIN_ALIGN || size % HBIN_ALIGN != 0 || size > CARVE_BIN_MAX)
        return false;
    if (off % HBIN_ALIGN != 0 || (uint64_t)off + BASE_BLOCK_SIZE >= CARVE_HIVE_MAX)
        return false;
    out->offset = off;
    out->size = size;
    return true;
}

bool carve_base_block(const uint8_t *p, size_t avail, uint32_t *bins, bool *old_cells)
{
    if (!p || avail < BASE_BLOCK_SIZE + HBIN_ALIGN || memcmp(p, REGF_SIG, FILE_SIG_LEN) != 0)
        return false;
    uint32_t minor = le32_unchecked(p + BB_MINOR), size = le32_unchecked(p + BB_BINS_SIZE);
    if (!bb_version_known(le32_unchecked(p + BB_MAJOR), minor))
        return false;
    if (le32_unchecked(p + BB_TYPE) != BB_TYPE_PRIMARY ||
        le32_unchecked(p + BB_FORMAT) != BB_FORMAT_DIRECT ||
        le32_unchecked(p + BB_CLUSTER) != BB_CLUSTERING)
        return false;
    if (size < HBIN_ALIGN || size % HBIN_ALIGN != 0 ||
        (uint64_t)size + BASE_BLOCK_SIZE > CARVE_HIVE_MAX)
        return false;
    if (memcmp(p + LOG_BASE_SIZE, DIRT_SIG, FILE_SIG_LEN) == 0 ||
        memcmp(p + LOG_BASE_SIZE, HVLE_SIG, FILE_SIG_LEN) == 0)
        return false;
    if (memcmp(p + BASE_BLOCK_SIZE, HBIN_SIG, FILE_SIG_LEN) != 0)
        return false;
    *bins = size;
    *old_cells = minor == 1;
    return true;
}

/* The last position in [lo, hi) of the image where sig (4 bytes) lies
 * wholly inside the range; false if none. */
static bool find_last(struct carve_view *v, uint64_t lo, uint64_t hi, const char *sig,
                      uint64_t *at)
{
    bool found = false;
    uint64_t off = lo;
    while (off + 4 <= hi) {
        size_t avail;
        uint64_t want = hi - off;
        const uint8_t *p = view_at(v, off, want > v->cap ? v->cap : (size_t)want, &avail);
        if (!p || avail < 4)
            break;
        for (size_t i = 0; i + 4 <= avail; i++) {
            if (p[i] == (uint8_t)sig[0] && memcmp(p + i, sig, 4) == 0) {
                found = true;
                *at = off + i;
            }
        }
        off += avail - 3;
    }
    return found;
}

/* The int32 at off of the image, 0 past its end. */
static uint32_t u32_at(struct carve_view *v, uint64_t off)
{
    size_t avail;
    const uint8_t *p = view_at(v, off, 4, &avail);
    uint8_t b[4] = {0, 0, 0, 0};
    if (p)
        memcpy(b, p, avail);
    return le32_unchecked(b);
}

bool carve_cells(struct carve_view *v, uint64_t at, uint32_t size, bool old_cells, uint32_t *cut)
{
    uint32_t align = old_cells ? 16 : 8;
    uint32_t pos = HBIN_HEADER_SIZE;
    bool first = true;
    while (pos < size) {
        uint32_t raw = u32_at(v, at + pos);
        uint32_t abs = (raw & 0x80000000u) ? (uint32_t)0 - raw : raw;
        if (abs < align || abs % align != 0 || abs > size - pos || abs > CARVE_CELL_MAX) {
            *cut = pos;
            if (first)
                return false;
            uint64_t h = 0, r = 0;
            bool has_h = find_last(v, at + HBIN_HEADER_SIZE, at + pos, HBIN_SIG, &h);
            bool has_r = find_last(v, at + HBIN_HEADER_SIZE, at + pos, REGF_SIG, &r);
            if (has_h && has_r)
                *cut = (uint32_t)((r > h ? h : r) - at);
            else if (has_h)
                *cut = (uint32_t)(h - at);
            else if (has_r)
                *cut = (uint32_t)(r - at);
            return false;
        }
        first = false;
        pos += abs;
    }
    return true;
}

bool carve_plausible(const uint8_t *p, size_t n, bool allow_zeros)
{
    for (size_t off = 0; off + 4 <= n; off += HBIN_ALIGN)
        if (memcmp(p + off, HBIN_SIG, FILE_SIG_LEN) == 0)
            return true;
    if (!allow_zeros)
        return false;
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}
