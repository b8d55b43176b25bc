/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one allocator seam of the library (base layer): every heap allocation
 * goes through here so that tests can make the Nth one fail and can see
 * what the library asked for. */
#ifndef HK_BASE_ALLOC_H
#define HK_BASE_ALLOC_H

#include <stddef.h>

void *hk_alloc(size_t size);
void *hk_alloc_zero(size_t count, size_t size);
void *hk_realloc(void *p, size_t size);
void hk_dealloc(void *p);

#ifdef HK_TEST_HOOKS
/* The test hooks exist only in test builds (meson defines HK_TEST_HOOKS for
 * the variant the internal tests link): the library as shipped keeps no
 * counters, so hives used from different threads share no state.
 *
 * Test hook: the nth allocation from now on fails (1 = the next one); 0
 * disarms. Returns how many allocations were asked for since the last call,
 * so that a test can tell whether the armed one was reached. */
unsigned long alloc_fail_after(unsigned long n);

/* Test hook: blocks handed out and not yet freed (a leak check that needs no
 * sanitizer), and the largest single request since the last reset (a check
 * that no allocation exceeds what the input justifies). */
struct alloc_stats {
    long live;
    size_t largest;
};
void alloc_stats_get(struct alloc_stats *out);
void alloc_stats_reset_largest(void);
#endif

#endif
