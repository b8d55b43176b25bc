/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* New-format (Windows 8.1+) logs: HvLE log entries (log layer).
 *
 * Log file: bytes 0..511 are the base block's copy (file type 6); entries
 * follow back to back from offset 512, each a multiple of 512 bytes:
 *   OFF  LEN  FIELD
 *     0    4  "HvLE"
 *     4    4  size of the entry
 *     8    4  flags (bit 0 goes to the base block's flags)
 *    12    4  sequence number (one more than the previous entry's)
 *    16    4  hive bins size after this entry (multiple of 4096)
 *    20    4  number of dirty page references
 *    24    8  hash-1: Marvin32 of bytes 40..size-1
 *    32    8  hash-2: Marvin32 of bytes 0..31
 *    40  8*n  references {u32 offset from the first bin, u32 size}
 *     .    .  the pages' bytes, in reference order, without gaps
 * Replay stops at the first entry that breaks any of these rules: what
 * came before is applied, nothing after.
 */
#include <stdio.h>
#include <string.h>

#include "hive/image.h"
#include "log/marvin.h"
#include "log/replay.h"

struct entry {
    uint32_t size, flags, seq, bins, count;
};

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Checks the entry at off against every rule; on failure writes the rule to
 * why ("" for the zero padding that ends a log normally). */
static bool entry_check(struct span b, size_t off, uint32_t expected, struct entry *e,
                        char *why, size_t why_size)
{
    size_t left = b.len - off;
    const uint8_t *p = b.ptr + off;
    why[0] = '\0';
    if (left < LE_HEADER) {
        if (!all_zero(p, left))
            snprintf(why, why_size, "entry at offset 0x%zx: only %zu bytes left, a header needs 40",
                     off, left);
        return false;
    }
    if (memcmp(p, HVLE_SIG, FILE_SIG_LEN) != 0) {
        if (!all_zero(p, LE_HEADER))
            snprintf(why, why_size, "entry at offset 0x%zx: no \"HvLE\" signature", off);
        return false;
    }
    e->size = le32_unchecked(p + LE_SIZE);
    e->flags = le32_unchecked(p + LE_FLAGS);
    e->seq = le32_unchecked(p + LE_SEQ);
    e->bins = le32_unchecked(p + LE_BINS);
    e->count = le32_unchecked(p + LE_COUNT);
    if (e->size < 512 || e->size % 512 != 0) {
        snprintf(why, why_size, "entry at offset 0x%zx: size 0x%x is not a positive multiple of 512",
                 off, e->size);
        return false;
    }
    if (e->size > left) {
        snprintf(why, why_size, "entry at offset 0x%zx: size 0x%x runs past the end of the log "
                 "(0x%zx bytes left)", off, e->size, left);
        return false;
    }
    if (e->bins < HBIN_ALIGN || e->bins % HBIN_ALIGN != 0) {
        snprintf(why, why_size, "entry at offset 0x%zx: hive bins size 0x%x is not a positive "
                 "multiple of 4096", off, e->bins);
        return false;
    }
    if (e->count == 0 || (uint64_t)e->count * 8 > e->size - LE_HEADER) {
        snprintf(why, why_size, "entry at offset 0x%zx: %u dirty page references do not fit its "
                 "0x%x bytes", off, e->count, e->size);
        return false;
    }
    uint64_t h2 = marvin32(MARVIN_LOG_SEED, p, 32);
    if (h2 != le64_unchecked(p + LE_HASH2)) {
        snprintf(why, why_size, "entry at offset 0x%zx: hash-2 0x%016llx stored, 0x%016llx computed",
                 off, (unsigned long long)le64_unchecked(p + LE_HASH2), (unsigned long long)h2);
        return false;
    }
    uint64_t h1 = marvin32(MARVIN_LOG_SEED, p + LE_HEADER, e->size - LE_HEADER);
    if (h1 != le64_unchecked(p + LE_HASH1)) {
        snprintf(why, why_size, "entry at offset 0x%zx: hash-1 0x%016llx stored, 0x%016llx computed",
                 off, (unsigned long long)le64_unchecked(p + LE_HASH1), (unsigned long long)h1);
        return false;
    }
    if (e->seq != expected) {
        snprintf(why, why_size, "entry at offset 0x%zx: sequence number %u where %u was expected",
                 off, e->seq, expected);
        return false;
    }
    uint64_t room = e->size - LE_HEADER - (uint64_t)e->count * 8, used = 0;
    for (uint32_t i = 0; i < e->count; i++) {
        uint32_t at = le32_unchecked(p + LE_HEADER + 8 * (size_t)i);
        uint32_t len = le32_unchecked(p + LE_HEADER + 8 * (size_t)i + 4);
        if ((uint64_t)at + len > e->bins) {
            snprintf(why, why_size, "entry at offset 0x%zx: page %u (0x%x bytes at 0x%x) lies past "
                     "the hive bins size 0x%x", off, i, len, at, e->bins);
            return false;
        }
        used += len;
        if (used > room) {
            snprintf(why, why_size, "entry at offset 0x%zx: its pages need more than the 0x%llx "
                     "bytes the entry holds", off, (unsigned long long)room);
            return false;
        }
    }
    return true;
}

hk_status log_apply_new(struct log_image *im, const struct log_input *log, uint32_t *expected,
                        uint32_t *bins_size, uint32_t *flags, struct log_report *rep,
                        struct diag *d)
{
    struct span b = log->bytes;
    size_t off = LOG_BASE_SIZE;
    struct entry e;
    /* Each pass moves off by at least 512 bytes: bounded by the log's size. */
    while (off < b.len && entry_check(b, off, *expected, &e, rep->why, sizeof rep->why)) {
        hk_status st = log_image_reserve(im, (uint64_t)HBIN_START + e.bins, log->name, d);
        if (st != HK_ERROR_SUCCESS)
            return st;
        const uint8_t *p = b.ptr + off;
        const uint8_t *page = p + LE_HEADER + 8 * (size_t)e.count;
        for (uint32_t i = 0; i < e.count; i++) {
            uint32_t at = le32_unchecked(p + LE_HEADER + 8 * (size_t)i);
            uint32_t len = le32_unchecked(p + LE_HEADER + 8 * (size_t)i + 4);
            memcpy(im->data + HBIN_START + at, page, len);
            page += len;
        }
        rep->entries++;
        rep->pages += e.count;
        rep->last_seq = e.seq;
        *expected = e.seq + 1;
        *bins_size = e.bins;
        *flags = (*flags & ~1u) | (e.flags & 1u);
        off += e.size;
    }
    return HK_ERROR_SUCCESS;
}
