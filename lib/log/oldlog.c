/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Old-format logs (Windows XP to 8): a dirty vector and pages (log layer).
 *
 * Log file: bytes 0..511 are the base block's copy (file type 1 or 2); at
 * 512, "DIRT" and a bitmap of hive bins size / 512 bits, least significant
 * bit first, one per 512-byte page of the hive bins. From the next 512-byte
 * boundary, one 512-byte page per set bit, in bit order; the page of bit i
 * belongs at file offset 4096 + 512 * i. The log applies whole or not at
 * all, and every hive bin of the result must be sound (Windows checks the
 * bins it rewrote and gives up on a bad one).
 */
#include <stdio.h>
#include <string.h>

#include "hive/binwalk.h"
#include "hive/image.h"
#include "log/replay.h"

static bool bit_set(const uint8_t *bitmap, uint32_t i)
{
    return ((unsigned)bitmap[i / 8] >> (i % 8) & 1u) != 0;
}

/* The hive bin headers of the first bins bytes of im, walked in order. */
static hk_status bins_sound(const struct log_image *im, uint32_t bins, char *why, size_t why_size)
{
    struct bin_iter it;
    struct bin_header h = {0, 0};
    enum bin_fault fault;
    uint32_t bin;
    bin_iter_init(&it, im->data + HBIN_START, bins);
    while ((fault = bin_iter_next(&it, &bin, &h)) == BIN_OK)
        continue;
    if (fault == BIN_END)
        return HK_ERROR_SUCCESS;
    if (fault == BIN_NO_SIG)
        return HK_CORRUPT_TO(HK_ERROR_BADDB, why, why_size, DIAG_NO_CELL,
                             "after replay, no hive bin signature at bin offset 0x%x", it.off);
    return HK_CORRUPT_TO(HK_ERROR_BADDB, why, why_size, DIAG_NO_CELL,
                         "after replay, the hive bin at offset 0x%x is broken (records offset "
                         "0x%x, size 0x%x)", it.off, h.self, h.size);
}

hk_status log_apply_old(struct log_image *im, const struct log_input *log, uint32_t *bins_size,
                        struct log_report *rep)
{
    struct span b = log->bytes;
    /* The caller checked the 512-byte base block. */
    uint32_t bins = le32_unchecked(b.ptr + BB_BINS_SIZE);
    if (bins == 0 || bins % HBIN_ALIGN != 0)
        return HK_CORRUPT_WHY(rep->why, "hive bins size 0x%x at offset 0x28 is not a positive "
                              "multiple of 4096", bins);
    size_t vector = bins / (8 * LOG_PAGE); /* bytes: one bit per page */
    if (b.len < LOG_DIRT_BITMAP || memcmp(b.ptr + LOG_BASE_SIZE, DIRT_SIG, FILE_SIG_LEN) != 0)
        return HK_CORRUPT_WHY(rep->why, "no \"DIRT\" signature at offset 0x200");
    if (b.len - LOG_DIRT_BITMAP < vector)
        return HK_CORRUPT_WHY(rep->why, "the dirty vector of %zu bytes at offset 0x204 runs past "
                              "the end of the %zu-byte log", vector, b.len);
    const uint8_t *bitmap = b.ptr + LOG_DIRT_BITMAP;
    uint64_t dirty = 0;
    for (uint32_t i = 0; i < bins / LOG_PAGE; i++)
        dirty += bit_set(bitmap, i);
    size_t start = (LOG_DIRT_BITMAP + vector + LOG_PAGE - 1) / LOG_PAGE * LOG_PAGE;
    if (start > b.len || (b.len - start) / LOG_PAGE < dirty)
        return HK_CORRUPT_WHY(rep->why, "%llu dirty pages from offset 0x%zx need more than the "
                              "%zu bytes of the log (truncated?)",
                              (unsigned long long)dirty, start, b.len);
    struct diag d = {{0}};
    hk_status st = log_image_reserve(im, (uint64_t)HBIN_START + bins, log->name, &d);
    if (st != HK_ERROR_SUCCESS) {
        snprintf(rep->why, sizeof rep->why, "%s", d.msg);
        return st;
    }
    const uint8_t *page = b.ptr + start;
    for (uint32_t i = 0; i < bins / LOG_PAGE; i++) {
        if (bit_set(bitmap, i)) {
            memcpy(im->data + HBIN_START + (size_t)i * LOG_PAGE, page, LOG_PAGE);
            page += LOG_PAGE;
        }
    }
    st = bins_sound(im, bins, rep->why, sizeof rep->why);
    if (st != HK_ERROR_SUCCESS)
        return st;
    rep->entries = 1;
    rep->pages = (uint32_t)dirty;
    *bins_size = bins;
    return HK_ERROR_SUCCESS;
}
