/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A callback's request to stop (a nonzero return) comes back as
 * HK_ERROR_CANCELLED from every function that takes a callback, and the
 * callback is not called again after it asked. The scans, the check and
 * carving are covered in tests/forensic; here: export, the .reg writer and
 * comparison.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

Suite *test_suite(void);

enum { BIG = 100000, N_BIG = 4 };

/* Root with N_BIG values of BIG bytes: each one's text passes the writers'
 * flush size, so an export calls write several times. */
static struct fx big_values(void)
{
    static uint8_t data[BIG];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    struct hb *b = hb_new(5, "ROOT");
    for (int i = 0; i < N_BIG; i++) {
        char name[8] = {'v', (char)('0' + i), 0};
        hb_value(b, hb_root(b), name, HK_REG_BINARY, data, sizeof data);
    }
    return open_built(b);
}

struct counter {
    int calls, stop_at; /* stop_at 0: never stop */
};

static int count_write(const void *data, size_t size, void *ctx)
{
    struct counter *c = ctx;
    (void)data;
    ck_assert_uint_gt(size, 0);
    return ++c->calls == c->stop_at;
}

static void export_stops(uint32_t format)
{
    struct fx f = big_values();
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = format;
    struct counter all = {0, 0};
    ck_assert_uint_eq(hk_export(f.root, &o, count_write, &all), HK_ERROR_SUCCESS);
    ck_assert_int_ge(all.calls, 3);
    for (int stop = 1; stop <= 2; stop++) {
        struct counter c = {0, stop};
        ck_assert_uint_eq(hk_export(f.root, &o, count_write, &c), HK_ERROR_CANCELLED);
        ck_assert_int_eq(c.calls, stop);
        const char *msg = hk_errmsg();
        ck_assert_msg(strncmp(msg, "the output refused ", 19) == 0, "errmsg: %s", msg);
    }
    close_fx(&f);
}

START_TEST(export_reg_stops_with_cancelled) { export_stops(HK_FORMAT_REG); }
END_TEST

START_TEST(export_json_stops_with_cancelled) { export_stops(HK_FORMAT_JSON); }
END_TEST

/* Once write asked to stop, every later call of the writer is CANCELLED and
 * write hears nothing more. */
START_TEST(reg_writer_stays_cancelled)
{
    static uint8_t data[BIG];
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_REG;
    struct counter c = {0, 1};
    hk_reg_writer *w = NULL;
    ck_assert_uint_eq(hk_reg_writer_open(&o, count_write, &c, &w), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_reg_write_key(w, "HKEY_X\\Key", 0), HK_ERROR_SUCCESS);
    hk_status st = HK_ERROR_SUCCESS;
    for (int i = 0; i < 4 && st == HK_ERROR_SUCCESS; i++)
        st = hk_reg_write_value(w, "v", 1, HK_REG_BINARY, data, sizeof data);
    ck_assert_uint_eq(st, HK_ERROR_CANCELLED);
    ck_assert_int_eq(c.calls, 1);
    ck_assert_uint_eq(hk_reg_write_key(w, "HKEY_X\\Other", 0), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_reg_writer_finish(w), HK_ERROR_CANCELLED);
    ck_assert_int_eq(c.calls, 1);
    hk_reg_writer_free(w);
}
END_TEST

static struct fx three_values(const char *data)
{
    struct hb *b = hb_new(5, "ROOT");
    for (int i = 0; i < 3; i++) {
        char name[8] = {'v', (char)('0' + i), 0};
        hb_value(b, hb_root(b), name, HK_REG_BINARY, data, 4);
    }
    return open_built(b);
}

static int count_diff(const hk_diff *d, void *ctx)
{
    struct counter *c = ctx;
    ck_assert_uint_eq(d->kind, HK_DIFF_VALUE_CHANGED);
    return ++c->calls == c->stop_at;
}

START_TEST(compare_stops_with_cancelled)
{
    struct fx a = three_values("aaaa"), b = three_values("bbbb");
    struct counter all = {0, 0};
    uint64_t count = 0;
    ck_assert_uint_eq(hk_compare_keys(a.root, b.root, count_diff, &all, &count),
                      HK_ERROR_SUCCESS);
    ck_assert_int_eq(all.calls, 3);
    ck_assert_uint_eq(count, 3);
    for (int stop = 1; stop <= 3; stop++) {
        struct counter c = {0, stop};
        count = 99;
        ck_assert_uint_eq(hk_compare_keys_ex(a.root, b.root, HK_COMPARE_TIMES, count_diff, &c,
                                             &count),
                          HK_ERROR_CANCELLED);
        ck_assert_int_eq(c.calls, stop);
        ck_assert_uint_eq(count, 99); /* output parameters: only on success */
    }
    close_fx(&a);
    close_fx(&b);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cancel");
    TCase *tc = tcase_create("callbacks");
    tcase_add_test(tc, export_reg_stops_with_cancelled);
    tcase_add_test(tc, export_json_stops_with_cancelled);
    tcase_add_test(tc, reg_writer_stays_cancelled);
    tcase_add_test(tc, compare_stops_with_cancelled);
    suite_add_tcase(s, tc);
    return s;
}
