/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing a file atomically (base layer): a temporary file beside the target,
 * written whole and fsynced, renamed over the target, then the folder fsynced.
 * Every system call goes through one seam so that tests can fail each in turn. */
#ifndef HK_BASE_FILEWRITE_H
#define HK_BASE_FILEWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/filelock.h"

/* file_write flags */
#define FILE_WRITE_OVERWRITE 0x1u   /* replace an existing target (else FILE_EXISTS) */
#define FILE_WRITE_BREAK_LINKS 0x2u /* replace a target with other hard links */
#define FILE_WRITE_GZIP 0x4u        /* write the bytes gzip-compressed */

#define FILE_NOTE_SIZE 256

/* How to write, and what became of the file replaced. */
struct file_write {
    uint32_t flags;              /* FILE_WRITE_* */
    const struct file_id *expect; /* the target must still be this file, else
                                     FILE_INVALID (NULL: not checked) */
    int *lock_fd;                /* a writer's lock on the target (or NULL): on success
                                    the new file is locked and *lock_fd is its descriptor,
                                    the old one closed */
    struct file_id written;      /* out: the new file */
    char note[FILE_NOTE_SIZE];   /* out: what of the replaced file could not be kept, or "" */
};

/* Writes the pieces (back to back) to path. A symbolic link is followed (to
 * 40 levels): its target is written and the link kept. The temporary file
 * is beside the target; a target that exists gives the new file its mode,
 * owner and group (w->note says what could not be kept). On any failure
 * the target is untouched and the temporary file removed. Errors:
 * FILE_EXISTS, PATH_NOT_FOUND, ACCESS_DENIED (and a target with no write
 * permission), NOT_SUPPORTED (a target with other hard links, without
 * FILE_WRITE_BREAK_LINKS), FILE_INVALID (not w->expect), CANTWRITE (with
 * the failing call named). */
hk_status file_write_ex(const char *path, const uint8_t *const *pieces, const size_t *sizes,
                        size_t n_pieces, struct file_write *w, struct diag *d);

/* file_write_ex with flags alone. */
hk_status file_write_atomic(const char *path, const uint8_t *const *pieces, const size_t *sizes,
                            size_t n_pieces, uint32_t flags, struct diag *d);

/* Whether path's name ends in ".gz" (any letter case). */
int file_name_is_gz(const char *path);

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
