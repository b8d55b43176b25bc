/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Key node decoding (record layer).
 *
 * nk cell body
 *   OFF  LEN  FIELD
 *     0    2  "nk"
 *     2    2  flags (0x20 name is Latin-1; 0x40 predefined handle; 0x4 root)
 *     4    8  last written FILETIME
 *    12    1  access bits (Windows 8+)
 *    13    1  layered key bits (Windows 10+)
 *    16    4  parent key node
 *    20    4  subkey count
 *    24    4  volatile subkey count (ignored)
 *    28    4  subkey list (li/lf/lh/ri)
 *    32    4  volatile subkey list (ignored)
 *    36    4  value count
 *    40    4  value list
 *    44    4  security (sk) cell
 *    48    4  class name cell
 *    52    2  largest subkey name, bytes as UTF-16
 *    54    1  user flags (low nibble), virtualization flags (high nibble)
 *    55    1  debug
 *    56    4  largest subkey class name, bytes
 *    60    4  largest value name, bytes as UTF-16
 *    64    4  largest value data, bytes
 *    68    4  work variable (ignored)
 *    72    2  name length, bytes
 *    74    2  class name length, bytes
 *    76    n  name
 */
#include "record/nk.h"


hk_status nk_read(struct hive_image *img, uint32_t off, struct nk *out)
{
    struct span b;
    hk_status st = cell_get_sig(img, off, "nk", &b);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (b.len < NK_NAME)
        return image_corrupt(img, off, "key node of %zu bytes is shorter than its 76-byte header",
                             b.len);
    const uint8_t *p = b.ptr;
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
    uint16_t name_len = le16_unchecked(p + NK_NAME_LEN);
    out->class_len = le16_unchecked(p + NK_CLASS_LEN);
    if (name_len > b.len - NK_NAME)
        return image_corrupt(img, off, "key name of %u bytes runs past its %zu-byte cell",
                             name_len, b.len);
    out->name.ptr = p + NK_NAME;
    out->name.len = name_len;
    out->name.compressed = (out->flags & NK_FLAG_COMP_NAME) != 0;
    /* In a predefined-handle key the value count is a handle, not a count. */
    if (out->flags & NK_FLAG_PREDEF_HANDLE)
        out->value_count = 0;
    return HK_ERROR_SUCCESS;
}

hk_status nk_class(struct hive_image *img, const struct nk *nk, struct span *out)
{
    out->ptr = NULL;
    out->len = 0;
    if (nk->class_len == 0 || nk->class_off == CELL_NIL)
        return HK_ERROR_SUCCESS;
    struct span b;
    hk_status st = cell_get(img, nk->class_off, &b);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (nk->class_len > b.len)
        return image_corrupt(img, nk->class_off,
                             "class name of %u bytes (key at 0x%x) runs past its %zu-byte cell",
                             nk->class_len, nk->off, b.len);
    out->ptr = b.ptr;
    out->len = nk->class_len;
    return HK_ERROR_SUCCESS;
}
