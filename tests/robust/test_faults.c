/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fault injection through the library's two seams.
 *
 * Allocator (base/alloc.h): every allocation of an open + full walk +
 * export (fuzz/walk.c) fails in turn, N = 1, 2, ... until the walk needs
 * fewer than N. Each run must end in NOT_ENOUGH_MEMORY (never a crash or
 * another status), give back every block (the seam's live count; LeakSanitizer
 * checks zlib's too in the sanitizer build), and leave an open hive usable:
 * a second walk without faults gives the fault-free result.
 *
 * I/O (base/filewrite.h): every call of an atomic write (create, each
 * write, fsync, close, rename, folder fsync) fails in turn. Before the
 * rename the target stays byte-identical (or absent) and no temporary file
 * is left; the folder fsync comes after the rename, so when it fails the
 * new contents are already in place and the call still reports CANTWRITE.
 * No descriptor is left open either way.
 *
 * Editing: every allocation of open (writable) + an edit script
 * (fuzz/seeds/edit) + save fails in turn: NOT_ENOUGH_MEMORY (or SUCCESS
 * where the library tolerates it: a freed cell whose free-space index entry
 * cannot grow stays free unindexed), no leak, the hive still reads cleanly
 * after the failed edit, and a failed save leaves no file. Every I/O call of hk_hive_save over the hive's own file fails in
 * turn: the file stays byte-identical (up to the folder fsync, as above),
 * the hive stays usable, and the final save holds the edits.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/alloc.h"
#include "base/filewrite.h"
#include "edit_ops.h"
#include "hive_builder.h"
#include "hivekit.h"
#include "files.h"
#include "log_corpus.h"
#include "tempdir.h"
#include "walk.h"
#include "corpus.h"

Suite *test_suite(void);

enum { MAX_STEPS = 1000000 };

/* A hive whose walk takes every allocating path: a class, a long value
 * name (its lookup needs a heap buffer), a REG_SZ default value
 * (hk_query_value copies it), big data, and enough keys to outgrow the
 * spare key handles. */
static uint8_t *rich_hive(size_t *len)
{
    struct hb *b = hb_new(5, "RICH");
    uint32_t root = hb_root(b);
    hb_value(b, root, "", HK_REG_SZ, "d\0e\0f\0\0\0", 8);
    char longname[700];
    memset(longname, 'v', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    hb_value(b, root, longname, HK_REG_DWORD, "\1\0\0\0", 4);
    static uint8_t big[20000];
    hb_value(b, root, "big", HK_REG_BINARY, big, sizeof big);
    uint32_t k = hb_key(b, root, "a");
    hb_class(b, k, "cls");
    for (int i = 0; i < 70; i++) {
        char name[8];
        snprintf(name, sizeof name, "k%03d", i);
        k = hb_key(b, k, name);
    }
    return hb_finish(b, len);
}

static long live_now(void)
{
    struct alloc_stats as;
    alloc_stats_get(&as);
    return as.live;
}

static FILE *devnull(void)
{
    static FILE *fp;
    if (!fp)
        fp = fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(fp);
    return fp;
}

/* Fails allocation 1, 2, ... of open + walk + export; returns how many
 * runs there were. */
static unsigned fail_each_allocation(const uint8_t *data, size_t len)
{
    long live0 = live_now();
    alloc_fail_after(0);
    hk_status clean = fz_open_walk(data, len, 0, MAX_STEPS, devnull());
    unsigned long needed = alloc_fail_after(0);
    ck_assert_uint_eq(clean, HK_ERROR_SUCCESS);
    ck_assert_uint_gt(needed, 0);
    ck_assert_int_eq(live_now(), live0);
    unsigned n = 1;
    for (;; n++) {
        alloc_fail_after(n);
        hk_status st = fz_open_walk(data, len, FZ_ALLOW_OOM, MAX_STEPS, devnull());
        unsigned long made = alloc_fail_after(0);
        ck_assert_msg(live_now() == live0, "allocation %u failed: %ld blocks leaked", n,
                      live_now() - live0);
        if (made < n) {
            ck_assert_uint_eq(st, clean);
            break;
        }
        ck_assert_msg(st == HK_ERROR_NOT_ENOUGH_MEMORY, "allocation %u failed: status %u", n, st);
    }
    ck_assert_uint_eq(n, needed + 1);
    return n;
}

/* Opens cleanly, fails allocation n of a walk, then walks again without
 * faults: the hive must still read as before. */
static void walk_after_each_failure(const uint8_t *data, size_t len)
{
    for (unsigned n = 1;; n++) {
        hk_hive *h;
        ck_assert_uint_eq(hk_hive_open_memory(data, len, NULL, &h), HK_ERROR_SUCCESS);
        alloc_fail_after(n);
        hk_status st = fz_walk(h, FZ_ALLOW_OOM, MAX_STEPS, devnull());
        unsigned long made = alloc_fail_after(0);
        ck_assert_uint_eq(fz_walk(h, 0, MAX_STEPS, devnull()), HK_ERROR_SUCCESS);
        hk_hive_close(h);
        if (made < n) {
            ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
            break;
        }
        ck_assert_uint_eq(st, HK_ERROR_NOT_ENOUGH_MEMORY);
    }
}

static void fail_allocations_of(const uint8_t *data, size_t len)
{
    unsigned runs = fail_each_allocation(data, len);
    ck_assert_uint_gt(runs, 3);
    size_t gz_len;
    uint8_t *gz = lc_gzip(data, len, &gz_len);
    fail_each_allocation(gz, gz_len);
    free(gz);
    walk_after_each_failure(data, len);
}

START_TEST(each_allocation_fails_in_turn_sample)
{
    size_t len;
    uint8_t *img = lc_read(SAMPLE_HIVE, &len);
    fail_allocations_of(img, len);
    free(img);
}
END_TEST

START_TEST(each_allocation_fails_in_turn_rich)
{
    size_t len;
    uint8_t *img = rich_hive(&len);
    fail_allocations_of(img, len);
    free(img);
}
END_TEST

START_TEST(each_allocation_fails_in_turn_corpus)
{
    static const char *const hives[] = {"yarp/BigDataHive.gz", "regipy/SAM.gz", "hivex/special.gz"};
    char path[1024];
    corpus_path(path, sizeof path, hives[_i]);
    size_t len;
    uint8_t *img = lc_read(path, &len);
    fail_allocations_of(img, len);
    free(img);
}
END_TEST

/* ---- I/O faults ------------------------------------------------------------ */

static char *dir;

static void make_dir(void)
{
    dir = tempdir_new("faults");
}

/* Names in dir other than . and .., comma-separated, in *out. */
static unsigned dir_entries(char *out, size_t cap)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    unsigned n = 0;
    out[0] = '\0';
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        strncat(out, e->d_name, cap - strlen(out) - 2);
        strcat(out, ",");
    }
    closedir(d);
    return n;
}

static unsigned open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return 0; /* no procfs: not checked */
    unsigned n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static int holds(const char *path, const uint8_t *want, size_t n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    uint8_t buf[256];
    size_t got = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    return got == n && memcmp(buf, want, n) == 0;
}

/* The calls of a 3-piece write, in order, and the word each one's failure
 * message starts with. */
static const char *const call_word[] = {"create", "write", "write", "write", "fsync", "close",
                                        "rename", "fsync the folder"};
enum { CALLS = sizeof call_word / sizeof call_word[0] };

static void each_io_call_fails(int target_exists)
{
    make_dir();
    char target[600];
    snprintf(target, sizeof target, "%s/hive", dir);
    static const char original[] = "ORIGINAL CONTENTS";
    static const uint8_t p0[] = "new ", p1[] = "hive ", p2[] = "bytes";
    const uint8_t *pieces[] = {p0, p1, p2};
    const size_t sizes[] = {4, 5, 5};
    static const uint8_t whole[] = "new hive bytes";
    unsigned n;
    for (n = 1;; n++) {
        if (target_exists)
            spit(target, original, strlen(original));
        unsigned fds = open_fds();
        struct diag d = {{0}};
        file_io_fail_after(n);
        hk_status st = file_write_atomic(target, pieces, sizes, 3, FILE_WRITE_OVERWRITE, &d);
        unsigned long made = file_io_fail_after(0);
        ck_assert_uint_eq(open_fds(), fds);
        char names[1024];
        unsigned entries = dir_entries(names, sizeof names);
        if (made < n) {
            ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
            ck_assert(holds(target, whole, 14));
            ck_assert_msg(entries == 1, "left behind: %s", names);
            break;
        }
        ck_assert_msg(st == HK_ERROR_CANTWRITE, "call %u: status %u", n, st);
        ck_assert_uint_le(n, CALLS);
        ck_assert_msg(strncmp(d.msg, call_word[n - 1], strlen(call_word[n - 1])) == 0,
                      "call %u: message \"%s\", want it to start with \"%s\"", n, d.msg,
                      call_word[n - 1]);
        if (n == CALLS) {
            /* the folder fsync follows the rename: the new bytes are in */
            ck_assert(holds(target, whole, 14));
            ck_assert_msg(entries == 1, "left behind: %s", names);
        } else if (target_exists) {
            ck_assert_msg(holds(target, (const uint8_t *)original, strlen(original)),
                          "call %u failed and the target changed", n);
            ck_assert_msg(entries == 1, "call %u failed and left: %s", n, names);
        } else {
            ck_assert_msg(entries == 0, "call %u failed and left: %s", n, names);
        }
        if (!target_exists)
            unlink(target);
    }
    ck_assert_uint_eq(n, CALLS + 1);
    unlink(target);
    ck_assert_int_eq(rmdir(dir), 0); /* nothing left in it */
    free(dir);
}

START_TEST(each_io_call_fails_in_turn_over_a_file) { each_io_call_fails(1); }
END_TEST

START_TEST(each_io_call_fails_in_turn_new_file) { each_io_call_fails(0); }
END_TEST

/* ---- editing and saving ------------------------------------------------------ */

static uint8_t *script(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/edit/%s", FUZZ_SEEDS, name);
    return lc_read(path, len);
}

START_TEST(each_allocation_of_edits_and_save_fails_in_turn)
{
    size_t len, ops_len;
    uint8_t *img = lc_read(SAMPLE_HIVE, &len);
    uint8_t *ops = script(_i ? "many_keys.ops" : "basic.ops", &ops_len);
    make_dir();
    char target[600];
    snprintf(target, sizeof target, "%s/saved", dir);
    long live0 = live_now();
    hk_open_options wr = HK_OPEN_OPTIONS_INIT;
    wr.flags = HK_OPEN_WRITE;
    unsigned n;
    for (n = 1;; n++) {
        alloc_fail_after(n);
        hk_hive *h = NULL;
        hk_status st = hk_hive_open_memory(img, len, &wr, &h);
        if (st == HK_ERROR_SUCCESS) {
            hk_hive_set_clock(h, 0x01D9000000000000ull);
            st = fz_edit_apply(h, ops + 1, ops_len - 1, FZ_ALLOW_OOM, 1000);
            hk_status sv = hk_hive_save(h, target, HK_SAVE_OVERWRITE);
            ck_assert_msg(sv == HK_ERROR_SUCCESS || sv == HK_ERROR_NOT_ENOUGH_MEMORY,
                          "allocation %u failed: save gave %u", n, sv);
            if (st == HK_ERROR_SUCCESS)
                st = sv;
            unsigned long made = alloc_fail_after(0);
            /* after any failure the hive is still sound */
            ck_assert_uint_eq(fz_walk(h, 0, MAX_STEPS, NULL), HK_ERROR_SUCCESS);
            hk_hive_close(h);
            char names[1024];
            unsigned entries = dir_entries(names, sizeof names);
            if (sv == HK_ERROR_SUCCESS) {
                ck_assert_msg(entries == 1, "left behind: %s", names);
            } else {
                ck_assert_msg(entries == 0, "a failed save left: %s", names);
            }
            unlink(target);
            ck_assert_msg(live_now() == live0, "allocation %u failed: %ld blocks leaked", n,
                          live_now() - live0);
            if (made < n) {
                ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
                break;
            }
            /* freeing a cell tolerates a failed index allocation (the cell
             * stays free, unindexed: a sound hive), so SUCCESS is fine too */
            ck_assert_msg(st == HK_ERROR_NOT_ENOUGH_MEMORY || st == HK_ERROR_SUCCESS,
                          "allocation %u failed: status %u", n, st);
            continue;
        }
        alloc_fail_after(0);
        ck_assert_msg(st == HK_ERROR_NOT_ENOUGH_MEMORY, "open with allocation %u failing: %u", n, st);
    }
    ck_assert_uint_gt(n, 10);
    ck_assert_int_eq(rmdir(dir), 0); /* nothing left in it */
    free(dir);
    free(ops);
    free(img);
}
END_TEST

/* the calls of a save: a base block and the bins */
static const char *const save_word[] = {"create", "write", "write", "fsync", "close", "rename",
                                        "fsync the folder"};
enum { SAVE_CALLS = sizeof save_word / sizeof save_word[0] };

START_TEST(each_io_call_of_a_save_fails_in_turn)
{
    make_dir();
    char target[600];
    snprintf(target, sizeof target, "%s/hive", dir);
    size_t len;
    uint8_t *orig = lc_read(SAMPLE_HIVE, &len);
    spit(target, orig, len);
    hk_open_options wr = HK_OPEN_OPTIONS_INIT;
    wr.flags = HK_OPEN_WRITE;
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open(target, &wr, &h), HK_ERROR_SUCCESS);
    hk_hive_set_clock(h, 0x01D9000000000000ull);
    size_t ops_len;
    uint8_t *ops = script("basic.ops", &ops_len);
    ck_assert_uint_eq(fz_edit_apply(h, ops + 1, ops_len - 1, 0, 1000), HK_ERROR_SUCCESS);
    free(ops);
    unsigned n;
    for (n = 1;; n++) {
        unsigned fds = open_fds();
        file_io_fail_after(n);
        hk_status st = hk_hive_save(h, NULL, 0);
        unsigned long made = file_io_fail_after(0);
        char msg[256]; /* the detail of this call: the walk below makes others */
        snprintf(msg, sizeof msg, "%s", hk_errmsg());
        ck_assert_uint_eq(open_fds(), fds);
        ck_assert_uint_eq(fz_walk(h, 0, MAX_STEPS, NULL), HK_ERROR_SUCCESS);
        char names[1024];
        unsigned entries = dir_entries(names, sizeof names);
        ck_assert_msg(entries == 1, "save with call %u failing left: %s", n, names);
        if (made < n) {
            ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
            break;
        }
        ck_assert_msg(st == HK_ERROR_CANTWRITE, "call %u: status %u", n, st);
        ck_assert_uint_le(n, SAVE_CALLS);
        ck_assert_msg(strstr(msg, save_word[n - 1]) == msg, "call %u: message \"%s\"", n, msg);
        size_t now_len;
        uint8_t *now = slurp(target, &now_len);
        if (n < SAVE_CALLS)
            ck_assert_msg(now_len == len && memcmp(now, orig, len) == 0,
                          "call %u failed and the hive file changed", n);
        else /* the folder fsync follows the rename: the new hive is in place */
            ck_assert_msg(now_len != len || memcmp(now, orig, len) != 0,
                          "the rename happened but the file is the old one");
        free(now);
    }
    ck_assert_uint_eq(n, SAVE_CALLS + 1);
    hk_hive_close(h);
    /* the saved file holds the edits and reads cleanly */
    ck_assert_uint_eq(hk_hive_open(target, NULL, &h), HK_ERROR_SUCCESS);
    hk_key *root, *k;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(root, "Programs\\Vendor", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_query_value_ex(k, "multi", NULL, NULL, NULL), HK_ERROR_SUCCESS);
    hk_close_key(k);
    hk_close_key(root);
    ck_assert_uint_eq(fz_walk(h, 0, MAX_STEPS, NULL), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    free(orig);
    unlink(target);
    ck_assert_int_eq(rmdir(dir), 0); /* nothing left in it */
    free(dir);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = tcase_create("faults");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, each_allocation_fails_in_turn_sample);
    tcase_add_test(tc, each_allocation_fails_in_turn_rich);
    if (corpus_optional())
        tcase_add_loop_test(tc, each_allocation_fails_in_turn_corpus, 0, 3);
    tcase_add_test(tc, each_io_call_fails_in_turn_over_a_file);
    tcase_add_test(tc, each_io_call_fails_in_turn_new_file);
    tcase_add_loop_test(tc, each_allocation_of_edits_and_save_fails_in_turn, 0, 2);
    tcase_add_test(tc, each_io_call_of_a_save_fails_in_turn);
    suite_add_tcase(s, tc);
    return s;
}
