/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hk_path_next: the tree layer's key-path parser on UTF-8 (api layer). */
#include "api/handle.h"
#include "tree/path.h"

HK_API hk_status hk_path_next(const char *path, size_t len, size_t *pos, const char **comp,
                              size_t *comp_len, uint32_t flags)
{
    api_enter();
    if ((!path && len) || !pos || !comp || !comp_len || *pos > len || (flags & ~HK_PATH_STRICT))
        return HK_ERROR_INVALID_PARAMETER;
    size_t start, n;
    hk_status st = path_step(path, 1, len, pos, &start, &n, flags);
    if (st == HK_ERROR_SUCCESS) {
        *comp = path + start;
        *comp_len = n;
    }
    return st;
}
