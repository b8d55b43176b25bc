/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Edits to a real Windows hive (the corpus SYSTEM, version 1.5, with a
 * 197,444-byte big value in ControlSet002\services\rdyboost\Parameters):
 * everything not edited stays identical, the edited values read back, the
 * result passes the deep checks and libhivex reads what hivekit reads;
 * delete/re-add cycles reuse space; fixed SOURCE_DATE_EPOCH gives fixed bytes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify.h"
#include "corpus.h"

Suite *test_suite(void);

#define SYSTEM_GZ "regipy/SYSTEM.gz"
#define PARAMS "ControlSet002\\services\\rdyboost\\Parameters"
#define BIG_SIZE 197444u

static hk_hive *open_system(void)
{
    /* A writer locks the file it opens: runs sharing the corpus wait for
     * each other rather than fail. */
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    o.lock_wait_ms = 600000;
    hk_hive *h;
    char path[4096];
    corpus_path(path, sizeof path, SYSTEM_GZ);
    ck_assert_msg(hk_hive_open(path, &o, &h) == HK_ERROR_SUCCESS, "%s: %s", path, hk_errmsg());
    return h;
}

static hk_key *open_params(hk_hive *h)
{
    hk_key *r, *k;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(r, PARAMS, 0, HK_KEY_ALL_ACCESS, &k), HK_ERROR_SUCCESS);
    hk_close_key(r);
    return k;
}

/* The big value: its name and its size checked. */
static void big_value(hk_key *k, char *name, size_t size)
{
    for (uint32_t i = 0;; i++) {
        size_t nsz = size, dsz = 0;
        hk_status st = hk_enum_value(k, i, name, &nsz, NULL, NULL, &dsz);
        ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
        if (dsz == BIG_SIZE)
            return;
    }
}

/* The dump with the blocks of the keys named in skip (paths) removed. */
static char *without(const char *dump, const char *const *skip, size_t n)
{
    char *out = malloc(strlen(dump) + 1);
    size_t len = 0;
    const char *p = dump;
    while (*p) {
        const char *next = strstr(p + 1, "\n[");
        size_t blk = next ? (size_t)(next + 1 - p) : strlen(p);
        int drop = 0;
        for (size_t i = 0; i < n; i++) {
            size_t sl = strlen(skip[i]);
            if (strncmp(p, skip[i], sl) == 0 && p[sl] == ']')
                drop = 1;
        }
        if (!drop) {
            memcpy(out + len, p, blk);
            len += blk;
        }
        p += blk;
    }
    out[len] = '\0';
    return out;
}

static void apply_edits(hk_hive *h, const uint8_t *big2, uint32_t big2_len)
{
    hk_key *k = open_params(h);
    char name[256];
    big_value(k, name, sizeof name);
    ck_assert_uint_eq(hk_set_value_ex(k, "hivekitAdded", 0, HK_REG_DWORD, "\x2a\0\0\0", 4),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "ReadyBootPlanAge", 0, HK_REG_DWORD, "\x07\0\0\0", 4),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_value(k, "LastBootPlanUserTime"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, name, 0, HK_REG_BINARY, big2, big2_len), HK_ERROR_SUCCESS);
    hk_close_key(k);
}

START_TEST(edits_leave_every_other_key_identical)
{
    dump_times = 1; /* last-write times of untouched keys stay too */
    hk_hive *h = open_system();
    struct verify_report before;
    verify_hive(h, &before);
    char *dump0 = dump_hivekit(h);
    uint8_t *big2 = malloc(BIG_SIZE + 5000);
    for (uint32_t i = 0; i < BIG_SIZE + 5000; i++)
        big2[i] = (uint8_t)(i * 13 + 1);
    apply_edits(h, big2, BIG_SIZE + 5000);
    char path[512];
    temp_path(path, sizeof path, "system");
    ck_assert_msg(hk_hive_save(h, path, 0) == HK_ERROR_SUCCESS, "%s", hk_errmsg());
    hk_hive_close(h);

    struct verify_report after;
    verify_file(path, &after);
    ck_assert_uint_le(after.unreferenced, before.unreferenced);
    ck_assert_uint_eq(after.keys, before.keys);
    ck_assert_uint_eq(after.values, before.values);
    char *dump1 = dump_hivekit_file(path), *hx = dump_hivex_file(path);
    ck_assert_msg(strcmp(dump1, hx) == 0, "libhivex reads the edited hive differently");
    char *params_path = malloc(strlen(PARAMS) + 3);
    sprintf(params_path, "[\\%s", PARAMS);
    const char *skip[] = {params_path};
    char *a = without(dump0, skip, 1), *b = without(dump1, skip, 1);
    ck_assert_uint_eq(strlen(a), strlen(b));
    ck_assert_msg(strcmp(a, b) == 0, "a key or value outside the edited key changed");
    ck_assert_uint_lt(strlen(a), strlen(dump0));

    ck_assert_uint_eq(hk_hive_open(path, NULL, &h), HK_ERROR_SUCCESS);
    hk_key *k = open_params(h);
    uint8_t *back = malloc(BIG_SIZE + 5000);
    size_t sz = BIG_SIZE + 5000;
    char name[256];
    size_t nsz = sizeof name;
    uint32_t type;
    /* order: the deleted value's successors moved up; the new one is last */
    ck_assert_uint_eq(hk_enum_value(k, 0, name, &nsz, &type, NULL, NULL), HK_ERROR_SUCCESS);
    ck_assert_str_eq(name, "ReadyBootVolumeUniqueId");
    uint32_t dw = 0;
    sz = 4;
    ck_assert_uint_eq(hk_query_value_ex(k, "readybootplanage", &type, &dw, &sz), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(dw, 7);
    sz = 0;
    ck_assert_uint_eq(hk_query_value_ex(k, "LastBootPlanUserTime", NULL, NULL, &sz),
                      HK_ERROR_FILE_NOT_FOUND);
    hk_key_info ki = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &ki), HK_ERROR_SUCCESS);
    nsz = sizeof name;
    ck_assert_uint_eq(hk_enum_value(k, ki.values - 1, name, &nsz, NULL, NULL, NULL), HK_ERROR_SUCCESS);
    ck_assert_str_eq(name, "hivekitAdded");
    ck_assert_uint_ge(ki.max_value_data_len, BIG_SIZE + 5000);
    for (uint32_t i = 0; i < ki.values; i++) {
        size_t dsz = 0;
        nsz = sizeof name;
        ck_assert_uint_eq(hk_enum_value(k, i, name, &nsz, NULL, NULL, &dsz), HK_ERROR_SUCCESS);
        if (dsz == BIG_SIZE + 5000) {
            sz = dsz;
            ck_assert_uint_eq(hk_query_value_ex(k, name, NULL, back, &sz), HK_ERROR_SUCCESS);
            ck_assert_mem_eq(back, big2, BIG_SIZE + 5000);
        }
    }
    hk_close_key(k);
    hk_hive_close(h);
    free(back);
    free(big2);
    free(a);
    free(b);
    free(params_path);
    free(dump0);
    free(dump1);
    free(hx);
    unlink(path);
}
END_TEST

#define LSA "ControlSet001\\Control\\Lsa"
/* JD's class "67cd88ed" (a quarter of the SAM boot key) as UTF-16LE hex. */
#define JD_CLASS "  class 36003700630064003800380065006400\n"

/* The subtree of path below h's root, with classes. */
static char *dump_at(hk_hive *h, const char *path)
{
    hk_key *r, *k;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(r, path, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    char *d = dump_hivekit_key(k);
    hk_close_key(k);
    hk_close_key(r);
    return d;
}

/* Saves key path of h with hk_save_key; the new hive's tree (hivekit's and
 * libhivex's reading) equals the source subtree, classes included. */
static void save_key_same_tree(hk_hive *h, const char *key_path, const char *want_top)
{
    char *src = dump_at(h, key_path);
    ck_assert_ptr_nonnull(strstr(src, JD_CLASS));
    if (want_top)
        ck_assert_msg(strncmp(src, want_top, strlen(want_top)) == 0, "%.80s", src);
    hk_key *r, *k;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(r, key_path, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    char path[512];
    temp_path(path, sizeof path, "savekey");
    ck_assert_msg(hk_save_key(k, path, 0) == HK_ERROR_SUCCESS, "%s", hk_errmsg());
    char *mine = dump_hivekit_file(path), *hx = dump_hivex_file(path);
    ck_assert_str_eq(mine, src);
    ck_assert_str_eq(hx, src);
    free(mine);
    free(hx);
    free(src);
    hk_close_key(k);
    hk_close_key(r);
    unlink(path);
}

START_TEST(save_key_keeps_the_lsa_class_names)
{
    dump_classes = 1;
    hk_hive *h = open_system();
    save_key_same_tree(h, LSA, NULL);
    /* the top key's own class: JD saved alone */
    save_key_same_tree(h, LSA "\\JD", "[]\n" JD_CLASS);
    hk_hive_close(h);
    dump_classes = 0;
}
END_TEST

START_TEST(copy_tree_keeps_the_lsa_class_names)
{
    dump_classes = 1;
    hk_hive *h = open_system();
    char *src = dump_at(h, LSA);
    ck_assert_ptr_nonnull(strstr(src, JD_CLASS));
    hk_key *r, *lsa, *dst;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(r, LSA, 0, HK_KEY_READ, &lsa), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_create_key(r, "LsaCopy", &dst), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_copy_tree(lsa, NULL, dst), HK_ERROR_SUCCESS);
    /* JD copied alone below a key of its own: the copy's top takes its class */
    hk_key *jd;
    ck_assert_uint_eq(hk_create_key(r, "JDCopy", &jd), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_copy_tree(lsa, "JD", jd), HK_ERROR_SUCCESS);
    char path[512];
    temp_path(path, sizeof path, "copytree");
    ck_assert_msg(hk_hive_save(h, path, 0) == HK_ERROR_SUCCESS, "%s", hk_errmsg());
    hk_close_key(jd);
    hk_close_key(dst);
    hk_close_key(lsa);
    hk_close_key(r);
    hk_hive_close(h);
    ck_assert_uint_eq(hk_hive_open(path, NULL, &h), HK_ERROR_SUCCESS);
    char *copy = dump_at(h, "LsaCopy"), *jd_copy = dump_at(h, "JDCopy");
    ck_assert_msg(strcmp(copy, src) == 0, "the copy's tree differs from the source's");
    ck_assert_ptr_nonnull(strstr(jd_copy, "[]\n" JD_CLASS));
    hk_hive_close(h);
    char *mine = dump_hivekit_file(path), *hx = dump_hivex_file(path);
    ck_assert_msg(strcmp(mine, hx) == 0, "libhivex reads other classes");
    free(mine);
    free(hx);
    free(copy);
    free(jd_copy);
    free(src);
    unlink(path);
    dump_classes = 0;
}
END_TEST

START_TEST(delete_and_readd_cycles_reuse_space)
{
    hk_hive *h = open_system();
    hk_hive_info hi0 = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(h, &hi0), HK_ERROR_SUCCESS);
    hk_key *k = open_params(h);
    char name[256];
    big_value(k, name, sizeof name);
    uint8_t *big = malloc(BIG_SIZE);
    size_t sz = BIG_SIZE;
    ck_assert_uint_eq(hk_query_value_ex(k, name, NULL, big, &sz), HK_ERROR_SUCCESS);
    hk_key *r, *tmp;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    for (int round = 0; round < 100; round++) {
        ck_assert_uint_eq(hk_delete_value(k, name), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_set_value_ex(k, name, 0, HK_REG_BINARY, big, BIG_SIZE), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_create_key(r, "hivekit\\scratch\\key", &tmp), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_set_value_ex(tmp, "blob", 0, HK_REG_BINARY, big, 3000 + round),
                          HK_ERROR_SUCCESS);
        hk_close_key(tmp);
        ck_assert_uint_eq(hk_delete_tree(r, "hivekit"), HK_ERROR_SUCCESS);
    }
    char path[512];
    temp_path(path, sizeof path, "cycles");
    ck_assert_uint_eq(hk_hive_save(h, path, 0), HK_ERROR_SUCCESS);
    hk_hive_info hi1 = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(h, &hi1), HK_ERROR_SUCCESS);
    ck_assert_msg(hi1.bins_size <= hi0.bins_size + hi0.bins_size / 10,
                  "bins grew from %u to %u bytes", hi0.bins_size, hi1.bins_size);
    hk_close_key(r);
    hk_close_key(k);
    hk_hive_close(h);
    struct verify_report rep;
    verify_file(path, &rep);
    free(big);
    unlink(path);
}
END_TEST

static void edit_and_save(const char *path)
{
    hk_hive *h = open_system();
    uint8_t *big2 = malloc(40000);
    for (uint32_t i = 0; i < 40000; i++)
        big2[i] = (uint8_t)(i ^ 0x5A);
    apply_edits(h, big2, 40000);
    hk_key *r, *k;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_create_key(r, "ControlSet001\\hivekit test", &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    hk_close_key(r);
    ck_assert_uint_eq(hk_hive_save(h, path, 0), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    free(big2);
}

START_TEST(same_edits_same_bytes_under_source_date_epoch)
{
    setenv("SOURCE_DATE_EPOCH", "1234567890", 1);
    char p1[512], p2[512];
    temp_path(p1, sizeof p1, "s1");
    temp_path(p2, sizeof p2, "s2");
    edit_and_save(p1);
    edit_and_save(p2);
    unsetenv("SOURCE_DATE_EPOCH");
    size_t l1, l2;
    uint8_t *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
    ck_assert_uint_eq(l1, l2);
    ck_assert_int_eq(memcmp(b1, b2, l1), 0);
    /* sequence numbers: the original 13983 + 1 in both fields */
    ck_assert_uint_eq((uint32_t)b1[4] | (uint32_t)b1[5] << 8 | (uint32_t)b1[6] << 16, 13984);
    ck_assert_uint_eq((uint32_t)b1[8] | (uint32_t)b1[9] << 8 | (uint32_t)b1[10] << 16, 13984);
    free(b1);
    free(b2);
    unlink(p1);
    unlink(p2);
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("corpus_edit");
    TCase *t = tcase_create("system");
    tcase_set_timeout(t, 900);
    tcase_add_test(t, edits_leave_every_other_key_identical);
    tcase_add_test(t, delete_and_readd_cycles_reuse_space);
    tcase_add_test(t, save_key_keeps_the_lsa_class_names);
    tcase_add_test(t, copy_tree_keeps_the_lsa_class_names);
    tcase_add_test(t, same_edits_same_bytes_under_source_date_epoch);
    suite_add_tcase(s, t);
    return s;
}
