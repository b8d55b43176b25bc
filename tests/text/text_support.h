/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the text suites share: a temporary folder per test, running the
 * built hivekit (HIVEKIT_BIN) and hivexregedit, files, and hive trees read
 * through libhivex (so that hivekit is never its own oracle). */
#ifndef HIVEKIT_TEXT_SUPPORT_H
#define HIVEKIT_TEXT_SUPPORT_H

#include <stddef.h>

#include "files.h" /* slurp, spit */

#define FIXTURE_EPOCH "1700000000"

extern char tmp_dir[256];
extern char out_path[300], err_path[300]; /* default stdout and stderr of runs */

/* A file name in the test's temporary folder (a ring of 32 buffers). */
char *tmp_path(const char *name);
void copy_file(const char *from, const char *to);
int same_file(const char *a, const char *b);

/* Runs argv with stdout to out and stderr to err (NULL: out_path,
 * err_path); returns the exit status. */
int run_to(const char *out, const char *err, const char *const *argv);
#define HK(...) run_to(NULL, NULL, (const char *const[]){HIVEKIT_BIN, __VA_ARGS__, NULL})
#define HK_OUT(out, ...) run_to(out, NULL, (const char *const[]){HIVEKIT_BIN, __VA_ARGS__, NULL})
char *last_stderr(void);
/* Fails the test with the program's stderr unless status is 0. */
void assert_ok(int status);

/* Every key path and value (name, type, exact bytes) of a plain or gzip
 * hive, one line each, in hive order, through libhivex. */
char *tree_of(const char *path);
/* fold_case: the registry's view (names ASCII case-insensitively, value
 * order not counted). */
void assert_tree_eq(const char *a, const char *b, int fold_case);
void assert_same_tree(const char *a, const char *b);

/* UTF-8 text as UTF-16LE with a BOM. */
char *utf16le_of(const char *s, size_t n, size_t *out_len);

/* A new temporary folder with SOURCE_DATE_EPOCH set; removed by teardown. */
void setup(void);
void teardown(void);

/* A corpus hive's path (the test fails when it is missing); lc_inflate_to
 * (log_corpus.h) writes a plain copy. */
const char *corpus_file(const char *rel);

#endif
