/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One lock per hive or registry context, shared by its keys. Taken once or
 * more per winreg call, so it must cost little. Every take and release
 * happens with the GIL held, so on POSIX the lock is a flag the GIL guards:
 * a free lock is taken with no atomic operation. A thread that finds it
 * held waits with the GIL released on a condition variable, which each
 * release with waiters signals (Python's own lock reads the clock for a
 * deadline even for a try; a mutex costs two atomic operations a call). */
#include "ext.h"

#ifndef _WIN32
#include <pthread.h>
#endif

struct hkp_lock {
#ifdef _WIN32
    PyThread_type_lock lock;
#else
    int held;              /* with the GIL held */
    unsigned long waiters; /* with the GIL held */
    unsigned long turn;    /* bumped by a release with waiters: with the GIL and the mutex held */
    pthread_mutex_t mutex;
    pthread_cond_t cond;
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
    l->held = 0;
    l->waiters = l->turn = 0;
    int failed = pthread_mutex_init(&l->mutex, NULL) != 0;
    if (!failed && pthread_cond_init(&l->cond, NULL) != 0) {
        pthread_mutex_destroy(&l->mutex);
        failed = 1;
    }
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
        pthread_cond_destroy(&l->cond);
        pthread_mutex_destroy(&l->mutex);
#endif
        PyMem_Free(l);
    }
}

#ifdef _WIN32
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
#else
void hkp_lock_acquire(hkp_lock *l)
{
    if (!l->held) {
        l->held = 1;
        return;
    }
    l->waiters++;
    while (l->held) {
        /* turn is read with the GIL, so a release between here and the
         * wait (it needs the GIL) has moved it on: no wakeup is lost. */
        unsigned long seen = l->turn;
        Py_BEGIN_ALLOW_THREADS
        pthread_mutex_lock(&l->mutex);
        while (l->turn == seen)
            pthread_cond_wait(&l->cond, &l->mutex);
        pthread_mutex_unlock(&l->mutex);
        Py_END_ALLOW_THREADS
    }
    l->waiters--;
    l->held = 1;
}

void hkp_lock_release(hkp_lock *l)
{
    l->held = 0;
    if (l->waiters) {
        pthread_mutex_lock(&l->mutex);
        l->turn++;
        pthread_cond_broadcast(&l->cond);
        pthread_mutex_unlock(&l->mutex);
    }
}
#endif
