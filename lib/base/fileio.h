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
    int mapped;           /* how data is freed: FILE_HEAP, FILE_MAPPED or FILE_BIG */
    int gzip;             /* inflated from gzip */
    uint64_t gzip_unread; /* compressed bytes left unread past the inflate cap */
};

enum {
    FILE_HEAP = 0,   /* hk_dealloc */
    FILE_MAPPED = 1, /* the file's own mapping: munmap */
    FILE_BIG = 2,    /* hk_big_free(data, size); zero from size to hk_big_cap(size) */
};

/* Bytes a gzip hive is inflated to past what its base block declares
 * (4096 + hive bins) when the caller asks for 0. */
#define FILE_GZIP_MARGIN_DEFAULT ((uint64_t)16 << 20)

/* Reads path whole: a plain file is mapped, or read into a buffer on huge
 * pages when it is a regular file of FILE_READ_MIN to FILE_READ_MAX bytes
 * and hk_big_huge() says the kernel grants them (filling 2 MiB pages costs
 * less than the first touch of each 4 KiB page of a fresh file mapping,
 * and the open reads every page); a gzip one is inflated (checked by its
 * magic, not its name) into a buffer from hk_big_realloc (FILE_BIG: huge
 * pages from HK_BIG_MIN up). Files over HK_MAX_HIVE_SIZE are refused. A gzip file
 * holding a hive ("regf" first) is inflated up to 4096 + the bins size its
 * base block declares + gzip_margin (0: FILE_GZIP_MARGIN_DEFAULT); the rest
 * is left unread and counted in gzip_unread. Other gzip files are inflated
 * whole (within the deflate bound). */
#define FILE_READ_MIN ((size_t)1 << 20)
#define FILE_READ_MAX ((size_t)512 << 20) /* larger files: no private copy */
hk_status file_load(const char *path, uint64_t gzip_margin, struct file_buf *out, struct diag *d);

/* As file_load, from fd (open for reading, at offset 0; not closed). */
hk_status file_load_fd(int fd, const char *path, uint64_t gzip_margin, struct file_buf *out,
                       struct diag *d);

/* Copies (plain: onto huge pages as file_load reads a file, else the heap)
 * or inflates (gzip, as file_load) bytes already in memory. */
hk_status file_from_memory(const void *data, size_t size, uint64_t gzip_margin,
                           struct file_buf *out, struct diag *d);

void file_buf_free(struct file_buf *fb);

/* The status of a failed open or read: FILE_NOT_FOUND, ACCESS_DENIED,
 * NOT_ENOUGH_MEMORY or CANTREAD. */
hk_status file_errno_status(int e);
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
