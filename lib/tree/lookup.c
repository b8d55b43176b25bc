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

/* Steps down from *key to its list's entry off: child, when the caller
 * read it already, else NULL. */
static hk_status step_to(struct hive_image *img, struct nk *key, uint32_t *depth, uint32_t off,
                         const struct nk *child)
{
    if (*depth >= HK_MAX_DEPTH)
        return IMAGE_CORRUPT(img, off, "key nesting deeper than %u levels", HK_MAX_DEPTH);
    struct nk read;
    if (!child) {
        hk_status st = tree_child(img, key, off, &read);
        if (st != HK_ERROR_SUCCESS)
            return st;
        child = &read;
    }
    *key = *child;
    (*depth)++;
    return HK_ERROR_SUCCESS;
}

/* Whether s is the stored name n byte for byte, ASCII without a separator:
 * then it is that one name as a path, equal to it under any rule, and the
 * conversion to upcased units can be skipped. */
static bool same_ascii(const struct name_ref *n, const char *s)
{
    uint32_t units = name_units(*n);
    if (units == 0)
        return false;
    uint32_t i = 0;
    if (HK_LIKELY(n->compressed)) {
        for (; i < units; i++) {
            uint8_t c = n->ptr[i];
            /* 1..0x7F but '\\'; s's byte equal */
            if ((uint8_t)(c - 1u) >= 0x7Fu || c == '\\' || (unsigned char)s[i] != c)
                return false;
        }
        return s[i] == '\0';
    }
    for (; i < units; i++) {
        uint16_t u = name_unit(*n, i);
        if (u == 0 || u >= 0x80 || u == '\\' || (unsigned char)s[i] != u)
            return false;
    }
    return s[i] == '\0';
}

/* The name sought: the whole path s when it is one ASCII name (s set), else
 * the upcased units up[0..n). */
struct sought {
    const char *s;
    const uint16_t *up;
    size_t n;
};

static bool sought_is(const struct sought *q, const struct name_ref *name)
{
    return q->s ? same_ascii(name, q->s) : name_cmp_upcased(name, q->up, q->n) == 0;
}

/* Whether the name the hint noted for the entry it read last is q: the
 * filter before hinted_child (last_name is set only with last_valid). */
static bool hint_names(const struct enum_list *hint, const struct sought *q)
{
    return hint && hint->last_valid && sought_is(q, &hint->last_name);
}

/* Whether the entry hint read last, which hint_names found named q, is the
 * child of key named q that the search would find, read into *child: the
 * hint is of key's list, the whole list is strictly ascending (then no
 * other entry has the name, in any case, and the binary search reaches
 * this one), and the entry at the hint's index is named q (its own name
 * decides). false: the search decides (the detail of a failed check
 * dropped: the search reports what it finds). */
static bool hinted_child(struct hive_image *img, const struct nk *key, struct enum_list *hint,
                         const struct sought *q, struct nk *child)
{
    if (!hint->ready || key->subkey_count == 0 || hint->list != key->subkeys ||
        hint->sub.total != key->subkey_count)
        return false;
    uint32_t off;
    hk_status st = enum_list_order_to(img, key, hint, hint->sub.total, NULL);
    if (st == HK_ERROR_SUCCESS)
        st = subkeys_at(img, &hint->sub, hint->last_index, &off);
    if (st == HK_ERROR_SUCCESS)
        st = tree_child(img, key, off, child);
    if (st != HK_ERROR_SUCCESS) {
        diag_clear(DIAG_DETAIL);
        return false;
    }
    /* the same bytes as the name the hint noted: named q already */
    if (child->name.ptr == hint->last_name.ptr && child->name.len == hint->last_name.len &&
        child->name.compressed == hint->last_name.compressed)
        return true;
    return sought_is(q, &child->name);
}

bool tree_hinted_child(struct hive_image *img, const struct nk *from, struct enum_list *hint,
                       const uint16_t *up, size_t n, struct nk *child)
{
    struct sought q = {NULL, up, n};
    return hint_names(hint, &q) && hinted_child(img, from, hint, &q, child);
}

/* Opens the child named up[0..n) (upcased units) of *key; hint (may be
 * NULL) as tree_open_path's. */
static hk_status open_component(struct hive_image *img, struct nk *key, uint32_t *depth,
                                const uint16_t *up, size_t n, struct enum_list *hint)
{
    struct nk child;
    if (tree_hinted_child(img, key, hint, up, n, &child))
        return step_to(img, key, depth, child.off, &child);
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
    return step_to(img, key, depth, off, NULL);
}

/* Walks the upcased units of a path: '\\' separates components; hint
 * serves the first. */
static hk_status walk_units(struct hive_image *img, const struct nk *from, uint32_t *depth,
                            const uint16_t *units, size_t n, struct enum_list *hint,
                            struct nk *out)
{
    hk_status st = path_check(units, n);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct nk cur = *from;
    uint32_t cur_depth = *depth;
    size_t pos = 0, start, len;
    while (path_next(units, n, &pos, &start, &len)) {
        st = open_component(img, &cur, &cur_depth, units + start, len, hint);
        if (st != HK_ERROR_SUCCESS)
            return st;
        hint = NULL;
    }
    *out = cur;
    *depth = cur_depth;
    return HK_ERROR_SUCCESS;
}

hk_status tree_open_path(struct hive_image *img, const struct nk *from, uint32_t *depth,
                         const char *path, struct enum_list *hint, struct nk *out)
{
    if (!path || !*path) {
        *out = *from;
        return HK_ERROR_SUCCESS;
    }
    struct sought q = {path, NULL, 0};
    if (hint_names(hint, &q)) {
        /* OpenKey(key, EnumKey(key, i)) of an ASCII name: no conversion,
         * the child read straight into *out */
        if (*depth < HK_MAX_DEPTH && hinted_child(img, from, hint, &q, out)) {
            (*depth)++;
            return HK_ERROR_SUCCESS;
        }
        hint = NULL; /* the same checks would fail again */
    }
    struct upname u;
    hk_status st = upname_init(&u, path, strlen(path));
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = walk_units(img, from, depth, u.units, u.len, hint, out);
    upname_free(&u);
    return st;
}
