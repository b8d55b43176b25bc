/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The disk-image scan (forensic layer): a primary file, a run of hive bins
 * or a run of log entries starts at a sector boundary (a primary file is larger than an NTFS file
 * record, so nothing smaller than a sector need be looked at), so only the
 * first bytes of each 512-byte sector are tested. After a find the scan goes
 * on past it. */
#include <string.h>

#include "forensic/carve.h"
#include "forensic/lznt1.h"

static uint64_t round_up(uint64_t n)
{
    return (n + CARVE_SECTOR - 1) / CARVE_SECTOR * CARVE_SECTOR;
}

/* A hive at pos: its bins walked while their offset fields run on from 0
 * up to the declared size; the last bin's cells tell whether it was cut.
 * *advance: the sectors it covers (0: no hive here). */
static hk_status hive_at(struct carver *c, uint64_t pos, uint64_t *advance)
{
    size_t avail;
    const uint8_t *p = view_at(&c->probe, pos, BASE_BLOCK_SIZE + HBIN_ALIGN, &avail);
    uint32_t bins;
    bool old_cells;
    *advance = 0;
    if (!carve_base_block(p, avail, &bins, &old_cells))
        return HK_ERROR_SUCCESS;
    uint64_t size = BASE_BLOCK_SIZE + (uint64_t)bins, rel = BASE_BLOCK_SIZE;
    uint32_t expect = 0;
    bool broken = false, any = false;
    struct bin_head last = {0, 0};
    while (rel != size) {
        if (rel > size) { /* a last bin larger than declared: take it whole */
            size = rel;
            break;
        }
        struct bin_head h;
        p = view_at(&c->probe, pos + rel, HBIN_ALIGN, &avail);
        if (!carve_bin_head(p, avail, HBIN_ALIGN, expect, &h)) {
            broken = true;
            size = rel;
            break;
        }
        last = h;
        any = true;
        rel += h.size;
        expect += h.size;
    }
    if (c->src.err != HK_ERROR_SUCCESS || !any)
        return c->src.err;
    uint32_t cut;
    uint64_t last_at = pos + size - last.size;
    bool cells_ok = carve_cells(&c->probe, last_at, last.size, old_cells, &cut);
    if (!cells_ok) /* cut within the last bin, at the sector before the break */
        size = (last_at + cut) / CARVE_SECTOR * CARVE_SECTOR - pos;
    if (size > c->src.size - pos) /* a last bin whose cells tiled up to the image's end */
        size = c->src.size - pos;
    hk_carve_record rec = {.type = HK_CARVE_HIVE, .offset = pos, .size = size,
                           .hbins_data_size = bins, .truncated = broken || !cells_ok};
    if (rec.truncated && (c->flags & HK_CARVE_REASSEMBLE)) {
        struct carve_piece piece = {.offset = pos, .size = size, .hbins_data_size = bins};
        carve_remember(&c->truncated, &piece);
    }
    *advance = round_up(size);
    return carve_emit(c, &rec);
}

/* A run of bins at pos without a base block. Its size goes to the last bin
 * whose cells tile, or to where the next one's break, in whole sectors. */
static hk_status fragment_at(struct carver *c, uint64_t pos, uint64_t *advance)
{
    size_t avail;
    struct bin_head h;
    *advance = 0;
    const uint8_t *p = view_at(&c->probe, pos, HBIN_ALIGN, &avail);
    if (!carve_bin_head(p, avail, CARVE_SECTOR, CARVE_ANY_OFFSET, &h))
        return HK_ERROR_SUCCESS;
    uint32_t start = h.offset;
    uint64_t size = carve_bin_run(c, pos, start);
    if (c->src.err != HK_ERROR_SUCCESS)
        return c->src.err;
    size = size / CARVE_SECTOR * CARVE_SECTOR;
    if (size == 0)
        size = CARVE_SECTOR; /* a broken first bin: still a find of one sector */
    if (size > c->src.size - pos)
        size = c->src.size - pos;
    hk_carve_record rec = {.type = HK_CARVE_FRAGMENT, .offset = pos, .size = size,
                           .hbin_start = start};
    if (c->flags & HK_CARVE_REASSEMBLE) {
        struct carve_piece piece = {.offset = pos, .size = size, .hbin_start = start};
        carve_remember(&c->fragments, &piece);
    }
    *advance = size;
    return carve_emit(c, &rec);
}

hk_status carve_disk(struct carver *c)
{
    uint64_t pos = 0;
    while (!c->stop && pos < c->src.size && c->src.size - pos >= CARVE_SECTOR) {
        carve_progress(c, pos);
        size_t avail;
        const uint8_t *p = view_at(&c->scan, pos, 8, &avail);
        if (!p)
            break;
        uint64_t advance = 0;
        hk_status st = HK_ERROR_SUCCESS;
        if (avail >= 4 && memcmp(p, REGF_SIG, FILE_SIG_LEN) == 0)
            st = hive_at(c, pos, &advance);
        else if (avail >= 4 && memcmp(p, HBIN_SIG, FILE_SIG_LEN) == 0)
            st = fragment_at(c, pos, &advance);
        else if (avail >= 4 && memcmp(p, HVLE_SIG, FILE_SIG_LEN) == 0)
            st = carve_log_at(c, pos, &advance);
        else if (lznt1_starts_with(p, avail, REGF_SIG) || lznt1_starts_with(p, avail, HBIN_SIG))
            st = carve_ntfs_at(c, pos, p, avail);
        if (st != HK_ERROR_SUCCESS)
            return st;
        pos += advance ? advance : CARVE_SECTOR;
    }
    return c->src.err;
}
