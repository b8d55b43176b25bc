/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a program with arguments and captures its standard output, standard
 * error and exit status (for the CLI suites). Failures are Check asserts. */
#ifndef CLI_RUN_H
#define CLI_RUN_H

#include <stddef.h>

struct cli_run {
    int status; /* exit status, or -1 if it did not exit normally */
    char *out, *err;
    size_t out_len, err_len;
};

/* argv[0] is the program; argv ends with NULL. */
void cli_run(struct cli_run *r, const char *const *argv);
void cli_run_free(struct cli_run *r);

#endif
