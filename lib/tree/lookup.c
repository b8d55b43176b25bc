/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Key lookup by name and by path (tree layer). */
#include "tree/lookup.h"

#include <string.h>

#include "base/alloc.h"
#include "base/upcase.h"
#include "base/utf16.h"

hk_status tree_child(struct hive_image *img, const struct nk *parent, uint32_t child_off,
                     struct nk *child)
{
    hk_status st = nk_read(img, child_off, child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (child->parent != parent->off)
        return image_corrupt(img, child_off,
                             "key listed under 0x%x names 0x%x as its parent", parent->off,
                             child->parent);
    return HK_ERROR_SUCCESS;
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
        return image_corrupt(img, off, "key nesting deeper than %u levels", HK_MAX_DEPTH);
    struct nk child;
    st = tree_child(img, key, off, &child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    *key = child;
    (*depth)++;
    return HK_ERROR_SUCCESS;
}

static hk_status walk_units(struct hive_image *img, struct nk *key, uint32_t *depth, uint16_t *units,
                            size_t n)
{
    if (n > 0 && units[0] == '\\')
        return HK_ERROR_BAD_PATHNAME;
    if (n > 0 && units[n - 1] == '\\')
        n--; /* one trailing separator is tolerated */
    if (n > 0 && units[n - 1] == '\\')
        return HK_ERROR_BAD_PATHNAME; /* two final separators: an empty component */
    for (size_t i = 0; i < n; i++) {
        if (units[i] == '\\' && i + 1 < n && units[i + 1] == '\\')
            return HK_ERROR_BAD_PATHNAME; /* a syntax error wins over a missing key */
        units[i] = upcase_unit(units[i]);
    }
    struct nk cur = *key;
    uint32_t cur_depth = *depth;
    size_t start = 0;
    while (start < n) {
        size_t end = start;
        while (end < n && units[end] != '\\')
            end++;
        if (end == start)
            return HK_ERROR_BAD_PATHNAME;
        hk_status st = open_component(img, &cur, &cur_depth, units + start, end - start);
        if (st != HK_ERROR_SUCCESS)
            return st;
        start = end + 1;
    }
    *key = cur;
    *depth = cur_depth;
    return HK_ERROR_SUCCESS;
}

hk_status tree_open_path(struct hive_image *img, struct nk *key, uint32_t *depth, const char *path)
{
    if (!path || !*path)
        return HK_ERROR_SUCCESS;
    size_t len = strlen(path);
    uint16_t stack[512];
    size_t n;
    int rc = utf8_to_utf16(path, len, stack, sizeof stack / sizeof stack[0], &n);
    if (rc == -1)
        return HK_ERROR_NO_UNICODE_TRANSLATION;
    if (rc == 0)
        return walk_units(img, key, depth, stack, n);
    uint16_t *heap = hk_alloc(n * sizeof *heap);
    if (!heap)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    size_t got;
    hk_status st = HK_ERROR_NO_UNICODE_TRANSLATION;
    if (utf8_to_utf16(path, len, heap, n, &got) == 0)
        st = walk_units(img, key, depth, heap, got);
    hk_dealloc(heap);
    return st;
}
