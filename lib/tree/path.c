/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key-path parser (tree layer): see path.h. */
#include "tree/path.h"

static bool is_sep(const void *p, size_t width, size_t i)
{
    return width == 1 ? ((const unsigned char *)p)[i] == '\\'
                      : ((const uint16_t *)p)[i] == '\\';
}

/* reg.exe's rules: the span between one dropped leading and one dropped
 * trailing separator, split at every separator, no component empty. */
static hk_status step_strict(const void *p, size_t width, size_t n, size_t *pos, size_t *start,
                             size_t *len)
{
    size_t first = n > 0 && is_sep(p, width, 0) ? 1 : 0;
    size_t end = n;
    if (end > first && is_sep(p, width, end - 1))
        end--;
    size_t i = *pos;
    if (i == 0) {
        i = first;
        if (i >= end)
            return HK_ERROR_NO_MORE_ITEMS; /* "", "\", "\\": the key itself */
    } else {
        if (i >= end)
            return HK_ERROR_NO_MORE_ITEMS;
        i++; /* the separator after the previous component */
    }
    if (i >= end || is_sep(p, width, i))
        return HK_ERROR_BAD_PATHNAME; /* an empty component */
    *start = i;
    while (i < end && !is_sep(p, width, i))
        i++;
    *len = i - *start;
    *pos = i;
    return HK_ERROR_SUCCESS;
}

hk_status path_step(const void *p, size_t width, size_t n, size_t *pos, size_t *start,
                    size_t *len, uint32_t flags)
{
    if (flags & PATH_STRICT)
        return step_strict(p, width, n, pos, start, len);
    size_t i = *pos;
    if (i == 0 && n > 0 && is_sep(p, width, 0))
        return HK_ERROR_BAD_PATHNAME;
    while (i < n && is_sep(p, width, i))
        i++;
    if (i >= n) {
        *pos = n;
        return HK_ERROR_NO_MORE_ITEMS;
    }
    *start = i;
    while (i < n && !is_sep(p, width, i))
        i++;
    *len = i - *start;
    *pos = i;
    return HK_ERROR_SUCCESS;
}
