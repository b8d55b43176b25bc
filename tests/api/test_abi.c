/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ABI policy: sized structs (the library reads and writes only the bytes
 * the caller's size names, refuses a size below the first layout, takes NULL
 * options as the defaults) and unknown flag bits refused.
 */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

Suite *test_suite(void);

static uint8_t *small_hive(size_t *len)
{
    struct hb *b = hb_new(5, "ROOT");
    hb_key(b, hb_root(b), "Sub");
    return hb_finish(b, len);
}

START_TEST(open_options_size_below_the_first_layout_is_invalid_parameter)
{
    size_t len;
    uint8_t *img = small_hive(&len);
    hk_hive *h = (hk_hive *)&h;
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    /* the first layout ends with n_log_paths; later fields are optional */
    o.size = (uint32_t)(offsetof(hk_open_options, n_log_paths) + sizeof o.n_log_paths - 1);
    ck_assert_uint_eq(hk_hive_open_memory(img, len, &o, &h), HK_ERROR_INVALID_PARAMETER);
    ck_assert_ptr_eq(h, (hk_hive *)&h);
    o.size = 0;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, &o, &h), HK_ERROR_INVALID_PARAMETER);
    /* NULL: the defaults (read-only) */
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    free(img);
}
END_TEST

/* A caller built against a later header: the struct is longer, with fields
 * this library does not know; it reads only its own part. */
START_TEST(a_longer_options_struct_is_read_up_to_the_librarys_size)
{
    size_t len;
    uint8_t *img = small_hive(&len);
    struct {
        hk_open_options o;
        uint8_t future[32];
    } later;
    memset(&later, 0xEE, sizeof later);
    later.o = (hk_open_options)HK_OPEN_OPTIONS_INIT;
    later.o.size = sizeof later;
    later.o.flags = HK_OPEN_WRITE;
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, &later.o, &h), HK_ERROR_SUCCESS);
    hk_key *root, *k;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    /* HK_OPEN_WRITE was read: the hive is writable */
    ck_assert_uint_eq(hk_create_key(root, "New", &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    hk_close_key(root);
    hk_hive_close(h);
    free(img);
}
END_TEST

START_TEST(unknown_open_flag_bits_are_refused)
{
    size_t len;
    uint8_t *img = small_hive(&len);
    char msg[128] = "";
    static const uint32_t bad[] = {0x8u, 0x80u, 0x200u, 0x80000000u};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hk_open_options o = HK_OPEN_OPTIONS_INIT;
        o.flags = HK_OPEN_WRITE | bad[i];
        o.errmsg = msg;
        o.errmsg_size = sizeof msg;
        hk_hive *h = NULL;
        ck_assert_uint_eq(hk_hive_open_memory(img, len, &o, &h), HK_ERROR_INVALID_PARAMETER);
        ck_assert_ptr_null(h);
        ck_assert_uint_eq(hk_hive_recover("x", &o, "y", 0), HK_ERROR_INVALID_PARAMETER);
    }
    free(img);
}
END_TEST

/* Output structs: a longer caller struct keeps its tail; a shorter one than
 * the first layout is refused before anything is written. */
START_TEST(output_structs_write_only_the_bytes_both_sides_know)
{
    size_t len;
    uint8_t *img = small_hive(&len);
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);

    struct {
        hk_hive_info i;
        uint8_t future[16];
    } hi;
    memset(&hi, 0xEE, sizeof hi);
    hi.i.size = sizeof hi;
    ck_assert_uint_eq(hk_hive_info_get(h, &hi.i), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hi.i.size, sizeof hi);
    ck_assert_uint_eq(hi.i.major_version, 1);
    ck_assert_uint_eq(hi.i.minor_version, 5);
    for (size_t i = 0; i < sizeof hi.future; i++)
        ck_assert_uint_eq(hi.future[i], 0xEE);

    hk_hive_info shorter;
    memset(&shorter, 0xEE, sizeof shorter);
    shorter.size = (uint32_t)offsetof(hk_hive_info, log_entries);
    ck_assert_uint_eq(hk_hive_info_get(h, &shorter), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(shorter.major_version, 0xEEEEEEEEu);

    struct {
        hk_key_info k;
        uint8_t future[16];
    } ki;
    memset(&ki, 0xEE, sizeof ki);
    ki.k.size = sizeof ki;
    ck_assert_uint_eq(hk_query_info_key(root, NULL, NULL, &ki.k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(ki.k.subkeys, 1);
    ck_assert_uint_eq(ki.k.max_subkey_name_size, 9); /* "Sub": 3 units */
    for (size_t i = 0; i < sizeof ki.future; i++)
        ck_assert_uint_eq(ki.future[i], 0xEE);
    hk_key_info kshort = HK_KEY_INFO_INIT;
    kshort.size = 4;
    ck_assert_uint_eq(hk_query_info_key(root, NULL, NULL, &kshort), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(kshort.subkeys, 0);

    hk_check_counts c = HK_CHECK_COUNTS_INIT;
    c.size = 4;
    ck_assert_uint_eq(hk_hive_check(h, NULL, NULL, &c), HK_ERROR_INVALID_PARAMETER);
    c = (hk_check_counts)HK_CHECK_COUNTS_INIT;
    ck_assert_uint_eq(hk_hive_check(h, NULL, NULL, &c), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(c.size, sizeof c);
    ck_assert_uint_eq(c.errors, 0);

    hk_log_info li = HK_LOG_INFO_INIT;
    li.size = 2;
    ck_assert_uint_eq(hk_hive_log_info(h, 0, &li), HK_ERROR_INVALID_PARAMETER);

    hk_close_key(root);
    hk_hive_close(h);
    free(img);
}
END_TEST

static int discard(void *ctx, const void *data, size_t size)
{
    (void)ctx;
    (void)data;
    (void)size;
    return 0;
}

/* hk_export_options as first published: up to errmsg_size */
#define ABI_V1_EXPORT (offsetof(hk_export_options, errmsg_size) + sizeof(size_t))

START_TEST(text_options_below_the_first_layout_are_refused)
{
    size_t len;
    uint8_t *img = small_hive(&len);
    hk_hive *h;
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, &o, &h), HK_ERROR_SUCCESS);
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    hk_export_options e = HK_EXPORT_OPTIONS_INIT;
    e.format = HK_FORMAT_REG;
    ck_assert_uint_eq(hk_export(root, &e, discard, NULL), HK_ERROR_SUCCESS);
    e.size = (uint32_t)offsetof(hk_export_options, errmsg_size);
    ck_assert_uint_eq(hk_export(root, &e, discard, NULL), HK_ERROR_INVALID_PARAMETER);
    /* a caller of the first layout gets no flags; unknown flag bits are refused */
    e.format = HK_FORMAT_JSONL;
    ck_assert_uint_eq(hk_export(root, &e, discard, NULL), HK_ERROR_INVALID_PARAMETER);
    e.size = (uint32_t)ABI_V1_EXPORT;
    e.flags = 0xFFFFFFFFu; /* beyond the caller's size: not read */
    ck_assert_uint_eq(hk_export(root, &e, discard, NULL), HK_ERROR_SUCCESS);
    e.size = sizeof e;
    ck_assert_uint_eq(hk_export(root, &e, discard, NULL), HK_ERROR_INVALID_PARAMETER);
    e.flags = HK_EXPORT_SALVAGE;
    ck_assert_uint_eq(hk_export(root, &e, discard, NULL), HK_ERROR_SUCCESS);
    e.format = HK_FORMAT_REG;
    e.flags = 0;
    e.size = (uint32_t)offsetof(hk_export_options, errmsg_size);
    hk_reg_writer *w = NULL;
    ck_assert_uint_eq(hk_reg_writer_open(&e, discard, NULL, &w), HK_ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(w);

    static const char text[] = "REGEDIT4\r\n\r\n[HKEY_X\\ROOT\\Imported]\r\n";
    hk_import_options io = HK_IMPORT_OPTIONS_INIT;
    io.prefix = "HKEY_X\\ROOT";
    io.size = 1;
    ck_assert_uint_eq(hk_import_reg(root, text, sizeof text - 1, &io), HK_ERROR_INVALID_PARAMETER);
    hk_key *k;
    ck_assert_uint_eq(hk_open_key(root, "Imported", 0, HK_KEY_READ, &k), HK_ERROR_FILE_NOT_FOUND);
    io.size = sizeof io;
    ck_assert_uint_eq(hk_import_reg(root, text, sizeof text - 1, &io), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(root, "Imported", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    ck_assert_uint_eq(hk_import_reg(root, text, sizeof text - 1, NULL), HK_ERROR_SUCCESS);
    hk_close_key(root);
    hk_hive_close(h);
    free(img);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("sized_structs");
    tcase_add_test(tc, open_options_size_below_the_first_layout_is_invalid_parameter);
    tcase_add_test(tc, a_longer_options_struct_is_read_up_to_the_librarys_size);
    tcase_add_test(tc, unknown_open_flag_bits_are_refused);
    tcase_add_test(tc, output_structs_write_only_the_bytes_both_sides_know);
    tcase_add_test(tc, text_options_below_the_first_layout_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
