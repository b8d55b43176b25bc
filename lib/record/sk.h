/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security ("sk") records (record layer). */
#ifndef HK_RECORD_SK_H
#define HK_RECORD_SK_H

#include <stdint.h>

#include "hive/image.h"

struct sk {
    uint32_t off;
    uint32_t flink, blink;
    uint32_t refcount;
    struct span descriptor; /* self-relative SECURITY_DESCRIPTOR bytes */
};

hk_status sk_read(struct hive_image *img, uint32_t off, struct sk *out);

#endif
