/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hive.walk(): every key and value as records of the jsonl schema of
 * `hivekit export --format jsonl`, in its order (a key, its values, its
 * subkeys) and with its salvage rule; keys_only gives the keys as
 * `hivekit timeline` walks them. An iterator with its own stack hands out
 * the records one by one, made one key at a time, so a walk holds one
 * key's records at a time. Each step holds the hive's lock and reads the
 * key (facts, name, values) into C buffers with the GIL released once;
 * the records are made after. */
#include "ext.h"

#include <string.h>

struct frame {
    hk_key *key;
    uint32_t next, subkeys;
    size_t mark;    /* the path's length before this key's name */
    char last[256]; /* salvage: the last failure; the same one twice ends the list */
};

/* One value read without the GIL: where its name and data are in the arenas. */
struct vslot {
    size_t name, name_len, data, data_len;
    uint32_t type;
};

/* What one key gave: its facts and the values read (all of them unless st
 * is a failure). */
struct got {
    hk_status st;
    hk_key_info ki;
    size_t cls_size;
    uint32_t nvals;
};

typedef struct {
    PyObject_HEAD
    PyObject *core; /* the HiveCore, kept alive */
    hk_hive *hive;
    hkp_lock *lock;
    int salvage, keys_only, started, done;
    struct frame *stack;
    unsigned depth, cap;
    struct hkp_buf path, kname, cls;
    struct hkp_buf name, data; /* arenas: the names and data of one key's values */
    struct vslot *vals;
    size_t vcap;
    PyObject **recs; /* the records made and not yet handed out: recs[pos..n) */
    size_t n, pos, rcap;
    PyObject *warnings;
    PyObject *names[256]; /* value names seen (short ASCII), by hash: they repeat */
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

/* A record of n fields (all visible, so the struct sequence is laid out as
 * a tuple of n), items stolen; NULL items fail it. PyStructSequence_New
 * looks the sizes up in the type's dict for each record and its
 * deallocation again: a walk makes one record per key and value. */
static PyObject *record(PyTypeObject *type, PyObject **items, Py_ssize_t n)
{
    PyTupleObject *r = NULL;
    int ok = 1;
    for (Py_ssize_t i = 0; i < n; i++)
        ok &= items[i] != NULL;
    if (ok)
        r = PyObject_GC_NewVar(PyTupleObject, type, n);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (r)
            r->ob_item[i] = items[i];
        else
            Py_XDECREF(items[i]);
    }
    /* Not tracked by the collector: a record holds str, int, bytes and None
     * only and cannot change, so it can be part of no cycle (the collector
     * itself untracks such tuples when it meets them). */
    return (PyObject *)r;
}

static void record_dealloc(PyObject *ob)
{
    PyObject_GC_UnTrack(ob);
    Py_TRASHCAN_BEGIN(ob, record_dealloc)
    for (Py_ssize_t i = Py_SIZE(ob); i-- > 0;)
        Py_XDECREF(((PyTupleObject *)ob)->ob_item[i]);
    PyObject_GC_Del(ob);
    Py_TRASHCAN_END
}

/* Without the GIL from here to collect(). */
static hk_status name_of(struct hkp_buf *b, hk_key *key)
{
    hk_status st = HK_ERROR_MORE_DATA;
    for (int tries = 0; tries < 4 && st == HK_ERROR_MORE_DATA; tries++) {
        size_t size = b->cap;
        st = hk_key_name(key, b->p, &size);
        if (st == HK_ERROR_SUCCESS)
            b->len = size;
        else if (st == HK_ERROR_MORE_DATA && hkp_buf_reserve(b, size) < 0)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    return st;
}

/* Value index of key read into the ends of the name and data arenas (no
 * copy after), and noted in w->vals[g->nvals]. */
static hk_status read_value(walk_iter *w, hk_key *key, uint32_t index, struct got *g)
{
    uint32_t type = 0;
    hk_status st;
    size_t ns, ds;
    for (int tries = 0;; tries++) {
        ns = w->name.cap - w->name.len;
        ds = w->data.cap - w->data.len;
        st = hk_enum_value(key, index, w->name.p + w->name.len, &ns, &type,
                           w->data.p + w->data.len, &ds);
        if (st != HK_ERROR_MORE_DATA || tries == 3)
            break;
        if (hkp_buf_reserve(&w->name, ns) < 0 || hkp_buf_reserve(&w->data, ds) < 0)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (g->nvals == w->vcap) {
        size_t cap = w->vcap ? 2 * w->vcap : 64;
        struct vslot *v = PyMem_RawRealloc(w->vals, cap * sizeof *v);
        if (!v)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        w->vals = v;
        w->vcap = cap;
    }
    w->vals[g->nvals++] = (struct vslot){w->name.len, ns, w->data.len, ds, type};
    w->name.len += ns;
    w->data.len += ds;
    return HK_ERROR_SUCCESS;
}

/* The key's facts (with its class name, unless keys_only) and its values
 * (unless keys_only): g->st is the first failure. */
static void collect(walk_iter *w, hk_key *key, struct got *g)
{
    hk_status st;
    g->ki = (hk_key_info)HK_KEY_INFO_INIT;
    g->cls_size = 0;
    g->nvals = 0;
    if (w->keys_only) {
        g->st = hk_query_info_key(key, NULL, NULL, &g->ki);
        return;
    }
    /* With the class name (max_class_len is the subkeys' longest, not the
     * key's own). */
    for (int tries = 0;; tries++) {
        size_t size = w->cls.cap;
        st = hk_query_info_key(key, w->cls.p, &size, &g->ki);
        if (st == HK_ERROR_SUCCESS)
            g->cls_size = size;
        if (st != HK_ERROR_MORE_DATA || tries == 3)
            break;
        if (hkp_buf_reserve(&w->cls, size) < 0) {
            st = HK_ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
    }
    w->name.len = w->data.len = 0;
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS && i < g->ki.values; i++)
        st = read_value(w, key, i, g);
    g->st = st;
}

/* The name in w->kname appended to the path (after a '\' unless at the
 * root). */
static hk_status path_add(walk_iter *w)
{
    if (hkp_buf_reserve(&w->path, w->kname.len + 1) < 0)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    if (w->path.len)
        w->path.p[w->path.len++] = '\\';
    if (w->kname.len)
        memcpy(w->path.p + w->path.len, w->kname.p, w->kname.len);
    w->path.len += w->kname.len;
    return HK_ERROR_SUCCESS;
}

/* A value's name as str; a short ASCII one from (and into) the cache of
 * names seen. */
static PyObject *value_name(walk_iter *w, const char *p, size_t n)
{
    if (n == 0 || n > 48)
        return hkp_str(p, n);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)p[i] >= 0x80)
            return hkp_str(p, n);
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    }
    PyObject **slot = &w->names[(h ^ h >> 8) & 255];
    if (*slot && (size_t)PyUnicode_GET_LENGTH(*slot) == n &&
        memcmp(PyUnicode_1BYTE_DATA(*slot), p, n) == 0)
        return Py_NewRef(*slot);
    PyObject *s = hkp_str(p, n);
    if (s)
        Py_XSETREF(*slot, Py_NewRef(s));
    return s;
}

/* With the GIL: room for n more records. */
static int recs_reserve(walk_iter *w, size_t n)
{
    if (w->n + n <= w->rcap)
        return 0;
    size_t cap = w->rcap ? w->rcap : 64;
    while (cap < w->n + n)
        cap *= 2;
    PyObject **r = PyMem_Realloc(w->recs, cap * sizeof *r);
    if (!r) {
        PyErr_NoMemory();
        return -1;
    }
    w->recs = r;
    w->rcap = cap;
    return 0;
}

/* The records of a key collected without failure: the key's, then its
 * values' (the key's name in w->kname, its path in w->path). */
static int emit(walk_iter *w, const struct got *g)
{
    if (recs_reserve(w, 1 + (size_t)g->nvals) < 0)
        return -1;
    PyObject *path = hkp_str(w->path.p ? w->path.p : "", w->path.len);
    if (!path)
        return -1;
    PyObject *items[] = {
        Py_NewRef(hkp_keys[K_KEY]), Py_NewRef(path), hkp_str(w->kname.p, w->kname.len),
        PyLong_FromUnsignedLongLong(g->ki.last_write), PyLong_FromUnsignedLong(g->ki.subkeys),
        PyLong_FromUnsignedLong(g->ki.values),
        g->cls_size > 0 ? hkp_str(w->cls.p, g->cls_size) : Py_NewRef(Py_None)};
    PyObject *r = record(&key_record_type, items, 7);
    if (r)
        w->recs[w->n++] = r;
    for (uint32_t i = 0; r && i < g->nvals; i++) {
        const struct vslot *v = &w->vals[i];
        PyObject *vitems[] = {
            Py_NewRef(hkp_keys[K_VALUE]), Py_NewRef(path),
            value_name(w, w->name.p + v->name, v->name_len), PyLong_FromUnsignedLong(v->type),
            PyLong_FromSize_t(v->data_len),
            PyBytes_FromStringAndSize(w->data.p + v->data, (Py_ssize_t)v->data_len)};
        r = record(&value_record_type, vitems, 6);
        if (r)
            w->recs[w->n++] = r;
    }
    Py_DECREF(path);
    return r ? 0 : -1;
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
    const char *detail = hk_errmsg(); /* the failed call's, on this thread */
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

/* Without the GIL: key's name (added to the path below the root), facts
 * and values; the first failure. */
static hk_status read_key(walk_iter *w, hk_key *key, int below_root, struct got *g)
{
    hk_status st = name_of(&w->kname, key);
    if (st == HK_ERROR_SUCCESS && below_root)
        st = path_add(w);
    if (st != HK_ERROR_SUCCESS)
        return st;
    collect(w, key, g);
    return g->st;
}

/* Emits the records of a key read without failure and enters it; on a
 * failure the key is closed. */
static int enter(walk_iter *w, hk_key *key, const struct got *g, size_t mark)
{
    if (emit(w, g) < 0 || push(w, key, g->ki.subkeys, mark) < 0) {
        hk_close_key(key);
        w->path.len = mark;
        return -1;
    }
    return 0;
}

/* One step: the next key's records (or nothing, when a key's list ended).
 * The library is called with the GIL released once per step. 0 with *stp
 * set, or -1 on a Python error. */
static int step(walk_iter *w, hk_status *stp)
{
    hk_status st;
    struct got g = {HK_ERROR_SUCCESS, HK_KEY_INFO_INIT, 0, 0};
    if (!w->started) {
        w->started = 1;
        hk_key *root = NULL;
        Py_BEGIN_ALLOW_THREADS
        st = hk_hive_root(w->hive, &root);
        if (st == HK_ERROR_SUCCESS)
            st = read_key(w, root, 0, &g);
        Py_END_ALLOW_THREADS
        *stp = st;
        if (st == HK_ERROR_SUCCESS)
            return enter(w, root, &g, 0);
        if (root)
            hk_close_key(root);
        return 0;
    }
    struct frame *f = &w->stack[w->depth - 1];
    if ((w->salvage || w->keys_only) && f->next >= f->subkeys) {
        pop(w);
        return 0;
    }
    uint32_t i = f->next++;
    hk_key *child = NULL;
    size_t mark = w->path.len;
    hk_status open_st;
    Py_BEGIN_ALLOW_THREADS
    st = open_st = hk_open_subkey_at(f->key, i, HK_KEY_READ, &child);
    if (st == HK_ERROR_SUCCESS)
        st = read_key(w, child, 1, &g);
    Py_END_ALLOW_THREADS
    if (open_st == HK_ERROR_NO_MORE_ITEMS) {
        pop(w);
        return 0;
    }
    if (st == HK_ERROR_SUCCESS)
        return enter(w, child, &g, mark);
    w->path.len = mark;
    if (open_st == HK_ERROR_SUCCESS) {
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

static void drop_recs(walk_iter *w)
{
    while (w->pos < w->n)
        Py_DECREF(w->recs[w->pos++]);
    w->n = w->pos = 0;
}

/* The next record: from the records made, else from the next steps. */
static PyObject *walk_next(PyObject *self)
{
    walk_iter *w = (walk_iter *)self;
    if (w->pos < w->n)
        return w->recs[w->pos++];
    w->n = w->pos = 0;
    if (w->done)
        return NULL;
    hk_status st = HK_ERROR_SUCCESS;
    int rc = 0;
    hkp_lock_acquire(w->lock);
    while (rc == 0 && st == HK_ERROR_SUCCESS && w->n == 0 && (!w->started || w->depth > 0))
        rc = step(w, &st);
    if (rc < 0 || st != HK_ERROR_SUCCESS || (w->started && w->depth == 0))
        finish(w);
    const char *detail = st == HK_ERROR_SUCCESS ? "" : hk_errmsg();
    char copy[512];
    snprintf(copy, sizeof copy, "%s", detail);
    hkp_lock_release(w->lock);
    if (rc < 0 || st != HK_ERROR_SUCCESS) {
        drop_recs(w);
        return rc < 0 ? NULL : hkp_raise(st, copy);
    }
    return w->pos < w->n ? w->recs[w->pos++] : NULL;
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
    drop_recs(w);
    PyMem_Free(w->recs);
    PyMem_Free(w->stack);
    struct hkp_buf *bufs[] = {&w->path, &w->kname, &w->name, &w->data, &w->cls};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        PyMem_RawFree(bufs[i]->p);
    PyMem_RawFree(w->vals);
    for (size_t i = 0; i < sizeof w->names / sizeof w->names[0]; i++)
        Py_XDECREF(w->names[i]);
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

static walk_iter *new_walk(PyObject *core, int salvage, int keys_only)
{
    if (hkp_intern_keys() < 0)
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
    if (!w->warnings)
        goto fail;
    struct hkp_buf *bufs[] = {&w->path, &w->kname, &w->name, &w->data, &w->cls};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
        if (hkp_buf_reserve(bufs[i], bufs[i] == &w->data ? 4096 : 512) < 0) {
            PyErr_NoMemory();
            goto fail;
        }
    }
    return w;
fail:
    Py_DECREF(w);
    return NULL;
}

/* _walk(core, salvage=False, keys_only=False) -> Walk */
static PyObject *walk_fn(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *core;
    int salvage = 0, keys_only = 0;
    if (!PyArg_ParseTuple(args, "O|pp:_walk", &core, &salvage, &keys_only))
        return NULL;
    return (PyObject *)new_walk(core, salvage, keys_only);
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
    /* Records are made by record() with every field visible: freed as the
     * tuples they are laid out as. */
    key_record_type.tp_dealloc = record_dealloc;
    value_record_type.tp_dealloc = record_dealloc;
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
    {"_jsonl", hkp_jsonl_fn, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};
