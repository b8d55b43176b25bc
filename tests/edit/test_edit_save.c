/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Saving and its refusals: same edits give the same bytes, dirty and old
 * layout hives are not edited, flush rewrites the opened file, a failed save
 * leaves the target alone, and edits that run out of memory part-way leave
 * the hive whole. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/handle.h"
#include "base/alloc.h"
#include "base/filewrite.h"
#include "verify.h"

Suite *test_suite(void);

static void same_edits(const char *path)
{
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_create(5, "R", &h), HK_ERROR_SUCCESS);
    hk_key *r = root_of(h), *k;
    int k3 = 0;
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "K%d\\S%d", i % 17, i);
        ck_assert_uint_eq(hk_create_key(r, name, &k), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_set_value_ex(k, "v", 0, HK_REG_BINARY, name, strlen(name)),
                          HK_ERROR_SUCCESS);
        hk_close_key(k);
        k3 |= i % 17 == 3;
        if (i % 5 == 0) {
            ck_assert_uint_eq(hk_delete_tree(r, "K3"), k3 ? HK_ERROR_SUCCESS : HK_ERROR_FILE_NOT_FOUND);
            k3 = 0;
        }
    }
    ck_assert_uint_eq(hk_hive_save(h, path, 0), HK_ERROR_SUCCESS);
    hk_close_key(r);
    hk_hive_close(h);
}

START_TEST(same_edits_with_source_date_epoch_give_identical_bytes)
{
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    char p1[512], p2[512];
    temp_path(p1, sizeof p1, "a");
    temp_path(p2, sizeof p2, "b");
    same_edits(p1);
    same_edits(p2);
    size_t l1, l2;
    uint8_t *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
    ck_assert_uint_eq(l1, l2);
    ck_assert_int_eq(memcmp(b1, b2, l1), 0);
    /* 1700000000 s after 1970 as a FILETIME, at the base block */
    uint64_t t = 116444736000000000ull + 1700000000ull * 10000000ull;
    uint64_t got = 0;
    for (int i = 7; i >= 0; i--)
        got = got << 8 | b1[12 + i];
    ck_assert_uint_eq(got, t);
    unsetenv("SOURCE_DATE_EPOCH");
    free(b1);
    free(b2);
    verify_file(p1, NULL);
    unlink(p1);
    unlink(p2);
}
END_TEST

START_TEST(dirty_hive_is_refused_until_replayed)
{
    hk_hive *h = new_hive(5);
    char path[512];
    save_check(h, path, sizeof path, NULL);
    hk_hive_close(h);
    size_t len;
    uint8_t *bytes = slurp(path, &len);
    bytes[8] ^= 1; /* secondary sequence differs: dirty */
    spit(path, bytes, len);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    ck_assert_uint_eq(hk_hive_open(path, &o, &h), HK_ERROR_SUCCESS);
    hk_key *r = root_of(h), *k;
    ck_assert_uint_eq(hk_set_value_ex(r, "x", 0, HK_REG_DWORD, "1234", 4),
                      HK_ERROR_REGISTRY_IO_FAILED);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "replay"));
    ck_assert_uint_eq(hk_create_key(r, "K", &k), HK_ERROR_REGISTRY_IO_FAILED);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_REGISTRY_IO_FAILED);
    ck_assert_uint_eq(hk_flush_key(r), HK_ERROR_REGISTRY_IO_FAILED);
    size_t len2;
    uint8_t *after = slurp(path, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert_int_eq(memcmp(bytes, after, len), 0);
    free(after);
    free(bytes);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(old_layout_hives_are_not_edited)
{
    hk_hive *h = new_hive(3);
    char path[512];
    save_check(h, path, sizeof path, NULL);
    hk_hive_close(h);
    size_t len;
    uint8_t *bytes = slurp(path, &len);
    bytes[24] = 2; /* minor version 2 */
    uint32_t x = 0;
    for (int i = 0; i < 127; i++)
        x ^= (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
             (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
    for (int i = 0; i < 4; i++)
        bytes[508 + i] = (uint8_t)(x >> (8 * i));
    spit(path, bytes, len);
    free(bytes);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    ck_assert_uint_eq(hk_hive_open(path, &o, &h), HK_ERROR_SUCCESS);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value_ex(r, "x", 0, HK_REG_DWORD, "1234", 4), HK_ERROR_NOT_SUPPORTED);
    ck_assert_uint_eq(hk_hive_create(2, "R", &h), HK_ERROR_INVALID_PARAMETER);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(flush_key_rewrites_the_opened_file)
{
    hk_hive *h = new_hive(5);
    char path[512];
    save_check(h, path, sizeof path, NULL);
    hk_hive_close(h);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    ck_assert_uint_eq(hk_hive_open(path, &o, &h), HK_ERROR_SUCCESS);
    hk_hive_set_clock(h, CLOCK + 1);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "Sub", HK_REG_SZ, "text"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_flush_key(r), HK_ERROR_SUCCESS);
    hk_close_key(r);
    hk_hive_close(h);
    struct verify_report rep;
    verify_file(path, &rep);
    char *a = dump_hivekit_file(path);
    ck_assert_ptr_nonnull(strstr(a, "[\\Sub]\n  \"\" type 1 len 10 74006500780074000000\n"));
    free(a);
    ck_assert_uint_eq(hk_hive_open(path, NULL, &h), HK_ERROR_SUCCESS);
    hk_hive_info hi = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(h, &hi), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hi.primary_sequence, 2);
    ck_assert_uint_eq(hi.secondary_sequence, 2);
    ck_assert_uint_eq(hi.last_written, CLOCK + 1);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(save_failure_leaves_the_target_untouched)
{
    hk_hive *h = new_hive(5);
    char path[512];
    save_check(h, path, sizeof path, NULL);
    size_t len;
    uint8_t *before = slurp(path, &len);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value_ex(r, "x", 0, HK_REG_DWORD, "1234", 4), HK_ERROR_SUCCESS);
    for (unsigned long n = 1; n <= 4; n++) {
        file_io_fail_after(n);
        ck_assert_uint_ne(hk_hive_save(h, path, HK_SAVE_OVERWRITE), HK_ERROR_SUCCESS);
        size_t l2;
        uint8_t *now = slurp(path, &l2);
        ck_assert_uint_eq(l2, len);
        ck_assert_int_eq(memcmp(now, before, len), 0);
        free(now);
    }
    file_io_fail_after(0);
    ck_assert_uint_eq(hk_hive_save(h, path, HK_SAVE_OVERWRITE), HK_ERROR_SUCCESS);
    free(before);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

/* st is one of the statuses allowed (ok2 may repeat ok1). A plain test
 * first: Check records every assert it passes, and these run ~100,000
 * times. */
static void allowed(hk_status st, hk_status ok1, hk_status ok2, hk_status ok3)
{
    if (st != ok1 && st != ok2 && st != ok3)
        ck_abort_msg("unexpected status %u", (unsigned)st);
}

/* Edits that run out of memory part-way: each fails with NOT_ENOUGH_MEMORY
 * or succeeds, and the hive stays whole, without a leaked cell. */
static void fault_ops(hk_hive *h, unsigned *fails)
{
    static uint8_t big[40000];
    hk_key *r, *k;
    if (hk_hive_root(h, &r) != HK_ERROR_SUCCESS) {
        (*fails)++;
        return;
    }
    for (int i = 0; i < 600; i++) {
        char name[32];
        snprintf(name, sizeof name, "P\\K%05d", i);
        hk_status st = hk_create_key(r, name, &k);
        allowed(st, HK_ERROR_SUCCESS, HK_ERROR_NOT_ENOUGH_MEMORY, HK_ERROR_SUCCESS);
        if (st != HK_ERROR_SUCCESS) {
            (*fails)++;
            continue;
        }
        st = hk_set_value_ex(k, "v", 0, HK_REG_BINARY, big, i % 100 == 0 ? 40000u : (unsigned)(i % 50));
        allowed(st, HK_ERROR_SUCCESS, HK_ERROR_NOT_ENOUGH_MEMORY, HK_ERROR_SUCCESS);
        *fails += st != HK_ERROR_SUCCESS;
        hk_close_key(k);
        if (i % 7 == 0) {
            snprintf(name, sizeof name, "P\\K%05d", i - 3);
            st = hk_delete_key(r, name);
            allowed(st, HK_ERROR_SUCCESS, HK_ERROR_FILE_NOT_FOUND, HK_ERROR_NOT_ENOUGH_MEMORY);
        }
    }
    hk_close_key(r);
}

/* Every allocation of fault_ops fails once, in a run of its own: n goes
 * from 1 to the number a run without failure makes (counted first, ~160:
 * the edits work in the hive's image and allocate rarely), and each run
 * asserts that its nth allocation was reached. The indices past that count
 * fail nothing (alloc_fail_after counts down past the end), so runs there
 * would repeat the run without failure: none is skipped that could take
 * another path. */
START_TEST(allocation_failures_leave_a_whole_hive)
{
    hk_hive *h;
    unsigned total = 0, fails = 0;
    ck_assert_uint_eq(hk_hive_create(4, "R", &h), HK_ERROR_SUCCESS);
    alloc_fail_after(0);
    fault_ops(h, &fails);
    const unsigned long count = alloc_fail_after(0);
    ck_assert_uint_eq(fails, 0);
    hk_hive_close(h);
    ck_assert_uint_gt(count, 100);
    for (unsigned long n = 1; n <= count; n++) {
        ck_assert_uint_eq(hk_hive_create(4, "R", &h), HK_ERROR_SUCCESS);
        fails = 0;
        alloc_fail_after(n);
        fault_ops(h, &fails);
        ck_assert_uint_ge(alloc_fail_after(0), n); /* the nth allocation was made, and failed */
        struct verify_report rep;
        verify_hive(h, &rep);
        ck_assert_msg(rep.unreferenced == 0, "failure at allocation %lu leaked %u cells", n,
                      rep.unreferenced);
        total += fails;
        hk_hive_close(h);
    }
    ck_assert_uint_gt(total, 100); /* the failures did happen, inside edits */
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("edit_save");
    TCase *t = tcase_create("save");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, same_edits_with_source_date_epoch_give_identical_bytes);
    tcase_add_test(t, dirty_hive_is_refused_until_replayed);
    tcase_add_test(t, old_layout_hives_are_not_edited);
    tcase_add_test(t, flush_key_rewrites_the_opened_file);
    tcase_add_test(t, save_failure_leaves_the_target_untouched);
    tcase_add_test(t, allocation_failures_leave_a_whole_hive);
    suite_add_tcase(s, t);
    return s;
}
