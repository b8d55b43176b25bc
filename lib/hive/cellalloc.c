/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cell allocator of a writable image (hive layer).
 *
 * Free cells are indexed outside the image (a free cell keeps its bytes:
 * Windows stores no links in them either) in size classes: one class per
 * 8-byte size up to 1024, then one per power of two. A request takes the
 * smallest fitting cell (lowest offset among equals), so the same edits on
 * the same image give the same bytes. */
#include "hive/cellalloc.h"

#include <string.h>

#include "base/alloc.h"
#include "hive/binwalk.h"

enum { EXACT_CLASSES = 128, CLASSES = EXACT_CLASSES + 22 };

struct size_class {
    uint32_t *offs;
    uint32_t n, cap;
};

enum { MASK_WORDS = (CLASSES + 63) / 64 };

struct free_cells {
    struct size_class c[CLASSES];
    uint64_t nonempty[MASK_WORDS]; /* bit k: class k holds a cell */
};

static void mark_class(struct free_cells *f, unsigned k, bool on)
{
    uint64_t bit = (uint64_t)1 << (k & 63u);
    if (on)
        f->nonempty[k >> 6] |= bit;
    else
        f->nonempty[k >> 6] &= ~bit;
}

/* The first class at or above k that holds a cell, CLASSES if none. */
static unsigned next_class(const struct free_cells *f, unsigned k)
{
    while (k < CLASSES) {
        uint64_t w = f->nonempty[k >> 6] >> (k & 63u);
        if (w)
            return k + (unsigned)__builtin_ctzll(w);
        k = (k | 63u) + 1u;
    }
    return CLASSES;
}

static unsigned class_of(uint32_t size)
{
    if (size <= 8u * EXACT_CLASSES)
        return size / 8u - 1u;
    unsigned log = 0;
    for (uint32_t v = size - 1; v > 1; v >>= 1)
        log++;
    unsigned c = EXACT_CLASSES + (log - 10u);
    return c < CLASSES ? c : CLASSES - 1;
}

static uint32_t raw_size(const struct hive_image *img, uint32_t off)
{
    return le32_unchecked(img->file.data + HBIN_START + off);
}

static void set_raw_size(struct hive_image *img, uint32_t off, uint32_t raw)
{
    put_le32(img->file.data + HBIN_START + off, raw);
}

static void map_set(struct hive_image *img, uint32_t off, bool on)
{
    uint64_t bit = (uint64_t)1 << ((off >> 3) & 63u);
    if (on)
        img->cellmap[off >> 9] |= bit;
    else
        img->cellmap[off >> 9] &= ~bit;
}

static hk_status index_add(struct hive_image *img, uint32_t off, uint32_t size)
{
    unsigned k = class_of(size);
    struct size_class *c = &img->free->c[k];
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 16;
        uint32_t *p = hk_realloc(c->offs, (size_t)cap * sizeof *p);
        if (!p)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        c->offs = p;
        c->cap = cap;
    }
    c->offs[c->n++] = off;
    mark_class(img->free, k, true);
    return HK_ERROR_SUCCESS;
}

static void index_remove(struct hive_image *img, uint32_t off, uint32_t size)
{
    unsigned k = class_of(size);
    struct size_class *c = &img->free->c[k];
    /* From the end: the cell just taken or just indexed is usually there. */
    for (uint32_t i = c->n; i-- > 0;) {
        if (c->offs[i] == off) {
            c->offs[i] = c->offs[--c->n];
            if (c->n == 0)
                mark_class(img->free, k, false);
            return;
        }
    }
}

static hk_status index_bin(struct hive_image *img, uint32_t bin)
{
    /* Free cells up to the end of the bin, or up to a break in its tiling. */
    struct cell_iter it;
    struct cell_at c;
    cell_iter_init(&it, img->file.data + HBIN_START, bin, image_bin_size(img, bin));
    while (cell_iter_next(&it, &c) == CELL_STEP_OK)
        if (!c.alloc && index_add(img, c.off, c.size) != HK_ERROR_SUCCESS)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
    return HK_ERROR_SUCCESS;
}

static hk_status take_copy(struct hive_image *img)
{
    size_t len = (size_t)HBIN_START + img->bins_size;
    size_t cap = img->grow_hint < SIZE_MAX - len ? len + img->grow_hint : len;
    /* A file read into a buffer of its own at open is that copy already:
     * resized, its pages kept. */
    uint8_t *own = img->file.mapped == FILE_BIG ? img->file.data : NULL;
    size_t own_cap = own ? img->file.size : 0;
    uint8_t *p = hk_big_realloc(own, own_cap, cap);
    if (!p && img->grow_hint) /* the hint asked too much: what is needed */
        p = hk_big_realloc(own, own_cap, cap = len);
    img->grow_hint = 0;
    if (!p)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    if (!own) {
        memcpy(p, img->file.data, len);
        file_buf_free(&img->file);
    } else if (img->file.size > len) {
        /* Past the bins, as in a new buffer: zero (new bins go there). */
        size_t end = img->file.size < hk_big_cap(cap) ? img->file.size : hk_big_cap(cap);
        memset(p + len, 0, end - len);
    }
    img->file.data = p;
    img->file.size = len;
    img->file.mapped = FILE_HEAP; /* freed through img->cap */
    img->cap = hk_big_cap(cap); /* image_free knows the copy by it */
    img->pages_cap = img->bins_size / HBIN_ALIGN;
    return HK_ERROR_SUCCESS;
}

hk_status image_make_writable(struct hive_image *img)
{
    if (img->writable)
        return HK_ERROR_SUCCESS;
    hk_status st = image_walk_all(img);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (!img->free) {
        img->free = hk_alloc_zero(1, sizeof *img->free);
        if (!img->free)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    st = take_copy(img);
    if (st != HK_ERROR_SUCCESS)
        return st;
    for (uint32_t off = 0; off < img->bins_size; off += image_bin_size(img, off)) {
        st = index_bin(img, off);
        if (st != HK_ERROR_SUCCESS) {
            free_cells_destroy(img);
            return st;
        }
    }
    img->writable = true;
    return HK_ERROR_SUCCESS;
}

enum { FIT_SCAN = 64 };

/* The most image_expect_growth reserves ahead (address space, not memory). */
#define GROW_HINT_MAX ((size_t)256 << 20)

/* A free cell of at least need bytes, CELL_NIL if none. In need's own class:
 * the last indexed when sizes are exact, else the smallest that fits among
 * the last FIT_SCAN indexed; above it, the last indexed of the first class
 * that has any (every cell there fits). Bounded work, and deterministic. */
static uint32_t best_fit(const struct hive_image *img, uint32_t need)
{
    const struct free_cells *f = img->free;
    unsigned first = class_of(need);
    if (first >= EXACT_CLASSES) {
        const struct size_class *c = &f->c[first];
        uint32_t best = CELL_NIL, best_size = 0;
        for (uint32_t i = c->n > FIT_SCAN ? c->n - FIT_SCAN : 0; i < c->n; i++) {
            uint32_t size = raw_size(img, c->offs[i]);
            if (size < need)
                continue;
            if (best == CELL_NIL || size < best_size || (size == best_size && c->offs[i] < best)) {
                best = c->offs[i];
                best_size = size;
            }
        }
        if (best != CELL_NIL)
            return best;
        first++;
    }
    /* Every cell of an exact class at or above need's fits: the last indexed
     * of the first class holding any (the bit mask finds it in O(1)). */
    unsigned k = next_class(f, first);
    return k < CLASSES ? f->c[k].offs[f->c[k].n - 1] : CELL_NIL;
}

void image_expect_growth(struct hive_image *img, size_t bytes)
{
    img->grow_hint = bytes < GROW_HINT_MAX ? bytes : GROW_HINT_MAX;
}

static hk_status reserve_bytes(struct hive_image *img, size_t len)
{
    if (len <= img->cap)
        return HK_ERROR_SUCCESS;
    size_t cap = img->cap + img->cap / 2;
    if (cap < len)
        cap = len;
    if (cap - len < img->grow_hint && img->grow_hint < SIZE_MAX - len)
        cap = len + img->grow_hint;
    uint8_t *p = hk_big_realloc(img->file.data, img->cap, cap);
    if (!p && img->grow_hint) /* the hint asked too much: what is needed */
        p = hk_big_realloc(img->file.data, img->cap, cap = len);
    img->grow_hint = 0;
    if (!p)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    img->file.data = p;
    img->cap = hk_big_cap(cap);
    return HK_ERROR_SUCCESS;
}

static hk_status reserve_pages(struct hive_image *img, uint32_t pages)
{
    if (pages <= img->pages_cap)
        return HK_ERROR_SUCCESS;
    uint32_t cap = img->pages_cap + img->pages_cap / 2;
    if (cap < pages)
        cap = pages;
    uint32_t *bop = hk_realloc(img->bin_of_page, (size_t)cap * sizeof *bop);
    if (!bop)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    img->bin_of_page = bop;
    uint8_t *walked = hk_realloc(img->bin_walked, cap);
    if (!walked)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    img->bin_walked = walked;
    size_t words = (size_t)cap * 8 + 1; /* 8 words of 64 bits map a page */
    uint64_t *map = hk_realloc(img->cellmap, words * sizeof *map);
    if (!map)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    size_t used = (size_t)img->bins_size / 512 + 1;
    memset(map + used, 0, (words - used) * sizeof *map);
    img->cellmap = map;
    img->pages_cap = cap;
    return HK_ERROR_SUCCESS;
}

/* Appends a bin holding at least need bytes of cells: one free cell. */
static hk_status grow(struct hive_image *img, uint32_t need, uint32_t *free_off)
{
    uint64_t size64 =
        ((uint64_t)need + HBIN_HEADER_SIZE + HBIN_ALIGN - 1) / HBIN_ALIGN * HBIN_ALIGN;
    if ((uint64_t)img->bins_size + size64 + HBIN_START > HK_MAX_HIVE_SIZE ||
        img->bins_size + size64 > 0x7FFFFFFFu)
        return diag_set(DIAG_DETAIL, HK_ERROR_NOT_ENOUGH_MEMORY,
                        "the hive cannot grow past %u bytes of bins", img->bins_size);
    uint32_t size = (uint32_t)size64;
    uint32_t bin = img->bins_size;
    hk_status st = reserve_bytes(img, (size_t)HBIN_START + bin + size);
    if (st == HK_ERROR_SUCCESS)
        st = reserve_pages(img, (bin + size) / HBIN_ALIGN);
    if (st != HK_ERROR_SUCCESS)
        return diag_set(DIAG_DETAIL, st, "no memory to grow the hive by %u bytes", size);
    uint8_t *p = img->file.data + HBIN_START + bin;
    memset(p, 0, size);
    memcpy(p, HBIN_SIG, FILE_SIG_LEN);
    put_le32(p + HBIN_SELF, bin);
    put_le32(p + HBIN_SIZE, size);
    put_le32(p + HBIN_HEADER_SIZE, size - HBIN_HEADER_SIZE);
    for (uint32_t page = bin / HBIN_ALIGN; page < (bin + size) / HBIN_ALIGN; page++) {
        img->bin_of_page[page] = bin;
        img->bin_walked[page] = 0;
    }
    img->bins_size = bin + size;
    img->bb.bins_size = img->bins_size;
    img->file.size = (size_t)HBIN_START + img->bins_size;
    img->bin_count++;
    image_mark_walked(img, bin); /* its one free cell is mapped below */
    map_set(img, bin + HBIN_HEADER_SIZE, true);
    st = index_add(img, bin + HBIN_HEADER_SIZE, size - HBIN_HEADER_SIZE);
    if (st != HK_ERROR_SUCCESS)
        return diag_set(DIAG_DETAIL, st, "no memory for the free-cell index");
    *free_off = bin + HBIN_HEADER_SIZE;
    return HK_ERROR_SUCCESS;
}

hk_status cell_alloc(struct hive_image *img, uint32_t len, uint32_t *off)
{
    if (len > 0x7FFFFFF0u - 4)
        return diag_set(DIAG_DETAIL, HK_ERROR_NOT_ENOUGH_MEMORY, "cell of %u bytes is too large",
                        len);
    uint32_t need = (len + 4 + 7) & ~7u;
    uint32_t cell = best_fit(img, need);
    if (cell == CELL_NIL) {
        hk_status st = grow(img, need, &cell);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    uint32_t size = raw_size(img, cell);
    index_remove(img, cell, size);
    if (size - need >= 8) {
        uint32_t rest = cell + need;
        set_raw_size(img, rest, size - need);
        map_set(img, rest, true);
        if (index_add(img, rest, size - need) != HK_ERROR_SUCCESS) {
            /* Undo the split: the cell stays free and whole. */
            map_set(img, rest, false);
            set_raw_size(img, cell, size);
            index_add(img, cell, size); /* its slot was just freed: cannot fail */
            return diag_set(DIAG_DETAIL, HK_ERROR_NOT_ENOUGH_MEMORY,
                            "no memory for the free-cell index");
        }
        size = need;
    }
    set_raw_size(img, cell, (uint32_t)0 - size);
    memset(img->file.data + HBIN_START + cell + 4, 0, size - 4);
    *off = cell;
    return HK_ERROR_SUCCESS;
}

/* The start of the cell just before off in its bin, CELL_NIL at the bin's
 * first cell (the cell map holds every start). */
static uint32_t prev_cell(const struct hive_image *img, uint32_t off, uint32_t bin)
{
    uint32_t first = bin + HBIN_HEADER_SIZE;
    for (uint32_t p = off; p > first;) {
        p -= 8;
        if (cell_mapped(img, p))
            return p;
    }
    return CELL_NIL;
}

void cell_free(struct hive_image *img, uint32_t off)
{
    uint32_t size = (uint32_t)0 - raw_size(img, off);
    uint32_t bin = img->bin_of_page[off / HBIN_ALIGN];
    uint32_t bin_end = bin + le32_unchecked(img->file.data + HBIN_START + bin + HBIN_SIZE);
    uint32_t next = off + size;
    if (next < bin_end && (int32_t)raw_size(img, next) > 0) {
        uint32_t nsize = raw_size(img, next);
        index_remove(img, next, nsize);
        map_set(img, next, false);
        size += nsize;
    }
    uint32_t prev = prev_cell(img, off, bin);
    if (prev != CELL_NIL && (int32_t)raw_size(img, prev) > 0) {
        uint32_t psize = raw_size(img, prev);
        index_remove(img, prev, psize);
        map_set(img, off, false);
        off = prev;
        size += psize;
    }
    set_raw_size(img, off, size);
    /* The index only grows on a new size class entry; a failure here leaves
     * a free cell unindexed (never reused), which is still a valid hive. */
    (void)index_add(img, off, size);
}

void free_cells_stats(const struct hive_image *img, uint32_t *count, uint64_t *bytes)
{
    *count = 0;
    *bytes = 0;
    if (!img->free)
        return;
    for (unsigned k = 0; k < CLASSES; k++) {
        const struct size_class *c = &img->free->c[k];
        *count += c->n;
        for (uint32_t i = 0; i < c->n; i++)
            *bytes += raw_size(img, c->offs[i]);
    }
}

void free_cells_destroy(struct hive_image *img)
{
    if (!img->free)
        return;
    for (unsigned k = 0; k < CLASSES; k++)
        hk_dealloc(img->free->c[k].offs);
    hk_dealloc(img->free);
    img->free = NULL;
}
