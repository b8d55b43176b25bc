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
        return IMAGE_CORRUPT(img, nk->class_off,
                             "class name of %u bytes (key at 0x%x) runs past its %zu-byte cell",
                             nk->class_len, nk->off, b.len);
    out->ptr = b.ptr;
    out->len = nk->class_len;
    return HK_ERROR_SUCCESS;
}
