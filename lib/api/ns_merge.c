/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* HKCR's merged keys (api layer): a key of the user's classes over the
 * machine's key of the same path. Values are the winning key's (the
 * user's when it has the key); subkeys are the union of both lists, once
 * each, in the lists' order. */
#include <string.h>

#include "api/handle.h"
#include "base/nocase.h"

enum { NAME_MAX_UTF8 = 4 * HK_MAX_KEY_NAME + 1 };

/* Name number i of key, or *have false past the end. */
static hk_status name_of(hk_key *key, uint32_t i, char *buf, size_t *len, bool *have)
{
    *len = NAME_MAX_UTF8;
    hk_status st = key_enum_plain(key, i, buf, len, NULL);
    *have = st == HK_ERROR_SUCCESS;
    return st == HK_ERROR_NO_MORE_ITEMS ? HK_ERROR_SUCCESS : st;
}

/* Moves the cursor to union entry index: *side 0 (the key's own entry
 * ia) or 1 (the partner's entry ib). NO_MORE_ITEMS past the end. */
static hk_status seek(hk_key *key, uint32_t index, int *side)
{
    struct key_ns *ns = key->ns;
    if (!ns->cur_valid || index < ns->cur_index) {
        ns->cur_valid = true;
        ns->cur_index = ns->ia = ns->ib = 0;
    }
    char a[NAME_MAX_UTF8], b[NAME_MAX_UTF8];
    for (;;) {
        size_t al, bl;
        bool ha, hb;
        hk_status st = name_of(key, ns->ia, a, &al, &ha);
        if (st == HK_ERROR_SUCCESS)
            st = name_of(ns->other, ns->ib, b, &bl, &hb);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (!ha && !hb)
            return HK_ERROR_NO_MORE_ITEMS;
        int c = ha && hb ? utf8_cmp_nocase(a, al, b, bl) : ha ? -1 : 1;
        if (ns->cur_index == index) {
            *side = c <= 0 ? 0 : 1;
            return HK_ERROR_SUCCESS;
        }
        if (c <= 0)
            ns->ia++;
        if (c >= 0)
            ns->ib++;
        ns->cur_index++;
    }
}

hk_status ns_enum_merged(hk_key *key, uint32_t index, char *name, size_t *name_size,
                         uint64_t *last_write)
{
    if (key->ns->kind != NS_CLASSES || !key->ns->other)
        return HK_ERROR_CALL_NOT_IMPLEMENTED;
    int side;
    hk_status st = seek(key, index, &side);
    if (st != HK_ERROR_SUCCESS)
        return st;
    return side == 0 ? key_enum_plain(key, key->ns->ia, name, name_size, last_write)
                     : key_enum_plain(key->ns->other, key->ns->ib, name, name_size, last_write);
}

hk_status ns_info_merged(hk_key *key, hk_key_info *info)
{
    hk_key *other = key->ns->other;
    if (key->ns->kind != NS_CLASSES || !other)
        return HK_ERROR_SUCCESS;
    hk_status st = key_sync(other);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (other->nk.max_name / 2u > info->max_subkey_name_len)
        info->max_subkey_name_len = other->nk.max_name / 2u;
    uint32_t n = 0;
    for (int side; (st = seek(key, n, &side)) == HK_ERROR_SUCCESS; n++)
        if (n == UINT32_MAX)
            break;
    if (st != HK_ERROR_NO_MORE_ITEMS && st != HK_ERROR_SUCCESS)
        return st;
    info->subkeys = n;
    return HK_ERROR_SUCCESS;
}
