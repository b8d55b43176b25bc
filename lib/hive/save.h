/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finalizing the base block and writing the image to a file atomically
 * (hive layer). */
#ifndef HK_HIVE_SAVE_H
#define HK_HIVE_SAVE_H

#include <stdint.h>

#include "base/filewrite.h"
#include "hive/image.h"

/* Writes base block + bins to path through file_write_atomic. The base block
 * written has both sequence numbers = the primary + 1 (as after a clean
 * Windows flush), last written = now, the bins size of the image, type 0,
 * format 1 and the remapped checksum. A writable image also takes the new
 * base block and the time in its first bin; a read-only one is not touched.
 * w says how (file_write_ex) and receives what became of the file.
 * Errors of file_write_ex. */
hk_status image_save(struct hive_image *img, const char *path, struct file_write *w, uint64_t now);

/* Fills a 4096-byte base block from bb (the fields the base block struct
 * holds; everything else zero) with its checksum. */
void baseblock_encode(const struct base_block *bb, uint8_t *out);

#endif
