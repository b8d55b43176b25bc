/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The allocator seam (base layer). */
#define _GNU_SOURCE /* MAP_ANONYMOUS, madvise, mremap (Linux, glibc) */
#include "base/alloc.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef HK_TEST_HOOKS
static unsigned long fail_countdown, requests;
static long live;
static size_t largest;

static int should_fail(size_t size)
{
    requests++;
    if (size > largest)
        largest = size;
    if (fail_countdown == 0)
        return 0;
    return --fail_countdown == 0;
}

unsigned long alloc_fail_after(unsigned long n)
{
    unsigned long made = requests;
    fail_countdown = n;
    requests = 0;
    return made;
}

void alloc_stats_get(struct alloc_stats *out)
{
    out->live = live;
    out->largest = largest;
}

void alloc_stats_reset_largest(void)
{
    largest = 0;
}

#define COUNT_LIVE(n) (live += (n))
#else
/* The library as shipped: plain allocation, no shared counters. */
static int should_fail(size_t size)
{
    (void)size;
    return 0;
}

#define COUNT_LIVE(n) ((void)0)
#endif

void *hk_alloc(size_t size)
{
    if (should_fail(size))
        return NULL;
    void *p = malloc(size ? size : 1);
    COUNT_LIVE(p != NULL);
    return p;
}

void *hk_alloc_zero(size_t count, size_t size)
{
    if (should_fail(count && size > (size_t)-1 / count ? (size_t)-1 : count * size))
        return NULL;
    void *p = calloc(count ? count : 1, size ? size : 1);
    COUNT_LIVE(p != NULL);
    return p;
}

void *hk_realloc(void *p, size_t size)
{
    if (should_fail(size))
        return NULL;
    void *q = realloc(p, size ? size : 1);
    COUNT_LIVE(q != NULL && p == NULL);
    return q;
}

void hk_dealloc(void *p)
{
    COUNT_LIVE(-(p != NULL));
    free(p);
}

/* ---- large buffers ---------------------------------------------------- */

#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE) && defined(MREMAP_MAYMOVE) && \
    defined(MREMAP_FIXED)
#define BIG_MAPS 1
#else
#define BIG_MAPS 0
#endif

enum { BIG_ALIGN = 2u << 20 };

size_t hk_big_cap(size_t size)
{
    if (!BIG_MAPS || size < HK_BIG_MIN)
        return size;
    if (size > SIZE_MAX - (BIG_ALIGN - 1))
        return SIZE_MAX; /* no mapping that large: its request fails */
    return (size + (BIG_ALIGN - 1)) & ~(size_t)(BIG_ALIGN - 1);
}

#if BIG_MAPS
/* Whether the kernel's transparent huge pages setting ("always [madvise]
 * never", the one in brackets chosen) grants them to a mapping that asks. */
static bool thp_granted(void)
{
    char text[128];
    int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return false;
    text[n] = '\0';
    return strstr(text, "[always]") != NULL || strstr(text, "[madvise]") != NULL;
}
#endif

bool hk_big_huge(void)
{
#if BIG_MAPS
    /* Read once; threads that race to it find the same answer. */
    static atomic_int known; /* 0 not read yet, 1 granted, 2 not */
    int k = atomic_load_explicit(&known, memory_order_relaxed);
    if (k == 0) {
        k = thp_granted() ? 1 : 2;
        atomic_store_explicit(&known, k, memory_order_relaxed);
    }
    return k == 1;
#else
    return false;
#endif
}

#if BIG_MAPS
/* A fresh mapping of len bytes (a multiple of BIG_ALIGN) starting on a
 * BIG_ALIGN boundary, marked for huge pages (a hint the kernel may ignore),
 * so that it can be faulted in 2 MiB at a time. */
static uint8_t *map_aligned(size_t len)
{
    if (len == SIZE_MAX || len > SIZE_MAX - BIG_ALIGN)
        return NULL;
    size_t span = len + BIG_ALIGN;
    void *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    uint8_t *raw = m;
    size_t head = (size_t)(-(uintptr_t)raw & (BIG_ALIGN - 1));
    uint8_t *p = raw + head;
    if (head)
        munmap(raw, head);
    if (span - head - len)
        munmap(p + len, span - head - len);
    (void)madvise(p, len, MADV_HUGEPAGE);
    return p;
}

/* A mapping of old_len bytes grown or shrunk to len (both from hk_big_cap),
 * its bytes kept: in place when the addresses after it are free, else its
 * pages moved (not copied) to a new aligned range. */
static void *remap(void *p, size_t old_len, size_t len)
{
    if (len == old_len)
        return p;
    if (len == SIZE_MAX)
        return NULL;
    void *q = mremap(p, old_len, len, 0);
    if (q != MAP_FAILED)
        return q;
    uint8_t *dst = map_aligned(len);
    if (!dst)
        return NULL;
    q = mremap(p, old_len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
    if (q == MAP_FAILED) {
        munmap(dst, len);
        return NULL;
    }
    return q;
}

static void *big_resize(void *p, size_t old_cap, size_t size)
{
    size_t len = hk_big_cap(size);
    if (p && old_cap >= HK_BIG_MIN && size >= HK_BIG_MIN)
        return remap(p, hk_big_cap(old_cap), len);
    if (size >= HK_BIG_MIN) { /* from the heap (or nothing) to a mapping */
        void *q = map_aligned(len);
        if (q && p) {
            memcpy(q, p, old_cap);
            free(p);
        }
        return q;
    }
    /* from a mapping (p, never NULL here: hk_big_realloc sends a NULL p
     * of a small size to realloc) to the heap */
    void *q = malloc(size ? size : 1);
    if (q && p) {
        memcpy(q, p, size);
        munmap(p, hk_big_cap(old_cap));
    }
    return q;
}
#endif

#if BIG_MAPS
/* The spare: the last big mapping freed, kept for hk_big_reuse (one per
 * process, at most SPARE_MAX bytes). Its first bytes hold its length while
 * it waits; an exchange hands it over whole, so threads need no lock. */
enum { SPARE_MAX = 64u << 20 };
static _Atomic(uint8_t *) spare;

static void spare_put(uint8_t *p, size_t len)
{
    if (len > SPARE_MAX) {
        munmap(p, len);
        return;
    }
    memcpy(p, &len, sizeof len);
    uint8_t *old = atomic_exchange_explicit(&spare, p, memory_order_acq_rel);
    if (old) {
        memcpy(&len, old, sizeof len);
        munmap(old, len);
    }
}

/* The spare resized to len bytes (its pages kept, up to len), or NULL. */
static uint8_t *spare_take(size_t len)
{
    uint8_t *p = atomic_exchange_explicit(&spare, NULL, memory_order_acq_rel);
    if (!p)
        return NULL;
    size_t have;
    memcpy(&have, p, sizeof have);
    if (have > len) {
        munmap(p + len, have - len);
        return p;
    }
    uint8_t *q = remap(p, have, len);
    if (!q)
        munmap(p, have);
    return q;
}
#endif

void *hk_big_reuse(size_t size)
{
#if BIG_MAPS
    if (size >= HK_BIG_MIN) {
        if (should_fail(size))
            return NULL;
        size_t len = hk_big_cap(size);
        uint8_t *p = spare_take(len);
        if (p)
            memset(p + size, 0, len - size); /* as a fresh mapping's */
        else
            p = map_aligned(len);
        COUNT_LIVE(p != NULL);
        return p;
    }
#endif
    return hk_big_realloc(NULL, 0, size);
}

void *hk_big_realloc(void *p, size_t old_cap, size_t size)
{
    if (should_fail(size))
        return NULL;
    void *q;
#if BIG_MAPS
    if (size >= HK_BIG_MIN || (p && old_cap >= HK_BIG_MIN))
        q = big_resize(p, p ? old_cap : 0, size);
    else
#else
    (void)old_cap;
#endif
        q = realloc(p, size ? size : 1);
    COUNT_LIVE(q != NULL && p == NULL);
    return q;
}

void hk_big_free(void *p, size_t cap)
{
    if (!p)
        return;
    COUNT_LIVE(-1);
#if BIG_MAPS
    if (cap >= HK_BIG_MIN) {
        spare_put(p, hk_big_cap(cap));
        return;
    }
#endif
    (void)cap;
    free(p);
}
