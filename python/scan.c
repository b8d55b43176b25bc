/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole-hive scans and text for hivekit.Hive: the deleted scan and the
 * check (callbacks take the GIL back for each record), hk_export and
 * hk_import_reg. The hive's lock is held throughout. */
#include "ext.h"

#include <stdlib.h>
#include <string.h>


#define NOGIL(expr) HKP_NOGIL(st, expr)

/* ---- the deleted scan and the check ---------------------------------------------- */

struct scan {
    PyObject *out;
    PyThreadState *save; /* the GIL is taken back inside each callback */
    int failed;
};

/* d[name] = v, v dropped; NULL v fails. */
static int put_str_key(PyObject *d, const char *name, PyObject *v)
{
    if (!v)
        return -1;
    int rc = PyDict_SetItemString(d, name, v);
    Py_DECREF(v);
    return rc;
}

/* "complete", then "missing", "orphan" and "copies" where they apply, in
 * the CLI's order. */
static int put_completeness(PyObject *d, const hk_deleted_record *r)
{
    int rc = put_str_key(d, "complete", PyBool_FromLong(r->missing == 0));
    if (rc == 0 && r->missing) {
        PyObject *list = PyList_New(0);
        for (uint32_t bit = 1; list && bit <= HK_DELETED_MISSING_VALUES; bit <<= 1) {
            if (!(r->missing & bit))
                continue;
            PyObject *name = PyUnicode_FromString(hk_deleted_missing_name(bit));
            if (!name || PyList_Append(list, name) < 0)
                Py_CLEAR(list);
            Py_XDECREF(name);
        }
        rc = put_str_key(d, "missing", list);
    }
    if (rc == 0 && r->orphan)
        rc = put_str_key(d, "orphan", Py_NewRef(Py_True));
    if (rc == 0 && r->copies > 1)
        rc = put_str_key(d, "copies", PyLong_FromUnsignedLong(r->copies));
    return rc;
}

static PyObject *deleted_record(const hk_deleted_record *r)
{
    int key = r->kind == HK_DELETED_KEY;
    PyObject *d = PyDict_New();
    if (!d)
        return NULL;
    int rc = hkp_put(d, K_TYPE, Py_NewRef(key ? hkp_keys[K_KEY] : hkp_keys[K_VALUE])) |
             hkp_put(d, K_PATH, hkp_str(r->path, r->path_len)) |
             hkp_put(d, K_NAME, hkp_str(r->name, r->name_len)) |
             hkp_put(d, K_OFFSET, PyLong_FromUnsignedLong(r->offset)) |
             hkp_put(d, K_WHERE, PyUnicode_FromString(hk_deleted_where_name(r->where))) |
             hkp_put(d, K_PATH_COMPLETE, PyBool_FromLong(r->path_complete));
    if (rc == 0 && key) {
        rc = hkp_put(d, K_LAST_WRITE, PyLong_FromUnsignedLongLong(r->last_write)) |
             hkp_put(d, K_LAST_WRITE_UTC, hkp_filetime_iso(r->last_write)) |
             hkp_put(d, K_SUBKEYS, PyLong_FromUnsignedLong(r->subkey_count)) |
             hkp_put(d, K_VALUES, PyLong_FromUnsignedLong(r->value_count));
    } else if (rc == 0) {
        rc = hkp_put(d, K_REG_TYPE, PyLong_FromUnsignedLong(r->reg_type)) |
             hkp_put(d, K_TYPE_NAME, hkp_type_name(r->reg_type)) |
             hkp_put(d, K_SIZE, PyLong_FromUnsignedLong(r->data_size)) |
             hkp_put(d, K_DATA_STATE, PyUnicode_FromString(hk_deleted_data_state_name(r->data_state))) |
             hkp_put(d, K_DATA_HEX, r->data ? hkp_hex(r->data, r->data_size) : Py_NewRef(Py_None));
    }
    if (rc == 0)
        rc = put_completeness(d, r);
    if (rc < 0)
        Py_CLEAR(d);
    return d;
}

static int on_deleted(const hk_deleted_record *r, void *ctx)
{
    struct scan *s = ctx;
    PyEval_RestoreThread(s->save);
    PyObject *d = deleted_record(r);
    if (!d || PyList_Append(s->out, d) < 0)
        s->failed = 1;
    Py_XDECREF(d);
    s->save = PyEval_SaveThread();
    return s->failed;
}

static int on_finding(const hk_check_finding *f, void *ctx)
{
    struct scan *s = ctx;
    PyEval_RestoreThread(s->save);
    PyObject *d = Py_BuildValue("{s:s,s:K,s:s,s:s}", "severity",
                                f->severity == HK_CHECK_ERROR ? "error" : "warning",
                                "file_offset", (unsigned long long)f->file_offset, "rule", f->rule,
                                "message", f->message);
    if (!d || PyList_Append(s->out, d) < 0)
        s->failed = 1;
    Py_XDECREF(d);
    s->save = PyEval_SaveThread();
    return s->failed;
}

/* _deleted(core) -> list; _check(core) -> (findings, errors, warnings) */
static PyObject *scan_fn(PyObject *core, int check)
{
    if (hkp_intern_keys() < 0)
        return NULL;
    hkp_lock *lock;
    hk_hive *hive = hkp_hive_get(core, &lock);
    if (!hive)
        return NULL;
    struct scan s = {PyList_New(0), NULL, 0};
    if (!s.out)
        return NULL;
    hk_check_counts counts = HK_CHECK_COUNTS_INIT;
    hkp_lock_ref(lock);
    hkp_lock_acquire(lock);
    s.save = PyEval_SaveThread();
    hk_status st = check ? hk_hive_check(hive, on_finding, &s, &counts)
                         : hk_deleted_scan(hive, on_deleted, &s);
    char detail[512];
    snprintf(detail, sizeof detail, "%s", hk_errmsg());
    PyEval_RestoreThread(s.save);
    hkp_lock_release(lock);
    hkp_lock_unref(lock);
    if (s.failed) {
        Py_DECREF(s.out);
        return NULL;
    }
    if (st != HK_ERROR_SUCCESS) {
        Py_DECREF(s.out);
        return hkp_raise(st, detail);
    }
    if (!check)
        return s.out;
    return Py_BuildValue("(Nkk)", s.out, (unsigned long)counts.errors,
                         (unsigned long)counts.warnings);
}

static PyObject *deleted_fn(PyObject *module, PyObject *core)
{
    (void)module;
    return scan_fn(core, 0);
}

static PyObject *check_fn(PyObject *module, PyObject *core)
{
    (void)module;
    return scan_fn(core, 1);
}

/* ---- hk_export ------------------------------------------------------------------ */

static int write_buf(const void *data, size_t size, void *ctx)
{
    struct hkp_buf *b = ctx;
    if (b->len + size > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + size)
            cap *= 2;
        char *p = realloc(b->p, cap); /* without the GIL: the C allocator */
        if (!p)
            return 1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, size);
    b->len += size;
    return 0;
}

/* _export(key, format, encoding=0, prefix=None) -> bytes */
static PyObject *export_fn(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *key_ob;
    unsigned int format, encoding = 0;
    const char *prefix = NULL;
    if (!PyArg_ParseTuple(args, "OI|Iz:_export", &key_ob, &format, &encoding, &prefix))
        return NULL;
    hkp_ref ref;
    if (hkp_ref_get(key_ob, &ref, 0) < 0 || hkp_ref_enter(&ref) < 0)
        return NULL;
    char errmsg[512];
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = format;
    o.encoding = encoding;
    o.prefix = prefix;
    struct hkp_buf b = {NULL, 0, 0};
    hk_status st;
    NOGIL(hk_export(ref.key, &o, write_buf, &b));
    snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg());
    hkp_ref_leave(&ref);
    if (st == HK_ERROR_CANCELLED)
        st = HK_ERROR_NOT_ENOUGH_MEMORY; /* write_buf stops only when it cannot grow */
    PyObject *res = st == HK_ERROR_SUCCESS ? PyBytes_FromStringAndSize(b.p ? b.p : "", (Py_ssize_t)b.len)
                                           : hkp_raise(st, errmsg);
    free(b.p);
    return res;
}

/* _import_reg(key, text, prefix=None): applies .reg text below key. */
static PyObject *import_fn(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *key_ob;
    Py_buffer text;
    const char *prefix = NULL;
    if (!PyArg_ParseTuple(args, "Oy*|z:_import_reg", &key_ob, &text, &prefix))
        return NULL;
    hkp_ref ref;
    if (hkp_ref_get(key_ob, &ref, 0) < 0 || hkp_ref_enter(&ref) < 0) {
        PyBuffer_Release(&text);
        return NULL;
    }
    char errmsg[512];
    hk_import_options o = HK_IMPORT_OPTIONS_INIT;
    o.prefix = prefix;
    hk_status st;
    NOGIL(hk_import_reg(ref.key, text.buf, (size_t)text.len, &o));
    snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg());
    hkp_ref_leave(&ref);
    PyBuffer_Release(&text);
    if (st != HK_ERROR_SUCCESS)
        return hkp_raise(st, errmsg);
    Py_RETURN_NONE;
}

PyMethodDef hkp_scan_methods[] = {
    {"_import_reg", import_fn, METH_VARARGS, NULL},
    {"_deleted", deleted_fn, METH_O, NULL},
    {"_check", check_fn, METH_O, NULL},
    {"_export", export_fn, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};
