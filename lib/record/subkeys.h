/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Subkey lists: li, lf, lh leaves and ri index roots (record layer). */
#ifndef HK_RECORD_SUBKEYS_H
#define HK_RECORD_SUBKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hive/image.h"
#include "record/nk.h"

/* A checked view of one key's subkey list with a cursor on one leaf, so that
 * enumeration in order costs O(1) per entry even under an ri. */
struct subkeys {
    uint32_t total;         /* entries over all leaves (= the key's count) */
    bool is_ri;
    const uint8_t *ri;      /* ri entries (leaf offsets), when is_ri */
    uint32_t ri_count;
    uint32_t leaf_idx;      /* cursor: which leaf of the ri */
    uint32_t leaf_base;     /* cursor: global index of its first entry */
    uint32_t leaf_count;
    uint32_t leaf_stride;   /* 4 (li) or 8 (lf, lh) */
    const uint8_t *leaf;    /* first entry of the cursor's leaf */
};

/* Checks the list of nk (signatures, counts against cells, no ri below an
 * ri, entries summing to the key's subkey count). */
hk_status subkeys_open(struct hive_image *img, const struct nk *nk, struct subkeys *out);

/* Moves the cursor of an ri list to the leaf holding index (< total). */
hk_status subkeys_seek(struct hive_image *img, struct subkeys *sk, uint32_t index);

/* The key node offset of entry index; NO_MORE_ITEMS past the end. */
static HK_HOT_INLINE hk_status subkeys_at(struct hive_image *img, struct subkeys *sk,
                                          uint32_t index, uint32_t *nk_off)
{
    if (index >= sk->total)
        return HK_ERROR_NO_MORE_ITEMS;
    if (sk->is_ri && (index < sk->leaf_base || index - sk->leaf_base >= sk->leaf_count)) {
        hk_status st = subkeys_seek(img, sk, index);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    *nk_off = le32_unchecked(sk->leaf + (size_t)(index - sk->leaf_base) * sk->leaf_stride);
    return HK_ERROR_SUCCESS;
}

/* Asks the cache for the key node of entry index when the cursor's leaf
 * holds it (no leaf is loaded for this). Changes no result. */
static inline void subkeys_prefetch(const struct hive_image *img, const struct subkeys *sk,
                                    uint32_t index)
{
    if (index >= sk->leaf_base && index - sk->leaf_base < sk->leaf_count)
        cell_prefetch(img, le32_unchecked(sk->leaf + (size_t)(index - sk->leaf_base) * sk->leaf_stride));
}

/* Binary search for the upcased name, as Windows searches: a list out of
 * order can hide a key. *nk_off = CELL_NIL when absent. */
hk_status subkeys_find(struct hive_image *img, struct subkeys *sk, const uint16_t *up, size_t up_len,
                       uint32_t *nk_off);

#endif
