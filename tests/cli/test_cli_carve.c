/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit carve on an image made here: a builder hive whole, and the same
 * hive split into a truncated head and a fragment further on. The exact
 * jsonl and text lines, the files --out writes (the whole hive, the cut one
 * that opens with --salvage, the reassembled one that checks clean), the
 * memory mode and the usage errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "files.h"
#include "hive_builder.h"
#include "tempdir.h"

Suite *test_suite(void);

static char *g_dir, *g_image;
static size_t g_hive_len, g_first_bin;
static const size_t AT_HIVE = 3 * 512, AT_CUT = 200 * 512, AT_FRAG = 400 * 512;

static void make_image(void)
{
    uint32_t first_bin;
    uint8_t *h = hb_carve_hive("CarveCli", "Software", 4, &g_hive_len, &first_bin);
    g_first_bin = first_bin;
    size_t n = 512 * 1024;
    uint8_t *img = calloc(1, n);
    for (size_t i = 0; i < n; i++)
        img[i] = (uint8_t)(0x80 | (i * 131 % 97)); /* junk without signatures */
    ck_assert_uint_lt(AT_HIVE + g_hive_len, AT_CUT);
    memcpy(img + AT_HIVE, h, g_hive_len);
    memcpy(img + AT_CUT, h, 4096 + g_first_bin);
    memcpy(img + AT_FRAG, h + 4096 + g_first_bin, g_hive_len - 4096 - g_first_bin);
    g_dir = tempdir_new("cli-carve");
    g_image = path_join(g_dir, "image.raw");
    spit(g_image, img, n);
    free(img);
    free(h);
}

static void cleanup(void)
{
    free(g_image);
    ck_assert(tempdir_remove(g_dir));
}

static void run(struct run *r, const char *a1, const char *a2, const char *a3, const char *a4,
                const char *a5)
{
    const char *argv[] = {HIVEKIT_BIN, a1, a2, a3, a4, a5, NULL};
    run_program(r, argv);
}

START_TEST(jsonl_and_text)
{
    make_image();
    struct run r;
    run(&r, "carve", g_image, "--format", "jsonl", NULL);
    ck_assert_int_eq(r.status, 0);
    char want[1024];
    snprintf(want, sizeof want,
             "{\"type\":\"hive\",\"offset\":%zu,\"size\":%zu,\"hbins_data_size\":%zu,"
             "\"truncated\":false,\"compressed\":false}\n"
             "{\"type\":\"hive\",\"offset\":%zu,\"size\":%zu,\"hbins_data_size\":%zu,"
             "\"truncated\":true,\"compressed\":false}\n"
             "{\"type\":\"fragment\",\"offset\":%zu,\"size\":%zu,\"hbin_start\":%zu,"
             "\"compressed\":false}\n",
             AT_HIVE, g_hive_len, g_hive_len - 4096, AT_CUT, 4096 + g_first_bin,
             g_hive_len - 4096, AT_FRAG, g_hive_len - 4096 - g_first_bin, g_first_bin);
    ck_assert_str_eq(r.out, want);
    ck_assert_str_eq(r.err, "");
    run_free(&r);
    run(&r, "carve", g_image, NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    snprintf(want, sizeof want,
             "hive     0x%zx %zu bins %zu\n"
             "hive     0x%zx %zu bins %zu truncated\n"
             "fragment 0x%zx %zu hbin_start 0x%zx\n",
             AT_HIVE, g_hive_len, g_hive_len - 4096, AT_CUT, 4096 + g_first_bin,
             g_hive_len - 4096, AT_FRAG, g_hive_len - 4096 - g_first_bin, g_first_bin);
    ck_assert_str_eq(r.out, want);
    run_free(&r);
    /* As a memory image: the bins of each piece, at their bytes. */
    run(&r, "carve", g_image, "--memory", "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    snprintf(want, sizeof want,
             "{\"type\":\"fragment\",\"offset\":%zu,\"size\":%zu,\"hbin_start\":0,"
             "\"compressed\":false}\n",
             AT_HIVE + 4096, g_hive_len - 4096);
    ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
    run_free(&r);
    cleanup();
}
END_TEST

START_TEST(out_writes_hives_and_reassembles)
{
    make_image();
    char out[400], path[500];
    snprintf(out, sizeof out, "%s/out", g_dir);
    struct run r;
    run(&r, "carve", g_image, "--out", out, NULL);
    ck_assert_int_eq(r.status, 0);
    char line[128];
    snprintf(line, sizeof line, "reassembled 0x%zx %zu from 0x%zx 0x%zx\n", AT_CUT, g_hive_len,
             AT_CUT, AT_FRAG);
    ck_assert_msg(strstr(r.out, line) != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.err, "-reassembled.hive"));
    run_free(&r);
    /* the whole hive and the reassembled one check clean */
    snprintf(path, sizeof path, "%s/hive-%zu.hive", out, AT_HIVE);
    run(&r, "check", path, NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    snprintf(path, sizeof path, "%s/hive-%zu-reassembled.hive", out, AT_CUT);
    run(&r, "check", path, NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "0 errors, 0 warnings"));
    run_free(&r);
    /* the cut one: refused strictly, read with --salvage */
    snprintf(path, sizeof path, "%s/hive-%zu-truncated.hive", out, AT_CUT);
    run(&r, "export", path, "--format", "jsonl", NULL);
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    run(&r, "export", path, "--format", "jsonl", "--salvage");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "CarveCli"));
    run_free(&r);
    cleanup();
}
END_TEST

START_TEST(usage_errors)
{
    struct run r;
    run(&r, "carve", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    run(&r, "carve", "/nonexistent/image", NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/image"));
    run_free(&r);
    run(&r, "carve", "x", "--format", "csv", NULL);
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cli_carve");
    TCase *tc = tcase_create("carve");
    tcase_add_test(tc, jsonl_and_text);
    tcase_add_test(tc, out_writes_hives_and_reassembles);
    tcase_add_test(tc, usage_errors);
    suite_add_tcase(s, tc);
    return s;
}
