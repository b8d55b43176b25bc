/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pieces of records: the dicts' interned field names (the CLI's jsonl
 * fields), FILETIME text, type names, lowercase hex; Hive.walk()'s light
 * records (KeyRecord, ValueRecord) and the helpers hivekit.records turns
 * them into dicts with. */
#include "ext.h"

#include <string.h>

#include <structmember.h> /* T_OBJECT, T_OBJECT_EX */

/* Interned dict keys. */
static const char *const key_names[K_COUNT] = {
    "type", "path", "name", "last_write", "last_write_utc", "subkeys", "values", "class",
    "reg_type", "type_name", "size", "data_hex", "data", "key", "value", "offset", "where",
    "path_complete", "data_state"};
PyObject *hkp_keys[K_COUNT];

int hkp_intern_keys(void)
{
    for (int i = 0; i < K_COUNT; i++) {
        if (!hkp_keys[i] && !(hkp_keys[i] = PyUnicode_InternFromString(key_names[i])))
            return -1;
    }
    return 0;
}

/* Sets d[keys[k]] = v and drops v (NULL v: failure). */
int hkp_put(PyObject *d, int k, PyObject *v)
{
    if (!v)
        return -1;
    int rc = PyDict_SetItem(d, hkp_keys[k], v);
    Py_DECREF(v);
    return rc;
}

/* FILETIME as "YYYY-MM-DDThh:mm:ss.fffffffZ": the library's text. */
PyObject *hkp_filetime_iso(uint64_t ft)
{
    char s[HK_FILETIME_TEXT_SIZE];
    size_t n = hk_filetime_text(ft, s);
    return PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
}

/* The library's type name, "REG_0x1A" for a type without one (as the
 * CLI writes it); the common ones interned. */
PyObject *hkp_type_name(uint32_t type)
{
    static PyObject *cache[12];
    const char *name = hk_type_name(type);
    if (!name) {
        char s[32];
        snprintf(s, sizeof s, "REG_0x%X", (unsigned)type);
        return PyUnicode_FromString(s);
    }
    if (type < 12) {
        if (!cache[type])
            cache[type] = PyUnicode_InternFromString(name);
        return Py_XNewRef(cache[type]);
    }
    return PyUnicode_FromString(name);
}

PyObject *hkp_hex(const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    PyObject *s = PyUnicode_New((Py_ssize_t)(2 * n), 127);
    if (!s)
        return NULL;
    Py_UCS1 *w = PyUnicode_1BYTE_DATA(s);
    for (size_t i = 0; i < n; i++) {
        w[2 * i] = (Py_UCS1)digits[p[i] >> 4];
        w[2 * i + 1] = (Py_UCS1)digits[p[i] & 15];
    }
    return s;
}


/* ---- Hive.walk()'s light records -----------------------------------------
 * The fields the jsonl line is made of; the computed ones (type_name,
 * data_hex, data, last_write_utc) are left to hivekit.records. */
static PyStructSequence_Field key_fields[] = {
    {"type", "\"key\""}, {"path", "the key's path below the root (\"\" the root)"},
    {"name", NULL}, {"last_write", "FILETIME"}, {"subkeys", NULL}, {"values", NULL},
    {"class_name", "the class name, None if none"}, {NULL, NULL}};
static PyStructSequence_Field value_fields[] = {
    {"type", "\"value\""}, {"path", "the key's path"}, {"name", "\"\" the default value"},
    {"reg_type", NULL}, {"size", NULL}, {"raw", "the stored bytes"}, {NULL, NULL}};
static PyStructSequence_Desc key_desc = {"hivekit.KeyRecord", "A key of Hive.walk().",
                                         key_fields, HKP_KEY_FIELDS};
static PyStructSequence_Desc value_desc = {"hivekit.ValueRecord", "A value of Hive.walk().",
                                           value_fields, HKP_VALUE_FIELDS};
static PyTypeObject key_record_type, value_record_type;

/* Records freed are kept for the next ones (a walk makes and drops one per
 * key and value): a few per type, changed with the GIL held. */
enum { SPARE_RECORDS = 64 };
static struct spares {
    PyTupleObject *list[SPARE_RECORDS];
    int count;
} key_spares, value_spares;

static struct spares *spares_of(PyTypeObject *type)
{
    return type == &key_record_type ? &key_spares : &value_spares;
}

/* A record of n fields (all visible, so the struct sequence is laid out as
 * a tuple of n), items stolen; NULL items fail it. PyStructSequence_New
 * looks the sizes up in the type's dict for each record and its
 * deallocation again. */
static inline PyObject *record(PyTypeObject *type, PyObject **items, Py_ssize_t n)
{
    PyTupleObject *r = NULL;
    int ok = 1;
    for (Py_ssize_t i = 0; i < n; i++)
        ok &= items[i] != NULL;
    if (ok) {
        struct spares *s = spares_of(type);
        if (s->count > 0) {
            r = s->list[--s->count];
            (void)PyObject_InitVar((PyVarObject *)r, type, n);
        } else {
            r = PyObject_GC_NewVar(PyTupleObject, type, n);
        }
    }
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

PyObject *hkp_key_record(PyObject **items)
{
    return record(&key_record_type, items, HKP_KEY_FIELDS);
}

PyObject *hkp_value_record(PyObject **items)
{
    return record(&value_record_type, items, HKP_VALUE_FIELDS);
}

/* No trashcan (it bounds the recursion of freeing nested containers): a
 * record holds no container. */
static void record_dealloc(PyObject *ob)
{
    PyObject_GC_UnTrack(ob);
    for (Py_ssize_t i = Py_SIZE(ob); i-- > 0;)
        Py_CLEAR(((PyTupleObject *)ob)->ob_item[i]);
    /* Only the types' own records are kept (a subclass's are not). */
    struct spares *s = spares_of(Py_TYPE(ob));
    if ((Py_TYPE(ob) == &key_record_type || Py_TYPE(ob) == &value_record_type) &&
        s->count < SPARE_RECORDS)
        s->list[s->count++] = (PyTupleObject *)ob;
    else
        PyObject_GC_Del(ob);
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

int hkp_record_init(PyObject *module)
{
    if (PyStructSequence_InitType2(&key_record_type, &key_desc) < 0 ||
        PyStructSequence_InitType2(&value_record_type, &value_desc) < 0)
        return -1;
    /* Records are made by record() with every field visible: freed as the
     * tuples they are laid out as. */
    key_record_type.tp_dealloc = record_dealloc;
    value_record_type.tp_dealloc = record_dealloc;
    /* No field is ever unset: members of kind T_OBJECT_EX, which the
     * interpreter reads by offset at a specialised attribute access (it
     * does not specialise T_OBJECT, the kind struct sequences declare). */
    PyTypeObject *types[] = {&key_record_type, &value_record_type};
    for (size_t t = 0; t < 2; t++) {
        for (PyMemberDef *m = types[t]->tp_members; m && m->name; m++) {
            if (m->type == T_OBJECT)
                m->type = T_OBJECT_EX;
        }
    }
    if (PyModule_AddObjectRef(module, "KeyRecord", (PyObject *)&key_record_type) < 0 ||
        PyModule_AddObjectRef(module, "ValueRecord", (PyObject *)&value_record_type) < 0)
        return -1;
    return 0;
}

PyMethodDef hkp_record_methods[] = {
    {"_decode", decode_fn, METH_VARARGS, NULL},
    {"_filetime_iso", iso_fn, METH_O, NULL},
    {"_type_name", type_name_fn, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
