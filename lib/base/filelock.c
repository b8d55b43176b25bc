/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A writer's lock on a hive file, waited for a bounded time (base layer). */
#define _GNU_SOURCE /* F_OFD_SETLK (Linux, glibc) */
#include "base/filelock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"

void file_id_of(const struct stat *st, struct file_id *id)
{
    id->dev = (uint64_t)st->st_dev;
    id->ino = (uint64_t)st->st_ino;
    id->size = (uint64_t)st->st_size;
    id->mtime_sec = (int64_t)st->st_mtim.tv_sec;
    id->mtime_nsec = st->st_mtim.tv_nsec;
}

bool file_id_same(const struct file_id *a, const struct file_id *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec;
}

int file_lock_now(int fd)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
#ifdef F_OFD_SETLK
    /* owned by the open file, not the process: two opens in one process
     * exclude each other, and closing another descriptor of the file does
     * not drop it */
    return fcntl(fd, F_OFD_SETLK, &fl);
#else
    return fcntl(fd, F_SETLK, &fl);
#endif
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

enum { POLL_MS = 10, MAX_REOPENS = 1000 };

hk_status file_writer_open(const char *path, uint32_t wait_ms, struct file_writer *w,
                           struct diag *d)
{
    w->fd = -1;
    w->locked = false;
    uint64_t start = now_ms();
    for (unsigned reopen = 0; reopen < MAX_REOPENS; reopen++) {
        int fd = open(path, O_RDWR | O_CLOEXEC);
        bool lockable = fd >= 0;
        if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
            fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            return diag_set(d, file_errno_status(e), "cannot open %s: %s", path, strerror(e));
        }
        while (lockable && file_lock_now(fd) != 0) {
            int e = errno;
            if (e != EAGAIN && e != EACCES && e != EINTR) {
                /* a file system without locks: go on unlocked */
                lockable = false;
                break;
            }
            uint64_t waited = now_ms() - start;
            if (waited >= wait_ms) {
                close(fd);
                return diag_set(d, HK_ERROR_SHARING_VIOLATION, "%s is open for writing by another "
                                "writer (waited %u ms for its lock)", path, (unsigned)waited);
            }
            uint64_t nap = wait_ms - waited < POLL_MS ? wait_ms - waited : POLL_MS;
            struct timespec ts = {0, (long)nap * 1000000L};
            nanosleep(&ts, NULL);
        }
        struct stat held, named;
        if (fstat(fd, &held) != 0) {
            int e = errno;
            close(fd);
            return diag_set(d, file_errno_status(e), "cannot stat %s: %s", path, strerror(e));
        }
        /* The writer before us may have renamed a new file into place while
         * we waited: then our lock is on a file no longer named path. */
        if (lockable && (stat(path, &named) != 0 || named.st_dev != held.st_dev ||
                         named.st_ino != held.st_ino)) {
            close(fd);
            continue;
        }
        w->fd = fd;
        w->locked = lockable;
        file_id_of(&held, &w->id);
        return HK_ERROR_SUCCESS;
    }
    return diag_set(d, HK_ERROR_SHARING_VIOLATION, "%s keeps being replaced by other writers", path);
}

void file_writer_close(struct file_writer *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    w->locked = false;
}
