/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Case-blind comparison of UTF-8 names (base layer). */
#ifndef HK_BASE_NOCASE_H
#define HK_BASE_NOCASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* a[0..an) and b[0..bn) equal without regard to case (Windows' upcase, in
 * UTF-16 units; bytes that are not UTF-8 compare as themselves). */
bool utf8_eq_nocase(const char *a, size_t an, const char *b, size_t bn);

/* The order of hive subkey lists: <0, 0, >0 (the end sorts first). */
int utf8_cmp_nocase(const char *a, size_t an, const char *b, size_t bn);

#endif
