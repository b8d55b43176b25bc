/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Creating, deleting and renaming keys on a writable image (tree layer). */
#ifndef HK_TREE_EDIT_KEY_H
#define HK_TREE_EDIT_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "hive/image.h"

/* The child of parent named by upcased units (CELL_NIL when absent). */
hk_status key_find_child(struct hive_image *img, uint32_t parent, const uint16_t *up, size_t n,
                         uint32_t *child);

/* A new key below parent (which has no child of that name): name and class
 * as given (class_units 0: none), the parent's security (one more
 * reference), time now. Raises the parent's count, max name and max class
 * fields and sets its time. */
hk_status key_create(struct hive_image *img, uint32_t parent, const uint16_t *name, size_t n,
                     const uint16_t *cls, size_t class_units, uint64_t now, uint32_t *out);

/* Gives key the class name of len bytes at cls (UTF-16LE as stored; len 0:
 * none), in a new cell; a class it had is freed. Raises the parent's max
 * class field (the root has no parent). cls must not point into img (an
 * allocation may move it). */
hk_status key_set_class(struct hive_image *img, uint32_t key, const uint8_t *cls, size_t len);

/* Deletes a key without subkeys (its values, class and security reference
 * go with it) and unlinks it from its parent, whose time becomes now. */
hk_status key_delete(struct hive_image *img, uint32_t key, uint64_t now);

/* Frees the whole subtree below key (not key itself), leaving it without
 * subkeys. depth bounds the recursion. Calls on_free(ctx, off) for every key
 * node freed (so handles can be marked deleted). */
hk_status key_delete_children(struct hive_image *img, uint32_t key, uint32_t depth, uint64_t now,
                              void (*on_free)(void *, uint32_t), void *ctx);

/* Renames key (no sibling has the new name): in place when the new name fits
 * its cell, else in a new cell (*out = the new offset; the children, the
 * parent's list and the base block's root follow). */
hk_status key_rename(struct hive_image *img, uint32_t key, const uint16_t *name, size_t n,
                     uint64_t now, uint32_t *out);

/* Gives key the security descriptor sd (shared with an identical sk or a new
 * one); the old sk loses a reference. */
hk_status key_set_security(struct hive_image *img, uint32_t key, const uint8_t *sd, uint32_t len);

#endif
