/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CLI on dirty hives: the one stderr line of a replay, --no-logs and
 * --log, info's log lines (text and JSON), and hivekit recover (its default
 * output, --force, -o, its refusals). Hives and logs are inflated from the
 * corpus into a temporary folder, side by side; output is checked byte for
 * byte.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "log_corpus.h"
#include "files.h"
#include "tempdir.h"
#include "corpus.h"

Suite *test_suite(void);

static struct run hivekit(const char *const *args)
{
    struct run r;
    run_args(&r, HIVEKIT_BIN, args);
    return r;
}

#define HK(...) hivekit((const char *const[]){__VA_ARGS__, NULL})

/* err is exactly the one line fmt makes (with %s for the folder, as often
 * as fmt has it). */
static void err_is(const struct run *r, const char *want)
{
    ck_assert_msg(strcmp(r->err, want) == 0, "stderr:\n%s\nwant:\n%s", r->err, want);
}

struct folder {
    char *dir, *hive;
};

static struct folder folder(const char *sub, const char *name, int log1, int log2)
{
    struct folder f = {tempdir_new("clilogs"), NULL};
    char rel[256], file[128];
    snprintf(rel, sizeof rel, "yarp/%s/%s.gz", sub, name);
    f.hive = lc_inflate(corpus_dir(), rel, f.dir, name);
    for (int k = 1; k <= 2; k++) {
        if ((k == 1 && !log1) || (k == 2 && !log2))
            continue;
        snprintf(rel, sizeof rel, "yarp/%s/%s.LOG%d.gz", sub, name, k);
        snprintf(file, sizeof file, "%s.LOG%d", name, k);
        free(lc_inflate(corpus_dir(), rel, f.dir, file));
    }
    return f;
}

static void drop(struct folder *f)
{
    free(f->hive);
    tempdir_remove(f->dir);
}

__attribute__((format(printf, 1, 2))) static char *fmt(const char *format, ...)
{
    size_t n = strlen(format) + 3 * 4096;
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    va_list ap;
    va_start(ap, format);
    vsnprintf(s, n, format, ap);
    va_end(ap);
    return s;
}

static void assert_line(const char *text, const char *line)
{
    ck_assert_msg(strstr(text, line) != NULL, "missing line\n%s\nin\n%s", line, text);
}

START_TEST(info_says_what_was_replayed)
{
    struct folder f = folder("NewDirtyHive1", "NewDirtyHive", 1, 1);
    struct run r = HK("info", f.hive);
    ck_assert_int_eq(r.status, 0);
    char *want = fmt("hivekit: %s: dirty; replayed in memory from %s/NewDirtyHive.LOG1, "
                     "%s/NewDirtyHive.LOG2 (4 log entries, now sequence 5; files unchanged)\n",
                     f.hive, f.dir, f.dir);
    err_is(&r, want);
    free(want);
    assert_line(r.out, "\nstate:         dirty, replayed in memory from 2 logs (now sequence "
                       "5 = 5)\n");
    want = fmt("\nlog:           %s/NewDirtyHive.LOG1: applied, new format, sequence 2, 1 entry, 1 "
               "dirty page\nlog:           %s/NewDirtyHive.LOG2: applied, new format, sequence 3, 3 "
               "entries, 3 dirty pages\n", f.dir, f.dir);
    ck_assert_str_eq(r.out + strlen(r.out) - strlen(want), want);
    free(want);
    run_free(&r);

    r = HK("info", "--json", f.hive);
    ck_assert_int_eq(r.status, 0);
    want = fmt(",\"dirty_at_open\":true,\"logs_replayed\":2,\"log_entries\":4,\"logs\":["
               "{\"path\":\"%s/NewDirtyHive.LOG1\",\"applied\":true,\"format\":\"new\",\"sequence\":2,"
               "\"entries\":1,\"pages\":1,\"note\":\"\"},{\"path\":\"%s/NewDirtyHive.LOG2\",\"applied\""
               ":true,\"format\":\"new\",\"sequence\":3,\"entries\":3,\"pages\":3,\"note\":\"\"}]}\n",
               f.dir, f.dir);
    ck_assert_str_eq(r.out + strlen(r.out) - strlen(want), want);
    free(want);
    run_free(&r);

    r = HK("info", f.hive, "--no-logs");
    ck_assert_int_eq(r.status, 0);
    want = fmt("hivekit: warning: %s is dirty (sequence 3 != 2); --no-logs: reading the primary as it "
               "is\n", f.hive);
    err_is(&r, want);
    free(want);
    assert_line(r.out, "\nstate:         dirty (sequence 3 != 2)\n");
    ck_assert_ptr_null(strstr(r.out, "log:"));
    run_free(&r);
    drop(&f);
}
END_TEST

START_TEST(info_names_logs_not_applied)
{
    struct folder f = folder("OldDirtyHive", "OldDirtyHive", 1, 1);
    struct run r = HK("info", f.hive);
    ck_assert_int_eq(r.status, 0);
    char *want = fmt("\nlog:           %s/OldDirtyHive.LOG1: applied, old format, sequence 5, 1 entry, "
                     "64 dirty pages\nlog:           %s/OldDirtyHive.LOG2: not applied (0 bytes, "
                     "shorter than the 512-byte base block copy)\n", f.dir, f.dir);
    ck_assert_str_eq(r.out + strlen(r.out) - strlen(want), want);
    free(want);
    run_free(&r);
    /* Only the empty log: nothing usable, the command fails and says why. */
    char *log1 = path_join(f.dir, "OldDirtyHive.LOG1");
    unlink(log1);
    free(log1);
    r = HK("info", f.hive);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    want = fmt("hivekit: %s: no usable transaction log: OldDirtyHive.LOG2: 0 bytes, shorter than the "
               "512-byte base block copy (--no-logs reads the primary as it is)\n", f.hive);
    err_is(&r, want);
    free(want);
    run_free(&r);
    drop(&f);
}
END_TEST

/* check reports each log it cannot use and checks the primary: a log left
 * unused beside a usable one is a warning; with no usable log at all, each
 * is an error and the primary is checked as it is (exit 1, not 2). */
START_TEST(check_reports_bad_logs_and_checks_the_primary)
{
    struct folder f = folder("OldDirtyHive", "OldDirtyHive", 1, 1);
    struct run r = HK("check", f.hive);
    ck_assert_int_eq(r.status, 0);
    char *want = fmt("warning 0x0 log: %s/OldDirtyHive.LOG2 unused: 0 bytes, shorter than the "
                     "512-byte base block copy\n", f.dir);
    ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
    free(want);
    run_free(&r);
    char *log1 = path_join(f.dir, "OldDirtyHive.LOG1");
    unlink(log1);
    free(log1);
    char *junk = path_join(f.dir, "OldDirtyHive.LOG");
    spit(junk, "regf-but-not-a-log", 18);
    free(junk);
    r = HK("check", f.hive);
    ck_assert_int_eq(r.status, 1);
    err_is(&r, "");
    ck_assert_str_eq(r.out, "error 0x0 log: OldDirtyHive.LOG: 18 bytes, shorter than the 512-byte "
                            "base block copy\n"
                            "error 0x0 log: OldDirtyHive.LOG2: 0 bytes, shorter than the 512-byte "
                            "base block copy\n"
                            "warning 0x4 dirty: sequence numbers differ (5, 4): the hive has pending "
                            "transaction logs\n"
                            "warning 0x78000 trailing-data: 32768 bytes after the last hive bin (0 "
                            "of them not zero)\n"
                            "2 errors, 2 warnings\n");
    run_free(&r);
    drop(&f);
}
END_TEST

START_TEST(query_reads_replayed_keys_unless_no_logs)
{
    struct folder f = folder("NewDirtyHive1", "NewDirtyHive", 1, 1);
    struct run r = HK("query", f.hive, "Key3");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\\Key3\\Key3_1\n"));
    ck_assert_ptr_nonnull(strstr(r.err, ": dirty; replayed in memory from "));
    run_free(&r);
    r = HK("query", "--no-logs", f.hive, "Key3");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    r = HK("query", f.hive, "Key1", "--no-logs");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    /* "--" ends the options: "--no-logs" after it is an operand. */
    r = HK("query", f.hive, "--", "--no-logs");
    ck_assert_int_eq(r.status, 1); /* no key of that name */
    ck_assert_ptr_nonnull(strstr(r.err, ": dirty; replayed in memory from "));
    run_free(&r);
    r = HK("query", f.hive, "--no-logs", "--log", f.hive);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, "hivekit: query: '--no-logs' and '--log' contradict each other (see "
                            "'hivekit help query')\n");
    run_free(&r);
    drop(&f);
}
END_TEST

START_TEST(explicit_logs_and_export)
{
    char *hive = path_join(corpus_dir(), "yarp/NewDirtyHive1/NewDirtyHive.gz");
    char *l1 = path_join(corpus_dir(), "yarp/NewDirtyHive1/NewDirtyHive.LOG1.gz");
    char *l2 = path_join(corpus_dir(), "yarp/NewDirtyHive1/NewDirtyHive.LOG2.gz");
    struct run r = HK("export", hive, "Key3", "--format", "jsonl", "--log", l2, "--log=", l1);
    ck_assert_int_eq(r.status, 2); /* "--log=" names an empty path */
    run_free(&r);
    r = HK("export", hive, "Key3", "--format", "jsonl", "--log", l2, "--log", l1);
    ck_assert_int_eq(r.status, 0);
    char *want = fmt("hivekit: %s: dirty; replayed in memory from %s, %s (4 log entries, now sequence "
                     "5; files unchanged)\n", hive, l2, l1);
    err_is(&r, want);
    free(want);
    ck_assert_ptr_nonnull(strstr(r.out, "Key3_3"));
    run_free(&r);
    /* Without logs beside it (the corpus has no NewDirtyHive.gz.LOG1). */
    r = HK("query", hive, "Key1");
    ck_assert_int_eq(r.status, 0);
    want = fmt("hivekit: warning: %s is dirty (sequence 3 != 2) and no transaction log was found "
               "beside it; reading the primary as it is\n", hive);
    err_is(&r, want);
    free(want);
    run_free(&r);
    free(hive);
    free(l1);
    free(l2);
}
END_TEST

START_TEST(recover_writes_a_clean_copy)
{
    struct folder f = folder("NewDirtyHive1", "NewDirtyHive", 1, 1);
    struct run r = HK("recover", f.hive);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    char *def = fmt("%s.recovered", f.hive), *def_line = fmt("%s\n", def);
    char *want = fmt("hivekit: %s: recovered from %s/NewDirtyHive.LOG1, %s/NewDirtyHive.LOG2 (4 log "
                     "entries, sequence 5) into ", f.hive, f.dir, f.dir);
    ck_assert_msg(strncmp(r.err, want, strlen(want)) == 0, "%s", r.err);
    ck_assert_str_eq(r.err + strlen(want), def_line);
    free(def_line);
    run_free(&r);
    free(want);
    size_t n, rn;
    uint8_t *got = lc_read(def, &n);
    char *refp = path_join(corpus_dir(), "yarp/NewDirtyHive1/RecoveredHive_Windows10.gz");
    uint8_t *ref = lc_read(refp, &rn);
    ck_assert(n == rn && memcmp(got + 4096, ref + 4096, n - 4096) == 0);
    free(got);
    free(ref);
    free(refp);
    r = HK("info", def);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    assert_line(r.out, "\nstate:         clean (sequence 5 = 5)\n");
    run_free(&r);

    r = HK("recover", f.hive);
    ck_assert_int_eq(r.status, 2);
    want = fmt("hivekit: %s: %s exists; --force replaces it\n", f.hive, def);
    err_is(&r, want);
    free(want);
    run_free(&r);
    r = HK("recover", "--force", f.hive);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    r = HK("recover", f.hive, "-o", f.hive);
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    char *out = path_join(f.dir, "clean.hive");
    r = HK("recover", f.hive, "--output", out);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    /* The clean copy has nothing to recover. */
    r = HK("recover", out, "-o", def, "--force");
    ck_assert_int_eq(r.status, 2);
    want = fmt("hivekit: %s: %s is clean (sequence numbers equal, checksum right): nothing to "
               "recover\n", out, out);
    err_is(&r, want);
    free(want);
    run_free(&r);
    r = HK("recover", f.hive, "--no-logs");
    ck_assert_int_eq(r.status, 2);
    want = fmt("hivekit: %s: recovering needs the logs: HK_OPEN_NO_LOGS contradicts it\n", f.hive);
    err_is(&r, want);
    free(want);
    run_free(&r);
    r = HK("info", "--no-logs", f.hive);
    assert_line(r.out, "\nstate:         dirty (sequence 3 != 2)\n"); /* still dirty on disk */
    run_free(&r);
    free(out);
    free(def);
    drop(&f);
}
END_TEST

START_TEST(recover_refuses_without_logs)
{
    char *hive = path_join(corpus_dir(), "yarp/OldDirtyHive/OldDirtyHive.gz");
    char *dir = tempdir_new("clilogs"), *out = path_join(dir, "out");
    struct run r = HK("recover", hive, "-o", out);
    ck_assert_int_eq(r.status, 2);
    char *want = fmt("hivekit: %s: %s is dirty but no transaction log was given or found beside it; "
                     "--accept-dirty writes the primary as it is\n", hive, hive);
    err_is(&r, want);
    free(want);
    ck_assert_int_ne(access(out, F_OK), 0);
    run_free(&r);
    r = HK("recover");
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, "hivekit: recover: missing HIVE (see 'hivekit help recover')\n");
    run_free(&r);
    r = HK("help", "recover");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_eq(strstr(r.out, "usage: hivekit recover HIVE [-o OUT] [--log FILE]... [--force] "
                                      "[--accept-dirty]\n"),
                     r.out);
    run_free(&r);
    r = HK("--help");
    assert_line(r.out, "\n  recover  replay a dirty hive's transaction logs into a clean copy\n");
    assert_line(r.out, "\n  --no-logs  read the file as it is, without replaying its transaction logs\n");
    run_free(&r);
    free(out);
    tempdir_remove(dir);
    free(hive);
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("cli_logs");
    TCase *tc = tcase_create("logs");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, info_says_what_was_replayed);
    tcase_add_test(tc, info_names_logs_not_applied);
    tcase_add_test(tc, query_reads_replayed_keys_unless_no_logs);
    tcase_add_test(tc, explicit_logs_and_export);
    tcase_add_test(tc, recover_writes_a_clean_copy);
    tcase_add_test(tc, recover_refuses_without_logs);
    tcase_add_test(tc, check_reports_bad_logs_and_checks_the_primary);
    suite_add_tcase(s, tc);
    return s;
}
