/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hive/image: base block checks, checksum rules, the bin and cell walk and
 * cell resolution, on images made by hand byte by byte. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hive/binwalk.h"
#include "hive/image.h"

Suite *test_suite(void);

static void put32(uint8_t *p, size_t off, uint32_t v)
{
    p[off] = (uint8_t)v;
    p[off + 1] = (uint8_t)(v >> 8);
    p[off + 2] = (uint8_t)(v >> 16);
    p[off + 3] = (uint8_t)(v >> 24);
}

static void fix_checksum(uint8_t *p)
{
    uint32_t x = 0;
    for (size_t i = 0; i < 508; i += 4)
        x ^= (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
             (uint32_t)p[i + 3] << 24;
    put32(p, 508, x == 0 ? 1 : x == 0xFFFFFFFFu ? 0xFFFFFFFEu : x);
}

/* Base block + one 4096-byte bin: an allocated 96-byte cell at 0x20 and a free
 * remainder. Nothing in the cell is interpreted here. */
static uint8_t *minimal(size_t *len)
{
    *len = 8192;
    uint8_t *p = calloc(1, *len);
    memcpy(p, "regf", 4);
    put32(p, 4, 7);
    put32(p, 8, 7);
    put32(p, 20, 1);
    put32(p, 24, 5);
    put32(p, 32, 1);
    put32(p, 36, 0x20);
    put32(p, 40, 4096);
    put32(p, 44, 1);
    uint8_t *bin = p + 4096;
    memcpy(bin, "hbin", 4);
    put32(bin, 8, 4096);
    put32(bin, 0x20, (uint32_t)-96);
    memcpy(bin + 0x24, "nk", 2);
    put32(bin, 0x20 + 96, 4096 - 32 - 96);
    fix_checksum(p);
    return p;
}

static hk_status open_bytes(uint8_t *p, size_t len, struct hive_image *img)
{
    struct file_buf fb = {.data = p, .size = len, .mapped = 0};
    return image_open(img, &fb);
}

START_TEST(checksum_remaps_zero_and_all_ones)
{
    uint8_t base[512] = {0};
    ck_assert_uint_eq(baseblock_checksum(base), 1);
    put32(base, 0, 0xFFFFFFFFu);
    ck_assert_uint_eq(baseblock_checksum(base), 0xFFFFFFFEu);
    put32(base, 4, 0x0000FFFFu);
    ck_assert_uint_eq(baseblock_checksum(base), 0xFFFF0000u);
    put32(base, 508, 0x12345678u); /* the checksum field itself is not summed */
    ck_assert_uint_eq(baseblock_checksum(base), 0xFFFF0000u);
}
END_TEST

START_TEST(opens_minimal_image)
{
    size_t len;
    struct hive_image img;
    uint8_t *p = minimal(&len);
    ck_assert_uint_eq(open_bytes(p, len, &img), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(img.bins_size, 4096);
    ck_assert_uint_eq(img.bin_count, 1);
    ck_assert(!img.dirty);
    ck_assert(cell_is_start(&img, 0x20));
    ck_assert(cell_is_start(&img, 0x20 + 96));
    ck_assert(!cell_is_start(&img, 0x28));
    struct span body;
    ck_assert_uint_eq(cell_get(&img, 0x20, &body), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(body.len, 92);
    ck_assert_uint_eq(cell_get_sig(&img, 0x20, "nk", &body), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(cell_get_sig(&img, 0x20, "vk", &body), HK_ERROR_BADDB);
    ck_assert_uint_eq(cell_get(&img, 0x20 + 96, &body), HK_ERROR_BADDB); /* free */
    ck_assert_ptr_nonnull(strstr(diag_detail(), "free"));
    ck_assert_uint_eq(cell_get(&img, 0x28, &body), HK_ERROR_BADDB); /* inside a cell */
    ck_assert_ptr_nonnull(strstr(diag_detail(), "offset 0x28"));
    ck_assert_uint_eq(cell_get(&img, 0x1000, &body), HK_ERROR_BADDB); /* past the bins */
    ck_assert_uint_eq(cell_get(&img, 0xFFFFFFFFu, &body), HK_ERROR_BADDB);
    image_free(&img);
}
END_TEST

START_TEST(dirty_when_sequences_differ_or_checksum_bad)
{
    size_t len;
    struct hive_image img;
    uint8_t *p = minimal(&len);
    put32(p, 8, 6);
    fix_checksum(p);
    ck_assert_uint_eq(open_bytes(p, len, &img), HK_ERROR_SUCCESS);
    ck_assert(img.dirty);
    image_free(&img);
    p = minimal(&len);
    p[508] ^= 1;
    ck_assert_uint_eq(open_bytes(p, len, &img), HK_ERROR_SUCCESS);
    ck_assert(img.dirty);
    ck_assert_uint_ne(img.bb.checksum_stored, img.bb.checksum_computed);
    image_free(&img);
}
END_TEST

struct breakage {
    size_t off;
    uint32_t value;
    hk_status status;
    const char *says;
};

static const struct breakage broken[] = {
    {0, 0x66676573u, HK_ERROR_NOT_REGISTRY_FILE, "regf"},      /* "sgef" */
    {20, 2, HK_ERROR_BADDB, "version 2.5"},
    {24, 7, HK_ERROR_BADDB, "version 1.7"},
    {24, 0, HK_ERROR_BADDB, "version 1.0"},
    {28, 6, HK_ERROR_NOT_REGISTRY_FILE, "transaction log"},
    {32, 2, HK_ERROR_BADDB, "file format 2"},
    {40, 0, HK_ERROR_BADDB, "bins size 0x0"},
    {40, 4095, HK_ERROR_BADDB, "multiple of 4096"},
    {40, 8192, HK_ERROR_BADDB, "past the end"},
    {4096, 0x6e696278u, HK_ERROR_BADDB, "hbin"},                /* signature */
    {4096 + 4, 0x1000, HK_ERROR_BADDB, "records its offset"},
    {4096 + 8, 0, HK_ERROR_BADDB, "hive bin size 0x0"},
    {4096 + 8, 8192, HK_ERROR_BADDB, "runs past"},
    {4096 + 0x20, (uint32_t)-100, HK_ERROR_BADDB, "multiple of 8"},
    {4096 + 0x20, 0, HK_ERROR_BADDB, "cell size 0"},
    {4096 + 0x20, (uint32_t)-8192, HK_ERROR_BADDB, "crosses the end"},
    {4096 + 0x20, 0x80000000u, HK_ERROR_BADDB, "crosses the end"},
    {4096 + 0x20, 4, HK_ERROR_BADDB, "cell size 4 is not"},
    /* the last cell, one unit too long, free or allocated, or far too long */
    {4096 + 0x80, 4096 - 0x80 + 8, HK_ERROR_BADDB, "crosses the end"},
    {4096 + 0x80, (uint32_t)-(4096 - 0x80 + 8), HK_ERROR_BADDB, "crosses the end"},
    {4096 + 0x80, 0x7FFFFFF8u, HK_ERROR_BADDB, "crosses the end"},
};

START_TEST(broken_structures_are_located)
{
    const struct breakage *b = &broken[_i];
    size_t len;
    uint8_t *p = minimal(&len);
    put32(p, b->off, b->value);
    if (b->off < 508)
        fix_checksum(p);
    struct hive_image img;
    hk_status st = open_bytes(p, len, &img);
    if (b->off >= 4096 + 0x20) {
        /* A broken tiling does not fail the open: it fails the cells of its bin. */
        ck_assert_msg(st == HK_ERROR_SUCCESS, "case %d: open gave %u", _i, st);
        struct span body;
        st = cell_get(&img, 0x20, &body);
        ck_assert(!cell_is_start(&img, 0x20));
        ck_assert_uint_eq(image_walk_all(&img), b->status);
    }
    ck_assert_msg(st == b->status, "case %d: status %u", _i, st);
    ck_assert_msg(strstr(diag_detail(), b->says) != NULL, "case %d: message \"%s\" lacks \"%s\"",
                  _i, diag_detail(), b->says);
    image_free(&img);
}
END_TEST

START_TEST(short_files_are_refused)
{
    static const size_t sizes[] = {0, 3, 4, 512, 4095, 4096, 6000};
    size_t len;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *p = minimal(&len);
        struct hive_image img;
        hk_status st = open_bytes(p, sizes[i], &img);
        ck_assert_uint_eq(st, sizes[i] < 4 ? HK_ERROR_NOT_REGISTRY_FILE : HK_ERROR_BADDB);
        ck_assert(diag_detail()[0] != '\0');
        image_free(&img);
    }
}
END_TEST

START_TEST(a_broken_bin_fails_only_its_own_cells)
{
    size_t len;
    uint8_t *p = minimal(&len);
    /* a second bin whose tiling is broken: open and the first bin still work */
    p = realloc(p, len + 4096);
    memset(p + len, 0, 4096);
    memcpy(p + len, "hbin", 4);
    put32(p, len + 4, 4096);
    put32(p, len + 8, 4096);
    put32(p, len + 0x20, (uint32_t)-12);
    put32(p, 40, 8192);
    fix_checksum(p);
    struct hive_image img;
    ck_assert_uint_eq(open_bytes(p, len + 4096, &img), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(img.bin_count, 2);
    /* the open walked both bins: the first is mapped, the broken one not */
    ck_assert_str_eq(diag_detail(), "");
    ck_assert(img.bin_walked[0] && !img.bin_walked[1] && !image_all_walked(&img));
    struct span body;
    ck_assert_uint_eq(cell_get(&img, 0x20, &body), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(cell_get(&img, 0x1020, &body), HK_ERROR_BADDB);
    ck_assert_ptr_nonnull(strstr(diag_detail(), "offset 0x1020"));
    ck_assert_uint_eq(cell_get(&img, 0x1020, &body), HK_ERROR_BADDB); /* and stays so */
    ck_assert_uint_eq(image_walk_all(&img), HK_ERROR_BADDB);
    image_free(&img);
}
END_TEST

START_TEST(cells_may_end_exactly_at_the_end_of_their_bin)
{
    size_t len;
    uint8_t *p = minimal(&len);
    put32(p, 4096 + 0x80, (uint32_t)-(4096 - 0x80)); /* the last cell, now allocated */
    struct hive_image img;
    ck_assert_uint_eq(open_bytes(p, len, &img), HK_ERROR_SUCCESS);
    ck_assert(image_all_walked(&img)); /* an intact hive is mapped whole at open */
    struct span body;
    ck_assert_uint_eq(cell_get(&img, 0x80, &body), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(body.len, 4096 - 0x80 - 4);
    ck_assert_uint_eq(image_walk_all(&img), HK_ERROR_SUCCESS);
    image_free(&img);

    p = minimal(&len);
    put32(p, 4096 + 0x20, (uint32_t)-(4096 - 0x20)); /* one cell fills the bin */
    ck_assert_uint_eq(open_bytes(p, len, &img), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(cell_get(&img, 0x20, &body), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(body.len, 4096 - 0x20 - 4);
    ck_assert(!cell_is_start(&img, 0x80));
    image_free(&img);
}
END_TEST

START_TEST(trailing_bytes_after_bins_are_ignored)
{
    size_t len;
    uint8_t *p = minimal(&len);
    p = realloc(p, len + 7);
    memset(p + len, 0xAB, 7);
    struct hive_image img;
    ck_assert_uint_eq(open_bytes(p, len + 7, &img), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(img.bin_count, 1);
    image_free(&img);
}
END_TEST

/* Two bins of raw bytes (no base block) for the bin and cell walks. */
static uint8_t *two_bins(void)
{
    uint8_t *b = calloc(1, 3 * 4096);
    memcpy(b, "hbin", 4);
    put32(b, 8, 4096);
    put32(b, 32, (uint32_t)-16); /* allocated 16 */
    put32(b, 48, 24);            /* free 24 */
    put32(b, 72, 4096 - 72);     /* free rest */
    memcpy(b + 4096, "hbin", 4);
    put32(b, 4096 + 4, 4096);
    put32(b, 4096 + 8, 8192);
    put32(b, 4096 + 32, 8192 - 32);
    return b;
}

START_TEST(bin_walk_visits_each_bin_and_names_the_first_fault)
{
    uint8_t *b = two_bins();
    struct bin_iter it;
    struct bin_header h;
    uint32_t bin = 1;
    char why[160];
    bin_iter_init(&it, b, 3 * 4096);
    ck_assert_int_eq(bin_iter_next(&it, &bin, &h), BIN_OK);
    ck_assert_uint_eq(bin, 0);
    ck_assert_uint_eq(h.size, 4096);
    ck_assert_int_eq(bin_iter_next(&it, &bin, &h), BIN_OK);
    ck_assert_uint_eq(bin, 4096);
    ck_assert_uint_eq(h.size, 8192);
    ck_assert_int_eq(bin_iter_next(&it, &bin, &h), BIN_END);
    ck_assert_int_eq(bin_iter_next(&it, &bin, &h), BIN_END);
    /* The second bin claims more than the buffer holds. */
    bin_iter_init(&it, b, 2 * 4096);
    ck_assert_int_eq(bin_iter_next(&it, &bin, &h), BIN_OK);
    ck_assert_int_eq(bin_iter_next(&it, &bin, &h), BIN_PAST_END);
    ck_assert_uint_eq(it.off, 4096);
    bin_fault_text(BIN_PAST_END, &h, 2 * 4096, why, sizeof why);
    ck_assert_str_eq(why, "hive bin of 0x2000 bytes runs past the hive bins size 0x2000");
    ck_assert_int_eq(bin_check(b, 3 * 4096, 4096, &h), BIN_OK);
    put32(b, 4096 + 4, 0);
    ck_assert_int_eq(bin_check(b, 3 * 4096, 4096, &h), BIN_BAD_SELF);
    put32(b, 4096 + 4, 4096);
    put32(b, 4096 + 8, 0);
    ck_assert_int_eq(bin_check(b, 3 * 4096, 4096, &h), BIN_BAD_SIZE);
    b[4096] = 'H';
    ck_assert_int_eq(bin_check(b, 3 * 4096, 4096, &h), BIN_NO_SIG);
    ck_assert_int_eq(bin_check(b, 3 * 4096, 3 * 4096 - 16, &h), BIN_NO_SIG); /* no room */
    free(b);
}
END_TEST

START_TEST(cell_walk_stops_at_a_broken_size)
{
    uint8_t *b = two_bins();
    struct cell_iter it;
    struct cell_at c;
    char why[160];
    cell_iter_init(&it, b, 0, 4096);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_OK);
    ck_assert_uint_eq(c.off, 32);
    ck_assert_uint_eq(c.size, 16);
    ck_assert(c.alloc);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_OK);
    ck_assert_uint_eq(c.off, 48);
    ck_assert_uint_eq(c.size, 24);
    ck_assert(!c.alloc);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_OK);
    ck_assert_uint_eq(c.off, 72);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_END);
    /* A size of 0 would never move on: the walk stops there, and stays. */
    put32(b, 48, 0);
    cell_iter_init(&it, b, 0, 4096);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_OK);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_BAD);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_BAD);
    ck_assert_uint_eq(it.off, 48);
    cell_fault_text(&it, why, sizeof why);
    ck_assert_str_eq(why, "cell size 0 is not a multiple of 8 of at least 8");
    /* A size running past the bin. */
    put32(b, 48, (uint32_t)-4096);
    cell_iter_init(&it, b, 0, 4096);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_OK);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_BAD);
    cell_fault_text(&it, why, sizeof why);
    ck_assert_str_eq(why, "cell of 4096 bytes crosses the end of its hive bin at 0x1000");
    /* INT32_MIN: a size whose magnitude does not fit a cell. */
    put32(b, 48, 0x80000000u);
    cell_iter_init(&it, b, 0, 4096);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_OK);
    ck_assert_int_eq(cell_iter_next(&it, &c), CELL_STEP_BAD);
    free(b);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("image");
    TCase *tc = tcase_create("base");
    tcase_add_test(tc, checksum_remaps_zero_and_all_ones);
    tcase_add_test(tc, opens_minimal_image);
    tcase_add_test(tc, dirty_when_sequences_differ_or_checksum_bad);
    tcase_add_test(tc, short_files_are_refused);
    tcase_add_test(tc, trailing_bytes_after_bins_are_ignored);
    tcase_add_test(tc, cells_may_end_exactly_at_the_end_of_their_bin);
    tcase_add_test(tc, a_broken_bin_fails_only_its_own_cells);
    tcase_add_test(tc, bin_walk_visits_each_bin_and_names_the_first_fault);
    tcase_add_test(tc, cell_walk_stops_at_a_broken_size);
    suite_add_tcase(s, tc);
    TCase *corrupt = tcase_create("corrupt");
    tcase_add_loop_test(corrupt, broken_structures_are_located, 0,
                        (int)(sizeof broken / sizeof broken[0]));
    suite_add_tcase(s, corrupt);
    return s;
}
