/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every cell of the hive in one sorted table, free ones included, for the
 * scans that look at the whole image rather than follow references
 * (forensic layer). */
#ifndef HK_FORENSIC_CELLS_H
#define HK_FORENSIC_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hive/image.h"

#define CELL_USED_UNKNOWN 0xFFFFFFFFu

struct cell_rec {
    uint32_t off;  /* relative to the first bin */
    uint32_t size; /* bytes, header included */
    uint32_t used; /* record bytes in use after the header, or CELL_USED_UNKNOWN */
    bool alloc;
    bool unref; /* allocated, but no path from the root reaches it (cells_unreferenced) */
};

struct cell_table {
    struct cell_rec *v;
    size_t n;
};

/* Called for a bin whose cells stop tiling at off; the rest of that bin is
 * left out of the table. */
typedef void (*cells_fault_fn)(void *ctx, uint32_t off, const char *msg);

/* Walks every bin's cells from the image bytes. A bin whose tiling breaks
 * contributes the cells before the break; fault (may be NULL) hears why.
 * NOT_ENOUGH_MEMORY is the only failure. Owned: free with cells_free. */
hk_status cells_build(const struct hive_image *img, struct cell_table *t, cells_fault_fn fault,
                      void *ctx);
void cells_free(struct cell_table *t);

/* The cell holding bin offset off, or NULL (outside the table). */
const struct cell_rec *cells_find(const struct cell_table *t, uint32_t off);

/* The allocated cell starting exactly at off, or NULL. */
struct cell_rec *cells_alloc_at(const struct cell_table *t, uint32_t off);

/* Sets what each allocated cell uses (used): from its record's signature,
 * or from the live record that references it (value lists, class names,
 * value data). The rest of the cell is slack. */
void cells_measure(struct hive_image *img, struct cell_table *t);

/* Marks (unref) every allocated cell of t that the walk of the integrity
 * check does not reach from the root and that is not on the security ring:
 * what the check warns of as "unreferenced" (check.c). NOT_ENOUGH_MEMORY is
 * the only failure; the thread's detail is left as it was. */
hk_status cells_unreferenced(struct hive_image *img, struct cell_table *t);

/* The bytes of the hive bins (off relative to the first bin). */
static inline const uint8_t *cells_bytes(const struct hive_image *img, uint32_t off)
{
    return img->file.data + HBIN_START + off;
}

#endif
