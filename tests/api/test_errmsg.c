/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hk_errmsg(): the detail of the calling thread's last failed call. A call
 * that fails on a bad argument, or succeeds, after a corruption was
 * reported shows "" (not the old text), for one function of each family;
 * two threads each read their own detail.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

Suite *test_suite(void);

/* A hive whose key Software\A has a class length past its cell: reading
 * it is BADDB with a detail; everything else reads. */
struct broken {
    uint8_t *img;
    size_t len;
    uint32_t a, cls;
    hk_hive *hive;
    hk_key *root, *a_key;
};

static struct broken open_broken(uint16_t class_len)
{
    struct broken s;
    struct hb *b = hb_new(5, "ROOT");
    uint32_t sw = hb_key(b, hb_root(b), "Software");
    s.a = hb_key(b, sw, "A");
    hb_key(b, sw, "B");
    hb_class(b, s.a, "cls");
    hb_value(b, sw, "dw", HK_REG_DWORD, "\1\2\3\4", 4);
    s.img = hb_finish(b, &s.len);
    s.cls = hb_get32(s.img, hb_rec(s.a) + HB_NK_CLASS);
    hb_put16(s.img, hb_rec(s.a) + HB_NK_CLASS_LEN, class_len);
    ck_assert_uint_eq(hk_hive_open_memory(s.img, s.len, NULL, &s.hive), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_root(s.hive, &s.root), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(s.root, "Software\\A", 0, HK_KEY_READ, &s.a_key),
                      HK_ERROR_SUCCESS);
    return s;
}

static void close_broken(struct broken *s)
{
    hk_close_key(s->a_key);
    hk_close_key(s->root);
    hk_hive_close(s->hive);
    free(s->img);
}

/* The detail the broken class gives, exactly. */
static void want_text(const struct broken *s, uint16_t class_len, char *out, size_t size)
{
    snprintf(out, size, "corrupt hive at offset 0x%x (file offset 0x%x): class name of %u bytes "
             "(key at 0x%x) runs past its ", s->cls, 4096 + s->cls, class_len, s->a);
}

/* Reads the broken class: BADDB, and the detail says so. */
static void set_detail(struct broken *s)
{
    char cls[64], want[160];
    size_t cls_size = sizeof cls;
    ck_assert_uint_eq(hk_query_info_key(s->a_key, cls, &cls_size, NULL), HK_ERROR_BADDB);
    want_text(s, 0x4000, want, sizeof want);
    ck_assert_msg(strncmp(hk_errmsg(), want, strlen(want)) == 0, "detail: %s", hk_errmsg());
}

/* ---- one function of each family, failing on an argument and succeeding -- */

static int discard(const void *data, size_t size, void *ctx)
{
    (void)data;
    (void)size;
    (void)ctx;
    return 0;
}

static int count_find(const hk_carve_record *rec, void *ctx)
{
    (void)rec;
    (*(int *)ctx)++;
    return 0;
}

static hk_status hive_bad(struct broken *s)
{
    (void)s;
    hk_key *k;
    return hk_hive_root(NULL, &k);
}

static hk_status hive_good(struct broken *s)
{
    hk_hive_info info = HK_HIVE_INFO_INIT;
    return hk_hive_info_get(s->hive, &info);
}

static hk_status key_bad(struct broken *s)
{
    (void)s;
    char name[64];
    size_t size = sizeof name;
    return hk_enum_key(NULL, 0, name, &size);
}

static hk_status key_good(struct broken *s)
{
    char name[64];
    size_t size = sizeof name;
    return hk_enum_key(s->root, 0, name, &size);
}

static hk_status value_bad(struct broken *s)
{
    (void)s;
    uint32_t type;
    return hk_query_value_ex(NULL, "dw", &type, NULL, NULL);
}

static hk_status value_good(struct broken *s)
{
    hk_key *sw;
    hk_status st = hk_open_key(s->root, "Software", 0, HK_KEY_READ, &sw);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint8_t data[8];
    size_t size = sizeof data;
    uint32_t type;
    st = hk_query_value_ex(sw, "dw", &type, data, &size);
    hk_close_key(sw);
    return st;
}

static hk_status registry_bad(struct broken *s)
{
    (void)s;
    hk_key *k;
    return hk_registry_open_predefined(NULL, HK_HKEY_LOCAL_MACHINE, 0, &k);
}

static hk_status registry_good(struct broken *s)
{
    (void)s;
    hk_registry *reg;
    hk_status st = hk_registry_new(NULL, &reg);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_key *k = NULL;
    st = hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, 0, &k);
    hk_close_key(k);
    hk_status close = hk_registry_close(reg);
    return st != HK_ERROR_SUCCESS ? st : close;
}

static hk_status writer_bad(struct broken *s)
{
    (void)s;
    return hk_reg_write_key(NULL, "X", 0);
}

static hk_status writer_good(struct broken *s)
{
    (void)s;
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_REG;
    hk_reg_writer *w;
    hk_status st = hk_reg_writer_open(&o, discard, NULL, &w);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = hk_reg_write_key(w, "HKEY_X\\ROOT", 0);
    if (st == HK_ERROR_SUCCESS)
        st = hk_reg_writer_finish(w);
    hk_reg_writer_free(w);
    return st;
}

static hk_status export_bad(struct broken *s)
{
    return hk_export(s->root, NULL, discard, NULL);
}

static hk_status export_good(struct broken *s)
{
    hk_key *b;
    hk_status st = hk_open_key(s->root, "Software\\B", 0, HK_KEY_READ, &b);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_JSON;
    st = hk_export(b, &o, discard, NULL);
    hk_close_key(b);
    return st;
}

static const char reg_text[] = "Windows Registry Editor Version 5.00\r\n\r\n"
                               "[HKEY_X\\ROOT\\New]\r\n\"v\"=dword:00000001\r\n";

static hk_status import_bad(struct broken *s)
{
    (void)s;
    return hk_import_reg(NULL, reg_text, sizeof reg_text - 1, NULL);
}

static hk_status import_good(struct broken *s)
{
    (void)s;
    hk_hive *h;
    hk_status st = hk_hive_create(5, "ROOT", &h);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_key *root;
    st = hk_hive_root(h, &root);
    if (st == HK_ERROR_SUCCESS) {
        st = hk_import_reg(root, reg_text, sizeof reg_text - 1, NULL);
        hk_close_key(root);
    }
    hk_hive_close(h);
    return st;
}

static hk_status carve_bad(struct broken *s)
{
    (void)s;
    int n = 0;
    return hk_carve_memory(NULL, 10, NULL, count_find, &n);
}

static hk_status carve_good(struct broken *s)
{
    /* the broken hive holds a base block and bins: it is found */
    int n = 0;
    hk_status st = hk_carve_memory(s->img, s->len, NULL, count_find, &n);
    return st == HK_ERROR_SUCCESS && n == 0 ? HK_ERROR_NO_MORE_ITEMS : st;
}

static hk_status open_bad(struct broken *s)
{
    (void)s;
    hk_hive *h;
    return hk_hive_open(NULL, NULL, &h);
}

static hk_status open_good(struct broken *s)
{
    hk_hive *h;
    hk_status st = hk_hive_open_memory(s->img, s->len, NULL, &h);
    if (st == HK_ERROR_SUCCESS)
        hk_hive_close(h);
    return st;
}

static const struct family {
    const char *name;
    hk_status (*bad)(struct broken *);
    hk_status bad_status;
    hk_status (*good)(struct broken *);
} families[] = {
    {"hive", hive_bad, HK_ERROR_INVALID_PARAMETER, hive_good},
    {"key", key_bad, HK_ERROR_INVALID_HANDLE, key_good},
    {"value", value_bad, HK_ERROR_INVALID_HANDLE, value_good},
    {"registry", registry_bad, HK_ERROR_INVALID_PARAMETER, registry_good},
    {"writer", writer_bad, HK_ERROR_INVALID_PARAMETER, writer_good},
    {"export", export_bad, HK_ERROR_INVALID_PARAMETER, export_good},
    {"import", import_bad, HK_ERROR_INVALID_HANDLE, import_good},
    {"carve", carve_bad, HK_ERROR_INVALID_PARAMETER, carve_good},
    {"open", open_bad, HK_ERROR_INVALID_PARAMETER, open_good},
};

/* After a corruption's detail: a failure on an argument shows "", not the
 * corruption's text. */
START_TEST(bad_argument_clears_the_detail)
{
    const struct family *f = &families[_i];
    struct broken s = open_broken(0x4000);
    set_detail(&s);
    ck_assert_uint_eq(f->bad(&s), f->bad_status);
    ck_assert_msg(hk_errmsg()[0] == '\0', "%s: the failure shows \"%s\"", f->name, hk_errmsg());
    close_broken(&s);
}
END_TEST

/* After a corruption's detail: a success shows "". */
START_TEST(success_clears_the_detail)
{
    const struct family *f = &families[_i];
    struct broken s = open_broken(0x4000);
    set_detail(&s);
    ck_assert_uint_eq(f->good(&s), HK_ERROR_SUCCESS);
    ck_assert_msg(hk_errmsg()[0] == '\0', "%s: the success shows \"%s\"", f->name, hk_errmsg());
    close_broken(&s);
}
END_TEST

/* Closing a key cannot fail: the detail of the failure before stands. */
START_TEST(closing_a_key_keeps_the_detail)
{
    struct broken s = open_broken(0x4000);
    set_detail(&s);
    hk_key *k;
    ck_assert_uint_eq(hk_open_key(s.root, "Software", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    set_detail(&s);
    hk_close_key(k);
    set_detail(&s); /* asserts the text again */
    close_broken(&s);
}
END_TEST

/* ---- two threads -------------------------------------------------------- */

struct other {
    pthread_barrier_t *bar;
    char seen_first[256], seen_after[256];
};

/* Fails with its own corruption (class length 0x3000), then waits while
 * the main thread fails with another; its detail must not have changed. */
static void *other_thread(void *arg)
{
    struct other *o = arg;
    struct broken s = open_broken(0x3000);
    char cls[64];
    size_t cls_size = sizeof cls;
    hk_status st = hk_query_info_key(s.a_key, cls, &cls_size, NULL);
    snprintf(o->seen_first, sizeof o->seen_first, "%u %s", st, hk_errmsg());
    pthread_barrier_wait(o->bar); /* 1: the main thread looks at its own detail */
    pthread_barrier_wait(o->bar); /* 2: the main thread has failed too */
    snprintf(o->seen_after, sizeof o->seen_after, "%u %s", st, hk_errmsg());
    close_broken(&s);
    return NULL;
}

START_TEST(each_thread_reads_its_own_detail)
{
    pthread_barrier_t bar;
    ck_assert_int_eq(pthread_barrier_init(&bar, NULL, 2), 0);
    struct other o = {&bar, "", ""};
    struct broken s = open_broken(0x4000);
    hk_key *k;
    ck_assert_uint_eq(hk_open_key(s.root, "Software", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, other_thread, &o), 0);
    pthread_barrier_wait(&bar); /* 1 */
    /* the other thread failed; this one's last call succeeded */
    ck_assert_str_eq(hk_errmsg(), "");
    set_detail(&s);
    pthread_barrier_wait(&bar); /* 2 */
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    pthread_barrier_destroy(&bar);
    char want[160], first[200];
    want_text(&s, 0x3000, want, sizeof want); /* the same layout: the same offsets */
    snprintf(first, sizeof first, "%u %s", HK_ERROR_BADDB, want);
    ck_assert_msg(strncmp(o.seen_first, first, strlen(first)) == 0, "other: %s", o.seen_first);
    ck_assert_str_eq(o.seen_after, o.seen_first);
    set_detail(&s); /* this thread's is its own still */
    close_broken(&s);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("errmsg");
    TCase *tc = tcase_create("calls");
    tcase_add_loop_test(tc, bad_argument_clears_the_detail, 0,
                        (int)(sizeof families / sizeof families[0]));
    tcase_add_loop_test(tc, success_clears_the_detail, 0,
                        (int)(sizeof families / sizeof families[0]));
    tcase_add_test(tc, closing_a_key_keeps_the_detail);
    suite_add_tcase(s, tc);
    TCase *th = tcase_create("threads");
    tcase_add_test(th, each_thread_reads_its_own_detail);
    suite_add_tcase(s, th);
    return s;
}
