/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* _jsonl: Hive.export("jsonl") and the batch's export parts. The lines are
 * the library's (hk_export, HK_FORMAT_JSONL, salvaging as the CLI's
 * --salvage does), so they are the CLI's byte for byte; here each one only
 * gets the extra fields (suffix) before its closing "}", and goes to a
 * buffer (bytes) or to a file descriptor FLUSH_AT bytes at a time. One call
 * holds the hive's lock with the GIL released for the whole export. */
#include "ext.h"

#include <errno.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#define write(fd, p, n) _write(fd, p, (unsigned)(n))
#else
#include <unistd.h>
#endif

/* The lines go to a file descriptor in writes of up to this many bytes
 * (more only for a longer line): a buffer small enough that malloc takes it
 * from its heap. A bigger one is mmapped and unmapped at each call where
 * the trim threshold is set (Dask's workers set MALLOC_TRIM_THRESHOLD_),
 * and faulting its pages in again cost more than the export's writes. */
enum { FLUSH_AT = 64 << 10 };

struct sink {
    struct hkp_buf out;  /* the lines made and not yet written */
    struct hkp_buf part; /* the start of a line the next bytes end */
    const char *suffix;
    size_t suffix_len;
    int fd;   /* >= 0: the lines are written there */
    int nomem;
    int werr; /* the errno of a failed write */
    size_t lines;
};

static int flush(struct sink *s);

static int add(struct sink *s, struct hkp_buf *b, const char *p, size_t n)
{
    if (b == &s->out && s->fd >= 0 && b->len && b->len + n > FLUSH_AT && flush(s) < 0)
        return -1;
    if (s->nomem || hkp_buf_reserve(b, n) < 0) {
        s->nomem = 1;
        return -1;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return 0;
}

/* One whole line ("}\n" ended) with the suffix before its "}". */
static int line(struct sink *s, const char *p, size_t n)
{
    s->lines++;
    if (n < 2 || p[n - 2] != '}')
        return add(s, &s->out, p, n);
    if (add(s, &s->out, p, n - 2) < 0 || add(s, &s->out, s->suffix, s->suffix_len) < 0)
        return -1;
    return add(s, &s->out, "}\n", 2);
}

/* Writes the lines made to s->fd and empties s->out: 0, or -1 with
 * s->werr set. */
static int flush(struct sink *s)
{
    size_t done = 0;
    while (!s->werr && done < s->out.len) {
        size_t n = s->out.len - done;
        long w = (long)write(s->fd, s->out.p + done, n > (1u << 30) ? (1u << 30) : n);
        if (w > 0)
            done += (size_t)w;
        else if (w == 0 || errno != EINTR)
            s->werr = w == 0 ? EIO : errno;
    }
    s->out.len = 0;
    return s->werr ? -1 : 0;
}

/* hk_write_fn: bytes of whole lines or of parts of them. */
static int take(const void *data, size_t size, void *ctx)
{
    struct sink *s = ctx;
    const char *p = data, *end = p + size;
    if (!s->suffix_len) { /* the lines as they are: count them only */
        if (add(s, &s->out, p, size) < 0)
            return -1;
        for (const char *nl; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1)
            s->lines++;
        p = end;
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
        int rc;
        if (!nl || s->part.len) {
            rc = add(s, &s->part, p, n);
            if (rc == 0 && nl) {
                rc = line(s, s->part.p, s->part.len);
                s->part.len = 0;
            }
        } else {
            rc = line(s, p, n);
        }
        if (rc < 0)
            return -1;
        p += n;
    }
    return 0;
}

/* Without the GIL, the hive's lock held: the whole export into s. */
static hk_status export(hk_hive *hive, int salvage, struct sink *s, char *detail, size_t size)
{
    hk_key *root = NULL;
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_JSONL;
    o.flags = salvage ? HK_EXPORT_SALVAGE : 0;
    hk_status st = hk_hive_root(hive, &root);
    if (st == HK_ERROR_SUCCESS)
        st = hk_export(root, &o, take, s);
    if (st == HK_ERROR_SUCCESS && s->part.len && add(s, &s->out, s->part.p, s->part.len) < 0)
        st = HK_ERROR_NOT_ENOUGH_MEMORY;
    if (st == HK_ERROR_SUCCESS && s->fd >= 0 && flush(s) < 0)
        st = HK_ERROR_CANCELLED;
    if (st == HK_ERROR_CANCELLED && s->nomem)
        st = HK_ERROR_NOT_ENOUGH_MEMORY;
    snprintf(detail, size, "%s", st == HK_ERROR_SUCCESS ? "" : hk_errmsg());
    if (root)
        hk_close_key(root);
    return st;
}

/* _jsonl(core, salvage, suffix, fd=-1) -> bytes, or the number of lines
 * when they go to the file descriptor fd: the lines of `hivekit export
 * --format jsonl` (--salvage when salvage), each with the bytes of suffix
 * (extra fields) before its "}". */
PyObject *hkp_jsonl_fn(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *core;
    int salvage, fd = -1;
    const char *suffix;
    Py_ssize_t suffix_len;
    if (!PyArg_ParseTuple(args, "Opy#|i:_jsonl", &core, &salvage, &suffix, &suffix_len, &fd))
        return NULL;
    hkp_lock *lock;
    if (!hkp_hive_get(core, &lock))
        return NULL;
    hkp_lock_ref(lock);
    hkp_lock_acquire(lock);
    /* again: another thread may have closed the hive while this one waited */
    hk_hive *hive = hkp_hive_get(core, &lock);
    struct sink s;
    memset(&s, 0, sizeof s);
    s.suffix = suffix;
    s.suffix_len = (size_t)suffix_len;
    s.fd = fd;
    if (fd >= 0 && hkp_buf_reserve(&s.out, FLUSH_AT) < 0)
        s.nomem = 1; /* the export's first line fails on it */
    char detail[512] = "";
    hk_status st = HK_ERROR_SUCCESS;
    if (hive) {
        Py_BEGIN_ALLOW_THREADS
        st = export(hive, salvage, &s, detail, sizeof detail);
        Py_END_ALLOW_THREADS
    }
    hkp_lock_release(lock);
    hkp_lock_unref(lock);
    PyObject *res = NULL;
    if (!hive) {
        /* ValueError set by hkp_hive_get */
    } else if (st == HK_ERROR_CANCELLED && s.werr) {
        errno = s.werr;
        PyErr_SetFromErrno(PyExc_OSError);
    } else if (st != HK_ERROR_SUCCESS) {
        hkp_raise(st, detail);
    } else if (fd >= 0) {
        res = PyLong_FromSize_t(s.lines);
    } else {
        res = PyBytes_FromStringAndSize(s.out.p ? s.out.p : "", (Py_ssize_t)s.out.len);
    }
    PyMem_RawFree(s.out.p);
    PyMem_RawFree(s.part.p);
    return res;
}
