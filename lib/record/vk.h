/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value ("vk") records, value lists and value data, inline, in one cell or
 * in big-data (db) segments (record layer). */
#ifndef HK_RECORD_VK_H
#define HK_RECORD_VK_H

#include <stdint.h>

#include "hive/image.h"
#include "record/name.h"
#include "record/nk.h"

#define VK_FLAG_COMP_NAME 0x0001u
#define VK_DATA_INLINE 0x80000000u
#define BIGDATA_SEGMENT 16344u /* bytes carried by each db segment but the last */

/* Field offsets in the cell body (the layout table is in the .c file). */
enum {
    VK_NAME_LEN = 2, VK_SIZE = 4, VK_DATA = 8, VK_TYPE = 12, VK_FLAGS = 16, VK_NAME = 20,
    DB_COUNT = 2, DB_LIST = 4, DB_HEADER = 8,
};

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

hk_status vk_read(struct hive_image *img, uint32_t off, struct vk *out);

/* Locates and checks the value's data (inline size <= 4, cell large enough,
 * db with the right number of full segments). */
hk_status vk_data_locate(struct hive_image *img, const struct vk *vk, uint32_t minor_version,
                         struct vk_data *out);

/* Copies the first n (<= d->len) bytes of located data to dst. Segment cells
 * were checked by vk_data_locate, so this cannot fail. */
void vk_data_copy(const struct hive_image *img, const struct vk_data *d, uint8_t *dst, uint32_t n);

#endif
