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

hk_status enum_list_name_read(struct hive_image *img, struct enum_list *e, uint32_t i,
                              struct name_ref *out)
{
    uint32_t off;
    struct nk p;
    hk_status st = subkeys_at(img, &e->sub, i, &off);
    if (st == HK_ERROR_SUCCESS)
        st = nk_read(img, off, &p);
    if (st == HK_ERROR_SUCCESS)
        *out = p.name;
    return st;
}

hk_status enum_list_disorder(struct hive_image *img, const struct nk *key, uint32_t i)
{
    return IMAGE_CORRUPT(img, key->subkeys, "subkey list of key 0x%x is out of order at entry %u",
                         key->off, i);
}

hk_status enum_list_order_more(struct hive_image *img, const struct nk *key, struct enum_list *e,
                               uint32_t index, uint32_t *bad)
{
    uint32_t unused;
    if (!bad)
        bad = &unused;
    *bad = UINT32_MAX;
    struct name_ref prev, cur;
    uint32_t j = e->ordered;
    hk_status st = enum_list_name(img, e, j ? j - 1 : 0, &prev);
    for (; st == HK_ERROR_SUCCESS && j < index; j++) {
        st = enum_list_name(img, e, j, &cur);
        if (st == HK_ERROR_SUCCESS && j > 0) {
            st = enum_list_check(img, key, j, &prev, &cur);
            if (st != HK_ERROR_SUCCESS)
                *bad = j;
        }
        prev = cur;
        if (st == HK_ERROR_SUCCESS)
            e->ordered = j + 1;
    }
    return st;
}
