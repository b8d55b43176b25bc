/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Base block checks, the hive-bin walk and cell resolution (hive layer).
 *
 * Base block (file offset 0, 4096 bytes)
 *   OFF  LEN  FIELD
 *     0    4  "regf"
 *     4    4  primary sequence number
 *     8    4  secondary sequence number (differs from primary: dirty)
 *    12    8  last written FILETIME
 *    20    4  major version (1)
 *    24    4  minor version (1..6)
 *    28    4  file type (0 primary; 1, 2, 6 logs)
 *    32    4  file format (1)
 *    36    4  root key cell offset
 *    40    4  hive bins data size (multiple of 4096)
 *    44    4  clustering factor
 *    48   64  file name, UTF-16LE
 *   508    4  checksum of bytes 0..507
 *
 * Hive bin header (32 bytes): "hbin", own offset, size (multiple of 4096),
 * reserved, FILETIME, spare. Cells tile each bin exactly: int32 size
 * (negative = allocated), |size| a multiple of 8 and at least 8.
 */
#include "hive/image.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/hint.h"
#include "hive/binwalk.h"
#include "hive/cellalloc.h"

_Static_assert(HBIN_START == DIAG_CELL_ORIGIN, "cell offsets count from the first bin");

uint32_t baseblock_checksum(const uint8_t *base)
{
    uint32_t x = 0;
    for (size_t i = 0; i < BB_CHECKSUM_DWORDS; i++)
        x ^= le32_unchecked(base + 4 * i);
    if (x == 0)
        return 1;
    if (x == 0xFFFFFFFFu)
        return 0xFFFFFFFEu;
    return x;
}

static hk_status read_base_block(struct hive_image *img)
{
    const uint8_t *p = img->file.data;
    size_t size = img->file.size;
    if (size < 4 || memcmp(p, REGF_SIG, FILE_SIG_LEN) != 0)
        return HK_NOT_HIVE(DIAG_DETAIL,
                        "not a registry hive: no \"regf\" signature at file offset 0");
    if (size < HBIN_START)
        return HK_CORRUPT(DIAG_DETAIL, DIAG_NO_CELL,
                          "file is %zu bytes, shorter than the 4096-byte base block", size);
    struct base_block *bb = &img->bb;
    bb->seq1 = le32_unchecked(p + BB_SEQ1);
    bb->seq2 = le32_unchecked(p + BB_SEQ2);
    bb->last_written = le64_unchecked(p + BB_TIME);
    bb->major = le32_unchecked(p + BB_MAJOR);
    bb->minor = le32_unchecked(p + BB_MINOR);
    bb->type = le32_unchecked(p + BB_TYPE);
    bb->format = le32_unchecked(p + BB_FORMAT);
    bb->root = le32_unchecked(p + BB_ROOT);
    bb->bins_size = le32_unchecked(p + BB_BINS_SIZE);
    bb->clustering = le32_unchecked(p + BB_CLUSTER);
    memcpy(bb->file_name, p + BB_NAME, sizeof bb->file_name);
    bb->checksum_stored = le32_unchecked(p + BB_CHECKSUM);
    bb->checksum_computed = baseblock_checksum(p);
    img->dirty = bb->seq1 != bb->seq2 || bb->checksum_stored != bb->checksum_computed;

    if (!bb_version_known(bb->major, bb->minor))
        return HK_CORRUPT(DIAG_DETAIL, DIAG_NO_CELL,
                          "unsupported hive version %u.%u at file offset 0x14 (1.1 to 1.6 are "
                          "known)", bb->major, bb->minor);
    if (bb->type != BB_TYPE_PRIMARY)
        return HK_NOT_HIVE(DIAG_DETAIL,
                        "file type %u at file offset 0x1c: a transaction log, not a primary hive",
                        bb->type);
    if (bb->format != BB_FORMAT_DIRECT)
        return HK_CORRUPT(DIAG_DETAIL, DIAG_NO_CELL,
                          "file format %u at file offset 0x20 (1 expected)", bb->format);
    bool impossible = bb->bins_size == 0 || bb->bins_size % HBIN_ALIGN != 0;
    if (img->salvage && size - HBIN_START >= HBIN_ALIGN &&
        (impossible || bb->checksum_stored != bb->checksum_computed)) {
        /* Not trusted: the bins are found in the file (walk_bins trims the
         * pages after the last intact bin). */
        uint64_t room = (size - HBIN_START) / HBIN_ALIGN * HBIN_ALIGN;
        img->bins_size = room > 0xFFFFF000u ? 0xFFFFF000u : (uint32_t)room;
        img->untrusted_size = true;
        return HK_ERROR_SUCCESS;
    }
    if (impossible)
        return HK_CORRUPT(DIAG_DETAIL, DIAG_NO_CELL,
                          "hive bins size 0x%x at file offset 0x28 is not a positive multiple "
                          "of 4096", bb->bins_size);
    if ((uint64_t)bb->bins_size > size - HBIN_START && img->salvage &&
        size - HBIN_START >= HBIN_ALIGN) {
        img->bins_size = (uint32_t)((size - HBIN_START) / HBIN_ALIGN * HBIN_ALIGN);
        snprintf(img->salvage_note, sizeof img->salvage_note,
                 "hive bins size 0x%x runs past the end of the %zu-byte file: reading the first "
                 "0x%x bytes of bins", bb->bins_size, size, img->bins_size);
        return HK_ERROR_SUCCESS;
    }
    if ((uint64_t)bb->bins_size > size - HBIN_START)
        return HK_CORRUPT(DIAG_DETAIL, DIAG_NO_CELL,
                          "hive bins size 0x%x at file offset 0x28 runs past the end of the "
                          "%zu-byte file (truncated?)", bb->bins_size, size);
    img->bins_size = bb->bins_size;
    return HK_ERROR_SUCCESS;
}

enum { CELL_PREFETCH = 4096 }; /* bytes of a bin the walk asks for at its start */

/* Walks the cells of one bin, marking each start in the cell map. Each cell's
 * offset depends on the size read at the one before: the step keeps that
 * chain short, and the bin (its first 4 KiB, the whole of most bins) is
 * asked for at once rather than each cache miss waited on in turn. */
static hk_status walk_cells(struct hive_image *img, uint32_t bin, uint32_t bin_size)
{
    const uint8_t *bins = img->file.data + HBIN_START;
    uint64_t *map = img->cellmap;
    uint32_t end = bin + bin_size;
    for (uint32_t ahead = bin; ahead < end && ahead - bin < CELL_PREFETCH; ahead += 64)
        HK_PREFETCH(bins + ahead);
    struct cell_iter it;
    struct cell_at c;
    enum cell_step step;
    cell_iter_init(&it, bins, bin, bin_size);
    while ((step = cell_iter_next(&it, &c)) == CELL_STEP_OK)
        map[c.off >> 9] |= (uint64_t)1 << ((c.off >> 3) & 63u);
    if (step == CELL_STEP_BAD) {
        char why[120];
        cell_fault_text(&it, why, sizeof why);
        return IMAGE_CORRUPT(img, it.off, "%s", why);
    }
    return HK_ERROR_SUCCESS;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void note_add(struct hive_image *img, const char *fmt, ...)
{
    size_t n = strlen(img->salvage_note);
    if (n + 3 >= sizeof img->salvage_note)
        return;
    if (n) {
        memcpy(img->salvage_note + n, "; ", 3);
        n += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(img->salvage_note + n, sizeof img->salvage_note - n, fmt, ap);
    va_end(ap);
}

/* Salvage: the damaged run from off to the next intact bin becomes a gap
 * (its pages map to it, marked walked, with no cell mapped). Returns the
 * next bin; when none follows, the bins are cut at off. */
static uint32_t skip_damage(struct hive_image *img, uint32_t off, const char *why)
{
    uint32_t next = off + HBIN_ALIGN;
    struct bin_header h = {0, 0};
    while (next < img->bins_size &&
           bin_check(img->file.data + HBIN_START, img->bins_size, next, &h) != BIN_OK)
        next += HBIN_ALIGN;
    struct bin_gap *g = img->gaps;
    if (next < img->bins_size && (img->gap_count & (img->gap_count - 1)) == 0 &&
        (g = hk_realloc(img->gaps, (img->gap_count ? 2 * img->gap_count : 1) * sizeof *g)) != NULL)
        img->gaps = g; /* grown at each power of two */
    if (next >= img->bins_size || !g) {
        /* Nothing intact follows (or no memory to keep the gap): cut. Pages
         * after the last bin of an untrusted base block are no damage. */
        if (!img->untrusted_size)
            note_add(img, "corrupt hive at offset 0x%x: %s: reading the first 0x%x bytes of bins",
                     off, why, off);
        img->bins_size = off;
        return off;
    }
    g[img->gap_count++] = (struct bin_gap){off, next - off};
    for (uint32_t page = off / HBIN_ALIGN; page < next / HBIN_ALIGN; page++)
        img->bin_of_page[page] = off;
    img->bin_walked[off / HBIN_ALIGN] = BIN_GAP_MARK;
    note_add(img, "corrupt hive at offset 0x%x: %s: skipped 0x%x bytes to the intact bin at 0x%x",
             off, why, next - off, next);
    return next;
}

static hk_status walk_bins(struct hive_image *img)
{
    struct bin_iter it;
    struct bin_header h = {0, 0};
    enum bin_fault fault;
    uint32_t off = 0;
    char why[160];
    bin_iter_init(&it, img->file.data + HBIN_START, img->bins_size);
    while ((fault = bin_iter_next(&it, &off, &h)) != BIN_END) {
        if (fault != BIN_OK) {
            off = it.off;
            bin_fault_text(fault, &h, img->bins_size, why, sizeof why);
            if (!img->salvage)
                return IMAGE_CORRUPT(img, off, "%s", why);
            it.off = skip_damage(img, off, why);
            it.bins_size = img->bins_size; /* cut there when no intact bin follows */
            continue;
        }
        for (uint32_t page = off / HBIN_ALIGN; page < (off + h.size) / HBIN_ALIGN; page++)
            img->bin_of_page[page] = off;
        img->bin_count++;
    }
    if (img->bin_count == 0)
        return IMAGE_CORRUPT(img, 0, "no intact hive bin");
    if (img->untrusted_size && img->bins_size != img->bb.bins_size)
        note_add(img, "base block not trusted (%s): 0x%x bytes of hive bins found in the file, "
                 "0x%x declared",
                 img->bb.checksum_stored != img->bb.checksum_computed ? "bad checksum"
                                                                      : "impossible bins size",
                 img->bins_size, img->bb.bins_size);
    return HK_ERROR_SUCCESS;
}

/* Walks every bin not walked yet, in file order; stops at the first broken
 * one when asked to, else leaves each broken bin unwalked and goes on. */
static hk_status walk_unwalked(struct hive_image *img, bool stop_at_break)
{
    for (uint32_t off = 0; off < img->bins_size; off += image_bin_size(img, off)) {
        if (img->bin_walked[off / HBIN_ALIGN])
            continue;
        hk_status st = image_walk_bin(img, off);
        if (st != HK_ERROR_SUCCESS && stop_at_break)
            return st;
    }
    return HK_ERROR_SUCCESS;
}

hk_status image_open(struct hive_image *img, struct file_buf *file)
{
    return image_open_salvage(img, file, false);
}

hk_status image_open_salvage(struct hive_image *img, struct file_buf *file, bool salvage)
{
    memset(img, 0, sizeof *img);
    img->salvage = salvage;
    img->file = *file;
    memset(file, 0, sizeof *file);
    hk_status st = read_base_block(img);
    if (st != HK_ERROR_SUCCESS)
        return st;
    size_t pages = img->bins_size / HBIN_ALIGN;
    img->cellmap = hk_alloc_zero((size_t)img->bins_size / 512 + 1, sizeof *img->cellmap);
    img->bin_of_page = hk_alloc(pages * sizeof *img->bin_of_page);
    img->bin_walked = hk_alloc_zero(pages, 1);
    if (!img->cellmap || !img->bin_of_page || !img->bin_walked)
        return diag_set(DIAG_DETAIL, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for the cell map");
    st = walk_bins(img);
    if (st == HK_ERROR_SUCCESS) {
        /* One pass that streams through the file costs less than the same
         * walks scattered over a walk of the tree. A broken bin stays
         * unwalked and says why when a cell of it is asked for. */
        (void)walk_unwalked(img, false);
        diag_clear(DIAG_DETAIL);
    }
    return st;
}

hk_status image_walk_bin(struct hive_image *img, uint32_t bin)
{
    /* The header was checked at open, size included. */
    uint32_t size = le32_unchecked(img->file.data + HBIN_START + bin + HBIN_SIZE);
    hk_status st = walk_cells(img, bin, size);
    /* Salvage keeps the cells before a break: those after it stay unmapped. */
    if (st == HK_ERROR_SUCCESS || img->salvage)
        image_mark_walked(img, bin);
    return img->salvage ? HK_ERROR_SUCCESS : st;
}

void image_mark_walked(struct hive_image *img, uint32_t bin)
{
    if (img->bin_walked[bin / HBIN_ALIGN])
        return;
    img->bin_walked[bin / HBIN_ALIGN] = 1;
    img->walked_count++;
}

hk_status image_walk_all(struct hive_image *img)
{
    if (img->gap_count)
        return IMAGE_CORRUPT(img, img->gaps[0].off,
                             "hive bins from here were skipped by the salvage open (%u damaged "
                             "runs): the image is not whole", img->gap_count);
    return walk_unwalked(img, true);
}

bool cell_is_start(struct hive_image *img, uint32_t off)
{
    if (off >= img->bins_size || (off & 7u) != 0)
        return false;
    uint32_t bin = img->bin_of_page[off / HBIN_ALIGN];
    if (!img->bin_walked[bin / HBIN_ALIGN] && image_walk_bin(img, bin) != HK_ERROR_SUCCESS)
        return false;
    return cell_mapped(img, off);
}

void image_free(struct hive_image *img)
{
    if (!img)
        return;
    if (img->cap) { /* the writable copy (cellalloc.c) */
        hk_big_free(img->file.data, img->cap);
        img->file.data = NULL;
        img->cap = 0;
    }
    file_buf_free(&img->file);
    free_cells_destroy(img);
    hk_dealloc(img->cellmap);
    hk_dealloc(img->bin_of_page);
    hk_dealloc(img->bin_walked);
    hk_dealloc(img->gaps);
    img->gaps = NULL;
    img->gap_count = 0;
    img->cellmap = NULL;
    img->bin_of_page = NULL;
    img->bin_walked = NULL;
}

/* The error half of cell_get: says why off is no allocated cell. */
hk_status cell_get_failed(struct hive_image *img, uint32_t off)
{
    if (off >= img->bins_size)
        return IMAGE_CORRUPT(img, off, "cell offset lies outside the hive bins");
    if (image_is_gap(img, img->bin_of_page[off / HBIN_ALIGN]))
        return IMAGE_CORRUPT(img, off, "cell lies in hive bins the salvage open skipped "
                             "(damaged from 0x%x)", img->bin_of_page[off / 4096]);
    if ((off & 7u) != 0 || !cell_mapped(img, off))
        return IMAGE_CORRUPT(img, off, "offset is not the start of a cell");
    return IMAGE_CORRUPT(img, off, "cell is free where an allocated cell is referenced");
}

hk_status cell_sig_failed(struct hive_image *img, uint32_t off, const char *sig)
{
    return IMAGE_CORRUPT(img, off, "\"%s\" signature expected", sig);
}
