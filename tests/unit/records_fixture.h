/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the files of the records suite share (test_records.c: nk, sk, names
 * and the suite; records_vk.c; records_subkeys.c): opening a builder-made
 * image and reading its records. */
#ifndef HIVEKIT_TESTS_RECORDS_FIXTURE_H
#define HIVEKIT_TESTS_RECORDS_FIXTURE_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "hive/image.h"
#include "record/nk.h"

/* Opens a finished image; the image takes p (freed by image_free). */
void open_image(uint8_t *p, size_t len, struct hive_image *img);

/* Body bytes (after the size field) of the allocated cell at off. */
uint32_t body_len(const uint8_t *p, uint32_t off);

/* nk_read of off, which must succeed. */
void read_nk(struct hive_image *img, uint32_t off, struct nk *nk);

/* open_image, then nk_read of key (which must succeed). */
void open_at(uint8_t *p, size_t len, struct hive_image *img, uint32_t key, struct nk *nk);

/* st must be HK_ERROR_BADDB with a message holding says. */
void expect_baddb(hk_status st, const char *says);

/* A copy of a finished image, for a second set of pokes. */
uint8_t *dup_image(const uint8_t *p, size_t len);

/* The test cases "vk" (records_vk.c) and "subkeys" (records_subkeys.c). */
TCase *records_vk_tcase(void);
TCase *records_subkeys_tcase(void);

#endif
