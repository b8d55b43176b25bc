/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security record decoding (record layer).
 *
 * sk cell body
 *   OFF  LEN  FIELD
 *     0    2  "sk"
 *     2    2  reserved
 *     4    4  next sk in the ring (flink)
 *     8    4  previous sk in the ring (blink)
 *    12    4  reference count (key nodes using it)
 *    16    4  descriptor size
 *    20    n  self-relative SECURITY_DESCRIPTOR
 */
#include "record/sk.h"


hk_status sk_read(struct hive_image *img, uint32_t off, struct sk *out)
{
    struct span b;
    hk_status st = cell_get_sig(img, off, SK_SIG, &b);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (b.len < SK_DESCRIPTOR)
        return IMAGE_CORRUPT(img, off, "security record of %zu bytes is shorter than its header",
                             b.len);
    uint32_t size = le32_unchecked(b.ptr + SK_SIZE);
    if (size > b.len - SK_DESCRIPTOR)
        return IMAGE_CORRUPT(img, off, "security descriptor of %u bytes runs past its %zu-byte cell",
                             size, b.len);
    out->off = off;
    out->flink = le32_unchecked(b.ptr + SK_FLINK);
    out->blink = le32_unchecked(b.ptr + SK_BLINK);
    out->refcount = le32_unchecked(b.ptr + SK_REFS);
    out->descriptor.ptr = b.ptr + SK_DESCRIPTOR;
    out->descriptor.len = size;
    return HK_ERROR_SUCCESS;
}
