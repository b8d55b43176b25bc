/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The allocator seam (base layer). */
#include "base/alloc.h"

#include <stdlib.h>

static unsigned long fail_countdown;

static int should_fail(void)
{
    if (fail_countdown == 0)
        return 0;
    return --fail_countdown == 0;
}

void alloc_fail_after(unsigned long n)
{
    fail_countdown = n;
}

void *hk_alloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *hk_alloc_zero(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *hk_realloc(void *p, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(p, size ? size : 1);
}

void hk_dealloc(void *p)
{
    free(p);
}
