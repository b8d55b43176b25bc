/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The carver's insides (forensic layer): an image read through bounded
 * windows, the plausibility rules for base blocks, bins and cells, and the
 * state shared by the disk scan, the memory scan and reassembly. */
#ifndef HK_FORENSIC_CARVE_H
#define HK_FORENSIC_CARVE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "hive/format.h"

#define CARVE_SECTOR 512u
#define CARVE_BIN_MAX (64u * 1024 * 1024)       /* yarp's bound on one bin */
#define CARVE_CELL_MAX (2u * 1024 * 1024)       /* and on one cell */
#define CARVE_HIVE_MAX (500ull * 1024 * 1024)   /* and on one primary file */

/* ---- the image and windows on it (carve_src.c) ----------------------------- */

struct carve_src {
    const uint8_t *mem;              /* the whole image, or NULL */
    const struct file_reader *file;  /* else read from here */
    uint64_t size;
    struct diag *diag;
    hk_status err; /* the first read failure: the scan stops */
};

/* A window of at most cap bytes on the image: file images are read into
 * buf, memory images are pointed into. */
struct carve_view {
    struct carve_src *src;
    uint8_t *buf;
    size_t cap;
    uint64_t off;
    size_t len;
};

hk_status view_init(struct carve_view *v, struct carve_src *src, size_t cap);
void view_free(struct carve_view *v);

/* The bytes at off: *avail (<= want, <= cap) of them are there; NULL with
 * *avail 0 at or past the end, or after a read failure (src->err). */
const uint8_t *view_at(struct carve_view *v, uint64_t off, size_t want, size_t *avail);

/* Copies len bytes at off into dst, zeros past the end of the image. */
bool view_copy(struct carve_view *v, uint64_t off, uint8_t *dst, size_t len);

/* ---- plausibility rules (carve_rules.c) ------------------------------------ */

struct bin_head {
    uint32_t offset, size;
};

#define CARVE_ANY_OFFSET 0xFFFFFFFFu

/* A bin header at p (avail bytes there; at least min_avail needed): "hbin",
 * its offset field equal to expect (or any with CARVE_ANY_OFFSET) and 4 KiB
 * aligned, its size a multiple of 4 KiB up to CARVE_BIN_MAX. */
bool carve_bin_head(const uint8_t *p, size_t avail, size_t min_avail, uint32_t expect,
                    struct bin_head *out);

/* A primary file's base block at p (avail bytes, 8 KiB needed: the block and
 * a bin header after it). *bins: its declared bins size; *old_cells: a
 * version 1.1 hive (16-byte cell alignment). */
bool carve_base_block(const uint8_t *p, size_t avail, uint32_t *bins, bool *old_cells);

/* Whether the cells of the bin of size bytes at image offset at tile it
 * (bytes past the image read as zeros). If not, *cut is where the tiling
 * breaks, relative to the bin: at the last "hbin" or "regf" signature inside
 * the cells before the break when there is one (the start of foreign data),
 * else at the cell that breaks it. */
bool carve_cells(struct carve_view *v, uint64_t at, uint32_t size, bool old_cells, uint32_t *cut);

/* Whether p[0..n) looks like hive data: a bin header at a 4 KiB boundary,
 * or (allow_zeros) nothing but zeros. */
bool carve_plausible(const uint8_t *p, size_t n, bool allow_zeros);

/* ---- the scans ---------------------------------------------------------------- */

/* What reassembly needs to know of a find. */
struct carve_piece {
    uint64_t offset, size;
    uint32_t hbins_data_size; /* truncated hives */
    uint32_t hbin_start;      /* fragments */
};

struct piece_list {
    struct carve_piece *v;
    size_t n, cap;
};

/* Offsets of compression units already carved as part of a hive. */
struct unit_set {
    uint64_t *v;
    size_t n, cap, head;
};

struct carver {
    struct carve_src src;
    struct carve_view scan;  /* the sequential pass */
    struct carve_view probe; /* checks of a candidate */
    uint32_t flags;
    hk_carve_fn fn;
    void *ctx;
    hk_carve_progress_fn progress;
    uint64_t next_progress;
    bool stop;
    struct piece_list truncated, fragments; /* for reassembly */
    struct unit_set units;
    uint8_t *unit_in, *unit_out;            /* NTFS unit buffers */
};

/* Hands rec to the callback; copies its bytes first when the caller asked
 * for data and rec->data is NULL (from the image at rec->offset). */
hk_status carve_emit(struct carver *c, hk_carve_record *rec);

/* The run of bins at pos whose offset fields go on from expect: its bytes up
 * to the last bin whose cells tile, and in the next one up to where its
 * cells break (0 when none is there). Bounded by the image and by
 * CARVE_HIVE_MAX. */
uint64_t carve_bin_run(struct carver *c, uint64_t pos, uint32_t expect);

/* Calls the progress callback when pos passed the next step. */
void carve_progress(struct carver *c, uint64_t pos);

/* Records a find for reassembly (bounded; later ones are dropped). */
void carve_remember(struct piece_list *l, const struct carve_piece *p);

/* The disk scan (carve_disk.c), the NTFS-compressed finds at one sector
 * (carve_ntfs.c), the memory scan (carve_memory.c), reassembly
 * (reassemble.c). */
hk_status carve_disk(struct carver *c);
hk_status carve_ntfs_at(struct carver *c, uint64_t pos, const uint8_t *head, size_t avail);
hk_status carve_memory_scan(struct carver *c);
/* A run of log entries at pos (carve_log.c); *advance: its size, 0 if none. */
hk_status carve_log_at(struct carver *c, uint64_t pos, uint64_t *advance);
hk_status carve_reassemble(struct carver *c);

#endif
