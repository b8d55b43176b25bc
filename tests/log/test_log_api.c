/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Transaction logs through the public API: a dirty hive opened from a
 * folder where its logs lie beside it (inflated from the corpus), with
 * HK_OPEN_NO_LOGS, with explicit logs, from memory; what hk_hive_info and
 * hk_hive_log_info report; hk_hive_recover's file and its refusals. The
 * hive and log files are checked to be left unchanged.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hivekit.h"
#include "log_corpus.h"
#include "tempdir.h"
#include "corpus.h"

Suite *test_suite(void);

#define NEW_DIR "yarp/NewDirtyHive1/"
#define OLD_DIR "yarp/OldDirtyHive/"

struct folder {
    char *dir;
    char *hive, *log1, *log2;
};

/* dir/NAME, dir/NAME<s1>, dir/NAME<s2> inflated from the corpus folder sub
 * (s1 / s2 NULL: that log left out). */
static struct folder make_folder(const char *sub, const char *name, const char *s1, const char *s2)
{
    struct folder f = {tempdir_new("logapi"), NULL, NULL, NULL};
    char rel[256], file[128];
    snprintf(rel, sizeof rel, "%s%s.gz", sub, name);
    f.hive = lc_inflate(corpus_dir(), rel, f.dir, name);
    if (s1) {
        snprintf(rel, sizeof rel, "%s%s.LOG1.gz", sub, name);
        snprintf(file, sizeof file, "%s%s", name, s1);
        f.log1 = lc_inflate(corpus_dir(), rel, f.dir, file);
    }
    if (s2) {
        snprintf(rel, sizeof rel, "%s%s.LOG2.gz", sub, name);
        snprintf(file, sizeof file, "%s%s", name, s2);
        f.log2 = lc_inflate(corpus_dir(), rel, f.dir, file);
    }
    return f;
}

static void drop_folder(struct folder *f)
{
    free(f->hive);
    free(f->log1);
    free(f->log2);
    tempdir_remove(f->dir);
}

static hk_hive *open_ok(const char *path, uint32_t flags, const char *const *logs, size_t n)
{
    char msg[256] = "";
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = flags;
    o.log_paths = logs;
    o.n_log_paths = n;
    hk_hive *h = NULL;
    hk_status st = hk_hive_open(path, &o, &h);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ck_assert_msg(st == HK_ERROR_SUCCESS, "open %s: %u %s", path, st, msg);
    return h;
}

static int key_exists(hk_hive *h, const char *path)
{
    hk_key *root, *k;
    ck_assert_int_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    hk_status st = hk_open_key(root, path, 0, HK_KEY_READ, &k);
    hk_close_key(root);
    ck_assert(st == HK_ERROR_SUCCESS || st == HK_ERROR_FILE_NOT_FOUND);
    if (st == HK_ERROR_SUCCESS)
        hk_close_key(k);
    return st == HK_ERROR_SUCCESS;
}

static hk_hive_info info_of(hk_hive *h)
{
    hk_hive_info i = HK_HIVE_INFO_INIT;
    ck_assert_int_eq(hk_hive_info_get(h, &i), HK_ERROR_SUCCESS);
    return i;
}

/* The state of NewDirtyHive after its logs, and before. */
static void assert_replayed_new(hk_hive *h)
{
    hk_hive_info i = info_of(h);
    ck_assert(!i.dirty && i.dirty_at_open);
    ck_assert(i.primary_sequence == 5 && i.secondary_sequence == 5 && i.checksum_ok);
    ck_assert(i.logs_found == 2 && i.logs_replayed == 2 && i.log_entries == 4);
    ck_assert(key_exists(h, "Key3\\Key3_3") && key_exists(h, "key3\\KEY3_1"));
    ck_assert(!key_exists(h, "Key1") && !key_exists(h, "Key2"));
}

static void assert_primary_new(hk_hive *h)
{
    hk_hive_info i = info_of(h);
    ck_assert(i.dirty && i.dirty_at_open && i.logs_replayed == 0);
    ck_assert(i.primary_sequence == 3 && i.secondary_sequence == 2);
    ck_assert(key_exists(h, "Key1") && key_exists(h, "Key2\\Key2_2") && !key_exists(h, "Key3"));
}

START_TEST(logs_beside_are_replayed_and_left_alone)
{
    struct folder f = make_folder(NEW_DIR, "NewDirtyHive", ".LOG1", ".LOG2");
    size_t n0, n1, n2;
    uint8_t *b0 = lc_read(f.hive, &n0), *b1 = lc_read(f.log1, &n1), *b2 = lc_read(f.log2, &n2);
    hk_hive *h = open_ok(f.hive, HK_OPEN_READONLY, NULL, 0);
    assert_replayed_new(h);
    hk_log_info li = HK_LOG_INFO_INIT;
    ck_assert_int_eq(hk_hive_log_info(h, 0, &li), HK_ERROR_SUCCESS);
    ck_assert_str_eq(li.path, f.log1);
    ck_assert(li.applied && li.format == HK_LOG_FORMAT_NEW && li.sequence == 2 && li.entries == 1 &&
              li.pages == 1);
    ck_assert_str_eq(li.note, "");
    ck_assert_int_eq(hk_hive_log_info(h, 1, &li), HK_ERROR_SUCCESS);
    ck_assert_str_eq(li.path, f.log2);
    ck_assert(li.applied && li.sequence == 3 && li.entries == 3 && li.pages == 3);
    ck_assert_int_eq(hk_hive_log_info(h, 2, &li), HK_ERROR_NO_MORE_ITEMS);
    hk_hive_close(h);
    /* Nothing was written. */
    size_t m;
    uint8_t *a;
    a = lc_read(f.hive, &m);
    ck_assert(m == n0 && memcmp(a, b0, m) == 0);
    free(a);
    a = lc_read(f.log1, &m);
    ck_assert(m == n1 && memcmp(a, b1, m) == 0);
    free(a);
    a = lc_read(f.log2, &m);
    ck_assert(m == n2 && memcmp(a, b2, m) == 0);
    free(a);
    free(b0);
    free(b1);
    free(b2);
    drop_folder(&f);
}
END_TEST

START_TEST(suffix_case_does_not_matter)
{
    struct folder f = make_folder(NEW_DIR, "NewDirtyHive", ".log1", ".Log2");
    hk_hive *h = open_ok(f.hive, HK_OPEN_READONLY, NULL, 0);
    assert_replayed_new(h);
    hk_hive_close(h);
    drop_folder(&f);
}
END_TEST

START_TEST(no_logs_reads_the_primary)
{
    struct folder f = make_folder(NEW_DIR, "NewDirtyHive", ".LOG1", ".LOG2");
    hk_hive *h = open_ok(f.hive, HK_OPEN_NO_LOGS, NULL, 0);
    assert_primary_new(h);
    ck_assert_uint_eq(info_of(h).logs_found, 0);
    hk_hive_close(h);
    drop_folder(&f);
}
END_TEST

START_TEST(explicit_logs_in_either_order_and_from_memory)
{
    char *hive = path_join(corpus_dir(), NEW_DIR "NewDirtyHive.gz");
    char *l1 = path_join(corpus_dir(), NEW_DIR "NewDirtyHive.LOG1.gz");
    char *l2 = path_join(corpus_dir(), NEW_DIR "NewDirtyHive.LOG2.gz");
    const char *fwd[] = {l1, l2}, *rev[] = {l2, l1};
    hk_hive *h = open_ok(hive, HK_OPEN_READONLY, fwd, 2);
    assert_replayed_new(h);
    hk_hive_close(h);
    h = open_ok(hive, HK_OPEN_READONLY, rev, 2);
    assert_replayed_new(h);
    hk_log_info li = HK_LOG_INFO_INIT;
    ck_assert_int_eq(hk_hive_log_info(h, 0, &li), HK_ERROR_SUCCESS);
    ck_assert_str_eq(li.path, l2);
    hk_hive_close(h);
    /* The corpus folder holds no NewDirtyHive.gz.LOG*: nothing is found. */
    h = open_ok(hive, HK_OPEN_READONLY, NULL, 0);
    assert_primary_new(h);
    ck_assert_uint_eq(info_of(h).logs_found, 0);
    hk_hive_close(h);
    size_t n;
    uint8_t *bytes = lc_read(hive, &n);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.log_paths = fwd;
    o.n_log_paths = 2;
    ck_assert_int_eq(hk_hive_open_memory(bytes, n, &o, &h), HK_ERROR_SUCCESS);
    assert_replayed_new(h);
    hk_hive_close(h);
    ck_assert_int_eq(hk_hive_open_memory(bytes, n, NULL, &h), HK_ERROR_SUCCESS);
    assert_primary_new(h);
    hk_hive_close(h);
    free(bytes);
    char msg[128];
    hk_open_options bad = HK_OPEN_OPTIONS_INIT;
    bad.flags = HK_OPEN_NO_LOGS;
    bad.log_paths = fwd;
    bad.n_log_paths = 2;
    ck_assert_int_eq(hk_hive_open(hive, &bad, &h), HK_ERROR_INVALID_PARAMETER);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ck_assert_str_eq(msg, "transaction logs given together with HK_OPEN_NO_LOGS");
    const char *missing[] = {"no-such-log-for-hivekit.LOG1"};
    hk_open_options o2 = HK_OPEN_OPTIONS_INIT;
    o2.log_paths = missing;
    o2.n_log_paths = 1;
    ck_assert_int_eq(hk_hive_open(hive, &o2, &h), HK_ERROR_FILE_NOT_FOUND);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ck_assert_ptr_nonnull(strstr(msg, "cannot open no-such-log-for-hivekit.LOG1"));
    free(hive);
    free(l1);
    free(l2);
}
END_TEST

START_TEST(old_format_beside_with_an_empty_log)
{
    struct folder f = make_folder(OLD_DIR, "OldDirtyHive", ".LOG1", ".LOG2");
    hk_hive *h = open_ok(f.hive, HK_OPEN_READONLY, NULL, 0);
    hk_hive_info i = info_of(h);
    ck_assert(!i.dirty && i.dirty_at_open && i.logs_found == 2 && i.logs_replayed == 1);
    ck_assert(i.primary_sequence == 5 && i.log_entries == 1);
    ck_assert(key_exists(h, "key_with_many_subkeys\\5000\\find_me_in_log"));
    ck_assert(!key_exists(h, "key_with_many_subkeys\\1"));
    hk_log_info li = HK_LOG_INFO_INIT;
    ck_assert_int_eq(hk_hive_log_info(h, 0, &li), HK_ERROR_SUCCESS);
    ck_assert(li.applied && li.format == HK_LOG_FORMAT_OLD && li.pages == 64);
    ck_assert_int_eq(hk_hive_log_info(h, 1, &li), HK_ERROR_SUCCESS);
    ck_assert(!li.applied && li.format == HK_LOG_FORMAT_UNKNOWN);
    ck_assert_str_eq(li.note, "0 bytes, shorter than the 512-byte base block copy");
    hk_hive_close(h);
    drop_folder(&f);
}
END_TEST

START_TEST(only_unusable_logs_fail_the_open)
{
    struct folder f = make_folder(OLD_DIR, "OldDirtyHive", NULL, ".LOG2");
    char msg[256] = "";
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    hk_hive *h = NULL;
    ck_assert_int_eq(hk_hive_open(f.hive, &o, &h), HK_ERROR_BADDB);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ck_assert_str_eq(msg, "no usable transaction log: OldDirtyHive.LOG2: 0 bytes, shorter than the "
                          "512-byte base block copy");
    h = open_ok(f.hive, HK_OPEN_NO_LOGS, NULL, 0);
    ck_assert(info_of(h).dirty);
    hk_hive_close(h);
    drop_folder(&f);
}
END_TEST

START_TEST(clean_hive_ignores_its_logs)
{
    struct folder f = make_folder(NEW_DIR, "NewDirtyHive", ".LOG1", ".LOG2");
    char *clean = path_join(corpus_dir(), NEW_DIR "RecoveredHive_Windows10.gz");
    const char *logs[] = {f.log1, f.log2};
    hk_hive *h = open_ok(clean, HK_OPEN_READONLY, logs, 2);
    hk_hive_info i = info_of(h);
    ck_assert(!i.dirty && !i.dirty_at_open && i.logs_found == 2 && i.logs_replayed == 0);
    ck_assert_uint_eq(i.primary_sequence, 6);
    hk_log_info li = HK_LOG_INFO_INIT;
    ck_assert_int_eq(hk_hive_log_info(h, 1, &li), HK_ERROR_SUCCESS);
    ck_assert(!li.applied);
    ck_assert_str_eq(li.note, "the hive is clean: nothing to replay");
    hk_hive_close(h);
    free(clean);
    drop_folder(&f);
}
END_TEST

/* Counts keys and values below key (the key itself included). */
static void count_tree(hk_key *key, uint64_t *keys, uint64_t *values, unsigned depth)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    ck_assert_int_eq(hk_query_info_key(key, NULL, NULL, &ki), HK_ERROR_SUCCESS);
    ck_assert_uint_lt(depth, 600);
    *keys += 1;
    *values += ki.values;
    for (uint32_t i = 0; i < ki.subkeys; i++) {
        char name[1024];
        size_t n = sizeof name;
        ck_assert_int_eq(hk_enum_key(key, i, name, &n), HK_ERROR_SUCCESS);
        hk_key *sub;
        ck_assert_int_eq(hk_open_key(key, name, 0, HK_KEY_READ, &sub), HK_ERROR_SUCCESS);
        count_tree(sub, keys, values, depth + 1);
        hk_close_key(sub);
    }
}

static void count_hive(hk_hive *h, uint64_t *keys, uint64_t *values)
{
    hk_key *root;
    *keys = *values = 0;
    ck_assert_int_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    count_tree(root, keys, values, 0);
    hk_close_key(root);
}

/* Issue 11.1: Windows writes NTUSER.DAT beside ntuser.dat.LOG1: the whole
 * name is matched without regard to case. UsrClass.dat's logs apply 158
 * dirty pages (expectations.json, log_recovery), and the keys and values
 * read are those of a replay of the logs given by name. */
START_TEST(whole_name_case_does_not_matter)
{
    char *dir = tempdir_new("logcase");
    char *hive = lc_inflate(corpus_dir(), "regipy/UsrClass.dat.gz", dir, "USRCLASS.DAT");
    char *l1 = lc_inflate(corpus_dir(), "regipy/UsrClass.dat.LOG1.gz", dir, "usrclass.dat.LOG1");
    char *l2 = lc_inflate(corpus_dir(), "regipy/UsrClass.dat.LOG2.gz", dir, "UsrClass.Dat.log2");
    hk_hive *h = open_ok(hive, HK_OPEN_NO_LOGS, NULL, 0);
    uint64_t keys0, values0, keys1, values1, keys2, values2;
    count_hive(h, &keys0, &values0);
    hk_hive_close(h);
    h = open_ok(hive, HK_OPEN_READONLY, NULL, 0);
    hk_hive_info i = info_of(h);
    ck_assert(!i.dirty && i.dirty_at_open);
    ck_assert_uint_eq(i.logs_found, 2);
    ck_assert_uint_eq(i.logs_replayed, 2);
    hk_log_info li = HK_LOG_INFO_INIT;
    uint32_t pages = 0;
    ck_assert_int_eq(hk_hive_log_info(h, 0, &li), HK_ERROR_SUCCESS);
    ck_assert_str_eq(li.path, l1);
    pages += li.pages;
    ck_assert_int_eq(hk_hive_log_info(h, 1, &li), HK_ERROR_SUCCESS);
    ck_assert_str_eq(li.path, l2);
    pages += li.pages;
    ck_assert_uint_eq(pages, 158);
    count_hive(h, &keys1, &values1);
    hk_hive_close(h);
    const char *logs[] = {l1, l2};
    h = open_ok(hive, HK_OPEN_READONLY, logs, 2);
    count_hive(h, &keys2, &values2);
    hk_hive_close(h);
    ck_assert_uint_eq(keys1, keys2);
    ck_assert_uint_eq(values1, values2);
    ck_assert_uint_gt(keys1, keys0);
    ck_assert_uint_gt(values1, values0);
    free(hive);
    free(l1);
    free(l2);
    tempdir_remove(dir);
}
END_TEST

/* Two logs whose names differ only in case: the one whose name matches the
 * hive's exactly is used, the other is listed as ignored with the reason. */
START_TEST(exact_case_wins_and_the_other_is_named)
{
    struct folder f = make_folder(NEW_DIR, "NewDirtyHive", ".LOG1", ".LOG2");
    /* A stale copy of LOG1 under a name that differs only in case: LOG2's
     * bytes, which would fail as a first log of the sequence. */
    char *odd1 = lc_inflate(corpus_dir(), NEW_DIR "NewDirtyHive.LOG2.gz", f.dir, "newdirtyhive.LOG1");
    hk_hive *h = open_ok(f.hive, HK_OPEN_READONLY, NULL, 0);
    hk_hive_info i = info_of(h);
    ck_assert(!i.dirty && i.dirty_at_open && i.logs_replayed == 2 && i.log_entries == 4);
    ck_assert(key_exists(h, "Key3\\Key3_3") && !key_exists(h, "Key1"));
    ck_assert_uint_eq(i.logs_found, 3);
    hk_log_info li = HK_LOG_INFO_INIT;
    ck_assert_int_eq(hk_hive_log_info(h, 0, &li), HK_ERROR_SUCCESS);
    ck_assert_str_eq(li.path, f.log1);
    ck_assert(li.applied && !li.ignored);
    ck_assert_int_eq(hk_hive_log_info(h, 1, &li), HK_ERROR_SUCCESS);
    ck_assert_str_eq(li.path, f.log2);
    ck_assert(li.applied && !li.ignored);
    ck_assert_int_eq(hk_hive_log_info(h, 2, &li), HK_ERROR_SUCCESS);
    ck_assert_str_eq(li.path, odd1);
    ck_assert(!li.applied && li.ignored);
    ck_assert_str_eq(li.note, "ignored: its name differs only in letter case from NewDirtyHive.LOG1, "
                              "which matches the hive's name exactly");
    hk_hive_close(h);
    free(odd1);
    drop_folder(&f);
}
END_TEST

static hk_status recover(const char *hive, const char *out, uint32_t flags, uint32_t open_flags,
                         char *msg, size_t size)
{
    msg[0] = '\0';
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = open_flags;
    hk_status st = hk_hive_recover(hive, &o, out, flags);
    snprintf(msg, size, "%s", hk_errmsg());
    return st;
}

START_TEST(recover_writes_windows_result)
{
    struct folder f = make_folder(NEW_DIR, "NewDirtyHive", ".LOG1", ".LOG2");
    char *out = path_join(f.dir, "recovered");
    char msg[256];
    ck_assert_int_eq(recover(f.hive, out, 0, 0, msg, sizeof msg), HK_ERROR_SUCCESS);
    size_t n, rn;
    uint8_t *got = lc_read(out, &n);
    char *refp = path_join(corpus_dir(), NEW_DIR "RecoveredHive_Windows10.gz");
    uint8_t *ref = lc_read(refp, &rn);
    ck_assert_uint_eq(n, rn);
    ck_assert(memcmp(got + 4096, ref + 4096, n - 4096) == 0);
    ck_assert(memcmp(got + 12, ref + 12, 4096 - 12) == 0); /* all but the sequence numbers */
    hk_hive *h = open_ok(out, HK_OPEN_READONLY, NULL, 0);
    hk_hive_info i = info_of(h);
    ck_assert(!i.dirty && !i.dirty_at_open && i.primary_sequence == 5 && i.secondary_sequence == 5);
    ck_assert(key_exists(h, "Key3\\Key3_2") && !key_exists(h, "Key1"));
    hk_hive_close(h);
    /* Never over an existing file unless asked, the hive itself included. */
    ck_assert_int_eq(recover(f.hive, out, 0, 0, msg, sizeof msg), HK_ERROR_FILE_EXISTS);
    ck_assert_int_eq(recover(f.hive, out, HK_SAVE_OVERWRITE, 0, msg, sizeof msg), HK_ERROR_SUCCESS);
    ck_assert_int_eq(recover(f.hive, f.hive, 0, 0, msg, sizeof msg), HK_ERROR_FILE_EXISTS);
    h = open_ok(f.hive, HK_OPEN_NO_LOGS, NULL, 0);
    ck_assert(info_of(h).dirty);
    hk_hive_close(h);
    ck_assert_int_eq(recover(f.hive, out, 0, HK_OPEN_NO_LOGS, msg, sizeof msg),
                     HK_ERROR_INVALID_PARAMETER);
    ck_assert_str_eq(msg, "recovering needs the logs: HK_OPEN_NO_LOGS contradicts it");
    /* A clean hive: nothing to recover. */
    ck_assert_int_eq(recover(out, f.hive, HK_SAVE_OVERWRITE, 0, msg, sizeof msg),
                     HK_ERROR_NOT_SUPPORTED);
    ck_assert_ptr_nonnull(strstr(msg, "is clean (sequence numbers equal, checksum right): nothing to "
                                      "recover"));
    free(got);
    free(ref);
    free(refp);
    free(out);
    drop_folder(&f);
}
END_TEST

START_TEST(recover_without_logs_fails)
{
    struct folder f = make_folder(OLD_DIR, "OldDirtyHive", NULL, NULL);
    char *out = path_join(f.dir, "recovered");
    char msg[256];
    ck_assert_int_eq(recover(f.hive, out, 0, 0, msg, sizeof msg), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(msg, "is dirty but no transaction log was given or found beside it"));
    ck_assert_int_eq(recover(f.hive, NULL, 0, 0, msg, sizeof msg), HK_ERROR_INVALID_PARAMETER);
    free(out);
    drop_folder(&f);
}
END_TEST

START_TEST(replayed_hive_opens_for_writing_clean)
{
    /* The writer refuses a dirty hive; a replayed one is clean to it. */
    struct folder f = make_folder(NEW_DIR, "NewDirtyHive", ".LOG1", ".LOG2");
    hk_hive *h = open_ok(f.hive, HK_OPEN_WRITE, NULL, 0);
    hk_hive_info i = info_of(h);
    ck_assert(!i.dirty && i.dirty_at_open && i.logs_replayed == 2);
    hk_hive_close(h);
    drop_folder(&f);
}
END_TEST

/* Issue 5.2: an edit of a dirty hive works on the replayed data and saves a
 * clean hive that keeps the keys that lived only in the logs. */
START_TEST(edit_of_a_dirty_hive_saves_the_replayed_data)
{
    struct folder f = make_folder(NEW_DIR, "NewDirtyHive", ".LOG1", ".LOG2");
    hk_hive *h = open_ok(f.hive, HK_OPEN_WRITE, NULL, 0);
    hk_key *root, *k;
    ck_assert_int_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    ck_assert_int_eq(hk_create_key(root, "Key3\\Key3_3\\added", &k), HK_ERROR_SUCCESS);
    static const uint8_t dword[4] = {0x78, 0x56, 0x34, 0x12};
    ck_assert_int_eq(hk_set_value_ex(k, "v", 0, HK_REG_DWORD, dword, 4), HK_ERROR_SUCCESS);
    hk_close_key(k);
    hk_close_key(root);
    hk_hive_set_clock(h, 132000000000000000ull);
    ck_assert_int_eq(hk_hive_save(h, NULL, HK_SAVE_OVERWRITE), HK_ERROR_SUCCESS);
    hk_hive_close(h);

    /* The saved primary alone, logs ignored: clean, replayed keys kept. */
    h = open_ok(f.hive, HK_OPEN_NO_LOGS, NULL, 0);
    hk_hive_info i = info_of(h);
    ck_assert(!i.dirty && !i.dirty_at_open && i.checksum_ok);
    ck_assert_uint_eq(i.primary_sequence, i.secondary_sequence);
    ck_assert_uint_gt(i.primary_sequence, 5);
    ck_assert(key_exists(h, "Key3\\Key3_3") && key_exists(h, "key3\\KEY3_1"));
    ck_assert(!key_exists(h, "Key1") && !key_exists(h, "Key2"));
    ck_assert_int_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    ck_assert_int_eq(hk_open_key(root, "Key3\\Key3_3\\added", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    uint8_t got[8];
    size_t n = sizeof got;
    uint32_t type = 0;
    ck_assert_int_eq(hk_query_value_ex(k, "v", &type, got, &n), HK_ERROR_SUCCESS);
    ck_assert(type == HK_REG_DWORD && n == 4 && memcmp(got, dword, 4) == 0);
    hk_close_key(k);
    hk_close_key(root);
    hk_hive_close(h);

    /* Opened again as usual: a clean hive does not replay its stale logs. */
    h = open_ok(f.hive, 0, NULL, 0);
    i = info_of(h);
    ck_assert(!i.dirty && !i.dirty_at_open && i.logs_replayed == 0);
    ck_assert(key_exists(h, "Key3\\Key3_3\\added"));
    hk_hive_close(h);
    drop_folder(&f);
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("log_api");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, logs_beside_are_replayed_and_left_alone);
    tcase_add_test(tc, suffix_case_does_not_matter);
    tcase_add_test(tc, no_logs_reads_the_primary);
    tcase_add_test(tc, whole_name_case_does_not_matter);
    tcase_add_test(tc, exact_case_wins_and_the_other_is_named);
    tcase_add_test(tc, explicit_logs_in_either_order_and_from_memory);
    tcase_add_test(tc, old_format_beside_with_an_empty_log);
    tcase_add_test(tc, only_unusable_logs_fail_the_open);
    tcase_add_test(tc, clean_hive_ignores_its_logs);
    tcase_add_test(tc, recover_writes_windows_result);
    tcase_add_test(tc, recover_without_logs_fails);
    tcase_add_test(tc, replayed_hive_opens_for_writing_clean);
    tcase_add_test(tc, edit_of_a_dirty_hive_saves_the_replayed_data);
    suite_add_tcase(s, tc);
    return s;
}
