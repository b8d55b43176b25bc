/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The progress line of `hivekit export --format jsonl` on a hive of more
 * than 10,000 keys: shown when standard error is a terminal (a pseudo
 * terminal here), never in the data, and absent when standard error is not
 * a terminal. */
#define _XOPEN_SOURCE 600
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli_run.h"
#include "files.h"
#include "hive_builder.h"
#include "program.h"
#include "tempdir.h"

Suite *test_suite(void);

enum { TOP = 101, BELOW = 99 }; /* 1 + 101 + 101 * 99 = 10101 keys */

static char *g_dir, *g_hive, *g_out;

static void make_hive(void)
{
    struct hb *b = hb_new(5, "BIG");
    for (int i = 0; i < TOP; i++) {
        char name[16];
        snprintf(name, sizeof name, "K%03d", i);
        uint32_t k = hb_key(b, hb_root(b), name);
        for (int j = 0; j < BELOW; j++) {
            snprintf(name, sizeof name, "S%03d", j);
            hb_key(b, k, name);
        }
    }
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    g_dir = tempdir_new("cli-progress");
    g_hive = path_join(g_dir, "big.hive");
    g_out = path_join(g_dir, "out.jsonl");
    spit(g_hive, img, len);
    free(img);
}

static void cleanup(void)
{
    free(g_out);
    free(g_hive);
    ck_assert(tempdir_remove(g_dir));
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Runs hivekit export HIVE --format jsonl -o OUT with standard error on a
 * pseudo terminal (output post-processing off: bytes as written); returns
 * what the terminal got, or NULL when the system gives no pseudo terminal. */
static char *export_on_terminal(int *status)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) { /* a sandbox without pseudo terminals */
        printf("note: no pseudo terminal (%s): the terminal half is not run\n", strerror(errno));
        return NULL;
    }
    ck_assert_int_eq(grantpt(master), 0);
    ck_assert_int_eq(unlockpt(master), 0);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    ck_assert_int_ge(slave, 0);
    struct termios t;
    ck_assert_int_eq(tcgetattr(slave, &t), 0);
    t.c_oflag &= ~(tcflag_t)OPOST;
    ck_assert_int_eq(tcsetattr(slave, TCSANOW, &t), 0);
    ck_assert_int_eq(fcntl(master, F_SETFD, FD_CLOEXEC), 0); /* not the program's */
    const char *const argv[] = {HIVEKIT_BIN, "export", g_hive, "--format", "jsonl", "-o", g_out,
                                NULL};
    pid_t pid = spawn_program(argv, -1, slave);
    close(slave);
    size_t n;
    char *buf = slurp_fd(master, &n); /* to the end: the program closed the terminal */
    close(master);
    *status = wait_exit(pid);
    return buf;
}

START_TEST(jsonl_export_shows_progress_on_a_terminal_only)
{
    make_hive();
    int status;
    char *term = export_on_terminal(&status);
    if (term) {
        ck_assert_int_eq(status, 0);
        ck_assert_str_eq(term, "\rhivekit: 10000 keys read\rhivekit: 10101 keys read\n");
        free(term);
        size_t len;
        char *out = slurp(g_out, &len);
        ck_assert_uint_eq(count_lines(out), 10101);
        ck_assert_ptr_null(strstr(out, "keys read"));
        free(out);
    }
    /* standard error not a terminal: nothing but the data */
    struct run r;
    const char *const argv[] = {HIVEKIT_BIN, "export", g_hive, "--format", "jsonl", NULL};
    run_program(&r, argv);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(count_lines(r.out), 10101);
    ck_assert_ptr_null(strstr(r.out, "keys read"));
    run_free(&r);
    cleanup();
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cli_progress");
    TCase *t = tcase_create("progress");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, jsonl_export_shows_progress_on_a_terminal_only);
    suite_add_tcase(s, t);
    return s;
}
