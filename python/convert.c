/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Strings across the boundary, and winreg's value conversions (CPython's
 * Reg2Py / Py2Reg rules, winreg-reference.md §1.3-1.4) done on the stored
 * UTF-16 directly, as CPython does on Windows. */
#include "ext.h"

#include <string.h>

int hkp_utf8(PyObject *s, const char **out, Py_ssize_t *len, PyObject **keep, int none_ok,
             const char *what)
{
    *keep = NULL;
    *out = NULL;
    if (len)
        *len = 0;
    if (s == Py_None && none_ok)
        return 0;
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "%s must be str%s, not %.50s", what,
                     none_ok ? " or None" : "", Py_TYPE(s)->tp_name);
        return -1;
    }
    Py_ssize_t n;
    const char *p = PyUnicode_AsUTF8AndSize(s, &n);
    if (!p) {
        /* Lone surrogates (a name stored as invalid UTF-16): WTF-8. */
        PyErr_Clear();
        *keep = PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass");
        if (!*keep)
            return -1;
        p = PyBytes_AS_STRING(*keep);
        n = PyBytes_GET_SIZE(*keep);
    }
    if ((size_t)n != strlen(p)) {
        Py_CLEAR(*keep);
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return -1;
    }
    *out = p;
    if (len)
        *len = n;
    return 0;
}

static int is_ascii(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080u)
            return 0;
    }
    for (; i < len; i++) {
        if ((unsigned char)s[i] & 0x80)
            return 0;
    }
    return 1;
}

PyObject *hkp_str(const char *s, size_t len)
{
    /* ASCII, as most names and paths are: copied, without the decoder's
     * set-up (a walk makes a few of these per key). */
    if (len > 1 && is_ascii(s, len)) {
        PyObject *u = PyUnicode_New((Py_ssize_t)len, 127);
        if (u)
            memcpy(PyUnicode_1BYTE_DATA(u), s, len);
        return u;
    }
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "surrogatepass");
}

static PyObject *utf16(const uint8_t *p, size_t units)
{
    int order = -1; /* little-endian */
    return PyUnicode_DecodeUTF16((const char *)p, (Py_ssize_t)(2 * units), "surrogatepass",
                                 &order);
}

static int is_nul(const uint8_t *p, size_t unit)
{
    return p[2 * unit] == 0 && p[2 * unit + 1] == 0;
}

static uint64_t little_endian(const uint8_t *p, size_t size, size_t width)
{
    uint64_t v = 0;
    size_t n = size < width ? size : width; /* short data zero-extended */
    for (size_t i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static PyObject *multi_sz(const uint8_t *p, size_t units)
{
    /* One final NUL ends the list; each item ends at a NUL; a last item
     * without one still counts. "a\0b\0\0" -> [a, b]; "\0" -> []; "\0\0" -> [""]. */
    if (units > 0 && is_nul(p, units - 1))
        units--;
    PyObject *list = PyList_New(0);
    size_t start = 0;
    for (size_t i = 0; list && i <= units; i++) {
        if (i < units ? !is_nul(p, i) : start == units)
            continue;
        PyObject *item = utf16(p + 2 * start, i - start);
        if (!item || PyList_Append(list, item) < 0)
            Py_CLEAR(list);
        Py_XDECREF(item);
        start = i + 1;
    }
    return list;
}

PyObject *hkp_reg2py(const void *data, size_t size, uint32_t type)
{
    const uint8_t *p = data;
    switch (type) {
    case HK_REG_DWORD:
        return PyLong_FromUnsignedLongLong(little_endian(p, size, 4));
    case HK_REG_QWORD:
        return PyLong_FromUnsignedLongLong(little_endian(p, size, 8));
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ: {
        size_t units = size / 2, n = 0; /* an odd last byte is dropped */
        while (n < units && !is_nul(p, n))
            n++;
        return utf16(p, n);
    }
    case HK_REG_MULTI_SZ:
        return multi_sz(p, size / 2);
    default:
        if (size == 0)
            Py_RETURN_NONE;
        return PyBytes_FromStringAndSize(data, (Py_ssize_t)size);
    }
}

/* ---- Python -> registry ------------------------------------------------- */

static int copy_out(const void *src, size_t n, void **data, size_t *size)
{
    *data = PyMem_Malloc(n ? n : 1);
    if (!*data) {
        PyErr_NoMemory();
        return -1;
    }
    if (n)
        memcpy(*data, src, n);
    *size = n;
    return 0;
}

static PyObject *utf16_bytes(PyObject *s)
{
    return PyUnicode_AsEncodedString(s, "utf-16-le", "surrogatepass");
}

static int number(PyObject *value, uint32_t type, void **data, size_t *size)
{
    unsigned long long v = 0;
    if (value != Py_None) {
        v = PyLong_AsUnsignedLongLong(value);
        if (v == (unsigned long long)-1 && PyErr_Occurred())
            return -1;
        if (type == HK_REG_DWORD && v > 0xFFFFFFFFull) {
            PyErr_SetString(PyExc_OverflowError,
                            "Python int too large to convert to C unsigned long");
            return -1;
        }
    }
    uint8_t b[8];
    size_t n = type == HK_REG_DWORD ? 4 : 8;
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return copy_out(b, n, data, size);
}

/* 0: converted; 1: the value does not fit the type (ValueError follows);
 * -1: an exception is set. */
static int convert(PyObject *value, uint32_t type, void **data, size_t *size)
{
    switch (type) {
    case HK_REG_DWORD:
    case HK_REG_QWORD:
        if (value != Py_None && !PyLong_Check(value))
            return 1;
        return number(value, type, data, size);
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ: {
        if (value == Py_None)
            return copy_out("\0", 2, data, size);
        if (!PyUnicode_Check(value))
            return 1;
        PyObject *b = utf16_bytes(value);
        if (!b)
            return -1;
        /* the text and a NUL unit (read only the text's n bytes) */
        size_t n = (size_t)PyBytes_GET_SIZE(b);
        static const char zeros[2] = {0, 0};
        int rc = copy_out(PyBytes_AS_STRING(b), n, data, size);
        if (rc == 0) {
            char *grown = PyMem_Realloc(*data, n + 2);
            if (!grown) {
                PyMem_Free(*data);
                *data = NULL;
                PyErr_NoMemory();
                rc = -1;
            } else {
                memcpy(grown + n, zeros, 2);
                *data = grown;
                *size = n + 2;
            }
        }
        Py_DECREF(b);
        return rc;
    }
    case HK_REG_MULTI_SZ: {
        if (value == Py_None)
            return copy_out("\0", 2, data, size);
        if (!PyList_Check(value))
            return 1;
        PyObject *parts = PyList_New(0);
        PyObject *nul = PyBytes_FromStringAndSize("\0", 2);
        int rc = parts && nul ? 0 : -1;
        for (Py_ssize_t i = 0; rc == 0 && i < PyList_GET_SIZE(value); i++) {
            PyObject *item = PyList_GET_ITEM(value, i);
            if (!PyUnicode_Check(item)) {
                rc = 1;
                break;
            }
            PyObject *b = utf16_bytes(item);
            if (!b || PyList_Append(parts, b) < 0 || PyList_Append(parts, nul) < 0)
                rc = -1;
            Py_XDECREF(b);
        }
        if (rc == 0 && PyList_Append(parts, nul) < 0)
            rc = -1;
        PyObject *joined = NULL;
        if (rc == 0) {
            PyObject *empty = PyBytes_FromStringAndSize(NULL, 0);
            joined = empty ? _PyBytes_Join(empty, parts) : NULL;
            Py_XDECREF(empty);
            rc = joined ? copy_out(PyBytes_AS_STRING(joined),
                                   (size_t)PyBytes_GET_SIZE(joined), data, size)
                        : -1;
        }
        Py_XDECREF(joined);
        Py_XDECREF(parts);
        Py_XDECREF(nul);
        return rc;
    }
    default: {
        if (value == Py_None)
            return copy_out(NULL, 0, data, size);
        if (!PyObject_CheckBuffer(value)) {
            PyErr_Format(PyExc_TypeError,
                         "Objects of type '%s' can not be used as binary registry values",
                         Py_TYPE(value)->tp_name);
            return -1;
        }
        Py_buffer view;
        if (PyObject_GetBuffer(value, &view, PyBUF_SIMPLE) < 0)
            return -1;
        int rc = copy_out(view.buf, (size_t)view.len, data, size);
        PyBuffer_Release(&view);
        return rc;
    }
    }
}

int hkp_py2reg(PyObject *value, uint32_t type, void **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    int rc = convert(value, type, data, size);
    if (rc == 1)
        PyErr_SetString(PyExc_ValueError, "Could not convert the data to the specified type.");
    return rc == 0 ? 0 : -1;
}

/* ---- buffers ------------------------------------------------------------- */

int hkp_buf_reserve(struct hkp_buf *b, size_t n)
{
    if (b->len + n <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    char *p = PyMem_RawRealloc(b->p, cap);
    if (!p)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

hk_status hkp_read_sized(hkp_sized *b, hkp_read_fn read, void *ctx)
{
    b->p = b->small;
    b->size = sizeof b->small;
    hk_status st;
    HKP_NOGIL(st, read(ctx, b->p, &b->size));
    /* A few rounds: what is read may grow between calls. */
    for (int tries = 0; st == HK_ERROR_MORE_DATA && tries < 3; tries++) {
        char *big = PyMem_Realloc(b->p == b->small ? NULL : b->p, b->size);
        if (!big)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        b->p = big;
        HKP_NOGIL(st, read(ctx, b->p, &b->size));
    }
    return st;
}

void hkp_sized_free(hkp_sized *b)
{
    if (b->p != b->small)
        PyMem_Free(b->p);
    b->p = b->small;
}
