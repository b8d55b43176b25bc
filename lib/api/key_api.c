/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* winreg's key functions: OpenKey, EnumKey, QueryInfoKey (api layer). */
#include <string.h>

#include "api/abi.h"
#include "api/handle.h"
#include "base/utf16.h"
#include "record/sk.h"
#include "tree/lookup.h"

hk_status put_utf16(const uint8_t *le, size_t units, char *buf, size_t *size)
{
    if (units > UINT32_MAX / 2)
        return HK_ERROR_INVALID_PARAMETER; /* only a caller's buffer can be this long */
    struct name_ref n = {le, (uint32_t)(units * 2), false};
    return put_name(&n, buf, size);
}

HK_API hk_status hk_open_key(hk_key *key, const char *sub_key, uint32_t reserved, uint32_t access,
                             hk_key **out)
{
    api_enter();
    if (!key || !out)
        return HK_ERROR_INVALID_HANDLE;
    hk_status sync = key_sync(key);
    if (sync != HK_ERROR_SUCCESS)
        return sync;
    if ((reserved & ~HK_REG_OPTION_OPEN_LINK) || !access_known(access))
        return HK_ERROR_INVALID_PARAMETER;
    if (key->access & KEY_ACCESS_NS)
        return ns_open_key(key, sub_key, reserved, access, out);
    struct nk nk;
    uint32_t depth = key->depth;
    hk_status st = tree_open_path(&key->hive->img, &key->nk, &depth, sub_key, key_hint(key), &nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    return key_new(key->hive, &nk, depth, access, out);
}

static hk_status ensure_subkeys(hk_key *key)
{
    if (key->list.ready)
        return HK_ERROR_SUCCESS;
    hk_status st = enum_list_open(&key->hive->img, &key->nk, &key->list);
    if (st != HK_ERROR_SUCCESS)
        return st;
    /* Enumerations read the entries in turn: start the first loads now
     * (entry_at keeps WALK_AHEAD entries ahead). */
    for (uint32_t i = 0; i < WALK_AHEAD; i++)
        subkeys_prefetch(&key->hive->img, &key->list.sub, i);
    return HK_ERROR_SUCCESS;
}

/* Notes in the hive that key's list is out of order at entry bad (when it
 * is an entry: UINT32_MAX is another failure): every later index of it
 * fails, on every handle. Returns st. */
static hk_status note_disorder(hk_key *key, hk_status st, uint32_t bad)
{
    if (bad != UINT32_MAX) {
        hk_hive *h = key->hive;
        h->disordered = true;
        h->disordered_list = key->nk.subkeys;
        h->disordered_at = bad;
        h->disordered_gen = h->gen;
    }
    return st;
}

/* Entry index of key's list (read and checked once per handle), checked to
 * sort after every entry before it:
 * Windows binary-searches these lists, so one out of order hides keys.
 * Entries before index not checked yet (the caller skipped ahead) are
 * checked first, so that whether an index fails does not depend on the
 * order of the calls: every index from the first bad entry on fails, every
 * one before it succeeds. */
static HK_HOT_INLINE hk_status entry_at(hk_key *key, uint32_t index, struct nk *child)
{
    hk_status st = ensure_subkeys(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_hive *h = key->hive;
    struct hive_image *img = &h->img;
    if (key_list_disordered(key) && index >= h->disordered_at)
        return IMAGE_CORRUPT(img, key->nk.subkeys,
                             "subkey list of key 0x%x is out of order at entry %u",
                             key->nk.off, h->disordered_at);
    uint32_t bad = UINT32_MAX;
    st = enum_list_order_to(img, &key->nk, &key->list, index, &bad);
    if (st != HK_ERROR_SUCCESS)
        return note_disorder(key, st, bad);
    uint32_t off;
    st = subkeys_at(img, &key->list.sub, index, &off);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = tree_child(img, &key->nk, off, child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    subkeys_prefetch(img, &key->list.sub, index + WALK_AHEAD);
    st = enum_list_read(img, &key->nk, &key->list, index, &child->name, &bad);
    return st == HK_ERROR_SUCCESS ? st : note_disorder(key, st, bad);
}

/* The name of subkey index of key, in its own list. */
static HK_HOT_INLINE hk_status enum_at(hk_key *key, uint32_t index, char *name, size_t *name_size,
                                       uint64_t *last_write)
{
    struct nk child;
    hk_status st = entry_at(key, index, &child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = put_name(&child.name, name, name_size);
    if (st == HK_ERROR_SUCCESS && last_write)
        *last_write = child.last_write;
    return st;
}

HK_API hk_status hk_enum_key_ex(hk_key *key, uint32_t index, char *name, size_t *name_size,
                                uint64_t *last_write)
{
    hk_status sync = api_enter_key(key);
    if (sync != HK_ERROR_SUCCESS)
        return sync;
    if (!name_size)
        return HK_ERROR_INVALID_PARAMETER;
    if ((key->access & (HK_KEY_ENUMERATE_SUB_KEYS | KEY_ACCESS_NS)) != HK_KEY_ENUMERATE_SUB_KEYS) {
        if (!(key->access & HK_KEY_ENUMERATE_SUB_KEYS))
            return HK_ERROR_ACCESS_DENIED;
        hk_status m = ns_enum_merged(key, index, name, name_size, last_write);
        if (m != HK_ERROR_CALL_NOT_IMPLEMENTED)
            return m;
    }
    return enum_at(key, index, name, name_size, last_write);
}

hk_status key_enum_plain(hk_key *key, uint32_t index, char *name, size_t *name_size,
                         uint64_t *last_write)
{
    hk_status sync = key_sync(key);
    if (sync != HK_ERROR_SUCCESS)
        return sync;
    return enum_at(key, index, name, name_size, last_write);
}

HK_API hk_status hk_open_subkey_at(hk_key *key, uint32_t index, uint32_t access, hk_key **out)
{
    api_enter();
    if (!key || !out)
        return HK_ERROR_INVALID_HANDLE;
    hk_status sync = key_sync(key);
    if (sync != HK_ERROR_SUCCESS)
        return sync;
    if (!access_known(access))
        return HK_ERROR_INVALID_PARAMETER;
    if ((key->access & (HK_KEY_ENUMERATE_SUB_KEYS | KEY_ACCESS_NS)) != HK_KEY_ENUMERATE_SUB_KEYS) {
        if (!(key->access & HK_KEY_ENUMERATE_SUB_KEYS))
            return HK_ERROR_ACCESS_DENIED;
        return ns_open_subkey_at(key, index, access, out);
    }
    struct nk child;
    hk_status st = entry_at(key, index, &child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (key->depth >= HK_MAX_DEPTH)
        return IMAGE_CORRUPT(&key->hive->img, child.off, "key nesting deeper than %u levels",
                             HK_MAX_DEPTH);
    return key_new(key->hive, &child, key->depth + 1, access, out);
}

hk_status key_step_down(hk_key *parent, const char *path, hk_key **out)
{
    hk_status st = hk_open_key(parent, path, 0, HK_KEY_READ, out);
    hk_close_key(parent);
    return st;
}

HK_API hk_status hk_enum_key(hk_key *key, uint32_t index, char *name, size_t *name_size)
{
    api_enter();
    return hk_enum_key_ex(key, index, name, name_size, NULL);
}

static HK_HOT_INLINE hk_status descriptor(hk_key *key, struct span *out)
{
    out->ptr = NULL;
    out->len = 0;
    if (key->nk.sk == CELL_NIL)
        return HK_ERROR_SUCCESS;
    hk_hive *h = key->hive;
    if (h->sk_cached && h->sk_off == key->nk.sk && h->sk_gen == h->gen) {
        *out = h->sk_descriptor;
        return HK_ERROR_SUCCESS;
    }
    struct sk sk;
    hk_status st = sk_read(&h->img, key->nk.sk, &sk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    *out = sk.descriptor;
    h->sk_cached = true;
    h->sk_off = key->nk.sk;
    h->sk_gen = h->gen;
    h->sk_descriptor = sk.descriptor;
    return HK_ERROR_SUCCESS;
}

/* The UTF-8 bytes units UTF-16 units can take: at most 3 each (a surrogate
 * pair: 4 for 2), saturating. */
static uint32_t utf8_bound(uint32_t units)
{
    return units > UINT32_MAX / 3u ? UINT32_MAX : units * 3u;
}

HK_API hk_status hk_query_info_key(hk_key *key, char *class_buf, size_t *class_size,
                                   hk_key_info *info)
{
    hk_status sync = api_enter_key(key);
    if (sync != HK_ERROR_SUCCESS)
        return sync;
    if ((class_buf && !class_size)
        || (info && abi_out_check(info, KEY_INFO_V1) != HK_ERROR_SUCCESS))
        return HK_ERROR_INVALID_PARAMETER;
    if (!(key->access & HK_KEY_QUERY_VALUE))
        return HK_ERROR_ACCESS_DENIED;
    struct hive_image *img = &key->hive->img;
    struct span sd;
    hk_status st = descriptor(key, &sd);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (class_size) {
        struct span cls;
        st = nk_class(img, &key->nk, &cls);
        if (st != HK_ERROR_SUCCESS)
            return st;
        st = put_utf16(cls.ptr, cls.len / 2, class_buf, class_size);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    if (info) {
        const struct nk *nk = &key->nk;
        hk_key_info own;
        memset(&own, 0, sizeof own);
        own.subkeys = nk->subkey_count;
        own.max_subkey_name_len = nk->max_name / 2u;
        own.max_class_len = nk->max_class / 2;
        own.values = nk->value_count;
        own.max_value_name_len = nk->max_value_name / 2;
        own.max_value_data_len = nk->max_value_data;
        own.security_descriptor_size = (uint32_t)sd.len;
        own.last_write = nk->last_write;
        own.max_subkey_name_size = utf8_bound(own.max_subkey_name_len);
        own.max_class_size = utf8_bound(own.max_class_len);
        own.max_value_name_size = utf8_bound(own.max_value_name_len);
        if (key->access & KEY_ACCESS_NS) {
            hk_status m = ns_info_merged(key, &own);
            if (m != HK_ERROR_SUCCESS)
                return m;
            own.max_subkey_name_size = utf8_bound(own.max_subkey_name_len);
        }
        abi_out(info, &own, sizeof own);
    }
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_key_name(hk_key *key, char *name, size_t *name_size)
{
    hk_status sync = api_enter_key(key);
    if (sync != HK_ERROR_SUCCESS)
        return sync;
    if ((key->access & KEY_ACCESS_NS) && key->ns->name) {
        /* the name it was opened by (a mount's, a link's): UTF-8 already */
        if (!name_size)
            return HK_ERROR_INVALID_PARAMETER;
        size_t n = strlen(key->ns->name);
        if (!name || *name_size < n + 1) {
            *name_size = n + 1;
            return name ? HK_ERROR_MORE_DATA : HK_ERROR_SUCCESS;
        }
        memcpy(name, key->ns->name, n + 1);
        *name_size = n;
        return HK_ERROR_SUCCESS;
    }
    return put_name(&key->nk.name, name, name_size);
}

HK_API hk_status hk_get_key_security(hk_key *key, void *buf, size_t *size)
{
    hk_status sync = api_enter_key(key);
    if (sync != HK_ERROR_SUCCESS)
        return sync;
    if (!size)
        return HK_ERROR_INVALID_PARAMETER;
    if (!(key->access & HK_READ_CONTROL))
        return HK_ERROR_ACCESS_DENIED;
    struct span sd;
    hk_status st = descriptor(key, &sd);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (!buf || *size < sd.len) {
        *size = sd.len;
        return buf ? HK_ERROR_INSUFFICIENT_BUFFER : HK_ERROR_SUCCESS;
    }
    if (sd.len)
        memcpy(buf, sd.ptr, sd.len);
    *size = sd.len;
    return HK_ERROR_SUCCESS;
}
