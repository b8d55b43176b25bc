/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A key's subkey list as an enumeration reads it (tree layer). */
#include "tree/enumlist.h"

hk_status enum_list_open(struct hive_image *img, const struct nk *key, struct enum_list *e)
{
    if (e->ready)
        return HK_ERROR_SUCCESS;
    hk_status st = subkeys_open(img, key, &e->sub);
    if (st != HK_ERROR_SUCCESS)
        return st;
    e->ready = true;
    e->list = key->subkeys;
    e->ordered = 0;
    return HK_ERROR_SUCCESS;
}

hk_status enum_list_name(struct hive_image *img, struct enum_list *e, uint32_t i,
                         struct name_ref *out)
{
    if (e->last_valid && e->last_index == i) {
        *out = e->last_name;
        return HK_ERROR_SUCCESS;
    }
    uint32_t off;
    struct nk p;
    hk_status st = subkeys_at(img, &e->sub, i, &off);
    if (st == HK_ERROR_SUCCESS)
        st = nk_read(img, off, &p);
    if (st == HK_ERROR_SUCCESS)
        *out = p.name;
    return st;
}

hk_status enum_list_check(struct hive_image *img, const struct nk *key, uint32_t i,
                          const struct name_ref *prev, const struct name_ref *name)
{
    if (name_cmp(prev, name) < 0)
        return HK_ERROR_SUCCESS;
    return IMAGE_CORRUPT(img, key->subkeys, "subkey list of key 0x%x is out of order at entry %u",
                         key->off, i);
}

/* Checks entry i (> 0) against entry i - 1 named prev: *bad is i when they
 * are out of order. */
static hk_status check_at(struct hive_image *img, const struct nk *key, uint32_t i,
                          const struct name_ref *prev, const struct name_ref *name, uint32_t *bad)
{
    hk_status st = enum_list_check(img, key, i, prev, name);
    if (st != HK_ERROR_SUCCESS && bad)
        *bad = i;
    return st;
}

hk_status enum_list_order_to(struct hive_image *img, const struct nk *key, struct enum_list *e,
                             uint32_t index, uint32_t *bad)
{
    if (bad)
        *bad = UINT32_MAX;
    if (e->ordered >= index)
        return HK_ERROR_SUCCESS;
    struct name_ref prev, cur;
    uint32_t j = e->ordered;
    hk_status st = enum_list_name(img, e, j ? j - 1 : 0, &prev);
    for (; st == HK_ERROR_SUCCESS && j < index; j++) {
        st = enum_list_name(img, e, j, &cur);
        if (st == HK_ERROR_SUCCESS && j > 0)
            st = check_at(img, key, j, &prev, &cur, bad);
        prev = cur;
        if (st == HK_ERROR_SUCCESS)
            e->ordered = j + 1;
    }
    return st;
}

hk_status enum_list_read(struct hive_image *img, const struct nk *key, struct enum_list *e,
                         uint32_t index, const struct name_ref *name, uint32_t *bad)
{
    if (bad)
        *bad = UINT32_MAX;
    if (e->ordered == index) {
        if (index > 0) {
            struct name_ref prev;
            hk_status st = enum_list_name(img, e, index - 1, &prev);
            if (st == HK_ERROR_SUCCESS)
                st = check_at(img, key, index, &prev, name, bad);
            if (st != HK_ERROR_SUCCESS)
                return st;
        }
        e->ordered = index + 1;
    }
    e->last_valid = true;
    e->last_index = index;
    e->last_name = *name;
    return HK_ERROR_SUCCESS;
}
