/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value records, value lists and value data on a writable image (tree
 * layer). Offsets only across allocations: they may move the image. */
#include "tree/edit_value.h"

#include <string.h>

#include "base/alloc.h"
#include "hive/cellalloc.h"
#include "record/encode.h"
#include "record/nk.h"
#include "record/vk.h"

enum { MAX_SEGMENTS = 0xFFFF, STANDARD_FORMAT_MAX = 1024 * 1024 };

uint32_t value_max_size(uint32_t minor)
{
    return minor >= 4 ? (uint32_t)MAX_SEGMENTS * BIGDATA_SEGMENT : STANDARD_FORMAT_MAX;
}

hk_status value_find(struct hive_image *img, uint32_t key, const uint16_t *up, size_t n,
                     uint32_t *index, uint32_t *vk_off)
{
    struct nk nk;
    hk_status st = nk_read(img, key, &nk);
    const uint8_t *list = NULL;
    if (st == HK_ERROR_SUCCESS)
        st = vk_list(img, &nk, &list);
    if (st != HK_ERROR_SUCCESS)
        return st;
    for (uint32_t i = 0; i < nk.value_count; i++) {
        struct vk vk;
        uint32_t off = le32_unchecked(list + 4 * (size_t)i);
        st = vk_read(img, off, &vk);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (name_units(vk.name) == n && name_cmp_upcased(&vk.name, up, n) == 0) {
            *index = i;
            *vk_off = off;
            return HK_ERROR_SUCCESS;
        }
    }
    return HK_ERROR_FILE_NOT_FOUND;
}

/* Frees the data of the value at vk_off (checked first, as a reader would). */
static hk_status data_free(struct hive_image *img, uint32_t vk_off)
{
    struct vk vk;
    struct vk_data d;
    hk_status st = vk_read(img, vk_off, &vk);
    if (st == HK_ERROR_SUCCESS)
        st = vk_data_locate(img, &vk, img->bb.minor, &d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (d.segments) {
        uint32_t count = (d.len + BIGDATA_SEGMENT - 1) / BIGDATA_SEGMENT;
        uint32_t list = le32_unchecked(cell_body_unchecked(img, vk.data_off) + DB_LIST);
        for (uint32_t i = 0; i < count; i++)
            cell_free(img, le32_unchecked(d.segments + 4 * (size_t)i));
        cell_free(img, list);
        cell_free(img, vk.data_off);
    } else if (d.cell) {
        cell_free(img, vk.data_off);
    }
    return HK_ERROR_SUCCESS;
}

/* Frees the db at db_off whose first `done` segments were stored. */
static void free_big(struct hive_image *img, uint32_t db_off, uint32_t done)
{
    uint32_t list = le32_unchecked(cell_body_unchecked(img, db_off) + DB_LIST);
    for (uint32_t i = 0; i < done; i++)
        cell_free(img, le32_unchecked(cell_body_unchecked(img, list) + 4 * (size_t)i));
    cell_free(img, list);
    cell_free(img, db_off);
}

static hk_status store_big(struct hive_image *img, const uint8_t *data, uint32_t size,
                           uint32_t *data_off)
{
    uint32_t count = (size + BIGDATA_SEGMENT - 1) / BIGDATA_SEGMENT;
    uint32_t db, list;
    hk_status st = cell_alloc(img, DB_BODY_LEN, &db);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = cell_alloc(img, 4 * count, &list);
    if (st != HK_ERROR_SUCCESS) {
        cell_free(img, db);
        return st;
    }
    db_encode(cell_body_unchecked(img, db), (uint16_t)count, list);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t seg, take = size - i * BIGDATA_SEGMENT;
        if (take > BIGDATA_SEGMENT)
            take = BIGDATA_SEGMENT;
        /* Every segment cell is full-sized, the last too, as Windows does. */
        st = cell_alloc(img, BIGDATA_SEGMENT, &seg);
        if (st != HK_ERROR_SUCCESS) {
            free_big(img, db, i);
            return st;
        }
        memcpy(cell_body_unchecked(img, seg), data + (size_t)i * BIGDATA_SEGMENT, take);
        put_le32(cell_body_unchecked(img, list) + 4 * (size_t)i, seg);
    }
    *data_off = db;
    return HK_ERROR_SUCCESS;
}

/* Undoes data_store (an edit that failed after it). */
static void data_unstore(struct hive_image *img, uint32_t size_raw, uint32_t field)
{
    if (size_raw & VK_DATA_INLINE)
        return;
    if (img->bb.minor >= 4 && size_raw > BIGDATA_SEGMENT)
        free_big(img, field, (size_raw + BIGDATA_SEGMENT - 1) / BIGDATA_SEGMENT);
    else
        cell_free(img, field);
}

/* Stores data: *size_raw and *data are the vk's size and data fields. data
 * must not point into the image (the caller copies such bytes). */
static hk_status data_store(struct hive_image *img, const uint8_t *data, uint32_t size,
                            uint32_t *size_raw, uint32_t *data_field)
{
    if (size <= 4) {
        uint8_t b[4] = {0, 0, 0, 0};
        if (size)
            memcpy(b, data, size);
        *size_raw = size | VK_DATA_INLINE;
        *data_field = le32_unchecked(b);
        return HK_ERROR_SUCCESS;
    }
    *size_raw = size;
    if (img->bb.minor >= 4 && size > BIGDATA_SEGMENT)
        return store_big(img, data, size, data_field);
    hk_status st = cell_alloc(img, size, data_field);
    if (st == HK_ERROR_SUCCESS)
        memcpy(cell_body_unchecked(img, *data_field), data, size);
    return st;
}

static void raise_u32(uint8_t *p, uint32_t v)
{
    if (le32_unchecked(p) < v)
        put_le32(p, v);
}

/* Appends vk_off to key's value list, growing the list cell if needed. */
static hk_status list_append(struct hive_image *img, uint32_t key, uint32_t vk_off)
{
    uint32_t count = le32_unchecked(cell_body_unchecked(img, key) + NK_VALUE_COUNT);
    uint32_t list = le32_unchecked(cell_body_unchecked(img, key) + NK_VALUES);
    if (count == 0 || cell_capacity_unchecked(img, list) < 4 * (count + 1)) {
        uint32_t fresh;
        hk_status st = cell_alloc(img, 4 * (count + 1), &fresh);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (count) {
            memcpy(cell_body_unchecked(img, fresh), cell_body_unchecked(img, list), 4 * (size_t)count);
            cell_free(img, list);
        }
        list = fresh;
    }
    put_le32(cell_body_unchecked(img, list) + 4 * (size_t)count, vk_off);
    put_le32(cell_body_unchecked(img, key) + NK_VALUES, list);
    put_le32(cell_body_unchecked(img, key) + NK_VALUE_COUNT, count + 1);
    return HK_ERROR_SUCCESS;
}

hk_status value_set(struct hive_image *img, uint32_t key, const uint16_t *name, const uint16_t *up,
                    size_t n, uint32_t type, const uint8_t *data, uint32_t size, uint64_t now)
{
    uint32_t index, vk_off;
    hk_status st = value_find(img, key, up, n, &index, &vk_off);
    if (st != HK_ERROR_SUCCESS && st != HK_ERROR_FILE_NOT_FOUND)
        return st;
    return value_set_at(img, key, st == HK_ERROR_SUCCESS ? vk_off : CELL_NIL, name, n, type, data,
                        size, now, NULL);
}

hk_status value_set_at(struct hive_image *img, uint32_t key, uint32_t vk_off, const uint16_t *name,
                       size_t n, uint32_t type, const uint8_t *data, uint32_t size, uint64_t now,
                       uint32_t *vk_out)
{
    bool exists = vk_off != CELL_NIL;
    uint32_t size_raw, field;
    hk_status st = data_store(img, data, size, &size_raw, &field);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (exists) {
        st = data_free(img, vk_off);
        if (st != HK_ERROR_SUCCESS) {
            data_unstore(img, size_raw, field);
            return st;
        }
        uint8_t *v = cell_body_unchecked(img, vk_off);
        put_le32(v + VK_SIZE, size_raw);
        put_le32(v + VK_DATA, field);
        put_le32(v + VK_TYPE, type);
    } else {
        st = cell_alloc(img, vk_len(name, n), &vk_off);
        if (st != HK_ERROR_SUCCESS) {
            data_unstore(img, size_raw, field);
            return st;
        }
        vk_encode(cell_body_unchecked(img, vk_off), name, n, type, size_raw, field);
        st = list_append(img, key, vk_off);
        if (st != HK_ERROR_SUCCESS) {
            cell_free(img, vk_off);
            data_unstore(img, size_raw, field);
            return st;
        }
    }
    if (vk_out)
        *vk_out = vk_off;
    uint8_t *k = cell_body_unchecked(img, key);
    raise_u32(k + NK_MAX_VALUE_NAME, (uint32_t)(2 * n));
    raise_u32(k + NK_MAX_VALUE_DATA, size);
    put_le64(k + NK_TIME, now);
    return HK_ERROR_SUCCESS;
}

hk_status value_delete_at(struct hive_image *img, uint32_t key, uint32_t index, uint64_t now)
{
    uint32_t count = le32_unchecked(cell_body_unchecked(img, key) + NK_VALUE_COUNT);
    uint32_t list = le32_unchecked(cell_body_unchecked(img, key) + NK_VALUES);
    uint32_t vk_off = le32_unchecked(cell_body_unchecked(img, list) + 4 * (size_t)index);
    hk_status st = data_free(img, vk_off);
    if (st != HK_ERROR_SUCCESS)
        return st;
    cell_free(img, vk_off);
    uint8_t *l = cell_body_unchecked(img, list);
    memmove(l + 4 * (size_t)index, l + 4 * (size_t)(index + 1), 4 * (size_t)(count - index - 1));
    if (count == 1) {
        cell_free(img, list);
        put_le32(cell_body_unchecked(img, key) + NK_VALUES, CELL_NIL);
    }
    put_le32(cell_body_unchecked(img, key) + NK_VALUE_COUNT, count - 1);
    put_le64(cell_body_unchecked(img, key) + NK_TIME, now);
    return HK_ERROR_SUCCESS;
}

hk_status value_free_all(struct hive_image *img, uint32_t key)
{
    struct nk nk;
    const uint8_t *list;
    hk_status st = nk_read(img, key, &nk);
    if (st == HK_ERROR_SUCCESS)
        st = vk_list(img, &nk, &list);
    if (st != HK_ERROR_SUCCESS)
        return st;
    for (uint32_t i = 0; i < nk.value_count; i++) {
        uint32_t vk_off = le32_unchecked(list + 4 * (size_t)i);
        struct vk vk;
        st = vk_read(img, vk_off, &vk);
        if (st == HK_ERROR_SUCCESS)
            st = data_free(img, vk_off);
        if (st != HK_ERROR_SUCCESS)
            return st;
        cell_free(img, vk_off);
    }
    if (nk.value_count)
        cell_free(img, nk.values);
    put_le32(cell_body_unchecked(img, key) + NK_VALUES, CELL_NIL);
    put_le32(cell_body_unchecked(img, key) + NK_VALUE_COUNT, 0);
    return HK_ERROR_SUCCESS;
}
