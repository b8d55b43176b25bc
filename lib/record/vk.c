/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value decoding (record layer).
 *
 * vk cell body
 *   OFF  LEN  FIELD
 *     0    2  "vk"
 *     2    2  name length, bytes (0: the default value)
 *     4    4  data size; bit 31 set: the data (<= 4 bytes) is in the next field
 *     8    4  data cell offset, or inline data
 *    12    4  type
 *    16    2  flags (0x1 name is Latin-1)
 *    18    2  spare
 *    20    n  name
 *
 * db cell body (versions 1.4+, data over 16344 bytes)
 *     0    2  "db"
 *     2    2  segment count
 *     4    4  segment list cell: count u32 offsets of segment cells
 * Every segment but the last carries exactly 16344 bytes.
 */
#include "record/vk.h"

#include <string.h>

hk_status vk_list(struct hive_image *img, const struct nk *nk, const uint8_t **entries)
{
    *entries = NULL;
    if (nk->value_count == 0)
        return HK_ERROR_SUCCESS;
    struct span b;
    hk_status st = cell_get(img, nk->values, &b);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if ((uint64_t)nk->value_count * 4 > b.len)
        return IMAGE_CORRUPT(img, nk->values,
                             "value list of key 0x%x claims %u values, more than its %zu-byte cell holds",
                             nk->off, nk->value_count, b.len);
    *entries = b.ptr;
    return HK_ERROR_SUCCESS;
}

static hk_status locate_db(struct hive_image *img, const struct vk *vk, struct span db,
                           struct vk_data *out)
{
    uint32_t len = out->len;
    if (db.len < DB_HEADER)
        return IMAGE_CORRUPT(img, vk->data_off, "big data record of %zu bytes is too short", db.len);
    uint32_t count = le16_unchecked(db.ptr + DB_COUNT);
    uint32_t list_off = le32_unchecked(db.ptr + DB_LIST);
    uint32_t need = (len + BIGDATA_SEGMENT - 1) / BIGDATA_SEGMENT;
    if (count != need)
        return IMAGE_CORRUPT(img, vk->data_off,
                             "big data record has %u segments where %u bytes need %u", count, len,
                             need);
    struct span list;
    hk_status st = cell_get(img, list_off, &list);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if ((size_t)count * 4 > list.len)
        return IMAGE_CORRUPT(img, list_off,
                             "big data segment list of %zu bytes cannot hold %u segments", list.len,
                             count);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t seg_off = le32_unchecked(list.ptr + 4 * (size_t)i);
        uint32_t want = i + 1 < count ? BIGDATA_SEGMENT : len - BIGDATA_SEGMENT * (count - 1);
        struct span seg;
        st = cell_get(img, seg_off, &seg);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (seg.len < want)
            return IMAGE_CORRUPT(img, seg_off, "big data segment %u holds %zu bytes, %u expected", i,
                                 seg.len, want);
    }
    out->segments = list.ptr;
    return HK_ERROR_SUCCESS;
}

hk_status vk_data_locate_other(struct hive_image *img, const struct vk *vk, uint32_t minor_version,
                               struct span b, struct vk_data *out)
{
    uint32_t len = out->len;
    if (vk->size_raw & VK_DATA_INLINE)
        return IMAGE_CORRUPT(img, vk->off, "inline value data of %u bytes (at most 4 fit)", len);
    /* Versions 1.4+ keep data over 16344 bytes in db segments; a writer that
     * used one big cell instead (hivex does) is still read when it fits. */
    if (minor_version >= 4 && len > BIGDATA_SEGMENT && cell_has_sig(b, DB_SIG) &&
        b.len < len)
        return locate_db(img, vk, b, out);
    if (len > b.len)
        return IMAGE_CORRUPT(img, vk->data_off,
                             "value data of %u bytes (value at 0x%x) runs past its %zu-byte cell", len,
                             vk->off, b.len);
    out->cell = b.ptr;
    return HK_ERROR_SUCCESS;
}

void vk_data_copy_segments(const struct hive_image *img, const uint8_t *segments, uint8_t *dst,
                           uint32_t n)
{
    const uint8_t *bins = img->file.data + HBIN_START;
    for (uint32_t i = 0, done = 0; done < n; i++) {
        uint32_t seg_off = le32_unchecked(segments + 4 * (size_t)i);
        uint32_t take = n - done < BIGDATA_SEGMENT ? n - done : BIGDATA_SEGMENT;
        memcpy(dst + done, bins + seg_off + 4, take);
        done += take;
    }
}
