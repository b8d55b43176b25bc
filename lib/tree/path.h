/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key-path syntax of the API, winreg's (tree layer): components
 * separated by '\'; a path starting with '\' is BAD_PATHNAME; repeated and
 * trailing separators are tolerated ("a\\b\\" is "a\b"), as RegOpenKeyEx and
 * RegCreateKeyEx do. The one parser every path lookup and creation uses. */
#ifndef HK_TREE_PATH_H
#define HK_TREE_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

/* BAD_PATHNAME for a leading separator, else SUCCESS. */
static inline hk_status path_check(const uint16_t *units, size_t n)
{
    return n > 0 && units[0] == '\\' ? HK_ERROR_BAD_PATHNAME : HK_ERROR_SUCCESS;
}

/* The next component at or after *pos (separators skipped): its first unit
 * and length, *pos moved past it; false when none is left. */
static inline bool path_next(const uint16_t *units, size_t n, size_t *pos, size_t *start,
                             size_t *len)
{
    size_t i = *pos;
    while (i < n && units[i] == '\\')
        i++;
    if (i >= n)
        return false;
    *start = i;
    while (i < n && units[i] != '\\')
        i++;
    *len = i - *start;
    *pos = i;
    return true;
}

#endif
