/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The allocator seam (base layer). */
#include "base/alloc.h"

#include <stdlib.h>

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
