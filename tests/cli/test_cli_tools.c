/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CLI's reg.exe habits and what it must not lose: class names through
 * copy and compare, .reg files with a predefined root refused by import,
 * rename, save, query's search (-f) and formats, info's reasons. Hives are
 * built with the test-side hive_builder; exact output and exit status.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_run.h"
#include "hive_builder.h"

Suite *test_suite(void);

#ifndef HIVEKIT_BIN
#error "HIVEKIT_BIN must name the built hivekit program"
#endif

#define OK_LINE "The operation completed successfully.\n"
#define NOT_FOUND_LINE \
    "hivekit: ERROR: The system was unable to find the specified registry key or value.\n"

static char dir[512];
static char hive[600], hive2[600];

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/hk_cli_tools.XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(hive, sizeof hive, "%s/a.hive", dir);
    snprintf(hive2, sizeof hive2, "%s/b.hive", dir);
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void run_cli(struct run *r, const char *const *args)
{
    const char *argv[32];
    size_t n = 0;
    argv[n++] = HIVEKIT_BIN;
    while (args[n - 1]) {
        ck_assert_uint_lt(n, sizeof argv / sizeof argv[0] - 1);
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    run_program(r, argv);
}

#define RUN(r, ...)                                          \
    do {                                                     \
        const char *const run_args_[] = {__VA_ARGS__, NULL}; \
        run_cli((r), run_args_);                             \
    } while (0)

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
}

static void write_hive(const char *path, struct hb *b)
{
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    write_file(path, img, len);
    free(img);
}

/* ROOT\Src (class "SrcClass", value v=1) with Src\Sub (class "SubClass");
 * sub_class NULL leaves Sub without one. */
static void class_hive(const char *path, const char *sub_class)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t src = hb_key(b, hb_root(b), "Src");
    hb_class(b, src, "SrcClass");
    hb_value(b, src, "v", 4, "\1\0\0\0", 4);
    uint32_t sub = hb_key(b, src, "Sub");
    if (sub_class)
        hb_class(b, sub, sub_class);
    write_hive(path, b);
}

/* The jsonl key line of path in hive h ("" when there is none). */
static char *key_line(const char *h, const char *path)
{
    struct run r;
    RUN(&r, "export", h, path, "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    char *nl = strchr(r.out, '\n');
    ck_assert_ptr_nonnull(nl);
    nl[1] = '\0';
    char *line = strdup(r.out);
    run_free(&r);
    return line;
}

/* ---- item: class names survive copy; compare reports them ------------ */

START_TEST(copy_keeps_the_class_of_the_top_key)
{
    class_hive(hive, "SubClass");
    struct run r;
    RUN(&r, "copy", hive, "Src", "Dst");
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, OK_LINE);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    char *line = key_line(hive, "Dst");
    ck_assert_ptr_nonnull(strstr(line, ",\"class\":\"SrcClass\"}"));
    free(line);
}
END_TEST

START_TEST(copy_recursive_keeps_every_class)
{
    class_hive(hive, "SubClass");
    struct run r;
    RUN(&r, "copy", hive, "Src", "Dst", "-s");
    ck_assert_str_eq(r.out, OK_LINE);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    char *line = key_line(hive, "Dst");
    ck_assert_ptr_nonnull(strstr(line, ",\"class\":\"SrcClass\"}"));
    free(line);
    line = key_line(hive, "Dst\\Sub");
    ck_assert_ptr_nonnull(strstr(line, ",\"class\":\"SubClass\"}"));
    free(line);
}
END_TEST

START_TEST(compare_reports_a_class_difference)
{
    class_hive(hive, "SubClass");
    class_hive(hive2, "Other");
    struct run r;
    RUN(&r, "compare", hive, hive2);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, "< Class: \\Src\\Sub    SubClass\n"
                            "> Class: \\Src\\Sub    Other\n"
                            "Result Compared: Different\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    class_hive(hive2, NULL);
    RUN(&r, "compare", hive, hive2, "Src");
    ck_assert_str_eq(r.out, "< Class: \\Src\\Sub    SubClass\n"
                            "> Class: \\Src\\Sub    (none)\n"
                            "Result Compared: Different\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
}
END_TEST

START_TEST(compare_reg_says_what_a_patch_cannot_carry)
{
    class_hive(hive, "SubClass");
    class_hive(hive2, "Other");
    struct run r;
    RUN(&r, "compare", hive, hive2, "--reg", "--encoding", "utf-8");
    ck_assert_str_eq(r.out, "Windows Registry Editor Version 5.00\r\n\r\n"
                            "[HKEY_LOCAL_MACHINE\\ROOT]\r\n\r\n");
    ck_assert_str_eq(r.err, "hivekit: compare: the .reg patch cannot carry the class name of "
                            "[HKEY_LOCAL_MACHINE\\ROOT\\Src\\Sub]\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    /* a key only B has: its tree goes into the patch, its classes cannot */
    struct hb *b = hb_new(5, "ROOT");
    write_hive(hive, b);
    RUN(&r, "compare", hive, hive2, "--reg", "--encoding", "utf-8");
    ck_assert_str_eq(r.err, "hivekit: compare: the .reg patch cannot carry the class name of "
                            "[HKEY_LOCAL_MACHINE\\ROOT\\Src]\n"
                            "hivekit: compare: the .reg patch cannot carry the class name of "
                            "[HKEY_LOCAL_MACHINE\\ROOT\\Src\\Sub]\n");
    ck_assert_ptr_nonnull(strstr(r.out, "[HKEY_LOCAL_MACHINE\\ROOT\\Src]\r\n\"v\"=dword:00000001"));
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
}
END_TEST

START_TEST(compare_times_and_security_on_request)
{
    class_hive(hive, "SubClass");
    struct hb *b = hb_new(5, "ROOT");
    uint32_t src = hb_key(b, hb_root(b), "Src");
    hb_class(b, src, "SrcClass");
    hb_value(b, src, "v", 4, "\1\0\0\0", 4);
    uint32_t sub = hb_key(b, src, "Sub");
    hb_class(b, sub, "SubClass");
    hb_key_time(b, sub, 131000000000000000ull);
    uint32_t sdlen;
    const uint8_t *sd = hb_default_sd(&sdlen);
    uint8_t other[256];
    memcpy(other, sd, sdlen);
    other[sdlen - 1] ^= 1;
    hb_key_sd(b, src, other, sdlen);
    write_hive(hive2, b);
    struct run r;
    RUN(&r, "compare", hive, hive2);
    ck_assert_str_eq(r.out, "Result Compared: Identical\n");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    RUN(&r, "compare", hive, hive2, "--times");
    ck_assert_str_eq(r.out, "< Time: \\Src\\Sub    2020-01-05T08:25:33.3627109Z\n"
                            "> Time: \\Src\\Sub    2016-02-15T08:53:20.0000000Z\n"
                            "Result Compared: Different\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    RUN(&r, "compare", hive, hive2, "--security");
    ck_assert_ptr_nonnull(strstr(r.out, "< Security: \\Src    01"));
    ck_assert_ptr_nonnull(strstr(r.out, "> Security: \\Src    01"));
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    RUN(&r, "compare", hive, hive2, "--times", "--security", "--reg", "--encoding", "utf-8");
    ck_assert_str_eq(r.err, "hivekit: compare: the .reg patch cannot carry the security "
                            "descriptor of [HKEY_LOCAL_MACHINE\\ROOT\\Src]\n"
                            "hivekit: compare: the .reg patch cannot carry the last-write time of "
                            "[HKEY_LOCAL_MACHINE\\ROOT\\Src\\Sub]\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cli_tools");
    TCase *t = tcase_create("copy_compare");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, copy_keeps_the_class_of_the_top_key);
    tcase_add_test(t, copy_recursive_keeps_every_class);
    tcase_add_test(t, compare_reports_a_class_difference);
    tcase_add_test(t, compare_reg_says_what_a_patch_cannot_carry);
    tcase_add_test(t, compare_times_and_security_on_request);
    suite_add_tcase(s, t);
    return s;
}
