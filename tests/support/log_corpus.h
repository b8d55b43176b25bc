/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Corpus files inflated (gzip) for the suites that need real files: a hive
 * and its logs side by side for the search beside the hive; gzip files
 * read and written. Temporary
 * folders are tempdir.h's, whole plain files files.h's. Every helper
 * asserts (Check) on failure. */
#ifndef HK_TESTS_LOG_CORPUS_H
#define HK_TESTS_LOG_CORPUS_H

#include <stddef.h>
#include <stdint.h>

/* Inflates the file gz (gzip, or plain: copied) to plain. */
void lc_inflate_to(const char *gz, const char *plain);

/* Inflates src_dir/rel (gzip) to dir/name; returns dir/name (owned). */
char *lc_inflate(const char *src_dir, const char *rel, const char *dir, const char *name);

/* The whole file at path, inflated if gzip (owned, free()). */
uint8_t *lc_read(const char *path, size_t *n);

/* The n bytes at data as one gzip member (default level), *out_len its
 * size. Owned: free with free(). */
uint8_t *lc_gzip(const void *data, size_t n, size_t *out_len);

/* path made (or truncated) to hold the n bytes at data as gzip. */
void lc_write_gz(const char *path, const void *data, size_t n);

#endif
