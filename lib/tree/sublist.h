/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Subkey list upkeep on a writable image (tree layer): entries kept in
 * Windows' order with correct lf hints and lh hashes; a full leaf splits in
 * halves under an index root (ri). */
#ifndef HK_TREE_SUBLIST_H
#define HK_TREE_SUBLIST_H

#include <stdint.h>

#include "hive/image.h"

/* Windows' leaf capacities: (4096 - 32 - 8 - 4) / 4 - 1 for li and lh,
 * (4096 - 32 - 8 - 4) / 8 for lf. */
#define LEAF_MAX_LH 1012u
#define LEAF_MAX_LF 506u

/* The leaf kind a new list gets in a hive of that minor version: 'h' (lh)
 * from 1.5, 'f' (lf) in 1.3 and 1.4, 'i' (li) below. */
char sublist_kind_for(uint32_t minor);

/* Inserts the key node child_off (its name already written, no sibling of
 * the same name) into the list of parent_off and raises the parent's count.
 * May move the image. */
hk_status sublist_insert(struct hive_image *img, uint32_t parent_off, uint32_t child_off);

/* Removes child_off from the list of parent_off and lowers the count; an
 * emptied leaf is freed (and its ri entry, and an emptied ri). */
hk_status sublist_remove(struct hive_image *img, uint32_t parent_off, uint32_t child_off);

/* Frees the list cells of a key (the ri and every leaf), not the keys. */
void sublist_free_cells(struct hive_image *img, uint32_t list_off);

#endif
