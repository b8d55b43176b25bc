/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* winreg's value functions: EnumValue, QueryValueEx, QueryValue (api layer). */
#include <string.h>

#include "api/handle.h"
#include "base/alloc.h"
#include "base/upname.h"
#include "record/vk.h"
#include "tree/lookup.h"

/* Copies located data under the buffer rules: data NULL asks for the size. */
static hk_status put_data(const struct hive_image *img, const struct vk_data *d, void *data,
                          size_t *data_size)
{
    if (!data_size)
        return data ? HK_ERROR_INVALID_PARAMETER : HK_ERROR_SUCCESS;
    if (data && *data_size < d->len) {
        *data_size = d->len;
        return HK_ERROR_MORE_DATA;
    }
    if (data)
        vk_data_copy(img, d, data, d->len);
    *data_size = d->len;
    return HK_ERROR_SUCCESS;
}

/* Reads and checks the key's value list once. */
static hk_status key_values(hk_key *key)
{
    if (key->values || key->nk.value_count == 0)
        return HK_ERROR_SUCCESS;
    hk_status st = vk_list(&key->hive->img, &key->nk, &key->values);
    if (st != HK_ERROR_SUCCESS)
        return st;
    /* Enumerations read the values in turn: start the first loads now
     * (value_at keeps WALK_AHEAD values ahead). */
    for (uint32_t i = 0; i < WALK_AHEAD && i < key->nk.value_count; i++)
        cell_prefetch(&key->hive->img, le32_unchecked(key->values + 4 * (size_t)i));
    return HK_ERROR_SUCCESS;
}

static hk_status value_at(hk_key *key, uint32_t index, struct vk *vk)
{
    if (index >= key->nk.value_count)
        return HK_ERROR_NO_MORE_ITEMS;
    hk_status st = key_values(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct hive_image *img = &key->hive->img;
    if (WALK_AHEAD < key->nk.value_count - index)
        cell_prefetch(img, le32_unchecked(key->values + 4 * ((size_t)index + WALK_AHEAD)));
    return vk_read(img, le32_unchecked(key->values + 4 * (size_t)index), vk);
}

/* Finds a value by name (NULL or "" for the default value) in stored order. */
static hk_status find_value(hk_key *key, const char *name, struct vk *out)
{
    struct hive_image *img = &key->hive->img;
    hk_status st = key_values(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct upname u;
    st = upname_init(&u, name ? name : "", name ? strlen(name) : 0);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = HK_ERROR_FILE_NOT_FOUND;
    for (uint32_t i = 0; i < key->nk.value_count; i++) {
        struct vk vk;
        hk_status rd = vk_read(img, le32_unchecked(key->values + 4 * (size_t)i), &vk);
        if (rd != HK_ERROR_SUCCESS) {
            st = rd;
            break;
        }
        if (name_units(vk.name) == u.len && name_cmp_upcased(&vk.name, u.units, u.len) == 0) {
            *out = vk;
            st = HK_ERROR_SUCCESS;
            break;
        }
    }
    upname_free(&u);
    return st;
}

/* The start of every value read: the handle, the caller's arguments
 * (args_ok), the right to query, then value number index (name NULL) or
 * the value named name, and where its data is. */
static hk_status value_read(hk_key *key, bool args_ok, uint32_t index, const char *name,
                            struct vk *vk, struct vk_data *d)
{
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    hk_status st = key_sync(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (!args_ok)
        return HK_ERROR_INVALID_PARAMETER;
    if (!(key->access & HK_KEY_QUERY_VALUE))
        return HK_ERROR_ACCESS_DENIED;
    st = name ? find_value(key, name, vk) : value_at(key, index, vk);
    if (st == HK_ERROR_SUCCESS)
        st = vk_data_locate(&key->hive->img, vk, key->hive->img.bb.minor, d);
    return st;
}

HK_API hk_status hk_enum_value(hk_key *key, uint32_t index, char *name, size_t *name_size,
                               uint32_t *type, void *data, size_t *data_size)
{
    api_enter();
    struct vk vk;
    struct vk_data d;
    hk_status st = value_read(key, name_size && (!data || data_size), index, NULL, &vk, &d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct hive_image *img = &key->hive->img;
    bool name_short = name && *name_size <= name_utf8_max(&vk.name) &&
                      *name_size < name_utf8_len(&vk.name) + 1;
    if (name_short) {
        /* RegEnumValue: nothing copied, the type and the data's size set.
         * (Windows leaves the name count as it was; it says the need here,
         * as every short buffer of this library does.) */
        *name_size = name_utf8_len(&vk.name) + 1;
        if (data_size)
            *data_size = d.len;
        if (type)
            *type = vk.type;
        return HK_ERROR_MORE_DATA;
    }
    st = put_name(&vk.name, name, name_size);
    if (st != HK_ERROR_SUCCESS)
        return st;
    /* The name fits: it is copied even when the data does not (RegEnumValue
     * on NT), and the type is set either way. */
    st = put_data(img, &d, data, data_size);
    if (type)
        *type = vk.type;
    return st;
}

HK_API hk_status hk_query_value_ex(hk_key *key, const char *name, uint32_t *type, void *data,
                                   size_t *data_size)
{
    api_enter();
    struct vk vk;
    struct vk_data d;
    hk_status st = value_read(key, !data || data_size, 0, name ? name : "", &vk, &d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = put_data(&key->hive->img, &d, data, data_size);
    if ((st == HK_ERROR_SUCCESS || st == HK_ERROR_MORE_DATA) && type)
        *type = vk.type; /* RegQueryValueEx sets it with MORE_DATA too */
    return st;
}

HK_API hk_status hk_query_value(hk_key *key, const char *sub_key, char *out, size_t *out_size)
{
    hk_status sync = api_enter_key(key);
    if (sync != HK_ERROR_SUCCESS)
        return sync;
    if (!out_size)
        return HK_ERROR_INVALID_PARAMETER;
    hk_key *target = key;
    hk_status st = HK_ERROR_SUCCESS;
    if (sub_key && *sub_key) {
        st = hk_open_key(key, sub_key, 0, HK_KEY_QUERY_VALUE, &target);
        if (st != HK_ERROR_SUCCESS)
            return st;
    } else if (!(key->access & HK_KEY_QUERY_VALUE)) {
        return HK_ERROR_ACCESS_DENIED;
    }
    struct hive_image *img = &target->hive->img;
    struct vk vk;
    st = find_value(target, NULL, &vk);
    if (st == HK_ERROR_FILE_NOT_FOUND) {
        /* An unset default value reads as "" (winreg's QueryValue). */
        st = hk_decode_string(NULL, 0, out, out_size);
    } else if (st == HK_ERROR_SUCCESS && vk.type != HK_REG_SZ) {
        st = HK_ERROR_INVALID_DATA;
    } else if (st == HK_ERROR_SUCCESS) {
        struct vk_data d;
        st = vk_data_locate(img, &vk, img->bb.minor, &d);
        uint8_t *bytes = NULL;
        if (st == HK_ERROR_SUCCESS) {
            bytes = hk_alloc(d.len);
            if (!bytes)
                st = HK_ERROR_NOT_ENOUGH_MEMORY;
        }
        if (st == HK_ERROR_SUCCESS) {
            vk_data_copy(img, &d, bytes, d.len);
            st = hk_decode_string(bytes, d.len, out, out_size);
        }
        hk_dealloc(bytes);
    }
    if (target != key)
        hk_close_key(target);
    return st;
}
