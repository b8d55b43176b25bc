/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole files read and written (test support; failures are Check
 * asserts). */
#ifndef HK_TESTS_FILES_H
#define HK_TESTS_FILES_H

#include <stddef.h>

/* Everything in the file at path, with a NUL after it (len without the
 * NUL). Owned: free with free(). */
void *slurp(const char *path, size_t *len);

/* Everything left to read from fd, NUL-terminated as slurp(). A pseudo
 * terminal's master reads to the end of what its other side wrote (its EIO
 * once every other side is closed is that end). */
char *slurp_fd(int fd, size_t *len);

/* path made (or truncated) to hold the len bytes at data. */
void spit(const char *path, const void *data, size_t len);

#endif
