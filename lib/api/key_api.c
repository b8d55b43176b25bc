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

static bool open_enumerated(hk_key *key, const char *sub_key, uint32_t access, hk_key **out);

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
    if (open_enumerated(key, sub_key, access, out))
        return HK_ERROR_SUCCESS;
    struct nk nk = key->nk;
    uint32_t depth = key->depth;
    hk_status st = tree_open_path(&key->hive->img, &nk, &depth, sub_key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    return key_new(key->hive, &nk, depth, access, out);
}

static hk_status ensure_subkeys(hk_key *key)
{
    if (key->sub_ready)
        return HK_ERROR_SUCCESS;
    hk_status st = subkeys_open(&key->hive->img, &key->nk, &key->sub);
    if (st != HK_ERROR_SUCCESS)
        return st;
    key->sub_ready = true;
    key->ordered = 0;
    /* Enumerations read the entries in turn: start the first loads now
     * (entry_at keeps WALK_AHEAD entries ahead). */
    for (uint32_t i = 0; i < WALK_AHEAD; i++)
        subkeys_prefetch(&key->hive->img, &key->sub, i);
    return HK_ERROR_SUCCESS;
}

/* The name of entry i of key's list. */
static hk_status entry_name(hk_key *key, uint32_t i, struct name_ref *out)
{
    if (key->prev_valid && key->prev_index == i) {
        *out = key->prev_name;
        return HK_ERROR_SUCCESS;
    }
    uint32_t off;
    struct nk p;
    hk_status st = subkeys_at(&key->hive->img, &key->sub, i, &off);
    if (st == HK_ERROR_SUCCESS)
        st = nk_read(&key->hive->img, off, &p);
    if (st == HK_ERROR_SUCCESS)
        *out = p.name;
    return st;
}

/* Checks that entry i (> 0) sorts after entry i - 1 (prev: its name) and
 * notes the list's first bad entry in the hive: every later index of it
 * fails, on every handle. */
static hk_status order_check(hk_key *key, uint32_t i, const struct name_ref *prev,
                             const struct name_ref *name)
{
    if (name_cmp(prev, name) < 0)
        return HK_ERROR_SUCCESS;
    hk_hive *h = key->hive;
    h->disordered = true;
    h->disordered_list = key->nk.subkeys;
    h->disordered_at = i;
    h->disordered_gen = h->gen;
    return IMAGE_CORRUPT(&h->img, key->nk.subkeys,
                         "subkey list of key 0x%x is out of order at entry %u", key->nk.off, i);
}

/* Checks that the entries of key's list before index are in order (those
 * not checked yet). */
static hk_status order_to(hk_key *key, uint32_t index)
{
    if (key->ordered >= index)
        return HK_ERROR_SUCCESS;
    struct name_ref prev, cur;
    uint32_t j = key->ordered;
    hk_status st = entry_name(key, j ? j - 1 : 0, &prev);
    for (; st == HK_ERROR_SUCCESS && j < index; j++) {
        st = entry_name(key, j, &cur);
        if (st == HK_ERROR_SUCCESS && j > 0)
            st = order_check(key, j, &prev, &cur);
        prev = cur;
        if (st == HK_ERROR_SUCCESS)
            key->ordered = j + 1;
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
    if (h->disordered && key->nk.subkeys == h->disordered_list && h->disordered_gen == h->gen &&
        index >= h->disordered_at)
        return IMAGE_CORRUPT(img, key->nk.subkeys,
                             "subkey list of key 0x%x is out of order at entry %u",
                             key->nk.off, h->disordered_at);
    st = order_to(key, index);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t off;
    st = subkeys_at(img, &key->sub, index, &off);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = tree_child(img, &key->nk, off, child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    subkeys_prefetch(img, &key->sub, index + WALK_AHEAD);
    if (key->ordered == index) {
        if (index > 0) {
            struct name_ref prev;
            st = entry_name(key, index - 1, &prev);
            if (st == HK_ERROR_SUCCESS)
                st = order_check(key, index, &prev, &child->name);
            if (st != HK_ERROR_SUCCESS)
                return st;
        }
        key->ordered = index + 1;
    }
    key->prev_valid = true;
    key->prev_index = index;
    key->prev_name = child->name;
    return HK_ERROR_SUCCESS;
}

/* Whether s is the name of the entry key enumerated last, byte for byte:
 * ASCII with no separator, so that it is that one name as a path. */
static bool is_enumerated_name(const hk_key *key, const char *s)
{
    if (!s || !key->prev_valid) /* prev_name is set only with prev_valid */
        return false;
    uint32_t units = name_units(key->prev_name);
    if (units == 0)
        return false;
    uint32_t i = 0;
    for (; i < units; i++) {
        uint16_t u = name_unit(key->prev_name, i);
        if (u == 0 || u >= 0x80 || u == '\\' || (unsigned char)s[i] != u)
            return false;
    }
    return s[i] == '\0';
}

/* OpenKey(key, EnumKey(key, i)), a walk's step, without the search by
 * name: when sub_key is the entry enumerated last and the whole list is in
 * order (strictly ascending in Windows' order, so no other entry has that
 * name in any case), that entry is the key the search would find. True
 * with *out opened; false leaves the open to the search (nothing changed
 * but the order checks done, which the enumeration would do). */
static bool open_enumerated(hk_key *key, const char *sub_key, uint32_t access, hk_key **out)
{
    if (!key->sub_ready || !is_enumerated_name(key, sub_key) || key->depth >= HK_MAX_DEPTH)
        return false;
    hk_hive *h = key->hive;
    if (h->disordered && key->nk.subkeys == h->disordered_list && h->disordered_gen == h->gen)
        return false;
    uint32_t off;
    struct nk child;
    hk_status st = order_to(key, key->sub.total);
    if (st == HK_ERROR_SUCCESS)
        st = subkeys_at(&h->img, &key->sub, key->prev_index, &off);
    if (st == HK_ERROR_SUCCESS)
        st = tree_child(&h->img, &key->nk, off, &child);
    if (st != HK_ERROR_SUCCESS) {
        diag_clear(DIAG_DETAIL); /* the search says what it finds */
        return false;
    }
    return key_new(h, &child, key->depth + 1, access, out) == HK_ERROR_SUCCESS;
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
