/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the editing functions of the api layer share: the checks before an
 * edit and caller names as UTF-16 units (keeping open handles in step with
 * the image and the clock: handle.h, handle_sync.c). */
#ifndef HK_API_EDIT_H
#define HK_API_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "api/handle.h"

/* Called by hk_hive_open with HK_OPEN_WRITE: remembers path and, for a
 * clean hive, takes the writable copy now (so a broken tiling fails the
 * open). A dirty hive opens; its edits are refused (hive_edit_begin). */
hk_status hive_open_for_write(hk_hive *h, const char *path);

/* Whether the hive may be saved as clean. The one place that decides it: a
 * hive that opened dirty is REGISTRY_IO_FAILED ("replay its logs first")
 * until log replay clears img.dirty. */
hk_status hive_check_clean(hk_hive *h);

/* Before any edit: ACCESS_DENIED for a hive opened read-only, the
 * hive_check_clean verdict, then the writable copy. */
hk_status hive_edit_begin(hk_hive *h);

/* key_sync, then ACCESS_DENIED unless the handle has every right in need,
 * then hive_edit_begin. */
hk_status key_edit_begin(hk_key *key, uint32_t need);

/* Names up to this many units are held in the struct (no allocation). */
#define EDIT_NAME_INLINE 256

/* A caller's UTF-8 name as UTF-16 units (units) and upcased (up): in
 * inline_units for a short name, else allocated. Initialize with {0} or
 * edit_name_init; do not copy one (units may point into it). */
struct edit_name {
    uint16_t *units, *up;
    size_t n;
    uint16_t inline_units[2 * EDIT_NAME_INLINE];
};

/* NO_UNICODE_TRANSLATION, NOT_ENOUGH_MEMORY. s NULL is "". */
hk_status edit_name_init(struct edit_name *nm, const char *s, size_t len);
void edit_name_free(struct edit_name *nm);

/* A caller's own index of the values of a key (the .reg import's): find
 * answers false when it cannot tell (the value list is then searched), else
 * *vk_off is the record of the value named by upcased units up, CELL_NIL
 * for none; added learns the record of a value set anew. */
struct value_lookup {
    bool (*find)(void *ctx, const hk_key *key, const uint16_t *up, size_t n, uint32_t *vk_off);
    void (*added)(void *ctx, const uint16_t *up, size_t n, uint32_t vk_off);
    void *ctx;
};

/* hk_set_value_ex, looking the name up through lookup when it is not NULL. */
hk_status key_set_value(hk_key *key, const char *name, uint32_t type, const void *data, size_t size,
                        struct value_lookup *lookup);

#endif
