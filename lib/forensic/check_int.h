/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The integrity check's shared state: findings, and the reference map that
 * tells cells referenced twice, free where referenced, or never referenced
 * (forensic layer). check.c owns the image-wide rules, check_tree.c the
 * walk from the root. */
#ifndef HK_FORENSIC_CHECK_INT_H
#define HK_FORENSIC_CHECK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "forensic/cells.h"

struct checker {
    struct hive_image *img;
    struct cell_table cells;
    uint32_t *refs; /* per cell of the table: references found */
    hk_check_fn fn;
    void *ctx;
    hk_check_counts counts;
    bool stopped;
    struct diag scratch; /* what record decoders find wrong: never the thread's detail */
};

/* Reports one finding at a bin-relative offset (file offset = 4096 + off). */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void chk_report(struct checker *ck, uint32_t severity, uint32_t off, const char *rule,
                const char *fmt, ...);

/* Same, at a file offset (base block, bytes after the bins). */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void chk_report_file(struct checker *ck, uint32_t severity, uint64_t file_off, const char *rule,
                     const char *fmt, ...);

/* Follows a reference to the cell at off (what names it for the message:
 * "subkey list of key 0x20"). Reports a reference outside the bins, into
 * the middle of a cell or to a free cell, and (unless shared is allowed) a
 * second reference; then returns false. Else *body is the cell's body. */
bool chk_ref(struct checker *ck, uint32_t off, bool shared, struct span *body, const char *what,
             uint32_t owner);

/* Walks the key tree from the root (check_tree.c). */
void chk_tree(struct checker *ck);

#endif
