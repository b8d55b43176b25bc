/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value ("vk") records, value lists and value data, inline, in one cell or
 * in big-data (db) segments (record layer). */
#ifndef HK_RECORD_VK_H
#define HK_RECORD_VK_H

#include <stdint.h>
#include <string.h>

#include "hive/image.h"
#include "record/name.h"
#include "record/nk.h"

struct vk {
    uint32_t off;
    uint32_t size_raw;   /* as stored, bit 31 = inline */
    uint32_t data_off;   /* or the inline bytes */
    uint32_t type;
    uint16_t flags;
    struct name_ref name;
};

/* Where a value's bytes are: checked once, then copied on demand. */
struct vk_data {
    uint32_t len;
    uint8_t inline_bytes[4];
    const uint8_t *cell;     /* one-cell data, or NULL */
    const uint8_t *segments; /* db segment list entries, or NULL */
};

/* The value list of a key: entry i of value_count checked u32 offsets. */
hk_status vk_list(struct hive_image *img, const struct nk *nk, const uint8_t **entries);

/* Decodes the value at off from its cell body b, already in hand (a free
 * cell or slack, when deleted values are searched). BADDB if the header or
 * the name does not fit, the detail in d (as nk_decode). Inline: enumerations decode one value per call. */
static HK_HOT_INLINE hk_status vk_decode(struct diag *d, uint32_t off, struct span b,
                                         struct vk *out)
{
    if (b.len < VK_NAME)
        return HK_CORRUPT(d, off, "value of %zu bytes is shorter than its 20-byte header", b.len);
    const uint8_t *p = b.ptr;
    uint16_t name_len = le16_unchecked(p + VK_NAME_LEN);
    if (name_len > b.len - VK_NAME)
        return HK_CORRUPT(d, off, "value name of %u bytes runs past its %zu-byte cell", name_len,
                          b.len);
    out->off = off;
    out->size_raw = le32_unchecked(p + VK_SIZE);
    out->data_off = le32_unchecked(p + VK_DATA);
    out->type = le32_unchecked(p + VK_TYPE);
    out->flags = le16_unchecked(p + VK_FLAGS);
    out->name.ptr = p + VK_NAME;
    out->name.len = name_len;
    out->name.compressed = (out->flags & VK_FLAG_COMP_NAME) != 0;
    return HK_ERROR_SUCCESS;
}

/* Decodes the value at off: BADDB if the cell is not an allocated "vk" or
 * the value does not fit it. */
static HK_HOT_INLINE hk_status vk_read(struct hive_image *img, uint32_t off, struct vk *out)
{
    struct span b;
    hk_status st = cell_get_sig(img, off, VK_SIG, &b);
    if (st != HK_ERROR_SUCCESS)
        return st;
    return vk_decode(DIAG_DETAIL, off, b, out);
}

/* vk_data_locate for data that is neither inline nor in a cell of its own
 * that holds it (db segments, or an error). */
hk_status vk_data_locate_other(struct hive_image *img, const struct vk *vk, uint32_t minor_version,
                               struct span cell, struct vk_data *out);

/* Locates and checks the value's data (inline size <= 4, cell large enough,
 * db with the right number of full segments). */
static HK_HOT_INLINE hk_status vk_data_locate(struct hive_image *img, const struct vk *vk,
                                       uint32_t minor_version, struct vk_data *out)
{
    uint32_t len = vk->size_raw & ~VK_DATA_INLINE;
    out->len = len;
    out->cell = NULL;
    out->segments = NULL;
    if (len == 0)
        return HK_ERROR_SUCCESS;
    if ((vk->size_raw & VK_DATA_INLINE) && len <= VK_INLINE_MAX) {
        put_le32(out->inline_bytes, vk->data_off);
        return HK_ERROR_SUCCESS;
    }
    struct span b = {NULL, 0};
    if (!(vk->size_raw & VK_DATA_INLINE)) {
        hk_status st = cell_get(img, vk->data_off, &b);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (len <= BIGDATA_SEGMENT && len <= b.len) {
            out->cell = b.ptr;
            return HK_ERROR_SUCCESS;
        }
    }
    return vk_data_locate_other(img, vk, minor_version, b, out);
}

/* vk_data_copy from db segments. */
void vk_data_copy_segments(const struct hive_image *img, const uint8_t *segments, uint8_t *dst,
                           uint32_t n);

/* Copies the first n (<= d->len) bytes of located data to dst. Segment cells
 * were checked by vk_data_locate, so this cannot fail. */
static inline void vk_data_copy(const struct hive_image *img, const struct vk_data *d,
                                uint8_t *dst, uint32_t n)
{
    if (n > d->len)
        n = d->len;
    const uint8_t *src = d->cell ? d->cell : d->inline_bytes;
    if (d->segments) {
        vk_data_copy_segments(img, d->segments, dst, n);
    } else if (n >= 8 && n <= 16) {
        /* Most values are short: two fixed 8-byte moves (overlapping) cost
         * less than a call. */
        memcpy(dst, src, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else if (n) {
        memcpy(dst, src, n);
    }
}

#endif
