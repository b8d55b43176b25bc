/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a program and captures what it writes (test support). */
#include "cli_run.h"

#include "files.h"
#include "program.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int unnamed_temp(void)
{
    const char *dir = getenv("TMPDIR");
    char name[512];
    snprintf(name, sizeof name, "%s/hivekit-run-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(name);
    ck_assert_int_ge(fd, 0);
    unlink(name);
    return fd;
}

void run_program(struct run *r, const char *const *argv)
{
    int out = unnamed_temp(), err = unnamed_temp();
    r->status = wait_exit(spawn_program(argv, out, err));
    ck_assert_int_eq((int)lseek(out, 0, SEEK_SET), 0);
    ck_assert_int_eq((int)lseek(err, 0, SEEK_SET), 0);
    r->out = slurp_fd(out, &r->out_len);
    r->err = slurp_fd(err, &r->err_len);
    close(out);
    close(err);
}

void run_args(struct run *r, const char *prog, const char *const *args)
{
    const char *argv[64] = {prog};
    size_t n = 1;
    for (; args[n - 1]; n++) {
        ck_assert_uint_lt(n, 63);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    run_program(r, argv);
}

void run_free(struct run *r)
{
    free(r->out);
    free(r->err);
}

void run_expect_ok(struct run *r)
{
    ck_assert_str_eq(r->err, "");
    ck_assert_str_eq(r->out, OK_LINE);
    ck_assert_int_eq(r->status, 0);
    run_free(r);
}
