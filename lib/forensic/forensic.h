/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Entry points of the forensic layer: the deleted-data and slack scans and
 * the integrity check, behind hk_deleted_scan, hk_slack_scan and
 * hk_hive_check. */
#ifndef HK_FORENSIC_FORENSIC_H
#define HK_FORENSIC_FORENSIC_H

#include <stdio.h>

#include "base/fileio.h"
#include "hive/image.h"

/* The first break in a bin's tiling that cells_build reports (off CELL_NIL:
 * none), kept aside so that the scan fails with it, through IMAGE_CORRUPT,
 * only once it has decided to. */
struct first_fault {
    uint32_t off;
    char msg[128];
};
#define FIRST_FAULT_INIT {CELL_NIL, ""}

/* A cells_fault_fn: ctx is a struct first_fault. */
static inline void first_fault_note(void *ctx, uint32_t off, const char *msg)
{
    struct first_fault *f = ctx;
    if (f->off == CELL_NIL) {
        f->off = off;
        snprintf(f->msg, sizeof f->msg, "%s", msg);
    }
}

/* See hk_deleted_scan. The thread's detail is left as it was unless the
 * scan fails. */
hk_status deleted_scan(struct hive_image *img, hk_deleted_fn fn, void *ctx);

/* See hk_slack_scan. */
hk_status slack_scan(struct hive_image *img, hk_slack_fn fn, void *ctx);

/* See hk_hive_check. */
hk_status hive_check(struct hive_image *img, hk_check_fn fn, void *ctx, hk_check_counts *counts);

/* See hk_carve_file / hk_carve_memory: the image is mem (size bytes) or,
 * when mem is NULL, file. Failures are detailed in d. */
hk_status carve_image(const uint8_t *mem, const struct file_reader *file, uint64_t size,
                      const hk_carve_options *opts, hk_carve_fn fn, void *ctx, struct diag *d);

#endif
