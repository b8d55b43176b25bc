/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hints to the compiler and the cache (base layer). None changes a result.
 *   HK_PREFETCH(p)  asks for the bytes at p, about to be read, so that a chain
 *                   of dependent reads does not wait on each cache miss in
 *                   turn; p must point into an object.
 *   HK_LIKELY(c)    c is almost always true: lay the code out for it (and keep
 *                   a branch rather than a longer chain of computed values).
 *   HK_HOT_INLINE   on a static inline function of a header that a walk calls
 *                   per key or per value: inline it even where one file calls
 *                   it several times. */
#ifndef HK_BASE_HINT_H
#define HK_BASE_HINT_H

#if defined(__GNUC__)
#define HK_PREFETCH(p) __builtin_prefetch(p)
#define HK_LIKELY(c) __builtin_expect(!!(c), 1)
#define HK_HOT_INLINE __attribute__((always_inline)) inline
#else
#define HK_PREFETCH(p) ((void)(p))
#define HK_LIKELY(c) (c)
#define HK_HOT_INLINE inline
#endif

#endif
