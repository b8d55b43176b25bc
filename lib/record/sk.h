/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security ("sk") records (record layer). */
#ifndef HK_RECORD_SK_H
#define HK_RECORD_SK_H

#include <stdint.h>

#include "hive/image.h"

/* Field offsets in the cell body. */
enum { SK_FLINK = 4, SK_BLINK = 8, SK_REFS = 12, SK_SIZE = 16, SK_DESCRIPTOR = 20 };

struct sk {
    uint32_t off;
    uint32_t flink, blink;
    uint32_t refcount;
    struct span descriptor; /* self-relative SECURITY_DESCRIPTOR bytes */
};

hk_status sk_read(struct hive_image *img, uint32_t off, struct sk *out);

#endif
