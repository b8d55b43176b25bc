/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The hive image in memory: base block, hive bins and the map of cell starts
 * (hive layer). Everything above refers to cells by offset (relative to the
 * first bin, as the file does) and resolves them through cell_get(). */
#ifndef HK_HIVE_IMAGE_H
#define HK_HIVE_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "base/hint.h"
#include "base/span.h"
#include "hive/format.h"

struct free_cells;

/* A run of pages of the bins with no intact bin header, skipped by a
 * salvage open (its cells are never mapped). */
struct bin_gap {
    uint32_t off, size;
};

struct base_block {
    uint32_t seq1, seq2;
    uint64_t last_written;
    uint32_t major, minor;
    uint32_t type, format;
    uint32_t root;
    uint32_t bins_size;
    uint32_t clustering;
    uint32_t checksum_stored, checksum_computed;
    uint8_t file_name[64]; /* UTF-16LE as stored */
};

struct hive_image {
    struct file_buf file;
    struct base_block bb;
    uint32_t bins_size; /* checked: HBIN_ALIGN + bins_size <= file.size */
    uint32_t bin_count;
    uint32_t *bin_of_page; /* per 4 KiB page of the bins: the offset of its bin */
    uint8_t *bin_walked;   /* per page, at a bin's first page: its cells are mapped (1), or
                              it starts a gap a salvage open skipped (BIN_GAP_MARK) */
    uint32_t walked_count; /* bins whose cells are mapped */
    uint64_t *cellmap;     /* bit off / 8 % 64 of word off / 512: a cell starts at bin offset off */
    bool dirty;
    bool salvage;           /* opened with HK_OPEN_SALVAGE */
    char salvage_note[512]; /* what the salvage open cut or skipped, "" if nothing */
    struct bin_gap *gaps;   /* salvage: damaged runs skipped, in offset order */
    uint32_t gap_count;
    bool untrusted_size;    /* salvage: the bins size was found in the file, not read */
    /* Editing (hive/cellalloc.c): set once the image owns a writable copy. */
    bool writable;
    size_t cap;                /* bytes allocated for file.data once copied (hk_big_realloc), 0 before */
    uint32_t pages_cap;        /* entries allocated in bin_of_page / bin_walked */
    size_t grow_hint;          /* image_expect_growth: bytes to make room for at once */
    struct free_cells *free;   /* free cells by size class */
};

/* Takes ownership of file (freed by image_free even on failure). Checks the
 * base block and every hive bin header: each failure is BADDB (or
 * NOT_REGISTRY_FILE without the signature) with the offset in the thread's detail.
 * The cells of every bin are walked (their tiling checked and their starts
 * mapped) in one pass; a bin whose tiling is broken does not fail the open
 * but every cell of it asked for later (BADDB, naming the break). */
hk_status image_open(struct hive_image *img, struct file_buf *file);

/* As image_open; with salvage, a base block whose checksum is bad or whose
 * bins size is impossible is not trusted for the size (the bins are found in
 * the file), hive bins past the end of the file are cut off, and a broken bin
 * header is skipped up to the next intact bin (4 KiB aligned, its signature,
 * own offset and size checked): the run becomes a gap whose cells are never
 * mapped. img->salvage_note says what was cut or skipped. */
hk_status image_open_salvage(struct hive_image *img, struct file_buf *file, bool salvage);

enum { BIN_GAP_MARK = 2 }; /* bin_walked at the first page of a gap */

/* Whether bin starts a gap a salvage open skipped. */
static inline bool image_is_gap(const struct hive_image *img, uint32_t bin)
{
    return img->bin_walked[bin / HBIN_ALIGN] == BIN_GAP_MARK;
}

/* The size of the bin at offset bin (a bin start found at open), or of the
 * gap starting there (gaps are in offset order: a binary search). */
static inline uint32_t image_bin_size(const struct hive_image *img, uint32_t bin)
{
    if (image_is_gap(img, bin)) {
        uint32_t lo = 0, hi = img->gap_count;
        while (lo + 1 < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (img->gaps[mid].off <= bin)
                lo = mid;
            else
                hi = mid;
        }
        return img->gaps[lo].size;
    }
    return le32_unchecked(img->file.data + HBIN_START + bin + HBIN_SIZE);
}

/* Walks the cells of the bin at offset bin (a bin start found at open). */
hk_status image_walk_bin(struct hive_image *img, uint32_t bin);

/* Records that the cells of the bin at offset bin are mapped. */
void image_mark_walked(struct hive_image *img, uint32_t bin);

/* Walks every bin not walked yet: the whole tiling check at once. BADDB
 * when a salvage open skipped bins (the image is not whole). */
hk_status image_walk_all(struct hive_image *img);
void image_free(struct hive_image *img);

/* A format violation in img at bin-relative offset off: HK_CORRUPT into
 * the thread's detail, BADDB as an expression. */
#define IMAGE_CORRUPT(img, off, ...) ((void)(img), HK_CORRUPT(DIAG_DETAIL, (off), __VA_ARGS__))

/* Checksum of a base block: XOR of its first 127 dwords, 0 -> 1 and
 * 0xFFFFFFFF -> 0xFFFFFFFE. base must hold 512 bytes. */
uint32_t baseblock_checksum(const uint8_t *base);

/* Every bin's cells are mapped: cell_get need not look at bin_walked. */
static inline bool image_all_walked(const struct hive_image *img)
{
    return img->walked_count == img->bin_count;
}

static inline bool cell_mapped(const struct hive_image *img, uint32_t off)
{
    return (img->cellmap[off >> 9] >> ((off >> 3) & 63u) & 1u) != 0;
}

/* Whether a cell starts at off (walking its bin first if needed). */
bool cell_is_start(struct hive_image *img, uint32_t off);

/* The body (after the 4-byte size) of the allocated cell at off. BADDB if off
 * is not the start of a cell (outside the bins, misaligned, inside another
 * cell), the cell is free, or the tiling of its bin is broken. */
hk_status cell_get_failed(struct hive_image *img, uint32_t off);

static HK_HOT_INLINE hk_status cell_get(struct hive_image *img, uint32_t off, struct span *body)
{
    body->ptr = NULL;
    body->len = 0;
    if (off >= img->bins_size || (off & 7u) != 0)
        return cell_get_failed(img, off);
    if (!image_all_walked(img)) {
        uint32_t bin = img->bin_of_page[off >> 12];
        if (!img->bin_walked[bin >> 12]) {
            hk_status st = image_walk_bin(img, bin);
            if (st != HK_ERROR_SUCCESS)
                return st;
        }
    }
    if (!cell_mapped(img, off))
        return cell_get_failed(img, off);
    const uint8_t *p = img->file.data + HBIN_START + off;
    int32_t raw = (int32_t)le32_unchecked(p);
    if (raw >= 0)
        return cell_get_failed(img, off);
    body->ptr = p + 4;
    body->len = (size_t)((uint32_t)0 - (uint32_t)raw) - 4;
    return HK_ERROR_SUCCESS;
}

/* Asks the cache for the start of the cell at off, about to be read; an
 * offset outside the bins asks nothing. Changes no result. */
static inline void cell_prefetch(const struct hive_image *img, uint32_t off)
{
    if (off < img->bins_size)
        HK_PREFETCH(img->file.data + HBIN_START + off);
}

hk_status cell_sig_failed(struct hive_image *img, uint32_t off, const char *sig);

/* Whether the 2-byte record signature sig (NK_SIG, ...) is at p. */
static inline bool sig_at(const uint8_t *p, const char *sig)
{
    return p[0] == (uint8_t)sig[0] && p[1] == (uint8_t)sig[1];
}

/* Whether the cell body b starts with the record signature sig. */
static inline bool cell_has_sig(struct span b, const char *sig)
{
    return b.len >= 2 && sig_at(b.ptr, sig);
}

/* cell_get plus a check of the record's 2-byte signature. */
static HK_HOT_INLINE hk_status cell_get_sig(struct hive_image *img, uint32_t off, const char *sig,
                                     struct span *body)
{
    hk_status st = cell_get(img, off, body);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (!cell_has_sig(*body, sig))
        return cell_sig_failed(img, off, sig);
    return HK_ERROR_SUCCESS;
}

#endif
