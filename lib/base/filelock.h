/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A writer's hold on a hive file (base layer): an advisory write lock on the
 * open file, and what the file was when it was read, so that a save can see
 * whether another program changed it since. Readers take no lock. */
#ifndef HK_BASE_FILELOCK_H
#define HK_BASE_FILELOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "base/diag.h"

/* What identifies a file's contents cheaply: a rename of another file into
 * place changes dev/ino; a write in place changes size or mtime. */
struct file_id {
    uint64_t dev, ino, size;
    int64_t mtime_sec;
    long mtime_nsec;
};

void file_id_of(const struct stat *st, struct file_id *id);
bool file_id_same(const struct file_id *a, const struct file_id *b);

struct file_writer {
    int fd;            /* open on the file; holds the lock when locked */
    bool locked;       /* false: the file is not writable by us (no lock taken) */
    struct file_id id; /* the file as opened */
};

/* Opens path for a writer: the file opened read-write and locked (an open
 * file description lock where the system has one), waiting up to wait_ms
 * for another writer; then checked to still be the file path names (a save
 * renames a new file into place: a lock on the old one excludes nobody, so
 * the open is retried). A file we may not write is opened read-only,
 * unlocked. Errors: SHARING_VIOLATION (the wait ran out), those of open. */
hk_status file_writer_open(const char *path, uint32_t wait_ms, struct file_writer *w,
                           struct diag *d);

/* Takes the write lock on fd without waiting: 0, or -1 (errno). */
int file_lock_now(int fd);

/* Closes the file (and so releases the lock); fd -1 afterwards. */
void file_writer_close(struct file_writer *w);

#endif
