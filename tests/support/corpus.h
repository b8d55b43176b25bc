/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the suites find the corpus of real hives, and what a suite does
 * without it: the folder is $HIVEKIT_CORPUS when set, else the one the build
 * names (CORPUS_DIR: shared/corpus beside the checkout). A suite whose data
 * is absent reports a skip (exit 77, which meson shows as SKIP); it never
 * passes or fails for want of it. */
#ifndef HK_TESTS_CORPUS_H
#define HK_TESTS_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

/* The corpus folder (never NULL; may not exist). */
const char *corpus_dir(void);

/* corpus_dir()/rel in buf; returns buf. A path that does not fit ends the
 * process with a failure. */
char *corpus_path(char *buf, size_t cap, const char *rel);

/* corpus_path() of rel, and whether that file is readable: a test that
 * needs one file returns early when not, after a note saying it skipped. */
bool corpus_have(const char *rel, char *path, size_t cap);

/* For test_suite() of a suite whose every test reads the corpus: without
 * it, says so and ends the process with 77 before any test runs. */
void corpus_require(void);

/* For test_suite() of a suite where some tests read the corpus: whether to
 * add them. When it answers false, the suite's other tests still run and
 * run_suite.c ends with 77 if they all pass (a failure is still a failure). */
bool corpus_optional(void);

/* Whether corpus_optional() answered false (run_suite.c asks). */
bool corpus_skipped(void);

#endif
