/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text formats on every corpus hive that reads cleanly:
 * export -> build gives the same tree, export -> import -> export the same
 * file; and with hivexregedit (HIVEXREGEDIT): its export imports into the
 * tree its merge makes, and its merge of our UTF-8 export gives the tree we
 * build. Trees are compared through libhivex.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text_support.h"
#include "log_corpus.h"
#include "corpus.h"

Suite *test_suite(void);

/* ---- corpus hives ----------------------------------------------------- */

/* The corpus hives that open cleanly (not dirty, not corrupt) and whose
 * names a .reg file can carry. */
static const char *const corpus[] = {
    "hivex/minimal.gz",          "hivex/rlenvalue_test_hive.gz", "regipy/BCD.gz",
    "regipy/NTUSER-WSL.DAT.gz",  "regipy/NTUSER.DAT.gz",         "regipy/SAM.gz",
    "regipy/SYSTEM.gz",          "yarp/BigDataHive.gz",          "yarp/DeletedDataHive.gz",
    "yarp/EmptyHive.gz",         "yarp/ExtendedASCIIHive.gz",    "yarp/ManySubkeysHive.gz",
    "yarp/MultiSzHive.gz",       "yarp/NewFlagsHive.gz",         "yarp/StringValuesHive.gz",
    "yarp/UnicodeHive.gz",
};
#define N_CORPUS (int)(sizeof corpus / sizeof corpus[0])

START_TEST(corpus_export_then_build_gives_the_same_tree)
{
    const char *hive = corpus_file(corpus[_i]);
    const char *reg = tmp_path("c.reg");
    assert_ok(HK("export", hive, "--format", "reg", "-o", reg));
    assert_ok(HK("build", reg, "-o", tmp_path("c.hive")));
    assert_same_tree(hive, tmp_path("c.hive"));
}
END_TEST

START_TEST(corpus_export_import_export_is_identical)
{
    const char *hive = corpus_file(corpus[_i]);
    const char *const prefix = "HKEY_USERS\\Imported";
    assert_ok(HK("export", hive, "--format", "reg", "--prefix", prefix, "-o", tmp_path("1.reg")));
    assert_ok(HK("new", tmp_path("fresh.hive")));
    assert_ok(HK("import", tmp_path("fresh.hive"), tmp_path("1.reg")));
    assert_ok(HK("export", tmp_path("fresh.hive"), "--format", "reg", "--prefix", prefix, "-o",
                 tmp_path("2.reg")));
    ck_assert(same_file(tmp_path("1.reg"), tmp_path("2.reg")));
}
END_TEST

START_TEST(export_refuses_a_key_name_with_a_nul)
{
    const char *hive = corpus_file("hivex/special.gz");
    ck_assert_int_eq(HK("export", hive, "--format", "reg", "-o", tmp_path("sp.reg")), 2);
    char *e = last_stderr();
    char want[800];
    snprintf(want, sizeof want,
             "hivekit: %s: key 'HKEY_LOCAL_MACHINE\\$$$PROTO.HIV\\zero' has a name a .reg key "
             "line cannot carry\n",
             hive);
    ck_assert_str_eq(e, want);
    free(e);
}
END_TEST

/* ---- hivexregedit ----------------------------------------------------- */

static const char *const hivex_cases[] = {
    "regipy/NTUSER.DAT.gz", "yarp/UnicodeHive.gz", "yarp/MultiSzHive.gz",
    "yarp/StringValuesHive.gz", "hivex/rlenvalue_test_hive.gz",
};

/* A hive that hivexregedit --merge made from reg (prefix P, root R). */
static void hivex_merge(const char *reg, const char *out)
{
    assert_ok(HK("new", out, "--root-name", "R"));
    /* hivexregedit reads files in the local encoding: tell Perl it is UTF-8. */
    setenv("PERL_UNICODE", "SDA", 1);
    int st = run_to(tmp_path("merge.out"), tmp_path("merge.err"),
                    (const char *const[]){HIVEXREGEDIT, "--merge", "--prefix",
                                          "HKEY_LOCAL_MACHINE\\R", out, reg, NULL});
    unsetenv("PERL_UNICODE");
    ck_assert_int_eq(st, 0);
}

START_TEST(hivexregedit_export_imports_into_what_its_merge_makes)
{
    const char *plain = tmp_path("h.hive");
    lc_inflate_to(corpus_file(hivex_cases[_i]), plain);
    const char *reg = tmp_path("hx.reg");
    int st = run_to(reg, tmp_path("hx.err"),
                    (const char *const[]){HIVEXREGEDIT, "--export", "--prefix",
                                          "HKEY_LOCAL_MACHINE\\R", plain, "\\", NULL});
    ck_assert_int_eq(st, 0);
    assert_ok(HK("build", reg, "-o", tmp_path("ours.hive")));
    hivex_merge(reg, tmp_path("theirs.hive"));
    assert_same_tree(tmp_path("ours.hive"), tmp_path("theirs.hive"));
    /* hivexregedit writes values sorted by name, not in stored order. */
    assert_tree_eq(tmp_path("ours.hive"), plain, 1);
}
END_TEST

START_TEST(hivexregedit_merges_our_utf8_export_into_the_tree_we_build)
{
    const char *hive = corpus_file(hivex_cases[_i]);
    const char *reg = tmp_path("ours.reg");
    assert_ok(HK("export", hive, "--format", "reg", "--encoding", "utf-8", "--prefix",
                 "HKEY_LOCAL_MACHINE\\R", "-o", reg));
    assert_ok(HK("build", reg, "-o", tmp_path("ours.hive")));
    hivex_merge(reg, tmp_path("theirs.hive"));
    assert_same_tree(tmp_path("ours.hive"), tmp_path("theirs.hive"));
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("text_corpus");
    TCase *tc;
    tc = tcase_create("corpus");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, corpus_export_then_build_gives_the_same_tree, 0, N_CORPUS);
    tcase_add_loop_test(tc, corpus_export_import_export_is_identical, 0, N_CORPUS);
    tcase_add_test(tc, export_refuses_a_key_name_with_a_nul);
    suite_add_tcase(s, tc);

    tc = tcase_create("hivexregedit");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, hivexregedit_export_imports_into_what_its_merge_makes, 0,
                        (int)(sizeof hivex_cases / sizeof hivex_cases[0]));
    tcase_add_loop_test(tc, hivexregedit_merges_our_utf8_export_into_the_tree_we_build, 0,
                        (int)(sizeof hivex_cases / sizeof hivex_cases[0]));
    suite_add_tcase(s, tc);

    return s;
}
