/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security cells on a writable image (tree layer): reference counts and the
 * ring of sk cells. */
#ifndef HK_TREE_SECURITY_H
#define HK_TREE_SECURITY_H

#include <stdint.h>

#include "hive/image.h"

/* One more key uses the sk at off (CELL_NIL: nothing). */
hk_status security_addref(struct hive_image *img, uint32_t off);

/* One key less uses it; at 0 it leaves the ring and is freed. */
hk_status security_release(struct hive_image *img, uint32_t off);

/* An sk holding exactly these descriptor bytes with one more reference: an
 * existing one of the ring through ring_head (CELL_NIL: no ring yet), or a
 * new one linked in just before ring_head. May move the image. */
hk_status security_share(struct hive_image *img, uint32_t ring_head, const uint8_t *sd,
                         uint32_t sd_len, uint32_t *out);

/* Checks a self-relative security descriptor: revision 1, the self-relative
 * control bit, owner/group SIDs and ACLs inside the bytes. */
int security_descriptor_valid(const uint8_t *sd, size_t len);

/* Builds in out (capacity >= old_len + new_len) the descriptor whose parts
 * named by info (owner 1, group 2, DACL 4, SACL 8) come from new_sd, the
 * rest from old_sd; returns its length. Both were checked valid. */
uint32_t security_merge(const uint8_t *old_sd, uint32_t old_len, const uint8_t *new_sd,
                        uint32_t new_len, uint32_t info, uint8_t *out);

/* A default descriptor for a new hive's root: owner Administrators, group
 * SYSTEM, a DACL giving SYSTEM and Administrators full control and Everyone
 * read access, inherited by subkeys. */
const uint8_t *security_default(uint32_t *len);

#endif
