/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cell allocator of a writable hive image (hive layer): free cells by
 * size class, reused (best fit, split) before the bins grow by a new hbin;
 * freed cells coalesce with free neighbours in the same bin. */
#ifndef HK_HIVE_CELLALLOC_H
#define HK_HIVE_CELLALLOC_H

#include <stdint.h>

#include "hive/image.h"

/* Makes the image editable: an owned heap copy of the base block and the
 * bins (bytes past the bins are dropped), every bin walked (the whole tiling
 * checked) and the free cells indexed. Idempotent. BADDB for a broken
 * tiling, NOT_ENOUGH_MEMORY. */
hk_status image_make_writable(struct hive_image *img);

/* A hint that the bins are about to grow by about bytes (an import that has
 * parsed its whole file): the next copy or growth of the image makes room
 * for that much at once instead of step by step. 0 drops the hint. */
void image_expect_growth(struct hive_image *img, size_t bytes);

/* Allocates a cell whose body holds len bytes (the cell is round8(len + 4)
 * bytes), zero-filled. Reuses the smallest free cell that fits, splitting
 * off a remainder of 8 bytes or more; else appends a hive bin of
 * round4096(cell + 32) bytes whose rest is one free cell. May move the
 * image: every pointer into it is stale afterwards (offsets stay valid). */
hk_status cell_alloc(struct hive_image *img, uint32_t len, uint32_t *off);

/* Frees the allocated cell at off: its size turns positive (its bytes stay,
 * as Windows leaves them) and it merges with a free cell just before or
 * after it in the same bin. */
void cell_free(struct hive_image *img, uint32_t off);

/* The writable body of an allocated cell (after its 4-byte size) and the
 * body's capacity in bytes. Only for offsets the editor allocated or checked. */
static inline uint8_t *cell_body_unchecked(struct hive_image *img, uint32_t off)
{
    return img->file.data + HBIN_START + off + 4;
}

static inline uint32_t cell_capacity_unchecked(const struct hive_image *img, uint32_t off)
{
    int32_t raw = (int32_t)le32_unchecked(img->file.data + HBIN_START + off);
    uint32_t size = raw < 0 ? (uint32_t)0 - (uint32_t)raw : (uint32_t)raw;
    return size - 4;
}

/* Number of free cells and their total bytes (tests, statistics). */
void free_cells_stats(const struct hive_image *img, uint32_t *count, uint64_t *bytes);

/* Releases the free-cell index (image_free calls it). */
void free_cells_destroy(struct hive_image *img);

#endif
