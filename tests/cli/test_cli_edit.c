/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The editing commands: hivekit new, add, delete, copy. Exact output and
 * exit status; after every failure the hive file is byte-identical. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_run.h"
#include "files.h"
#include "tempdir.h"

Suite *test_suite(void);

#ifndef HIVEKIT_BIN
#error "HIVEKIT_BIN must name the built hivekit program"
#endif

static char *dir, *hive;

static void setup(void)
{
    dir = tempdir_new("cli-edit");
    hive = path_join(dir, "t.hive");
}

static void teardown(void)
{
    free(hive);
    ck_assert(tempdir_remove(dir));
}

/* Runs a command that must fail with status and one stderr line starting
 * with prefix (two for a not-found: reg.exe's line, then what was not
 * found), leaving the hive byte-identical. */
static void fails_unchanged(int status, const char *prefix, const char *const *args)
{
    size_t l0, l1;
    char *before = slurp(hive, &l0);
    struct run r;
    run_args(&r, HIVEKIT_BIN, args);
    ck_assert_int_eq(r.status, status);
    ck_assert_str_eq(r.out, "");
    ck_assert_msg(strncmp(r.err, prefix, strlen(prefix)) == 0, "stderr: %s", r.err);
    const char *one = status == 1 ? strchr(r.err, '\n') + 1 : r.err;
    ck_assert_ptr_eq(strchr(one, '\n'), r.err + strlen(r.err) - 1);
    char *after = slurp(hive, &l1);
    ck_assert_uint_eq(l0, l1);
    ck_assert_int_eq(memcmp(before, after, l0), 0);
    free(before);
    free(after);
    run_free(&r);
}

#define FAILS(status, prefix, ...)                   \
    do {                                             \
        const char *a_[] = {__VA_ARGS__, NULL};      \
        fails_unchanged(status, prefix, a_);         \
    } while (0)

static void ok(const char *const *args)
{
    struct run r;
    run_args(&r, HIVEKIT_BIN, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    run_expect_ok(&r);
}

#define OK(...)                                      \
    do {                                             \
        const char *a_[] = {__VA_ARGS__, NULL};      \
        ok(a_);                                      \
    } while (0)

START_TEST(new_writes_an_empty_hive_once)
{
    struct run r;
    RUN(&r, "new", hive, "--hive-version", "1.3", "--root-name", "Fixture");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "");
    run_free(&r);
    RUN(&r, "info", hive);
    ck_assert_ptr_nonnull(strstr(r.out, "version:       1.3\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "root key:      Fixture\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "state:         clean (sequence 1 = 1)\n"));
    run_free(&r);
    char want[1400];
    snprintf(want, sizeof want, "hivekit: %s: %s exists (overwrite not asked for) (file exists)\n",
             hive, hive);
    FAILS(2, want, "new", hive);
    RUN(&r, "new", "x.hive", "--hive-version", "2.0");
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--hive-version '2.0'"));
    run_free(&r);
}
END_TEST

START_TEST(add_parses_data_as_reg_exe)
{
    char *file = path_join(dir, "data.bin");
    spit(file, "\x01\x02\x00\xff", 4);
    struct run r;
    RUN(&r, "new", hive);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    OK("add", hive, "Software\\Vendor", "-v", "Count", "-t", "reg_dword", "-d", "0x2A");
    OK("add", hive, "\\Software\\Vendor", "-v", "Dec", "-t", "REG_DWORD", "-d", "0123");
    OK("add", hive, "Software\\Vendor", "-v", "Bin", "-t", "REG_BINARY", "-d", "DeAdBeEf0DD");
    OK("add", hive, "Software\\Vendor", "-v", "Multi", "-t", "REG_MULTI_SZ", "-d", "a\\0b\\0");
    OK("add", hive, "Software\\Vendor", "-v", "Sep", "-t", "REG_MULTI_SZ", "-d", "x#y", "-s", "#");
    OK("add", hive, "Software\\Vendor", "-v", "Q", "-t", "REG_QWORD", "-d", "-1");
    OK("add", hive, "Software\\Vendor", "-v", "Exp", "-t", "REG_EXPAND_SZ", "-d", "%SystemRoot%\\x");
    OK("add", hive, "Software\\Vendor", "-v", "Raw", "-t", "REG_BINARY", "--data-file", file);
    OK("add", hive, "Software\\Vendor", "-v", "None", "-t", "REG_NONE");
    OK("add", hive, "Software\\Vendor", "--ve", "-d", "default text");
    OK("add", hive, "Other");
    RUN(&r, "query", hive, "-s");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out,
                     "\n"
                     "HKEY_LOCAL_MACHINE\\ROOT\\Other\n"
                     "    (Default)    REG_SZ    \n"
                     "\n"
                     "HKEY_LOCAL_MACHINE\\ROOT\\Software\n"
                     "\n"
                     "HKEY_LOCAL_MACHINE\\ROOT\\Software\\Vendor\n"
                     "    Count    REG_DWORD    0x2a\n"
                     "    Dec    REG_DWORD    0x7b\n"
                     "    Bin    REG_BINARY    0DEADBEEF0DD\n"
                     "    Multi    REG_MULTI_SZ    a\\0b\n"
                     "    Sep    REG_MULTI_SZ    x\\0y\n"
                     "    Q    REG_QWORD    0xffffffffffffffff\n"
                     "    Exp    REG_EXPAND_SZ    %SystemRoot%\\x\n"
                     "    Raw    REG_BINARY    010200FF\n"
                     "    None    REG_NONE    0000\n"
                     "    (Default)    REG_SZ    default text\n"
                     "\n");
    run_free(&r);
    free(file);
}
END_TEST

START_TEST(add_errors_write_nothing)
{
    struct run r;
    RUN(&r, "new", hive);
    run_free(&r);
    OK("add", hive, "K", "-v", "v", "-d", "one");
    FAILS(2, "hivekit: K: value 'v' exists (add -f", "add", hive, "K", "-v", "v", "-d", "two");
    FAILS(2, "hivekit: add: '123xyz' is not a 32-bit number", "add", hive, "K", "-v", "d", "-t",
          "REG_DWORD", "-d", "123xyz");
    FAILS(2, "hivekit: add: '4294967296' is not a 32-bit", "add", hive, "K", "-v", "d", "-t",
          "REG_DWORD", "-d", "4294967296");
    FAILS(2, "hivekit: add: REG_DWORD needs data", "add", hive, "K", "-v", "d", "-t", "REG_DWORD");
    FAILS(2, "hivekit: add: '0x12' is not hex digits", "add", hive, "K", "-v", "b", "-t",
          "REG_BINARY", "-d", "0x12");
    FAILS(2, "hivekit: add: 'a##b': an empty REG_MULTI_SZ item", "add", hive, "K", "-v", "m", "-t",
          "REG_MULTI_SZ", "-d", "a##b", "-s", "#");
    FAILS(2, "hivekit: add: unknown type 'REG_FOO'", "add", hive, "K", "-t", "REG_FOO");
    FAILS(2, "hivekit: add: -s takes exactly one character", "add", hive, "K", "-v", "m", "-t",
          "REG_MULTI_SZ", "-d", "a", "-s", "##");
    FAILS(2, "hivekit: add: -v and --ve exclude", "add", hive, "K", "-v", "x", "--ve");
    FAILS(2, "hivekit: ", "add", hive, "\\\\bad", "-v", "x");
    OK("add", hive, "K", "-v", "v", "-d", "two", "-f");
    RUN(&r, "query", hive, "K", "-v", "v");
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\ROOT\\K\n    v    REG_SZ    two\n\n");
    run_free(&r);
}
END_TEST

START_TEST(delete_keys_values_and_all_values)
{
    struct run r;
    RUN(&r, "new", hive);
    run_free(&r);
    OK("add", hive, "A\\B\\C", "-v", "x", "-d", "1");
    OK("add", hive, "A", "-v", "y", "-d", "2");
    OK("add", hive, "A", "-v", "z", "-d", "3");
    OK("add", hive, "A", "--ve", "-d", "d");
    FAILS(1, NOT_FOUND_LINE "hivekit: value 'missing' not found in key 'A'\n", "delete", hive, "A",
          "-v", "missing");
    FAILS(1, NOT_FOUND_LINE "hivekit: key 'Nope' not found below the hive's root key\n", "delete",
          hive, "Nope");
    FAILS(2, "hivekit: delete: the root key cannot be deleted", "delete", hive, "");
    OK("delete", hive, "A", "--ve");
    OK("delete", hive, "A", "-v", "Y");
    RUN(&r, "query", hive, "A");
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\ROOT\\A\n    z    REG_SZ    3\n\n"
                            "HKEY_LOCAL_MACHINE\\ROOT\\A\\B\n");
    run_free(&r);
    OK("add", hive, "A", "-v", "w", "-d", "4");
    OK("delete", hive, "A", "--va", "-f");
    RUN(&r, "query", hive, "A");
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\ROOT\\A\\B\n");
    run_free(&r);
    OK("delete", hive, "A\\B");
    RUN(&r, "query", hive, "-s");
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\ROOT\\A\n\n");
    run_free(&r);
}
END_TEST

START_TEST(copy_values_or_the_subtree)
{
    struct run r;
    RUN(&r, "new", hive);
    run_free(&r);
    OK("add", hive, "S", "-v", "a", "-d", "1");
    OK("add", hive, "S\\Sub", "-v", "b", "-d", "2");
    OK("copy", hive, "S", "D1");
    OK("copy", hive, "S", "D2", "-s");
    FAILS(2, "hivekit: D1: key exists (add -f", "copy", hive, "S", "D1");
    FAILS(1, NOT_FOUND_LINE "hivekit: key 'Missing' not found below the hive's root key\n", "copy",
          hive, "Missing", "D3");
    FAILS(2, "hivekit: ", "copy", hive, "S", "S\\Sub\\In", "-s", "-f");
    RUN(&r, "query", hive, "-s");
    ck_assert_str_eq(r.out, "\n"
                            "HKEY_LOCAL_MACHINE\\ROOT\\D1\n    a    REG_SZ    1\n\n"
                            "HKEY_LOCAL_MACHINE\\ROOT\\D2\n    a    REG_SZ    1\n\n"
                            "HKEY_LOCAL_MACHINE\\ROOT\\D2\\Sub\n    b    REG_SZ    2\n\n"
                            "HKEY_LOCAL_MACHINE\\ROOT\\S\n    a    REG_SZ    1\n\n"
                            "HKEY_LOCAL_MACHINE\\ROOT\\S\\Sub\n    b    REG_SZ    2\n\n");
    run_free(&r);
}
END_TEST

/* A flag given a value ("--force=1") is one usage error, for every editing
 * command alike; nothing is written. */
START_TEST(flag_with_a_value_is_one_usage_error)
{
    struct run r;
    RUN(&r, "new", hive);
    run_free(&r);
    OK("add", hive, "S", "-v", "a", "-d", "1");
    FAILS(2, "hivekit: copy: option '--recurse' takes no value (see 'hivekit help copy')", "copy",
          hive, "S", "D", "--recurse=1");
    FAILS(2, "hivekit: copy: option '--force' takes no value", "copy", hive, "S", "D", "--force=1");
    FAILS(2, "hivekit: delete: option '--va' takes no value", "delete", hive, "S", "--va=1");
    FAILS(2, "hivekit: delete: option '--ve' takes no value", "delete", hive, "S", "--ve=");
    FAILS(2, "hivekit: add: option '--ve' takes no value", "add", hive, "S", "--ve=x", "-d", "2");
    FAILS(2, "hivekit: add: option '--force' takes no value", "add", hive, "S", "-v", "a", "-d",
          "2", "--force=yes");
    FAILS(2, "hivekit: new: option '--help' takes no value", "new", hive, "--help=1");
}
END_TEST

START_TEST(dirty_hive_is_not_edited)
{
    struct run r;
    RUN(&r, "new", hive);
    run_free(&r);
    size_t len;
    char *b = slurp(hive, &len);
    b[4] = 9; /* primary sequence 9, secondary 1 */
    spit(hive, b, len);
    free(b);
    FAILS(2, "hivekit: ", "add", hive, "K");
    RUN(&r, "delete", hive, "K");
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "replay its transaction logs first"));
    run_free(&r);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cli_edit");
    TCase *t = tcase_create("edit");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, new_writes_an_empty_hive_once);
    tcase_add_test(t, add_parses_data_as_reg_exe);
    tcase_add_test(t, add_errors_write_nothing);
    tcase_add_test(t, delete_keys_values_and_all_values);
    tcase_add_test(t, copy_values_or_the_subtree);
    tcase_add_test(t, flag_with_a_value_is_one_usage_error);
    tcase_add_test(t, dirty_hive_is_not_edited);
    suite_add_tcase(s, t);
    return s;
}
