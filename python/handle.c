/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PyHKEY and the table of open keys. A handle's value is the address of
 * its hk_key; a value is used only while the table holds it, so a closed,
 * detached-and-closed or made-up integer is ERROR_INVALID_HANDLE, never a
 * pointer followed. The table is changed with the GIL held. */
#include "ext.h"

#include <stdint.h>

struct entry {
    uintptr_t key; /* 0: empty */
    hkp_lock *lock;
    int reflection_disabled; /* DisableReflectionKey's flag, per handle */
};

static struct {
    struct entry *slots;
    size_t cap, used; /* cap a power of two, used < cap / 2 */
} table;

static PyObject *resolver; /* winreg.py's callable: HKEY_* number -> PyHKEY */

static size_t slot_of(uintptr_t key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (table.cap - 1);
}

static struct entry *lookup(uintptr_t key)
{
    if (table.cap == 0 || key == 0)
        return NULL;
    for (size_t i = slot_of(key);; i = (i + 1) & (table.cap - 1)) {
        if (table.slots[i].key == key)
            return &table.slots[i];
        if (table.slots[i].key == 0)
            return NULL;
    }
}

static int insert(uintptr_t key, hkp_lock *lock)
{
    if (2 * (table.used + 1) > table.cap) {
        size_t cap = table.cap ? 2 * table.cap : 64;
        struct entry *slots = PyMem_Calloc(cap, sizeof *slots);
        if (!slots) {
            PyErr_NoMemory();
            return -1;
        }
        struct entry *old = table.slots;
        size_t old_cap = table.cap;
        table.slots = slots;
        table.cap = cap;
        for (size_t i = 0; i < old_cap; i++) {
            if (old[i].key) {
                size_t j = slot_of(old[i].key);
                while (slots[j].key)
                    j = (j + 1) & (cap - 1);
                slots[j] = old[i];
            }
        }
        PyMem_Free(old);
    }
    size_t i = slot_of(key);
    while (table.slots[i].key)
        i = (i + 1) & (table.cap - 1);
    table.slots[i] = (struct entry){key, lock, 0};
    table.used++;
    return 0;
}

/* Linear probing's deletion: later entries of the run move back so that no
 * lookup stops early at the hole. */
static void erase(struct entry *e)
{
    size_t mask = table.cap - 1, i = (size_t)(e - table.slots);
    table.slots[i].key = 0;
    for (size_t j = (i + 1) & mask; table.slots[j].key; j = (j + 1) & mask) {
        size_t home = slot_of(table.slots[j].key);
        /* Move j back into the hole at i when its home is not in (i, j]. */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            table.slots[i] = table.slots[j];
            table.slots[j].key = 0;
            i = j;
        }
    }
    table.used--;
}

hk_status hkp_handle_close(hk_key *key)
{
    struct entry *e = lookup((uintptr_t)key);
    if (!e)
        return HK_ERROR_INVALID_HANDLE;
    hkp_lock *lock = e->lock;
    hkp_lock_ref(lock);
    hkp_lock_acquire(lock);
    /* Another thread may have closed it while this one waited. */
    e = lookup((uintptr_t)key);
    hk_status st = HK_ERROR_INVALID_HANDLE;
    if (e && e->lock == lock) {
        erase(e);
        st = hk_close_key(key);
        hkp_lock_unref(lock); /* the entry's reference */
    }
    hkp_lock_release(lock);
    hkp_lock_unref(lock);
    return st;
}

/* ---- PyHKEY ------------------------------------------------------------- */

PyObject *hkp_hkey_new(hk_key *key, hkp_lock *lock)
{
    hkp_hkey *h = PyObject_New(hkp_hkey, &hkp_hkey_type);
    if (!h || insert((uintptr_t)key, lock) < 0) {
        Py_XDECREF(h);
        hk_close_key(key);
        return NULL;
    }
    hkp_lock_ref(lock);
    h->key = key;
    return (PyObject *)h;
}

static void hkey_dealloc(PyObject *ob)
{
    hkp_hkey *h = (hkp_hkey *)ob;
    if (h->key)
        hkp_handle_close(h->key);
    PyObject_Free(ob);
}

static PyObject *hkey_close(PyObject *ob, PyObject *unused)
{
    (void)unused;
    hkp_hkey *h = (hkp_hkey *)ob;
    hk_key *key = h->key;
    h->key = NULL;
    if (key) {
        hk_status st = hkp_handle_close(key);
        /* Closed through its integer value first: nothing left to do. */
        if (st != HK_ERROR_SUCCESS && st != HK_ERROR_INVALID_HANDLE)
            return hkp_raise(st, NULL);
    }
    Py_RETURN_NONE;
}

static PyObject *hkey_detach(PyObject *ob, PyObject *unused)
{
    (void)unused;
    hkp_hkey *h = (hkp_hkey *)ob;
    void *key = h->key;
    h->key = NULL;
    return PyLong_FromVoidPtr(key);
}

static PyObject *hkey_enter(PyObject *ob, PyObject *unused)
{
    (void)unused;
    return Py_NewRef(ob);
}

static PyObject *hkey_exit(PyObject *ob, PyObject *const *args, Py_ssize_t nargs)
{
    (void)args;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "__exit__ expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    return hkey_close(ob, NULL);
}

static PyObject *hkey_handle(PyObject *ob, void *unused)
{
    (void)unused;
    return PyLong_FromVoidPtr(((hkp_hkey *)ob)->key);
}

static int hkey_bool(PyObject *ob)
{
    return ((hkp_hkey *)ob)->key != NULL;
}

static PyObject *hkey_int(PyObject *ob)
{
    return PyLong_FromVoidPtr(((hkp_hkey *)ob)->key);
}

static PyObject *hkey_str(PyObject *ob)
{
    return PyUnicode_FromFormat("<PyHKEY:%p>", (void *)((hkp_hkey *)ob)->key);
}

static PyObject *bad_unary(PyObject *a)
{
    (void)a;
    PyErr_SetString(PyExc_TypeError, "bad operand type");
    return NULL;
}

static PyObject *bad_binary(PyObject *a, PyObject *b)
{
    (void)b;
    return bad_unary(a);
}

static PyObject *bad_ternary(PyObject *a, PyObject *b, PyObject *c)
{
    (void)b;
    (void)c;
    return bad_unary(a);
}

/* Handles compare by their handle value (winreg's documentation); an open
 * key has one PyHKEY, so equal open handles are one object and the
 * identity hash agrees. Closed handles are equal to each other only in
 * value (0); they hash apart, as no two live keys share a value. */
static PyObject *hkey_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &hkp_hkey_type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = a == b || (((hkp_hkey *)a)->key && ((hkp_hkey *)a)->key == ((hkp_hkey *)b)->key);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static PyMethodDef hkey_methods[] = {
    {"Close", hkey_close, METH_NOARGS, "Closes the underlying handle; no error if already closed."},
    {"Detach", hkey_detach, METH_NOARGS,
     "Detaches the handle from the object and returns its integer value (0 if already "
     "detached or closed); the key stays open until CloseKey(value)."},
    {"__enter__", hkey_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)(void (*)(void))hkey_exit, METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef hkey_getset[] = {
    {"handle", hkey_handle, NULL, "The integer handle value (0 when closed or detached).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyNumberMethods hkey_number = {
    .nb_add = bad_binary, .nb_subtract = bad_binary, .nb_multiply = bad_binary,
    .nb_remainder = bad_binary, .nb_divmod = bad_binary, .nb_power = bad_ternary,
    .nb_negative = bad_unary, .nb_positive = bad_unary, .nb_absolute = bad_unary,
    .nb_bool = hkey_bool, .nb_invert = bad_unary, .nb_lshift = bad_binary,
    .nb_rshift = bad_binary, .nb_and = bad_binary, .nb_xor = bad_binary, .nb_or = bad_binary,
    .nb_int = hkey_int, .nb_float = bad_unary,
};

PyTypeObject hkp_hkey_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hivekit.winreg.PyHKEY",
    .tp_basicsize = sizeof(hkp_hkey),
    .tp_dealloc = hkey_dealloc,
    .tp_as_number = &hkey_number,
    .tp_str = hkey_str,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_doc = "PyHKEY: an open registry key, closed when the object is destroyed.",
    .tp_richcompare = hkey_richcompare,
    .tp_methods = hkey_methods,
    .tp_getset = hkey_getset,
};

/* ---- resolving key arguments --------------------------------------------- */

static int predefined_number(uintptr_t v, uint32_t *hkey)
{
    uint64_t u = (uint64_t)v;
    if ((u >= 0x80000000u && u <= 0x80000006u) ||
        (u >= 0xFFFFFFFF80000000ull && u <= 0xFFFFFFFF80000006ull)) {
        *hkey = (uint32_t)u;
        return 1;
    }
    return 0;
}

static int from_predefined(uint32_t hkey, hkp_ref *ref)
{
    if (!resolver) {
        hkp_raise(HK_ERROR_INVALID_HANDLE, NULL);
        return -1;
    }
    PyObject *h = PyObject_CallFunction(resolver, "k", (unsigned long)hkey);
    if (!h)
        return -1;
    if (!PyObject_TypeCheck(h, &hkp_hkey_type)) {
        Py_DECREF(h);
        PyErr_SetString(PyExc_TypeError, "the predefined-key resolver must return a PyHKEY");
        return -1;
    }
    ref->hold = h;
    ref->key = ((hkp_hkey *)h)->key;
    return 0;
}

int hkp_ref_get(PyObject *ob, hkp_ref *ref, int none_ok)
{
    ref->key = NULL;
    ref->lock = NULL;
    ref->hold = NULL;
    if (ob == Py_None) {
        if (none_ok)
            return 0;
        PyErr_SetString(PyExc_TypeError, "None is not a valid HKEY in this context");
        return -1;
    }
    if (PyObject_TypeCheck(ob, &hkp_hkey_type)) {
        ref->key = ((hkp_hkey *)ob)->key;
    } else if (PyLong_Check(ob)) {
        void *p = PyLong_AsVoidPtr(ob);
        if (!p && PyErr_Occurred())
            return -1;
        uint32_t hkey;
        if (predefined_number((uintptr_t)p, &hkey)) {
            if (from_predefined(hkey, ref) < 0)
                return -1;
        } else {
            ref->key = p;
        }
    } else {
        PyErr_SetString(PyExc_TypeError, "The object is not a PyHKEY object");
        return -1;
    }
    struct entry *e = lookup((uintptr_t)ref->key);
    if (!e) {
        Py_CLEAR(ref->hold);
        hkp_raise(HK_ERROR_INVALID_HANDLE, NULL);
        return -1;
    }
    ref->lock = e->lock;
    hkp_lock_ref(ref->lock);
    return 0;
}

int hkp_ref_enter(hkp_ref *ref)
{
    if (!ref->key)
        return 0;
    hkp_lock_acquire(ref->lock);
    struct entry *e = lookup((uintptr_t)ref->key);
    if (e && e->lock == ref->lock)
        return 0;
    hkp_lock_release(ref->lock);
    hkp_ref_drop(ref);
    hkp_raise(HK_ERROR_INVALID_HANDLE, NULL);
    return -1;
}

void hkp_ref_leave(hkp_ref *ref)
{
    if (ref->key)
        hkp_lock_release(ref->lock);
    hkp_ref_drop(ref);
}

void hkp_ref_drop(hkp_ref *ref)
{
    hkp_lock_unref(ref->lock);
    ref->lock = NULL;
    Py_CLEAR(ref->hold);
}

int hkp_handle_reflection(hk_key *key, int set)
{
    struct entry *e = lookup((uintptr_t)key);
    if (!e)
        return -1;
    if (set >= 0)
        e->reflection_disabled = set;
    return e->reflection_disabled;
}

int hkp_nargs_ok(const char *fn, Py_ssize_t nargs, Py_ssize_t want)
{
    if (nargs == want)
        return 1;
    PyErr_Format(PyExc_TypeError, "%s expected %zd arguments, got %zd", fn, want, nargs);
    return 0;
}

int hkp_args_key_name(const char *fn, PyObject *const *args, Py_ssize_t nargs, Py_ssize_t want,
                      const char **name, PyObject **keep)
{
    *keep = NULL;
    if (!hkp_nargs_ok(fn, nargs, want))
        return -1;
    char what[64];
    snprintf(what, sizeof what, "%s() argument 2", fn);
    return hkp_utf8(args[1], name, NULL, keep, 1, what);
}

/* _set_predefined(callable): how HKEY_* numbers become keys. */
static PyObject *set_predefined(PyObject *module, PyObject *fn)
{
    (void)module;
    if (fn != Py_None && !PyCallable_Check(fn)) {
        PyErr_SetString(PyExc_TypeError, "the resolver must be callable or None");
        return NULL;
    }
    Py_XSETREF(resolver, fn == Py_None ? NULL : Py_NewRef(fn));
    Py_RETURN_NONE;
}

/* CloseKey(hkey): a PyHKEY (idempotent), an integer handle, or None (a
 * no-op), as CPython's PyHKEY_Close takes them. */
static PyObject *close_key(PyObject *module, PyObject *ob)
{
    (void)module;
    if (ob == Py_None)
        Py_RETURN_NONE;
    if (PyObject_TypeCheck(ob, &hkp_hkey_type))
        return hkey_close(ob, NULL);
    if (!PyLong_Check(ob)) {
        PyErr_SetString(PyExc_TypeError, "The object is not a PyHKEY object");
        return NULL;
    }
    void *p = PyLong_AsVoidPtr(ob);
    if (!p && PyErr_Occurred())
        return NULL;
    uint32_t hkey;
    if (predefined_number((uintptr_t)p, &hkey))
        Py_RETURN_NONE; /* as RegCloseKey on a predefined key */
    hk_status st = hkp_handle_close(p);
    if (st != HK_ERROR_SUCCESS)
        return hkp_raise(st, NULL);
    Py_RETURN_NONE;
}

static PyMethodDef handle_functions[] = {
    {"_set_predefined", set_predefined, METH_O, NULL},
    {"CloseKey", close_key, METH_O, "CloseKey(hkey): closes a previously opened registry key."},
    {NULL, NULL, 0, NULL},
};

int hkp_handle_init(PyObject *module)
{
    hkp_hkey_type.tp_hash = PyBaseObject_Type.tp_hash; /* identity, as CPython's PyHKEY */
    if (PyType_Ready(&hkp_hkey_type) < 0)
        return -1;
    if (PyModule_AddObjectRef(module, "HKEYType", (PyObject *)&hkp_hkey_type) < 0)
        return -1;
    return PyModule_AddFunctions(module, handle_functions);
}
