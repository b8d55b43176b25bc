/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Starting a program and waiting for it (see program.h). */
#include "program.h"

#include <check.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* fd as the child's target descriptor, the original closed there. */
static void put_on(posix_spawn_file_actions_t *fa, int fd, int target, int other)
{
    if (fd < 0)
        return;
    ck_assert_int_eq(posix_spawn_file_actions_adddup2(fa, fd, target), 0);
    if (fd > STDERR_FILENO && fd != other)
        ck_assert_int_eq(posix_spawn_file_actions_addclose(fa, fd), 0);
}

pid_t spawn_program(const char *const *argv, int out_fd, int err_fd)
{
    posix_spawn_file_actions_t fa;
    ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
    put_on(&fa, out_fd, STDOUT_FILENO, err_fd);
    put_on(&fa, err_fd, STDERR_FILENO, -1);
    fflush(NULL); /* what the test printed comes before what the program does */
    pid_t pid;
    int e = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    ck_assert_msg(e == 0, "cannot start %s: %s", argv[0], strerror(e));
    return pid;
}

int wait_exit(pid_t pid)
{
    int ws;
    pid_t got;
    while ((got = waitpid(pid, &ws, 0)) < 0)
        ck_assert_int_eq(errno, EINTR);
    ck_assert_int_eq(got, pid);
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}
