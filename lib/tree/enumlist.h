/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A key's subkey list as an enumeration reads it (tree layer): the checked
 * list, how far it is known to be in order, and the entry read last, which
 * a lookup by name below the same key takes as a hint (tree/lookup.h). */
#ifndef HK_TREE_ENUMLIST_H
#define HK_TREE_ENUMLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/hint.h"
#include "hive/image.h"
#include "record/name.h"
#include "record/nk.h"
#include "record/subkeys.h"

/* Valid for the image as it was when it was filled: its owner resets it
 * (enum_list_reset) when it is made and after any edit of the hive. */
struct enum_list {
    bool ready;             /* sub holds the checked list of the key */
    uint32_t list;          /* the list cell sub was read from (the key's nk.subkeys) */
    struct subkeys sub;
    uint32_t ordered;       /* the first entries of sub known strictly ascending */
    bool last_valid;        /* last_index and last_name: the entry read last */
    uint32_t last_index;
    struct name_ref last_name;
};

static inline void enum_list_reset(struct enum_list *e)
{
    e->ready = false;
    e->last_valid = false;
}

/* Reads key's list into e unless it is there already. */
hk_status enum_list_open(struct hive_image *img, const struct nk *key, struct enum_list *e);

/* The name of entry i of the list (ready); the one read last from e. */
hk_status enum_list_name_read(struct hive_image *img, struct enum_list *e, uint32_t i,
                              struct name_ref *out);
static HK_HOT_INLINE hk_status enum_list_name(struct hive_image *img, struct enum_list *e,
                                              uint32_t i, struct name_ref *out)
{
    if (e->last_valid && e->last_index == i) {
        *out = e->last_name;
        return HK_ERROR_SUCCESS;
    }
    return enum_list_name_read(img, e, i, out);
}

/* BADDB "subkey list of key ... is out of order at entry i". */
hk_status enum_list_disorder(struct hive_image *img, const struct nk *key, uint32_t i);

/* Checks that entry i (> 0) named name sorts strictly after entry i - 1
 * named prev (key: the list's key, for the detail). */
static HK_HOT_INLINE hk_status enum_list_check(struct hive_image *img, const struct nk *key,
                                               uint32_t i, const struct name_ref *prev,
                                               const struct name_ref *name)
{
    if (name_cmp(prev, name) < 0)
        return HK_ERROR_SUCCESS;
    return enum_list_disorder(img, key, i);
}

/* Checks the entries before index not checked yet (e ready). On failure
 * *bad (bad may be NULL) is the entry out of order, or UINT32_MAX when the
 * failure is another (an entry that cannot be read); on success *bad is
 * left as it was. */
hk_status enum_list_order_more(struct hive_image *img, const struct nk *key, struct enum_list *e,
                               uint32_t index, uint32_t *bad);
static HK_HOT_INLINE hk_status enum_list_order_to(struct hive_image *img, const struct nk *key,
                                                  struct enum_list *e, uint32_t index,
                                                  uint32_t *bad)
{
    if (e->ordered >= index)
        return HK_ERROR_SUCCESS;
    return enum_list_order_more(img, key, e, index, bad);
}

/* Records entry index, named name, as the one read last, and it as in
 * order when it is the next one to check (its predecessor compared; on
 * failure *bad, which must be given, is index, or UINT32_MAX when the
 * predecessor cannot be read). */
static HK_HOT_INLINE hk_status enum_list_read(struct hive_image *img, const struct nk *key,
                                              struct enum_list *e, uint32_t index,
                                              const struct name_ref *name, uint32_t *bad)
{
    if (e->ordered == index) {
        if (index > 0) {
            struct name_ref prev;
            hk_status st = enum_list_name(img, e, index - 1, &prev);
            if (st != HK_ERROR_SUCCESS) {
                *bad = UINT32_MAX;
                return st;
            }
            st = enum_list_check(img, key, index, &prev, name);
            if (st != HK_ERROR_SUCCESS) {
                *bad = index;
                return st;
            }
        }
        e->ordered = index + 1;
    }
    e->last_valid = true;
    e->last_index = index;
    e->last_name = *name;
    return HK_ERROR_SUCCESS;
}

#endif
