/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key-path syntax (tree layer), the one parser every path lookup and
 * creation uses, and hk_path_next's. Components are separated by '\'.
 * The API's rules are winreg's: a path starting with '\' is BAD_PATHNAME;
 * repeated and trailing separators are tolerated ("a\\b\\" is "a\b"), as
 * RegOpenKeyEx and RegCreateKeyEx do. PATH_STRICT gives reg.exe's rules
 * instead: one leading '\' and one trailing '\' are dropped, any other
 * empty component is BAD_PATHNAME. */
#ifndef HK_TREE_PATH_H
#define HK_TREE_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

#define PATH_STRICT HK_PATH_STRICT

/* The next component of the n units at p (width 1: bytes, UTF-8; width 2:
 * UTF-16 units, native order) after *pos (0: the start; else where the
 * previous call left it): its first unit and length, *pos moved past it.
 * SUCCESS; NO_MORE_ITEMS when none is left; BAD_PATHNAME as above. */
hk_status path_step(const void *p, size_t width, size_t n, size_t *pos, size_t *start,
                    size_t *len, uint32_t flags);

/* BAD_PATHNAME for a leading separator, else SUCCESS. */
static inline hk_status path_check(const uint16_t *units, size_t n)
{
    return n > 0 && units[0] == '\\' ? HK_ERROR_BAD_PATHNAME : HK_ERROR_SUCCESS;
}

/* path_step on UTF-16 units with the API's rules after path_check passed:
 * false when no component is left. */
static inline bool path_next(const uint16_t *units, size_t n, size_t *pos, size_t *start,
                             size_t *len)
{
    return path_step(units, 2, n, pos, start, len, 0) == HK_ERROR_SUCCESS;
}

#endif
