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

/* A file read piecewise at any offset, whatever its size (a disk or memory
 * image to carve): nothing is mapped or held but the descriptor. */
struct file_reader {
    int fd;
    uint64_t size;
};

/* Opens path for reading; a directory is CANTOPEN. Its size is taken once. */
hk_status file_reader_open(const char *path, struct file_reader *out, struct diag *d);

/* Reads up to len bytes at off into buf; *got is what was read (short only
 * at the end of the file). CANTREAD on an I/O error. */
hk_status file_reader_pread(const struct file_reader *r, uint64_t off, void *buf, size_t len,
                            size_t *got, struct diag *d);

void file_reader_close(struct file_reader *r);

#endif
