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

/* FILETIME as "YYYY-MM-DDThh:mm:ss.fffffffZ" (proleptic Gregorian, UTC). */
PyObject *hkp_filetime_iso(uint64_t ft)
{
    uint64_t secs = ft / 10000000u;
    unsigned frac = (unsigned)(ft % 10000000u), sod = (unsigned)(secs % 86400u);
    /* Civil date from days since 0000-03-01 (1601-01-01 is day 584694). */
    uint64_t z = secs / 86400u + 584694u, era = z / 146097u;
    unsigned doe = (unsigned)(z - era * 146097u);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    unsigned day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    unsigned long long year = era * 400 + yoe + (month <= 2);
    char s[64];
    int n = snprintf(s, sizeof s, "%04llu-%02u-%02uT%02u:%02u:%02u.%07uZ", year, month, day,
                     sod / 3600, sod / 60 % 60, sod % 60, frac);
    return PyUnicode_FromStringAndSize(s, n > 0 ? n : 0);
}

PyObject *hkp_type_name(uint32_t type)
{
    static const char *const names[] = {
        "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
        "REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST",
        "REG_FULL_RESOURCE_DESCRIPTOR", "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
    };
    static PyObject *cache[12];
    if (type < 12) {
        if (!cache[type])
            cache[type] = PyUnicode_InternFromString(names[type]);
        return Py_XNewRef(cache[type]);
    }
    char s[32];
    snprintf(s, sizeof s, "REG_0x%X", (unsigned)type);
    return PyUnicode_FromString(s);
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

