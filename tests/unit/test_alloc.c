/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the large-buffer side of the allocator seam (base/alloc):
 * hk_big_realloc keeps the bytes across the heap/mapping boundary and when a
 * mapping moves, hands out 2 MiB-aligned mappings on Linux, and goes through
 * the seam's fault injection and live count like every other allocation;
 * hk_big_reuse takes the last big buffer freed. */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_FIXED_NOREPLACE */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "base/alloc.h"

Suite *test_suite(void);

#define MIB ((size_t)1 << 20)

static void fill(uint8_t *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        p[i] = (uint8_t)(i * 131u >> 3);
}

static void check_filled(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (uint8_t)(i * 131u >> 3))
            ck_abort_msg("byte %zu is 0x%02x, want 0x%02x", i, p[i], (uint8_t)(i * 131u >> 3));
}

static long live_now(void)
{
    struct alloc_stats s;
    alloc_stats_get(&s);
    return s.live;
}

static void check_aligned(const void *p)
{
#ifdef __linux__
    ck_assert_uint_eq((uintptr_t)p % (2 * MIB), 0);
#else
    (void)p;
#endif
}

START_TEST(test_cap)
{
    ck_assert_uint_eq(hk_big_cap(0), 0);
    ck_assert_uint_eq(hk_big_cap(100), 100);
    ck_assert_uint_eq(hk_big_cap(HK_BIG_MIN - 1), HK_BIG_MIN - 1);
#ifdef __linux__
    ck_assert_uint_eq(hk_big_cap(HK_BIG_MIN), 2 * MIB);
    ck_assert_uint_eq(hk_big_cap(2 * MIB), 2 * MIB);
    ck_assert_uint_eq(hk_big_cap(2 * MIB + 1), 4 * MIB);
    ck_assert_uint_eq(hk_big_cap(SIZE_MAX - 5), SIZE_MAX); /* fails when asked */
#else
    ck_assert_uint_eq(hk_big_cap(2 * MIB + 1), 2 * MIB + 1);
#endif
}
END_TEST

/* Heap, then a mapping, then a larger mapping, then the heap again: every
 * byte written survives each step, and the live count sees one block. */
START_TEST(test_grow_and_shrink)
{
    long live0 = live_now();
    uint8_t *p = hk_big_realloc(NULL, 12345, 300);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(live_now(), live0 + 1);
    fill(p, 0, 300);
    size_t cap = hk_big_cap(3 * MIB);
    p = hk_big_realloc(p, 300, 3 * MIB);
    ck_assert_ptr_nonnull(p);
    check_aligned(p);
    check_filled(p, 300);
    fill(p, 300, cap); /* the whole rounded capacity is usable */
    size_t cap2 = hk_big_cap(40 * MIB);
    p = hk_big_realloc(p, cap, 40 * MIB);
    ck_assert_ptr_nonnull(p);
    check_aligned(p);
    check_filled(p, cap);
    fill(p, cap, cap2);
    p = hk_big_realloc(p, cap2, 5 * MIB);
    ck_assert_ptr_nonnull(p);
    check_filled(p, 5 * MIB);
    p = hk_big_realloc(p, 5 * MIB, 1000);
    ck_assert_ptr_nonnull(p);
    check_filled(p, 1000);
    ck_assert_int_eq(live_now(), live0 + 1);
    hk_big_free(p, 1000);
    ck_assert_int_eq(live_now(), live0);
    hk_big_free(NULL, 5 * MIB); /* nothing */
    ck_assert_int_eq(live_now(), live0);
}
END_TEST

/* A mapping that cannot grow where it is (the next page is taken) moves,
 * its bytes with it, to another aligned range. */
START_TEST(test_grow_moves)
{
    uint8_t *p = hk_big_realloc(NULL, 0, 2 * MIB);
    ck_assert_ptr_nonnull(p);
    check_aligned(p);
    fill(p, 0, 2 * MIB);
#if defined(__linux__) && defined(MAP_FIXED_NOREPLACE)
    /* a page of ours right after it, unless something is there already
     * (EEXIST); a kernel before 4.17 may put it elsewhere: no block then */
    void *block = mmap(p + 2 * MIB, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                       -1, 0);
    int blocked = block == (void *)(p + 2 * MIB) || block == MAP_FAILED;
    if (block != MAP_FAILED && !blocked)
        munmap(block, 4096);
#endif
    uint8_t *q = hk_big_realloc(p, 2 * MIB, 6 * MIB);
    ck_assert_ptr_nonnull(q);
#if defined(__linux__) && defined(MAP_FIXED_NOREPLACE)
    if (blocked)
        ck_assert_ptr_ne(q, p);
    if (block == (void *)(p + 2 * MIB))
        munmap(block, 4096);
#endif
    check_aligned(q);
    check_filled(q, 2 * MIB);
    fill(q, 2 * MIB, 6 * MIB);
    check_filled(q, 6 * MIB);
    hk_big_free(q, 6 * MIB);
}
END_TEST

/* The seam's fault injection reaches a big request, which then changes
 * nothing: the old buffer is still there, whole. */
START_TEST(test_fault_injection)
{
    long live0 = live_now();
    alloc_fail_after(1);
    ck_assert_ptr_null(hk_big_realloc(NULL, 0, 4 * MIB));
    ck_assert_int_eq(live_now(), live0);
    uint8_t *p = hk_big_realloc(NULL, 0, 2 * MIB);
    ck_assert_ptr_nonnull(p);
    fill(p, 0, 2 * MIB);
    alloc_fail_after(1);
    ck_assert_ptr_null(hk_big_realloc(p, 2 * MIB, 8 * MIB));
    ck_assert_uint_eq(alloc_fail_after(0), 1);
    check_filled(p, 2 * MIB);
    struct alloc_stats s;
    alloc_stats_reset_largest();
    p = hk_big_realloc(p, 2 * MIB, 8 * MIB);
    alloc_stats_get(&s);
    ck_assert_uint_eq(s.largest, 8 * MIB);
    ck_assert_ptr_nonnull(p);
    check_filled(p, 2 * MIB);
    hk_big_free(p, 8 * MIB);
    ck_assert_int_eq(live_now(), live0);
}
END_TEST

/* A reused buffer's bytes past the first 8 (where the spare kept its
 * length) are what the last owner left. */
static void check_left(const uint8_t *p, size_t n)
{
    for (size_t i = 8; i < n; i++)
        if (p[i] != (uint8_t)(i * 131u >> 3))
            ck_abort_msg("byte %zu is 0x%02x, want 0x%02x", i, p[i], (uint8_t)(i * 131u >> 3));
}

static void check_zero(const uint8_t *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (p[i] != 0)
            ck_abort_msg("byte %zu is 0x%02x, want 0", i, p[i]);
}

/* hk_big_reuse hands out the last big buffer freed (trimmed or grown to
 * the request), its bytes past the request zero; hk_big_realloc never does
 * (its new buffer is all zero); a buffer over 64 MiB is not kept; the live
 * count and fault injection see each request. */
START_TEST(test_reuse)
{
    long live0 = live_now();
    size_t n = 5 * MIB + 3;
    uint8_t *p = hk_big_reuse(n);
    ck_assert_ptr_nonnull(p);
    check_aligned(p);
    check_zero(p, n, hk_big_cap(n));
    fill(p, 0, hk_big_cap(n));
    hk_big_free(p, n);
    ck_assert_int_eq(live_now(), live0);

    uint8_t *q = hk_big_realloc(NULL, 0, 3 * MIB);
    ck_assert_ptr_nonnull(q);
    check_zero(q, 0, hk_big_cap(3 * MIB));
    hk_big_free(q, 3 * MIB); /* now the spare, in place of p */

    p = hk_big_realloc(NULL, 0, 4 * MIB);
    fill(p, 0, 4 * MIB);
    hk_big_free(p, 4 * MIB);
    q = hk_big_reuse(2 * MIB + 10); /* the 4 MiB one, trimmed */
#ifdef __linux__
    ck_assert_ptr_eq(q, p);
    check_left(q, 2 * MIB + 10);
#endif
    check_zero(q, 2 * MIB + 10, hk_big_cap(2 * MIB + 10));
    ck_assert_int_eq(live_now(), live0 + 1);
    hk_big_free(q, 2 * MIB + 10);
    p = hk_big_reuse(6 * MIB + 1); /* grown: its first pages kept */
    ck_assert_ptr_nonnull(p);
    check_aligned(p);
#ifdef __linux__
    check_left(p, 2 * MIB + 10);
#endif
    check_zero(p, 6 * MIB + 1, hk_big_cap(6 * MIB + 1));
    hk_big_free(p, 6 * MIB + 1);

    q = hk_big_realloc(NULL, 0, 65 * MIB);
    ck_assert_ptr_nonnull(q);
    hk_big_free(q, 65 * MIB); /* too large to keep: the 6 MiB spare stays */
    q = hk_big_reuse(6 * MIB + 1);
#ifdef __linux__
    ck_assert_ptr_eq(q, p);
#endif
    hk_big_free(q, 6 * MIB + 1);

    alloc_fail_after(1);
    ck_assert_ptr_null(hk_big_reuse(3 * MIB));
    ck_assert_uint_eq(alloc_fail_after(0), 1);
    p = hk_big_reuse(100); /* below HK_BIG_MIN: the heap */
    ck_assert_ptr_nonnull(p);
    hk_big_free(p, 100);
    ck_assert_int_eq(live_now(), live0);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_cap);
    tcase_add_test(tc, test_grow_and_shrink);
    tcase_add_test(tc, test_grow_moves);
    tcase_add_test(tc, test_fault_injection);
    tcase_add_test(tc, test_reuse);
    suite_add_tcase(s, tc);
    return s;
}
