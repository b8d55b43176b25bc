/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pieces of the record dicts (the CLI's jsonl fields): interned field
 * names, FILETIME text, type names, lowercase hex. */
#include "ext.h"

#include <string.h>

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

