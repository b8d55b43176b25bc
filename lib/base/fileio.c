/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading a file's bytes: mmap with a read() fallback, zlib for gzip (base layer). */
#define _DEFAULT_SOURCE 1 /* MAP_POPULATE */
#include "base/fileio.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* A hive's mapping is read whole at open (its cells are walked): its pages
 * are mapped in one go rather than by a fault per few pages. */
#ifdef MAP_POPULATE
#define HK_MAP_POPULATE MAP_POPULATE
#else
#define HK_MAP_POPULATE 0
#endif

#include "base/alloc.h"
#include "base/span.h"

static int is_gzip(const uint8_t *p, size_t n)
{
    return n >= 18 && p[0] == 0x1f && p[1] == 0x8b;
}

hk_status file_errno_status(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        return HK_ERROR_FILE_NOT_FOUND;
    case EACCES:
    case EPERM:
        return HK_ERROR_ACCESS_DENIED;
    case ENOMEM:
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    default:
        return HK_ERROR_CANTREAD;
    }
}

/* How far a gzip file is inflated: a hive's base block declares its size
 * (4096 + the bins size at offset 40), so a tail past it plus the margin is
 * left unread; anything else up to the hive size limit. */
static size_t inflate_limit(const uint8_t *head, size_t n, uint64_t margin)
{
    if (n < 44 || memcmp(head, "regf", 4) != 0)
        return (size_t)HK_MAX_HIVE_SIZE;
    uint64_t limit = 4096u + (uint64_t)le32_unchecked(head + 40) + margin;
    return limit < HK_MAX_HIVE_SIZE ? (size_t)limit : (size_t)HK_MAX_HIVE_SIZE;
}

/* Whether the stream still holds output after *zs stopped at the cap: one
 * probe byte, with the next member of a concatenation counted too. */
static int more_output(z_stream *zs, const uint8_t *src, size_t n)
{
    uint8_t probe;
    zs->next_out = &probe;
    zs->avail_out = 1;
    int rc = inflate(zs, Z_NO_FLUSH);
    if (zs->avail_out == 0)
        return 1;
    if (rc != Z_STREAM_END)
        return rc == Z_OK || rc == Z_BUF_ERROR ? zs->avail_in > 0 : 1;
    size_t at = (size_t)((const uint8_t *)zs->next_in - src);
    return at < n && n - at >= 18 && src[at] == 0x1f;
}

/* Deflate expands at most ~1032:1, so the trailer's size hint is trusted only
 * up to that bound; the buffer still grows if the hint was low, up to the
 * limit the base block sets. */
static hk_status inflate_all(const uint8_t *src, size_t n, uint64_t margin, struct file_buf *out,
                             struct diag *d)
{
    if (margin == 0)
        margin = FILE_GZIP_MARGIN_DEFAULT;
    size_t hint = (size_t)le32_unchecked(src + n - 4);
    size_t bound = n > HK_MAX_HIVE_SIZE / 1032 ? (size_t)HK_MAX_HIVE_SIZE : n * 1032;
    size_t cap = 4096;
    size_t limit = 0; /* known once the first 4096 bytes are in */
    uint8_t *buf = hk_big_realloc(NULL, 0, cap);
    if (!buf)
        return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory to inflate %zu bytes", cap);

    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        hk_big_free(buf, cap);
        return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "zlib could not start");
    }
    size_t used = 0, in_off = 0;
    uint64_t unread = 0;
    hk_status st = HK_ERROR_SUCCESS;
    for (;;) {
        if (!limit && used >= 4096) {
            limit = inflate_limit(buf, used, margin);
            if (used > limit)
                used = limit;
        }
        if (limit && used == limit) {
            if (more_output(&zs, src, n))
                unread = n - in_off;
            break;
        }
        if (used == cap) {
            if (cap >= (size_t)HK_MAX_HIVE_SIZE) {
                st = HK_CORRUPT(d, DIAG_NO_CELL, "inflated file exceeds the 4 GiB hive limit");
                break;
            }
            size_t ncap = cap > (size_t)HK_MAX_HIVE_SIZE / 2 ? (size_t)HK_MAX_HIVE_SIZE : cap * 2;
            if (hint > ncap && hint <= bound)
                ncap = hint; /* the trailer's size, once: usually right */
            if (limit && ncap > limit)
                ncap = limit;
            uint8_t *nb = hk_big_realloc(buf, cap, ncap);
            if (!nb) {
                st = diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory to inflate %zu bytes", ncap);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t stop = limit ? limit : 4096;
        size_t in_left = n - in_off, out_left = (stop < cap ? stop : cap) - used;
        zs.next_in = (Bytef *)(uintptr_t)(src + in_off);
        zs.avail_in = in_left > UINT32_MAX ? UINT32_MAX : (uInt)in_left;
        zs.next_out = buf + used;
        zs.avail_out = out_left > UINT32_MAX ? UINT32_MAX : (uInt)out_left;
        uInt in_before = zs.avail_in, out_before = zs.avail_out;
        int rc = inflate(&zs, Z_NO_FLUSH);
        in_off += in_before - zs.avail_in;
        used += out_before - zs.avail_out;
        if (rc == Z_STREAM_END) {
            /* Concatenated members are legal gzip; go on with the next one. */
            if (in_off < n && n - in_off >= 18 && src[in_off] == 0x1f) {
                inflateReset(&zs);
                continue;
            }
            break;
        }
        if (rc == Z_BUF_ERROR && zs.avail_out != 0) {
            st = diag_set(d, HK_ERROR_CANTREAD, "gzip data ends early at compressed offset %zu", in_off);
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            st = diag_set(d, rc == Z_MEM_ERROR ? HK_ERROR_NOT_ENOUGH_MEMORY : HK_ERROR_CANTREAD,
                          "gzip data is corrupt at compressed offset %zu", in_off);
            break;
        }
    }
    inflateEnd(&zs);
    if (st == HK_ERROR_SUCCESS && hk_big_cap(used) != hk_big_cap(cap)) {
        uint8_t *nb = hk_big_realloc(buf, cap, used); /* freed by its size */
        if (nb) {
            buf = nb;
            cap = used;
        } else {
            st = diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory to inflate %zu bytes", used);
        }
    }
    if (st != HK_ERROR_SUCCESS) {
        hk_big_free(buf, cap);
        return st;
    }
    out->data = buf;
    out->size = used;
    out->mapped = FILE_BIG;
    out->gzip = 1;
    out->gzip_unread = unread;
    return HK_ERROR_SUCCESS;
}

/* Whether a copy of size bytes goes on huge pages (see file_load). */
static bool on_huge_pages(size_t size)
{
    return size >= FILE_READ_MIN && size <= FILE_READ_MAX && hk_big_huge();
}

hk_status file_from_memory(const void *data, size_t size, uint64_t gzip_margin,
                           struct file_buf *out, struct diag *d)
{
    if (!data && size)
        return diag_set(d, HK_ERROR_INVALID_PARAMETER, "no data");
    if (size > HK_MAX_HIVE_SIZE)
        return HK_CORRUPT(d, DIAG_NO_CELL, "%zu bytes exceed the 4 GiB hive limit", size);
    if (is_gzip(data, size))
        return inflate_all(data, size, gzip_margin, out, d);
    bool big = on_huge_pages(size);
    uint8_t *copy = big ? hk_big_reuse(size) : hk_alloc(size);
    if (!copy)
        return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for %zu bytes", size);
    if (size)
        memcpy(copy, data, size);
    memset(out, 0, sizeof *out);
    out->data = copy;
    out->size = size;
    out->mapped = big ? FILE_BIG : FILE_HEAP;
    return HK_ERROR_SUCCESS;
}

/* Reads from fd into buf until *used reaches cap or the file ends: 0, or
 * the errno of a failed read. */
static int fill(int fd, uint8_t *buf, size_t cap, size_t *used)
{
    while (*used < cap) {
        ssize_t got = read(fd, buf + *used, cap - *used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return errno;
        if (got == 0)
            break;
        *used += (size_t)got;
    }
    return 0;
}

static hk_status read_all(int fd, struct file_buf *out, struct diag *d, const char *path)
{
    size_t cap = 65536, used = 0;
    uint8_t *buf = hk_alloc(cap);
    if (!buf)
        return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory to read %s", path);
    for (;;) {
        if (used == cap) {
            if (cap >= (size_t)HK_MAX_HIVE_SIZE) {
                hk_dealloc(buf);
                return HK_CORRUPT(d, DIAG_NO_CELL, "%s exceeds the 4 GiB hive limit", path);
            }
            uint8_t *nb = hk_realloc(buf, cap * 2);
            if (!nb) {
                hk_dealloc(buf);
                return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory to read %s", path);
            }
            buf = nb;
            cap *= 2;
        }
        int e = fill(fd, buf, cap, &used);
        if (e) {
            hk_dealloc(buf);
            return diag_set(d, file_errno_status(e), "cannot read %s: %s", path, strerror(e));
        }
        if (used < cap)
            break;
    }
    out->data = buf;
    out->size = used;
    out->mapped = FILE_HEAP;
    return HK_ERROR_SUCCESS;
}

/* Reads the size bytes of a regular file (fd at its start) into buf, from
 * hk_big_reuse(size), taking it over. A file that shrank since it was sized
 * is read as far as it goes. Past the bytes read the buffer is zero. */
static hk_status read_big(int fd, uint8_t *buf, size_t size, struct file_buf *out, struct diag *d,
                          const char *path)
{
    size_t used = 0;
    int e = fill(fd, buf, size, &used);
    if (e) {
        hk_big_free(buf, size);
        return diag_set(d, file_errno_status(e), "cannot read %s: %s", path, strerror(e));
    }
    if (used < size) {
        memset(buf + used, 0, size - used); /* a reused buffer's old bytes */
        uint8_t *nb = hk_big_realloc(buf, size, used);
        if (!nb) {
            hk_big_free(buf, size);
            return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory to read %s", path);
        }
        buf = nb;
    }
    out->data = buf;
    out->size = used;
    out->mapped = FILE_BIG;
    return HK_ERROR_SUCCESS;
}

/* A regular file of size bytes (not 0): read into huge pages (see
 * file_load), else mapped, else read. */
static hk_status load_regular(int fd, size_t size, struct file_buf *out, struct diag *d,
                              const char *path)
{
    if (on_huge_pages(size)) {
        uint8_t *buf = hk_big_reuse(size);
        if (buf)
            return read_big(fd, buf, size, out, d, path);
        /* else the mapping, which needs no memory of its own */
    }
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE | HK_MAP_POPULATE, fd, 0);
    if (map == MAP_FAILED)
        return read_all(fd, out, d, path);
    out->data = map;
    out->size = size;
    out->mapped = FILE_MAPPED;
    return HK_ERROR_SUCCESS;
}

/* Replaces a plain buffer holding gzip bytes by its inflated contents. */
static hk_status inflate_in_place(struct file_buf *fb, uint64_t margin, struct diag *d)
{
    struct file_buf inflated;
    hk_status st = inflate_all(fb->data, fb->size, margin, &inflated, d);
    file_buf_free(fb);
    if (st == HK_ERROR_SUCCESS)
        *fb = inflated;
    return st;
}

hk_status file_load(const char *path, uint64_t gzip_margin, struct file_buf *out, struct diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return diag_set(d, file_errno_status(e), "cannot open %s: %s", path, strerror(e));
    }
    hk_status st = file_load_fd(fd, path, gzip_margin, out, d);
    close(fd);
    return st;
}

hk_status file_load_fd(int fd, const char *path, uint64_t gzip_margin, struct file_buf *out,
                       struct diag *d)
{
    struct stat stbuf;
    if (fstat(fd, &stbuf) != 0) {
        int e = errno;
        return diag_set(d, file_errno_status(e), "cannot stat %s: %s", path, strerror(e));
    }
    if (S_ISDIR(stbuf.st_mode))
        return diag_set(d, HK_ERROR_CANTOPEN, "%s is a directory", path);
    struct file_buf fb = {0};
    hk_status st = HK_ERROR_SUCCESS;
    if (S_ISREG(stbuf.st_mode) && (uint64_t)stbuf.st_size > HK_MAX_HIVE_SIZE) {
        st = HK_CORRUPT(d, DIAG_NO_CELL, "%s exceeds the 4 GiB hive limit", path);
    } else if (S_ISREG(stbuf.st_mode) && stbuf.st_size > 0) {
        st = load_regular(fd, (size_t)stbuf.st_size, &fb, d, path);
    } else {
        st = read_all(fd, &fb, d, path);
    }
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (is_gzip(fb.data, fb.size)) {
        st = inflate_in_place(&fb, gzip_margin, d);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    *out = fb;
    return HK_ERROR_SUCCESS;
}

void file_buf_free(struct file_buf *fb)
{
    if (!fb || !fb->data)
        return;
    if (fb->mapped == FILE_MAPPED)
        munmap(fb->data, fb->size);
    else if (fb->mapped == FILE_BIG)
        hk_big_free(fb->data, fb->size);
    else
        hk_dealloc(fb->data);
    fb->data = NULL;
    fb->size = 0;
    fb->mapped = FILE_HEAP;
}

/* Opens path for reading and stats it; a directory is CANTOPEN. */
static hk_status open_file(const char *path, int *fd_out, struct stat *stbuf, struct diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return diag_set(d, file_errno_status(e), "cannot open %s: %s", path, strerror(e));
    }
    if (fstat(fd, stbuf) != 0) {
        int e = errno;
        close(fd);
        return diag_set(d, file_errno_status(e), "cannot stat %s: %s", path, strerror(e));
    }
    if (S_ISDIR(stbuf->st_mode)) {
        close(fd);
        return diag_set(d, HK_ERROR_CANTOPEN, "%s is a directory", path);
    }
    *fd_out = fd;
    return HK_ERROR_SUCCESS;
}

hk_status file_reader_open(const char *path, struct file_reader *out, struct diag *d)
{
    int fd = -1;
    struct stat stbuf;
    hk_status st = open_file(path, &fd, &stbuf, d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    off_t end = S_ISREG(stbuf.st_mode) ? stbuf.st_size : lseek(fd, 0, SEEK_END);
    if (end < 0) {
        int e = errno;
        close(fd);
        return diag_set(d, file_errno_status(e), "cannot size %s: %s", path, strerror(e));
    }
#if defined(POSIX_FADV_SEQUENTIAL)
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    out->fd = fd;
    out->size = (uint64_t)end;
    return HK_ERROR_SUCCESS;
}

hk_status file_reader_pread(const struct file_reader *r, uint64_t off, void *buf, size_t len,
                            size_t *got, struct diag *d)
{
    size_t used = 0;
    while (used < len && off + used < r->size) {
        ssize_t n = pread(r->fd, (uint8_t *)buf + used, len - used, (off_t)(off + used));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            *got = used;
            return diag_set(d, HK_ERROR_CANTREAD, "cannot read at offset %llu: %s",
                            (unsigned long long)(off + used), strerror(e));
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    *got = used;
    return HK_ERROR_SUCCESS;
}

void file_reader_close(struct file_reader *r)
{
    if (r && r->fd >= 0)
        close(r->fd);
    if (r)
        r->fd = -1;
}
