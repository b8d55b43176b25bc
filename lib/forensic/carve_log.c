/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs of new-format transaction log entries ("HvLE") on a disk image
 * (forensic layer): a log file's entries are back to back from a sector, so
 * entries whose sequence numbers follow on are one run. Each entry must hold
 * together on its own (the layout in log/newlog.c):
 *   OFF  LEN  FIELD
 *     0    4  "HvLE"
 *     4    4  size of the entry (a multiple of 512)
 *    12    4  sequence number (one more than the previous entry's)
 *    16    4  hive bins size after the entry (a multiple of 4096)
 *    20    4  number of dirty page references
 *    40  8*n  references {u32 offset from the first bin, u32 size}, each
 *             4 KiB aligned and inside the bins, their pages after them
 *             filling no more than the entry.
 * The Marvin32 hashes are not checked here (that code is the log layer's):
 * a carved run is a candidate for replay, which checks them. */
#include <string.h>

#include "base/span.h"
#include "forensic/carve.h"

enum {
    LE_SIZE_MAX = 64u * 1024 * 1024,
};

/* The entry at pos: its size and sequence number, or false. With want_seq,
 * its sequence number must be *seq. */
static bool entry_at(struct carver *c, uint64_t pos, bool want_seq, uint32_t *seq,
                     uint32_t *size)
{
    size_t avail;
    const uint8_t *p = view_at(&c->probe, pos, LE_HEADER, &avail);
    if (!p || avail < LE_HEADER || memcmp(p, HVLE_SIG, FILE_SIG_LEN) != 0)
        return false;
    uint32_t n = le32_unchecked(p + LE_SIZE), s = le32_unchecked(p + LE_SEQ);
    uint32_t bins = le32_unchecked(p + LE_BINS), count = le32_unchecked(p + LE_COUNT);
    if (n < CARVE_SECTOR || n % CARVE_SECTOR != 0 || n > LE_SIZE_MAX || n > c->src.size - pos)
        return false;
    if ((want_seq && s != *seq) || bins < HBIN_ALIGN || bins % HBIN_ALIGN != 0)
        return false;
    if (count == 0 || count > (n - LE_HEADER) / 8)
        return false;
    uint64_t pages = 0;
    for (uint32_t i = 0; i < count; i++) {
        p = view_at(&c->probe, pos + LE_HEADER + 8u * i, 8, &avail);
        if (!p || avail < 8)
            return false;
        uint32_t off = le32_unchecked(p), len = le32_unchecked(p + 4);
        if (off % HBIN_ALIGN != 0 || len == 0 || len % HBIN_ALIGN != 0 ||
            len > bins || off > bins - len)
            return false;
        pages += len;
    }
    if (pages > n - LE_HEADER - 8u * (uint64_t)count)
        return false;
    *seq = s + 1;
    *size = n;
    return true;
}

hk_status carve_log_at(struct carver *c, uint64_t pos, uint64_t *advance)
{
    uint32_t seq = 0, size;
    *advance = 0;
    if (!entry_at(c, pos, false, &seq, &size))
        return c->src.err;
    uint64_t run = size;
    uint32_t entries = 1;
    while (run < CARVE_HIVE_MAX && entry_at(c, pos + run, true, &seq, &size)) {
        run += size;
        entries++;
    }
    if (c->src.err != HK_ERROR_SUCCESS)
        return c->src.err;
    hk_carve_record rec = {.type = HK_CARVE_LOG, .offset = pos, .size = run,
                           .log_entries = entries};
    *advance = run;
    return carve_emit(c, &rec);
}
