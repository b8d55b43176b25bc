/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One lock per hive or registry context, shared by its keys. Taken once or
 * more per winreg call, so it must cost little: a POSIX mutex (Python's own
 * lock reads the clock for a deadline even for a try). */
#include "ext.h"

#ifndef _WIN32
#include <pthread.h>
#endif

struct hkp_lock {
#ifdef _WIN32
    PyThread_type_lock lock;
#else
    pthread_mutex_t mutex;
#endif
    Py_ssize_t refs; /* changed with the GIL held */
};

hkp_lock *hkp_lock_new(void)
{
    hkp_lock *l = PyMem_Malloc(sizeof *l);
    if (!l) {
        PyErr_NoMemory();
        return NULL;
    }
#ifdef _WIN32
    l->lock = PyThread_allocate_lock();
    int failed = l->lock == NULL;
#else
    int failed = pthread_mutex_init(&l->mutex, NULL) != 0;
#endif
    if (failed) {
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
#ifdef _WIN32
        PyThread_free_lock(l->lock);
#else
        pthread_mutex_destroy(&l->mutex);
#endif
        PyMem_Free(l);
    }
}

static int try_take(hkp_lock *l)
{
#ifdef _WIN32
    return PyThread_acquire_lock(l->lock, NOWAIT_LOCK) != 0;
#else
    return pthread_mutex_trylock(&l->mutex) == 0;
#endif
}

void hkp_lock_acquire(hkp_lock *l)
{
    if (try_take(l))
        return;
    /* Wait without the GIL: the holder may need it to finish its call. */
    Py_BEGIN_ALLOW_THREADS
#ifdef _WIN32
    PyThread_acquire_lock(l->lock, WAIT_LOCK);
#else
    pthread_mutex_lock(&l->mutex);
#endif
    Py_END_ALLOW_THREADS
}

void hkp_lock_release(hkp_lock *l)
{
#ifdef _WIN32
    PyThread_release_lock(l->lock);
#else
    pthread_mutex_unlock(&l->mutex);
#endif
}
