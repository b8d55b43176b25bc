/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test-side helpers for the transaction-log suites: a temporary folder,
 * corpus files inflated into it (a hive and its logs must be real files side
 * by side for the search beside the hive), whole files read and written.
 * Every helper asserts (Check) on failure. */
#ifndef HK_TESTS_LOG_CORPUS_H
#define HK_TESTS_LOG_CORPUS_H

#include <stddef.h>
#include <stdint.h>

/* A new empty folder under $TMPDIR (or the system's). Owned: lc_rmdir. */
char *lc_tempdir(const char *tag);

/* Removes the folder's files, the folder, and frees dir. */
void lc_rmdir(char *dir);

/* dir/name (owned, free()). */
char *lc_path(const char *dir, const char *name);

/* Inflates src_dir/rel (gzip) to dir/name; returns dir/name (owned). */
char *lc_inflate(const char *src_dir, const char *rel, const char *dir, const char *name);

/* The whole file at path, inflated if gzip (owned, free()). */
uint8_t *lc_read(const char *path, size_t *n);

void lc_write(const char *path, const void *data, size_t n);

#endif
