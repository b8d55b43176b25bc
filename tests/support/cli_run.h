/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a program with arguments and captures its standard output, standard
 * error and exit status (for the CLI suites). Failures are Check asserts. */
#ifndef CLI_RUN_H
#define CLI_RUN_H

#include <stddef.h>

struct run {
    int status; /* exit status, or -1 if it did not exit normally */
    char *out, *err;
    size_t out_len, err_len;
};

/* argv[0] is the program; argv ends with NULL. */
void run_program(struct run *r, const char *const *argv);
/* Runs prog with args (the arguments after argv[0], ending with NULL; at
 * most 62 of them). */
void run_args(struct run *r, const char *prog, const char *const *args);

/* Lines hivekit prints as reg.exe does. */
#define OK_LINE "The operation completed successfully.\n"
#define NOT_FOUND_LINE \
    "hivekit: ERROR: The system was unable to find the specified registry key or value.\n"

#ifdef HIVEKIT_BIN
/* RUN(&r, "query", path, ...): runs the built hivekit with those arguments. */
#define RUN(r, ...)                                                       \
    do {                                                                  \
        const char *const run_args_[] = {HIVEKIT_BIN, __VA_ARGS__, NULL}; \
        run_program((r), run_args_);                                      \
    } while (0)
#endif
void run_free(struct run *r);
/* Asserts the run succeeded as reg.exe reports it: exit 0, OK_LINE on
 * standard output, nothing on standard error; then frees it. */
void run_expect_ok(struct run *r);

#endif
