/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Key node ("nk") records: decode one into a native struct (record layer). */
#ifndef HK_RECORD_NK_H
#define HK_RECORD_NK_H

#include <stdint.h>

#include "hive/image.h"
#include "record/name.h"

struct nk {
    uint32_t off;
    uint16_t flags;
    uint64_t last_write;
    uint8_t access_bits;
    uint8_t layered;
    uint32_t parent;
    uint32_t subkey_count;
    uint32_t subkeys;      /* list offset; meaningful when subkey_count > 0 */
    uint32_t value_count;  /* 0 for PREDEF_HANDLE keys */
    uint32_t values;       /* list offset; meaningful when value_count > 0 */
    uint32_t sk;
    uint32_t class_off;
    uint16_t class_len;    /* bytes */
    uint16_t max_name;     /* bytes as UTF-16 */
    uint8_t user_flags;    /* low nibble of byte 54 */
    uint8_t virt_flags;    /* high nibble of byte 54 */
    uint32_t max_class;    /* bytes */
    uint32_t max_value_name; /* bytes */
    uint32_t max_value_data; /* bytes */
    struct name_ref name;
};

/* Decodes the key node at off from its cell body b, already in hand (a free
 * cell, or slack, when deleted keys are searched). BADDB if the header or the
 * name does not fit, the detail in d: the hive's for a record the hive
 * references, a scratch one or NULL for speculative decoding (forensic
 * scans), which must leave the thread's detail alone. Pointers in out borrow
 * the image. Inline: a walk
 * decodes one node per key. */
static HK_HOT_INLINE hk_status nk_decode(struct diag *d, uint32_t off, struct span b,
                                         struct nk *out)
{
    if (b.len < NK_NAME)
        return HK_CORRUPT(d, off, "key node of %zu bytes is shorter than its 76-byte header",
                          b.len);
    const uint8_t *p = b.ptr;
    uint16_t name_len = le16_unchecked(p + NK_NAME_LEN);
    if (name_len > b.len - NK_NAME)
        return HK_CORRUPT(d, off, "key name of %u bytes runs past its %zu-byte cell", name_len,
                          b.len);
    out->off = off;
    out->flags = le16_unchecked(p + NK_FLAGS);
    out->last_write = le64_unchecked(p + NK_TIME);
    out->access_bits = p[NK_ACCESS];
    out->layered = p[NK_LAYERED];
    out->parent = le32_unchecked(p + NK_PARENT);
    out->subkey_count = le32_unchecked(p + NK_SUBKEY_COUNT);
    out->subkeys = le32_unchecked(p + NK_SUBKEYS);
    out->value_count = le32_unchecked(p + NK_VALUE_COUNT);
    out->values = le32_unchecked(p + NK_VALUES);
    out->sk = le32_unchecked(p + NK_SK);
    out->class_off = le32_unchecked(p + NK_CLASS);
    out->max_name = le16_unchecked(p + NK_MAX_NAME);
    out->user_flags = p[NK_USER_FLAGS] & 0x0Fu;
    out->virt_flags = (uint8_t)(p[NK_USER_FLAGS] >> 4);
    out->max_class = le32_unchecked(p + NK_MAX_CLASS);
    out->max_value_name = le32_unchecked(p + NK_MAX_VALUE_NAME);
    out->max_value_data = le32_unchecked(p + NK_MAX_VALUE_DATA);
    out->class_len = le16_unchecked(p + NK_CLASS_LEN);
    out->name.ptr = p + NK_NAME;
    out->name.len = name_len;
    out->name.compressed = (out->flags & NK_FLAG_COMP_NAME) != 0;
    /* In a predefined-handle key the value count is a handle, not a count. */
    if (out->flags & NK_FLAG_PREDEF_HANDLE)
        out->value_count = 0;
    return HK_ERROR_SUCCESS;
}

/* Decodes the key node at off. BADDB if the cell is not an allocated "nk" or
 * its name does not fit the cell. */
static HK_HOT_INLINE hk_status nk_read(struct hive_image *img, uint32_t off, struct nk *out)
{
    struct span b;
    hk_status st = cell_get_sig(img, off, NK_SIG, &b);
    if (st != HK_ERROR_SUCCESS)
        return st;
    return nk_decode(DIAG_DETAIL, off, b, out);
}

/* The class name bytes (UTF-16LE) of a key, or an empty span. */
hk_status nk_class(struct hive_image *img, const struct nk *nk, struct span *out);

#endif
