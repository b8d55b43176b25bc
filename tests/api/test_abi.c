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
    static const uint32_t bad[] = {0x8u, 0x80u, 0x200u, 0x80000000u};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hk_open_options o = HK_OPEN_OPTIONS_INIT;
        o.flags = HK_OPEN_WRITE | bad[i];
        hk_hive *h = NULL;
        ck_assert_uint_eq(hk_hive_open_memory(img, len, &o, &h), HK_ERROR_INVALID_PARAMETER);
        ck_assert_ptr_null(h);
        ck_assert_uint_eq(hk_hive_recover("x", &o, "y", 0), HK_ERROR_INVALID_PARAMETER);
    }
    free(img);
}
END_TEST

/* ---- every flags, options, access and reserved argument ---------------- */

struct env {
    uint8_t *img;
    size_t len;
    hk_hive *hive; /* writable, in memory */
    hk_key *root;
    hk_registry *reg;
    uint8_t sd[4096]; /* the root's descriptor */
    size_t sd_size;
    hk_hive *h; /* what a call opened: closed by tidy */
    hk_key *k;
    hk_registry *r;
};

/* Closes what the call that gave st opened; returns st. */
static hk_status tidy(struct env *e, hk_status st)
{
    hk_close_key(e->k);
    hk_hive_close(e->h);
    hk_registry_close(e->r);
    e->k = NULL, e->h = NULL, e->r = NULL;
    return st;
}

static int discard(const void *data, size_t size, void *ctx)
{
    (void)ctx, (void)data, (void)size;
    return 0;
}

static int stop(const hk_diff *d, void *ctx)
{
    (void)ctx, (void)d;
    return 0;
}

static int no_find(const hk_carve_record *r, void *ctx)
{
    (void)r, (void)ctx;
    return 0;
}

/* A path no save can write (its folder does not exist). */
#define NOWHERE "no-such-folder-hk/out.hiv"

static hk_status open_memory_flags(struct env *e, uint32_t bit)
{
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = bit;
    return tidy(e, hk_hive_open_memory(e->img, e->len, &o, &e->h));
}

static hk_status open_file_flags(struct env *e, uint32_t bit)
{
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = bit;
    return tidy(e, hk_hive_open(NOWHERE, &o, &e->h));
}

static hk_status recover_flags(struct env *e, uint32_t bit)
{
    (void)e;
    return hk_hive_recover(NOWHERE, NULL, NOWHERE, bit);
}

static hk_status open_key_options(struct env *e, uint32_t bit)
{
    return tidy(e, hk_open_key(e->root, "Sub", bit, HK_KEY_READ, &e->k));
}

static hk_status open_key_access(struct env *e, uint32_t bit)
{
    return tidy(e, hk_open_key(e->root, "Sub", 0, HK_KEY_READ | bit, &e->k));
}

static hk_status open_subkey_at_access(struct env *e, uint32_t bit)
{
    return tidy(e, hk_open_subkey_at(e->root, 0, HK_KEY_READ | bit, &e->k));
}

static hk_status create_key_ex_reserved(struct env *e, uint32_t bit)
{
    return tidy(e, hk_create_key_ex(e->root, "Sub", bit, NULL, 0, HK_KEY_READ, &e->k, NULL));
}

static hk_status create_key_ex_options(struct env *e, uint32_t bit)
{
    return tidy(e, hk_create_key_ex(e->root, "Sub", 0, NULL, bit, HK_KEY_READ, &e->k, NULL));
}

static hk_status create_key_ex_access(struct env *e, uint32_t bit)
{
    return tidy(e, hk_create_key_ex(e->root, "Sub", 0, NULL, 0, HK_KEY_READ | bit, &e->k, NULL));
}

static hk_status delete_key_ex_access(struct env *e, uint32_t bit)
{
    return hk_delete_key_ex(e->root, "Missing", bit, 0);
}

static hk_status delete_key_ex_reserved(struct env *e, uint32_t bit)
{
    return hk_delete_key_ex(e->root, "Missing", 0, bit);
}

static hk_status hive_save_flags(struct env *e, uint32_t bit)
{
    return hk_hive_save(e->hive, NOWHERE, bit);
}

static hk_status save_key_flags(struct env *e, uint32_t bit)
{
    return hk_save_key(e->root, NOWHERE, bit);
}

static hk_status set_key_security_info(struct env *e, uint32_t bit)
{
    return hk_set_key_security(e->root, HK_DACL_SECURITY_INFORMATION | bit, e->sd, e->sd_size);
}

static hk_status compare_flags(struct env *e, uint32_t bit)
{
    return hk_compare_keys_ex(e->root, e->root, bit, stop, NULL, NULL);
}

static hk_status carve_memory_flags(struct env *e, uint32_t bit)
{
    hk_carve_options o = HK_CARVE_OPTIONS_INIT;
    o.flags = bit;
    return hk_carve_memory(e->img, e->len, &o, no_find, NULL);
}

static hk_status carve_file_flags(struct env *e, uint32_t bit)
{
    (void)e;
    hk_carve_options o = HK_CARVE_OPTIONS_INIT;
    o.flags = bit;
    return hk_carve_file(NOWHERE, &o, no_find, NULL);
}

static hk_status registry_new_flags(struct env *e, uint32_t bit)
{
    hk_registry_options o = HK_REGISTRY_OPTIONS_INIT;
    o.flags = bit;
    return tidy(e, hk_registry_new(&o, &e->r));
}

static hk_status registry_connect_flags(struct env *e, uint32_t bit)
{
    hk_registry_options o = HK_REGISTRY_OPTIONS_INIT;
    o.flags = bit;
    return tidy(e, hk_registry_connect(NOWHERE, &o, &e->r));
}

static hk_status connect_registry_flags(struct env *e, uint32_t bit)
{
    hk_registry_options o = HK_REGISTRY_OPTIONS_INIT;
    o.flags = bit;
    return tidy(e, hk_connect_registry(NOWHERE, HK_HKEY_LOCAL_MACHINE, &o, &e->k));
}

static hk_status open_predefined_access(struct env *e, uint32_t bit)
{
    return tidy(e, hk_registry_open_predefined(e->reg, HK_HKEY_LOCAL_MACHINE, HK_KEY_READ | bit,
                                               &e->k));
}

static hk_status export_format(struct env *e, uint32_t bit)
{
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_REG | bit;
    return hk_export(e->root, &o, discard, NULL);
}

static hk_status export_encoding(struct env *e, uint32_t bit)
{
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_REG;
    o.encoding = bit;
    return hk_export(e->root, &o, discard, NULL);
}

static hk_status reg_writer_format(struct env *e, uint32_t bit)
{
    (void)e;
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_REG | bit;
    hk_reg_writer *w = NULL;
    hk_status st = hk_reg_writer_open(&o, discard, NULL, &w);
    hk_reg_writer_free(w);
    return st;
}

/* Each argument once with nothing unknown (any status but
 * INVALID_PARAMETER) and once with one bit this version does not know. */
START_TEST(every_flags_options_access_and_reserved_argument_refuses_unknown_bits)
{
    static const struct {
        const char *what;
        hk_status (*call)(struct env *, uint32_t);
        uint32_t bit;
    } cases[] = {
        {"hk_hive_open_memory flags", open_memory_flags, 0x8u},
        {"hk_hive_open flags", open_file_flags, 0x80000000u},
        {"hk_hive_recover flags", recover_flags, 0x4u},
        {"hk_open_key options", open_key_options, HK_REG_OPTION_VOLATILE},
        {"hk_open_key options", open_key_options, 0x10u},
        {"hk_open_key access", open_key_access, 0x40u},
        {"hk_open_key access", open_key_access, 0x00800000u},
        {"hk_open_subkey_at access", open_subkey_at_access, 0x400u},
        {"hk_create_key_ex reserved", create_key_ex_reserved, 0x1u},
        {"hk_create_key_ex options", create_key_ex_options, HK_REG_OPTION_VOLATILE},
        {"hk_create_key_ex options", create_key_ex_options, HK_REG_OPTION_BACKUP_RESTORE},
        {"hk_create_key_ex access", create_key_ex_access, 0x04000000u},
        {"hk_delete_key_ex access", delete_key_ex_access, HK_KEY_QUERY_VALUE},
        {"hk_delete_key_ex reserved", delete_key_ex_reserved, 0x1u},
        {"hk_hive_save flags", hive_save_flags, 0x4u},
        {"hk_save_key flags", save_key_flags, 0x100u},
        {"hk_set_key_security security_info", set_key_security_info, 0x10u},
        {"hk_compare_keys_ex flags", compare_flags, 0x4u},
        {"hk_carve_memory flags", carve_memory_flags, 0x8u},
        {"hk_carve_file flags", carve_file_flags, 0x80u},
        {"hk_registry_new flags", registry_new_flags, 0x2u},
        {"hk_registry_connect flags", registry_connect_flags, 0x2u},
        {"hk_connect_registry flags", connect_registry_flags, 0x100u},
        {"hk_registry_open_predefined access", open_predefined_access, 0x80u},
        {"hk_export format", export_format, 0x100u},
        {"hk_export encoding", export_encoding, 0x10u},
        {"hk_reg_writer_open format", reg_writer_format, 0x40u},
    };
    struct env e = {0};
    e.img = small_hive(&e.len);
    ck_assert_uint_eq(hk_hive_create(5, "ROOT", &e.hive), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_root(e.hive, &e.root), HK_ERROR_SUCCESS);
    hk_key *sub;
    ck_assert_uint_eq(hk_create_key(e.root, "Sub", &sub), HK_ERROR_SUCCESS);
    hk_close_key(sub);
    e.sd_size = sizeof e.sd;
    ck_assert_uint_eq(hk_get_key_security(e.root, e.sd, &e.sd_size), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_registry_new(NULL, &e.reg), HK_ERROR_SUCCESS);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hk_status known = cases[i].call(&e, 0);
        ck_assert_msg(known != HK_ERROR_INVALID_PARAMETER, "%s 0: %u", cases[i].what, known);
        hk_status unknown = cases[i].call(&e, cases[i].bit);
        ck_assert_msg(unknown == HK_ERROR_INVALID_PARAMETER, "%s 0x%x: %u", cases[i].what,
                      cases[i].bit, unknown);
    }
    hk_registry_close(e.reg);
    hk_close_key(e.root);
    hk_hive_close(e.hive);
    free(e.img);
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


/* hk_export_options as first published: up to key_path */
#define ABI_V1_EXPORT (offsetof(hk_export_options, key_path) + sizeof(const char *))

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
    e.size = (uint32_t)offsetof(hk_export_options, key_path);
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
    e.size = (uint32_t)offsetof(hk_export_options, key_path);
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
    tcase_add_test(tc, every_flags_options_access_and_reserved_argument_refuses_unknown_bits);
    tcase_add_test(tc, output_structs_write_only_the_bytes_both_sides_know);
    tcase_add_test(tc, text_options_below_the_first_layout_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
