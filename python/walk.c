/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hive.walk(): every key and value as records of the jsonl schema of
 * `hivekit export --format jsonl`, in its order (a key, its values, its
 * subkeys) and with its salvage rule; keys_only gives the keys as
 * `hivekit timeline` walks them. An iterator with its own stack hands out
 * one key's records per step, so a walk holds one key's records at a time.
 * Each step holds the hive's lock; the GIL is released around each library
 * call. */
#include "ext.h"

#include <string.h>

#define NOGIL(expr) HKP_NOGIL(st, expr)

struct frame {
    hk_key *key;
    uint32_t next, subkeys;
    size_t mark;    /* the path's length before this key's name */
    char last[256]; /* salvage: the last failure; the same one twice ends the list */
};

typedef struct {
    PyObject_HEAD
    PyObject *core; /* the HiveCore, kept alive */
    hk_hive *hive;
    hkp_lock *lock;
    int salvage, keys_only, started, done;
    struct frame *stack;
    unsigned depth, cap;
    struct hkp_buf path, name, data;
    PyObject *warnings;
} walk_iter;

static PyTypeObject walk_type;

/* Light records: the fields the jsonl line is made of, computed ones
 * (type_name, data_hex, data, last_write_utc) left to hivekit.records. */
static PyStructSequence_Field key_fields[] = {
    {"type", "\"key\""}, {"path", "the key's path below the root (\"\" the root)"},
    {"name", NULL}, {"last_write", "FILETIME"}, {"subkeys", NULL}, {"values", NULL},
    {"class_name", "the class name, None if none"}, {NULL, NULL}};
static PyStructSequence_Field value_fields[] = {
    {"type", "\"value\""}, {"path", "the key's path"}, {"name", "\"\" the default value"},
    {"reg_type", NULL}, {"size", NULL}, {"raw", "the stored bytes"}, {NULL, NULL}};
static PyStructSequence_Desc key_desc = {"hivekit.KeyRecord", "A key of Hive.walk().",
                                         key_fields, 7};
static PyStructSequence_Desc value_desc = {"hivekit.ValueRecord", "A value of Hive.walk().",
                                           value_fields, 6};
static PyTypeObject key_record_type, value_record_type;

static hk_status name_of(walk_iter *w, hk_key *key)
{
    hk_status st = HK_ERROR_MORE_DATA;
    for (int tries = 0; tries < 4 && st == HK_ERROR_MORE_DATA; tries++) {
        size_t size = w->name.cap;
        NOGIL(hk_key_name(key, w->name.p, &size));
        if (st == HK_ERROR_SUCCESS)
            w->name.len = size;
        else if (st == HK_ERROR_MORE_DATA && hkp_buf_reserve(&w->name, size) < 0)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    return st;
}

/* One value record; -1 on a Python error, else 0 with *stp the status. */
static int add_value(walk_iter *w, hk_key *key, uint32_t index, PyObject *path,
                     PyObject *batch, hk_status *stp)
{
    uint32_t type = 0;
    hk_status st;
    size_t ns, ds;
    for (int tries = 0;; tries++) {
        ns = w->name.cap;
        ds = w->data.cap;
        NOGIL(hk_enum_value(key, index, w->name.p, &ns, &type, w->data.p, &ds));
        if (st != HK_ERROR_MORE_DATA || tries == 3)
            break;
        if (hkp_buf_reserve(&w->name, ns) < 0 || hkp_buf_reserve(&w->data, ds) < 0)
            return -1;
    }
    *stp = st;
    if (st != HK_ERROR_SUCCESS)
        return 0;
    PyObject *r = PyStructSequence_New(&value_record_type);
    if (!r)
        return -1;
    PyObject *name = hkp_str(w->name.p, ns);
    PyObject *data = PyBytes_FromStringAndSize(w->data.p, (Py_ssize_t)ds);
    PyObject *type_ob = PyLong_FromUnsignedLong(type), *size_ob = PyLong_FromSize_t(ds);
    PyStructSequence_SET_ITEM(r, 0, Py_NewRef(hkp_keys[K_VALUE]));
    PyStructSequence_SET_ITEM(r, 1, Py_NewRef(path));
    PyStructSequence_SET_ITEM(r, 2, name);
    PyStructSequence_SET_ITEM(r, 3, type_ob);
    PyStructSequence_SET_ITEM(r, 4, size_ob);
    PyStructSequence_SET_ITEM(r, 5, data);
    int rc = name && data && type_ob && size_ob ? PyList_Append(batch, r) : -1;
    Py_DECREF(r);
    return rc;
}

/* The key's record and (unless keys_only) its values into batch; the key's
 * name is in w->name and its path in w->path. */
static int emit(walk_iter *w, hk_key *key, PyObject *batch, uint32_t *subkeys, hk_status *stp)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st;
    size_t cls_size = 0;
    if (w->keys_only) {
        NOGIL(hk_query_info_key(key, NULL, NULL, &ki));
    } else {
        /* With the class name (max_class_len is the subkeys' longest, not
         * the key's own). */
        for (int tries = 0;; tries++) {
            cls_size = w->data.cap;
            NOGIL(hk_query_info_key(key, w->data.p, &cls_size, &ki));
            if (st != HK_ERROR_MORE_DATA || tries == 3)
                break;
            if (hkp_buf_reserve(&w->data, cls_size) < 0)
                return -1;
        }
        if (st != HK_ERROR_SUCCESS)
            cls_size = 0;
    }
    *stp = st;
    if (st != HK_ERROR_SUCCESS)
        return 0;
    *subkeys = ki.subkeys;
    PyObject *path = hkp_str(w->path.p ? w->path.p : "", w->path.len);
    PyObject *r = path ? PyStructSequence_New(&key_record_type) : NULL;
    int rc = r ? 0 : -1;
    if (rc == 0) {
        PyObject *items[] = {
            Py_NewRef(hkp_keys[K_KEY]), Py_NewRef(path), hkp_str(w->name.p, w->name.len),
            PyLong_FromUnsignedLongLong(ki.last_write), PyLong_FromUnsignedLong(ki.subkeys),
            PyLong_FromUnsignedLong(ki.values),
            cls_size > 0 ? hkp_str(w->data.p, cls_size) : Py_NewRef(Py_None)};
        for (Py_ssize_t i = 0; i < 7; i++) {
            if (!items[i])
                rc = -1;
            PyStructSequence_SET_ITEM(r, i, items[i]);
        }
        if (rc == 0)
            rc = PyList_Append(batch, r);
    }
    Py_XDECREF(r);
    for (uint32_t i = 0; rc == 0 && !w->keys_only && i < ki.values && *stp == HK_ERROR_SUCCESS; i++)
        rc = add_value(w, key, i, path, batch, stp);
    Py_XDECREF(path);
    return rc;
}

static int push(walk_iter *w, hk_key *key, uint32_t subkeys, size_t mark)
{
    if (w->depth == w->cap) {
        unsigned cap = w->cap ? 2 * w->cap : 32;
        struct frame *s = PyMem_Realloc(w->stack, cap * sizeof *s);
        if (!s) {
            PyErr_NoMemory();
            return -1;
        }
        w->stack = s;
        w->cap = cap;
    }
    struct frame *f = &w->stack[w->depth++];
    f->key = key;
    f->next = 0;
    f->subkeys = subkeys;
    f->mark = mark;
    f->last[0] = '\0';
    return 0;
}

static void pop(walk_iter *w)
{
    struct frame *f = &w->stack[--w->depth];
    hk_close_key(f->key);
    w->path.len = f->mark;
}

static void finish(walk_iter *w)
{
    while (w->depth > 0)
        pop(w);
    w->done = 1;
}

/* Records the salvage skip of subkey i of the top key; 0 when the same
 * failure repeats (that key's list ends), 1 to go on, -1 on error. */
static int skip(walk_iter *w, uint32_t i, hk_status st)
{
    struct frame *f = &w->stack[w->depth - 1];
    const char *detail = hk_hive_errmsg(w->hive);
    if (st != HK_ERROR_BADDB || !detail[0])
        detail = hk_strerror(st);
    if (strncmp(detail, f->last, sizeof f->last - 1) == 0)
        return 0;
    snprintf(f->last, sizeof f->last, "%s", detail);
    PyObject *where = hkp_str(w->path.p ? w->path.p : "", w->path.len);
    PyObject *msg = where ? PyUnicode_FromFormat("skipped subkey %u of \"%U\": %s", (unsigned)i,
                                                 where, detail)
                          : NULL;
    Py_XDECREF(where);
    int rc = msg ? PyList_Append(w->warnings, msg) : -1;
    Py_XDECREF(msg);
    return rc < 0 ? -1 : 1;
}

/* One step: the next key's records (or nothing, when a key's list ended).
 * 0 with *stp set, or -1 on a Python error. */
static int step(walk_iter *w, PyObject *batch, hk_status *stp)
{
    hk_status st;
    uint32_t subkeys = 0;
    if (!w->started) {
        w->started = 1;
        hk_key *root;
        NOGIL(hk_hive_root(w->hive, &root));
        if (st == HK_ERROR_SUCCESS)
            st = name_of(w, root);
        int rc = 0;
        if (st == HK_ERROR_SUCCESS)
            rc = emit(w, root, batch, &subkeys, &st);
        if (rc == 0 && st == HK_ERROR_SUCCESS)
            rc = push(w, root, subkeys, 0);
        else if (root && st == HK_ERROR_SUCCESS)
            hk_close_key(root);
        *stp = st;
        return rc;
    }
    struct frame *f = &w->stack[w->depth - 1];
    if ((w->salvage || w->keys_only) && f->next >= f->subkeys) {
        pop(w);
        return 0;
    }
    uint32_t i = f->next++;
    hk_key *child = NULL;
    NOGIL(hk_open_subkey_at(f->key, i, HK_KEY_READ, &child));
    if (st == HK_ERROR_NO_MORE_ITEMS) {
        pop(w);
        return 0;
    }
    if (st == HK_ERROR_SUCCESS) {
        size_t mark = w->path.len;
        st = name_of(w, child);
        if (st == HK_ERROR_SUCCESS) {
            if (hkp_buf_reserve(&w->path, w->name.len + 1) < 0) {
                hk_close_key(child);
                return -1;
            }
            if (mark)
                w->path.p[w->path.len++] = '\\';
            memcpy(w->path.p + w->path.len, w->name.p, w->name.len);
            w->path.len += w->name.len;
            if (emit(w, child, batch, &subkeys, &st) < 0) {
                hk_close_key(child);
                return -1;
            }
            if (st == HK_ERROR_SUCCESS)
                return push(w, child, subkeys, mark);
            w->path.len = mark;
        }
        hk_close_key(child);
        /* export: only a subkey that does not open is skipped; the
         * timeline skips one whose name or facts cannot be read too. */
        if (!w->keys_only) {
            *stp = st;
            return 0;
        }
    }
    if (!w->salvage || st == HK_ERROR_NOT_ENOUGH_MEMORY) {
        *stp = st;
        return 0;
    }
    int rc = skip(w, i, st);
    if (rc == 0)
        pop(w);
    return rc < 0 ? -1 : 0;
}

static PyObject *walk_next(PyObject *self)
{
    walk_iter *w = (walk_iter *)self;
    if (w->done)
        return NULL;
    PyObject *batch = PyList_New(0);
    if (!batch)
        return NULL;
    hk_status st = HK_ERROR_SUCCESS;
    int rc = 0;
    hkp_lock_acquire(w->lock);
    while (rc == 0 && st == HK_ERROR_SUCCESS && PyList_GET_SIZE(batch) == 0 &&
           (!w->started || w->depth > 0))
        rc = step(w, batch, &st);
    if (rc < 0 || st != HK_ERROR_SUCCESS || (w->started && w->depth == 0))
        finish(w);
    const char *detail = st == HK_ERROR_SUCCESS ? "" : hk_hive_errmsg(w->hive);
    char copy[512];
    snprintf(copy, sizeof copy, "%s", detail);
    hkp_lock_release(w->lock);
    if (rc < 0 || st != HK_ERROR_SUCCESS) {
        Py_DECREF(batch);
        return rc < 0 ? NULL : hkp_raise(st, copy);
    }
    if (PyList_GET_SIZE(batch) == 0) {
        Py_DECREF(batch);
        return NULL;
    }
    return batch;
}

static void walk_dealloc(PyObject *self)
{
    walk_iter *w = (walk_iter *)self;
    if (w->depth > 0) {
        hkp_lock_acquire(w->lock);
        finish(w);
        hkp_lock_release(w->lock);
    }
    hkp_lock_unref(w->lock);
    PyMem_Free(w->stack);
    PyMem_Free(w->path.p);
    PyMem_Free(w->name.p);
    PyMem_Free(w->data.p);
    Py_XDECREF(w->warnings);
    Py_XDECREF(w->core);
    PyObject_Free(self);
}

static PyObject *walk_warnings(PyObject *self, void *unused)
{
    (void)unused;
    return Py_NewRef(((walk_iter *)self)->warnings);
}

static PyGetSetDef walk_getset[] = {
    {"warnings", walk_warnings, NULL, "The subkeys a salvage walk skipped, and why.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject walk_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hivekit._hivekit.Walk",
    .tp_basicsize = sizeof(walk_iter),
    .tp_dealloc = walk_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_doc = "A walk over a hive: each step gives one key's records as a list.",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = walk_next,
    .tp_getset = walk_getset,
};

/* _walk(core, salvage=False, keys_only=False) -> Walk */
static PyObject *walk_fn(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *core;
    int salvage = 0, keys_only = 0;
    if (!PyArg_ParseTuple(args, "O|pp:_walk", &core, &salvage, &keys_only) ||
        hkp_intern_keys() < 0)
        return NULL;
    hkp_lock *lock;
    hk_hive *hive = hkp_hive_get(core, &lock);
    if (!hive)
        return NULL;
    walk_iter *w = PyObject_New(walk_iter, &walk_type);
    if (!w)
        return NULL;
    memset((char *)w + sizeof(PyObject), 0, sizeof *w - sizeof(PyObject));
    w->core = Py_NewRef(core);
    w->hive = hive;
    w->lock = lock;
    hkp_lock_ref(lock);
    w->salvage = salvage;
    w->keys_only = keys_only;
    w->warnings = PyList_New(0);
    if (!w->warnings || hkp_buf_reserve(&w->name, 512) < 0 || hkp_buf_reserve(&w->data, 4096) < 0 ||
        hkp_buf_reserve(&w->path, 512) < 0) {
        Py_DECREF(w);
        return NULL;
    }
    return (PyObject *)w;
}

/* _decode(raw, reg_type) -> the jsonl "data" (None where the CLI writes
 * none): strings, lists, a dword of 4 bytes, a qword of 8. */
static PyObject *decode_fn(PyObject *module, PyObject *args)
{
    (void)module;
    Py_buffer v;
    unsigned long type;
    if (!PyArg_ParseTuple(args, "y*k:_decode", &v, &type))
        return NULL;
    size_t n = (size_t)v.len;
    PyObject *res;
    if (type == HK_REG_SZ || type == HK_REG_EXPAND_SZ || type == HK_REG_MULTI_SZ ||
        (type == HK_REG_DWORD && n == 4) || (type == HK_REG_QWORD && n == 8))
        res = hkp_reg2py(v.buf, n, (uint32_t)type);
    else
        res = Py_NewRef(Py_None);
    PyBuffer_Release(&v);
    return res;
}

/* _filetime_iso(filetime) -> "YYYY-MM-DDThh:mm:ss.fffffffZ" */
static PyObject *iso_fn(PyObject *module, PyObject *arg)
{
    (void)module;
    unsigned long long ft = PyLong_AsUnsignedLongLong(arg);
    if (ft == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    return hkp_filetime_iso(ft);
}

/* _type_name(reg_type) -> "REG_SZ"..., "REG_0x1A" for others */
static PyObject *type_name_fn(PyObject *module, PyObject *arg)
{
    (void)module;
    unsigned long t = PyLong_AsUnsignedLong(arg);
    if (t == (unsigned long)-1 && PyErr_Occurred())
        return NULL;
    return hkp_type_name((uint32_t)t);
}

int hkp_walk_init(PyObject *module)
{
    if (PyType_Ready(&walk_type) < 0 ||
        PyStructSequence_InitType2(&key_record_type, &key_desc) < 0 ||
        PyStructSequence_InitType2(&value_record_type, &value_desc) < 0)
        return -1;
    if (PyModule_AddObjectRef(module, "KeyRecord", (PyObject *)&key_record_type) < 0 ||
        PyModule_AddObjectRef(module, "ValueRecord", (PyObject *)&value_record_type) < 0)
        return -1;
    return 0;
}

PyMethodDef hkp_walk_methods[] = {
    {"_decode", decode_fn, METH_VARARGS, NULL},
    {"_filetime_iso", iso_fn, METH_O, NULL},
    {"_type_name", type_name_fn, METH_O, NULL},
    {"_walk", walk_fn, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};
