/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing a file atomically: temporary file, fsync, rename, folder fsync (base layer). */
#include "base/filewrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"

#ifdef HK_TEST_HOOKS
/* Test builds only: process-wide counters, so not for threads. */
static unsigned long io_fail_at, io_calls;

unsigned long file_io_fail_after(unsigned long n)
{
    unsigned long made = io_calls;
    io_fail_at = n;
    io_calls = 0;
    return made;
}

/* Counts one call of the seam; 1 if the test hook says this one fails. */
static int io_injected_failure(void)
{
    io_calls++;
    if (io_fail_at && io_calls == io_fail_at) {
        errno = EIO;
        return 1;
    }
    return 0;
}
#else
/* The library as shipped: no shared state, nothing injected. */
static int io_injected_failure(void)
{
    return 0;
}
#endif

static hk_status write_status(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        return HK_ERROR_PATH_NOT_FOUND;
    case EACCES:
    case EPERM:
    case EROFS:
        return HK_ERROR_ACCESS_DENIED;
    case EEXIST:
        return HK_ERROR_FILE_EXISTS;
    case ENOMEM:
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    default:
        return HK_ERROR_CANTWRITE;
    }
}

static hk_status fail(struct diag *d, const char *call, const char *path)
{
    int e = errno;
    return diag_set(d, write_status(e), "%s %s: %s", call, path, strerror(e));
}

static int write_whole(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        if (io_injected_failure())
            return -1;
        size_t chunk = n > (1u << 30) ? (1u << 30) : n;
        ssize_t w = write(fd, p, chunk);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The folder that holds path (*dir NULL: the current one), for the fsync
 * that makes the rename durable. Allocated before anything is written, so
 * that no allocation can fail once the rename is done. -1: no memory. */
static int folder_of(const char *path, char **dir)
{
    const char *slash = strrchr(path, '/');
    *dir = NULL;
    if (!slash)
        return 0;
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    *dir = hk_alloc(len + 1);
    if (!*dir)
        return -1;
    memcpy(*dir, path, len);
    (*dir)[len] = '\0';
    return 0;
}

static int sync_folder(const char *dir)
{
    if (io_injected_failure())
        return -1;
    int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    /* Some file systems cannot fsync a folder; the rename already happened. */
    if (rc < 0 && (errno == EINVAL || errno == EBADF || errno == ENOTSUP))
        rc = 0;
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

hk_status file_write_atomic(const char *path, const uint8_t *const *pieces, const size_t *sizes,
                            size_t n_pieces, uint32_t flags, struct diag *d)
{
    struct stat st;
    if (!(flags & FILE_WRITE_OVERWRITE) && lstat(path, &st) == 0)
        return diag_set(d, HK_ERROR_FILE_EXISTS, "%s exists (overwrite not asked for)", path);

    size_t plen = strlen(path);
    char *dir;
    char *tmp = hk_alloc(plen + 32);
    if (!tmp || folder_of(path, &dir) < 0) {
        hk_dealloc(tmp);
        return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for a file name");
    }
    int fd = -1;
    for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, plen + 32, "%s.hktmp%ld.%u", path, (long)getpid(), attempt);
        if (io_injected_failure())
            break;
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        hk_status s = fail(d, "create", tmp);
        hk_dealloc(tmp);
        hk_dealloc(dir);
        return s;
    }

    const char *failed = NULL;
    for (size_t i = 0; i < n_pieces && !failed; i++)
        if (write_whole(fd, pieces[i], sizes[i]) < 0)
            failed = "write";
    if (!failed && (io_injected_failure() || fsync(fd) < 0))
        failed = "fsync";
    int e = errno;
    /* close releases the descriptor even when it reports a failure, so the
     * seam closes it too before failing the call */
    int closed = close(fd);
    if (io_injected_failure() || closed < 0) {
        if (!failed) {
            failed = "close";
            e = errno;
        }
    }
    if (!failed && (io_injected_failure() || rename(tmp, path) < 0)) {
        failed = "rename";
        e = errno;
    }
    if (failed) {
        unlink(tmp);
        errno = e;
        hk_status s = fail(d, failed, tmp);
        hk_dealloc(tmp);
        hk_dealloc(dir);
        return s;
    }
    hk_dealloc(tmp);
    int synced = sync_folder(dir);
    e = errno;
    hk_dealloc(dir);
    errno = e;
    if (synced < 0)
        return fail(d, "fsync the folder of", path);
    return HK_ERROR_SUCCESS;
}
