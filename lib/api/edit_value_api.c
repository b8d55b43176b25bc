/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* winreg's value edits: SetValue, SetValueEx, DeleteValue; and
 * RegSetKeySecurity (api layer). */
#include <string.h>

#include "api/edit.h"
#include "base/alloc.h"
#include "record/sk.h"
#include "tree/edit_key.h"
#include "tree/edit_value.h"
#include "tree/security.h"

HK_API hk_status hk_set_value_ex(hk_key *key, const char *name, uint32_t reserved, uint32_t type,
                                 const void *data, size_t size)
{
    api_enter();
    (void)reserved; /* winreg ignores it */
    return key_set_value(key, name, type, data, size, NULL);
}

hk_status key_set_value(hk_key *key, const char *name, uint32_t type, const void *data, size_t size,
                        struct value_lookup *lookup)
{
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (!data && size)
        return HK_ERROR_INVALID_PARAMETER;
    hk_hive *h = key->hive;
    hk_status st = key_edit_begin(key, HK_KEY_SET_VALUE);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (size > value_max_size(h->img.bb.minor))
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER,
                        "value data of %zu bytes is over the %u a version 1.%u hive holds", size,
                        value_max_size(h->img.bb.minor), h->img.bb.minor);
    struct edit_name nm;
    st = edit_name_init(&nm, name, name ? strlen(name) : 0);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (nm.n > HK_MAX_VALUE_NAME)
        st = diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER,
                      "value name of %zu characters (at most %u)", nm.n, HK_MAX_VALUE_NAME);
    if (st == HK_ERROR_SUCCESS && lookup) {
        uint32_t vk_off;
        if (lookup->find(lookup->ctx, key, nm.up, nm.n, &vk_off)) {
            uint32_t written;
            st = value_set_at(&h->img, key->nk.off, vk_off, nm.units, nm.n, type, data,
                              (uint32_t)size, hive_now(h), &written);
            if (st == HK_ERROR_SUCCESS && vk_off == CELL_NIL)
                lookup->added(lookup->ctx, nm.up, nm.n, written);
            hive_edit_end(h);
            edit_name_free(&nm);
            return st;
        }
    }
    if (st == HK_ERROR_SUCCESS) {
        st = value_set(&h->img, key->nk.off, nm.units, nm.up, nm.n, type, data, (uint32_t)size,
                       hive_now(h));
        hive_edit_end(h);
    }
    edit_name_free(&nm);
    return st;
}

HK_API hk_status hk_set_value(hk_key *key, const char *sub_key, uint32_t type, const char *value)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (type != HK_REG_SZ || !value)
        return HK_ERROR_INVALID_PARAMETER;
    struct edit_name v;
    hk_status st = edit_name_init(&v, value, strlen(value));
    if (st != HK_ERROR_SUCCESS)
        return st;
    size_t bytes = 2 * (v.n + 1);
    uint8_t *data = hk_alloc(bytes);
    if (!data) {
        edit_name_free(&v);
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    for (size_t i = 0; i <= v.n; i++)
        put_le16(data + 2 * i, i < v.n ? v.units[i] : 0);
    edit_name_free(&v);
    hk_key *target = key;
    if (sub_key && *sub_key)
        st = hk_create_key_ex(key, sub_key, 0, NULL, 0, HK_KEY_SET_VALUE, &target, NULL);
    if (st == HK_ERROR_SUCCESS)
        st = hk_set_value_ex(target, NULL, 0, HK_REG_SZ, data, bytes);
    if (target != key)
        hk_close_key(target);
    hk_dealloc(data);
    return st;
}

HK_API hk_status hk_delete_value(hk_key *key, const char *name)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    hk_hive *h = key->hive;
    hk_status st = key_edit_begin(key, HK_KEY_SET_VALUE);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct edit_name nm;
    st = edit_name_init(&nm, name, name ? strlen(name) : 0);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t index, vk_off;
    st = value_find(&h->img, key->nk.off, nm.up, nm.n, &index, &vk_off);
    if (st == HK_ERROR_SUCCESS) {
        st = value_delete_at(&h->img, key->nk.off, index, hive_now(h));
        hive_edit_end(h);
    }
    edit_name_free(&nm);
    return st;
}

/* A descriptor with no parts, for a key that has none. */
static const uint8_t empty_sd[20] = {1, 0, 0x00, 0x80};

HK_API hk_status hk_set_key_security(hk_key *key, uint32_t security_info, const void *descriptor,
                                     size_t size)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    uint32_t all = HK_OWNER_SECURITY_INFORMATION | HK_GROUP_SECURITY_INFORMATION |
                   HK_DACL_SECURITY_INFORMATION | HK_SACL_SECURITY_INFORMATION;
    if (security_info == 0 || (security_info & ~all) || !security_descriptor_valid(descriptor, size))
        return HK_ERROR_INVALID_PARAMETER;
    hk_status st = key_sync(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t need = 0;
    if (security_info & (HK_OWNER_SECURITY_INFORMATION | HK_GROUP_SECURITY_INFORMATION))
        need |= HK_WRITE_OWNER;
    if (security_info & (HK_DACL_SECURITY_INFORMATION | HK_SACL_SECURITY_INFORMATION))
        need |= HK_WRITE_DAC;
    if ((key->access & need) != need)
        return HK_ERROR_ACCESS_DENIED;
    hk_hive *h = key->hive;
    st = hive_edit_begin(h);
    if (st != HK_ERROR_SUCCESS)
        return st;
    const uint8_t *old = empty_sd;
    uint32_t old_len = sizeof empty_sd;
    if (key->nk.sk != CELL_NIL) {
        struct sk sk;
        st = sk_read(&h->img, key->nk.sk, &sk);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (security_descriptor_valid(sk.descriptor.ptr, sk.descriptor.len)) {
            old = sk.descriptor.ptr;
            old_len = (uint32_t)sk.descriptor.len;
        }
    }
    uint8_t *merged = hk_alloc(old_len + size);
    if (!merged)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    uint32_t len = security_merge(old, old_len, descriptor, (uint32_t)size, security_info, merged);
    st = key_set_security(&h->img, key->nk.off, merged, len);
    hive_edit_end(h);
    hk_dealloc(merged);
    return st;
}
