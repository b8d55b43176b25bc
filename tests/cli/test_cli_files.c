/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The editing commands and the files they write (issue 11): concurrent
 * `hivekit add` on one hive lose no edit; --accept-dirty; --break-hardlinks;
 * a gzip hive stays gzip; logs whose names differ in case from the hive's. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_run.h"
#include "corpus.h"
#include "log_corpus.h"
#include "program.h"
#include "files.h"
#include "tempdir.h"


Suite *test_suite(void);

static char *dir;

static void setup(void)
{
    dir = tempdir_new("cli-files");
}

static void teardown(void)
{
    ck_assert(tempdir_remove(dir));
}

static char *new_hive(const char *name)
{
    char *p = path_join(dir, name);
    struct run r;
    RUN(&r, "new", p);
    ck_assert_msg(r.status == 0, "new: %s", r.err);
    run_free(&r);
    return p;
}

/* Four `hivekit add` at once, ten times: every edit is in the hive, or its
 * command failed with the lock's message; none says success and loses it. */
START_TEST(concurrent_adds_lose_no_edit)
{
    char *hive = new_hive("c.hive");
    enum { ROUNDS = 10, WRITERS = 4 };
    int ok[ROUNDS][WRITERS];
    for (int round = 0; round < ROUNDS; round++) {
        pid_t pids[WRITERS];
        char names[WRITERS][32], errs[WRITERS][4200];
        int null = open("/dev/null", O_WRONLY);
        ck_assert_int_ge(null, 0);
        for (int w = 0; w < WRITERS; w++) {
            snprintf(names[w], sizeof names[w], "r%d_w%d", round, w);
            snprintf(errs[w], sizeof errs[w], "%s/err%d", dir, w);
            int err = open(errs[w], O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ck_assert_int_ge(err, 0);
            const char *argv[] = {HIVEKIT_BIN, "add", hive, "Shared", "-v", names[w], "-d",
                                  names[w], NULL};
            pids[w] = spawn_program(argv, null, err);
            close(err);
        }
        close(null);
        for (int w = 0; w < WRITERS; w++) {
            int status = wait_exit(pids[w]);
            ck_assert_int_ge(status, 0); /* exited */
            ok[round][w] = status == 0;
            if (!ok[round][w]) {
                size_t n;
                char *e = slurp(errs[w], &n);
                ck_assert_int_eq(status, 2);
                ck_assert_msg(strstr(e, "another writer"), "stderr: %s", e);
                free(e);
            }
        }
    }
    struct run r;
    RUN(&r, "query", hive, "Shared");
    ck_assert_int_eq(r.status, 0);
    for (int round = 0; round < ROUNDS; round++) {
        for (int w = 0; w < WRITERS; w++) {
            char want[64];
            snprintf(want, sizeof want, "    r%d_w%d    REG_SZ    r%d_w%d\n", round, w, round, w);
            ck_assert_msg((strstr(r.out, want) != NULL) == ok[round][w],
                          "r%d_w%d: exit %s, in the hive: %s", round, w, ok[round][w] ? "0" : "2",
                          strstr(r.out, want) ? "yes" : "no");
        }
    }
    run_free(&r);
    free(hive);
}
END_TEST

START_TEST(accept_dirty_repairs_a_hive_without_logs)
{
    char *hive = new_hive("d.hive");
    size_t n;
    uint8_t *b = lc_read(hive, &n);
    b[4] = 9; /* primary sequence 9, secondary 1 */
    spit(hive, b, n);
    struct run r;
    RUN(&r, "add", hive, "K");
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--accept-dirty"), "stderr: %s", r.err);
    run_free(&r);
    RUN(&r, "recover", hive);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--accept-dirty"), "stderr: %s", r.err);
    run_free(&r);
    RUN(&r, "add", hive, "K", "-v", "v", "-d", "x", "--accept-dirty");
    ck_assert_msg(r.status == 0, "stderr: %s", r.err);
    ck_assert_str_eq(r.err, "hivekit: warning: accepted the dirty primary as it is (sequence 9 != 1, "
                            "bad checksum; no transaction log): it is written clean\n");
    run_free(&r);
    RUN(&r, "info", hive);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_ptr_nonnull(strstr(r.out, "clean (sequence 10 = 10)"));
    run_free(&r);
    /* recover --accept-dirty writes the primary clean */
    spit(hive, b, n);
    char *out = path_join(dir, "d.fixed");
    RUN(&r, "recover", hive, "-o", out, "--accept-dirty");
    ck_assert_msg(r.status == 0, "stderr: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "accepted the dirty primary as it is"));
    run_free(&r);
    RUN(&r, "info", out);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_ptr_nonnull(strstr(r.out, "clean (sequence 9 = 9)"));
    run_free(&r);
    /* not an option of the reading commands */
    RUN(&r, "query", hive, "--accept-dirty");
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    free(out);
    free(b);
    free(hive);
}
END_TEST

START_TEST(hard_links_need_break_hardlinks)
{
    char *hive = new_hive("h.hive");
    char *other = path_join(dir, "h2.hive");
    ck_assert_int_eq(link(hive, other), 0);
    struct run r;
    RUN(&r, "add", hive, "K");
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "has 2 hard links") && strstr(r.err, "--break-hardlinks"), "stderr: %s",
                  r.err);
    run_free(&r);
    RUN(&r, "add", hive, "K", "--break-hardlinks");
    ck_assert_msg(r.status == 0, "stderr: %s", r.err);
    run_free(&r);
    struct stat a, b;
    ck_assert_int_eq(stat(hive, &a), 0);
    ck_assert_int_eq(stat(other, &b), 0);
    ck_assert(a.st_ino != b.st_ino && a.st_nlink == 1 && b.st_nlink == 1);
    free(other);
    free(hive);
}
END_TEST

START_TEST(gzip_hive_stays_gzip)
{
    char *plain = new_hive("g.hive");
    size_t n;
    uint8_t *b = lc_read(plain, &n);
    char *gz = path_join(dir, "g.hive.gz");
    lc_write_gz(gz, b, n);
    struct run r;
    RUN(&r, "add", gz, "K", "-v", "v", "-d", "x");
    ck_assert_msg(r.status == 0, "stderr: %s", r.err);
    run_free(&r);
    FILE *fp = fopen(gz, "rb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(fgetc(fp), 0x1f);
    ck_assert_int_eq(fgetc(fp), 0x8b);
    fclose(fp);
    RUN(&r, "query", gz, "K");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "    v    REG_SZ    x\n"));
    run_free(&r);
    free(b);
    free(gz);
    free(plain);
}
END_TEST

/* NTUSER.DAT beside ntuser.dat.LOG1: found, and a second log whose name
 * differs only in case is named as ignored. */
START_TEST(logs_found_whatever_the_case)
{
    char *hive = lc_inflate(corpus_dir(), "yarp/NewDirtyHive1/NewDirtyHive.gz", dir, "NEWDIRTYHIVE");
    char *l1 = lc_inflate(corpus_dir(), "yarp/NewDirtyHive1/NewDirtyHive.LOG1.gz", dir,
                          "newdirtyhive.LOG1");
    char *l2 = lc_inflate(corpus_dir(), "yarp/NewDirtyHive1/NewDirtyHive.LOG2.gz", dir,
                          "NewDirtyHive.log2");
    struct run r;
    RUN(&r, "query", hive, "Key3");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.err, "dirty; replayed in memory from"));
    run_free(&r);
    char *l2b = lc_inflate(corpus_dir(), "yarp/NewDirtyHive1/NewDirtyHive.LOG2.gz", dir,
                           "NEWDIRTYHIVE.LOG2");
    RUN(&r, "query", hive, "Key3");
    ck_assert_int_eq(r.status, 0);
    char want[9000];
    snprintf(want, sizeof want, "hivekit: warning: %s: ignored %s: its name differs only in letter "
             "case from NEWDIRTYHIVE.LOG2, which matches the hive's name exactly\n", hive, l2);
    ck_assert_msg(strstr(r.err, want), "stderr: %s", r.err);
    run_free(&r);
    free(l2b);
    free(l1);
    free(l2);
    free(hive);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cli_files");
    TCase *t = tcase_create("files");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 240);
    tcase_add_test(t, concurrent_adds_lose_no_edit);
    tcase_add_test(t, accept_dirty_repairs_a_hive_without_logs);
    tcase_add_test(t, hard_links_need_break_hardlinks);
    tcase_add_test(t, gzip_hive_stays_gzip);
    if (corpus_optional()) /* without the corpus the others run and the suite skips */
        tcase_add_test(t, logs_found_whatever_the_case);
    suite_add_tcase(s, t);
    return s;
}
