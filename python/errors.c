/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Win32 codes to OSError as CPython does on Windows: the subclass from the
 * errno Windows maps the code to, .winerror set. On POSIX OSError ignores a
 * winerror argument, so the subclass comes from the mapped errno and
 * .winerror is set on the instance. */
#include "ext.h"

#include <errno.h>

/* Windows' winerror -> errno mapping for the codes the library returns
 * (anything else maps to EINVAL there too). */
static int map_errno(hk_status st)
{
    switch (st) {
    case HK_ERROR_FILE_NOT_FOUND:
    case HK_ERROR_PATH_NOT_FOUND:
    case HK_ERROR_BAD_PATHNAME:
        return ENOENT;
    case HK_ERROR_ACCESS_DENIED:
    case 32u: /* ERROR_SHARING_VIOLATION */
    case 33u: /* ERROR_LOCK_VIOLATION */
        return EACCES;
    case HK_ERROR_INVALID_HANDLE:
        return EBADF;
    case HK_ERROR_NOT_ENOUGH_MEMORY:
    case 14u: /* ERROR_OUTOFMEMORY */
        return ENOMEM;
    case HK_ERROR_FILE_EXISTS:
    case HK_ERROR_ALREADY_EXISTS:
        return EEXIST;
    default:
        return EINVAL;
    }
}

/* The exceptions of the codes raised without a detail are built directly
 * from parts made once: an EnumKey loop ends on one per key, and going
 * through OSError's constructor (argument parsing, the errno lookup) and a
 * generic attribute set for each costs more than the walk's own step. */
struct made {
    hk_status st;
    PyTypeObject *type; /* the subclass OSError's constructor picked */
    PyObject *args;     /* (errno, text) */
    PyObject *err, *text, *code;
};
static struct made made[8];
static PyObject *winerror_name;

/* The exception for st as OSError's constructor makes it, winerror set. */
static PyObject *construct(hk_status st, const char *detail)
{
    PyObject *msg = detail && detail[0]
                        ? PyUnicode_FromFormat("%s (%s)", hk_strerror(st), detail)
                        : PyUnicode_FromString(hk_strerror(st));
    PyObject *args = msg ? Py_BuildValue("(iN)", map_errno(st), msg) : NULL;
    if (!args)
        return NULL;
    PyObject *exc = PyObject_Call(PyExc_OSError, args, NULL);
    Py_DECREF(args);
    PyObject *code = exc ? PyLong_FromUnsignedLong(st) : NULL;
    if (!code || PyObject_SetAttr(exc, winerror_name, code) < 0) {
        Py_XDECREF(code);
        Py_XDECREF(exc);
        return NULL;
    }
    Py_DECREF(code);
    return exc;
}

/* The made parts of st, taken from a first constructed exception; NULL
 * when the cache is full (or on a failure, with no exception left set). */
static struct made *made_for(hk_status st)
{
    size_t i = 0;
    for (; i < sizeof made / sizeof made[0] && made[i].type; i++) {
        if (made[i].st == st)
            return &made[i];
    }
    if (i == sizeof made / sizeof made[0])
        return NULL;
    PyObject *exc = construct(st, NULL);
    PyOSErrorObject *o = (PyOSErrorObject *)exc;
    PyObject *code = exc ? PyObject_GetAttr(exc, winerror_name) : NULL;
    if (!code || !PyTuple_Check(o->args) || PyTuple_GET_SIZE(o->args) != 2 || !o->myerrno ||
        !o->strerror) {
        Py_XDECREF(code);
        Py_XDECREF(exc);
        PyErr_Clear();
        return NULL;
    }
    made[i] = (struct made){st, (PyTypeObject *)Py_NewRef(Py_TYPE(exc)), Py_NewRef(o->args),
                            Py_NewRef(o->myerrno), Py_NewRef(o->strerror), code};
    Py_DECREF(exc);
    return &made[i];
}

/* A new instance of m's exception: the fields OSError's constructor would
 * set, and .winerror in the instance's dict. */
static PyObject *instance(const struct made *m)
{
    PyOSErrorObject *o = (PyOSErrorObject *)m->type->tp_alloc(m->type, 0);
    if (!o)
        return NULL;
    o->args = Py_NewRef(m->args);
    o->myerrno = Py_NewRef(m->err);
    o->strerror = Py_NewRef(m->text);
    o->written = -1;
    o->dict = PyDict_New();
    if (!o->dict || PyDict_SetItem(o->dict, winerror_name, m->code) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

PyObject *hkp_raise(hk_status st, const char *detail)
{
    const struct made *m = detail && detail[0] ? NULL : made_for(st);
    PyObject *exc = m ? instance(m) : construct(st, detail);
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

/* _raise(code, detail=None): raises as the C functions do (for winreg.py). */
static PyObject *raise_fn(PyObject *module, PyObject *args)
{
    (void)module;
    unsigned long code;
    const char *detail = NULL;
    if (!PyArg_ParseTuple(args, "k|z:_raise", &code, &detail))
        return NULL;
    return hkp_raise((hk_status)code, detail);
}

static PyMethodDef error_functions[] = {
    {"_raise", raise_fn, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int hkp_errors_init(PyObject *module)
{
    winerror_name = PyUnicode_InternFromString("winerror");
    if (!winerror_name)
        return -1;
    if (PyModule_AddObjectRef(module, "error", PyExc_OSError) < 0)
        return -1;
    return PyModule_AddFunctions(module, error_functions);
}
