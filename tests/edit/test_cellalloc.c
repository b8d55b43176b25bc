/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cell allocator (exact layouts: best fit, split, coalesce, growth by a
 * new bin) and the record encoders (exact bytes against the format facts). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/span.h"
#include "hive/cellalloc.h"
#include "record/encode.h"
#include "record/nk.h"
#include "tree/newhive.h"
#include "tree/security.h"

Suite *test_suite(void);

static struct hive_image img;

static void fresh(void)
{
    static const uint16_t r[] = {'R'};
    ck_assert_uint_eq(newhive_create(&img, 5, r, 1, NULL, 0, 1), HK_ERROR_SUCCESS);
}

static int32_t raw(uint32_t off)
{
    return (int32_t)le32_unchecked(img.file.data + HBIN_START + off);
}

START_TEST(new_hive_layout_root_at_0x20_then_sk_then_one_free_cell)
{
    fresh();
    uint32_t sd_len;
    security_default(&sd_len);
    ck_assert_uint_eq(img.bb.root, 0x20);
    ck_assert_int_eq(raw(0x20), -88);               /* 4 + 76 + 1 -> 88 */
    uint32_t sk_cell = (4 + 20 + sd_len + 7) & ~7u;
    ck_assert_int_eq(raw(0x78), -(int32_t)sk_cell);
    uint32_t free_off = 0x78 + sk_cell;
    ck_assert_int_eq(raw(free_off), (int32_t)(4096 - free_off));
    uint32_t n;
    uint64_t bytes;
    free_cells_stats(&img, &n, &bytes);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(bytes, 4096 - free_off);
    image_free(&img);
}
END_TEST

START_TEST(alloc_splits_and_free_coalesces_both_sides)
{
    fresh();
    uint32_t a, b, c, first = 0x78 + ((4 + 20 + 120 + 7) & ~7u);
    ck_assert_uint_eq(cell_alloc(&img, 10, &a), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(cell_alloc(&img, 12, &b), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(cell_alloc(&img, 13, &c), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(a, first);
    ck_assert_uint_eq(b, first + 16);
    ck_assert_uint_eq(c, first + 32);
    ck_assert_int_eq(raw(a), -16);
    ck_assert_int_eq(raw(c), -24);                   /* 13 + 4 -> 24 */
    ck_assert_int_eq(raw(c + 24), (int32_t)(4096 - c - 24));
    memset(cell_body_unchecked(&img, b), 0xAB, 12);
    cell_free(&img, b);
    ck_assert_int_eq(raw(b), 16);
    ck_assert_uint_eq(cell_body_unchecked(&img, b)[0], 0xAB); /* bytes stay */
    cell_free(&img, a);                                   /* merges with b after it */
    ck_assert_int_eq(raw(a), 32);
    ck_assert(!cell_is_start(&img, b));
    cell_free(&img, c);                                   /* merges both ways */
    ck_assert_int_eq(raw(a), (int32_t)(4096 - a));
    ck_assert(!cell_is_start(&img, c));
    uint32_t n;
    uint64_t bytes;
    free_cells_stats(&img, &n, &bytes);
    ck_assert_uint_eq(n, 1);
    image_free(&img);
}
END_TEST

START_TEST(alloc_takes_the_smallest_fitting_free_cell)
{
    fresh();
    uint32_t x[6];
    ck_assert_uint_eq(cell_alloc(&img, 44, &x[0]), HK_ERROR_SUCCESS); /* 48 */
    ck_assert_uint_eq(cell_alloc(&img, 4, &x[1]), HK_ERROR_SUCCESS);  /* 8: a separator */
    ck_assert_uint_eq(cell_alloc(&img, 12, &x[2]), HK_ERROR_SUCCESS); /* 16 */
    ck_assert_uint_eq(cell_alloc(&img, 4, &x[3]), HK_ERROR_SUCCESS);
    cell_free(&img, x[0]);
    cell_free(&img, x[2]);
    uint32_t got;
    ck_assert_uint_eq(cell_alloc(&img, 10, &got), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(got, x[2]);
    ck_assert_uint_eq(cell_alloc(&img, 20, &got), HK_ERROR_SUCCESS); /* 24 of the 48: split */
    ck_assert_uint_eq(got, x[0]);
    ck_assert_int_eq(raw(x[0] + 24), 24);
    image_free(&img);
}
END_TEST

START_TEST(growth_appends_a_bin_sized_for_the_cell)
{
    fresh();
    uint32_t big, seg;
    ck_assert_uint_eq(cell_alloc(&img, 5000, &big), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(big, 0x1000 + 32);
    ck_assert_uint_eq(img.bins_size, 0x3000);            /* 4096 + round4096(5008 + 32) */
    ck_assert_mem_eq(img.file.data + HBIN_START + 0x1000, "hbin", 4);
    ck_assert_uint_eq(le32_unchecked(img.file.data + HBIN_START + 0x1004), 0x1000);
    ck_assert_uint_eq(le32_unchecked(img.file.data + HBIN_START + 0x1008), 0x2000);
    ck_assert_int_eq(raw(big), -5008);
    ck_assert_int_eq(raw(big + 5008), (int32_t)(0x2000 - 32 - 5008));
    ck_assert_uint_eq(cell_alloc(&img, 16344, &seg), HK_ERROR_SUCCESS); /* a full db segment */
    ck_assert_uint_eq(seg, 0x3000 + 32);
    ck_assert_int_eq(raw(seg), -16352);
    ck_assert_uint_eq(img.bins_size, 0x3000 + 0x4000);  /* exactly one 16 KiB bin */
    ck_assert_uint_eq(img.bb.bins_size, img.bins_size);
    ck_assert_uint_eq(image_walk_all(&img), HK_ERROR_SUCCESS);
    cell_free(&img, big);
    ck_assert_int_eq(raw(big), 0x2000 - 32);              /* whole bin free again */
    image_free(&img);
}
END_TEST

/* image_expect_growth: the next growth makes room for the hinted bytes at
 * once, so the growths after it neither move nor reallocate the image; the
 * hint is used once, capped, and one the allocator cannot meet falls back
 * to what the growth needs. */
START_TEST(growth_hint_makes_room_once)
{
    fresh();
    image_expect_growth(&img, SIZE_MAX);
    ck_assert_uint_eq(img.grow_hint, (size_t)256 << 20);
    image_expect_growth(&img, (size_t)8 << 20);
    uint32_t off;
    ck_assert_uint_eq(cell_alloc(&img, 5000, &off), HK_ERROR_SUCCESS);
    ck_assert_uint_ge(img.cap, (size_t)HBIN_START + 0x3000 + ((size_t)8 << 20));
    ck_assert_uint_eq(img.grow_hint, 0);
    const uint8_t *data = img.file.data;
    size_t cap = img.cap;
    alloc_fail_after(0);
    for (int i = 0; i < 1000; i++) /* 4 MB of new bins */
        ck_assert_uint_eq(cell_alloc(&img, 4000, &off), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(img.bins_size, 0x3000 + 1000 * 0x1000);
    ck_assert_ptr_eq(img.file.data, data);
    ck_assert_uint_eq(img.cap, cap);
    image_free(&img);

    fresh();
    image_expect_growth(&img, (size_t)8 << 20);
    alloc_fail_after(1); /* the hinted size fails: the growth still happens */
    ck_assert_uint_eq(cell_alloc(&img, 5000, &off), HK_ERROR_SUCCESS);
    ck_assert_uint_ge(alloc_fail_after(0), 2);
    ck_assert_uint_eq(img.bins_size, 0x3000);
    ck_assert_uint_lt(img.cap, (size_t)1 << 20);
    ck_assert_uint_eq(img.grow_hint, 0);
    image_free(&img);
}
END_TEST

/* A hive read into a buffer of its own at open (FILE_BIG) is made writable
 * in that buffer: no second copy, the bins' bytes kept, the file's bytes
 * past the bins zeroed as in a new copy; without memory to resize it the
 * image stays as it was, readable. */
START_TEST(own_buffer_becomes_the_writable_copy)
{
    fresh();
    uint32_t off;
    while (img.bins_size < (2u << 20)) /* a hive of over 2 MiB */
        ck_assert_uint_eq(cell_alloc(&img, 16000, &off), HK_ERROR_SUCCESS);
    size_t len = (size_t)HBIN_START + img.bins_size;
    const size_t trail = 5000; /* bytes past the bins, not part of the hive */
    for (int attempt = 0; attempt < 2; attempt++) {
        uint8_t *own = hk_big_realloc(NULL, 0, len + trail);
        ck_assert_ptr_nonnull(own);
        memcpy(own, img.file.data, len);
        memset(own + len, 0xAA, trail);
        put_le32(own + BB_BINS_SIZE, img.bins_size);
        put_le32(own + BB_CHECKSUM, baseblock_checksum(own));
        struct file_buf fb = {.data = own, .size = len + trail, .mapped = FILE_BIG};
        struct hive_image copy;
        ck_assert_uint_eq(image_open(&copy, &fb), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(copy.bins_size, img.bins_size);
        if (attempt == 0) {
            ck_assert_uint_eq(image_make_writable(&copy), HK_ERROR_SUCCESS);
            ck_assert_ptr_eq(copy.file.data, own); /* resized in place */
            ck_assert_uint_eq(copy.cap, hk_big_cap(len));
            ck_assert_uint_eq(copy.file.size, len);
            ck_assert_mem_eq(copy.file.data + HBIN_START, img.file.data + HBIN_START,
                             img.bins_size);
            size_t nonzero = len; /* the trailing bytes are gone */
            while (nonzero < copy.cap && copy.file.data[nonzero] == 0)
                nonzero++;
            ck_assert_uint_eq(nonzero, copy.cap);
            ck_assert_uint_eq(cell_alloc(&copy, 5000, &off), HK_ERROR_SUCCESS);
            ck_assert_uint_eq(off, img.bins_size + HBIN_HEADER_SIZE);
        } else {
            alloc_fail_after(1);
            ck_assert_uint_ne(image_make_writable(&copy), HK_ERROR_SUCCESS);
            alloc_fail_after(0);
            ck_assert(!copy.writable);
            ck_assert_ptr_eq(copy.file.data, own);
            ck_assert_int_eq(copy.file.mapped, FILE_BIG);
            ck_assert_uint_eq(copy.file.data[len], 0xAA);
            struct span body;
            ck_assert_uint_eq(cell_get(&copy, img.bb.root, &body), HK_ERROR_SUCCESS);
        }
        image_free(&copy);
    }
    image_free(&img);
}
END_TEST

START_TEST(nk_encoding_exact_bytes)
{
    static const uint16_t name[] = {'A', 'b'};
    struct nk_init in = {0, 0x0102030405060708ull, 0x20, 0x78, CELL_NIL, 0, name, 2};
    uint8_t b[80];
    memset(b, 0xEE, sizeof b);
    ck_assert_uint_eq(nk_len(name, 2), 78);
    nk_encode(b, &in);
    static const uint8_t want[78] = {
        'n', 'k', 0x20, 0x00, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0, 0, 0, 0,
        0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x78, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 'A', 'b'};
    ck_assert_mem_eq(b, want, 78);
    static const uint16_t wide[] = {'x', 0x20AC};
    in.name = wide;
    ck_assert_uint_eq(nk_len(wide, 2), 80);
    nk_encode(b, &in);
    ck_assert_uint_eq(le16_unchecked(b + 2), 0);     /* no COMP_NAME */
    ck_assert_uint_eq(le16_unchecked(b + 72), 4);
    ck_assert_mem_eq(b + 76, "x\0\xac\x20", 4);
}
END_TEST

START_TEST(vk_db_and_list_encoding_exact_bytes)
{
    static const uint16_t name[] = {'v'};
    uint8_t b[32];
    vk_encode(b, name, 1, 4, 0x80000004u, 0x2A);
    static const uint8_t want[21] = {'v', 'k', 1, 0, 4, 0, 0, 0x80, 0x2A, 0, 0, 0, 4, 0, 0, 0,
                                     1, 0, 0, 0, 'v'};
    ck_assert_mem_eq(b, want, 21);
    vk_encode(b, NULL, 0, 1, 6, 0x1000);
    static const uint8_t dflt[20] = {'v', 'k', 0, 0, 6, 0, 0, 0, 0, 0x10, 0, 0, 1, 0, 0, 0,
                                     0, 0, 0, 0};
    ck_assert_mem_eq(b, dflt, 20); /* the default value: flags 0 */
    db_encode(b, 13, 0x4020);
    ck_assert_mem_eq(b, "db\x0d\x00\x20\x40\x00\x00", 8);
    list_header_encode(b, "lh", 1012);
    ck_assert_mem_eq(b, "lh\xf4\x03", 4);
}
END_TEST

START_TEST(lh_hash_and_lf_hint_values)
{
    struct name_ref a = {(const uint8_t *)"a", 1, true};
    struct name_ref sw = {(const uint8_t *)"Software", 8, true};
    struct name_ref wide = {(const uint8_t *)"a\0\xac\x20", 4, false};
    ck_assert_uint_eq(name_lh_hash(a), 0x41);
    ck_assert_uint_eq(name_lh_hash(sw), 0xE9FE1463u);
    ck_assert_uint_eq(name_lh_hash(wide), 0x41u * 37u + 0x20ACu);
    ck_assert_uint_eq(name_lf_hint(sw), le32_unchecked((const uint8_t *)"Soft"));
    ck_assert_uint_eq(name_lf_hint(a), 'a');
    ck_assert_uint_eq(name_lf_hint(wide), 0);
}
END_TEST

START_TEST(security_merge_takes_the_named_parts)
{
    uint32_t len;
    const uint8_t *sd = security_default(&len);
    ck_assert(security_descriptor_valid(sd, len));
    uint8_t other[256];
    memcpy(other, sd, len);
    /* make the owner S-1-5-18 (copy of the group) */
    memcpy(other + 0x5C, other + 0x6C, 12);
    uint8_t out[512];
    uint32_t n = security_merge(sd, len, other, len, 1, out);
    ck_assert(security_descriptor_valid(out, n));
    ck_assert_uint_eq(n, len - 4);                         /* the new owner is 4 bytes shorter */
    uint32_t owner = le32_unchecked(out + 4), group = le32_unchecked(out + 8);
    ck_assert_mem_eq(out + owner, sd + 0x6C, 12);
    ck_assert_mem_eq(out + group, sd + 0x6C, 12);
    ck_assert_uint_eq(le32_unchecked(out + 16), 20);       /* DACL first after the header */
    ck_assert_mem_eq(out + 20, sd + 20, 0x48);
    ck_assert(!security_descriptor_valid(sd, 19));
    uint8_t bad[128];
    memcpy(bad, sd, len);
    bad[2] = 0x04;
    bad[3] = 0x00; /* not self-relative */
    ck_assert(!security_descriptor_valid(bad, len));
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cellalloc");
    TCase *t = tcase_create("alloc");
    tcase_add_test(t, new_hive_layout_root_at_0x20_then_sk_then_one_free_cell);
    tcase_add_test(t, alloc_splits_and_free_coalesces_both_sides);
    tcase_add_test(t, alloc_takes_the_smallest_fitting_free_cell);
    tcase_add_test(t, own_buffer_becomes_the_writable_copy);
    tcase_add_test(t, growth_appends_a_bin_sized_for_the_cell);
    tcase_add_test(t, growth_hint_makes_room_once);
    suite_add_tcase(s, t);
    TCase *e = tcase_create("encode");
    tcase_add_test(e, nk_encoding_exact_bytes);
    tcase_add_test(e, vk_db_and_list_encoding_exact_bytes);
    tcase_add_test(e, lh_hash_and_lf_hint_values);
    tcase_add_test(e, security_merge_takes_the_named_parts);
    suite_add_tcase(s, e);
    return s;
}
