/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry of an offline image for winreg: a context object whose
 * predefined keys (HKEY_*) are PyHKEYs sharing the context's lock, and the
 * namespace calls winreg has (ConnectRegistry, LoadKey,
 * ExpandEnvironmentStrings). */
#include "ext.h"

#include <string.h>

typedef struct {
    PyObject_HEAD
    hk_registry *reg; /* NULL once closed; open keys keep the context alive */
    hkp_lock *lock;
} registry_core;

static PyTypeObject registry_type;

static hk_registry_options options(const char *user, int writable)
{
    hk_registry_options o = HK_REGISTRY_OPTIONS_INIT;
    o.user = user;
    o.flags = writable ? HK_REGISTRY_WRITE : 0;
    return o;
}

/* The failure of a connect, its detail read first (on the thread that
 * called it); a failed connect's context is closed. */
static PyObject *connect_failed(hk_status st, hk_registry *reg)
{
    char detail[1024];
    snprintf(detail, sizeof detail, "%s", hk_errmsg());
    hk_registry_close(reg);
    return hkp_raise(st, detail);
}

/* _registry(path, user=None, writable=False): a context on the Windows
 * volume at path; path None: an empty context (HKLM and HKU with nothing
 * mounted, for LoadKey). */
static PyObject *registry_new(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *path_ob, *path = NULL;
    const char *user = NULL;
    int writable = 0;
    if (!PyArg_ParseTuple(args, "O|zp:_registry", &path_ob, &user, &writable))
        return NULL;
    if (path_ob != Py_None && !PyUnicode_FSConverter(path_ob, &path))
        return NULL;
    hk_registry_options o = options(user, writable);
    hk_registry *reg = NULL;
    hk_status st;
    Py_BEGIN_ALLOW_THREADS
    st = path ? hk_registry_connect(PyBytes_AS_STRING(path), &o, &reg) : hk_registry_new(&o, &reg);
    Py_END_ALLOW_THREADS
    Py_XDECREF(path);
    if (st != HK_ERROR_SUCCESS)
        return connect_failed(st, reg);
    registry_core *r = PyObject_New(registry_core, &registry_type);
    hkp_lock *lock = r ? hkp_lock_new() : NULL;
    if (!lock) {
        Py_XDECREF(r);
        hk_registry_close(reg);
        return NULL;
    }
    r->reg = reg;
    r->lock = lock;
    return (PyObject *)r;
}

/* predefined(hkey, access=0) -> PyHKEY */
static PyObject *registry_predefined(PyObject *self, PyObject *args)
{
    registry_core *r = (registry_core *)self;
    unsigned long hkey, access = 0;
    if (!PyArg_ParseTuple(args, "k|k:predefined", &hkey, &access))
        return NULL;
    if (!r->reg)
        return hkp_raise(HK_ERROR_INVALID_HANDLE, "the registry is closed");
    hk_key *key = NULL;
    hk_status st;
    char detail[1024] = "";
    hkp_lock_acquire(r->lock);
    Py_BEGIN_ALLOW_THREADS
    st = hk_registry_open_predefined(r->reg, (uint32_t)(hkey & 0xFFFFFFFFu), (uint32_t)access, &key);
    if (st != HK_ERROR_SUCCESS)
        snprintf(detail, sizeof detail, "%s", hk_errmsg());
    Py_END_ALLOW_THREADS
    hkp_lock_release(r->lock);
    return st == HK_ERROR_SUCCESS ? hkp_hkey_new(key, r->lock) : hkp_raise(st, detail);
}

/* users() -> [{"sid", "name", "profile_path", "ntuser_found", ...}] */
static PyObject *registry_users(PyObject *self, PyObject *unused)
{
    (void)unused;
    registry_core *r = (registry_core *)self;
    if (!r->reg)
        return hkp_raise(HK_ERROR_INVALID_HANDLE, "the registry is closed");
    PyObject *list = PyList_New(0);
    hkp_lock_acquire(r->lock);
    for (uint32_t i = 0; list; i++) {
        hk_registry_user u = HK_REGISTRY_USER_INIT;
        if (hk_registry_user_at(r->reg, i, &u) != HK_ERROR_SUCCESS)
            break;
        PyObject *d = Py_BuildValue("{s:N,s:N,s:N,s:O,s:O,s:O}", "sid", hkp_str(u.sid, strlen(u.sid)),
                                    "name", hkp_str(u.name, strlen(u.name)), "profile_path",
                                    hkp_str(u.profile_path, strlen(u.profile_path)),
                                    "ntuser_found", u.ntuser_found ? Py_True : Py_False,
                                    "usrclass_found", u.usrclass_found ? Py_True : Py_False,
                                    "is_current", u.is_current ? Py_True : Py_False);
        if (!d || PyList_Append(list, d) < 0)
            Py_CLEAR(list);
        Py_XDECREF(d);
    }
    hkp_lock_release(r->lock);
    return list;
}

/* close(): releases the context (open keys keep it alive; with writable,
 * edits are saved when the last reference goes). */
static PyObject *registry_close(PyObject *self, PyObject *unused)
{
    (void)unused;
    registry_core *r = (registry_core *)self;
    hk_status st = HK_ERROR_SUCCESS;
    if (r->reg) {
        hkp_lock_acquire(r->lock);
        hk_registry *reg = r->reg;
        r->reg = NULL;
        Py_BEGIN_ALLOW_THREADS
        st = hk_registry_close(reg);
        Py_END_ALLOW_THREADS
        hkp_lock_release(r->lock);
    }
    if (st != HK_ERROR_SUCCESS)
        return hkp_raise(st, NULL);
    Py_RETURN_NONE;
}

static void registry_dealloc(PyObject *self)
{
    registry_core *r = (registry_core *)self;
    if (r->reg) {
        hkp_lock_acquire(r->lock);
        hk_registry_close(r->reg);
        hkp_lock_release(r->lock);
    }
    hkp_lock_unref(r->lock);
    PyObject_Free(self);
}

static PyMethodDef registry_methods[] = {
    {"predefined", registry_predefined, METH_VARARGS, "predefined(hkey, access=0) -> PyHKEY"},
    {"users", registry_users, METH_NOARGS, "The profiles of the image's ProfileList."},
    {"close", registry_close, METH_NOARGS, "Releases the context."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject registry_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hivekit._hivekit.Registry",
    .tp_basicsize = sizeof(registry_core),
    .tp_dealloc = registry_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_doc = "The registry of an offline image (hivekit.winreg uses it).",
    .tp_methods = registry_methods,
};

/* ---- winreg functions on a context's keys ---------------------------------- */

/* LoadKey(key, sub_key, file_name): mounts file_name as key\sub_key, key
 * being HKEY_USERS or HKEY_LOCAL_MACHINE of an image. */
static PyObject *load_key(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "LoadKey expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *keep, *file = NULL;
    const char *sub;
    if (hkp_utf8(args[1], &sub, NULL, &keep, 0, "LoadKey() argument 2") < 0)
        return NULL;
    if (!PyUnicode_Check(args[2])) {
        Py_XDECREF(keep);
        PyErr_Format(PyExc_TypeError, "LoadKey() argument 3 must be str, not %.50s",
                     Py_TYPE(args[2])->tp_name);
        return NULL;
    }
    if (!PyUnicode_FSConverter(args[2], &file)) {
        Py_XDECREF(keep);
        return NULL;
    }
    hkp_ref ref;
    PyObject *res = NULL;
    if (hkp_ref_get(args[0], &ref, 0) == 0 && hkp_ref_enter(&ref) == 0) {
        hk_status st;
        Py_BEGIN_ALLOW_THREADS
        st = hk_load_key(ref.key, sub, PyBytes_AS_STRING(file));
        Py_END_ALLOW_THREADS
        hkp_ref_leave(&ref);
        res = st == HK_ERROR_SUCCESS ? Py_NewRef(Py_None) : hkp_raise(st, NULL);
    }
    Py_DECREF(file);
    Py_XDECREF(keep);
    return res;
}

struct expand_ctx {
    hk_key *key;
    const char *src;
};

static hk_status read_expand(void *ctx, char *buf, size_t *size)
{
    struct expand_ctx *c = ctx;
    return hk_expand_environment_strings(c->key, c->src, buf, size);
}

/* _expand(key, text) -> str: %NAME% with the environment of key's image. */
static PyObject *expand(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "_expand expected 2 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *keep;
    const char *src;
    if (hkp_utf8(args[1], &src, NULL, &keep, 0, "ExpandEnvironmentStrings() argument") < 0)
        return NULL;
    hkp_ref ref;
    if (hkp_ref_get(args[0], &ref, 1) < 0 || hkp_ref_enter(&ref) < 0) {
        Py_XDECREF(keep);
        return NULL;
    }
    struct expand_ctx c = {ref.key, src};
    hkp_sized out;
    hk_status st = hkp_read_sized(&out, read_expand, &c);
    hkp_ref_leave(&ref);
    Py_XDECREF(keep);
    PyObject *res = st == HK_ERROR_SUCCESS ? hkp_str(out.p, strlen(out.p)) : hkp_raise(st, NULL);
    hkp_sized_free(&out);
    return res;
}

/* _create_link(key, sub_key, target): a symbolic-link key (not in winreg;
 * for building test images). */
static PyObject *create_link(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *key_ob;
    const char *sub, *target;
    if (!PyArg_ParseTuple(args, "Oss:_create_link", &key_ob, &sub, &target))
        return NULL;
    PyObject *data = PyUnicode_AsEncodedString(PyTuple_GET_ITEM(args, 2), "utf-16-le", "strict");
    if (!data)
        return NULL;
    hkp_ref ref;
    if (hkp_ref_get(key_ob, &ref, 0) < 0 || hkp_ref_enter(&ref) < 0) {
        Py_DECREF(data);
        return NULL;
    }
    hk_key *link = NULL;
    hk_status st;
    Py_BEGIN_ALLOW_THREADS
    st = hk_create_key_ex(ref.key, sub, 0, NULL, HK_REG_OPTION_CREATE_LINK, HK_KEY_ALL_ACCESS,
                          &link, NULL);
    if (st == HK_ERROR_SUCCESS) {
        st = hk_set_value_ex(link, "SymbolicLinkValue", 0, HK_REG_LINK, PyBytes_AS_STRING(data),
                             (size_t)PyBytes_GET_SIZE(data));
        hk_close_key(link);
    }
    Py_END_ALLOW_THREADS
    hkp_ref_leave(&ref);
    Py_DECREF(data);
    if (st != HK_ERROR_SUCCESS)
        return hkp_raise(st, NULL);
    Py_RETURN_NONE;
}

static PyMethodDef registry_functions[] = {
    {"_registry", registry_new, METH_VARARGS, NULL},
    {"LoadKey", (PyCFunction)(void (*)(void))load_key, METH_FASTCALL,
     "LoadKey(key, sub_key, file_name): mounts a hive file as a key under HKEY_USERS or "
     "HKEY_LOCAL_MACHINE of an image."},
    {"_expand", (PyCFunction)(void (*)(void))expand, METH_FASTCALL, NULL},
    {"_create_link", create_link, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int hkp_registry_init(PyObject *module)
{
    if (PyType_Ready(&registry_type) < 0)
        return -1;
    if (PyModule_AddObjectRef(module, "Registry", (PyObject *)&registry_type) < 0)
        return -1;
    return PyModule_AddFunctions(module, registry_functions);
}
