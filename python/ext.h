/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CPython extension hivekit._hivekit: shared declarations of its files.
 * It calls the public C API (hivekit.h) only. */
#ifndef HIVEKIT_PY_EXT_H
#define HIVEKIT_PY_EXT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "hivekit.h"

/* ---- locks (lock.c) ----------------------------------------------------
 * The library's rule is one thread at a time per hive. Every key of a hive
 * (or of a registry context, which spans hives) shares one lock; each call
 * into the library holds it with the GIL released. Reference counts change
 * with the GIL held. */
typedef struct hkp_lock hkp_lock;
hkp_lock *hkp_lock_new(void); /* NULL with MemoryError set */
void hkp_lock_ref(hkp_lock *l);
void hkp_lock_unref(hkp_lock *l);
/* Takes the lock: at once when it is free, else waits with the GIL
 * released (so a thread holding it can finish). The GIL is held on return. */
void hkp_lock_acquire(hkp_lock *l);
void hkp_lock_release(hkp_lock *l);

/* ---- handles (handle.c) -------------------------------------------------
 * Every open hk_key is in one table, whatever holds it (a PyHKEY, or a
 * detached integer handle): its handle value is the key's address, and an
 * integer that is not in the table is ERROR_INVALID_HANDLE, never a
 * pointer followed. A PyHKEY points at a table entry while it is open. */
typedef struct {
    PyObject_HEAD
    hk_key *key; /* NULL once closed or detached; checked against the table
                    before each use (it may have been closed by value) */
} hkp_hkey;

extern PyTypeObject hkp_hkey_type;

/* A new PyHKEY owning key (entered in the table with a new reference to
 * lock). On failure the key is closed and NULL returned. */
PyObject *hkp_hkey_new(hk_key *key, hkp_lock *lock);

/* A key argument resolved for one call. */
typedef struct {
    hk_key *key;
    hkp_lock *lock;
    PyObject *hold; /* a predefined key's PyHKEY kept alive for the call */
} hkp_ref;

/* Resolves a key argument: a PyHKEY, an integer handle or an HKEY_*
 * constant (through the resolver winreg.py installs). none_ok: None is
 * accepted as "no key" (ref->key NULL). Returns 0, or -1 with an exception
 * (TypeError for a wrong type, OSError 6 for a closed or unknown handle). */
int hkp_ref_get(PyObject *ob, hkp_ref *ref, int none_ok);
/* Takes the ref's lock and checks the key is still open (another thread
 * may have closed it): 0, or -1 with OSError 6 raised and the lock freed. */
int hkp_ref_enter(hkp_ref *ref);
void hkp_ref_leave(hkp_ref *ref); /* frees the lock and drops hold */
void hkp_ref_drop(hkp_ref *ref);  /* drops hold without a lock taken */

/* A winreg function's argument count: 1, or 0 with TypeError ("fn
 * expected N arguments, got M"). */
int hkp_nargs_ok(const char *fn, Py_ssize_t nargs, Py_ssize_t want);
/* The start of fn(key, name, ...): nargs must be want, and args[1] (a str
 * or None) is read as UTF-8 into *name, kept alive by *keep (Py_XDECREF it
 * when done). 0, or -1 with TypeError and nothing kept. */
int hkp_args_key_name(const char *fn, PyObject *const *args, Py_ssize_t nargs, Py_ssize_t want,
                      const char **name, PyObject **keep);

/* Closes an entry's key: under its lock, out of the table, then freed. */
hk_status hkp_handle_close(hk_key *key);
int hkp_handle_init(PyObject *module);
/* The reflection flag of an open handle: set 0/1, or -1 to read it.
 * Returns the flag, or -1 for a handle not open. */
int hkp_handle_reflection(hk_key *key, int set);

/* A library call with the GIL released (st receives its status). */
#define HKP_NOGIL(st, expr)                                                                   \
    do {                                                                                      \
        Py_BEGIN_ALLOW_THREADS(st) = (expr);                                                  \
        Py_END_ALLOW_THREADS                                                                  \
    } while (0)

/* A growable byte buffer, grown with or without the GIL (PyMem_Raw*: free
 * with PyMem_RawFree). */
struct hkp_buf {
    char *p;
    size_t len, cap;
};
int hkp_buf_reserve(struct hkp_buf *b, size_t n); /* room for n more bytes; -1 (no exception
                                                     set) when out of memory */

/* _jsonl (jsonl.c): the lines of `hivekit export --format jsonl` with
 * extra fields, as bytes or written to a file descriptor. */
PyObject *hkp_jsonl_fn(PyObject *module, PyObject *args);

/* winreg's sizing loop: read(ctx, buf, &size) with the GIL released, into
 * a stack buffer first and a bigger one on MORE_DATA (*size then says how
 * much). On success p holds size bytes; free with hkp_sized_free. */
typedef hk_status (*hkp_read_fn)(void *ctx, char *buf, size_t *size);
typedef struct {
    char small[2048];
    char *p;
    size_t size;
} hkp_sized;
hk_status hkp_read_sized(hkp_sized *b, hkp_read_fn read, void *ctx);
void hkp_sized_free(hkp_sized *b);

/* ---- errors (errors.c) -------------------------------------------------- */

/* Raises the OSError subclass Windows' error mapping gives for a Win32
 * code, with .winerror and .errno set, and the library's text (or detail,
 * when non-empty). Returns NULL. */
PyObject *hkp_raise(hk_status st, const char *detail);
int hkp_errors_init(PyObject *module);

/* ---- strings and values (convert.c) ------------------------------------- */

/* str (or None when none_ok) to UTF-8 (WTF-8 for lone surrogates): *out
 * borrowed from *keep (release with Py_XDECREF), NULL for None. */
int hkp_utf8(PyObject *s, const char **out, Py_ssize_t *len, PyObject **keep, int none_ok,
             const char *what);
PyObject *hkp_str(const char *s, size_t len); /* WTF-8 to str */
PyObject *hkp_reg2py(const void *data, size_t size, uint32_t type);
/* Python value to registry bytes for type: *data owned (PyMem_Free). */
int hkp_py2reg(PyObject *value, uint32_t type, void **data, size_t *size);

/* ---- record dicts (record.c) ------------------------------------------- */
enum { K_TYPE, K_PATH, K_NAME, K_LAST_WRITE, K_LAST_WRITE_UTC, K_SUBKEYS, K_VALUES, K_CLASS,
       K_REG_TYPE, K_TYPE_NAME, K_SIZE, K_DATA_HEX, K_DATA, K_KEY, K_VALUE, K_OFFSET, K_WHERE,
       K_PATH_COMPLETE, K_DATA_STATE, K_COUNT };
extern PyObject *hkp_keys[K_COUNT]; /* the field names, interned */
int hkp_intern_keys(void);
int hkp_put(PyObject *d, int k, PyObject *v); /* d[hkp_keys[k]] = v, v dropped; NULL v fails */
PyObject *hkp_filetime_iso(uint64_t filetime);
PyObject *hkp_type_name(uint32_t type);
PyObject *hkp_hex(const uint8_t *p, size_t n);
hk_hive *hkp_hive_get(PyObject *ob, hkp_lock **lock); /* hive.c: NULL with ValueError if closed */
/* Hive.walk()'s records (KeyRecord, ValueRecord), their items stolen (a
 * NULL item fails the record, NULL returned). */
enum { HKP_KEY_FIELDS = 7, HKP_VALUE_FIELDS = 6 };
PyObject *hkp_key_record(PyObject **items);
PyObject *hkp_value_record(PyObject **items);
int hkp_record_init(PyObject *module);
extern PyMethodDef hkp_record_methods[];

/* ---- the winreg functions (winreg_*.c) and the file-level object ------- */
extern PyMethodDef hkp_winreg_read_methods[];
extern PyMethodDef hkp_winreg_edit_methods[];
extern PyMethodDef hkp_walk_methods[];
extern PyMethodDef hkp_scan_methods[];
int hkp_hive_init(PyObject *module);
int hkp_walk_init(PyObject *module);
int hkp_registry_init(PyObject *module);

#endif
