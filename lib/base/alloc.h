/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one allocator seam of the library (base layer): every heap allocation
 * goes through here so that tests can make the Nth one fail. */
#ifndef HK_BASE_ALLOC_H
#define HK_BASE_ALLOC_H

#include <stddef.h>

void *hk_alloc(size_t size);
void *hk_alloc_zero(size_t count, size_t size);
void *hk_realloc(void *p, size_t size);
void hk_dealloc(void *p);

/* Test hook: the nth allocation from now on fails (1 = the next one); 0 disarms. */
void alloc_fail_after(unsigned long n);

#endif
