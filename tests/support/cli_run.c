/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a program and captures what it writes (test support). */
#include "cli_run.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

char *slurp_fd(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq((int)lseek(fd, 0, SEEK_SET), 0);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        ck_assert_int_ge((int)got, 0);
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

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
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(out, 1);
        dup2(err, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        ck_assert_int_eq(errno, EINTR);
    r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    r->out = slurp_fd(out, &r->out_len);
    r->err = slurp_fd(err, &r->err_len);
    close(out);
    close(err);
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
