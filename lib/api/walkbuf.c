/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growing-buffer wrappers of the winreg read calls (api layer): each asks,
 * grows to the size the call reports, and asks again. */
#include "api/walkbuf.h"

/* Grows b to hold at least need bytes (its len stays). */
static hk_status room(struct textbuf *b, size_t need)
{
    if (b->cap >= need)
        return HK_ERROR_SUCCESS;
    return textbuf_reserve(b, need - b->len) ? HK_ERROR_SUCCESS : HK_ERROR_NOT_ENOUGH_MEMORY;
}

hk_status walk_key_name(hk_key *key, struct textbuf *b)
{
    b->len = 0;
    hk_status st = room(b, 256);
    while (st == HK_ERROR_SUCCESS) {
        size_t size = b->cap;
        st = hk_key_name(key, (char *)b->p, &size);
        if (st == HK_ERROR_SUCCESS) {
            b->len = size;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        st = room(b, size);
    }
    return st;
}

hk_status walk_value(hk_key *key, uint32_t index, struct textbuf *name, uint32_t *type,
                     struct textbuf *data)
{
    name->len = data->len = 0;
    hk_status st = room(name, 256);
    if (st == HK_ERROR_SUCCESS)
        st = room(data, 4096);
    while (st == HK_ERROR_SUCCESS) {
        size_t nsize = name->cap, dsize = data->cap;
        st = hk_enum_value(key, index, (char *)name->p, &nsize, type, data->p, &dsize);
        if (st == HK_ERROR_SUCCESS) {
            name->len = nsize;
            data->len = dsize;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        st = room(name, nsize);
        if (st == HK_ERROR_SUCCESS)
            st = room(data, dsize);
    }
    return st;
}

hk_status walk_query(hk_key *key, const char *name, uint32_t *type, struct textbuf *data)
{
    data->len = 0;
    hk_status st = room(data, 4096);
    while (st == HK_ERROR_SUCCESS) {
        size_t dsize = data->cap;
        st = hk_query_value_ex(key, name, type, data->p, &dsize);
        if (st == HK_ERROR_SUCCESS) {
            data->len = dsize;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        st = room(data, dsize);
    }
    return st;
}

hk_status walk_info(hk_key *key, struct textbuf *cls, hk_key_info *info)
{
    cls->len = 0;
    hk_status st = room(cls, 64);
    while (st == HK_ERROR_SUCCESS) {
        size_t size = cls->cap;
        st = hk_query_info_key(key, (char *)cls->p, &size, info);
        if (st == HK_ERROR_SUCCESS) {
            cls->len = size;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        st = room(cls, size);
    }
    return st;
}
