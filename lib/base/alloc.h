/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one allocator seam of the library (base layer): every heap allocation
 * goes through here so that tests can make the Nth one fail and can see
 * what the library asked for. */
#ifndef HK_BASE_ALLOC_H
#define HK_BASE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *hk_alloc(size_t size);
void *hk_alloc_zero(size_t count, size_t size);
void *hk_realloc(void *p, size_t size);
void hk_dealloc(void *p);

/* Large buffers that grow (a parsed .reg file's operations and bytes, a hive
 * image being edited). The caller keeps the capacity and passes it back:
 * hk_big_realloc(p, old_cap, size) (p NULL: a new buffer; old_cap ignored)
 * and hk_big_free(p, cap), cap being the size last asked for or what
 * hk_big_cap made of it. Below HK_BIG_MIN bytes these are hk_realloc and
 * hk_dealloc. From HK_BIG_MIN up, on Linux, the buffer is an anonymous
 * mapping rounded up to 2 MiB, starting on a 2 MiB boundary and marked for
 * transparent huge pages, grown by moving its pages (never copying them):
 * its memory is faulted in 2 MiB at a time instead of 4 KiB. Elsewhere it
 * is the heap. Either way it goes through the seam (fault injection, live
 * count). */
#define HK_BIG_MIN ((size_t)1 << 20)

void *hk_big_realloc(void *p, size_t old_cap, size_t size);
void hk_big_free(void *p, size_t cap);

/* As hk_big_realloc(NULL, 0, size) for a caller that writes all of the
 * first size bytes before it reads any: those hold whatever they held, and
 * only the rest of the capacity is zero. From HK_BIG_MIN up this may be the
 * last big buffer freed in the process (hk_big_free keeps one, of at most
 * 64 MiB, mapped for it), its pages already faulted in. */
void *hk_big_reuse(size_t size);

/* The capacity a request of size gets (size itself on the heap; rounded up
 * to the mapping's size from HK_BIG_MIN up): a caller can use all of it. */
size_t hk_big_cap(size_t size);

/* Whether a buffer from HK_BIG_MIN up is a mapping the kernel backs with
 * huge pages when it has them (Linux, transparent huge pages "always" or
 * "madvise"; read once per process). Only then is filling one cheaper than
 * touching a file's own mapping, page by page. */
bool hk_big_huge(void);

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
