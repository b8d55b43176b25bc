/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The records suite's helpers: see records_fixture.h. */
#include <stdlib.h>
#include <string.h>

#include "hive_builder.h"
#include "records_fixture.h"


/* Opens a finished image; the image takes p (freed by image_free). */
void open_image(uint8_t *p, size_t len, struct hive_image *img)
{
    struct file_buf fb = {.data = p, .size = len, .mapped = 0};
    hk_status st = image_open(img, &fb);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "image_open: %u %s", st, diag_detail());
}

/* Body bytes (after the size field) of the allocated cell at off. */
uint32_t body_len(const uint8_t *p, uint32_t off)
{
    return (uint32_t)0 - hb_get32(p, HB_BASE_BLOCK_SIZE + (size_t)off) - 4u;
}

void read_nk(struct hive_image *img, uint32_t off, struct nk *nk)
{
    hk_status st = nk_read(img, off, nk);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "nk_read(0x%x): %u %s", off, st, diag_detail());
}

/* open_image, then nk_read of key (which must succeed). */
void open_at(uint8_t *p, size_t len, struct hive_image *img, uint32_t key, struct nk *nk)
{
    open_image(p, len, img);
    read_nk(img, key, nk);
}

void expect_baddb(hk_status st, const char *says)
{
    ck_assert_msg(st == HK_ERROR_BADDB, "status %u, BADDB expected", st);
    ck_assert_msg(strstr(diag_detail(), says) != NULL, "message \"%s\" lacks \"%s\"",
                  diag_detail(), says);
}

/* A copy of a finished image, for a second set of pokes. */
uint8_t *dup_image(const uint8_t *p, size_t len)
{
    uint8_t *c = malloc(len);
    ck_assert_ptr_nonnull(c);
    return memcpy(c, p, len);
}
