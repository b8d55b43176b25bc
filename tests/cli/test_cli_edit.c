/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The editing commands: hivekit new, add, delete, copy. Exact output and
 * exit status; after every failure the hive file is byte-identical. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

Suite *test_suite(void);

#ifndef HIVEKIT_BIN
#error "HIVEKIT_BIN must name the built hivekit program"
#endif

#define OK_LINE "The operation completed successfully.\n"
#define NOT_FOUND_LINE \
    "hivekit: ERROR: The system was unable to find the specified registry key or value.\n"

struct res {
    int status;
    char out[65536], err[4096];
};

static void read_all(const char *path, char *buf, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    size_t n = fread(buf, 1, cap - 1, fp);
    buf[n] = '\0';
    fclose(fp);
}

static char dir[512];

/* Runs hivekit with args (NULL-terminated) and collects its output. */
static void run(struct res *r, const char *const *args)
{
    char out[600], err[600];
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fo, 1);
        dup2(fe, 2);
        char *argv[32];
        argv[0] = (char *)HIVEKIT_BIN;
        int n = 1;
        for (; args[n - 1]; n++)
            argv[n] = (char *)args[n - 1];
        argv[n] = NULL;
        execv(HIVEKIT_BIN, argv);
        _exit(127);
    }
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    read_all(out, r->out, sizeof r->out);
    read_all(err, r->err, sizeof r->err);
}

#define RUN(r, ...)                                  \
    do {                                             \
        const char *a_[] = {__VA_ARGS__, NULL};      \
        run(r, a_);                                  \
    } while (0)

static char hive[600];

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/hk_cli_edit.XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(hive, sizeof hive, "%s/t.hive", dir);
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *bytes_of(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *p = malloc(*len + 1);
    ck_assert_uint_eq(fread(p, 1, *len, fp), *len);
    fclose(fp);
    return p;
}

/* Runs a command that must fail with status and one stderr line starting
 * with prefix (two for a not-found: reg.exe's line, then what was not
 * found), leaving the hive byte-identical. */
static void fails_unchanged(int status, const char *prefix, const char *const *args)
{
    size_t l0, l1;
    char *before = bytes_of(hive, &l0);
    struct res r;
    run(&r, args);
    ck_assert_int_eq(r.status, status);
    ck_assert_str_eq(r.out, "");
    ck_assert_msg(strncmp(r.err, prefix, strlen(prefix)) == 0, "stderr: %s", r.err);
    const char *one = status == 1 ? strchr(r.err, '\n') + 1 : r.err;
    ck_assert_ptr_eq(strchr(one, '\n'), r.err + strlen(r.err) - 1);
    char *after = bytes_of(hive, &l1);
    ck_assert_uint_eq(l0, l1);
    ck_assert_int_eq(memcmp(before, after, l0), 0);
    free(before);
    free(after);
}

#define FAILS(status, prefix, ...)                   \
    do {                                             \
        const char *a_[] = {__VA_ARGS__, NULL};      \
        fails_unchanged(status, prefix, a_);         \
    } while (0)

static void ok(const char *const *args)
{
    struct res r;
    run(&r, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, OK_LINE);
    ck_assert_str_eq(r.err, "");
}

#define OK(...)                                      \
    do {                                             \
        const char *a_[] = {__VA_ARGS__, NULL};      \
        ok(a_);                                      \
    } while (0)

START_TEST(new_writes_an_empty_hive_once)
{
    struct res r;
    RUN(&r, "new", hive, "--hive-version", "1.3", "--root-name", "Fixture");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "");
    RUN(&r, "info", hive);
    ck_assert_ptr_nonnull(strstr(r.out, "version:       1.3\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "root key:      Fixture\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "state:         clean (sequence 1 = 1)\n"));
    char want[1400];
    snprintf(want, sizeof want, "hivekit: %s: %s exists (overwrite not asked for) (file exists)\n",
             hive, hive);
    FAILS(2, want, "new", hive);
    RUN(&r, "new", "x.hive", "--hive-version", "2.0");
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--hive-version '2.0'"));
}
END_TEST

START_TEST(add_parses_data_as_reg_exe)
{
    char file[700];
    snprintf(file, sizeof file, "%s/data.bin", dir);
    FILE *fp = fopen(file, "wb");
    fwrite("\x01\x02\x00\xff", 1, 4, fp);
    fclose(fp);
    struct res r;
    RUN(&r, "new", hive);
    ck_assert_int_eq(r.status, 0);
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
}
END_TEST

START_TEST(add_errors_write_nothing)
{
    struct res r;
    RUN(&r, "new", hive);
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
}
END_TEST

START_TEST(delete_keys_values_and_all_values)
{
    struct res r;
    RUN(&r, "new", hive);
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
    OK("add", hive, "A", "-v", "w", "-d", "4");
    OK("delete", hive, "A", "--va", "-f");
    RUN(&r, "query", hive, "A");
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\ROOT\\A\\B\n");
    OK("delete", hive, "A\\B");
    RUN(&r, "query", hive, "-s");
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\ROOT\\A\n\n");
}
END_TEST

START_TEST(copy_values_or_the_subtree)
{
    struct res r;
    RUN(&r, "new", hive);
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
}
END_TEST

/* A flag given a value ("--force=1") is one usage error, for every editing
 * command alike; nothing is written. */
START_TEST(flag_with_a_value_is_one_usage_error)
{
    struct res r;
    RUN(&r, "new", hive);
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
    struct res r;
    RUN(&r, "new", hive);
    size_t len;
    char *b = bytes_of(hive, &len);
    b[4] = 9; /* primary sequence 9, secondary 1 */
    FILE *fp = fopen(hive, "wb");
    fwrite(b, 1, len, fp);
    fclose(fp);
    free(b);
    FAILS(2, "hivekit: ", "add", hive, "K");
    RUN(&r, "delete", hive, "K");
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "replay its transaction logs first"));
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
