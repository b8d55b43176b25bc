/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One lock per hive or registry context, shared by its keys. */
#include "ext.h"

struct hkp_lock {
    PyThread_type_lock lock;
    Py_ssize_t refs; /* changed with the GIL held */
};

hkp_lock *hkp_lock_new(void)
{
    hkp_lock *l = PyMem_Malloc(sizeof *l);
    if (!l) {
        PyErr_NoMemory();
        return NULL;
    }
    l->lock = PyThread_allocate_lock();
    if (!l->lock) {
        PyMem_Free(l);
        PyErr_NoMemory();
        return NULL;
    }
    l->refs = 1;
    return l;
}

void hkp_lock_ref(hkp_lock *l)
{
    l->refs++;
}

void hkp_lock_unref(hkp_lock *l)
{
    if (l && --l->refs == 0) {
        PyThread_free_lock(l->lock);
        PyMem_Free(l);
    }
}

void hkp_lock_acquire(hkp_lock *l)
{
    if (PyThread_acquire_lock(l->lock, NOWAIT_LOCK))
        return;
    /* Wait without the GIL: the holder may need it to finish its call. */
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(l->lock, WAIT_LOCK);
    Py_END_ALLOW_THREADS
}

void hkp_lock_release(hkp_lock *l)
{
    PyThread_release_lock(l->lock);
}
