/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Setting and deleting values on a writable image (tree layer). */
#ifndef HK_TREE_EDIT_VALUE_H
#define HK_TREE_EDIT_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "hive/image.h"

/* The largest value data a hive of that minor version takes: 1 MiB in one
 * cell for 1.3 and below (Windows' "standard format" limit), else 65535
 * big-data segments. */
uint32_t value_max_size(uint32_t minor);

/* Index and vk offset of the value named by upcased units up (n of them; 0:
 * the default value) in key's list. FILE_NOT_FOUND when absent. */
hk_status value_find(struct hive_image *img, uint32_t key, const uint16_t *up, size_t n,
                     uint32_t *index, uint32_t *vk_off);

/* Sets value name (units as given, n of them) of key to type and data: an
 * existing value (found by upcased name up) keeps its place in the list and
 * its record; a new one goes at the end. Data of 4 bytes or fewer is inline,
 * more takes one cell, or db segments over 16344 bytes from version 1.4.
 * Raises the key's max value name/data fields; the key's time = now. */
hk_status value_set(struct hive_image *img, uint32_t key, const uint16_t *name, const uint16_t *up,
                    size_t n, uint32_t type, const uint8_t *data, uint32_t size, uint64_t now);

/* value_set with the lookup done by the caller: vk_off is the record of the
 * value so named, CELL_NIL when the key has none. *vk_out (may be NULL): the
 * record written. */
hk_status value_set_at(struct hive_image *img, uint32_t key, uint32_t vk_off, const uint16_t *name,
                       size_t n, uint32_t type, const uint8_t *data, uint32_t size, uint64_t now,
                       uint32_t *vk_out);

/* Deletes value number index of key with its data; the key's time = now. */
hk_status value_delete_at(struct hive_image *img, uint32_t key, uint32_t index, uint64_t now);

/* Frees every value of key (records, data, the list), leaving none. */
hk_status value_free_all(struct hive_image *img, uint32_t key);

#endif
