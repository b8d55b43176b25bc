/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Starting a program with its standard output and error on descriptors the
 * test chose, and waiting for it (test support; failures are Check
 * asserts). */
#ifndef HK_TESTS_PROGRAM_H
#define HK_TESTS_PROGRAM_H

#include <sys/types.h>

/* Starts argv[0] (a path, or a name found on PATH) with argv (ending with
 * NULL), its standard output on out_fd and its standard error on err_fd (-1
 * leaves the test's own); standard input is the test's. Returns its process
 * id; the test fails when the program cannot be started. */
pid_t spawn_program(const char *const *argv, int out_fd, int err_fd);

/* Waits for pid: its exit status, or -1 when it did not exit normally. */
int wait_exit(pid_t pid);

#endif
