/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hive.walk(): every key and value as records of the jsonl schema of
 * `hivekit export --format jsonl`, in its order (a key, its values, its
 * subkeys) and with its salvage rule; keys_only gives the keys as
 * `hivekit timeline` walks them. An iterator with its own stack hands out
 * the records one by one, made a batch of keys at a time: it takes the
 * hive's lock, reads up to a batch's worth of keys (facts, names, values)
 * into C arenas with the GIL released once, then makes their records. A
 * walk holds one batch's records at a time. */
#include "ext.h"

#include <string.h>

/* A batch ends after this many keys, values or bytes of value data (a
 * key is never split): few enough that a walk holds little, enough that
 * the lock and the GIL change hands rarely. */
enum { BATCH_KEYS = 64, BATCH_VALUES = 1024, BATCH_DATA = 256 * 1024 };

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

/* One key read without the GIL: its facts, and where its path, name and
 * class name are in w->text and its values in w->vals. */
struct kslot {
    hk_key_info ki;
    size_t path, path_len, name, name_len, cls, cls_len;
    uint32_t v0, nvals;
};

/* How a batch ended. */
enum fill_end {
    FILL_FULL, /* a batch's worth read: more may follow */
    FILL_DONE, /* the walk is over */
    FILL_FAIL, /* fail_st ends the walk (after the batch's records) */
    FILL_SKIP  /* salvage: subkey fail_index of the top key is skipped */
};

typedef struct {
    PyObject_HEAD
    PyObject *core; /* the HiveCore, kept alive */
    hk_hive *hive;
    hkp_lock *lock;
    int salvage, keys_only, started, done;
    int busy; /* a thread is in walk_next (it may let the GIL go) */
    struct frame *stack;
    unsigned depth, cap;
    struct hkp_buf path;              /* the current key's path */
    struct hkp_buf text, name, data;  /* arenas of a batch: key texts, value names, data */
    struct kslot *keys; /* the batch's keys: keys[next_key..nkeys) have no records yet */
    size_t nkeys, next_key, kcap;
    struct vslot *vals;
    size_t nvals, vcap;
    PyObject **recs; /* the records made and not yet handed out: recs[pos..n) */
    size_t n, pos, rcap;
    hk_status fail_st;  /* a failure met in the last batch, or one to raise */
    uint32_t fail_index;
    char fail_msg[1024];
    PyObject *warnings;
    PyObject *names[256]; /* value names seen (short ASCII), by hash: they repeat */
} walk_iter;

static PyTypeObject walk_type;

/* arr (a PyMem_Raw block of *cap elements of size) with room for
 * count + 1; NULL when out of memory (arr kept). No GIL needed. */
static void *room(void *arr, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return arr;
    size_t n = *cap ? 2 * *cap : 64;
    void *p = PyMem_RawRealloc(arr, n * size);
    if (p)
        *cap = n;
    return p;
}

/* ---- without the GIL: reading a batch ----------------------------------- */

/* The key's name appended to w->text. */
static hk_status name_of(walk_iter *w, hk_key *key, struct kslot *k)
{
    hk_status st = HK_ERROR_MORE_DATA;
    for (int tries = 0; tries < 4 && st == HK_ERROR_MORE_DATA; tries++) {
        size_t size = w->text.cap - w->text.len;
        st = hk_key_name(key, w->text.p + w->text.len, &size);
        if (st == HK_ERROR_SUCCESS) {
            k->name = w->text.len;
            k->name_len = size;
            w->text.len += size;
        } else if (st == HK_ERROR_MORE_DATA && hkp_buf_reserve(&w->text, size) < 0) {
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        }
    }
    return st;
}

/* The key's name (in w->text) appended to the path, after a '\' unless at
 * the root; the path then copied to w->text. */
static hk_status path_add(walk_iter *w, struct kslot *k, int below_root)
{
    if (hkp_buf_reserve(&w->path, k->name_len + 1) < 0)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    if (below_root) {
        if (w->path.len)
            w->path.p[w->path.len++] = '\\';
        memcpy(w->path.p + w->path.len, w->text.p + k->name, k->name_len);
        w->path.len += k->name_len;
    }
    if (hkp_buf_reserve(&w->text, w->path.len + 1) < 0)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    k->path = w->text.len;
    k->path_len = w->path.len;
    if (w->path.len)
        memcpy(w->text.p + w->text.len, w->path.p, w->path.len);
    w->text.len += w->path.len;
    return HK_ERROR_SUCCESS;
}

/* Value index of key read into the ends of the name and data arenas (no
 * copy after), and noted in w->vals. */
static hk_status read_value(walk_iter *w, hk_key *key, uint32_t index)
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
    struct vslot *vals = room(w->vals, &w->vcap, w->nvals, sizeof *vals);
    if (!vals)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    w->vals = vals;
    w->vals[w->nvals++] = (struct vslot){w->name.len, ns, w->data.len, ds, type};
    w->name.len += ns;
    w->data.len += ds;
    return HK_ERROR_SUCCESS;
}

/* The key's facts (with its class name, unless keys_only) and its values
 * (unless keys_only): the first failure. */
static hk_status collect(walk_iter *w, hk_key *key, struct kslot *k)
{
    hk_status st;
    k->ki = (hk_key_info)HK_KEY_INFO_INIT;
    k->cls = k->cls_len = 0;
    k->v0 = (uint32_t)w->nvals;
    k->nvals = 0;
    if (w->keys_only)
        return hk_query_info_key(key, NULL, NULL, &k->ki);
    /* With the class name (max_class_len is the subkeys' longest, not the
     * key's own). */
    for (int tries = 0;; tries++) {
        size_t size = w->text.cap - w->text.len;
        st = hk_query_info_key(key, w->text.p + w->text.len, &size, &k->ki);
        if (st == HK_ERROR_SUCCESS) {
            k->cls = w->text.len;
            k->cls_len = size;
            w->text.len += size;
        }
        if (st != HK_ERROR_MORE_DATA || tries == 3)
            break;
        if (hkp_buf_reserve(&w->text, size) < 0)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS && i < k->ki.values; i++)
        st = read_value(w, key, i);
    k->nvals = (uint32_t)w->nvals - k->v0;
    return st;
}

/* Key's name (added to the path below the root), facts and values, noted
 * as the batch's next key; on a failure, nothing of it is kept (the path
 * is the caller's to restore). */
static hk_status read_key(walk_iter *w, hk_key *key, int below_root)
{
    struct kslot *keys = room(w->keys, &w->kcap, w->nkeys, sizeof *keys);
    if (!keys)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    w->keys = keys;
    struct kslot *k = &keys[w->nkeys];
    size_t text = w->text.len, name = w->name.len, data = w->data.len, nvals = w->nvals;
    hk_status st = name_of(w, key, k);
    if (st == HK_ERROR_SUCCESS)
        st = path_add(w, k, below_root);
    if (st == HK_ERROR_SUCCESS)
        st = collect(w, key, k);
    if (st == HK_ERROR_SUCCESS) {
        w->nkeys++;
    } else {
        w->text.len = text;
        w->name.len = name;
        w->data.len = data;
        w->nvals = nvals;
    }
    return st;
}

static int push(walk_iter *w, hk_key *key, uint32_t subkeys, size_t mark)
{
    if (w->depth == w->cap) {
        unsigned cap = w->cap ? 2 * w->cap : 32;
        struct frame *s = PyMem_RawRealloc(w->stack, cap * sizeof *s);
        if (!s)
            return -1;
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

/* Notes the failure st: its detail (the library's for a corrupt hive,
 * else the status's text when skip is set, as a skip says why). */
static void fail(walk_iter *w, hk_status st, int skip)
{
    const char *detail = hk_errmsg(); /* the failed call's, on this thread */
    if (skip && (st != HK_ERROR_BADDB || !detail[0]))
        detail = hk_strerror(st);
    w->fail_st = st;
    snprintf(w->fail_msg, sizeof w->fail_msg, "%s", detail);
}

/* Opens and reads the next key, entered when read: FILL_FULL to go on. */
static enum fill_end step(walk_iter *w)
{
    hk_status st;
    if (!w->started) {
        w->started = 1;
        hk_key *root = NULL;
        st = hk_hive_root(w->hive, &root);
        if (st == HK_ERROR_SUCCESS)
            st = read_key(w, root, 0);
        if (st == HK_ERROR_SUCCESS && push(w, root, w->keys[w->nkeys - 1].ki.subkeys, 0) < 0) {
            w->nkeys--;
            st = HK_ERROR_NOT_ENOUGH_MEMORY;
        }
        if (st == HK_ERROR_SUCCESS)
            return FILL_FULL;
        fail(w, st, 0);
        hk_close_key(root);
        return FILL_FAIL;
    }
    if (w->depth == 0)
        return FILL_DONE;
    struct frame *f = &w->stack[w->depth - 1];
    if ((w->salvage || w->keys_only) && f->next >= f->subkeys) {
        pop(w);
        return FILL_FULL;
    }
    uint32_t i = f->next++;
    hk_key *child = NULL;
    size_t mark = w->path.len;
    hk_status open_st = hk_open_subkey_at(f->key, i, HK_KEY_READ, &child);
    if (open_st == HK_ERROR_NO_MORE_ITEMS) {
        pop(w);
        return FILL_FULL;
    }
    st = open_st == HK_ERROR_SUCCESS ? read_key(w, child, 1) : open_st;
    if (st == HK_ERROR_SUCCESS) {
        if (push(w, child, w->keys[w->nkeys - 1].ki.subkeys, mark) == 0)
            return FILL_FULL;
        w->nkeys--; /* its arenas' bytes are left unused */
        st = HK_ERROR_NOT_ENOUGH_MEMORY;
        open_st = HK_ERROR_SUCCESS;
    }
    w->path.len = mark;
    /* export: only a subkey that does not open is skipped; the timeline
     * skips one whose name or facts cannot be read too. */
    int fatal = (open_st == HK_ERROR_SUCCESS && !w->keys_only) || !w->salvage ||
                st == HK_ERROR_NOT_ENOUGH_MEMORY;
    fail(w, st, !fatal);
    if (open_st == HK_ERROR_SUCCESS)
        hk_close_key(child);
    if (fatal)
        return FILL_FAIL;
    w->fail_index = i;
    return FILL_SKIP;
}

/* A batch: keys read until the batch is full, the walk ends or fails. */
static enum fill_end fill(walk_iter *w)
{
    enum fill_end end = FILL_FULL;
    w->text.len = w->name.len = w->data.len = 0;
    w->nkeys = w->nvals = 0;
    while (end == FILL_FULL && w->nkeys < BATCH_KEYS && w->nvals < BATCH_VALUES &&
           w->data.len < BATCH_DATA)
        end = step(w);
    return end;
}

/* ---- with the GIL: the records ------------------------------------------ */

/* A value's name as str; a short ASCII one from (and into) the cache of
 * names seen (a cached name is ASCII, so bytes equal to it are too). */
static PyObject *value_name(walk_iter *w, const char *p, size_t n)
{
    if (n == 0 || n > 48)
        return hkp_str(p, n);
    unsigned char a = (unsigned char)p[0], b = (unsigned char)p[n / 2],
                  c = (unsigned char)p[n - 1];
    PyObject **slot = &w->names[(n * 31u + a * 7u + b * 3u + c) & 255];
    if (*slot && (size_t)PyUnicode_GET_LENGTH(*slot) == n &&
        memcmp(PyUnicode_1BYTE_DATA(*slot), p, n) == 0)
        return Py_NewRef(*slot);
    PyObject *s = hkp_str(p, n);
    if (s && PyUnicode_IS_ASCII(s))
        Py_XSETREF(*slot, Py_NewRef(s));
    return s;
}

/* The records of one key read (the key's, then its values') in w->recs,
 * which holds none. */
static int emit(walk_iter *w, const struct kslot *k)
{
    size_t need = 1 + (size_t)k->nvals;
    if (need > w->rcap) {
        PyObject **recs = PyMem_Realloc(w->recs, need * sizeof *recs);
        if (!recs) {
            PyErr_NoMemory();
            return -1;
        }
        w->recs = recs;
        w->rcap = need;
    }
    const char *text = w->text.p;
    PyObject *path = hkp_str(text + k->path, k->path_len);
    if (!path)
        return -1;
    PyObject *items[HKP_KEY_FIELDS] = {
        Py_NewRef(hkp_keys[K_KEY]), Py_NewRef(path), hkp_str(text + k->name, k->name_len),
        PyLong_FromUnsignedLongLong(k->ki.last_write), PyLong_FromUnsignedLong(k->ki.subkeys),
        PyLong_FromUnsignedLong(k->ki.values),
        k->cls_len > 0 ? hkp_str(text + k->cls, k->cls_len) : Py_NewRef(Py_None)};
    PyObject *r = hkp_key_record(items);
    if (r)
        w->recs[w->n++] = r;
    for (uint32_t i = 0; r && i < k->nvals; i++) {
        const struct vslot *v = &w->vals[k->v0 + i];
        PyObject *vitems[HKP_VALUE_FIELDS] = {
            Py_NewRef(hkp_keys[K_VALUE]), Py_NewRef(path),
            value_name(w, w->name.p + v->name, v->name_len), PyLong_FromUnsignedLong(v->type),
            PyLong_FromSize_t(v->data_len),
            PyBytes_FromStringAndSize(w->data.p + v->data, (Py_ssize_t)v->data_len)};
        r = hkp_value_record(vitems);
        if (r)
            w->recs[w->n++] = r;
    }
    Py_DECREF(path);
    return r ? 0 : -1;
}

/* Records the salvage skip noted by step(); 0 when the same failure
 * repeats (that key's list ends), 1 to go on, -1 on error. */
static int skip(walk_iter *w)
{
    struct frame *f = &w->stack[w->depth - 1];
    const char *detail = w->fail_msg;
    w->fail_st = HK_ERROR_SUCCESS;
    if (strncmp(detail, f->last, sizeof f->last - 1) == 0)
        return 0;
    size_t n = strnlen(detail, sizeof f->last - 1);
    memcpy(f->last, detail, n);
    f->last[n] = '\0';
    PyObject *where = hkp_str(w->path.p ? w->path.p : "", w->path.len);
    PyObject *msg = where ? PyUnicode_FromFormat("skipped subkey %u of \"%U\": %s",
                                                 (unsigned)w->fail_index, where, detail)
                          : NULL;
    Py_XDECREF(where);
    int rc = msg ? PyList_Append(w->warnings, msg) : -1;
    Py_XDECREF(msg);
    return rc < 0 ? -1 : 1;
}

static void finish(walk_iter *w)
{
    while (w->depth > 0)
        pop(w);
    w->done = 1;
}

static void drop_recs(walk_iter *w)
{
    while (w->pos < w->n)
        Py_DECREF(w->recs[w->pos++]);
    w->n = w->pos = 0;
}

/* Batches until one reads a key or the walk ends; -1 on a Python error
 * (the walk then over). */
static int refill(walk_iter *w)
{
    int rc = 0;
    hkp_lock_acquire(w->lock);
    while (rc == 0 && w->nkeys == 0 && !w->done && w->fail_st == HK_ERROR_SUCCESS) {
        enum fill_end end;
        Py_BEGIN_ALLOW_THREADS
        end = fill(w);
        Py_END_ALLOW_THREADS
        if (end == FILL_SKIP) {
            int s = skip(w);
            if (s == 0)
                pop(w);
            rc = s < 0 ? -1 : 0;
        }
        if (rc < 0 || end == FILL_DONE || end == FILL_FAIL)
            finish(w);
    }
    hkp_lock_release(w->lock);
    return rc;
}

/* Ends the walk on a Python error: nothing more is handed out. */
static PyObject *stop(walk_iter *w)
{
    drop_recs(w);
    hkp_lock_acquire(w->lock);
    finish(w);
    hkp_lock_release(w->lock);
    w->nkeys = w->next_key = 0;
    w->fail_st = HK_ERROR_SUCCESS;
    return NULL;
}

/* The next record: from the records made, else from the next key read,
 * else from a new batch. The records are made a key at a time (few live
 * at once) while the batch's reads are done in one go. A failure is raised
 * once the records read before it are handed out. */
static PyObject *walk_next(PyObject *self)
{
    walk_iter *w = (walk_iter *)self;
    for (;;) {
        if (w->pos < w->n)
            return w->recs[w->pos++];
        w->n = w->pos = 0;
        if (w->next_key < w->nkeys) {
            if (emit(w, &w->keys[w->next_key++]) < 0)
                return stop(w);
            continue;
        }
        w->nkeys = w->next_key = 0;
        if (w->fail_st != HK_ERROR_SUCCESS) {
            hk_status st = w->fail_st;
            w->fail_st = HK_ERROR_SUCCESS;
            return hkp_raise(st, w->fail_msg);
        }
        if (w->done)
            return NULL;
        if (refill(w) < 0)
            return stop(w);
    }
}

/* The iterator's next: one thread at a time, as a generator (a refill lets
 * the GIL go while it fills the arenas another thread would read). */
static PyObject *walk_iternext(PyObject *self)
{
    walk_iter *w = (walk_iter *)self;
    if (w->busy) {
        PyErr_SetString(PyExc_ValueError, "the walk is already being read by another thread");
        return NULL;
    }
    w->busy = 1;
    PyObject *r = walk_next(self);
    w->busy = 0;
    return r;
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
    PyMem_RawFree(w->stack);
    struct hkp_buf *bufs[] = {&w->path, &w->text, &w->name, &w->data};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        PyMem_RawFree(bufs[i]->p);
    PyMem_RawFree(w->keys);
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
    .tp_doc = "A walk over a hive: its records one by one.",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = walk_iternext,
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
    struct hkp_buf *bufs[] = {&w->path, &w->text, &w->name, &w->data};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
        if (hkp_buf_reserve(bufs[i], bufs[i] == &w->data ? 64 * 1024 : 4096) < 0) {
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

int hkp_walk_init(PyObject *module)
{
    (void)module;
    return PyType_Ready(&walk_type);
}

PyMethodDef hkp_walk_methods[] = {
    {"_walk", walk_fn, METH_VARARGS, NULL},
    {"_jsonl", hkp_jsonl_fn, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};
