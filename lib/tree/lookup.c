/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Key lookup by name and by path (tree layer). */
#include "tree/lookup.h"
#include "tree/path.h"

#include <string.h>

#include "base/upname.h"

hk_status tree_child_failed(struct hive_image *img, const struct nk *parent, uint32_t child_off,
                            const struct nk *child)
{
    if (!child)
        return IMAGE_CORRUPT(img, child_off, "the root key is listed as a subkey of 0x%x (a cycle)",
                             parent->off);
    return IMAGE_CORRUPT(img, child_off, "key listed under 0x%x names 0x%x as its parent",
                         parent->off, child->parent);
}

static hk_status open_component(struct hive_image *img, struct nk *key, uint32_t *depth,
                                const uint16_t *up, size_t n)
{
    struct subkeys sk;
    hk_status st = subkeys_open(img, key, &sk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t off;
    st = subkeys_find(img, &sk, up, n, &off);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (off == CELL_NIL)
        return HK_ERROR_FILE_NOT_FOUND;
    if (*depth >= HK_MAX_DEPTH)
        return IMAGE_CORRUPT(img, off, "key nesting deeper than %u levels", HK_MAX_DEPTH);
    struct nk child;
    st = tree_child(img, key, off, &child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    *key = child;
    (*depth)++;
    return HK_ERROR_SUCCESS;
}

/* Walks the upcased units of a path: '\\' separates components. */
static hk_status walk_units(struct hive_image *img, struct nk *key, uint32_t *depth,
                            const uint16_t *units, size_t n)
{
    hk_status st = path_check(units, n);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct nk cur = *key;
    uint32_t cur_depth = *depth;
    size_t pos = 0, start, len;
    while (path_next(units, n, &pos, &start, &len)) {
        st = open_component(img, &cur, &cur_depth, units + start, len);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    *key = cur;
    *depth = cur_depth;
    return HK_ERROR_SUCCESS;
}

hk_status tree_open_path(struct hive_image *img, struct nk *key, uint32_t *depth, const char *path)
{
    if (!path || !*path)
        return HK_ERROR_SUCCESS;
    struct upname u;
    hk_status st = upname_init(&u, path, strlen(path));
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = walk_units(img, key, depth, u.units, u.len);
    upname_free(&u);
    return st;
}
