/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A new empty hive image and subtree copies (tree layer). */
#ifndef HK_TREE_NEWHIVE_H
#define HK_TREE_NEWHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hive/image.h"

/* A writable image of version 1.minor: one 4096-byte bin holding the root
 * key (flags HIVE_ENTRY | NO_DELETE, at offset 0x20 as Windows places it)
 * named by units, its security (sd, or the default descriptor when NULL) and
 * one free cell. Both sequence numbers 0: the first save writes 1. */
hk_status newhive_create(struct hive_image *img, uint32_t minor, const uint16_t *name, size_t n,
                         const uint8_t *sd, uint32_t sd_len, uint64_t now);

/* Copies the values and the subtree of src_key (in src) into dst_key (in
 * dst, which may be src; dst_key must not lie in src_key's subtree).
 * Existing values of the same name are replaced, existing keys merged into.
 * Every copied key keeps the source's class name (a key merged into keeps
 * its own, or takes the source's if it has none). preserve: new keys take
 * the source's security descriptor and last-write times (a save); else the
 * destination parent's security and the time now (RegCopyTree). The top
 * key's class is the caller's (tree_copy_class). */
/* Gives dst_key (in dst) the class name of src_key (in src) when it has
 * none of its own. */
hk_status tree_copy_class(struct hive_image *src, uint32_t src_key, struct hive_image *dst,
                          uint32_t dst_key);

hk_status tree_copy(struct hive_image *src, uint32_t src_key, struct hive_image *dst,
                    uint32_t dst_key, bool preserve, uint64_t now, uint32_t depth);

#endif
