/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* winreg's editing functions: CreateKey/CreateKeyEx, DeleteKey/DeleteKeyEx,
 * DeleteValue, SetValue, SetValueEx, FlushKey, SaveKey, and the reflection
 * calls. */
#include "ext.h"

#include <string.h>

#define CALL(expr)                                                                            \
    do {                                                                                      \
        Py_BEGIN_ALLOW_THREADS st = (expr);                                                   \
        Py_END_ALLOW_THREADS                                                                  \
    } while (0)

/* Runs one library call on a key argument; a new key it returns becomes a
 * PyHKEY on the same lock. */
struct call {
    hkp_ref ref;
    hk_key *out;
};

static int begin(struct call *c, PyObject *key_ob)
{
    c->out = NULL;
    return hkp_ref_get(key_ob, &c->ref, 0) < 0 || hkp_ref_enter(&c->ref) < 0 ? -1 : 0;
}

static PyObject *finish(struct call *c, hk_status st)
{
    hkp_lock *lock = c->ref.lock;
    hkp_lock_ref(lock);
    hkp_ref_leave(&c->ref);
    PyObject *res;
    if (st != HK_ERROR_SUCCESS)
        res = hkp_raise(st, NULL);
    else if (c->out)
        res = hkp_hkey_new(c->out, lock);
    else
        res = Py_NewRef(Py_None);
    hkp_lock_unref(lock);
    return res;
}

/* CreateKey(key, sub_key) */
static PyObject *create_key(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    PyObject *keep;
    const char *sub;
    if (hkp_args_key_name("CreateKey", args, nargs, 2, &sub, &keep) < 0)
        return NULL;
    struct call c;
    PyObject *res = NULL;
    if (begin(&c, args[0]) == 0) {
        hk_status st;
        CALL(hk_create_key(c.ref.key, sub, &c.out));
        res = finish(&c, st);
    }
    Py_XDECREF(keep);
    return res;
}

/* CreateKeyEx(key, sub_key, reserved=0, access=KEY_WRITE) */
static PyObject *create_key_ex(PyObject *module, PyObject *args, PyObject *kw)
{
    (void)module;
    static char *names[] = {"key", "sub_key", "reserved", "access", NULL};
    PyObject *key_ob, *sub_ob;
    int reserved = 0, access = (int)HK_KEY_WRITE;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|ii:CreateKeyEx", names, &key_ob, &sub_ob,
                                     &reserved, &access))
        return NULL;
    PyObject *keep;
    const char *sub;
    if (hkp_utf8(sub_ob, &sub, NULL, &keep, 1, "CreateKeyEx() argument 'sub_key'") < 0)
        return NULL;
    struct call c;
    PyObject *res = NULL;
    if (begin(&c, key_ob) == 0) {
        hk_status st;
        CALL(hk_create_key_ex(c.ref.key, sub, (uint32_t)reserved, NULL, 0, (uint32_t)access,
                              &c.out, NULL));
        res = finish(&c, st);
    }
    Py_XDECREF(keep);
    return res;
}

/* ex: RegDeleteKeyEx with its access (the view) and reserved. */
static PyObject *delete_common(PyObject *key_ob, PyObject *sub_ob, const char *what, int ex,
                               int access, int reserved)
{
    PyObject *keep;
    const char *sub;
    if (hkp_utf8(sub_ob, &sub, NULL, &keep, 0, what) < 0)
        return NULL;
    struct call c;
    PyObject *res = NULL;
    if (begin(&c, key_ob) == 0) {
        hk_status st;
        CALL(ex ? hk_delete_key_ex(c.ref.key, sub, (uint32_t)access, (uint32_t)reserved)
                : hk_delete_key(c.ref.key, sub));
        res = finish(&c, st);
    }
    Py_XDECREF(keep);
    return res;
}

/* DeleteKey(key, sub_key) */
static PyObject *delete_key(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (!hkp_nargs_ok("DeleteKey", nargs, 2))
        return NULL;
    return delete_common(args[0], args[1], "DeleteKey() argument 2", 0, 0, 0);
}

/* DeleteKeyEx(key, sub_key, access=KEY_WOW64_64KEY, reserved=0): access
 * selects the WOW64 view. */
static PyObject *delete_key_ex(PyObject *module, PyObject *args, PyObject *kw)
{
    (void)module;
    static char *names[] = {"key", "sub_key", "access", "reserved", NULL};
    PyObject *key_ob, *sub_ob;
    int reserved = 0, access = (int)HK_KEY_WOW64_64KEY;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|ii:DeleteKeyEx", names, &key_ob, &sub_ob,
                                     &access, &reserved))
        return NULL;
    return delete_common(key_ob, sub_ob, "DeleteKeyEx() argument 'sub_key'", 1, access, reserved);
}

/* DeleteValue(key, value) */
static PyObject *delete_value(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    PyObject *keep;
    const char *name;
    if (hkp_args_key_name("DeleteValue", args, nargs, 2, &name, &keep) < 0)
        return NULL;
    struct call c;
    PyObject *res = NULL;
    if (begin(&c, args[0]) == 0) {
        hk_status st;
        CALL(hk_delete_value(c.ref.key, name));
        res = finish(&c, st);
    }
    Py_XDECREF(keep);
    return res;
}

/* Sets value name of key (or of key\sub_key, created as CPython's SetValue
 * does with KEY_SET_VALUE) to size bytes of data. */
static hk_status set_value(hk_key *key, const char *sub, const char *name, uint32_t type,
                           const void *data, size_t size)
{
    if (!sub || !sub[0])
        return hk_set_value_ex(key, name, 0, type, data, size);
    hk_key *child;
    hk_status st = hk_create_key_ex(key, sub, 0, NULL, 0, HK_KEY_SET_VALUE, &child, NULL);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = hk_set_value_ex(child, name, 0, type, data, size);
    hk_close_key(child);
    return st;
}

/* SetValue's type and value: REG_SZ and a str, as registry bytes (with
 * the NUL: (len + 1) * 2). 0, or -1 with TypeError. */
static int sz_value(PyObject *type_ob, PyObject *value, void **data, size_t *size)
{
    unsigned long type = PyLong_AsUnsignedLongMask(type_ob);
    if (type == (unsigned long)-1 && PyErr_Occurred())
        return -1;
    if (type != HK_REG_SZ) {
        PyErr_SetString(PyExc_TypeError, "type must be winreg.REG_SZ");
        return -1;
    }
    if (!PyUnicode_Check(value)) {
        PyErr_Format(PyExc_TypeError, "SetValue() argument 4 must be str, not %.50s",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    return hkp_py2reg(value, HK_REG_SZ, data, size);
}

/* SetValueEx's type (an int) and value, as registry bytes of that type. */
static int typed_value(PyObject *type_ob, PyObject *value, uint32_t *type, void **data,
                       size_t *size)
{
    if (!PyLong_Check(type_ob)) {
        PyErr_Format(PyExc_TypeError, "'%.50s' object cannot be interpreted as an integer",
                     Py_TYPE(type_ob)->tp_name);
        return -1;
    }
    *type = (uint32_t)PyLong_AsUnsignedLongMask(type_ob);
    return hkp_py2reg(value, *type, data, size);
}

/* SetValue(key, sub_key, type, value): the default value of key\sub_key as
 * REG_SZ. SetValueEx(key, value_name, reserved, type, value). */
static PyObject *set_value_common(PyObject *const *args, Py_ssize_t nargs, int ex)
{
    PyObject *keep, *res = NULL;
    const char *name;
    if (hkp_args_key_name(ex ? "SetValueEx" : "SetValue", args, nargs, ex ? 5 : 4, &name,
                          &keep) < 0)
        return NULL;
    uint32_t type = HK_REG_SZ;
    void *data = NULL;
    size_t size;
    struct call c;
    if ((ex ? typed_value(args[3], args[4], &type, &data, &size)
            : sz_value(args[2], args[3], &data, &size)) == 0 &&
        begin(&c, args[0]) == 0) {
        hk_status st;
        CALL(ex ? hk_set_value_ex(c.ref.key, name, 0, type, data, size)
                : set_value(c.ref.key, name, NULL, HK_REG_SZ, data, size));
        res = finish(&c, st);
    }
    PyMem_Free(data);
    Py_XDECREF(keep);
    return res;
}

static PyObject *set_value_fn(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    return set_value_common(args, nargs, 0);
}

static PyObject *set_value_ex(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    return set_value_common(args, nargs, 1);
}

/* FlushKey(key): writes the key's hive to its file. */
static PyObject *flush_key(PyObject *module, PyObject *key_ob)
{
    (void)module;
    struct call c;
    if (begin(&c, key_ob) < 0)
        return NULL;
    hk_status st;
    CALL(hk_flush_key(c.ref.key));
    return finish(&c, st);
}

/* SaveKey(key, file_name): the key's subtree as a new hive file, which must
 * not exist. */
static PyObject *save_key(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (!hkp_nargs_ok("SaveKey", nargs, 2))
        return NULL;
    PyObject *path = NULL;
    if (!PyUnicode_FSConverter(args[1], &path))
        return NULL;
    struct call c;
    PyObject *res = NULL;
    if (begin(&c, args[0]) == 0) {
        hk_status st;
        CALL(hk_save_key(c.ref.key, PyBytes_AS_STRING(path), 0));
        res = finish(&c, st);
    }
    Py_DECREF(path);
    return res;
}

/* The reflection calls. Registry reflection does not exist offline (nor
 * on Windows since 7, where the calls still keep a flag that
 * QueryReflectionKey reports, false until DisableReflectionKey: CPython's
 * 64-bit tests check that). The library's calls check the handle; the
 * flag is kept per handle here (not per key, not stored in the hive). */
static PyObject *reflection(PyObject *key_ob, int set)
{
    struct call c;
    if (begin(&c, key_ob) < 0)
        return NULL;
    int disabled = 0;
    hk_status st;
    CALL(set < 0 ? hk_query_reflection_key(c.ref.key, &disabled)
                 : set ? hk_disable_reflection_key(c.ref.key) : hk_enable_reflection_key(c.ref.key));
    int flag = hkp_handle_reflection(c.ref.key, set);
    PyObject *r = finish(&c, st != HK_ERROR_SUCCESS ? st
                             : flag < 0            ? HK_ERROR_INVALID_HANDLE
                                                   : HK_ERROR_SUCCESS);
    if (r && set < 0) {
        Py_DECREF(r);
        r = PyBool_FromLong(flag);
    }
    return r;
}

static PyObject *disable_reflection(PyObject *module, PyObject *key_ob)
{
    (void)module;
    return reflection(key_ob, 1);
}

static PyObject *enable_reflection(PyObject *module, PyObject *key_ob)
{
    (void)module;
    return reflection(key_ob, 0);
}

static PyObject *query_reflection(PyObject *module, PyObject *key_ob)
{
    (void)module;
    return reflection(key_ob, -1);
}

PyMethodDef hkp_winreg_edit_methods[] = {
    {"CreateKey", (PyCFunction)(void (*)(void))create_key, METH_FASTCALL,
     "CreateKey(key, sub_key): creates or opens the specified key."},
    {"CreateKeyEx", (PyCFunction)(void (*)(void))create_key_ex, METH_VARARGS | METH_KEYWORDS,
     "CreateKeyEx(key, sub_key, reserved=0, access=KEY_WRITE): creates or opens the key."},
    {"DeleteKey", (PyCFunction)(void (*)(void))delete_key, METH_FASTCALL,
     "DeleteKey(key, sub_key): deletes a key that has no subkeys."},
    {"DeleteKeyEx", (PyCFunction)(void (*)(void))delete_key_ex, METH_VARARGS | METH_KEYWORDS,
     "DeleteKeyEx(key, sub_key, access=KEY_WOW64_64KEY, reserved=0): deletes a key."},
    {"DeleteValue", (PyCFunction)(void (*)(void))delete_value, METH_FASTCALL,
     "DeleteValue(key, value): removes a named value."},
    {"SetValue", (PyCFunction)(void (*)(void))set_value_fn, METH_FASTCALL,
     "SetValue(key, sub_key, type, value): sets the unnamed value of key\\sub_key (REG_SZ)."},
    {"SetValueEx", (PyCFunction)(void (*)(void))set_value_ex, METH_FASTCALL,
     "SetValueEx(key, value_name, reserved, type, value): stores data in a value."},
    {"FlushKey", flush_key, METH_O, "FlushKey(key): writes the key's hive to its file."},
    {"SaveKey", (PyCFunction)(void (*)(void))save_key, METH_FASTCALL,
     "SaveKey(key, file_name): saves the key and its subkeys as a new hive file."},
    {"DisableReflectionKey", disable_reflection, METH_O,
     "DisableReflectionKey(key): sets the handle's reflection-disabled flag (no reflection "
     "exists offline)."},
    {"EnableReflectionKey", enable_reflection, METH_O,
     "EnableReflectionKey(key): clears the handle's reflection-disabled flag."},
    {"QueryReflectionKey", query_reflection, METH_O,
     "QueryReflectionKey(key) -> bool: whether reflection was disabled on this handle."},
    {NULL, NULL, 0, NULL},
};
