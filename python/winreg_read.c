/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* winreg's reading functions: OpenKey/OpenKeyEx, EnumKey, EnumValue,
 * QueryValue, QueryValueEx, QueryInfoKey. Each holds its key's lock with
 * the GIL released around the library call. */
#include "ext.h"

#include <string.h>

#define CALL(ref, expr)                                                                       \
    do {                                                                                      \
        Py_BEGIN_ALLOW_THREADS st = (expr);                                                   \
        Py_END_ALLOW_THREADS                                                                  \
    } while (0)

/* An index argument: a C int as CPython's clinic reads it. */
static int int_arg(PyObject *ob, int *out)
{
    long v = PyLong_AsLong(ob);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v > INT32_MAX || v < INT32_MIN) {
        PyErr_SetString(PyExc_OverflowError, "signed integer is greater than maximum");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* OpenKey(key, sub_key, reserved=0, access=KEY_READ): reserved is passed as
 * RegOpenKeyEx's options, as CPython does (REG_OPTION_OPEN_LINK). The
 * all-positional call (a walk's) is parsed without building a tuple. */
static PyObject *open_key(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames)
{
    (void)module;
    static const char *const names[] = {"key", "sub_key", "reserved", "access"};
    PyObject *argv[4] = {NULL, NULL, NULL, NULL};
    if (nargs > 4) {
        PyErr_Format(PyExc_TypeError, "OpenKey() takes at most 4 arguments (%zd given)", nargs);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++)
        argv[i] = args[i];
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *kn = PyTuple_GET_ITEM(kwnames, k);
        int slot = -1;
        for (int j = 0; j < 4; j++) {
            if (PyUnicode_CompareWithASCIIString(kn, names[j]) == 0)
                slot = j;
        }
        if (slot < 0 || argv[slot]) {
            PyErr_Format(PyExc_TypeError, slot < 0
                         ? "OpenKey() got an unexpected keyword argument '%U'"
                         : "argument for OpenKey() given by name ('%U') and position", kn);
            return NULL;
        }
        argv[slot] = args[nargs + k];
    }
    if (!argv[0] || !argv[1]) {
        PyErr_Format(PyExc_TypeError, "OpenKey() missing required argument '%s'",
                     argv[0] ? "sub_key" : "key");
        return NULL;
    }
    int reserved = 0, access = (int)HK_KEY_READ;
    if ((argv[2] && int_arg(argv[2], &reserved) < 0) || (argv[3] && int_arg(argv[3], &access) < 0))
        return NULL;
    PyObject *keep;
    const char *sub;
    if (hkp_utf8(argv[1], &sub, NULL, &keep, 1, "OpenKey() argument 'sub_key'") < 0)
        return NULL;
    hkp_ref ref;
    if (hkp_ref_get(argv[0], &ref, 0) < 0 || hkp_ref_enter(&ref) < 0) {
        Py_XDECREF(keep);
        return NULL;
    }
    hk_key *out = NULL;
    hk_status st;
    CALL(ref, hk_open_key(ref.key, sub, (uint32_t)reserved, (uint32_t)access, &out));
    hkp_lock *lock = ref.lock;
    hkp_lock_ref(lock);
    hkp_ref_leave(&ref);
    Py_XDECREF(keep);
    PyObject *res = st == HK_ERROR_SUCCESS ? hkp_hkey_new(out, lock) : hkp_raise(st, NULL);
    hkp_lock_unref(lock);
    return res;
}

struct enum_ctx {
    hk_key *key;
    uint32_t index;
};

static hk_status read_enum_key(void *ctx, char *buf, size_t *size)
{
    struct enum_ctx *c = ctx;
    return hk_enum_key(c->key, c->index, buf, size);
}

/* EnumKey(key, index): the name of subkey number index. */
static PyObject *enum_key(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    int index;
    if (!hkp_nargs_ok("EnumKey", nargs, 2) || int_arg(args[1], &index) < 0)
        return NULL;
    hkp_ref ref;
    if (hkp_ref_get(args[0], &ref, 0) < 0 || hkp_ref_enter(&ref) < 0)
        return NULL;
    struct enum_ctx c = {ref.key, (uint32_t)index};
    hkp_sized out;
    hk_status st = index < 0 ? HK_ERROR_NO_MORE_ITEMS : hkp_read_sized(&out, read_enum_key, &c);
    hkp_ref_leave(&ref);
    PyObject *res = st == HK_ERROR_SUCCESS ? hkp_str(out.p, out.size) : hkp_raise(st, NULL);
    if (index >= 0)
        hkp_sized_free(&out);
    return res;
}

/* EnumValue(key, index) -> (name, data, type). */
static PyObject *enum_value(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    int index;
    if (!hkp_nargs_ok("EnumValue", nargs, 2) || int_arg(args[1], &index) < 0)
        return NULL;
    hkp_ref ref;
    if (hkp_ref_get(args[0], &ref, 0) < 0 || hkp_ref_enter(&ref) < 0)
        return NULL;
    char name_small[512], data_small[2048];
    char *name = name_small, *data = data_small;
    size_t name_size = sizeof name_small, data_size = sizeof data_small;
    uint32_t type = 0;
    hk_status st;
    CALL(ref, index < 0 ? HK_ERROR_NO_MORE_ITEMS
                        : hk_enum_value(ref.key, (uint32_t)index, name, &name_size, &type, data,
                                        &data_size));
    for (int tries = 0; st == HK_ERROR_MORE_DATA && tries < 3; tries++) {
        if (name_size < sizeof name_small)
            name_size = sizeof name_small;
        if (data_size < sizeof data_small)
            data_size = sizeof data_small;
        char *n = name == name_small ? PyMem_Malloc(name_size) : PyMem_Realloc(name, name_size);
        if (n)
            name = n;
        char *d = data == data_small ? PyMem_Malloc(data_size) : PyMem_Realloc(data, data_size);
        if (d)
            data = d;
        if (!n || !d) {
            st = HK_ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        CALL(ref, hk_enum_value(ref.key, (uint32_t)index, name, &name_size, &type, data,
                                &data_size));
    }
    hkp_ref_leave(&ref);
    PyObject *res = NULL;
    if (st == HK_ERROR_SUCCESS) {
        PyObject *items[3] = {hkp_str(name, name_size), hkp_reg2py(data, data_size, type),
                              PyLong_FromUnsignedLong(type)};
        res = items[0] && items[1] && items[2] ? PyTuple_New(3) : NULL;
        for (Py_ssize_t i = 0; i < 3; i++) {
            if (res)
                PyTuple_SET_ITEM(res, i, items[i]);
            else
                Py_XDECREF(items[i]);
        }
    } else {
        hkp_raise(st, NULL);
    }
    if (name != name_small)
        PyMem_Free(name);
    if (data != data_small)
        PyMem_Free(data);
    return res;
}

struct query_ctx {
    hk_key *key;
    const char *name;
    uint32_t type;
};

static hk_status read_query_value_ex(void *ctx, char *buf, size_t *size)
{
    struct query_ctx *c = ctx;
    return hk_query_value_ex(c->key, c->name, &c->type, buf, size);
}

static hk_status read_query_value(void *ctx, char *buf, size_t *size)
{
    struct query_ctx *c = ctx;
    return hk_query_value(c->key, c->name, buf, size);
}

/* QueryValueEx(key, name) -> (data, type); QueryValue(key, sub_key) -> str:
 * the default value of key\\sub_key. */
static PyObject *query_common(PyObject *const *args, Py_ssize_t nargs, int ex)
{
    PyObject *keep;
    const char *name;
    if (hkp_args_key_name(ex ? "QueryValueEx" : "QueryValue", args, nargs, 2, &name, &keep) < 0)
        return NULL;
    hkp_ref ref;
    if (hkp_ref_get(args[0], &ref, 0) < 0 || hkp_ref_enter(&ref) < 0) {
        Py_XDECREF(keep);
        return NULL;
    }
    struct query_ctx c = {ref.key, name, 0};
    hkp_sized out;
    hk_status st = hkp_read_sized(&out, ex ? read_query_value_ex : read_query_value, &c);
    hkp_ref_leave(&ref);
    Py_XDECREF(keep);
    PyObject *res = NULL;
    if (st != HK_ERROR_SUCCESS) {
        hkp_raise(st, NULL);
    } else if (!ex) {
        res = hkp_str(out.p, strlen(out.p));
    } else {
        PyObject *v = hkp_reg2py(out.p, out.size, c.type);
        res = v ? Py_BuildValue("(Nk)", v, (unsigned long)c.type) : NULL;
    }
    hkp_sized_free(&out);
    return res;
}

static PyObject *query_value_ex(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    return query_common(args, nargs, 1);
}

static PyObject *query_value(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    return query_common(args, nargs, 0);
}

/* QueryInfoKey(key) -> (subkeys, values, last_write FILETIME). */
static PyObject *query_info_key(PyObject *module, PyObject *key_ob)
{
    (void)module;
    hkp_ref ref;
    if (hkp_ref_get(key_ob, &ref, 0) < 0 || hkp_ref_enter(&ref) < 0)
        return NULL;
    hk_key_info info = HK_KEY_INFO_INIT;
    hk_status st;
    CALL(ref, hk_query_info_key(ref.key, NULL, NULL, &info));
    hkp_ref_leave(&ref);
    if (st != HK_ERROR_SUCCESS)
        return hkp_raise(st, NULL);
    return Py_BuildValue("(kkK)", (unsigned long)info.subkeys, (unsigned long)info.values,
                         (unsigned long long)info.last_write);
}

PyMethodDef hkp_winreg_read_methods[] = {
    {"OpenKey", (PyCFunction)(void (*)(void))open_key, METH_FASTCALL | METH_KEYWORDS,
     "OpenKey(key, sub_key, reserved=0, access=KEY_READ): opens the specified key."},
    {"OpenKeyEx", (PyCFunction)(void (*)(void))open_key, METH_FASTCALL | METH_KEYWORDS,
     "OpenKeyEx(key, sub_key, reserved=0, access=KEY_READ): alias of OpenKey."},
    {"EnumKey", (PyCFunction)(void (*)(void))enum_key, METH_FASTCALL,
     "EnumKey(key, index): the name of subkey number index."},
    {"EnumValue", (PyCFunction)(void (*)(void))enum_value, METH_FASTCALL,
     "EnumValue(key, index) -> (name, data, type)."},
    {"QueryValueEx", (PyCFunction)(void (*)(void))query_value_ex, METH_FASTCALL,
     "QueryValueEx(key, name) -> (data, type)."},
    {"QueryValue", (PyCFunction)(void (*)(void))query_value, METH_FASTCALL,
     "QueryValue(key, sub_key) -> str: the unnamed value of key\\sub_key."},
    {"QueryInfoKey", query_info_key, METH_O,
     "QueryInfoKey(key) -> (subkeys, values, last_write as 100 ns ticks since 1601)."},
    {NULL, NULL, 0, NULL},
};
