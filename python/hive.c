/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* _hivekit.HiveCore: one open hive file or memory image with its lock, for
 * hivekit.Hive (file-level work) and for winreg on a single file. */
#include "ext.h"

#include <string.h>

typedef struct {
    PyObject_HEAD
    hk_hive *hive; /* NULL once closed */
    hkp_lock *lock;
} hive_core;

static PyTypeObject hive_core_type;


/* The hive of a HiveCore, or NULL with ValueError when it is closed. */
hk_hive *hkp_hive_get(PyObject *ob, hkp_lock **lock)
{
    if (!PyObject_TypeCheck(ob, &hive_core_type)) {
        PyErr_SetString(PyExc_TypeError, "a HiveCore is required");
        return NULL;
    }
    hive_core *h = (hive_core *)ob;
    if (!h->hive) {
        PyErr_SetString(PyExc_ValueError, "I/O operation on a closed hive");
        return NULL;
    }
    *lock = h->lock;
    return h->hive;
}

static PyObject *wrap(hk_hive *hive)
{
    hive_core *h = PyObject_New(hive_core, &hive_core_type);
    hkp_lock *lock = h ? hkp_lock_new() : NULL;
    if (!lock) {
        Py_XDECREF(h);
        hk_hive_close(hive);
        return NULL;
    }
    h->hive = hive;
    h->lock = lock;
    return (PyObject *)h;
}

/* _open(source, logs=None, salvage=False, writable=False, no_logs=False):
 * source is a path (str or bytes path) or a bytes-like image. */
static PyObject *open_hive(PyObject *module, PyObject *args, PyObject *kw)
{
    (void)module;
    static char *names[] = {"source", "logs", "salvage", "writable", "no_logs", "memory", NULL};
    PyObject *source, *logs = Py_None;
    int salvage = 0, writable = 0, no_logs = 0, memory = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|Opppp:_open", names, &source, &logs, &salvage,
                                     &writable, &no_logs, &memory))
        return NULL;
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    char errmsg[512] = "";
    o.flags = (writable ? HK_OPEN_WRITE : 0) | (salvage ? HK_OPEN_SALVAGE : 0) |
              (no_logs ? HK_OPEN_NO_LOGS : 0);
    PyObject *log_bytes[8] = {0};
    const char *log_paths[8];
    Py_ssize_t n_logs = 0;
    PyObject *res = NULL, *path = NULL;
    Py_buffer view = {0};
    if (logs != Py_None) {
        PyObject *seq = PySequence_Fast(logs, "logs must be a sequence of paths");
        if (!seq)
            return NULL;
        n_logs = PySequence_Fast_GET_SIZE(seq);
        if (n_logs > 8) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError, "at most 8 transaction logs");
            return NULL;
        }
        for (Py_ssize_t i = 0; i < n_logs; i++) {
            if (!PyUnicode_FSConverter(PySequence_Fast_GET_ITEM(seq, i), &log_bytes[i])) {
                n_logs = i;
                Py_DECREF(seq);
                goto done;
            }
            log_paths[i] = PyBytes_AS_STRING(log_bytes[i]);
        }
        Py_DECREF(seq);
        o.log_paths = log_paths;
        o.n_log_paths = (size_t)n_logs;
    }
    hk_hive *hive = NULL;
    hk_status st;
    if (memory) {
        if (PyObject_GetBuffer(source, &view, PyBUF_SIMPLE) < 0)
            goto done;
        Py_BEGIN_ALLOW_THREADS
        st = hk_hive_open_memory(view.buf, (size_t)view.len, &o, &hive);
        snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg()); /* this thread's */
        Py_END_ALLOW_THREADS
    } else {
        if (!PyUnicode_FSConverter(source, &path))
            goto done;
        Py_BEGIN_ALLOW_THREADS
        st = hk_hive_open(PyBytes_AS_STRING(path), &o, &hive);
        snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg());
        Py_END_ALLOW_THREADS
    }
    res = st == HK_ERROR_SUCCESS ? wrap(hive) : hkp_raise(st, errmsg);
done:
    if (view.obj)
        PyBuffer_Release(&view);
    Py_XDECREF(path);
    for (Py_ssize_t i = 0; i < n_logs; i++)
        Py_XDECREF(log_bytes[i]);
    return res;
}

/* _create(minor_version, root_name): a new empty writable hive. */
static PyObject *create_hive(PyObject *module, PyObject *args)
{
    (void)module;
    unsigned int minor;
    const char *root = NULL;
    if (!PyArg_ParseTuple(args, "I|z:_create", &minor, &root))
        return NULL;
    hk_hive *hive;
    hk_status st = hk_hive_create(minor, root, &hive);
    return st == HK_ERROR_SUCCESS ? wrap(hive) : hkp_raise(st, NULL);
}

/* _recover(path, out, logs=None, overwrite=False) */
static PyObject *recover(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *path = NULL, *out = NULL;
    int overwrite = 0;
    if (!PyArg_ParseTuple(args, "O&O&|p:_recover", PyUnicode_FSConverter, &path,
                          PyUnicode_FSConverter, &out, &overwrite))
        return NULL;
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    char errmsg[512];
    hk_status st;
    Py_BEGIN_ALLOW_THREADS
    st = hk_hive_recover(PyBytes_AS_STRING(path), &o, PyBytes_AS_STRING(out),
                         overwrite ? HK_SAVE_OVERWRITE : 0);
    snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg());
    Py_END_ALLOW_THREADS
    Py_DECREF(path);
    Py_DECREF(out);
    if (st != HK_ERROR_SUCCESS)
        return hkp_raise(st, errmsg);
    Py_RETURN_NONE;
}

/* _reg_first_key(text: bytes) -> str: the first key line's path. */
static PyObject *reg_first_key(PyObject *module, PyObject *arg)
{
    (void)module;
    Py_buffer v;
    if (PyObject_GetBuffer(arg, &v, PyBUF_SIMPLE) < 0)
        return NULL;
    char errmsg[512] = "", small[512];
    size_t size = sizeof small;
    char *out = small;
    hk_status st = hk_reg_first_key(v.buf, (size_t)v.len, out, &size);
    if (st == HK_ERROR_MORE_DATA) {
        out = PyMem_Malloc(size);
        st = out ? hk_reg_first_key(v.buf, (size_t)v.len, out, &size)
                 : HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    if (st != HK_ERROR_NOT_ENOUGH_MEMORY || out)
        snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg());
    PyBuffer_Release(&v);
    PyObject *res = st == HK_ERROR_SUCCESS ? hkp_str(out, strlen(out)) : hkp_raise(st, errmsg);
    if (out != small)
        PyMem_Free(out);
    return res;
}

/* ---- methods ----------------------------------------------------------------- */

#define HIVE_OR_NULL(self, hive, lock)                                                        \
    hkp_lock *lock;                                                                           \
    hk_hive *hive = hkp_hive_get(self, &lock);                                                \
    if (!hive)                                                                                \
        return NULL

static PyObject *core_root(PyObject *self, PyObject *unused)
{
    (void)unused;
    HIVE_OR_NULL(self, hive, lock);
    hk_key *root;
    hk_status st;
    hkp_lock_acquire(lock);
    Py_BEGIN_ALLOW_THREADS
    st = hk_hive_root(hive, &root);
    Py_END_ALLOW_THREADS
    hkp_lock_release(lock);
    return st == HK_ERROR_SUCCESS ? hkp_hkey_new(root, lock) : hkp_raise(st, NULL);
}

static int set_num(PyObject *d, const char *k, unsigned long long v)
{
    PyObject *o = PyLong_FromUnsignedLongLong(v);
    int rc = o ? PyDict_SetItemString(d, k, o) : -1;
    Py_XDECREF(o);
    return rc;
}

static int set_str(PyObject *d, const char *k, const char *s)
{
    PyObject *o = hkp_str(s, strlen(s));
    int rc = o ? PyDict_SetItemString(d, k, o) : -1;
    Py_XDECREF(o);
    return rc;
}

static PyObject *log_list(hk_hive *hive, uint32_t n)
{
    PyObject *list = PyList_New(0);
    for (uint32_t i = 0; list && i < n; i++) {
        hk_log_info li = HK_LOG_INFO_INIT;
        if (hk_hive_log_info(hive, i, &li) != HK_ERROR_SUCCESS)
            break;
        PyObject *d = PyDict_New();
        if (!d || set_str(d, "path", li.path) < 0 || set_num(d, "applied", (unsigned)li.applied) < 0 ||
            set_num(d, "format", li.format) < 0 || set_num(d, "sequence", li.sequence) < 0 ||
            set_num(d, "entries", li.entries) < 0 || set_num(d, "pages", li.pages) < 0 ||
            set_str(d, "note", li.note) < 0 || PyList_Append(list, d) < 0)
            Py_CLEAR(list);
        Py_XDECREF(d);
    }
    return list;
}

static PyObject *core_info(PyObject *self, PyObject *unused)
{
    (void)unused;
    HIVE_OR_NULL(self, hive, lock);
    hk_hive_info i = HK_HIVE_INFO_INIT;
    hkp_lock_acquire(lock);
    hk_status st = hk_hive_info_get(hive, &i);
    hkp_lock_release(lock);
    if (st != HK_ERROR_SUCCESS)
        return hkp_raise(st, NULL);
    PyObject *d = PyDict_New();
    if (!d)
        return NULL;
    PyObject *logs = NULL;
    if (set_num(d, "major_version", i.major_version) < 0 ||
        set_num(d, "minor_version", i.minor_version) < 0 ||
        set_num(d, "primary_sequence", i.primary_sequence) < 0 ||
        set_num(d, "secondary_sequence", i.secondary_sequence) < 0 ||
        set_num(d, "last_written", i.last_written) < 0 || set_num(d, "file_type", i.file_type) < 0 ||
        set_num(d, "file_format", i.file_format) < 0 || set_num(d, "root_offset", i.root_offset) < 0 ||
        set_num(d, "bins_size", i.bins_size) < 0 || set_num(d, "file_size", i.file_size) < 0 ||
        set_num(d, "checksum_stored", i.checksum_stored) < 0 ||
        set_num(d, "checksum_computed", i.checksum_computed) < 0 ||
        PyDict_SetItemString(d, "checksum_ok", i.checksum_ok ? Py_True : Py_False) < 0 ||
        PyDict_SetItemString(d, "dirty", i.dirty ? Py_True : Py_False) < 0 ||
        set_num(d, "bin_count", i.bin_count) < 0 || set_str(d, "file_name", i.file_name) < 0 ||
        PyDict_SetItemString(d, "dirty_at_open", i.dirty_at_open ? Py_True : Py_False) < 0 ||
        set_num(d, "logs_found", i.logs_found) < 0 ||
        set_num(d, "logs_replayed", i.logs_replayed) < 0 ||
        set_num(d, "log_entries", i.log_entries) < 0 ||
        set_str(d, "salvage_note", hk_hive_salvage_note(hive)) < 0 ||
        !(logs = log_list(hive, i.logs_found)) || PyDict_SetItemString(d, "logs", logs) < 0) {
        Py_XDECREF(logs);
        Py_DECREF(d);
        return NULL;
    }
    Py_DECREF(logs);
    return d;
}

/* save(path=None, overwrite=False) */
static PyObject *core_save(PyObject *self, PyObject *args)
{
    HIVE_OR_NULL(self, hive, lock);
    PyObject *path = NULL;
    int overwrite = 0;
    if (!PyArg_ParseTuple(args, "|O&p:save", PyUnicode_FSConverter, &path, &overwrite))
        return NULL;
    hk_status st;
    char errmsg[512];
    hkp_lock_acquire(lock);
    Py_BEGIN_ALLOW_THREADS
    st = hk_hive_save(hive, path ? PyBytes_AS_STRING(path) : NULL,
                      overwrite ? HK_SAVE_OVERWRITE : 0);
    snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg());
    Py_END_ALLOW_THREADS
    hkp_lock_release(lock);
    Py_XDECREF(path);
    if (st != HK_ERROR_SUCCESS)
        return hkp_raise(st, errmsg);
    Py_RETURN_NONE;
}

static PyObject *core_set_clock(PyObject *self, PyObject *arg)
{
    HIVE_OR_NULL(self, hive, lock);
    unsigned long long ft = PyLong_AsUnsignedLongLong(arg);
    if (ft == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    hkp_lock_acquire(lock);
    hk_hive_set_clock(hive, ft);
    hkp_lock_release(lock);
    Py_RETURN_NONE;
}

static PyObject *core_close(PyObject *self, PyObject *unused)
{
    (void)unused;
    hive_core *h = (hive_core *)self;
    if (h->hive) {
        hkp_lock_acquire(h->lock);
        hk_hive *hive = h->hive;
        h->hive = NULL;
        hk_hive_close(hive); /* open keys keep it alive */
        hkp_lock_release(h->lock);
    }
    Py_RETURN_NONE;
}

static PyObject *core_closed(PyObject *self, void *unused)
{
    (void)unused;
    return PyBool_FromLong(((hive_core *)self)->hive == NULL);
}

static void core_dealloc(PyObject *self)
{
    hive_core *h = (hive_core *)self;
    if (h->hive) {
        hkp_lock_acquire(h->lock);
        hk_hive_close(h->hive);
        hkp_lock_release(h->lock);
    }
    hkp_lock_unref(h->lock);
    PyObject_Free(self);
}

static PyMethodDef core_methods[] = {
    {"root", core_root, METH_NOARGS, "A new PyHKEY on the root key."},
    {"info", core_info, METH_NOARGS, "The base block and log facts as a dict."},
    {"save", core_save, METH_VARARGS, "save(path=None, overwrite=False)"},
    {"set_clock", core_set_clock, METH_O, "set_clock(filetime): the clock of last-write times."},
    {"close", core_close, METH_NOARGS, "Releases the hive (open keys keep it alive)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef core_getset[] = {
    {"closed", core_closed, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject hive_core_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hivekit._hivekit.HiveCore",
    .tp_basicsize = sizeof(hive_core),
    .tp_dealloc = core_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_doc = "An open hive (use hivekit.Hive).",
    .tp_methods = core_methods,
    .tp_getset = core_getset,
};

static PyMethodDef hive_functions[] = {
    {"_open", (PyCFunction)(void (*)(void))open_hive, METH_VARARGS | METH_KEYWORDS, NULL},
    {"_create", create_hive, METH_VARARGS, NULL},
    {"_recover", recover, METH_VARARGS, NULL},
    {"_reg_first_key", reg_first_key, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

int hkp_hive_init(PyObject *module)
{
    if (PyType_Ready(&hive_core_type) < 0)
        return -1;
    if (PyModule_AddObjectRef(module, "HiveCore", (PyObject *)&hive_core_type) < 0)
        return -1;
    return PyModule_AddFunctions(module, hive_functions);
}
