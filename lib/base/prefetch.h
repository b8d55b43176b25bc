/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A cache hint (base layer): asks for bytes that are about to be read, so
 * that a chain of dependent reads does not wait on each cache miss in turn.
 * It reads nothing and changes no result; p must point into an object. */
#ifndef HK_BASE_PREFETCH_H
#define HK_BASE_PREFETCH_H

#if defined(__GNUC__)
#define HK_PREFETCH(p) __builtin_prefetch(p)
#else
#define HK_PREFETCH(p) ((void)(p))
#endif

#endif
