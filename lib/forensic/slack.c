/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Slack: the bytes of an allocated cell after the record it holds, in the
 * cells a walk from the root reaches (forensic layer). Old records and
 * value-list entries survive there; hk_deleted_scan looks for records in
 * it, this hands the bytes themselves to the caller. */
#include <string.h>

#include "forensic/cells.h"
#include "forensic/forensic.h"

static void note_fault(void *ctx, uint32_t off, const char *msg)
{
    struct hive_image *img = ctx;
    if (!img->salvage && !img->diag.msg[0])
        image_corrupt(img, off, "%s", msg);
}

hk_status slack_scan(struct hive_image *img, hk_slack_fn fn, void *ctx)
{
    struct cell_table t;
    struct diag saved = img->diag;
    diag_clear(&img->diag);
    hk_status st = cells_build(img, &t, note_fault, img);
    if (st == HK_ERROR_SUCCESS && img->diag.msg[0]) {
        cells_free(&t);
        return HK_ERROR_BADDB; /* the detail names the broken bin */
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
            if (fn(&sl, ctx) != 0)
                break;
        }
    }
    img->diag = saved;
    if (st == HK_ERROR_NOT_ENOUGH_MEMORY)
        diag_set(&img->diag, st, "no memory for the slack scan");
    cells_free(&t);
    return st;
}
