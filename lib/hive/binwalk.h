/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Walking the hive bins of a buffer and the cells inside a bin (hive
 * layer): the one place the tiling rules are checked. A bin header has
 * "hbin", its own offset and a size that is a positive multiple of 4096
 * inside the bins; a cell's size is a multiple of 8, at least 8, and stays
 * inside its bin. The walks read raw bytes (an image's bins, or the bins a
 * log replay rebuilt) and hand the first fault to the caller, which words
 * it, stops or skips on. Each step moves on by at least 8 bytes (cells) or
 * 4096 (bins), so every walk ends. */
#ifndef HK_HIVE_BINWALK_H
#define HK_HIVE_BINWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/hint.h"
#include "base/span.h"
#include "hive/format.h"

/* ---- bins ------------------------------------------------------------------ */

enum bin_fault {
    BIN_OK = 0,
    BIN_END,      /* the walk is past the last bin: no fault */
    BIN_NO_SIG,   /* no "hbin", or no room for a header */
    BIN_BAD_SELF, /* the header records another offset */
    BIN_BAD_SIZE, /* the size is not a positive multiple of 4096 */
    BIN_PAST_END, /* the bin runs past the bins */
};

struct bin_header {
    uint32_t self, size; /* as stored (set once the signature is found) */
};

/* Checks the header of the bin at off (< bins_size) of bins, a buffer of
 * bins_size bytes of hive bins. */
static inline enum bin_fault bin_check(const uint8_t *bins, uint32_t bins_size, uint32_t off,
                                       struct bin_header *h)
{
    const uint8_t *p = bins + off;
    if (bins_size - off < HBIN_HEADER_SIZE || memcmp(p, HBIN_SIG, FILE_SIG_LEN) != 0)
        return BIN_NO_SIG;
    h->self = le32_unchecked(p + HBIN_SELF);
    h->size = le32_unchecked(p + HBIN_SIZE);
    if (h->self != off)
        return BIN_BAD_SELF;
    if (h->size < HBIN_ALIGN || h->size % HBIN_ALIGN != 0)
        return BIN_BAD_SIZE;
    if (h->size > bins_size - off)
        return BIN_PAST_END;
    return BIN_OK;
}

/* Says what fault (not BIN_OK or BIN_END) bin_check found, with h and
 * bins_size as it had them, in why. */
void bin_fault_text(enum bin_fault fault, const struct bin_header *h, uint32_t bins_size,
                    char *why, size_t why_size);

/* The bins of a buffer in offset order. Its fields may be set between
 * steps (a caller that skips damage moves off on, or cuts bins_size). */
struct bin_iter {
    const uint8_t *bins;
    uint32_t bins_size;
    uint32_t off; /* the next bin; after a fault, the broken one */
};

static inline void bin_iter_init(struct bin_iter *it, const uint8_t *bins, uint32_t bins_size)
{
    it->bins = bins;
    it->bins_size = bins_size;
    it->off = 0;
}

/* The next bin: BIN_OK with its offset in *bin and its header in *h, then
 * the walk is past it; BIN_END after the last; else the fault of the bin
 * at it->off (where the walk stays). */
static inline enum bin_fault bin_iter_next(struct bin_iter *it, uint32_t *bin,
                                           struct bin_header *h)
{
    if (it->off >= it->bins_size)
        return BIN_END;
    enum bin_fault f = bin_check(it->bins, it->bins_size, it->off, h);
    if (f == BIN_OK) {
        *bin = it->off;
        it->off += h->size;
    }
    return f;
}

/* ---- cells ----------------------------------------------------------------- */

enum cell_step { CELL_STEP_OK = 0, CELL_STEP_END, CELL_STEP_BAD };

/* The cells of one bin whose header was checked. */
struct cell_iter {
    const uint8_t *bins; /* the first bin's bytes */
    uint32_t off;        /* the next cell; after CELL_STEP_BAD, the broken one */
    uint32_t end;        /* the bin's end */
};

struct cell_at {
    uint32_t off;  /* relative to the first bin */
    uint32_t size; /* bytes, the 4-byte size included */
    bool alloc;    /* the stored size is negative */
};

/* Starts at the first cell of the bin at offset bin of bin_size bytes. */
static inline void cell_iter_init(struct cell_iter *it, const uint8_t *bins, uint32_t bin,
                                  uint32_t bin_size)
{
    it->bins = bins;
    it->off = bin + HBIN_HEADER_SIZE;
    it->end = bin + bin_size;
}

/* The next cell of the bin in *c: CELL_STEP_END after the last one,
 * CELL_STEP_BAD when the size at it->off breaks the tiling (the walk stays
 * there). Inline, and one test for every size rule: the image maps every
 * cell of a hive at open through this. */
static HK_HOT_INLINE enum cell_step cell_iter_next(struct cell_iter *it, struct cell_at *c)
{
    uint32_t off = it->off;
    if (off >= it->end)
        return CELL_STEP_END;
    /* Allocated cells (negative sizes) are the rule: the next cell is one
     * subtraction away from the size read. */
    uint32_t raw = le32_unchecked(it->bins + off);
    uint32_t next = HK_LIKELY(raw & 0x80000000u) ? off - raw : off + raw;
    uint32_t len = next - off;
    /* off and end - off are multiples of 8 here, so this is "len is a
     * multiple of 8, at least 8, and fits the rest of the bin". */
    if ((len & (CELL_ALIGN - 1)) != 0 || len - 1 >= it->end - off)
        return CELL_STEP_BAD;
    c->off = off;
    c->size = len;
    c->alloc = (raw & 0x80000000u) != 0;
    it->off = next;
    return CELL_STEP_OK;
}

/* Says why the cell at it->off broke the tiling (after CELL_STEP_BAD). */
void cell_fault_text(const struct cell_iter *it, char *why, size_t why_size);

#endif
