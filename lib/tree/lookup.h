/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding keys: children by name, paths of names (tree layer). */
#ifndef HK_TREE_LOOKUP_H
#define HK_TREE_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "hive/image.h"
#include "record/nk.h"
#include "record/subkeys.h"
#include "tree/enumlist.h"

/* The error half of tree_child: child NULL for the root listed as a child,
 * else the decoded child whose parent field is wrong. */
hk_status tree_child_failed(struct hive_image *img, const struct nk *parent, uint32_t child_off,
                            const struct nk *child);

/* Reads the key node child_off found in parent's list: it must be an nk whose
 * parent field names parent (a list pointing elsewhere, e.g. back up the
 * tree, is corrupt) and not the root key (the one way to close a cycle). Inline:
 * a walk reads one child per key. */
static HK_HOT_INLINE hk_status tree_child(struct hive_image *img, const struct nk *parent,
                                          uint32_t child_off, struct nk *child)
{
    /* Each key names one parent and must be listed by it, so the only loop a
     * walk down from the root can meet goes back through the root: refusing
     * the root as a child breaks every cycle at its first step. */
    if (child_off == img->bb.root)
        return tree_child_failed(img, parent, child_off, NULL);
    hk_status st = nk_read(img, child_off, child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (child->parent != parent->off)
        return tree_child_failed(img, parent, child_off, child);
    return HK_ERROR_SUCCESS;
}

/* Opens path (UTF-8/WTF-8, the syntax of tree/path.h: repeated and trailing
 * '\' tolerated) below the key from at *depth: the key reached in *out
 * (not from itself), its depth in *depth; NULL or "": from. BAD_PATHNAME
 * for a leading '\', NO_UNICODE_TRANSLATION for invalid UTF-8,
 * FILE_NOT_FOUND when a component is missing, BADDB for corruption or a
 * depth over HK_MAX_DEPTH. On failure *depth is as it was and *out is
 * undefined.
 *
 * hint (may be NULL): what an enumeration of from's list knows (valid for
 * the image as it is). When the first component is the entry it read last
 * (equal as the search compares: case-insensitive) and the whole list is
 * strictly ascending (checked here, once per hint: then no other entry has
 * that name and the binary search reaches this one), that entry is taken
 * without the search: OpenKey(key, EnumKey(key, i)). Otherwise the search
 * decides; the result is the same either way. */
hk_status tree_open_path(struct hive_image *img, const struct nk *from, uint32_t *depth,
                         const char *path, struct enum_list *hint, struct nk *out);

/* The child of from named up[0..n) (upcased units) as hint gives it, by
 * tree_open_path's rules, read into *child; false: the hint does not name
 * it (hint NULL, another name, a list not checked in order...), the caller
 * searches. For lookups that work on upcased units (key creation). */
bool tree_hinted_child(struct hive_image *img, const struct nk *from, struct enum_list *hint,
                       const uint16_t *up, size_t n, struct nk *child);

#endif
