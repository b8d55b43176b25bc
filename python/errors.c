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

/* The (errno, text) arguments of the codes an enumeration ends with, made
 * once: an EnumKey loop raises one per key. */
static PyObject *no_more_args, *winerror_name;

PyObject *hkp_raise(hk_status st, const char *detail)
{
    int err = map_errno(st);
    PyObject *args;
    if (st == HK_ERROR_NO_MORE_ITEMS && !(detail && detail[0]) && no_more_args) {
        args = Py_NewRef(no_more_args);
    } else {
        PyObject *msg = detail && detail[0]
                            ? PyUnicode_FromFormat("%s (%s)", hk_strerror(st), detail)
                            : PyUnicode_FromString(hk_strerror(st));
        args = msg ? Py_BuildValue("(iN)", err, msg) : NULL;
    }
    if (!args)
        return NULL;
    PyObject *exc = PyObject_Call(PyExc_OSError, args, NULL);
    Py_DECREF(args);
    if (!exc)
        return NULL;
    PyObject *code = PyLong_FromUnsignedLong(st);
    if (!code || PyObject_SetAttr(exc, winerror_name, code) < 0) {
        Py_XDECREF(code);
        Py_DECREF(exc);
        return NULL;
    }
    Py_DECREF(code);
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
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
    no_more_args = Py_BuildValue("(is)", map_errno(HK_ERROR_NO_MORE_ITEMS),
                                 hk_strerror(HK_ERROR_NO_MORE_ITEMS));
    if (!winerror_name || !no_more_args)
        return -1;
    if (PyModule_AddObjectRef(module, "error", PyExc_OSError) < 0)
        return -1;
    return PyModule_AddFunctions(module, error_functions);
}
