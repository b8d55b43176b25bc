/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Marvin32 against the published known answers (the three seeds and 30
 * inputs of the reference test table, as .NET's Marvin tests carry them) and
 * against the hashes Windows stored in a corpus log; the search for logs
 * beside a hive.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/logset.h"
#include "log/marvin.h"
#include "log_corpus.h"
#include "files.h"
#include "tempdir.h"
#include "log_fixture.h"
#include "corpus.h"

Suite *test_suite(void);

struct kat {
    uint64_t seed;
    const char *hex;
    uint64_t want;
};

#define SEED1 0x004FB61A001BDBCCull
#define SEED2 0x804FB61A001BDBCCull
#define SEED3 0x804FB61A801BDBCCull

static const struct kat kats[] = {
    {SEED1, "", 0x30ED35C100CD3C7Dull},
    {SEED1, "af", 0x48E73FC77D75DDC1ull},
    {SEED1, "e70f", 0xB5F6E1FC485DBFF8ull},
    {SEED1, "37f495", 0xF0B07C789B8CF7E8ull},
    {SEED1, "8642dc59", 0x7008F2E87E9CF556ull},
    {SEED1, "153fb79826", 0xE6C08C6DA2AFA997ull},
    {SEED1, "0932e6246c47", 0x6F04BF1A5EA24060ull},
    {SEED1, "ab427ea8d10fc7", 0xE11847E4F0678C41ull},
    {SEED2, "", 0x10A9D5D3996FD65Dull},
    {SEED2, "af", 0x68201F91960EBF91ull},
    {SEED2, "e70f", 0x64B581631F6AB378ull},
    {SEED2, "37f495", 0xE1F2DFA6E5131408ull},
    {SEED2, "8642dc59", 0x36289D9654FB49F6ull},
    {SEED2, "153fb79826", 0x0A06114B13464DBDull},
    {SEED2, "0932e6246c47", 0xD6DD5E40AD1BC2EDull},
    {SEED2, "ab427ea8d10fc7", 0xE203987DBA252FB3ull},
    {SEED3, "00", 0xA37FB0DA2ECAE06Cull},
    {SEED3, "ff", 0xFECEF370701AE054ull},
    {SEED3, "00ff", 0xA638E75700048880ull},
    {SEED3, "ff00", 0xBDFB46D969730E2Aull},
    {SEED3, "ff00ff", 0x9D8577C0FE0D30BFull},
    {SEED3, "00ff00", 0x4F9FBDDE15099497ull},
    {SEED3, "00ff00ff", 0x24EAA279D9A529CAull},
    {SEED3, "ff00ff00", 0xD3BEC7726B057943ull},
    {SEED3, "ff00ff00ff", 0x920B62BBCA3E0B72ull},
    {SEED3, "00ff00ff00", 0x1D7DDF9DFDF3C1BFull},
    {SEED3, "00ff00ff00ff", 0xEC21276A17E821A5ull},
    {SEED3, "ff00ff00ff00", 0x6911A53CA8C12254ull},
    {SEED3, "ff00ff00ff00ff", 0xFDFD187B1D3CE784ull},
    {SEED3, "00ff00ff00ff00", 0x71876F2EFB1B0EE8ull},
};

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

START_TEST(marvin32_known_answers)
{
    const struct kat *k = &kats[_i];
    uint8_t buf[16];
    size_t n = unhex(k->hex, buf);
    uint64_t got = marvin32(k->seed, buf, n);
    ck_assert_msg(got == k->want, "seed %016llx \"%s\": %016llx, want %016llx",
                  (unsigned long long)k->seed, k->hex, (unsigned long long)got,
                  (unsigned long long)k->want);
}
END_TEST

/* Every entry Windows wrote in the corpus logs carries hashes Marvin32
 * reproduces with the log seed. */
START_TEST(marvin32_matches_windows_log_entries)
{
    static const char *const logs[] = {"yarp/NewDirtyHive1/NewDirtyHive.LOG1.gz",
                                       "yarp/NewDirtyHive1/NewDirtyHive.LOG2.gz",
                                       "regipy/UsrClass.dat.LOG1.gz", "regipy/UsrClass.dat.LOG2.gz"};
    size_t entries = 0;
    for (size_t i = 0; i < 4; i++) {
        struct blob b = fx_corpus(logs[i]);
        for (size_t off = 512; off + 40 <= b.n && memcmp(b.p + off, "HvLE", 4) == 0;) {
            uint32_t size = le32_unchecked(b.p + off + 4);
            ck_assert(size >= 512 && size <= b.n - off);
            ck_assert_uint_eq(marvin32(MARVIN_LOG_SEED, b.p + off + 40, size - 40),
                              le64_unchecked(b.p + off + 24));
            ck_assert_uint_eq(marvin32(MARVIN_LOG_SEED, b.p + off, 32), le64_unchecked(b.p + off + 32));
            entries++;
            off += size;
        }
        free(b.p);
    }
    ck_assert_uint_eq(entries, 1 + 3 + 4 + 10);
}
END_TEST

START_TEST(logs_are_found_beside_in_any_case)
{
    char *dir = tempdir_new("logfind");
    static const char *const names[] = {"Hive", "Hive.LOG1", "Hive.log1", "Hive.Log2", "Hive.LOG",
                                        "Hive.LOG3", "Hive.LOGX", "Hive.LOG1.bak", "hive.LOG2",
                                        "HiveX.LOG1", "Hive.lo"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = path_join(dir, names[i]);
        spit(p, "x", 1);
        free(p);
    }
    char *hive = path_join(dir, "Hive");
    char *found[LOG_MAX_FILES];
    size_t n, used, twin[LOG_MAX_FILES];
    struct diag d = {{0}};
    ck_assert_int_eq(log_find_beside(hive, found, &n, &used, twin, &d), HK_ERROR_SUCCESS);
    /* One of each suffix: the whole name in any case, the hive's exact name
     * first, then the suffix in capitals; the others last, naming it. */
    static const char *const want[] = {"Hive.LOG", "Hive.LOG1", "Hive.Log2", "Hive.log1", "hive.LOG2"};
    ck_assert_uint_eq(n, 5);
    ck_assert_uint_eq(used, 3);
    ck_assert_uint_eq(twin[3], 1);
    ck_assert_uint_eq(twin[4], 2);
    for (size_t i = 0; i < n; i++) {
        char *p = path_join(dir, want[i]);
        ck_assert_str_eq(found[i], p);
        free(p);
        free(found[i]);
    }
    free(hive);
    tempdir_remove(dir);
}
END_TEST

START_TEST(no_folder_no_logs)
{
    char *found[LOG_MAX_FILES];
    size_t n = 99, used = 99, twin[LOG_MAX_FILES];
    struct diag d = {{0}};
    ck_assert_int_eq(log_find_beside("no-such-folder-for-hivekit/Hive", found, &n, &used, twin, &d),
                     HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, 0);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("log_unit");
    TCase *tc = tcase_create("marvin32");
    tcase_add_loop_test(tc, marvin32_known_answers, 0, (int)(sizeof kats / sizeof kats[0]));
    if (corpus_optional())
        tcase_add_test(tc, marvin32_matches_windows_log_entries);
    suite_add_tcase(s, tc);
    TCase *find = tcase_create("find");
    tcase_add_test(find, logs_are_found_beside_in_any_case);
    tcase_add_test(find, no_folder_no_logs);
    suite_add_tcase(s, find);
    return s;
}
