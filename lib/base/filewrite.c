/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing a file atomically: temporary file, fsync, rename, folder fsync;
 * links followed, mode and owner kept, gzip on request (base layer). */
#include "base/filewrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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

int file_name_is_gz(const char *path)
{
    size_t n = strlen(path);
    return n >= 3 && path[n - 3] == '.' && (path[n - 2] | 0x20) == 'g' && (path[n - 1] | 0x20) == 'z';
}

enum { MAX_LINK_HOPS = 40, ZBUF_SIZE = 1 << 16 };

/* The file path names, its symbolic links followed (a relative target is
 * taken from the link's folder). Owned; NULL with errno ENOMEM or ELOOP. */
static char *resolve_links(const char *path)
{
    size_t n = strlen(path);
    char *cur = hk_alloc(n + 1);
    if (!cur) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(cur, path, n + 1);
    for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        size_t cap = st.st_size > 0 && st.st_size < 65536 ? (size_t)st.st_size + 1 : 4097;
        char *target = hk_alloc(cap);
        ssize_t len = target ? readlink(cur, target, cap) : -1;
        if (len < 0 || (size_t)len >= cap) {
            int e = !target ? ENOMEM : len < 0 ? errno : ENAMETOOLONG;
            hk_dealloc(target);
            hk_dealloc(cur);
            errno = e;
            return NULL;
        }
        target[len] = '\0';
        const char *slash = strrchr(cur, '/');
        char *next = target;
        if (target[0] != '/' && slash) {
            size_t keep = (size_t)(slash - cur) + 1;
            next = hk_alloc(keep + (size_t)len + 1);
            if (!next) {
                hk_dealloc(target);
                hk_dealloc(cur);
                errno = ENOMEM;
                return NULL;
            }
            memcpy(next, cur, keep);
            memcpy(next + keep, target, (size_t)len + 1);
            hk_dealloc(target);
        }
        hk_dealloc(cur);
        cur = next;
    }
    hk_dealloc(cur);
    errno = ELOOP;
    return NULL;
}

/* Gives the new file at fd the owner and group of the file it replaces;
 * what cannot be kept (not allowed to give files away) goes to note. */
static void keep_owner(int fd, const struct stat *old, char *note)
{
    struct stat now;
    if (fstat(fd, &now) != 0 || (now.st_uid == old->st_uid && now.st_gid == old->st_gid))
        return;
    if (fchown(fd, old->st_uid, old->st_gid) == 0)
        return;
    if (now.st_gid != old->st_gid && fchown(fd, (uid_t)-1, old->st_gid) == 0)
        now.st_gid = old->st_gid;
    if (now.st_gid == old->st_gid)
        snprintf(note, FILE_NOTE_SIZE, "owner %lu could not be kept: the file now belongs to %lu",
                 (unsigned long)old->st_uid, (unsigned long)now.st_uid);
    else if (now.st_uid == old->st_uid)
        snprintf(note, FILE_NOTE_SIZE, "group %lu could not be kept: the file's group is now %lu",
                 (unsigned long)old->st_gid, (unsigned long)now.st_gid);
    else
        snprintf(note, FILE_NOTE_SIZE, "owner %lu and group %lu could not be kept: the file now "
                 "belongs to %lu:%lu", (unsigned long)old->st_uid, (unsigned long)old->st_gid,
                 (unsigned long)now.st_uid, (unsigned long)now.st_gid);
}

/* Writes the pieces to fd, deflated to gzip when zs is not NULL (zbuf then
 * holds ZBUF_SIZE bytes). 0, or -1 with errno. */
static int write_pieces(int fd, const uint8_t *const *pieces, const size_t *sizes, size_t n,
                        z_stream *zs, uint8_t *zbuf)
{
    if (!zs) {
        for (size_t i = 0; i < n; i++)
            if (write_whole(fd, pieces[i], sizes[i]) < 0)
                return -1;
        return 0;
    }
    for (size_t i = 0; i <= n; i++) {
        const uint8_t *p = i < n ? pieces[i] : NULL;
        size_t left = i < n ? sizes[i] : 0;
        int finish = i == n, rc = Z_OK;
        do {
            uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
            zs->next_in = (Bytef *)(uintptr_t)p;
            zs->avail_in = chunk;
            do {
                zs->next_out = zbuf;
                zs->avail_out = ZBUF_SIZE;
                rc = deflate(zs, finish ? Z_FINISH : Z_NO_FLUSH);
                if (rc == Z_STREAM_ERROR) {
                    errno = EIO;
                    return -1;
                }
                if (write_whole(fd, zbuf, ZBUF_SIZE - zs->avail_out) < 0)
                    return -1;
            } while (zs->avail_out == 0 || zs->avail_in != 0);
            p += chunk;
            left -= chunk;
        } while (left > 0);
        if (finish && rc != Z_STREAM_END) {
            errno = EIO;
            return -1;
        }
    }
    return 0;
}

/* Refusals before anything is written: a read-only target, one with other
 * hard links. */
static hk_status check_target(const char *real, const struct stat *old, uint32_t flags,
                              struct diag *d)
{
    if ((old->st_mode & 0222) == 0 || faccessat(AT_FDCWD, real, W_OK, AT_EACCESS) != 0)
        return diag_set(d, HK_ERROR_ACCESS_DENIED, "%s is read-only (mode %04o): not replaced", real,
                        (unsigned)(old->st_mode & 07777));
    if (old->st_nlink > 1 && !(flags & FILE_WRITE_BREAK_LINKS))
        return diag_set(d, HK_ERROR_NOT_SUPPORTED, "%s has %lu hard links: replacing it would give "
                        "this name a new file and leave the others the old one; "
                        "HK_SAVE_BREAK_LINKS does that", real, (unsigned long)old->st_nlink);
    return HK_ERROR_SUCCESS;
}

/* A new temporary file beside real: its descriptor, its name in tmp. */
static int create_temp(const char *real, char *tmp, size_t size)
{
    int fd = -1;
    for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, size, "%s.hktmp%ld.%u", real, (long)getpid(), attempt);
        if (io_injected_failure())
            break;
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    return fd;
}

/* Moves the writer's lock to the new file tmp before it is renamed into
 * place: its locked descriptor, or -1 (no lock wanted, or none to be had). */
static int lock_new_file(const char *tmp, const struct file_write *w)
{
    if (!w->lock_fd || *w->lock_fd < 0)
        return -1;
    int fd = open(tmp, O_RDWR | O_CLOEXEC);
    if (fd >= 0 && file_lock_now(fd) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Whether the target is still the file w->expect names. */
static int target_unchanged(const char *real, const struct file_write *w)
{
    if (!w->expect)
        return 1;
    struct stat now;
    struct file_id id;
    if (stat(real, &now) != 0)
        return 0;
    file_id_of(&now, &id);
    return file_id_same(&id, w->expect);
}

/* Writes, syncs and closes fd, then renames tmp over real: the name of the
 * call that failed (errno set), or NULL. */
static const char *write_and_rename(int fd, const char *tmp, const char *real,
                                    const uint8_t *const *pieces, const size_t *sizes, size_t n,
                                    z_stream *zs, uint8_t *zbuf, const struct stat *old,
                                    struct file_write *w, int *new_lock)
{
    const char *failed = NULL;
    if (old) {
        keep_owner(fd, old, w->note);
        if (fchmod(fd, old->st_mode & 07777) < 0)
            failed = "chmod";
    }
    if (!failed && write_pieces(fd, pieces, sizes, n, zs, zbuf) < 0)
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
    if (!failed) {
        *new_lock = lock_new_file(tmp, w);
        if (!target_unchanged(real, w)) {
            failed = "changed";
            e = 0;
        }
    }
    if (!failed && (io_injected_failure() || rename(tmp, real) < 0)) {
        failed = "rename";
        e = errno;
    }
    errno = e;
    return failed;
}

hk_status file_write_ex(const char *path, const uint8_t *const *pieces, const size_t *sizes,
                        size_t n_pieces, struct file_write *w, struct diag *d)
{
    w->note[0] = '\0';
    struct stat st;
    if (!(w->flags & FILE_WRITE_OVERWRITE) && lstat(path, &st) == 0)
        return diag_set(d, HK_ERROR_FILE_EXISTS, "%s exists (overwrite not asked for)", path);
    char *real = resolve_links(path);
    if (!real) {
        int e = errno;
        return diag_set(d, e == ENOMEM ? HK_ERROR_NOT_ENOUGH_MEMORY : HK_ERROR_CANTWRITE,
                        "cannot follow the links of %s: %s", path, strerror(e));
    }
    struct stat old;
    int have_old = stat(real, &old) == 0 && S_ISREG(old.st_mode);
    hk_status s = have_old ? check_target(real, &old, w->flags, d) : HK_ERROR_SUCCESS;
    if (s != HK_ERROR_SUCCESS) {
        hk_dealloc(real);
        return s;
    }

    size_t plen = strlen(real);
    char *dir = NULL;
    char *tmp = hk_alloc(plen + 32);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    int gzip = (w->flags & FILE_WRITE_GZIP) != 0;
    uint8_t *zbuf = gzip ? hk_alloc(ZBUF_SIZE) : NULL;
    if (!tmp || folder_of(real, &dir) < 0 || (gzip && !zbuf) ||
        (gzip && deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                              Z_DEFAULT_STRATEGY) != Z_OK)) {
        hk_dealloc(zbuf);
        hk_dealloc(tmp);
        hk_dealloc(dir);
        hk_dealloc(real);
        return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory to write %s", path);
    }
    int fd = create_temp(real, tmp, plen + 32);
    int new_lock = -1;
    const char *failed = fd < 0 ? "create" : NULL;
    if (!failed)
        failed = write_and_rename(fd, tmp, real, pieces, sizes, n_pieces, gzip ? &zs : NULL, zbuf,
                                  have_old ? &old : NULL, w, &new_lock);
    int e = errno;
    if (gzip)
        deflateEnd(&zs);
    hk_dealloc(zbuf);
    if (failed) {
        if (fd >= 0)
            unlink(tmp);
        if (new_lock >= 0)
            close(new_lock);
        errno = e;
        if (strcmp(failed, "changed") == 0)
            s = diag_set(d, HK_ERROR_FILE_INVALID, "%s changed on disk since it was opened "
                         "(another program wrote it): not replaced", real);
        else
            s = fail(d, failed, tmp);
        hk_dealloc(tmp);
        hk_dealloc(dir);
        hk_dealloc(real);
        return s;
    }
    hk_dealloc(tmp);
    if (new_lock >= 0) {
        close(*w->lock_fd);
        *w->lock_fd = new_lock;
    }
    struct stat now;
    if ((new_lock >= 0 ? fstat(new_lock, &now) : stat(real, &now)) == 0)
        file_id_of(&now, &w->written);
    hk_dealloc(real);
    int synced = sync_folder(dir);
    e = errno;
    hk_dealloc(dir);
    errno = e;
    if (synced < 0)
        return fail(d, "fsync the folder of", path);
    return HK_ERROR_SUCCESS;
}

hk_status file_write_atomic(const char *path, const uint8_t *const *pieces, const size_t *sizes,
                            size_t n_pieces, uint32_t flags, struct diag *d)
{
    struct file_write w;
    memset(&w, 0, sizeof w);
    w.flags = flags;
    return file_write_ex(path, pieces, sizes, n_pieces, &w, d);
}
