/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Slack: the bytes of an allocated cell after the record it holds, in the
 * cells a walk from the root reaches (forensic layer). Old records and
 * value-list entries survive there; hk_deleted_scan looks for records in
 * it, this hands the bytes themselves to the caller. */
#include <string.h>

#include "forensic/cells.h"
#include "forensic/forensic.h"

hk_status slack_scan(struct hive_image *img, hk_slack_fn fn, void *ctx)
{
    struct cell_table t;
    struct first_fault fault = FIRST_FAULT_INIT;
    hk_status st = cells_build(img, &t, img->salvage ? NULL : first_fault_note, &fault);
    if (st == HK_ERROR_SUCCESS && fault.off != CELL_NIL) {
        cells_free(&t);
        return IMAGE_CORRUPT(img, fault.off, "%s", fault.msg);
    }
    if (st == HK_ERROR_SUCCESS)
        st = cells_unreferenced(img, &t);
    if (st == HK_ERROR_SUCCESS) {
        cells_measure(img, &t);
        for (size_t i = 0; i < t.n; i++) {
            const struct cell_rec *c = &t.v[i];
            if (!c->alloc || c->unref || c->used == CELL_USED_UNKNOWN || 4 + c->used >= c->size)
                continue;
            hk_slack sl = {c->off, c->off + 4 + c->used, cells_bytes(img, c->off + 4 + c->used),
                           c->size - 4 - c->used};
            if (fn(&sl, ctx) != 0) {
                st = HK_ERROR_CANCELLED;
                break;
            }
        }
    }
    if (st == HK_ERROR_NOT_ENOUGH_MEMORY)
        diag_set(DIAG_DETAIL, st, "no memory for the slack scan");
    cells_free(&t);
    return st;
}
