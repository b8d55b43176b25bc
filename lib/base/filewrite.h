/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing a file atomically (base layer): a temporary file beside the target,
 * written whole and fsynced, renamed over the target, then the folder fsynced.
 * Every system call goes through one seam so that tests can fail each in turn. */
#ifndef HK_BASE_FILEWRITE_H
#define HK_BASE_FILEWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

/* file_write_atomic flags */
#define FILE_WRITE_OVERWRITE 0x1u /* replace an existing target (else FILE_EXISTS) */

/* Writes the pieces (back to back) to path. On any failure the target is
 * untouched and the temporary file removed. Errors: FILE_EXISTS,
 * PATH_NOT_FOUND, ACCESS_DENIED, CANTWRITE (with the failing call named). */
hk_status file_write_atomic(const char *path, const uint8_t *const *pieces, const size_t *sizes,
                            size_t n_pieces, uint32_t flags, struct diag *d);

/* The I/O seam: the calls a save makes, replaceable by tests. */
enum file_io_call { FILE_IO_OPEN, FILE_IO_WRITE, FILE_IO_FSYNC, FILE_IO_CLOSE, FILE_IO_RENAME,
                    FILE_IO_DIRSYNC, FILE_IO_N_CALLS };

#ifdef HK_TEST_HOOKS
/* Test hook (test builds only, HK_TEST_HOOKS): the nth I/O call of a save from now on fails with EIO (1 = the
 * next one); 0 disarms. Returns how many calls have been made since the
 * last arming, so a test can count the calls of one save. */
unsigned long file_io_fail_after(unsigned long n);
#endif

#endif
