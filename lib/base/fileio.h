/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading a file's bytes: mapped when plain, inflated when gzip (base layer).
 * The only file of the library that opens and reads files. */
#ifndef HK_BASE_FILEIO_H
#define HK_BASE_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

struct file_buf {
    uint8_t *data;
    size_t size;
    int mapped; /* 1: munmap on free; 0: hk_dealloc */
};

/* Reads path whole: maps a plain file, inflates a gzip one (checked by its
 * magic, not its name). Files over HK_MAX_HIVE_SIZE are refused. */
hk_status file_load(const char *path, struct file_buf *out, struct diag *d);

/* Copies (plain) or inflates (gzip) bytes already in memory. */
hk_status file_from_memory(const void *data, size_t size, struct file_buf *out, struct diag *d);

void file_buf_free(struct file_buf *fb);

#endif
